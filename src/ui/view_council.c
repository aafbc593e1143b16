/* view_council.c - the Council screen: one place for what waits for a
 * council member's signature, in three panes.
 *
 *  - License applications (the professional verification queue): a
 *    approves, x rejects with a public reason, Enter opens the applicant's
 *    proof (sealed to the council). Shared with the Verification screen
 *    through council_ui.c.
 *  - Treasury spends waiting for signatures: a signs (the confirmation says
 *    whether this signature pays it). Shared with the Treasury screen.
 *  - Regulator requests (contracts/compliance.c): subject, scope, legal
 *    basis and the council's approvals so far; a approves
 *    (regulator.approve: the threshold-th approval grants the request), x
 *    denies with a public reason, or co-signs a denial another member began
 *    (same reason, so the same request).
 *
 * ←/→ move between panes (← on the first returns to the navigation), ↑/↓
 * move within a pane and on into the next. Every signature is confirmed
 * first and goes through tui_submit, so the contract checks membership
 * again and a rejection is shown verbatim. Shown in the navigation to
 * council members only. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/body.h"
#include "core/home_people.h"
#include "core/query_gov.h"
#include "ui/council_ui.h"
#include "ui/view.h"

enum cv_pane { CV_LICENSES, CV_SPENDS, CV_REGULATOR, CV_PANES };
enum cv_mode { CV_LIST, CV_REJECT_APP, CV_DENY_REQ };

/* A pending regulator request and the council's signatures on it. */
struct cv_req {
	struct q_reg_request r;
	int64_t approvals;          /* approve signatures of current members */
	bool approved_by_me;
	int64_t denials;            /* signatures on a denial in progress */
	bool denied_by_me;
	char deny_reason[201];      /* the denial's reason ("" if none) */
	uint8_t *deny_body;         /* its first signer's body (co-sign by resending) */
	size_t deny_len;
};

struct cv_state {
	struct tui *t;
	bool council, has_me;
	uint8_t me[32];
	int64_t threshold;
	struct cui_app *apps;
	size_t napps, capapps;
	struct cui_spends sp;
	struct cv_req *reqs;
	size_t nreqs, capreqs;
	struct ui_list list[CV_PANES];
	int list_y[CV_PANES], list_h[CV_PANES]; /* where each list was drawn */
	int pane;
	enum cv_mode mode;
	struct ui_form form;
	char *proof;                /* the selected applicant's proof (wiped when hidden) */
	uint8_t pending[32];        /* what a confirmation or form is about */
};

static const char *const cv_titles[CV_PANES] = {
	"License applications", "Treasury spends", "Regulator requests",
};

/* ---- data ------------------------------------------------------------------- */

static void cv_clear_reqs(struct cv_state *s)
{
	for (size_t i = 0; i < s->nreqs; i++)
		free(s->reqs[i].deny_body);
	s->nreqs = 0;
}

static int cv_app_cb(void *ud, const struct cui_app *a)
{
	struct cv_state *s = ud;
	if (s->napps == s->capapps) {
		size_t cap = s->capapps ? s->capapps * 2 : 8;
		struct cui_app *v = realloc(s->apps, cap * sizeof *v);
		if (!v)
			return 1;
		s->apps = v;
		s->capapps = cap;
	}
	s->apps[s->napps++] = *a;
	return 0;
}

static int cv_req_cb(void *ud, const struct q_reg_request *r)
{
	struct cv_state *s = ud;
	if (strcmp(r->state, "pending") != 0)
		return 0;
	if (s->nreqs == s->capreqs) {
		size_t cap = s->capreqs ? s->capreqs * 2 : 8;
		struct cv_req *v = realloc(s->reqs, cap * sizeof *v);
		if (!v)
			return 1;
		s->reqs = v;
		s->capreqs = cap;
	}
	struct cv_req *q = &s->reqs[s->nreqs++];
	memset(q, 0, sizeof *q);
	q->r = *r;
	q->approvals = r->signatures;
	return 0;
}

/* The council's queue says who signed what on a regulator request, and
 * holds a denial's body (its reason must match to co-sign it). */
static int cv_queue_cb(void *ud, const struct q_request *q)
{
	struct cv_state *s = ud;
	bool approve = strcmp(q->kind, "regulator.approve") == 0;
	if (!approve && strcmp(q->kind, "regulator.deny") != 0)
		return 0;
	for (size_t i = 0; i < s->nreqs; i++) {
		struct cv_req *r = &s->reqs[i];
		if (memcmp(r->r.id, q->subject, 32) != 0)
			continue;
		if (approve) {
			r->approved_by_me = q->signed_by_me;
			continue;
		}
		if (r->deny_body && !q->signed_by_me)
			continue; /* keep the denial I signed, else the first one */
		struct body b;
		struct mv_err e;
		uint8_t *copy = malloc(q->body_len ? q->body_len : 1);
		if (!copy)
			return 1;
		memcpy(copy, q->body, q->body_len);
		free(r->deny_body);
		r->deny_body = copy;
		r->deny_len = q->body_len;
		r->denials = q->signatures;
		r->denied_by_me = q->signed_by_me;
		r->deny_reason[0] = '\0';
		if (body_decode(&b, q->body, q->body_len, &e) == MV_OK) {
			body_str(&b, "reason", r->deny_reason, sizeof r->deny_reason, &e);
			body_free(&b);
		}
	}
	return 0;
}

static void cv_load(struct tui *t, struct cv_state *s)
{
	struct mv_err err;
	s->napps = 0;
	cv_clear_reqs(s);
	s->sp.n = s->sp.npending = 0;
	s->council = strcmp(t->role, "council") == 0;
	s->has_me = t->has_as && t->h->st && home_people_account(t->h, t->as, s->me, NULL) == MV_OK;
	if (!s->council || !s->has_me)
		return;
	s->threshold = tui_param(t, "council_threshold", 1);
	mv_err_clear(&err);
	if (cui_apps(t, s->me, cv_app_cb, s, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "license applications: %s", err.msg);
	if (cui_spends_load(t, true, &s->sp, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "treasury spends: %s", err.msg);
	if (query_regulator_requests(t->h->st, NULL, NULL, s->me, cv_req_cb, s, &err) != MV_OK ||
	    query_council_queue(t->h->st, s->me, cv_queue_cb, s, &err) < 0)
		tui_toast(t, UI_ERROR, "regulator requests: %s", err.msg);
}

static size_t cv_count(const struct cv_state *s, int pane)
{
	return pane == CV_LICENSES ? s->napps : pane == CV_SPENDS ? s->sp.n : s->nreqs;
}

/* The id a row stands for (therapist, spend, request), to keep selections
 * and confirmations on the same thing across reloads. */
static const uint8_t *cv_row_id(const struct cv_state *s, int pane, size_t i)
{
	if (pane == CV_LICENSES)
		return s->apps[i].app.therapist;
	if (pane == CV_SPENDS)
		return s->sp.v[i].s.id;
	return s->reqs[i].r.id;
}

static size_t cv_find(const struct cv_state *s, int pane, const uint8_t id[32])
{
	size_t n = cv_count(s, pane);
	for (size_t i = 0; i < n; i++)
		if (memcmp(cv_row_id(s, pane, i), id, 32) == 0)
			return i;
	return n;
}

static bool cv_selected(const struct cv_state *s, int pane, size_t *item)
{
	return ui_list_selected(&s->list[pane], item) && *item < cv_count(s, pane);
}

static void cv_reload(struct tui *t, void *st)
{
	struct cv_state *s = st;
	uint8_t keep[CV_PANES][32];
	bool had[CV_PANES];
	size_t item;
	for (int p = 0; p < CV_PANES; p++)
		if ((had[p] = cv_selected(s, p, &item)))
			memcpy(keep[p], cv_row_id(s, p, item), 32);
	cv_load(t, s);
	for (int p = 0; p < CV_PANES; p++) {
		ui_list_set_count(&s->list[p], cv_count(s, p));
		if (had[p] && cv_find(s, p, keep[p]) < cv_count(s, p))
			ui_list_select_item(&s->list[p], cv_find(s, p, keep[p]));
	}
}

/* ---- licenses ------------------------------------------------------------------ */

static const struct cui_app *cv_app_pending(struct cv_state *s)
{
	size_t i = cv_find(s, CV_LICENSES, s->pending);
	return i < s->napps ? &s->apps[i] : NULL;
}

static void cv_approve_app_yes(struct tui *t, void *ud)
{
	struct cv_state *s = ud;
	const struct cui_app *a = cv_app_pending(s);
	if (a)
		cui_app_decide(t, a, "approve", NULL, s->threshold);
}

static void cv_reject_app_yes(struct tui *t, void *ud)
{
	struct cv_state *s = ud;
	const struct cui_app *a = cv_app_pending(s);
	if (a)
		cui_app_decide(t, a, "reject", s->form.f[0].buf, s->threshold);
	ui_form_free(&s->form);
	s->mode = CV_LIST;
}

/* ---- spends ---------------------------------------------------------------------- */

static void cv_sign_yes(struct tui *t, void *ud)
{
	cui_spend_sign(t, ((struct cv_state *)ud)->pending);
}

/* ---- regulator requests ------------------------------------------------------ */

static const struct cv_req *cv_req_pending(struct cv_state *s)
{
	size_t i = cv_find(s, CV_REGULATOR, s->pending);
	return i < s->nreqs ? &s->reqs[i] : NULL;
}

struct cv_state_find {
	const uint8_t *id;
	char state[16];
	int64_t approvals, threshold;
};

static int cv_state_cb(void *ud, const struct q_reg_request *r)
{
	struct cv_state_find *f = ud;
	if (memcmp(r->id, f->id, 32) != 0)
		return 0;
	snprintf(f->state, sizeof f->state, "%s", r->state);
	f->approvals = r->signatures;
	f->threshold = r->threshold;
	return 1;
}

/* After a signature: what the request is now. */
static void cv_req_outcome(struct tui *t, const uint8_t id[32], const char *who, const char *scope)
{
	struct cv_state_find f = { .id = id };
	query_regulator_requests(t->h->st, NULL, NULL, NULL, cv_state_cb, &f, NULL);
	if (strcmp(f.state, "granted") == 0)
		tui_toast(t, UI_SUCCESS, "granted: %s may now receive the %s data (the subject is told)",
			  who, scope);
	else if (strcmp(f.state, "denied") == 0)
		tui_toast(t, UI_SUCCESS, "denied by the council (the subject is told)");
	else
		tui_toast(t, UI_SUCCESS, "signed; another council member must sign the same decision");
}

static void cv_approve_req_yes(struct tui *t, void *ud)
{
	struct cv_state *s = ud;
	const struct cv_req *q = cv_req_pending(s);
	char field[80], who[64], scope[16];
	char *fields[1] = { field };
	if (!q)
		return;
	memcpy(field, "request=", 8);
	mv_hex(field + 8, q->r.id, 32);
	snprintf(who, sizeof who, "%s", tui_label(t, q->r.regulator));
	snprintf(scope, sizeof scope, "%s", q->r.scope);
	if (tui_submit(t, "regulator.approve", 1, fields, NULL) == MV_OK)
		cv_req_outcome(t, s->pending, who, scope);
}

static void cv_deny_req_yes(struct tui *t, void *ud)
{
	struct cv_state *s = ud;
	const struct cv_req *q = cv_req_pending(s);
	char field[80], why[UI_FIELD_MAX + 16], who[64], scope[16];
	char *fields[2] = { field, why };
	if (q) {
		memcpy(field, "request=", 8);
		mv_hex(field + 8, q->r.id, 32);
		snprintf(why, sizeof why, "reason=%s", s->form.f[0].buf);
		snprintf(who, sizeof who, "%s", tui_label(t, q->r.regulator));
		snprintf(scope, sizeof scope, "%s", q->r.scope);
		if (tui_submit(t, "regulator.deny", 2, fields, NULL) == MV_OK)
			cv_req_outcome(t, s->pending, who, scope);
	}
	ui_form_free(&s->form);
	s->mode = CV_LIST;
}

/* Co-sign the denial another member began: the same body, so the same
 * request (its reason is part of it). */
static void cv_cosign_deny_yes(struct tui *t, void *ud)
{
	struct cv_state *s = ud;
	const struct cv_req *q = cv_req_pending(s);
	struct submit_result res;
	struct mv_err err;
	char who[64], scope[16];
	if (!q || !q->deny_body)
		return;
	snprintf(who, sizeof who, "%s", tui_label(t, q->r.regulator));
	snprintf(scope, sizeof scope, "%s", q->r.scope);
	memset(&res, 0, sizeof res);
	mv_err_clear(&err);
	int rc = home_submit(t->h, t->as, "regulator.deny", q->deny_body, q->deny_len, &res, &err);
	if (tui_submitted(t, rc, &res, &err) == MV_OK)
		cv_req_outcome(t, s->pending, who, scope);
}

static void cv_ask_approve_req(struct tui *t, struct cv_state *s, const struct cv_req *q)
{
	char text[512], subject[64];
	if (q->approved_by_me) {
		tui_toast(t, UI_INFO, "you approved this request already");
		return;
	}
	snprintf(subject, sizeof subject, "%s", tui_label(t, q->r.subject));
	memcpy(s->pending, q->r.id, 32);
	snprintf(text, sizeof text, "Grant %s access to the %s data of %s under \"%.200s\"? %" PRId64
		 " of %" PRId64 " approvals so far. %s", tui_label(t, q->r.regulator), q->r.scope,
		 subject, q->r.legal_basis, q->approvals, q->r.threshold,
		 q->approvals + 1 >= q->r.threshold
			 ? "Yours grants it: the data is then sealed to the regulator."
			 : "Another council member must approve too.");
	tui_confirm(t, "Approve regulator request", text, "Approve", cv_approve_req_yes, s);
}

static void cv_ask_deny_req(struct tui *t, struct cv_state *s, const struct cv_req *q)
{
	char text[512];
	if (q->denied_by_me) {
		tui_toast(t, UI_INFO, "you signed this denial already");
		return;
	}
	memcpy(s->pending, q->r.id, 32);
	if (q->deny_body) {
		snprintf(text, sizeof text, "Co-sign the denial of this %s request with its reason "
			 "\"%.200s\"? %" PRId64 " of %" PRId64 " signatures so far; the reason is public.",
			 q->r.scope, q->deny_reason, q->denials, q->r.threshold);
		tui_confirm(t, "Deny regulator request", text, "Deny", cv_cosign_deny_yes, s);
		return;
	}
	cui_reason_form(&s->form, "Deny the regulator request",
			"public: the regulator, the subject and everyone read it");
	s->mode = CV_DENY_REQ;
	t->focus_main = true;
}

/* ---- forms ------------------------------------------------------------------------ */

static void cv_close_form(struct tui *t, void *ud)
{
	struct cv_state *s = ud;
	ui_form_free(&s->form);
	s->mode = CV_LIST;
}

static int cv_form_submit(struct tui *t, struct cv_state *s)
{
	char text[480];
	int bad = ui_form_validate(&s->form);
	if (bad >= 0) {
		s->form.focus = (size_t)bad;
		tui_toast(t, UI_ERROR, "%s: %s", s->form.f[bad].label, s->form.f[bad].err);
		return TUI_DRAW_ALL;
	}
	if (s->mode == CV_REJECT_APP) {
		snprintf(text, sizeof text, "Reject this application with the reason \"%.200s\"? It is "
			 "public and kept in the applicant's history.", s->form.f[0].buf);
		tui_confirm(t, "Reject license", text, "Reject", cv_reject_app_yes, s);
	} else {
		snprintf(text, sizeof text, "Deny this regulator request with the reason \"%.200s\"? "
			 "The reason is public; the subject is told.", s->form.f[0].buf);
		tui_confirm(t, "Deny regulator request", text, "Deny", cv_deny_req_yes, s);
	}
	return TUI_DRAW_ALL;
}

static int cv_form_key(struct tui *t, struct cv_state *s, int key)
{
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return cv_form_submit(t, s);
	case UI_FORM_CANCEL:
		if (s->form.dirty)
			tui_confirm(t, "Discard", "Close the form and lose what you typed?", "Discard",
				    cv_close_form, s);
		else
			cv_close_form(t, s);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

/* ---- drawing ------------------------------------------------------------------------ */

static void cv_spend_text(struct cv_state *s, const struct cui_spend *d, char *out, size_t n)
{
	char amt[48];
	ui_fmt_amount(amt, sizeof amt, d->s.amount);
	snprintf(out, n, "%s MVT → %s · %" PRId64 " of %" PRId64 " signed%s · %s", amt,
		 tui_label(s->t, d->s.to), d->s.valid_signers, d->s.threshold,
		 s->has_me && cui_spend_signed_by(&d->s, s->me) ? " · you signed" : "", d->purpose);
}

static void cv_req_text(struct cv_state *s, const struct cv_req *q, char *out, size_t n)
{
	char reg[64], sigs[64];
	snprintf(reg, sizeof reg, "%s", tui_label(s->t, q->r.regulator));
	if (q->denials)
		snprintf(sigs, sizeof sigs, "✓%" PRId64 " ✗%" PRId64 " of %" PRId64, q->approvals,
			 q->denials, q->r.threshold);
	else
		snprintf(sigs, sizeof sigs, "✓%" PRId64 " of %" PRId64, q->approvals, q->r.threshold);
	snprintf(out, n, "%s · %s · %s%s · by %s · %s", tui_label(s->t, q->r.subject), q->r.scope,
		 sigs, q->approved_by_me || q->denied_by_me ? " · you signed" : "", reg,
		 q->r.legal_basis);
}

static void cv_row(struct cv_state *s, int pane, WINDOW *win, int y, int x, int w, size_t item,
		   bool sel)
{
	char text[800];
	if (pane == CV_LICENSES)
		cui_app_row_text(s->t, &s->apps[item], s->threshold, text, sizeof text);
	else if (pane == CV_SPENDS)
		cv_spend_text(s, &s->sp.v[item], text, sizeof text);
	else
		cv_req_text(s, &s->reqs[item], text, sizeof text);
	ui_put(win, y, x, w, sel ? theme_attr(TH_SEL) : 0, text);
}

static void cv_row_lic(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	cv_row(ud, CV_LICENSES, win, y, x, w, item, sel);
}

static void cv_row_spend(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	cv_row(ud, CV_SPENDS, win, y, x, w, item, sel);
}

static void cv_row_req(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	cv_row(ud, CV_REGULATOR, win, y, x, w, item, sel);
}

static const ui_row_fn cv_row_fns[CV_PANES] = { cv_row_lic, cv_row_spend, cv_row_req };

/* Rows the selected item's details need under the panes. */
static int cv_detail_rows(const struct cv_state *s)
{
	size_t item;
	if (!cv_selected(s, s->pane, &item))
		return 0;
	if (s->pane == CV_LICENSES)
		return s->proof ? 8 : 4;
	return s->pane == CV_SPENDS ? 2 : 4;
}

/* How many items each pane shows: one row each at least (its first item or
 * its empty text), then the current pane grows, then the others in order. */
static void cv_heights(const struct cv_state *s, int avail, int h[CV_PANES])
{
	int left = avail;
	for (int p = 0; p < CV_PANES; p++) {
		h[p] = left > 0 ? 1 : 0;
		left -= h[p];
	}
	for (int k = 0; k < CV_PANES && left > 0; k++) {
		int p = (s->pane + k) % CV_PANES;
		int want = (int)cv_count(s, p) - h[p];
		int give = want < left ? want : left;
		if (give > 0) {
			h[p] += give;
			left -= give;
		}
	}
}

static void cv_pane_title(struct tui *t, struct cv_state *s, int p, int y)
{
	size_t n = cv_count(s, p), mine = 0;
	for (size_t i = 0; i < n; i++) {
		if (p == CV_LICENSES)
			mine += !s->apps[i].signed_approve && !s->apps[i].signed_reject;
		else if (p == CV_SPENDS)
			mine += !cui_spend_signed_by(&s->sp.v[i].s, s->me);
		else
			mine += !s->reqs[i].approved_by_me && !s->reqs[i].denied_by_me;
	}
	bool cur = p == s->pane;
	int attr = theme_attr(TH_TITLE) | (cur ? (int)(A_BOLD | A_UNDERLINE) : 0);
	int x = ui_put(stdscr, y, t->main_x, t->main_w, attr, cur ? "▸ " : "  ");
	x += ui_putf(stdscr, y, t->main_x + x, t->main_w - x, attr, "%s (%zu)", cv_titles[p], n);
	if (mine)
		ui_putf(stdscr, y, t->main_x + x, t->main_w - x, theme_attr(TH_WARN),
			" · %zu need%s your signature", mine, mine == 1 ? "s" : "");
}

static const char *const cv_empty[CV_PANES] = {
	"None waiting. Therapists' license applications appear here.",
	"None waiting. Spends proposed in Treasury (n) appear here.",
	"None waiting. Regulators' requests for a person's data appear here.",
};

static void cv_draw_req_detail(struct tui *t, struct cv_state *s, const struct cv_req *q, int y,
			       int bottom)
{
	char when[32];
	if (y + 3 > bottom)
		return;
	ui_fmt_time(when, sizeof when, q->r.created);
	y = cui_field(t, y, "Subject", 0, "%s · scope: %s", tui_label(t, q->r.subject), q->r.scope);
	y = cui_field(t, y, "Legal basis", 0, "%s", q->r.legal_basis);
	y = cui_field(t, y, "Asked", theme_attr(TH_DIM), "%s by %s", when, tui_label(t, q->r.regulator));
	if (q->denials)
		cui_field(t, y, "Signatures", 0, "approve %" PRId64 ", deny %" PRId64 " of %" PRId64
			  " (reason: %s)", q->approvals, q->denials, q->r.threshold, q->deny_reason);
	else
		cui_field(t, y, "Signatures", 0, "approve %" PRId64 " of %" PRId64 "%s", q->approvals,
			  q->r.threshold, q->approved_by_me ? " (yours among them)" : "");
}

static void cv_draw_spend_detail(struct tui *t, struct cv_state *s, const struct cui_spend *d,
				 int y)
{
	char names[256] = "", left[40];
	size_t len = 0;
	for (size_t i = 0; i < d->s.nsigners && len + 2 < sizeof names; i++) {
		int n = snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
				 tui_label(t, d->s.signers[i]));
		len += n > 0 ? (size_t)n : 0;
	}
	ui_fmt_ago(left, sizeof left, d->s.expires, t->now);
	cui_field(t, y, "Signed by", 0, "%s", names[0] ? names : "nobody yet");
	cui_field(t, y + 1, "Proposed", theme_attr(TH_DIM), "by %s · expires %s",
		  tui_label(t, d->s.proposer), left);
}

static void cv_draw_detail(struct tui *t, struct cv_state *s, int y, int bottom)
{
	size_t item;
	if (!cv_selected(s, s->pane, &item))
		return;
	if (s->pane == CV_LICENSES)
		cui_app_draw_detail(t, &s->apps[item], s->proof, y, bottom);
	else if (s->pane == CV_SPENDS)
		cv_draw_spend_detail(t, s, &s->sp.v[item], y);
	else
		cv_draw_req_detail(t, s, &s->reqs[item], y, bottom);
}

static void cv_draw(struct tui *t, void *st)
{
	struct cv_state *s = st;
	int y = t->main_y + 2, bottom = t->main_y + t->main_h, h[CV_PANES];
	tui_view_title(t, "Council", t->has_as ? t->as : "");
	if (!s->council) {
		ui_putf(stdscr, y, t->main_x, t->main_w, A_NORMAL, "This screen is for council "
			"members; %s acts as %s (c switches to a council identity).",
			t->has_as ? t->as : "nobody", t->has_as ? t->role : "no one");
		return;
	}
	if (s->mode != CV_LIST) {
		int cy, cx;
		ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	ui_putf(stdscr, t->main_y + 1, t->main_x, t->main_w, theme_attr(TH_DIM),
		"Each decision takes %" PRId64 " council signatures · ←→ switch panes",
		s->threshold);
	int detail = cv_detail_rows(s);
	/* per pane a title and a gap; the details under a gap */
	int avail = bottom - y - CV_PANES * 2 - (detail ? detail + 1 : 0);
	cv_heights(s, avail, h);
	for (int p = 0; p < CV_PANES; p++) {
		if (y >= bottom)
			break;
		cv_pane_title(t, s, p, y++);
		s->list_y[p] = y - t->main_y;
		s->list_h[p] = h[p];
		if (cv_count(s, p) == 0 && h[p] > 0)
			ui_put(stdscr, y, t->main_x + 2, t->main_w - 2, theme_attr(TH_DIM), cv_empty[p]);
		else
			ui_list_draw(stdscr, &s->list[p], y, t->main_x + 2, h[p], t->main_w - 2,
				     t->focus_main && p == s->pane, cv_row_fns[p], s);
		y += h[p] + 1;
	}
	if (detail && y < bottom)
		cv_draw_detail(t, s, y, bottom);
}

/* ---- input -------------------------------------------------------------------------- */

static int cv_key(struct tui *t, void *st, int key)
{
	struct cv_state *s = st;
	return s->mode != CV_LIST ? cv_form_key(t, s, key) : TUI_UNHANDLED;
}

static void cv_set_pane(struct cv_state *s, int pane)
{
	if (pane != s->pane)
		cui_proof_wipe(&s->proof);
	s->pane = pane;
}

/* ↑/↓ within a pane, and across its edge into the neighbour. */
static int cv_move(struct cv_state *s, enum tui_action a)
{
	struct ui_list *l = &s->list[s->pane];
	size_t n = cv_count(s, s->pane);
	bool at_top = n == 0 || l->sel == 0, at_end = n == 0 || l->sel + 1 >= n;
	if (a == ACT_UP && at_top && s->pane > 0) {
		cv_set_pane(s, s->pane - 1);
		ui_list_bottom(&s->list[s->pane]);
		return TUI_DRAW_VIEW;
	}
	if (a == ACT_DOWN && at_end && s->pane + 1 < CV_PANES) {
		cv_set_pane(s, s->pane + 1);
		ui_list_top(&s->list[s->pane]);
		return TUI_DRAW_VIEW;
	}
	int r = tui_list_action(l, a);
	if (r != TUI_UNHANDLED)
		cui_proof_wipe(&s->proof); /* the proof belongs to the row it was opened on */
	return r;
}

static int cv_act_licenses(struct tui *t, struct cv_state *s, enum tui_action a, size_t i)
{
	const struct cui_app *app = &s->apps[i];
	memcpy(s->pending, app->app.therapist, 32);
	if (a == ACT_APPROVE) {
		cui_app_ask_approve(t, app, s->threshold, cv_approve_app_yes, s);
	} else if (a == ACT_REJECT) {
		if (cui_app_may_reject(t, app)) {
			cui_reason_form(&s->form, "Reject the application",
					"public: the applicant and everyone read it");
			s->mode = CV_REJECT_APP;
			t->focus_main = true;
		}
	} else if (a == ACT_ENTER) {
		bool had = s->proof != NULL;
		cui_proof_wipe(&s->proof);
		if (!had)
			cui_proof_open(t, app->app.therapist, &s->proof);
	}
	return TUI_DRAW_ALL;
}

static int cv_action(struct tui *t, void *st, enum tui_action a)
{
	struct cv_state *s = st;
	size_t i;
	if (s->mode != CV_LIST || !s->council)
		return s->mode != CV_LIST ? TUI_HANDLED : TUI_UNHANDLED;
	switch (a) {
	case ACT_RIGHT:
		cv_set_pane(s, (s->pane + 1) % CV_PANES);
		return TUI_DRAW_VIEW;
	case ACT_LEFT:
		if (s->pane == 0)
			return TUI_UNHANDLED; /* to the navigation */
		cv_set_pane(s, s->pane - 1);
		return TUI_DRAW_VIEW;
	case ACT_UP:
	case ACT_DOWN:
		return cv_move(s, a);
	case ACT_APPROVE:
	case ACT_REJECT:
	case ACT_ENTER:
		break;
	default: {
		int r = tui_list_action(&s->list[s->pane], a);
		if (r != TUI_UNHANDLED)
			cui_proof_wipe(&s->proof);
		return r;
	}
	}
	if (!cv_selected(s, s->pane, &i)) {
		if (a != ACT_ENTER)
			tui_toast(t, UI_INFO, "nothing selected: %s", cv_empty[s->pane]);
		return TUI_DRAW_ALL;
	}
	if (s->pane == CV_LICENSES)
		return cv_act_licenses(t, s, a, i);
	if (s->pane == CV_SPENDS) {
		if (a == ACT_APPROVE)
			cui_spend_ask_sign(t, &s->sp.v[i], s->me, s->pending, cv_sign_yes, s);
		else if (a == ACT_REJECT)
			tui_toast(t, UI_INFO, "a spend is not rejected: leave it unsigned until it "
				  "expires (its proposer may cancel it in Treasury)");
		return TUI_DRAW_ALL;
	}
	if (a == ACT_APPROVE)
		cv_ask_approve_req(t, s, &s->reqs[i]);
	else if (a == ACT_REJECT)
		cv_ask_deny_req(t, s, &s->reqs[i]);
	return TUI_DRAW_ALL;
}

static int cv_click(struct tui *t, void *st, int y, int x)
{
	struct cv_state *s = st;
	if (s->mode != CV_LIST || !s->council)
		return TUI_HANDLED;
	for (int p = 0; p < CV_PANES; p++) {
		int row = y - s->list_y[p];
		if (row < 0 || row >= s->list_h[p])
			continue;
		cv_set_pane(s, p);
		cui_proof_wipe(&s->proof);
		return ui_list_click(&s->list[p], row) ? TUI_DRAW_VIEW : TUI_HANDLED;
	}
	return TUI_HANDLED;
}

static bool cv_dirty(struct tui *t, void *st)
{
	struct cv_state *s = st;
	return s->mode != CV_LIST && s->form.dirty;
}

static void cv_show(struct tui *t, void *st)
{
	cui_proof_wipe(&((struct cv_state *)st)->proof);
}

static const enum tui_action cv_lic_actions[] = { ACT_APPROVE, ACT_REJECT, ACT_ENTER, ACT_NONE };
static const enum tui_action cv_spend_actions[] = { ACT_SIGN, ACT_NONE };
static const enum tui_action cv_req_actions[] = { ACT_APPROVE, ACT_REJECT, ACT_NONE };
static const enum tui_action cv_no_actions[] = { ACT_NONE };
static const enum tui_action cv_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};
/* for the help screen: every key of every pane */
static const enum tui_action cv_all_actions[] = {
	ACT_APPROVE, ACT_REJECT, ACT_ENTER, ACT_SIGN, ACT_LEFT, ACT_RIGHT, ACT_NONE,
};

static const enum tui_action *cv_actions_now(struct tui *t, void *st)
{
	struct cv_state *s = st;
	if (s->mode != CV_LIST)
		return cv_form_actions;
	if (!s->council)
		return cv_no_actions;
	return s->pane == CV_LICENSES ? cv_lic_actions : s->pane == CV_SPENDS ? cv_spend_actions
									      : cv_req_actions;
}

static bool cv_init(struct tui *t, void **st)
{
	struct cv_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	for (int p = 0; p < CV_PANES; p++)
		ui_list_init(&s->list[p]);
	*st = s;
	return true;
}

static void cv_fini(struct tui *t, void *st)
{
	struct cv_state *s = st;
	cui_proof_wipe(&s->proof);
	cv_clear_reqs(s);
	free(s->reqs);
	free(s->apps);
	cui_spends_free(&s->sp);
	ui_form_free(&s->form);
	for (int p = 0; p < CV_PANES; p++)
		ui_list_free(&s->list[p]);
	free(s);
}

const struct view_ops view_council = {
	.name = "council",
	.title = "Council",
	.in_nav = true,
	.roles = "council",
	.help = "What waits for your signature as a council member, in three panes; each "
		"title counts what is pending and what still needs you. License applications: "
		"a approves, x rejects with a public reason, Enter opens the applicant's proof "
		"(sealed to the council). Treasury spends: a signs; the confirmation says whether "
		"your signature pays it. Regulator requests for a person's data: subject, scope, "
		"legal basis and approvals so far; a approves (the council_threshold-th approval "
		"grants it and the data is sealed to the regulator), x denies with a public reason "
		"or co-signs a denial another member began. Every signature is confirmed first; the "
		"subject is told of every step. ←→ move between panes, ↑↓ within and across them.",
	.actions = cv_all_actions,
	.actions_now = cv_actions_now,
	.init = cv_init,
	.fini = cv_fini,
	.reload = cv_reload,
	.draw = cv_draw,
	.key = cv_key,
	.action = cv_action,
	.click = cv_click,
	.dirty = cv_dirty,
	.show = cv_show,
};
