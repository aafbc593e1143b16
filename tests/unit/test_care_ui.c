/* test_care_ui.c - the time-zone edge of the care UI (care_ui.c): UTC to
 * wall clock and back across daylight-saving changes, parsing what people
 * type (local, Z for UTC, ms), the weekly template's expansion into UTC
 * windows for 12 weeks (merging, the window limit, DST weeks) and reading
 * it back from published windows, countdowns and refund words. Each test
 * sets TZ itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "ui/care_ui.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)
/* 2026-11-26 14:30:00 UTC, a Thursday */
#define T0 INT64_C(1795703400000)
/* 2026-03-29 01:00 UTC: Europe/Berlin goes from 02:00 CET to 03:00 CEST */
#define SPRING INT64_C(1774746000000)

static void tz(const char *zone)
{
	setenv("TZ", zone, 1);
	tzset();
}

static void test_local_roundtrip(void **st)
{
	tz("UTC");
	assert_int_equal(care_ui_to_local(T0), T0);
	assert_int_equal(care_ui_from_local(T0), T0);
	tz("America/New_York"); /* EST, UTC-5 in November */
	assert_int_equal(care_ui_to_local(T0), T0 - 5 * HOUR_MS);
	assert_int_equal(care_ui_from_local(care_ui_to_local(T0)), T0);
	tz("Asia/Kolkata"); /* UTC+5:30, no DST */
	assert_int_equal(care_ui_to_local(T0 + 123), T0 + 123 + 5 * HOUR_MS + 30 * MIN_MS);
	assert_int_equal(care_ui_from_local(care_ui_to_local(T0 + 123)), T0 + 123);
}

static void test_dst_change(void **st)
{
	tz("Europe/Berlin");
	assert_int_equal(care_ui_to_local(SPRING - HOUR_MS), SPRING - HOUR_MS + HOUR_MS); /* CET */
	assert_int_equal(care_ui_to_local(SPRING), SPRING + 2 * HOUR_MS);                 /* CEST */
	/* 03:00 local on the day of the change is 01:00 UTC */
	int64_t wall = (SPRING / DAY_MS) * DAY_MS + 3 * HOUR_MS;
	assert_int_equal(care_ui_from_local(wall), SPRING);
	/* the day starts at 00:00 CET = 23:00 UTC the day before */
	assert_int_equal(care_ui_day_start(SPRING), (SPRING / DAY_MS) * DAY_MS - HOUR_MS);
	char z[16];
	care_ui_zone(z, sizeof z, SPRING);
	assert_string_equal(z, "CEST");
}

static void test_parse(void **st)
{
	int64_t v;
	char why[160];
	tz("America/New_York");
	assert_true(care_ui_parse("2026-11-26 09:30", &v, why, sizeof why));
	assert_int_equal(v, T0); /* 09:30 EST = 14:30 UTC */
	assert_true(care_ui_parse("2026-11-26T09:30", &v, why, sizeof why));
	assert_int_equal(v, T0);
	assert_true(care_ui_parse("2026-11-26T14:30:00Z", &v, why, sizeof why));
	assert_int_equal(v, T0);
	assert_true(care_ui_parse("1795703400000", &v, why, sizeof why));
	assert_int_equal(v, T0);
	assert_true(care_ui_parse("2026-11-26", &v, why, sizeof why));
	assert_int_equal(v, T0 - 14 * HOUR_MS - 30 * MIN_MS + 5 * HOUR_MS);
	assert_false(care_ui_parse("next tuesday", &v, why, sizeof why));
	assert_non_null(strstr(why, "YYYY-MM-DD HH:MM"));
	assert_false(care_ui_parse("2026-13-01 10:00", &v, why, sizeof why));
	assert_false(care_ui_parse("2026-11-26 25:00", &v, why, sizeof why));
	assert_false(care_ui_parse("", &v, why, sizeof why));
	assert_false(care_ui_parse("2026-11-26 10:00+01:00", &v, why, sizeof why));
}

static void test_format(void **st)
{
	char out[64];
	tz("UTC");
	care_ui_fmt(out, sizeof out, T0);
	assert_string_equal(out, "2026-11-26 14:30");
	care_ui_fmt_day(out, sizeof out, T0);
	assert_string_equal(out, "Thu 2026-11-26");
	care_ui_fmt_hm(out, sizeof out, T0);
	assert_string_equal(out, "14:30");
	care_ui_fmt_countdown(out, sizeof out, T0 + 45 * MIN_MS, T0);
	assert_string_equal(out, "in 45 min");
	care_ui_fmt_countdown(out, sizeof out, T0 + 26 * HOUR_MS + 5 * MIN_MS, T0);
	assert_string_equal(out, "in 1 d 2 h");
	care_ui_fmt_countdown(out, sizeof out, T0 - 3 * HOUR_MS, T0);
	assert_string_equal(out, "3 h 0 min ago");
	care_ui_fmt_countdown(out, sizeof out, T0 + 20000, T0);
	assert_string_equal(out, "now");
	care_ui_refund_words(out, sizeof out, 10000);
	assert_string_equal(out, "full refund");
	care_ui_refund_words(out, sizeof out, 5000);
	assert_string_equal(out, "50% refund");
	care_ui_refund_words(out, sizeof out, 0);
	assert_string_equal(out, "no refund");
	care_ui_refund_words(out, sizeof out, 3333);
	assert_string_equal(out, "33.33% refund");
}

/* Mon-Fri 09:00-12:00 and 13:00-17:00. */
static void week_workdays(struct care_ui_week *w)
{
	memset(w, 0, sizeof *w);
	for (int d = 0; d < 5; d++)
		for (int i = 18; i < 34; i++)
			w->open[d][i] = i < 24 || i >= 26;
}

static void test_expand_utc(void **st)
{
	struct care_ui_week w;
	int64_t *v = NULL;
	size_t n = 0;
	char why[160];
	tz("UTC");
	week_workdays(&w);
	assert_int_equal(care_ui_week_count(&w), 5 * 14);
	/* from Thursday 14:30: today's morning window has ended, the afternoon
	 * one is still running (kept whole: the contract clips it at now) */
	assert_true(care_ui_week_expand(&w, T0, 12, &v, &n, why, sizeof why));
	assert_int_equal(n, 12 * 5 * 2 - 1); /* 60 weekdays in 84 days; this morning has passed */
	int64_t day = (T0 / DAY_MS) * DAY_MS;
	assert_int_equal(v[0], day + 13 * HOUR_MS);
	assert_int_equal(v[1], day + 17 * HOUR_MS);
	assert_int_equal(v[2], day + DAY_MS + 9 * HOUR_MS);
	for (size_t i = 1; i < 2 * n; i++)
		assert_true(v[i] >= v[i - 1]);
	free(v);
}

static void test_expand_merges_and_limits(void **st)
{
	struct care_ui_week w;
	int64_t *v = NULL;
	size_t n = 0;
	char why[160];
	tz("UTC");
	memset(&w, 0, sizeof w);
	for (int d = 0; d < 7; d++)
		for (int i = 0; i < CARE_UI_SLOTS_PER_DAY; i++)
			w.open[d][i] = true;
	/* always open: one window across midnights */
	assert_true(care_ui_week_expand(&w, T0, 12, &v, &n, why, sizeof why));
	assert_int_equal(n, 1);
	free(v);
	/* every other half hour of every day: far over availability.set's limit */
	for (int d = 0; d < 7; d++)
		for (int i = 0; i < CARE_UI_SLOTS_PER_DAY; i++)
			w.open[d][i] = i % 2 == 0;
	assert_false(care_ui_week_expand(&w, T0, 12, &v, &n, why, sizeof why));
	assert_non_null(strstr(why, "at most 512"));
	memset(&w, 0, sizeof w);
	assert_true(care_ui_week_expand(&w, T0, 12, &v, &n, why, sizeof why));
	assert_int_equal(n, 0);
	free(v);
}

static void test_expand_keeps_local_hours_over_dst(void **st)
{
	struct care_ui_week w;
	int64_t *v = NULL;
	size_t n = 0;
	char why[160];
	tz("Europe/Berlin");
	memset(&w, 0, sizeof w);
	for (int i = 18; i < 20; i++) /* Mondays 09:00-10:00 local */
		w.open[0][i] = true;
	/* from a week before the spring change: 09:00 CET is 08:00 UTC, then
	 * 09:00 CEST is 07:00 UTC */
	assert_true(care_ui_week_expand(&w, SPRING - 7 * DAY_MS, 3, &v, &n, why, sizeof why));
	assert_true(n >= 2);
	assert_int_equal(v[0] % DAY_MS, 8 * HOUR_MS);
	assert_int_equal(v[2 * (n - 1)] % DAY_MS, 7 * HOUR_MS);
	assert_int_equal(v[1] - v[0], HOUR_MS);
	free(v);
}

static void test_week_from_published(void **st)
{
	struct care_ui_week w, back;
	int64_t *v = NULL;
	size_t n = 0;
	char why[160];
	tz("America/New_York");
	week_workdays(&w);
	w.open[5][20] = true; /* Saturday 10:00-10:30 */
	assert_true(care_ui_week_expand(&w, T0, 12, &v, &n, why, sizeof why));
	care_ui_week_from(&back, v, n, T0);
	assert_memory_equal(&w, &back, sizeof w);
	free(v);
	care_ui_week_from(&back, NULL, 0, T0);
	assert_int_equal(care_ui_week_count(&back), 0);
}

static void test_pick_is_shared(void **st)
{
	struct care_ui_pick *p = care_ui_pick();
	p->has_service = true;
	assert_true(care_ui_pick()->has_service);
	p->has_service = false;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_roundtrip),
		cmocka_unit_test(test_dst_change),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_expand_utc),
		cmocka_unit_test(test_expand_merges_and_limits),
		cmocka_unit_test(test_expand_keeps_local_hours_over_dst),
		cmocka_unit_test(test_week_from_published),
		cmocka_unit_test(test_pick_is_shared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
