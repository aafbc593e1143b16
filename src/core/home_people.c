/* home_people.c - private data for the people contracts, at the home level
 * (see home_people.h): encrypt for the right readers, keep the ciphertext
 * in local_blobs, put hashes and sealed keys in ops, open what was shared.
 * Secret keys are unlocked into sodium-allocated memory for the duration of
 * one call and wiped; plaintext buffers built here are wiped before being
 * freed. Blobs made here are padded to 256-byte blocks (open them with
 * home_people_open / home_people_open_proof, which unpad). */
#include "home_people.h"
#include "blob.h"
#include "people.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Plaintext is padded (ISO/IEC 7816-4, sodium_pad) to a multiple of this
 * before encryption, so a ciphertext's length tells a peer little about
 * the text (a short real name and a long one look alike). */
#define HP_PAD_BLOCK 256

/* Resolve `as` (NULL: default identity) into a name. */
static int as_name(struct home *h, const char *as, char name[KS_NAME_MAX + 1], struct mv_err *err)
{
	if (as) {
		snprintf(name, KS_NAME_MAX + 1, "%s", as);
		return MV_OK;
	}
	return home_default_identity(h, name, KS_NAME_MAX + 1, err);
}

int home_people_account(struct home *h, const char *as, uint8_t account[32], struct mv_err *err)
{
	char name[KS_NAME_MAX + 1];
	uint8_t pk[32];
	if (as_name(h, as, name, err) != MV_OK || keystore_public(h->keydir, name, pk, err) != MV_OK)
		return MV_ERR;
	if (!account_of_key(h->st, pk, account))
		return mv_fail(err, MV_EINVAL, "identity %s holds a key retired by account recovery", name);
	return MV_OK;
}

int home_people_seal(struct home *h, const void *plain, size_t n, const uint8_t (*readers)[32],
		     size_t nreaders, uint8_t hash[32], struct mv_buf *sealed, struct mv_err *err)
{
	struct mv_buf cipher = {0};
	size_t padded = 0;
	memset(sealed, 0, sizeof *sealed);
	if (n + HP_PAD_BLOCK > BLOB_MAX)
		return mv_fail(err, MV_EINVAL, "too large to encrypt (%zu bytes, at most %d)", n,
			       BLOB_MAX - HP_PAD_BLOCK);
	uint8_t (*keys)[32] = calloc(nreaders ? nreaders : 1, 32);
	uint8_t *buf = malloc(n + HP_PAD_BLOCK);
	if (!keys || !buf) {
		free(keys);
		free(buf);
		return mv_fail(err, MV_ERR, "out of memory");
	}
	for (size_t i = 0; i < nreaders; i++)
		people_current_key(h->st, readers[i], keys[i]);
	if (n)
		memcpy(buf, plain, n);
	int rc = sodium_pad(&padded, buf, n, HP_PAD_BLOCK, n + HP_PAD_BLOCK) == 0
			 ? MV_OK : mv_fail(err, MV_ERR, "padding failed");
	if (rc == MV_OK)
		rc = blob_seal(buf, padded, (const uint8_t(*)[32])keys, nreaders, &cipher, hash, sealed,
			       err);
	sodium_memzero(buf, n + HP_PAD_BLOCK);
	free(buf);
	free(keys);
	if (rc == MV_OK)
		rc = blob_put(h->st, cipher.data, cipher.len, NULL, err);
	mv_buf_free(&cipher);
	if (rc != MV_OK)
		mv_buf_free(sealed);
	return rc;
}

/* Seal text to `self` and add FIELD/KEYFIELD to the builder. */
static int add_private(struct home *h, struct body_builder *bb, const uint8_t self[32],
		       const char *text, const char *field, const char *keyfield, struct mv_err *err)
{
	uint8_t hash[32];
	struct mv_buf sealed;
	size_t n = strlen(text);
	if (n > BLOB_MAX)
		return mv_fail(err, MV_EINVAL, "%s too long (%zu bytes, at most %d)", field, n, BLOB_MAX);
	int rc = home_people_seal(h, text, n, (const uint8_t(*)[32])self, 1, hash, &sealed, err);
	if (rc != MV_OK)
		return rc;
	bb_id(bb, field, hash);
	bb_bytes(bb, keyfield, sealed.data, sealed.len);
	mv_buf_free(&sealed);
	return MV_OK;
}

/* Add a comma-separated list as a LIST of strings. */
static void add_csv(struct body_builder *bb, const char *key, const char *csv)
{
	bb_list_begin(bb, key);
	while (csv && *csv) {
		const char *c = strchr(csv, ',');
		size_t n = c ? (size_t)(c - csv) : strlen(csv);
		char item[128];
		if (n >= sizeof item)
			n = sizeof item - 1;
		memcpy(item, csv, n);
		item[n] = 0;
		if (n)
			bb_list_str(bb, item);
		csv = c ? c + 1 : NULL;
	}
	bb_list_end(bb);
}

static int submit_built(struct home *h, const char *as, const char *kind, struct body_builder *bb,
			struct submit_result *res, struct mv_err *err)
{
	struct mv_buf body = {0};
	if (bb_build(bb, &body, err) != MV_OK)
		return MV_EINVAL;
	int rc = home_submit(h, as, kind, body.data, body.len, res, err);
	mv_buf_free(&body);
	return rc;
}

int home_people_register(struct home *h, const char *as, const struct home_register_args *a,
			 struct submit_result *res, struct mv_err *err)
{
	uint8_t self[32];
	struct body_builder bb;
	if (home_people_account(h, as, self, err) != MV_OK)
		return MV_ERR;
	bb_init(&bb);
	bb_str(&bb, "role", a->role ? a->role : "patient");
	bb_str(&bb, "display_name", a->display_name ? a->display_name : "");
	bb_str(&bb, "jurisdiction", a->jurisdiction ? a->jurisdiction : "");
	if (a->bio && a->bio[0])
		bb_str(&bb, "bio", a->bio);
	if (a->languages && a->languages[0])
		add_csv(&bb, "languages", a->languages);
	int rc = MV_OK;
	if (a->private_profile && a->private_profile[0])
		rc = add_private(h, &bb, self, a->private_profile, "private_blob", "sealed_key", err);
	if (rc == MV_OK && a->emergency_contact && a->emergency_contact[0])
		rc = add_private(h, &bb, self, a->emergency_contact, "emergency_blob", "emergency_key", err);
	if (rc != MV_OK) {
		bb_free(&bb);
		return rc;
	}
	return submit_built(h, as, "user.register", &bb, res, err);
}

static const char *blob_field(const char *what, bool key)
{
	if (strcmp(what, "emergency") == 0)
		return key ? "emergency_key" : "emergency_blob";
	return key ? "sealed_key" : "private_blob";
}

static int what_valid(const char *what, struct mv_err *err)
{
	if (strcmp(what, "profile") == 0 || strcmp(what, "emergency") == 0)
		return MV_OK;
	return mv_fail(err, MV_EINVAL, "what must be profile or emergency");
}

int home_people_set_private(struct home *h, const char *as, const char *what, const char *text,
			    struct submit_result *res, struct mv_err *err)
{
	uint8_t self[32];
	struct body_builder bb;
	if (what_valid(what, err) != MV_OK || home_people_account(h, as, self, err) != MV_OK)
		return MV_ERR;
	bb_init(&bb);
	int rc = add_private(h, &bb, self, text, blob_field(what, false), blob_field(what, true), err);
	if (rc != MV_OK) {
		bb_free(&bb);
		return rc;
	}
	return submit_built(h, as, "profile.update", &bb, res, err);
}

/* The blob hash of (owner, what) and the sealed key for reader. */
static int find_share(struct store *st, const uint8_t owner[32], const char *what,
		      const uint8_t reader[32], uint8_t hash[32], uint8_t key[BLOB_SEALED_LEN],
		      struct mv_err *err)
{
	static const char sql[] = "SELECT b.blob, s.sealed_key FROM users_shares s JOIN users_blobs b "
				  "ON b.account = s.account AND b.what = s.what "
				  "WHERE s.account = ? AND s.what = ? AND s.reader = ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, owner, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, what, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, reader, 32, SQLITE_STATIC);
	int rc = MV_OK;
	if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_bytes(s, 1) != BLOB_SEALED_LEN ||
	    sqlite3_column_bytes(s, 0) != 32) {
		rc = mv_fail(err, MV_ENOTFOUND, "no %s shared with you by that account", what);
	} else {
		memcpy(hash, sqlite3_column_blob(s, 0), 32);
		memcpy(key, sqlite3_column_blob(s, 1), BLOB_SEALED_LEN);
	}
	sqlite3_reset(s);
	return rc;
}

/* Run fn with the secret key of `as` unlocked in guarded memory. */
static int with_sk(struct home *h, const char *as, uint8_t **sk, char name[KS_NAME_MAX + 1],
		   struct mv_err *err)
{
	if (as_name(h, as, name, err) != MV_OK)
		return MV_ERR;
	*sk = sodium_malloc(64);
	if (!*sk)
		return mv_fail(err, MV_ERR, "out of memory");
	int rc = home_secret_key(h, name, *sk, err);
	if (rc != MV_OK) {
		sodium_free(*sk);
		*sk = NULL;
	}
	return rc;
}

int home_people_share(struct home *h, const char *as, const uint8_t to[32], const char *what,
		      struct submit_result *res, struct mv_err *err)
{
	uint8_t self[32], hash[32], mine[BLOB_SEALED_LEN], theirs[BLOB_SEALED_LEN], key[32];
	char name[KS_NAME_MAX + 1];
	uint8_t *sk = NULL;
	if (what_valid(what, err) != MV_OK || home_people_account(h, as, self, err) != MV_OK)
		return MV_ERR;
	if (find_share(h->st, self, what, self, hash, mine, err) != MV_OK)
		return mv_fail(err, MV_ENOTFOUND, "you have no %s on record to share", what);
	if (with_sk(h, as, &sk, name, err) != MV_OK)
		return MV_ERR;
	people_current_key(h->st, to, key);
	int rc = blob_reseal(mine, sk, key, theirs, err);
	sodium_free(sk);
	if (rc == MV_ECRYPTO)
		return mv_fail(err, MV_ECRYPTO, "your %s was sealed to a previous key (after a recovery): "
				   "set it again before sharing", what);
	if (rc != MV_OK)
		return rc;
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "to", to);
	bb_str(&bb, "what", what);
	bb_bytes(&bb, "sealed_key", theirs, sizeof theirs);
	return submit_built(h, as, "profile.share", &bb, res, err);
}

/* Decrypt the local ciphertext of hash with key sealed for `as`. */
static int open_with(struct home *h, const char *as, const uint8_t hash[32],
		     const uint8_t key[BLOB_SEALED_LEN], struct mv_buf *plain, struct mv_err *err)
{
	struct mv_buf cipher = {0};
	char name[KS_NAME_MAX + 1];
	uint8_t *sk = NULL;
	memset(plain, 0, sizeof *plain);
	int rc = blob_get(h->st, hash, &cipher, err);
	if (rc != MV_OK)
		return rc;
	rc = with_sk(h, as, &sk, name, err);
	if (rc == MV_OK) {
		rc = blob_open(cipher.data, cipher.len, key, sk, plain, err);
		sodium_free(sk);
	}
	mv_buf_free(&cipher);
	size_t unpadded;
	if (rc == MV_OK && sodium_unpad(&unpadded, plain->data, plain->len, HP_PAD_BLOCK) != 0) {
		sodium_memzero(plain->data, plain->len);
		mv_buf_free(plain);
		return mv_fail(err, MV_EINVAL, "blob is not padded as home_people_seal pads");
	}
	if (rc == MV_OK)
		plain->len = unpadded;
	return rc;
}

int home_people_open(struct home *h, const char *as, const uint8_t owner[32], const char *what,
		     struct mv_buf *plain, struct mv_err *err)
{
	uint8_t self[32], hash[32], key[BLOB_SEALED_LEN];
	memset(plain, 0, sizeof *plain);
	if (what_valid(what, err) != MV_OK || home_people_account(h, as, self, err) != MV_OK)
		return MV_ERR;
	int rc = find_share(h->st, owner, what, self, hash, key, err);
	if (rc != MV_OK)
		return rc;
	return open_with(h, as, hash, key, plain, err);
}

/* Council members in council order (the order verify.submit expects). */
static int council_list(struct store *st, uint8_t (**out)[32], size_t *n, struct mv_err *err)
{
	static const char sql[] = "SELECT member FROM council ORDER BY member";
	sqlite3_stmt *s = store_prep(st, sql, err);
	*out = NULL;
	*n = 0;
	if (!s)
		return MV_ERR;
	size_t cap = 0;
	int rc = MV_OK;
	while (rc == MV_OK && sqlite3_step(s) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			void *p = realloc(*out, cap * 32);
			if (!p) {
				rc = mv_fail(err, MV_ERR, "out of memory");
				break;
			}
			*out = p;
		}
		memcpy((*out)[(*n)++], sqlite3_column_blob(s, 0), 32);
	}
	sqlite3_reset(s);
	return rc;
}

int home_people_verify_submit(struct home *h, const char *as, const struct home_verify_args *a,
			      struct submit_result *res, struct mv_err *err)
{
	uint8_t (*council)[32] = NULL, hash[32];
	size_t n = 0;
	struct mv_buf sealed = {0};
	if (!a->proof || a->proof_len == 0)
		return mv_fail(err, MV_EINVAL, "a proof (e.g. a scan of the license) is required");
	if (a->proof_len > BLOB_MAX)
		return mv_fail(err, MV_EINVAL, "proof too large (%zu bytes, at most %d)", a->proof_len,
			       BLOB_MAX);
	int rc = council_list(h->st, &council, &n, err);
	if (rc == MV_OK && n == 0)
		rc = mv_fail(err, MV_EINVAL, "this network has no council");
	if (rc == MV_OK)
		rc = home_people_seal(h, a->proof, a->proof_len, (const uint8_t(*)[32])council, n, hash,
				      &sealed, err);
	free(council);
	if (rc != MV_OK)
		return rc;
	struct body_builder bb;
	bb_init(&bb);
	bb_str(&bb, "license_no", a->license_no ? a->license_no : "");
	bb_str(&bb, "board", a->board ? a->board : "");
	bb_str(&bb, "jurisdiction", a->jurisdiction ? a->jurisdiction : "");
	bb_int(&bb, "expires", a->expires);
	if (a->specialties && a->specialties[0])
		add_csv(&bb, "specialties", a->specialties);
	bb_id(&bb, "proof_blob", hash);
	bb_list_begin(&bb, "sealed_keys");
	for (size_t i = 0; i < n; i++)
		bb_list_bytes(&bb, sealed.data + i * BLOB_SEALED_LEN, BLOB_SEALED_LEN);
	bb_list_end(&bb);
	mv_buf_free(&sealed);
	return submit_built(h, as, "verify.submit", &bb, res, err);
}

int home_people_open_proof(struct home *h, const char *as, const uint8_t therapist[32],
			   struct mv_buf *plain, struct mv_err *err)
{
	static const char sql[] = "SELECT a.proof_blob, k.sealed_key FROM verify_apps a "
				  "JOIN verify_proof_keys k ON k.therapist = a.therapist "
				  "WHERE a.therapist = ? AND k.reader = ?";
	uint8_t self[32], hash[32], key[BLOB_SEALED_LEN];
	memset(plain, 0, sizeof *plain);
	if (home_people_account(h, as, self, err) != MV_OK)
		return MV_ERR;
	sqlite3_stmt *s = store_prep(h->st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, therapist, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, self, 32, SQLITE_STATIC);
	int rc = MV_OK;
	if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_bytes(s, 0) != 32 ||
	    sqlite3_column_bytes(s, 1) != BLOB_SEALED_LEN) {
		rc = mv_fail(err, MV_ENOTFOUND, "no license proof sealed to you for that therapist");
	} else {
		memcpy(hash, sqlite3_column_blob(s, 0), 32);
		memcpy(key, sqlite3_column_blob(s, 1), BLOB_SEALED_LEN);
	}
	sqlite3_reset(s);
	return rc == MV_OK ? open_with(h, as, hash, key, plain, err) : rc;
}
