/* test_sessions.c - the sessions contract: every transition and rejection of
 * booking, acceptance, cancellation (with the refund boundary exactly at
 * cancel_full_refund_before), rescheduling, check-in, completion, no-shows,
 * settlement, disputes with council approvals, ratings; the offline
 * double-booking scenario delivered in both orders; the money invariant
 * after every op of a randomized sequence; and the iCalendar export. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testnet.h"
#include "care_testnet.h"
#include "core/query_care.h"
#include "core/ics.h"

#define PRICE (10 * MV_UNIT)
#define FEE (PRICE / 100)          /* fee_transfer_bp = 100 */
#define PLATFORM (PRICE * 5 / 100) /* fee_platform_bp = 500 */

/* A scenario with a published 60-minute, 10 MVT service of TH. */
static void with_service(struct ct *c, int threshold, bool auto_accept, uint8_t svc[32])
{
	struct ct_service sv = {.price = PRICE, .auto_accept = auto_accept};
	ct_setup(c, threshold);
	CT_OK(c, ct_publish(c, TH, CT_G0 + 2 * HOUR_MS, &sv, svc));
}

#define D1_10 (CT_DAY(1) + 10 * HOUR_MS) /* day 1, 10:00 UTC */

static void test_happy_path(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], s[32];
	with_service(&c, 1, false, svc);
	int64_t t = CT_DAY(0);
	int64_t pa = ct_bal(&c, PA), th = ct_bal(&c, TH), tr = ct_sys(&c, SYS_TREASURY);
	CT_OK(&c, ct_book(&c, PA, t, svc, D1_10, "token", s));
	struct care_session cs = ct_get(&c, s);
	assert_int_equal(cs.state, CS_REQUESTED);
	assert_int_equal(cs.price, PRICE);
	assert_int_equal(cs.fee, FEE);
	assert_int_equal(cs.end, D1_10 + HOUR_MS);
	assert_memory_equal(cs.root, s, 32);
	assert_int_equal(ct_escrow(&c, s), PRICE + FEE);
	assert_int_equal(ct_bal(&c, PA), pa - PRICE - FEE);
	/* only the therapist accepts */
	CT_REJ(&c, ct_ses(&c, PA, t + 1, "session.accept", s), "only the session's therapist");
	CT_OK(&c, ct_ses(&c, TH, t + 2, "session.accept", s));
	CT_REJ(&c, ct_ses(&c, TH, t + 3, "session.accept", s), "session is confirmed, not requested");
	assert_int_equal(ct_get(&c, s).state, CS_CONFIRMED);
	assert_true(people_in_care(c.st, c.n.pk[TH], c.n.pk[PA]));
	/* check-in: inside [start - 10m, end), once per party */
	CT_REJ(&c, ct_ses(&c, TH, D1_10 - 11 * MIN_MS, "session.checkin", s), "outside the session window");
	CT_OK(&c, ct_ses(&c, TH, D1_10 - 10 * MIN_MS, "session.checkin", s));
	CT_REJ(&c, ct_ses(&c, TH, D1_10 - 9 * MIN_MS, "session.checkin", s), "already checked in");
	CT_REJ(&c, ct_ses(&c, PB, D1_10 - 9 * MIN_MS, "session.checkin", s), "not allowed");
	/* completion before the start is refused */
	CT_REJ(&c, ct_ses(&c, TH, D1_10 - MIN_MS, "session.complete", s), "has not started yet");
	CT_OK(&c, ct_ses(&c, PA, D1_10 + 2 * MIN_MS, "session.checkin", s));
	CT_REJ(&c, ct_ses(&c, PA, D1_10 + 3 * MIN_MS, "session.checkin", s), "already checked in");
	CT_REJ(&c, ct_ses(&c, PA, D1_10 + 50 * MIN_MS, "session.complete", s), "only the session's therapist");
	CT_OK(&c, ct_ses(&c, TH, D1_10 + 55 * MIN_MS, "session.complete", s));
	cs = ct_get(&c, s);
	assert_int_equal(cs.state, CS_COMPLETED);
	assert_string_equal(cs.ended, "completed");
	CT_REJ(&c, ct_ses(&c, PA, D1_10 + HOUR_MS + MIN_MS, "session.checkin", s), "session is completed");
	/* settlement waits for the dispute window */
	int64_t ended = D1_10 + 55 * MIN_MS;
	CT_REJ(&c, ct_ses(&c, PB, ended + 72 * HOUR_MS - 1, "session.settle", s), "nothing to settle yet");
	assert_int_equal(ct_escrow(&c, s), PRICE + FEE);
	CT_OK(&c, ct_ses(&c, PB, ended + 72 * HOUR_MS, "session.settle", s));
	cs = ct_get(&c, s);
	assert_int_equal(cs.state, CS_SETTLED);
	assert_int_equal(ct_escrow(&c, s), 0);
	assert_int_equal(ct_bal(&c, TH), th + PRICE - PLATFORM);
	assert_int_equal(ct_sys(&c, SYS_TREASURY), tr + PLATFORM + FEE);
	assert_int_equal(cs.paid_patient, 0);
	CT_REJ(&c, ct_ses(&c, PB, ended + 73 * HOUR_MS, "session.settle", s), "nothing to settle: session is settled");
	ct_free(&c);
}

static int rate(struct ct *c, int who, int64_t t, const uint8_t s[32], int stars)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "session", s);
	bb_int(&bb, "stars", stars);
	return ct_do(c, who, t, "session.rate", &bb, NULL);
}

static void test_rating(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], s[32];
	with_service(&c, 1, true, svc);
	CT_OK(&c, ct_book(&c, PA, CT_DAY(0), svc, D1_10, "token", s));
	assert_int_equal(ct_get(&c, s).state, CS_CONFIRMED); /* auto_accept */
	CT_REJ(&c, rate(&c, PA, D1_10 - HOUR_MS, s, 5), "only a completed session");
	CT_OK(&c, ct_ses(&c, TH, D1_10 + HOUR_MS, "session.complete", s));
	CT_REJ(&c, rate(&c, TH, D1_10 + 2 * HOUR_MS, s, 5), "only the session's patient");
	CT_REJ(&c, rate(&c, PB, D1_10 + 2 * HOUR_MS, s, 5), "only the session's patient");
	CT_REJ(&c, rate(&c, PA, D1_10 + 2 * HOUR_MS, s, 6), "out of range");
	CT_OK(&c, rate(&c, PA, D1_10 + 2 * HOUR_MS, s, 4));
	CT_REJ(&c, rate(&c, PA, D1_10 + 3 * HOUR_MS, s, 5), "already rated");
	/* the rating settles nothing early but rating after settlement is fine */
	int64_t avg, n;
	struct mv_err e;
	assert_int_equal(query_care_rating(c.st, c.n.pk[TH], &avg, &n, &e), MV_OK);
	assert_int_equal(avg, 400);
	assert_int_equal(n, 1);
	ct_free(&c);
}

static void test_booking_rejections(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], svc2[32], dear[32], ins[32], s[32], s2[32];
	with_service(&c, 1, false, svc);
	int64_t t = CT_DAY(0);
	struct ct_service big = {.price = CT_FUND};
	CT_OK(&c, ct_publish(&c, TH, t, &big, dear));
	struct ct_service cov = {.price = PRICE, .insurance = true};
	CT_OK(&c, ct_publish(&c, TH, t + 1, &cov, ins));
	/* outside availability: after hours, straddling the end, another day */
	CT_REJ(&c, ct_book(&c, PA, t + 2, svc, CT_DAY(1) + 18 * HOUR_MS, "token", NULL), "outside the therapist's availability");
	CT_REJ(&c, ct_book(&c, PA, t + 3, svc, CT_DAY(1) + 16 * HOUR_MS + 30 * MIN_MS, "token", NULL), "outside the therapist's availability");
	CT_REJ(&c, ct_book(&c, PA, t + 4, svc, CT_DAY(25) + 10 * HOUR_MS, "token", NULL), "outside the therapist's availability");
	/* insufficient funds (CT_FUND + fee) */
	CT_REJ(&c, ct_book(&c, PA, t + 5, dear, D1_10, "token", NULL), "insufficient funds");
	assert_int_equal(ct_bal(&c, PA), CT_FUND);
	/* insurance only where accepted */
	CT_REJ(&c, ct_book(&c, PA, t + 6, svc, D1_10, "insurance", NULL), "does not accept insurance");
	/* own service, unknown service, bad payment choice */
	CT_REJ(&c, ct_book(&c, TH, t + 7, svc, D1_10, "token", NULL), "cannot book your own service");
	CT_REJ(&c, ct_book(&c, PA, t + 8, c.n.pk[PA], D1_10, "token", NULL), "no such service");
	CT_REJ(&c, ct_book(&c, PA, t + 9, svc, D1_10, "cheque", NULL), "must be one of");
	/* overlap for the therapist: slot taken; for the patient: own clash */
	CT_OK(&c, ct_book(&c, PA, t + 10, svc, D1_10, "token", s));
	CT_REJ(&c, ct_book(&c, PB, t + 11, svc, D1_10, "token", NULL), "slot taken");
	CT_REJ(&c, ct_book(&c, PB, t + 12, ins, D1_10 + 30 * MIN_MS, "insurance", NULL), "slot taken");
	CT_OK(&c, ct_book(&c, PB, t + 13, svc, D1_10 + HOUR_MS, "token", s2)); /* back to back is fine */
	struct ct_service other = {.price = PRICE};
	CT_OK(&c, ct_publish(&c, TH2, t + 14, &other, svc2));
	CT_OK(&c, ct_office_hours(&c, TH2, t + 15, 0, 5));
	CT_REJ(&c, ct_book(&c, PA, t + 16, svc2, D1_10 + 30 * MIN_MS, "token", NULL), "the patient already has a session at that time");
	/* booking is for patients (the access matrix decides) */
	CT_REJ(&c, ct_book(&c, TH, t + 17, svc2, CT_DAY(2) + 10 * HOUR_MS, "token", NULL), "not allowed");
	/* a suspended therapist cannot be booked or publish */
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "therapist", c.n.pk[TH2]);
	bb_str(&bb, "status", "suspended");
	CT_OK(&c, ct_do(&c, 0, t + 18, "verify.status", &bb, NULL));
	CT_REJ(&c, ct_book(&c, PC, t + 19, svc2, CT_DAY(2) + 10 * HOUR_MS, "token", NULL), "not verified");
	CT_REJ(&c, ct_publish(&c, TH2, t + 20, &other, NULL), "not allowed");
	/* a retired service cannot be booked */
	bb_init(&bb);
	bb_id(&bb, "service", svc);
	CT_OK(&c, ct_do(&c, TH, t + 21, "service.retire", &bb, NULL));
	CT_REJ(&c, ct_book(&c, PC, t + 22, svc, CT_DAY(2) + 10 * HOUR_MS, "token", NULL), "service retired");
	/* notice: 2 hours */
	int64_t d1_14 = CT_DAY(1) + 14 * HOUR_MS;
	CT_REJ(&c, ct_book(&c, PC, d1_14 - 2 * HOUR_MS + 1, ins, d1_14, "insurance", NULL), "too little notice: book at least 2h ahead");
	CT_OK(&c, ct_book(&c, PC, d1_14 - 2 * HOUR_MS + 2, ins, d1_14 + 2 * HOUR_MS, "insurance", NULL));
	/* the booked sessions still stand */
	assert_int_equal(ct_get(&c, s).state, CS_REQUESTED);
	ct_free(&c);
}

/* Cancel a confirmed session as who at time at; returns outcome. */
static int confirmed_then_cancel(struct ct *c, const uint8_t svc[32], int64_t start, int who,
				 int64_t at, uint8_t s[32])
{
	CT_OK(c, ct_book(c, PA, CT_DAY(0), svc, start, "token", s));
	CT_OK(c, ct_ses(c, TH, CT_DAY(0) + 1, "session.accept", s));
	return ct_ses(c, who, at, "session.cancel", s);
}

static void test_cancel_policy(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], s[32];
	struct mv_err e;
	struct qc_refund r;
	with_service(&c, 1, false, svc);
	int64_t start = CT_DAY(3) + 10 * HOUR_MS;
	int64_t pa = ct_bal(&c, PA), th = ct_bal(&c, TH), tr = ct_sys(&c, SYS_TREASURY);

	/* exactly 24h before the start: still a full refund (fee included) */
	CT_OK(&c, ct_book(&c, PA, CT_DAY(0), svc, start, "token", s));
	CT_OK(&c, ct_ses(&c, TH, CT_DAY(0) + 1, "session.accept", s));
	assert_int_equal(query_care_refund_preview(c.st, s, c.n.pk[PA], start - 24 * HOUR_MS, &r, &e), MV_OK);
	assert_true(r.allowed);
	assert_int_equal(r.refund_bp, 10000);
	assert_int_equal(r.split.patient, PRICE + FEE);
	assert_int_equal(r.full_refund_until, start - 24 * HOUR_MS);
	CT_OK(&c, ct_ses(&c, PA, start - 24 * HOUR_MS, "session.cancel", s));
	struct care_session cs = ct_get(&c, s);
	assert_int_equal(cs.state, CS_CANCELLED);
	assert_string_equal(cs.cancelled_by, "patient");
	assert_int_equal(cs.refund_bp, 10000);
	assert_int_equal(ct_bal(&c, PA), pa);
	CT_REJ(&c, ct_ses(&c, PA, start - 23 * HOUR_MS, "session.cancel", s), "only requested or confirmed");

	/* one millisecond later: the late policy, 50% of the price back; the
	 * fee and the platform's share of the kept half go to the treasury */
	int64_t start2 = start + 2 * HOUR_MS;
	CT_OK(&c, ct_book(&c, PA, start - 23 * HOUR_MS + 1, svc, start2, "token", s));
	CT_OK(&c, ct_ses(&c, TH, start - 23 * HOUR_MS + 2, "session.accept", s));
	int64_t late = start2 - 24 * HOUR_MS + 1;
	assert_int_equal(query_care_refund_preview(c.st, s, c.n.pk[PA], late, &r, &e), MV_OK);
	assert_int_equal(r.refund_bp, 5000);
	CT_OK(&c, ct_ses(&c, PA, late, "session.cancel", s));
	int64_t kept = PRICE / 2, plat = kept * 5 / 100;
	assert_int_equal(ct_bal(&c, PA), pa - PRICE - FEE + PRICE / 2);
	assert_int_equal(ct_bal(&c, TH), th + kept - plat);
	assert_int_equal(ct_sys(&c, SYS_TREASURY), tr + plat + FEE);
	assert_int_equal(r.split.patient, PRICE / 2);
	assert_int_equal(r.split.therapist, kept - plat);
	assert_int_equal(r.split.treasury, plat + FEE);
	ct_free(&c);

	/* the therapist cancelling late always refunds in full */
	with_service(&c, 1, false, svc);
	pa = ct_bal(&c, PA);
	uint8_t req[32];
	CT_OK(&c, ct_book(&c, PA, CT_DAY(0), svc, start + 2 * HOUR_MS, "token", req));
	CT_OK(&c, confirmed_then_cancel(&c, svc, start, TH, start - HOUR_MS, s));
	assert_int_equal(ct_bal(&c, PA), pa - PRICE - FEE);
	assert_string_equal(ct_get(&c, s).cancelled_by, "therapist");
	/* a request the therapist never accepted refunds in full even late */
	CT_OK(&c, ct_ses(&c, PA, start - HOUR_MS + 1, "session.cancel", req));
	assert_int_equal(ct_bal(&c, PA), pa);
	/* after the start: refused; strangers: refused */
	CT_OK(&c, ct_book(&c, PA, start - HOUR_MS + 2, svc, start + 4 * HOUR_MS, "token", s));
	CT_OK(&c, ct_ses(&c, TH, start - HOUR_MS + 3, "session.accept", s));
	CT_REJ(&c, ct_ses(&c, PB, start, "session.cancel", s), "not allowed");
	CT_REJ(&c, ct_ses(&c, PA, start + 4 * HOUR_MS, "session.cancel", s), "already started");
	assert_int_equal(query_care_refund_preview(c.st, s, c.n.pk[PA], start + 4 * HOUR_MS, &r, &e), MV_OK);
	assert_false(r.allowed);
	assert_non_null(strstr(r.why, "already started"));
	ct_free(&c);
}

static void test_decline_and_expiry(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], s[32], s2[32];
	with_service(&c, 1, false, svc);
	int64_t pa = ct_bal(&c, PA);
	CT_OK(&c, ct_book(&c, PA, CT_DAY(0), svc, D1_10, "token", s));
	CT_REJ(&c, ct_ses(&c, PA, CT_DAY(0) + 1, "session.decline", s), "only the session's therapist");
	CT_OK(&c, ct_ses(&c, TH, CT_DAY(0) + 2, "session.decline", s));
	assert_int_equal(ct_get(&c, s).state, CS_DECLINED);
	assert_int_equal(ct_bal(&c, PA), pa);
	/* the declined slot is free again */
	CT_OK(&c, ct_book(&c, PB, CT_DAY(0) + 3, svc, D1_10, "token", s2));
	/* never accepted: at the start it expires; accepting then is refused and
	 * settle (by anyone) refunds in full */
	CT_REJ(&c, ct_ses(&c, TH, D1_10, "session.accept", s2), "session is cancelled, not requested");
	assert_int_equal(ct_get(&c, s2).state, CS_REQUESTED); /* the rejected op changed nothing */
	int64_t pb = ct_bal(&c, PB);
	CT_OK(&c, ct_ses(&c, PC, D1_10 + 1, "session.settle", s2));
	struct care_session cs = ct_get(&c, s2);
	assert_int_equal(cs.state, CS_CANCELLED);
	assert_string_equal(cs.cancelled_by, "expired");
	assert_int_equal(ct_bal(&c, PB), pb + PRICE + FEE);
	ct_free(&c);
}

static int resched(struct ct *c, int who, int64_t t, const uint8_t s[32], int64_t start, uint8_t out[32])
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "session", s);
	bb_int(&bb, "start", start);
	return ct_do(c, who, t, "session.reschedule", &bb, out);
}

static void test_reschedule(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], s[32], n1[32], n2[32], n3[32], other[32];
	with_service(&c, 1, false, svc);
	int64_t t = CT_DAY(0);
	int64_t pa = ct_bal(&c, PA);
	CT_OK(&c, ct_book(&c, PA, t, svc, CT_DAY(3) + 10 * HOUR_MS, "token", s));
	CT_OK(&c, ct_ses(&c, TH, t + 1, "session.accept", s));
	CT_OK(&c, ct_book(&c, PB, t + 2, svc, CT_DAY(3) + 14 * HOUR_MS, "token", other));
	/* into a taken slot: rejected, and nothing happened (atomic) */
	struct care_session before = ct_get(&c, s);
	CT_REJ(&c, resched(&c, PA, t + 3, s, CT_DAY(3) + 14 * HOUR_MS, NULL), "slot taken");
	struct care_session after = ct_get(&c, s);
	assert_memory_equal(&before, &after, sizeof before);
	assert_int_equal(ct_escrow(&c, s), PRICE + FEE);
	assert_int_equal(ct_bal(&c, PA), pa - PRICE - FEE);
	CT_REJ(&c, resched(&c, PA, t + 4, s, CT_DAY(3) + 10 * HOUR_MS, NULL), "already starts then");
	CT_REJ(&c, resched(&c, PC, t + 5, s, CT_DAY(3) + 12 * HOUR_MS, NULL), "not allowed");
	/* on time, by the patient: same terms, no penalty, needs acceptance again */
	CT_OK(&c, resched(&c, PA, t + 6, s, CT_DAY(3) + 12 * HOUR_MS, n1));
	struct care_session old = ct_get(&c, s), nw = ct_get(&c, n1);
	assert_int_equal(old.state, CS_CANCELLED);
	assert_memory_equal(old.replaced_by, n1, 32);
	assert_memory_equal(nw.replaces, s, 32);
	assert_memory_equal(nw.root, s, 32);
	assert_int_equal(nw.seq, old.seq + 1);
	assert_int_equal(nw.state, CS_REQUESTED);
	assert_int_equal(ct_bal(&c, PA), pa - PRICE - FEE);
	assert_int_equal(ct_escrow(&c, s), 0);
	assert_int_equal(ct_escrow(&c, n1), PRICE + FEE);
	/* the old slot is free again */
	CT_OK(&c, ct_book(&c, PC, t + 7, svc, CT_DAY(3) + 10 * HOUR_MS, "token", NULL));
	/* by the therapist: confirmed at once, and the price cannot change on
	 * the patient: the session keeps its booked terms */
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "service", svc);
	bb_int(&bb, "price", 15 * MV_UNIT);
	CT_OK(&c, ct_do(&c, TH, t + 8, "service.update", &bb, NULL));
	CT_OK(&c, resched(&c, TH, t + 9, n1, CT_DAY(4) + 10 * HOUR_MS, n2));
	nw = ct_get(&c, n2);
	assert_int_equal(nw.state, CS_CONFIRMED);
	assert_int_equal(nw.price, PRICE);
	assert_memory_equal(nw.root, s, 32);
	assert_int_equal(ct_bal(&c, PA), pa - PRICE - FEE);
	/* late, by the patient: the late-cancel policy applies to the old one
	 * (half the price and its booking fee are kept), then the new one is
	 * paid in full */
	int64_t late = CT_DAY(4) + 10 * HOUR_MS - 5 * HOUR_MS;
	CT_OK(&c, resched(&c, PA, late, n2, CT_DAY(5) + 10 * HOUR_MS, n3));
	assert_int_equal(ct_bal(&c, PA), pa - PRICE - FEE - PRICE / 2 - FEE);
	assert_int_equal(ct_get(&c, n3).state, CS_REQUESTED);
	ct_free(&c);
}

static void test_no_show(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], s[32], s2[32], s3[32];
	with_service(&c, 1, true, svc);
	int64_t th = ct_bal(&c, TH), pa = ct_bal(&c, PA);
	CT_OK(&c, ct_book(&c, PA, CT_DAY(0), svc, D1_10, "token", s));
	CT_REJ(&c, ct_ses(&c, TH, D1_10 + 14 * MIN_MS, "session.no_show", s), "too early");
	CT_OK(&c, ct_ses(&c, TH, D1_10 + 15 * MIN_MS, "session.no_show", s));
	struct care_session cs = ct_get(&c, s);
	assert_int_equal(cs.state, CS_NO_SHOW);
	assert_string_equal(cs.ended, "patient_no_show");
	CT_OK(&c, ct_ses(&c, PB, D1_10 + 15 * MIN_MS + 72 * HOUR_MS, "session.settle", s));
	assert_int_equal(ct_bal(&c, TH), th + PRICE - PLATFORM);
	/* the patient checked in: the therapist cannot call it a no-show */
	int64_t d2 = CT_DAY(5) + 10 * HOUR_MS;
	CT_OK(&c, ct_book(&c, PA, CT_DAY(4), svc, d2, "token", s2));
	CT_OK(&c, ct_ses(&c, PA, d2, "session.checkin", s2));
	CT_REJ(&c, ct_ses(&c, TH, d2 + 20 * MIN_MS, "session.no_show", s2), "the patient checked in");
	/* the therapist never came: the patient gets everything back at once */
	pa = ct_bal(&c, PA);
	CT_OK(&c, ct_ses(&c, PA, d2 + 20 * MIN_MS, "session.no_show", s2));
	cs = ct_get(&c, s2);
	assert_int_equal(cs.state, CS_SETTLED);
	assert_string_equal(cs.ended, "therapist_no_show");
	assert_int_equal(ct_bal(&c, PA), pa + PRICE + FEE);
	/* ... unless the therapist checked in */
	int64_t d3 = CT_DAY(6) + 10 * HOUR_MS;
	CT_OK(&c, ct_book(&c, PA, CT_DAY(5) + 12 * HOUR_MS, svc, d3, "token", s3));
	CT_OK(&c, ct_ses(&c, TH, d3, "session.checkin", s3));
	CT_REJ(&c, ct_ses(&c, PA, d3 + 20 * MIN_MS, "session.no_show", s3), "the therapist checked in");
	CT_REJ(&c, ct_ses(&c, PB, d3 + 20 * MIN_MS, "session.no_show", s3), "not allowed");
	ct_free(&c);
}

static int dispute(struct ct *c, int who, int64_t t, const uint8_t s[32])
{
	struct body_builder bb;
	uint8_t blob[32], key[BLOB_SEALED_LEN];
	memset(blob, 0xd1, 32);
	memset(key, 0x11, sizeof key);
	bb_init(&bb);
	bb_id(&bb, "session", s);
	bb_id(&bb, "reason_blob", blob);
	bb_list_begin(&bb, "reason_keys");
	bb_list_bytes(&bb, key, sizeof key);
	bb_list_end(&bb);
	bb_list_begin(&bb, "reason_readers");
	bb_list_id(&bb, c->n.pk[0]);
	bb_list_end(&bb);
	return ct_do(c, who, t, "session.dispute", &bb, NULL);
}

static int resolve(struct ct *c, int who, int64_t t, const uint8_t s[32], int pct)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "session", s);
	bb_int(&bb, "refund_percent", pct);
	return ct_do(c, who, t, "session.resolve", &bb, NULL);
}

static void test_dispute_and_resolve(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], s[32], late[32];
	with_service(&c, 2, true, svc); /* council threshold 2 of 2 */
	int64_t pa = ct_bal(&c, PA), th = ct_bal(&c, TH), tr = ct_sys(&c, SYS_TREASURY);
	CT_OK(&c, ct_book(&c, PA, CT_DAY(0), svc, D1_10, "token", s));
	CT_REJ(&c, dispute(&c, PA, D1_10 + 10 * MIN_MS, s), "has not ended yet");
	int64_t done = D1_10 + HOUR_MS;
	CT_OK(&c, ct_ses(&c, TH, done, "session.complete", s));
	CT_REJ(&c, dispute(&c, TH, done + HOUR_MS, s), "only the session's patient");
	CT_REJ(&c, resolve(&c, 0, done + HOUR_MS, s, 50), "session is completed, not disputed");
	CT_OK(&c, dispute(&c, PA, done + 72 * HOUR_MS - 1, s));
	assert_int_equal(ct_get(&c, s).state, CS_DISPUTED);
	CT_REJ(&c, dispute(&c, PA, done + 72 * HOUR_MS, s), "already disputed");
	/* frozen: settlement does nothing */
	CT_REJ(&c, ct_ses(&c, PB, done + 80 * HOUR_MS, "session.settle", s), "nothing to settle: session is disputed");
	assert_int_equal(ct_escrow(&c, s), PRICE + FEE);
	/* council approvals: distinct members on the same refund */
	int64_t t = done + 81 * HOUR_MS;
	CT_REJ(&c, resolve(&c, PB, t, s, 50), "only council members");
	CT_OK(&c, resolve(&c, 0, t + 1, s, 50));
	CT_REJ(&c, resolve(&c, 0, t + 2, s, 50), "already approved");
	CT_OK(&c, resolve(&c, 1, t + 3, s, 40)); /* a different outcome: not counted together */
	assert_int_equal(ct_get(&c, s).state, CS_DISPUTED);
	CT_OK(&c, resolve(&c, 1, t + 4, s, 50)); /* member 1 moves to 50: threshold reached */
	struct care_session cs = ct_get(&c, s);
	assert_int_equal(cs.state, CS_SETTLED);
	assert_int_equal(cs.refund_bp, 5000);
	int64_t kept = PRICE / 2, plat = kept * 5 / 100;
	assert_int_equal(ct_bal(&c, PA), pa - PRICE - FEE + PRICE / 2);
	assert_int_equal(ct_bal(&c, TH), th + kept - plat);
	assert_int_equal(ct_sys(&c, SYS_TREASURY), tr + plat + FEE);
	CT_REJ(&c, resolve(&c, 0, t + 5, s, 100), "session is settled, not disputed");
	/* after the window the dispute is refused (and the session settles
	 * at the next successful op instead) */
	int64_t d2 = CT_DAY(8) + 10 * HOUR_MS;
	CT_OK(&c, ct_book(&c, PA, CT_DAY(7), svc, d2, "token", late));
	CT_OK(&c, ct_ses(&c, TH, d2 + HOUR_MS, "session.complete", late));
	CT_REJ(&c, dispute(&c, PA, d2 + HOUR_MS + 72 * HOUR_MS, late), "dispute window closed");
	assert_int_equal(ct_get(&c, late).state, CS_COMPLETED);
	CT_OK(&c, rate(&c, PA, d2 + HOUR_MS + 72 * HOUR_MS + 1, late, 5));
	assert_int_equal(ct_get(&c, late).state, CS_SETTLED); /* the rating op settled it */
	ct_free(&c);
}

static int count_displaced(void *ud, const struct qc_displaced *r)
{
	(void)r;
	++*(int *)ud;
	return 0;
}

/* Two patients book the same slot on two nodes that cannot see each other.
 * Whatever order the bundles meet in, both nodes end in the same state: the
 * booking first in (clock, id) order stands, the other is "slot taken" and
 * its author's money never left. */
static void test_offline_double_booking(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32];
	with_service(&c, 1, false, svc);
	struct store *a = fresh(), *b = fresh();
	size_t all[CT_MAXOPS];
	for (size_t i = 0; i < c.nops; i++)
		all[i] = i;
	deliver(a, c.ops, all, c.nops);
	deliver(b, c.ops, all, c.nops);
	struct op bk[2];
	struct body_builder bb;
	for (int i = 0; i < 2; i++) {
		bb_init(&bb);
		bb_id(&bb, "service", svc);
		bb_int(&bb, "start", D1_10);
		bb_str(&bb, "payment", "token");
		/* PA books a little earlier than PB, on its own node */
		tn_op(&c.n, i ? PB : PA, clk(CT_DAY(0) + (i ? 5000 : 0), 0), "session.book", &bb, &bk[i]);
	}
	size_t i0 = 0, i1 = 1;
	deliver(a, bk, &i0, 1); /* node A: PA's booking first */
	deliver(b, bk, &i1, 1); /* node B: PB's booking first, and applied */
	assert_int_equal(engine_outcome(b, bk[1].id, NULL, 0), 1);
	assert_int_equal(ledger_balance(b, c.n.pk[PB]), CT_FUND - PRICE - FEE);
	deliver(a, bk, &i1, 1); /* then they sync */
	deliver(b, bk, &i0, 1);
	uint8_t ra[32], rb[32];
	root_of(a, ra);
	root_of(b, rb);
	assert_memory_equal(ra, rb, 32);
	struct store *sts[2] = {a, b};
	for (int k = 0; k < 2; k++) {
		char why[256];
		assert_int_equal(engine_outcome(sts[k], bk[0].id, why, sizeof why), 1);
		assert_int_equal(engine_outcome(sts[k], bk[1].id, why, sizeof why), 0);
		assert_string_equal(why, "slot taken");
		assert_int_equal(ledger_balance(sts[k], c.n.pk[PB]), CT_FUND);
		assert_int_equal(ledger_balance(sts[k], c.n.pk[PA]), CT_FUND - PRICE - FEE);
		ct_invariant(sts[k]);
		/* PB's Home learns its booking was displaced */
		int n = 0;
		struct mv_err e;
		assert_int_equal(query_care_displaced(sts[k], c.n.pk[PB], count_displaced, &n, &e), MV_OK);
		assert_int_equal(n, 1);
	}
	store_close(a);
	store_close(b);
	op_free(&bk[0]);
	op_free(&bk[1]);
	ct_free(&c);
}

static uint32_t lcg(uint32_t *r)
{
	*r = *r * 1103515245u + 12345u;
	return *r >> 8;
}

static int key_of(struct ct *c, const uint8_t pk[32])
{
	for (int i = 0; i < NKEYS; i++)
		if (memcmp(c->n.pk[i], pk, 32) == 0)
			return i;
	fail_msg("unknown key");
	return 0;
}

/* Random ops of every kind by random actors at increasing times; the money
 * invariant is checked after each one (ct_do), then the whole log replayed
 * into fresh stores in shuffled batches gives the same state root. */
static void test_random_invariant(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[2][32], ses[64][32];
	size_t nses = 0;
	with_service(&c, 1, false, svc[0]);
	struct ct_service sv2 = {.price = 3 * MV_UNIT + 7, .duration_min = 30, .auto_accept = true};
	CT_OK(&c, ct_publish(&c, TH, CT_G0 + 3 * HOUR_MS, &sv2, svc[1]));
	uint32_t rnd = 777;
	int64_t t = CT_DAY(0);
	int ok = 0, rej = 0;
	const char *kinds[] = {"session.accept", "session.decline", "session.cancel",
			       "session.checkin", "session.complete", "session.no_show",
			       "session.settle", "reschedule", "dispute", "resolve", "rate"};
	const int actors[] = {TH, PA, PB, PC, 0};
	size_t start_ops = c.nops;
	while (c.nops < CT_MAXOPS - 4) {
		t += (int64_t)(lcg(&rnd) % 120) * MIN_MS + 1;
		if (t > CT_DAY(19))
			break;
		int who = actors[lcg(&rnd) % 5];
		int o;
		if (nses < 64 && (nses == 0 || lcg(&rnd) % 4 == 0)) {
			/* a slot in office hours one to three days ahead, half-hour aligned */
			int64_t day = (t - CT_DAY(0)) / DAY_MS + 1 + (int64_t)(lcg(&rnd) % 3);
			int64_t slot = CT_DAY(day) + 9 * HOUR_MS + (int64_t)(lcg(&rnd) % 16) * 30 * MIN_MS;
			o = ct_book(&c, who == TH ? PA : who, t, svc[lcg(&rnd) % 2], slot, "token", ses[nses]);
			if (o == 1)
				nses++;
		} else {
			/* mostly one of the latest sessions, which are still alive */
			size_t back = lcg(&rnd) % (nses < 6 ? nses : 6);
			const uint8_t *s = lcg(&rnd) % 4 ? ses[nses - 1 - back] : ses[lcg(&rnd) % nses];
			const char *k = kinds[lcg(&rnd) % 11];
			/* mostly the session's own parties, sometimes anyone */
			struct care_session cs = ct_get(&c, s);
			if (lcg(&rnd) % 5)
				who = key_of(&c, lcg(&rnd) % 2 ? cs.therapist : cs.patient);
			if (strcmp(k, "reschedule") == 0) {
				int64_t day = (t - CT_DAY(0)) / DAY_MS + 1 + (int64_t)(lcg(&rnd) % 2);
				int64_t slot = CT_DAY(day) + 9 * HOUR_MS + (int64_t)(lcg(&rnd) % 16) * 30 * MIN_MS;
				o = resched(&c, who, t, s, slot, nses < 64 ? ses[nses] : NULL);
				if (o == 1 && nses < 64)
					nses++;
			} else if (strcmp(k, "dispute") == 0) {
				o = dispute(&c, who, t, s);
			} else if (strcmp(k, "resolve") == 0) {
				o = resolve(&c, lcg(&rnd) % 2, t, s, (int)(lcg(&rnd) % 101));
			} else if (strcmp(k, "rate") == 0) {
				o = rate(&c, who, t, s, 1 + (int)(lcg(&rnd) % 5));
			} else {
				o = ct_ses(&c, who, t, k, s);
			}
		}
		if (getenv("CT_DEBUG") && o == 0) /* reasons histogram when tuning */
			fprintf(stderr, "rejected: %s\n", c.why);
		ok += o == 1;
		rej += o == 0;
	}
	print_message("random: %d applied, %d rejected, %zu sessions\n", ok, rej, nses);
	assert_true(ok > 40);
	assert_true(rej > 40);
	/* every state was reached */
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(c.st), "SELECT count(DISTINCT state) FROM sessions",
					    -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int states = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	assert_true(states >= 6);
	/* replays in shuffled batches reach the same root and outcomes */
	uint8_t want[32];
	root_of(c.st, want);
	size_t idx[CT_MAXOPS];
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < c.nops; i++)
			idx[i] = i;
		for (size_t i = c.nops - 1; i > start_ops; i--) {
			size_t j = start_ops + lcg(&rnd) % (i - start_ops + 1), tmp = idx[i];
			idx[i] = idx[j];
			idx[j] = tmp;
		}
		struct store *r = fresh();
		deliver(r, c.ops, idx, start_ops);
		for (size_t at = start_ops; at < c.nops;) {
			size_t k = 1 + lcg(&rnd) % 60;
			if (at + k > c.nops)
				k = c.nops - at;
			deliver(r, c.ops, idx + at, k);
			at += k;
		}
		uint8_t got[32];
		root_of(r, got);
		assert_memory_equal(got, want, 32);
		ct_invariant(r);
		store_close(r);
	}
	ct_free(&c);
}

/* Reputation events of account in rep_events (economy contracts). */
static int64_t rep_sum(struct ct *c, int who, const char *why)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(c->st), "SELECT coalesce(sum(delta), 0) FROM rep_events"
					    " WHERE account = ? AND why = ?", -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_blob(q, 1, c->n.pk[who], 32, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, why, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* Settlement feeds the economy: session rewards from the pool for a
 * completed, unrefunded session; reliability events for attendance,
 * no-shows and late cancellations; a care event for the rating. */
static void test_economy_hooks(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], s[32], ns[32], lc[32];
	struct ct_service sv = {.price = PRICE, .auto_accept = true};
	ct_setup_opts(&c, 1, true);
	CT_OK(&c, ct_publish(&c, TH, CT_G0 + 2 * HOUR_MS, &sv, svc));
	int64_t pa = ct_bal(&c, PA), th = ct_bal(&c, TH), pool = ct_sys(&c, SYS_REWARDS);
	CT_OK(&c, ct_book(&c, PA, CT_DAY(0), svc, D1_10, "token", s));
	CT_OK(&c, ct_ses(&c, PA, D1_10, "session.checkin", s));
	CT_OK(&c, ct_ses(&c, TH, D1_10 + 1, "session.checkin", s));
	CT_OK(&c, ct_ses(&c, TH, D1_10 + HOUR_MS, "session.complete", s));
	CT_OK(&c, rate(&c, PA, D1_10 + 2 * HOUR_MS, s, 5));
	assert_true(rep_sum(&c, TH, "session rating") > 0);
	assert_int_equal(ct_bal(&c, TH), th); /* nothing before settlement */
	CT_OK(&c, ct_ses(&c, PB, D1_10 + HOUR_MS + 72 * HOUR_MS, "session.settle", s));
	assert_int_equal(ct_bal(&c, PA), pa - PRICE - FEE + MV_UNIT);
	assert_int_equal(ct_bal(&c, TH), th + PRICE - PLATFORM + 2 * MV_UNIT);
	assert_int_equal(ct_sys(&c, SYS_REWARDS), pool - 3 * MV_UNIT);
	assert_int_equal(rep_sum(&c, PA, "attended a session"), 10);
	assert_int_equal(rep_sum(&c, TH, "held a session"), 10);
	/* a patient no-show: no reward, a no-show event once it is settled */
	int64_t d = CT_DAY(6) + 10 * HOUR_MS;
	CT_OK(&c, ct_book(&c, PB, CT_DAY(5), svc, d, "token", ns));
	CT_OK(&c, ct_ses(&c, TH, d + 20 * MIN_MS, "session.no_show", ns));
	assert_int_equal(rep_sum(&c, PB, "missed a session"), 0);
	int64_t pb = ct_bal(&c, PB);
	CT_OK(&c, ct_ses(&c, PA, d + 20 * MIN_MS + 72 * HOUR_MS, "session.settle", ns));
	assert_int_equal(rep_sum(&c, PB, "missed a session"), -30);
	assert_int_equal(ct_bal(&c, PB), pb);
	/* a late cancellation by the patient */
	CT_OK(&c, ct_book(&c, PC, CT_DAY(8), svc, CT_DAY(9) + 10 * HOUR_MS, "token", lc));
	CT_OK(&c, ct_ses(&c, PC, CT_DAY(9), "session.cancel", lc));
	assert_int_equal(rep_sum(&c, PC, "cancelled a session late"), -10);
	ct_free(&c);
}

struct collect {
	struct qc_session *rows;
	int *n;
};

static int collect(void *ud, const struct qc_session *r)
{
	struct collect *c = ud;
	c->rows[(*c->n)++] = *r;
	return *c->n == 4;
}

static void test_queries_and_ics(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], s[32], n1[32], x[32];
	struct mv_err e;
	with_service(&c, 1, false, svc);
	CT_OK(&c, ct_book(&c, PA, CT_DAY(0), svc, D1_10, "token", s));
	CT_OK(&c, ct_book(&c, PA, CT_DAY(0) + 1, svc, CT_DAY(2) + 10 * HOUR_MS, "token", x));
	CT_OK(&c, ct_ses(&c, TH, CT_DAY(0) + 2, "session.accept", x));
	CT_OK(&c, resched(&c, PA, CT_DAY(0) + 3, s, D1_10 + 2 * HOUR_MS, n1));
	CT_OK(&c, ct_ses(&c, PA, CT_DAY(0) + 4, "session.cancel", x));
	/* sessions of PA: upcoming shows the rescheduled one only, tentative */
	struct qc_session got[4];
	int n = 0;
	struct collect col = {got, &n};
	assert_int_equal(query_care_sessions(c.st, c.n.pk[PA], QC_UPCOMING, CT_DAY(0) + 5, collect, &col, &e), MV_OK);
	assert_int_equal(n, 1);
	assert_memory_equal(got[0].s.id, n1, 32);
	assert_true(got[0].tentative);
	assert_false(got[0].as_therapist);
	assert_string_equal(got[0].label, "requested");
	assert_string_equal(got[0].title, "Talk therapy");
	n = 0;
	assert_int_equal(query_care_sessions(c.st, c.n.pk[TH], QC_PAST, CT_DAY(0) + 5, collect, &col, &e), MV_OK);
	assert_int_equal(n, 1);
	assert_true(got[0].as_therapist);
	assert_string_equal(got[0].label, "cancelled");
	/* at the start, an unaccepted request shows as expired */
	n = 0;
	assert_int_equal(query_care_sessions(c.st, c.n.pk[PA], QC_ALL, D1_10 + 2 * HOUR_MS, collect, &col, &e), MV_OK);
	assert_int_equal(n, 2);
	assert_string_equal(got[0].label, "expired");
	struct qc_session next;
	assert_int_equal(query_care_next(c.st, c.n.pk[PA], CT_DAY(0) + 5, &next, &e), MV_OK);
	assert_memory_equal(next.s.id, n1, 32);
	assert_int_equal(query_care_next(c.st, c.n.pk[PC], CT_DAY(0) + 5, &next, &e), MV_ENOTFOUND);

	/* iCalendar: one event per chain, UID of the first booking, SEQUENCE
	 * bumped by the reschedule, STATUS:CANCELLED for the cancelled one
	 * (booked 0, accepted 1, cancelled 2) */
	struct mv_buf out = {0};
	assert_int_equal(ics_write(c.st, c.n.pk[PA], NULL, NULL, &out, &e), MV_OK);
	assert_int_equal(mv_buf_byte(&out, 0), MV_OK);
	const char *ics = (const char *)out.data;
	char hex[65], uid[128];
	mv_hex(hex, s, 32);
	snprintf(uid, sizeof uid, "UID:%s@mentalverse\r\n", hex);
	/* UID is 87 octets: folded after 75 */
	char folded[160];
	snprintf(folded, sizeof folded, "%.75s\r\n %s", uid, uid + 75);
	assert_non_null(strstr(ics, folded));
	assert_non_null(strstr(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
	/* booked (0), cancelled by the reschedule (1), successor (2) */
	assert_non_null(strstr(ics, "SEQUENCE:2\r\nSTATUS:TENTATIVE\r\n"));
	assert_non_null(strstr(ics, "SEQUENCE:2\r\nSTATUS:CANCELLED\r\n"));
	assert_non_null(strstr(ics, "DTSTART:"));
	int events = 0;
	for (const char *p = ics; (p = strstr(p, "BEGIN:VEVENT")); p++)
		events++;
	assert_int_equal(events, 2);
	for (const char *line = ics; *line;) {
		const char *eol = strstr(line, "\r\n");
		assert_non_null(eol);
		assert_true(eol - line <= 75);
		line = eol + 2;
	}
	/* byte-identical on a second export */
	struct mv_buf again = {0};
	assert_int_equal(ics_write(c.st, c.n.pk[PA], NULL, NULL, &again, &e), MV_OK);
	assert_int_equal(again.len + 1, out.len);
	assert_memory_equal(again.data, out.data, again.len);
	mv_buf_free(&out);
	mv_buf_free(&again);
	ct_free(&c);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_happy_path),
		cmocka_unit_test(test_rating),
		cmocka_unit_test(test_booking_rejections),
		cmocka_unit_test(test_cancel_policy),
		cmocka_unit_test(test_decline_and_expiry),
		cmocka_unit_test(test_reschedule),
		cmocka_unit_test(test_no_show),
		cmocka_unit_test(test_dispute_and_resolve),
		cmocka_unit_test(test_offline_double_booking),
		cmocka_unit_test(test_random_invariant),
		cmocka_unit_test(test_queries_and_ics),
		cmocka_unit_test(test_economy_hooks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
