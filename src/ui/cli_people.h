/* cli_people.h - the people commands of the CLI (cli_people.c): register,
 * share, revoke, `verify submit|ce`, and the `show` views of the people
 * contracts (profile, therapists, verification, review-queue, guardians,
 * recoveries, audit, anomalies). cli.c lists them with one macro row in its
 * command table (CLI_PEOPLE_COMMANDS), one in its view table
 * (CLI_PEOPLE_VIEWS) and one in the options of `show`
 * (CLI_PEOPLE_SHOW_OPTS), so the help text lives here with the code. */
#ifndef MV_CLI_PEOPLE_H
#define MV_CLI_PEOPLE_H

#include "ui/cli_priv.h"

int cli_people_register(struct cli *c, int argc, char **argv);
int cli_people_share(struct cli *c, int argc, char **argv);
int cli_people_revoke(struct cli *c, int argc, char **argv);
/* `verify submit ...` and `verify ce ...` (plain `verify` replays the log). */
int cli_people_verify(struct cli *c, int argc, char **argv);

/* `show` views; argv holds the view's arguments (after the view name). */
int cli_people_show_profile(struct cli *c, int argc, char **argv);
int cli_people_show_therapists(struct cli *c, int argc, char **argv);
int cli_people_show_verification(struct cli *c, int argc, char **argv);
int cli_people_show_review_queue(struct cli *c, int argc, char **argv);
int cli_people_show_guardians(struct cli *c, int argc, char **argv);
int cli_people_show_recoveries(struct cli *c, int argc, char **argv);
int cli_people_show_audit(struct cli *c, int argc, char **argv);
int cli_people_show_anomalies(struct cli *c, int argc, char **argv);

extern const struct cli_opt cli_people_register_opts[];
extern const struct cli_opt cli_people_share_opts[];
extern const struct cli_opt cli_people_verify_opts[];

#define CLI_PEOPLE_VERIFY_USAGE "[submit --license N --board B --jurisdiction J --expires DATE " \
	"[--specialties a,b] --proof-file F | ce --hours H --course TEXT]"
#define CLI_PEOPLE_VERIFY_HELP \
	"\n\n`verify submit` (as a registered therapist) applies for verification: the license\n" \
	"number, board, jurisdiction, expiry and specialties are public; the proof file (a\n" \
	"scan of the license) is encrypted to the council members only. Two council members\n" \
	"approve with `op verify.decide applicant=NAME decision=approve` (see `show\n" \
	"review-queue`). `verify ce` logs hours of continuing education."

#define CLI_PEOPLE_COMMANDS \
	{"register", "join the network as a patient or a therapist", \
	 "--role patient|therapist --name NAME --jurisdiction J [--private-text T | --private-file F]", \
	 "Registers the identity you act as (a key registers once). Patients: NAME is a\n" \
	 "pseudonym, the only name others see; put your real name and contact details in the\n" \
	 "private profile (--private-text or --private-file), which is encrypted to you\n" \
	 "alone: share it later with `share ACCOUNT`. Council, insurer, regulator and bot\n" \
	 "roles are given only by the council, never taken. Guardians come later:\n" \
	 "`op recovery.guardians guardians=A,B threshold=2`.", \
	 cli_people_register_opts, 0, 0, cli_people_register, NULL}, \
	{"share", "let one account read your private profile", "ACCOUNT [--what profile|emergency]", \
	 "Seals the key of your private profile (or emergency contact) to ACCOUNT's key. The\n" \
	 "share is public metadata (who shares with whom); the content is not. Recorded in\n" \
	 "the audit log.", cli_people_share_opts, 1, 1, cli_people_share, NULL}, \
	{"revoke", "stop sharing your private profile with an account", \
	 "ACCOUNT [--what profile|emergency]", \
	 "No node hands ACCOUNT the key any more. What was already read cannot be unread.", \
	 cli_people_share_opts, 1, 1, cli_people_revoke, NULL},

#define CLI_PEOPLE_VIEWS \
	{"profile", "[ACCOUNT]", "public profile (yours: with your private part decrypted)", -1, \
	 cli_people_show_profile}, \
	{"therapists", "", "registered therapists and their verification", 0, \
	 cli_people_show_therapists}, \
	{"verification", "[THERAPIST]", "verification status, license, CE hours and history", -1, \
	 cli_people_show_verification}, \
	{"review-queue", "", "council: applications and requests awaiting signatures", 0, \
	 cli_people_show_review_queue}, \
	{"guardians", "[ACCOUNT]", "recovery guardians and threshold; accounts you guard", -1, \
	 cli_people_show_guardians}, \
	{"recoveries", "", "pending account recoveries and their approvals", 0, \
	 cli_people_show_recoveries}, \
	{"audit", "[--subject ID]", "who read, shared, granted or changed access, and when", 0, \
	 cli_people_show_audit}, \
	{"anomalies", "", "council: equivocation, rejected bursts, failed verifications", 0, \
	 cli_people_show_anomalies},

#define CLI_PEOPLE_SHOW_OPTS \
	{"--subject", "ID", "audit: only entries about this account (default: you)"}, \
	{"--all", NULL, "audit: entries about everyone"},

#endif
