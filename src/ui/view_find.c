/* view_find.c - "Find a therapist": therapists with at least one active
 * service matching the filters (specialty, language, format, max price,
 * insurance, verified only; query_care_search), sorted by lowest price or
 * best rating. e edits the filters (choices offer the tags services use
 * now), o switches the sort, / filters the list by text, Enter opens the
 * therapist's profile. Reads only; booking happens from the profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/care_view.h"

#define FIND_TAGS 256

struct find_row {
	struct qc_therapist r;
	char name[72];
	char langs[160], specs[240]; /* union over the therapist's active services */
};

struct find_state {
	struct tui *t;
	struct find_row *rows;
	size_t n, cap;
	struct ui_list list;
	int list_y;
	struct care_form cf;
	/* filters in force ("" / -1 / false: any) */
	char specialty[64], language[40], format[16];
	int64_t max_price;
	bool insurance, verified;
	enum qc_sort sort;
};

enum { FF_SPEC, FF_LANG, FF_FORMAT, FF_PRICE, FF_INS, FF_VERIFIED };

/* ---- data --------------------------------------------------------------- */

/* Append tag list csv to a comma list out, skipping duplicates. */
static void find_union(char *out, size_t outlen, const char *csv)
{
	char buf[600];
	snprintf(buf, sizeof buf, "%s", csv);
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char probe[80];
		snprintf(probe, sizeof probe, ",%s,", tok);
		char have[1024];
		snprintf(have, sizeof have, ",%s,", out);
		if (strstr(have, probe))
			continue;
		size_t n = strlen(out);
		snprintf(out + n, outlen - n, "%s%s", n ? "," : "", tok);
	}
}

static int find_service_cb(void *ud, const struct qc_service *s)
{
	struct find_row *r = ud;
	find_union(r->langs, sizeof r->langs, s->languages);
	find_union(r->specs, sizeof r->specs, s->specialties);
	return 0;
}

static int find_row_cb(void *ud, const struct qc_therapist *q)
{
	struct find_state *s = ud;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct find_row *r = realloc(s->rows, cap * sizeof *r);
		if (!r)
			return 1;
		s->rows = r;
		s->cap = cap;
	}
	struct find_row *r = &s->rows[s->n++];
	memset(r, 0, sizeof *r);
	r->r = *q;
	care_view_name(s->t, q->therapist, r->name, sizeof r->name);
	query_care_services(s->t->h->st, q->therapist, false, find_service_cb, r, NULL);
	return 0;
}

static bool find_match(void *ud, size_t item, const char *needle)
{
	struct find_state *s = ud;
	struct find_row *r = &s->rows[item];
	char hay[600];
	snprintf(hay, sizeof hay, "%s %s %s %s", r->name, tui_label(s->t, r->r.therapist), r->langs,
		 r->specs);
	return ui_match_text(hay, needle);
}

static void find_reload(struct tui *t, void *st)
{
	struct find_state *s = st;
	struct mv_err err;
	size_t item;
	uint8_t keep[32];
	bool had = ui_list_selected(&s->list, &item) && item < s->n;
	if (had)
		memcpy(keep, s->rows[item].r.therapist, 32);
	s->n = 0;
	if (t->h->st) {
		struct qc_search q = {s->specialty[0] ? s->specialty : NULL,
				      s->language[0] ? s->language : NULL,
				      s->format[0] ? s->format : NULL, s->max_price, s->insurance,
				      s->verified, s->sort, t->now};
		mv_err_clear(&err);
		if (query_care_search(t->h->st, &q, find_row_cb, s, &err) != MV_OK)
			tui_toast(t, UI_ERROR, "find: %s", err.msg);
	}
	char needle[sizeof s->list.filter];
	snprintf(needle, sizeof needle, "%s", s->list.filtered ? s->list.filter : "");
	ui_list_filter_clear(&s->list);
	ui_list_set_count(&s->list, s->n);
	for (size_t i = 0; had && i < s->n; i++)
		if (memcmp(s->rows[i].r.therapist, keep, 32) == 0)
			ui_list_select_item(&s->list, i);
	if (needle[0])
		ui_list_filter(&s->list, needle, find_match, s);
}

/* ---- the filter form ------------------------------------------------------ */

struct find_tags {
	char specs[FIND_TAGS][49];
	char langs[FIND_TAGS][36];
	size_t nspecs, nlangs;
	struct tui *t;
};

static void find_tag_add(char *base, size_t width, size_t *n, const char *csv)
{
	char buf[600];
	snprintf(buf, sizeof buf, "%s", csv);
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i = 0;
		while (i < *n && strcmp(base + i * width, tok) != 0)
			i++;
		if (i == *n && *n < FIND_TAGS)
			snprintf(base + (*n)++ * width, width, "%s", tok);
	}
}

static int find_tag_service_cb(void *ud, const struct qc_service *s)
{
	struct find_tags *g = ud;
	find_tag_add((char *)g->specs, sizeof g->specs[0], &g->nspecs, s->specialties);
	find_tag_add((char *)g->langs, sizeof g->langs[0], &g->nlangs, s->languages);
	return 0;
}

static int find_tag_cb(void *ud, const struct qc_therapist *q)
{
	struct find_tags *g = ud;
	query_care_services(g->t->h->st, q->therapist, false, find_tag_service_cb, g, NULL);
	return 0;
}

static int find_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* A choice field of "any" then the tags, on the one in force. */
static void find_tag_field(struct ui_field *f, char *tags, size_t width, size_t n,
			   const char *current)
{
	struct ui_choice *c = calloc(n + 1, sizeof *c);
	if (!c)
		return;
	snprintf(c[0].label, sizeof c[0].label, "any");
	qsort(tags, n, width, find_cmp);
	for (size_t i = 0; i < n; i++) {
		snprintf(c[i + 1].label, sizeof c[0].label, "%s", tags + i * width);
		snprintf(c[i + 1].value, sizeof c[0].value, "%s", tags + i * width);
	}
	ui_field_set_choices(f, c, n + 1);
	for (size_t i = 0; i <= n; i++)
		if (strcmp(c[i].value, current) == 0)
			f->choice = i;
	free(c);
}

static bool find_price_check(void *ud, const struct ui_field *f, char *err, size_t errlen)
{
	int64_t v;
	struct mv_err e;
	if (!f->buf[0])
		return true;
	if (mv_amount_parse(f->buf, &v, &e) != MV_OK) {
		snprintf(err, errlen, "%.100s", e.msg);
		return false;
	}
	return true;
}

static bool find_form_submit(struct tui *t, void *ud, struct ui_form *f)
{
	struct find_state *s = ud;
	struct mv_err e;
	snprintf(s->specialty, sizeof s->specialty, "%s", ui_field_value(&f->f[FF_SPEC]));
	snprintf(s->language, sizeof s->language, "%s", ui_field_value(&f->f[FF_LANG]));
	snprintf(s->format, sizeof s->format, "%s", ui_field_value(&f->f[FF_FORMAT]));
	if (strcmp(s->format, "any") == 0)
		s->format[0] = '\0';
	s->max_price = -1;
	if (f->f[FF_PRICE].buf[0])
		mv_amount_parse(f->f[FF_PRICE].buf, &s->max_price, &e);
	s->insurance = f->f[FF_INS].choice == 1;
	s->verified = f->f[FF_VERIFIED].choice == 0;
	find_reload(t, s);
	return true;
}

static void find_open_form(struct tui *t, struct find_state *s)
{
	static const char *const formats[] = {"any", "video", "in_person", "text"};
	static const char *const ins[] = {"any", "accepted"};
	static const char *const ver[] = {"verified only", "everyone"};
	struct find_tags *g = calloc(1, sizeof *g);
	if (!g) {
		tui_toast(t, UI_ERROR, "out of memory");
		return;
	}
	g->t = t;
	struct qc_search all = {NULL, NULL, NULL, -1, false, false, QC_SORT_PRICE, t->now};
	query_care_search(t->h->st, &all, find_tag_cb, g, NULL);
	care_form_open(t, &s->cf, "Find a therapist: filters", find_form_submit, s);
	struct ui_field *f = ui_form_add(&s->cf.form, UF_CHOICE, "Specialty", true,
					 "←→ or a letter: what the therapist works on");
	find_tag_field(f, (char *)g->specs, sizeof g->specs[0], g->nspecs, s->specialty);
	f = ui_form_add(&s->cf.form, UF_CHOICE, "Language", true, "a language the session can be in");
	find_tag_field(f, (char *)g->langs, sizeof g->langs[0], g->nlangs, s->language);
	f = ui_form_add(&s->cf.form, UF_CHOICE, "Format", true, "video, in person or text");
	care_form_choices(f, formats, 4);
	for (size_t i = 0; i < 4; i++)
		if (strcmp(formats[i], s->format) == 0)
			f->choice = i;
	f = ui_form_add(&s->cf.form, UF_TEXT, "Max price", false, "MVT per session; empty: any");
	f->check = find_price_check;
	if (s->max_price >= 0) {
		char price[48];
		mv_amount_format(price, sizeof price, s->max_price);
		ui_field_set_text(f, price);
	}
	f = ui_form_add(&s->cf.form, UF_CHOICE, "Insurance", true, "only services that accept insurance");
	care_form_choices(f, ins, 2);
	f->choice = s->insurance;
	f = ui_form_add(&s->cf.form, UF_CHOICE, "Therapists", true, "verified by the council now");
	care_form_choices(f, ver, 2);
	f->choice = s->verified ? 0 : 1;
	free(g);
}

/* ---- drawing --------------------------------------------------------------- */

static void find_row_draw(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct find_state *s = ud;
	struct find_row *r = &s->rows[item];
	char price[48], rating[32];
	int base = sel ? theme_attr(TH_SEL) : 0;
	int dim = sel ? base : theme_attr(TH_DIM);
	ui_fmt_amount(price, sizeof price, r->r.min_price);
	if (r->r.ratings)
		snprintf(rating, sizeof rating, "★ %lld.%lld (%lld)", (long long)(r->r.rating_x100 / 100),
			 (long long)(r->r.rating_x100 % 100 / 10), (long long)r->r.ratings);
	else
		snprintf(rating, sizeof rating, "unrated");
	int nw = width >= 70 ? 24 : 18, col = x;
	ui_put(win, y, col, 2, sel ? base : theme_attr(TH_OK), r->r.verified ? "✓" : " ");
	col += 2;
	ui_put(win, y, col, nw, base, r->name);
	col += nw + 1;
	ui_putf(win, y, col, 16, base, "from %s MVT", price);
	col += 17;
	if (col + 10 < x + width)
		ui_put(win, y, col, x + width - col, dim, rating);
	col += 15;
	if (col + 10 < x + width)
		ui_put(win, y, col, x + width - col, dim, r->specs);
}

/* The filters in force, only those that narrow the list. */
static void find_draw_filters(struct tui *t, struct find_state *s, int y)
{
	char line[512] = "", price[48];
	size_t n = 0;
	if (s->specialty[0])
		n += (size_t)snprintf(line + n, sizeof line - n, "%s · ", s->specialty);
	if (s->language[0])
		n += (size_t)snprintf(line + n, sizeof line - n, "in %s · ", s->language);
	if (s->format[0])
		n += (size_t)snprintf(line + n, sizeof line - n, "%s · ", s->format);
	if (s->max_price >= 0) {
		ui_fmt_amount(price, sizeof price, s->max_price);
		n += (size_t)snprintf(line + n, sizeof line - n, "≤ %s MVT · ", price);
	}
	if (s->insurance)
		n += (size_t)snprintf(line + n, sizeof line - n, "insurance · ");
	snprintf(line + n, sizeof line - n, "%s%s · e filters", s->verified ? "verified · " : "",
		 s->sort == QC_SORT_RATING ? "best rated first" : "cheapest first");
	ui_put(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM), line);
}

static void find_draw_detail(struct tui *t, struct find_state *s, int y)
{
	size_t item;
	if (!ui_list_selected(&s->list, &item))
		return;
	struct find_row *r = &s->rows[item];
	ui_hline(stdscr, y, t->main_x, t->main_w, theme_attr(TH_BORDER));
	ui_putf(stdscr, y + 1, t->main_x, t->main_w, A_BOLD, "%s  %s", r->name,
		r->r.verified ? "· verified" : "· not verified now");
	ui_putf(stdscr, y + 2, t->main_x, t->main_w, theme_attr(TH_DIM), "%lld service%s · "
		"languages %s", (long long)r->r.services, r->r.services == 1 ? "" : "s",
		r->langs[0] ? r->langs : "-");
	ui_putf(stdscr, y + 3, t->main_x, t->main_w, theme_attr(TH_DIM), "works on %s",
		r->specs[0] ? r->specs : "-");
}

static void find_draw(struct tui *t, void *st)
{
	struct find_state *s = st;
	char right[32];
	snprintf(right, sizeof right, "%zu found", ui_list_visible(&s->list));
	int y = t->main_y + 2, bottom = t->main_y + t->main_h;
	if (s->cf.open) {
		care_form_draw(t, &s->cf, y);
		return;
	}
	tui_view_title(t, "Find a therapist", right);
	find_draw_filters(t, s, y);
	y += 2;
	if (s->n == 0) {
		care_view_empty(t, y, "No therapist offers a service matching these filters. Press e "
				"to change them.");
		return;
	}
	if (ui_list_visible(&s->list) == 0)
		care_view_empty(t, y, "Nothing matches the text filter.");
	int detail = t->main_h >= 18 ? 4 : 0;
	s->list_y = y - t->main_y;
	ui_list_draw(stdscr, &s->list, y, t->main_x, bottom - y - detail, t->main_w, t->focus_main,
		     find_row_draw, s);
	if (detail)
		find_draw_detail(t, s, bottom - detail);
}

/* ---- input -------------------------------------------------------------------- */

static int find_key(struct tui *t, void *st, int key)
{
	struct find_state *s = st;
	return care_form_key(t, &s->cf, key);
}

static int find_open_selected(struct tui *t, struct find_state *s)
{
	size_t item;
	if (!ui_list_selected(&s->list, &item))
		return TUI_HANDLED;
	struct care_ui_pick *p = care_ui_pick();
	memcpy(p->therapist, s->rows[item].r.therapist, 32);
	p->has_therapist = true;
	tui_push(t, "therapist");
	return TUI_DRAW_ALL | TUI_RELOAD;
}

static int find_action(struct tui *t, void *st, enum tui_action a)
{
	struct find_state *s = st;
	if (s->cf.open)
		return TUI_HANDLED;
	switch (a) {
	case ACT_EDIT:
		find_open_form(t, s);
		return TUI_DRAW_ALL;
	case ACT_ORDER:
		s->sort = s->sort == QC_SORT_PRICE ? QC_SORT_RATING : QC_SORT_PRICE;
		find_reload(t, s);
		tui_toast(t, UI_INFO, "sorted by %s", s->sort == QC_SORT_PRICE ? "lowest price" :
			  "best rating");
		return TUI_DRAW_ALL;
	case ACT_ENTER:
	case ACT_BOOK:
		return find_open_selected(t, s);
	default:
		return tui_list_action(&s->list, a);
	}
}

static int find_click(struct tui *t, void *st, int y, int x)
{
	struct find_state *s = st;
	if (s->cf.open)
		return TUI_HANDLED;
	size_t before = s->list.sel;
	if (!ui_list_click(&s->list, y - s->list_y))
		return TUI_HANDLED;
	return before == s->list.sel ? find_open_selected(t, s) : TUI_DRAW_VIEW;
}

static int find_filter(struct tui *t, void *st, const char *needle)
{
	struct find_state *s = st;
	if (!ui_list_filter(&s->list, needle, find_match, s))
		tui_toast(t, UI_ERROR, "out of memory while filtering");
	return TUI_DRAW_VIEW;
}

static bool find_dirty(struct tui *t, void *st)
{
	struct find_state *s = st;
	return s->cf.open && s->cf.form.dirty;
}

static const enum tui_action find_actions[] = {
	ACT_ENTER, ACT_EDIT, ACT_ORDER, ACT_NONE,
};

static const enum tui_action *find_actions_now(struct tui *t, void *st)
{
	return ((struct find_state *)st)->cf.open ? care_form_actions : find_actions;
}

static bool find_init(struct tui *t, void **st)
{
	struct find_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	s->max_price = -1;
	s->verified = true;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void find_fini(struct tui *t, void *st)
{
	struct find_state *s = st;
	care_form_close(&s->cf);
	ui_list_free(&s->list);
	free(s->rows);
	free(s);
}

const struct view_ops view_find = {
	.name = "find",
	.title = "Therapists",
	.in_nav = true,
	.roles = "patient council member user",
	.help = "Therapists whose active services match the filters, cheapest first (o: best "
		"rated first). ✓ marks therapists the council has verified. e edits the filters "
		"(specialty, language, format, max price, insurance, verified only); / narrows "
		"the list by text. Enter opens the profile, where you can book.",
	.actions = find_actions,
	.actions_now = find_actions_now,
	.init = find_init,
	.fini = find_fini,
	.reload = find_reload,
	.draw = find_draw,
	.key = find_key,
	.action = find_action,
	.click = find_click,
	.filter = find_filter,
	.dirty = find_dirty,
};
