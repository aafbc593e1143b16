/* view_audit.c - the Audit log screen: every op that read, shared, granted
 * or changed access to the data of the identity acted as, and every change
 * of its role, newest first, with who did it, when, the op kind and why
 * (query_audit, subject = this account). Emergency accesses stand out. A
 * council member also sees the anomaly flags (equivocation, bursts of
 * rejected ops, repeated failed verifications) above the log. The entries
 * are contract state: the same on every node, nobody can remove one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_people.h"
#include "core/query_people.h"
#include "ui/view.h"

#define AU_MAX 500 /* the newest entries shown */

struct au_row {
	bool anomaly;
	struct q_audit a;     /* !anomaly */
	struct q_anomaly f;   /* anomaly */
};

struct au_state {
	struct tui *t;
	bool have_acct, council;
	char why[200];        /* why there is no account to show */
	uint8_t acct[32];
	struct au_row *rows;
	size_t n, nflags;
	struct ui_list list;
	int list_y;
};

static bool au_match(void *ud, size_t item, const char *needle);

/* ---- data ------------------------------------------------------------------- */

static struct au_row *au_add(struct au_state *s)
{
	if (s->n >= AU_MAX)
		return NULL;
	struct au_row *r = &s->rows[s->n++];
	memset(r, 0, sizeof *r);
	return r;
}

static int au_flag_cb(void *ud, const struct q_anomaly *f)
{
	struct au_state *s = ud;
	struct au_row *r = au_add(s);
	if (r) {
		r->anomaly = true;
		r->f = *f;
		s->nflags++;
	}
	return 0;
}

static int au_entry_cb(void *ud, const struct q_audit *a)
{
	struct au_row *r = au_add(ud);
	if (r)
		r->a = *a;
	return r ? 0 : 1;
}

static void au_reload(struct tui *t, void *st)
{
	struct au_state *s = st;
	struct mv_err err;
	char needle[sizeof s->list.filter];
	snprintf(needle, sizeof needle, "%s", s->list.filtered ? s->list.filter : "");
	s->n = s->nflags = 0;
	mv_err_clear(&err);
	snprintf(err.msg, sizeof err.msg, "no identity to show the audit log of");
	s->have_acct = t->has_as && t->h->st &&
		       home_people_account(t->h, t->as, s->acct, &err) == MV_OK;
	snprintf(s->why, sizeof s->why, "%.190s", err.msg);
	s->council = strcmp(t->role, "council") == 0;
	mv_err_clear(&err);
	if (s->have_acct && s->council)
		query_anomalies(t->h->st, t->now, au_flag_cb, s, &err);
	if (s->have_acct && query_audit(t->h->st, s->acct, AU_MAX, 0, au_entry_cb, s, &err) < 0)
		tui_toast(t, UI_ERROR, "audit log: %s", err.msg);
	ui_list_filter_clear(&s->list);
	ui_list_set_count(&s->list, s->n);
	if (needle[0])
		ui_list_filter(&s->list, needle, au_match, s);
}

/* ---- drawing ---------------------------------------------------------------- */

static void au_row_text(struct au_state *s, const struct au_row *r, char *out, size_t n)
{
	char when[32];
	if (r->anomaly) {
		ui_fmt_time(when, sizeof when, r->f.time);
		snprintf(out, n, "⚑ %-20s %s · %s", r->f.kind, tui_label(s->t, r->f.account), r->f.detail);
		return;
	}
	ui_fmt_time(when, sizeof when, r->a.time);
	snprintf(out, n, "%s %-14.14s %s", when + 5, tui_label(s->t, r->a.who), r->a.what);
}

static void au_row(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	struct au_state *s = ud;
	const struct au_row *r = &s->rows[item];
	char text[600];
	au_row_text(s, r, text, sizeof text);
	int attr = 0;
	if (r->anomaly)
		attr = theme_attr(TH_WARN);
	else if (strcmp(r->a.kind, "access.emergency") == 0)
		attr = theme_attr(TH_ERR) | (int)A_BOLD;
	ui_put(win, y, x, w, sel ? theme_attr(TH_SEL) : attr, text);
}

/* The selected entry in full under the list. */
static void au_draw_detail(struct tui *t, struct au_state *s, int y)
{
	size_t item;
	char hex[65], when[32];
	if (!ui_list_selected(&s->list, &item))
		return;
	const struct au_row *r = &s->rows[item];
	ui_hline(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_BORDER));
	if (r->anomaly) {
		ui_putf(stdscr, y, t->main_x, t->main_w, A_NORMAL, "%s: %s", r->f.kind, r->f.detail);
		return;
	}
	mv_hex(hex, r->a.op, 32);
	ui_fmt_time(when, sizeof when, r->a.time);
	ui_putf(stdscr, y++, t->main_x, t->main_w, A_BOLD, "%s by %s", r->a.kind, tui_label(t, r->a.who));
	ui_putf(stdscr, y++, t->main_x, t->main_w, A_NORMAL, "%s", r->a.what);
	ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), "%s UTC · op %.16s…", when, hex);
}

static void au_draw(struct tui *t, void *st)
{
	struct au_state *s = st;
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	char right[64];
	snprintf(right, sizeof right, "%zu entries%s", s->n - s->nflags,
		 s->list.filtered ? " (filtered)" : "");
	tui_view_title(t, "Audit log", right);
	if (!s->have_acct) {
		ui_put(stdscr, y, t->main_x, t->main_w, A_NORMAL, s->why);
		return;
	}
	ui_put(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_DIM),
	       s->council ? "Anomaly flags (⚑) for the council, then who touched your data"
			  : "Who read, shared or changed access to your data, and why");
	if (s->n == 0) {
		ui_put(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM), "No entries yet.");
		return;
	}
	if (ui_list_visible(&s->list) == 0)
		ui_put(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM), "Nothing matches the filter.");
	s->list_y = y + 1 - t->main_y;
	ui_list_draw(stdscr, &s->list, y + 1, t->main_x, bottom - y - 6, t->main_w, t->focus_main,
		     au_row, s);
	au_draw_detail(t, s, bottom - 4);
}

/* ---- input ------------------------------------------------------------------ */

static int au_action(struct tui *t, void *st, enum tui_action a)
{
	struct au_state *s = st;
	return tui_list_action(&s->list, a);
}

static int au_click(struct tui *t, void *st, int y, int x)
{
	struct au_state *s = st;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool au_match(void *ud, size_t item, const char *needle)
{
	struct au_state *s = ud;
	const struct au_row *r = &s->rows[item];
	char hay[700], text[600];
	au_row_text(s, r, text, sizeof text);
	snprintf(hay, sizeof hay, "%s %s", text, r->anomaly ? "anomaly" : r->a.kind);
	return ui_match_text(hay, needle);
}

static int au_filter(struct tui *t, void *st, const char *needle)
{
	struct au_state *s = st;
	if (!ui_list_filter(&s->list, needle, au_match, s))
		tui_toast(t, UI_ERROR, "out of memory while filtering");
	return TUI_DRAW_VIEW;
}

static bool au_init(struct tui *t, void **st)
{
	struct au_state *s = calloc(1, sizeof *s);
	if (!s || !(s->rows = calloc(AU_MAX, sizeof *s->rows))) {
		free(s);
		return false;
	}
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void au_fini(struct tui *t, void *st)
{
	struct au_state *s = st;
	ui_list_free(&s->list);
	free(s->rows);
	free(s);
}

static const enum tui_action au_actions[] = { ACT_NONE };

const struct view_ops view_audit = {
	.name = "audit",
	.title = "Audit log",
	.in_nav = true,
	.roles = "patient therapist council insurer regulator bot member",
	.help = "Every op that read, shared, granted or changed access to your data, and every "
		"change of your role: who, when, which op and why, newest first. Emergency "
		"accesses are marked. The log is contract state, identical on every node: nobody "
		"can remove an entry. Council members also see anomaly flags: equivocation, bursts "
		"of rejected ops and repeated failed verifications. / filters.",
	.actions = au_actions,
	.init = au_init,
	.fini = au_fini,
	.reload = au_reload,
	.draw = au_draw,
	.action = au_action,
	.click = au_click,
	.filter = au_filter,
};
