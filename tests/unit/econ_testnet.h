/* econ_testnet.h - shared helpers for the economy contract tests
 * (test_staking.c, test_treasury.c, test_rewards.c, test_reputation.c),
 * on top of testnet.h: a genesis with economy parameters (overridable),
 * builders for staking and treasury ops, a way to run the C hooks other
 * contracts call (rewards_*, reputation_*, treasury_pay) inside an op
 * context, and the invariants checked after every op: the supply is
 * conserved, the staking vault holds every open stake, and the reward pool
 * holds at least what stakers are owed. Include once, after cmocka.h. */
#ifndef MV_ECON_TESTNET_H
#define MV_ECON_TESTNET_H

#include "testnet.h"
#include "core/economy.h"

#define DAY INT64_C(86400000)
#define T0 (NOW - 900 * DAY) /* genesis time: leaves room for long schedules */

struct kv {
	const char *name;
	int64_t value;
};

/* The economy parameters the tests start from; `over` (NULL-terminated,
 * may be NULL) replaces or adds parameters. alloc_* must add up to
 * mvt_supply if overridden. */
static inline void econ_genesis(struct net *n, int threshold, const struct kv *over)
{
	static const struct kv base[] = {
		{"protocol_version", 1},
		{"mvt_decimals", 8},
		{"mvt_supply", 1000000 * MV_UNIT},
		{"alloc_founder", 100000 * MV_UNIT},
		{"alloc_treasury", 300000 * MV_UNIT},
		{"alloc_rewards", 600000 * MV_UNIT},
		{"fee_transfer_bp", 0},
		{"stake_min", MV_UNIT},
		{"stake_reward_per_day", 100 * MV_UNIT},
		{"stake_weight_30_bp", 10000},
		{"stake_weight_90_bp", 12500},
		{"stake_weight_180_bp", 15000},
		{"stake_weight_365_bp", 20000},
		{"stake_voting_rep_bonus_bp", 2500},
		{"treasury_council_limit", 10000 * MV_UNIT},
		{"treasury_spend_ttl", 30 * DAY},
		{"session_reward_patient", MV_UNIT},
		{"session_reward_therapist", 2 * MV_UNIT},
		{"reputation_half_life", 180 * DAY},
		{"rate_limit_per_hour", 1000000}, /* long random runs by one author */
		{NULL, 0},
	};
	struct body_builder bb;
	struct mv_buf body = {0};
	struct mv_err e;
	bb_init(&bb);
	bb_str(&bb, "name", "econ-net");
	bb_list_begin(&bb, "council");
	bb_list_id(&bb, n->pk[0]);
	bb_list_id(&bb, n->pk[1]);
	bb_list_end(&bb);
	bb_int(&bb, "council_threshold", threshold);
	for (const struct kv *b = base; b->name; b++) {
		int64_t v = b->value;
		for (const struct kv *o = over; o && o->name; o++)
			if (strcmp(o->name, b->name) == 0)
				v = o->value;
		bb_int(&bb, b->name, v);
	}
	for (const struct kv *o = over; o && o->name; o++) {
		bool known = false;
		for (const struct kv *b = base; b->name; b++)
			known |= strcmp(o->name, b->name) == 0;
		if (!known)
			bb_int(&bb, o->name, o->value);
	}
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	sign_op(n, 0, clk(T0, 0), "genesis", &body, &n->genesis);
	memcpy(n->network, n->genesis.id, 32);
	mv_buf_free(&body);
}

/* Last clock each key signed with: two ops of one author in the same
 * millisecond get consecutive HLC counters, as a real node would give them. */
static uint64_t econ_last_clock[NKEYS];

static inline uint64_t econ_clock(int who, int64_t t)
{
	uint64_t c = clk(t, 0);
	if (c <= econ_last_clock[who])
		c = econ_last_clock[who] + 1;
	return econ_last_clock[who] = c;
}

/* A network with the genesis applied on a fresh store. */
static inline struct store *econ_start(struct net *n, int threshold, const struct kv *over)
{
	memset(econ_last_clock, 0, sizeof econ_last_clock);
	net_keys(n);
	econ_genesis(n, threshold, over);
	struct store *st = fresh();
	assert_int_equal(tn_apply(st, &n->genesis, NULL, 0), 1);
	return st;
}

/* Sign and apply one op; returns its outcome, reason in why (may be NULL). */
static inline int econ_do(struct store *st, struct net *n, int who, int64_t t, const char *kind,
			  struct body_builder *bb, struct op *keep, char *why, size_t whylen)
{
	struct op op;
	tn_op(n, who, econ_clock(who, t), kind, bb, &op);
	int o = tn_apply(st, &op, why, whylen);
	if (keep)
		*keep = op;
	else
		op_free(&op);
	return o;
}

static inline int do_transfer(struct store *st, struct net *n, int from, const uint8_t to[32],
			      int64_t amount, int64_t t)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "to", to);
	bb_int(&bb, "amount", amount);
	return econ_do(st, n, from, t, "ledger.transfer", &bb, NULL, NULL, 0);
}

/* staking.stake; the op (whose id is the stake id) goes to *out if given. */
static inline int do_stake(struct store *st, struct net *n, int who, int64_t t, int64_t amount,
			   int64_t period, uint8_t id_out[32], char *why, size_t whylen)
{
	struct body_builder bb;
	struct op op;
	bb_init(&bb);
	bb_int(&bb, "amount", amount);
	bb_int(&bb, "period", period);
	int o = econ_do(st, n, who, t, "staking.stake", &bb, &op, why, whylen);
	if (id_out)
		memcpy(id_out, op.id, 32);
	op_free(&op);
	return o;
}

static inline int do_stake_op(struct store *st, struct net *n, int who, int64_t t,
			      const char *kind, const uint8_t stake[32], char *why, size_t whylen)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "stake", stake);
	return econ_do(st, n, who, t, kind, &bb, NULL, why, whylen);
}

static inline int do_propose(struct store *st, struct net *n, int who, int64_t t,
			     const uint8_t to[32], int64_t amount, const char *purpose, int64_t nonce,
			     uint8_t id_out[32], char *why, size_t whylen)
{
	struct body_builder bb;
	struct op op;
	bb_init(&bb);
	bb_id(&bb, "to", to);
	bb_int(&bb, "amount", amount);
	bb_str(&bb, "purpose", purpose);
	bb_int(&bb, "nonce", nonce);
	int o = econ_do(st, n, who, t, "treasury.propose_spend", &bb, &op, why, whylen);
	if (id_out)
		memcpy(id_out, op.id, 32);
	op_free(&op);
	return o;
}

static inline int do_spend_op(struct store *st, struct net *n, int who, int64_t t,
			      const char *kind, const uint8_t spend[32], char *why, size_t whylen)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "spend", spend);
	return econ_do(st, n, who, t, kind, &bb, NULL, why, whylen);
}

static inline void sys_acct(uint8_t out[32], const char *name) { op_system_account(out, name); }

/* Run fn inside an op context as `actor` at time now, the way a contract
 * handler of another contract would call the economy hooks: one transaction
 * and a savepoint, rolled back if fn does not return MV_OK. The op id is
 * derived from `tag`. Returns fn's result; the reason goes to why. */
typedef int (*econ_ctx_fn)(struct apply_ctx *ctx, void *ud);
static inline int econ_with_ctx(struct store *st, const uint8_t actor[32], int64_t now,
				const char *tag, econ_ctx_fn fn, void *ud, char *why, size_t whylen)
{
	struct op op;
	struct mv_err e;
	memset(&op, 0, sizeof op);
	op_hash(op.id, tag, strlen(tag));
	op.clock = (uint64_t)now << 16;
	struct apply_ctx ctx = {.st = st, .db = store_db(st), .op = &op, .now = now};
	memcpy(ctx.actor, actor, 32);
	assert_int_equal(store_begin(st, &e), MV_OK);
	assert_int_equal(store_exec(st, "SAVEPOINT econ", &e), MV_OK);
	int rc = fn(&ctx, ud);
	if (rc == MV_OK)
		assert_int_equal(store_exec(st, "RELEASE econ", &e), MV_OK);
	else
		assert_int_equal(store_exec(st, "ROLLBACK TO econ; RELEASE econ", &e), MV_OK);
	assert_int_equal(store_commit(st, &e), MV_OK);
	if (why)
		snprintf(why, whylen, "%s", ctx.reason);
	if (rc == MV_ERR)
		fail_msg("hook failed: %s", ctx.err.msg);
	return rc;
}

/* One integer from SQL (tests only read). */
static inline int64_t sql_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_finalize(s);
	return v;
}

/* The invariants: supply conserved; vault == open principal; the pool holds
 * what stakers are owed, and what each open stake could claim adds up to no
 * more than that. */
static inline void econ_invariants(struct store *st, int64_t now)
{
	uint8_t vault[32], pool[32];
	struct staking_pool_info p;
	struct mv_err e;
	sys_acct(vault, SYS_STAKING);
	sys_acct(pool, SYS_REWARDS);
	assert_int_equal(sql_int(st, "SELECT sum(amount) FROM balances"),
			 param_get(st, "mvt_supply", -1));
	assert_int_equal(sql_int(st, "SELECT count(*) FROM balances WHERE amount < 0"), 0);
	int64_t open = sql_int(st, "SELECT coalesce(sum(amount), 0) FROM stakes WHERE closed_at IS NULL");
	assert_int_equal(bal(st, vault), open);
	assert_int_equal(staking_pool(st, now, &p, &e), MV_OK);
	assert_true(p.reserved <= p.balance);
	assert_int_equal(p.balance, bal(st, pool));
	sqlite3_stmt *s;
	int64_t owed = 0;
	assert_int_equal(sqlite3_prepare_v2(store_db(st),
					    "SELECT id FROM stakes WHERE closed_at IS NULL ORDER BY id",
					    -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t a;
		assert_int_equal(staking_accrued(st, sqlite3_column_blob(s, 0), now, &a, &e), MV_OK);
		owed += a;
	}
	sqlite3_finalize(s);
	assert_true(owed <= p.reserved);
}

/* xorshift64*: deterministic test randomness. */
static inline uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}
static inline int64_t rnd_range(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo + 1));
}

#endif
