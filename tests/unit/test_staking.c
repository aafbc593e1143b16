/* test_staking.c - the staking contract: every rejection, pro-rata sharing by
 * period weight, rewards of idle periods staying in the pool, the pool cap,
 * voting power snapshots, the reward accumulator against an exact
 * brute-force reference on random schedules, solvency and supply
 * conservation after every op, and the same state on another node that gets
 * the ops in another order. (Tests may use long double; contracts never do.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "econ_testnet.h"
#include "core/query_economy.h"

typedef unsigned __int128 u128;

static void fund(struct store *st, struct net *n, int64_t *t, int who, int64_t amount)
{
	assert_int_equal(do_transfer(st, n, 0, n->pk[who], amount, *t += 1000), 1);
}

static void expect_reject(int outcome_, const char *why, const char *want)
{
	assert_int_equal(outcome_, 0);
	if (!strstr(why, want))
		fail_msg("reason '%s' lacks '%s'", why, want);
}

/* ---- rejections --------------------------------------------------------- */

static void test_rejections(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t s1[32], bogus[32];
	struct store *st = econ_start(&n, 1, NULL);
	int64_t t = T0 + 1000;
	fund(st, &n, &t, 2, 100 * MV_UNIT);
	fund(st, &n, &t, 3, 100 * MV_UNIT);

	expect_reject(do_stake(st, &n, 2, t += 1000, MV_UNIT - 1, 30, NULL, why, sizeof why), why,
		      "below the minimum stake of 1 MVT");
	expect_reject(do_stake(st, &n, 2, t += 1000, 5 * MV_UNIT, 45, NULL, why, sizeof why), why,
		      "period must be 30, 90, 180 or 365 days");
	expect_reject(do_stake(st, &n, 2, t += 1000, 5 * MV_UNIT, 7, NULL, why, sizeof why), why,
		      "field period out of range");
	expect_reject(do_stake(st, &n, 2, t += 1000, 101 * MV_UNIT, 30, NULL, why, sizeof why), why,
		      "insufficient funds");
	int64_t start = t += 1000;
	assert_int_equal(do_stake(st, &n, 2, start, 10 * MV_UNIT, 30, s1, why, sizeof why), 1);
	assert_int_equal(bal(st, n.pk[2]), 90 * MV_UNIT);

	/* same millisecond: nothing accrued yet */
	expect_reject(do_stake_op(st, &n, 2, start, "staking.claim", s1, why, sizeof why), why,
		      "nothing to claim yet");
	memset(bogus, 0x5a, 32);
	expect_reject(do_stake_op(st, &n, 2, t += 1000, "staking.claim", bogus, why, sizeof why), why,
		      "no such stake");
	expect_reject(do_stake_op(st, &n, 3, t += DAY, "staking.claim", s1, why, sizeof why), why,
		      "not your stake");
	expect_reject(do_stake_op(st, &n, 3, t += 1000, "staking.unstake", s1, why, sizeof why), why,
		      "not your stake");
	expect_reject(do_stake_op(st, &n, 2, t += 1000, "staking.unstake", s1, why, sizeof why), why,
		      "stake locked until");
	/* one millisecond before the lock ends: still locked; at the end: free */
	expect_reject(do_stake_op(st, &n, 2, start + 30 * DAY - 1, "staking.unstake", s1, why,
				  sizeof why), why, "stake locked until");
	assert_int_equal(do_stake_op(st, &n, 2, start + 30 * DAY, "staking.unstake", s1, why,
				     sizeof why), 1);
	/* the only staker for 30 days gets 30 days of emission, exactly */
	assert_int_equal(bal(st, n.pk[2]), 100 * MV_UNIT + 30 * 100 * MV_UNIT);
	expect_reject(do_stake_op(st, &n, 2, start + 31 * DAY, "staking.unstake", s1, why, sizeof why),
		      why, "stake already unstaked");
	expect_reject(do_stake_op(st, &n, 2, start + 32 * DAY, "staking.claim", s1, why, sizeof why),
		      why, "stake already unstaked");
	econ_invariants(st, start + 32 * DAY);
	store_close(st);
	op_free(&n.genesis);
}

/* ---- sharing ------------------------------------------------------------ */

static void test_pro_rata_by_weight(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t a[32], b[32], c[32];
	/* 90 MVT a day makes the thirds exact */
	struct kv over[] = {{"stake_reward_per_day", 90 * MV_UNIT}, {NULL, 0}};
	struct store *st = econ_start(&n, 1, over);
	int64_t t = T0 + 1000;
	fund(st, &n, &t, 2, 1000 * MV_UNIT);
	fund(st, &n, &t, 3, 1000 * MV_UNIT);
	fund(st, &n, &t, 4, 1000 * MV_UNIT);
	int64_t t1 = t + DAY;
	/* weight 1.0 x 100 and weight 2.0 x 100: thirds */
	assert_int_equal(do_stake(st, &n, 2, t1, 100 * MV_UNIT, 30, a, why, sizeof why), 1);
	assert_int_equal(do_stake(st, &n, 3, t1, 100 * MV_UNIT, 365, b, why, sizeof why), 1);
	assert_int_equal(do_stake_op(st, &n, 2, t1 + DAY, "staking.claim", a, why, sizeof why), 1);
	assert_int_equal(do_stake_op(st, &n, 3, t1 + DAY, "staking.claim", b, why, sizeof why), 1);
	assert_int_equal(bal(st, n.pk[2]), 900 * MV_UNIT + 30 * MV_UNIT);
	assert_int_equal(bal(st, n.pk[3]), 900 * MV_UNIT + 60 * MV_UNIT);
	/* a third staker, weight 1.5 x 200 = 300: shares 100:200:300 */
	assert_int_equal(do_stake(st, &n, 4, t1 + DAY, 200 * MV_UNIT, 180, c, why, sizeof why), 1);
	int64_t t2 = t1 + 3 * DAY;
	int64_t acc;
	struct mv_err e;
	assert_int_equal(staking_accrued(st, a, t2, &acc, &e), MV_OK);
	assert_int_equal(acc, 2 * 15 * MV_UNIT);
	assert_int_equal(staking_accrued(st, b, t2, &acc, &e), MV_OK);
	assert_int_equal(acc, 2 * 30 * MV_UNIT);
	assert_int_equal(staking_accrued(st, c, t2, &acc, &e), MV_OK);
	assert_int_equal(acc, 2 * 45 * MV_UNIT);
	/* 90 days weight 1.25 */
	uint8_t d[32];
	assert_int_equal(do_stake(st, &n, 2, t2, 8 * MV_UNIT, 90, d, why, sizeof why), 1);
	assert_int_equal(sql_int(st, "SELECT weighted FROM stakes WHERE period_days = 90"), 10 * MV_UNIT);
	econ_invariants(st, t2);
	store_close(st);
	op_free(&n.genesis);
}

/* The Synthetix pitfall: emission while nothing is staked must stay in the
 * pool, not be lost or handed to the next staker. */
static void test_idle_rewards_stay_in_pool(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t a[32], b[32], pool[32];
	struct store *st = econ_start(&n, 1, NULL);
	sys_acct(pool, SYS_REWARDS);
	int64_t t = T0 + 1000;
	fund(st, &n, &t, 2, 1000 * MV_UNIT);
	int64_t p0 = bal(st, pool);
	int64_t s1 = t + DAY;
	assert_int_equal(do_stake(st, &n, 2, s1, 50 * MV_UNIT, 30, a, why, sizeof why), 1);
	assert_int_equal(do_stake_op(st, &n, 2, s1 + 30 * DAY, "staking.unstake", a, why, sizeof why), 1);
	/* 20 idle days, then a new stake for 30 days */
	int64_t s2 = s1 + 50 * DAY;
	assert_int_equal(do_stake(st, &n, 2, s2, 50 * MV_UNIT, 30, b, why, sizeof why), 1);
	assert_int_equal(do_stake_op(st, &n, 2, s2 + 30 * DAY, "staking.unstake", b, why, sizeof why), 1);
	/* 60 staked days paid, the 20 idle days' emission still in the pool */
	assert_int_equal(bal(st, pool), p0 - 60 * 100 * MV_UNIT);
	assert_int_equal(bal(st, n.pk[2]), 1000 * MV_UNIT + 60 * 100 * MV_UNIT);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM reward_payouts WHERE kind = 'staking'"), 2);
	econ_invariants(st, s2 + 30 * DAY);
	store_close(st);
	op_free(&n.genesis);
}

/* A pool smaller than the emission: stakers get at most what it holds, and
 * what they are owed is reserved against other payouts. */
static void test_pool_cap(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t a[32], b[32], pool[32];
	struct kv over[] = {{"alloc_founder", 399990 * MV_UNIT}, {"alloc_rewards", 10 * MV_UNIT},
			    {"alloc_treasury", 600000 * MV_UNIT}, {NULL, 0}};
	struct store *st = econ_start(&n, 1, over);
	sys_acct(pool, SYS_REWARDS);
	int64_t t = T0 + 1000;
	fund(st, &n, &t, 2, 1000 * MV_UNIT);
	fund(st, &n, &t, 3, 1000 * MV_UNIT);
	int64_t s = t + DAY;
	assert_int_equal(do_stake(st, &n, 2, s, 3 * MV_UNIT, 30, a, why, sizeof why), 1);
	assert_int_equal(do_stake(st, &n, 3, s, 7 * MV_UNIT, 30, b, why, sizeof why), 1);
	/* a day would emit 100 MVT; the pool holds 10 */
	struct staking_pool_info p;
	struct mv_err e;
	assert_int_equal(staking_pool(st, s + DAY, &p, &e), MV_OK);
	assert_int_equal(p.reserved, 10 * MV_UNIT);
	assert_int_equal(p.free, 0);
	assert_int_equal(do_stake_op(st, &n, 2, s + DAY, "staking.claim", a, why, sizeof why), 1);
	assert_int_equal(bal(st, n.pk[2]), 997 * MV_UNIT + 3 * MV_UNIT);
	/* nothing more to share until someone refills the pool */
	expect_reject(do_stake_op(st, &n, 2, s + 2 * DAY, "staking.claim", a, why, sizeof why), why,
		      "nothing to claim yet");
	assert_int_equal(do_stake_op(st, &n, 3, s + 2 * DAY, "staking.claim", b, why, sizeof why), 1);
	assert_int_equal(bal(st, n.pk[3]), 993 * MV_UNIT + 7 * MV_UNIT);
	assert_int_equal(bal(st, pool), 0);
	econ_invariants(st, s + 2 * DAY);
	assert_int_equal(do_transfer(st, &n, 0, pool, 1 * MV_UNIT, s + 2 * DAY + 1), 1);
	assert_int_equal(do_stake_op(st, &n, 2, s + 3 * DAY, "staking.claim", a, why, sizeof why), 1);
	/* capped increments round down: 0.3 MVT less at most one base unit */
	assert_true(bal(st, n.pk[2]) <= 1000 * MV_UNIT + 3 * MV_UNIT / 10);
	assert_true(bal(st, n.pk[2]) >= 1000 * MV_UNIT + 3 * MV_UNIT / 10 - 1);
	econ_invariants(st, s + 3 * DAY);
	store_close(st);
	op_free(&n.genesis);
}

/* The accumulator rounds increments up, except where that would promise more
 * than the free pool: an interval whose emission falls just short of the
 * pool, over a large total weight, must still reserve no more than the pool
 * holds. */
static void test_cap_rounding_edge(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t a[32];
	const u128 w = 3000 * (u128)MV_UNIT, two64 = (u128)1 << 64;
	/* a pool size F whose F * 2^64 / W has a fractional part above 0.8, so
	 * that ceil((F - 1/DAY) * 2^64 / W) > floor(F * 2^64 / W) */
	int64_t f = 1000000;
	while (((u128)f * two64) % w < w * 8 / 10)
		f++;
	struct kv over[] = {{"alloc_founder", 100000 * MV_UNIT}, {"alloc_rewards", f},
			    {"alloc_treasury", 900000 * MV_UNIT - f},
			    {"stake_reward_per_day", f * DAY - 1}, {NULL, 0}};
	struct store *st = econ_start(&n, 1, over);
	int64_t t = T0 + 1000;
	fund(st, &n, &t, 2, 5000 * MV_UNIT);
	int64_t s = t + DAY;
	assert_int_equal(do_stake(st, &n, 2, s, 3000 * MV_UNIT, 30, a, why, sizeof why), 1);
	struct staking_pool_info p;
	struct mv_err e;
	/* one millisecond emits f - 1/DAY base units: just under the pool */
	assert_int_equal(staking_pool(st, s + 1, &p, &e), MV_OK);
	assert_true(p.reserved <= p.balance);
	assert_int_equal(p.balance, f);
	int64_t before = bal(st, n.pk[2]);
	assert_int_equal(do_stake_op(st, &n, 2, s + 1, "staking.claim", a, why, sizeof why), 1);
	assert_true(bal(st, n.pk[2]) - before <= f);
	assert_true(bal(st, n.pk[2]) - before >= f - 1);
	econ_invariants(st, s + 1);
	store_close(st);
	op_free(&n.genesis);
}

/* ---- voting power ------------------------------------------------------- */

struct rep_ud {
	const uint8_t *acct;
	int64_t pts;
};
static int add_rep(struct apply_ctx *ctx, void *ud)
{
	struct rep_ud *r = ud;
	return reputation_event(ctx, r->acct, REP_RELIABILITY, r->pts, "attended a session");
}

static void test_voting_power(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t a[32], b[32];
	struct store *st = econ_start(&n, 1, NULL);
	int64_t t = T0 + 1000;
	fund(st, &n, &t, 2, 1000 * MV_UNIT);
	int64_t s = t + DAY;
	assert_int_equal(staking_voting_power(st, n.pk[2], s), 0);
	assert_int_equal(do_stake(st, &n, 2, s, 100 * MV_UNIT, 365, a, why, sizeof why), 1);
	assert_int_equal(do_stake(st, &n, 2, s + 10, 40 * MV_UNIT, 30, b, why, sizeof why), 1);
	assert_int_equal(staking_voting_power(st, n.pk[2], s - 1), 0);
	assert_int_equal(staking_voting_power(st, n.pk[2], s), 200 * MV_UNIT);
	assert_int_equal(staking_voting_power(st, n.pk[2], s + 10), 240 * MV_UNIT);
	assert_int_equal(do_stake_op(st, &n, 2, s + 30 * DAY + 10, "staking.unstake", b, why,
				     sizeof why), 1);
	/* a snapshot before the unstake still counts it; after, not */
	assert_int_equal(staking_voting_power(st, n.pk[2], s + 30 * DAY), 240 * MV_UNIT);
	assert_int_equal(staking_voting_power(st, n.pk[2], s + 30 * DAY + 10), 200 * MV_UNIT);
	/* reputation bonus: 100 reliability points = score 500; counted dims
	 * reliability, community, governance -> trust 4000*500/7000 = 285;
	 * bonus = 200 MVT * 285 * 2500 / 10^7 = 14.25 MVT */
	struct rep_ud r = {n.pk[2], 100};
	int64_t now = s + 30 * DAY + 20;
	assert_int_equal(econ_with_ctx(st, n.pk[2], now, "rep1", add_rep, &r, NULL, 0), MV_OK);
	assert_int_equal(reputation_trust(st, n.pk[2], now), 285);
	assert_int_equal(staking_voting_power(st, n.pk[2], now), 200 * MV_UNIT + 1425 * MV_UNIT / 100);
	/* no stake, no votes, whatever the reputation */
	r.acct = n.pk[3];
	assert_int_equal(econ_with_ctx(st, n.pk[3], now, "rep2", add_rep, &r, NULL, 0), MV_OK);
	assert_int_equal(staking_voting_power(st, n.pk[3], now), 0);
	store_close(st);
	op_free(&n.genesis);
}

/* ---- the accumulator against a brute-force reference --------------------- */

struct ref_stake {
	uint8_t id[32];
	int owner;
	int64_t amount, weighted, lock_end, updates;
	bool open;
	u128 whole;        /* exact entitlement since the last payment: whole part */
	long double frac;  /* ... and the fraction (< 1), each term exact to ~1e-19 */
};

struct sched {
	struct store *st;
	struct net *n;
	struct ref_stake rs[400];
	size_t nrs;
	int64_t rate, t;
	struct op kept[1200];
	size_t nkept;
	size_t exact_floor, rounded_up, payouts;
};

/* Exact pro-rata accrual over [t, t + dt): each open stake gets
 * rate * dt * w / (DAY * W), summed as whole part + fraction. */
static void ref_accrue(struct sched *s, int64_t dt)
{
	int64_t w = 0;
	for (size_t i = 0; i < s->nrs; i++)
		if (s->rs[i].open)
			w += s->rs[i].weighted;
	if (w == 0 || dt <= 0)
		return;
	u128 den = (u128)DAY * (u128)w;
	for (size_t i = 0; i < s->nrs; i++) {
		struct ref_stake *r = &s->rs[i];
		if (!r->open)
			continue;
		u128 num = (u128)s->rate * (u128)dt * (u128)r->weighted;
		r->whole += num / den;
		r->frac += (long double)(num % den) / (long double)den;
		if (r->frac >= 1.0L) {
			r->whole += 1;
			r->frac -= 1.0L;
		}
	}
}

/* A payout must be the exact entitlement rounded down, or rounded up only
 * when the exact value lies within w*K/2^64 (K accumulator updates) below a
 * whole base unit: the accumulator rounds each increment up. */
static void ref_check(struct sched *s, struct ref_stake *r, int64_t paid)
{
	long double tol = (long double)r->weighted * (long double)(r->updates + 1) / 18446744073709551616.0L;
	int64_t lo = (int64_t)r->whole, hi = (int64_t)r->whole + (r->frac + tol >= 1.0L ? 1 : 0);
	if (paid < lo || paid > hi)
		fail_msg("payout %lld, exact %lld + %.12Lf (tol %.3Le)", (long long)paid,
			 (long long)r->whole, r->frac, tol);
	if (paid == lo)
		s->exact_floor++;
	else
		s->rounded_up++;
	s->payouts++;
	r->whole = 0;
	r->frac = 0;
	r->updates = 0;
}

static int sched_op(struct sched *s, int who, const char *kind, struct body_builder *bb,
		    char *why, size_t whylen, uint8_t id_out[32])
{
	struct op op;
	tn_op(s->n, who, econ_clock(who, s->t), kind, bb, &op);
	int o = tn_apply(s->st, &op, why, whylen);
	if (id_out)
		memcpy(id_out, op.id, 32);
	assert_true(s->nkept < sizeof s->kept / sizeof s->kept[0]);
	s->kept[s->nkept++] = op;
	if (o == 1)
		for (size_t i = 0; i < s->nrs; i++)
			s->rs[i].updates += s->rs[i].open;
	return o;
}

static struct ref_stake *pick_open(struct sched *s, uint64_t *seed, bool unlocked)
{
	size_t cand[400], k = 0;
	for (size_t i = 0; i < s->nrs; i++)
		if (s->rs[i].open && (!unlocked || s->rs[i].lock_end <= s->t))
			cand[k++] = i;
	return k ? &s->rs[cand[rnd(seed) % k]] : NULL;
}

static void sched_stake(struct sched *s, uint64_t *seed)
{
	static const int64_t periods[] = {30, 90, 180, 365};
	static const int64_t wbp[] = {10000, 12500, 15000, 20000};
	int who = (int)rnd_range(seed, 2, NKEYS - 1), pi = (int)(rnd(seed) % 4);
	int64_t amount = rnd_range(seed, 1, 5000) * MV_UNIT + rnd_range(seed, 0, MV_UNIT - 1);
	struct body_builder bb;
	char why[256];
	bb_init(&bb);
	bb_int(&bb, "amount", amount);
	bb_int(&bb, "period", periods[pi]);
	struct ref_stake *r = &s->rs[s->nrs];
	int o = sched_op(s, who, "staking.stake", &bb, why, sizeof why, r->id);
	if (o != 1) {
		expect_reject(o, why, "insufficient funds");
		return;
	}
	r->owner = who;
	r->amount = amount;
	r->weighted = (int64_t)((__int128)amount * wbp[pi] / 10000);
	r->lock_end = s->t + periods[pi] * DAY;
	r->open = true;
	r->updates = 0;
	s->nrs++;
}

static void sched_claim_or_unstake(struct sched *s, struct ref_stake *r, bool unstake)
{
	struct body_builder bb;
	char why[256];
	int64_t before = bal(s->st, s->n->pk[r->owner]);
	bb_init(&bb);
	bb_id(&bb, "stake", r->id);
	int o = sched_op(s, r->owner, unstake ? "staking.unstake" : "staking.claim", &bb, why,
			 sizeof why, NULL);
	if (o != 1) {
		/* only a claim of less than one base unit may be refused */
		expect_reject(o, why, "nothing to claim yet");
		assert_true(!unstake && r->whole == 0);
		return;
	}
	int64_t paid = bal(s->st, s->n->pk[r->owner]) - before - (unstake ? r->amount : 0);
	ref_check(s, r, paid);
	if (unstake)
		r->open = false;
}

static void run_schedule(uint64_t seed, size_t steps, bool replay)
{
	struct net n;
	struct sched *s = calloc(1, sizeof *s);
	assert_non_null(s);
	/* an odd rate so that nothing divides evenly */
	s->rate = rnd_range(&seed, 10, 500) * MV_UNIT + rnd_range(&seed, 1, MV_UNIT - 1);
	struct kv over[] = {{"stake_reward_per_day", s->rate}, {NULL, 0}};
	s->st = econ_start(&n, 1, over);
	s->n = &n;
	s->t = T0 + 1000;
	for (int k = 2; k < NKEYS; k++) {
		struct body_builder bb;
		bb_init(&bb);
		bb_id(&bb, "to", n.pk[k]);
		bb_int(&bb, "amount", 15000 * MV_UNIT);
		s->t += 10;
		assert_int_equal(sched_op(s, 0, "ledger.transfer", &bb, NULL, 0, NULL), 1);
	}
	for (size_t step = 0; step < steps; step++) {
		int64_t dt;
		switch (rnd(&seed) % 4) {
		case 0: dt = rnd_range(&seed, 1, 1000); break;
		case 1: dt = rnd_range(&seed, 1, 6 * 3600 * 1000); break;
		default: dt = rnd_range(&seed, 1, 6 * DAY); break;
		}
		ref_accrue(s, dt);
		s->t += dt;
		int action = (int)(rnd(&seed) % 10);
		struct ref_stake *r = NULL;
		if (action < 4 || !(r = pick_open(s, &seed, action >= 7 && action < 9))) {
			if (action >= 7 && action < 9 && (r = pick_open(s, &seed, false)) != NULL) {
				/* a claim by someone else is refused and changes nothing */
				struct body_builder bb;
				char why[256];
				bb_init(&bb);
				bb_id(&bb, "stake", r->id);
				expect_reject(sched_op(s, r->owner == 2 ? 3 : 2, "staking.claim", &bb, why,
						       sizeof why, NULL), why, "not your stake");
			} else {
				sched_stake(s, &seed);
			}
		} else if (action == 9) {
			int64_t acc;
			struct mv_err e;
			assert_int_equal(staking_accrued(s->st, r->id, s->t, &acc, &e), MV_OK);
			/* a projection, not a payout: same bounds, nothing reset */
			long double tol = (long double)r->weighted * (long double)(r->updates + 1) /
					  18446744073709551616.0L;
			assert_true(acc >= (int64_t)r->whole);
			assert_true(acc <= (int64_t)r->whole + (r->frac + tol >= 1.0L ? 1 : 0));
		} else {
			sched_claim_or_unstake(s, r, action >= 7);
		}
		econ_invariants(s->st, s->t);
	}
	if (replay) {
		/* another node receives the same ops author by author, newest
		 * authors first, in three batches: late ops undo and redo the
		 * tail; the state must come out byte for byte the same */
		struct store *b = fresh();
		size_t idx[1201], k = 0;
		idx[k++] = 0;
		struct op all[1201];
		all[0] = n.genesis;
		for (size_t i = 0; i < s->nkept; i++)
			all[i + 1] = s->kept[i];
		deliver(b, all, idx, 1);
		for (int who = NKEYS - 1; who >= 0; who--) {
			k = 0;
			for (size_t i = 0; i < s->nkept; i++)
				if (memcmp(s->kept[i].author, n.pk[who], 32) == 0)
					idx[k++] = i + 1;
			if (k)
				deliver(b, all, idx, k);
		}
		uint8_t ra[32], rb[32];
		root_of(s->st, ra);
		root_of(b, rb);
		assert_memory_equal(ra, rb, 32);
		store_close(b);
	}
	print_message("schedule: %zu payouts, %zu exact floor, %zu rounded up\n", s->payouts,
		      s->exact_floor, s->rounded_up);
	assert_true(s->payouts > 5);
	for (size_t i = 0; i < s->nkept; i++)
		op_free(&s->kept[i]);
	store_close(s->st);
	op_free(&n.genesis);
	free(s);
}

static void test_accumulator_vs_reference(void **state)
{
	(void)state;
	run_schedule(UINT64_C(0x9e3779b97f4a7c15), 160, true);
	run_schedule(UINT64_C(0x1234567887654321), 160, false);
	run_schedule(UINT64_C(0x0ddba11cafef00d5), 160, false);
	run_schedule(UINT64_C(0x5eed5eed5eed5eed), 160, false);
}

/* A small pool, a high rate, refills, many stakers: after every op the pool
 * holds what stakers are owed, no claim ever fails for lack of funds, and the
 * supply is unchanged. */
static void test_random_tight_pool(void **state)
{
	(void)state;
	uint64_t seed = UINT64_C(0xfeedbeefcafe1234);
	struct net n;
	uint8_t pool[32];
	struct kv over[] = {{"alloc_founder", 399950 * MV_UNIT}, {"alloc_rewards", 50 * MV_UNIT},
			    {"alloc_treasury", 600000 * MV_UNIT}, {"stake_reward_per_day", 40 * MV_UNIT},
			    {NULL, 0}};
	struct store *st = econ_start(&n, 1, over);
	sys_acct(pool, SYS_REWARDS);
	int64_t t = T0 + 1000, paid_total = 0, refills = 0;
	for (int k = 2; k < NKEYS; k++)
		fund(st, &n, &t, k, 5000 * MV_UNIT);
	uint8_t ids[200][32];
	int owner[200];
	size_t nid = 0;
	for (int step = 0; step < 200; step++) {
		t += rnd_range(&seed, 1, 2 * DAY);
		int action = (int)(rnd(&seed) % 8);
		char why[256];
		if (action < 3 && nid < 200) {
			int who = (int)rnd_range(&seed, 2, NKEYS - 1);
			int64_t amt = rnd_range(&seed, MV_UNIT, 300 * MV_UNIT);
			if (do_stake(st, &n, who, t, amt, 30, ids[nid], why, sizeof why) == 1) {
				owner[nid++] = who;
			}
		} else if (action == 3) {
			int64_t amt = rnd_range(&seed, 1, 20 * MV_UNIT);
			assert_int_equal(do_transfer(st, &n, 0, pool, amt, t), 1);
			refills += amt;
		} else if (nid) {
			size_t i = (size_t)(rnd(&seed) % nid);
			bool un = action >= 6;
			int64_t before = bal(st, n.pk[owner[i]]);
			int o = do_stake_op(st, &n, owner[i], t, un ? "staking.unstake" : "staking.claim",
					    ids[i], why, sizeof why);
			if (o == 1) {
				int64_t gain = bal(st, n.pk[owner[i]]) - before;
				paid_total += gain;
			} else {
				assert_true(strstr(why, "nothing to claim yet") || strstr(why, "locked until") ||
					    strstr(why, "already unstaked"));
				assert_null(strstr(why, "insufficient"));
			}
		}
		econ_invariants(st, t);
	}
	/* everything the stakers got came from the pool and its refills */
	int64_t principal_back =
		sql_int(st, "SELECT coalesce(sum(amount), 0) FROM stakes WHERE closed_at IS NOT NULL");
	assert_true(paid_total - principal_back <= 50 * MV_UNIT + refills);
	assert_int_equal(bal(st, pool), 50 * MV_UNIT + refills - (paid_total - principal_back));
	store_close(st);
	op_free(&n.genesis);
}

/* ---- queries for the UI ------------------------------------------------ */

struct rows {
	struct q_stake r[8];
	int n;
};
static int stake_row(void *ud, const struct q_stake *r)
{
	struct rows *k = ud;
	k->r[k->n++] = *r;
	return 0;
}

static void test_queries(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t a[32], b[32];
	struct mv_err e;
	struct kv over[] = {{"stake_reward_per_day", 90 * MV_UNIT}, {NULL, 0}};
	struct store *st = econ_start(&n, 1, over);
	int64_t t = T0 + 1000;
	fund(st, &n, &t, 2, 1000 * MV_UNIT);
	int64_t s = t + DAY;
	/* preview: weights, unlock, estimate against today's totals */
	struct q_stake_preview pv;
	assert_int_equal(query_stake_preview(st, 100 * MV_UNIT, 365, s, &pv, &e), MV_OK);
	assert_true(pv.ok);
	assert_int_equal(pv.weighted, 200 * MV_UNIT);
	assert_int_equal(pv.lock_end, s + 365 * DAY);
	assert_int_equal(pv.est_per_day, 90 * MV_UNIT); /* alone in the pool */
	assert_int_equal(query_stake_preview(st, 100 * MV_UNIT, 45, s, &pv, &e), MV_OK);
	assert_false(pv.ok);
	assert_non_null(strstr(pv.why, "period must be"));
	assert_int_equal(query_stake_preview(st, 1, 30, s, &pv, &e), MV_OK);
	assert_false(pv.ok);
	assert_non_null(strstr(pv.why, "minimum"));
	assert_int_equal(do_stake(st, &n, 2, s, 100 * MV_UNIT, 30, a, why, sizeof why), 1);
	assert_int_equal(do_stake(st, &n, 2, s + 1, 100 * MV_UNIT, 365, b, why, sizeof why), 1);
	assert_int_equal(query_stake_preview(st, 100 * MV_UNIT, 180, s + 1, &pv, &e), MV_OK);
	assert_int_equal(pv.est_per_day, 30 * MV_UNIT); /* 150 of 450 weighted */
	assert_int_equal(do_stake_op(st, &n, 2, s + 30 * DAY, "staking.unstake", a, why, sizeof why), 1);
	struct rows k = {.n = 0};
	int64_t now = s + 31 * DAY;
	assert_int_equal(query_stakes(st, n.pk[2], true, now, stake_row, &k, &e), MV_OK);
	assert_int_equal(k.n, 2);
	assert_memory_equal(k.r[0].id, b, 32); /* open first */
	assert_false(k.r[0].closed);
	assert_false(k.r[0].unlocked);
	assert_true(k.r[1].closed);
	assert_int_equal(k.r[1].accrued, 0);
	assert_true(k.r[1].claimed > 0);
	int64_t acc;
	assert_int_equal(staking_accrued(st, b, now, &acc, &e), MV_OK);
	assert_int_equal(k.r[0].accrued, acc);
	k.n = 0;
	assert_int_equal(query_stakes(st, NULL, false, now, stake_row, &k, &e), MV_OK);
	assert_int_equal(k.n, 1);
	struct staking_pool_info p;
	assert_int_equal(query_staking_pool(st, now, &p, &e), MV_OK);
	assert_int_equal(p.total_staked, 100 * MV_UNIT);
	assert_int_equal(p.total_weighted, 200 * MV_UNIT);
	assert_int_equal(p.open_stakes, 1);
	assert_true(p.reserved == acc || p.reserved == acc + 1); /* ceil of the exact owed */
	struct q_voting_power vp;
	query_voting_power(st, n.pk[2], now, &vp);
	assert_int_equal(vp.weighted_stake, 200 * MV_UNIT);
	assert_int_equal(vp.total, 200 * MV_UNIT);
	assert_int_equal(vp.bonus, 0);
	store_close(st);
	op_free(&n.genesis);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_pro_rata_by_weight),
		cmocka_unit_test(test_idle_rewards_stay_in_pool),
		cmocka_unit_test(test_pool_cap),
		cmocka_unit_test(test_cap_rounding_edge),
		cmocka_unit_test(test_voting_power),
		cmocka_unit_test(test_accumulator_vs_reference),
		cmocka_unit_test(test_random_tight_pool),
		cmocka_unit_test(test_queries),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
