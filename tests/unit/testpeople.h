/* testpeople.h - helpers for the people contract tests (test_users.c,
 * test_verify.c, test_access.c), on top of testnet.h: a network whose
 * genesis lies three years before NOW (so tests can let licenses expire and
 * years of CE pass without clocks in the future), one store, a test clock
 * that every op advances, and one-line builders for the people ops.
 * Keys 0 and 1 are the council (threshold chosen per test). Include after
 * cmocka.h and testnet.h. */
#ifndef MV_TESTPEOPLE_H
#define MV_TESTPEOPLE_H

#include "core/people.h"
#include "core/blob.h"

#define DAY ((int64_t)86400000)
#define HOUR ((int64_t)3600000)
#define T0 (NOW - 3 * 365 * DAY)

struct pnet {
	struct net n;
	struct store *st;
	int64_t t;          /* ms of the next op's clock */
	char why[256];      /* reason of the last rejected op */
	struct op last;     /* the last op applied (owned) */
};

/* Genesis with council {0, 1}, threshold, and the people parameters. */
static inline void pn_init(struct pnet *p, int threshold, int64_t rate_limit, int64_t ce_hours)
{
	struct body_builder bb;
	memset(p, 0, sizeof *p);
	net_keys(&p->n);
	bb_init(&bb);
	bb_str(&bb, "name", "people-net");
	bb_list_begin(&bb, "council");
	bb_list_id(&bb, p->n.pk[0]);
	bb_list_id(&bb, p->n.pk[1]);
	bb_list_end(&bb);
	bb_int(&bb, "council_threshold", threshold);
	bb_int(&bb, "protocol_version", 1);
	bb_int(&bb, "mvt_decimals", 8);
	bb_int(&bb, "mvt_supply", 1000 * MV_UNIT);
	bb_int(&bb, "alloc_founder", 100 * MV_UNIT);
	bb_int(&bb, "alloc_treasury", 300 * MV_UNIT);
	bb_int(&bb, "alloc_rewards", 600 * MV_UNIT);
	bb_int(&bb, "fee_transfer_bp", 0);
	if (rate_limit)
		bb_int(&bb, "rate_limit_per_hour", rate_limit);
	if (ce_hours)
		bb_int(&bb, "ce_hours_per_year", ce_hours);
	struct mv_buf body = {0};
	struct mv_err e;
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	sign_op(&p->n, 0, clk(T0, 0), "genesis", &body, &p->n.genesis);
	memcpy(p->n.network, p->n.genesis.id, 32);
	mv_buf_free(&body);
	p->st = fresh();
	assert_int_equal(tn_apply(p->st, &p->n.genesis, NULL, 0), 1);
	p->t = T0 + 1000;
}

static inline void pn_free(struct pnet *p)
{
	store_close(p->st);
	op_free(&p->n.genesis);
	op_free(&p->last);
}

/* Sign (as key who, at the test clock, then advance it by one second) and
 * apply; returns the outcome (1 applied, 0 rejected with p->why). */
static inline int pn_do(struct pnet *p, int who, const char *kind, struct body_builder *bb)
{
	op_free(&p->last);
	tn_op(&p->n, who, clk(p->t, 0), kind, bb, &p->last);
	p->t += 1000;
	return tn_apply(p->st, &p->last, p->why, sizeof p->why);
}

/* Let time pass (ms). */
static inline void pn_wait(struct pnet *p, int64_t ms) { p->t += ms; }

/* Expect rejection whose reason contains needle. */
#define PN_REJECT(p, who, kind, bb, needle)                                           \
	do {                                                                           \
		int o_ = pn_do((p), (who), (kind), (bb));                               \
		if (o_ != 0)                                                           \
			fail_msg("%s should be rejected (%s), outcome %d", (kind), (needle), o_); \
		if (!strstr((p)->why, (needle)))                                       \
			fail_msg("%s: reason '%s' lacks '%s'", (kind), (p)->why, (needle)); \
	} while (0)
#define PN_OK(p, who, kind, bb)                                                        \
	do {                                                                           \
		int o_ = pn_do((p), (who), (kind), (bb));                               \
		if (o_ != 1)                                                           \
			fail_msg("%s should apply, outcome %d: %s", (kind), o_, (p)->why);     \
	} while (0)

/* ---- body builders ---------------------------------------------------- */

static inline struct body_builder *bb_new(void)
{
	static struct body_builder bb;
	bb_init(&bb);
	return &bb;
}

static inline struct body_builder *b_register(const char *role, const char *name)
{
	struct body_builder *bb = bb_new();
	bb_str(bb, "role", role);
	bb_str(bb, "display_name", name);
	bb_str(bb, "jurisdiction", "US-CA");
	return bb;
}

static inline struct body_builder *b_submit(const char *license, int64_t expires)
{
	static const uint8_t proof[32] = {1, 2, 3};
	uint8_t key[80] = {0};
	struct body_builder *bb = bb_new();
	bb_str(bb, "license_no", license);
	bb_str(bb, "board", "California BBS");
	bb_str(bb, "jurisdiction", "US-CA");
	bb_int(bb, "expires", expires);
	bb_list_begin(bb, "specialties");
	bb_list_str(bb, "anxiety");
	bb_list_end(bb);
	bb_id(bb, "proof_blob", proof);
	bb_list_begin(bb, "sealed_keys");
	bb_list_bytes(bb, key, 80);
	bb_list_bytes(bb, key, 80);
	bb_list_end(bb);
	return bb;
}

static inline struct body_builder *b_decide(const uint8_t who[32], const char *decision)
{
	struct body_builder *bb = bb_new();
	bb_id(bb, "applicant", who);
	bb_str(bb, "decision", decision);
	bb_str(bb, "reason", "checked with the board");
	return bb;
}

static inline struct body_builder *b_status(const uint8_t who[32], const char *status)
{
	struct body_builder *bb = bb_new();
	bb_id(bb, "therapist", who);
	bb_str(bb, "status", status);
	bb_str(bb, "reason", "board notice");
	return bb;
}

static inline struct body_builder *b_ce(int64_t hours)
{
	struct body_builder *bb = bb_new();
	bb_int(bb, "hours", hours);
	bb_str(bb, "course", "Trauma-informed care");
	return bb;
}

/* Register key who as a therapist and have the council (threshold signers
 * among keys 0, 1) verify a license expiring at expires. */
static inline void pn_verified_therapist(struct pnet *p, int who, const char *license,
					 int64_t expires, int signers)
{
	char name[32];
	snprintf(name, sizeof name, "Dr %d", who);
	PN_OK(p, who, "user.register", b_register("therapist", name));
	PN_OK(p, who, "verify.submit", b_submit(license, expires));
	for (int i = 0; i < signers; i++)
		PN_OK(p, i, "verify.decide", b_decide(p->n.pk[who], "approve"));
}

/* Run fn inside an apply context at time now (for calls contracts make:
 * people_care_start, access_check), in a transaction that is committed. */
static inline int pn_ctx(struct pnet *p, int64_t now, int (*fn)(struct apply_ctx *, void *), void *ud,
			 char *why, size_t whylen)
{
	struct apply_ctx ctx;
	struct mv_err e;
	memset(&ctx, 0, sizeof ctx);
	ctx.st = p->st;
	ctx.db = store_db(p->st);
	ctx.op = &p->n.genesis; /* any op: its id marks audit rows */
	ctx.now = now;
	assert_int_equal(store_begin(p->st, &e), MV_OK);
	int rc = fn(&ctx, ud);
	if (rc == MV_ERR)
		fail_msg("internal error: %s", ctx.err.msg);
	assert_int_equal(store_commit(p->st, &e), MV_OK);
	if (why)
		snprintf(why, whylen, "%s", ctx.reason);
	return rc;
}

struct pn_pair {
	const uint8_t *a, *b;
};
static inline int pn_care_fn(struct apply_ctx *ctx, void *ud)
{
	struct pn_pair *pp = ud;
	memcpy(ctx->actor, pp->a, 32); /* as in session.confirm by the therapist */
	return people_care_start(ctx, pp->a, pp->b);
}
static inline void pn_care(struct pnet *p, int therapist, int patient)
{
	struct pn_pair pp = {p->n.pk[therapist], p->n.pk[patient]};
	assert_int_equal(pn_ctx(p, p->t, pn_care_fn, &pp, NULL, 0), MV_OK);
	p->t += 1000;
}

#endif
