/* view_reputation.c - the Reputation screen: an account's trust score
 * (0-1000), its four components with bars (reliability, care, community,
 * governance), "why" for the selected component (events, points, their
 * decayed value now, the points that score 500, its share of the weight and
 * its contribution), the trust over time as a chart (query_reputation_series)
 * and the events that made it, each citing its op. Read only: no op sets a
 * score. e chooses whose reputation to show (yours by default). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_people.h"
#include "core/query_economy.h"
#include "ui/care_ui.h"
#include "ui/econ_ui.h"
#include "ui/view.h"

#define VREP_EVENTS 64      /* newest events kept for the history list */
#define VREP_WHY_MAX 124
#define VREP_CHOICES 256
#define VREP_MAX_COLS 512
#define VREP_DAY INT64_C(86400000)

struct vrep_event {
	struct q_rep_event e; /* e.why points into why */
	char why[VREP_WHY_MAX];
};

struct vrep_state {
	struct tui *t;
	uint8_t subject[32];
	bool has_subject, chosen; /* chosen: picked with e, not the identity's own */
	char name[80];
	char as[KS_NAME_MAX + 1]; /* the identity the subject was chosen under */
	int trust;
	struct rep_component comp[REP__COUNT];
	size_t ncomp;
	int64_t wsum;             /* weight of the counted dimensions */
	struct vrep_event ev[VREP_EVENTS];
	size_t nev;
	int64_t first_time;       /* oldest event (0 if none) */
	struct q_voting_power vp;
	struct ui_list list;      /* the components */
	int list_y;
	bool form_open;
	struct ui_form form;
};

/* ---- data ------------------------------------------------------------------ */

static int vrep_comp_cb(void *ud, const struct rep_component *c)
{
	struct vrep_state *s = ud;
	if (s->ncomp < REP__COUNT)
		s->comp[s->ncomp++] = *c;
	return 0;
}

static int vrep_event_cb(void *ud, const struct q_rep_event *r)
{
	struct vrep_state *s = ud;
	s->first_time = r->time; /* newest first: the last one is the oldest */
	if (s->nev >= VREP_EVENTS)
		return 0;
	struct vrep_event *d = &s->ev[s->nev++];
	d->e = *r;
	snprintf(d->why, sizeof d->why, "%s", r->why ? r->why : "");
	d->e.why = d->why;
	return 0;
}

static void vrep_subject(struct tui *t, struct vrep_state *s)
{
	if (strcmp(s->as, t->as) != 0) /* another identity: its own reputation again */
		s->chosen = false;
	snprintf(s->as, sizeof s->as, "%s", t->as);
	if (!s->chosen)
		s->has_subject = t->has_as && home_people_account(t->h, t->as, s->subject, NULL) == MV_OK;
	if (s->has_subject)
		snprintf(s->name, sizeof s->name, "%s", tui_label(t, s->subject));
}

static void vrep_load(struct tui *t, struct vrep_state *s)
{
	struct mv_err err;
	s->ncomp = s->nev = 0;
	s->trust = 0;
	s->wsum = 0;
	s->first_time = 0;
	if (!t->h->st)
		return;
	vrep_subject(t, s);
	if (!s->has_subject)
		return;
	s->trust = query_reputation(t->h->st, s->subject, t->now, vrep_comp_cb, s);
	for (size_t i = 0; i < s->ncomp; i++)
		s->wsum += s->comp[i].counted ? s->comp[i].weight_bp : 0;
	mv_err_clear(&err);
	if (query_reputation_history(t->h->st, s->subject, t->now, 0, vrep_event_cb, s, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "reputation history: %s", err.msg);
	query_voting_power(t->h->st, s->subject, t->now, &s->vp);
}

static void vrep_reload(struct tui *t, void *st)
{
	struct vrep_state *s = st;
	vrep_load(t, s);
	ui_list_set_count(&s->list, s->ncomp);
}

/* ---- choosing whose reputation ------------------------------------------------ */

struct vrep_choices {
	struct tui *t;
	struct ui_choice *c;
	size_t n;
};

static void vrep_choice_add(struct vrep_choices *vc, const uint8_t pk[32], const char *label)
{
	char hex[65];
	if (vc->n >= VREP_CHOICES)
		return;
	mv_hex(hex, pk, 32);
	for (size_t i = 0; i < vc->n; i++)
		if (strcmp(vc->c[i].value, hex) == 0)
			return;
	snprintf(vc->c[vc->n].label, sizeof vc->c[0].label, "%s", label);
	snprintf(vc->c[vc->n].value, sizeof vc->c[0].value, "%s", hex);
	vc->n++;
}

static int vrep_local_cb(void *ud, const char *name, const uint8_t pk[32])
{
	struct vrep_choices *vc = ud;
	uint8_t acct[32];
	if (home_people_account(vc->t->h, name, acct, NULL) != MV_OK)
		memcpy(acct, pk, 32);
	vrep_choice_add(vc, acct, name);
	return 0;
}

static int vrep_bal_cb(void *ud, const struct q_balance *r)
{
	struct vrep_choices *vc = ud;
	vrep_choice_add(vc, r->account, tui_label(vc->t, r->account));
	return 0;
}

static void vrep_open_form(struct tui *t, struct vrep_state *s)
{
	struct vrep_choices vc = {t, calloc(VREP_CHOICES, sizeof(struct ui_choice)), 0};
	if (!vc.c) {
		tui_toast(t, UI_ERROR, "out of memory");
		return;
	}
	ui_form_free(&s->form);
	ui_form_init(&s->form, "Whose reputation");
	struct ui_field *f = ui_form_add(&s->form, UF_CHOICE, "Account", true,
					 "←→ or a letter to choose, Enter to show");
	keystore_list(t->h->keydir, vrep_local_cb, &vc, NULL);
	query_balances(t->h->st, vrep_bal_cb, &vc, NULL);
	if (!ui_field_set_choices(f, vc.c, vc.n))
		tui_toast(t, UI_ERROR, "out of memory");
	for (size_t i = 0; s->has_subject && i < f->nchoices; i++) {
		char hex[65];
		mv_hex(hex, s->subject, 32);
		if (strcmp(f->choices[i].value, hex) == 0)
			f->choice = i;
	}
	free(vc.c);
	s->form_open = true;
	t->focus_main = true;
}

static int vrep_form_key(struct tui *t, struct vrep_state *s, int key)
{
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT: {
		const char *hex = ui_field_value(&s->form.f[0]);
		if (hex[0] && mv_unhex(s->subject, 32, hex) == MV_OK) {
			s->has_subject = true;
			s->chosen = true;
		}
		ui_form_free(&s->form);
		s->form_open = false;
		vrep_reload(t, s);
		return TUI_DRAW_ALL;
	}
	case UI_FORM_CANCEL:
		ui_form_free(&s->form);
		s->form_open = false;
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

/* ---- drawing ------------------------------------------------------------------- */

static const char *vrep_dim_title(enum rep_dim d)
{
	static const char *const titles[REP__COUNT] = {"Reliability", "Care", "Community",
						      "Governance"};
	return (unsigned)d < REP__COUNT ? titles[d] : "?";
}

static void vrep_row(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct vrep_state *s = ud;
	const struct rep_component *c = &s->comp[item];
	int base = sel ? theme_attr(TH_SEL) : c->counted ? 0 : theme_attr(TH_DIM);
	int bw = width - 36;
	ui_put(win, y, x, 12, base, vrep_dim_title(c->dim));
	if (!c->counted) {
		ui_put(win, y, x + 13, width - 13, sel ? base : theme_attr(TH_DIM),
		       c->dim == REP_CARE ? "not counted until someone rates" : "not counted");
		return;
	}
	if (bw > 4)
		ui_bar_draw(win, y, x + 13, bw, c->score, 1000, sel ? base : theme_attr(TH_ACCENT));
	int col = x + 13 + (bw > 4 ? bw + 1 : 0);
	char contrib[24];
	int64_t m = c->contribution_milli;
	snprintf(contrib, sizeof contrib, "%" PRId64 ".%" PRId64, m / 1000, m % 1000 / 100);
	ui_putf(win, y, col, x + width - col, base, "%4d  x%3" PRId64 "%% = %6s", c->score,
		s->wsum ? c->weight_bp * 100 / s->wsum : 0, contrib);
}

/* "12.3" from thousandths (toward zero), signed. */
static void vrep_fmt_milli(char *out, size_t outlen, int64_t m)
{
	int64_t a = m < 0 ? -m : m;
	snprintf(out, outlen, "%s%" PRId64 ".%" PRId64, m < 0 ? "-" : "", a / 1000, a % 1000 / 100);
}

/* Why the selected component scores what it does: two lines. */
static void vrep_draw_why(struct tui *t, struct vrep_state *s, int y)
{
	size_t item;
	if (!ui_list_selected(&s->list, &item) || item >= s->ncomp)
		return;
	const struct rep_component *c = &s->comp[item];
	char dec[32], hl[32];
	int x = t->main_x, w = t->main_w;
	vrep_fmt_milli(dec, sizeof dec, c->decayed_milli);
	econ_ui_fmt_left(hl, sizeof hl, t->now + tui_param(t, "reputation_half_life", 180 * VREP_DAY),
			 t->now);
	ui_putf(stdscr, y, x, w, A_NORMAL, "Why: %" PRId64 " event%s, %" PRId64 " points, worth %s "
		"now (halved every %s)", c->events, c->events == 1 ? "" : "s", c->raw_points, dec,
		hl + 3);
	if (!c->counted)
		ui_put(stdscr, y + 1, x, w, theme_attr(TH_DIM), c->dim == REP_CARE
		       ? "care counts once a patient rates a completed, paid session"
		       : "weight 0: governance left this dimension out");
	else
		ui_putf(stdscr, y + 1, x, w, theme_attr(TH_DIM), "%" PRId64 " points would score 500; "
			"score = 1000 x P / (P + %" PRId64 ")", c->half_sat, c->half_sat);
}

static void vrep_draw_chart(struct tui *t, struct vrep_state *s, int *y)
{
	int h = t->main_h >= 34 ? 5 : 2, w = t->main_w - 6;
	int series[VREP_MAX_COLS];
	int64_t cols[VREP_MAX_COLS];
	char since[40];
	if (w < 8)
		return;
	if (w > VREP_MAX_COLS)
		w = VREP_MAX_COLS;
	/* from a little before the first event (so its rise shows), 30 days if none */
	int64_t from = t->now - 30 * VREP_DAY;
	if (s->first_time && s->first_time < t->now) {
		int64_t lead = (t->now - s->first_time) / 10;
		from = s->first_time - (lead > VREP_DAY ? lead : VREP_DAY);
	}
	if (query_reputation_series(t->h->st, s->subject, from, t->now, (size_t)w, series, NULL) !=
	    MV_OK)
		return;
	int top = 100; /* the scale: the smallest of 100, 250, 500, 1000 above every value */
	for (int i = 0; i < w; i++) {
		cols[i] = series[i];
		while (series[i] > top && top < 1000)
			top = top == 100 ? 250 : top * 2;
	}
	econ_ui_chart(stdscr, *y, t->main_x, h, w, cols, (size_t)w, 0, top, theme_attr(TH_ACCENT));
	ui_putf(stdscr, *y, t->main_x + w + 1, 5, theme_attr(TH_DIM), "%d", top);
	ui_put(stdscr, *y + h - 1, t->main_x + w + 1, 5, theme_attr(TH_DIM), "0");
	*y += h;
	care_ui_fmt_day(since, sizeof since, from);
	ui_putf(stdscr, *y, t->main_x, t->main_w, theme_attr(TH_DIM), "trust since %s", since);
	*y += 2;
}

static void vrep_draw_event(struct tui *t, struct vrep_state *s, const struct vrep_event *d, int y)
{
	char when[40], now[24];
	int x = t->main_x, w = t->main_w, col = 0;
	care_ui_fmt(when, sizeof when, d->e.time);
	vrep_fmt_milli(now, sizeof now, d->e.decayed_milli);
	col += ui_put(stdscr, y, x, w, theme_attr(TH_DIM), w < 76 ? when + 5 : when) + 1;
	col += ui_putf(stdscr, y, x + col, w - col, d->e.delta >= 0 ? theme_attr(TH_IN)
		       : theme_attr(TH_OUT), "%+5" PRId64, d->e.delta) + 1;
	col += ui_putf(stdscr, y, x + col, w - col, A_NORMAL, "%-11s ",
		       reputation_dim_name(d->e.dim));
	ui_putf(stdscr, y, x + col, w - col, A_NORMAL, "%s (now %s)", d->why, now);
}

static void vrep_draw_history(struct tui *t, struct vrep_state *s, int y, int bottom)
{
	ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_TITLE), "History");
	y++;
	if (s->nev == 0) {
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), "No events yet: sessions "
		       "attended, ratings received, helpful posts and votes build it.");
		return;
	}
	for (size_t i = 0; i < s->nev && y < bottom; i++, y++)
		vrep_draw_event(t, s, &s->ev[i], y);
}

static void vrep_draw_head(struct tui *t, struct vrep_state *s, int *y)
{
	char vp[48];
	int x = t->main_x, w = t->main_w;
	int c = ui_put(stdscr, *y, x, w, A_NORMAL, "Trust ");
	c += ui_putf(stdscr, *y, x + c, w - c, theme_attr(TH_ACCENT) | A_BOLD, "%d", s->trust);
	c += ui_put(stdscr, *y, x + c, w - c, A_NORMAL, " / 1000");
	econ_ui_fmt_short(vp, sizeof vp, s->vp.bonus, false);
	if (s->vp.weighted_stake > 0)
		ui_putf(stdscr, *y, x + c, w - c, theme_attr(TH_DIM), " · adds %s to voting power", vp);
	else
		ui_put(stdscr, *y, x + c, w - c, theme_attr(TH_DIM), " · nothing staked: no votes");
	*y += 2;
}

static void vrep_draw(struct tui *t, void *st)
{
	struct vrep_state *s = st;
	tui_view_title(t, "Reputation", s->has_subject ? s->name : "");
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	if (!s->has_subject) {
		ui_put(stdscr, y, t->main_x, t->main_w, A_NORMAL,
		       "No identity to show: create or choose one in Identities, or e to pick an account.");
		return;
	}
	if (s->form_open) {
		int cy, cx;
		ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		return;
	}
	vrep_draw_head(t, s, &y);
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, (int)s->ncomp, t->main_w, t->focus_main,
		     vrep_row, s);
	y += (int)s->ncomp;
	vrep_draw_why(t, s, y);
	y += 3;
	if (bottom - y >= 8)
		vrep_draw_chart(t, s, &y);
	vrep_draw_history(t, s, y, bottom);
}

/* ---- input ------------------------------------------------------------------------ */

static int vrep_key(struct tui *t, void *st, int key)
{
	struct vrep_state *s = st;
	return s->form_open ? vrep_form_key(t, s, key) : TUI_UNHANDLED;
}

static int vrep_action(struct tui *t, void *st, enum tui_action a)
{
	struct vrep_state *s = st;
	if (s->form_open)
		return TUI_HANDLED;
	if (a == ACT_EDIT || a == ACT_WHOSE) {
		if (t->h->st)
			vrep_open_form(t, s);
		return TUI_DRAW_ALL;
	}
	return tui_list_action(&s->list, a);
}

static int vrep_click(struct tui *t, void *st, int y, int x)
{
	struct vrep_state *s = st;
	if (s->form_open)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool vrep_dirty(struct tui *t, void *st)
{
	return false;
}

/* A new identity shows its own reputation again; decay moves with time. */
static void vrep_show(struct tui *t, void *st)
{
	vrep_reload(t, st);
}

static const enum tui_action vrep_actions[] = { ACT_WHOSE, ACT_NONE };
static const enum tui_action vrep_form_actions[] = { ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE };

static const enum tui_action *vrep_actions_now(struct tui *t, void *st)
{
	return ((struct vrep_state *)st)->form_open ? vrep_form_actions : vrep_actions;
}

static bool vrep_init(struct tui *t, void **st)
{
	struct vrep_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void vrep_fini(struct tui *t, void *st)
{
	struct vrep_state *s = st;
	ui_form_free(&s->form);
	ui_list_free(&s->list);
	free(s);
}

const struct view_ops view_reputation = {
	.name = "reputation",
	.title = "Reputation",
	.in_nav = true,
	.roles = "patient therapist member council",
	.help = "Trust 0-1000 from four dimensions: reliability (attendance, no-shows, late "
		"cancellations), care (ratings of completed, paid sessions, weighted by the rater's "
		"own trust and stake), community (posts marked helpful) and governance (votes). "
		"Every event cites the op that caused it and loses half its value every half-life; "
		"nobody can set a score. ↑↓ choose a component to see why it scores what it does; "
		"e shows another account's reputation.",
	.actions = vrep_actions,
	.actions_now = vrep_actions_now,
	.init = vrep_init,
	.fini = vrep_fini,
	.reload = vrep_reload,
	.draw = vrep_draw,
	.key = vrep_key,
	.action = vrep_action,
	.click = vrep_click,
	.dirty = vrep_dirty,
	.show = vrep_show,
};
