/* cli_econ.h - the economy commands of the CLI (cli_econ.c): `stake`,
 * `claim`, `unstake`, `treasury propose|sign|cancel`, and the `show` views
 * of the economy contracts (stakes, pool, voting-power, treasury,
 * reputation, rewards). cli.c lists them with one macro row in its command
 * table (CLI_ECON_COMMANDS) and one in its view table (CLI_ECON_VIEWS), so
 * the help text lives here with the code.
 *
 * Stakes and treasury spends may be named by the first 6+ hex digits of
 * their id. Times show in the viewer's local zone (TZ). */
#ifndef MV_CLI_ECON_H
#define MV_CLI_ECON_H

#include "ui/cli_priv.h"

int cli_econ_stake(struct cli *c, int argc, char **argv);
int cli_econ_claim(struct cli *c, int argc, char **argv);
int cli_econ_unstake(struct cli *c, int argc, char **argv);
int cli_econ_treasury(struct cli *c, int argc, char **argv);

/* `show` views; argv holds the view's arguments (after the view name). */
int cli_econ_show_stakes(struct cli *c, int argc, char **argv);
int cli_econ_show_pool(struct cli *c, int argc, char **argv);
int cli_econ_show_voting_power(struct cli *c, int argc, char **argv);
int cli_econ_show_treasury(struct cli *c, int argc, char **argv);
int cli_econ_show_reputation(struct cli *c, int argc, char **argv);
int cli_econ_show_rewards(struct cli *c, int argc, char **argv);

extern const struct cli_opt cli_econ_treasury_opts[];

#define CLI_ECON_COMMANDS \
	{"stake", "lock MVT for 30, 90, 180 or 365 days to earn rewards and votes", "AMOUNT DAYS", \
	 "Prints a preview first (weight, unlock time, estimated rewards at today's totals),\n" \
	 "then signs staking.stake. Longer locks weigh more: 1x, 1.25x, 1.5x, 2x. Rewards\n" \
	 "accrue every moment from the reward pool, shared by weighted stake; claim them\n" \
	 "any time with `claim`, take the stake back after the lock with `unstake`. See\n" \
	 "`show stakes` and `show pool`. Exit 3 when the contract refuses (e.g. below\n" \
	 "the minimum stake).", NULL, 2, 2, cli_econ_stake, NULL}, \
	{"claim", "collect the rewards a stake has accrued", "[STAKE]", \
	 "STAKE is a stake id (or its first 6+ hex digits; see `show stakes`). Without\n" \
	 "STAKE, claims every open stake of yours that has something to claim.", \
	 NULL, 0, 1, cli_econ_claim, NULL}, \
	{"unstake", "take a stake back after its lock ends (with its rewards)", "STAKE", \
	 "Returns the principal and pays what the stake has accrued. Refused (exit 3)\n" \
	 "before the unlock time shown by `show stakes`.", NULL, 1, 1, cli_econ_unstake, NULL}, \
	{"treasury", "council spends from the treasury: propose, sign, cancel", \
	 "propose TO AMOUNT PURPOSE [--nonce N] | sign SPEND | cancel SPEND", \
	 "A council member proposes a spend up to treasury_council_limit; it is paid when\n" \
	 "council_threshold members have signed (the proposer's signature counts), and\n" \
	 "expires after treasury_spend_ttl. Each (proposer, nonce) is single-use, so a\n" \
	 "spend can never be replayed; without --nonce the next unused one is taken.\n" \
	 "The purpose is public. SPEND is an id or its first 6+ hex digits (see `show\n" \
	 "treasury`). Larger payments need a governance proposal.", \
	 cli_econ_treasury_opts, 2, 4, cli_econ_treasury, NULL},

#define CLI_ECON_VIEWS \
	{"stakes", "[ACCOUNT]", "stakes: lock end, accrued rewards now, claimed (default: you)", -1, \
	 cli_econ_show_stakes}, \
	{"pool", "", "the reward pool: balance, owed to stakers, emission, estimates", 0, \
	 cli_econ_show_pool}, \
	{"voting-power", "[ACCOUNT]", "weighted stake plus the reputation bonus", -1, \
	 cli_econ_show_voting_power}, \
	{"treasury", "", "treasury balance, history and council spends with signers", 0, \
	 cli_econ_show_treasury}, \
	{"reputation", "[ACCOUNT]", "trust score, why (component by component) and history", -1, \
	 cli_econ_show_reputation}, \
	{"rewards", "[ACCOUNT]", "rewards received: sessions, community, staking", -1, \
	 cli_econ_show_rewards},

#endif
