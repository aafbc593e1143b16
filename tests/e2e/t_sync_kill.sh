#!/bin/sh
# t_sync_kill.sh - SIGKILL in the middle of sync, MV_KILLS times (20), on
# both ends: the victim node V either pulls from the source S (`sync`, the
# client is killed) or serves while S pushes to it (`serve`, the server is
# killed mid-import). After every kill V's store passes integrity_check and
# holds at least the ops it held before (nothing lost); every few kills
# `verify` passes. At the end a plain sync completes: V holds every op of S,
# the same state root, and verify passes on both. When V has caught up it
# is reset to a small prefix of S's log so there is always something to kill.
# Tunables: MV_KILL_OPS (20000), MV_KILLS (20), MV_KILL_PREFIX (200).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/netlib.sh"
t_begin sync_kill

OPS=${MV_KILL_OPS:-20000}
KILLS=${MV_KILLS:-20}
PREFIX=${MV_KILL_PREFIX:-200}
GEN=${MV_GEN_BUNDLE:-$ROOT/build/bench/gen_bundle}
S=$(node_home 1); V=$(node_home 2)
if [ ! -x "$GEN" ] || [ "$ROOT/tests/bench/gen_bundle.c" -nt "$GEN" ]; then
	make -s -C "$ROOT" build/bench/gen_bundle >/dev/null
fi
check "generate $OPS ops" "$GEN" "$T_TMP/gen" "$T_TMP/all.mvb" "$OPS"
TOTAL=$((OPS + 1))
python3 - "$T_TMP/all.mvb" "$T_TMP/prefix.mvb" "$PREFIX" <<'EOF'
import sys
def varint(d, i):
    v = s = 0
    while True:
        b = d[i]; i += 1; v |= (b & 0x7f) << s; s += 7
        if b < 0x80: return v, i
def enc(v):
    out = bytearray()
    while True:
        b = v & 0x7f; v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v: return bytes(out)
d = open(sys.argv[1], "rb").read(); n = int(sys.argv[3])
count, i = varint(d, 4); ops = []
for _ in range(n):
    ln, j = varint(d, i); ops.append(d[i:j + ln]); i = j + ln
open(sys.argv[2], "wb").write(b"MVB1" + enc(n) + b"".join(ops))
EOF
check "the source imports everything" "$MV" --home "$S" import "$T_TMP/all.mvb"
node_port 1; node_port 2
node_start 1 || exit 1
AS=$(node_addr 1)

reset_victim() {
	rm -rf "$V"
	"$MV" --home "$V" import "$T_TMP/prefix.mvb" >/dev/null 2>&1 || echo "  reset failed"
}
count_ops() { # ops in a home's log, after an integrity check
	python3 - "$1/mentalverse.db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
ok = db.execute("PRAGMA integrity_check").fetchall()
if ok != [("ok",)]:
    print("corrupt"); sys.exit(1)
print(db.execute("SELECT count(*) FROM log_ops").fetchone()[0])
EOF
}
reset_victim

kills=0; tries=0; bad=0; lost=0; verified=0; resets=0
while [ $kills -lt "$KILLS" ] && [ $tries -lt $((KILLS * 4)) ]; do
	tries=$((tries + 1))
	have=$(count_ops "$V")
	if [ "$have" = "$TOTAL" ]; then reset_victim; resets=$((resets + 1)); have=$PREFIX; fi
	delay=$(python3 -c "import random; print(round(random.uniform(0.05, 2.5), 3))")
	if [ $((tries % 2)) = 0 ]; then # kill the pulling client
		"$MV" --home "$V" sync "$AS" >/dev/null 2>&1 &
		pid=$!
		sleep "$delay"
		kill -KILL $pid 2>/dev/null && kills=$((kills + 1))
		wait $pid 2>/dev/null
	else # kill the serving node while the source pushes to it
		if ! node_start 2 --interval 3600 >/dev/null; then
			bad=$((bad + 1)); tail -n 3 "$T_TMP/n2.log"; node_kill 2; continue
		fi
		"$MV" --home "$S" sync "$(node_addr 2)" >/dev/null 2>&1 &
		pusher=$!
		sleep "$delay"
		if kill -0 $pusher 2>/dev/null && kill -0 "$(node_pid 2)" 2>/dev/null; then
			kills=$((kills + 1))
		fi
		node_kill 2
		kill -KILL $pusher 2>/dev/null; wait $pusher 2>/dev/null
	fi
	now=$(count_ops "$V") || { bad=$((bad + 1)); echo "  integrity_check failed after kill $kills"; continue; }
	[ "$now" -lt "$have" ] && { lost=$((lost + 1)); echo "  ops lost: $have -> $now"; }
	if [ $((tries % 5)) = 0 ]; then
		"$MV" --home "$V" verify >/dev/null 2>&1 && verified=$((verified + 1)) ||
			{ bad=$((bad + 1)); echo "  verify failed after kill $kills"; }
	fi
done
check_eq "killed mid-sync at least $KILLS times" "$([ $kills -ge "$KILLS" ] && echo yes)" yes
check_eq "the store survived every kill (integrity, verify)" "$bad" 0
check_eq "no kill lost an op" "$lost" 0
check_eq "verify ran between kills" "$([ $verified -gt 0 ] && echo yes)" yes
echo "  ($kills kills in $tries tries, $resets resets, $verified verifies)"

n=0
while [ "$(count_ops "$V")" != "$TOTAL" ] && [ $n -lt 10 ]; do
	"$MV" --home "$V" sync "$AS" >/dev/null 2>&1; n=$((n + 1))
done
check_eq "a last sync completes: every op is there" "$(count_ops "$V")" "$TOTAL"
check_eq "same state root as the source" "$("$MV" --home "$V" state-root)" "$("$MV" --home "$S" state-root)"
check "verify passes on the victim" "$MV" --home "$V" verify
check_eq "the source lost nothing" "$(count_ops "$S")" "$TOTAL"
check "verify passes on the source" "$MV" --home "$S" verify
node_stop 1
t_end
