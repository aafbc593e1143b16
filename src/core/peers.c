/* peers.c - known peers and their acknowledged heads (see peers.h).
 *
 * Every write is one statement or one transaction of the caller's; nothing
 * here touches the log or contract state. */
#include "peers.h"

#include <stdio.h>
#include <string.h>

int peers_add(struct store *st, const char *address, const char *pin, struct mv_err *err)
{
	static const char sql[] = "INSERT INTO local_peers(address, pin, added) VALUES(?, ?, ?) "
				  "ON CONFLICT(address) DO NOTHING";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, address, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, pin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, mv_now_ms());
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlerr(st, err, "peer add");
	if (sqlite3_changes(store_db(st)) == 0)
		return mv_fail(err, MV_EEXIST, "peer %s is already known", address);
	return MV_OK;
}

int peers_remove(struct store *st, const char *address, struct mv_err *err)
{
	static const char heads[] = "DELETE FROM local_peer_heads WHERE address = ?";
	static const char sql[] = "DELETE FROM local_peers WHERE address = ?";
	sqlite3_stmt *s = store_prep(st, heads, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, address, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlerr(st, err, "peer remove");
	if (!(s = store_prep(st, sql, err)))
		return MV_ERR;
	sqlite3_bind_text(s, 1, address, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlerr(st, err, "peer remove");
	if (sqlite3_changes(store_db(st)) == 0)
		return mv_fail(err, MV_ENOTFOUND, "no peer %s (see `mentalverse peer list`)", address);
	return MV_OK;
}

static void peers_row(sqlite3_stmt *s, struct peer *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->address, sizeof p->address, "%s", (const char *)sqlite3_column_text(s, 0));
	snprintf(p->pin, sizeof p->pin, "%s", (const char *)sqlite3_column_text(s, 1));
	p->added_ms = sqlite3_column_int64(s, 2);
	p->last_contact_ms = sqlite3_column_int64(s, 3);
	p->last_sync_ms = sqlite3_column_int64(s, 4);
	snprintf(p->status, sizeof p->status, "%s", (const char *)sqlite3_column_text(s, 5));
	p->behind = sqlite3_column_int64(s, 6);
	p->ahead = sqlite3_column_int64(s, 7);
}

#define PEER_COLS "address, pin, added, last_contact, last_sync, status, behind, ahead"

int peers_get(struct store *st, const char *address, struct peer *out, struct mv_err *err)
{
	static const char sql[] = "SELECT " PEER_COLS " FROM local_peers WHERE address = ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, address, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		peers_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return MV_OK;
	return rc == SQLITE_DONE ? mv_fail(err, MV_ENOTFOUND, "no peer %s", address)
				 : store_sqlerr(st, err, "peer");
}

int peers_list(struct store *st, int (*cb)(void *ud, const struct peer *p), void *ud,
	       struct mv_err *err)
{
	/* Own statement: callbacks may use the store (peers_get, sync). */
	static const char sql[] = "SELECT " PEER_COLS " FROM local_peers ORDER BY address";
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlerr(st, err, "peers");
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct peer p;
		peers_row(s, &p);
		if (cb(ud, &p))
			break;
	}
	int bad = rc != SQLITE_ROW && rc != SQLITE_DONE;
	sqlite3_finalize(s);
	return bad ? store_sqlerr(st, err, "peers") : MV_OK;
}

size_t peers_count(struct store *st)
{
	static const char sql[] = "SELECT count(*) FROM local_peers";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return 0;
	size_t n = sqlite3_step(s) == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}

int peers_record(struct store *st, const char *address, const char *status, int64_t contact_ms,
		 bool synced, int64_t behind, int64_t ahead, struct mv_err *err)
{
	static const char sql[] =
		"UPDATE local_peers SET status = ?2,"
		" last_contact = CASE WHEN ?3 > 0 THEN ?3 ELSE last_contact END,"
		" last_sync = CASE WHEN ?4 > 0 THEN ?4 ELSE last_sync END,"
		" behind = CASE WHEN ?5 >= 0 THEN ?5 ELSE behind END,"
		" ahead = CASE WHEN ?6 >= 0 THEN ?6 ELSE ahead END WHERE address = ?1";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, address, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, contact_ms);
	sqlite3_bind_int64(s, 4, synced ? (contact_ms > 0 ? contact_ms : mv_now_ms()) : 0);
	sqlite3_bind_int64(s, 5, behind);
	sqlite3_bind_int64(s, 6, ahead);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "peer record");
}

int peers_ack(struct store *st, const char *address, const struct heads *h, struct mv_err *err)
{
	static const char sql[] = "INSERT INTO local_peer_heads(address, author, seq) "
				  "SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM local_peers WHERE address = ?1) "
				  "ON CONFLICT(address, author) DO UPDATE SET seq = max(seq, excluded.seq)";
	bool own_tx = !store_in_tx(st);
	if (own_tx && store_begin(st, err) != MV_OK)
		return MV_ERR;
	int rc = MV_OK;
	for (size_t i = 0; rc == MV_OK && i < h->n; i++) {
		sqlite3_stmt *s = store_prep(st, sql, err);
		if (!s) {
			rc = MV_ERR;
			break;
		}
		sqlite3_bind_text(s, 1, address, -1, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, h->v[i].author, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, (int64_t)h->v[i].seq);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(st, err, "peer heads");
	}
	if (!own_tx)
		return rc;
	if (rc == MV_OK)
		return store_commit(st, err);
	store_rollback(st);
	return rc;
}

uint64_t peers_unshared(struct store *st)
{
	static const char sql[] =
		"SELECT coalesce(sum(max(0, o.head - coalesce("
		"  (SELECT max(h.seq) FROM local_peer_heads h WHERE h.author = o.author), 0))), 0) "
		"FROM (SELECT author, max(seq) AS head FROM log_ops GROUP BY author) o";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return 0;
	uint64_t n = sqlite3_step(s) == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}
