/* care.c - rules shared by the care contracts and their read-only views
 * (see care.h): service and session rows, escrow accounts, the refund and
 * settlement arithmetic, and availability as interval arithmetic.
 *
 * The tables read here belong to the services contract (services,
 * services_windows, services_exceptions) and the sessions contract
 * (sessions); their migrations live in those contracts. */
#include "care.h"
#include "economy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const care_state_names[CS__COUNT] = {
	"requested", "confirmed", "completed", "no_show", "cancelled", "declined", "disputed",
	"settled",
};

const char *care_state_name(enum care_state s)
{
	return (unsigned)s < CS__COUNT ? care_state_names[s] : "?";
}

int care_state_parse(const char *name)
{
	for (int i = 0; i < CS__COUNT; i++)
		if (strcmp(care_state_names[i], name) == 0)
			return i;
	return -1;
}

bool care_state_holds_slot(enum care_state s)
{
	return s != CS_CANCELLED && s != CS_DECLINED;
}

bool care_state_escrowed(enum care_state s)
{
	return s == CS_REQUESTED || s == CS_CONFIRMED || s == CS_COMPLETED || s == CS_NO_SHOW ||
	       s == CS_DISPUTED;
}

/* Defaults equal assets/genesis.default, so a network whose genesis predates
 * a parameter still behaves as documented. */
static const struct {
	const char *name;
	int64_t dflt;
} care_defaults[] = {
	{"booking_min_notice", 2 * 3600 * 1000},
	{"cancel_full_refund_before", 24 * 3600 * 1000},
	{"cancel_late_refund_bp", 5000},
	{"dispute_window", 72 * 3600 * 1000},
	{"fee_platform_bp", 500},
	{"checkin_early", 10 * 60 * 1000},
	{"no_show_after", 15 * 60 * 1000},
	{"council_threshold", 1},
	{NULL, 0},
};

int64_t care_param(struct store *st, const char *name)
{
	for (size_t i = 0; care_defaults[i].name; i++)
		if (strcmp(care_defaults[i].name, name) == 0)
			return param_get(st, name, care_defaults[i].dflt);
	return param_get(st, name, 0);
}

void care_escrow_account(const uint8_t session[32], uint8_t out[32])
{
	char name[7 + 65];
	memcpy(name, "escrow:", 7);
	mv_hex(name + 7, session, 32);
	op_system_account(out, name);
}

/* ---- money ------------------------------------------------------------- */

bool care_split_compute(int64_t price, int64_t fee, int64_t refund_bp, int64_t platform_bp,
			struct care_split *out)
{
	int64_t refund, kept, platform;
	memset(out, 0, sizeof *out);
	if (price < 0 || fee < 0 || refund_bp < 0 || refund_bp > 10000 || platform_bp < 0 ||
	    platform_bp > 10000)
		return false;
	if (!mv_muldiv_i64(price, refund_bp, 10000, &refund) || !mv_sub_i64(price, refund, &kept) ||
	    !mv_muldiv_i64(kept, platform_bp, 10000, &platform))
		return false;
	bool full = refund_bp == 10000;
	out->therapist = kept - platform;
	if (!mv_add_i64(refund, full ? fee : 0, &out->patient) ||
	    !mv_add_i64(platform, full ? 0 : fee, &out->treasury))
		return false;
	return true;
}

int64_t care_cancel_refund_bp(struct store *st, const struct care_session *s, bool by_therapist,
			      int64_t at)
{
	if (by_therapist || s->state == CS_REQUESTED)
		return 10000;
	int64_t before = care_param(st, "cancel_full_refund_before"), left;
	if (!mv_sub_i64(s->start, at, &left) || left >= before)
		return 10000;
	int64_t bp = care_param(st, "cancel_late_refund_bp");
	return bp < 0 ? 0 : bp > 10000 ? 10000 : bp;
}

/* ---- rows -------------------------------------------------------------- */

static void care_col_id(sqlite3_stmt *s, int col, uint8_t out[32])
{
	memset(out, 0, 32);
	if (sqlite3_column_type(s, col) == SQLITE_BLOB && sqlite3_column_bytes(s, col) == 32)
		memcpy(out, sqlite3_column_blob(s, col), 32);
}

static void care_col_text(sqlite3_stmt *s, int col, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	snprintf(out, n, "%s", t ? (const char *)t : "");
}

int care_service_get(struct store *st, const uint8_t id[32], struct care_service *out,
		     struct mv_err *err)
{
	static const char sql[] =
		"SELECT therapist, title, modality, format, duration_min, price, insurance,"
		" auto_accept, retired, created, updated FROM services WHERE id = ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	memset(out, 0, sizeof *out);
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? MV_ENOTFOUND : store_sqlerr(st, err, "services");
	}
	memcpy(out->id, id, 32);
	care_col_id(s, 0, out->therapist);
	care_col_text(s, 1, out->title, sizeof out->title);
	care_col_text(s, 2, out->modality, sizeof out->modality);
	care_col_text(s, 3, out->format, sizeof out->format);
	out->duration_min = sqlite3_column_int64(s, 4);
	out->price = sqlite3_column_int64(s, 5);
	out->insurance = sqlite3_column_int(s, 6) != 0;
	out->auto_accept = sqlite3_column_int(s, 7) != 0;
	out->retired = sqlite3_column_int(s, 8) != 0;
	out->created = sqlite3_column_int64(s, 9);
	out->updated = sqlite3_column_int64(s, 10);
	sqlite3_reset(s);
	return MV_OK;
}

#define CARE_SESSION_COLS                                                                    \
	"service, therapist, patient, root, replaces, replaced_by, start, end, state, payment," \
	" price, fee, ended, cancelled_by, created, confirmed_at, ended_at, settled_at,"        \
	" disputed_at, updated, checkin_therapist, checkin_patient, refund_bp, paid_patient,"   \
	" paid_therapist, paid_treasury, seq"

int care_session_get(struct store *st, const uint8_t id[32], struct care_session *out,
		     struct mv_err *err)
{
	static const char sql[] = "SELECT " CARE_SESSION_COLS " FROM sessions WHERE id = ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	memset(out, 0, sizeof *out);
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? MV_ENOTFOUND : store_sqlerr(st, err, "sessions");
	}
	char state[16];
	memcpy(out->id, id, 32);
	care_col_id(s, 0, out->service);
	care_col_id(s, 1, out->therapist);
	care_col_id(s, 2, out->patient);
	care_col_id(s, 3, out->root);
	care_col_id(s, 4, out->replaces);
	care_col_id(s, 5, out->replaced_by);
	out->start = sqlite3_column_int64(s, 6);
	out->end = sqlite3_column_int64(s, 7);
	care_col_text(s, 8, state, sizeof state);
	int k = care_state_parse(state);
	out->state = k < 0 ? CS_CANCELLED : (enum care_state)k;
	care_col_text(s, 9, out->payment, sizeof out->payment);
	out->price = sqlite3_column_int64(s, 10);
	out->fee = sqlite3_column_int64(s, 11);
	care_col_text(s, 12, out->ended, sizeof out->ended);
	care_col_text(s, 13, out->cancelled_by, sizeof out->cancelled_by);
	int64_t *t[] = {&out->created, &out->confirmed_at, &out->ended_at, &out->settled_at,
			&out->disputed_at, &out->updated, &out->checkin_therapist,
			&out->checkin_patient, &out->refund_bp, &out->paid_patient,
			&out->paid_therapist, &out->paid_treasury, &out->seq};
	for (int i = 0; i < 13; i++)
		*t[i] = sqlite3_column_int64(s, 14 + i);
	sqlite3_reset(s);
	return MV_OK;
}

static bool care_zero(const uint8_t id[32])
{
	static const uint8_t z[32];
	return memcmp(id, z, 32) == 0;
}

int care_session_put(struct apply_ctx *ctx, const struct care_session *v)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO sessions(id, " CARE_SESSION_COLS ") VALUES("
		"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	const uint8_t *ids[] = {v->id, v->service, v->therapist, v->patient, v->root};
	for (int i = 0; i < 5; i++)
		sqlite3_bind_blob(s, i + 1, ids[i], 32, SQLITE_STATIC);
	if (!care_zero(v->replaces))
		sqlite3_bind_blob(s, 6, v->replaces, 32, SQLITE_STATIC);
	if (!care_zero(v->replaced_by))
		sqlite3_bind_blob(s, 7, v->replaced_by, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, v->start);
	sqlite3_bind_int64(s, 9, v->end);
	sqlite3_bind_text(s, 10, care_state_name(v->state), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 11, v->payment, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 12, v->price);
	sqlite3_bind_int64(s, 13, v->fee);
	sqlite3_bind_text(s, 14, v->ended, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 15, v->cancelled_by, -1, SQLITE_STATIC);
	const int64_t t[] = {v->created, v->confirmed_at, v->ended_at, v->settled_at,
			     v->disputed_at, v->updated, v->checkin_therapist, v->checkin_patient,
			     v->refund_bp, v->paid_patient, v->paid_therapist, v->paid_treasury,
			     v->seq};
	for (int i = 0; i < 13; i++)
		sqlite3_bind_int64(s, 16 + i, t[i]);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "sessions");
}

/* ---- transitions ------------------------------------------------------- */

int care_move(struct apply_ctx *ctx, const uint8_t from[32], const uint8_t to[32], int64_t amount,
	      const char *memo)
{
	return amount > 0 ? ledger_move(ctx, from, to, amount, memo) : MV_OK;
}

void care_changed(struct apply_ctx *ctx, struct care_session *s, enum care_state to)
{
	s->state = to;
	s->updated = ctx->now;
	s->seq++;
}

int care_pay_out(struct apply_ctx *ctx, struct care_session *s, int64_t refund_bp)
{
	struct care_split sp;
	uint8_t escrow[32], treasury[32];
	s->refund_bp = refund_bp;
	if (strcmp(s->payment, "token") != 0)
		return MV_OK;
	if (!care_split_compute(s->price, s->fee, refund_bp, care_param(ctx->st, "fee_platform_bp"),
				&sp))
		return ctx_reject(ctx, "escrow arithmetic out of range");
	care_escrow_account(s->id, escrow);
	op_system_account(treasury, SYS_TREASURY);
	int rc = care_move(ctx, escrow, s->patient, sp.patient, "session refund");
	if (rc == MV_OK)
		rc = care_move(ctx, escrow, s->therapist, sp.therapist, "session payment");
	if (rc == MV_OK)
		rc = care_move(ctx, escrow, treasury, sp.treasury, "session platform fee");
	s->paid_patient = sp.patient;
	s->paid_therapist = sp.therapist;
	s->paid_treasury = sp.treasury;
	return rc;
}

int care_cancel(struct apply_ctx *ctx, struct care_session *s, const char *by, int64_t refund_bp)
{
	int rc = care_pay_out(ctx, s, refund_bp);
	if (rc == MV_OK && strcmp(by, "patient") == 0 && refund_bp < 10000)
		rc = reputation_event(ctx, s->patient, REP_RELIABILITY, REP_PTS_LATE_CANCEL,
				      "cancelled a session late");
	if (rc != MV_OK)
		return rc;
	snprintf(s->cancelled_by, sizeof s->cancelled_by, "%s", by);
	care_changed(ctx, s, CS_CANCELLED);
	return care_session_put(ctx, s);
}

int care_settled(struct apply_ctx *ctx, const struct care_session *s)
{
	int rc = MV_OK;
	if (strcmp(s->ended, "completed") == 0 && s->refund_bp == 0) {
		rc = rewards_session_settled(ctx, s->id, s->patient, s->therapist);
		if (rc == MV_OK && s->checkin_patient)
			rc = reputation_event(ctx, s->patient, REP_RELIABILITY, REP_PTS_ATTENDED,
					      "attended a session");
		if (rc == MV_OK && s->checkin_therapist)
			rc = reputation_event(ctx, s->therapist, REP_RELIABILITY, REP_PTS_ATTENDED,
					      "held a session");
	} else if (strcmp(s->ended, "patient_no_show") == 0 && s->refund_bp == 0) {
		rc = reputation_event(ctx, s->patient, REP_RELIABILITY, REP_PTS_NO_SHOW,
				      "missed a session");
	} else if (strcmp(s->ended, "therapist_no_show") == 0) {
		rc = reputation_event(ctx, s->therapist, REP_RELIABILITY, REP_PTS_NO_SHOW,
				      "missed a session");
	}
	return rc;
}

int care_touch(struct apply_ctx *ctx, struct care_session *s, bool *changed)
{
	*changed = false;
	if (s->state == CS_REQUESTED && ctx->now >= s->start) {
		*changed = true;
		return care_cancel(ctx, s, "expired", 10000);
	}
	if (s->state != CS_COMPLETED && s->state != CS_NO_SHOW)
		return MV_OK;
	int64_t due;
	if (!mv_add_i64(s->ended_at, care_param(ctx->st, "dispute_window"), &due) || ctx->now < due)
		return MV_OK;
	*changed = true;
	int rc = care_pay_out(ctx, s, 0);
	if (rc != MV_OK)
		return rc;
	s->settled_at = ctx->now;
	care_changed(ctx, s, CS_SETTLED);
	rc = care_session_put(ctx, s);
	return rc == MV_OK ? care_settled(ctx, s) : rc;
}

int care_session_open(struct apply_ctx *ctx, const char *field, struct care_session *s)
{
	uint8_t id[32];
	struct mv_err e;
	bool changed;
	if (body_id(ctx->body, field, id, &e) != MV_OK)
		return ctx_reject(ctx, "missing field %s", field);
	int rc = care_session_get(ctx->st, id, s, &ctx->err);
	if (rc == MV_ENOTFOUND)
		return ctx_reject(ctx, "no such session");
	if (rc != MV_OK)
		return MV_ERR;
	return care_touch(ctx, s, &changed);
}

/* ---- intervals --------------------------------------------------------- */

void care_ivls_free(struct care_ivls *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int care_ivls_insert(struct care_ivls *l, size_t at, int64_t a, int64_t b)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct care_ivl *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return MV_ERR;
		l->v = v;
		l->cap = cap;
	}
	memmove(&l->v[at + 1], &l->v[at], (l->n - at) * sizeof *l->v);
	l->v[at] = (struct care_ivl){a, b};
	l->n++;
	return MV_OK;
}

int care_ivls_add(struct care_ivls *l, int64_t a, int64_t b)
{
	if (a >= b)
		return MV_OK;
	/* first interval that ends at or after a (touching merges) */
	size_t i = 0;
	while (i < l->n && l->v[i].b < a)
		i++;
	size_t j = i;
	while (j < l->n && l->v[j].a <= b) {
		if (l->v[j].a < a)
			a = l->v[j].a;
		if (l->v[j].b > b)
			b = l->v[j].b;
		j++;
	}
	if (j > i) {
		l->v[i] = (struct care_ivl){a, b};
		memmove(&l->v[i + 1], &l->v[j], (l->n - j) * sizeof *l->v);
		l->n -= j - i - 1;
		return MV_OK;
	}
	return care_ivls_insert(l, i, a, b);
}

int care_ivls_sub(struct care_ivls *l, int64_t a, int64_t b)
{
	if (a >= b)
		return MV_OK;
	for (size_t i = 0; i < l->n;) {
		struct care_ivl v = l->v[i];
		if (v.b <= a || v.a >= b) {
			i++;
			continue;
		}
		if (v.a < a && v.b > b) { /* split in two */
			l->v[i].b = a;
			return care_ivls_insert(l, i + 1, b, v.b);
		}
		if (v.a < a) {
			l->v[i].b = a;
			i++;
		} else if (v.b > b) {
			l->v[i].a = b;
			i++;
		} else {
			memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *l->v);
			l->n--;
		}
	}
	return MV_OK;
}

bool care_ivls_covers(const struct care_ivls *l, int64_t a, int64_t b)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].a <= a && b <= l->v[i].b)
			return true;
	return false;
}

static int64_t care_max(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t care_min(int64_t a, int64_t b) { return a < b ? a : b; }

int care_avail(struct store *st, const uint8_t therapist[32], int64_t from, int64_t to,
	       struct care_ivls *l, struct mv_err *err)
{
	static const char win[] = "SELECT start, end FROM services_windows WHERE therapist = ?"
				  " AND end > ? AND start < ? ORDER BY start";
	static const char exc[] = "SELECT action, start, end FROM services_exceptions"
				  " WHERE therapist = ? AND end > ? AND start < ? ORDER BY seq";
	memset(l, 0, sizeof *l);
	for (int pass = 0; pass < 2; pass++) {
		sqlite3_stmt *s = store_prep(st, pass ? exc : win, err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, from);
		sqlite3_bind_int64(s, 3, to);
		int rc;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			int c = pass;
			int64_t a = care_max(sqlite3_column_int64(s, c), from);
			int64_t b = care_min(sqlite3_column_int64(s, c + 1), to);
			bool close = pass && strcmp((const char *)sqlite3_column_text(s, 0), "close") == 0;
			if ((close ? care_ivls_sub(l, a, b) : care_ivls_add(l, a, b)) != MV_OK) {
				sqlite3_reset(s);
				care_ivls_free(l);
				return mv_fail(err, MV_ERR, "out of memory");
			}
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			care_ivls_free(l);
			return store_sqlerr(st, err, "availability");
		}
	}
	return MV_OK;
}

int care_busy(struct store *st, const uint8_t account[32], int64_t from, int64_t to,
	      struct care_ivls *l, struct mv_err *err)
{
	static const char sql[] =
		"SELECT start, end FROM sessions WHERE (therapist = ?1 OR patient = ?1)"
		" AND end > ?2 AND start < ?3 AND state NOT IN ('cancelled', 'declined')"
		" ORDER BY start, id";
	memset(l, 0, sizeof *l);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (care_ivls_add(l, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1)) != MV_OK) {
			sqlite3_reset(s);
			care_ivls_free(l);
			return mv_fail(err, MV_ERR, "out of memory");
		}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		care_ivls_free(l);
		return store_sqlerr(st, err, "sessions");
	}
	return MV_OK;
}

void care_fmt_duration(char *out, size_t outlen, int64_t ms)
{
	static const struct {
		int64_t ms;
		const char *unit;
	} units[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
	size_t used = 0;
	if (outlen)
		out[0] = '\0';
	if (ms <= 0) {
		snprintf(out, outlen, "0s");
		return;
	}
	for (size_t i = 0; i < sizeof units / sizeof units[0] && ms > 0 && used < outlen; i++) {
		int64_t q = ms / units[i].ms;
		if (!q)
			continue;
		ms -= q * units[i].ms;
		int w = snprintf(out + used, outlen - used, "%s%lld%s", used ? " " : "", (long long)q,
				 units[i].unit);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}
