/* demo.c - the demo network: a home named "mentalverse-demo" with a council
 * of two (threshold 2), three therapists, three patients and two DAO
 * members, funded from the founder and given some history.
 *
 * Everything is made through the core API exactly as a person would make
 * it: identities by the keystore, the network by home_init with a genesis
 * file, and every balance and every piece of history by signed ops through
 * home_submit_fields. Nothing writes a table directly. The structure is
 * fixed (the same names, the same ops in the same order, the same outcomes);
 * only keys, and so op ids, differ between runs.
 *
 * The demo is a list of steps: each later feature appends its rows to
 * demo_steps[] (services, availability, sessions, stakes, proposals). A step
 * may name its op with a label; a later field value "@label" is replaced by
 * that op's id in hex.
 *
 * Passphrases: every demo identity uses the documented empty passphrase (the
 * key files protect nothing); MENTALVERSE_PASSPHRASE is ignored while the
 * demo is built. */
#include "ui/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/genesis_conf.h"
#include "core/home.h"

#define DEMO_MAX_FIELDS 8
#define DEMO_PASS ""

const char *const demo_people[] = {
	"council-ana", "council-ben",
	"therapist-maya", "therapist-omar", "therapist-lin",
	"patient-sam", "patient-kai", "patient-ria",
	"member-dana", "member-eli",
	NULL,
};

/* The council seated by the demo's genesis (the first two people). */
#define DEMO_COUNCIL "council-ana,council-ben"
#define DEMO_COUNCIL_THRESHOLD "2"

enum demo_expect { DEMO_APPLIED = 1, DEMO_REJECTED = 0 };

/* One op of the demo, signed by `as`. */
struct demo_step {
	const char *label;  /* names this op for "@label" values later, or NULL */
	const char *as;
	const char *kind;
	const char *fields[DEMO_MAX_FIELDS]; /* "name=value", NULL ends */
	enum demo_expect expect;
};

static const struct demo_step demo_steps[] = {
	/* Welcome grants from the founder's allocation. */
	{NULL, "founder", "ledger.transfer", {"to=council-ana", "amount=1000", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=council-ben", "amount=1000", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=therapist-maya", "amount=500", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=therapist-omar", "amount=500", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=therapist-lin", "amount=500", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=patient-sam", "amount=200", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=patient-kai", "amount=200", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=patient-ria", "amount=50", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=member-dana", "amount=300", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=member-eli", "amount=300", "memo=welcome grant"}, DEMO_APPLIED},
	/* Some history between people (memos are public: nothing personal). */
	{NULL, "patient-sam", "ledger.transfer", {"to=therapist-maya", "amount=40"}, DEMO_APPLIED},
	{NULL, "patient-kai", "ledger.transfer", {"to=therapist-omar", "amount=35.5"}, DEMO_APPLIED},
	{NULL, "patient-ria", "ledger.transfer", {"to=therapist-lin", "amount=25"}, DEMO_APPLIED},
	{NULL, "therapist-maya", "ledger.transfer", {"to=member-dana", "amount=12.25", "memo=workshop co-host"}, DEMO_APPLIED},
	{NULL, "member-eli", "ledger.transfer", {"to=member-dana", "amount=5", "memo=coffee"}, DEMO_APPLIED},
	{NULL, "council-ana", "ledger.transfer", {"to=member-eli", "amount=20", "memo=community call"}, DEMO_APPLIED},
	{NULL, "therapist-omar", "ledger.transfer", {"to=patient-kai", "amount=10", "memo=refund"}, DEMO_APPLIED},
	/* An overspend, so the activity log shows a rejection and its reason. */
	{NULL, "patient-ria", "ledger.transfer", {"to=therapist-lin", "amount=500"}, DEMO_REJECTED},
	{NULL, NULL, NULL, {NULL}, DEMO_APPLIED},
};

#define DEMO_NSTEPS (sizeof demo_steps / sizeof demo_steps[0] - 1)

/* The genesis file of the demo: the built-in defaults with the council and
 * its threshold replaced. Written into the demo home for reference. */
static int demo_genesis_text(struct mv_buf *out, struct mv_err *err)
{
	const char *p = genesis_conf_default;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		const char *line = p;
		int rc;
		if (strncmp(line, "council_threshold", 17) == 0)
			rc = mv_buf_append(out, "council_threshold = " DEMO_COUNCIL_THRESHOLD "\n",
					   strlen("council_threshold = " DEMO_COUNCIL_THRESHOLD "\n"));
		else if (strncmp(line, "council", 7) == 0 && (line[7] == ' ' || line[7] == '='))
			rc = mv_buf_append(out, "council = " DEMO_COUNCIL "\n",
					   strlen("council = " DEMO_COUNCIL "\n"));
		else
			rc = mv_buf_append(out, line, n);
		if (rc != MV_OK)
			return mv_fail(err, MV_ERR, "out of memory");
		p += n;
	}
	return MV_OK;
}

static int demo_write_genesis(const char *dir, char *path, size_t pathlen, struct mv_err *err)
{
	struct mv_buf text = {NULL, 0, 0};
	int n = snprintf(path, pathlen, "%s/genesis.demo", dir);
	if (n < 0 || (size_t)n >= pathlen)
		return mv_fail(err, MV_EINVAL, "demo directory path too long");
	int rc = demo_genesis_text(&text, err);
	if (rc == MV_OK)
		rc = mv_write_file_atomic(path, text.data, text.len, 0644, err);
	mv_buf_free(&text);
	return rc;
}

/* The founder and everyone in demo_people, all with the empty passphrase.
 * The founder is made here so that home_init finds it and does not ask. */
static int demo_identities(struct home *h, struct mv_err *err)
{
	uint8_t pk[32];
	int rc = keystore_create(h->keydir, "founder", DEMO_PASS, pk, err);
	for (const char *const *p = demo_people; rc == MV_OK && *p; p++)
		rc = keystore_create(h->keydir, *p, DEMO_PASS, pk, err);
	return rc;
}

/* "name=@label" -> "name=<hex id of the op labelled label>" in buf. */
static int demo_field(const char *f, const uint8_t (*ids)[32], size_t upto, char *buf,
		      size_t buflen, struct mv_err *err)
{
	const char *eq = strchr(f, '=');
	if (!eq || eq[1] != '@') {
		snprintf(buf, buflen, "%s", f);
		return MV_OK;
	}
	for (size_t i = 0; i < upto; i++) {
		if (!demo_steps[i].label || strcmp(demo_steps[i].label, eq + 2) != 0)
			continue;
		char hex[65];
		mv_hex(hex, ids[i], 32);
		snprintf(buf, buflen, "%.*s=%s", (int)(eq - f), f, hex);
		return MV_OK;
	}
	return mv_fail(err, MV_EINVAL, "demo: no earlier step labelled '%s'", eq + 2);
}

/* Submit step i and check it had the outcome the demo expects. */
static int demo_run_step(struct home *h, size_t i, uint8_t (*ids)[32], struct mv_err *err)
{
	const struct demo_step *s = &demo_steps[i];
	char bufs[DEMO_MAX_FIELDS][256], *fields[DEMO_MAX_FIELDS];
	struct submit_result res;
	int n = 0;
	for (; n < DEMO_MAX_FIELDS && s->fields[n]; n++) {
		if (demo_field(s->fields[n], (const uint8_t (*)[32])ids, i, bufs[n], sizeof bufs[n],
			       err) != MV_OK)
			return MV_EINVAL;
		fields[n] = bufs[n];
	}
	if (home_submit_fields(h, s->as, s->kind, n, fields, &res, err) != MV_OK)
		return mv_fail(err, MV_ERR, "demo step %zu (%s by %s): %s", i + 1, s->kind, s->as,
			       err->msg);
	memcpy(ids[i], res.id, 32);
	if (res.outcome != (int)s->expect)
		return mv_fail(err, MV_ERR, "demo step %zu (%s by %s): expected %s, got %s%s%s", i + 1,
			       s->kind, s->as, s->expect == DEMO_APPLIED ? "applied" : "rejected",
			       res.outcome == 1 ? "applied" : res.outcome == 0 ? "rejected" : "pending",
			       res.outcome == 0 ? ": " : "", res.outcome == 0 ? res.reason : "");
	return MV_OK;
}

static int demo_build(struct home *h, const char *dir, struct mv_err *err)
{
	char genesis[4200];
	uint8_t (*ids)[32] = calloc(DEMO_NSTEPS ? DEMO_NSTEPS : 1, sizeof *ids);
	if (!ids)
		return mv_fail(err, MV_ERR, "out of memory");
	int rc = demo_identities(h, err);
	if (rc == MV_OK)
		rc = demo_write_genesis(dir, genesis, sizeof genesis, err);
	if (rc == MV_OK)
		rc = home_init(h, DEMO_NETWORK, genesis, err);
	for (size_t i = 0; rc == MV_OK && i < DEMO_NSTEPS; i++)
		rc = demo_run_step(h, i, ids, err);
	free(ids);
	return rc;
}

/* The demo home must be new: no network and no identities yet. */
static int demo_check_empty(struct home *h, struct mv_err *err)
{
	char name[KS_NAME_MAX + 1];
	struct mv_err e;
	if (h->has_network)
		return mv_fail(err, MV_EEXIST, "%s already holds network %s; the demo needs an empty "
			       "directory", h->dir, h->network_name);
	if (home_default_identity(h, name, sizeof name, &e) == MV_OK)
		return mv_fail(err, MV_EEXIST, "%s already holds identities (e.g. %s); the demo "
			       "needs an empty directory", h->dir, name);
	return MV_OK;
}

int demo_create(const char *dir, struct mv_err *err)
{
	struct home *h = NULL;
	char *saved = NULL;
	const char *env = getenv("MENTALVERSE_PASSPHRASE");
	if (env && !(saved = strdup(env)))
		return mv_fail(err, MV_ERR, "out of memory");
	int rc = home_open(&h, dir, true, err);
	if (rc == MV_OK)
		rc = demo_check_empty(h, err);
	if (rc == MV_OK) {
		unsetenv("MENTALVERSE_PASSPHRASE"); /* demo keys use the empty passphrase */
		rc = demo_build(h, dir, err);
		if (saved)
			setenv("MENTALVERSE_PASSPHRASE", saved, 1);
	}
	free(saved);
	home_close(h);
	return rc;
}
