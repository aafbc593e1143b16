#!/bin/sh
# t_tui.sh - the terminal app end to end, driven through tmux at 80x24 and
# 132x43: every screen opens, switching identity takes one key, sending MVT
# from the Wallet changes the balance by amount + fee, a rejected transfer
# is a message (the app stays up), `!` opens from inside a form and Esc
# returns to it with the input kept, resizing mid-form (down to "terminal
# too small" and back) keeps the form, q asks before dropping unsaved
# input, and q / SIGTERM end the app with the terminal restored.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
t_begin tui
trap tui_stop EXIT
H="$T_TMP/demo"

# The demo network (or, if `demo` is not available, a small one by hand).
if ! "$MV" --home "$H" demo >"$T_TMP/demo.log" 2>&1; then
	rm -rf "$H"
	"$MV" --home "$H" init e2e-net >/dev/null 2>&1
	for who in patient-sam therapist-maya member-dana; do
		"$MV" --home "$H" keygen "$who" >/dev/null 2>&1
		"$MV" --home "$H" --as founder op ledger.transfer to="$who" amount=200 >/dev/null 2>&1
	done
fi
check_out "demo home has a patient" "patient-" "$MV" --home "$H" ids

# base units of a decimal MVT amount ("1,234.5" -> 123450000000)
units() {
	echo "$1" | tr -d , | awk -F. '{ f = $2; while (length(f) < 8) f = f "0"; printf "%.0f\n", $1 * 100000000 + f }'
}
balance_on_screen() {
	tui_screen "$1" | sed -n 's/.*Balance \([0-9,.]*\) MVT.*/\1/p' | head -n 1
}
fee_bp=$("$MV" --home "$H" show params | awk '$1 == "fee_transfer_bp" { print $2 }')

run_size() {
	cols=$1 rows=$2 s="s$1"
	tui_start "$s" "$cols" "$rows" --home "$H" --as patient-sam
	tui_check "$s: opens on Home" "$s" "Hello, patient-sam"
	tui_check "$s: top bar shows identity and role" "$s" "patient-sam · patient"
	tui_check "$s: top bar shows offline and unsent ops" "$s" "offline.*↑[0-9]+"
	tui_check "$s: key bar shows crisis" "$s" "! Crisis"

	# every screen of the navigation
	tui_keys "$s" 2
	tui_check "$s: Wallet" "$s" "Balance [0-9,.]+ MVT"
	tui_check "$s: Wallet history" "$s" "welcome grant|from "
	tui_keys "$s" 3
	tui_check "$s: Activity lists the log" "$s" "✓ [a-z]+\.[a-z_]+"
	tui_keys "$s" Enter
	tui_check "$s: Activity details" "$s" "by .* · seq [0-9]+"
	tui_keys "$s" Enter
	tui_keys "$s" 4
	tui_check "$s: Identities" "$s" "therapist-"
	tui_keys "$s" 5
	tui_check "$s: Help" "$s" "Everywhere"
	tui_keys "$s" 6
	tui_check "$s: Crisis lines" "$s" "116 123"
	tui_check "$s: Crisis 988" "$s" "988"
	tui_check "$s: not an emergency service" "$s" "not an emergency"
	tui_keys "$s" 1
	tui_check "$s: back Home" "$s" "Hello, patient-sam"

	# one key switches identity by role, and back
	tui_keys "$s" t
	tui_check "$s: t acts as a therapist" "$s" "therapist-[a-z]+ · therapist"
	tui_keys "$s" m
	tui_check "$s: m acts as a DAO member" "$s" "member-[a-z]+ · (member|patient)"
	tui_keys "$s" 4 p
	tui_check "$s: p acts as a patient" "$s" "patient-[a-z]+ · patient"
	tui_keys "$s" 4 /
	tui_type "$s" "patient-sam"
	tui_keys "$s" Enter Enter
	tui_check "$s: Enter on a row switches" "$s" "patient-sam · patient"
	tui_keys "$s" Escape

	# help for the current screen
	tui_keys "$s" 2 '?'
	tui_check "$s: ? shows help for Wallet" "$s" "Help · Wallet"
	tui_keys "$s" Escape
	tui_check "$s: Esc leaves help" "$s" "Balance [0-9,.]+ MVT"

	# send MVT and see the balance change by amount + fee
	before=$(balance_on_screen "$s")
	tui_keys "$s" s
	tui_check "$s: send form" "$s" "Send MVT"
	tui_type "$s" "1.5"
	tui_check "$s: fee shown" "$s" "Fee 0.0015 MVT|Fee [0-9.]+ MVT"
	tui_keys "$s" Enter
	tui_type "$s" "e2e $cols"
	tui_keys "$s" Enter
	tui_check "$s: confirmation" "$s" "Confirm transfer"
	tui_keys "$s" y
	tui_check "$s: sent message" "$s" "sent 1.5 MVT"
	tui_wait "$s" "History" >/dev/null
	after=$(balance_on_screen "$s")
	expect=$(( $(units "$before") - 150000000 - 150000000 * fee_bp / 10000 ))
	check_eq "$s: balance fell by amount + fee" "$(units "$after")" "$expect"
	cli=$("$MV" --home "$H" show balance patient-sam | sed 's/ MVT//')
	check_eq "$s: TUI balance equals the store" "$(units "$after")" "$(units "$cli")"
	tui_check "$s: history shows the memo" "$s" "e2e $cols"

	# a rejected transfer is a message, the app stays
	tui_keys "$s" s
	tui_type "$s" "99999999"
	tui_keys "$s" C-s
	tui_check "$s: confirmation for too much" "$s" "Confirm transfer"
	tui_keys "$s" y
	tui_check "$s: rejection shown" "$s" "rejected: insufficient funds"
	tui_check "$s: still running after a rejection" "$s" "Balance [0-9,.]+ MVT"

	# ! from inside the form, Esc back with the input kept
	tui_keys "$s" C-u
	tui_type "$s" "2"
	tui_keys "$s" '!'
	tui_check "$s: ! from a form opens crisis" "$s" "116 123"
	tui_keys "$s" Escape
	tui_check "$s: Esc returns to the form" "$s" "Amount +2( |$)"

	# resize mid-form, down to too small and back
	tui_resize "$s" 60 18
	tui_check "$s: form survives a resize" "$s" "Send MVT"
	tui_resize "$s" 30 8
	tui_check "$s: tiny terminal says so" "$s" "Terminal too small"
	tui_resize "$s" "$cols" "$rows"
	tui_check "$s: form back after resize" "$s" "Amount +2( |$)"

	# q asks because the form has input; Esc keeps the app
	tui_keys "$s" q
	tui_check "$s: q asks about unsaved input" "$s" "Unsaved input"
	tui_keys "$s" Escape
	tui_check_not "$s: Esc on the question keeps the app" "$s" "app ended"
	tui_keys "$s" q
	tui_check "$s: q asks again" "$s" "Unsaved input"
	tui_keys "$s" y
	check_eq "$s: quits with status 0" "$(tui_exit_code "$s")" 0
	tui_check "$s: terminal restored (alternate screen left)" "$s" "app ended"
	tui_check_not "$s: no UI left on the screen" "$s" "MentalVerse ▸"
}

run_size 80 24
run_size 132 43

# Activity filter and order on the larger size.
tui_start f 132 43 --home "$H" --as patient-sam
tui_check "filter: app up" f "Hello, patient-sam"
tui_keys f 3 /
tui_type f "rejected"
tui_check "filter: rejected ops shown" f "insufficient funds"
tui_check_not "filter: applied ops hidden" f "✓ ledger"
tui_keys f Enter Escape
tui_check "filter: Esc clears it" f "✓ ledger"
tui_keys f o
tui_check "filter: o flips the order" f "oldest first"
tui_keys f q
check_eq "filter: q quits at once without unsaved input" "$(tui_exit_code f)" 0

# Mouse: a click on a navigation entry opens it, a click on a row selects it.
tui_start mouse 100 30 --home "$H" --as patient-sam
tui_check "mouse: app up" mouse "Hello, patient-sam"
y=$(tui_screen mouse | grep -n " 4 Identities" | head -n 1 | cut -d: -f1)
tui_click mouse 3 $((y - 1))
tui_check "mouse: click on the navigation" mouse "Enter acts as the selected identity"
y=$(tui_screen mouse | grep -n "therapist-lin" | head -n 1 | cut -d: -f1)
tui_click mouse 30 $((y - 1))
tui_keys mouse Enter
tui_check "mouse: click selects a row" mouse "therapist-lin · therapist"
tui_keys mouse q
check_eq "mouse: quits" "$(tui_exit_code mouse)" 0

# SIGTERM ends the app and restores the terminal.
tui_start sig 80 24 --home "$H"
tui_check "signal: app up" sig "MentalVerse ▸"
pid=$(tui_pid sig)
[ -n "$pid" ] && kill -TERM "$pid"
check_eq "signal: SIGTERM ends it (128+15)" "$(tui_exit_code sig)" 143
tui_check_not "signal: terminal restored" sig "MentalVerse ▸"

# The terminal goes away under a session leader that keeps SIGHUP to itself
# (as `make run` does): reads fail, and the app must end instead of spinning.
HUPSOCK="mv-e2e-hup-$$"
tmux -L "$HUPSOCK" -f /dev/null new-session -d -s hup -x 80 -y 24 \
	"sh -c 'trap \"\" HUP; env TERM=xterm-256color LANG=C.UTF-8 HOME=$T_TMP \"$MV\" --home \"$H\" --as patient-sam; echo \$? >\"$T_TMP/hup.rc\"'"
i=0; while [ "$i" -lt 50 ] && ! tmux -L "$HUPSOCK" capture-pane -p -t hup 2>/dev/null | grep -q "Hello, patient-sam"; do sleep 0.1; i=$((i + 1)); done
check "hangup: app up" sh -c "tmux -L '$HUPSOCK' capture-pane -p -t hup | grep -q 'Hello, patient-sam'"
tmux -L "$HUPSOCK" kill-server
i=0; while [ "$i" -lt 100 ] && [ ! -s "$T_TMP/hup.rc" ]; do sleep 0.1; i=$((i + 1)); done
check_eq "hangup: the app ends (128+SIGHUP) instead of spinning" "$(cat "$T_TMP/hup.rc" 2>/dev/null)" 129

# NO_COLOR still gives a complete screen.
NO_COLOR=1 tui_start mono 80 24 --home "$H" --as patient-sam
tui_check "NO_COLOR: screen complete" mono "Hello, patient-sam"
tui_keys mono q
check_eq "NO_COLOR: quits" "$(tui_exit_code mono)" 0

t_end
