/* gov_testnet.h - shared helpers for the governance family's tests
 * (test_groups.c, test_governance.c, test_upgrades.c, test_compliance.c,
 * test_bots.c), on top of econ_testnet.h: a network with the governance
 * parameters of assets/genesis.default, one store, a test clock every op
 * advances by one second, every signed op kept (to replay it into a second
 * store in another order), and one-line builders for registrations,
 * stakes, typed actions, proposals and votes. Keys 0 and 1 are the council;
 * key 0 holds the founder's 100000 MVT. Include once, after cmocka.h. */
#ifndef MV_GOV_TESTNET_H
#define MV_GOV_TESTNET_H

#define NKEYS 12
#include "econ_testnet.h"
#include "core/gov.h"
#include "core/people.h"
#include "core/blob.h"

#define HOUR INT64_C(3600000)

struct gnet {
	struct net n;
	struct store *st;
	int64_t t;            /* ms of the next op's clock */
	char why[256];        /* reason of the last op if rejected */
	uint8_t last[32];     /* id of the last op */
	struct op *ops;       /* every op signed, genesis first */
	size_t nops, cap;
};

static const struct kv gov_params[] = {
	{"gov_proposal_threshold", 1000 * MV_UNIT},
	{"gov_voting_delay", DAY},
	{"gov_voting_period", 7 * DAY},
	{"gov_quorum_bp", 400},
	{"gov_timelock", 2 * DAY},
	{"gov_grace", 14 * DAY},
	{"gov_max_actions", 10},
	{"gov_majority_treasury_bp", 6600},
	{"gov_majority_constitutional_bp", 7500},
	{"gov_treasury_mid", 10000 * MV_UNIT},
	{"gov_treasury_large", 100000 * MV_UNIT},
	{"gov_group_voting_delay", 0},
	{"gov_group_voting_period", 3 * DAY},
	{"gov_group_timelock", 0},
	{"gov_group_quorum_bp", 2000},
	{"stake_voting_rep_bonus_bp", 0}, /* voting power = weighted stake: easy sums */
	{NULL, 0},
};

static inline void gn_keep(struct gnet *g, const struct op *op)
{
	if (g->nops == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->ops = realloc(g->ops, g->cap * sizeof *g->ops);
		assert_non_null(g->ops);
	}
	assert_int_equal(op_copy(&g->ops[g->nops++], op), MV_OK);
}

/* extra (NULL-terminated, may be NULL) adds or replaces parameters; the
 * genesis is signed at g0 (econ_testnet's T0 unless a test needs years of
 * history, as retention does). */
static inline void gn_init_at(struct gnet *g, int threshold, const struct kv *extra, int64_t g0)
{
	struct kv over[64];
	size_t k = 0;
	memset(g, 0, sizeof *g);
	for (const struct kv *p = gov_params; p->name; p++)
		over[k++] = *p;
	for (const struct kv *p = extra; p && p->name; p++) {
		size_t i;
		for (i = 0; i < k && strcmp(over[i].name, p->name) != 0; i++)
			;
		over[i] = *p;
		if (i == k)
			k++;
	}
	over[k].name = NULL;
	memset(econ_last_clock, 0, sizeof econ_last_clock);
	net_keys(&g->n);
	econ_genesis(&g->n, threshold, over);
	if (g0 != T0) { /* sign the same body again at g0 */
		struct mv_buf body = {0};
		assert_int_equal(mv_buf_append(&body, g->n.genesis.body, g->n.genesis.body_len), MV_OK);
		op_free(&g->n.genesis);
		g->n.seq[0] = 0;
		memset(g->n.prev[0], 0, 32);
		sign_op(&g->n, 0, clk(g0, 0), "genesis", &body, &g->n.genesis);
		memcpy(g->n.network, g->n.genesis.id, 32);
		mv_buf_free(&body);
	}
	g->st = fresh();
	assert_int_equal(tn_apply(g->st, &g->n.genesis, NULL, 0), 1);
	gn_keep(g, &g->n.genesis);
	g->t = g0 + 1000;
}

static inline void gn_init(struct gnet *g, int threshold, const struct kv *extra)
{
	gn_init_at(g, threshold, extra, T0);
}

static inline void gn_free(struct gnet *g)
{
	store_close(g->st);
	op_free(&g->n.genesis);
	for (size_t i = 0; i < g->nops; i++)
		op_free(&g->ops[i]);
	free(g->ops);
}

static inline void gn_wait(struct gnet *g, int64_t ms) { g->t += ms; }

/* Sign as `who` at the test clock (then advance it a second) and apply. */
static inline int gn_do(struct gnet *g, int who, const char *kind, struct body_builder *bb)
{
	struct op op;
	tn_op(&g->n, who, econ_clock(who, g->t), kind, bb, &op);
	g->t += 1000;
	memcpy(g->last, op.id, 32);
	gn_keep(g, &op);
	int o = tn_apply(g->st, &op, g->why, sizeof g->why);
	op_free(&op);
	return o;
}

#define GN_REJECT(g, who, kind, bb, needle)                                           \
	do {                                                                           \
		int o_ = gn_do((g), (who), (kind), (bb));                               \
		if (o_ != 0)                                                           \
			fail_msg("%s should be rejected (%s), outcome %d", (kind), (needle), o_); \
		if (!strstr((g)->why, (needle)))                                       \
			fail_msg("%s: reason '%s' lacks '%s'", (kind), (g)->why, (needle)); \
	} while (0)
#define GN_OK(g, who, kind, bb)                                                        \
	do {                                                                           \
		int o_ = gn_do((g), (who), (kind), (bb));                               \
		if (o_ != 1)                                                           \
			fail_msg("%s should apply, outcome %d: %s", (kind), o_, (g)->why);     \
	} while (0)

static inline struct body_builder *b_new(void)
{
	static struct body_builder bb;
	bb_init(&bb);
	return &bb;
}

static inline void gn_register(struct gnet *g, int who, const char *role, const char *jur)
{
	char name[32];
	struct body_builder *bb = b_new();
	snprintf(name, sizeof name, "user-%d", who);
	bb_str(bb, "role", role);
	bb_str(bb, "display_name", name);
	bb_str(bb, "jurisdiction", jur);
	GN_OK(g, who, "user.register", bb);
}

static inline void gn_fund(struct gnet *g, int to, int64_t amount)
{
	struct body_builder *bb = b_new();
	bb_id(bb, "to", g->n.pk[to]);
	bb_int(bb, "amount", amount);
	GN_OK(g, 0, "ledger.transfer", bb);
}

/* Stake amount for days; the stake id is g->last. */
static inline void gn_stake(struct gnet *g, int who, int64_t amount, int64_t days)
{
	struct body_builder *bb = b_new();
	bb_int(bb, "amount", amount);
	bb_int(bb, "period", days);
	GN_OK(g, who, "staking.stake", bb);
}

/* ---- typed actions (each an encoded body) -------------------------------- */

static inline void ga_build(struct body_builder *bb, struct mv_buf *out)
{
	struct mv_err e;
	memset(out, 0, sizeof *out);
	if (bb_build(bb, out, &e) != MV_OK)
		fail_msg("action: %s", e.msg);
}

static inline void ga_param(struct mv_buf *out, const char *name, int64_t value)
{
	struct body_builder *bb = b_new();
	bb_str(bb, "type", "param.set");
	bb_str(bb, "name", name);
	bb_int(bb, "value", value);
	ga_build(bb, out);
}

static inline void ga_pay(struct mv_buf *out, const char *type, const uint8_t to[32],
			  int64_t amount, const char *purpose)
{
	struct body_builder *bb = b_new();
	bb_str(bb, "type", type);
	bb_id(bb, "to", to);
	bb_int(bb, "amount", amount);
	bb_str(bb, "purpose", purpose);
	ga_build(bb, out);
}

static inline void ga_member(struct mv_buf *out, const char *type, const uint8_t who[32])
{
	struct body_builder *bb = b_new();
	bb_str(bb, "type", type);
	bb_id(bb, "member", who);
	ga_build(bb, out);
}

static inline void ga_int(struct mv_buf *out, const char *type, const char *field, int64_t v)
{
	struct body_builder *bb = b_new();
	bb_str(bb, "type", type);
	bb_int(bb, field, v);
	ga_build(bb, out);
}

static inline void ga_upgrade(struct mv_buf *out, int64_t version, int64_t epoch)
{
	struct body_builder *bb = b_new();
	bb_str(bb, "type", "upgrade.activate");
	bb_int(bb, "version", version);
	bb_int(bb, "epoch", epoch);
	ga_build(bb, out);
}

/* gov.propose; actions are freed. The proposal id is g->last. */
static inline int gn_propose(struct gnet *g, int who, const char *kind, const char *title,
			     const uint8_t *group, struct mv_buf *actions, size_t n)
{
	struct body_builder *bb = b_new();
	bb_str(bb, "kind", kind);
	bb_str(bb, "title", title);
	if (group)
		bb_id(bb, "group", group);
	if (n) {
		bb_list_begin(bb, "actions");
		for (size_t i = 0; i < n; i++)
			bb_list_bytes(bb, actions[i].data, actions[i].len);
		bb_list_end(bb);
	}
	for (size_t i = 0; i < n; i++)
		mv_buf_free(&actions[i]);
	return gn_do(g, who, "gov.propose", bb);
}

static inline int gn_vote(struct gnet *g, int who, const uint8_t prop[32], const char *choice)
{
	struct body_builder *bb = b_new();
	bb_id(bb, "proposal", prop);
	bb_str(bb, "choice", choice);
	return gn_do(g, who, "gov.vote", bb);
}

static inline int gn_prop_op(struct gnet *g, int who, const char *kind, const uint8_t prop[32])
{
	struct body_builder *bb = b_new();
	bb_id(bb, "proposal", prop);
	return gn_do(g, who, kind, bb);
}

static inline struct gov_proposal gn_prop(struct gnet *g, const uint8_t id[32])
{
	struct gov_proposal p;
	struct mv_err e;
	assert_int_equal(gov_proposal_get(g->st, id, g->t, &p, &e), MV_OK);
	return p;
}

static inline void expect_why(struct gnet *g, int outcome_, const char *needle)
{
	if (outcome_ != 0)
		fail_msg("expected a rejection containing '%s', outcome %d", needle, outcome_);
	if (!strstr(g->why, needle))
		fail_msg("reason '%s' lacks '%s'", g->why, needle);
}

/* Replay every kept op into a fresh store in reverse order (the engine
 * sorts them) and check the state root is the same. */
static inline void gn_replay_check(struct gnet *g)
{
	uint8_t a[32], b[32];
	struct store *st2 = fresh();
	size_t *idx = calloc(g->nops, sizeof *idx);
	assert_non_null(idx);
	idx[0] = 0; /* genesis first: it defines the network */
	for (size_t i = 1; i < g->nops; i++)
		idx[i] = g->nops - i;
	deliver(st2, g->ops, idx, g->nops);
	root_of(g->st, a);
	root_of(st2, b);
	assert_memory_equal(a, b, 32);
	free(idx);
	store_close(st2);
}

#endif
