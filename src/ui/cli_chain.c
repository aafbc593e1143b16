/* cli_chain.c - `mentalverse checkpoint` and `mentalverse show checkpoints`:
 * finality from the command line (see docs/architecture.md, "Checkpoints and
 * finality"). */
#include "ui/cli_chain.h"

#include <stdio.h>
#include <string.h>

#include "core/contract.h"
#include "core/query.h"

const struct cli_opt cli_chain_checkpoint_opts[] = {
	{"--force", NULL, "propose now even if not due"},
	{NULL, NULL, NULL},
};

struct tick_all {
	struct home *h;
	bool force;
	void (*log)(void *ud, const char *line);
	void *ud;
	int council; /* local council identities seen */
	int failed;
};

static int tick_one(void *ud, const char *name, const uint8_t pk[32])
{
	struct tick_all *t = ud;
	uint8_t acct[32];
	char what[200], line[800];
	struct mv_err e;
	account_of_key(t->h->st, pk, acct);
	if (!council_is_member(t->h->st, acct))
		return 0;
	t->council++;
	if (home_checkpoint_tick(t->h, name, t->force, what, sizeof what, &e) != MV_OK) {
		snprintf(line, sizeof line, "checkpoint as %s failed: %s", name, e.msg);
		t->failed++;
	} else {
		snprintf(line, sizeof line, "checkpoint as %s: %s", name, what);
	}
	if (t->log)
		t->log(t->ud, line);
	return 0;
}

void cli_chain_tick_all(struct home *h, bool force, void (*log)(void *ud, const char *line), void *ud)
{
	struct tick_all t = {h, force, log, ud, 0, 0};
	keystore_list(h->keydir, tick_one, &t, NULL);
}

static void chain_print(void *ud, const char *line)
{
	json_t *list = ud;
	if (list)
		json_array_append_new(list, json_string(line));
	else
		printf("%s\n", line);
}

static bool chain_forced(const struct cli *c)
{
	for (int k = 0; c->cmd->opts && c->cmd->opts[k].name; k++)
		if (strcmp(c->cmd->opts[k].name, "--force") == 0)
			return c->optset[k];
	return false;
}

int cli_chain_checkpoint(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (cli_open_home(&c->o, false, &c->h, &c->err) != MV_OK)
		return cli_report(c->o.json, c->err.msg);
	if (!c->h->has_network)
		return cli_report(c->o.json, "this home has no network yet");
	json_t *list = c->o.json ? json_array() : NULL;
	struct tick_all t = {c->h, chain_forced(c), chain_print, list, 0, 0};
	if (c->o.as) {
		char what[200];
		if (home_checkpoint_tick(c->h, c->o.as, t.force, what, sizeof what, &c->err) != MV_OK) {
			json_decref(list);
			return cli_report(c->o.json, c->err.msg);
		}
		chain_print(list, what);
		t.council = 1;
	} else {
		keystore_list(c->h->keydir, tick_one, &t, NULL);
	}
	if (t.council == 0) {
		json_decref(list);
		return cli_report(c->o.json, "no local identity is a council member");
	}
	if (list)
		return cli_json_print(json_pack("{s:o}", "steps", list));
	return t.failed ? CLI_EXIT_ERR : CLI_EXIT_OK;
}

static int epoch_row(void *ud, const struct q_epoch *r)
{
	json_t *list = ud;
	char hex[65], t[32];
	cli_hex32(hex, r->root);
	mv_time_format_utc(t, sizeof t, r->time);
	if (list) {
		json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:I, s:s, s:b}", "epoch",
						      (json_int_t)r->epoch, "time", (json_int_t)r->time,
						      "time_utc", t, "ops", (json_int_t)r->ops, "root", hex,
						      "root_matches", r->root_matches));
		return 0;
	}
	printf("%-6lld %s %8lld  %.16s…  %s\n", (long long)r->epoch, t, (long long)r->ops, hex,
	       r->root_matches ? "root matches" : "ROOT DIFFERS FROM THIS NODE");
	return 0;
}

int cli_chain_show_checkpoints(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct q_finality f;
	if (cli_open_home(&c->o, false, &c->h, &c->err) != MV_OK ||
	    query_finality(c->h->st, &f, &c->err) != MV_OK)
		return cli_report(c->o.json, c->err.msg);
	json_t *list = c->o.json ? json_array() : NULL;
	if (!list) {
		printf("final epochs: %lld; tentative ops: %lld; next epoch: %lld of %lld signatures\n",
		       (long long)f.last_epoch, (long long)f.tentative_ops, (long long)f.next_signatures,
		       (long long)f.threshold);
		if (f.last_epoch)
			printf("EPOCH  CLOSED               OPS    ROOT\n");
	}
	if (query_epochs(c->h->st, epoch_row, list, &c->err) != MV_OK) {
		json_decref(list);
		return cli_report(c->o.json, c->err.msg);
	}
	if (list)
		return cli_json_print(json_pack("{s:I, s:I, s:I, s:I, s:o}", "last_epoch",
						(json_int_t)f.last_epoch, "tentative_ops",
						(json_int_t)f.tentative_ops, "next_signatures",
						(json_int_t)f.next_signatures, "threshold",
						(json_int_t)f.threshold, "epochs", list));
	return CLI_EXIT_OK;
}
