/* test_bots.c - bot scope enforcement: an op kind outside the bot's scopes
 * is rejected; a patient or therapist named in a bot's op must have enabled
 * the bot (institutions and system accounts need not); a blob that is
 * someone's data in state must have been granted to the bot; enable,
 * disable (dropping grants), grant and revoke with their rejections; a
 * council member suspends a bot at once and the council threshold resumes
 * it; and none of this touches ops of people who are not bots. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "gov_testnet.h"
#include "core/query_gov.h"

#define U MV_UNIT
#define BOT 6

static void appoint_bot(struct gnet *g, int who, int signers)
{
	for (int m = 0; m < signers; m++) {
		struct body_builder *bb = b_new();
		bb_id(bb, "account", g->n.pk[who]);
		bb_str(bb, "role", "bot");
		bb_str(bb, "display_name", "reminder bot");
		bb_str(bb, "jurisdiction", "US");
		bb_list_begin(bb, "scopes");
		bb_list_str(bb, "ledger.transfer");
		bb_list_str(bb, "group.post");
		bb_list_end(bb);
		GN_OK(g, m, "user.appoint", bb);
	}
}

static int bot_op(struct gnet *g, int who, const char *kind, int bot, const uint8_t *blob,
		  const char *reason)
{
	struct body_builder *bb = b_new();
	bb_id(bb, "bot", g->n.pk[bot]);
	if (blob)
		bb_id(bb, "blob", blob);
	if (blob && strcmp(kind, "bot.grant") == 0) {
		uint8_t key[BLOB_SEALED_LEN];
		memset(key, 0x44, sizeof key);
		bb_bytes(bb, "sealed_key", key, sizeof key);
	}
	if (reason)
		bb_str(bb, "reason", reason);
	return gn_do(g, who, kind, bb);
}

static int pay(struct gnet *g, int from, const uint8_t to[32])
{
	struct body_builder *bb = b_new();
	bb_id(bb, "to", to);
	bb_int(bb, "amount", U);
	return gn_do(g, from, "ledger.transfer", bb);
}

static int post_blob(struct gnet *g, const uint8_t blob[32])
{
	uint8_t grp[32];
	memset(grp, 0x99, sizeof grp);
	struct body_builder *bb = b_new();
	bb_id(bb, "group", grp);
	bb_id(bb, "blob", blob);
	bb_int(bb, "key_epoch", 1);
	return gn_do(g, BOT, "group.post", bb);
}

static void test_scopes_and_opt_in(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t prof[32], key[BLOB_SEALED_LEN], fresh_blob[32];
	gn_init(&g, 2, NULL);
	gn_register(&g, 2, "patient", "US-CA");
	gn_register(&g, 3, "patient", "US-CA");
	appoint_bot(&g, BOT, 2);
	gn_fund(&g, BOT, 10 * U);
	/* outside its scopes */
	struct body_builder *bb = b_new();
	bb_str(bb, "display_name", "renamed");
	GN_REJECT(&g, BOT, "profile.update", bb, "scopes do not include profile.update");
	/* a patient who has not enabled the bot */
	expect_why(&g, pay(&g, BOT, g.n.pk[2]), "has not enabled this bot (field to)");
	/* an unregistered account or a system account needs no opt-in */
	assert_int_equal(pay(&g, BOT, g.n.pk[9]), 1);
	uint8_t treasury[32];
	sys_acct(treasury, SYS_TREASURY);
	assert_int_equal(pay(&g, BOT, treasury), 1);
	/* enabling */
	expect_why(&g, bot_op(&g, 9, "bot.enable", BOT, NULL, NULL), "not allowed");
	expect_why(&g, bot_op(&g, 2, "bot.enable", 3, NULL, NULL), "that account is not a bot");
	assert_int_equal(bot_op(&g, 2, "bot.enable", BOT, NULL, NULL), 1);
	expect_why(&g, bot_op(&g, 2, "bot.enable", BOT, NULL, NULL), "already enabled");
	assert_int_equal(pay(&g, BOT, g.n.pk[2]), 1);
	expect_why(&g, pay(&g, BOT, g.n.pk[3]), "has not enabled this bot");
	/* blobs: someone's data needs a grant; a blob unknown to state does not */
	memset(key, 0x11, sizeof key);
	memset(prof, 0x77, sizeof prof);
	bb = b_new();
	bb_id(bb, "private_blob", prof);
	bb_bytes(bb, "sealed_key", key, sizeof key);
	GN_OK(&g, 2, "profile.update", bb);
	expect_why(&g, post_blob(&g, prof), "field blob names a blob not granted to this bot");
	memset(fresh_blob, 0x12, sizeof fresh_blob);
	expect_why(&g, post_blob(&g, fresh_blob), "no such group"); /* passed the precheck */
	expect_why(&g, bot_op(&g, 3, "bot.grant", BOT, prof, NULL), "enable the bot (bot.enable) before");
	assert_int_equal(bot_op(&g, 2, "bot.grant", BOT, prof, NULL), 1);
	expect_why(&g, bot_op(&g, 2, "bot.grant", BOT, prof, NULL), "already granted");
	expect_why(&g, post_blob(&g, prof), "no such group"); /* granted: reaches the handler */
	assert_int_equal(bot_op(&g, 2, "bot.revoke", BOT, prof, NULL), 1);
	expect_why(&g, bot_op(&g, 2, "bot.revoke", BOT, prof, NULL), "you granted no such blob");
	expect_why(&g, post_blob(&g, prof), "not granted to this bot");
	/* disabling drops the opt-in and the grants */
	assert_int_equal(bot_op(&g, 2, "bot.grant", BOT, prof, NULL), 1);
	assert_int_equal(bot_op(&g, 2, "bot.disable", BOT, NULL, NULL), 1);
	expect_why(&g, bot_op(&g, 2, "bot.disable", BOT, NULL, NULL), "not enabled for you");
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM bots_grants"), 0);
	expect_why(&g, pay(&g, BOT, g.n.pk[2]), "has not enabled this bot");
	/* people who are not bots are not concerned */
	assert_int_equal(pay(&g, 0, g.n.pk[2]), 1);
	gn_replay_check(&g);
	gn_free(&g);
}

static void test_suspend_resume(void **state)
{
	(void)state;
	struct gnet g;
	gn_init(&g, 2, NULL);
	gn_register(&g, 2, "patient", "US-CA");
	appoint_bot(&g, BOT, 2);
	gn_fund(&g, BOT, 10 * U);
	expect_why(&g, bot_op(&g, 2, "bot.suspend", BOT, NULL, "spam"), "not allowed");
	expect_why(&g, bot_op(&g, 0, "bot.suspend", BOT, NULL, ""), "a suspension needs a reason");
	expect_why(&g, bot_op(&g, 0, "bot.resume", BOT, NULL, NULL), "bot is not suspended");
	/* one council member stops it at once */
	assert_int_equal(bot_op(&g, 0, "bot.suspend", BOT, NULL, "sending at 3am"), 1);
	expect_why(&g, bot_op(&g, 1, "bot.suspend", BOT, NULL, "again"), "already suspended");
	expect_why(&g, pay(&g, BOT, g.n.pk[9]), "bot suspended by the council: sending at 3am");
	/* the threshold (2) restarts it */
	assert_int_equal(bot_op(&g, 0, "bot.resume", BOT, NULL, NULL), 1);
	expect_why(&g, pay(&g, BOT, g.n.pk[9]), "bot suspended by the council");
	expect_why(&g, bot_op(&g, 2, "bot.resume", BOT, NULL, NULL), "only council members may sign");
	assert_int_equal(bot_op(&g, 1, "bot.resume", BOT, NULL, NULL), 1);
	assert_int_equal(pay(&g, BOT, g.n.pk[9]), 1);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM access_audit WHERE what LIKE 'bot %'"), 2);
	gn_replay_check(&g);
	gn_free(&g);
}

static int keep_bot(void *ud, const struct q_bot *b)
{
	*(struct q_bot *)ud = *b;
	return 0;
}

static void test_query(void **state)
{
	(void)state;
	struct gnet g;
	struct q_bot b;
	struct mv_err e;
	gn_init(&g, 1, NULL);
	gn_register(&g, 2, "patient", "US-CA");
	appoint_bot(&g, BOT, 1);
	assert_int_equal(bot_op(&g, 2, "bot.enable", BOT, NULL, NULL), 1);
	assert_int_equal(bot_op(&g, 0, "bot.suspend", BOT, NULL, "audit"), 1);
	memset(&b, 0, sizeof b);
	assert_int_equal(query_bots(g.st, g.n.pk[2], keep_bot, &b, &e), MV_OK);
	assert_memory_equal(b.bot, g.n.pk[BOT], 32);
	assert_string_equal(b.scopes, "ledger.transfer,group.post");
	assert_true(b.suspended);
	assert_string_equal(b.suspend_reason, "audit");
	assert_true(b.enabled_by_me);
	assert_int_equal(b.users, 1);
	gn_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scopes_and_opt_in),
		cmocka_unit_test(test_suspend_resume),
		cmocka_unit_test(test_query),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
