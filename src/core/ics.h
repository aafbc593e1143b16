/* ics.h - an account's sessions as an iCalendar file (RFC 5545), for any
 * calendar application (`mentalverse export-ics FILE`).
 *
 * One VEVENT per reschedule chain: UID is the hex id of the chain's first
 * booking (so a calendar updates the same event when a session moves), and
 * SEQUENCE is the session's change counter, bumped on every status change,
 * reschedule and cancellation; cancelled or declined sessions carry
 * STATUS:CANCELLED, requests not yet accepted STATUS:TENTATIVE. Output is a
 * pure function of state: DTSTAMP is the session's last change, never the
 * wall clock, so two exports of the same state are byte-identical. Lines end
 * in CRLF and are folded at 75 octets without splitting a UTF-8 sequence. */
#ifndef MV_ICS_H
#define MV_ICS_H

#include "store.h"

/* Writes a display name for account into out (e.g. home_account_label);
 * NULL labels accounts by the first 12 hex digits of their id. */
typedef void (*ics_label_fn)(void *ud, const uint8_t account[32], char *out, size_t outlen);

/* Append the calendar of account's sessions to out (initialise out to {0}
 * first; the caller frees it). */
int ics_write(struct store *st, const uint8_t account[32], ics_label_fn label, void *label_ud,
	      struct mv_buf *out, struct mv_err *err);

#endif
