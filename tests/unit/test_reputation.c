/* test_reputation.c - reputation events, decay and trust: decay values at
 * chosen times (0, one half-life = half, two = quarter, exactly; anything
 * else within the documented 1e-6), the trust score formula and its
 * explanation, rating weights growing with the rater's trust and stake,
 * every rejection of the hooks, and events citing their op. (Tests may use
 * long double as the reference; the contract never does.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "econ_testnet.h"
#include "core/query_economy.h"

#define H (180 * DAY)
#define Q32 (UINT64_C(1) << 32)

struct ev {
	const uint8_t *acct;
	int dim;
	int64_t pts;
	const char *why;
};
static int event_fn(struct apply_ctx *ctx, void *ud)
{
	struct ev *e = ud;
	return reputation_event(ctx, e->acct, (enum rep_dim)e->dim, e->pts, e->why);
}

struct rating {
	const uint8_t *rater, *rated;
	int stars;
};
static int rating_fn(struct apply_ctx *ctx, void *ud)
{
	struct rating *r = ud;
	return reputation_rating(ctx, r->rater, r->rated, r->stars, "session rated");
}

static void event(struct store *st, const uint8_t *acct, int dim, int64_t pts, int64_t now,
		  const char *tag)
{
	struct ev e = {acct, dim, pts, "test event"};
	char why[256];
	if (econ_with_ctx(st, acct, now, tag, event_fn, &e, why, sizeof why) != MV_OK)
		fail_msg("event refused: %s", why);
}

struct comps {
	struct rep_component c[REP__COUNT];
	int n;
};
static int comp_cb(void *ud, const struct rep_component *c)
{
	struct comps *k = ud;
	k->c[k->n++] = *c;
	return 0;
}

/* ---- decay -------------------------------------------------------------- */

static void test_decay_values(void **state)
{
	(void)state;
	assert_int_equal(reputation_decay_q32(0, H), Q32);
	assert_int_equal(reputation_decay_q32(H, H), Q32 / 2);
	assert_int_equal(reputation_decay_q32(2 * H, H), Q32 / 4);
	assert_int_equal(reputation_decay_q32(10 * H, H), Q32 >> 10);
	assert_int_equal(reputation_decay_q32(-5, H), Q32);
	assert_int_equal(reputation_decay_q32(DAY, 0), Q32);
	assert_int_equal(reputation_decay_q32(64 * H, H), 0);
	assert_int_equal(reputation_decay_q32(INT64_MAX, H), 0);
	/* half a half-life: 2^-0.5 */
	uint64_t v = reputation_decay_q32(H / 2, H);
	assert_true(v >= 3037000499u && v <= 3037000499u + 3100u);
	/* a sweep over ages (odd steps, several half-lives): relative error
	 * below 1e-6, never more than one Q32 unit under the exact value, and
	 * never increasing with age */
	uint64_t prev = Q32;
	for (int64_t age = 0; age < 5 * H; age += 7777777) {
		uint64_t d = reputation_decay_q32(age, H);
		long double exact = ldexpl(exp2l(-(long double)age / (long double)H), 32);
		if ((long double)d < exact - 1.0L || (long double)d > exact * (1.0L + 1e-6L) + 1.0L)
			fail_msg("age %lld: %llu vs %.3Lf", (long long)age, (unsigned long long)d, exact);
		assert_true(d <= prev);
		prev = d;
	}
	/* other half-lives, including one that is not a whole number of days */
	const int64_t hs[] = {1, 1000, 7 * DAY + 12345, 365 * DAY};
	for (size_t i = 0; i < 4; i++)
		for (int k = 0; k < 200; k++) {
			int64_t age = hs[i] * k / 37;
			long double exact = ldexpl(exp2l(-(long double)age / (long double)hs[i]), 32);
			long double d = (long double)reputation_decay_q32(age, hs[i]);
			assert_true(d >= exact - 1.0L && d <= exact * (1.0L + 1e-6L) + 1.0L);
		}
}

static void test_decayed_points(void **state)
{
	(void)state;
	struct net n;
	struct store *st = econ_start(&n, 1, NULL);
	int64_t t0 = T0 + DAY;
	event(st, n.pk[2], REP_RELIABILITY, 1000, t0, "ev-1");
	event(st, n.pk[2], REP_COMMUNITY, -100, t0, "ev-2");
	int64_t at[] = {t0, t0 + H, t0 + 2 * H};
	int64_t rel[] = {1000000, 500000, 250000}, com[] = {-100000, -50000, -25000};
	for (int i = 0; i < 3; i++) {
		struct comps k = {.n = 0};
		reputation_explain(st, n.pk[2], at[i], comp_cb, &k);
		assert_int_equal(k.n, REP__COUNT);
		assert_int_equal(k.c[REP_RELIABILITY].decayed_milli, rel[i]);
		assert_int_equal(k.c[REP_COMMUNITY].decayed_milli, com[i]);
		assert_int_equal(k.c[REP_RELIABILITY].raw_points, 1000);
		assert_int_equal(k.c[REP_RELIABILITY].events, 1);
	}
	/* events after `now` do not count yet */
	struct comps k = {.n = 0};
	reputation_explain(st, n.pk[2], t0 - 1, comp_cb, &k);
	assert_int_equal(k.c[REP_RELIABILITY].events, 0);
	assert_int_equal(reputation_trust(st, n.pk[2], t0 - 1), 0);
	store_close(st);
	op_free(&n.genesis);
}

/* ---- trust -------------------------------------------------------------- */

static void test_trust_score(void **state)
{
	(void)state;
	struct net n;
	struct store *st = econ_start(&n, 1, NULL);
	int64_t t = T0 + DAY;
	assert_int_equal(reputation_trust(st, n.pk[2], t), 0);
	/* 100 reliability points = score 500 (K = 100); care does not count
	 * until rated: (4000 * 500) / (4000 + 1500 + 1500) = 285 */
	event(st, n.pk[2], REP_RELIABILITY, 100, t, "t-1");
	assert_int_equal(reputation_trust(st, n.pk[2], t), 285);
	event(st, n.pk[2], REP_COMMUNITY, 100, t, "t-2");
	assert_int_equal(reputation_trust(st, n.pk[2], t), 392); /* 2750000 / 7000 */
	/* a negative balance scores 0, never below */
	event(st, n.pk[2], REP_GOVERNANCE, -50, t, "t-3");
	assert_int_equal(reputation_trust(st, n.pk[2], t), 392);
	/* once rated, care counts: 200 care points = 500 (K = 200) */
	event(st, n.pk[2], REP_CARE, 200, t, "t-4");
	assert_int_equal(reputation_trust(st, n.pk[2], t), 425); /* 4250000 / 10000 */
	struct comps k = {.n = 0};
	assert_int_equal(reputation_explain(st, n.pk[2], t, comp_cb, &k), 425);
	int64_t sum = 0;
	for (int d = 0; d < REP__COUNT; d++) {
		assert_true(k.c[d].counted);
		sum += k.c[d].contribution_milli;
	}
	assert_int_equal(k.c[REP_GOVERNANCE].score, 0);
	assert_int_equal(k.c[REP_CARE].score, 500);
	assert_int_equal(k.c[REP_CARE].half_sat, 200);
	assert_int_equal(sum, 425000);
	/* a year later everything has decayed by 2^(-365/180) */
	int trust_later = reputation_trust(st, n.pk[2], t + 365 * DAY);
	assert_true(trust_later > 0 && trust_later < 200);
	/* trust saturates below 1000 however many points */
	for (int i = 0; i < 30; i++) {
		char tag[16];
		snprintf(tag, sizeof tag, "big-%d", i);
		event(st, n.pk[3], i % REP__COUNT, REP_MAX_DELTA, t, tag);
	}
	int top = reputation_trust(st, n.pk[3], t);
	assert_true(top > 980 && top <= 1000);
	store_close(st);
	op_free(&n.genesis);
}

static void test_rating_weight(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	uint8_t stake[32];
	struct store *st = econ_start(&n, 1, NULL);
	int64_t t = T0 + DAY;
	/* a new account counts 10% */
	assert_int_equal(reputation_rating_weight(st, n.pk[2], t), 1000);
	struct rating r = {n.pk[2], n.pk[5], 5};
	assert_int_equal(econ_with_ctx(st, n.pk[2], t, "r-1", rating_fn, &r, why, sizeof why), MV_OK);
	assert_int_equal(sql_int(st, "SELECT delta FROM rep_events WHERE dim = 1"), 5); /* 50 * 10% */
	/* stake grows it: 600 MVT x 2.0 = 1200 weighted, capped at 1000 MVT: +30% */
	assert_int_equal(do_transfer(st, &n, 0, n.pk[3], 1000 * MV_UNIT, t + 1000), 1);
	assert_int_equal(do_stake(st, &n, 3, t + 2000, 600 * MV_UNIT, 365, stake, why, sizeof why), 1);
	assert_int_equal(reputation_rating_weight(st, n.pk[3], t + 2000), 4000);
	/* half the cap: +15% */
	assert_int_equal(do_transfer(st, &n, 0, n.pk[4], 1000 * MV_UNIT, t + 1000), 1);
	assert_int_equal(do_stake(st, &n, 4, t + 2000, 500 * MV_UNIT, 30, NULL, why, sizeof why), 1);
	assert_int_equal(reputation_rating_weight(st, n.pk[4], t + 2000), 2500);
	assert_int_equal(reputation_rating_weight(st, n.pk[4], t + 1999), 1000); /* not yet staked */
	/* and trust grows it: trust 285 adds 285 * 6 = 1710 */
	event(st, n.pk[3], REP_RELIABILITY, 100, t + 3000, "r-2");
	assert_int_equal(reputation_rating_weight(st, n.pk[3], t + 3000), 5710);
	r.rater = n.pk[3];
	r.stars = 5;
	assert_int_equal(econ_with_ctx(st, n.pk[3], t + 4000, "r-3", rating_fn, &r, why, sizeof why),
			 MV_OK);
	assert_int_equal(sql_int(st, "SELECT delta FROM rep_events WHERE dim = 1 ORDER BY time DESC"
				     " LIMIT 1"), 28); /* trunc(50 * 0.571) */
	r.stars = 1;
	assert_int_equal(econ_with_ctx(st, n.pk[3], t + 5000, "r-4", rating_fn, &r, why, sizeof why),
			 MV_OK);
	assert_int_equal(sql_int(st, "SELECT delta FROM rep_events WHERE dim = 1 ORDER BY time DESC"
				     " LIMIT 1"), -28); /* toward zero, symmetric */
	r.stars = 3;
	assert_int_equal(econ_with_ctx(st, n.pk[3], t + 6000, "r-5", rating_fn, &r, why, sizeof why),
			 MV_OK);
	assert_int_equal(sql_int(st, "SELECT delta FROM rep_events WHERE dim = 1 ORDER BY time DESC"
				     " LIMIT 1"), 0);
	/* every rating counted, so care now counts in the rated's trust */
	struct comps k = {.n = 0};
	reputation_explain(st, n.pk[5], t + 6000, comp_cb, &k);
	assert_int_equal(k.c[REP_CARE].events, 4);
	assert_int_equal(k.c[REP_CARE].raw_points, 5);
	assert_true(k.c[REP_CARE].counted);
	store_close(st);
	op_free(&n.genesis);
}

static void test_hook_rejections(void **state)
{
	(void)state;
	struct net n;
	char why[256], long_why[200];
	struct store *st = econ_start(&n, 1, NULL);
	int64_t t = T0 + DAY;
	memset(long_why, 'x', sizeof long_why - 1);
	long_why[sizeof long_why - 1] = '\0';
	struct {
		struct ev e;
		const char *want;
	} bad[] = {
		{{n.pk[2], REP__COUNT, 1, "x"}, "unknown reputation dimension"},
		{{n.pk[2], -1, 1, "x"}, "unknown reputation dimension"},
		{{n.pk[2], REP_CARE, REP_MAX_DELTA + 1, "x"}, "out of range"},
		{{n.pk[2], REP_CARE, -REP_MAX_DELTA - 1, "x"}, "out of range"},
		{{n.pk[2], REP_CARE, 1, ""}, "needs a reason"},
		{{n.pk[2], REP_CARE, 1, NULL}, "needs a reason"},
		{{n.pk[2], REP_CARE, 1, long_why}, "needs a reason"},
		{{n.pk[2], REP_CARE, 1, "bad \x1b[2J escape"}, "needs a reason"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(econ_with_ctx(st, n.pk[2], t, "bad", event_fn, &bad[i].e, why, sizeof why),
				 MV_EREJECT);
		if (!strstr(why, bad[i].want))
			fail_msg("case %zu: '%s' lacks '%s'", i, why, bad[i].want);
	}
	struct rating self = {n.pk[2], n.pk[2], 5}, zero = {n.pk[2], n.pk[3], 0},
		      six = {n.pk[2], n.pk[3], 6};
	assert_int_equal(econ_with_ctx(st, n.pk[2], t, "bad", rating_fn, &self, why, sizeof why),
			 MV_EREJECT);
	assert_non_null(strstr(why, "cannot give reputation to yourself"));
	assert_int_equal(econ_with_ctx(st, n.pk[2], t, "bad", rating_fn, &zero, why, sizeof why),
			 MV_EREJECT);
	assert_non_null(strstr(why, "1 to 5 stars"));
	assert_int_equal(econ_with_ctx(st, n.pk[2], t, "bad", rating_fn, &six, why, sizeof why),
			 MV_EREJECT);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM rep_events"), 0);
	store_close(st);
	op_free(&n.genesis);
}

/* Every event names the op that caused it; several events of one op get
 * consecutive indexes. */
static int two_events(struct apply_ctx *ctx, void *ud)
{
	const uint8_t *const *who = ud;
	int rc = reputation_event(ctx, who[0], REP_RELIABILITY, REP_PTS_ATTENDED, "attended");
	if (rc == MV_OK)
		rc = reputation_event(ctx, who[1], REP_RELIABILITY, REP_PTS_NO_SHOW, "no-show");
	return rc;
}

static void test_events_cite_op(void **state)
{
	(void)state;
	struct net n;
	char why[256];
	struct store *st = econ_start(&n, 1, NULL);
	const uint8_t *who[2] = {n.pk[2], n.pk[3]};
	assert_int_equal(econ_with_ctx(st, n.pk[2], T0 + DAY, "session-42", two_events, (void *)who,
				       why, sizeof why), MV_OK);
	uint8_t id[32];
	op_hash(id, "session-42", 10);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT idx, delta, why, time FROM rep_events"
					    " WHERE op = ? ORDER BY idx", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
	assert_int_equal(sqlite3_column_int(s, 1), REP_PTS_ATTENDED);
	assert_int_equal(sqlite3_column_int64(s, 3), T0 + DAY);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 1);
	assert_int_equal(sqlite3_column_int(s, 1), REP_PTS_NO_SHOW);
	assert_string_equal((const char *)sqlite3_column_text(s, 2), "no-show");
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	assert_string_equal(reputation_dim_name(REP_GOVERNANCE), "governance");
	assert_string_equal(reputation_dim_name(REP__COUNT), "?");
	store_close(st);
	op_free(&n.genesis);
}

/* ---- queries for the UI ------------------------------------------------ */

struct hist {
	int n;
	int64_t delta[8], decayed[8];
};
static int hist_row(void *ud, const struct q_rep_event *r)
{
	struct hist *k = ud;
	k->delta[k->n] = r->delta;
	k->decayed[k->n++] = r->decayed_milli;
	return 0;
}

static void test_queries(void **state)
{
	(void)state;
	struct net n;
	struct mv_err e;
	struct store *st = econ_start(&n, 1, NULL);
	int64_t t = T0 + DAY;
	event(st, n.pk[2], REP_RELIABILITY, 40, t, "q-1");
	event(st, n.pk[2], REP_COMMUNITY, -8, t + H, "q-2");
	struct hist k = {.n = 0};
	assert_int_equal(query_reputation_history(st, n.pk[2], t + 2 * H, 0, hist_row, &k, &e), MV_OK);
	assert_int_equal(k.n, 2);
	assert_int_equal(k.delta[0], -8); /* newest first */
	assert_int_equal(k.decayed[0], -4000);
	assert_int_equal(k.decayed[1], 10000);
	k.n = 0;
	assert_int_equal(query_reputation_history(st, n.pk[2], t + 2 * H, 1, hist_row, &k, &e), MV_OK);
	assert_int_equal(k.n, 1);
	int series[5];
	assert_int_equal(query_reputation_series(st, n.pk[2], t - DAY, t + 4 * H, 5, series, &e), MV_OK);
	assert_int_equal(series[0], 0);
	assert_true(series[1] > series[4]);
	assert_int_equal(query_reputation_series(st, n.pk[2], t, t, 1, series, &e), MV_EINVAL);
	struct comps c = {.n = 0};
	assert_int_equal(query_reputation(st, n.pk[2], t, comp_cb, &c), reputation_trust(st, n.pk[2], t));
	assert_int_equal(c.n, REP__COUNT);
	store_close(st);
	op_free(&n.genesis);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decay_values),
		cmocka_unit_test(test_decayed_points),
		cmocka_unit_test(test_trust_score),
		cmocka_unit_test(test_rating_weight),
		cmocka_unit_test(test_hook_rejections),
		cmocka_unit_test(test_events_cite_op),
		cmocka_unit_test(test_queries),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
