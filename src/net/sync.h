/* sync.h - syncing a home with one peer over HTTPS (DESIGN §7).
 *
 * One round = info, pull, blobs, push:
 *   1. GET /v1/info: the peer's network (must be ours), heads and state root.
 *   2. pull: POST our head vector to /v1/ops/since and import each page with
 *      home_import (every op verified; a bad page is refused whole) until the
 *      peer says no more, at most max_pages pages.
 *   3. blobs: ops referring to blobs we lack (blobref.h) are fetched with
 *      GET /v1/blobs/HASH; a blob the peer lacks stays wanted.
 *   4. push: the ops the peer's heads lack, in pages to POST /v1/ops.
 * Resumable by construction: the log is the resume point, so an interrupted
 * round loses nothing and the next one continues where this one stopped.
 * The peer's status, contact time and acknowledged heads are recorded
 * (peers.h) when the peer is known. */
#ifndef MV_SYNC_H
#define MV_SYNC_H

#include "core/home.h"
#include "net/client.h"

#define SYNC_MAX_PAGES 64
#define SYNC_MAX_BLOBS 256 /* blobs fetched per round */

struct sync_opts {
	int max_pages;              /* per direction per round; 0: SYNC_MAX_PAGES */
	struct client_opts client;
};

struct sync_stats {
	size_t pulled, pushed;       /* ops received / sent */
	struct import_counts in;     /* what our imports of pulled pages did */
	size_t peer_new;             /* ops the peer stored new from our pushes */
	size_t pages_in, pages_out;
	size_t blobs, blobs_missing; /* fetched / still wanted */
	uint64_t bytes;              /* HTTP bytes both ways */
	uint64_t behind, ahead;      /* ops the peer had that we lacked, and the reverse, at start */
	bool complete;               /* both directions finished within max_pages */
	char state_root[65];         /* the peer's, from its info */
};

/* Progress for a UI: phase "info", "pull", "blobs", "push"; total may be 0
 * when unknown. */
typedef void (*sync_progress_fn)(void *ud, const char *phase, uint64_t done, uint64_t total);

/* One round with the peer at address (https://HOST:PORT#sha256//PIN). */
int sync_peer(struct home *h, const char *address, const struct sync_opts *o,
	      sync_progress_fn progress, void *ud, struct sync_stats *st, struct mv_err *err);

/* Fill a home without a network from the peer at address: its genesis and
 * all ops, every one verified; the genesis must be the network the peer
 * announces and, once we hold exactly the peer's heads, our state root
 * must equal the peer's. A home already holding part of that network (an
 * interrupted join) just continues. The peer is added to our peers. */
int sync_join(struct home *h, const char *address, const struct sync_opts *o,
	      sync_progress_fn progress, void *ud, struct sync_stats *st, struct mv_err *err);

#endif
