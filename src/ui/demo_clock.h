/* demo_clock.h - the demo's timeline (demo_clock.c). The demo builds its
 * history in the past, then catches up to now: it moves the process clock
 * offset (mv_clock_set_offset_ms, util.h) forward step by step, so its ops
 * are signed with the clocks of those days, and puts the offset back to 0
 * at the end. The clock only moves forward, so hybrid logical clocks keep
 * increasing and the log's order is the order of the demo's steps.
 *
 * Times in demo steps are written
 *   "now", "now-3d", "now-2h30m"  relative to when the demo began ("now": the
 *                                 real time, offset 0)
 *   "W-8 mon 08:00"               local time on a weekday of the week 8 weeks
 *                                 before the current one (weeks start on
 *                                 Monday), so the history meets the
 *                                 therapists' weekly hours the same way
 *                                 whatever day the demo is built
 * and durations "-5m", "+50m", "+1d" (units d, h, m, s). */
#ifndef MV_DEMO_CLOCK_H
#define MV_DEMO_CLOCK_H

#include <stdbool.h>

#include "core/util.h"

/* Start the timeline: "now" is the real time now (the offset must be 0),
 * and the clock is put back to origin, a time as below. */
int demo_clock_begin(const char *origin, struct mv_err *err);
/* Back to the real time: offset 0. Safe to call more than once. */
void demo_clock_end(void);
/* When the demo began (ms). */
int64_t demo_clock_start(void);
/* A time as above into ms; times after the demo began are refused. */
int demo_clock_parse(const char *spec, int64_t *out, struct mv_err *err);
/* A signed duration "+50m", "-5m", "+1d2h" into ms. */
int demo_clock_duration(const char *spec, int64_t *out, struct mv_err *err);
/* Move the demo's clock to t. exact: t must not be before the demo's
 * current time (a step out of order is a mistake in the demo); otherwise a
 * t already passed leaves the clock alone. A t at or after the start is the
 * real time (offset 0). */
int demo_clock_go(int64_t t, bool exact, struct mv_err *err);

#endif
