/* view_book.c - Book: a week calendar of the free slots of one service
 * (the therapist's availability minus every booking of the therapist and
 * of you: query_care_free_slots) in your local time zone, drawn with the
 * week-calendar widget. The selection is always a real free slot: ↑↓ the
 * previous / next slot, ←→ the nearest slot on the previous / next day,
 * PgUp/PgDn (Space) the week before / after. Enter or b asks for
 * confirmation with the price, the booking fee and the cancellation policy,
 * then sends session.book (or session.reschedule, when opened from My
 * sessions to move a session: the refund of the old one is shown first).
 * e changes how you pay (MVT escrow, external, insurance). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/care_view.h"

#define BOOK_DAY_MS INT64_C(86400000)
#define BOOK_WEEK_MS (7 * BOOK_DAY_MS)
#define BOOK_MAX_WEEKS 26

struct book_slot {
	int64_t start, end; /* UTC */
};

struct book_state {
	struct tui *t;
	bool have;                  /* a bookable service is picked */
	struct qc_service sv;
	char therapist[80];
	bool moving;                /* reschedule pick->session */
	struct qc_session old;
	int week;                   /* weeks after the current one */
	int64_t week_wall;          /* Monday 00:00 local, wall ms */
	struct book_slot *slots;
	size_t n, cap, sel;
	struct ui_week_item mine[32];/* your sessions this week */
	size_t nmine;
	int64_t next_free;          /* first free slot after this week (0: none) */
	int pay;                    /* 0 token, 1 external, 2 insurance */
	struct ui_week_layout L;
	int grid_y;
};

static const char *const book_pay_names[] = {"token", "external", "insurance"};
static const char *const book_pay_words[] = {"MVT, held in escrow", "paid outside the network",
					     "insurance"};

/* ---- data ----------------------------------------------------------------- */

static int book_slot_cb(void *ud, int64_t start, int64_t end)
{
	struct book_state *s = ud;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct book_slot *v = realloc(s->slots, cap * sizeof *v);
		if (!v)
			return 1;
		s->slots = v;
		s->cap = cap;
	}
	s->slots[s->n].start = start;
	s->slots[s->n++].end = end;
	return 0;
}

static int book_first_cb(void *ud, int64_t start, int64_t end)
{
	*(int64_t *)ud = start;
	return 1;
}

static int book_mine_cb(void *ud, const struct qc_session *r)
{
	struct book_state *s = ud;
	int64_t from = care_ui_from_local(s->week_wall), to = care_ui_from_local(s->week_wall +
										BOOK_WEEK_MS);
	if (r->s.end <= from || r->s.start >= to || s->nmine >= 32)
		return 0;
	struct ui_week_item *it = &s->mine[s->nmine++];
	it->start = care_ui_to_local(r->s.start);
	it->end = care_ui_to_local(r->s.end);
	it->label = "yours";
	it->attr = theme_attr(TH_WARN);
	return 0;
}

/* Slots of the shown week, your sessions in it, the next free slot after. */
static void book_load_week(struct tui *t, struct book_state *s)
{
	struct mv_err err;
	int64_t from, to;
	s->week_wall = ui_week_start(care_ui_to_local(t->now)) + s->week * BOOK_WEEK_MS;
	from = care_ui_from_local(s->week_wall);
	to = care_ui_from_local(s->week_wall + BOOK_WEEK_MS);
	s->n = s->nmine = 0;
	s->next_free = 0;
	mv_err_clear(&err);
	if (query_care_free_slots(t->h->st, s->sv.sv.id, from, to, t->now,
				  t->has_as ? t->as_pk : NULL, 0, book_slot_cb, s, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "free slots: %s", err.msg);
	if (t->has_as)
		query_care_sessions(t->h->st, t->as_pk, QC_UPCOMING, t->now, book_mine_cb, s, NULL);
	query_care_free_slots(t->h->st, s->sv.sv.id, to, to + 12 * BOOK_WEEK_MS, t->now,
			      t->has_as ? t->as_pk : NULL, 1, book_first_cb, &s->next_free, NULL);
	if (s->sel >= s->n)
		s->sel = s->n ? s->n - 1 : 0;
}

static void book_reload(struct tui *t, void *st)
{
	struct book_state *s = st;
	struct care_ui_pick *p = care_ui_pick();
	struct mv_err err;
	s->have = p->has_service && t->h->st &&
		  query_care_service(t->h->st, p->service, &s->sv, &err) == MV_OK && !s->sv.sv.retired;
	if (!s->have)
		return;
	care_view_name(t, s->sv.sv.therapist, s->therapist, sizeof s->therapist);
	s->moving = p->moving &&
		    query_care_session(t->h->st, p->move, t->as_pk, t->now, &s->old, &err) == MV_OK;
	if (s->pay == 2 && !s->sv.sv.insurance)
		s->pay = 0;
	book_load_week(t, s);
}

/* ---- selection ---------------------------------------------------------------- */

static int64_t book_time_of_day(int64_t utc)
{
	int64_t w = care_ui_to_local(utc) % BOOK_DAY_MS;
	return w < 0 ? w + BOOK_DAY_MS : w;
}

static int64_t book_day(int64_t utc)
{
	int64_t w = care_ui_to_local(utc);
	return (w - (w % BOOK_DAY_MS + BOOK_DAY_MS) % BOOK_DAY_MS) / BOOK_DAY_MS;
}

/* The slot on the day dir (-1/+1) days away with the nearest time of day. */
static void book_move_day(struct book_state *s, int dir)
{
	if (!s->n)
		return;
	int64_t day = book_day(s->slots[s->sel].start), tod = book_time_of_day(s->slots[s->sel].start);
	int64_t best_day = INT64_MIN;
	size_t best = s->sel;
	int64_t best_gap = INT64_MAX;
	for (size_t i = 0; i < s->n; i++) {
		int64_t d = book_day(s->slots[i].start);
		if ((dir > 0 && d <= day) || (dir < 0 && d >= day))
			continue;
		if (best_day != INT64_MIN && (dir > 0 ? d > best_day : d < best_day))
			continue;
		int64_t gap = book_time_of_day(s->slots[i].start) - tod;
		gap = gap < 0 ? -gap : gap;
		if (d != best_day || gap < best_gap) {
			best_day = d;
			best_gap = gap;
			best = i;
		}
	}
	s->sel = best;
}

/* ---- booking -------------------------------------------------------------------- */

static void book_yes(struct tui *t, void *ud)
{
	struct book_state *s = ud;
	struct submit_result res;
	char f1[100], f2[40], f3[40], hex[65];
	const struct book_slot *sl = &s->slots[s->sel];
	char *fields[3] = {f1, f2, f3};
	mv_hex(hex, s->moving ? s->old.s.id : s->sv.sv.id, 32);
	snprintf(f1, sizeof f1, "%s=%s", s->moving ? "session" : "service", hex);
	snprintf(f2, sizeof f2, "start=%" PRId64, sl->start);
	snprintf(f3, sizeof f3, "payment=%s", book_pay_names[s->pay]);
	int rc = tui_submit(t, s->moving ? "session.reschedule" : "session.book", s->moving ? 2 : 3,
			    fields, &res);
	if (rc != MV_OK) {
		book_reload(t, s);
		return;
	}
	char when[48];
	care_ui_fmt_short(when, sizeof when, sl->start);
	struct qc_session r;
	struct mv_err err;
	bool req = query_care_session(t->h->st, res.id, t->as_pk, t->now, &r, &err) == MV_OK &&
		   r.s.state == CS_REQUESTED;
	tui_toast(t, UI_SUCCESS, "%s %s%s", s->moving ? "moved to" : "booked", when,
		  req ? ": waiting for the therapist to accept" : ": confirmed");
	struct care_ui_pick *p = care_ui_pick();
	memcpy(p->session, res.id, 32);
	p->has_session = true;
	p->moving = false;
	tui_goto(t, "sessions");
}

/* The cancellation policy of a new booking, in words, into out. */
static void book_policy(struct tui *t, int64_t start, char *out, size_t outlen)
{
	int64_t before = tui_param(t, "cancel_full_refund_before", 24 * 3600000);
	int64_t late = tui_param(t, "cancel_late_refund_bp", 5000);
	char until[48], words[32];
	care_ui_fmt_short(until, sizeof until, start - before);
	care_ui_refund_words(words, sizeof words, late);
	if (start - before <= t->now)
		snprintf(out, outlen, "Cancelling once the therapist accepts gives a %s (less than "
			 "%lld h ahead); before that, a full refund.", words,
			 (long long)(before / 3600000));
	else
		snprintf(out, outlen, "Free cancellation until %s; later, a %s.", until, words);
}

/* Confirmation text of a reschedule: what leaving the old slot costs. */
static void book_move_text(struct tui *t, struct book_state *s, const char *when, char *out,
			   size_t outlen)
{
	struct qc_refund rf;
	struct mv_err err;
	char old[48], words[32];
	care_ui_fmt_short(old, sizeof old, s->old.s.start);
	if (query_care_refund_preview(t->h->st, s->old.s.id, t->as_pk, t->now, &rf, &err) != MV_OK) {
		snprintf(out, outlen, "Move %s from %s to %s?", s->sv.sv.title, old, when);
		return;
	}
	care_ui_refund_words(words, sizeof words, rf.refund_bp);
	snprintf(out, outlen, "Move %s from %s to %s? Leaving the old time counts as a "
		 "cancellation: %s%s. The new time keeps the old price and payment.", s->sv.sv.title,
		 old, when, words, rf.allowed ? "" : " (not possible now)");
}

static int book_confirm(struct tui *t, struct book_state *s)
{
	char text[1400], when[48], end[16], zone[16], price[48], fee[48], total[48], policy[200];
	if (!s->n) {
		tui_toast(t, UI_WARNING, "no free slot to book here: PgDn shows the next week");
		return TUI_DRAW_ALL;
	}
	if (!t->has_as) {
		tui_toast(t, UI_ERROR, "no identity to book as");
		return TUI_DRAW_ALL;
	}
	const struct book_slot *sl = &s->slots[s->sel];
	care_ui_fmt_short(when, sizeof when, sl->start);
	care_ui_fmt_hm(end, sizeof end, sl->end);
	care_ui_zone(zone, sizeof zone, sl->start);
	snprintf(when + strlen(when), sizeof when - strlen(when), "–%s %s", end, zone);
	if (s->moving) {
		book_move_text(t, s, when, text, sizeof text);
		tui_confirm(t, "Move session", text, "Move", book_yes, s);
		return TUI_DRAW_ALL;
	}
	int64_t feev = 0, bp = tui_param(t, "fee_transfer_bp", 0), sum;
	mv_muldiv_i64(s->sv.sv.price, bp, 10000, &feev);
	mv_add_i64(s->sv.sv.price, feev, &sum);
	ui_fmt_amount(price, sizeof price, s->sv.sv.price);
	ui_fmt_amount(fee, sizeof fee, feev);
	ui_fmt_amount(total, sizeof total, sum);
	book_policy(t, sl->start, policy, sizeof policy);
	if (s->pay == 0)
		snprintf(text, sizeof text, "%s with %s, %s. Price %s MVT + booking fee %s MVT = %s MVT, "
			 "held in escrow until the session is settled. %s%s", s->sv.sv.title,
			 s->therapist, when, price, fee, total, policy,
			 s->sv.sv.auto_accept ? "" : " The therapist confirms the request.");
	else
		snprintf(text, sizeof text, "%s with %s, %s. Price %s MVT, %s: no MVT moves now. %s",
			 s->sv.sv.title, s->therapist, when, price, book_pay_words[s->pay], policy);
	tui_confirm(t, "Book session", text, "Book", book_yes, s);
	return TUI_DRAW_ALL;
}

/* ---- drawing ---------------------------------------------------------------------- */

/* First and last hour to show: the hours holding this week's slots. */
static void book_hours(struct book_state *s, int *first, int *last)
{
	int lo = 24, hi = 0;
	for (size_t i = 0; i < s->n; i++) {
		int a = (int)(book_time_of_day(s->slots[i].start) / 3600000);
		int64_t e = book_time_of_day(s->slots[i].end);
		int b = (int)((e + 3599999) / 3600000);
		if (b <= a)
			b = 24;
		lo = a < lo ? a : lo;
		hi = b > hi ? b : hi;
	}
	if (lo >= hi) {
		lo = 8;
		hi = 18;
	}
	*first = lo;
	*last = hi;
}

static void book_draw_grid(struct tui *t, struct book_state *s, int y, int h)
{
	int first, last, sd = -1, sr = -1;
	book_hours(s, &first, &last);
	while (!ui_week_layout(&s->L, s->week_wall, t->main_w, h, first, last) && last - first > 1) {
		first++; /* too many hours for the rows: drop the earliest */
	}
	if (s->L.nrows == 0)
		return;
	struct ui_week_item *items = calloc(s->n + s->nmine + 1, sizeof *items);
	char (*labels)[8] = calloc(s->n + 1, sizeof *labels);
	if (!items || !labels) {
		free(items);
		free(labels);
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < s->nmine; i++)
		items[k++] = s->mine[i];
	int64_t cell = (int64_t)s->L.slot_min * 60000;
	for (size_t i = 0; i < s->n; i++) {
		care_ui_fmt_hm(labels[i], sizeof labels[i], s->slots[i].start);
		items[k].start = care_ui_to_local(s->slots[i].start);
		/* end on a row boundary, so the next slot's label shows in its row */
		items[k].end = care_ui_to_local(s->slots[i].end) / cell * cell;
		if (items[k].end <= items[k].start)
			items[k].end = items[k].start + 1;
		items[k].label = labels[i];
		items[k++].attr = theme_attr(TH_OK);
	}
	if (s->n)
		ui_week_cell(&s->L, care_ui_to_local(s->slots[s->sel].start), &sd, &sr);
	s->grid_y = y - t->main_y;
	ui_week_draw(stdscr, y, t->main_x, &s->L, items, k, sd, sr);
	free(items);
	free(labels);
}

static void book_draw_status(struct tui *t, struct book_state *s, int y)
{
	char when[48], end[16], zone[16];
	if (!s->n) {
		if (s->next_free) {
			care_ui_fmt_short(when, sizeof when, s->next_free);
			ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_WARN), "No free slot this "
				"week; the next is %s (PgDn)", when);
		} else {
			ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_WARN),
			       "No free slot this week, nor in the 12 weeks after it.");
		}
		return;
	}
	const struct book_slot *sl = &s->slots[s->sel];
	care_ui_fmt_short(when, sizeof when, sl->start);
	care_ui_fmt_hm(end, sizeof end, sl->end);
	care_ui_zone(zone, sizeof zone, sl->start);
	ui_putf(stdscr, y, t->main_x, t->main_w, A_BOLD, "▸ %s–%s %s · %zu of %zu free", when, end,
		zone, s->sel + 1, s->n);
	if (s->moving)
		ui_put(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM), "same price and payment "
		       "· Enter moves · PgUp/PgDn weeks");
	else
		ui_putf(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM), "pay: %s (e) · Enter "
			"books · PgUp/PgDn weeks", book_pay_words[s->pay]);
}

static void book_draw(struct tui *t, void *st)
{
	struct book_state *s = st;
	char title[160], price[48], zone[16], week[48];
	if (!s->have) {
		tui_view_title(t, "Book", "");
		care_view_empty(t, t->main_y + 2, "No service chosen: find a therapist and pick one of "
				"their services.");
		return;
	}
	snprintf(title, sizeof title, "%s %s", s->moving ? "Move" : "Book", s->sv.sv.title);
	tui_view_title(t, title, s->therapist);
	ui_fmt_amount(price, sizeof price, s->sv.sv.price);
	care_ui_zone(zone, sizeof zone, t->now);
	care_ui_fmt_day(week, sizeof week, care_ui_from_local(s->week_wall));
	ui_putf(stdscr, t->main_y + 1, t->main_x, t->main_w, theme_attr(TH_DIM),
		"%lld min · %s MVT · %s · week of %s · times in %s", (long long)s->sv.sv.duration_min,
		price, s->sv.sv.format, week + 4, zone);
	int y = t->main_y + 2, h = t->main_h - 4;
	book_draw_grid(t, s, y, h);
	book_draw_status(t, s, t->main_y + t->main_h - 2);
}

/* ---- input ------------------------------------------------------------------------ */

static int book_week(struct tui *t, struct book_state *s, int dir)
{
	int w = s->week + dir;
	if (w < 0 || w > BOOK_MAX_WEEKS)
		return TUI_HANDLED;
	s->week = w;
	s->sel = 0;
	book_load_week(t, s);
	return TUI_DRAW_VIEW;
}

static int book_action(struct tui *t, void *st, enum tui_action a)
{
	struct book_state *s = st;
	if (!s->have)
		return TUI_UNHANDLED;
	switch (a) {
	case ACT_UP: if (s->sel > 0) s->sel--; return TUI_DRAW_VIEW;
	case ACT_DOWN: if (s->sel + 1 < s->n) s->sel++; return TUI_DRAW_VIEW;
	case ACT_LEFT: book_move_day(s, -1); return TUI_DRAW_VIEW;
	case ACT_RIGHT: book_move_day(s, 1); return TUI_DRAW_VIEW;
	case ACT_TOP: s->sel = 0; return TUI_DRAW_VIEW;
	case ACT_BOTTOM: s->sel = s->n ? s->n - 1 : 0; return TUI_DRAW_VIEW;
	case ACT_PAGE_UP: return book_week(t, s, -1);
	case ACT_PAGE_DOWN: return book_week(t, s, 1);
	case ACT_EDIT:
		if (s->moving)
			return TUI_HANDLED;
		s->pay = (s->pay + 1) % (s->sv.sv.insurance ? 3 : 2);
		return TUI_DRAW_VIEW;
	case ACT_ENTER:
	case ACT_BOOK:
		return book_confirm(t, s);
	default:
		return TUI_UNHANDLED;
	}
}

/* A click on a grid cell selects the first free slot starting in it. */
static int book_click(struct tui *t, void *st, int y, int x)
{
	struct book_state *s = st;
	int row = y - s->grid_y - 1, col = x - s->L.label_w;
	if (!s->have || row < 0 || row >= s->L.nrows || col < 0 || s->L.col_w <= 0)
		return TUI_HANDLED;
	int64_t cell = ui_week_cell_time(&s->L, col / s->L.col_w, row);
	for (size_t i = 0; i < s->n; i++) {
		int64_t w = care_ui_to_local(s->slots[i].start);
		if (w >= cell && w < cell + (int64_t)s->L.slot_min * 60000) {
			if (s->sel == i)
				return book_confirm(t, s);
			s->sel = i;
			return TUI_DRAW_VIEW;
		}
	}
	return TUI_HANDLED;
}

static void book_show(struct tui *t, void *st)
{
	struct book_state *s = st;
	s->week = 0;
	s->sel = 0;
	book_reload(t, s);
}

static bool book_init(struct tui *t, void **st)
{
	struct book_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	*st = s;
	return true;
}

static void book_fini(struct tui *t, void *st)
{
	struct book_state *s = st;
	free(s->slots);
	free(s);
}

static const enum tui_action book_actions[] = { ACT_BOOK, ACT_EDIT, ACT_BACK, ACT_NONE };

const struct view_ops view_book = {
	.name = "book",
	.title = "Book",
	.in_nav = false,
	.help = "Free slots of one service for a week, in your time zone: the therapist's "
		"availability minus every session already booked with them or by you (yours show "
		"as \"yours\"). ↑↓ move between slots, ←→ between days, PgUp/PgDn (Space) between "
		"weeks. Enter or b shows the price, the booking fee and the cancellation policy "
		"before anything is sent; e changes how you pay. A booking stays tentative until "
		"its epoch is final: if someone else's earlier booking of the same slot arrives "
		"from another node, yours is refused \"slot taken\" and Home tells you.",
	.actions = book_actions,
	.init = book_init,
	.fini = book_fini,
	.reload = book_reload,
	.draw = book_draw,
	.action = book_action,
	.click = book_click,
	.show = book_show,
};
