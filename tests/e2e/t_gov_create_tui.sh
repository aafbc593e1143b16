#!/bin/sh
# t_gov_create_tui.sh - writing proposals on the Proposals screen through
# tmux at 100x32 on the demo, as member-dana:
#  - n opens the form; Esc on an untouched form closes it, on a filled one
#    asks first, and neither signs anything (the log does not grow);
#  - checks as you type: an unknown account, an amount with 9 decimals, a
#    parameter value out of its bounds, an action of another kind after the
#    kind changed, and an eleventh action (gov_max_actions) are refused in
#    the form, before signing;
#  - a platform param proposal with two param.set actions: the review shows
#    both actions described and when voting opens and ends; dana is below
#    the proposal threshold, so the contract refuses it and the refusal
#    shows verbatim in the form, which keeps everything; after dana stakes
#    (CLI) the same form is sent, the new proposal is selected as pending
#    with its countdown, and the CLI shows it with both actions in order;
#  - a group proposal (group.rule and group.moderator) for dana's group,
#    active at once, checked through the CLI.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
t_begin gov_create_tui
trap tui_stop EXIT
DEMO="$T_TMP/demo"
"$MV" --home "$DEMO" demo >"$T_TMP/demo.log" 2>&1
mvd() { "$MV" --home "$DEMO" "$@"; }
nlog() { mvd log | wc -l | tr -d ' '; }
pyjson() {
	code=$1; shift
	"$@" | python3 -c "import json,sys; d=json.load(sys.stdin); $code"
}
MAX=$(mvd --json show params | python3 -c 'import json,sys; print([p["value"] for p in json.load(sys.stdin)["params"] if p["name"]=="gov_max_actions"][0])')


# Press KEY until the choice field shows "‹ TEXT" (bounded).
choose() {
	i=0
	while [ "$i" -lt 80 ]; do
		if tui_screen "$s" | grep -qF "‹ $1"; then return 0; fi
		tui_keys "$s" "$2"
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

s=pc
tui_start "$s" 100 32 --home "$DEMO" --as member-dana
tui_check "opens on Home" "$s" "Hello, member-dana"
check "the Proposals screen is in member-dana's navigation" tui_goto "$s" Proposals
tui_check "the key bar offers n Propose" "$s" " n Propose "

# --- Escape sends nothing ---------------------------------------------------------
before=$(nlog)
tui_keys "$s" n
tui_check "n opens the form" "$s" "New proposal"
tui_check "with the platform and a kind to choose" "$s" "Kind +‹ param: change network parameters ›"
tui_keys "$s" Escape
tui_check "Esc closes an untouched form at once" "$s" "a for · x against"
tui_keys "$s" n Tab
tui_type "$s" "Something I will not send"
tui_keys "$s" Escape
tui_check "Esc on a filled form asks first" "$s" "Close the form and lose what you typed"
tui_keys "$s" Enter
tui_check "and discards it" "$s" "a for · x against"
check_eq "nothing was signed" "$(nlog)" "$before"

# --- checks in the form -------------------------------------------------------------
tui_keys "$s" n Right
tui_check "the kind becomes treasury" "$s" "‹ treasury: pay MVT from the treasury ›"
tui_keys "$s" Tab
tui_type "$s" "A grant"
tui_keys "$s" Tab Tab
tui_check "Tab leads to the actions list" "$s" "\+ add an action \(n\)"
tui_keys "$s" n
tui_check "n opens an action of the proposal's kind" "$s" "Type +‹ treasury.pay: pay MVT from the treasury ›"
tui_type "$s" "nobody"
tui_keys "$s" Tab
tui_check "an unknown account is refused as the cursor leaves it" "$s" "✗ unknown account 'nobody'"
tui_keys "$s" BTab C-u
tui_type "$s" "member-eli"
tui_keys "$s" Tab
tui_type "$s" "1.123456789"
tui_keys "$s" Tab
tui_check "an amount with 9 decimals is refused" "$s" "✗ invalid amount '1.123456789': too many decimals"
tui_keys "$s" BTab C-u
tui_type "$s" "12.5"
tui_keys "$s" Tab
tui_type "$s" "a clinic grant"
tui_keys "$s" Enter
tui_check "the action is added, described" "$s" " 1\. treasury\.pay +pay 12\.5 MVT from the treasury to member-eli"
tui_keys "$s" Tab Tab Left
tui_check "the kind goes back to param" "$s" "‹ param: change network parameters ›"
tui_check "the treasury action is marked as not of this kind" "$s" "✗ not a param action: treasury.pay"
tui_keys "$s" C-s
tui_check "^S refuses the mix before signing" "$s" "✗ action 1: treasury.pay does not belong in a param proposal"
tui_check "the list has the focus on it" "$s" " d Remove "
tui_keys "$s" d
tui_check "d removes the action" "$s" "Actions \(0 of at most $MAX\)"
na=0 # (tui_wait uses i)
while [ "$na" -lt "$MAX" ]; do
	tui_keys "$s" n
	tui_wait "$s" "Action $((na + 1)) of at most $MAX" || break
	tui_keys "$s" Tab
	tui_type "$s" "1"
	tui_keys "$s" Enter
	tui_wait "$s" "Actions \($((na + 1)) of at most $MAX\)" || break
	na=$((na + 1))
done
tui_check "the form holds $MAX actions" "$s" "Actions \($MAX of at most $MAX\)"
tui_keys "$s" n
tui_check "one more is refused" "$s" "✗ at most $MAX actions in a proposal \(gov_max_actions\)"
tui_keys "$s" Escape Enter
tui_check "discarded" "$s" "a for · x against"
check_eq "still nothing signed" "$(nlog)" "$before"

# --- a platform proposal with two typed actions --------------------------------------
tui_keys "$s" n Tab
tui_type "$s" "Raise the quorum, lengthen voting"
tui_keys "$s" Tab
tui_type "$s" "Two parameter changes"
tui_keys "$s" Tab n
tui_check "a param action" "$s" "Type +‹ param.set: change a network parameter ›"
check "the parameter is chosen from the network's list" choose "gov_quorum_bp (" g
tui_keys "$s" Tab
tui_type "$s" "20000"
tui_keys "$s" Enter
tui_check "a value out of the parameter's bounds is refused" "$s" "✗ parameter gov_quorum_bp must be within 1\.\.10000"
tui_keys "$s" C-u
tui_type "$s" "500"
tui_keys "$s" Enter
tui_check "action 1" "$s" " 1\. param\.set +set parameter gov_quorum_bp to 500"
tui_keys "$s" n
check "a second parameter" choose "gov_voting_period (" g
tui_keys "$s" Tab
tui_type "$s" "864000000"
tui_keys "$s" Enter
tui_check "action 2" "$s" " 2\. param\.set +set parameter gov_voting_period to 864000000"
tui_keys "$s" C-s
tui_check "^S shows the review" "$s" "Review before signing"
tui_check "with both actions described" "$s" "2\. param\.set +set parameter gov_voting_period to 864000000"
tui_check "and when voting opens and ends" "$s" "Voting opens [0-9-]+ [0-9:]+ UTC \(in [^)]+\) and ends [0-9-]+ [0-9:]+ UTC"
tui_keys "$s" Escape
tui_check "Esc goes back to the form, still filled" "$s" "Title +Raise the quorum, lengthen voting"
tui_keys "$s" C-s
tui_check "review again" "$s" "Review before signing"
tui_keys "$s" y
tui_check "the contract's refusal shows verbatim in the form" "$s" "refused by the network: below the proposal threshold"
tui_check "the form keeps the title" "$s" "Title +Raise the quorum, lengthen voting"
tui_check "and the actions" "$s" " 2\. param\.set +set parameter gov_voting_period to 864000000"
check_out "the founder sends dana MVT (CLI)" ' applied$' mvd --as founder op ledger.transfer to=member-dana amount=5000
check_out "dana stakes enough to propose (CLI)" 'applied' mvd --as member-dana stake 4000 30
tui_keys "$s" C-s
tui_check "review once more" "$s" "Review before signing"
tui_keys "$s" y
tui_check "the new proposal is selected, pending with its countdown" "$s" "pending +param .*Raise the quorum.*voting opens in"
tui_check "its detail lists both actions" "$s" "action 2: param\.set +set parameter gov_voting_period to 864000000"
tui_check "the toast says when voting opens" "$s" "proposal sent: pending, voting opens in"
P=$(mvd --json show proposals | python3 -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin) if p["title"]=="Raise the quorum, lengthen voting"][0])')
check "the CLI shows it: param, pending, two actions in order, by member-dana" pyjson \
	'a=d["actions"]; assert d["kind"]=="param" and d["state"]=="pending" and d["proposer_label"]=="member-dana" and [x["type"] for x in a]==["param.set","param.set"] and a[0]["text"].endswith("gov_quorum_bp to 500") and a[1]["text"].endswith("gov_voting_period to 864000000"), d' \
	mvd --json show proposal "$P"
check_out "with its description" 'Two parameter changes' mvd show proposal "$P"

# --- execute and withdraw from the list --------------------------------------------------
tui_keys "$s" E
tui_check "E on a pending proposal says why it cannot run yet" "$s" "only a succeeded proposal waiting in its timelock can be executed \(this one is pending\)"
tui_keys "$s" W
tui_check "W asks before withdrawing" "$s" 'Withdraw "Raise the quorum'
tui_keys "$s" Enter
tui_check "the proposal is withdrawn" "$s" "canceled +param .*Raise the quorum"
check "the CLI shows it canceled" pyjson 'assert d["state"]=="canceled", d["state"]' mvd --json show proposal "$P"

# --- a group proposal ---------------------------------------------------------------------
tui_keys "$s" n BTab
check "the scope can be dana's group" choose "group: Sleep and anxiety circle" Right
tui_check "a group proposal's kind is group" "$s" "‹ group: decide about the group ›"
tui_keys "$s" Tab Tab
tui_type "$s" "A weekly check-in and a new moderator"
tui_keys "$s" Tab Tab n
check "a group.rule action" choose "group.rule:" Right
tui_keys "$s" Tab Tab Tab
tui_type "$s" "Check in every Thursday."
tui_keys "$s" C-s
tui_check "group.rule added" "$s" " 1\. group\.rule +group rules: charter changed"
tui_keys "$s" n
check "a group.moderator action" choose "group.moderator:" Right
tui_keys "$s" Tab
tui_type "$s" "member-eli"
tui_keys "$s" Enter Enter
tui_check "group.moderator added, naming the member" "$s" " 2\. group\.moderator +make member-eli \([0-9a-f]{12}\) as moderator"
tui_keys "$s" C-s
tui_check "the review names the group" "$s" "A group proposal of Sleep and anxiety circle"
tui_keys "$s" y
tui_check "the group proposal is selected, active at once" "$s" "active +group .*A weekly check-in and a n.*voting ends in"
G=$(mvd --json show proposals | python3 -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin) if p["title"]=="A weekly check-in and a new moderator"][0])')
check "the CLI shows the group proposal with both actions" pyjson \
	'a=d["actions"]; assert d["kind"]=="group" and d["state"]=="active" and [x["type"] for x in a]==["group.rule","group.moderator"], d' \
	mvd --json show proposal "$G"
tui_keys "$s" q
tui_stop
t_end
