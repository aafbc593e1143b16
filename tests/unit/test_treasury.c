/* test_treasury.c - council multi-signature spends and governance payments:
 * every rejection (non-council proposer or signer, above the limit, replayed
 * nonce, signing twice, paid / cancelled / expired spends, an empty treasury),
 * payment exactly at the threshold-th distinct signature, and treasury_pay. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "econ_testnet.h"
#include "core/query_economy.h"

static void expect_reject(int outcome_, const char *why, const char *want)
{
	assert_int_equal(outcome_, 0);
	if (!strstr(why, want))
		fail_msg("reason '%s' lacks '%s'", why, want);
}

static int64_t treasury_bal(struct store *st)
{
	uint8_t t[32];
	sys_acct(t, SYS_TREASURY);
	return bal(st, t);
}

static void test_propose_rejections(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t sp[32], treasury[32];
	struct store *st = econ_start(&n, 2, NULL);
	sys_acct(treasury, SYS_TREASURY);
	int64_t t = T0 + DAY;
	expect_reject(do_propose(st, &n, 2, t += 1000, n.pk[3], 10 * MV_UNIT, "grant", 1, NULL, why,
				 sizeof why), why, "only council members may propose");
	expect_reject(do_propose(st, &n, 0, t += 1000, n.pk[3], 10000 * MV_UNIT + 1, "grant", 1, NULL,
				 why, sizeof why), why, "above the council limit of 10000 MVT");
	expect_reject(do_propose(st, &n, 0, t += 1000, treasury, 10 * MV_UNIT, "loop", 1, NULL, why,
				 sizeof why), why, "the treasury cannot pay itself");
	expect_reject(do_propose(st, &n, 0, t += 1000, n.pk[3], 10 * MV_UNIT, "", 1, NULL, why,
				 sizeof why), why, "needs a purpose");
	expect_reject(do_propose(st, &n, 0, t += 1000, n.pk[3], 10 * MV_UNIT, "grant", 0, NULL, why,
				 sizeof why), why, "field nonce out of range");
	/* exactly the limit is allowed */
	assert_int_equal(do_propose(st, &n, 0, t += 1000, n.pk[3], 10000 * MV_UNIT, "grant", 1, sp,
				    why, sizeof why), 1);
	/* a replayed nonce, even for another spend, is refused */
	expect_reject(do_propose(st, &n, 0, t += 1000, n.pk[4], 5 * MV_UNIT, "other", 1, NULL, why,
				 sizeof why), why, "nonce 1 already used by this proposer");
	/* nonces are per proposer */
	assert_int_equal(do_propose(st, &n, 1, t += 1000, n.pk[4], 5 * MV_UNIT, "other", 1, NULL, why,
				    sizeof why), 1);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM treasury_spends WHERE status = 'pending'"), 2);
	/* nothing paid below the threshold */
	assert_int_equal(treasury_bal(st), 300000 * MV_UNIT);
	assert_int_equal(bal(st, n.pk[3]), 0);
	econ_invariants(st, t);
	store_close(st);
	op_free(&n.genesis);
}

static void test_sign_until_threshold(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t sp[32], bogus[32];
	struct store *st = econ_start(&n, 2, NULL);
	int64_t t = T0 + DAY;
	assert_int_equal(do_propose(st, &n, 0, t += 1000, n.pk[3], 1234 * MV_UNIT, "workshop", 7, sp,
				    why, sizeof why), 1);
	expect_reject(do_spend_op(st, &n, 0, t += 1000, "treasury.sign", sp, why, sizeof why), why,
		      "you already signed this spend");
	expect_reject(do_spend_op(st, &n, 2, t += 1000, "treasury.sign", sp, why, sizeof why), why,
		      "only council members may sign");
	memset(bogus, 0x77, 32);
	expect_reject(do_spend_op(st, &n, 1, t += 1000, "treasury.sign", bogus, why, sizeof why), why,
		      "no such treasury spend");
	assert_int_equal(bal(st, n.pk[3]), 0);
	/* the second distinct council signature pays */
	assert_int_equal(do_spend_op(st, &n, 1, t += 1000, "treasury.sign", sp, why, sizeof why), 1);
	assert_int_equal(bal(st, n.pk[3]), 1234 * MV_UNIT);
	assert_int_equal(treasury_bal(st), (300000 - 1234) * MV_UNIT);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM treasury_payouts WHERE kind = 'council'"), 1);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM treasury_signers"), 2);
	/* paid once: signing again (by anyone) is refused */
	expect_reject(do_spend_op(st, &n, 1, t += 1000, "treasury.sign", sp, why, sizeof why), why,
		      "spend already paid");
	expect_reject(do_spend_op(st, &n, 0, t += 1000, "treasury.cancel", sp, why, sizeof why), why,
		      "spend already paid");
	assert_int_equal(bal(st, n.pk[3]), 1234 * MV_UNIT);
	econ_invariants(st, t);
	store_close(st);
	op_free(&n.genesis);
}

static void test_threshold_one_pays_at_once(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	struct store *st = econ_start(&n, 1, NULL);
	int64_t t = T0 + DAY;
	assert_int_equal(do_propose(st, &n, 1, t += 1000, n.pk[5], 10 * MV_UNIT, "translation", 1,
				    NULL, why, sizeof why), 1);
	assert_int_equal(bal(st, n.pk[5]), 10 * MV_UNIT);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM treasury_spends WHERE status = 'paid'"), 1);
	store_close(st);
	op_free(&n.genesis);
}

/* With treasury_council_window the limit holds for the sum of the council's
 * payouts in any window: a large spend cannot pass as several small ones.
 * The window slides with effective time. */
static void test_council_window(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t sp[32];
	const struct kv over[] = {{"treasury_council_window", 30 * DAY}, {NULL, 0}};
	struct store *st = econ_start(&n, 1, over);
	int64_t t = T0 + DAY, first;
	assert_int_equal(do_propose(st, &n, 0, first = (t += 1000), n.pk[3], 6000 * MV_UNIT, "grant",
				    1, NULL, why, sizeof why), 1);
	assert_int_equal(do_propose(st, &n, 0, t += 1000, n.pk[3], 4000 * MV_UNIT, "grant", 2, NULL,
				    why, sizeof why), 1);
	/* 10000 paid within 30 d: one base unit more is refused, at proposal */
	expect_reject(do_propose(st, &n, 0, t += 1000, n.pk[4], 1, "more", 3, NULL, why, sizeof why),
		      why, "would bring council spends in the last 30d to more than the council limit of "
			   "10000 MVT (10000 MVT already paid");
	/* once the first payout is older than the window, 6000 is free again */
	t = first + 30 * DAY - 1;
	expect_reject(do_propose(st, &n, 0, t, n.pk[4], 6000 * MV_UNIT, "more", 4, NULL, why,
				 sizeof why), why, "would bring council spends");
	assert_int_equal(do_propose(st, &n, 0, t += 1, n.pk[4], 6000 * MV_UNIT, "more", 5, sp, why,
				    sizeof why), 1);
	assert_int_equal(bal(st, n.pk[4]), 6000 * MV_UNIT);
	econ_invariants(st, t);
	store_close(st);
	op_free(&n.genesis);

	/* threshold 2: the limit is checked again at payment */
	st = econ_start(&n, 2, over);
	t = T0 + DAY;
	uint8_t a[32], b[32];
	assert_int_equal(do_propose(st, &n, 0, t += 1000, n.pk[3], 7000 * MV_UNIT, "a", 1, a, why,
				    sizeof why), 1);
	assert_int_equal(do_propose(st, &n, 0, t += 1000, n.pk[3], 7000 * MV_UNIT, "b", 2, b, why,
				    sizeof why), 1);
	assert_int_equal(do_spend_op(st, &n, 1, t += 1000, "treasury.sign", a, why, sizeof why), 1);
	expect_reject(do_spend_op(st, &n, 1, t += 1000, "treasury.sign", b, why, sizeof why), why,
		      "7000 MVT already paid");
	assert_int_equal(bal(st, n.pk[3]), 7000 * MV_UNIT);
	econ_invariants(st, t);
	store_close(st);
	op_free(&n.genesis);
}

static void test_cancel_and_expiry(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t a[32], b[32];
	struct store *st = econ_start(&n, 2, NULL);
	int64_t t = T0 + DAY;
	assert_int_equal(do_propose(st, &n, 0, t, n.pk[3], 10 * MV_UNIT, "a", 1, a, why, sizeof why), 1);
	assert_int_equal(do_propose(st, &n, 0, t + 1, n.pk[3], 20 * MV_UNIT, "b", 2, b, why,
				    sizeof why), 1);
	expect_reject(do_spend_op(st, &n, 1, t + 2, "treasury.cancel", a, why, sizeof why), why,
		      "only the proposer may cancel");
	assert_int_equal(do_spend_op(st, &n, 0, t + 3, "treasury.cancel", a, why, sizeof why), 1);
	expect_reject(do_spend_op(st, &n, 1, t + 4, "treasury.sign", a, why, sizeof why), why,
		      "spend already cancelled");
	/* a spend expires 30 days after it was proposed: b is signed in its
	 * last millisecond, c one millisecond too late */
	uint8_t c[32];
	assert_int_equal(do_propose(st, &n, 0, t + 5, n.pk[3], 30 * MV_UNIT, "c", 3, c, why,
				    sizeof why), 1);
	assert_int_equal(do_spend_op(st, &n, 1, t + 30 * DAY, "treasury.sign", b, why, sizeof why), 1);
	expect_reject(do_spend_op(st, &n, 1, t + 5 + 30 * DAY, "treasury.sign", c, why, sizeof why), why,
		      "spend expired at");
	assert_int_equal(bal(st, n.pk[3]), 20 * MV_UNIT);
	store_close(st);
	op_free(&n.genesis);
}

/* The threshold-th signature cannot pay from an empty treasury: it is
 * refused (not recorded), and the spend stays pending and signable. */
static void test_treasury_short(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t sp[32], treasury[32];
	struct kv over[] = {{"alloc_founder", 399990 * MV_UNIT}, {"alloc_treasury", 10 * MV_UNIT},
			    {NULL, 0}};
	struct store *st = econ_start(&n, 2, over);
	sys_acct(treasury, SYS_TREASURY);
	int64_t t = T0 + DAY;
	assert_int_equal(do_propose(st, &n, 0, t += 1000, n.pk[3], 25 * MV_UNIT, "repair", 1, sp, why,
				    sizeof why), 1);
	expect_reject(do_spend_op(st, &n, 1, t += 1000, "treasury.sign", sp, why, sizeof why), why,
		      "insufficient funds");
	assert_int_equal(sql_int(st, "SELECT count(*) FROM treasury_signers"), 1);
	assert_int_equal(do_transfer(st, &n, 0, treasury, 20 * MV_UNIT, t += 1000), 1);
	assert_int_equal(do_spend_op(st, &n, 1, t += 1000, "treasury.sign", sp, why, sizeof why), 1);
	assert_int_equal(bal(st, n.pk[3]), 25 * MV_UNIT);
	assert_int_equal(treasury_bal(st), 5 * MV_UNIT);
	econ_invariants(st, t);
	store_close(st);
	op_free(&n.genesis);
}

/* ---- governance payments (treasury_pay) -------------------------------- */

struct pay_ud {
	const uint8_t *to;
	int64_t amount;
	const char *purpose;
};
static int pay_fn(struct apply_ctx *ctx, void *ud)
{
	struct pay_ud *p = ud;
	return treasury_pay(ctx, p->to, p->amount, p->purpose);
}

static void test_treasury_pay(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t treasury[32];
	struct store *st = econ_start(&n, 2, NULL);
	sys_acct(treasury, SYS_TREASURY);
	int64_t now = T0 + DAY;
	/* above the council limit: governance may */
	struct pay_ud p = {n.pk[4], 50000 * MV_UNIT, "clinic grant (proposal 12)"};
	assert_int_equal(econ_with_ctx(st, n.pk[0], now, "exec-1", pay_fn, &p, why, sizeof why), MV_OK);
	assert_int_equal(bal(st, n.pk[4]), 50000 * MV_UNIT);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM treasury_payouts WHERE kind = 'governance'"
				     " AND spend IS NULL AND amount = 5000000000000"), 1);
	uint8_t exec_id[32];
	op_hash(exec_id, "exec-1", 6);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM treasury_payouts WHERE op = ?",
					    -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_blob(s, 1, exec_id, 32, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 1); /* the payout names its op */
	sqlite3_finalize(s);
	struct pay_ud bad[] = {
		{n.pk[4], 0, "zero"},
		{treasury, MV_UNIT, "self"},
		{n.pk[4], MV_UNIT, ""},
		{n.pk[4], 300000 * MV_UNIT, "too much"},
	};
	const char *reasons[] = {"must be positive", "cannot pay itself", "needs a purpose",
				 "insufficient funds"};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(econ_with_ctx(st, n.pk[0], now, "exec-bad", pay_fn, &bad[i], why,
					       sizeof why), MV_EREJECT);
		if (!strstr(why, reasons[i]))
			fail_msg("'%s' lacks '%s'", why, reasons[i]);
	}
	assert_int_equal(treasury_bal(st), 250000 * MV_UNIT);
	econ_invariants(st, now);
	store_close(st);
	op_free(&n.genesis);
}

/* ---- queries for the UI ------------------------------------------------ */

struct spends {
	int n;
	char status[4][16];
	size_t nsigners[4];
	int64_t valid[4], threshold;
};
static int spend_row(void *ud, const struct q_spend *r)
{
	struct spends *k = ud;
	snprintf(k->status[k->n], sizeof k->status[0], "%s", r->status);
	k->nsigners[k->n] = r->nsigners;
	k->valid[k->n] = r->valid_signers;
	k->threshold = r->threshold;
	k->n++;
	return 0;
}

struct points {
	int n;
	int64_t delta[8], balance[8];
};
static int point_row(void *ud, const struct q_treasury_point *r)
{
	struct points *k = ud;
	if (k->n < 8) {
		k->delta[k->n] = r->delta;
		k->balance[k->n] = r->balance;
	}
	k->n++;
	return 0;
}

static void test_queries(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t a[32], b[32], treasury[32];
	struct mv_err e;
	struct store *st = econ_start(&n, 2, NULL);
	sys_acct(treasury, SYS_TREASURY);
	int64_t t = T0 + DAY;
	assert_int_equal(do_propose(st, &n, 0, t, n.pk[3], 7 * MV_UNIT, "a", 1, a, why, sizeof why), 1);
	assert_int_equal(do_propose(st, &n, 0, t + 1, n.pk[3], 9 * MV_UNIT, "b", 2, b, why, sizeof why), 1);
	assert_int_equal(do_spend_op(st, &n, 1, t + 2, "treasury.sign", a, why, sizeof why), 1);
	struct spends k = {.n = 0};
	assert_int_equal(query_treasury_spends(st, false, t + 3, spend_row, &k, &e), MV_OK);
	assert_int_equal(k.n, 2);
	assert_string_equal(k.status[0], "pending"); /* newest first: b */
	assert_int_equal(k.nsigners[0], 1);
	assert_string_equal(k.status[1], "paid");
	assert_int_equal(k.nsigners[1], 2);
	assert_int_equal(k.valid[1], 2);
	assert_int_equal(k.threshold, 2);
	memset(&k, 0, sizeof k);
	assert_int_equal(query_treasury_spends(st, true, t + 31 * DAY, spend_row, &k, &e), MV_OK);
	assert_int_equal(k.n, 1);
	assert_string_equal(k.status[0], "expired");
	/* the balance history: genesis allocation, then the payment */
	struct points p = {.n = 0};
	assert_int_equal(query_treasury_history(st, point_row, &p, &e), MV_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.delta[0], 300000 * MV_UNIT);
	assert_int_equal(p.delta[1], -7 * MV_UNIT);
	assert_int_equal(p.balance[1], bal(st, treasury));
	store_close(st);
	op_free(&n.genesis);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_propose_rejections),
		cmocka_unit_test(test_sign_until_threshold),
		cmocka_unit_test(test_threshold_one_pays_at_once),
		cmocka_unit_test(test_council_window),
		cmocka_unit_test(test_cancel_and_expiry),
		cmocka_unit_test(test_treasury_short),
		cmocka_unit_test(test_treasury_pay),
		cmocka_unit_test(test_queries),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
