/* test_home_gov.c - writing proposals on a real home (core/home_gov.h):
 * typed actions encoded from "TYPE FIELD=VALUE ..." (double quotes around
 * a value with spaces, \" inside) and from field lists, with every refusal
 * before signing (unknown type or field, a field twice, a missing field, an
 * open quote, a bad amount, an unknown account, a parameter governance may
 * not set or a value out of its bounds); the proposal checks (title, kind,
 * group iff kind group, text without actions, at least one otherwise, at
 * most gov_max_actions, every action of the proposal's kind) that leave the
 * log untouched; a two-action proposal applied with its actions in order;
 * the contract's own refusal (one live proposal) coming back as a rejected
 * outcome; gov_param_settable and gov_kind_threshold_bp. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/gov.h"
#include "core/home_gov.h"
#include "core/query.h"
#include "core/query_gov.h"

struct fixture {
	char dir[64];
	struct home *h;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct mv_err e;
	struct submit_result res;
	uint8_t pk[32];
	assert_non_null(fx);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/mv_test_home_gov_XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	setenv("MENTALVERSE_PASSPHRASE", "", 1);
	assert_int_equal(home_open(&fx->h, fx->dir, true, &e), MV_OK);
	if (home_init(fx->h, "t", NULL, &e) != MV_OK)
		fail_msg("init: %s", e.msg);
	assert_int_equal(home_keygen(fx->h, "ana", pk, &e), MV_OK);
	char *stake[] = {"amount=2000", "period=30"};
	if (home_submit_fields(fx->h, "founder", "staking.stake", 2, stake, &res, &e) != MV_OK ||
	    res.outcome != 1)
		fail_msg("stake: %s %s", e.msg, res.reason);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];
	home_close(fx->h);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* The string field key of an encoded action into out. */
static void field_str(const struct mv_buf *a, const char *key, char *out, size_t n)
{
	struct body *b = calloc(1, sizeof *b);
	assert_non_null(b);
	assert_int_equal(body_decode(b, a->data, a->len, NULL), MV_OK);
	assert_int_equal(body_str(b, key, out, n, NULL), MV_OK);
	body_free(b);
	free(b);
}

/* parse must fail with a message containing want and leave out empty. */
static void parse_fails(struct home *h, const char *spec, const char *want)
{
	struct mv_buf a = {(uint8_t *)1, 1, 1};
	struct mv_err e;
	mv_err_clear(&e);
	assert_int_not_equal(home_gov_action_parse(h, spec, &a, &e), MV_OK);
	if (!strstr(e.msg, want))
		fail_msg("'%s': got '%s', want '%s'", spec, e.msg, want);
	assert_null(a.data);
	assert_int_equal(a.len, 0);
}

static void test_action_parse(void **state)
{
	struct fixture *fx = *state;
	struct home *h = fx->h;
	struct mv_buf a;
	struct mv_err e;
	char s[200], type[40];
	assert_int_equal(home_gov_action_parse(h, "treasury.pay to=ana amount=12.5 "
					       "purpose=\"clinic grant\"", &a, &e), MV_OK);
	field_str(&a, "purpose", s, sizeof s);
	assert_string_equal(s, "clinic grant");
	home_gov_action_type(&a, type, sizeof type);
	assert_string_equal(type, "treasury.pay");
	gov_action_describe(a.data, a.len, s, sizeof s);
	assert_non_null(strstr(s, "pay 12.5 MVT from the treasury"));
	mv_buf_free(&a);
	assert_int_equal(home_gov_action_parse(h, "  treasury.pay   purpose=say\\\"hi\\\"  to=ana "
					       "amount=1 ", &a, &e), MV_OK);
	field_str(&a, "purpose", s, sizeof s);
	assert_string_equal(s, "say\"hi\"");
	mv_buf_free(&a);
	const char *names[] = {"name", "value"}, *values[] = {"gov_quorum_bp", "500"};
	assert_int_equal(home_gov_action_encode(h, "param.set", 2, names, values, &a, &e), MV_OK);
	gov_action_describe(a.data, a.len, s, sizeof s);
	assert_string_equal(s, "set parameter gov_quorum_bp to 500");
	mv_buf_free(&a);

	parse_fails(h, "", "an empty action");
	parse_fails(h, "param.frob name=x", "unknown action type 'param.frob'");
	parse_fails(h, "param.set name=gov_quorum_bp", "needs field value");
	parse_fails(h, "param.set name=gov_quorum_bp value=5 colour=red", "has no field 'colour'");
	parse_fails(h, "param.set type=x name=gov_quorum_bp value=5", "has no field 'type'");
	parse_fails(h, "param.set name=gov_quorum_bp value=5 value=6", "field 'value' given twice");
	parse_fails(h, "param.set name=gov_quorum_bp 5", "is not FIELD=VALUE");
	parse_fails(h, "param.set name=\"gov_quorum_bp value=5", "double quote is not closed");
	parse_fails(h, "param.set name=gov_quorum_bp value=lots", "'lots' is not an integer");
	parse_fails(h, "param.set name=gov_quorum_bp value=20000", "must be within 1..10000");
	parse_fails(h, "param.set name=mvt_supply value=5", "cannot be changed by param.set");
	parse_fails(h, "param.set name=no_such_param value=5", "unknown parameter no_such_param");
	parse_fails(h, "treasury.pay to=nobody amount=1 purpose=x", "unknown account 'nobody'");
	parse_fails(h, "treasury.pay to=ana amount=1.123456789 purpose=x", "too many decimals");
	parse_fails(h, "group.moderator member=ana moderator=maybe", "say yes or no");
	parse_fails(h, "council.threshold threshold=0", "threshold");
}

static void test_propose_checks(void **state)
{
	struct fixture *fx = *state;
	struct home *h = fx->h;
	struct mv_buf acts[12];
	struct mv_err e;
	struct submit_result res;
	uint8_t grp[32] = {1};
	size_t before = query_log_count(h->st);
	for (int i = 0; i < 11; i++) {
		char spec[80];
		snprintf(spec, sizeof spec, "param.set name=gov_quorum_bp value=%d", 100 + i);
		assert_int_equal(home_gov_action_parse(h, spec, &acts[i], &e), MV_OK);
	}
	assert_int_equal(home_gov_action_parse(h, "treasury.pay to=ana amount=1 purpose=x",
					       &acts[11], &e), MV_OK);
	const struct {
		struct home_proposal p;
		const char *want;
	} bad[] = {
		{{"param", "", NULL, NULL, NULL, 1}, "needs a title"},
		{{"param", "   ", NULL, NULL, NULL, 1}, "needs a title"},
		{{"law", "t", NULL, NULL, NULL, 0}, "unknown proposal kind 'law'"},
		{{"group", "t", NULL, NULL, NULL, 1}, "a group proposal names its group"},
		{{"param", "t", NULL, grp, NULL, 1}, "only group proposals"},
		{{"text", "t", NULL, NULL, NULL, 1}, "a text proposal has no actions"},
		{{"param", "t", NULL, NULL, NULL, 0}, "needs at least one action"},
		{{"param", "t", NULL, NULL, NULL, 11}, "too many actions: 11 given, at most 10"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct home_proposal p = bad[i].p;
		p.actions = acts;
		mv_err_clear(&e);
		assert_int_equal(home_gov_propose(h, "founder", &p, &res, &e), MV_EINVAL);
		if (!strstr(e.msg, bad[i].want))
			fail_msg("case %zu: got '%s', want '%s'", i, e.msg, bad[i].want);
	}
	struct mv_buf mixed[2] = {acts[0], acts[11]};
	struct home_proposal p = {"param", "t", NULL, NULL, mixed, 2};
	assert_int_equal(home_gov_propose(h, "founder", &p, &res, &e), MV_EINVAL);
	assert_non_null(strstr(e.msg, "action 2: treasury.pay does not belong in a param proposal"));
	assert_int_equal(query_log_count(h->st), before); /* nothing was signed */
	for (int i = 0; i < 12; i++)
		mv_buf_free(&acts[i]);
}

static int keep_action(void *ud, const struct q_action *a)
{
	char (*texts)[320] = ud;
	if (a->idx >= 0 && a->idx < 4)
		snprintf(texts[a->idx], 320, "%s %s", a->type, a->text);
	return 0;
}

static void test_propose(void **state)
{
	struct fixture *fx = *state;
	struct home *h = fx->h;
	struct mv_buf acts[2];
	struct mv_err e;
	struct submit_result res;
	assert_int_equal(home_gov_action_parse(h, "param.set name=gov_quorum_bp value=500", &acts[0],
					       &e), MV_OK);
	assert_int_equal(home_gov_action_parse(h, "param.set name=gov_voting_period value=864000000",
					       &acts[1], &e), MV_OK);
	struct home_proposal p = {"param", "Quorum and period", "two changes", NULL, acts, 2};
	if (home_gov_propose(h, "founder", &p, &res, &e) != MV_OK || res.outcome != 1)
		fail_msg("propose: %s %s", e.msg, res.reason);
	struct q_proposal q;
	char texts[4][320] = {{0}};
	assert_int_equal(query_proposal(h->st, res.id, mv_now_ms(), NULL, &q, &e), MV_OK);
	assert_string_equal(q.p.kind, "param");
	assert_string_equal(q.description, "two changes");
	assert_int_equal(q.p.state, GOV_PENDING);
	assert_int_equal(q.p.nactions, 2);
	assert_int_equal(query_proposal_actions(h->st, res.id, keep_action, texts, &e), MV_OK);
	assert_string_equal(texts[0], "param.set set parameter gov_quorum_bp to 500");
	assert_string_equal(texts[1], "param.set set parameter gov_voting_period to 864000000");
	/* the contract's own rule comes back as a rejection, not an error */
	p.title = "Again";
	assert_int_equal(home_gov_propose(h, "founder", &p, &res, &e), MV_OK);
	assert_int_equal(res.outcome, 0);
	assert_non_null(strstr(res.reason, "you already have a live proposal on the platform"));
	/* ana has no voting power */
	p.title = "From ana";
	assert_int_equal(home_gov_propose(h, "ana", &p, &res, &e), MV_OK);
	assert_int_equal(res.outcome, 0);
	assert_non_null(strstr(res.reason, "below the proposal threshold"));
	mv_buf_free(&acts[0]);
	mv_buf_free(&acts[1]);
}

static void test_param_and_threshold(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->h->st;
	char why[160] = "";
	assert_true(gov_param_settable(st, "gov_quorum_bp", 1, why, sizeof why));
	assert_true(gov_param_settable(st, "gov_quorum_bp", 10000, why, sizeof why));
	assert_false(gov_param_settable(st, "gov_quorum_bp", 0, why, sizeof why));
	assert_string_equal(why, "parameter gov_quorum_bp must be within 1..10000");
	assert_false(gov_param_settable(st, "council_threshold", 2, why, sizeof why));
	assert_non_null(strstr(why, "(use council.threshold)"));
	assert_false(gov_param_settable(st, "nope", 2, why, sizeof why));
	assert_string_equal(why, "unknown parameter nope");
	assert_int_equal(gov_kind_threshold_bp(st, "text", 0), 5000);
	assert_int_equal(gov_kind_threshold_bp(st, "group", 0), 5000);
	assert_int_equal(gov_kind_threshold_bp(st, "param", 0),
			 param_get(st, "gov_majority_constitutional_bp", 0));
	int64_t mid = param_get(st, "gov_treasury_mid", 0), large = param_get(st, "gov_treasury_large", 0);
	assert_int_equal(gov_kind_threshold_bp(st, "treasury", mid - 1), 5000);
	assert_int_equal(gov_kind_threshold_bp(st, "treasury", mid),
			 param_get(st, "gov_majority_treasury_bp", 0));
	assert_int_equal(gov_kind_threshold_bp(st, "treasury", large + 1),
			 param_get(st, "gov_majority_constitutional_bp", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_action_parse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_propose_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_propose, setup, teardown),
		cmocka_unit_test_setup_teardown(test_param_and_threshold, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
