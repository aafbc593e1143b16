/* log.h - accepting ops into the log (DESIGN §3).
 *
 * Pipeline per op: decode -> network -> signature -> duplicate -> chain.
 * An op whose seq is ahead of what the log holds for its author waits in
 * log_pending until the gap fills (then it is accepted automatically); an op
 * whose clock lies more than LOG_FUTURE_MS ahead of local time waits the same
 * way until its time comes. A second, different op for an (author, seq) the
 * log already holds is equivocation: both are kept in log_evidence and the
 * author is flagged in log_equivocation. Nothing accepted is ever dropped.
 *
 * Acceptance only stores; engine_run() applies what was stored. */
#ifndef MV_LOG_H
#define MV_LOG_H

#include "store.h"
#include "op.h"

#define LOG_FUTURE_MS (10 * 60 * 1000)

enum log_result {
	LOG_NEW = 0,      /* stored in the log */
	LOG_DUPLICATE,    /* already held (log, pending or evidence) */
	LOG_PENDING,      /* waiting for a gap to fill or for its time */
	LOG_EQUIVOCATION, /* conflicting op kept as evidence */
	LOG_REFUSED,      /* undecodable, wrong network, bad signature, broken chain */
};

struct log_counts {
	size_t new_, duplicate, pending, equivocation, refused;
};

/* Accept one encoded op. Must be called inside a transaction. now_ms is the
 * local wall clock (for the future-clock hold). A genesis op is accepted only
 * into a store that has no network yet, and then defines it. On LOG_REFUSED
 * err says why. Returns the result (>= 0) or a negative MV_E* on failure. */
int log_accept(struct store *st, const uint8_t *raw, size_t len, int64_t now_ms,
	       struct mv_err *err);

/* Accept an already decoded and verified op (the fast path of batches). */
int log_accept_verified(struct store *st, const struct op *op, int64_t now_ms,
			struct mv_err *err);

/* Decode and verify n ops on up to `threads` threads (0 = one per core).
 * ok[i] is set true for ops that decoded and verified; for the others
 * errs[i] holds the reason. ops[] entries are filled for decoded ops. */
int log_verify_batch(const uint8_t *const *raws, const size_t *lens, size_t n,
		     struct op *ops, bool *ok, struct mv_err *errs, int threads);

/* Move pending ops whose gap filled or whose time came into the log. */
int log_promote_pending(struct store *st, int64_t now_ms, size_t *promoted,
			struct mv_err *err);

/* The network id of this store (the genesis op id); MV_ENOTFOUND if none. */
int log_network(struct store *st, uint8_t out[32], struct mv_err *err);

/* Highest seq and its id for author in the log (0 and zeros if none). */
int log_head(struct store *st, const uint8_t author[32], uint64_t *seq,
	     uint8_t id[32], uint64_t *clock, struct mv_err *err);

/* Highest clock of any op in the log (0 if empty). */
uint64_t log_max_clock(struct store *st);

#endif
