/* view_identities.c - the Identities screen: the local identities of this
 * home with role and balance, switching the identity the app acts as (Enter
 * on a row, or one key: p patient, t therapist, m member, c council), and
 * creating a new identity (name and optional passphrase) through
 * home_keygen. Demo names start with their role, which is how one key finds
 * the patient, the therapist or the DAO member. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ui/view.h"

struct ident_row {
	char name[KS_NAME_MAX + 1];
	uint8_t pk[32];
	char role[24];
	int64_t balance;
	bool unprotected;
};

struct ident_state {
	struct ident_row *rows;
	size_t n, cap;
	struct ui_list list;
	int list_y;
	bool form_open;
	struct ui_form form;
	struct tui *t;
	char new_pass[UI_FIELD_MAX];
};

enum { IF_NAME, IF_PASS };

static int ident_list_cb(void *ud, const char *name, const uint8_t pk[32])
{
	struct ident_state *s = ud;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct ident_row *r = realloc(s->rows, cap * sizeof *r);
		if (!r)
			return 1;
		s->rows = r;
		s->cap = cap;
	}
	struct ident_row *r = &s->rows[s->n++];
	memset(r, 0, sizeof *r);
	snprintf(r->name, sizeof r->name, "%s", name);
	memcpy(r->pk, pk, 32);
	return 0;
}

static bool ident_match(void *ud, size_t item, const char *needle)
{
	struct ident_state *s = ud;
	char hay[128];
	snprintf(hay, sizeof hay, "%s %s", s->rows[item].name, s->rows[item].role);
	return ui_match_text(hay, needle);
}

static void ident_reload(struct tui *t, void *st)
{
	struct ident_state *s = st;
	struct mv_err err;
	char keep[KS_NAME_MAX + 1] = "";
	size_t item;
	if (ui_list_selected(&s->list, &item) && item < s->n)
		snprintf(keep, sizeof keep, "%s", s->rows[item].name);
	s->n = 0;
	mv_err_clear(&err);
	if (keystore_list(t->h->keydir, ident_list_cb, s, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "identities: %s", err.msg);
	for (size_t i = 0; i < s->n; i++) {
		struct ident_row *r = &s->rows[i];
		tui_role_of(t, r->name, r->pk, r->role, sizeof r->role);
		r->balance = tui_balance(t, r->pk);
		r->unprotected = keystore_is_unprotected(t->h->keydir, r->name);
	}
	char needle[sizeof s->list.filter];
	snprintf(needle, sizeof needle, "%s", s->list.filtered ? s->list.filter : "");
	ui_list_filter_clear(&s->list);
	ui_list_set_count(&s->list, s->n);
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->rows[i].name, keep[0] ? keep : t->as) == 0)
			ui_list_select_item(&s->list, i);
	if (needle[0])
		ui_list_filter(&s->list, needle, ident_match, s);
}

/* ---- new identity ---------------------------------------------------------- */

static bool ident_check_name(void *ud, const struct ui_field *f, char *err, size_t errlen)
{
	struct ident_state *s = ud;
	if (!keystore_name_valid(f->buf)) {
		snprintf(err, errlen, "1-48 of A-Z a-z 0-9 . _ -, not starting with . or -");
		return false;
	}
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->rows[i].name, f->buf) == 0) {
			snprintf(err, errlen, "%s already exists", f->buf);
			return false;
		}
	return true;
}

static void ident_open_form(struct tui *t, struct ident_state *s)
{
	ui_form_free(&s->form);
	ui_form_init(&s->form, "New identity");
	struct ui_field *name = ui_form_add(&s->form, UF_TEXT, "Name", true,
					    "start with the role: patient-, therapist-, member-");
	name->max_bytes = KS_NAME_MAX;
	name->check = ident_check_name;
	name->check_ud = s;
	ui_form_add(&s->form, UF_SECRET, "Passphrase", false,
		    "empty = unprotected key file (demos only)");
	s->form_open = true;
	t->focus_main = true;
}

/* home_keygen asks for the passphrase through ask_pass: answer with the one
 * typed in the form. */
static int ident_form_pass(void *ud, const char *name, char *buf, size_t buflen)
{
	struct ident_state *s = ud;
	snprintf(buf, buflen, "%s", s->new_pass);
	return MV_OK;
}

static int ident_create(struct tui *t, struct ident_state *s)
{
	int bad = ui_form_validate(&s->form);
	if (bad >= 0) {
		s->form.focus = (size_t)bad;
		tui_toast(t, UI_ERROR, "%s: %s", s->form.f[bad].label, s->form.f[bad].err);
		return TUI_DRAW_ALL;
	}
	char name[KS_NAME_MAX + 1];
	uint8_t pk[32];
	struct mv_err err;
	mv_err_clear(&err);
	snprintf(name, sizeof name, "%.48s", s->form.f[IF_NAME].buf);
	snprintf(s->new_pass, sizeof s->new_pass, "%s", s->form.f[IF_PASS].buf);
	int (*ask)(void *, const char *, char *, size_t) = t->h->ask_pass;
	void *ask_ud = t->h->ask_ud;
	t->h->ask_pass = ident_form_pass;
	t->h->ask_ud = s;
	int rc = home_keygen(t->h, name, pk, &err);
	t->h->ask_pass = ask;
	t->h->ask_ud = ask_ud;
	memset(s->new_pass, 0, sizeof s->new_pass);
	if (rc != MV_OK) {
		tui_toast(t, UI_ERROR, "%s", err.msg);
		return TUI_DRAW_ALL;
	}
	ui_form_free(&s->form);
	s->form_open = false;
	tui_switch_identity(t, name);
	tui_toast(t, UI_SUCCESS, "created %s and switched to it", name);
	return TUI_RELOAD | TUI_DRAW_ALL;
}

static void ident_discard_yes(struct tui *t, void *ud)
{
	struct ident_state *s = ud;
	ui_form_free(&s->form);
	s->form_open = false;
}

static int ident_form_key(struct tui *t, struct ident_state *s, int key)
{
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return ident_create(t, s);
	case UI_FORM_CANCEL:
		if (s->form.dirty)
			tui_confirm(t, "Discard", "Close the form and lose what you typed?", "Discard",
				    ident_discard_yes, s);
		else
			ident_discard_yes(t, s);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

/* ---- drawing and input -------------------------------------------------------- */

static void ident_row_draw(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	struct ident_state *s = ud;
	struct ident_row *r = &s->rows[item];
	bool cur = s->t->has_as && strcmp(r->name, s->t->as) == 0;
	char bal[48], hex[65];
	int base = sel ? theme_attr(TH_SEL) : 0;
	int name_attr = cur ? base | (int)A_BOLD : base;
	ui_fmt_amount(bal, sizeof bal, r->balance);
	mv_hex(hex, r->pk, 32);
	int col = x;
	col += ui_put(win, y, col, w, name_attr, cur ? "● " : "  ");
	ui_put(win, y, col, 26, name_attr, r->name);
	col += 26;
	if (col < x + w)
		ui_put(win, y, col, 10, sel ? base : theme_attr(TH_ACCENT), r->role);
	col += 10;
	int bw = 16;
	if (col + bw < x + w)
		ui_putf(win, y, col + bw - ui_text_width(bal) - 4, bw, base, "%s MVT", bal);
	col += bw + 2;
	if (col < x + w)
		ui_putf(win, y, col, x + w - col, sel ? base : theme_attr(TH_DIM), "%.12s…%s", hex,
			r->unprotected ? "  no passphrase" : "");
}

static void ident_draw(struct tui *t, void *st)
{
	struct ident_state *s = st;
	char right[96];
	snprintf(right, sizeof right, "acting as %s", t->has_as ? t->as : "nobody");
	tui_view_title(t, "Identities", right);
	int y = t->main_y + 2;
	if (s->form_open) {
		int cy, cx;
		ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM),
	       "Enter acts as the selected identity · p t m c switch by role in one key");
	y += 2;
	if (s->n == 0) {
		ui_put(stdscr, y, t->main_x, t->main_w, A_NORMAL, "No identities yet: press n to create one.");
		return;
	}
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, t->main_y + t->main_h - y, t->main_w,
		     t->focus_main, ident_row_draw, s);
}

static int ident_key(struct tui *t, void *st, int key)
{
	struct ident_state *s = st;
	return s->form_open ? ident_form_key(t, s, key) : TUI_UNHANDLED;
}

static int ident_action(struct tui *t, void *st, enum tui_action a)
{
	struct ident_state *s = st;
	size_t item;
	if (s->form_open)
		return TUI_HANDLED;
	if (a == ACT_NEW) {
		ident_open_form(t, s);
		return TUI_DRAW_ALL;
	}
	if (a == ACT_ENTER && ui_list_selected(&s->list, &item)) {
		tui_switch_identity(t, s->rows[item].name);
		return TUI_RELOAD | TUI_DRAW_ALL;
	}
	return tui_list_action(&s->list, a);
}

static int ident_click(struct tui *t, void *st, int y, int x)
{
	struct ident_state *s = st;
	if (s->form_open)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static int ident_filter(struct tui *t, void *st, const char *needle)
{
	struct ident_state *s = st;
	ui_list_filter(&s->list, needle, ident_match, s);
	return TUI_DRAW_VIEW;
}

static bool ident_dirty(struct tui *t, void *st)
{
	struct ident_state *s = st;
	return s->form_open && s->form.dirty;
}

static const enum tui_action ident_actions[] = {
	ACT_ENTER, ACT_NEW, ACT_SWITCH_PATIENT, ACT_SWITCH_THERAPIST, ACT_SWITCH_MEMBER,
	ACT_SWITCH_COUNCIL, ACT_NONE,
};
static const enum tui_action ident_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

static const enum tui_action *ident_actions_now(struct tui *t, void *st)
{
	return ((struct ident_state *)st)->form_open ? ident_form_actions : ident_actions;
}

static bool ident_init(struct tui *t, void **st)
{
	struct ident_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void ident_fini(struct tui *t, void *st)
{
	struct ident_state *s = st;
	ui_form_free(&s->form);
	ui_list_free(&s->list);
	free(s->rows);
	free(s);
}

const struct view_ops view_identities = {
	.name = "identities",
	.title = "Identities",
	.in_nav = true,
	.help = "The identities (key pairs) kept in this home. The app acts as one of them at a "
		"time: Enter switches to the selected one; p, t, m and c switch to the first "
		"patient-, therapist-, member- or council- identity in one key (again: the next one). "
		"n creates a new identity; its secret key is stored encrypted with the passphrase.",
	.actions = ident_actions,
	.actions_now = ident_actions_now,
	.init = ident_init,
	.fini = ident_fini,
	.reload = ident_reload,
	.draw = ident_draw,
	.key = ident_key,
	.action = ident_action,
	.click = ident_click,
	.filter = ident_filter,
	.dirty = ident_dirty,
};
