/* upgrades.c - protocol versions. The genesis parameter protocol_version is
 * the network's first version; an executed upgrade proposal (governance.c,
 * action upgrade.activate {version, epoch}) schedules a higher version in
 * upgrades_schedule, in force from the first op ordered after checkpoint
 * epoch `epoch` became final (epoch 0, or one already final: at once).
 *
 * This binary implements MV_PROTOCOL_VERSION (gov.h). The precheck below
 * runs before every op: once a version above that is in force, every op is
 * rejected with "upgrade required: protocol V active since epoch E". The
 * log still accepts and stores every op (log.c knows nothing of versions),
 * so after upgrading the binary a replay (verify, or the undo/redo of the
 * tentative tail) applies them with the new rules: the old binary stops
 * applying ops meaningfully instead of diverging silently, and it says why.
 * Whether a version is in force depends only on contract state at the op's
 * position in the order (checkpoint_final and upgrades_schedule), so every
 * node with the same binary agrees. */
#include "gov_int.h"
#include "../checkpoint.h"

#include <stdio.h>
#include <string.h>

static const struct migration upgrades_migrations[] = {
	{1, "CREATE TABLE upgrades_schedule(version INTEGER PRIMARY KEY, epoch INTEGER NOT NULL,"
	    "  proposal BLOB NOT NULL, op BLOB NOT NULL, time INTEGER NOT NULL);"},
	{0, NULL},
};

/* The highest version in force at this point of the order, with the epoch
 * it took effect from (0 for the genesis version). */
static int64_t active_version(struct store *st, int64_t *since)
{
	static const char sql[] = "SELECT version, epoch FROM upgrades_schedule WHERE epoch <= ?"
				  " ORDER BY version DESC LIMIT 1";
	int64_t v = param_get(st, "protocol_version", 1), e = 0;
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (s) {
		sqlite3_bind_int64(s, 1, checkpoint_last_final(st));
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) > v) {
			v = sqlite3_column_int64(s, 0);
			e = sqlite3_column_int64(s, 1);
		}
		sqlite3_reset(s);
	}
	if (since)
		*since = e;
	return v;
}

void upgrades_status(struct store *st, struct upgrade_status *out)
{
	static const char next[] = "SELECT version, epoch FROM upgrades_schedule WHERE epoch > ?"
				   " ORDER BY version LIMIT 1";
	memset(out, 0, sizeof *out);
	out->binary_version = MV_PROTOCOL_VERSION;
	out->active_version = active_version(st, &out->active_since);
	out->required = out->active_version > MV_PROTOCOL_VERSION;
	sqlite3_stmt *s = store_prep(st, next, NULL);
	if (s) {
		sqlite3_bind_int64(s, 1, checkpoint_last_final(st));
		if (sqlite3_step(s) == SQLITE_ROW) {
			out->next_version = sqlite3_column_int64(s, 0);
			out->next_epoch = sqlite3_column_int64(s, 1);
		}
		sqlite3_reset(s);
	}
	if (out->required)
		snprintf(out->message, sizeof out->message,
			 "upgrade required: protocol %lld active since epoch %lld (this program "
			 "implements %d)", (long long)out->active_version, (long long)out->active_since,
			 MV_PROTOCOL_VERSION);
}

int upgrades_activate(struct apply_ctx *ctx, int64_t version, int64_t epoch,
		      const uint8_t proposal[32])
{
	static const char top[] = "SELECT max(version) FROM upgrades_schedule";
	static const char ins[] = "INSERT INTO upgrades_schedule(version, epoch, proposal, op, time)"
				  " VALUES(?, ?, ?, ?, ?)";
	int64_t latest = gov_int_ids(ctx->st, top, NULL, NULL, false, 0, 0);
	int64_t genesis = param_get(ctx->st, "protocol_version", 1);
	if (genesis > latest)
		latest = genesis;
	if (version <= latest)
		return ctx_reject(ctx, "version %lld is not above the active or scheduled version %lld",
				  (long long)version, (long long)latest);
	if (epoch < 0)
		return ctx_reject(ctx, "epoch must not be negative");
	sqlite3_stmt *s = store_prep(ctx->st, ins, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, version);
	sqlite3_bind_int64(s, 2, epoch);
	sqlite3_bind_blob(s, 3, proposal, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, ctx->now);
	return gov_step(ctx, s, "upgrades_schedule");
}

/* One lookup per op: the version in force, without the epoch it took effect
 * from (only a rejection needs that). */
static int64_t version_in_force(struct store *st)
{
	static const char sql[] =
		"SELECT max(coalesce((SELECT value FROM params WHERE name = 'protocol_version'), 1),"
		" coalesce((SELECT max(version) FROM upgrades_schedule WHERE epoch <="
		" (SELECT coalesce(max(epoch), 0) FROM checkpoint_final)), 0))";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return active_version(st, NULL);
	int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 1;
	sqlite3_reset(s);
	return v;
}

static int upgrades_precheck(struct apply_ctx *ctx)
{
	int64_t since;
	if (version_in_force(ctx->st) <= MV_PROTOCOL_VERSION)
		return MV_OK;
	int64_t v = active_version(ctx->st, &since);
	if (v > MV_PROTOCOL_VERSION)
		return ctx_reject(ctx, "upgrade required: protocol %lld active since epoch %lld",
				  (long long)v, (long long)since);
	return MV_OK;
}

const struct contract upgrades_contract = {
	.name = "upgrades",
	.summary = "protocol versions: scheduled by governance, enforced before every op",
	.migrations = upgrades_migrations,
	.handlers = NULL,
	.precheck = upgrades_precheck,
};
