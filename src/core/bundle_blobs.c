/* bundle_blobs.c - the blob section of bundle files (see bundle_blobs.h).
 * Parsing is strict and separate from storing: a file with a bad section is
 * refused before any op or blob of it is stored. */
#include "bundle_blobs.h"
#include "blob.h"
#include "op.h"

#include <string.h>

#define BLOB_ENTRY_MAX (BLOB_MAX + 64)

int bundle_blobs_export(struct store *st, struct mv_buf *out, struct mv_err *err)
{
	static const char sql[] = "SELECT data FROM local_blobs WHERE erased = 0 AND data IS NOT NULL "
				  "ORDER BY hash";
	struct mv_buf sec = {0};
	uint64_t count = 0;
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	int rc = MV_OK, step;
	while (rc == MV_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(s, 0);
		if (n == 0 || n > BLOB_ENTRY_MAX)
			continue;
		if (mv_buf_varint(&sec, n) || mv_buf_append(&sec, sqlite3_column_blob(s, 0), n))
			rc = mv_fail(err, MV_ERR, "out of memory");
		count++;
	}
	if (rc == MV_OK && step != SQLITE_DONE)
		rc = store_sqlerr(st, err, "export blobs");
	sqlite3_reset(s);
	if (rc == MV_OK && count &&
	    (mv_buf_append(out, BUNDLE_BLOBS_MAGIC, 4) || mv_buf_varint(out, count) ||
	     mv_buf_append(out, sec.data, sec.len)))
		rc = mv_fail(err, MV_ERR, "out of memory");
	mv_buf_free(&sec);
	return rc;
}

/* Walk "count varint | (len varint | bytes) * count" from p; returns the
 * bytes used, or 0 if it is malformed (*why says how). */
static size_t walk_entries(const uint8_t *p, size_t n, size_t maxlen, uint64_t *count,
			   const char **why)
{
	size_t off = 0;
	int used = mv_varint_get(p, n, count);
	if (used <= 0) {
		*why = used ? "non-minimal count" : "truncated count";
		return 0;
	}
	off = (size_t)used;
	for (uint64_t i = 0; i < *count; i++) {
		uint64_t len;
		used = mv_varint_get(p + off, n - off, &len);
		if (used <= 0) {
			*why = used ? "non-minimal length" : "truncated";
			return 0;
		}
		off += (size_t)used;
		if (len == 0 || len > maxlen) {
			*why = "entry length out of range";
			return 0;
		}
		if (len > n - off) {
			*why = "truncated";
			return 0;
		}
		off += (size_t)len;
	}
	return off;
}

int bundle_blobs_split(const uint8_t *data, size_t len, size_t *ops_len, const uint8_t **sec,
		       size_t *sec_len, struct mv_err *err)
{
	uint64_t count;
	const char *why = "";
	*ops_len = len;
	*sec = NULL;
	*sec_len = 0;
	if (len < 4 || memcmp(data, "MVB1", 4) != 0)
		return MV_OK;
	size_t used = walk_entries(data + 4, len - 4, OP_MAX_SIZE, &count, &why);
	if (used == 0 || 4 + used == len)
		return MV_OK;
	*ops_len = 4 + used;
	const uint8_t *p = data + *ops_len;
	size_t n = len - *ops_len;
	if (n < 4 || memcmp(p, BUNDLE_BLOBS_MAGIC, 4) != 0)
		return mv_fail(err, MV_EINVAL, "bundle refused: trailing bytes after the ops "
					       "(not a blob section)");
	used = walk_entries(p + 4, n - 4, BLOB_ENTRY_MAX, &count, &why);
	if (used == 0)
		return mv_fail(err, MV_EINVAL, "bundle refused: blob section: %s", why);
	if (4 + used != n)
		return mv_fail(err, MV_EINVAL, "bundle refused: trailing bytes after the blob section");
	*sec = p;
	*sec_len = n;
	return MV_OK;
}

int bundle_blobs_import(struct store *st, const uint8_t *sec, size_t len, size_t *count,
			struct mv_err *err)
{
	static const char drop[] = "DELETE FROM local_blob_wants WHERE hash = ?";
	uint64_t n = 0;
	*count = 0;
	if (!sec || len < 4)
		return MV_OK;
	size_t off = 4 + (size_t)mv_varint_get(sec + 4, len - 4, &n);
	bool own_tx = !store_in_tx(st);
	if (own_tx && store_begin(st, err) != MV_OK)
		return MV_ERR;
	int rc = MV_OK;
	for (uint64_t i = 0; rc == MV_OK && i < n; i++) {
		uint64_t blen;
		uint8_t hash[32];
		off += (size_t)mv_varint_get(sec + off, len - off, &blen);
		rc = blob_put(st, sec + off, (size_t)blen, hash, err);
		off += (size_t)blen;
		sqlite3_stmt *s = rc == MV_OK ? store_prep(st, drop, err) : NULL;
		if (s) {
			sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = store_sqlerr(st, err, "blob wants");
		} else if (rc == MV_OK) {
			rc = MV_ERR;
		}
	}
	if (rc != MV_OK) {
		if (own_tx)
			store_rollback(st);
		return rc;
	}
	*count = (size_t)n;
	return own_tx ? store_commit(st, err) : MV_OK;
}
