/* governance.c - proposals, votes, delegation and execution: how DAO
 * members change the platform (parameters, treasury spends, the council,
 * protocol upgrades, community rewards, text resolutions) and how members of
 * a peer-support group decide about their group (admit or remove a member,
 * moderators, group rules, the group's MVT).
 *
 * The proposal state machine (gov.h names every state; docs/contracts/
 * governance.md draws it):
 *
 *   gov.propose ──> PENDING ──(vote_start)──> ACTIVE ──(vote_end, or an
 *      │                                         │     absolute majority)
 *      └─ gov.cancel (proposer, before vote_start) ──> CANCELED
 *                                                 ├──> DEFEATED
 *                                                 └──> QUEUED ──(eta)── gov.execute ──> EXECUTED
 *                                                         └──(eta + grace)──> EXPIRED
 *
 * Nothing but ops changes state, and a proposal needs no op to move along:
 * its state is a function of the stored facts (times fixed at creation,
 * tallies, an early decision, cancellation, execution) and the effective
 * time. A proposal that succeeded is queued at once (there is no separate
 * queue op: Governor's queue step only let a passed proposal sit unqueued).
 *
 * Voting power is a snapshot at `snapshot` = created - 1 ms: stakes open
 * then (stakes keep start and close times), reputation events up to then,
 * delegations in force then, group membership then. Tokens staked or moved
 * after a proposal opens carry no weight on it, and each stake counts once:
 * the same tokens cannot be in two open stakes at the same instant. The
 * total is summed over every stake owner at creation; a voter's power is
 * computed the same way at their first vote and kept.
 *
 * Rules: one vote per voter (for / against / abstain), changeable while the
 * proposal is ACTIVE; quorum = (for + abstain) >= quorum_bp of the total;
 * pass = for > threshold_bp of (for + against); thresholds by kind (simple
 * majority; gov_majority_treasury_bp for treasury spends from
 * gov_treasury_mid to gov_treasury_large; gov_majority_constitutional_bp
 * for council, parameters, upgrades and larger spends). Voting closes early
 * as soon as the outcome cannot change: for > threshold_bp of ALL voting
 * power (an absolute majority for simple proposals, as in ICP's NNS), or
 * against so large that the rest could not pass it. Execution (by anyone,
 * from eta) runs every typed action through the same code as the rest of
 * the system (param_set, treasury_pay, the council table, upgrades,
 * rewards_distribute, group actions) inside the op's savepoint: one failing
 * action rejects the execution, nothing of it stays, and it may be retried
 * until the proposal expires. Tables: gov_proposals, gov_actions, gov_votes,
 * gov_delegations. */
#include "gov_int.h"
#include "../economy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS INT64_C(86400000)
#define GOV_MAX_CHAIN 16      /* delegation hops */
#define GOV_HARD_MAX_ACTIONS 64
#define GOV_TITLE_MAX 120
#define GOV_DESCRIPTION_MAX 4000

typedef __int128 i128;

static const struct migration governance_migrations[] = {
	{1, "CREATE TABLE gov_proposals(id BLOB PRIMARY KEY, proposer BLOB NOT NULL,"
	    "  scope TEXT NOT NULL, grp BLOB NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,"
	    "  description TEXT NOT NULL, created INTEGER NOT NULL, snapshot INTEGER NOT NULL,"
	    "  vote_start INTEGER NOT NULL, vote_end INTEGER NOT NULL, timelock INTEGER NOT NULL,"
	    "  grace INTEGER NOT NULL, quorum_bp INTEGER NOT NULL, threshold_bp INTEGER NOT NULL,"
	    "  total_power INTEGER NOT NULL, for_power INTEGER NOT NULL DEFAULT 0,"
	    "  against_power INTEGER NOT NULL DEFAULT 0, abstain_power INTEGER NOT NULL DEFAULT 0,"
	    "  voters INTEGER NOT NULL DEFAULT 0, decided_at INTEGER, decided_pass INTEGER,"
	    "  canceled_at INTEGER, executed_at INTEGER, executed_op BLOB,"
	    "  nactions INTEGER NOT NULL);"
	    "CREATE INDEX gov_proposals_by_proposer ON gov_proposals(proposer, grp, vote_end);"
	    "CREATE INDEX gov_proposals_by_created ON gov_proposals(created, id);"
	    "CREATE TABLE gov_actions(proposal BLOB NOT NULL, idx INTEGER NOT NULL,"
	    "  type TEXT NOT NULL, body BLOB NOT NULL, PRIMARY KEY(proposal, idx));"
	    "CREATE TABLE gov_votes(proposal BLOB NOT NULL, voter BLOB NOT NULL,"
	    "  choice TEXT NOT NULL, power INTEGER NOT NULL, first_op BLOB NOT NULL,"
	    "  first_time INTEGER NOT NULL, op BLOB NOT NULL, time INTEGER NOT NULL,"
	    "  changes INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '',"
	    "  PRIMARY KEY(proposal, voter));"
	    "CREATE TABLE gov_delegations(delegator BLOB NOT NULL, op BLOB NOT NULL,"
	    "  delegate BLOB NOT NULL, start INTEGER NOT NULL, end_at INTEGER, end_op BLOB,"
	    "  PRIMARY KEY(delegator, op));"
	    "CREATE INDEX gov_delegations_to ON gov_delegations(delegate, start);"
	    "CREATE INDEX gov_delegations_from ON gov_delegations(delegator, start);"},
	{0, NULL},
};

static const char *const state_names[GOV__COUNT] = {
	[GOV_PENDING] = "pending",   [GOV_ACTIVE] = "active",     [GOV_CANCELED] = "canceled",
	[GOV_DEFEATED] = "defeated", [GOV_QUEUED] = "queued",     [GOV_EXECUTED] = "executed",
	[GOV_EXPIRED] = "expired",
};

const char *gov_state_name(enum gov_state s)
{
	return (unsigned)s < GOV__COUNT ? state_names[s] : "?";
}

static void fmt_time(char out[32], int64_t ms)
{
	mv_time_format_utc(out, 32, ms);
}

static void fmt_mvt(char *out, size_t n, int64_t v)
{
	char a[40];
	mv_amount_format(a, sizeof a, v);
	snprintf(out, n, "%s MVT", a);
}

/* ---- outcome arithmetic (128-bit: power x 10000 can exceed int64) -------- */

static bool quorum_met(const struct gov_proposal *p)
{
	return ((i128)p->for_power + p->abstain_power) * 10000 >= (i128)p->quorum_bp * p->total_power;
}

static bool threshold_met(const struct gov_proposal *p)
{
	return (i128)p->for_power * 10000 > (i128)p->threshold_bp * ((i128)p->for_power + p->against_power);
}

/* Early decision: +1 certain to pass, -1 certain to fail, 0 open. */
static int early_outcome(const struct gov_proposal *p)
{
	if (p->total_power <= 0)
		return 0;
	if ((i128)p->for_power * 10000 > (i128)p->threshold_bp * p->total_power && quorum_met(p))
		return 1;
	if ((i128)p->against_power * 10000 >= (i128)(10000 - p->threshold_bp) * p->total_power)
		return -1;
	return 0;
}

/* Fill the derived fields of p at now. */
static void derive(struct gov_proposal *p, int64_t now, bool decided_pass)
{
	char t[32];
	p->quorum_reached = quorum_met(p);
	if (p->canceled_at) {
		p->state = GOV_CANCELED;
		fmt_time(t, p->canceled_at);
		snprintf(p->why, sizeof p->why, "canceled by the proposer at %s", t);
		return;
	}
	if (now < p->vote_start) {
		p->state = GOV_PENDING;
		fmt_time(t, p->vote_start);
		snprintf(p->why, sizeof p->why, "voting opens at %s", t);
		return;
	}
	if (!p->decided_at && now < p->vote_end) {
		p->state = GOV_ACTIVE;
		fmt_time(t, p->vote_end);
		snprintf(p->why, sizeof p->why, "voting until %s", t);
		return;
	}
	p->closed_at = p->decided_at ? p->decided_at : p->vote_end;
	p->succeeded = p->decided_at ? decided_pass : (p->quorum_reached && threshold_met(p));
	if (!p->succeeded) {
		p->state = GOV_DEFEATED;
		if (!p->quorum_reached) {
			int64_t q = 0;
			mv_muldiv_i64(p->total_power, p->quorum_bp, 10000, &q);
			snprintf(p->why, sizeof p->why, "%squorum not met: for + abstain %lld of %lld "
				 "needed (%lld.%02lld%% of %lld)", p->decided_at ? "decided early: " : "",
				 (long long)(p->for_power + p->abstain_power),
				 (long long)q, (long long)(p->quorum_bp / 100),
				 (long long)(p->quorum_bp % 100), (long long)p->total_power);
		} else {
			snprintf(p->why, sizeof p->why, "%sbelow the threshold: for %lld, against %lld "
				 "(needs more than %lld.%02lld%% for)", p->decided_at ? "decided early: " : "",
				 (long long)p->for_power, (long long)p->against_power,
				 (long long)(p->threshold_bp / 100), (long long)(p->threshold_bp % 100));
		}
		return;
	}
	p->eta = p->closed_at + p->timelock;
	p->expires = p->eta + p->grace;
	if (p->executed_at) {
		p->state = GOV_EXECUTED;
		fmt_time(t, p->executed_at);
		snprintf(p->why, sizeof p->why, "executed at %s", t);
	} else if (now >= p->expires) {
		p->state = GOV_EXPIRED;
		fmt_time(t, p->expires);
		snprintf(p->why, sizeof p->why, "succeeded but not executed before %s", t);
	} else {
		p->state = GOV_QUEUED;
		fmt_time(t, now < p->eta ? p->eta : p->expires);
		snprintf(p->why, sizeof p->why, now < p->eta ? "succeeded%s; timelock until %s"
							     : "succeeded%s; executable until %s",
			 p->decided_at ? " early" : "", t);
	}
}

int gov_proposal_get(struct store *st, const uint8_t id[32], int64_t now, struct gov_proposal *p,
		     struct mv_err *err)
{
	static const char sql[] =
		"SELECT proposer, scope, grp, kind, title, created, snapshot, vote_start, vote_end,"
		" timelock, grace, quorum_bp, threshold_bp, total_power, for_power, against_power,"
		" abstain_power, voters, coalesce(decided_at, 0), coalesce(decided_pass, 0),"
		" coalesce(canceled_at, 0), coalesce(executed_at, 0), nactions"
		" FROM gov_proposals WHERE id = ?";
	memset(p, 0, sizeof *p);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	bool pass = false;
	if (rc == SQLITE_ROW) {
		int c = 0;
		memcpy(p->id, id, 32);
		memcpy(p->proposer, sqlite3_column_blob(s, c++), 32);
		p->group_scope = strcmp((const char *)sqlite3_column_text(s, c++), "group") == 0;
		memcpy(p->group, sqlite3_column_blob(s, c++), 32);
		snprintf(p->kind, sizeof p->kind, "%s", (const char *)sqlite3_column_text(s, c++));
		snprintf(p->title, sizeof p->title, "%s", (const char *)sqlite3_column_text(s, c++));
		int64_t *ints[] = {&p->created, &p->snapshot, &p->vote_start, &p->vote_end,
				   &p->timelock, &p->grace, &p->quorum_bp, &p->threshold_bp,
				   &p->total_power, &p->for_power, &p->against_power,
				   &p->abstain_power, &p->voters, &p->decided_at};
		for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
			*ints[i] = sqlite3_column_int64(s, c++);
		pass = sqlite3_column_int(s, c++) != 0;
		p->canceled_at = sqlite3_column_int64(s, c++);
		p->executed_at = sqlite3_column_int64(s, c++);
		p->nactions = sqlite3_column_int64(s, c++);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return MV_ENOTFOUND;
	if (rc != SQLITE_ROW)
		return store_sqlerr(st, err, "gov_proposals");
	derive(p, now, pass);
	return MV_OK;
}

/* ---- delegation and voting power ----------------------------------------- */

bool gov_delegate_at(struct store *st, const uint8_t who[32], int64_t t, uint8_t to[32])
{
	static const char sql[] = "SELECT delegate FROM gov_delegations WHERE delegator = ?1"
				  " AND start <= ?3 AND (end_at IS NULL OR end_at > ?3)"
				  " ORDER BY start DESC, op LIMIT 1";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, who, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, t);
	bool yes = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 32;
	if (yes)
		memcpy(to, sqlite3_column_blob(s, 0), 32);
	sqlite3_reset(s);
	return yes;
}

static bool ids_has(const struct gov_ids *l, const uint8_t id[32])
{
	for (size_t i = 0; i < l->n; i++)
		if (memcmp(l->v[i], id, 32) == 0)
			return true;
	return false;
}

static int64_t sat_add(int64_t a, int64_t b)
{
	int64_t r;
	return mv_add_i64(a, b, &r) ? r : INT64_MAX;
}

/* Platform power of voter at t: its own (unless it delegated) plus that of
 * every account whose delegation chain at t ends at it. */
static int64_t platform_power(struct store *st, const uint8_t voter[32], int64_t t, char *why,
			      size_t whylen)
{
	static const char sql[] = "SELECT delegator FROM gov_delegations WHERE delegate = ?1"
				  " AND start <= ?3 AND (end_at IS NULL OR end_at > ?3) ORDER BY delegator";
	uint8_t to[32];
	char hx[13];
	if (whylen)
		why[0] = '\0';
	if (gov_delegate_at(st, voter, t, to)) {
		gov_short(hx, to);
		snprintf(why, whylen, "your voting power was delegated to %s at the proposal's snapshot",
			 hx);
		return 0;
	}
	struct gov_ids seen = {0};
	int64_t sum = staking_voting_power(st, voter, t);
	if (gov_ids_push(&seen, voter) != MV_OK)
		return 0;
	for (size_t i = 0; i < seen.n; i++) {
		struct gov_ids from = {0};
		if (gov_ids_collect(st, sql, seen.v[i], NULL, true, t, &from, NULL) != MV_OK) {
			gov_ids_free(&from);
			break;
		}
		for (size_t k = 0; k < from.n; k++) {
			if (ids_has(&seen, from.v[k]) || gov_ids_push(&seen, from.v[k]) != MV_OK)
				continue;
			sum = sat_add(sum, staking_voting_power(st, from.v[k], t));
		}
		gov_ids_free(&from);
	}
	gov_ids_free(&seen);
	if (sum <= 0)
		snprintf(why, whylen, "no voting power at the proposal's snapshot (nothing staked then, "
			 "nothing delegated to you)");
	return sum;
}

int64_t gov_vote_power(struct store *st, const struct gov_proposal *p, const uint8_t voter[32],
		       char *why, size_t whylen)
{
	struct group_info g;
	if (why && whylen)
		why[0] = '\0';
	if (!p->group_scope)
		return platform_power(st, voter, p->snapshot, why, whylen);
	if (!groups_member_at(st, p->group, voter, p->snapshot)) {
		snprintf(why, whylen, "not a member of the group at the proposal's snapshot");
		return 0;
	}
	if (groups_get(st, p->group, &g, NULL) != MV_OK || !g.stake_weighted)
		return 1;
	int64_t v = staking_voting_power(st, voter, p->snapshot);
	if (v <= 0)
		snprintf(why, whylen, "no staking voting power at the proposal's snapshot "
			 "(this group's votes are stake-weighted)");
	return v;
}

/* Every stake owner's power at t, summed (platform total). */
static int platform_total(struct apply_ctx *ctx, int64_t t, int64_t *out)
{
	static const char sql[] = "SELECT DISTINCT owner FROM stakes WHERE start <= ?3"
				  " AND (closed_at IS NULL OR closed_at > ?3) ORDER BY owner";
	struct gov_ids owners = {0};
	*out = 0;
	if (gov_ids_collect(ctx->st, sql, NULL, NULL, true, t, &owners, &ctx->err) != MV_OK)
		return MV_ERR;
	for (size_t i = 0; i < owners.n; i++)
		*out = sat_add(*out, staking_voting_power(ctx->st, owners.v[i], t));
	gov_ids_free(&owners);
	return MV_OK;
}

static int group_total(struct apply_ctx *ctx, const struct group_info *g, int64_t t, int64_t *out)
{
	struct gov_ids m = {0};
	*out = 0;
	if (groups_members_at(ctx->st, g->id, t, &m, &ctx->err) != MV_OK)
		return MV_ERR;
	for (size_t i = 0; i < m.n; i++)
		*out = sat_add(*out, g->stake_weighted ? staking_voting_power(ctx->st, m.v[i], t) : 1);
	gov_ids_free(&m);
	return MV_OK;
}

/* ---- typed actions --------------------------------------------------------- */

static int act_account(const struct body *a, const char *field, uint8_t out[32])
{
	struct mv_err e;
	return body_id(a, field, out, &e);
}

static int64_t act_int(const struct body *a, const char *field, int64_t dflt)
{
	int64_t v;
	struct mv_err e;
	return body_int(a, field, &v, &e) == MV_OK ? v : dflt;
}

static void act_str(const struct body *a, const char *field, char *out, size_t n)
{
	struct mv_err e;
	if (body_str(a, field, out, n, &e) != MV_OK)
		out[0] = '\0';
}

/* Parameters governance may not change (fixed at genesis, or changed by
 * their own action type). */
static const char *const param_fixed[] = {
	"protocol_version", "mvt_decimals", "mvt_supply", "alloc_founder", "alloc_treasury",
	"alloc_rewards", "council_threshold", NULL,
};

struct param_bound {
	const char *name;
	int64_t min, max;
};
static const struct param_bound param_bounds[] = {
	{"fee_transfer_bp", 0, 10000},
	{"fee_platform_bp", 0, 10000},
	{"gov_proposal_threshold", 0, INT64_MAX},
	{"gov_voting_delay", 0, 90 * DAY_MS},
	{"gov_voting_period", 3600000, 90 * DAY_MS},
	{"gov_quorum_bp", 1, 10000},
	{"gov_timelock", 0, 90 * DAY_MS},
	{"gov_grace", 3600000, 365 * DAY_MS},
	{"gov_max_actions", 1, GOV_HARD_MAX_ACTIONS},
	{"gov_majority_treasury_bp", 5000, 9999},
	{"gov_majority_constitutional_bp", 5000, 9999},
	{"gov_treasury_mid", 0, INT64_MAX},
	{"gov_treasury_large", 0, INT64_MAX},
	{"gov_group_voting_delay", 0, 90 * DAY_MS},
	{"gov_group_voting_period", 3600000, 90 * DAY_MS},
	{"gov_group_timelock", 0, 90 * DAY_MS},
	{"gov_group_quorum_bp", 0, 10000},
	{"stake_weight_30_bp", 1, 100000},
	{"stake_weight_90_bp", 1, 100000},
	{"stake_weight_180_bp", 1, 100000},
	{"stake_weight_365_bp", 1, 100000},
	{"stake_voting_rep_bonus_bp", 0, 1000000},
	{"cancel_late_refund_bp", 0, 10000},
	{"rate_limit_per_hour", 0, 1000000},
	{NULL, 0, 0},
};

bool gov_param_settable(struct store *st, const char *name, int64_t v, char *why, size_t whylen)
{
	for (const char *const *f = param_fixed; *f; f++)
		if (strcmp(*f, name) == 0) {
			snprintf(why, whylen, "parameter %s cannot be changed by param.set%s", name,
				 strcmp(name, "council_threshold") == 0 ? " (use council.threshold)"
				 : strcmp(name, "protocol_version") == 0 ? " (use upgrade.activate)" : "");
			return false;
		}
	for (const struct param_bound *b = param_bounds; b->name; b++)
		if (strcmp(b->name, name) == 0) {
			if (v >= b->min && v <= b->max)
				return true;
			snprintf(why, whylen, "parameter %s must be within %lld..%lld", name,
				 (long long)b->min, (long long)b->max);
			return false;
		}
	if (param_get(st, name, INT64_MIN) == INT64_MIN) {
		snprintf(why, whylen, "unknown parameter %s", name);
		return false;
	}
	if (v < 0) {
		snprintf(why, whylen, "parameter %s must not be negative", name);
		return false;
	}
	return true;
}

static int check_param(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	char name[40], why[160];
	act_str(a, "name", name, sizeof name);
	if (!gov_param_settable(ctx->st, name, act_int(a, "value", 0), why, sizeof why))
		return ctx_reject(ctx, "%s", why);
	return MV_OK;
}

static int exec_param(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	char name[40];
	int rc = check_param(ctx, p, a);
	if (rc != MV_OK)
		return rc;
	act_str(a, "name", name, sizeof name);
	/* the old staking rate and weights apply up to the change */
	if (strncmp(name, "stake_", 6) == 0 && (rc = staking_checkpoint(ctx)) != MV_OK)
		return rc;
	return param_set(ctx->st, name, act_int(a, "value", 0), &ctx->err);
}

static int exec_treasury(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	uint8_t to[32];
	char purpose[160];
	act_account(a, "to", to);
	act_str(a, "purpose", purpose, sizeof purpose);
	return treasury_pay(ctx, to, act_int(a, "amount", 0), purpose);
}

static int check_treasury(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	uint8_t to[32], treasury[32];
	char purpose[160];
	act_account(a, "to", to);
	act_str(a, "purpose", purpose, sizeof purpose);
	op_system_account(treasury, SYS_TREASURY);
	if (memcmp(to, treasury, 32) == 0)
		return ctx_reject(ctx, "the treasury cannot pay itself");
	if (!purpose[0])
		return ctx_reject(ctx, "a treasury payment needs a purpose");
	return MV_OK;
}

static int check_council_add(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	uint8_t m[32];
	act_account(a, "member", m);
	if (council_is_member(ctx->st, m))
		return ctx_reject(ctx, "already a council member");
	if (compliance_erased(ctx->st, m))
		return ctx_reject(ctx, "that account was erased");
	return MV_OK;
}

static int exec_council_add(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	static const char sql[] = "INSERT INTO council(member) VALUES(?)";
	uint8_t m[32];
	int rc = check_council_add(ctx, p, a);
	if (rc != MV_OK)
		return rc;
	act_account(a, "member", m);
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, m, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "council");
}

static int check_council_remove(struct apply_ctx *ctx, const struct gov_proposal *p,
				const struct body *a)
{
	uint8_t m[32];
	act_account(a, "member", m);
	if (!council_is_member(ctx->st, m))
		return ctx_reject(ctx, "not a council member");
	return MV_OK;
}

static int exec_council_remove(struct apply_ctx *ctx, const struct gov_proposal *p,
			       const struct body *a)
{
	static const char sql[] = "DELETE FROM council WHERE member = ?";
	uint8_t m[32];
	int rc = check_council_remove(ctx, p, a);
	if (rc != MV_OK)
		return rc;
	int64_t size = council_size(ctx->st), t = param_get(ctx->st, "council_threshold", 1);
	if (size - 1 < 1)
		return ctx_reject(ctx, "the council cannot be left empty");
	if (size - 1 < t)
		return ctx_reject(ctx, "the council would have %lld members, below its threshold %lld "
				  "(lower it first with council.threshold)", (long long)(size - 1),
				  (long long)t);
	act_account(a, "member", m);
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, m, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "council");
}

static int exec_council_threshold(struct apply_ctx *ctx, const struct gov_proposal *p,
				  const struct body *a)
{
	int64_t t = act_int(a, "threshold", 0), size = council_size(ctx->st);
	if (t < 1 || t > size)
		return ctx_reject(ctx, "council threshold must be between 1 and the council's size %lld",
				  (long long)size);
	return param_set(ctx->st, "council_threshold", t, &ctx->err);
}

static int64_t upgrades_latest(struct store *st)
{
	static const char sql[] = "SELECT max(version) FROM upgrades_schedule";
	int64_t v = gov_int_ids(st, sql, NULL, NULL, false, 0, 0);
	int64_t g = param_get(st, "protocol_version", 1);
	return v > g ? v : g;
}

static int check_upgrade(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	int64_t v = act_int(a, "version", 0), latest = upgrades_latest(ctx->st);
	if (v <= latest)
		return ctx_reject(ctx, "version %lld is not above the active or scheduled version %lld",
				  (long long)v, (long long)latest);
	return MV_OK;
}

static int exec_upgrade(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	return upgrades_activate(ctx, act_int(a, "version", 0), act_int(a, "epoch", 0), p->id);
}

static int check_rewards(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	const struct body_value *acc = body_get(a, "accounts"), *amt = body_get(a, "amounts");
	if (!acc || !amt || acc->n != amt->n || acc->n == 0)
		return ctx_reject(ctx, "accounts and amounts must be non-empty lists of the same length");
	return MV_OK;
}

static int exec_rewards(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	char period[40];
	int rc = check_rewards(ctx, p, a);
	if (rc != MV_OK)
		return rc;
	const struct body_value *acc = body_get(a, "accounts"), *amt = body_get(a, "amounts");
	act_str(a, "period", period, sizeof period);
	uint8_t (*accounts)[32] = calloc(acc->n, 32);
	int64_t *amounts = calloc(acc->n, sizeof *amounts);
	if (!accounts || !amounts) {
		free(accounts);
		free(amounts);
		return mv_fail(&ctx->err, MV_ERR, "out of memory");
	}
	for (size_t i = 0; i < acc->n; i++) {
		memcpy(accounts[i], acc->items[i].p, 32);
		amounts[i] = amt->items[i].i;
	}
	rc = rewards_distribute(ctx, p->id, period, (const uint8_t (*)[32])accounts, amounts, acc->n);
	free(accounts);
	free(amounts);
	return rc;
}

static int exec_group_admit(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	uint8_t m[32];
	act_account(a, "member", m);
	return groups_exec_admit(ctx, p->group, m);
}

static int exec_group_remove(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	uint8_t m[32];
	act_account(a, "member", m);
	return groups_exec_remove(ctx, p->group, m);
}

static int exec_group_moderator(struct apply_ctx *ctx, const struct gov_proposal *p,
				const struct body *a)
{
	uint8_t m[32];
	act_account(a, "member", m);
	return groups_exec_moderator(ctx, p->group, m, act_int(a, "moderator", 0) != 0);
}

static int exec_group_rule(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a)
{
	return groups_exec_rule(ctx, p->group, a);
}

static int exec_group_allocate(struct apply_ctx *ctx, const struct gov_proposal *p,
			       const struct body *a)
{
	uint8_t to[32];
	char purpose[160];
	act_account(a, "to", to);
	act_str(a, "purpose", purpose, sizeof purpose);
	if (!purpose[0])
		return ctx_reject(ctx, "a group allocation needs a purpose");
	return groups_exec_allocate(ctx, p->group, to, act_int(a, "amount", 0), purpose);
}

#define END_FIELDS {NULL, 0, false, 0, 0, 0, NULL, NULL}
#define TYPE_FIELD(t) {"type", F_ENUM, false, 0, 0, 0, t, "the action type"}

static const struct field_spec a_param[] = {
	TYPE_FIELD("param.set"),
	{"name", F_STR, false, 0, 0, 32, NULL, "parameter name (as in genesis)"},
	{"value", F_INT, false, 0, 0, 0, NULL, "new value (amounts in base units, durations in ms)"},
	END_FIELDS,
};
static const struct field_spec a_treasury[] = {
	TYPE_FIELD("treasury.pay"),
	{"to", F_ACCOUNT, false, 0, 0, 0, NULL, "recipient"},
	{"amount", F_AMOUNT, false, 1, INT64_MAX, 0, NULL, "MVT to pay"},
	{"purpose", F_STR, false, 0, 0, 140, NULL, "public purpose"},
	END_FIELDS,
};
static const struct field_spec a_council_member[] = {
	TYPE_FIELD("council.add|council.remove"),
	{"member", F_ACCOUNT, false, 0, 0, 0, NULL, "the account"},
	END_FIELDS,
};
static const struct field_spec a_council_threshold[] = {
	TYPE_FIELD("council.threshold"),
	{"threshold", F_INT, false, 1, 1000, 0, NULL, "signatures needed (1..council size)"},
	END_FIELDS,
};
static const struct field_spec a_upgrade[] = {
	TYPE_FIELD("upgrade.activate"),
	{"version", F_INT, false, 2, 1000000, 0, NULL, "protocol version to activate"},
	{"epoch", F_INT, false, 0, INT64_MAX, 0, NULL,
	 "checkpoint epoch after which it is in force (0: at once)"},
	END_FIELDS,
};
static const struct field_spec a_rewards[] = {
	TYPE_FIELD("rewards.distribute"),
	{"period", F_STR, false, 0, 0, 32, NULL, "label of the distribution, once ever (2026-Q3)"},
	{"accounts", F_LIST_ACCOUNT, false, 0, 0, REWARDS_MAX_RECIPIENTS, NULL, "recipients"},
	{"amounts", F_LIST_INT, false, 1, INT64_MAX, REWARDS_MAX_RECIPIENTS, NULL,
	 "base units for each recipient, same order"},
	END_FIELDS,
};
static const struct field_spec a_group_member[] = {
	TYPE_FIELD("group.admit|group.remove"),
	{"member", F_ACCOUNT, false, 0, 0, 0, NULL, "the account (admit: one that applied)"},
	END_FIELDS,
};
static const struct field_spec a_group_moderator[] = {
	TYPE_FIELD("group.moderator"),
	{"member", F_ACCOUNT, false, 0, 0, 0, NULL, "a member"},
	{"moderator", F_BOOL, false, 0, 0, 0, NULL, "1: make moderator; 0: remove as moderator"},
	END_FIELDS,
};
static const struct field_spec a_group_rule[] = {
	TYPE_FIELD("group.rule"),
	{"join_policy", F_ENUM, true, 0, 0, 0, "open|invite|application", "how members join"},
	{"topic", F_STR, true, 0, 0, GROUP_TOPIC_MAX, NULL, "public topic"},
	{"charter", F_STR, true, 0, 0, GROUP_CHARTER_MAX, NULL, "public rules"},
	{"stake_weighted", F_BOOL, true, 0, 0, 0, NULL, "1: votes count staking power"},
	{"quorum_bp", F_INT, true, 0, 10000, 0, NULL, "quorum of group votes, in basis points"},
	END_FIELDS,
};
static const struct field_spec a_group_allocate[] = {
	TYPE_FIELD("group.allocate"),
	{"to", F_ACCOUNT, false, 0, 0, 0, NULL, "recipient"},
	{"amount", F_AMOUNT, false, 1, INT64_MAX, 0, NULL, "MVT from the group's account"},
	{"purpose", F_STR, false, 0, 0, 140, NULL, "public purpose"},
	END_FIELDS,
};

const struct gov_action_type gov_action_types[] = {
	{"param.set", "param", "change a network parameter", a_param, check_param, exec_param},
	{"treasury.pay", "treasury", "pay MVT from the treasury", a_treasury, check_treasury,
	 exec_treasury},
	{"council.add", "council", "seat a council member", a_council_member, check_council_add,
	 exec_council_add},
	{"council.remove", "council", "unseat a council member", a_council_member,
	 check_council_remove, exec_council_remove},
	{"council.threshold", "council", "change how many council signatures are needed",
	 a_council_threshold, NULL, exec_council_threshold},
	{"upgrade.activate", "upgrade", "activate a protocol version from a checkpoint epoch",
	 a_upgrade, check_upgrade, exec_upgrade},
	{"rewards.distribute", "rewards", "pay community rewards from the reward pool", a_rewards,
	 check_rewards, exec_rewards},
	{"group.admit", "group", "admit an applicant to the group", a_group_member, NULL,
	 exec_group_admit},
	{"group.remove", "group", "remove a member from the group", a_group_member, NULL,
	 exec_group_remove},
	{"group.moderator", "group", "make or unmake a moderator", a_group_moderator, NULL,
	 exec_group_moderator},
	{"group.rule", "group", "change the group's rules", a_group_rule, NULL, exec_group_rule},
	{"group.allocate", "group", "pay MVT from the group's account", a_group_allocate, NULL,
	 exec_group_allocate},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct gov_action_type *gov_action_find(const char *type)
{
	for (const struct gov_action_type *t = gov_action_types; t->type; t++)
		if (strcmp(t->type, type) == 0)
			return t;
	return NULL;
}

/* Decode one encoded action and check its fields. Fills *type; the body
 * points into data. Rejects through ctx with "action N: ...". */
static int action_decode(struct apply_ctx *ctx, size_t idx, const uint8_t *data, size_t len,
			 struct body *a, const struct gov_action_type **type)
{
	struct mv_err e;
	char tname[40], reason[200];
	if (body_decode(a, data, len, &e) != MV_OK)
		return ctx_reject(ctx, "action %zu: bad encoding: %s", idx + 1, e.msg);
	if (body_str(a, "type", tname, sizeof tname, &e) != MV_OK)
		return ctx_reject(ctx, "action %zu: needs a text field 'type'", idx + 1);
	*type = gov_action_find(tname);
	if (!*type)
		return ctx_reject(ctx, "action %zu: unknown action type %s", idx + 1, tname);
	struct op_handler h = {.kind = (*type)->type, .fields = (*type)->fields};
	if (contract_check_body(&h, a, reason, sizeof reason) != MV_OK)
		return ctx_reject(ctx, "action %zu (%s): %s", idx + 1, tname, reason);
	return MV_OK;
}

/* Prefix the reason a failing action left in ctx. */
static int action_failed(struct apply_ctx *ctx, size_t idx, const char *type, bool executing)
{
	char r[sizeof ctx->reason];
	snprintf(r, sizeof r, "%s", ctx->reason);
	return ctx_reject(ctx, "action %zu (%s)%s: %s", idx + 1, type, executing ? " failed" : "", r);
}

void gov_action_describe(const uint8_t *data, size_t len, char *out, size_t outlen)
{
	struct body *a = calloc(1, sizeof *a);
	char type[40] = "", s1[160] = "", amt[48], hx[13];
	uint8_t id[32];
	if (!a || body_decode(a, data, len, NULL) != MV_OK) {
		snprintf(out, outlen, "(undecodable action)");
		free(a);
		return;
	}
	act_str(a, "type", type, sizeof type);
	if (strcmp(type, "param.set") == 0) {
		act_str(a, "name", s1, sizeof s1);
		snprintf(out, outlen, "set parameter %s to %lld", s1, (long long)act_int(a, "value", 0));
	} else if (strcmp(type, "treasury.pay") == 0 || strcmp(type, "group.allocate") == 0) {
		act_account(a, "to", id);
		gov_short(hx, id);
		fmt_mvt(amt, sizeof amt, act_int(a, "amount", 0));
		act_str(a, "purpose", s1, sizeof s1);
		snprintf(out, outlen, "pay %s from the %s to %s: %s", amt,
			 type[0] == 't' ? "treasury" : "group's account", hx, s1);
	} else if (strncmp(type, "council.", 8) == 0 && strcmp(type, "council.threshold") != 0) {
		act_account(a, "member", id);
		gov_short(hx, id);
		snprintf(out, outlen, "%s council member %s", type[8] == 'a' ? "seat" : "unseat", hx);
	} else if (strcmp(type, "council.threshold") == 0) {
		snprintf(out, outlen, "council threshold becomes %lld", (long long)act_int(a, "threshold", 0));
	} else if (strcmp(type, "upgrade.activate") == 0) {
		snprintf(out, outlen, "activate protocol version %lld from epoch %lld",
			 (long long)act_int(a, "version", 0), (long long)act_int(a, "epoch", 0));
	} else if (strcmp(type, "rewards.distribute") == 0) {
		const struct body_value *acc = body_get(a, "accounts"), *am = body_get(a, "amounts");
		int64_t sum = 0;
		for (size_t i = 0; am && am->type == BODY_LIST && i < am->n; i++)
			sum = sat_add(sum, am->items[i].i);
		fmt_mvt(amt, sizeof amt, sum);
		act_str(a, "period", s1, sizeof s1);
		snprintf(out, outlen, "community rewards %s: %s to %zu accounts", s1, amt,
			 acc && acc->type == BODY_LIST ? acc->n : 0);
	} else if (strcmp(type, "group.admit") == 0 || strcmp(type, "group.remove") == 0) {
		act_account(a, "member", id);
		gov_short(hx, id);
		snprintf(out, outlen, "%s member %s", type[6] == 'a' ? "admit" : "remove", hx);
	} else if (strcmp(type, "group.moderator") == 0) {
		act_account(a, "member", id);
		gov_short(hx, id);
		snprintf(out, outlen, "%s %s as moderator", act_int(a, "moderator", 0) ? "make" : "unmake",
			 hx);
	} else if (strcmp(type, "group.rule") == 0) {
		size_t n = 0;
		n += (size_t)snprintf(out + n, outlen - n, "group rules:");
		for (size_t i = 0; i < a->n && n < outlen; i++)
			if (strcmp(a->f[i].key, "type") != 0)
				n += (size_t)snprintf(out + n, outlen - n, " %s", a->f[i].key);
		if (n < outlen)
			snprintf(out + n, outlen - n, " changed");
	} else {
		snprintf(out, outlen, "%s", type);
	}
	body_free(a);
	free(a);
}

/* ---- gov.propose ----------------------------------------------------------- */

int64_t gov_kind_threshold_bp(struct store *st, const char *kind, int64_t treasury_total)
{
	if (strcmp(kind, "group") == 0)
		return 5000;
	int64_t simple = 5000;
	int64_t cons = param_get(st, "gov_majority_constitutional_bp", 7500);
	if (strcmp(kind, "param") == 0 || strcmp(kind, "council") == 0 || strcmp(kind, "upgrade") == 0)
		return cons;
	if (strcmp(kind, "treasury") == 0) {
		int64_t mid = param_get(st, "gov_treasury_mid", 10000 * MV_UNIT);
		int64_t large = param_get(st, "gov_treasury_large", 100000 * MV_UNIT);
		if (treasury_total > large)
			return cons;
		if (treasury_total >= mid)
			return param_get(st, "gov_majority_treasury_bp", 6600);
	}
	return simple;
}

/* The proposer's open (pending or active) proposal in the same scope. */
static bool has_live(struct apply_ctx *ctx, const uint8_t grp[32])
{
	static const char sql[] = "SELECT count(*) FROM gov_proposals WHERE proposer = ?1 AND grp = ?2"
				  " AND canceled_at IS NULL AND decided_at IS NULL AND vote_end > ?3";
	return gov_int_ids(ctx->st, sql, ctx->actor, grp, true, ctx->now, 0) > 0;
}

struct propose_args {
	char kind[16], title[GOV_TITLE_MAX + 1], description[GOV_DESCRIPTION_MAX + 1];
	const struct body_value *actions;
	size_t nactions;
	struct group_info g;
	bool group;
};

static int propose_read(struct apply_ctx *ctx, struct propose_args *a)
{
	struct mv_err e;
	uint8_t gid[32];
	memset(a, 0, sizeof *a);
	body_str(ctx->body, "kind", a->kind, sizeof a->kind, &e);
	body_str(ctx->body, "title", a->title, sizeof a->title, &e);
	if (body_get(ctx->body, "description"))
		body_str(ctx->body, "description", a->description, sizeof a->description, &e);
	if (body_get(ctx->body, "actions"))
		body_list(ctx->body, "actions", &a->actions, &a->nactions, &e);
	if (!a->title[0])
		return ctx_reject(ctx, "a proposal needs a title");
	a->group = strcmp(a->kind, "group") == 0;
	bool has_group = body_id(ctx->body, "group", gid, &e) == MV_OK;
	if (a->group != has_group)
		return ctx_reject(ctx, a->group ? "a group proposal names its group"
					       : "only group proposals name a group");
	if (a->group) {
		int rc = groups_get(ctx->st, gid, &a->g, &ctx->err);
		if (rc == MV_ENOTFOUND)
			return ctx_reject(ctx, "no such group");
		if (rc != MV_OK)
			return MV_ERR;
		if (!groups_is_member(ctx->st, gid, ctx->actor))
			return ctx_reject(ctx, "not allowed: only members of %s make its proposals",
					  a->g.name);
	}
	int64_t max = param_get(ctx->st, "gov_max_actions", 10);
	if (strcmp(a->kind, "text") == 0) {
		if (a->nactions)
			return ctx_reject(ctx, "a text proposal has no actions");
	} else if (a->nactions == 0) {
		return ctx_reject(ctx, "a %s proposal needs at least one action", a->kind);
	} else if ((int64_t)a->nactions > max) {
		return ctx_reject(ctx, "too many actions (%zu; at most %lld)", a->nactions, (long long)max);
	}
	return MV_OK;
}

/* Check every action and sum treasury payments. */
static int propose_actions(struct apply_ctx *ctx, const struct propose_args *a,
			   const struct gov_proposal *p, int64_t *treasury_total)
{
	struct body *b = calloc(1, sizeof *b);
	int rc = b ? MV_OK : mv_fail(&ctx->err, MV_ERR, "out of memory");
	*treasury_total = 0;
	for (size_t i = 0; rc == MV_OK && i < a->nactions; i++) {
		const struct gov_action_type *t;
		rc = action_decode(ctx, i, a->actions[i].p, a->actions[i].n, b, &t);
		if (rc != MV_OK)
			break;
		if (strcmp(t->kind, a->kind) != 0)
			rc = ctx_reject(ctx, "action %zu: %s does not belong in a %s proposal", i + 1,
					t->type, a->kind);
		else if (t->check && (rc = t->check(ctx, p, b)) == MV_EREJECT)
			rc = action_failed(ctx, i, t->type, false);
		if (rc == MV_OK && strcmp(t->type, "treasury.pay") == 0)
			*treasury_total = sat_add(*treasury_total, act_int(b, "amount", 0));
		body_free(b);
	}
	free(b);
	return rc;
}

static int proposal_insert(struct apply_ctx *ctx, const struct gov_proposal *p,
			   const struct propose_args *a)
{
	static const char sql[] =
		"INSERT INTO gov_proposals(id, proposer, scope, grp, kind, title, description, created,"
		" snapshot, vote_start, vote_end, timelock, grace, quorum_bp, threshold_bp,"
		" total_power, nactions) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	static const char act[] = "INSERT INTO gov_actions(proposal, idx, type, body) VALUES(?,?,?,?)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	int c = 1;
	sqlite3_bind_blob(s, c++, p->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, c++, p->proposer, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, c++, p->group_scope ? "group" : "platform", -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, c++, p->group, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, c++, a->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, c++, a->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, c++, a->description, -1, SQLITE_STATIC);
	const int64_t ints[] = {p->created, p->snapshot, p->vote_start, p->vote_end, p->timelock,
				p->grace, p->quorum_bp, p->threshold_bp, p->total_power,
				(int64_t)a->nactions};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
		sqlite3_bind_int64(s, c++, ints[i]);
	if (gov_step(ctx, s, "gov_proposals") != MV_OK)
		return MV_ERR;
	for (size_t i = 0; i < a->nactions; i++) {
		struct body b;
		char type[40] = "";
		if (body_decode(&b, a->actions[i].p, a->actions[i].n, NULL) == MV_OK) {
			act_str(&b, "type", type, sizeof type);
			body_free(&b);
		}
		if (!(s = store_prep(ctx->st, act, &ctx->err)))
			return MV_ERR;
		sqlite3_bind_blob(s, 1, p->id, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, (int64_t)i);
		sqlite3_bind_text(s, 3, type, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob(s, 4, a->actions[i].p, (int)a->actions[i].n, SQLITE_STATIC);
		if (gov_step(ctx, s, "gov_actions") != MV_OK)
			return MV_ERR;
	}
	return MV_OK;
}

/* Times, quorum and power of a new proposal p (scope already set). */
static int propose_setup(struct apply_ctx *ctx, struct gov_proposal *p, const struct propose_args *a)
{
	char why[160], need[48], have[48];
	p->created = ctx->now;
	p->snapshot = ctx->now - 1;
	int64_t delay, period;
	if (a->group) {
		delay = param_get(ctx->st, "gov_group_voting_delay", 0);
		period = param_get(ctx->st, "gov_group_voting_period", 3 * DAY_MS);
		p->timelock = param_get(ctx->st, "gov_group_timelock", 0);
		p->quorum_bp = a->g.quorum_bp;
		if (group_total(ctx, &a->g, p->snapshot, &p->total_power) != MV_OK)
			return MV_ERR;
	} else {
		delay = param_get(ctx->st, "gov_voting_delay", DAY_MS);
		period = param_get(ctx->st, "gov_voting_period", 7 * DAY_MS);
		p->timelock = param_get(ctx->st, "gov_timelock", 2 * DAY_MS);
		p->quorum_bp = param_get(ctx->st, "gov_quorum_bp", 400);
		int64_t need_power = param_get(ctx->st, "gov_proposal_threshold", 1000 * MV_UNIT);
		int64_t mine = platform_power(ctx->st, ctx->actor, p->snapshot, why, sizeof why);
		if (mine < need_power) {
			fmt_mvt(need, sizeof need, need_power);
			fmt_mvt(have, sizeof have, mine);
			return ctx_reject(ctx, "below the proposal threshold: your voting power %s, %s "
					  "needed%s%s", have, need, why[0] ? "; " : "", why);
		}
		if (platform_total(ctx, p->snapshot, &p->total_power) != MV_OK)
			return MV_ERR;
	}
	p->grace = param_get(ctx->st, "gov_grace", 14 * DAY_MS);
	if (!mv_add_i64(ctx->now, delay, &p->vote_start) ||
	    !mv_add_i64(p->vote_start, period, &p->vote_end))
		return ctx_reject(ctx, "voting period out of range");
	return MV_OK;
}

static int gov_propose(struct apply_ctx *ctx)
{
	struct propose_args a;
	struct gov_proposal p;
	int64_t treasury_total = 0;
	int rc = propose_read(ctx, &a);
	if (rc != MV_OK)
		return rc;
	memset(&p, 0, sizeof p);
	memcpy(p.id, ctx->op->id, 32);
	memcpy(p.proposer, ctx->actor, 32);
	p.group_scope = a.group;
	if (a.group)
		memcpy(p.group, a.g.id, 32);
	snprintf(p.kind, sizeof p.kind, "%s", a.kind);
	if (has_live(ctx, p.group))
		return ctx_reject(ctx, "you already have a live proposal %s (one at a time, until its "
				  "voting ends)", a.group ? "in this group" : "on the platform");
	rc = propose_setup(ctx, &p, &a);
	if (rc == MV_OK)
		rc = propose_actions(ctx, &a, &p, &treasury_total);
	if (rc != MV_OK)
		return rc;
	p.threshold_bp = gov_kind_threshold_bp(ctx->st, a.kind, treasury_total);
	return proposal_insert(ctx, &p, &a);
}

/* ---- gov.vote --------------------------------------------------------------- */

static int load_proposal(struct apply_ctx *ctx, struct gov_proposal *p)
{
	uint8_t id[32];
	struct mv_err e;
	body_id(ctx->body, "proposal", id, &e);
	int rc = gov_proposal_get(ctx->st, id, ctx->now, p, &ctx->err);
	if (rc == MV_ENOTFOUND)
		return ctx_reject(ctx, "no such proposal");
	return rc == MV_OK ? MV_OK : MV_ERR;
}

static int tally_save(struct apply_ctx *ctx, const struct gov_proposal *p, int early)
{
	static const char sql[] = "UPDATE gov_proposals SET for_power = ?, against_power = ?,"
				  " abstain_power = ?, voters = ?, decided_at = ?, decided_pass = ? WHERE id = ?";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, p->for_power);
	sqlite3_bind_int64(s, 2, p->against_power);
	sqlite3_bind_int64(s, 3, p->abstain_power);
	sqlite3_bind_int64(s, 4, p->voters);
	if (early) {
		sqlite3_bind_int64(s, 5, ctx->now);
		sqlite3_bind_int(s, 6, early > 0);
	}
	sqlite3_bind_blob(s, 7, p->id, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "gov_proposals");
}

static int64_t *tally_of(struct gov_proposal *p, const char *choice)
{
	if (strcmp(choice, "for") == 0)
		return &p->for_power;
	if (strcmp(choice, "against") == 0)
		return &p->against_power;
	return &p->abstain_power;
}

/* The voter's earlier vote: choice and power; false if none. */
static bool vote_get(struct store *st, const uint8_t prop[32], const uint8_t voter[32],
		     char choice[16], int64_t *power)
{
	static const char sql[] = "SELECT choice, power FROM gov_votes WHERE proposal = ? AND voter = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, prop, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, voter, 32, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	if (yes) {
		snprintf(choice, 16, "%s", (const char *)sqlite3_column_text(s, 0));
		*power = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return yes;
}

static int vote_put(struct apply_ctx *ctx, const uint8_t prop[32], const char *choice,
		    int64_t power, const char *reason, bool change)
{
	static const char ins[] = "INSERT INTO gov_votes(proposal, voter, choice, power, first_op,"
				  " first_time, op, time, reason) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6, ?7)";
	static const char upd[] = "UPDATE gov_votes SET choice = ?3, op = ?5, time = ?6, reason = ?7,"
				  " changes = changes + 1 WHERE proposal = ?1 AND voter = ?2";
	sqlite3_stmt *s = store_prep(ctx->st, change ? upd : ins, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, prop, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, choice, -1, SQLITE_STATIC);
	if (!change)
		sqlite3_bind_int64(s, 4, power);
	sqlite3_bind_blob(s, 5, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, ctx->now);
	sqlite3_bind_text(s, 7, reason, -1, SQLITE_STATIC);
	return gov_step(ctx, s, "gov_votes");
}

/* Why a proposal that is not ACTIVE takes no votes. */
static int not_open(struct apply_ctx *ctx, const struct gov_proposal *p)
{
	char t[32];
	switch (p->state) {
	case GOV_PENDING:
		fmt_time(t, p->vote_start);
		return ctx_reject(ctx, "voting has not started: it opens at %s", t);
	case GOV_CANCELED:
		return ctx_reject(ctx, "proposal canceled");
	default:
		fmt_time(t, p->closed_at);
		if (p->decided_at)
			return ctx_reject(ctx, "voting closed: decided early at %s (the outcome could no "
					  "longer change)", t);
		return ctx_reject(ctx, "voting ended at %s", t);
	}
}

static int gov_vote(struct apply_ctx *ctx)
{
	struct gov_proposal p;
	char choice[16], old[16], reason[201] = "", why[160];
	int64_t power = 0;
	struct mv_err e;
	int rc = load_proposal(ctx, &p);
	if (rc != MV_OK)
		return rc;
	if (p.state != GOV_ACTIVE)
		return not_open(ctx, &p);
	body_str(ctx->body, "choice", choice, sizeof choice, &e);
	if (body_get(ctx->body, "reason"))
		body_str(ctx->body, "reason", reason, sizeof reason, &e);
	bool change = vote_get(ctx->st, p.id, ctx->actor, old, &power);
	if (change) {
		if (strcmp(old, choice) == 0)
			return ctx_reject(ctx, "you already voted %s (a vote may be changed, not repeated)",
					  choice);
		*tally_of(&p, old) -= power;
	} else {
		power = gov_vote_power(ctx->st, &p, ctx->actor, why, sizeof why);
		if (power <= 0)
			return ctx_reject(ctx, "%s", why[0] ? why : "no voting power");
		p.voters++;
	}
	int64_t *t = tally_of(&p, choice);
	*t = sat_add(*t, power);
	rc = vote_put(ctx, p.id, choice, power, reason, change);
	if (rc == MV_OK)
		rc = tally_save(ctx, &p, early_outcome(&p));
	if (rc == MV_OK && !change)
		rc = reputation_event(ctx, ctx->actor, REP_GOVERNANCE, REP_PTS_VOTE,
				      "voted on a governance proposal");
	return rc;
}

/* ---- gov.cancel / gov.execute ----------------------------------------------- */

static int gov_cancel(struct apply_ctx *ctx)
{
	static const char sql[] = "UPDATE gov_proposals SET canceled_at = ? WHERE id = ?";
	struct gov_proposal p;
	int rc = load_proposal(ctx, &p);
	if (rc != MV_OK)
		return rc;
	if (memcmp(p.proposer, ctx->actor, 32) != 0)
		return ctx_reject(ctx, "not allowed: only the proposer may cancel a proposal");
	if (p.state != GOV_PENDING)
		return ctx_reject(ctx, "a proposal can be canceled only before voting starts (it is %s)",
				  gov_state_name(p.state));
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, ctx->now);
	sqlite3_bind_blob(s, 2, p.id, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "gov_proposals");
}

/* Encoded actions of a proposal, in order (copied out of SQLite). */
struct action_list {
	struct mv_buf *v;
	size_t n;
};

static int actions_load(struct apply_ctx *ctx, const uint8_t id[32], struct action_list *l)
{
	static const char sql[] = "SELECT body FROM gov_actions WHERE proposal = ? ORDER BY idx";
	memset(l, 0, sizeof *l);
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int rc = MV_OK, st;
	while (rc == MV_OK && (st = sqlite3_step(s)) == SQLITE_ROW) {
		struct mv_buf *v = realloc(l->v, (l->n + 1) * sizeof *v);
		if (!v) {
			rc = mv_fail(&ctx->err, MV_ERR, "out of memory");
			break;
		}
		l->v = v;
		memset(&l->v[l->n], 0, sizeof l->v[l->n]);
		if (mv_buf_append(&l->v[l->n], sqlite3_column_blob(s, 0),
				  (size_t)sqlite3_column_bytes(s, 0)))
			rc = mv_fail(&ctx->err, MV_ERR, "out of memory");
		l->n++;
	}
	sqlite3_reset(s);
	return rc;
}

static void actions_free(struct action_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		mv_buf_free(&l->v[i]);
	free(l->v);
}

static int run_actions(struct apply_ctx *ctx, const struct gov_proposal *p)
{
	struct action_list l;
	struct body *b = calloc(1, sizeof *b);
	int rc = b ? actions_load(ctx, p->id, &l) : mv_fail(&ctx->err, MV_ERR, "out of memory");
	if (!b)
		return rc;
	for (size_t i = 0; rc == MV_OK && i < l.n; i++) {
		const struct gov_action_type *t;
		rc = action_decode(ctx, i, l.v[i].data, l.v[i].len, b, &t);
		if (rc != MV_OK)
			break;
		rc = t->exec(ctx, p, b);
		if (rc == MV_EREJECT)
			rc = action_failed(ctx, i, t->type, true);
		body_free(b);
	}
	actions_free(&l);
	free(b);
	return rc;
}

static int gov_execute(struct apply_ctx *ctx)
{
	static const char sql[] = "UPDATE gov_proposals SET executed_at = ?, executed_op = ? WHERE id = ?";
	struct gov_proposal p;
	char t[32];
	int rc = load_proposal(ctx, &p);
	if (rc != MV_OK)
		return rc;
	switch (p.state) {
	case GOV_QUEUED:
		break;
	case GOV_PENDING:
	case GOV_ACTIVE:
		return ctx_reject(ctx, "voting has not ended (%s)", p.why);
	case GOV_EXECUTED:
		return ctx_reject(ctx, "proposal already executed");
	case GOV_EXPIRED:
		fmt_time(t, p.expires);
		return ctx_reject(ctx, "proposal expired at %s", t);
	default:
		return ctx_reject(ctx, "proposal %s: %s", gov_state_name(p.state), p.why);
	}
	if (ctx->now < p.eta) {
		fmt_time(t, p.eta);
		return ctx_reject(ctx, "timelock: executable from %s", t);
	}
	rc = run_actions(ctx, &p);
	sqlite3_stmt *s = rc == MV_OK ? store_prep(ctx->st, sql, &ctx->err) : NULL;
	if (rc != MV_OK || !s)
		return rc != MV_OK ? rc : MV_ERR;
	sqlite3_bind_int64(s, 1, ctx->now);
	sqlite3_bind_blob(s, 2, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, p.id, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "gov_proposals");
}

/* ---- delegation ops ---------------------------------------------------------- */

int gov_end_delegation(struct apply_ctx *ctx, const uint8_t who[32])
{
	static const char sql[] = "UPDATE gov_delegations SET end_at = ?, end_op = ? WHERE delegator = ?"
				  " AND end_at IS NULL";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, ctx->now);
	sqlite3_bind_blob(s, 2, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, who, 32, SQLITE_STATIC);
	return gov_step(ctx, s, "gov_delegations");
}

static bool current_delegate(struct store *st, const uint8_t who[32], uint8_t to[32])
{
	static const char sql[] = "SELECT delegate FROM gov_delegations WHERE delegator = ?"
				  " AND end_at IS NULL ORDER BY start DESC, op LIMIT 1";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, who, 32, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 32;
	if (yes)
		memcpy(to, sqlite3_column_blob(s, 0), 32);
	sqlite3_reset(s);
	return yes;
}

static int gov_delegate(struct apply_ctx *ctx)
{
	static const char ins[] = "INSERT INTO gov_delegations(delegator, op, delegate, start)"
				  " VALUES(?, ?, ?, ?)";
	uint8_t to[32], cur[32], hop[32];
	char hx[13];
	struct mv_err e;
	body_id(ctx->body, "to", to, &e);
	if (memcmp(to, ctx->actor, 32) == 0)
		return ctx_reject(ctx, "you cannot delegate to yourself (undelegate to vote yourself)");
	if (compliance_erased(ctx->st, to))
		return ctx_reject(ctx, "that account was erased");
	if (current_delegate(ctx->st, ctx->actor, cur) && memcmp(cur, to, 32) == 0)
		return ctx_reject(ctx, "you already delegate to that account");
	/* follow the chain from `to`: reaching the actor would close a cycle */
	memcpy(hop, to, 32);
	for (int depth = 1;; depth++) {
		if (!current_delegate(ctx->st, hop, hop))
			break;
		if (memcmp(hop, ctx->actor, 32) == 0) {
			gov_short(hx, to);
			return ctx_reject(ctx, "delegation cycle: %s already delegates to you%s", hx,
					  depth > 1 ? " (through others)" : "");
		}
		if (depth >= GOV_MAX_CHAIN)
			return ctx_reject(ctx, "delegation chain too long (over %d hops)", GOV_MAX_CHAIN);
	}
	int rc = gov_end_delegation(ctx, ctx->actor);
	sqlite3_stmt *s = rc == MV_OK ? store_prep(ctx->st, ins, &ctx->err) : NULL;
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, to, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, ctx->now);
	return gov_step(ctx, s, "gov_delegations");
}

static int gov_undelegate(struct apply_ctx *ctx)
{
	uint8_t cur[32];
	if (!current_delegate(ctx->st, ctx->actor, cur))
		return ctx_reject(ctx, "you are not delegating your voting power");
	return gov_end_delegation(ctx, ctx->actor);
}

/* ---- the handler table -------------------------------------------------------- */

static const struct field_spec propose_fields[] = {
	{"kind", F_ENUM, false, 0, 0, 0, "param|treasury|council|upgrade|rewards|text|group",
	 "what the proposal does (decides its threshold; every action must be of this kind)"},
	{"title", F_STR, false, 0, 0, GOV_TITLE_MAX, NULL, "public title"},
	{"description", F_STR, true, 0, 0, GOV_DESCRIPTION_MAX, NULL, "public text"},
	{"group", F_ID, true, 0, 0, 0, NULL, "the group (group proposals only)"},
	{"actions", F_LIST_BYTES, true, 0, 0, GOV_HARD_MAX_ACTIONS, NULL,
	 "typed actions, each an encoded body {type, ...} (at most gov_max_actions)"},
	END_FIELDS,
};

static const struct field_spec proposal_fields[] = {
	{"proposal", F_ID, false, 0, 0, 0, NULL, "the proposal (its gov.propose op id)"},
	END_FIELDS,
};

static const struct field_spec vote_fields[] = {
	{"proposal", F_ID, false, 0, 0, 0, NULL, "the proposal"},
	{"choice", F_ENUM, false, 0, 0, 0, "for|against|abstain", "your vote"},
	{"reason", F_STR, true, 0, 0, 200, NULL, "public reason"},
	END_FIELDS,
};

static const struct field_spec delegate_fields[] = {
	{"to", F_ACCOUNT, false, 0, 0, 0, NULL, "the account that votes with your power"},
	END_FIELDS,
};

static const struct field_spec none_fields[] = {END_FIELDS};

static const struct op_handler governance_handlers[] = {
	{"gov.propose", "propose typed actions for a vote (platform or group)",
	 "platform: voting power >= gov_proposal_threshold; group: a member; one live proposal each",
	 propose_fields, gov_propose},
	{"gov.vote", "vote for, against or abstain (changeable while voting is open)",
	 "anyone with voting power at the proposal's snapshot (group: members then)", vote_fields,
	 gov_vote},
	{"gov.cancel", "withdraw a proposal before voting starts", "its proposer", proposal_fields,
	 gov_cancel},
	{"gov.execute", "run a succeeded proposal's actions after the timelock (all or nothing)",
	 "anyone", proposal_fields, gov_execute},
	{"gov.delegate", "let another account vote with your voting power (platform proposals)",
	 "anyone; no cycles", delegate_fields, gov_delegate},
	{"gov.undelegate", "take your voting power back", "a delegating account", none_fields,
	 gov_undelegate},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract governance_contract = {
	.name = "governance",
	.summary = "proposals, snapshot voting, delegation, timelocked execution of typed actions",
	.migrations = governance_migrations,
	.handlers = governance_handlers,
};
