#!/bin/sh
# t_dao_tui.sh - membership and moderation on the DAO screen, through tmux
# at 100x32 on the demo home, one identity at a time:
#  - member-dana creates "Loss and grief" (invite policy) inviting an
#    unknown account: refused in the form, what was typed kept; then with
#    patient-kai only, and posts to it;
#  - kai sees the invitation, accepts it (J) and waits for the key; dana
#    opens the group, which shares the key; kai reads dana's post;
#  - dana removes kai (the key rotates) and posts again: `show group` gives
#    kai the first post but not the new one;
#  - in "Night owls" (application policy) patient-ria applies (J) with a
#    message that dana, a moderator, reads; dana admits her (a: the key is
#    shared at once), ria reads and marks dana's post helpful (+, the count
#    shows); member-eli, a member but not a
#    moderator, tries to remove ria and sees the contract's reason; ria
#    leaves after a confirmation that says what she loses; dana rotates the
#    key (K) and makes eli a moderator (M).
# At 80x24 the list and the key bar still fit. Token balances are never
# asserted (the demo changes them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
t_begin dao_tui
trap tui_stop EXIT
DEMO="$T_TMP/demo"
"$MV" --home "$DEMO" demo >"$T_TMP/demo.log" 2>&1
mvd() { "$MV" --home "$DEMO" "$@"; }


# open NAME AS [COLS ROWS]: the TUI as AS on the DAO screen in session NAME.
open_as() {
	tui_start "$1" "${3:-100}" "${4:-32}" --home "$DEMO" --as "$2"
	tui_wait "$1" "Hello, $2" >/dev/null
	check "$2 reaches the DAO screen" tui_goto "$1" DAO
}
close() {
	tui_tmux kill-session -t "$1" >/dev/null 2>&1
}
# A session that outlives the others: killing the last session ends the tmux
# server, and a new session started while it shuts down fails.
tui_tmux new-session -d -s keep -x 40 -y 5 "sleep 600"

# --- dana creates an invite-only group ----------------------------------------------
s=dana1
open_as "$s" member-dana
tui_keys "$s" C
tui_check "C opens the create form" "$s" "Create a peer-support group"
tui_type "$s" "Loss and grief"
tui_keys "$s" Tab
tui_type "$s" "grief"
tui_keys "$s" Tab
tui_type "$s" "Listen first."
tui_keys "$s" Tab Tab
tui_type "$s" "patient-kai, nobody"
tui_keys "$s" Enter
tui_check "an unknown account to invite is refused in the form" "$s" "unknown account 'nobody'"
tui_check "the form keeps what was typed" "$s" "Name +Loss and grief"
tui_keys "$s" BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
tui_keys "$s" Enter
tui_check "a confirmation comes before signing" "$s" "Create \"Loss and grief\" \(joining: invite\)"
tui_keys "$s" Enter
tui_check "the group is created" "$s" "created Loss and grief"
tui_check "and listed with dana as moderator" "$s" "Loss and grief +invite +1 members +0 posts +moderator"
tui_check "kai's invitation is pending" "$s" "patient-kai · invited by member-dana \(you\)"
tui_keys "$s" n
tui_type "$s" "First post for the circle"
tui_keys "$s" Enter
tui_check "a post asks first" "$s" "Post to Loss and grief as member-dana"
tui_keys "$s" Enter
tui_check "dana posts" "$s" "posted \(encrypted"
close "$s"

# --- kai accepts the invitation, then gets the key when dana opens the group ---------
s=kai1
open_as "$s" patient-kai
tui_check "kai is told about the invitation" "$s" "1 invitation for you"
tui_check "the group says how to accept" "$s" "You are invited: J accepts"
tui_check "kai cannot read the post yet" "$s" "cannot read: you hold no key"
tui_keys "$s" J
tui_check "J asks to accept the invitation" "$s" "Accept the invitation to Loss and grief"
tui_keys "$s" Enter
tui_check "kai joined" "$s" "you joined Loss and grief"
tui_check "and waits for the key" "$s" "You wait for the group key"
close "$s"
check_out "the CLI agrees kai has no key yet" '\(no key yet\)' mvd show group "Loss and grief"

s=dana2
open_as "$s" member-dana
tui_check "dana sees a member waiting for the key" "$s" "1 member waits for the group key"
tui_keys "$s" Enter
tui_check "opening the group shares the key" "$s" "shared the group key with 1 member"
close "$s"
check_out "kai reads dana's post after the key was shared" '^    First post for the circle$' \
	mvd --as patient-kai show group "Loss and grief"

# --- dana removes kai: the key rotates, kai cannot read the next post -----------------
s=dana3
open_as "$s" member-dana
tui_keys "$s" Enter
tui_check "Enter opens the group with a cursor" "$s" "▸ +member-dana \(you\) · moderator"
tui_keys "$s" Down
tui_check "Down selects kai" "$s" "▸ +patient-kai"
tui_keys "$s" R
tui_check "R asks for a public reason" "$s" "Remove patient-kai from Loss and grief"
tui_type "$s" "left the circle"
tui_keys "$s" Enter
tui_check "the confirmation explains the key rotation" "$s" "rotates right after"
tui_keys "$s" Enter
tui_check "kai is removed and the key rotated" "$s" "removed patient-kai; the group key rotated"
tui_keys "$s" n
tui_type "$s" "Only for those still here"
tui_keys "$s" Enter Enter
tui_check "dana posts after the removal" "$s" "posted \(encrypted"
close "$s"
check_out "kai cannot read the new post" 'cannot read: you hold no key of epoch 2' \
	mvd --as patient-kai show group "Loss and grief"
check "kai still reads the post from before, not the new one" sh -c \
	"'$MV' --home '$DEMO' --as patient-kai --json show group 'Loss and grief' | python3 -c \
	'import json,sys; p=json.load(sys.stdin)[\"posts\"]; assert [x[\"readable\"] for x in p]==[False,True], p'"

# --- an application group: apply, admit, read, helpful, a refused removal, leave --------
check_out "dana creates an application group" ' applied$' \
	mvd --as member-dana group create "Night owls" --topic sleep --policy application
check_out "eli applies through the CLI" ' applied$' mvd --as member-eli group apply "Night owls"
check_out "dana posts to it" ' applied$' mvd --as member-dana group post "Night owls" --text "Tea at 21:00 helps"

s=ria1
open_as "$s" patient-ria
tui_keys "$s" Down
tui_check "ria selects Night owls" "$s" "Admits by application: J applies"
tui_keys "$s" J
tui_check "J opens the application form" "$s" "Apply to Night owls"
tui_type "$s" "I cannot sleep before 3"
tui_keys "$s" Enter
tui_check "a confirmation says who reads the message" "$s" "message is encrypted to the"
tui_keys "$s" Enter
tui_check "ria applied" "$s" "you applied to Night owls"
tui_check "the application waits" "$s" "Your application waits for a moderator"
close "$s"

s=dana4
open_as "$s" member-dana
tui_keys "$s" Down
tui_check "dana sees two applications" "$s" "Invitations and applications \(2\)"
tui_keys "$s" Enter Down Down
tui_check "the cursor is on ria's application" "$s" "▸ +patient-ria · applied"
tui_check "dana, a moderator, reads ria's message" "$s" "“I cannot sleep before 3”"
tui_check "the key bar offers admit and refuse" "$s" "a Admit +x Refuse"
tui_keys "$s" a
tui_check "a asks to admit ria" "$s" "Admit patient-ria to Night owls"
tui_keys "$s" Enter
tui_check "ria is admitted and gets the key at once" "$s" "admitted patient-ria; shared the group key with 1 member"
close "$s"
check_out "eli's application is approved through the CLI (the key follows)" 'shared the group key with 1 member' \
	mvd --as member-dana group approve "Night owls" member-eli

s=ria2
open_as "$s" patient-ria
tui_keys "$s" Down Enter
tui_check "ria reads dana's post" "$s" "  Tea at 21:00 helps"
tui_keys "$s" G
tui_check "G selects the last row, the post" "$s" "▸ .*member-dana"
tui_keys "$s" +
tui_check "+ asks to mark it helpful" "$s" "Mark this post by member-dana helpful"
tui_keys "$s" Enter
tui_check "the helpful mark is counted" "$s" "member-dana · 1 helpful \(you too\)"
tui_keys "$s" +
tui_keys "$s" Enter
tui_check "a second mark is refused with the contract's reason" "$s" "rejected: you already marked this post helpful"
close "$s"

s=eli1
open_as "$s" member-eli
tui_keys "$s" Down Enter
tui_check "eli opens Night owls" "$s" "▸ +member-dana · moderator"
tui_keys "$s" Down
tui_check "eli selects ria" "$s" "▸ +patient-ria"
tui_check_not "remove is not offered to a non-moderator" "$s" "R Remove"
tui_keys "$s" R
tui_keys "$s" Enter
tui_check "R still asks" "$s" "Remove patient-ria from Night owls"
tui_keys "$s" Enter
tui_check "the contract refuses with its reason" "$s" "rejected: not allowed: only a moderator of Night owls may do this"
tui_check "the form stays open after the refusal" "$s" "Reason"
close "$s"
check_out "ria is still a member" 'patient-ria +approved' mvd show group "Night owls"

s=ria3
open_as "$s" patient-ria 80 24
tui_check "at 80 columns the list shows the groups" "$s" "Night owls +application"
tui_keys "$s" Down
tui_check "and the key bar offers to leave" "$s" "L Leave"
tui_keys "$s" L
tui_check "leaving says what ria loses" "$s" "rotates: you will not"
tui_keys "$s" Escape
sleep 0.3
check_out "Escape leaves nothing" 'patient-ria +approved' mvd show group "Night owls"
tui_keys "$s" L
tui_keys "$s" Enter
tui_check "ria left" "$s" "you left Night owls"
close "$s"
check_out "the CLI says ria is no longer a member" 'you are not a member' \
	mvd --as patient-ria show group "Night owls"

# --- after ria left: K rotates the key; M appoints a moderator ------------------------
s=dana5
open_as "$s" member-dana
tui_keys "$s" Down
tui_check "dana is told the key must rotate" "$s" "Someone left: the group key rotates"
tui_check "the key bar offers it" "$s" "K Share key"
tui_keys "$s" K
tui_check "K asks to seal a new key to the members" "$s" "Seal a new group key to the 2 current members"
tui_keys "$s" Enter
tui_check "the key rotated" "$s" "the group key rotated: a new key for the 2 current members"
tui_keys "$s" Enter Down
tui_check "dana selects eli" "$s" "▸ +member-eli"
tui_keys "$s" M
tui_check "M asks to make eli a moderator" "$s" "Make member-eli a moderator of Night owls"
tui_keys "$s" Enter
tui_check "eli moderates now" "$s" "member-eli moderates Night owls now"
close "$s"
check_out "the CLI agrees" 'member-eli +approved +moderator' mvd show group "Night owls"
t_end
