/* test_body.c - unit tests of src/core/body.c: the canonical record
 * encoding, every decoder rejection, lookups, and the builder (sorting,
 * duplicates, limits, misuse). A decoded body must re-encode to the very
 * same bytes: that property is checked on valid inputs and on mutants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/body.h"

static const uint8_t ID1[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static void assert_msg(const struct mv_err *err, const char *needle)
{
	if (!strstr(err->msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, needle);
}

/* Feeds one decoded value of a list into the builder. */
static void reencode_item(struct body_builder *bb, const struct body_value *v)
{
	char *s;
	switch (v->type) {
	case BODY_INT: bb_list_int(bb, v->i); break;
	case BODY_ID: bb_list_id(bb, v->p); break;
	case BODY_BYTES: bb_list_bytes(bb, v->p, v->n); break;
	case BODY_STR:
		s = strndup((const char *)v->p, v->n);
		assert_non_null(s);
		bb_list_str(bb, s);
		free(s);
		break;
	default: fail_msg("bad item type %d", v->type);
	}
}

/* Re-encodes a decoded body with the builder. */
static void reencode(const struct body *b, struct mv_buf *out)
{
	struct body_builder bb;
	bb_init(&bb);
	for (size_t i = 0; i < b->n; i++) {
		const struct body_field *f = &b->f[i];
		char *s;
		switch (f->v.type) {
		case BODY_INT: bb_int(&bb, f->key, f->v.i); break;
		case BODY_ID: bb_id(&bb, f->key, f->v.p); break;
		case BODY_BYTES: bb_bytes(&bb, f->key, f->v.p, f->v.n); break;
		case BODY_STR:
			s = strndup((const char *)f->v.p, f->v.n);
			assert_non_null(s);
			bb_str(&bb, f->key, s);
			free(s);
			break;
		case BODY_LIST:
			bb_list_begin(&bb, f->key);
			for (size_t k = 0; k < f->v.n; k++)
				reencode_item(&bb, &f->v.items[k]);
			bb_list_end(&bb);
			break;
		}
	}
	struct mv_err err = {0};
	if (bb_build(&bb, out, &err) != MV_OK)
		fail_msg("re-encoding failed: %s", err.msg);
}

/* Decoding data either fails, or succeeds and re-encodes to data exactly. */
static bool decode_is_canonical(const uint8_t *data, size_t len)
{
	struct body b;
	if (body_decode(&b, data, len, NULL) != MV_OK)
		return false;
	struct mv_buf out;
	reencode(&b, &out);
	if (out.len != len || memcmp(out.data, data, len) != 0)
		fail_msg("decoded body re-encodes differently (%zu vs %zu bytes)", out.len, len);
	mv_buf_free(&out);
	body_free(&b);
	return true;
}

/* A body with every type, built out of order. */
static void build_sample(struct mv_buf *out)
{
	struct body_builder bb;
	struct mv_err err = {0};
	bb_init(&bb);
	bb_str(&bb, "zeta", "h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
	bb_int(&bb, "amount", -150000000);
	bb_bytes(&bb, "blob", "\x00\x01\xff", 3);
	bb_id(&bb, "to", ID1);
	bb_list_begin(&bb, "windows");
	bb_list_int(&bb, 1000);
	bb_list_int(&bb, 2000);
	bb_list_end(&bb);
	bb_list_begin(&bb, "mixed");
	bb_list_str(&bb, "x");
	bb_list_id(&bb, ID1);
	bb_list_bytes(&bb, "", 0);
	bb_list_int(&bb, INT64_MIN);
	bb_list_end(&bb);
	bb_list_begin(&bb, "empty_list");
	bb_list_end(&bb);
	bb_str(&bb, "empty_str", "");
	bb_int(&bb, "max", INT64_MAX);
	assert_int_equal(bb_build(&bb, out, &err), MV_OK);
}

/* ---- round trips ------------------------------------------------------- */

static void test_roundtrip_every_type(void **state)
{
	struct mv_buf enc;
	build_sample(&enc);
	struct body b;
	struct mv_err err = {0};
	assert_int_equal(body_decode(&b, enc.data, enc.len, &err), MV_OK);
	assert_int_equal(b.n, 9);
	/* fields come out sorted */
	const char *order[] = {"amount", "blob", "empty_list", "empty_str", "max",
			       "mixed", "to", "windows", "zeta"};
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(b.f[i].key, order[i]);
	int64_t i64;
	assert_int_equal(body_int(&b, "amount", &i64, &err), MV_OK);
	assert_true(i64 == -150000000);
	assert_int_equal(body_int(&b, "max", &i64, &err), MV_OK);
	assert_true(i64 == INT64_MAX);
	char s[64];
	assert_int_equal(body_str(&b, "zeta", s, sizeof s, &err), MV_OK);
	assert_string_equal(s, "h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
	assert_int_equal(body_str(&b, "empty_str", s, sizeof s, &err), MV_OK);
	assert_string_equal(s, "");
	const uint8_t *p;
	size_t n;
	assert_int_equal(body_bytes(&b, "blob", &p, &n, &err), MV_OK);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "\x00\x01\xff", 3);
	assert_true(p > enc.data && p < enc.data + enc.len); /* points into the bytes */
	uint8_t id[32];
	assert_int_equal(body_id(&b, "to", id, &err), MV_OK);
	assert_memory_equal(id, ID1, 32);
	const struct body_value *items;
	assert_int_equal(body_list(&b, "windows", &items, &n, &err), MV_OK);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].type, BODY_INT);
	assert_true(items[0].i == 1000 && items[1].i == 2000);
	assert_int_equal(body_list(&b, "mixed", &items, &n, &err), MV_OK);
	assert_int_equal(n, 4);
	assert_int_equal(items[0].type, BODY_STR);
	assert_int_equal(items[0].n, 1);
	assert_memory_equal(items[0].p, "x", 1);
	assert_int_equal(items[1].type, BODY_ID);
	assert_memory_equal(items[1].p, ID1, 32);
	assert_int_equal(items[2].type, BODY_BYTES);
	assert_int_equal(items[2].n, 0);
	assert_true(items[3].i == INT64_MIN);
	assert_int_equal(body_list(&b, "empty_list", &items, &n, &err), MV_OK);
	assert_int_equal(n, 0);
	body_free(&b);
	assert_int_equal(b.n, 0);
	body_free(&b);
	assert_true(decode_is_canonical(enc.data, enc.len));
	mv_buf_free(&enc);
}

static void test_exact_encoding(void **state)
{
	struct body_builder bb;
	struct mv_buf out;
	bb_init(&bb);
	bb_str(&bb, "b", "hi");
	bb_int(&bb, "a", -2);
	bb_list_begin(&bb, "c");
	bb_list_int(&bb, 1);
	bb_list_end(&bb);
	assert_int_equal(bb_build(&bb, &out, NULL), MV_OK);
	const uint8_t want[] = {
		0x03,
		0x01, 'a', 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
		0x01, 'b', 0x02, 0x02, 'h', 'i',
		0x01, 'c', 0x05, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 1,
	};
	assert_int_equal(out.len, sizeof want);
	assert_memory_equal(out.data, want, sizeof want);
	mv_buf_free(&out);
	/* the empty record is one byte */
	bb_init(&bb);
	assert_int_equal(bb_build(&bb, &out, NULL), MV_OK);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.data[0], 0);
	struct body b;
	assert_int_equal(body_decode(&b, out.data, 1, NULL), MV_OK);
	assert_int_equal(b.n, 0);
	mv_buf_free(&out);
}

static void test_builder_order_independent(void **state)
{
	struct body_builder bb;
	struct mv_buf x, y;
	bb_init(&bb);
	bb_int(&bb, "z", 1);
	bb_int(&bb, "a_b", 2);
	bb_int(&bb, "a", 3);
	bb_int(&bb, "a0", 4);
	assert_int_equal(bb_build(&bb, &x, NULL), MV_OK);
	bb_init(&bb);
	bb_int(&bb, "a0", 4);
	bb_int(&bb, "a", 3);
	bb_int(&bb, "z", 1);
	bb_int(&bb, "a_b", 2);
	assert_int_equal(bb_build(&bb, &y, NULL), MV_OK);
	assert_int_equal(x.len, y.len);
	assert_memory_equal(x.data, y.data, x.len);
	struct body b;
	assert_int_equal(body_decode(&b, x.data, x.len, NULL), MV_OK);
	/* bytewise: "a" < "a0" < "a_b" < "z" ('0' 0x30 < '_' 0x5f) */
	assert_string_equal(b.f[0].key, "a");
	assert_string_equal(b.f[1].key, "a0");
	assert_string_equal(b.f[2].key, "a_b");
	assert_string_equal(b.f[3].key, "z");
	body_free(&b);
	mv_buf_free(&x);
	mv_buf_free(&y);
}

static void test_limits_accepted(void **state)
{
	struct body_builder bb;
	struct mv_buf out;
	char key[40];
	bb_init(&bb);
	for (int i = 0; i < BODY_MAX_FIELDS; i++) {
		snprintf(key, sizeof key, "f%02d", i);
		bb_int(&bb, key, i);
	}
	assert_int_equal(bb_build(&bb, &out, NULL), MV_OK);
	assert_true(decode_is_canonical(out.data, out.len));
	mv_buf_free(&out);
	bb_init(&bb);
	memset(key, 'k', 32);
	key[32] = '\0';
	bb_list_begin(&bb, key);
	for (int i = 0; i < BODY_MAX_LIST; i++)
		bb_list_int(&bb, i);
	bb_list_end(&bb);
	assert_int_equal(bb_build(&bb, &out, NULL), MV_OK);
	struct body b;
	assert_int_equal(body_decode(&b, out.data, out.len, NULL), MV_OK);
	assert_int_equal(b.f[0].v.n, BODY_MAX_LIST);
	assert_true(b.f[0].v.items[1023].i == 1023);
	body_free(&b);
	mv_buf_free(&out);
}

/* ---- builder errors ---------------------------------------------------- */

static void build_fails(struct body_builder *bb, int code, const char *want)
{
	struct mv_buf out = {(uint8_t *)1, 1, 1};
	struct mv_err err = {0};
	assert_int_equal(bb_build(bb, &out, &err), code);
	assert_null(out.data);
	assert_int_equal(out.len, 0);
	assert_msg(&err, want);
}

static void test_builder_duplicates(void **state)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_int(&bb, "x", 1);
	bb_str(&bb, "y", "a");
	bb_str(&bb, "x", "b");
	build_fails(&bb, MV_EINVAL, "duplicate field 'x'");
	bb_init(&bb);
	bb_list_begin(&bb, "l");
	bb_list_end(&bb);
	bb_id(&bb, "l", ID1);
	build_fails(&bb, MV_EINVAL, "duplicate field 'l'");
}

static void test_builder_bad_keys(void **state)
{
	const char *bad[] = {"", "Upper", "a-b", "a.b", "a b", "\xc3\xa9",
			     "abcdefghijabcdefghijabcdefghij123"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct body_builder bb;
		bb_init(&bb);
		bb_int(&bb, bad[i], 1);
		build_fails(&bb, MV_EINVAL, "invalid field name");
	}
	struct body_builder bb;
	bb_init(&bb);
	bb_int(&bb, NULL, 1);
	build_fails(&bb, MV_EINVAL, "invalid field name '(null)'");
	bb_init(&bb);
	bb_list_begin(&bb, "Bad");
	bb_list_int(&bb, 1);
	bb_list_end(&bb);
	build_fails(&bb, MV_EINVAL, "invalid field name 'Bad'");
}

static void test_builder_bad_values(void **state)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_str(&bb, "s", "esc\x1b[2J");
	build_fails(&bb, MV_EINVAL, "field 's' is not valid UTF-8");
	bb_init(&bb);
	bb_str(&bb, "s", "\xc0\xaf");
	build_fails(&bb, MV_EINVAL, "field 's' is not valid UTF-8");
	bb_init(&bb);
	bb_str(&bb, "s", NULL);
	build_fails(&bb, MV_EINVAL, "field 's' is not valid UTF-8");
	bb_init(&bb);
	bb_bytes(&bb, "b", NULL, 3);
	build_fails(&bb, MV_EINVAL, "field 'b' has a NULL value");
	bb_init(&bb);
	bb_id(&bb, "i", NULL);
	build_fails(&bb, MV_EINVAL, "field 'i' has a NULL value");
	bb_init(&bb);
	bb_bytes(&bb, "b", NULL, 0); /* empty bytes are fine */
	struct mv_buf out;
	assert_int_equal(bb_build(&bb, &out, NULL), MV_OK);
	mv_buf_free(&out);
	bb_init(&bb);
	bb_list_begin(&bb, "l");
	bb_list_str(&bb, "ok");
	bb_list_str(&bb, "\xed\xa0\x80");
	bb_list_end(&bb);
	build_fails(&bb, MV_EINVAL, "field 'l' is not valid UTF-8");
}

static void test_builder_misuse(void **state)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_list_begin(&bb, "l");
	bb_list_int(&bb, 1);
	build_fails(&bb, MV_EINVAL, "list 'l' was not closed");
	bb_init(&bb);
	bb_list_int(&bb, 1);
	build_fails(&bb, MV_EINVAL, "list item added with no open list");
	bb_init(&bb);
	bb_list_end(&bb);
	build_fails(&bb, MV_EINVAL, "list end with no open list");
	bb_init(&bb);
	bb_list_begin(&bb, "l");
	bb_int(&bb, "x", 1);
	build_fails(&bb, MV_EINVAL, "field 'x' added while list 'l' is open");
	bb_init(&bb);
	bb_list_begin(&bb, "outer");
	bb_list_begin(&bb, "inner"); /* no nested lists */
	build_fails(&bb, MV_EINVAL, "field 'inner' added while list 'outer' is open");
	/* the first error is the one reported */
	bb_init(&bb);
	bb_int(&bb, "A", 1);
	bb_int(&bb, "B", 1);
	build_fails(&bb, MV_EINVAL, "'A'");
	/* bb_free abandons a builder without leaking, even with an open list */
	bb_init(&bb);
	bb_str(&bb, "s", "text");
	bb_list_begin(&bb, "l");
	bb_list_int(&bb, 5);
	bb_free(&bb);
	bb_free(&bb);
}

static void test_builder_limits(void **state)
{
	struct body_builder bb;
	char key[16];
	bb_init(&bb);
	for (int i = 0; i <= BODY_MAX_FIELDS; i++) {
		snprintf(key, sizeof key, "f%02d", i);
		bb_int(&bb, key, i);
	}
	build_fails(&bb, MV_EINVAL, "too many fields (more than 128) at 'f128'");
	bb_init(&bb);
	bb_list_begin(&bb, "l");
	for (int i = 0; i <= BODY_MAX_LIST; i++)
		bb_list_int(&bb, i);
	bb_list_end(&bb);
	build_fails(&bb, MV_EINVAL, "list 'l' too long (more than 1024 items)");
}

/* ---- lookups ----------------------------------------------------------- */

static void test_lookup_errors(void **state)
{
	struct mv_buf enc;
	build_sample(&enc);
	struct body b;
	struct mv_err err = {0};
	assert_int_equal(body_decode(&b, enc.data, enc.len, &err), MV_OK);
	int64_t i64 = 5;
	assert_null(body_get(&b, "nope"));
	assert_non_null(body_get(&b, "zeta"));
	assert_int_equal(body_int(&b, "nope", &i64, &err), MV_ENOTFOUND);
	assert_string_equal(err.msg, "missing field 'nope'");
	assert_true(i64 == 5);
	assert_int_equal(body_int(&b, "zeta", &i64, &err), MV_EINVAL);
	assert_string_equal(err.msg, "field 'zeta' is STR, expected INT");
	char s[8];
	assert_int_equal(body_str(&b, "amount", s, sizeof s, &err), MV_EINVAL);
	assert_string_equal(err.msg, "field 'amount' is INT, expected STR");
	assert_int_equal(body_str(&b, "zeta", s, sizeof s, &err), MV_EINVAL);
	assert_msg(&err, "field 'zeta' too long (18 bytes, at most 7)");
	char fit[19];
	assert_int_equal(body_str(&b, "zeta", fit, sizeof fit, &err), MV_OK);
	assert_int_equal(body_str(&b, "zeta", fit, 18, &err), MV_EINVAL);
	uint8_t id[32];
	assert_int_equal(body_id(&b, "blob", id, &err), MV_EINVAL);
	assert_string_equal(err.msg, "field 'blob' is BYTES, expected ID");
	const uint8_t *p;
	size_t n;
	assert_int_equal(body_bytes(&b, "to", &p, &n, &err), MV_EINVAL);
	assert_string_equal(err.msg, "field 'to' is ID, expected BYTES");
	const struct body_value *items;
	assert_int_equal(body_list(&b, "max", &items, &n, &err), MV_EINVAL);
	assert_string_equal(err.msg, "field 'max' is INT, expected LIST");
	assert_int_equal(body_list(&b, "nope", &items, &n, &err), MV_ENOTFOUND);
	body_free(&b);
	mv_buf_free(&enc);
}

/* ---- decoder errors ---------------------------------------------------- */

static void decode_bad(const void *data, size_t len, const char *want)
{
	struct body b;
	struct mv_err err = {0};
	memset(&b, 0x5a, sizeof b);
	assert_int_equal(body_decode(&b, data, len, &err), MV_EINVAL);
	assert_int_equal(b.n, 0); /* left empty */
	assert_msg(&err, want);
}

/* A string literal's bytes without the terminating NUL. */
#define BAD(lit, want) decode_bad(lit, sizeof(lit) - 1, want)

static void test_decode_rejects(void **state)
{
	BAD("", "body truncated in field count");
	BAD("\x80", "body truncated in field count");
	BAD("\x80\x00", "non-minimal or overlong field count");
	BAD("\x81\x01", "body has too many fields (129 > 128)");
	BAD("\x01", "body truncated in key length of field '#1'");
	BAD("\x01\x00", "field #1 key length 0 (must be 1..32)");
	BAD("\x01\x21", "field #1 key length 33 (must be 1..32)");
	BAD("\x01\x02" "a", "body truncated in key of field '#1' (1 of 2 bytes)");
	BAD("\x01\x01" "A\x01", "field #1 key has invalid byte 0x41");
	BAD("\x01\x01-\x01", "field #1 key has invalid byte 0x2d");
	BAD("\x01\x01.\x01", "field #1 key has invalid byte 0x2e");
	BAD("\x01\x01" "a", "body truncated in type of field 'a'");
	BAD("\x01\x01" "a\x00", "unknown value type 0x00 in field 'a'");
	BAD("\x01\x01" "a\x06", "unknown value type 0x06 in field 'a'");
	BAD("\x01\x01" "a\xff", "unknown value type 0xff in field 'a'");
	BAD("\x01\x01" "a\x01\x00\x00", "body truncated in value of field 'a' (2 of 8 bytes)");
	BAD("\x01\x01" "a\x04\x00", "body truncated in value of field 'a' (1 of 32 bytes)");
	BAD("\x01\x01" "a\x02", "body truncated in length of field 'a'");
	BAD("\x01\x01" "a\x02\x81\x00x", "non-minimal or overlong length in field 'a'");
	BAD("\x01\x01" "a\x02\x05xy", "field 'a' length 5 exceeds the 2 bytes left");
	BAD("\x01\x01" "a\x03\x05xy", "field 'a' length 5 exceeds the 2 bytes left");
	BAD("\x01\x01" "a\x02\x02" "\xc3\x28", "field 'a' is not valid UTF-8");
	BAD("\x01\x01" "a\x02\x02" "x\x00", "field 'a' is not valid UTF-8");
	BAD("\x01\x01" "a\x02\x01\x1b", "field 'a' is not valid UTF-8");
	BAD("\x01\x01" "a\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00", "trailing bytes after body (1)");
	BAD("\x00\x00", "trailing bytes after body (1)");
	/* unsorted and duplicate keys */
	BAD("\x02\x01" "b\x02\x00\x01" "a\x02\x00", "field 'a' is out of order");
	BAD("\x02\x01" "a\x02\x00\x01" "a\x02\x00", "field 'a' is duplicated");
	BAD("\x02\x02" "ab\x02\x00\x01" "a\x02\x00", "field 'a' is out of order");
	BAD("\x02\x01" "_\x02\x00\x01" "0\x02\x00", "field '0' is out of order");
}

static void test_decode_list_rejects(void **state)
{
	BAD("\x01\x01" "l\x05", "body truncated in list count of field 'l'");
	BAD("\x01\x01" "l\x05\x80\x00", "non-minimal or overlong list count in field 'l'");
	BAD("\x01\x01" "l\x05\x81\x08", "list 'l' too long (1025 > 1024 items)");
	BAD("\x01\x01" "l\x05\x02\x01\x01\x00", "body truncated in list 'l' (2 items, 3 bytes left)");
	BAD("\x01\x01" "l\x05\x01\x05\x00", "nested list in field 'l'");
	BAD("\x01\x01" "l\x05\x01\x07\x00", "unknown value type 0x07 in field 'l'");
	BAD("\x01\x01" "l\x05\x02\x02\x01x\x01\x00", "body truncated in value of field 'l' (1 of 8 bytes)");
	BAD("\x01\x01" "l\x05\x01\x02\x01\x7f", "field 'l' is not valid UTF-8");
	/* a list error after items were allocated must not leak (ASan) */
	BAD("\x01\x01" "l\x05\x02\x02\x01x\x06\x00", "unknown value type 0x06");
	BAD("\x02\x01" "a\x05\x01\x02\x00\x01" "b\x09", "unknown value type 0x09 in field 'b'");
}

static void test_decode_truncated_everywhere(void **state)
{
	struct mv_buf enc;
	build_sample(&enc);
	for (size_t n = 0; n < enc.len; n++) {
		struct body b;
		struct mv_err err = {0};
		if (body_decode(&b, enc.data, n, &err) == MV_OK)
			fail_msg("prefix of %zu bytes accepted", n);
		assert_int_equal(b.n, 0);
		assert_true(strlen(err.msg) > 0);
	}
	mv_buf_free(&enc);
}

/* Any single-bit flip decodes to nothing or to a body whose canonical
 * encoding is exactly the mutated bytes: no second encoding slips in. */
static void test_bit_flips_stay_canonical(void **state)
{
	struct mv_buf enc;
	build_sample(&enc);
	size_t accepted = 0;
	for (size_t i = 0; i < enc.len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			enc.data[i] ^= (uint8_t)(1 << bit);
			accepted += decode_is_canonical(enc.data, enc.len);
			enc.data[i] ^= (uint8_t)(1 << bit);
		}
	}
	assert_true(accepted > 0); /* value bits flip to other valid bodies */
	assert_true(accepted < enc.len * 8);
	mv_buf_free(&enc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_every_type),
		cmocka_unit_test(test_exact_encoding),
		cmocka_unit_test(test_builder_order_independent),
		cmocka_unit_test(test_limits_accepted),
		cmocka_unit_test(test_builder_duplicates),
		cmocka_unit_test(test_builder_bad_keys),
		cmocka_unit_test(test_builder_bad_values),
		cmocka_unit_test(test_builder_misuse),
		cmocka_unit_test(test_builder_limits),
		cmocka_unit_test(test_lookup_errors),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_decode_list_rejects),
		cmocka_unit_test(test_decode_truncated_everywhere),
		cmocka_unit_test(test_bit_flips_stay_canonical),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
