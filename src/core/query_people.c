/* query_people.c - read-only views of the people contracts for the CLI and
 * the TUI (see query_people.h). Nothing here writes; every multi-row read
 * has an ORDER BY so lists are stable across nodes and runs. Statements
 * that call back are stepped to completion into rows first only where the
 * callback could itself query (nested reads of the same cached statement
 * would reset it); elsewhere rows go straight to the callback. */
#include "query_people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS INT64_C(86400000)

static void col_text(sqlite3_stmt *s, int i, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(out, n, "%s", t ? (const char *)t : "");
}

static void col_id(sqlite3_stmt *s, int i, uint8_t out[32])
{
	if (sqlite3_column_type(s, i) == SQLITE_BLOB && sqlite3_column_bytes(s, i) == 32)
		memcpy(out, sqlite3_column_blob(s, i), 32);
	else
		memset(out, 0, 32);
}

static int finish(struct store *st, sqlite3_stmt *s, int rc, int count, struct mv_err *err,
		  const char *what)
{
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(st, err, what);
	return count;
}

/* Accounts collected from a query binding optional id, so that callbacks
 * may run other queries (query_user uses cached statements). */
struct idlist {
	uint8_t (*v)[32];
	size_t n, cap;
};

static int idlist_push(struct idlist *l, const uint8_t id[32])
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		void *p = realloc(l->v, cap * 32);
		if (!p)
			return MV_ERR;
		l->v = p;
		l->cap = cap;
	}
	memcpy(l->v[l->n++], id, 32);
	return MV_OK;
}

static int collect_ids(struct store *st, const char *sql, const uint8_t *bind, const char *bind_text,
		       struct idlist *l, struct mv_err *err)
{
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	int i = 1;
	if (bind_text)
		sqlite3_bind_text(s, i++, bind_text, -1, SQLITE_STATIC);
	if (bind)
		sqlite3_bind_blob(s, i, bind, 32, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		uint8_t id[32];
		col_id(s, 0, id);
		if (idlist_push(l, id) != MV_OK) {
			sqlite3_reset(s);
			return mv_fail(err, MV_ERR, "out of memory");
		}
	}
	return finish(st, s, rc, 0, err, "people query");
}

/* ---- users -------------------------------------------------------------- */

static bool has_blob(struct store *st, const uint8_t account[32], const char *what)
{
	static const char sql[] = "SELECT 1 FROM users_blobs WHERE account = ? AND what = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, what, -1, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}

int query_user(struct store *st, const uint8_t account[32], struct q_user *u, struct mv_err *err)
{
	static const char sql[] = "SELECT key, role, display_name, jurisdiction, bio, languages, scopes,"
				  " appointed, dismissed, created, updated FROM users WHERE account = ?";
	memset(u, 0, sizeof *u);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return store_sqlerr(st, err, "users");
		return mv_fail(err, MV_ENOTFOUND, "not a registered account");
	}
	memcpy(u->account, account, 32);
	col_id(s, 0, u->key);
	col_text(s, 1, u->role_name, sizeof u->role_name);
	col_text(s, 2, u->display_name, sizeof u->display_name);
	col_text(s, 3, u->jurisdiction, sizeof u->jurisdiction);
	col_text(s, 4, u->bio, sizeof u->bio);
	col_text(s, 5, u->languages, sizeof u->languages);
	col_text(s, 6, u->scopes, sizeof u->scopes);
	u->appointed = sqlite3_column_int(s, 7) != 0;
	bool dismissed = sqlite3_column_int(s, 8) != 0;
	u->created = sqlite3_column_int64(s, 9);
	u->updated = sqlite3_column_int64(s, 10);
	sqlite3_reset(s);
	u->role = people_role(st, account);
	if (dismissed)
		snprintf(u->role_name, sizeof u->role_name, "dismissed");
	u->has_profile = has_blob(st, account, "profile");
	u->has_emergency = has_blob(st, account, "emergency");
	people_privacy_get(st, account, &u->privacy);
	return MV_OK;
}

int query_users(struct store *st, const char *role, bool listed_only,
		int (*cb)(void *ud, const struct q_user *u), void *ud, struct mv_err *err)
{
	static const char all[] = "SELECT account FROM users ORDER BY display_name, account";
	static const char by_role[] = "SELECT account FROM users WHERE role = ? "
				      "ORDER BY display_name, account";
	struct idlist l = {0};
	int rc = collect_ids(st, role ? by_role : all, NULL, role, &l, err);
	int count = 0;
	struct q_user *u = malloc(sizeof *u);
	if (rc == MV_OK && !u)
		rc = mv_fail(err, MV_ERR, "out of memory");
	for (size_t i = 0; rc == MV_OK && i < l.n; i++) {
		rc = query_user(st, l.v[i], u, err);
		if (rc != MV_OK)
			break;
		if (listed_only && !u->privacy.listed)
			continue;
		count++;
		if (cb && cb(ud, u))
			break;
	}
	free(u);
	free(l.v);
	return rc == MV_OK ? count : rc;
}

/* ---- therapists ------------------------------------------------------------ */

static void therapist_app(struct store *st, const uint8_t account[32], struct q_therapist *t)
{
	static const char sql[] = "SELECT state, op, proof_blob, license_no, board, jurisdiction, "
				  "specialties, reason FROM verify_apps WHERE therapist = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		char state[16];
		col_text(s, 0, state, sizeof state);
		t->pending = strcmp(state, "pending") == 0;
		snprintf(t->state, sizeof t->state, "%s", state);
		col_id(s, 1, t->app_op);
		col_id(s, 2, t->proof_blob);
		col_text(s, 3, t->license_no, sizeof t->license_no);
		col_text(s, 4, t->board, sizeof t->board);
		col_text(s, 5, t->license_jurisdiction, sizeof t->license_jurisdiction);
		col_text(s, 6, t->specialties, sizeof t->specialties);
		col_text(s, 7, t->reason, sizeof t->reason);
	}
	sqlite3_reset(s);
}

static void therapist_status(struct store *st, const uint8_t account[32], int64_t now,
			     struct q_therapist *t)
{
	static const char sql[] = "SELECT status, status_reason, expires, verified, license_no, board, "
				  "jurisdiction, specialties FROM verify_status WHERE therapist = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		char status[16];
		col_text(s, 0, status, sizeof status);
		t->expires = sqlite3_column_int64(s, 2);
		t->verified_at = sqlite3_column_int64(s, 3);
		/* the approved license shows, unless a newer application is pending */
		if (!t->pending) {
			snprintf(t->state, sizeof t->state, "%s",
				 strcmp(status, "active") == 0 && t->expires <= now ? "expired" : status);
			if (strcmp(status, "active") != 0)
				col_text(s, 1, t->reason, sizeof t->reason);
			col_text(s, 4, t->license_no, sizeof t->license_no);
			col_text(s, 5, t->board, sizeof t->board);
			col_text(s, 6, t->license_jurisdiction, sizeof t->license_jurisdiction);
			col_text(s, 7, t->specialties, sizeof t->specialties);
		}
	}
	sqlite3_reset(s);
}

int query_therapist(struct store *st, const uint8_t account[32], int64_t now,
		    struct q_therapist *t, struct mv_err *err)
{
	memset(t, 0, sizeof *t);
	int rc = query_user(st, account, &t->user, err);
	if (rc != MV_OK)
		return rc;
	if (strcmp(t->user.role_name, "therapist") != 0)
		return mv_fail(err, MV_ENOTFOUND, "not a registered therapist");
	snprintf(t->state, sizeof t->state, "unverified");
	therapist_app(st, account, t);
	therapist_status(st, account, now, t);
	t->verified = people_therapist_verified(st, account, now);
	t->can_publish = people_therapist_can_publish(st, account, now, t->why, sizeof t->why);
	people_ce_status(st, account, now, &t->ce);
	return MV_OK;
}

int query_therapists(struct store *st, int64_t now, bool verified_only,
		     int (*cb)(void *ud, const struct q_therapist *t), void *ud, struct mv_err *err)
{
	static const char sql[] = "SELECT account FROM users WHERE role = 'therapist' AND dismissed = 0 "
				  "ORDER BY display_name, account";
	struct idlist l = {0};
	int rc = collect_ids(st, sql, NULL, NULL, &l, err);
	int count = 0;
	struct q_therapist *t = malloc(sizeof *t);
	if (rc == MV_OK && !t)
		rc = mv_fail(err, MV_ERR, "out of memory");
	for (size_t i = 0; rc == MV_OK && i < l.n; i++) {
		rc = query_therapist(st, l.v[i], now, t, err);
		if (rc != MV_OK)
			break;
		if (verified_only && !t->verified)
			continue;
		count++;
		if (cb && cb(ud, t))
			break;
	}
	free(t);
	free(l.v);
	return rc == MV_OK ? count : rc;
}

int query_ce_log(struct store *st, const uint8_t therapist[32],
		 int (*cb)(void *ud, const struct q_ce *c), void *ud, struct mv_err *err)
{
	static const char sql[] = "SELECT op, hours, time, course, proof_blob FROM verify_ce "
				  "WHERE therapist = ? ORDER BY time DESC, op";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	int rc, count = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_ce c;
		memset(&c, 0, sizeof c);
		col_id(s, 0, c.op);
		c.hours = sqlite3_column_int64(s, 1);
		c.time = sqlite3_column_int64(s, 2);
		col_text(s, 3, c.course, sizeof c.course);
		c.has_proof = sqlite3_column_type(s, 4) == SQLITE_BLOB;
		col_id(s, 4, c.proof_blob);
		count++;
		if (cb && cb(ud, &c))
			break;
	}
	return finish(st, s, rc, count, err, "verify_ce");
}

int query_verify_history(struct store *st, const uint8_t therapist[32],
			 int (*cb)(void *ud, const struct q_verify_event *e), void *ud,
			 struct mv_err *err)
{
	static const char sql[] = "SELECT op, time, event, reason FROM verify_history "
				  "WHERE therapist = ? ORDER BY time, op";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	int rc, count = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_verify_event e;
		col_id(s, 0, e.op);
		e.time = sqlite3_column_int64(s, 1);
		col_text(s, 2, e.event, sizeof e.event);
		col_text(s, 3, e.reason, sizeof e.reason);
		count++;
		if (cb && cb(ud, &e))
			break;
	}
	return finish(st, s, rc, count, err, "verify_history");
}

/* ---- council review queue ----------------------------------------------------- */

/* Council signatures on verify.decide requests about therapist, by decision
 * (the decision is the last body field we cannot see in the topic, so the
 * summary's first word tells: "approve ..." / "reject ..."). */
static void app_signatures(struct store *st, const uint8_t therapist[32], int *approve, int *reject)
{
	static const char sql[] = "SELECT r.summary, count(c.member) FROM council_requests r "
				  "JOIN council_votes v ON v.topic = r.topic "
				  "LEFT JOIN council c ON c.member = v.member "
				  "WHERE r.kind = 'verify.decide' AND r.subject = ? "
				  "GROUP BY r.topic ORDER BY r.topic";
	*approve = *reject = 0;
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *sum = (const char *)sqlite3_column_text(s, 0);
		int n = sqlite3_column_int(s, 1);
		if (sum && strncmp(sum, "approve", 7) == 0)
			*approve += n;
		else
			*reject += n;
	}
	sqlite3_reset(s);
}

int query_applications(struct store *st, int (*cb)(void *ud, const struct q_application *a),
		       void *ud, struct mv_err *err)
{
	static const char sql[] = "SELECT therapist FROM verify_apps WHERE state = 'pending' "
				  "ORDER BY submitted, therapist";
	static const char one[] = "SELECT a.op, a.license_no, a.board, a.jurisdiction, a.specialties, "
				  "a.expires, a.submitted, a.proof_blob, coalesce(u.display_name, '') "
				  "FROM verify_apps a LEFT JOIN users u ON u.account = a.therapist "
				  "WHERE a.therapist = ?";
	struct idlist l = {0};
	int rc = collect_ids(st, sql, NULL, NULL, &l, err), count = 0;
	for (size_t i = 0; rc == MV_OK && i < l.n; i++) {
		struct q_application a;
		memset(&a, 0, sizeof a);
		sqlite3_stmt *s = store_prep(st, one, err);
		if (!s) {
			rc = MV_ERR;
			break;
		}
		sqlite3_bind_blob(s, 1, l.v[i], 32, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_ROW) {
			sqlite3_reset(s);
			continue;
		}
		memcpy(a.therapist, l.v[i], 32);
		col_id(s, 0, a.op);
		col_text(s, 1, a.license_no, sizeof a.license_no);
		col_text(s, 2, a.board, sizeof a.board);
		col_text(s, 3, a.jurisdiction, sizeof a.jurisdiction);
		col_text(s, 4, a.specialties, sizeof a.specialties);
		a.expires = sqlite3_column_int64(s, 5);
		a.submitted = sqlite3_column_int64(s, 6);
		col_id(s, 7, a.proof_blob);
		col_text(s, 8, a.display_name, sizeof a.display_name);
		sqlite3_reset(s);
		app_signatures(st, a.therapist, &a.signatures_approve, &a.signatures_reject);
		count++;
		if (cb && cb(ud, &a))
			break;
	}
	free(l.v);
	return rc == MV_OK ? count : rc;
}

int query_council_queue(struct store *st, const uint8_t *me,
			int (*cb)(void *ud, const struct q_request *r), void *ud, struct mv_err *err)
{
	static const char sql[] =
		"SELECT r.topic, r.kind, r.subject, r.summary, r.body, r.created, "
		"(SELECT count(*) FROM council_votes v JOIN council c ON c.member = v.member "
		" WHERE v.topic = r.topic), "
		"(SELECT count(*) FROM council_votes v WHERE v.topic = r.topic AND v.member = ?1) "
		"FROM council_requests r ORDER BY r.created, r.topic";
	static const uint8_t none[32];
	int64_t threshold = param_get(st, "council_threshold", 1);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, me ? me : none, 32, SQLITE_STATIC);
	int rc, count = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_request r;
		col_id(s, 0, r.topic);
		col_text(s, 1, r.kind, sizeof r.kind);
		col_id(s, 2, r.subject);
		col_text(s, 3, r.summary, sizeof r.summary);
		r.body = sqlite3_column_blob(s, 4);
		r.body_len = (size_t)sqlite3_column_bytes(s, 4);
		r.created = sqlite3_column_int64(s, 5);
		r.signatures = sqlite3_column_int64(s, 6);
		r.threshold = threshold;
		r.signed_by_me = me && sqlite3_column_int64(s, 7) > 0;
		count++;
		if (cb && cb(ud, &r))
			break;
	}
	return finish(st, s, rc, count, err, "council_requests");
}

/* ---- recovery -------------------------------------------------------------------- */

static int id_rows(struct store *st, const char *sql, const uint8_t id[32],
		   int (*cb)(void *ud, const uint8_t x[32]), void *ud, struct mv_err *err)
{
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int rc, count = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		uint8_t x[32];
		col_id(s, 0, x);
		count++;
		if (cb && cb(ud, x))
			break;
	}
	return finish(st, s, rc, count, err, "people query");
}

int query_guardians(struct store *st, const uint8_t account[32],
		    int (*cb)(void *ud, const uint8_t guardian[32]), void *ud, struct mv_err *err)
{
	static const char sql[] = "SELECT guardian FROM users_guardians WHERE account = ? ORDER BY guardian";
	return id_rows(st, sql, account, cb, ud, err);
}

int query_guarded_by(struct store *st, const uint8_t guardian[32],
		     int (*cb)(void *ud, const uint8_t account[32]), void *ud, struct mv_err *err)
{
	static const char sql[] = "SELECT account FROM users_guardians WHERE guardian = ? ORDER BY account";
	return id_rows(st, sql, guardian, cb, ud, err);
}

int64_t query_recovery_threshold(struct store *st, const uint8_t account[32])
{
	static const char sql[] = "SELECT threshold FROM users_recovery WHERE account = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return 0;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	int64_t t = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return t;
}

int query_recoveries_pending(struct store *st, const uint8_t *account,
			     int (*cb)(void *ud, const struct q_recovery *r), void *ud,
			     struct mv_err *err)
{
	static const char all[] =
		"SELECT v.account, v.new_key, count(g.guardian), coalesce(r.threshold, 0), min(v.time), "
		"max(v.time) FROM users_recovery_votes v LEFT JOIN users_guardians g "
		"ON g.account = v.account AND g.guardian = v.guardian "
		"LEFT JOIN users_recovery r ON r.account = v.account "
		"GROUP BY v.account, v.new_key ORDER BY v.account, v.new_key";
	static const char one[] =
		"SELECT v.account, v.new_key, count(g.guardian), coalesce(r.threshold, 0), min(v.time), "
		"max(v.time) FROM users_recovery_votes v LEFT JOIN users_guardians g "
		"ON g.account = v.account AND g.guardian = v.guardian "
		"LEFT JOIN users_recovery r ON r.account = v.account WHERE v.account = ? "
		"GROUP BY v.account, v.new_key ORDER BY v.account, v.new_key";
	sqlite3_stmt *s = store_prep(st, account ? one : all, err);
	if (!s)
		return MV_ERR;
	if (account)
		sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	int rc, count = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_recovery r;
		col_id(s, 0, r.account);
		col_id(s, 1, r.new_key);
		r.approvals = sqlite3_column_int64(s, 2);
		r.threshold = sqlite3_column_int64(s, 3);
		r.first = sqlite3_column_int64(s, 4);
		r.last = sqlite3_column_int64(s, 5);
		count++;
		if (cb && cb(ud, &r))
			break;
	}
	return finish(st, s, rc, count, err, "users_recovery_votes");
}

/* ---- care, shares, audit, emergencies ------------------------------------------- */

int query_care(struct store *st, const uint8_t account[32],
	       int (*cb)(void *ud, const struct q_care *c), void *ud, struct mv_err *err)
{
	static const char sql[] = "SELECT therapist, patient, since FROM access_care "
				  "WHERE therapist = ?1 OR patient = ?1 ORDER BY since, therapist, patient";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	int rc, count = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_care c;
		col_id(s, 0, c.therapist);
		col_id(s, 1, c.patient);
		c.since = sqlite3_column_int64(s, 2);
		count++;
		if (cb && cb(ud, &c))
			break;
	}
	return finish(st, s, rc, count, err, "access_care");
}

int query_shares(struct store *st, const uint8_t account[32], bool to_me,
		 int (*cb)(void *ud, const struct q_share *sh), void *ud, struct mv_err *err)
{
	static const char mine[] = "SELECT s.account, s.what, s.reader, b.blob, s.time FROM users_shares s "
				   "JOIN users_blobs b ON b.account = s.account AND b.what = s.what "
				   "WHERE s.account = ?1 AND s.reader != ?1 ORDER BY s.what, s.reader";
	static const char theirs[] = "SELECT s.account, s.what, s.reader, b.blob, s.time FROM users_shares s "
				     "JOIN users_blobs b ON b.account = s.account AND b.what = s.what "
				     "WHERE s.reader = ?1 AND s.account != ?1 ORDER BY s.account, s.what";
	sqlite3_stmt *s = store_prep(st, to_me ? theirs : mine, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	int rc, count = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_share sh;
		col_id(s, 0, sh.account);
		col_text(s, 1, sh.what, sizeof sh.what);
		col_id(s, 2, sh.reader);
		col_id(s, 3, sh.blob);
		sh.time = sqlite3_column_int64(s, 4);
		count++;
		if (cb && cb(ud, &sh))
			break;
	}
	return finish(st, s, rc, count, err, "users_shares");
}

int query_audit(struct store *st, const uint8_t *subject, size_t limit, size_t offset,
		int (*cb)(void *ud, const struct q_audit *a), void *ud, struct mv_err *err)
{
	static const char all[] = "SELECT op, idx, subject, who, kind, what, time FROM access_audit "
				  "ORDER BY time DESC, op DESC, idx DESC LIMIT ?2 OFFSET ?3";
	static const char one[] = "SELECT op, idx, subject, who, kind, what, time FROM access_audit "
				  "WHERE subject = ?1 ORDER BY time DESC, op DESC, idx DESC LIMIT ?2 OFFSET ?3";
	sqlite3_stmt *s = store_prep(st, subject ? one : all, err);
	if (!s)
		return MV_ERR;
	if (subject)
		sqlite3_bind_blob(s, 1, subject, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, limit ? (int64_t)limit : -1);
	sqlite3_bind_int64(s, 3, (int64_t)offset);
	int rc, count = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_audit a;
		col_id(s, 0, a.op);
		a.idx = sqlite3_column_int64(s, 1);
		col_id(s, 2, a.subject);
		col_id(s, 3, a.who);
		col_text(s, 4, a.kind, sizeof a.kind);
		col_text(s, 5, a.what, sizeof a.what);
		a.time = sqlite3_column_int64(s, 6);
		count++;
		if (cb && cb(ud, &a))
			break;
	}
	return finish(st, s, rc, count, err, "access_audit");
}

int query_emergencies(struct store *st, const uint8_t *patient,
		      int (*cb)(void *ud, const struct q_emergency *e), void *ud, struct mv_err *err)
{
	static const char all[] = "SELECT op, therapist, patient, reason, time FROM access_emergency "
				  "ORDER BY time DESC, op";
	static const char one[] = "SELECT op, therapist, patient, reason, time FROM access_emergency "
				  "WHERE patient = ? ORDER BY time DESC, op";
	sqlite3_stmt *s = store_prep(st, patient ? one : all, err);
	if (!s)
		return MV_ERR;
	if (patient)
		sqlite3_bind_blob(s, 1, patient, 32, SQLITE_STATIC);
	int rc, count = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_emergency e;
		col_id(s, 0, e.op);
		col_id(s, 1, e.therapist);
		col_id(s, 2, e.patient);
		col_text(s, 3, e.reason, sizeof e.reason);
		e.time = sqlite3_column_int64(s, 4);
		count++;
		if (cb && cb(ud, &e))
			break;
	}
	return finish(st, s, rc, count, err, "access_emergency");
}

/* ---- anomaly flags ------------------------------------------------------------------ */

struct anomaly_run {
	int (*cb)(void *ud, const struct q_anomaly *a);
	void *ud;
	int count;
	bool stop;
};

static int anomaly_rows(struct store *st, const char *sql, const char *kind, int64_t b1, int64_t b2,
			int nbind, struct anomaly_run *run, struct mv_err *err)
{
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	if (nbind > 0)
		sqlite3_bind_int64(s, 1, b1);
	if (nbind > 1)
		sqlite3_bind_int64(s, 2, b2);
	int rc;
	while (!run->stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_anomaly a;
		memset(&a, 0, sizeof a);
		snprintf(a.kind, sizeof a.kind, "%s", kind);
		col_id(s, 0, a.account);
		a.count = sqlite3_column_int64(s, 1);
		a.time = sqlite3_column_int64(s, 2);
		if (strcmp(kind, "equivocation") == 0)
			snprintf(a.detail, sizeof a.detail, "two different ops with seq %lld",
				 (long long)a.count);
		else if (strcmp(kind, "rejected_burst") == 0)
			snprintf(a.detail, sizeof a.detail, "%lld ops rejected in the last 24 hours",
				 (long long)a.count);
		else
			snprintf(a.detail, sizeof a.detail, "%lld license applications rejected",
				 (long long)a.count);
		if (strcmp(kind, "equivocation") == 0)
			a.count = 1;
		run->count++;
		if (run->cb && run->cb(run->ud, &a))
			run->stop = true;
	}
	if (run->stop) {
		sqlite3_reset(s);
		return MV_OK;
	}
	return finish(st, s, rc, 0, err, "anomalies") < 0 ? MV_ERR : MV_OK;
}

int query_anomalies(struct store *st, int64_t now,
		    int (*cb)(void *ud, const struct q_anomaly *a), void *ud, struct mv_err *err)
{
	static const char equiv[] = "SELECT author, seq, 0 FROM log_equivocation ORDER BY author";
	static const char burst[] = "SELECT l.author, count(*), max(l.clock) >> 16 FROM log_ops l "
				    "JOIN op_outcome o ON o.id = l.id WHERE o.ok = 0 AND l.clock >= ?1 "
				    "GROUP BY l.author HAVING count(*) >= ?2 ORDER BY l.author";
	static const char failed[] = "SELECT therapist, count(*), max(time) FROM verify_history "
				     "WHERE event = 'rejected' GROUP BY therapist "
				     "HAVING count(*) >= ?1 ORDER BY therapist";
	struct anomaly_run run = {cb, ud, 0, false};
	int64_t since = now - DAY_MS;
	if (since < 0)
		since = 0;
	int rc = anomaly_rows(st, equiv, "equivocation", 0, 0, 0, &run, err);
	if (rc == MV_OK)
		rc = anomaly_rows(st, burst, "rejected_burst", (int64_t)((uint64_t)since << 16),
				  param_get(st, "anomaly_rejected_per_day", 20), 2, &run, err);
	if (rc == MV_OK)
		rc = anomaly_rows(st, failed, "failed_verification",
				  param_get(st, "anomaly_failed_verifications", 2), 0, 1, &run, err);
	return rc == MV_OK ? run.count : rc;
}
