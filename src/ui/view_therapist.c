/* view_therapist.c - a therapist's profile (opened from Find a therapist):
 * name, verification, languages, bio, rating, and the active services with
 * format, length, price and whether insurance is accepted. Enter (or b) on
 * a service opens Book with that service. Not in the navigation: it shows
 * the therapist picked on the screen before (care_ui_pick). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/query_people.h"
#include "ui/care_view.h"

struct thp_state {
	struct tui *t;
	struct qc_service *sv;
	size_t n, cap;
	struct ui_list list;
	int list_y;
	bool have;                 /* a therapist is picked */
	uint8_t id[32];
	struct q_therapist th;
	bool registered;
	int64_t avg, ratings;
};

static int thp_service_cb(void *ud, const struct qc_service *r)
{
	struct thp_state *s = ud;
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

static void thp_reload(struct tui *t, void *st)
{
	struct thp_state *s = st;
	struct care_ui_pick *p = care_ui_pick();
	struct mv_err err;
	s->n = 0;
	s->have = p->has_therapist && t->h->st;
	if (!s->have) {
		ui_list_set_count(&s->list, 0);
		return;
	}
	if (memcmp(s->id, p->therapist, 32) != 0)
		ui_list_top(&s->list);
	memcpy(s->id, p->therapist, 32);
	mv_err_clear(&err);
	s->registered = query_therapist(t->h->st, s->id, t->now, &s->th, &err) == MV_OK;
	query_care_rating(t->h->st, s->id, &s->avg, &s->ratings, &err);
	if (query_care_services(t->h->st, s->id, false, thp_service_cb, s, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "services: %s", err.msg);
	ui_list_set_count(&s->list, s->n);
}

static void thp_row(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct thp_state *s = ud;
	const struct care_service *v = &s->sv[item].sv;
	char price[48];
	int base = sel ? theme_attr(TH_SEL) : 0, dim = sel ? base : theme_attr(TH_DIM);
	ui_fmt_amount(price, sizeof price, v->price);
	int tw = width >= 70 ? 30 : 22;
	ui_put(win, y, x, tw, base | A_BOLD, v->title);
	ui_putf(win, y, x + tw + 1, width - tw - 1, dim, "%s · %lld min · %s MVT%s", v->format,
		(long long)v->duration_min, price, v->insurance ? " · insurance" : "");
}

/* Header lines: name, status, languages and bio. Returns rows used. */
static int thp_draw_head(struct tui *t, struct thp_state *s, int y)
{
	char name[80], status[160];
	int y0 = y;
	care_view_name(t, s->id, name, sizeof name);
	tui_view_title(t, name, tui_label(t, s->id));
	y++;
	if (!s->registered)
		snprintf(status, sizeof status, "not registered");
	else
		snprintf(status, sizeof status, "%s%s%s", s->th.verified ? "✓ verified by the council"
			 : "not verified now", s->th.license_jurisdiction[0] ? " · licensed in " : "",
			 s->th.license_jurisdiction);
	ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(s->registered && s->th.verified ? TH_OK
								    : TH_WARN), status);
	if (s->ratings)
		ui_putf(stdscr, y + 1, t->main_x, t->main_w, A_NORMAL, "★ %lld.%02lld from %lld rating%s",
			(long long)(s->avg / 100), (long long)(s->avg % 100), (long long)s->ratings,
			s->ratings == 1 ? "" : "s");
	else
		ui_put(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM), "no ratings yet");
	y += 2;
	if (s->registered && s->th.user.languages[0])
		y += care_view_kv(y, t->main_x, t->main_w, 11, "Languages", A_NORMAL, s->th.user.languages);
	if (s->registered && s->th.specialties[0])
		y += care_view_kv(y, t->main_x, t->main_w, 11, "Works on", A_NORMAL, s->th.specialties);
	if (s->registered && s->th.user.bio[0])
		y += care_view_para(y, t->main_x, t->main_w, t->main_h >= 30 ? 5 : 2, theme_attr(TH_DIM),
				    s->th.user.bio);
	return y - y0;
}

static void thp_draw_detail(struct tui *t, struct thp_state *s, int y)
{
	size_t item;
	if (!ui_list_selected(&s->list, &item))
		return;
	const struct qc_service *v = &s->sv[item];
	ui_hline(stdscr, y, t->main_x, t->main_w, theme_attr(TH_BORDER));
	ui_putf(stdscr, y + 1, t->main_x, t->main_w, A_NORMAL, "%s, %s · languages %s",
		v->sv.modality, v->sv.auto_accept ? "confirmed at once" : "the therapist confirms",
		v->languages[0] ? v->languages : "-");
	ui_putf(stdscr, y + 2, t->main_x, t->main_w, theme_attr(TH_DIM), "specialties %s",
		v->specialties[0] ? v->specialties : "-");
}

static void thp_draw(struct tui *t, void *st)
{
	struct thp_state *s = st;
	int bottom = t->main_y + t->main_h;
	if (!s->have) {
		tui_view_title(t, "Therapist", "");
		care_view_empty(t, t->main_y + 2, "No therapist chosen: open one from Find a therapist.");
		return;
	}
	int y = t->main_y + thp_draw_head(t, s, t->main_y) + 1;
	ui_put(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_TITLE), "Services");
	if (s->n == 0) {
		care_view_empty(t, y, "No active services: nothing to book yet.");
		return;
	}
	int detail = bottom - y >= 8 ? 3 : 0;
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, bottom - y - detail, t->main_w, t->focus_main,
		     thp_row, s);
	if (detail)
		thp_draw_detail(t, s, bottom - detail);
}

static int thp_book(struct tui *t, struct thp_state *s)
{
	size_t item;
	if (!ui_list_selected(&s->list, &item))
		return TUI_HANDLED;
	struct care_ui_pick *p = care_ui_pick();
	memcpy(p->service, s->sv[item].sv.id, 32);
	p->has_service = true;
	p->moving = false;
	tui_push(t, "book");
	return TUI_DRAW_ALL | TUI_RELOAD;
}

static int thp_action(struct tui *t, void *st, enum tui_action a)
{
	struct thp_state *s = st;
	if (a == ACT_ENTER || a == ACT_BOOK)
		return thp_book(t, s);
	return tui_list_action(&s->list, a);
}

static int thp_click(struct tui *t, void *st, int y, int x)
{
	struct thp_state *s = st;
	size_t before = s->list.sel;
	if (!ui_list_click(&s->list, y - s->list_y))
		return TUI_HANDLED;
	return before == s->list.sel ? thp_book(t, s) : TUI_DRAW_VIEW;
}

static void thp_show(struct tui *t, void *st)
{
	thp_reload(t, st);
}

static bool thp_init(struct tui *t, void **st)
{
	struct thp_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void thp_fini(struct tui *t, void *st)
{
	struct thp_state *s = st;
	ui_list_free(&s->list);
	free(s->sv);
	free(s);
}

static const enum tui_action thp_actions[] = { ACT_BOOK, ACT_BACK, ACT_NONE };

const struct view_ops view_therapist = {
	.name = "therapist",
	.title = "Therapist",
	.in_nav = false,
	.help = "A therapist's public profile and active services. Enter or b on a service "
		"opens its calendar of free slots; Esc goes back to the search.",
	.actions = thp_actions,
	.init = thp_init,
	.fini = thp_fini,
	.reload = thp_reload,
	.draw = thp_draw,
	.action = thp_action,
	.click = thp_click,
	.show = thp_show,
};
