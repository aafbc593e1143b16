/* query_ui.c - read-only queries the terminal UI needs over large logs:
 * a window of the log by position, keyset pages for scanning in steps, and
 * the count of an author's ops. Like query.c, nothing here writes. Rows are
 * built from log_ops columns; only the body's place inside the raw op is
 * located (no decoding, no signature work), so a page costs one index walk. */
#include "query.h"
#include "engine.h"
#include "op.h"

#include <stdio.h>
#include <string.h>

#define QUI_COLS "l.id, l.author, l.seq, l.clock, l.epoch, l.kind, l.raw, o.ok, o.reason, l.applied"

size_t query_author_op_count(struct store *st, const uint8_t author[32])
{
	static const char sql[] = "SELECT count(*) FROM log_ops WHERE author = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return 0;
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	size_t n = sqlite3_step(s) == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}

/* Locate the body inside raw op bytes (see op.h for the envelope). */
static void qui_body(const uint8_t *raw, size_t len, const uint8_t **body, size_t *blen)
{
	*body = NULL;
	*blen = 0;
	if (!raw || len < OP_HEADER_FIXED + 1)
		return;
	size_t p = OP_HEADER_FIXED + 1 + raw[OP_HEADER_FIXED];
	uint64_t n;
	if (p >= len)
		return;
	int k = mv_varint_get(raw + p, len - p, &n);
	if (k <= 0 || n > len - p - (size_t)k)
		return;
	*body = raw + p + k;
	*blen = (size_t)n;
}

static void qui_copy_blob(uint8_t out[32], sqlite3_stmt *s, int col)
{
	memset(out, 0, 32);
	if (sqlite3_column_bytes(s, col) == 32)
		memcpy(out, sqlite3_column_blob(s, col), 32);
}

/* Fill r from a row of QUI_COLS, the same way query_log does. */
static void qui_row(sqlite3_stmt *s, struct q_logrow *r)
{
	memset(r, 0, sizeof *r);
	qui_copy_blob(r->id, s, 0);
	qui_copy_blob(r->author, s, 1);
	r->seq = (uint64_t)sqlite3_column_int64(s, 2);
	r->clock = (uint64_t)sqlite3_column_int64(s, 3);
	r->epoch = sqlite3_column_int64(s, 4);
	snprintf(r->kind, sizeof r->kind, "%s", (const char *)sqlite3_column_text(s, 5));
	qui_body(sqlite3_column_blob(s, 6), (size_t)sqlite3_column_bytes(s, 6), &r->body,
		 &r->body_len);
	if (sqlite3_column_type(s, 7) != SQLITE_NULL) {
		r->status = sqlite3_column_int(s, 7) ? Q_APPLIED : Q_REJECTED;
		const unsigned char *why = sqlite3_column_text(s, 8);
		snprintf(r->reason, sizeof r->reason, "%s", why ? (const char *)why : "");
	} else if (sqlite3_column_int(s, 9)) {
		r->status = Q_EXCLUDED;
		snprintf(r->reason, sizeof r->reason, "author equivocated");
	} else {
		r->status = Q_WAITING;
		snprintf(r->reason, sizeof r->reason, "not applied yet");
	}
}

static int qui_run(struct store *st, sqlite3_stmt *s, int (*cb)(void *ud, const struct q_logrow *r),
		   void *ud, struct mv_err *err)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_logrow r;
		qui_row(s, &r);
		if (cb(ud, &r))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "log");
}

/* Order key of the op at position off (index-only walk of log_ops_order). */
static int qui_key_at(struct store *st, bool desc, size_t off, struct q_logrow *key,
		      struct mv_err *err)
{
	static const char asc[] = "SELECT epoch, clock, id FROM log_ops "
				  "ORDER BY epoch, clock, id LIMIT 1 OFFSET ?1";
	static const char dsc[] = "SELECT epoch, clock, id FROM log_ops "
				  "ORDER BY epoch DESC, clock DESC, id DESC LIMIT 1 OFFSET ?1";
	sqlite3_stmt *s = store_prep(st, desc ? dsc : asc, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)off);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(key, 0, sizeof *key);
		key->epoch = sqlite3_column_int64(s, 0);
		key->clock = (uint64_t)sqlite3_column_int64(s, 1);
		qui_copy_blob(key->id, s, 2);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return MV_OK;
	return rc == SQLITE_DONE ? MV_ENOTFOUND : store_sqlerr(st, err, "log");
}

/* Rows from key (inclusive) on, in the given direction. */
static int qui_from_key(struct store *st, bool desc, const struct q_logrow *key, size_t limit,
			int (*cb)(void *ud, const struct q_logrow *r), void *ud, struct mv_err *err)
{
	static const char asc[] = "SELECT " QUI_COLS " FROM log_ops l LEFT JOIN op_outcome o "
				  "ON o.id = l.id WHERE (l.epoch, l.clock, l.id) >= (?2, ?3, ?4) "
				  "ORDER BY l.epoch, l.clock, l.id LIMIT ?1";
	static const char dsc[] = "SELECT " QUI_COLS " FROM log_ops l LEFT JOIN op_outcome o "
				  "ON o.id = l.id WHERE (l.epoch, l.clock, l.id) <= (?2, ?3, ?4) "
				  "ORDER BY l.epoch DESC, l.clock DESC, l.id DESC LIMIT ?1";
	sqlite3_stmt *s = store_prep(st, desc ? dsc : asc, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, limit ? (sqlite3_int64)limit : -1);
	sqlite3_bind_int64(s, 2, key->epoch);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)key->clock);
	sqlite3_bind_blob(s, 4, key->id, 32, SQLITE_STATIC);
	return qui_run(st, s, cb, ud, err);
}

/* Small offsets use OFFSET directly. Far ones first find the starting op's
 * order key by an index-only walk from the nearer end of the log, then read
 * the page from that key, so no full rows are built for skipped ops. */
int query_log_window(struct store *st, bool newest_first, size_t offset, size_t limit,
		     int (*cb)(void *ud, const struct q_logrow *r), void *ud,
		     struct mv_err *err)
{
	static const char asc[] = "SELECT " QUI_COLS " FROM log_ops l LEFT JOIN op_outcome o "
				  "ON o.id = l.id ORDER BY l.epoch, l.clock, l.id LIMIT ?1 OFFSET ?2";
	static const char desc[] = "SELECT " QUI_COLS " FROM log_ops l LEFT JOIN op_outcome o "
				   "ON o.id = l.id ORDER BY l.epoch DESC, l.clock DESC, l.id DESC "
				   "LIMIT ?1 OFFSET ?2";
	if (offset >= 1024) {
		size_t n = query_log_count(st);
		struct q_logrow key;
		if (offset >= n)
			return MV_OK;
		bool from_end = offset > n / 2;
		int rc = qui_key_at(st, from_end ? !newest_first : newest_first,
				    from_end ? n - 1 - offset : offset, &key, err);
		if (rc == MV_ENOTFOUND)
			return MV_OK;
		if (rc != MV_OK)
			return rc;
		return qui_from_key(st, newest_first, &key, limit, cb, ud, err);
	}
	sqlite3_stmt *s = store_prep(st, newest_first ? desc : asc, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, limit ? (sqlite3_int64)limit : -1);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)offset);
	return qui_run(st, s, cb, ud, err);
}

int query_log_after(struct store *st, bool newest_first, const struct q_logrow *after,
		    size_t limit, int (*cb)(void *ud, const struct q_logrow *r), void *ud,
		    struct mv_err *err)
{
	static const char asc0[] = "SELECT " QUI_COLS " FROM log_ops l LEFT JOIN op_outcome o "
				   "ON o.id = l.id ORDER BY l.epoch, l.clock, l.id LIMIT ?1";
	static const char desc0[] = "SELECT " QUI_COLS " FROM log_ops l LEFT JOIN op_outcome o "
				    "ON o.id = l.id ORDER BY l.epoch DESC, l.clock DESC, l.id DESC "
				    "LIMIT ?1";
	static const char asc[] = "SELECT " QUI_COLS " FROM log_ops l LEFT JOIN op_outcome o "
				  "ON o.id = l.id WHERE (l.epoch, l.clock, l.id) > (?2, ?3, ?4) "
				  "ORDER BY l.epoch, l.clock, l.id LIMIT ?1";
	static const char desc[] = "SELECT " QUI_COLS " FROM log_ops l LEFT JOIN op_outcome o "
				   "ON o.id = l.id WHERE (l.epoch, l.clock, l.id) < (?2, ?3, ?4) "
				   "ORDER BY l.epoch DESC, l.clock DESC, l.id DESC LIMIT ?1";
	const char *sql = after ? (newest_first ? desc : asc) : (newest_first ? desc0 : asc0);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, limit ? (sqlite3_int64)limit : -1);
	if (after) {
		sqlite3_bind_int64(s, 2, after->epoch);
		sqlite3_bind_int64(s, 3, (sqlite3_int64)after->clock);
		sqlite3_bind_blob(s, 4, after->id, 32, SQLITE_STATIC);
	}
	return qui_run(st, s, cb, ud, err);
}
