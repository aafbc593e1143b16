#!/bin/sh
# t_people_tui.sh - the people screens of the terminal app through tmux, at
# 80x24 and 132x43, each size on its own demo network: a fresh identity is
# offered Join on Home and joins as a patient (its private profile shown to
# it only on request); a council member approves the pending license from
# the review queue (the second signature verifies the therapist); a
# guardian sees the recovery on Home and approves it, after which the lost
# key is retired and the new one acts as the account.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
t_begin people_tui
trap tui_stop EXIT

# Go to the navigation entry titled $2 (its digit, or a click past 9).
nav_to() {
	line=$(tui_screen "$1" | grep -n -E "^[ ▸][0-9]+ $2" | head -n 1)
	num=$(echo "$line" | sed -E 's/^[0-9]+:.([0-9]+) .*/\1/')
	if [ -z "$line" ]; then
		echo "  (no '$2' in the navigation of $1)"
	elif [ "$num" -le 9 ]; then
		tui_keys "$1" "$num"
	else
		tui_click "$1" 3 $(($(echo "$line" | cut -d: -f1) - 1))
	fi
}

run_size() {
	cols=$1 rows=$2 H="$T_TMP/demo$1"
	mvh() { "$MV" --home "$H" "$@"; }
	check "$cols: demo network" sh -c "'$MV' --home '$H' demo >/dev/null"

	# onboarding of a fresh identity
	mvh keygen fresh >/dev/null
	s="join$cols"
	tui_start "$s" "$cols" "$rows" --home "$H" --as fresh
	tui_check "$cols: unregistered identity is 'user'" "$s" "fresh · user"
	tui_check "$cols: Home offers to join" "$s" "Join the network"
	tui_keys "$s" j Enter
	tui_check "$cols: the Join screen" "$s" "Join MentalVerse"
	tui_check "$cols: role choice" "$s" "patient: I am looking for care"
	tui_type "$s" "Wren"
	tui_keys "$s" Tab
	tui_type "$s" "us-ca"
	tui_keys "$s" Tab Tab
	tui_type "$s" "Robin Wu, robin@example.org"
	tui_keys "$s" C-s
	tui_check "$cols: confirmation says what is public" "$s" "Everyone on"
	tui_keys "$s" y
	tui_check "$cols: joined" "$s" "welcome, Wren: you joined as patient"
	tui_check "$cols: role in the top bar" "$s" "fresh · patient"
	check_out "$cols: registered on the network" '^name +Wren$' mvh --as fresh show profile
	check_out "$cols: jurisdiction upper-cased" '^jurisdiction +US-CA$' mvh --as fresh show profile
	nav_to "$s" Profile
	tui_check "$cols: Profile shows the public record" "$s" "Wren · patient · US-CA"
	tui_check_not "$cols: private text hidden until asked" "$s" "Robin Wu"
	tui_keys "$s" Enter
	tui_check "$cols: Enter shows the private profile" "$s" "Robin Wu, robin@example.org"
	tui_keys "$s" Enter
	tui_check_not "$cols: Enter hides it again" "$s" "Robin Wu"
	tui_keys "$s" q
	check_eq "$cols: quits" "$(tui_exit_code "$s")" 0

	# council approval from the review queue
	s="council$cols"
	tui_start "$s" "$cols" "$rows" --home "$H" --as council-ben
	tui_check "$cols: council member" "$s" "council-ben · council"
	tui_check "$cols: Home says an application waits" "$s" "1 license application waits for the council"
	nav_to "$s" Verification
	tui_check "$cols: review queue" "$s" "Review queue"
	tui_check "$cols: the pending applicant, one signature" "$s" "therapist-noor +Noor Rahman .* ✓1 ✗0 of 2"
	tui_keys "$s" Enter
	tui_check "$cols: Enter opens the proof sealed to the council" "$s" "scan of license HCPC-PYL3321"
	tui_keys "$s" a
	tui_check "$cols: approval asks first" "$s" "Approve license"
	tui_keys "$s" y
	tui_check "$cols: second signature verifies" "$s" "therapist-noor: verified by the council"
	tui_check "$cols: queue empty" "$s" "Nothing waits for the council"
	check_out "$cols: verified on the network" '^status +active' mvh show verification therapist-noor
	tui_keys "$s" q
	check_eq "$cols: quits" "$(tui_exit_code "$s")" 0

	# a guardian approves a recovery
	mvh keygen sam-phone >/dev/null
	mvh --as patient-kai op recovery.approve account=patient-sam new_key=sam-phone >/dev/null
	s="guard$cols"
	tui_start "$s" "$cols" "$rows" --home "$H" --as member-dana
	tui_check "$cols: Home tells the guardian" "$s" "patient-sam asks its guardians to recover it"
	nav_to "$s" Recovery
	tui_check "$cols: the pending recovery" "$s" "recover +patient-sam → key [0-9a-f]+… · 1 of 2"
	tui_keys "$s" a
	tui_check "$cols: approval warns to check with the owner" "$s" "Approve recovery"
	tui_keys "$s" y
	tui_check "$cols: recovery complete" "$s" "recovery complete: patient-sam"
	tui_check_not "$cols: nothing pending" "$s" "recover +patient-sam"
	check_out "$cols: old key retired" 'rejected: key retired by account recovery' mvh --as patient-sam op ledger.transfer to=patient-kai amount=1
	check_out "$cols: new key acts as the account" ' applied$' mvh --as sam-phone op ledger.transfer to=patient-kai amount=1
	tui_keys "$s" q
	check_eq "$cols: quits" "$(tui_exit_code "$s")" 0
}

run_size 80 24
run_size 132 43

t_end
