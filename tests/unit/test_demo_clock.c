/* test_demo_clock.c - the demo's timeline (src/ui/demo_clock.c): times
 * written in demo steps (now-3d, W-8 mon 08:00 in local time across
 * daylight-saving changes), durations, a clock that only moves forward and
 * is the real time again at the end; and the whole demo built on it leaves
 * the process clock untouched, with a log from eight weeks back to now. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/home.h"
#include "core/store.h"
#include "ui/demo.h"
#include "ui/demo_clock.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

static void tz(const char *zone)
{
	setenv("TZ", zone, 1);
	tzset();
}

static void assert_msg(const struct mv_err *err, const char *needle)
{
	if (!strstr(err->msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, needle);
}

static struct tm local_of(int64_t ms)
{
	struct tm tm;
	time_t t = (time_t)(ms / 1000);
	localtime_r(&t, &tm);
	return tm;
}

/* The origin is where the clock starts; "now" is when begin was called. */
static void test_begin_and_end(void **st)
{
	struct mv_err err = {0};
	tz("UTC");
	int64_t before = mv_now_ms();
	assert_int_equal(demo_clock_begin("now-10d", &err), MV_OK);
	int64_t start = demo_clock_start();
	assert_true(start >= before && start <= before + 2000);
	assert_int_equal(mv_clock_offset_ms(), -10 * DAY_MS);
	int64_t now = mv_now_ms();
	assert_true(now >= start - 10 * DAY_MS && now <= start - 10 * DAY_MS + 2000);
	/* a second begin while offset is refused */
	assert_int_equal(demo_clock_begin("now", &err), MV_ERR);
	assert_msg(&err, "already offset");
	demo_clock_end();
	assert_int_equal(mv_clock_offset_ms(), 0);
	demo_clock_end(); /* twice is harmless */
	assert_int_equal(mv_clock_offset_ms(), 0);
	/* a bad origin leaves the clock alone */
	assert_int_equal(demo_clock_begin("yesterday", &err), MV_EINVAL);
	assert_int_equal(mv_clock_offset_ms(), 0);
	assert_int_equal(demo_clock_parse("now", &now, &err), MV_ERR);
	assert_msg(&err, "has not begun");
}

static void test_parse(void **st)
{
	struct mv_err err = {0};
	int64_t t, d;
	tz("UTC");
	assert_int_equal(demo_clock_begin("now", &err), MV_OK);
	int64_t s = demo_clock_start();
	assert_int_equal(demo_clock_parse("now", &t, &err), MV_OK);
	assert_int_equal(t, s);
	assert_int_equal(demo_clock_parse("now-3d", &t, &err), MV_OK);
	assert_int_equal(t, s - 3 * DAY_MS);
	assert_int_equal(demo_clock_parse("now-2h30m", &t, &err), MV_OK);
	assert_int_equal(t, s - 2 * HOUR_MS - 30 * MIN_MS);
	assert_int_equal(demo_clock_parse("now+1d", &t, &err), MV_EINVAL);
	assert_msg(&err, "after the demo began");
	const char *bad[] = {"", "now-", "now-3", "now-3x", "now 3d", "later", "W-0 mon 08:00",
			     "W-8 mon", "W-8 xyz 08:00", "W-8 mon 24:00", "W-8 mon 08:60",
			     "W-8 mon 08:00 extra", "W-53 mon 08:00", "W8 mon 08:00"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (demo_clock_parse(bad[i], &t, &err) == MV_OK)
			fail_msg("'%s' was accepted", bad[i]);
	assert_int_equal(demo_clock_duration("+50m", &d, &err), MV_OK);
	assert_int_equal(d, 50 * MIN_MS);
	assert_int_equal(demo_clock_duration("-5m", &d, &err), MV_OK);
	assert_int_equal(d, -5 * MIN_MS);
	assert_int_equal(demo_clock_duration("+1d2h", &d, &err), MV_OK);
	assert_int_equal(d, DAY_MS + 2 * HOUR_MS);
	assert_int_equal(demo_clock_duration("+90s", &d, &err), MV_OK);
	assert_int_equal(d, 90000);
	const char *baddur[] = {"5m", "+", "+5", "+5x", "-m", "+5m3", NULL};
	for (size_t i = 0; baddur[i]; i++)
		if (demo_clock_duration(baddur[i], &d, &err) == MV_OK)
			fail_msg("duration '%s' was accepted", baddur[i]);
	assert_int_equal(demo_clock_duration(NULL, &d, &err), MV_EINVAL);
	demo_clock_end();
}

/* "W-k DAY HH:MM" is that wall-clock time on that weekday in every week,
 * before and after the daylight-saving changes. */
static void test_weeks_local(void **st)
{
	const char *zones[] = {"UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney"};
	struct mv_err err = {0};
	for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
		tz(zones[z]);
		assert_int_equal(demo_clock_begin("now", &err), MV_OK);
		int64_t s = demo_clock_start(), prev = 0;
		for (int k = 52; k >= 1; k--) {
			char spec[32];
			int64_t t;
			snprintf(spec, sizeof spec, "W-%d thu 10:30", k);
			assert_int_equal(demo_clock_parse(spec, &t, &err), MV_OK);
			struct tm tm = local_of(t);
			if (tm.tm_wday != 4 || tm.tm_hour != 10 || tm.tm_min != 30)
				fail_msg("%s %s: %d %02d:%02d", zones[z], spec, tm.tm_wday, tm.tm_hour,
					 tm.tm_min);
			assert_true(t < s);
			if (prev)
				assert_true(t - prev >= 7 * DAY_MS - HOUR_MS && t - prev <= 7 * DAY_MS + HOUR_MS);
			prev = t;
		}
		/* W-1 sun 23:59 is before the current week, which holds now */
		int64_t t;
		assert_int_equal(demo_clock_parse("W-1 sun 23:59", &t, &err), MV_OK);
		assert_true(t < s && t > s - 8 * DAY_MS);
		demo_clock_end();
	}
	tz("UTC");
}

/* Forward only: an exact step into the past is refused with both times,
 * an "after" step already passed changes nothing, the start is offset 0. */
static void test_go(void **st)
{
	struct mv_err err = {0};
	int64_t t;
	tz("UTC");
	assert_int_equal(demo_clock_begin("now-10d", &err), MV_OK);
	int64_t s = demo_clock_start();
	assert_int_equal(demo_clock_go(s - 5 * DAY_MS, true, &err), MV_OK);
	t = mv_now_ms();
	assert_true(t >= s - 5 * DAY_MS && t <= s - 5 * DAY_MS + 2000);
	assert_int_equal(demo_clock_go(s - 6 * DAY_MS, true, &err), MV_EINVAL);
	assert_msg(&err, "only moves forward");
	assert_int_equal(mv_clock_offset_ms(), -5 * DAY_MS);
	assert_int_equal(demo_clock_go(s - 6 * DAY_MS, false, &err), MV_OK);
	assert_int_equal(mv_clock_offset_ms(), -5 * DAY_MS);
	assert_int_equal(demo_clock_go(s - 4 * DAY_MS, false, &err), MV_OK);
	t = mv_now_ms();
	assert_true(t >= s - 4 * DAY_MS && t <= s - 4 * DAY_MS + 2000);
	assert_int_equal(demo_clock_go(s, true, &err), MV_OK);
	assert_int_equal(mv_clock_offset_ms(), 0);
	demo_clock_end();
	assert_int_equal(demo_clock_go(s, true, &err), MV_ERR);
	assert_msg(&err, "has not begun");
}

static int64_t scalar(struct home *h, const char *sql)
{
	struct mv_err err;
	sqlite3_stmt *s = store_prep(h->st, sql, &err);
	assert_non_null(s);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return v;
}

/* The demo's log runs from eight weeks back to now, in one increasing
 * order of clocks, and the process clock is the real time afterwards; a
 * second demo into the same home is refused without moving the clock. */
static void test_demo_timeline(void **st)
{
	char dir[] = "/tmp/mv-test-demo-XXXXXX";
	struct mv_err err = {0};
	struct home *h = NULL;
	tz("UTC");
	assert_non_null(mkdtemp(dir));
	int64_t before = mv_now_ms();
	if (demo_create(dir, &err) != MV_OK)
		fail_msg("demo: %s", err.msg);
	int64_t after = mv_now_ms();
	assert_int_equal(mv_clock_offset_ms(), 0);
	assert_int_equal(home_open(&h, dir, false, &err), MV_OK);
	int64_t first = scalar(h, "SELECT min(clock >> 16) FROM log_ops");
	int64_t last = scalar(h, "SELECT max(clock >> 16) FROM log_ops");
	/* genesis: local Monday 08:00, eight weeks before the current week */
	assert_true(first >= before - 63 * DAY_MS && first <= before - 55 * DAY_MS);
	assert_true(last >= before && last <= after);
	/* each author's chain and the whole log: later seq, later clock */
	assert_int_equal(scalar(h, "SELECT count(*) FROM log_ops a JOIN log_ops b ON a.author ="
				   " b.author AND b.seq = a.seq + 1 WHERE b.clock <= a.clock"), 0);
	assert_true(scalar(h, "SELECT count(*) FROM log_epochs") >= 7);
	home_close(h);
	assert_int_equal(demo_create(dir, &err), MV_EEXIST);
	assert_int_equal(mv_clock_offset_ms(), 0);
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_begin_and_end),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_weeks_local),
		cmocka_unit_test(test_go),
		cmocka_unit_test(test_demo_timeline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
