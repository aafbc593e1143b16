/* care_testnet.h - a care scenario on top of testnet.h for the services,
 * sessions, payments and notes tests (header-only; include after testnet.h):
 * a genesis with every care parameter and a clock 60 days back (so a
 * scenario can run days of sessions before testnet's NOW), people made by
 * the real user/verify ops, and helpers that sign an op, apply it, remember
 * it (for replays in other orders) and check the money invariant after it.
 *
 * Keys: 0 and 1 are the council, 2 and 3 therapists, 4..6 patients, 7 an
 * insurer (when the scenario appoints one). */
#ifndef MV_CARE_TESTNET_H
#define MV_CARE_TESTNET_H

#include "core/care.h"
#include "core/people.h"
#include "core/blob.h"

#define HOUR_MS ((int64_t)3600000)
#define DAY_MS (24 * HOUR_MS)
#define MIN_MS ((int64_t)60000)
#define CT_G0 (NOW - 60 * DAY_MS)        /* genesis time */
#define CT_DAY(d) (CT_G0 + 10 * DAY_MS + (int64_t)(d) * DAY_MS) /* midnight of day d */
#define CT_MAXOPS 512
#define CT_SUPPLY (1000 * MV_UNIT)
#define CT_FUND (30 * MV_UNIT) /* each patient's starting balance */

enum { TH = 2, TH2 = 3, PA = 4, PB = 5, PC = 6, INS = 7 };

struct ct {
	struct net n;
	struct store *st;
	struct op ops[CT_MAXOPS];
	size_t nops;
	uint16_t ctr;
	uint64_t last[NKEYS]; /* last clock signed by each key (chains must rise) */
	int threshold;
	char why[256]; /* reason of the last rejection */
	bool check;    /* check the invariant after every op */
};

/* The money invariant: the sum of every balance (escrows included) equals
 * the supply, no balance is negative, and each session's escrow holds its
 * price + fee exactly while escrowed and nothing otherwise. */
static inline void ct_invariant(struct store *st)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT coalesce(sum(amount), 0), coalesce(min(amount), 0)"
						" FROM balances", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	if (sqlite3_column_int64(s, 0) != CT_SUPPLY)
		fail_msg("supply broken: %lld", (long long)sqlite3_column_int64(s, 0));
	assert_true(sqlite3_column_int64(s, 1) >= 0);
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM sessions ORDER BY id", -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct care_session cs;
		uint8_t esc[32];
		struct mv_err e;
		assert_int_equal(care_session_get(st, sqlite3_column_blob(s, 0), &cs, &e), MV_OK);
		care_escrow_account(cs.id, esc);
		int64_t want = strcmp(cs.payment, "token") == 0 && care_state_escrowed(cs.state)
				       ? cs.price + cs.fee : 0;
		if (ledger_balance(st, esc) != want)
			fail_msg("escrow of a %s session holds %lld, want %lld", care_state_name(cs.state),
				 (long long)ledger_balance(st, esc), (long long)want);
		if (!care_state_escrowed(cs.state) && strcmp(cs.payment, "token") == 0 &&
		    cs.paid_patient + cs.paid_therapist + cs.paid_treasury != cs.price + cs.fee)
			fail_msg("paid-out split does not add up");
	}
	sqlite3_finalize(s);
}

/* Sign kind as who at time t (bb consumed), apply it, remember it. Returns
 * the outcome (1 applied, 0 rejected: reason in c->why). */
static inline int ct_do(struct ct *c, int who, int64_t t, const char *kind, struct body_builder *bb,
			uint8_t id_out[32])
{
	assert_true(c->nops < CT_MAXOPS);
	uint64_t clock = clk(t, ++c->ctr);
	if (clock <= c->last[who])
		fail_msg("test bug: key %d signs %s at a clock below its previous op", who, kind);
	c->last[who] = clock;
	struct op *op = &c->ops[c->nops++];
	tn_op(&c->n, who, clock, kind, bb, op);
	if (id_out)
		memcpy(id_out, op->id, 32);
	int o = tn_apply(c->st, op, c->why, sizeof c->why);
	if (c->check)
		ct_invariant(c->st);
	return o;
}

/* Expect success / a rejection whose reason contains want. */
#define CT_OK(c, expr)                                                                  \
	do {                                                                            \
		int o_ = (expr);                                                        \
		if (o_ != 1)                                                            \
			fail_msg("%s:%d: expected success, got %d: %s", __FILE__, __LINE__, o_, \
				 (c)->why);                                             \
	} while (0)
#define CT_REJ(c, expr, want)                                                           \
	do {                                                                            \
		int o_ = (expr);                                                        \
		if (o_ != 0 || !strstr((c)->why, (want)))                               \
			fail_msg("%s:%d: expected rejection '%s', got %d: %s", __FILE__,   \
				 __LINE__, (want), o_, (c)->why);                       \
	} while (0)

/* rewards: also set session_reward_patient = 1 MVT, _therapist = 2 MVT. */
static inline void ct_genesis(struct ct *c, int threshold, bool rewards)
{
	struct body_builder bb;
	struct mv_buf body = {0};
	struct mv_err e;
	bb_init(&bb);
	bb_str(&bb, "name", "care-net");
	bb_list_begin(&bb, "council");
	bb_list_id(&bb, c->n.pk[0]);
	bb_list_id(&bb, c->n.pk[1]);
	bb_list_end(&bb);
	bb_int(&bb, "council_threshold", threshold);
	bb_int(&bb, "protocol_version", 1);
	bb_int(&bb, "mvt_decimals", 8);
	bb_int(&bb, "mvt_supply", CT_SUPPLY);
	bb_int(&bb, "alloc_founder", 100 * MV_UNIT);
	bb_int(&bb, "alloc_treasury", 300 * MV_UNIT);
	bb_int(&bb, "alloc_rewards", 600 * MV_UNIT);
	bb_int(&bb, "fee_transfer_bp", 100);   /* 1% booking fee */
	bb_int(&bb, "fee_platform_bp", 500);   /* 5% platform fee */
	bb_int(&bb, "booking_min_notice", 2 * HOUR_MS);
	bb_int(&bb, "cancel_full_refund_before", 24 * HOUR_MS);
	bb_int(&bb, "cancel_late_refund_bp", 5000);
	bb_int(&bb, "dispute_window", 72 * HOUR_MS);
	bb_int(&bb, "checkin_early", 10 * MIN_MS);
	bb_int(&bb, "no_show_after", 15 * MIN_MS);
	bb_int(&bb, "ce_hours_per_year", 20);
	if (rewards) {
		bb_int(&bb, "session_reward_patient", MV_UNIT);
		bb_int(&bb, "session_reward_therapist", 2 * MV_UNIT);
	}
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	sign_op(&c->n, 0, clk(CT_G0, 0), "genesis", &body, &c->n.genesis);
	memcpy(c->n.network, c->n.genesis.id, 32);
	mv_buf_free(&body);
	c->ops[c->nops++] = c->n.genesis;
	assert_int_equal(tn_apply(c->st, &c->n.genesis, c->why, sizeof c->why), 1);
}

static inline void ct_register(struct ct *c, int who, const char *role, int64_t t)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_str(&bb, "role", role);
	bb_str(&bb, "display_name", role);
	bb_str(&bb, "jurisdiction", "US-CA");
	CT_OK(c, ct_do(c, who, t, "user.register", &bb, NULL));
}

/* Register who as a therapist and have the council verify the license. */
static inline void ct_therapist(struct ct *c, int who, int64_t t)
{
	struct body_builder bb;
	uint8_t keys[2][BLOB_SEALED_LEN], proof[32];
	char no[16];
	memset(keys, 0x5a, sizeof keys);
	memset(proof, who, sizeof proof);
	snprintf(no, sizeof no, "LIC-%d", who);
	ct_register(c, who, "therapist", t);
	bb_init(&bb);
	bb_str(&bb, "license_no", no);
	bb_str(&bb, "board", "State Board");
	bb_str(&bb, "jurisdiction", "US-CA");
	bb_int(&bb, "expires", NOW + 400 * DAY_MS);
	bb_id(&bb, "proof_blob", proof);
	bb_list_begin(&bb, "sealed_keys");
	bb_list_bytes(&bb, keys[0], BLOB_SEALED_LEN);
	bb_list_bytes(&bb, keys[1], BLOB_SEALED_LEN);
	bb_list_end(&bb);
	CT_OK(c, ct_do(c, who, t + 1, "verify.submit", &bb, NULL));
	for (int m = 0; m < c->threshold; m++) {
		bb_init(&bb);
		bb_id(&bb, "applicant", c->n.pk[who]);
		bb_str(&bb, "decision", "approve");
		CT_OK(c, ct_do(c, m, t + 2, "verify.decide", &bb, NULL));
	}
}

/* The council appoints who as an insurer. */
static inline void ct_insurer(struct ct *c, int who, int64_t t)
{
	for (int m = 0; m < c->threshold; m++) {
		struct body_builder bb;
		bb_init(&bb);
		bb_id(&bb, "account", c->n.pk[who]);
		bb_str(&bb, "role", "insurer");
		bb_str(&bb, "display_name", "Insurer");
		bb_str(&bb, "jurisdiction", "US-CA");
		CT_OK(c, ct_do(c, m, t, "user.appoint", &bb, NULL));
	}
}

static inline void ct_fund(struct ct *c, int to, int64_t amount, int64_t t)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "to", c->n.pk[to]);
	bb_int(&bb, "amount", amount);
	CT_OK(c, ct_do(c, 0, t, "ledger.transfer", &bb, NULL));
}

struct ct_service {
	int64_t price, duration_min;
	bool auto_accept, insurance;
	const char *format, *specialties, *languages;
};

/* Publish a service; returns the outcome, id in out. */
static inline int ct_publish(struct ct *c, int who, int64_t t, const struct ct_service *sv,
			     uint8_t out[32])
{
	struct body_builder bb;
	bb_init(&bb);
	bb_str(&bb, "title", "Talk therapy");
	bb_str(&bb, "modality", "individual");
	bb_str(&bb, "format", sv->format ? sv->format : "video");
	bb_int(&bb, "duration_min", sv->duration_min ? sv->duration_min : 60);
	bb_int(&bb, "price", sv->price);
	bb_list_begin(&bb, "languages");
	bb_list_str(&bb, sv->languages ? sv->languages : "en");
	bb_list_end(&bb);
	bb_list_begin(&bb, "specialties");
	bb_list_str(&bb, sv->specialties ? sv->specialties : "anxiety");
	bb_list_end(&bb);
	bb_int(&bb, "insurance_accepted", sv->insurance);
	bb_int(&bb, "auto_accept", sv->auto_accept);
	return ct_do(c, who, t, "service.publish", &bb, out);
}

/* availability.set with n pairs. */
static inline int ct_avail(struct ct *c, int who, int64_t t, const int64_t *w, size_t n)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_list_begin(&bb, "windows");
	for (size_t i = 0; i < 2 * n; i++)
		bb_list_int(&bb, w[i]);
	bb_list_end(&bb);
	return ct_do(c, who, t, "availability.set", &bb, NULL);
}

/* 9:00-17:00 UTC on days first..last. */
static inline int ct_office_hours(struct ct *c, int who, int64_t t, int first, int last)
{
	int64_t w[2 * 64];
	size_t n = 0;
	for (int d = first; d <= last && n < 64; d++, n++) {
		w[2 * n] = CT_DAY(d) + 9 * HOUR_MS;
		w[2 * n + 1] = CT_DAY(d) + 17 * HOUR_MS;
	}
	return ct_avail(c, who, t, w, n);
}

static inline int ct_book(struct ct *c, int who, int64_t t, const uint8_t service[32], int64_t start,
			  const char *payment, uint8_t out[32])
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "service", service);
	bb_int(&bb, "start", start);
	bb_str(&bb, "payment", payment);
	return ct_do(c, who, t, "session.book", &bb, out);
}

/* An op whose body is just {session}. */
static inline int ct_ses(struct ct *c, int who, int64_t t, const char *kind, const uint8_t session[32])
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "session", session);
	return ct_do(c, who, t, kind, &bb, NULL);
}

static inline struct care_session ct_get(struct ct *c, const uint8_t id[32])
{
	struct care_session s;
	struct mv_err e;
	assert_int_equal(care_session_get(c->st, id, &s, &e), MV_OK);
	return s;
}

static inline int64_t ct_bal(struct ct *c, int who) { return ledger_balance(c->st, c->n.pk[who]); }

static inline int64_t ct_sys(struct ct *c, const char *name)
{
	uint8_t a[32];
	(void)c;
	op_system_account(a, name);
	return ledger_balance(c->st, a);
}

static inline int64_t ct_escrow(struct ct *c, const uint8_t session[32])
{
	uint8_t a[32];
	care_escrow_account(session, a);
	return ledger_balance(c->st, a);
}

/* A fresh scenario: genesis, council threshold, therapists TH and TH2
 * verified, patients PA, PB, PC registered and funded with CT_FUND each,
 * office hours for TH on days 0..20. Everything at CT_G0 + a few hours. */
static inline void ct_setup_opts(struct ct *c, int threshold, bool rewards)
{
	memset(c, 0, sizeof *c);
	net_keys(&c->n);
	c->st = fresh();
	c->threshold = threshold;
	c->check = true;
	ct_genesis(c, threshold, rewards);
	int64_t t = CT_G0 + HOUR_MS;
	ct_therapist(c, TH, t);
	ct_therapist(c, TH2, t + 10);
	for (int p = PA; p <= PC; p++) {
		ct_register(c, p, "patient", t + 20 + p);
		ct_fund(c, p, CT_FUND, t + 30 + p);
	}
	CT_OK(c, ct_office_hours(c, TH, t + 40, 0, 20));
}

static inline void ct_setup(struct ct *c, int threshold)
{
	ct_setup_opts(c, threshold, false);
}

static inline void ct_free(struct ct *c)
{
	store_close(c->st);
	for (size_t i = 0; i < c->nops; i++)
		op_free(&c->ops[i]);
}

#endif
