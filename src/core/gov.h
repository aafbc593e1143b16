/* gov.h - what the rest of the code asks of the governance family of
 * contracts: peer-support groups (contracts/groups.c), proposals, votes and
 * delegation (contracts/governance.c), protocol upgrades
 * (contracts/upgrades.c), compliance (contracts/compliance.c, with the
 * jurisdiction table in jurisdictions.c) and bots (contracts/bots.c).
 * docs/contracts/governance.md and docs/contracts/compliance.md document
 * every op, rule and rejection.
 *
 * Everything declared here is deterministic (reads state only, integer
 * math) except where a comment says it is a home-level or display helper. */
#ifndef MV_GOV_H
#define MV_GOV_H

#include "contract.h"

/* The protocol version this binary implements. A network that activates a
 * higher version (an executed upgrade proposal) makes this binary reject
 * every later op with "upgrade required: ..." while it keeps storing them. */
#define MV_PROTOCOL_VERSION 1

/* ---- groups --------------------------------------------------------------- */

#define GROUP_NAME_MAX 64
#define GROUP_TOPIC_MAX 64
#define GROUP_CHARTER_MAX 2000
#define GROUP_MAX_MEMBERS 1024 /* members listed in one group.rotate */

/* The system account holding a group's MVT (funded by ledger.transfer,
 * spent only by an executed group proposal's group.allocate action). */
void groups_account(const uint8_t group[32], uint8_t out[32]);

/* ---- proposals ------------------------------------------------------------ */

/* Proposal states. Stored facts (created, tallies, an early decision,
 * cancellation, execution) plus the effective time decide the state; no op
 * is needed to move a proposal along.
 *   PENDING   created; votes open at vote_start (voting delay)
 *   ACTIVE    votes accepted until vote_end, or until an absolute majority
 *             of all voting power decides early
 *   CANCELED  withdrawn by its proposer while still PENDING
 *   DEFEATED  voting closed without quorum or below the kind's threshold
 *   QUEUED    voting closed and the proposal succeeded: it waits out the
 *             timelock (executable from eta) and stays executable until
 *             eta + grace
 *   EXECUTED  gov.execute ran every action (atomically)
 *   EXPIRED   succeeded but not executed before eta + grace */
enum gov_state {
	GOV_PENDING,
	GOV_ACTIVE,
	GOV_CANCELED,
	GOV_DEFEATED,
	GOV_QUEUED,
	GOV_EXECUTED,
	GOV_EXPIRED,
	GOV__COUNT
};
const char *gov_state_name(enum gov_state s);

/* One proposal as stored, with its state at `now` (gov_proposal_get). */
struct gov_proposal {
	uint8_t id[32], proposer[32];
	bool group_scope;        /* a group proposal (else platform) */
	uint8_t group[32];       /* zeros for platform proposals */
	char kind[16];           /* param|treasury|council|upgrade|rewards|text|group */
	char title[121];
	int64_t created, snapshot; /* snapshot = created - 1: stakes, delegations,
				      membership and reputation as of then */
	int64_t vote_start, vote_end, timelock, grace;
	int64_t quorum_bp, threshold_bp;
	int64_t total_power, for_power, against_power, abstain_power, voters;
	int64_t decided_at;      /* early decision time, 0 if none */
	int64_t canceled_at, executed_at;
	int64_t nactions;
	/* derived at `now` */
	enum gov_state state;
	bool succeeded;          /* the vote's outcome (when voting closed) */
	bool quorum_reached;
	int64_t closed_at;       /* decided_at or vote_end */
	int64_t eta, expires;    /* closed_at + timelock, eta + grace (succeeded) */
	char why[256];           /* why defeated / queued / ... in words */
};

/* MV_OK, MV_ENOTFOUND or MV_ERR. */
int gov_proposal_get(struct store *st, const uint8_t id[32], int64_t now, struct gov_proposal *out,
		     struct mv_err *err);

/* The voting power `voter` would cast on proposal p (0 if none, with why):
 * platform proposals count the voter's own power at the snapshot plus the
 * power of every account whose delegation chain at the snapshot ends at the
 * voter (nothing if the voter had itself delegated); group proposals count
 * one per member at the snapshot, or staking voting power in stake-weighted
 * groups. */
int64_t gov_vote_power(struct store *st, const struct gov_proposal *p, const uint8_t voter[32],
		       char *why, size_t whylen);

/* The account `who` delegates to at time t (false if none). */
bool gov_delegate_at(struct store *st, const uint8_t who[32], int64_t t, uint8_t to[32]);

/* Typed actions. A proposal's `actions` field is a list of canonical bodies
 * (body.h), each with a text field "type" naming one of these and that
 * type's fields. The CLI parses "TYPE field=value ..." with the fields
 * below (home_gov.c), the contract checks them the same way. */
struct gov_proposal;
struct gov_action_type {
	const char *type;        /* "param.set" */
	const char *kind;        /* the proposal kind it belongs to */
	const char *summary;
	const struct field_spec *fields; /* "type" first */
	/* Checks when proposed (may be NULL) and the effect when executed; both
	 * run inside the op and reject through ctx. */
	int (*check)(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a);
	int (*exec)(struct apply_ctx *ctx, const struct gov_proposal *p, const struct body *a);
};
/* NULL-terminated table of every action type. */
extern const struct gov_action_type gov_action_types[];
const struct gov_action_type *gov_action_find(const char *type);

/* Whether a param.set action may set parameter name to value (the check it
 * runs when proposed and executed): false with why for a parameter fixed at
 * genesis or changed by its own action type, a value out of the
 * parameter's bounds, an unknown parameter or a negative value. */
bool gov_param_settable(struct store *st, const char *name, int64_t value, char *why,
			size_t whylen);

/* The share of for-votes (basis points of for + against) a proposal of kind
 * must exceed: a simple majority; gov_majority_treasury_bp for treasury
 * spends totalling gov_treasury_mid..gov_treasury_large;
 * gov_majority_constitutional_bp for param, council, upgrade and larger
 * spends; group proposals a simple majority. */
int64_t gov_kind_threshold_bp(struct store *st, const char *kind, int64_t treasury_total);

/* One line describing an encoded action ("pay 15000 MVT from the treasury
 * to 3f2a..: clinic grant"); accounts as short hex. */
void gov_action_describe(const uint8_t *body, size_t len, char *out, size_t outlen);

/* ---- upgrades ------------------------------------------------------------- */

struct upgrade_status {
	int64_t binary_version;  /* MV_PROTOCOL_VERSION */
	int64_t active_version;  /* the network's version in effect now */
	int64_t active_since;    /* its epoch (0: genesis) */
	bool required;           /* active_version > binary_version */
	int64_t next_version;    /* a scheduled later version, 0 if none */
	int64_t next_epoch;
	char message[160];       /* "upgrade required: ..." when required, else "" */
};
void upgrades_status(struct store *st, struct upgrade_status *out);

/* ---- compliance ----------------------------------------------------------- */

/* Rules of one jurisdiction (src/core/jurisdictions.c, kept in sync with
 * assets/jurisdictions.txt by tests/unit/test_compliance.c). */
struct jurisdiction_rule {
	const char *code;            /* US, EU, UK, CA */
	const char *law;             /* HIPAA, GDPR, UK GDPR, PIPEDA */
	const char *name;            /* United States, ... */
	const char *countries;       /* ISO 3166 codes this rule covers, comma-separated */
	int64_t retention_days;      /* session records after the session closes */
	int64_t breach_notice_hours; /* 0: "without unreasonable delay" */
	const char *breach_notify;   /* who must be told */
	bool cross_border_consent;   /* notes about a resident held abroad need consent */
	bool erasure_right;          /* a legal right to erasure */
	bool portability_right;      /* a legal right to data portability */
	const char *consent;         /* consent requirements in words */
};
extern const struct jurisdiction_rule jurisdiction_rules[]; /* NULL code ends */
/* The rule for a rule code (EU) or a user's jurisdiction (DE-BE, US-CA,
 * GB); NULL if none covers it. */
const struct jurisdiction_rule *jurisdiction_find(const char *code);
/* Retention for session records when no rule covers a jurisdiction. */
#define JURISDICTION_DEFAULT_RETENTION_DAYS 3650

/* Parse assets/jurisdictions.txt (the format is described in the file) into
 * out (up to max rules, strings pointing into text, which is modified).
 * Errors name the line. */
int jurisdiction_parse(char *text, struct jurisdiction_rule *out, size_t max, size_t *n,
		       struct mv_err *err);

/* What the rules of jurisdiction J say about op kind: the data category, if
 * it needs the subject's consent, and the duties that follow. For
 * `mentalverse compliance check KIND --jurisdiction J`. MV_EINVAL with a
 * message for an unknown kind or jurisdiction. */
struct compliance_verdict {
	char code[4], law[16];
	char category[64];
	bool allowed;
	bool needs_consent;
	int nduties;
	char duties[8][200];
};
int compliance_check(const char *kind, const char *jurisdiction, struct compliance_verdict *out,
		     struct mv_err *err);

/* True if account was erased (user.erase). */
bool compliance_erased(struct store *st, const uint8_t account[32]);

#endif
