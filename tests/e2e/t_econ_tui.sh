#!/bin/sh
# t_econ_tui.sh - the economy screens end to end through tmux at 80x24 and
# 132x43, on a copy of the demo per size: the Staking screen lists the demo
# stakes, the unlocked one is unstaked after a confirmation, a locked one
# cannot be unstaked, claiming pays, the stake form previews the unlock date
# and rewards and refuses below the minimum, staking 25 MVT for 180 days
# shows the new position; Home and Wallet show the rewards the demo's
# history paid (sessions, community, staking); council-ben signs the demo's
# pending treasury spend and
# sees it paid (and member-eli's balance grows by it); the Reputation screen
# shows the trust and its components.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
t_begin econ_tui
trap tui_stop EXIT
DEMO="$T_TMP/demo"
"$MV" --home "$DEMO" demo >"$T_TMP/demo.log" 2>&1
check_out "demo has a pending treasury spend" 'signed 1 of 2 \(council-ana\)' "$MV" --home "$DEMO" show treasury

# Go to the screen titled $2 in session $1 through the navigation (the
# position depends on the role), then focus it.

staking() {
	s=$1 H=$2
	tui_start "$s" "$cols" "$rows" --home "$H" --as member-dana
	tui_check "$s: opens on Home" "$s" "Hello, member-dana"
	tui_check "$s: Home shows rewards received" "$s" "rewards received [0-9.,]+ MVT"
	tui_keys "$s" 2
	tui_check "$s: Wallet shows rewards received" "$s" "rewards received [0-9.,]+ MVT in 4 payouts"
	tui_goto "$s" Staking
	tui_check "$s: Staking sums the demo stakes" "$s" "Staked 150 MVT in 2 stakes"
	tui_check "$s: the 30-day stake, unlocked" "$s" " 50 MVT +30 d .* unlocked "
	tui_check "$s: the 365-day stake" "$s" " 100 MVT +365 d "
	tui_keys "$s" u
	tui_check "$s: the unlocked stake: unstake asks first" "$s" "Confirm unstake"
	tui_check "$s: and names the stake" "$s" "Unstake 50 MVT \(30 days, unlocked"
	tui_keys "$s" y
	tui_check "$s: unstaked" "$s" "unstaked: 50 MVT and its rewards are back in your wallet"
	tui_check "$s: one stake left" "$s" "Staked 100 MVT in 1 stake"
	tui_check "$s: the unstaked position" "$s" " 50 MVT +30 d .* unstaked"
	check_out "$s: the CLI sees it unstaked" 'member-dana: 1 open \(100 MVT staked\), 1 unstaked' \
		"$MV" --home "$H" --as member-dana show stakes
	# the selection follows the unstaked stake, now listed after the open one
	tui_keys "$s" Up u
	tui_check "$s: a locked stake cannot be unstaked" "$s" "locked until .*claim rewards with"
	tui_keys "$s" '$'
	tui_check "$s: claim pays the stake's rewards" "$s" "claimed [0-9.,]+ MVT of rewards"

	# the form: below the minimum is refused in the preview
	tui_keys "$s" n
	tui_check "$s: the stake form opens" "$s" "Stake MVT"
	tui_type "$s" "0.5"
	tui_check "$s: below the minimum is refused" "$s" "✗ below the minimum stake of 1 MVT"
	tui_keys "$s" Escape
	tui_check "$s: discarding asks first" "$s" "Discard stake"
	tui_keys "$s" y
	tui_check "$s: back to the positions" "$s" "Positions"

	# stake 25 MVT for 180 days
	tui_keys "$s" n
	tui_type "$s" "25"
	tui_check "$s: preview shows the unlock date" "$s" "Unlocks 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]+ \(in 90 d\)"
	tui_check "$s: preview estimates rewards" "$s" "Rewards ~[0-9.,]+ MVT/day"
	tui_keys "$s" Tab Right
	tui_check "$s: 180 days weigh 1.5x" "$s" "180 days · weight 1.50x"
	tui_check "$s: preview follows the lock" "$s" "\(in 180 d\)"
	tui_keys "$s" Enter
	tui_check "$s: confirmation" "$s" "Confirm stake"
	tui_check "$s: confirmation names the lock" "$s" "Stake 25 MVT for 180"
	tui_keys "$s" y
	tui_check "$s: staked" "$s" "staked 25 MVT for 180 days"
	tui_check "$s: the new position" "$s" " 25 MVT +180 d "
	tui_check "$s: the sum follows" "$s" "Staked 125 MVT in 2 stakes"
	check_out "$s: the CLI sees the new stake" '25 MVT +180 d' "$MV" --home "$H" --as member-dana show stakes
	tui_keys "$s" q
	check_eq "$s: q ends the app" "$(tui_exit_code "$s")" 0
}

treasury() {
	s=$1 H=$2
	eli0=$("$MV" --home "$H" --json show balance member-eli | python3 -c 'import json,sys; print(json.load(sys.stdin)["amount"])')
	tui_start "$s" "$cols" "$rows" --home "$H" --as council-ben
	tui_check "$s: acting as council-ben" "$s" "council-ben · council"
	tui_goto "$s" Treasury
	tui_check "$s: Treasury balance" "$s" "Balance [0-9,.]+ MVT"
	tui_check "$s: balance chart" "$s" "[▁▂▃▄▅▆▇█]{8}"
	tui_check "$s: chart caption" "$s" "balance from .* to now"
	tui_check "$s: one pending spend" "$s" "Council spends · 1 pending"
	tui_check "$s: the pending spend" "$s" "250 MVT → member-eli +1 of 2 signed"
	tui_check "$s: who signed" "$s" "signed by council-ana"
	tui_keys "$s" a
	tui_check "$s: sign asks first" "$s" "Sign treasury spend"
	tui_check "$s: and says it pays" "$s" "completes it"
	tui_keys "$s" y
	tui_check "$s: signed and paid" "$s" "signed: the treasury paid 250 MVT to member-eli"
	tui_check "$s: the spend shows paid" "$s" "250 MVT → member-eli +paid"
	tui_check "$s: both signers" "$s" "signed by council-ana, council-ben"
	eli1=$("$MV" --home "$H" --json show balance member-eli | python3 -c 'import json,sys; print(json.load(sys.stdin)["amount"])')
	check_eq "$s: member-eli received 250 MVT" "$((eli1 - eli0))" 25000000000
	tui_keys "$s" a
	tui_check "$s: a paid spend cannot be signed" "$s" "only a pending spend can be signed"

	tui_goto "$s" Reputation
	tui_check "$s: Reputation shows the trust" "$s" "Trust [0-9]+ / 1000"
	tui_check "$s: reliability component" "$s" "Reliability"
	tui_check "$s: care not counted yet" "$s" "not counted until someone rates"
	tui_check "$s: why" "$s" "Why: [0-9]+ events?"
	tui_keys "$s" q
	check_eq "$s: q ends the app" "$(tui_exit_code "$s")" 0
}

for size in 80x24 132x43; do
	cols=${size%x*} rows=${size#*x}
	H="$T_TMP/h$cols"
	cp -r "$DEMO" "$H"
	staking "st$cols" "$H"
	treasury "tr$cols" "$H"
done

tui_stop
t_end
