#!/bin/sh
# run.sh - `make bench`: every benchmark, each printing ratios against a limit
# measured in the same run. Results and how to read them: docs/benchmarks.md.
# BENCH_N sets the op count of the core benchmark (default 100000).
set -u
cd "$(dirname "$0")/../.."
status=0
for b in build/bench/bench_*; do
	[ -x "$b" ] || continue
	case "$b" in *.d|*.o) continue ;; esac
	echo "== $(basename "$b")"
	case "$(basename "$b")" in
	bench_core) "$b" "${BENCH_N:-100000}" || status=1 ;;
	*) "$b" || status=1 ;;
	esac
done
for s in tests/bench/bench_*.sh; do
	[ -f "$s" ] || continue
	echo "== $(basename "$s")"
	sh "$s" || status=1
done
exit $status
