/* cli_gov.h - the governance commands of the CLI (cli_gov.c): proposals
 * and votes (`propose`, `vote`, `delegate`, `undelegate`), peer-support
 * groups (`group create|join|apply|leave|invite|approve|decline|remove|
 * moderator|share-keys|post|helpful`), compliance (`compliance check`, `export-my-data`)
 * and the `show` views proposals, proposal, groups, group and
 * compliance-report. cli.c lists them with one macro row in its command
 * table (CLI_GOV_COMMANDS), its view table (CLI_GOV_VIEWS) and the show
 * options (CLI_GOV_SHOW_OPTS), so the help text lives here with the code.
 * Every query goes through core/query_gov.h, every post through
 * core/home_groups.h: no SQL and no crypto here. */
#ifndef MV_CLI_GOV_H
#define MV_CLI_GOV_H

#include "ui/cli_priv.h"

int cli_gov_propose(struct cli *c, int argc, char **argv);
int cli_gov_vote(struct cli *c, int argc, char **argv);
int cli_gov_execute(struct cli *c, int argc, char **argv);
int cli_gov_withdraw(struct cli *c, int argc, char **argv);
int cli_gov_delegate(struct cli *c, int argc, char **argv);
int cli_gov_undelegate(struct cli *c, int argc, char **argv);
int cli_gov_group(struct cli *c, int argc, char **argv);
int cli_gov_compliance(struct cli *c, int argc, char **argv);
int cli_gov_export(struct cli *c, int argc, char **argv);

int cli_gov_show_proposals(struct cli *c, int argc, char **argv);
int cli_gov_show_proposal(struct cli *c, int argc, char **argv);
int cli_gov_show_groups(struct cli *c, int argc, char **argv);
int cli_gov_show_group(struct cli *c, int argc, char **argv);
int cli_gov_show_report(struct cli *c, int argc, char **argv);

extern const struct cli_opt cli_gov_propose_opts[], cli_gov_vote_opts[], cli_gov_group_opts[],
	cli_gov_compliance_opts[];

#define CLI_GOV_COMMANDS \
	{"propose", "put typed actions to a vote (platform or group proposal)", \
	 "KIND TITLE [--description D] [--group G] [--action 'TYPE FIELD=VALUE ...']...", \
	 "KIND is param, treasury, council, upgrade, rewards, text or group (with\n" \
	 "--group). A text proposal has no actions; the others take one --action\n" \
	 "per typed action, in the order they will run, up to gov_max_actions\n" \
	 "(10 in the default genesis; more is refused before anything is signed):\n" \
	 "  --action 'param.set name=gov_quorum_bp value=500' \\\n" \
	 "  --action 'param.set name=gov_voting_period value=864000000'\n" \
	 "Every action must be of the proposal's kind. A value with spaces goes in\n" \
	 "double quotes: --action 'treasury.pay to=ana amount=150 purpose=\"clinic\n" \
	 "grant\"'. `op --help gov.propose` lists the action types and their\n" \
	 "fields. Voting opens after gov_voting_delay and lasts gov_voting_period\n" \
	 "(group proposals: gov_group_*); see `show proposal ID`.", \
	 cli_gov_propose_opts, 2, 2, cli_gov_propose, NULL}, \
	{"vote", "vote for, against or abstain on a proposal", "PROPOSAL for|against|abstain", \
	 "PROPOSAL is an id or its first 6+ hex digits (see `show proposals`). A vote may\n" \
	 "be changed until voting ends; refused (exit 3) before voting opens, after it\n" \
	 "closes, or without voting power at the proposal's snapshot.", \
	 cli_gov_vote_opts, 2, 2, cli_gov_vote, NULL}, \
	{"execute", "run a succeeded proposal's actions after its timelock", "PROPOSAL", \
	 "Anyone may execute a queued proposal once its timelock has passed and before it\n" \
	 "expires (gov_grace). Its actions run in order, all or nothing: one that fails\n" \
	 "rejects the whole execution (exit 3) with that action's reason.", \
	 NULL, 1, 1, cli_gov_execute, NULL}, \
	{"withdraw", "cancel your own proposal before its voting opens", "PROPOSAL", \
	 "Only the proposer, only while the proposal is pending (gov.cancel).", \
	 NULL, 1, 1, cli_gov_withdraw, NULL}, \
	{"delegate", "let another member vote with your voting power", "ACCOUNT", \
	 "Revocable with `undelegate`. Refused when it would make a delegation cycle.", \
	 NULL, 1, 1, cli_gov_delegate, NULL}, \
	{"undelegate", "take your delegated voting power back", "", "", NULL, 0, 0, \
	 cli_gov_undelegate, NULL}, \
	{"group", "peer-support groups: create, join, apply, leave, moderate, share keys, post", \
	 "create NAME [--topic T] [--charter T] [--policy P] [--invite A,B] |" \
	 " join|leave|share-keys GROUP | apply GROUP [--message T] |" \
	 " invite|approve|decline GROUP ACCOUNT |" \
	 " remove GROUP MEMBER [--reason T] | moderator GROUP MEMBER [--off] |" \
	 " post GROUP --text T | helpful GROUP POST", \
	 "GROUP is a group name or id prefix (see `show groups`). join joins an open\n" \
	 "group or accepts an invitation; apply asks to join a group that admits by\n" \
	 "application, for a moderator to approve or decline; its --message is\n" \
	 "encrypted to the group's moderators of the moment. A post is encrypted\n" \
	 "with the group's current key: only members holding it can read it. A new\n" \
	 "member gets the key when a member runs `group share-keys GROUP` (approve\n" \
	 "shares it at once); after a member leaves or is removed the key rotates\n" \
	 "(remove rotates it at once, share-keys or the next post otherwise), so they\n" \
	 "cannot read later posts. moderator appoints a member; --off steps down.\n" \
	 "helpful marks another member's post (its id prefix in `show group`) for\n" \
	 "its author's community reputation.", \
	 cli_gov_group_opts, 2, 3, cli_gov_group, NULL}, \
	{"compliance", "what a jurisdiction's rules say about an op kind", \
	 "check OP_KIND --jurisdiction J", \
	 "J is a rule code (US, EU, UK, CA) or a jurisdiction (DE-BE, US-CA, GB).", \
	 cli_gov_compliance_opts, 2, 2, cli_gov_compliance, NULL}, \
	{"export-my-data", "write everything you may read, decrypted, as JSON files", "DIR", \
	 "Right of access and portability: one JSON file per kind of data, mode 0600.", \
	 NULL, 1, 1, cli_gov_export, NULL},

#define CLI_GOV_VIEWS \
	{"proposals", "", "proposals: state, countdown, tally", 0, cli_gov_show_proposals}, \
	{"proposal", "ID", "one proposal: state, countdowns, actions, tally, who voted", 1, \
	 cli_gov_show_proposal}, \
	{"groups", "", "peer-support groups: members, posts, your membership", 0, \
	 cli_gov_show_groups}, \
	{"group", "GROUP", "one group: members, invitations, applications, posts (decrypted where " \
	 "you can)", 1, \
	 cli_gov_show_group}, \
	{"compliance-report", "[--from DATE] [--to DATE]", \
	 "access audit, data requests, erasures and retention actions", 0, cli_gov_show_report},

#define CLI_GOV_SHOW_OPTS \
	{"--to", "DATE", "compliance-report: up to this date (default: now)"},

#endif
