/* ics.c - iCalendar (RFC 5545) export of an account's sessions; see ics.h
 * for what it guarantees. Text values are escaped (backslash, semicolon,
 * comma, newline) and content lines folded at 75 octets (§3.1). */
#include "ics.h"
#include "care.h"

#include <stdio.h>
#include <string.h>

struct ics_out {
	struct mv_buf *b;
	int rc;
};

static void ics_raw(struct ics_out *o, const char *p, size_t n)
{
	if (o->rc == MV_OK && mv_buf_append(o->b, p, n) != MV_OK)
		o->rc = MV_ERR;
}

/* One content line: folded at 75 octets (continuations start with a space,
 * which counts toward their 75), never inside a UTF-8 sequence. */
static void ics_line(struct ics_out *o, const char *line)
{
	size_t n = strlen(line), col = 0;
	for (size_t i = 0; i < n;) {
		size_t len = 1;
		unsigned char c = (unsigned char)line[i];
		if (c >= 0xf0)
			len = 4;
		else if (c >= 0xe0)
			len = 3;
		else if (c >= 0xc0)
			len = 2;
		if (i + len > n)
			len = n - i;
		if (col + len > 75) {
			ics_raw(o, "\r\n ", 3);
			col = 1;
		}
		ics_raw(o, line + i, len);
		col += len;
		i += len;
	}
	ics_raw(o, "\r\n", 2);
}

/* NAME:escaped text */
static void ics_text(struct ics_out *o, const char *name, const char *text)
{
	char line[1024];
	size_t k = (size_t)snprintf(line, sizeof line, "%s:", name);
	for (const char *p = text; *p && k + 3 < sizeof line; p++) {
		if (*p == '\\' || *p == ';' || *p == ',') {
			line[k++] = '\\';
			line[k++] = *p;
		} else if (*p == '\n') {
			line[k++] = '\\';
			line[k++] = 'n';
		} else if (*p != '\r') {
			line[k++] = *p;
		}
	}
	line[k] = '\0';
	ics_line(o, line);
}

/* NAME:YYYYMMDDTHHMMSSZ */
static void ics_time(struct ics_out *o, const char *name, int64_t ms)
{
	char iso[32], compact[20], line[64];
	size_t k = 0;
	mv_time_format_utc(iso, sizeof iso, ms);
	for (const char *p = iso; *p && k + 1 < sizeof compact; p++)
		if (*p != '-' && *p != ':')
			compact[k++] = *p;
	compact[k] = '\0';
	snprintf(line, sizeof line, "%s:%s", name, compact);
	ics_line(o, line);
}

static void ics_label(ics_label_fn label, void *ud, const uint8_t id[32], char *out, size_t n)
{
	if (label) {
		label(ud, id, out, n);
		return;
	}
	char hex[65];
	mv_hex(hex, id, 32);
	snprintf(out, n, "%.12s", hex);
}

static const char *ics_status(enum care_state s)
{
	switch (s) {
	case CS_REQUESTED: return "TENTATIVE";
	case CS_CANCELLED: case CS_DECLINED: return "CANCELLED";
	default: return "CONFIRMED";
	}
}

static void ics_event(struct ics_out *o, const struct care_session *s, const uint8_t account[32],
		      ics_label_fn label, void *ud, struct store *st)
{
	struct care_service sv;
	char hex[65], buf[512], who[96], line[128];
	bool therapist = memcmp(account, s->therapist, 32) == 0;
	if (care_service_get(st, s->service, &sv, NULL) != MV_OK)
		snprintf(sv.title, sizeof sv.title, "Session");
	ics_label(label, ud, therapist ? s->patient : s->therapist, who, sizeof who);
	ics_line(o, "BEGIN:VEVENT");
	mv_hex(hex, s->root, 32);
	snprintf(line, sizeof line, "UID:%s@mentalverse", hex);
	ics_line(o, line);
	ics_time(o, "DTSTAMP", s->updated);
	ics_time(o, "CREATED", s->created);
	ics_time(o, "LAST-MODIFIED", s->updated);
	ics_time(o, "DTSTART", s->start);
	ics_time(o, "DTEND", s->end);
	snprintf(line, sizeof line, "SEQUENCE:%lld", (long long)s->seq);
	ics_line(o, line);
	snprintf(line, sizeof line, "STATUS:%s", ics_status(s->state));
	ics_line(o, line);
	snprintf(buf, sizeof buf, "%s with %s", sv.title, who);
	ics_text(o, "SUMMARY", buf);
	mv_hex(hex, s->id, 32);
	snprintf(buf, sizeof buf, "MentalVerse session %s\nState: %s\nFormat: %s", hex,
		 care_state_name(s->state), sv.format[0] ? sv.format : "?");
	ics_text(o, "DESCRIPTION", buf);
	ics_line(o, "TRANSP:OPAQUE");
	ics_line(o, "END:VEVENT");
}

int ics_write(struct store *st, const uint8_t account[32], ics_label_fn label, void *label_ud,
	      struct mv_buf *out, struct mv_err *err)
{
	struct ics_out o = {out, MV_OK};
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT id FROM sessions WHERE (therapist = ?1 OR"
			       " patient = ?1) AND replaced_by IS NULL ORDER BY start, id", -1, &s,
			       NULL) != SQLITE_OK) {
		sqlite3_finalize(s);
		return store_sqlerr(st, err, "ics");
	}
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	ics_line(&o, "BEGIN:VCALENDAR");
	ics_line(&o, "VERSION:2.0");
	ics_line(&o, "PRODID:-//MentalVerse//MentalVerse sessions//EN");
	ics_line(&o, "CALSCALE:GREGORIAN");
	ics_line(&o, "METHOD:PUBLISH");
	int rc = SQLITE_DONE;
	while (o.rc == MV_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct care_session cs;
		uint8_t id[32];
		memcpy(id, sqlite3_column_blob(s, 0), 32);
		if (care_session_get(st, id, &cs, err) != MV_OK) {
			sqlite3_finalize(s);
			return MV_ERR;
		}
		ics_event(&o, &cs, account, label, label_ud, st);
	}
	bool sqlfail = o.rc == MV_OK && rc != SQLITE_DONE;
	if (sqlfail)
		store_sqlerr(st, err, "ics");
	sqlite3_finalize(s);
	if (sqlfail)
		return MV_ERR;
	ics_line(&o, "END:VCALENDAR");
	return o.rc == MV_OK ? MV_OK : mv_fail(err, MV_ERR, "out of memory");
}
