/* blobref.h - which blobs the log refers to and this node still lacks.
 *
 * Contracts decide which ops carry blobs; sync needs one generic rule: any
 * BODY_ID field whose key contains "blob" (a list of IDs under such a key
 * too) is a blob reference. blobref_scan reads ops stored since its last run
 * (a cursor in local_meta) and records referenced blobs this node neither
 * holds nor has erased in local_blob_wants. Sync fetches wants from peers;
 * an erased blob (tombstone in local_blobs) is never wanted again. */
#ifndef MV_BLOBREF_H
#define MV_BLOBREF_H

#include "store.h"

/* Scan new ops; *found = wants added. Opens its own transaction. */
int blobref_scan(struct store *st, size_t *found, struct mv_err *err);

/* Up to max wanted hashes, least tried first; tombstoned ones are dropped. */
int blobref_wants(struct store *st, uint8_t (*out)[32], size_t max, size_t *n,
		  struct mv_err *err);
size_t blobref_want_count(struct store *st);

/* A wanted blob arrived: check its hash, store it, drop the want.
 * MV_EINVAL if the data does not hash to `hash`. */
int blobref_got(struct store *st, const uint8_t hash[32], const uint8_t *cipher, size_t n,
		struct mv_err *err);
/* A peer did not have it: count the try (it stays wanted). */
int blobref_missed(struct store *st, const uint8_t hash[32], struct mv_err *err);

/* Collect the blob references of one op body into refs (up to max). */
size_t blobref_of_body(const uint8_t *body, size_t len, uint8_t (*refs)[32], size_t max);

#endif
