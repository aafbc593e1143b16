/* query_care.c - read-only views of care state (see query_care.h). Nothing
 * here writes. Each query prepares its own statement and finalizes it, so
 * callbacks may run other queries, and every multi-row read has an ORDER BY
 * ending in a unique key, so rows come in the same order on every node. */
#include "query_care.h"
#include "people.h"
#include "engine.h"
#include "body.h"
#include "op.h"

#include <stdio.h>
#include <string.h>

/* A private statement (not the store's cache). */
static sqlite3_stmt *qc_prep(struct store *st, const char *sql, struct mv_err *err)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
		store_sqlerr(st, err, "query");
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

/* Finish a row loop: MV_OK when it ended normally or by the callback. */
static int qc_done(struct store *st, sqlite3_stmt *s, int rc, struct mv_err *err)
{
	int out = rc == SQLITE_DONE || rc == SQLITE_ROW ? MV_OK : store_sqlerr(st, err, "query");
	sqlite3_finalize(s);
	return out;
}

static void qc_id(sqlite3_stmt *s, int col, uint8_t out[32])
{
	memset(out, 0, 32);
	if (sqlite3_column_bytes(s, col) == 32)
		memcpy(out, sqlite3_column_blob(s, col), 32);
}

static const char *qc_text(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	return t ? (const char *)t : "";
}

/* ---- search ------------------------------------------------------------- */

int query_care_search(struct store *st, const struct qc_search *q,
		      int (*cb)(void *ud, const struct qc_therapist *r), void *ud,
		      struct mv_err *err)
{
	static const char head[] =
		"SELECT m.therapist, m.p, m.n, coalesce(r.t * 100 / r.n, 0) AS avg,"
		" coalesce(r.n, 0) AS cnt FROM"
		" (SELECT s.therapist, min(s.price) AS p, count(*) AS n FROM services s"
		"  WHERE s.retired = 0"
		"  AND (?1 IS NULL OR EXISTS (SELECT 1 FROM services_specs x"
		"       WHERE x.service = s.id AND x.specialty = ?1))"
		"  AND (?2 IS NULL OR EXISTS (SELECT 1 FROM services_langs x"
		"       WHERE x.service = s.id AND x.lang = ?2))"
		"  AND (?3 IS NULL OR s.format = ?3)"
		"  AND (?4 < 0 OR s.price <= ?4)"
		"  AND (?5 = 0 OR s.insurance = 1)"
		"  GROUP BY s.therapist) m"
		" LEFT JOIN (SELECT therapist, count(*) AS n, sum(stars) AS t FROM sessions_ratings"
		"  GROUP BY therapist) r ON r.therapist = m.therapist";
	static const char by_price[] = " ORDER BY m.p, m.therapist";
	static const char by_rating[] = " ORDER BY avg DESC, cnt DESC, m.therapist";
	char sql[sizeof head + sizeof by_rating];
	snprintf(sql, sizeof sql, "%s%s", head, q->sort == QC_SORT_RATING ? by_rating : by_price);
	sqlite3_stmt *s = qc_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	const char *texts[] = {q->specialty, q->language, q->format};
	for (int i = 0; i < 3; i++)
		if (texts[i] && texts[i][0])
			sqlite3_bind_text(s, i + 1, texts[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, q->max_price);
	sqlite3_bind_int(s, 5, q->insurance);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qc_therapist r;
		memset(&r, 0, sizeof r);
		qc_id(s, 0, r.therapist);
		r.min_price = sqlite3_column_int64(s, 1);
		r.services = sqlite3_column_int64(s, 2);
		r.rating_x100 = sqlite3_column_int64(s, 3);
		r.ratings = sqlite3_column_int64(s, 4);
		r.verified = people_therapist_verified(st, r.therapist, q->now);
		if (q->verified_only && !r.verified)
			continue;
		if (cb(ud, &r))
			break;
	}
	return qc_done(st, s, rc, err);
}

int query_care_rating(struct store *st, const uint8_t therapist[32], int64_t *avg_x100,
		      int64_t *count, struct mv_err *err)
{
	sqlite3_stmt *s = qc_prep(st, "SELECT coalesce(sum(stars) * 100 / count(*), 0), count(*)"
				      " FROM sessions_ratings WHERE therapist = ?", err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	*avg_x100 = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	*count = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
	return qc_done(st, s, rc, err);
}

/* ---- services ----------------------------------------------------------- */

/* Comma-joined tags of a service from services_langs / services_specs. */
static int qc_tags(struct store *st, const uint8_t id[32], bool langs, char *out, size_t n,
		   struct mv_err *err)
{
	sqlite3_stmt *s = qc_prep(st, langs ? "SELECT lang FROM services_langs WHERE service = ?"
					      " ORDER BY lang"
					    : "SELECT specialty FROM services_specs WHERE service = ?"
					      " ORDER BY specialty", err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	size_t used = 0;
	int rc;
	out[0] = '\0';
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && used < n) {
		int w = snprintf(out + used, n - used, "%s%s", used ? "," : "", qc_text(s, 0));
		used += w > 0 ? (size_t)w : 0;
	}
	return qc_done(st, s, rc, err);
}

int query_care_service(struct store *st, const uint8_t id[32], struct qc_service *out,
		       struct mv_err *err)
{
	memset(out, 0, sizeof *out);
	int rc = care_service_get(st, id, &out->sv, err);
	if (rc == MV_OK)
		rc = qc_tags(st, id, true, out->languages, sizeof out->languages, err);
	if (rc == MV_OK)
		rc = qc_tags(st, id, false, out->specialties, sizeof out->specialties, err);
	return rc;
}

int query_care_services(struct store *st, const uint8_t therapist[32], bool with_retired,
			int (*cb)(void *ud, const struct qc_service *r), void *ud,
			struct mv_err *err)
{
	sqlite3_stmt *s = qc_prep(st, "SELECT id FROM services WHERE therapist = ?"
				      " AND (? OR retired = 0) ORDER BY created, id", err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, with_retired);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qc_service r;
		uint8_t id[32];
		qc_id(s, 0, id);
		if (query_care_service(st, id, &r, err) != MV_OK) {
			sqlite3_finalize(s);
			return MV_ERR;
		}
		if (cb(ud, &r))
			break;
	}
	return qc_done(st, s, rc, err);
}

/* ---- availability ------------------------------------------------------- */

int query_care_availability(struct store *st, const uint8_t therapist[32], int64_t from,
			    int64_t to, int (*cb)(void *ud, int64_t start, int64_t end), void *ud,
			    struct mv_err *err)
{
	struct care_ivls l;
	if (care_avail(st, therapist, from, to, &l, err) != MV_OK)
		return MV_ERR;
	for (size_t i = 0; i < l.n; i++)
		if (cb(ud, l.v[i].a, l.v[i].b))
			break;
	care_ivls_free(&l);
	return MV_OK;
}

int query_care_exceptions(struct store *st, const uint8_t therapist[32], int64_t from,
			  int (*cb)(void *ud, const struct qc_exception *r), void *ud,
			  struct mv_err *err)
{
	sqlite3_stmt *s = qc_prep(st, "SELECT seq, action, start, end FROM services_exceptions"
				      " WHERE therapist = ? AND end > ? ORDER BY seq", err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, from);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qc_exception r = {sqlite3_column_int64(s, 0), qc_text(s, 1),
					 sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3)};
		if (cb(ud, &r))
			break;
	}
	return qc_done(st, s, rc, err);
}

/* Remove from free every busy stretch of account in [from, to). */
static int qc_minus_busy(struct store *st, const uint8_t account[32], int64_t from, int64_t to,
			 struct care_ivls *free_, struct mv_err *err)
{
	struct care_ivls busy;
	if (care_busy(st, account, from, to, &busy, err) != MV_OK)
		return MV_ERR;
	int rc = MV_OK;
	for (size_t i = 0; rc == MV_OK && i < busy.n; i++)
		rc = care_ivls_sub(free_, busy.v[i].a, busy.v[i].b);
	care_ivls_free(&busy);
	return rc == MV_OK ? MV_OK : mv_fail(err, MV_ERR, "out of memory");
}

int query_care_free_slots(struct store *st, const uint8_t service[32], int64_t from, int64_t to,
			  int64_t now, const uint8_t *patient, size_t max,
			  int (*cb)(void *ud, int64_t start, int64_t end), void *ud,
			  struct mv_err *err)
{
	struct care_service sv;
	struct care_ivls l;
	int64_t dur, earliest;
	int rc = care_service_get(st, service, &sv, err);
	if (rc == MV_ENOTFOUND)
		return mv_fail(err, MV_ENOTFOUND, "no such service");
	if (rc != MV_OK)
		return rc;
	if (sv.retired)
		return mv_fail(err, MV_EINVAL, "service retired");
	if (!mv_mul_i64(sv.duration_min, 60000, &dur) || dur <= 0 ||
	    !mv_add_i64(now, care_param(st, "booking_min_notice"), &earliest))
		return mv_fail(err, MV_EINVAL, "service duration out of range");
	if (!max)
		max = 2000;
	if (care_avail(st, sv.therapist, from, to, &l, err) != MV_OK)
		return MV_ERR;
	rc = qc_minus_busy(st, sv.therapist, from, to, &l, err);
	if (rc == MV_OK && patient)
		rc = qc_minus_busy(st, patient, from, to, &l, err);
	size_t n = 0;
	for (size_t i = 0; rc == MV_OK && i < l.n && n < max; i++) {
		for (int64_t a = l.v[i].a; a <= l.v[i].b - dur && n < max; a += dur) {
			if (a < earliest)
				continue;
			n++;
			if (cb(ud, a, a + dur)) {
				n = max;
				break;
			}
		}
	}
	care_ivls_free(&l);
	return rc;
}

/* ---- sessions ----------------------------------------------------------- */

static bool qc_tentative(struct store *st, const uint8_t id[32])
{
	sqlite3_stmt *s = qc_prep(st, "SELECT epoch FROM log_ops WHERE id = ?", NULL);
	if (!s)
		return true;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	bool t = sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int64(s, 0) == ENGINE_TENTATIVE;
	sqlite3_finalize(s);
	return t;
}

/* Fill the derived fields of r from its session row. */
static int qc_session_fill(struct store *st, const uint8_t *viewer, int64_t now,
			   struct qc_session *r, struct mv_err *err)
{
	struct care_service sv;
	const struct care_session *c = &r->s;
	r->as_therapist = viewer && memcmp(viewer, c->therapist, 32) == 0;
	r->tentative = qc_tentative(st, c->id);
	if (care_service_get(st, c->service, &sv, err) == MV_OK)
		snprintf(r->title, sizeof r->title, "%s", sv.title);
	sqlite3_stmt *s = qc_prep(st, "SELECT (SELECT stars FROM sessions_ratings WHERE session = ?1),"
				      " EXISTS (SELECT 1 FROM payments_records WHERE session = ?1)", err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, c->id, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		r->stars = sqlite3_column_int64(s, 0);
		r->payment_recorded = sqlite3_column_int(s, 1) != 0;
	}
	sqlite3_finalize(s);
	r->label = care_state_name(c->state);
	if (c->state == CS_COMPLETED || c->state == CS_NO_SHOW) {
		if (!mv_add_i64(c->ended_at, care_param(st, "dispute_window"), &r->dispute_until))
			r->dispute_until = INT64_MAX;
		if (now >= r->dispute_until)
			r->label = "settling";
	} else if (c->state == CS_REQUESTED && now >= c->start) {
		r->label = "expired";
	}
	return MV_OK;
}

int query_care_session(struct store *st, const uint8_t id[32], const uint8_t *viewer,
		       int64_t now, struct qc_session *out, struct mv_err *err)
{
	memset(out, 0, sizeof *out);
	int rc = care_session_get(st, id, &out->s, err);
	return rc == MV_OK ? qc_session_fill(st, viewer, now, out, err) : rc;
}

int query_care_sessions(struct store *st, const uint8_t account[32], enum qc_when when,
			int64_t now, int (*cb)(void *ud, const struct qc_session *r), void *ud,
			struct mv_err *err)
{
	static const char base[] = "SELECT id FROM sessions WHERE (therapist = ?1 OR patient = ?1)"
				   " AND replaced_by IS NULL";
	static const char up[] = " AND state IN ('requested', 'confirmed') AND end > ?2"
				 " ORDER BY start, id";
	static const char past[] = " AND NOT (state IN ('requested', 'confirmed') AND end > ?2)"
				   " ORDER BY start DESC, id DESC";
	static const char all[] = " AND ?2 = ?2 ORDER BY start, id";
	char sql[sizeof base + sizeof past];
	snprintf(sql, sizeof sql, "%s%s", base,
		 when == QC_UPCOMING ? up : when == QC_PAST ? past : all);
	sqlite3_stmt *s = qc_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qc_session r;
		uint8_t id[32];
		qc_id(s, 0, id);
		if (query_care_session(st, id, account, now, &r, err) != MV_OK) {
			sqlite3_finalize(s);
			return MV_ERR;
		}
		if (cb(ud, &r))
			break;
	}
	return qc_done(st, s, rc, err);
}

static int qc_first(void *ud, const struct qc_session *r)
{
	*(struct qc_session *)ud = *r;
	return 1;
}

int query_care_next(struct store *st, const uint8_t account[32], int64_t now,
		    struct qc_session *out, struct mv_err *err)
{
	memset(out, 0, sizeof *out);
	out->label = NULL;
	if (query_care_sessions(st, account, QC_UPCOMING, now, qc_first, out, err) != MV_OK)
		return MV_ERR;
	return out->label ? MV_OK : MV_ENOTFOUND;
}

int query_care_refund_preview(struct store *st, const uint8_t session[32],
			      const uint8_t actor[32], int64_t at, struct qc_refund *out,
			      struct mv_err *err)
{
	struct care_session s;
	memset(out, 0, sizeof *out);
	int rc = care_session_get(st, session, &s, err);
	if (rc != MV_OK)
		return rc;
	out->by_therapist = memcmp(actor, s.therapist, 32) == 0;
	out->full_refund_until = s.start - care_param(st, "cancel_full_refund_before");
	if (!out->by_therapist && memcmp(actor, s.patient, 32) != 0)
		snprintf(out->why, sizeof out->why, "not allowed: only the session's patient or "
			 "therapist may do this");
	else if (s.state == CS_REQUESTED && at >= s.start)
		snprintf(out->why, sizeof out->why, "the request expired unaccepted (full refund "
			 "at the next op on it)");
	else if (s.state != CS_REQUESTED && s.state != CS_CONFIRMED)
		snprintf(out->why, sizeof out->why, "session is %s: only requested or confirmed "
			 "sessions can be cancelled", care_state_name(s.state));
	else if (at >= s.start)
		snprintf(out->why, sizeof out->why, "session already started");
	else
		out->allowed = true;
	out->refund_bp = care_cancel_refund_bp(st, &s, out->by_therapist, at);
	if (strcmp(s.payment, "token") == 0 &&
	    !care_split_compute(s.price, s.fee, out->refund_bp, care_param(st, "fee_platform_bp"),
				&out->split))
		return mv_fail(err, MV_EINVAL, "escrow arithmetic out of range");
	return MV_OK;
}

int query_care_displaced(struct store *st, const uint8_t author[32],
			 int (*cb)(void *ud, const struct qc_displaced *r), void *ud,
			 struct mv_err *err)
{
	sqlite3_stmt *s = qc_prep(st, "SELECT l.raw, l.epoch FROM log_ops l JOIN op_outcome o"
				      " ON o.id = l.id WHERE l.author = ? AND o.ok = 0"
				      " AND o.reason = 'slot taken'"
				      " AND l.kind IN ('session.book', 'session.reschedule')"
				      " ORDER BY l.epoch, l.clock, l.id", err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct op op;
		struct body b;
		struct mv_err e;
		struct qc_displaced r;
		memset(&r, 0, sizeof r);
		if (op_decode(&op, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0),
			      &e) != MV_OK)
			continue;
		memcpy(r.op, op.id, 32);
		r.epoch = sqlite3_column_int64(s, 1);
		if (body_decode(&b, op.body, op.body_len, &e) == MV_OK) {
			body_id(&b, "service", r.service, &e);
			body_id(&b, "session", r.session, &e);
			body_int(&b, "start", &r.start, &e);
			body_free(&b);
		}
		op_free(&op);
		if (cb(ud, &r))
			break;
	}
	return qc_done(st, s, rc, err);
}

/* ---- claims, notes, payments --------------------------------------------- */

int query_care_claims(struct store *st, const uint8_t account[32],
		      int (*cb)(void *ud, const struct qc_claim *r), void *ud, struct mv_err *err)
{
	sqlite3_stmt *s = qc_prep(
		st, "SELECT id, session, submitter, patient, therapist, insurer, policy_blob,"
		    " policy_key, amount, approved_amount, state, denial_reason, pay_method,"
		    " external_ref, created, decided_at, paid_at FROM payments_claims"
		    " WHERE patient = ?1 OR therapist = ?1 OR insurer = ?1"
		    " ORDER BY created DESC, id DESC", err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qc_claim r;
		memset(&r, 0, sizeof r);
		uint8_t *ids[] = {r.id, r.session, r.submitter, r.patient, r.therapist, r.insurer,
				  r.policy_blob};
		for (int i = 0; i < 7; i++)
			qc_id(s, i, ids[i]);
		if (sqlite3_column_bytes(s, 7) == BLOB_SEALED_LEN)
			memcpy(r.policy_key, sqlite3_column_blob(s, 7), BLOB_SEALED_LEN);
		r.amount = sqlite3_column_int64(s, 8);
		r.approved = sqlite3_column_int64(s, 9);
		r.state = qc_text(s, 10);
		r.denial_reason = qc_text(s, 11);
		r.pay_method = qc_text(s, 12);
		r.external_ref = qc_text(s, 13);
		r.created = sqlite3_column_int64(s, 14);
		r.decided_at = sqlite3_column_int64(s, 15);
		r.paid_at = sqlite3_column_int64(s, 16);
		if (cb(ud, &r))
			break;
	}
	return qc_done(st, s, rc, err);
}

int query_care_notes(struct store *st, const uint8_t session[32], const uint8_t reader[32],
		     int (*cb)(void *ud, const struct qc_note *r), void *ud, struct mv_err *err)
{
	sqlite3_stmt *s = qc_prep(st, "SELECT n.id, n.blob, n.shared, n.time, k.key FROM notes n"
				      " LEFT JOIN notes_keys k ON k.note = n.id AND k.reader = ?2"
				      " WHERE n.session = ?1 ORDER BY n.time, n.id", err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, session, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, reader, 32, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qc_note r;
		memset(&r, 0, sizeof r);
		qc_id(s, 0, r.id);
		qc_id(s, 1, r.blob);
		r.shared = sqlite3_column_int(s, 2) != 0;
		r.time = sqlite3_column_int64(s, 3);
		r.has_key = sqlite3_column_bytes(s, 4) == BLOB_SEALED_LEN;
		if (r.has_key)
			memcpy(r.key, sqlite3_column_blob(s, 4), BLOB_SEALED_LEN);
		if (cb(ud, &r))
			break;
	}
	return qc_done(st, s, rc, err);
}

int query_care_payment(struct store *st, const uint8_t session[32], struct qc_payment *out,
		       struct mv_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = qc_prep(st, "SELECT method, external_ref, time FROM payments_records"
				      " WHERE session = ?", err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, session, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(out->method, sizeof out->method, "%s", qc_text(s, 0));
		snprintf(out->external_ref, sizeof out->external_ref, "%s", qc_text(s, 1));
		out->time = sqlite3_column_int64(s, 2);
	}
	int out_rc = rc == SQLITE_ROW ? MV_OK : rc == SQLITE_DONE ? MV_ENOTFOUND
				   : store_sqlerr(st, err, "payments_records");
	sqlite3_finalize(s);
	return out_rc;
}
