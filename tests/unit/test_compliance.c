/* test_compliance.c - compliance: the compiled jurisdiction table matches
 * assets/jurisdictions.txt field by field; compliance_check's verdicts and
 * errors; regulator requests under the council threshold (every rejection,
 * the subject's notices, the audit log, delivery sealed to the regulator
 * and opened by it on a real home); consent to cross-border notes enforced
 * on note.add; erasure (state references dropped, a pseudonym left, blobs
 * tombstoned by the purge on this node and on a second node that replays
 * the log and will never fetch them, ops still verifying, the erased
 * account unable to act but able to move its MVT); retention sweeps by the
 * patient's rule set; and export-my-data on a real home. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "gov_testnet.h"
#include "core/home_compliance.h"
#include "core/home_people.h"
#include "core/home_care.h"
#include "core/home_groups.h"
#include "core/blobref.h"
#include "core/query_gov.h"

#define U MV_UNIT
#define YEAR (365 * DAY)

/* ---- the rule table ----------------------------------------------------------- */

static void test_jurisdiction_asset(void **state)
{
	(void)state;
	const char *paths[] = {"assets/jurisdictions.txt", "../assets/jurisdictions.txt",
			       "../../assets/jurisdictions.txt", NULL};
	uint8_t *text = NULL;
	size_t len = 0, n = 0, compiled = 0;
	struct mv_err e;
	for (const char **p = paths; *p && !text; p++)
		if (mv_read_file(*p, 1 << 20, &text, &len, &e) != MV_OK)
			text = NULL;
	assert_non_null(text);
	struct jurisdiction_rule parsed[16];
	if (jurisdiction_parse((char *)text, parsed, 16, &n, &e) != MV_OK)
		fail_msg("parse: %s", e.msg);
	for (const struct jurisdiction_rule *r = jurisdiction_rules; r->code; r++)
		compiled++;
	assert_int_equal(n, compiled);
	for (size_t i = 0; i < n; i++) {
		const struct jurisdiction_rule *a = &parsed[i], *b = &jurisdiction_rules[i];
		assert_string_equal(a->code, b->code);
		assert_string_equal(a->law, b->law);
		assert_string_equal(a->name, b->name);
		assert_string_equal(a->countries, b->countries);
		assert_int_equal(a->retention_days, b->retention_days);
		assert_int_equal(a->breach_notice_hours, b->breach_notice_hours);
		assert_string_equal(a->breach_notify, b->breach_notify);
		assert_int_equal(a->cross_border_consent, b->cross_border_consent);
		assert_int_equal(a->erasure_right, b->erasure_right);
		assert_int_equal(a->portability_right, b->portability_right);
		assert_string_equal(a->consent, b->consent);
	}
	free(text);
	/* the four the issue names, and lookups by a user's jurisdiction */
	assert_string_equal(jurisdiction_find("US")->law, "HIPAA");
	assert_string_equal(jurisdiction_find("EU")->law, "GDPR");
	assert_string_equal(jurisdiction_find("UK")->law, "UK GDPR");
	assert_string_equal(jurisdiction_find("CA")->law, "PIPEDA");
	assert_string_equal(jurisdiction_find("DE-BE")->code, "EU");
	assert_string_equal(jurisdiction_find("US-CA")->code, "US");
	assert_string_equal(jurisdiction_find("GB")->code, "UK");
	assert_null(jurisdiction_find("JP"));
	assert_null(jurisdiction_find(""));
	/* the parser names bad lines */
	char bad[] = "[US]\nlaw = HIPAA\nretention_days = soon\n";
	assert_int_equal(jurisdiction_parse(bad, parsed, 16, &n, &e), MV_EINVAL);
	assert_non_null(strstr(e.msg, "line 3"));
}

static bool has_duty(const struct compliance_verdict *v, const char *needle)
{
	for (int i = 0; i < v->nduties; i++)
		if (strstr(v->duties[i], needle))
			return true;
	return false;
}

static void test_compliance_check(void **state)
{
	(void)state;
	struct compliance_verdict v;
	struct mv_err e;
	assert_int_equal(compliance_check("note.add", "EU", &v, &e), MV_OK);
	assert_string_equal(v.law, "GDPR");
	assert_true(v.needs_consent);
	assert_true(has_duty(&v, "retention: session records are kept 3650 days"));
	assert_true(has_duty(&v, "cross-border: notes about a resident"));
	assert_true(has_duty(&v, "within 72 hours"));
	assert_int_equal(compliance_check("note.add", "US-NY", &v, &e), MV_OK);
	assert_false(v.needs_consent);
	assert_true(has_duty(&v, "HIPAA sets no consent requirement"));
	assert_true(has_duty(&v, "within 1440 hours"));
	assert_int_equal(compliance_check("user.erase", "US", &v, &e), MV_OK);
	assert_true(has_duty(&v, "erasure: not a legal right under HIPAA"));
	assert_int_equal(compliance_check("user.erase", "GB", &v, &e), MV_OK);
	assert_true(has_duty(&v, "erasure: a legal right under UK GDPR"));
	assert_int_equal(compliance_check("regulator.request", "CA", &v, &e), MV_OK);
	assert_true(has_duty(&v, "council_threshold council members must approve"));
	assert_true(has_duty(&v, "as soon as feasible"));
	assert_int_equal(compliance_check("ledger.transfer", "EU", &v, &e), MV_OK);
	assert_int_equal(v.nduties, 0);
	assert_int_equal(compliance_check("no.such", "EU", &v, &e), MV_EINVAL);
	assert_non_null(strstr(e.msg, "unknown op kind no.such"));
	assert_int_equal(compliance_check("note.add", "JP", &v, &e), MV_EINVAL);
	assert_non_null(strstr(e.msg, "no rules for jurisdiction JP"));
}

/* ---- regulator requests ---------------------------------------------------------- */

static void appoint_regulator(struct gnet *g, int who, int signers)
{
	for (int m = 0; m < signers; m++) {
		struct body_builder *bb = b_new();
		bb_id(bb, "account", g->n.pk[who]);
		bb_str(bb, "role", "regulator");
		bb_str(bb, "display_name", "Health Authority");
		bb_str(bb, "jurisdiction", "US");
		GN_OK(g, m, "user.appoint", bb);
	}
}

static int request(struct gnet *g, int who, int subject, const char *scope, uint8_t id[32])
{
	struct body_builder *bb = b_new();
	bb_id(bb, "subject", g->n.pk[subject]);
	bb_str(bb, "scope", scope);
	bb_str(bb, "legal_basis", "court order 2026-117");
	int o = gn_do(g, who, "regulator.request", bb);
	if (id)
		memcpy(id, g->last, 32);
	return o;
}

static int req_op(struct gnet *g, int who, const char *kind, const uint8_t id[32], const char *reason)
{
	struct body_builder *bb = b_new();
	bb_id(bb, "request", id);
	if (reason)
		bb_str(bb, "reason", reason);
	return gn_do(g, who, kind, bb);
}

static int reg_deliver(struct gnet *g, int who, const uint8_t id[32])
{
	uint8_t blob[32], key[BLOB_SEALED_LEN];
	memset(blob, 0x42, sizeof blob);
	memset(key, 0x17, sizeof key);
	struct body_builder *bb = b_new();
	bb_id(bb, "request", id);
	bb_id(bb, "blob", blob);
	bb_bytes(bb, "sealed_key", key, sizeof key);
	return gn_do(g, who, "regulator.deliver", bb);
}

static void test_regulator_request(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t r[32], d[32];
	gn_init(&g, 2, NULL);
	gn_register(&g, 2, "patient", "US-CA");
	gn_register(&g, 3, "patient", "US-CA");
	appoint_regulator(&g, 6, 2);
	assert_int_equal(people_role(g.st, g.n.pk[6]), ROLE_REGULATOR);
	expect_why(&g, request(&g, 3, 2, "notes", NULL), "not allowed: regulator_request is for regulators");
	expect_why(&g, request(&g, 6, 9, "notes", NULL), "the subject is not a registered account");
	assert_int_equal(request(&g, 6, 2, "notes", r), 1);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM compliance_notices"), 1);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM access_audit WHERE kind = 'regulator.request'"),
			 1);
	expect_why(&g, req_op(&g, 3, "regulator.approve", r, NULL), "only council members may sign");
	assert_int_equal(req_op(&g, 0, "regulator.approve", r, NULL), 1); /* 1 of 2 */
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM compliance_requests WHERE state = 'pending'"),
			 1);
	expect_why(&g, req_op(&g, 0, "regulator.approve", r, NULL), "already signed this request");
	expect_why(&g, reg_deliver(&g, 2, r), "the council has not granted this request");
	/* the pending request is in the council's review queue */
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM council_requests WHERE kind = "
				       "'regulator.approve'"), 1);
	assert_int_equal(req_op(&g, 1, "regulator.approve", r, NULL), 1); /* 2 of 2: granted */
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM compliance_requests WHERE state = 'granted'"),
			 1);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM council_requests"), 0);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM compliance_notices"), 2);
	expect_why(&g, req_op(&g, 0, "regulator.deny", r, "no"), "request already granted");
	expect_why(&g, reg_deliver(&g, 3, r), "the subject or their therapist delivers the data");
	assert_int_equal(reg_deliver(&g, 2, r), 1);
	expect_why(&g, reg_deliver(&g, 2, r), "request already fulfilled");
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM compliance_notices"), 3);
	/* a denial also takes the threshold, with the same reason */
	assert_int_equal(request(&g, 6, 3, "all", d), 1);
	expect_why(&g, req_op(&g, 0, "regulator.deny", d, ""), "a denial needs a reason");
	assert_int_equal(req_op(&g, 0, "regulator.deny", d, "no legal basis shown"), 1);
	assert_int_equal(req_op(&g, 1, "regulator.deny", d, "no legal basis shown"), 1);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM compliance_requests WHERE state = 'denied'"),
			 1);
	expect_why(&g, reg_deliver(&g, 3, d), "request already denied");
	gn_replay_check(&g);
	gn_free(&g);
}

/* ---- erasure ------------------------------------------------------------------------ */

/* Register who with a private profile (a real blob sealed to them, kept in
 * the store); the blob's hash goes to hash. */
static void register_private(struct gnet *g, int who, const char *text, uint8_t hash[32])
{
	struct mv_buf cipher, sealed;
	struct mv_err e;
	assert_int_equal(blob_seal((const uint8_t *)text, strlen(text),
				   (const uint8_t (*)[32])g->n.pk[who], 1, &cipher, hash, &sealed, &e),
			 MV_OK);
	assert_int_equal(blob_put(g->st, cipher.data, cipher.len, NULL, &e), MV_OK);
	struct body_builder *bb = b_new();
	bb_str(bb, "role", "patient");
	bb_str(bb, "display_name", "quiet-otter");
	bb_str(bb, "jurisdiction", "DE-BE");
	bb_id(bb, "private_blob", hash);
	bb_bytes(bb, "sealed_key", sealed.data, BLOB_SEALED_LEN);
	GN_OK(g, who, "user.register", bb);
	mv_buf_free(&cipher);
	mv_buf_free(&sealed);
}

static void test_erasure(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t prof[32], key[32], grp[32], sealed[BLOB_SEALED_LEN], post_hash[32];
	struct mv_err e;
	gn_init(&g, 1, NULL);
	register_private(&g, 2, "Kai Brandt, kai@example.org", prof);
	gn_register(&g, 3, "patient", "US-CA");
	gn_fund(&g, 2, 50 * U);
	/* a group with a post by 2 */
	groups_key_new(key);
	assert_int_equal(groups_key_seal(key, g.n.pk[3], sealed, &e), MV_OK);
	struct body_builder *bb = b_new();
	bb_str(bb, "name", "circle");
	bb_str(bb, "topic", "grief");
	bb_str(bb, "join_policy", "open");
	bb_bytes(bb, "sealed_key", sealed, sizeof sealed);
	GN_OK(&g, 3, "group.create", bb);
	memcpy(grp, g.last, 32);
	bb = b_new();
	bb_id(bb, "group", grp);
	GN_OK(&g, 2, "group.join", bb);
	memset(post_hash, 0x66, sizeof post_hash);
	assert_int_equal(blob_put(g.st, (const uint8_t *)"ciphertext", 10, post_hash, &e), MV_OK);
	bb = b_new();
	bb_id(bb, "group", grp);
	bb_id(bb, "blob", post_hash);
	bb_int(bb, "key_epoch", 1);
	GN_OK(&g, 2, "group.post", bb);
	/* 2 delegates and consents */
	bb = b_new();
	bb_id(bb, "to", g.n.pk[3]);
	GN_OK(&g, 2, "gov.delegate", bb);
	/* erase */
	bb = b_new();
	GN_REJECT(&g, 2, "user.erase", bb, "missing field confirm");
	bb = b_new();
	bb_str(bb, "confirm", "erase");
	GN_OK(&g, 2, "user.erase", bb);
	assert_true(compliance_erased(g.st, g.n.pk[2]));
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM users_blobs"), 0);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM users_shares"), 0);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM users WHERE display_name LIKE 'erased-%'"), 1);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM users WHERE display_name = 'quiet-otter'"), 0);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM groups_posts"), 0);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM groups_members WHERE left_how = 'erased'"), 1);
	assert_int_equal(sql_int(g.st, "SELECT keyed FROM groups_info"), 0); /* the key rotates */
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM gov_delegations WHERE end_at IS NULL"), 0);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM compliance_purge WHERE reason = 'erasure'"), 2);
	/* blobs are still here until the purge runs on this node */
	assert_true(blob_have(g.st, prof));
	size_t purged;
	assert_int_equal(compliance_purge(g.st, &purged, &e), MV_OK);
	assert_int_equal(purged, 2);
	assert_false(blob_have(g.st, prof));
	assert_false(blob_have(g.st, post_hash));
	struct mv_buf c;
	assert_int_equal(blob_get(g.st, prof, &c, &e), MV_EINVAL);
	assert_non_null(strstr(e.msg, "erased"));
	assert_int_equal(compliance_purge(g.st, &purged, &e), MV_OK);
	assert_int_equal(purged, 0);
	/* the erased account cannot act, except to move its MVT */
	bb = b_new();
	bb_str(bb, "display_name", "back");
	GN_REJECT(&g, 2, "profile.update", bb, "account erased (user.erase)");
	bb = b_new();
	bb_str(bb, "confirm", "erase");
	GN_REJECT(&g, 2, "user.erase", bb, "account erased");
	bb = b_new();
	bb_id(bb, "to", g.n.pk[3]);
	bb_int(bb, "amount", 50 * U);
	GN_OK(&g, 2, "ledger.transfer", bb);
	expect_why(&g, request(&g, 3, 2, "all", NULL), "not allowed");
	/* every op still verifies */
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(g.st), "SELECT raw FROM log_ops", -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct op op;
		assert_int_equal(op_decode(&op, sqlite3_column_blob(s, 0),
					   (size_t)sqlite3_column_bytes(s, 0), &e), MV_OK);
		assert_int_equal(op_verify(&op, &e), MV_OK);
		op_free(&op);
	}
	sqlite3_finalize(s);
	/* a second node replaying the log reaches the same state; its purge
	 * leaves tombstones, so sync never wants those blobs */
	gn_replay_check(&g);
	struct store *st2 = fresh();
	size_t *idx = calloc(g.nops, sizeof *idx);
	for (size_t i = 0; i < g.nops; i++)
		idx[i] = i;
	deliver(st2, g.ops, idx, g.nops);
	free(idx);
	assert_int_equal(compliance_purge(st2, &purged, &e), MV_OK);
	assert_int_equal(purged, 2);
	size_t found;
	assert_int_equal(blobref_scan(st2, &found, &e), MV_OK);
	assert_int_equal(blobref_want_count(st2), 0);
	store_close(st2);
	gn_free(&g);
}

/* ---- sessions: cross-border notes and retention ---------------------------------- */

#define TH 2
#define PUS 3
#define PDE 4

static void verified_therapist(struct gnet *g, int who)
{
	uint8_t keys[BLOB_SEALED_LEN], proof[32];
	memset(keys, 0x5a, sizeof keys);
	memset(proof, 0x33, sizeof proof);
	gn_register(g, who, "therapist", "US-CA");
	struct body_builder *bb = b_new();
	bb_str(bb, "license_no", "PSY-1");
	bb_str(bb, "board", "California Board of Psychology");
	bb_str(bb, "jurisdiction", "US-CA");
	bb_int(bb, "expires", NOW + 400 * DAY);
	bb_id(bb, "proof_blob", proof);
	bb_list_begin(bb, "sealed_keys");
	bb_list_bytes(bb, keys, sizeof keys);
	bb_list_bytes(bb, keys, sizeof keys);
	bb_list_end(bb);
	GN_OK(g, who, "verify.submit", bb);
	bb = b_new();
	bb_id(bb, "applicant", g->n.pk[who]);
	bb_str(bb, "decision", "approve");
	GN_OK(g, 0, "verify.decide", bb);
}

static void publish(struct gnet *g, uint8_t service[32], int64_t day0)
{
	struct body_builder *bb = b_new();
	bb_str(bb, "title", "Talk therapy");
	bb_str(bb, "modality", "individual");
	bb_str(bb, "format", "video");
	bb_int(bb, "duration_min", 60);
	bb_int(bb, "price", 10 * U);
	bb_list_begin(bb, "languages");
	bb_list_str(bb, "en");
	bb_list_end(bb);
	bb_list_begin(bb, "specialties");
	bb_list_str(bb, "anxiety");
	bb_list_end(bb);
	bb_int(bb, "insurance_accepted", 0);
	bb_int(bb, "auto_accept", 1);
	GN_OK(g, TH, "service.publish", bb);
	memcpy(service, g->last, 32);
	bb = b_new();
	bb_list_begin(bb, "windows");
	bb_list_int(bb, day0 + 9 * HOUR);
	bb_list_int(bb, day0 + 17 * HOUR);
	bb_list_end(bb);
	GN_OK(g, TH, "availability.set", bb);
}

static void book(struct gnet *g, int who, const uint8_t service[32], int64_t start, uint8_t id[32])
{
	struct body_builder *bb = b_new();
	bb_id(bb, "service", service);
	bb_int(bb, "start", start);
	bb_str(bb, "payment", "token");
	GN_OK(g, who, "session.book", bb);
	memcpy(id, g->last, 32);
}

static int note(struct gnet *g, const uint8_t session[32], uint8_t blob[32])
{
	uint8_t k[BLOB_SEALED_LEN];
	struct mv_err e;
	memset(k, 0x21, sizeof k);
	char text[40];
	snprintf(text, sizeof text, "note %lld", (long long)g->t);
	assert_int_equal(blob_put(g->st, (const uint8_t *)text, strlen(text), blob, &e), MV_OK);
	struct body_builder *bb = b_new();
	bb_id(bb, "session", session);
	bb_id(bb, "blob", blob);
	bb_int(bb, "shared", 1);
	bb_list_begin(bb, "sealed_keys");
	bb_list_bytes(bb, k, sizeof k);
	bb_list_bytes(bb, k, sizeof k);
	bb_list_end(bb);
	return gn_do(g, TH, "note.add", bb);
}

static int consent(struct gnet *g, int who, const char *kind, int to)
{
	struct body_builder *bb = b_new();
	bb_id(bb, "to", g->n.pk[to]);
	bb_str(bb, "scope", "cross_border");
	return gn_do(g, who, kind, bb);
}

static void test_cross_border_and_retention(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t service[32], s_us[32], s_de[32], b_us[32], b_de[32];
	struct mv_err e;
	const int64_t g0 = NOW - 11 * YEAR;
	gn_init_at(&g, 1, NULL, g0);
	verified_therapist(&g, TH);
	gn_register(&g, PUS, "patient", "US-NY");
	gn_register(&g, PDE, "patient", "DE-BE");
	gn_fund(&g, PUS, 50 * U);
	gn_fund(&g, PDE, 50 * U);
	int64_t day = g0 - g0 % DAY + 2 * DAY;
	publish(&g, service, day);
	book(&g, PUS, service, day + 10 * HOUR, s_us);
	book(&g, PDE, service, day + 12 * HOUR, s_de);
	/* a US therapist's note about a US patient needs no consent */
	assert_int_equal(note(&g, s_us, b_us), 1);
	/* about a patient under the GDPR: only with the patient's consent */
	expect_why(&g, note(&g, s_de, b_de), "compliance (GDPR): notes about a patient in DE-BE kept by "
					     "a therapist in US-CA need the patient's consent");
	expect_why(&g, consent(&g, PDE, "compliance.withdraw", TH), "no such consent to withdraw");
	assert_int_equal(consent(&g, PDE, "compliance.consent", TH), 1);
	expect_why(&g, consent(&g, PDE, "compliance.consent", TH), "consent already given");
	assert_int_equal(note(&g, s_de, b_de), 1);
	assert_int_equal(consent(&g, PDE, "compliance.withdraw", TH), 1);
	uint8_t refused[32];
	expect_why(&g, note(&g, s_de, refused), "need the patient's consent");
	/* both sessions are cancelled: closed */
	struct body_builder *bb = b_new();
	bb_id(bb, "session", s_us);
	GN_OK(&g, PUS, "session.cancel", bb);
	bb = b_new();
	bb_id(bb, "session", s_de);
	GN_OK(&g, PDE, "session.cancel", bb);
	int64_t closed = g.t;
	GN_REJECT(&g, 5, "retention.sweep", b_new(), "no closed session is past its retention period");
	/* six years on: the US session's records go (HIPAA rule: 2190 days) */
	g.t = closed + 2190 * DAY;
	GN_OK(&g, 5, "retention.sweep", b_new());
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM compliance_retained"), 1);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM compliance_purge WHERE reason = 'retention'"),
			 1);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM notes_keys"), 2); /* the DE note's */
	GN_REJECT(&g, 5, "retention.sweep", b_new(), "no closed session is past its retention period");
	size_t purged;
	assert_int_equal(compliance_purge(g.st, &purged, &e), MV_OK);
	assert_int_equal(purged, 1);
	assert_false(blob_have(g.st, b_us));
	assert_true(blob_have(g.st, b_de));
	/* ten years: the GDPR session's (3650 days) */
	g.t = closed + 3650 * DAY;
	GN_OK(&g, 5, "retention.sweep", b_new());
	assert_int_equal(compliance_purge(g.st, &purged, &e), MV_OK);
	assert_int_equal(purged, 1);
	assert_false(blob_have(g.st, b_de));
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM notes_keys"), 0);
	gn_replay_check(&g);
	gn_free(&g);
}

/* ---- on a real home: export-my-data, fulfilment, erasure purge ------------------- */

static bool file_has(const char *dir, const char *file, const char *needle)
{
	char path[256];
	uint8_t *data;
	size_t n;
	struct mv_err e;
	snprintf(path, sizeof path, "%s/%s", dir, file);
	if (mv_read_file(path, 1 << 20, &data, &n, &e) != MV_OK)
		return false;
	bool yes = strstr((char *)data, needle) != NULL;
	free(data);
	return yes;
}

static void submit_or_fail(struct home *h, const char *as, const char *kind, struct body_builder *bb)
{
	struct mv_buf body;
	struct submit_result res;
	struct mv_err e;
	assert_int_equal(bb_build(bb, &body, &e), MV_OK);
	if (home_submit(h, as, kind, body.data, body.len, &res, &e) != MV_OK || res.outcome != 1)
		fail_msg("%s: %s %s", kind, e.msg, res.reason);
	mv_buf_free(&body);
}

static void test_home_export_and_fulfil(void **state)
{
	(void)state;
	char dir[] = "/tmp/mv_test_compliance_XXXXXX", out[128];
	assert_non_null(mkdtemp(dir));
	setenv("MENTALVERSE_PASSPHRASE", "", 1);
	struct home *h;
	struct mv_err e;
	struct submit_result res;
	uint8_t sam[32], reg[32], founder[32];
	assert_int_equal(home_open(&h, dir, true, &e), MV_OK);
	if (home_init(h, "t", NULL, &e) != MV_OK)
		fail_msg("init: %s", e.msg);
	assert_int_equal(home_people_account(h, "founder", founder, &e), MV_OK);
	assert_int_equal(home_keygen(h, "sam", sam, &e), MV_OK);
	assert_int_equal(home_keygen(h, "authority", reg, &e), MV_OK);
	struct home_register_args ra = {.role = "patient", .display_name = "quiet-otter",
					.jurisdiction = "US-CA",
					.private_profile = "Sam Rivera, +1 510 555 0142"};
	assert_int_equal(home_people_register(h, "sam", &ra, &res, &e), MV_OK);
	assert_int_equal(res.outcome, 1);
	/* export-my-data: the private profile decrypted, files 0600 */
	snprintf(out, sizeof out, "%s/export", dir);
	size_t files;
	if (home_compliance_export(h, "sam", out, &files, &e) != MV_OK)
		fail_msg("export: %s", e.msg);
	assert_true(files >= 15);
	assert_true(file_has(out, "profiles.json", "Sam Rivera, +1 510 555 0142"));
	assert_true(file_has(out, "account.json", "quiet-otter"));
	assert_true(file_has(out, "audit.json", "registered as patient"));
	struct stat sb;
	char path[256];
	snprintf(path, sizeof path, "%s/profiles.json", out);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* a regulator request granted by the founder (council of one), fulfilled
	 * by the subject, opened by the regulator */
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "account", reg);
	bb_str(&bb, "role", "regulator");
	bb_str(&bb, "display_name", "Authority");
	bb_str(&bb, "jurisdiction", "US");
	submit_or_fail(h, "founder", "user.appoint", &bb);
	bb_init(&bb);
	bb_id(&bb, "subject", sam);
	bb_str(&bb, "scope", "profile");
	bb_str(&bb, "legal_basis", "subpoena 12");
	submit_or_fail(h, "authority", "regulator.request", &bb);
	uint8_t rid[32];
	assert_int_equal(sql_int(h->st, "SELECT count(*) FROM compliance_requests"), 1);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(h->st), "SELECT id FROM compliance_requests", -1, &s,
					    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	memcpy(rid, sqlite3_column_blob(s, 0), 32);
	sqlite3_finalize(s);
	assert_int_equal(home_compliance_fulfil(h, "sam", rid, &res, &e), MV_EINVAL); /* not granted */
	bb_init(&bb);
	bb_id(&bb, "request", rid);
	submit_or_fail(h, "founder", "regulator.approve", &bb);
	if (home_compliance_fulfil(h, "sam", rid, &res, &e) != MV_OK || res.outcome != 1)
		fail_msg("fulfil: %s %s", e.msg, res.reason);
	struct mv_buf plain;
	if (home_compliance_open_delivery(h, "authority", rid, &plain, &e) != MV_OK)
		fail_msg("open delivery: %s", e.msg);
	assert_non_null(strstr((char *)plain.data, "Sam Rivera"));
	assert_non_null(strstr((char *)plain.data, "subpoena 12"));
	mv_buf_free(&plain);
	assert_int_not_equal(home_compliance_open_delivery(h, "sam", rid, &plain, &e), MV_OK);
	/* erasure, then the home purge */
	bb_init(&bb);
	bb_str(&bb, "confirm", "erase");
	submit_or_fail(h, "sam", "user.erase", &bb);
	/* home_submit ran the purge after the engine: the profile blob is a
	 * tombstone already, and another purge finds nothing */
	assert_int_equal(sql_int(h->st, "SELECT count(*) FROM local_blobs WHERE erased = 1"), 1);
	size_t purged;
	assert_int_equal(home_compliance_purge(h, &purged, &e), MV_OK);
	assert_int_equal(purged, 0);
	assert_int_equal(home_people_open(h, "sam", sam, "profile", &plain, &e) == MV_OK, 0);
	/* a second node importing the log tombstones the blob at once, so it
	 * will never fetch it from a peer */
	char dir2[160];
	snprintf(dir2, sizeof dir2, "%s/second", dir);
	struct home *h2;
	struct mv_buf bundle;
	struct import_counts ic;
	assert_int_equal(home_export(h, &bundle, &e), MV_OK);
	assert_int_equal(home_open(&h2, dir2, true, &e), MV_OK);
	if (home_import(h2, bundle.data, bundle.len, &ic, NULL, NULL, &e) != MV_OK)
		fail_msg("import: %s", e.msg);
	mv_buf_free(&bundle);
	assert_int_equal(sql_int(h2->st, "SELECT count(*) FROM local_blobs WHERE erased = 1"), 1);
	assert_true(compliance_erased(h2->st, sam));
	home_close(h2);
	home_close(h);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	(void)founder;
}

static int count_rows(void *ud, const struct q_report_row *r)
{
	int *n = ud;
	n[r->kind]++;
	return 0;
}

static int keep_request(void *ud, const struct q_reg_request *r)
{
	*(struct q_reg_request *)ud = *r;
	return 0;
}

static int count_notices(void *ud, const struct q_notice *n)
{
	(void)n;
	(*(int *)ud)++;
	return 0;
}

static void test_report(void **state)
{
	(void)state;
	struct gnet g;
	uint8_t r[32];
	struct mv_err e;
	gn_init(&g, 2, NULL);
	gn_register(&g, 2, "patient", "US-CA");
	gn_register(&g, 3, "patient", "GB");
	appoint_regulator(&g, 6, 2);
	int64_t from = g.t;
	assert_int_equal(request(&g, 6, 2, "notes", r), 1);
	assert_int_equal(req_op(&g, 0, "regulator.approve", r, NULL), 1);
	struct q_reg_request q;
	assert_int_equal(query_regulator_requests(g.st, g.n.pk[2], NULL, g.n.pk[0], keep_request, &q,
						  &e), MV_OK);
	assert_string_equal(q.state, "pending");
	assert_int_equal(q.signatures, 1);
	assert_int_equal(q.threshold, 2);
	assert_true(q.signed_by_me);
	assert_int_equal(req_op(&g, 1, "regulator.approve", r, NULL), 1);
	struct body_builder *bb = b_new();
	bb_str(bb, "confirm", "erase");
	GN_OK(&g, 3, "user.erase", bb);
	char pseudo[32];
	assert_true(query_erased(g.st, g.n.pk[3], pseudo, sizeof pseudo));
	assert_int_equal(strncmp(pseudo, "erased-", 7), 0);
	struct q_compliance_report rep;
	int rows[4] = {0};
	assert_int_equal(query_compliance_report(g.st, from, g.t, &rep, count_rows, rows, &e), MV_OK);
	assert_int_equal(rep.requests, 1);
	assert_int_equal(rep.requests_granted, 1);
	assert_int_equal(rep.requests_pending, 0);
	assert_int_equal(rep.erasures, 1);
	assert_int_equal(rows[QR_REQUEST], 1);
	assert_int_equal(rows[QR_ERASURE], 1);
	assert_int_equal(rows[QR_AUDIT], rep.audit_entries);
	assert_true(rep.audit_entries >= 3); /* request, grant, erasure */
	/* a window before any of it is empty */
	assert_int_equal(query_compliance_report(g.st, 0, from, &rep, NULL, NULL, &e), MV_OK);
	assert_int_equal(rep.requests, 0);
	assert_int_equal(rep.erasures, 0);
	int n = 0;
	assert_int_equal(query_compliance_notices(g.st, g.n.pk[2], count_notices, &n, &e), MV_OK);
	assert_int_equal(n, 2);
	gn_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jurisdiction_asset),
		cmocka_unit_test(test_compliance_check),
		cmocka_unit_test(test_regulator_request),
		cmocka_unit_test(test_erasure),
		cmocka_unit_test(test_cross_border_and_retention),
		cmocka_unit_test(test_home_export_and_fulfil),
		cmocka_unit_test(test_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
