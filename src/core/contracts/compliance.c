/* compliance.c - data-protection duties as contract rules: regulator
 * requests under council control, the right to erasure, retention of
 * session records, consent to cross-border note keeping, and the
 * compliance_check() explanation of what a jurisdiction's rules say about
 * an op kind. The rule sets themselves are compiled in (jurisdictions.c,
 * mirrored by assets/jurisdictions.txt).
 *
 * Guarantees:
 * - A regulator sees a subject's data only after council_threshold council
 *   members approved the same request (regulator.approve); the subject is
 *   told at every step (compliance_notices) and every step is in the audit
 *   log (access_audit). The data is sealed to the regulator by a node that
 *   can read it (home_compliance_fulfil: the subject's, or their
 *   therapist's), recorded by regulator.deliver.
 * - user.erase drops the subject's personal data from state (private
 *   profile and emergency blobs and their keys, shares, privacy settings,
 *   guardians, keys to shared notes, group posts and memberships, bot
 *   grants, mood check-ins shared with a therapist, consents, delegation),
 *   reduces their public record to a pseudonym made from the key, and
 *   lists every blob to destroy in compliance_purge; each node's home
 *   purge (home_compliance.c) tombstones those blobs locally. Ops are
 *   untouched, so every signature still verifies. Session notes a
 *   therapist must keep stay until retention.
 * - Retention: retention.sweep lists, at its effective time, the record
 *   blobs (notes, dispute reasons, rating comments) of sessions closed
 *   (settled, cancelled, declined) longer ago than the patient's
 *   jurisdiction keeps them, and drops their keys; the home purge deletes
 *   the blobs.
 * - Cross-border notes: under a rule set with cross_border_consent, a note
 *   about a patient kept by a therapist under another rule set needs the
 *   patient's compliance.consent (scope cross_border) to that therapist; the
 *   precheck rejects note.add otherwise.
 * - An erased account can no longer act, except to move or unstake its MVT
 *   (ledger.transfer, staking.unstake, staking.claim).
 * Tables: compliance_requests, compliance_notices, compliance_erased,
 * compliance_purge, compliance_retained, compliance_consents.
 * docs/contracts/compliance.md lists every op and rejection. */
#include "gov_int.h"
#include "people_int.h"
#include "../care.h"
#include "../blob.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS INT64_C(86400000)
#define SWEEP_MAX 64 /* sessions per retention.sweep */

static const struct migration compliance_migrations[] = {
	{1, "CREATE TABLE compliance_requests(id BLOB PRIMARY KEY, regulator BLOB NOT NULL,"
	    "  subject BLOB NOT NULL, scope TEXT NOT NULL, legal_basis TEXT NOT NULL,"
	    "  created INTEGER NOT NULL, state TEXT NOT NULL, decided_at INTEGER, decided_op BLOB,"
	    "  deny_reason TEXT NOT NULL DEFAULT '', delivered_blob BLOB, delivered_key BLOB,"
	    "  delivered_by BLOB, delivered_at INTEGER);"
	    "CREATE INDEX compliance_requests_subject ON compliance_requests(subject, created);"
	    "CREATE INDEX compliance_requests_created ON compliance_requests(created, id);"
	    "CREATE TABLE compliance_notices(subject BLOB NOT NULL, op BLOB NOT NULL, request BLOB,"
	    "  time INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY(subject, op));"
	    "CREATE TABLE compliance_erased(account BLOB PRIMARY KEY, pseudonym TEXT NOT NULL,"
	    "  time INTEGER NOT NULL, op BLOB NOT NULL, blobs INTEGER NOT NULL);"
	    "CREATE TABLE compliance_purge(hash BLOB PRIMARY KEY, reason TEXT NOT NULL,"
	    "  subject BLOB, session BLOB, time INTEGER NOT NULL, op BLOB NOT NULL);"
	    "CREATE INDEX compliance_purge_time ON compliance_purge(time, hash);"
	    "CREATE TABLE compliance_retained(session BLOB PRIMARY KEY, closed INTEGER NOT NULL,"
	    "  expires INTEGER NOT NULL, blobs INTEGER NOT NULL, time INTEGER NOT NULL,"
	    "  op BLOB NOT NULL);"
	    "CREATE TABLE compliance_consents(subject BLOB NOT NULL, to_acct BLOB NOT NULL,"
	    "  scope TEXT NOT NULL, time INTEGER NOT NULL, op BLOB NOT NULL,"
	    "  PRIMARY KEY(subject, to_acct, scope));"},
	{0, NULL},
};

bool compliance_erased(struct store *st, const uint8_t account[32])
{
	static const char sql[] = "SELECT 1 FROM compliance_erased WHERE account = ?";
	return gov_int_ids(st, sql, account, NULL, false, 0, 0) != 0;
}

/* A user's jurisdiction from the users table ("" if none). */
static void user_jurisdiction(struct store *st, const uint8_t who[32], char out[16])
{
	static const char sql[] = "SELECT jurisdiction FROM users WHERE account = ?";
	out[0] = '\0';
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return;
	sqlite3_bind_blob(s, 1, who, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, 16, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
}

static int notice(struct apply_ctx *ctx, const uint8_t subject[32], const uint8_t *request,
		  const char *text)
{
	static const char sql[] = "INSERT OR REPLACE INTO compliance_notices(subject, op, request,"
				  " time, text) VALUES(?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, subject, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->op->id, 32, SQLITE_STATIC);
	if (request)
		sqlite3_bind_blob(s, 3, request, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, ctx->now);
	sqlite3_bind_text(s, 5, text, -1, SQLITE_TRANSIENT);
	return gov_step(ctx, s, "compliance_notices");
}

/* ---- regulator requests --------------------------------------------------- */

struct request {
	uint8_t id[32], regulator[32], subject[32];
	char scope[16], basis[201], state[16];
};

static int request_load(struct apply_ctx *ctx, struct request *r)
{
	static const char sql[] = "SELECT regulator, subject, scope, legal_basis, state"
				  " FROM compliance_requests WHERE id = ?";
	struct mv_err e;
	memset(r, 0, sizeof *r);
	body_id(ctx->body, "request", r->id, &e);
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, r->id, 32, SQLITE_STATIC);
	bool found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		memcpy(r->regulator, sqlite3_column_blob(s, 0), 32);
		memcpy(r->subject, sqlite3_column_blob(s, 1), 32);
		snprintf(r->scope, sizeof r->scope, "%s", (const char *)sqlite3_column_text(s, 2));
		snprintf(r->basis, sizeof r->basis, "%s", (const char *)sqlite3_column_text(s, 3));
		snprintf(r->state, sizeof r->state, "%s", (const char *)sqlite3_column_text(s, 4));
	}
	sqlite3_reset(s);
	return found ? MV_OK : ctx_reject(ctx, "no such regulator request");
}

static int regulator_request(struct apply_ctx *ctx)
{
	static const char sql[] = "INSERT INTO compliance_requests(id, regulator, subject, scope,"
				  " legal_basis, created, state) VALUES(?, ?, ?, ?, ?, ?, 'pending')";
	uint8_t subject[32];
	char scope[16], basis[201], text[400], hx[13];
	struct mv_err e;
	int rc = access_check(ctx, ctx->actor, ACCESS_REGULATOR_REQUEST, NULL);
	if (rc != MV_OK)
		return rc;
	body_id(ctx->body, "subject", subject, &e);
	body_str(ctx->body, "scope", scope, sizeof scope, &e);
	body_str(ctx->body, "legal_basis", basis, sizeof basis, &e);
	if (!basis[0])
		return ctx_reject(ctx, "a regulator request needs a legal basis");
	if (people_role(ctx->st, subject) == ROLE_NONE)
		return ctx_reject(ctx, "the subject is not a registered account");
	if (compliance_erased(ctx->st, subject))
		return ctx_reject(ctx, "the subject's data was erased");
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, subject, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, basis, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, ctx->now);
	if (gov_step(ctx, s, "compliance_requests") != MV_OK)
		return MV_ERR;
	gov_short(hx, ctx->actor);
	snprintf(text, sizeof text, "regulator %s asked for your %s data (legal basis: %s); the "
		 "council decides", hx, scope, basis);
	rc = notice(ctx, subject, ctx->op->id, text);
	snprintf(text, sizeof text, "regulator request for %s data (awaiting the council)", scope);
	return rc == MV_OK ? access_audit(ctx, subject, text) : rc;
}

static int request_decide(struct apply_ctx *ctx, const struct request *r, const char *state,
			  const char *reason)
{
	static const char sql[] = "UPDATE compliance_requests SET state = ?, decided_at = ?,"
				  " decided_op = ?, deny_reason = ? WHERE id = ?";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, ctx->now);
	sqlite3_bind_blob(s, 3, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 5, r->id, 32, SQLITE_STATIC);
	int rc = gov_step(ctx, s, "compliance_requests");
	if (rc == MV_OK)
		rc = council_close(ctx, "regulator.approve", r->id);
	if (rc == MV_OK)
		rc = council_close(ctx, "regulator.deny", r->id);
	return rc;
}

/* regulator.approve / regulator.deny: council members sign the same request
 * (people_int.h); the threshold-th signature decides. */
static int regulator_decide(struct apply_ctx *ctx)
{
	struct request r;
	char reason[201] = "", summary[400], text[400], hx[13], sx[13];
	uint8_t topic[32];
	struct mv_err e;
	bool approve = strcmp(ctx->op->kind, "regulator.approve") == 0, reached;
	int rc = request_load(ctx, &r);
	if (rc != MV_OK)
		return rc;
	if (strcmp(r.state, "pending") != 0)
		return ctx_reject(ctx, "request already %s", r.state);
	if (!approve) {
		body_str(ctx->body, "reason", reason, sizeof reason, &e);
		if (!reason[0])
			return ctx_reject(ctx, "a denial needs a reason");
	}
	council_topic(topic, ctx->op->kind, r.id, reason, strlen(reason));
	gov_short(hx, r.regulator);
	gov_short(sx, r.subject);
	/* A label for the council's queue: basis and reason are cut to fit; the
	 * ops hold the full text. */
	snprintf(summary, sizeof summary, "%s regulator %s access to the %s data of %s (basis: %.60s)%s%.60s",
		 approve ? "grant" : "deny", hx, r.scope, sx, r.basis, approve ? "" : ": ", reason);
	rc = council_sign(ctx, ctx->op->kind, r.id, topic, summary, &reached);
	if (rc != MV_OK || !reached)
		return rc;
	rc = request_decide(ctx, &r, approve ? "granted" : "denied", reason);
	if (approve)
		snprintf(text, sizeof text, "the council granted regulator %s access to your %s data "
			 "(legal basis: %s)", hx, r.scope, r.basis);
	else
		snprintf(text, sizeof text, "the council denied regulator %s's request for your %s data: "
			 "%s", hx, r.scope, reason);
	if (rc == MV_OK)
		rc = notice(ctx, r.subject, r.id, text);
	snprintf(text, sizeof text, "regulator request for %s data %s by the council", r.scope,
		 approve ? "granted" : "denied");
	return rc == MV_OK ? access_audit(ctx, r.subject, text) : rc;
}

static int regulator_deliver(struct apply_ctx *ctx)
{
	static const char sql[] = "UPDATE compliance_requests SET state = 'fulfilled',"
				  " delivered_blob = ?, delivered_key = ?, delivered_by = ?, delivered_at = ?"
				  " WHERE id = ?";
	struct request r;
	uint8_t blob[32];
	const uint8_t *key;
	size_t kn = 0;
	char text[300], hx[13];
	struct mv_err e;
	int rc = request_load(ctx, &r);
	if (rc != MV_OK)
		return rc;
	if (strcmp(r.state, "granted") != 0)
		return ctx_reject(ctx, strcmp(r.state, "pending") == 0
					       ? "the council has not granted this request"
					       : "request already %s", r.state);
	if (memcmp(ctx->actor, r.subject, 32) != 0 && !people_in_care(ctx->st, ctx->actor, r.subject))
		return ctx_reject(ctx, "not allowed: the subject or their therapist delivers the data");
	body_id(ctx->body, "blob", blob, &e);
	body_bytes(ctx->body, "sealed_key", &key, &kn, &e);
	if (kn != BLOB_SEALED_LEN)
		return ctx_reject(ctx, "sealed_key must be the blob key sealed to the regulator (%d bytes)",
				  BLOB_SEALED_LEN);
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, blob, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, key, BLOB_SEALED_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, ctx->now);
	sqlite3_bind_blob(s, 5, r.id, 32, SQLITE_STATIC);
	if (gov_step(ctx, s, "compliance_requests") != MV_OK)
		return MV_ERR;
	gov_short(hx, r.regulator);
	snprintf(text, sizeof text, "your %s data was sealed to regulator %s under the granted request",
		 r.scope, hx);
	rc = notice(ctx, r.subject, r.id, text);
	snprintf(text, sizeof text, "%s data sealed to regulator %s (granted request)", r.scope, hx);
	return rc == MV_OK ? access_audit(ctx, r.subject, text) : rc;
}

/* ---- purge lists ---------------------------------------------------------- */

static int purge_add(struct apply_ctx *ctx, const uint8_t hash[32], const char *reason,
		     const uint8_t *subject, const uint8_t *session)
{
	static const char sql[] = "INSERT OR IGNORE INTO compliance_purge(hash, reason, subject, session,"
				  " time, op) VALUES(?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, reason, -1, SQLITE_STATIC);
	if (subject)
		sqlite3_bind_blob(s, 3, subject, 32, SQLITE_STATIC);
	if (session)
		sqlite3_bind_blob(s, 4, session, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, ctx->now);
	sqlite3_bind_blob(s, 6, ctx->op->id, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "compliance_purge");
}

/* Add every hash a query (binding id as ?1) returns to the purge list. */
static int purge_query(struct apply_ctx *ctx, const char *sql, const uint8_t id[32],
		       const char *reason, const uint8_t *subject, const uint8_t *session, int64_t *n)
{
	struct gov_ids l = {0};
	int rc = gov_ids_collect(ctx->st, sql, id, NULL, false, 0, &l, &ctx->err);
	for (size_t i = 0; rc == MV_OK && i < l.n; i++) {
		rc = purge_add(ctx, l.v[i], reason, subject, session);
		(*n)++;
	}
	gov_ids_free(&l);
	return rc;
}

/* Run statements binding id as ?1. */
static int exec_each(struct apply_ctx *ctx, const char *const *sqls, size_t n, const uint8_t id[32])
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *s = store_prep(ctx->st, sqls[i], &ctx->err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
		if (gov_step(ctx, s, "erase") != MV_OK)
			return MV_ERR;
	}
	return MV_OK;
}

/* ---- user.erase ----------------------------------------------------------- */

/* Blobs of the subject's own data (before the rows naming them go). */
static const char *const erase_blob_queries[] = {
	"SELECT blob FROM users_blobs WHERE account = ?1 ORDER BY what",
	"SELECT blob FROM groups_posts WHERE author = ?1 ORDER BY id",
	"SELECT message_blob FROM groups_app_messages WHERE applicant = ?1 ORDER BY op",
	"SELECT comment_blob FROM sessions_ratings WHERE patient = ?1 AND comment_blob IS NOT NULL"
	" ORDER BY session",
	"SELECT d.reason_blob FROM sessions_disputes d JOIN sessions s ON s.id = d.session"
	" WHERE s.patient = ?1 ORDER BY d.session",
	"SELECT policy_blob FROM payments_claims WHERE patient = ?1 ORDER BY id",
	"SELECT detail_blob FROM access_emergency WHERE patient = ?1 AND detail_blob IS NOT NULL"
	" ORDER BY op",
	"SELECT proof_blob FROM verify_apps WHERE therapist = ?1",
	"SELECT blob FROM bots_grants WHERE grantor = ?1 ORDER BY bot, blob",
	"SELECT blob FROM access_mood_shares WHERE patient = ?1 ORDER BY op",
};

/* References and personal fields dropped from state. */
static const char *const erase_statements[] = {
	"DELETE FROM users_blobs WHERE account = ?1",
	"DELETE FROM users_shares WHERE account = ?1 OR reader = ?1",
	"DELETE FROM users_privacy WHERE account = ?1",
	"DELETE FROM users_guardians WHERE account = ?1 OR guardian = ?1",
	"DELETE FROM users_recovery WHERE account = ?1",
	"DELETE FROM users_recovery_votes WHERE account = ?1",
	"DELETE FROM notes_keys WHERE reader = ?1",
	"DELETE FROM sessions_keys WHERE reader = ?1",
	"UPDATE sessions_ratings SET comment_blob = NULL WHERE patient = ?1",
	"DELETE FROM verify_proof_keys WHERE therapist = ?1",
	"DELETE FROM compliance_consents WHERE subject = ?1",
	"DELETE FROM bots_enabled WHERE account = ?1",
	"DELETE FROM bots_grants WHERE grantor = ?1",
	"DELETE FROM access_mood_shares WHERE patient = ?1",
};

static int user_erase(struct apply_ctx *ctx)
{
	static const char ins[] = "INSERT INTO compliance_erased(account, pseudonym, time, op, blobs)"
				  " VALUES(?, ?, ?, ?, ?)";
	static const char pseudo[] = "UPDATE users SET display_name = ?2, bio = '', languages = '',"
				     " updated = ?3 WHERE account = ?1";
	char name[32], hx[13];
	int64_t n = 0;
	if (compliance_erased(ctx->st, ctx->actor))
		return ctx_reject(ctx, "account already erased");
	gov_short(hx, ctx->actor);
	snprintf(name, sizeof name, "erased-%.8s", hx);
	int rc = MV_OK;
	for (size_t i = 0; rc == MV_OK && i < sizeof erase_blob_queries / sizeof *erase_blob_queries; i++)
		rc = purge_query(ctx, erase_blob_queries[i], ctx->actor, "erasure", ctx->actor, NULL, &n);
	if (rc == MV_OK)
		rc = exec_each(ctx, erase_statements,
			       sizeof erase_statements / sizeof *erase_statements, ctx->actor);
	if (rc == MV_OK)
		rc = groups_erase_member(ctx, ctx->actor);
	if (rc == MV_OK)
		rc = gov_end_delegation(ctx, ctx->actor);
	sqlite3_stmt *s = rc == MV_OK ? store_prep(ctx->st, pseudo, &ctx->err) : NULL;
	if (!s)
		return rc == MV_OK ? MV_ERR : rc;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ctx->now);
	if (gov_step(ctx, s, "users") != MV_OK || !(s = store_prep(ctx->st, ins, &ctx->err)))
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ctx->now);
	sqlite3_bind_blob(s, 4, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, n);
	if (gov_step(ctx, s, "compliance_erased") != MV_OK)
		return MV_ERR;
	return access_audit(ctx, ctx->actor, "account erased at its owner's request (user.erase)");
}

/* ---- retention ------------------------------------------------------------ */

struct closed_session {
	uint8_t id[32], patient[32];
	int64_t closed;
};

/* Closed sessions not yet swept whose close lies before `before`. */
static int closed_sessions(struct apply_ctx *ctx, int64_t before, struct closed_session **out,
			   size_t *n)
{
	static const char sql[] =
		"SELECT s.id, s.patient, CASE s.state WHEN 'settled' THEN s.settled_at ELSE s.updated END"
		" AS closed FROM sessions s WHERE s.state IN ('settled', 'cancelled', 'declined')"
		" AND NOT EXISTS (SELECT 1 FROM compliance_retained r WHERE r.session = s.id)"
		" AND (CASE s.state WHEN 'settled' THEN s.settled_at ELSE s.updated END) <= ?"
		" ORDER BY closed, s.id";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, before);
	size_t cap = 0;
	int rc = MV_OK, st;
	while ((st = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			struct closed_session *v = realloc(*out, cap * sizeof *v);
			if (!v) {
				rc = mv_fail(&ctx->err, MV_ERR, "out of memory");
				break;
			}
			*out = v;
		}
		memcpy((*out)[*n].id, sqlite3_column_blob(s, 0), 32);
		memcpy((*out)[*n].patient, sqlite3_column_blob(s, 1), 32);
		(*out)[*n].closed = sqlite3_column_int64(s, 2);
		(*n)++;
	}
	sqlite3_reset(s);
	if (rc == MV_OK && st != SQLITE_DONE && st != SQLITE_ROW)
		rc = ctx_sqlerr(ctx, "sessions");
	return rc;
}

static int64_t retention_days_for(struct store *st, const uint8_t patient[32])
{
	char jur[16];
	user_jurisdiction(st, patient, jur);
	const struct jurisdiction_rule *r = jurisdiction_find(jur);
	return r ? r->retention_days : JURISDICTION_DEFAULT_RETENTION_DAYS;
}

static const char *const retention_blob_queries[] = {
	"SELECT blob FROM notes WHERE session = ?1 ORDER BY id",
	"SELECT reason_blob FROM sessions_disputes WHERE session = ?1",
	"SELECT comment_blob FROM sessions_ratings WHERE session = ?1 AND comment_blob IS NOT NULL",
};

static const char *const retention_statements[] = {
	"DELETE FROM notes_keys WHERE note IN (SELECT id FROM notes WHERE session = ?1)",
	"DELETE FROM sessions_keys WHERE blob IN (SELECT reason_blob FROM sessions_disputes"
	" WHERE session = ?1 UNION SELECT comment_blob FROM sessions_ratings WHERE session = ?1)",
};

static int retain_one(struct apply_ctx *ctx, const struct closed_session *c, int64_t expires)
{
	static const char ins[] = "INSERT INTO compliance_retained(session, closed, expires, blobs, time,"
				  " op) VALUES(?, ?, ?, ?, ?, ?)";
	int64_t n = 0;
	int rc = MV_OK;
	for (size_t i = 0; rc == MV_OK && i < 3; i++)
		rc = purge_query(ctx, retention_blob_queries[i], c->id, "retention", c->patient, c->id, &n);
	if (rc == MV_OK)
		rc = exec_each(ctx, retention_statements, 2, c->id);
	sqlite3_stmt *s = rc == MV_OK ? store_prep(ctx->st, ins, &ctx->err) : NULL;
	if (!s)
		return rc == MV_OK ? MV_ERR : rc;
	sqlite3_bind_blob(s, 1, c->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, c->closed);
	sqlite3_bind_int64(s, 3, expires);
	sqlite3_bind_int64(s, 4, n);
	sqlite3_bind_int64(s, 5, ctx->now);
	sqlite3_bind_blob(s, 6, ctx->op->id, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "compliance_retained");
}

static int retention_sweep(struct apply_ctx *ctx)
{
	/* no rule keeps records for less than the shortest period below */
	int64_t shortest = JURISDICTION_DEFAULT_RETENTION_DAYS;
	for (const struct jurisdiction_rule *r = jurisdiction_rules; r->code; r++)
		if (r->retention_days < shortest)
			shortest = r->retention_days;
	struct closed_session *cs;
	size_t n, done = 0;
	int rc = closed_sessions(ctx, ctx->now - shortest * DAY_MS, &cs, &n);
	for (size_t i = 0; rc == MV_OK && i < n && done < SWEEP_MAX; i++) {
		int64_t expires = cs[i].closed + retention_days_for(ctx->st, cs[i].patient) * DAY_MS;
		if (expires > ctx->now)
			continue;
		rc = retain_one(ctx, &cs[i], expires);
		done++;
	}
	free(cs);
	if (rc == MV_OK && done == 0)
		return ctx_reject(ctx, "no closed session is past its retention period");
	return rc;
}

/* ---- consent -------------------------------------------------------------- */

static bool has_consent(struct store *st, const uint8_t subject[32], const uint8_t to[32],
			const char *scope)
{
	static const char sql[] = "SELECT 1 FROM compliance_consents WHERE subject = ? AND to_acct = ?"
				  " AND scope = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, subject, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, to, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, scope, -1, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}

static int consent_op(struct apply_ctx *ctx)
{
	static const char ins[] = "INSERT INTO compliance_consents(subject, to_acct, scope, time, op)"
				  " VALUES(?, ?, ?, ?, ?)";
	static const char del[] = "DELETE FROM compliance_consents WHERE subject = ? AND to_acct = ?"
				  " AND scope = ?";
	bool give = strcmp(ctx->op->kind, "compliance.consent") == 0;
	uint8_t to[32];
	char scope[24], text[120], hx[13];
	struct mv_err e;
	int rc = access_check(ctx, ctx->actor, ACCESS_OWN_PROFILE, NULL);
	if (rc != MV_OK)
		return rc;
	body_id(ctx->body, "to", to, &e);
	body_str(ctx->body, "scope", scope, sizeof scope, &e);
	if (memcmp(to, ctx->actor, 32) == 0)
		return ctx_reject(ctx, "consent is given to another account");
	bool has = has_consent(ctx->st, ctx->actor, to, scope);
	if (give && has)
		return ctx_reject(ctx, "consent already given");
	if (!give && !has)
		return ctx_reject(ctx, "no such consent to withdraw");
	sqlite3_stmt *s = store_prep(ctx->st, give ? ins : del, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, to, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, scope, -1, SQLITE_STATIC);
	if (give) {
		sqlite3_bind_int64(s, 4, ctx->now);
		sqlite3_bind_blob(s, 5, ctx->op->id, 32, SQLITE_STATIC);
	}
	if (gov_step(ctx, s, "compliance_consents") != MV_OK)
		return MV_ERR;
	gov_short(hx, to);
	snprintf(text, sizeof text, "%s consent (%s) to %s", give ? "gave" : "withdrew", scope, hx);
	return access_audit(ctx, ctx->actor, text);
}

/* ---- precheck ------------------------------------------------------------- */

static bool erased_may(const char *kind)
{
	return strcmp(kind, "ledger.transfer") == 0 || strcmp(kind, "staking.unstake") == 0 ||
	       strcmp(kind, "staking.claim") == 0;
}

/* note.add about a patient under a rule set requiring consent for notes
 * kept abroad, by a therapist under another rule set. */
static int cross_border_note(struct apply_ctx *ctx)
{
	uint8_t sid[32];
	struct care_session s;
	char pj[16], tj[16];
	struct mv_err e;
	if (body_id(ctx->body, "session", sid, &e) != MV_OK ||
	    care_session_get(ctx->st, sid, &s, NULL) != MV_OK)
		return MV_OK; /* the handler rejects it */
	user_jurisdiction(ctx->st, s.patient, pj);
	user_jurisdiction(ctx->st, s.therapist, tj);
	const struct jurisdiction_rule *rp = jurisdiction_find(pj), *rt = jurisdiction_find(tj);
	if (!rp || !rp->cross_border_consent || rp == rt)
		return MV_OK;
	if (has_consent(ctx->st, s.patient, s.therapist, "cross_border"))
		return MV_OK;
	return ctx_reject(ctx, "compliance (%s): notes about a patient in %s kept by a therapist in "
			  "%s need the patient's consent (compliance.consent scope=cross_border)",
			  rp->law, pj, tj[0] ? tj : "an unknown jurisdiction");
}

static int compliance_precheck(struct apply_ctx *ctx)
{
	if (compliance_erased(ctx->st, ctx->actor) && !erased_may(ctx->op->kind))
		return ctx_reject(ctx, "account erased (user.erase): it can no longer act, except to "
				  "move or unstake its MVT");
	if (strcmp(ctx->op->kind, "note.add") == 0)
		return cross_border_note(ctx);
	return MV_OK;
}

/* ---- compliance_check ----------------------------------------------------- */

enum duty {
	D_RETENTION = 1 << 0,
	D_BREACH = 1 << 1,
	D_CONSENT = 1 << 2,
	D_CROSS_BORDER = 1 << 3,
	D_ERASURE = 1 << 4,
	D_PORTABILITY = 1 << 5,
	D_AUDIT = 1 << 6,
	D_COUNCIL = 1 << 7,
};

struct kind_category {
	const char *kind;      /* exact kind, or a prefix ending in '.' */
	const char *category;
	unsigned duties;
	bool consent;          /* the subject's own op or consent is needed */
};

static const struct kind_category categories[] = {
	{"note.add", "health record (session note)", D_RETENTION | D_BREACH | D_CROSS_BORDER, false},
	{"session.", "health data (appointments and their records)", D_RETENTION | D_BREACH, false},
	{"user.register", "collection of personal data (the subject's own)", D_CONSENT | D_BREACH, true},
	{"profile.", "personal data controlled by its subject", D_CONSENT | D_BREACH, true},
	{"privacy.set", "the subject's privacy choices", D_CONSENT, true},
	{"access.emergency", "emergency disclosure (vital interests), audited", D_AUDIT | D_BREACH,
	 false},
	{"regulator.", "disclosure to an authority (legal basis, council threshold, audited)",
	 D_AUDIT | D_COUNCIL | D_BREACH, false},
	{"user.erase", "erasure of the subject's personal data", D_ERASURE | D_AUDIT, true},
	{"retention.sweep", "deletion of session records after retention", D_RETENTION, false},
	{"claim.", "disclosure to an insurer for payment", D_CONSENT | D_BREACH, true},
	{"bot.grant", "disclosure to a processor (bot) by its subject", D_CONSENT | D_AUDIT, true},
	{"group.post", "special-category data shared with a peer-support group", D_CONSENT | D_BREACH,
	 true},
	{"compliance.", "consent to processing", D_CONSENT | D_CROSS_BORDER, true},
	{NULL, "no personal data beyond public metadata", 0, false},
};

static const struct kind_category *category_of(const char *kind)
{
	for (const struct kind_category *c = categories; c->kind; c++) {
		size_t n = strlen(c->kind);
		if (c->kind[n - 1] == '.' ? strncmp(c->kind, kind, n) == 0 : strcmp(c->kind, kind) == 0)
			return c;
	}
	return &categories[sizeof categories / sizeof *categories - 1];
}

static void duty(struct compliance_verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void duty(struct compliance_verdict *v, const char *fmt, ...)
{
	va_list ap;
	if (v->nduties >= 8)
		return;
	va_start(ap, fmt);
	vsnprintf(v->duties[v->nduties++], sizeof v->duties[0], fmt, ap);
	va_end(ap);
}

int compliance_check(const char *kind, const char *jurisdiction, struct compliance_verdict *v,
		     struct mv_err *err)
{
	memset(v, 0, sizeof *v);
	if (!contract_find(kind, NULL))
		return mv_fail(err, MV_EINVAL, "unknown op kind %s", kind);
	const struct jurisdiction_rule *r = jurisdiction_find(jurisdiction);
	if (!r)
		return mv_fail(err, MV_EINVAL, "no rules for jurisdiction %s (known: US, EU, UK, CA, or "
			       "a country they cover such as DE or US-CA)", jurisdiction);
	const struct kind_category *c = category_of(kind);
	snprintf(v->code, sizeof v->code, "%s", r->code);
	snprintf(v->law, sizeof v->law, "%s", r->law);
	snprintf(v->category, sizeof v->category, "%s", c->category);
	v->allowed = true;
	v->needs_consent = c->consent || ((c->duties & D_CROSS_BORDER) && r->cross_border_consent);
	if (c->duties & D_CONSENT)
		duty(v, "consent: %s", r->consent);
	if (c->duties & D_RETENTION)
		duty(v, "retention: session records are kept %lld days after the session closes, then "
		     "purged (retention.sweep)", (long long)r->retention_days);
	if ((c->duties & D_CROSS_BORDER) && r->cross_border_consent)
		duty(v, "cross-border: notes about a resident kept by a therapist under another rule "
		     "set need the resident's consent (compliance.consent scope=cross_border)");
	else if (c->duties & D_CROSS_BORDER)
		duty(v, "cross-border: %s sets no consent requirement for notes kept abroad", r->law);
	if ((c->duties & D_BREACH) && r->breach_notice_hours)
		duty(v, "breach notice to %s within %lld hours", r->breach_notify,
		     (long long)r->breach_notice_hours);
	else if (c->duties & D_BREACH)
		duty(v, "breach notice to %s", r->breach_notify);
	if ((c->duties & D_ERASURE) && r->erasure_right)
		duty(v, "erasure: a legal right under %s", r->law);
	else if (c->duties & D_ERASURE)
		duty(v, "erasure: not a legal right under %s, offered by the platform", r->law);
	if ((c->duties & (D_ERASURE | D_CONSENT)) && r->portability_right)
		duty(v, "portability: a legal right under %s (export-my-data)", r->law);
	else if (c->duties & (D_ERASURE | D_CONSENT))
		duty(v, "portability: offered by the platform (export-my-data); not required by %s",
		     r->law);
	if (c->duties & D_AUDIT)
		duty(v, "audit: recorded in the subject's audit log");
	if (c->duties & D_COUNCIL)
		duty(v, "control: council_threshold council members must approve");
	return MV_OK;
}

/* ---- the handler table ---------------------------------------------------- */

#define END_FIELDS {NULL, 0, false, 0, 0, 0, NULL, NULL}

static const struct field_spec request_fields[] = {
	{"subject", F_ACCOUNT, false, 0, 0, 0, NULL, "whose data"},
	{"scope", F_ENUM, false, 0, 0, 0, "profile|notes|sessions|audit|all", "which data"},
	{"legal_basis", F_STR, false, 0, 0, 200, NULL, "the law, order or case reference"},
	END_FIELDS,
};

static const struct field_spec request_id_fields[] = {
	{"request", F_ID, false, 0, 0, 0, NULL, "the request (its regulator.request op id)"},
	END_FIELDS,
};

static const struct field_spec deny_fields[] = {
	{"request", F_ID, false, 0, 0, 0, NULL, "the request"},
	{"reason", F_STR, false, 0, 0, 200, NULL, "public reason"},
	END_FIELDS,
};

static const struct field_spec deliver_fields[] = {
	{"request", F_ID, false, 0, 0, 0, NULL, "the granted request"},
	{"blob", F_ID, false, 0, 0, 0, NULL, "hash of the data in scope, encrypted"},
	{"sealed_key", F_BYTES, false, 0, 0, BLOB_SEALED_LEN, NULL, "its key sealed to the regulator"},
	END_FIELDS,
};

static const struct field_spec erase_fields[] = {
	{"confirm", F_ENUM, false, 0, 0, 0, "erase", "must be \"erase\": this cannot be undone"},
	END_FIELDS,
};

static const struct field_spec none_fields[] = {END_FIELDS};

static const struct field_spec consent_fields[] = {
	{"to", F_ACCOUNT, false, 0, 0, 0, NULL, "the account (e.g. your therapist abroad)"},
	{"scope", F_ENUM, false, 0, 0, 0, "cross_border", "what you consent to"},
	END_FIELDS,
};

static const struct op_handler compliance_handlers[] = {
	{"regulator.request", "ask for a subject's data under a legal basis (the council decides)",
	 "a regulator appointed by the council", request_fields, regulator_request},
	{"regulator.approve", "approve a regulator request; the threshold-th signature grants it",
	 "council members", request_id_fields, regulator_decide},
	{"regulator.deny", "deny a regulator request; the threshold-th signature denies it",
	 "council members", deny_fields, regulator_decide},
	{"regulator.deliver", "record the data in scope sealed to the regulator",
	 "the subject or their therapist, once granted", deliver_fields, regulator_deliver},
	{"user.erase", "erase your personal data (right to erasure); public traces become a pseudonym",
	 "any account, about itself", erase_fields, user_erase},
	{"retention.sweep", "list session records past retention for deletion on every node",
	 "anyone", none_fields, retention_sweep},
	{"compliance.consent", "consent, e.g. to notes kept by a therapist abroad",
	 "a registered account", consent_fields, consent_op},
	{"compliance.withdraw", "withdraw a consent", "a registered account", consent_fields,
	 consent_op},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract compliance_contract = {
	.name = "compliance",
	.summary = "regulator requests, erasure, retention, consent, jurisdiction rules",
	.migrations = compliance_migrations,
	.handlers = compliance_handlers,
	.precheck = compliance_precheck,
};
