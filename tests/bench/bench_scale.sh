#!/bin/sh
# bench_scale.sh - a home with BENCH_SCALE_N (1 000 000) ops built through
# the real pipeline, and what it costs to live with it (issue 9, "Scale"):
#   1. gen_bundle signs N ledger.transfer ops (plus genesis) of one network;
#   2. the bundle is cut into pages of BENCH_SCALE_PAGE (50 000) ops and each
#      page is imported with `mentalverse import` (decode, verify, store,
#      apply: what a sync page or a USB import does), one process per page;
#   3. the TUI on that home: first frame and key-to-frame p50/p99
#      (build/bench/bench_tui, 132x43 pseudo-terminal, every screen);
#   4. `mentalverse verify` (replay of the whole log, compare roots);
#   5. disk size per op (database after a WAL checkpoint);
#   6. peak RSS of each process (/usr/bin/time -v; max over the imports);
#   7. the node serving it: /v1/info and /v1/ops/since pages (HTTPS).
# Prints name=value lines and "goal ... ok|MISSED" lines for the issue's
# goals: first frame < 200 ms, p99 key < 10 ms, RSS < 64 MiB (TUI, import of
# a page, verify). Exit 0 when it ran (goals are reported, not enforced).
# BENCH_SCALE_DIR=DIR keeps the home there (reused if it already holds a
# network: steps 1-2 are skipped); BENCH_SCALE_VERIFY=0 skips step 4.
# Takes about 20 minutes on 2 shared cores for 1M ops.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
MV=${MV:-$ROOT/mentalverse}
N=${BENCH_SCALE_N:-1000000}
PAGE=${BENCH_SCALE_PAGE:-50000}
GEN=$ROOT/build/bench/gen_bundle
TUI=$ROOT/build/bench/bench_tui
export MENTALVERSE_PASSPHRASE="" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
unset MENTALVERSE_HOME XDG_DATA_HOME
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mv-bench-scale.XXXXXX")
H=${BENCH_SCALE_DIR:-$TMP/home}
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT INT TERM

[ -x "$GEN" ] && [ -x "$TUI" ] || make -s build/bench/gen_bundle build/bench/bench_tui >/dev/null || exit 1
if [ ! -x /usr/bin/time ]; then
	echo "bench_scale: /usr/bin/time not found (apt-get install time)"; exit 1
fi
now_ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }
# rss_kb LOG: the "Maximum resident set size" of a /usr/bin/time -v log.
rss_kb() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

if [ ! -f "$H/mentalverse.db" ]; then
	t0=$(now_ms)
	"$GEN" "$TMP/gen" "$TMP/all.mvb" "$N" >/dev/null || { echo "bench_scale: gen_bundle failed"; exit 1; }
	t1=$(now_ms)
	echo "scale_gen_ms=$((t1 - t0))"
	# Cut the bundle into pages (page-00000.mvb, ...), streaming.
	python3 - "$TMP/all.mvb" "$TMP" "$PAGE" <<'PY' || exit 1
import sys
src, outdir, page = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, "rb").read()
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
k = 0
while count > 0:
	m = min(page, count); start = p
	for _ in range(m):
		n, p = varint(p); p += n
	open("%s/page-%05d.mvb" % (outdir, k), "wb").write(b"MVB1" + put(m) + data[start:p])
	count -= m; k += 1
PY
	rm -f "$TMP/all.mvb"
	rm -rf "$TMP/gen"
	t0=$(now_ms); max_rss=0; pages=0
	for f in "$TMP"/page-*.mvb; do
		/usr/bin/time -v "$MV" --home "$H" import "$f" >"$TMP/import.out" 2>"$TMP/import.time" ||
			{ echo "bench_scale: import of $f failed"; cat "$TMP/import.out" "$TMP/import.time"; exit 1; }
		r=$(rss_kb "$TMP/import.time"); [ "$r" -gt "$max_rss" ] && max_rss=$r
		pages=$((pages + 1)); rm -f "$f"
		[ $((pages % 5)) -eq 0 ] && echo "  imported $pages pages ($(( $(now_ms) - t0 )) ms)" >&2
	done
	t1=$(now_ms)
	echo "scale_import_pages=$pages"
	echo "scale_import_ms=$((t1 - t0))"
	echo "scale_import_ops_per_s=$(awk -v n="$((N + 1))" -v ms="$((t1 - t0))" 'BEGIN { printf "%.0f", n * 1000 / ms }')"
	echo "scale_import_rss_mib=$(mib "$max_rss")"
	IMPORT_RSS=$max_rss
else
	IMPORT_RSS=0
fi

ops=$(python3 - "$H/mentalverse.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
print(db.execute("SELECT count(*) FROM log_ops").fetchone()[0])
PY
)
bytes=$(du -b "$H/mentalverse.db" | cut -f1)
echo "scale_ops=$ops"
echo "scale_db_bytes=$bytes"
echo "scale_bytes_per_op=$(awk -v b="$bytes" -v n="$ops" 'BEGIN { printf "%.1f", b / n }')"

/usr/bin/time -v "$TUI" "$H" >"$TMP/tui.out" 2>"$TMP/tui.time" || { echo "bench_scale: bench_tui failed"; cat "$TMP/tui.time"; exit 1; }
first=$(sed -n 's/^tui_first_frame_ms=//p' "$TMP/tui.out")
p50=$(sed -n 's/^tui_key_p50_ms=//p' "$TMP/tui.out")
p99=$(sed -n 's/^tui_key_p99_ms=//p' "$TMP/tui.out")
kmax=$(sed -n 's/^tui_key_max_ms=//p' "$TMP/tui.out")
tui_rss=$(rss_kb "$TMP/tui.time")
echo "scale_tui_first_frame_ms=$first"
echo "scale_tui_key_p50_ms=$p50"
echo "scale_tui_key_p99_ms=$p99"
echo "scale_tui_key_max_ms=$kmax"
echo "scale_tui_rss_mib=$(mib "$tui_rss")"

verify_rss=0
if [ "${BENCH_SCALE_VERIFY:-1}" = 1 ]; then
t0=$(now_ms)
/usr/bin/time -v "$MV" --home "$H" verify >"$TMP/verify.out" 2>"$TMP/verify.time" ||
	{ echo "bench_scale: verify failed"; cat "$TMP/verify.out" "$TMP/verify.time"; }
t1=$(now_ms)
verify_rss=$(rss_kb "$TMP/verify.time")
echo "scale_verify_ms=$((t1 - t0))"
echo "scale_verify_rss_mib=$(mib "$verify_rss")"
fi

# 7. The node on that home: /v1/info and one page of /v1/ops/since for a
#    joining peer (empty vector) and for a peer that lacks nothing (our own
#    vector), each the median of 5 requests over HTTPS on 127.0.0.1.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$MV" --home "$H" address --listen "127.0.0.1:$PORT" >/dev/null
"$MV" --home "$H" serve --interval 3600 --limits rate=1000,burst=1000 >"$TMP/serve.log" 2>&1 &
SPID=$!
trap 'kill "$SPID" 2>/dev/null; cleanup' EXIT INT TERM
python3 - "$PORT" "$H/mentalverse.db" <<'PY' || echo "bench_scale: node requests failed"
import http.client, sqlite3, ssl, statistics, sys, time
port, dbpath = int(sys.argv[1]), sys.argv[2]
ctx = ssl._create_unverified_context()
def varint(v):
	out = bytearray()
	while True:
		b = v & 0x7f; v >>= 7
		out.append(b | (0x80 if v else 0))
		if not v:
			return bytes(out)
db = sqlite3.connect(dbpath)
rows = db.execute("SELECT author, max(seq) FROM log_ops GROUP BY author ORDER BY author").fetchall()
full = b"MVV1" + varint(len(rows)) + b"".join(a + varint(s) for a, s in rows)
def timed(method, path, body=None):
	for _ in range(100):
		try:
			c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=120)
			c.connect()
			break
		except OSError:
			time.sleep(0.1)
	ms = []
	size = 0
	for _ in range(5):
		t = time.time()
		c.request(method, path, body=body)
		r = c.getresponse(); data = r.read(); size = len(data)
		ms.append((time.time() - t) * 1000)
		if r.status != 200:
			sys.exit("%s %s: HTTP %d %s" % (method, path, r.status, data[:200]))
	return statistics.median(ms), size
info = timed("GET", "/v1/info")
join = timed("POST", "/v1/ops/since", b"MVV1\x00")
none = timed("POST", "/v1/ops/since", full)
print("scale_node_info_ms=%.1f" % info[0])
print("scale_node_page_join_ms=%.1f" % join[0])
print("scale_node_page_join_bytes=%d" % join[1])
print("scale_node_page_uptodate_ms=%.1f" % none[0])
PY
kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null

goal() { if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v < l) }'; then echo "goal $1: ok ($2)"; else echo "goal $1: MISSED ($2)"; fi; }
goal "first frame < 200 ms" "$first" 200
goal "p99 key-to-frame < 10 ms" "$p99" 10
goal "TUI RSS < 64 MiB" "$(mib "$tui_rss")" 64
[ "$IMPORT_RSS" -gt 0 ] && goal "import (one page) RSS < 64 MiB" "$(mib "$IMPORT_RSS")" 64
[ "$verify_rss" -gt 0 ] && goal "verify RSS < 64 MiB" "$(mib "$verify_rss")" 64
exit 0
