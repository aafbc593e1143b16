/* genesis_conf.c - parse a genesis parameter file into a genesis op body.
 * Format (see assets/genesis.default): `key = value` lines, # comments;
 * values are integers, amounts ("N MVT"), durations ("N d|h|m|s") or, for
 * `council`, a comma-separated list of identity names or hex ids. */
#include "genesis_conf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char genesis_conf_default[] =
#include "genesis_default.inc"
	;

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static bool key_ok(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)k[i]) || isdigit((unsigned char)k[i]) || k[i] == '_'))
			return false;
	return true;
}

static int conf_value(const char *v, int64_t *out, struct mv_err *err)
{
	char num[64];
	const char *sp = strchr(v, ' ');
	if (sp && strcmp(trim((char *)sp), "MVT") == 0) {
		size_t n = (size_t)(sp - v);
		if (n >= sizeof num)
			return mv_fail(err, MV_EINVAL, "amount too long");
		memcpy(num, v, n);
		num[n] = '\0';
		return mv_amount_parse(num, out, err);
	}
	size_t n = strlen(v);
	int64_t mult = 0;
	if (n > 1 && isdigit((unsigned char)v[n - 2])) {
		switch (v[n - 1]) {
		case 'd': mult = 86400000; break;
		case 'h': mult = 3600000; break;
		case 'm': mult = 60000; break;
		case 's': mult = 1000; break;
		default: break;
		}
	}
	if (n >= sizeof num)
		return mv_fail(err, MV_EINVAL, "value too long");
	memcpy(num, v, n + 1);
	if (mult)
		num[n - 1] = '\0';
	char *end;
	long long x = strtoll(num, &end, 10);
	if (!num[0] || *end || x < 0)
		return mv_fail(err, MV_EINVAL, "'%s' is not a non-negative integer, amount or duration", v);
	if (!mv_mul_i64(x, mult ? mult : 1, out))
		return mv_fail(err, MV_EINVAL, "'%s' is too large", v);
	return MV_OK;
}

static int conf_council(struct home *h, struct body_builder *bb, char *v, struct mv_err *err)
{
	char *save = NULL;
	bb_list_begin(bb, "council");
	for (char *item = strtok_r(v, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		uint8_t id[32];
		if (home_resolve_account(h, trim(item), id, err) != MV_OK) {
			bb_list_end(bb);
			return MV_EINVAL;
		}
		bb_list_id(bb, id);
	}
	bb_list_end(bb);
	return MV_OK;
}

static int conf_line(struct home *h, struct body_builder *bb, char *line, bool *council,
		     struct mv_err *err)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	char *l = trim(line);
	if (!*l)
		return MV_OK;
	char *eq = strchr(l, '=');
	if (!eq)
		return mv_fail(err, MV_EINVAL, "expected key = value");
	*eq = '\0';
	char *k = trim(l), *v = trim(eq + 1);
	if (!key_ok(k))
		return mv_fail(err, MV_EINVAL, "bad key '%s' (use a-z, 0-9, _)", k);
	if (strcmp(k, "name") == 0)
		return mv_fail(err, MV_EINVAL, "the network name comes from `init NAME`, not the file");
	if (strcmp(k, "council") == 0) {
		*council = true;
		return conf_council(h, bb, v, err);
	}
	int64_t x;
	if (conf_value(v, &x, err) != MV_OK)
		return MV_EINVAL;
	bb_int(bb, k, x);
	return MV_OK;
}

int genesis_conf_body(struct home *h, const char *name, const char *text, struct mv_buf *body,
		      struct mv_err *err)
{
	struct body_builder bb;
	char *copy = strdup(text ? text : genesis_conf_default), *save = NULL;
	bool council = false;
	int lineno = 0, rc = MV_OK;
	if (!copy)
		return mv_fail(err, MV_ERR, "out of memory");
	bb_init(&bb);
	bb_str(&bb, "name", name);
	for (char *p = copy, *line; rc == MV_OK && (line = strsep(&p, "\n")) != NULL;) {
		lineno++;
		if (conf_line(h, &bb, line, &council, err) != MV_OK)
			rc = mv_fail(err, MV_EINVAL, "genesis file line %d: %s", lineno,
				     err ? err->msg : "invalid");
	}
	(void)save;
	free(copy);
	if (rc == MV_OK && !council)
		rc = mv_fail(err, MV_EINVAL, "genesis file has no council line");
	if (rc != MV_OK) {
		bb_free(&bb);
		return rc;
	}
	return bb_build(&bb, body, err) == MV_OK ? MV_OK : MV_EINVAL;
}
