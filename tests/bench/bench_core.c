/* bench_core.c - the engine's benchmark (make bench): raw Ed25519 verify rate
 * on one core (the physical limit of ingest), the same on two threads, the
 * ingest rate of N signed ops through the whole pipeline (bundle decode,
 * verify, chain, apply, persist in a home on disk), their ratio, the cost of
 * a late op that forces undo/redo of a 1,000-op tail, and peak RSS.
 * Usage: bench_core [N] (default 100000). Last lines are machine-readable. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/body.h"
#include "core/home.h"
#include "core/log.h"
#include "core/op.h"

#define AUTHORS 16

struct author {
	uint8_t pk[32], sk[64], prev[32];
	uint64_t seq;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sign(struct author *a, const uint8_t net[32], uint64_t clock, const char *kind,
		 const struct mv_buf *body, struct mv_buf *bundle)
{
	struct op op;
	struct mv_err e;
	memset(&op, 0, sizeof op);
	op.version = OP_VERSION;
	if (net)
		memcpy(op.network, net, 32);
	memcpy(op.author, a->pk, 32);
	op.seq = ++a->seq;
	memcpy(op.prev, a->prev, 32);
	op.clock = clock;
	snprintf(op.kind, sizeof op.kind, "%s", kind);
	op.body = body->data;
	op.body_len = body->len;
	if (op_sign(&op, a->sk, &e) != MV_OK) {
		fprintf(stderr, "sign: %s\n", e.msg);
		exit(1);
	}
	memcpy(a->prev, op.id, 32);
	bundle_encode_add(bundle, op.raw, op.raw_len);
	op_free(&op);
}

static void transfer_body(const uint8_t to[32], int64_t amount, struct mv_buf *out)
{
	struct body_builder bb;
	struct mv_err e;
	bb_init(&bb);
	bb_id(&bb, "to", to);
	bb_int(&bb, "amount", amount);
	if (bb_build(&bb, out, &e) != MV_OK)
		exit(1);
}

static void genesis_body(const uint8_t founder[32], struct mv_buf *out)
{
	struct body_builder bb;
	struct mv_err e;
	bb_init(&bb);
	bb_str(&bb, "name", "bench");
	bb_list_begin(&bb, "council");
	bb_list_id(&bb, founder);
	bb_list_end(&bb);
	bb_int(&bb, "council_threshold", 1);
	bb_int(&bb, "protocol_version", 1);
	bb_int(&bb, "mvt_decimals", 8);
	bb_int(&bb, "mvt_supply", 1000000 * MV_UNIT);
	bb_int(&bb, "alloc_founder", 100000 * MV_UNIT);
	bb_int(&bb, "alloc_treasury", 300000 * MV_UNIT);
	bb_int(&bb, "alloc_rewards", 600000 * MV_UNIT);
	bb_int(&bb, "fee_transfer_bp", 10);
	bb_int(&bb, "rate_limit_per_hour", 0); /* measure the pipeline, not the spam rule */
	if (bb_build(&bb, out, &e) != MV_OK)
		exit(1);
}

/* Build a bundle: genesis, funding, then n transfers round-robin. */
static size_t build_bundle(struct author *au, size_t n, int64_t t0, struct mv_buf *ops_out,
			   uint8_t net[32])
{
	struct mv_buf body = {0};
	size_t count = 0;
	int64_t t = t0;
	genesis_body(au[0].pk, &body);
	struct mv_buf one = {0};
	sign(&au[0], NULL, (uint64_t)t << 16, "genesis", &body, &one);
	struct op g;
	struct mv_err e;
	uint64_t len;
	int used = mv_varint_get(one.data, one.len, &len);
	op_decode(&g, one.data + used, (size_t)len, &e);
	memcpy(net, g.id, 32);
	op_free(&g);
	mv_buf_append(ops_out, one.data, one.len);
	mv_buf_free(&one);
	mv_buf_free(&body);
	count++;
	for (int i = 1; i < AUTHORS; i++) {
		transfer_body(au[i].pk, 1000 * MV_UNIT, &body);
		sign(&au[0], net, (uint64_t)(++t) << 16, "ledger.transfer", &body, ops_out);
		mv_buf_free(&body);
		count++;
	}
	for (size_t k = 0; k < n; k++) {
		int from = 1 + (int)(k % (AUTHORS - 1)), to = 1 + (int)((k + 7) % (AUTHORS - 1));
		if (to == from)
			to = 0;
		transfer_body(au[to].pk, 1 + (int64_t)(k % 1000), &body);
		sign(&au[from], net, (uint64_t)(++t) << 16, "ledger.transfer", &body, ops_out);
		mv_buf_free(&body);
		count++;
	}
	return count;
}

/* Raw verify rate over the ops of a bundle, on `threads` threads. */
static double verify_rate(const struct mv_buf *bundle, int threads, size_t *nout)
{
	size_t n;
	const uint8_t **raws;
	size_t *lens;
	struct mv_err e;
	if (bundle_decode(bundle->data, bundle->len, &n, &raws, &lens, &e) != MV_OK) {
		fprintf(stderr, "bundle: %s\n", e.msg);
		exit(1);
	}
	/* decode outside the timed part: this measures signature checks only */
	struct op *ops = calloc(n, sizeof *ops);
	for (size_t i = 0; i < n; i++)
		op_decode(&ops[i], raws[i], lens[i], &e);
	double t0 = now_s();
	size_t ok = 0;
	if (threads == 1) {
		for (size_t i = 0; i < n; i++)
			ok += crypto_sign_verify_detached(ops[i].sig, ops[i].raw,
							  ops[i].raw_len - OP_SIG_LEN, ops[i].author) == 0;
	} else {
		struct op *tmp = calloc(n, sizeof *tmp);
		bool *okv = calloc(n, sizeof *okv);
		struct mv_err *errs = calloc(n, sizeof *errs);
		log_verify_batch(raws, lens, n, tmp, okv, errs, threads);
		for (size_t i = 0; i < n; i++) {
			ok += okv[i];
			op_free(&tmp[i]);
		}
		free(tmp);
		free(okv);
		free(errs);
	}
	double dt = now_s() - t0;
	if (ok != n)
		fprintf(stderr, "warning: %zu of %zu verified\n", ok, n);
	for (size_t i = 0; i < n; i++)
		op_free(&ops[i]);
	free(ops);
	free(raws);
	free(lens);
	*nout = n;
	return (double)n / dt;
}

static double phase_t0;
static int bench_progress(void *ud, const char *phase, size_t done, size_t total)
{
	(void)ud;
	if (getenv("BENCH_PHASES"))
		fprintf(stderr, "  %.3f s %s %zu/%zu\n", now_s() - phase_t0, phase, done, total);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 100000;
	struct author au[AUTHORS];
	struct mv_err e;
	if (sodium_init() < 0)
		return 1;
	for (int i = 0; i < AUTHORS; i++) {
		memset(&au[i], 0, sizeof au[i]);
		crypto_sign_keypair(au[i].pk, au[i].sk);
	}
	int64_t t0 = mv_now_ms() - (int64_t)n - 100000;
	struct mv_buf ops = {0}, bundle = {0};
	uint8_t net[32];
	printf("building %zu signed ops...\n", n);
	size_t count = build_bundle(au, n, t0, &ops, net);
	bundle_encode_begin(&bundle, count);
	mv_buf_append(&bundle, ops.data, ops.len);
	mv_buf_free(&ops);

	size_t nv;
	double v1 = verify_rate(&bundle, 1, &nv);
	double v2 = verify_rate(&bundle, 2, &nv);
	printf("raw Ed25519 verify, 1 core:   %.0f ops/s\n", v1);
	printf("verify stage, 2 threads:      %.0f ops/s (%.2fx one core)\n", v2, v2 / v1);

	char dir[] = "/tmp/mv-bench-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	struct home *h;
	if (home_open(&h, dir, true, &e) != MV_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	struct import_counts c;
	double t = now_s();
	phase_t0 = t;
	if (home_import(h, bundle.data, bundle.len, &c, bench_progress, NULL, &e) != MV_OK) {
		fprintf(stderr, "import: %s\n", e.msg);
		return 1;
	}
	double dt = now_s() - t;
	double ingest = (double)count / dt;
	printf("ingest (decode, verify, chain, apply, persist): %zu ops in %.2f s = %.0f ops/s "
	       "(%zu applied, %zu rejected)\n", count, dt, ingest, c.applied, c.rejected);
	printf("ingest / raw one-core verify: %.2f (goal >= 0.8)\n", ingest / v1);

	/* A late op: its clock sorts before the last 1000 ops of the tail. */
	struct mv_buf body = {0}, late = {0};
	transfer_body(au[1].pk, 1, &body);
	uint64_t late_clock = (uint64_t)(t0 + (int64_t)count - 1000) << 16 | 1;
	struct author fresh;
	memset(&fresh, 0, sizeof fresh);
	crypto_sign_keypair(fresh.pk, fresh.sk);
	/* fresh has no funds, so the op is rejected; what is measured is the
	 * undo of 1000 applied ops and their replay around it */
	sign(&fresh, net, late_clock, "ledger.transfer", &body, &late);
	struct mv_buf lb = {0};
	bundle_encode_begin(&lb, 1);
	mv_buf_append(&lb, late.data, late.len);
	t = now_s();
	if (home_import(h, lb.data, lb.len, &c, NULL, NULL, &e) != MV_OK) {
		fprintf(stderr, "late import: %s\n", e.msg);
		return 1;
	}
	double undo_ms = (now_s() - t) * 1000;
	printf("late op under a 1000-op tail: %.1f ms (undo + apply + replay)\n", undo_ms);

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	home_close(h);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	mv_buf_free(&bundle);
	mv_buf_free(&body);
	mv_buf_free(&late);
	mv_buf_free(&lb);
	printf("verify_ops_per_s=%.0f\n", v1);
	printf("verify2_ops_per_s=%.0f\n", v2);
	printf("ingest_ops_per_s=%.0f\n", ingest);
	printf("ingest_ratio=%.2f\n", ingest / v1);
	printf("undo_tail_1000_ms=%.1f\n", undo_ms);
	printf("peak_rss_kib=%ld\n", ru.ru_maxrss);
	return 0;
}
