/* test_users.c - the users contract: registration (and every refusal:
 * double registration, self-promotion, bad fields), profile updates,
 * privacy settings, selective disclosure (share / revoke), social recovery
 * (below threshold, duplicate approvals, the lost key end to end: the old
 * key is rejected and the balance follows the account), council
 * appointments at the threshold, bot scopes, and the home helper that
 * registers with an encrypted private profile in one call. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NKEYS 12
#include "testnet.h"
#include "testpeople.h"
#include "core/home.h"
#include "core/home_people.h"
#include "core/query_people.h"

static int64_t count_rows(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_finalize(s);
	return n;
}

static void test_register(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	assert_int_equal(people_role(p.st, p.n.pk[2]), ROLE_NONE);
	PN_OK(&p, 2, "user.register", b_register("patient", "quiet-otter"));
	assert_int_equal(people_role(p.st, p.n.pk[2]), ROLE_PATIENT);
	assert_string_equal(people_role_name(ROLE_PATIENT), "patient");
	/* a key registers once, whatever role it asks for the second time */
	PN_REJECT(&p, 2, "user.register", b_register("patient", "again"), "already registered as patient");
	PN_REJECT(&p, 2, "user.register", b_register("therapist", "again"), "a key registers once");
	PN_OK(&p, 3, "user.register", b_register("therapist", "Dr Lin"));
	assert_int_equal(people_role(p.st, p.n.pk[3]), ROLE_THERAPIST);
	assert_false(people_therapist_verified(p.st, p.n.pk[3], p.t));
	/* the audit log has both role changes */
	assert_int_equal(count_rows(p.st, "SELECT count(*) FROM access_audit WHERE what LIKE 'registered as%'"), 2);
	pn_free(&p);
}

static void test_no_self_promotion(void **state)
{
	(void)state;
	static const char *const roles[] = {"council", "insurer", "regulator", "bot"};
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	/* a crafted op asking for a role one cannot take is rejected by every
	 * node (the CLI refuses to sign it at all) */
	for (int i = 0; i < 4; i++) {
		PN_REJECT(&p, 4, "user.register", b_register(roles[i], "me"),
			  "field role must be one of patient|therapist");
		assert_int_equal(people_role(p.st, p.n.pk[4]), ROLE_NONE);
		assert_false(council_is_member(p.st, p.n.pk[4]));
	}
	/* a council member cannot self-appoint either: appointing oneself needs
	 * another key that is not registered... and a registered key cannot be
	 * appointed at all */
	PN_OK(&p, 5, "user.register", b_register("patient", "p5"));
	struct body_builder *bb = bb_new();
	bb_id(bb, "account", p.n.pk[5]);
	bb_str(bb, "role", "insurer");
	bb_str(bb, "display_name", "Acme");
	bb_str(bb, "jurisdiction", "US");
	PN_REJECT(&p, 0, "user.appoint", bb, "a key registers once");
	/* and the key can still register as what it may be */
	PN_OK(&p, 4, "user.register", b_register("patient", "me"));
	pn_free(&p);
}

static void test_register_fields(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	struct body_builder *bb = b_register("patient", "x");
	bb_str(bb, "bio", "I am Jane Doe from Springfield");
	PN_REJECT(&p, 2, "user.register", bb, "only a pseudonym");
	bb = bb_new();
	bb_str(bb, "role", "patient");
	bb_str(bb, "display_name", "x");
	bb_str(bb, "jurisdiction", "us-ca");
	PN_REJECT(&p, 2, "user.register", bb, "jurisdiction must look like");
	PN_REJECT(&p, 2, "user.register", b_register("patient", ""), "display_name must not be empty");
	uint8_t blob[32] = {9};
	bb = b_register("patient", "x");
	bb_id(bb, "private_blob", blob);
	PN_REJECT(&p, 2, "user.register", bb, "go together");
	bb = b_register("patient", "x");
	bb_id(bb, "private_blob", blob);
	bb_bytes(bb, "sealed_key", blob, 32);
	PN_REJECT(&p, 2, "user.register", bb, "80 bytes");
	bb = b_register("patient", "x");
	bb_list_begin(bb, "languages");
	bb_list_str(bb, "EN,FR");
	bb_list_end(bb);
	PN_REJECT(&p, 2, "user.register", bb, "languages");
	/* a therapist may have a public bio and languages */
	bb = b_register("therapist", "Dr Omar");
	bb_str(bb, "bio", "CBT for anxiety and panic");
	bb_list_begin(bb, "languages");
	bb_list_str(bb, "en");
	bb_list_str(bb, "ar");
	bb_list_end(bb);
	PN_OK(&p, 3, "user.register", bb);
	/* a patient with a private profile and an emergency contact */
	uint8_t key[80] = {1};
	bb = b_register("patient", "x");
	bb_id(bb, "private_blob", blob);
	bb_bytes(bb, "sealed_key", key, 80);
	bb_id(bb, "emergency_blob", blob);
	bb_bytes(bb, "emergency_key", key, 80);
	PN_OK(&p, 2, "user.register", bb);
	assert_int_equal(count_rows(p.st, "SELECT count(*) FROM users_shares"), 2);
	pn_free(&p);
}

static void test_profile_update(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	struct body_builder *bb = bb_new();
	bb_str(bb, "display_name", "new");
	PN_REJECT(&p, 2, "profile.update", bb, "not registered");
	PN_OK(&p, 2, "user.register", b_register("patient", "old"));
	PN_REJECT(&p, 2, "profile.update", bb_new(), "nothing to update");
	bb = bb_new();
	bb_str(bb, "bio", "my real name");
	PN_REJECT(&p, 2, "profile.update", bb, "only a pseudonym");
	bb = bb_new();
	bb_str(bb, "display_name", "new");
	bb_str(bb, "jurisdiction", "DE");
	PN_OK(&p, 2, "profile.update", bb);
	struct q_user u;
	struct mv_err e;
	assert_int_equal(query_user(p.st, p.n.pk[2], &u, &e), MV_OK);
	assert_string_equal(u.display_name, "new");
	assert_string_equal(u.jurisdiction, "DE");
	/* a new private blob drops earlier shares */
	uint8_t blob[32] = {7}, key[80] = {2};
	PN_OK(&p, 3, "user.register", b_register("therapist", "t"));
	bb = bb_new();
	bb_id(bb, "private_blob", blob);
	bb_bytes(bb, "sealed_key", key, 80);
	PN_OK(&p, 2, "profile.update", bb);
	bb = bb_new();
	bb_id(bb, "to", p.n.pk[3]);
	bb_bytes(bb, "sealed_key", key, 80);
	PN_OK(&p, 2, "profile.share", bb);
	assert_int_equal(count_rows(p.st, "SELECT count(*) FROM users_shares"), 2);
	blob[0] = 8;
	bb = bb_new();
	bb_id(bb, "private_blob", blob);
	bb_bytes(bb, "sealed_key", key, 80);
	PN_OK(&p, 2, "profile.update", bb);
	assert_int_equal(count_rows(p.st, "SELECT count(*) FROM users_shares"), 1);
	pn_free(&p);
}

static void test_privacy(void **state)
{
	(void)state;
	struct pnet p;
	struct people_privacy pv;
	pn_init(&p, 1, 0, 0);
	struct body_builder *bb = bb_new();
	bb_int(bb, "listed", 1);
	PN_REJECT(&p, 2, "privacy.set", bb, "not registered");
	PN_OK(&p, 2, "user.register", b_register("patient", "p"));
	PN_OK(&p, 3, "user.register", b_register("therapist", "t"));
	people_privacy_get(p.st, p.n.pk[2], &pv);
	assert_false(pv.listed);
	assert_int_equal(pv.who_may_contact, CONTACT_CARE_TEAM);
	people_privacy_get(p.st, p.n.pk[3], &pv);
	assert_true(pv.listed);
	assert_int_equal(pv.who_may_contact, CONTACT_ANYONE);
	PN_REJECT(&p, 2, "privacy.set", bb_new(), "nothing to set");
	bb = bb_new();
	bb_int(bb, "share_mood_with_therapist", 1);
	bb_str(bb, "who_may_contact", "nobody");
	PN_OK(&p, 2, "privacy.set", bb);
	people_privacy_get(p.st, p.n.pk[2], &pv);
	assert_false(pv.listed);
	assert_true(pv.share_mood_with_therapist);
	assert_int_equal(pv.who_may_contact, CONTACT_NOBODY);
	bb = bb_new();
	bb_str(bb, "who_may_contact", "everyone");
	PN_REJECT(&p, 2, "privacy.set", bb, "must be one of");
	pn_free(&p);
}

static struct body_builder *b_share(const uint8_t to[32], const char *what, bool key)
{
	static const uint8_t k[80] = {3};
	struct body_builder *bb = bb_new();
	bb_id(bb, "to", to);
	if (what)
		bb_str(bb, "what", what);
	if (key)
		bb_bytes(bb, "sealed_key", k, 80);
	return bb;
}

static void test_share_revoke(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	PN_REJECT(&p, 2, "profile.share", b_share(p.n.pk[3], NULL, true), "not registered");
	PN_OK(&p, 2, "user.register", b_register("patient", "p"));
	PN_REJECT(&p, 2, "profile.share", b_share(p.n.pk[3], NULL, true), "reader is not a registered");
	PN_OK(&p, 3, "user.register", b_register("therapist", "t"));
	PN_REJECT(&p, 2, "profile.share", b_share(p.n.pk[3], NULL, true), "no profile blob");
	uint8_t blob[32] = {5}, key[80] = {6};
	struct body_builder *bb = bb_new();
	bb_id(bb, "emergency_blob", blob);
	bb_bytes(bb, "emergency_key", key, 80);
	PN_OK(&p, 2, "profile.update", bb);
	PN_REJECT(&p, 2, "profile.share", b_share(p.n.pk[2], "emergency", true), "yourself");
	PN_REJECT(&p, 2, "profile.share", b_share(p.n.pk[3], "emergency", false), "missing field sealed_key");
	PN_OK(&p, 2, "profile.share", b_share(p.n.pk[3], "emergency", true));
	assert_int_equal(count_rows(p.st, "SELECT count(*) FROM users_shares WHERE what = 'emergency'"), 2);
	PN_REJECT(&p, 2, "profile.revoke", b_share(p.n.pk[3], "profile", false), "is not shared");
	PN_OK(&p, 2, "profile.revoke", b_share(p.n.pk[3], "emergency", false));
	PN_REJECT(&p, 2, "profile.revoke", b_share(p.n.pk[3], "emergency", false), "is not shared");
	assert_int_equal(count_rows(p.st, "SELECT count(*) FROM users_shares WHERE what = 'emergency'"), 1);
	assert_int_equal(count_rows(p.st, "SELECT count(*) FROM access_audit WHERE what LIKE 'shared%'"), 1);
	assert_int_equal(count_rows(p.st, "SELECT count(*) FROM access_audit WHERE what LIKE 'revoked%'"), 1);
	pn_free(&p);
}

static struct body_builder *b_guardians(const uint8_t (*g)[32], int n, int threshold)
{
	struct body_builder *bb = bb_new();
	bb_list_begin(bb, "guardians");
	for (int i = 0; i < n; i++)
		bb_list_id(bb, g[i]);
	bb_list_end(bb);
	bb_int(bb, "threshold", threshold);
	return bb;
}

static struct body_builder *b_approve(const uint8_t acct[32], const uint8_t key[32])
{
	struct body_builder *bb = bb_new();
	bb_id(bb, "account", acct);
	bb_id(bb, "new_key", key);
	return bb;
}

static void test_guardians_rules(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	const uint8_t(*k)[32] = (const uint8_t(*)[32])p.n.pk;
	PN_REJECT(&p, 2, "recovery.guardians", b_guardians(k + 3, 2, 2), "not registered");
	for (int i = 2; i <= 5; i++)
		PN_OK(&p, i, "user.register", b_register("patient", "p"));
	PN_REJECT(&p, 2, "recovery.guardians", b_guardians(k + 2, 2, 1), "your own guardian");
	PN_REJECT(&p, 2, "recovery.guardians", b_guardians(k + 3, 4, 2), "not a registered account");
	PN_REJECT(&p, 2, "recovery.guardians", b_guardians(k + 3, 3, 4), "threshold must be between 1 and 3");
	PN_REJECT(&p, 2, "recovery.guardians", b_guardians(k + 3, 3, 11), "field threshold out of range");
	uint8_t dup[2][32];
	memcpy(dup[0], k[3], 32);
	memcpy(dup[1], k[3], 32);
	PN_REJECT(&p, 2, "recovery.guardians", b_guardians((const uint8_t(*)[32])dup, 2, 1), "listed twice");
	PN_REJECT(&p, 2, "recovery.guardians", b_guardians(k + 3, 2, 3), "threshold must be between 1 and 2");
	PN_OK(&p, 2, "recovery.guardians", b_guardians(k + 3, 3, 2));
	struct mv_err e;
	assert_int_equal(query_guardians(p.st, p.n.pk[2], NULL, NULL, &e), 3);
	assert_int_equal(query_recovery_threshold(p.st, p.n.pk[2]), 2);
	assert_int_equal(query_guarded_by(p.st, p.n.pk[4], NULL, NULL, &e), 1);
	pn_free(&p);
}

/* The lost key end to end: patient 2 with guardians 3, 4, 5 (2 of 3) loses
 * key 2; its owner makes key 9; guardians approve; the account moves. */
static void test_recovery_end_to_end(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	const uint8_t(*k)[32] = (const uint8_t(*)[32])p.n.pk;
	for (int i = 2; i <= 6; i++)
		PN_OK(&p, i, "user.register", b_register("patient", "p"));
	struct body_builder *bb = bb_new();
	bb_id(bb, "to", k[2]);
	bb_int(bb, "amount", 10 * MV_UNIT);
	PN_OK(&p, 0, "ledger.transfer", bb);
	PN_OK(&p, 2, "recovery.guardians", b_guardians(k + 3, 3, 2));
	PN_REJECT(&p, 6, "recovery.approve", b_approve(k[2], k[9]), "not a guardian");
	PN_REJECT(&p, 3, "recovery.approve", b_approve(k[6], k[9]), "has no guardians");
	PN_REJECT(&p, 3, "recovery.approve", b_approve(k[2], k[6]), "already in use");
	PN_REJECT(&p, 3, "recovery.approve", b_approve(k[2], k[2]), "already in use");
	PN_OK(&p, 3, "recovery.approve", b_approve(k[2], k[9]));
	PN_REJECT(&p, 3, "recovery.approve", b_approve(k[2], k[9]), "already approved");
	/* below threshold: nothing moved; the old key still works */
	uint8_t acct[32];
	assert_true(account_of_key(p.st, k[9], acct));
	assert_memory_equal(acct, k[9], 32);
	struct mv_err e;
	assert_int_equal(query_recoveries_pending(p.st, k[2], NULL, NULL, &e), 1);
	/* a different new key gathers its own approvals */
	PN_OK(&p, 4, "recovery.approve", b_approve(k[2], k[10]));
	assert_true(account_of_key(p.st, k[9], acct));
	assert_memory_equal(acct, k[9], 32);
	/* second approval of key 9: the account moves */
	PN_OK(&p, 5, "recovery.approve", b_approve(k[2], k[9]));
	assert_true(account_of_key(p.st, k[9], acct));
	assert_memory_equal(acct, k[2], 32);
	assert_false(account_of_key(p.st, k[2], acct));
	assert_int_equal(query_recoveries_pending(p.st, k[2], NULL, NULL, &e), 0);
	uint8_t cur[32];
	people_current_key(p.st, k[2], cur);
	assert_memory_equal(cur, k[9], 32);
	/* the old key is rejected, whatever it sends */
	bb = bb_new();
	bb_id(bb, "to", k[3]);
	bb_int(bb, "amount", MV_UNIT);
	PN_REJECT(&p, 2, "ledger.transfer", bb, "key retired by account recovery");
	/* the new key acts as the account: balance and role followed it */
	assert_int_equal(people_role(p.st, k[2]), ROLE_PATIENT);
	bb = bb_new();
	bb_id(bb, "to", k[3]);
	bb_int(bb, "amount", 4 * MV_UNIT);
	PN_OK(&p, 9, "ledger.transfer", bb);
	assert_int_equal(ledger_balance(p.st, k[2]), 6 * MV_UNIT);
	assert_int_equal(ledger_balance(p.st, k[9]), 0);
	bb = bb_new();
	bb_str(bb, "display_name", "recovered");
	PN_OK(&p, 9, "profile.update", bb);
	/* the new key cannot register a second account */
	PN_REJECT(&p, 9, "user.register", b_register("therapist", "x"), "already registered");
	/* the old key cannot be reused as a new key */
	PN_REJECT(&p, 3, "recovery.approve", b_approve(k[2], k[2]), "already in use");
	/* a second recovery moves the account again (from key 9 to key 11) */
	PN_OK(&p, 3, "recovery.approve", b_approve(k[2], k[11]));
	PN_OK(&p, 4, "recovery.approve", b_approve(k[2], k[11]));
	assert_false(account_of_key(p.st, k[9], acct));
	assert_true(account_of_key(p.st, k[11], acct));
	assert_memory_equal(acct, k[2], 32);
	assert_int_equal(count_rows(p.st, "SELECT count(*) FROM users_recoveries"), 2);
	assert_int_equal(count_rows(p.st, "SELECT count(*) FROM access_audit WHERE what LIKE 'account recovered%'"), 2);
	pn_free(&p);
}

static void test_recovery_cancel(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	const uint8_t(*k)[32] = (const uint8_t(*)[32])p.n.pk;
	for (int i = 2; i <= 4; i++)
		PN_OK(&p, i, "user.register", b_register("patient", "p"));
	PN_OK(&p, 2, "recovery.guardians", b_guardians(k + 3, 2, 2));
	PN_REJECT(&p, 2, "recovery.cancel", bb_new(), "no recovery");
	PN_OK(&p, 3, "recovery.approve", b_approve(k[2], k[9]));
	/* the owner still has the key: a hostile recovery is cancelled */
	PN_OK(&p, 2, "recovery.cancel", bb_new());
	PN_OK(&p, 4, "recovery.approve", b_approve(k[2], k[9]));
	uint8_t acct[32];
	assert_true(account_of_key(p.st, k[2], acct)); /* one approval left: nothing moved */
	/* changing guardians also clears pending approvals */
	PN_OK(&p, 2, "recovery.guardians", b_guardians(k + 3, 2, 1));
	struct mv_err e;
	assert_int_equal(query_recoveries_pending(p.st, k[2], NULL, NULL, &e), 0);
	pn_free(&p);
}

static struct body_builder *b_appoint(const uint8_t acct[32], const char *role, const char *scope)
{
	struct body_builder *bb = bb_new();
	bb_id(bb, "account", acct);
	bb_str(bb, "role", role);
	bb_str(bb, "display_name", "Acme Health");
	bb_str(bb, "jurisdiction", "US");
	if (scope) {
		bb_list_begin(bb, "scopes");
		bb_list_str(bb, scope);
		bb_list_end(bb);
	}
	return bb;
}

static void test_appoint_threshold(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 2, 0, 0);
	const uint8_t(*k)[32] = (const uint8_t(*)[32])p.n.pk;
	PN_OK(&p, 2, "user.register", b_register("patient", "p"));
	PN_REJECT(&p, 2, "user.appoint", b_appoint(k[5], "insurer", NULL), "council is for council members");
	PN_REJECT(&p, 0, "user.appoint", b_appoint(k[5], "bot", NULL), "needs scopes");
	PN_REJECT(&p, 0, "user.appoint", b_appoint(k[5], "insurer", "session.*"), "only bots");
	PN_OK(&p, 0, "user.appoint", b_appoint(k[5], "insurer", NULL));
	assert_int_equal(people_role(p.st, k[5]), ROLE_NONE); /* 1 of 2 */
	struct mv_err e;
	assert_int_equal(query_council_queue(p.st, NULL, NULL, NULL, &e), 1);
	PN_REJECT(&p, 0, "user.appoint", b_appoint(k[5], "insurer", NULL), "already signed");
	/* a different request (another role) is another topic */
	PN_OK(&p, 1, "user.appoint", b_appoint(k[5], "regulator", NULL));
	assert_int_equal(people_role(p.st, k[5]), ROLE_NONE);
	assert_int_equal(query_council_queue(p.st, NULL, NULL, NULL, &e), 2);
	PN_OK(&p, 1, "user.appoint", b_appoint(k[5], "insurer", NULL));
	assert_int_equal(people_role(p.st, k[5]), ROLE_INSURER);
	assert_int_equal(query_council_queue(p.st, NULL, NULL, NULL, &e), 0); /* competing one closed */
	/* the appointed insurer cannot register itself again */
	PN_REJECT(&p, 5, "user.register", b_register("patient", "x"), "already registered");
	/* dismissal */
	struct body_builder *bb = bb_new();
	bb_id(bb, "account", k[2]);
	bb_str(bb, "reason", "x");
	PN_REJECT(&p, 0, "user.dismiss", bb, "only a current insurer");
	bb = bb_new();
	bb_id(bb, "account", k[5]);
	bb_str(bb, "reason", "licence withdrawn");
	PN_OK(&p, 0, "user.dismiss", bb);
	assert_int_equal(people_role(p.st, k[5]), ROLE_INSURER);
	bb = bb_new();
	bb_id(bb, "account", k[5]);
	bb_str(bb, "reason", "licence withdrawn");
	PN_OK(&p, 1, "user.dismiss", bb);
	assert_int_equal(people_role(p.st, k[5]), ROLE_NONE);
	pn_free(&p);
}

static void test_bot_scopes(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	const uint8_t(*k)[32] = (const uint8_t(*)[32])p.n.pk;
	PN_OK(&p, 0, "user.appoint", b_appoint(k[6], "bot", "ledger.*"));
	assert_int_equal(people_role(p.st, k[6]), ROLE_BOT);
	assert_true(people_bot_has_scope(p.st, k[6], "ledger.transfer"));
	assert_false(people_bot_has_scope(p.st, k[6], "ledgerx"));
	assert_false(people_bot_has_scope(p.st, k[6], "profile.update"));
	struct body_builder *bb = bb_new();
	bb_str(bb, "display_name", "renamed");
	PN_REJECT(&p, 6, "profile.update", bb, "scopes do not include profile.update");
	bb = bb_new();
	bb_id(bb, "to", k[0]);
	bb_int(bb, "amount", 1);
	PN_REJECT(&p, 6, "ledger.transfer", bb, "insufficient funds"); /* in scope: reaches the handler */
	pn_free(&p);
}

/* ---- the home helper: register with a private profile in one call ---- */

static void test_home_register_private(void **state)
{
	(void)state;
	char dir[] = "/tmp/mv_test_users_XXXXXX";
	assert_non_null(mkdtemp(dir));
	setenv("MENTALVERSE_PASSPHRASE", "", 1);
	struct home *h;
	struct mv_err e;
	uint8_t pk[32], pk2[32];
	assert_int_equal(home_open(&h, dir, true, &e), MV_OK);
	if (home_init(h, "t", NULL, &e) != MV_OK)
		fail_msg("init: %s", e.msg);
	assert_int_equal(home_keygen(h, "sam", pk, &e), MV_OK);
	assert_int_equal(home_keygen(h, "maya", pk2, &e), MV_OK);
	struct home_register_args ra = {
		.role = "therapist",
		.display_name = "Maya",
		.jurisdiction = "US-CA",
	};
	struct submit_result res;
	assert_int_equal(home_people_register(h, "maya", &ra, &res, &e), MV_OK);
	assert_int_equal(res.outcome, 1);
	const char *priv = "Real name: Sam Rivera\nPhone: +1 555 0100";
	struct home_register_args rs = {
		.role = "patient",
		.display_name = "quiet-otter",
		.jurisdiction = "US-CA",
		.private_profile = priv,
		.emergency_contact = "Mum: +1 555 0199",
	};
	if (home_people_register(h, "sam", &rs, &res, &e) != MV_OK)
		fail_msg("register: %s", e.msg);
	if (res.outcome != 1)
		fail_msg("register rejected: %s", res.reason);
	struct mv_buf plain = {0};
	if (home_people_open(h, "sam", pk, "profile", &plain, &e) != MV_OK)
		fail_msg("open: %s", e.msg);
	assert_int_equal(plain.len, strlen(priv));
	assert_memory_equal(plain.data, priv, plain.len);
	mv_buf_free(&plain);
	/* the ciphertext is padded: its length does not tell the text's */
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(h->st), "SELECT blob FROM users_blobs WHERE what = 'profile'",
					    -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	struct mv_buf cipher;
	assert_int_equal(blob_get(h->st, sqlite3_column_blob(q, 0), &cipher, &e), MV_OK);
	sqlite3_finalize(q);
	assert_int_equal((cipher.len - 40) % 256, 0);
	mv_buf_free(&cipher);
	/* maya has no key yet */
	assert_int_equal(home_people_open(h, "maya", pk, "profile", &plain, &e), MV_ENOTFOUND);
	/* share with maya, who can then read it; revoke stops later shares */
	assert_int_equal(home_people_share(h, "sam", pk2, "profile", &res, &e), MV_OK);
	assert_int_equal(res.outcome, 1);
	assert_int_equal(home_people_open(h, "maya", pk, "profile", &plain, &e), MV_OK);
	assert_memory_equal(plain.data, priv, plain.len);
	mv_buf_free(&plain);
	assert_int_equal(home_people_share(h, "sam", pk2, "emergency", &res, &e), MV_OK);
	assert_int_equal(home_people_open(h, "maya", pk, "emergency", &plain, &e), MV_OK);
	mv_buf_free(&plain);
	home_close(h);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_no_self_promotion),
		cmocka_unit_test(test_register_fields),
		cmocka_unit_test(test_profile_update),
		cmocka_unit_test(test_privacy),
		cmocka_unit_test(test_share_revoke),
		cmocka_unit_test(test_guardians_rules),
		cmocka_unit_test(test_recovery_end_to_end),
		cmocka_unit_test(test_recovery_cancel),
		cmocka_unit_test(test_appoint_threshold),
		cmocka_unit_test(test_bot_scopes),
		cmocka_unit_test(test_home_register_private),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
