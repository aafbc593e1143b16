#!/bin/sh
# run-unit.sh DIR - run every cmocka test binary in DIR, print each binary's
# result and a closing "N passed, N failed" line over all test cases.
# If MV_SUMMARY is set, "passed failed" is appended to that file.
set -u
dir=$1
pass=0; fail=0
for t in "$dir"/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.d|*.o) continue ;; esac
	name=$(basename "$t")
	out=$(mktemp)
	if (cd "$(dirname "$0")/.." && "$t") >"$out" 2>&1; then rc=0; else rc=$?; fi
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	pass=$((pass + p)); fail=$((fail + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name ($p passed, $f failed, exit $rc)"
		cat "$out"
	else
		echo "ok   $name ($p passed)"
	fi
	rm -f "$out"
done
echo "unit: $pass passed, $fail failed"
[ -n "${MV_SUMMARY:-}" ] && echo "$pass $fail" >>"$MV_SUMMARY"
[ "$fail" -eq 0 ]
