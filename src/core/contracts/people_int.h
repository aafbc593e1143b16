/* people_int.h - what the three people contracts (users.c, verify.c,
 * access.c) share with each other and nobody else: the council's
 * pending-approval mechanism (each member signs the same request; the action
 * happens when council_threshold distinct current members have signed), key
 * bookkeeping for social recovery, and small validators. Other contracts use
 * people.h. Everything here is deterministic: it reads only state tables and
 * the apply context. */
#ifndef MV_PEOPLE_INT_H
#define MV_PEOPLE_INT_H

#include "../people.h"

/* Jurisdiction codes: "US", "US-CA", "DE-BY" (ISO 3166-1 alpha-2, optional
 * subdivision of 1..3 upper-case letters or digits). */
bool people_jurisdiction_valid(const char *j);

/* True if key is in use as an account or a recovery key (a registered user,
 * an appointed identity, or any key listed in account_keys). */
bool people_key_in_use(struct store *st, const uint8_t key[32]);

/* True if guardian is one of account's recovery guardians. */
bool people_is_guardian(struct store *st, const uint8_t account[32], const uint8_t guardian[32]);

/* Council pending approvals.
 *
 * A request is identified by its topic (BLAKE2b of the op kind, the subject
 * and every field that must match between signers). council_sign records
 * ctx->actor's signature on it; rejects "not allowed: only council members
 * may ..." for non-members and "already signed this request" for a repeat.
 * *reached is set when the number of distinct signers who are council members
 * now reaches param council_threshold; the caller then performs the action
 * and calls council_close(kind, subject), which deletes every pending
 * request of that kind about that subject (competing proposals included).
 * summary is shown in the review queue; the op's body is stored with the
 * request so another member's UI can co-sign by sending the same body. */
int council_sign(struct apply_ctx *ctx, const char *kind, const uint8_t subject[32],
		 const uint8_t topic[32], const char *summary, bool *reached);
int council_close(struct apply_ctx *ctx, const char *kind, const uint8_t subject[32]);

/* topic = BLAKE2b-256(kind | 0 | subject | extra). */
void council_topic(uint8_t out[32], const char *kind, const uint8_t subject[32],
		   const void *extra, size_t extra_len);

#endif
