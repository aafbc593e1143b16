/* view_activity.c - the Activity screen: the op log in total order (newest
 * or oldest first) with each op's outcome and, for rejected ops, the reason
 * every node agrees on. Ops still waiting (gap or future clock) are listed
 * too. The list is virtual: rows are fetched a page at a time from the log's
 * order index (query_log_window), so a log of 100k ops opens instantly.
 * Filtering (/) scans the log in steps from the event loop (a tui_job with a
 * progress bar), so keys keep working while it runs. Enter shows the
 * selected op's details and body fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/body.h"
#include "core/contract.h"
#include "ui/view.h"

#define ACT_PAGE 256
#define ACT_PENDING_MAX 1000
#define ACT_SCAN_CHUNK 500

struct act_row {
	uint8_t id[32], author[32];
	uint64_t seq, clock;
	int64_t epoch;
	char kind[33];
	int status;
	char reason[256];
};

struct act_page {
	size_t base, n;    /* log positions base .. base+n-1 */
	bool valid;
	unsigned stamp;    /* for least-recently-used replacement */
	struct act_row rows[ACT_PAGE];
};

struct act_state {
	struct tui *t;
	bool newest_first;
	size_t nlog, npending;
	struct act_row *pending;
	struct act_page pages[2];
	unsigned stamp;
	struct ui_list list;
	int list_y;
	bool detail;
	/* filter scan */
	bool scanning;
	char needle[128];
	struct act_row last;
	bool have_last;
	size_t scanned;
};

static void act_copy_row(struct act_row *o, const struct q_logrow *r)
{
	memcpy(o->id, r->id, 32);
	memcpy(o->author, r->author, 32);
	o->seq = r->seq;
	o->clock = r->clock;
	o->epoch = r->epoch;
	snprintf(o->kind, sizeof o->kind, "%s", r->kind);
	o->status = r->status;
	snprintf(o->reason, sizeof o->reason, "%s", r->reason);
}

/* ---- data ---------------------------------------------------------------- */

struct act_fill {
	struct act_row *rows;
	size_t n, max;
};

static int act_fill_cb(void *ud, const struct q_logrow *r)
{
	struct act_fill *f = ud;
	if (f->n >= f->max)
		return 1;
	act_copy_row(&f->rows[f->n++], r);
	return 0;
}

static void act_load_pending(struct act_state *s)
{
	struct tui *t = s->t;
	size_t want = query_pending_count(t->h->st);
	if (want > ACT_PENDING_MAX)
		want = ACT_PENDING_MAX;
	free(s->pending);
	s->pending = want ? calloc(want, sizeof *s->pending) : NULL;
	s->npending = 0;
	if (!s->pending)
		return;
	/* newest first lists the pending ops before the log */
	struct act_fill f = { s->pending, 0, want };
	query_log(t->h->st, true, want, 0, NULL, NULL, act_fill_cb, &f, NULL);
	s->npending = 0;
	for (size_t i = 0; i < f.n && s->pending[i].status == Q_WAITING; i++)
		s->npending++;
}

/* Log position of list position pos, or SIZE_MAX for a pending row (its
 * index in *pend). */
static size_t act_log_pos(const struct act_state *s, size_t pos, size_t *pend)
{
	if (s->newest_first) {
		if (pos < s->npending) {
			*pend = pos;
			return SIZE_MAX;
		}
		return pos - s->npending;
	}
	if (pos >= s->nlog) {
		*pend = pos - s->nlog;
		return SIZE_MAX;
	}
	return pos;
}

static struct act_page *act_load_page(struct act_state *s, size_t k)
{
	struct act_page *p = s->pages[0].stamp <= s->pages[1].stamp ? &s->pages[0] : &s->pages[1];
	struct act_fill f = { p->rows, 0, ACT_PAGE };
	struct mv_err err;
	mv_err_clear(&err);
	/* aligned to half pages with at least a quarter page on each side of k,
	 * so a screenful around k comes from one page */
	p->base = k < ACT_PAGE / 4 ? 0 : (k - ACT_PAGE / 4) / (ACT_PAGE / 2) * (ACT_PAGE / 2);
	if (query_log_window(s->t->h->st, s->newest_first, p->base, ACT_PAGE, act_fill_cb, &f,
			     &err) != MV_OK)
		tui_toast(s->t, UI_ERROR, "activity: %s", err.msg);
	p->n = f.n;
	p->valid = true;
	return p;
}

/* The row at list position pos (item index of the list), or NULL. */
static const struct act_row *act_get(struct act_state *s, size_t pos)
{
	size_t pend = 0, k = act_log_pos(s, pos, &pend);
	if (k == SIZE_MAX)
		return pend < s->npending ? &s->pending[pend] : NULL;
	if (k >= s->nlog)
		return NULL;
	for (int i = 0; i < 2; i++) {
		struct act_page *p = &s->pages[i];
		if (p->valid && k >= p->base && k < p->base + p->n) {
			p->stamp = ++s->stamp;
			return &p->rows[k - p->base];
		}
	}
	struct act_page *p = act_load_page(s, k);
	p->stamp = ++s->stamp;
	return k - p->base < p->n ? &p->rows[k - p->base] : NULL;
}

static void act_invalidate(struct act_state *s)
{
	s->pages[0].valid = s->pages[1].valid = false;
}

/* ---- filter scan (a job run by the event loop) ------------------------------ */

static const char *act_status_word(int status)
{
	switch (status) {
	case Q_APPLIED: return "applied";
	case Q_REJECTED: return "rejected";
	case Q_EXCLUDED: return "excluded";
	default: return "waiting";
	}
}

static bool act_row_matches(struct act_state *s, const struct act_row *r, const char *needle)
{
	char hay[512];
	snprintf(hay, sizeof hay, "%s %s %s %s #%llu", r->kind, tui_label(s->t, r->author),
		 act_status_word(r->status), r->reason, (unsigned long long)r->seq);
	return ui_match_text(hay, needle);
}

struct act_scan {
	struct act_state *s;
	size_t n;
};

static int act_scan_cb(void *ud, const struct q_logrow *r)
{
	struct act_scan *sc = ud;
	struct act_state *s = sc->s;
	struct act_row row;
	act_copy_row(&row, r);
	size_t pos = (s->newest_first ? s->npending : 0) + s->scanned;
	if (act_row_matches(s, &row, s->needle))
		ui_list_filter_push(&s->list, pos);
	s->last = row;
	s->have_last = true;
	s->scanned++;
	sc->n++;
	return 0;
}

static void act_scan_pending(struct act_state *s)
{
	size_t base = s->newest_first ? 0 : s->nlog;
	for (size_t i = 0; i < s->npending; i++)
		if (act_row_matches(s, &s->pending[i], s->needle))
			ui_list_filter_push(&s->list, base + i);
}

static int act_scan_step(struct tui *t, void *ud, int budget_ms, size_t *done, size_t *total,
			 struct mv_err *err)
{
	struct act_state *s = ud;
	int64_t until = mv_now_ms() + budget_ms;
	if (!s->scanning)
		return 1;
	do {
		struct act_scan sc = { s, 0 };
		struct q_logrow after;
		memset(&after, 0, sizeof after);
		memcpy(after.id, s->last.id, 32);
		after.epoch = s->last.epoch;
		after.clock = s->last.clock;
		if (query_log_after(t->h->st, s->newest_first, s->have_last ? &after : NULL,
				    ACT_SCAN_CHUNK, act_scan_cb, &sc, err) != MV_OK) {
			s->scanning = false;
			return -1;
		}
		*done = s->scanned;
		*total = s->nlog;
		if (sc.n < ACT_SCAN_CHUNK) {
			if (!s->newest_first)
				act_scan_pending(s);
			s->scanning = false;
			return 1;
		}
	} while (mv_now_ms() < until);
	return 0;
}

static void act_scan_finish(struct tui *t, void *ud, int rc)
{
	struct act_state *s = ud;
	if (rc > 0 && s->list.filtered)
		tui_toast(t, UI_INFO, "%zu of %zu ops match \"%s\"", ui_list_visible(&s->list),
			  s->nlog + s->npending, s->needle);
}

static void act_scan_start(struct tui *t, struct act_state *s, const char *needle)
{
	snprintf(s->needle, sizeof s->needle, "%s", needle);
	ui_list_filter_begin(&s->list, needle);
	s->have_last = false;
	s->scanned = 0;
	if (s->newest_first)
		act_scan_pending(s);
	bool running = s->scanning;
	s->scanning = true;
	if (!running) {
		struct tui_job job = { "filtering the log", act_scan_step, act_scan_finish, s };
		if (!tui_start_job(t, &job)) {
			s->scanning = false;
			tui_toast(t, UI_WARNING, "busy: try the filter again in a moment");
		}
	}
}

static int act_filter(struct tui *t, void *st, const char *needle)
{
	struct act_state *s = st;
	if (!needle[0]) {
		s->scanning = false;
		s->needle[0] = '\0';
		ui_list_filter_clear(&s->list);
		return TUI_DRAW_VIEW;
	}
	act_scan_start(t, s, needle);
	return TUI_DRAW_VIEW;
}

static void act_reload(struct tui *t, void *st)
{
	struct act_state *s = st;
	act_invalidate(s);
	if (!t->h->st) {
		s->nlog = s->npending = 0;
		ui_list_set_count(&s->list, 0);
		return;
	}
	s->nlog = query_log_count(t->h->st);
	act_load_pending(s);
	ui_list_set_count(&s->list, s->nlog + s->npending);
	if (s->needle[0])
		act_scan_start(t, s, s->needle);
}

/* ---- drawing --------------------------------------------------------------- */

static const char *act_mark(int status)
{
	switch (status) {
	case Q_APPLIED: return "✓";
	case Q_REJECTED: return "✗";
	case Q_EXCLUDED: return "⊘";
	default: return "…";
	}
}

static int act_status_attr(int status)
{
	switch (status) {
	case Q_APPLIED: return theme_attr(TH_OK);
	case Q_REJECTED: return theme_attr(TH_ERR);
	default: return theme_attr(TH_WARN);
	}
}

static void act_row_draw(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	struct act_state *s = ud;
	const struct act_row *r = act_get(s, item);
	if (!r)
		return;
	char when[32];
	int base = sel ? theme_attr(TH_SEL) : 0;
	ui_fmt_time(when, sizeof when, op_clock_ms(r->clock));
	int col = x, end = x + w;
	/* narrow screens drop the year */
	col += ui_put(win, y, col, end - col, sel ? base : theme_attr(TH_DIM), w < 90 ? when + 5 : when) + 1;
	if (col < end)
		col += ui_put(win, y, col, 2, sel ? base : act_status_attr(r->status), act_mark(r->status)) + 1;
	int kw = w >= 90 ? 22 : 16;
	if (col < end)
		ui_put(win, y, col, end - col < kw ? end - col : kw, base, r->kind);
	col += kw + 1;
	int aw = w >= 90 ? 20 : 13;
	if (col < end)
		ui_put(win, y, col, end - col < aw ? end - col : aw, base, tui_label(s->t, r->author));
	col += aw + 1;
	if (col < end && r->status != Q_APPLIED)
		ui_put(win, y, col, end - col, sel ? base : act_status_attr(r->status), r->reason);
}

struct act_detail {
	struct act_state *s;
	int y, x, w, rows;
};

static int act_detail_cb(void *ud, const struct q_logrow *r)
{
	struct act_detail *d = ud;
	struct body b;
	struct mv_err err;
	int y = d->y;
	char line[512], hex[65];
	if (body_decode(&b, r->body, r->body_len, &err) != MV_OK) {
		ui_putf(stdscr, y, d->x, d->w, theme_attr(TH_ERR), "body: %s", err.msg);
		return 1;
	}
	for (size_t i = 0; i < b.n && y < d->y + d->rows; i++, y++) {
		const struct body_value *v = &b.f[i].v;
		const struct op_handler *hd = contract_find(r->kind, NULL);
		const struct field_spec *fs = hd ? contract_field(hd, b.f[i].key) : NULL;
		char val[64];
		if (v->type == BODY_INT && fs && fs->kind == F_AMOUNT) {
			ui_fmt_amount(val, sizeof val, v->i);
			snprintf(line, sizeof line, "%s = %s MVT", b.f[i].key, val);
		} else if (v->type == BODY_INT && fs && fs->kind == F_TIME) {
			ui_fmt_time(val, sizeof val, v->i);
			snprintf(line, sizeof line, "%s = %s UTC", b.f[i].key, val);
		} else if (v->type == BODY_INT)
			snprintf(line, sizeof line, "%s = %lld", b.f[i].key, (long long)v->i);
		else if (v->type == BODY_STR)
			snprintf(line, sizeof line, "%s = \"%.*s\"", b.f[i].key, (int)(v->n < 300 ? v->n : 300),
				 (const char *)v->p);
		else if (v->type == BODY_ID)
			snprintf(line, sizeof line, "%s = %s", b.f[i].key, tui_label(d->s->t, v->p));
		else if (v->type == BODY_LIST)
			snprintf(line, sizeof line, "%s = list of %zu", b.f[i].key, v->n);
		else {
			mv_hex(hex, v->p, v->n < 32 ? v->n : 32);
			snprintf(line, sizeof line, "%s = %zu bytes %s", b.f[i].key, v->n, hex);
		}
		ui_put(stdscr, y, d->x, d->w, A_NORMAL, line);
	}
	body_free(&b);
	return 1;
}

static void act_draw_detail(struct tui *t, struct act_state *s, int y, int h)
{
	size_t pos, pend = 0;
	if (!ui_list_selected(&s->list, &pos))
		return;
	const struct act_row *r = act_get(s, pos);
	if (!r)
		return;
	struct act_row row = *r;
	char hex[65], when[32], epoch[48];
	mv_hex(hex, row.id, 32);
	ui_fmt_time(when, sizeof when, op_clock_ms(row.clock));
	if (row.epoch == ENGINE_TENTATIVE)
		snprintf(epoch, sizeof epoch, "tentative");
	else
		snprintf(epoch, sizeof epoch, "final, epoch %lld", (long long)row.epoch);
	ui_hline(stdscr, y, t->main_x, t->main_w, theme_attr(TH_BORDER));
	ui_putf(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_TITLE), "%s  %s", row.kind, hex);
	ui_putf(stdscr, y + 2, t->main_x, t->main_w, A_NORMAL, "by %s · seq %llu · %s UTC · %s",
		tui_label(t, row.author), (unsigned long long)row.seq, when, epoch);
	ui_putf(stdscr, y + 3, t->main_x, t->main_w, act_status_attr(row.status), "%s %s%s%s",
		act_mark(row.status), act_status_word(row.status), row.status == Q_APPLIED ? "" : ": ",
		row.status == Q_APPLIED ? "" : row.reason);
	size_t k = act_log_pos(s, pos, &pend);
	if (k == SIZE_MAX || h <= 4)
		return;
	struct act_detail d = { s, y + 4, t->main_x + 2, t->main_w - 2, h - 4 };
	query_log_window(t->h->st, s->newest_first, k, 1, act_detail_cb, &d, NULL);
}

static void act_draw(struct tui *t, void *st)
{
	struct act_state *s = st;
	char right[128];
	snprintf(right, sizeof right, "%zu ops%s%.0zu%s · %s", s->nlog, s->npending ? " · " : "",
		 s->npending, s->npending ? " waiting" : "", s->newest_first ? "newest first" : "oldest first");
	tui_view_title(t, "Activity", right);
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	if (s->nlog + s->npending == 0) {
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), "The log is empty.");
		return;
	}
	if (s->list.filtered && ui_list_visible(&s->list) == 0)
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM),
		       s->scanning ? "Searching…" : "Nothing matches the filter.");
	int list_h = bottom - y;
	if (s->detail && list_h > 14)
		list_h -= 9;
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, list_h, t->main_w, t->focus_main, act_row_draw, s);
	if (s->detail && list_h < bottom - y)
		act_draw_detail(t, s, y + list_h, bottom - y - list_h);
}

/* ---- input ------------------------------------------------------------------ */

static int act_action(struct tui *t, void *st, enum tui_action a)
{
	struct act_state *s = st;
	if (a == ACT_ENTER) {
		s->detail = !s->detail;
		return TUI_DRAW_VIEW;
	}
	if (a == ACT_BACK && s->detail) {
		s->detail = false;
		return TUI_DRAW_VIEW;
	}
	if (a == ACT_ORDER) {
		s->newest_first = !s->newest_first;
		ui_list_top(&s->list);
		act_reload(t, s);
		return TUI_DRAW_VIEW;
	}
	return tui_list_action(&s->list, a);
}

static int act_click(struct tui *t, void *st, int y, int x)
{
	struct act_state *s = st;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool act_init(struct tui *t, void **st)
{
	struct act_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	s->newest_first = true;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void act_fini(struct tui *t, void *st)
{
	struct act_state *s = st;
	ui_list_free(&s->list);
	free(s->pending);
	free(s);
}

static const enum tui_action act_actions[] = { ACT_ENTER, ACT_ORDER, ACT_NONE };

const struct view_ops view_activity = {
	.name = "activity",
	.title = "Activity",
	.in_nav = true,
	.help = "Every op of the log in total order: when, outcome (✓ applied, ✗ rejected, "
		"… waiting, ⊘ excluded), kind, author, and the reason of a rejection, which every "
		"node agrees on. / filters by kind, author, outcome or reason while you type; the "
		"search runs in steps with a progress bar. Enter shows the op's details and body; "
		"o flips the order.",
	.actions = act_actions,
	.init = act_init,
	.fini = act_fini,
	.reload = act_reload,
	.draw = act_draw,
	.action = act_action,
	.click = act_click,
	.filter = act_filter,
};
