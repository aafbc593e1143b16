/* test_governance.c - the proposal lifecycle and every rejection on it:
 * proposal threshold, vote before start / after end / twice / changed /
 * without power, cancel before and after the start, one live proposal per
 * proposer, execution before the end and before the timelock, twice, after
 * expiry; quorum not met (abstain counts, against does not); thresholds by
 * kind (simple, treasury 10k..100k, constitutional, the strict boundary);
 * early decision by an absolute majority; the snapshot against stake moved
 * and delegations made after a proposal opened; delegation chains and
 * cycles; atomic execution of typed actions (a failing action undoes the
 * others) through param_set, treasury_pay, the council, rewards; action
 * validation at proposal time; governance reputation events; and the same
 * state root when every op is replayed in another order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "gov_testnet.h"
#include "core/query_gov.h"

#define U MV_UNIT

/* Keys 2..5 stake 2000, 3000, 1000 and 500 MVT for 30 days: voting power
 * 6500 MVT in all (no reputation bonus in these tests). */
static void setup(struct gnet *g, const struct kv *extra)
{
	gn_init(g, 1, extra);
	static const int64_t amounts[] = {2000, 3000, 1000, 500};
	for (int i = 0; i < 4; i++) {
		gn_fund(g, 2 + i, amounts[i] * U);
		gn_stake(g, 2 + i, amounts[i] * U, 30);
	}
	gn_wait(g, HOUR);
}

static void test_lifecycle(void **state)
{
	(void)state;
	struct gnet g;
	struct mv_buf a[1];
	uint8_t p[32];
	setup(&g, NULL);
	ga_param(&a[0], "gov_quorum_bp", 500);
	expect_why(&g, gn_propose(&g, 5, "param", "raise quorum", NULL, a, 1),
		   "below the proposal threshold: your voting power 500 MVT, 1000 MVT needed");
	ga_param(&a[0], "gov_quorum_bp", 500);
	assert_int_equal(gn_propose(&g, 2, "param", "raise quorum", NULL, a, 1), 1);
	memcpy(p, g.last, 32);
	struct gov_proposal pr = gn_prop(&g, p);
	assert_int_equal(pr.state, GOV_PENDING);
	assert_int_equal(pr.total_power, 6500 * U);
	assert_int_equal(pr.threshold_bp, 7500);
	assert_int_equal(pr.quorum_bp, 400);
	assert_int_equal(pr.vote_start, pr.created + DAY);
	assert_int_equal(pr.vote_end, pr.created + 8 * DAY);
	expect_why(&g, gn_vote(&g, 3, p, "for"), "voting has not started: it opens at");
	expect_why(&g, gn_prop_op(&g, 3, "gov.cancel", p), "only the proposer may cancel");
	gn_wait(&g, DAY);
	assert_int_equal(gn_prop(&g, p).state, GOV_ACTIVE);
	assert_int_equal(gn_vote(&g, 2, p, "for"), 1);
	assert_int_equal(gn_vote(&g, 4, p, "against"), 1);
	assert_int_equal(gn_vote(&g, 4, p, "for"), 1); /* changed */
	expect_why(&g, gn_vote(&g, 4, p, "for"), "you already voted for");
	assert_int_equal(gn_vote(&g, 5, p, "abstain"), 1);
	expect_why(&g, gn_vote(&g, 6, p, "for"), "no voting power at the proposal's snapshot");
	expect_why(&g, gn_prop_op(&g, 7, "gov.execute", p), "voting has not ended");
	pr = gn_prop(&g, p);
	assert_int_equal(pr.for_power, 3000 * U);
	assert_int_equal(pr.against_power, 0);
	assert_int_equal(pr.abstain_power, 500 * U);
	assert_int_equal(pr.voters, 3);
	assert_int_equal(sql_int(g.st, "SELECT changes FROM gov_votes WHERE power = 100000000000"), 1);
	g.t = pr.vote_end;
	expect_why(&g, gn_vote(&g, 3, p, "against"), "voting ended at");
	pr = gn_prop(&g, p);
	assert_int_equal(pr.state, GOV_QUEUED);
	assert_true(pr.succeeded);
	assert_int_equal(pr.eta, pr.vote_end + 2 * DAY);
	expect_why(&g, gn_prop_op(&g, 7, "gov.execute", p), "timelock: executable from");
	assert_int_equal(param_get(g.st, "gov_quorum_bp", 0), 400);
	g.t = pr.eta;
	assert_int_equal(gn_prop_op(&g, 7, "gov.execute", p), 1); /* anyone executes */
	assert_int_equal(param_get(g.st, "gov_quorum_bp", 0), 500);
	assert_int_equal(gn_prop(&g, p).state, GOV_EXECUTED);
	expect_why(&g, gn_prop_op(&g, 7, "gov.execute", p), "proposal already executed");
	/* one governance reputation event per voter, none for a changed vote */
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM rep_events WHERE dim = 3"), 3);
	gn_replay_check(&g);
	gn_free(&g);
}

static void test_cancel_and_one_live(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t a[32], b[32];
	setup(&g, NULL);
	assert_int_equal(gn_propose(&g, 2, "text", "a", NULL, NULL, 0), 1);
	memcpy(a, g.last, 32);
	expect_why(&g, gn_propose(&g, 2, "text", "b", NULL, NULL, 0), "you already have a live proposal");
	expect_why(&g, gn_prop_op(&g, 3, "gov.cancel", a), "only the proposer may cancel");
	assert_int_equal(gn_prop_op(&g, 2, "gov.cancel", a), 1);
	assert_int_equal(gn_prop(&g, a).state, GOV_CANCELED);
	expect_why(&g, gn_prop_op(&g, 2, "gov.cancel", a), "only before voting starts (it is canceled)");
	gn_wait(&g, DAY);
	expect_why(&g, gn_vote(&g, 3, a, "for"), "proposal canceled");
	assert_int_equal(gn_propose(&g, 2, "text", "b", NULL, NULL, 0), 1);
	memcpy(b, g.last, 32);
	gn_wait(&g, DAY);
	expect_why(&g, gn_prop_op(&g, 2, "gov.cancel", b), "only before voting starts (it is active)");
	/* the live period ends with the vote: then the proposer may propose again */
	g.t = gn_prop(&g, b).vote_end;
	assert_int_equal(gn_prop(&g, b).state, GOV_DEFEATED); /* nobody voted */
	expect_why(&g, gn_prop_op(&g, 2, "gov.execute", b), "proposal defeated: quorum not met");
	assert_int_equal(gn_propose(&g, 2, "text", "c", NULL, NULL, 0), 1);
	gn_free(&g);
}

static void test_quorum(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t a[32], b[32];
	const struct kv q40[] = {{"gov_quorum_bp", 4000}, {NULL, 0}}; /* 2600 MVT of 6500 */
	setup(&g, q40);
	assert_int_equal(gn_propose(&g, 2, "text", "under quorum", NULL, NULL, 0), 1);
	memcpy(a, g.last, 32);
	assert_int_equal(gn_propose(&g, 3, "text", "abstain counts", NULL, NULL, 0), 1);
	memcpy(b, g.last, 32);
	gn_wait(&g, DAY);
	/* a: for 2000 + against 3000 does not reach 2600 of for + abstain */
	assert_int_equal(gn_vote(&g, 2, a, "for"), 1);
	assert_int_equal(gn_vote(&g, 5, a, "against"), 1);
	/* b: abstain 3000 reaches quorum; for 2000 > against 1000 */
	assert_int_equal(gn_vote(&g, 3, b, "abstain"), 1);
	assert_int_equal(gn_vote(&g, 2, b, "for"), 1);
	assert_int_equal(gn_vote(&g, 4, b, "against"), 1);
	g.t = gn_prop(&g, b).vote_end;
	struct gov_proposal pa = gn_prop(&g, a), pb = gn_prop(&g, b);
	assert_int_equal(pa.state, GOV_DEFEATED);
	assert_false(pa.quorum_reached);
	assert_non_null(strstr(pa.why, "quorum not met: for + abstain 200000000000 of 260000000000"));
	expect_why(&g, gn_prop_op(&g, 2, "gov.execute", a), "quorum not met");
	assert_int_equal(pb.state, GOV_QUEUED);
	assert_true(pb.quorum_reached);
	gn_free(&g);
}

/* A finished vote on a proposal of kind with the given actions, for and
 * against given by voters; returns the proposal at its end. */
static struct gov_proposal decide(struct gnet *g, int proposer, const char *kind,
				  struct mv_buf *acts, size_t n, const int *yes, const int *no)
{
	uint8_t p[32];
	if (gn_propose(g, proposer, kind, "vote", NULL, acts, n) != 1)
		fail_msg("propose %s: %s", kind, g->why);
	memcpy(p, g->last, 32);
	gn_wait(g, DAY);
	/* votes stop counting once the outcome is certain (decided early) */
	for (; yes && *yes && gn_prop(g, p).state == GOV_ACTIVE; yes++)
		assert_int_equal(gn_vote(g, *yes, p, "for"), 1);
	for (; no && *no && gn_prop(g, p).state == GOV_ACTIVE; no++)
		assert_int_equal(gn_vote(g, *no, p, "against"), 1);
	struct gov_proposal pr = gn_prop(g, p);
	if (!pr.decided_at)
		g->t = pr.vote_end;
	return gn_prop(g, p);
}

static void test_thresholds_by_kind(void **state)
{
	(void)state;
	struct gnet g;
	struct mv_buf a[1];
	setup(&g, NULL);
	const int k3[] = {3, 0}, k2[] = {2, 0}, k4[] = {4, 0}, k2k4[] = {2, 4, 0};
	/* treasury 15000 MVT: 66% needed; 3000 : 2000 (60%) fails */
	ga_pay(&a[0], "treasury.pay", g.n.pk[9], 15000 * U, "clinic");
	struct gov_proposal r = decide(&g, 2, "treasury", a, 1, k3, k2);
	assert_int_equal(r.threshold_bp, 6600);
	assert_int_equal(r.state, GOV_DEFEATED);
	assert_non_null(strstr(r.why, "below the threshold"));
	/* 3000 : 1000 (75%) passes */
	ga_pay(&a[0], "treasury.pay", g.n.pk[9], 15000 * U, "clinic");
	r = decide(&g, 2, "treasury", a, 1, k3, k4);
	assert_int_equal(r.state, GOV_QUEUED);
	/* constitutional: exactly 75% is not more than 75% */
	ga_param(&a[0], "gov_timelock", DAY);
	r = decide(&g, 3, "param", a, 1, k3, k4);
	assert_int_equal(r.threshold_bp, 7500);
	assert_int_equal(r.state, GOV_DEFEATED);
	/* a small spend is a simple majority: 3000 : 3000 fails, 3000 : 2000 passes */
	ga_pay(&a[0], "treasury.pay", g.n.pk[9], 5000 * U, "books");
	r = decide(&g, 2, "treasury", a, 1, k3, k2k4);
	assert_int_equal(r.threshold_bp, 5000);
	assert_int_equal(r.state, GOV_DEFEATED);
	ga_pay(&a[0], "treasury.pay", g.n.pk[9], 5000 * U, "books");
	r = decide(&g, 2, "treasury", a, 1, k3, k2);
	assert_int_equal(r.state, GOV_QUEUED);
	/* above gov_treasury_large: constitutional */
	ga_pay(&a[0], "treasury.pay", g.n.pk[9], 150000 * U, "hospital");
	r = decide(&g, 2, "treasury", a, 1, NULL, NULL);
	assert_int_equal(r.threshold_bp, 7500);
	gn_free(&g);
}

static void test_early_decision(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t p[32], q[32];
	setup(&g, NULL);
	assert_int_equal(gn_propose(&g, 2, "text", "majority", NULL, NULL, 0), 1);
	memcpy(p, g.last, 32);
	gn_wait(&g, DAY);
	assert_int_equal(gn_vote(&g, 3, p, "for"), 1);
	assert_int_equal(gn_prop(&g, p).state, GOV_ACTIVE); /* 3000 of 6500 */
	assert_int_equal(gn_vote(&g, 4, p, "for"), 1);   /* 4000: an absolute majority */
	struct gov_proposal pr = gn_prop(&g, p);
	assert_int_equal(pr.state, GOV_QUEUED);
	assert_true(pr.decided_at > 0);
	assert_int_equal(pr.eta, pr.decided_at + 2 * DAY);
	expect_why(&g, gn_vote(&g, 2, p, "against"), "voting closed: decided early");
	expect_why(&g, gn_vote(&g, 3, p, "against"), "voting closed: decided early");
	/* early defeat: a constitutional proposal with a quarter against */
	struct mv_buf a[1];
	ga_param(&a[0], "gov_timelock", DAY);
	assert_int_equal(gn_propose(&g, 3, "param", "shorter", NULL, a, 1), 1);
	memcpy(q, g.last, 32);
	gn_wait(&g, DAY);
	assert_int_equal(gn_vote(&g, 2, q, "against"), 1); /* 2000 >= 25% of 6500 */
	pr = gn_prop(&g, q);
	assert_int_equal(pr.state, GOV_DEFEATED);
	assert_non_null(strstr(pr.why, "decided early"));
	gn_free(&g);
}

static void test_snapshot_moved_stake(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t p[32], stake[32];
	setup(&g, NULL);
	gn_fund(&g, 7, 3000 * U);
	gn_stake(&g, 7, 3000 * U, 30);
	memcpy(stake, g.last, 32);
	gn_wait(&g, 31 * DAY);
	assert_int_equal(gn_propose(&g, 2, "text", "snapshot", NULL, NULL, 0), 1);
	memcpy(p, g.last, 32);
	assert_int_equal(gn_prop(&g, p).total_power, 9500 * U);
	/* after the proposal: 7 unstakes, gives the tokens to 8, who stakes them */
	struct body_builder *bb = b_new();
	bb_id(bb, "stake", stake);
	GN_OK(&g, 7, "staking.unstake", bb);
	bb = b_new();
	bb_id(bb, "to", g.n.pk[8]);
	bb_int(bb, "amount", 3000 * U);
	GN_OK(&g, 7, "ledger.transfer", bb);
	gn_stake(&g, 8, 3000 * U, 30);
	/* and 4 delegates to 2 after the snapshot: it does not count here */
	bb = b_new();
	bb_id(bb, "to", g.n.pk[2]);
	GN_OK(&g, 4, "gov.delegate", bb);
	gn_wait(&g, DAY);
	expect_why(&g, gn_vote(&g, 8, p, "for"), "no voting power at the proposal's snapshot");
	assert_int_equal(gn_vote(&g, 4, p, "against"), 1);
	assert_int_equal(gn_vote(&g, 7, p, "for"), 1); /* its stake was open at the snapshot */
	assert_int_equal(gn_vote(&g, 2, p, "for"), 1);
	struct gov_proposal pr = gn_prop(&g, p);
	assert_int_equal(pr.for_power, 5000 * U);     /* 3000 once, 2000 without 4's */
	assert_int_equal(pr.against_power, 1000 * U); /* 4 still votes its own here */
	/* a later proposal sees the new stake and the delegation */
	gn_wait(&g, 7 * DAY);
	assert_int_equal(gn_propose(&g, 2, "text", "later", NULL, NULL, 0), 1);
	memcpy(p, g.last, 32);
	gn_wait(&g, DAY);
	expect_why(&g, gn_vote(&g, 4, p, "for"), "delegated to");
	assert_int_equal(gn_vote(&g, 8, p, "for"), 1);
	assert_int_equal(gn_vote(&g, 2, p, "against"), 1);
	pr = gn_prop(&g, p);
	assert_int_equal(pr.total_power, 9500 * U);
	assert_int_equal(pr.for_power, 3000 * U);
	assert_int_equal(pr.against_power, 3000 * U);
	gn_replay_check(&g);
	gn_free(&g);
}

static int delegate(struct gnet *g, int from, int to)
{
	struct body_builder *bb = b_new();
	bb_id(bb, "to", g->n.pk[to]);
	return gn_do(g, from, "gov.delegate", bb);
}

static void test_delegation(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t p[32];
	setup(&g, NULL);
	expect_why(&g, delegate(&g, 2, 2), "cannot delegate to yourself");
	assert_int_equal(delegate(&g, 2, 3), 1);
	expect_why(&g, delegate(&g, 3, 2), "delegation cycle: ");
	assert_int_equal(delegate(&g, 4, 2), 1); /* 4 -> 2 -> 3 */
	expect_why(&g, delegate(&g, 3, 4), "already delegates to you (through others)");
	expect_why(&g, delegate(&g, 2, 3), "you already delegate to that account");
	gn_wait(&g, HOUR);
	/* 3 votes with its own 3000 and the 2000 + 1000 delegated along the chain */
	assert_int_equal(gn_propose(&g, 3, "text", "chain", NULL, NULL, 0), 1);
	memcpy(p, g.last, 32);
	gn_wait(&g, DAY);
	expect_why(&g, gn_vote(&g, 2, p, "for"), "delegated to");
	expect_why(&g, gn_vote(&g, 4, p, "for"), "delegated to");
	assert_int_equal(gn_vote(&g, 5, p, "against"), 1);
	assert_int_equal(gn_vote(&g, 3, p, "for"), 1);
	struct gov_proposal pr = gn_prop(&g, p);
	assert_int_equal(pr.for_power, 6000 * U);
	assert_int_equal(pr.state, GOV_QUEUED); /* 6000 of 6500: decided early */
	/* undelegate */
	assert_int_equal(gn_do(&g, 4, "gov.undelegate", b_new()), 1);
	expect_why(&g, gn_do(&g, 4, "gov.undelegate", b_new()), "you are not delegating");
	gn_wait(&g, HOUR);
	uint8_t again[32];
	g.t = pr.vote_end + 1000;
	assert_int_equal(gn_propose(&g, 3, "text", "after", NULL, NULL, 0), 1);
	memcpy(again, g.last, 32);
	gn_wait(&g, DAY);
	assert_int_equal(gn_vote(&g, 4, again, "against"), 1);
	assert_int_equal(gn_vote(&g, 3, again, "for"), 1);
	pr = gn_prop(&g, again);
	assert_int_equal(pr.for_power, 5000 * U);
	assert_int_equal(pr.against_power, 1000 * U);
	gn_free(&g);
}

/* Propose (as proposer), have 2, 3 and 4 vote for, wait for the timelock. */
static void pass(struct gnet *g, int proposer, const char *kind, struct mv_buf *a, size_t n,
		 uint8_t id[32])
{
	const int yes[] = {2, 3, 4, 0};
	struct gov_proposal pr = decide(g, proposer, kind, a, n, yes, NULL);
	if (pr.state != GOV_QUEUED)
		fail_msg("%s proposal not queued: %s", kind, pr.why);
	memcpy(id, pr.id, 32);
	g->t = pr.eta;
}

static void test_execute_actions(void **state)
{
	(void)state;
	struct gnet g;
	struct mv_buf a[3];
	uint8_t p[32], treasury[32];
	setup(&g, NULL);
	sys_acct(treasury, SYS_TREASURY);
	int64_t tbal = bal(g.st, treasury);
	/* a failing second action undoes the first */
	ga_pay(&a[0], "treasury.pay", g.n.pk[6], 5000 * U, "grant");
	ga_pay(&a[1], "treasury.pay", g.n.pk[7], 400000 * U, "too much");
	pass(&g, 2, "treasury", a, 2, p);
	expect_why(&g, gn_prop_op(&g, 9, "gov.execute", p),
		   "action 2 (treasury.pay) failed: insufficient funds");
	assert_int_equal(bal(g.st, g.n.pk[6]), 0);
	assert_int_equal(bal(g.st, treasury), tbal);
	assert_int_equal(gn_prop(&g, p).state, GOV_QUEUED); /* may be retried until it expires */
	/* council: lower the threshold first, seat 6, unseat 1 */
	ga_int(&a[0], "council.threshold", "threshold", 2);
	ga_member(&a[1], "council.add", g.n.pk[6]);
	ga_member(&a[2], "council.remove", g.n.pk[1]);
	pass(&g, 3, "council", a, 3, p);
	assert_int_equal(gn_prop_op(&g, 9, "gov.execute", p), 1);
	assert_true(council_is_member(g.st, g.n.pk[6]));
	assert_false(council_is_member(g.st, g.n.pk[1]));
	assert_int_equal(council_size(g.st), 2);
	assert_int_equal(param_get(g.st, "council_threshold", 0), 2);
	/* unseating below the threshold fails with the reason */
	ga_member(&a[0], "council.remove", g.n.pk[0]);
	pass(&g, 2, "council", a, 1, p);
	expect_why(&g, gn_prop_op(&g, 9, "gov.execute", p), "below its threshold 2");
	/* community rewards from the pool */
	struct body_builder *bb = b_new();
	struct mv_buf r[1];
	bb_str(bb, "type", "rewards.distribute");
	bb_str(bb, "period", "2026-Q1");
	bb_list_begin(bb, "accounts");
	bb_list_id(bb, g.n.pk[10]);
	bb_list_id(bb, g.n.pk[11]);
	bb_list_end(bb);
	bb_list_begin(bb, "amounts");
	bb_list_int(bb, 10 * U);
	bb_list_int(bb, 20 * U);
	bb_list_end(bb);
	ga_build(bb, &r[0]);
	pass(&g, 3, "rewards", r, 1, p);
	assert_int_equal(gn_prop_op(&g, 9, "gov.execute", p), 1);
	assert_int_equal(bal(g.st, g.n.pk[10]), 10 * U);
	assert_int_equal(bal(g.st, g.n.pk[11]), 20 * U);
	/* a passed spend executes once */
	ga_pay(&a[0], "treasury.pay", g.n.pk[6], 5000 * U, "grant");
	pass(&g, 2, "treasury", a, 1, p);
	assert_int_equal(gn_prop_op(&g, 9, "gov.execute", p), 1);
	assert_int_equal(bal(g.st, g.n.pk[6]), 5000 * U);
	assert_int_equal(bal(g.st, treasury), tbal - 5000 * U);
	expect_why(&g, gn_prop_op(&g, 9, "gov.execute", p), "already executed");
	/* expiry: succeeded but not executed within the grace period */
	ga_param(&a[0], "gov_timelock", DAY);
	pass(&g, 3, "param", a, 1, p);
	struct gov_proposal pr = gn_prop(&g, p);
	g.t = pr.expires;
	assert_int_equal(gn_prop(&g, p).state, GOV_EXPIRED);
	expect_why(&g, gn_prop_op(&g, 9, "gov.execute", p), "proposal expired at");
	econ_invariants(g.st, g.t);
	gn_replay_check(&g);
	gn_free(&g);
}

static void test_action_validation(void **state)
{
	(void)state;
	struct gnet g;
	struct mv_buf a[11];
	setup(&g, NULL);
	ga_param(&a[0], "protocol_version", 2);
	expect_why(&g, gn_propose(&g, 2, "param", "x", NULL, a, 1),
		   "action 1 (param.set): parameter protocol_version cannot be changed by param.set");
	ga_param(&a[0], "no_such_param", 2);
	expect_why(&g, gn_propose(&g, 2, "param", "x", NULL, a, 1), "unknown parameter no_such_param");
	ga_param(&a[0], "gov_quorum_bp", 20000);
	expect_why(&g, gn_propose(&g, 2, "param", "x", NULL, a, 1), "must be within 1..10000");
	ga_pay(&a[0], "treasury.pay", g.n.pk[6], U, "x");
	expect_why(&g, gn_propose(&g, 2, "council", "x", NULL, a, 1),
		   "action 1: treasury.pay does not belong in a council proposal");
	ga_pay(&a[0], "treasury.pay", g.n.pk[6], U, "x");
	expect_why(&g, gn_propose(&g, 2, "text", "x", NULL, a, 1), "a text proposal has no actions");
	expect_why(&g, gn_propose(&g, 2, "param", "x", NULL, NULL, 0), "needs at least one action");
	for (int i = 0; i < 11; i++)
		ga_param(&a[i], "gov_quorum_bp", 500);
	expect_why(&g, gn_propose(&g, 2, "param", "x", NULL, a, 11), "too many actions (11; at most 10)");
	struct body_builder *bb = b_new();
	bb_str(bb, "type", "bogus.do");
	ga_build(bb, &a[0]);
	expect_why(&g, gn_propose(&g, 2, "param", "x", NULL, a, 1), "unknown action type bogus.do");
	bb = b_new();
	bb_str(bb, "type", "param.set");
	bb_str(bb, "name", "gov_quorum_bp");
	ga_build(bb, &a[0]);
	expect_why(&g, gn_propose(&g, 2, "param", "x", NULL, a, 1), "missing field value");
	ga_member(&a[0], "council.add", g.n.pk[0]);
	expect_why(&g, gn_propose(&g, 2, "council", "x", NULL, a, 1), "already a council member");
	ga_upgrade(&a[0], 1, 0);
	expect_why(&g, gn_propose(&g, 2, "upgrade", "x", NULL, a, 1), "out of range");
	expect_why(&g, gn_propose(&g, 2, "text", "x", g.n.pk[0], NULL, 0),
		   "only group proposals name a group");
	expect_why(&g, gn_propose(&g, 2, "group", "x", NULL, NULL, 0), "a group proposal names its group");
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM gov_proposals"), 0);
	/* descriptions of actions, for the UI */
	char d[160];
	ga_pay(&a[0], "treasury.pay", g.n.pk[6], 15000 * U, "clinic");
	gov_action_describe(a[0].data, a[0].len, d, sizeof d);
	assert_non_null(strstr(d, "pay 15000 MVT from the treasury to "));
	mv_buf_free(&a[0]);
	gn_free(&g);
}

static int keep_prop(void *ud, const struct q_proposal *q)
{
	int *n = ud;
	(*n)++;
	return 0;
}

static int keep_action(void *ud, const struct q_action *a)
{
	snprintf(ud, 256, "%s", a->text);
	return 0;
}

static int keep_vote(void *ud, const struct q_vote *v)
{
	*(struct q_vote *)ud = *v;
	return 1; /* the largest */
}

static void test_queries(void **state)
{
	(void)state;
	struct gnet g;
	struct mv_buf a[1];
	uint8_t p[32];
	struct q_proposal q;
	struct mv_err e;
	setup(&g, NULL);
	ga_pay(&a[0], "treasury.pay", g.n.pk[9], 15000 * U, "clinic");
	assert_int_equal(gn_propose(&g, 2, "treasury", "clinic grant", NULL, a, 1), 1);
	memcpy(p, g.last, 32);
	assert_int_equal(query_proposal(g.st, p, g.t, g.n.pk[3], &q, &e), MV_OK);
	assert_int_equal(q.p.state, GOV_PENDING);
	assert_string_equal(q.next_what, "voting opens");
	assert_int_equal(q.next_time, q.p.vote_start);
	assert_int_equal(q.my_power, 3000 * U);
	assert_int_equal(q.quorum_power, 260 * U);
	gn_wait(&g, DAY);
	assert_int_equal(gn_vote(&g, 3, p, "for"), 1);
	assert_int_equal(gn_vote(&g, 4, p, "against"), 1);
	assert_int_equal(query_proposal(g.st, p, g.t, g.n.pk[3], &q, &e), MV_OK);
	assert_int_equal(q.p.state, GOV_ACTIVE);
	assert_string_equal(q.next_what, "voting ends");
	assert_string_equal(q.my_vote, "for");
	assert_int_equal(q.for_bp, 7500);
	assert_int_equal(q.turnout_bp, 6153); /* 4000 of 6500 */
	char text[256];
	assert_int_equal(query_proposal_actions(g.st, p, keep_action, text, &e), MV_OK);
	assert_non_null(strstr(text, "pay 15000 MVT from the treasury"));
	struct q_vote v;
	assert_int_equal(query_proposal_votes(g.st, p, keep_vote, &v, &e), MV_OK);
	assert_memory_equal(v.voter, g.n.pk[3], 32);
	assert_int_equal(v.power, 3000 * U);
	/* the delegate's 5 cannot vote and says why */
	struct body_builder *bb = b_new();
	bb_id(bb, "to", g.n.pk[3]);
	GN_OK(&g, 5, "gov.delegate", bb);
	struct q_delegation d;
	assert_int_equal(query_delegation(g.st, g.n.pk[3], g.t, &d, &e), MV_OK);
	assert_false(d.delegating);
	assert_int_equal(d.delegators, 1);
	assert_int_equal(d.vote_power, 3500 * U);
	assert_int_equal(query_delegation(g.st, g.n.pk[5], g.t, &d, &e), MV_OK);
	assert_true(d.delegating);
	assert_memory_equal(d.final, g.n.pk[3], 32);
	assert_int_equal(d.vote_power, 0);
	int n = 0;
	assert_int_equal(query_proposals(g.st, g.t, NULL, QP_LIVE, NULL, keep_prop, &n, &e), MV_OK);
	assert_int_equal(n, 1);
	g.t = q.p.vote_end;
	n = 0;
	assert_int_equal(query_proposals(g.st, g.t, NULL, QP_LIVE, NULL, keep_prop, &n, &e), MV_OK);
	assert_int_equal(n, 0);
	assert_int_equal(query_proposal(g.st, p, g.t, NULL, &q, &e), MV_OK);
	assert_int_equal(q.p.state, GOV_QUEUED); /* 3000 : 1000 = 75% > 66% */
	assert_string_equal(q.next_what, "executable");
	assert_int_equal(q.next_time, q.p.eta);
	/* resolving by a prefix */
	char hex[65];
	uint8_t found[32];
	mv_hex(hex, p, 32);
	hex[10] = '\0';
	assert_int_equal(query_proposal_resolve(g.st, hex, found, &e), MV_OK);
	assert_memory_equal(found, p, 32);
	struct upgrade_status us;
	query_upgrade_status(g.st, &us);
	assert_false(us.required);
	gn_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_cancel_and_one_live),
		cmocka_unit_test(test_quorum),
		cmocka_unit_test(test_thresholds_by_kind),
		cmocka_unit_test(test_early_decision),
		cmocka_unit_test(test_snapshot_moved_stake),
		cmocka_unit_test(test_delegation),
		cmocka_unit_test(test_execute_actions),
		cmocka_unit_test(test_action_validation),
		cmocka_unit_test(test_queries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
