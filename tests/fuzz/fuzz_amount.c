/* fuzz_amount.c - libFuzzer target for the text parsers of util.c that take
 * user input: mv_amount_parse and mv_time_parse (plus mv_utf8_valid and
 * mv_unhex on the same bytes). Accepted values must survive format -> parse
 * unchanged. */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* 0001-01-01 and 9999-12-31T23:59:59Z: the range mv_time_format_utc writes
 * in a form mv_time_parse reads back. */
#define FUZZ_TIME_MIN INT64_C(-62135596800000)
#define FUZZ_TIME_MAX INT64_C(253402300799000)

static void fuzz_amount(const char *s)
{
	int64_t v, back;
	struct mv_err err;
	char out[32];
	if (mv_amount_parse(s, &v, &err) != MV_OK) {
		CHECK(err.code == MV_EINVAL && err.msg[0]);
		return;
	}
	CHECK(v >= 0);
	mv_amount_format(out, sizeof out, v);
	CHECK(mv_amount_parse(out, &back, &err) == MV_OK && back == v);
}

static void fuzz_time(const char *s)
{
	int64_t ms, back;
	struct mv_err err;
	char out[32];
	if (mv_time_parse(s, &ms, &err) != MV_OK) {
		CHECK(err.code == MV_EINVAL && err.msg[0]);
		return;
	}
	mv_time_format_utc(out, sizeof out, ms);
	if (ms % 1000 == 0 && ms >= FUZZ_TIME_MIN && ms <= FUZZ_TIME_MAX)
		CHECK(mv_time_parse(out, &back, &err) == MV_OK && back == ms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256)
		return 0;
	char s[257];
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_amount(s);
	fuzz_time(s);
	(void)mv_utf8_valid(data, size);
	uint8_t hex[128];
	(void)mv_unhex(hex, strlen(s) / 2 <= sizeof hex ? strlen(s) / 2 : 0, s);
	return 0;
}
