/* home_companion.h - the companion at the home level: the key of an
 * identity's companion entries (derived from its secret key, unlocked with
 * the passphrase rules of home_submit), sharing check-ins with a therapist
 * (sealed like every private blob, announced by access.share_mood), and
 * opening a share as its therapist or its patient. The CLI and the TUI call
 * these and companion.h; neither touches crypto. Nothing here uses the
 * network or a model: the companion runs on this device. */
#ifndef MV_HOME_COMPANION_H
#define MV_HOME_COMPANION_H

#include "home.h"
#include "companion.h"

/* Unlock `as` (NULL: default identity) and derive its companion key into
 * key (the caller wipes it: sodium_memzero); owner gets the identity's
 * public key, under which its entries are stored. */
int home_companion_key(struct home *h, const char *as, uint8_t owner[32],
		       uint8_t key[COMPANION_KEY_LEN], struct mv_err *err);

/* True when home_companion_key can derive the key of `as` without asking
 * for a passphrase (an unprotected key file, or MENTALVERSE_PASSPHRASE), so
 * a screen may unlock while it loads; otherwise it waits for a keypress. */
bool home_companion_key_ready(struct home *h, const char *as);

/* Share n check-ins with therapist as `as`: turns share_mood_with_therapist
 * on first when it is off (privacy.set; *turned_on says so), seals the
 * share (companion_share_encode) to the therapist and to you, keeps the
 * ciphertext in local_blobs and submits access.share_mood. MV_OK when the
 * op is in the log (res says applied or rejected). */
int home_companion_share(struct home *h, const char *as, const uint8_t therapist[32],
			 const struct companion_checkin *v, size_t n, bool *turned_on,
			 struct submit_result *res, struct mv_err *err);

/* Open share s with the key sealed to local identity `as` (its therapist's
 * or its patient's) and pass its check-ins to cb. MV_ENOTFOUND: the blob is
 * not on this node yet; MV_ECRYPTO: `as` is neither party. */
int home_companion_open_share(struct home *h, const char *as, const struct companion_share *s,
			      int (*cb)(void *ud, const struct companion_checkin *c), void *ud,
			      struct mv_err *err);

/* The therapists account is in active care with (query_care), in the
 * order the store lists them; cb returns non-zero to stop. */
int home_companion_therapists(struct home *h, const uint8_t account[32],
			      int (*cb)(void *ud, const uint8_t therapist[32]), void *ud,
			      struct mv_err *err);

#endif
