/* body.h - the canonical body of an op: a record of named, typed fields.
 *
 * Encoding (docs/protocol.md):
 *   count varint | field * count
 *   field = key_len u8 (1..32) | key [a-z0-9_] | type u8 | value
 * keys strictly ascending (bytewise), so every record has exactly one
 * encoding. Value by type:
 *   BODY_INT   0x01  int64, 8 bytes big-endian two's complement
 *   BODY_STR   0x02  varint len | UTF-8 (validated, no NUL)
 *   BODY_BYTES 0x03  varint len | bytes
 *   BODY_ID    0x04  32 bytes (a public key, op id or blob hash)
 *   BODY_LIST  0x05  varint count | (type u8 | value) * count; items are
 *                    INT, STR, BYTES or ID (no nested lists)
 * Strings/bytes are bounded by the op size limit. Decoding rejects unknown
 * types, unsorted or duplicate keys, non-minimal varints, trailing bytes. */
#ifndef MV_BODY_H
#define MV_BODY_H

#include "util.h"

enum body_type {
	BODY_INT = 1,
	BODY_STR = 2,
	BODY_BYTES = 3,
	BODY_ID = 4,
	BODY_LIST = 5,
};

#define BODY_MAX_FIELDS 128
#define BODY_MAX_LIST 1024

struct body_value {
	enum body_type type;
	int64_t i;            /* INT */
	const uint8_t *p;     /* STR, BYTES, ID (32 bytes): points into the body */
	size_t n;             /* length of p; for LIST the item count */
	struct body_value *items; /* LIST items (owned by the body) */
};

struct body_field {
	char key[33];
	struct body_value v;
};

/* A decoded body. Values point into the encoded bytes, which the body does
 * not own: keep them alive (they are the op's body) while using the body. */
struct body {
	size_t n;
	struct body_field f[BODY_MAX_FIELDS];
};

/* b is overwritten (free a previously decoded body first); on failure it is
 * left empty. The empty record is the single byte 0x00: zero bytes are
 * refused like any other truncation. */
int body_decode(struct body *b, const uint8_t *data, size_t len, struct mv_err *err);
void body_free(struct body *b);

/* Lookups: return MV_OK, or MV_ENOTFOUND if absent, or MV_EINVAL if the field
 * has another type (err names the field and both types). */
const struct body_value *body_get(const struct body *b, const char *key);
int body_int(const struct body *b, const char *key, int64_t *out, struct mv_err *err);
/* A string copied into out (NUL-terminated, at most outlen-1 bytes or error). */
int body_str(const struct body *b, const char *key, char *out, size_t outlen, struct mv_err *err);
int body_id(const struct body *b, const char *key, uint8_t out[32], struct mv_err *err);
int body_bytes(const struct body *b, const char *key, const uint8_t **p, size_t *n, struct mv_err *err);
/* A LIST field: *items points at its n values (owned by the body). */
int body_list(const struct body *b, const char *key, const struct body_value **items,
	      size_t *n, struct mv_err *err);

/* Builder: add fields in any order; bb_build sorts, checks duplicates and
 * encodes. Values are copied. */
struct body_builder {
	size_t n;
	struct {
		char key[33];
		struct mv_buf enc; /* encoded type byte + value */
	} f[BODY_MAX_FIELDS];
	struct mv_buf list; /* items of the open list */
	size_t list_count;
	int list_open;
	int error;      /* first error seen (MV_E*), reported by bb_build */
	char errmsg[128];
};
void bb_init(struct body_builder *bb);
void bb_int(struct body_builder *bb, const char *key, int64_t v);
void bb_str(struct body_builder *bb, const char *key, const char *s);
void bb_bytes(struct body_builder *bb, const char *key, const void *p, size_t n);
void bb_id(struct body_builder *bb, const char *key, const uint8_t id[32]);
/* Lists: begin, add items, end. Items are INT, STR, BYTES or ID; a list of
 * pairs (time windows) is a flat INT list of even length. */
void bb_list_begin(struct body_builder *bb, const char *key);
void bb_list_int(struct body_builder *bb, int64_t v);
void bb_list_str(struct body_builder *bb, const char *s);
void bb_list_id(struct body_builder *bb, const uint8_t id[32]);
void bb_list_bytes(struct body_builder *bb, const void *p, size_t n);
void bb_list_end(struct body_builder *bb);
/* Encode into out (which it initialises). Fails on a duplicate key, a bad
 * key, an open list, or allocation failure. Frees the builder's memory. */
int bb_build(struct body_builder *bb, struct mv_buf *out, struct mv_err *err);
void bb_free(struct body_builder *bb);

#endif
