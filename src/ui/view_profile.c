/* view_profile.c - the Profile & privacy screen of the identity acted as:
 * the public record everyone sees, the private profile and emergency
 * contact (decrypted only when asked, Enter, and wiped when hidden or left),
 * the privacy switches (Enter flips one: a privacy.set op), the shares of
 * the private blobs (Enter revokes one, saying that what was read cannot be
 * unread) and a row to share with someone. e edits the public fields and
 * replaces the private parts (profile.update; replacing drops shares).
 * Reads through query_people.h, acts through tui_submit and home_people.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_people.h"
#include "core/query_people.h"
#include "ui/view.h"

#define PF_SHARES 64
#define PF_CHOICES 256

enum pf_kind { PF_PRIVATE, PF_EMERGENCY, PF_LISTED, PF_CONTACT, PF_MOOD, PF_INSURER, PF_SHARE,
	       PF_ADD };
enum pf_mode { PF_LIST, PF_EDIT, PF_SHARING };
enum { EF_NAME, EF_WHERE, EF_LANGS, EF_BIO, EF_PRIVATE, EF_EMERGENCY };
enum { SF_TO, SF_WHAT };

struct pf_row {
	enum pf_kind kind;
	struct q_share share; /* PF_SHARE */
};

struct pf_state {
	struct tui *t;
	bool registered;
	uint8_t acct[32];
	struct q_user u;
	struct pf_row rows[8 + PF_SHARES];
	size_t n;
	struct ui_list list;
	int list_y;
	char *shown;              /* decrypted text on screen (wiped when hidden) */
	enum pf_kind shown_kind;
	enum pf_mode mode;
	struct ui_form form;
};

/* ---- data ------------------------------------------------------------------- */

static void pf_hide(struct pf_state *s)
{
	if (s->shown) {
		memset(s->shown, 0, strlen(s->shown));
		free(s->shown);
		s->shown = NULL;
	}
}

static int pf_share_cb(void *ud, const struct q_share *sh)
{
	struct pf_state *s = ud;
	if (s->n >= sizeof s->rows / sizeof s->rows[0] - 1)
		return 1;
	s->rows[s->n].kind = PF_SHARE;
	s->rows[s->n++].share = *sh;
	return 0;
}

static void pf_reload(struct tui *t, void *st)
{
	struct pf_state *s = st;
	static const enum pf_kind fixed[] = { PF_PRIVATE, PF_EMERGENCY, PF_LISTED, PF_CONTACT,
					      PF_MOOD, PF_INSURER };
	s->registered = false;
	s->n = 0;
	if (t->has_as && t->h->st && home_people_account(t->h, t->as, s->acct, NULL) == MV_OK)
		s->registered = query_user(t->h->st, s->acct, &s->u, NULL) == MV_OK;
	if (!s->registered) {
		pf_hide(s);
		ui_list_set_count(&s->list, 0);
		return;
	}
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (s->u.role == ROLE_PATIENT || (fixed[i] != PF_MOOD && fixed[i] != PF_INSURER))
			s->rows[s->n++].kind = fixed[i]; /* mood and attendance are a patient's */
	query_shares(t->h->st, s->acct, false, pf_share_cb, s, NULL);
	s->rows[s->n++].kind = PF_ADD;
	ui_list_set_count(&s->list, s->n);
}

static const char *pf_contact_text(enum people_contact c)
{
	return c == CONTACT_ANYONE ? "anyone" : c == CONTACT_CARE_TEAM ? "your care team only"
								      : "nobody";
}

static const char *pf_what_text(const char *what)
{
	return strcmp(what, "emergency") == 0 ? "emergency contact" : "private profile";
}

/* ---- privacy switches, reveal, revoke ---------------------------------------- */

static int pf_set_privacy(struct tui *t, struct pf_state *s, enum pf_kind k)
{
	static const char *const next_contact[] = { "care_team", "nobody", "anyone" };
	char field[64];
	char *fields[1] = { field };
	const struct people_privacy *p = &s->u.privacy;
	if (k == PF_LISTED)
		snprintf(field, sizeof field, "listed=%s", p->listed ? "no" : "yes");
	else if (k == PF_CONTACT)
		snprintf(field, sizeof field, "who_may_contact=%s", next_contact[p->who_may_contact]);
	else if (k == PF_MOOD)
		snprintf(field, sizeof field, "share_mood_with_therapist=%s",
			 p->share_mood_with_therapist ? "no" : "yes");
	else
		snprintf(field, sizeof field, "share_with_insurer=%s", p->share_with_insurer ? "no" : "yes");
	if (tui_submit(t, "privacy.set", 1, fields, NULL) == MV_OK)
		tui_toast(t, UI_SUCCESS, "privacy: %s (a public setting; recorded in the audit log)",
			  strchr(field, '=') + 1);
	return TUI_RELOAD | TUI_DRAW_ALL;
}

static int pf_reveal(struct tui *t, struct pf_state *s, enum pf_kind k)
{
	const char *what = k == PF_PRIVATE ? "profile" : "emergency";
	struct mv_buf plain;
	struct mv_err err;
	bool had = s->shown && s->shown_kind == k;
	pf_hide(s);
	if (had)
		return TUI_DRAW_VIEW; /* Enter again hides it */
	if (!(k == PF_PRIVATE ? s->u.has_profile : s->u.has_emergency)) {
		tui_toast(t, UI_INFO, "no %s on record: e adds one", pf_what_text(what));
		return TUI_DRAW_ALL;
	}
	mv_err_clear(&err);
	if (home_people_open(t->h, t->as, s->acct, what, &plain, &err) != MV_OK) {
		tui_toast(t, UI_ERROR, "cannot open your %s: %s", pf_what_text(what), err.msg);
		return TUI_DRAW_ALL;
	}
	s->shown = malloc(plain.len + 1);
	if (s->shown) {
		memcpy(s->shown, plain.data, plain.len);
		s->shown[plain.len] = '\0';
		s->shown_kind = k;
	}
	memset(plain.data, 0, plain.len);
	mv_buf_free(&plain);
	return TUI_DRAW_VIEW;
}

static void pf_revoke_yes(struct tui *t, void *ud)
{
	struct pf_state *s = ud;
	size_t item;
	char to[80], what[32], who[80];
	char *fields[2] = { to, what };
	if (!ui_list_selected(&s->list, &item) || s->rows[item].kind != PF_SHARE)
		return;
	const struct q_share *sh = &s->rows[item].share;
	mv_hex(to + 3, sh->reader, 32);
	memcpy(to, "to=", 3);
	snprintf(what, sizeof what, "what=%s", sh->what);
	snprintf(who, sizeof who, "%s", tui_label(t, sh->reader));
	if (tui_submit(t, "profile.revoke", 2, fields, NULL) == MV_OK)
		tui_toast(t, UI_SUCCESS, "%s can no longer get the key; what they read cannot be unread",
			  who);
}

static int pf_revoke(struct tui *t, struct pf_state *s, const struct q_share *sh)
{
	char text[400];
	snprintf(text, sizeof text, "Stop sharing your %s with %s? No node will hand them the key "
		 "any more. What they already read cannot be unread.", pf_what_text(sh->what),
		 tui_label(t, sh->reader));
	tui_confirm(t, "Revoke share", text, "Revoke", pf_revoke_yes, s);
	return TUI_DRAW_ALL;
}

/* ---- share form ------------------------------------------------------------- */

struct pf_choices {
	struct pf_state *s;
	struct ui_choice *c;
	size_t n;
};

static int pf_choice_cb(void *ud, const struct q_user *u)
{
	struct pf_choices *pc = ud;
	if (pc->n >= PF_CHOICES || memcmp(u->account, pc->s->acct, 32) == 0 || u->role == ROLE_NONE)
		return 0;
	snprintf(pc->c[pc->n].label, sizeof pc->c[0].label, "%s (%s)", tui_label(pc->s->t, u->account),
		 u->role_name);
	mv_hex(pc->c[pc->n].value, u->account, 32);
	pc->n++;
	return 0;
}

static void pf_open_share(struct tui *t, struct pf_state *s)
{
	static const struct ui_choice whats[] = {
		{"private profile", "profile"}, {"emergency contact", "emergency"},
	};
	struct pf_choices pc = { s, calloc(PF_CHOICES, sizeof(struct ui_choice)), 0 };
	ui_form_free(&s->form);
	ui_form_init(&s->form, "Share with someone");
	struct ui_field *to = ui_form_add(&s->form, UF_CHOICE, "Reader", true,
					  "←→ or a letter: who may read it from now on");
	struct ui_field *what = ui_form_add(&s->form, UF_CHOICE, "What", true, "←→ to choose");
	if (pc.c)
		query_users(t->h->st, NULL, false, pf_choice_cb, &pc, NULL);
	if (!pc.c || !ui_field_set_choices(to, pc.c, pc.n) || !ui_field_set_choices(what, whats, 2))
		tui_toast(t, UI_ERROR, "out of memory");
	free(pc.c);
	s->mode = PF_SHARING;
	t->focus_main = true;
}

static void pf_share_yes(struct tui *t, void *ud)
{
	struct pf_state *s = ud;
	uint8_t to[32];
	struct submit_result res;
	struct mv_err err;
	const char *what = ui_field_value(&s->form.f[SF_WHAT]);
	char who[80];
	if (mv_unhex(to, 32, ui_field_value(&s->form.f[SF_TO])) != MV_OK)
		return;
	snprintf(who, sizeof who, "%s", tui_label(t, to));
	memset(&res, 0, sizeof res);
	mv_err_clear(&err);
	int rc = home_people_share(t->h, t->as, to, what, &res, &err);
	if (tui_submitted(t, rc, &res, &err) != MV_OK)
		return;
	tui_toast(t, UI_SUCCESS, "%s can now read your %s", who, pf_what_text(what));
	ui_form_free(&s->form);
	s->mode = PF_LIST;
}

static int pf_share_submit(struct tui *t, struct pf_state *s)
{
	char text[480];
	const struct ui_field *to = &s->form.f[SF_TO];
	if (to->nchoices == 0) {
		tui_toast(t, UI_ERROR, "nobody else is registered yet");
		return TUI_DRAW_ALL;
	}
	snprintf(text, sizeof text, "Let %s read your %s? They can read it from now on. That you "
		 "share with them is public (the content is not); you can revoke it later, but what "
		 "they read cannot be unread.", to->choices[to->choice].label,
		 pf_what_text(ui_field_value(&s->form.f[SF_WHAT])));
	tui_confirm(t, "Share", text, "Share", pf_share_yes, s);
	return TUI_DRAW_ALL;
}

/* ---- edit form -------------------------------------------------------------- */

static void pf_open_edit(struct tui *t, struct pf_state *s)
{
	bool therapist = s->u.role == ROLE_THERAPIST;
	ui_form_free(&s->form);
	ui_form_init(&s->form, "Edit profile");
	struct ui_field *f = ui_form_add(&s->form, UF_TEXT, "Public name", true,
					 "everyone sees it; patients: a pseudonym");
	f->max_bytes = 64;
	ui_field_set_text(f, s->u.display_name);
	f = ui_form_add(&s->form, UF_TEXT, "Jurisdiction", true, "US, US-CA, DE ...");
	f->max_bytes = 6;
	ui_field_set_text(f, s->u.jurisdiction);
	f = ui_form_add(&s->form, UF_TEXT, "Languages", false, "e.g. en,es");
	f->max_bytes = 120;
	ui_field_set_text(f, s->u.languages);
	f = ui_form_add(&s->form, UF_TEXT, "About you", false,
			therapist ? "public professional text" : "patients: leave empty (public)");
	ui_field_set_text(f, s->u.bio);
	ui_form_add(&s->form, UF_TEXT, "New private profile", false,
		    "replaces it, encrypted to you; empty keeps the old one");
	ui_form_add(&s->form, UF_TEXT, "New emergency contact", false,
		    "replaces it, encrypted to you; empty keeps the old one");
	s->form.dirty = false;
	s->mode = PF_EDIT;
	t->focus_main = true;
}

/* The public fields that changed, as "name=value" into bufs. */
static int pf_changed_fields(struct pf_state *s, char bufs[4][UI_FIELD_MAX + 16], char **fields)
{
	static const char *const names[] = { "display_name", "jurisdiction", "languages", "bio" };
	const char *old[] = { s->u.display_name, s->u.jurisdiction, s->u.languages, s->u.bio };
	int n = 0;
	for (int i = 0; i < 4; i++) {
		if (strcmp(s->form.f[i].buf, old[i]) == 0)
			continue;
		snprintf(bufs[n], sizeof bufs[n], "%s=%s", names[i], s->form.f[i].buf);
		fields[n] = bufs[n];
		n++;
	}
	return n;
}

static bool pf_set_private(struct tui *t, const char *what, const char *text)
{
	struct submit_result res;
	struct mv_err err;
	if (!text[0])
		return true;
	memset(&res, 0, sizeof res);
	mv_err_clear(&err);
	int rc = home_people_set_private(t->h, t->as, what, text, &res, &err);
	return tui_submitted(t, rc, &res, &err) == MV_OK;
}

static void pf_edit_yes(struct tui *t, void *ud)
{
	struct pf_state *s = ud;
	char bufs[4][UI_FIELD_MAX + 16], *fields[4];
	int n = pf_changed_fields(s, bufs, fields);
	if (n && tui_submit(t, "profile.update", n, fields, NULL) != MV_OK)
		return;
	if (!pf_set_private(t, "profile", s->form.f[EF_PRIVATE].buf) ||
	    !pf_set_private(t, "emergency", s->form.f[EF_EMERGENCY].buf))
		return;
	pf_hide(s);
	ui_form_free(&s->form);
	s->mode = PF_LIST;
	tui_toast(t, UI_SUCCESS, "profile updated");
}

static int pf_edit_submit(struct tui *t, struct pf_state *s)
{
	char bufs[4][UI_FIELD_MAX + 16], *fields[4], text[480];
	int bad = ui_form_validate(&s->form);
	if (bad >= 0) {
		s->form.focus = (size_t)bad;
		tui_toast(t, UI_ERROR, "%s: %s", s->form.f[bad].label, s->form.f[bad].err);
		return TUI_DRAW_ALL;
	}
	int n = pf_changed_fields(s, bufs, fields);
	bool priv = s->form.f[EF_PRIVATE].buf[0] || s->form.f[EF_EMERGENCY].buf[0];
	if (!n && !priv) {
		tui_toast(t, UI_INFO, "nothing changed");
		return TUI_DRAW_ALL;
	}
	snprintf(text, sizeof text, "%s%s", n ? "Publish the changed public fields to everyone? " : "",
		 priv ? "Replacing a private part drops every share of it: readers must be shared it "
			"again, and what they read before cannot be unread." : "");
	tui_confirm(t, "Update profile", text, "Update", pf_edit_yes, s);
	return TUI_DRAW_ALL;
}

static void pf_discard_yes(struct tui *t, void *ud)
{
	struct pf_state *s = ud;
	ui_form_free(&s->form);
	s->mode = PF_LIST;
}

static int pf_form_key(struct tui *t, struct pf_state *s, int key)
{
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return s->mode == PF_EDIT ? pf_edit_submit(t, s) : pf_share_submit(t, s);
	case UI_FORM_CANCEL:
		if (s->form.dirty && s->mode == PF_EDIT)
			tui_confirm(t, "Discard", "Close the form and lose what you typed?", "Discard",
				    pf_discard_yes, s);
		else
			pf_discard_yes(t, s);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

/* ---- drawing ---------------------------------------------------------------- */

static void pf_row_text(struct pf_state *s, const struct pf_row *r, char *label, size_t n,
			char *value, size_t vn)
{
	const struct people_privacy *p = &s->u.privacy;
	char ago[32];
	switch (r->kind) {
	case PF_PRIVATE:
	case PF_EMERGENCY: {
		bool on = r->kind == PF_PRIVATE ? s->u.has_profile : s->u.has_emergency;
		bool open = s->shown && s->shown_kind == r->kind;
		snprintf(label, n, "%s", r->kind == PF_PRIVATE ? "Private profile" : "Emergency contact");
		snprintf(value, vn, "%s", !on ? "none (e adds one)" : open ? "shown below (Enter hides)"
								   : "encrypted · Enter shows");
		break;
	}
	case PF_LISTED:
		snprintf(label, n, "Listed in directories");
		snprintf(value, vn, "%s", p->listed ? "yes" : "no");
		break;
	case PF_CONTACT:
		snprintf(label, n, "Who may contact you");
		snprintf(value, vn, "%s", pf_contact_text(p->who_may_contact));
		break;
	case PF_MOOD:
		snprintf(label, n, "Mood log to therapist");
		snprintf(value, vn, "%s", p->share_mood_with_therapist ? "shared" : "not shared");
		break;
	case PF_INSURER:
		snprintf(label, n, "Attendance to insurer");
		snprintf(value, vn, "%s", p->share_with_insurer ? "shared" : "not shared");
		break;
	case PF_SHARE:
		ui_fmt_ago(ago, sizeof ago, r->share.time, s->t->now);
		snprintf(label, n, "Shared with");
		snprintf(value, vn, "%s · %s · %s", tui_label(s->t, r->share.reader), r->share.what,
			 ago);
		break;
	case PF_ADD:
		snprintf(label, n, "+ Share…");
		snprintf(value, vn, "let someone read a private part");
		break;
	}
}

static void pf_row(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	struct pf_state *s = ud;
	char label[64], value[200];
	pf_row_text(s, &s->rows[item], label, sizeof label, value, sizeof value);
	int lw = w >= 60 ? 24 : 22;
	int base = sel ? theme_attr(TH_SEL) : 0;
	ui_put(win, y, x, lw, sel ? base : theme_attr(TH_DIM), label);
	ui_put(win, y, x + lw, w - lw, base, value);
}

/* What Enter does on the selected row, for the hint line. */
static const char *pf_hint(const struct pf_row *r)
{
	switch (r->kind) {
	case PF_PRIVATE:
	case PF_EMERGENCY: return "Enter shows or hides it (decrypted here only)";
	case PF_LISTED: return "Enter switches whether directories list you";
	case PF_CONTACT: return "Enter: anyone → care team → nobody (who may book you)";
	case PF_MOOD: return "Enter switches: therapists in your care see your mood log";
	case PF_INSURER: return "Enter switches: insurers on your claims see attendance";
	case PF_SHARE: return "Enter revokes (what was already read cannot be unread)";
	default: return "Enter: choose a reader (the share is public, the content is not)";
	}
}

static int pf_draw_public(struct tui *t, struct pf_state *s, int y)
{
	char since[32];
	const struct q_user *u = &s->u;
	ui_fmt_time(since, sizeof since, u->created);
	ui_put(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_TITLE), "Public: everyone sees this");
	ui_putf(stdscr, y++, t->main_x + 2, t->main_w - 2, A_BOLD, "%s · %s · %s%s%s",
		u->display_name, u->role_name, u->jurisdiction, u->languages[0] ? " · " : "",
		u->languages);
	if (u->bio[0])
		ui_put(stdscr, y++, t->main_x + 2, t->main_w - 2, A_NORMAL, u->bio);
	ui_putf(stdscr, y++, t->main_x + 2, t->main_w - 2, theme_attr(TH_DIM), "joined %.10s", since);
	return y + 1;
}

static void pf_draw_list(struct tui *t, struct pf_state *s, int y)
{
	int bottom = t->main_y + t->main_h;
	int shown_h = s->shown ? 4 : 0;
	size_t item;
	ui_put(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_TITLE),
	       "Private parts, privacy and shares");
	s->list_y = y - t->main_y;
	int h = bottom - y - 1 - shown_h;
	ui_list_draw(stdscr, &s->list, y, t->main_x, h, t->main_w, t->focus_main, pf_row, s);
	y += (int)s->list.count < h ? (int)s->list.count : h;
	if (ui_list_selected(&s->list, &item))
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), pf_hint(&s->rows[item]));
	if (s->shown) {
		ui_put(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_WARN),
		       s->shown_kind == PF_PRIVATE ? "Your private profile (only on this screen):"
						   : "Your emergency contact (only on this screen):");
		ui_doc_draw(stdscr, y + 2, t->main_x + 2, bottom - y - 2, t->main_w - 2, s->shown, 0);
	}
}

static void pf_draw(struct tui *t, void *st)
{
	struct pf_state *s = st;
	int y = t->main_y + 2, cy, cx;
	tui_view_title(t, "Profile & privacy", t->has_as ? t->as : "");
	if (!s->registered) {
		ui_put(stdscr, y, t->main_x, t->main_w, A_NORMAL,
		       "This identity has not joined yet: open Join (from Home) first.");
		return;
	}
	if (s->mode != PF_LIST) {
		ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	y = pf_draw_public(t, s, y);
	pf_draw_list(t, s, y);
}

/* ---- input ------------------------------------------------------------------ */

static int pf_key(struct tui *t, void *st, int key)
{
	struct pf_state *s = st;
	return s->mode != PF_LIST ? pf_form_key(t, s, key) : TUI_UNHANDLED;
}

static int pf_enter(struct tui *t, struct pf_state *s)
{
	size_t item;
	if (!ui_list_selected(&s->list, &item))
		return TUI_HANDLED;
	const struct pf_row *r = &s->rows[item];
	switch (r->kind) {
	case PF_PRIVATE:
	case PF_EMERGENCY: return pf_reveal(t, s, r->kind);
	case PF_SHARE: return pf_revoke(t, s, &r->share);
	case PF_ADD: pf_open_share(t, s); return TUI_DRAW_ALL;
	default: return pf_set_privacy(t, s, r->kind);
	}
}

static int pf_action(struct tui *t, void *st, enum tui_action a)
{
	struct pf_state *s = st;
	if (s->mode != PF_LIST || !s->registered)
		return s->mode != PF_LIST ? TUI_HANDLED : TUI_UNHANDLED;
	if (a == ACT_EDIT) {
		pf_hide(s);
		pf_open_edit(t, s);
		return TUI_DRAW_ALL;
	}
	if (a == ACT_ENTER)
		return pf_enter(t, s);
	return tui_list_action(&s->list, a);
}

static int pf_click(struct tui *t, void *st, int y, int x)
{
	struct pf_state *s = st;
	if (s->mode != PF_LIST)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool pf_dirty(struct tui *t, void *st)
{
	struct pf_state *s = st;
	return s->mode == PF_EDIT && s->form.dirty;
}

static void pf_show(struct tui *t, void *st)
{
	pf_hide(st); /* private text is shown only while asked for */
}

static const enum tui_action pf_actions[] = { ACT_ENTER, ACT_EDIT, ACT_NONE };
static const enum tui_action pf_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

static const enum tui_action *pf_actions_now(struct tui *t, void *st)
{
	return ((struct pf_state *)st)->mode != PF_LIST ? pf_form_actions : pf_actions;
}

static bool pf_init(struct tui *t, void **st)
{
	struct pf_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void pf_fini(struct tui *t, void *st)
{
	struct pf_state *s = st;
	pf_hide(s);
	ui_form_free(&s->form);
	ui_list_free(&s->list);
	free(s);
}

const struct view_ops view_profile = {
	.name = "profile",
	.title = "Profile",
	.in_nav = true,
	.roles = "patient therapist council insurer regulator bot member",
	.help = "Your public record (everyone on the network sees it), your private profile and "
		"emergency contact (encrypted; Enter shows one here, and only here), privacy "
		"switches (Enter flips one), and who can read your private parts (Enter on a share "
		"revokes it: no node hands out the key any more, but what was read cannot be "
		"unread). e edits your public fields or replaces a private part.",
	.actions = pf_actions,
	.actions_now = pf_actions_now,
	.init = pf_init,
	.fini = pf_fini,
	.reload = pf_reload,
	.draw = pf_draw,
	.key = pf_key,
	.action = pf_action,
	.click = pf_click,
	.dirty = pf_dirty,
	.show = pf_show,
};
