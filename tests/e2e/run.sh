#!/bin/sh
# run.sh - run every tests/e2e/t_*.sh and print "e2e: N passed, N failed"
# over all checks. A file that dies without recording a failure counts as
# one failure. Files run E2E_JOBS at a time (default 2, the CI machine's
# cores): each has its own scratch dirs, free ports and tmux server, and its
# output is printed whole when it ends. E2E_ONLY=PATTERN picks files.
set -u
cd "$(dirname "$0")/../.."
E2E_RESULTS=$(mktemp); export E2E_RESULTS
logs=$(mktemp -d)
jobs=${E2E_JOBS:-2}
# Longest first, so the slow ones don't start last.
order="t_import_crash t_sync_kill t_fault_kill"

# Run one file: its checks append to $E2E_RESULTS with its name as the tag.
run_one() {
	t=$1; log=$logs/$(basename "$t").log
	start=$(date +%s)
	if timeout 600 sh "$t" >"$log" 2>&1; then rc=0; else rc=$?; fi
	if [ "$rc" -ne 0 ] && ! grep -q "FAIL" "$log"; then
		echo "fail $t: test file exited with $rc" >>"$E2E_RESULTS"
	fi
	{ echo "-- $t ($(($(date +%s) - start)) s)"; cat "$log"; } >"$log.done"
}

files=""
for first in $order; do
	[ -f "tests/e2e/$first.sh" ] && files="$files tests/e2e/$first.sh"
done
for t in tests/e2e/t_*.sh; do
	case " $files " in *" $t "*) continue ;; esac
	files="$files $t"
done

running=0
for t in $files; do
	[ -f "$t" ] || continue
	[ -n "${E2E_ONLY:-}" ] && case "$t" in *"$E2E_ONLY"*) ;; *) continue ;; esac
	run_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait_one=1
		while [ "$wait_one" -eq 1 ]; do
			for d in "$logs"/*.done; do
				[ -f "$d" ] || continue
				cat "$d"; rm -f "$d"; running=$((running - 1)); wait_one=0
			done
			[ "$wait_one" -eq 1 ] && sleep 1
		done
	fi
done
wait
for d in "$logs"/*.done; do
	[ -f "$d" ] && cat "$d"
done
rm -rf "$logs"
pass=$(grep -c '^pass' "$E2E_RESULTS")
fail=$(grep -c '^fail' "$E2E_RESULTS")
rm -f "$E2E_RESULTS"
echo "e2e: $pass passed, $fail failed"
[ -n "${MV_SUMMARY:-}" ] && echo "$pass $fail" >>"$MV_SUMMARY"
[ "$fail" -eq 0 ]
