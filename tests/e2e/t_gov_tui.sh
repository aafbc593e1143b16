#!/bin/sh
# t_gov_tui.sh - voting from the Proposals screen through tmux at 100x32 on
# the demo: member-dana opens Proposals, sees the demo's active group
# proposal with its countdown, votes for it in a few keys (a, then Enter on
# the confirmation), sees her vote in the list and the tally, changes it to
# against (x), and the CLI agrees; Escape on the confirmation changes
# nothing; she votes on the demo's active platform proposal with her
# staking power, and voting stays open. On the DAO screen she reads the demo group's posts and writes
# one that another member reads.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
t_begin gov_tui
trap tui_stop EXIT
DEMO="$T_TMP/demo"
"$MV" --home "$DEMO" demo >"$T_TMP/demo.log" 2>&1
check_out "the demo has an active proposal" 'active +group +Meet weekly' "$MV" --home "$DEMO" show proposals


s=gv
tui_start "$s" 100 32 --home "$DEMO" --as member-dana
tui_check "opens on Home" "$s" "Hello, member-dana"
check "the Proposals screen is in member-dana's navigation" tui_goto "$s" Proposals
tui_check "the proposal is listed as active with its countdown" "$s" "active +group .*Meet weekly.*voting ends in"
tui_check "the detail shows the action" "$s" "action 1: group.rule"
tui_keys "$s" a
tui_check "a asks for confirmation" "$s" "Vote for on \"Meet weekly"
tui_keys "$s" Escape
sleep 0.3
tui_check_not "Escape votes nothing" "$s" "Meet weekly.*you: for"
tui_keys "$s" a
tui_check "a asks again" "$s" "Vote for on \"Meet weekly"
tui_keys "$s" Enter
tui_check "the vote shows in the list" "$s" "Meet weekly.*you: for"
tui_check "and in the tally" "$s" "for +█+ 1 vote"
check_out "the CLI sees dana's vote" 'member-dana +for +1 vote' "$MV" --home "$DEMO" show proposal \
	"$("$MV" --home "$DEMO" --json show proposals | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
tui_keys "$s" x
tui_check "x asks to vote against, replacing the vote" "$s" "This replaces your earlier vote"
tui_keys "$s" Enter
tui_check "the changed vote shows" "$s" "Meet weekly.*you: against"

# --- the demo's active platform proposal: stake-weighted, in a few keys
tui_keys "$s" Down
tui_check "the platform proposal's detail" "$s" "Reward patients 2 MVT per completed session +\(param, by council-ben\)"
tui_keys "$s" a
tui_check "a asks to vote on it" "$s" "Vote for on \"Reward patients 2 MVT"
tui_keys "$s" Enter
tui_check "dana's vote on the platform proposal" "$s" "Reward patients 2 MVT.*you: for"
tui_check "counted with her staking power" "$s" "member-dana +for +[0-9.]+ MVT"
tui_check "and voting stays open" "$s" "Reward patients 2 MVT.*voting ends in"

# --- delegation from the Proposals screen: dana to eli, then eli to dana is a cycle
check_out "eli delegates to dana through the CLI" ' applied$' "$MV" --home "$DEMO" --as member-eli delegate member-dana
tui_keys "$s" e
tui_check "e opens the delegation form" "$s" "Delegate your voting power"
tui_type "$s" "member-eli"
tui_keys "$s" Enter
tui_check "a delegation cycle is refused with the reason" "$s" "cycle"
tui_keys "$s" Escape
tui_check "the form closes" "$s" "e delegate"
check_out "eli undelegates" ' applied$' "$MV" --home "$DEMO" --as member-eli undelegate
tui_keys "$s" e
tui_type "$s" "member-eli"
tui_keys "$s" Enter
tui_check "now dana's delegation to eli is applied" "$s" "You delegate your voting power to member-eli"

# --- the DAO screen: read the group's posts and write one ----------------------
check "the DAO screen is in the navigation" tui_goto "$s" DAO
tui_check "the demo group is listed with dana as a member" "$s" "Sleep and anxiety circle +invite +3 members +4 posts +moderator"
tui_check "posts are opened for a member" "$s" "Breathing 4-7-8 before bed"
tui_keys "$s" n
tui_check "n opens the post form" "$s" "Post to Sleep and anxiety circle"
tui_type "$s" "See you all on Thursday"
tui_keys "$s" Enter
tui_check "the post is confirmed first" "$s" "Post to Sleep and anxiety circle as member-dana"
tui_keys "$s" Enter
tui_check "the post is sent" "$s" "posted \(encrypted"
tui_check "and shows in the group" "$s" "  See you all on Thursday"
check_out "another member reads it through the CLI" '^    See you all on Thursday$' \
	"$MV" --home "$DEMO" --as member-eli show group "Sleep and anxiety circle"
tui_keys "$s" q
tui_stop
t_end
