/* bots.c - what bots may do. A bot is an identity the council registers
 * with user.appoint {role=bot, scopes} (users.c): its scopes are the op
 * kinds it may send ("session.remind", "reminder.*"). This contract adds the
 * users' side and the council's brake:
 *   bot.enable {bot} / bot.disable {bot}   a user lets a bot name them in
 *                                          its ops, or stops it (disable
 *                                          also drops the user's grants);
 *   bot.grant {bot, blob, sealed_key}      a user gives the bot one blob
 *   bot.revoke {bot, blob}                 (the key sealed to the bot);
 *   bot.suspend {bot, reason}              one council member stops a bot
 *                                          at once;
 *   bot.resume {bot}                       council_threshold members
 *                                          restart it.
 * The precheck runs before every op of a bot and rejects it when the bot is
 * suspended, when the op kind is outside its scopes, when the op names a
 * patient or therapist (any account field) who has not enabled the bot
 * (institutions and system accounts need no opt-in), or when it
 * names a blob (any field whose name contains "blob", the sync rule of
 * blobref.h) that belongs to someone's data in state and was not granted to
 * the bot. Tables: bots_enabled, bots_grants, bots_suspended. */
#include "gov_int.h"
#include "people_int.h"
#include "../blob.h"

#include <stdio.h>
#include <string.h>

static const struct migration bots_migrations[] = {
	{1, "CREATE TABLE bots_enabled(bot BLOB NOT NULL, account BLOB NOT NULL,"
	    "  time INTEGER NOT NULL, op BLOB NOT NULL, PRIMARY KEY(bot, account));"
	    "CREATE INDEX bots_enabled_account ON bots_enabled(account, bot);"
	    "CREATE TABLE bots_grants(bot BLOB NOT NULL, blob BLOB NOT NULL, grantor BLOB NOT NULL,"
	    "  sealed_key BLOB NOT NULL, time INTEGER NOT NULL, op BLOB NOT NULL,"
	    "  PRIMARY KEY(bot, blob));"
	    "CREATE INDEX bots_grants_grantor ON bots_grants(grantor, bot);"
	    "CREATE TABLE bots_suspended(bot BLOB PRIMARY KEY, reason TEXT NOT NULL,"
	    "  by_member BLOB NOT NULL, time INTEGER NOT NULL, op BLOB NOT NULL);"},
	{0, NULL},
};

static bool is_enabled(struct store *st, const uint8_t bot[32], const uint8_t account[32])
{
	static const char sql[] = "SELECT 1 FROM bots_enabled WHERE bot = ? AND account = ?";
	return gov_int_ids(st, sql, bot, account, false, 0, 0) != 0;
}

static bool is_granted(struct store *st, const uint8_t bot[32], const uint8_t blob[32])
{
	static const char sql[] = "SELECT 1 FROM bots_grants WHERE bot = ? AND blob = ?";
	return gov_int_ids(st, sql, bot, blob, false, 0, 0) != 0;
}

static bool is_suspended(struct store *st, const uint8_t bot[32], char reason[201])
{
	static const char sql[] = "SELECT reason FROM bots_suspended WHERE bot = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, bot, 32, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	if (yes)
		snprintf(reason, 201, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return yes;
}

/* A blob some state table records as a person's data. */
static bool blob_is_someones(struct store *st, const uint8_t blob[32])
{
	static const char *const sqls[] = {
		"SELECT 1 FROM users_blobs WHERE blob = ?1",
		"SELECT 1 FROM notes WHERE blob = ?1",
		"SELECT 1 FROM sessions_disputes WHERE reason_blob = ?1",
		"SELECT 1 FROM sessions_ratings WHERE comment_blob = ?1",
		"SELECT 1 FROM groups_posts WHERE blob = ?1",
		"SELECT 1 FROM payments_claims WHERE policy_blob = ?1",
		"SELECT 1 FROM access_emergency WHERE detail_blob = ?1",
		"SELECT 1 FROM verify_apps WHERE proof_blob = ?1",
		"SELECT 1 FROM access_mood_shares WHERE blob = ?1",
	};
	for (size_t i = 0; i < sizeof sqls / sizeof *sqls; i++)
		if (gov_int_ids(st, sqls[i], blob, NULL, false, 0, 0))
			return true;
	return false;
}

/* The bot named by field "bot": a current (not dismissed) bot. */
static int load_bot(struct apply_ctx *ctx, uint8_t bot[32])
{
	struct mv_err e;
	body_id(ctx->body, "bot", bot, &e);
	if (people_role(ctx->st, bot) != ROLE_BOT)
		return ctx_reject(ctx, "that account is not a bot");
	return MV_OK;
}

static int user_bot(struct apply_ctx *ctx, uint8_t bot[32])
{
	int rc = access_check(ctx, ctx->actor, ACCESS_OWN_PROFILE, NULL);
	if (rc == MV_OK)
		rc = load_bot(ctx, bot);
	return rc;
}

static int bot_enable(struct apply_ctx *ctx)
{
	static const char sql[] = "INSERT INTO bots_enabled(bot, account, time, op) VALUES(?, ?, ?, ?)";
	uint8_t bot[32];
	int rc = user_bot(ctx, bot);
	if (rc != MV_OK)
		return rc;
	if (is_enabled(ctx->st, bot, ctx->actor))
		return ctx_reject(ctx, "you already enabled this bot");
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, bot, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ctx->now);
	sqlite3_bind_blob(s, 4, ctx->op->id, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "bots_enabled");
}

static int bot_disable(struct apply_ctx *ctx)
{
	static const char *const sqls[] = {
		"DELETE FROM bots_enabled WHERE bot = ?1 AND account = ?2",
		"DELETE FROM bots_grants WHERE bot = ?1 AND grantor = ?2",
	};
	uint8_t bot[32];
	int rc = user_bot(ctx, bot);
	if (rc != MV_OK)
		return rc;
	if (!is_enabled(ctx->st, bot, ctx->actor))
		return ctx_reject(ctx, "this bot is not enabled for you");
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *s = store_prep(ctx->st, sqls[i], &ctx->err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_blob(s, 1, bot, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, ctx->actor, 32, SQLITE_STATIC);
		if (gov_step(ctx, s, "bots") != MV_OK)
			return MV_ERR;
	}
	return access_audit(ctx, ctx->actor, "disabled a bot and revoked its grants");
}

static int bot_grant(struct apply_ctx *ctx)
{
	static const char sql[] = "INSERT INTO bots_grants(bot, blob, grantor, sealed_key, time, op)"
				  " VALUES(?, ?, ?, ?, ?, ?)";
	uint8_t bot[32], blob[32];
	const uint8_t *key;
	size_t kn = 0;
	struct mv_err e;
	int rc = user_bot(ctx, bot);
	if (rc != MV_OK)
		return rc;
	if (!is_enabled(ctx->st, bot, ctx->actor))
		return ctx_reject(ctx, "enable the bot (bot.enable) before granting it data");
	body_id(ctx->body, "blob", blob, &e);
	body_bytes(ctx->body, "sealed_key", &key, &kn, &e);
	if (kn != BLOB_SEALED_LEN)
		return ctx_reject(ctx, "sealed_key must be the blob key sealed to the bot (%d bytes)",
				  BLOB_SEALED_LEN);
	if (is_granted(ctx->st, bot, blob))
		return ctx_reject(ctx, "that blob is already granted to this bot");
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, bot, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, blob, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, key, BLOB_SEALED_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, ctx->now);
	sqlite3_bind_blob(s, 6, ctx->op->id, 32, SQLITE_STATIC);
	if (gov_step(ctx, s, "bots_grants") != MV_OK)
		return MV_ERR;
	return access_audit(ctx, ctx->actor, "granted a bot one blob");
}

static int bot_revoke(struct apply_ctx *ctx)
{
	static const char sql[] = "DELETE FROM bots_grants WHERE bot = ? AND blob = ? AND grantor = ?";
	uint8_t bot[32], blob[32];
	struct mv_err e;
	int rc = user_bot(ctx, bot);
	if (rc != MV_OK)
		return rc;
	body_id(ctx->body, "blob", blob, &e);
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, bot, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, blob, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, ctx->actor, 32, SQLITE_STATIC);
	if (gov_step(ctx, s, "bots_grants") != MV_OK)
		return MV_ERR;
	if (sqlite3_changes(ctx->db) == 0)
		return ctx_reject(ctx, "you granted no such blob to this bot");
	return access_audit(ctx, ctx->actor, "revoked a bot's grant");
}

static int bot_suspend(struct apply_ctx *ctx)
{
	static const char sql[] = "INSERT INTO bots_suspended(bot, reason, by_member, time, op)"
				  " VALUES(?, ?, ?, ?, ?)";
	uint8_t bot[32];
	char reason[201], why[201];
	struct mv_err e;
	int rc = access_check(ctx, ctx->actor, ACCESS_COUNCIL, NULL);
	if (rc == MV_OK)
		rc = load_bot(ctx, bot);
	if (rc != MV_OK)
		return rc;
	body_str(ctx->body, "reason", reason, sizeof reason, &e);
	if (!reason[0])
		return ctx_reject(ctx, "a suspension needs a reason");
	if (is_suspended(ctx->st, bot, why))
		return ctx_reject(ctx, "bot already suspended: %s", why);
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, bot, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, ctx->now);
	sqlite3_bind_blob(s, 5, ctx->op->id, 32, SQLITE_STATIC);
	if (gov_step(ctx, s, "bots_suspended") != MV_OK)
		return MV_ERR;
	return access_audit(ctx, bot, "bot suspended by a council member");
}

static int bot_resume(struct apply_ctx *ctx)
{
	static const char sql[] = "DELETE FROM bots_suspended WHERE bot = ?";
	uint8_t bot[32], topic[32];
	char why[201], summary[300], hx[13];
	bool reached;
	int rc = load_bot(ctx, bot);
	if (rc != MV_OK)
		return rc;
	if (!is_suspended(ctx->st, bot, why))
		return ctx_reject(ctx, "bot is not suspended");
	council_topic(topic, ctx->op->kind, bot, NULL, 0);
	gov_short(hx, bot);
	snprintf(summary, sizeof summary, "resume bot %s (suspended: %s)", hx, why);
	rc = council_sign(ctx, ctx->op->kind, bot, topic, summary, &reached);
	if (rc != MV_OK || !reached)
		return rc;
	rc = council_close(ctx, ctx->op->kind, bot);
	sqlite3_stmt *s = rc == MV_OK ? store_prep(ctx->st, sql, &ctx->err) : NULL;
	if (!s)
		return rc == MV_OK ? MV_ERR : rc;
	sqlite3_bind_blob(s, 1, bot, 32, SQLITE_STATIC);
	if (gov_step(ctx, s, "bots_suspended") != MV_OK)
		return MV_ERR;
	return access_audit(ctx, bot, "bot resumed by the council");
}

/* ---- precheck ------------------------------------------------------------- */

static bool names_blob(const char *key)
{
	return strstr(key, "blob") != NULL;
}

/* Patients and therapists opt in to bots; institutions, the council's
 * members without a role and system accounts need not. */
static bool is_person(struct store *st, const uint8_t who[32])
{
	enum role r = people_role(st, who);
	return r == ROLE_PATIENT || r == ROLE_THERAPIST;
}

/* One value of a field of the op being checked. */
static int check_value(struct apply_ctx *ctx, const char *key, enum field_kind kind,
		       const struct body_value *v)
{
	char hx[13];
	if (v->type != BODY_ID || v->n != 32)
		return MV_OK;
	if ((kind == F_ACCOUNT || kind == F_LIST_ACCOUNT) && memcmp(v->p, ctx->actor, 32) != 0 &&
	    is_person(ctx->st, v->p) && !is_enabled(ctx->st, ctx->actor, v->p)) {
		gov_short(hx, v->p);
		return ctx_reject(ctx, "not allowed: %s has not enabled this bot (field %s)", hx, key);
	}
	if (names_blob(key) && !is_granted(ctx->st, ctx->actor, v->p) &&
	    blob_is_someones(ctx->st, v->p))
		return ctx_reject(ctx, "not allowed: field %s names a blob not granted to this bot", key);
	return MV_OK;
}

static int bots_precheck(struct apply_ctx *ctx)
{
	char why[201];
	if (people_role(ctx->st, ctx->actor) != ROLE_BOT)
		return MV_OK;
	if (is_suspended(ctx->st, ctx->actor, why))
		return ctx_reject(ctx, "not allowed: bot suspended by the council: %s", why);
	if (!people_bot_has_scope(ctx->st, ctx->actor, ctx->op->kind))
		return ctx_reject(ctx, "not allowed: this bot's scopes do not include %s", ctx->op->kind);
	for (size_t i = 0; ctx->handler && ctx->body && i < ctx->body->n; i++) {
		const struct body_field *f = &ctx->body->f[i];
		const struct field_spec *fs = contract_field(ctx->handler, f->key);
		enum field_kind kind = fs ? fs->kind : F_BYTES;
		int rc = check_value(ctx, f->key, kind, &f->v);
		for (size_t k = 0; rc == MV_OK && f->v.type == BODY_LIST && k < f->v.n; k++)
			rc = check_value(ctx, f->key, kind, &f->v.items[k]);
		if (rc != MV_OK)
			return rc;
	}
	return MV_OK;
}

/* ---- the handler table ---------------------------------------------------- */

#define END_FIELDS {NULL, 0, false, 0, 0, 0, NULL, NULL}

static const struct field_spec bot_fields[] = {
	{"bot", F_ACCOUNT, false, 0, 0, 0, NULL, "the bot"},
	END_FIELDS,
};

static const struct field_spec grant_fields[] = {
	{"bot", F_ACCOUNT, false, 0, 0, 0, NULL, "the bot"},
	{"blob", F_ID, false, 0, 0, 0, NULL, "hash of one of your blobs"},
	{"sealed_key", F_BYTES, false, 0, 0, BLOB_SEALED_LEN, NULL, "its key sealed to the bot"},
	END_FIELDS,
};

static const struct field_spec revoke_fields[] = {
	{"bot", F_ACCOUNT, false, 0, 0, 0, NULL, "the bot"},
	{"blob", F_ID, false, 0, 0, 0, NULL, "the blob granted earlier"},
	END_FIELDS,
};

static const struct field_spec suspend_fields[] = {
	{"bot", F_ACCOUNT, false, 0, 0, 0, NULL, "the bot"},
	{"reason", F_STR, false, 0, 0, 200, NULL, "public reason"},
	END_FIELDS,
};

static const struct op_handler bots_handlers[] = {
	{"bot.enable", "let a bot act towards you (name you in its ops)", "a registered account",
	 bot_fields, bot_enable},
	{"bot.disable", "stop a bot acting towards you; drops your grants to it",
	 "a registered account that enabled it", bot_fields, bot_disable},
	{"bot.grant", "give a bot one of your blobs (its key sealed to the bot)",
	 "a registered account that enabled it", grant_fields, bot_grant},
	{"bot.revoke", "take back a blob granted to a bot", "its grantor", revoke_fields, bot_revoke},
	{"bot.suspend", "stop a bot at once (every op it sends is rejected)", "a council member",
	 suspend_fields, bot_suspend},
	{"bot.resume", "restart a suspended bot (council threshold)", "council members", bot_fields,
	 bot_resume},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract bots_contract = {
	.name = "bots",
	.summary = "bot opt-in, blob grants, council suspension, scope enforcement",
	.migrations = bots_migrations,
	.handlers = bots_handlers,
	.precheck = bots_precheck,
};
