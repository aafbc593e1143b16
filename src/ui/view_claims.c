/* view_claims.c - Insurance claims: for patients and therapists the claims
 * on their sessions, and n to claim a session booked with insurance (the
 * policy details are encrypted to the chosen insurer alone:
 * home_care_claim_submit); for an insurer the claims it decides, with the
 * policy details opened with its key, a to approve an amount, x to deny
 * with a reason, $ to pay an approved claim in MVT. States: submitted →
 * approved → paid, or denied. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_care.h"
#include "core/query_people.h"
#include "ui/care_view.h"

#define CLAIM_CHOICES 64

struct claim_row {
	uint8_t id[32], session[32], patient[32], therapist[32], insurer[32], policy_blob[32];
	uint8_t policy_key[BLOB_SEALED_LEN];
	int64_t amount, approved, created;
	char state[16], denial[141], title[CARE_TITLE_MAX + 1];
};

struct claim_state {
	struct tui *t;
	struct claim_row *rows;
	size_t n, cap;
	struct ui_list list;
	int list_y;
	struct care_form cf;
	uint8_t act[32];
	uint8_t open_id[32];
	bool have_policy;
	char policy[512];
};

/* ---- data ------------------------------------------------------------------ */

static int claim_cb(void *ud, const struct qc_claim *c)
{
	struct claim_state *s = ud;
	struct qc_session r;
	struct mv_err err;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct claim_row *v = realloc(s->rows, cap * sizeof *v);
		if (!v)
			return 1;
		s->rows = v;
		s->cap = cap;
	}
	struct claim_row *w = &s->rows[s->n++];
	memset(w, 0, sizeof *w);
	memcpy(w->id, c->id, 32);
	memcpy(w->session, c->session, 32);
	memcpy(w->patient, c->patient, 32);
	memcpy(w->therapist, c->therapist, 32);
	memcpy(w->insurer, c->insurer, 32);
	memcpy(w->policy_blob, c->policy_blob, 32);
	memcpy(w->policy_key, c->policy_key, BLOB_SEALED_LEN);
	w->amount = c->amount;
	w->approved = c->approved;
	w->created = c->created;
	snprintf(w->state, sizeof w->state, "%s", c->state);
	snprintf(w->denial, sizeof w->denial, "%s", c->denial_reason ? c->denial_reason : "");
	if (query_care_session(s->t->h->st, c->session, NULL, s->t->now, &r, &err) == MV_OK)
		snprintf(w->title, sizeof w->title, "%s", r.title);
	return 0;
}

static void claim_reload(struct tui *t, void *st)
{
	struct claim_state *s = st;
	struct mv_err err;
	s->n = 0;
	s->have_policy = false;
	if (t->has_as && t->h->st) {
		mv_err_clear(&err);
		if (query_care_claims(t->h->st, t->as_pk, claim_cb, s, &err) != MV_OK)
			tui_toast(t, UI_ERROR, "claims: %s", err.msg);
	}
	ui_list_set_count(&s->list, s->n);
}

static struct claim_row *claim_selected(struct claim_state *s)
{
	size_t item;
	return ui_list_selected(&s->list, &item) && item < s->n ? &s->rows[item] : NULL;
}

static bool claim_am_insurer(struct tui *t, const struct claim_row *w)
{
	return w && memcmp(w->insurer, t->as_pk, 32) == 0;
}

/* The policy details, opened with the insurer's key (insurers only). */
static void claim_open_policy(struct tui *t, struct claim_state *s, const struct claim_row *w)
{
	struct mv_buf plain = {0};
	struct mv_err err;
	if (s->have_policy && memcmp(s->open_id, w->id, 32) == 0)
		return;
	memcpy(s->open_id, w->id, 32);
	s->have_policy = true;
	mv_err_clear(&err);
	if (home_care_open(t->h, t->as, w->policy_blob, w->policy_key, &plain, &err) != MV_OK) {
		snprintf(s->policy, sizeof s->policy, "(cannot open: %.400s)", err.msg);
		return;
	}
	snprintf(s->policy, sizeof s->policy, "%.*s", (int)plain.len, (const char *)plain.data);
	memset(plain.data, 0, plain.len);
	mv_buf_free(&plain);
}

/* ---- a new claim (patient or therapist) -------------------------------------------- */

struct claim_pick {
	struct tui *t;
	struct ui_choice c[CLAIM_CHOICES];
	size_t n;
};

static int claim_session_choice_cb(void *ud, const struct qc_session *r)
{
	struct claim_pick *p = ud;
	char when[48], hex[65];
	if (p->n >= CLAIM_CHOICES || strcmp(r->s.payment, "insurance") != 0 ||
	    r->s.state == CS_CANCELLED || r->s.state == CS_DECLINED || r->s.state == CS_REQUESTED)
		return 0;
	care_ui_fmt_short(when, sizeof when, r->s.start);
	mv_hex(hex, r->s.id, 32);
	snprintf(p->c[p->n].label, sizeof p->c[0].label, "%.17s · %.40s", when, r->title);
	snprintf(p->c[p->n].value, sizeof p->c[0].value, "%s", hex);
	p->n++;
	return 0;
}

static int claim_insurer_cb(void *ud, const struct q_user *u)
{
	struct claim_pick *p = ud;
	char hex[65];
	if (p->n >= CLAIM_CHOICES)
		return 1;
	mv_hex(hex, u->account, 32);
	snprintf(p->c[p->n].label, sizeof p->c[0].label, "%.60s", u->display_name[0] ? u->display_name
		 : tui_label(p->t, u->account));
	snprintf(p->c[p->n].value, sizeof p->c[0].value, "%s", hex);
	p->n++;
	return 0;
}

static bool claim_new_submit(struct tui *t, void *ud, struct ui_form *f)
{
	uint8_t session[32], insurer[32];
	struct submit_result res;
	struct mv_err err;
	if (mv_unhex(session, 32, ui_field_value(&f->f[0])) != MV_OK ||
	    mv_unhex(insurer, 32, ui_field_value(&f->f[1])) != MV_OK)
		return false;
	mv_err_clear(&err);
	int rc = home_care_claim_submit(t->h, t->as, session, insurer, f->f[2].buf, &res, &err);
	if (tui_submitted(t, rc, &res, &err) != MV_OK)
		return false;
	tui_toast(t, UI_SUCCESS, "claim submitted; only the insurer can read the policy details");
	return true;
}

static int claim_new(struct tui *t, struct claim_state *s)
{
	struct claim_pick *p = calloc(1, sizeof *p);
	if (!p)
		return TUI_HANDLED;
	p->t = t;
	query_care_sessions(t->h->st, t->as_pk, QC_ALL, t->now, claim_session_choice_cb, p, NULL);
	if (!p->n) {
		free(p);
		tui_toast(t, UI_WARNING, "no session booked with insurance that can be claimed");
		return TUI_DRAW_ALL;
	}
	care_form_open(t, &s->cf, "Claim a session from an insurer", claim_new_submit, s);
	struct ui_field *f = ui_form_add(&s->cf.form, UF_CHOICE, "Session", true,
					 "a confirmed session booked with insurance");
	ui_field_set_choices(f, p->c, p->n);
	p->n = 0;
	query_users(t->h->st, "insurer", false, claim_insurer_cb, p, NULL);
	f = ui_form_add(&s->cf.form, UF_CHOICE, "Insurer", true, "appointed by the council");
	ui_field_set_choices(f, p->c, p->n);
	ui_form_add(&s->cf.form, UF_TEXT, "Policy", true,
		    "policy number and details: encrypted to the insurer alone");
	free(p);
	return TUI_DRAW_ALL;
}

/* ---- the insurer's decisions --------------------------------------------------------- */

static bool claim_decide_submit(struct tui *t, void *ud, struct ui_form *f)
{
	struct claim_state *s = ud;
	char fc[80], fv[UI_FIELD_MAX + 32], hex[65];
	char *fields[2] = {fc, fv};
	bool approve = strcmp(f->f[0].label, "Amount") == 0;
	mv_hex(hex, s->act, 32);
	snprintf(fc, sizeof fc, "claim=%s", hex);
	snprintf(fv, sizeof fv, "%s=%s", approve ? "approved_amount" : "denial_reason", f->f[0].buf);
	if (tui_submit(t, "claim.decide", 2, fields, NULL) != MV_OK)
		return false;
	tui_toast(t, UI_SUCCESS, approve ? "claim approved" : "claim denied");
	return true;
}

static int claim_decide(struct tui *t, struct claim_state *s, struct claim_row *w, bool approve)
{
	char amt[48];
	if (strcmp(w->state, "submitted") != 0) {
		tui_toast(t, UI_WARNING, "this claim is %s already", w->state);
		return TUI_DRAW_ALL;
	}
	memcpy(s->act, w->id, 32);
	care_form_open(t, &s->cf, approve ? "Approve claim" : "Deny claim", claim_decide_submit, s);
	if (approve) {
		struct ui_field *f = ui_form_add(&s->cf.form, UF_AMOUNT, "Amount", true,
						 "MVT approved, at most what was claimed");
		mv_amount_format(amt, sizeof amt, w->amount);
		ui_field_set_text(f, amt);
	} else {
		struct ui_field *f = ui_form_add(&s->cf.form, UF_TEXT, "Reason", true,
						 "a short public code, e.g. not-covered (no health details)");
		f->max_bytes = 140;
	}
	s->cf.form.dirty = false;
	return TUI_DRAW_ALL;
}

static void claim_pay_yes(struct tui *t, void *ud)
{
	struct claim_state *s = ud;
	char fc[80], hex[65], fm[32] = "method=token";
	char *fields[2] = {fc, fm};
	mv_hex(hex, s->act, 32);
	snprintf(fc, sizeof fc, "claim=%s", hex);
	if (tui_submit(t, "claim.pay", 2, fields, NULL) == MV_OK)
		tui_toast(t, UI_SUCCESS, "paid: the MVT went to the therapist");
}

static int claim_pay(struct tui *t, struct claim_state *s, struct claim_row *w)
{
	char text[256], amt[48];
	if (strcmp(w->state, "approved") != 0) {
		tui_toast(t, UI_WARNING, "only an approved claim can be paid (this one is %s)", w->state);
		return TUI_DRAW_ALL;
	}
	memcpy(s->act, w->id, 32);
	ui_fmt_amount(amt, sizeof amt, w->approved);
	snprintf(text, sizeof text, "Pay %s MVT from your account to the therapist %s?", amt,
		 tui_label(t, w->therapist));
	tui_confirm(t, "Pay claim", text, "Pay", claim_pay_yes, s);
	return TUI_DRAW_ALL;
}

/* ---- drawing ------------------------------------------------------------------------ */

static void claim_row_draw(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct claim_state *s = ud;
	struct claim_row *w = &s->rows[item];
	char when[48], amt[48];
	int base = sel ? theme_attr(TH_SEL) : 0;
	int st = sel ? base : strcmp(w->state, "denied") == 0 ? theme_attr(TH_ERR)
		 : strcmp(w->state, "paid") == 0 ? theme_attr(TH_OK) : theme_attr(TH_WARN);
	care_ui_fmt_short(when, sizeof when, w->created);
	ui_fmt_amount(amt, sizeof amt, w->approved ? w->approved : w->amount);
	ui_put(win, y, x, 17, base, when);
	ui_put(win, y, x + 18, 10, st, w->state);
	ui_putf(win, y, x + 29, 14, base, "%s MVT", amt);
	if (width > 45)
		ui_put(win, y, x + 44, width - 44, sel ? base : theme_attr(TH_DIM), w->title);
}

static void claim_draw_detail(struct tui *t, struct claim_state *s, int y, int h)
{
	struct claim_row *w = claim_selected(s);
	char amt[48], ok[48];
	if (!w || h < 3)
		return;
	ui_hline(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_BORDER));
	ui_fmt_amount(amt, sizeof amt, w->amount);
	ui_fmt_amount(ok, sizeof ok, w->approved);
	ui_putf(stdscr, y++, t->main_x, t->main_w, A_NORMAL, "patient %s · therapist %s · insurer %s",
		tui_label(t, w->patient), tui_label(t, w->therapist), tui_label(t, w->insurer));
	if (w->denial[0])
		ui_putf(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_ERR), "denied: %s", w->denial);
	else
		ui_putf(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_DIM), "claimed %s MVT%s%s%s",
			amt, w->approved ? " · approved " : "", w->approved ? ok : "",
			w->approved ? " MVT" : "");
	if (claim_am_insurer(t, w) && h >= 4) {
		claim_open_policy(t, s, w);
		ui_putf(stdscr, y, t->main_x, t->main_w, A_NORMAL, "policy: %s", s->policy);
	} else if (h >= 4) {
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "policy details: encrypted to the insurer");
	}
}

static void claim_draw(struct tui *t, void *st)
{
	struct claim_state *s = st;
	char right[32];
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	if (s->cf.open) {
		care_form_draw(t, &s->cf, y);
		return;
	}
	snprintf(right, sizeof right, "%zu claim%s", s->n, s->n == 1 ? "" : "s");
	tui_view_title(t, "Insurance claims", right);
	if (!s->n) {
		care_view_empty(t, y, strcmp(t->role, "insurer") == 0 ? "No claims name you yet."
				: "No claims. n claims a session you booked with insurance.");
		return;
	}
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, bottom - y - 5, t->main_w, t->focus_main,
		     claim_row_draw, s);
	claim_draw_detail(t, s, bottom - 5, 5);
}

/* ---- input ---------------------------------------------------------------------------- */

static int claim_key(struct tui *t, void *st, int key)
{
	struct claim_state *s = st;
	return care_form_key(t, &s->cf, key);
}

static int claim_action(struct tui *t, void *st, enum tui_action a)
{
	struct claim_state *s = st;
	struct claim_row *w = claim_selected(s);
	if (s->cf.open)
		return TUI_HANDLED;
	if (a == ACT_NEW)
		return claim_new(t, s);
	if (claim_am_insurer(t, w)) {
		if (a == ACT_APPROVE || a == ACT_REJECT)
			return claim_decide(t, s, w, a == ACT_APPROVE);
		if (a == ACT_PAY)
			return claim_pay(t, s, w);
	}
	return tui_list_action(&s->list, a);
}

static int claim_click(struct tui *t, void *st, int y, int x)
{
	struct claim_state *s = st;
	if (s->cf.open)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool claim_dirty(struct tui *t, void *st)
{
	struct claim_state *s = st;
	return s->cf.open && s->cf.form.dirty;
}

static const enum tui_action claim_actions[] = { ACT_NEW, ACT_NONE };
static const enum tui_action claim_insurer_actions[] = { ACT_APPROVE, ACT_REJECT, ACT_PAY,
							 ACT_NONE };

static const enum tui_action *claim_actions_now(struct tui *t, void *st)
{
	struct claim_state *s = st;
	if (s->cf.open)
		return care_form_actions;
	return strcmp(t->role, "insurer") == 0 ? claim_insurer_actions : claim_actions;
}

static bool claim_init(struct tui *t, void **st)
{
	struct claim_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void claim_fini(struct tui *t, void *st)
{
	struct claim_state *s = st;
	care_form_close(&s->cf);
	memset(s->policy, 0, sizeof s->policy);
	ui_list_free(&s->list);
	free(s->rows);
	free(s);
}

const struct view_ops view_claims = {
	.name = "claims",
	.title = "Claims",
	.in_nav = true,
	.roles = "patient therapist insurer council member",
	.help = "Insurance claims on sessions booked with payment by insurance. Patients and "
		"therapists: n claims a confirmed session from an insurer; the policy details are "
		"encrypted to that insurer alone. Insurers: a approves an amount, x denies with a "
		"short public reason, $ pays an approved claim in MVT to the therapist.",
	.actions = claim_actions,
	.actions_now = claim_actions_now,
	.init = claim_init,
	.fini = claim_fini,
	.reload = claim_reload,
	.draw = claim_draw,
	.key = claim_key,
	.action = claim_action,
	.click = claim_click,
	.dirty = claim_dirty,
};
