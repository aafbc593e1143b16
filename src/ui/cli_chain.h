/* cli_chain.h - finality commands of the CLI (cli_chain.c): `checkpoint`
 * (a council member's node proposes or co-signs the next checkpoint) and
 * `show checkpoints`. cli.c lists them with the rows CLI_CHAIN_COMMANDS and
 * CLI_CHAIN_VIEWS. */
#ifndef MV_CLI_CHAIN_H
#define MV_CLI_CHAIN_H

#include "ui/cli_priv.h"

int cli_chain_checkpoint(struct cli *c, int argc, char **argv);
int cli_chain_show_checkpoints(struct cli *c, int argc, char **argv);
/* One checkpoint step for every local council identity (serve calls it);
 * log receives one line per identity that did something. */
void cli_chain_tick_all(struct home *h, bool force, void (*log)(void *ud, const char *line),
			void *ud);

extern const struct cli_opt cli_chain_checkpoint_opts[];

#define CLI_CHAIN_COMMANDS \
	{"checkpoint", "propose or co-sign the next checkpoint (council)", "[--force]", \
	 "For the identity given with --as (default: every local council identity):\n" \
	 "co-sign the proposal for the next epoch if this node's state at that point\n" \
	 "has the same root, else propose one when checkpoint_every_ops ops or\n" \
	 "checkpoint_every time have passed since the last final epoch (--force: now).\n" \
	 "When council_threshold members have signed, the epoch is final. `serve` does\n" \
	 "this on every gossip round.", \
	 cli_chain_checkpoint_opts, 0, 0, cli_chain_checkpoint, NULL},

#define CLI_CHAIN_VIEWS \
	{"checkpoints", "", "final epochs, their signed roots, and progress of the next one", 0, \
	 cli_chain_show_checkpoints},

#endif
