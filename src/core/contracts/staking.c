/* staking.c - locking MVT for 30, 90, 180 or 365 days in exchange for a share
 * of the reward pool's emission and for voting power.
 *
 * Ops: staking.stake {amount, period}, staking.unstake {stake} (only once the
 * lock has ended by effective time), staking.claim {stake} (any time). The
 * principal moves to the system account SYS_STAKING; rewards stay in
 * SYS_REWARDS until claimed.
 *
 * Rewards use the reward-per-weighted-token accumulator. A stake of amount a
 * with period weight w_bp carries weight w = floor(a * w_bp / 10000). Between
 * two staking events the pool emits stake_reward_per_day per day, spread over
 * the total weight W; the accumulator `acc` (unsigned 128-bit, in units of
 * 2^-64 base units per unit of weight) grows by
 *     d = ceil(rate * dt * 2^64 / (DAY * W)),  capped at floor(free * 2^64 / W)
 * where dt is in ms of effective time and free is what the pool holds beyond
 * what stakers are already owed. A stake's reward is floor(w * (acc - entry)
 * / 2^64) with entry = acc when it was staked or last claimed. While nothing
 * is staked (W = 0) the accumulator does not move, so those rewards stay in
 * the pool (the Synthetix pitfall sends them nowhere).
 *
 * Solvency: the owed total L = sum w_i * (acc - entry_i) is known exactly as
 * W * acc - wsum (mod 2^128), with wsum = sum w_i * entry_i kept up to date;
 * reserved = ceil(L / 2^64). The cap keeps reserved <= pool balance after
 * every update, each payout is at most its share of L, and the other pool
 * payouts (rewards.c) only spend balance - reserved. Rounding dust (the part
 * of L below one base unit that a payout leaves behind) returns to the free
 * pool. docs/contracts/economy.md proves the bounds. */
#include "../contract.h"
#include "../economy.h"

#include <stdio.h>
#include <string.h>

#define DAY_MS INT64_C(86400000)

typedef unsigned __int128 u128;

/* ---- 128-bit helpers ---------------------------------------------------- */

/* floor(a * b / c) with a 256-bit intermediate; *rem gets the remainder.
 * Returns false if c == 0 or the quotient does not fit 128 bits. */
static bool muldiv_u128(u128 a, u128 b, u128 c, u128 *q, u128 *rem)
{
	uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
	uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
	u128 p00 = (u128)a0 * b0, p01 = (u128)a0 * b1, p10 = (u128)a1 * b0, p11 = (u128)a1 * b1;
	u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
	u128 lo = (mid << 64) | (uint64_t)p00;
	u128 hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
	if (c == 0 || hi >= c)
		return false;
	u128 r = hi, out = 0;
	for (int i = 127; i >= 0; i--) {
		bool carry = (r >> 127) != 0;
		r = (r << 1) | ((lo >> i) & 1);
		if (carry || r >= c) {
			r -= c;
			out |= (u128)1 << i;
		}
	}
	*q = out;
	if (rem)
		*rem = r;
	return true;
}

static void u128_put(uint8_t out[16], u128 v)
{
	mv_put_u64(out, (uint64_t)(v >> 64));
	mv_put_u64(out + 8, (uint64_t)v);
}

static u128 u128_get(const void *p, int n)
{
	if (!p || n != 16)
		return 0;
	const uint8_t *b = p;
	return ((u128)mv_get_u64(b) << 64) | mv_get_u64(b + 8);
}

/* ---- pool state --------------------------------------------------------- */

struct pool {
	u128 acc;   /* reward per unit of weight, x 2^64 */
	u128 wsum;  /* sum over open stakes of weighted * entry (mod 2^128) */
	int64_t total_amount, total_weighted, open_count, last_time;
	bool exists;
};

static const struct migration staking_migrations[] = {
	{1, "CREATE TABLE stakes(id BLOB PRIMARY KEY, owner BLOB NOT NULL,"
	    "  amount INTEGER NOT NULL CHECK(amount > 0), period_days INTEGER NOT NULL,"
	    "  weight_bp INTEGER NOT NULL, weighted INTEGER NOT NULL CHECK(weighted > 0),"
	    "  start INTEGER NOT NULL, lock_end INTEGER NOT NULL, entry BLOB NOT NULL,"
	    "  claimed INTEGER NOT NULL DEFAULT 0, closed_at INTEGER, close_op BLOB);"
	    "CREATE INDEX stakes_owner ON stakes(owner, start);"
	    "CREATE TABLE staking_state(k INTEGER PRIMARY KEY CHECK(k = 1),"
	    "  acc BLOB NOT NULL, wsum BLOB NOT NULL, total_amount INTEGER NOT NULL,"
	    "  total_weighted INTEGER NOT NULL, open_count INTEGER NOT NULL,"
	    "  last_time INTEGER NOT NULL);"},
	{0, NULL},
};

static int pool_load(struct store *st, struct pool *p, struct mv_err *err)
{
	static const char sql[] = "SELECT acc, wsum, total_amount, total_weighted, open_count,"
				  " last_time FROM staking_state WHERE k = 1";
	memset(p, 0, sizeof *p);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		p->acc = u128_get(sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0));
		p->wsum = u128_get(sqlite3_column_blob(s, 1), sqlite3_column_bytes(s, 1));
		p->total_amount = sqlite3_column_int64(s, 2);
		p->total_weighted = sqlite3_column_int64(s, 3);
		p->open_count = sqlite3_column_int64(s, 4);
		p->last_time = sqlite3_column_int64(s, 5);
		p->exists = true;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "staking_state");
}

static int pool_save(struct apply_ctx *ctx, const struct pool *p)
{
	static const char sql[] =
		"INSERT INTO staking_state(k, acc, wsum, total_amount, total_weighted, open_count,"
		" last_time) VALUES(1, ?, ?, ?, ?, ?, ?) ON CONFLICT(k) DO UPDATE SET"
		" acc = excluded.acc, wsum = excluded.wsum, total_amount = excluded.total_amount,"
		" total_weighted = excluded.total_weighted, open_count = excluded.open_count,"
		" last_time = excluded.last_time";
	uint8_t acc[16], wsum[16];
	u128_put(acc, p->acc);
	u128_put(wsum, p->wsum);
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, acc, 16, SQLITE_TRANSIENT);
	sqlite3_bind_blob(s, 2, wsum, 16, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, p->total_amount);
	sqlite3_bind_int64(s, 4, p->total_weighted);
	sqlite3_bind_int64(s, 5, p->open_count);
	sqlite3_bind_int64(s, 6, p->last_time);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "staking_state");
}

/* What open stakes are owed, rounded up to a base unit: ceil((W*acc - wsum)
 * / 2^64). The true value is below 2^127 (it is at most 2^64 times the pool
 * balance), so the wrapping subtraction gives it exactly. */
static int64_t pool_reserved(const struct pool *p)
{
	u128 owed = (u128)(uint64_t)p->total_weighted * p->acc - p->wsum;
	u128 whole = (owed >> 64) + ((uint64_t)owed != 0);
	return whole > (u128)INT64_MAX ? INT64_MAX : (int64_t)whole;
}

static int64_t pool_free(struct store *st, const struct pool *p)
{
	uint8_t rewards[32];
	op_system_account(rewards, SYS_REWARDS);
	int64_t bal = ledger_balance(st, rewards), res = pool_reserved(p);
	return bal > res ? bal - res : 0;
}

/* Move the accumulator from p->last_time to now (see the top comment). Pure
 * computation over the store's current balance and parameters. */
static void pool_advance(struct store *st, struct pool *p, int64_t now)
{
	if (now <= p->last_time)
		return; /* time never runs backwards for the pool */
	int64_t dt = now - p->last_time;
	p->last_time = now;
	int64_t rate = param_get(st, "stake_reward_per_day", 0);
	if (p->total_weighted <= 0 || rate <= 0)
		return; /* nothing staked: the emission stays in the pool */
	int64_t free = pool_free(st, p);
	if (free <= 0)
		return;
	u128 w = (u128)(uint64_t)p->total_weighted;
	u128 cap = ((u128)(uint64_t)free << 64) / w; /* free * 2^64 < 2^127 */
	u128 want = (u128)(uint64_t)rate * (uint64_t)dt, d = cap, rem = 0;
	if (want < (u128)(uint64_t)free * (uint64_t)DAY_MS &&
	    muldiv_u128(want, (u128)1 << 64, (u128)(uint64_t)DAY_MS * w, &d, &rem)) {
		if (rem)
			d++;
		if (d > cap)
			d = cap;
	}
	p->acc += d;
}

/* ---- stakes ------------------------------------------------------------- */

struct stake {
	uint8_t id[32], owner[32];
	int64_t amount, period_days, weight_bp, weighted, start, lock_end, claimed, closed_at;
	bool closed;
	u128 entry;
};

static int stake_load(struct store *st, const uint8_t id[32], struct stake *k, struct mv_err *err)
{
	static const char sql[] = "SELECT owner, amount, period_days, weight_bp, weighted, start,"
				  " lock_end, entry, claimed, closed_at FROM stakes WHERE id = ?";
	memset(k, 0, sizeof *k);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memcpy(k->id, id, 32);
		memcpy(k->owner, sqlite3_column_blob(s, 0), 32);
		k->amount = sqlite3_column_int64(s, 1);
		k->period_days = sqlite3_column_int64(s, 2);
		k->weight_bp = sqlite3_column_int64(s, 3);
		k->weighted = sqlite3_column_int64(s, 4);
		k->start = sqlite3_column_int64(s, 5);
		k->lock_end = sqlite3_column_int64(s, 6);
		k->entry = u128_get(sqlite3_column_blob(s, 7), sqlite3_column_bytes(s, 7));
		k->claimed = sqlite3_column_int64(s, 8);
		k->closed = sqlite3_column_type(s, 9) != SQLITE_NULL;
		k->closed_at = k->closed ? sqlite3_column_int64(s, 9) : 0;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return MV_ENOTFOUND;
	return rc == SQLITE_ROW ? MV_OK : store_sqlerr(st, err, "stakes");
}

/* floor(weighted * (acc - entry) / 2^64); false if it does not fit int64. */
static bool stake_reward(const struct stake *k, const struct pool *p, int64_t *out)
{
	u128 q;
	if (!muldiv_u128((u128)(uint64_t)k->weighted, p->acc - k->entry, (u128)1 << 64, &q, NULL) ||
	    q > (u128)INT64_MAX)
		return false;
	*out = (int64_t)q;
	return true;
}

static int64_t stake_weight_bp(struct store *st, int64_t days)
{
	switch (days) {
	case 30: return param_get(st, "stake_weight_30_bp", 10000);
	case 90: return param_get(st, "stake_weight_90_bp", 12500);
	case 180: return param_get(st, "stake_weight_180_bp", 15000);
	case 365: return param_get(st, "stake_weight_365_bp", 20000);
	default: return -1;
	}
}

static void fmt_mvt(char *out, size_t n, int64_t v)
{
	char a[40];
	mv_amount_format(a, sizeof a, v);
	snprintf(out, n, "%s MVT", a);
}

static int stake_insert(struct apply_ctx *ctx, const struct stake *k)
{
	static const char sql[] = "INSERT INTO stakes(id, owner, amount, period_days, weight_bp,"
				  " weighted, start, lock_end, entry, claimed) VALUES(?,?,?,?,?,?,?,?,?,0)";
	uint8_t entry[16];
	u128_put(entry, k->entry);
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, k->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, k->owner, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, k->amount);
	sqlite3_bind_int64(s, 4, k->period_days);
	sqlite3_bind_int64(s, 5, k->weight_bp);
	sqlite3_bind_int64(s, 6, k->weighted);
	sqlite3_bind_int64(s, 7, k->start);
	sqlite3_bind_int64(s, 8, k->lock_end);
	sqlite3_bind_blob(s, 9, entry, 16, SQLITE_TRANSIENT);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "stakes");
}

/* Write a stake's entry, claimed total and (when closing) its close. */
static int stake_update(struct apply_ctx *ctx, const struct stake *k, bool close)
{
	static const char upd[] = "UPDATE stakes SET entry = ?, claimed = ? WHERE id = ?";
	static const char cls[] = "UPDATE stakes SET entry = ?, claimed = ?, closed_at = ?,"
				  " close_op = ? WHERE id = ?";
	uint8_t entry[16];
	u128_put(entry, k->entry);
	sqlite3_stmt *s = store_prep(ctx->st, close ? cls : upd, &ctx->err);
	if (!s)
		return MV_ERR;
	int i = 1;
	sqlite3_bind_blob(s, i++, entry, 16, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, i++, k->claimed);
	if (close) {
		sqlite3_bind_int64(s, i++, ctx->now);
		sqlite3_bind_blob(s, i++, ctx->op->id, 32, SQLITE_STATIC);
	}
	sqlite3_bind_blob(s, i, k->id, 32, SQLITE_STATIC);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "stakes");
}

int staking_checkpoint(struct apply_ctx *ctx)
{
	struct pool p;
	if (pool_load(ctx->st, &p, &ctx->err) != MV_OK)
		return MV_ERR;
	if (!p.exists)
		return MV_OK; /* nothing was ever staked */
	pool_advance(ctx->st, &p, ctx->now);
	return pool_save(ctx, &p);
}

/* ---- handlers ----------------------------------------------------------- */

static int staking_stake(struct apply_ctx *ctx)
{
	struct stake k;
	struct pool p;
	struct mv_err e;
	uint8_t vault[32];
	char memo[64], a[48];
	memset(&k, 0, sizeof k);
	body_int(ctx->body, "amount", &k.amount, &e);
	body_int(ctx->body, "period", &k.period_days, &e);
	k.weight_bp = stake_weight_bp(ctx->st, k.period_days);
	if (k.weight_bp < 0)
		return ctx_reject(ctx, "period must be 30, 90, 180 or 365 days");
	int64_t min = param_get(ctx->st, "stake_min", MV_UNIT);
	if (k.amount < min) {
		fmt_mvt(a, sizeof a, min);
		return ctx_reject(ctx, "below the minimum stake of %s", a);
	}
	if (!mv_muldiv_i64(k.amount, k.weight_bp, 10000, &k.weighted) || k.weighted <= 0)
		return ctx_reject(ctx, "stake too small to carry any weight");
	if (!mv_add_i64(ctx->now, k.period_days * DAY_MS, &k.lock_end))
		return ctx_reject(ctx, "lock end out of range");
	if (pool_load(ctx->st, &p, &ctx->err) != MV_OK)
		return MV_ERR;
	pool_advance(ctx->st, &p, ctx->now);
	if (!mv_add_i64(p.total_weighted, k.weighted, &p.total_weighted) ||
	    !mv_add_i64(p.total_amount, k.amount, &p.total_amount))
		return ctx_reject(ctx, "total stake overflow");
	memcpy(k.id, ctx->op->id, 32);
	memcpy(k.owner, ctx->actor, 32);
	k.start = ctx->now;
	k.entry = p.acc;
	p.wsum += (u128)(uint64_t)k.weighted * p.acc;
	p.open_count++;
	op_system_account(vault, SYS_STAKING);
	snprintf(memo, sizeof memo, "stake for %lld days", (long long)k.period_days);
	int rc = ledger_move(ctx, ctx->actor, vault, k.amount, memo);
	if (rc == MV_OK)
		rc = stake_insert(ctx, &k);
	if (rc == MV_OK)
		rc = pool_save(ctx, &p);
	return rc;
}

/* Load the stake named in the body, check it is the actor's and open, and
 * bring the pool up to now. */
static int stake_for_actor(struct apply_ctx *ctx, struct stake *k, struct pool *p)
{
	uint8_t id[32];
	struct mv_err e;
	body_id(ctx->body, "stake", id, &e);
	int rc = stake_load(ctx->st, id, k, &ctx->err);
	if (rc == MV_ENOTFOUND)
		return ctx_reject(ctx, "no such stake");
	if (rc != MV_OK)
		return MV_ERR;
	if (memcmp(k->owner, ctx->actor, 32) != 0)
		return ctx_reject(ctx, "not your stake");
	if (k->closed)
		return ctx_reject(ctx, "stake already unstaked");
	if (pool_load(ctx->st, p, &ctx->err) != MV_OK)
		return MV_ERR;
	pool_advance(ctx->st, p, ctx->now);
	return MV_OK;
}

/* Pay the stake's accrued reward (if any) and move its entry to acc. */
static int stake_pay(struct apply_ctx *ctx, struct stake *k, struct pool *p, int64_t *paid)
{
	uint8_t rewards[32];
	int64_t r;
	if (!stake_reward(k, p, &r) || !mv_add_i64(k->claimed, r, &k->claimed))
		return ctx_reject(ctx, "reward overflow");
	*paid = r;
	p->wsum += (u128)(uint64_t)k->weighted * (p->acc - k->entry);
	k->entry = p->acc;
	if (r == 0)
		return MV_OK;
	op_system_account(rewards, SYS_REWARDS);
	int rc = ledger_move(ctx, rewards, k->owner, r, "staking reward");
	return rc == MV_OK ? rewards_record(ctx, k->owner, "staking", r, k->id, NULL) : rc;
}

static int staking_claim(struct apply_ctx *ctx)
{
	struct stake k;
	struct pool p;
	int64_t paid = 0;
	int rc = stake_for_actor(ctx, &k, &p);
	if (rc == MV_OK)
		rc = stake_pay(ctx, &k, &p, &paid);
	if (rc == MV_OK && paid == 0)
		return ctx_reject(ctx, "nothing to claim yet");
	if (rc == MV_OK)
		rc = stake_update(ctx, &k, false);
	if (rc == MV_OK)
		rc = pool_save(ctx, &p);
	return rc;
}

static int staking_unstake(struct apply_ctx *ctx)
{
	struct stake k;
	struct pool p;
	int64_t paid = 0;
	uint8_t vault[32];
	int rc = stake_for_actor(ctx, &k, &p);
	if (rc != MV_OK)
		return rc;
	if (ctx->now < k.lock_end) {
		char t[32];
		mv_time_format_utc(t, sizeof t, k.lock_end);
		return ctx_reject(ctx, "stake locked until %s", t);
	}
	rc = stake_pay(ctx, &k, &p, &paid);
	if (rc != MV_OK)
		return rc;
	p.wsum -= (u128)(uint64_t)k.weighted * k.entry;
	p.total_weighted -= k.weighted;
	p.total_amount -= k.amount;
	p.open_count--;
	op_system_account(vault, SYS_STAKING);
	rc = ledger_move(ctx, vault, k.owner, k.amount, "unstake");
	if (rc == MV_OK)
		rc = stake_update(ctx, &k, true);
	if (rc == MV_OK)
		rc = pool_save(ctx, &p);
	return rc;
}

/* ---- read-only views ---------------------------------------------------- */

int staking_accrued(struct store *st, const uint8_t stake[32], int64_t now, int64_t *out,
		    struct mv_err *err)
{
	struct stake k;
	struct pool p;
	int rc = stake_load(st, stake, &k, err);
	if (rc == MV_ENOTFOUND)
		return mv_fail(err, MV_ENOTFOUND, "no such stake");
	if (rc != MV_OK)
		return rc;
	*out = 0;
	if (k.closed)
		return MV_OK;
	if (pool_load(st, &p, err) != MV_OK)
		return MV_ERR;
	pool_advance(st, &p, now);
	if (!stake_reward(&k, &p, out))
		return mv_fail(err, MV_ERR, "reward overflow");
	return MV_OK;
}

int staking_pool(struct store *st, int64_t now, struct staking_pool_info *out, struct mv_err *err)
{
	struct pool p;
	uint8_t rewards[32], vault[32];
	if (pool_load(st, &p, err) != MV_OK)
		return MV_ERR;
	pool_advance(st, &p, now);
	op_system_account(rewards, SYS_REWARDS);
	op_system_account(vault, SYS_STAKING);
	memset(out, 0, sizeof *out);
	out->balance = ledger_balance(st, rewards);
	out->reserved = pool_reserved(&p);
	out->free = out->balance > out->reserved ? out->balance - out->reserved : 0;
	out->total_staked = ledger_balance(st, vault);
	out->total_weighted = p.total_weighted;
	out->rate_per_day = param_get(st, "stake_reward_per_day", 0);
	out->open_stakes = p.open_count;
	return MV_OK;
}

int64_t staking_weighted_stake(struct store *st, const uint8_t account[32], int64_t now)
{
	static const char sql[] = "SELECT weighted FROM stakes WHERE owner = ? AND start <= ?"
				  " AND (closed_at IS NULL OR closed_at > ?) ORDER BY id";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return 0;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, now);
	int64_t sum = 0;
	while (sqlite3_step(s) == SQLITE_ROW)
		if (!mv_add_i64(sum, sqlite3_column_int64(s, 0), &sum))
			sum = INT64_MAX;
	sqlite3_reset(s);
	return sum;
}

int64_t staking_voting_power(struct store *st, const uint8_t account[32], int64_t now)
{
	int64_t w = staking_weighted_stake(st, account, now), bonus = 0, vp;
	if (w <= 0)
		return 0;
	int64_t bp = param_get(st, "stake_voting_rep_bonus_bp", 2500);
	if (bp <= 0)
		return w;
	if (bp > 1000000)
		bp = 1000000; /* keeps the product below 2^128 whatever governance sets */
	int64_t trust = reputation_trust(st, account, now);
	u128 num = (u128)(uint64_t)w * (uint64_t)trust * (uint64_t)bp; /* < 2^63 * 2^10 * 2^20 */
	u128 b = num / (1000 * 10000);
	bonus = b > (u128)INT64_MAX ? INT64_MAX : (int64_t)b;
	return mv_add_i64(w, bonus, &vp) ? vp : INT64_MAX;
}

/* ---- table -------------------------------------------------------------- */

static const struct field_spec stake_fields[] = {
	{"amount", F_AMOUNT, false, 1, INT64_MAX, 0, NULL,
	 "MVT to lock (at least stake_min, default 1 MVT)"},
	{"period", F_INT, false, 30, 365, 0, NULL,
	 "lock period in days: 30, 90, 180 or 365 (weight 1.0, 1.25, 1.5, 2.0)"},
	{NULL, 0, false, 0, 0, 0, NULL, NULL},
};

static const struct field_spec stake_id_fields[] = {
	{"stake", F_ID, false, 0, 0, 0, NULL, "the stake (the id of its staking.stake op)"},
	{NULL, 0, false, 0, 0, 0, NULL, NULL},
};

static const struct op_handler staking_handlers[] = {
	{"staking.stake", "lock MVT for 30/90/180/365 days to earn pool rewards and voting power",
	 "any account holding the amount", stake_fields, staking_stake},
	{"staking.unstake", "return a stake's principal and its unclaimed rewards once unlocked",
	 "the stake's owner, after its lock end", stake_id_fields, staking_unstake},
	{"staking.claim", "collect a stake's accrued rewards without unstaking",
	 "the stake's owner, any time", stake_id_fields, staking_claim},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract staking_contract = {
	.name = "staking",
	.summary = "stakes, pro-rata pool rewards by period weight, voting power",
	.migrations = staking_migrations,
	.handlers = staking_handlers,
};
