/* view_notes.c - Session notes: the encrypted notes of one session. The
 * therapist writes in a small editor (n); saving encrypts the text before
 * any op exists (home_care_note_add: sealed to the therapist alone, or with
 * ^T as a shared summary also to the patient) and sends note.add with only
 * the blob's hash and the sealed keys. Notes are opened one at a time, when
 * selected, with the key sealed to you (home_care_open); a note sealed to
 * someone else shows as such. Without a session picked (from My sessions or
 * Clients) the screen lists your sessions to choose from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_care.h"
#include "ui/care_view.h"

#define NOTE_TEXT_MAX 4000
#define NOTE_LINES 256

struct note_row {
	struct qc_note n;
};

struct note_editor {
	bool open, shared, dirty, literal;
	char buf[NOTE_TEXT_MAX + 1];
	size_t len, cur;
	int top;                      /* first wrapped line shown */
};

struct note_state {
	struct tui *t;
	bool chooser;                 /* listing sessions (no session picked) */
	struct qc_session ses;        /* the session whose notes are shown */
	char with[72];
	struct note_row *rows;
	size_t n, cap;
	struct qc_session *pick;      /* chooser rows */
	size_t npick, pcap;
	struct ui_list list;
	int list_y;
	uint8_t open_id[32];          /* the note whose text is in `text` */
	bool have_text;
	char text[NOTE_TEXT_MAX + 256];
	struct note_editor ed;
};

/* ---- data ------------------------------------------------------------------ */

static int note_cb(void *ud, const struct qc_note *n)
{
	struct note_state *s = ud;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct note_row *v = realloc(s->rows, cap * sizeof *v);
		if (!v)
			return 1;
		s->rows = v;
		s->cap = cap;
	}
	s->rows[s->n++].n = *n;
	return 0;
}

static int note_pick_cb(void *ud, const struct qc_session *r)
{
	struct note_state *s = ud;
	if (s->npick == s->pcap) {
		size_t cap = s->pcap ? s->pcap * 2 : 16;
		struct qc_session *v = realloc(s->pick, cap * sizeof *v);
		if (!v)
			return 1;
		s->pick = v;
		s->pcap = cap;
	}
	s->pick[s->npick++] = *r;
	return 0;
}

static void note_load_chooser(struct tui *t, struct note_state *s)
{
	s->npick = 0;
	query_care_sessions(t->h->st, t->as_pk, QC_UPCOMING, t->now, note_pick_cb, s, NULL);
	query_care_sessions(t->h->st, t->as_pk, QC_PAST, t->now, note_pick_cb, s, NULL);
	ui_list_set_count(&s->list, s->npick);
}

static void note_reload(struct tui *t, void *st)
{
	struct note_state *s = st;
	struct care_ui_pick *p = care_ui_pick();
	struct mv_err err;
	s->n = 0;
	if (!t->has_as || !t->h->st)
		return;
	s->chooser = !p->has_session ||
		     query_care_session(t->h->st, p->session, t->as_pk, t->now, &s->ses, &err) != MV_OK;
	if (s->chooser) {
		note_load_chooser(t, s);
		return;
	}
	care_view_name(t, s->ses.as_therapist ? s->ses.s.patient : s->ses.s.therapist, s->with,
		       sizeof s->with);
	mv_err_clear(&err);
	if (query_care_notes(t->h->st, s->ses.s.id, t->as_pk, note_cb, s, &err) != MV_OK)
		tui_toast(t, UI_ERROR, "notes: %s", err.msg);
	ui_list_set_count(&s->list, s->n);
	s->have_text = false;
}

/* Open the selected note into s->text (once per selection). */
static void note_open_selected(struct tui *t, struct note_state *s)
{
	size_t item;
	struct mv_buf plain = {0};
	struct mv_err err;
	if (s->chooser || !ui_list_selected(&s->list, &item) || item >= s->n)
		return;
	const struct qc_note *n = &s->rows[item].n;
	if (s->have_text && memcmp(s->open_id, n->id, 32) == 0)
		return;
	memcpy(s->open_id, n->id, 32);
	s->have_text = true;
	if (!n->has_key) {
		snprintf(s->text, sizeof s->text, "(sealed to %s: you hold no key for it)",
			 n->shared ? "the therapist and the patient" : "the therapist alone");
		return;
	}
	mv_err_clear(&err);
	if (home_care_open(t->h, t->as, n->blob, n->key, &plain, &err) != MV_OK) {
		snprintf(s->text, sizeof s->text, "(cannot open: %s)", err.msg);
		return;
	}
	snprintf(s->text, sizeof s->text, "%.*s", (int)plain.len, (const char *)plain.data);
	memset(plain.data, 0, plain.len);
	mv_buf_free(&plain);
}

/* ---- the editor -------------------------------------------------------------- */

static void note_ed_open(struct tui *t, struct note_state *s)
{
	memset(&s->ed, 0, sizeof s->ed);
	s->ed.open = true;
	t->focus_main = true;
}

static bool note_ed_insert(struct note_editor *e, uint32_t cp)
{
	char enc[4];
	size_t k = ui_utf8_encode(enc, cp);
	if (e->len + k > NOTE_TEXT_MAX)
		return false;
	memmove(e->buf + e->cur + k, e->buf + e->cur, e->len - e->cur);
	memcpy(e->buf + e->cur, enc, k);
	e->len += k;
	e->cur += k;
	e->buf[e->len] = '\0';
	e->dirty = true;
	return true;
}

static void note_ed_backspace(struct note_editor *e)
{
	if (e->cur == 0)
		return;
	size_t p = ui_utf8_prev(e->buf, e->cur);
	memmove(e->buf + p, e->buf + e->cur, e->len - e->cur);
	e->len -= e->cur - p;
	e->cur = p;
	e->buf[e->len] = '\0';
	e->dirty = true;
}

static void note_ed_discard_yes(struct tui *t, void *ud)
{
	struct note_state *s = ud;
	memset(&s->ed, 0, sizeof s->ed);
}

static void note_ed_save(struct tui *t, struct note_state *s)
{
	struct submit_result res;
	struct mv_err err;
	if (s->ed.len == 0) {
		tui_toast(t, UI_WARNING, "the note is empty");
		return;
	}
	mv_err_clear(&err);
	int rc = home_care_note_add(t->h, t->as, s->ses.s.id, s->ed.buf, s->ed.shared, &res, &err);
	if (tui_submitted(t, rc, &res, &err) != MV_OK)
		return;
	tui_toast(t, UI_SUCCESS, "%s saved, encrypted to %s", s->ed.shared ? "summary" : "note",
		  s->ed.shared ? "you and the patient" : "you alone");
	memset(&s->ed, 0, sizeof s->ed);
}

static int note_ed_key(struct tui *t, struct note_state *s, int key)
{
	struct note_editor *e = &s->ed;
	if (e->literal) {
		e->literal = false;
		if (ui_key_is_text(key))
			note_ed_insert(e, (uint32_t)key);
		return TUI_DRAW_VIEW;
	}
	if (key == UI_CTRL('s')) {
		tui_crisis_check(t, s->ed.buf); /* the screen opens after the save */
		note_ed_save(t, s);
		return TUI_DRAW_ALL | TUI_RELOAD;
	}
	if (key == UI_ESC) {
		if (e->dirty)
			tui_confirm(t, "Discard note", "Close the editor and lose what you wrote?",
				    "Discard", note_ed_discard_yes, s);
		else
			e->open = false;
		return TUI_DRAW_ALL;
	}
	if (key == UI_CTRL('t'))
		e->shared = !e->shared;
	else if (key == UI_CTRL('v'))
		e->literal = true;
	else if (ui_key_is_enter(key))
		note_ed_insert(e, '\n');
	else if (ui_key_is_backspace(key))
		note_ed_backspace(e);
	else if (key == UI_FN(KEY_LEFT))
		e->cur = ui_utf8_prev(e->buf, e->cur);
	else if (key == UI_FN(KEY_RIGHT))
		e->cur = ui_utf8_next(e->buf, e->len, e->cur);
	else if (key == UI_FN(KEY_HOME))
		e->cur = 0;
	else if (key == UI_FN(KEY_END))
		e->cur = e->len;
	else if (ui_key_is_text(key) && !note_ed_insert(e, (uint32_t)key))
		tui_toast(t, UI_WARNING, "a note holds at most %d bytes", NOTE_TEXT_MAX);
	return TUI_DRAW_VIEW;
}

/* Draw the editor's text from row y in h rows; places the cursor. */
static void note_ed_draw_text(struct tui *t, struct note_state *s, int y, int h)
{
	static size_t st[NOTE_LINES], ln[NOTE_LINES];
	struct note_editor *e = &s->ed;
	int w = t->main_w - 2;
	size_t n = ui_wrap(e->buf, w, st, ln, NOTE_LINES);
	if (n > NOTE_LINES)
		n = NOTE_LINES;
	size_t cl = 0;
	int cc = 0;
	for (size_t i = 0; i < n; i++)
		if (st[i] <= e->cur) {
			cl = i;
			cc = ui_text_width_n(e->buf + st[i], e->cur - st[i]);
		}
	if (e->len && e->cur == e->len && e->buf[e->len - 1] == '\n') {
		cl = n;
		cc = 0;
	}
	if ((int)cl < e->top)
		e->top = (int)cl;
	if ((int)cl >= e->top + h)
		e->top = (int)cl - h + 1;
	for (int r = 0; r < h && (size_t)(e->top + r) < n; r++) {
		char line[NOTE_TEXT_MAX + 1];
		size_t i = (size_t)(e->top + r);
		memcpy(line, e->buf + st[i], ln[i]);
		line[ln[i]] = '\0';
		ui_put(stdscr, y + r, t->main_x + 1, w, A_NORMAL, line);
	}
	t->cur_y = y + (int)cl - e->top;
	t->cur_x = t->main_x + 1 + (cc < w ? cc : w - 1);
}

static void note_ed_draw(struct tui *t, struct note_state *s)
{
	char title[200];
	snprintf(title, sizeof title, "%s · %s", s->ed.shared ? "Shared summary" : "Private note",
		 s->ses.title);
	tui_view_title(t, title, "^S save · Esc discard");
	ui_putf(stdscr, t->main_y + 1, t->main_x, t->main_w, theme_attr(s->ed.shared ? TH_WARN : TH_OK),
		"%s · ^T makes it %s", s->ed.shared ? "encrypted to you and the patient"
		: "encrypted to you alone", s->ed.shared ? "private" : "a shared summary");
	int y = t->main_y + 2, h = t->main_h - 3;
	ui_box(stdscr, y, t->main_x, h, t->main_w, theme_attr(TH_BORDER), NULL);
	note_ed_draw_text(t, s, y + 1, h - 2);
}

/* ---- drawing --------------------------------------------------------------------- */

static void note_row_draw(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct note_state *s = ud;
	const struct qc_note *n = &s->rows[item].n;
	char when[48];
	int base = sel ? theme_attr(TH_SEL) : 0;
	care_ui_fmt_short(when, sizeof when, n->time);
	ui_putf(win, y, x, width, base, "%-17s %s%s", when, n->shared ? "shared summary" : "private note",
		n->has_key ? "" : " · sealed to others");
}

static void note_pick_draw(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct note_state *s = ud;
	const struct qc_session *r = &s->pick[item];
	char when[48], who[72];
	int base = sel ? theme_attr(TH_SEL) : 0;
	care_ui_fmt_short(when, sizeof when, r->s.start);
	care_view_name(s->t, r->as_therapist ? r->s.patient : r->s.therapist, who, sizeof who);
	ui_putf(win, y, x, width, base, "%-17s %-18s %s", when, who, r->title);
}

static void note_draw(struct tui *t, void *st)
{
	struct note_state *s = st;
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	if (s->ed.open) {
		note_ed_draw(t, s);
		return;
	}
	if (s->chooser) {
		tui_view_title(t, "Session notes", "choose a session");
		if (!s->npick) {
			care_view_empty(t, y, "No sessions yet: notes belong to a session.");
			return;
		}
		s->list_y = y - t->main_y;
		ui_list_draw(stdscr, &s->list, y, t->main_x, bottom - y, t->main_w, t->focus_main,
			     note_pick_draw, s);
		return;
	}
	char when[48], title[160];
	care_ui_fmt_short(when, sizeof when, s->ses.s.start);
	snprintf(title, sizeof title, "Notes · %s", s->ses.title);
	tui_view_title(t, title, "");
	ui_putf(stdscr, t->main_y + 1, t->main_x, t->main_w, theme_attr(TH_DIM), "%s with %s · %zu "
		"encrypted note%s", when, s->with, s->n, s->n == 1 ? "" : "s");
	if (!s->n) {
		care_view_empty(t, y + 1, s->ses.as_therapist ? "No notes yet. n writes one (private, or "
				"^T for a summary the patient can read)." : "No notes shared with you.");
		return;
	}
	int list_h = s->n < 6 ? (int)s->n : 6;
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, list_h, t->main_w, t->focus_main, note_row_draw, s);
	y += list_h;
	ui_hline(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_BORDER));
	note_open_selected(t, s);
	if (s->have_text)
		ui_doc_draw(stdscr, y, t->main_x, bottom - y, t->main_w, s->text, 0);
}

/* ---- input ------------------------------------------------------------------------ */

static int note_key(struct tui *t, void *st, int key)
{
	struct note_state *s = st;
	return s->ed.open ? note_ed_key(t, s, key) : TUI_UNHANDLED;
}

static int note_action(struct tui *t, void *st, enum tui_action a)
{
	struct note_state *s = st;
	size_t item;
	if (s->ed.open)
		return TUI_HANDLED;
	if (s->chooser && a == ACT_ENTER && ui_list_selected(&s->list, &item) && item < s->npick) {
		struct care_ui_pick *p = care_ui_pick();
		memcpy(p->session, s->pick[item].s.id, 32);
		p->has_session = true;
		ui_list_top(&s->list);
		note_reload(t, s);
		return TUI_DRAW_ALL;
	}
	if (!s->chooser && a == ACT_NEW) {
		if (!s->ses.as_therapist) {
			tui_toast(t, UI_WARNING, "only the session's therapist writes notes");
			return TUI_DRAW_ALL;
		}
		note_ed_open(t, s);
		return TUI_DRAW_ALL;
	}
	if (!s->chooser && a == ACT_BACK) {
		care_ui_pick()->has_session = false; /* next time: the chooser */
		return TUI_UNHANDLED;
	}
	return tui_list_action(&s->list, a);
}

static int note_click(struct tui *t, void *st, int y, int x)
{
	struct note_state *s = st;
	if (s->ed.open)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool note_dirty(struct tui *t, void *st)
{
	struct note_state *s = st;
	return s->ed.open && s->ed.dirty;
}

static const enum tui_action note_actions[] = { ACT_NEW, ACT_BACK, ACT_NONE };
static const enum tui_action note_pick_actions[] = { ACT_ENTER, ACT_NONE };
static const enum tui_action note_ed_actions[] = { ACT_FORM_SUBMIT, ACT_FORM_CANCEL,
						   ACT_FORM_LITERAL, ACT_NONE };

static const enum tui_action *note_actions_now(struct tui *t, void *st)
{
	struct note_state *s = st;
	if (s->ed.open)
		return note_ed_actions;
	if (s->chooser)
		return note_pick_actions;
	return s->ses.as_therapist ? note_actions : note_actions + 1;
}

static void note_show(struct tui *t, void *st)
{
	struct note_state *s = st;
	ui_list_top(&s->list);
	note_reload(t, s);
}

static bool note_init(struct tui *t, void **st)
{
	struct note_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void note_fini(struct tui *t, void *st)
{
	struct note_state *s = st;
	memset(s->text, 0, sizeof s->text);
	memset(&s->ed, 0, sizeof s->ed);
	ui_list_free(&s->list);
	free(s->rows);
	free(s->pick);
	free(s);
}

const struct view_ops view_notes = {
	.name = "notes",
	.title = "Notes",
	.in_nav = true,
	.roles = "therapist",
	.help = "Notes of one session, encrypted on this machine before anything is signed: "
		"a private note is sealed to the therapist alone, a shared summary (^T in the "
		"editor) to the therapist and the patient. Other nodes learn only that a note "
		"exists and its size in 256-byte steps. n opens the editor (Enter is a new line, "
		"^S saves, Esc discards); the selected note is opened with your key.",
	.actions = note_actions,
	.actions_now = note_actions_now,
	.init = note_init,
	.fini = note_fini,
	.reload = note_reload,
	.draw = note_draw,
	.key = note_key,
	.action = note_action,
	.click = note_click,
	.dirty = note_dirty,
	.show = note_show,
};
