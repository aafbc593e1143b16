/* checkpoints.c - council checkpoints and finality (DESIGN §4).
 *
 * A council member signs `checkpoint {epoch, heads, root, time}`: the head
 * vector of the ops the epoch covers, the state root after applying exactly
 * them, and the time the epoch closes. When council_threshold distinct
 * members have signed the same content (its digest) for the next epoch, that
 * epoch is final: this contract records it in checkpoint_final and the
 * engine moves the covered ops into the finalized prefix (engine.c). A
 * member who signs two different checkpoints for one epoch is recorded in
 * checkpoint_conflicts and their second signature never counts, so two
 * histories can never both finalize (the first digest to reach the
 * threshold in the total order wins; epoch is the primary key). */
#include "../contract.h"
#include "../heads.h"
#include "../checkpoint.h"

#include <sodium.h>
#include <string.h>

static const struct migration checkpoint_migrations[] = {
	{1, "CREATE TABLE checkpoint_content(digest BLOB PRIMARY KEY, epoch INTEGER NOT NULL,"
	    "  heads BLOB NOT NULL, root BLOB NOT NULL, time INTEGER NOT NULL);"
	    "CREATE TABLE checkpoint_sigs(epoch INTEGER NOT NULL, signer BLOB NOT NULL,"
	    "  digest BLOB NOT NULL, op BLOB NOT NULL, PRIMARY KEY(epoch, signer));"
	    "CREATE TABLE checkpoint_conflicts(epoch INTEGER NOT NULL, signer BLOB NOT NULL,"
	    "  digest BLOB NOT NULL, op BLOB NOT NULL, PRIMARY KEY(epoch, signer, digest));"
	    "CREATE TABLE checkpoint_final(epoch INTEGER PRIMARY KEY, digest BLOB NOT NULL,"
	    "  time INTEGER NOT NULL);"},
	{0, NULL},
};

/* digest = BLAKE2b-256("mv-checkpoint" | epoch u64be | heads | root | time u64be) */
static void checkpoint_digest(uint8_t out[32], int64_t epoch, const uint8_t *heads, size_t hn,
		       const uint8_t root[32], int64_t time)
{
	crypto_generichash_state h;
	uint8_t b[8];
	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, (const uint8_t *)"mv-checkpoint", 13);
	mv_put_u64(b, (uint64_t)epoch);
	crypto_generichash_update(&h, b, 8);
	crypto_generichash_update(&h, heads, hn);
	crypto_generichash_update(&h, root, 32);
	mv_put_u64(b, (uint64_t)time);
	crypto_generichash_update(&h, b, 8);
	crypto_generichash_final(&h, out, 32);
}

static int64_t cp_scalar(struct apply_ctx *ctx, const char *sql, int64_t epoch, int64_t dflt)
{
	sqlite3_stmt *s = store_prep(ctx->st, sql, NULL);
	if (!s)
		return dflt;
	if (epoch >= 0)
		sqlite3_bind_int64(s, 1, epoch);
	int64_t v = dflt;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return v;
}

static int cp_exec(struct apply_ctx *ctx, const char *sql, int64_t epoch, const uint8_t *a,
		   const uint8_t *b, const uint8_t *c)
{
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, epoch);
	if (a)
		sqlite3_bind_blob(s, 2, a, 32, SQLITE_STATIC);
	if (b)
		sqlite3_bind_blob(s, 3, b, 32, SQLITE_STATIC);
	if (c)
		sqlite3_bind_blob(s, 4, c, 32, SQLITE_STATIC);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "checkpoint");
}

/* The digest this signer already signed for epoch, if any. */
static bool cp_signed(struct apply_ctx *ctx, int64_t epoch, uint8_t digest[32])
{
	static const char sql[] = "SELECT digest FROM checkpoint_sigs WHERE epoch = ? AND signer = ?";
	sqlite3_stmt *s = store_prep(ctx->st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_int64(s, 1, epoch);
	sqlite3_bind_blob(s, 2, ctx->actor, 32, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	if (yes)
		memcpy(digest, sqlite3_column_blob(s, 0), 32);
	sqlite3_reset(s);
	return yes;
}

static int cp_store_content(struct apply_ctx *ctx, const uint8_t digest[32], int64_t epoch,
			    const uint8_t *heads, size_t hn, const uint8_t root[32], int64_t time)
{
	static const char sql[] = "INSERT INTO checkpoint_content(digest, epoch, heads, root, time) "
				  "VALUES(?, ?, ?, ?, ?) ON CONFLICT(digest) DO NOTHING";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, digest, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, epoch);
	sqlite3_bind_blob(s, 3, heads, (int)hn, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, root, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, time);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "checkpoint content");
}

static int cp_maybe_final(struct apply_ctx *ctx, int64_t epoch, const uint8_t digest[32],
			  int64_t time)
{
	static const char count[] = "SELECT count(*) FROM checkpoint_sigs WHERE epoch = ?1 AND digest = ?2";
	static const char fin[] = "INSERT INTO checkpoint_final(epoch, digest, time) VALUES(?, ?, ?) "
				  "ON CONFLICT(epoch) DO NOTHING";
	sqlite3_stmt *s = store_prep(ctx->st, count, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, epoch);
	sqlite3_bind_blob(s, 2, digest, 32, SQLITE_STATIC);
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (n < param_get(ctx->st, "council_threshold", 1))
		return MV_OK;
	s = store_prep(ctx->st, fin, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, epoch);
	sqlite3_bind_blob(s, 2, digest, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, time);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "checkpoint final");
}

static int checkpoint_apply(struct apply_ctx *ctx)
{
	static const char last_sql[] = "SELECT max(epoch) FROM checkpoint_final";
	static const char time_sql[] = "SELECT time FROM checkpoint_final WHERE epoch = ?";
	static const char sig_sql[] = "INSERT INTO checkpoint_sigs(epoch, signer, digest, op) VALUES(?, ?, ?, ?)";
	static const char conf_sql[] = "INSERT OR IGNORE INTO checkpoint_conflicts(epoch, signer, digest, op) "
				       "VALUES(?, ?, ?, ?)";
	int64_t epoch, time;
	uint8_t root[32], digest[32], prior[32];
	const uint8_t *hp;
	size_t hn;
	struct mv_err e;
	struct heads hv;
	if (!council_is_member(ctx->st, ctx->actor))
		return ctx_reject(ctx, "only council members sign checkpoints");
	body_int(ctx->body, "epoch", &epoch, &e);
	body_int(ctx->body, "time", &time, &e);
	body_id(ctx->body, "root", root, &e);
	body_bytes(ctx->body, "heads", &hp, &hn, &e);
	int64_t last = cp_scalar(ctx, last_sql, -1, 0);
	if (epoch != last + 1)
		return ctx_reject(ctx, "checkpoint for epoch %lld, but the next epoch is %lld",
				  (long long)epoch, (long long)(last + 1));
	if (heads_decode(hp, hn, &hv, &e) != MV_OK)
		return ctx_reject(ctx, "bad heads: %s", e.msg);
	bool empty = hv.n == 0;
	heads_free(&hv);
	if (empty)
		return ctx_reject(ctx, "a checkpoint must cover at least one op");
	if (time > op_clock_ms(ctx->op->clock))
		return ctx_reject(ctx, "checkpoint time lies after the op's own clock");
	if (last && time < cp_scalar(ctx, time_sql, last, 0))
		return ctx_reject(ctx, "checkpoint time before the previous final checkpoint");
	checkpoint_digest(digest, epoch, hp, hn, root, time);
	if (cp_signed(ctx, epoch, prior)) {
		if (memcmp(prior, digest, 32) == 0)
			return ctx_reject(ctx, "already signed this checkpoint");
		/* Evidence of a conflicting signature: kept, never counted. */
		return cp_exec(ctx, conf_sql, epoch, ctx->actor, digest, ctx->op->id);
	}
	if (cp_store_content(ctx, digest, epoch, hp, hn, root, time) != MV_OK ||
	    cp_exec(ctx, sig_sql, epoch, ctx->actor, digest, ctx->op->id) != MV_OK)
		return MV_ERR;
	return cp_maybe_final(ctx, epoch, digest, time);
}

static const struct field_spec checkpoint_fields[] = {
	{"epoch", F_INT, false, 1, INT64_MAX, 0, NULL, "the epoch this checkpoint closes"},
	{"heads", F_BYTES, false, 0, 0, 60000, NULL, "head vector (MVV1) of the ops it covers"},
	{"root", F_ID, false, 0, 0, 0, NULL, "state root after exactly those ops"},
	{"time", F_TIME, false, 0, 0, 0, NULL, "when the epoch closes (ms UTC)"},
	{NULL, 0, false, 0, 0, 0, NULL, NULL},
};

static const struct op_handler checkpoint_handlers[] = {
	{"checkpoint", "sign a checkpoint; at the council threshold its epoch becomes final",
	 "council members (usually their nodes, automatically)", checkpoint_fields, checkpoint_apply},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract checkpoints_contract = {
	.name = "checkpoints",
	.summary = "council-signed checkpoints that make epochs of the log final",
	.migrations = checkpoint_migrations,
	.handlers = checkpoint_handlers,
};

/* ---- reading (checkpoint.h) ------------------------------------------ */

static int cp_row(sqlite3_stmt *s, struct checkpoint *cp)
{
	memset(cp, 0, sizeof *cp);
	cp->epoch = sqlite3_column_int64(s, 0);
	memcpy(cp->digest, sqlite3_column_blob(s, 1), 32);
	if (mv_buf_append(&cp->heads, sqlite3_column_blob(s, 2), (size_t)sqlite3_column_bytes(s, 2)))
		return MV_ERR;
	memcpy(cp->root, sqlite3_column_blob(s, 3), 32);
	cp->time = sqlite3_column_int64(s, 4);
	return MV_OK;
}

int checkpoint_final_get(struct store *st, int64_t epoch, struct checkpoint *cp, struct mv_err *err)
{
	static const char sql[] = "SELECT f.epoch, c.digest, c.heads, c.root, c.time FROM checkpoint_final f "
				  "JOIN checkpoint_content c ON c.digest = f.digest WHERE f.epoch = ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, epoch);
	int rc = sqlite3_step(s) == SQLITE_ROW ? cp_row(s, cp) : MV_ENOTFOUND;
	sqlite3_reset(s);
	if (rc == MV_ENOTFOUND)
		return mv_fail(err, MV_ENOTFOUND, "epoch %lld is not final", (long long)epoch);
	return rc == MV_OK ? MV_OK : mv_fail(err, MV_ERR, "out of memory");
}

int64_t checkpoint_last_final(struct store *st)
{
	static const char sql[] = "SELECT coalesce(max(epoch), 0) FROM checkpoint_final";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	int64_t v = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (s)
		sqlite3_reset(s);
	return v;
}

int checkpoint_proposals(struct store *st, int64_t epoch,
			 int (*cb)(void *ud, const struct checkpoint *cp), void *ud, struct mv_err *err)
{
	static const char sql[] = "SELECT epoch, digest, heads, root, time FROM checkpoint_content "
				  "WHERE epoch = ? ORDER BY digest";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, epoch);
	int rc = MV_OK, stop = 0;
	while (!stop && sqlite3_step(s) == SQLITE_ROW) {
		struct checkpoint cp;
		if (cp_row(s, &cp) != MV_OK) {
			rc = mv_fail(err, MV_ERR, "out of memory");
			break;
		}
		stop = cb(ud, &cp);
		mv_buf_free(&cp.heads);
	}
	sqlite3_reset(s);
	return rc;
}

bool checkpoint_signed_by(struct store *st, int64_t epoch, const uint8_t signer[32])
{
	static const char sql[] = "SELECT 1 FROM checkpoint_sigs WHERE epoch = ? AND signer = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_int64(s, 1, epoch);
	sqlite3_bind_blob(s, 2, signer, 32, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}
