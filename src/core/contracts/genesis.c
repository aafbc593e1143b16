/* genesis.c - the first op of a network: its name, council, and every
 * parameter the contracts read (MVT supply and allocations, fees, governance,
 * staking, cancellation, ...). Applying it stores the parameters, seats the
 * council and mints the allocations; the supply never grows afterwards.
 *
 * Body: name (text), council (list of ids), and any number of integer
 * fields, each stored as a parameter of the same name. Required: the
 * parameters in genesis_required[]; alloc_founder + alloc_treasury +
 * alloc_rewards must equal mvt_supply. The founder is the op's author. */
#include "../contract.h"

#include <stdio.h>
#include <string.h>

static const char *const genesis_required[] = {
	"protocol_version", "mvt_decimals", "mvt_supply", "alloc_founder", "alloc_treasury",
	"alloc_rewards", "fee_transfer_bp", "council_threshold", NULL,
};

static const struct migration genesis_migrations[] = {
	{1, "CREATE TABLE params(name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
	    "CREATE TABLE network_info(k TEXT PRIMARY KEY, v TEXT NOT NULL);"
	    "CREATE TABLE council(member BLOB PRIMARY KEY);"},
	{0, NULL},
};

static int genesis_check_params(struct apply_ctx *ctx)
{
	const struct body *b = ctx->body;
	for (const char *const *r = genesis_required; *r; r++) {
		const struct body_value *v = body_get(b, *r);
		if (!v || v->type != BODY_INT)
			return ctx_reject(ctx, "genesis lacks integer parameter %s", *r);
		if (v->i < 0)
			return ctx_reject(ctx, "genesis parameter %s is negative", *r);
	}
	int64_t supply = body_get(b, "mvt_supply")->i, sum = 0;
	if (!mv_add_i64(body_get(b, "alloc_founder")->i, body_get(b, "alloc_treasury")->i, &sum) ||
	    !mv_add_i64(sum, body_get(b, "alloc_rewards")->i, &sum) || sum != supply)
		return ctx_reject(ctx, "genesis allocations do not add up to mvt_supply");
	if (body_get(b, "mvt_decimals")->i != MV_DECIMALS)
		return ctx_reject(ctx, "genesis mvt_decimals must be %d", MV_DECIMALS);
	if (body_get(b, "fee_transfer_bp")->i > 10000)
		return ctx_reject(ctx, "genesis fee_transfer_bp above 10000");
	return MV_OK;
}

static int genesis_store_params(struct apply_ctx *ctx)
{
	const struct body *b = ctx->body;
	for (size_t i = 0; i < b->n; i++) {
		if (b->f[i].v.type != BODY_INT)
			continue;
		if (param_set(ctx->st, b->f[i].key, b->f[i].v.i, &ctx->err) != MV_OK)
			return MV_ERR;
	}
	return MV_OK;
}

static int genesis_seat_council(struct apply_ctx *ctx)
{
	const struct body_value *c = body_get(ctx->body, "council");
	if (!c || c->type != BODY_LIST || c->n == 0)
		return ctx_reject(ctx, "genesis needs a council (list of ids)");
	static const char sql[] = "INSERT INTO council(member) VALUES(?)";
	for (size_t i = 0; i < c->n; i++) {
		if (c->items[i].type != BODY_ID)
			return ctx_reject(ctx, "genesis council entries must be ids");
		sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_blob(s, 1, c->items[i].p, 32, SQLITE_STATIC);
		int rc = sqlite3_step(s);
		if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return ctx_reject(ctx, "genesis council lists a member twice");
		if (rc != SQLITE_DONE)
			return ctx_sqlerr(ctx, "council");
	}
	int64_t t = body_get(ctx->body, "council_threshold")->i;
	if (t < 1 || (size_t)t > c->n)
		return ctx_reject(ctx, "council_threshold must be between 1 and %zu", c->n);
	return MV_OK;
}

static int genesis_set_info(struct apply_ctx *ctx, const char *k, const char *v)
{
	static const char sql[] = "INSERT INTO network_info(k, v) VALUES(?, ?)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, v, -1, SQLITE_TRANSIENT);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "network_info");
}

static int genesis_mint(struct apply_ctx *ctx)
{
	uint8_t acct[32];
	int rc = ledger_mint(ctx, ctx->actor, body_get(ctx->body, "alloc_founder")->i,
			     "genesis: founder allocation");
	op_system_account(acct, SYS_TREASURY);
	if (rc == MV_OK)
		rc = ledger_mint(ctx, acct, body_get(ctx->body, "alloc_treasury")->i,
				 "genesis: treasury allocation");
	op_system_account(acct, SYS_REWARDS);
	if (rc == MV_OK)
		rc = ledger_mint(ctx, acct, body_get(ctx->body, "alloc_rewards")->i,
				 "genesis: reward pool allocation");
	return rc;
}

static int genesis_apply(struct apply_ctx *ctx)
{
	if (param_get(ctx->st, "mvt_supply", -1) >= 0)
		return ctx_reject(ctx, "network already has a genesis");
	char name[129];
	struct mv_err e;
	if (body_str(ctx->body, "name", name, sizeof name, &e) != MV_OK || !name[0])
		return ctx_reject(ctx, "genesis needs a network name (1..128 bytes)");
	int rc = genesis_check_params(ctx);
	if (rc == MV_OK)
		rc = genesis_seat_council(ctx);
	if (rc == MV_OK)
		rc = genesis_store_params(ctx);
	if (rc == MV_OK)
		rc = genesis_set_info(ctx, "name", name);
	if (rc == MV_OK)
		rc = genesis_set_info(ctx, "symbol", "MVT");
	if (rc == MV_OK)
		rc = genesis_mint(ctx);
	return rc;
}

static const struct op_handler genesis_handlers[] = {
	{"genesis", "create the network: name, council, parameters, MVT allocations",
	 "the founder, once, as the first op", NULL, genesis_apply},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract genesis_contract = {
	.name = "genesis",
	.summary = "network parameters, council and initial MVT allocations",
	.migrations = genesis_migrations,
	.handlers = genesis_handlers,
};
