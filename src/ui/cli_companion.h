/* cli_companion.h - the `companion` command of the CLI (cli_companion.c):
 * daily mood check-ins, the mood chart and history, guided thought
 * records, sharing check-ins with one's therapist and reading what a
 * patient shared, and the crisis resources. cli.c lists it with one macro
 * row in its command table (CLI_COMPANION_COMMANDS), so the help text lives
 * here with the code. Everything goes through core/companion.h and
 * core/home_companion.h: no SQL and no crypto here. */
#ifndef MV_CLI_COMPANION_H
#define MV_CLI_COMPANION_H

#include "ui/cli_priv.h"

int cli_companion(struct cli *c, int argc, char **argv);

extern const struct cli_opt cli_companion_opts[];

#define CLI_COMPANION_COMMANDS \
	{"companion", "the built-in companion: mood check-ins, chart, thought records, share with your therapist", \
	 "checkin SCORE [--tags A,B] [--note TEXT] | history [--days N] | thought --situation S" \
	 " --thought T --emotion E --intensity N [--for F] [--against A] [--balanced B]" \
	 " [--rerated N] | share THERAPIST [--days N] | shared [PATIENT] | delete ID | crisis", \
	 "The companion runs on this device only, with no network and no model.\n" \
	 "It is not a clinician: it keeps what you write, draws your mood over time and\n" \
	 "walks you through a thought record; it cannot assess risk or help in an\n" \
	 "emergency. In danger now? Call your local emergency number (`companion crisis`\n" \
	 "lists lines).\n\n" \
	 "Check-ins (SCORE 1 to 10, tags, a note) and thought records are encrypted on\n" \
	 "this device under a key derived from your identity and never synced. Anything\n" \
	 "you write is checked for crisis words; if some are found, it is saved as you\n" \
	 "asked and the crisis resources are printed.\n\n" \
	 "  checkin   record a check-in now\n" \
	 "  history   a chart of the last N days (default 30, at most 365), your\n" \
	 "            check-ins and thought records (--json: every entry and daily means)\n" \
	 "  thought   a thought record: situation, automatic thought, emotion and its\n" \
	 "            intensity (0-100), evidence for and against, a balanced thought and\n" \
	 "            the emotion re-rated\n" \
	 "  share     let THERAPIST (in your care team) read your check-ins of the last N\n" \
	 "            days (default 30): scores, tags and notes, sealed to them and to\n" \
	 "            you; turns on share_mood_with_therapist if it is off. What they read\n" \
	 "            cannot be unread\n" \
	 "  shared    shares with you (as a therapist: decrypted, with a chart) or made\n" \
	 "            by you; PATIENT narrows to one patient\n" \
	 "  delete    delete one of your entries (ID from history)\n" \
	 "  crisis    print crisis lines and emergency numbers", \
	 cli_companion_opts, 1, 2, cli_companion, NULL},

#endif
