#!/bin/sh
# run.sh SECONDS [NAME...] - `make fuzz`: run libFuzzer targets (built by
# `make fuzz-build` from tests/fuzz/fuzz_NAME.c with clang and ASan+UBSan)
# one after the other, each for SECONDS seconds, starting from the seeds in
# tests/fuzz/corpus/NAME (read-only; new inputs go to build/fuzz/corpus/NAME).
# Without NAMEs every target runs. Crashes are saved as
# build/fuzz/crash-NAME-*; each target's log is build/fuzz/NAME.log.
# FUZZ_MERGE=1: afterwards, merge (-merge=1, minimizing) the grown corpus
# back into tests/fuzz/corpus/NAME, keeping only inputs that add coverage.
# FUZZ_JOBS is not used: one target at a time leaves a core for other work.
# Prints one line per target with executions, time, coverage and corpus
# size; the exit status is non-zero if any target fails to build or finds a
# bug.
set -u
secs=${1:-60}
[ $# -gt 0 ] && shift
cd "$(dirname "$0")/../.." || exit 1
if ! command -v clang >/dev/null; then
	echo "fuzz: clang not found (apt-get install clang)" >&2
	exit 1
fi
make -s fuzz-build || exit 1
out=build/fuzz
names=$*
if [ -z "$names" ]; then
	for src in tests/fuzz/fuzz_*.c; do
		n=$(basename "$src" .c); names="$names ${n#fuzz_}"
	done
fi
status=0
for t in $names; do
	bin=$out/fuzz_$t
	mkdir -p "$out/corpus/$t" "tests/fuzz/corpus/$t"
	log=$out/$t.log
	start=$(date +%s)
	if "$bin" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
		-print_final_stats=1 -artifact_prefix="$out/crash-$t-" \
		"$out/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
		runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log")
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
		echo "ok   fuzz_$t: ${runs:-?} runs in $(($(date +%s) - start)) s, $cov," \
			"corpus $(ls "$out/corpus/$t" | wc -l) grown + $(ls "tests/fuzz/corpus/$t" | wc -l) kept"
	else
		status=1
		echo "FAIL fuzz_$t (log: $log)"
		tail -n 40 "$log"
		continue
	fi
	if [ "${FUZZ_MERGE:-0}" = 1 ]; then
		before=$(ls "tests/fuzz/corpus/$t" | wc -l)
		"$bin" -merge=1 -max_len=4096 -timeout=10 "tests/fuzz/corpus/$t" "$out/corpus/$t" \
			>"$out/$t.merge.log" 2>&1 || { status=1; echo "FAIL merge fuzz_$t"; }
		echo "     merged: tests/fuzz/corpus/$t $before -> $(ls "tests/fuzz/corpus/$t" | wc -l) files"
	fi
done
[ "$status" -eq 0 ] && echo "fuzz: all targets clean" || echo "fuzz: FAILURES"
exit "$status"
