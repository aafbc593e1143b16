/* view_recovery.c - the Recovery screen (social recovery): the guardians of
 * the identity acted as and how many must agree (e sets them), a warning
 * when a recovery of this account is pending (x cancels it while the key is
 * still here), and, for a guardian, the accounts it guards with their
 * pending recoveries (a approves moving an account to the new key its owner
 * read out; on an account with none pending, a starts one). Every action is
 * an op through tui_submit: recovery.guardians, recovery.approve,
 * recovery.cancel. Reads through query_people.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_people.h"
#include "core/query_people.h"
#include "ui/view.h"

#define RC_ROWS 128
#define RC_GUARDIANS 5
#define RC_CHOICES 256

enum rc_kind { RC_GUARDIAN, RC_MINE, RC_GUARDED, RC_PENDING };
enum rc_mode { RC_LIST, RC_SET, RC_START };

struct rc_row {
	enum rc_kind kind;
	uint8_t account[32];       /* guardian, or the guarded account */
	struct q_recovery rec;     /* RC_MINE, RC_PENDING */
};

struct rc_state {
	struct tui *t;
	bool registered;
	uint8_t acct[32];
	int64_t threshold;
	size_t nguardians;
	struct rc_row rows[RC_ROWS];
	size_t n;
	struct ui_list list;
	int list_y;
	enum rc_mode mode;
	struct ui_form form;
};

/* ---- data ------------------------------------------------------------------- */

static struct rc_row *rc_add(struct rc_state *s, enum rc_kind k, const uint8_t account[32])
{
	if (s->n >= RC_ROWS)
		return NULL;
	struct rc_row *r = &s->rows[s->n++];
	memset(r, 0, sizeof *r);
	r->kind = k;
	memcpy(r->account, account, 32);
	return r;
}

static int rc_guardian_cb(void *ud, const uint8_t g[32])
{
	struct rc_state *s = ud;
	rc_add(s, RC_GUARDIAN, g);
	s->nguardians++;
	return 0;
}

static int rc_mine_cb(void *ud, const struct q_recovery *q)
{
	struct rc_row *r = rc_add(ud, RC_MINE, q->account);
	if (r)
		r->rec = *q;
	return 0;
}

static int rc_pending_cb(void *ud, const struct q_recovery *q)
{
	struct rc_row *r = rc_add(ud, RC_PENDING, q->account);
	if (r)
		r->rec = *q;
	return 0;
}

/* One guarded account: its pending recoveries, or one row to start one. */
static int rc_guarded_cb(void *ud, const uint8_t account[32])
{
	struct rc_state *s = ud;
	if (query_recoveries_pending(s->t->h->st, account, rc_pending_cb, s, NULL) <= 0)
		rc_add(s, RC_GUARDED, account);
	return 0;
}

static void rc_reload(struct tui *t, void *st)
{
	struct rc_state *s = st;
	struct q_user u;
	s->n = s->nguardians = 0;
	s->registered = false;
	if (t->has_as && t->h->st && home_people_account(t->h, t->as, s->acct, NULL) == MV_OK)
		s->registered = query_user(t->h->st, s->acct, &u, NULL) == MV_OK;
	if (s->registered) {
		query_recoveries_pending(t->h->st, s->acct, rc_mine_cb, s, NULL);
		query_guardians(t->h->st, s->acct, rc_guardian_cb, s, NULL);
		s->threshold = query_recovery_threshold(t->h->st, s->acct);
		query_guarded_by(t->h->st, s->acct, rc_guarded_cb, s, NULL);
	}
	ui_list_set_count(&s->list, s->n);
}

/* ---- approve, cancel -------------------------------------------------------- */

static struct rc_row *rc_selected(struct rc_state *s)
{
	size_t item;
	return ui_list_selected(&s->list, &item) ? &s->rows[item] : NULL;
}

static void rc_key_text(char *out, size_t n, const uint8_t key[32])
{
	char hex[65];
	mv_hex(hex, key, 32);
	snprintf(out, n, "%.8s…", hex);
}

static void rc_approve_yes(struct tui *t, void *ud)
{
	struct rc_state *s = ud;
	struct rc_row *r = rc_selected(s);
	char acct[80], key[80], who[80];
	char *fields[2] = { acct, key };
	if (!r || r->kind != RC_PENDING)
		return;
	bool completes = r->rec.approvals + 1 >= r->rec.threshold;
	snprintf(who, sizeof who, "%s", tui_label(t, r->account));
	memcpy(acct, "account=", 8);
	mv_hex(acct + 8, r->account, 32);
	memcpy(key, "new_key=", 8);
	mv_hex(key + 8, r->rec.new_key, 32);
	if (tui_submit(t, "recovery.approve", 2, fields, NULL) != MV_OK)
		return;
	if (completes)
		tui_toast(t, UI_SUCCESS, "recovery complete: %s now answers to the new key", who);
	else
		tui_toast(t, UI_SUCCESS, "approved: %lld of %lld guardians so far",
			  (long long)r->rec.approvals + 1, (long long)r->rec.threshold);
}

static int rc_approve(struct tui *t, struct rc_state *s, struct rc_row *r)
{
	char text[512], key[40];
	rc_key_text(key, sizeof key, r->rec.new_key);
	snprintf(text, sizeof text, "Move %s's account to the key %s? Approve only if its owner "
		 "asked you in person or by phone and read you this key. With %lld of the guardians "
		 "approving, that key controls the account, its balance and its history.",
		 tui_label(t, r->account), key, (long long)r->rec.threshold);
	tui_confirm(t, "Approve recovery", text, "Approve", rc_approve_yes, s);
	return TUI_DRAW_ALL;
}

static void rc_cancel_yes(struct tui *t, void *ud)
{
	if (tui_submit(t, "recovery.cancel", 0, NULL, NULL) == MV_OK)
		tui_toast(t, UI_SUCCESS, "pending recovery of your account cancelled");
}

static int rc_cancel(struct tui *t, struct rc_state *s)
{
	tui_confirm(t, "Cancel recovery",
		    "Someone's guardians are moving your account to a new key. If you did not ask "
		    "for this, cancel it now: every pending approval is cleared.",
		    "Cancel it", rc_cancel_yes, s);
	return TUI_DRAW_ALL;
}

/* ---- forms: set guardians, start a recovery ----------------------------------- */

struct rc_choices {
	struct rc_state *s;
	struct ui_choice *c;
	size_t n;
};

static int rc_choice_cb(void *ud, const struct q_user *u)
{
	struct rc_choices *rc = ud;
	if (rc->n >= RC_CHOICES || memcmp(u->account, rc->s->acct, 32) == 0 || u->role == ROLE_NONE)
		return 0;
	snprintf(rc->c[rc->n].label, sizeof rc->c[0].label, "%s (%s)",
		 tui_label(rc->s->t, u->account), u->role_name);
	mv_hex(rc->c[rc->n].value, u->account, 32);
	rc->n++;
	return 0;
}

static size_t rc_choice_find(const struct ui_field *f, const uint8_t id[32])
{
	char hex[65];
	mv_hex(hex, id, 32);
	for (size_t i = 0; i < f->nchoices; i++)
		if (strcmp(f->choices[i].value, hex) == 0)
			return i;
	return 0;
}

static void rc_open_set(struct tui *t, struct rc_state *s)
{
	struct rc_choices rc = { s, calloc(RC_CHOICES + 1, sizeof(struct ui_choice)), 1 };
	static const char *const labels[RC_GUARDIANS] = { "Guardian 1", "Guardian 2", "Guardian 3",
							   "Guardian 4", "Guardian 5" };
	char thr[16];
	ui_form_free(&s->form);
	ui_form_init(&s->form, "Choose your guardians");
	if (!rc.c) {
		tui_toast(t, UI_ERROR, "out of memory");
		return;
	}
	snprintf(rc.c[0].label, sizeof rc.c[0].label, "(nobody)");
	query_users(t->h->st, NULL, false, rc_choice_cb, &rc, NULL);
	for (size_t i = 0, g = 0; i < RC_GUARDIANS; i++) {
		struct ui_field *f = ui_form_add(&s->form, UF_CHOICE, labels[i], false,
						 "←→ or a letter: someone you trust");
		ui_field_set_choices(f, rc.c, rc.n);
		while (g < s->n && s->rows[g].kind != RC_GUARDIAN)
			g++;
		if (g < s->n)
			f->choice = rc_choice_find(f, s->rows[g++].account);
	}
	free(rc.c);
	struct ui_field *f = ui_form_add(&s->form, UF_TEXT, "Approvals needed", true,
					 "how many of them must agree (2 is a good start)");
	f->max_bytes = 2;
	snprintf(thr, sizeof thr, "%lld", (long long)(s->threshold ? s->threshold : 2));
	ui_field_set_text(f, thr);
	s->form.dirty = false;
	s->mode = RC_SET;
	t->focus_main = true;
}

/* "guardians=a,b,c" from the chosen fields (distinct, in order); count. */
static int rc_guardian_list(struct rc_state *s, char *out, size_t n)
{
	int count = 0;
	size_t len = (size_t)snprintf(out, n, "guardians=");
	for (size_t i = 0; i < RC_GUARDIANS; i++) {
		const char *v = ui_field_value(&s->form.f[i]);
		if (!v[0] || strstr(out, v))
			continue;
		len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s", count ? "," : "", v);
		count++;
	}
	return count;
}

static void rc_set_yes(struct tui *t, void *ud)
{
	struct rc_state *s = ud;
	char list[RC_GUARDIANS * 66 + 16], thr[32];
	char *fields[2] = { list, thr };
	rc_guardian_list(s, list, sizeof list);
	snprintf(thr, sizeof thr, "threshold=%ld", strtol(s->form.f[RC_GUARDIANS].buf, NULL, 10));
	if (tui_submit(t, "recovery.guardians", 2, fields, NULL) != MV_OK)
		return;
	tui_toast(t, UI_SUCCESS, "guardians set: tell them, so they know what to expect");
	ui_form_free(&s->form);
	s->mode = RC_LIST;
}

static int rc_set_submit(struct tui *t, struct rc_state *s)
{
	char list[RC_GUARDIANS * 66 + 16], text[480];
	int n = rc_guardian_list(s, list, sizeof list);
	long thr = strtol(s->form.f[RC_GUARDIANS].buf, NULL, 10);
	if (n == 0) {
		tui_toast(t, UI_ERROR, "choose at least one guardian");
		return TUI_DRAW_ALL;
	}
	if (thr < 1 || thr > n) {
		tui_toast(t, UI_ERROR, "approvals needed: between 1 and %d", n);
		return TUI_DRAW_ALL;
	}
	snprintf(text, sizeof text, "Name these %d guardians? Any %ld of them together can move your "
		 "account to a new key if you lose this one. Pending approvals are cleared. Who your "
		 "guardians are is public.", n, thr);
	tui_confirm(t, "Set guardians", text, "Set", rc_set_yes, s);
	return TUI_DRAW_ALL;
}

static void rc_open_start(struct tui *t, struct rc_state *s, const struct rc_row *r)
{
	char label[UI_CHOICE_LABEL];
	ui_form_free(&s->form);
	snprintf(label, sizeof label, "Recover %s", tui_label(t, r->account));
	ui_form_init(&s->form, label);
	struct ui_field *f = ui_form_add(&s->form, UF_TEXT, "New key", true,
					 "64 hex digits its owner reads to you");
	f->max_bytes = 64;
	s->mode = RC_START;
	t->focus_main = true;
}

static void rc_start_yes(struct tui *t, void *ud)
{
	struct rc_state *s = ud;
	struct rc_row *r = rc_selected(s);
	char acct[80], key[UI_FIELD_MAX + 16];
	char *fields[2] = { acct, key };
	if (!r || r->kind != RC_GUARDED)
		return;
	memcpy(acct, "account=", 8);
	mv_hex(acct + 8, r->account, 32);
	snprintf(key, sizeof key, "new_key=%s", s->form.f[0].buf);
	if (tui_submit(t, "recovery.approve", 2, fields, NULL) != MV_OK)
		return;
	tui_toast(t, UI_SUCCESS, "approved; the other guardians must approve the same key");
	ui_form_free(&s->form);
	s->mode = RC_LIST;
}

static int rc_start_submit(struct tui *t, struct rc_state *s)
{
	struct rc_row *r = rc_selected(s);
	char text[480];
	if (!r || r->kind != RC_GUARDED)
		return TUI_DRAW_ALL;
	snprintf(text, sizeof text, "Approve moving %s's account to the key %.8s…? Do this only if "
		 "its owner asked you in person or by phone and read you this key.",
		 tui_label(t, r->account), s->form.f[0].buf);
	tui_confirm(t, "Approve recovery", text, "Approve", rc_start_yes, s);
	return TUI_DRAW_ALL;
}

static void rc_close_form(struct tui *t, void *ud)
{
	struct rc_state *s = ud;
	ui_form_free(&s->form);
	s->mode = RC_LIST;
}

static int rc_form_key(struct tui *t, struct rc_state *s, int key)
{
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT: {
		int bad = ui_form_validate(&s->form);
		if (bad >= 0) {
			s->form.focus = (size_t)bad;
			tui_toast(t, UI_ERROR, "%s: %s", s->form.f[bad].label, s->form.f[bad].err);
			return TUI_DRAW_ALL;
		}
		return s->mode == RC_SET ? rc_set_submit(t, s) : rc_start_submit(t, s);
	}
	case UI_FORM_CANCEL:
		if (s->form.dirty)
			tui_confirm(t, "Discard", "Close the form and lose what you chose?", "Discard",
				    rc_close_form, s);
		else
			rc_close_form(t, s);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

/* ---- drawing ---------------------------------------------------------------- */

static void rc_row_draw(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	struct rc_state *s = ud;
	const struct rc_row *r = &s->rows[item];
	char key[40], text[256];
	int attr = sel ? theme_attr(TH_SEL) : 0;
	const char *label = tui_label(s->t, r->account);
	rc_key_text(key, sizeof key, r->rec.new_key);
	switch (r->kind) {
	case RC_GUARDIAN:
		snprintf(text, sizeof text, "guardian  %s", label);
		break;
	case RC_MINE:
		snprintf(text, sizeof text, "! YOUR account is being moved to key %s (%lld of %lld) · "
			 "x cancels", key, (long long)r->rec.approvals, (long long)r->rec.threshold);
		attr = sel ? attr : theme_attr(TH_ERR);
		break;
	case RC_GUARDED:
		snprintf(text, sizeof text, "you guard %s · nothing pending · a starts", label);
		break;
	case RC_PENDING:
		snprintf(text, sizeof text, "recover   %s → key %s · %lld of %lld · a approves", label,
			 key, (long long)r->rec.approvals, (long long)r->rec.threshold);
		attr = sel ? attr : theme_attr(TH_WARN);
		break;
	}
	ui_put(win, y, x, w, attr, text);
}

static void rc_draw_list(struct tui *t, struct rc_state *s, int y)
{
	int bottom = t->main_y + t->main_h;
	if (s->nguardians)
		ui_putf(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_TITLE),
			"Your guardians: %lld of %zu must approve (e changes them)",
			(long long)s->threshold, s->nguardians);
	else
		ui_put(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_WARN),
		       "You have no guardians yet: e chooses them");
	s->list_y = y - t->main_y;
	if (s->n == 0) {
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "Nobody has named you as a guardian.");
		return;
	}
	ui_list_draw(stdscr, &s->list, y, t->main_x, bottom - y, t->main_w, t->focus_main,
		     rc_row_draw, s);
}

static void rc_draw(struct tui *t, void *st)
{
	struct rc_state *s = st;
	int y = t->main_y + 2, cy, cx;
	tui_view_title(t, "Recovery", t->has_as ? t->as : "");
	if (!s->registered) {
		ui_put(stdscr, y, t->main_x, t->main_w, A_NORMAL,
		       "This identity has not joined yet: open Join (from Home) first.");
		return;
	}
	if (s->mode != RC_LIST) {
		ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	y += ui_doc_draw(stdscr, y, t->main_x, 3, t->main_w,
			 "Lost this device? Your guardians, together, can move your account to a "
			 "new key: balance, role and history follow it. They cannot read your data.",
			 0) + 1;
	rc_draw_list(t, s, y);
}

/* ---- input ------------------------------------------------------------------ */

static int rc_key(struct tui *t, void *st, int key)
{
	struct rc_state *s = st;
	return s->mode != RC_LIST ? rc_form_key(t, s, key) : TUI_UNHANDLED;
}

static int rc_row_action(struct tui *t, struct rc_state *s, enum tui_action a)
{
	struct rc_row *r = rc_selected(s);
	if (!r)
		return TUI_HANDLED;
	if (r->kind == RC_PENDING && (a == ACT_APPROVE || a == ACT_ENTER))
		return rc_approve(t, s, r);
	if (r->kind == RC_GUARDED && (a == ACT_APPROVE || a == ACT_ENTER)) {
		rc_open_start(t, s, r);
		return TUI_DRAW_ALL;
	}
	if (r->kind == RC_MINE && (a == ACT_REJECT || a == ACT_ENTER))
		return rc_cancel(t, s);
	return TUI_HANDLED;
}

static int rc_action(struct tui *t, void *st, enum tui_action a)
{
	struct rc_state *s = st;
	if (s->mode != RC_LIST)
		return TUI_HANDLED;
	if (!s->registered)
		return TUI_UNHANDLED;
	if (a == ACT_EDIT) {
		rc_open_set(t, s);
		return TUI_DRAW_ALL;
	}
	if (a == ACT_APPROVE || a == ACT_REJECT || a == ACT_ENTER)
		return rc_row_action(t, s, a);
	return tui_list_action(&s->list, a);
}

static int rc_click(struct tui *t, void *st, int y, int x)
{
	struct rc_state *s = st;
	if (s->mode != RC_LIST)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool rc_dirty(struct tui *t, void *st)
{
	struct rc_state *s = st;
	return s->mode != RC_LIST && s->form.dirty;
}

static const enum tui_action rc_actions[] = { ACT_APPROVE, ACT_REJECT, ACT_EDIT, ACT_NONE };
static const enum tui_action rc_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

static const enum tui_action *rc_actions_now(struct tui *t, void *st)
{
	return ((struct rc_state *)st)->mode != RC_LIST ? rc_form_actions : rc_actions;
}

static bool rc_init(struct tui *t, void **st)
{
	struct rc_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void rc_fini(struct tui *t, void *st)
{
	struct rc_state *s = st;
	ui_form_free(&s->form);
	ui_list_free(&s->list);
	free(s);
}

const struct view_ops view_recovery = {
	.name = "recovery",
	.title = "Recovery",
	.in_nav = true,
	.roles = "patient therapist council insurer regulator bot member",
	.help = "Social recovery. e chooses your guardians and how many of them must agree; if "
		"you lose this device they can move your account to a new key, and your balance, "
		"role and history follow it. When someone's guardians are moving YOUR account, "
		"a red row says so: x cancels while you still hold the key. As a guardian, a "
		"approves the recovery of an account you guard, to the key its owner read you.",
	.actions = rc_actions,
	.actions_now = rc_actions_now,
	.init = rc_init,
	.fini = rc_fini,
	.reload = rc_reload,
	.draw = rc_draw,
	.key = rc_key,
	.action = rc_action,
	.click = rc_click,
	.dirty = rc_dirty,
};
