/* ledger.c - MVT balances and transfers.
 *
 * Guarantees: amounts are int64 base units (8 decimals) with overflow-checked
 * arithmetic; no balance is ever negative (the table says so too); the sum of
 * all balances equals the genesis supply at all times, since every move
 * debits exactly what it credits and only genesis mints. Every move is kept
 * in ledger_moves under the op that caused it, so each account's history can
 * be shown and audited. ledger.transfer pays a fee of fee_transfer_bp basis
 * points of the amount (rounded down) to the treasury. */
#include "../contract.h"

#include <stdio.h>
#include <string.h>

static const struct migration ledger_migrations[] = {
	{1, "CREATE TABLE balances(account BLOB PRIMARY KEY,"
	    "  amount INTEGER NOT NULL CHECK(amount >= 0));"
	    "CREATE TABLE ledger_moves(op BLOB NOT NULL, idx INTEGER NOT NULL,"
	    "  from_acct BLOB, to_acct BLOB NOT NULL, amount INTEGER NOT NULL,"
	    "  memo TEXT NOT NULL, time INTEGER NOT NULL, PRIMARY KEY(op, idx));"
	    "CREATE INDEX ledger_moves_from ON ledger_moves(from_acct);"
	    "CREATE INDEX ledger_moves_to ON ledger_moves(to_acct);"},
	{0, NULL},
};

int64_t ledger_balance(struct store *st, const uint8_t account[32])
{
	static const char sql[] = "SELECT amount FROM balances WHERE account = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return 0;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return v;
}

int64_t ledger_fee(struct store *st, int64_t amount)
{
	int64_t fee = 0;
	if (!mv_muldiv_i64(amount, param_get(st, "fee_transfer_bp", 0), 10000, &fee))
		return INT64_MAX;
	return fee;
}

static int ledger_set(struct apply_ctx *ctx, const uint8_t acct[32], int64_t amount)
{
	static const char sql[] = "INSERT INTO balances(account, amount) VALUES(?, ?) "
				  "ON CONFLICT(account) DO UPDATE SET amount = excluded.amount";
	static const char del[] = "DELETE FROM balances WHERE account = ?";
	sqlite3_stmt *s = store_prep(ctx->st, amount ? sql : del, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, acct, 32, SQLITE_STATIC);
	if (amount)
		sqlite3_bind_int64(s, 2, amount);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "balances");
}

static int ledger_record(struct apply_ctx *ctx, const uint8_t *from, const uint8_t to[32],
			 int64_t amount, const char *memo)
{
	static const char ins_sql[] = "INSERT INTO ledger_moves(op, idx, from_acct, to_acct, amount,"
				      " memo, time) VALUES(?, ?, ?, ?, ?, ?, ?)";
	int64_t idx = ctx->moves++;
	sqlite3_stmt *s = store_prep(ctx->st, ins_sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, idx);
	if (from)
		sqlite3_bind_blob(s, 3, from, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, to, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, amount);
	sqlite3_bind_text(s, 6, memo ? memo : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, ctx->now);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "ledger_moves");
}

static void ledger_fmt(char *out, size_t n, int64_t v)
{
	char a[40];
	mv_amount_format(a, sizeof a, v);
	snprintf(out, n, "%s MVT", a);
}

int ledger_move(struct apply_ctx *ctx, const uint8_t from[32], const uint8_t to[32],
		int64_t amount, const char *memo)
{
	if (amount <= 0)
		return ctx_reject(ctx, "amount must be positive");
	if (memcmp(from, to, 32) == 0)
		return ctx_reject(ctx, "cannot move funds to the same account");
	int64_t fb = ledger_balance(ctx->st, from), tb = ledger_balance(ctx->st, to), nt;
	if (fb < amount) {
		char have[48], need[48];
		ledger_fmt(have, sizeof have, fb);
		ledger_fmt(need, sizeof need, amount);
		return ctx_reject(ctx, "insufficient funds: balance %s, needs %s", have, need);
	}
	if (!mv_add_i64(tb, amount, &nt))
		return ctx_reject(ctx, "balance overflow");
	int rc = ledger_set(ctx, from, fb - amount);
	if (rc == MV_OK)
		rc = ledger_set(ctx, to, nt);
	if (rc == MV_OK)
		rc = ledger_record(ctx, from, to, amount, memo);
	return rc;
}

int ledger_mint(struct apply_ctx *ctx, const uint8_t to[32], int64_t amount, const char *memo)
{
	int64_t nt;
	if (amount < 0 || !mv_add_i64(ledger_balance(ctx->st, to), amount, &nt))
		return ctx_reject(ctx, "invalid mint amount");
	if (amount == 0)
		return MV_OK;
	int rc = ledger_set(ctx, to, nt);
	return rc == MV_OK ? ledger_record(ctx, NULL, to, amount, memo) : rc;
}

static int ledger_transfer(struct apply_ctx *ctx)
{
	uint8_t to[32], treasury[32];
	int64_t amount, fee, total;
	char memo[141] = "";
	struct mv_err e;
	body_id(ctx->body, "to", to, &e);
	body_int(ctx->body, "amount", &amount, &e);
	if (body_get(ctx->body, "memo"))
		body_str(ctx->body, "memo", memo, sizeof memo, &e);
	if (memcmp(to, ctx->actor, 32) == 0)
		return ctx_reject(ctx, "cannot transfer to yourself");
	fee = ledger_fee(ctx->st, amount);
	if (!mv_add_i64(amount, fee, &total))
		return ctx_reject(ctx, "amount too large");
	int64_t bal = ledger_balance(ctx->st, ctx->actor);
	if (bal < total) {
		char have[48], need[48];
		ledger_fmt(have, sizeof have, bal);
		ledger_fmt(need, sizeof need, total);
		return ctx_reject(ctx, "insufficient funds: balance %s, needs %s (amount + fee)", have,
				  need);
	}
	int rc = ledger_move(ctx, ctx->actor, to, amount, memo);
	op_system_account(treasury, SYS_TREASURY);
	if (rc == MV_OK && fee > 0 && memcmp(ctx->actor, treasury, 32) != 0)
		rc = ledger_move(ctx, ctx->actor, treasury, fee, "transfer fee");
	return rc;
}

static const struct field_spec transfer_fields[] = {
	{"to", F_ACCOUNT, false, 0, 0, 0, NULL, "recipient account"},
	{"amount", F_AMOUNT, false, 1, INT64_MAX, 0, NULL, "MVT to send (fee is added on top)"},
	{"memo", F_STR, true, 0, 0, 140, NULL, "public note (never put health information here)"},
	{NULL, 0, false, 0, 0, 0, NULL, NULL},
};

static const struct op_handler ledger_handlers[] = {
	{"ledger.transfer", "send MVT to another account; the fee goes to the treasury",
	 "any account holding the amount plus fee", transfer_fields, ledger_transfer},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract ledger_contract = {
	.name = "ledger",
	.summary = "MVT balances, transfers and the history of every move",
	.migrations = ledger_migrations,
	.handlers = ledger_handlers,
};
