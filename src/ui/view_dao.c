/* view_dao.c - the DAO screen: peer-support groups (name, topic, members,
 * posts, your membership), and for the selected group its members and its
 * posts newest first, opened for you where you hold the key of their epoch
 * (home_groups_open_post; a post from after you left stays closed, with the
 * reason). n writes a post to the selected group (encrypted with the
 * current group key by home_groups_post). Reads through core/query_gov.h. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_groups.h"
#include "core/home_people.h"
#include "core/query_gov.h"
#include "ui/view.h"

#define DAO_MAX 100
#define DAO_LINES 40 /* member and post lines of the selected group */

struct dao_state {
	struct tui *t;
	bool have_me;
	uint8_t me[32];
	struct q_group *rows;
	size_t n;
	struct ui_list list;
	int list_y;
	uint8_t det_id[32];
	bool det_ok;
	char lines[DAO_LINES][300];
	int attrs[DAO_LINES];
	size_t nlines;
	bool form_open;
	struct ui_form form;
	uint8_t form_group[32];
};

static void dao_line(struct dao_state *s, int attr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void dao_line(struct dao_state *s, int attr, const char *fmt, ...)
{
	if (s->nlines >= DAO_LINES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->lines[s->nlines], sizeof s->lines[0], fmt, ap);
	va_end(ap);
	s->attrs[s->nlines++] = attr;
}

/* ---- data ------------------------------------------------------------------- */

static int dao_row_cb(void *ud, const struct q_group *g)
{
	struct dao_state *s = ud;
	if (s->n >= DAO_MAX)
		return 1;
	s->rows[s->n++] = *g;
	return 0;
}

static int dao_member_cb(void *ud, const struct q_group_member *m)
{
	struct dao_state *s = ud;
	dao_line(s, 0, "  %s%s%s", tui_label(s->t, m->member), m->moderator ? " · moderator" : "",
		 m->has_key ? "" : " · waiting for the key");
	return 0;
}

static int dao_post_cb(void *ud, const struct q_group_post *p)
{
	struct dao_state *s = ud;
	char when[32];
	ui_fmt_time(when, sizeof when, p->time);
	dao_line(s, theme_attr(TH_DIM), "%s  %s%s", when, tui_label(s->t, p->author),
		 p->helpful ? " · marked helpful" : "");
	struct mv_buf plain = {0};
	struct mv_err err;
	mv_err_clear(&err);
	if (s->t->has_as && home_groups_open_post(s->t->h, s->t->as, p->id, &plain, &err) == MV_OK) {
		dao_line(s, 0, "  %s", (const char *)plain.data);
		memset(plain.data, 0, plain.len);
	} else {
		dao_line(s, theme_attr(TH_WARN), "  (cannot read: %s)",
			 s->t->has_as ? err.msg : "no identity");
	}
	mv_buf_free(&plain);
	return s->nlines >= DAO_LINES;
}

static void dao_detail(struct dao_state *s)
{
	size_t item;
	struct mv_err err;
	s->det_ok = false;
	s->nlines = 0;
	if (!ui_list_selected(&s->list, &item))
		return;
	const struct q_group *g = &s->rows[item];
	memcpy(s->det_id, g->id, 32);
	mv_err_clear(&err);
	dao_line(s, (int)A_BOLD, "%s · %s", g->name, g->topic);
	if (g->charter[0])
		dao_line(s, theme_attr(TH_DIM), "charter: %.250s", g->charter);
	dao_line(s, (int)A_BOLD, "Members (%" PRId64 ")", g->members);
	query_group_members(s->t->h->st, g->id, false, dao_member_cb, s, &err);
	dao_line(s, (int)A_BOLD, "Posts (%" PRId64 "), newest first", g->posts);
	query_group_posts(s->t->h->st, g->id, s->have_me ? s->me : NULL, 10, dao_post_cb, s, &err);
	s->det_ok = true;
}

static void dao_reload(struct tui *t, void *st)
{
	struct dao_state *s = st;
	struct mv_err err;
	s->n = 0;
	mv_err_clear(&err);
	s->have_me = t->has_as && t->h->st && home_people_account(t->h, t->as, s->me, &err) == MV_OK;
	if (t->h->st && query_groups(t->h->st, s->have_me ? s->me : NULL, false, dao_row_cb, s,
				     &err) != MV_OK)
		tui_toast(t, UI_ERROR, "groups: %s", err.msg);
	ui_list_filter_clear(&s->list);
	ui_list_set_count(&s->list, s->n);
	dao_detail(s);
}

/* ---- drawing ---------------------------------------------------------------- */

static void dao_row(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	struct dao_state *s = ud;
	const struct q_group *g = &s->rows[item];
	char text[300];
	snprintf(text, sizeof text, "%-28.28s %-10s %3" PRId64 " members %4" PRId64 " posts  %s",
		 g->name, g->join_policy, g->members, g->posts,
		 g->me_moderator ? "moderator" : g->me_member ? "member"
				 : g->me_invited ? "invited" : "");
	ui_put(win, y, x, w, sel ? theme_attr(TH_SEL) : 0, text);
}

static void dao_draw(struct tui *t, void *st)
{
	struct dao_state *s = st;
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	char right[64];
	snprintf(right, sizeof right, "%zu groups", s->n);
	tui_view_title(t, "DAO", right);
	if (s->form_open) {
		int cy, cx;
		ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	ui_put(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_DIM),
	       "Peer-support groups · n writes a post to the selected group (members only)");
	if (s->n == 0) {
		ui_put(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM), "No groups yet.");
		return;
	}
	int list_h = (int)s->n + 1 < 6 ? (int)s->n + 1 : 6;
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, list_h, t->main_w, t->focus_main, dao_row, s);
	y += list_h;
	ui_hline(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_BORDER));
	size_t item;
	if (ui_list_selected(&s->list, &item) &&
	    (!s->det_ok || memcmp(s->det_id, s->rows[item].id, 32) != 0))
		dao_detail(s);
	for (size_t i = 0; i < s->nlines && y < bottom; i++)
		ui_put(stdscr, y++, t->main_x, t->main_w, s->attrs[i], s->lines[i]);
}

/* ---- input ------------------------------------------------------------------ */

static void dao_close_form(struct dao_state *s)
{
	ui_form_free(&s->form);
	s->form_open = false;
}

static int dao_post_submit(struct tui *t, struct dao_state *s)
{
	const char *text = ui_field_value(&s->form.f[0]);
	if (!text[0]) {
		tui_toast(t, UI_WARNING, "write something first");
		return TUI_DRAW_ALL;
	}
	struct submit_result res;
	struct mv_err err;
	memset(&res, 0, sizeof res);
	mv_err_clear(&err);
	int rc = home_groups_post(t->h, t->as, s->form_group, text, &res, &err);
	if (tui_submitted(t, rc, &res, &err) == MV_OK) {
		tui_toast(t, UI_SUCCESS, "posted (encrypted to the group's members)");
		dao_close_form(s);
	}
	return TUI_RELOAD | TUI_DRAW_ALL;
}

static int dao_key(struct tui *t, void *st, int key)
{
	struct dao_state *s = st;
	if (!s->form_open)
		return TUI_UNHANDLED;
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return dao_post_submit(t, s);
	case UI_FORM_CANCEL:
		dao_close_form(s);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

static int dao_action(struct tui *t, void *st, enum tui_action a)
{
	struct dao_state *s = st;
	size_t item;
	if (a == ACT_NEW) {
		if (!ui_list_selected(&s->list, &item))
			return TUI_HANDLED;
		if (!s->rows[item].me_member) {
			tui_toast(t, UI_WARNING, "only members of %s can post", s->rows[item].name);
			return TUI_DRAW_ALL;
		}
		memcpy(s->form_group, s->rows[item].id, 32);
		char title[64];
		snprintf(title, sizeof title, "Post to %.40s", s->rows[item].name);
		ui_form_init(&s->form, title);
		ui_form_add(&s->form, UF_TEXT, "Post", true,
			    "encrypted to the members; Enter sends, Esc cancels");
		s->form_open = true;
		t->focus_main = true;
		return TUI_DRAW_ALL;
	}
	int rc = tui_list_action(&s->list, a);
	if (rc != TUI_UNHANDLED)
		dao_detail(s);
	return rc;
}

static int dao_click(struct tui *t, void *st, int y, int x)
{
	struct dao_state *s = st;
	(void)t;
	(void)x;
	if (s->form_open || !ui_list_click(&s->list, y - s->list_y))
		return TUI_HANDLED;
	dao_detail(s);
	return TUI_DRAW_VIEW;
}

static bool dao_dirty(struct tui *t, void *st)
{
	(void)t;
	struct dao_state *s = st;
	return s->form_open && s->form.dirty;
}

static bool dao_init(struct tui *t, void **st)
{
	struct dao_state *s = calloc(1, sizeof *s);
	if (!s || !(s->rows = calloc(DAO_MAX, sizeof *s->rows))) {
		free(s);
		return false;
	}
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void dao_fini(struct tui *t, void *st)
{
	struct dao_state *s = st;
	(void)t;
	if (s->form_open)
		dao_close_form(s);
	ui_list_free(&s->list);
	free(s->rows);
	free(s);
}

static const enum tui_action dao_actions[] = { ACT_NEW, ACT_NONE };
static const enum tui_action dao_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

static const enum tui_action *dao_actions_now(struct tui *t, void *st)
{
	(void)t;
	return ((struct dao_state *)st)->form_open ? dao_form_actions : dao_actions;
}

const struct view_ops view_dao = {
	.name = "dao",
	.title = "DAO",
	.in_nav = true,
	.roles = "patient therapist council member",
	.help = "Peer-support groups: topic, members and posts. Posts are encrypted to the "
		"members with a group key that rotates when someone leaves or is removed, so a "
		"post shows as text only where you hold the key of its epoch. n writes a post to "
		"the selected group (members only).",
	.actions = dao_actions,
	.actions_now = dao_actions_now,
	.init = dao_init,
	.fini = dao_fini,
	.reload = dao_reload,
	.draw = dao_draw,
	.key = dao_key,
	.action = dao_action,
	.click = dao_click,
	.dirty = dao_dirty,
};
