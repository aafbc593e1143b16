/* sessions.c - booking and running therapy sessions, with MVT held in escrow.
 *
 * A session is created by session.book (or session.reschedule); its id is
 * that op's id and, when paid in MVT, its price plus the booking fee
 * (ledger_fee of the price) sits in the escrow account
 * op_system_account("escrow:" + hex(id)) until the session ends.
 *
 *   requested --accept--> confirmed --complete--> completed --+
 *       |   (auto_accept: straight to confirmed)  --no_show---> no_show ---+
 *       +--decline--> declined                                 |          |
 *       +--cancel / reschedule / start passes--> cancelled     | dispute  | dispute_window
 *   confirmed --cancel / reschedule--> cancelled               v          v  passes
 *   confirmed --no_show by the patient (therapist absent)--> settled   disputed --resolve--> settled
 *
 * Money leaves escrow exactly once, split by care_split_compute(): on
 * decline/cancel/expiry at once (refund per care_cancel_refund_bp), on
 * completion or a patient no-show when the dispute window has passed
 * (settlement happens in the next successful op on the session, or in
 * session.settle by anyone), and on a resolved dispute per the council's
 * refund_percent. Guarantee: escrow balance = price + fee while the state is
 * requested, confirmed, completed, no_show or disputed, and 0 otherwise.
 *
 * Two bookings of the same slot made on two offline nodes: the engine
 * applies them in (clock, id) order, so on every node the first stands and
 * the second is rejected "slot taken" before any money moves. */
#include "../care.h"
#include "../people.h"
#include "../blob.h"
#include "../economy.h"

#include <stdio.h>
#include <string.h>

static const struct migration sessions_migrations[] = {
	{1, "CREATE TABLE sessions(id BLOB PRIMARY KEY, service BLOB NOT NULL,"
	    "  therapist BLOB NOT NULL, patient BLOB NOT NULL, root BLOB NOT NULL,"
	    "  replaces BLOB, replaced_by BLOB, start INTEGER NOT NULL, end INTEGER NOT NULL,"
	    "  state TEXT NOT NULL, payment TEXT NOT NULL, price INTEGER NOT NULL,"
	    "  fee INTEGER NOT NULL, ended TEXT NOT NULL, cancelled_by TEXT NOT NULL,"
	    "  created INTEGER NOT NULL, confirmed_at INTEGER NOT NULL, ended_at INTEGER NOT NULL,"
	    "  settled_at INTEGER NOT NULL, disputed_at INTEGER NOT NULL, updated INTEGER NOT NULL,"
	    "  checkin_therapist INTEGER NOT NULL, checkin_patient INTEGER NOT NULL,"
	    "  refund_bp INTEGER NOT NULL, paid_patient INTEGER NOT NULL,"
	    "  paid_therapist INTEGER NOT NULL, paid_treasury INTEGER NOT NULL,"
	    "  seq INTEGER NOT NULL);"
	    "CREATE INDEX sessions_by_therapist ON sessions(therapist, start);"
	    "CREATE INDEX sessions_by_patient ON sessions(patient, start);"
	    "CREATE INDEX sessions_by_root ON sessions(root);"
	    /* council approvals of a dispute outcome, one row per member */
	    "CREATE TABLE sessions_votes(session BLOB NOT NULL, refund_percent INTEGER NOT NULL,"
	    "  member BLOB NOT NULL, time INTEGER NOT NULL,"
	    "  PRIMARY KEY(session, refund_percent, member));"
	    "CREATE TABLE sessions_disputes(session BLOB PRIMARY KEY, reason_blob BLOB NOT NULL,"
	    "  time INTEGER NOT NULL, refund_percent INTEGER);"
	    "CREATE TABLE sessions_ratings(session BLOB PRIMARY KEY, therapist BLOB NOT NULL,"
	    "  patient BLOB NOT NULL, stars INTEGER NOT NULL CHECK(stars BETWEEN 1 AND 5),"
	    "  comment_blob BLOB, time INTEGER NOT NULL);"
	    "CREATE INDEX sessions_ratings_therapist ON sessions_ratings(therapist);"
	    /* sealed blob keys of dispute reasons and rating comments, per reader */
	    "CREATE TABLE sessions_keys(blob BLOB NOT NULL, reader BLOB NOT NULL,"
	    "  key BLOB NOT NULL, PRIMARY KEY(blob, reader));"},
	{0, NULL},
};

/* ---- helpers ------------------------------------------------------------- */

static bool ses_is(const uint8_t a[32], const uint8_t b[32]) { return memcmp(a, b, 32) == 0; }

/* Load the session named by the body's "session" field. */
static int ses_load(struct apply_ctx *ctx, struct care_session *s)
{
	uint8_t id[32];
	struct mv_err e;
	body_id(ctx->body, "session", id, &e);
	int rc = care_session_get(ctx->st, id, s, &ctx->err);
	if (rc == MV_ENOTFOUND)
		return ctx_reject(ctx, "no such session");
	return rc == MV_OK ? MV_OK : MV_ERR;
}

/* Load the named session and apply due lazy transitions. */
static int ses_open(struct apply_ctx *ctx, struct care_session *s)
{
	return care_session_open(ctx, "session", s);
}

static int ses_need_state(struct apply_ctx *ctx, const struct care_session *s,
			  enum care_state want)
{
	if (s->state == want)
		return MV_OK;
	return ctx_reject(ctx, "session is %s, not %s", care_state_name(s->state),
			  care_state_name(want));
}

static int ses_need_therapist(struct apply_ctx *ctx, const struct care_session *s)
{
	return ses_is(ctx->actor, s->therapist)
		       ? MV_OK
		       : ctx_reject(ctx, "not allowed: only the session's therapist may do this");
}

static int ses_need_party(struct apply_ctx *ctx, const struct care_session *s, bool *therapist)
{
	*therapist = ses_is(ctx->actor, s->therapist);
	if (*therapist || ses_is(ctx->actor, s->patient))
		return MV_OK;
	return ctx_reject(ctx, "not allowed: only the session's patient or therapist may do this");
}

static int ses_confirm(struct apply_ctx *ctx, struct care_session *s)
{
	s->confirmed_at = ctx->now;
	s->state = CS_CONFIRMED;
	return people_care_start(ctx, s->therapist, s->patient);
}

/* ---- booking ------------------------------------------------------------- */

/* Every booking rule after the access check, in the order they are checked.
 * For a reschedule the old session is already cancelled in this op, so it
 * no longer holds its slot. Sets *end. */
static int ses_book_checks(struct apply_ctx *ctx, const struct care_service *sv,
			   const uint8_t patient[32], int64_t start, int64_t *end,
			   const char *payment)
{
	char d[32];
	int64_t notice = care_param(ctx->st, "booking_min_notice"), earliest, dur;
	if (sv->retired)
		return ctx_reject(ctx, "service retired");
	if (ses_is(patient, sv->therapist))
		return ctx_reject(ctx, "cannot book your own service");
	if (!people_therapist_verified(ctx->st, sv->therapist, ctx->now))
		return ctx_reject(ctx, "therapist not verified (or suspended)");
	if (strcmp(payment, "insurance") == 0 && !sv->insurance)
		return ctx_reject(ctx, "service does not accept insurance");
	if (!mv_add_i64(ctx->now, notice, &earliest) || start < earliest) {
		care_fmt_duration(d, sizeof d, notice);
		return ctx_reject(ctx, "too little notice: book at least %s ahead", d);
	}
	if (!mv_mul_i64(sv->duration_min, 60000, &dur) || !mv_add_i64(start, dur, end))
		return ctx_reject(ctx, "start out of range");
	struct care_ivls l;
	if (care_avail(ctx->st, sv->therapist, start, *end, &l, &ctx->err) != MV_OK)
		return MV_ERR;
	bool inside = care_ivls_covers(&l, start, *end);
	care_ivls_free(&l);
	if (!inside)
		return ctx_reject(ctx, "outside the therapist's availability");
	for (int who = 0; who < 2; who++) {
		if (care_busy(ctx->st, who ? patient : sv->therapist, start, *end, &l, &ctx->err) != MV_OK)
			return MV_ERR;
		size_t n = l.n;
		care_ivls_free(&l);
		if (n)
			return who ? ctx_reject(ctx, "the patient already has a session at that time")
				   : ctx_reject(ctx, "slot taken");
	}
	return MV_OK;
}

/* Book sv for patient at start. With old (a reschedule) the new session keeps
 * old's terms (price, fee, payment) and continues its chain (root, seq). */
static int ses_book_core(struct apply_ctx *ctx, const struct care_service *sv,
			 const uint8_t patient[32], int64_t start, const char *payment,
			 const struct care_session *old, bool confirm)
{
	struct care_session s;
	int64_t end, total;
	int rc = ses_book_checks(ctx, sv, patient, start, &end, payment);
	if (rc != MV_OK)
		return rc;
	memset(&s, 0, sizeof s);
	memcpy(s.id, ctx->op->id, 32);
	memcpy(s.service, sv->id, 32);
	memcpy(s.therapist, sv->therapist, 32);
	memcpy(s.patient, patient, 32);
	memcpy(s.root, old ? old->root : s.id, 32);
	if (old)
		memcpy(s.replaces, old->id, 32);
	s.start = start;
	s.end = end;
	s.state = CS_REQUESTED;
	snprintf(s.payment, sizeof s.payment, "%s", payment);
	s.created = s.updated = ctx->now;
	s.seq = old ? old->seq + 1 : 0;
	if (strcmp(payment, "token") == 0) {
		s.price = old ? old->price : sv->price;
		s.fee = old ? old->fee : ledger_fee(ctx->st, s.price);
		if (s.fee == INT64_MAX || !mv_add_i64(s.price, s.fee, &total))
			return ctx_reject(ctx, "price out of range");
		uint8_t escrow[32];
		care_escrow_account(s.id, escrow);
		rc = care_move(ctx, patient, escrow, total, "session booking (escrow)");
		if (rc != MV_OK)
			return rc;
	} else {
		s.price = old ? old->price : sv->price;
	}
	if (confirm || sv->auto_accept)
		rc = ses_confirm(ctx, &s);
	return rc == MV_OK ? care_session_put(ctx, &s) : rc;
}

static int ses_service(struct apply_ctx *ctx, const uint8_t id[32], struct care_service *sv)
{
	int rc = care_service_get(ctx->st, id, sv, &ctx->err);
	if (rc == MV_ENOTFOUND)
		return ctx_reject(ctx, "no such service");
	return rc == MV_OK ? MV_OK : MV_ERR;
}

static int ses_book(struct apply_ctx *ctx)
{
	struct care_service sv;
	uint8_t id[32];
	int64_t start;
	char payment[12];
	struct mv_err e;
	body_id(ctx->body, "service", id, &e);
	body_int(ctx->body, "start", &start, &e);
	body_str(ctx->body, "payment", payment, sizeof payment, &e);
	int rc = ses_service(ctx, id, &sv);
	if (rc == MV_OK && !ses_is(ctx->actor, sv.therapist))
		rc = access_check(ctx, ctx->actor, ACCESS_BOOK_SESSION, sv.therapist);
	return rc == MV_OK ? ses_book_core(ctx, &sv, ctx->actor, start, payment, NULL, false) : rc;
}

/* ---- transitions ----------------------------------------------------------- */

static int ses_accept(struct apply_ctx *ctx)
{
	struct care_session s;
	int rc = ses_open(ctx, &s);
	if (rc == MV_OK)
		rc = ses_need_therapist(ctx, &s);
	if (rc == MV_OK)
		rc = ses_need_state(ctx, &s, CS_REQUESTED);
	if (rc != MV_OK)
		return rc;
	if (!people_therapist_verified(ctx->st, s.therapist, ctx->now))
		return ctx_reject(ctx, "therapist not verified (or suspended)");
	care_changed(ctx, &s, CS_REQUESTED);
	rc = ses_confirm(ctx, &s);
	return rc == MV_OK ? care_session_put(ctx, &s) : rc;
}

static int ses_decline(struct apply_ctx *ctx)
{
	struct care_session s;
	int rc = ses_open(ctx, &s);
	if (rc == MV_OK)
		rc = ses_need_therapist(ctx, &s);
	if (rc == MV_OK)
		rc = ses_need_state(ctx, &s, CS_REQUESTED);
	if (rc == MV_OK)
		rc = care_pay_out(ctx, &s, 10000);
	if (rc != MV_OK)
		return rc;
	care_changed(ctx, &s, CS_DECLINED);
	return care_session_put(ctx, &s);
}

/* Checks shared by cancel and reschedule; fills *by_therapist. */
static int ses_cancel_checks(struct apply_ctx *ctx, const struct care_session *s,
			     bool *by_therapist)
{
	int rc = ses_need_party(ctx, s, by_therapist);
	if (rc != MV_OK)
		return rc;
	if (s->state != CS_REQUESTED && s->state != CS_CONFIRMED)
		return ctx_reject(ctx, "session is %s: only requested or confirmed sessions can be "
				  "cancelled", care_state_name(s->state));
	if (ctx->now >= s->start)
		return ctx_reject(ctx, "session already started");
	return MV_OK;
}

static int ses_cancel(struct apply_ctx *ctx)
{
	struct care_session s;
	bool th;
	int rc = ses_open(ctx, &s);
	if (rc == MV_OK)
		rc = ses_cancel_checks(ctx, &s, &th);
	if (rc != MV_OK)
		return rc;
	return care_cancel(ctx, &s, th ? "therapist" : "patient",
			       care_cancel_refund_bp(ctx->st, &s, th, ctx->now));
}

static int ses_reschedule(struct apply_ctx *ctx)
{
	struct care_session s;
	struct care_service sv;
	int64_t start;
	bool th;
	struct mv_err e;
	body_int(ctx->body, "start", &start, &e);
	int rc = ses_open(ctx, &s);
	if (rc == MV_OK)
		rc = ses_cancel_checks(ctx, &s, &th);
	if (rc == MV_OK && start == s.start)
		rc = ctx_reject(ctx, "the session already starts then");
	if (rc == MV_OK)
		rc = ses_service(ctx, s.service, &sv);
	if (rc == MV_OK && !th)
		rc = access_check(ctx, ctx->actor, ACCESS_BOOK_SESSION, s.therapist);
	if (rc != MV_OK)
		return rc;
	memcpy(s.replaced_by, ctx->op->id, 32);
	rc = care_cancel(ctx, &s, th ? "therapist" : "patient",
			     care_cancel_refund_bp(ctx->st, &s, th, ctx->now));
	if (rc != MV_OK)
		return rc;
	return ses_book_core(ctx, &sv, s.patient, start, s.payment, &s, th);
}

static int ses_checkin(struct apply_ctx *ctx)
{
	struct care_session s;
	bool th;
	int64_t open;
	int rc = ses_open(ctx, &s);
	if (rc == MV_OK)
		rc = ses_need_party(ctx, &s, &th);
	if (rc == MV_OK)
		rc = ses_need_state(ctx, &s, CS_CONFIRMED);
	if (rc != MV_OK)
		return rc;
	if (!mv_sub_i64(s.start, care_param(ctx->st, "checkin_early"), &open) || ctx->now < open ||
	    ctx->now >= s.end)
		return ctx_reject(ctx, "outside the session window");
	int64_t *at = th ? &s.checkin_therapist : &s.checkin_patient;
	if (*at)
		return ctx_reject(ctx, "already checked in");
	*at = ctx->now;
	s.updated = ctx->now;
	return care_session_put(ctx, &s);
}

static int ses_complete(struct apply_ctx *ctx)
{
	struct care_session s;
	int rc = ses_open(ctx, &s);
	if (rc == MV_OK)
		rc = ses_need_therapist(ctx, &s);
	if (rc == MV_OK)
		rc = ses_need_state(ctx, &s, CS_CONFIRMED);
	if (rc != MV_OK)
		return rc;
	if (ctx->now < s.start)
		return ctx_reject(ctx, "session has not started yet");
	snprintf(s.ended, sizeof s.ended, "completed");
	s.ended_at = ctx->now;
	care_changed(ctx, &s, CS_COMPLETED);
	return care_session_put(ctx, &s);
}

/* The therapist declares the patient absent (paid as completed, disputable),
 * or the patient declares the therapist absent (full refund at once). The
 * absent party's check-in refutes it. */
static int ses_no_show(struct apply_ctx *ctx)
{
	struct care_session s;
	bool th;
	int64_t from;
	char d[32];
	int rc = ses_open(ctx, &s);
	if (rc == MV_OK)
		rc = ses_need_party(ctx, &s, &th);
	if (rc == MV_OK)
		rc = ses_need_state(ctx, &s, CS_CONFIRMED);
	if (rc != MV_OK)
		return rc;
	int64_t after = care_param(ctx->st, "no_show_after");
	if (!mv_add_i64(s.start, after, &from) || ctx->now < from) {
		care_fmt_duration(d, sizeof d, after);
		return ctx_reject(ctx, "too early: a no-show can be declared %s after the start", d);
	}
	if (th ? s.checkin_patient : s.checkin_therapist)
		return ctx_reject(ctx, "the %s checked in", th ? "patient" : "therapist");
	s.ended_at = ctx->now;
	if (th) {
		snprintf(s.ended, sizeof s.ended, "patient_no_show");
		care_changed(ctx, &s, CS_NO_SHOW);
		return care_session_put(ctx, &s);
	}
	snprintf(s.ended, sizeof s.ended, "therapist_no_show");
	rc = care_pay_out(ctx, &s, 10000);
	if (rc != MV_OK)
		return rc;
	s.settled_at = ctx->now;
	care_changed(ctx, &s, CS_SETTLED);
	rc = care_session_put(ctx, &s);
	return rc == MV_OK ? care_settled(ctx, &s) : rc;
}

static int ses_settle(struct apply_ctx *ctx)
{
	struct care_session s;
	bool changed;
	char when[32];
	int rc = ses_load(ctx, &s);
	if (rc == MV_OK)
		rc = care_touch(ctx, &s, &changed);
	if (rc != MV_OK || changed)
		return rc;
	if (s.state == CS_COMPLETED || s.state == CS_NO_SHOW) {
		mv_time_format_utc(when, sizeof when,
				   s.ended_at + care_param(ctx->st, "dispute_window"));
		return ctx_reject(ctx, "nothing to settle yet: the dispute window ends %s", when);
	}
	return ctx_reject(ctx, "nothing to settle: session is %s", care_state_name(s.state));
}

/* Store sealed keys of blob for readers (parallel lists); each reader must be
 * allowed by ok(reader). */
static int ses_put_keys(struct apply_ctx *ctx, const uint8_t blob[32], const char *keys_field,
			const char *readers_field, const struct care_session *s)
{
	static const char sql[] = "INSERT OR REPLACE INTO sessions_keys(blob, reader, key) VALUES(?,?,?)";
	const struct body_value *k = body_get(ctx->body, keys_field);
	const struct body_value *r = body_get(ctx->body, readers_field);
	if (!k && !r)
		return MV_OK;
	if (!k || !r || k->n != r->n)
		return ctx_reject(ctx, "%s and %s must be given together, one key per reader",
				  keys_field, readers_field);
	for (size_t i = 0; i < k->n; i++) {
		const uint8_t *who = r->items[i].p;
		if (k->items[i].n != BLOB_SEALED_LEN)
			return ctx_reject(ctx, "%s: a sealed key is %d bytes", keys_field,
					  BLOB_SEALED_LEN);
		if (!ses_is(who, s->therapist) && !ses_is(who, s->patient) &&
		    !council_is_member(ctx->st, who))
			return ctx_reject(ctx, "%s: readers must be the session's parties or council "
					  "members", readers_field);
		sqlite3_stmt *st = store_prep(ctx->st, sql, &ctx->err);
		if (!st)
			return MV_ERR;
		sqlite3_bind_blob(st, 1, blob, 32, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, who, 32, SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, k->items[i].p, BLOB_SEALED_LEN, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return ctx_sqlerr(ctx, "sessions_keys");
	}
	return MV_OK;
}

static int ses_dispute(struct apply_ctx *ctx)
{
	static const char sql[] = "INSERT INTO sessions_disputes(session, reason_blob, time)"
				  " VALUES(?, ?, ?)";
	struct care_session s;
	uint8_t blob[32];
	struct mv_err e;
	int rc = ses_open(ctx, &s);
	if (rc != MV_OK)
		return rc;
	if (!ses_is(ctx->actor, s.patient))
		return ctx_reject(ctx, "not allowed: only the session's patient may dispute it");
	if (s.state == CS_CONFIRMED) {
		if (ctx->now < s.end)
			return ctx_reject(ctx, "session has not ended yet");
	} else if (s.disputed_at) {
		return ctx_reject(ctx, "session already disputed");
	} else if (s.state == CS_SETTLED && (strcmp(s.ended, "completed") == 0 ||
					      strcmp(s.ended, "patient_no_show") == 0)) {
		return ctx_reject(ctx, "dispute window closed");
	} else if (s.state != CS_COMPLETED && s.state != CS_NO_SHOW) {
		return ctx_reject(ctx, "nothing to dispute: session is %s", care_state_name(s.state));
	}
	body_id(ctx->body, "reason_blob", blob, &e);
	rc = ses_put_keys(ctx, blob, "reason_keys", "reason_readers", &s);
	if (rc != MV_OK)
		return rc;
	sqlite3_stmt *st = store_prep(ctx->st, sql, &ctx->err);
	if (!st)
		return MV_ERR;
	sqlite3_bind_blob(st, 1, s.id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, blob, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ctx->now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return ctx_sqlerr(ctx, "sessions_disputes");
	s.disputed_at = ctx->now;
	care_changed(ctx, &s, CS_DISPUTED);
	return care_session_put(ctx, &s);
}

/* Record member's approval of pct (replacing their approval of another
 * outcome) and return how many current council members approve pct. */
static int ses_vote(struct apply_ctx *ctx, const uint8_t session[32], int64_t pct, int64_t *count)
{
	static const char has[] = "SELECT 1 FROM sessions_votes WHERE session = ? AND refund_percent = ?"
				  " AND member = ?";
	static const char del[] = "DELETE FROM sessions_votes WHERE session = ? AND member = ?";
	static const char ins[] = "INSERT INTO sessions_votes(session, refund_percent, member, time)"
				  " VALUES(?, ?, ?, ?)";
	static const char cnt[] = "SELECT count(*) FROM sessions_votes v JOIN council c"
				  " ON c.member = v.member WHERE v.session = ? AND v.refund_percent = ?";
	sqlite3_stmt *s = store_prep(ctx->st, has, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, session, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, pct);
	sqlite3_bind_blob(s, 3, ctx->actor, 32, SQLITE_STATIC);
	bool dup = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	if (dup)
		return ctx_reject(ctx, "you already approved a %lld%% refund", (long long)pct);
	if (!(s = store_prep(ctx->st, del, &ctx->err)))
		return MV_ERR;
	sqlite3_bind_blob(s, 1, session, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->actor, 32, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return ctx_sqlerr(ctx, "sessions_votes");
	if (!(s = store_prep(ctx->st, ins, &ctx->err)))
		return MV_ERR;
	sqlite3_bind_blob(s, 1, session, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, pct);
	sqlite3_bind_blob(s, 3, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, ctx->now);
	if (sqlite3_step(s) != SQLITE_DONE)
		return ctx_sqlerr(ctx, "sessions_votes");
	if (!(s = store_prep(ctx->st, cnt, &ctx->err)))
		return MV_ERR;
	sqlite3_bind_blob(s, 1, session, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, pct);
	*count = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return MV_OK;
}

static int ses_resolve(struct apply_ctx *ctx)
{
	static const char clear[] = "DELETE FROM sessions_votes WHERE session = ?";
	static const char done[] = "UPDATE sessions_disputes SET refund_percent = ? WHERE session = ?";
	struct care_session s;
	int64_t pct = 0, count = 0;
	struct mv_err e;
	body_int(ctx->body, "refund_percent", &pct, &e);
	if (!council_is_member(ctx->st, ctx->actor))
		return ctx_reject(ctx, "not allowed: only council members resolve disputes");
	int rc = ses_open(ctx, &s);
	if (rc == MV_OK)
		rc = ses_need_state(ctx, &s, CS_DISPUTED);
	if (rc == MV_OK)
		rc = ses_vote(ctx, s.id, pct, &count);
	if (rc != MV_OK || count < care_param(ctx->st, "council_threshold"))
		return rc;
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st = store_prep(ctx->st, i ? done : clear, &ctx->err);
		if (!st)
			return MV_ERR;
		if (i)
			sqlite3_bind_int64(st, 1, pct);
		sqlite3_bind_blob(st, i ? 2 : 1, s.id, 32, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return ctx_sqlerr(ctx, "sessions_votes");
	}
	rc = care_pay_out(ctx, &s, pct * 100);
	if (rc != MV_OK)
		return rc;
	s.settled_at = ctx->now;
	care_changed(ctx, &s, CS_SETTLED);
	rc = care_session_put(ctx, &s);
	return rc == MV_OK ? care_settled(ctx, &s) : rc;
}

static int ses_rate(struct apply_ctx *ctx)
{
	static const char has[] = "SELECT 1 FROM sessions_ratings WHERE session = ?";
	static const char ins[] = "INSERT INTO sessions_ratings(session, therapist, patient, stars,"
				  " comment_blob, time) VALUES(?, ?, ?, ?, ?, ?)";
	struct care_session s;
	int64_t stars;
	uint8_t blob[32];
	struct mv_err e;
	body_int(ctx->body, "stars", &stars, &e);
	bool comment = body_id(ctx->body, "comment_blob", blob, &e) == MV_OK;
	int rc = ses_open(ctx, &s);
	if (rc != MV_OK)
		return rc;
	if (!ses_is(ctx->actor, s.patient))
		return ctx_reject(ctx, "not allowed: only the session's patient may rate it");
	if (strcmp(s.ended, "completed") != 0)
		return ctx_reject(ctx, "only a completed session can be rated");
	sqlite3_stmt *st = store_prep(ctx->st, has, &ctx->err);
	if (!st)
		return MV_ERR;
	sqlite3_bind_blob(st, 1, s.id, 32, SQLITE_STATIC);
	bool dup = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (dup)
		return ctx_reject(ctx, "session already rated");
	if (!comment && (body_get(ctx->body, "comment_keys") || body_get(ctx->body, "comment_readers")))
		return ctx_reject(ctx, "comment keys without comment_blob");
	if (comment && (rc = ses_put_keys(ctx, blob, "comment_keys", "comment_readers", &s)) != MV_OK)
		return rc;
	if (!(st = store_prep(ctx->st, ins, &ctx->err)))
		return MV_ERR;
	sqlite3_bind_blob(st, 1, s.id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, s.therapist, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, s.patient, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, stars);
	if (comment)
		sqlite3_bind_blob(st, 5, blob, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, ctx->now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return ctx_sqlerr(ctx, "sessions_ratings");
	return reputation_rating(ctx, s.patient, s.therapist, (int)stars, "session rating");
}

/* ---- field specs --------------------------------------------------------- */

#define SES_FIELD {"session", F_ID, false, 0, 0, 0, NULL, "the session (its booking op id)"}
#define SES_END {NULL, 0, false, 0, 0, 0, NULL, NULL}

static const struct field_spec book_fields[] = {
	{"service", F_ID, false, 0, 0, 0, NULL, "the service (its service.publish op id)"},
	{"start", F_TIME, false, 0, 0, 0, NULL, "start (UTC), inside the therapist's availability"},
	{"payment", F_ENUM, false, 0, 0, 0, "token|external|insurance",
	 "token: MVT into escrow now; external: paid outside; insurance: a claim"},
	SES_END,
};

static const struct field_spec session_fields[] = {SES_FIELD, SES_END};

static const struct field_spec reschedule_fields[] = {
	SES_FIELD,
	{"start", F_TIME, false, 0, 0, 0, NULL, "the new start (UTC)"},
	SES_END,
};

static const struct field_spec dispute_fields[] = {
	SES_FIELD,
	{"reason_blob", F_ID, false, 0, 0, 0, NULL, "hash of the encrypted reason blob"},
	{"reason_keys", F_LIST_BYTES, true, 0, 0, 16, NULL, "blob key sealed to each reader"},
	{"reason_readers", F_LIST_ACCOUNT, true, 0, 0, 16, NULL,
	 "readers of the reason (council members, the therapist)"},
	SES_END,
};

static const struct field_spec resolve_fields[] = {
	SES_FIELD,
	{"refund_percent", F_INT, false, 0, 100, 0, NULL, "share of the price refunded (0..100)"},
	SES_END,
};

static const struct field_spec rate_fields[] = {
	SES_FIELD,
	{"stars", F_INT, false, 1, 5, 0, NULL, "1..5"},
	{"comment_blob", F_ID, true, 0, 0, 0, NULL, "hash of an encrypted comment blob"},
	{"comment_keys", F_LIST_BYTES, true, 0, 0, 16, NULL, "blob key sealed to each reader"},
	{"comment_readers", F_LIST_ACCOUNT, true, 0, 0, 16, NULL, "readers of the comment"},
	SES_END,
};

static const struct op_handler sessions_handlers[] = {
	{"session.book", "book a service at a time; MVT price + fee go into escrow",
	 "any account allowed to book (not the therapist)", book_fields, ses_book},
	{"session.accept", "confirm a requested session", "the session's therapist",
	 session_fields, ses_accept},
	{"session.decline", "refuse a requested session (full refund)", "the session's therapist",
	 session_fields, ses_decline},
	{"session.reschedule", "cancel and re-book at a new start in one op",
	 "the session's patient or therapist", reschedule_fields, ses_reschedule},
	{"session.cancel", "cancel with the genesis refund policy",
	 "the session's patient or therapist", session_fields, ses_cancel},
	{"session.checkin", "record attendance inside the session window",
	 "the session's patient or therapist", session_fields, ses_checkin},
	{"session.complete", "mark the session held (paid after the dispute window)",
	 "the session's therapist", session_fields, ses_complete},
	{"session.no_show", "declare the other party absent",
	 "the session's patient or therapist", session_fields, ses_no_show},
	{"session.settle", "pay out a session whose dispute window has passed", "anyone",
	 session_fields, ses_settle},
	{"session.dispute", "freeze the escrow and ask the council to decide",
	 "the session's patient, inside the dispute window", dispute_fields, ses_dispute},
	{"session.resolve", "approve a refund percentage for a disputed session",
	 "council members; takes effect at council_threshold approvals", resolve_fields,
	 ses_resolve},
	{"session.rate", "rate a completed session once", "the session's patient", rate_fields,
	 ses_rate},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract sessions_contract = {
	.name = "sessions",
	.summary = "booking, attendance, escrow, settlement, disputes and ratings",
	.migrations = sessions_migrations,
	.handlers = sessions_handlers,
};
