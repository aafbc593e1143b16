/* test_op.c - unit tests of src/core/op.c: envelope layout, sign/verify,
 * ids, strict decoding (truncation at every byte, bit flips, trailing bytes,
 * non-minimal lengths, bad versions and kinds, size limits), ownership, and
 * bundles with every error path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/op.h"

struct key {
	uint8_t pk[32], sk[64];
};

/* id of the worked example in docs/protocol.md, cross-checked outside C
 * (Python cryptography Ed25519 + hashlib.blake2b) when it was generated */
#define GOLDEN_ID "e551f1eeb8cf24d741fe9aa10048b14abadc37d76a212512b989b20e12af82ae"

static struct key key_a, key_b;
static const uint8_t body_abc[] = {'a', 'b', 'c', 0x00, 0xff};

static void assert_msg(const struct mv_err *err, const char *needle)
{
	if (!strstr(err->msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, needle);
}

static int keys_setup(void **state)
{
	uint8_t seed[32];
	if (sodium_init() < 0)
		return -1;
	memset(seed, 0xa1, 32);
	crypto_sign_seed_keypair(key_a.pk, key_a.sk, seed);
	memset(seed, 0xb2, 32);
	crypto_sign_seed_keypair(key_b.pk, key_b.sk, seed);
	return 0;
}

/* An unsigned op by k with recognisable field values. */
static void op_fill(struct op *op, const struct key *k, const char *kind,
		    const uint8_t *body, size_t body_len)
{
	memset(op, 0, sizeof *op);
	op->version = OP_VERSION;
	memset(op->network, 0x11, 32);
	memcpy(op->author, k->pk, 32);
	op->seq = UINT64_C(0x0102030405060708);
	memset(op->prev, 0x22, 32);
	op->clock = (UINT64_C(1795703400000) << 16) | 3;
	snprintf(op->kind, sizeof op->kind, "%s", kind);
	op->body = (uint8_t *)body;
	op->body_len = body_len;
}

/* A signed op as raw bytes in a malloc'd buffer. */
static uint8_t *signed_raw(const struct key *k, const char *kind, const uint8_t *body,
			   size_t body_len, size_t *len)
{
	struct op op;
	op_fill(&op, k, kind, body, body_len);
	assert_int_equal(op_sign(&op, k->sk, NULL), MV_OK);
	uint8_t *raw = malloc(op.raw_len);
	assert_non_null(raw);
	memcpy(raw, op.raw, op.raw_len);
	*len = op.raw_len;
	op_free(&op);
	return raw;
}

/* ---- signing, layout, ids ---------------------------------------------- */

static void test_sign_verify_roundtrip(void **state)
{
	struct op op, dec;
	struct mv_err err = {0};
	op_fill(&op, &key_a, "ledger.transfer", body_abc, sizeof body_abc);
	assert_int_equal(op_sign(&op, key_a.sk, &err), MV_OK);
	assert_int_equal(op.raw_len, OP_HEADER_FIXED + 1 + 15 + 1 + sizeof body_abc + OP_SIG_LEN);
	assert_int_equal(op_verify(&op, &err), MV_OK);
	assert_int_equal(op_decode(&dec, op.raw, op.raw_len, &err), MV_OK);
	assert_int_equal(op_verify(&dec, &err), MV_OK);
	assert_int_equal(dec.version, 1);
	assert_memory_equal(dec.network, op.network, 32);
	assert_memory_equal(dec.author, key_a.pk, 32);
	assert_true(dec.seq == op.seq);
	assert_memory_equal(dec.prev, op.prev, 32);
	assert_true(dec.clock == op.clock);
	assert_true(op_clock_ms(dec.clock) == INT64_C(1795703400000));
	assert_string_equal(dec.kind, "ledger.transfer");
	assert_int_equal(dec.body_len, sizeof body_abc);
	assert_memory_equal(dec.body, body_abc, sizeof body_abc);
	assert_memory_equal(dec.sig, op.sig, 64);
	assert_memory_equal(dec.id, op.id, 32);
	assert_int_equal(dec.raw_len, op.raw_len);
	assert_memory_equal(dec.raw, op.raw, op.raw_len);
	op_free(&dec);
	op_free(&op);
}

static void test_envelope_layout(void **state)
{
	struct op op;
	op_fill(&op, &key_a, "x.y", body_abc, sizeof body_abc);
	assert_int_equal(op_sign(&op, key_a.sk, NULL), MV_OK);
	const uint8_t *r = op.raw;
	const uint8_t seq_be[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	uint8_t clock_be[8];
	mv_put_u64(clock_be, op.clock);
	assert_int_equal(r[0], 1);
	assert_memory_equal(r + 1, op.network, 32);
	assert_memory_equal(r + 33, key_a.pk, 32);
	assert_memory_equal(r + 65, seq_be, 8);
	assert_memory_equal(r + 73, op.prev, 32);
	assert_memory_equal(r + 105, clock_be, 8);
	assert_int_equal(r[113], 3);
	assert_memory_equal(r + 114, "x.y", 3);
	assert_int_equal(r[117], sizeof body_abc);
	assert_memory_equal(r + 118, body_abc, sizeof body_abc);
	assert_memory_equal(r + 118 + sizeof body_abc, op.sig, 64);
	assert_int_equal(op.raw_len, 118 + sizeof body_abc + 64);
	/* signature covers exactly the bytes before it */
	assert_int_equal(crypto_sign_verify_detached(op.sig, r, op.raw_len - 64, key_a.pk), 0);
	/* id is BLAKE2b-256 of all bytes, signature included */
	uint8_t id[32];
	crypto_generichash(id, 32, r, op.raw_len, NULL, 0);
	assert_memory_equal(op.id, id, 32);
	/* the owned body lives inside raw */
	assert_ptr_equal(op.body, op.raw + 118);
	op_free(&op);
}

static void test_sign_is_deterministic(void **state)
{
	struct op a, b;
	op_fill(&a, &key_a, "k", body_abc, sizeof body_abc);
	op_fill(&b, &key_a, "k", body_abc, sizeof body_abc);
	assert_int_equal(op_sign(&a, key_a.sk, NULL), MV_OK);
	assert_int_equal(op_sign(&b, key_a.sk, NULL), MV_OK);
	assert_memory_equal(a.id, b.id, 32);
	b.clock++;
	assert_int_equal(op_sign(&b, key_a.sk, NULL), MV_OK); /* re-sign an owned op */
	assert_memory_not_equal(a.id, b.id, 32);
	assert_memory_equal(b.body, body_abc, sizeof body_abc);
	assert_int_equal(op_verify(&b, NULL), MV_OK);
	op_free(&a);
	op_free(&b);
}

static void test_hash_known_answers(void **state)
{
	/* BLAKE2b-256 of the empty string (RFC 7693 parameters, 32-byte out) */
	uint8_t h[32], want[32];
	op_hash(h, "", 0);
	assert_int_equal(mv_unhex(want, 32, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"), MV_OK);
	assert_memory_equal(h, want, 32);
	uint8_t acct[32];
	op_system_account(acct, "treasury");
	op_hash(h, "mentalverse/system/treasury", 27);
	assert_memory_equal(acct, h, 32);
	op_system_account(h, "rewards");
	assert_memory_not_equal(acct, h, 32);
}

/* Pinned vector: the worked example of docs/protocol.md. Any change to the
 * envelope encoding, signing or hashing changes this id. */
static void test_golden_vector(void **state)
{
	uint8_t seed[32], pk[32], sk[64];
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
	crypto_sign_seed_keypair(pk, sk, seed);
	const uint8_t body[] = {0x01, 0x04, 'n', 'a', 'm', 'e', 0x02, 0x04, 'd', 'e', 'm', 'o'};
	struct op op = {0};
	memcpy(op.author, pk, 32);
	op.seq = 1;
	op.clock = (UINT64_C(1795703400000) << 16) | 0;
	strcpy(op.kind, "genesis");
	op.body = (uint8_t *)body;
	op.body_len = sizeof body;
	assert_int_equal(op_sign(&op, sk, NULL), MV_OK);
	char hex[65];
	mv_hex(hex, op.id, 32);
	assert_string_equal(hex, GOLDEN_ID);
	op_free(&op);
}

static void test_tampered_sig_fails(void **state)
{
	struct op op, dec;
	struct mv_err err = {0};
	size_t len;
	uint8_t *raw = signed_raw(&key_a, "a.b", body_abc, sizeof body_abc, &len);
	raw[len - 1] ^= 0x01;
	assert_int_equal(op_decode(&dec, raw, len, &err), MV_OK);
	assert_int_equal(op_verify(&dec, &err), MV_ECRYPTO);
	assert_int_equal(err.code, MV_ECRYPTO);
	assert_msg(&err, "bad signature");
	op_free(&dec);
	raw[len - 1] ^= 0x01;
	raw[len - 64 - 1] ^= 0x80; /* last body byte */
	assert_int_equal(op_decode(&dec, raw, len, &err), MV_OK);
	assert_int_equal(op_verify(&dec, &err), MV_ECRYPTO);
	op_free(&dec);
	/* tampering with the struct after signing is caught too */
	op_fill(&op, &key_a, "a.b", body_abc, sizeof body_abc);
	assert_int_equal(op_sign(&op, key_a.sk, NULL), MV_OK);
	op.raw[70] ^= 1; /* seq inside raw */
	assert_int_equal(op_verify(&op, &err), MV_ECRYPTO);
	op_free(&op);
	free(raw);
}

/* Any single-bit flip anywhere either fails to decode or fails to verify. */
static void test_every_bit_flip_detected(void **state)
{
	size_t len;
	uint8_t *raw = signed_raw(&key_a, "a.b", body_abc, sizeof body_abc, &len);
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			struct op dec;
			raw[i] ^= (uint8_t)(1 << bit);
			if (op_decode(&dec, raw, len, NULL) == MV_OK) {
				if (op_verify(&dec, NULL) == MV_OK)
					fail_msg("flip of byte %zu bit %d went unnoticed", i, bit);
				op_free(&dec);
			}
			raw[i] ^= (uint8_t)(1 << bit);
		}
	}
	free(raw);
}

static void test_resigned_by_other_key(void **state)
{
	struct op a, b, dec;
	struct mv_err err = {0};
	op_fill(&a, &key_a, "a.b", body_abc, sizeof body_abc);
	op_fill(&b, &key_b, "a.b", body_abc, sizeof body_abc);
	assert_int_equal(op_sign(&a, key_a.sk, NULL), MV_OK);
	assert_int_equal(op_sign(&b, key_b.sk, NULL), MV_OK);
	assert_memory_not_equal(a.id, b.id, 32);
	assert_int_equal(op_verify(&b, NULL), MV_OK);
	/* B's signature does not verify as A's */
	memcpy(b.author, key_a.pk, 32);
	assert_int_equal(op_verify(&b, &err), MV_ECRYPTO);
	/* A's raw bytes carrying B's signature do not verify either */
	uint8_t *forged = malloc(a.raw_len);
	assert_non_null(forged);
	memcpy(forged, a.raw, a.raw_len);
	memcpy(forged + a.raw_len - 64, b.sig, 64);
	assert_int_equal(op_decode(&dec, forged, a.raw_len, NULL), MV_OK);
	assert_int_equal(op_verify(&dec, NULL), MV_ECRYPTO);
	assert_memory_not_equal(dec.id, a.id, 32);
	op_free(&dec);
	free(forged);
	op_free(&a);
	op_free(&b);
}

static void test_sign_rejects(void **state)
{
	struct op op;
	struct mv_err err = {0};
	op_fill(&op, &key_a, "a.b", body_abc, sizeof body_abc);
	assert_int_equal(op_sign(&op, key_b.sk, &err), MV_EINVAL);
	assert_msg(&err, "not the public key of the signing key");
	assert_null(op.raw); /* unchanged */
	assert_ptr_equal(op.body, body_abc);

	op.version = 2;
	assert_int_equal(op_sign(&op, key_a.sk, &err), MV_EINVAL);
	assert_msg(&err, "unknown op version 2");
	op.version = 0; /* means OP_VERSION */
	assert_int_equal(op_sign(&op, key_a.sk, &err), MV_OK);
	assert_int_equal(op.version, OP_VERSION);
	assert_int_equal(op.raw[0], OP_VERSION);
	op_free(&op);

	const char *bad_kinds[] = {"", "Upper", "a-b", "a b", "\xc3\xa9"};
	for (size_t i = 0; i < sizeof bad_kinds / sizeof *bad_kinds; i++) {
		op_fill(&op, &key_a, bad_kinds[i], NULL, 0);
		assert_int_equal(op_sign(&op, key_a.sk, &err), MV_EINVAL);
		assert_msg(&err, "invalid op kind");
	}
	op_fill(&op, &key_a, "a", NULL, 0);
	memset(op.kind, 'a', sizeof op.kind); /* 33 bytes, no terminator */
	assert_int_equal(op_sign(&op, key_a.sk, &err), MV_EINVAL);
	assert_msg(&err, "invalid op kind");
	op_fill(&op, &key_a, "a", NULL, 5);
	assert_int_equal(op_sign(&op, key_a.sk, &err), MV_EINVAL);
	assert_msg(&err, "body is missing");
}

static void test_sign_size_limit(void **state)
{
	/* overhead: fixed 113 + kind_len 1 + kind 1 + varint 3 + sig 64 */
	size_t fit = OP_MAX_SIZE - (OP_HEADER_FIXED + 1 + 1 + 3 + OP_SIG_LEN);
	uint8_t *big = calloc(1, OP_MAX_SIZE + 1);
	assert_non_null(big);
	struct op op, dec;
	struct mv_err err = {0};
	op_fill(&op, &key_a, "k", big, fit);
	assert_int_equal(op_sign(&op, key_a.sk, &err), MV_OK);
	assert_int_equal(op.raw_len, OP_MAX_SIZE);
	assert_int_equal(op_decode(&dec, op.raw, op.raw_len, &err), MV_OK);
	op_free(&dec);
	op_free(&op);
	op_fill(&op, &key_a, "k", big, fit + 1);
	assert_int_equal(op_sign(&op, key_a.sk, &err), MV_EINVAL);
	assert_msg(&err, "op too large (65537 > 65536 bytes)");
	op_fill(&op, &key_a, "k", big, OP_MAX_SIZE + 1);
	assert_int_equal(op_sign(&op, key_a.sk, &err), MV_EINVAL);
	assert_msg(&err, "op too large");
	free(big);
}

/* ---- decoding errors --------------------------------------------------- */

/* The field a decoder stops in when given only the first n bytes of an op
 * with kind length klen and body length blen (1-byte varint). */
static const char *field_at(size_t n, size_t klen)
{
	static const struct { size_t end; const char *name; } f[] = {
		{1, "in version"}, {33, "in network"}, {65, "in author"}, {73, "in seq"},
		{105, "in prev"}, {113, "in clock"}, {114, "in kind length"},
	};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		if (n < f[i].end)
			return f[i].name;
	if (n < 114 + klen)
		return "in kind (";
	if (n < 115 + klen)
		return "in body length";
	return NULL; /* body or sig: checked by the caller */
}

static void test_decode_truncated_everywhere(void **state)
{
	size_t len;
	uint8_t *raw = signed_raw(&key_a, "abc", body_abc, sizeof body_abc, &len);
	size_t body_end = 115 + 3 + sizeof body_abc;
	for (size_t n = 0; n < len; n++) {
		struct op dec;
		struct mv_err err = {0};
		memset(&dec, 0x5a, sizeof dec);
		assert_int_equal(op_decode(&dec, raw, n, &err), MV_EINVAL);
		assert_null(dec.raw); /* left zeroed */
		const char *want = field_at(n, 3);
		if (want) {
			assert_msg(&err, "op truncated ");
			assert_msg(&err, want);
		} else if (n < body_end) {
			assert_msg(&err, "op body length 5 exceeds the");
		} else {
			assert_msg(&err, "op truncated in sig");
		}
	}
	free(raw);
}

static void test_decode_trailing_and_oversize(void **state)
{
	size_t len;
	uint8_t *raw = signed_raw(&key_a, "abc", body_abc, sizeof body_abc, &len);
	uint8_t *longer = calloc(1, OP_MAX_SIZE + 2);
	assert_non_null(longer);
	memcpy(longer, raw, len);
	struct op dec;
	struct mv_err err = {0};
	assert_int_equal(op_decode(&dec, longer, len + 1, &err), MV_EINVAL);
	assert_string_equal(err.msg, "trailing bytes after op (1)");
	assert_int_equal(op_decode(&dec, longer, len + 7, &err), MV_EINVAL);
	assert_string_equal(err.msg, "trailing bytes after op (7)");
	assert_int_equal(op_decode(&dec, longer, OP_MAX_SIZE + 1, &err), MV_EINVAL);
	assert_string_equal(err.msg, "op too large (65537 > 65536 bytes)");
	free(longer);
	free(raw);
}

/* Raw bytes of an unsigned-looking op: header, kind, given body length
 * encoding, body and a zero signature. */
static size_t build_raw(uint8_t *out, uint8_t version, const uint8_t *kind, size_t klen,
			const uint8_t *lenbytes, size_t lenlen, size_t body_len)
{
	size_t n = 0;
	out[n++] = version;
	memset(out + n, 0x33, OP_HEADER_FIXED - 1);
	n += OP_HEADER_FIXED - 1;
	out[n++] = (uint8_t)klen;
	memcpy(out + n, kind, klen);
	n += klen;
	memcpy(out + n, lenbytes, lenlen);
	n += lenlen;
	memset(out + n, 0x44, body_len + OP_SIG_LEN);
	return n + body_len + OP_SIG_LEN;
}

static void test_decode_body_length(void **state)
{
	uint8_t buf[512];
	struct op dec;
	struct mv_err err = {0};
	const uint8_t one[] = {0x03};
	size_t n = build_raw(buf, 1, (const uint8_t *)"k", 1, one, 1, 3);
	assert_int_equal(op_decode(&dec, buf, n, &err), MV_OK); /* the control case */
	assert_int_equal(dec.body_len, 3);
	op_free(&dec);
	const uint8_t nonmin[] = {0x83, 0x00};
	n = build_raw(buf, 1, (const uint8_t *)"k", 1, nonmin, 2, 3);
	assert_int_equal(op_decode(&dec, buf, n, &err), MV_EINVAL);
	assert_string_equal(err.msg, "non-minimal or overlong body length");
	const uint8_t zero2[] = {0x80, 0x00};
	n = build_raw(buf, 1, (const uint8_t *)"k", 1, zero2, 2, 0);
	assert_int_equal(op_decode(&dec, buf, n, &err), MV_EINVAL);
	assert_string_equal(err.msg, "non-minimal or overlong body length");
	const uint8_t overlong[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
	n = build_raw(buf, 1, (const uint8_t *)"k", 1, overlong, 10, 0);
	assert_int_equal(op_decode(&dec, buf, n, &err), MV_EINVAL);
	assert_string_equal(err.msg, "non-minimal or overlong body length");
	const uint8_t huge[] = {0xff, 0xff, 0x03}; /* 65535 */
	n = build_raw(buf, 1, (const uint8_t *)"k", 1, huge, 3, 0);
	assert_int_equal(op_decode(&dec, buf, n, &err), MV_EINVAL);
	assert_string_equal(err.msg, "op body length 65535 exceeds the 64 bytes left in the op");
	const uint8_t more[] = {0x04}; /* body 4 but only 3 + sig present */
	n = build_raw(buf, 1, (const uint8_t *)"k", 1, more, 1, 3);
	assert_int_equal(op_decode(&dec, buf, n, &err), MV_EINVAL);
	assert_string_equal(err.msg, "op truncated in sig (63 of 64 bytes)");
}

static void test_decode_bad_version(void **state)
{
	const uint8_t versions[] = {0, 2, 7, 255};
	const uint8_t one[] = {0x00};
	for (size_t i = 0; i < sizeof versions; i++) {
		uint8_t buf[256];
		struct op dec;
		struct mv_err err = {0};
		char want[64];
		size_t n = build_raw(buf, versions[i], (const uint8_t *)"k", 1, one, 1, 0);
		assert_int_equal(op_decode(&dec, buf, n, &err), MV_EINVAL);
		snprintf(want, sizeof want, "unknown op version %u", versions[i]);
		assert_string_equal(err.msg, want);
	}
}

static void test_decode_bad_kind(void **state)
{
	uint8_t buf[256];
	struct op dec;
	struct mv_err err = {0};
	const uint8_t zero[] = {0x00};
	uint8_t kind[40];
	memset(kind, 'a', sizeof kind);
	size_t n = build_raw(buf, 1, kind, 0, zero, 1, 0);
	assert_int_equal(op_decode(&dec, buf, n, &err), MV_EINVAL);
	assert_string_equal(err.msg, "op kind is empty");
	n = build_raw(buf, 1, kind, 33, zero, 1, 0);
	assert_int_equal(op_decode(&dec, buf, n, &err), MV_EINVAL);
	assert_string_equal(err.msg, "op kind too long (33 > 32 bytes)");
	n = build_raw(buf, 1, kind, 32, zero, 1, 0);
	assert_int_equal(op_decode(&dec, buf, n, &err), MV_OK);
	assert_int_equal(strlen(dec.kind), 32);
	op_free(&dec);
	const uint8_t bad[] = {'A', '-', ' ', 0x00, 0xff, '/', 0xc3};
	for (size_t i = 0; i < sizeof bad; i++) {
		char want[64];
		kind[2] = bad[i];
		n = build_raw(buf, 1, kind, 5, zero, 1, 0);
		assert_int_equal(op_decode(&dec, buf, n, &err), MV_EINVAL);
		snprintf(want, sizeof want, "invalid byte 0x%02x at position 2 of op kind", bad[i]);
		assert_msg(&err, want);
	}
}

static void test_kind_valid(void **state)
{
	assert_true(op_kind_valid("genesis"));
	assert_true(op_kind_valid("ledger.transfer"));
	assert_true(op_kind_valid("a_b.c9"));
	assert_true(op_kind_valid("abcdefghijabcdefghijabcdefghij12"));
	assert_false(op_kind_valid("abcdefghijabcdefghijabcdefghij123"));
	assert_false(op_kind_valid(""));
	assert_false(op_kind_valid(NULL));
	assert_false(op_kind_valid("Ledger"));
	assert_false(op_kind_valid("a-b"));
	assert_false(op_kind_valid("a\n"));
}

/* ---- ownership --------------------------------------------------------- */

static void test_copy_and_free(void **state)
{
	struct op op, cp;
	op_fill(&op, &key_a, "a.b", body_abc, sizeof body_abc);
	assert_int_equal(op_copy(&cp, &op), MV_EINVAL); /* unsigned */
	assert_int_equal(op_sign(&op, key_a.sk, NULL), MV_OK);
	assert_int_equal(op_copy(&cp, &op), MV_OK);
	assert_ptr_not_equal(cp.raw, op.raw);
	assert_memory_equal(cp.raw, op.raw, op.raw_len);
	assert_memory_equal(cp.id, op.id, 32);
	op_free(&op);
	assert_null(op.raw);
	assert_int_equal(op.body_len, 0);
	op_free(&op); /* twice is harmless */
	assert_int_equal(op_verify(&cp, NULL), MV_OK);
	assert_memory_equal(cp.body, body_abc, sizeof body_abc);
	assert_ptr_equal(cp.body, cp.raw + cp.raw_len - 64 - sizeof body_abc);
	/* a caller dropping body after signing (home.c does) leaks nothing */
	cp.body = NULL;
	op_free(&cp);
	/* op_verify on an op without bytes */
	op_fill(&op, &key_a, "a.b", NULL, 0);
	struct mv_err err = {0};
	assert_int_equal(op_verify(&op, &err), MV_EINVAL);
	assert_msg(&err, "no encoded bytes");
}

static void test_genesis_network_zero(void **state)
{
	struct op op, dec;
	op_fill(&op, &key_a, "genesis", NULL, 0);
	memset(op.network, 0, 32);
	op.seq = 1;
	memset(op.prev, 0, 32);
	assert_int_equal(op_sign(&op, key_a.sk, NULL), MV_OK);
	assert_int_equal(op_decode(&dec, op.raw, op.raw_len, NULL), MV_OK);
	const uint8_t zero[32] = {0};
	assert_memory_equal(dec.network, zero, 32);
	assert_int_equal(dec.body_len, 0);
	assert_null(dec.body);
	uint8_t id[32];
	op_hash(id, op.raw, op.raw_len);
	assert_memory_equal(dec.id, id, 32); /* the network id */
	op_free(&dec);
	op_free(&op);
}

/* ---- bundles ----------------------------------------------------------- */

static void test_bundle_roundtrip(void **state)
{
	size_t l1, l2, l3;
	uint8_t *r1 = signed_raw(&key_a, "one", NULL, 0, &l1);
	uint8_t *r2 = signed_raw(&key_a, "two", body_abc, sizeof body_abc, &l2);
	uint8_t *r3 = signed_raw(&key_b, "three", body_abc, 2, &l3);
	struct mv_buf b = {0};
	assert_int_equal(bundle_encode_begin(&b, 3), MV_OK);
	assert_int_equal(bundle_encode_add(&b, r1, l1), MV_OK);
	assert_int_equal(bundle_encode_add(&b, r2, l2), MV_OK);
	assert_int_equal(bundle_encode_add(&b, r3, l3), MV_OK);
	assert_memory_equal(b.data, "MVB1\x03", 5);
	assert_int_equal(b.len, 5 + 2 + l1 + 2 + l2 + 2 + l3);
	size_t count = 0, *lens = NULL;
	const uint8_t **ops = NULL;
	struct mv_err err = {0};
	assert_int_equal(bundle_decode(b.data, b.len, &count, &ops, &lens, &err), MV_OK);
	assert_int_equal(count, 3);
	assert_int_equal(lens[0], l1);
	assert_int_equal(lens[2], l3);
	assert_ptr_equal(ops[0], b.data + 7); /* points into data */
	assert_memory_equal(ops[1], r2, l2);
	assert_memory_equal(ops[2], r3, l3);
	struct op dec;
	assert_int_equal(op_decode(&dec, ops[2], lens[2], &err), MV_OK);
	assert_string_equal(dec.kind, "three");
	op_free(&dec);
	free(ops);
	free(lens);
	/* every strict prefix is refused */
	for (size_t n = 0; n < b.len; n++) {
		assert_int_equal(bundle_decode(b.data, n, &count, &ops, &lens, &err), MV_EINVAL);
		assert_null(ops);
		assert_int_equal(count, 0);
	}
	mv_buf_free(&b);
	free(r1);
	free(r2);
	free(r3);
}

static void test_bundle_empty(void **state)
{
	struct mv_buf b = {0};
	assert_int_equal(bundle_encode_begin(&b, 0), MV_OK);
	size_t count = 9, *lens = NULL;
	const uint8_t **ops = NULL;
	assert_int_equal(bundle_decode(b.data, b.len, &count, &ops, &lens, NULL), MV_OK);
	assert_int_equal(count, 0);
	assert_null(ops);
	assert_null(lens);
	mv_buf_free(&b);
}

/* Decode bytes expected to fail with a message containing want. */
static void bundle_bad(const void *data, size_t len, const char *want)
{
	size_t count, *lens;
	const uint8_t **ops;
	struct mv_err err = {0};
	assert_int_equal(bundle_decode(data, len, &count, &ops, &lens, &err), MV_EINVAL);
	assert_null(ops);
	assert_null(lens);
	assert_msg(&err, want);
}

static void test_bundle_errors(void **state)
{
	bundle_bad("", 0, "not an op bundle");
	bundle_bad("MVB", 3, "not an op bundle");
	bundle_bad("MVB2\x00", 5, "not an op bundle");
	bundle_bad("MVB1", 4, "bundle truncated in op count");
	bundle_bad("MVB1\x80", 5, "bundle truncated in op count");
	bundle_bad("MVB1\x80\x00", 6, "non-minimal or overlong op count");
	bundle_bad("MVB1\x00\x00", 6, "trailing bytes after bundle (1)");
	bundle_bad("MVB1\x05\x01x", 7, "bundle claims 5 ops but has only 2 bytes left");
	bundle_bad("MVB1\x02\x01x", 7, "bundle claims 2 ops but has only 2 bytes left");
	bundle_bad("MVB1\x01\x00x", 7, "op 1 in bundle has length 0");
	bundle_bad("MVB1\x02\x01x\x00x", 9, "op 2 in bundle has length 0");
	bundle_bad("MVB1\x01\x81\x00xx", 9, "non-minimal or overlong length of op 1");
	bundle_bad("MVB1\x01\x81\x80\x04xx", 10, "op 1 in bundle too large (65537 > 65536 bytes)");
	bundle_bad("MVB1\x01\x05xx", 8, "bundle truncated in op 1 (5 bytes, 2 left)");
	bundle_bad("MVB1\x02\x01x\x80\x80", 9, "bundle truncated in the length of op 2");
	bundle_bad("MVB1\x01\x01xyz", 9, "trailing bytes after bundle (2)");
}

static void test_bundle_limits(void **state)
{
	uint8_t *big = calloc(1, OP_MAX_SIZE + 1);
	assert_non_null(big);
	struct mv_buf b = {0};
	assert_int_equal(bundle_encode_begin(&b, 1), MV_OK);
	assert_int_equal(bundle_encode_add(&b, big, 0), MV_EINVAL);
	assert_int_equal(bundle_encode_add(&b, big, OP_MAX_SIZE + 1), MV_EINVAL);
	assert_int_equal(bundle_encode_add(&b, big, OP_MAX_SIZE), MV_OK);
	size_t count, *lens;
	const uint8_t **ops;
	assert_int_equal(bundle_decode(b.data, b.len, &count, &ops, &lens, NULL), MV_OK);
	assert_int_equal(count, 1);
	assert_int_equal(lens[0], OP_MAX_SIZE);
	free(ops);
	free(lens);
	mv_buf_free(&b);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_verify_roundtrip),
		cmocka_unit_test(test_envelope_layout),
		cmocka_unit_test(test_sign_is_deterministic),
		cmocka_unit_test(test_hash_known_answers),
		cmocka_unit_test(test_golden_vector),
		cmocka_unit_test(test_tampered_sig_fails),
		cmocka_unit_test(test_every_bit_flip_detected),
		cmocka_unit_test(test_resigned_by_other_key),
		cmocka_unit_test(test_sign_rejects),
		cmocka_unit_test(test_sign_size_limit),
		cmocka_unit_test(test_decode_truncated_everywhere),
		cmocka_unit_test(test_decode_trailing_and_oversize),
		cmocka_unit_test(test_decode_body_length),
		cmocka_unit_test(test_decode_bad_version),
		cmocka_unit_test(test_decode_bad_kind),
		cmocka_unit_test(test_kind_valid),
		cmocka_unit_test(test_copy_and_free),
		cmocka_unit_test(test_genesis_network_zero),
		cmocka_unit_test(test_bundle_roundtrip),
		cmocka_unit_test(test_bundle_empty),
		cmocka_unit_test(test_bundle_errors),
		cmocka_unit_test(test_bundle_limits),
	};
	return cmocka_run_group_tests(tests, keys_setup, NULL);
}
