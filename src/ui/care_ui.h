/* care_ui.h - what the care screens (view_find.c ... view_claims.c) and the
 * care commands (cli_care.c) share: the viewer's local time zone at the
 * display edge, the weekly availability template and its expansion into
 * concrete UTC windows, short texts for session states, and the therapist,
 * service and session a screen hands to the next one it opens.
 *
 * Contracts store ms UTC; only this module turns them into wall-clock time,
 * through the C library's TZ handling (localtime_r / mktime), so TZ=...
 * is honoured everywhere and daylight-saving changes are right. */
#ifndef MV_UI_CARE_UI_H
#define MV_UI_CARE_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/query_care.h"

/* ---- local time ---------------------------------------------------------- */

/* Wall-clock time of utc in the local zone, as ms "since the epoch" of that
 * wall clock (so civil fields come out with ui_civil_from_ms). */
int64_t care_ui_to_local(int64_t utc);
/* The UTC instant of a local wall-clock time (inverse of care_ui_to_local;
 * a time skipped by a DST change moves forward, a repeated one takes the
 * first). */
int64_t care_ui_from_local(int64_t wall);
/* Local midnight of the day holding utc, as UTC ms. */
int64_t care_ui_day_start(int64_t utc);
/* Zone abbreviation in force at utc ("UTC", "CET", "EDT"). */
void care_ui_zone(char *out, size_t outlen, int64_t utc);
/* "2026-11-26 14:30" local. */
void care_ui_fmt(char *out, size_t outlen, int64_t utc);
/* "Thu 26 Nov 14:30" local (short, for lists). */
void care_ui_fmt_short(char *out, size_t outlen, int64_t utc);
/* "Thu 2026-11-26" local. */
void care_ui_fmt_day(char *out, size_t outlen, int64_t utc);
/* "14:30" local. */
void care_ui_fmt_hm(char *out, size_t outlen, int64_t utc);
/* "in 2 d 3 h", "in 45 min", "now", "3 h ago". */
void care_ui_fmt_countdown(char *out, size_t outlen, int64_t utc, int64_t now);
/* Parse a time a person typed: "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or
 * "YYYY-MM-DDTHH:MM" in the local zone; with a trailing Z it is UTC (any
 * mv_time_parse form); all digits are ms UTC. false with why filled. */
bool care_ui_parse(const char *s, int64_t *utc, char *why, size_t whylen);

/* ---- weekly availability template --------------------------------------- */

#define CARE_UI_SLOTS_PER_DAY 48 /* half hours */
#define CARE_UI_WEEKS 12         /* how far ahead publishing reaches */
#define CARE_UI_MAX_WINDOWS 512  /* availability.set's limit */

/* Which half hours of each weekday (0 = Monday) are open, in local time. */
struct care_ui_week {
	bool open[7][CARE_UI_SLOTS_PER_DAY];
};

/* Expand the template into [start, end) UTC pairs for every local day from
 * the day holding `from` for `weeks` weeks; touching half hours merge into
 * one window, windows ending at or before `from` are left out. *out is
 * malloc'd (2 * *n values); false with why filled on too many windows or
 * no memory. */
bool care_ui_week_expand(const struct care_ui_week *w, int64_t from, int weeks, int64_t **out,
			 size_t *n, char *why, size_t whylen);
/* Rebuild a template from published windows: a half hour is open when it
 * lies inside a window on the next occurrence of its weekday after the
 * local day holding `from` (the coming 7 days). avail holds 2n values. */
void care_ui_week_from(struct care_ui_week *w, const int64_t *avail, size_t n, int64_t from);
/* Number of open half hours. */
size_t care_ui_week_count(const struct care_ui_week *w);

/* ---- sessions -------------------------------------------------------------- */

/* "confirmed", "requested · tentative", "settling", ... for a session row. */
void care_ui_state(char *out, size_t outlen, const struct qc_session *r);
/* A refund in basis points as words: "full refund", "50% refund", "no refund". */
void care_ui_refund_words(char *out, size_t outlen, int64_t refund_bp);

/* ---- what one screen hands to the next -------------------------------------- */

struct care_ui_pick {
	uint8_t therapist[32];
	uint8_t service[32];
	uint8_t session[32];     /* the session a screen opens on (notes, My sessions) */
	uint8_t move[32];        /* Book moves this session (session.reschedule) */
	bool has_therapist, has_service, has_session, moving;
};
/* The one pick of the running app (views are single instances). */
struct care_ui_pick *care_ui_pick(void);

#endif
