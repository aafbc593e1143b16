/* treasury.c - spending from the treasury (system account SYS_TREASURY),
 * which receives transfer fees and platform cuts.
 *
 * The treasury pays out in exactly two ways:
 *   - an executed governance proposal calls treasury_pay() (any amount);
 *   - a council multi-signature for at most treasury_council_limit, in
 *     one spend and in all council spends paid within any
 *     treasury_council_window (when that parameter is set):
 *     treasury.propose_spend {to, amount, purpose, nonce} by a council
 *     member (who thereby signs it), then treasury.sign {spend} by other
 *     members; the op that brings the count of distinct signers who are
 *     still on the council to council_threshold pays the spend.
 * A proposer's nonce is single-use, so a spend can never be repeated by
 * re-proposing it; a spend is paid at most once; a pending spend expires
 * treasury_spend_ttl (default 30 days) after it was proposed and may be
 * withdrawn by its proposer with treasury.cancel. Every payout is a row of
 * treasury_payouts naming the op that made it. */
#include "../contract.h"
#include "../care.h"
#include "../economy.h"

#include <stdio.h>
#include <string.h>

#define TREASURY_TTL_DEFAULT (INT64_C(30) * 86400000)

static const struct migration treasury_migrations[] = {
	{1, "CREATE TABLE treasury_spends(id BLOB PRIMARY KEY, proposer BLOB NOT NULL,"
	    "  to_acct BLOB NOT NULL, amount INTEGER NOT NULL CHECK(amount > 0),"
	    "  purpose TEXT NOT NULL, nonce INTEGER NOT NULL, created INTEGER NOT NULL,"
	    "  expires INTEGER NOT NULL, status TEXT NOT NULL, closed_at INTEGER, closed_op BLOB);"
	    "CREATE INDEX treasury_spends_status ON treasury_spends(status, created);"
	    "CREATE TABLE treasury_nonces(proposer BLOB NOT NULL, nonce INTEGER NOT NULL,"
	    "  spend BLOB NOT NULL, PRIMARY KEY(proposer, nonce));"
	    "CREATE TABLE treasury_signers(spend BLOB NOT NULL, signer BLOB NOT NULL,"
	    "  op BLOB NOT NULL, time INTEGER NOT NULL, PRIMARY KEY(spend, signer));"
	    "CREATE TABLE treasury_payouts(op BLOB NOT NULL, idx INTEGER NOT NULL,"
	    "  to_acct BLOB NOT NULL, amount INTEGER NOT NULL, purpose TEXT NOT NULL,"
	    "  kind TEXT NOT NULL, spend BLOB, time INTEGER NOT NULL, PRIMARY KEY(op, idx));"},
	{0, NULL},
};

struct spend {
	uint8_t id[32], proposer[32], to[32];
	int64_t amount, nonce, created, expires;
	char purpose[160];
	char status[16];
};

static void fmt_mvt(char *out, size_t n, int64_t v)
{
	char a[40];
	mv_amount_format(a, sizeof a, v);
	snprintf(out, n, "%s MVT", a);
}

static int payout_record(struct apply_ctx *ctx, const uint8_t to[32], int64_t amount,
			 const char *purpose, const char *kind, const uint8_t *spend)
{
	static const char idx_sql[] = "SELECT count(*) FROM treasury_payouts WHERE op = ?";
	static const char ins_sql[] = "INSERT INTO treasury_payouts(op, idx, to_acct, amount, purpose,"
				      " kind, spend, time) VALUES(?, ?, ?, ?, ?, ?, ?, ?)";
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
	sqlite3_bind_blob(s, 3, to, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, amount);
	sqlite3_bind_text(s, 5, purpose, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, kind, -1, SQLITE_STATIC);
	if (spend)
		sqlite3_bind_blob(s, 7, spend, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, ctx->now);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "treasury_payouts");
}

/* Move amount out of the treasury and record it. */
static int treasury_out(struct apply_ctx *ctx, const uint8_t to[32], int64_t amount,
			const char *purpose, const char *kind, const uint8_t *spend)
{
	uint8_t treasury[32];
	char memo[200];
	op_system_account(treasury, SYS_TREASURY);
	if (amount <= 0)
		return ctx_reject(ctx, "treasury payment must be positive");
	if (memcmp(to, treasury, 32) == 0)
		return ctx_reject(ctx, "the treasury cannot pay itself");
	if (!purpose || !purpose[0])
		return ctx_reject(ctx, "a treasury payment needs a purpose");
	snprintf(memo, sizeof memo, "treasury: %s", purpose);
	int rc = ledger_move(ctx, treasury, to, amount, memo);
	return rc == MV_OK ? payout_record(ctx, to, amount, purpose, kind, spend) : rc;
}

int treasury_pay(struct apply_ctx *ctx, const uint8_t to[32], int64_t amount, const char *purpose)
{
	if (purpose && strlen(purpose) > 140)
		return ctx_reject(ctx, "treasury purpose longer than 140 bytes");
	return treasury_out(ctx, to, amount, purpose, "governance", NULL);
}

static int spend_load(struct store *st, const uint8_t id[32], struct spend *sp, struct mv_err *err)
{
	static const char sql[] = "SELECT proposer, to_acct, amount, purpose, nonce, created, expires,"
				  " status FROM treasury_spends WHERE id = ?";
	memset(sp, 0, sizeof *sp);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memcpy(sp->id, id, 32);
		memcpy(sp->proposer, sqlite3_column_blob(s, 0), 32);
		memcpy(sp->to, sqlite3_column_blob(s, 1), 32);
		sp->amount = sqlite3_column_int64(s, 2);
		snprintf(sp->purpose, sizeof sp->purpose, "%s", (const char *)sqlite3_column_text(s, 3));
		sp->nonce = sqlite3_column_int64(s, 4);
		sp->created = sqlite3_column_int64(s, 5);
		sp->expires = sqlite3_column_int64(s, 6);
		snprintf(sp->status, sizeof sp->status, "%s", (const char *)sqlite3_column_text(s, 7));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return MV_ENOTFOUND;
	return rc == SQLITE_ROW ? MV_OK : store_sqlerr(st, err, "treasury_spends");
}

static int spend_close(struct apply_ctx *ctx, const uint8_t id[32], const char *status)
{
	static const char sql[] = "UPDATE treasury_spends SET status = ?, closed_at = ?, closed_op = ?"
				  " WHERE id = ?";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, ctx->now);
	sqlite3_bind_blob(s, 3, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, id, 32, SQLITE_STATIC);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "treasury_spends");
}

/* Signers of a spend who are on the council now. */
static int64_t spend_valid_signers(struct store *st, const uint8_t id[32])
{
	static const char sql[] = "SELECT count(*) FROM treasury_signers s JOIN council c"
				  " ON c.member = s.signer WHERE s.spend = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return 0;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}

static int spend_add_signer(struct apply_ctx *ctx, const uint8_t id[32])
{
	static const char sql[] = "INSERT INTO treasury_signers(spend, signer, op, time)"
				  " VALUES(?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, ctx->now);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT)
		return ctx_reject(ctx, "you already signed this spend");
	return rc == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "treasury_signers");
}

/* What the council paid in the window that ends now (kind 'council' payouts
 * with time in (now - window, now]). */
static int council_paid_since(struct apply_ctx *ctx, int64_t since, int64_t *paid)
{
	static const char sql[] = "SELECT amount FROM treasury_payouts WHERE kind = 'council'"
				  " AND time > ?";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, since);
	int rc;
	*paid = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (!mv_add_i64(*paid, sqlite3_column_int64(s, 0), paid))
			*paid = INT64_MAX;
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "treasury_payouts");
}

/* The council limit: one spend is at most treasury_council_limit and, when
 * treasury_council_window is set, so is the sum of the council's payouts in
 * any window of that length, so a large spend cannot pass as many small
 * ones. Checked at proposal and again at payment (governance may have
 * lowered the limit, other spends may have been paid meanwhile). */
static int spend_check_limit(struct apply_ctx *ctx, int64_t amount)
{
	int64_t limit = param_get(ctx->st, "treasury_council_limit", 0);
	int64_t window = param_get(ctx->st, "treasury_council_window", 0);
	char a[48], l[48];
	fmt_mvt(a, sizeof a, amount);
	fmt_mvt(l, sizeof l, limit);
	if (amount > limit)
		return ctx_reject(ctx, "spend of %s is above the council limit of %s (use a governance "
				  "proposal)", a, l);
	if (window <= 0)
		return MV_OK;
	int64_t paid, total, since;
	if (!mv_add_i64(ctx->now, -window, &since))
		since = INT64_MIN;
	int rc = council_paid_since(ctx, since, &paid);
	if (rc != MV_OK)
		return rc;
	if (!mv_add_i64(paid, amount, &total) || total > limit) {
		char p[48], w[32];
		fmt_mvt(p, sizeof p, paid);
		care_fmt_duration(w, sizeof w, window);
		return ctx_reject(ctx, "spend of %s would bring council spends in the last %s to more "
				  "than the council limit of %s (%s already paid; use a governance "
				  "proposal or wait)", a, w, l, p);
	}
	return MV_OK;
}

/* Pay the spend if enough current council members have signed it. */
static int spend_maybe_pay(struct apply_ctx *ctx, const struct spend *sp)
{
	int64_t threshold = param_get(ctx->st, "council_threshold", 1);
	if (spend_valid_signers(ctx->st, sp->id) < threshold)
		return MV_OK;
	int rc = spend_check_limit(ctx, sp->amount);
	if (rc == MV_OK)
		rc = treasury_out(ctx, sp->to, sp->amount, sp->purpose, "council", sp->id);
	if (rc == MV_OK)
		rc = spend_close(ctx, sp->id, "paid");
	return rc;
}

static int spend_insert(struct apply_ctx *ctx, const struct spend *sp)
{
	static const char nonce_sql[] = "INSERT INTO treasury_nonces(proposer, nonce, spend)"
					" VALUES(?, ?, ?)";
	static const char sql[] = "INSERT INTO treasury_spends(id, proposer, to_acct, amount, purpose,"
				  " nonce, created, expires, status) VALUES(?,?,?,?,?,?,?,?,'pending')";
	sqlite3_stmt *s = store_prep(ctx->st, nonce_sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, sp->proposer, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, sp->nonce);
	sqlite3_bind_blob(s, 3, sp->id, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT)
		return ctx_reject(ctx, "nonce %lld already used by this proposer", (long long)sp->nonce);
	if (rc != SQLITE_DONE)
		return ctx_sqlerr(ctx, "treasury_nonces");
	s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, sp->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, sp->proposer, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, sp->to, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, sp->amount);
	sqlite3_bind_text(s, 5, sp->purpose, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, sp->nonce);
	sqlite3_bind_int64(s, 7, sp->created);
	sqlite3_bind_int64(s, 8, sp->expires);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "treasury_spends");
}

static int treasury_propose(struct apply_ctx *ctx)
{
	struct spend sp;
	struct mv_err e;
	uint8_t treasury[32];
	memset(&sp, 0, sizeof sp);
	if (!council_is_member(ctx->st, ctx->actor))
		return ctx_reject(ctx, "only council members may propose a treasury spend");
	body_id(ctx->body, "to", sp.to, &e);
	body_int(ctx->body, "amount", &sp.amount, &e);
	body_int(ctx->body, "nonce", &sp.nonce, &e);
	body_str(ctx->body, "purpose", sp.purpose, sizeof sp.purpose, &e);
	if (!sp.purpose[0])
		return ctx_reject(ctx, "a treasury spend needs a purpose");
	op_system_account(treasury, SYS_TREASURY);
	if (memcmp(sp.to, treasury, 32) == 0)
		return ctx_reject(ctx, "the treasury cannot pay itself");
	int rc = spend_check_limit(ctx, sp.amount);
	if (rc != MV_OK)
		return rc;
	memcpy(sp.id, ctx->op->id, 32);
	memcpy(sp.proposer, ctx->actor, 32);
	sp.created = ctx->now;
	int64_t ttl = param_get(ctx->st, "treasury_spend_ttl", TREASURY_TTL_DEFAULT);
	if (ttl <= 0 || !mv_add_i64(ctx->now, ttl, &sp.expires))
		sp.expires = INT64_MAX;
	snprintf(sp.status, sizeof sp.status, "pending");
	rc = spend_insert(ctx, &sp);
	if (rc == MV_OK)
		rc = spend_add_signer(ctx, sp.id);
	if (rc == MV_OK)
		rc = spend_maybe_pay(ctx, &sp);
	return rc;
}

/* Load the pending spend named in the body. */
static int spend_pending(struct apply_ctx *ctx, struct spend *sp)
{
	uint8_t id[32];
	struct mv_err e;
	body_id(ctx->body, "spend", id, &e);
	int rc = spend_load(ctx->st, id, sp, &ctx->err);
	if (rc == MV_ENOTFOUND)
		return ctx_reject(ctx, "no such treasury spend");
	if (rc != MV_OK)
		return MV_ERR;
	if (strcmp(sp->status, "pending") != 0)
		return ctx_reject(ctx, "spend already %s", sp->status);
	if (ctx->now >= sp->expires) {
		char t[32];
		mv_time_format_utc(t, sizeof t, sp->expires);
		return ctx_reject(ctx, "spend expired at %s", t);
	}
	return MV_OK;
}

static int treasury_sign(struct apply_ctx *ctx)
{
	struct spend sp;
	if (!council_is_member(ctx->st, ctx->actor))
		return ctx_reject(ctx, "only council members may sign a treasury spend");
	int rc = spend_pending(ctx, &sp);
	if (rc == MV_OK)
		rc = spend_add_signer(ctx, sp.id);
	if (rc == MV_OK)
		rc = spend_maybe_pay(ctx, &sp);
	return rc;
}

static int treasury_cancel(struct apply_ctx *ctx)
{
	struct spend sp;
	int rc = spend_pending(ctx, &sp);
	if (rc != MV_OK)
		return rc;
	if (memcmp(sp.proposer, ctx->actor, 32) != 0)
		return ctx_reject(ctx, "only the proposer may cancel a treasury spend");
	return spend_close(ctx, sp.id, "cancelled");
}

static const struct field_spec propose_fields[] = {
	{"to", F_ACCOUNT, false, 0, 0, 0, NULL, "recipient account"},
	{"amount", F_AMOUNT, false, 1, INT64_MAX, 0, NULL,
	 "MVT to pay (at most treasury_council_limit)"},
	{"purpose", F_STR, false, 0, 0, 140, NULL, "public reason (never health information)"},
	{"nonce", F_INT, false, 1, INT64_MAX, 0, NULL,
	 "a number you have never used for a spend before (makes the spend single-use)"},
	{NULL, 0, false, 0, 0, 0, NULL, NULL},
};

static const struct field_spec spend_fields[] = {
	{"spend", F_ID, false, 0, 0, 0, NULL, "the spend (the id of its treasury.propose_spend op)"},
	{NULL, 0, false, 0, 0, 0, NULL, NULL},
};

static const struct op_handler treasury_handlers[] = {
	{"treasury.propose_spend", "propose (and sign) a council spend from the treasury",
	 "a council member; amount <= treasury_council_limit", propose_fields, treasury_propose},
	{"treasury.sign", "sign a pending treasury spend; the threshold-th signature pays it",
	 "a council member who has not signed it yet", spend_fields, treasury_sign},
	{"treasury.cancel", "withdraw a pending treasury spend",
	 "the spend's proposer", spend_fields, treasury_cancel},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract treasury_contract = {
	.name = "treasury",
	.summary = "council multi-signature spends and governance payments from the treasury",
	.migrations = treasury_migrations,
	.handlers = treasury_handlers,
};
