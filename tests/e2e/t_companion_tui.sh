#!/bin/sh
# t_companion_tui.sh - the Companion screen through tmux on the demo
# network, at 80x24 and 120x40: the not-a-clinician line is on screen in
# every mode; a check-in (mood chosen with the arrows, tags, a note) shows
# as today's check-in and in the chart; a guided thought record is saved
# step by step; a crisis phrase in a check-in saves it and then opens the
# crisis screen with a word on why (Esc returns), while "kill time" does
# not; a crisis phrase in another screen's form (Profile's private
# profile) opens it too; sharing with the demo therapist names who reads
# what before the confirmation, and the therapist reads the check-ins
# through the CLI and sees the chart on the Clients screen.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
t_begin companion_tui
trap tui_stop EXIT
H="$T_TMP/demo"
"$MV" --home "$H" demo >"$T_TMP/demo.log" 2>&1
check_out "demo: therapist-maya confirmed a session of patient-sam" 'confirmed.* patient-sam' \
	"$MV" --home "$H" --as therapist-maya show sessions
checkins() {
	"$MV" --home "$H" --as patient-sam --json companion history | python3 -c 'import json,sys; print(json.load(sys.stdin)["stats"]["count"])'
}

run_patient() {
	s=$1
	tui_start "$s" "$2" "$3" --home "$H" --as patient-sam
	tui_check "$s: opens as the patient" "$s" "patient-sam · patient"
	if tui_nav_to "$s" "│ Companion"; then _t_record pass "$s: Companion in the navigation"
	else _tui_fail "$s: Companion in the navigation" "$s"; fi
	tui_check "$s: not a clinician, on screen" "$s" "Not a clinician\\."
	tui_check "$s: how to reach crisis help" "$s" "press ! for crisis lines"
	tui_check "$s: the key bar" "$s" "i Check in +n Thought +s Share"

	# a check-in: 8/10 (a digit picks the mood, arrows step), tags, a note
	before=$(checkins)
	tui_keys "$s" i
	tui_check "$s: check-in form" "$s" "Check in: how is your mood today"
	tui_check "$s: the statement stays in the form" "$s" "Not a clinician"
	tui_type "$s" "6"
	tui_check "$s: a digit picks the mood" "$s" "6 · okay"
	tui_keys "$s" Right Right
	tui_check "$s: arrows step" "$s" "8 · good"
	tui_keys "$s" Tab
	tui_type "$s" "sleep, friends"
	tui_keys "$s" Tab
	tui_type "$s" "lunch with Ana by the river"
	tui_keys "$s" Enter
	tui_check "$s: saved" "$s" "check-in saved: 8/10"
	tui_check "$s: today's check-in" "$s" "Today: 8/10 · sleep,friends · lunch with Ana"
	tui_check "$s: the chart" "$s" "Mood, last 30 days · [0-9]+ check-ins?"
	tui_check "$s: the chart's bars" "$s" "█"
	tui_check "$s: the entry in the list" "$s" "mood +8 +sleep,friends"
	check_eq "$s: one more check-in in the store" "$(checkins)" "$((before + 1))"
	tui_keys "$s" v
	tui_check "$s: 90 days" "$s" "Mood, last 90 days"
	tui_keys "$s" v

	# a guided thought record
	tui_keys "$s" n
	tui_check "$s: thought record, step by step" "$s" "1 Situation"
	tui_check "$s: the first question" "$s" "What happened\? Where, when"
	tui_type "$s" "Presentation at work"
	tui_keys "$s" Enter
	tui_check "$s: step 2 asks for the thought" "$s" "What went through your mind"
	tui_type "$s" "Everyone saw me fail"
	tui_keys "$s" Enter
	tui_type "$s" "ashamed"
	tui_keys "$s" Enter Enter
	tui_type "$s" "I stumbled twice"
	tui_keys "$s" Enter
	tui_type "$s" "Two colleagues thanked me"
	tui_keys "$s" Enter
	tui_type "$s" "I was nervous and still got through it"
	tui_keys "$s" Enter
	tui_check "$s: last step, re-rate" "$s" "How strong now\?"
	tui_keys "$s" Left Left Enter
	tui_check "$s: thought record saved" "$s" "thought record saved on this device: 70% -> 20%"
	tui_check "$s: listed" "$s" "thought +ashamed 70%→20% · Everyone saw me"

	# ordinary words: no crisis screen
	tui_keys "$s" i
	tui_check "$s: check-in form again" "$s" "Check in: how is your mood"
	tui_keys "$s" Tab Tab
	tui_type "$s" "had to kill time at the station"
	tui_keys "$s" Enter
	tui_check "$s: saved" "$s" "check-in saved"
	tui_check_not "$s: no crisis screen for 'kill time'" "$s" "Crisis resources"

	# a crisis phrase: saved first, then the crisis screen
	before=$(checkins)
	tui_keys "$s" i
	tui_check "$s: check-in form once more" "$s" "Check in: how is your mood"
	tui_type "$s" "1"
	tui_check "$s: mood 1" "$s" "1 · very low"
	tui_keys "$s" Tab Tab
	tui_type "$s" "I want to end my life"
	tui_keys "$s" Enter
	tui_check "$s: crisis words open the crisis screen" "$s" "Crisis resources"
	tui_check "$s: it says why, and that the text was kept" "$s" "What you wrote was kept"
	tui_check "$s: crisis lines" "$s" "988 +United States"
	check_eq "$s: the check-in was saved anyway" "$(checkins)" "$((before + 1))"
	tui_keys "$s" Escape
	tui_check "$s: Esc returns to the Companion" "$s" "Today: 1/10"
	tui_keys "$s" "!"
	tui_check "$s: ! opens it without the reason" "$s" "Crisis resources"
	tui_check_not "$s: no reason when opened by hand" "$s" "What you wrote was kept"
	tui_keys "$s" Escape

	# share with the therapist: who reads what, before confirming
	tui_check "$s: back on the Companion" "$s" "│ Companion"
	tui_keys "$s" s
	tui_check "$s: share form" "$s" "Share check-ins with your therapist"
	tui_check "$s: the care team's therapist" "$s" "therapist-maya"
	tui_keys "$s" Enter Enter
	tui_check "$s: confirmation names the reader" "$s" "therapist-maya will be able to"
	tui_check "$s: ... and what" "$s" "scores, tags and notes"
	tui_keys "$s" y
	tui_check "$s: shared" "$s" "therapist-maya can now read [0-9]+ check-in"
	tui_keys "$s" q
}

run_patient p80 80 24
check_out "the therapist reads the check-ins (CLI)" 'lunch with Ana by the river' \
	"$MV" --home "$H" --as therapist-maya companion shared patient-sam
check_out "another therapist reads nothing" 'no mood check-ins shared' \
	"$MV" --home "$H" --as therapist-lin companion shared
tui_tmux kill-session -t p80

run_patient p120 120 40
# a crisis phrase in another screen's form: Profile's private profile
s=prof
tui_start "$s" 120 40 --home "$H" --as patient-sam
tui_check "$s: opens" "$s" "patient-sam · patient"
if tui_nav_to "$s" "│ Profile"; then _t_record pass "$s: Profile in the navigation"
else _tui_fail "$s: Profile in the navigation" "$s"; fi
tui_keys "$s" e
if tui_wait "$s" "│ Edit profile" 30; then
	_t_record pass "$s: the profile form"
	tui_keys "$s" Tab Tab Tab Tab
	tui_type "$s" "some days I think about suicide"
	tui_keys "$s" C-s
	tui_check "$s: the screen's own confirmation comes first" "$s" "Update profile"
	tui_keys "$s" y
	tui_check "$s: a form elsewhere opens the crisis screen" "$s" "Crisis resources"
	tui_check "$s: ... saying the text was kept" "$s" "What you wrote was kept"
	check_out "$s: ... after the private profile was saved" 'suicide' \
		"$MV" --home "$H" --as patient-sam show profile
else
	_tui_fail "$s: the profile form" "$s"
fi
tui_keys "$s" q
tui_tmux kill-session -t prof

# the therapist's Clients screen shows the shared chart
s=ther
tui_start "$s" 120 40 --home "$H" --as therapist-maya
tui_check "$s: opens as the therapist" "$s" "therapist-maya · therapist"
if tui_nav_to "$s" "│ Clients"; then _t_record pass "$s: Clients in the navigation"
else _tui_fail "$s: Clients in the navigation" "$s"; fi
i=0
while [ "$i" -lt 4 ] && ! tui_wait "$s" "Sparrow \(patient-sam\)" 5; do tui_keys "$s" Down; i=$((i + 1)); done
tui_check "$s: the shared mood" "$s" "Mood shared with you · [0-9]+ check-ins"
tui_check "$s: the latest check-in" "$s" "latest .*: 1/10"
tui_keys "$s" q
tui_exit_code "$s" >/dev/null
tui_stop
t_end
