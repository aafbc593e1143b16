#!/bin/sh
# t_fault_kill.sh - SIGKILL of `import` and of the TUI at random moments while
# ops keep flowing into the same home (issue 9, fault injection).
#   - a writer process submits transfers (alice -> bob) all along and notes
#     the id of every op the CLI reported as accepted;
#   - MV_FAULT_IMPORT_KILLS (25) times, the import of a bundle of the same
#     network (gen_bundle: other authors, so no chain conflicts) carrying
#     200 ops more than the last try is killed after a random delay within
#     a clean import's duration;
#   - MV_FAULT_TUI_KILLS (30) times, the TUI (tmux, as bob) opens the
#     Wallet, types a transfer and confirms it, and is killed after a random
#     delay (0-500 ms) - before, during or after its write.
# After every kill: PRAGMA integrity_check ok (Python's sqlite3) and the log
# never shrinks. At the end: every op the writer saw accepted is in the log,
# a last import brings every op of the bundle, `verify` passes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
t_begin fault_kill
IMPORT_KILLS=${MV_FAULT_IMPORT_KILLS:-25}
TUI_KILLS=${MV_FAULT_TUI_KILLS:-30}
H="$T_TMP/h"; STOP="$T_TMP/stop"; IDS="$T_TMP/accepted"
WPID=""
cleanup() { [ -d "$T_TMP" ] && touch "$STOP"; [ -n "$WPID" ] && wait "$WPID" 2>/dev/null; tui_stop; }
trap cleanup EXIT

GEN=${MV_GEN_BUNDLE:-$ROOT/build/bench/gen_bundle}
if [ ! -x "$GEN" ] || [ "$ROOT/tests/bench/gen_bundle.c" -nt "$GEN" ]; then
	make -s -C "$ROOT" build/bench/gen_bundle >/dev/null
fi
check "generate a bundle of 8000 transfers" "$GEN" "$T_TMP/gen" "$T_TMP/big.mvb" 8000
# bundle_head IN OUT M: the first M ops of a bundle as a bundle.
bundle_head() {
	python3 - "$@" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
def varint(p):
	v = shift = 0
	while True:
		b = data[p]; p += 1
		v |= (b & 0x7f) << shift; shift += 7
		if b < 0x80:
			return v, p
def put(v):
	out = bytearray()
	while True:
		b = v & 0x7f; v >>= 7
		out.append(b | (0x80 if v else 0))
		if not v:
			return bytes(out)
count, p = varint(4)
m = min(int(sys.argv[3]), count); start = p
for _ in range(m):
	n, p = varint(p); p += n
open(sys.argv[2], "wb").write(b"MVB1" + put(m) + data[start:p])
PY
}
# The home starts with genesis and the founder's funding of the bundle's
# authors (its first 10 ops) and the founder's key: the founder's chain in
# the bundle ends there, so the founder can go on writing here.
bundle_head "$T_TMP/big.mvb" "$T_TMP/head.mvb" 10
check "import the bundle's first 10 ops" "$MV" --home "$H" import "$T_TMP/head.mvb"
mkdir -p "$H/keys" && chmod 700 "$H/keys" && cp -p "$T_TMP/gen/keys/founder.key" "$H/keys/"
check "keygen alice" "$MV" --home "$H" keygen alice
check "keygen bob" "$MV" --home "$H" keygen bob
check "fund alice" "$MV" --home "$H" --as founder op ledger.transfer to=alice amount=1000
check "fund bob" "$MV" --home "$H" --as founder op ledger.transfer to=bob amount=1000

# PRAGMA integrity_check and the number of ops in the log.
db_check() {
	python3 - "$1/mentalverse.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
ok = db.execute("PRAGMA integrity_check").fetchall()
if ok != [("ok",)]:
	sys.exit("integrity_check: %r" % ok)
print(db.execute("SELECT count(*) FROM log_ops").fetchone()[0])
PY
}
now_ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }
rand_ms() { r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' '); echo $((r % $1)); }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# The writer: transfers until told to stop (at most 2000), ids of accepted ops.
: >"$IDS"
(
	n=0
	while [ ! -f "$STOP" ] && [ "$n" -lt 2000 ]; do
		out=$("$MV" --home "$H" --as alice op ledger.transfer to=bob amount=0.00001 2>/dev/null)
		# "ID applied" or "ID rejected: ..." (exit 3): either way in the log
		echo "$out" | awk 'length($1) == 64 { print $1 }' >>"$IDS"
		n=$((n + 1))
		sleep 0.02
	done
) &
WPID=$!

# How long a clean import of one chunk of new ops takes here.
CHUNK=200
cp -R "$H" "$T_TMP/probe"
bundle_head "$T_TMP/big.mvb" "$T_TMP/part.mvb" $((10 + CHUNK))
t0=$(now_ms); "$MV" --home "$T_TMP/probe" import "$T_TMP/part.mvb" >/dev/null 2>&1; t1=$(now_ms)
span=$((t1 - t0)); [ "$span" -lt 50 ] && span=50
rm -rf "$T_TMP/probe"

bad=0; last=0; kills=0; tries=0
after_kill() {
	if ! n=$(db_check "$H" 2>&1); then
		echo "  integrity check failed after $1: $n"; bad=$((bad + 1)); return
	fi
	if [ "$n" -lt "$last" ]; then echo "  $1: log shrank from $last to $n"; bad=$((bad + 1)); fi
	last=$n
}

while [ "$kills" -lt "$IMPORT_KILLS" ] && [ "$tries" -lt $((IMPORT_KILLS * 3)) ]; do
	tries=$((tries + 1))
	bundle_head "$T_TMP/big.mvb" "$T_TMP/part.mvb" $((10 + tries * CHUNK))
	"$MV" --home "$H" import "$T_TMP/part.mvb" >/dev/null 2>&1 &
	pid=$!
	sleep_ms "$(rand_ms "$span")"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ $? -eq 137 ] && kills=$((kills + 1))
	after_kill "import kill $kills"
done
echo "  import: $kills kills in $tries tries (delays up to $span ms)"
check_eq "at least $IMPORT_KILLS imports killed" "$([ "$kills" -ge "$IMPORT_KILLS" ] && echo yes)" yes

tkills=0; k=0
while [ "$k" -lt "$TUI_KILLS" ]; do
	k=$((k + 1))
	s="k$k"
	tui_start "$s" 100 30 --home "$H" --as bob
	if tui_wait "$s" "bob · " 50; then
		tui_keys "$s" 2 s
		tui_type "$s" "0.0001"
		tui_keys "$s" Enter
		tui_type "$s" "kill $k"
		tui_keys "$s" Enter y
		sleep_ms "$(rand_ms 500)"
		pid=$(tui_pid "$s")
		if [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; then tkills=$((tkills + 1)); fi
	fi
	tui_tmux kill-session -t "$s" >/dev/null 2>&1
	after_kill "TUI kill $tkills"
done
echo "  TUI: $tkills kills in $TUI_KILLS starts"
check_eq "at least $((TUI_KILLS * 2 / 3)) TUIs killed" "$([ "$tkills" -ge $((TUI_KILLS * 2 / 3)) ] && echo yes)" yes

touch "$STOP"; wait "$WPID"; WPID=""
check_eq "integrity_check ok and the log never shrank after every kill" "$bad" 0
accepted=$(wc -l <"$IDS" | tr -d ' ')
lost=$(python3 - "$H/mentalverse.db" "$IDS" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
have = {r[0].hex() for r in db.execute("SELECT id FROM log_ops")}
print(sum(1 for l in open(sys.argv[2]) if l.strip() and l.strip() not in have))
PY
)
echo "  writer: $accepted ops accepted while killing"
check_eq "writer made progress" "$([ "$accepted" -gt 20 ] && echo yes)" yes
check_eq "no accepted op lost" "$lost" 0
check "a last import completes" "$MV" --home "$H" import "$T_TMP/big.mvb"
missing=$(python3 - "$H/mentalverse.db" "$T_TMP/big.mvb" <<'PY'
import hashlib, sqlite3, sys
have = {r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT id FROM log_ops")}
data = open(sys.argv[2], "rb").read()
def varint(p):
	v = shift = 0
	while True:
		b = data[p]; p += 1
		v |= (b & 0x7f) << shift; shift += 7
		if b < 0x80:
			return v, p
count, p = varint(4); miss = 0
for _ in range(count):
	n, p = varint(p)
	miss += hashlib.blake2b(data[p:p + n], digest_size=32).digest() not in have
	p += n
print(miss)
PY
)
check_eq "every op of the bundle arrived" "$missing" 0
check "verify passes" "$MV" --home "$H" verify
t_end
