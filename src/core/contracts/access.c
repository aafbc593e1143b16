/* access.c - who may do what to whom: the permission matrix behind
 * access_check(), care relations (therapist <-> patient), emergency
 * ("break glass") access, mood check-ins a patient shares with their
 * therapist (access.share_mood), the audit log, and the rules every op
 * passes before its handler (the contract precheck): bot scopes and rate
 * limits.
 *
 * The permission matrix is the table access_rules[] below, one row per
 * action: the classes of account allowed, and the relation required between
 * the actor and the object. docs/contracts/people.md prints the same table;
 * tests/unit/test_access.c checks every (class, action) pair against an
 * independently written expectation. A class is derived from state only:
 * the registered role, whether a therapist is verified right now (license
 * approved, unexpired at the op's effective time, status active), and
 * council membership (which is not a role and adds to any role).
 *
 * Rate limit: more than rate_limit_per_hour ops of one kind by one acting
 * account whose effective times lie within an hour (now - 1h, now] are
 * rejected "rate limit". The count comes from access_recent (state, so every
 * node agrees); rows older than an hour are pruned on every op. A rejected op
 * leaves no row (its savepoint is rolled back), so only applied ops count.
 * genesis and checkpoint ops are exempt; rate_limit_per_hour = 0 or absent
 * disables the limit. */
#include "people_int.h"
#include "../blob.h"

#include <stdio.h>
#include <string.h>

#define HOUR_MS INT64_C(3600000)

static const struct migration access_migrations[] = {
	{1, "CREATE TABLE access_care(therapist BLOB NOT NULL, patient BLOB NOT NULL,"
	    "  since INTEGER NOT NULL, op BLOB NOT NULL, PRIMARY KEY(therapist, patient));"
	    "CREATE INDEX access_care_patient ON access_care(patient, therapist);"
	    "CREATE TABLE access_audit(op BLOB NOT NULL, idx INTEGER NOT NULL, subject BLOB NOT NULL,"
	    "  who BLOB NOT NULL, kind TEXT NOT NULL, what TEXT NOT NULL, time INTEGER NOT NULL,"
	    "  PRIMARY KEY(op, idx));"
	    "CREATE INDEX access_audit_subject ON access_audit(subject, time);"
	    "CREATE INDEX access_audit_time ON access_audit(time);"
	    "CREATE TABLE access_emergency(op BLOB PRIMARY KEY, therapist BLOB NOT NULL,"
	    "  patient BLOB NOT NULL, reason TEXT NOT NULL, detail_blob BLOB, time INTEGER NOT NULL);"
	    "CREATE INDEX access_emergency_patient ON access_emergency(patient, time);"
	    "CREATE TABLE access_recent(actor BLOB NOT NULL, kind TEXT NOT NULL, time INTEGER NOT NULL,"
	    "  op BLOB NOT NULL, PRIMARY KEY(actor, kind, time, op));"
	    "CREATE INDEX access_recent_time ON access_recent(time);"},
	{2, "CREATE TABLE access_mood_shares(op BLOB PRIMARY KEY, patient BLOB NOT NULL,"
	    "  therapist BLOB NOT NULL, blob BLOB NOT NULL, therapist_key BLOB NOT NULL,"
	    "  patient_key BLOB NOT NULL, time INTEGER NOT NULL);"
	    "CREATE INDEX access_mood_shares_patient ON access_mood_shares(patient, time);"
	    "CREATE INDEX access_mood_shares_therapist ON access_mood_shares(therapist, time);"},
	{0, NULL},
};

/* ---- the permission matrix ---------------------------------------------- */

/* Classes of acting account (bits). */
enum {
	C_NONE = 1 << 0,      /* not registered (or dismissed) */
	C_PATIENT = 1 << 1,
	C_APPLICANT = 1 << 2, /* therapist not verified now: pending, expired, suspended, revoked */
	C_THERAPIST = 1 << 3, /* verified therapist */
	C_INSURER = 1 << 4,
	C_REGULATOR = 1 << 5,
	C_BOT = 1 << 6,
	C_COUNCIL = 1 << 7,   /* council member, whatever the role */
	C_REGISTERED = C_PATIENT | C_APPLICANT | C_THERAPIST | C_INSURER | C_REGULATOR | C_BOT,
};

/* Relations the object must have. */
enum access_rel {
	REL_NONE,          /* no object needed */
	REL_NOT_SELF,      /* object given and not the actor */
	REL_BOOKABLE,      /* object is a verified therapist whose privacy lets the actor book */
	REL_OBJ_PATIENT,   /* object is a registered patient */
	REL_OBJ_THERAPIST, /* object is a registered therapist (verified or not) */
	REL_IN_CARE,       /* actor is the therapist in an active care relation with object */
	REL_CAN_PUBLISH,   /* actor's continuing education is not due */
	REL_GUARDIAN_OF,   /* actor is a guardian of object */
	REL_MY_THERAPIST,  /* object is a therapist with the actor in active care */
};

struct access_rule {
	enum access_action action;
	const char *name;
	unsigned allowed;  /* classes, any of which suffices */
	enum access_rel rel;
	const char *who;   /* for messages and docs */
};

static const struct access_rule access_rules[ACCESS__COUNT] = {
	{ACCESS_REGISTER_SELF, "register_self", C_NONE, REL_NONE, "accounts not yet registered"},
	{ACCESS_VERIFY_SUBMIT, "verify_submit", C_APPLICANT | C_THERAPIST, REL_NONE,
	 "registered therapists"},
	{ACCESS_VERIFY_DECIDE, "verify_decide", C_COUNCIL, REL_NOT_SELF,
	 "council members (not about themselves)"},
	{ACCESS_PUBLISH_SERVICE, "publish_service", C_THERAPIST, REL_CAN_PUBLISH,
	 "verified therapists with continuing education up to date"},
	{ACCESS_BOOK_SESSION, "book_session", C_PATIENT, REL_BOOKABLE,
	 "patients, with a verified therapist who accepts them"},
	{ACCESS_SESSION_THERAPIST, "session_therapist", C_APPLICANT | C_THERAPIST, REL_OBJ_PATIENT,
	 "the session's therapist"},
	{ACCESS_SESSION_PATIENT, "session_patient", C_PATIENT, REL_OBJ_THERAPIST, "the session's patient"},
	{ACCESS_EMERGENCY_ACCESS, "emergency_access", C_THERAPIST, REL_IN_CARE,
	 "verified therapists in an active care relation with the patient"},
	{ACCESS_ADD_NOTE, "add_note", C_APPLICANT | C_THERAPIST, REL_IN_CARE,
	 "therapists in an active care relation with the patient"},
	{ACCESS_CLAIM_DECIDE, "claim_decide", C_INSURER, REL_NONE, "insurers"},
	{ACCESS_COUNCIL, "council", C_COUNCIL, REL_NONE, "council members"},
	{ACCESS_REGULATOR_REQUEST, "regulator_request", C_REGULATOR, REL_NONE, "regulators"},
	{ACCESS_OWN_PROFILE, "own_profile", C_REGISTERED, REL_NONE, "registered accounts"},
	{ACCESS_GUARDIAN_APPROVE, "guardian_approve", C_REGISTERED, REL_GUARDIAN_OF,
	 "guardians the account named"},
	{ACCESS_LOG_CE, "log_ce", C_APPLICANT | C_THERAPIST, REL_NONE, "registered therapists"},
	{ACCESS_SHARE_MOOD, "share_mood", C_PATIENT, REL_MY_THERAPIST,
	 "patients, with a therapist they are in care with"},
};

const char *access_action_name(enum access_action a)
{
	return (unsigned)a < ACCESS__COUNT ? access_rules[a].name : "?";
}

/* The classes of account at time now. */
static unsigned access_classes(struct store *st, const uint8_t who[32], int64_t now)
{
	unsigned c = 0;
	switch (people_role(st, who)) {
	case ROLE_NONE: c = C_NONE; break;
	case ROLE_PATIENT: c = C_PATIENT; break;
	case ROLE_THERAPIST:
		c = people_therapist_verified(st, who, now) ? C_THERAPIST : C_APPLICANT;
		break;
	case ROLE_INSURER: c = C_INSURER; break;
	case ROLE_REGULATOR: c = C_REGULATOR; break;
	case ROLE_BOT: c = C_BOT; break;
	}
	if (council_is_member(st, who))
		c |= C_COUNCIL;
	return c;
}

static const char *class_name(unsigned c)
{
	if (c & C_PATIENT) return "a patient";
	if (c & C_APPLICANT) return "a therapist not verified now";
	if (c & C_THERAPIST) return "a verified therapist";
	if (c & C_INSURER) return "an insurer";
	if (c & C_REGULATOR) return "a regulator";
	if (c & C_BOT) return "a bot";
	if (c & C_COUNCIL) return "a council member without a role";
	return "not registered";
}

static int check_relation(struct apply_ctx *ctx, const struct access_rule *r, const uint8_t who[32],
			  const uint8_t *obj)
{
	char why[128];
	struct people_privacy p;
	if (r->rel != REL_NONE && r->rel != REL_CAN_PUBLISH && !obj)
		return ctx_reject(ctx, "not allowed: %s needs an object", r->name);
	switch (r->rel) {
	case REL_NONE:
		return MV_OK;
	case REL_NOT_SELF:
		if (memcmp(who, obj, 32) == 0)
			return ctx_reject(ctx, "not allowed: nobody decides about themselves");
		return MV_OK;
	case REL_BOOKABLE:
		if (!people_therapist_verified(ctx->st, obj, ctx->now))
			return ctx_reject(ctx, "not allowed: that therapist is not verified");
		people_privacy_get(ctx->st, obj, &p);
		if (p.who_may_contact == CONTACT_NOBODY)
			return ctx_reject(ctx, "not allowed: that therapist is not accepting contact");
		if (p.who_may_contact == CONTACT_CARE_TEAM && !people_in_care(ctx->st, obj, who))
			return ctx_reject(ctx, "not allowed: that therapist only accepts patients "
					       "already in their care");
		return MV_OK;
	case REL_OBJ_PATIENT:
		if (people_role(ctx->st, obj) != ROLE_PATIENT)
			return ctx_reject(ctx, "not allowed: the other party is not a registered patient");
		return MV_OK;
	case REL_OBJ_THERAPIST:
		if (people_role(ctx->st, obj) != ROLE_THERAPIST)
			return ctx_reject(ctx, "not allowed: the other party is not a registered therapist");
		return MV_OK;
	case REL_IN_CARE:
		if (!people_in_care(ctx->st, who, obj))
			return ctx_reject(ctx, "not allowed: no active care relation with that patient");
		return MV_OK;
	case REL_CAN_PUBLISH:
		if (!people_therapist_can_publish(ctx->st, who, ctx->now, why, sizeof why))
			return ctx_reject(ctx, "not allowed: %s", why);
		return MV_OK;
	case REL_GUARDIAN_OF:
		if (!people_is_guardian(ctx->st, obj, who))
			return ctx_reject(ctx, "not allowed: you are not a guardian of that account");
		return MV_OK;
	case REL_MY_THERAPIST:
		if (!people_in_care(ctx->st, obj, who))
			return ctx_reject(ctx, "not allowed: that account is not your therapist "
					       "(no active care relation)");
		return MV_OK;
	}
	return MV_OK;
}

int access_check(struct apply_ctx *ctx, const uint8_t who[32], enum access_action action,
		 const uint8_t *object)
{
	if ((unsigned)action >= ACCESS__COUNT)
		return ctx_reject(ctx, "not allowed: unknown action");
	const struct access_rule *r = &access_rules[action];
	unsigned c = access_classes(ctx->st, who, ctx->now);
	if (!(c & r->allowed)) {
		if (action == ACCESS_REGISTER_SELF)
			return ctx_reject(ctx, "already registered as %s (a key registers once)",
					  people_role_name(people_role(ctx->st, who)));
		return ctx_reject(ctx, "not allowed: %s is for %s (you are %s)", r->name, r->who,
				  class_name(c));
	}
	return check_relation(ctx, r, who, object);
}

/* ---- audit ------------------------------------------------------------------ */

int access_audit(struct apply_ctx *ctx, const uint8_t subject[32], const char *what)
{
	static const char idx_sql[] = "SELECT count(*) FROM access_audit WHERE op = ?";
	static const char ins[] = "INSERT INTO access_audit(op, idx, subject, who, kind, what, time) "
				  "VALUES(?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(ctx->st, idx_sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
	int64_t idx = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	s = store_prep(ctx->st, ins, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, idx);
	sqlite3_bind_blob(s, 3, subject, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, ctx->op->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, what, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 7, ctx->now);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "access_audit");
}

/* ---- care relations ------------------------------------------------------------ */

bool people_in_care(struct store *st, const uint8_t therapist[32], const uint8_t patient[32])
{
	static const char sql[] = "SELECT 1 FROM access_care WHERE therapist = ? AND patient = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, patient, 32, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}

int people_care_start(struct apply_ctx *ctx, const uint8_t therapist[32], const uint8_t patient[32])
{
	static const char sql[] = "INSERT INTO access_care(therapist, patient, since, op) VALUES(?, ?, ?, ?)";
	char what[64], hx[65];
	if (memcmp(therapist, patient, 32) == 0)
		return ctx_reject(ctx, "a therapist cannot be in their own care");
	if (people_in_care(ctx->st, therapist, patient))
		return MV_OK;
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, patient, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ctx->now);
	sqlite3_bind_blob(s, 4, ctx->op->id, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return ctx_sqlerr(ctx, "access_care");
	mv_hex(hx, therapist, 32);
	snprintf(what, sizeof what, "care relation started with therapist %.12s", hx);
	return access_audit(ctx, patient, what);
}

/* access.end_care {with}: either side ends the relation. */
static int access_end_care(struct apply_ctx *ctx)
{
	static const char sql[] = "DELETE FROM access_care WHERE therapist = ? AND patient = ?";
	uint8_t with[32];
	struct mv_err e;
	char what[80], hx[65];
	body_id(ctx->body, "with", with, &e);
	if (access_check(ctx, ctx->actor, ACCESS_OWN_PROFILE, NULL) != MV_OK)
		return MV_EREJECT;
	const uint8_t *t = ctx->actor, *p = with;
	if (!people_in_care(ctx->st, t, p)) {
		t = with;
		p = ctx->actor;
		if (!people_in_care(ctx->st, t, p))
			return ctx_reject(ctx, "no active care relation with that account");
	}
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, t, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, p, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return ctx_sqlerr(ctx, "access_care");
	mv_hex(hx, t, 32);
	snprintf(what, sizeof what, "care relation with therapist %.12s ended by the %s", hx,
		 t == ctx->actor ? "therapist" : "patient");
	return access_audit(ctx, p, what);
}

/* ---- emergency access -------------------------------------------------------------- */

static int access_emergency(struct apply_ctx *ctx)
{
	static const char sql[] = "INSERT INTO access_emergency(op, therapist, patient, reason, "
				  "detail_blob, time) VALUES(?, ?, ?, ?, ?, ?)";
	uint8_t patient[32], detail[32];
	char reason[32], what[96];
	struct mv_err e;
	body_id(ctx->body, "patient", patient, &e);
	body_str(ctx->body, "reason", reason, sizeof reason, &e);
	bool has_detail = body_id(ctx->body, "detail_blob", detail, &e) == MV_OK;
	int rc = access_check(ctx, ctx->actor, ACCESS_EMERGENCY_ACCESS, patient);
	if (rc != MV_OK)
		return rc;
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, patient, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, reason, -1, SQLITE_STATIC);
	if (has_detail)
		sqlite3_bind_blob(s, 5, detail, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, ctx->now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return ctx_sqlerr(ctx, "access_emergency");
	snprintf(what, sizeof what, "emergency access (break glass): %s", reason);
	return access_audit(ctx, patient, what);
}

/* ---- mood check-ins shared with a therapist ------------------------------------------ */

/* access.share_mood {therapist, blob, sealed_keys}: a patient gives their
 * therapist the key of a blob of companion check-ins (companion.h's share
 * format), sealed to the therapist, then to the patient. Needs an active
 * care relation and share_mood_with_therapist on; a share is a snapshot:
 * later check-ins need a new share, and what was read cannot be unread. */
static int access_share_mood(struct apply_ctx *ctx)
{
	static const char dup[] = "SELECT 1 FROM access_mood_shares WHERE therapist = ? AND blob = ?";
	static const char ins[] = "INSERT INTO access_mood_shares(op, patient, therapist, blob,"
				  " therapist_key, patient_key, time) VALUES(?, ?, ?, ?, ?, ?, ?)";
	uint8_t therapist[32], blob[32];
	const struct body_value *keys;
	size_t nkeys = 0;
	struct people_privacy priv;
	struct mv_err e;
	char what[96], hx[65];
	body_id(ctx->body, "therapist", therapist, &e);
	body_id(ctx->body, "blob", blob, &e);
	body_list(ctx->body, "sealed_keys", &keys, &nkeys, &e);
	int rc = access_check(ctx, ctx->actor, ACCESS_SHARE_MOOD, therapist);
	if (rc != MV_OK)
		return rc;
	people_privacy_get(ctx->st, ctx->actor, &priv);
	if (!priv.share_mood_with_therapist)
		return ctx_reject(ctx, "turn on share_mood_with_therapist (privacy.set) before sharing "
				       "mood check-ins");
	if (nkeys != 2)
		return ctx_reject(ctx, "a mood share needs 2 sealed keys (therapist, then you)");
	for (size_t i = 0; i < nkeys; i++)
		if (keys[i].n != BLOB_SEALED_LEN)
			return ctx_reject(ctx, "sealed key %zu is not %d bytes", i + 1, BLOB_SEALED_LEN);
	sqlite3_stmt *s = store_prep(ctx->st, dup, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, blob, 32, SQLITE_STATIC);
	bool again = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	if (again)
		return ctx_reject(ctx, "that blob is already shared with this therapist");
	if (!(s = store_prep(ctx->st, ins, &ctx->err)))
		return MV_ERR;
	const uint8_t *ids[] = {ctx->op->id, ctx->actor, therapist, blob};
	for (int i = 0; i < 4; i++)
		sqlite3_bind_blob(s, i + 1, ids[i], 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 5, keys[0].p, BLOB_SEALED_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(s, 6, keys[1].p, BLOB_SEALED_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, ctx->now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return ctx_sqlerr(ctx, "access_mood_shares");
	mv_hex(hx, therapist, 32);
	snprintf(what, sizeof what, "shared mood check-ins with therapist %.12s", hx);
	return access_audit(ctx, ctx->actor, what);
}

/* ---- precheck: bot scopes and rate limits ------------------------------------------- */

static bool rate_exempt(const char *kind)
{
	return strcmp(kind, "genesis") == 0 || strcmp(kind, "checkpoint") == 0 ||
	       strncmp(kind, "checkpoint.", 11) == 0;
}

static int rate_limit(struct apply_ctx *ctx, int64_t limit)
{
	static const char prune[] = "DELETE FROM access_recent WHERE time <= ?";
	static const char count[] = "SELECT count(*) FROM access_recent WHERE actor = ? AND kind = ?";
	static const char ins[] = "INSERT OR IGNORE INTO access_recent(actor, kind, time, op) "
				  "VALUES(?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(ctx->st, prune, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, ctx->now - HOUR_MS);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return ctx_sqlerr(ctx, "access_recent");
	s = store_prep(ctx->st, count, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ctx->op->kind, -1, SQLITE_STATIC);
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (n >= limit)
		return ctx_reject(ctx, "rate limit: more than %lld %s ops within an hour",
				  (long long)limit, ctx->op->kind);
	s = store_prep(ctx->st, ins, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ctx->op->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ctx->now);
	sqlite3_bind_blob(s, 4, ctx->op->id, 32, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "access_recent");
}

static int access_precheck(struct apply_ctx *ctx)
{
	if (rate_exempt(ctx->op->kind))
		return MV_OK;
	if (people_role(ctx->st, ctx->actor) == ROLE_BOT &&
	    !people_bot_has_scope(ctx->st, ctx->actor, ctx->op->kind))
		return ctx_reject(ctx, "not allowed: this bot's scopes do not include %s", ctx->op->kind);
	int64_t limit = param_get(ctx->st, "rate_limit_per_hour", 0);
	return limit > 0 ? rate_limit(ctx, limit) : MV_OK;
}

/* ---- the handler table ----------------------------------------------------------------- */

#define END_FIELDS {NULL, 0, false, 0, 0, 0, NULL, NULL}

static const struct field_spec emergency_fields[] = {
	{"patient", F_ACCOUNT, false, 0, 0, 0, NULL, "the patient in your care"},
	{"reason", F_ENUM, false, 0, 0, 0, "risk_to_life|risk_to_others|medical|safeguarding",
	 "why (a category: details go in detail_blob)"},
	{"detail_blob", F_ID, true, 0, 0, 0, NULL, "encrypted details for the patient and council"},
	END_FIELDS,
};

static const struct field_spec end_care_fields[] = {
	{"with", F_ACCOUNT, false, 0, 0, 0, NULL, "your therapist or patient"},
	END_FIELDS,
};

static const struct field_spec share_mood_fields[] = {
	{"therapist", F_ACCOUNT, false, 0, 0, 0, NULL, "your therapist (an active care relation)"},
	{"blob", F_ID, false, 0, 0, 0, NULL, "hash of the encrypted check-ins"},
	{"sealed_keys", F_LIST_BYTES, false, 0, 0, 2, NULL,
	 "the blob key sealed to the therapist, then to you"},
	END_FIELDS,
};

static const struct op_handler access_handlers[] = {
	{"access.emergency", "break glass: record emergency access to a patient's emergency contact",
	 "a verified therapist in an active care relation with the patient", emergency_fields,
	 access_emergency},
	{"access.end_care", "end a care relation (emergency access and notes stop)",
	 "the therapist or the patient of the relation", end_care_fields, access_end_care},
	{"access.share_mood", "let your therapist read companion mood check-ins (an encrypted blob)",
	 "a patient in an active care relation with the therapist", share_mood_fields,
	 access_share_mood},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract access_contract = {
	.name = "access",
	.summary = "permission matrix, care relations, emergency access, audit log, rate limits",
	.migrations = access_migrations,
	.handlers = access_handlers,
	.precheck = access_precheck,
};
