/* view_companion.c - Companion: the built-in companion, on this device
 * only. Today's check-in (i: mood 1-10, tags, a note), the mood chart of
 * the last 30 or 90 days (v), the entries of the last year, newest first,
 * with the selected one in full, a guided thought record (n: situation,
 * automatic thought, emotion and intensity, evidence for and against, a
 * balanced thought, the emotion re-rated), sharing check-ins with a
 * therapist in your care team (s: who will read what is shown before you
 * confirm), and deleting an entry (d). The statement that the companion is
 * not a clinician and how to reach crisis help stays on screen in every
 * mode.
 *
 * Entries are encrypted on this device (core/companion.h) under a key
 * derived from the identity; the screen holds that key in guarded memory
 * while it shows the identity's entries and wipes it on a switch. An
 * identity with a passphrase unlocks on Enter, so no prompt appears by
 * surprise. Text typed here goes through the shell's crisis-word check
 * like every form: the entry is saved first, then the crisis screen opens. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_companion.h"
#include "core/home_people.h"
#include "core/people.h"
#include "ui/companion_ui.h"
#include "ui/view.h"

#define VC_YEAR (365 * COMPANION_DAY_MS)
#define VC_MAX_THERAPISTS 8

enum vc_mode { VC_LIST, VC_CHECKIN, VC_THOUGHT, VC_SHARE };

struct vc_row {
	int kind;      /* COMPANION_CHECKIN or COMPANION_THOUGHT */
	size_t idx;    /* into ci or th */
	int64_t time, id;
};

struct vc_state {
	struct tui *t;
	char keyed[KS_NAME_MAX + 1];      /* identity whose key is held ("" = none) */
	uint8_t owner[32];
	uint8_t *key;                     /* sodium_malloc'd, NULL when locked */
	char locked[sizeof ((struct mv_err *)0)->msg]; /* why there is no key ("" = none tried) */
	struct companion_checkin *ci;
	size_t nci, capci;
	struct companion_thought *th;
	size_t nth, capth;
	struct vc_row *rows;
	size_t nrows, caprows;
	struct ui_list list;
	int list_y;
	int days;                         /* chart: 30 or 90 */
	enum vc_mode mode;
	struct ui_form form;
	uint8_t therapists[VC_MAX_THERAPISTS][32];
	size_t ntherapists;
	uint8_t share_to[32];             /* waiting for the confirmation */
	int share_days;
};

/* ---- key and data -------------------------------------------------------- */

static void vc_forget_data(struct vc_state *s)
{
	if (s->ci)
		sodium_memzero(s->ci, s->capci * sizeof *s->ci);
	if (s->th)
		sodium_memzero(s->th, s->capth * sizeof *s->th);
	s->nci = s->nth = s->nrows = 0;
	ui_list_set_count(&s->list, 0);
}

static void vc_lock(struct vc_state *s)
{
	if (s->key)
		sodium_free(s->key);
	s->key = NULL;
	s->keyed[0] = '\0';
	vc_forget_data(s);
}

static int vc_ci_cb(void *ud, const struct companion_checkin *c)
{
	struct vc_state *s = ud;
	if (s->nci == s->capci) {
		size_t cap = s->capci ? s->capci * 2 : 64;
		struct companion_checkin *v = realloc(s->ci, cap * sizeof *v);
		if (!v)
			return 1;
		s->ci = v;
		s->capci = cap;
	}
	s->ci[s->nci++] = *c;
	return 0;
}

static int vc_th_cb(void *ud, const struct companion_thought *t)
{
	struct vc_state *s = ud;
	if (s->nth == s->capth) {
		size_t cap = s->capth ? s->capth * 2 : 16;
		struct companion_thought *v = realloc(s->th, cap * sizeof *v);
		if (!v)
			return 1;
		s->th = v;
		s->capth = cap;
	}
	s->th[s->nth++] = *t;
	return 0;
}

static bool vc_row_add(struct vc_state *s, int kind, size_t idx, int64_t time, int64_t id)
{
	if (s->nrows == s->caprows) {
		size_t cap = s->caprows ? s->caprows * 2 : 64;
		struct vc_row *v = realloc(s->rows, cap * sizeof *v);
		if (!v)
			return false;
		s->rows = v;
		s->caprows = cap;
	}
	s->rows[s->nrows++] = (struct vc_row){kind, idx, time, id};
	return true;
}

/* Rows newest first: merge the two ascending lists from their ends. */
static void vc_rows(struct vc_state *s)
{
	size_t a = s->nci, b = s->nth;
	s->nrows = 0;
	while (a || b) {
		bool take_ci = a && (!b || s->ci[a - 1].time >= s->th[b - 1].time);
		bool ok = take_ci ? vc_row_add(s, COMPANION_CHECKIN, a - 1, s->ci[a - 1].time, s->ci[a - 1].id)
				  : vc_row_add(s, COMPANION_THOUGHT, b - 1, s->th[b - 1].time, s->th[b - 1].id);
		if (!ok)
			break;
		if (take_ci)
			a--;
		else
			b--;
	}
	ui_list_set_count(&s->list, s->nrows);
}

static void vc_load(struct tui *t, struct vc_state *s)
{
	struct mv_err err;
	vc_forget_data(s);
	if (!s->key)
		return;
	mv_err_clear(&err);
	int64_t since = t->now - VC_YEAR;
	if (companion_checkins(t->h->st, s->owner, s->key, since, vc_ci_cb, s, &err) != MV_OK ||
	    companion_thoughts(t->h->st, s->owner, s->key, since, vc_th_cb, s, &err) != MV_OK) {
		snprintf(s->locked, sizeof s->locked, "%s", err.msg);
		vc_lock(s);
		return;
	}
	vc_rows(s);
}

/* Derive the key of the acting identity (asks for its passphrase if it has
 * one); false with s->locked set if it cannot. */
static bool vc_unlock(struct tui *t, struct vc_state *s)
{
	struct mv_err err;
	vc_lock(s);
	if (!t->has_as) {
		snprintf(s->locked, sizeof s->locked, "no identity: create one in Identities");
		return false;
	}
	s->key = sodium_malloc(COMPANION_KEY_LEN);
	mv_err_clear(&err);
	if (!s->key || home_companion_key(t->h, t->as, s->owner, s->key, &err) != MV_OK) {
		snprintf(s->locked, sizeof s->locked, "%s", s->key ? err.msg : "out of memory");
		vc_lock(s);
		return false;
	}
	snprintf(s->keyed, sizeof s->keyed, "%s", t->as);
	s->locked[0] = '\0';
	vc_load(t, s);
	return s->key != NULL;
}

static void vc_reload(struct tui *t, void *st)
{
	struct vc_state *s = st;
	if (s->key && t->has_as && strcmp(s->keyed, t->as) == 0) {
		vc_load(t, s);
		return;
	}
	vc_lock(s);
	s->locked[0] = '\0';
	if (t->has_as && home_companion_key_ready(t->h, t->as))
		vc_unlock(t, s);
}

/* ---- forms ------------------------------------------------------------------- */

static void vc_form_close(struct vc_state *s)
{
	ui_form_free(&s->form);
	s->mode = VC_LIST;
}

static bool vc_score_choices(struct ui_field *f, int lo, int hi, int step, const char *suffix)
{
	struct ui_choice c[11];
	size_t n = 0;
	for (int v = lo; v <= hi && n < 11; v += step, n++) {
		snprintf(c[n].value, sizeof c[n].value, "%d", v);
		snprintf(c[n].label, sizeof c[n].label, "%d%s", v, suffix);
	}
	return ui_field_set_choices(f, c, n);
}

static void vc_open_checkin(struct vc_state *s)
{
	static const char *const words[10] = {"very low", "low", "low", "rather low", "so-so",
					      "okay", "rather good", "good", "good", "very good"};
	struct ui_choice c[10];
	ui_form_init(&s->form, "");
	struct ui_field *f = ui_form_add(&s->form, UF_CHOICE, "Mood", true,
					 "a digit (0 is 10) or ←/→: 1 very low … 10 very good");
	for (int i = 0; i < 10; i++) {
		snprintf(c[i].value, sizeof c[i].value, "%d", i + 1);
		snprintf(c[i].label, sizeof c[i].label, "%d · %s", i + 1, words[i]);
	}
	if (f && ui_field_set_choices(f, c, 10))
		f->choice = s->nci ? (size_t)(s->ci[s->nci - 1].score - 1) : 4;
	f = ui_form_add(&s->form, UF_TEXT, "Tags", false, "comma-separated: sleep, work, family");
	if (f)
		f->max_bytes = COMPANION_TAGS_LEN < UI_FIELD_MAX - 1 ? COMPANION_TAGS_LEN : UI_FIELD_MAX - 1;
	ui_form_add(&s->form, UF_TEXT, "Note", false, "anything you want to remember (Enter saves)");
	s->mode = VC_CHECKIN;
}

static void vc_open_thought(struct vc_state *s)
{
	static const struct {
		const char *label, *hint;
		bool required;
	} steps[] = {
		{"1 Situation", "What happened? Where, when, with whom?", true},
		{"2 Thought", "What went through your mind, in its words?", true},
		{"3 Emotion", "One word: anxious, sad, angry, ashamed...", true},
		{"4 Intensity", "How strong was it? ←/→ or a digit: 0-100%", true},
		{"5 For", "Facts that support the thought (not feelings)", false},
		{"6 Against", "Facts against it: what would a friend say?", false},
		{"7 Balanced", "A fairer view that takes both sides into account", false},
		{"8 Re-rate", "How strong now? ←/→ or a digit (Enter saves)", true},
	};
	ui_form_init(&s->form, "");
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		bool choice = i == 3 || i == 7;
		struct ui_field *f = ui_form_add(&s->form, choice ? UF_CHOICE : UF_TEXT, steps[i].label,
						 steps[i].required, steps[i].hint);
		if (f && choice && vc_score_choices(f, 0, 100, 10, "%"))
			f->choice = i == 3 ? 7 : 4;
		if (f && i == 2)
			f->max_bytes = COMPANION_EMOTION_MAX;
	}
	s->mode = VC_THOUGHT;
}

static int vc_therapist_cb(void *ud, const uint8_t therapist[32])
{
	struct vc_state *s = ud;
	if (s->ntherapists < VC_MAX_THERAPISTS)
		memcpy(s->therapists[s->ntherapists++], therapist, 32);
	return 0;
}

static int vc_open_share(struct tui *t, struct vc_state *s)
{
	uint8_t me[32];
	struct mv_err err;
	struct ui_choice c[VC_MAX_THERAPISTS];
	mv_err_clear(&err);
	s->ntherapists = 0;
	if (!t->h->has_network || home_people_account(t->h, t->as, me, &err) != MV_OK ||
	    home_companion_therapists(t->h, me, vc_therapist_cb, s, &err) != MV_OK) {
		tui_toast(t, UI_ERROR, "cannot share: %s", err.msg[0] ? err.msg : "this home has no network");
		return TUI_DRAW_ALL;
	}
	if (s->ntherapists == 0) {
		tui_toast(t, UI_WARNING, "no therapist in your care team yet: a care relation starts when a "
			  "therapist confirms your first session");
		return TUI_DRAW_ALL;
	}
	ui_form_init(&s->form, "");
	struct ui_field *f = ui_form_add(&s->form, UF_CHOICE, "Therapist", true,
					 "who may read them (your care team)");
	for (size_t i = 0; i < s->ntherapists; i++) {
		snprintf(c[i].value, sizeof c[i].value, "%zu", i);
		snprintf(c[i].label, sizeof c[i].label, "%s", tui_label(t, s->therapists[i]));
	}
	if (f)
		ui_field_set_choices(f, c, s->ntherapists);
	f = ui_form_add(&s->form, UF_CHOICE, "Check-ins", true, "which check-ins (Enter reviews)");
	static const struct ui_choice periods[] = {{"last 7 days", "7"}, {"last 30 days", "30"},
						  {"last 90 days", "90"}};
	if (f && ui_field_set_choices(f, periods, 3))
		f->choice = 1;
	s->mode = VC_SHARE;
	return TUI_DRAW_ALL;
}

/* ---- saving ------------------------------------------------------------------- */

static int vc_save_checkin(struct tui *t, struct vc_state *s)
{
	struct mv_err err;
	int64_t id;
	mv_err_clear(&err);
	int score = atoi(ui_field_value(&s->form.f[0]));
	int rc = companion_add_checkin(t->h->st, s->owner, s->key, t->now, score, s->form.f[1].buf,
				       s->form.f[2].buf, &id, &err);
	if (rc != MV_OK) {
		snprintf(s->form.f[strstr(err.msg, "tag") ? 1 : 2].err, sizeof s->form.f[0].err, "%.150s",
			 err.msg);
		return TUI_DRAW_VIEW;
	}
	vc_form_close(s);
	vc_load(t, s);
	ui_list_top(&s->list);
	tui_toast(t, UI_SUCCESS, "check-in saved: %d/10, encrypted on this device (nothing was sent)",
		  score);
	return TUI_DRAW_ALL;
}

static int vc_save_thought(struct tui *t, struct vc_state *s)
{
	struct mv_err err;
	int64_t id;
	struct companion_thought *th = sodium_malloc(sizeof *th);
	if (!th) {
		tui_toast(t, UI_ERROR, "out of memory");
		return TUI_DRAW_ALL;
	}
	memset(th, 0, sizeof *th);
	const struct {
		char *dst;
		size_t n;
		size_t field;
	} map[] = {
		{th->situation, sizeof th->situation, 0},
		{th->thought, sizeof th->thought, 1},
		{th->emotion, sizeof th->emotion, 2},
		{th->evidence_for, sizeof th->evidence_for, 4},
		{th->evidence_against, sizeof th->evidence_against, 5},
		{th->balanced, sizeof th->balanced, 6},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		snprintf(map[i].dst, map[i].n, "%s", s->form.f[map[i].field].buf);
	th->intensity = atoi(ui_field_value(&s->form.f[3]));
	th->rerated = atoi(ui_field_value(&s->form.f[7]));
	mv_err_clear(&err);
	int rc = companion_add_thought(t->h->st, s->owner, s->key, t->now, th, &id, &err);
	int before = th->intensity, after = th->rerated;
	sodium_free(th);
	if (rc != MV_OK) {
		tui_toast(t, UI_ERROR, "%s", err.msg);
		return TUI_DRAW_ALL;
	}
	vc_form_close(s);
	vc_load(t, s);
	ui_list_top(&s->list);
	tui_toast(t, UI_SUCCESS, "thought record saved on this device: %d%% -> %d%%", before, after);
	return TUI_DRAW_ALL;
}

/* Check-ins of the last `days` days (pointers into s->ci, ascending). */
static size_t vc_window(struct vc_state *s, int days, size_t *first)
{
	int64_t since = (s->t->now / COMPANION_DAY_MS - days + 1) * COMPANION_DAY_MS;
	size_t i = 0;
	while (i < s->nci && s->ci[i].time < since)
		i++;
	*first = i;
	return s->nci - i;
}

static void vc_share_yes(struct tui *t, void *ud)
{
	struct vc_state *s = ud;
	struct submit_result res;
	struct mv_err err;
	size_t first, n = vc_window(s, s->share_days, &first);
	bool turned_on = false;
	char who[80];
	memset(&res, 0, sizeof res);
	mv_err_clear(&err);
	snprintf(who, sizeof who, "%s", tui_label(t, s->share_to));
	int rc = home_companion_share(t->h, t->as, s->share_to, s->ci + first, n, &turned_on, &res, &err);
	if (tui_submitted(t, rc, &res, &err) != MV_OK)
		return;
	tui_toast(t, UI_SUCCESS, "%s can now read %zu check-in%s%s", who, n, n == 1 ? "" : "s",
		  turned_on ? " (mood sharing turned on in your privacy settings)" : "");
}

static int vc_review_share(struct tui *t, struct vc_state *s)
{
	char text[512], from[24], to[24], who[80];
	uint8_t me[32];
	struct people_privacy p;
	size_t idx = (size_t)atoi(ui_field_value(&s->form.f[0])), first;
	int days = atoi(ui_field_value(&s->form.f[1]));
	if (idx >= s->ntherapists)
		return TUI_DRAW_VIEW;
	size_t n = vc_window(s, days, &first);
	if (n == 0) {
		snprintf(s->form.f[1].err, sizeof s->form.f[1].err, "no check-ins in the last %d days", days);
		return TUI_DRAW_VIEW;
	}
	if (n > COMPANION_SHARE_MAX) {
		snprintf(s->form.f[1].err, sizeof s->form.f[1].err, "%zu check-ins: choose a shorter period", n);
		return TUI_DRAW_VIEW;
	}
	memcpy(s->share_to, s->therapists[idx], 32);
	s->share_days = days;
	vc_form_close(s);
	ui_fmt_time(from, sizeof from, s->ci[first].time);
	ui_fmt_time(to, sizeof to, s->ci[s->nci - 1].time);
	snprintf(who, sizeof who, "%s", tui_label(t, s->share_to));
	bool off = false;
	if (home_people_account(t->h, t->as, me, NULL) == MV_OK) {
		people_privacy_get(t->h->st, me, &p);
		off = !p.share_mood_with_therapist;
	}
	snprintf(text, sizeof text,
		 "%s will be able to read %zu check-in%s (%.10s to %.10s): scores, tags and notes. "
		 "They are sealed to %s and to you; the network sees only that you shared. "
		 "What they read cannot be unread.%s", who, n, n == 1 ? "" : "s", from, to, who,
		 off ? " This also turns on \"Mood log to therapist\" in your privacy settings." : "");
	tui_confirm(t, "Share check-ins", text, "Share", vc_share_yes, s);
	return TUI_DRAW_ALL;
}

static void vc_delete_yes(struct tui *t, void *ud)
{
	struct vc_state *s = ud;
	size_t item;
	struct mv_err err;
	if (!ui_list_selected(&s->list, &item))
		return;
	mv_err_clear(&err);
	if (companion_delete(t->h->st, s->owner, s->rows[item].id, &err) != MV_OK) {
		tui_toast(t, UI_ERROR, "%s", err.msg);
		return;
	}
	vc_load(t, s);
	tui_toast(t, UI_SUCCESS, "entry deleted from this device");
}

/* ---- drawing ---------------------------------------------------------------------- */

/* The statement, always on screen, its two sentences wrapped apart (so
 * "press !" never splits): returns the rows used. */
static int vc_draw_statement(struct tui *t, int y)
{
	static const char *const parts[] = {COMPANION_UI_NOT_CLINICIAN_1, COMPANION_UI_NOT_CLINICIAN_2};
	size_t st[3], ln[3];
	char line[256];
	int rows = 0;
	for (int p = 0; p < 2; p++) {
		size_t n = ui_wrap(parts[p], t->main_w, st, ln, 3);
		for (size_t i = 0; i < n && i < 3; i++, rows++) {
			snprintf(line, sizeof line, "%.*s", (int)ln[i], parts[p] + st[i]);
			ui_put(stdscr, y + rows, t->main_x, t->main_w, theme_attr(TH_WARN), line);
		}
	}
	return rows;
}

static void vc_draw_today(struct tui *t, struct vc_state *s, int y)
{
	const struct companion_checkin *c = s->nci ? &s->ci[s->nci - 1] : NULL;
	if (c && c->time / COMPANION_DAY_MS == t->now / COMPANION_DAY_MS) {
		ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_OK), "Today: %d/10%s%s%s%s",
			c->score, c->tags[0] ? " · " : "", c->tags, c->note[0] ? " · " : "", c->note);
		return;
	}
	ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_ACCENT),
	       "No check-in today · i: how is your mood, 1 to 10?");
}

static void vc_row_draw(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	struct vc_state *s = ud;
	const struct vc_row *r = &s->rows[item];
	char when[32];
	int base = sel ? theme_attr(TH_SEL) : 0, dim = sel ? base : theme_attr(TH_DIM);
	ui_fmt_time(when, sizeof when, r->time);
	ui_put(win, y, x, 17, dim, when);
	if (r->kind == COMPANION_CHECKIN) {
		const struct companion_checkin *c = &s->ci[r->idx];
		ui_putf(win, y, x + 18, w - 18, base, "mood %2d  %s%s%s", c->score, c->tags,
			c->tags[0] && c->note[0] ? " · " : "", c->note);
	} else {
		const struct companion_thought *th = &s->th[r->idx];
		ui_putf(win, y, x + 18, w - 18, base, "thought  %s %d%%→%d%% · %s", th->emotion,
			th->intensity, th->rerated, th->thought);
	}
}

/* The selected entry in full, wrapped, from y to bottom. */
static void vc_draw_detail(struct tui *t, struct vc_state *s, int y, int bottom)
{
	char buf[8 * (COMPANION_TEXT_MAX + 32)];
	size_t item, st[64], ln[64];
	if (y >= bottom || !ui_list_selected(&s->list, &item))
		return;
	const struct vc_row *r = &s->rows[item];
	if (r->kind == COMPANION_CHECKIN) {
		const struct companion_checkin *c = &s->ci[r->idx];
		snprintf(buf, sizeof buf, "Mood %d/10 · tags: %s\n%s", c->score, c->tags[0] ? c->tags : "none",
			 c->note);
	} else {
		const struct companion_thought *th = &s->th[r->idx];
		snprintf(buf, sizeof buf, "Situation: %s\nThought: %s\nEmotion: %s %d%%\nFor: %s\n"
			 "Against: %s\nBalanced: %s\nNow: %d%%", th->situation, th->thought, th->emotion,
			 th->intensity, th->evidence_for, th->evidence_against, th->balanced, th->rerated);
	}
	size_t n = ui_wrap(buf, t->main_w, st, ln, 64);
	ui_hline(stdscr, y++, t->main_x, t->main_w, theme_attr(TH_BORDER));
	for (size_t i = 0; i < n && i < 64 && y < bottom; i++, y++) {
		char line[sizeof buf];
		snprintf(line, sizeof line, "%.*s", (int)ln[i], buf + st[i]);
		ui_put(stdscr, y, t->main_x, t->main_w, A_NORMAL, line);
	}
}

static void vc_draw_list(struct tui *t, struct vc_state *s, int y)
{
	int bottom = t->main_y + t->main_h;
	char head[160], sum[96];
	vc_draw_today(t, s, y++);
	size_t first, n = vc_window(s, s->days, &first);
	companion_ui_summary(sum, sizeof sum, s->ci + first, n);
	snprintf(head, sizeof head, "Mood, last %d days · %s", s->days, sum);
	ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_TITLE), head);
	if (ui_text_width(head) + 12 <= t->main_w)
		ui_put(stdscr, y, t->main_x + t->main_w - 10, 10, theme_attr(TH_DIM),
		       s->days == 30 ? "v: 90 days" : "v: 30 days");
	y++;
	int ch = t->main_h >= 30 ? 6 : t->main_h >= 20 ? 4 : 2;
	y += companion_ui_chart(stdscr, y, t->main_x, ch, t->main_w, s->ci + first, n, t->now, s->days,
				theme_attr(TH_ACCENT));
	if (s->nrows == 0) {
		ui_put(stdscr, y + 1, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "No entries yet. i records a check-in, n walks you through a thought record.");
		return;
	}
	/* the list takes what the selected entry's text leaves (a thought
	 * record needs about nine rows, a check-in three) */
	size_t item;
	int want = ui_list_selected(&s->list, &item) && s->rows[item].kind == COMPANION_THOUGHT ? 9 : 4;
	int rem = bottom - y, lh = rem - want < rem / 2 ? rem / 2 : rem - want;
	if (lh < 1)
		lh = 1;
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, lh, t->main_w, t->focus_main, vc_row_draw, s);
	vc_draw_detail(t, s, y + lh, bottom);
}

/* The open form under its title from row y. When the screen is too short
 * for every field (two rows each), it shows the fields from the one that
 * keeps the focused field in view, so a thought record works at 80x24 and
 * in a 50x14 terminal alike. */
static void vc_draw_form(struct tui *t, struct vc_state *s, int y)
{
	char title[96];
	int cy, cx, bottom = t->main_y + t->main_h;
	if (s->mode == VC_THOUGHT)
		snprintf(title, sizeof title, "Thought record · step %zu of %zu · Tab next, ^S saves",
			 s->form.focus + 1, s->form.n);
	else
		snprintf(title, sizeof title, "%s", s->mode == VC_CHECKIN ? "Check in: how is your mood today?"
			 : "Share check-ins with your therapist");
	ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_TITLE), title);
	int fit = (bottom - y - 1) / 2;
	size_t first = 0;
	if (fit < 1)
		fit = 1;
	if (s->form.focus >= (size_t)fit)
		first = s->form.focus - (size_t)fit + 1;
	if (first == 0) {
		ui_form_draw(stdscr, &s->form, y + 1, t->main_x, t->main_w, t->focus_main, &cy, &cx);
	} else {
		/* a window on the fields: a copy shifted by `first` (it owns nothing) */
		struct ui_form win = s->form;
		memmove(win.f, win.f + first, (win.n - first) * sizeof win.f[0]);
		win.n -= first;
		win.focus -= first;
		ui_form_draw(stdscr, &win, y + 1, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		s->form.f[s->form.focus].scroll = win.f[win.focus].scroll;
	}
	t->cur_y = cy;
	t->cur_x = cx;
}

static void vc_draw(struct tui *t, void *st)
{
	struct vc_state *s = st;
	int y = t->main_y;
	char right[64];
	snprintf(right, sizeof right, "%s", s->key ? "encrypted on this device" : "locked");
	tui_view_title(t, "Companion", right);
	y += 1;
	y += vc_draw_statement(t, y);
	if (!s->key) {
		ui_put(stdscr, y + 1, t->main_x, t->main_w, A_NORMAL,
		       s->locked[0] ? s->locked : "Your entries are encrypted with your identity's key.");
		ui_put(stdscr, y + 2, t->main_x, t->main_w, theme_attr(TH_ACCENT),
		       t->has_as ? "Enter unlocks them (your passphrase is asked once)." : "");
		return;
	}
	if (s->mode == VC_LIST) {
		vc_draw_list(t, s, y);
		return;
	}
	vc_draw_form(t, s, y + 1);
}

/* ---- input --------------------------------------------------------------------------- */

/* A digit on a score field picks directly: mood 1-9 (0 is 10), intensity
 * 0-90% (100% is one step right of 90%). */
static bool vc_digit(struct vc_state *s, int key)
{
	struct ui_field *f = &s->form.f[s->form.focus];
	if (key < '0' || key > '9' || f->kind != UF_CHOICE || s->mode == VC_SHARE)
		return false;
	size_t d = (size_t)(key - '0');
	if (s->mode == VC_CHECKIN)
		d = d == 0 ? 9 : d - 1;
	if (d < f->nchoices) {
		f->choice = d;
		s->form.dirty = true;
	}
	return true;
}

static int vc_key(struct tui *t, void *st, int key)
{
	struct vc_state *s = st;
	if (s->mode == VC_LIST)
		return TUI_UNHANDLED;
	if (vc_digit(s, key))
		return TUI_DRAW_VIEW;
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_IGNORED:
		return TUI_UNHANDLED;
	case UI_FORM_CANCEL:
		vc_form_close(s);
		return TUI_DRAW_ALL;
	case UI_FORM_SUBMIT:
		if (ui_form_validate(&s->form) >= 0)
			return TUI_DRAW_VIEW;
		if (!s->key) {
			vc_form_close(s);
			return TUI_DRAW_ALL;
		}
		return s->mode == VC_CHECKIN ? vc_save_checkin(t, s)
		       : s->mode == VC_THOUGHT ? vc_save_thought(t, s) : vc_review_share(t, s);
	default:
		return TUI_DRAW_VIEW;
	}
}

static int vc_action(struct tui *t, void *st, enum tui_action a)
{
	struct vc_state *s = st;
	if (!s->key) {
		if (a == ACT_ENTER && t->has_as) {
			vc_unlock(t, s);
			return TUI_DRAW_ALL;
		}
		if (a == ACT_CHECKIN || a == ACT_NEW || a == ACT_SEND || a == ACT_CANCEL) {
			tui_toast(t, UI_WARNING, "%s", t->has_as ? "Enter unlocks your companion entries first"
				  : "no identity: create one in Identities");
			return TUI_DRAW_ALL;
		}
		return TUI_UNHANDLED;
	}
	switch (a) {
	case ACT_CHECKIN:
	case ACT_MOOD:
		vc_open_checkin(s);
		return TUI_DRAW_ALL;
	case ACT_NEW:
	case ACT_THOUGHT:
		vc_open_thought(s);
		return TUI_DRAW_ALL;
	case ACT_SEND:
	case ACT_SHARE_MOOD:
		return vc_open_share(t, s);
	case ACT_RANGE:
		s->days = s->days == 30 ? 90 : 30;
		return TUI_DRAW_VIEW;
	case ACT_CANCEL:
	case ACT_FORGET:
		if (s->nrows)
			tui_confirm(t, "Delete entry", "Delete the selected entry from this device? It cannot "
				    "be restored. Check-ins already shared stay with the therapist.",
				    "Delete", vc_delete_yes, s);
		return TUI_DRAW_ALL;
	default:
		return tui_list_action(&s->list, a);
	}
}

static int vc_click(struct tui *t, void *st, int y, int x)
{
	struct vc_state *s = st;
	if (s->mode != VC_LIST)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static const enum tui_action vc_actions[] = {ACT_MOOD, ACT_THOUGHT, ACT_SHARE_MOOD, ACT_RANGE,
					     ACT_FORGET, ACT_NONE};
static const enum tui_action vc_locked_actions[] = {ACT_ENTER, ACT_NONE};
static const enum tui_action vc_form_actions[] = {ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL,
						  ACT_FORM_LITERAL, ACT_NONE};

static const enum tui_action *vc_actions_now(struct tui *t, void *st)
{
	struct vc_state *s = st;
	if (!s->key)
		return vc_locked_actions;
	return s->mode == VC_LIST ? vc_actions : vc_form_actions;
}

static bool vc_dirty(struct tui *t, void *st)
{
	struct vc_state *s = st;
	return s->mode != VC_LIST && s->form.dirty;
}

static bool vc_init(struct tui *t, void **st)
{
	struct vc_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	s->days = 30;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void vc_fini(struct tui *t, void *st)
{
	struct vc_state *s = st;
	vc_lock(s);
	if (s->mode != VC_LIST)
		ui_form_free(&s->form);
	ui_list_free(&s->list);
	free(s->ci);
	free(s->th);
	free(s->rows);
	free(s);
}

const struct view_ops view_companion = {
	.name = "companion",
	.title = "Companion",
	.in_nav = true,
	.roles = "patient member user",
	.help = "The built-in companion, on this device only: no network, no model. It is not a "
		"clinician and cannot help in an emergency; ! opens crisis lines from anywhere. "
		"i records today's mood (1-10) with tags and a note; n walks you through a thought "
		"record (situation, automatic thought, emotion and its intensity, evidence for and "
		"against, a balanced thought, the emotion re-rated); v charts 30 or 90 days; s lets "
		"a therapist in your care team read your check-ins (you see who and what before you "
		"confirm); d deletes an entry. Entries are encrypted with a key derived from your "
		"identity and never synced unless you share. If what you write sounds like a "
		"crisis, it is saved first and then the crisis screen opens.",
	.actions = vc_actions,
	.actions_now = vc_actions_now,
	.init = vc_init,
	.fini = vc_fini,
	.reload = vc_reload,
	.draw = vc_draw,
	.key = vc_key,
	.action = vc_action,
	.click = vc_click,
	.dirty = vc_dirty,
};
