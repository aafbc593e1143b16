/* home_people.h - the home-level side of private data for the people
 * contracts: encrypting a private profile, an emergency contact or a
 * license proof for the right readers (blob_seal + blob_put into this
 * node's local_blobs), building and submitting the ops that carry the blob
 * hash and sealed keys (user.register, profile.update, profile.share,
 * verify.submit, verify.ce), and opening a blob someone shared with a local
 * identity. The CLI and the TUI call these; neither touches crypto.
 *
 * Plaintext never leaves this process unencrypted: only ciphertext is
 * stored (and travels with bundles), and only hashes and sealed keys go
 * into ops. Secret keys are unlocked per call and wiped after use. */
#ifndef MV_HOME_PEOPLE_H
#define MV_HOME_PEOPLE_H

#include "home.h"

/* NAME's Ed25519 secret key (64 bytes), unlocked with the same passphrase
 * rules as home_submit (MENTALVERSE_PASSPHRASE, empty for unprotected
 * files, else the front end's ask_pass). The caller must sodium_memzero sk. */
int home_secret_key(struct home *h, const char *name, uint8_t sk[64], struct mv_err *err);

/* The acting account of local identity `as` (NULL: default identity):
 * itself, or the account a recovery moved to its key. */
int home_people_account(struct home *h, const char *as, uint8_t account[32], struct mv_err *err);

/* Pad plain to a multiple of 256 bytes (sodium_pad), encrypt it for
 * readers' current keys (people_current_key of each account) and store the
 * ciphertext locally. The blob opens with home_people_open*, which unpad. sealed is initialised here
 * (nreaders * BLOB_SEALED_LEN bytes, in reader order). */
int home_people_seal(struct home *h, const void *plain, size_t n, const uint8_t (*readers)[32],
		     size_t nreaders, uint8_t hash[32], struct mv_buf *sealed, struct mv_err *err);

struct home_register_args {
	const char *role;              /* patient | therapist */
	const char *display_name;      /* patients: a pseudonym */
	const char *jurisdiction;      /* US, US-CA, DE, ... */
	const char *bio;               /* therapists only; NULL = none */
	const char *languages;         /* comma-separated, NULL = none */
	const char *private_profile;   /* text encrypted to yourself; NULL = none */
	const char *emergency_contact; /* text encrypted to yourself; NULL = none */
};
/* user.register as `as`, with the private profile and emergency contact
 * encrypted to yourself, in one call. */
int home_people_register(struct home *h, const char *as, const struct home_register_args *a,
			 struct submit_result *res, struct mv_err *err);

/* profile.update replacing blob `what` (profile | emergency) with new text
 * encrypted to yourself (earlier shares are dropped by the contract). */
int home_people_set_private(struct home *h, const char *as, const char *what, const char *text,
			    struct submit_result *res, struct mv_err *err);

/* profile.share: reseal your key of blob `what` to account `to`'s current
 * key. */
int home_people_share(struct home *h, const char *as, const uint8_t to[32], const char *what,
		      struct submit_result *res, struct mv_err *err);

/* Open owner's blob `what` with the key shared with local identity `as`.
 * plain is initialised here (caller frees, and should wipe it).
 * MV_ENOTFOUND: nothing shared with you, or the blob is not on this node. */
int home_people_open(struct home *h, const char *as, const uint8_t owner[32], const char *what,
		     struct mv_buf *plain, struct mv_err *err);

/* verify.submit with the proof (e.g. a scanned license) encrypted to every
 * council member, in council order. specialties comma-separated (or NULL). */
struct home_verify_args {
	const char *license_no, *board, *jurisdiction, *specialties;
	int64_t expires;
	const void *proof;
	size_t proof_len;
};
int home_people_verify_submit(struct home *h, const char *as, const struct home_verify_args *a,
			      struct submit_result *res, struct mv_err *err);

/* Open therapist's license proof as council member `as`. */
int home_people_open_proof(struct home *h, const char *as, const uint8_t therapist[32],
			   struct mv_buf *plain, struct mv_err *err);

#endif
