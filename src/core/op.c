/* op.c - the signed operation: canonical envelope encoding, strict decoding,
 * Ed25519 signing and verification (libsodium), BLAKE2b-256 ids, bundles.
 *
 * Guarantees: op_decode accepts exactly the bytes op_sign produces for some
 * field values (one encoding per op) and names the field at fault otherwise.
 * An op holding raw bytes owns them, and its body points into them (the body
 * sits just before the signature), so op_free releases one allocation and a
 * caller may drop op->body without leaking. No allocation is sized by an untrusted length before that length
 * has been checked against the bytes actually present. */
#include "op.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define OP_BUNDLE_MAGIC "MVB1"
#define OP_BUNDLE_MAGIC_LEN 4

/* sodium_init() is idempotent and thread-safe but takes a lock; the flag
 * keeps the per-op cost to one atomic load once it has succeeded. */
static int op_sodium(struct mv_err *err)
{
	static atomic_int ready;
	if (atomic_load_explicit(&ready, memory_order_acquire))
		return MV_OK;
	if (sodium_init() < 0)
		return mv_fail(err, MV_ERR, "libsodium failed to initialise");
	atomic_store_explicit(&ready, 1, memory_order_release);
	return MV_OK;
}

void op_hash(uint8_t out[32], const void *data, size_t len)
{
	(void)op_sodium(NULL); /* BLAKE2b output does not depend on it */
	crypto_generichash(out, 32, data, len, NULL, 0);
}

void op_system_account(uint8_t out[32], const char *name)
{
	static const char prefix[] = "mentalverse/system/";
	crypto_generichash_state st;
	(void)op_sodium(NULL);
	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, (const uint8_t *)prefix, sizeof prefix - 1);
	crypto_generichash_update(&st, (const uint8_t *)name, strlen(name));
	crypto_generichash_final(&st, out, 32);
}

static bool op_kind_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
}

bool op_kind_valid(const char *kind)
{
	if (!kind)
		return false;
	size_t n = strnlen(kind, OP_KIND_MAX + 1);
	if (n == 0 || n > OP_KIND_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!op_kind_char((uint8_t)kind[i]))
			return false;
	return true;
}

/* ---- decoding ---------------------------------------------------------- */

/* A cursor over the bytes being decoded. */
struct op_rd {
	const uint8_t *p;
	size_t left;
};

/* Takes n bytes for field `what`, or reports truncation in that field. */
static int op_take(struct op_rd *r, void *dst, size_t n, const char *what,
		   struct mv_err *err)
{
	if (r->left < n)
		return mv_fail(err, MV_EINVAL, "op truncated in %s (%zu of %zu bytes)",
			       what, r->left, n);
	if (dst)
		memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return MV_OK;
}

static int op_take_u64(struct op_rd *r, uint64_t *v, const char *what, struct mv_err *err)
{
	uint8_t tmp[8];
	int rc = op_take(r, tmp, 8, what, err);
	if (rc == MV_OK)
		*v = mv_get_u64(tmp);
	return rc;
}

static int op_decode_kind(struct op_rd *r, struct op *op, struct mv_err *err)
{
	uint8_t klen = 0;
	int rc = op_take(r, &klen, 1, "kind length", err);
	if (rc != MV_OK)
		return rc;
	if (klen == 0)
		return mv_fail(err, MV_EINVAL, "op kind is empty");
	if (klen > OP_KIND_MAX)
		return mv_fail(err, MV_EINVAL, "op kind too long (%u > %d bytes)", klen, OP_KIND_MAX);
	rc = op_take(r, op->kind, klen, "kind", err);
	if (rc != MV_OK)
		return rc;
	op->kind[klen] = '\0';
	for (size_t i = 0; i < klen; i++)
		if (!op_kind_char((uint8_t)op->kind[i]))
			return mv_fail(err, MV_EINVAL,
				       "invalid byte 0x%02x at position %zu of op kind (allowed: a-z 0-9 . _)",
				       (uint8_t)op->kind[i], i);
	return MV_OK;
}

/* body_len varint, the body itself, then exactly the signature. */
static int op_decode_body(struct op_rd *r, size_t *body_len, struct mv_err *err)
{
	uint64_t blen;
	int n = mv_varint_get(r->p, r->left, &blen);
	if (n == 0)
		return mv_fail(err, MV_EINVAL, "op truncated in body length");
	if (n < 0)
		return mv_fail(err, MV_EINVAL, "non-minimal or overlong body length");
	r->p += n;
	r->left -= (size_t)n;
	if (blen > r->left)
		return mv_fail(err, MV_EINVAL,
			       "op body length %llu exceeds the %zu bytes left in the op",
			       (unsigned long long)blen, r->left);
	*body_len = (size_t)blen;
	r->p += blen;
	r->left -= (size_t)blen;
	return MV_OK;
}

static int op_decode_fields(struct op_rd *r, struct op *op, struct mv_err *err)
{
	int rc = op_take(r, &op->version, 1, "version", err);
	if (rc == MV_OK && op->version != OP_VERSION)
		return mv_fail(err, MV_EINVAL, "unknown op version %u", op->version);
	if (rc == MV_OK)
		rc = op_take(r, op->network, 32, "network", err);
	if (rc == MV_OK)
		rc = op_take(r, op->author, 32, "author", err);
	if (rc == MV_OK)
		rc = op_take_u64(r, &op->seq, "seq", err);
	if (rc == MV_OK)
		rc = op_take(r, op->prev, 32, "prev", err);
	if (rc == MV_OK)
		rc = op_take_u64(r, &op->clock, "clock", err);
	if (rc == MV_OK)
		rc = op_decode_kind(r, op, err);
	if (rc == MV_OK)
		rc = op_decode_body(r, &op->body_len, err);
	if (rc == MV_OK)
		rc = op_take(r, op->sig, OP_SIG_LEN, "sig", err);
	if (rc == MV_OK && r->left > 0)
		return mv_fail(err, MV_EINVAL, "trailing bytes after op (%zu)", r->left);
	return rc;
}

/* Sets op->raw to an owned copy of raw, op->body into it, and op->id.
 * The caller has checked body_len + OP_SIG_LEN <= len. */
static int op_own(struct op *op, const uint8_t *raw, size_t len, struct mv_err *err)
{
	op->raw = malloc(len);
	if (!op->raw) {
		op->body = NULL;
		return mv_fail(err, MV_ERR, "out of memory");
	}
	memcpy(op->raw, raw, len);
	op->raw_len = len;
	op->body = op->body_len ? op->raw + len - OP_SIG_LEN - op->body_len : NULL;
	op_hash(op->id, raw, len);
	return MV_OK;
}

int op_decode(struct op *op, const uint8_t *raw, size_t len, struct mv_err *err)
{
	memset(op, 0, sizeof *op);
	if (len > OP_MAX_SIZE)
		return mv_fail(err, MV_EINVAL, "op too large (%zu > %d bytes)", len, OP_MAX_SIZE);
	struct op_rd r = {raw, len};
	int rc = op_decode_fields(&r, op, err);
	if (rc == MV_OK)
		rc = op_sodium(err);
	if (rc == MV_OK)
		rc = op_own(op, raw, len, err);
	if (rc != MV_OK)
		memset(op, 0, sizeof *op);
	return rc;
}

/* ---- encoding and signing ---------------------------------------------- */

static int op_check_fields(const struct op *op, struct mv_err *err)
{
	if (op->version != OP_VERSION)
		return mv_fail(err, MV_EINVAL, "unknown op version %u", op->version);
	if (!op_kind_valid(op->kind))
		return mv_fail(err, MV_EINVAL, "invalid op kind '%.*s' (1..%d bytes of a-z 0-9 . _)",
			       OP_KIND_MAX, op->kind, OP_KIND_MAX);
	if (op->body_len && !op->body)
		return mv_fail(err, MV_EINVAL, "op body is missing");
	if (op->body_len > OP_MAX_SIZE)
		return mv_fail(err, MV_EINVAL, "op too large (body alone is %zu bytes, limit %d)",
			       op->body_len, OP_MAX_SIZE);
	return MV_OK;
}

/* Everything but the signature, appended to b. */
static int op_encode_unsigned(const struct op *op, struct mv_buf *b)
{
	size_t klen = strlen(op->kind);
	int rc = mv_buf_reserve(b, OP_HEADER_FIXED + 1 + klen + 10 + op->body_len + OP_SIG_LEN);
	if (rc == MV_OK)
		rc = mv_buf_byte(b, op->version);
	if (rc == MV_OK)
		rc = mv_buf_append(b, op->network, 32);
	if (rc == MV_OK)
		rc = mv_buf_append(b, op->author, 32);
	if (rc == MV_OK)
		rc = mv_buf_u64(b, op->seq);
	if (rc == MV_OK)
		rc = mv_buf_append(b, op->prev, 32);
	if (rc == MV_OK)
		rc = mv_buf_u64(b, op->clock);
	if (rc == MV_OK)
		rc = mv_buf_byte(b, (uint8_t)klen);
	if (rc == MV_OK)
		rc = mv_buf_append(b, op->kind, klen);
	if (rc == MV_OK)
		rc = mv_buf_varint(b, op->body_len);
	if (rc == MV_OK)
		rc = mv_buf_append(b, op->body, op->body_len);
	return rc;
}

/* Encodes fresh (version already defaulted) and appends sig into b. */
static int op_sign_bytes(struct op *fresh, const uint8_t sk[64], struct mv_buf *b,
			 struct mv_err *err)
{
	int rc = op_check_fields(fresh, err);
	if (rc != MV_OK)
		return rc;
	if (memcmp(fresh->author, sk + 32, 32) != 0)
		return mv_fail(err, MV_EINVAL, "op author is not the public key of the signing key");
	if (op_encode_unsigned(fresh, b) != MV_OK || mv_buf_reserve(b, OP_SIG_LEN) != MV_OK)
		return mv_fail(err, MV_ERR, "out of memory");
	if (b->len + OP_SIG_LEN > OP_MAX_SIZE)
		return mv_fail(err, MV_EINVAL, "op too large (%zu > %d bytes)",
			       b->len + OP_SIG_LEN, OP_MAX_SIZE);
	crypto_sign_detached(fresh->sig, NULL, b->data, b->len, sk);
	memcpy(b->data + b->len, fresh->sig, OP_SIG_LEN);
	b->len += OP_SIG_LEN;
	return MV_OK;
}

/* Works on a copy so that the op is untouched on failure. On success the op
 * owns fresh raw bytes (body points into them); older raw bytes (a decoded
 * or signed op being re-signed) are released. */
int op_sign(struct op *op, const uint8_t sk[64], struct mv_err *err)
{
	int rc = op_sodium(err);
	if (rc != MV_OK)
		return rc;
	struct op fresh = *op;
	if (fresh.version == 0)
		fresh.version = OP_VERSION;
	struct mv_buf b = {0};
	rc = op_sign_bytes(&fresh, sk, &b, err);
	if (rc == MV_OK)
		rc = op_own(&fresh, b.data, b.len, err);
	mv_buf_free(&b);
	if (rc != MV_OK)
		return rc;
	free(op->raw);
	*op = fresh;
	return MV_OK;
}

int op_verify(const struct op *op, struct mv_err *err)
{
	int rc = op_sodium(err);
	if (rc != MV_OK)
		return rc;
	if (!op->raw || op->raw_len < OP_SIG_LEN)
		return mv_fail(err, MV_EINVAL, "op has no encoded bytes to verify");
	const uint8_t *sig = op->raw + op->raw_len - OP_SIG_LEN;
	if (crypto_sign_verify_detached(sig, op->raw, op->raw_len - OP_SIG_LEN, op->author) != 0) {
		char who[17];
		mv_hex(who, op->author, 8);
		return mv_fail(err, MV_ECRYPTO, "bad signature on op by %s... seq %llu",
			       who, (unsigned long long)op->seq);
	}
	return MV_OK;
}

/* ---- ownership --------------------------------------------------------- */

int op_copy(struct op *dst, const struct op *src)
{
	if (!src->raw || src->raw_len < OP_SIG_LEN || src->body_len > src->raw_len - OP_SIG_LEN)
		return MV_EINVAL; /* an unsigned op's body belongs to its caller */
	*dst = *src;
	return op_own(dst, src->raw, src->raw_len, NULL);
}

void op_free(struct op *op)
{
	free(op->raw);
	memset(op, 0, sizeof *op);
}

/* ---- bundles ----------------------------------------------------------- */

int bundle_encode_begin(struct mv_buf *b, uint64_t count)
{
	int rc = mv_buf_append(b, OP_BUNDLE_MAGIC, OP_BUNDLE_MAGIC_LEN);
	return rc == MV_OK ? mv_buf_varint(b, count) : rc;
}

int bundle_encode_add(struct mv_buf *b, const uint8_t *raw, size_t len)
{
	if (len == 0 || len > OP_MAX_SIZE)
		return MV_EINVAL;
	int rc = mv_buf_varint(b, len);
	return rc == MV_OK ? mv_buf_append(b, raw, len) : rc;
}

static int bundle_header(struct op_rd *r, size_t *count, struct mv_err *err)
{
	if (r->left < OP_BUNDLE_MAGIC_LEN || memcmp(r->p, OP_BUNDLE_MAGIC, OP_BUNDLE_MAGIC_LEN) != 0)
		return mv_fail(err, MV_EINVAL, "not an op bundle (missing \"MVB1\" header)");
	r->p += OP_BUNDLE_MAGIC_LEN;
	r->left -= OP_BUNDLE_MAGIC_LEN;
	uint64_t c;
	int n = mv_varint_get(r->p, r->left, &c);
	if (n == 0)
		return mv_fail(err, MV_EINVAL, "bundle truncated in op count");
	if (n < 0)
		return mv_fail(err, MV_EINVAL, "non-minimal or overlong op count in bundle");
	r->p += n;
	r->left -= (size_t)n;
	/* every op takes at least 2 bytes (length + 1 byte) */
	if (c > r->left / 2)
		return mv_fail(err, MV_EINVAL, "bundle claims %llu ops but has only %zu bytes left",
			       (unsigned long long)c, r->left);
	*count = (size_t)c;
	return MV_OK;
}

static int bundle_item(struct op_rd *r, size_t i, const uint8_t **op, size_t *len,
		       struct mv_err *err)
{
	uint64_t l;
	int n = mv_varint_get(r->p, r->left, &l);
	if (n == 0)
		return mv_fail(err, MV_EINVAL, "bundle truncated in the length of op %zu", i + 1);
	if (n < 0)
		return mv_fail(err, MV_EINVAL, "non-minimal or overlong length of op %zu in bundle", i + 1);
	r->p += n;
	r->left -= (size_t)n;
	if (l == 0)
		return mv_fail(err, MV_EINVAL, "op %zu in bundle has length 0", i + 1);
	if (l > OP_MAX_SIZE)
		return mv_fail(err, MV_EINVAL, "op %zu in bundle too large (%llu > %d bytes)",
			       i + 1, (unsigned long long)l, OP_MAX_SIZE);
	if (l > r->left)
		return mv_fail(err, MV_EINVAL, "bundle truncated in op %zu (%llu bytes, %zu left)",
			       i + 1, (unsigned long long)l, r->left);
	*op = r->p;
	*len = (size_t)l;
	r->p += l;
	r->left -= (size_t)l;
	return MV_OK;
}

int bundle_decode(const uint8_t *data, size_t len, size_t *count,
		  const uint8_t ***ops, size_t **lens, struct mv_err *err)
{
	struct op_rd r = {data, len};
	size_t c = 0;
	*count = 0;
	*ops = NULL;
	*lens = NULL;
	int rc = bundle_header(&r, &c, err);
	if (rc != MV_OK || c == 0) {
		if (rc == MV_OK && r.left > 0)
			return mv_fail(err, MV_EINVAL, "trailing bytes after bundle (%zu)", r.left);
		return rc;
	}
	const uint8_t **o = calloc(c, sizeof *o);
	size_t *l = calloc(c, sizeof *l);
	if (!o || !l)
		rc = mv_fail(err, MV_ERR, "out of memory");
	for (size_t i = 0; rc == MV_OK && i < c; i++)
		rc = bundle_item(&r, i, &o[i], &l[i], err);
	if (rc == MV_OK && r.left > 0)
		rc = mv_fail(err, MV_EINVAL, "trailing bytes after bundle (%zu)", r.left);
	if (rc != MV_OK) {
		free(o);
		free(l);
		return rc;
	}
	*count = c;
	*ops = o;
	*lens = l;
	return MV_OK;
}
