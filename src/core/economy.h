/* economy.h - what other contracts (sessions, groups, governance) and the
 * read-only queries call on the economy contracts: staking, treasury, rewards
 * and reputation (src/core/contracts/{staking,treasury,rewards,reputation}.c).
 * docs/contracts/economy.md documents every op, rule and rounding.
 *
 * Everything here is deterministic: times are effective times (ctx->now or
 * a `now` given by the caller), amounts are int64 base units, no floating
 * point. Functions taking an apply_ctx run inside the caller's op and its
 * savepoint: they return MV_OK, MV_EREJECT (ctx->reason set; the caller
 * should return it so the whole op is rejected) or MV_ERR (SQLite failure).
 * Every payout they make is recorded under ctx->op->id, the op that
 * justified it. */
#ifndef MV_ECONOMY_H
#define MV_ECONOMY_H

#include "contract.h"

/* System account holding staked principal. Staking rewards stay in
 * SYS_REWARDS until claimed. */
#define SYS_STAKING "staking"

/* ---- staking (staking.c) ------------------------------------------------ */

/* Sum of floor(amount * weight_bp / 10000) over the account's stakes that are
 * open at `now` (started at or before now, not unstaked by then). */
int64_t staking_weighted_stake(struct store *st, const uint8_t account[32], int64_t now);

/* Voting power at `now` = weighted stake + reputation bonus, where
 *   bonus = floor(weighted * trust * stake_voting_rep_bonus_bp / (1000 * 10000))
 * with trust = reputation_trust(account, now) in 0..1000 and the parameter
 * stake_voting_rep_bonus_bp (default 2500: up to +25% at full trust). An
 * account with nothing staked has no voting power, whatever its reputation,
 * so reputation cannot be farmed into votes by Sybil accounts. Stakes keep
 * their start and close times, so a past `now` gives a snapshot. Saturates at
 * INT64_MAX (cannot happen with the fixed supply). */
int64_t staking_voting_power(struct store *st, const uint8_t account[32], int64_t now);

/* Bring the staking reward accumulator up to ctx->now. Called by staking ops
 * and before anything else takes MVT out of the reward pool; governance must
 * call it before changing stake_reward_per_day or the staking weights, so
 * the old rate applies up to the change. */
int staking_checkpoint(struct apply_ctx *ctx);

/* The reward pool as staking sees it at `now` (read-only: projects the
 * accumulator forward without writing). reserved = rewards accrued to stakers
 * and not yet claimed (rounded up); free = balance - reserved, what other
 * payouts may use. */
struct staking_pool_info {
	int64_t balance;        /* SYS_REWARDS balance */
	int64_t reserved;       /* owed to stakers, not yet claimed */
	int64_t free;           /* balance - reserved (never negative) */
	int64_t total_staked;   /* principal held in SYS_STAKING */
	int64_t total_weighted; /* sum of open stakes' weighted amounts */
	int64_t rate_per_day;   /* stake_reward_per_day */
	int64_t open_stakes;
};
int staking_pool(struct store *st, int64_t now, struct staking_pool_info *out, struct mv_err *err);

/* Rewards a stake has accrued and not claimed at `now` (0 for a closed
 * stake); MV_ENOTFOUND for an unknown stake. Read-only. */
int staking_accrued(struct store *st, const uint8_t stake[32], int64_t now, int64_t *out,
		    struct mv_err *err);

/* ---- treasury (treasury.c) ---------------------------------------------- */

/* Pay amount from the treasury to `to` for an executed governance proposal:
 * no council limit applies (governance already decided). Rejects a
 * non-positive amount, a payment to the treasury itself, an empty purpose
 * and "insufficient funds: ..." if the treasury lacks it. Recorded in
 * treasury_payouts under ctx->op->id with kind "governance". */
int treasury_pay(struct apply_ctx *ctx, const uint8_t to[32], int64_t amount,
		 const char *purpose);

/* ---- rewards (rewards.c) ------------------------------------------------ */

/* The sessions contract calls this when a session settles (never for a
 * cancelled or disputed-and-refunded one). Pays session_reward_patient to
 * the patient, then session_reward_therapist to the therapist, from the
 * reward pool's free balance (each capped by what is left of it, so the
 * pool never pays more than it holds and never touches what stakers are
 * owed). A session is rewarded once: a second call for the same session id
 * pays nothing and returns MV_OK. Rejects patient == therapist. */
int rewards_session_settled(struct apply_ctx *ctx, const uint8_t session[32],
			    const uint8_t patient[32], const uint8_t therapist[32]);

/* A community reward distribution approved by governance: pays amounts[i] to
 * accounts[i] from the reward pool's free balance, all or nothing. There is
 * no op kind for it: only the governance contract's execution of an approved
 * proposal calls this (ctx->op is then the execution op, and `proposal`, if
 * not NULL, the proposal id recorded as the justification). Rejects: period
 * empty, longer than 32 bytes or already distributed; n == 0 or above
 * REWARDS_MAX_RECIPIENTS; an amount <= 0; an account listed twice; a payment
 * to the reward pool itself; a total above the free pool. */
#define REWARDS_MAX_RECIPIENTS 1024
int rewards_distribute(struct apply_ctx *ctx, const uint8_t *proposal, const char *period,
		       const uint8_t (*accounts)[32], const int64_t *amounts, size_t n);

/* Free balance of the reward pool at `now` (see staking_pool). */
int64_t rewards_pool_free(struct store *st, int64_t now);

/* Record one payout in reward_payouts (op = ctx->op->id, the next index of
 * that op): kind is "session:patient", "session:therapist", "community" or
 * "staking"; ref the session / proposal / stake id (may be NULL); note a
 * short text (period, ...). Used by the economy contracts themselves. */
int rewards_record(struct apply_ctx *ctx, const uint8_t account[32], const char *kind,
		   int64_t amount, const uint8_t *ref, const char *note);

/* ---- reputation (reputation.c) ------------------------------------------ */

enum rep_dim {
	REP_RELIABILITY = 0, /* attendance, no-shows, late cancellations */
	REP_CARE = 1,        /* session ratings received */
	REP_COMMUNITY = 2,   /* peer-support posts marked helpful */
	REP_GOVERNANCE = 3,  /* votes cast */
	REP__COUNT
};
const char *reputation_dim_name(enum rep_dim d);

/* Points the other contracts should use, so the scales stay comparable. */
#define REP_PTS_ATTENDED 10      /* checked in and the session took place */
#define REP_PTS_NO_SHOW (-30)    /* marked no-show */
#define REP_PTS_LATE_CANCEL (-10) /* cancelled inside the full-refund window */
#define REP_PTS_RATING_STEP 25   /* per star above/below 3, before weighting */
#define REP_PTS_HELPFUL 10       /* a post marked helpful, before weighting */
#define REP_PTS_VOTE 5           /* a vote cast on a proposal */
#define REP_MAX_DELTA 10000      /* |delta_points| bound per event */

/* Record a reputation event for account caused by the current op: stored as
 * (account, dim, op, time = ctx->now, delta, why). There is no op kind that
 * sets reputation: only contract rules call this. Rejects an unknown
 * dimension, |delta| > REP_MAX_DELTA, and a `why` that is empty or over 120
 * bytes. */
int reputation_event(struct apply_ctx *ctx, const uint8_t account[32], enum rep_dim dim,
		     int64_t delta_points, const char *why);

/* Weight in basis points (1000..10000) of a rating or helpful mark given by
 * `rater` at `now`: 1000 + 6000 * trust / 1000 + 3000 * min(weighted stake,
 * cap) / cap, each term floored, cap = rep_rating_stake_cap (default
 * 1000 MVT). A new account with no stake counts 10%. */
int64_t reputation_rating_weight(struct store *st, const uint8_t rater[32], int64_t now);

/* An event whose weight depends on who gives it (ratings, helpful marks):
 * delta = trunc(base_points * reputation_rating_weight(from, ctx->now) / 10000)
 * (truncated toward zero). Rejects from == account. */
int reputation_weighted_event(struct apply_ctx *ctx, const uint8_t from[32],
			      const uint8_t account[32], enum rep_dim dim, int64_t base_points,
			      const char *why);

/* A session rating of 1..5 stars by rater (the sessions contract checks that
 * rater is the patient of a completed, paid session): a weighted care event
 * of (stars - 3) * REP_PTS_RATING_STEP base points for `rated`. */
int reputation_rating(struct apply_ctx *ctx, const uint8_t rater[32], const uint8_t rated[32],
		      int stars, const char *why);

/* 2^(-age / half_life) in Q32 (1.0 = 2^32), integer only: whole half-lives
 * are exact shifts; the fraction comes from a 257-entry table of 2^(-i/256)
 * with linear interpolation (relative error below 1e-6, never below the
 * exact value by more than one Q32 unit). age <= 0 or half_life <= 0 gives
 * 2^32; 64 half-lives or more give 0. */
uint64_t reputation_decay_q32(int64_t age_ms, int64_t half_life_ms);

/* Trust score 0..1000 at `now` (events after now are ignored). */
int reputation_trust(struct store *st, const uint8_t account[32], int64_t now);

/* "Why this score": one row per dimension, then returns the trust score. */
struct rep_component {
	enum rep_dim dim;
	int64_t events;          /* events up to now */
	int64_t raw_points;      /* sum of deltas, undecayed */
	int64_t decayed_milli;   /* sum of decayed deltas, in 1/1000 points (toward zero) */
	int64_t half_sat;        /* points at which this dimension scores 500 */
	int score;               /* 0..1000 */
	int64_t weight_bp;       /* this dimension's weight */
	bool counted;            /* part of the trust average */
	int64_t contribution_milli; /* score * weight / total counted weight, x1000 */
};
int reputation_explain(struct store *st, const uint8_t account[32], int64_t now,
		       int (*cb)(void *ud, const struct rep_component *c), void *ud);

#endif
