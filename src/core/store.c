/* store.c - the local SQLite store.
 *
 * Guarantees: WAL journal, synchronous=NORMAL in WAL (durable at checkpoint,
 * never corrupt), foreign keys on, a busy timeout so a second process waits
 * instead of failing, and every mutation inside one transaction opened by the
 * caller. Core tables migrate by PRAGMA user_version; contract tables by the
 * per-contract versions in local_schema. Prepared statements are cached by the
 * address of their SQL text. The state root is computed here because it is a
 * property of the table layout (see store.h). */
#include "store.h"
#include "contract.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>


struct stmt_slot {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	bool in_tx;
	bool net_known;
	uint8_t net[32];
	struct stmt_slot *cache; /* grows; never evicts (a statement may be mid-step) */
	size_t ncache, capcache;
};

/* Core schema, one entry per user_version step. */
static const char *const core_migrations[] = {
	/* 1 */
	"CREATE TABLE local_meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);"
	"CREATE TABLE local_schema(contract TEXT PRIMARY KEY, version INTEGER NOT NULL);"
	"CREATE TABLE log_ops("
	"  id BLOB PRIMARY KEY, author BLOB NOT NULL, seq INTEGER NOT NULL,"
	"  clock INTEGER NOT NULL, epoch INTEGER NOT NULL, kind TEXT NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  applied INTEGER NOT NULL DEFAULT 0, seg INTEGER,"
	"  UNIQUE(author, seq));"
	"CREATE INDEX log_ops_order ON log_ops(epoch, clock, id);"
	"CREATE INDEX log_ops_todo ON log_ops(epoch, clock, id) WHERE applied = 0;"
	"CREATE INDEX log_ops_seg ON log_ops(seg) WHERE seg IS NOT NULL;"
	"CREATE TABLE log_pending("
	"  id BLOB PRIMARY KEY, author BLOB NOT NULL, seq INTEGER NOT NULL,"
	"  clock INTEGER NOT NULL, raw BLOB NOT NULL, why TEXT NOT NULL);"
	"CREATE INDEX log_pending_author ON log_pending(author, seq);"
	"CREATE TABLE log_undo(seg INTEGER PRIMARY KEY, changeset BLOB NOT NULL);"
	"CREATE TABLE log_evidence("
	"  author BLOB NOT NULL, seq INTEGER NOT NULL, id BLOB NOT NULL, raw BLOB NOT NULL,"
	"  PRIMARY KEY(author, seq, id));"
	"CREATE TABLE log_equivocation(author BLOB PRIMARY KEY, seq INTEGER NOT NULL);"
	"CREATE TABLE op_outcome(id BLOB PRIMARY KEY, ok INTEGER NOT NULL, reason TEXT NOT NULL);"
	"CREATE TABLE account_keys(key BLOB PRIMARY KEY, account BLOB NOT NULL,"
	"  retired INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE local_blobs(hash BLOB PRIMARY KEY, data BLOB, erased INTEGER NOT NULL DEFAULT 0);",
	/* 2: peers, what each is known to hold, blobs wanted from peers (net/sync.c) */
	"CREATE TABLE local_peers(address TEXT PRIMARY KEY, pin TEXT NOT NULL,"
	"  added INTEGER NOT NULL, last_contact INTEGER NOT NULL DEFAULT 0,"
	"  last_sync INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'new',"
	"  behind INTEGER NOT NULL DEFAULT 0, ahead INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE local_peer_heads(address TEXT NOT NULL, author BLOB NOT NULL,"
	"  seq INTEGER NOT NULL, PRIMARY KEY(address, author));"
	"CREATE INDEX local_peer_heads_author ON local_peer_heads(author, seq);"
	"CREATE TABLE local_blob_wants(hash BLOB PRIMARY KEY, since INTEGER NOT NULL,"
	"  tries INTEGER NOT NULL DEFAULT 0);",
	/* 3: final epochs (engine.c): what a council checkpoint finalized, and
	 * whether this node's state at that point matched the signed root */
	"CREATE TABLE log_epochs(epoch INTEGER PRIMARY KEY, time INTEGER NOT NULL,"
	"  root BLOB NOT NULL, digest BLOB NOT NULL, heads BLOB NOT NULL,"
	"  local_root BLOB NOT NULL, ops INTEGER NOT NULL);",
	/* 4: sync pages are read in clock order from the oldest op a peer lacks
	 * (heads.c); without this index every page sorted the whole log (515 ms
	 * a page at a million ops, 24 ms with it) */
	"CREATE INDEX log_ops_clock ON log_ops(clock);",
	/* 5: the companion's check-ins and thought records (companion.c): this
	 * node only, each row sealed under a key derived from its owner's
	 * identity; only owner, kind and time are in the clear */
	"CREATE TABLE local_companion(id INTEGER PRIMARY KEY, owner BLOB NOT NULL,"
	"  kind INTEGER NOT NULL, time INTEGER NOT NULL, box BLOB NOT NULL);"
	"CREATE INDEX local_companion_owner ON local_companion(owner, kind, time);",
};

sqlite3 *store_db(struct store *st) { return st->db; }
bool store_in_tx(struct store *st) { return st->in_tx; }

int store_sqlerr(struct store *st, struct mv_err *err, const char *what)
{
	return mv_fail(err, MV_ERR, "%s: %s", what, sqlite3_errmsg(st->db));
}

int store_exec(struct store *st, const char *sql, struct mv_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = mv_fail(err, MV_ERR, "store: %s", msg ? msg : "unknown error");
		sqlite3_free(msg);
		return rc;
	}
	return MV_OK;
}

sqlite3_stmt *store_prep(struct store *st, const char *sql, struct mv_err *err)
{
	for (size_t i = 0; i < st->ncache; i++) {
		if (st->cache[i].sql == sql) {
			sqlite3_stmt *s = st->cache[i].stmt;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
	}
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		store_sqlerr(st, err, "prepare");
		return NULL;
	}
	if (st->ncache == st->capcache) {
		size_t cap = st->capcache ? st->capcache * 2 : 256;
		struct stmt_slot *c = realloc(st->cache, cap * sizeof *c);
		if (!c) {
			sqlite3_finalize(s);
			mv_fail(err, MV_ERR, "out of memory");
			return NULL;
		}
		st->cache = c;
		st->capcache = cap;
	}
	st->cache[st->ncache].sql = sql;
	st->cache[st->ncache].stmt = s;
	st->ncache++;
	return s;
}

int store_run(struct store *st, const char *sql, struct mv_err *err)
{
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? MV_OK : store_sqlerr(st, err, sql);
}

const uint8_t *store_network(struct store *st)
{
	char hex[65];
	if (!st->net_known && store_meta_get(st, "network", hex, sizeof hex, NULL) == MV_OK &&
	    mv_unhex(st->net, 32, hex) == MV_OK)
		st->net_known = true;
	return st->net_known ? st->net : NULL;
}

void store_forget(struct store *st)
{
	st->net_known = false;
}

void store_idle(struct store *st)
{
	for (sqlite3_stmt *s = sqlite3_next_stmt(st->db, NULL); s; s = sqlite3_next_stmt(st->db, s))
		if (sqlite3_stmt_busy(s))
			sqlite3_reset(s);
}

void store_reset_all(struct store *st)
{
	for (size_t i = 0; i < st->ncache; i++)
		sqlite3_reset(st->cache[i].stmt);
}

int store_begin(struct store *st, struct mv_err *err)
{
	if (st->in_tx)
		return mv_fail(err, MV_ERR, "store: transaction already open");
	/* A cached statement left on a row holds a read snapshot; a write on top
	 * of an old snapshot fails with SQLITE_BUSY_SNAPSHOT in WAL mode. */
	store_reset_all(st);
	if (store_exec(st, "BEGIN IMMEDIATE", err) != MV_OK)
		return MV_ERR;
	st->in_tx = true;
	return MV_OK;
}

int store_commit(struct store *st, struct mv_err *err)
{
	if (!st->in_tx)
		return mv_fail(err, MV_ERR, "store: no transaction to commit");
	if (store_exec(st, "COMMIT", err) != MV_OK) {
		store_rollback(st);
		return MV_ERR;
	}
	st->in_tx = false;
	return MV_OK;
}

void store_rollback(struct store *st)
{
	st->net_known = false; /* a rolled-back genesis takes the network with it */
	if (st->in_tx) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		st->in_tx = false;
	}
}

int store_meta_set(struct store *st, const char *key, const char *value, struct mv_err *err)
{
	static const char sql[] = "INSERT INTO local_meta(k, v) VALUES(?, ?) "
				  "ON CONFLICT(k) DO UPDATE SET v = excluded.v";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlerr(st, err, "meta");
	return MV_OK;
}

int store_meta_get(struct store *st, const char *key, char *out, size_t outlen, struct mv_err *err)
{
	static const char sql[] = "SELECT v FROM local_meta WHERE k = ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s); /* an active statement would pin a stale read snapshot */
	if (rc == SQLITE_DONE)
		return mv_fail(err, MV_ENOTFOUND, "no %s recorded", key);
	if (rc != SQLITE_ROW)
		return store_sqlerr(st, err, "meta");
	return MV_OK;
}

static int store_migrate_core(struct store *st, struct mv_err *err)
{
	sqlite3_stmt *s;
	int version = 0;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return store_sqlerr(st, err, "user_version");
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	int latest = (int)(sizeof core_migrations / sizeof core_migrations[0]);
	if (version > latest)
		return mv_fail(err, MV_ERR,
			       "store schema version %d is newer than this program (%d): upgrade mentalverse",
			       version, latest);
	for (int v = version; v < latest; v++) {
		if (store_exec(st, core_migrations[v], err) != MV_OK)
			return MV_ERR;
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (store_exec(st, sql, err) != MV_OK)
			return MV_ERR;
	}
	return MV_OK;
}

static int store_contract_version(struct store *st, const char *name, int *out, struct mv_err *err)
{
	static const char sql[] = "SELECT version FROM local_schema WHERE contract = ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	*out = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s); /* else the connection keeps a read snapshot open */
	return MV_OK;
}

static int store_migrate_contracts(struct store *st, struct mv_err *err)
{
	static const char set_sql[] = "INSERT INTO local_schema(contract, version) VALUES(?, ?) "
				      "ON CONFLICT(contract) DO UPDATE SET version = excluded.version";
	for (size_t i = 0; contract_table[i]; i++) {
		const struct contract *c = contract_table[i];
		int have;
		if (store_contract_version(st, c->name, &have, err) != MV_OK)
			return MV_ERR;
		for (const struct migration *m = c->migrations; m && m->version; m++) {
			if (m->version <= have)
				continue;
			if (store_exec(st, m->sql, err) != MV_OK)
				return mv_fail(err, MV_ERR, "migrating %s to version %d: %s", c->name,
					       m->version, err ? err->msg : "");
			sqlite3_stmt *s = store_prep(st, set_sql, err);
			if (!s)
				return MV_ERR;
			sqlite3_bind_text(s, 1, c->name, -1, SQLITE_STATIC);
			sqlite3_bind_int(s, 2, m->version);
			if (sqlite3_step(s) != SQLITE_DONE)
				return store_sqlerr(st, err, "local_schema");
			have = m->version;
		}
	}
	return MV_OK;
}

static int store_setup(struct store *st, bool file, struct mv_err *err)
{
	sqlite3_busy_timeout(st->db, 10000);
	sqlite3_extended_result_codes(st->db, 1);
	if (file && store_exec(st, "PRAGMA journal_mode=WAL", err) != MV_OK)
		return MV_ERR;
	if (store_exec(st, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;", err) != MV_OK)
		return MV_ERR;
	if (store_begin(st, err) != MV_OK)
		return MV_ERR;
	if (store_migrate_core(st, err) != MV_OK || store_migrate_contracts(st, err) != MV_OK) {
		store_rollback(st);
		return MV_ERR;
	}
	return store_commit(st, err);
}

/* Opening a file store failed after SQLite opened it: when the cause is a
 * read-only store or a full disk, say so in words the user can act on
 * (SQLite says "attempt to write a readonly database" or, when WAL cannot
 * create its shared-memory file on a full disk, "disk I/O error"). */
static void store_explain(struct store *st, const char *path, struct mv_err *err)
{
	char dir[4096];
	struct statvfs vfs;
	int code = sqlite3_extended_errcode(st->db) & 0xff;
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	if (!err)
		return;
	char was[sizeof err->msg];
	snprintf(was, sizeof was, "%s", err->msg);
	if (code == SQLITE_READONLY || access(path, W_OK) != 0 || access(dir, W_OK) != 0) {
		mv_fail(err, MV_ERR, "store %s is read-only: the home directory and its files must "
			"be writable (check their permissions and the mount) [%s]", path, was);
	} else if (statvfs(dir, &vfs) == 0 &&
		   (unsigned long long)vfs.f_bavail * vfs.f_frsize < (1ull << 20)) {
		mv_fail(err, MV_ERR, "store %s: the disk is full (%llu KiB free); free some space "
			"and try again [%s]", path,
			(unsigned long long)vfs.f_bavail * vfs.f_frsize / 1024, was);
	}
}

static int store_open_uri(struct store **out, const char *path, bool file, struct mv_err *err)
{
	struct store *st = calloc(1, sizeof *st);
	if (!st)
		return mv_fail(err, MV_ERR, "out of memory");
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		mv_fail(err, MV_ERR, "cannot open store %s: %s", path,
			st->db ? sqlite3_errmsg(st->db) : "out of memory");
		sqlite3_close(st->db);
		free(st);
		return MV_ERR;
	}
	if (store_setup(st, file, err) != MV_OK) {
		if (file)
			store_explain(st, path, err);
		store_close(st);
		return MV_ERR;
	}
	*out = st;
	return MV_OK;
}

int store_open(struct store **out, const char *path, struct mv_err *err)
{
	return store_open_uri(out, path, true, err);
}

int store_open_memory(struct store **out, struct mv_err *err)
{
	return store_open_uri(out, ":memory:", false, err);
}

int store_open_temp(struct store **out, struct mv_err *err)
{
	if (store_open_uri(out, "", false, err) != MV_OK)
		return MV_ERR;
	/* Nobody else reads it and it dies with the process: no fsync, and a
	 * 16 MiB page cache (the default 2 MiB makes a replay spill pages). */
	if (store_exec(*out, "PRAGMA synchronous=OFF; PRAGMA cache_size=-16384;", err) != MV_OK) {
		store_close(*out);
		*out = NULL;
		return MV_ERR;
	}
	return MV_OK;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	store_rollback(st);
	for (size_t i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	free(st->cache);
	sqlite3_close(st->db);
	free(st);
}

bool store_is_state_table(const char *name)
{
	return strncmp(name, "log_", 4) != 0 && strncmp(name, "local_", 6) != 0 &&
	       strncmp(name, "sqlite_", 7) != 0;
}

/* ---- state root ------------------------------------------------------ */

static void root_value(crypto_generichash_state *h, sqlite3_stmt *s, int col)
{
	uint8_t tag = (uint8_t)sqlite3_column_type(s, col);
	uint8_t buf[9];
	crypto_generichash_update(h, &tag, 1);
	switch (tag) {
	case SQLITE_INTEGER:
		mv_put_u64(buf, (uint64_t)sqlite3_column_int64(s, col));
		crypto_generichash_update(h, buf, 8);
		break;
	case SQLITE_TEXT:
	case SQLITE_BLOB: {
		const void *p = tag == SQLITE_TEXT ? (const void *)sqlite3_column_text(s, col)
						   : sqlite3_column_blob(s, col);
		uint64_t n = (uint64_t)sqlite3_column_bytes(s, col);
		mv_put_u64(buf, n);
		crypto_generichash_update(h, buf, 8);
		if (n)
			crypto_generichash_update(h, p, n);
		break;
	}
	case SQLITE_FLOAT: /* contracts never store floats; hash the text form */
		crypto_generichash_update(h, sqlite3_column_text(s, col),
					  (size_t)sqlite3_column_bytes(s, col));
		break;
	default:
		break;
	}
}

/* "ORDER BY" clause listing the primary-key columns of table in key order. */
static int root_pk_order(sqlite3 *db, const char *table, char *out, size_t outlen)
{
	char sql[256];
	sqlite3_stmt *s;
	snprintf(sql, sizeof sql, "SELECT name, pk FROM pragma_table_info('%s') WHERE pk > 0 ORDER BY pk",
		 table);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return MV_ERR;
	size_t len = 0;
	int n = 0;
	out[0] = '\0';
	while (sqlite3_step(s) == SQLITE_ROW) {
		int w = snprintf(out + len, outlen - len, "%s\"%s\"", n ? ", " : "",
				 (const char *)sqlite3_column_text(s, 0));
		if (w < 0 || (size_t)w >= outlen - len) {
			sqlite3_finalize(s);
			return MV_ERR;
		}
		len += (size_t)w;
		n++;
	}
	sqlite3_finalize(s);
	return n > 0 ? MV_OK : MV_ERR;
}

static int root_table(struct store *st, crypto_generichash_state *h, const char *table,
		      struct mv_err *err)
{
	char order[512], sql[768];
	if (root_pk_order(st->db, table, order, sizeof order) != MV_OK)
		return mv_fail(err, MV_ERR, "state table %s has no primary key", table);
	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY %s", table, order);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlerr(st, err, "state root");
	uint8_t len = (uint8_t)strlen(table);
	crypto_generichash_update(h, &len, 1);
	crypto_generichash_update(h, (const uint8_t *)table, len);
	int cols = sqlite3_column_count(s), rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		uint8_t mark = 0xff;
		crypto_generichash_update(h, &mark, 1);
		for (int c = 0; c < cols; c++)
			root_value(h, s, c);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "state root");
}

int store_state_root(struct store *st, uint8_t root[32], struct mv_err *err)
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, (const uint8_t *)"mentalverse-state-v1", 20, 32);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
			       -1, &s, NULL) != SQLITE_OK)
		return store_sqlerr(st, err, "state root");
	int rc = MV_OK;
	while (rc == MV_OK && sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		if (store_is_state_table(name) || strcmp(name, "log_equivocation") == 0)
			rc = root_table(st, &h, name, err);
	}
	sqlite3_finalize(s);
	if (rc == MV_OK)
		crypto_generichash_final(&h, root, 32);
	return rc;
}
