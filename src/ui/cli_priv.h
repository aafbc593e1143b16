/* cli_priv.h - what the files of the CLI share (cli.c: framework and
 * commands; cli_fmt.c: rendering amounts, accounts, op bodies and field
 * specs as text and JSON). Not a public header: only src/ui/cli*.c use it. */
#ifndef MV_CLI_PRIV_H
#define MV_CLI_PRIV_H

#include <jansson.h>
#include <stdio.h>

#include "core/contract.h"
#include "core/home.h"
#include "ui/cli.h"

#define CLI_MAX_OPTS 24
/* Values kept of an option given more than once (propose --action ...). */
#define CLI_MAX_REPEAT 64

/* An option of one command: "--limit N". */
struct cli_opt {
	const char *name; /* "--limit"; NULL ends a list */
	const char *arg;  /* "N"; NULL for a flag */
	const char *help;
};

struct cli;

/* One command of the table: adding a command is adding a row. */
struct cli_cmd {
	const char *name;
	const char *summary;         /* one line for the program's --help */
	const char *usage;           /* arguments after the command name */
	const char *help;            /* paragraphs for `COMMAND --help` */
	const struct cli_opt *opts;  /* at most CLI_MAX_OPTS; NULL: none */
	int min_args, max_args;      /* positional arguments; max -1: any */
	int (*run)(struct cli *c, int argc, char **argv);
	/* `COMMAND --help` when the generic text is not enough (op kinds,
	 * views); gets the positionals given with --help; NULL: generic. */
	int (*more_help)(struct cli *c, int argc, char **argv);
};

/* State of one run of a command. */
struct cli {
	struct cli_opts o;
	const struct cli_cmd *cmd;
	const char *optval[CLI_MAX_OPTS]; /* the last value given */
	bool optset[CLI_MAX_OPTS];
	/* every value of option k in order: optn[k] counts them all, optrep[k]
	 * keeps the first CLI_MAX_REPEAT */
	const char *optrep[CLI_MAX_OPTS][CLI_MAX_REPEAT];
	int optn[CLI_MAX_OPTS];
	struct home *h;
	struct mv_err err;
};

/* Print a JSON document on stdout and drop it; an error if it is NULL
 * (allocation failed somewhere while building it). Returns the exit code. */
int cli_json_print(json_t *j);

/* --- cli.c: helpers of every command file -------------------------------- */

/* Value of the command's option NAME (its last), NULL if not given. */
const char *cli_opt(const struct cli *c, const char *name);
/* The core's error in c->err, verbatim (stderr, and {"error"} with --json);
 * returns CLI_EXIT_ERR. */
int cli_core(struct cli *c);
/* The same with a message of ours (its arguments may be c->err.msg). */
int cli_fail(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Open the command's home unless open already (show views find it open);
 * it must hold a network. CLI_EXIT_OK, else the error was reported. */
int cli_need_network(struct cli *c);

/* --- cli_fmt.c -------------------------------------------------------- */

/* "1.5 MVT" into out (at least 48 bytes). */
void cli_fmt_amount(char *out, size_t outlen, int64_t v);
/* "90m", "24h", "30d", "1500ms" into out (at least 32 bytes). */
void cli_fmt_duration(char *out, size_t outlen, int64_t ms);
/* Lowercase hex of 32 bytes into out (65 bytes). */
void cli_hex32(char out[65], const uint8_t id[32]);

/* Set key to the integer v and key_mvt to its decimal text ("1.5"). */
void cli_json_amount(json_t *obj, const char *key, int64_t v);
/* Set key to ms and key_utc to its ISO 8601 text. */
void cli_json_time(json_t *obj, const char *key, int64_t ms);
/* Set key to the 64 hex digits of id. */
void cli_json_id(json_t *obj, const char *key, const uint8_t id[32]);
/* Set key to id and key_label to its display label. */
void cli_json_account(struct cli *c, json_t *obj, const char *key, const uint8_t id[32]);

/* An op body as "to=patient-sam amount=1.5 MVT memo=\"hi\"" (malloc'd,
 * NULL on allocation failure) or as a JSON object (new reference). Fields
 * are interpreted by the kind's field specs where the kind is known. */
char *cli_body_text(struct home *h, const char *kind, const uint8_t *body, size_t len);
json_t *cli_body_json(const char *kind, const uint8_t *body, size_t len);

/* A parameter value for people: "1000 MVT", "7d", "0.1%", or "" when the
 * plain integer says it all. */
void cli_fmt_param(char *out, size_t outlen, const char *name, int64_t v);

/* Field specs: "ACCOUNT", "AMOUNT", "a|b|c", ... and a line of bounds. */
const char *cli_field_type(const struct field_spec *fs);
void cli_field_bounds(const struct field_spec *fs, char *out, size_t outlen);
json_t *cli_handler_json(const struct contract *owner, const struct op_handler *h);
/* The FIELD=VALUE synopsis of a handler ("to=ACCOUNT amount=AMOUNT [memo=TEXT]"). */
void cli_handler_synopsis(const struct op_handler *h, char *out, size_t outlen);

#endif
