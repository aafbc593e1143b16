/* care_view.c - the form host, display names and small drawing pieces of
 * the care screens (see care_view.h). */
#include "ui/care_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/query_people.h"

const enum tui_action care_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

void care_form_open(struct tui *t, struct care_form *cf, const char *title,
		    bool (*submit)(struct tui *t, void *ud, struct ui_form *f), void *ud)
{
	ui_form_free(&cf->form);
	ui_form_init(&cf->form, "");
	snprintf(cf->title, sizeof cf->title, "%s", title);
	cf->submit = submit;
	cf->ud = ud;
	cf->open = true;
	t->focus_main = true;
}

void care_form_close(struct care_form *cf)
{
	ui_form_free(&cf->form);
	cf->open = false;
}

static void care_form_discard_yes(struct tui *t, void *ud)
{
	care_form_close(ud);
}

static int care_form_submit(struct tui *t, struct care_form *cf)
{
	int bad = ui_form_validate(&cf->form);
	if (bad >= 0) {
		cf->form.focus = (size_t)bad;
		tui_toast(t, UI_ERROR, "%s: %s", cf->form.f[bad].label, cf->form.f[bad].err);
		return TUI_DRAW_ALL;
	}
	if (cf->submit(t, cf->ud, &cf->form))
		care_form_close(cf);
	return TUI_DRAW_ALL | TUI_RELOAD;
}

int care_form_key(struct tui *t, struct care_form *cf, int key)
{
	if (!cf->open)
		return TUI_UNHANDLED;
	switch (ui_form_key(&cf->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return care_form_submit(t, cf);
	case UI_FORM_CANCEL:
		if (cf->form.dirty)
			tui_confirm(t, "Discard", "Close the form and lose what you typed?", "Discard",
				    care_form_discard_yes, cf);
		else
			care_form_close(cf);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

int care_form_draw(struct tui *t, struct care_form *cf, int y)
{
	int cy, cx;
	tui_view_title(t, cf->title, "Enter next · ^S done · Esc");
	int rows = ui_form_draw(stdscr, &cf->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
	t->cur_y = cy;
	t->cur_x = cx;
	return rows;
}

bool care_form_choices(struct ui_field *f, const char *const *labels, size_t n)
{
	struct ui_choice *c = calloc(n ? n : 1, sizeof *c);
	if (!c)
		return false;
	for (size_t i = 0; i < n; i++) {
		snprintf(c[i].label, sizeof c[i].label, "%s", labels[i]);
		snprintf(c[i].value, sizeof c[i].value, "%s", labels[i]);
	}
	bool ok = ui_field_set_choices(f, c, n);
	free(c);
	return ok;
}

const char *care_view_name(struct tui *t, const uint8_t id[32], char *out, size_t outlen)
{
	struct q_user u;
	struct mv_err e;
	if (t->h->st && query_user(t->h->st, id, &u, &e) == MV_OK && u.display_name[0])
		snprintf(out, outlen, "%s", u.display_name);
	else
		snprintf(out, outlen, "%s", tui_label(t, id));
	return out;
}

int care_view_kv(int y, int x, int w, int labw, const char *label, int attr, const char *value)
{
	ui_put(stdscr, y, x, labw, theme_attr(TH_DIM), label);
	ui_put(stdscr, y, x + labw, w - labw, attr, value);
	return 1;
}

int care_view_para(int y, int x, int w, int maxrows, int attr, const char *text)
{
	size_t st[32], ln[32];
	size_t n = ui_wrap(text, w, st, ln, 32);
	int rows = 0;
	for (size_t i = 0; i < n && i < 32 && rows < maxrows; i++, rows++) {
		char line[512];
		size_t k = ln[i] < sizeof line - 1 ? ln[i] : sizeof line - 1;
		memcpy(line, text + st[i], k);
		line[k] = '\0';
		ui_put(stdscr, y + rows, x, w, attr, line);
	}
	return rows;
}

void care_view_empty(struct tui *t, int y, const char *text)
{
	care_view_para(y, t->main_x, t->main_w, 4, theme_attr(TH_DIM), text);
}

/* ---- Home cards ------------------------------------------------------------ */

#define CARE_VIEW_DISPLACED_CARDS 2

static void care_view_card_next(struct tui *t, care_view_card_fn add, void *ud)
{
	struct qc_session r;
	struct mv_err e;
	char when[48], cd[48], who[72], state[64], title[192], sub[320];
	if (query_care_next(t->h->st, t->as_pk, t->now, &r, &e) != MV_OK)
		return;
	care_ui_fmt_short(when, sizeof when, r.s.start);
	care_ui_fmt_countdown(cd, sizeof cd, r.s.start, t->now);
	care_view_name(t, r.as_therapist ? r.s.patient : r.s.therapist, who, sizeof who);
	care_ui_state(state, sizeof state, &r);
	snprintf(title, sizeof title, "Next session %s: %s", cd, when);
	snprintf(sub, sizeof sub, "%s with %s · %s", r.title, who, state);
	memcpy(care_ui_pick()->session, r.s.id, 32);
	care_ui_pick()->has_session = true;
	add(ud, "sessions", r.s.state == CS_REQUESTED ? TH_WARN : TH_OK, title, sub);
}

struct care_view_disp {
	struct tui *t;
	care_view_card_fn add;
	void *ud;
	int shown;
};

/* "Fri 27 Nov 14:00, 14:50, Mon 30 Nov 10:00": the next few free slots. */
struct care_view_slots {
	char text[160];
	int n;
	int64_t last_day;
};

static int care_view_slot_cb(void *ud, int64_t start, int64_t end)
{
	struct care_view_slots *v = ud;
	char buf[48];
	int64_t day = care_ui_day_start(start);
	size_t len = strlen(v->text);
	if (day == v->last_day)
		care_ui_fmt_hm(buf, sizeof buf, start);
	else
		care_ui_fmt_short(buf, sizeof buf, start);
	snprintf(v->text + len, sizeof v->text - len, "%s%s", v->n ? ", " : "", buf);
	v->last_day = day;
	return ++v->n >= 3;
}

static int care_view_disp_cb(void *ud, const struct qc_displaced *d)
{
	struct care_view_disp *c = ud;
	struct tui *t = c->t;
	struct qc_session old;
	struct mv_err e;
	uint8_t service[32];
	static const uint8_t zero[32];
	char when[48], title[192], sub[256];
	struct care_view_slots v = {"", 0, INT64_MIN};
	if (d->start <= t->now || c->shown >= CARE_VIEW_DISPLACED_CARDS)
		return 0;
	memcpy(service, d->service, 32);
	if (memcmp(service, zero, 32) == 0) {
		if (query_care_session(t->h->st, d->session, NULL, t->now, &old, &e) != MV_OK)
			return 0;
		memcpy(service, old.s.service, 32);
	}
	query_care_free_slots(t->h->st, service, t->now, t->now + INT64_C(14) * 86400000, t->now,
			      t->as_pk, 0, care_view_slot_cb, &v, NULL);
	care_ui_fmt_short(when, sizeof when, d->start);
	snprintf(title, sizeof title, "Slot taken: your booking for %s did not stand", when);
	snprintf(sub, sizeof sub, "an earlier booking won; no money moved · Enter books · next free: "
		 "%s", v.n ? v.text : "none in 2 weeks");
	struct care_ui_pick *p = care_ui_pick();
	memcpy(p->service, service, 32);
	p->has_service = true;
	p->moving = false;
	c->add(c->ud, "book", TH_ERR, title, sub);
	c->shown++;
	return 0;
}

void care_view_home_cards(struct tui *t, care_view_card_fn add, void *ud)
{
	struct care_view_disp c = {t, add, ud, 0};
	if (!t->has_as || !t->h->st)
		return;
	query_care_displaced(t->h->st, t->as_pk, care_view_disp_cb, &c, NULL);
	care_view_card_next(t, add, ud);
}
