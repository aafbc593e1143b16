/* care_ui.c - local time, the weekly availability template and small texts
 * shared by the care screens and commands (see care_ui.h). The only place
 * in the care UI that converts between UTC and the viewer's wall clock. */
#include "ui/care_ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CARE_UI_DAY_MS INT64_C(86400000)
#define CARE_UI_HALF_MS INT64_C(1800000)

static int64_t care_ui_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* ---- local time ---------------------------------------------------------- */

static bool care_ui_tm(int64_t utc, struct tm *tm)
{
	time_t t = (time_t)care_ui_floor_div(utc, 1000);
	return localtime_r(&t, tm) != NULL;
}

int64_t care_ui_to_local(int64_t utc)
{
	struct tm tm;
	if (!care_ui_tm(utc, &tm))
		return utc;
	return utc + (int64_t)tm.tm_gmtoff * 1000;
}

int64_t care_ui_from_local(int64_t wall)
{
	int64_t secs = care_ui_floor_div(wall, 1000);
	time_t t = (time_t)secs;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return wall;
	tm.tm_isdst = -1;
	time_t u = mktime(&tm);
	if (u == (time_t)-1)
		return wall;
	return (int64_t)u * 1000 + (wall - secs * 1000);
}

int64_t care_ui_day_start(int64_t utc)
{
	int64_t wall = care_ui_to_local(utc);
	return care_ui_from_local(care_ui_floor_div(wall, CARE_UI_DAY_MS) * CARE_UI_DAY_MS);
}

void care_ui_zone(char *out, size_t outlen, int64_t utc)
{
	struct tm tm;
	if (!care_ui_tm(utc, &tm) || strftime(out, outlen, "%Z", &tm) == 0)
		snprintf(out, outlen, "local");
}

/* Format utc with strftime in the local zone. */
static void care_ui_strftime(char *out, size_t outlen, const char *fmt, int64_t utc)
{
	struct tm tm;
	if (!care_ui_tm(utc, &tm) || strftime(out, outlen, fmt, &tm) == 0)
		snprintf(out, outlen, "?");
}

void care_ui_fmt(char *out, size_t outlen, int64_t utc)
{
	care_ui_strftime(out, outlen, "%Y-%m-%d %H:%M", utc);
}

void care_ui_fmt_short(char *out, size_t outlen, int64_t utc)
{
	care_ui_strftime(out, outlen, "%a %d %b %H:%M", utc);
}

void care_ui_fmt_day(char *out, size_t outlen, int64_t utc)
{
	care_ui_strftime(out, outlen, "%a %Y-%m-%d", utc);
}

void care_ui_fmt_hm(char *out, size_t outlen, int64_t utc)
{
	care_ui_strftime(out, outlen, "%H:%M", utc);
}

void care_ui_fmt_countdown(char *out, size_t outlen, int64_t utc, int64_t now)
{
	int64_t d = utc - now;
	bool past = d < 0;
	int64_t a = (past ? -d : d) / 60000; /* minutes */
	char span[48];
	if (a < 1) {
		snprintf(out, outlen, "now");
		return;
	}
	if (a < 60)
		snprintf(span, sizeof span, "%lld min", (long long)a);
	else if (a < 24 * 60)
		snprintf(span, sizeof span, "%lld h %lld min", (long long)(a / 60), (long long)(a % 60));
	else
		snprintf(span, sizeof span, "%lld d %lld h", (long long)(a / 1440),
			 (long long)(a % 1440 / 60));
	snprintf(out, outlen, past ? "%s ago" : "in %s", span);
}

/* "YYYY-MM-DD[( |T)HH:MM]" as wall-clock ms; false if it is not that. */
static bool care_ui_parse_wall(const char *s, int64_t *wall)
{
	int y, mo, d, h = 0, mi = 0, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return false;
	const char *p = s + n;
	if (*p == ' ' || *p == 'T') {
		int m = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &m) != 2)
			return false;
		p += 1 + m;
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59)
		return false;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	*wall = (int64_t)timegm(&tm) * 1000;
	return true;
}

bool care_ui_parse(const char *s, int64_t *utc, char *why, size_t whylen)
{
	size_t n = s ? strlen(s) : 0;
	if (n && (s[n - 1] == 'Z' || strspn(s, "0123456789") == n)) {
		struct mv_err err;
		mv_err_clear(&err);
		if (mv_time_parse(s, utc, &err) == MV_OK)
			return true;
		snprintf(why, whylen, "%s", err.msg);
		return false;
	}
	int64_t wall;
	if (!n || !care_ui_parse_wall(s, &wall)) {
		snprintf(why, whylen, "'%s' is not a time: write YYYY-MM-DD HH:MM (local time) or "
			 "add Z for UTC", s ? s : "");
		return false;
	}
	*utc = care_ui_from_local(wall);
	return true;
}

/* ---- weekly template --------------------------------------------------------- */

struct care_ui_out {
	int64_t *v;
	size_t n, cap;
};

static bool care_ui_push(struct care_ui_out *o, int64_t a, int64_t b)
{
	if (o->n && o->v[2 * o->n - 1] >= a) { /* touching (or a DST overlap): merge */
		if (b > o->v[2 * o->n - 1])
			o->v[2 * o->n - 1] = b;
		return true;
	}
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		int64_t *v = realloc(o->v, cap * 2 * sizeof *v);
		if (!v)
			return false;
		o->v = v;
		o->cap = cap;
	}
	o->v[2 * o->n] = a;
	o->v[2 * o->n + 1] = b;
	o->n++;
	return true;
}

/* Weekday (0 = Monday) of a wall-clock midnight. */
static int care_ui_wday(int64_t wall_midnight)
{
	int64_t days = care_ui_floor_div(wall_midnight, CARE_UI_DAY_MS);
	return (int)(((days + 3) % 7 + 7) % 7);
}

/* Append the open runs of one local day. */
static bool care_ui_day_runs(const struct care_ui_week *w, int64_t day_wall, int64_t from,
			     struct care_ui_out *o)
{
	const bool *open = w->open[care_ui_wday(day_wall)];
	for (int i = 0; i < CARE_UI_SLOTS_PER_DAY;) {
		if (!open[i]) {
			i++;
			continue;
		}
		int j = i;
		while (j < CARE_UI_SLOTS_PER_DAY && open[j])
			j++;
		int64_t a = care_ui_from_local(day_wall + i * CARE_UI_HALF_MS);
		int64_t b = care_ui_from_local(day_wall + j * CARE_UI_HALF_MS);
		if (b > from && b > a && !care_ui_push(o, a, b))
			return false;
		i = j;
	}
	return true;
}

bool care_ui_week_expand(const struct care_ui_week *w, int64_t from, int weeks, int64_t **out,
			 size_t *n, char *why, size_t whylen)
{
	struct care_ui_out o = {NULL, 0, 0};
	int64_t first = care_ui_floor_div(care_ui_to_local(from), CARE_UI_DAY_MS) * CARE_UI_DAY_MS;
	for (int k = 0; k < weeks * 7; k++) {
		if (!care_ui_day_runs(w, first + k * CARE_UI_DAY_MS, from, &o)) {
			free(o.v);
			snprintf(why, whylen, "out of memory");
			return false;
		}
	}
	if (o.n > CARE_UI_MAX_WINDOWS) {
		snprintf(why, whylen, "%zu separate windows in %d weeks: at most %d (join some "
			 "hours)", o.n, weeks, CARE_UI_MAX_WINDOWS);
		free(o.v);
		return false;
	}
	*out = o.v;
	*n = o.n;
	return true;
}

static bool care_ui_inside(const int64_t *avail, size_t n, int64_t a, int64_t b)
{
	for (size_t i = 0; i < n; i++)
		if (avail[2 * i] <= a && b <= avail[2 * i + 1])
			return true;
	return false;
}

void care_ui_week_from(struct care_ui_week *w, const int64_t *avail, size_t n, int64_t from)
{
	memset(w, 0, sizeof *w);
	int64_t base = care_ui_floor_div(care_ui_to_local(from), CARE_UI_DAY_MS) * CARE_UI_DAY_MS +
		       CARE_UI_DAY_MS;
	for (int k = 0; k < 7; k++) {
		int64_t day = base + k * CARE_UI_DAY_MS;
		bool *open = w->open[care_ui_wday(day)];
		for (int i = 0; i < CARE_UI_SLOTS_PER_DAY; i++) {
			int64_t a = care_ui_from_local(day + i * CARE_UI_HALF_MS);
			open[i] = care_ui_inside(avail, n, a, a + CARE_UI_HALF_MS);
		}
	}
}

size_t care_ui_week_count(const struct care_ui_week *w)
{
	size_t c = 0;
	for (int d = 0; d < 7; d++)
		for (int i = 0; i < CARE_UI_SLOTS_PER_DAY; i++)
			c += w->open[d][i];
	return c;
}

/* ---- sessions ------------------------------------------------------------------ */

void care_ui_state(char *out, size_t outlen, const struct qc_session *r)
{
	const char *label = r->label ? r->label : care_state_name(r->s.state);
	const char *extra = "";
	if (r->s.state == CS_CANCELLED && r->s.cancelled_by[0])
		extra = strcmp(r->s.cancelled_by, "expired") == 0 ? " (expired)"
		      : strcmp(r->s.cancelled_by, "patient") == 0 ? " by patient" : " by therapist";
	snprintf(out, outlen, "%s%s%s", label, extra, r->tentative ? " · tentative" : "");
}

void care_ui_refund_words(char *out, size_t outlen, int64_t refund_bp)
{
	if (refund_bp >= 10000)
		snprintf(out, outlen, "full refund");
	else if (refund_bp <= 0)
		snprintf(out, outlen, "no refund");
	else if (refund_bp % 100 == 0)
		snprintf(out, outlen, "%lld%% refund", (long long)(refund_bp / 100));
	else
		snprintf(out, outlen, "%lld.%02lld%% refund", (long long)(refund_bp / 100),
			 (long long)(refund_bp % 100));
}

/* ---- pick ------------------------------------------------------------------------ */

struct care_ui_pick *care_ui_pick(void)
{
	static struct care_ui_pick pick;
	return &pick;
}
