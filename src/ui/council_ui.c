/* council_ui.c - council duties shared by the Verification, Treasury and
 * Council screens (council_ui.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_people.h"
#include "core/query_people.h"
#include "ui/council_ui.h"

/* ---- license applications ---------------------------------------------- */

struct cui_app_list {
	struct cui_app *v;
	size_t n, cap;
	bool oom;
};

static int cui_app_cb(void *ud, const struct q_application *a)
{
	struct cui_app_list *l = ud;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct cui_app *v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			l->oom = true;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof l->v[0]);
	l->v[l->n++].app = *a;
	return 0;
}

/* A verify.decide request marks the viewer's signature on its application. */
static int cui_app_sig_cb(void *ud, const struct q_request *q)
{
	struct cui_app_list *l = ud;
	if (strcmp(q->kind, "verify.decide") != 0 || !q->signed_by_me)
		return 0;
	for (size_t i = 0; i < l->n; i++) {
		if (memcmp(l->v[i].app.therapist, q->subject, 32) != 0)
			continue;
		if (strncmp(q->summary, "approve", 7) == 0)
			l->v[i].signed_approve = true;
		else
			l->v[i].signed_reject = true;
	}
	return 0;
}

int cui_apps(struct tui *t, const uint8_t *me, int (*cb)(void *ud, const struct cui_app *a),
	     void *ud, struct mv_err *err)
{
	struct cui_app_list l = {0};
	/* people queries return the rows they visited, or a negative error */
	int rc = query_applications(t->h->st, cui_app_cb, &l, err) < 0 ? MV_ERR : MV_OK;
	if (rc == MV_OK && l.oom)
		rc = mv_fail(err, MV_ERR, "out of memory");
	if (rc == MV_OK && me && l.n && query_council_queue(t->h->st, me, cui_app_sig_cb, &l, err) < 0)
		rc = MV_ERR;
	for (size_t i = 0; rc == MV_OK && i < l.n; i++)
		if (cb(ud, &l.v[i]))
			break;
	free(l.v);
	return rc;
}

void cui_app_ask_approve(struct tui *t, const struct cui_app *a, int64_t threshold,
			 void (*yes)(struct tui *t, void *ud), void *ud)
{
	char text[512];
	if (a->signed_approve) {
		tui_toast(t, UI_INFO, "you signed this approval already");
		return;
	}
	snprintf(text, sizeof text, "Approve %s's license %s (%s, %s)? %d of %" PRId64 " council "
		 "signatures so far. Check the proof (Enter) and the board's register first.",
		 a->app.display_name, a->app.license_no, a->app.board, a->app.jurisdiction,
		 a->app.signatures_approve, threshold);
	tui_confirm(t, "Approve license", text, "Approve", yes, ud);
}

bool cui_app_may_reject(struct tui *t, const struct cui_app *a)
{
	if (a->signed_reject) {
		tui_toast(t, UI_INFO, "you signed this rejection already");
		return false;
	}
	return true;
}

void cui_app_decide(struct tui *t, const struct cui_app *a, const char *decision,
		    const char *reason, int64_t threshold)
{
	char who[80], app[80], dec[32], why[UI_FIELD_MAX + 16];
	char *fields[3] = { app, dec, why };
	bool approve = strcmp(decision, "approve") == 0;
	bool completes = (approve ? a->app.signatures_approve : a->app.signatures_reject) + 1 >= threshold;
	snprintf(who, sizeof who, "%s", tui_label(t, a->app.therapist));
	memcpy(app, "applicant=", 10);
	mv_hex(app + 10, a->app.therapist, 32);
	snprintf(dec, sizeof dec, "decision=%s", decision);
	snprintf(why, sizeof why, "reason=%s", reason ? reason : "");
	if (tui_submit(t, "verify.decide", reason ? 3 : 2, fields, NULL) != MV_OK)
		return;
	if (completes)
		tui_toast(t, UI_SUCCESS, "%s: %s by the council", who,
			  approve ? "verified" : "application rejected");
	else
		tui_toast(t, UI_SUCCESS, "signed; another council member must co-sign");
}

void cui_app_row_text(struct tui *t, const struct cui_app *a, int64_t threshold, char *out,
		      size_t n)
{
	snprintf(out, n, "%-15s %s · %s %s · ✓%d ✗%d of %" PRId64 "%s", tui_label(t, a->app.therapist),
		 a->app.display_name, a->app.license_no, a->app.jurisdiction, a->app.signatures_approve,
		 a->app.signatures_reject, threshold,
		 a->signed_approve || a->signed_reject ? " · you signed" : "");
}

int cui_field(struct tui *t, int y, const char *label, int attr, const char *fmt, ...)
{
	char text[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	ui_put(stdscr, y, t->main_x, 12, theme_attr(TH_DIM), label);
	ui_put(stdscr, y, t->main_x + 12, t->main_w - 12, attr, text);
	return y + 1;
}

void cui_app_draw_detail(struct tui *t, const struct cui_app *a, const char *proof, int y,
			 int bottom)
{
	char exp[32];
	if (y + 3 > bottom)
		return;
	ui_fmt_time(exp, sizeof exp, a->app.expires);
	y = cui_field(t, y, "Board", 0, "%s (%s)", a->app.board, a->app.jurisdiction);
	y = cui_field(t, y, "Expires", 0, "%.10s · %s", exp, a->app.specialties);
	if (proof) {
		ui_put(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_WARN),
		       "Proof (sealed to the council; Enter hides):");
		ui_doc_draw(stdscr, y, t->main_x + 2, bottom - y, t->main_w - 2, proof, 0);
	} else {
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "Enter opens the proof (sealed to council members only)");
	}
}

bool cui_proof_open(struct tui *t, const uint8_t therapist[32], char **text)
{
	struct mv_buf plain;
	struct mv_err err;
	mv_err_clear(&err);
	*text = NULL;
	if (home_people_open_proof(t->h, t->as, therapist, &plain, &err) != MV_OK) {
		tui_toast(t, UI_ERROR, "proof: %s", err.msg);
		return false;
	}
	*text = malloc(plain.len + 1);
	if (*text) {
		memcpy(*text, plain.data, plain.len);
		(*text)[plain.len] = '\0';
	} else {
		tui_toast(t, UI_ERROR, "out of memory");
	}
	memset(plain.data, 0, plain.len);
	mv_buf_free(&plain);
	return *text != NULL;
}

void cui_proof_wipe(char **text)
{
	if (*text) {
		memset(*text, 0, strlen(*text));
		free(*text);
		*text = NULL;
	}
}

void cui_reason_form(struct ui_form *f, const char *title, const char *hint)
{
	ui_form_free(f);
	ui_form_init(f, title);
	struct ui_field *r = ui_form_add(f, UF_TEXT, "Reason", true, hint);
	r->max_bytes = 200;
}

/* ---- treasury spends ------------------------------------------------------ */

struct cui_spend_pass {
	struct cui_spends *l;
	bool pending;
	bool oom;
};

static int cui_spend_cb(void *ud, const struct q_spend *r)
{
	struct cui_spend_pass *P = ud;
	struct cui_spends *l = P->l;
	if ((strcmp(r->status, "pending") == 0) != P->pending)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct cui_spend *v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			P->oom = true;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	struct cui_spend *d = &l->v[l->n++];
	d->s = *r;
	d->s.purpose = d->s.status = NULL; /* set once loading is done */
	snprintf(d->purpose, sizeof d->purpose, "%s", r->purpose ? r->purpose : "");
	snprintf(d->status, sizeof d->status, "%s", r->status);
	l->npending += P->pending;
	return 0;
}

int cui_spends_load(struct tui *t, bool pending_only, struct cui_spends *l, struct mv_err *err)
{
	struct cui_spend_pass P = { l, true, false };
	int rc = MV_OK;
	l->n = l->npending = 0;
	for (int pass = 0; pass < (pending_only ? 1 : 2) && rc == MV_OK; pass++, P.pending = false)
		rc = query_treasury_spends(t->h->st, false, t->now, cui_spend_cb, &P, err);
	if (rc == MV_OK && P.oom)
		rc = mv_fail(err, MV_ERR, "out of memory");
	for (size_t i = 0; i < l->n; i++) { /* the array no longer moves */
		l->v[i].s.purpose = l->v[i].purpose;
		l->v[i].s.status = l->v[i].status;
	}
	return rc;
}

void cui_spends_free(struct cui_spends *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

size_t cui_spends_find(const struct cui_spends *l, const uint8_t id[32])
{
	for (size_t i = 0; i < l->n; i++)
		if (memcmp(l->v[i].s.id, id, 32) == 0)
			return i;
	return l->n;
}

bool cui_spend_signed_by(const struct q_spend *r, const uint8_t who[32])
{
	for (size_t i = 0; i < r->nsigners; i++)
		if (memcmp(r->signers[i], who, 32) == 0)
			return true;
	return false;
}

void cui_spend_ask_sign(struct tui *t, const struct cui_spend *d, const uint8_t *me,
			uint8_t pending_id[32], void (*yes)(struct tui *t, void *ud), void *ud)
{
	char amt[48], text[1024];
	if (!d || strcmp(d->s.status, "pending") != 0) {
		tui_toast(t, UI_WARNING, "%s", d ? "only a pending spend can be signed" : "no spend selected");
		return;
	}
	if (strcmp(t->role, "council") != 0) {
		tui_toast(t, UI_WARNING, "only council members sign treasury spends (c acts as one)");
		return;
	}
	if (me && cui_spend_signed_by(&d->s, me)) {
		tui_toast(t, UI_WARNING, "you signed this spend already");
		return;
	}
	const struct q_spend *r = &d->s;
	memcpy(pending_id, r->id, 32);
	ui_fmt_amount(amt, sizeof amt, r->amount);
	bool pays = r->valid_signers + 1 >= r->threshold;
	snprintf(text, sizeof text, "Sign the spend of %s MVT to %s for \"%s\"? %" PRId64 " of %"
		 PRId64 " signatures so far. %s", amt, tui_label(t, r->to), d->purpose,
		 r->valid_signers, r->threshold,
		 pays ? "Your signature completes it: the treasury pays at once."
		      : "More council signatures are still needed after yours.");
	tui_confirm(t, "Sign treasury spend", text, "Sign", yes, ud);
}

struct cui_spend_find {
	const uint8_t *id;
	bool found, paid;
	int64_t amount, valid, threshold;
	uint8_t to[32];
};

static int cui_spend_find_cb(void *ud, const struct q_spend *r)
{
	struct cui_spend_find *f = ud;
	if (memcmp(r->id, f->id, 32) != 0)
		return 0;
	f->found = true;
	f->paid = strcmp(r->status, "paid") == 0;
	f->amount = r->amount;
	f->valid = r->valid_signers;
	f->threshold = r->threshold;
	memcpy(f->to, r->to, 32);
	return 1;
}

int cui_spend_sign(struct tui *t, const uint8_t id[32])
{
	char hex[65], field[80], amt[48];
	char *fields[1] = { field };
	mv_hex(hex, id, 32);
	snprintf(field, sizeof field, "spend=%s", hex);
	int rc = tui_submit(t, "treasury.sign", 1, fields, NULL);
	if (rc != MV_OK)
		return rc;
	struct cui_spend_find f = { .id = id };
	query_treasury_spends(t->h->st, false, t->now, cui_spend_find_cb, &f, NULL);
	if (!f.found)
		return rc;
	ui_fmt_amount(amt, sizeof amt, f.amount);
	if (f.paid)
		tui_toast(t, UI_SUCCESS, "signed: the treasury paid %s MVT to %s", amt, tui_label(t, f.to));
	else
		tui_toast(t, UI_SUCCESS, "signed: %" PRId64 " of %" PRId64 " signatures, waiting for more",
			  f.valid, f.threshold);
	return rc;
}
