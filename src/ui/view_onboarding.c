/* view_onboarding.c - the Join screen: a new (unregistered) identity joins
 * the network as a patient or a therapist in one form: role, public name (a
 * pseudonym for patients), jurisdiction, languages, and an optional private
 * profile and emergency contact, encrypted on this device to the identity
 * alone (home_people_register). Before anything is signed a confirmation
 * says exactly what everyone will see and what stays private. Guardians
 * come later (Recovery). An identity that is registered already sees where
 * to edit its profile instead of the form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_people.h"
#include "core/query_people.h"
#include "ui/view.h"

enum { OB_ROLE, OB_NAME, OB_WHERE, OB_LANGS, OB_PRIVATE, OB_EMERGENCY, OB_BIO };

struct ob_state {
	struct ui_form form;
	bool registered;          /* the current identity has a role already */
	char role[16], name[65];  /* ... which, under which name */
};

/* ---- data ------------------------------------------------------------------- */

static bool ob_check_where(void *ud, const struct ui_field *f, char *err, size_t errlen)
{
	size_t n = strlen(f->buf);
	bool ok = n == 2 || (n >= 4 && n <= 6 && f->buf[2] == '-');
	for (size_t i = 0; ok && i < 2; i++)
		ok = f->buf[i] >= 'A' && f->buf[i] <= 'Z';
	if (!ok)
		snprintf(err, errlen, "two capital letters, optionally a region: US, US-CA, DE-BE");
	return ok;
}

static void ob_form_open(struct ob_state *s)
{
	static const struct ui_choice roles[] = {
		{"patient: I am looking for care", "patient"},
		{"therapist: I provide care (verified later)", "therapist"},
	};
	ui_form_free(&s->form);
	ui_form_init(&s->form, "");
	struct ui_field *f = ui_form_add(&s->form, UF_CHOICE, "I join as", true,
					 "←→ to choose");
	ui_field_set_choices(f, roles, 2);
	f = ui_form_add(&s->form, UF_TEXT, "Public name", true,
			"seen by all; patients: a pseudonym");
	f->max_bytes = 64;
	f = ui_form_add(&s->form, UF_TEXT, "Jurisdiction", true, "where you are: US, US-CA, DE, GB ...");
	f->max_bytes = 6;
	f->check = ob_check_where;
	f = ui_form_add(&s->form, UF_TEXT, "Languages", false, "optional, e.g. en,es");
	f->max_bytes = 120;
	ui_form_add(&s->form, UF_TEXT, "Private profile", false,
		    "optional; encrypted to you alone");
	ui_form_add(&s->form, UF_TEXT, "Emergency contact", false,
		    "optional; encrypted to you alone");
	ui_form_add(&s->form, UF_TEXT, "About you", false, "public; therapists only");
	s->form.focus = OB_NAME;
}

static void ob_reload(struct tui *t, void *st)
{
	struct ob_state *s = st;
	uint8_t acct[32];
	struct q_user u;
	s->registered = false;
	if (!t->has_as || !t->h->st || home_people_account(t->h, t->as, acct, NULL) != MV_OK)
		return;
	if (query_user(t->h->st, acct, &u, NULL) == MV_OK) {
		s->registered = true;
		snprintf(s->role, sizeof s->role, "%s", u.role_name);
		snprintf(s->name, sizeof s->name, "%s", u.display_name);
	}
}

/* ---- submit ----------------------------------------------------------------- */

static const char *ob_value(struct ob_state *s, int i)
{
	const char *v = ui_field_value(&s->form.f[i]);
	return v && v[0] ? v : NULL;
}

static void ob_register_yes(struct tui *t, void *ud)
{
	struct ob_state *s = ud;
	struct submit_result res;
	struct mv_err err;
	struct home_register_args a = {
		ob_value(s, OB_ROLE), ob_value(s, OB_NAME), ob_value(s, OB_WHERE),
		ob_value(s, OB_BIO), ob_value(s, OB_LANGS), ob_value(s, OB_PRIVATE),
		ob_value(s, OB_EMERGENCY),
	};
	char name[80];
	snprintf(name, sizeof name, "%s", a.display_name);
	memset(&res, 0, sizeof res);
	mv_err_clear(&err);
	int rc = home_people_register(t->h, t->as, &a, &res, &err);
	if (tui_submitted(t, rc, &res, &err) != MV_OK)
		return;
	ob_form_open(s); /* wipes what was typed */
	tui_toast(t, UI_SUCCESS, "welcome, %s: you joined as %s. Next: choose guardians in Recovery",
		  name, t->role);
	tui_goto(t, "home");
}

static int ob_submit(struct tui *t, struct ob_state *s)
{
	char text[512];
	for (char *c = s->form.f[OB_WHERE].buf; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A'); /* "us-ca" means US-CA */
	int bad = ui_form_validate(&s->form);
	if (bad >= 0) {
		s->form.focus = (size_t)bad;
		tui_toast(t, UI_ERROR, "%s: %s", s->form.f[bad].label, s->form.f[bad].err);
		return TUI_DRAW_ALL;
	}
	bool patient = strcmp(ob_value(s, OB_ROLE), "patient") == 0;
	if (patient && ob_value(s, OB_BIO)) {
		s->form.focus = OB_BIO;
		tui_toast(t, UI_ERROR, "a patient's public record holds only a pseudonym: put details "
			  "in the private profile");
		return TUI_DRAW_ALL;
	}
	snprintf(text, sizeof text, "Join as a %s named \"%s\" in %s? Everyone on the network sees "
		 "this name, the role, %s and your languages.%s A key registers once.",
		 ob_value(s, OB_ROLE), ob_value(s, OB_NAME), ob_value(s, OB_WHERE), ob_value(s, OB_WHERE),
		 ob_value(s, OB_PRIVATE) || ob_value(s, OB_EMERGENCY)
			 ? " Your private profile and emergency contact are encrypted on this device "
			   "to you alone." : "");
	tui_confirm(t, "Join MentalVerse", text, "Join", ob_register_yes, s);
	return TUI_DRAW_ALL;
}

/* ---- drawing and input -------------------------------------------------------- */

static void ob_draw_registered(struct tui *t, struct ob_state *s, int y)
{
	ui_putf(stdscr, y, t->main_x, t->main_w, A_BOLD, "You joined as %s \"%s\".", s->role, s->name);
	ui_put(stdscr, y + 2, t->main_x, t->main_w, A_NORMAL,
	       "Edit your profile and privacy in Profile; choose guardians in Recovery.");
}

static void ob_draw(struct tui *t, void *st)
{
	struct ob_state *s = st;
	int cy, cx, y = t->main_y + 1;
	tui_view_title(t, "Join MentalVerse", t->has_as ? t->as : "");
	if (!t->has_as || !t->h->st) {
		ui_put(stdscr, y + 1, t->main_x, t->main_w, A_NORMAL,
		       "No identity or network: create an identity in Identities first.");
		return;
	}
	if (s->registered) {
		ob_draw_registered(t, s, y + 1);
		return;
	}
	y += ui_doc_draw(stdscr, y, t->main_x, 3, t->main_w,
			 "Pick a pseudonym unrelated to your name. Private fields are encrypted "
			 "before they leave this screen. Tab moves, Enter on the last field joins.", 0);
	ui_form_draw(stdscr, &s->form, y + 1, t->main_x, t->main_w, t->focus_main, &cy, &cx);
	t->cur_y = cy;
	t->cur_x = cx;
}

static void ob_discard_yes(struct tui *t, void *ud)
{
	ob_form_open(ud);
	t->focus_main = false;
}

static int ob_key(struct tui *t, void *st, int key)
{
	struct ob_state *s = st;
	if (s->registered || !t->has_as)
		return TUI_UNHANDLED;
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return ob_submit(t, s);
	case UI_FORM_CANCEL:
		if (s->form.dirty)
			tui_confirm(t, "Discard", "Clear the form and lose what you typed?", "Discard",
				    ob_discard_yes, s);
		else
			t->focus_main = false;
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

static bool ob_dirty(struct tui *t, void *st)
{
	struct ob_state *s = st;
	return !s->registered && s->form.dirty;
}

static const enum tui_action ob_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};
static const enum tui_action ob_done_actions[] = { ACT_NONE };

static const enum tui_action *ob_actions_now(struct tui *t, void *st)
{
	return ((struct ob_state *)st)->registered ? ob_done_actions : ob_actions;
}

static bool ob_init(struct tui *t, void **st)
{
	struct ob_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	ob_form_open(s);
	*st = s;
	return true;
}

static void ob_fini(struct tui *t, void *st)
{
	struct ob_state *s = st;
	ui_form_free(&s->form);
	free(s);
}

const struct view_ops view_onboarding = {
	.name = "onboarding",
	.title = "Join",
	.in_nav = true,
	.roles = "user",
	.help = "Join the network with the identity you act as: as a patient (under a pseudonym) "
		"or as a therapist (verified by the council after you submit your license in "
		"Verification). The private profile and emergency contact are encrypted on this "
		"device to you alone; share them later in Profile. Council members, insurers, "
		"regulators and bots are appointed by the council, never self-made.",
	.actions = ob_actions,
	.actions_now = ob_actions_now,
	.init = ob_init,
	.fini = ob_fini,
	.reload = ob_reload,
	.draw = ob_draw,
	.key = ob_key,
	.dirty = ob_dirty,
};
