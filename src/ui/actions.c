/* actions.c - the action table of the terminal app: every action with its
 * stable name, key-bar label, help line and bound keys. Key handling maps a
 * key to an action here and nowhere else; the key bar and the help screen are
 * generated from this table, so a binding is changed in one row. */
#include <stdio.h>
#include "ui/view.h"

#define K(k) UI_FN(KEY_##k)

static const struct tui_action_def tui_actions[ACT_COUNT] = {
	[ACT_NONE] = { ACT_NONE, "none", "", "", { 0 } },
	[ACT_QUIT] = { ACT_QUIT, "quit", "Quit", "quit (asks first if a form has unsaved input)", { 'q', 0 } },
	[ACT_HELP] = { ACT_HELP, "help", "Help", "help for this screen", { '?', K(F(1)), 0 } },
	[ACT_CRISIS] = { ACT_CRISIS, "crisis", "Crisis", "crisis resources: one key away everywhere, even in forms", { '!', 0 } },
	[ACT_BACK] = { ACT_BACK, "back", "Back", "back: close, clear the filter, or return to the navigation", { UI_ESC, 0 } },
	[ACT_FOCUS_NEXT] = { ACT_FOCUS_NEXT, "focus-next", "Focus", "move focus between navigation and screen", { '\t', 0 } },
	[ACT_FOCUS_PREV] = { ACT_FOCUS_PREV, "focus-prev", "Focus", "move focus back", { K(BTAB), 0 } },
	[ACT_FILTER] = { ACT_FILTER, "filter", "Filter", "filter the current list (Enter keeps, Esc clears)", { '/', 0 } },
	[ACT_RELOAD] = { ACT_RELOAD, "reload", "Reload", "reload data from the store", { 'r', 0 } },
	[ACT_REDRAW] = { ACT_REDRAW, "redraw", "Redraw", "redraw the whole screen", { UI_CTRL('l'), 0 } },
	[ACT_VIEW1] = { ACT_VIEW1, "view-1", "", "go to the first screen of the navigation", { '1', 0 } },
	[ACT_VIEW2] = { ACT_VIEW2, "view-2", "", "go to screen 2", { '2', 0 } },
	[ACT_VIEW3] = { ACT_VIEW3, "view-3", "", "go to screen 3", { '3', 0 } },
	[ACT_VIEW4] = { ACT_VIEW4, "view-4", "", "go to screen 4", { '4', 0 } },
	[ACT_VIEW5] = { ACT_VIEW5, "view-5", "", "go to screen 5", { '5', 0 } },
	[ACT_VIEW6] = { ACT_VIEW6, "view-6", "", "go to screen 6", { '6', 0 } },
	[ACT_VIEW7] = { ACT_VIEW7, "view-7", "", "go to screen 7", { '7', 0 } },
	[ACT_VIEW8] = { ACT_VIEW8, "view-8", "", "go to screen 8", { '8', 0 } },
	[ACT_VIEW9] = { ACT_VIEW9, "view-9", "", "go to screen 9", { '9', 0 } },
	[ACT_UP] = { ACT_UP, "up", "Up", "move up", { K(UP), 'k', 0 } },
	[ACT_DOWN] = { ACT_DOWN, "down", "Down", "move down", { K(DOWN), 'j', 0 } },
	[ACT_LEFT] = { ACT_LEFT, "left", "Left", "move left / to the navigation", { K(LEFT), 'h', 0 } },
	[ACT_RIGHT] = { ACT_RIGHT, "right", "Right", "move right / into the screen", { K(RIGHT), 'l', 0 } },
	[ACT_PAGE_UP] = { ACT_PAGE_UP, "page-up", "PgUp", "one page up", { K(PPAGE), 0 } },
	[ACT_PAGE_DOWN] = { ACT_PAGE_DOWN, "page-down", "PgDn", "one page down", { K(NPAGE), ' ', 0 } },
	[ACT_TOP] = { ACT_TOP, "top", "Top", "first row", { K(HOME), 'g', 0 } },
	[ACT_BOTTOM] = { ACT_BOTTOM, "bottom", "End", "last row", { K(END), 'G', 0 } },
	[ACT_ENTER] = { ACT_ENTER, "open", "Open", "open or choose the selected row", { '\n', '\r', K(ENTER), 0 } },
	[ACT_SEND] = { ACT_SEND, "send", "Send MVT", "send MVT to another account (fee shown before you confirm)", { 's', 0 } },
	[ACT_NEW] = { ACT_NEW, "new", "New", "create a new identity", { 'n', 0 } },
	[ACT_ORDER] = { ACT_ORDER, "order", "Order", "newest first / oldest first", { 'o', 0 } },
	[ACT_SWITCH_PATIENT] = { ACT_SWITCH_PATIENT, "as-patient", "Patient", "act as the first patient- identity", { 'p', 0 } },
	[ACT_SWITCH_THERAPIST] = { ACT_SWITCH_THERAPIST, "as-therapist", "Therapist", "act as the first therapist- identity", { 't', 0 } },
	[ACT_SWITCH_MEMBER] = { ACT_SWITCH_MEMBER, "as-member", "Member", "act as the first member- identity (DAO member)", { 'm', 0 } },
	[ACT_SWITCH_COUNCIL] = { ACT_SWITCH_COUNCIL, "as-council", "Council", "act as the first council- identity", { 'c', 0 } },
	[ACT_APPROVE] = { ACT_APPROVE, "approve", "Approve", "approve or co-sign the selected request", { 'a', 0 } },
	[ACT_REJECT] = { ACT_REJECT, "reject", "Reject", "reject the selected request (or cancel it, if it is yours)", { 'x', 0 } },
	[ACT_EDIT] = { ACT_EDIT, "edit", "Edit", "open this screen's form (edit, set or submit)", { 'e', 0 } },
	[ACT_BOOK] = { ACT_BOOK, "book", "Book", "book a free slot (on a session: move it to another slot)", { 'b', 0 } },
	[ACT_CANCEL] = { ACT_CANCEL, "cancel", "Cancel", "cancel the selected session (the refund is shown first)", { 'd', 0 } },
	[ACT_CHECKIN] = { ACT_CHECKIN, "checkin", "Check in", "check in to the selected session (opens 10 min before it starts)", { 'i', 0 } },
	[ACT_RATE] = { ACT_RATE, "rate", "Rate", "rate a completed session, 1 to 5 stars", { '*', 0 } },
	[ACT_DISPUTE] = { ACT_DISPUTE, "dispute", "Dispute", "dispute a session (freezes the escrow until the council decides)", { 'D', 0 } },
	[ACT_COMPLETE] = { ACT_COMPLETE, "complete", "Complete", "therapist: mark the selected session completed", { 'f', 0 } },
	[ACT_NO_SHOW] = { ACT_NO_SHOW, "no-show", "No-show", "declare that the other party did not come", { 'N', 0 } },
	/* shown only: Space pages down elsewhere, the grid's key() takes it */
	[ACT_TOGGLE] = { ACT_TOGGLE, "toggle", "Toggle", "open or close the hour under the cursor", { ' ', 0 } },
	[ACT_PUBLISH] = { ACT_PUBLISH, "publish", "Publish", "publish what this screen edits (e.g. 12 weeks of availability)", { UI_CTRL('s'), 0 } },
	/* shown only: d reaches the services screen as ACT_CANCEL */
	[ACT_RETIRE] = { ACT_RETIRE, "retire", "Retire", "retire the selected service (booked sessions go on)", { 'd', 0 } },
	[ACT_PAY] = { ACT_PAY, "pay", "Pay", "insurer: pay the selected approved claim", { '$', 0 } },
	/* shown only: n, $, a and e reach the economy screens as ACT_NEW, ACT_PAY, ACT_APPROVE,
	 * ACT_EDIT */
	[ACT_STAKE] = { ACT_STAKE, "stake", "Stake", "stake MVT for 30, 90, 180 or 365 days (unlock date and rewards previewed)", { 'n', 0 } },
	[ACT_CLAIM] = { ACT_CLAIM, "claim", "Claim", "claim the rewards the selected stake has accrued", { '$', 0 } },
	[ACT_UNSTAKE] = { ACT_UNSTAKE, "unstake", "Unstake", "take the selected stake back once its lock has ended", { 'u', 0 } },
	[ACT_PROPOSE] = { ACT_PROPOSE, "propose", "Propose", "council: propose a treasury spend", { 'n', 0 } },
	[ACT_SIGN] = { ACT_SIGN, "sign", "Sign", "council: sign the selected pending treasury spend", { 'a', 0 } },
	[ACT_WHOSE] = { ACT_WHOSE, "whose", "Account", "choose whose reputation to show", { 'e', 0 } },
	/* shown only: n and d reach the Proposals screen and its form as ACT_NEW, ACT_CANCEL */
	[ACT_NEW_PROPOSAL] = { ACT_NEW_PROPOSAL, "new-proposal", "Propose", "write a proposal: scope, kind, title, typed actions; reviewed before you sign", { 'n', 0 } },
	[ACT_ACTION_ADD] = { ACT_ACTION_ADD, "action-add", "Add action", "add a typed action to the proposal (fields checked as you go)", { 'n', 0 } },
	[ACT_ACTION_REMOVE] = { ACT_ACTION_REMOVE, "action-remove", "Remove", "remove the selected action from the proposal", { 'd', 0 } },
	/* shown only: a, x, b and e reach the Proposals screen as ACT_APPROVE, ACT_REJECT,
	 * ACT_BOOK, ACT_EDIT */
	[ACT_VOTE_FOR] = { ACT_VOTE_FOR, "vote-for", "For", "vote for the selected proposal (changeable while voting is open)", { 'a', 0 } },
	[ACT_VOTE_AGAINST] = { ACT_VOTE_AGAINST, "vote-against", "Against", "vote against the selected proposal", { 'x', 0 } },
	[ACT_VOTE_ABSTAIN] = { ACT_VOTE_ABSTAIN, "vote-abstain", "Abstain", "abstain on the selected proposal (counts towards the quorum)", { 'b', 0 } },
	[ACT_DELEGATE] = { ACT_DELEGATE, "delegate", "Delegate", "let another member vote with your power (empty takes it back)", { 'e', 0 } },
	[ACT_EXECUTE] = { ACT_EXECUTE, "execute", "Execute", "run a queued proposal's actions once its timelock has passed (anyone may)", { 'E', 0 } },
	[ACT_WITHDRAW] = { ACT_WITHDRAW, "withdraw", "Withdraw", "cancel your own proposal before its voting opens", { 'W', 0 } },
	/* shown only: s, n and d reach the network screen as ACT_SEND, ACT_NEW, ACT_CANCEL */
	[ACT_SYNC_NOW] = { ACT_SYNC_NOW, "sync-now", "Sync now", "sync with every peer now (progress shown; keys keep working)", { 's', 0 } },
	[ACT_PEER_ADD] = { ACT_PEER_ADD, "peer-add", "Add peer", "add a peer by its address https://HOST:PORT#sha256//PIN", { 'n', 0 } },
	[ACT_PEER_REMOVE] = { ACT_PEER_REMOVE, "peer-remove", "Remove", "remove the selected peer (its pin is forgotten)", { 'd', 0 } },
	/* DAO screen; shown only: n, i, a and x reach it as ACT_NEW, ACT_CHECKIN, ACT_APPROVE,
	 * ACT_REJECT */
	[ACT_GROUP_POST] = { ACT_GROUP_POST, "group-post", "Post", "write a post to the group (encrypted to its members)", { 'n', 0 } },
	[ACT_GROUP_CREATE] = { ACT_GROUP_CREATE, "group-create", "Create", "create a group: name, topic, charter, joining policy, accounts to invite", { 'C', 0 } },
	[ACT_GROUP_JOIN] = { ACT_GROUP_JOIN, "group-join", "Join", "join the group: an open one at once, accept an invitation, or apply", { 'J', 0 } },
	[ACT_GROUP_LEAVE] = { ACT_GROUP_LEAVE, "group-leave", "Leave", "leave the group (you cannot read what is posted after)", { 'L', 0 } },
	[ACT_GROUP_INVITE] = { ACT_GROUP_INVITE, "group-invite", "Invite", "moderator: invite a registered account by name or id", { 'i', 0 } },
	[ACT_GROUP_ADMIT] = { ACT_GROUP_ADMIT, "group-admit", "Admit", "moderator: admit the selected applicant (the group key is shared with them)", { 'a', 0 } },
	[ACT_GROUP_REFUSE] = { ACT_GROUP_REFUSE, "group-refuse", "Refuse", "moderator: refuse the selected application", { 'x', 0 } },
	[ACT_GROUP_REMOVE] = { ACT_GROUP_REMOVE, "group-remove", "Remove", "moderator: remove the selected member (the key rotates: no later posts for them)", { 'R', 0 } },
	[ACT_GROUP_MODERATOR] = { ACT_GROUP_MODERATOR, "group-moderator", "Moderator", "moderator: make the selected member a moderator, or step down yourself", { 'M', 0 } },
	[ACT_GROUP_KEYS] = { ACT_GROUP_KEYS, "group-keys", "Share key", "give the group key to members waiting for it (rotate it after someone left)", { 'K', 0 } },
	[ACT_GROUP_HELPFUL] = { ACT_GROUP_HELPFUL, "group-helpful", "Helpful", "mark the selected post helpful (community reputation of its author)", { '+', 0 } },
	/* shown only: i, n, s and d reach the companion screen as ACT_CHECKIN, ACT_NEW, ACT_SEND,
	 * ACT_CANCEL */
	[ACT_MOOD] = { ACT_MOOD, "mood", "Check in", "companion: today's mood, 1 to 10, with tags and a note", { 'i', 0 } },
	[ACT_THOUGHT] = { ACT_THOUGHT, "thought", "Thought", "companion: a guided thought record, step by step", { 'n', 0 } },
	[ACT_SHARE_MOOD] = { ACT_SHARE_MOOD, "share-mood", "Share", "companion: let your therapist read your check-ins (who and what are shown before you confirm)", { 's', 0 } },
	[ACT_FORGET] = { ACT_FORGET, "forget", "Delete", "companion: delete the selected entry from this device", { 'd', 0 } },
	[ACT_RANGE] = { ACT_RANGE, "range", "30/90 d", "companion: chart the last 30 or 90 days", { 'v', 0 } },
	[ACT_FORM_NEXT] = { ACT_FORM_NEXT, "form-next", "Next field", "next field (S-Tab previous)", { '\t', 0 } },
	[ACT_FORM_SUBMIT] = { ACT_FORM_SUBMIT, "form-submit", "Submit", "submit the form (Enter on the last field, or ^S)", { UI_CTRL('s'), 0 } },
	[ACT_FORM_CANCEL] = { ACT_FORM_CANCEL, "form-cancel", "Cancel", "close the form", { UI_ESC, 0 } },
	[ACT_FORM_LITERAL] = { ACT_FORM_LITERAL, "form-literal", "Type !", "type the next key as text (for a literal ! or ?)", { UI_CTRL('v'), 0 } },
};

/* Actions that only label form keys are never looked up by key. */
static bool tui_action_display_only(enum tui_action a)
{
	return a >= ACT_FORM_NEXT && a <= ACT_FORM_LITERAL;
}

const struct tui_action_def *tui_action_def(enum tui_action a)
{
	if ((int)a < 0 || a >= ACT_COUNT)
		return &tui_actions[ACT_NONE];
	return &tui_actions[a];
}

enum tui_action tui_action_for_key(int key)
{
	if (key == 0)
		return ACT_NONE;
	for (int a = 1; a < ACT_COUNT; a++) {
		if (tui_action_display_only((enum tui_action)a))
			continue;
		for (int i = 0; i < 4 && tui_actions[a].keys[i]; i++)
			if (tui_actions[a].keys[i] == key)
				return (enum tui_action)a;
	}
	return ACT_NONE;
}

const char *tui_action_key_name(enum tui_action a, char *buf, size_t buflen)
{
	const struct tui_action_def *d = tui_action_def(a);
	if (!d->keys[0]) {
		snprintf(buf, buflen, "%s", "");
		return buf;
	}
	return ui_key_name(d->keys[0], buf, buflen);
}
