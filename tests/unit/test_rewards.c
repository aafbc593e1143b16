/* test_rewards.c - payouts from the reward pool: session rewards (once per
 * session, never beyond the free pool, never out of what stakers are owed),
 * governance distributions (all or nothing, every rejection), no op kind
 * that anyone could send, every payout row naming its op, and supply
 * conservation with pool solvency after every step of a random mix of
 * staking ops, session rewards, distributions and refills. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "econ_testnet.h"
#include "core/query_economy.h"

struct sess_ud {
	uint8_t session[32];
	const uint8_t *patient, *therapist;
};
static int settle_fn(struct apply_ctx *ctx, void *ud)
{
	struct sess_ud *s = ud;
	return rewards_session_settled(ctx, s->session, s->patient, s->therapist);
}

struct dist_ud {
	const uint8_t *proposal;
	const char *period;
	uint8_t accounts[8][32];
	int64_t amounts[8];
	size_t n;
};
static int dist_fn(struct apply_ctx *ctx, void *ud)
{
	struct dist_ud *d = ud;
	return rewards_distribute(ctx, d->proposal, d->period, (const uint8_t (*)[32])d->accounts,
				  d->amounts, d->n);
}

static int64_t pool_bal(struct store *st)
{
	uint8_t p[32];
	sys_acct(p, SYS_REWARDS);
	return bal(st, p);
}

/* Rows of reward_payouts under op id derived from tag. */
static int64_t payouts_of(struct store *st, const char *tag)
{
	uint8_t id[32];
	sqlite3_stmt *s;
	op_hash(id, tag, strlen(tag));
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM reward_payouts WHERE op = ?",
					    -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void test_session_reward_once(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	struct store *st = econ_start(&n, 1, NULL);
	int64_t now = T0 + DAY, p0 = pool_bal(st);
	struct sess_ud s = {{1}, n.pk[2], n.pk[3]};
	assert_int_equal(econ_with_ctx(st, n.pk[3], now, "settle-1", settle_fn, &s, why, sizeof why),
			 MV_OK);
	assert_int_equal(bal(st, n.pk[2]), MV_UNIT);
	assert_int_equal(bal(st, n.pk[3]), 2 * MV_UNIT);
	assert_int_equal(pool_bal(st), p0 - 3 * MV_UNIT);
	assert_int_equal(payouts_of(st, "settle-1"), 2);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM reward_payouts WHERE ref IS NOT NULL"
				     " AND kind LIKE 'session:%'"), 2);
	/* the same session again (another op): nothing more */
	assert_int_equal(econ_with_ctx(st, n.pk[3], now + 1, "settle-1b", settle_fn, &s, why,
				       sizeof why), MV_OK);
	assert_int_equal(bal(st, n.pk[2]), MV_UNIT);
	assert_int_equal(payouts_of(st, "settle-1b"), 0);
	/* patient and therapist must differ */
	struct sess_ud self = {{2}, n.pk[2], n.pk[2]};
	assert_int_equal(econ_with_ctx(st, n.pk[2], now + 2, "settle-2", settle_fn, &self, why,
				       sizeof why), MV_EREJECT);
	assert_non_null(strstr(why, "same account"));
	assert_int_equal(sql_int(st, "SELECT count(*) FROM reward_sessions"), 1);
	econ_invariants(st, now + 2);
	store_close(st);
	op_free(&n.genesis);
}

static void test_session_reward_capped(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	struct kv over[] = {{"alloc_founder", 399997 * MV_UNIT + MV_UNIT / 2},
			    {"alloc_rewards", 2 * MV_UNIT + MV_UNIT / 2},
			    {"alloc_treasury", 600000 * MV_UNIT}, {NULL, 0}};
	struct store *st = econ_start(&n, 1, over);
	int64_t now = T0 + DAY;
	struct sess_ud a = {{1}, n.pk[2], n.pk[3]}, b = {{2}, n.pk[4], n.pk[5]};
	assert_int_equal(econ_with_ctx(st, n.pk[3], now, "s-a", settle_fn, &a, why, sizeof why), MV_OK);
	/* 2.5 MVT in the pool: patient 1, therapist the remaining 1.5 */
	assert_int_equal(bal(st, n.pk[2]), MV_UNIT);
	assert_int_equal(bal(st, n.pk[3]), MV_UNIT + MV_UNIT / 2);
	assert_int_equal(pool_bal(st), 0);
	assert_int_equal(econ_with_ctx(st, n.pk[5], now, "s-b", settle_fn, &b, why, sizeof why), MV_OK);
	assert_int_equal(bal(st, n.pk[4]), 0);
	assert_int_equal(bal(st, n.pk[5]), 0);
	/* rewarded (with nothing): a refill later does not pay it again */
	assert_int_equal(sql_int(st, "SELECT paid_patient + paid_therapist FROM reward_sessions"
				     " ORDER BY time, session LIMIT 1 OFFSET 1"), 0);
	econ_invariants(st, now);
	store_close(st);
	op_free(&n.genesis);
}

/* Rewards stakers have accrued are reserved: a session reward cannot take
 * them, and the stakers can still claim every unit. */
static void test_session_reward_respects_stakers(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t stake[32];
	struct kv over[] = {{"alloc_founder", 399900 * MV_UNIT}, {"alloc_rewards", 100 * MV_UNIT},
			    {"alloc_treasury", 600000 * MV_UNIT}, {NULL, 0}};
	struct store *st = econ_start(&n, 1, over);
	int64_t t = T0 + 1000;
	assert_int_equal(do_transfer(st, &n, 0, n.pk[2], 500 * MV_UNIT, t), 1);
	assert_int_equal(do_stake(st, &n, 2, t + 1000, 100 * MV_UNIT, 30, stake, why, sizeof why), 1);
	/* half a day at 100 MVT/day: 50 MVT owed, 50 free */
	int64_t half = t + 1000 + DAY / 2;
	struct sess_ud s = {{9}, n.pk[3], n.pk[4]};
	assert_int_equal(econ_with_ctx(st, n.pk[4], half, "s-1", settle_fn, &s, why, sizeof why), MV_OK);
	assert_int_equal(bal(st, n.pk[3]), MV_UNIT);
	assert_int_equal(rewards_pool_free(st, half), 47 * MV_UNIT);
	/* a full day later the pool is all owed: the next session gets nothing */
	int64_t later = half + DAY;
	struct sess_ud s2 = {{10}, n.pk[5], n.pk[6]};
	assert_int_equal(econ_with_ctx(st, n.pk[6], later, "s-2", settle_fn, &s2, why, sizeof why), MV_OK);
	assert_int_equal(bal(st, n.pk[5]), 0);
	assert_int_equal(bal(st, n.pk[6]), 0);
	econ_invariants(st, later);
	assert_int_equal(do_stake_op(st, &n, 2, later + 1, "staking.claim", stake, why, sizeof why), 1);
	/* the capped increment rounds down: the claim gets 97 MVT or one base
	 * unit less, which then stays in the pool as dust */
	int64_t got = bal(st, n.pk[2]) - 400 * MV_UNIT;
	assert_true(got == 97 * MV_UNIT || got == 97 * MV_UNIT - 1);
	assert_int_equal(pool_bal(st), 97 * MV_UNIT - got);
	econ_invariants(st, later + 1);
	store_close(st);
	op_free(&n.genesis);
}

static void test_distribute(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t proposal[32], pool[32];
	struct store *st = econ_start(&n, 1, NULL);
	sys_acct(pool, SYS_REWARDS);
	memset(proposal, 0xc4, 32);
	int64_t now = T0 + DAY, p0 = pool_bal(st);
	struct dist_ud d = {proposal, "2026-Q3", {{0}}, {0}, 3};
	memcpy(d.accounts[0], n.pk[2], 32);
	memcpy(d.accounts[1], n.pk[3], 32);
	memcpy(d.accounts[2], n.pk[4], 32);
	d.amounts[0] = 10 * MV_UNIT;
	d.amounts[1] = 5 * MV_UNIT;
	d.amounts[2] = 1;
	assert_int_equal(econ_with_ctx(st, n.pk[0], now, "exec-dist", dist_fn, &d, why, sizeof why),
			 MV_OK);
	assert_int_equal(bal(st, n.pk[2]), 10 * MV_UNIT);
	assert_int_equal(bal(st, n.pk[4]), 1);
	assert_int_equal(pool_bal(st), p0 - 15 * MV_UNIT - 1);
	assert_int_equal(payouts_of(st, "exec-dist"), 3);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM reward_payouts WHERE kind = 'community'"
				     " AND note = '2026-Q3' AND hex(ref) = 'C4C4C4C4C4C4C4C4C4C4C4C4C4C4C4C4"
				     "C4C4C4C4C4C4C4C4C4C4C4C4C4C4C4C4'"), 3);

	/* every rejection leaves every balance as it was */
	struct {
		const char *period;
		size_t n;
		int64_t amount1;
		bool dup, to_pool;
		int64_t amount0;
		const char *why;
	} bad[] = {
		{"2026-Q3", 2, MV_UNIT, false, false, MV_UNIT, "already distributed"},
		{"", 2, MV_UNIT, false, false, MV_UNIT, "1..32 bytes"},
		{"a-period-name-longer-than-32-bytes", 2, MV_UNIT, false, false, MV_UNIT, "1..32 bytes"},
		{"Q4", 0, MV_UNIT, false, false, MV_UNIT, "1..1024 recipients"},
		{"Q4", 2, 0, false, false, MV_UNIT, "not positive"},
		{"Q4", 2, -5, false, false, MV_UNIT, "not positive"},
		{"Q4", 2, MV_UNIT, true, false, MV_UNIT, "an account twice"},
		{"Q4", 2, MV_UNIT, false, true, MV_UNIT, "the reward pool itself"},
		{"Q4", 2, MV_UNIT, false, false, 600000 * MV_UNIT, "exceeds the free reward pool"},
		{"Q4", 2, MV_UNIT, false, false, INT64_MAX, "overflows"},
	};
	int64_t before = pool_bal(st);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct dist_ud x = {NULL, bad[i].period, {{0}}, {0}, bad[i].n};
		memcpy(x.accounts[0], n.pk[5], 32);
		memcpy(x.accounts[1], bad[i].dup ? n.pk[5] : bad[i].to_pool ? pool : n.pk[6], 32);
		x.amounts[0] = bad[i].amount0;
		x.amounts[1] = bad[i].amount1;
		assert_int_equal(econ_with_ctx(st, n.pk[0], now, "exec-bad", dist_fn, &x, why, sizeof why),
				 MV_EREJECT);
		if (!strstr(why, bad[i].why))
			fail_msg("case %zu: '%s' lacks '%s'", i, why, bad[i].why);
	}
	assert_int_equal(pool_bal(st), before);
	assert_int_equal(bal(st, n.pk[5]), 0);
	/* without a proposal id, the executing op is the justification */
	struct dist_ud y = {NULL, "Q4", {{0}}, {MV_UNIT}, 1};
	memcpy(y.accounts[0], n.pk[6], 32);
	assert_int_equal(econ_with_ctx(st, n.pk[0], now, "exec-q4", dist_fn, &y, why, sizeof why), MV_OK);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM reward_payouts WHERE ref = op AND note = 'Q4'"), 1);
	econ_invariants(st, now);
	store_close(st);
	op_free(&n.genesis);
}

/* Nobody can pay the pool out or set a score by sending an op. */
static void test_no_op_kinds(void **state)
{
	(void)state;
	const struct contract *owner;
	for (size_t i = 0; contract_table[i]; i++) {
		const struct contract *c = contract_table[i];
		if (strcmp(c->name, "rewards") == 0 || strcmp(c->name, "reputation") == 0)
			assert_true(!c->handlers || !c->handlers[0].kind);
	}
	const char *kinds[] = {"rewards.distribute", "rewards.pay", "reputation.set",
			       "reputation.event", NULL};
	for (size_t i = 0; kinds[i]; i++)
		assert_null(contract_find(kinds[i], &owner));
	assert_non_null(contract_find("staking.stake", &owner));
	assert_string_equal(owner->name, "staking");
	assert_non_null(contract_find("treasury.sign", &owner));
}

/* A random mix of everything that moves pool money: after every step the
 * supply is conserved and the pool holds what stakers are owed. */
static void test_random_conservation(void **state)
{
	(void)state;
	uint64_t seed = UINT64_C(0x243f6a8885a308d3);
	struct net n;
	char why[256];
	uint8_t pool[32];
	struct kv over[] = {{"alloc_founder", 399800 * MV_UNIT}, {"alloc_rewards", 200 * MV_UNIT},
			    {"alloc_treasury", 600000 * MV_UNIT}, {"stake_reward_per_day", 2 * MV_UNIT},
			    {NULL, 0}};
	struct store *st = econ_start(&n, 1, over);
	sys_acct(pool, SYS_REWARDS);
	int64_t t = T0 + 1000;
	for (int k = 2; k < NKEYS; k++)
		assert_int_equal(do_transfer(st, &n, 0, n.pk[k], 2000 * MV_UNIT, t += 10), 1);
	uint8_t stakes[100][32];
	int owner[100];
	size_t ns = 0, dist_ok = 0, dist_refused = 0;
	for (int step = 0; step < 250; step++) {
		t += rnd_range(&seed, 1, DAY);
		char tag[32];
		snprintf(tag, sizeof tag, "op-%d", step);
		switch (rnd(&seed) % 6) {
		case 0:
			if (ns < 100) {
				int who = (int)rnd_range(&seed, 2, NKEYS - 1);
				if (do_stake(st, &n, who, t, rnd_range(&seed, MV_UNIT, 100 * MV_UNIT), 30,
					     stakes[ns], why, sizeof why) == 1)
					owner[ns++] = who;
			}
			break;
		case 1:
			if (ns) {
				size_t i = (size_t)(rnd(&seed) % ns);
				int o = do_stake_op(st, &n, owner[i], t, rnd(&seed) % 2 ? "staking.claim"
										: "staking.unstake",
						    stakes[i], why, sizeof why);
				assert_true(o == 1 || !strstr(why, "insufficient"));
			}
			break;
		case 2: {
			struct sess_ud s = {{0}, n.pk[rnd_range(&seed, 2, 4)], n.pk[rnd_range(&seed, 5, 7)]};
			op_hash(s.session, tag, strlen(tag));
			assert_int_equal(econ_with_ctx(st, s.therapist, t, tag, settle_fn, &s, why, sizeof why),
					 MV_OK);
			break;
		}
		case 3: {
			struct dist_ud d = {NULL, tag, {{0}}, {0}, 2};
			memcpy(d.accounts[0], n.pk[2], 32);
			memcpy(d.accounts[1], n.pk[3], 32);
			d.amounts[0] = rnd_range(&seed, 1, 5 * MV_UNIT);
			d.amounts[1] = rnd_range(&seed, 1, 5 * MV_UNIT);
			int64_t free = rewards_pool_free(st, t);
			int rc = econ_with_ctx(st, n.pk[0], t, tag, dist_fn, &d, why, sizeof why);
			assert_int_equal(rc, d.amounts[0] + d.amounts[1] <= free ? MV_OK : MV_EREJECT);
			*(rc == MV_OK ? &dist_ok : &dist_refused) += 1;
			break;
		}
		case 4:
			assert_int_equal(do_transfer(st, &n, 0, pool, rnd_range(&seed, 1, 10 * MV_UNIT), t), 1);
			break;
		default:
			break;
		}
		econ_invariants(st, t);
	}
	/* the mix did exercise every kind of payout, and a dry pool */
	print_message("distributions: %zu paid, %zu refused\n", dist_ok, dist_refused);
	assert_true(dist_ok > 5 && dist_refused > 0);
	assert_true(sql_int(st, "SELECT count(*) FROM reward_payouts WHERE kind = 'community'") > 5);
	assert_true(sql_int(st, "SELECT count(*) FROM reward_payouts WHERE kind LIKE 'session:%'") > 5);
	assert_true(sql_int(st, "SELECT count(*) FROM reward_payouts WHERE kind = 'staking'") > 5);
	store_close(st);
	op_free(&n.genesis);
}

/* ---- queries for the UI ------------------------------------------------ */

struct recv {
	int n;
	int64_t total;
	char kinds[4][24];
};
static int recv_row(void *ud, const struct q_payout *r)
{
	struct recv *k = ud;
	if (k->n < 4)
		snprintf(k->kinds[k->n], sizeof k->kinds[0], "%s", r->kind);
	k->n++;
	k->total += r->amount;
	return 0;
}

static void test_queries(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	struct mv_err e;
	struct store *st = econ_start(&n, 1, NULL);
	int64_t now = T0 + DAY;
	struct sess_ud s = {{7}, n.pk[2], n.pk[3]};
	assert_int_equal(econ_with_ctx(st, n.pk[3], now, "q-s", settle_fn, &s, why, sizeof why), MV_OK);
	struct dist_ud d = {NULL, "Q1", {{0}}, {4 * MV_UNIT}, 1};
	memcpy(d.accounts[0], n.pk[2], 32);
	assert_int_equal(econ_with_ctx(st, n.pk[0], now + 1, "q-d", dist_fn, &d, why, sizeof why), MV_OK);
	struct recv k = {.n = 0};
	assert_int_equal(query_rewards_received(st, n.pk[2], 0, recv_row, &k, &e), MV_OK);
	assert_int_equal(k.n, 2);
	assert_int_equal(k.total, 5 * MV_UNIT);
	assert_string_equal(k.kinds[0], "community"); /* newest first */
	assert_string_equal(k.kinds[1], "session:patient");
	memset(&k, 0, sizeof k);
	assert_int_equal(query_rewards_received(st, NULL, 2, recv_row, &k, &e), MV_OK);
	assert_int_equal(k.n, 2);
	store_close(st);
	op_free(&n.genesis);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_reward_once),
		cmocka_unit_test(test_session_reward_capped),
		cmocka_unit_test(test_session_reward_respects_stakers),
		cmocka_unit_test(test_distribute),
		cmocka_unit_test(test_no_op_kinds),
		cmocka_unit_test(test_random_conservation),
		cmocka_unit_test(test_queries),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
