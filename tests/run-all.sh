#!/bin/sh
# run-all.sh - everything `make test` runs: cmocka unit tests, the e2e shell
# tests (CLI, multi-node sync on 127.0.0.1, TUI through tmux), every fuzz
# target for a few seconds on its corpus (tests/fuzz/smoke.sh) and the unit
# tests again under ASan+UBSan. Ends with one "N passed, N failed" line.
set -u
cd "$(dirname "$0")/.."
MV_SUMMARY=$(mktemp); export MV_SUMMARY
status=0
echo "== unit tests"
sh tests/run-unit.sh build/tests || status=1
echo "== e2e tests"
sh tests/e2e/run.sh || status=1
echo "== fuzz targets on their corpus"
sh tests/fuzz/smoke.sh || status=1
echo "== unit tests under ASan+UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	sh tests/run-unit.sh build/asan/tests || status=1
total=$(awk '{p+=$1; f+=$2} END {print p+0, f+0}' "$MV_SUMMARY")
rm -f "$MV_SUMMARY"
set -- $total
echo "== all: $1 passed, $2 failed"
echo "$1 passed, $2 failed"
[ "$2" -eq 0 ] && [ "$status" -eq 0 ]
