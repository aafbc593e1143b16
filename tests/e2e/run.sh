#!/bin/sh
# run.sh - run every tests/e2e/t_*.sh and print "e2e: N passed, N failed"
# over all checks. A file that dies without recording counts as one failure.
set -u
cd "$(dirname "$0")/../.."
E2E_RESULTS=$(mktemp); export E2E_RESULTS
files=0; dead=0
for t in tests/e2e/t_*.sh; do
	[ -f "$t" ] || continue
	[ -n "${E2E_ONLY:-}" ] && case "$t" in *"$E2E_ONLY"*) ;; *) continue ;; esac
	files=$((files + 1))
	echo "-- $t"
	before=$(wc -l <"$E2E_RESULTS")
	if ! timeout 600 sh "$t"; then
		after=$(wc -l <"$E2E_RESULTS")
		if [ "$after" -eq "$before" ] || ! tail -n $((after - before)) "$E2E_RESULTS" | grep -q '^fail'; then
			echo "fail $t: test file exited non-zero" >>"$E2E_RESULTS"; dead=$((dead + 1))
		fi
	fi
done
pass=$(grep -c '^pass' "$E2E_RESULTS")
fail=$(grep -c '^fail' "$E2E_RESULTS")
rm -f "$E2E_RESULTS"
echo "e2e: $pass passed, $fail failed"
[ -n "${MV_SUMMARY:-}" ] && echo "$pass $fail" >>"$MV_SUMMARY"
[ "$fail" -eq 0 ]
