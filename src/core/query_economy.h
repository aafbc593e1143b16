/* query_economy.h - read-only views of the economy (staking, treasury,
 * rewards, reputation) for the CLI and the TUI. Nothing here writes: the
 * staking figures "now" are projections of the accumulator to the given
 * time, computed exactly as the next staking op would. Every function calls
 * back once per row in a stable order (cb returns non-zero to stop); rows
 * and the strings in them are only valid during the callback. */
#ifndef MV_QUERY_ECONOMY_H
#define MV_QUERY_ECONOMY_H

#include "store.h"
#include "economy.h"

/* ---- staking ------------------------------------------------------------ */

struct q_stake {
	uint8_t id[32], owner[32];
	int64_t amount, period_days, weight_bp, weighted;
	int64_t start, lock_end;
	bool unlocked;      /* lock_end <= now: staking.unstake is allowed */
	bool closed;        /* unstaked */
	int64_t closed_at;
	int64_t accrued;    /* claimable at now (0 once closed) */
	int64_t claimed;    /* rewards paid so far */
};
/* Stakes of owner (every account's if NULL), open ones first, then by
 * start and id; closed ones only if include_closed. */
int query_stakes(struct store *st, const uint8_t *owner, bool include_closed, int64_t now,
		 int (*cb)(void *ud, const struct q_stake *r), void *ud, struct mv_err *err);

/* The pool at now (balance, reserved for stakers, free, totals, rate). */
int query_staking_pool(struct store *st, int64_t now, struct staking_pool_info *out,
		       struct mv_err *err);

/* What a staking.stake {amount, period} sent at now would do: the weight,
 * the unlock time and an estimate of rewards per day at today's totals,
 * floor(rate * w / (W + w)), and over the whole lock (per day x days, both
 * capped at the pool's free balance). ok = false with why when the op would
 * be refused for its amount or period (funds are not checked). */
struct q_stake_preview {
	bool ok;
	char why[128];
	int64_t weight_bp, weighted, lock_end;
	int64_t est_per_day, est_over_lock;
};
int query_stake_preview(struct store *st, int64_t amount, int64_t period_days, int64_t now,
			struct q_stake_preview *out, struct mv_err *err);

/* Voting power at now (staking_voting_power) and its two parts. */
struct q_voting_power {
	int64_t weighted_stake, bonus, total;
	int trust;
};
void query_voting_power(struct store *st, const uint8_t account[32], int64_t now,
			struct q_voting_power *out);

/* ---- treasury ----------------------------------------------------------- */

/* The treasury's balance after each move, oldest first (for the chart). */
struct q_treasury_point {
	uint8_t op[32];
	int64_t time;
	int64_t delta;      /* signed change */
	int64_t balance;    /* after this move */
	const char *memo;
};
int query_treasury_history(struct store *st,
			   int (*cb)(void *ud, const struct q_treasury_point *r), void *ud,
			   struct mv_err *err);

/* Council spends, newest first; pending_only limits to status "pending"
 * (a pending spend past its expiry is reported as "expired"). signers are
 * every signature in signing order; valid_signers those still on the
 * council; threshold the current council_threshold. */
#define Q_SPEND_MAX_SIGNERS 64
struct q_spend {
	uint8_t id[32], proposer[32], to[32];
	int64_t amount, nonce, created, expires, closed_at;
	const char *purpose;
	const char *status; /* pending | paid | cancelled | expired */
	size_t nsigners;
	uint8_t signers[Q_SPEND_MAX_SIGNERS][32];
	int64_t signed_at[Q_SPEND_MAX_SIGNERS];
	int64_t valid_signers, threshold;
};
int query_treasury_spends(struct store *st, bool pending_only, int64_t now,
			  int (*cb)(void *ud, const struct q_spend *r), void *ud,
			  struct mv_err *err);

/* The council's spending limit at time now: limit per spend and per window
 * (treasury_council_window; 0 = per spend only), what council spends paid
 * within the window ending now, and what a new spend may still be (left). */
struct q_council_room {
	int64_t limit, window, paid, left;
};
int query_treasury_council_room(struct store *st, int64_t now, struct q_council_room *r,
				struct mv_err *err);

/* ---- rewards ------------------------------------------------------------ */

/* Payouts received by account (every account's if NULL), newest first:
 * session rewards, community distributions and staking claims, each with
 * the op that justified it. */
struct q_payout {
	uint8_t op[32], account[32];
	int64_t time, amount;
	const char *kind;  /* session:patient | session:therapist | community | staking */
	bool has_ref;
	uint8_t ref[32];   /* session / proposal / stake */
	const char *note;  /* the period of a distribution */
};
int query_rewards_received(struct store *st, const uint8_t *account, size_t limit,
			   int (*cb)(void *ud, const struct q_payout *r), void *ud,
			   struct mv_err *err);

/* ---- reputation --------------------------------------------------------- */

/* Components (one per dimension, see reputation_explain); returns trust. */
int query_reputation(struct store *st, const uint8_t account[32], int64_t now,
		     int (*cb)(void *ud, const struct rep_component *c), void *ud);

/* The account's reputation events up to now, newest first, each with its
 * value at now (decayed, in 1/1000 points toward zero). limit 0 = all. */
struct q_rep_event {
	uint8_t op[32];
	int64_t time;
	enum rep_dim dim;
	int64_t delta, decayed_milli;
	const char *why;
};
int query_reputation_history(struct store *st, const uint8_t account[32], int64_t now,
			     size_t limit, int (*cb)(void *ud, const struct q_rep_event *r),
			     void *ud, struct mv_err *err);

/* Trust at n evenly spaced times from `from` to `to` inclusive (n >= 2), for
 * a history chart; out must hold n values. */
int query_reputation_series(struct store *st, const uint8_t account[32], int64_t from,
			    int64_t to, size_t n, int *out, struct mv_err *err);

#endif
