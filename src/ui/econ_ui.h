/* econ_ui.h - what the economy screens (view_staking.c, view_treasury.c,
 * view_reputation.c) share: short amount formats for narrow columns and
 * estimates, a countdown in one unit, resampling a history onto evenly
 * spaced times, a column chart several rows high, and the total of rewards
 * an account has received (for the Wallet and Home). Display only: reads
 * go through query_economy.h; no arithmetic any contract depends on. */
#ifndef MV_UI_ECON_UI_H
#define MV_UI_ECON_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/store.h"
#include "ui/widgets.h"

/* An amount cut (not rounded) to 4 decimals: "10.8389"; signed adds "+". */
void econ_ui_fmt_short(char *out, size_t outlen, int64_t v, bool sign);
/* An estimate rounded half up, two decimals from 1 MVT, six below. */
void econ_ui_fmt_approx(char *out, size_t outlen, int64_t v);
/* "in 29 d", "in 5 h", "in 12 min" (the largest unit, rounded), "now" when
 * until <= now. */
void econ_ui_fmt_left(char *out, size_t outlen, int64_t until, int64_t now);
/* Weight in basis points as "1.25x". */
void econ_ui_fmt_weight(char *out, size_t outlen, int64_t bp);

/* The value in force at w evenly spaced times from `from` to `to`
 * (inclusive): for each time, the value of the last point at or before it
 * (times ascending), or `before` if none. out holds w values. */
void econ_ui_resample(const int64_t *times, const int64_t *values, size_t n, int64_t from,
		      int64_t to, int64_t before, int64_t *out, int w);

/* A column chart of n values (n <= w columns used, left-aligned) h rows high
 * at (y, x): each column's height in eighths of a row scales between lo and
 * hi (the lowest value keeps a sliver; a flat series is drawn half high).
 * The caller labels the axis. */
void econ_ui_chart(WINDOW *win, int y, int x, int h, int w, const int64_t *v, size_t n,
		   int64_t lo, int64_t hi, int attr);
/* The minimum and maximum of v (0 and 0 when n is 0). */
void econ_ui_range(const int64_t *v, size_t n, int64_t *lo, int64_t *hi);

/* Sum of every reward payout account has received (sessions, community
 * distributions, staking claims); *count (may be NULL) gets the number of
 * payouts. 0 when there are none or the store cannot be read. */
int64_t econ_ui_rewards_total(struct store *st, const uint8_t account[32], size_t *count);

#endif
