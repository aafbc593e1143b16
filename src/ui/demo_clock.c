/* demo_clock.c - the demo's timeline (see demo_clock.h): parses the times
 * written in demo steps and moves the process clock offset forward to them.
 * Only the demo calls this; the offset is 0 again when demo_clock_end()
 * returns. Local weekday times go through mktime() with tm_isdst = -1, so a
 * week with a daylight-saving change still lands on the wall-clock hour. */
#include "ui/demo_clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct {
	bool on;
	int64_t start; /* real time when the demo began */
	time_t week0;  /* local Monday 00:00 of the week holding start */
} dc;

int demo_clock_begin(const char *origin, struct mv_err *err)
{
	struct tm tm;
	int64_t origin_ms;
	if (mv_clock_offset_ms() != 0)
		return mv_fail(err, MV_ERR, "demo: the clock is already offset");
	dc.start = mv_now_ms();
	time_t t = (time_t)(dc.start / 1000);
	if (!localtime_r(&t, &tm))
		return mv_fail(err, MV_ERR, "demo: no local time");
	tm.tm_mday -= (tm.tm_wday + 6) % 7;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	dc.week0 = mktime(&tm);
	if (dc.week0 == (time_t)-1)
		return mv_fail(err, MV_ERR, "demo: no local time");
	dc.on = true;
	if (demo_clock_parse(origin, &origin_ms, err) != MV_OK) {
		dc.on = false;
		return MV_EINVAL;
	}
	mv_clock_set_offset_ms(origin_ms - dc.start);
	return MV_OK;
}

void demo_clock_end(void)
{
	mv_clock_set_offset_ms(0);
	dc.on = false;
}

int64_t demo_clock_start(void)
{
	return dc.start;
}

/* "2d3h30m" (after an optional sign) into ms; *end past the last unit. */
static bool dcl_units(const char *s, int64_t *out, const char **end)
{
	int64_t sum = 0;
	bool any = false;
	while (isdigit((unsigned char)*s)) {
		char *e;
		long long n = strtoll(s, &e, 10);
		int64_t unit = *e == 'd' ? INT64_C(86400000) : *e == 'h' ? 3600000 : *e == 'm' ? 60000
			      : *e == 's' ? 1000 : 0;
		if (!unit || n > 1000000)
			return false;
		sum += n * unit;
		s = e + 1;
		any = true;
	}
	*out = sum;
	*end = s;
	return any;
}

int demo_clock_duration(const char *spec, int64_t *out, struct mv_err *err)
{
	const char *end;
	int64_t v;
	if (!spec || (*spec != '+' && *spec != '-') || !dcl_units(spec + 1, &v, &end) || *end)
		return mv_fail(err, MV_EINVAL, "demo: bad duration '%s' (e.g. +50m, -5m, +1d)",
			       spec ? spec : "");
	*out = *spec == '-' ? -v : v;
	return MV_OK;
}

/* "W-8 mon 08:00": local time. */
static int dcl_week(const char *spec, int64_t *out, struct mv_err *err)
{
	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	int weeks, hh, mm, used = 0;
	char day[4];
	if (sscanf(spec, "W-%d %3s %d:%d%n", &weeks, day, &hh, &mm, &used) != 4 || spec[used] ||
	    weeks < 1 || weeks > 52 || hh < 0 || hh > 23 || mm < 0 || mm > 59)
		return mv_fail(err, MV_EINVAL, "demo: bad time '%s' (e.g. W-8 mon 08:00)", spec);
	int d = 0;
	while (d < 7 && strcmp(day, days[d]) != 0)
		d++;
	if (d == 7)
		return mv_fail(err, MV_EINVAL, "demo: bad weekday in '%s'", spec);
	struct tm tm;
	if (!localtime_r(&dc.week0, &tm))
		return mv_fail(err, MV_ERR, "demo: no local time");
	tm.tm_mday += d - 7 * weeks;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return mv_fail(err, MV_ERR, "demo: no local time for '%s'", spec);
	*out = (int64_t)t * 1000;
	return MV_OK;
}

int demo_clock_parse(const char *spec, int64_t *out, struct mv_err *err)
{
	int64_t d = 0;
	if (!dc.on)
		return mv_fail(err, MV_ERR, "demo: the timeline has not begun");
	if (spec && strncmp(spec, "W-", 2) == 0)
		return dcl_week(spec, out, err);
	if (!spec || strncmp(spec, "now", 3) != 0 ||
	    (spec[3] && demo_clock_duration(spec + 3, &d, err) != MV_OK))
		return mv_fail(err, MV_EINVAL, "demo: bad time '%s' (now, now-3d, W-8 mon 08:00)",
			       spec ? spec : "");
	if (d > 0)
		return mv_fail(err, MV_EINVAL, "demo: '%s' lies after the demo began", spec);
	*out = dc.start + d;
	return MV_OK;
}

int demo_clock_go(int64_t t, bool exact, struct mv_err *err)
{
	char want[32], at[32];
	int64_t cur = mv_now_ms();
	if (!dc.on)
		return mv_fail(err, MV_ERR, "demo: the timeline has not begun");
	if (t < cur) {
		if (!exact)
			return MV_OK;
		mv_time_format_utc(want, sizeof want, t);
		mv_time_format_utc(at, sizeof at, cur);
		return mv_fail(err, MV_EINVAL, "demo: a step wants the time %s, but the demo is at %s "
			       "already (the clock only moves forward)", want, at);
	}
	/* at or after the start: the real time, which is never behind it */
	mv_clock_set_offset_ms(t >= dc.start ? 0 : t - (cur - mv_clock_offset_ms()));
	return MV_OK;
}
