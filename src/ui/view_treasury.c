/* view_treasury.c - the Treasury screen: the treasury's balance over time as
 * a chart (query_treasury_history resampled onto evenly spaced times), the
 * council's multi-signature spends (pending ones first, with who signed and
 * when they expire), and for council members the propose form and signing
 * with a confirmation that says whether this signature pays the spend.
 * Everything acts through tui_submit (treasury.propose_spend, .sign,
 * .cancel); the contract checks membership, limits and nonces again. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/care.h"
#include "core/home_people.h"
#include "core/query_economy.h"
#include "ui/care_ui.h"
#include "ui/council_ui.h"
#include "ui/econ_ui.h"
#include "ui/view.h"

#define VTRE_PURPOSE_MAX CUI_PURPOSE_MAX
#define VTRE_CHOICES 256
#define VTRE_MAX_COLS 512

struct vtre_state {
	struct tui *t;
	uint8_t treasury[32], me[32];
	bool has_me;
	int64_t balance, limit, threshold, ttl, next_nonce;
	struct q_council_room room;
	int64_t *times, *values; /* balance history, oldest first */
	size_t nh, caph;
	struct cui_spends sp;    /* pending first, then the others newest first */
	struct ui_list list;
	int list_y;
	bool form_open;
	struct ui_form form;
	uint8_t pending[32];     /* the spend a confirmation is about */
	uint8_t select[32];      /* select this spend at the next reload (a new one) */
	bool want_select;
};

enum { VTF_TO, VTF_AMOUNT, VTF_PURPOSE };

static bool vtre_match(void *ud, size_t item, const char *needle);

/* ---- data ------------------------------------------------------------------- */

static int vtre_hist_cb(void *ud, const struct q_treasury_point *r)
{
	struct vtre_state *s = ud;
	if (s->nh == s->caph) {
		size_t cap = s->caph ? s->caph * 2 : 64;
		int64_t *t = realloc(s->times, cap * sizeof *t);
		if (!t)
			return 1;
		s->times = t;
		int64_t *v = realloc(s->values, cap * sizeof *v);
		if (!v)
			return 1;
		s->values = v;
		s->caph = cap;
	}
	s->times[s->nh] = r->time;
	s->values[s->nh++] = r->balance;
	return 0;
}

static void vtre_load(struct tui *t, struct vtre_state *s)
{
	struct mv_err err;
	s->nh = s->sp.n = s->sp.npending = 0;
	s->next_nonce = 1;
	if (!t->h->st)
		return;
	home_resolve_account(t->h, "treasury", s->treasury, NULL);
	s->has_me = t->has_as && home_people_account(t->h, t->as, s->me, NULL) == MV_OK;
	if (!s->has_me)
		memset(s->me, 0, sizeof s->me);
	s->balance = tui_balance(t, s->treasury);
	if (query_treasury_council_room(t->h->st, t->now, &s->room, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "treasury limit: %s", err.msg);
	s->limit = s->room.limit;
	s->threshold = tui_param(t, "council_threshold", 1);
	s->ttl = tui_param(t, "treasury_spend_ttl", 0);
	mv_err_clear(&err);
	if (query_treasury_history(t->h->st, vtre_hist_cb, s, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "treasury history: %s", err.msg);
	if (cui_spends_load(t, false, &s->sp, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "treasury spends: %s", err.msg);
	for (size_t i = 0; i < s->sp.n; i++) { /* my next nonce */
		const struct q_spend *r = &s->sp.v[i].s;
		if (s->has_me && memcmp(r->proposer, s->me, 32) == 0 && r->nonce >= s->next_nonce)
			s->next_nonce = r->nonce + 1;
	}
}

static void vtre_reload(struct tui *t, void *st)
{
	struct vtre_state *s = st;
	uint8_t keep[32];
	size_t item;
	bool had = ui_list_selected(&s->list, &item) && item < s->sp.n;
	if (had)
		memcpy(keep, s->sp.v[item].s.id, 32);
	vtre_load(t, s);
	char needle[sizeof s->list.filter];
	snprintf(needle, sizeof needle, "%s", s->list.filtered ? s->list.filter : "");
	ui_list_filter_clear(&s->list);
	ui_list_set_count(&s->list, s->sp.n);
	if (s->want_select) {
		memcpy(keep, s->select, 32);
		had = true;
		s->want_select = false;
	}
	if (had && cui_spends_find(&s->sp, keep) < s->sp.n)
		ui_list_select_item(&s->list, cui_spends_find(&s->sp, keep));
	if (needle[0])
		ui_list_filter(&s->list, needle, vtre_match, s);
}

static const struct cui_spend *vtre_selected(struct vtre_state *s)
{
	size_t item;
	return ui_list_selected(&s->list, &item) && item < s->sp.n ? &s->sp.v[item] : NULL;
}

static bool vtre_is_council(struct tui *t)
{
	return strcmp(t->role, "council") == 0;
}

/* ---- propose form -------------------------------------------------------------- */

struct vtre_choices {
	struct tui *t;
	struct ui_choice *c;
	size_t n;
	const uint8_t *skip;
};

static void vtre_choice_add(struct vtre_choices *vc, const uint8_t pk[32], const char *label)
{
	char hex[65];
	if (vc->n >= VTRE_CHOICES || memcmp(pk, vc->skip, 32) == 0)
		return;
	mv_hex(hex, pk, 32);
	for (size_t i = 0; i < vc->n; i++)
		if (strcmp(vc->c[i].value, hex) == 0)
			return;
	snprintf(vc->c[vc->n].label, sizeof vc->c[0].label, "%s", label);
	snprintf(vc->c[vc->n].value, sizeof vc->c[0].value, "%s", hex);
	vc->n++;
}

static int vtre_choice_local_cb(void *ud, const char *name, const uint8_t pk[32])
{
	vtre_choice_add(ud, pk, name);
	return 0;
}

static int vtre_choice_bal_cb(void *ud, const struct q_balance *r)
{
	struct vtre_choices *vc = ud;
	vtre_choice_add(vc, r->account, tui_label(vc->t, r->account));
	return 0;
}

/* Recipients: local identities, then every account holding MVT; never the
 * treasury itself. */
static void vtre_fill_choices(struct tui *t, struct vtre_state *s, struct ui_field *f)
{
	struct vtre_choices vc = {t, calloc(VTRE_CHOICES, sizeof(struct ui_choice)), 0, s->treasury};
	if (!vc.c) {
		tui_toast(t, UI_ERROR, "out of memory");
		return;
	}
	keystore_list(t->h->keydir, vtre_choice_local_cb, &vc, NULL);
	query_balances(t->h->st, vtre_choice_bal_cb, &vc, NULL);
	if (!ui_field_set_choices(f, vc.c, vc.n))
		tui_toast(t, UI_ERROR, "out of memory");
	free(vc.c);
}

static void vtre_open_form(struct tui *t, struct vtre_state *s)
{
	ui_form_free(&s->form);
	ui_form_init(&s->form, "Propose a treasury spend");
	struct ui_field *to = ui_form_add(&s->form, UF_CHOICE, "To", true,
					  "←→ or a letter to choose the recipient");
	ui_form_add(&s->form, UF_AMOUNT, "Amount", true, "MVT, at most the council limit");
	struct ui_field *p = ui_form_add(&s->form, UF_TEXT, "Purpose", true,
					 "public: what it is for (no health details)");
	p->max_bytes = VTRE_PURPOSE_MAX;
	vtre_fill_choices(t, s, to);
	s->form.focus = to->nchoices ? VTF_AMOUNT : VTF_TO;
	s->form_open = true;
	t->focus_main = true;
}

static void vtre_close_form(struct vtre_state *s)
{
	ui_form_free(&s->form);
	s->form_open = false;
}

static void vtre_propose_yes(struct tui *t, void *ud)
{
	struct vtre_state *s = ud;
	char to[100], amount[UI_FIELD_MAX + 16], purpose[UI_FIELD_MAX + 16], nonce[40];
	char *fields[4] = {to, amount, purpose, nonce};
	struct submit_result res;
	snprintf(to, sizeof to, "to=%s", ui_field_value(&s->form.f[VTF_TO]));
	snprintf(amount, sizeof amount, "amount=%s", s->form.f[VTF_AMOUNT].buf);
	snprintf(purpose, sizeof purpose, "purpose=%s", s->form.f[VTF_PURPOSE].buf);
	snprintf(nonce, sizeof nonce, "nonce=%" PRId64, s->next_nonce);
	if (tui_submit(t, "treasury.propose_spend", 4, fields, &res) == MV_OK) {
		memcpy(s->select, res.id, 32); /* a spend's id is its op's id */
		s->want_select = true;
		tui_toast(t, UI_SUCCESS, "spend proposed: it waits for %" PRId64 " council signatures",
			  s->threshold);
		vtre_close_form(s);
	}
}

static int vtre_submit(struct tui *t, struct vtre_state *s)
{
	int bad = ui_form_validate(&s->form);
	if (bad >= 0) {
		s->form.focus = (size_t)bad;
		tui_toast(t, UI_ERROR, "%s: %s", s->form.f[bad].label, s->form.f[bad].err);
		return TUI_DRAW_ALL;
	}
	const struct ui_field *to = &s->form.f[VTF_TO];
	char amt[48], ttl[48], text[1024];
	ui_fmt_amount(amt, sizeof amt, s->form.f[VTF_AMOUNT].value);
	econ_ui_fmt_left(ttl, sizeof ttl, t->now + s->ttl, t->now);
	snprintf(text, sizeof text, "Propose paying %s MVT from the treasury to %s for \"%s\"? Your "
		 "signature counts; it is paid at %" PRId64 " council signatures and expires %s. The "
		 "purpose is public.", amt, to->choices[to->choice].label, s->form.f[VTF_PURPOSE].buf,
		 s->threshold, ttl);
	tui_confirm(t, "Confirm treasury spend", text, "Propose", vtre_propose_yes, s);
	return TUI_DRAW_ALL;
}

static void vtre_discard_yes(struct tui *t, void *ud)
{
	vtre_close_form(ud);
}

static int vtre_form_key(struct tui *t, struct vtre_state *s, int key)
{
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return vtre_submit(t, s);
	case UI_FORM_CANCEL:
		if (s->form.dirty)
			tui_confirm(t, "Discard spend", "Close the form and lose what you typed?",
				    "Discard", vtre_discard_yes, s);
		else
			vtre_close_form(s);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

/* ---- sign and cancel -------------------------------------------------------------- */

static int vtre_spend_op(struct tui *t, const char *kind, const uint8_t id[32])
{
	char hex[65], f[80];
	char *fields[1] = {f};
	mv_hex(hex, id, 32);
	snprintf(f, sizeof f, "spend=%s", hex);
	return tui_submit(t, kind, 1, fields, NULL);
}

static void vtre_sign_yes(struct tui *t, void *ud)
{
	cui_spend_sign(t, ((struct vtre_state *)ud)->pending);
}

static int vtre_sign(struct tui *t, struct vtre_state *s)
{
	cui_spend_ask_sign(t, vtre_selected(s), s->has_me ? s->me : NULL, s->pending, vtre_sign_yes, s);
	return TUI_DRAW_ALL;
}

static void vtre_cancel_yes(struct tui *t, void *ud)
{
	struct vtre_state *s = ud;
	if (vtre_spend_op(t, "treasury.cancel", s->pending) == MV_OK)
		tui_toast(t, UI_SUCCESS, "spend cancelled");
}

static int vtre_cancel(struct tui *t, struct vtre_state *s)
{
	const struct cui_spend *d = vtre_selected(s);
	char amt[48], text[1024];
	if (!d || strcmp(d->s.status, "pending") != 0 || !s->has_me ||
	    memcmp(d->s.proposer, s->me, 32) != 0) {
		tui_toast(t, UI_WARNING, "only the proposer may cancel a pending spend");
		return TUI_DRAW_ALL;
	}
	memcpy(s->pending, d->s.id, 32);
	ui_fmt_amount(amt, sizeof amt, d->s.amount);
	snprintf(text, sizeof text, "Cancel your spend of %s MVT to %s (\"%s\")? Signatures so far "
		 "are dropped; its nonce stays used.", amt, tui_label(t, d->s.to), d->purpose);
	tui_confirm(t, "Cancel treasury spend", text, "Cancel spend", vtre_cancel_yes, s);
	return TUI_DRAW_ALL;
}

/* ---- drawing ------------------------------------------------------------------------ */

static void vtre_status_text(struct vtre_state *s, const struct q_spend *r, char *out,
			     size_t outlen)
{
	if (strcmp(r->status, "pending") == 0)
		snprintf(out, outlen, "%" PRId64 " of %" PRId64 " signed", r->valid_signers,
			 r->threshold);
	else
		snprintf(out, outlen, "%s", r->status);
}

static void vtre_row(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct vtre_state *s = ud;
	const struct cui_spend *d = &s->sp.v[item];
	const struct q_spend *r = &d->s;
	bool pending = strcmp(r->status, "pending") == 0;
	char amt[48], st[32];
	int base = sel ? theme_attr(TH_SEL) : pending ? 0 : theme_attr(TH_DIM);
	int col = x, end = x + width;
	ui_fmt_amount(amt, sizeof amt, r->amount);
	int pad = 10 - ui_text_width(amt);
	col += pad > 0 ? pad : 0;
	col += ui_putf(win, y, col, end - col, base, "%s MVT → ", amt);
	ui_put(win, y, col, end - col < 14 ? end - col : 14, base, tui_label(s->t, r->to));
	col += 15;
	vtre_status_text(s, r, st, sizeof st);
	int sattr = sel ? base : pending ? theme_attr(TH_WARN) : strcmp(r->status, "paid") == 0
		    ? theme_attr(TH_OK) : base;
	if (col < end)
		ui_put(win, y, col, end - col, sattr, st);
	col += 15;
	if (col < end)
		ui_put(win, y, col, end - col, sel ? base : theme_attr(TH_DIM), d->purpose);
}

static void vtre_draw_chart(struct tui *t, struct vtre_state *s, int *y)
{
	int h = t->main_h >= 34 ? 6 : 3, lw = 20, w = t->main_w - lw - 1;
	int64_t cols[VTRE_MAX_COLS], lo, hi;
	char a[48], when[40];
	if (s->nh == 0 || w < 8)
		return;
	if (w > VTRE_MAX_COLS)
		w = VTRE_MAX_COLS;
	int64_t from = s->times[0], to = t->now > s->times[s->nh - 1] ? t->now : s->times[s->nh - 1];
	econ_ui_resample(s->times, s->values, s->nh, from, to, s->values[0], cols, w);
	econ_ui_range(cols, (size_t)w, &lo, &hi);
	econ_ui_chart(stdscr, *y, t->main_x, h, w, cols, (size_t)w, lo, hi, theme_attr(TH_ACCENT));
	econ_ui_fmt_short(a, sizeof a, hi, false);
	ui_putf(stdscr, *y, t->main_x + w + 1, lw, theme_attr(TH_DIM), "%s", a);
	econ_ui_fmt_short(a, sizeof a, lo, false);
	ui_putf(stdscr, *y + h - 1, t->main_x + w + 1, lw, theme_attr(TH_DIM), "%s", a);
	*y += h;
	care_ui_fmt(when, sizeof when, from);
	ui_putf(stdscr, *y, t->main_x, t->main_w, theme_attr(TH_DIM), "balance from %s to now, %zu "
		"moves", t->main_w < 76 ? when + 5 : when, s->nh);
	*y += 2;
}

static void vtre_draw_summary(struct tui *t, struct vtre_state *s, int *y)
{
	char bal[48], lim[48];
	int x = t->main_x, w = t->main_w;
	ui_fmt_amount(bal, sizeof bal, s->balance);
	ui_fmt_amount(lim, sizeof lim, s->limit);
	int c = ui_put(stdscr, *y, x, w, A_NORMAL, "Balance ");
	c += ui_putf(stdscr, *y, x + c, w - c, theme_attr(TH_ACCENT), "%s MVT", bal);
	(*y)++;
	if (s->room.window > 0) {
		char win[32], left[48];
		ui_fmt_amount(left, sizeof left, s->room.left);
		care_fmt_duration(win, sizeof win, s->room.window);
		ui_putf(stdscr, *y, x, w, theme_attr(TH_DIM), "council spends up to %s MVT per %s (%s "
			"left now), paid at %" PRId64 " signatures", lim, win, left, s->threshold);
	} else {
		ui_putf(stdscr, *y, x, w, theme_attr(TH_DIM), "council spends up to %s MVT, paid at %"
			PRId64 " signatures", lim, s->threshold);
	}
	*y += 2;
}

static void vtre_draw_detail(struct tui *t, struct vtre_state *s, int y)
{
	const struct cui_spend *d = vtre_selected(s);
	char names[256] = "", when[40], left[40];
	size_t len = 0;
	if (!d)
		return;
	const struct q_spend *r = &d->s;
	for (size_t i = 0; i < r->nsigners && len + 2 < sizeof names; i++) {
		int n = snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
				 tui_label(t, r->signers[i]));
		len += n > 0 ? (size_t)n : 0;
	}
	ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), "signed by %s", names);
	if (strcmp(r->status, "pending") == 0) {
		care_ui_fmt(when, sizeof when, r->expires);
		econ_ui_fmt_left(left, sizeof left, r->expires, t->now);
		ui_putf(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM), "by %s · expires %s "
			"(%s) · nonce %" PRId64, tui_label(t, r->proposer),
			t->main_w < 76 ? when + 5 : when, left, r->nonce);
	} else {
		care_ui_fmt(when, sizeof when, r->closed_at ? r->closed_at : r->expires);
		ui_putf(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM), "by %s · %s %s · nonce %"
			PRId64, tui_label(t, r->proposer), r->status, when, r->nonce);
	}
}

static void vtre_draw_list(struct tui *t, struct vtre_state *s, int y, int bottom)
{
	ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_TITLE), "Council spends%s",
		s->list.filtered ? " (filtered)" : "");
	if (s->sp.npending)
		ui_putf(stdscr, y, t->main_x + 15 + (s->list.filtered ? 11 : 0), t->main_w - 26,
			theme_attr(TH_WARN), "· %zu pending", s->sp.npending);
	y++;
	if (s->sp.n == 0) {
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), vtre_is_council(t)
		       ? "None yet: n proposes one." : "None yet: council members propose them.");
		return;
	}
	if (ui_list_visible(&s->list) == 0)
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), "Nothing matches the filter.");
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, bottom - y - 3, t->main_w, t->focus_main,
		     vtre_row, s);
	vtre_draw_detail(t, s, bottom - 2);
}

static void vtre_draw(struct tui *t, void *st)
{
	struct vtre_state *s = st;
	tui_view_title(t, "Treasury", t->has_as ? t->as : "");
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	if (!t->h->st) {
		ui_put(stdscr, y, t->main_x, t->main_w, A_NORMAL, "No network in this home yet.");
		return;
	}
	vtre_draw_summary(t, s, &y);
	if (s->form_open) {
		int cy, cx;
		char n[200];
		y += ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		snprintf(n, sizeof n, "nonce %" PRId64 " (single-use: this spend can never be replayed)",
			 s->next_nonce);
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), n);
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	vtre_draw_chart(t, s, &y);
	vtre_draw_list(t, s, y, bottom);
}

/* ---- input ----------------------------------------------------------------------- */

static int vtre_key(struct tui *t, void *st, int key)
{
	struct vtre_state *s = st;
	return s->form_open ? vtre_form_key(t, s, key) : TUI_UNHANDLED;
}

static int vtre_action(struct tui *t, void *st, enum tui_action a)
{
	struct vtre_state *s = st;
	if (s->form_open)
		return TUI_HANDLED;
	switch (a) {
	case ACT_NEW:
	case ACT_PROPOSE:
		if (!vtre_is_council(t)) {
			tui_toast(t, UI_WARNING, "only council members propose treasury spends (c acts as one)");
			return TUI_DRAW_ALL;
		}
		vtre_open_form(t, s);
		return TUI_DRAW_ALL;
	case ACT_APPROVE:
	case ACT_SIGN:
		return vtre_sign(t, s);
	case ACT_REJECT:
		return vtre_cancel(t, s);
	default:
		return tui_list_action(&s->list, a);
	}
}

static int vtre_click(struct tui *t, void *st, int y, int x)
{
	struct vtre_state *s = st;
	if (s->form_open)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool vtre_match(void *ud, size_t item, const char *needle)
{
	struct vtre_state *s = ud;
	const struct cui_spend *d = &s->sp.v[item];
	char hay[400], amt[48];
	ui_fmt_amount(amt, sizeof amt, d->s.amount);
	snprintf(hay, sizeof hay, "%s %s %s %s", amt, tui_label(s->t, d->s.to), d->status, d->purpose);
	return ui_match_text(hay, needle);
}

static int vtre_filter(struct tui *t, void *st, const char *needle)
{
	struct vtre_state *s = st;
	if (!ui_list_filter(&s->list, needle, vtre_match, s))
		tui_toast(t, UI_ERROR, "out of memory while filtering");
	return TUI_DRAW_VIEW;
}

static bool vtre_dirty(struct tui *t, void *st)
{
	struct vtre_state *s = st;
	return s->form_open && s->form.dirty;
}

static const enum tui_action vtre_actions[] = { ACT_SIGN, ACT_PROPOSE, ACT_NONE };
static const enum tui_action vtre_no_actions[] = { ACT_NONE };
static const enum tui_action vtre_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

static const enum tui_action *vtre_actions_now(struct tui *t, void *st)
{
	if (((struct vtre_state *)st)->form_open)
		return vtre_form_actions;
	return vtre_is_council(t) ? vtre_actions : vtre_no_actions;
}

static bool vtre_init(struct tui *t, void **st)
{
	struct vtre_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void vtre_fini(struct tui *t, void *st)
{
	struct vtre_state *s = st;
	ui_form_free(&s->form);
	ui_list_free(&s->list);
	free(s->times);
	free(s->values);
	cui_spends_free(&s->sp);
	free(s);
}

const struct view_ops view_treasury = {
	.name = "treasury",
	.title = "Treasury",
	.in_nav = true,
	.roles = "council member regulator patient therapist",
	.help = "The treasury holds fees and platform cuts. The chart is its balance over time. "
		"It pays out only by a governance proposal or, up to the council limit, by a "
		"multi-signature of the council: a member proposes a spend (n), others sign it (a) "
		"until the threshold, and the treasury pays at the last signature. Pending spends "
		"expire; each carries a single-use nonce so it can never be replayed; x cancels "
		"your own pending proposal.",
	.actions = vtre_actions,
	.actions_now = vtre_actions_now,
	.init = vtre_init,
	.fini = vtre_fini,
	.reload = vtre_reload,
	.draw = vtre_draw,
	.key = vtre_key,
	.action = vtre_action,
	.click = vtre_click,
	.filter = vtre_filter,
	.dirty = vtre_dirty,
};
