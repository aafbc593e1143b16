/* bundle_blobs.h - the blob section that may follow the ops of a bundle
 * file (export / import), so that a USB stick carries blobs too.
 *
 *   bundle file = MVB1 bundle [ "MVBL" | count varint | (len varint | ciphertext) * count ]
 *
 * Only ciphertext travels; each blob's hash is recomputed on import (it is
 * the hash ops refer to). Lengths are 1..BLOB_MAX+64 bytes, varints minimal,
 * no trailing bytes. A plain MVB1 bundle (no section) stays valid. */
#ifndef MV_BUNDLE_BLOBS_H
#define MV_BUNDLE_BLOBS_H

#include "store.h"

#define BUNDLE_BLOBS_MAGIC "MVBL"

/* Append the section with every blob this node holds (erased ones have no
 * data and are left out); appends nothing when there are none. */
int bundle_blobs_export(struct store *st, struct mv_buf *out, struct mv_err *err);

/* Find where the ops bundle in data ends (*ops_len) and check the blob
 * section after it, if any (*sec, *sec_len; NULL/0 when absent). A
 * malformed ops part is left for bundle_decode to report: *ops_len = len. */
int bundle_blobs_split(const uint8_t *data, size_t len, size_t *ops_len, const uint8_t **sec,
		       size_t *sec_len, struct mv_err *err);

/* Store every blob of a checked section, in the caller's transaction or
 * in one of its own (tombstoned blobs stay erased; each hash is recomputed
 * from the data). *count = blobs in the section. */
int bundle_blobs_import(struct store *st, const uint8_t *sec, size_t len, size_t *count,
			struct mv_err *err);

#endif
