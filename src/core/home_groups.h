/* home_groups.h - the home-level side of peer-support groups
 * (contracts/groups.c): making and rotating group keys, sealing them to
 * members, encrypting a post with the current group key before group.post,
 * and opening posts for a local identity. The CLI and the TUI call these;
 * neither touches crypto.
 *
 * A group key is 32 random bytes per key epoch; each member gets it sealed
 * (crypto_box_seal, BLOB_SEALED_LEN bytes, like blob keys) to their current
 * key. A post is nonce(24) | secretbox(padded text, group key), stored in
 * local_blobs and referenced by hash. Secret keys are unlocked per call and
 * wiped; plaintext buffers made here are wiped before being freed. */
#ifndef MV_HOME_GROUPS_H
#define MV_HOME_GROUPS_H

#include "home.h"
#include "blob.h"

/* ---- the crypto, without a home (used by the helpers below and tests) -- */

/* A fresh random group key. */
void groups_key_new(uint8_t key[32]);
/* Seal key to the holder of Ed25519 public key reader_pk. */
int groups_key_seal(const uint8_t key[32], const uint8_t reader_pk[32],
		    uint8_t out[BLOB_SEALED_LEN], struct mv_err *err);
/* Open a sealed group key with Ed25519 secret key sk; MV_ECRYPTO if it is
 * not sealed to sk. */
int groups_key_open(const uint8_t sealed[BLOB_SEALED_LEN], const uint8_t sk[64], uint8_t key[32],
		    struct mv_err *err);
/* Encrypt a post (padded to 256-byte blocks) under key: cipher is
 * initialised here, hash = BLAKE2b-256 of it (the blob hash). */
int groups_post_seal(const uint8_t key[32], const void *plain, size_t n, struct mv_buf *cipher,
		     uint8_t hash[32], struct mv_err *err);
/* Decrypt and unpad; plain is initialised here (NUL-terminated). */
int groups_post_open(const uint8_t key[32], const uint8_t *cipher, size_t n, struct mv_buf *plain,
		     struct mv_err *err);
/* The sealed key of member for (group, epoch) from state; MV_ENOTFOUND. */
int groups_sealed_key(struct store *st, const uint8_t group[32], int64_t epoch,
		      const uint8_t member[32], uint8_t out[BLOB_SEALED_LEN], struct mv_err *err);

/* ---- home helpers (identity `as`, NULL = default) ----------------------- */

struct home_group_args {
	const char *name, *topic, *charter;   /* charter may be NULL */
	const char *join_policy;               /* open | invite | application */
	const uint8_t (*invite)[32];           /* initial members to invite */
	size_t ninvite;
	bool stake_weighted;
};
/* group.create with a new group key sealed to you. res->id is the group. */
int home_groups_create(struct home *h, const char *as, const struct home_group_args *a,
		       struct submit_result *res, struct mv_err *err);

/* group.rotate: a new key for the next epoch (or the pending one after a
 * member left), sealed to every current member. */
int home_groups_rotate(struct home *h, const char *as, const uint8_t group[32],
		       struct submit_result *res, struct mv_err *err);

/* group.key_share for every current member lacking the current key (new
 * members), resealed from your own. *shared = ops applied. */
int home_groups_share_keys(struct home *h, const char *as, const uint8_t group[32],
			   size_t *shared, struct mv_err *err);

/* group.apply. A non-empty message (at most GROUP_APPLY_MESSAGE_MAX bytes)
 * is encrypted to the group's current moderators only (a blob whose key is
 * sealed to each); NULL or "" applies without one. */
#define GROUP_APPLY_MESSAGE_MAX 1000
int home_groups_apply(struct home *h, const char *as, const uint8_t group[32], const char *message,
		      struct submit_result *res, struct mv_err *err);

/* The message of applicant's latest application to group, opened for `as`
 * (plain initialised here, NUL-terminated). MV_ENOTFOUND: no message, or
 * it was not sealed to you (you were not a moderator when they applied). */
int home_groups_open_application(struct home *h, const char *as, const uint8_t group[32],
				 const uint8_t applicant[32], struct mv_buf *plain,
				 struct mv_err *err);

/* Encrypt text with the current group key and send group.post; rotates
 * first if a member left since the last key. MV_ENOTFOUND if you hold no
 * key of the current epoch yet (a member must share it). */
int home_groups_post(struct home *h, const char *as, const uint8_t group[32], const char *text,
		     struct submit_result *res, struct mv_err *err);

/* Open post (its group.post op id) for `as`: plain is initialised here.
 * MV_ENOTFOUND: no key of that epoch for you (e.g. posted after you left),
 * or the blob is not on this node; MV_EINVAL "blob erased". */
int home_groups_open_post(struct home *h, const char *as, const uint8_t post[32],
			  struct mv_buf *plain, struct mv_err *err);

#endif
