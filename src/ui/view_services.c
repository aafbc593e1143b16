/* view_services.c - Services (therapists): the services you publish, with
 * format, length, price, insurance and whether bookings are confirmed at
 * once; retired ones are listed dimmed. n publishes a new service, e edits
 * the selected one (service.update; booked sessions keep the terms they
 * were booked with), d retires it after a confirmation. The contract checks
 * that you are verified and that your continuing education is not overdue:
 * a refusal is shown as its message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/care_view.h"

struct svc_state {
	struct tui *t;
	struct qc_service *sv;
	size_t n, cap;
	struct ui_list list;
	int list_y;
	struct care_form cf;
	bool editing;          /* the form updates sv[edit] (else publishes) */
	uint8_t edit[32];
	uint8_t act[32];
};

enum { SF_TITLE, SF_MODALITY, SF_FORMAT, SF_DURATION, SF_PRICE, SF_LANGS, SF_SPECS, SF_INS,
       SF_AUTO };

static const char *const svc_modalities[] = {"individual", "couples", "group"};
static const char *const svc_formats[] = {"video", "in_person", "text"};
static const char *const svc_yesno[] = {"no", "yes"};

/* ---- data ----------------------------------------------------------------- */

static int svc_cb(void *ud, const struct qc_service *r)
{
	struct svc_state *s = ud;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct qc_service *v = realloc(s->sv, cap * sizeof *v);
		if (!v)
			return 1;
		s->sv = v;
		s->cap = cap;
	}
	s->sv[s->n++] = *r;
	return 0;
}

static void svc_reload(struct tui *t, void *st)
{
	struct svc_state *s = st;
	struct mv_err err;
	s->n = 0;
	if (t->has_as && t->h->st) {
		mv_err_clear(&err);
		if (query_care_services(t->h->st, t->as_pk, true, svc_cb, s, &err) != MV_OK)
			tui_toast(t, UI_ERROR, "services: %s", err.msg);
	}
	ui_list_set_count(&s->list, s->n);
}

static struct qc_service *svc_selected(struct svc_state *s)
{
	size_t item;
	return ui_list_selected(&s->list, &item) && item < s->n ? &s->sv[item] : NULL;
}

/* ---- the form --------------------------------------------------------------- */

static bool svc_check_duration(void *ud, const struct ui_field *f, char *err, size_t errlen)
{
	char *end;
	long v = strtol(f->buf, &end, 10);
	if (*end || v < 10 || v > 480) {
		snprintf(err, errlen, "minutes, 10..480");
		return false;
	}
	return true;
}

static bool svc_check_price(void *ud, const struct ui_field *f, char *err, size_t errlen)
{
	int64_t v;
	struct mv_err e;
	if (mv_amount_parse(f->buf, &v, &e) != MV_OK || v < 0) {
		snprintf(err, errlen, "an amount of MVT, 0 for free");
		return false;
	}
	return true;
}

/* "name=value" for field i of the form into buf. */
static char *svc_field(char *buf, size_t n, const char *name, const struct ui_field *f)
{
	snprintf(buf, n, "%s=%s", name, ui_field_value(f));
	return buf;
}

static bool svc_submit(struct tui *t, void *ud, struct ui_form *f)
{
	static const char *const names[] = {"title", "modality", "format", "duration_min", "price",
					    "languages", "specialties", "insurance_accepted",
					    "auto_accept"};
	struct svc_state *s = ud;
	char bufs[10][UI_FIELD_MAX + 32], *fields[10];
	int n = 0;
	if (s->editing) {
		char hex[65];
		mv_hex(hex, s->edit, 32);
		snprintf(bufs[n], sizeof bufs[n], "service=%s", hex);
		fields[n] = bufs[n];
		n++;
	}
	for (int i = SF_TITLE; i <= SF_AUTO; i++) {
		if ((i == SF_LANGS || i == SF_SPECS) && !f->f[i].buf[0] && !s->editing)
			continue;
		fields[n] = svc_field(bufs[n], sizeof bufs[n], names[i], &f->f[i]);
		n++;
	}
	if (tui_submit(t, s->editing ? "service.update" : "service.publish", n, fields, NULL) != MV_OK)
		return false;
	tui_toast(t, UI_SUCCESS, "%s %s", s->editing ? "updated" : "published", f->f[SF_TITLE].buf);
	return true;
}

static void svc_choice(struct ui_field *f, const char *const *labels, size_t n, const char *cur)
{
	care_form_choices(f, labels, n);
	for (size_t i = 0; i < n; i++)
		if (cur && strcmp(labels[i], cur) == 0)
			f->choice = i;
}

/* Open the form, filled from v when editing. */
static void svc_open_form(struct tui *t, struct svc_state *s, const struct qc_service *v)
{
	char buf[64];
	s->editing = v != NULL;
	if (v)
		memcpy(s->edit, v->sv.id, 32);
	care_form_open(t, &s->cf, v ? "Edit service" : "Publish a service", svc_submit, s);
	struct ui_form *fm = &s->cf.form;
	struct ui_field *f = ui_form_add(fm, UF_TEXT, "Title", true, "public, e.g. Anxiety therapy");
	f->max_bytes = CARE_TITLE_MAX;
	if (v)
		ui_field_set_text(f, v->sv.title);
	svc_choice(ui_form_add(fm, UF_CHOICE, "Modality", true, "who attends"), svc_modalities, 3,
		   v ? v->sv.modality : NULL);
	svc_choice(ui_form_add(fm, UF_CHOICE, "Format", true, "how the session happens"), svc_formats,
		   3, v ? v->sv.format : NULL);
	f = ui_form_add(fm, UF_TEXT, "Minutes", true, "length of one session, 10..480");
	f->check = svc_check_duration;
	snprintf(buf, sizeof buf, "%lld", v ? (long long)v->sv.duration_min : 50LL);
	ui_field_set_text(f, buf);
	f = ui_form_add(fm, UF_TEXT, "Price", true, "MVT per session (0 = free)");
	f->check = svc_check_price;
	if (v) {
		mv_amount_format(buf, sizeof buf, v->sv.price);
		ui_field_set_text(f, buf);
	}
	f = ui_form_add(fm, UF_TEXT, "Languages", false, "lower-case tags: en,pt-br");
	if (v)
		ui_field_set_text(f, v->languages);
	f = ui_form_add(fm, UF_TEXT, "Specialties", false, "lower-case tags: anxiety,grief");
	if (v)
		ui_field_set_text(f, v->specialties);
	svc_choice(ui_form_add(fm, UF_CHOICE, "Insurance", true, "may be booked with insurance"),
		   svc_yesno, 2, v ? svc_yesno[v->sv.insurance] : NULL);
	svc_choice(ui_form_add(fm, UF_CHOICE, "Auto-accept", true, "confirm bookings at once"),
		   svc_yesno, 2, v ? svc_yesno[v->sv.auto_accept] : NULL);
	fm->dirty = false;
}

static void svc_retire_yes(struct tui *t, void *ud)
{
	struct svc_state *s = ud;
	char f[80], hex[65];
	char *fields[1] = {f};
	mv_hex(hex, s->act, 32);
	snprintf(f, sizeof f, "service=%s", hex);
	if (tui_submit(t, "service.retire", 1, fields, NULL) == MV_OK)
		tui_toast(t, UI_SUCCESS, "retired: no new bookings; booked sessions go on");
}

/* ---- drawing ------------------------------------------------------------------- */

static void svc_row(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct svc_state *s = ud;
	const struct care_service *v = &s->sv[item].sv;
	char price[48];
	int base = sel ? theme_attr(TH_SEL) : v->retired ? theme_attr(TH_DIM) : 0;
	ui_fmt_amount(price, sizeof price, v->price);
	int tw = width >= 70 ? 30 : 24;
	ui_put(win, y, x, tw, base, v->title);
	ui_putf(win, y, x + tw + 1, width - tw - 1, sel ? base : theme_attr(TH_DIM),
		"%s · %lld min · %s MVT%s%s", v->format, (long long)v->duration_min, price,
		v->insurance ? " · ins." : "", v->retired ? " · retired" : "");
}

static void svc_draw_detail(struct tui *t, struct svc_state *s, int y)
{
	const struct qc_service *v = svc_selected(s);
	if (!v)
		return;
	ui_hline(stdscr, y, t->main_x, t->main_w, theme_attr(TH_BORDER));
	ui_putf(stdscr, y + 1, t->main_x, t->main_w, A_NORMAL, "%s · %s · %s", v->sv.modality,
		v->sv.auto_accept ? "bookings confirmed at once" : "you accept each booking",
		v->sv.insurance ? "insurance accepted" : "no insurance");
	ui_putf(stdscr, y + 2, t->main_x, t->main_w, theme_attr(TH_DIM), "languages %s · %s",
		v->languages[0] ? v->languages : "-", v->specialties[0] ? v->specialties : "-");
}

static void svc_draw(struct tui *t, void *st)
{
	struct svc_state *s = st;
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	if (s->cf.open) {
		care_form_draw(t, &s->cf, y);
		return;
	}
	tui_view_title(t, "My services", "n publish · e edit · d retire");
	if (s->n == 0) {
		care_view_empty(t, y, "You publish no services yet. Press n to publish one; then set "
				"your weekly hours in Availability.");
		return;
	}
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, bottom - y - 3, t->main_w, t->focus_main,
		     svc_row, s);
	svc_draw_detail(t, s, bottom - 3);
}

/* ---- input ------------------------------------------------------------------------ */

static int svc_key(struct tui *t, void *st, int key)
{
	struct svc_state *s = st;
	return care_form_key(t, &s->cf, key);
}

static int svc_action(struct tui *t, void *st, enum tui_action a)
{
	struct svc_state *s = st;
	struct qc_service *v = svc_selected(s);
	char text[256];
	if (s->cf.open)
		return TUI_HANDLED;
	switch (a) {
	case ACT_NEW:
		svc_open_form(t, s, NULL);
		return TUI_DRAW_ALL;
	case ACT_EDIT:
	case ACT_ENTER:
		if (!v || v->sv.retired) {
			tui_toast(t, UI_WARNING, v ? "a retired service cannot change" : "no service");
			return TUI_DRAW_ALL;
		}
		svc_open_form(t, s, v);
		return TUI_DRAW_ALL;
	case ACT_CANCEL:
		if (!v || v->sv.retired)
			return TUI_HANDLED;
		memcpy(s->act, v->sv.id, 32);
		snprintf(text, sizeof text, "Retire %s? Nobody can book it any more; sessions "
			 "already booked go on as agreed.", v->sv.title);
		tui_confirm(t, "Retire service", text, "Retire", svc_retire_yes, s);
		return TUI_DRAW_ALL;
	default:
		return tui_list_action(&s->list, a);
	}
}

static int svc_click(struct tui *t, void *st, int y, int x)
{
	struct svc_state *s = st;
	if (s->cf.open)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool svc_dirty(struct tui *t, void *st)
{
	struct svc_state *s = st;
	return s->cf.open && s->cf.form.dirty;
}

static const enum tui_action svc_actions[] = { ACT_NEW, ACT_EDIT, ACT_RETIRE, ACT_NONE };

static const enum tui_action *svc_actions_now(struct tui *t, void *st)
{
	return ((struct svc_state *)st)->cf.open ? care_form_actions : svc_actions;
}

static bool svc_init(struct tui *t, void **st)
{
	struct svc_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void svc_fini(struct tui *t, void *st)
{
	struct svc_state *s = st;
	care_form_close(&s->cf);
	ui_list_free(&s->list);
	free(s->sv);
	free(s);
}

const struct view_ops view_services = {
	.name = "services",
	.title = "Services",
	.in_nav = true,
	.roles = "therapist",
	.help = "The services you offer. n publishes one (title, who attends, format, length, "
		"price, languages, specialties, insurance, auto-accept); e edits the selected one "
		"(sessions already booked keep their price and length); d retires it (no new "
		"bookings). Only therapists verified by the council, with continuing education "
		"up to date, can publish.",
	.actions = svc_actions,
	.actions_now = svc_actions_now,
	.init = svc_init,
	.fini = svc_fini,
	.reload = svc_reload,
	.draw = svc_draw,
	.key = svc_key,
	.action = svc_action,
	.click = svc_click,
	.dirty = svc_dirty,
};
