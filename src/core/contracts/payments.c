/* payments.c - payments that do not go through escrow: a therapist records
 * a payment made outside the network, and insurance claims.
 *
 * MVT payments of sessions live in sessions.c (escrow). Here:
 *   payment.record  the therapist of a session booked with payment=external
 *                   records how the client paid (once per session).
 *   claim.submit    the patient or therapist of a session booked with
 *                   payment=insurance claims its price from an insurer (an
 *                   account the council registered with ROLE_INSURER); the
 *                   policy details travel as an encrypted blob whose key is
 *                   sealed to the insurer.
 *   claim.decide    that insurer approves an amount (1..claimed) or denies
 *                   with a short reason code.
 *   claim.pay       that insurer pays an approved claim to the therapist, in
 *                   MVT from its own account or recorded as paid outside.
 * Claim states: submitted -> approved -> paid, submitted -> denied. A
 * session holds at most one open (submitted or approved) claim; after a
 * denial a new claim may be submitted. Tables: payments_records,
 * payments_claims. */
#include "../care.h"
#include "../people.h"
#include "../blob.h"

#include <stdio.h>
#include <string.h>

static const struct migration payments_migrations[] = {
	{1, "CREATE TABLE payments_records(session BLOB PRIMARY KEY, therapist BLOB NOT NULL,"
	    "  method TEXT NOT NULL, external_ref TEXT NOT NULL, op BLOB NOT NULL,"
	    "  time INTEGER NOT NULL);"
	    "CREATE TABLE payments_claims(id BLOB PRIMARY KEY, session BLOB NOT NULL,"
	    "  submitter BLOB NOT NULL, patient BLOB NOT NULL, therapist BLOB NOT NULL,"
	    "  insurer BLOB NOT NULL, policy_blob BLOB NOT NULL, policy_key BLOB NOT NULL,"
	    "  amount INTEGER NOT NULL, state TEXT NOT NULL, approved_amount INTEGER NOT NULL,"
	    "  denial_reason TEXT NOT NULL, pay_method TEXT NOT NULL, external_ref TEXT NOT NULL,"
	    "  created INTEGER NOT NULL, decided_at INTEGER NOT NULL, paid_at INTEGER NOT NULL);"
	    "CREATE INDEX payments_claims_session ON payments_claims(session, created);"
	    "CREATE INDEX payments_claims_patient ON payments_claims(patient, created);"
	    "CREATE INDEX payments_claims_therapist ON payments_claims(therapist, created);"
	    "CREATE INDEX payments_claims_insurer ON payments_claims(insurer, created);"},
	{0, NULL},
};

static bool pay_is(const uint8_t a[32], const uint8_t b[32]) { return memcmp(a, b, 32) == 0; }

static int pay_record(struct apply_ctx *ctx)
{
	static const char has[] = "SELECT 1 FROM payments_records WHERE session = ?";
	static const char ins[] = "INSERT INTO payments_records(session, therapist, method,"
				  " external_ref, op, time) VALUES(?, ?, ?, ?, ?, ?)";
	struct care_session s;
	char method[8], ref[65];
	struct mv_err e;
	body_str(ctx->body, "method", method, sizeof method, &e);
	body_str(ctx->body, "external_ref", ref, sizeof ref, &e);
	int rc = care_session_open(ctx, "session", &s);
	if (rc != MV_OK)
		return rc;
	if (!pay_is(ctx->actor, s.therapist))
		return ctx_reject(ctx, "not allowed: only the session's therapist records its payment");
	if (strcmp(s.payment, "external") != 0)
		return ctx_reject(ctx, "session is paid by %s, not externally", s.payment);
	if (s.state == CS_DECLINED)
		return ctx_reject(ctx, "session was declined");
	sqlite3_stmt *st = store_prep(ctx->st, has, &ctx->err);
	if (!st)
		return MV_ERR;
	sqlite3_bind_blob(st, 1, s.id, 32, SQLITE_STATIC);
	bool dup = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (dup)
		return ctx_reject(ctx, "payment already recorded");
	if (!(st = store_prep(ctx->st, ins, &ctx->err)))
		return MV_ERR;
	sqlite3_bind_blob(st, 1, s.id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, s.therapist, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, method, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ref, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, ctx->now);
	return sqlite3_step(st) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "payments_records");
}

/* ---- claims -------------------------------------------------------------- */

struct claim {
	uint8_t id[32], session[32], therapist[32], insurer[32];
	char state[12];
	int64_t amount, approved;
};

static int claim_load(struct apply_ctx *ctx, struct claim *c)
{
	static const char sql[] = "SELECT session, therapist, insurer, state, amount, approved_amount"
				  " FROM payments_claims WHERE id = ?";
	struct mv_err e;
	memset(c, 0, sizeof *c);
	body_id(ctx->body, "claim", c->id, &e);
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, c->id, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memcpy(c->session, sqlite3_column_blob(s, 0), 32);
		memcpy(c->therapist, sqlite3_column_blob(s, 1), 32);
		memcpy(c->insurer, sqlite3_column_blob(s, 2), 32);
		snprintf(c->state, sizeof c->state, "%s", (const char *)sqlite3_column_text(s, 3));
		c->amount = sqlite3_column_int64(s, 4);
		c->approved = sqlite3_column_int64(s, 5);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return ctx_reject(ctx, "no such claim");
	if (rc != SQLITE_ROW)
		return ctx_sqlerr(ctx, "payments_claims");
	if (!pay_is(ctx->actor, c->insurer))
		return ctx_reject(ctx, "not allowed: only the claim's insurer may do this");
	return access_check(ctx, ctx->actor, ACCESS_CLAIM_DECIDE, NULL);
}

static int claim_update(struct apply_ctx *ctx, const struct claim *c, const char *state,
			int64_t approved, const char *denial, const char *method, const char *ref,
			bool paid)
{
	static const char dec[] = "UPDATE payments_claims SET state = ?, approved_amount = ?,"
				  " denial_reason = ?, decided_at = ? WHERE id = ?";
	static const char pay[] = "UPDATE payments_claims SET state = ?, pay_method = ?,"
				  " external_ref = ?, paid_at = ? WHERE id = ?";
	sqlite3_stmt *s = store_prep(ctx->st, paid ? pay : dec, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, state, -1, SQLITE_STATIC);
	if (paid) {
		sqlite3_bind_text(s, 2, method, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, ref, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(s, 2, approved);
		sqlite3_bind_text(s, 3, denial, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(s, 4, ctx->now);
	sqlite3_bind_blob(s, 5, c->id, 32, SQLITE_STATIC);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "payments_claims");
}

static int claim_submit_checks(struct apply_ctx *ctx, const struct care_session *s,
			       const uint8_t insurer[32], size_t keylen)
{
	static const char open_claim[] = "SELECT 1 FROM payments_claims WHERE session = ?"
					 " AND state IN ('submitted', 'approved')";
	if (!pay_is(ctx->actor, s->patient) && !pay_is(ctx->actor, s->therapist))
		return ctx_reject(ctx, "not allowed: only the session's patient or therapist may claim");
	if (strcmp(s->payment, "insurance") != 0)
		return ctx_reject(ctx, "session is paid by %s, not insurance", s->payment);
	if (s->state == CS_REQUESTED || !care_state_holds_slot(s->state))
		return ctx_reject(ctx, "session is %s: nothing to claim", care_state_name(s->state));
	if (people_role(ctx->st, insurer) != ROLE_INSURER)
		return ctx_reject(ctx, "not an insurer");
	if (keylen != BLOB_SEALED_LEN)
		return ctx_reject(ctx, "policy_key must be a %d-byte sealed key", BLOB_SEALED_LEN);
	if (s->price <= 0)
		return ctx_reject(ctx, "session price is 0: nothing to claim");
	sqlite3_stmt *st = store_prep(ctx->st, open_claim, &ctx->err);
	if (!st)
		return MV_ERR;
	sqlite3_bind_blob(st, 1, s->id, 32, SQLITE_STATIC);
	bool dup = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return dup ? ctx_reject(ctx, "session already has an open claim") : MV_OK;
}

static int claim_submit(struct apply_ctx *ctx)
{
	static const char ins[] =
		"INSERT INTO payments_claims(id, session, submitter, patient, therapist, insurer,"
		" policy_blob, policy_key, amount, state, approved_amount, denial_reason, pay_method,"
		" external_ref, created, decided_at, paid_at)"
		" VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', 0, '', '', '', ?, 0, 0)";
	struct care_session s;
	uint8_t insurer[32], blob[32];
	const uint8_t *key = NULL;
	size_t keylen = 0;
	struct mv_err e;
	body_id(ctx->body, "insurer", insurer, &e);
	body_id(ctx->body, "policy_blob", blob, &e);
	body_bytes(ctx->body, "policy_key", &key, &keylen, &e);
	int rc = care_session_open(ctx, "session", &s);
	if (rc == MV_OK)
		rc = claim_submit_checks(ctx, &s, insurer, keylen);
	if (rc != MV_OK)
		return rc;
	sqlite3_stmt *st = store_prep(ctx->st, ins, &ctx->err);
	if (!st)
		return MV_ERR;
	const uint8_t *ids[] = {ctx->op->id, s.id, ctx->actor, s.patient, s.therapist, insurer, blob};
	for (int i = 0; i < 7; i++)
		sqlite3_bind_blob(st, i + 1, ids[i], 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, key, (int)keylen, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, s.price);
	sqlite3_bind_int64(st, 10, ctx->now);
	return sqlite3_step(st) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "payments_claims");
}

static int claim_decide(struct apply_ctx *ctx)
{
	struct claim c;
	int64_t approved = 0;
	char reason[141] = "";
	struct mv_err e;
	bool has_amount = body_int(ctx->body, "approved_amount", &approved, &e) == MV_OK;
	bool has_reason = body_get(ctx->body, "denial_reason") != NULL;
	if (has_reason)
		body_str(ctx->body, "denial_reason", reason, sizeof reason, &e);
	int rc = claim_load(ctx, &c);
	if (rc != MV_OK)
		return rc;
	if (has_amount == has_reason)
		return ctx_reject(ctx, "give either approved_amount or denial_reason");
	if (strcmp(c.state, "submitted") != 0)
		return ctx_reject(ctx, "claim already %s", c.state);
	if (has_reason && !reason[0])
		return ctx_reject(ctx, "denial_reason must not be empty");
	if (has_amount && approved > c.amount) {
		char a[40];
		mv_amount_format(a, sizeof a, c.amount);
		return ctx_reject(ctx, "approved amount above the %s MVT claimed", a);
	}
	return claim_update(ctx, &c, has_amount ? "approved" : "denied", approved, reason, NULL,
			    NULL, false);
}

static int claim_pay(struct apply_ctx *ctx)
{
	struct claim c;
	char method[12], ref[65] = "";
	struct mv_err e;
	body_str(ctx->body, "method", method, sizeof method, &e);
	if (body_get(ctx->body, "external_ref"))
		body_str(ctx->body, "external_ref", ref, sizeof ref, &e);
	int rc = claim_load(ctx, &c);
	if (rc != MV_OK)
		return rc;
	if (strcmp(c.state, "approved") != 0)
		return ctx_reject(ctx, "claim is %s, not approved", c.state);
	if (strcmp(method, "external") == 0 && !ref[0])
		return ctx_reject(ctx, "external_ref required for an external payment");
	if (strcmp(method, "token") == 0)
		rc = ledger_move(ctx, ctx->actor, c.therapist, c.approved, "insurance claim payment");
	return rc == MV_OK ? claim_update(ctx, &c, "paid", 0, NULL, method, ref, true) : rc;
}

/* ---- field specs --------------------------------------------------------- */

#define PAY_END {NULL, 0, false, 0, 0, 0, NULL, NULL}

static const struct field_spec record_fields[] = {
	{"session", F_ID, false, 0, 0, 0, NULL, "the session (its booking op id)"},
	{"method", F_ENUM, false, 0, 0, 0, "card|bank|cash", "how the client paid"},
	{"external_ref", F_STR, false, 0, 0, 64, NULL,
	 "receipt or transfer reference (no health information)"},
	PAY_END,
};

static const struct field_spec submit_fields[] = {
	{"session", F_ID, false, 0, 0, 0, NULL, "the session (booked with payment=insurance)"},
	{"insurer", F_ACCOUNT, false, 0, 0, 0, NULL, "a registered insurer"},
	{"policy_blob", F_ID, false, 0, 0, 0, NULL, "hash of the encrypted policy details blob"},
	{"policy_key", F_BYTES, false, 0, 0, BLOB_SEALED_LEN, NULL,
	 "the blob's key sealed to the insurer"},
	PAY_END,
};

static const struct field_spec decide_fields[] = {
	{"claim", F_ID, false, 0, 0, 0, NULL, "the claim (its claim.submit op id)"},
	{"approved_amount", F_AMOUNT, true, 1, INT64_MAX, 0, NULL, "MVT approved (1..claimed)"},
	{"denial_reason", F_STR, true, 0, 0, 140, NULL, "short reason code when denying"},
	PAY_END,
};

static const struct field_spec pay_fields[] = {
	{"claim", F_ID, false, 0, 0, 0, NULL, "the approved claim"},
	{"method", F_ENUM, false, 0, 0, 0, "token|external",
	 "token: MVT from the insurer to the therapist; external: paid outside"},
	{"external_ref", F_STR, true, 0, 0, 64, NULL, "reference of an external payment"},
	PAY_END,
};

static const struct op_handler payments_handlers[] = {
	{"payment.record", "record a payment made outside the network",
	 "the therapist of a session booked with payment=external", record_fields, pay_record},
	{"claim.submit", "claim a session's price from an insurer",
	 "the patient or therapist of a session booked with payment=insurance", submit_fields,
	 claim_submit},
	{"claim.decide", "approve an amount or deny a claim", "the insurer named on the claim",
	 decide_fields, claim_decide},
	{"claim.pay", "pay an approved claim to the therapist", "the insurer named on the claim",
	 pay_fields, claim_pay},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract payments_contract = {
	.name = "payments",
	.summary = "external payments and insurance claims",
	.migrations = payments_migrations,
	.handlers = payments_handlers,
};
