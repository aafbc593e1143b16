/* companion_ui.h - what the Companion screen (view_companion.c) and the
 * therapist's Clients screen (view_clients.c) share: the mood chart drawn
 * from check-ins (daily means from core/companion.h, columns of block
 * characters by econ_ui_chart), and the statement that the companion
 * is not a clinician. Display only. */
#ifndef MV_UI_COMPANION_UI_H
#define MV_UI_COMPANION_UI_H

#include "core/companion.h"
#include "ui/widgets.h"

#define COMPANION_UI_NOT_CLINICIAN_1 "On this device only: no network, no model. Not a clinician."
#define COMPANION_UI_NOT_CLINICIAN_2 "It cannot help in an emergency: press ! for crisis lines."

/* Draw the mood chart of the `days` UTC days ending with the day holding
 * now at (y, x) in h + 1 rows by w columns: score labels (10 at the top, 1
 * at the bottom), one column (two when there is room) per day or bucket of
 * days, a dim dot on days without a check-in, and a row of dates under it.
 * Returns the rows used (h + 1), 0 if w is too narrow. */
int companion_ui_chart(WINDOW *win, int y, int x, int h, int w, const struct companion_checkin *v,
		       size_t n, int64_t now, int days, int attr);

/* "12 check-ins · mean 6.4 · 3-9" or "no check-ins". */
void companion_ui_summary(char *out, size_t outlen, const struct companion_checkin *v, size_t n);

#endif
