/* netsync.h - the terminal app's side of the network: background sync
 * (DESIGN §7, §8: long work never freezes input), the top bar's network
 * status, and this node's address to share.
 *
 * A round syncs with every known peer in turn (net/sync.h) on a worker
 * thread that opens its own home, hence its own SQLite connection, on the
 * app's directory (WAL lets both connections work at once). The worker
 * never touches curses or the app's home: it reports through a status
 * behind a mutex that the event loop copies (netsync_poll, netsync_get).
 *
 * Rounds start on an interval while the home has peers (the first one at
 * once), right after the user submits an op (netsync_kick), or when asked
 * (netsync_start, the Network screen's "sync now"). The node counts as
 * online while the last round that reached at least one peer ended within
 * two intervals. */
#ifndef MV_UI_NETSYNC_H
#define MV_UI_NETSYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/peers.h"

#define NETSYNC_INTERVAL_MS 30000
/* Seconds between background rounds, overriding the default (1..86400). */
#define NETSYNC_INTERVAL_ENV "MENTALVERSE_SYNC_INTERVAL"

struct netsync_status {
	/* the round in progress */
	bool running;
	bool manual;               /* asked for with netsync_start */
	char phase[16];            /* "open", "info", "pull", "blobs", "push" */
	char peer[PEER_ADDR_MAX];  /* the peer being synced */
	size_t peer_no, npeers;    /* 1-based number of that peer, peers in the round */
	uint64_t done, total;      /* progress of the phase (total 0: unknown) */
	/* the last round that had peers to sync with */
	unsigned rounds;           /* such rounds finished since the app started */
	bool last_manual;
	int64_t last_end;          /* when it ended, ms (0: none yet) */
	size_t last_ok, last_failed; /* peers synced / peers that failed */
	size_t last_in, last_out;  /* ops that came in new / ops we sent */
	char last_error[512];      /* the first failure ("" if none) */
	int64_t last_ok_end;       /* end of the last round with a peer synced (0: none) */
};

struct netsync;

/* Start the background syncer for the home at home_dir (no round runs yet).
 * interval_ms 0 takes NETSYNC_INTERVAL_ENV, else NETSYNC_INTERVAL_MS. */
int netsync_open(struct netsync **out, const char *home_dir, int64_t interval_ms,
		 struct mv_err *err);
/* Cancel a round in progress, wait for the worker and free. NULL is fine. */
void netsync_close(struct netsync *ns);
int64_t netsync_interval(const struct netsync *ns);

/* Start a round now (manual: the user asked; a round already running
 * then counts as the one asked for). False with err filled if the worker
 * could not start, or if a round is running and !manual. */
bool netsync_start(struct netsync *ns, bool manual, struct mv_err *err);
/* Ask for a round as soon as possible (after the user made an op): at the
 * next poll, or when the running one ends. */
void netsync_kick(struct netsync *ns);
/* Peers changed: the next interval round counts from now. */
void netsync_rearm(struct netsync *ns, int64_t now);

enum {
	NETSYNC_PROGRESS = 1 << 0, /* the status changed: redraw */
	NETSYNC_DONE = 1 << 1,     /* a round ended: the store may have changed */
	NETSYNC_ASKED = 1 << 2,    /* ... and it was a netsync_start(manual) one with peers */
};
/* For the event loop, every turn: reap a finished worker, start a round
 * when one is due. Returns NETSYNC_* flags. */
int netsync_poll(struct netsync *ns, int64_t now);
/* A copy of the status. */
void netsync_get(struct netsync *ns, struct netsync_status *out);

/* Online: the last round that reached a peer ended within two intervals. */
bool netsync_online(const struct netsync_status *s, int64_t interval, int64_t now);
/* When this home last completed a sync with any peer (local_peers), 0 if
 * never: what "last sync" shows before the app's first round. */
int64_t netsync_stored_last(struct store *st);
/* The top bar's network part in one of four sizes (0 the widest):
 * "● online · synced 14:05 │ ↑3 unsent │ " and shorter forms. unsent
 * is peers_unshared(); stored_last is netsync_stored_last(). */
void netsync_topbar(char *out, size_t outlen, int size, const struct netsync_status *s,
		    int64_t interval, int64_t stored_last, uint64_t unsent, int64_t now);

/* One line about the last round: "synced with 1 of 2 peers: 3 ops in, 1
 * out" and, with_error, "; failed: REASON" ("" before the first round). */
void netsync_summary(char *out, size_t outlen, const struct netsync_status *s, bool with_error);
/* How far the round in progress is, in thousandths: each peer an equal
 * share, and within one info, pull, blobs and push take 10, 60, 10 and 20%
 * (the pull and push parts move with their counts). */
int netsync_permille(const struct netsync_status *s);
/* What the round in progress is doing: "peer 1 of 2, pull 120/1930". */
void netsync_phase_text(char *out, size_t outlen, const struct netsync_status *s);

struct home;
/* This node's address to share, as `mentalverse address` prints it: the
 * listen address `serve` last used (else 127.0.0.1:7420) and the pin of
 * the node's TLS key (made if absent). */
int netsync_address(struct home *h, char *out, size_t outlen, struct mv_err *err);

#endif
