/* demo_gov.c - the governance steps of the demo that go through home
 * helpers (see demo_gov.h): group keys and encrypted posts (home_groups.h)
 * and proposals with a typed action written as the CLI takes it
 * (home_gov.h). */
#include "ui/demo_gov.h"
#include "core/home_gov.h"
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

int demo_gov_propose(struct home *h, const char *as, char *const *fields, int n,
		     struct submit_result *res, struct mv_err *err)
{
	const char *spec = dg_value(fields, n, "action"), *grp = dg_value(fields, n, "group");
	uint8_t g[32];
	struct mv_buf act = {0};
	if (grp && mv_unhex(g, 32, grp) != MV_OK)
		return mv_fail(err, MV_EINVAL, "demo: group=ID expected");
	if (spec && home_gov_action_parse(h, spec, &act, err) != MV_OK)
		return MV_EINVAL;
	struct home_proposal p = {dg_value(fields, n, "kind"), dg_value(fields, n, "title"),
				  dg_value(fields, n, "description"), grp ? g : NULL,
				  spec ? &act : NULL, spec ? 1 : 0};
	int rc = home_gov_propose(h, as, &p, res, err);
	mv_buf_free(&act);
	return rc;
}
