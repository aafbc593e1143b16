/* tui.c - the app shell of the terminal UI and its single event loop.
 *
 * Owns the screen layout (top bar, the upgrade banner when there is one,
 * left navigation, main view, message line, key bar), the view stack, the
 * confirmation dialog, the filter line, the toast, background jobs and the
 * caches views share (labels, council).
 * One loop polls the keyboard (with a timeout), timers, external changes
 * of the store and job steps, so input never waits on work. Signals only set
 * a flag (SIGINT/SIGTERM) or restore the terminal without curses (fatal
 * signals); KEY_RESIZE is handled in the loop. The terminal is restored on
 * every way out. */
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/crisis.h"
#include "core/home_people.h"
#include "core/peers.h"
#include "core/query_people.h"
#include "core/query_upgrade.h"
#include "ui/netsync.h"
#include "ui/tui.h"
#include "ui/view.h"

/* The role the navigation is filtered for (the current identity's). */
static char tui_nav_role[24];

#define TUI_MIN_COLS 50
#define TUI_MIN_ROWS 14
#define TUI_STACK 8
#define TUI_MAX_VIEWS 48
#define TUI_LABELS 512
#define TUI_HITS 24
#define TUI_POLL_MS 2000
#define TUI_IDLE_MS 250
#define TUI_JOB_BUDGET_MS 25

struct tui_label {
	uint8_t id[32];
	char text[64];
};

struct tui_hit {
	int x0, x1;
	enum tui_action a;
};

struct tui_shell {
	struct tui t; /* first: views see this part */
	void *vst[TUI_MAX_VIEWS];
	unsigned seen_gen[TUI_MAX_VIEWS];
	char filter_of[TUI_MAX_VIEWS][128];
	size_t nviews;
	int stack[TUI_STACK];
	int depth;
	int nav_sel;
	int nav_top;               /* first navigation entry drawn (the list scrolls) */
	int pending;
	bool quit;
	int exit_code;
	bool too_small;
	int navw;
	struct ui_toast toast;
	struct ui_confirm confirm;
	void (*confirm_yes)(struct tui *t, void *ud);
	void *confirm_ud;
	bool crisis_pending;       /* submitted text held crisis words: open the screen */
	bool crisis_words;         /* the crisis screen was opened for them */
	bool filtering;
	struct ui_form filter;
	bool job_on;
	struct tui_job job;
	size_t job_done, job_total;
	struct tui_label labels[TUI_LABELS];
	size_t nlabels;
	uint8_t (*council)[32];
	size_t ncouncil;
	size_t seen_count;
	int64_t last_poll;
	size_t unsent;             /* ops no peer has yet (peers_unshared) */
	int64_t sync_stored;       /* last sync recorded in the store (netsync_stored_last) */
	struct upgrade_banner_facts upgrade; /* for the banner (query_upgrade.h) */
	char banner[200];          /* the banner line at this layout ("" = none) */
	struct tui_hit hits[TUI_HITS];
	size_t nhits;
	int (*old_ask)(void *ud, const char *name, char *buf, size_t buflen);
	void *old_ud;
};

static volatile sig_atomic_t tui_signal;
static struct termios tui_saved_tty;
static bool tui_have_tty;

static struct tui_shell *tui_shell(struct tui *t)
{
	return (struct tui_shell *)t;
}

static int tui_cur(const struct tui_shell *s)
{
	return s->stack[s->depth - 1];
}

static const struct view_ops *tui_cur_ops(const struct tui_shell *s)
{
	return tui_views[tui_cur(s)];
}

static void *tui_cur_state(const struct tui_shell *s)
{
	return s->vst[tui_cur(s)];
}

/* ====================================================================== */
/* caches and data                                                        */
/* ====================================================================== */

static int tui_council_cb(void *ud, const uint8_t member[32])
{
	struct tui_shell *s = ud;
	uint8_t (*c)[32] = realloc(s->council, (s->ncouncil + 1) * sizeof *c);
	if (!c)
		return 1;
	s->council = c;
	memcpy(s->council[s->ncouncil++], member, 32);
	return 0;
}

static int tui_label_seed_cb(void *ud, const char *name, const uint8_t pk[32])
{
	struct tui_shell *s = ud;
	if (s->nlabels >= TUI_LABELS)
		return 1;
	struct tui_label *l = &s->labels[s->nlabels++];
	memcpy(l->id, pk, 32);
	snprintf(l->text, sizeof l->text, "%s", name);
	return 0;
}

/* Re-read what the shell shows itself and mark every view stale. */
static void tui_reload(struct tui_shell *s)
{
	struct tui *t = &s->t;
	struct store *st = t->h->st;
	char name[128] = "";
	if (st)
		query_network_name(st, name, sizeof name);
	snprintf(t->network, sizeof t->network, "%s",
		 name[0] ? name : t->h->network_name[0] ? t->h->network_name : "no network");
	s->ncouncil = 0;
	if (st)
		query_council(st, tui_council_cb, s, NULL);
	s->nlabels = 0;
	keystore_list(t->h->keydir, tui_label_seed_cb, s, NULL);
	s->unsent = st && t->h->has_network ? peers_unshared(st) : 0;
	s->sync_stored = netsync_stored_last(st);
	s->seen_count = st ? query_log_count(st) + query_pending_count(st) : 0;
	memset(&s->upgrade, 0, sizeof s->upgrade);
	if (st)
		query_upgrade_banner_facts(st, &s->upgrade);
	if (t->has_as)
		tui_role_of(t, t->as, t->as_pk, t->role, sizeof t->role);
	snprintf(tui_nav_role, sizeof tui_nav_role, "%s", t->role);
	t->gen++;
}

const char *tui_label(struct tui *t, const uint8_t id[32])
{
	struct tui_shell *s = tui_shell(t);
	for (size_t i = 0; i < s->nlabels; i++)
		if (memcmp(s->labels[i].id, id, 32) == 0)
			return s->labels[i].text;
	if (s->nlabels >= TUI_LABELS)
		s->nlabels = 0;
	struct tui_label *l = &s->labels[s->nlabels++];
	memcpy(l->id, id, 32);
	home_account_label(t->h, id, l->text, sizeof l->text);
	return l->text;
}

void tui_role_of(struct tui *t, const char *name, const uint8_t pk[32], char *out,
		 size_t outlen)
{
	static const char *const roles[] = { "council", "therapist", "patient", "member", NULL };
	struct tui_shell *s = tui_shell(t);
	uint8_t acct[32];
	enum role reg = ROLE_NONE;
	memcpy(acct, pk, 32);
	if (t->h->st && home_people_account(t->h, name, acct, NULL) == MV_OK)
		reg = people_role(t->h->st, acct);
	for (size_t i = 0; i < s->ncouncil; i++)
		if (memcmp(s->council[i], acct, 32) == 0) {
			snprintf(out, outlen, "council");
			return;
		}
	if (reg != ROLE_NONE) {
		snprintf(out, outlen, "%s", people_role_name(reg));
		return;
	}
	for (const char *const *r = roles; *r; r++) {
		size_t n = strlen(*r);
		if (strncmp(name, *r, n) == 0 && name[n] == '-') {
			snprintf(out, outlen, "%s", *r);
			return;
		}
	}
	snprintf(out, outlen, "user");
}

struct tui_bal_find {
	const uint8_t *id;
	int64_t amount;
};

static int tui_bal_cb(void *ud, const struct q_balance *r)
{
	struct tui_bal_find *f = ud;
	if (memcmp(r->account, f->id, 32) != 0)
		return 0;
	f->amount = r->amount;
	return 1;
}

int64_t tui_balance(struct tui *t, const uint8_t id[32])
{
	struct tui_bal_find f = { id, 0 };
	if (t->h->st)
		query_balances(t->h->st, tui_bal_cb, &f, NULL);
	return f.amount;
}

struct tui_param_find {
	const char *name;
	int64_t value;
};

static int tui_param_cb(void *ud, const struct q_param *r)
{
	struct tui_param_find *f = ud;
	if (strcmp(r->name, f->name) != 0)
		return 0;
	f->value = r->value;
	return 1;
}

int64_t tui_param(struct tui *t, const char *name, int64_t dflt)
{
	struct tui_param_find f = { name, dflt };
	if (t->h->st)
		query_params(t->h->st, tui_param_cb, &f, NULL);
	return f.value;
}

/* ====================================================================== */
/* services for views                                                     */
/* ====================================================================== */

void tui_toast(struct tui *t, enum ui_level level, const char *fmt, ...)
{
	struct tui_shell *s = tui_shell(t);
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	int64_t ttl = level == UI_ERROR ? 12000 : level == UI_WARNING ? 8000 : 5000;
	ui_toast_set(&s->toast, level, t->now ? t->now : mv_now_ms(), ttl, "%s", msg);
	s->pending |= TUI_DRAW_ALL;
}

void tui_confirm(struct tui *t, const char *title, const char *text, const char *yes,
		 void (*on_yes)(struct tui *t, void *ud), void *ud)
{
	struct tui_shell *s = tui_shell(t);
	ui_confirm_open(&s->confirm, title, text, yes, "Cancel");
	s->confirm_yes = on_yes;
	s->confirm_ud = ud;
	s->pending |= TUI_DRAW_ALL;
}

/* ---- crisis words in what people submit (core/crisis.h) ---------------- */

void tui_crisis_check(struct tui *t, const char *text)
{
	if (text && crisis_detect(text, strlen(text), NULL, 0))
		tui_shell(t)->crisis_pending = true;
}

bool tui_crisis_take(struct tui *t)
{
	struct tui_shell *s = tui_shell(t);
	bool was = s->crisis_words;
	s->crisis_words = false;
	return was;
}

/* The form hook (widgets.h): every text field of a form as it is
 * submitted, except the filter line's. */
static void tui_form_submitted(void *ud, const struct ui_form *form)
{
	struct tui_shell *s = ud;
	if (form == &s->filter)
		return;
	for (size_t i = 0; i < form->n; i++)
		if (form->f[i].kind == UF_TEXT)
			tui_crisis_check(&s->t, form->f[i].buf);
}

static void tui_push_index(struct tui_shell *s, int idx);

/* After a key was handled (the view saved or sent the text) and once no
 * dialog waits for an answer: the crisis screen, told why it opened. */
static int tui_crisis_open(struct tui_shell *s)
{
	if (!s->crisis_pending || s->confirm.active)
		return 0;
	s->crisis_pending = false;
	int idx = tui_view_index("crisis");
	if (idx < 0 || tui_cur(s) == idx)
		return 0;
	s->crisis_words = true;
	tui_push_index(s, idx);
	return TUI_DRAW_ALL;
}

static void tui_show(struct tui_shell *s)
{
	const struct view_ops *v = tui_cur_ops(s);
	if (s->filtering) {
		s->filtering = false;
		ui_form_free(&s->filter);
	}
	if (v->show)
		v->show(&s->t, tui_cur_state(s));
	s->pending |= TUI_DRAW_ALL;
}

/* Is view i in the navigation for the current role? */
static bool tui_nav_shown(int i)
{
	const struct view_ops *v = tui_views[i];
	if (!v->in_nav)
		return false;
	if (!v->roles)
		return true;
	size_t n = strlen(tui_nav_role);
	for (const char *p = v->roles; n && (p = strstr(p, tui_nav_role)) != NULL; p += n)
		if ((p == v->roles || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* Navigation position (0-based among shown views) of view idx, or -1. */
static int tui_nav_pos(int idx)
{
	int pos = 0;
	for (int i = 0; tui_views[i]; i++) {
		if (!tui_nav_shown(i))
			continue;
		if (i == idx)
			return pos;
		pos++;
	}
	return -1;
}

static int tui_nav_view(int pos)
{
	int p = 0;
	for (int i = 0; tui_views[i]; i++) {
		if (!tui_nav_shown(i))
			continue;
		if (p++ == pos)
			return i;
	}
	return -1;
}

static int tui_nav_count(void)
{
	int n = 0;
	for (int i = 0; tui_views[i]; i++)
		n += tui_nav_shown(i);
	return n;
}

static void tui_goto_index(struct tui_shell *s, int idx)
{
	if (idx < 0)
		return;
	s->t.under = NULL;
	s->stack[0] = idx;
	s->depth = 1;
	int pos = tui_nav_pos(idx);
	if (pos >= 0)
		s->nav_sel = pos;
	tui_show(s);
}

static void tui_push_index(struct tui_shell *s, int idx)
{
	if (idx < 0 || tui_cur(s) == idx)
		return;
	if (s->depth >= TUI_STACK) {
		memmove(s->stack + 1, s->stack + 2, (TUI_STACK - 2) * sizeof s->stack[0]);
		s->depth--;
	}
	s->stack[s->depth++] = idx;
	tui_show(s);
}

void tui_goto(struct tui *t, const char *name)
{
	tui_goto_index(tui_shell(t), tui_view_index(name));
}

void tui_push(struct tui *t, const char *name)
{
	struct tui_shell *s = tui_shell(t);
	int idx = tui_view_index(name);
	if (idx >= 0 && strcmp(name, "help") == 0 && tui_cur(s) != idx)
		t->under = tui_cur_ops(s);
	tui_push_index(s, idx);
}

static void tui_pop(struct tui_shell *s)
{
	if (s->depth > 1) {
		s->depth--;
		tui_show(s);
	}
}

bool tui_switch_identity(struct tui *t, const char *name)
{
	uint8_t pk[32];
	struct mv_err err;
	mv_err_clear(&err);
	if (keystore_public(t->h->keydir, name, pk, &err) != MV_OK) {
		tui_toast(t, UI_ERROR, "cannot use %s: %s", name, err.msg);
		return false;
	}
	snprintf(t->as, sizeof t->as, "%s", name);
	memcpy(t->as_pk, pk, 32);
	t->has_as = true;
	tui_reload(tui_shell(t));
	tui_toast(t, UI_SUCCESS, "now acting as %s (%s)", t->as, t->role);
	return true;
}

bool tui_start_job(struct tui *t, const struct tui_job *job)
{
	struct tui_shell *s = tui_shell(t);
	if (s->job_on)
		return false;
	s->job = *job;
	s->job_on = true;
	s->job_done = s->job_total = 0;
	s->pending |= TUI_DRAW_ALL;
	return true;
}

bool tui_job_running(const struct tui *t)
{
	return ((const struct tui_shell *)t)->job_on;
}

int tui_submit(struct tui *t, const char *kind, int nfields, char *const *fields,
	       struct submit_result *out)
{
	struct submit_result res;
	struct mv_err err;
	memset(&res, 0, sizeof res);
	mv_err_clear(&err);
	if (!t->has_as) {
		tui_toast(t, UI_ERROR, "no identity to act as: create one in Identities");
		return MV_ENOTFOUND;
	}
	int rc = home_submit_fields(t->h, t->as, kind, nfields, fields, &res, &err);
	if (out)
		*out = res;
	return tui_submitted(t, rc, &res, &err);
}

int tui_submitted(struct tui *t, int rc, const struct submit_result *res,
		  const struct mv_err *err)
{
	if (rc != MV_OK) {
		tui_toast(t, UI_ERROR, "%s", err->msg[0] ? err->msg : "the op could not be made");
		return rc;
	}
	tui_reload(tui_shell(t));
	netsync_kick(t->sync); /* share the new op with peers now */
	if (res->outcome == 0) {
		tui_toast(t, UI_ERROR, "rejected: %s", res->reason);
		return MV_EREJECT;
	}
	if (res->outcome < 0) {
		tui_toast(t, UI_WARNING, "stored, waiting to be applied");
		return MV_OK;
	}
	return MV_OK;
}

int tui_list_action(struct ui_list *l, enum tui_action a)
{
	long page = l->rows > 1 ? l->rows - 1 : 1;
	switch (a) {
	case ACT_UP: ui_list_move(l, -1); break;
	case ACT_DOWN: ui_list_move(l, 1); break;
	case ACT_PAGE_UP: ui_list_move(l, -page); break;
	case ACT_PAGE_DOWN: ui_list_move(l, page); break;
	case ACT_TOP: ui_list_top(l); break;
	case ACT_BOTTOM: ui_list_bottom(l); break;
	default: return TUI_UNHANDLED;
	}
	return TUI_DRAW_VIEW;
}

void tui_view_title(struct tui *t, const char *title, const char *right)
{
	int rw = right ? ui_text_width(right) : 0;
	ui_put(stdscr, t->main_y, t->main_x, t->main_w, theme_attr(TH_TITLE), title);
	if (right && rw < t->main_w - ui_text_width(title) - 2)
		ui_put(stdscr, t->main_y, t->main_x + t->main_w - rw, rw, theme_attr(TH_DIM), right);
}

/* ====================================================================== */
/* drawing                                                                */
/* ====================================================================== */

/* The upgrade banner for the current width: the longest form that fits
 * (the shortest, clipped, on a very narrow screen); "" when there is none. */
static void tui_banner_text(struct tui_shell *s)
{
	struct tui *t = &s->t;
	char line[sizeof s->banner];
	s->banner[0] = '\0';
	for (int terse = 0; terse < 3; terse++) {
		if (!upgrade_banner_text(&s->upgrade, t->now, terse, line + 1, sizeof line - 1))
			return;
		line[0] = ' ';
		snprintf(s->banner, sizeof s->banner, "%s", line);
		if (ui_text_width(line) + 1 <= t->cols)
			return;
	}
}

/* Rows: the top bar, the banner when there is one (it takes a row from
 * the main view, which every view sizes from main_h), the main view with
 * the navigation beside it, the message line and the key bar. */
static void tui_layout(struct tui_shell *s)
{
	struct tui *t = &s->t;
	getmaxyx(stdscr, t->rows, t->cols);
	s->too_small = t->cols < TUI_MIN_COLS || t->rows < TUI_MIN_ROWS;
	s->navw = t->cols >= 110 ? 18 : 15;
	tui_banner_text(s);
	t->main_y = s->banner[0] ? 2 : 1;
	t->main_h = t->rows - 2 - t->main_y;
	t->main_x = s->navw + 2;
	t->main_w = t->cols - t->main_x - 1;
}

static void tui_draw_small(struct tui_shell *s)
{
	struct tui *t = &s->t;
	const char *lines[] = {
		"Terminal too small", NULL,
		"Crisis? 988 (US) · 116 123 (UK/IE) · 112 (EU)",
		"q quits",
	};
	char size[64];
	snprintf(size, sizeof size, "need %dx%d, have %dx%d", TUI_MIN_COLS, TUI_MIN_ROWS, t->cols, t->rows);
	lines[1] = size;
	for (int i = 0; i < 4 && i < t->rows; i++)
		ui_put(stdscr, i, 0, t->cols, theme_attr(i == 0 ? TH_ERR : i == 2 ? TH_CRISIS : TH_NORMAL),
		       lines[i]);
}

/* Top bar: network, identity and role, online state, ops not yet sent. */
static void tui_draw_top(struct tui_shell *s)
{
	struct tui *t = &s->t;
	char left[256], who[128], right[128], clock[16];
	struct ui_civil c;
	ui_civil_from_ms(t->now, &c);
	snprintf(clock, sizeof clock, "%02d:%02d UTC", c.hour, c.min);
	snprintf(left, sizeof left, " MentalVerse ▸ %s ", t->network);
	if (t->has_as)
		snprintf(who, sizeof who, " %s · %s ", t->as, t->role);
	else
		snprintf(who, sizeof who, " no identity ");
	/* online/offline, last sync and unsent ops, shortened until it fits */
	struct netsync_status ns;
	char net[96];
	netsync_get(t->sync, &ns);
	for (int size = 0; size < 4; size++) {
		netsync_topbar(net, sizeof net, size, &ns, netsync_interval(t->sync), s->sync_stored,
			       s->unsent, t->now);
		snprintf(right, sizeof right, "%s%s%s", net, size == 0 ? clock : "", size == 0 ? " " : "");
		if (ui_text_width(left) + ui_text_width(who) + ui_text_width(right) <= t->cols)
			break;
	}
	ui_fill(stdscr, 0, 0, t->cols, theme_attr(TH_TOPBAR));
	int x = ui_put(stdscr, 0, 0, t->cols, theme_attr(TH_TOPBAR) | A_BOLD, left);
	int rw = ui_text_width(right);
	int room = t->cols - x - rw;
	x += ui_put(stdscr, 0, x, room > 0 ? room : 0, theme_attr(TH_TOPBAR_HI), who);
	if (x + rw <= t->cols)
		ui_put(stdscr, 0, t->cols - rw, rw, theme_attr(TH_TOPBAR), right);
}

/* The upgrade banner under the top bar (tui_banner_text). */
static void tui_draw_banner(struct tui_shell *s)
{
	struct tui *t = &s->t;
	if (!s->banner[0])
		return;
	int attr = theme_attr(s->upgrade.us.required ? TH_ERR : TH_WARN) | A_REVERSE | A_BOLD;
	ui_fill(stdscr, 1, 0, t->cols, attr);
	ui_put(stdscr, 1, 0, t->cols, attr, s->banner);
}

/* Rows the navigation has for entries (its last row may hold the crisis
 * label, drawn only when there is room). */
static int tui_nav_rows(const struct tui_shell *s)
{
	return s->t.main_h - 1 > 1 ? s->t.main_h - 1 : 1;
}

/* Scroll the navigation so entry pos shows. */
static void tui_nav_reveal(struct tui_shell *s, int pos)
{
	int rows = tui_nav_rows(s), n = tui_nav_count();
	if (pos < 0)
		return;
	if (pos < s->nav_top)
		s->nav_top = pos;
	if (pos >= s->nav_top + rows)
		s->nav_top = pos - rows + 1;
	if (s->nav_top > n - rows)
		s->nav_top = n - rows > 0 ? n - rows : 0;
	if (s->nav_top < 0)
		s->nav_top = 0;
}

static void tui_draw_nav(struct tui_shell *s)
{
	struct tui *t = &s->t;
	int cur = tui_cur(s), base = s->stack[0];
	int y = t->main_y + 1;
	snprintf(tui_nav_role, sizeof tui_nav_role, "%s", t->role);
	int here_pos = tui_nav_pos(cur) >= 0 ? tui_nav_pos(cur) : tui_nav_pos(base);
	tui_nav_reveal(s, t->focus_main ? here_pos : s->nav_sel);
	for (int i = 0, pos = 0; tui_views[i] && y < t->main_y + t->main_h; i++) {
		if (!tui_nav_shown(i))
			continue;
		if (pos < s->nav_top) {
			pos++;
			continue;
		}
		bool here = i == cur || (i == base && tui_nav_pos(cur) < 0);
		bool focus = !t->focus_main && pos == s->nav_sel;
		int attr = theme_attr(focus ? TH_NAV_FOCUS : here ? TH_NAV_CUR : TH_NAV);
		ui_fill(stdscr, y, 0, s->navw, focus ? attr : (int)A_NORMAL);
		ui_putf(stdscr, y, 0, s->navw, attr, "%s%d %s", here ? "▸" : " ", pos + 1,
			tui_views[i]->title);
		y += 1;
		pos++;
	}
	int by = t->main_y + t->main_h - 1;
	if (by > y)
		ui_put(stdscr, by, 1, s->navw - 1, theme_attr(TH_CRISIS), " ! crisis ");
	ui_vline(stdscr, t->main_y, s->navw, t->main_h, theme_attr(TH_BORDER));
}

/* One key-bar entry; returns the new x or -1 if it did not fit. */
static int tui_keybar_entry(struct tui_shell *s, int x, int limit, enum tui_action a)
{
	const struct tui_action_def *d = tui_action_def(a);
	char kb[32], key[40];
	if (!d->label[0])
		return x;
	snprintf(key, sizeof key, " %s ", tui_action_key_name(a, kb, sizeof kb));
	int w = ui_text_width(key) + ui_text_width(d->label) + 1;
	if (x + w > limit)
		return -1;
	int x0 = x;
	x += ui_put(stdscr, s->t.rows - 1, x, w, theme_attr(TH_KEY), key);
	x += ui_put(stdscr, s->t.rows - 1, x, w, theme_attr(TH_KEYBAR), d->label);
	x += 1;
	if (s->nhits < TUI_HITS)
		s->hits[s->nhits++] = (struct tui_hit){ x0, x, a };
	return x;
}

static void tui_draw_keybar(struct tui_shell *s)
{
	struct tui *t = &s->t;
	const struct view_ops *v = tui_cur_ops(s);
	const enum tui_action *acts = v->actions_now ? v->actions_now(t, tui_cur_state(s)) : NULL;
	static const enum tui_action tail[] = { ACT_HELP, ACT_QUIT, ACT_NONE };
	if (!acts)
		acts = v->actions;
	s->nhits = 0;
	ui_fill(stdscr, t->rows - 1, 0, t->cols, theme_attr(TH_KEYBAR));
	/* crisis is always shown, at the right end */
	char kb[32];
	int cw = ui_text_width(tui_action_key_name(ACT_CRISIS, kb, sizeof kb)) + 2 +
		 ui_text_width(tui_action_def(ACT_CRISIS)->label) + 1;
	int limit = t->cols - cw;
	int x = 0;
	for (size_t i = 0; acts && acts[i] != ACT_NONE && x >= 0; i++)
		x = tui_keybar_entry(s, x, limit, acts[i]);
	if (x >= 0 && v->filter && acts == v->actions && s->filter_of[tui_cur(s)][0] == '\0')
		x = tui_keybar_entry(s, x, limit, ACT_FILTER);
	for (size_t i = 0; tail[i] != ACT_NONE && x >= 0; i++)
		x = tui_keybar_entry(s, x, limit, tail[i]);
	tui_keybar_entry(s, limit, t->cols, ACT_CRISIS);
}

/* The message line: job progress, the filter being typed, or the toast. */
static void tui_draw_message(struct tui_shell *s)
{
	struct tui *t = &s->t;
	int y = t->rows - 2;
	if (s->filtering) {
		int cy, cx;
		ui_fill(stdscr, y, 0, t->cols, A_NORMAL);
		ui_put(stdscr, y, 0, 9, theme_attr(TH_KEY), " filter ");
		char right[64];
		if (s->job_on)
			snprintf(right, sizeof right, "%s %3d%%", s->job.label,
				 ui_progress_percent(s->job_done, s->job_total));
		else
			snprintf(right, sizeof right, "Enter keep · Esc clear");
		ui_put(stdscr, y, t->cols - 24, 24, theme_attr(TH_DIM), right);
		s->filter.title[0] = '\0';
		struct ui_field *f = &s->filter.f[0];
		int fw = t->cols - 35;
		int cc = ui_field_cursor_col(f, fw > 4 ? fw : 4);
		ui_put(stdscr, y, 9, fw, theme_attr(TH_FIELD_FOCUS), "");
		ui_fill(stdscr, y, 9, fw, theme_attr(TH_FIELD_FOCUS));
		ui_put(stdscr, y, 9, fw, theme_attr(TH_FIELD_FOCUS), f->buf);
		cy = y;
		cx = 9 + cc;
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	if (s->job_on) {
		ui_progress_draw(stdscr, y, 0, t->cols, s->job.label, s->job_done, s->job_total);
		return;
	}
	const char *needle = s->filter_of[tui_cur(s)];
	if (!s->toast.msg[0] && needle[0]) {
		ui_fill(stdscr, y, 0, t->cols, A_NORMAL);
		ui_putf(stdscr, y, 0, t->cols, theme_attr(TH_DIM), "filter: %s  (/ change · Esc clear)", needle);
		return;
	}
	ui_toast_draw(stdscr, &s->toast, y, 0, t->cols);
}

static void tui_draw(struct tui_shell *s)
{
	struct tui *t = &s->t;
	erase();
	t->cur_y = t->cur_x = -1;
	if (s->too_small) {
		tui_draw_small(s);
		return;
	}
	tui_draw_top(s);
	tui_draw_banner(s);
	tui_draw_nav(s);
	const struct view_ops *v = tui_cur_ops(s);
	v->draw(t, tui_cur_state(s));
	tui_draw_message(s);
	tui_draw_keybar(s);
	if (s->confirm.active) {
		t->cur_y = -1;
		ui_confirm_draw(stdscr, &s->confirm, t->rows, t->cols);
	}
}

/* Refresh the current view if data changed since it last loaded. */
static void tui_freshen(struct tui_shell *s)
{
	int i = tui_cur(s);
	if (s->seen_gen[i] != s->t.gen) {
		s->seen_gen[i] = s->t.gen;
		if (tui_views[i]->reload)
			tui_views[i]->reload(&s->t, s->vst[i]);
	}
}

void tui_render(struct tui *t)
{
	struct tui_shell *s = tui_shell(t);
	if (!s->pending)
		return;
	if (s->pending & TUI_RELOAD)
		tui_reload(s);
	tui_layout(s);
	tui_freshen(s);
	tui_draw(s);
	if (t->cur_y >= 0 && t->cur_x >= 0 && t->cur_x < t->cols) {
		curs_set(1);
		move(t->cur_y, t->cur_x);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
	s->pending = 0;
}

/* ====================================================================== */
/* input                                                                  */
/* ====================================================================== */

static void tui_quit_yes(struct tui *t, void *ud)
{
	tui_shell(t)->quit = true;
}

static int tui_ask_quit(struct tui_shell *s)
{
	for (size_t i = 0; i < s->nviews; i++) {
		const struct view_ops *v = tui_views[i];
		if (v->dirty && v->dirty(&s->t, s->vst[i])) {
			char text[160];
			snprintf(text, sizeof text, "%s has input that was not sent. Quit anyway?", v->title);
			tui_confirm(&s->t, "Unsaved input", text, "Quit", tui_quit_yes, NULL);
			return TUI_DRAW_ALL;
		}
	}
	s->quit = true;
	return TUI_QUIT;
}

static void tui_filter_begin(struct tui_shell *s)
{
	ui_form_init(&s->filter, "");
	struct ui_field *f = ui_form_add(&s->filter, UF_TEXT, "Filter", false, NULL);
	f->max_bytes = sizeof s->filter_of[0] - 1;
	ui_field_set_text(f, s->filter_of[tui_cur(s)]);
	s->filtering = true;
	s->t.focus_main = true;
}

static int tui_filter_apply(struct tui_shell *s, const char *needle)
{
	const struct view_ops *v = tui_cur_ops(s);
	snprintf(s->filter_of[tui_cur(s)], sizeof s->filter_of[0], "%s", needle);
	int r = v->filter ? v->filter(&s->t, tui_cur_state(s), needle) : 0;
	return r | TUI_DRAW_ALL;
}

static int tui_filter_key(struct tui_shell *s, int key)
{
	enum ui_form_result r = ui_form_key(&s->filter, key);
	if (ui_key_is_enter(key) || r == UI_FORM_SUBMIT) {
		s->filtering = false;
		return TUI_DRAW_ALL;
	}
	if (r == UI_FORM_CANCEL) {
		s->filtering = false;
		return tui_filter_apply(s, "");
	}
	if (r == UI_FORM_CHANGED)
		return tui_filter_apply(s, s->filter.f[0].buf);
	return TUI_DRAW_ALL;
}

static int tui_switch_role(struct tui_shell *s, const char *prefix);

static int tui_nav_action(struct tui_shell *s, enum tui_action a)
{
	int n = tui_nav_count();
	switch (a) {
	case ACT_UP:
	case ACT_DOWN:
		s->nav_sel = (s->nav_sel + (a == ACT_UP ? n - 1 : 1)) % n;
		tui_goto_index(s, tui_nav_view(s->nav_sel));
		return TUI_DRAW_ALL;
	case ACT_TOP:
		s->nav_sel = 0;
		tui_goto_index(s, tui_nav_view(0));
		return TUI_DRAW_ALL;
	case ACT_BOTTOM:
		s->nav_sel = n - 1;
		tui_goto_index(s, tui_nav_view(n - 1));
		return TUI_DRAW_ALL;
	case ACT_ENTER:
	case ACT_RIGHT:
		s->t.focus_main = true;
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

static int tui_back(struct tui_shell *s)
{
	if (s->filter_of[tui_cur(s)][0])
		return tui_filter_apply(s, "");
	if (s->depth > 1) {
		tui_pop(s);
		return TUI_DRAW_ALL;
	}
	if (s->t.focus_main) {
		s->t.focus_main = false;
		return TUI_DRAW_ALL;
	}
	return TUI_HANDLED;
}

/* Shell actions first, then the view's, then shell fallbacks. */
static int tui_action(struct tui_shell *s, enum tui_action a)
{
	struct tui *t = &s->t;
	const struct view_ops *v = tui_cur_ops(s);
	int r;
	switch (a) {
	case ACT_NONE: return TUI_HANDLED;
	case ACT_QUIT: return tui_ask_quit(s);
	case ACT_HELP:
		if (strcmp(v->name, "help") == 0)
			tui_pop(s);
		else
			tui_push(t, "help");
		return TUI_DRAW_ALL;
	case ACT_CRISIS: tui_push(t, "crisis"); return TUI_DRAW_ALL;
	case ACT_FOCUS_NEXT:
	case ACT_FOCUS_PREV: t->focus_main = !t->focus_main; return TUI_DRAW_ALL;
	case ACT_FILTER:
		if (!v->filter)
			return TUI_HANDLED;
		tui_filter_begin(s);
		return TUI_DRAW_ALL;
	case ACT_RELOAD: return TUI_RELOAD | TUI_DRAW_ALL;
	case ACT_REDRAW: clearok(curscr, TRUE); return TUI_DRAW_ALL;
	default: break;
	}
	if (a >= ACT_VIEW1 && a <= ACT_VIEW9) {
		int idx = tui_nav_view((int)(a - ACT_VIEW1));
		if (idx >= 0) {
			tui_goto_index(s, idx);
			t->focus_main = true;
		}
		return TUI_DRAW_ALL;
	}
	if (!t->focus_main && (r = tui_nav_action(s, a)) != TUI_UNHANDLED)
		return r;
	if (v->action && (r = v->action(t, tui_cur_state(s), a)) != TUI_UNHANDLED)
		return r;
	switch (a) {
	case ACT_BACK: return tui_back(s);
	case ACT_LEFT:
		t->focus_main = false;
		return TUI_DRAW_ALL;
	case ACT_SWITCH_PATIENT: return tui_switch_role(s, "patient-");
	case ACT_SWITCH_THERAPIST: return tui_switch_role(s, "therapist-");
	case ACT_SWITCH_MEMBER: return tui_switch_role(s, "member-");
	case ACT_SWITCH_COUNCIL: return tui_switch_role(s, "council-");
	default: return TUI_HANDLED;
	}
}

struct tui_role_find {
	const char *prefix;
	const char *after; /* pick the first name after this one (cycling) */
	char first[KS_NAME_MAX + 1], next[KS_NAME_MAX + 1];
};

static int tui_role_find_cb(void *ud, const char *name, const uint8_t pk[32])
{
	struct tui_role_find *f = ud;
	if (strncmp(name, f->prefix, strlen(f->prefix)) != 0)
		return 0;
	if (!f->first[0])
		snprintf(f->first, sizeof f->first, "%s", name);
	if (!f->next[0] && strcmp(name, f->after) > 0)
		snprintf(f->next, sizeof f->next, "%s", name);
	return 0;
}

/* Switch to the first identity whose name starts with prefix; pressing the
 * key again while acting as one cycles through the others. */
static int tui_switch_role(struct tui_shell *s, const char *prefix)
{
	struct tui *t = &s->t;
	bool same = strncmp(t->as, prefix, strlen(prefix)) == 0;
	struct tui_role_find f = { prefix, same ? t->as : "", "", "" };
	keystore_list(t->h->keydir, tui_role_find_cb, &f, NULL);
	const char *pick = same && f.next[0] ? f.next : f.first;
	if (!pick[0]) {
		tui_toast(t, UI_WARNING, "no %s… identity in this home", prefix);
		return TUI_DRAW_ALL;
	}
	tui_switch_identity(t, pick);
	return TUI_RELOAD | TUI_DRAW_ALL;
}

static int tui_mouse(struct tui_shell *s)
{
	struct tui *t = &s->t;
	MEVENT ev;
	if (getmouse(&ev) != OK || s->too_small)
		return TUI_HANDLED;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED))
		return tui_feed(t, ev.bstate & BUTTON4_PRESSED ? UI_FN(KEY_UP) : UI_FN(KEY_DOWN));
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED)))
		return TUI_HANDLED;
	if (ev.bstate & BUTTON1_RELEASED && !(ev.bstate & BUTTON1_CLICKED))
		return TUI_HANDLED;
	if (s->confirm.active)
		return TUI_HANDLED;
	if (ev.y == t->rows - 1) {
		for (size_t i = 0; i < s->nhits; i++)
			if (ev.x >= s->hits[i].x0 && ev.x < s->hits[i].x1)
				return tui_action(s, s->hits[i].a);
		return TUI_HANDLED;
	}
	if (ev.x < s->navw && ev.y > t->main_y && ev.y < t->main_y + t->main_h) {
		int idx = tui_nav_view(ev.y - t->main_y - 1 + s->nav_top);
		if (idx >= 0) {
			tui_goto_index(s, idx);
			t->focus_main = false;
		}
		return TUI_DRAW_ALL;
	}
	if (ev.x >= t->main_x && ev.y >= t->main_y && ev.y < t->main_y + t->main_h) {
		const struct view_ops *v = tui_cur_ops(s);
		t->focus_main = true;
		int r = v->click ? v->click(t, tui_cur_state(s), ev.y - t->main_y, ev.x - t->main_x) : 0;
		return r | TUI_DRAW_ALL;
	}
	return TUI_HANDLED;
}

static void tui_confirm_result(struct tui_shell *s, enum ui_confirm_result r)
{
	void (*yes)(struct tui *t, void *ud) = s->confirm_yes;
	void *ud = s->confirm_ud;
	s->confirm_yes = NULL;
	s->confirm_ud = NULL;
	if (r == UI_CONFIRM_YES && yes)
		yes(&s->t, ud);
}

int tui_feed(struct tui *t, int key)
{
	struct tui_shell *s = tui_shell(t);
	int r;
	if (key == UI_FN(KEY_RESIZE))
		r = TUI_DRAW_ALL;
	else if (key == UI_FN(KEY_MOUSE))
		r = tui_mouse(s);
	else if (s->too_small)
		r = key == 'q' ? tui_ask_quit(s) : TUI_DRAW_ALL;
	else if (tui_action_for_key(key) == ACT_CRISIS) {
		/* always reachable: a dialog or the filter line is set aside */
		if (s->confirm.active) {
			s->confirm.active = false;
			s->confirm_yes = NULL;
		}
		s->filtering = false;
		r = tui_action(s, ACT_CRISIS);
	} else if (s->confirm.active) {
		enum ui_confirm_result cr = ui_confirm_key(&s->confirm, key);
		if (cr != UI_CONFIRM_NONE)
			tui_confirm_result(s, cr);
		r = TUI_DRAW_ALL;
	} else if (s->filtering) {
		r = tui_filter_key(s, key);
	} else {
		const struct view_ops *v = tui_cur_ops(s);
		r = TUI_UNHANDLED;
		if (t->focus_main && v->key)
			r = v->key(t, tui_cur_state(s), key);
		if (r == TUI_UNHANDLED)
			r = tui_action(s, tui_action_for_key(key));
	}
	r |= tui_crisis_open(s);
	if (s->quit)
		r |= TUI_QUIT;
	s->pending |= r & ~TUI_QUIT;
	if (r & (TUI_DRAW_VIEW | TUI_RELOAD))
		s->pending |= TUI_DRAW_ALL;
	return r;
}

/* ====================================================================== */
/* loop, timers, jobs                                                     */
/* ====================================================================== */

static void tui_job_step(struct tui_shell *s)
{
	struct mv_err err;
	mv_err_clear(&err);
	int rc = s->job.step(&s->t, s->job.ud, TUI_JOB_BUDGET_MS, &s->job_done, &s->job_total, &err);
	s->pending |= TUI_DRAW_ALL;
	if (rc == 0)
		return;
	s->job_on = false;
	if (rc < 0)
		tui_toast(&s->t, UI_ERROR, "%s: %s", s->job.label, err.msg);
	if (s->job.finish)
		s->job.finish(&s->t, s->job.ud, rc);
}

/* Background sync: progress redraws; a finished round may have changed the
 * store (and peers), and a round the user asked for ends with a toast. */
static void tui_sync_poll(struct tui_shell *s)
{
	struct tui *t = &s->t;
	int f = netsync_poll(t->sync, t->now);
	if (f & NETSYNC_PROGRESS)
		s->pending |= TUI_DRAW_ALL;
	if (!(f & NETSYNC_DONE))
		return;
	struct netsync_status ns;
	char text[700];
	netsync_get(t->sync, &ns);
	store_reset_all(t->h->st); /* see what the sync thread wrote */
	s->pending |= TUI_RELOAD | TUI_DRAW_ALL;
	if (f & NETSYNC_ASKED) {
		netsync_summary(text, sizeof text, &ns, true);
		tui_toast(t, ns.last_ok ? (ns.last_failed ? UI_WARNING : UI_SUCCESS) : UI_ERROR, "%s", text);
	}
}

/* Timers: toast expiry, the clock in the top bar, changes made to the
 * store by another process (the CLI) and background sync. */
static void tui_tick(struct tui_shell *s)
{
	struct tui *t = &s->t;
	int64_t prev = t->now;
	t->now = mv_now_ms();
	if (ui_toast_expire(&s->toast, t->now))
		s->pending |= TUI_DRAW_ALL;
	if (prev / 60000 != t->now / 60000)
		s->pending |= TUI_DRAW_ALL;
	if (t->now - s->last_poll >= TUI_POLL_MS && t->h->st) {
		s->last_poll = t->now;
		store_reset_all(t->h->st); /* drop any read snapshot: see other writers */
		size_t n = query_log_count(t->h->st) + query_pending_count(t->h->st);
		if (n != s->seen_count)
			s->pending |= TUI_RELOAD | TUI_DRAW_ALL;
	}
	tui_sync_poll(s);
}

/* A key, or 0 when none came within the timeout. A terminal that went
 * away (its window closed, tmux killed) without a SIGHUP reaching us - the
 * signal goes to the session leader, which may be `make run` - makes every
 * read fail at once: poll says so, and the app ends as on SIGHUP instead
 * of spinning on the dead terminal. */
static int tui_read_key(void)
{
	wint_t ch;
	int r = get_wch(&ch);
	if (r == ERR) {
		struct pollfd p = {STDIN_FILENO, POLLIN, 0};
		if (poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
			tui_signal = SIGHUP;
		return 0;
	}
	return r == KEY_CODE_YES ? UI_FN((int)ch) : (int)ch;
}

int tui_run(struct tui *t)
{
	struct tui_shell *s = tui_shell(t);
	s->pending |= TUI_DRAW_ALL;
	while (!s->quit && !tui_signal) {
		tui_tick(s);
		tui_render(t);
		timeout(s->job_on ? 0 : TUI_IDLE_MS);
		int key = tui_read_key();
		if (key == 0) {
			if (s->job_on)
				tui_job_step(s);
			continue;
		}
		tui_feed(t, key);
	}
	if (tui_signal)
		s->exit_code = 128 + (int)tui_signal;
	return s->exit_code;
}

/* ====================================================================== */
/* passphrase prompt                                                      */
/* ====================================================================== */

/* Asks for a passphrase in a small modal box: the only nested input loop,
 * since the core asks while an op is being built. Esc cancels. */
static int tui_ask_pass(void *ud, const char *name, char *buf, size_t buflen)
{
	struct tui_shell *s = ud;
	struct ui_form f;
	char title[96];
	int rc = MV_ECRYPTO;
	snprintf(title, sizeof title, "Unlock %s", name);
	/* repaint under the prompt (a dialog that led here has closed) */
	tui_layout(s);
	tui_draw(s);
	ui_form_init(&f, "");
	ui_form_add(&f, UF_SECRET, "Passphrase", false, "Enter unlocks · Esc cancels");
	while (!tui_signal) {
		int rows, cols, cy, cx;
		getmaxyx(stdscr, rows, cols);
		int w = cols - 4 < 56 ? cols - 4 : 56, y = rows / 2 - 3, x = (cols - w) / 2;
		ui_box(stdscr, y, x, 6, w, theme_attr(TH_BORDER), title);
		ui_form_draw(stdscr, &f, y + 2, x + 2, w - 4, true, &cy, &cx);
		if (cy >= 0) {
			curs_set(1);
			move(cy, cx);
		}
		refresh();
		timeout(TUI_IDLE_MS);
		int key = tui_read_key();
		if (key == 0 || key == UI_FN(KEY_RESIZE))
			continue;
		enum ui_form_result r = ui_form_key(&f, key);
		if (r == UI_FORM_SUBMIT) {
			snprintf(buf, buflen, "%s", f.f[0].buf);
			rc = MV_OK;
			break;
		}
		if (r == UI_FORM_CANCEL)
			break;
	}
	memset(&f, 0, sizeof f);
	s->pending |= TUI_DRAW_ALL;
	return rc;
}

/* ====================================================================== */
/* open, close, terminal                                                  */
/* ====================================================================== */

struct tui *tui_open(struct home *h, const char *as, struct mv_err *err)
{
	struct tui_shell *s = calloc(1, sizeof *s);
	if (!s) {
		mv_fail(err, MV_ERR, "out of memory");
		return NULL;
	}
	struct tui *t = &s->t;
	t->h = h;
	t->now = mv_now_ms();
	t->focus_main = true;
	s->nviews = tui_view_count();
	if (s->nviews > TUI_MAX_VIEWS)
		s->nviews = TUI_MAX_VIEWS;
	char name[KS_NAME_MAX + 1] = "";
	if (as && as[0])
		snprintf(name, sizeof name, "%s", as);
	else
		home_default_identity(h, name, sizeof name, NULL);
	tui_reload(s);
	if (name[0] && keystore_public(h->keydir, name, t->as_pk, NULL) == MV_OK) {
		snprintf(t->as, sizeof t->as, "%s", name);
		t->has_as = true;
	}
	tui_reload(s);
	for (size_t i = 0; i < s->nviews; i++) {
		if (tui_views[i]->init && !tui_views[i]->init(t, &s->vst[i])) {
			tui_close(t);
			mv_fail(err, MV_ERR, "out of memory starting the %s screen", tui_views[i]->name);
			return NULL;
		}
	}
	s->old_ask = h->ask_pass;
	s->old_ud = h->ask_ud;
	h->ask_pass = tui_ask_pass;
	h->ask_ud = s;
	ui_form_on_submit(tui_form_submitted, s);
	s->stack[0] = tui_view_index("home");
	s->depth = 1;
	if (h->has_network && netsync_open(&t->sync, h->dir, 0, err) != MV_OK)
		tui_toast(t, UI_WARNING, "no background sync: %s", err->msg);
	if (!h->has_network)
		tui_toast(t, UI_WARNING, "this home has no network yet: run `mentalverse demo` or `mentalverse init`");
	else if (!t->has_as)
		tui_toast(t, UI_WARNING, "no identity: create one in Identities (4, then n)");
	s->pending = TUI_DRAW_ALL;
	return t;
}

void tui_close(struct tui *t)
{
	if (!t)
		return;
	struct tui_shell *s = tui_shell(t);
	netsync_close(t->sync); /* cancels a round in progress and waits for it */
	for (size_t i = 0; i < s->nviews; i++)
		if (s->vst[i] && tui_views[i]->fini)
			tui_views[i]->fini(t, s->vst[i]);
	ui_form_on_submit(NULL, NULL);
	if (t->h->ask_pass == tui_ask_pass) {
		t->h->ask_pass = s->old_ask;
		t->h->ask_ud = s->old_ud;
	}
	if (s->filtering)
		ui_form_free(&s->filter);
	free(s->council);
	free(s);
}

static void tui_on_signal(int sig)
{
	tui_signal = sig;
}

/* A fatal signal: restore the terminal with async-signal-safe calls only
 * (no curses), then die of the same signal. */
static void tui_on_fatal(int sig)
{
	static const char reset[] = "\033[?1000l\033[?1002l\033[?1006l\033[0m\033[?25h\033[?1049l\r\n";
	if (tui_have_tty)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &tui_saved_tty);
	ssize_t w = write(STDOUT_FILENO, reset, sizeof reset - 1);
	(void)w;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void tui_atexit(void)
{
	if (!isendwin())
		endwin();
}

static void tui_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tui_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = tui_on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
}

static void tui_start_curses(void)
{
	initscr();
	cbreak();
	noecho();
	nonl();
	/* ^S submits forms: turn off XON/XOFF flow control, which would freeze
	 * output instead (endwin restores the shell's setting) */
	struct termios tio;
	if (tcgetattr(STDIN_FILENO, &tio) == 0) {
		tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		tcsetattr(STDIN_FILENO, TCSANOW, &tio);
		def_prog_mode();
	}
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	theme_init(!theme_no_color_env());
}

int tui_main(struct home *h, const char *as)
{
	struct mv_err err;
	mv_err_clear(&err);
	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "mentalverse: the terminal app needs a terminal (use a command, see --help)\n");
		return 1;
	}
	tui_have_tty = tcgetattr(STDIN_FILENO, &tui_saved_tty) == 0;
	tui_signal = 0;
	tui_signals();
	atexit(tui_atexit);
	tui_start_curses();
	struct tui *t = tui_open(h, as, &err);
	int rc = 1;
	if (t) {
		rc = tui_run(t);
		tui_close(t);
	}
	endwin();
	if (!t)
		fprintf(stderr, "mentalverse: %s\n", err.msg);
	return rc;
}
