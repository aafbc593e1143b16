/* users.c - who is on the network: self-registration of patients and
 * therapists, council-appointed institutions (insurers, regulators, bots),
 * public profiles and privacy settings, private profiles in encrypted blobs
 * shared with named readers, and social recovery by guardians.
 *
 * Guarantees:
 * - A key registers once; nobody can give themselves a role other than
 *   patient or therapist (an applicant until verify.c approves a license).
 *   Insurer, regulator and bot identities exist only when council_threshold
 *   distinct council members signed the same user.appoint request.
 * - A patient's public record holds a pseudonym, a jurisdiction and
 *   languages, nothing else: personal details live only in the private blob
 *   (its hash and the blob key sealed to each reader are all that the state
 *   holds).
 * - Recovery: when `threshold` guardians approved the same new key, the
 *   account moves to it (account_rekey): the account id stays, so balances,
 *   roles and relations follow, and the old key's later ops are rejected by
 *   the engine.
 * Also home of the council pending-approval tables other people contracts
 * share (people_int.h). */
#include "people_int.h"

#include <stdio.h>
#include <string.h>

static const struct migration users_migrations[] = {
	{1, "CREATE TABLE users(account BLOB PRIMARY KEY, key BLOB NOT NULL, role TEXT NOT NULL,"
	    "  display_name TEXT NOT NULL, jurisdiction TEXT NOT NULL, bio TEXT NOT NULL DEFAULT '',"
	    "  languages TEXT NOT NULL DEFAULT '', scopes TEXT NOT NULL DEFAULT '',"
	    "  appointed INTEGER NOT NULL DEFAULT 0, dismissed INTEGER NOT NULL DEFAULT 0,"
	    "  created INTEGER NOT NULL, updated INTEGER NOT NULL, op BLOB NOT NULL);"
	    "CREATE INDEX users_role ON users(role, account);"
	    "CREATE TABLE users_privacy(account BLOB PRIMARY KEY, listed INTEGER NOT NULL,"
	    "  who_may_contact TEXT NOT NULL, share_mood INTEGER NOT NULL,"
	    "  share_insurer INTEGER NOT NULL);"
	    "CREATE TABLE users_blobs(account BLOB NOT NULL, what TEXT NOT NULL, blob BLOB NOT NULL,"
	    "  updated INTEGER NOT NULL, PRIMARY KEY(account, what));"
	    "CREATE TABLE users_shares(account BLOB NOT NULL, what TEXT NOT NULL, reader BLOB NOT NULL,"
	    "  sealed_key BLOB NOT NULL, op BLOB NOT NULL, time INTEGER NOT NULL,"
	    "  PRIMARY KEY(account, what, reader));"
	    "CREATE INDEX users_shares_reader ON users_shares(reader);"
	    "CREATE TABLE users_guardians(account BLOB NOT NULL, guardian BLOB NOT NULL,"
	    "  PRIMARY KEY(account, guardian));"
	    "CREATE INDEX users_guardians_g ON users_guardians(guardian);"
	    "CREATE TABLE users_recovery(account BLOB PRIMARY KEY, threshold INTEGER NOT NULL,"
	    "  updated INTEGER NOT NULL);"
	    "CREATE TABLE users_recovery_votes(account BLOB NOT NULL, new_key BLOB NOT NULL,"
	    "  guardian BLOB NOT NULL, op BLOB NOT NULL, time INTEGER NOT NULL,"
	    "  PRIMARY KEY(account, new_key, guardian));"
	    "CREATE TABLE users_recoveries(account BLOB NOT NULL, op BLOB NOT NULL,"
	    "  old_key BLOB NOT NULL, new_key BLOB NOT NULL, time INTEGER NOT NULL,"
	    "  PRIMARY KEY(account, op));"
	    "CREATE TABLE council_requests(topic BLOB PRIMARY KEY, kind TEXT NOT NULL,"
	    "  subject BLOB NOT NULL, summary TEXT NOT NULL, body BLOB NOT NULL,"
	    "  created INTEGER NOT NULL, first_op BLOB NOT NULL);"
	    "CREATE INDEX council_requests_subject ON council_requests(kind, subject);"
	    "CREATE TABLE council_votes(topic BLOB NOT NULL, member BLOB NOT NULL, op BLOB NOT NULL,"
	    "  time INTEGER NOT NULL, PRIMARY KEY(topic, member));"},
	{2, "CREATE INDEX users_key ON users(key);"},
	{0, NULL},
};

#define USERS_MAX_GUARDIANS 10
#define USERS_MAX_LANGS 8
#define USERS_MAX_SCOPES 16

/* ---- small helpers ---------------------------------------------------- */

static void short_hex(char out[13], const uint8_t id[32])
{
	char hex[65];
	mv_hex(hex, id, 32);
	memcpy(out, hex, 12);
	out[12] = 0;
}

/* Step a write statement to completion. */
static int step_done(struct apply_ctx *ctx, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, what);
}

/* Run a statement binding one or two 32-byte blobs (NULL b skips it). */
static int exec_ids(struct apply_ctx *ctx, const char *sql, const uint8_t *a, const uint8_t *b,
		    const char *what)
{
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, a, 32, SQLITE_STATIC);
	if (b)
		sqlite3_bind_blob(s, 2, b, 32, SQLITE_STATIC);
	return step_done(ctx, s, what);
}

/* One integer from a query binding one or two ids; dflt if no row. */
static int64_t query_int_ids(struct store *st, const char *sql, const uint8_t *a,
			     const uint8_t *b, int64_t dflt)
{
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return dflt;
	sqlite3_bind_blob(s, 1, a, 32, SQLITE_STATIC);
	if (b)
		sqlite3_bind_blob(s, 2, b, 32, SQLITE_STATIC);
	int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : dflt;
	sqlite3_reset(s);
	return v;
}

bool people_jurisdiction_valid(const char *j)
{
	size_t n = strlen(j);
	if (n != 2 && (n < 4 || n > 6))
		return false;
	if (j[0] < 'A' || j[0] > 'Z' || j[1] < 'A' || j[1] > 'Z')
		return false;
	if (n == 2)
		return true;
	if (j[2] != '-')
		return false;
	for (size_t i = 3; i < n; i++)
		if (!((j[i] >= 'A' && j[i] <= 'Z') || (j[i] >= '0' && j[i] <= '9')))
			return false;
	return true;
}

bool people_key_in_use(struct store *st, const uint8_t key[32])
{
	static const char u[] = "SELECT 1 FROM users WHERE account = ?1 OR key = ?1";
	static const char k[] = "SELECT 1 FROM account_keys WHERE key = ?1 OR account = ?1";
	return query_int_ids(st, u, key, NULL, 0) || query_int_ids(st, k, key, NULL, 0);
}

bool people_is_guardian(struct store *st, const uint8_t account[32], const uint8_t guardian[32])
{
	static const char sql[] = "SELECT 1 FROM users_guardians WHERE account = ? AND guardian = ?";
	return query_int_ids(st, sql, account, guardian, 0) != 0;
}

/* ---- roles ------------------------------------------------------------ */

static const char *const role_names[] = {
	[ROLE_NONE] = "none",         [ROLE_PATIENT] = "patient", [ROLE_THERAPIST] = "therapist",
	[ROLE_INSURER] = "insurer",   [ROLE_REGULATOR] = "regulator", [ROLE_BOT] = "bot",
};

const char *people_role_name(enum role r)
{
	return (unsigned)r < sizeof role_names / sizeof role_names[0] ? role_names[r] : "none";
}

static enum role role_parse(const char *name)
{
	for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
		if (strcmp(role_names[i], name) == 0)
			return (enum role)i;
	return ROLE_NONE;
}

enum role people_role(struct store *st, const uint8_t account[32])
{
	static const char sql[] = "SELECT role FROM users WHERE account = ? AND dismissed = 0";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return ROLE_NONE;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	enum role r = ROLE_NONE;
	if (sqlite3_step(s) == SQLITE_ROW)
		r = role_parse((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return r;
}

void people_current_key(struct store *st, const uint8_t account[32], uint8_t key[32])
{
	static const char sql[] = "SELECT key FROM account_keys WHERE account = ? AND retired = 0 "
				  "ORDER BY key LIMIT 1";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	memcpy(key, account, 32);
	if (!s)
		return;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 32)
		memcpy(key, sqlite3_column_blob(s, 0), 32);
	sqlite3_reset(s);
}

static bool scope_match(const char *scope, size_t n, const char *kind)
{
	if (n >= 2 && scope[n - 2] == '.' && scope[n - 1] == '*')
		return strncmp(scope, kind, n - 1) == 0;
	return strlen(kind) == n && strncmp(scope, kind, n) == 0;
}

bool people_bot_has_scope(struct store *st, const uint8_t account[32], const char *kind)
{
	static const char sql[] = "SELECT scopes FROM users WHERE account = ? AND role = 'bot' "
				  "AND dismissed = 0";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	bool ok = false;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(s, 0);
		while (p && *p && !ok) {
			const char *c = strchr(p, ',');
			size_t n = c ? (size_t)(c - p) : strlen(p);
			ok = scope_match(p, n, kind);
			p = c ? c + 1 : NULL;
		}
	}
	sqlite3_reset(s);
	return ok;
}

static const char *const contact_names[] = {"anyone", "care_team", "nobody"};

void people_privacy_get(struct store *st, const uint8_t account[32], struct people_privacy *out)
{
	static const char sql[] = "SELECT listed, who_may_contact, share_mood, share_insurer "
				  "FROM users_privacy WHERE account = ?";
	bool patient = people_role(st, account) == ROLE_PATIENT;
	out->listed = !patient;
	out->who_may_contact = patient ? CONTACT_CARE_TEAM : CONTACT_ANYONE;
	out->share_mood_with_therapist = false;
	out->share_with_insurer = false;
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		out->listed = sqlite3_column_int(s, 0) != 0;
		const char *w = (const char *)sqlite3_column_text(s, 1);
		for (int i = 0; i < 3; i++)
			if (w && strcmp(w, contact_names[i]) == 0)
				out->who_may_contact = (enum people_contact)i;
		out->share_mood_with_therapist = sqlite3_column_int(s, 2) != 0;
		out->share_with_insurer = sqlite3_column_int(s, 3) != 0;
	}
	sqlite3_reset(s);
}

/* ---- council pending approvals ---------------------------------------- */

void council_topic(uint8_t out[32], const char *kind, const uint8_t subject[32],
		   const void *extra, size_t extra_len)
{
	struct mv_buf b = {0};
	if (mv_buf_append(&b, kind, strlen(kind) + 1) != MV_OK ||
	    mv_buf_append(&b, subject, 32) != MV_OK ||
	    mv_buf_append(&b, extra, extra_len) != MV_OK) {
		memset(out, 0, 32); /* out of memory: a topic nobody can match */
		mv_buf_free(&b);
		return;
	}
	op_hash(out, b.data, b.len);
	mv_buf_free(&b);
}

static int council_request_open(struct apply_ctx *ctx, const char *kind, const uint8_t subject[32],
				const uint8_t topic[32], const char *summary)
{
	static const char sql[] = "INSERT OR IGNORE INTO council_requests(topic, kind, subject, summary,"
				  " body, created, first_op) VALUES(?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, topic, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, subject, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, summary, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(s, 5, ctx->op->body, (int)ctx->op->body_len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, ctx->now);
	sqlite3_bind_blob(s, 7, ctx->op->id, 32, SQLITE_STATIC);
	return step_done(ctx, s, "council_requests");
}

int council_sign(struct apply_ctx *ctx, const char *kind, const uint8_t subject[32],
		 const uint8_t topic[32], const char *summary, bool *reached)
{
	static const char has[] = "SELECT 1 FROM council_votes WHERE topic = ? AND member = ?";
	static const char ins[] = "INSERT INTO council_votes(topic, member, op, time) VALUES(?, ?, ?, ?)";
	static const char cnt[] = "SELECT count(*) FROM council_votes v JOIN council c "
				  "ON c.member = v.member WHERE v.topic = ?";
	*reached = false;
	if (!council_is_member(ctx->st, ctx->actor))
		return ctx_reject(ctx, "not allowed: only council members may sign %s", kind);
	if (query_int_ids(ctx->st, has, topic, ctx->actor, 0))
		return ctx_reject(ctx, "already signed this request");
	if (council_request_open(ctx, kind, subject, topic, summary) != MV_OK)
		return MV_ERR;
	sqlite3_stmt *s = store_prep(ctx->st, ins, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, topic, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, ctx->now);
	if (step_done(ctx, s, "council_votes") != MV_OK)
		return MV_ERR;
	int64_t need = param_get(ctx->st, "council_threshold", 1);
	*reached = query_int_ids(ctx->st, cnt, topic, NULL, 0) >= (need < 1 ? 1 : need);
	return MV_OK;
}

int council_close(struct apply_ctx *ctx, const char *kind, const uint8_t subject[32])
{
	static const char votes[] = "DELETE FROM council_votes WHERE topic IN (SELECT topic FROM "
				    "council_requests WHERE kind = ? AND subject = ?)";
	static const char reqs[] = "DELETE FROM council_requests WHERE kind = ? AND subject = ?";
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *s = store_prep(ctx->st, i ? reqs : votes, &ctx->err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, subject, 32, SQLITE_STATIC);
		if (step_done(ctx, s, "council_requests") != MV_OK)
			return MV_ERR;
	}
	return MV_OK;
}

/* ---- body helpers ----------------------------------------------------- */

/* Join a LIST of strings with ',' after checking each item: 1..max_item
 * bytes of [a-z0-9._*-] (lower_only) or printable text without commas. */
static int join_list(struct apply_ctx *ctx, const char *field, size_t max_items, size_t max_item,
		     bool token, char *out, size_t outlen)
{
	const struct body_value *v = body_get(ctx->body, field);
	size_t len = 0;
	out[0] = 0;
	if (!v)
		return MV_OK;
	if (v->n > max_items)
		return ctx_reject(ctx, "%s: at most %zu items", field, max_items);
	for (size_t i = 0; i < v->n; i++) {
		const struct body_value *it = &v->items[i];
		if (it->n == 0 || it->n > max_item)
			return ctx_reject(ctx, "%s: each item must be 1..%zu bytes", field, max_item);
		for (size_t k = 0; k < it->n; k++) {
			char c = (char)it->p[k];
			bool ok = token ? ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
					   c == '_' || c == '*' || c == '-')
					: (c != ',');
			if (!ok)
				return ctx_reject(ctx, "%s: item %zu has a character not allowed here",
						  field, i + 1);
		}
		if (len + it->n + 2 > outlen)
			return ctx_reject(ctx, "%s: too long", field);
		if (i)
			out[len++] = ',';
		memcpy(out + len, it->p, it->n);
		len += it->n;
		out[len] = 0;
	}
	return MV_OK;
}

static int get_str(struct apply_ctx *ctx, const char *field, char *out, size_t outlen)
{
	struct mv_err e;
	out[0] = 0;
	if (!body_get(ctx->body, field))
		return MV_OK;
	if (body_str(ctx->body, field, out, outlen, &e) != MV_OK)
		return ctx_reject(ctx, "%s", e.msg);
	return MV_OK;
}

/* An optional blob (field) and the blob key sealed to its owner (keyfield):
 * both or neither. *has says which. */
static int get_blob(struct apply_ctx *ctx, const char *field, const char *keyfield,
		    uint8_t blob[32], const uint8_t **key, bool *has)
{
	struct mv_err e;
	size_t n = 0;
	bool b = body_get(ctx->body, field) != NULL, k = body_get(ctx->body, keyfield) != NULL;
	*has = false;
	if (!b && !k)
		return MV_OK;
	if (!b || !k)
		return ctx_reject(ctx, "%s and %s go together (the blob and its key sealed to you)",
				  field, keyfield);
	body_id(ctx->body, field, blob, &e);
	body_bytes(ctx->body, keyfield, key, &n, &e);
	if (n != 80)
		return ctx_reject(ctx, "%s must be a sealed blob key (80 bytes)", keyfield);
	*has = true;
	return MV_OK;
}

/* ---- private blobs and shares ----------------------------------------- */

static int share_put(struct apply_ctx *ctx, const uint8_t account[32], const char *what,
		     const uint8_t reader[32], const uint8_t *sealed)
{
	static const char sql[] = "INSERT INTO users_shares(account, what, reader, sealed_key, op, time) "
				  "VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(account, what, reader) DO UPDATE "
				  "SET sealed_key = excluded.sealed_key, op = excluded.op, time = excluded.time";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, what, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, reader, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, sealed, 80, SQLITE_STATIC);
	sqlite3_bind_blob(s, 5, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, ctx->now);
	return step_done(ctx, s, "users_shares");
}

/* Set account's blob `what` (profile | emergency): replaces the blob, drops
 * every share of the old one (readers must be shared the new blob again)
 * and stores the owner's own sealed key. */
static int blob_set(struct apply_ctx *ctx, const char *what, const uint8_t blob[32],
		    const uint8_t *sealed)
{
	static const char up[] = "INSERT INTO users_blobs(account, what, blob, updated) VALUES(?, ?, ?, ?) "
				 "ON CONFLICT(account, what) DO UPDATE SET blob = excluded.blob, "
				 "updated = excluded.updated";
	static const char drop[] = "DELETE FROM users_shares WHERE account = ? AND what = ?";
	sqlite3_stmt *s = store_prep(ctx->st, drop, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, what, -1, SQLITE_STATIC);
	if (step_done(ctx, s, "users_shares") != MV_OK)
		return MV_ERR;
	s = store_prep(ctx->st, up, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, what, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, blob, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, ctx->now);
	if (step_done(ctx, s, "users_blobs") != MV_OK)
		return MV_ERR;
	return share_put(ctx, ctx->actor, what, ctx->actor, sealed);
}

/* Both optional blobs of user.register / profile.update. */
static int blobs_from_body(struct apply_ctx *ctx, int *changed)
{
	static const char *const fields[2][3] = {
		{"private_blob", "sealed_key", "profile"},
		{"emergency_blob", "emergency_key", "emergency"},
	};
	for (int i = 0; i < 2; i++) {
		uint8_t blob[32];
		const uint8_t *key = NULL;
		bool has;
		int rc = get_blob(ctx, fields[i][0], fields[i][1], blob, &key, &has);
		if (rc == MV_OK && has) {
			rc = blob_set(ctx, fields[i][2], blob, key);
			(*changed)++;
		}
		if (rc != MV_OK)
			return rc;
	}
	return MV_OK;
}

/* ---- user.register ---------------------------------------------------- */

static int public_checks(struct apply_ctx *ctx, enum role role, const char *name, const char *jur,
			 const char *bio)
{
	if (name && !name[0])
		return ctx_reject(ctx, "display_name must not be empty");
	if (jur && !people_jurisdiction_valid(jur))
		return ctx_reject(ctx, "jurisdiction must look like US or US-CA (ISO 3166)");
	if (bio && bio[0] && role == ROLE_PATIENT)
		return ctx_reject(ctx, "a patient's public record holds only a pseudonym: "
				       "put personal details in the private profile");
	return MV_OK;
}

static int user_insert(struct apply_ctx *ctx, const uint8_t account[32], enum role role,
		       const char *name, const char *jur, const char *bio, const char *langs,
		       const char *scopes, bool appointed)
{
	static const char sql[] = "INSERT INTO users(account, key, role, display_name, jurisdiction, bio,"
				  " languages, scopes, appointed, created, updated, op)"
				  " VALUES(?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, people_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, jur, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, bio, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, langs, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, scopes, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 8, appointed);
	sqlite3_bind_int64(s, 9, ctx->now);
	sqlite3_bind_blob(s, 10, ctx->op->id, 32, SQLITE_STATIC);
	return step_done(ctx, s, "users");
}

static int user_register(struct apply_ctx *ctx)
{
	char role_s[16], name[65], jur[8], bio[1001], langs[160], what[96];
	int rc = get_str(ctx, "role", role_s, sizeof role_s);
	if (rc == MV_OK)
		rc = get_str(ctx, "display_name", name, sizeof name);
	if (rc == MV_OK)
		rc = get_str(ctx, "jurisdiction", jur, sizeof jur);
	if (rc == MV_OK)
		rc = get_str(ctx, "bio", bio, sizeof bio);
	if (rc == MV_OK)
		rc = join_list(ctx, "languages", USERS_MAX_LANGS, 16, true, langs, sizeof langs);
	if (rc != MV_OK)
		return rc;
	/* the field spec admits only patient|therapist, so a crafted op asking
	 * for another role is already rejected by the body check on every node
	 * (and the CLI refuses it before signing); this stays as the rule's
	 * statement should the choices ever widen */
	enum role role = role_parse(role_s);
	if (role != ROLE_PATIENT && role != ROLE_THERAPIST)
		return ctx_reject(ctx, "not allowed: nobody can make themselves %s (only %s)", role_s,
				  strcmp(role_s, "council") == 0 ? "genesis or governance seats the council"
								 : "the council appoints these identities");
	rc = access_check(ctx, ctx->actor, ACCESS_REGISTER_SELF, NULL);
	if (rc != MV_OK)
		return rc;
	if (people_key_in_use(ctx->st, ctx->actor))
		return ctx_reject(ctx, "already registered (a key registers once)");
	rc = public_checks(ctx, role, name, jur, bio);
	if (rc == MV_OK)
		rc = user_insert(ctx, ctx->actor, role, name, jur, bio, langs, "", false);
	int changed = 0;
	if (rc == MV_OK)
		rc = blobs_from_body(ctx, &changed);
	snprintf(what, sizeof what, "registered as %s", people_role_name(role));
	if (rc == MV_OK)
		rc = access_audit(ctx, ctx->actor, what);
	return rc;
}

/* ---- profile.update ---------------------------------------------------- */

static int user_set_text(struct apply_ctx *ctx, const char *column_sql, const char *value)
{
	sqlite3_stmt *s = store_prep(ctx->st, column_sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, ctx->now);
	sqlite3_bind_blob(s, 3, ctx->actor, 32, SQLITE_STATIC);
	return step_done(ctx, s, "users");
}

static int profile_update(struct apply_ctx *ctx)
{
	static const char set_name[] = "UPDATE users SET display_name = ?, updated = ? WHERE account = ?";
	static const char set_jur[] = "UPDATE users SET jurisdiction = ?, updated = ? WHERE account = ?";
	static const char set_bio[] = "UPDATE users SET bio = ?, updated = ? WHERE account = ?";
	static const char set_lang[] = "UPDATE users SET languages = ?, updated = ? WHERE account = ?";
	char name[65], jur[8], bio[1001], langs[160];
	enum role role = people_role(ctx->st, ctx->actor);
	int rc = access_check(ctx, ctx->actor, ACCESS_OWN_PROFILE, NULL);
	if (rc == MV_OK)
		rc = get_str(ctx, "display_name", name, sizeof name);
	if (rc == MV_OK)
		rc = get_str(ctx, "jurisdiction", jur, sizeof jur);
	if (rc == MV_OK)
		rc = get_str(ctx, "bio", bio, sizeof bio);
	if (rc == MV_OK)
		rc = join_list(ctx, "languages", USERS_MAX_LANGS, 16, true, langs, sizeof langs);
	bool has_name = body_get(ctx->body, "display_name"), has_jur = body_get(ctx->body, "jurisdiction");
	bool has_bio = body_get(ctx->body, "bio"), has_lang = body_get(ctx->body, "languages");
	if (rc == MV_OK)
		rc = public_checks(ctx, role, has_name ? name : NULL, has_jur ? jur : NULL, bio);
	int changed = has_name + has_jur + has_bio + has_lang;
	if (rc == MV_OK && has_name)
		rc = user_set_text(ctx, set_name, name);
	if (rc == MV_OK && has_jur)
		rc = user_set_text(ctx, set_jur, jur);
	if (rc == MV_OK && has_bio)
		rc = user_set_text(ctx, set_bio, bio);
	if (rc == MV_OK && has_lang)
		rc = user_set_text(ctx, set_lang, langs);
	int blobs = 0;
	if (rc == MV_OK)
		rc = blobs_from_body(ctx, &blobs);
	if (rc == MV_OK && changed + blobs == 0)
		return ctx_reject(ctx, "nothing to update");
	if (rc == MV_OK && blobs)
		rc = access_audit(ctx, ctx->actor, "replaced private profile (earlier shares dropped)");
	return rc;
}

/* ---- privacy.set -------------------------------------------------------- */

static int privacy_set(struct apply_ctx *ctx)
{
	static const char sql[] = "INSERT INTO users_privacy(account, listed, who_may_contact, share_mood,"
				  " share_insurer) VALUES(?, ?, ?, ?, ?) ON CONFLICT(account) DO UPDATE SET "
				  "listed = excluded.listed, who_may_contact = excluded.who_may_contact, "
				  "share_mood = excluded.share_mood, share_insurer = excluded.share_insurer";
	static const char *const flds[] = {"listed", "share_mood_with_therapist", "share_with_insurer"};
	struct people_privacy p;
	char who[16], what[160];
	if (access_check(ctx, ctx->actor, ACCESS_OWN_PROFILE, NULL) != MV_OK)
		return MV_EREJECT;
	people_privacy_get(ctx->st, ctx->actor, &p);
	bool *dst[] = {&p.listed, &p.share_mood_with_therapist, &p.share_with_insurer};
	int n = 0, len = snprintf(what, sizeof what, "privacy:");
	for (int i = 0; i < 3; i++) {
		int64_t v;
		struct mv_err e;
		if (body_int(ctx->body, flds[i], &v, &e) != MV_OK)
			continue;
		*dst[i] = v != 0;
		n++;
		len += snprintf(what + len, sizeof what - (size_t)len, " %s=%s", flds[i], v ? "yes" : "no");
	}
	if (get_str(ctx, "who_may_contact", who, sizeof who) != MV_OK)
		return MV_EREJECT;
	if (who[0]) {
		for (int i = 0; i < 3; i++)
			if (strcmp(who, contact_names[i]) == 0)
				p.who_may_contact = (enum people_contact)i;
		n++;
		snprintf(what + len, sizeof what - (size_t)len, " who_may_contact=%s", who);
	}
	if (!n)
		return ctx_reject(ctx, "nothing to set");
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, p.listed);
	sqlite3_bind_text(s, 3, contact_names[p.who_may_contact], -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, p.share_mood_with_therapist);
	sqlite3_bind_int(s, 5, p.share_with_insurer);
	int rc = step_done(ctx, s, "users_privacy");
	return rc == MV_OK ? access_audit(ctx, ctx->actor, what) : rc;
}

/* ---- profile.share / profile.revoke ------------------------------------ */

static int share_target(struct apply_ctx *ctx, uint8_t to[32], char *what, size_t whatlen)
{
	struct mv_err e;
	if (access_check(ctx, ctx->actor, ACCESS_OWN_PROFILE, NULL) != MV_OK)
		return MV_EREJECT;
	body_id(ctx->body, "to", to, &e);
	if (get_str(ctx, "what", what, whatlen) != MV_OK)
		return MV_EREJECT;
	if (!what[0])
		snprintf(what, whatlen, "profile");
	if (memcmp(to, ctx->actor, 32) == 0)
		return ctx_reject(ctx, "cannot share with yourself (you hold the key already)");
	return MV_OK;
}

static int profile_share(struct apply_ctx *ctx)
{
	static const char has[] = "SELECT 1 FROM users_blobs WHERE account = ? AND what = ?";
	uint8_t to[32];
	char what[16], audit[96], hx[13];
	const uint8_t *key;
	size_t n = 0;
	struct mv_err e;
	int rc = share_target(ctx, to, what, sizeof what);
	if (rc != MV_OK)
		return rc;
	if (people_role(ctx->st, to) == ROLE_NONE)
		return ctx_reject(ctx, "the reader is not a registered account");
	sqlite3_stmt *s = store_prep(ctx->st, has, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, what, -1, SQLITE_STATIC);
	bool present = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	if (!present)
		return ctx_reject(ctx, "no %s blob to share (set it with profile.update)", what);
	body_bytes(ctx->body, "sealed_key", &key, &n, &e);
	if (n != 80)
		return ctx_reject(ctx, "sealed_key must be a sealed blob key (80 bytes)");
	rc = share_put(ctx, ctx->actor, what, to, key);
	short_hex(hx, to);
	snprintf(audit, sizeof audit, "shared %s with %s", what, hx);
	return rc == MV_OK ? access_audit(ctx, ctx->actor, audit) : rc;
}

static int profile_revoke(struct apply_ctx *ctx)
{
	static const char sql[] = "DELETE FROM users_shares WHERE account = ? AND what = ? AND reader = ?";
	uint8_t to[32];
	char what[16], audit[128], hx[13];
	int rc = share_target(ctx, to, what, sizeof what);
	if (rc != MV_OK)
		return rc;
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, what, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, to, 32, SQLITE_STATIC);
	if (step_done(ctx, s, "users_shares") != MV_OK)
		return MV_ERR;
	if (sqlite3_changes(ctx->db) == 0)
		return ctx_reject(ctx, "%s is not shared with that account", what);
	short_hex(hx, to);
	snprintf(audit, sizeof audit, "revoked %s share of %s (what was read cannot be unread)", what, hx);
	return access_audit(ctx, ctx->actor, audit);
}

/* ---- social recovery --------------------------------------------------- */

static int recovery_guardians(struct apply_ctx *ctx)
{
	static const char clear_g[] = "DELETE FROM users_guardians WHERE account = ?";
	static const char clear_v[] = "DELETE FROM users_recovery_votes WHERE account = ?";
	static const char add_g[] = "INSERT INTO users_guardians(account, guardian) VALUES(?, ?)";
	static const char conf[] = "INSERT INTO users_recovery(account, threshold, updated) VALUES(?, ?, ?) "
				   "ON CONFLICT(account) DO UPDATE SET threshold = excluded.threshold, "
				   "updated = excluded.updated";
	const struct body_value *g;
	size_t n;
	int64_t threshold;
	struct mv_err e;
	char what[64];
	if (access_check(ctx, ctx->actor, ACCESS_OWN_PROFILE, NULL) != MV_OK)
		return MV_EREJECT;
	body_list(ctx->body, "guardians", &g, &n, &e);
	body_int(ctx->body, "threshold", &threshold, &e);
	if (n < 1 || n > USERS_MAX_GUARDIANS)
		return ctx_reject(ctx, "guardians: 1..%d accounts", USERS_MAX_GUARDIANS);
	if (threshold < 1 || (size_t)threshold > n)
		return ctx_reject(ctx, "threshold must be between 1 and %zu (the number of guardians)", n);
	for (size_t i = 0; i < n; i++) {
		if (memcmp(g[i].p, ctx->actor, 32) == 0)
			return ctx_reject(ctx, "you cannot be your own guardian");
		if (people_role(ctx->st, g[i].p) == ROLE_NONE)
			return ctx_reject(ctx, "guardian %zu is not a registered account", i + 1);
		for (size_t k = 0; k < i; k++)
			if (memcmp(g[i].p, g[k].p, 32) == 0)
				return ctx_reject(ctx, "guardian %zu is listed twice", i + 1);
	}
	int rc = exec_ids(ctx, clear_g, ctx->actor, NULL, "users_guardians");
	if (rc == MV_OK)
		rc = exec_ids(ctx, clear_v, ctx->actor, NULL, "users_recovery_votes");
	for (size_t i = 0; rc == MV_OK && i < n; i++)
		rc = exec_ids(ctx, add_g, ctx->actor, g[i].p, "users_guardians");
	if (rc != MV_OK)
		return rc;
	sqlite3_stmt *s = store_prep(ctx->st, conf, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, threshold);
	sqlite3_bind_int64(s, 3, ctx->now);
	if (step_done(ctx, s, "users_recovery") != MV_OK)
		return MV_ERR;
	snprintf(what, sizeof what, "recovery guardians set (%lld of %zu)", (long long)threshold, n);
	return access_audit(ctx, ctx->actor, what);
}

/* The threshold was reached: move account to new_key. */
static int recovery_complete(struct apply_ctx *ctx, const uint8_t account[32],
			     const uint8_t new_key[32])
{
	static const char setkey[] = "UPDATE users SET key = ?2, updated = ?3 WHERE account = ?1";
	static const char hist[] = "INSERT INTO users_recoveries(account, op, old_key, new_key, time) "
				   "VALUES(?, ?, ?, ?, ?)";
	static const char clear_v[] = "DELETE FROM users_recovery_votes WHERE account = ?";
	uint8_t old_key[32];
	char what[96], hx[13];
	people_current_key(ctx->st, account, old_key);
	int rc = account_rekey(ctx, account, old_key, new_key);
	sqlite3_stmt *s = rc == MV_OK ? store_prep(ctx->st, setkey, &ctx->err) : NULL;
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, new_key, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ctx->now);
	if (step_done(ctx, s, "users") != MV_OK)
		return MV_ERR;
	s = store_prep(ctx->st, hist, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, old_key, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, new_key, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, ctx->now);
	if (step_done(ctx, s, "users_recoveries") != MV_OK ||
	    exec_ids(ctx, clear_v, account, NULL, "users_recovery_votes") != MV_OK)
		return MV_ERR;
	short_hex(hx, new_key);
	snprintf(what, sizeof what, "account recovered: now controlled by key %s", hx);
	return access_audit(ctx, account, what);
}

static int recovery_approve(struct apply_ctx *ctx)
{
	static const char voted[] = "SELECT 1 FROM users_recovery_votes WHERE account = ? AND new_key = ? "
				    "AND guardian = ?";
	static const char ins[] = "INSERT INTO users_recovery_votes(account, new_key, guardian, op, time) "
				  "VALUES(?, ?, ?, ?, ?)";
	static const char count[] = "SELECT count(*) FROM users_recovery_votes v JOIN users_guardians g "
				    "ON g.account = v.account AND g.guardian = v.guardian "
				    "WHERE v.account = ? AND v.new_key = ?";
	static const char thr[] = "SELECT threshold FROM users_recovery WHERE account = ?";
	uint8_t account[32], new_key[32];
	struct mv_err e;
	char what[96], hx[13];
	body_id(ctx->body, "account", account, &e);
	body_id(ctx->body, "new_key", new_key, &e);
	int64_t threshold = query_int_ids(ctx->st, thr, account, NULL, 0);
	if (threshold < 1)
		return ctx_reject(ctx, "that account has no guardians");
	if (access_check(ctx, ctx->actor, ACCESS_GUARDIAN_APPROVE, account) != MV_OK)
		return MV_EREJECT;
	if (people_key_in_use(ctx->st, new_key) || ledger_balance(ctx->st, new_key) != 0)
		return ctx_reject(ctx, "new_key is already in use (it must be a fresh key)");
	sqlite3_stmt *s = store_prep(ctx->st, voted, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, new_key, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, ctx->actor, 32, SQLITE_STATIC);
	bool dup = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	if (dup)
		return ctx_reject(ctx, "already approved this recovery");
	s = store_prep(ctx->st, ins, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, new_key, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, ctx->now);
	if (step_done(ctx, s, "users_recovery_votes") != MV_OK)
		return MV_ERR;
	short_hex(hx, new_key);
	snprintf(what, sizeof what, "guardian approved recovery to key %s", hx);
	if (access_audit(ctx, account, what) != MV_OK)
		return MV_ERR;
	if (query_int_ids(ctx->st, count, account, new_key, 0) < threshold)
		return MV_OK;
	return recovery_complete(ctx, account, new_key);
}

static int recovery_cancel(struct apply_ctx *ctx)
{
	static const char sql[] = "DELETE FROM users_recovery_votes WHERE account = ?";
	if (access_check(ctx, ctx->actor, ACCESS_OWN_PROFILE, NULL) != MV_OK)
		return MV_EREJECT;
	if (exec_ids(ctx, sql, ctx->actor, NULL, "users_recovery_votes") != MV_OK)
		return MV_ERR;
	if (sqlite3_changes(ctx->db) == 0)
		return ctx_reject(ctx, "no recovery of your account is pending");
	return access_audit(ctx, ctx->actor, "pending recovery cancelled by the account");
}

/* ---- council appointments ---------------------------------------------- */

static int user_appoint(struct apply_ctx *ctx)
{
	uint8_t account[32], topic[32];
	char role_s[16], name[65], jur[8], scopes[600], summary[800], hx[13];
	struct mv_buf extra = {0};
	struct mv_err e;
	bool reached;
	body_id(ctx->body, "account", account, &e);
	int rc = get_str(ctx, "role", role_s, sizeof role_s);
	if (rc == MV_OK)
		rc = get_str(ctx, "display_name", name, sizeof name);
	if (rc == MV_OK)
		rc = get_str(ctx, "jurisdiction", jur, sizeof jur);
	if (rc == MV_OK)
		rc = join_list(ctx, "scopes", USERS_MAX_SCOPES, 32, true, scopes, sizeof scopes);
	if (rc != MV_OK)
		return rc;
	if (access_check(ctx, ctx->actor, ACCESS_COUNCIL, NULL) != MV_OK)
		return MV_EREJECT;
	enum role role = role_parse(role_s);
	if (people_key_in_use(ctx->st, account))
		return ctx_reject(ctx, "account already registered (a key registers once)");
	if (role == ROLE_BOT && !scopes[0])
		return ctx_reject(ctx, "a bot needs scopes (the op kinds it may send)");
	if (role != ROLE_BOT && scopes[0])
		return ctx_reject(ctx, "only bots have scopes");
	rc = public_checks(ctx, role, name, jur, NULL);
	if (rc != MV_OK)
		return rc;
	if (mv_buf_append(&extra, role_s, strlen(role_s) + 1) != MV_OK ||
	    mv_buf_append(&extra, name, strlen(name) + 1) != MV_OK ||
	    mv_buf_append(&extra, jur, strlen(jur) + 1) != MV_OK ||
	    mv_buf_append(&extra, scopes, strlen(scopes) + 1) != MV_OK) {
		mv_buf_free(&extra);
		return mv_fail(&ctx->err, MV_ERR, "out of memory");
	}
	council_topic(topic, ctx->op->kind, account, extra.data, extra.len);
	mv_buf_free(&extra);
	short_hex(hx, account);
	snprintf(summary, sizeof summary, "appoint %s '%s' (%s) as %s%s%s", hx, name, jur, role_s,
		 scopes[0] ? " with scopes " : "", scopes);
	rc = council_sign(ctx, ctx->op->kind, account, topic, summary, &reached);
	if (rc != MV_OK || !reached)
		return rc;
	rc = council_close(ctx, ctx->op->kind, account);
	if (rc == MV_OK)
		rc = user_insert(ctx, account, role, name, jur, "", "", scopes, true);
	snprintf(summary, sizeof summary, "appointed %s by the council", role_s);
	return rc == MV_OK ? access_audit(ctx, account, summary) : rc;
}

static int user_dismiss(struct apply_ctx *ctx)
{
	static const char is_appointed[] = "SELECT 1 FROM users WHERE account = ? AND appointed = 1 "
					   "AND dismissed = 0";
	static const char dismiss[] = "UPDATE users SET dismissed = 1, updated = ?2 WHERE account = ?1";
	uint8_t account[32], topic[32];
	char reason[201], summary[300], hx[13];
	struct mv_err e;
	bool reached;
	body_id(ctx->body, "account", account, &e);
	if (get_str(ctx, "reason", reason, sizeof reason) != MV_OK)
		return MV_EREJECT;
	if (access_check(ctx, ctx->actor, ACCESS_COUNCIL, NULL) != MV_OK)
		return MV_EREJECT;
	if (!query_int_ids(ctx->st, is_appointed, account, NULL, 0))
		return ctx_reject(ctx, "only a current insurer, regulator or bot can be dismissed");
	council_topic(topic, ctx->op->kind, account, NULL, 0);
	short_hex(hx, account);
	snprintf(summary, sizeof summary, "dismiss %s as %s: %s", hx,
		 people_role_name(people_role(ctx->st, account)), reason);
	int rc = council_sign(ctx, ctx->op->kind, account, topic, summary, &reached);
	if (rc != MV_OK || !reached)
		return rc;
	rc = council_close(ctx, ctx->op->kind, account);
	sqlite3_stmt *s = rc == MV_OK ? store_prep(ctx->st, dismiss, &ctx->err) : NULL;
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, ctx->now);
	if (step_done(ctx, s, "users") != MV_OK)
		return MV_ERR;
	snprintf(summary, sizeof summary, "dismissed by the council: %s", reason);
	return access_audit(ctx, account, summary);
}

/* ---- the handler table -------------------------------------------------- */

#define END_FIELDS {NULL, 0, false, 0, 0, 0, NULL, NULL}

static const struct field_spec register_fields[] = {
	{"role", F_ENUM, false, 0, 0, 0, "patient|therapist",
	 "patient or therapist (council, insurer, regulator and bot are never self-registered)"},
	{"display_name", F_STR, false, 0, 0, 64, NULL, "public name; patients: a pseudonym"},
	{"jurisdiction", F_STR, false, 0, 0, 6, NULL, "where you are: US, US-CA, DE, ..."},
	{"bio", F_STR, true, 0, 0, 1000, NULL, "public text (therapists only)"},
	{"languages", F_LIST_STR, true, 0, 0, USERS_MAX_LANGS, NULL, "languages, e.g. en,es"},
	{"private_blob", F_ID, true, 0, 0, 0, NULL, "hash of the encrypted private profile"},
	{"sealed_key", F_BYTES, true, 0, 0, 80, NULL, "the private profile's key sealed to you"},
	{"emergency_blob", F_ID, true, 0, 0, 0, NULL, "hash of the encrypted emergency contact"},
	{"emergency_key", F_BYTES, true, 0, 0, 80, NULL, "the emergency contact's key sealed to you"},
	END_FIELDS,
};

static const struct field_spec update_fields[] = {
	{"display_name", F_STR, true, 0, 0, 64, NULL, "public name; patients: a pseudonym"},
	{"jurisdiction", F_STR, true, 0, 0, 6, NULL, "US, US-CA, DE, ..."},
	{"bio", F_STR, true, 0, 0, 1000, NULL, "public text (therapists only; empty clears)"},
	{"languages", F_LIST_STR, true, 0, 0, USERS_MAX_LANGS, NULL, "languages, e.g. en,es"},
	{"private_blob", F_ID, true, 0, 0, 0, NULL, "new private profile (drops earlier shares)"},
	{"sealed_key", F_BYTES, true, 0, 0, 80, NULL, "its key sealed to you"},
	{"emergency_blob", F_ID, true, 0, 0, 0, NULL, "new emergency contact (drops earlier shares)"},
	{"emergency_key", F_BYTES, true, 0, 0, 80, NULL, "its key sealed to you"},
	END_FIELDS,
};

static const struct field_spec privacy_fields[] = {
	{"listed", F_BOOL, true, 0, 0, 0, NULL, "appear in directories"},
	{"who_may_contact", F_ENUM, true, 0, 0, 0, "anyone|care_team|nobody", "who may book or write"},
	{"share_mood_with_therapist", F_BOOL, true, 0, 0, 0, NULL, "therapists in your care see mood logs"},
	{"share_with_insurer", F_BOOL, true, 0, 0, 0, NULL, "insurers named on your claims see attendance"},
	END_FIELDS,
};

static const struct field_spec share_fields[] = {
	{"to", F_ACCOUNT, false, 0, 0, 0, NULL, "the reader"},
	{"what", F_ENUM, true, 0, 0, 0, "profile|emergency", "which blob (default profile)"},
	{"sealed_key", F_BYTES, false, 0, 0, 80, NULL, "the blob key sealed to the reader"},
	END_FIELDS,
};

static const struct field_spec revoke_fields[] = {
	{"to", F_ACCOUNT, false, 0, 0, 0, NULL, "the reader to stop sharing with"},
	{"what", F_ENUM, true, 0, 0, 0, "profile|emergency", "which blob (default profile)"},
	END_FIELDS,
};

static const struct field_spec guardians_fields[] = {
	{"guardians", F_LIST_ACCOUNT, false, 0, 0, USERS_MAX_GUARDIANS, NULL, "registered accounts you trust"},
	{"threshold", F_INT, false, 1, USERS_MAX_GUARDIANS, 0, NULL, "approvals needed to recover"},
	END_FIELDS,
};

static const struct field_spec approve_fields[] = {
	{"account", F_ACCOUNT, false, 0, 0, 0, NULL, "the account that lost its key"},
	{"new_key", F_ACCOUNT, false, 0, 0, 0, NULL, "its owner's fresh public key"},
	END_FIELDS,
};

static const struct field_spec none_fields[] = {END_FIELDS};

static const struct field_spec appoint_fields[] = {
	{"account", F_ACCOUNT, false, 0, 0, 0, NULL, "the institution's or bot's key"},
	{"role", F_ENUM, false, 0, 0, 0, "insurer|regulator|bot", "role to grant"},
	{"display_name", F_STR, false, 0, 0, 64, NULL, "public name"},
	{"jurisdiction", F_STR, false, 0, 0, 6, NULL, "US, US-CA, DE, ..."},
	{"scopes", F_LIST_STR, true, 0, 0, USERS_MAX_SCOPES, NULL, "bots: op kinds allowed (x.y or x.*)"},
	END_FIELDS,
};

static const struct field_spec dismiss_fields[] = {
	{"account", F_ACCOUNT, false, 0, 0, 0, NULL, "insurer, regulator or bot to dismiss"},
	{"reason", F_STR, false, 0, 0, 200, NULL, "public reason"},
	END_FIELDS,
};

static const struct op_handler users_handlers[] = {
	{"user.register", "register yourself as a patient or a therapist (applicant until verified)",
	 "any key not yet registered", register_fields, user_register},
	{"profile.update", "change public fields or replace the private profile / emergency contact",
	 "a registered account", update_fields, profile_update},
	{"privacy.set", "set who may find and contact you and what you share",
	 "a registered account", privacy_fields, privacy_set},
	{"profile.share", "let one named account read your private profile or emergency contact",
	 "a registered account", share_fields, profile_share},
	{"profile.revoke", "stop sharing a private blob with an account",
	 "a registered account", revoke_fields, profile_revoke},
	{"recovery.guardians", "choose guardians and how many of them can move your account to a new key",
	 "a registered account", guardians_fields, recovery_guardians},
	{"recovery.approve", "approve moving an account to its owner's new key",
	 "a guardian of the account", approve_fields, recovery_approve},
	{"recovery.cancel", "cancel pending recovery approvals of your account",
	 "the account (its current key)", none_fields, recovery_cancel},
	{"user.appoint", "register an insurer, regulator or bot (council threshold)",
	 "council members", appoint_fields, user_appoint},
	{"user.dismiss", "remove an insurer, regulator or bot role (council threshold)",
	 "council members", dismiss_fields, user_dismiss},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract users_contract = {
	.name = "users",
	.summary = "registration, profiles, privacy, selective disclosure, social recovery",
	.migrations = users_migrations,
	.handlers = users_handlers,
};
