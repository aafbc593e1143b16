# MentalVerse - hand-written Makefile.
#   make            build ./mentalverse (objects under build/)
#   make run        build, create the demo home in ./.demo if absent, open the TUI
#   make test       unit tests (cmocka), e2e tests (CLI, multi-node, tmux TUI), ASan+UBSan unit pass
#   make bench      benchmarks (ratios against limits measured in the same run)
#   make fuzz       libFuzzer targets (clang) for FUZZ_SECONDS each (tests/fuzz/run.sh)
#   make asan       ASan+UBSan build of the binary and unit tests under build/asan
#   make install / uninstall   (PREFIX, DESTDIR)
# Missing Debian packages are installed by assets/install-deps.sh (as root),
# or it prints the apt-get line to run. V=1 shows the commands.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/mentalverse
CC ?= cc
PKGS := ncursesw sqlite3 libsodium libcurl libmicrohttpd gnutls jansson
TEST_PKGS := cmocka

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Dependencies: check with pkg-config, install if missing (not for clean).
ifeq ($(filter clean uninstall,$(MAKECMDGOALS)),)
DEPS_OK := $(shell pkg-config --exists $(PKGS) $(TEST_PKGS) 2>/dev/null && command -v tmux >/dev/null && echo yes)
ifneq ($(DEPS_OK),yes)
DEPS_RUN := $(shell sh assets/install-deps.sh 1>&2; echo $$?)
ifneq ($(DEPS_RUN),0)
$(error missing dependencies; see the apt-get line above)
endif
endif
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
CMOCKA_CFLAGS := $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

VERSION := 0.1.0
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -DMV_VERSION=\"$(VERSION)\" \
	-DMV_DATADIR=\"$(DATADIR)\" -Isrc -Ibuild/gen $(WARN) $(PKG_CFLAGS) -MMD -MP
CFLAGS ?= -O2 -g
HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong
ALL_CFLAGS := $(BASE_CFLAGS) $(CFLAGS) $(HARDEN)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_CFLAGS := $(BASE_CFLAGS) -O1 -g $(SAN_FLAGS)

CORE_SRC := $(sort $(wildcard src/core/*.c src/core/contracts/*.c))
NET_SRC := $(sort $(wildcard src/net/*.c))
UI_SRC := $(sort $(wildcard src/ui/*.c))
LIB_SRC := $(CORE_SRC) $(NET_SRC) $(UI_SRC)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

LIB_OBJ := $(LIB_SRC:%.c=build/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
ASAN_LIB_OBJ := $(LIB_SRC:%.c=build/asan/%.o)
ASAN_UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=build/bench/%)

.PHONY: all run test unit e2e asan asan-test bench fuzz fuzz-build install uninstall clean demo

all: mentalverse

mentalverse: build/src/main.o build/libmv.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS)

build/libmv.a: $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

build/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/tests/%: tests/unit/%.c build/libmv.a
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -o $@ $< build/libmv.a $(CMOCKA_LIBS) $(PKG_LIBS)

build/bench/%: tests/bench/%.c build/libmv.a
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< build/libmv.a $(PKG_LIBS) -lutil

# Built-in genesis defaults: assets/genesis.default as a C string literal.
build/gen/genesis_default.inc: assets/genesis.default
	@mkdir -p $(dir $@)
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@
build/src/core/genesis_conf.o build/asan/src/core/genesis_conf.o: build/gen/genesis_default.inc

# Crisis words and the crisis resources text (crisis.c), the same way.
build/gen/crisis_words.inc: assets/crisis_words.txt
	@mkdir -p $(dir $@)
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@
build/gen/crisis_text.inc: assets/crisis.txt
	@mkdir -p $(dir $@)
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@
CRISIS_INC := build/gen/crisis_words.inc build/gen/crisis_text.inc
build/src/core/crisis.o build/asan/src/core/crisis.o build/fuzz/obj/src/core/crisis.o: $(CRISIS_INC)

# --- sanitizer build -------------------------------------------------------
build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC/SAN  $<"
	$(Q)$(CC) $(ASAN_CFLAGS) -c -o $@ $<

build/asan/libmv.a: $(ASAN_LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

build/asan/tests/%: tests/unit/%.c build/asan/libmv.a
	@mkdir -p $(dir $@)
	@echo "  CC/SAN  $<"
	$(Q)$(CC) $(ASAN_CFLAGS) $(CMOCKA_CFLAGS) -o $@ $< build/asan/libmv.a $(CMOCKA_LIBS) $(PKG_LIBS)

build/asan/mentalverse: build/asan/src/main.o build/asan/libmv.a
	$(Q)$(CC) $(ASAN_CFLAGS) -o $@ $^ $(PKG_LIBS)

asan: build/asan/mentalverse $(ASAN_UNIT_BIN)

# --- running ---------------------------------------------------------------
# make run: the demo network in ./.demo, opened as a patient as the README
# shows it (p, t, m, c switch identities in the app)
run: mentalverse
	@if [ ! -f .demo/mentalverse.db ]; then \
		echo "creating the demo network in ./.demo ..."; \
		./mentalverse --home .demo demo || exit 1; \
	fi
	@./mentalverse --home .demo --as patient-sam

demo: mentalverse
	./mentalverse --home .demo demo

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh build/tests

asan-test: $(ASAN_UNIT_BIN)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		sh tests/run-unit.sh build/asan/tests

# e2e tests run tools from build/bench; build them first, so two test files
# running at once never relink one while the other runs it.
E2E_TOOLS := build/bench/gen_bundle build/bench/bench_tui
e2e: mentalverse $(E2E_TOOLS)
	@sh tests/e2e/run.sh

# Everything the tests run is built first, one compiler per core (CI has 2).
NPROC := $(shell nproc 2>/dev/null || echo 2)
test:
	@$(MAKE) --no-print-directory -j$(NPROC) mentalverse $(UNIT_BIN) $(ASAN_UNIT_BIN) $(E2E_TOOLS)
	@MV_MAKE_JOBS=$(NPROC) sh tests/run-all.sh

bench: mentalverse $(BENCH_BIN)
	@sh tests/bench/run.sh

# --- libFuzzer targets (clang): the whole library built with ASan+UBSan and
# fuzzer coverage under build/fuzz/, one binary per tests/fuzz/fuzz_NAME.c.
FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS := $(BASE_CFLAGS) -Wno-error -g -O1 $(FUZZ_SAN)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build/fuzz/obj/%.o)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CLANG   $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
build/fuzz/obj/src/core/genesis_conf.o: build/gen/genesis_default.inc

build/fuzz/libmv.a: $(FUZZ_LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_home.h build/fuzz/libmv.a
	@echo "  CLANG   $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer -o $@ $< build/fuzz/libmv.a $(PKG_LIBS)

fuzz-build: $(FUZZ_BIN)

FUZZ_SECONDS ?= 60
fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

install: mentalverse
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)
	install -m 0755 mentalverse $(DESTDIR)$(BINDIR)/mentalverse
	install -m 0644 docs/mentalverse.1 $(DESTDIR)$(MANDIR)/man1/mentalverse.1
	install -m 0644 assets/genesis.default assets/crisis.txt $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mentalverse $(DESTDIR)$(MANDIR)/man1/mentalverse.1
	rm -f $(DESTDIR)$(DATADIR)/genesis.default $(DESTDIR)$(DATADIR)/crisis.txt
	-rmdir $(DESTDIR)$(DATADIR) 2>/dev/null

clean:
	rm -rf build mentalverse

-include $(LIB_OBJ:.o=.d) $(ASAN_LIB_OBJ:.o=.d) $(FUZZ_LIB_OBJ:.o=.d) build/src/main.d
