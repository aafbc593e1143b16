/* view_verification.c - professional verification, two faces of one screen.
 *
 * A therapist sees their verification status (state, license, expiry, the
 * council's last reason, recent history) and continuing education (hours in
 * the last 12 months against the yearly minimum, "CE due", the CE log); e
 * submits or renews the license (the proof file is encrypted to the council
 * by home_people_verify_submit), Enter on "+ Log hours" logs CE (verify.ce).
 *
 * A council member sees the review queue: pending license applications and
 * other requests awaiting council signatures. a approves (verify.decide
 * approve), x rejects with a reason, and for other requests a co-signs by
 * sending the first signer's body again (home_submit); Enter opens an
 * applicant's proof, which is sealed to council members only. Anomaly flags
 * are counted here and listed in the Audit screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_people.h"
#include "core/query_people.h"
#include "ui/council_ui.h"
#include "ui/view.h"

#define VF_ROWS 256
#define VF_PROOF_MAX (48 * 1024)

enum vf_kind { VF_APP, VF_REQ, VF_CE_ADD, VF_CE };
enum vf_mode { VF_LIST, VF_SUBMIT, VF_LOG_CE, VF_REJECT };
enum { SF_LICENSE, SF_BOARD, SF_WHERE, SF_EXPIRES, SF_SPECIALTIES, SF_PROOF };

struct vf_row {
	enum vf_kind kind;
	struct cui_app app;        /* VF_APP, with my signatures */
	struct q_request req;      /* VF_REQ: body is owned (body_copy) */
	uint8_t *body_copy;
	struct q_ce ce;            /* VF_CE */
};

struct vf_state {
	struct tui *t;
	bool council, therapist;
	uint8_t acct[32];
	struct q_therapist me;
	struct q_verify_event last[3];
	size_t nlast;
	struct vf_row *rows;
	size_t n;
	int64_t threshold, anomalies;
	struct ui_list list;
	int list_y;
	enum vf_mode mode;
	struct ui_form form;
	char *proof;               /* an applicant's proof on screen (wiped when hidden) */
};

/* ---- data ------------------------------------------------------------------- */

static void vf_hide_proof(struct vf_state *s)
{
	cui_proof_wipe(&s->proof);
}

static void vf_clear(struct vf_state *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->rows[i].body_copy);
	s->n = 0;
}

static struct vf_row *vf_add(struct vf_state *s, enum vf_kind k)
{
	if (s->n >= VF_ROWS)
		return NULL;
	struct vf_row *r = &s->rows[s->n++];
	memset(r, 0, sizeof *r);
	r->kind = k;
	return r;
}

static int vf_app_cb(void *ud, const struct cui_app *a)
{
	struct vf_row *r = vf_add(ud, VF_APP);
	if (r)
		r->app = *a;
	return 0;
}

/* A request other than a license decision (those are on their
 * application's row) becomes its own row. */
static int vf_req_cb(void *ud, const struct q_request *q)
{
	struct vf_state *s = ud;
	if (strcmp(q->kind, "verify.decide") == 0)
		return 0;
	struct vf_row *r = vf_add(s, VF_REQ);
	if (!r)
		return 0;
	r->req = *q;
	r->body_copy = malloc(q->body_len ? q->body_len : 1);
	if (r->body_copy)
		memcpy(r->body_copy, q->body, q->body_len);
	r->req.body = r->body_copy;
	return 0;
}

static int vf_ce_cb(void *ud, const struct q_ce *c)
{
	struct vf_row *r = vf_add(ud, VF_CE);
	if (r)
		r->ce = *c;
	return 0;
}

static int vf_event_cb(void *ud, const struct q_verify_event *e)
{
	struct vf_state *s = ud;
	if (s->nlast == 3)
		memmove(s->last, s->last + 1, 2 * sizeof s->last[0]);
	s->last[s->nlast < 3 ? s->nlast++ : 2] = *e;
	return 0;
}

static int vf_anomaly_cb(void *ud, const struct q_anomaly *a)
{
	(*(int64_t *)ud)++;
	return 0;
}

static void vf_load_council(struct tui *t, struct vf_state *s)
{
	s->threshold = tui_param(t, "council_threshold", 1);
	s->anomalies = 0;
	cui_apps(t, s->acct, vf_app_cb, s, NULL);
	query_council_queue(t->h->st, s->acct, vf_req_cb, s, NULL);
	query_anomalies(t->h->st, t->now, vf_anomaly_cb, &s->anomalies, NULL);
}

static void vf_load_therapist(struct tui *t, struct vf_state *s)
{
	s->nlast = 0;
	s->therapist = query_therapist(t->h->st, s->acct, t->now, &s->me, NULL) == MV_OK;
	if (!s->therapist)
		return;
	query_verify_history(t->h->st, s->acct, vf_event_cb, s, NULL);
	vf_add(s, VF_CE_ADD);
	query_ce_log(t->h->st, s->acct, vf_ce_cb, s, NULL);
}

static void vf_reload(struct tui *t, void *st)
{
	struct vf_state *s = st;
	vf_clear(s);
	s->council = s->therapist = false;
	if (t->has_as && t->h->st && home_people_account(t->h, t->as, s->acct, NULL) == MV_OK) {
		s->council = strcmp(t->role, "council") == 0;
		if (s->council)
			vf_load_council(t, s);
		else
			vf_load_therapist(t, s);
	}
	ui_list_set_count(&s->list, s->n);
}

static struct vf_row *vf_selected(struct vf_state *s)
{
	size_t item;
	return ui_list_selected(&s->list, &item) ? &s->rows[item] : NULL;
}

/* ---- council: approve, reject, co-sign, proof -------------------------------- */

static void vf_approve_yes(struct tui *t, void *ud)
{
	struct vf_state *s = ud;
	struct vf_row *r = vf_selected(s);
	if (r && r->kind == VF_APP)
		cui_app_decide(t, &r->app, "approve", NULL, s->threshold);
}

static void vf_cosign_yes(struct tui *t, void *ud)
{
	struct vf_state *s = ud;
	struct vf_row *r = vf_selected(s);
	struct submit_result res;
	struct mv_err err;
	if (!r || r->kind != VF_REQ || !r->body_copy)
		return;
	memset(&res, 0, sizeof res);
	mv_err_clear(&err);
	int rc = home_submit(t->h, t->as, r->req.kind, r->req.body, r->req.body_len, &res, &err);
	if (tui_submitted(t, rc, &res, &err) == MV_OK)
		tui_toast(t, UI_SUCCESS, "co-signed %s", r->req.kind);
}

static int vf_approve(struct tui *t, struct vf_state *s, struct vf_row *r)
{
	char text[512];
	if (r->kind == VF_APP) {
		cui_app_ask_approve(t, &r->app, s->threshold, vf_approve_yes, s);
	} else if (r->kind == VF_REQ) {
		if (r->req.signed_by_me) {
			tui_toast(t, UI_INFO, "you signed this request already");
			return TUI_DRAW_ALL;
		}
		snprintf(text, sizeof text, "Co-sign %s: %.300s? %lld of %lld signatures so far.",
			 r->req.kind, r->req.summary, (long long)r->req.signatures,
			 (long long)r->req.threshold);
		tui_confirm(t, "Co-sign request", text, "Co-sign", vf_cosign_yes, s);
	}
	return TUI_DRAW_ALL;
}

static void vf_open_reject(struct tui *t, struct vf_state *s)
{
	cui_reason_form(&s->form, "Reject the application",
			"public: the applicant and everyone read it");
	s->mode = VF_REJECT;
	t->focus_main = true;
}

static int vf_open_proof(struct tui *t, struct vf_state *s, const struct vf_row *r)
{
	bool had = s->proof != NULL;
	vf_hide_proof(s);
	if (had)
		return TUI_DRAW_VIEW;
	return cui_proof_open(t, r->app.app.therapist, &s->proof) ? TUI_DRAW_VIEW : TUI_DRAW_ALL;
}

/* ---- therapist: submit a license, log CE ----------------------------------- */

static void vf_open_submit(struct tui *t, struct vf_state *s)
{
	ui_form_free(&s->form);
	ui_form_init(&s->form, "Submit your license");
	struct ui_field *f = ui_form_add(&s->form, UF_TEXT, "License number", true, "public");
	f->max_bytes = 64;
	ui_field_set_text(f, s->me.license_no);
	f = ui_form_add(&s->form, UF_TEXT, "Board", true, "the licensing board (public)");
	f->max_bytes = 128;
	ui_field_set_text(f, s->me.board);
	f = ui_form_add(&s->form, UF_TEXT, "Jurisdiction", true, "where it is valid: US-CA, DE ...");
	f->max_bytes = 6;
	ui_field_set_text(f, s->me.license_jurisdiction[0] ? s->me.license_jurisdiction
							    : s->me.user.jurisdiction);
	ui_form_add(&s->form, UF_TIME, "Expires", true, "YYYY-MM-DD (UTC)");
	f = ui_form_add(&s->form, UF_TEXT, "Specialties", false, "e.g. anxiety,trauma (public)");
	ui_field_set_text(f, s->me.specialties);
	ui_form_add(&s->form, UF_TEXT, "Proof file", true,
		    "a scan of the license; encrypted to the council only");
	s->form.dirty = false;
	s->mode = VF_SUBMIT;
	t->focus_main = true;
}

static void vf_submit_yes(struct tui *t, void *ud)
{
	struct vf_state *s = ud;
	struct home_verify_args a;
	struct submit_result res;
	struct mv_err err;
	uint8_t *proof = NULL;
	size_t len = 0;
	mv_err_clear(&err);
	if (mv_read_file(s->form.f[SF_PROOF].buf, VF_PROOF_MAX, &proof, &len, &err) != MV_OK) {
		tui_toast(t, UI_ERROR, "proof file: %s", err.msg);
		return;
	}
	memset(&a, 0, sizeof a);
	a.license_no = s->form.f[SF_LICENSE].buf;
	a.board = s->form.f[SF_BOARD].buf;
	a.jurisdiction = s->form.f[SF_WHERE].buf;
	a.specialties = s->form.f[SF_SPECIALTIES].buf;
	a.expires = s->form.f[SF_EXPIRES].value;
	a.proof = proof;
	a.proof_len = len;
	memset(&res, 0, sizeof res);
	int rc = home_people_verify_submit(t->h, t->as, &a, &res, &err);
	free(proof);
	if (tui_submitted(t, rc, &res, &err) != MV_OK)
		return;
	tui_toast(t, UI_SUCCESS, "application sent: %lld council members must approve it",
		  (long long)tui_param(t, "council_threshold", 1));
	ui_form_free(&s->form);
	s->mode = VF_LIST;
}

static void vf_open_ce(struct tui *t, struct vf_state *s)
{
	ui_form_free(&s->form);
	ui_form_init(&s->form, "Log continuing education");
	struct ui_field *f = ui_form_add(&s->form, UF_TEXT, "Hours", true, "1..200");
	f->max_bytes = 3;
	f = ui_form_add(&s->form, UF_TEXT, "Course", true, "course title (public)");
	f->max_bytes = 120;
	s->mode = VF_LOG_CE;
	t->focus_main = true;
}

static void vf_ce_yes(struct tui *t, void *ud)
{
	struct vf_state *s = ud;
	char hours[32], course[UI_FIELD_MAX + 16];
	char *fields[2] = { hours, course };
	snprintf(hours, sizeof hours, "hours=%ld", strtol(s->form.f[0].buf, NULL, 10));
	snprintf(course, sizeof course, "course=%s", s->form.f[1].buf);
	if (tui_submit(t, "verify.ce", 2, fields, NULL) != MV_OK)
		return;
	tui_toast(t, UI_SUCCESS, "logged %s h of continuing education", s->form.f[0].buf);
	ui_form_free(&s->form);
	s->mode = VF_LIST;
}

static void vf_reject_yes(struct tui *t, void *ud)
{
	struct vf_state *s = ud;
	struct vf_row *r = vf_selected(s);
	if (!r || r->kind != VF_APP)
		return;
	cui_app_decide(t, &r->app, "reject", s->form.f[0].buf, s->threshold);
	ui_form_free(&s->form);
	s->mode = VF_LIST;
}

static int vf_form_submit(struct tui *t, struct vf_state *s)
{
	char text[480];
	int bad = ui_form_validate(&s->form);
	if (bad >= 0) {
		s->form.focus = (size_t)bad;
		tui_toast(t, UI_ERROR, "%s: %s", s->form.f[bad].label, s->form.f[bad].err);
		return TUI_DRAW_ALL;
	}
	if (s->mode == VF_SUBMIT) {
		snprintf(text, sizeof text, "Send license %.64s (%.6s) to the council? Number, board, "
			 "jurisdiction, expiry and specialties become public; the proof file is "
			 "encrypted to the council members only.", s->form.f[SF_LICENSE].buf,
			 s->form.f[SF_WHERE].buf);
		tui_confirm(t, "Submit license", text, "Submit", vf_submit_yes, s);
	} else if (s->mode == VF_LOG_CE) {
		snprintf(text, sizeof text, "Log %.3s h of \"%.120s\"? Course titles and hours are public.",
			 s->form.f[0].buf, s->form.f[1].buf);
		tui_confirm(t, "Log CE", text, "Log", vf_ce_yes, s);
	} else {
		snprintf(text, sizeof text, "Reject this application with the reason \"%.200s\"? It is "
			 "public and kept in the applicant's history.", s->form.f[0].buf);
		tui_confirm(t, "Reject license", text, "Reject", vf_reject_yes, s);
	}
	return TUI_DRAW_ALL;
}

static void vf_close_form(struct tui *t, void *ud)
{
	struct vf_state *s = ud;
	ui_form_free(&s->form);
	s->mode = VF_LIST;
}

static int vf_form_key(struct tui *t, struct vf_state *s, int key)
{
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return vf_form_submit(t, s);
	case UI_FORM_CANCEL:
		if (s->form.dirty)
			tui_confirm(t, "Discard", "Close the form and lose what you typed?", "Discard",
				    vf_close_form, s);
		else
			vf_close_form(t, s);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

/* ---- drawing ---------------------------------------------------------------- */

static void vf_row_text(struct vf_state *s, const struct vf_row *r, char *out, size_t n)
{
	char when[32];
	switch (r->kind) {
	case VF_APP:
		cui_app_row_text(s->t, &r->app, s->threshold, out, n);
		break;
	case VF_REQ:
		snprintf(out, n, "%s · %.300s · %lld of %lld%s", r->req.kind, r->req.summary,
			 (long long)r->req.signatures, (long long)r->req.threshold,
			 r->req.signed_by_me ? " · you signed" : "");
		break;
	case VF_CE_ADD:
		snprintf(out, n, "+ Log hours…");
		break;
	case VF_CE:
		ui_fmt_time(when, sizeof when, r->ce.time);
		snprintf(out, n, "%.10s %3lld h  %s", when, (long long)r->ce.hours, r->ce.course);
		break;
	}
}

static void vf_row(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	struct vf_state *s = ud;
	char text[600];
	vf_row_text(s, &s->rows[item], text, sizeof text);
	ui_put(win, y, x, w, sel ? theme_attr(TH_SEL) : 0, text);
}

static int vf_draw_status(struct tui *t, struct vf_state *s, int y)
{
	const struct q_therapist *m = &s->me;
	char exp[32], grace[32];
	ui_fmt_time(exp, sizeof exp, m->expires);
	ui_fmt_time(grace, sizeof grace, m->ce.grace_until);
	int attr = theme_attr(m->verified ? TH_OK : m->pending ? TH_WARN : TH_ERR) | (int)A_BOLD;
	y = cui_field(t, y, "Status", attr, "%s%s", m->verified ? "verified" : m->state,
		     m->pending ? " · waiting for the council" : "");
	if (m->license_no[0])
		y = cui_field(t, y, "License", 0, "%s · %s (%s)", m->license_no, m->board,
			     m->license_jurisdiction);
	if (m->expires)
		y = cui_field(t, y, "Expires", 0, "%.10s", exp);
	for (size_t i = 0; i < s->nlast; i++) {
		char when[32];
		ui_fmt_time(when, sizeof when, s->last[i].time);
		y = cui_field(t, y, i ? "" : "History", theme_attr(TH_DIM), "%.10s %s%s%s", when,
			     s->last[i].event, s->last[i].reason[0] ? ": " : "", s->last[i].reason);
	}
	attr = m->ce.due ? theme_attr(TH_ERR) | (int)A_BOLD : 0;
	if (m->ce.required)
		y = cui_field(t, y, "CE", attr, "%s%lld of %lld h in 12 months%s%.10s", m->ce.due ?
			     "CE DUE: " : "", (long long)m->ce.hours, (long long)m->ce.required,
			     m->ce.grace_until && !m->ce.due ? " · first due " : "",
			     m->ce.grace_until && !m->ce.due ? grace : "");
	if (!m->can_publish)
		y = cui_field(t, y, "Publishing", theme_attr(TH_WARN), "not yet: %s", m->why);
	return y + 1;
}

static int vf_draw_council_head(struct tui *t, struct vf_state *s, int y)
{
	ui_putf(stdscr, y++, t->main_x, t->main_w, A_NORMAL,
		"Waiting for the council: %lld signatures decide", (long long)s->threshold);
	if (s->anomalies)
		ui_putf(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_WARN),
			"%lld anomaly flag%s: see the Audit screen", (long long)s->anomalies,
			s->anomalies == 1 ? "" : "s");
	return y + 1;
}

/* Details of the selected application under the queue. */
static void vf_draw_app(struct tui *t, struct vf_state *s, const struct vf_row *r, int y, int bottom)
{
	cui_app_draw_detail(t, &r->app, s->proof, y, bottom);
}

static void vf_draw_list(struct tui *t, struct vf_state *s, int y, const char *empty)
{
	int bottom = t->main_y + t->main_h;
	struct vf_row *sel = vf_selected(s);
	s->list_y = y - t->main_y;
	if (s->n == 0) {
		ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), empty);
		return;
	}
	int detail = s->council && sel && sel->kind == VF_APP ? (s->proof ? 7 : 4) : 0;
	int h = bottom - y - detail;
	ui_list_draw(stdscr, &s->list, y, t->main_x, h, t->main_w, t->focus_main, vf_row, s);
	if (detail)
		vf_draw_app(t, s, sel, y + ((int)s->n < h ? (int)s->n : h) + 1, bottom);
}

static void vf_draw(struct tui *t, void *st)
{
	struct vf_state *s = st;
	int y = t->main_y + 2, cy, cx;
	tui_view_title(t, s->council ? "Review queue" : "Verification", t->has_as ? t->as : "");
	if (s->mode != VF_LIST) {
		ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	if (s->council) {
		y = vf_draw_council_head(t, s, y);
		vf_draw_list(t, s, y, "Nothing waits for the council.");
		return;
	}
	if (!s->therapist) {
		ui_put(stdscr, y, t->main_x, t->main_w, A_NORMAL,
		       "Verification is for therapists (and the council reviews it here).");
		return;
	}
	y = vf_draw_status(t, s, y);
	ui_put(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_TITLE),
	       "Continuing education · e submits or renews your license");
	vf_draw_list(t, s, y, "");
}

/* ---- input ------------------------------------------------------------------ */

static int vf_key(struct tui *t, void *st, int key)
{
	struct vf_state *s = st;
	return s->mode != VF_LIST ? vf_form_key(t, s, key) : TUI_UNHANDLED;
}

static int vf_council_action(struct tui *t, struct vf_state *s, enum tui_action a)
{
	struct vf_row *r = vf_selected(s);
	if (!r)
		return TUI_HANDLED;
	if (a == ACT_APPROVE)
		return vf_approve(t, s, r);
	if (a == ACT_REJECT && r->kind == VF_APP) {
		if (cui_app_may_reject(t, &r->app))
			vf_open_reject(t, s);
		return TUI_DRAW_ALL;
	}
	if (a == ACT_ENTER && r->kind == VF_APP)
		return vf_open_proof(t, s, r);
	return TUI_HANDLED;
}

static int vf_action(struct tui *t, void *st, enum tui_action a)
{
	struct vf_state *s = st;
	struct vf_row *r = vf_selected(s);
	if (s->mode != VF_LIST)
		return TUI_HANDLED;
	if (s->council && (a == ACT_APPROVE || a == ACT_REJECT || a == ACT_ENTER))
		return vf_council_action(t, s, a);
	if (!s->council && s->therapist && a == ACT_EDIT) {
		vf_open_submit(t, s);
		return TUI_DRAW_ALL;
	}
	if (!s->council && a == ACT_ENTER && r && r->kind == VF_CE_ADD) {
		vf_open_ce(t, s);
		return TUI_DRAW_ALL;
	}
	int moved = tui_list_action(&s->list, a);
	if (moved != TUI_UNHANDLED)
		vf_hide_proof(s); /* the proof belongs to the row it was opened on */
	return moved;
}

static int vf_click(struct tui *t, void *st, int y, int x)
{
	struct vf_state *s = st;
	if (s->mode != VF_LIST)
		return TUI_HANDLED;
	vf_hide_proof(s);
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool vf_dirty(struct tui *t, void *st)
{
	struct vf_state *s = st;
	return s->mode != VF_LIST && s->form.dirty;
}

static void vf_show(struct tui *t, void *st)
{
	vf_hide_proof(st);
}

static const enum tui_action vf_council_actions[] = { ACT_APPROVE, ACT_REJECT, ACT_ENTER, ACT_NONE };
static const enum tui_action vf_therapist_actions[] = { ACT_EDIT, ACT_ENTER, ACT_NONE };
static const enum tui_action vf_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

static const enum tui_action *vf_actions_now(struct tui *t, void *st)
{
	struct vf_state *s = st;
	if (s->mode != VF_LIST)
		return vf_form_actions;
	return s->council ? vf_council_actions : vf_therapist_actions;
}

static bool vf_init(struct tui *t, void **st)
{
	struct vf_state *s = calloc(1, sizeof *s);
	if (!s || !(s->rows = calloc(VF_ROWS, sizeof *s->rows))) {
		free(s);
		return false;
	}
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void vf_fini(struct tui *t, void *st)
{
	struct vf_state *s = st;
	vf_hide_proof(s);
	vf_clear(s);
	free(s->rows);
	ui_form_free(&s->form);
	ui_list_free(&s->list);
	free(s);
}

const struct view_ops view_verification = {
	.name = "verification",
	.title = "Verification",
	.in_nav = true,
	.roles = "therapist council",
	.help = "Therapists: your verification status, license and expiry, the council's last "
		"word, and continuing education (hours in the last 12 months against the yearly "
		"minimum; when CE is due you cannot publish new services). e submits or renews "
		"your license, its proof file encrypted to the council only; Enter on \"+ Log "
		"hours\" logs CE. Council: the review queue. a approves or co-signs, x rejects "
		"with a public reason, Enter opens an applicant's proof. A decision takes "
		"council_threshold signatures.",
	.actions = vf_therapist_actions,
	.actions_now = vf_actions_now,
	.init = vf_init,
	.fini = vf_fini,
	.reload = vf_reload,
	.draw = vf_draw,
	.key = vf_key,
	.action = vf_action,
	.click = vf_click,
	.dirty = vf_dirty,
	.show = vf_show,
};
