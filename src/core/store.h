/* store.h - the local SQLite store: open (WAL, foreign keys, busy timeout),
 * migrations, transactions, cached prepared statements.
 *
 * Table naming is part of the design: tables named log_* hold the op log and
 * its bookkeeping, local_* hold node-local data (peers, blobs, settings);
 * every other table is contract state, recorded by SQLite sessions for undo
 * and hashed into the state root. Every state table has a PRIMARY KEY.
 *
 * Core tables migrate by PRAGMA user_version; each contract's tables migrate
 * by the versions it lists, tracked in local_schema(contract, version). */
#ifndef MV_STORE_H
#define MV_STORE_H

#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>
#include "util.h"

struct store;

/* Open or create the store at path and run all pending migrations. */
int store_open(struct store **out, const char *path, struct mv_err *err);
/* Open an in-memory store (tests). */
int store_open_memory(struct store **out, struct mv_err *err);
/* Open a private temporary store on disk (SQLite's temp directory: $TMPDIR,
 * else /var/tmp or /tmp), deleted when closed; its page cache is bounded, so
 * a large one costs disk, not memory (verify's scratch replay). */
int store_open_temp(struct store **out, struct mv_err *err);
void store_close(struct store *st);
sqlite3 *store_db(struct store *st);

/* Transactions. store_begin uses BEGIN IMMEDIATE. Nested calls are an error. */
int store_begin(struct store *st, struct mv_err *err);
int store_commit(struct store *st, struct mv_err *err);
void store_rollback(struct store *st);
bool store_in_tx(struct store *st);

/* Execute SQL without results. */
int store_exec(struct store *st, const char *sql, struct mv_err *err);

/* A prepared statement cached by the address of the SQL text (pass string
 * literals). It is reset and its bindings cleared before being returned; the
 * caller must not finalize it. NULL on error (err filled). */
sqlite3_stmt *store_prep(struct store *st, const char *sql, struct mv_err *err);

/* Reset every cached statement, ending any read snapshot one still holds
 * (store_begin does this; long-lived readers call it before reading anew). */
void store_reset_all(struct store *st);

/* Run one cached statement without results (SAVEPOINT, RELEASE, ...). */
int store_run(struct store *st, const char *sql, struct mv_err *err);

/* The network id (genesis op id), cached after the first read; NULL if the
 * store has no network yet. */
const uint8_t *store_network(struct store *st);
/* Forget cached values after the network changed (genesis accepted). */
void store_forget(struct store *st);

/* Reset every statement left active outside a transaction: a read that
 * was not reset keeps its snapshot, so a long-lived connection (a server)
 * would read stale data and fail to start writes (SQLITE_BUSY_SNAPSHOT). */
void store_idle(struct store *st);

/* Fill err from the connection's last error, prefixed with what. */
int store_sqlerr(struct store *st, struct mv_err *err, const char *what);

/* local_meta key/value (text). store_meta_get returns MV_ENOTFOUND if absent. */
int store_meta_set(struct store *st, const char *key, const char *value, struct mv_err *err);
int store_meta_get(struct store *st, const char *key, char *out, size_t outlen, struct mv_err *err);

/* Canonical digest of all state tables (see top comment) plus
 * log_equivocation: BLAKE2b-256 over, per table in name order, the table name
 * and every row in primary-key order with typed values. */
int store_state_root(struct store *st, uint8_t root[32], struct mv_err *err);

/* True if table is contract state (not log_* / local_* / sqlite_*). */
bool store_is_state_table(const char *name);

#endif
