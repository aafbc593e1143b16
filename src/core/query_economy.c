/* query_economy.c - read-only views of staking, treasury, rewards and
 * reputation for the CLI and the TUI (see query_economy.h). Nothing here
 * writes; staking figures at `now` come from the same accumulator
 * projection the contract would apply, so the screen shows what a claim at
 * that time would pay. */
#include "query_economy.h"
#include "query.h"
#include "contract.h"
#include "op.h"

#include <stdio.h>
#include <string.h>

#define DAY_MS INT64_C(86400000)

/* ---- staking ------------------------------------------------------------ */

int query_stakes(struct store *st, const uint8_t *owner, bool include_closed, int64_t now,
		 int (*cb)(void *ud, const struct q_stake *r), void *ud, struct mv_err *err)
{
	static const char sql[] =
		"SELECT id, owner, amount, period_days, weight_bp, weighted, start, lock_end, claimed,"
		" closed_at FROM stakes WHERE (?1 IS NULL OR owner = ?1)"
		" AND (?2 OR closed_at IS NULL)"
		" ORDER BY closed_at IS NOT NULL, start, id";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	if (owner)
		sqlite3_bind_blob(s, 1, owner, 32, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, include_closed);
	int rc, out = MV_OK;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_stake r;
		memset(&r, 0, sizeof r);
		memcpy(r.id, sqlite3_column_blob(s, 0), 32);
		memcpy(r.owner, sqlite3_column_blob(s, 1), 32);
		r.amount = sqlite3_column_int64(s, 2);
		r.period_days = sqlite3_column_int64(s, 3);
		r.weight_bp = sqlite3_column_int64(s, 4);
		r.weighted = sqlite3_column_int64(s, 5);
		r.start = sqlite3_column_int64(s, 6);
		r.lock_end = sqlite3_column_int64(s, 7);
		r.claimed = sqlite3_column_int64(s, 8);
		r.closed = sqlite3_column_type(s, 9) != SQLITE_NULL;
		r.closed_at = r.closed ? sqlite3_column_int64(s, 9) : 0;
		r.unlocked = !r.closed && now >= r.lock_end;
		if (!r.closed && (out = staking_accrued(st, r.id, now, &r.accrued, err)) != MV_OK)
			break;
		if (cb(ud, &r))
			break;
	}
	sqlite3_reset(s);
	if (out != MV_OK)
		return out;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "stakes");
}

int query_staking_pool(struct store *st, int64_t now, struct staking_pool_info *out,
		       struct mv_err *err)
{
	return staking_pool(st, now, out, err);
}

static int64_t weight_param(struct store *st, int64_t days)
{
	switch (days) {
	case 30: return param_get(st, "stake_weight_30_bp", 10000);
	case 90: return param_get(st, "stake_weight_90_bp", 12500);
	case 180: return param_get(st, "stake_weight_180_bp", 15000);
	case 365: return param_get(st, "stake_weight_365_bp", 20000);
	default: return -1;
	}
}

int query_stake_preview(struct store *st, int64_t amount, int64_t period_days, int64_t now,
			struct q_stake_preview *out, struct mv_err *err)
{
	struct staking_pool_info p;
	memset(out, 0, sizeof *out);
	out->weight_bp = weight_param(st, period_days);
	int64_t min = param_get(st, "stake_min", MV_UNIT);
	if (out->weight_bp < 0) {
		snprintf(out->why, sizeof out->why, "period must be 30, 90, 180 or 365 days");
		return MV_OK;
	}
	if (amount < min) {
		char a[40];
		mv_amount_format(a, sizeof a, min);
		snprintf(out->why, sizeof out->why, "below the minimum stake of %s MVT", a);
		return MV_OK;
	}
	if (!mv_muldiv_i64(amount, out->weight_bp, 10000, &out->weighted) || out->weighted <= 0 ||
	    !mv_add_i64(now, period_days * DAY_MS, &out->lock_end)) {
		snprintf(out->why, sizeof out->why, "amount out of range");
		return MV_OK;
	}
	if (staking_pool(st, now, &p, err) != MV_OK)
		return MV_ERR;
	int64_t total;
	if (!mv_add_i64(p.total_weighted, out->weighted, &total) ||
	    !mv_muldiv_i64(p.rate_per_day, out->weighted, total, &out->est_per_day))
		out->est_per_day = 0;
	if (out->est_per_day > p.free)
		out->est_per_day = p.free;
	if (!mv_mul_i64(out->est_per_day, period_days, &out->est_over_lock) ||
	    out->est_over_lock > p.free)
		out->est_over_lock = p.free;
	out->ok = true;
	return MV_OK;
}

void query_voting_power(struct store *st, const uint8_t account[32], int64_t now,
			struct q_voting_power *out)
{
	out->weighted_stake = staking_weighted_stake(st, account, now);
	out->trust = reputation_trust(st, account, now);
	out->total = staking_voting_power(st, account, now);
	out->bonus = out->total - out->weighted_stake;
}

/* ---- treasury ----------------------------------------------------------- */

struct hist {
	const uint8_t *acct;
	int (*cb)(void *ud, const struct q_treasury_point *r);
	void *ud;
};

static int hist_row(void *ud, const struct q_move *m)
{
	struct hist *h = ud;
	struct q_treasury_point r;
	memcpy(r.op, m->op, 32);
	r.time = m->time;
	r.delta = memcmp(m->to, h->acct, 32) == 0 ? m->amount : -m->amount;
	r.balance = m->balance_after;
	r.memo = m->memo;
	return h->cb(h->ud, &r);
}

int query_treasury_history(struct store *st,
			   int (*cb)(void *ud, const struct q_treasury_point *r), void *ud,
			   struct mv_err *err)
{
	uint8_t treasury[32];
	op_system_account(treasury, SYS_TREASURY);
	struct hist h = {treasury, cb, ud};
	return query_moves(st, treasury, hist_row, &h, err);
}

int query_treasury_council_room(struct store *st, int64_t now, struct q_council_room *r,
				struct mv_err *err)
{
	static const char sql[] = "SELECT amount FROM treasury_payouts WHERE kind = 'council'"
				  " AND time > ? AND time <= ?";
	memset(r, 0, sizeof *r);
	r->limit = param_get(st, "treasury_council_limit", 0);
	r->window = param_get(st, "treasury_council_window", 0);
	r->left = r->limit;
	if (r->window <= 0)
		return MV_OK;
	int64_t since;
	if (!mv_add_i64(now, -r->window, &since))
		since = INT64_MIN;
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, now);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (!mv_add_i64(r->paid, sqlite3_column_int64(s, 0), &r->paid))
			r->paid = INT64_MAX;
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, err, "treasury_payouts");
	r->left = r->paid >= r->limit ? 0 : r->limit - r->paid;
	return MV_OK;
}

static int spend_signers(struct store *st, struct q_spend *r, struct mv_err *err)
{
	static const char sql[] = "SELECT signer, time FROM treasury_signers WHERE spend = ?"
				  " ORDER BY time, signer";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, r->id, 32, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && r->nsigners < Q_SPEND_MAX_SIGNERS) {
		memcpy(r->signers[r->nsigners], sqlite3_column_blob(s, 0), 32);
		r->signed_at[r->nsigners++] = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	for (size_t i = 0; i < r->nsigners; i++)
		r->valid_signers += council_is_member(st, r->signers[i]);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "signers");
}

int query_treasury_spends(struct store *st, bool pending_only, int64_t now,
			  int (*cb)(void *ud, const struct q_spend *r), void *ud,
			  struct mv_err *err)
{
	static const char sql[] =
		"SELECT id, proposer, to_acct, amount, nonce, created, expires, closed_at, purpose,"
		" status FROM treasury_spends WHERE (?1 = 0 OR status = 'pending')"
		" ORDER BY created DESC, id";
	struct q_spend r;
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int(s, 1, pending_only);
	int64_t threshold = param_get(st, "council_threshold", 1);
	int rc, out = MV_OK;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		memcpy(r.id, sqlite3_column_blob(s, 0), 32);
		memcpy(r.proposer, sqlite3_column_blob(s, 1), 32);
		memcpy(r.to, sqlite3_column_blob(s, 2), 32);
		r.amount = sqlite3_column_int64(s, 3);
		r.nonce = sqlite3_column_int64(s, 4);
		r.created = sqlite3_column_int64(s, 5);
		r.expires = sqlite3_column_int64(s, 6);
		r.closed_at = sqlite3_column_int64(s, 7);
		r.purpose = (const char *)sqlite3_column_text(s, 8);
		r.status = (const char *)sqlite3_column_text(s, 9);
		if (strcmp(r.status, "pending") == 0 && now >= r.expires)
			r.status = "expired";
		r.threshold = threshold;
		if ((out = spend_signers(st, &r, err)) != MV_OK)
			break;
		if (cb(ud, &r))
			break;
	}
	sqlite3_reset(s);
	if (out != MV_OK)
		return out;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "spends");
}

/* ---- rewards ------------------------------------------------------------ */

int query_rewards_received(struct store *st, const uint8_t *account, size_t limit,
			   int (*cb)(void *ud, const struct q_payout *r), void *ud,
			   struct mv_err *err)
{
	static const char sql[] = "SELECT op, account, time, amount, kind, ref, note FROM reward_payouts"
				  " WHERE (?1 IS NULL OR account = ?1)"
				  " ORDER BY time DESC, op, idx LIMIT ?2";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	if (account)
		sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, limit ? (int64_t)limit : -1);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_payout r;
		memset(&r, 0, sizeof r);
		memcpy(r.op, sqlite3_column_blob(s, 0), 32);
		memcpy(r.account, sqlite3_column_blob(s, 1), 32);
		r.time = sqlite3_column_int64(s, 2);
		r.amount = sqlite3_column_int64(s, 3);
		r.kind = (const char *)sqlite3_column_text(s, 4);
		r.has_ref = sqlite3_column_bytes(s, 5) == 32;
		if (r.has_ref)
			memcpy(r.ref, sqlite3_column_blob(s, 5), 32);
		r.note = (const char *)sqlite3_column_text(s, 6);
		if (cb(ud, &r))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "payouts");
}

/* ---- reputation --------------------------------------------------------- */

int query_reputation(struct store *st, const uint8_t account[32], int64_t now,
		     int (*cb)(void *ud, const struct rep_component *c), void *ud)
{
	return reputation_explain(st, account, now, cb, ud);
}

int query_reputation_history(struct store *st, const uint8_t account[32], int64_t now,
			     size_t limit, int (*cb)(void *ud, const struct q_rep_event *r),
			     void *ud, struct mv_err *err)
{
	static const char sql[] = "SELECT op, time, dim, delta, why FROM rep_events"
				  " WHERE account = ? AND time <= ?"
				  " ORDER BY time DESC, op DESC, idx DESC LIMIT ?";
	int64_t h = param_get(st, "reputation_half_life", 180 * DAY_MS);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, limit ? (int64_t)limit : -1);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_rep_event r;
		memcpy(r.op, sqlite3_column_blob(s, 0), 32);
		r.time = sqlite3_column_int64(s, 1);
		r.dim = (enum rep_dim)sqlite3_column_int(s, 2);
		r.delta = sqlite3_column_int64(s, 3);
		r.why = (const char *)sqlite3_column_text(s, 4);
		__int128 v = (__int128)r.delta * reputation_decay_q32(now - r.time, h) * 1000;
		r.decayed_milli = (int64_t)(v / ((__int128)1 << 32));
		if (cb(ud, &r))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "rep_events");
}

int query_reputation_series(struct store *st, const uint8_t account[32], int64_t from,
			    int64_t to, size_t n, int *out, struct mv_err *err)
{
	if (n < 2 || to < from)
		return mv_fail(err, MV_EINVAL, "a reputation series needs n >= 2 and from <= to");
	for (size_t i = 0; i < n; i++) {
		int64_t t = from + (int64_t)((__int128)(to - from) * (int64_t)i / (int64_t)(n - 1));
		out[i] = reputation_trust(st, account, t);
	}
	return MV_OK;
}
