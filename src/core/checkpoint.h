/* checkpoint.h - reading and making council checkpoints (contract in
 * contracts/checkpoints.c; finalization in engine.c). */
#ifndef MV_CHECKPOINT_H
#define MV_CHECKPOINT_H

#include "store.h"

struct checkpoint {
	int64_t epoch;
	int64_t time;
	uint8_t root[32];
	uint8_t digest[32];
	struct mv_buf heads; /* MVV1 vector; free with mv_buf_free */
};

/* The final checkpoint of epoch in contract state: MV_OK, or MV_ENOTFOUND. */
int checkpoint_final_get(struct store *st, int64_t epoch, struct checkpoint *cp, struct mv_err *err);
/* Highest epoch final in contract state (0 if none). */
int64_t checkpoint_last_final(struct store *st);
/* Checkpoints proposed for epoch (content signed by at least one member),
 * oldest digest first; cb returns non-zero to stop. */
int checkpoint_proposals(struct store *st, int64_t epoch,
			 int (*cb)(void *ud, const struct checkpoint *cp), void *ud, struct mv_err *err);
/* True if signer has signed a checkpoint for epoch. */
bool checkpoint_signed_by(struct store *st, int64_t epoch, const uint8_t signer[32]);

#endif
