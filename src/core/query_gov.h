/* query_gov.h - read-only views of groups, proposals, delegation, upgrades,
 * compliance and bots for the CLI and the TUI (DAO, Proposals, Council,
 * upgrade banner, Compliance report screens). Nothing here writes. Each list
 * calls back once per row in a stable order (cb returns non-zero to stop);
 * rows and the strings in them are only valid during the callback. `me` may
 * be NULL where a row says what the viewer may do; `now` is the viewer's
 * clock (states and countdowns are computed for it exactly as the next op
 * would see them). */
#ifndef MV_QUERY_GOV_H
#define MV_QUERY_GOV_H

#include "store.h"
#include "gov.h"

/* ---- groups --------------------------------------------------------------- */

struct q_group {
	uint8_t id[32], creator[32];
	char name[GROUP_NAME_MAX + 1], topic[GROUP_TOPIC_MAX + 1], join_policy[16];
	char charter[GROUP_CHARTER_MAX + 1];
	bool stake_weighted;
	int64_t quorum_bp;
	int64_t created, members, posts, key_epoch;
	bool keyed;                /* false: a member left, the key awaits rotation */
	uint8_t account[32];       /* the group's MVT account (groups_account) */
	int64_t balance;
	/* the viewer */
	bool me_member, me_moderator, me_invited, me_applied, me_has_key;
	int64_t me_keyless_members; /* members without the current key (me_has_key: share) */
};
/* Groups by name; only those `me` belongs to or is invited to when mine. */
int query_groups(struct store *st, const uint8_t *me, bool mine,
		 int (*cb)(void *ud, const struct q_group *g), void *ud, struct mv_err *err);
int query_group(struct store *st, const uint8_t id[32], const uint8_t *me, struct q_group *out,
		struct mv_err *err);

struct q_group_member {
	uint8_t member[32];
	int64_t joined;
	char how[16];              /* created | joined | invited | approved | voted in */
	bool moderator;
	bool has_key;              /* holds the current epoch's key */
	int64_t left_at;           /* 0 while a member */
	char left_how[16];         /* left | removed | erased */
};
/* Current members (and past ones after them when include_past), moderators
 * first, then by joining time. */
int query_group_members(struct store *st, const uint8_t group[32], bool include_past,
			int (*cb)(void *ud, const struct q_group_member *m), void *ud,
			struct mv_err *err);

struct q_group_pending {
	uint8_t account[32];
	uint8_t by[32];            /* the inviter (invitations) */
	bool invitation;           /* else an application */
	bool has_message;          /* an application with a message for the moderators */
	int64_t time;
};
/* Open invitations and applications, oldest first. */
int query_group_pending(struct store *st, const uint8_t group[32],
			int (*cb)(void *ud, const struct q_group_pending *p), void *ud,
			struct mv_err *err);

struct q_group_post {
	uint8_t id[32], author[32], blob[32];
	int64_t time, key_epoch, helpful;
	bool readable;             /* me holds a key of its epoch */
	bool marked_by_me;
};
/* Posts, newest first, up to limit (0: all). */
int query_group_posts(struct store *st, const uint8_t group[32], const uint8_t *me, size_t limit,
		      int (*cb)(void *ud, const struct q_group_post *p), void *ud,
		      struct mv_err *err);

/* A group or proposal from what a user types: the full hex id, the first
 * 6+ hex digits, or (groups) the exact name. MV_ENOTFOUND / MV_EINVAL
 * (ambiguous) with a message. */
int query_group_resolve(struct store *st, const char *text, uint8_t out[32], struct mv_err *err);
int query_proposal_resolve(struct store *st, const char *text, uint8_t out[32], struct mv_err *err);

/* ---- proposals ------------------------------------------------------------- */

struct q_proposal {
	struct gov_proposal p;     /* stored facts and the state at now */
	char description[4001];
	char group_name[GROUP_NAME_MAX + 1];
	int64_t quorum_power;      /* for + abstain needed */
	int64_t turnout_bp;        /* (for + against + abstain) / total */
	int64_t for_bp;            /* for / (for + against), 0 if none */
	int64_t next_time;         /* when the state changes next (0: never) */
	const char *next_what;     /* "voting opens" | "voting ends" | "executable" | "expires" */
	char my_vote[16];          /* "" if me has not voted */
	int64_t my_power;          /* power me would cast (0 with why_no_power) */
	char why_no_power[160];
};
enum q_proposal_filter { QP_ALL, QP_PLATFORM, QP_GROUP, QP_LIVE /* pending or active */ };
/* Proposals newest first; group filters QP_GROUP to one group (NULL: all). */
int query_proposals(struct store *st, int64_t now, const uint8_t *me, enum q_proposal_filter f,
		    const uint8_t *group, int (*cb)(void *ud, const struct q_proposal *p), void *ud,
		    struct mv_err *err);
int query_proposal(struct store *st, const uint8_t id[32], int64_t now, const uint8_t *me,
		   struct q_proposal *out, struct mv_err *err);

struct q_action {
	int64_t idx;
	char type[32];
	char text[256];            /* gov_action_describe */
	const uint8_t *body;       /* the encoded action */
	size_t len;
};
int query_proposal_actions(struct store *st, const uint8_t id[32],
			   int (*cb)(void *ud, const struct q_action *a), void *ud, struct mv_err *err);

struct q_vote {
	uint8_t voter[32];
	char choice[16];
	int64_t power, time, first_time, changes;
	char reason[201];
};
/* Who voted, by power (largest first), then voter. */
int query_proposal_votes(struct store *st, const uint8_t id[32],
			 int (*cb)(void *ud, const struct q_vote *v), void *ud, struct mv_err *err);

/* ---- delegation ------------------------------------------------------------ */

struct q_delegation {
	bool delegating;
	uint8_t to[32];            /* direct delegate */
	int64_t since;
	uint8_t final[32];         /* end of the chain (votes with this power) */
	int hops;
	int64_t delegators;        /* accounts whose chains end at this account */
	int64_t own_power;         /* staking voting power at now */
	int64_t vote_power;        /* what it would cast now (0 when delegating) */
};
int query_delegation(struct store *st, const uint8_t account[32], int64_t now,
		     struct q_delegation *out, struct mv_err *err);
/* Accounts delegating directly to account now, by account. */
int query_delegators(struct store *st, const uint8_t account[32], int64_t now,
		     int (*cb)(void *ud, const uint8_t who[32], int64_t since), void *ud,
		     struct mv_err *err);

/* ---- upgrades ---------------------------------------------------------------- */

/* The banner: upgrades_status (gov.h). */
void query_upgrade_status(struct store *st, struct upgrade_status *out);
struct q_upgrade {
	int64_t version, epoch, time;
	uint8_t proposal[32];
	bool in_force;
};
int query_upgrades(struct store *st, int (*cb)(void *ud, const struct q_upgrade *u), void *ud,
		   struct mv_err *err);

/* ---- compliance ------------------------------------------------------------- */

struct q_reg_request {
	uint8_t id[32], regulator[32], subject[32];
	char scope[16], legal_basis[201], state[16], deny_reason[201];
	int64_t created, decided_at, delivered_at;
	int64_t signatures, threshold; /* council approvals so far (pending requests) */
	bool signed_by_me;
};
/* Requests oldest first; subject / regulator filter when not NULL. */
int query_regulator_requests(struct store *st, const uint8_t *subject, const uint8_t *regulator,
			     const uint8_t *me, int (*cb)(void *ud, const struct q_reg_request *r),
			     void *ud, struct mv_err *err);

struct q_notice {
	uint8_t op[32], request[32];
	bool has_request;
	int64_t time;
	char text[400];
};
/* What the subject was told (Home screen cards), newest first. */
int query_compliance_notices(struct store *st, const uint8_t subject[32],
			     int (*cb)(void *ud, const struct q_notice *n), void *ud,
			     struct mv_err *err);

enum q_report_kind { QR_AUDIT, QR_REQUEST, QR_ERASURE, QR_RETENTION };
const char *query_report_kind_name(enum q_report_kind k);
struct q_report_row {
	enum q_report_kind kind;
	int64_t time;
	uint8_t op[32], who[32], subject[32];
	char what[300];
};
struct q_compliance_report {
	int64_t from, to;          /* [from, to) effective time */
	int64_t audit_entries, emergency_accesses;
	int64_t requests, requests_granted, requests_denied, requests_fulfilled, requests_pending;
	int64_t erasures, blobs_erased;
	int64_t retention_sweeps, sessions_retained, blobs_expired;
};
/* show compliance-report --from --to: the totals into out, and (cb not
 * NULL) every row in time order: audit entries, data requests (by their
 * creation), erasures and retention actions. */
int query_compliance_report(struct store *st, int64_t from, int64_t to,
			    struct q_compliance_report *out,
			    int (*cb)(void *ud, const struct q_report_row *r), void *ud,
			    struct mv_err *err);

/* Whether account was erased, and its pseudonym. */
bool query_erased(struct store *st, const uint8_t account[32], char *pseudonym, size_t len);

/* ---- bots ---------------------------------------------------------------------- */

struct q_bot {
	uint8_t bot[32];
	char name[65], scopes[600];
	bool suspended;
	char suspend_reason[201];
	int64_t users, grants;
	bool enabled_by_me;
	int64_t granted_by_me;
};
/* Current bots by name. */
int query_bots(struct store *st, const uint8_t *me, int (*cb)(void *ud, const struct q_bot *b),
	       void *ud, struct mv_err *err);

#endif
