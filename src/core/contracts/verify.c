/* verify.c - professional verification of therapists: license submission
 * (with a proof blob sealed to the council), council decisions at the
 * council threshold, status changes (active, suspended, revoked), license
 * expiry by effective time, and continuing education (CE) with a yearly
 * minimum.
 *
 * Guarantees:
 * - A therapist is verified only while: the council approved a license
 *   (council_threshold distinct members signed the same decision about the
 *   same submission), its expiry is after the op's effective time, and the
 *   status is active. Nothing else makes anyone verified.
 * - No council member decides their own application or status.
 * - One license (number, board, jurisdiction) verifies one account.
 * - CE: after the first year from the first verification, a therapist
 *   whose logged hours over the last 365 days are below ce_hours_per_year
 *   is "CE due" and may not publish new services (people_therapist_can_publish).
 * Every decision is kept in verify_history and the audit log. */
#include "people_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS INT64_C(86400000)
#define YEAR_MS (365 * DAY_MS)
#define VERIFY_MAX_SPECIALTIES 16

static const struct migration verify_migrations[] = {
	{1, "CREATE TABLE verify_apps(therapist BLOB PRIMARY KEY, op BLOB NOT NULL,"
	    "  license_no TEXT NOT NULL, board TEXT NOT NULL, jurisdiction TEXT NOT NULL,"
	    "  expires INTEGER NOT NULL, specialties TEXT NOT NULL, proof_blob BLOB NOT NULL,"
	    "  submitted INTEGER NOT NULL, state TEXT NOT NULL, decided INTEGER NOT NULL DEFAULT 0,"
	    "  reason TEXT NOT NULL DEFAULT '');"
	    "CREATE INDEX verify_apps_state ON verify_apps(state, submitted);"
	    "CREATE TABLE verify_proof_keys(therapist BLOB NOT NULL, reader BLOB NOT NULL,"
	    "  sealed_key BLOB NOT NULL, PRIMARY KEY(therapist, reader));"
	    "CREATE TABLE verify_status(therapist BLOB PRIMARY KEY, license_no TEXT NOT NULL,"
	    "  board TEXT NOT NULL, jurisdiction TEXT NOT NULL, expires INTEGER NOT NULL,"
	    "  specialties TEXT NOT NULL, first_verified INTEGER NOT NULL, verified INTEGER NOT NULL,"
	    "  status TEXT NOT NULL, status_reason TEXT NOT NULL, status_time INTEGER NOT NULL);"
	    "CREATE INDEX verify_status_license ON verify_status(license_no, board, jurisdiction);"
	    "CREATE TABLE verify_ce(therapist BLOB NOT NULL, op BLOB NOT NULL, hours INTEGER NOT NULL,"
	    "  course TEXT NOT NULL, proof_blob BLOB, time INTEGER NOT NULL,"
	    "  PRIMARY KEY(therapist, op));"
	    "CREATE INDEX verify_ce_time ON verify_ce(therapist, time);"
	    "CREATE TABLE verify_history(therapist BLOB NOT NULL, op BLOB NOT NULL, time INTEGER NOT NULL,"
	    "  event TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY(therapist, op));"
	    "CREATE INDEX verify_history_event ON verify_history(event, therapist);"},
	{0, NULL},
};

/* ---- helpers ------------------------------------------------------------- */

static int step_done(struct apply_ctx *ctx, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, what);
}

static int get_str(struct apply_ctx *ctx, const char *field, char *out, size_t outlen)
{
	struct mv_err e;
	out[0] = 0;
	if (!body_get(ctx->body, field))
		return MV_OK;
	if (body_str(ctx->body, field, out, outlen, &e) != MV_OK)
		return ctx_reject(ctx, "%s", e.msg);
	return MV_OK;
}

static void short_hex(char out[13], const uint8_t id[32])
{
	char hex[65];
	mv_hex(hex, id, 32);
	memcpy(out, hex, 12);
	out[12] = 0;
}

static int history(struct apply_ctx *ctx, const uint8_t therapist[32], const char *event,
		   const char *reason)
{
	static const char sql[] = "INSERT INTO verify_history(therapist, op, time, event, reason) "
				  "VALUES(?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ctx->now);
	sqlite3_bind_text(s, 4, event, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, reason ? reason : "", -1, SQLITE_STATIC);
	return step_done(ctx, s, "verify_history");
}

/* The current application of therapist. */
struct app {
	uint8_t op[32];
	int64_t expires;
	char state[12];
	char license_no[65], board[129], jurisdiction[8], specialties[600];
};

static bool app_get(struct store *st, const uint8_t therapist[32], struct app *a)
{
	static const char sql[] = "SELECT op, expires, state, license_no, board, jurisdiction, "
				  "specialties FROM verify_apps WHERE therapist = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	bool found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		memcpy(a->op, sqlite3_column_blob(s, 0), 32);
		a->expires = sqlite3_column_int64(s, 1);
		snprintf(a->state, sizeof a->state, "%s", (const char *)sqlite3_column_text(s, 2));
		snprintf(a->license_no, sizeof a->license_no, "%s", (const char *)sqlite3_column_text(s, 3));
		snprintf(a->board, sizeof a->board, "%s", (const char *)sqlite3_column_text(s, 4));
		snprintf(a->jurisdiction, sizeof a->jurisdiction, "%s",
			 (const char *)sqlite3_column_text(s, 5));
		snprintf(a->specialties, sizeof a->specialties, "%s",
			 (const char *)sqlite3_column_text(s, 6));
	}
	sqlite3_reset(s);
	return found;
}

/* Status of a therapist ever verified: "" if never. */
static void status_get(struct store *st, const uint8_t therapist[32], char *status, size_t n,
		       int64_t *expires, int64_t *first)
{
	static const char sql[] = "SELECT status, expires, first_verified FROM verify_status "
				  "WHERE therapist = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	status[0] = 0;
	*expires = 0;
	if (first)
		*first = 0;
	if (!s)
		return;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(status, n, "%s", (const char *)sqlite3_column_text(s, 0));
		*expires = sqlite3_column_int64(s, 1);
		if (first)
			*first = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
}

/* ---- people.h ------------------------------------------------------------ */

bool people_therapist_verified(struct store *st, const uint8_t account[32], int64_t now)
{
	char status[16];
	int64_t expires;
	if (people_role(st, account) != ROLE_THERAPIST)
		return false;
	status_get(st, account, status, sizeof status, &expires, NULL);
	return strcmp(status, "active") == 0 && expires > now;
}

void people_ce_status(struct store *st, const uint8_t account[32], int64_t now, struct people_ce *out)
{
	static const char sql[] = "SELECT coalesce(sum(hours), 0) FROM verify_ce WHERE therapist = ? "
				  "AND time > ? AND time <= ?";
	char status[16];
	int64_t expires, first;
	memset(out, 0, sizeof *out);
	out->required = param_get(st, "ce_hours_per_year", 0);
	status_get(st, account, status, sizeof status, &expires, &first);
	if (status[0])
		out->grace_until = first + YEAR_MS;
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (s) {
		sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now - YEAR_MS);
		sqlite3_bind_int64(s, 3, now);
		if (sqlite3_step(s) == SQLITE_ROW)
			out->hours = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	out->due = status[0] && out->required > 0 && now >= out->grace_until &&
		   out->hours < out->required;
}

bool people_therapist_can_publish(struct store *st, const uint8_t account[32], int64_t now,
				  char *why, size_t whylen)
{
	char status[16];
	int64_t expires;
	struct people_ce ce;
	if (why && whylen)
		why[0] = 0;
	if (people_role(st, account) != ROLE_THERAPIST) {
		if (why)
			snprintf(why, whylen, "not a registered therapist");
		return false;
	}
	status_get(st, account, status, sizeof status, &expires, NULL);
	if (!status[0]) {
		if (why)
			snprintf(why, whylen, "license not verified yet");
		return false;
	}
	if (strcmp(status, "active") != 0) {
		if (why)
			snprintf(why, whylen, "verification %s", status);
		return false;
	}
	if (expires <= now) {
		if (why)
			snprintf(why, whylen, "license expired");
		return false;
	}
	people_ce_status(st, account, now, &ce);
	if (ce.due) {
		if (why)
			snprintf(why, whylen, "CE due: %lld of %lld hours in the last 12 months",
				 (long long)ce.hours, (long long)ce.required);
		return false;
	}
	return true;
}

/* ---- verify.submit --------------------------------------------------------- */

static int store_proof_keys(struct apply_ctx *ctx)
{
	static const char del[] = "DELETE FROM verify_proof_keys WHERE therapist = ?";
	static const char members[] = "SELECT member FROM council ORDER BY member";
	static const char ins[] = "INSERT INTO verify_proof_keys(therapist, reader, sealed_key) "
				  "VALUES(?, ?, ?)";
	const struct body_value *keys;
	size_t n;
	struct mv_err e;
	body_list(ctx->body, "sealed_keys", &keys, &n, &e);
	if ((int64_t)n != council_size(ctx->st))
		return ctx_reject(ctx, "sealed_keys must hold one sealed key per council member "
				       "(%lld), in council order", (long long)council_size(ctx->st));
	for (size_t i = 0; i < n; i++)
		if (keys[i].n != 80)
			return ctx_reject(ctx, "sealed_keys: item %zu is not a sealed blob key (80 bytes)",
					  i + 1);
	sqlite3_stmt *s = store_prep(ctx->st, del, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	if (step_done(ctx, s, "verify_proof_keys") != MV_OK)
		return MV_ERR;
	/* read the members first: no statement stays open while writing */
	uint8_t (*m)[32] = n ? calloc(n, 32) : NULL;
	if (n && !m)
		return mv_fail(&ctx->err, MV_ERR, "out of memory");
	s = store_prep(ctx->st, members, &ctx->err);
	size_t k = 0;
	while (s && k < n && sqlite3_step(s) == SQLITE_ROW)
		memcpy(m[k++], sqlite3_column_blob(s, 0), 32);
	if (s)
		sqlite3_reset(s);
	int rc = s ? MV_OK : MV_ERR;
	for (size_t i = 0; rc == MV_OK && i < k; i++) {
		s = store_prep(ctx->st, ins, &ctx->err);
		if (!s) {
			rc = MV_ERR;
			break;
		}
		sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, m[i], 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 3, keys[i].p, 80, SQLITE_STATIC);
		rc = step_done(ctx, s, "verify_proof_keys");
	}
	free(m);
	return rc;
}

/* Join specialties: 1..48 bytes each, no commas. */
static int join_specialties(struct apply_ctx *ctx, char *out, size_t outlen)
{
	const struct body_value *v = body_get(ctx->body, "specialties");
	size_t len = 0;
	out[0] = 0;
	for (size_t i = 0; v && i < v->n; i++) {
		const struct body_value *it = &v->items[i];
		if (it->n == 0 || it->n > 48 || memchr(it->p, ',', it->n))
			return ctx_reject(ctx, "specialties: each 1..48 bytes without commas");
		if (len + it->n + 2 > outlen)
			return ctx_reject(ctx, "specialties: too long");
		if (i)
			out[len++] = ',';
		memcpy(out + len, it->p, it->n);
		len += it->n;
		out[len] = 0;
	}
	return MV_OK;
}

static bool license_taken(struct store *st, const uint8_t me[32], const char *no, const char *board,
			  const char *jur)
{
	static const char sql[] = "SELECT 1 FROM verify_status WHERE license_no = ? AND board = ? "
				  "AND jurisdiction = ? AND therapist != ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_text(s, 1, no, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, board, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, jur, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, me, 32, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}

static int verify_submit(struct apply_ctx *ctx)
{
	static const char sql[] =
		"INSERT INTO verify_apps(therapist, op, license_no, board, jurisdiction, expires, "
		"specialties, proof_blob, submitted, state, decided, reason) "
		"VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, '') ON CONFLICT(therapist) DO UPDATE SET "
		"op = excluded.op, license_no = excluded.license_no, board = excluded.board, "
		"jurisdiction = excluded.jurisdiction, expires = excluded.expires, "
		"specialties = excluded.specialties, proof_blob = excluded.proof_blob, "
		"submitted = excluded.submitted, state = 'pending', decided = 0, reason = ''";
	char no[65], board[129], jur[8], spec[600];
	uint8_t proof[32];
	int64_t expires;
	struct mv_err e;
	int rc = access_check(ctx, ctx->actor, ACCESS_VERIFY_SUBMIT, NULL);
	if (rc != MV_OK)
		return rc;
	rc = get_str(ctx, "license_no", no, sizeof no);
	if (rc == MV_OK)
		rc = get_str(ctx, "board", board, sizeof board);
	if (rc == MV_OK)
		rc = get_str(ctx, "jurisdiction", jur, sizeof jur);
	if (rc == MV_OK)
		rc = join_specialties(ctx, spec, sizeof spec);
	if (rc != MV_OK)
		return rc;
	body_int(ctx->body, "expires", &expires, &e);
	body_id(ctx->body, "proof_blob", proof, &e);
	if (!no[0] || !board[0])
		return ctx_reject(ctx, "license_no and board must not be empty");
	if (!people_jurisdiction_valid(jur))
		return ctx_reject(ctx, "jurisdiction must look like US or US-CA (ISO 3166)");
	if (expires <= ctx->now)
		return ctx_reject(ctx, "license expired");
	if (license_taken(ctx->st, ctx->actor, no, board, jur))
		return ctx_reject(ctx, "this license already verifies another account");
	rc = store_proof_keys(ctx);
	if (rc != MV_OK)
		return rc;
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, no, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, board, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, jur, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, expires);
	sqlite3_bind_text(s, 7, spec, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 8, proof, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, ctx->now);
	rc = step_done(ctx, s, "verify_apps");
	/* earlier votes were about an earlier submission */
	if (rc == MV_OK)
		rc = council_close(ctx, "verify.decide", ctx->actor);
	if (rc == MV_OK)
		rc = history(ctx, ctx->actor, "submitted", "");
	return rc == MV_OK ? access_audit(ctx, ctx->actor, "license submitted for verification") : rc;
}

/* ---- verify.decide --------------------------------------------------------- */

static int decide_apply(struct apply_ctx *ctx, const uint8_t who[32], const struct app *a,
			bool approve, const char *reason)
{
	static const char upd[] = "UPDATE verify_apps SET state = ?2, decided = ?3, reason = ?4 "
				  "WHERE therapist = ?1";
	static const char put[] =
		"INSERT INTO verify_status(therapist, license_no, board, jurisdiction, expires, specialties,"
		" first_verified, verified, status, status_reason, status_time) "
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 'active', '', ?7) ON CONFLICT(therapist) DO UPDATE "
		"SET license_no = excluded.license_no, board = excluded.board, "
		"jurisdiction = excluded.jurisdiction, expires = excluded.expires, "
		"specialties = excluded.specialties, verified = excluded.verified";
	sqlite3_stmt *s = store_prep(ctx->st, upd, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, who, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, approve ? "approved" : "rejected", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ctx->now);
	sqlite3_bind_text(s, 4, reason, -1, SQLITE_STATIC);
	if (step_done(ctx, s, "verify_apps") != MV_OK)
		return MV_ERR;
	if (approve) {
		s = store_prep(ctx->st, put, &ctx->err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_blob(s, 1, who, 32, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, a->license_no, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, a->board, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, a->jurisdiction, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, a->expires);
		sqlite3_bind_text(s, 6, a->specialties, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 7, ctx->now);
		if (step_done(ctx, s, "verify_status") != MV_OK)
			return MV_ERR;
	}
	char what[300];
	snprintf(what, sizeof what, "license %s by the council%s%s", approve ? "verified" : "rejected",
		 reason[0] ? ": " : "", reason);
	int rc = history(ctx, who, approve ? "approved" : "rejected", reason);
	return rc == MV_OK ? access_audit(ctx, who, what) : rc;
}

static int verify_decide(struct apply_ctx *ctx)
{
	uint8_t who[32], topic[32], extra[33];
	char decision[12], reason[201], summary[512], hx[13];
	struct app a;
	struct mv_err e;
	bool reached;
	body_id(ctx->body, "applicant", who, &e);
	int rc = get_str(ctx, "decision", decision, sizeof decision);
	if (rc == MV_OK)
		rc = get_str(ctx, "reason", reason, sizeof reason);
	if (rc == MV_OK)
		rc = access_check(ctx, ctx->actor, ACCESS_VERIFY_DECIDE, who);
	if (rc != MV_OK)
		return rc;
	bool approve = strcmp(decision, "approve") == 0;
	if (!app_get(ctx->st, who, &a) || strcmp(a.state, "pending") != 0)
		return ctx_reject(ctx, "no pending application from that account");
	if (approve && a.expires <= ctx->now)
		return ctx_reject(ctx, "license expired");
	if (approve) {
		char status[16];
		int64_t exp;
		status_get(ctx->st, who, status, sizeof status, &exp, NULL);
		if (strcmp(status, "revoked") == 0)
			return ctx_reject(ctx, "verification was revoked: reinstate with verify.status first");
	}
	memcpy(extra, a.op, 32);
	extra[32] = approve;
	council_topic(topic, ctx->op->kind, who, extra, sizeof extra);
	short_hex(hx, who);
	snprintf(summary, sizeof summary, "%s license %s (%s, %s) of %s%s%s", decision, a.license_no,
		 a.board, a.jurisdiction, hx, reason[0] ? ": " : "", reason);
	rc = council_sign(ctx, ctx->op->kind, who, topic, summary, &reached);
	if (rc != MV_OK || !reached)
		return rc;
	rc = council_close(ctx, ctx->op->kind, who);
	return rc == MV_OK ? decide_apply(ctx, who, &a, approve, reason) : rc;
}

/* ---- verify.status ---------------------------------------------------------- */

static int verify_status_op(struct apply_ctx *ctx)
{
	static const char upd[] = "UPDATE verify_status SET status = ?2, status_reason = ?3, "
				  "status_time = ?4 WHERE therapist = ?1";
	uint8_t who[32], topic[32];
	char status[12], cur[16], reason[201], summary[300], hx[13];
	int64_t expires;
	struct mv_err e;
	bool reached;
	body_id(ctx->body, "therapist", who, &e);
	int rc = get_str(ctx, "status", status, sizeof status);
	if (rc == MV_OK)
		rc = get_str(ctx, "reason", reason, sizeof reason);
	if (rc == MV_OK)
		rc = access_check(ctx, ctx->actor, ACCESS_VERIFY_DECIDE, who);
	if (rc != MV_OK)
		return rc;
	status_get(ctx->st, who, cur, sizeof cur, &expires, NULL);
	if (!cur[0])
		return ctx_reject(ctx, "that therapist was never verified");
	if (strcmp(cur, status) == 0)
		return ctx_reject(ctx, "status is already %s", status);
	council_topic(topic, ctx->op->kind, who, status, strlen(status) + 1);
	short_hex(hx, who);
	snprintf(summary, sizeof summary, "set %s to %s%s%s", hx, status, reason[0] ? ": " : "", reason);
	rc = council_sign(ctx, ctx->op->kind, who, topic, summary, &reached);
	if (rc != MV_OK || !reached)
		return rc;
	rc = council_close(ctx, ctx->op->kind, who);
	sqlite3_stmt *s = rc == MV_OK ? store_prep(ctx->st, upd, &ctx->err) : NULL;
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, who, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, ctx->now);
	if (step_done(ctx, s, "verify_status") != MV_OK)
		return MV_ERR;
	snprintf(summary, sizeof summary, "verification status set to %s by the council%s%s", status,
		 reason[0] ? ": " : "", reason);
	rc = history(ctx, who, status, reason);
	return rc == MV_OK ? access_audit(ctx, who, summary) : rc;
}

/* ---- verify.ce --------------------------------------------------------------- */

static int verify_ce(struct apply_ctx *ctx)
{
	static const char sql[] = "INSERT INTO verify_ce(therapist, op, hours, course, proof_blob, time) "
				  "VALUES(?, ?, ?, ?, ?, ?)";
	char course[121];
	int64_t hours;
	uint8_t proof[32];
	struct mv_err e;
	if (access_check(ctx, ctx->actor, ACCESS_LOG_CE, NULL) != MV_OK)
		return MV_EREJECT;
	body_int(ctx->body, "hours", &hours, &e);
	if (get_str(ctx, "course", course, sizeof course) != MV_OK)
		return MV_EREJECT;
	if (!course[0])
		return ctx_reject(ctx, "course must not be empty");
	bool has_proof = body_id(ctx->body, "proof_blob", proof, &e) == MV_OK;
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, hours);
	sqlite3_bind_text(s, 4, course, -1, SQLITE_STATIC);
	if (has_proof)
		sqlite3_bind_blob(s, 5, proof, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, ctx->now);
	return step_done(ctx, s, "verify_ce");
}

/* ---- the handler table --------------------------------------------------------- */

#define END_FIELDS {NULL, 0, false, 0, 0, 0, NULL, NULL}

static const struct field_spec submit_fields[] = {
	{"license_no", F_STR, false, 0, 0, 64, NULL, "license number"},
	{"board", F_STR, false, 0, 0, 128, NULL, "licensing board"},
	{"jurisdiction", F_STR, false, 0, 0, 6, NULL, "where the license is valid: US-CA, DE, ..."},
	{"expires", F_TIME, false, 0, 0, 0, NULL, "license expiry (UTC)"},
	{"specialties", F_LIST_STR, true, 0, 0, VERIFY_MAX_SPECIALTIES, NULL, "e.g. anxiety,trauma"},
	{"proof_blob", F_ID, false, 0, 0, 0, NULL, "hash of the encrypted proof (scan of the license)"},
	{"sealed_keys", F_LIST_BYTES, false, 0, 0, 64, NULL,
	 "the proof's key sealed to each council member, in council order"},
	END_FIELDS,
};

static const struct field_spec decide_fields[] = {
	{"applicant", F_ACCOUNT, false, 0, 0, 0, NULL, "the therapist who applied"},
	{"decision", F_ENUM, false, 0, 0, 0, "approve|reject", "the council's decision"},
	{"reason", F_STR, true, 0, 0, 200, NULL, "shown to the applicant and in the audit log"},
	END_FIELDS,
};

static const struct field_spec status_fields[] = {
	{"therapist", F_ACCOUNT, false, 0, 0, 0, NULL, "a verified therapist"},
	{"status", F_ENUM, false, 0, 0, 0, "active|suspended|revoked", "new status"},
	{"reason", F_STR, true, 0, 0, 200, NULL, "public reason"},
	END_FIELDS,
};

static const struct field_spec ce_fields[] = {
	{"hours", F_INT, false, 1, 200, 0, NULL, "hours of continuing education"},
	{"course", F_STR, false, 0, 0, 120, NULL, "course title"},
	{"proof_blob", F_ID, true, 0, 0, 0, NULL, "hash of an encrypted certificate"},
	END_FIELDS,
};

static const struct op_handler verify_handlers[] = {
	{"verify.submit", "submit a license for verification (proof sealed to the council)",
	 "a registered therapist", submit_fields, verify_submit},
	{"verify.decide", "approve or reject a pending application (council threshold)",
	 "council members, not about themselves", decide_fields, verify_decide},
	{"verify.status", "set a verified therapist active, suspended or revoked (council threshold)",
	 "council members, not about themselves", status_fields, verify_status_op},
	{"verify.ce", "log continuing education hours", "a registered therapist", ce_fields, verify_ce},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract verify_contract = {
	.name = "verify",
	.summary = "therapist licenses, council decisions, status, continuing education",
	.migrations = verify_migrations,
	.handlers = verify_handlers,
};
