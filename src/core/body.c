/* body.c - the canonical body of an op: a record of named, typed fields
 * (encoding in body.h and docs/protocol.md).
 *
 * Guarantees: body_decode accepts exactly one encoding per record (keys
 * strictly ascending, minimal varints, known types, valid UTF-8 strings, no
 * trailing bytes) and reports the field at fault; the builder produces that
 * same encoding whatever order fields were added in. Decoded values point
 * into the caller's bytes; only LIST item arrays are allocated. */
#include "body.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *body_type_name(int t)
{
	switch (t) {
	case BODY_INT: return "INT";
	case BODY_STR: return "STR";
	case BODY_BYTES: return "BYTES";
	case BODY_ID: return "ID";
	case BODY_LIST: return "LIST";
	default: return "unknown";
	}
}

static bool body_key_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool body_key_valid(const char *key)
{
	if (!key)
		return false;
	size_t n = strnlen(key, 33);
	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!body_key_char((uint8_t)key[i]))
			return false;
	return true;
}

/* ---- decoding ---------------------------------------------------------- */

/* Cursor plus the name of the field being read, for error messages. */
struct body_rd {
	const uint8_t *p;
	size_t left;
	const char *key;
};

static int body_take(struct body_rd *r, const uint8_t **out, size_t n, const char *what,
		     struct mv_err *err)
{
	if (r->left < n)
		return mv_fail(err, MV_EINVAL, "body truncated in %s of field '%s' (%zu of %zu bytes)",
			       what, r->key, r->left, n);
	*out = r->p;
	r->p += n;
	r->left -= n;
	return MV_OK;
}

static int body_varint(struct body_rd *r, uint64_t *v, const char *what, struct mv_err *err)
{
	int n = mv_varint_get(r->p, r->left, v);
	if (n == 0)
		return mv_fail(err, MV_EINVAL, "body truncated in %s of field '%s'", what, r->key);
	if (n < 0)
		return mv_fail(err, MV_EINVAL, "non-minimal or overlong %s in field '%s'", what, r->key);
	r->p += n;
	r->left -= (size_t)n;
	return MV_OK;
}

/* A varint length followed by that many bytes. */
static int body_lenbytes(struct body_rd *r, struct body_value *v, struct mv_err *err)
{
	uint64_t n;
	int rc = body_varint(r, &n, "length", err);
	if (rc != MV_OK)
		return rc;
	if (n > r->left)
		return mv_fail(err, MV_EINVAL, "field '%s' length %llu exceeds the %zu bytes left",
			       r->key, (unsigned long long)n, r->left);
	v->n = (size_t)n;
	return body_take(r, &v->p, v->n, "value", err);
}

/* One value of a scalar type (INT, STR, BYTES, ID). */
static int body_scalar(struct body_rd *r, int type, struct body_value *v, struct mv_err *err)
{
	const uint8_t *p = NULL;
	int rc;
	v->type = (enum body_type)type;
	switch (type) {
	case BODY_INT:
		rc = body_take(r, &p, 8, "value", err);
		if (rc == MV_OK)
			v->i = (int64_t)mv_get_u64(p);
		return rc;
	case BODY_STR:
		rc = body_lenbytes(r, v, err);
		if (rc == MV_OK && !mv_utf8_valid(v->p, v->n))
			return mv_fail(err, MV_EINVAL, "field '%s' is not valid UTF-8 text "
				       "(or holds a control character)", r->key);
		return rc;
	case BODY_BYTES:
		return body_lenbytes(r, v, err);
	case BODY_ID:
		v->n = 32;
		return body_take(r, &v->p, 32, "value", err);
	default:
		return mv_fail(err, MV_EINVAL, "unknown value type 0x%02x in field '%s'", type, r->key);
	}
}

static int body_read_list(struct body_rd *r, struct body_value *v, struct mv_err *err)
{
	uint64_t count;
	int rc = body_varint(r, &count, "list count", err);
	if (rc != MV_OK)
		return rc;
	if (count > BODY_MAX_LIST)
		return mv_fail(err, MV_EINVAL, "list '%s' too long (%llu > %d items)",
			       r->key, (unsigned long long)count, BODY_MAX_LIST);
	if (count > r->left / 2) /* every item takes at least 2 bytes */
		return mv_fail(err, MV_EINVAL, "body truncated in list '%s' (%llu items, %zu bytes left)",
			       r->key, (unsigned long long)count, r->left);
	v->type = BODY_LIST;
	v->n = (size_t)count;
	if (count == 0)
		return MV_OK;
	v->items = calloc((size_t)count, sizeof *v->items);
	if (!v->items)
		return mv_fail(err, MV_ERR, "out of memory");
	for (size_t i = 0; i < count; i++) {
		const uint8_t *t = NULL;
		rc = body_take(r, &t, 1, "list item type", err);
		if (rc == MV_OK && *t == BODY_LIST)
			rc = mv_fail(err, MV_EINVAL, "nested list in field '%s'", r->key);
		if (rc == MV_OK)
			rc = body_scalar(r, *t, &v->items[i], err);
		if (rc != MV_OK)
			return rc;
	}
	return MV_OK;
}

static int body_field(struct body_rd *r, struct body_field *f, const char *prev,
		      size_t idx, struct mv_err *err)
{
	const uint8_t *p = NULL;
	char label[32];
	snprintf(label, sizeof label, "#%zu", idx + 1);
	r->key = label;
	int rc = body_take(r, &p, 1, "key length", err);
	if (rc != MV_OK)
		return rc;
	size_t klen = *p;
	if (klen == 0 || klen > 32)
		return mv_fail(err, MV_EINVAL, "field %s key length %zu (must be 1..32)", label, klen);
	rc = body_take(r, &p, klen, "key", err);
	if (rc != MV_OK)
		return rc;
	memcpy(f->key, p, klen);
	f->key[klen] = '\0';
	for (size_t i = 0; i < klen; i++)
		if (!body_key_char(p[i]))
			return mv_fail(err, MV_EINVAL, "field %s key has invalid byte 0x%02x "
				       "(allowed: a-z 0-9 _)", label, p[i]);
	if (prev && strcmp(prev, f->key) >= 0)
		return mv_fail(err, MV_EINVAL, "field '%s' %s (keys must be unique and ascending)",
			       f->key, strcmp(prev, f->key) == 0 ? "is duplicated" : "is out of order");
	r->key = f->key;
	rc = body_take(r, &p, 1, "type", err);
	if (rc != MV_OK)
		return rc;
	if (*p == BODY_LIST)
		return body_read_list(r, &f->v, err);
	return body_scalar(r, *p, &f->v, err);
}

int body_decode(struct body *b, const uint8_t *data, size_t len, struct mv_err *err)
{
	memset(b, 0, sizeof *b);
	struct body_rd r = {data, len, "count"};
	uint64_t count;
	int n = mv_varint_get(data, len, &count);
	if (n == 0)
		return mv_fail(err, MV_EINVAL, "body truncated in field count");
	if (n < 0)
		return mv_fail(err, MV_EINVAL, "non-minimal or overlong field count in body");
	r.p += n;
	r.left -= (size_t)n;
	if (count > BODY_MAX_FIELDS)
		return mv_fail(err, MV_EINVAL, "body has too many fields (%llu > %d)",
			       (unsigned long long)count, BODY_MAX_FIELDS);
	int rc = MV_OK;
	for (size_t i = 0; rc == MV_OK && i < count; i++) {
		b->n = i + 1; /* so body_free releases a partly decoded field */
		rc = body_field(&r, &b->f[i], i ? b->f[i - 1].key : NULL, i, err);
	}
	if (rc == MV_OK && r.left > 0)
		rc = mv_fail(err, MV_EINVAL, "trailing bytes after body (%zu)", r.left);
	if (rc != MV_OK)
		body_free(b);
	return rc;
}

void body_free(struct body *b)
{
	for (size_t i = 0; i < b->n && i < BODY_MAX_FIELDS; i++)
		free(b->f[i].v.items);
	memset(b, 0, sizeof *b);
}

/* ---- lookups ----------------------------------------------------------- */

const struct body_value *body_get(const struct body *b, const char *key)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->f[i].key, key) == 0)
			return &b->f[i].v;
	return NULL;
}

/* The field of that type, or NULL with err filled. */
static const struct body_value *body_typed(const struct body *b, const char *key, int type,
					   int *rc, struct mv_err *err)
{
	const struct body_value *v = body_get(b, key);
	if (!v) {
		*rc = mv_fail(err, MV_ENOTFOUND, "missing field '%s'", key);
		return NULL;
	}
	if ((int)v->type != type) {
		*rc = mv_fail(err, MV_EINVAL, "field '%s' is %s, expected %s", key,
			      body_type_name(v->type), body_type_name(type));
		return NULL;
	}
	*rc = MV_OK;
	return v;
}

int body_int(const struct body *b, const char *key, int64_t *out, struct mv_err *err)
{
	int rc;
	const struct body_value *v = body_typed(b, key, BODY_INT, &rc, err);
	if (v)
		*out = v->i;
	return rc;
}

int body_str(const struct body *b, const char *key, char *out, size_t outlen, struct mv_err *err)
{
	int rc;
	const struct body_value *v = body_typed(b, key, BODY_STR, &rc, err);
	if (!v)
		return rc;
	if (v->n >= outlen)
		return mv_fail(err, MV_EINVAL, "field '%s' too long (%zu bytes, at most %zu)",
			       key, v->n, outlen ? outlen - 1 : 0);
	if (v->n)
		memcpy(out, v->p, v->n);
	out[v->n] = '\0';
	return MV_OK;
}

int body_id(const struct body *b, const char *key, uint8_t out[32], struct mv_err *err)
{
	int rc;
	const struct body_value *v = body_typed(b, key, BODY_ID, &rc, err);
	if (v)
		memcpy(out, v->p, 32);
	return rc;
}

int body_bytes(const struct body *b, const char *key, const uint8_t **p, size_t *n,
	       struct mv_err *err)
{
	int rc;
	const struct body_value *v = body_typed(b, key, BODY_BYTES, &rc, err);
	if (v) {
		*p = v->p;
		*n = v->n;
	}
	return rc;
}

int body_list(const struct body *b, const char *key, const struct body_value **items,
	      size_t *n, struct mv_err *err)
{
	int rc;
	const struct body_value *v = body_typed(b, key, BODY_LIST, &rc, err);
	if (v) {
		*items = v->items;
		*n = v->n;
	}
	return rc;
}

/* ---- builder ----------------------------------------------------------- */

void bb_init(struct body_builder *bb)
{
	memset(bb, 0, sizeof *bb);
}

/* Records the first error only; later calls become no-ops. */
static void bb_error(struct body_builder *bb, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void bb_error(struct body_builder *bb, int code, const char *fmt, ...)
{
	if (bb->error)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(bb->errmsg, sizeof bb->errmsg, fmt, ap);
	va_end(ap);
	bb->error = code;
}

/* Opens field slot bb->n for key; NULL (error recorded) if impossible. */
static struct mv_buf *bb_slot(struct body_builder *bb, const char *key)
{
	if (bb->error)
		return NULL;
	if (bb->list_open) {
		bb_error(bb, MV_EINVAL, "field '%.32s' added while list '%s' is open",
			 key ? key : "(null)", bb->f[bb->n].key);
		return NULL;
	}
	if (!body_key_valid(key)) {
		bb_error(bb, MV_EINVAL, "invalid field name '%.32s' (1..32 of a-z 0-9 _)",
			 key ? key : "(null)");
		return NULL;
	}
	if (bb->n >= BODY_MAX_FIELDS) {
		bb_error(bb, MV_EINVAL, "too many fields (more than %d) at '%s'", BODY_MAX_FIELDS, key);
		return NULL;
	}
	strcpy(bb->f[bb->n].key, key);
	bb->f[bb->n].enc = (struct mv_buf){0};
	return &bb->f[bb->n].enc;
}

static void bb_oom(struct body_builder *bb, int rc)
{
	if (rc != MV_OK)
		bb_error(bb, MV_ERR, "out of memory");
}

/* type byte + value for a scalar, appended to out. */
static int bb_enc_int(struct mv_buf *out, int64_t v)
{
	int rc = mv_buf_byte(out, BODY_INT);
	return rc == MV_OK ? mv_buf_u64(out, (uint64_t)v) : rc;
}

static int bb_enc_lenbytes(struct mv_buf *out, int type, const void *p, size_t n)
{
	int rc = mv_buf_byte(out, (uint8_t)type);
	if (rc == MV_OK)
		rc = mv_buf_varint(out, n);
	return rc == MV_OK ? mv_buf_append(out, p, n) : rc;
}

static int bb_enc_id(struct mv_buf *out, const uint8_t id[32])
{
	int rc = mv_buf_byte(out, BODY_ID);
	return rc == MV_OK ? mv_buf_append(out, id, 32) : rc;
}

/* A field is counted only once its value is encoded. */
static void bb_commit(struct body_builder *bb, struct mv_buf *enc, int rc)
{
	if (rc == MV_OK) {
		bb->n++;
		return;
	}
	mv_buf_free(enc);
	bb_oom(bb, rc);
}

static bool bb_str_ok(struct body_builder *bb, const char *s, const char *what)
{
	if (s && mv_utf8_valid((const uint8_t *)s, strlen(s)))
		return true;
	bb_error(bb, MV_EINVAL, "field '%s' is not valid UTF-8 text (or holds a control character)", what);
	return false;
}

static bool bb_bytes_ok(struct body_builder *bb, const void *p, size_t n, const char *what)
{
	if (p || n == 0)
		return true;
	bb_error(bb, MV_EINVAL, "field '%s' has a NULL value", what);
	return false;
}

void bb_int(struct body_builder *bb, const char *key, int64_t v)
{
	struct mv_buf *enc = bb_slot(bb, key);
	if (enc)
		bb_commit(bb, enc, bb_enc_int(enc, v));
}

void bb_str(struct body_builder *bb, const char *key, const char *s)
{
	struct mv_buf *enc = bb_slot(bb, key);
	if (enc && bb_str_ok(bb, s, key))
		bb_commit(bb, enc, bb_enc_lenbytes(enc, BODY_STR, s, strlen(s)));
}

void bb_bytes(struct body_builder *bb, const char *key, const void *p, size_t n)
{
	struct mv_buf *enc = bb_slot(bb, key);
	if (enc && bb_bytes_ok(bb, p, n, key))
		bb_commit(bb, enc, bb_enc_lenbytes(enc, BODY_BYTES, p, n));
}

void bb_id(struct body_builder *bb, const char *key, const uint8_t id[32])
{
	struct mv_buf *enc = bb_slot(bb, key);
	if (enc && bb_bytes_ok(bb, id, 1, key))
		bb_commit(bb, enc, bb_enc_id(enc, id));
}

void bb_list_begin(struct body_builder *bb, const char *key)
{
	if (!bb_slot(bb, key))
		return;
	bb->list_open = 1;
	bb->list_count = 0;
	bb->list.len = 0;
}

/* True if an item may be added to the open list (error recorded if not). */
static bool bb_list_item_ok(struct body_builder *bb)
{
	if (bb->error)
		return false;
	if (!bb->list_open) {
		bb_error(bb, MV_EINVAL, "list item added with no open list");
		return false;
	}
	if (bb->list_count >= BODY_MAX_LIST) {
		bb_error(bb, MV_EINVAL, "list '%s' too long (more than 1024 items)", bb->f[bb->n].key);
		return false;
	}
	return true;
}

static void bb_list_added(struct body_builder *bb, int rc)
{
	if (rc == MV_OK)
		bb->list_count++;
	else
		bb_oom(bb, rc);
}

void bb_list_int(struct body_builder *bb, int64_t v)
{
	if (bb_list_item_ok(bb))
		bb_list_added(bb, bb_enc_int(&bb->list, v));
}

void bb_list_str(struct body_builder *bb, const char *s)
{
	if (bb_list_item_ok(bb) && bb_str_ok(bb, s, bb->f[bb->n].key))
		bb_list_added(bb, bb_enc_lenbytes(&bb->list, BODY_STR, s, strlen(s)));
}

void bb_list_id(struct body_builder *bb, const uint8_t id[32])
{
	if (bb_list_item_ok(bb) && bb_bytes_ok(bb, id, 1, bb->f[bb->n].key))
		bb_list_added(bb, bb_enc_id(&bb->list, id));
}

void bb_list_bytes(struct body_builder *bb, const void *p, size_t n)
{
	if (bb_list_item_ok(bb) && bb_bytes_ok(bb, p, n, bb->f[bb->n].key))
		bb_list_added(bb, bb_enc_lenbytes(&bb->list, BODY_BYTES, p, n));
}

void bb_list_end(struct body_builder *bb)
{
	if (bb->error)
		return;
	if (!bb->list_open) {
		bb_error(bb, MV_EINVAL, "list end with no open list");
		return;
	}
	struct mv_buf *enc = &bb->f[bb->n].enc;
	int rc = mv_buf_byte(enc, BODY_LIST);
	if (rc == MV_OK)
		rc = mv_buf_varint(enc, bb->list_count);
	if (rc == MV_OK)
		rc = mv_buf_append(enc, bb->list.data, bb->list.len);
	bb->list_open = 0;
	bb->list.len = 0;
	bb_commit(bb, enc, rc);
}

/* Sorted order of the fields as indexes into bb->f (the builder's field
 * entries are not moved, so bb_free stays simple). */
static void bb_sort(const struct body_builder *bb, size_t order[BODY_MAX_FIELDS])
{
	for (size_t i = 0; i < bb->n; i++) {
		size_t j = i;
		while (j > 0 && strcmp(bb->f[order[j - 1]].key, bb->f[i].key) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
}

static int bb_encode(const struct body_builder *bb, const size_t *order, struct mv_buf *out)
{
	int rc = mv_buf_varint(out, bb->n);
	for (size_t i = 0; rc == MV_OK && i < bb->n; i++) {
		const char *key = bb->f[order[i]].key;
		const struct mv_buf *enc = &bb->f[order[i]].enc;
		rc = mv_buf_byte(out, (uint8_t)strlen(key));
		if (rc == MV_OK)
			rc = mv_buf_append(out, key, strlen(key));
		if (rc == MV_OK)
			rc = mv_buf_append(out, enc->data, enc->len);
	}
	return rc;
}

static int bb_check(const struct body_builder *bb, const size_t *order, struct mv_err *err)
{
	if (bb->error)
		return mv_fail(err, bb->error, "%s", bb->errmsg);
	if (bb->list_open)
		return mv_fail(err, MV_EINVAL, "list '%s' was not closed", bb->f[bb->n].key);
	for (size_t i = 1; i < bb->n; i++)
		if (strcmp(bb->f[order[i - 1]].key, bb->f[order[i]].key) == 0)
			return mv_fail(err, MV_EINVAL, "duplicate field '%s'", bb->f[order[i]].key);
	return MV_OK;
}

int bb_build(struct body_builder *bb, struct mv_buf *out, struct mv_err *err)
{
	size_t order[BODY_MAX_FIELDS];
	*out = (struct mv_buf){0};
	bb_sort(bb, order);
	int rc = bb_check(bb, order, err);
	if (rc == MV_OK && bb_encode(bb, order, out) != MV_OK) {
		mv_buf_free(out);
		rc = mv_fail(err, MV_ERR, "out of memory");
	}
	bb_free(bb);
	return rc;
}

void bb_free(struct body_builder *bb)
{
	for (size_t i = 0; i < bb->n && i < BODY_MAX_FIELDS; i++)
		mv_buf_free(&bb->f[i].enc);
	if (bb->list_open && bb->n < BODY_MAX_FIELDS)
		mv_buf_free(&bb->f[bb->n].enc);
	mv_buf_free(&bb->list);
	bb->n = 0;
	bb->list_open = 0;
	bb->list_count = 0;
}
