/* cli.c - the headless command line: `mentalverse [--home DIR] [--as NAME]
 * [--json] COMMAND ...`. Every command is one row of cli_commands[] (name,
 * summary, usage, help, options, handler); handlers act only through the
 * core API (home.h, query.h, contract.h) and never touch SQL or crypto.
 *
 * Output: text for people on stdout, or with --json one JSON document on
 * stdout (ids in hex, amounts as integer base units plus "_mvt" text).
 * Errors go to stderr as "mentalverse: MESSAGE", the core's message
 * verbatim. Exit codes: 0 ok, 1 error, 3 op rejected by a contract rule. */
#include "ui/cli_priv.h"

#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/query.h"
#include "ui/cli_care.h"
#include "ui/cli_chain.h"
#include "ui/cli_companion.h"
#include "ui/cli_econ.h"
#include "ui/cli_gov.h"
#include "ui/cli_net.h"
#include "ui/cli_people.h"
#include "ui/demo.h"
#include "ui/tui.h"

#ifndef MV_VERSION
#define MV_VERSION "0.0.0-dev"
#endif

#define CLI_GLOBAL_USAGE "mentalverse [--home DIR] [--as NAME] [--json]"
#define CLI_IMPORT_MAX ((size_t)1 << 31) /* largest bundle file read */

static const struct cli_cmd cli_commands[];

/* --- output ------------------------------------------------------------ */

int cli_json_print(json_t *j)
{
	if (!j) {
		fprintf(stderr, "mentalverse: out of memory\n");
		return CLI_EXIT_ERR;
	}
	int rc = json_dumpf(j, stdout, JSON_INDENT(2)) == 0 ? CLI_EXIT_OK : CLI_EXIT_ERR;
	putchar('\n');
	json_decref(j);
	return rc;
}

int cli_report(bool json, const char *msg)
{
	if (!msg || !msg[0])
		msg = "unknown error";
	fprintf(stderr, "mentalverse: %s\n", msg);
	if (json)
		cli_json_print(json_pack("{s:s}", "error", msg));
	return CLI_EXIT_ERR;
}

int cli_fail(struct cli *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return cli_report(c->o.json, msg);
}

int cli_core(struct cli *c)
{
	return cli_report(c->o.json, c->err.msg);
}

/* --- passphrases -------------------------------------------------------- */

static struct termios cli_tio;
static volatile sig_atomic_t cli_tio_active;

/* SIGINT/SIGTERM during the prompt: give the terminal its echo back, then
 * die of the signal as usual. */
static void cli_tio_signal(int sig)
{
	if (cli_tio_active)
		tcsetattr(STDIN_FILENO, TCSANOW, &cli_tio);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read one line from the terminal without echo. */
static int cli_prompt_hidden(const char *name, char *buf, size_t buflen)
{
	struct termios quiet;
	struct sigaction sa, old_int, old_term;
	if (tcgetattr(STDIN_FILENO, &cli_tio) != 0)
		return MV_ERR;
	quiet = cli_tio;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cli_tio_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	cli_tio_active = 1;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	fprintf(stderr, "passphrase for %s: ", name); /* echo is off before anyone types */
	fflush(stderr);
	char *got = fgets(buf, (int)buflen, stdin);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &cli_tio);
	cli_tio_active = 0;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	fputc('\n', stderr);
	size_t n = got ? strlen(buf) : 0;
	if (!got || (n + 1 == buflen && buf[n - 1] != '\n')) {
		memset(buf, 0, buflen);
		return MV_ERR;
	}
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return MV_OK;
}

/* The home's ask_pass: MENTALVERSE_PASSPHRASE, else a prompt on a
 * terminal, else the empty passphrase (scripts, demos). */
static int cli_ask_pass(void *ud, const char *name, char *buf, size_t buflen)
{
	const char *env = getenv("MENTALVERSE_PASSPHRASE");
	if (buflen == 0)
		return MV_ERR;
	if (env) {
		if (strlen(env) >= buflen)
			return MV_ERR;
		strcpy(buf, env);
		return MV_OK;
	}
	if (!isatty(STDIN_FILENO)) {
		buf[0] = '\0';
		return MV_OK;
	}
	return cli_prompt_hidden(name, buf, buflen);
}

int cli_open_home(const struct cli_opts *o, bool create, struct home **out,
		  struct mv_err *err)
{
	char dir[4096];
	int rc = home_resolve_dir(dir, sizeof dir, o->home, err);
	if (rc == MV_OK)
		rc = home_open(out, dir, create, err);
	if (rc == MV_OK) {
		(*out)->ask_pass = cli_ask_pass;
		(*out)->ask_ud = NULL;
	}
	return rc;
}

enum cli_need { NEED_HOME, NEED_CREATE, NEED_NETWORK };

/* Open the home for a command; NEED_NETWORK also requires a network. */
static int cli_home(struct cli *c, enum cli_need need)
{
	if (cli_open_home(&c->o, need == NEED_CREATE, &c->h, &c->err) != MV_OK)
		return cli_core(c);
	if (need == NEED_NETWORK && !c->h->has_network)
		return cli_fail(c, "no network in %s: create one with `mentalverse init NETWORK` "
			       "or `mentalverse demo`, or import a bundle", c->h->dir);
	return CLI_EXIT_OK;
}

int cli_need_network(struct cli *c)
{
	return c->h ? CLI_EXIT_OK : cli_home(c, NEED_NETWORK);
}

/* --- arguments ---------------------------------------------------------- */

/* Value of "NAME VALUE" / "NAME=VALUE" at argv[*i]; see main.c. */
static const char *cli_value(int argc, char **argv, int *i, const char *name, bool *missing)
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

/* Options of the command or global ones at argv[*i]; true if taken. */
static bool cli_take_option(struct cli *c, int argc, char **argv, int *i, bool *missing)
{
	const char *v;
	for (int k = 0; c->cmd->opts && c->cmd->opts[k].name; k++) {
		const struct cli_opt *op = &c->cmd->opts[k];
		if (!op->arg && strcmp(argv[*i], op->name) == 0)
			v = "";
		else if (!op->arg || !(v = cli_value(argc, argv, i, op->name, missing)))
			continue;
		c->optval[k] = v;
		c->optset[k] = true;
		if (c->optn[k] < CLI_MAX_REPEAT)
			c->optrep[k][c->optn[k]] = v;
		c->optn[k]++;
		return true;
	}
	if (strcmp(argv[*i], "--json") == 0)
		return c->o.json = true;
	if ((v = cli_value(argc, argv, i, "--as", missing)))
		c->o.as = v;
	else if ((v = cli_value(argc, argv, i, "--home", missing)))
		c->o.home = v;
	return v != NULL;
}

/* Sort argv[1..] into options, --help and positionals (pos, in order).
 * Returns -1 to go on, else the exit code (bad option). */
static int cli_args(struct cli *c, int argc, char **argv, int *npos, char **pos, bool *help)
{
	bool rest = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool missing = false;
		if (rest || a[0] != '-' || a[1] == '\0') {
			pos[(*npos)++] = argv[i];
		} else if (strcmp(a, "--") == 0) {
			rest = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			*help = true;
		} else if (!cli_take_option(c, argc, argv, &i, &missing)) {
			return cli_fail(c, missing ? "option %s needs a value"
					   : "unknown option %s (see mentalverse %s --help)",
					a, c->cmd->name);
		}
	}
	return -1;
}

const char *cli_opt(const struct cli *c, const char *name)
{
	for (int k = 0; c->cmd->opts && c->cmd->opts[k].name; k++)
		if (strcmp(c->cmd->opts[k].name, name) == 0)
			return c->optset[k] ? c->optval[k] : NULL;
	return NULL;
}

/* --- help --------------------------------------------------------------- */

void cli_usage(FILE *f)
{
	fprintf(f, "usage: " CLI_GLOBAL_USAGE " [COMMAND [ARGS...]]\n\n"
		"MentalVerse: a peer-to-peer network for mental health care, run by signed\n"
		"operations. With no command on a terminal it opens the app (the TUI).\n\n"
		"Global options (before or after the command):\n"
		"  --home DIR   the home directory (default: $MENTALVERSE_HOME, else\n"
		"               ${XDG_DATA_HOME:-~/.local/share}/mentalverse)\n"
		"  --as NAME    act as identity NAME (default: the only identity, else\n"
		"               founder, else the first by name)\n"
		"  --json       machine output: one JSON document on stdout\n"
		"  --help       this help; `mentalverse COMMAND --help` for a command\n"
		"  --version    print the version\n\n"
		"Commands:\n");
	/* A usage longer than the column gets its own line, the summary the
	 * next one: nothing is cut. */
	for (const struct cli_cmd *k = cli_commands; k->name; k++) {
		int n = fprintf(f, "  %s%s%s", k->name, k->usage[0] ? " " : "", k->usage);
		if (n > 2 + 32)
			fprintf(f, "\n%*s%s\n", 2 + 32 + 1, "", k->summary);
		else
			fprintf(f, "%*s %s\n", 2 + 32 - n, "", k->summary);
	}
	fprintf(f, "\nExit status: 0 success, 1 error (message on stderr), 3 op rejected by a\n"
		"contract rule. Passphrases come from MENTALVERSE_PASSPHRASE, else are asked\n"
		"on the terminal, else are empty (the demo's identities use the empty one).\n");
}

int cli_version(const struct cli_opts *o)
{
	if (o->json)
		return cli_json_print(json_pack("{s:s, s:s}", "name", "mentalverse",
						"version", MV_VERSION));
	printf("mentalverse %s\n", MV_VERSION);
	return CLI_EXIT_OK;
}

/* Generic help of a command: usage, summary, help text, options. */
static int cli_cmd_help(struct cli *c, int argc, char **argv)
{
	const struct cli_cmd *k = c->cmd;
	printf("usage: " CLI_GLOBAL_USAGE " %s %s\n\n%s.\n", k->name, k->usage, k->summary);
	if (k->help && k->help[0])
		printf("\n%s\n", k->help);
	if (k->opts && k->opts[0].name) {
		printf("\noptions:\n");
		for (const struct cli_opt *op = k->opts; op->name; op++) {
			char left[48];
			snprintf(left, sizeof left, "%s%s%s", op->name, op->arg ? " " : "",
				 op->arg ? op->arg : "");
			printf("  %-20s %s\n", left, op->help);
		}
	}
	return CLI_EXIT_OK;
}

static int cli_usage_error(struct cli *c)
{
	return cli_fail(c, "usage: mentalverse %s %s (see mentalverse %s --help)",
			c->cmd->name, c->cmd->usage, c->cmd->name);
}

/* --- init, keygen, ids -------------------------------------------------- */

static int cmd_init(struct cli *c, int argc, char **argv)
{
	uint8_t founder[32];
	char nid[65], fid[65];
	if (cli_opt(c, "--join") && argc == 0)
		return cli_net_join(c, cli_opt(c, "--join"));
	if (cli_opt(c, "--join") || argc != 1)
		return cli_usage_error(c);
	int rc = cli_home(c, NEED_CREATE);
	if (rc)
		return rc;
	if (home_init(c->h, argv[0], cli_opt(c, "--genesis"), &c->err) != MV_OK ||
	    keystore_public(c->h->keydir, "founder", founder, &c->err) != MV_OK)
		return cli_core(c);
	if ((rc = cli_net_node_init(c)) != CLI_EXIT_OK)
		return rc;
	cli_hex32(nid, c->h->network);
	cli_hex32(fid, founder);
	if (c->o.json)
		return cli_json_print(json_pack("{s:s, s:s, s:s, s:s}", "network", argv[0],
						"network_id", nid, "home", c->h->dir,
						"founder", fid));
	printf("network:    %s\nnetwork id: %s\nhome:       %s\nfounder:    %s\n", argv[0], nid,
	       c->h->dir, fid);
	return CLI_EXIT_OK;
}

static int cmd_keygen(struct cli *c, int argc, char **argv)
{
	uint8_t pk[32];
	char hex[65];
	int rc = cli_home(c, NEED_CREATE);
	if (rc)
		return rc;
	if (home_keygen(c->h, argv[0], pk, &c->err) != MV_OK)
		return cli_core(c);
	cli_hex32(hex, pk);
	if (c->o.json)
		return cli_json_print(json_pack("{s:s, s:s}", "name", argv[0], "id", hex));
	printf("%s %s\n", argv[0], hex);
	return CLI_EXIT_OK;
}

struct cli_ids {
	json_t *list;
	const char *dflt;
};

static int cli_ids_row(void *ud, const char *name, const uint8_t pk[32])
{
	struct cli_ids *ids = ud;
	char hex[65];
	cli_hex32(hex, pk);
	json_array_append_new(ids->list, json_pack("{s:s, s:s, s:b}", "name", name, "id", hex,
						   "default", strcmp(name, ids->dflt) == 0));
	return 0;
}

static int cmd_ids(struct cli *c, int argc, char **argv)
{
	char dflt[KS_NAME_MAX + 1] = "";
	struct cli_ids ids = {json_array(), dflt};
	size_t i;
	json_t *row;
	int rc = cli_home(c, NEED_HOME);
	if (rc == CLI_EXIT_OK) {
		struct mv_err ignore;
		home_default_identity(c->h, dflt, sizeof dflt, &ignore);
		if (keystore_list(c->h->keydir, cli_ids_row, &ids, &c->err) != MV_OK)
			rc = cli_core(c);
	}
	if (rc != CLI_EXIT_OK || c->o.json) {
		if (rc == CLI_EXIT_OK)
			return cli_json_print(ids.list);
		json_decref(ids.list);
		return rc;
	}
	json_array_foreach(ids.list, i, row)
		printf("%-20s %s%s\n", json_string_value(json_object_get(row, "name")),
		       json_string_value(json_object_get(row, "id")),
		       json_is_true(json_object_get(row, "default")) ? "  (default)" : "");
	json_decref(ids.list);
	return CLI_EXIT_OK;
}

/* --- op ----------------------------------------------------------------- */

static const char *cli_outcome_name(int outcome)
{
	switch (outcome) {
	case 1: return "applied";
	case 0: return "rejected";
	case -2: return "excluded";
	default: return "pending";
	}
}

static int cmd_op(struct cli *c, int argc, char **argv)
{
	struct submit_result res;
	char hex[65];
	if (!contract_find(argv[0], NULL))
		return cli_fail(c, "unknown op kind '%s' (see mentalverse op --help)", argv[0]);
	for (int i = 1; i < argc; i++)
		if (!strchr(argv[i], '=') || argv[i][0] == '=')
			return cli_fail(c, "expected FIELD=VALUE, got '%s' (see mentalverse op %s "
				       "--help)", argv[i], argv[0]);
	int rc = cli_home(c, NEED_NETWORK);
	if (rc)
		return rc;
	memset(&res, 0, sizeof res);
	if (home_submit_fields(c->h, c->o.as, argv[0], argc - 1, argv + 1, &res, &c->err) != MV_OK)
		return cli_core(c);
	cli_hex32(hex, res.id);
	rc = res.outcome == 0 ? CLI_EXIT_REJECTED : CLI_EXIT_OK;
	if (c->o.json) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "id", hex, "kind", argv[0], "outcome",
				      cli_outcome_name(res.outcome));
		if (res.outcome == 0)
			json_object_set_new(j, "reason", json_string(res.reason));
		return cli_json_print(j) ? CLI_EXIT_ERR : rc;
	}
	if (res.outcome == 0)
		printf("%s rejected: %s\n", hex, res.reason);
	else
		printf("%s %s\n", hex, cli_outcome_name(res.outcome));
	return rc;
}

/* `op KIND --help`: everything about one kind. */
static int cli_kind_help(struct cli *c, const char *kind)
{
	const struct contract *owner = NULL;
	const struct op_handler *h = contract_find(kind, &owner);
	char syn[1024], bounds[128];
	if (!h)
		return cli_fail(c, "unknown op kind '%s' (see mentalverse op --help)", kind);
	if (c->o.json)
		return cli_json_print(cli_handler_json(owner, h));
	cli_handler_synopsis(h, syn, sizeof syn);
	printf("\n%s (contract %s): %s\nwho may send it: %s\nusage: mentalverse [--as NAME] op "
	       "%s %s\n", h->kind, owner->name, h->summary ? h->summary : "",
	       h->who ? h->who : "anyone", h->kind, syn);
	if (!h->fields || !h->fields[0].name) {
		printf("\nfields: set by the contract (not sent with `op`)\n");
		return CLI_EXIT_OK;
	}
	printf("\nfields:\n");
	for (const struct field_spec *fs = h->fields; fs->name; fs++) {
		cli_field_bounds(fs, bounds, sizeof bounds);
		printf("  %-14s %-12s %-8s %s%s%s%s\n", fs->name, cli_field_type(fs),
		       fs->optional ? "optional" : "required", fs->help ? fs->help : "",
		       bounds[0] ? " (" : "", bounds, bounds[0] ? ")" : "");
	}
	return CLI_EXIT_OK;
}

/* `op --help`: the command, then every kind of every contract with its
 * fields (with --json only the catalogue); `op KIND --help`: that kind. */
static int cli_op_help(struct cli *c, int argc, char **argv)
{
	if (argc > 0)
		return cli_kind_help(c, argv[0]);
	json_t *all = c->o.json ? json_array() : NULL;
	if (!all)
		cli_cmd_help(c, argc, argv);
	if (!all)
		printf("\nop kinds (`mentalverse op KIND --help` for details):\n");
	for (size_t i = 0; contract_table[i]; i++) {
		const struct contract *k = contract_table[i];
		for (const struct op_handler *h = k->handlers; h && h->kind; h++) {
			char syn[1024];
			if (all) {
				json_array_append_new(all, cli_handler_json(k, h));
				continue;
			}
			cli_handler_synopsis(h, syn, sizeof syn);
			printf("\n  %s - %s\n    who: %s\n    fields: %s\n", h->kind,
			       h->summary ? h->summary : "", h->who ? h->who : "anyone",
			       syn[0] ? syn : "(none from the command line)");
		}
	}
	return all ? cli_json_print(all) : CLI_EXIT_OK;
}

/* --- show --------------------------------------------------------------- */

struct cli_view {
	const char *name;
	const char *usage;
	const char *summary;
	int nargs;
	int (*run)(struct cli *c, int argc, char **argv);
};

static int cli_balance_row(void *ud, const struct q_balance *r)
{
	struct cli *c = ((void **)ud)[0];
	json_t *list = ((void **)ud)[1];
	char hex[65], label[80];
	cli_hex32(hex, r->account);
	home_account_label(c->h, r->account, label, sizeof label);
	json_t *o = json_pack("{s:s, s:s}", "account", hex, "label", label);
	cli_json_amount(o, "amount", r->amount);
	json_array_append_new(list, o);
	return 0;
}

static int view_balances(struct cli *c, int argc, char **argv)
{
	json_t *list = json_array(), *row;
	void *ud[2] = {c, list};
	size_t i;
	int w = 8;
	if (query_balances(c->h->st, cli_balance_row, ud, &c->err) != MV_OK) {
		json_decref(list);
		return cli_core(c);
	}
	if (c->o.json)
		return cli_json_print(list);
	json_array_foreach(list, i, row) {
		int n = (int)strlen(json_string_value(json_object_get(row, "label")));
		w = n > w ? n : w;
	}
	printf("%-*s %24s\n", w, "ACCOUNT", "BALANCE");
	json_array_foreach(list, i, row) {
		char amt[48];
		cli_fmt_amount(amt, sizeof amt, json_integer_value(json_object_get(row, "amount")));
		printf("%-*s %24s\n", w, json_string_value(json_object_get(row, "label")), amt);
	}
	json_decref(list);
	return CLI_EXIT_OK;
}

static int view_balance(struct cli *c, int argc, char **argv)
{
	uint8_t acct[32];
	char hex[65], label[80], amt[48];
	if (home_resolve_account(c->h, argv[0], acct, &c->err) != MV_OK)
		return cli_core(c);
	int64_t v = ledger_balance(c->h->st, acct);
	cli_hex32(hex, acct);
	home_account_label(c->h, acct, label, sizeof label);
	if (c->o.json) {
		json_t *o = json_pack("{s:s, s:s}", "account", hex, "label", label);
		cli_json_amount(o, "amount", v);
		return cli_json_print(o);
	}
	cli_fmt_amount(amt, sizeof amt, v);
	printf("%s\n", amt);
	return CLI_EXIT_OK;
}

static int cli_param_row(void *ud, const struct q_param *r)
{
	json_t *list = ud;
	char disp[64];
	cli_fmt_param(disp, sizeof disp, r->name, r->value);
	json_t *o = json_pack("{s:s, s:I}", "name", r->name, "value", (json_int_t)r->value);
	if (disp[0])
		json_object_set_new(o, "display", json_string(disp));
	json_array_append_new(list, o);
	return 0;
}

static int view_params(struct cli *c, int argc, char **argv)
{
	json_t *list = json_array(), *row;
	char name[129];
	size_t i;
	if (query_params(c->h->st, cli_param_row, list, &c->err) != MV_OK) {
		json_decref(list);
		return cli_core(c);
	}
	query_network_name(c->h->st, name, sizeof name);
	if (c->o.json)
		return cli_json_print(json_pack("{s:s, s:o}", "network", name, "params", list));
	printf("network: %s\n", name);
	json_array_foreach(list, i, row) {
		const char *disp = json_string_value(json_object_get(row, "display"));
		printf("%-28s %20" JSON_INTEGER_FORMAT "%s%s%s\n",
		       json_string_value(json_object_get(row, "name")),
		       json_integer_value(json_object_get(row, "value")), disp ? "  (" : "",
		       disp ? disp : "", disp ? ")" : "");
	}
	json_decref(list);
	return CLI_EXIT_OK;
}

static const struct cli_view cli_views[] = {
	{"balances", "", "every account's MVT balance", 0, view_balances},
	{"balance", "ACCOUNT", "one account's balance (identity name, treasury, rewards or hex)",
	 1, view_balance},
	{"params", "", "the network's parameters (set at genesis, changed by governance)", 0,
	 view_params},
	CLI_PEOPLE_VIEWS
	CLI_CHAIN_VIEWS
	CLI_CARE_VIEWS
	CLI_ECON_VIEWS
	CLI_GOV_VIEWS
	{NULL, NULL, NULL, 0, NULL},
};

static int cmd_show(struct cli *c, int argc, char **argv)
{
	for (const struct cli_view *v = cli_views; v->name; v++) {
		if (strcmp(v->name, argv[0]) != 0)
			continue;
		/* nargs < 0: up to -nargs optional arguments */
		if (v->nargs >= 0 ? argc - 1 != v->nargs : argc - 1 > -v->nargs)
			return cli_fail(c, "usage: mentalverse show %s %s", v->name, v->usage);
		int rc = cli_home(c, NEED_NETWORK);
		return rc ? rc : v->run(c, argc - 1, argv + 1);
	}
	return cli_fail(c, "unknown view '%s' (see mentalverse show --help)", argv[0]);
}

static int cli_show_help(struct cli *c, int argc, char **argv)
{
	cli_cmd_help(c, argc, argv);
	printf("\nviews:\n");
	for (const struct cli_view *v = cli_views; v->name; v++) {
		char left[48];
		snprintf(left, sizeof left, "%s %s", v->name, v->usage);
		printf("  %-20s %s\n", left, v->summary);
	}
	return CLI_EXIT_OK;
}

/* --- log ---------------------------------------------------------------- */

struct cli_log {
	struct cli *c;
	bool reverse;   /* collect, print newest last */
	size_t printed;
	json_t *held;   /* rows held for reversal: JSON objects or text lines */
};

static const char *cli_status_name(int status)
{
	switch (status) {
	case Q_APPLIED: return "applied";
	case Q_REJECTED: return "rejected";
	case Q_EXCLUDED: return "excluded";
	default: return "pending";
	}
}

static json_t *cli_log_json(const struct q_logrow *r, struct home *h)
{
	char id[65], author[65], label[80], when[40];
	cli_hex32(id, r->id);
	cli_hex32(author, r->author);
	home_account_label(h, r->author, label, sizeof label);
	mv_time_format_utc(when, sizeof when, op_clock_ms(r->clock));
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s}", "id", id, "author",
			      author, "author_label", label, "seq", (json_int_t)r->seq, "clock",
			      (json_int_t)r->clock, "time", when, "kind", r->kind, "outcome",
			      cli_status_name(r->status));
	json_object_set_new(o, "epoch", r->epoch == ENGINE_TENTATIVE ? json_null()
								   : json_integer(r->epoch));
	if (r->status != Q_APPLIED && r->reason[0])
		json_object_set_new(o, "reason", json_string(r->reason));
	json_object_set_new(o, "fields", cli_body_json(r->kind, r->body, r->body_len));
	return o;
}

/* "TIME ID12 AUTHOR#SEQ KIND FIELDS -> OUTCOME" (malloc'd). */
static char *cli_log_text(const struct q_logrow *r, struct home *h)
{
	char id[65], label[80], when[40], *line = NULL;
	char *fields = cli_body_text(h, r->kind, r->body, r->body_len);
	cli_hex32(id, r->id);
	id[12] = '\0';
	home_account_label(h, r->author, label, sizeof label);
	mv_time_format_utc(when, sizeof when, op_clock_ms(r->clock));
	if (!fields)
		return NULL;
	if (asprintf(&line, "%s %s %s#%" PRIu64 " %s %s -> %s%s%s", when, id, label, r->seq,
		     r->kind, fields, cli_status_name(r->status),
		     r->status != Q_APPLIED && r->reason[0] ? ": " : "",
		     r->status != Q_APPLIED ? r->reason : "") < 0)
		line = NULL;
	free(fields);
	return line;
}

/* Print one row now (JSON rows one per line inside an array). */
static void cli_log_emit(struct cli_log *L, json_t *item)
{
	if (L->c->o.json) {
		fputs(L->printed ? ",\n  " : "[\n  ", stdout);
		json_dumpf(item, stdout, JSON_COMPACT);
	} else {
		puts(json_string_value(item));
	}
	L->printed++;
}

static int cli_log_row(void *ud, const struct q_logrow *r)
{
	struct cli_log *L = ud;
	json_t *item;
	if (L->c->o.json) {
		item = cli_log_json(r, L->c->h);
	} else {
		char *line = cli_log_text(r, L->c->h);
		item = line ? json_string(line) : NULL;
		free(line);
	}
	if (!item)
		return 1;
	if (L->reverse)
		return json_array_append_new(L->held, item) != 0;
	cli_log_emit(L, item);
	json_decref(item);
	return 0;
}

static int cli_parse_count(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;
	if (!s || s[0] < '0' || s[0] > '9')
		return MV_EINVAL;
	v = strtoull(s, &end, 10);
	if (*end || v == 0 || v > SIZE_MAX / 2)
		return MV_EINVAL;
	*out = (size_t)v;
	return MV_OK;
}

static int cmd_log(struct cli *c, int argc, char **argv)
{
	struct cli_log L = {c, false, 0, NULL};
	size_t limit = SIZE_MAX;
	const char *lim = cli_opt(c, "--limit");
	if (lim && cli_parse_count(lim, &limit) != MV_OK)
		return cli_fail(c, "--limit needs a positive whole number, got '%s'", lim);
	int rc = cli_home(c, NEED_NETWORK);
	if (rc)
		return rc;
	L.reverse = lim != NULL;
	L.held = json_array();
	if (!L.held)
		return cli_fail(c, "out of memory");
	rc = query_log(c->h->st, L.reverse, L.reverse ? limit : SIZE_MAX, 0,
		       cli_opt(c, "--kind"), NULL, cli_log_row, &L, &c->err);
	for (size_t i = json_array_size(L.held); rc == MV_OK && i > 0; i--)
		cli_log_emit(&L, json_array_get(L.held, i - 1));
	json_decref(L.held);
	if (c->o.json)
		fputs(L.printed ? "\n]\n" : "[]\n", stdout);
	return rc == MV_OK ? CLI_EXIT_OK : cli_core(c);
}

/* --- state-root, export, import, verify ---------------------------------- */

static int cmd_state_root(struct cli *c, int argc, char **argv)
{
	uint8_t root[32];
	char hex[65];
	int rc = cli_home(c, NEED_NETWORK);
	if (rc)
		return rc;
	if (home_state_root(c->h, root, &c->err) != MV_OK)
		return cli_core(c);
	cli_hex32(hex, root);
	if (c->o.json)
		return cli_json_print(json_pack("{s:s}", "state_root", hex));
	printf("%s\n", hex);
	return CLI_EXIT_OK;
}

/* Number of ops in an encoded bundle ("MVB1" | count varint | ...). */
static uint64_t cli_bundle_count(const struct mv_buf *b)
{
	uint64_t n = 0;
	if (b->len > 4 && mv_varint_get(b->data + 4, b->len - 4, &n) <= 0)
		n = 0;
	return n;
}

static int cmd_export(struct cli *c, int argc, char **argv)
{
	struct mv_buf b = {NULL, 0, 0};
	int rc = cli_home(c, NEED_NETWORK);
	if (rc)
		return rc;
	if (home_export(c->h, &b, &c->err) != MV_OK ||
	    mv_write_file_atomic(argv[0], b.data, b.len, 0644, &c->err) != MV_OK) {
		mv_buf_free(&b);
		return cli_core(c);
	}
	uint64_t n = cli_bundle_count(&b);
	size_t bytes = b.len;
	mv_buf_free(&b);
	if (c->o.json)
		return cli_json_print(json_pack("{s:s, s:I, s:I}", "file", argv[0], "ops",
						(json_int_t)n, "bytes", (json_int_t)bytes));
	printf("exported %" PRIu64 " ops (%zu bytes) to %s\n", n, bytes, argv[0]);
	return CLI_EXIT_OK;
}

/* Progress on stderr when it is a terminal, at most every 1%. */
static int cli_progress(void *ud, const char *phase, size_t done, size_t total)
{
	size_t *last = ud;
	if (!isatty(STDERR_FILENO) || total == 0)
		return 0;
	size_t pct = done * 100 / total;
	if (pct != *last || done == total) {
		fprintf(stderr, "\r%s %zu/%zu (%zu%%)\033[K", phase, done, total, pct);
		if (done == total)
			fputc('\n', stderr);
		*last = pct;
	}
	return 0;
}

static json_t *cli_counts_json(const char *file, const struct import_counts *k)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "file", file, "new",
			 (json_int_t)k->new_, "duplicate", (json_int_t)k->duplicate, "pending",
			 (json_int_t)k->pending, "equivocation", (json_int_t)k->equivocation,
			 "refused", (json_int_t)k->refused, "applied", (json_int_t)k->applied,
			 "rejected", (json_int_t)k->rejected);
}

/* A failed import into a directory that did not exist leaves no empty home
 * behind: remove the store files home_open made, then the directory (rmdir
 * only succeeds if nothing else is in it). */
static void cli_unmake_home(struct cli *c)
{
	static const char *const files[] = {"mentalverse.db", "mentalverse.db-wal",
					    "mentalverse.db-shm", NULL};
	char dir[sizeof c->h->dir], path[sizeof c->h->dir + 32];
	snprintf(dir, sizeof dir, "%s", c->h->dir);
	home_close(c->h);
	c->h = NULL;
	for (const char *const *f = files; *f; f++) {
		snprintf(path, sizeof path, "%s/%s", dir, *f);
		unlink(path);
	}
	rmdir(dir);
}

static int cmd_import(struct cli *c, int argc, char **argv)
{
	struct import_counts k;
	uint8_t *data = NULL;
	size_t len = 0, last = SIZE_MAX;
	char dir[4096];
	if (home_resolve_dir(dir, sizeof dir, c->o.home, &c->err) != MV_OK)
		return cli_core(c);
	bool existed = access(dir, F_OK) == 0;
	int rc = cli_home(c, NEED_CREATE);
	if (rc == CLI_EXIT_OK && mv_read_file(argv[0], CLI_IMPORT_MAX, &data, &len, &c->err) != MV_OK)
		rc = cli_core(c);
	if (rc == CLI_EXIT_OK) {
		memset(&k, 0, sizeof k);
		if (home_import(c->h, data, len, &k, cli_progress, &last, &c->err) != MV_OK)
			rc = cli_fail(c, "%s: %s", argv[0], c->err.msg);
	}
	free(data);
	if (rc != CLI_EXIT_OK && !existed && c->h && !c->h->has_network)
		cli_unmake_home(c);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (c->o.json)
		return cli_json_print(cli_counts_json(argv[0], &k));
	printf("imported %s: %zu new, %zu duplicate, %zu pending, %zu equivocation, %zu refused; "
	       "%zu applied, %zu rejected\n", argv[0], k.new_, k.duplicate, k.pending,
	       k.equivocation, k.refused, k.applied, k.rejected);
	return CLI_EXIT_OK;
}

static int cmd_verify(struct cli *c, int argc, char **argv)
{
	uint8_t live[32] = {0}, replay[32] = {0};
	char lh[65], rh[65];
	size_t last = SIZE_MAX;
	if (argc > 0)
		return cli_people_verify(c, argc, argv);
	int rc = cli_home(c, NEED_NETWORK);
	if (rc)
		return rc;
	int vr = home_verify(c->h, live, replay, cli_progress, &last, &c->err);
	cli_hex32(lh, live);
	cli_hex32(rh, replay);
	bool ok = vr == MV_OK;
	if (c->o.json) {
		json_t *j = json_pack("{s:b, s:s, s:s}", "ok", ok, "live", lh, "replay", rh);
		if (!ok)
			json_object_set_new(j, "error", json_string(c->err.msg));
		rc = cli_json_print(j);
	} else {
		printf("live   %s\nreplay %s\n%s\n", lh, rh, ok ? "ok: state equals a replay of "
							 "the log" : "MISMATCH");
	}
	if (!ok)
		fprintf(stderr, "mentalverse: %s\n", c->err.msg[0] ? c->err.msg : "verify failed");
	return ok ? rc : CLI_EXIT_ERR;
}

/* --- demo, tui, help ---------------------------------------------------- */

static int cli_demo_summary(struct cli *c, const char *dir)
{
	struct cli_opts o = c->o;
	o.home = dir;
	if (cli_open_home(&o, false, &c->h, &c->err) != MV_OK)
		return cli_core(c);
	json_t *people = json_array();
	for (const char *const *p = demo_people; *p; p++) {
		uint8_t pk[32];
		char hex[65];
		if (keystore_public(c->h->keydir, *p, pk, &c->err) != MV_OK) {
			json_decref(people);
			return cli_core(c);
		}
		cli_hex32(hex, pk);
		json_t *o2 = json_pack("{s:s, s:s}", "name", *p, "id", hex);
		cli_json_amount(o2, "balance", ledger_balance(c->h->st, pk));
		json_array_append_new(people, o2);
	}
	if (c->o.json)
		return cli_json_print(json_pack("{s:s, s:s, s:o}", "home", c->h->dir, "network",
						DEMO_NETWORK, "identities", people));
	printf("demo network %s created in %s (empty passphrases)\n", DEMO_NETWORK, c->h->dir);
	size_t i;
	json_t *row;
	json_array_foreach(people, i, row) {
		char amt[48];
		cli_fmt_amount(amt, sizeof amt, json_integer_value(json_object_get(row, "balance")));
		printf("  %-16s %20s\n", json_string_value(json_object_get(row, "name")), amt);
	}
	printf("open it: mentalverse --home %s\n", c->h->dir);
	json_decref(people);
	return CLI_EXIT_OK;
}

static int cmd_demo(struct cli *c, int argc, char **argv)
{
	char dir[4096];
	if (argc > 0)
		snprintf(dir, sizeof dir, "%s", argv[0]);
	else if (home_resolve_dir(dir, sizeof dir, c->o.home, &c->err) != MV_OK)
		return cli_core(c);
	if (demo_create(dir, &c->err) != MV_OK)
		return cli_core(c);
	return cli_demo_summary(c, dir);
}

static int cmd_tui(struct cli *c, int argc, char **argv)
{
	int rc = cli_home(c, NEED_HOME);
	return rc ? rc : tui_main(c->h, c->o.as);
}

static const struct cli_cmd *cli_find(const char *name)
{
	for (const struct cli_cmd *k = cli_commands; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static int cmd_help(struct cli *c, int argc, char **argv)
{
	if (argc == 0) {
		cli_usage(stdout);
		return CLI_EXIT_OK;
	}
	c->cmd = cli_find(argv[0]);
	if (!c->cmd)
		return cli_report(c->o.json, "unknown command (see mentalverse --help)");
	return c->cmd->more_help ? c->cmd->more_help(c, argc - 1, argv + 1)
				 : cli_cmd_help(c, argc - 1, argv + 1);
}

/* --- the table ---------------------------------------------------------- */

static const struct cli_opt init_opts[] = {
	{"--genesis", "FILE", "genesis parameters (`key = value` lines, as assets/genesis.default)"},
	{"--join", "ADDRESS", "instead: create this home from the peer at ADDRESS (all ops verified)"},
	{NULL, NULL, NULL},
};
static const struct cli_opt show_opts[] = {
	CLI_PEOPLE_SHOW_OPTS
	CLI_CARE_SHOW_OPTS
	CLI_GOV_SHOW_OPTS
	{NULL, NULL, NULL},
};
static const struct cli_opt log_opts[] = {
	{"--limit", "N", "only the N most recent ops (still printed oldest first)"},
	{"--kind", "PREFIX", "only ops whose kind starts with PREFIX (e.g. ledger.)"},
	{NULL, NULL, NULL},
};

static const struct cli_cmd cli_commands[] = {
	{"init", "create a network in an empty home",
	 "NETWORK [--genesis FILE] | --join ADDRESS",
	 "Creates the home directory if needed, the identity `founder` (council of one unless\n"
	 "the genesis file names a council) and the genesis op, with the defaults of\n"
	 "assets/genesis.default unless --genesis gives a file.",
	 init_opts, 0, 1, cmd_init, NULL},
	{"keygen", "create an identity (Ed25519 key pair)", "NAME",
	 "NAME is 1..48 characters of A-Z a-z 0-9 . _ - . The secret key is stored encrypted\n"
	 "with the passphrase (MENTALVERSE_PASSPHRASE, else asked, else empty).",
	 NULL, 1, 1, cmd_keygen, NULL},
	{"ids", "list identities: name and public id", "",
	 "The default identity (used without --as) is marked.", NULL, 0, 0, cmd_ids, NULL},
	{"op", "sign and apply an op, print its outcome", "KIND FIELD=VALUE ...",
	 "Signs as --as NAME (default identity otherwise). Amounts take decimals (\"1.5\"),\n"
	 "times ISO 8601 UTC, accounts an identity name, a system account or 64 hex digits.\n"
	 "Prints \"ID applied\", \"ID rejected: REASON\" (exit 3) or \"ID pending\".",
	 NULL, 1, -1, cmd_op, cli_op_help},
	{"show", "state views: balances, people, care, economy, finality (`show --help`)", "VIEW [ARGS]", "",
	 show_opts, 1, 2, cmd_show, cli_show_help},
	{"log", "ops in total order with outcomes", "[--limit N] [--kind PREFIX]",
	 "One line per op: time of its clock, id (12 hex digits), author#seq, kind, fields,\n"
	 "and the outcome: applied, rejected: REASON, or pending (waiting for a gap or time).",
	 log_opts, 0, 0, cmd_log, NULL},
	{"state-root", "hash of the whole contract state", "",
	 "Two homes holding the same ops print the same root.", NULL, 0, 0, cmd_state_root, NULL},
	{"export", "write every op to a bundle file", "FILE",
	 "The bundle carries the ops (not the state); `import` on another home rebuilds the\n"
	 "same state. The file is written atomically.", NULL, 1, 1, cmd_export, NULL},
	{"import", "accept a bundle file into this home", "FILE",
	 "Every op is checked first: if any fails decoding or its signature, the whole bundle\n"
	 "is refused (exit 1, nothing changes). An empty home joins the bundle's network.\n"
	 "Prints counts: new, duplicate, pending, equivocation, refused; applied, rejected.",
	 NULL, 1, 1, cmd_import, NULL},
	{"verify", "replay the log and compare state roots; `verify submit|ce`: your professional license", CLI_PEOPLE_VERIFY_USAGE,
	 "Like `git fsck`: exit 1 and both roots printed when the live state differs from\n"
	 "a replay of the log." CLI_PEOPLE_VERIFY_HELP, cli_people_verify_opts, 0, 1, cmd_verify,
	 NULL},
	{"demo", "create the demo network", "[DIR]",
	 "Builds the demo with real signed ops in DIR (default: the home). Identity names start\n"
	 "with their role: council-, therapist-, patient-, member-. Every demo identity uses\n"
	 "the empty passphrase: the demo protects nothing.", NULL, 0, 1, cmd_demo, NULL},
	{"tui", "open the terminal app (default)", "",
	 "", NULL, 0, 0, cmd_tui, NULL},
	CLI_NET_COMMANDS
	CLI_CHAIN_COMMANDS
	CLI_PEOPLE_COMMANDS
	CLI_CARE_COMMANDS
	CLI_ECON_COMMANDS
	CLI_GOV_COMMANDS
	CLI_COMPANION_COMMANDS
	{"help", "help for the program or a command", "[COMMAND]", "", NULL, 0, 1, cmd_help,
	 NULL},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

int cli_main(const struct cli_opts *o, int argc, char **argv)
{
	struct cli c;
	memset(&c, 0, sizeof c);
	c.o = *o;
	c.cmd = cli_find(argv[0]);
	if (!c.cmd) {
		char msg[256];
		snprintf(msg, sizeof msg, "unknown command '%.64s' (see mentalverse --help)", argv[0]);
		return cli_report(o->json, msg);
	}
	char **pos = calloc((size_t)argc, sizeof *pos);
	if (!pos)
		return cli_report(o->json, "out of memory");
	int npos = 0, rc;
	bool help = false;
	rc = cli_args(&c, argc, argv, &npos, pos, &help);
	if (rc >= 0)
		;
	else if (help)
		rc = c.cmd->more_help ? c.cmd->more_help(&c, npos, pos) : cli_cmd_help(&c, npos, pos);
	else if (npos < c.cmd->min_args || (c.cmd->max_args >= 0 && npos > c.cmd->max_args))
		rc = cli_usage_error(&c);
	else
		rc = c.cmd->run(&c, npos, pos);
	if (c.h)
		home_close(c.h);
	free(pos);
	fflush(stdout);
	return rc;
}
