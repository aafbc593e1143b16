/* test_payments.c - the payments contract: recording a payment made outside
 * the network, and insurance claims through every state (submitted,
 * approved, denied, paid) with every rejection, including a claim decided by
 * someone who is not its insurer. The money invariant is checked after
 * every op (care_testnet.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testnet.h"
#include "care_testnet.h"
#include "core/query_care.h"

static int record(struct ct *c, int who, int64_t t, const uint8_t s[32], const char *method)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "session", s);
	bb_str(&bb, "method", method);
	bb_str(&bb, "external_ref", "receipt 0042");
	return ct_do(c, who, t, "payment.record", &bb, NULL);
}

static void test_payment_record(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], ext[32], tok[32];
	struct mv_err e;
	struct ct_service sv = {.price = 10 * MV_UNIT, .auto_accept = true};
	ct_setup(&c, 1);
	int64_t t = CT_DAY(0);
	CT_OK(&c, ct_publish(&c, TH, t, &sv, svc));
	int64_t pa = ct_bal(&c, PA);
	CT_OK(&c, ct_book(&c, PA, t + 1, svc, CT_DAY(1) + 10 * HOUR_MS, "external", ext));
	assert_int_equal(ct_bal(&c, PA), pa); /* no escrow for an external payment */
	assert_int_equal(ct_escrow(&c, ext), 0);
	CT_OK(&c, ct_book(&c, PA, t + 2, svc, CT_DAY(1) + 12 * HOUR_MS, "token", tok));
	struct qc_payment p;
	assert_int_equal(query_care_payment(c.st, ext, &p, &e), MV_ENOTFOUND);
	CT_REJ(&c, record(&c, PA, t + 3, ext, "card"), "only the session's therapist");
	CT_REJ(&c, record(&c, TH2, t + 4, ext, "card"), "only the session's therapist");
	CT_REJ(&c, record(&c, TH, t + 5, tok, "card"), "paid by token, not externally");
	CT_REJ(&c, record(&c, TH, t + 6, ext, "bitcoin"), "must be one of card|bank|cash");
	CT_REJ(&c, record(&c, TH, t + 7, c.n.pk[0], "card"), "no such session");
	CT_OK(&c, record(&c, TH, t + 8, ext, "bank"));
	CT_REJ(&c, record(&c, TH, t + 9, ext, "cash"), "payment already recorded");
	assert_int_equal(query_care_payment(c.st, ext, &p, &e), MV_OK);
	assert_string_equal(p.method, "bank");
	assert_string_equal(p.external_ref, "receipt 0042");
	/* completing and settling an external session moves no MVT */
	int64_t th = ct_bal(&c, TH);
	CT_OK(&c, ct_ses(&c, TH, CT_DAY(1) + 11 * HOUR_MS, "session.complete", ext));
	CT_OK(&c, ct_ses(&c, PB, CT_DAY(5), "session.settle", ext));
	assert_int_equal(ct_get(&c, ext).state, CS_SETTLED);
	assert_int_equal(ct_bal(&c, TH), th);
	struct qc_session qs;
	assert_int_equal(query_care_session(c.st, ext, c.n.pk[TH], CT_DAY(5), &qs, &e), MV_OK);
	assert_true(qs.payment_recorded);
	ct_free(&c);
}

static int submit(struct ct *c, int who, int64_t t, const uint8_t s[32], int insurer, size_t keylen,
		  uint8_t out[32])
{
	struct body_builder bb;
	uint8_t blob[32], key[BLOB_SEALED_LEN + 1];
	memset(blob, 0xb0, 32);
	memset(key, 0x42, sizeof key);
	bb_init(&bb);
	bb_id(&bb, "session", s);
	bb_id(&bb, "insurer", c->n.pk[insurer]);
	bb_id(&bb, "policy_blob", blob);
	bb_bytes(&bb, "policy_key", key, keylen);
	return ct_do(c, who, t, "claim.submit", &bb, out);
}

/* approved < 0: none; reason NULL: none. */
static int decide(struct ct *c, int who, int64_t t, const uint8_t claim[32], int64_t approved,
		  const char *reason)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "claim", claim);
	if (approved >= 0)
		bb_int(&bb, "approved_amount", approved);
	if (reason)
		bb_str(&bb, "denial_reason", reason);
	return ct_do(c, who, t, "claim.decide", &bb, NULL);
}

static int pay(struct ct *c, int who, int64_t t, const uint8_t claim[32], const char *method,
	       const char *ref)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "claim", claim);
	bb_str(&bb, "method", method);
	if (ref)
		bb_str(&bb, "external_ref", ref);
	return ct_do(c, who, t, "claim.pay", &bb, NULL);
}

struct claims {
	char state[4][12];
	int64_t approved[4];
	int n;
};

static int claims_cb(void *ud, const struct qc_claim *r)
{
	struct claims *l = ud;
	snprintf(l->state[l->n], sizeof l->state[0], "%s", r->state);
	l->approved[l->n] = r->approved;
	l->n++;
	return l->n == 4;
}

static struct claims claims_of(struct ct *c, int who)
{
	struct claims l = {.n = 0};
	struct mv_err e;
	assert_int_equal(query_care_claims(c->st, c->n.pk[who], claims_cb, &l, &e), MV_OK);
	return l;
}

static void test_claims(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], plain[32], s[32], s2[32], tok[32], cl[32], cl2[32], cl3[32];
	struct ct_service sv = {.price = 10 * MV_UNIT, .insurance = true};
	struct ct_service nosv = {.price = 10 * MV_UNIT, .auto_accept = true};
	ct_setup(&c, 1);
	int64_t t = CT_DAY(0);
	ct_insurer(&c, INS, t);
	CT_OK(&c, ct_publish(&c, TH, t + 1, &sv, svc));
	CT_OK(&c, ct_publish(&c, TH, t + 2, &nosv, plain));
	int64_t pa = ct_bal(&c, PA);
	CT_OK(&c, ct_book(&c, PA, t + 3, svc, CT_DAY(1) + 10 * HOUR_MS, "insurance", s));
	CT_OK(&c, ct_book(&c, PA, t + 4, plain, CT_DAY(1) + 12 * HOUR_MS, "token", tok));
	assert_int_equal(ct_bal(&c, PA), pa - 10 * MV_UNIT - MV_UNIT / 10); /* only the token one */
	/* rejections before a claim exists */
	CT_REJ(&c, submit(&c, PA, t + 5, s, INS, BLOB_SEALED_LEN, NULL), "session is requested: nothing to claim");
	CT_OK(&c, ct_ses(&c, TH, t + 6, "session.accept", s));
	CT_REJ(&c, submit(&c, PA, t + 7, tok, INS, BLOB_SEALED_LEN, NULL), "paid by token, not insurance");
	CT_REJ(&c, submit(&c, PA, t + 8, s, TH2, BLOB_SEALED_LEN, NULL), "not an insurer");
	CT_REJ(&c, submit(&c, PB, t + 9, s, INS, BLOB_SEALED_LEN, NULL), "only the session's patient or therapist");
	CT_REJ(&c, submit(&c, PA, t + 10, s, INS, BLOB_SEALED_LEN - 1, NULL), "policy_key must be");
	CT_OK(&c, submit(&c, PA, t + 11, s, INS, BLOB_SEALED_LEN, cl));
	CT_REJ(&c, submit(&c, TH, t + 12, s, INS, BLOB_SEALED_LEN, NULL), "already has an open claim");
	/* only the named insurer decides */
	CT_REJ(&c, decide(&c, PB, t + 13, cl, 8 * MV_UNIT, NULL), "only the claim's insurer");
	CT_REJ(&c, decide(&c, TH, t + 14, cl, 8 * MV_UNIT, NULL), "only the claim's insurer");
	CT_REJ(&c, decide(&c, 0, t + 15, cl, 8 * MV_UNIT, NULL), "only the claim's insurer");
	CT_REJ(&c, decide(&c, INS, t + 16, cl, 8 * MV_UNIT, "no"), "either approved_amount or denial_reason");
	CT_REJ(&c, decide(&c, INS, t + 17, cl, -1, NULL), "either approved_amount or denial_reason");
	CT_REJ(&c, decide(&c, INS, t + 18, cl, 11 * MV_UNIT, NULL), "above the 10 MVT claimed");
	CT_REJ(&c, decide(&c, INS, t + 19, c.n.pk[0], 1, NULL), "no such claim");
	CT_REJ(&c, pay(&c, INS, t + 20, cl, "token", NULL), "claim is submitted, not approved");
	CT_OK(&c, decide(&c, INS, t + 21, cl, 8 * MV_UNIT, NULL));
	CT_REJ(&c, decide(&c, INS, t + 22, cl, 9 * MV_UNIT, NULL), "claim already approved");
	/* paying in MVT needs the insurer's own funds */
	CT_REJ(&c, pay(&c, INS, t + 23, cl, "token", NULL), "insufficient funds");
	CT_REJ(&c, pay(&c, TH, t + 24, cl, "token", NULL), "only the claim's insurer");
	ct_fund(&c, INS, 9 * MV_UNIT, t + 25);
	int64_t th = ct_bal(&c, TH);
	CT_OK(&c, pay(&c, INS, t + 26, cl, "token", NULL));
	assert_int_equal(ct_bal(&c, TH), th + 8 * MV_UNIT);
	assert_int_equal(ct_bal(&c, INS), MV_UNIT);
	CT_REJ(&c, pay(&c, INS, t + 27, cl, "token", NULL), "claim is paid, not approved");
	struct claims l = claims_of(&c, INS);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.state[0], "paid");
	assert_int_equal(l.approved[0], 8 * MV_UNIT);
	assert_int_equal(claims_of(&c, PA).n, 1);
	assert_int_equal(claims_of(&c, TH).n, 1);
	assert_int_equal(claims_of(&c, PB).n, 0);
	/* denial, then a new claim for the same session, paid outside */
	CT_OK(&c, ct_book(&c, PB, t + 28, svc, CT_DAY(2) + 10 * HOUR_MS, "insurance", s2));
	CT_OK(&c, ct_ses(&c, TH, t + 29, "session.accept", s2));
	CT_OK(&c, submit(&c, TH, t + 30, s2, INS, BLOB_SEALED_LEN, cl2));
	CT_REJ(&c, decide(&c, INS, t + 31, cl2, -1, ""), "must not be empty");
	CT_OK(&c, decide(&c, INS, t + 32, cl2, -1, "POLICY-LAPSED"));
	CT_REJ(&c, pay(&c, INS, t + 33, cl2, "external", "wire 9"), "claim is denied, not approved");
	CT_OK(&c, submit(&c, PB, t + 34, s2, INS, BLOB_SEALED_LEN, cl3));
	CT_OK(&c, decide(&c, INS, t + 35, cl3, 10 * MV_UNIT, NULL));
	CT_REJ(&c, pay(&c, INS, t + 36, cl3, "external", NULL), "external_ref required");
	th = ct_bal(&c, TH);
	CT_OK(&c, pay(&c, INS, t + 37, cl3, "external", "wire 9"));
	assert_int_equal(ct_bal(&c, TH), th);
	l = claims_of(&c, INS);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.state[0], "paid"); /* newest first */
	assert_string_equal(l.state[1], "denied");
	/* a cancelled session has nothing to claim */
	uint8_t s3[32];
	CT_OK(&c, ct_book(&c, PC, t + 38, svc, CT_DAY(3) + 10 * HOUR_MS, "insurance", s3));
	CT_OK(&c, ct_ses(&c, TH, t + 39, "session.accept", s3));
	CT_OK(&c, ct_ses(&c, PC, t + 40, "session.cancel", s3));
	CT_REJ(&c, submit(&c, PC, t + 41, s3, INS, BLOB_SEALED_LEN, NULL), "session is cancelled: nothing to claim");
	ct_free(&c);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payment_record),
		cmocka_unit_test(test_claims),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
