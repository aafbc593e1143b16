/* view_compliance.c - the Compliance report screen: what
 * `show compliance-report --from --to` prints (query_compliance_report),
 * for a period the user picks: totals of the access audit, data requests
 * handled, erasures and retention actions, then every event of the period
 * in time order, scrollable and filterable. Under the totals, the rules of
 * the viewer's own jurisdiction (jurisdiction_find on their registered
 * jurisdiction): the law, how long session records are kept, breach notice,
 * consent to notes kept abroad, erasure and portability.
 *
 * The period is [from, to) in UTC, whole minutes, by default the 30 days
 * ending at the next UTC midnight (today included); e edits both ends with
 * the form's time fields, so typing the same two times into the CLI gives
 * the same numbers. Nothing here writes. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_people.h"
#include "core/query_gov.h"
#include "ui/council_ui.h"
#include "ui/view.h"

#define VCO_DAY INT64_C(86400000)
#define VCO_DEFAULT_DAYS 30
#define VCO_ROWS_MAX 20000 /* rows kept for the list; the totals count all */

enum { VCF_FROM, VCF_TO };

struct vco_state {
	struct tui *t;
	int64_t from, to;            /* the period, [from, to) ms UTC; 0: not set yet */
	struct q_compliance_report R;
	bool loaded;
	struct q_report_row *rows;
	size_t n, cap;
	bool cut;                    /* more rows than VCO_ROWS_MAX */
	char jurisdiction[8];        /* the viewer's ("" if none) */
	const struct jurisdiction_rule *rule;
	struct ui_list list;
	int list_y;
	bool form_open;
	struct ui_form form;
};

static bool vco_match(void *ud, size_t item, const char *needle);

/* ---- data ------------------------------------------------------------------- */

/* The default period: the 30 days that end at the next UTC midnight. */
static void vco_default_period(struct vco_state *s, int64_t now)
{
	s->to = (now / VCO_DAY + 1) * VCO_DAY;
	s->from = s->to - VCO_DEFAULT_DAYS * VCO_DAY;
}

static int vco_row_cb(void *ud, const struct q_report_row *r)
{
	struct vco_state *s = ud;
	if (s->n >= VCO_ROWS_MAX) {
		s->cut = true;
		return 1;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct q_report_row *v = realloc(s->rows, cap * sizeof *v);
		if (!v)
			return 1;
		s->rows = v;
		s->cap = cap;
	}
	s->rows[s->n++] = *r;
	return 0;
}

static void vco_load_rules(struct tui *t, struct vco_state *s)
{
	uint8_t acct[32];
	struct q_user u;
	s->jurisdiction[0] = '\0';
	s->rule = NULL;
	if (!t->has_as || home_people_account(t->h, t->as, acct, NULL) != MV_OK ||
	    query_user(t->h->st, acct, &u, NULL) != MV_OK)
		return;
	snprintf(s->jurisdiction, sizeof s->jurisdiction, "%s", u.jurisdiction);
	s->rule = jurisdiction_find(u.jurisdiction);
}

static void vco_reload(struct tui *t, void *st)
{
	struct vco_state *s = st;
	struct mv_err err;
	char needle[sizeof s->list.filter];
	s->n = 0;
	s->cut = s->loaded = false;
	memset(&s->R, 0, sizeof s->R);
	if (!s->from)
		vco_default_period(s, t->now);
	if (t->h->st) {
		mv_err_clear(&err);
		if (query_compliance_report(t->h->st, s->from, s->to, &s->R, vco_row_cb, s, &err) != MV_OK)
			tui_toast(t, UI_ERROR, "compliance report: %s", err.msg);
		else
			s->loaded = true;
		vco_load_rules(t, s);
	}
	snprintf(needle, sizeof needle, "%s", s->list.filtered ? s->list.filter : "");
	ui_list_filter_clear(&s->list);
	ui_list_set_count(&s->list, s->n);
	if (needle[0])
		ui_list_filter(&s->list, needle, vco_match, s);
}

/* ---- the period form ---------------------------------------------------------- */

static void vco_open_form(struct tui *t, struct vco_state *s)
{
	char when[32];
	ui_form_free(&s->form);
	ui_form_init(&s->form, "Report period (UTC)");
	struct ui_field *f = ui_form_add(&s->form, UF_TIME, "From", true,
					 "YYYY-MM-DD [HH:MM], included");
	ui_fmt_time(when, sizeof when, s->from);
	ui_field_set_text(f, when);
	f = ui_form_add(&s->form, UF_TIME, "To", true, "YYYY-MM-DD [HH:MM], not included");
	ui_fmt_time(when, sizeof when, s->to);
	ui_field_set_text(f, when);
	s->form.dirty = false;
	s->form.focus = VCF_FROM;
	s->form_open = true;
	t->focus_main = true;
}

static void vco_close_form(struct vco_state *s)
{
	ui_form_free(&s->form);
	s->form_open = false;
}

static int vco_apply_form(struct tui *t, struct vco_state *s)
{
	int bad = ui_form_validate(&s->form);
	if (bad >= 0) {
		s->form.focus = (size_t)bad;
		tui_toast(t, UI_ERROR, "%s: %s", s->form.f[bad].label, s->form.f[bad].err);
		return TUI_DRAW_ALL;
	}
	int64_t from = s->form.f[VCF_FROM].value, to = s->form.f[VCF_TO].value;
	if (to <= from) {
		s->form.focus = VCF_TO;
		tui_toast(t, UI_ERROR, "To must be after From");
		return TUI_DRAW_ALL;
	}
	s->from = from;
	s->to = to;
	vco_close_form(s);
	vco_reload(t, s);
	ui_list_top(&s->list);
	return TUI_DRAW_ALL;
}

static int vco_form_key(struct tui *t, struct vco_state *s, int key)
{
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return vco_apply_form(t, s);
	case UI_FORM_CANCEL:
		vco_close_form(s); /* nothing is lost: the period stays as it was */
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

/* ---- drawing ------------------------------------------------------------------- */

static void vco_row_text(struct vco_state *s, const struct q_report_row *r, char *out, size_t n)
{
	char when[32], who[64];
	static const uint8_t none[32];
	ui_fmt_time(when, sizeof when, r->time);
	snprintf(who, sizeof who, "%s", memcmp(r->who, none, 32) ? tui_label(s->t, r->who) : "-");
	snprintf(out, n, "%s  %-9s %-14.14s %s", when, query_report_kind_name(r->kind), who, r->what);
}

static void vco_row(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	struct vco_state *s = ud;
	char text[480];
	vco_row_text(s, &s->rows[item], text, sizeof text);
	ui_put(win, y, x, w, sel ? theme_attr(TH_SEL) : 0, text);
}

/* Totals in lines that fit 50 columns after the label (80-column terminals). */
static int vco_draw_totals(struct tui *t, struct vco_state *s, int y)
{
	const struct q_compliance_report *R = &s->R;
	y = cui_field(t, y, "Audit log", 0, "%" PRId64 " entries · %" PRId64 " emergency access%s",
		      R->audit_entries, R->emergency_accesses, R->emergency_accesses == 1 ? "" : "es");
	y = cui_field(t, y, "Requests", 0, "%" PRId64 " received · %" PRId64 " pending",
		      R->requests, R->requests_pending);
	y = cui_field(t, y, "", 0, "%" PRId64 " granted · %" PRId64 " denied · %" PRId64 " fulfilled",
		      R->requests_granted, R->requests_denied, R->requests_fulfilled);
	y = cui_field(t, y, "Erasures", 0, "%" PRId64 " account%s · %" PRId64 " blobs listed",
		      R->erasures, R->erasures == 1 ? "" : "s", R->blobs_erased);
	y = cui_field(t, y, "Retention", 0, "%" PRId64 " sweep%s · %" PRId64 " sessions · %" PRId64
		      " blobs expired", R->retention_sweeps, R->retention_sweeps == 1 ? "" : "s",
		      R->sessions_retained, R->blobs_expired);
	return y;
}

static int vco_draw_rules(struct tui *t, struct vco_state *s, int y)
{
	const struct jurisdiction_rule *r = s->rule;
	char notice[48];
	if (!s->jurisdiction[0])
		return y;
	if (!r)
		return cui_field(t, y, "Your rules", theme_attr(TH_DIM), "%s: no rule set; records "
				 "kept %d days", s->jurisdiction, JURISDICTION_DEFAULT_RETENTION_DAYS);
	if (r->breach_notice_hours)
		snprintf(notice, sizeof notice, "%" PRId64 " h", r->breach_notice_hours);
	else
		snprintf(notice, sizeof notice, "without delay");
	y = cui_field(t, y, "Your rules", 0, "%s → %s, %s · records kept %" PRId64 " days",
		      s->jurisdiction, r->code, r->law, r->retention_days);
	y = cui_field(t, y, "", theme_attr(TH_DIM), "breach notice %s · rights: %s", notice,
		      r->erasure_right && r->portability_right ? "erasure, portability"
		      : r->erasure_right ? "erasure" : r->portability_right ? "portability" : "none");
	return cui_field(t, y, "", theme_attr(TH_DIM), "notes kept abroad need consent: %s",
			 r->cross_border_consent ? "yes" : "no");
}

/* The selected event's whole text under the list (rows are cut). */
static void vco_draw_detail(struct tui *t, struct vco_state *s, int y)
{
	size_t item, st[2], ln[2];
	if (!ui_list_selected(&s->list, &item) || item >= s->n)
		return;
	const char *what = s->rows[item].what;
	size_t n = ui_wrap(what, t->main_w, st, ln, 2);
	for (size_t i = 0; i < n && i < 2; i++) {
		char line[320];
		snprintf(line, sizeof line, "%.*s", (int)ln[i], what + st[i]);
		ui_put(stdscr, y + (int)i, t->main_x, t->main_w, theme_attr(TH_DIM), line);
	}
}

static void vco_draw(struct tui *t, void *st)
{
	struct vco_state *s = st;
	char a[32], b[32], right[80];
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	ui_fmt_time(a, sizeof a, s->from);
	ui_fmt_time(b, sizeof b, s->to);
	snprintf(right, sizeof right, "%.10s .. %.10s", a, b);
	tui_view_title(t, "Compliance report", right);
	if (!t->h->st) {
		ui_put(stdscr, y, t->main_x, t->main_w, A_NORMAL, "No network in this home yet.");
		return;
	}
	if (s->form_open) {
		int cy, cx;
		y += ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		ui_put(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "The same as: show compliance-report --from FROM --to TO");
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	y = cui_field(t, y, "Period", theme_attr(TH_ACCENT), "%s to %s UTC", a, b);
	y = vco_draw_totals(t, s, y);
	y = vco_draw_rules(t, s, y) + 1;
	if (y >= bottom)
		return;
	ui_putf(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_TITLE), "Events (%zu%s)%s", s->n,
		s->cut ? ", the first shown" : "", s->list.filtered ? " (filtered)" : "");
	s->list_y = y - t->main_y;
	if (s->n == 0) {
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), s->loaded
		       ? "Nothing in this period: audit entries, data requests, erasures and retention "
			 "actions appear here. e picks another period."
		       : "The report could not be read.");
		return;
	}
	if (ui_list_visible(&s->list) == 0)
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), "Nothing matches the filter.");
	int h = bottom - y - 3; /* a gap and two lines of the selected event's text */
	if (h < 2)
		h = bottom - y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, h, t->main_w, t->focus_main, vco_row, s);
	if (h < bottom - y)
		vco_draw_detail(t, s, bottom - 2);
}

/* ---- input ---------------------------------------------------------------------- */

static int vco_key(struct tui *t, void *st, int key)
{
	struct vco_state *s = st;
	return s->form_open ? vco_form_key(t, s, key) : TUI_UNHANDLED;
}

static int vco_action(struct tui *t, void *st, enum tui_action a)
{
	struct vco_state *s = st;
	if (s->form_open)
		return TUI_HANDLED;
	if (a == ACT_EDIT) {
		vco_open_form(t, s);
		return TUI_DRAW_ALL;
	}
	return tui_list_action(&s->list, a);
}

static int vco_click(struct tui *t, void *st, int y, int x)
{
	struct vco_state *s = st;
	if (s->form_open)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool vco_match(void *ud, size_t item, const char *needle)
{
	struct vco_state *s = ud;
	char text[480];
	vco_row_text(s, &s->rows[item], text, sizeof text);
	return ui_match_text(text, needle);
}

static int vco_filter(struct tui *t, void *st, const char *needle)
{
	struct vco_state *s = st;
	if (!ui_list_filter(&s->list, needle, vco_match, s))
		tui_toast(t, UI_ERROR, "out of memory while filtering");
	return TUI_DRAW_VIEW;
}

static const enum tui_action vco_actions[] = { ACT_EDIT, ACT_NONE };
static const enum tui_action vco_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

static const enum tui_action *vco_actions_now(struct tui *t, void *st)
{
	return ((struct vco_state *)st)->form_open ? vco_form_actions : vco_actions;
}

static bool vco_init(struct tui *t, void **st)
{
	struct vco_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void vco_fini(struct tui *t, void *st)
{
	struct vco_state *s = st;
	ui_form_free(&s->form);
	ui_list_free(&s->list);
	free(s->rows);
	free(s);
}

const struct view_ops view_compliance = {
	.name = "compliance",
	.title = "Compliance",
	.in_nav = true,
	.roles = "council regulator",
	.help = "The compliance report for a period (the same numbers as `mentalverse show "
		"compliance-report --from --to`): entries of the access audit and emergency "
		"accesses, regulator data requests received and how they were handled, erasures "
		"and the blobs they listed, retention sweeps; then every event of the period in "
		"time order (/ filters). The period is in UTC, the start included and the end "
		"not; by default the 30 days up to the next midnight. e changes it. Under the "
		"totals, the rules of your own jurisdiction: how long session records are kept, "
		"breach notice, erasure, portability, consent to notes kept abroad.",
	.actions = vco_actions,
	.actions_now = vco_actions_now,
	.init = vco_init,
	.fini = vco_fini,
	.reload = vco_reload,
	.draw = vco_draw,
	.key = vco_key,
	.action = vco_action,
	.click = vco_click,
	.filter = vco_filter,
};
