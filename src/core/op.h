/* op.h - the signed operation: canonical binary envelope, strict decoding,
 * Ed25519 signing and verification, BLAKE2b-256 ids, and bundles of ops.
 *
 * Envelope (docs/protocol.md documents every byte):
 *   version u8 (=1) | network 32 | author 32 | seq u64be | prev 32 |
 *   clock u64be | kind_len u8 (1..32) | kind [a-z0-9._] |
 *   body_len varint (minimal LEB128) | body | sig 64
 * sig is Ed25519 by author over every byte before it; id = BLAKE2b-256 of
 * all bytes including sig. The genesis op has network = 32 zero bytes and its
 * id is the network id. There is exactly one valid encoding of every op. */
#ifndef MV_OP_H
#define MV_OP_H

#include "util.h"

#define OP_VERSION 1
#define OP_MAX_SIZE 65536
#define OP_KIND_MAX 32
#define OP_HEADER_FIXED (1 + 32 + 32 + 8 + 32 + 8) /* before kind_len */
#define OP_SIG_LEN 64

struct op {
	uint8_t version;
	uint8_t network[32];
	uint8_t author[32];
	uint64_t seq;
	uint8_t prev[32];
	uint64_t clock; /* hybrid logical clock: ms << 16 | counter */
	char kind[OP_KIND_MAX + 1];
	uint8_t *body; /* points into raw once decoded/signed; see Ownership */
	size_t body_len;
	uint8_t sig[OP_SIG_LEN];
	uint8_t id[32];    /* computed by op_decode / op_sign */
	uint8_t *raw;      /* the encoded bytes, owned; set by op_decode/op_sign */
	size_t raw_len;
};

/* Milliseconds part of an HLC value. */
static inline int64_t op_clock_ms(uint64_t clock) { return (int64_t)(clock >> 16); }

/* Ownership: an op with raw != NULL (decoded, signed or copied) owns raw,
 * and its body points into raw; op_free frees raw only. An op being built
 * (raw == NULL) does not own body: point it at your own buffer, op_sign
 * copies it into the new raw bytes. */

/* Strictly decode raw bytes into op (which owns copies of body and raw).
 * op is overwritten (op_free a previous one first) and left zeroed on error.
 * Does not verify the signature. Errors say exactly what is wrong, e.g.
 * "op truncated in prev", "trailing bytes after op", "non-minimal body length",
 * "unknown op version 7", "op too large (70000 > 65536 bytes)". */
int op_decode(struct op *op, const uint8_t *raw, size_t len, struct mv_err *err);

/* Encode every field but sig and sign with sk (64-byte libsodium secret key);
 * fills op->sig, op->raw, op->id. body is copied. version 0 means
 * OP_VERSION; author must be sk's public key; the whole op must fit
 * OP_MAX_SIZE. Re-signing an owned op releases its old raw bytes. On
 * failure the op is unchanged. */
int op_sign(struct op *op, const uint8_t sk[64], struct mv_err *err);

/* Verify op->sig against op->author over op->raw. MV_OK or MV_ECRYPTO. */
int op_verify(const struct op *op, struct mv_err *err);

/* Deep copy of an owned op (MV_EINVAL for an unsigned one, MV_ERR out of
 * memory); free. op_free leaves op zeroed. */
int op_copy(struct op *dst, const struct op *src);
void op_free(struct op *op);

/* True for a syntactically valid kind: 1..32 bytes of [a-z0-9._]. */
bool op_kind_valid(const char *kind);

/* Bundles: "MVB1" | count varint | (len varint | op bytes) * count.
 * bundle_decode splits a bundle without checking the ops themselves;
 * it refuses trailing bytes, truncation, zero/oversize lengths. The arrays
 * point into data (no copies); caller frees *ops and *lens (NULL when
 * count is 0). bundle_encode_add returns MV_EINVAL for a length of 0 or
 * over OP_MAX_SIZE. */
int bundle_encode_begin(struct mv_buf *b, uint64_t count);
int bundle_encode_add(struct mv_buf *b, const uint8_t *raw, size_t len);
int bundle_decode(const uint8_t *data, size_t len, size_t *count,
		  const uint8_t ***ops, size_t **lens, struct mv_err *err);

/* System accounts: id = BLAKE2b-256("mentalverse/system/" name). */
void op_system_account(uint8_t out[32], const char *name);
/* Hash helper: BLAKE2b-256 of data. */
void op_hash(uint8_t out[32], const void *data, size_t len);

#endif
