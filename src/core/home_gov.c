/* home_gov.c - typed actions and gov.propose from what a person typed (see
 * home_gov.h). Every check here is one the contract makes again; doing it
 * before signing only keeps a typo out of the signed log. */
#include "home_gov.h"
#include "contract.h"
#include "gov.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HG_KINDS "param|treasury|council|upgrade|rewards|text|group"

static const struct field_spec *hg_field(const struct gov_action_type *t, const char *name)
{
	for (const struct field_spec *f = t->fields; f && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* The param.set check the contract makes, on the encoded action. */
static int hg_check_param(struct home *h, const uint8_t *data, size_t len, struct mv_err *err)
{
	struct body *b = calloc(1, sizeof *b);
	char name[40] = "", why[160];
	int64_t v = 0;
	int rc = MV_OK;
	if (!b)
		return mv_fail(err, MV_ERR, "out of memory");
	if (body_decode(b, data, len, err) != MV_OK) {
		free(b);
		return MV_EINVAL;
	}
	if (body_str(b, "name", name, sizeof name, NULL) == MV_OK &&
	    body_int(b, "value", &v, NULL) == MV_OK &&
	    !gov_param_settable(h->st, name, v, why, sizeof why))
		rc = mv_fail(err, MV_EINVAL, "%s", why);
	body_free(b);
	free(b);
	return rc;
}

int home_gov_action_encode(struct home *h, const char *type, size_t n, const char *const *names,
			   const char *const *values, struct mv_buf *out, struct mv_err *err)
{
	const struct gov_action_type *t = gov_action_find(type);
	*out = (struct mv_buf){0};
	if (!t)
		return mv_fail(err, MV_EINVAL, "unknown action type '%s' (see `mentalverse op --help "
			       "gov.propose`)", type);
	struct body_builder *bb = malloc(sizeof *bb);
	if (!bb)
		return mv_fail(err, MV_ERR, "out of memory");
	bb_init(bb);
	int rc = MV_OK;
	for (size_t i = 0; i < n && rc == MV_OK; i++) {
		const struct field_spec *fs = hg_field(t, names[i]);
		if (!fs || strcmp(names[i], "type") == 0) {
			rc = mv_fail(err, MV_EINVAL, "action %s has no field '%s'", type, names[i]);
			break;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(names[k], names[i]) == 0)
				rc = mv_fail(err, MV_EINVAL, "action %s: field '%s' given twice", type,
					     names[i]);
		if (rc == MV_OK && (rc = home_parse_field(h, fs, values[i], bb, err)) != MV_OK)
			rc = MV_EINVAL;
	}
	for (const struct field_spec *fs = t->fields; rc == MV_OK && fs->name; fs++) {
		bool given = strcmp(fs->name, "type") == 0;
		for (size_t i = 0; i < n && !given; i++)
			given = strcmp(names[i], fs->name) == 0;
		if (!fs->optional && !given)
			rc = mv_fail(err, MV_EINVAL, "action %s needs field %s (%s)", type, fs->name,
				     fs->help ? fs->help : "required");
	}
	if (rc != MV_OK) {
		bb_free(bb);
		free(bb);
		return rc;
	}
	bb_str(bb, "type", t->type);
	rc = bb_build(bb, out, err);
	free(bb);
	if (rc != MV_OK)
		return rc;
	/* the field specs' bounds and choices, as the contract checks them */
	struct body *b = calloc(1, sizeof *b);
	char reason[200];
	struct op_handler hd = {.kind = t->type, .fields = t->fields};
	if (!b)
		rc = mv_fail(err, MV_ERR, "out of memory");
	else if (body_decode(b, out->data, out->len, err) != MV_OK)
		rc = MV_EINVAL;
	else if (contract_check_body(&hd, b, reason, sizeof reason) != MV_OK)
		rc = mv_fail(err, MV_EINVAL, "action %s: %s", type, reason);
	if (b) {
		body_free(b);
		free(b);
	}
	if (rc == MV_OK && strcmp(t->type, "param.set") == 0)
		rc = hg_check_param(h, out->data, out->len, err);
	if (rc != MV_OK)
		mv_buf_free(out);
	return rc;
}

/* Next token of s at *i: a run of non-spaces where double quotes group
 * spaces and \" is a quote. Returns false at the end; err on an open quote. */
static bool hg_token(const char *s, size_t *i, char *tok, size_t toklen, struct mv_err *err,
		     int *rc)
{
	size_t o = 0;
	bool quoted = false;
	while (s[*i] == ' ' || s[*i] == '\t')
		(*i)++;
	if (!s[*i])
		return false;
	for (; s[*i] && (quoted || (s[*i] != ' ' && s[*i] != '\t')); (*i)++) {
		char ch = s[*i];
		if (ch == '"') {
			quoted = !quoted;
			continue;
		}
		if (ch == '\\' && s[*i + 1] == '"')
			ch = s[++*i];
		if (o + 1 >= toklen) {
			*rc = mv_fail(err, MV_EINVAL, "action: a field is longer than %zu bytes",
				      toklen - 1);
			return false;
		}
		tok[o++] = ch;
	}
	tok[o] = '\0';
	if (quoted) {
		*rc = mv_fail(err, MV_EINVAL, "action: a double quote is not closed in '%s'", s);
		return false;
	}
	return true;
}

#define HG_FIELDS 16

int home_gov_action_parse(struct home *h, const char *spec, struct mv_buf *out,
			  struct mv_err *err)
{
	size_t len = strlen(spec) + 1, i = 0, n = 0;
	char *type = malloc(len), *toks = malloc(len * HG_FIELDS);
	const char *names[HG_FIELDS], *values[HG_FIELDS];
	int rc = MV_OK;
	*out = (struct mv_buf){0};
	if (!type || !toks) {
		free(type);
		free(toks);
		return mv_fail(err, MV_ERR, "out of memory");
	}
	if (!hg_token(spec, &i, type, len, err, &rc)) {
		if (rc == MV_OK)
			rc = mv_fail(err, MV_EINVAL, "an empty action: give 'TYPE FIELD=VALUE ...'");
	}
	while (rc == MV_OK) {
		char *tok = toks + n * len;
		if (n == HG_FIELDS) {
			if (spec[i + strspn(spec + i, " \t")])
				rc = mv_fail(err, MV_EINVAL, "action %s: too many fields", type);
			break;
		}
		if (!hg_token(spec, &i, tok, len, err, &rc))
			break;
		char *eq = strchr(tok, '=');
		if (!eq || eq == tok) {
			rc = mv_fail(err, MV_EINVAL, "action field '%s' is not FIELD=VALUE", tok);
			break;
		}
		*eq = '\0';
		names[n] = tok;
		values[n++] = eq + 1;
	}
	if (rc == MV_OK)
		rc = home_gov_action_encode(h, type, n, names, values, out, err);
	free(type);
	free(toks);
	return rc;
}

void home_gov_action_type(const struct mv_buf *action, char *out, size_t outlen)
{
	struct body *b = calloc(1, sizeof *b);
	out[0] = '\0';
	if (!b)
		return;
	if (body_decode(b, action->data, action->len, NULL) == MV_OK) {
		if (body_str(b, "type", out, outlen, NULL) != MV_OK)
			out[0] = '\0';
		body_free(b);
	}
	free(b);
}

static bool hg_kind_known(const char *kind)
{
	size_t n = strlen(kind);
	for (const char *c = HG_KINDS; n && *c;) {
		const char *bar = strchr(c, '|');
		size_t l = bar ? (size_t)(bar - c) : strlen(c);
		if (l == n && memcmp(c, kind, n) == 0)
			return true;
		c = bar ? bar + 1 : c + l;
	}
	return false;
}

int home_gov_propose_check(struct home *h, const struct home_proposal *p, struct mv_err *err)
{
	bool group = p->kind && strcmp(p->kind, "group") == 0;
	if (!p->kind || !hg_kind_known(p->kind))
		return mv_fail(err, MV_EINVAL, "unknown proposal kind '%s' (one of %s)",
			       p->kind ? p->kind : "", HG_KINDS);
	if (!p->title || !p->title[strspn(p->title, " ")])
		return mv_fail(err, MV_EINVAL, "a proposal needs a title");
	if (group && !p->group)
		return mv_fail(err, MV_EINVAL, "a group proposal names its group");
	if (!group && p->group)
		return mv_fail(err, MV_EINVAL, "only group proposals (kind group) name a group");
	int64_t max = param_get(h->st, "gov_max_actions", 10);
	if (strcmp(p->kind, "text") == 0) {
		if (p->nactions)
			return mv_fail(err, MV_EINVAL, "a text proposal has no actions (%zu given)",
				       p->nactions);
		return MV_OK;
	}
	if (p->nactions == 0)
		return mv_fail(err, MV_EINVAL, "a %s proposal needs at least one action", p->kind);
	if ((int64_t)p->nactions > max)
		return mv_fail(err, MV_EINVAL, "too many actions: %zu given, at most %lld "
			       "(gov_max_actions)", p->nactions, (long long)max);
	for (size_t i = 0; i < p->nactions; i++) {
		char type[40];
		home_gov_action_type(&p->actions[i], type, sizeof type);
		const struct gov_action_type *t = gov_action_find(type);
		if (!t)
			return mv_fail(err, MV_EINVAL, "action %zu: unknown action type '%s'", i + 1,
				       type);
		if (strcmp(t->kind, p->kind) != 0)
			return mv_fail(err, MV_EINVAL, "action %zu: %s does not belong in a %s "
				       "proposal (it is a %s action)", i + 1, type, p->kind, t->kind);
	}
	return MV_OK;
}

int home_gov_propose(struct home *h, const char *as, const struct home_proposal *p,
		     struct submit_result *res, struct mv_err *err)
{
	int rc = home_gov_propose_check(h, p, err);
	if (rc != MV_OK)
		return rc;
	struct body_builder *bb = malloc(sizeof *bb);
	struct mv_buf body = {0};
	if (!bb)
		return mv_fail(err, MV_ERR, "out of memory");
	bb_init(bb);
	bb_str(bb, "kind", p->kind);
	bb_str(bb, "title", p->title);
	if (p->description && p->description[0])
		bb_str(bb, "description", p->description);
	if (p->group)
		bb_id(bb, "group", p->group);
	if (p->nactions) {
		bb_list_begin(bb, "actions");
		for (size_t i = 0; i < p->nactions; i++)
			bb_list_bytes(bb, p->actions[i].data, p->actions[i].len);
		bb_list_end(bb);
	}
	rc = bb_build(bb, &body, err);
	free(bb);
	if (rc != MV_OK)
		return rc;
	rc = home_submit(h, as, "gov.propose", body.data, body.len, res, err);
	mv_buf_free(&body);
	return rc;
}
