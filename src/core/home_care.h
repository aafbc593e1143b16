/* home_care.h - the home-level side of the care contracts' private data:
 * session notes, dispute reasons, rating comments and insurance policy
 * details are encrypted for the right readers (home_people_seal: padded,
 * sealed to each reader's current key, ciphertext kept in local_blobs)
 * before the op that carries their hash and sealed keys is built and
 * submitted; and a blob sealed to a local identity is opened again. Also
 * availability.set from an array of windows. The CLI and the TUI call
 * these; neither touches crypto.
 *
 * Plaintext never leaves this process unencrypted; secret keys are
 * unlocked per call into guarded memory and wiped. */
#ifndef MV_HOME_CARE_H
#define MV_HOME_CARE_H

#include "home.h"
#include "blob.h"

/* note.add on session as its therapist `as` (NULL: default identity):
 * text is sealed to the therapist alone, or, when shared, to the therapist
 * and the patient (the order the contract expects). */
int home_care_note_add(struct home *h, const char *as, const uint8_t session[32],
		       const char *text, bool shared, struct submit_result *res,
		       struct mv_err *err);

/* Open blob `hash` with `key`, the blob key sealed to local identity `as`.
 * plain is initialised here (the caller frees it, and should wipe it).
 * MV_ENOTFOUND: the blob is not on this node; MV_ECRYPTO: the key is not
 * for `as`. */
int home_care_open(struct home *h, const char *as, const uint8_t hash[32],
		   const uint8_t key[BLOB_SEALED_LEN], struct mv_buf *plain, struct mv_err *err);

/* claim.submit for session to insurer, with the policy details sealed to
 * the insurer alone. */
int home_care_claim_submit(struct home *h, const char *as, const uint8_t session[32],
			   const uint8_t insurer[32], const char *policy, struct submit_result *res,
			   struct mv_err *err);

/* session.dispute with the reason sealed to the session's patient and
 * therapist. */
int home_care_dispute(struct home *h, const char *as, const uint8_t session[32],
		      const char *reason, struct submit_result *res, struct mv_err *err);

/* session.rate with stars 1..5 and an optional comment (NULL or "": none)
 * sealed to the session's patient and therapist. */
int home_care_rate(struct home *h, const char *as, const uint8_t session[32], int stars,
		   const char *comment, struct submit_result *res, struct mv_err *err);

/* availability.set with n [start, end) pairs (windows holds 2n ms values,
 * ascending). n = 0 clears the future. */
int home_care_availability_set(struct home *h, const char *as, const int64_t *windows, size_t n,
			       struct submit_result *res, struct mv_err *err);

#endif
