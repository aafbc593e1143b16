/* jurisdictions.c - the data-protection rule sets compiled into the binary
 * (contracts must not read files: every node has to reach the same result),
 * the lookup from a user's jurisdiction ("DE-BE", "US-CA", "GB") to its rule
 * set, and a parser for assets/jurisdictions.txt, which holds the same table
 * as data. tests/unit/test_compliance.c parses the asset and compares it
 * with jurisdiction_rules[] field by field, so the two cannot drift apart. */
#include "gov.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct jurisdiction_rule jurisdiction_rules[] = {
	{
		.code = "US",
		.law = "HIPAA",
		.name = "United States",
		.countries = "US,PR,GU,VI,AS,MP",
		.retention_days = 2190,
		.breach_notice_hours = 1440,
		.breach_notify = "each affected individual; HHS; the media when over 500 residents "
				 "of a state",
		.cross_border_consent = false,
		.erasure_right = false,
		.portability_right = true,
		.consent = "authorization for uses beyond treatment, payment and operations; "
			   "psychotherapy notes need specific authorization",
	},
	{
		.code = "EU",
		.law = "GDPR",
		.name = "European Union and EEA",
		.countries = "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,"
			     "RO,SK,SI,ES,SE,IS,LI,NO,EU",
		.retention_days = 3650,
		.breach_notice_hours = 72,
		.breach_notify = "the supervisory authority; data subjects when the risk is high",
		.cross_border_consent = true,
		.erasure_right = true,
		.portability_right = true,
		.consent = "explicit consent for health data (Art. 9); explicit consent for "
			   "transfers without adequacy (Art. 49)",
	},
	{
		.code = "UK",
		.law = "UK GDPR",
		.name = "United Kingdom",
		.countries = "GB,UK",
		.retention_days = 2920,
		.breach_notice_hours = 72,
		.breach_notify = "the ICO; data subjects when the risk is high",
		.cross_border_consent = true,
		.erasure_right = true,
		.portability_right = true,
		.consent = "explicit consent for health data; explicit consent for restricted "
			   "transfers without adequacy",
	},
	{
		.code = "CA",
		.law = "PIPEDA",
		.name = "Canada",
		.countries = "CA",
		.retention_days = 3650,
		.breach_notice_hours = 0,
		.breach_notify = "the Privacy Commissioner and affected individuals, as soon as "
				 "feasible",
		.cross_border_consent = true,
		.erasure_right = false,
		.portability_right = false,
		.consent = "meaningful consent for collection, use and disclosure; notice of "
			   "processing outside Canada",
	},
	{.code = NULL},
};

/* True if the comma-separated list holds the country exactly. */
static bool list_has(const char *list, const char *country, size_t n)
{
	const char *p = list;
	while (p && *p) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (len == n && strncmp(p, country, n) == 0)
			return true;
		p = c ? c + 1 : NULL;
	}
	return false;
}

const struct jurisdiction_rule *jurisdiction_find(const char *code)
{
	if (!code || !code[0])
		return NULL;
	for (const struct jurisdiction_rule *r = jurisdiction_rules; r->code; r++)
		if (strcmp(r->code, code) == 0)
			return r;
	/* a user's jurisdiction: the country before any "-subdivision" */
	const char *dash = strchr(code, '-');
	size_t n = dash ? (size_t)(dash - code) : strlen(code);
	for (const struct jurisdiction_rule *r = jurisdiction_rules; r->code; r++)
		if (list_has(r->countries, code, n))
			return r;
	return NULL;
}

/* ---- the asset parser ---------------------------------------------------- */

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int parse_bool(const char *v, bool *out)
{
	if (strcmp(v, "yes") == 0)
		*out = true;
	else if (strcmp(v, "no") == 0)
		*out = false;
	else
		return MV_EINVAL;
	return MV_OK;
}

static int parse_int(const char *v, int64_t *out)
{
	char *end;
	long long x = strtoll(v, &end, 10);
	if (!v[0] || *end || x < 0)
		return MV_EINVAL;
	*out = x;
	return MV_OK;
}

/* Set one key of rule r; MV_EINVAL for an unknown key or a bad value. */
static int set_key(struct jurisdiction_rule *r, const char *k, char *v)
{
	if (strcmp(k, "law") == 0)
		r->law = v;
	else if (strcmp(k, "name") == 0)
		r->name = v;
	else if (strcmp(k, "countries") == 0)
		r->countries = v;
	else if (strcmp(k, "breach_notify") == 0)
		r->breach_notify = v;
	else if (strcmp(k, "consent") == 0)
		r->consent = v;
	else if (strcmp(k, "retention_days") == 0)
		return parse_int(v, &r->retention_days);
	else if (strcmp(k, "breach_notice_hours") == 0)
		return parse_int(v, &r->breach_notice_hours);
	else if (strcmp(k, "cross_border_consent") == 0)
		return parse_bool(v, &r->cross_border_consent);
	else if (strcmp(k, "erasure_right") == 0)
		return parse_bool(v, &r->erasure_right);
	else if (strcmp(k, "portability_right") == 0)
		return parse_bool(v, &r->portability_right);
	else
		return MV_EINVAL;
	return MV_OK;
}

int jurisdiction_parse(char *text, struct jurisdiction_rule *out, size_t max, size_t *n,
		       struct mv_err *err)
{
	struct jurisdiction_rule *cur = NULL;
	int line = 0;
	*n = 0;
	for (char *p = text; p && *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		line++;
		char *l = trim(p);
		p = nl ? nl + 1 : NULL;
		if (!l[0] || l[0] == '#')
			continue;
		if (l[0] == '[') {
			size_t len = strlen(l);
			if (len < 3 || l[len - 1] != ']')
				return mv_fail(err, MV_EINVAL, "jurisdictions line %d: bad section", line);
			if (*n >= max)
				return mv_fail(err, MV_EINVAL, "jurisdictions line %d: too many sections",
					       line);
			l[len - 1] = '\0';
			cur = &out[(*n)++];
			memset(cur, 0, sizeof *cur);
			cur->code = l + 1;
			continue;
		}
		char *eq = strchr(l, '=');
		if (!eq || !cur)
			return mv_fail(err, MV_EINVAL, "jurisdictions line %d: expected key = value "
				       "inside a [CODE] section", line);
		*eq = '\0';
		char *k = trim(l), *v = trim(eq + 1);
		if (set_key(cur, k, v) != MV_OK)
			return mv_fail(err, MV_EINVAL, "jurisdictions line %d: bad key or value '%s'",
				       line, k);
	}
	for (size_t i = 0; i < *n; i++)
		if (!out[i].law || !out[i].name || !out[i].countries || !out[i].breach_notify ||
		    !out[i].consent)
			return mv_fail(err, MV_EINVAL, "jurisdictions: section %s lacks a key",
				       out[i].code);
	return MV_OK;
}
