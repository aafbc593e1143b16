#!/bin/sh
# bench_sync.sh - sync of BENCH_SYNC_N (100000) ops between two nodes over
# HTTPS on 127.0.0.1, against the local ingest rate of the same bundle in the
# same run:
#   1. local: `mentalverse import` of the bundle into an empty home (this is
#      the ingest limit: decode, verify, store, apply);
#   2. sync: that home serves; a second, empty home runs `init --join` from it
#      (info, pages of /v1/ops/since, import of each page, state root check).
# Prints machine-readable lines:
#   local_ops_per_s=  sync_ops_per_s=  sync_bytes_per_op=  sync_ratio=
# sync_bytes_per_op counts HTTP bytes both ways (headers and bodies, not TLS
# framing). The goal is sync_ratio >= 0.7 (docs/benchmarks.md).
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
MV=${MV:-$ROOT/mentalverse}
N=${BENCH_SYNC_N:-100000}
GEN=$ROOT/build/bench/gen_bundle
export MENTALVERSE_PASSPHRASE="" LANG=C.UTF-8 LC_ALL=C.UTF-8
unset MENTALVERSE_HOME XDG_DATA_HOME
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mv-bench-sync.XXXXXX")
SPID=""
cleanup() { [ -n "$SPID" ] && kill -KILL "$SPID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM

[ -x "$GEN" ] || make -s build/bench/gen_bundle >/dev/null || exit 1
now_ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }
"$GEN" "$TMP/gen" "$TMP/b.mvb" "$N" >/dev/null || { echo "bench_sync: gen_bundle failed"; exit 1; }
OPS=$((N + 1))

t0=$(now_ms)
"$MV" --home "$TMP/src" import "$TMP/b.mvb" >/dev/null || { echo "bench_sync: import failed"; exit 1; }
t1=$(now_ms)
local_ms=$((t1 - t0))

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ADDR=$("$MV" --home "$TMP/src" address --listen "127.0.0.1:$PORT")
"$MV" --home "$TMP/src" serve --interval 3600 >"$TMP/serve.log" 2>&1 &
SPID=$!
n=0
until curl -skf --max-time 2 --pinnedpubkey "${ADDR#*#}" "https://127.0.0.1:$PORT/v1/info" >/dev/null 2>&1; do
	n=$((n + 1)); [ $n -gt 100 ] && { echo "bench_sync: server did not start"; cat "$TMP/serve.log"; exit 1; }
	sleep 0.1
done

t0=$(now_ms)
out=$("$MV" --home "$TMP/dst" --json init --join "$ADDR") || { echo "bench_sync: join failed: $out"; exit 1; }
t1=$(now_ms)
sync_ms=$((t1 - t0))
bytes=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sync"]["bytes"])')
r1=$("$MV" --home "$TMP/src" state-root); r2=$("$MV" --home "$TMP/dst" state-root)
[ "$r1" = "$r2" ] || { echo "bench_sync: state roots differ"; exit 1; }

python3 - "$OPS" "$local_ms" "$sync_ms" "$bytes" <<'EOF'
import sys
ops, local_ms, sync_ms, nbytes = (int(x) for x in sys.argv[1:])
local = ops * 1000.0 / max(local_ms, 1)
sync = ops * 1000.0 / max(sync_ms, 1)
print("ops=%d local_ms=%d sync_ms=%d" % (ops, local_ms, sync_ms))
print("local_ops_per_s=%.0f" % local)
print("sync_ops_per_s=%.0f" % sync)
print("sync_bytes_per_op=%.1f" % (nbytes / ops))
print("sync_ratio=%.2f" % (sync / local))
EOF
