#!/bin/sh
# smoke.sh - the fuzz pass of `make test`: build every libFuzzer target
# (`make fuzz-build`, clang with ASan+UBSan) and run each for
# FUZZ_SMOKE_SECONDS (3) seconds: every input of its kept corpus
# tests/fuzz/corpus/NAME (the seeds, the grown corpus and the regression
# inputs of past findings) first, then fresh mutations. New inputs go to a
# scratch directory, never into the tree. Prints one line per target and
# "fuzz smoke: N passed, N failed"; appends "N N" to $MV_SUMMARY if set.
# Without clang it says so and counts nothing.
set -u
cd "$(dirname "$0")/../.." || exit 1
secs=${FUZZ_SMOKE_SECONDS:-3}
if ! command -v clang >/dev/null; then
	echo "fuzz smoke: skipped, clang not found (apt-get install clang)"
	exit 0
fi
mkdir -p build
if ! make -s -j"${MV_MAKE_JOBS:-1}" fuzz-build >build/fuzz-build.log 2>&1; then
	cat build/fuzz-build.log; rm -f build/fuzz-build.log
	echo "fuzz smoke: 0 passed, 1 failed (build)"
	[ -n "${MV_SUMMARY:-}" ] && echo "0 1" >>"$MV_SUMMARY"
	exit 1
fi
rm -f build/fuzz-build.log
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mv-fuzz-smoke.XXXXXX")
pass=0; fail=0
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c); t=${name#fuzz_}
	mkdir -p "$scratch/$t"
	log=$scratch/$t.log
	if build/fuzz/"$name" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$scratch/crash-$t-" "$scratch/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
		runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log")
		echo "ok   $name ($(ls "tests/fuzz/corpus/$t" | wc -l) corpus inputs, ${runs:-?} runs)"
		pass=$((pass + 1))
	else
		echo "FAIL $name"
		tail -n 40 "$log"
		for c in "$scratch"/crash-"$t"-*; do
			[ -f "$c" ] && { mkdir -p build/fuzz; cp "$c" build/fuzz/; echo "  input kept: build/fuzz/$(basename "$c")"; }
		done
		fail=$((fail + 1))
	fi
done
rm -rf "$scratch"
echo "fuzz smoke: $pass passed, $fail failed"
[ -n "${MV_SUMMARY:-}" ] && echo "$pass $fail" >>"$MV_SUMMARY"
[ "$fail" -eq 0 ]
