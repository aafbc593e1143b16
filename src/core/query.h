/* query.h - read-only views of the store for the CLI and the TUI.
 * Nothing here writes; every function reads state or log tables and calls
 * back once per row (cb returns non-zero to stop early). Rows are only
 * valid during the callback. */
#ifndef MV_QUERY_H
#define MV_QUERY_H

#include "store.h"

struct q_balance {
	uint8_t account[32];
	int64_t amount;
};
int query_balances(struct store *st, int (*cb)(void *ud, const struct q_balance *r),
		   void *ud, struct mv_err *err);

enum q_status { Q_APPLIED = 1, Q_REJECTED = 0, Q_WAITING = -1, Q_EXCLUDED = -2 };

struct q_logrow {
	uint8_t id[32];
	uint8_t author[32];
	uint64_t seq;
	uint64_t clock;
	int64_t epoch;       /* ENGINE_TENTATIVE while tentative */
	char kind[33];
	int status;          /* enum q_status */
	char reason[256];
	const uint8_t *body; /* the op's body bytes */
	size_t body_len;
};
/* Ops in total order, newest first when newest_first; pending ops (gap or
 * future) are listed with status Q_WAITING after the log. kind_prefix and
 * author filter when non-NULL. */
int query_log(struct store *st, bool newest_first, size_t limit, size_t offset,
	      const char *kind_prefix, const uint8_t *author,
	      int (*cb)(void *ud, const struct q_logrow *r), void *ud, struct mv_err *err);
size_t query_log_count(struct store *st);
size_t query_pending_count(struct store *st);

struct q_param {
	const char *name;
	int64_t value;
};
int query_params(struct store *st, int (*cb)(void *ud, const struct q_param *r),
		 void *ud, struct mv_err *err);

/* Money moves touching account, oldest first: the wallet history. */
struct q_move {
	uint8_t op[32];
	int64_t time;        /* effective time of the op, ms */
	uint8_t from[32], to[32];
	int64_t amount;
	const char *memo;
	int64_t balance_after; /* account's balance after this move */
};
int query_moves(struct store *st, const uint8_t account[32],
		int (*cb)(void *ud, const struct q_move *r), void *ud, struct mv_err *err);

/* Network name (from genesis params) into out; "" if none. */
int query_network_name(struct store *st, char *out, size_t outlen);

/* Council members. */
int query_council(struct store *st, int (*cb)(void *ud, const uint8_t member[32]),
		  void *ud, struct mv_err *err);

/* ---- queries for the terminal UI (query_ui.c) ---------------------------
 * Read-only, like everything here. They exist so that screens over a large
 * log stay fast: windows and pages come from the log_ops order index and
 * never decode the ops they skip. Pending ops are not included (query_log
 * lists them). */

/* Ops by author in the log. */
size_t query_author_op_count(struct store *st, const uint8_t author[32]);

/* Ops of the log in total order (newest first when newest_first), rows
 * offset .. offset+limit-1. */
int query_log_window(struct store *st, bool newest_first, size_t offset, size_t limit,
		     int (*cb)(void *ud, const struct q_logrow *r), void *ud,
		     struct mv_err *err);

/* Up to limit ops of the log that come after `after` (by its epoch, clock,
 * id) in the given direction; after NULL starts at the beginning. For
 * scanning the whole log in steps without OFFSET costs. */
int query_log_after(struct store *st, bool newest_first, const struct q_logrow *after,
		    size_t limit, int (*cb)(void *ud, const struct q_logrow *r), void *ud,
		    struct mv_err *err);


/* ---- checkpoints and finality (query.c) ------------------------------ */

/* A final epoch as this node finalized it. */
struct q_epoch {
	int64_t epoch;
	int64_t time;       /* close time, ms */
	int64_t ops;        /* ops the epoch moved into the final prefix */
	uint8_t root[32];   /* the council-signed root */
	bool root_matches;  /* this node's root at that point was the same */
};
/* Final epochs, newest first. */
int query_epochs(struct store *st, int (*cb)(void *ud, const struct q_epoch *r), void *ud,
		 struct mv_err *err);
/* Finality at a glance: last final epoch and its time (0 if none), ops
 * still tentative, and signatures gathered for the next epoch's most-signed
 * proposal against the council threshold. */
struct q_finality {
	int64_t last_epoch, last_time, tentative_ops;
	int64_t next_signatures, threshold;
};
int query_finality(struct store *st, struct q_finality *out, struct mv_err *err);

#endif
