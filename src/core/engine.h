/* engine.h - total order, apply, undo/redo of the tentative tail, state root.
 *
 * Total order is (epoch, clock, id). Genesis has epoch 0; ops not yet in a
 * final checkpoint have epoch ENGINE_TENTATIVE and sort after every final
 * epoch by (clock, id). engine_run() applies every stored, unapplied op in
 * that order. If one sorts before ops already applied, the engine first
 * undoes those ops (newest first) by inverting the changesets SQLite sessions
 * recorded when they were applied, then applies the new op and replays.
 * Ops are applied in segments of up to ENGINE_SEGMENT ops sharing one
 * session; undo works a segment at a time.
 *
 * Outcomes are state: op_outcome(id, ok, reason) is hashed in the root, so
 * every node agrees on which ops were rejected and why. */
#ifndef MV_ENGINE_H
#define MV_ENGINE_H

#include "store.h"
#include "op.h"

#define ENGINE_TENTATIVE INT64_MAX
#define ENGINE_SEGMENT 256

struct engine_stats {
	size_t applied, rejected, undone, excluded;
};

/* Progress callback: done of total; return non-zero to stop early (state
 * stays consistent: the rest is applied by the next run). */
typedef int (*engine_progress_fn)(void *ud, size_t done, size_t total);

/* Apply everything stored and unapplied. Must run inside a transaction. */
int engine_run(struct store *st, struct engine_stats *stats,
	       engine_progress_fn progress, void *ud, struct mv_err *err);

/* Undo every applied op whose order key is >= (epoch, clock, id), so that the
 * next engine_run re-applies them (used when equivocation evidence changes
 * how an author's ops count). Must run inside a transaction. */
int engine_rewind(struct store *st, int64_t epoch, uint64_t clock, const uint8_t id[32],
		  struct mv_err *err);

/* The state root this node would have right after the ops covered by the
 * head vector heads were finalized as epoch (computed in a transaction that
 * is rolled back: nothing changes). Used by council nodes before co-signing
 * a checkpoint. MV_ENOTFOUND if the log lacks some covered op. Must run
 * outside a transaction. */
int engine_root_at(struct store *st, int64_t epoch, const uint8_t *heads, size_t hn,
		   uint8_t root[32], struct mv_err *err);

/* Effective time of an op: max(ms of its clock, time of the last final
 * checkpoint before it in the order). */
int64_t engine_effective_time(struct store *st, const struct op *op, int64_t epoch);

/* Outcome of op id: 1 applied, 0 rejected (reason filled), -1 not applied
 * yet / pending, -2 excluded (author equivocated). */
int engine_outcome(struct store *st, const uint8_t id[32], char *reason,
		   size_t reasonlen);

/* Undo every applied op (used by verify and tests): leaves state empty of
 * tentative effects. Must run inside a transaction. */
int engine_undo_all(struct store *st, struct mv_err *err);

#endif
