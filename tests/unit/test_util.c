/* test_util.c - unit tests of src/core/util.c: errors, hex, integers,
 * varints, buffers, amounts, checked arithmetic, times, files, UTF-8.
 * Every rejection path is exercised and its message checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

/* err->msg contains needle (so a test fails on a vaguer message). */
static void assert_msg(const struct mv_err *err, const char *needle)
{
	if (!strstr(err->msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, needle);
}

/* ---- errors, hex, integers --------------------------------------------- */

static void test_fail_fills_err(void **state)
{
	struct mv_err err = {0};
	assert_int_equal(mv_fail(&err, MV_EINVAL, "bad %d %s", 7, "x"), MV_EINVAL);
	assert_int_equal(err.code, MV_EINVAL);
	assert_string_equal(err.msg, "bad 7 x");
	assert_int_equal(mv_fail(NULL, MV_ERR, "ignored"), MV_ERR);
	mv_err_clear(&err);
	assert_int_equal(err.code, MV_OK);
	assert_string_equal(err.msg, "");
	mv_err_clear(NULL);
}

static void test_hex_roundtrip(void **state)
{
	const uint8_t in[4] = {0x00, 0xab, 0x7f, 0xff};
	char hex[9];
	mv_hex(hex, in, 4);
	assert_string_equal(hex, "00ab7fff");
	uint8_t out[4] = {0};
	assert_int_equal(mv_unhex(out, 4, "00AB7fFf"), MV_OK);
	assert_memory_equal(out, in, 4);
}

static void test_unhex_rejects(void **state)
{
	uint8_t out[2] = {0x11, 0x22};
	assert_int_equal(mv_unhex(out, 2, "abc"), MV_EINVAL);
	assert_int_equal(mv_unhex(out, 2, "abcdef"), MV_EINVAL);
	assert_int_equal(mv_unhex(out, 2, "abcg"), MV_EINVAL);
	assert_int_equal(mv_unhex(out, 2, "ab c"), MV_EINVAL);
	assert_int_equal(mv_unhex(out, 2, NULL), MV_EINVAL);
	assert_int_equal(out[0], 0x11); /* untouched on failure */
	assert_int_equal(out[1], 0x22);
	assert_int_equal(mv_unhex(out, 0, ""), MV_OK);
}

static void test_u64_big_endian(void **state)
{
	uint8_t p[8];
	mv_put_u64(p, UINT64_C(0x0102030405060708));
	const uint8_t want[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	assert_memory_equal(p, want, 8);
	assert_true(mv_get_u64(p) == UINT64_C(0x0102030405060708));
	mv_put_u64(p, UINT64_MAX);
	assert_true(mv_get_u64(p) == UINT64_MAX);
}

/* ---- varints ----------------------------------------------------------- */

static void test_varint_roundtrip(void **state)
{
	const struct { uint64_t v; size_t n; } cases[] = {
		{0, 1}, {1, 1}, {127, 1}, {128, 2}, {300, 2}, {16383, 2}, {16384, 3},
		{UINT64_C(1) << 35, 6}, {UINT64_C(1) << 63, 10}, {UINT64_MAX, 10},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		uint8_t buf[10];
		size_t n = mv_varint_put(buf, cases[i].v);
		assert_int_equal(n, cases[i].n);
		uint64_t v = 0;
		assert_int_equal(mv_varint_get(buf, n, &v), (int)n);
		assert_true(v == cases[i].v);
		/* every shorter prefix is a truncation */
		for (size_t k = 0; k < n; k++)
			assert_int_equal(mv_varint_get(buf, k, &v), 0);
	}
	uint8_t b300[2];
	mv_varint_put(b300, 300);
	assert_int_equal(b300[0], 0xac);
	assert_int_equal(b300[1], 0x02);
}

static void test_varint_rejects(void **state)
{
	uint64_t v = 42;
	const uint8_t nonmin1[] = {0x80, 0x00};
	const uint8_t nonmin2[] = {0x81, 0x80, 0x00};
	const uint8_t over10[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
	const uint8_t over11[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x01};
	const uint8_t max[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
	assert_int_equal(mv_varint_get(nonmin1, 2, &v), -1);
	assert_int_equal(mv_varint_get(nonmin2, 3, &v), -1);
	assert_int_equal(mv_varint_get(over10, 10, &v), -1);
	assert_int_equal(mv_varint_get(over11, 11, &v), -1);
	assert_true(v == 42); /* untouched */
	assert_int_equal(mv_varint_get(max, 10, &v), 10);
	assert_true(v == UINT64_MAX);
	assert_int_equal(mv_varint_get(max, 9, &v), 0);
	assert_int_equal(mv_varint_get(NULL, 0, &v), 0);
}

static void test_buf(void **state)
{
	struct mv_buf b = {0};
	for (int i = 0; i < 1000; i++)
		assert_int_equal(mv_buf_byte(&b, (uint8_t)i), MV_OK);
	assert_int_equal(b.len, 1000);
	assert_true(b.cap >= 1000);
	assert_int_equal(b.data[999], (uint8_t)999);
	assert_int_equal(mv_buf_varint(&b, 300), MV_OK);
	assert_int_equal(mv_buf_u64(&b, 0x0102), MV_OK);
	assert_int_equal(mv_buf_append(&b, NULL, 0), MV_OK);
	assert_int_equal(b.len, 1010);
	assert_int_equal(b.data[1000], 0xac);
	assert_int_equal(b.data[1009], 0x02);
	assert_int_equal(mv_buf_reserve(&b, SIZE_MAX), MV_ERR);
	mv_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

/* ---- amounts ----------------------------------------------------------- */

static void test_amount_parse_ok(void **state)
{
	const struct { const char *s; int64_t v; } cases[] = {
		{"0", 0}, {"1", MV_UNIT}, {"1.5", 150000000}, {"12", 12 * MV_UNIT},
		{"0.00000001", 1}, {"0.1", 10000000}, {"007.50", 750000000},
		{"92233720368.54775807", INT64_MAX}, {"1.00000000", MV_UNIT},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int64_t v = -1;
		struct mv_err err = {0};
		assert_int_equal(mv_amount_parse(cases[i].s, &v, &err), MV_OK);
		assert_true(v == cases[i].v);
	}
}

static void test_amount_parse_rejects(void **state)
{
	const struct { const char *s; const char *why; } cases[] = {
		{"", "empty amount"},
		{"-1", "no sign"},
		{"+1", "no sign"},
		{" 1", "no spaces"},
		{"1 ", "no spaces"},
		{"1 000", "no spaces"},
		{"1.", "a digit is needed after the decimal point"},
		{".5", "a digit is needed before the decimal point"},
		{".", "a digit is needed before"},
		{"1.123456789", "too many decimals (max 8)"},
		{"0.000000001", "too many decimals (max 8)"},
		{"92233720368.54775808", "amount too large"},
		{"92233720369", "amount too large"},
		{"99999999999999999999999", "amount too large"},
		{"1e5", "unexpected character 'e'"},
		{"1,5", "unexpected character ','"},
		{"1..2", "more than one decimal point"},
		{"1.2.3", "more than one decimal point"},
		{"abc", "unexpected character 'a'"},
		{"1\xc2\xa0", "unexpected byte 0xc2"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int64_t v = 77;
		struct mv_err err = {0};
		assert_int_equal(mv_amount_parse(cases[i].s, &v, &err), MV_EINVAL);
		assert_int_equal(err.code, MV_EINVAL);
		assert_msg(&err, cases[i].why);
		assert_true(v == 77);
	}
	struct mv_err err = {0};
	int64_t v;
	assert_int_equal(mv_amount_parse(NULL, &v, &err), MV_EINVAL);
	assert_msg(&err, "empty amount");
}

static void test_amount_format(void **state)
{
	const struct { int64_t v; const char *s; } cases[] = {
		{0, "0"}, {1, "0.00000001"}, {MV_UNIT, "1"}, {150000000, "1.5"},
		{123456789, "1.23456789"}, {10 * MV_UNIT + 10, "10.0000001"},
		{-150000000, "-1.5"}, {INT64_MAX, "92233720368.54775807"},
		{INT64_MIN, "-92233720368.54775808"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[32];
		mv_amount_format(out, sizeof out, cases[i].v);
		assert_string_equal(out, cases[i].s);
		int64_t back;
		if (cases[i].v >= 0) {
			assert_int_equal(mv_amount_parse(out, &back, NULL), MV_OK);
			assert_true(back == cases[i].v);
		}
	}
}

/* ---- checked arithmetic ------------------------------------------------ */

static void test_checked_arith(void **state)
{
	int64_t r;
	assert_true(mv_add_i64(2, 3, &r) && r == 5);
	assert_false(mv_add_i64(INT64_MAX, 1, &r));
	assert_false(mv_add_i64(INT64_MIN, -1, &r));
	assert_true(mv_sub_i64(2, 3, &r) && r == -1);
	assert_false(mv_sub_i64(INT64_MIN, 1, &r));
	assert_false(mv_sub_i64(0, INT64_MIN, &r));
	assert_true(mv_mul_i64(-4, 5, &r) && r == -20);
	assert_false(mv_mul_i64(INT64_MAX / 2 + 1, 2, &r));
	assert_false(mv_mul_i64(INT64_MIN, -1, &r));
}

static void test_muldiv(void **state)
{
	int64_t r;
	assert_true(mv_muldiv_i64(10, 3, 4, &r) && r == 7);   /* 7.5 floors */
	assert_true(mv_muldiv_i64(-10, 3, 4, &r) && r == -8); /* -7.5 floors */
	assert_true(mv_muldiv_i64(-12, 1, 4, &r) && r == -3); /* exact */
	assert_true(mv_muldiv_i64(INT64_MAX, 10000, 10000, &r) && r == INT64_MAX);
	assert_true(mv_muldiv_i64(INT64_MAX, 2, 3, &r) && r == 6148914691236517204);
	assert_true(mv_muldiv_i64(INT64_MIN, 1, 1, &r) && r == INT64_MIN);
	assert_false(mv_muldiv_i64(INT64_MAX, 3, 2, &r));
	assert_false(mv_muldiv_i64(INT64_MIN, -1, 1, &r));
	assert_false(mv_muldiv_i64(1, 1, 0, &r));
	assert_false(mv_muldiv_i64(1, 1, -1, &r));
}

/* ---- time -------------------------------------------------------------- */

static void test_now_ms(void **state)
{
	int64_t a = (int64_t)time(NULL) * 1000;
	int64_t now = mv_now_ms();
	assert_true(now >= a - 1000 && now <= a + 2000);
}

/* The clock offset (only the demo sets it) shifts mv_now_ms and goes back. */
static void test_clock_offset(void **state)
{
	const int64_t day = INT64_C(86400000);
	assert_int_equal(mv_clock_offset_ms(), 0);
	mv_clock_set_offset_ms(-60 * day);
	assert_int_equal(mv_clock_offset_ms(), -60 * day);
	int64_t a = (int64_t)time(NULL) * 1000 - 60 * day;
	int64_t now = mv_now_ms();
	assert_true(now >= a - 1000 && now <= a + 2000);
	mv_clock_set_offset_ms(0);
	a = (int64_t)time(NULL) * 1000;
	now = mv_now_ms();
	assert_true(now >= a - 1000 && now <= a + 2000);
}

static void test_time_parse_ok(void **state)
{
	const struct { const char *s; int64_t ms; } cases[] = {
		{"2026-11-26T14:30Z", INT64_C(1795703400000)},
		{"2026-11-26T14:30:00Z", INT64_C(1795703400000)},
		{"2026-11-26 14:30", INT64_C(1795703400000)},
		{"2026-11-26T14:30", INT64_C(1795703400000)},
		{"2026-11-26 14:30:00Z", INT64_C(1795703400000)},
		{"2026-11-26", INT64_C(1795651200000)},
		{"2026-11-26Z", INT64_C(1795651200000)},
		{"1970-01-01", 0},
		{"1969-12-31T23:59:59Z", -1000},
		{"2000-02-29T23:59:59Z", INT64_C(951868799000)},
		{"1900-03-01", INT64_C(-2203891200000)},
		{"0001-01-01", INT64_C(-62135596800000)},
		{"9999-12-31T23:59:59Z", INT64_C(253402300799000)},
		{"1234", 1234},
		{"0", 0},
		{"9223372036854775807", INT64_MAX},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int64_t ms = -7;
		struct mv_err err = {0};
		if (mv_time_parse(cases[i].s, &ms, &err) != MV_OK)
			fail_msg("%s: %s", cases[i].s, err.msg);
		if (ms != cases[i].ms)
			fail_msg("%s: got %lld", cases[i].s, (long long)ms);
	}
}

static void test_time_parse_rejects(void **state)
{
	const struct { const char *s; const char *why; } cases[] = {
		{"", "empty time"},
		{"2026-02-29", "2026-02 has no day 29"},
		{"1900-02-29", "1900-02 has no day 29"},
		{"2026-04-31", "2026-04 has no day 31"},
		{"2026-01-00", "has no day 00"},
		{"2026-13-01", "no month 13"},
		{"2026-00-10", "no month 00"},
		{"0000-01-01", "year 0000"},
		{"2026-01-01T24:00Z", "no hour 24"},
		{"2026-01-01T12:60Z", "no minute 60"},
		{"2026-01-01T12:00:60Z", "no second 60"},
		{"2026-01-01T12:00+02:00", "only UTC"},
		{"2026-01-01T12:00-0500", "only UTC"},
		{"2026-01-01T12Z", "expected HH:MM"},
		{"2026-01-01T1:00", "expected HH:MM"},
		{"2026-01-01T12:00:5", "two digits of seconds"},
		{"2026-1-1", "expected a date YYYY-MM-DD"},
		{"26-01-01", "expected a date YYYY-MM-DD"},
		{"2026/01/01", "expected a date YYYY-MM-DD"},
		{"2026-01-01X", "unexpected text 'X'"},
		{"2026-01-01T12:00ZZ", "unexpected text 'Z'"},
		{"2026-01-01  12:00", "expected HH:MM"},
		{"-5", "expected a date YYYY-MM-DD"},
		{"12ab", "expected a date"},
		{"99999999999999999999", "milliseconds out of range"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int64_t ms = 77;
		struct mv_err err = {0};
		if (mv_time_parse(cases[i].s, &ms, &err) != MV_EINVAL)
			fail_msg("'%s' was accepted", cases[i].s);
		assert_msg(&err, cases[i].why);
		assert_true(ms == 77);
	}
	int64_t ms;
	assert_int_equal(mv_time_parse(NULL, &ms, NULL), MV_EINVAL);
}

static void test_time_format(void **state)
{
	char out[32];
	mv_time_format_utc(out, sizeof out, 0);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	mv_time_format_utc(out, sizeof out, -1);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	mv_time_format_utc(out, sizeof out, INT64_C(1795703400999));
	assert_string_equal(out, "2026-11-26T14:30:00Z");
	mv_time_format_utc(out, sizeof out, INT64_C(951868799000));
	assert_string_equal(out, "2000-02-29T23:59:59Z");
	mv_time_format_utc(out, sizeof out, INT64_C(-62135596800000));
	assert_string_equal(out, "0001-01-01T00:00:00Z");
	mv_time_format_utc(out, sizeof out, INT64_MAX); /* must not crash */
	mv_time_format_utc(out, sizeof out, INT64_MIN);
	/* parse(format(t)) == t for whole seconds over four centuries */
	for (int64_t t = INT64_C(-2208988800000); t < INT64_C(10413792000000);
	     t += INT64_C(86399000) * 37 + 1000) {
		int64_t back;
		mv_time_format_utc(out, sizeof out, t);
		assert_int_equal(mv_time_parse(out, &back, NULL), MV_OK);
		if (back != t)
			fail_msg("%lld -> %s -> %lld", (long long)t, out, (long long)back);
	}
}

/* ---- files ------------------------------------------------------------- */

static char tmpdir[64];

static int files_setup(void **state)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/mv_test_util.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int files_teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	if (d)
		closedir(d);
	return n;
}

static void test_write_read_atomic(void **state)
{
	char path[128];
	snprintf(path, sizeof path, "%s/key", tmpdir);
	struct mv_err err = {0};
	assert_int_equal(mv_write_file_atomic(path, "first", 5, 0600, &err), MV_OK);
	assert_int_equal(mv_write_file_atomic(path, "second!", 7, 0600, &err), MV_OK);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(count_entries(tmpdir), 1); /* no temp file left */
	uint8_t *data = NULL;
	size_t len = 0;
	assert_int_equal(mv_read_file(path, 100, &data, &len, &err), MV_OK);
	assert_int_equal(len, 7);
	assert_memory_equal(data, "second!", 7);
	assert_int_equal(data[7], 0);
	free(data);
	assert_int_equal(mv_read_file(path, 6, &data, &len, &err), MV_EINVAL);
	assert_msg(&err, "too large");
}

static void test_write_atomic_fails(void **state)
{
	char path[128];
	snprintf(path, sizeof path, "%s/missing/dir/f", tmpdir);
	struct mv_err err = {0};
	assert_int_equal(mv_write_file_atomic(path, "x", 1, 0600, &err), MV_ERR);
	assert_msg(&err, path);
	assert_msg(&err, "No such file");
}

static void test_read_missing_and_empty(void **state)
{
	char path[128];
	snprintf(path, sizeof path, "%s/nothere", tmpdir);
	struct mv_err err = {0};
	uint8_t *data = NULL;
	size_t len = 9;
	assert_int_equal(mv_read_file(path, 10, &data, &len, &err), MV_ENOTFOUND);
	assert_msg(&err, path);
	snprintf(path, sizeof path, "%s/empty", tmpdir);
	assert_int_equal(mv_write_file_atomic(path, "", 0, 0644, &err), MV_OK);
	assert_int_equal(mv_read_file(path, 10, &data, &len, &err), MV_OK);
	assert_int_equal(len, 0);
	assert_non_null(data);
	assert_int_equal(data[0], 0);
	free(data);
}

static void test_mkdirs(void **state)
{
	char path[128];
	struct mv_err err = {0};
	snprintf(path, sizeof path, "%s/a/b//c/", tmpdir);
	assert_int_equal(mv_mkdirs(path, 0700, &err), MV_OK);
	assert_int_equal(mv_mkdirs(path, 0700, &err), MV_OK); /* idempotent */
	struct stat st;
	snprintf(path, sizeof path, "%s/a/b/c", tmpdir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	snprintf(path, sizeof path, "%s/file", tmpdir);
	assert_int_equal(mv_write_file_atomic(path, "x", 1, 0600, &err), MV_OK);
	snprintf(path, sizeof path, "%s/file/sub", tmpdir);
	assert_int_equal(mv_mkdirs(path, 0700, &err), MV_ERR);
	assert_msg(&err, "a file is in the way");
	assert_int_equal(mv_mkdirs("", 0700, &err), MV_EINVAL);
}

/* ---- UTF-8 ------------------------------------------------------------- */

static bool utf8(const char *s)
{
	return mv_utf8_valid((const uint8_t *)s, strlen(s));
}

static void test_utf8_valid(void **state)
{
	assert_true(mv_utf8_valid(NULL, 0));
	assert_true(utf8("plain ascii ~"));
	assert_true(utf8("line\nnext\ttab"));
	assert_true(utf8("h\xc3\xa9llo"));              /* é */
	assert_true(utf8("\xc2\xa0"));                  /* U+00A0, first after C1 */
	assert_true(utf8("\xe6\x97\xa5\xe6\x9c\xac"));  /* 日本 */
	assert_true(utf8("\xf0\x9f\x98\x80"));          /* emoji U+1F600 */
	assert_true(utf8("\xef\xbf\xbf"));              /* U+FFFF */
	assert_true(utf8("\xed\x9f\xbf"));              /* U+D7FF, below surrogates */
	assert_true(utf8("\xee\x80\x80"));              /* U+E000, above surrogates */
	assert_true(utf8("\xf4\x8f\xbf\xbf"));          /* U+10FFFF */
}

static void test_utf8_rejects(void **state)
{
	const char *bad[] = {
		"\r", "a\x1b[31m", "\x01", "\x1f", "\x7f",
		"\xc2\x80", "\xc2\x9b",                     /* C1 controls */
		"\xc0\xaf", "\xc1\xbf",                     /* overlong 2-byte */
		"\xe0\x80\xaf", "\xe0\x9f\xbf",             /* overlong 3-byte */
		"\xf0\x80\x80\xaf", "\xf0\x8f\xbf\xbf",     /* overlong 4-byte */
		"\xed\xa0\x80", "\xed\xbf\xbf",             /* surrogates */
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80",     /* above U+10FFFF */
		"\xf8\x88\x80\x80\x80", "\xff", "\xfe",
		"\x80", "a\xbf",                            /* lone continuation */
		"\xe2\x82", "\xf0\x9f\x98", "\xc3",         /* truncated */
		"\xe2\x28\xa1", "\xc3\x28",                 /* bad continuation */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (utf8(bad[i]))
			fail_msg("accepted bad UTF-8 case %zu", i);
	const uint8_t nul[] = {'a', 0, 'b'};
	assert_false(mv_utf8_valid(nul, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_fills_err),
		cmocka_unit_test(test_hex_roundtrip),
		cmocka_unit_test(test_unhex_rejects),
		cmocka_unit_test(test_u64_big_endian),
		cmocka_unit_test(test_varint_roundtrip),
		cmocka_unit_test(test_varint_rejects),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_amount_parse_ok),
		cmocka_unit_test(test_amount_parse_rejects),
		cmocka_unit_test(test_amount_format),
		cmocka_unit_test(test_checked_arith),
		cmocka_unit_test(test_muldiv),
		cmocka_unit_test(test_now_ms),
		cmocka_unit_test(test_clock_offset),
		cmocka_unit_test(test_time_parse_ok),
		cmocka_unit_test(test_time_parse_rejects),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test_setup_teardown(test_write_read_atomic, files_setup, files_teardown),
		cmocka_unit_test_setup_teardown(test_write_atomic_fails, files_setup, files_teardown),
		cmocka_unit_test_setup_teardown(test_read_missing_and_empty, files_setup, files_teardown),
		cmocka_unit_test_setup_teardown(test_mkdirs, files_setup, files_teardown),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
