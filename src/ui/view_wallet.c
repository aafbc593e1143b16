/* view_wallet.c - the Wallet screen: the current identity's MVT balance, a
 * sparkline of the balance over time, the history of every move touching
 * the account (query_moves), and the send form. The form shows the ledger
 * fee (floor(amount * fee_transfer_bp / 10000), the rule of ledger.c) and
 * the total before a confirmation; sending builds a ledger.transfer op via
 * tui_submit, so a rejection arrives as a readable message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ui/view.h"
#include "ui/econ_ui.h"

#define WALLET_MEMO_MAX 140
#define WALLET_CHOICES 256

struct wallet_move {
	uint8_t op[32];
	int64_t time;
	uint8_t other[32];
	bool has_other;      /* false for mints (genesis allocation) */
	int64_t delta;       /* signed change of this account */
	int64_t balance_after;
	char memo[WALLET_MEMO_MAX + 4];
};

struct wallet_state {
	struct wallet_move *moves; /* oldest first */
	size_t n, cap;
	int64_t *series;
	int64_t balance, fee_bp;
	int64_t rewards;           /* rewards received in all (econ_ui_rewards_total) */
	size_t nrewards;
	struct ui_list list;       /* newest first: item i is moves[n - 1 - i] */
	int list_y;                /* list's first row, relative to the main area */
	bool form_open;
	struct ui_form form;
	struct tui *t;
};

enum { WF_TO, WF_AMOUNT, WF_MEMO };

static struct wallet_move *wallet_item(struct wallet_state *w, size_t item)
{
	return &w->moves[w->n - 1 - item];
}

static bool wallet_match(void *ud, size_t item, const char *needle);

/* ---- data ---------------------------------------------------------------- */

struct wallet_load {
	struct wallet_state *w;
	const uint8_t *me;
	bool oom;
};

static int wallet_move_cb(void *ud, const struct q_move *r)
{
	struct wallet_load *L = ud;
	struct wallet_state *w = L->w;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct wallet_move *m = realloc(w->moves, cap * sizeof *m);
		if (!m) {
			L->oom = true;
			return 1;
		}
		w->moves = m;
		w->cap = cap;
	}
	struct wallet_move *m = &w->moves[w->n++];
	static const uint8_t zero[32];
	bool in = memcmp(r->to, L->me, 32) == 0;
	bool out = memcmp(r->from, L->me, 32) == 0;
	memcpy(m->op, r->op, 32);
	m->time = r->time;
	m->delta = (in ? r->amount : 0) - (out ? r->amount : 0);
	memcpy(m->other, in && !out ? r->from : r->to, 32);
	m->has_other = memcmp(m->other, zero, 32) != 0;
	m->balance_after = r->balance_after;
	snprintf(m->memo, sizeof m->memo, "%s", r->memo ? r->memo : "");
	return 0;
}

static void wallet_reload(struct tui *t, void *st)
{
	struct wallet_state *w = st;
	struct mv_err err;
	size_t keep = SIZE_MAX, item;
	if (ui_list_selected(&w->list, &item) && w->n)
		keep = w->n - 1 - item; /* index into moves, stable as moves append */
	w->n = 0;
	w->balance = 0;
	w->fee_bp = tui_param(t, "fee_transfer_bp", 0);
	if (t->has_as && t->h->st) {
		struct wallet_load L = { w, t->as_pk, false };
		mv_err_clear(&err);
		if (query_moves(t->h->st, t->as_pk, wallet_move_cb, &L, &err) != MV_OK)
			tui_toast(t, UI_ERROR, "wallet history: %s", err.msg);
		if (L.oom)
			tui_toast(t, UI_ERROR, "wallet history: out of memory");
		w->balance = tui_balance(t, t->as_pk);
		w->rewards = econ_ui_rewards_total(t->h->st, t->as_pk, &w->nrewards);
	}
	free(w->series);
	w->series = w->n ? malloc(w->n * sizeof *w->series) : NULL;
	for (size_t i = 0; w->series && i < w->n; i++)
		w->series[i] = w->moves[i].balance_after;
	char needle[sizeof w->list.filter];
	snprintf(needle, sizeof needle, "%s", w->list.filtered ? w->list.filter : "");
	ui_list_filter_clear(&w->list);
	ui_list_set_count(&w->list, w->n);
	if (keep < w->n)
		ui_list_select_item(&w->list, w->n - 1 - keep);
	if (needle[0])
		ui_list_filter(&w->list, needle, wallet_match, w);
}

/* ---- send form ------------------------------------------------------------ */

struct wallet_choices {
	struct tui *t;
	struct ui_choice *c;
	size_t n;
};

static bool wallet_choice_has(const struct wallet_choices *wc, const char *hex)
{
	for (size_t i = 0; i < wc->n; i++)
		if (strcmp(wc->c[i].value, hex) == 0)
			return true;
	return false;
}

static void wallet_choice_add(struct wallet_choices *wc, const uint8_t pk[32], const char *label)
{
	char hex[65];
	if (wc->n >= WALLET_CHOICES || memcmp(pk, wc->t->as_pk, 32) == 0)
		return;
	mv_hex(hex, pk, 32);
	if (wallet_choice_has(wc, hex))
		return;
	snprintf(wc->c[wc->n].label, sizeof wc->c[0].label, "%s", label);
	snprintf(wc->c[wc->n].value, sizeof wc->c[0].value, "%s", hex);
	wc->n++;
}

static int wallet_choice_local_cb(void *ud, const char *name, const uint8_t pk[32])
{
	wallet_choice_add(ud, pk, name);
	return 0;
}

static int wallet_choice_bal_cb(void *ud, const struct q_balance *r)
{
	struct wallet_choices *wc = ud;
	wallet_choice_add(wc, r->account, tui_label(wc->t, r->account));
	return 0;
}

/* Recipients: local identities first (by name), then every other account
 * that holds MVT (remote people and system accounts). */
static bool wallet_fill_choices(struct tui *t, struct ui_field *f)
{
	struct wallet_choices wc = { t, calloc(WALLET_CHOICES, sizeof(struct ui_choice)), 0 };
	if (!wc.c)
		return false;
	keystore_list(t->h->keydir, wallet_choice_local_cb, &wc, NULL);
	if (t->h->st)
		query_balances(t->h->st, wallet_choice_bal_cb, &wc, NULL);
	bool ok = ui_field_set_choices(f, wc.c, wc.n);
	free(wc.c);
	return ok;
}

static bool wallet_check_memo(void *ud, const struct ui_field *f, char *err, size_t errlen)
{
	if (strlen(f->buf) > WALLET_MEMO_MAX) {
		snprintf(err, errlen, "at most %d bytes", WALLET_MEMO_MAX);
		return false;
	}
	return true;
}

static void wallet_open_form(struct tui *t, struct wallet_state *w)
{
	ui_form_free(&w->form);
	ui_form_init(&w->form, "Send MVT");
	struct ui_field *to = ui_form_add(&w->form, UF_CHOICE, "To", true,
					  "←→ or a letter to choose the recipient");
	struct ui_field *amt = ui_form_add(&w->form, UF_AMOUNT, "Amount", true,
					   "MVT, up to 8 decimals; the fee is added on top");
	struct ui_field *memo = ui_form_add(&w->form, UF_TEXT, "Memo", false,
					    "public note: never put health information here");
	(void)amt;
	memo->max_bytes = WALLET_MEMO_MAX;
	memo->check = wallet_check_memo;
	if (!wallet_fill_choices(t, to))
		tui_toast(t, UI_ERROR, "out of memory");
	w->form.focus = to->nchoices ? WF_AMOUNT : WF_TO;
	w->form_open = true;
	t->focus_main = true;
}

static void wallet_close_form(struct wallet_state *w)
{
	ui_form_free(&w->form);
	w->form_open = false;
}

/* Fee and total for the amount typed so far; false if it is not valid. */
static bool wallet_fee(const struct wallet_state *w, int64_t *amount, int64_t *fee, int64_t *total)
{
	struct ui_field f = w->form.f[WF_AMOUNT];
	f.check = NULL;
	if (!f.buf[0] || !ui_field_validate(&f))
		return false;
	*amount = f.value;
	if (!mv_muldiv_i64(f.value, w->fee_bp, 10000, fee) || !mv_add_i64(f.value, *fee, total))
		return false;
	return true;
}

static void wallet_send_yes(struct tui *t, void *ud)
{
	struct wallet_state *w = ud;
	char to[100], amount[UI_FIELD_MAX + 16], memo[UI_FIELD_MAX + 16];
	char *fields[3] = { to, amount, memo };
	const char *label = w->form.f[WF_TO].choices[w->form.f[WF_TO].choice].label;
	char who[UI_CHOICE_LABEL];
	snprintf(who, sizeof who, "%s", label);
	snprintf(to, sizeof to, "to=%s", ui_field_value(&w->form.f[WF_TO]));
	snprintf(amount, sizeof amount, "amount=%s", w->form.f[WF_AMOUNT].buf);
	snprintf(memo, sizeof memo, "memo=%s", w->form.f[WF_MEMO].buf);
	int n = w->form.f[WF_MEMO].buf[0] ? 3 : 2;
	if (tui_submit(t, "ledger.transfer", n, fields, NULL) == MV_OK) {
		char amt[48];
		ui_fmt_amount(amt, sizeof amt, w->form.f[WF_AMOUNT].value);
		tui_toast(t, UI_SUCCESS, "sent %s MVT to %s", amt, who);
		wallet_close_form(w);
	}
}

static int wallet_submit(struct tui *t, struct wallet_state *w)
{
	int bad = ui_form_validate(&w->form);
	if (bad >= 0) {
		w->form.focus = (size_t)bad;
		tui_toast(t, UI_ERROR, "%s: %s", w->form.f[bad].label, w->form.f[bad].err);
		return TUI_DRAW_ALL;
	}
	int64_t amount, fee, total;
	if (!wallet_fee(w, &amount, &fee, &total)) {
		tui_toast(t, UI_ERROR, "amount too large");
		return TUI_DRAW_ALL;
	}
	char a[48], f[48], tot[48], bp[16], text[1024];
	ui_fmt_amount(a, sizeof a, amount);
	ui_fmt_amount(f, sizeof f, fee);
	ui_fmt_amount(tot, sizeof tot, total);
	ui_fmt_bp(bp, sizeof bp, w->fee_bp);
	const struct ui_field *to = &w->form.f[WF_TO];
	snprintf(text, sizeof text, "Send %s MVT to %s? The fee of %s MVT (%s) goes to the "
		 "treasury: %s MVT leaves your account.%s%s", a, to->choices[to->choice].label, f, bp,
		 tot, w->form.f[WF_MEMO].buf[0] ? " Memo: " : "", w->form.f[WF_MEMO].buf);
	tui_confirm(t, "Confirm transfer", text, "Send", wallet_send_yes, w);
	return TUI_DRAW_ALL;
}

static void wallet_discard_yes(struct tui *t, void *ud)
{
	wallet_close_form(ud);
}

static int wallet_form_key(struct tui *t, struct wallet_state *w, int key)
{
	switch (ui_form_key(&w->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return wallet_submit(t, w);
	case UI_FORM_CANCEL:
		if (w->form.dirty)
			tui_confirm(t, "Discard transfer", "Close the form and lose what you typed?",
				    "Discard", wallet_discard_yes, w);
		else
			wallet_close_form(w);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

/* ---- drawing --------------------------------------------------------------- */

static void wallet_row(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct wallet_state *w = ud;
	struct wallet_move *m = wallet_item(w, item);
	char when[32], amt[48], who[80];
	ui_fmt_time(when, sizeof when, m->time);
	ui_fmt_amount_signed(amt, sizeof amt, m->delta);
	if (m->has_other)
		snprintf(who, sizeof who, "%s %s", m->delta >= 0 ? "from" : "to", tui_label(w->t, m->other));
	else
		snprintf(who, sizeof who, "%s", "genesis allocation");
	int base = sel ? theme_attr(TH_SEL) : 0;
	int amt_attr = sel ? base : theme_attr(m->delta >= 0 ? TH_IN : TH_OUT);
	int col = x;
	/* narrow screens drop the year */
	col += ui_put(win, y, col, width, sel ? base : theme_attr(TH_DIM), width < 90 ? when + 5 : when) + 1;
	int aw = width < 90 ? 12 : 14, ax = col + aw - ui_text_width(amt);
	if (col + aw < x + width)
		ui_put(win, y, ax, aw, amt_attr, amt);
	col += aw + 2;
	int ww = width >= 90 ? 26 : 18;
	if (col < x + width)
		ui_put(win, y, col, x + width - col < ww ? x + width - col : ww, base, who);
	col += ww + 1;
	if (col < x + width && m->memo[0])
		ui_put(win, y, col, x + width - col, sel ? base : theme_attr(TH_DIM), m->memo);
}

static void wallet_draw_summary(struct tui *t, struct wallet_state *w, int *y)
{
	char bal[48], bp[16], spark[1024];
	ui_fmt_amount(bal, sizeof bal, w->balance);
	ui_fmt_bp(bp, sizeof bp, w->fee_bp);
	int x = t->main_x;
	x += ui_put(stdscr, *y, x, t->main_w, A_NORMAL, "Balance ");
	x += ui_putf(stdscr, *y, x, t->main_w, theme_attr(TH_ACCENT), "%s MVT", bal);
	ui_putf(stdscr, *y, x + 3, t->main_x + t->main_w - x - 3, theme_attr(TH_DIM),
		"transfer fee %s", bp);
	(*y)++;
	ui_fmt_amount(bal, sizeof bal, w->rewards);
	ui_putf(stdscr, (*y)++, t->main_x, t->main_w, theme_attr(TH_DIM), "rewards received %s MVT "
		"in %zu payout%s", bal, w->nrewards,
		w->nrewards == 1 ? "" : "s");
	int sw = t->main_w - 20 < 64 ? t->main_w - 20 : 64;
	if (w->n > 1 && sw > 8) {
		int cols = ui_sparkline(spark, sizeof spark, w->series, w->n, sw);
		ui_put(stdscr, *y, t->main_x, cols, theme_attr(TH_ACCENT), spark);
		ui_putf(stdscr, *y, t->main_x + cols + 1, t->main_w - cols - 1, theme_attr(TH_DIM),
			"balance, %zu moves", w->n);
		(*y)++;
	}
	(*y)++;
}

static void wallet_draw_fee(struct tui *t, struct wallet_state *w, int y)
{
	int64_t amount, fee, total;
	if (!wallet_fee(w, &amount, &fee, &total)) {
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), "Fee: type an amount");
		return;
	}
	char f[48], tot[48], bp[16], after[48];
	ui_fmt_amount(f, sizeof f, fee);
	ui_fmt_amount(tot, sizeof tot, total);
	ui_fmt_bp(bp, sizeof bp, w->fee_bp);
	bool enough = total <= w->balance;
	ui_fmt_amount(after, sizeof after, w->balance - total);
	ui_putf(stdscr, y, t->main_x, t->main_w, enough ? 0 : theme_attr(TH_ERR),
		"Fee %s MVT (%s) · total %s MVT · %s%s", f, bp, tot,
		enough ? "balance after " : "more than your balance", enough ? after : "");
}

static void wallet_draw(struct tui *t, void *st)
{
	struct wallet_state *w = st;
	tui_view_title(t, "Wallet", t->has_as ? t->as : "");
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	if (!t->has_as) {
		ui_put(stdscr, y, t->main_x, t->main_w, A_NORMAL,
		       "No identity to show: create or choose one in Identities (4).");
		return;
	}
	wallet_draw_summary(t, w, &y);
	if (w->form_open) {
		int cy, cx;
		y += ui_form_draw(stdscr, &w->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		wallet_draw_fee(t, w, y);
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_TITLE), "History%s",
		w->list.filtered ? " (filtered)" : "");
	y++;
	if (w->n == 0) {
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), "No moves yet.");
		return;
	}
	if (ui_list_visible(&w->list) == 0)
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), "Nothing matches the filter.");
	w->list_y = y - t->main_y;
	ui_list_draw(stdscr, &w->list, y, t->main_x, bottom - y, t->main_w, t->focus_main,
		     wallet_row, w);
}

/* ---- input ------------------------------------------------------------------ */

static int wallet_key(struct tui *t, void *st, int key)
{
	struct wallet_state *w = st;
	return w->form_open ? wallet_form_key(t, w, key) : TUI_UNHANDLED;
}

static int wallet_action(struct tui *t, void *st, enum tui_action a)
{
	struct wallet_state *w = st;
	size_t item;
	if (w->form_open)
		return TUI_HANDLED; /* form keys were offered to the form already */
	if (a == ACT_SEND) {
		if (!t->has_as) {
			tui_toast(t, UI_ERROR, "no identity to send from");
			return TUI_DRAW_ALL;
		}
		wallet_open_form(t, w);
		return TUI_DRAW_ALL;
	}
	if (a == ACT_ENTER && ui_list_selected(&w->list, &item)) {
		struct wallet_move *m = wallet_item(w, item);
		char hex[65];
		mv_hex(hex, m->op, 32);
		tui_toast(t, UI_INFO, "op %.16s… %s", hex, m->memo);
		return TUI_DRAW_ALL;
	}
	return tui_list_action(&w->list, a);
}

static int wallet_click(struct tui *t, void *st, int y, int x)
{
	struct wallet_state *w = st;
	if (w->form_open)
		return TUI_HANDLED;
	return ui_list_click(&w->list, y - w->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool wallet_match(void *ud, size_t item, const char *needle)
{
	struct wallet_state *w = ud;
	struct wallet_move *m = wallet_item(w, item);
	char hay[512], amt[48], when[32];
	ui_fmt_amount_signed(amt, sizeof amt, m->delta);
	ui_fmt_time(when, sizeof when, m->time);
	snprintf(hay, sizeof hay, "%s %s %s %s", when, amt,
		 m->has_other ? tui_label(w->t, m->other) : "genesis", m->memo);
	return ui_match_text(hay, needle);
}

static int wallet_filter(struct tui *t, void *st, const char *needle)
{
	struct wallet_state *w = st;
	if (!ui_list_filter(&w->list, needle, wallet_match, w))
		tui_toast(t, UI_ERROR, "out of memory while filtering");
	return TUI_DRAW_VIEW;
}

static bool wallet_dirty(struct tui *t, void *st)
{
	struct wallet_state *w = st;
	return w->form_open && w->form.dirty;
}

static const enum tui_action wallet_actions[] = { ACT_SEND, ACT_ENTER, ACT_NONE };
static const enum tui_action wallet_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

static const enum tui_action *wallet_actions_now(struct tui *t, void *st)
{
	return ((struct wallet_state *)st)->form_open ? wallet_form_actions : wallet_actions;
}

static bool wallet_init(struct tui *t, void **st)
{
	struct wallet_state *w = calloc(1, sizeof *w);
	if (!w)
		return false;
	w->t = t;
	ui_list_init(&w->list);
	*st = w;
	return true;
}

static void wallet_fini(struct tui *t, void *st)
{
	struct wallet_state *w = st;
	ui_form_free(&w->form);
	ui_list_free(&w->list);
	free(w->moves);
	free(w->series);
	free(w);
}

const struct view_ops view_wallet = {
	.name = "wallet",
	.title = "Wallet",
	.in_nav = true,
	.help = "Your MVT balance, its history and a sparkline of the balance over time. "
		"s opens the send form: choose the recipient, type the amount, Enter on the last "
		"field (or ^S) shows the fee and the total for confirmation. Memos are public.",
	.actions = wallet_actions,
	.actions_now = wallet_actions_now,
	.init = wallet_init,
	.fini = wallet_fini,
	.reload = wallet_reload,
	.draw = wallet_draw,
	.key = wallet_key,
	.action = wallet_action,
	.click = wallet_click,
	.filter = wallet_filter,
	.dirty = wallet_dirty,
};
