/* view_clients.c - Clients (therapists): the patients you are in an active
 * care relation with (it starts when you confirm their first session), by
 * pseudonym, with how long, how many sessions, and the next one. Enter
 * opens My sessions on that patient's next (else latest) session. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/query_people.h"
#include "ui/care_view.h"

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
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, bottom - y - 3, t->main_w, t->focus_main,
		     cl_row_draw, s);
	cl_draw_detail(t, s, bottom - 3);
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
	return tui_list_action(&s->list, a);
}

static int cl_click(struct tui *t, void *st, int y, int x)
{
	struct cl_state *s = st;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
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
		"latest) in My sessions.",
	.actions = cl_actions,
	.init = cl_init,
	.fini = cl_fini,
	.reload = cl_reload,
	.draw = cl_draw,
	.action = cl_action,
	.click = cl_click,
};
