/* cli_care.h - the care commands of the CLI (cli_care.c): `book`, `note
 * add`, `export-ics`, `rate`, `dispute`, `insurance-claim` (the three that carry encrypted
 * text), and the `show` views of the care contracts (find,
 * services, slots, sessions, session, claims, notes). cli.c lists them with
 * one macro row in its command table (CLI_CARE_COMMANDS), one in its view
 * table (CLI_CARE_VIEWS) and one in the options of `show`
 * (CLI_CARE_SHOW_OPTS), so the help text lives here with the code.
 *
 * Times are shown and read in the viewer's local zone (TZ); a time typed
 * with a trailing Z is UTC. Sessions and services may be named by the
 * first 6+ hex digits of their id. */
#ifndef MV_CLI_CARE_H
#define MV_CLI_CARE_H

#include "ui/cli_priv.h"

int cli_care_book(struct cli *c, int argc, char **argv);
int cli_care_note(struct cli *c, int argc, char **argv);
int cli_care_export_ics(struct cli *c, int argc, char **argv);
int cli_care_rate(struct cli *c, int argc, char **argv);
int cli_care_dispute(struct cli *c, int argc, char **argv);
int cli_care_claim(struct cli *c, int argc, char **argv);

/* `show` views; argv holds the view's arguments (after the view name). */
int cli_care_show_find(struct cli *c, int argc, char **argv);
int cli_care_show_services(struct cli *c, int argc, char **argv);
int cli_care_show_slots(struct cli *c, int argc, char **argv);
int cli_care_show_sessions(struct cli *c, int argc, char **argv);
int cli_care_show_session(struct cli *c, int argc, char **argv);
int cli_care_show_claims(struct cli *c, int argc, char **argv);
int cli_care_show_notes(struct cli *c, int argc, char **argv);

extern const struct cli_opt cli_care_book_opts[];
extern const struct cli_opt cli_care_note_opts[];
extern const struct cli_opt cli_care_rate_opts[];
extern const struct cli_opt cli_care_dispute_opts[];
extern const struct cli_opt cli_care_claim_opts[];

#define CLI_CARE_COMMANDS \
	{"book", "book a session of a service at a free slot", "SERVICE START [--payment P]", \
	 "SERVICE is a service id (or its first 6+ hex digits; see `show services\n" \
	 "THERAPIST`), START a free slot in local time, e.g. \"2026-11-30 10:00\" (add Z for\n" \
	 "UTC; see `show slots SERVICE`). --payment is token (default: price + fee wait in\n" \
	 "escrow), external or insurance. Prints the session id and its state; exit 3 when\n" \
	 "the contract refuses (e.g. \"slot taken\"). Everything else a session goes through\n" \
	 "is `mentalverse op session.KIND session=ID` (accept, cancel, checkin, complete,\n" \
	 "rate, ...).", cli_care_book_opts, 2, 2, cli_care_book, NULL}, \
	{"note", "add an encrypted note to a session (therapists)", \
	 "add SESSION --text TEXT [--shared]", \
	 "Encrypts TEXT before anything is signed: a private note is sealed to you alone, a\n" \
	 "--shared summary to you and the patient. The op carries only the blob's hash and\n" \
	 "the sealed keys; read notes with `show notes SESSION`.", \
	 cli_care_note_opts, 2, 2, cli_care_note, NULL}, \
	{"export-ics", "write your sessions as an iCalendar file", "FILE", \
	 "One event per session (a rescheduled session keeps its UID, so calendars update\n" \
	 "it), cancelled ones marked cancelled. The file is written atomically; importing it\n" \
	 "again into a calendar updates rather than duplicates.", NULL, 1, 1, \
	 cli_care_export_ics, NULL}, \
	{"rate", "rate a completed session, 1 to 5 stars (patients)", \
	 "SESSION STARS [--comment TEXT]", \
	 "Once per completed session. The comment is encrypted to you and the therapist;\n" \
	 "only its hash and sealed keys go into the op.", cli_care_rate_opts, 2, 2, \
	 cli_care_rate, NULL}, \
	{"dispute", "dispute a session: the escrow waits for the council", \
	 "SESSION --reason TEXT", \
	 "The patient, inside the dispute window after the session. The reason is encrypted\n" \
	 "to both parties; council members resolve with `op session.resolve`.", \
	 cli_care_dispute_opts, 1, 1, cli_care_dispute, NULL}, \
	{"insurance-claim", "claim a session booked with insurance from an insurer", \
	 "SESSION --insurer ACCOUNT --policy TEXT", \
	 "The policy details are encrypted to the insurer alone. The insurer decides with\n" \
	 "`op claim.decide claim=ID approved_amount=A` (or denial_reason=...) and pays with\n" \
	 "`op claim.pay claim=ID method=token`; see `show claims`.", cli_care_claim_opts, 1, 1, \
	 cli_care_claim, NULL},

#define CLI_CARE_VIEWS \
	{"find", "[FILTERS]", "find a therapist by specialty, language, format, price, insurance " \
	 "(options above)", 0, cli_care_show_find}, \
	{"services", "THERAPIST", "a therapist's services, rating and verification", 1, \
	 cli_care_show_services}, \
	{"slots", "SERVICE [--from D]", "free slots of a service in local time (--days N, default 7)", 1, \
	 cli_care_show_slots}, \
	{"sessions", "[--past]", "your upcoming (or past) sessions", 0, cli_care_show_sessions}, \
	{"session", "ID", "one session: times, state, money, refund if cancelled now", 1, \
	 cli_care_show_session}, \
	{"claims", "", "insurance claims you submitted, are party to, or decide", 0, \
	 cli_care_show_claims}, \
	{"notes", "SESSION", "a session's notes, decrypted where you hold a key", 1, \
	 cli_care_show_notes},

#define CLI_CARE_SHOW_OPTS \
	{"--specialty", "S", "find: a specialty tag, e.g. anxiety"}, \
	{"--language", "L", "find: a language tag, e.g. en"}, \
	{"--format", "F", "find: video, in_person or text"}, \
	{"--max-price", "P", "find: at most P MVT per session"}, \
	{"--insurance", NULL, "find: only services that accept insurance"}, \
	{"--verified", NULL, "find: only therapists verified now"}, \
	{"--sort", "KEY", "find: price (lowest first, default) or rating"}, \
	{"--from", "DATE", "slots: from this local date/time (default: now)"}, \
	{"--days", "N", "slots: this many days (default 7, at most 84)"}, \
	{"--past", NULL, "sessions: past ones instead of upcoming"},

#endif
