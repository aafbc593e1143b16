/* view_sessions.c - My sessions: the sessions of the identity you act as,
 * upcoming first (soonest first), then past ones (latest first), each with
 * its state and a *tentative* marker while its booking's epoch is not final
 * (query_care_sessions). Below the list, the selected session's time in
 * your zone with a countdown, money, check-ins, and what you can do now.
 *
 * Keys act on the selected session: d cancel (the refund preview of
 * query_care_refund_preview is in the confirmation), b move it to another
 * slot (Book in reschedule mode), i check in, * rate, D dispute (the reason
 * is encrypted to both parties), and for its therapist a accept, x decline,
 * f complete, N no-show. Enter opens its notes. Every act is an op; the
 * contract decides, a refusal is a message. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_care.h"
#include "ui/care_view.h"

#define SES_ACTIONS 14

struct ses_row {
	struct qc_session r;
	bool past;
	char with[72];
};

struct ses_state {
	struct tui *t;
	struct ses_row *rows;
	size_t n, cap, nup;
	struct ui_list list;
	int list_y;
	struct care_form cf;
	uint8_t want[32];            /* select this session at the next reload */
	bool want_set;
	uint8_t act[32];             /* the session a dialog or form acts on */
	enum tui_action now[SES_ACTIONS];
};

/* ---- data ----------------------------------------------------------------- */

static int ses_add(struct ses_state *s, const struct qc_session *r, bool past)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct ses_row *v = realloc(s->rows, cap * sizeof *v);
		if (!v)
			return 1;
		s->rows = v;
		s->cap = cap;
	}
	struct ses_row *w = &s->rows[s->n++];
	w->r = *r;
	w->past = past;
	care_view_name(s->t, r->as_therapist ? r->s.patient : r->s.therapist, w->with,
		       sizeof w->with);
	return 0;
}

static int ses_up_cb(void *ud, const struct qc_session *r)
{
	return ses_add(ud, r, false);
}

static int ses_past_cb(void *ud, const struct qc_session *r)
{
	return ses_add(ud, r, true);
}

static bool ses_match(void *ud, size_t item, const char *needle)
{
	struct ses_state *s = ud;
	struct ses_row *w = &s->rows[item];
	char hay[512], when[48], state[64];
	care_ui_fmt_short(when, sizeof when, w->r.s.start);
	care_ui_state(state, sizeof state, &w->r);
	snprintf(hay, sizeof hay, "%s %s %s %s", when, state, w->with, w->r.title);
	return ui_match_text(hay, needle);
}

static void ses_reload(struct tui *t, void *st)
{
	struct ses_state *s = st;
	struct mv_err err;
	size_t item;
	bool keep = !s->want_set && ui_list_selected(&s->list, &item) && item < s->n;
	if (keep) {
		memcpy(s->want, s->rows[item].r.s.id, 32);
		s->want_set = true;
	}
	s->n = 0;
	if (t->has_as && t->h->st) {
		mv_err_clear(&err);
		if (query_care_sessions(t->h->st, t->as_pk, QC_UPCOMING, t->now, ses_up_cb, s, &err) != MV_OK)
			tui_toast(t, UI_ERROR, "sessions: %s", err.msg);
		s->nup = s->n;
		query_care_sessions(t->h->st, t->as_pk, QC_PAST, t->now, ses_past_cb, s, &err);
	}
	char needle[sizeof s->list.filter];
	snprintf(needle, sizeof needle, "%s", s->list.filtered ? s->list.filter : "");
	ui_list_filter_clear(&s->list);
	ui_list_set_count(&s->list, s->n);
	for (size_t i = 0; s->want_set && i < s->n; i++)
		if (memcmp(s->rows[i].r.s.id, s->want, 32) == 0)
			ui_list_select_item(&s->list, i);
	s->want_set = false;
	if (needle[0])
		ui_list_filter(&s->list, needle, ses_match, s);
}

static struct ses_row *ses_selected(struct ses_state *s)
{
	size_t item;
	return ui_list_selected(&s->list, &item) && item < s->n ? &s->rows[item] : NULL;
}

/* ---- acting ------------------------------------------------------------------ */

/* Send KIND session=ID for the session in s->act. */
static void ses_send(struct tui *t, struct ses_state *s, const char *kind, const char *done)
{
	char f[80], hex[65];
	char *fields[1] = {f};
	mv_hex(hex, s->act, 32);
	snprintf(f, sizeof f, "session=%s", hex);
	memcpy(s->want, s->act, 32);
	s->want_set = true;
	if (tui_submit(t, kind, 1, fields, NULL) == MV_OK)
		tui_toast(t, UI_SUCCESS, "%s", done);
}

static void ses_cancel_yes(struct tui *t, void *ud)
{
	ses_send(t, ud, "session.cancel", "session cancelled");
}

static void ses_decline_yes(struct tui *t, void *ud)
{
	ses_send(t, ud, "session.decline", "request declined: the patient gets everything back");
}

static void ses_complete_yes(struct tui *t, void *ud)
{
	ses_send(t, ud, "session.complete", "session completed: the dispute window is open");
}

static void ses_noshow_yes(struct tui *t, void *ud)
{
	ses_send(t, ud, "session.no_show", "no-show recorded");
}

static int ses_cancel(struct tui *t, struct ses_state *s, struct ses_row *w)
{
	struct qc_refund rf;
	struct mv_err err;
	char text[512], words[32], back[48], kept[48];
	if (query_care_refund_preview(t->h->st, w->r.s.id, t->as_pk, t->now, &rf, &err) != MV_OK) {
		tui_toast(t, UI_ERROR, "%s", err.msg);
		return TUI_DRAW_ALL;
	}
	if (!rf.allowed) {
		tui_toast(t, UI_WARNING, "cannot cancel: %s", rf.why);
		return TUI_DRAW_ALL;
	}
	care_ui_refund_words(words, sizeof words, rf.refund_bp);
	ui_fmt_amount(back, sizeof back, rf.split.patient);
	ui_fmt_amount(kept, sizeof kept, rf.split.therapist + rf.split.treasury);
	if (strcmp(w->r.s.payment, "token") != 0)
		snprintf(text, sizeof text, "Cancel %s with %s? Paid %s: no MVT is in escrow.",
			 w->r.title, w->with, w->r.s.payment);
	else if (rf.refund_bp >= 10000)
		snprintf(text, sizeof text, "Cancel %s with %s? %s: %s MVT goes back to the patient.",
			 w->r.title, w->with, words, back);
	else
		snprintf(text, sizeof text, "Cancel %s with %s? It is less than the notice period "
			 "away: %s, %s MVT back to the patient, %s MVT kept (therapist and platform).",
			 w->r.title, w->with, words, back, kept);
	memcpy(s->act, w->r.s.id, 32);
	tui_confirm(t, "Cancel this session?", text, "Confirm", ses_cancel_yes, s);
	return TUI_DRAW_ALL;
}

static void ses_confirm(struct tui *t, struct ses_state *s, struct ses_row *w, const char *title,
			const char *text, const char *yes, void (*fn)(struct tui *t, void *ud))
{
	memcpy(s->act, w->r.s.id, 32);
	tui_confirm(t, title, text, yes, fn, s);
}

static int ses_move(struct tui *t, struct ses_row *w)
{
	struct care_ui_pick *p = care_ui_pick();
	memcpy(p->service, w->r.s.service, 32);
	memcpy(p->move, w->r.s.id, 32);
	p->has_service = true;
	p->moving = true;
	tui_push(t, "book");
	return TUI_DRAW_ALL | TUI_RELOAD;
}

static bool ses_rate_submit(struct tui *t, void *ud, struct ui_form *f)
{
	struct ses_state *s = ud;
	struct submit_result res;
	struct mv_err err;
	int stars = 5 - (int)f->f[0].choice;
	mv_err_clear(&err);
	int rc = home_care_rate(t->h, t->as, s->act, stars, f->f[1].buf, &res, &err);
	memcpy(s->want, s->act, 32);
	s->want_set = true;
	if (tui_submitted(t, rc, &res, &err) != MV_OK)
		return false;
	tui_toast(t, UI_SUCCESS, "rated %d of 5: thank you", stars);
	return true;
}

static bool ses_dispute_submit(struct tui *t, void *ud, struct ui_form *f)
{
	struct ses_state *s = ud;
	struct submit_result res;
	struct mv_err err;
	mv_err_clear(&err);
	int rc = home_care_dispute(t->h, t->as, s->act, f->f[0].buf, &res, &err);
	memcpy(s->want, s->act, 32);
	s->want_set = true;
	if (tui_submitted(t, rc, &res, &err) != MV_OK)
		return false;
	tui_toast(t, UI_SUCCESS, "disputed: the escrow waits for the council");
	return true;
}

static int ses_rate(struct tui *t, struct ses_state *s, struct ses_row *w)
{
	static const char *const stars[] = {"★★★★★ 5", "★★★★ 4", "★★★ 3", "★★ 2", "★ 1"};
	memcpy(s->act, w->r.s.id, 32);
	care_form_open(t, &s->cf, "Rate this session", ses_rate_submit, s);
	struct ui_field *f = ui_form_add(&s->cf.form, UF_CHOICE, "Stars", true, "←→ to choose");
	care_form_choices(f, stars, 5);
	ui_form_add(&s->cf.form, UF_TEXT, "Comment", false,
		    "optional; encrypted so only you and the therapist can read it");
	return TUI_DRAW_ALL;
}

static int ses_dispute(struct tui *t, struct ses_state *s, struct ses_row *w)
{
	memcpy(s->act, w->r.s.id, 32);
	care_form_open(t, &s->cf, "Dispute this session", ses_dispute_submit, s);
	ui_form_add(&s->cf.form, UF_TEXT, "Reason", true,
		    "what went wrong; encrypted to you and the therapist (the council decides)");
	return TUI_DRAW_ALL;
}

static int ses_notes(struct tui *t, struct ses_row *w)
{
	struct care_ui_pick *p = care_ui_pick();
	memcpy(p->session, w->r.s.id, 32);
	p->has_session = true;
	tui_push(t, "notes");
	return TUI_DRAW_ALL | TUI_RELOAD;
}

/* Actions of the therapist of the selected session. */
static int ses_therapist_action(struct tui *t, struct ses_state *s, struct ses_row *w,
				enum tui_action a)
{
	bool requested = w->r.s.state == CS_REQUESTED;
	switch (a) {
	case ACT_APPROVE:
		if (!requested)
			return TUI_UNHANDLED;
		memcpy(s->act, w->r.s.id, 32);
		ses_send(t, s, "session.accept", "accepted: the session is confirmed");
		return TUI_DRAW_ALL | TUI_RELOAD;
	case ACT_REJECT:
		if (!requested)
			return TUI_UNHANDLED;
		ses_confirm(t, s, w, "Decline request", "Decline this request? The patient gets the "
			    "price and the fee back.", "Decline", ses_decline_yes);
		return TUI_DRAW_ALL;
	case ACT_COMPLETE:
		ses_confirm(t, s, w, "Complete session", "Mark this session completed? The patient "
			    "may dispute it during the dispute window; then the escrow pays you.",
			    "Complete", ses_complete_yes);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

static int ses_action(struct tui *t, void *st, enum tui_action a)
{
	struct ses_state *s = st;
	struct ses_row *w = ses_selected(s);
	if (s->cf.open)
		return TUI_HANDLED;
	if (!w)
		return tui_list_action(&s->list, a);
	if (w->r.as_therapist && ses_therapist_action(t, s, w, a) != TUI_UNHANDLED)
		return TUI_DRAW_ALL;
	switch (a) {
	case ACT_ENTER: return ses_notes(t, w);
	case ACT_CANCEL: return ses_cancel(t, s, w);
	case ACT_BOOK: return ses_move(t, w);
	case ACT_CHECKIN:
		memcpy(s->act, w->r.s.id, 32);
		ses_send(t, s, "session.checkin", "checked in");
		return TUI_DRAW_ALL | TUI_RELOAD;
	case ACT_NO_SHOW:
		ses_confirm(t, s, w, "No-show", w->r.as_therapist
			    ? "Declare that the patient did not come? The session settles as if held "
			      "(the patient may dispute)."
			    : "Declare that the therapist did not come? You get a full refund at once.",
			    "Declare", ses_noshow_yes);
		return TUI_DRAW_ALL;
	case ACT_RATE: return ses_rate(t, s, w);
	case ACT_DISPUTE: return ses_dispute(t, s, w);
	default: return tui_list_action(&s->list, a);
	}
}

/* ---- drawing ---------------------------------------------------------------------- */

static void ses_row_draw(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct ses_state *s = ud;
	struct ses_row *w = &s->rows[item];
	char when[48], state[64];
	int base = sel ? theme_attr(TH_SEL) : w->past ? theme_attr(TH_DIM) : 0;
	int st_attr = sel ? base : w->r.tentative ? theme_attr(TH_WARN) : base;
	care_ui_fmt_short(when, sizeof when, w->r.s.start);
	care_ui_state(state, sizeof state, &w->r);
	int col = x;
	col += ui_put(win, y, col, 17, base, when) + 1;
	col = x + 18;
	int sw = width >= 80 ? 28 : 22, ww = width >= 80 ? 20 : 14;
	ui_put(win, y, col, sw, st_attr, state);
	col += sw + 1;
	ui_put(win, y, col, ww, base, w->with);
	col += ww + 1;
	if (col < x + width)
		ui_put(win, y, col, x + width - col, base, w->r.title);
}

/* What can be done with w now, for the key bar and the hint line. */
static void ses_compute_actions(struct ses_state *s, struct ses_row *w)
{
	size_t k = 0;
	s->now[k++] = ACT_ENTER;
	if (w && !w->past) {
		if (w->r.as_therapist && w->r.s.state == CS_REQUESTED) {
			s->now[k++] = ACT_APPROVE;
			s->now[k++] = ACT_REJECT;
		}
		s->now[k++] = ACT_CANCEL;
		s->now[k++] = ACT_BOOK;
		if (w->r.s.state == CS_CONFIRMED) {
			s->now[k++] = ACT_CHECKIN;
			if (w->r.as_therapist)
				s->now[k++] = ACT_COMPLETE;
			s->now[k++] = ACT_NO_SHOW;
		}
	} else if (w) {
		if (w->r.as_therapist && w->r.s.state == CS_CONFIRMED)
			s->now[k++] = ACT_COMPLETE;
		if (!w->r.as_therapist && (w->r.s.state == CS_COMPLETED || w->r.s.state == CS_DISPUTED ||
					   w->r.s.state == CS_SETTLED) && !w->r.stars)
			s->now[k++] = ACT_RATE;
		if (!w->r.as_therapist && (w->r.s.state == CS_COMPLETED || w->r.s.state == CS_NO_SHOW ||
					   w->r.s.state == CS_CONFIRMED))
			s->now[k++] = ACT_DISPUTE;
	}
	s->now[k] = ACT_NONE;
}

static void ses_draw_money(struct tui *t, struct ses_row *w, int y)
{
	char price[48], fee[48];
	const struct care_session *c = &w->r.s;
	ui_fmt_amount(price, sizeof price, c->price);
	ui_fmt_amount(fee, sizeof fee, c->fee);
	if (strcmp(c->payment, "token") == 0 && care_state_escrowed(c->state))
		ui_putf(stdscr, y, t->main_x, t->main_w, A_NORMAL, "with %s · %s MVT + fee %s in escrow",
			w->with, price, fee);
	else if (strcmp(c->payment, "token") == 0 && (c->state == CS_CANCELLED || c->state == CS_DECLINED)) {
		char back[48];
		ui_fmt_amount(back, sizeof back, c->paid_patient);
		ui_putf(stdscr, y, t->main_x, t->main_w, A_NORMAL, "with %s · %s MVT · %s MVT went back "
			"to the patient", w->with, price, back);
	} else if (strcmp(c->payment, "token") == 0)
		ui_putf(stdscr, y, t->main_x, t->main_w, A_NORMAL, "with %s · %s MVT · escrow paid out",
			w->with, price);
	else
		ui_putf(stdscr, y, t->main_x, t->main_w, A_NORMAL, "with %s · %s MVT · paid %s%s", w->with,
			price, c->payment, w->r.payment_recorded ? " (recorded)" : "");
}

static void ses_draw_detail(struct tui *t, struct ses_state *s, struct ses_row *w, int y)
{
	char when[48], end[16], zone[16], cd[48];
	const struct care_session *c = &w->r.s;
	care_ui_fmt_short(when, sizeof when, c->start);
	care_ui_fmt_hm(end, sizeof end, c->end);
	care_ui_zone(zone, sizeof zone, c->start);
	care_ui_fmt_countdown(cd, sizeof cd, c->start, t->now);
	ui_hline(stdscr, y, t->main_x, t->main_w, theme_attr(TH_BORDER));
	if (w->past)
		ui_putf(stdscr, y + 1, t->main_x, t->main_w, A_BOLD, "%s–%s %s · %s", when, end, zone,
			w->r.title);
	else
		ui_putf(stdscr, y + 1, t->main_x, t->main_w, A_BOLD, "%s–%s %s · %s · %s", when, end,
			zone, cd, w->r.title);
	ses_draw_money(t, w, y + 2);
	if (c->state == CS_CONFIRMED || c->checkin_patient || c->checkin_therapist)
		ui_putf(stdscr, y + 3, t->main_x, t->main_w, theme_attr(TH_DIM),
			"checked in: therapist %s · patient %s%s", c->checkin_therapist ? "✓" : "–",
			c->checkin_patient ? "✓" : "–", w->r.tentative ? " · tentative until final" : "");
	else if (w->r.stars)
		ui_putf(stdscr, y + 3, t->main_x, t->main_w, theme_attr(TH_DIM), "rated %lld of 5",
			(long long)w->r.stars);
	else if (w->r.tentative)
		ui_put(stdscr, y + 3, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "tentative: its epoch is not final yet");
}

static void ses_draw(struct tui *t, void *st)
{
	struct ses_state *s = st;
	char right[48];
	snprintf(right, sizeof right, "%zu upcoming · %zu past", s->nup, s->n - s->nup);
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	ses_compute_actions(s, ses_selected(s));
	if (s->cf.open) {
		care_form_draw(t, &s->cf, y);
		return;
	}
	tui_view_title(t, "My sessions", right);
	if (!t->has_as) {
		care_view_empty(t, y, "No identity to show sessions of.");
		return;
	}
	if (s->n == 0) {
		care_view_empty(t, y, strcmp(t->role, "therapist") == 0
				? "No sessions yet: publish a service and your availability."
				: "No sessions yet. Find a therapist (navigation) and book a free slot.");
		return;
	}
	int detail = t->main_h >= 16 ? 4 : 0;
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, bottom - y - detail, t->main_w, t->focus_main,
		     ses_row_draw, s);
	struct ses_row *w = ses_selected(s);
	if (detail && w)
		ses_draw_detail(t, s, w, bottom - detail);
}

/* ---- plumbing ------------------------------------------------------------------------ */

static int ses_key(struct tui *t, void *st, int key)
{
	struct ses_state *s = st;
	return care_form_key(t, &s->cf, key);
}

static int ses_click(struct tui *t, void *st, int y, int x)
{
	struct ses_state *s = st;
	if (s->cf.open)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static int ses_filter(struct tui *t, void *st, const char *needle)
{
	struct ses_state *s = st;
	if (!ui_list_filter(&s->list, needle, ses_match, s))
		tui_toast(t, UI_ERROR, "out of memory while filtering");
	return TUI_DRAW_VIEW;
}

static bool ses_dirty(struct tui *t, void *st)
{
	struct ses_state *s = st;
	return s->cf.open && s->cf.form.dirty;
}

static const enum tui_action *ses_actions_now(struct tui *t, void *st)
{
	struct ses_state *s = st;
	if (s->cf.open)
		return care_form_actions;
	ses_compute_actions(s, ses_selected(s));
	return s->now;
}

static void ses_show(struct tui *t, void *st)
{
	struct ses_state *s = st;
	struct care_ui_pick *p = care_ui_pick();
	if (p->has_session) {
		memcpy(s->want, p->session, 32);
		s->want_set = true;
	}
	ses_reload(t, s);
}

static bool ses_init(struct tui *t, void **st)
{
	struct ses_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	s->now[0] = ACT_NONE;
	*st = s;
	return true;
}

static void ses_fini(struct tui *t, void *st)
{
	struct ses_state *s = st;
	care_form_close(&s->cf);
	ui_list_free(&s->list);
	free(s->rows);
	free(s);
}

static const enum tui_action ses_actions[] = {
	ACT_ENTER, ACT_CANCEL, ACT_BOOK, ACT_CHECKIN, ACT_RATE, ACT_DISPUTE, ACT_APPROVE, ACT_REJECT,
	ACT_COMPLETE, ACT_NO_SHOW, ACT_NONE,
};

const struct view_ops view_sessions = {
	.name = "sessions",
	.title = "My sessions",
	.in_nav = true,
	.roles = "patient therapist council member user",
	.help = "Your sessions: upcoming ones first (soonest first), then past ones. A session "
		"stays tentative until its epoch is final. On the selected session: d cancels "
		"(the refund is shown before you confirm), b moves it to another free slot, i "
		"checks in (from 10 minutes before the start), * rates a completed session, D "
		"disputes it. Therapists: a accepts a request, x declines it, f completes, N "
		"declares a no-show. Enter opens the session's notes. The key bar shows only what "
		"the selected session allows.",
	.actions = ses_actions,
	.actions_now = ses_actions_now,
	.init = ses_init,
	.fini = ses_fini,
	.reload = ses_reload,
	.draw = ses_draw,
	.key = ses_key,
	.action = ses_action,
	.click = ses_click,
	.filter = ses_filter,
	.dirty = ses_dirty,
	.show = ses_show,
};
