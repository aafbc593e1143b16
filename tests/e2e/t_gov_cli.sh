#!/bin/sh
# t_gov_cli.sh - governance and groups through the CLI: a text proposal, a
# param-change proposal with a typed action and one with two (--action
# twice), eleven actions, a mixed kind and a bad value refused before
# signing; a vote before voting opens refused (exit 3), a vote, a changed
# vote shown in the tally and the voters, a delegation cycle refused, undelegate; a group whose post is
# readable by a member, and a member removed after which the key rotates
# and later posts stay closed to them; an application group: apply,
# decline, approve (the key is shared), moderators appointed and stepping
# down, helpful marks by post id, leaving and the rotation after; compliance check, the compliance
# report and export-my-data; --json documents. The voting delay is 3 s
# (genesis) so the test stays short.
. "$(dirname "$0")/lib.sh"
t_begin gov_cli

H="$T_TMP/h"
mvh() { "$MV" --home "$H" "$@"; }
pyjson() {
	code=$1; shift
	"$@" | python3 -c "import json,sys; d=json.load(sys.stdin); $code"
}

mvh keygen ana >/dev/null
sed -e 's/^gov_voting_delay = .*/gov_voting_delay = 3s/' \
	-e 's/^gov_timelock = .*/gov_timelock = 5s/' \
	-e 's/^gov_proposal_threshold = .*/gov_proposal_threshold = 1 MVT/' \
	"$ROOT/assets/genesis.default" >"$T_TMP/genesis"
check "init with a 3 s voting delay" mvh init gov-net --genesis "$T_TMP/genesis"
for who in dana eli; do
	mvh keygen "$who" >/dev/null
	mvh op ledger.transfer to="$who" amount=500 >/dev/null
done
for who in ana dana eli; do
	mvh --as "$who" register --role patient --name "P-$who" --jurisdiction US >/dev/null
done
mvh stake 1000 30 >/dev/null
mvh --as dana stake 100 30 >/dev/null
mvh --as eli stake 100 30 >/dev/null

# --- proposals -------------------------------------------------------------------
check_out "a text proposal is applied" ' applied$' \
	mvh propose text "Adopt a code of conduct" --description "Be kind to each other."
check_out "a param proposal with a typed action" ' applied$' \
	mvh --as dana propose param "Raise the quorum" --action 'param.set name=gov_quorum_bp value=500'
check_out "an unknown action type is refused" 'unknown action type' \
	mvh --as eli propose param "Bad" --action 'param.frob name=x value=1'
P=$(mvh --json show proposals | python3 -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin) if p["kind"]=="text"][0])')
check_eq "the proposal id has 64 hex digits" "$(printf %s "$P" | wc -c | tr -d ' ')" 64
check_out "show proposals lists both as pending with a countdown" 'pending +param +Raise the quorum' mvh show proposals
check_out "the list says when voting opens" 'voting opens in [0-9]+s' mvh show proposals
Q=$(mvh --json show proposals | python3 -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin) if p["kind"]=="param"][0])')
check_out "the param proposal shows its action" 'param\.set' mvh show proposal "$Q"
check_out "several --action options make one proposal" ' applied$' \
	mvh --as eli propose param "Quorum and period" \
	--action 'param.set name=gov_quorum_bp value=450' \
	--action 'param.set name=gov_voting_period value=864000000'
R=$(mvh --json show proposals | python3 -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin) if p["title"]=="Quorum and period"][0])')
check "both actions are stored in order" pyjson \
	'a=d["actions"]; assert [x["type"] for x in a]==["param.set","param.set"] and "gov_quorum_bp to 450" in a[0]["text"] and "gov_voting_period to 864000000" in a[1]["text"], a' \
	mvh --json show proposal "$R"
n_ops=$(mvh log | wc -l)
eleven=""
for i in 1 2 3 4 5 6 7 8 9 10 11; do eleven="$eleven --action=param.set\ name=gov_quorum_bp\ value=$i"; done
check_fail "eleven --action options exit 1 (gov_max_actions is 10)" 1 \
	sh -c "'$MV' --home '$H' --as ana propose param Many $eleven"
check_out "and say so before signing" 'too many actions: 11 --action given, at most 10' \
	sh -c "'$MV' --home '$H' --as ana propose param Many $eleven 2>&1"
check_out "an action of another kind is refused before signing" \
	'action 2: treasury.pay does not belong in a param proposal' \
	mvh --as ana propose param "Mixed" --action 'param.set name=gov_quorum_bp value=450' \
	--action 'treasury.pay to=dana amount=1 purpose="a grant"'
check_out "a bad value names its --action" '^mentalverse: --action 2: field value' \
	mvh --as ana propose param "Bad value" --action 'param.set name=gov_quorum_bp value=450' \
	--action 'param.set name=gov_quorum_bp value=lots'
check_eq "none of the refused proposals was signed" "$(mvh log | wc -l)" "$n_ops"
check_fail "a vote before voting opens exits 3" 3 mvh --as dana vote "$P" for
check_out "and says when it opens" 'rejected: voting has not started' mvh --as dana vote "$P" for
sleep 4
check_out "a vote once voting is open" ' applied$' mvh --as dana vote "$(echo "$P" | cut -c1-10)" for
check_out "the vote changes" ' applied$' mvh --as dana vote "$P" against --reason "changed my mind"
check_out "the tally counts the changed vote" 'against +\[#+\] 100 MVT' mvh show proposal "$P"
check_out "the voter is listed as changed" 'dana +against +100 MVT +\(changed\)' mvh show proposal "$P"
check "show proposal --json" pyjson \
	'assert d["state"]=="active" and d["against"]>0 and d["for"]==0 and d["votes"][0]["changes"]==1' \
	mvh --json show proposal "$P"
check_out "dana sees her own vote" 'you: voted against' mvh --as dana show proposal "$P"
check_fail "a vote that is not for/against/abstain exits 1" 1 mvh --as eli vote "$P" maybe

# --- delegation ------------------------------------------------------------------
check_out "eli delegates to dana" ' applied$' mvh --as eli delegate dana
check_fail "a delegation cycle exits 3" 3 mvh --as dana delegate eli
check_out "undelegate" ' applied$' mvh --as eli undelegate
check_out "after undelegating dana may delegate to eli" ' applied$' mvh --as dana delegate eli

# --- execute after the timelock, withdraw before voting -------------------------------
check_out "ana votes for her proposal: a majority of all power decides it early" ' applied$' \
	mvh vote "$P" for
check_out "it waits in its timelock" 'state: +queued - succeeded early' mvh show proposal "$P"
check_fail "executing it before the timelock ends exits 3" 3 mvh --as eli execute "$P"
sleep 6
check_out "anyone executes it once the timelock has passed" ' applied$' mvh --as eli execute "$P"
check_out "it is executed" 'state: +executed' mvh show proposal "$P"
check_fail "a second execution exits 3" 3 mvh --as eli execute "$P"
mvh keygen fay >/dev/null
mvh op ledger.transfer to=fay amount=50 >/dev/null
mvh --as fay stake 10 30 >/dev/null
check_out "fay proposes" ' applied$' mvh --as fay propose text "Quiet hours after 22:00"
F=$(mvh --json show proposals | python3 -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin) if p["title"].startswith("Quiet hours")][0])')
check_fail "only the proposer may withdraw it (exit 3)" 3 mvh --as eli withdraw "$F"
check_out "fay withdraws it while it is pending" ' applied$' mvh --as fay withdraw "$F"
check_out "it is canceled" 'state: +canceled' mvh show proposal "$F"
check_fail "a canceled proposal cannot be executed (exit 3)" 3 mvh --as eli execute "$F"

# --- a peer-support group ----------------------------------------------------------
check_out "ana creates a group inviting dana and eli" ' applied$' \
	mvh --as ana group create circle --topic anxiety --invite dana,eli
check_out "dana joins" ' applied$' mvh --as dana group join circle
check_out "eli joins" ' applied$' mvh --as eli group join circle
check_out "ana shares the key with the new members" 'shared the group key with 2 members' \
	mvh --as ana group share-keys circle
check_out "dana posts" ' applied$' mvh --as dana group post circle --text "hello all"
check_out "eli, a member, reads it" '^    hello all$' mvh --as eli show group circle
check_out "show groups lists the group" 'circle +invite +3 members +1 posts +member' mvh --as eli show groups
check_out "ana removes eli, and the key rotates at once" 'the group key rotated: a new key for the 2 current members' \
	mvh --as ana group remove circle eli --reason "asked to leave"
check_out "dana posts after the removal" ' applied$' mvh --as dana group post circle --text "after eli left"
check_out "ana reads the later post" '^    after eli left$' mvh --as ana show group circle
check_out "eli cannot read the later post" 'cannot read: you hold no key of epoch 2' mvh --as eli show group circle
check "show group --json: eli reads the first post, not the second" pyjson \
	'p=d["posts"]; assert [x["readable"] for x in p]==[False,True] and p[1]["text"]=="hello all"' \
	mvh --as eli --json show group circle
check_fail "a post by eli after the removal is refused (exit 1: no key)" 1 mvh --as eli group post circle --text "hi"

# --- joining by application, moderation, helpful marks ------------------------------
check_fail "applying to an invite-only group is refused (exit 3)" 3 mvh --as eli group apply circle
check_out "with the contract's reason" 'does not take applications \(join policy: invite\)' \
	mvh --as eli group apply circle
check_out "ana creates an application group" ' applied$' \
	mvh --as ana group create night --topic sleep --policy application
check_out "ana posts before anyone joins" ' applied$' mvh --as ana group post night --text "lights out at 23"
check_out "dana applies with a message for the moderators" ' applied$' \
	mvh --as dana group apply night --message "I sleep badly since March"
check_out "show group lists the pending application" 'dana +applied, waits for a moderator' mvh show group night
check_out "the moderator reads the message" '^    "I sleep badly since March"$' mvh --as ana show group night
check_out "anyone else sees only that there is one" '^    \(a message for the moderators\)$' \
	mvh --as eli show group night
check "show group --json lists it too, the message for the moderator only" pyjson \
	'p=d["pending"]; assert [x["kind"] for x in p]==["application"] and p[0]["account_label"]=="dana" and p[0]["message"]=="I sleep badly since March"' \
	mvh --as ana --json show group night
check "and not to eli" pyjson 'p=d["pending"][0]; assert p["has_message"] and "message" not in p' \
	mvh --as eli --json show group night
check_fail "a non-member approving is refused (exit 3)" 3 mvh --as eli group approve night dana
check_out "ana declines dana" ' applied$' mvh --as ana group decline night dana
check_out "nothing is pending after the decline" '^  \(none\)$' mvh show group night
check_out "a message over 1000 bytes is refused before signing" 'at most 1000' \
	mvh --as dana group apply night --message "$(python3 -c 'print("x"*1001)')"
check_out "dana applies again" ' applied$' mvh --as dana group apply night
check_out "ana approves dana and shares the key with her" 'shared the group key with 1 member' \
	mvh --as ana group approve night dana
check_out "dana reads the post from before she joined" '^    lights out at 23$' mvh --as dana show group night
check_out "an approval with nothing pending is refused" 'no pending application from that account' \
	mvh --as ana group approve night eli
check_out "ana makes dana a moderator" ' applied$' mvh --as ana group moderator night dana
check_out "show group says so" 'dana +approved +moderator' mvh show group night
check_out "dana cannot step ana down" 'a moderator steps down only themselves' \
	mvh --as dana group moderator night ana --off
check_out "dana steps down herself" ' applied$' mvh --as dana group moderator night dana --off
POST=$(mvh --json show group night | python3 -c 'import json,sys; print(json.load(sys.stdin)["posts"][0]["id"][:10])')
check_out "show group prints post ids" "post $POST" mvh show group night
check_out "dana marks ana's post helpful by its id prefix" ' applied$' mvh --as dana group helpful night "$POST"
check_fail "twice is refused (exit 3)" 3 mvh --as dana group helpful night "$POST"
check_out "ana cannot mark her own post" 'cannot mark your own post helpful' mvh --as ana group helpful night "$POST"
check_out "the helpful count shows" 'marked helpful by 1' mvh show group night
check_out "an unknown post prefix is an error" "no post 'ffffff'" mvh --as dana group helpful night ffffff
check_out "dana leaves" ' applied$' mvh --as dana group leave night
check_out "share-keys after a departure rotates the key" 'the group key rotated: a new key for the 1 current member' \
	mvh --as ana group share-keys night
check_out "an unknown group command lists the valid ones" "unknown group command 'frob' \(create, join, apply" \
	mvh group frob night
check_out "group --help lists the subcommands" 'approve' "$MV" group --help

# --- compliance ----------------------------------------------------------------------
check_out "compliance check names the law" '\(EU, GDPR\)' mvh compliance check note.add --jurisdiction EU
check "compliance check --json" pyjson 'assert d["code"]=="US" and "duties" in d' \
	mvh --json compliance check note.add --jurisdiction US
check_out "an unknown jurisdiction is an error" 'mentalverse: ' mvh compliance check note.add --jurisdiction XX
check_out "the compliance report prints totals" '^totals: ' mvh show compliance-report --from 2020-01-01
check "the compliance report --json" pyjson 'assert "rows" in d and "audit_entries" in d' \
	mvh --json show compliance-report --from 2020-01-01 --to 2100-01-01
check_out "export-my-data writes files" '^wrote [1-9][0-9]* files to ' mvh --as dana export-my-data "$T_TMP/export"
check "the export holds JSON" sh -c "ls '$T_TMP/export'/*.json >/dev/null"
check_out "help lists the governance commands" 'propose' "$MV" --help
check_out "show --help lists the governance views" 'compliance-report' "$MV" show --help

t_end
