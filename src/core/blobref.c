/* blobref.c - blob references in ops and the wants list sync works from
 * (see blobref.h). A body without the bytes "blob" cannot name a blob field,
 * so most ops are skipped without decoding. */
#include "blobref.h"
#include "blob.h"
#include "body.h"
#include "op.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOBREF_CURSOR "blobref.rowid"
#define BLOBREF_BATCH 2000
#define BLOBREF_PER_OP 64

static bool key_names_blob(const char *key)
{
	return strstr(key, "blob") != NULL;
}

size_t blobref_of_body(const uint8_t *body, size_t len, uint8_t (*refs)[32], size_t max)
{
	struct body b;
	size_t n = 0;
	if (!memmem(body, len, "blob", 4) || body_decode(&b, body, len, NULL) != MV_OK)
		return 0;
	for (size_t i = 0; i < b.n; i++) {
		const struct body_value *v = &b.f[i].v;
		if (!key_names_blob(b.f[i].key))
			continue;
		if (v->type == BODY_ID && n < max)
			memcpy(refs[n++], v->p, 32);
		for (size_t k = 0; v->type == BODY_LIST && k < v->n; k++)
			if (v->items[k].type == BODY_ID && n < max)
				memcpy(refs[n++], v->items[k].p, 32);
	}
	body_free(&b);
	return n;
}

/* Record a want unless the blob is here or tombstoned. */
static int want_add(struct store *st, const uint8_t hash[32], size_t *found, struct mv_err *err)
{
	static const char sql[] = "INSERT INTO local_blob_wants(hash, since) SELECT ?1, ?2 "
				  "WHERE NOT EXISTS (SELECT 1 FROM local_blobs WHERE hash = ?1) "
				  "ON CONFLICT(hash) DO NOTHING";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, mv_now_ms());
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlerr(st, err, "blob wants");
	*found += (size_t)sqlite3_changes(store_db(st));
	return MV_OK;
}

/* One batch of ops after rowid *cursor; *done when none are left. */
static int scan_batch(struct store *st, int64_t *cursor, bool *done, size_t *found,
		      struct mv_err *err)
{
	static const char sql[] = "SELECT rowid, raw FROM log_ops WHERE rowid > ? ORDER BY rowid LIMIT ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, *cursor);
	sqlite3_bind_int(s, 2, BLOBREF_BATCH);
	struct mv_buf raws = {0};
	size_t rows = 0;
	int rc = MV_OK;
	while (rc == MV_OK && sqlite3_step(s) == SQLITE_ROW) {
		*cursor = sqlite3_column_int64(s, 0);
		size_t len = (size_t)sqlite3_column_bytes(s, 1);
		const void *raw = sqlite3_column_blob(s, 1);
		if (len && memmem(raw, len, "blob", 4) &&
		    (mv_buf_varint(&raws, len) || mv_buf_append(&raws, raw, len)))
			rc = mv_fail(err, MV_ERR, "out of memory");
		rows++;
	}
	sqlite3_reset(s);
	*done = rows < BLOBREF_BATCH;
	for (size_t off = 0; rc == MV_OK && off < raws.len;) {
		uint64_t len;
		off += (size_t)mv_varint_get(raws.data + off, raws.len - off, &len);
		struct op op;
		uint8_t refs[BLOBREF_PER_OP][32];
		if (op_decode(&op, raws.data + off, (size_t)len, NULL) == MV_OK) {
			size_t n = blobref_of_body(op.body, op.body_len, refs, BLOBREF_PER_OP);
			for (size_t i = 0; rc == MV_OK && i < n; i++)
				rc = want_add(st, refs[i], found, err);
			op_free(&op);
		}
		off += (size_t)len;
	}
	mv_buf_free(&raws);
	return rc;
}

static int cursor_save(struct store *st, int64_t cursor, struct mv_err *err)
{
	char v[32];
	snprintf(v, sizeof v, "%" PRId64, cursor);
	return store_meta_set(st, BLOBREF_CURSOR, v, err);
}

int blobref_scan(struct store *st, size_t *found, struct mv_err *err)
{
	char v[32];
	int64_t cursor = 0;
	bool done = false;
	*found = 0;
	if (store_meta_get(st, BLOBREF_CURSOR, v, sizeof v, NULL) == MV_OK)
		cursor = strtoll(v, NULL, 10);
	while (!done) {
		if (store_begin(st, err) != MV_OK)
			return MV_ERR;
		int rc = scan_batch(st, &cursor, &done, found, err);
		if (rc == MV_OK)
			rc = cursor_save(st, cursor, err);
		if (rc == MV_OK)
			rc = store_commit(st, err);
		else
			store_rollback(st);
		if (rc != MV_OK)
			return rc;
	}
	return MV_OK;
}

int blobref_wants(struct store *st, uint8_t (*out)[32], size_t max, size_t *n, struct mv_err *err)
{
	static const char drop[] = "DELETE FROM local_blob_wants WHERE hash IN "
				   "(SELECT hash FROM local_blobs)";
	static const char sql[] = "SELECT hash FROM local_blob_wants ORDER BY tries, since LIMIT ?";
	*n = 0;
	sqlite3_stmt *s = store_prep(st, drop, err);
	if (!s || sqlite3_step(s) != SQLITE_DONE)
		return s ? store_sqlerr(st, err, "blob wants") : MV_ERR;
	if (!(s = store_prep(st, sql, err)))
		return MV_ERR;
	sqlite3_bind_int64(s, 1, (int64_t)max);
	while (*n < max && sqlite3_step(s) == SQLITE_ROW)
		if (sqlite3_column_bytes(s, 0) == 32)
			memcpy(out[(*n)++], sqlite3_column_blob(s, 0), 32);
	sqlite3_reset(s);
	return MV_OK;
}

size_t blobref_want_count(struct store *st)
{
	static const char sql[] = "SELECT count(*) FROM local_blob_wants";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return 0;
	size_t n = sqlite3_step(s) == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}

static int want_drop(struct store *st, const uint8_t hash[32], struct mv_err *err)
{
	static const char sql[] = "DELETE FROM local_blob_wants WHERE hash = ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "blob wants");
}

int blobref_got(struct store *st, const uint8_t hash[32], const uint8_t *cipher, size_t n,
		struct mv_err *err)
{
	uint8_t got[32];
	op_hash(got, cipher, n);
	if (memcmp(got, hash, 32) != 0)
		return mv_fail(err, MV_EINVAL, "blob refused: its content does not match its hash");
	if (store_begin(st, err) != MV_OK)
		return MV_ERR;
	int rc = blob_put(st, cipher, n, NULL, err);
	if (rc == MV_OK)
		rc = want_drop(st, hash, err);
	if (rc == MV_OK)
		return store_commit(st, err);
	store_rollback(st);
	return rc;
}

int blobref_missed(struct store *st, const uint8_t hash[32], struct mv_err *err)
{
	static const char sql[] = "UPDATE local_blob_wants SET tries = tries + 1 WHERE hash = ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "blob wants");
}
