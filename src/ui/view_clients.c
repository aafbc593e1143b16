/* view_clients.c - Clients (therapists): the patients you are in an active
 * care relation with (it starts when you confirm their first session), by
 * pseudonym, with how long, how many sessions, and the next one. Enter
 * opens My sessions on that patient's next (else latest) session.
 *
 * Mood check-ins the selected patient shared with you (access.share_mood)
 * are opened with your key when you select the patient (the same moment
 * Notes opens a note) and shown as a chart of their last 30 days with the
 * latest check-in; check-ins of several shares are merged. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_companion.h"
#include "core/query_people.h"
#include "ui/care_view.h"
#include "ui/companion_ui.h"

#define CL_MOOD_DAYS 30

struct cl_row {
	uint8_t patient[32];
	char name[72];
	int64_t since;
	int64_t sessions;
	int64_t next;          /* start of the next upcoming session, 0 if none */
	uint8_t focus[32];     /* the session Enter opens */
	bool has_focus;
};

struct cl_state {
	struct tui *t;
	struct cl_row *rows;
	size_t n, cap;
	struct ui_list list;
	int list_y;
	/* check-ins the selected patient shared with you */
	uint8_t mood_for[32];
	bool mood_tried;
	size_t nshares;
	int64_t shared_at;            /* the latest share */
	struct companion_checkin *mood;
	size_t nmood, capmood;
	char mood_err[160];
};

struct cl_count {
	struct cl_row *r;
	const uint8_t *me;
	int64_t now;
};

static int cl_session_cb(void *ud, const struct qc_session *q)
{
	struct cl_count *c = ud;
	if (memcmp(q->s.patient, c->r->patient, 32) != 0 || memcmp(q->s.therapist, c->me, 32) != 0)
		return 0;
	c->r->sessions++;
	bool upcoming = care_state_holds_slot(q->s.state) && q->s.end > c->now &&
			(q->s.state == CS_REQUESTED || q->s.state == CS_CONFIRMED);
	if (upcoming && (!c->r->next || q->s.start < c->r->next)) {
		c->r->next = q->s.start;
		memcpy(c->r->focus, q->s.id, 32);
		c->r->has_focus = true;
	} else if (!c->r->next) {
		memcpy(c->r->focus, q->s.id, 32); /* latest so far (ascending order) */
		c->r->has_focus = true;
	}
	return 0;
}

static int cl_care_cb(void *ud, const struct q_care *c)
{
	struct cl_state *s = ud;
	struct tui *t = s->t;
	if (memcmp(c->therapist, t->as_pk, 32) != 0)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct cl_row *v = realloc(s->rows, cap * sizeof *v);
		if (!v)
			return 1;
		s->rows = v;
		s->cap = cap;
	}
	struct cl_row *r = &s->rows[s->n++];
	memset(r, 0, sizeof *r);
	memcpy(r->patient, c->patient, 32);
	r->since = c->since;
	care_view_name(t, c->patient, r->name, sizeof r->name);
	struct cl_count cc = {r, t->as_pk, t->now};
	query_care_sessions(t->h->st, t->as_pk, QC_ALL, t->now, cl_session_cb, &cc, NULL);
	return 0;
}

/* ---- shared mood check-ins ---------------------------------------------------- */

static void cl_mood_clear(struct cl_state *s)
{
	if (s->mood)
		sodium_memzero(s->mood, s->capmood * sizeof *s->mood);
	s->nmood = s->nshares = 0;
	s->shared_at = 0;
	s->mood_err[0] = '\0';
	s->mood_tried = false;
}

static int cl_mood_add(void *ud, const struct companion_checkin *c)
{
	struct cl_state *s = ud;
	for (size_t i = 0; i < s->nmood; i++) /* shares may overlap */
		if (s->mood[i].time == c->time && s->mood[i].score == c->score)
			return 0;
	if (s->nmood == s->capmood) {
		size_t cap = s->capmood ? s->capmood * 2 : 64;
		struct companion_checkin *v = realloc(s->mood, cap * sizeof *v);
		if (!v)
			return 1;
		s->mood = v;
		s->capmood = cap;
	}
	s->mood[s->nmood++] = *c;
	return 0;
}

struct cl_mood_walk {
	struct cl_state *s;
	struct mv_err err;
	int rc;
};

static int cl_share_cb(void *ud, const struct companion_share *sh)
{
	struct cl_mood_walk *w = ud;
	struct cl_state *s = w->s;
	struct tui *t = s->t;
	if (memcmp(sh->patient, s->mood_for, 32) != 0 || memcmp(sh->therapist, t->as_pk, 32) != 0)
		return 0;
	s->nshares++;
	if (sh->time > s->shared_at)
		s->shared_at = sh->time;
	if (w->rc == MV_OK)
		w->rc = home_companion_open_share(t->h, t->as, sh, cl_mood_add, s, &w->err);
	return 0;
}

static int cl_time_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct companion_checkin *)a)->time, y = ((const struct companion_checkin *)b)->time;
	return x < y ? -1 : x > y;
}

/* Open what the selected patient shared with you, once per selection. */
static void cl_mood_load(struct tui *t, struct cl_state *s)
{
	size_t item;
	if (!ui_list_selected(&s->list, &item) || !t->has_as) {
		cl_mood_clear(s);
		return;
	}
	if (s->mood_tried && memcmp(s->mood_for, s->rows[item].patient, 32) == 0)
		return;
	cl_mood_clear(s);
	memcpy(s->mood_for, s->rows[item].patient, 32);
	s->mood_tried = true;
	struct cl_mood_walk w = {s, {0, ""}, MV_OK};
	if (companion_shares(t->h->st, t->as_pk, cl_share_cb, &w, &w.err) != MV_OK)
		w.rc = MV_ERR;
	if (w.rc != MV_OK)
		snprintf(s->mood_err, sizeof s->mood_err, "%.150s", w.err.msg);
	if (s->nmood > 1)
		qsort(s->mood, s->nmood, sizeof *s->mood, cl_time_cmp);
}

static void cl_reload(struct tui *t, void *st)
{
	struct cl_state *s = st;
	struct mv_err err;
	s->n = 0;
	if (t->has_as && t->h->st) {
		mv_err_clear(&err);
		if (query_care(t->h->st, t->as_pk, cl_care_cb, s, &err) < 0)
			tui_toast(t, UI_ERROR, "clients: %s", err.msg);
	}
	ui_list_set_count(&s->list, s->n);
	s->mood_tried = false; /* shares may have arrived */
	cl_mood_load(t, s);
}

static void cl_row_draw(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct cl_state *s = ud;
	struct cl_row *r = &s->rows[item];
	char next[64];
	int base = sel ? theme_attr(TH_SEL) : 0, dim = sel ? base : theme_attr(TH_DIM);
	if (r->next)
		care_ui_fmt_short(next, sizeof next, r->next);
	else
		snprintf(next, sizeof next, "no session booked");
	int nw = width >= 70 ? 22 : 16;
	ui_put(win, y, x, nw, base | A_BOLD, r->name);
	ui_putf(win, y, x + nw + 1, 12, dim, "%lld session%s", (long long)r->sessions,
		r->sessions == 1 ? "" : "s");
	ui_putf(win, y, x + nw + 14, width - nw - 14, r->next ? base : dim, "%s%s",
		r->next ? "next " : "", next);
}

/* Rows the mood part of the detail needs for the selected patient. */
static int cl_mood_rows(const struct cl_state *s)
{
	return s->nshares ? (s->nmood ? 7 : 2) : 1;
}

static void cl_draw_mood(struct tui *t, struct cl_state *s, int y)
{
	char sum[96], ago[48], when[32];
	if (!s->nshares) {
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "No mood check-ins shared with you (the patient shares them from their Companion)");
		return;
	}
	ui_fmt_ago(ago, sizeof ago, s->shared_at, t->now);
	companion_ui_summary(sum, sizeof sum, s->mood, s->nmood);
	ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_TITLE), "Mood shared with you · %s · "
		"last shared %s", sum, ago);
	if (!s->nmood) {
		ui_putf(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_WARN), "cannot open: %s",
			s->mood_err[0] ? s->mood_err : "no check-ins");
		return;
	}
	const struct companion_checkin *c = &s->mood[s->nmood - 1];
	int64_t end = c->time > t->now ? c->time : t->now;
	y += 1 + companion_ui_chart(stdscr, y + 1, t->main_x, 3, t->main_w, s->mood, s->nmood, end,
				    CL_MOOD_DAYS, theme_attr(TH_ACCENT));
	ui_fmt_time(when, sizeof when, c->time);
	ui_putf(stdscr, y, t->main_x, t->main_w, A_NORMAL, "latest %s: %d/10%s%s%s%s", when, c->score,
		c->tags[0] ? " · " : "", c->tags, c->note[0] ? " · " : "", c->note);
}

static void cl_draw_detail(struct tui *t, struct cl_state *s, int y)
{
	size_t item;
	char since[48];
	if (!ui_list_selected(&s->list, &item))
		return;
	struct cl_row *r = &s->rows[item];
	care_ui_fmt(since, sizeof since, r->since);
	ui_hline(stdscr, y, t->main_x, t->main_w, theme_attr(TH_BORDER));
	ui_putf(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM), "%s (%s) in your care since %s",
		r->name, tui_label(t, r->patient), since);
	ui_put(stdscr, y + 2, t->main_x, t->main_w, theme_attr(TH_DIM),
	       "Enter opens the next session; its notes are one more Enter away");
	cl_draw_mood(t, s, y + 3);
}

static void cl_draw(struct tui *t, void *st)
{
	struct cl_state *s = st;
	char right[32];
	snprintf(right, sizeof right, "%zu in your care", s->n);
	tui_view_title(t, "Clients", right);
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	if (s->n == 0) {
		care_view_empty(t, y, "Nobody in your care yet: a care relation starts when you "
				"confirm a patient's first session.");
		return;
	}
	int detail = 3 + cl_mood_rows(s);
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, bottom - y - detail, t->main_w, t->focus_main,
		     cl_row_draw, s);
	cl_draw_detail(t, s, bottom - detail);
}

static int cl_open(struct tui *t, struct cl_state *s)
{
	size_t item;
	if (!ui_list_selected(&s->list, &item) || !s->rows[item].has_focus)
		return TUI_HANDLED;
	struct care_ui_pick *p = care_ui_pick();
	memcpy(p->session, s->rows[item].focus, 32);
	p->has_session = true;
	tui_goto(t, "sessions");
	return TUI_DRAW_ALL | TUI_RELOAD;
}

static int cl_action(struct tui *t, void *st, enum tui_action a)
{
	struct cl_state *s = st;
	if (a == ACT_ENTER)
		return cl_open(t, s);
	int r = tui_list_action(&s->list, a);
	if (r != TUI_UNHANDLED)
		cl_mood_load(t, s);
	return r;
}

static int cl_click(struct tui *t, void *st, int y, int x)
{
	struct cl_state *s = st;
	if (!ui_list_click(&s->list, y - s->list_y))
		return TUI_HANDLED;
	cl_mood_load(t, s);
	return TUI_DRAW_VIEW;
}

static bool cl_init(struct tui *t, void **st)
{
	struct cl_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void cl_fini(struct tui *t, void *st)
{
	struct cl_state *s = st;
	ui_list_free(&s->list);
	cl_mood_clear(s);
	free(s->mood);
	free(s->rows);
	free(s);
}

static const enum tui_action cl_actions[] = { ACT_ENTER, ACT_NONE };

const struct view_ops view_clients = {
	.name = "clients",
	.title = "Clients",
	.in_nav = true,
	.roles = "therapist",
	.help = "Patients in your care: the relation starts when you confirm a patient's first "
		"session and lets you keep notes. Enter opens the patient's next session (or the "
		"latest) in My sessions. Mood check-ins a patient shared with you from their "
		"Companion are opened with your key when you select them: a chart of their last "
		"30 days and the latest check-in.",
	.actions = cl_actions,
	.init = cl_init,
	.fini = cl_fini,
	.reload = cl_reload,
	.draw = cl_draw,
	.action = cl_action,
	.click = cl_click,
};
