/* gen_bundle.c - test tool: write a large, valid bundle of signed
 * ledger.transfer ops for the import crash test and benchmarks.
 *
 * usage: gen_bundle DIR OUT N [AUTHORS]
 *   DIR      an empty scratch directory; a home is created there (network
 *            "gen-bundle", empty passphrases) so that its genesis is real
 *   OUT      the bundle file written: genesis + N transfer ops
 *   N        number of transfer ops (>= AUTHORS)
 *   AUTHORS  number of extra authors (default 4)
 *
 * The founder first funds every author, then the authors pay each other
 * small amounts round-robin, so every op applies. Ops are built and signed
 * with the core API (op_sign, bundle_encode_*) directly, without going
 * through the store, so N = 100k takes a couple of seconds; each author's
 * chain (seq, prev) and the clocks are the ones the home would make.
 * Exit 0 on success, 1 on failure (message on stderr), 2 on bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/body.h"
#include "core/home.h"
#include "core/genesis_conf.h"

#define GEN_MAX_AUTHORS 64

struct gen_author {
	char name[KS_NAME_MAX + 1];
	uint8_t sk[64];
	uint8_t pk[32];
	uint64_t seq;
	uint8_t prev[32];
};

struct gen {
	struct home *h;
	struct gen_author a[GEN_MAX_AUTHORS + 1]; /* a[0] is the founder */
	size_t nauthors;                          /* including the founder */
	uint64_t clock;
	struct mv_buf ops;
	uint64_t count;
};

static int gen_die(const struct mv_err *err)
{
	fprintf(stderr, "gen_bundle: %s\n", err->msg);
	return 1;
}

static int gen_author(struct gen *g, size_t i, const char *name, struct mv_err *err)
{
	struct gen_author *a = &g->a[i];
	snprintf(a->name, sizeof a->name, "%s", name);
	if (i > 0 && home_keygen(g->h, name, a->pk, err) != MV_OK)
		return MV_ERR;
	if (keystore_unlock(g->h->keydir, name, "", a->sk, err) != MV_OK)
		return MV_ERR;
	memcpy(a->pk, a->sk + 32, 32);
	uint64_t clock;
	return log_head(g->h->st, a->pk, &a->seq, a->prev, &clock, err);
}

/* Sign one transfer from a[from] to a[to] and append it to the bundle. */
static int gen_transfer(struct gen *g, size_t from, size_t to, int64_t amount,
			struct mv_err *err)
{
	struct gen_author *a = &g->a[from];
	struct body_builder bb;
	struct mv_buf body;
	struct op op;
	bb_init(&bb);
	bb_id(&bb, "to", g->a[to].pk);
	bb_int(&bb, "amount", amount);
	if (bb_build(&bb, &body, err) != MV_OK)
		return MV_ERR;
	memset(&op, 0, sizeof op);
	op.version = OP_VERSION;
	memcpy(op.network, g->h->network, 32);
	memcpy(op.author, a->pk, 32);
	op.seq = a->seq + 1;
	memcpy(op.prev, a->prev, 32);
	op.clock = ++g->clock;
	snprintf(op.kind, sizeof op.kind, "ledger.transfer");
	op.body = body.data;
	op.body_len = body.len;
	int rc = op_sign(&op, a->sk, err);
	mv_buf_free(&body);
	if (rc != MV_OK)
		return rc;
	rc = bundle_encode_add(&g->ops, op.raw, op.raw_len);
	a->seq = op.seq;
	memcpy(a->prev, op.id, 32);
	g->count++;
	op_free(&op);
	return rc == MV_OK ? MV_OK : mv_fail(err, MV_ERR, "out of memory");
}

/* The home's genesis op bytes (its export holds only that op). */
static int gen_genesis(struct gen *g, struct mv_buf *out, struct mv_err *err)
{
	struct mv_buf exp;
	const uint8_t **raws = NULL;
	size_t n = 0, *lens = NULL;
	if (home_export(g->h, &exp, err) != MV_OK)
		return MV_ERR;
	int rc = bundle_decode(exp.data, exp.len, &n, &raws, &lens, err);
	if (rc == MV_OK && n != 1)
		rc = mv_fail(err, MV_ERR, "fresh home exported %zu ops, expected 1", n);
	if (rc == MV_OK && mv_buf_append(out, raws[0], lens[0]) != MV_OK)
		rc = mv_fail(err, MV_ERR, "out of memory");
	free(raws);
	free(lens);
	mv_buf_free(&exp);
	return rc;
}

static int gen_ops(struct gen *g, uint64_t n, struct mv_err *err)
{
	size_t k = g->nauthors - 1;
	int rc = MV_OK;
	for (size_t i = 1; rc == MV_OK && i <= k; i++)
		rc = gen_transfer(g, 0, i, INT64_C(1000) * MV_UNIT, err);
	for (uint64_t i = k; rc == MV_OK && i < n; i++) {
		size_t from = 1 + (size_t)(i % k), to = 1 + (size_t)((i + 1) % k);
		rc = gen_transfer(g, from, to, 1000 + (int64_t)(i % 7), err);
	}
	return rc;
}

static int gen_write(struct gen *g, const char *out, struct mv_err *err)
{
	struct mv_buf file = {NULL, 0, 0}, genesis = {NULL, 0, 0};
	int rc = gen_genesis(g, &genesis, err);
	if (rc == MV_OK && (bundle_encode_begin(&file, g->count + 1) != MV_OK ||
			    bundle_encode_add(&file, genesis.data, genesis.len) != MV_OK ||
			    mv_buf_append(&file, g->ops.data, g->ops.len) != MV_OK))
		rc = mv_fail(err, MV_ERR, "out of memory");
	if (rc == MV_OK)
		rc = mv_write_file_atomic(out, file.data, file.len, 0644, err);
	mv_buf_free(&file);
	mv_buf_free(&genesis);
	return rc;
}

/* The default genesis with the spam rule off: these bundles measure the
 * pipeline, and N ops a few microseconds apart would otherwise trip
 * rate_limit_per_hour (which is tested on its own in test_access). */
static int gen_genesis_file(const char *dir, char *path, size_t pathlen, struct mv_err *err)
{
	static const char key[] = "rate_limit_per_hour";
	struct mv_buf text = {0};
	snprintf(path, pathlen, "%s/genesis.conf", dir);
	for (const char *p = genesis_conf_default; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
		if (strncmp(p, key, sizeof key - 1) == 0)
			mv_buf_append(&text, "rate_limit_per_hour = 0\n", 24);
		else
			mv_buf_append(&text, p, len);
		p += len;
	}
	int rc = mv_write_file_atomic(path, text.data, text.len, 0644, err);
	mv_buf_free(&text);
	return rc;
}

static int gen_run(struct gen *g, const char *dir, const char *out, uint64_t n,
		   struct mv_err *err)
{
	char name[32], conf[4200];
	if (home_open(&g->h, dir, true, err) != MV_OK ||
	    gen_genesis_file(dir, conf, sizeof conf, err) != MV_OK ||
	    home_init(g->h, "gen-bundle", conf, err) != MV_OK ||
	    gen_author(g, 0, "founder", err) != MV_OK)
		return MV_ERR;
	for (size_t i = 1; i < g->nauthors; i++) {
		snprintf(name, sizeof name, "author%zu", i);
		if (gen_author(g, i, name, err) != MV_OK)
			return MV_ERR;
	}
	g->clock = log_max_clock(g->h->st);
	if ((uint64_t)mv_now_ms() << 16 > g->clock)
		g->clock = (uint64_t)mv_now_ms() << 16;
	if (gen_ops(g, n, err) != MV_OK)
		return MV_ERR;
	return gen_write(g, out, err);
}

int main(int argc, char **argv)
{
	static struct gen g;
	struct mv_err err;
	char *end;
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: gen_bundle DIR OUT N [AUTHORS]\n");
		return 2;
	}
	unsigned long long n = strtoull(argv[3], &end, 10);
	unsigned long k = argc == 5 ? strtoul(argv[4], NULL, 10) : 4;
	if (*end || k < 1 || k > GEN_MAX_AUTHORS || n < k) {
		fprintf(stderr, "gen_bundle: need N >= AUTHORS and 1 <= AUTHORS <= %d\n",
			GEN_MAX_AUTHORS);
		return 2;
	}
	unsetenv("MENTALVERSE_PASSPHRASE"); /* scratch keys: empty passphrase */
	mv_err_clear(&err);
	g.nauthors = (size_t)k + 1;
	int rc = gen_run(&g, argv[1], argv[2], n, &err);
	for (size_t i = 0; i < g.nauthors; i++)
		sodium_memzero(g.a[i].sk, sizeof g.a[i].sk);
	mv_buf_free(&g.ops);
	home_close(g.h);
	if (rc != MV_OK)
		return gen_die(&err);
	printf("%llu\n", n + 1);
	return 0;
}
