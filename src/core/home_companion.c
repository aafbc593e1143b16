/* home_companion.c - the companion at the home level (see
 * home_companion.h). Secret keys are unlocked into guarded memory for one
 * call and wiped; the derived companion key goes back to the caller, which
 * keeps it only as long as it shows entries. A share's plaintext is wiped
 * before it is freed. */
#include "home_companion.h"
#include "home_care.h"
#include "home_people.h"
#include "people.h"
#include "query_people.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int home_companion_key(struct home *h, const char *as, uint8_t owner[32],
		       uint8_t key[COMPANION_KEY_LEN], struct mv_err *err)
{
	char name[KS_NAME_MAX + 1];
	if (as)
		snprintf(name, sizeof name, "%s", as);
	else if (home_default_identity(h, name, sizeof name, err) != MV_OK)
		return MV_ERR;
	if (keystore_public(h->keydir, name, owner, err) != MV_OK)
		return MV_ERR;
	uint8_t *sk = sodium_malloc(64);
	if (!sk)
		return mv_fail(err, MV_ERR, "out of memory");
	int rc = home_secret_key(h, name, sk, err);
	if (rc == MV_OK)
		companion_key_derive(sk, key);
	sodium_free(sk);
	return rc;
}

bool home_companion_key_ready(struct home *h, const char *as)
{
	return (as && keystore_is_unprotected(h->keydir, as)) || getenv("MENTALVERSE_PASSPHRASE");
}

/* privacy.set share_mood_with_therapist=yes when it is off. */
static int hcp_consent(struct home *h, const char *as, const uint8_t self[32], bool *turned_on,
		       struct submit_result *res, struct mv_err *err)
{
	static char field[] = "share_mood_with_therapist=yes";
	char *fields[] = {field};
	struct people_privacy p;
	*turned_on = false;
	people_privacy_get(h->st, self, &p);
	if (p.share_mood_with_therapist)
		return MV_OK;
	int rc = home_submit_fields(h, as, "privacy.set", 1, fields, res, err);
	if (rc != MV_OK)
		return rc;
	if (res->outcome != 1)
		return mv_fail(err, MV_EREJECT, "could not turn on share_mood_with_therapist: %s",
			       res->outcome == 0 ? res->reason : "the op waits to be applied");
	*turned_on = true;
	return MV_OK;
}

int home_companion_share(struct home *h, const char *as, const uint8_t therapist[32],
			 const struct companion_checkin *v, size_t n, bool *turned_on,
			 struct submit_result *res, struct mv_err *err)
{
	uint8_t self[32], hash[32], readers[2][32];
	struct mv_buf plain = {0}, sealed = {0}, body = {0};
	bool on = false;
	if (turned_on)
		*turned_on = false;
	if (n == 0)
		return mv_fail(err, MV_EINVAL, "no check-ins to share");
	if (home_people_account(h, as, self, err) != MV_OK)
		return MV_ERR;
	if (!people_in_care(h->st, therapist, self))
		return mv_fail(err, MV_EINVAL, "that account is not your therapist (no active care "
				   "relation: it starts when a therapist confirms your first session)");
	int rc = companion_share_encode(v, n, &plain, err);
	if (rc == MV_OK)
		rc = hcp_consent(h, as, self, &on, res, err);
	if (turned_on)
		*turned_on = on;
	memcpy(readers[0], therapist, 32);
	memcpy(readers[1], self, 32);
	if (rc == MV_OK)
		rc = home_people_seal(h, plain.data, plain.len, (const uint8_t(*)[32])readers, 2, hash,
				      &sealed, err);
	if (plain.data)
		sodium_memzero(plain.data, plain.cap);
	mv_buf_free(&plain);
	if (rc != MV_OK)
		return rc;
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "therapist", therapist);
	bb_id(&bb, "blob", hash);
	bb_list_begin(&bb, "sealed_keys");
	bb_list_bytes(&bb, sealed.data, BLOB_SEALED_LEN);
	bb_list_bytes(&bb, sealed.data + BLOB_SEALED_LEN, BLOB_SEALED_LEN);
	bb_list_end(&bb);
	mv_buf_free(&sealed);
	if (bb_build(&bb, &body, err) != MV_OK)
		return MV_EINVAL;
	rc = home_submit(h, as, "access.share_mood", body.data, body.len, res, err);
	mv_buf_free(&body);
	return rc;
}

int home_companion_open_share(struct home *h, const char *as, const struct companion_share *s,
			      int (*cb)(void *ud, const struct companion_checkin *c), void *ud,
			      struct mv_err *err)
{
	uint8_t self[32];
	struct mv_buf plain = {0};
	if (home_people_account(h, as, self, err) != MV_OK)
		return MV_ERR;
	const uint8_t *key = memcmp(self, s->therapist, 32) == 0 ? s->therapist_key
			     : memcmp(self, s->patient, 32) == 0 ? s->patient_key : NULL;
	if (!key)
		return mv_fail(err, MV_ECRYPTO, "this share is not sealed to you");
	int rc = home_care_open(h, as, s->blob, key, &plain, err);
	if (rc == MV_OK)
		rc = companion_share_decode(plain.data, plain.len, cb, ud, err);
	if (plain.data)
		sodium_memzero(plain.data, plain.cap);
	mv_buf_free(&plain);
	return rc;
}

struct hcp_find {
	const uint8_t *patient;
	int (*cb)(void *ud, const uint8_t therapist[32]);
	void *ud;
};

static int hcp_care_cb(void *ud, const struct q_care *c)
{
	struct hcp_find *f = ud;
	if (memcmp(c->patient, f->patient, 32) != 0)
		return 0;
	return f->cb(f->ud, c->therapist);
}

int home_companion_therapists(struct home *h, const uint8_t account[32],
			      int (*cb)(void *ud, const uint8_t therapist[32]), void *ud,
			      struct mv_err *err)
{
	struct hcp_find f = {account, cb, ud};
	return query_care(h->st, account, hcp_care_cb, &f, err) < 0 ? MV_ERR : MV_OK;
}
