/* demo_gov.c - the governance steps of the demo that go through home
 * helpers (see demo_gov.h): group keys and encrypted posts (home_groups.h)
 * and proposals with a typed action encoded by its field specs. */
#include "ui/demo_gov.h"
#include "core/body.h"
#include "core/gov.h"
#include "core/home_groups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dg_value(char *const *fields, int n, const char *name)
{
	size_t len = strlen(name);
	for (int i = 0; i < n; i++)
		if (strncmp(fields[i], name, len) == 0 && fields[i][len] == '=')
			return fields[i] + len + 1;
	return NULL;
}

static int dg_group(char *const *fields, int n, uint8_t g[32], struct mv_err *err)
{
	const char *v = dg_value(fields, n, "group");
	if (!v || mv_unhex(g, 32, v) != MV_OK)
		return mv_fail(err, MV_EINVAL, "demo: group=ID expected");
	return MV_OK;
}

int demo_gov_group_create(struct home *h, const char *as, char *const *fields, int n,
			  struct submit_result *res, struct mv_err *err)
{
	uint8_t inv[8][32];
	size_t ninv = 0;
	const char *list = dg_value(fields, n, "invite");
	if (list) {
		char buf[512], *save = NULL;
		snprintf(buf, sizeof buf, "%s", list);
		for (char *a = strtok_r(buf, ",", &save); a && ninv < 8; a = strtok_r(NULL, ",", &save))
			if (home_resolve_account(h, a, inv[ninv++], err) != MV_OK)
				return MV_EINVAL;
	}
	const char *policy = dg_value(fields, n, "policy");
	struct home_group_args a = {dg_value(fields, n, "name"), dg_value(fields, n, "topic"),
				    dg_value(fields, n, "charter"), policy ? policy : "invite",
				    (const uint8_t (*)[32])inv, ninv, false};
	return home_groups_create(h, as, &a, res, err);
}

int demo_gov_key_share(struct home *h, const char *as, char *const *fields, int n,
		       struct submit_result *res, struct mv_err *err)
{
	uint8_t g[32];
	size_t shared = 0;
	if (dg_group(fields, n, g, err) != MV_OK)
		return MV_EINVAL;
	int rc = home_groups_share_keys(h, as, g, &shared, err);
	if (rc != MV_OK)
		return rc;
	memset(res, 0, sizeof *res);
	memcpy(res->id, g, 32);
	res->outcome = shared > 0 ? 1 : 0;
	if (!shared)
		snprintf(res->reason, sizeof res->reason, "nobody lacked the key");
	return MV_OK;
}

int demo_gov_post(struct home *h, const char *as, char *const *fields, int n,
		  struct submit_result *res, struct mv_err *err)
{
	uint8_t g[32];
	if (dg_group(fields, n, g, err) != MV_OK)
		return MV_EINVAL;
	return home_groups_post(h, as, g, dg_value(fields, n, "text"), res, err);
}

/* Next space-separated token of *p (a value may be "double-quoted" to hold
 * spaces: F="two words"), with the quotes removed; NULL at the end. */
static char *dg_token(char **p)
{
	char *s = *p, *out;
	while (*s == ' ')
		s++;
	if (!*s)
		return NULL;
	out = s;
	char *w = s;
	bool quoted = false;
	for (; *s && (quoted || *s != ' '); s++) {
		if (*s == '"')
			quoted = !quoted;
		else
			*w++ = *s;
	}
	if (*s)
		s++;
	*w = '\0';
	*p = s;
	return out;
}

/* "TYPE F=V F=\"V with spaces\" ..." into the hex of the encoded action. */
static int dg_action_hex(struct home *h, const char *spec, char *out, size_t outlen,
			 struct mv_err *err)
{
	char buf[512], *p = buf;
	snprintf(buf, sizeof buf, "%s", spec);
	char *type = dg_token(&p);
	const struct gov_action_type *t = type ? gov_action_find(type) : NULL;
	if (!t)
		return mv_fail(err, MV_EINVAL, "demo: unknown action type '%s'", type ? type : "");
	struct body_builder bb;
	bb_init(&bb);
	bb_str(&bb, "type", t->type);
	int rc = MV_OK;
	for (char *kv = dg_token(&p); kv && rc == MV_OK; kv = dg_token(&p)) {
		char *eq = strchr(kv, '=');
		const struct field_spec *fs = NULL;
		if (eq) {
			*eq = '\0';
			for (const struct field_spec *f = t->fields; f && f->name; f++)
				if (strcmp(f->name, kv) == 0)
					fs = f;
		}
		rc = fs ? home_parse_field(h, fs, eq + 1, &bb, err)
			: mv_fail(err, MV_EINVAL, "demo: bad action field '%s'", kv);
	}
	if (rc != MV_OK) {
		bb_free(&bb);
		return rc;
	}
	struct mv_buf enc = {0};
	if ((rc = bb_build(&bb, &enc, err)) != MV_OK)
		return rc;
	if (enc.len * 2 + 1 > outlen) {
		mv_buf_free(&enc);
		return mv_fail(err, MV_EINVAL, "demo: action too long");
	}
	mv_hex(out, enc.data, enc.len);
	mv_buf_free(&enc);
	return MV_OK;
}

int demo_gov_propose(struct home *h, const char *as, char *const *fields, int n,
		     struct submit_result *res, struct mv_err *err)
{
	char *f[8], act[1200];
	int m = 0;
	for (int i = 0; i < n && m < 7; i++)
		if (strncmp(fields[i], "action=", 7) != 0)
			f[m++] = fields[i];
	const char *spec = dg_value(fields, n, "action");
	if (spec) {
		char hex[1100];
		if (dg_action_hex(h, spec, hex, sizeof hex, err) != MV_OK)
			return MV_EINVAL;
		snprintf(act, sizeof act, "actions=%s", hex);
		f[m++] = act;
	}
	return home_submit_fields(h, as, "gov.propose", m, f, res, err);
}
