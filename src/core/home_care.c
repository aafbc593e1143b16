/* home_care.c - private data of the care contracts at the home level (see
 * home_care.h): seal a note, a dispute reason, a rating comment or policy
 * details to the readers the contract expects, keep the ciphertext
 * locally, submit the op carrying its hash and sealed keys; open a blob
 * sealed to a local identity. Blobs are sealed with home_people_seal, so
 * they are padded like every private blob (a note's length shows only in
 * 256-byte steps). */
#include "home_care.h"
#include "home_people.h"
#include "care.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The block home_people_seal pads to (home_people.c). */
#define HC_PAD_BLOCK 256

static int hc_submit(struct home *h, const char *as, const char *kind, struct body_builder *bb,
		     struct submit_result *res, struct mv_err *err)
{
	struct mv_buf body = {0};
	if (bb_build(bb, &body, err) != MV_OK)
		return MV_EINVAL;
	int rc = home_submit(h, as, kind, body.data, body.len, res, err);
	mv_buf_free(&body);
	return rc;
}

static int hc_session(struct home *h, const uint8_t id[32], struct care_session *s,
		      struct mv_err *err)
{
	int rc = care_session_get(h->st, id, s, err);
	if (rc == MV_ENOTFOUND)
		return mv_fail(err, MV_ENOTFOUND, "no such session");
	return rc;
}

/* Seal text to readers; hash and sealed keys out (sealed initialised). */
static int hc_seal_text(struct home *h, const char *text, const uint8_t (*readers)[32],
			size_t n, uint8_t hash[32], struct mv_buf *sealed, struct mv_err *err)
{
	return home_people_seal(h, text, strlen(text), readers, n, hash, sealed, err);
}

int home_care_note_add(struct home *h, const char *as, const uint8_t session[32],
		       const char *text, bool shared, struct submit_result *res,
		       struct mv_err *err)
{
	struct care_session s;
	uint8_t readers[2][32], hash[32];
	struct mv_buf sealed = {0};
	if (!text || !text[0])
		return mv_fail(err, MV_EINVAL, "the note is empty");
	if (hc_session(h, session, &s, err) != MV_OK)
		return MV_ERR;
	memcpy(readers[0], s.therapist, 32);
	memcpy(readers[1], s.patient, 32);
	size_t n = shared ? 2 : 1;
	if (hc_seal_text(h, text, (const uint8_t(*)[32])readers, n, hash, &sealed, err) != MV_OK)
		return MV_ERR;
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "session", session);
	bb_id(&bb, "blob", hash);
	bb_int(&bb, "shared", shared ? 1 : 0);
	bb_list_begin(&bb, "sealed_keys");
	for (size_t i = 0; i < n; i++)
		bb_list_bytes(&bb, sealed.data + i * BLOB_SEALED_LEN, BLOB_SEALED_LEN);
	bb_list_end(&bb);
	mv_buf_free(&sealed);
	return hc_submit(h, as, "note.add", &bb, res, err);
}

int home_care_open(struct home *h, const char *as, const uint8_t hash[32],
		   const uint8_t key[BLOB_SEALED_LEN], struct mv_buf *plain, struct mv_err *err)
{
	struct mv_buf cipher = {0};
	char name[KS_NAME_MAX + 1];
	size_t unpadded = 0;
	memset(plain, 0, sizeof *plain);
	if (as)
		snprintf(name, sizeof name, "%s", as);
	else if (home_default_identity(h, name, sizeof name, err) != MV_OK)
		return MV_ERR;
	int rc = blob_get(h->st, hash, &cipher, err);
	if (rc == MV_ENOTFOUND)
		return mv_fail(err, MV_ENOTFOUND, "the encrypted blob is not on this node (yet)");
	if (rc != MV_OK)
		return rc;
	uint8_t *sk = sodium_malloc(64);
	if (!sk)
		rc = mv_fail(err, MV_ERR, "out of memory");
	if (rc == MV_OK)
		rc = home_secret_key(h, name, sk, err);
	if (rc == MV_OK)
		rc = blob_open(cipher.data, cipher.len, key, sk, plain, err);
	if (sk)
		sodium_free(sk);
	mv_buf_free(&cipher);
	if (rc == MV_OK && sodium_unpad(&unpadded, plain->data, plain->len, HC_PAD_BLOCK) != 0) {
		sodium_memzero(plain->data, plain->len);
		mv_buf_free(plain);
		return mv_fail(err, MV_EINVAL, "blob is not padded as home_people_seal pads");
	}
	if (rc == MV_OK)
		plain->len = unpadded;
	return rc;
}

int home_care_claim_submit(struct home *h, const char *as, const uint8_t session[32],
			   const uint8_t insurer[32], const char *policy, struct submit_result *res,
			   struct mv_err *err)
{
	uint8_t hash[32];
	struct mv_buf sealed = {0};
	if (!policy || !policy[0])
		return mv_fail(err, MV_EINVAL, "policy details are required (they are encrypted to "
				   "the insurer)");
	if (hc_seal_text(h, policy, (const uint8_t(*)[32])insurer, 1, hash, &sealed, err) != MV_OK)
		return MV_ERR;
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "session", session);
	bb_id(&bb, "insurer", insurer);
	bb_id(&bb, "policy_blob", hash);
	bb_bytes(&bb, "policy_key", sealed.data, BLOB_SEALED_LEN);
	mv_buf_free(&sealed);
	return hc_submit(h, as, "claim.submit", &bb, res, err);
}

/* Add BLOBFIELD, KEYSFIELD and READERSFIELD for text sealed to the
 * session's patient and therapist. */
static int hc_add_party_blob(struct home *h, struct body_builder *bb, const uint8_t session[32],
			     const char *text, const char *blobf, const char *keysf,
			     const char *readersf, struct mv_err *err)
{
	struct care_session s;
	uint8_t readers[2][32], hash[32];
	struct mv_buf sealed = {0};
	if (hc_session(h, session, &s, err) != MV_OK)
		return MV_ERR;
	memcpy(readers[0], s.patient, 32);
	memcpy(readers[1], s.therapist, 32);
	if (hc_seal_text(h, text, (const uint8_t(*)[32])readers, 2, hash, &sealed, err) != MV_OK)
		return MV_ERR;
	bb_id(bb, blobf, hash);
	bb_list_begin(bb, keysf);
	for (size_t i = 0; i < 2; i++)
		bb_list_bytes(bb, sealed.data + i * BLOB_SEALED_LEN, BLOB_SEALED_LEN);
	bb_list_end(bb);
	bb_list_begin(bb, readersf);
	for (size_t i = 0; i < 2; i++)
		bb_list_id(bb, readers[i]);
	bb_list_end(bb);
	mv_buf_free(&sealed);
	return MV_OK;
}

int home_care_dispute(struct home *h, const char *as, const uint8_t session[32],
		      const char *reason, struct submit_result *res, struct mv_err *err)
{
	struct body_builder bb;
	if (!reason || !reason[0])
		return mv_fail(err, MV_EINVAL, "say why you dispute the session (only its parties "
				   "can read it)");
	bb_init(&bb);
	bb_id(&bb, "session", session);
	if (hc_add_party_blob(h, &bb, session, reason, "reason_blob", "reason_keys",
			      "reason_readers", err) != MV_OK) {
		bb_free(&bb);
		return MV_ERR;
	}
	return hc_submit(h, as, "session.dispute", &bb, res, err);
}

int home_care_rate(struct home *h, const char *as, const uint8_t session[32], int stars,
		   const char *comment, struct submit_result *res, struct mv_err *err)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "session", session);
	bb_int(&bb, "stars", stars);
	if (comment && comment[0] &&
	    hc_add_party_blob(h, &bb, session, comment, "comment_blob", "comment_keys",
			      "comment_readers", err) != MV_OK) {
		bb_free(&bb);
		return MV_ERR;
	}
	return hc_submit(h, as, "session.rate", &bb, res, err);
}

int home_care_availability_set(struct home *h, const char *as, const int64_t *windows, size_t n,
			       struct submit_result *res, struct mv_err *err)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_list_begin(&bb, "windows");
	for (size_t i = 0; i < 2 * n; i++)
		bb_list_int(&bb, windows[i]);
	bb_list_end(&bb);
	return hc_submit(h, as, "availability.set", &bb, res, err);
}
