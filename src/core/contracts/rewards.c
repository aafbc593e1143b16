/* rewards.c - payouts from the reward pool (system account SYS_REWARDS):
 * session rewards when a session settles, community distributions approved
 * by governance, and the log of every payout (staking claims included).
 *
 * Guarantees: nothing is minted (every payout is a ledger move out of the
 * pool); a payout only spends the pool's free balance, i.e. what is left
 * after the rewards stakers have accrued (staking.c), so the pool never pays
 * more than it holds and staking claims always succeed; a session is
 * rewarded at most once; a distribution period is paid at most once, all or
 * nothing. Every row of reward_payouts names the op that justified it.
 *
 * This contract has no op kinds: sessions.c calls rewards_session_settled()
 * and governance.c calls rewards_distribute() when it executes an approved
 * proposal. An op anyone could send would let anyone pay the pool out. */
#include "../contract.h"
#include "../economy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct migration rewards_migrations[] = {
	{1, "CREATE TABLE reward_payouts(op BLOB NOT NULL, idx INTEGER NOT NULL,"
	    "  account BLOB NOT NULL, kind TEXT NOT NULL, amount INTEGER NOT NULL CHECK(amount >= 0),"
	    "  ref BLOB, note TEXT NOT NULL, time INTEGER NOT NULL, PRIMARY KEY(op, idx));"
	    "CREATE INDEX reward_payouts_account ON reward_payouts(account, time);"
	    "CREATE TABLE reward_sessions(session BLOB PRIMARY KEY, op BLOB NOT NULL,"
	    "  time INTEGER NOT NULL, patient BLOB NOT NULL, therapist BLOB NOT NULL,"
	    "  paid_patient INTEGER NOT NULL, paid_therapist INTEGER NOT NULL);"
	    "CREATE TABLE reward_periods(period TEXT PRIMARY KEY, op BLOB NOT NULL,"
	    "  proposal BLOB, time INTEGER NOT NULL, recipients INTEGER NOT NULL,"
	    "  total INTEGER NOT NULL);"},
	{0, NULL},
};

int64_t rewards_pool_free(struct store *st, int64_t now)
{
	struct staking_pool_info p;
	if (staking_pool(st, now, &p, NULL) != MV_OK)
		return 0;
	return p.free;
}

int rewards_record(struct apply_ctx *ctx, const uint8_t account[32], const char *kind,
		   int64_t amount, const uint8_t *ref, const char *note)
{
	static const char idx_sql[] = "SELECT count(*) FROM reward_payouts WHERE op = ?";
	static const char ins_sql[] = "INSERT INTO reward_payouts(op, idx, account, kind, amount, ref,"
				      " note, time) VALUES(?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(ctx->st, idx_sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
	int64_t idx = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	s = store_prep(ctx->st, ins_sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, idx);
	sqlite3_bind_blob(s, 3, account, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, amount);
	if (ref)
		sqlite3_bind_blob(s, 6, ref, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, note ? note : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 8, ctx->now);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "reward_payouts");
}

/* Pay up to `want` from the pool's free balance (*left, updated) to `to`. */
static int pool_pay(struct apply_ctx *ctx, const uint8_t to[32], int64_t want, int64_t *left,
		    const char *kind, const uint8_t *ref, const char *memo, const char *note,
		    int64_t *paid)
{
	uint8_t pool[32];
	int64_t amount = want < *left ? want : *left;
	*paid = amount > 0 ? amount : 0;
	if (*paid == 0)
		return MV_OK;
	op_system_account(pool, SYS_REWARDS);
	int rc = ledger_move(ctx, pool, to, *paid, memo);
	if (rc == MV_OK)
		rc = rewards_record(ctx, to, kind, *paid, ref, note);
	*left -= *paid;
	return rc;
}

static bool session_rewarded(struct store *st, const uint8_t session[32])
{
	static const char sql[] = "SELECT 1 FROM reward_sessions WHERE session = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, session, 32, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}

int rewards_session_settled(struct apply_ctx *ctx, const uint8_t session[32],
			    const uint8_t patient[32], const uint8_t therapist[32])
{
	static const char sql[] = "INSERT INTO reward_sessions(session, op, time, patient, therapist,"
				  " paid_patient, paid_therapist) VALUES(?, ?, ?, ?, ?, ?, ?)";
	if (memcmp(patient, therapist, 32) == 0)
		return ctx_reject(ctx, "session reward: patient and therapist are the same account");
	if (session_rewarded(ctx->st, session))
		return MV_OK; /* a session rewards once */
	if (staking_checkpoint(ctx) != MV_OK)
		return MV_ERR;
	int64_t left = rewards_pool_free(ctx->st, ctx->now), pp = 0, pt = 0;
	int rc = pool_pay(ctx, patient, param_get(ctx->st, "session_reward_patient", 0), &left,
			  "session:patient", session, "session reward (patient)", NULL, &pp);
	if (rc == MV_OK)
		rc = pool_pay(ctx, therapist, param_get(ctx->st, "session_reward_therapist", 0), &left,
			      "session:therapist", session, "session reward (therapist)", NULL,
			      &pt);
	if (rc != MV_OK)
		return rc;
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, session, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ctx->now);
	sqlite3_bind_blob(s, 4, patient, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 5, therapist, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, pp);
	sqlite3_bind_int64(s, 7, pt);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "reward_sessions");
}

static bool period_paid(struct store *st, const char *period)
{
	static const char sql[] = "SELECT 1 FROM reward_periods WHERE period = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_text(s, 1, period, -1, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}

static int cmp_acct(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

/* Check the recipient list; *total gets the checked sum. */
static int distribution_check(struct apply_ctx *ctx, const uint8_t (*accounts)[32],
			      const int64_t *amounts, size_t n, int64_t *total)
{
	uint8_t pool[32];
	op_system_account(pool, SYS_REWARDS);
	if (n == 0 || n > REWARDS_MAX_RECIPIENTS)
		return ctx_reject(ctx, "distribution needs 1..%d recipients", REWARDS_MAX_RECIPIENTS);
	*total = 0;
	for (size_t i = 0; i < n; i++) {
		if (amounts[i] <= 0)
			return ctx_reject(ctx, "distribution amount %zu is not positive", i + 1);
		if (memcmp(accounts[i], pool, 32) == 0)
			return ctx_reject(ctx, "distribution cannot pay the reward pool itself");
		if (!mv_add_i64(*total, amounts[i], total))
			return ctx_reject(ctx, "distribution total overflows");
	}
	uint8_t (*sorted)[32] = malloc(n * 32);
	if (!sorted)
		return mv_fail(&ctx->err, MV_ERR, "out of memory");
	memcpy(sorted, accounts, n * 32);
	qsort(sorted, n, 32, cmp_acct);
	bool dup = false;
	for (size_t i = 1; i < n && !dup; i++)
		dup = memcmp(sorted[i - 1], sorted[i], 32) == 0;
	free(sorted);
	return dup ? ctx_reject(ctx, "distribution lists an account twice") : MV_OK;
}

int rewards_distribute(struct apply_ctx *ctx, const uint8_t *proposal, const char *period,
		       const uint8_t (*accounts)[32], const int64_t *amounts, size_t n)
{
	static const char sql[] = "INSERT INTO reward_periods(period, op, proposal, time, recipients,"
				  " total) VALUES(?, ?, ?, ?, ?, ?)";
	size_t plen = period ? strlen(period) : 0;
	if (plen == 0 || plen > 32 || !mv_utf8_valid((const uint8_t *)period, plen))
		return ctx_reject(ctx, "distribution period must be 1..32 bytes of text");
	if (period_paid(ctx->st, period))
		return ctx_reject(ctx, "period %s was already distributed", period);
	int64_t total = 0;
	int rc = distribution_check(ctx, accounts, amounts, n, &total);
	if (rc != MV_OK)
		return rc;
	if (staking_checkpoint(ctx) != MV_OK)
		return MV_ERR;
	int64_t left = rewards_pool_free(ctx->st, ctx->now);
	if (total > left) {
		char a[40], b[40];
		mv_amount_format(a, sizeof a, total);
		mv_amount_format(b, sizeof b, left);
		return ctx_reject(ctx, "distribution of %s MVT exceeds the free reward pool (%s MVT)", a,
				  b);
	}
	const uint8_t *ref = proposal ? proposal : ctx->op->id;
	char memo[64];
	snprintf(memo, sizeof memo, "community reward %s", period);
	for (size_t i = 0; rc == MV_OK && i < n; i++) {
		int64_t paid;
		rc = pool_pay(ctx, accounts[i], amounts[i], &left, "community", ref, memo, period,
			      &paid);
	}
	if (rc != MV_OK)
		return rc;
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, period, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(s, 2, ctx->op->id, 32, SQLITE_STATIC);
	if (proposal)
		sqlite3_bind_blob(s, 3, proposal, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, ctx->now);
	sqlite3_bind_int64(s, 5, (int64_t)n);
	sqlite3_bind_int64(s, 6, total);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "reward_periods");
}

static const struct op_handler rewards_handlers[] = {
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract rewards_contract = {
	.name = "rewards",
	.summary = "session and community rewards from the reward pool, and every payout's record",
	.migrations = rewards_migrations,
	.handlers = rewards_handlers,
};
