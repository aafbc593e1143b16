/* companion_ui.c - the mood chart and summary line (see companion_ui.h). */
#include "ui/companion_ui.h"

#include <stdio.h>
#include <stdlib.h>

#include "ui/econ_ui.h"
#include "ui/theme.h"

#define CUI_MAX_COLS 400

static void cui_day(char *out, size_t outlen, int64_t ms)
{
	struct ui_civil c;
	ui_civil_from_ms(ms, &c);
	snprintf(out, outlen, "%04d-%02d-%02d", c.year, c.month, c.day);
}

int companion_ui_chart(WINDOW *win, int y, int x, int h, int w, const struct companion_checkin *v,
		       size_t n, int64_t now, int days, int attr)
{
	int cols[CUI_MAX_COLS];
	char from[16], to[16];
	int avail = w - 4;
	if (h < 1 || avail < 8 || days < 1)
		return 0;
	if (avail > CUI_MAX_COLS)
		avail = CUI_MAX_COLS;
	int *daily = calloc((size_t)days, sizeof *daily);
	if (!daily)
		return 0;
	companion_daily(v, n, now, days, daily);
	int nc = companion_columns(daily, days, avail, cols);
	free(daily);
	int colw = nc * 2 <= avail ? 2 : 1, x0 = x + 3;
	ui_put(win, y, x, 3, theme_attr(TH_DIM), "10");
	ui_put(win, y + h - 1, x, 3, theme_attr(TH_DIM), " 1");
	for (int c = 0; c < nc; c++) {
		if (!cols[c]) {
			ui_put(win, y + h - 1, x0 + c * colw, 1, theme_attr(TH_DIM), "·");
			continue;
		}
		int64_t vv[2] = {cols[c], cols[c]};
		econ_ui_chart(win, y, x0 + c * colw, h, colw, vv, (size_t)colw, 0, 100, attr);
	}
	int64_t first = (now / COMPANION_DAY_MS - days + 1) * COMPANION_DAY_MS;
	cui_day(from, sizeof from, first);
	cui_day(to, sizeof to, now);
	int span = nc * colw;
	ui_put(win, y + h, x0, span, theme_attr(TH_DIM), from);
	if (span > 24)
		ui_put(win, y + h, x0 + span - 10, 10, theme_attr(TH_DIM), to);
	return h + 1;
}

void companion_ui_summary(char *out, size_t outlen, const struct companion_checkin *v, size_t n)
{
	struct companion_stats s;
	companion_stats(v, n, &s);
	if (!s.count)
		snprintf(out, outlen, "no check-ins");
	else
		snprintf(out, outlen, "%zu check-in%s · mean %d.%d · %d-%d", s.count, s.count == 1 ? "" : "s",
			 s.mean / 10, s.mean % 10, s.low, s.high);
}
