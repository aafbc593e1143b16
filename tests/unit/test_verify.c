/* test_verify.c - the verify contract: license submission (and its
 * refusals), council decisions at the threshold (non-council, self-decision,
 * below threshold, duplicate signature, resubmission resets signatures),
 * rejection, expiry by effective time, status changes, continuing
 * education with the yearly minimum ("CE due" blocks publishing), the
 * queries the UI shows, and the proof sealed to the council through a home. */
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

#define NKEYS 10
#include "testnet.h"
#include "testpeople.h"
#include "core/home.h"
#include "core/home_people.h"
#include "core/query_people.h"

#define YEAR (365 * DAY)

static void test_submit_rules(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	PN_REJECT(&p, 2, "verify.submit", b_submit("L1", p.t + YEAR), "not allowed: verify_submit is for registered therapists");
	PN_OK(&p, 3, "user.register", b_register("patient", "p"));
	PN_REJECT(&p, 3, "verify.submit", b_submit("L1", p.t + YEAR), "you are a patient");
	PN_OK(&p, 2, "user.register", b_register("therapist", "t"));
	PN_REJECT(&p, 2, "verify.submit", b_submit("L1", p.t - 1), "license expired");
	/* one sealed key per council member (2 here) */
	uint8_t key[80] = {0};
	struct body_builder *bb = bb_new();
	bb_str(bb, "license_no", "L1");
	bb_str(bb, "board", "B");
	bb_str(bb, "jurisdiction", "US-CA");
	bb_int(bb, "expires", p.t + YEAR);
	bb_id(bb, "proof_blob", key);
	bb_list_begin(bb, "sealed_keys");
	bb_list_bytes(bb, key, 80);
	bb_list_end(bb);
	PN_REJECT(&p, 2, "verify.submit", bb, "one sealed key per council member (2)");
	bb = b_submit("", p.t + YEAR);
	PN_REJECT(&p, 2, "verify.submit", bb, "must not be empty");
	PN_OK(&p, 2, "verify.submit", b_submit("L1", p.t + YEAR));
	struct q_therapist t;
	struct mv_err e;
	assert_int_equal(query_therapist(p.st, p.n.pk[2], p.t, &t, &e), MV_OK);
	assert_string_equal(t.state, "pending");
	assert_true(t.pending);
	assert_false(t.verified);
	assert_int_equal(query_applications(p.st, NULL, NULL, &e), 1);
	pn_free(&p);
}

static void test_decide_threshold(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 2, 0, 0);
	const uint8_t(*k)[32] = (const uint8_t(*)[32])p.n.pk;
	PN_OK(&p, 2, "user.register", b_register("therapist", "t"));
	PN_REJECT(&p, 0, "verify.decide", b_decide(k[2], "approve"), "no pending application");
	PN_OK(&p, 2, "verify.submit", b_submit("L2", p.t + YEAR));
	/* not council: nobody else can decide */
	PN_OK(&p, 3, "user.register", b_register("therapist", "t3"));
	PN_REJECT(&p, 3, "verify.decide", b_decide(k[2], "approve"), "not allowed: verify_decide is for council members");
	PN_REJECT(&p, 2, "verify.decide", b_decide(k[2], "approve"), "not allowed");
	/* below threshold: one of two */
	PN_OK(&p, 0, "verify.decide", b_decide(k[2], "approve"));
	assert_false(people_therapist_verified(p.st, k[2], p.t));
	PN_REJECT(&p, 0, "verify.decide", b_decide(k[2], "approve"), "already signed");
	struct mv_err e;
	assert_int_equal(query_council_queue(p.st, k[0], NULL, NULL, &e), 1);
	/* a resubmission resets the signatures (they were about the old one) */
	PN_OK(&p, 2, "verify.submit", b_submit("L2", p.t + YEAR));
	assert_int_equal(query_council_queue(p.st, NULL, NULL, NULL, &e), 0);
	PN_OK(&p, 0, "verify.decide", b_decide(k[2], "approve"));
	assert_false(people_therapist_verified(p.st, k[2], p.t));
	/* a signature for the other decision does not add up with approvals */
	PN_OK(&p, 1, "verify.decide", b_decide(k[2], "reject"));
	assert_false(people_therapist_verified(p.st, k[2], p.t));
	PN_OK(&p, 1, "verify.decide", b_decide(k[2], "approve"));
	assert_true(people_therapist_verified(p.st, k[2], p.t));
	assert_int_equal(query_council_queue(p.st, NULL, NULL, NULL, &e), 0); /* the reject closed too */
	assert_int_equal(query_applications(p.st, NULL, NULL, &e), 0);
	PN_REJECT(&p, 0, "verify.decide", b_decide(k[2], "approve"), "no pending application");
	struct q_therapist t;
	assert_int_equal(query_therapist(p.st, k[2], p.t, &t, &e), MV_OK);
	assert_string_equal(t.state, "active");
	assert_string_equal(t.license_no, "L2");
	assert_true(t.verified);
	assert_true(t.can_publish);
	assert_int_equal(query_therapists(p.st, p.t, true, NULL, NULL, &e), 1);
	assert_int_equal(query_therapists(p.st, p.t, false, NULL, NULL, &e), 2);
	pn_free(&p);
}

static void test_self_decision(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	const uint8_t(*k)[32] = (const uint8_t(*)[32])p.n.pk;
	/* council member 1 is also a therapist applicant */
	PN_OK(&p, 1, "user.register", b_register("therapist", "councillor"));
	PN_OK(&p, 1, "verify.submit", b_submit("L9", p.t + YEAR));
	PN_REJECT(&p, 1, "verify.decide", b_decide(k[1], "approve"), "nobody decides about themselves");
	PN_OK(&p, 0, "verify.decide", b_decide(k[1], "approve"));
	assert_true(people_therapist_verified(p.st, k[1], p.t));
	PN_REJECT(&p, 1, "verify.status", b_status(k[1], "active"), "nobody decides about themselves");
	pn_free(&p);
}

static void test_reject_and_anomaly(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	const uint8_t(*k)[32] = (const uint8_t(*)[32])p.n.pk;
	struct mv_err e;
	PN_OK(&p, 2, "user.register", b_register("therapist", "t"));
	PN_OK(&p, 2, "verify.submit", b_submit("FAKE", p.t + YEAR));
	PN_OK(&p, 0, "verify.decide", b_decide(k[2], "reject"));
	assert_false(people_therapist_verified(p.st, k[2], p.t));
	struct q_therapist t;
	assert_int_equal(query_therapist(p.st, k[2], p.t, &t, &e), MV_OK);
	assert_string_equal(t.state, "rejected");
	assert_string_equal(t.reason, "checked with the board");
	assert_int_equal(query_anomalies(p.st, p.t, NULL, NULL, &e), 0);
	PN_OK(&p, 2, "verify.submit", b_submit("FAKE2", p.t + YEAR));
	PN_OK(&p, 0, "verify.decide", b_decide(k[2], "reject"));
	/* two failed verifications: flagged for the council */
	assert_int_equal(query_anomalies(p.st, p.t, NULL, NULL, &e), 1);
	assert_int_equal(query_verify_history(p.st, k[2], NULL, NULL, &e), 4);
	pn_free(&p);
}

static int first_anomaly(void *ud, const struct q_anomaly *a)
{
	memcpy(ud, a, sizeof *a);
	return 1;
}

static void test_anomaly_kind(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	const uint8_t(*k)[32] = (const uint8_t(*)[32])p.n.pk;
	struct mv_err e;
	struct q_anomaly a;
	PN_OK(&p, 2, "user.register", b_register("therapist", "t"));
	for (int i = 0; i < 2; i++) {
		PN_OK(&p, 2, "verify.submit", b_submit("F", p.t + YEAR));
		PN_OK(&p, 0, "verify.decide", b_decide(k[2], "reject"));
	}
	assert_int_equal(query_anomalies(p.st, p.t, first_anomaly, &a, &e), 1);
	assert_string_equal(a.kind, "failed_verification");
	assert_memory_equal(a.account, k[2], 32);
	assert_int_equal(a.count, 2);
	pn_free(&p);
}

static void test_expiry(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	const uint8_t(*k)[32] = (const uint8_t(*)[32])p.n.pk;
	struct mv_err e;
	/* expired between submission and decision: the approval is refused */
	PN_OK(&p, 3, "user.register", b_register("therapist", "late"));
	PN_OK(&p, 3, "verify.submit", b_submit("L3", p.t + 10 * DAY));
	pn_wait(&p, 11 * DAY);
	PN_REJECT(&p, 0, "verify.decide", b_decide(k[3], "approve"), "license expired");
	/* verified, then the license expires by effective time */
	int64_t exp = p.t + 30 * DAY;
	pn_verified_therapist(&p, 2, "L2", exp, 1);
	assert_true(people_therapist_verified(p.st, k[2], p.t));
	assert_true(people_therapist_verified(p.st, k[2], exp - 1));
	assert_false(people_therapist_verified(p.st, k[2], exp));
	pn_wait(&p, 31 * DAY);
	struct q_therapist t;
	assert_int_equal(query_therapist(p.st, k[2], p.t, &t, &e), MV_OK);
	assert_string_equal(t.state, "expired");
	assert_false(t.can_publish);
	assert_string_equal(t.why, "license expired");
	/* the contracts see it too: emergency access needs a verified therapist */
	PN_OK(&p, 4, "user.register", b_register("patient", "p"));
	pn_care(&p, 2, 4);
	struct body_builder *bb = bb_new();
	bb_id(bb, "patient", k[4]);
	bb_str(bb, "reason", "risk_to_life");
	PN_REJECT(&p, 2, "access.emergency", bb, "you are a therapist not verified now");
	/* renewal: a new license, approved again */
	PN_OK(&p, 2, "verify.submit", b_submit("L2", p.t + YEAR));
	PN_OK(&p, 0, "verify.decide", b_decide(k[2], "approve"));
	assert_true(people_therapist_verified(p.st, k[2], p.t));
	pn_free(&p);
}

static void test_license_unique(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 0);
	pn_verified_therapist(&p, 2, "L-SHARED", p.t + YEAR, 1);
	PN_OK(&p, 3, "user.register", b_register("therapist", "copycat"));
	PN_REJECT(&p, 3, "verify.submit", b_submit("L-SHARED", p.t + YEAR), "already verifies another account");
	pn_free(&p);
}

static void test_status(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 2, 0, 0);
	const uint8_t(*k)[32] = (const uint8_t(*)[32])p.n.pk;
	struct mv_err e;
	PN_OK(&p, 3, "user.register", b_register("therapist", "never"));
	PN_REJECT(&p, 0, "verify.status", b_status(k[3], "suspended"), "never verified");
	pn_verified_therapist(&p, 2, "L2", p.t + 2 * YEAR, 2);
	PN_REJECT(&p, 3, "verify.status", b_status(k[2], "suspended"), "not allowed");
	PN_REJECT(&p, 0, "verify.status", b_status(k[2], "active"), "status is already active");
	PN_OK(&p, 0, "verify.status", b_status(k[2], "suspended"));
	assert_true(people_therapist_verified(p.st, k[2], p.t)); /* 1 of 2 */
	PN_OK(&p, 1, "verify.status", b_status(k[2], "suspended"));
	assert_false(people_therapist_verified(p.st, k[2], p.t));
	char why[128];
	assert_false(people_therapist_can_publish(p.st, k[2], p.t, why, sizeof why));
	assert_string_equal(why, "verification suspended");
	struct q_therapist t;
	assert_int_equal(query_therapist(p.st, k[2], p.t, &t, &e), MV_OK);
	assert_string_equal(t.state, "suspended");
	assert_string_equal(t.reason, "board notice");
	/* reinstated */
	PN_OK(&p, 0, "verify.status", b_status(k[2], "active"));
	PN_OK(&p, 1, "verify.status", b_status(k[2], "active"));
	assert_true(people_therapist_verified(p.st, k[2], p.t));
	/* revoked: a new approval is refused until the council reinstates */
	PN_OK(&p, 0, "verify.status", b_status(k[2], "revoked"));
	PN_OK(&p, 1, "verify.status", b_status(k[2], "revoked"));
	assert_false(people_therapist_verified(p.st, k[2], p.t));
	PN_OK(&p, 2, "verify.submit", b_submit("L2", p.t + YEAR));
	PN_REJECT(&p, 0, "verify.decide", b_decide(k[2], "approve"), "verification was revoked");
	assert_int_equal(query_audit(p.st, k[2], 0, 0, NULL, NULL, &e), 7); /* registered, submitted, verified, suspended, active, revoked, submitted */
	pn_free(&p);
}

static void test_ce(void **state)
{
	(void)state;
	struct pnet p;
	pn_init(&p, 1, 0, 20);
	const uint8_t(*k)[32] = (const uint8_t(*)[32])p.n.pk;
	char why[128];
	struct people_ce ce;
	struct mv_err e;
	PN_REJECT(&p, 2, "verify.ce", b_ce(5), "log_ce is for registered therapists");
	pn_verified_therapist(&p, 2, "L2", p.t + 3 * YEAR - 30 * DAY, 1);
	PN_REJECT(&p, 2, "verify.ce", b_ce(0), "field hours out of range");
	PN_REJECT(&p, 2, "verify.ce", b_ce(201), "field hours out of range");
	/* the first year is grace */
	assert_true(people_therapist_can_publish(p.st, k[2], p.t, why, sizeof why));
	PN_OK(&p, 2, "verify.ce", b_ce(8));
	pn_wait(&p, YEAR);
	people_ce_status(p.st, k[2], p.t, &ce);
	assert_true(ce.due);
	assert_int_equal(ce.required, 20);
	assert_int_equal(ce.hours, 0); /* the 8 hours are more than a year old now */
	assert_false(people_therapist_can_publish(p.st, k[2], p.t, why, sizeof why));
	assert_string_equal(why, "CE due: 0 of 20 hours in the last 12 months");
	/* still verified (emergency access etc.), only publishing stops */
	assert_true(people_therapist_verified(p.st, k[2], p.t));
	struct q_therapist t;
	assert_int_equal(query_therapist(p.st, k[2], p.t, &t, &e), MV_OK);
	assert_true(t.ce.due);
	PN_OK(&p, 2, "verify.ce", b_ce(12));
	assert_false(people_therapist_can_publish(p.st, k[2], p.t, why, sizeof why));
	PN_OK(&p, 2, "verify.ce", b_ce(8));
	assert_true(people_therapist_can_publish(p.st, k[2], p.t, why, sizeof why));
	assert_int_equal(query_ce_log(p.st, k[2], NULL, NULL, &e), 3);
	/* a year later the hours rolled out of the window again */
	pn_wait(&p, YEAR);
	assert_false(people_therapist_can_publish(p.st, k[2], p.t, why, sizeof why));
	pn_free(&p);
}

/* Through a home: the proof is sealed to the council, who can open it. */
static void test_home_proof(void **state)
{
	(void)state;
	char dir[] = "/tmp/mv_test_verify_XXXXXX";
	assert_non_null(mkdtemp(dir));
	setenv("MENTALVERSE_PASSPHRASE", "", 1);
	struct home *h;
	struct mv_err e;
	uint8_t pk[32];
	assert_int_equal(home_open(&h, dir, true, &e), MV_OK);
	if (home_init(h, "t", NULL, &e) != MV_OK)
		fail_msg("init: %s", e.msg);
	assert_int_equal(home_keygen(h, "maya", pk, &e), MV_OK);
	struct home_register_args ra = {.role = "therapist", .display_name = "Maya", .jurisdiction = "US-CA"};
	struct submit_result res;
	assert_int_equal(home_people_register(h, "maya", &ra, &res, &e), MV_OK);
	assert_int_equal(res.outcome, 1);
	const char proof[] = "%PDF-1.4 license scan";
	struct home_verify_args va = {
		.license_no = "LMFT 123", .board = "CA BBS", .jurisdiction = "US-CA",
		.specialties = "anxiety,couples", .expires = mv_now_ms() + 365 * DAY,
		.proof = proof, .proof_len = sizeof proof,
	};
	if (home_people_verify_submit(h, "maya", &va, &res, &e) != MV_OK)
		fail_msg("submit: %s", e.msg);
	if (res.outcome != 1)
		fail_msg("submit rejected: %s", res.reason);
	struct mv_buf plain;
	assert_int_equal(home_people_open_proof(h, "maya", pk, &plain, &e), MV_ENOTFOUND);
	if (home_people_open_proof(h, "founder", pk, &plain, &e) != MV_OK)
		fail_msg("open proof: %s", e.msg);
	assert_int_equal(plain.len, sizeof proof);
	assert_memory_equal(plain.data, proof, sizeof proof);
	mv_buf_free(&plain);
	char applicant[80];
	char hex[65];
	mv_hex(hex, pk, 32);
	snprintf(applicant, sizeof applicant, "applicant=%s", hex);
	char *fields[] = {applicant, "decision=approve"};
	assert_int_equal(home_submit_fields(h, "founder", "verify.decide", 2, fields, &res, &e), MV_OK);
	if (res.outcome != 1)
		fail_msg("decide rejected: %s", res.reason);
	assert_true(people_therapist_verified(h->st, pk, mv_now_ms()));
	home_close(h);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_submit_rules),
		cmocka_unit_test(test_decide_threshold),
		cmocka_unit_test(test_self_decision),
		cmocka_unit_test(test_reject_and_anomaly),
		cmocka_unit_test(test_anomaly_kind),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_license_unique),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_ce),
		cmocka_unit_test(test_home_proof),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
