/* test_groups.c - peer-support groups: creation and its rejections, the
 * three join policies (open, invitation, application approved or declined
 * by a moderator), leaving, removal and moderators; group keys: sharing the
 * current key with new members, rotation when a member leaves or is removed
 * (posting is refused until a remaining member rotates, the rotation must
 * cover exactly the remaining members) and the removed member's keys no
 * longer opening anything posted after; helpful marks feeding community
 * reputation; group proposals (admit an applicant, remove a moderator, rule
 * change, allocation from the group's account, stake-weighted groups,
 * membership at the snapshot); the home helpers end to end (create,
 * post, open, share keys, rotate) on a real home; and an application's
 * message, readable by the moderators of the time only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

#include "gov_testnet.h"
#include "core/home_groups.h"
#include "core/home_people.h"
#include "core/query_gov.h"

/* Registered patients 2..8 (US-CA). */
static void setup(struct gnet *g)
{
	gn_init(g, 1, NULL);
	for (int i = 2; i <= 8; i++)
		gn_register(g, i, "patient", "US-CA");
}

static int create(struct gnet *g, int who, const char *name, const char *policy,
		  const uint8_t key[32], const int *invite, bool weighted, uint8_t id[32])
{
	uint8_t sealed[BLOB_SEALED_LEN];
	struct mv_err e;
	struct body_builder *bb = b_new();
	assert_int_equal(groups_key_seal(key, g->n.pk[who], sealed, &e), MV_OK);
	bb_str(bb, "name", name);
	bb_str(bb, "topic", "anxiety");
	bb_str(bb, "charter", "be kind; what is said here stays here");
	bb_str(bb, "join_policy", policy);
	if (weighted)
		bb_int(bb, "stake_weighted", 1);
	if (invite) {
		bb_list_begin(bb, "initial_members");
		for (; *invite; invite++)
			bb_list_id(bb, g->n.pk[*invite]);
		bb_list_end(bb);
	}
	bb_bytes(bb, "sealed_key", sealed, sizeof sealed);
	int o = gn_do(g, who, "group.create", bb);
	if (id)
		memcpy(id, g->last, 32);
	return o;
}

static int gop(struct gnet *g, int who, const char *kind, const uint8_t grp[32], const char *field,
	       int whom)
{
	struct body_builder *bb = b_new();
	bb_id(bb, "group", grp);
	if (field)
		bb_id(bb, field, g->n.pk[whom]);
	return gn_do(g, who, kind, bb);
}

static int share(struct gnet *g, int who, const uint8_t grp[32], int to, const uint8_t key[32])
{
	uint8_t sealed[BLOB_SEALED_LEN];
	struct mv_err e;
	assert_int_equal(groups_key_seal(key, g->n.pk[to], sealed, &e), MV_OK);
	struct body_builder *bb = b_new();
	bb_id(bb, "group", grp);
	bb_id(bb, "member", g->n.pk[to]);
	bb_bytes(bb, "sealed_key", sealed, sizeof sealed);
	return gn_do(g, who, "group.key_share", bb);
}

/* group.rotate with key sealed to members (key indices, any order: sorted
 * here by public key as the contract wants). */
static int rotate(struct gnet *g, int who, const uint8_t grp[32], int64_t epoch, const int *members,
		  const uint8_t key[32])
{
	int m[16], n = 0;
	struct mv_err e;
	for (; *members; members++)
		m[n++] = *members;
	for (int i = 0; i < n; i++)
		for (int k = i + 1; k < n; k++)
			if (memcmp(g->n.pk[m[k]], g->n.pk[m[i]], 32) < 0) {
				int t = m[i];
				m[i] = m[k];
				m[k] = t;
			}
	struct body_builder *bb = b_new();
	bb_id(bb, "group", grp);
	bb_int(bb, "epoch", epoch);
	bb_list_begin(bb, "members");
	for (int i = 0; i < n; i++)
		bb_list_id(bb, g->n.pk[m[i]]);
	bb_list_end(bb);
	bb_list_begin(bb, "sealed_keys");
	for (int i = 0; i < n; i++) {
		uint8_t sealed[BLOB_SEALED_LEN];
		assert_int_equal(groups_key_seal(key, g->n.pk[m[i]], sealed, &e), MV_OK);
		bb_list_bytes(bb, sealed, sizeof sealed);
	}
	bb_list_end(bb);
	return gn_do(g, who, "group.rotate", bb);
}

/* Encrypt text under key, keep the blob in the store, post it. */
static int post(struct gnet *g, int who, const uint8_t grp[32], int64_t epoch, const uint8_t key[32],
		const char *text, uint8_t id[32])
{
	struct mv_buf c;
	uint8_t hash[32];
	struct mv_err e;
	assert_int_equal(groups_post_seal(key, text, strlen(text), &c, hash, &e), MV_OK);
	assert_int_equal(blob_put(g->st, c.data, c.len, NULL, &e), MV_OK);
	mv_buf_free(&c);
	struct body_builder *bb = b_new();
	bb_id(bb, "group", grp);
	bb_id(bb, "blob", hash);
	bb_int(bb, "key_epoch", epoch);
	int o = gn_do(g, who, "group.post", bb);
	if (id)
		memcpy(id, g->last, 32);
	return o;
}

/* Open a post as member `who` from state: its sealed key, then the blob. */
static int open_post(struct gnet *g, int who, const uint8_t post_id[32], struct mv_buf *plain)
{
	uint8_t grp[32], blob[32], sealed[BLOB_SEALED_LEN], key[32];
	struct mv_err e;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(g->st), "SELECT grp, blob, key_epoch FROM "
					    "groups_posts WHERE id = ?", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_blob(s, 1, post_id, 32, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	memcpy(grp, sqlite3_column_blob(s, 0), 32);
	memcpy(blob, sqlite3_column_blob(s, 1), 32);
	int64_t epoch = sqlite3_column_int64(s, 2);
	sqlite3_finalize(s);
	int rc = groups_sealed_key(g->st, grp, epoch, g->n.pk[who], sealed, &e);
	if (rc == MV_OK)
		rc = groups_key_open(sealed, g->n.sk[who], key, &e);
	struct mv_buf c;
	if (rc == MV_OK)
		rc = blob_get(g->st, blob, &c, &e);
	if (rc == MV_OK) {
		rc = groups_post_open(key, c.data, c.len, plain, &e);
		mv_buf_free(&c);
	}
	return rc;
}

static void test_create_and_join(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t key[32], open_g[32], inv[32], app[32];
	setup(&g);
	groups_key_new(key);
	expect_why(&g, create(&g, 9, "x", "open", key, NULL, false, NULL), "not allowed");
	const int bad[] = {10, 0};
	expect_why(&g, create(&g, 2, "circle", "open", key, bad, false, NULL),
		   "initial_members: that account is not registered");
	const int k3[] = {3, 0};
	assert_int_equal(create(&g, 2, "circle", "open", key, k3, false, open_g), 1);
	expect_why(&g, create(&g, 3, "circle", "open", key, NULL, false, NULL),
		   "a group named 'circle' already exists");
	struct body_builder *bb = b_new();
	bb_str(bb, "name", "short key");
	bb_str(bb, "topic", "t");
	bb_str(bb, "join_policy", "open");
	bb_bytes(bb, "sealed_key", key, 10);
	GN_REJECT(&g, 2, "group.create", bb, "sealed_key must be the group key sealed to you");
	/* 3 was invited (not made a member): it joins with its own op */
	assert_false(sql_int(g.st, "SELECT count(*) FROM groups_members WHERE left_at IS NULL") != 1);
	assert_int_equal(gop(&g, 3, "group.join", open_g, NULL, 0), 1);
	assert_int_equal(gop(&g, 4, "group.join", open_g, NULL, 0), 1);
	expect_why(&g, gop(&g, 4, "group.join", open_g, NULL, 0), "already a member of circle");
	expect_why(&g, gop(&g, 9, "group.join", open_g, NULL, 0), "not allowed");
	expect_why(&g, gop(&g, 4, "group.apply", open_g, NULL, 0), "already a member");
	expect_why(&g, gop(&g, 5, "group.apply", open_g, NULL, 0), "does not take applications");
	/* invitation only */
	assert_int_equal(create(&g, 2, "invited", "invite", key, NULL, false, inv), 1);
	expect_why(&g, gop(&g, 5, "group.join", inv, NULL, 0), "invited is by invitation only");
	expect_why(&g, gop(&g, 3, "group.invite", inv, "invitee", 5), "only a moderator of invited");
	assert_int_equal(gop(&g, 2, "group.invite", inv, "invitee", 5), 1);
	expect_why(&g, gop(&g, 2, "group.invite", inv, "invitee", 5), "already invited");
	expect_why(&g, gop(&g, 2, "group.invite", inv, "invitee", 2), "not yourself");
	assert_int_equal(gop(&g, 5, "group.join", inv, NULL, 0), 1);
	expect_why(&g, gop(&g, 2, "group.invite", inv, "invitee", 5), "already a member");
	/* by application */
	assert_int_equal(create(&g, 2, "applied", "application", key, NULL, false, app), 1);
	expect_why(&g, gop(&g, 5, "group.join", app, NULL, 0), "admits by application: send group.apply");
	assert_int_equal(gop(&g, 5, "group.apply", app, NULL, 0), 1);
	expect_why(&g, gop(&g, 5, "group.apply", app, NULL, 0), "already pending");
	expect_why(&g, gop(&g, 5, "group.approve", app, "applicant", 5), "only a moderator");
	assert_int_equal(gop(&g, 2, "group.approve", app, "applicant", 5), 1);
	assert_int_equal(gop(&g, 6, "group.apply", app, NULL, 0), 1);
	assert_int_equal(gop(&g, 2, "group.decline", app, "applicant", 6), 1);
	expect_why(&g, gop(&g, 2, "group.approve", app, "applicant", 6), "no pending application");
	expect_why(&g, gop(&g, 2, "group.decline", app, "applicant", 6), "no pending application");
	/* moderators: promote, step down; another moderator is removed only by a vote */
	bb = b_new();
	bb_id(bb, "group", app);
	bb_id(bb, "member", g.n.pk[5]);
	bb_int(bb, "moderator", 1);
	GN_OK(&g, 2, "group.moderator", bb);
	expect_why(&g, gop(&g, 5, "group.remove", app, "member", 2), "removing a moderator takes a group vote");
	bb = b_new();
	bb_id(bb, "group", app);
	bb_id(bb, "member", g.n.pk[2]);
	bb_int(bb, "moderator", 0);
	GN_REJECT(&g, 5, "group.moderator", bb, "a moderator steps down only themselves");
	bb = b_new();
	bb_id(bb, "group", app);
	bb_id(bb, "member", g.n.pk[5]);
	bb_int(bb, "moderator", 0);
	GN_OK(&g, 5, "group.moderator", bb);
	expect_why(&g, gop(&g, 5, "group.remove", app, "member", 2), "only a moderator");
	expect_why(&g, gop(&g, 2, "group.remove", app, "member", 2), "send group.leave");
	expect_why(&g, gop(&g, 2, "group.remove", app, "member", 7), "not a member of applied");
	assert_int_equal(gop(&g, 2, "group.remove", app, "member", 5), 1);
	expect_why(&g, gop(&g, 5, "group.leave", app, NULL, 0), "not a member of applied");
	gn_replay_check(&g);
	gn_free(&g);
}

static void test_key_rotation(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t k1[32], k2[32], grp[32], p1[32], p2[32], sealed[BLOB_SEALED_LEN], junk[32];
	struct mv_buf plain;
	struct mv_err e;
	setup(&g);
	groups_key_new(k1);
	groups_key_new(k2);
	assert_int_equal(create(&g, 2, "circle", "open", k1, NULL, false, grp), 1);
	assert_int_equal(gop(&g, 3, "group.join", grp, NULL, 0), 1);
	assert_int_equal(gop(&g, 4, "group.join", grp, NULL, 0), 1);
	/* new members get the current key from a member who holds it */
	expect_why(&g, share(&g, 3, grp, 4, k1), "you hold no key of the current epoch");
	assert_int_equal(share(&g, 2, grp, 3, k1), 1);
	assert_int_equal(share(&g, 3, grp, 4, k1), 1);
	expect_why(&g, share(&g, 2, grp, 4, k1), "already holds the current key");
	expect_why(&g, share(&g, 2, grp, 5, k1), "not a member of circle");
	assert_int_equal(post(&g, 3, grp, 1, k1, "first week without a panic attack", p1), 1);
	assert_int_equal(open_post(&g, 4, p1, &plain), MV_OK);
	assert_string_equal((char *)plain.data, "first week without a panic attack");
	mv_buf_free(&plain);
	expect_why(&g, post(&g, 5, grp, 1, k1, "x", NULL), "not a member of circle");
	/* 4 is removed: the epoch moves on without a key */
	assert_int_equal(gop(&g, 2, "group.remove", grp, "member", 4), 1);
	expect_why(&g, post(&g, 3, grp, 1, k1, "x", NULL), "rotate the group key");
	expect_why(&g, share(&g, 2, grp, 3, k1), "must be rotated");
	const int with4[] = {2, 3, 4, 0}, rest[] = {2, 3, 0}, only2[] = {2, 0};
	expect_why(&g, rotate(&g, 4, grp, 2, rest, k2), "not a member of circle");
	expect_why(&g, rotate(&g, 3, grp, 2, with4, k2), "members must list the 2 current members");
	expect_why(&g, rotate(&g, 3, grp, 2, only2, k2), "members must list the 2 current members");
	expect_why(&g, rotate(&g, 3, grp, 3, rest, k2), "epoch must be 2 (the pending rotation)");
	assert_int_equal(rotate(&g, 3, grp, 2, rest, k2), 1);
	expect_why(&g, post(&g, 3, grp, 1, k1, "x", NULL), "key_epoch must be the current epoch 2");
	assert_int_equal(post(&g, 3, grp, 2, k2, "after 4 left", p2), 1);
	assert_int_equal(open_post(&g, 2, p2, &plain), MV_OK);
	assert_string_equal((char *)plain.data, "after 4 left");
	mv_buf_free(&plain);
	/* the removed member: no key of epoch 2, none of the epoch-2 keys opens
	 * with its secret key, its epoch-1 key does not decrypt the new post;
	 * what it could read before it still can */
	assert_int_equal(groups_sealed_key(g.st, grp, 2, g.n.pk[4], sealed, &e), MV_ENOTFOUND);
	assert_int_not_equal(open_post(&g, 4, p2, &plain), MV_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(g.st), "SELECT sealed_key FROM groups_keys WHERE "
					    "epoch = 2 ORDER BY member", -1, &s, NULL), SQLITE_OK);
	int n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		assert_int_equal(groups_key_open(sqlite3_column_blob(s, 0), g.n.sk[4], junk, &e), MV_ECRYPTO);
		n++;
	}
	sqlite3_finalize(s);
	assert_int_equal(n, 2);
	struct mv_buf c;
	assert_int_equal(sqlite3_prepare_v2(store_db(g.st), "SELECT blob FROM groups_posts WHERE "
					    "key_epoch = 2", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(blob_get(g.st, sqlite3_column_blob(s, 0), &c, &e), MV_OK);
	sqlite3_finalize(s);
	assert_int_equal(groups_post_open(k1, c.data, c.len, &plain, &e), MV_ECRYPTO);
	mv_buf_free(&c);
	assert_int_equal(open_post(&g, 4, p1, &plain), MV_OK);
	mv_buf_free(&plain);
	/* leaving rotates too; a voluntary rotation takes the next epoch */
	assert_int_equal(gop(&g, 3, "group.leave", grp, NULL, 0), 1);
	expect_why(&g, post(&g, 2, grp, 2, k2, "x", NULL), "rotate the group key");
	assert_int_equal(rotate(&g, 2, grp, 3, only2, k1), 1);
	assert_int_equal(rotate(&g, 2, grp, 4, only2, k2), 1);
	assert_int_equal(sql_int(g.st, "SELECT key_epoch FROM groups_info"), 4);
	gn_replay_check(&g);
	gn_free(&g);
}

static void test_helpful(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t key[32], grp[32], p[32];
	setup(&g);
	groups_key_new(key);
	assert_int_equal(create(&g, 2, "circle", "open", key, NULL, false, grp), 1);
	assert_int_equal(gop(&g, 3, "group.join", grp, NULL, 0), 1);
	assert_int_equal(post(&g, 2, grp, 1, key, "breathing 4-7-8 helps me", p), 1);
	struct body_builder *bb = b_new();
	bb_id(bb, "post", p);
	GN_REJECT(&g, 2, "post.helpful", bb, "cannot mark your own post");
	bb = b_new();
	bb_id(bb, "post", p);
	GN_REJECT(&g, 4, "post.helpful", bb, "only members of the post's group");
	bb = b_new();
	bb_id(bb, "post", p);
	GN_OK(&g, 3, "post.helpful", bb);
	bb = b_new();
	bb_id(bb, "post", p);
	GN_REJECT(&g, 3, "post.helpful", bb, "already marked this post helpful");
	bb = b_new();
	bb_id(bb, "post", g.n.pk[0]);
	GN_REJECT(&g, 3, "post.helpful", bb, "no such post");
	assert_int_equal(sql_int(g.st, "SELECT helpful FROM groups_posts"), 1);
	/* a weighted community event for the author: 10 points x 10% for a new rater */
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM rep_events WHERE dim = 2"), 1);
	assert_int_equal(sql_int(g.st, "SELECT delta FROM rep_events WHERE dim = 2"), 1);
	gn_free(&g);
}

static void test_group_proposals(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t key[32], grp[32], p[32], acct[32], early[32];
	struct mv_buf a[2];
	setup(&g);
	groups_key_new(key);
	assert_int_equal(create(&g, 2, "circle", "application", key, NULL, false, grp), 1);
	for (int i = 3; i <= 4; i++) {
		assert_int_equal(gop(&g, i, "group.apply", grp, NULL, 0), 1);
		assert_int_equal(gop(&g, 2, "group.approve", grp, "applicant", i), 1);
	}
	assert_int_equal(gop(&g, 5, "group.apply", grp, NULL, 0), 1);
	/* a non-member cannot propose; a proposal names its group */
	ga_member(&a[0], "group.admit", g.n.pk[5]);
	expect_why(&g, gn_propose(&g, 6, "group", "admit 5", grp, a, 1), "only members of circle");
	ga_member(&a[0], "group.admit", g.n.pk[5]);
	expect_why(&g, gn_propose(&g, 3, "group", "x", NULL, a, 1), "a group proposal names its group");
	ga_pay(&a[0], "treasury.pay", g.n.pk[5], 1, "x");
	expect_why(&g, gn_propose(&g, 3, "group", "x", grp, a, 1), "does not belong in a group proposal");
	/* admit the applicant by a vote: one member, one vote; 2 of 3 decide */
	ga_member(&a[0], "group.admit", g.n.pk[5]);
	assert_int_equal(gn_propose(&g, 3, "group", "admit 5", grp, a, 1), 1);
	memcpy(early, g.last, 32);
	struct gov_proposal pr = gn_prop(&g, early);
	assert_int_equal(pr.total_power, 3);
	assert_int_equal(pr.state, GOV_ACTIVE); /* no voting delay for groups */
	assert_int_equal(pr.quorum_bp, 2000);
	expect_why(&g, gn_vote(&g, 6, early, "for"), "not a member of the group at the proposal's snapshot");
	assert_int_equal(gn_vote(&g, 3, early, "for"), 1);
	assert_int_equal(gn_vote(&g, 4, early, "for"), 1);
	pr = gn_prop(&g, early);
	assert_int_equal(pr.state, GOV_QUEUED);
	assert_int_equal(pr.for_power, 2);
	assert_int_equal(gn_prop_op(&g, 9, "gov.execute", early), 1); /* no group timelock */
	assert_true(sql_int(g.st, "SELECT count(*) FROM groups_members WHERE how = 'voted in'") == 1);
	/* a member who joined after the snapshot does not vote on it */
	ga_member(&a[0], "group.remove", g.n.pk[2]);
	assert_int_equal(gn_propose(&g, 4, "group", "remove the founder", grp, a, 1), 1);
	memcpy(p, g.last, 32);
	assert_int_equal(gn_prop(&g, p).total_power, 4);
	/* votes: 3 and 4 for, 5 for too (a member at the snapshot): decided */
	assert_int_equal(gn_vote(&g, 3, p, "for"), 1);
	assert_int_equal(gn_vote(&g, 2, p, "against"), 1);
	assert_int_equal(gn_vote(&g, 4, p, "for"), 1);
	assert_int_equal(gn_vote(&g, 5, p, "for"), 1);
	assert_int_equal(gn_prop(&g, p).state, GOV_QUEUED);
	int64_t epoch = sql_int(g.st, "SELECT key_epoch FROM groups_info");
	assert_int_equal(gn_prop_op(&g, 9, "gov.execute", p), 1);
	assert_false(sql_int(g.st, "SELECT count(*) FROM groups_members WHERE left_how = 'removed'") != 1);
	assert_int_equal(sql_int(g.st, "SELECT key_epoch FROM groups_info"), epoch + 1);
	/* allocation from the group's account, and a rule change */
	groups_account(grp, acct);
	struct body_builder *bb = b_new();
	bb_id(bb, "to", acct);
	bb_int(bb, "amount", 100 * MV_UNIT);
	GN_OK(&g, 0, "ledger.transfer", bb);
	ga_pay(&a[0], "group.allocate", g.n.pk[8], 40 * MV_UNIT, "workbooks");
	bb = b_new();
	bb_str(bb, "type", "group.rule");
	bb_str(bb, "join_policy", "open");
	bb_int(bb, "quorum_bp", 5000);
	ga_build(bb, &a[1]);
	assert_int_equal(gn_propose(&g, 3, "group", "books and openness", grp, a, 2), 1);
	memcpy(p, g.last, 32);
	assert_int_equal(gn_vote(&g, 3, p, "for"), 1);
	assert_int_equal(gn_vote(&g, 4, p, "for"), 1);
	assert_int_equal(gn_prop_op(&g, 9, "gov.execute", p), 1);
	assert_int_equal(bal(g.st, g.n.pk[8]), 40 * MV_UNIT);
	assert_int_equal(bal(g.st, acct), 60 * MV_UNIT);
	assert_int_equal(sql_int(g.st, "SELECT quorum_bp FROM groups_info"), 5000);
	assert_int_equal(gop(&g, 6, "group.join", grp, NULL, 0), 1); /* open now */
	/* admitting someone who never applied fails at execution */
	ga_member(&a[0], "group.admit", g.n.pk[7]);
	assert_int_equal(gn_propose(&g, 4, "group", "admit 7", grp, a, 1), 1);
	memcpy(p, g.last, 32);
	assert_int_equal(gn_vote(&g, 3, p, "for"), 1);
	assert_int_equal(gn_vote(&g, 4, p, "for"), 1);
	assert_int_equal(gn_vote(&g, 5, p, "for"), 1);
	expect_why(&g, gn_prop_op(&g, 9, "gov.execute", p),
		   "action 1 (group.admit) failed: a group vote admits only an account that applied");
	gn_replay_check(&g);
	gn_free(&g);
}

static void test_stake_weighted(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t key[32], grp[32], p[32];
	struct mv_buf a[1];
	setup(&g);
	gn_fund(&g, 3, 300 * MV_UNIT);
	gn_stake(&g, 3, 300 * MV_UNIT, 30);
	groups_key_new(key);
	assert_int_equal(create(&g, 2, "weighted", "open", key, NULL, true, grp), 1);
	assert_int_equal(gop(&g, 3, "group.join", grp, NULL, 0), 1);
	gn_wait(&g, 1000);
	struct body_builder *bb = b_new();
	bb_str(bb, "type", "group.moderator");
	bb_id(bb, "member", g.n.pk[3]);
	bb_int(bb, "moderator", 1);
	ga_build(bb, &a[0]);
	assert_int_equal(gn_propose(&g, 2, "group", "make 3 moderator", grp, a, 1), 1);
	memcpy(p, g.last, 32);
	assert_int_equal(gn_prop(&g, p).total_power, 300 * MV_UNIT);
	expect_why(&g, gn_vote(&g, 2, p, "for"), "no staking voting power at the proposal's snapshot");
	assert_int_equal(gn_vote(&g, 3, p, "for"), 1);
	assert_int_equal(gn_prop_op(&g, 9, "gov.execute", p), 1);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM groups_members WHERE moderator = 1"), 2);
	gn_free(&g);
}

/* The home helpers on a real home: create, post, open, share keys with a
 * new member, rotate after a removal. */
static void test_home_helpers(void **state)
{
	(void)state;
	char dir[] = "/tmp/mv_test_groups_XXXXXX";
	assert_non_null(mkdtemp(dir));
	setenv("MENTALVERSE_PASSPHRASE", "", 1);
	struct home *h;
	struct mv_err e;
	struct submit_result res;
	uint8_t ana[32], bo[32], cy[32], grp[32], post_id[32];
	assert_int_equal(home_open(&h, dir, true, &e), MV_OK);
	if (home_init(h, "t", NULL, &e) != MV_OK)
		fail_msg("init: %s", e.msg);
	const char *names[] = {"ana", "bo", "cy"};
	uint8_t *pks[] = {ana, bo, cy};
	for (int i = 0; i < 3; i++) {
		struct home_register_args ra = {.role = "patient", .display_name = names[i],
						.jurisdiction = "US-CA"};
		assert_int_equal(home_keygen(h, names[i], pks[i], &e), MV_OK);
		assert_int_equal(home_people_register(h, names[i], &ra, &res, &e), MV_OK);
		assert_int_equal(res.outcome, 1);
	}
	struct home_group_args ga = {.name = "night owls", .topic = "insomnia", .join_policy = "open",
				     .invite = (const uint8_t (*)[32])bo, .ninvite = 1};
	if (home_groups_create(h, "ana", &ga, &res, &e) != MV_OK || res.outcome != 1)
		fail_msg("create: %s %s", e.msg, res.reason);
	memcpy(grp, res.id, 32);
	struct body_builder bb;
	struct mv_buf body;
	bb_init(&bb);
	bb_id(&bb, "group", grp);
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	assert_int_equal(home_submit(h, "bo", "group.join", body.data, body.len, &res, &e), MV_OK);
	assert_int_equal(home_submit(h, "cy", "group.join", body.data, body.len, &res, &e), MV_OK);
	mv_buf_free(&body);
	/* bo has no key yet: posting says so; ana shares keys with both */
	assert_int_equal(home_groups_post(h, "bo", grp, "hello", &res, &e), MV_ENOTFOUND);
	size_t shared;
	assert_int_equal(home_groups_share_keys(h, "ana", grp, &shared, &e), MV_OK);
	assert_int_equal(shared, 2);
	assert_int_equal(home_groups_post(h, "bo", grp, "3am again, anyone up?", &res, &e), MV_OK);
	assert_int_equal(res.outcome, 1);
	memcpy(post_id, res.id, 32);
	struct mv_buf plain;
	assert_int_equal(home_groups_open_post(h, "cy", post_id, &plain, &e), MV_OK);
	assert_string_equal((char *)plain.data, "3am again, anyone up?");
	mv_buf_free(&plain);
	/* the text is nowhere in the store */
	assert_int_equal(sql_int(h->st, "SELECT count(*) FROM log_ops WHERE instr(raw, '3am again') > 0"),
			 0);
	assert_int_equal(sql_int(h->st, "SELECT count(*) FROM local_blobs WHERE instr(data, '3am') > 0"),
			 0);
	/* remove cy; ana's next post rotates the key first; cy cannot read it */
	bb_init(&bb);
	bb_id(&bb, "group", grp);
	bb_id(&bb, "member", cy);
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	assert_int_equal(home_submit(h, "ana", "group.remove", body.data, body.len, &res, &e), MV_OK);
	assert_int_equal(res.outcome, 1);
	mv_buf_free(&body);
	assert_int_equal(home_groups_post(h, "ana", grp, "welcome back tomorrow", &res, &e), MV_OK);
	assert_int_equal(res.outcome, 1);
	memcpy(post_id, res.id, 32);
	assert_int_equal(home_groups_open_post(h, "bo", post_id, &plain, &e), MV_OK);
	mv_buf_free(&plain);
	assert_int_equal(home_groups_open_post(h, "cy", post_id, &plain, &e), MV_ENOTFOUND);
	home_close(h);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static int last_pending(void *ud, const struct q_group_pending *p)
{
	*(struct q_group_pending *)ud = *p;
	return 0;
}

/* Rows of sql binding blob ?1. */
static int count_with(struct store *st, const char *sql, const uint8_t b[32])
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_blob(s, 1, b, 32, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

static int submit_group(struct home *h, const char *as, const char *kind, const uint8_t grp[32],
			const char *field, const uint8_t *who, struct submit_result *res)
{
	struct body_builder bb;
	struct mv_buf body;
	struct mv_err e;
	bb_init(&bb);
	bb_id(&bb, "group", grp);
	if (field)
		bb_id(&bb, field, who);
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	int rc = home_submit(h, as, kind, body.data, body.len, res, &e);
	mv_buf_free(&body);
	return rc;
}

/* An application's message: sealed to the moderators of the time only,
 * never in the log or the blob store in clear, refused when its keys do
 * not match the moderators, and purged when the applicant is erased. */
static void test_apply_message(void **state)
{
	(void)state;
	char dir[] = "/tmp/mv_test_groups_XXXXXX";
	assert_non_null(mkdtemp(dir));
	setenv("MENTALVERSE_PASSPHRASE", "", 1);
	struct home *h;
	struct mv_err e;
	struct submit_result res;
	struct mv_buf plain;
	uint8_t ana[32], bo[32], cy[32], dee[32], grp[32];
	assert_int_equal(home_open(&h, dir, true, &e), MV_OK);
	if (home_init(h, "t", NULL, &e) != MV_OK)
		fail_msg("init: %s", e.msg);
	const char *names[] = {"ana", "bo", "cy", "dee"};
	uint8_t *pks[] = {ana, bo, cy, dee};
	for (int i = 0; i < 4; i++) {
		struct home_register_args ra = {.role = "patient", .display_name = names[i],
						.jurisdiction = "US-CA"};
		assert_int_equal(home_keygen(h, names[i], pks[i], &e), MV_OK);
		assert_int_equal(home_people_register(h, names[i], &ra, &res, &e), MV_OK);
		assert_int_equal(res.outcome, 1);
	}
	struct home_group_args ga = {.name = "late shift", .topic = "sleep",
				     .join_policy = "application"};
	if (home_groups_create(h, "ana", &ga, &res, &e) != MV_OK || res.outcome != 1)
		fail_msg("create: %s %s", e.msg, res.reason);
	memcpy(grp, res.id, 32);
	/* cy joins as a moderator first: two readers */
	assert_int_equal(home_groups_apply(h, "cy", grp, NULL, &res, &e), MV_OK);
	assert_int_equal(res.outcome, 1);
	assert_int_equal(submit_group(h, "ana", "group.approve", grp, "applicant", cy, &res), MV_OK);
	assert_int_equal(res.outcome, 1);
	struct body_builder bb;
	struct mv_buf body;
	bb_init(&bb);
	bb_id(&bb, "group", grp);
	bb_id(&bb, "member", cy);
	bb_int(&bb, "moderator", 1);
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	assert_int_equal(home_submit(h, "ana", "group.moderator", body.data, body.len, &res, &e),
			 MV_OK);
	assert_int_equal(res.outcome, 1);
	mv_buf_free(&body);
	/* a blob without keys, and keys for one moderator of two, are refused */
	bb_init(&bb);
	bb_id(&bb, "group", grp);
	bb_id(&bb, "message_blob", grp);
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	assert_int_equal(home_submit(h, "bo", "group.apply", body.data, body.len, &res, &e), MV_OK);
	assert_int_equal(res.outcome, 0);
	assert_string_equal(res.reason, "message_blob and message_keys go together");
	mv_buf_free(&body);
	uint8_t one[BLOB_SEALED_LEN] = {0};
	bb_init(&bb);
	bb_id(&bb, "group", grp);
	bb_id(&bb, "message_blob", grp);
	bb_list_begin(&bb, "message_keys");
	bb_list_bytes(&bb, one, sizeof one);
	bb_list_end(&bb);
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	assert_int_equal(home_submit(h, "bo", "group.apply", body.data, body.len, &res, &e), MV_OK);
	assert_int_equal(res.outcome, 0);
	assert_non_null(strstr(res.reason, "each of the 2 moderators of late shift (got 1)"));
	mv_buf_free(&body);
	/* too long a message never leaves the home */
	char big[GROUP_APPLY_MESSAGE_MAX + 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(home_groups_apply(h, "bo", grp, big, &res, &e), MV_EINVAL);
	/* bo applies with a message: ana and cy read it, dee (not a member), and bo
	 * himself, cannot; it is nowhere in clear */
	assert_int_equal(home_groups_apply(h, "bo", grp, "I work nights and cannot sleep", &res, &e),
			 MV_OK);
	assert_int_equal(res.outcome, 1);
	const char *readers[] = {"ana", "cy"};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(home_groups_open_application(h, readers[i], grp, bo, &plain, &e),
				 MV_OK);
		assert_string_equal((char *)plain.data, "I work nights and cannot sleep");
		mv_buf_free(&plain);
	}
	assert_int_equal(home_groups_open_application(h, "dee", grp, bo, &plain, &e), MV_ENOTFOUND);
	assert_int_equal(home_groups_open_application(h, "bo", grp, bo, &plain, &e), MV_ENOTFOUND);
	assert_int_equal(sql_int(h->st, "SELECT count(*) FROM log_ops WHERE instr(raw, 'cannot "
				 "sleep') > 0"), 0);
	assert_int_equal(sql_int(h->st, "SELECT count(*) FROM local_blobs WHERE instr(data, "
				 "'cannot sleep') > 0"), 0);
	/* the pending list says there is a message */
	struct q_group_pending pend;
	memset(&pend, 0, sizeof pend);
	assert_int_equal(query_group_pending(h->st, grp, last_pending, &pend, &e), MV_OK);
	assert_memory_equal(pend.account, bo, 32);
	assert_true(pend.has_message);
	/* the message outlives the approval, and goes with bo's erasure */
	assert_int_equal(submit_group(h, "ana", "group.approve", grp, "applicant", bo, &res), MV_OK);
	assert_int_equal(res.outcome, 1);
	assert_int_equal(home_groups_open_application(h, "ana", grp, bo, &plain, &e), MV_OK);
	mv_buf_free(&plain);
	uint8_t mblob[32];
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(h->st), "SELECT message_blob FROM "
					    "groups_app_messages", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	memcpy(mblob, sqlite3_column_blob(q, 0), 32);
	sqlite3_finalize(q);
	assert_int_equal(count_with(h->st, "SELECT count(*) FROM local_blobs WHERE hash = ?1 AND"
				    " data IS NOT NULL", mblob), 1);
	bb_init(&bb);
	bb_str(&bb, "confirm", "erase");
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	assert_int_equal(home_submit(h, "bo", "user.erase", body.data, body.len, &res, &e), MV_OK);
	assert_int_equal(res.outcome, 1);
	mv_buf_free(&body);
	assert_int_equal(sql_int(h->st, "SELECT count(*) FROM groups_app_messages"), 0);
	assert_int_equal(sql_int(h->st, "SELECT count(*) FROM groups_app_keys"), 0);
	assert_int_equal(count_with(h->st, "SELECT count(*) FROM compliance_purge WHERE hash = ?1",
				    mblob), 1);
	assert_int_equal(count_with(h->st, "SELECT count(*) FROM local_blobs WHERE hash = ?1 AND"
				    " data IS NULL", mblob), 1);
	assert_int_equal(home_groups_open_application(h, "ana", grp, bo, &plain, &e), MV_ENOTFOUND);
	home_close(h);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static int count_group(void *ud, const struct q_group *g)
{
	(void)g;
	(*(int *)ud)++;
	return 0;
}

static int last_member(void *ud, const struct q_group_member *m)
{
	*(struct q_group_member *)ud = *m;
	return 0;
}

static int count_pending(void *ud, const struct q_group_pending *p)
{
	(*(int *)ud) += p->invitation ? 100 : 1;
	return 0;
}

static int first_post(void *ud, const struct q_group_post *p)
{
	*(struct q_group_post *)ud = *p;
	return 1;
}

static void test_queries(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t key[32], grp[32], p[32], found[32];
	struct q_group q;
	struct mv_err e;
	setup(&g);
	groups_key_new(key);
	const int k4[] = {4, 0};
	assert_int_equal(create(&g, 2, "night owls", "application", key, k4, false, grp), 1);
	assert_int_equal(gop(&g, 3, "group.apply", grp, NULL, 0), 1);
	assert_int_equal(gop(&g, 2, "group.approve", grp, "applicant", 3), 1);
	assert_int_equal(gop(&g, 5, "group.apply", grp, NULL, 0), 1);
	assert_int_equal(post(&g, 2, grp, 1, key, "hello owls", p), 1);
	struct body_builder *bb = b_new();
	bb_id(bb, "post", p);
	GN_OK(&g, 3, "post.helpful", bb);
	/* the group as 3 sees it: a member without the key yet */
	assert_int_equal(query_group(g.st, grp, g.n.pk[3], &q, &e), MV_OK);
	assert_string_equal(q.name, "night owls");
	assert_int_equal(q.members, 2);
	assert_int_equal(q.posts, 1);
	assert_true(q.me_member);
	assert_false(q.me_moderator);
	assert_false(q.me_has_key);
	assert_int_equal(q.me_keyless_members, 1);
	assert_int_equal(query_group(g.st, grp, g.n.pk[4], &q, &e), MV_OK);
	assert_true(q.me_invited);
	assert_int_equal(query_group(g.st, grp, g.n.pk[5], &q, &e), MV_OK);
	assert_true(q.me_applied);
	int n = 0;
	assert_int_equal(query_groups(g.st, g.n.pk[4], true, count_group, &n, &e), MV_OK);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(query_groups(g.st, g.n.pk[6], true, count_group, &n, &e), MV_OK);
	assert_int_equal(n, 0);
	struct q_group_member m;
	assert_int_equal(query_group_members(g.st, grp, false, last_member, &m, &e), MV_OK);
	assert_memory_equal(m.member, g.n.pk[3], 32); /* moderators first */
	assert_string_equal(m.how, "approved");
	n = 0;
	assert_int_equal(query_group_pending(g.st, grp, count_pending, &n, &e), MV_OK);
	assert_int_equal(n, 101); /* 4 invited, 5 applied */
	struct q_group_post qp;
	assert_int_equal(query_group_posts(g.st, grp, g.n.pk[3], 0, first_post, &qp, &e), MV_OK);
	assert_int_equal(qp.helpful, 1);
	assert_true(qp.marked_by_me);
	assert_false(qp.readable);
	assert_int_equal(query_group_posts(g.st, grp, g.n.pk[2], 0, first_post, &qp, &e), MV_OK);
	assert_true(qp.readable);
	/* resolving a group by name or id prefix */
	char hex[65];
	mv_hex(hex, grp, 32);
	hex[8] = '\0';
	assert_int_equal(query_group_resolve(g.st, "night owls", found, &e), MV_OK);
	assert_memory_equal(found, grp, 32);
	assert_int_equal(query_group_resolve(g.st, hex, found, &e), MV_OK);
	assert_memory_equal(found, grp, 32);
	assert_int_equal(query_group_resolve(g.st, "day owls", found, &e), MV_ENOTFOUND);
	/* a past member is listed with include_past */
	assert_int_equal(gop(&g, 2, "group.remove", grp, "member", 3), 1);
	assert_int_equal(query_group_members(g.st, grp, true, last_member, &m, &e), MV_OK);
	assert_string_equal(m.left_how, "removed");
	gn_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_join),
		cmocka_unit_test(test_key_rotation),
		cmocka_unit_test(test_helpful),
		cmocka_unit_test(test_group_proposals),
		cmocka_unit_test(test_stake_weighted),
		cmocka_unit_test(test_home_helpers),
		cmocka_unit_test(test_apply_message),
		cmocka_unit_test(test_queries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
