/* demo_care.c - the care steps of the demo that need more than fixed field
 * values (see demo_care.h): a weekly template expanded like the
 * Availability screen does, bookings at a time of the demo's timeline
 * (demo_clock.h), at the next free slot or at the latest free slot before a
 * time, and notes, ratings, disputes and claims encrypted through
 * home_care.h. Everything still ends in ordinary signed ops. */
#include "ui/demo_care.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_care.h"
#include "core/home_companion.h"
#include "core/home_people.h"
#include "core/query_care.h"
#include "ui/care_ui.h"
#include "ui/demo_clock.h"

#define DC_DAY_MS INT64_C(86400000)
#define DC_LOOKAHEAD (28 * DC_DAY_MS)

static const char *dc_value(char *const *fields, int n, const char *name)
{
	size_t len = strlen(name);
	for (int i = 0; i < n; i++)
		if (strncmp(fields[i], name, len) == 0 && fields[i][len] == '=')
			return fields[i] + len + 1;
	return NULL;
}

/* ---- availability ------------------------------------------------------------ */

static int dc_day(const char *s)
{
	static const char *const names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	for (int i = 0; i < 7; i++)
		if (strncmp(s, names[i], 3) == 0)
			return i;
	return -1;
}

/* "mon-fri" or "sat" into first/last weekday. */
static bool dc_days(const char *s, int *a, int *b)
{
	*a = dc_day(s);
	*b = s[3] == '-' ? dc_day(s + 4) : *a;
	return *a >= 0 && *b >= *a;
}

/* "09:00-12:00,13:00-17:00" opened on days [a, b] of w. */
static bool dc_hours(struct care_ui_week *w, int a, int b, const char *s)
{
	while (*s) {
		int h1, m1, h2, m2, used = 0;
		if (sscanf(s, "%d:%d-%d:%d%n", &h1, &m1, &h2, &m2, &used) != 4)
			return false;
		int from = h1 * 2 + m1 / 30, to = h2 * 2 + m2 / 30;
		if (from < 0 || to > CARE_UI_SLOTS_PER_DAY || to <= from)
			return false;
		for (int d = a; d <= b; d++)
			for (int i = from; i < to; i++)
				w->open[d][i] = true;
		s += used;
		if (*s == ',')
			s++;
	}
	return true;
}

int demo_care_availability(struct home *h, const char *as, char *const *fields, int n,
			   struct submit_result *res, struct mv_err *err)
{
	struct care_ui_week w;
	const char *days = dc_value(fields, n, "days"), *hours = dc_value(fields, n, "hours");
	int a, b;
	int64_t *win = NULL;
	size_t nwin = 0;
	char why[160];
	memset(&w, 0, sizeof w);
	if (!days || !hours || !dc_days(days, &a, &b) || !dc_hours(&w, a, b, hours))
		return mv_fail(err, MV_EINVAL, "demo: availability needs days=mon-fri hours=HH:MM-HH:MM,...");
	if (!care_ui_week_expand(&w, mv_now_ms(), CARE_UI_WEEKS, &win, &nwin, why, sizeof why))
		return mv_fail(err, MV_EINVAL, "demo: %s", why);
	int rc = home_care_availability_set(h, as, win, nwin, res, err);
	free(win);
	return rc;
}

/* ---- bookings at the next free slot ------------------------------------------------ */

static int dc_first_cb(void *ud, int64_t start, int64_t end)
{
	*(int64_t *)ud = start;
	return 1;
}

/* The first free slot of service for as at least the offset in `spec`
 * ("free" or "free+3d") from now. */
static int dc_free_slot(struct home *h, const char *as, const uint8_t service[32],
			const char *spec, int64_t *start, struct mv_err *err)
{
	uint8_t me[32];
	int days = 0;
	int64_t now = mv_now_ms();
	if (strncmp(spec, "free", 4) != 0 || (spec[4] && sscanf(spec + 4, "+%dd", &days) != 1))
		return mv_fail(err, MV_EINVAL, "demo: start must be free or free+Nd, not '%s'", spec);
	if (home_people_account(h, as, me, err) != MV_OK)
		return MV_ERR;
	*start = 0;
	int64_t from = now + days * DC_DAY_MS;
	if (query_care_free_slots(h->st, service, from, from + DC_LOOKAHEAD, now, me, 1, dc_first_cb,
				  start, err) != MV_OK)
		return MV_ERR;
	if (!*start)
		return mv_fail(err, MV_ENOTFOUND, "demo: no free slot within 4 weeks");
	return MV_OK;
}

static int dc_last_cb(void *ud, int64_t start, int64_t end)
{
	*(int64_t *)ud = start;
	return 0;
}

/* "last before TIME": the latest free slot of service for as between the
 * demo's current time and TIME (a demo_clock.h time). */
static int dc_last_slot(struct home *h, const char *as, const uint8_t service[32],
			const char *spec, int64_t *start, struct mv_err *err)
{
	uint8_t me[32];
	int64_t now = mv_now_ms(), to;
	if (demo_clock_parse(spec + strlen("last before "), &to, err) != MV_OK ||
	    home_people_account(h, as, me, err) != MV_OK)
		return MV_ERR;
	*start = 0;
	if (query_care_free_slots(h->st, service, now, to, now, me, 0, dc_last_cb, start, err) != MV_OK)
		return MV_ERR;
	if (!*start)
		return mv_fail(err, MV_ENOTFOUND, "demo: no free slot before %s", spec + 12);
	return MV_OK;
}

/* A start: free[+Nd], last before TIME, or a time of the timeline. */
static int dc_start(struct home *h, const char *as, const uint8_t service[32], const char *spec,
		    int64_t *start, struct mv_err *err)
{
	if (strncmp(spec, "free", 4) == 0)
		return dc_free_slot(h, as, service, spec, start, err);
	if (strncmp(spec, "last before ", 12) == 0)
		return dc_last_slot(h, as, service, spec, start, err);
	return demo_clock_parse(spec, start, err);
}

/* Copy fields with start= replaced by the resolved slot, then submit. */
static int dc_submit_at(struct home *h, const char *as, const char *kind, char *const *fields,
			int n, int64_t start, struct submit_result *res, struct mv_err *err)
{
	char bufs[8][256], *out[8];
	int k = 0;
	for (int i = 0; i < n && k < 8; i++) {
		if (strncmp(fields[i], "start=", 6) == 0)
			snprintf(bufs[k], sizeof bufs[k], "start=%" PRId64, start);
		else
			snprintf(bufs[k], sizeof bufs[k], "%s", fields[i]);
		out[k] = bufs[k];
		k++;
	}
	return home_submit_fields(h, as, kind, k, out, res, err);
}

int demo_care_book(struct home *h, const char *as, char *const *fields, int n,
		   struct submit_result *res, struct mv_err *err)
{
	const char *svc = dc_value(fields, n, "service"), *spec = dc_value(fields, n, "start");
	uint8_t service[32];
	int64_t start;
	if (!svc || !spec || mv_unhex(service, 32, svc) != MV_OK)
		return mv_fail(err, MV_EINVAL, "demo: session.book needs service=@label start=...");
	if (dc_start(h, as, service, spec, &start, err) != MV_OK)
		return MV_ERR;
	return dc_submit_at(h, as, "session.book", fields, n, start, res, err);
}

int demo_care_reschedule(struct home *h, const char *as, char *const *fields, int n,
			 struct submit_result *res, struct mv_err *err)
{
	const char *ses = dc_value(fields, n, "session"), *spec = dc_value(fields, n, "start");
	uint8_t id[32];
	struct qc_session r;
	int64_t start;
	if (!ses || !spec || mv_unhex(id, 32, ses) != MV_OK)
		return mv_fail(err, MV_EINVAL, "demo: session.reschedule needs session=@label start=free...");
	if (query_care_session(h->st, id, NULL, mv_now_ms(), &r, err) != MV_OK ||
	    dc_start(h, as, r.s.service, spec, &start, err) != MV_OK)
		return MV_ERR;
	return dc_submit_at(h, as, "session.reschedule", fields, n, start, res, err);
}

/* ---- encrypted notes, ratings, disputes and claims ---------------------------------------- */

int demo_care_note(struct home *h, const char *as, char *const *fields, int n,
		   struct submit_result *res, struct mv_err *err)
{
	const char *ses = dc_value(fields, n, "session"), *text = dc_value(fields, n, "text");
	const char *shared = dc_value(fields, n, "shared");
	uint8_t id[32];
	if (!ses || !text || mv_unhex(id, 32, ses) != MV_OK)
		return mv_fail(err, MV_EINVAL, "demo: note.add needs session=@label text=TEXT");
	return home_care_note_add(h, as, id, text, shared && strcmp(shared, "yes") == 0, res, err);
}

int demo_care_rate(struct home *h, const char *as, char *const *fields, int n,
		   struct submit_result *res, struct mv_err *err)
{
	const char *ses = dc_value(fields, n, "session"), *stars = dc_value(fields, n, "stars");
	uint8_t id[32];
	if (!ses || !stars || mv_unhex(id, 32, ses) != MV_OK || stars[0] < '1' || stars[0] > '5' ||
	    stars[1])
		return mv_fail(err, MV_EINVAL, "demo: session.rate needs session=@label stars=1..5");
	return home_care_rate(h, as, id, stars[0] - '0', dc_value(fields, n, "comment"), res, err);
}

int demo_care_dispute(struct home *h, const char *as, char *const *fields, int n,
		      struct submit_result *res, struct mv_err *err)
{
	const char *ses = dc_value(fields, n, "session"), *why = dc_value(fields, n, "reason");
	uint8_t id[32];
	if (!ses || !why || mv_unhex(id, 32, ses) != MV_OK)
		return mv_fail(err, MV_EINVAL, "demo: session.dispute needs session=@label reason=TEXT");
	return home_care_dispute(h, as, id, why, res, err);
}

int demo_care_claim(struct home *h, const char *as, char *const *fields, int n,
		    struct submit_result *res, struct mv_err *err)
{
	const char *ses = dc_value(fields, n, "session"), *ins = dc_value(fields, n, "insurer");
	const char *policy = dc_value(fields, n, "policy");
	uint8_t id[32], insurer[32];
	if (!ses || !ins || !policy || mv_unhex(id, 32, ses) != MV_OK)
		return mv_fail(err, MV_EINVAL, "demo: claim.submit needs session= insurer= policy=");
	if (home_resolve_account(h, ins, insurer, err) != MV_OK)
		return MV_ERR;
	return home_care_claim_submit(h, as, id, insurer, policy, res, err);
}

/* ---- the companion ---------------------------------------------------------- */

int demo_care_checkin(struct home *h, const char *as, char *const *fields, int n,
		      struct submit_result *res, struct mv_err *err)
{
	const char *at = dc_value(fields, n, "at"), *score = dc_value(fields, n, "score");
	const char *tags = dc_value(fields, n, "tags"), *note = dc_value(fields, n, "note");
	uint8_t owner[32], key[COMPANION_KEY_LEN];
	int64_t t, id;
	memset(res, 0, sizeof *res);
	if (!at || !score)
		return mv_fail(err, MV_EINVAL, "companion.checkin needs at= and score=");
	if (demo_clock_parse(at, &t, err) != MV_OK)
		return MV_EINVAL;
	if (home_companion_key(h, as, owner, key, err) != MV_OK)
		return MV_ERR;
	int rc = companion_add_checkin(h->st, owner, key, t, atoi(score), tags ? tags : "",
				       note ? note : "", &id, err);
	sodium_memzero(key, sizeof key);
	res->outcome = rc == MV_OK ? 1 : 0;
	return rc;
}

struct dc_moods {
	struct companion_checkin v[COMPANION_SHARE_MAX];
	size_t n;
};

static int dc_mood(void *ud, const struct companion_checkin *c)
{
	struct dc_moods *m = ud;
	if (m->n < COMPANION_SHARE_MAX)
		m->v[m->n++] = *c;
	return 0;
}

static int dc_first_therapist(void *ud, const uint8_t therapist[32])
{
	memcpy(ud, therapist, 32);
	return 1;
}

int demo_care_share_mood(struct home *h, const char *as, char *const *fields, int n,
			 struct submit_result *res, struct mv_err *err)
{
	const char *days = dc_value(fields, n, "days");
	uint8_t owner[32], key[COMPANION_KEY_LEN], me[32], therapist[32] = {0}, zero[32] = {0};
	bool turned_on;
	memset(res, 0, sizeof *res);
	struct dc_moods *m = calloc(1, sizeof *m);
	if (!m)
		return mv_fail(err, MV_ERR, "out of memory");
	int64_t since = mv_now_ms() - (days ? atoll(days) : 30) * COMPANION_DAY_MS;
	int rc = home_people_account(h, as, me, err);
	if (rc == MV_OK)
		rc = home_companion_therapists(h, me, dc_first_therapist, therapist, err);
	if (rc == MV_OK && memcmp(therapist, zero, 32) == 0)
		rc = mv_fail(err, MV_ENOTFOUND, "%s has no therapist to share with", as);
	if (rc == MV_OK)
		rc = home_companion_key(h, as, owner, key, err);
	if (rc == MV_OK) {
		rc = companion_checkins(h->st, owner, key, since, dc_mood, m, err);
		sodium_memzero(key, sizeof key);
	}
	if (rc == MV_OK)
		rc = home_companion_share(h, as, therapist, m->v, m->n, &turned_on, res, err);
	sodium_memzero(m, sizeof *m);
	free(m);
	return rc;
}
