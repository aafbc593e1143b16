/* testnet.h - a small in-memory network for unit tests (header-only, include
 * once per test file after cmocka.h): NKEYS deterministic identities, signing
 * ops with chosen clocks, a genesis with council = keys 0 and 1, delivering
 * ops to in-memory stores in any order, and reading outcomes. Key 0 is the
 * founder (100 MVT); use tn_fund() to give others MVT. */
#ifndef MV_TESTNET_H
#define MV_TESTNET_H

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine.h"
#include "core/log.h"
#include "core/store.h"
#include "core/body.h"
#include "core/contract.h"
#include "core/query.h"

#ifndef NKEYS
#define NKEYS 8
#endif
#define NOW ((int64_t)1790000000000) /* a fixed "now" for the future-clock rule */

struct net {
	uint8_t pk[NKEYS][32], sk[NKEYS][64];
	uint64_t seq[NKEYS];
	uint8_t prev[NKEYS][32];
	uint8_t network[32];
	struct op genesis;
};

static inline uint64_t clk(int64_t ms, int c) { return ((uint64_t)ms << 16) | (uint64_t)c; }

/* Seeded deterministic key pairs. */
static inline void net_keys(struct net *n)
{
	memset(n, 0, sizeof *n);
	for (int i = 0; i < NKEYS; i++) {
		uint8_t seed[32] = {0};
		seed[0] = (uint8_t)(i + 1);
		crypto_sign_seed_keypair(n->pk[i], n->sk[i], seed);
	}
}

static inline void sign_op(struct net *n, int who, uint64_t clock, const char *kind, struct mv_buf *body,
		    struct op *out)
{
	memset(out, 0, sizeof *out);
	out->version = OP_VERSION;
	if (strcmp(kind, "genesis") != 0)
		memcpy(out->network, n->network, 32);
	memcpy(out->author, n->pk[who], 32);
	out->seq = ++n->seq[who];
	memcpy(out->prev, n->prev[who], 32);
	out->clock = clock;
	snprintf(out->kind, sizeof out->kind, "%s", kind);
	out->body = body->data;
	out->body_len = body->len;
	struct mv_err e;
	assert_int_equal(op_sign(out, n->sk[who], &e), MV_OK);
	memcpy(n->prev[who], out->id, 32);
}

static inline void make_genesis(struct net *n, int threshold)
{
	struct body_builder bb;
	struct mv_buf body = {0};
	struct mv_err e;
	bb_init(&bb);
	bb_str(&bb, "name", "test-net");
	bb_list_begin(&bb, "council");
	bb_list_id(&bb, n->pk[0]);
	bb_list_id(&bb, n->pk[1]);
	bb_list_end(&bb);
	bb_int(&bb, "council_threshold", threshold);
	bb_int(&bb, "protocol_version", 1);
	bb_int(&bb, "mvt_decimals", 8);
	bb_int(&bb, "mvt_supply", 1000 * MV_UNIT);
	bb_int(&bb, "alloc_founder", 100 * MV_UNIT);
	bb_int(&bb, "alloc_treasury", 300 * MV_UNIT);
	bb_int(&bb, "alloc_rewards", 600 * MV_UNIT);
	bb_int(&bb, "fee_transfer_bp", 100);
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	sign_op(n, 0, clk(NOW - 100000, 0), "genesis", &body, &n->genesis);
	memcpy(n->network, n->genesis.id, 32);
	mv_buf_free(&body);
}

static inline void transfer(struct net *n, int from, int to, int64_t amount, uint64_t clock, struct op *out)
{
	struct body_builder bb;
	struct mv_buf body = {0};
	struct mv_err e;
	bb_init(&bb);
	bb_id(&bb, "to", n->pk[to]);
	bb_int(&bb, "amount", amount);
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	sign_op(n, from, clock, "ledger.transfer", &body, out);
	mv_buf_free(&body);
}

static inline struct store *fresh(void)
{
	struct store *st;
	struct mv_err e;
	assert_int_equal(store_open_memory(&st, &e), MV_OK);
	return st;
}

/* Accept ops[idx[0..k)] in one transaction and run the engine. */
static inline void deliver(struct store *st, struct op *ops, const size_t *idx, size_t k)
{
	struct mv_err e;
	assert_int_equal(store_begin(st, &e), MV_OK);
	for (size_t i = 0; i < k; i++) {
		int r = log_accept(st, ops[idx[i]].raw, ops[idx[i]].raw_len, NOW, &e);
		assert_true(r >= 0);
	}
	size_t promoted;
	assert_int_equal(log_promote_pending(st, NOW, &promoted, &e), MV_OK);
	if (engine_run(st, NULL, NULL, NULL, &e) != MV_OK)
		fail_msg("engine_run: %s", e.msg);
	assert_int_equal(store_commit(st, &e), MV_OK);
}

static inline void root_of(struct store *st, uint8_t out[32])
{
	struct mv_err e;
	assert_int_equal(store_state_root(st, out, &e), MV_OK);
}

static inline int64_t bal(struct store *st, const uint8_t pk[32]) { return ledger_balance(st, pk); }

static inline int outcome(struct store *st, const struct op *op)
{
	char reason[256];
	return engine_outcome(st, op->id, reason, sizeof reason);
}


/* Sign an op of kind with a body built by bb (consumed), as key who. */
static inline void tn_op(struct net *n, int who, uint64_t clock, const char *kind, struct body_builder *bb,
		  struct op *out)
{
	struct mv_buf body = {0};
	struct mv_err e;
	if (bb_build(bb, &body, &e) != MV_OK)
		fail_msg("bb_build: %s", e.msg);
	sign_op(n, who, clock, kind, &body, out);
	mv_buf_free(&body);
}

/* Accept and apply one op right away; returns its outcome (1 applied,
 * 0 rejected with reason copied to why if non-NULL). */
static inline int tn_apply(struct store *st, struct op *op, char *why, size_t whylen)
{
	size_t idx = 0;
	deliver(st, op, &idx, 1);
	char reason[256];
	int o = engine_outcome(st, op->id, reason, sizeof reason);
	if (why)
		snprintf(why, whylen, "%s", reason);
	return o;
}

#endif
