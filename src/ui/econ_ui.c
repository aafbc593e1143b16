/* econ_ui.c - display helpers the economy screens share (see econ_ui.h):
 * short and approximate amounts, one-unit countdowns, resampling a history
 * over time and a multi-row column chart of block characters. */
#include "ui/econ_ui.h"

#include <inttypes.h>
#include <stdio.h>

#include "core/query_economy.h"
#include "core/util.h"

#define ECON_UI_MVT INT64_C(100000000)
#define ECON_UI_DAY INT64_C(86400000)
#define ECON_UI_HOUR INT64_C(3600000)

void econ_ui_fmt_short(char *out, size_t outlen, int64_t v, bool sign)
{
	int64_t cut = v - v % 10000;
	if (sign)
		ui_fmt_amount_signed(out, outlen, cut);
	else
		ui_fmt_amount(out, outlen, cut);
}

void econ_ui_fmt_approx(char *out, size_t outlen, int64_t v)
{
	int64_t q = v >= ECON_UI_MVT ? 1000000 : 100;
	if (v > 0 && v <= INT64_MAX - q / 2)
		v = (v + q / 2) / q * q;
	ui_fmt_amount(out, outlen, v);
}

void econ_ui_fmt_left(char *out, size_t outlen, int64_t until, int64_t now)
{
	int64_t ms = until - now;
	if (ms <= 0)
		snprintf(out, outlen, "now");
	else if (ms >= ECON_UI_DAY)
		snprintf(out, outlen, "in %" PRId64 " d", (ms + ECON_UI_DAY / 2) / ECON_UI_DAY);
	else if (ms >= ECON_UI_HOUR)
		snprintf(out, outlen, "in %" PRId64 " h", (ms + ECON_UI_HOUR / 2) / ECON_UI_HOUR);
	else
		snprintf(out, outlen, "in %" PRId64 " min", (ms + 59999) / 60000);
}

void econ_ui_fmt_weight(char *out, size_t outlen, int64_t bp)
{
	snprintf(out, outlen, "%" PRId64 ".%02" PRId64 "x", bp / 10000, bp % 10000 / 100);
}

void econ_ui_resample(const int64_t *times, const int64_t *values, size_t n, int64_t from,
		      int64_t to, int64_t before, int64_t *out, int w)
{
	size_t k = 0;
	int64_t cur = before;
	for (int c = 0; c < w; c++) {
		int64_t off = 0;
		if (w > 1 && !mv_muldiv_i64(to - from, c, w - 1, &off))
			off = to - from;
		int64_t at = from + off;
		while (k < n && times[k] <= at)
			cur = values[k++];
		out[c] = cur;
	}
}

void econ_ui_range(const int64_t *v, size_t n, int64_t *lo, int64_t *hi)
{
	*lo = *hi = n ? v[0] : 0;
	for (size_t i = 1; i < n; i++) {
		if (v[i] < *lo)
			*lo = v[i];
		if (v[i] > *hi)
			*hi = v[i];
	}
}

/* Height of one column in eighths of a row, 1..h*8. */
static int econ_ui_eighths(int64_t v, int64_t lo, int64_t hi, int h)
{
	int64_t span = hi - lo, e;
	if (span <= 0)
		return h * 4;
	if (v <= lo)
		return 1;
	if (!mv_muldiv_i64(v - lo, (int64_t)h * 8 - 1, span, &e))
		return h * 8;
	return (int)e + 1;
}

void econ_ui_chart(WINDOW *win, int y, int x, int h, int w, const int64_t *v, size_t n,
		   int64_t lo, int64_t hi, int attr)
{
	static const char *const blocks[9] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	if (h < 1 || w < 1)
		return;
	for (size_t c = 0; c < n && (int)c < w; c++) {
		int e = econ_ui_eighths(v[c], lo, hi, h);
		for (int r = 0; r < h; r++) {
			int cell = e - r * 8;
			cell = cell < 0 ? 0 : cell > 8 ? 8 : cell;
			ui_put(win, y + h - 1 - r, x + (int)c, 1, attr, blocks[cell]);
		}
	}
}

struct econ_ui_sum {
	int64_t total;
	size_t n;
};

static int econ_ui_sum_cb(void *ud, const struct q_payout *r)
{
	struct econ_ui_sum *S = ud;
	if (!mv_add_i64(S->total, r->amount, &S->total))
		S->total = INT64_MAX;
	S->n++;
	return 0;
}

int64_t econ_ui_rewards_total(struct store *st, const uint8_t account[32], size_t *count)
{
	struct econ_ui_sum S = {0, 0};
	if (st)
		query_rewards_received(st, account, 0, econ_ui_sum_cb, &S, NULL);
	if (count)
		*count = S.n;
	return S.total;
}
