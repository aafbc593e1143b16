#!/bin/sh
# run.sh SECONDS - build every libFuzzer target tests/fuzz/fuzz_NAME.c with
# clang (-fsanitize=fuzzer,address,undefined) against only the core files it
# needs, then run each for SECONDS seconds starting from the seeds in
# tests/fuzz/corpus/NAME (read-only; new inputs go to build/fuzz/corpus/NAME).
# Crashes are saved as build/fuzz/crash-NAME-*; the exit status is non-zero
# if any target fails to build or finds a bug.
set -u
secs=${1:-60}
cd "$(dirname "$0")/../.." || exit 1
if ! command -v clang >/dev/null; then
	echo "fuzz: clang not found (apt-get install clang)" >&2
	exit 1
fi
out=build/fuzz
mkdir -p "$out"
srcs="src/core/util.c src/core/op.c src/core/body.c"
cflags="-std=c11 -D_GNU_SOURCE -Isrc -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
libs=$(pkg-config --cflags --libs libsodium) || exit 1
status=0
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	t=${name#fuzz_}
	echo "  CLANG   $out/$name"
	# shellcheck disable=SC2086
	if ! clang $cflags "$src" $srcs $libs -o "$out/$name"; then
		status=1
		continue
	fi
	mkdir -p "$out/corpus/$t"
	log="$out/$name.log"
	if "$out/$name" -max_total_time="$secs" -max_len=4096 -timeout=10 \
		-artifact_prefix="$out/crash-$t-" "$out/corpus/$t" "tests/fuzz/corpus/$t" \
		>"$log" 2>&1; then
		runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log")
		echo "ok   $name: ${runs:-?} runs in ${secs}s, corpus $(ls "$out/corpus/$t" | wc -l) new inputs"
	else
		status=1
		echo "FAIL $name (log: $log)"
		tail -n 40 "$log"
	fi
done
[ "$status" -eq 0 ] && echo "fuzz: all targets clean" || echo "fuzz: FAILURES"
exit "$status"
