/* view_proposals.c - the Proposals screen: every proposal newest first with
 * its state, the countdown to its next change and a for/against vote bar;
 * under the list the selected proposal in detail (tally with quorum and
 * threshold, its typed actions, who voted and your own vote or why you have
 * no power). e delegates your voting power (or takes it back). Voting takes
 * two keys: a (for), x (against) or b (abstain), then a confirmation; a vote
 * can be changed while voting is open. n opens the new-proposal form
 * (gov_form.c); once sent, the new proposal is selected. Reads through
 * core/query_gov.h, votes through tui_submit (gov.vote). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_people.h"
#include "core/query_gov.h"
#include "ui/gov_form.h"
#include "ui/view.h"

#define PR_MAX 200
#define PR_DETAIL_MAX 8 /* actions / voters shown in the detail */

struct pr_state {
	struct tui *t;
	bool have_me;
	uint8_t me[32];
	struct q_proposal *rows;
	size_t n;
	struct ui_list list;
	int list_y;
	/* detail of the selected proposal */
	uint8_t det_id[32];
	struct gov_proposal det_p;
	bool det_ok;
	char actions[PR_DETAIL_MAX][300];
	size_t nactions;
	char voters[PR_DETAIL_MAX][120];
	size_t nvoters;
	/* delegation: now, and the form to change it */
	struct q_delegation deleg;
	bool have_deleg;
	bool form_open;
	struct ui_form form;
	/* the vote (or execute / withdraw: its op kind) waiting for confirmation */
	uint8_t vote_id[32];
	char vote_choice[16];
	const char *pending_kind;
	/* the new-proposal form (NULL when closed), and a proposal to select */
	struct gov_form *gf;
	bool want_select;
	uint8_t select_id[32];
};

static bool pr_match(void *ud, size_t item, const char *needle);
static void pr_rel(char *out, size_t outlen, int64_t t, int64_t now);

/* Voting power: MVT, or votes in a one-member-one-vote group proposal
 * (its total is the member count, far below one MVT in base units). */
static void pr_power(char *out, size_t outlen, const struct gov_proposal *p, int64_t v)
{
	if (p->group_scope && p->total_power < 100000000) {
		snprintf(out, outlen, "%" PRId64 " vote%s", v, v == 1 ? "" : "s");
		return;
	}
	ui_fmt_amount(out, outlen, v);
	size_t n = strlen(out);
	snprintf(out + n, outlen - n, " MVT");
}

/* ---- data ------------------------------------------------------------------- */

static int pr_row_cb(void *ud, const struct q_proposal *p)
{
	struct pr_state *s = ud;
	if (s->n >= PR_MAX)
		return 1;
	s->rows[s->n++] = *p;
	return 0;
}

static int pr_action_cb(void *ud, const struct q_action *a)
{
	struct pr_state *s = ud;
	if (s->nactions < PR_DETAIL_MAX)
		snprintf(s->actions[s->nactions++], sizeof s->actions[0], "%s  %s", a->type, a->text);
	return 0;
}

static int pr_vote_cb(void *ud, const struct q_vote *v)
{
	struct pr_state *s = ud;
	char pw[48];
	if (s->nvoters >= PR_DETAIL_MAX)
		return 1;
	pr_power(pw, sizeof pw, &s->det_p, v->power);
	snprintf(s->voters[s->nvoters++], sizeof s->voters[0], "%-20.20s %-8s %s%s",
		 tui_label(s->t, v->voter), v->choice, pw, v->changes ? " (changed)" : "");
	return 0;
}

/* Load the actions and voters of the selected proposal. */
static void pr_detail(struct pr_state *s)
{
	size_t item;
	struct mv_err err;
	s->det_ok = false;
	s->nactions = s->nvoters = 0;
	if (!ui_list_selected(&s->list, &item))
		return;
	memcpy(s->det_id, s->rows[item].p.id, 32);
	s->det_p = s->rows[item].p;
	mv_err_clear(&err);
	query_proposal_actions(s->t->h->st, s->det_id, pr_action_cb, s, &err);
	query_proposal_votes(s->t->h->st, s->det_id, pr_vote_cb, s, &err);
	s->det_ok = true;
}

static void pr_reload(struct tui *t, void *st)
{
	struct pr_state *s = st;
	struct mv_err err;
	char needle[sizeof s->list.filter];
	snprintf(needle, sizeof needle, "%s", s->list.filtered ? s->list.filter : "");
	s->n = 0;
	mv_err_clear(&err);
	s->have_me = t->has_as && t->h->st && home_people_account(t->h, t->as, s->me, &err) == MV_OK;
	s->have_deleg = s->have_me && query_delegation(t->h->st, s->me, t->now, &s->deleg, &err) ==
						    MV_OK;
	mv_err_clear(&err);
	if (t->h->st && query_proposals(t->h->st, t->now, s->have_me ? s->me : NULL, QP_ALL, NULL,
					pr_row_cb, s, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "proposals: %s", err.msg);
	ui_list_filter_clear(&s->list);
	ui_list_set_count(&s->list, s->n);
	if (needle[0])
		ui_list_filter(&s->list, needle, pr_match, s);
	for (size_t i = 0; s->want_select && i < s->n; i++) {
		if (memcmp(s->rows[i].p.id, s->select_id, 32) != 0)
			continue;
		if (!ui_list_select_item(&s->list, i)) { /* filtered out: show it anyway */
			ui_list_filter_clear(&s->list);
			ui_list_select_item(&s->list, i);
		}
		s->want_select = false;
	}
	pr_detail(s);
}

/* ---- drawing ---------------------------------------------------------------- */

static void pr_rel(char *out, size_t outlen, int64_t t, int64_t now)
{
	int64_t d = (t > now ? t - now : now - t) / 1000;
	char b[32];
	if (d >= 86400)
		snprintf(b, sizeof b, "%" PRId64 "d %" PRId64 "h", d / 86400, d % 86400 / 3600);
	else if (d >= 3600)
		snprintf(b, sizeof b, "%" PRId64 "h %" PRId64 "m", d / 3600, d % 3600 / 60);
	else
		snprintf(b, sizeof b, "%" PRId64 "m %" PRId64 "s", d / 60, d % 60);
	snprintf(out, outlen, t > now ? "in %s" : "%s ago", b);
}

static void pr_bar(char *out, size_t outlen, int64_t part, int64_t total, int w)
{
	int n = total > 0 ? (int)((part * w + total / 2) / total) : 0;
	size_t o = 0;
	for (int i = 0; i < w && o + 4 < outlen; i++)
		o += (size_t)snprintf(out + o, outlen - o, "%s", i < n ? "█" : "░");
}

/* One list row in w columns: state, kind, vote bar, the title in what is
 * left (clipped by display columns, never inside a character), then your
 * vote and the next change. */
static void pr_row_text(struct pr_state *s, const struct q_proposal *q, int w, char *out,
			size_t n)
{
	char tail[96] = "", bar[80], title[400];
	size_t tl = 0;
	if (q->my_vote[0])
		tl += (size_t)snprintf(tail + tl, sizeof tail - tl, "you: %s", q->my_vote);
	if (q->next_time > 0 && q->next_what && tl < sizeof tail) {
		char r[40];
		pr_rel(r, sizeof r, q->next_time, s->t->now);
		snprintf(tail + tl, sizeof tail - tl, "%s%s %s", tl ? " · " : "", q->next_what, r);
	}
	/* "active   treasury ██████████ " is 8 + 1 + 8 + 1 + 10 + 1 columns; when
	 * the title would get less than 30 columns the bar (also in the detail)
	 * leaves its room to the title */
	int tailw = tail[0] ? ui_text_width(tail) + 1 : 0;
	bool with_bar = w - 29 - tailw >= 30;
	bar[0] = '\0';
	if (with_bar)
		pr_bar(bar, sizeof bar - 1, q->p.for_power, q->p.for_power + q->p.against_power, 10);
	if (with_bar)
		strcat(bar, " ");
	int tw = w - (with_bar ? 29 : 18) - tailw;
	if (tw < 12)
		tw = 12;
	int used = ui_text_clip(title, sizeof title, q->p.title, tw);
	snprintf(out, n, "%-8s %-8s %s%s%*s %s", gov_state_name(q->p.state), q->p.kind, bar, title,
		 tw - used, "", tail);
}

static void pr_row(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	struct pr_state *s = ud;
	const struct q_proposal *q = &s->rows[item];
	char text[800];
	pr_row_text(s, q, w, text, sizeof text);
	int attr = q->p.state == GOV_ACTIVE ? theme_attr(TH_OK)
		   : q->p.state == GOV_PENDING ? 0 : theme_attr(TH_DIM);
	ui_put(win, y, x, w, sel ? theme_attr(TH_SEL) : attr, text);
}

static void pr_draw_detail(struct tui *t, struct pr_state *s, int y, int bottom)
{
	size_t item;
	if (!ui_list_selected(&s->list, &item))
		return;
	const struct q_proposal *q = &s->rows[item];
	const struct gov_proposal *p = &q->p;
	if (!s->det_ok || memcmp(s->det_id, p->id, 32) != 0)
		pr_detail(s);
	char a[48], b[48], c[48], bar[200];
	int x = t->main_x, w = t->main_w;
	ui_hline(stdscr, y++, x, w, theme_attr(TH_BORDER));
	ui_putf(stdscr, y++, x, w, A_BOLD, "%s  (%s, by %s)", p->title, p->kind,
		tui_label(t, p->proposer));
	ui_putf(stdscr, y++, x, w, A_NORMAL, "%s%s%s", gov_state_name(p->state), p->why[0] ? ": " : "",
		p->why);
	int64_t all = p->for_power + p->against_power + p->abstain_power;
	pr_power(a, sizeof a, p, p->for_power);
	pr_power(b, sizeof b, p, p->against_power);
	pr_power(c, sizeof c, p, p->abstain_power);
	pr_bar(bar, sizeof bar, p->for_power, all, 20);
	ui_putf(stdscr, y++, x, w, theme_attr(TH_OK), "for     %s %s", bar, a);
	pr_bar(bar, sizeof bar, p->against_power, all, 20);
	ui_putf(stdscr, y++, x, w, theme_attr(TH_ERR), "against %s %s", bar, b);
	pr_bar(bar, sizeof bar, p->abstain_power, all, 20);
	ui_putf(stdscr, y++, x, w, theme_attr(TH_DIM), "abstain %s %s", bar, c);
	pr_power(a, sizeof a, p, q->quorum_power);
	ui_putf(stdscr, y++, x, w, A_NORMAL, "quorum %s%s · threshold %" PRId64 ".%02" PRId64 "%% · %"
		PRId64 " voters", a, p->quorum_reached ? " reached" : "", p->threshold_bp / 100,
		p->threshold_bp % 100, p->voters);
	if (s->have_me)
		ui_putf(stdscr, y++, x, w, A_BOLD, "you: %s%s%s", q->my_vote[0] ? q->my_vote : "not voted",
			q->why_no_power[0] ? " · " : "", q->why_no_power);
	for (size_t i = 0; i < s->nactions && y < bottom; i++)
		ui_putf(stdscr, y++, x, w, A_NORMAL, "action %zu: %s", i + 1, s->actions[i]);
	if (s->nactions == 0 && y < bottom)
		ui_put(stdscr, y++, x, w, theme_attr(TH_DIM), "no actions (a text proposal)");
	for (size_t i = 0; i < s->nvoters && y < bottom; i++)
		ui_putf(stdscr, y++, x, w, theme_attr(TH_DIM), "  %s", s->voters[i]);
}

static void pr_draw(struct tui *t, void *st)
{
	struct pr_state *s = st;
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	char right[64];
	snprintf(right, sizeof right, "%zu proposals%s", s->n, s->list.filtered ? " (filtered)" : "");
	tui_view_title(t, "Proposals", right);
	if (s->gf) {
		gov_form_draw(s->gf, y, t->main_x, bottom - y, t->main_w);
		return;
	}
	if (s->form_open) {
		int cy, cx;
		ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	ui_put(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_DIM), t->main_w >= 80
	       ? "a for · x against · b abstain (changeable while open) · e delegate · n propose"
	       : "a for · x against · b abstain · e delegate · n propose");
	if (s->have_deleg && s->deleg.delegating)
		ui_putf(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_WARN),
			"You delegate your voting power to %s (platform proposals); e to change",
			tui_label(t, s->deleg.to));
	if (s->n == 0) {
		ui_put(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM), "No proposals yet.");
		return;
	}
	int detail_h = 14, list_h = bottom - y - detail_h;
	if (list_h < 3)
		list_h = 3;
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, list_h, t->main_w, t->focus_main, pr_row, s);
	pr_draw_detail(t, s, y + list_h, bottom);
}

/* ---- input ------------------------------------------------------------------ */

static void pr_vote_yes(struct tui *t, void *ud)
{
	struct pr_state *s = ud;
	char hex[65], fp[80], fc[40];
	mv_hex(hex, s->vote_id, 32);
	snprintf(fp, sizeof fp, "proposal=%s", hex);
	snprintf(fc, sizeof fc, "choice=%s", s->vote_choice);
	char *fields[2] = {fp, fc};
	if (tui_submit(t, "gov.vote", 2, fields, NULL) == MV_OK)
		tui_toast(t, UI_SUCCESS, "voted %s", s->vote_choice);
}

static int pr_vote(struct tui *t, struct pr_state *s, const char *choice)
{
	size_t item;
	if (!ui_list_selected(&s->list, &item))
		return TUI_HANDLED;
	const struct q_proposal *q = &s->rows[item];
	if (!t->has_as) {
		tui_toast(t, UI_WARNING, "choose an identity first");
		return TUI_DRAW_ALL;
	}
	memcpy(s->vote_id, q->p.id, 32);
	snprintf(s->vote_choice, sizeof s->vote_choice, "%s", choice);
	char text[300];
	snprintf(text, sizeof text, "Vote %s on \"%.120s\" as %s?%s", choice, q->p.title, t->as,
		 q->my_vote[0] ? " This replaces your earlier vote." : "");
	tui_confirm(t, "Vote", text, "Vote", pr_vote_yes, s);
	return TUI_DRAW_ALL;
}

static void pr_close_form(struct pr_state *s)
{
	ui_form_free(&s->form);
	s->form_open = false;
}

/* e: delegate to the account typed, or undelegate when left empty. */
static int pr_delegate_submit(struct tui *t, struct pr_state *s)
{
	const char *to = ui_field_value(&s->form.f[0]);
	int rc;
	if (!to[0]) {
		if (!s->have_deleg || !s->deleg.delegating) {
			pr_close_form(s);
			return TUI_DRAW_ALL;
		}
		rc = tui_submit(t, "gov.undelegate", 0, NULL, NULL);
	} else {
		char f[200];
		snprintf(f, sizeof f, "to=%s", to);
		char *fields[1] = {f};
		rc = tui_submit(t, "gov.delegate", 1, fields, NULL);
	}
	if (rc == MV_OK) {
		tui_toast(t, UI_SUCCESS, to[0] ? "your voting power now goes to %s" : "%s",
			  to[0] ? to : "you vote with your own power again");
		pr_close_form(s);
	}
	return TUI_RELOAD | TUI_DRAW_ALL;
}

static void pr_gov_form_close(struct pr_state *s)
{
	gov_form_free(s->gf);
	s->gf = NULL;
}

static void pr_discard_yes(struct tui *t, void *ud)
{
	(void)t;
	pr_gov_form_close(ud);
}

/* A key for the new-proposal form; closing and selecting happen here. */
static int pr_gov_form_key(struct tui *t, struct pr_state *s, int key)
{
	enum gov_form_event ev;
	uint8_t id[32];
	int rc = gov_form_key(s->gf, key, &ev, id);
	if (ev == GOV_FORM_CANCEL) {
		if (gov_form_dirty(s->gf))
			tui_confirm(t, "Discard proposal", "Close the form and lose what you typed?",
				    "Discard", pr_discard_yes, s);
		else
			pr_gov_form_close(s);
		return TUI_DRAW_ALL;
	}
	if (ev == GOV_FORM_CREATED) {
		pr_gov_form_close(s);
		memcpy(s->select_id, id, 32);
		s->want_select = true;
		pr_reload(t, s);
		size_t item;
		char when[48] = "";
		if (ui_list_selected(&s->list, &item) && memcmp(s->rows[item].p.id, id, 32) == 0 &&
		    s->rows[item].next_what) {
			pr_rel(when, sizeof when, s->rows[item].next_time, t->now);
			tui_toast(t, UI_SUCCESS, "proposal sent: %s, %s %s",
				  gov_state_name(s->rows[item].p.state), s->rows[item].next_what, when);
		} else {
			tui_toast(t, UI_SUCCESS, "proposal sent");
		}
		return TUI_RELOAD | TUI_DRAW_ALL;
	}
	return rc;
}

static int pr_key(struct tui *t, void *st, int key)
{
	struct pr_state *s = st;
	if (s->gf)
		return pr_gov_form_key(t, s, key);
	if (s->form_open) {
		switch (ui_form_key(&s->form, key)) {
		case UI_FORM_CHANGED:
		case UI_FORM_MOVED:
			return TUI_DRAW_VIEW;
		case UI_FORM_SUBMIT:
			return pr_delegate_submit(t, s);
		case UI_FORM_CANCEL:
			pr_close_form(s);
			return TUI_DRAW_ALL;
		default:
			return TUI_UNHANDLED;
		}
	}
	if (key == 'b')
		return pr_vote(t, st, "abstain");
	return TUI_UNHANDLED;
}

static void pr_run_yes(struct tui *t, void *ud)
{
	struct pr_state *s = ud;
	char hex[65], fp[80];
	mv_hex(hex, s->vote_id, 32);
	snprintf(fp, sizeof fp, "proposal=%s", hex);
	char *fields[1] = {fp};
	bool exec = strcmp(s->pending_kind, "gov.execute") == 0;
	if (tui_submit(t, s->pending_kind, 1, fields, NULL) == MV_OK)
		tui_toast(t, UI_SUCCESS, exec ? "executed: its actions ran" : "proposal withdrawn");
}

/* E (gov.execute, anyone, a queued proposal after its timelock) and W
 * (gov.cancel, its proposer, before voting opens); what the contract
 * would refuse for certain is said here instead of signing it. */
static int pr_run(struct tui *t, struct pr_state *s, bool exec)
{
	size_t item;
	char text[300], when[48];
	if (!ui_list_selected(&s->list, &item))
		return TUI_HANDLED;
	const struct gov_proposal *p = &s->rows[item].p;
	if (!t->has_as || !s->have_me) {
		tui_toast(t, UI_WARNING, "choose an identity first");
		return TUI_DRAW_ALL;
	}
	if (exec && p->state != GOV_QUEUED) {
		tui_toast(t, UI_WARNING, "only a succeeded proposal waiting in its timelock can be executed "
			  "(this one is %s)", gov_state_name(p->state));
		return TUI_DRAW_ALL;
	}
	if (exec && t->now < p->eta) {
		pr_rel(when, sizeof when, p->eta, t->now);
		tui_toast(t, UI_WARNING, "its timelock ends %s: it can be executed then", when);
		return TUI_DRAW_ALL;
	}
	if (!exec && memcmp(p->proposer, s->me, 32) != 0) {
		tui_toast(t, UI_WARNING, "only its proposer can withdraw a proposal");
		return TUI_DRAW_ALL;
	}
	if (!exec && p->state != GOV_PENDING) {
		tui_toast(t, UI_WARNING, "a proposal can be withdrawn only before its voting opens (this "
			  "one is %s)", gov_state_name(p->state));
		return TUI_DRAW_ALL;
	}
	memcpy(s->vote_id, p->id, 32);
	s->pending_kind = exec ? "gov.execute" : "gov.cancel";
	if (exec)
		snprintf(text, sizeof text, "Run the %" PRId64 " action%s of \"%.120s\" now, as %s? "
			 "All run or none does.", p->nactions, p->nactions == 1 ? "" : "s", p->title, t->as);
	else
		snprintf(text, sizeof text, "Withdraw \"%.120s\"? Nobody will be able to vote on it.",
			 p->title);
	tui_confirm(t, exec ? "Execute" : "Withdraw", text, exec ? "Execute" : "Withdraw", pr_run_yes,
		    s);
	return TUI_DRAW_ALL;
}

/* n: the new-proposal form. */
static int pr_new(struct tui *t, struct pr_state *s)
{
	if (!t->has_as || !s->have_me) {
		tui_toast(t, UI_WARNING, "choose an identity first");
		return TUI_DRAW_ALL;
	}
	if (!(s->gf = gov_form_open(t, s->me))) {
		tui_toast(t, UI_ERROR, "out of memory");
		return TUI_DRAW_ALL;
	}
	t->focus_main = true;
	return TUI_DRAW_ALL;
}

static int pr_action(struct tui *t, void *st, enum tui_action a)
{
	struct pr_state *s = st;
	if (s->gf || s->form_open)
		return TUI_HANDLED; /* keys a form left alone do nothing to the list */
	if (a == ACT_NEW)
		return pr_new(t, s);
	if (a == ACT_EXECUTE || a == ACT_WITHDRAW)
		return pr_run(t, s, a == ACT_EXECUTE);
	if (a == ACT_APPROVE)
		return pr_vote(t, s, "for");
	if (a == ACT_REJECT)
		return pr_vote(t, s, "against");
	if (a == ACT_EDIT) {
		if (!t->has_as) {
			tui_toast(t, UI_WARNING, "choose an identity first");
			return TUI_DRAW_ALL;
		}
		ui_form_init(&s->form, "Delegate your voting power");
		struct ui_field *f = ui_form_add(&s->form, UF_TEXT, "To", false,
						 "a member's name or id; empty: take it back");
		if (f && s->have_deleg && s->deleg.delegating)
			ui_field_set_text(f, tui_label(t, s->deleg.to));
		s->form_open = true;
		t->focus_main = true;
		return TUI_DRAW_ALL;
	}
	int rc = tui_list_action(&s->list, a);
	if (rc != TUI_UNHANDLED)
		pr_detail(s);
	return rc;
}

static int pr_click(struct tui *t, void *st, int y, int x)
{
	struct pr_state *s = st;
	(void)t;
	(void)x;
	if (s->gf || s->form_open || !ui_list_click(&s->list, y - s->list_y))
		return TUI_HANDLED;
	pr_detail(s);
	return TUI_DRAW_VIEW;
}

static bool pr_match(void *ud, size_t item, const char *needle)
{
	struct pr_state *s = ud;
	char text[600];
	pr_row_text(s, &s->rows[item], 120, text, sizeof text);
	return ui_match_text(text, needle);
}

static int pr_filter(struct tui *t, void *st, const char *needle)
{
	struct pr_state *s = st;
	if (!ui_list_filter(&s->list, needle, pr_match, s))
		tui_toast(t, UI_ERROR, "out of memory while filtering");
	pr_detail(s);
	return TUI_DRAW_VIEW;
}

static bool pr_init(struct tui *t, void **st)
{
	struct pr_state *s = calloc(1, sizeof *s);
	if (!s || !(s->rows = calloc(PR_MAX, sizeof *s->rows))) {
		free(s);
		return false;
	}
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void pr_fini(struct tui *t, void *st)
{
	struct pr_state *s = st;
	(void)t;
	if (s->form_open)
		pr_close_form(s);
	pr_gov_form_close(s);
	ui_list_free(&s->list);
	free(s->rows);
	free(s);
}

static const enum tui_action pr_actions[] = {
	ACT_NEW_PROPOSAL, ACT_VOTE_FOR, ACT_VOTE_AGAINST, ACT_VOTE_ABSTAIN, ACT_DELEGATE, ACT_EXECUTE,
	ACT_WITHDRAW, ACT_NONE,
};
static const enum tui_action pr_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

static const enum tui_action *pr_actions_now(struct tui *t, void *st)
{
	(void)t;
	struct pr_state *s = st;
	if (s->gf)
		return gov_form_actions(s->gf);
	return s->form_open ? pr_form_actions : pr_actions;
}

static bool pr_dirty(struct tui *t, void *st)
{
	(void)t;
	struct pr_state *s = st;
	return (s->form_open && s->form.dirty) || (s->gf && gov_form_dirty(s->gf));
}

const struct view_ops view_proposals = {
	.name = "proposals",
	.title = "Proposals",
	.in_nav = true,
	.roles = "patient therapist council member",
	.help = "Proposals of the DAO and its groups, newest first: state, the countdown to the "
		"next change (voting opens, voting ends, executable, expires) and a for/against "
		"bar. Below, the selected proposal: tally with quorum and threshold, its actions, "
		"who voted and your own vote. a votes for, x against, b abstains, each after a "
		"confirmation; a vote can be changed until voting ends. e delegates your voting "
		"power to another member (empty: take it back); a cycle is refused. n writes a "
		"proposal: the platform or one of your groups, its kind, title and description, "
		"then typed actions added one by one (Tab to the list: n adds, Enter edits, d "
		"removes; each field is checked as you leave it); ^S shows what will be signed, "
		"with every action described and when voting opens and ends, and y sends it. A "
		"refusal is shown in the form, which keeps what you typed; Esc closes it without "
		"sending anything. / filters.",
	.actions = pr_actions,
	.actions_now = pr_actions_now,
	.dirty = pr_dirty,
	.init = pr_init,
	.fini = pr_fini,
	.reload = pr_reload,
	.draw = pr_draw,
	.key = pr_key,
	.action = pr_action,
	.click = pr_click,
	.filter = pr_filter,
};
