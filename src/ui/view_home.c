/* view_home.c - the Home screen: what the current identity should look at
 * now, as a short list of cards (balance, own recent ops and rejections,
 * ops waiting, who you are acting as, crisis help). Enter on a card opens
 * the screen it talks about. Later features add their cards here (sessions
 * today, open proposals, ...). It reads only bounded amounts of data (the
 * newest ops of the log), so it is the first frame even on a huge log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/home_people.h"
#include "core/query_people.h"
#include "ui/view.h"
#include "ui/care_view.h"
#include "ui/econ_ui.h"

#define HOME_CARDS 16
#define HOME_RECENT_SCAN 400

struct vhome_card {
	char title[192];
	char sub[256];
	const char *target;
	enum theme_role role;
};

struct vhome_state {
	struct tui *t;
	struct vhome_card cards[HOME_CARDS];
	size_t n;
	size_t sel;
	int top_y;
	int card_rows;             /* rows per card at the last draw (3, or 2 when short) */
};

struct vhome_recent {
	const uint8_t *me;
	size_t mine, rejected;
	struct q_logrow last, last_rejected;
	bool have_last, have_rejected;
};

static int vhome_recent_cb(void *ud, const struct q_logrow *r)
{
	struct vhome_recent *h = ud;
	if (memcmp(r->author, h->me, 32) != 0)
		return 0;
	h->mine++;
	if (!h->have_last) {
		h->last = *r;
		h->have_last = true;
	}
	if (r->status == Q_REJECTED) {
		if (!h->have_rejected) {
			h->last_rejected = *r;
			h->have_rejected = true;
		}
		h->rejected++;
	}
	return 0;
}

static struct vhome_card *vhome_add(struct vhome_state *s, const char *target, enum theme_role role)
{
	if (s->n >= HOME_CARDS)
		return NULL;
	struct vhome_card *c = &s->cards[s->n++];
	memset(c, 0, sizeof *c);
	c->target = target;
	c->role = role;
	return c;
}

static void vhome_card_balance(struct tui *t, struct vhome_state *s)
{
	char bal[48], bp[16];
	struct vhome_card *c = vhome_add(s, "wallet", TH_ACCENT);
	if (!c)
		return;
	ui_fmt_amount(bal, sizeof bal, tui_balance(t, t->as_pk));
	ui_fmt_bp(bp, sizeof bp, tui_param(t, "fee_transfer_bp", 0));
	char rw[48];
	ui_fmt_amount(rw, sizeof rw, econ_ui_rewards_total(t->h->st, t->as_pk, NULL));
	snprintf(c->title, sizeof c->title, "Balance: %s MVT · rewards received %s MVT", bal, rw);
	snprintf(c->sub, sizeof c->sub, "Wallet: history, and s to send MVT (fee %s)", bp);
}

static void vhome_card_recent(struct tui *t, struct vhome_state *s)
{
	struct vhome_recent r;
	char ago[32];
	memset(&r, 0, sizeof r);
	r.me = t->as_pk;
	query_log_window(t->h->st, true, 0, HOME_RECENT_SCAN, vhome_recent_cb, &r, NULL);
	size_t nlog = query_log_count(t->h->st), npend = query_pending_count(t->h->st);
	struct vhome_card *c = vhome_add(s, "activity", TH_NORMAL);
	if (!c)
		return;
	snprintf(c->title, sizeof c->title, "Activity: %zu ops in the log%s", nlog,
		 npend ? ", some waiting" : "");
	if (r.have_last) {
		ui_fmt_ago(ago, sizeof ago, op_clock_ms(r.last.clock), t->now);
		snprintf(c->sub, sizeof c->sub, "your last op: %s, %s, %s", r.last.kind,
			 r.last.status == Q_APPLIED ? "applied" : r.last.status == Q_REJECTED ? "rejected" : "waiting",
			 ago);
	} else {
		snprintf(c->sub, sizeof c->sub, "no recent ops of yours");
	}
	if (r.rejected && (c = vhome_add(s, "activity", TH_ERR))) {
		snprintf(c->title, sizeof c->title, "%zu of your recent ops %s rejected", r.rejected,
			 r.rejected == 1 ? "was" : "were");
		snprintf(c->sub, sizeof c->sub, "latest: %s: %.200s", r.last_rejected.kind, r.last_rejected.reason);
	}
	if (npend && (c = vhome_add(s, "activity", TH_WARN))) {
		snprintf(c->title, sizeof c->title, "%zu ops waiting", npend);
		snprintf(c->sub, sizeof c->sub, "held until earlier ops of their author arrive or their time comes");
	}
}

/* ---- people: joining, recovery, verification, emergency access ---------- */

#define HOME_RECENT_MS (14LL * 24 * 3600 * 1000) /* "recently" for alerts */

struct vhome_people {
	struct tui *t;
	struct vhome_state *s;
	int64_t napps;
	struct q_verify_event last;
	bool have_last;
};

static int vhome_emergency_cb(void *ud, const struct q_emergency *e)
{
	struct vhome_people *p = ud;
	char ago[32];
	struct vhome_card *c;
	if (p->t->now - e->time > HOME_RECENT_MS || !(c = vhome_add(p->s, "audit", TH_ERR)))
		return 1;
	ui_fmt_ago(ago, sizeof ago, e->time, p->t->now);
	snprintf(c->title, sizeof c->title, "Emergency access to your data by %s", tui_label(p->t, e->therapist));
	snprintf(c->sub, sizeof c->sub, "%s, reason: %s · recorded in your audit log", ago, e->reason);
	return 1; /* the newest only */
}

static int vhome_my_recovery_cb(void *ud, const struct q_recovery *r)
{
	struct vhome_people *p = ud;
	struct vhome_card *c = vhome_add(p->s, "recovery", TH_ERR);
	if (c) {
		snprintf(c->title, sizeof c->title, "Your account is being moved to a new key");
		snprintf(c->sub, sizeof c->sub, "%lld of %lld guardians approved · not you? cancel in "
			 "Recovery", (long long)r->approvals, (long long)r->threshold);
	}
	return 1;
}

static int vhome_guarded_rec_cb(void *ud, const struct q_recovery *r)
{
	struct vhome_people *p = ud;
	struct vhome_card *c = vhome_add(p->s, "recovery", TH_WARN);
	if (c) {
		snprintf(c->title, sizeof c->title, "%s asks its guardians to recover it",
			 tui_label(p->t, r->account));
		snprintf(c->sub, sizeof c->sub, "%lld of %lld approved · approve only if its owner "
			 "asked you", (long long)r->approvals, (long long)r->threshold);
	}
	return 1;
}

static int vhome_guarded_cb(void *ud, const uint8_t account[32])
{
	struct vhome_people *p = ud;
	query_recoveries_pending(p->t->h->st, account, vhome_guarded_rec_cb, p, NULL);
	return 0;
}

static int vhome_event_cb(void *ud, const struct q_verify_event *e)
{
	struct vhome_people *p = ud;
	p->last = *e;
	p->have_last = true;
	return 0;
}

static int vhome_app_cb(void *ud, const struct q_application *a)
{
	((struct vhome_people *)ud)->napps++;
	return 0;
}

/* A therapist's verification: decided lately, pending, never asked, CE due. */
static void vhome_card_verification(struct tui *t, struct vhome_people *p, const uint8_t acct[32])
{
	struct q_therapist th;
	struct vhome_card *c;
	char ago[32];
	if (query_therapist(t->h->st, acct, t->now, &th, NULL) != MV_OK)
		return;
	query_verify_history(t->h->st, acct, vhome_event_cb, p, NULL);
	if (th.ce.due && (c = vhome_add(p->s, "verification", TH_ERR))) {
		snprintf(c->title, sizeof c->title, "CE due: %lld of %lld hours in the last 12 months",
			 (long long)th.ce.hours, (long long)th.ce.required);
		snprintf(c->sub, sizeof c->sub, "log continuing education to publish new services again");
	}
	if (!(c = vhome_add(p->s, "verification", th.verified ? TH_OK : TH_WARN)))
		return;
	if (p->have_last && strcmp(p->last.event, "submitted") != 0 &&
	    t->now - p->last.time < HOME_RECENT_MS) {
		ui_fmt_ago(ago, sizeof ago, p->last.time, t->now);
		snprintf(c->title, sizeof c->title, "The council decided: %s", p->last.event);
		snprintf(c->sub, sizeof c->sub, "%s%s%.200s", ago, p->last.reason[0] ? ": " : "",
			 p->last.reason);
	} else if (th.pending) {
		snprintf(c->title, sizeof c->title, "Your license waits for the council");
		snprintf(c->sub, sizeof c->sub, "license %s · you are told here when it is decided",
			 th.license_no);
	} else if (!th.verified) {
		snprintf(c->title, sizeof c->title, "Not verified: %s", th.state);
		snprintf(c->sub, sizeof c->sub, "submit your license in Verification to be bookable");
	} else {
		p->s->n--; /* verified, nothing new: no card */
	}
}

static void vhome_card_council(struct tui *t, struct vhome_people *p)
{
	struct vhome_card *c;
	query_applications(t->h->st, vhome_app_cb, p, NULL);
	if (p->napps && (c = vhome_add(p->s, "verification", TH_WARN))) {
		snprintf(c->title, sizeof c->title, "%lld license application%s wait%s for the council",
			 (long long)p->napps, p->napps == 1 ? "" : "s", p->napps == 1 ? "s" : "");
		snprintf(c->sub, sizeof c->sub, "review them in Verification: a approves, x rejects");
	}
}

/* Cards of the people contracts for the identity acted as: join first if
 * unregistered; else alerts (emergency access, a recovery of this account,
 * a recovery to approve as a guardian, verification and CE, council work). */
static void vhome_card_people(struct tui *t, struct vhome_state *s)
{
	struct vhome_people p;
	struct vhome_card *c;
	struct q_user u;
	uint8_t acct[32];
	memset(&p, 0, sizeof p);
	p.t = t;
	p.s = s;
	if (home_people_account(t->h, t->as, acct, NULL) != MV_OK) {
		if ((c = vhome_add(s, "identities", TH_ERR))) {
			snprintf(c->title, sizeof c->title, "This key was retired by an account recovery");
			snprintf(c->sub, sizeof c->sub, "act as the identity that holds the new key");
		}
		return;
	}
	if (query_user(t->h->st, acct, &u, NULL) != MV_OK) {
		if ((c = vhome_add(s, "onboarding", TH_WARN))) {
			snprintf(c->title, sizeof c->title, "Join the network");
			snprintf(c->sub, sizeof c->sub, "as a patient or a therapist, under a pseudonym");
		}
		return;
	}
	query_emergencies(t->h->st, acct, vhome_emergency_cb, &p, NULL);
	query_recoveries_pending(t->h->st, acct, vhome_my_recovery_cb, &p, NULL);
	query_guarded_by(t->h->st, acct, vhome_guarded_cb, &p, NULL);
	if (u.role == ROLE_THERAPIST)
		vhome_card_verification(t, &p, acct);
	if (strcmp(t->role, "council") == 0)
		vhome_card_council(t, &p);
}

/* A card from the care screens (care_view_home_cards). */
static void vhome_care_add(void *ud, const char *target, enum theme_role role, const char *title,
			   const char *sub)
{
	struct vhome_card *c = vhome_add(ud, target, role);
	if (!c)
		return;
	snprintf(c->title, sizeof c->title, "%s", title);
	snprintf(c->sub, sizeof c->sub, "%s", sub);
}

static void vhome_reload(struct tui *t, void *st)
{
	struct vhome_state *s = st;
	struct vhome_card *c;
	s->n = 0;
	if (!t->h->has_network || !t->h->st) {
		if ((c = vhome_add(s, "help", TH_WARN))) {
			snprintf(c->title, sizeof c->title, "This home has no network yet");
			snprintf(c->sub, sizeof c->sub,
				 "quit and run `mentalverse demo` (or `init`) to create one");
		}
	} else if (!t->has_as) {
		if ((c = vhome_add(s, "identities", TH_WARN))) {
			snprintf(c->title, sizeof c->title, "No identity to act as");
			snprintf(c->sub, sizeof c->sub, "create one in Identities (n)");
		}
	} else {
		vhome_card_balance(t, s);
		care_view_home_cards(t, vhome_care_add, s);
		vhome_card_people(t, s);
		vhome_card_recent(t, s);
		if ((c = vhome_add(s, "identities", TH_NORMAL))) {
			snprintf(c->title, sizeof c->title, "Acting as %s (%s)", t->as, t->role);
			snprintf(c->sub, sizeof c->sub,
				 "switch in one key: p patient · t therapist · m member · c council");
		}
	}
	if ((c = vhome_add(s, "crisis", TH_CRISIS))) {
		snprintf(c->title, sizeof c->title, "In crisis? Press ! on any screen");
		snprintf(c->sub, sizeof c->sub,
			 "crisis lines and emergency numbers; MentalVerse is not an emergency service");
	}
	if (s->sel >= s->n)
		s->sel = s->n ? s->n - 1 : 0;
}

static void vhome_draw(struct tui *t, void *st)
{
	struct vhome_state *s = st;
	char hello[160];
	snprintf(hello, sizeof hello, "Hello%s%s", t->has_as ? ", " : "", t->has_as ? t->as : "");
	tui_view_title(t, "Home", t->network);
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	ui_put(stdscr, y, t->main_x, t->main_w, A_BOLD, hello);
	y += 2;
	s->top_y = y - t->main_y;
	/* a blank line between cards while they all fit, none when the screen
	 * is short (the upgrade banner takes a row): the last card is the
	 * crisis one */
	int step = (int)s->n * 3 - 1 <= bottom - y ? 3 : 2;
	s->card_rows = step;
	for (size_t i = 0; i < s->n && y + 1 < bottom; i++, y += step) {
		struct vhome_card *c = &s->cards[i];
		bool sel = i == s->sel && t->focus_main;
		int attr = sel ? theme_attr(TH_SEL) : theme_attr(c->role) | (int)A_BOLD;
		if (sel)
			ui_fill(stdscr, y, t->main_x, t->main_w, attr);
		ui_putf(stdscr, y, t->main_x, t->main_w, attr, "%s %s", i == s->sel ? "▸" : " ", c->title);
		char sub[sizeof c->sub + 8];
		ui_text_clip(sub, sizeof sub, c->sub, t->main_w - 2);
		ui_put(stdscr, y + 1, t->main_x + 2, t->main_w - 2, theme_attr(TH_DIM), sub);
	}
}

static int vhome_action(struct tui *t, void *st, enum tui_action a)
{
	struct vhome_state *s = st;
	switch (a) {
	case ACT_UP:
		if (s->sel > 0)
			s->sel--;
		return TUI_DRAW_VIEW;
	case ACT_DOWN:
		if (s->sel + 1 < s->n)
			s->sel++;
		return TUI_DRAW_VIEW;
	case ACT_TOP: s->sel = 0; return TUI_DRAW_VIEW;
	case ACT_BOTTOM: s->sel = s->n ? s->n - 1 : 0; return TUI_DRAW_VIEW;
	case ACT_ENTER:
		if (s->sel < s->n && s->cards[s->sel].target) {
			if (strcmp(s->cards[s->sel].target, "crisis") == 0)
				tui_push(t, "crisis");
			else
				tui_goto(t, s->cards[s->sel].target);
		}
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

static int vhome_click(struct tui *t, void *st, int y, int x)
{
	struct vhome_state *s = st;
	int rel = y - s->top_y, step = s->card_rows ? s->card_rows : 3;
	if (rel < 0 || (size_t)(rel / step) >= s->n)
		return TUI_HANDLED;
	if (s->sel == (size_t)(rel / step))
		return vhome_action(t, st, ACT_ENTER);
	s->sel = (size_t)(rel / step);
	return TUI_DRAW_VIEW;
}

static bool vhome_init(struct tui *t, void **st)
{
	struct vhome_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	*st = s;
	return true;
}

static void vhome_fini(struct tui *t, void *st)
{
	free(st);
}

static const enum tui_action vhome_actions[] = { ACT_ENTER, ACT_NONE };

const struct view_ops view_home = {
	.name = "home",
	.title = "Home",
	.in_nav = true,
	.help = "What the identity you act as should look at now: balance, your recent ops and "
		"any that were rejected, ops waiting, and who you are acting as. Enter opens the "
		"screen a card talks about.",
	.actions = vhome_actions,
	.init = vhome_init,
	.fini = vhome_fini,
	.reload = vhome_reload,
	.draw = vhome_draw,
	.action = vhome_action,
	.click = vhome_click,
};
