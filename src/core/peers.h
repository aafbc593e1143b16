/* peers.h - the node's known peers (local_peers) and what each is known to
 * hold (local_peer_heads). Node-local data: never part of the state root.
 *
 * A peer is identified by its full address `https://HOST:PORT#sha256//PIN`;
 * the pin is kept in its own column too. The acknowledged heads of a peer
 * are the per-author seqs it is known to hold (from its /v1/info, or ops it
 * accepted from us); they give the TUI its "ops no peer has yet" count. */
#ifndef MV_PEERS_H
#define MV_PEERS_H

#include "heads.h"

#define PEER_ADDR_MAX 320

struct peer {
	char address[PEER_ADDR_MAX];
	char pin[64];           /* "sha256//BASE64" */
	int64_t added_ms;
	int64_t last_contact_ms; /* 0: never reached */
	int64_t last_sync_ms;    /* 0: never synced completely */
	char status[256];        /* "new", "ok", or the last error */
	int64_t behind;          /* ops it had that we lacked, at last contact */
	int64_t ahead;           /* ops we had that it lacked, at last contact */
};

/* Add a peer (address already validated by the caller); MV_EEXIST if known. */
int peers_add(struct store *st, const char *address, const char *pin, struct mv_err *err);
/* Remove a peer and its heads; MV_ENOTFOUND if unknown. */
int peers_remove(struct store *st, const char *address, struct mv_err *err);
/* MV_OK and *out filled, or MV_ENOTFOUND. */
int peers_get(struct store *st, const char *address, struct peer *out, struct mv_err *err);
/* Every peer, ordered by address; cb returns non-zero to stop. */
int peers_list(struct store *st, int (*cb)(void *ud, const struct peer *p), void *ud,
	       struct mv_err *err);
size_t peers_count(struct store *st);

/* Record the outcome of talking to a peer: status text ("ok" or the error),
 * contact time (0 keeps the previous), whether a full sync completed at
 * now_ms, and the behind/ahead counts (negative keeps the previous). */
int peers_record(struct store *st, const char *address, const char *status, int64_t contact_ms,
		 bool synced, int64_t behind, int64_t ahead, struct mv_err *err);

/* Raise the peer's acknowledged heads to at least h. */
int peers_ack(struct store *st, const char *address, const struct heads *h, struct mv_err *err);

/* Ops of our log that no known peer is known to hold (with no peers: all
 * of them). */
uint64_t peers_unshared(struct store *st);

#endif
