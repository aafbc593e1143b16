#!/bin/sh
# t_import_crash.sh - crash safety of import: SIGKILL `mentalverse import` of a
# large bundle at random moments (at least MV_CRASH_KILLS times). The victim
# home already holds the first quarter of the bundle (imported cleanly), so
# every check has something to lose. After every kill the store passes
# PRAGMA integrity_check (Python's sqlite3 module) and still holds at least
# that quarter; every few kills `mentalverse verify` passes. At the end a
# re-import completes, nothing is lost (every op in the log) and the state
# root equals that of a clean, uninterrupted import. The bundle comes from
# tests/bench/gen_bundle.c (built with the Makefile's build/bench/% rule).
# Tunables: MV_CRASH_OPS (20000), MV_CRASH_KILLS (30), MV_CRASH_VERIFY_EVERY (10).
# Kill delays are uniform over the first 3/4 of a clean import's duration.
. "$(dirname "$0")/lib.sh"
t_begin import_crash

OPS=${MV_CRASH_OPS:-20000}
KILLS=${MV_CRASH_KILLS:-30}
VERIFY_EVERY=${MV_CRASH_VERIFY_EVERY:-10}
GEN=${MV_GEN_BUNDLE:-$ROOT/build/bench/gen_bundle}
BUNDLE="$T_TMP/big.mvb"
H="$T_TMP/victim"

if [ ! -x "$GEN" ] || [ "$ROOT/tests/bench/gen_bundle.c" -nt "$GEN" ]; then
	make -s -C "$ROOT" build/bench/gen_bundle >/dev/null
fi
check "generate a bundle of $OPS transfers" "$GEN" "$T_TMP/gen" "$BUNDLE" "$OPS"
[ -s "$BUNDLE" ] || { echo "  no bundle: cannot go on"; t_end; exit 1; }
TOTAL=$((OPS + 1))

# The first M ops of a bundle as a bundle: bundle_head IN OUT M.
bundle_head() {
	python3 - "$@" <<'EOF'
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
assert data[:4] == b"MVB1"
count, p = varint(4)
m = min(int(sys.argv[3]), count)
start = p
for _ in range(m):
	n, p = varint(p); p += n
open(sys.argv[2], "wb").write(b"MVB1" + put(m) + data[start:p])
EOF
}
now_ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }
# PRAGMA integrity_check, and the number of ops in the log.
db_check() {
	python3 - "$1/mentalverse.db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ok = db.execute("PRAGMA integrity_check").fetchall()
if ok != [("ok",)]:
	sys.exit("integrity_check: %r" % ok)
print(db.execute("SELECT count(*) FROM log_ops").fetchone()[0])
EOF
}
# A random delay in seconds (3 decimals) below $1 milliseconds.
rand_delay() {
	r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	ms=$((r % $1 + 20))
	printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

# A clean import gives the reference root and the time the import takes.
t0=$(now_ms)
check "clean import" "$MV" --home "$T_TMP/clean" import "$BUNDLE"
t1=$(now_ms)
span=$(((t1 - t0) * 3 / 4))
[ "$span" -lt 200 ] && span=200
clean_root=$("$MV" --home "$T_TMP/clean" state-root)

# The victim starts from a home holding the first quarter of the bundle.
PREFIX=$((TOTAL / 4))
bundle_head "$BUNDLE" "$T_TMP/head.mvb" "$PREFIX"
check "import the first quarter" "$MV" --home "$T_TMP/base" import "$T_TMP/head.mvb"
cp -R "$T_TMP/base" "$H"

kills=0; tries=0; bad=0; verified=0; resets=0
while [ "$kills" -lt "$KILLS" ] && [ "$tries" -lt $((KILLS * 3)) ]; do
	tries=$((tries + 1))
	"$MV" --home "$H" import "$BUNDLE" >/dev/null 2>&1 &
	pid=$!
	sleep "$(rand_delay "$span")"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	killed=$?
	[ "$killed" -eq 137 ] && kills=$((kills + 1))
	if ! n=$(db_check "$H" 2>&1); then
		echo "  integrity check failed after kill $kills: $n"; bad=$((bad + 1)); continue
	fi
	if [ "$n" -lt "$PREFIX" ]; then
		echo "  kill $kills lost ops: $n in the log, had $PREFIX"; bad=$((bad + 1))
	fi
	if [ "$killed" -eq 137 ] && [ $((kills % VERIFY_EVERY)) -eq 0 ]; then
		verified=$((verified + 1))
		"$MV" --home "$H" verify >"$T_TMP/verify.out" 2>&1 ||
			{ echo "  verify failed after kill $kills:"; sed 's/^/    | /' "$T_TMP/verify.out"; bad=$((bad + 1)); }
	fi
	# A complete home leaves nothing to interrupt: start again from the quarter.
	if [ "$n" -eq "$TOTAL" ] && [ "$kills" -lt "$KILLS" ]; then
		rm -rf "$H"; cp -R "$T_TMP/base" "$H"; resets=$((resets + 1))
	fi
done
echo "  $kills kills in $tries tries (delays up to ${span} ms), $verified verifies, $resets fresh starts"
check_eq "at least $KILLS imports killed" "$([ "$kills" -ge "$KILLS" ] && echo yes)" yes
check_eq "integrity_check and nothing lost after every kill, verify every $VERIFY_EVERY" "$bad" 0

check "re-import completes" "$MV" --home "$H" import "$BUNDLE"
check_eq "nothing lost: every op in the log" "$(db_check "$H")" "$TOTAL"
check_eq "state root equals a clean import" "$("$MV" --home "$H" state-root)" "$clean_root"
check "verify passes at the end" "$MV" --home "$H" verify
check_out "a second re-import adds nothing" ' 0 new, ' "$MV" --home "$H" import "$BUNDLE"

t_end
