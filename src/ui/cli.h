/* cli.h - the headless command line of mentalverse (cli.c): global options,
 * the command table, usage and version, and opening a home with the
 * passphrase prompt installed. main.c parses only the global options and
 * hands everything else to cli_main(). */
#ifndef MV_CLI_H
#define MV_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "core/util.h"

struct home;

/* Exit codes of the program. */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_ERR = 1,      /* bad input, I/O, any error (message on stderr) */
	CLI_EXIT_REJECTED = 3, /* an op was rejected by a contract rule */
};

/* Global options: mentalverse [--home DIR] [--as NAME] [--json] COMMAND ... */
struct cli_opts {
	const char *home; /* --home DIR, NULL: $MENTALVERSE_HOME or the default */
	const char *as;   /* --as NAME, NULL: the home's default identity */
	bool json;        /* --json: machine output on stdout */
};

/* Run one command: argv[0] is the command name, the rest its arguments.
 * Returns the process exit code. Global options may also follow the
 * command (`mentalverse show balances --json`). */
int cli_main(const struct cli_opts *o, int argc, char **argv);

/* Program usage (the --help text) on f. */
void cli_usage(FILE *f);

/* Print the version (text or JSON); returns the exit code. */
int cli_version(const struct cli_opts *o);

/* Resolve and open the home named by o (see home_resolve_dir), with the
 * passphrase callback installed: MENTALVERSE_PASSPHRASE, else a prompt
 * without echo when stdin is a terminal, else the empty passphrase.
 * The caller closes *out with home_close. */
int cli_open_home(const struct cli_opts *o, bool create, struct home **out,
		  struct mv_err *err);

/* Print "mentalverse: MSG" on stderr (and {"error": MSG} on stdout when
 * json); returns CLI_EXIT_ERR. */
int cli_report(bool json, const char *msg);

#endif
