/* view_staking.c - the Staking screen: the current identity's stakes (amount,
 * lock, unlock date, rewards accrued now), what they add up to (staked,
 * waiting rewards, voting power), and the stake form with a live preview of
 * the unlock date and estimated rewards (query_stake_preview: the weight,
 * the lock end and the reward rate at today's totals, exactly as the
 * contract computes them). Stake, claim and unstake are staking.* ops built
 * through tui_submit after a confirmation; unstaking a locked stake is
 * refused here with the unlock time, and by the contract anyway. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_people.h"
#include "core/query_economy.h"
#include "ui/care_ui.h"
#include "ui/econ_ui.h"
#include "ui/view.h"

#define VSTK_MVT INT64_C(100000000)

static const int64_t vstk_periods[] = {30, 90, 180, 365};
#define VSTK_NPERIODS (sizeof vstk_periods / sizeof vstk_periods[0])

struct vstk_state {
	struct tui *t;
	uint8_t acct[32];
	bool has_acct;
	struct q_stake *rows;      /* open first, then unstaked (query order) */
	size_t n, cap;
	size_t nopen;
	int64_t staked, accrued, claimed, balance, loaded_at;
	struct q_voting_power vp;
	struct staking_pool_info pool;
	struct ui_list list;
	int list_y;
	bool form_open;
	struct ui_form form;
	struct q_stake_preview pv;
	bool pv_valid;             /* the form holds a valid amount */
	int64_t pv_amount, pv_days;
	uint8_t pending[32];       /* the stake a confirmation is about */
	char amt_hint[96];         /* the amount field's hint (fields keep a pointer) */
	uint8_t select[32];        /* select this stake at the next reload (a new one) */
	bool want_select;
};

enum { VSF_AMOUNT, VSF_PERIOD };

static bool vstk_match(void *ud, size_t item, const char *needle);

/* ---- data ------------------------------------------------------------------ */

static int vstk_row_cb(void *ud, const struct q_stake *r)
{
	struct vstk_state *s = ud;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct q_stake *rows = realloc(s->rows, cap * sizeof *rows);
		if (!rows)
			return 1;
		s->rows = rows;
		s->cap = cap;
	}
	s->rows[s->n++] = *r;
	if (!r->closed) {
		s->nopen++;
		s->staked += r->amount;
		s->accrued += r->accrued;
	}
	s->claimed += r->claimed;
	return 0;
}

/* Index of the stake with this id, or n. */
static size_t vstk_find(const struct vstk_state *s, const uint8_t id[32])
{
	for (size_t i = 0; i < s->n; i++)
		if (memcmp(s->rows[i].id, id, 32) == 0)
			return i;
	return s->n;
}

static void vstk_load(struct tui *t, struct vstk_state *s)
{
	struct mv_err err;
	s->n = s->nopen = 0;
	s->staked = s->accrued = s->claimed = 0;
	s->loaded_at = t->now;
	memset(&s->vp, 0, sizeof s->vp);
	memset(&s->pool, 0, sizeof s->pool);
	s->has_acct = t->has_as && t->h->st &&
		      home_people_account(t->h, t->as, s->acct, NULL) == MV_OK;
	if (!s->has_acct)
		return;
	mv_err_clear(&err);
	if (query_stakes(t->h->st, s->acct, true, t->now, vstk_row_cb, s, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "stakes: %s", err.msg);
	query_voting_power(t->h->st, s->acct, t->now, &s->vp);
	query_staking_pool(t->h->st, t->now, &s->pool, NULL);
	s->balance = tui_balance(t, s->acct);
}

static void vstk_reload(struct tui *t, void *st)
{
	struct vstk_state *s = st;
	uint8_t keep[32];
	size_t item;
	bool had = ui_list_selected(&s->list, &item) && item < s->n;
	if (had)
		memcpy(keep, s->rows[item].id, 32);
	vstk_load(t, s);
	char needle[sizeof s->list.filter];
	snprintf(needle, sizeof needle, "%s", s->list.filtered ? s->list.filter : "");
	ui_list_filter_clear(&s->list);
	ui_list_set_count(&s->list, s->n);
	if (s->want_select) {
		memcpy(keep, s->select, 32);
		had = true;
		s->want_select = false;
	}
	if (had && vstk_find(s, keep) < s->n)
		ui_list_select_item(&s->list, vstk_find(s, keep));
	if (needle[0])
		ui_list_filter(&s->list, needle, vstk_match, s);
}

/* ---- the stake form and its preview ---------------------------------------- */

static void vstk_preview(struct tui *t, struct vstk_state *s)
{
	struct ui_field f = s->form.f[VSF_AMOUNT];
	const struct ui_field *p = &s->form.f[VSF_PERIOD];
	s->pv_valid = false;
	f.check = NULL;
	if (!f.buf[0] || !ui_field_validate(&f) || p->choice >= p->nchoices)
		return;
	s->pv_amount = f.value;
	s->pv_days = vstk_periods[p->choice];
	if (query_stake_preview(t->h->st, s->pv_amount, s->pv_days, t->now, &s->pv, NULL) == MV_OK)
		s->pv_valid = true;
}

static void vstk_period_choices(struct tui *t, struct ui_field *f)
{
	struct ui_choice c[VSTK_NPERIODS];
	for (size_t i = 0; i < VSTK_NPERIODS; i++) {
		char name[40];
		snprintf(name, sizeof name, "stake_weight_%" PRId64 "_bp", vstk_periods[i]);
		int64_t w = tui_param(t, name, 10000);
		snprintf(c[i].label, sizeof c[i].label, "%" PRId64 " days · weight %" PRId64 ".%02" PRId64
			 "x", vstk_periods[i], w / 10000, w % 10000 / 100);
		snprintf(c[i].value, sizeof c[i].value, "%" PRId64, vstk_periods[i]);
	}
	if (!ui_field_set_choices(f, c, VSTK_NPERIODS))
		tui_toast(t, UI_ERROR, "out of memory");
}

static void vstk_open_form(struct tui *t, struct vstk_state *s)
{
	char min[48];
	ui_fmt_amount(min, sizeof min, tui_param(t, "stake_min", VSTK_MVT));
	snprintf(s->amt_hint, sizeof s->amt_hint, "MVT to lock, at least %s", min);
	ui_form_free(&s->form);
	ui_form_init(&s->form, "Stake MVT");
	ui_form_add(&s->form, UF_AMOUNT, "Amount", true, s->amt_hint);
	struct ui_field *per = ui_form_add(&s->form, UF_CHOICE, "Lock", true,
					   "←→ to choose: longer locks weigh more");
	vstk_period_choices(t, per);
	per->choice = 1; /* 90 days */
	s->form.focus = VSF_AMOUNT;
	s->form_open = true;
	s->pv_valid = false;
	t->focus_main = true;
}

static void vstk_close_form(struct vstk_state *s)
{
	ui_form_free(&s->form);
	s->form_open = false;
}

static void vstk_stake_yes(struct tui *t, void *ud)
{
	struct vstk_state *s = ud;
	char amount[UI_FIELD_MAX + 16], period[32], amt[48];
	char *fields[2] = {amount, period};
	struct submit_result res;
	snprintf(amount, sizeof amount, "amount=%s", s->form.f[VSF_AMOUNT].buf);
	snprintf(period, sizeof period, "period=%" PRId64, s->pv_days);
	ui_fmt_amount(amt, sizeof amt, s->pv_amount);
	if (tui_submit(t, "staking.stake", 2, fields, &res) == MV_OK) {
		tui_toast(t, UI_SUCCESS, "staked %s MVT for %" PRId64 " days", amt, s->pv_days);
		vstk_close_form(s);
		memcpy(s->select, res.id, 32); /* a stake's id is its op's id */
		s->want_select = true;
	}
}

static int vstk_submit(struct tui *t, struct vstk_state *s)
{
	int bad = ui_form_validate(&s->form);
	if (bad >= 0) {
		s->form.focus = (size_t)bad;
		tui_toast(t, UI_ERROR, "%s: %s", s->form.f[bad].label, s->form.f[bad].err);
		return TUI_DRAW_ALL;
	}
	vstk_preview(t, s);
	if (!s->pv_valid)
		return TUI_DRAW_ALL;
	if (!s->pv.ok) {
		tui_toast(t, UI_ERROR, "%s", s->pv.why);
		return TUI_DRAW_ALL;
	}
	char amt[48], when[40], w[48], text[512];
	ui_fmt_amount(amt, sizeof amt, s->pv_amount);
	care_ui_fmt(when, sizeof when, s->pv.lock_end);
	snprintf(w, sizeof w, "%" PRId64 ".%02" PRId64 "x", s->pv.weight_bp / 10000,
		 s->pv.weight_bp % 10000 / 100);
	snprintf(text, sizeof text, "Stake %s MVT for %" PRId64 " days (weight %s)? It stays locked "
		 "until %s. Rewards accrue from now and can be claimed any time ($); the stake comes "
		 "back with u once unlocked.", amt, s->pv_days, w, when);
	tui_confirm(t, "Confirm stake", text, "Stake", vstk_stake_yes, s);
	return TUI_DRAW_ALL;
}

static void vstk_discard_yes(struct tui *t, void *ud)
{
	vstk_close_form(ud);
}

static int vstk_form_key(struct tui *t, struct vstk_state *s, int key)
{
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_CHANGED:
		vstk_preview(t, s);
		return TUI_DRAW_VIEW;
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return vstk_submit(t, s);
	case UI_FORM_CANCEL:
		if (s->form.dirty)
			tui_confirm(t, "Discard stake", "Close the form and lose what you typed?",
				    "Discard", vstk_discard_yes, s);
		else
			vstk_close_form(s);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

/* ---- claim and unstake ------------------------------------------------------- */

static const struct q_stake *vstk_selected(struct vstk_state *s)
{
	size_t item;
	return ui_list_selected(&s->list, &item) && item < s->n ? &s->rows[item] : NULL;
}

static int vstk_stake_op(struct tui *t, const char *kind, const uint8_t id[32])
{
	char hex[65], f[80];
	char *fields[1] = {f};
	mv_hex(hex, id, 32);
	snprintf(f, sizeof f, "stake=%s", hex);
	return tui_submit(t, kind, 1, fields, NULL);
}

static int vstk_last_payout_cb(void *ud, const struct q_payout *r)
{
	*(int64_t *)ud = r->amount;
	return 1;
}

static int vstk_claim(struct tui *t, struct vstk_state *s)
{
	const struct q_stake *r = vstk_selected(s);
	uint8_t id[32];
	int64_t paid = 0;
	char amt[48];
	if (!r) {
		tui_toast(t, UI_WARNING, "no stake selected: n stakes MVT");
		return TUI_DRAW_ALL;
	}
	if (r->closed || r->accrued <= 0) {
		tui_toast(t, UI_WARNING, "%s", r->closed ? "this stake was unstaked" : "nothing to claim yet");
		return TUI_DRAW_ALL;
	}
	memcpy(id, r->id, 32);
	if (vstk_stake_op(t, "staking.claim", id) != MV_OK)
		return TUI_DRAW_ALL;
	/* the exact amount is the payout the claim just recorded */
	query_rewards_received(t->h->st, s->acct, 1, vstk_last_payout_cb, &paid, NULL);
	ui_fmt_amount(amt, sizeof amt, paid);
	tui_toast(t, UI_SUCCESS, "claimed %s MVT of rewards", amt);
	return TUI_DRAW_ALL | TUI_RELOAD;
}

static void vstk_unstake_yes(struct tui *t, void *ud)
{
	struct vstk_state *s = ud;
	size_t i = vstk_find(s, s->pending);
	char amt[48];
	if (i == s->n)
		return;
	ui_fmt_amount(amt, sizeof amt, s->rows[i].amount);
	if (vstk_stake_op(t, "staking.unstake", s->pending) == MV_OK)
		tui_toast(t, UI_SUCCESS, "unstaked: %s MVT and its rewards are back in your wallet", amt);
}

static int vstk_unstake(struct tui *t, struct vstk_state *s)
{
	const struct q_stake *r = vstk_selected(s);
	char amt[48], acc[48], when[40], left[48], text[400];
	if (!r || r->closed) {
		tui_toast(t, UI_WARNING, "%s", r ? "this stake was unstaked already" : "no stake selected");
		return TUI_DRAW_ALL;
	}
	care_ui_fmt(when, sizeof when, r->lock_end);
	if (r->lock_end > t->now) {
		care_ui_fmt_countdown(left, sizeof left, r->lock_end, t->now);
		tui_toast(t, UI_WARNING, "locked until %s (%s): claim rewards with $ meanwhile", when, left);
		return TUI_DRAW_ALL;
	}
	memcpy(s->pending, r->id, 32);
	ui_fmt_amount(amt, sizeof amt, r->amount);
	ui_fmt_amount(acc, sizeof acc, r->accrued);
	snprintf(text, sizeof text, "Unstake %s MVT (%" PRId64 " days, unlocked %s)? The stake and "
		 "about %s MVT of rewards go back to your wallet; its voting power ends.", amt,
		 r->period_days, when, acc);
	tui_confirm(t, "Confirm unstake", text, "Unstake", vstk_unstake_yes, s);
	return TUI_DRAW_ALL;
}

/* ---- drawing ------------------------------------------------------------------- */

static void vstk_row(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct vstk_state *s = ud;
	const struct q_stake *r = &s->rows[item];
	char amt[48], when[40], left[48], acc[48];
	int base = sel ? theme_attr(TH_SEL) : r->closed ? theme_attr(TH_DIM) : 0;
	int col = x, end = x + width;
	ui_fmt_amount(amt, sizeof amt, r->amount);
	int pad = 10 - ui_text_width(amt);
	col += pad > 0 ? pad : 0;
	col += ui_putf(win, y, col, end - col, base, "%s MVT %4" PRId64 " d  ", amt, r->period_days);
	care_ui_fmt(when, sizeof when, r->closed ? r->closed_at : r->lock_end);
	if (r->closed)
		snprintf(left, sizeof left, "unstaked");
	else if (r->unlocked)
		snprintf(left, sizeof left, "unlocked");
	else
		econ_ui_fmt_left(left, sizeof left, r->lock_end, s->t->now);
	/* narrow screens drop the year, or the time for another year */
	char nowtxt[40];
	care_ui_fmt(nowtxt, sizeof nowtxt, s->t->now);
	if (width < 76 && strncmp(when, nowtxt, 4) != 0)
		when[10] = '\0';
	col += ui_putf(win, y, col, end - col, sel ? base : theme_attr(TH_DIM), "%-11s  ",
		       width >= 76 ? when : strncmp(when, nowtxt, 4) == 0 ? when + 5 : when);
	int lattr = sel ? base : r->unlocked && !r->closed ? theme_attr(TH_OK) : base;
	ui_put(win, y, col, end - col, lattr, left);
	col += 10;
	if (width >= 90 && col < end) { /* wide screens: weight and what was claimed */
		char w[32], cl[48];
		econ_ui_fmt_weight(w, sizeof w, r->weight_bp);
		econ_ui_fmt_short(cl, sizeof cl, r->claimed, false);
		ui_putf(win, y, col, end - col, sel ? base : theme_attr(TH_DIM), "weight %-6s claimed %s",
			w, cl);
	}
	if (col >= end || r->closed)
		return;
	econ_ui_fmt_short(acc, sizeof acc, r->accrued, true);
	int aw = ui_text_width(acc), ax = end - aw - 1 > col ? end - aw - 1 : col;
	ui_put(win, y, ax, end - ax, sel ? base : theme_attr(TH_IN), acc);
}

static void vstk_draw_summary(struct tui *t, struct vstk_state *s, int *y)
{
	char st[48], acc[48], vp[48], bal[48];
	int x = t->main_x, w = t->main_w;
	ui_fmt_amount(st, sizeof st, s->staked);
	econ_ui_fmt_short(acc, sizeof acc, s->accrued, false);
	econ_ui_fmt_short(vp, sizeof vp, s->vp.total, false);
	econ_ui_fmt_short(bal, sizeof bal, s->balance, false);
	int c = ui_put(stdscr, *y, x, w, A_NORMAL, "Staked ");
	c += ui_putf(stdscr, *y, x + c, w - c, theme_attr(TH_ACCENT), "%s MVT", st);
	c += ui_putf(stdscr, *y, x + c, w - c, A_NORMAL, " in %zu stake%s · voting power %s",
		     s->nopen, s->nopen == 1 ? "" : "s", vp);
	(*y)++;
	c = ui_put(stdscr, *y, x, w, A_NORMAL, "Rewards waiting ");
	c += ui_putf(stdscr, *y, x + c, w - c, theme_attr(TH_IN), "%s MVT", acc);
	ui_putf(stdscr, *y, x + c, w - c, theme_attr(TH_DIM), " · wallet %s MVT", bal);
	*y += 2;
}

static void vstk_draw_preview(struct tui *t, struct vstk_state *s, int y)
{
	int x = t->main_x, w = t->main_w;
	char when[40], left[48], d[48], l[48], after[48];
	if (!s->pv_valid) {
		ui_put(stdscr, y, x, w, theme_attr(TH_DIM), "Preview: type an amount");
		return;
	}
	if (!s->pv.ok) {
		ui_putf(stdscr, y, x, w, theme_attr(TH_ERR), "✗ %s", s->pv.why);
		return;
	}
	care_ui_fmt(when, sizeof when, s->pv.lock_end);
	econ_ui_fmt_left(left, sizeof left, s->pv.lock_end, t->now);
	ui_putf(stdscr, y, x, w, A_NORMAL, "Unlocks %s (%s)", when, left);
	econ_ui_fmt_approx(d, sizeof d, s->pv.est_per_day);
	econ_ui_fmt_approx(l, sizeof l, s->pv.est_over_lock);
	ui_putf(stdscr, y + 1, x, w, theme_attr(TH_IN), "Rewards ~%s MVT/day · ~%s over the lock",
		d, l);
	char rate[48];
	ui_fmt_amount(rate, sizeof rate, s->pool.rate_per_day);
	ui_putf(stdscr, y + 2, x, w, theme_attr(TH_DIM), "at today's totals: the pool's %s MVT/day, "
		"shared by weight", rate);
	bool enough = s->pv_amount <= s->balance;
	econ_ui_fmt_short(after, sizeof after, s->balance - s->pv_amount, false);
	ui_putf(stdscr, y + 3, x, w, enough ? theme_attr(TH_DIM) : theme_attr(TH_ERR), "%s%s%s",
		enough ? "wallet after " : "more than your wallet holds", enough ? after : "",
		enough ? " MVT" : "");
}

static void vstk_draw_detail(struct tui *t, struct vstk_state *s, int y)
{
	const struct q_stake *r = vstk_selected(s);
	char id[65], since[40], cl[48];
	if (!r)
		return;
	mv_hex(id, r->id, 32);
	care_ui_fmt(since, sizeof since, r->start);
	econ_ui_fmt_short(cl, sizeof cl, r->claimed, false);
	ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), "%.8s · weight %" PRId64
		".%02" PRId64 "x · since %s · claimed %s", id, r->weight_bp / 10000,
		r->weight_bp % 10000 / 100, t->main_w < 76 ? since + 5 : since, cl);
}

static void vstk_draw_list(struct tui *t, struct vstk_state *s, int y, int bottom)
{
	ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_TITLE), "Positions%s",
		s->list.filtered ? " (filtered)" : "");
	if (s->n && t->main_w > 40)
		ui_put(stdscr, y, t->main_x + t->main_w - 8, 8, theme_attr(TH_DIM), "accrued");
	y++;
	if (s->n == 0) {
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "No stakes yet: n stakes MVT for 30, 90, 180 or 365 days.");
		return;
	}
	if (ui_list_visible(&s->list) == 0)
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), "Nothing matches the filter.");
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, bottom - y - 2, t->main_w, t->focus_main,
		     vstk_row, s);
	vstk_draw_detail(t, s, bottom - 1);
}

static void vstk_draw(struct tui *t, void *st)
{
	struct vstk_state *s = st;
	tui_view_title(t, "Staking", t->has_as ? t->as : "");
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	if (!s->has_acct) {
		ui_put(stdscr, y, t->main_x, t->main_w, A_NORMAL,
		       "No identity to show: create or choose one in Identities.");
		return;
	}
	vstk_draw_summary(t, s, &y);
	if (s->form_open) {
		int cy, cx;
		y += ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		vstk_draw_preview(t, s, y);
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	vstk_draw_list(t, s, y, bottom);
}

/* ---- input -------------------------------------------------------------------- */

static int vstk_key(struct tui *t, void *st, int key)
{
	struct vstk_state *s = st;
	return s->form_open ? vstk_form_key(t, s, key) : TUI_UNHANDLED;
}

static int vstk_action(struct tui *t, void *st, enum tui_action a)
{
	struct vstk_state *s = st;
	if (s->form_open)
		return TUI_HANDLED;
	switch (a) {
	case ACT_NEW:
	case ACT_STAKE:
		if (!s->has_acct) {
			tui_toast(t, UI_ERROR, "no identity to stake from");
			return TUI_DRAW_ALL;
		}
		vstk_open_form(t, s);
		return TUI_DRAW_ALL;
	case ACT_PAY:
	case ACT_CLAIM:
		return vstk_claim(t, s);
	case ACT_UNSTAKE:
		return vstk_unstake(t, s);
	default:
		return tui_list_action(&s->list, a);
	}
}

static int vstk_click(struct tui *t, void *st, int y, int x)
{
	struct vstk_state *s = st;
	if (s->form_open)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool vstk_match(void *ud, size_t item, const char *needle)
{
	struct vstk_state *s = ud;
	const struct q_stake *r = &s->rows[item];
	char hay[256], amt[48], when[40], hex[65];
	ui_fmt_amount(amt, sizeof amt, r->amount);
	care_ui_fmt(when, sizeof when, r->lock_end);
	mv_hex(hex, r->id, 32);
	snprintf(hay, sizeof hay, "%s %" PRId64 "d %s %s %.12s", amt, r->period_days, when,
		 r->closed ? "unstaked" : r->unlocked ? "unlocked" : "locked", hex);
	return ui_match_text(hay, needle);
}

static int vstk_filter(struct tui *t, void *st, const char *needle)
{
	struct vstk_state *s = st;
	if (!ui_list_filter(&s->list, needle, vstk_match, s))
		tui_toast(t, UI_ERROR, "out of memory while filtering");
	return TUI_DRAW_VIEW;
}

static bool vstk_dirty(struct tui *t, void *st)
{
	struct vstk_state *s = st;
	return s->form_open && s->form.dirty;
}

/* Accrued rewards grow every moment: showing the screen reads them again. */
static void vstk_show(struct tui *t, void *st)
{
	struct vstk_state *s = st;
	if (!s->form_open && t->now - s->loaded_at > 1000)
		vstk_reload(t, s);
}

static const enum tui_action vstk_actions[] = {
	ACT_STAKE, ACT_CLAIM, ACT_UNSTAKE, ACT_RELOAD, ACT_NONE,
};
static const enum tui_action vstk_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

static const enum tui_action *vstk_actions_now(struct tui *t, void *st)
{
	return ((struct vstk_state *)st)->form_open ? vstk_form_actions : vstk_actions;
}

static bool vstk_init(struct tui *t, void **st)
{
	struct vstk_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void vstk_fini(struct tui *t, void *st)
{
	struct vstk_state *s = st;
	ui_form_free(&s->form);
	ui_list_free(&s->list);
	free(s->rows);
	free(s);
}

const struct view_ops view_staking = {
	.name = "staking",
	.title = "Staking",
	.in_nav = true,
	.roles = "patient therapist member council",
	.help = "Lock MVT for 30, 90, 180 or 365 days: longer locks weigh more (1x, 1.25x, 1.5x, "
		"2x). Rewards accrue every moment from the reward pool, shared by weighted stake, "
		"and your weighted stake is your voting power (plus a reputation bonus). n opens "
		"the stake form with a live preview of the unlock date and estimated rewards; $ "
		"claims the selected stake's rewards; u takes it back once unlocked; r reads the "
		"rewards again.",
	.actions = vstk_actions,
	.actions_now = vstk_actions_now,
	.init = vstk_init,
	.fini = vstk_fini,
	.reload = vstk_reload,
	.draw = vstk_draw,
	.key = vstk_key,
	.action = vstk_action,
	.click = vstk_click,
	.filter = vstk_filter,
	.dirty = vstk_dirty,
	.show = vstk_show,
};
