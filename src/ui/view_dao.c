/* view_dao.c - the DAO screen: peer-support groups and membership.
 *
 * The list shows every group with your standing in it (moderator, member,
 * invited, applied); under it the selected group: charter, what you can do
 * next (join, accept an invitation, apply, wait for the key), members,
 * pending invitations and applications, and posts newest first, opened for
 * you where you hold the key of their epoch (home_groups_open_post).
 * Enter opens the group: the cursor then moves over members, invitations,
 * applications and posts, and the moderator actions apply to the selected
 * row. Every op is confirmed before it is signed; a rejection is shown with
 * the contract's reason and an open form keeps what was typed.
 *
 * Keys follow the group key rules (docs/contracts/governance.md): opening a
 * group you hold the current key of shares it with members who wait for it
 * (home_groups_share_keys), admitting an applicant shares it at once, and a
 * removal rotates it right after (home_groups_rotate) so the removed member
 * cannot read later posts. K does either by hand. Reads through
 * core/query_gov.h; ops through tui_submit and core/home_groups.h. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_groups.h"
#include "core/home_people.h"
#include "core/query_gov.h"
#include "core/query_people.h"
#include "ui/view.h"

#define DAO_MAX 100        /* groups listed */
#define DAO_ITEMS 400      /* rows of the selected group */
#define DAO_MEMBERS 300    /* members shown */
/* posts shown, newest first: each is opened with the identity's secret key
 * (an Argon2id unlock when it has a passphrase), so the list shows few */
#define DAO_POSTS_LIST 10
#define DAO_POSTS_OPEN 30
#define DAO_BODY_LINES 8   /* wrapped lines of one post or note */
#define DAO_INVITES 16     /* accounts invited by group.create */

enum dao_kind { DI_HEAD, DI_NOTE, DI_MEMBER, DI_INVITE, DI_APPLY, DI_POST };

struct dao_item {
	enum dao_kind kind;
	int attr, body_attr;
	uint8_t id[32];          /* the account (member, invitee, applicant) or the post */
	uint8_t author[32];      /* posts */
	bool moderator, has_key, marked;
	char text[300];
	char *body;              /* wrapped under text: a post or a long note (owned) */
};

/* What a confirmation or a form is about. */
enum dao_op {
	DO_NONE, DO_JOIN, DO_APPLY, DO_LEAVE, DO_INVITE, DO_ADMIT, DO_REFUSE, DO_REMOVE,
	DO_MOD_ON, DO_MOD_OFF, DO_KEYS, DO_HELPFUL, DO_POST, DO_CREATE,
};

struct dao_state {
	struct tui *t;
	bool have_me;
	uint8_t me[32];
	struct q_group *rows;
	size_t n, invitations;
	struct ui_list list;
	int list_y;
	/* the selected group */
	struct q_group cur;
	bool have_cur;
	struct dao_item *items;
	size_t nitems;
	bool open;               /* Enter: the cursor moves over the group's rows */
	size_t sel;              /* selected item while open */
	int top;                 /* first line drawn while open */
	int items_y, items_h;    /* where the rows were drawn (relative), for clicks */
	int line_item[200];      /* item of each drawn line (-1: none) */
	/* a form (post, create, invite, remove) and the op being confirmed */
	enum dao_op form_op, op;
	struct ui_form form;
	bool form_open;
	uint8_t op_group[32], op_target[32];
	char op_label[80], op_group_name[GROUP_NAME_MAX + 1];
	enum tui_action now[16];
};

static void dao_items_free(struct dao_state *s)
{
	for (size_t i = 0; i < s->nitems; i++) {
		if (s->items[i].body) {
			memset(s->items[i].body, 0, strlen(s->items[i].body));
			free(s->items[i].body);
		}
	}
	s->nitems = 0;
}

static struct dao_item *dao_add(struct dao_state *s, enum dao_kind kind, int attr, const char *fmt,
				 ...) __attribute__((format(printf, 4, 5)));
static struct dao_item *dao_add(struct dao_state *s, enum dao_kind kind, int attr, const char *fmt,
				 ...)
{
	if (s->nitems >= DAO_ITEMS)
		return NULL;
	struct dao_item *it = &s->items[s->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->attr = attr;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(it->text, sizeof it->text, fmt, ap);
	va_end(ap);
	return it;
}

static bool dao_selectable(const struct dao_item *it)
{
	return it->kind == DI_MEMBER || it->kind == DI_INVITE || it->kind == DI_APPLY ||
	       it->kind == DI_POST;
}

/* tui_label copied (it returns a shared buffer). */
static void dao_label(struct dao_state *s, const uint8_t id[32], char *out, size_t n)
{
	if (s->have_me && memcmp(id, s->me, 32) == 0)
		snprintf(out, n, "%s (you)", tui_label(s->t, id));
	else
		snprintf(out, n, "%s", tui_label(s->t, id));
}

/* ---- data ------------------------------------------------------------------- */

static int dao_row_cb(void *ud, const struct q_group *g)
{
	struct dao_state *s = ud;
	if (s->n >= DAO_MAX)
		return 1;
	s->rows[s->n++] = *g;
	if (g->me_invited)
		s->invitations++;
	return 0;
}

static int dao_member_cb(void *ud, const struct q_group_member *m)
{
	struct dao_state *s = ud;
	char who[100];
	if (s->nitems >= DAO_MEMBERS + 20)
		return 1;
	dao_label(s, m->member, who, sizeof who);
	struct dao_item *it = dao_add(s, DI_MEMBER, 0, "  %s%s%s", who,
				      m->moderator ? " · moderator" : "",
				      m->has_key ? "" : " · waiting for the key");
	if (it) {
		memcpy(it->id, m->member, 32);
		it->moderator = m->moderator;
		it->has_key = m->has_key;
	}
	return 0;
}

static int dao_pending_cb(void *ud, const struct q_group_pending *p)
{
	struct dao_state *s = ud;
	char who[100], by[100], when[32];
	dao_label(s, p->account, who, sizeof who);
	dao_label(s, p->by, by, sizeof by);
	ui_fmt_ago(when, sizeof when, p->time, s->t->now);
	struct dao_item *it =
		p->invitation
			? dao_add(s, DI_INVITE, 0, "  %s · invited by %s · %s", who, by, when)
			: dao_add(s, DI_APPLY, theme_attr(TH_WARN), "  %s · applied %s · waits for a "
				  "moderator", who, when);
	if (!it)
		return 1;
	memcpy(it->id, p->account, 32);
	if (p->invitation || !p->has_message)
		return 0;
	/* the message is sealed to the moderators of the time only */
	struct mv_buf plain = {0};
	struct mv_err err;
	mv_err_clear(&err);
	if (s->t->has_as && home_groups_open_application(s->t->h, s->t->as, s->cur.id, p->account,
							  &plain, &err) == MV_OK) {
		size_t n = strlen((const char *)plain.data) + 7; /* “ and ” are 3 bytes each */
		if ((it->body = malloc(n)))
			snprintf(it->body, n, "“%s”", (const char *)plain.data);
		it->body_attr = 0;
	} else {
		it->body = strdup("(a message for the moderators)");
		it->body_attr = theme_attr(TH_DIM);
	}
	if (plain.data)
		memset(plain.data, 0, plain.len);
	mv_buf_free(&plain);
	return 0;
}

static int dao_post_cb(void *ud, const struct q_group_post *p)
{
	struct dao_state *s = ud;
	char when[32], who[100], marks[64] = "";
	ui_fmt_time(when, sizeof when, p->time);
	dao_label(s, p->author, who, sizeof who);
	if (p->helpful)
		snprintf(marks, sizeof marks, " · %" PRId64 " helpful%s", p->helpful,
			 p->marked_by_me ? " (you too)" : "");
	struct dao_item *it = dao_add(s, DI_POST, theme_attr(TH_DIM), "%s  %s%s", when, who, marks);
	if (!it)
		return 1;
	memcpy(it->id, p->id, 32);
	memcpy(it->author, p->author, 32);
	it->marked = p->marked_by_me;
	struct mv_buf plain = {0};
	struct mv_err err;
	mv_err_clear(&err);
	if (s->t->has_as && home_groups_open_post(s->t->h, s->t->as, p->id, &plain, &err) == MV_OK) {
		it->body = strdup((const char *)plain.data);
		it->body_attr = 0;
	} else {
		char why[600];
		snprintf(why, sizeof why, "(cannot read: %s)", s->t->has_as ? err.msg : "no identity");
		it->body = strdup(why);
		it->body_attr = theme_attr(TH_WARN);
	}
	if (plain.data)
		memset(plain.data, 0, plain.len);
	mv_buf_free(&plain);
	return 0;
}

/* What the viewer can do next in group g, as notes. */
static void dao_status_notes(struct dao_state *s, const struct q_group *g)
{
	int ok = theme_attr(TH_OK), warn = theme_attr(TH_WARN);
	if (!s->t->has_as) {
		dao_add(s, DI_NOTE, warn, "Choose an identity to join groups and read posts.");
		return;
	}
	if (g->me_member) {
		if (!g->keyed)
			dao_add(s, DI_NOTE, warn, "Someone left: the group key rotates before the next "
				"post (K rotates it now; posting does it too).");
		else if (!g->me_has_key)
			dao_add(s, DI_NOTE, warn, "You wait for the group key: a member holding it "
				"shares it when they open the group.");
		else if (g->me_keyless_members > 0)
			dao_add(s, DI_NOTE, warn, "%" PRId64 " member%s wait%s for the group key: K "
				"shares it (opening the group does it too).", g->me_keyless_members,
				g->me_keyless_members == 1 ? "" : "s",
				g->me_keyless_members == 1 ? "s" : "");
		return;
	}
	if (g->me_invited)
		dao_add(s, DI_NOTE, ok, "You are invited: J accepts and joins.");
	else if (g->me_applied)
		dao_add(s, DI_NOTE, warn, "Your application waits for a moderator (or a group vote).");
	else if (strcmp(g->join_policy, "open") == 0)
		dao_add(s, DI_NOTE, ok, "Open group: J joins.");
	else if (strcmp(g->join_policy, "application") == 0)
		dao_add(s, DI_NOTE, ok, "Admits by application: J applies, with a message for the "
			"moderators; a moderator (or a group vote) decides.");
	else
		dao_add(s, DI_NOTE, theme_attr(TH_DIM), "By invitation only: a moderator invites you.");
}

static int dao_pending_count_cb(void *ud, const struct q_group_pending *p)
{
	(void)p;
	(*(size_t *)ud)++;
	return 0;
}

static void dao_detail(struct dao_state *s)
{
	size_t item, npending = 0;
	struct mv_err err;
	dao_items_free(s);
	s->have_cur = false;
	if (!ui_list_selected(&s->list, &item))
		return;
	const struct q_group *g = &s->rows[item];
	struct store *st = s->t->h->st;
	s->cur = *g;
	s->have_cur = true;
	mv_err_clear(&err);
	dao_add(s, DI_HEAD, (int)A_BOLD, "%s · %s", g->name, g->topic);
	static const char *const how[][2] = {
		{"open", "anyone joins"}, {"invite", "moderators invite"},
		{"application", "a moderator (or a group vote) admits applicants"},
	};
	const char *pol = g->join_policy;
	for (size_t i = 0; i < 3; i++)
		if (strcmp(how[i][0], g->join_policy) == 0)
			pol = how[i][1];
	dao_add(s, DI_NOTE, theme_attr(TH_DIM), "joining: %s (%s) · key epoch %" PRId64, g->join_policy,
		pol, g->key_epoch);
	if (g->charter[0]) {
		struct dao_item *it = dao_add(s, DI_NOTE, theme_attr(TH_DIM), "charter:");
		if (it) {
			it->body = strdup(g->charter);
			it->body_attr = theme_attr(TH_DIM);
		}
	}
	dao_status_notes(s, g);
	dao_add(s, DI_HEAD, (int)A_BOLD, "Members (%" PRId64 ")", g->members);
	if (query_group_members(st, g->id, false, dao_member_cb, s, &err) != MV_OK)
		dao_add(s, DI_NOTE, theme_attr(TH_ERR), "  %s", err.msg);
	else if (g->members > DAO_MEMBERS)
		dao_add(s, DI_NOTE, theme_attr(TH_DIM), "  … (see `mentalverse show group`)");
	query_group_pending(st, g->id, dao_pending_count_cb, &npending, &err);
	if (npending) {
		dao_add(s, DI_HEAD, (int)A_BOLD, "Invitations and applications (%zu)", npending);
		query_group_pending(st, g->id, dao_pending_cb, s, &err);
	}
	dao_add(s, DI_HEAD, (int)A_BOLD, "Posts (%" PRId64 "), newest first", g->posts);
	query_group_posts(st, g->id, s->have_me ? s->me : NULL,
			  s->open ? DAO_POSTS_OPEN : DAO_POSTS_LIST, dao_post_cb, s, &err);
	if (g->posts > (s->open ? DAO_POSTS_OPEN : DAO_POSTS_LIST))
		dao_add(s, DI_NOTE, theme_attr(TH_DIM), "… older posts: `mentalverse show group`");
}

/* Select the first selectable item at or after from (or before it). */
static void dao_sel_near(struct dao_state *s, size_t from)
{
	for (size_t i = from; i < s->nitems; i++)
		if (dao_selectable(&s->items[i])) {
			s->sel = i;
			return;
		}
	for (size_t i = from < s->nitems ? from : s->nitems; i-- > 0;)
		if (dao_selectable(&s->items[i])) {
			s->sel = i;
			return;
		}
	s->sel = 0;
}

static void dao_reload(struct tui *t, void *st)
{
	struct dao_state *s = st;
	struct mv_err err;
	uint8_t keep_group[32], keep_item[32];
	bool had = s->have_cur, had_item = s->open && s->sel < s->nitems;
	enum dao_kind keep_kind = had_item ? s->items[s->sel].kind : DI_HEAD;
	size_t keep_sel = s->sel;
	if (had)
		memcpy(keep_group, s->cur.id, 32);
	if (had_item)
		memcpy(keep_item, s->items[s->sel].id, 32);
	s->n = 0;
	s->invitations = 0;
	mv_err_clear(&err);
	s->have_me = t->has_as && t->h->st && home_people_account(t->h, t->as, s->me, &err) == MV_OK;
	if (t->h->st && query_groups(t->h->st, s->have_me ? s->me : NULL, false, dao_row_cb, s,
				     &err) != MV_OK)
		tui_toast(t, UI_ERROR, "groups: %s", err.msg);
	ui_list_filter_clear(&s->list);
	ui_list_set_count(&s->list, s->n);
	bool found = false;
	for (size_t i = 0; had && i < s->n; i++)
		if (memcmp(s->rows[i].id, keep_group, 32) == 0)
			found = ui_list_select_item(&s->list, i);
	dao_detail(s);
	if (!found)
		s->open = false;
	if (!s->open)
		return;
	for (size_t i = 0; had_item && i < s->nitems; i++)
		if (s->items[i].kind == keep_kind && memcmp(s->items[i].id, keep_item, 32) == 0) {
			s->sel = i;
			return;
		}
	dao_sel_near(s, keep_sel);
}

/* ---- drawing ---------------------------------------------------------------- */

static void dao_row(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	struct dao_state *s = ud;
	const struct q_group *g = &s->rows[item];
	char name[GROUP_NAME_MAX * 2 + 8], text[400];
	/* the name takes what the rest leaves (45 columns), 12 to 28 */
	int nw = w - 45 < 12 ? 12 : w - 45 > 28 ? 28 : w - 45;
	int used = ui_text_clip(name, sizeof name, g->name, nw);
	snprintf(text, sizeof text, "%s%*s %-11s %3" PRId64 " members %3" PRId64 " posts  %s", name,
		 nw - used, "", g->join_policy, g->members, g->posts,
		 g->me_moderator ? "moderator" : g->me_member ? "member"
				 : g->me_invited ? "invited" : g->me_applied ? "applied" : "");
	ui_put(win, y, x, w, sel ? theme_attr(TH_SEL) : 0, text);
}

/* Lines item i takes in width w (its text, then its wrapped body). */
static int dao_item_lines(const struct dao_item *it, int w)
{
	size_t st[DAO_BODY_LINES], ln[DAO_BODY_LINES];
	if (!it->body)
		return 1;
	size_t n = ui_wrap(it->body, w > 4 ? w - 2 : 2, st, ln, DAO_BODY_LINES);
	return 1 + (int)(n < DAO_BODY_LINES ? n : DAO_BODY_LINES);
}

/* Draw item i from its line `skip` on, at most h lines; returns lines drawn. */
static int dao_draw_item(struct dao_state *s, size_t i, int y, int x, int w, int skip, int h,
			 bool sel)
{
	const struct dao_item *it = &s->items[i];
	int selattr = s->t->focus_main ? theme_attr(TH_SEL) : theme_attr(TH_SEL_DIM);
	int drawn = 0, line = 0;
	if (s->open) { /* room for the cursor mark, visible without colour too */
		x += 2;
		w -= 2;
	}
	if (line >= skip && drawn < h) {
		if (sel) {
			ui_fill(stdscr, y + drawn, x - 2, w + 2, selattr);
			ui_put(stdscr, y + drawn, x - 2, 2, selattr, "▸");
		}
		ui_put(stdscr, y + drawn, x, w, sel ? selattr : it->attr, it->text);
		drawn++;
	}
	line++;
	if (!it->body)
		return drawn;
	size_t st[DAO_BODY_LINES], ln[DAO_BODY_LINES];
	size_t n = ui_wrap(it->body, w > 4 ? w - 2 : 2, st, ln, DAO_BODY_LINES);
	if (n > DAO_BODY_LINES)
		n = DAO_BODY_LINES;
	for (size_t k = 0; k < n && drawn < h; k++, line++) {
		if (line < skip)
			continue;
		char buf[UI_FIELD_MAX * 4];
		snprintf(buf, sizeof buf, "%.*s", (int)ln[k], it->body + st[k]);
		if (sel)
			ui_fill(stdscr, y + drawn, x - (s->open ? 2 : 0), w + (s->open ? 2 : 0), selattr);
		ui_put(stdscr, y + drawn, x + 2, w - 2, sel ? selattr : it->body_attr, buf);
		drawn++;
	}
	return drawn;
}

/* The group's rows from line s->top (open: scrolled to the selection). */
static void dao_draw_items(struct dao_state *s, int y, int x, int w, int h)
{
	int first = 0, sel_first = 0, sel_n = 1;
	for (size_t i = 0; i < s->nitems; i++) {
		int n = dao_item_lines(&s->items[i], s->open ? w - 2 : w);
		if (s->open && i == s->sel) {
			sel_first = first;
			sel_n = n;
		}
		first += n;
	}
	if (!s->open)
		s->top = 0;
	else if (sel_first < s->top)
		s->top = sel_first;
	else if (sel_first + (sel_n < h ? sel_n : h) > s->top + h)
		s->top = sel_first + (sel_n < h ? sel_n : h) - h;
	s->items_y = y - s->t->main_y;
	s->items_h = h;
	for (int k = 0; k < h && k < (int)(sizeof s->line_item / sizeof s->line_item[0]); k++)
		s->line_item[k] = -1;
	int line = 0, row = 0;
	for (size_t i = 0; i < s->nitems && row < h; i++) {
		int n = dao_item_lines(&s->items[i], s->open ? w - 2 : w);
		if (line + n <= s->top) {
			line += n;
			continue;
		}
		int skip = s->top > line ? s->top - line : 0;
		int d = dao_draw_item(s, i, y + row, x, w, skip, h - row, s->open && i == s->sel);
		for (int k = 0; k < d; k++)
			if (row + k < (int)(sizeof s->line_item / sizeof s->line_item[0]))
				s->line_item[row + k] = (int)i;
		row += d;
		line += n;
	}
}

static void dao_draw(struct tui *t, void *st)
{
	struct dao_state *s = st;
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	char right[64];
	if (s->invitations)
		snprintf(right, sizeof right, "%zu groups · %zu invitation%s for you", s->n,
			 s->invitations, s->invitations == 1 ? "" : "s");
	else
		snprintf(right, sizeof right, "%zu group%s", s->n, s->n == 1 ? "" : "s");
	tui_view_title(t, "DAO", right);
	if (s->form_open) {
		int cy, cx;
		ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	if (s->open && s->have_cur) {
		ui_put(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "↑↓ a member, application or post · Esc back to the groups");
		ui_hline(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_BORDER));
		dao_draw_items(s, y, t->main_x, t->main_w, bottom - y);
		return;
	}
	ui_put(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_DIM),
	       "Peer-support groups · Enter opens one · C creates one");
	if (s->n == 0) {
		ui_put(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "No groups yet: C creates the first.");
		return;
	}
	int list_h = (int)s->n + 1 < 6 ? (int)s->n + 1 : 6;
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, list_h, t->main_w, t->focus_main, dao_row, s);
	y += list_h;
	ui_hline(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_BORDER));
	size_t item;
	if (ui_list_selected(&s->list, &item) &&
	    (!s->have_cur || memcmp(s->cur.id, s->rows[item].id, 32) != 0))
		dao_detail(s);
	if (y < bottom)
		dao_draw_items(s, y, t->main_x, t->main_w, bottom - y);
}

/* ---- submitting --------------------------------------------------------------- */

/* op kind with group= and, when who is given, field=who; extra is one more
 * "name=value" (or NULL). MV_OK only if applied. */
static int dao_submit(struct tui *t, const char *kind, const uint8_t group[32], const char *field,
		      const uint8_t *who, const char *extra)
{
	char hex[65], fg[80], fw[120];
	char *fields[3];
	int n = 0;
	mv_hex(hex, group, 32);
	snprintf(fg, sizeof fg, "%s=%s", strcmp(kind, "post.helpful") == 0 ? "post" : "group", hex);
	fields[n++] = fg;
	if (who) {
		mv_hex(hex, who, 32);
		snprintf(fw, sizeof fw, "%s=%s", field, hex);
		fields[n++] = fw;
	}
	if (extra)
		fields[n++] = (char *)extra;
	return tui_submit(t, kind, n, fields, NULL);
}

/* Share the current key with members waiting for it, or rotate it when
 * someone left. Returns members given the key (the rotation counts every
 * member), 0 when there was nothing to do, -1 after an error (toasted). */
static long dao_keys(struct tui *t, struct dao_state *s, const uint8_t group[32], bool *rotated)
{
	struct q_group g;
	struct submit_result res;
	struct mv_err err;
	mv_err_clear(&err);
	memset(&res, 0, sizeof res);
	*rotated = false;
	if (!s->have_me || query_group(t->h->st, group, s->me, &g, &err) != MV_OK || !g.me_member)
		return 0;
	if (!g.keyed) {
		int rc = home_groups_rotate(t->h, t->as, group, &res, &err);
		if (tui_submitted(t, rc, &res, &err) != MV_OK)
			return -1;
		*rotated = true;
		return (long)g.members;
	}
	if (!g.me_has_key || g.me_keyless_members == 0)
		return 0;
	size_t shared = 0;
	int rc = home_groups_share_keys(t->h, t->as, group, &shared, &err);
	if (shared || rc != MV_OK) {
		/* the helper made the ops: report them like one op of a view */
		res.outcome = 1;
		tui_submitted(t, MV_OK, &res, &err);
	}
	if (rc != MV_OK) {
		tui_toast(t, UI_ERROR, "sharing the group key: %s", err.msg);
		return -1;
	}
	return (long)shared;
}

static void dao_keys_toast(struct tui *t, long n, bool rotated, const char *before)
{
	if (n <= 0)
		return;
	if (rotated)
		tui_toast(t, UI_SUCCESS, "%s%sthe group key rotated: a new key for the %ld current "
			  "member%s", before, before[0] ? "; " : "", n, n == 1 ? "" : "s");
	else
		tui_toast(t, UI_SUCCESS, "%s%sshared the group key with %ld member%s waiting for it",
			  before, before[0] ? "; " : "", n, n == 1 ? "" : "s");
}

static void dao_close_form(struct dao_state *s)
{
	ui_form_free(&s->form);
	s->form_open = false;
	s->form_op = DO_NONE;
}

/* Accounts typed into the create form's invite field, comma or space
 * separated. Returns the count, or -1 with err filled. */
static int dao_parse_accounts(struct dao_state *s, const char *text, uint8_t (*out)[32], int max,
			      char *err, size_t errlen);

static int dao_create(struct tui *t, struct dao_state *s)
{
	uint8_t inv[DAO_INVITES][32];
	char err[200];
	int ninv = dao_parse_accounts(s, ui_field_value(&s->form.f[4]), inv, DAO_INVITES, err,
				      sizeof err);
	if (ninv < 0) {
		tui_toast(t, UI_ERROR, "%s", err);
		return MV_EINVAL;
	}
	const char *charter = ui_field_value(&s->form.f[2]);
	struct home_group_args a = {
		ui_field_value(&s->form.f[0]), ui_field_value(&s->form.f[1]),
		charter[0] ? charter : NULL, ui_field_value(&s->form.f[3]),
		(const uint8_t (*)[32])inv, (size_t)ninv, false,
	};
	struct submit_result res;
	struct mv_err e;
	memset(&res, 0, sizeof res);
	mv_err_clear(&e);
	int rc = home_groups_create(t->h, t->as, &a, &res, &e);
	rc = tui_submitted(t, rc, &res, &e);
	if (rc == MV_OK) {
		tui_toast(t, UI_SUCCESS, "created %s: you are its first moderator%s", a.name,
			  ninv ? "; the invited accounts join with J" : "");
		/* select it once the list reloads */
		memcpy(s->cur.id, res.id, 32);
		s->have_cur = true;
		s->open = false;
	}
	return rc;
}

/* The op being confirmed, now signed. */
static void dao_confirmed(struct tui *t, void *ud)
{
	struct dao_state *s = ud;
	const uint8_t *g = s->op_group;
	const char *name = s->op_group_name, *who = s->op_label;
	struct submit_result res;
	struct mv_err err;
	char extra[260], done[300];
	bool rotated;
	long n;
	int rc;
	memset(&res, 0, sizeof res);
	mv_err_clear(&err);
	switch (s->op) {
	case DO_JOIN:
		if (dao_submit(t, "group.join", g, NULL, NULL, NULL) == MV_OK)
			tui_toast(t, UI_SUCCESS, "you joined %s; you read posts once a member shares "
				  "the group key", name);
		break;
	case DO_APPLY:
		rc = home_groups_apply(t->h, t->as, g, s->form_open ? ui_field_value(&s->form.f[0]) : NULL,
				       &res, &err);
		if (tui_submitted(t, rc, &res, &err) == MV_OK) {
			tui_toast(t, UI_SUCCESS, "you applied to %s: a moderator (or a group vote) "
				  "decides", name);
			dao_close_form(s);
		}
		break;
	case DO_LEAVE:
		if (dao_submit(t, "group.leave", g, NULL, NULL, NULL) == MV_OK) {
			tui_toast(t, UI_SUCCESS, "you left %s", name);
			s->open = false;
		}
		break;
	case DO_INVITE:
		if (dao_submit(t, "group.invite", g, "invitee", s->op_target, NULL) == MV_OK) {
			tui_toast(t, UI_SUCCESS, "invited %s to %s: they accept with J on their DAO "
				  "screen", who, name);
			dao_close_form(s);
		}
		break;
	case DO_ADMIT:
		if (dao_submit(t, "group.approve", g, "applicant", s->op_target, NULL) != MV_OK)
			break;
		snprintf(done, sizeof done, "admitted %s", who);
		n = dao_keys(t, s, g, &rotated);
		if (n > 0)
			dao_keys_toast(t, n, rotated, done);
		else if (n == 0)
			tui_toast(t, UI_SUCCESS, "%s: a member holding the group key shares it with "
				  "them", done);
		break;
	case DO_REFUSE:
		if (dao_submit(t, "group.decline", g, "applicant", s->op_target, NULL) == MV_OK)
			tui_toast(t, UI_SUCCESS, "refused the application of %s", who);
		break;
	case DO_REMOVE: {
		const char *reason = s->form_open ? ui_field_value(&s->form.f[0]) : "";
		snprintf(extra, sizeof extra, "reason=%s", reason);
		if (dao_submit(t, "group.remove", g, "member", s->op_target,
			       reason[0] ? extra : NULL) != MV_OK)
			break;
		dao_close_form(s);
		snprintf(done, sizeof done, "removed %s", who);
		n = dao_keys(t, s, g, &rotated);
		if (n > 0)
			dao_keys_toast(t, n, rotated, done);
		else if (n == 0)
			tui_toast(t, UI_SUCCESS, "%s: the key rotates with the next post", done);
		break;
	}
	case DO_MOD_ON:
	case DO_MOD_OFF:
		snprintf(extra, sizeof extra, "moderator=%d", s->op == DO_MOD_ON);
		if (dao_submit(t, "group.moderator", g, "member", s->op_target, extra) == MV_OK)
			tui_toast(t, UI_SUCCESS, s->op == DO_MOD_ON ? "%s moderates %s now"
								  : "%s no longer moderates %s", who, name);
		break;
	case DO_KEYS:
		n = dao_keys(t, s, g, &rotated);
		if (n > 0)
			dao_keys_toast(t, n, rotated, "");
		else if (n == 0)
			tui_toast(t, UI_INFO, "nothing to share: every member holds the key you hold");
		break;
	case DO_HELPFUL:
		if (dao_submit(t, "post.helpful", s->op_target, NULL, NULL, NULL) == MV_OK)
			tui_toast(t, UI_SUCCESS, "marked %s's post helpful", who);
		break;
	case DO_POST:
		rc = home_groups_post(t->h, t->as, g, ui_field_value(&s->form.f[0]), &res, &err);
		if (tui_submitted(t, rc, &res, &err) == MV_OK) {
			tui_toast(t, UI_SUCCESS, "posted (encrypted to the group's members)");
			dao_close_form(s);
		}
		break;
	case DO_CREATE:
		if (dao_create(t, s) == MV_OK)
			dao_close_form(s);
		break;
	case DO_NONE:
		break;
	}
	s->op = DO_NONE;
}

/* Ask before signing op about the current group (and target). */
static int dao_ask(struct tui *t, struct dao_state *s, enum dao_op op, const uint8_t *target,
		   const char *title, const char *yes, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
static int dao_ask(struct tui *t, struct dao_state *s, enum dao_op op, const uint8_t *target,
		   const char *title, const char *yes, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	s->op = op;
	if (s->have_cur) {
		memcpy(s->op_group, s->cur.id, 32);
		snprintf(s->op_group_name, sizeof s->op_group_name, "%s", s->cur.name);
	}
	if (target)
		memcpy(s->op_target, target, 32);
	tui_confirm(t, title, text, yes, dao_confirmed, s);
	return TUI_DRAW_ALL;
}

/* ---- forms -------------------------------------------------------------------- */

/* An account typed by a user: an identity name, a system account or 64
 * hex digits, registered on the network and not the viewer. */
static bool dao_resolve(struct dao_state *s, const char *ref, uint8_t out[32], char *err,
			size_t errlen)
{
	struct mv_err e;
	struct q_user u;
	mv_err_clear(&e);
	if (home_resolve_account(s->t->h, ref, out, &e) != MV_OK) {
		snprintf(err, errlen, "%s", e.msg);
		return false;
	}
	if (query_user(s->t->h->st, out, &u, &e) != MV_OK || u.role == ROLE_NONE) {
		snprintf(err, errlen, "%s is not a registered account", ref);
		return false;
	}
	if (s->have_me && memcmp(out, s->me, 32) == 0) {
		snprintf(err, errlen, "%s is you", ref);
		return false;
	}
	return true;
}

static int dao_parse_accounts(struct dao_state *s, const char *text, uint8_t (*out)[32], int max,
			      char *err, size_t errlen)
{
	char buf[UI_FIELD_MAX], *save = NULL;
	int n = 0;
	snprintf(buf, sizeof buf, "%s", text);
	for (char *a = strtok_r(buf, ", ", &save); a; a = strtok_r(NULL, ", ", &save)) {
		if (n == max) {
			snprintf(err, errlen, "at most %d accounts at once", max);
			return -1;
		}
		if (!dao_resolve(s, a, out[n], err, errlen))
			return -1;
		for (int k = 0; k < n; k++)
			if (memcmp(out[k], out[n], 32) == 0) {
				snprintf(err, errlen, "%s is listed twice", a);
				return -1;
			}
		n++;
	}
	return n;
}

static bool dao_check_account(void *ud, const struct ui_field *f, char *err, size_t errlen)
{
	uint8_t id[32];
	const char *v = ui_field_value(f);
	return !v[0] || dao_resolve(ud, v, id, err, errlen);
}

static bool dao_check_accounts(void *ud, const struct ui_field *f, char *err, size_t errlen)
{
	uint8_t ids[DAO_INVITES][32];
	return dao_parse_accounts(ud, ui_field_value(f), ids, DAO_INVITES, err, errlen) >= 0;
}

static void dao_form_begin(struct tui *t, struct dao_state *s, enum dao_op op, const char *title)
{
	ui_form_init(&s->form, title);
	s->form_op = op;
	s->form_open = true;
	if (s->have_cur) {
		memcpy(s->op_group, s->cur.id, 32);
		snprintf(s->op_group_name, sizeof s->op_group_name, "%s", s->cur.name);
	}
	t->focus_main = true;
}

static int dao_form_post(struct tui *t, struct dao_state *s)
{
	char title[64];
	snprintf(title, sizeof title, "Post to %.40s", s->cur.name);
	dao_form_begin(t, s, DO_POST, title);
	ui_form_add(&s->form, UF_TEXT, "Post", true,
		    "encrypted to the members; Enter sends (after a confirmation), Esc cancels");
	return TUI_DRAW_ALL;
}

static int dao_form_create(struct tui *t, struct dao_state *s)
{
	static const struct ui_choice pol[] = {
		{"invite: moderators invite", "invite"},
		{"application: a moderator admits applicants", "application"},
		{"open: anyone joins", "open"},
	};
	dao_form_begin(t, s, DO_CREATE, "Create a peer-support group");
	struct ui_field *f = ui_form_add(&s->form, UF_TEXT, "Name", true,
					 "public, unique on the network");
	if (f)
		f->max_bytes = GROUP_NAME_MAX;
	f = ui_form_add(&s->form, UF_TEXT, "Topic", true, "public: anxiety, grief, sleep, ...");
	if (f)
		f->max_bytes = GROUP_TOPIC_MAX;
	ui_form_add(&s->form, UF_TEXT, "Charter", false, "public rules of the group");
	f = ui_form_add(&s->form, UF_CHOICE, "Joining", true, "←→ to choose");
	if (f)
		ui_field_set_choices(f, pol, sizeof pol / sizeof pol[0]);
	f = ui_form_add(&s->form, UF_TEXT, "Invite", false,
			"names or ids, comma-separated (they accept with J)");
	if (f) {
		f->check = dao_check_accounts;
		f->check_ud = s;
	}
	return TUI_DRAW_ALL;
}

static int dao_form_invite(struct tui *t, struct dao_state *s)
{
	char title[64];
	snprintf(title, sizeof title, "Invite to %.40s", s->cur.name);
	dao_form_begin(t, s, DO_INVITE, title);
	struct ui_field *f = ui_form_add(&s->form, UF_TEXT, "Account", true,
					 "an identity name or a 64-digit id of a registered account");
	if (f) {
		f->check = dao_check_account;
		f->check_ud = s;
	}
	return TUI_DRAW_ALL;
}

static int dao_form_apply(struct tui *t, struct dao_state *s)
{
	char title[64];
	snprintf(title, sizeof title, "Apply to %.40s", s->cur.name);
	dao_form_begin(t, s, DO_APPLY, title);
	struct ui_field *f = ui_form_add(&s->form, UF_TEXT, "Message", false,
					 "optional; only the group's moderators can read it");
	if (f)
		f->max_bytes = 240;
	return TUI_DRAW_ALL;
}

static int dao_form_remove(struct tui *t, struct dao_state *s, const struct dao_item *it)
{
	char title[64];
	dao_label(s, it->id, s->op_label, sizeof s->op_label);
	snprintf(title, sizeof title, "Remove %.24s from %.24s", s->op_label, s->cur.name);
	dao_form_begin(t, s, DO_REMOVE, title);
	memcpy(s->op_target, it->id, 32);
	struct ui_field *f = ui_form_add(&s->form, UF_TEXT, "Reason", false,
					 "public, optional; Enter continues to the confirmation");
	if (f)
		f->max_bytes = 200;
	return TUI_DRAW_ALL;
}

/* Enter or ^S in a form: validate, then confirm. */
static int dao_form_submit(struct tui *t, struct dao_state *s)
{
	int bad = ui_form_validate(&s->form);
	if (bad >= 0) {
		s->form.focus = (size_t)bad;
		tui_toast(t, UI_WARNING, "%s: %s", s->form.f[bad].label, s->form.f[bad].err);
		return TUI_DRAW_ALL;
	}
	char err[200], list[300] = "";
	uint8_t id[32], ids[DAO_INVITES][32];
	switch (s->form_op) {
	case DO_POST:
		if (s->have_cur && s->cur.me_keyless_members > 0 && s->cur.keyed)
			snprintf(list, sizeof list, " %" PRId64 " member%s still wait%s for the key and "
				 "cannot read it until a member shares it.", s->cur.me_keyless_members,
				 s->cur.me_keyless_members == 1 ? "" : "s",
				 s->cur.me_keyless_members == 1 ? "s" : "");
		return dao_ask(t, s, DO_POST, NULL, "Post", "Post",
			       "Post to %s as %s? It is encrypted with the group key: only members "
			       "read it.%s", s->op_group_name, t->as, list);
	case DO_INVITE:
		if (!dao_resolve(s, ui_field_value(&s->form.f[0]), id, err, sizeof err)) {
			tui_toast(t, UI_WARNING, "%s", err);
			return TUI_DRAW_ALL;
		}
		dao_label(s, id, s->op_label, sizeof s->op_label);
		return dao_ask(t, s, DO_INVITE, id, "Invite", "Invite",
			       "Invite %s to %s? They join when they accept; the invitation is "
			       "public.", s->op_label, s->op_group_name);
	case DO_APPLY:
		return dao_ask(t, s, DO_APPLY, NULL, "Apply", "Apply",
			       "Apply to join %s as %s? A moderator (or a group vote) decides. That "
			       "you applied is public; %s", s->op_group_name, t->as,
			       ui_field_value(&s->form.f[0])[0]
				       ? "your message is encrypted to the moderators."
				       : "you send no message.");
	case DO_REMOVE:
		return dao_ask(t, s, DO_REMOVE, s->op_target, "Remove member", "Remove",
			       "Remove %s from %s? The group key rotates right after: %s keeps what "
			       "they could already read but cannot read anything posted from now "
			       "on. The removal and its reason are public.", s->op_label,
			       s->op_group_name, s->op_label);
	case DO_CREATE: {
		int n = dao_parse_accounts(s, ui_field_value(&s->form.f[4]), ids, DAO_INVITES, err,
					   sizeof err);
		if (n < 0) {
			tui_toast(t, UI_WARNING, "%s", err);
			return TUI_DRAW_ALL;
		}
		if (n)
			snprintf(list, sizeof list, " %d account%s invited (%.120s).", n,
				 n == 1 ? " is" : "s are", ui_field_value(&s->form.f[4]));
		return dao_ask(t, s, DO_CREATE, NULL, "Create group", "Create",
			       "Create \"%s\" (joining: %s) as %s? You become its first moderator.%s "
			       "Name, topic, charter and members are public; posts are encrypted.",
			       ui_field_value(&s->form.f[0]), ui_field_value(&s->form.f[3]), t->as,
			       list);
	}
	default:
		return TUI_DRAW_ALL;
	}
}

/* ---- input ------------------------------------------------------------------ */

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
		return dao_form_submit(t, s);
	case UI_FORM_CANCEL:
		dao_close_form(s);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

static const struct dao_item *dao_selected(struct dao_state *s, enum dao_kind kind)
{
	if (!s->open || s->sel >= s->nitems || s->items[s->sel].kind != kind)
		return NULL;
	return &s->items[s->sel];
}

static int dao_need(struct tui *t, const char *what)
{
	tui_toast(t, UI_WARNING, "%s", what);
	return TUI_DRAW_ALL;
}

/* Move the selection over the selectable rows of the open group. */
static int dao_move(struct dao_state *s, long delta)
{
	size_t i = s->sel;
	long steps = delta < 0 ? -delta : delta;
	for (long k = 0; k < steps; k++) {
		size_t j = i;
		do {
			if (delta < 0 ? j == 0 : j + 1 >= s->nitems)
				break;
			j = delta < 0 ? j - 1 : j + 1;
		} while (!dao_selectable(&s->items[j]));
		if (!dao_selectable(&s->items[j]))
			break;
		i = j;
	}
	s->sel = i;
	return TUI_DRAW_VIEW;
}

static int dao_open_action(struct tui *t, struct dao_state *s, enum tui_action a)
{
	const struct dao_item *it;
	long page = s->items_h > 2 ? s->items_h / 2 : 1;
	switch (a) {
	case ACT_BACK:
		s->open = false;
		dao_detail(s);
		return TUI_DRAW_ALL;
	case ACT_UP: return dao_move(s, -1);
	case ACT_DOWN: return dao_move(s, 1);
	case ACT_PAGE_UP: return dao_move(s, -page);
	case ACT_PAGE_DOWN: return dao_move(s, page);
	case ACT_TOP: return dao_move(s, -(long)s->nitems);
	case ACT_BOTTOM: return dao_move(s, (long)s->nitems);
	case ACT_APPROVE:
	case ACT_GROUP_ADMIT:
		if (!(it = dao_selected(s, DI_APPLY)))
			return dao_need(t, "choose an application first");
		dao_label(s, it->id, s->op_label, sizeof s->op_label);
		return dao_ask(t, s, DO_ADMIT, it->id, "Admit", "Admit",
			       "Admit %s to %s? They become a member and you share the group key "
			       "with them, so they read the posts of this key epoch.", s->op_label,
			       s->cur.name);
	case ACT_REJECT:
	case ACT_GROUP_REFUSE:
		if (!(it = dao_selected(s, DI_APPLY)))
			return dao_need(t, "choose an application first");
		dao_label(s, it->id, s->op_label, sizeof s->op_label);
		return dao_ask(t, s, DO_REFUSE, it->id, "Refuse", "Refuse",
			       "Refuse the application of %s to %s? They may apply again.",
			       s->op_label, s->cur.name);
	case ACT_GROUP_REMOVE:
		if (!(it = dao_selected(s, DI_MEMBER)))
			return dao_need(t, "choose a member first");
		return dao_form_remove(t, s, it);
	case ACT_GROUP_MODERATOR:
		if (!(it = dao_selected(s, DI_MEMBER)))
			return dao_need(t, "choose a member first");
		dao_label(s, it->id, s->op_label, sizeof s->op_label);
		if (!it->moderator)
			return dao_ask(t, s, DO_MOD_ON, it->id, "Moderator", "Make moderator",
				       "Make %s a moderator of %s? Moderators invite, admit and remove "
				       "members.", s->op_label, s->cur.name);
		if (s->have_me && memcmp(it->id, s->me, 32) == 0)
			return dao_ask(t, s, DO_MOD_OFF, it->id, "Step down", "Step down",
				       "Step down as a moderator of %s? You stay a member.",
				       s->cur.name);
		return dao_ask(t, s, DO_MOD_OFF, it->id, "Moderator", "Remove moderator",
			       "Stop %s moderating %s? (A moderator steps down only themselves; "
			       "for another, the group votes.)", s->op_label, s->cur.name);
	case ACT_GROUP_HELPFUL:
		if (!(it = dao_selected(s, DI_POST)))
			return dao_need(t, "choose a post first");
		dao_label(s, it->author, s->op_label, sizeof s->op_label);
		return dao_ask(t, s, DO_HELPFUL, it->id, "Helpful", "Mark helpful",
			       "Mark this post by %s helpful? It adds to their community reputation, "
			       "weighted by your standing; once per post, and public.", s->op_label);
	case ACT_ENTER:
		return TUI_HANDLED;
	default:
		return TUI_UNHANDLED;
	}
}

static int dao_open_group(struct tui *t, struct dao_state *s)
{
	if (!s->have_cur)
		return TUI_HANDLED;
	s->open = true;
	s->top = 0;
	dao_detail(s); /* with more posts */
	dao_sel_near(s, 0);
	if (!s->cur.me_member || !s->cur.me_has_key || s->cur.me_keyless_members == 0)
		return TUI_DRAW_ALL;
	/* what "a member shares it when they open the group" promises */
	bool rotated;
	long n = dao_keys(t, s, s->cur.id, &rotated);
	dao_keys_toast(t, n, rotated, "");
	return TUI_RELOAD | TUI_DRAW_ALL;
}

static int dao_action(struct tui *t, void *st, enum tui_action a)
{
	struct dao_state *s = st;
	if (s->form_open)
		return TUI_UNHANDLED;
	if (a == ACT_GROUP_CREATE)
		return t->has_as ? dao_form_create(t, s) : dao_need(t, "choose an identity first");
	if (s->open) {
		int r = dao_open_action(t, s, a);
		if (r != TUI_UNHANDLED)
			return r;
	} else {
		int r = tui_list_action(&s->list, a);
		if (r != TUI_UNHANDLED) {
			dao_detail(s);
			return r;
		}
		if (a == ACT_ENTER)
			return dao_open_group(t, s);
	}
	if (!s->have_cur)
		return TUI_UNHANDLED;
	const struct q_group *g = &s->cur;
	switch (a) {
	case ACT_APPROVE:
	case ACT_REJECT:
	case ACT_GROUP_ADMIT:
	case ACT_GROUP_REFUSE:
	case ACT_GROUP_REMOVE:
	case ACT_GROUP_MODERATOR:
	case ACT_GROUP_HELPFUL:
		return dao_need(t, "Enter opens the group: then choose a member, an application or a "
				"post");
	case ACT_NEW:
	case ACT_GROUP_POST:
		if (!g->me_member)
			return dao_need(t, "only members can post: join the group first");
		return dao_form_post(t, s);
	case ACT_GROUP_JOIN:
		if (!t->has_as)
			return dao_need(t, "choose an identity first");
		if (g->me_invited)
			return dao_ask(t, s, DO_JOIN, NULL, "Accept invitation", "Join",
				       "Accept the invitation to %s and join as %s? Members see that you "
				       "belong to it; you read posts once a member shares the group key "
				       "with you.", g->name, t->as);
		if (strcmp(g->join_policy, "application") == 0)
			return dao_form_apply(t, s);
		return dao_ask(t, s, DO_JOIN, NULL, "Join", "Join",
			       "Join %s as %s? Members see that you belong to it; you read posts "
			       "once a member shares the group key with you.", g->name, t->as);
	case ACT_GROUP_LEAVE:
		return dao_ask(t, s, DO_LEAVE, NULL, "Leave group", "Leave",
			       "Leave %s? The group key rotates: you will not be able to read "
			       "anything posted after you leave. Coming back takes a new %s.", g->name,
			       strcmp(g->join_policy, "open") == 0 ? "join"
			       : strcmp(g->join_policy, "invite") == 0 ? "invitation" : "application");
	case ACT_CHECKIN:
	case ACT_GROUP_INVITE:
		return t->has_as ? dao_form_invite(t, s) : dao_need(t, "choose an identity first");
	case ACT_GROUP_KEYS:
		if (!g->me_member)
			return dao_need(t, "only members hold the group key");
		if (!g->keyed)
			return dao_ask(t, s, DO_KEYS, NULL, "Rotate key", "Rotate",
				       "Seal a new group key to the %" PRId64 " current members of %s? "
				       "Whoever left cannot read what is posted under it.", g->members,
				       g->name);
		if (!g->me_has_key)
			return dao_need(t, "you wait for the key yourself: a member holding it shares it");
		if (g->me_keyless_members == 0)
			return dao_need(t, "every member holds the group key");
		return dao_ask(t, s, DO_KEYS, NULL, "Share key", "Share",
			       "Share the group key of %s with the %" PRId64 " member%s waiting for it? "
			       "They can then read this key epoch's posts.", g->name,
			       g->me_keyless_members, g->me_keyless_members == 1 ? "" : "s");
	default:
		return TUI_UNHANDLED;
	}
}

static int dao_click(struct tui *t, void *st, int y, int x)
{
	struct dao_state *s = st;
	(void)t;
	(void)x;
	if (s->form_open)
		return TUI_HANDLED;
	if (s->open) {
		int row = y - s->items_y;
		if (row < 0 || row >= s->items_h ||
		    row >= (int)(sizeof s->line_item / sizeof s->line_item[0]) ||
		    s->line_item[row] < 0 || !dao_selectable(&s->items[s->line_item[row]]))
			return TUI_HANDLED;
		s->sel = (size_t)s->line_item[row];
		return TUI_DRAW_VIEW;
	}
	if (!ui_list_click(&s->list, y - s->list_y))
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
	if (!s || !(s->rows = calloc(DAO_MAX, sizeof *s->rows)) ||
	    !(s->items = calloc(DAO_ITEMS, sizeof *s->items))) {
		if (s)
			free(s->rows);
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
	dao_items_free(s);
	ui_list_free(&s->list);
	free(s->items);
	free(s->rows);
	free(s);
}

static const enum tui_action dao_actions[] = {
	ACT_ENTER, ACT_GROUP_POST, ACT_GROUP_JOIN, ACT_GROUP_LEAVE, ACT_GROUP_CREATE,
	ACT_GROUP_INVITE, ACT_GROUP_ADMIT, ACT_GROUP_REFUSE, ACT_GROUP_REMOVE,
	ACT_GROUP_MODERATOR, ACT_GROUP_KEYS, ACT_GROUP_HELPFUL, ACT_BACK, ACT_NONE,
};
static const enum tui_action dao_form_actions[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

/* The key bar: what applies to the selected group and row now. */
static const enum tui_action *dao_actions_now(struct tui *t, void *st)
{
	struct dao_state *s = st;
	size_t n = 0;
	(void)t;
	if (s->form_open)
		return dao_form_actions;
	if (s->have_cur) {
		const struct q_group *g = &s->cur;
		bool keys = g->me_member && (!g->keyed || (g->me_has_key && g->me_keyless_members > 0));
		const struct dao_item *it = s->open && s->sel < s->nitems ? &s->items[s->sel] : NULL;
		if (it && g->me_moderator && it->kind == DI_APPLY) {
			s->now[n++] = ACT_GROUP_ADMIT;
			s->now[n++] = ACT_GROUP_REFUSE;
		}
		if (it && g->me_moderator && it->kind == DI_MEMBER) {
			if (!s->have_me || memcmp(it->id, s->me, 32) != 0)
				s->now[n++] = ACT_GROUP_REMOVE;
			s->now[n++] = ACT_GROUP_MODERATOR;
		}
		if (it && g->me_member && it->kind == DI_POST)
			s->now[n++] = ACT_GROUP_HELPFUL;
		if (keys)
			s->now[n++] = ACT_GROUP_KEYS;
		s->now[n++] = g->me_member ? ACT_GROUP_POST : ACT_GROUP_JOIN;
		if (!s->open)
			s->now[n++] = ACT_ENTER;
		if (g->me_moderator)
			s->now[n++] = ACT_GROUP_INVITE;
		if (g->me_member)
			s->now[n++] = ACT_GROUP_LEAVE;
	}
	s->now[n++] = s->open ? ACT_BACK : ACT_GROUP_CREATE;
	s->now[n] = ACT_NONE;
	return s->now;
}

const struct view_ops view_dao = {
	.name = "dao",
	.title = "DAO",
	.in_nav = true,
	.roles = "patient therapist council member",
	.help = "Peer-support groups: topic, charter, members and posts. Posts are encrypted to "
		"the members with a group key that rotates when someone leaves or is removed, so "
		"a post shows as text only where you hold the key of its epoch. J joins the "
		"selected group by its policy: an open group at once, an invitation you hold is "
		"accepted, an application group takes your application, with a message only its "
		"moderators can read, for a moderator (or a group vote). A new member waits for the key until a member holding it opens the "
		"group (the key is then shared with them) or presses K; admitting an applicant "
		"shares it at once. Enter opens a group: moderators then admit (a) or refuse (x) "
		"the selected application, remove a member (R; the key rotates so they cannot "
		"read later posts) and make moderators (M, or step down yourself); members mark "
		"a post helpful (+), which adds to its author's community reputation. C creates "
		"a group. Every op asks first; a refusal shows the contract's reason.",
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
