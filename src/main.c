/* main.c - entry point of mentalverse: parses the global options only and
 * dispatches. No command on a terminal, or `tui`, opens the terminal app;
 * any other command goes to the headless CLI (src/ui/cli.c). No command and
 * no terminal prints the usage and exits 1. Nothing else happens here. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/home.h"
#include "ui/cli.h"
#include "ui/tui.h"

enum main_action { MAIN_RUN, MAIN_HELP, MAIN_VERSION, MAIN_BAD };

/* Value of "--NAME VALUE" or "--NAME=VALUE" at argv[*i]; advances *i past
 * a separate value. NULL if argv[*i] is not --NAME; sets *missing if it is
 * but has no value. */
static const char *main_value(int argc, char **argv, int *i, const char *name,
			      bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

/* Parse leading global options into o; *first is the index of the command
 * (argc if none). */
static enum main_action main_parse(int argc, char **argv, struct cli_opts *o, int *first)
{
	int i;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v;
		bool missing = false;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return MAIN_HELP;
		if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0)
			return MAIN_VERSION;
		if (strcmp(a, "--json") == 0) {
			o->json = true;
			continue;
		}
		if ((v = main_value(argc, argv, &i, "--home", &missing)))
			o->home = v;
		else if ((v = main_value(argc, argv, &i, "--as", &missing)))
			o->as = v;
		if (v)
			continue;
		fprintf(stderr, missing ? "mentalverse: option %s needs a value\n"
					: "mentalverse: unknown option %s (see mentalverse --help)\n", a);
		return MAIN_BAD;
	}
	*first = i;
	return MAIN_RUN;
}

/* Open the home and run the terminal app in it. */
static int main_tui(const struct cli_opts *o)
{
	struct home *h = NULL;
	struct mv_err err;
	mv_err_clear(&err);
	if (cli_open_home(o, false, &h, &err) != MV_OK)
		return cli_report(false, err.msg);
	int rc = tui_main(h, o->as);
	home_close(h);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli_opts o = {NULL, NULL, false};
	int first = argc;
	switch (main_parse(argc, argv, &o, &first)) {
	case MAIN_HELP:
		cli_usage(stdout);
		return CLI_EXIT_OK;
	case MAIN_VERSION:
		return cli_version(&o);
	case MAIN_BAD:
		return CLI_EXIT_ERR;
	case MAIN_RUN:
		break;
	}
	if (first >= argc) {
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return main_tui(&o);
		cli_usage(stderr);
		return CLI_EXIT_ERR;
	}
	if (strcmp(argv[first], "tui") == 0 && first + 1 == argc)
		return main_tui(&o);
	return cli_main(&o, argc - first, argv + first);
}
