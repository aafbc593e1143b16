/* gov_form.c - the new-proposal form of the Proposals screen (see
 * gov_form.h). Reads through core/query_gov.h and the parameter list,
 * encodes actions and sends gov.propose only through core/home_gov.h. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gov.h"
#include "core/home_gov.h"
#include "core/query_gov.h"
#include "ui/gov_form.h"

#define GF_GROUPS 64
#define GF_PARAMS 128
#define GF_TYPES 16
#define GF_LIST_MAX 128 /* amounts in one field (256 bytes hold fewer) */
#define GF_DAY INT64_C(86400000)

enum gf_page { GF_MAIN, GF_ACTION, GF_REVIEW };
enum { GFM_SCOPE, GFM_KIND, GFM_TITLE, GFM_DESC };

struct gf_action {
	struct mv_buf body;                   /* the encoded action */
	char type[32];
	char text[256];                       /* gov_action_describe */
	char vals[UI_FORM_MAX][UI_FIELD_MAX]; /* what was typed in field i (for editing) */
};

struct gf_group {
	uint8_t id[32];
	char name[GROUP_NAME_MAX + 1];
	int64_t quorum_bp;
};

struct gov_form;
/* What a field's check needs: the form and the field's spec. */
struct gf_fctx {
	struct gov_form *f;
	const struct field_spec *fs;
};

struct gov_form {
	struct tui *t;
	uint8_t me[32];
	enum gf_page page;
	bool dirty;
	/* main page */
	struct ui_form main;
	bool list_focus;
	struct ui_list list;          /* the actions, then the "add" row */
	struct gf_action *acts;       /* HOME_GOV_ACTIONS_HARD_MAX */
	size_t nacts;
	char msg[560];                /* a refusal or check failure, "" if none */
	struct gf_group groups[GF_GROUPS];
	size_t ngroups;
	/* action page */
	struct ui_form act;
	const struct gov_action_type *types[GF_TYPES];
	size_t ntypes;
	long editing;                 /* the action edited, -1 for a new one */
	char act_msg[560];
	const struct field_spec *spec[UI_FORM_MAX]; /* field i's spec (0: the type) */
	struct gf_fctx fctx[UI_FORM_MAX];
	char label[UI_FORM_MAX][40], hint[UI_FORM_MAX][200];
	struct ui_choice *params;     /* param.set names */
	size_t nparams;
	/* review page */
	char review[8192];
	int review_scroll, review_lines, review_h;
};

static const struct {
	const char *kind, *what;
} gf_kinds[] = {
	{"param", "change network parameters"},
	{"treasury", "pay MVT from the treasury"},
	{"council", "seat or unseat council members"},
	{"upgrade", "activate a protocol version"},
	{"rewards", "community rewards from the pool"},
	{"text", "a resolution, no actions"},
	{"group", "decide about the group"},
};

/* ---- helpers ------------------------------------------------------------- */

static bool gf_is_group(const struct gov_form *f)
{
	return f->main.f[GFM_SCOPE].choice > 0 && f->main.f[GFM_SCOPE].choice <= f->ngroups;
}

static const struct gf_group *gf_group(const struct gov_form *f)
{
	return gf_is_group(f) ? &f->groups[f->main.f[GFM_SCOPE].choice - 1] : NULL;
}

static const char *gf_kind(const struct gov_form *f)
{
	return ui_field_value(&f->main.f[GFM_KIND]);
}

static bool gf_text_kind(const struct gov_form *f)
{
	return strcmp(gf_kind(f), "text") == 0;
}

static int64_t gf_max_actions(const struct gov_form *f)
{
	int64_t m = tui_param(f->t, "gov_max_actions", 10);
	return m > HOME_GOV_ACTIONS_HARD_MAX ? HOME_GOV_ACTIONS_HARD_MAX : m;
}

/* Rows of the actions list: every action, then "add" (not for text). */
static size_t gf_list_rows(const struct gov_form *f)
{
	return f->nacts + (gf_text_kind(f) ? 0 : 1);
}

static void gf_list_sync(struct gov_form *f)
{
	ui_list_set_count(&f->list, gf_list_rows(f));
	if (f->list_focus && gf_list_rows(f) == 0)
		f->list_focus = false;
}

static void gf_fmt_dur(char *out, size_t n, int64_t ms)
{
	int64_t s = ms / 1000;
	if (s >= 86400 && s % 86400 == 0)
		snprintf(out, n, "%" PRId64 "d", s / 86400);
	else if (s >= 86400)
		snprintf(out, n, "%" PRId64 "d %" PRId64 "h", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(out, n, "%" PRId64 "h %" PRId64 "m", s / 3600, s % 3600 / 60);
	else
		snprintf(out, n, "%" PRId64 "m %" PRId64 "s", s / 60, s % 60);
}

/* ---- loading --------------------------------------------------------------- */

static int gf_group_cb(void *ud, const struct q_group *g)
{
	struct gov_form *f = ud;
	if (!g->me_member || f->ngroups >= GF_GROUPS)
		return 0;
	struct gf_group *o = &f->groups[f->ngroups++];
	memcpy(o->id, g->id, 32);
	snprintf(o->name, sizeof o->name, "%s", g->name);
	o->quorum_bp = g->quorum_bp;
	return 0;
}

static int gf_param_cb(void *ud, const struct q_param *p)
{
	struct gov_form *f = ud;
	char why[160];
	if (f->nparams >= GF_PARAMS || !gov_param_settable(f->t->h->st, p->name, p->value, why,
							    sizeof why))
		return 0;
	struct ui_choice *c = &f->params[f->nparams++];
	snprintf(c->value, sizeof c->value, "%s", p->name);
	snprintf(c->label, sizeof c->label, "%.40s (now %" PRId64 ")", p->name, p->value);
	return 0;
}

static bool gf_scope_choices(struct gov_form *f)
{
	struct ui_choice c[GF_GROUPS + 1];
	memset(c, 0, sizeof c);
	snprintf(c[0].label, sizeof c[0].label, "the platform (DAO)");
	snprintf(c[0].value, sizeof c[0].value, "platform");
	for (size_t i = 0; i < f->ngroups; i++) {
		snprintf(c[i + 1].label, sizeof c[i + 1].label, "group: %.50s", f->groups[i].name);
		mv_hex(c[i + 1].value, f->groups[i].id, 32);
	}
	return ui_field_set_choices(&f->main.f[GFM_SCOPE], c, f->ngroups + 1);
}

/* Kinds for the scope; keeps the kind chosen when it is still offered. */
static void gf_kind_choices(struct gov_form *f)
{
	struct ui_field *k = &f->main.f[GFM_KIND];
	char was[UI_CHOICE_VALUE];
	snprintf(was, sizeof was, "%s", k->nchoices ? ui_field_value(k) : "");
	struct ui_choice c[8];
	size_t n = 0, keep = 0;
	bool group = gf_is_group(f);
	memset(c, 0, sizeof c);
	for (size_t i = 0; i < sizeof gf_kinds / sizeof gf_kinds[0]; i++) {
		if (group != (strcmp(gf_kinds[i].kind, "group") == 0))
			continue;
		if (strcmp(gf_kinds[i].kind, was) == 0)
			keep = n;
		snprintf(c[n].label, sizeof c[n].label, "%s: %s", gf_kinds[i].kind, gf_kinds[i].what);
		snprintf(c[n].value, sizeof c[n].value, "%s", gf_kinds[i].kind);
		n++;
	}
	if (ui_field_set_choices(k, c, n))
		k->choice = keep;
	gf_list_sync(f);
}

struct gov_form *gov_form_open(struct tui *t, const uint8_t me[32])
{
	struct gov_form *f = calloc(1, sizeof *f);
	struct mv_err err;
	if (!f)
		return NULL;
	f->acts = calloc(HOME_GOV_ACTIONS_HARD_MAX, sizeof *f->acts);
	f->params = calloc(GF_PARAMS, sizeof *f->params);
	if (!f->acts || !f->params) {
		free(f->acts);
		free(f->params);
		free(f);
		return NULL;
	}
	f->t = t;
	memcpy(f->me, me, 32);
	f->editing = -1;
	mv_err_clear(&err);
	query_groups(t->h->st, me, true, gf_group_cb, f, &err);
	query_params(t->h->st, gf_param_cb, f, &err);
	ui_list_init(&f->list);
	ui_form_init(&f->main, "New proposal");
	ui_form_add(&f->main, UF_CHOICE, "Scope", true,
		    "←→: the platform, or one of your groups (a group proposal)");
	ui_form_add(&f->main, UF_CHOICE, "Kind", true,
		    "←→ or a letter; decides the actions and the majority needed");
	struct ui_field *ti = ui_form_add(&f->main, UF_TEXT, "Title", true, "public, up to 120 bytes");
	struct ui_field *de = ui_form_add(&f->main, UF_TEXT, "Description", false,
					  "public, optional; Tab then goes to the actions");
	ti->max_bytes = 120;
	de->max_bytes = UI_FIELD_MAX - 1;
	if (!gf_scope_choices(f)) {
		gov_form_free(f);
		return NULL;
	}
	gf_kind_choices(f);
	f->main.focus = GFM_KIND;
	f->main.dirty = false;
	return f;
}

void gov_form_free(struct gov_form *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nacts; i++)
		mv_buf_free(&f->acts[i].body);
	ui_form_free(&f->main);
	ui_form_free(&f->act);
	ui_list_free(&f->list);
	free(f->acts);
	free(f->params);
	free(f);
}

bool gov_form_dirty(const struct gov_form *f)
{
	return f->dirty || f->main.dirty || f->nacts > 0;
}

/* ---- checks of action fields ------------------------------------------------ */

static bool gf_check_account(void *ud, const struct ui_field *fl, char *err, size_t errlen)
{
	struct gf_fctx *c = ud;
	uint8_t id[32];
	struct mv_err e;
	mv_err_clear(&e);
	if (home_resolve_account(c->f->t->h, fl->buf, id, &e) != MV_OK) {
		snprintf(err, errlen, "%.150s", e.msg);
		return false;
	}
	return true;
}

static bool gf_check_accounts(void *ud, const struct ui_field *fl, char *err, size_t errlen)
{
	struct gf_fctx *c = ud;
	char copy[UI_FIELD_MAX], *save = NULL;
	size_t n = 0;
	snprintf(copy, sizeof copy, "%s", fl->buf);
	for (char *a = strtok_r(copy, ", ", &save); a; a = strtok_r(NULL, ", ", &save)) {
		uint8_t id[32];
		struct mv_err e;
		mv_err_clear(&e);
		if (home_resolve_account(c->f->t->h, a, id, &e) != MV_OK) {
			snprintf(err, errlen, "%.150s", e.msg);
			return false;
		}
		n++;
	}
	if (n == 0) {
		snprintf(err, errlen, "name at least one account");
		return false;
	}
	return true;
}

/* "10, 2.5" as base units into out (up to max); returns the count or -1. */
static long gf_parse_amounts(const char *s, int64_t *out, size_t max, char *err, size_t errlen)
{
	char copy[UI_FIELD_MAX], *save = NULL;
	size_t n = 0;
	snprintf(copy, sizeof copy, "%s", s);
	for (char *a = strtok_r(copy, ", ", &save); a; a = strtok_r(NULL, ", ", &save)) {
		struct mv_err e;
		int64_t v;
		mv_err_clear(&e);
		if (mv_amount_parse(a, &v, &e) != MV_OK || v <= 0) {
			snprintf(err, errlen, "%.150s", v <= 0 && !e.msg[0] ? "amounts must be more than 0"
										    : e.msg);
			return -1;
		}
		if (n < max)
			out[n] = v;
		n++;
	}
	return (long)n;
}

static bool gf_check_amounts(void *ud, const struct ui_field *fl, char *err, size_t errlen)
{
	(void)ud;
	int64_t v[1];
	long n = gf_parse_amounts(fl->buf, v, 0, err, errlen);
	if (n == 0)
		snprintf(err, errlen, "give an amount for each account");
	return n > 0;
}

/* The text of field named name on the action page ("" if none). */
static const char *gf_act_value(const struct gov_form *f, const char *name)
{
	for (size_t i = 1; i < f->act.n; i++)
		if (f->spec[i] && strcmp(f->spec[i]->name, name) == 0)
			return ui_field_value(&f->act.f[i]);
	return "";
}

static bool gf_check_int(void *ud, const struct ui_field *fl, char *err, size_t errlen)
{
	struct gf_fctx *c = ud;
	const struct field_spec *fs = c->fs;
	char *end = NULL;
	long long v = strtoll(fl->buf, &end, 10);
	if (!fl->buf[0] || *end || (fl->buf[0] != '-' && (fl->buf[0] < '0' || fl->buf[0] > '9'))) {
		snprintf(err, errlen, "'%.60s' is not a whole number", fl->buf);
		return false;
	}
	if (fs->max > fs->min && (v < fs->min || v > fs->max)) {
		snprintf(err, errlen, "must be within %" PRId64 "..%" PRId64, fs->min, fs->max);
		return false;
	}
	if (strcmp(fs->name, "value") == 0) { /* param.set: the parameter's own bounds */
		const char *name = gf_act_value(c->f, "name");
		if (name[0] && !gov_param_settable(c->f->t->h->st, name, v, err, errlen))
			return false;
	}
	return true;
}

/* ---- the action page ---------------------------------------------------------- */

static void gf_param_hint(struct gov_form *f)
{
	for (size_t i = 1; i < f->act.n; i++) {
		if (!f->spec[i] || strcmp(f->spec[i]->name, "value") != 0)
			continue;
		const char *name = gf_act_value(f, "name");
		int64_t v = tui_param(f->t, name, INT64_MIN);
		size_t n = strlen(name);
		char now[64] = "";
		if (v != INT64_MIN && n > 3 && strcmp(name + n - 3, "_bp") == 0)
			snprintf(now, sizeof now, "now %" PRId64 " (%" PRId64 ".%02" PRId64 "%%)", v,
				 v / 100, v % 100);
		else if (v != INT64_MIN)
			snprintf(now, sizeof now, "now %" PRId64, v);
		snprintf(f->hint[i], sizeof f->hint[i], "%s; a whole number: _bp in 1/100 %%, times "
			 "in ms, MVT in base units (1 MVT = 100000000)", now);
	}
}

static void gf_field_label(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s", name);
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = ' ';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

/* A choice field from "a|b|c", with "(unchanged)" first when optional. */
static void gf_enum_choices(struct ui_field *fl, const char *choices, bool optional, bool yesno)
{
	struct ui_choice c[16];
	size_t n = 0;
	memset(c, 0, sizeof c);
	if (optional) {
		snprintf(c[n].label, sizeof c[n].label, "(unchanged)");
		n++;
	}
	if (yesno) {
		snprintf(c[n].label, sizeof c[n].label, "yes");
		snprintf(c[n++].value, sizeof c[n].value, "1");
		snprintf(c[n].label, sizeof c[n].label, "no");
		snprintf(c[n++].value, sizeof c[n].value, "0");
	}
	for (const char *p = choices; p && *p && n < 16;) {
		const char *bar = strchr(p, '|');
		int l = bar ? (int)(bar - p) : (int)strlen(p);
		snprintf(c[n].label, sizeof c[n].label, "%.*s", l, p);
		snprintf(c[n].value, sizeof c[n].value, "%.*s", l, p);
		n++;
		p = bar ? bar + 1 : p + l;
	}
	ui_field_set_choices(fl, c, n);
}

/* One field of the action page for spec fs at index i. */
static void gf_add_field(struct gov_form *f, const struct field_spec *fs, const char *type)
{
	size_t i = f->act.n;
	bool req = !fs->optional;
	enum ui_field_kind k = UF_TEXT;
	if (fs->kind == F_AMOUNT)
		k = UF_AMOUNT;
	else if (fs->kind == F_BOOL || fs->kind == F_ENUM ||
		 (strcmp(type, "param.set") == 0 && strcmp(fs->name, "name") == 0))
		k = UF_CHOICE;
	gf_field_label(f->label[i], sizeof f->label[i], fs->name);
	snprintf(f->hint[i], sizeof f->hint[i], "%s%s", fs->help ? fs->help : "",
		 fs->optional ? " (optional)" : "");
	struct ui_field *fl = ui_form_add(&f->act, k, f->label[i], req, f->hint[i]);
	if (!fl)
		return;
	f->spec[i] = fs;
	f->fctx[i] = (struct gf_fctx){f, fs};
	fl->check_ud = &f->fctx[i];
	switch (fs->kind) {
	case F_ACCOUNT:
		fl->check = gf_check_account;
		snprintf(f->hint[i], sizeof f->hint[i], "%s: an identity name (member-dana), "
			 "treasury, or a 64-hex id", fs->help ? fs->help : "account");
		break;
	case F_LIST_ACCOUNT:
		fl->check = gf_check_accounts;
		snprintf(f->hint[i], sizeof f->hint[i], "%s: names separated by commas",
			 fs->help ? fs->help : "accounts");
		break;
	case F_LIST_INT:
		fl->check = gf_check_amounts;
		snprintf(f->hint[i], sizeof f->hint[i], "MVT for each account, in the same order, "
			 "separated by commas (10, 2.5)");
		break;
	case F_AMOUNT:
		snprintf(f->hint[i], sizeof f->hint[i], "%s, e.g. 150 or 12.5", fs->help ? fs->help
											 : "MVT");
		break;
	case F_INT:
		fl->check = gf_check_int;
		break;
	case F_BOOL:
		gf_enum_choices(fl, NULL, fs->optional, true);
		break;
	case F_ENUM:
		gf_enum_choices(fl, fs->choices, fs->optional, false);
		break;
	case F_STR:
		if (k == UF_CHOICE) {
			ui_field_set_choices(fl, f->params, f->nparams);
			snprintf(f->hint[i], sizeof f->hint[i], "←→ or a letter: the parameter to change");
		} else {
			fl->max_bytes = fs->max_len && fs->max_len < UI_FIELD_MAX ? fs->max_len
										  : UI_FIELD_MAX - 1;
		}
		break;
	default:
		break;
	}
	(void)req;
}

/* Rebuild the fields after the type for the chosen type. */
static void gf_action_fields(struct gov_form *f)
{
	const struct gov_action_type *t = f->types[f->act.f[0].choice];
	for (size_t i = 1; i < f->act.n; i++) {
		free(f->act.f[i].choices);
		f->act.f[i].choices = NULL;
		f->spec[i] = NULL;
	}
	f->act.n = 1;
	for (const struct field_spec *fs = t->fields; fs->name; fs++)
		if (strcmp(fs->name, "type") != 0)
			gf_add_field(f, fs, t->type);
	gf_param_hint(f);
	f->act_msg[0] = '\0';
}

/* Open the action page for action idx (-1: a new one). */
static int gf_action_open(struct gov_form *f, long idx)
{
	const char *kind = gf_kind(f);
	struct ui_choice c[GF_TYPES];
	int64_t max = gf_max_actions(f);
	if (idx < 0 && (int64_t)f->nacts >= max) {
		snprintf(f->msg, sizeof f->msg, "at most %" PRId64 " actions in a proposal "
			 "(gov_max_actions): remove one first", max);
		tui_toast(f->t, UI_ERROR, "%s", f->msg);
		return TUI_DRAW_ALL;
	}
	f->ntypes = 0;
	memset(c, 0, sizeof c);
	for (const struct gov_action_type *t = gov_action_types; t->type && f->ntypes < GF_TYPES; t++) {
		if (strcmp(t->kind, kind) != 0)
			continue;
		snprintf(c[f->ntypes].label, sizeof c[f->ntypes].label, "%s: %s", t->type, t->summary);
		snprintf(c[f->ntypes].value, sizeof c[f->ntypes].value, "%s", t->type);
		f->types[f->ntypes++] = t;
	}
	if (f->ntypes == 0) {
		snprintf(f->msg, sizeof f->msg, "a %s proposal has no actions", kind);
		return TUI_DRAW_VIEW;
	}
	char title[64];
	if (idx < 0)
		snprintf(title, sizeof title, "Action %zu of at most %" PRId64 " (%s proposal)",
			 f->nacts + 1, max, kind);
	else
		snprintf(title, sizeof title, "Edit action %ld (%s proposal)", idx + 1, kind);
	ui_form_free(&f->act);
	ui_form_init(&f->act, title);
	struct ui_field *ty = ui_form_add(&f->act, UF_CHOICE, "Type", true,
					  "←→ or a letter: what the action does");
	f->spec[0] = NULL;
	if (!ty || !ui_field_set_choices(ty, c, f->ntypes)) {
		tui_toast(f->t, UI_ERROR, "out of memory");
		return TUI_DRAW_ALL;
	}
	const struct gf_action *a = idx >= 0 ? &f->acts[idx] : NULL;
	for (size_t k = 0; a && k < f->ntypes; k++)
		if (strcmp(f->types[k]->type, a->type) == 0)
			ty->choice = k;
	gf_action_fields(f);
	for (size_t i = 1; a && i < f->act.n; i++) {
		struct ui_field *fl = &f->act.f[i];
		if (fl->kind != UF_CHOICE) {
			ui_field_set_text(fl, a->vals[i]);
			continue;
		}
		for (size_t k = 0; k < fl->nchoices; k++)
			if (strcmp(fl->choices[k].value, a->vals[i]) == 0)
				fl->choice = k;
	}
	gf_param_hint(f);
	f->act.focus = f->ntypes == 1 && f->act.n > 1 ? 1 : 0;
	f->act.dirty = false;
	f->editing = idx;
	f->page = GF_ACTION;
	return TUI_DRAW_ALL;
}

/* gov_action_describe names accounts by 12 hex digits; put the label the
 * person knows next to each ("member-eli (096b244cb6ca)"). */
static void gf_name_accounts(struct gov_form *f, struct gf_action *a)
{
	struct body *b = calloc(1, sizeof *b);
	if (!b || body_decode(b, a->body.data, a->body.len, NULL) != MV_OK) {
		free(b);
		return;
	}
	for (size_t i = 0; i < b->n; i++) {
		if (b->f[i].v.type != BODY_ID)
			continue;
		char hex[65], label[96], out[sizeof a->text];
		mv_hex(hex, b->f[i].v.p, 32);
		hex[12] = '\0';
		home_account_label(f->t->h, b->f[i].v.p, label, sizeof label);
		char *at = strstr(a->text, hex);
		if (!at || strncmp(label, hex, 12) == 0)
			continue;
		snprintf(out, sizeof out, "%.*s%s (%s)%s", (int)(at - a->text), a->text, label, hex,
			 at + 12);
		snprintf(a->text, sizeof a->text, "%s", out);
	}
	body_free(b);
	free(b);
}

/* Encode the action page into a (names and values as home_gov takes them). */
static int gf_action_encode(struct gov_form *f, struct gf_action *a, struct mv_err *err)
{
	const struct gov_action_type *t = f->types[f->act.f[0].choice];
	const char *names[UI_FORM_MAX], *values[UI_FORM_MAX];
	char amounts[GF_LIST_MAX * 21 + 1] = "", accounts[UI_FIELD_MAX] = "";
	size_t n = 0;
	memset(a->vals, 0, sizeof a->vals);
	for (size_t i = 1; i < f->act.n; i++) {
		const struct ui_field *fl = &f->act.f[i];
		const char *v = ui_field_value(fl);
		snprintf(a->vals[i], sizeof a->vals[i], "%s", v);
		if (!v[strspn(v, " ")])
			continue; /* an optional field left empty */
		if (f->spec[i]->kind == F_LIST_INT) { /* MVT as typed, base units for the body */
			int64_t am[GF_LIST_MAX];
			char e[160];
			long k = gf_parse_amounts(v, am, GF_LIST_MAX, e, sizeof e);
			if (k < 0 || k > GF_LIST_MAX)
				return mv_fail(err, MV_EINVAL, "%s: %s", fl->label,
					       k < 0 ? e : "too many amounts");
			size_t o = 0;
			for (long j = 0; j < k; j++)
				o += (size_t)snprintf(amounts + o, sizeof amounts - o, "%s%" PRId64,
						      j ? "," : "", am[j]);
			v = amounts;
		} else if (f->spec[i]->kind == F_LIST_ACCOUNT) { /* "ana, bo" -> "ana,bo" */
			char copy[UI_FIELD_MAX], *save = NULL;
			size_t o = 0;
			snprintf(copy, sizeof copy, "%s", v);
			for (char *p = strtok_r(copy, ", ", &save); p; p = strtok_r(NULL, ", ", &save))
				o += (size_t)snprintf(accounts + o, sizeof accounts - o, "%s%s",
						      o ? "," : "", p);
			v = accounts;
		}
		names[n] = f->spec[i]->name;
		values[n++] = v;
	}
	if (strcmp(t->type, "group.rule") == 0 && n == 0)
		return mv_fail(err, MV_EINVAL, "change at least one of the group's rules");
	int rc = home_gov_action_encode(f->t->h, t->type, n, names, values, &a->body, err);
	if (rc != MV_OK)
		return rc;
	snprintf(a->type, sizeof a->type, "%s", t->type);
	gov_action_describe(a->body.data, a->body.len, a->text, sizeof a->text);
	gf_name_accounts(f, a);
	return MV_OK;
}

static int gf_action_submit(struct gov_form *f)
{
	int bad = ui_form_validate(&f->act);
	if (bad >= 0) { /* the field shows its error */
		f->act.focus = (size_t)bad;
		f->act_msg[0] = '\0';
		return TUI_DRAW_VIEW;
	}
	const struct gov_action_type *t = f->types[f->act.f[0].choice];
	if (strcmp(t->type, "rewards.distribute") == 0) {
		char e[160];
		int64_t none[1];
		long na = 0, nm = gf_parse_amounts(gf_act_value(f, "amounts"), none, 0, e, sizeof e);
		char copy[UI_FIELD_MAX], *save = NULL;
		snprintf(copy, sizeof copy, "%s", gf_act_value(f, "accounts"));
		for (char *p = strtok_r(copy, ", ", &save); p; p = strtok_r(NULL, ", ", &save))
			na++;
		if (na != nm) {
			snprintf(f->act_msg, sizeof f->act_msg, "%ld accounts but %ld amounts: give one "
				 "amount per account", na, nm);
			return TUI_DRAW_VIEW;
		}
	}
	struct gf_action a;
	struct mv_err err;
	mv_err_clear(&err);
	memset(&a, 0, sizeof a);
	if (gf_action_encode(f, &a, &err) != MV_OK) {
		snprintf(f->act_msg, sizeof f->act_msg, "%s", err.msg);
		return TUI_DRAW_VIEW;
	}
	size_t at = f->editing >= 0 ? (size_t)f->editing : f->nacts++;
	if (f->editing >= 0)
		mv_buf_free(&f->acts[at].body);
	f->acts[at] = a;
	f->dirty = true;
	f->msg[0] = '\0';
	f->page = GF_MAIN;
	f->list_focus = true;
	gf_list_sync(f);
	ui_list_select_item(&f->list, at);
	tui_toast(f->t, UI_SUCCESS, "action %zu: %s", at + 1, a.text);
	return TUI_DRAW_ALL;
}

static int gf_action_key(struct gov_form *f, int key)
{
	size_t prev = f->act.focus;
	switch (ui_form_key(&f->act, key)) {
	case UI_FORM_CHANGED:
		f->act_msg[0] = '\0';
		if (prev == 0)
			gf_action_fields(f);
		else if (f->spec[prev] && strcmp(f->spec[prev]->name, "name") == 0)
			gf_param_hint(f);
		return TUI_DRAW_VIEW;
	case UI_FORM_MOVED:
		/* check a field when the cursor leaves it */
		if (prev != f->act.focus && f->act.f[prev].kind != UF_CHOICE && f->act.f[prev].buf[0])
			ui_field_validate(&f->act.f[prev]);
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return gf_action_submit(f);
	case UI_FORM_CANCEL: /* back to the proposal; nothing added */
		f->page = GF_MAIN;
		f->list_focus = gf_list_rows(f) > 0;
		return TUI_DRAW_ALL;
	default:
		if (f->act.f[f->act.focus].kind == UF_AMOUNT && ui_key_is_text(key)) {
			snprintf(f->act_msg, sizeof f->act_msg, "%s: an amount takes digits and one "
				 "decimal point (12.5)", f->act.f[f->act.focus].label);
			return TUI_DRAW_VIEW;
		}
		return TUI_UNHANDLED;
	}
}

/* ---- the review page ----------------------------------------------------------- */

static size_t gf_cat(char *buf, size_t size, size_t o, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static size_t gf_cat(char *buf, size_t size, size_t o, const char *fmt, ...)
{
	va_list ap;
	if (o >= size)
		return o;
	va_start(ap, fmt);
	int n = vsnprintf(buf + o, size - o, fmt, ap);
	va_end(ap);
	return n < 0 ? o : o + (size_t)n;
}

static int64_t gf_treasury_total(const struct gov_form *f)
{
	int64_t sum = 0;
	struct body *b = calloc(1, sizeof *b);
	for (size_t i = 0; b && i < f->nacts; i++) {
		int64_t v;
		if (strcmp(f->acts[i].type, "treasury.pay") != 0 ||
		    body_decode(b, f->acts[i].body.data, f->acts[i].body.len, NULL) != MV_OK)
			continue;
		if (body_int(b, "amount", &v, NULL) == MV_OK && !mv_add_i64(sum, v, &sum))
			sum = INT64_MAX;
		body_free(b);
	}
	free(b);
	return sum;
}

static void gf_review_build(struct gov_form *f)
{
	struct tui *t = f->t;
	const struct gf_group *g = gf_group(f);
	const char *kind = gf_kind(f);
	char *r = f->review, a[48], b[48], when[48];
	size_t o = 0, n = sizeof f->review;
	int64_t delay = g ? tui_param(t, "gov_group_voting_delay", 0)
			  : tui_param(t, "gov_voting_delay", GF_DAY);
	int64_t period = g ? tui_param(t, "gov_group_voting_period", 3 * GF_DAY)
			   : tui_param(t, "gov_voting_period", 7 * GF_DAY);
	int64_t lock = g ? tui_param(t, "gov_group_timelock", 0) : tui_param(t, "gov_timelock", 2 * GF_DAY);
	int64_t quorum = g ? g->quorum_bp : tui_param(t, "gov_quorum_bp", 400);
	int64_t thr = gov_kind_threshold_bp(t->h->st, kind, gf_treasury_total(f));
	o = gf_cat(r, n, o, "# Review before signing\n");
	o = gf_cat(r, n, o, "%s proposal%s%s, kind %s, made by %s\n", g ? "A group" : "A platform",
		   g ? " of " : "", g ? g->name : "", kind, t->as);
	o = gf_cat(r, n, o, "Title: %s\n", f->main.f[GFM_TITLE].buf);
	if (f->main.f[GFM_DESC].buf[0])
		o = gf_cat(r, n, o, "Description: %s\n", f->main.f[GFM_DESC].buf);
	o = gf_cat(r, n, o, "\n");
	if (f->nacts == 0)
		o = gf_cat(r, n, o, "No actions: a text proposal only records the vote.\n");
	for (size_t i = 0; i < f->nacts; i++)
		o = gf_cat(r, n, o, "  %zu. %s  %s\n", i + 1, f->acts[i].type, f->acts[i].text);
	o = gf_cat(r, n, o, "\n");
	ui_fmt_time(a, sizeof a, t->now + delay);
	ui_fmt_time(b, sizeof b, t->now + delay + period);
	gf_fmt_dur(when, sizeof when, delay);
	if (delay > 0)
		o = gf_cat(r, n, o, "Voting opens %s UTC (in %s) and ends %s UTC", a, when, b);
	else
		o = gf_cat(r, n, o, "Voting opens at once and ends %s UTC", b);
	gf_fmt_dur(when, sizeof when, period);
	o = gf_cat(r, n, o, " (%s of voting).\n", when);
	o = gf_cat(r, n, o, "It passes with more than %" PRId64 ".%02" PRId64 "%% for (of for + "
		   "against) and a quorum of %" PRId64 ".%02" PRId64 "%% of all voting power",
		   thr / 100, thr % 100, quorum / 100, quorum % 100);
	gf_fmt_dur(when, sizeof when, lock);
	o = gf_cat(r, n, o, lock ? "; then a %s timelock before anyone may execute it.\n"
				 : "; it may be executed as soon as it passes%s.\n", lock ? when : "");
	if (!g) {
		struct q_delegation d;
		struct mv_err err;
		int64_t need = tui_param(t, "gov_proposal_threshold", 1000 * MV_UNIT);
		if (query_delegation(t->h->st, f->me, t->now, &d, &err) == MV_OK) {
			ui_fmt_amount(a, sizeof a, d.vote_power);
			ui_fmt_amount(b, sizeof b, need);
			o = gf_cat(r, n, o, "%sYour voting power is %s MVT; proposing needs %s MVT.\n",
				   d.vote_power < need ? "! " : "", a, b);
		}
	}
	o = gf_cat(r, n, o, "\ny or Enter signs and sends it as %s · Esc goes back to edit\n", t->as);
	(void)o;
}

static int gf_review_open(struct gov_form *f)
{
	int bad = ui_form_validate(&f->main);
	if (bad >= 0) {
		f->main.focus = (size_t)bad;
		f->list_focus = false;
		snprintf(f->msg, sizeof f->msg, "%s: %s", f->main.f[bad].label, f->main.f[bad].err);
		return TUI_DRAW_VIEW;
	}
	struct home_proposal p = {.kind = gf_kind(f), .title = f->main.f[GFM_TITLE].buf,
				  .description = f->main.f[GFM_DESC].buf,
				  .group = gf_is_group(f) ? gf_group(f)->id : NULL};
	struct mv_buf bodies[HOME_GOV_ACTIONS_HARD_MAX];
	for (size_t i = 0; i < f->nacts; i++)
		bodies[i] = f->acts[i].body;
	p.actions = bodies;
	p.nactions = f->nacts;
	struct mv_err err;
	mv_err_clear(&err);
	if (home_gov_propose_check(f->t->h, &p, &err) != MV_OK) {
		snprintf(f->msg, sizeof f->msg, "%s", err.msg);
		/* an action of another kind: select it, d removes it */
		for (size_t i = 0; i < f->nacts; i++) {
			const struct gov_action_type *t = gov_action_find(f->acts[i].type);
			if (t && strcmp(t->kind, p.kind) != 0) {
				f->list_focus = true;
				ui_list_select_item(&f->list, i);
				break;
			}
		}
		return TUI_DRAW_ALL;
	}
	f->msg[0] = '\0';
	gf_review_build(f);
	f->review_scroll = 0;
	f->page = GF_REVIEW;
	return TUI_DRAW_ALL;
}

/* y on the review: sign and send. */
static int gf_send(struct gov_form *f, enum gov_form_event *ev, uint8_t id[32])
{
	struct home_proposal p = {.kind = gf_kind(f), .title = f->main.f[GFM_TITLE].buf,
				  .description = f->main.f[GFM_DESC].buf,
				  .group = gf_is_group(f) ? gf_group(f)->id : NULL};
	struct mv_buf bodies[HOME_GOV_ACTIONS_HARD_MAX];
	for (size_t i = 0; i < f->nacts; i++)
		bodies[i] = f->acts[i].body;
	p.actions = bodies;
	p.nactions = f->nacts;
	struct submit_result res;
	struct mv_err err;
	memset(&res, 0, sizeof res);
	mv_err_clear(&err);
	int rc = home_gov_propose(f->t->h, f->t->as, &p, &res, &err);
	f->page = GF_MAIN;
	if (rc != MV_OK)
		snprintf(f->msg, sizeof f->msg, "not sent: %s", err.msg);
	else if (res.outcome == 0)
		snprintf(f->msg, sizeof f->msg, "refused by the network: %s", res.reason);
	rc = tui_submitted(f->t, rc, &res, &err);
	if (rc == MV_OK) {
		memcpy(id, res.id, 32);
		*ev = GOV_FORM_CREATED;
	}
	return TUI_RELOAD | TUI_DRAW_ALL;
}

static int gf_review_key(struct gov_form *f, int key, enum gov_form_event *ev, uint8_t id[32])
{
	if (key == 'y' || key == 'Y' || ui_key_is_enter(key) || key == UI_CTRL('s'))
		return gf_send(f, ev, id);
	if (key == UI_ESC || key == 'n' || key == 'N') {
		f->page = GF_MAIN;
		return TUI_DRAW_ALL;
	}
	int page = f->review_h > 2 ? f->review_h - 1 : 1;
	int d = key == UI_FN(KEY_DOWN) || key == 'j'	 ? 1
		: key == UI_FN(KEY_UP) || key == 'k'	 ? -1
		: key == UI_FN(KEY_NPAGE) || key == ' ' ? page
		: key == UI_FN(KEY_PPAGE)		 ? -page
							 : 0;
	if (!d)
		return TUI_UNHANDLED;
	f->review_scroll += d;
	if (f->review_scroll > f->review_lines - f->review_h)
		f->review_scroll = f->review_lines - f->review_h;
	if (f->review_scroll < 0)
		f->review_scroll = 0;
	return TUI_DRAW_VIEW;
}

/* ---- the main page --------------------------------------------------------------- */

static int gf_list_key(struct gov_form *f, int key, enum gov_form_event *ev)
{
	size_t sel = 0;
	bool has = ui_list_selected(&f->list, &sel);
	if (key == '\t' || key == UI_FN(KEY_BTAB)) {
		f->list_focus = false;
		f->main.focus = key == '\t' ? 0 : f->main.n - 1;
		return TUI_DRAW_ALL;
	}
	if (key == UI_CTRL('s'))
		return gf_review_open(f);
	if (key == UI_ESC) {
		*ev = GOV_FORM_CANCEL;
		return TUI_DRAW_ALL;
	}
	if (key == 'n')
		return gf_action_open(f, -1);
	if (ui_key_is_enter(key) && has)
		return gf_action_open(f, sel < f->nacts ? (long)sel : -1);
	if ((key == 'd' || key == UI_FN(KEY_DC) || ui_key_is_backspace(key)) && has && sel < f->nacts) {
		mv_buf_free(&f->acts[sel].body);
		memmove(&f->acts[sel], &f->acts[sel + 1], (f->nacts - sel - 1) * sizeof *f->acts);
		f->nacts--;
		f->dirty = true;
		f->msg[0] = '\0';
		gf_list_sync(f);
		tui_toast(f->t, UI_INFO, "action %zu removed", sel + 1);
		return TUI_DRAW_ALL;
	}
	if (ui_list_key(&f->list, key))
		return TUI_DRAW_VIEW;
	return TUI_UNHANDLED;
}

static int gf_main_key(struct gov_form *f, int key, enum gov_form_event *ev)
{
	if (f->list_focus)
		return gf_list_key(f, key, ev);
	size_t prev = f->main.focus, last = f->main.n - 1;
	if (gf_list_rows(f) > 0 && ((key == '\t' && prev == last) ||
				    (key == UI_FN(KEY_BTAB) && prev == 0))) {
		if (f->main.f[prev].buf[0])
			ui_field_validate(&f->main.f[prev]);
		f->list_focus = true;
		return TUI_DRAW_ALL;
	}
	switch (ui_form_key(&f->main, key)) {
	case UI_FORM_CHANGED:
		f->msg[0] = '\0';
		if (prev == GFM_SCOPE)
			gf_kind_choices(f);
		if (prev == GFM_SCOPE || prev == GFM_KIND)
			gf_list_sync(f);
		return TUI_DRAW_VIEW;
	case UI_FORM_MOVED:
		if (prev != f->main.focus && f->main.f[prev].kind != UF_CHOICE &&
		    f->main.f[prev].buf[0])
			ui_field_validate(&f->main.f[prev]);
		return TUI_DRAW_ALL;
	case UI_FORM_SUBMIT:
		/* Enter on the description leads on to the actions while there are none */
		if (key != UI_CTRL('s') && !gf_text_kind(f) && f->nacts == 0) {
			f->list_focus = true;
			ui_list_top(&f->list);
			return TUI_DRAW_ALL;
		}
		return gf_review_open(f);
	case UI_FORM_CANCEL:
		*ev = GOV_FORM_CANCEL;
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

int gov_form_key(struct gov_form *f, int key, enum gov_form_event *ev, uint8_t id[32])
{
	int r;
	*ev = GOV_FORM_STAY;
	switch (f->page) {
	case GF_ACTION:
		r = gf_action_key(f, key);
		break;
	case GF_REVIEW:
		r = gf_review_key(f, key, ev, id);
		break;
	default:
		r = gf_main_key(f, key, ev);
		break;
	}
	/* a letter a field refused must not switch identity, screen or quit;
	 * help stays reachable (and ! is taken before any view) */
	if (r == TUI_UNHANDLED && tui_action_for_key(key) != ACT_HELP)
		r = TUI_HANDLED;
	return r;
}

/* ---- drawing --------------------------------------------------------------------- */

/* "✗ text" wrapped to w in at most max rows from y; returns the rows used. */
static int gf_put_error(int y, int x, int w, int max, const char *text)
{
	char line[600];
	size_t st[8], ln[8];
	snprintf(line, sizeof line, "✗ %s", text);
	size_t n = ui_wrap(line, w, st, ln, 8);
	int rows = 0;
	for (size_t i = 0; i < n && i < 8 && rows < max; i++, rows++) {
		char part[600];
		snprintf(part, sizeof part, "%.*s", (int)ln[i], line + st[i]);
		ui_put(stdscr, y + rows, x, w, theme_attr(TH_ERR), part);
	}
	return rows;
}

static void gf_row(void *ud, WINDOW *win, int y, int x, int w, size_t item, bool sel)
{
	struct gov_form *f = ud;
	const char *kind = gf_kind(f);
	if (item >= f->nacts) {
		ui_put(win, y, x, w, sel ? theme_attr(TH_SEL) : theme_attr(TH_DIM),
		       "  + add an action (n)");
		return;
	}
	const struct gov_action_type *t = gov_action_find(f->acts[item].type);
	bool fits = t && strcmp(t->kind, kind) == 0;
	char line[400];
	if (fits)
		snprintf(line, sizeof line, "%2zu. %-18s %s", item + 1, f->acts[item].type,
			 f->acts[item].text);
	else
		snprintf(line, sizeof line, "%2zu. ✗ not a %s action: %s %s", item + 1, kind,
			 f->acts[item].type, f->acts[item].text);
	ui_put(win, y, x, w, sel ? theme_attr(TH_SEL) : fits ? 0 : theme_attr(TH_ERR), line);
}

static void gf_draw_main(struct gov_form *f, int y, int x, int h, int w)
{
	struct tui *t = f->t;
	int cy, cx, bottom = y + h;
	y += ui_form_draw(stdscr, &f->main, y, x, w, t->focus_main && !f->list_focus, &cy, &cx);
	t->cur_y = f->list_focus ? -1 : cy;
	t->cur_x = f->list_focus ? -1 : cx;
	if (f->msg[0] && y < bottom)
		y += gf_put_error(y, x, w, 3 < bottom - y ? 3 : bottom - y, f->msg);
	if (y >= bottom)
		return;
	if (gf_text_kind(f) && f->nacts == 0) {
		ui_put(stdscr, y, x, w, theme_attr(TH_DIM),
		       "A text proposal has no actions. ^S reviews it before signing.");
		return;
	}
	ui_putf(stdscr, y++, x, w, A_BOLD, "Actions (%zu of at most %" PRId64 ")%s", f->nacts,
		gf_max_actions(f), f->list_focus ? ": n add · Enter edit · d remove"
						 : ": Tab to add, edit or remove");
	if (y < bottom)
		ui_list_draw(stdscr, &f->list, y, x, bottom - y, w, t->focus_main && f->list_focus,
			     gf_row, f);
}

static void gf_draw_action(struct gov_form *f, int y, int x, int h, int w)
{
	struct tui *t = f->t;
	int cy, cx, bottom = y + h;
	y += ui_form_draw(stdscr, &f->act, y, x, w, t->focus_main, &cy, &cx);
	t->cur_y = cy;
	t->cur_x = cx;
	if (f->act_msg[0] && y < bottom)
		y += gf_put_error(y, x, w, 3 < bottom - y ? 3 : bottom - y, f->act_msg);
	if (y < bottom)
		ui_put(stdscr, y, x, w, theme_attr(TH_DIM),
		       "Enter on the last field or ^S adds it · Esc: back, not added");
}

void gov_form_draw(struct gov_form *f, int y, int x, int h, int w)
{
	f->t->cur_y = f->t->cur_x = -1;
	switch (f->page) {
	case GF_ACTION:
		gf_draw_action(f, y, x, h, w);
		break;
	case GF_REVIEW:
		f->review_h = h;
		f->review_lines = ui_doc_draw(stdscr, y, x, h, w, f->review, f->review_scroll);
		break;
	default:
		gf_draw_main(f, y, x, h, w);
		break;
	}
}

static const enum tui_action gf_fields_bar[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};
static const enum tui_action gf_list_bar[] = {
	ACT_ACTION_ADD, ACT_ENTER, ACT_ACTION_REMOVE, ACT_FORM_NEXT, ACT_FORM_SUBMIT,
	ACT_FORM_CANCEL, ACT_NONE,
};
static const enum tui_action gf_action_bar[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_BACK, ACT_NONE,
};
static const enum tui_action gf_review_bar[] = {
	ACT_FORM_SUBMIT, ACT_BACK, ACT_NONE,
};

const enum tui_action *gov_form_actions(const struct gov_form *f)
{
	switch (f->page) {
	case GF_ACTION:
		return gf_action_bar;
	case GF_REVIEW:
		return gf_review_bar;
	default:
		return f->list_focus ? gf_list_bar : gf_fields_bar;
	}
}
