/* home_compliance.h - the node-local side of compliance
 * (contracts/compliance.c): destroying blobs the contract listed for
 * erasure or retention (blobs are not contract state, so each node deletes
 * its own copies), the right of access and portability (export-my-data:
 * everything an identity may read, decrypted, as JSON files), and sealing a
 * subject's data to a regulator once the council granted a request. */
#ifndef MV_HOME_COMPLIANCE_H
#define MV_HOME_COMPLIANCE_H

#include "home.h"

/* Tombstone (blob_erase) every local blob that compliance_purge lists and
 * this node has not erased yet; *purged (may be NULL) = blobs erased now.
 * Runs in the caller's transaction if one is open, else in its own. Meant
 * to run after each engine run (submit, import, sync). */
int compliance_purge(struct store *st, size_t *purged, struct mv_err *err);
int home_compliance_purge(struct home *h, size_t *purged, struct mv_err *err);

/* export-my-data: write into dir (created 0700 if absent) one JSON file per
 * kind of data the local identity `as` (NULL: default) may read: its
 * account and public record, private profile and emergency contact,
 * profiles shared with it, wallet moves, stakes, sessions, notes and other
 * blobs sealed to it (decrypted), groups and posts it can read, proposals,
 * votes and delegation, reputation events, the audit log about it,
 * compliance notices and its companion entries (companion.json). Files are written atomically with mode 0600; a blob
 * that cannot be opened here is listed with the reason instead of its
 * text. *files (may be NULL) = files written. */
int home_compliance_export(struct home *h, const char *as, const char *dir, size_t *files,
			   struct mv_err *err);

/* regulator.deliver for a granted request, as the subject or their
 * therapist `as`: the data in the request's scope that `as` can read, as
 * one JSON document, sealed to the regulator. */
int home_compliance_fulfil(struct home *h, const char *as, const uint8_t request[32],
			   struct submit_result *res, struct mv_err *err);

/* The regulator `as` opens what was delivered for request. plain is
 * initialised here (JSON text). */
int home_compliance_open_delivery(struct home *h, const char *as, const uint8_t request[32],
				  struct mv_buf *plain, struct mv_err *err);

#endif
