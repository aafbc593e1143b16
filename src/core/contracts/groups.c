/* groups.c - peer-support groups: creation, joining (open, by invitation,
 * by application approved by a moderator or a group vote), leaving,
 * removal, moderators, encrypted group posts and "helpful" marks.
 *
 * Guarantees:
 * - Nobody is put in a group without an op of their own: group.create's
 *   initial_members are invited, and join by group.join; an application is
 *   the applicant's consent to a later approval or group vote.
 * - Posts are readable by members only: each post is encrypted (by the
 *   home, home_groups.c) with the group key of the current key epoch, a
 *   random key sealed to every member (groups_keys). When a member leaves or
 *   is removed the epoch advances with no key ("rotation pending") and
 *   nobody can post until a remaining member sends group.rotate with a new
 *   key sealed to exactly the remaining members: the member who left holds
 *   keys of earlier epochs only and cannot read what comes after.
 * - Membership is kept with join and leave times, so a group proposal can
 *   count the members at its snapshot (governance.c).
 * - A post marked helpful by another member gives its author a weighted
 *   community reputation event (reputation_weighted_event).
 * - An application may carry a message for the moderators: a blob whose key
 *   is sealed to each current moderator (groups_app_messages,
 *   groups_app_keys); nobody else, members included, can read it.
 * Tables: groups_info, groups_members, groups_invites, groups_applications,
 * groups_keys, groups_posts, groups_helpful, groups_app_messages,
 * groups_app_keys. docs/contracts/governance.md
 * lists every op and rejection. */
#include "gov_int.h"
#include "../economy.h"
#include "../blob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct migration groups_migrations[] = {
	{1, "CREATE TABLE groups_info(id BLOB PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	    "  topic TEXT NOT NULL, charter TEXT NOT NULL, join_policy TEXT NOT NULL,"
	    "  stake_weighted INTEGER NOT NULL, quorum_bp INTEGER NOT NULL, creator BLOB NOT NULL,"
	    "  created INTEGER NOT NULL, key_epoch INTEGER NOT NULL, keyed INTEGER NOT NULL,"
	    "  updated INTEGER NOT NULL);"
	    "CREATE TABLE groups_members(grp BLOB NOT NULL, member BLOB NOT NULL, op BLOB NOT NULL,"
	    "  joined INTEGER NOT NULL, how TEXT NOT NULL, moderator INTEGER NOT NULL DEFAULT 0,"
	    "  left_at INTEGER, left_op BLOB, left_how TEXT, PRIMARY KEY(grp, member, op));"
	    "CREATE UNIQUE INDEX groups_members_current ON groups_members(grp, member)"
	    "  WHERE left_at IS NULL;"
	    "CREATE INDEX groups_members_by_member ON groups_members(member, grp);"
	    "CREATE TABLE groups_invites(grp BLOB NOT NULL, invitee BLOB NOT NULL,"
	    "  inviter BLOB NOT NULL, time INTEGER NOT NULL, op BLOB NOT NULL,"
	    "  PRIMARY KEY(grp, invitee));"
	    "CREATE TABLE groups_applications(grp BLOB NOT NULL, applicant BLOB NOT NULL,"
	    "  time INTEGER NOT NULL, op BLOB NOT NULL, PRIMARY KEY(grp, applicant));"
	    "CREATE TABLE groups_keys(grp BLOB NOT NULL, epoch INTEGER NOT NULL,"
	    "  member BLOB NOT NULL, sealed_key BLOB NOT NULL, op BLOB NOT NULL,"
	    "  time INTEGER NOT NULL, PRIMARY KEY(grp, epoch, member));"
	    "CREATE TABLE groups_posts(id BLOB PRIMARY KEY, grp BLOB NOT NULL, author BLOB NOT NULL,"
	    "  blob BLOB NOT NULL, key_epoch INTEGER NOT NULL, time INTEGER NOT NULL,"
	    "  helpful INTEGER NOT NULL DEFAULT 0);"
	    "CREATE INDEX groups_posts_by_group ON groups_posts(grp, time, id);"
	    "CREATE INDEX groups_posts_by_author ON groups_posts(author);"
	    "CREATE TABLE groups_helpful(post BLOB NOT NULL, marker BLOB NOT NULL,"
	    "  time INTEGER NOT NULL, op BLOB NOT NULL, PRIMARY KEY(post, marker));"},
	/* an application's message: a blob whose key is sealed to each moderator
	 * of the time (kept after the decision, so an erasure can purge it) */
	{2, "CREATE TABLE groups_app_messages(op BLOB PRIMARY KEY, grp BLOB NOT NULL,"
	    "  applicant BLOB NOT NULL, message_blob BLOB NOT NULL, time INTEGER NOT NULL);"
	    "CREATE INDEX groups_app_messages_by ON groups_app_messages(applicant, grp);"
	    "CREATE TABLE groups_app_keys(op BLOB NOT NULL, reader BLOB NOT NULL,"
	    "  sealed_key BLOB NOT NULL, PRIMARY KEY(op, reader));"},
	{0, NULL},
};

/* ---- shared helpers (gov_int.h) ------------------------------------------ */

int gov_step(struct apply_ctx *ctx, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, what);
}

static void bind_ids(sqlite3_stmt *s, const uint8_t *a, const uint8_t *b, bool has_t, int64_t t)
{
	if (a)
		sqlite3_bind_blob(s, 1, a, 32, SQLITE_STATIC);
	if (b)
		sqlite3_bind_blob(s, 2, b, 32, SQLITE_STATIC);
	if (has_t)
		sqlite3_bind_int64(s, 3, t);
}

int64_t gov_int_ids(struct store *st, const char *sql, const uint8_t *a, const uint8_t *b,
		    bool has_t, int64_t t, int64_t dflt)
{
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return dflt;
	bind_ids(s, a, b, has_t, t);
	int64_t v = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL
			    ? sqlite3_column_int64(s, 0)
			    : dflt;
	sqlite3_reset(s);
	return v;
}

void gov_short(char out[13], const uint8_t id[32])
{
	char hex[65];
	mv_hex(hex, id, 32);
	memcpy(out, hex, 12);
	out[12] = '\0';
}

int gov_ids_push(struct gov_ids *l, const uint8_t id[32])
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *v = realloc(l->v, cap * 32);
		if (!v)
			return MV_ERR;
		l->v = v;
		l->cap = cap;
	}
	memcpy(l->v[l->n++], id, 32);
	return MV_OK;
}

int gov_ids_collect(struct store *st, const char *sql, const uint8_t *a, const uint8_t *b,
		    bool has_t, int64_t t, struct gov_ids *out, struct mv_err *err)
{
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	bind_ids(s, a, b, has_t, t);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (sqlite3_column_bytes(s, 0) == 32 &&
		    gov_ids_push(out, sqlite3_column_blob(s, 0)) != MV_OK) {
			sqlite3_reset(s);
			return mv_fail(err, MV_ERR, "out of memory");
		}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "collect");
}

void gov_ids_free(struct gov_ids *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* ---- reading groups ------------------------------------------------------- */

void groups_account(const uint8_t group[32], uint8_t out[32])
{
	char name[80], hex[65];
	mv_hex(hex, group, 32);
	snprintf(name, sizeof name, "group:%s", hex);
	op_system_account(out, name);
}

int groups_get(struct store *st, const uint8_t id[32], struct group_info *g, struct mv_err *err)
{
	static const char sql[] = "SELECT creator, name, topic, join_policy, stake_weighted, quorum_bp,"
				  " created, key_epoch, keyed FROM groups_info WHERE id = ?";
	memset(g, 0, sizeof *g);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memcpy(g->id, id, 32);
		memcpy(g->creator, sqlite3_column_blob(s, 0), 32);
		snprintf(g->name, sizeof g->name, "%s", (const char *)sqlite3_column_text(s, 1));
		snprintf(g->topic, sizeof g->topic, "%s", (const char *)sqlite3_column_text(s, 2));
		snprintf(g->join_policy, sizeof g->join_policy, "%s",
			 (const char *)sqlite3_column_text(s, 3));
		g->stake_weighted = sqlite3_column_int(s, 4) != 0;
		g->quorum_bp = sqlite3_column_int64(s, 5);
		g->created = sqlite3_column_int64(s, 6);
		g->key_epoch = sqlite3_column_int64(s, 7);
		g->keyed = sqlite3_column_int(s, 8) != 0;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return MV_ENOTFOUND;
	return rc == SQLITE_ROW ? MV_OK : store_sqlerr(st, err, "groups_info");
}

bool groups_is_member(struct store *st, const uint8_t group[32], const uint8_t who[32])
{
	static const char sql[] = "SELECT 1 FROM groups_members WHERE grp = ? AND member = ?"
				  " AND left_at IS NULL";
	return gov_int_ids(st, sql, group, who, false, 0, 0) != 0;
}

static bool is_moderator(struct store *st, const uint8_t group[32], const uint8_t who[32])
{
	static const char sql[] = "SELECT moderator FROM groups_members WHERE grp = ? AND member = ?"
				  " AND left_at IS NULL";
	return gov_int_ids(st, sql, group, who, false, 0, 0) != 0;
}

bool groups_member_at(struct store *st, const uint8_t group[32], const uint8_t who[32], int64_t t)
{
	static const char sql[] = "SELECT 1 FROM groups_members WHERE grp = ?1 AND member = ?2"
				  " AND joined <= ?3 AND (left_at IS NULL OR left_at > ?3)";
	return gov_int_ids(st, sql, group, who, true, t, 0) != 0;
}

int groups_members_at(struct store *st, const uint8_t group[32], int64_t t, struct gov_ids *out,
		      struct mv_err *err)
{
	static const char sql[] = "SELECT DISTINCT member FROM groups_members WHERE grp = ?1"
				  " AND joined <= ?3 AND (left_at IS NULL OR left_at > ?3) ORDER BY member";
	return gov_ids_collect(st, sql, group, NULL, true, t, out, err);
}

static int64_t member_count(struct store *st, const uint8_t group[32])
{
	static const char sql[] = "SELECT count(*) FROM groups_members WHERE grp = ? AND left_at IS NULL";
	return gov_int_ids(st, sql, group, NULL, false, 0, 0);
}

/* ---- writing -------------------------------------------------------------- */

static int member_add(struct apply_ctx *ctx, const uint8_t group[32], const uint8_t who[32],
		      const char *how, bool moderator)
{
	static const char ins[] = "INSERT INTO groups_members(grp, member, op, joined, how, moderator)"
				  " VALUES(?, ?, ?, ?, ?, ?)";
	static const char inv[] = "DELETE FROM groups_invites WHERE grp = ? AND invitee = ?";
	static const char app[] = "DELETE FROM groups_applications WHERE grp = ? AND applicant = ?";
	if (member_count(ctx->st, group) >= GROUP_MAX_MEMBERS)
		return ctx_reject(ctx, "group is full (%d members)", GROUP_MAX_MEMBERS);
	sqlite3_stmt *s = store_prep(ctx->st, ins, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, group, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, who, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, ctx->now);
	sqlite3_bind_text(s, 5, how, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, moderator);
	int rc = gov_step(ctx, s, "groups_members");
	for (int i = 0; rc == MV_OK && i < 2; i++) {
		s = store_prep(ctx->st, i ? app : inv, &ctx->err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_blob(s, 1, group, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, who, 32, SQLITE_STATIC);
		rc = gov_step(ctx, s, "groups_invites");
	}
	return rc;
}

/* The key epoch advances with no key: nobody posts until group.rotate. */
static int epoch_bump(struct apply_ctx *ctx, const uint8_t group[32])
{
	static const char sql[] = "UPDATE groups_info SET key_epoch = key_epoch + 1, keyed = 0,"
				  " updated = ? WHERE id = ?";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, ctx->now);
	sqlite3_bind_blob(s, 2, group, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "groups_info");
}

/* End who's membership (how: left | removed | erased) and rotate. */
static int member_end(struct apply_ctx *ctx, const uint8_t group[32], const uint8_t who[32],
		      const char *how)
{
	static const char sql[] = "UPDATE groups_members SET left_at = ?, left_op = ?, left_how = ?"
				  " WHERE grp = ? AND member = ? AND left_at IS NULL";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, ctx->now);
	sqlite3_bind_blob(s, 2, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, how, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, group, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 5, who, 32, SQLITE_STATIC);
	int rc = gov_step(ctx, s, "groups_members");
	return rc == MV_OK ? epoch_bump(ctx, group) : rc;
}

static int key_put(struct apply_ctx *ctx, const uint8_t group[32], int64_t epoch,
		   const uint8_t member[32], const uint8_t *sealed)
{
	static const char sql[] = "INSERT INTO groups_keys(grp, epoch, member, sealed_key, op, time)"
				  " VALUES(?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, group, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, epoch);
	sqlite3_bind_blob(s, 3, member, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, sealed, BLOB_SEALED_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(s, 5, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, ctx->now);
	return gov_step(ctx, s, "groups_keys");
}

static bool has_key(struct store *st, const uint8_t group[32], int64_t epoch, const uint8_t who[32])
{
	static const char sql[] = "SELECT 1 FROM groups_keys WHERE grp = ?1 AND member = ?2"
				  " AND epoch = ?3";
	return gov_int_ids(st, sql, group, who, true, epoch, 0) != 0;
}

/* ---- common checks -------------------------------------------------------- */

static int registered(struct apply_ctx *ctx)
{
	return access_check(ctx, ctx->actor, ACCESS_OWN_PROFILE, NULL);
}

/* Load the group named by field `group`. */
static int load_group(struct apply_ctx *ctx, struct group_info *g)
{
	uint8_t id[32];
	struct mv_err e;
	body_id(ctx->body, "group", id, &e);
	int rc = groups_get(ctx->st, id, g, &ctx->err);
	if (rc == MV_ENOTFOUND)
		return ctx_reject(ctx, "no such group");
	return rc == MV_OK ? MV_OK : MV_ERR;
}

static int need_member(struct apply_ctx *ctx, const struct group_info *g)
{
	if (!groups_is_member(ctx->st, g->id, ctx->actor))
		return ctx_reject(ctx, "not allowed: you are not a member of %s", g->name);
	return MV_OK;
}

static int need_moderator(struct apply_ctx *ctx, const struct group_info *g)
{
	if (!is_moderator(ctx->st, g->id, ctx->actor))
		return ctx_reject(ctx, "not allowed: only a moderator of %s may do this (or a group "
				  "vote)", g->name);
	return MV_OK;
}

/* A registered account other than the actor, for invitations and the like. */
static int other_registered(struct apply_ctx *ctx, const uint8_t who[32], const char *what)
{
	if (memcmp(who, ctx->actor, 32) == 0)
		return ctx_reject(ctx, "%s: not yourself", what);
	if (people_role(ctx->st, who) == ROLE_NONE)
		return ctx_reject(ctx, "%s: that account is not registered", what);
	if (compliance_erased(ctx->st, who))
		return ctx_reject(ctx, "%s: that account was erased", what);
	return MV_OK;
}

static int get_text(struct apply_ctx *ctx, const char *field, char *out, size_t outlen,
		    bool required)
{
	struct mv_err e;
	out[0] = '\0';
	if (!body_get(ctx->body, field))
		return MV_OK;
	if (body_str(ctx->body, field, out, outlen, &e) != MV_OK)
		return ctx_reject(ctx, "%s", e.msg);
	if (required && !out[0])
		return ctx_reject(ctx, "%s must not be empty", field);
	return MV_OK;
}

static int invite_put(struct apply_ctx *ctx, const uint8_t group[32], const uint8_t who[32])
{
	static const char sql[] = "INSERT INTO groups_invites(grp, invitee, inviter, time, op)"
				  " VALUES(?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, group, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, who, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, ctx->now);
	sqlite3_bind_blob(s, 5, ctx->op->id, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT)
		return ctx_reject(ctx, "that account is already invited");
	return rc == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "groups_invites");
}

static bool invited(struct store *st, const uint8_t group[32], const uint8_t who[32])
{
	static const char sql[] = "SELECT 1 FROM groups_invites WHERE grp = ? AND invitee = ?";
	return gov_int_ids(st, sql, group, who, false, 0, 0) != 0;
}

static bool applied(struct store *st, const uint8_t group[32], const uint8_t who[32])
{
	static const char sql[] = "SELECT 1 FROM groups_applications WHERE grp = ? AND applicant = ?";
	return gov_int_ids(st, sql, group, who, false, 0, 0) != 0;
}

/* ---- group.create --------------------------------------------------------- */

static int group_insert(struct apply_ctx *ctx, const char *name, const char *topic,
			const char *charter, const char *policy, bool weighted)
{
	static const char sql[] = "INSERT INTO groups_info(id, name, topic, charter, join_policy,"
				  " stake_weighted, quorum_bp, creator, created, key_epoch, keyed, updated)"
				  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, 1, ?9)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, topic, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, charter, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, policy, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, weighted);
	sqlite3_bind_int64(s, 7, param_get(ctx->st, "gov_group_quorum_bp", 2000));
	sqlite3_bind_blob(s, 8, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, ctx->now);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT)
		return ctx_reject(ctx, "a group named '%s' already exists", name);
	return rc == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "groups_info");
}

static int group_create(struct apply_ctx *ctx)
{
	char name[GROUP_NAME_MAX + 1], topic[GROUP_TOPIC_MAX + 1], charter[GROUP_CHARTER_MAX + 1],
		policy[16];
	const struct body_value *init = body_get(ctx->body, "initial_members");
	const uint8_t *sealed;
	size_t sn = 0;
	int64_t weighted = 0;
	struct mv_err e;
	int rc = registered(ctx);
	if (rc == MV_OK)
		rc = get_text(ctx, "name", name, sizeof name, true);
	if (rc == MV_OK)
		rc = get_text(ctx, "topic", topic, sizeof topic, true);
	if (rc == MV_OK)
		rc = get_text(ctx, "charter", charter, sizeof charter, false);
	if (rc == MV_OK)
		rc = get_text(ctx, "join_policy", policy, sizeof policy, true);
	if (rc != MV_OK)
		return rc;
	body_int(ctx->body, "stake_weighted", &weighted, &e);
	body_bytes(ctx->body, "sealed_key", &sealed, &sn, &e);
	if (sn != BLOB_SEALED_LEN)
		return ctx_reject(ctx, "sealed_key must be the group key sealed to you (%d bytes)",
				  BLOB_SEALED_LEN);
	rc = group_insert(ctx, name, topic, charter, policy, weighted != 0);
	if (rc == MV_OK)
		rc = member_add(ctx, ctx->op->id, ctx->actor, "created", true);
	if (rc == MV_OK)
		rc = key_put(ctx, ctx->op->id, 1, ctx->actor, sealed);
	for (size_t i = 0; rc == MV_OK && init && i < init->n; i++) {
		rc = other_registered(ctx, init->items[i].p, "initial_members");
		if (rc == MV_OK)
			rc = invite_put(ctx, ctx->op->id, init->items[i].p);
	}
	return rc;
}

/* ---- joining -------------------------------------------------------------- */

static int group_join(struct apply_ctx *ctx)
{
	struct group_info g;
	int rc = registered(ctx);
	if (rc == MV_OK)
		rc = load_group(ctx, &g);
	if (rc != MV_OK)
		return rc;
	if (groups_is_member(ctx->st, g.id, ctx->actor))
		return ctx_reject(ctx, "already a member of %s", g.name);
	if (invited(ctx->st, g.id, ctx->actor))
		return member_add(ctx, g.id, ctx->actor, "invited", false);
	if (strcmp(g.join_policy, "open") == 0)
		return member_add(ctx, g.id, ctx->actor, "joined", false);
	if (strcmp(g.join_policy, "invite") == 0)
		return ctx_reject(ctx, "%s is by invitation only", g.name);
	return ctx_reject(ctx, "%s admits by application: send group.apply", g.name);
}

/* The optional message of group.apply: message_blob with message_keys, the
 * blob key sealed to each current moderator in ascending key order. */
static int apply_message(struct apply_ctx *ctx, const struct group_info *g)
{
	static const char mods[] = "SELECT member FROM groups_members WHERE grp = ? AND moderator = 1"
				   " AND left_at IS NULL ORDER BY member";
	static const char msg[] = "INSERT INTO groups_app_messages(op, grp, applicant, message_blob,"
				  " time) VALUES(?, ?, ?, ?, ?)";
	static const char key[] = "INSERT INTO groups_app_keys(op, reader, sealed_key) VALUES(?, ?, ?)";
	const struct body_value *blob = body_get(ctx->body, "message_blob"),
				*keys = body_get(ctx->body, "message_keys");
	if (!blob && !keys)
		return MV_OK;
	if (!blob || !keys)
		return ctx_reject(ctx, "message_blob and message_keys go together");
	struct gov_ids m = {0};
	int rc = gov_ids_collect(ctx->st, mods, g->id, NULL, false, 0, &m, &ctx->err);
	if (rc == MV_OK && keys->n != m.n)
		rc = ctx_reject(ctx, "message_keys must hold the message key sealed to each of the %zu "
				"moderators of %s (got %zu)", m.n, g->name, keys->n);
	for (size_t i = 0; rc == MV_OK && i < m.n; i++)
		if (keys->items[i].n != BLOB_SEALED_LEN)
			rc = ctx_reject(ctx, "message key %zu is not %d bytes", i + 1, BLOB_SEALED_LEN);
	sqlite3_stmt *s = rc == MV_OK ? store_prep(ctx->st, msg, &ctx->err) : NULL;
	if (s) {
		sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, g->id, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 3, ctx->actor, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 4, blob->p, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, ctx->now);
		rc = gov_step(ctx, s, "groups_app_messages");
	} else if (rc == MV_OK) {
		rc = MV_ERR;
	}
	for (size_t i = 0; rc == MV_OK && i < m.n; i++) {
		if (!(s = store_prep(ctx->st, key, &ctx->err))) {
			rc = MV_ERR;
			break;
		}
		sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, m.v[i], 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 3, keys->items[i].p, BLOB_SEALED_LEN, SQLITE_STATIC);
		rc = gov_step(ctx, s, "groups_app_keys");
	}
	gov_ids_free(&m);
	return rc;
}

static int group_apply(struct apply_ctx *ctx)
{
	static const char sql[] = "INSERT INTO groups_applications(grp, applicant, time, op)"
				  " VALUES(?, ?, ?, ?)";
	struct group_info g;
	int rc = registered(ctx);
	if (rc == MV_OK)
		rc = load_group(ctx, &g);
	if (rc != MV_OK)
		return rc;
	if (groups_is_member(ctx->st, g.id, ctx->actor))
		return ctx_reject(ctx, "already a member of %s", g.name);
	if (strcmp(g.join_policy, "application") != 0)
		return ctx_reject(ctx, "%s does not take applications (join policy: %s)", g.name,
				  g.join_policy);
	if (invited(ctx->st, g.id, ctx->actor))
		return ctx_reject(ctx, "you are invited to %s: send group.join", g.name);
	if (applied(ctx->st, g.id, ctx->actor))
		return ctx_reject(ctx, "your application to %s is already pending", g.name);
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, g.id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ctx->now);
	sqlite3_bind_blob(s, 4, ctx->op->id, 32, SQLITE_STATIC);
	rc = gov_step(ctx, s, "groups_applications");
	return rc == MV_OK ? apply_message(ctx, &g) : rc;
}

/* Load the group and the account named by `field`, checking moderator. */
static int moderator_on(struct apply_ctx *ctx, const char *field, struct group_info *g,
			uint8_t who[32])
{
	struct mv_err e;
	int rc = load_group(ctx, g);
	if (rc == MV_OK)
		rc = need_moderator(ctx, g);
	body_id(ctx->body, field, who, &e);
	return rc;
}

static int group_approve(struct apply_ctx *ctx)
{
	struct group_info g;
	uint8_t who[32];
	int rc = moderator_on(ctx, "applicant", &g, who);
	if (rc != MV_OK)
		return rc;
	if (!applied(ctx->st, g.id, who))
		return ctx_reject(ctx, "no pending application from that account");
	if (compliance_erased(ctx->st, who))
		return ctx_reject(ctx, "that account was erased");
	return member_add(ctx, g.id, who, "approved", false);
}

static int group_decline(struct apply_ctx *ctx)
{
	static const char sql[] = "DELETE FROM groups_applications WHERE grp = ? AND applicant = ?";
	struct group_info g;
	uint8_t who[32];
	int rc = moderator_on(ctx, "applicant", &g, who);
	if (rc != MV_OK)
		return rc;
	if (!applied(ctx->st, g.id, who))
		return ctx_reject(ctx, "no pending application from that account");
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, g.id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, who, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "groups_applications");
}

static int group_invite(struct apply_ctx *ctx)
{
	struct group_info g;
	uint8_t who[32];
	int rc = moderator_on(ctx, "invitee", &g, who);
	if (rc == MV_OK)
		rc = other_registered(ctx, who, "invitee");
	if (rc != MV_OK)
		return rc;
	if (groups_is_member(ctx->st, g.id, who))
		return ctx_reject(ctx, "that account is already a member");
	return invite_put(ctx, g.id, who);
}

/* ---- leaving -------------------------------------------------------------- */

static int group_leave(struct apply_ctx *ctx)
{
	struct group_info g;
	int rc = load_group(ctx, &g);
	if (rc == MV_OK)
		rc = need_member(ctx, &g);
	return rc == MV_OK ? member_end(ctx, g.id, ctx->actor, "left") : rc;
}

static int group_remove(struct apply_ctx *ctx)
{
	struct group_info g;
	uint8_t who[32];
	int rc = moderator_on(ctx, "member", &g, who);
	if (rc != MV_OK)
		return rc;
	if (memcmp(who, ctx->actor, 32) == 0)
		return ctx_reject(ctx, "to leave a group send group.leave");
	if (!groups_is_member(ctx->st, g.id, who))
		return ctx_reject(ctx, "that account is not a member of %s", g.name);
	if (is_moderator(ctx->st, g.id, who))
		return ctx_reject(ctx, "not allowed: removing a moderator takes a group vote");
	return member_end(ctx, g.id, who, "removed");
}

static int set_moderator(struct apply_ctx *ctx, const uint8_t group[32], const uint8_t who[32],
			 bool on)
{
	static const char sql[] = "UPDATE groups_members SET moderator = ? WHERE grp = ? AND member = ?"
				  " AND left_at IS NULL";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int(s, 1, on);
	sqlite3_bind_blob(s, 2, group, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, who, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "groups_members");
}

static int group_moderator(struct apply_ctx *ctx)
{
	struct group_info g;
	uint8_t who[32];
	int64_t on = 0;
	struct mv_err e;
	int rc = moderator_on(ctx, "member", &g, who);
	if (rc != MV_OK)
		return rc;
	body_int(ctx->body, "moderator", &on, &e);
	if (!groups_is_member(ctx->st, g.id, who))
		return ctx_reject(ctx, "that account is not a member of %s", g.name);
	if (!on && memcmp(who, ctx->actor, 32) != 0)
		return ctx_reject(ctx, "not allowed: a moderator steps down only themselves (removing "
				  "another moderator takes a group vote)");
	if ((is_moderator(ctx->st, g.id, who) ? 1 : 0) == (on ? 1 : 0))
		return ctx_reject(ctx, on ? "already a moderator" : "not a moderator");
	return set_moderator(ctx, g.id, who, on != 0);
}

/* ---- keys ----------------------------------------------------------------- */

/* members must be exactly the current members, in ascending key order. */
static int rotate_members_ok(struct apply_ctx *ctx, const struct group_info *g,
			     const struct body_value *members, const struct body_value *keys)
{
	struct gov_ids cur = {0};
	if (groups_members_at(ctx->st, g->id, INT64_MAX, &cur, &ctx->err) != MV_OK)
		return MV_ERR;
	int rc = MV_OK;
	if (members->n != cur.n)
		rc = ctx_reject(ctx, "members must list the %zu current members (got %zu)", cur.n,
				members->n);
	else if (keys->n != members->n)
		rc = ctx_reject(ctx, "sealed_keys must hold one key per member (%zu, got %zu)",
				members->n, keys->n);
	for (size_t i = 0; rc == MV_OK && i < cur.n; i++) {
		if (memcmp(members->items[i].p, cur.v[i], 32) != 0)
			rc = ctx_reject(ctx, "members must list the current members in key order "
					"(item %zu differs)", i + 1);
		else if (keys->items[i].n != BLOB_SEALED_LEN)
			rc = ctx_reject(ctx, "sealed key %zu is not %d bytes", i + 1, BLOB_SEALED_LEN);
	}
	gov_ids_free(&cur);
	return rc;
}

static int group_rotate(struct apply_ctx *ctx)
{
	static const char upd[] = "UPDATE groups_info SET key_epoch = ?, keyed = 1, updated = ?"
				  " WHERE id = ?";
	struct group_info g;
	const struct body_value *members, *keys;
	size_t nm, nk;
	int64_t epoch;
	struct mv_err e;
	int rc = load_group(ctx, &g);
	if (rc == MV_OK)
		rc = need_member(ctx, &g);
	if (rc != MV_OK)
		return rc;
	body_int(ctx->body, "epoch", &epoch, &e);
	body_list(ctx->body, "members", &members, &nm, &e);
	body_list(ctx->body, "sealed_keys", &keys, &nk, &e);
	int64_t want = g.keyed ? g.key_epoch + 1 : g.key_epoch;
	if (epoch != want)
		return ctx_reject(ctx, "epoch must be %lld (the %s)", (long long)want,
				  g.keyed ? "next epoch" : "pending rotation");
	rc = rotate_members_ok(ctx, &g, body_get(ctx->body, "members"),
			       body_get(ctx->body, "sealed_keys"));
	for (size_t i = 0; rc == MV_OK && i < nm; i++)
		rc = key_put(ctx, g.id, epoch, members[i].p, keys[i].p);
	sqlite3_stmt *s = rc == MV_OK ? store_prep(ctx->st, upd, &ctx->err) : NULL;
	if (rc != MV_OK || !s)
		return rc != MV_OK ? rc : MV_ERR;
	sqlite3_bind_int64(s, 1, epoch);
	sqlite3_bind_int64(s, 2, ctx->now);
	sqlite3_bind_blob(s, 3, g.id, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "groups_info");
}

static int group_key_share(struct apply_ctx *ctx)
{
	struct group_info g;
	uint8_t who[32];
	const uint8_t *sealed;
	size_t sn = 0;
	struct mv_err e;
	int rc = load_group(ctx, &g);
	if (rc == MV_OK)
		rc = need_member(ctx, &g);
	if (rc != MV_OK)
		return rc;
	body_id(ctx->body, "member", who, &e);
	body_bytes(ctx->body, "sealed_key", &sealed, &sn, &e);
	if (sn != BLOB_SEALED_LEN)
		return ctx_reject(ctx, "sealed_key must be %d bytes", BLOB_SEALED_LEN);
	if (!g.keyed)
		return ctx_reject(ctx, "a member left: the key must be rotated (group.rotate), not shared");
	if (!has_key(ctx->st, g.id, g.key_epoch, ctx->actor))
		return ctx_reject(ctx, "you hold no key of the current epoch to share");
	if (!groups_is_member(ctx->st, g.id, who))
		return ctx_reject(ctx, "that account is not a member of %s", g.name);
	if (has_key(ctx->st, g.id, g.key_epoch, who))
		return ctx_reject(ctx, "that member already holds the current key");
	return key_put(ctx, g.id, g.key_epoch, who, sealed);
}

/* ---- posts ---------------------------------------------------------------- */

static int group_post(struct apply_ctx *ctx)
{
	static const char sql[] = "INSERT INTO groups_posts(id, grp, author, blob, key_epoch, time)"
				  " VALUES(?, ?, ?, ?, ?, ?)";
	struct group_info g;
	uint8_t blob[32];
	int64_t epoch;
	struct mv_err e;
	int rc = load_group(ctx, &g);
	if (rc == MV_OK)
		rc = need_member(ctx, &g);
	if (rc != MV_OK)
		return rc;
	body_id(ctx->body, "blob", blob, &e);
	body_int(ctx->body, "key_epoch", &epoch, &e);
	if (!g.keyed)
		return ctx_reject(ctx, "a member left %s: rotate the group key (group.rotate) before "
				  "posting", g.name);
	if (epoch != g.key_epoch)
		return ctx_reject(ctx, "key_epoch must be the current epoch %lld", (long long)g.key_epoch);
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, g.id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, blob, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, epoch);
	sqlite3_bind_int64(s, 6, ctx->now);
	return gov_step(ctx, s, "groups_posts");
}

static int post_helpful(struct apply_ctx *ctx)
{
	static const char get[] = "SELECT grp, author FROM groups_posts WHERE id = ?";
	static const char ins[] = "INSERT INTO groups_helpful(post, marker, time, op) VALUES(?, ?, ?, ?)";
	static const char inc[] = "UPDATE groups_posts SET helpful = helpful + 1 WHERE id = ?";
	uint8_t post[32], group[32], author[32];
	struct mv_err e;
	body_id(ctx->body, "post", post, &e);
	sqlite3_stmt *s = store_prep(ctx->st, get, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, post, 32, SQLITE_STATIC);
	bool found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		memcpy(group, sqlite3_column_blob(s, 0), 32);
		memcpy(author, sqlite3_column_blob(s, 1), 32);
	}
	sqlite3_reset(s);
	if (!found)
		return ctx_reject(ctx, "no such post");
	if (!groups_is_member(ctx->st, group, ctx->actor))
		return ctx_reject(ctx, "not allowed: only members of the post's group mark it helpful");
	if (memcmp(author, ctx->actor, 32) == 0)
		return ctx_reject(ctx, "not allowed: you cannot mark your own post helpful");
	if (!(s = store_prep(ctx->st, ins, &ctx->err)))
		return MV_ERR;
	sqlite3_bind_blob(s, 1, post, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ctx->now);
	sqlite3_bind_blob(s, 4, ctx->op->id, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT)
		return ctx_reject(ctx, "you already marked this post helpful");
	if (rc != SQLITE_DONE)
		return ctx_sqlerr(ctx, "groups_helpful");
	if (!(s = store_prep(ctx->st, inc, &ctx->err)))
		return MV_ERR;
	sqlite3_bind_blob(s, 1, post, 32, SQLITE_STATIC);
	rc = gov_step(ctx, s, "groups_posts");
	if (rc == MV_OK)
		rc = reputation_weighted_event(ctx, ctx->actor, author, REP_COMMUNITY, REP_PTS_HELPFUL,
					       "peer-support post marked helpful");
	return rc;
}

/* ---- actions of executed group proposals (gov_int.h) ---------------------- */

int groups_exec_admit(struct apply_ctx *ctx, const uint8_t group[32], const uint8_t who[32])
{
	if (groups_is_member(ctx->st, group, who))
		return ctx_reject(ctx, "already a member");
	if (!applied(ctx->st, group, who) && !invited(ctx->st, group, who))
		return ctx_reject(ctx, "a group vote admits only an account that applied (or was invited)");
	if (compliance_erased(ctx->st, who))
		return ctx_reject(ctx, "that account was erased");
	return member_add(ctx, group, who, "voted in", false);
}

int groups_exec_remove(struct apply_ctx *ctx, const uint8_t group[32], const uint8_t who[32])
{
	if (!groups_is_member(ctx->st, group, who))
		return ctx_reject(ctx, "that account is not a member");
	return member_end(ctx, group, who, "removed");
}

int groups_exec_moderator(struct apply_ctx *ctx, const uint8_t group[32], const uint8_t who[32],
			  bool on)
{
	if (!groups_is_member(ctx->st, group, who))
		return ctx_reject(ctx, "that account is not a member");
	return set_moderator(ctx, group, who, on);
}

int groups_exec_rule(struct apply_ctx *ctx, const uint8_t group[32], const struct body *a)
{
	static const char *const cols[][2] = {
		{"join_policy", "UPDATE groups_info SET join_policy = ?1, updated = ?2 WHERE id = ?3"},
		{"topic", "UPDATE groups_info SET topic = ?1, updated = ?2 WHERE id = ?3"},
		{"charter", "UPDATE groups_info SET charter = ?1, updated = ?2 WHERE id = ?3"},
		{"stake_weighted", "UPDATE groups_info SET stake_weighted = ?1, updated = ?2 WHERE id = ?3"},
		{"quorum_bp", "UPDATE groups_info SET quorum_bp = ?1, updated = ?2 WHERE id = ?3"},
	};
	int changed = 0;
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		const struct body_value *v = body_get(a, cols[i][0]);
		if (!v)
			continue;
		if (v->type == BODY_STR && i == 1 && v->n == 0)
			return ctx_reject(ctx, "topic must not be empty");
		sqlite3_stmt *s = store_prep(ctx->st, cols[i][1], &ctx->err);
		if (!s)
			return MV_ERR;
		if (v->type == BODY_STR)
			sqlite3_bind_text(s, 1, (const char *)v->p, (int)v->n, SQLITE_STATIC);
		else
			sqlite3_bind_int64(s, 1, v->i);
		sqlite3_bind_int64(s, 2, ctx->now);
		sqlite3_bind_blob(s, 3, group, 32, SQLITE_STATIC);
		if (gov_step(ctx, s, "groups_info") != MV_OK)
			return MV_ERR;
		changed++;
	}
	return changed ? MV_OK : ctx_reject(ctx, "a group rule change must change something");
}

int groups_exec_allocate(struct apply_ctx *ctx, const uint8_t group[32], const uint8_t to[32],
			 int64_t amount, const char *purpose)
{
	uint8_t acct[32];
	char memo[200];
	groups_account(group, acct);
	if (memcmp(acct, to, 32) == 0)
		return ctx_reject(ctx, "a group cannot pay itself");
	snprintf(memo, sizeof memo, "group allocation: %s", purpose);
	return ledger_move(ctx, acct, to, amount, memo);
}

int groups_erase_member(struct apply_ctx *ctx, const uint8_t who[32])
{
	static const char mine[] = "SELECT grp FROM groups_members WHERE member = ? AND left_at IS NULL"
				   " ORDER BY grp";
	static const char drop[] = "DELETE FROM groups_helpful WHERE marker = ?1 OR post IN"
				   " (SELECT id FROM groups_posts WHERE author = ?1)";
	static const char posts[] = "DELETE FROM groups_posts WHERE author = ?";
	static const char rest[] = "DELETE FROM groups_invites WHERE invitee = ?1;";
	static const char apps[] = "DELETE FROM groups_applications WHERE applicant = ?";
	static const char keys[] = "DELETE FROM groups_keys WHERE member = ?";
	static const char msgk[] = "DELETE FROM groups_app_keys WHERE reader = ?1 OR op IN"
				   " (SELECT op FROM groups_app_messages WHERE applicant = ?1)";
	static const char msgs[] = "DELETE FROM groups_app_messages WHERE applicant = ?";
	struct gov_ids l = {0};
	int rc = gov_ids_collect(ctx->st, mine, who, NULL, false, 0, &l, &ctx->err);
	for (size_t i = 0; rc == MV_OK && i < l.n; i++)
		rc = member_end(ctx, l.v[i], who, "erased");
	gov_ids_free(&l);
	const char *const sqls[] = {drop, posts, rest, apps, keys, msgk, msgs};
	for (size_t i = 0; rc == MV_OK && i < sizeof sqls / sizeof sqls[0]; i++) {
		sqlite3_stmt *s = store_prep(ctx->st, sqls[i], &ctx->err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_blob(s, 1, who, 32, SQLITE_STATIC);
		rc = gov_step(ctx, s, "groups");
	}
	return rc;
}

/* ---- the handler table ---------------------------------------------------- */

#define END_FIELDS {NULL, 0, false, 0, 0, 0, NULL, NULL}

static const struct field_spec create_fields[] = {
	{"name", F_STR, false, 0, 0, GROUP_NAME_MAX, NULL, "public name, unique on the network"},
	{"topic", F_STR, false, 0, 0, GROUP_TOPIC_MAX, NULL, "public topic (anxiety, grief, ...)"},
	{"charter", F_STR, true, 0, 0, GROUP_CHARTER_MAX, NULL, "public rules of the group"},
	{"join_policy", F_ENUM, false, 0, 0, 0, "open|invite|application",
	 "open: anyone joins; invite: moderators invite; application: a moderator or a vote admits"},
	{"initial_members", F_LIST_ACCOUNT, true, 0, 0, 64, NULL,
	 "accounts invited at once (they join with group.join)"},
	{"stake_weighted", F_BOOL, true, 0, 0, 0, NULL,
	 "1: group votes count staking voting power (default: one member, one vote)"},
	{"sealed_key", F_BYTES, false, 0, 0, BLOB_SEALED_LEN, NULL,
	 "the first group key sealed to you (home_groups_create makes it)"},
	END_FIELDS,
};

static const struct field_spec group_fields[] = {
	{"group", F_ID, false, 0, 0, 0, NULL, "the group (its group.create op id)"},
	END_FIELDS,
};

static const struct field_spec apply_fields[] = {
	{"group", F_ID, false, 0, 0, 0, NULL, "the group"},
	{"message_blob", F_ID, true, 0, 0, 0, NULL,
	 "hash of a short message to the moderators, encrypted (home_groups_apply)"},
	{"message_keys", F_LIST_BYTES, true, 0, 0, 64, NULL,
	 "the message's blob key sealed to each current moderator, in ascending key order"},
	END_FIELDS,
};

static const struct field_spec applicant_fields[] = {
	{"group", F_ID, false, 0, 0, 0, NULL, "the group"},
	{"applicant", F_ACCOUNT, false, 0, 0, 0, NULL, "the account that applied"},
	END_FIELDS,
};

static const struct field_spec invite_fields[] = {
	{"group", F_ID, false, 0, 0, 0, NULL, "the group"},
	{"invitee", F_ACCOUNT, false, 0, 0, 0, NULL, "a registered account to invite"},
	END_FIELDS,
};

static const struct field_spec remove_fields[] = {
	{"group", F_ID, false, 0, 0, 0, NULL, "the group"},
	{"member", F_ACCOUNT, false, 0, 0, 0, NULL, "the member to remove"},
	{"reason", F_STR, true, 0, 0, 200, NULL, "public reason"},
	END_FIELDS,
};

static const struct field_spec moderator_fields[] = {
	{"group", F_ID, false, 0, 0, 0, NULL, "the group"},
	{"member", F_ACCOUNT, false, 0, 0, 0, NULL, "a member"},
	{"moderator", F_BOOL, false, 0, 0, 0, NULL, "1: make moderator; 0: step down (yourself)"},
	END_FIELDS,
};

static const struct field_spec rotate_fields[] = {
	{"group", F_ID, false, 0, 0, 0, NULL, "the group"},
	{"epoch", F_INT, false, 1, INT64_MAX, 0, NULL, "the new key epoch"},
	{"members", F_LIST_ACCOUNT, false, 0, 0, GROUP_MAX_MEMBERS, NULL,
	 "every current member, in ascending key order"},
	{"sealed_keys", F_LIST_BYTES, false, 0, 0, GROUP_MAX_MEMBERS, NULL,
	 "the new group key sealed to each member, same order"},
	END_FIELDS,
};

static const struct field_spec share_fields[] = {
	{"group", F_ID, false, 0, 0, 0, NULL, "the group"},
	{"member", F_ACCOUNT, false, 0, 0, 0, NULL, "a member without the current key"},
	{"sealed_key", F_BYTES, false, 0, 0, BLOB_SEALED_LEN, NULL,
	 "the current group key sealed to that member"},
	END_FIELDS,
};

static const struct field_spec post_fields[] = {
	{"group", F_ID, false, 0, 0, 0, NULL, "the group"},
	{"blob", F_ID, false, 0, 0, 0, NULL, "hash of the post encrypted with the group key"},
	{"key_epoch", F_INT, false, 1, INT64_MAX, 0, NULL, "the key epoch it is encrypted under"},
	END_FIELDS,
};

static const struct field_spec helpful_fields[] = {
	{"post", F_ID, false, 0, 0, 0, NULL, "the post (its group.post op id)"},
	END_FIELDS,
};

static const struct op_handler groups_handlers[] = {
	{"group.create", "create a peer-support group (you become its first moderator)",
	 "a registered account", create_fields, group_create},
	{"group.join", "join an open group, or a group you were invited to",
	 "a registered account", group_fields, group_join},
	{"group.apply", "apply to join a group that admits by application (with a message for "
	 "its moderators)", "a registered account", apply_fields, group_apply},
	{"group.approve", "admit an applicant", "a moderator of the group", applicant_fields,
	 group_approve},
	{"group.decline", "decline an application", "a moderator of the group", applicant_fields,
	 group_decline},
	{"group.invite", "invite an account to the group", "a moderator of the group", invite_fields,
	 group_invite},
	{"group.leave", "leave a group (its key rotates)", "a member", group_fields, group_leave},
	{"group.remove", "remove a member (its key rotates)", "a moderator (not about a moderator)",
	 remove_fields, group_remove},
	{"group.moderator", "make a member moderator, or step down yourself",
	 "a moderator of the group", moderator_fields, group_moderator},
	{"group.rotate", "start a new key epoch: the group key sealed to every current member",
	 "a member", rotate_fields, group_rotate},
	{"group.key_share", "give a member without it the current group key",
	 "a member holding the current key", share_fields, group_key_share},
	{"group.post", "post to the group (encrypted with the current group key)", "a member",
	 post_fields, group_post},
	{"post.helpful", "mark another member's post helpful (community reputation)",
	 "a member of the post's group, not its author, once", helpful_fields, post_helpful},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract groups_contract = {
	.name = "groups",
	.summary = "peer-support groups, membership, rotating group keys, encrypted posts",
	.migrations = groups_migrations,
	.handlers = groups_handlers,
};
