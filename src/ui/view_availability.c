/* view_availability.c - Availability (therapists): your weekly hours as a
 * grid in your own time zone, the same every week. Space (or Enter)
 * opens or closes the hour under the cursor, e sets a range of hours on
 * several days at once, n adds an exception (a closed holiday or an extra
 * open stretch: availability.exception), and ^S publishes: the template is
 * expanded into concrete UTC windows for the next 12 weeks
 * (care_ui_week_expand, daylight-saving changes included) and sent as one
 * availability.set, which replaces your future windows and keeps your
 * exceptions. The grid starts from what you published, read back from the
 * coming week. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_care.h"
#include "ui/care_view.h"

#define AV_DAY_MS INT64_C(86400000)
#define AV_HALF_MS INT64_C(1800000)
#define AV_FIRST_HOUR 6
#define AV_LAST_HOUR 22
#define AV_EXC 16

struct av_state {
	struct tui *t;
	struct care_ui_week w;        /* the template being edited */
	bool changed;                 /* differs from what is published */
	int day, row;                 /* cursor cell */
	struct ui_week_layout L;
	int grid_y;
	struct qc_exception exc[AV_EXC];
	char exc_action[AV_EXC][8];
	size_t nexc;
	size_t npub;                  /* published windows ahead */
	struct care_form cf;
	int form_kind;                /* 0 hours, 1 exception */
};

enum { AH_DAYS, AH_FROM, AH_TO, AH_SET };
enum { AE_ACTION, AE_START, AE_END };

/* ---- data ------------------------------------------------------------------ */

struct av_load {
	int64_t *v;
	size_t n, cap;
};

static int av_window_cb(void *ud, int64_t start, int64_t end)
{
	struct av_load *l = ud;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		int64_t *v = realloc(l->v, cap * 2 * sizeof *v);
		if (!v)
			return 1;
		l->v = v;
		l->cap = cap;
	}
	l->v[2 * l->n] = start;
	l->v[2 * l->n + 1] = end;
	l->n++;
	return 0;
}

static int av_exc_cb(void *ud, const struct qc_exception *e)
{
	struct av_state *s = ud;
	if (s->nexc >= AV_EXC)
		return 1;
	s->exc[s->nexc] = *e;
	snprintf(s->exc_action[s->nexc], sizeof s->exc_action[0], "%s", e->action);
	s->exc[s->nexc].action = s->exc_action[s->nexc];
	s->nexc++;
	return 0;
}

static void av_reload(struct tui *t, void *st)
{
	struct av_state *s = st;
	struct av_load l = {NULL, 0, 0};
	struct mv_err err;
	s->nexc = 0;
	if (!t->has_as || !t->h->st)
		return;
	mv_err_clear(&err);
	if (query_care_availability(t->h->st, t->as_pk, t->now, t->now + 12 * 7 * AV_DAY_MS,
				    av_window_cb, &l, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "availability: %s", err.msg);
	s->npub = l.n;
	if (!s->changed)
		care_ui_week_from(&s->w, l.v, l.n, t->now);
	free(l.v);
	query_care_exceptions(t->h->st, t->as_pk, t->now, av_exc_cb, s, NULL);
}

/* Half hours [*a, *b) of the day covered by grid row `row`. */
static void av_row_halves(const struct av_state *s, int row, int *a, int *b)
{
	int min = s->L.first_hour * 60 + row * s->L.slot_min;
	*a = min / 30;
	*b = (min + s->L.slot_min + 29) / 30;
	if (*b > CARE_UI_SLOTS_PER_DAY)
		*b = CARE_UI_SLOTS_PER_DAY;
}

static void av_toggle(struct av_state *s)
{
	int a, b;
	bool all = true;
	if (s->L.nrows <= 0)
		return;
	av_row_halves(s, s->row, &a, &b);
	for (int i = a; i < b; i++)
		all = all && s->w.open[s->day][i];
	for (int i = a; i < b; i++)
		s->w.open[s->day][i] = !all;
	s->changed = true;
}

/* ---- publishing ---------------------------------------------------------------- */

static void av_publish_yes(struct tui *t, void *ud)
{
	struct av_state *s = ud;
	int64_t *win = NULL;
	size_t n = 0;
	char why[160];
	struct submit_result res;
	struct mv_err err;
	if (!care_ui_week_expand(&s->w, t->now, CARE_UI_WEEKS, &win, &n, why, sizeof why)) {
		tui_toast(t, UI_ERROR, "%s", why);
		return;
	}
	mv_err_clear(&err);
	int rc = home_care_availability_set(t->h, t->as, win, n, &res, &err);
	free(win);
	if (tui_submitted(t, rc, &res, &err) != MV_OK)
		return;
	s->changed = false;
	tui_toast(t, UI_SUCCESS, "published %zu windows for the next %d weeks", n, CARE_UI_WEEKS);
}

static int av_publish(struct tui *t, struct av_state *s)
{
	int64_t *win = NULL;
	size_t n = 0;
	char why[160], text[400], zone[16];
	if (!care_ui_week_expand(&s->w, t->now, CARE_UI_WEEKS, &win, &n, why, sizeof why)) {
		tui_toast(t, UI_ERROR, "%s", why);
		return TUI_DRAW_ALL;
	}
	free(win);
	care_ui_zone(zone, sizeof zone, t->now);
	size_t halves = care_ui_week_count(&s->w);
	snprintf(text, sizeof text, "Publish %zu h %s min a week (%s) as %zu windows for the next %d "
		 "weeks? This replaces your future availability; booked sessions stay, and so do "
		 "your exceptions.", halves / 2, halves % 2 ? "30" : "00", zone, n, CARE_UI_WEEKS);
	tui_confirm(t, "Publish availability", text, "Publish", av_publish_yes, s);
	return TUI_DRAW_ALL;
}

/* ---- forms: a range of hours, an exception --------------------------------------- */

/* "HH:MM" into half hours from midnight (24:00 allowed); -1 if bad. */
static int av_parse_hm(const char *s)
{
	int h, m, n = 0;
	if (sscanf(s, "%d:%d%n", &h, &m, &n) != 2 || s[n] || h < 0 || h > 24 || (m != 0 && m != 30) ||
	    (h == 24 && m))
		return -1;
	return h * 2 + m / 30;
}

static bool av_check_hm(void *ud, const struct ui_field *f, char *err, size_t errlen)
{
	if (av_parse_hm(f->buf) < 0) {
		snprintf(err, errlen, "HH:MM on the hour or half hour, e.g. 09:00");
		return false;
	}
	return true;
}

static bool av_hours_submit(struct tui *t, void *ud, struct ui_form *f)
{
	struct av_state *s = ud;
	int a = av_parse_hm(f->f[AH_FROM].buf), b = av_parse_hm(f->f[AH_TO].buf);
	size_t days = f->f[AH_DAYS].choice;
	bool open = f->f[AH_SET].choice == 0;
	if (b <= a) {
		tui_toast(t, UI_ERROR, "To must be after From");
		return false;
	}
	for (int d = 0; d < 7; d++) {
		bool on = days == 0 ? d < 5 : days == 1 ? true : days == 2 ? d >= 5 : d == s->day;
		for (int i = a; on && i < b; i++)
			s->w.open[d][i] = open;
	}
	s->changed = true;
	tui_toast(t, UI_INFO, "template changed: ^S publishes it");
	return true;
}

static void av_open_hours(struct tui *t, struct av_state *s)
{
	static const char *const days[] = {"Mon–Fri", "every day", "Sat–Sun", "this day"};
	static const char *const set[] = {"open", "closed"};
	care_form_open(t, &s->cf, "Set weekly hours", av_hours_submit, s);
	s->form_kind = 0;
	care_form_choices(ui_form_add(&s->cf.form, UF_CHOICE, "Days", true, "←→ to choose"), days, 4);
	struct ui_field *f = ui_form_add(&s->cf.form, UF_TEXT, "From", true, "local time, HH:MM");
	f->check = av_check_hm;
	ui_field_set_text(f, "09:00");
	f = ui_form_add(&s->cf.form, UF_TEXT, "To", true, "local time, HH:MM (24:00 = midnight)");
	f->check = av_check_hm;
	ui_field_set_text(f, "17:00");
	care_form_choices(ui_form_add(&s->cf.form, UF_CHOICE, "Set", true, "open or close those hours"),
			  set, 2);
	s->cf.form.dirty = false;
}

static bool av_check_time(void *ud, const struct ui_field *f, char *err, size_t errlen)
{
	int64_t v;
	return care_ui_parse(f->buf, &v, err, errlen);
}

static bool av_exc_submit(struct tui *t, void *ud, struct ui_form *f)
{
	int64_t a, b;
	char why[160], fa[48], fb[48], fact[32];
	care_ui_parse(f->f[AE_START].buf, &a, why, sizeof why);
	care_ui_parse(f->f[AE_END].buf, &b, why, sizeof why);
	snprintf(fact, sizeof fact, "action=%s", ui_field_value(&f->f[AE_ACTION]));
	snprintf(fa, sizeof fa, "start=%" PRId64, a);
	snprintf(fb, sizeof fb, "end=%" PRId64, b);
	char *fields[3] = {fact, fa, fb};
	if (tui_submit(t, "availability.exception", 3, fields, NULL) != MV_OK)
		return false;
	tui_toast(t, UI_SUCCESS, "exception added");
	return true;
}

static void av_open_exception(struct tui *t, struct av_state *s)
{
	static const char *const act[] = {"close", "open"};
	char a[48], b[48];
	int64_t day = care_ui_day_start(t->now + AV_DAY_MS);
	care_form_open(t, &s->cf, "Add an exception", av_exc_submit, s);
	s->form_kind = 1;
	care_form_choices(ui_form_add(&s->cf.form, UF_CHOICE, "Action", true,
				      "close: away (holiday); open: extra hours"), act, 2);
	struct ui_field *f = ui_form_add(&s->cf.form, UF_TEXT, "From", true,
					 "local time: YYYY-MM-DD HH:MM");
	f->check = av_check_time;
	care_ui_fmt(a, sizeof a, day);
	ui_field_set_text(f, a);
	f = ui_form_add(&s->cf.form, UF_TEXT, "Until", true, "local time, exclusive");
	f->check = av_check_time;
	care_ui_fmt(b, sizeof b, care_ui_day_start(day + AV_DAY_MS + AV_DAY_MS / 2));
	ui_field_set_text(f, b);
	s->cf.form.dirty = false;
}

/* ---- drawing ------------------------------------------------------------------------ */

/* Items for the open runs of the template, in the wall time of the week shown. */
static size_t av_items(struct av_state *s, struct ui_week_item *items, size_t max)
{
	size_t k = 0;
	for (int d = 0; d < 7; d++) {
		for (int i = 0; i < CARE_UI_SLOTS_PER_DAY && k < max;) {
			if (!s->w.open[d][i]) {
				i++;
				continue;
			}
			int j = i;
			while (j < CARE_UI_SLOTS_PER_DAY && s->w.open[d][j])
				j++;
			items[k].start = s->L.week_start + d * AV_DAY_MS + i * AV_HALF_MS;
			items[k].end = s->L.week_start + d * AV_DAY_MS + j * AV_HALF_MS;
			items[k].label = "open";
			items[k++].attr = theme_attr(TH_OK);
			i = j;
		}
	}
	return k;
}

static void av_draw_grid(struct tui *t, struct av_state *s, int y, int h)
{
	struct ui_week_item items[7 * CARE_UI_SLOTS_PER_DAY / 2];
	int64_t week = ui_week_start(care_ui_to_local(t->now));
	if (!ui_week_layout(&s->L, week, t->main_w, h, AV_FIRST_HOUR, AV_LAST_HOUR)) {
		care_view_empty(t, y, "The window is too small for the weekly grid.");
		return;
	}
	if (s->row >= s->L.nrows)
		s->row = s->L.nrows - 1;
	size_t n = av_items(s, items, sizeof items / sizeof items[0]);
	s->grid_y = y - t->main_y;
	ui_week_draw(stdscr, y, t->main_x, &s->L, items, n, t->focus_main ? s->day : -1, s->row);
}

static void av_draw_status(struct tui *t, struct av_state *s, int y)
{
	char line[256], a[48], b[48];
	size_t halves = care_ui_week_count(&s->w);
	if (s->changed)
		ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_WARN), "%zu h%s a week, not "
			"published: ^S publishes 12 weeks", halves / 2, halves % 2 ? " 30" : "");
	else
		ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), "%zu h%s a week · %zu "
			"windows published ahead", halves / 2, halves % 2 ? " 30" : "", s->npub);
	if (s->nexc == 0) {
		ui_put(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "no exceptions · n adds one (a holiday, extra hours)");
		return;
	}
	care_ui_fmt_short(a, sizeof a, s->exc[0].start);
	care_ui_fmt_short(b, sizeof b, s->exc[0].end);
	snprintf(line, sizeof line, "%zu exception%s · next: %s %s – %s", s->nexc,
		 s->nexc == 1 ? "" : "s", s->exc[0].action, a, b);
	ui_put(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM), line);
}

static void av_draw(struct tui *t, void *st)
{
	struct av_state *s = st;
	char zone[16], right[64];
	int y = t->main_y + 2;
	if (s->cf.open) {
		care_form_draw(t, &s->cf, y);
		return;
	}
	care_ui_zone(zone, sizeof zone, t->now);
	snprintf(right, sizeof right, "times in %s", zone);
	tui_view_title(t, "Weekly availability", right);
	if (!t->has_as) {
		care_view_empty(t, y, "No identity.");
		return;
	}
	ui_putf(stdscr, t->main_y + 1, t->main_x, t->main_w, theme_attr(TH_DIM),
		"Same hours every week (%s) · ^S publishes 12 weeks", zone);
	av_draw_grid(t, s, y, t->main_h - 4);
	av_draw_status(t, s, t->main_y + t->main_h - 2);
}

/* ---- input -------------------------------------------------------------------------- */

static int av_key(struct tui *t, void *st, int key)
{
	struct av_state *s = st;
	if (s->cf.open)
		return care_form_key(t, &s->cf, key);
	if (key == ' ') {
		av_toggle(s);
		return TUI_DRAW_VIEW;
	}
	return TUI_UNHANDLED;
}

static int av_action(struct tui *t, void *st, enum tui_action a)
{
	struct av_state *s = st;
	if (s->cf.open)
		return TUI_HANDLED;
	switch (a) {
	case ACT_UP: if (s->row > 0) s->row--; return TUI_DRAW_VIEW;
	case ACT_DOWN: if (s->row + 1 < s->L.nrows) s->row++; return TUI_DRAW_VIEW;
	case ACT_LEFT: if (s->day > 0) s->day--; return TUI_DRAW_VIEW;
	case ACT_RIGHT: if (s->day < 6) s->day++; return TUI_DRAW_VIEW;
	case ACT_TOP: s->row = 0; return TUI_DRAW_VIEW;
	case ACT_BOTTOM: s->row = s->L.nrows > 0 ? s->L.nrows - 1 : 0; return TUI_DRAW_VIEW;
	case ACT_ENTER:
	case ACT_TOGGLE: av_toggle(s); return TUI_DRAW_VIEW;
	case ACT_EDIT: av_open_hours(t, s); return TUI_DRAW_ALL;
	case ACT_NEW: av_open_exception(t, s); return TUI_DRAW_ALL;
	case ACT_PUBLISH: return av_publish(t, s);
	default: return TUI_UNHANDLED;
	}
}

static int av_click(struct tui *t, void *st, int y, int x)
{
	struct av_state *s = st;
	int row = y - s->grid_y - 1, col = x - s->L.label_w;
	if (s->cf.open || row < 0 || row >= s->L.nrows || col < 0 || s->L.col_w <= 0 ||
	    col / s->L.col_w > 6)
		return TUI_HANDLED;
	if (s->day == col / s->L.col_w && s->row == row)
		av_toggle(s);
	s->day = col / s->L.col_w;
	s->row = row;
	return TUI_DRAW_VIEW;
}

static bool av_dirty(struct tui *t, void *st)
{
	struct av_state *s = st;
	return s->changed || (s->cf.open && s->cf.form.dirty);
}

static const enum tui_action av_actions[] = {
	ACT_TOGGLE, ACT_EDIT, ACT_NEW, ACT_PUBLISH, ACT_NONE,
};

static const enum tui_action *av_actions_now(struct tui *t, void *st)
{
	return ((struct av_state *)st)->cf.open ? care_form_actions : av_actions;
}

static bool av_init(struct tui *t, void **st)
{
	struct av_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	s->row = 3; /* 09:00 with hourly rows */
	*st = s;
	return true;
}

static void av_fini(struct tui *t, void *st)
{
	struct av_state *s = st;
	care_form_close(&s->cf);
	free(s);
}

const struct view_ops view_availability = {
	.name = "availability",
	.title = "Schedule",
	.in_nav = true,
	.roles = "therapist",
	.help = "Your weekly hours in your own time zone, the same every week. Space or Enter "
		"opens or closes the hour under the cursor (a click too); e sets a range of hours "
		"on several days at once. ^S publishes the template as concrete windows for the "
		"next 12 weeks, replacing your future availability (booked sessions stay). n adds "
		"an exception: close a holiday, or open extra hours; exceptions survive a "
		"re-publish.",
	.actions = av_actions,
	.actions_now = av_actions_now,
	.init = av_init,
	.fini = av_fini,
	.reload = av_reload,
	.draw = av_draw,
	.key = av_key,
	.action = av_action,
	.click = av_click,
	.dirty = av_dirty,
};
