/* home_groups.c - group keys and encrypted posts for local identities (see
 * home_groups.h). The contract (contracts/groups.c) only records sealed keys
 * and post hashes; everything secret happens here: keys are drawn from
 * libsodium's CSPRNG, sealed with crypto_box_seal to each member's X25519
 * key (derived from their Ed25519 key, as blob.c does), posts are padded to
 * 256-byte blocks and encrypted with crypto_secretbox. */
#include "home_groups.h"
#include "home_people.h"
#include "people.h"
#include "gov.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAD_BLOCK 256

/* ---- crypto ----------------------------------------------------------------- */

void groups_key_new(uint8_t key[32])
{
	if (sodium_init() < 0)
		abort(); /* libsodium cannot run: no safe key can be made */
	crypto_secretbox_keygen(key);
}

int groups_key_seal(const uint8_t key[32], const uint8_t reader_pk[32],
		    uint8_t out[BLOB_SEALED_LEN], struct mv_err *err)
{
	uint8_t xpk[32];
	if (crypto_sign_ed25519_pk_to_curve25519(xpk, reader_pk) != 0 ||
	    crypto_box_seal(out, key, 32, xpk) != 0)
		return mv_fail(err, MV_ECRYPTO, "not a valid public key to seal a group key to");
	return MV_OK;
}

int groups_key_open(const uint8_t sealed[BLOB_SEALED_LEN], const uint8_t sk[64], uint8_t key[32],
		    struct mv_err *err)
{
	uint8_t xsk[32], xpk[32];
	int rc = MV_OK;
	if (crypto_sign_ed25519_sk_to_curve25519(xsk, sk) != 0 ||
	    crypto_sign_ed25519_pk_to_curve25519(xpk, sk + 32) != 0 ||
	    crypto_box_seal_open(key, sealed, BLOB_SEALED_LEN, xpk, xsk) != 0)
		rc = mv_fail(err, MV_ECRYPTO, "this group key is not sealed to you");
	sodium_memzero(xsk, sizeof xsk);
	return rc;
}

int groups_post_seal(const uint8_t key[32], const void *plain, size_t n, struct mv_buf *cipher,
		     uint8_t hash[32], struct mv_err *err)
{
	size_t padded = 0;
	memset(cipher, 0, sizeof *cipher);
	if (n + PAD_BLOCK > BLOB_MAX)
		return mv_fail(err, MV_EINVAL, "post too long (%zu bytes, at most %d)", n,
			       BLOB_MAX - PAD_BLOCK);
	uint8_t *buf = malloc(n + PAD_BLOCK);
	if (!buf)
		return mv_fail(err, MV_ERR, "out of memory");
	if (n)
		memcpy(buf, plain, n);
	if (sodium_pad(&padded, buf, n, PAD_BLOCK, n + PAD_BLOCK) != 0 ||
	    mv_buf_reserve(cipher, crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + padded)) {
		sodium_memzero(buf, n + PAD_BLOCK);
		free(buf);
		return mv_fail(err, MV_ERR, "out of memory");
	}
	randombytes_buf(cipher->data, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(cipher->data + crypto_secretbox_NONCEBYTES, buf, padded, cipher->data,
			      key);
	cipher->len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + padded;
	op_hash(hash, cipher->data, cipher->len);
	sodium_memzero(buf, n + PAD_BLOCK);
	free(buf);
	return MV_OK;
}

int groups_post_open(const uint8_t key[32], const uint8_t *cipher, size_t n, struct mv_buf *plain,
		     struct mv_err *err)
{
	size_t len, unpadded;
	memset(plain, 0, sizeof *plain);
	if (n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return mv_fail(err, MV_EINVAL, "post truncated");
	len = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	if (mv_buf_reserve(plain, len + 1))
		return mv_fail(err, MV_ERR, "out of memory");
	if (crypto_secretbox_open_easy(plain->data, cipher + crypto_secretbox_NONCEBYTES,
				       n - crypto_secretbox_NONCEBYTES, cipher, key) != 0 ||
	    sodium_unpad(&unpadded, plain->data, len, PAD_BLOCK) != 0) {
		mv_buf_free(plain);
		return mv_fail(err, MV_ECRYPTO, "post altered or not under this group key");
	}
	plain->len = unpadded;
	plain->data[unpadded] = '\0';
	return MV_OK;
}

int groups_sealed_key(struct store *st, const uint8_t group[32], int64_t epoch,
		      const uint8_t member[32], uint8_t out[BLOB_SEALED_LEN], struct mv_err *err)
{
	static const char sql[] = "SELECT sealed_key FROM groups_keys WHERE grp = ? AND epoch = ?"
				  " AND member = ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, group, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, epoch);
	sqlite3_bind_blob(s, 3, member, 32, SQLITE_STATIC);
	int rc = MV_ENOTFOUND;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == BLOB_SEALED_LEN) {
		memcpy(out, sqlite3_column_blob(s, 0), BLOB_SEALED_LEN);
		rc = MV_OK;
	}
	sqlite3_reset(s);
	return rc == MV_OK ? MV_OK : mv_fail(err, MV_ENOTFOUND, "you hold no key of epoch %lld of "
					     "this group", (long long)epoch);
}

/* ---- state read here ---------------------------------------------------------- */

/* The group's current key epoch and whether it has keys. */
static int group_epoch(struct store *st, const uint8_t group[32], int64_t *epoch, bool *keyed,
		       struct mv_err *err)
{
	static const char sql[] = "SELECT key_epoch, keyed FROM groups_info WHERE id = ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, group, 32, SQLITE_STATIC);
	int rc = mv_fail(err, MV_ENOTFOUND, "no such group");
	if (sqlite3_step(s) == SQLITE_ROW) {
		*epoch = sqlite3_column_int64(s, 0);
		*keyed = sqlite3_column_int(s, 1) != 0;
		rc = MV_OK;
	}
	sqlite3_reset(s);
	return rc;
}

/* Accounts of sql (binding group) in key order (malloc'd; caller frees). */
static int group_ids(struct store *st, const char *sql, const uint8_t group[32],
		     uint8_t (**out)[32], size_t *n, struct mv_err *err)
{
	sqlite3_stmt *s = store_prep(st, sql, err);
	*out = NULL;
	*n = 0;
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, group, 32, SQLITE_STATIC);
	size_t cap = 0;
	int rc = MV_OK;
	while (rc == MV_OK && sqlite3_step(s) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			void *v = realloc(*out, cap * 32);
			if (!v) {
				rc = mv_fail(err, MV_ERR, "out of memory");
				break;
			}
			*out = v;
		}
		memcpy((*out)[(*n)++], sqlite3_column_blob(s, 0), 32);
	}
	sqlite3_reset(s);
	return rc;
}

/* Current members in key order (malloc'd; caller frees). */
static int group_members(struct store *st, const uint8_t group[32], uint8_t (**out)[32], size_t *n,
			 struct mv_err *err)
{
	static const char sql[] = "SELECT member FROM groups_members WHERE grp = ? AND left_at IS NULL"
				  " ORDER BY member";
	return group_ids(st, sql, group, out, n, err);
}

/* Current moderators in key order, the readers of an application message. */
static int group_moderators(struct store *st, const uint8_t group[32], uint8_t (**out)[32],
			    size_t *n, struct mv_err *err)
{
	static const char sql[] = "SELECT member FROM groups_members WHERE grp = ? AND moderator = 1"
				  " AND left_at IS NULL ORDER BY member";
	return group_ids(st, sql, group, out, n, err);
}

/* ---- identities ------------------------------------------------------------------ */

struct who {
	char name[KS_NAME_MAX + 1];
	uint8_t account[32];
	uint8_t *sk; /* sodium_malloc'd, 64 bytes */
};

static int who_open(struct home *h, const char *as, struct who *w, struct mv_err *err)
{
	memset(w, 0, sizeof *w);
	if (as)
		snprintf(w->name, sizeof w->name, "%s", as);
	else if (home_default_identity(h, w->name, sizeof w->name, err) != MV_OK)
		return MV_ERR;
	if (home_people_account(h, w->name, w->account, err) != MV_OK)
		return MV_ERR;
	w->sk = sodium_malloc(64);
	if (!w->sk)
		return mv_fail(err, MV_ERR, "out of memory");
	if (home_secret_key(h, w->name, w->sk, err) != MV_OK) {
		sodium_free(w->sk);
		w->sk = NULL;
		return MV_ERR;
	}
	return MV_OK;
}

static void who_close(struct who *w)
{
	if (w->sk)
		sodium_free(w->sk); /* zeroes it */
	w->sk = NULL;
}

static int submit(struct home *h, const struct who *w, const char *kind, struct body_builder *bb,
		  struct submit_result *res, struct mv_err *err)
{
	struct mv_buf body = {0};
	if (bb_build(bb, &body, err) != MV_OK)
		return MV_ERR;
	int rc = home_submit(h, w->name, kind, body.data, body.len, res, err);
	mv_buf_free(&body);
	return rc;
}

/* ---- helpers ------------------------------------------------------------------------ */

int home_groups_create(struct home *h, const char *as, const struct home_group_args *a,
		       struct submit_result *res, struct mv_err *err)
{
	struct who w;
	uint8_t key[32], sealed[BLOB_SEALED_LEN], mine[32];
	struct body_builder bb;
	if (who_open(h, as, &w, err) != MV_OK)
		return MV_ERR;
	groups_key_new(key);
	people_current_key(h->st, w.account, mine);
	int rc = groups_key_seal(key, mine, sealed, err);
	sodium_memzero(key, sizeof key);
	if (rc == MV_OK) {
		bb_init(&bb);
		bb_str(&bb, "name", a->name);
		bb_str(&bb, "topic", a->topic);
		if (a->charter)
			bb_str(&bb, "charter", a->charter);
		bb_str(&bb, "join_policy", a->join_policy);
		if (a->stake_weighted)
			bb_int(&bb, "stake_weighted", 1);
		if (a->ninvite) {
			bb_list_begin(&bb, "initial_members");
			for (size_t i = 0; i < a->ninvite; i++)
				bb_list_id(&bb, a->invite[i]);
			bb_list_end(&bb);
		}
		bb_bytes(&bb, "sealed_key", sealed, sizeof sealed);
		rc = submit(h, &w, "group.create", &bb, res, err);
	}
	who_close(&w);
	return rc;
}

static int rotate(struct home *h, const struct who *w, const uint8_t group[32],
		  struct submit_result *res, struct mv_err *err)
{
	int64_t epoch;
	bool keyed;
	uint8_t (*members)[32] = NULL, key[32], sealed[BLOB_SEALED_LEN], pk[32];
	size_t n = 0;
	struct body_builder bb;
	int rc = group_epoch(h->st, group, &epoch, &keyed, err);
	if (rc == MV_OK)
		rc = group_members(h->st, group, &members, &n, err);
	if (rc != MV_OK)
		return rc;
	groups_key_new(key);
	bb_init(&bb);
	bb_id(&bb, "group", group);
	bb_int(&bb, "epoch", keyed ? epoch + 1 : epoch);
	bb_list_begin(&bb, "members");
	for (size_t i = 0; i < n; i++)
		bb_list_id(&bb, members[i]);
	bb_list_end(&bb);
	bb_list_begin(&bb, "sealed_keys");
	for (size_t i = 0; rc == MV_OK && i < n; i++) {
		people_current_key(h->st, members[i], pk);
		rc = groups_key_seal(key, pk, sealed, err);
		bb_list_bytes(&bb, sealed, sizeof sealed);
	}
	bb_list_end(&bb);
	sodium_memzero(key, sizeof key);
	free(members);
	if (rc != MV_OK) {
		bb_free(&bb);
		return rc;
	}
	return submit(h, w, "group.rotate", &bb, res, err);
}

int home_groups_rotate(struct home *h, const char *as, const uint8_t group[32],
		       struct submit_result *res, struct mv_err *err)
{
	struct who w;
	if (who_open(h, as, &w, err) != MV_OK)
		return MV_ERR;
	int rc = rotate(h, &w, group, res, err);
	who_close(&w);
	return rc;
}

/* The current group key, opened with w's secret key. */
static int current_key(struct home *h, const struct who *w, const uint8_t group[32], int64_t *epoch,
		       uint8_t key[32], struct mv_err *err)
{
	uint8_t sealed[BLOB_SEALED_LEN];
	bool keyed;
	int rc = group_epoch(h->st, group, epoch, &keyed, err);
	if (rc == MV_OK && !keyed)
		rc = mv_fail(err, MV_EINVAL, "a member left: the group key must be rotated first");
	if (rc == MV_OK)
		rc = groups_sealed_key(h->st, group, *epoch, w->account, sealed, err);
	if (rc == MV_ENOTFOUND)
		return mv_fail(err, MV_ENOTFOUND, "you hold no key of the group's current epoch yet: a "
			       "member shares it when they next open the group");
	return rc == MV_OK ? groups_key_open(sealed, w->sk, key, err) : rc;
}

int home_groups_share_keys(struct home *h, const char *as, const uint8_t group[32],
			   size_t *shared, struct mv_err *err)
{
	struct who w;
	uint8_t key[32], sealed[BLOB_SEALED_LEN], pk[32], (*members)[32] = NULL;
	size_t n = 0;
	int64_t epoch;
	*shared = 0;
	if (who_open(h, as, &w, err) != MV_OK)
		return MV_ERR;
	int rc = current_key(h, &w, group, &epoch, key, err);
	if (rc == MV_OK)
		rc = group_members(h->st, group, &members, &n, err);
	for (size_t i = 0; rc == MV_OK && i < n; i++) {
		if (groups_sealed_key(h->st, group, epoch, members[i], sealed, NULL) == MV_OK)
			continue;
		struct body_builder bb;
		struct submit_result res;
		people_current_key(h->st, members[i], pk);
		rc = groups_key_seal(key, pk, sealed, err);
		if (rc != MV_OK)
			break;
		bb_init(&bb);
		bb_id(&bb, "group", group);
		bb_id(&bb, "member", members[i]);
		bb_bytes(&bb, "sealed_key", sealed, sizeof sealed);
		rc = submit(h, &w, "group.key_share", &bb, &res, err);
		if (rc == MV_OK && res.outcome == 1)
			(*shared)++;
	}
	sodium_memzero(key, sizeof key);
	free(members);
	who_close(&w);
	return rc;
}

int home_groups_apply(struct home *h, const char *as, const uint8_t group[32], const char *message,
		      struct submit_result *res, struct mv_err *err)
{
	struct who w;
	struct body_builder bb;
	size_t len = message ? strlen(message) : 0;
	if (len > GROUP_APPLY_MESSAGE_MAX)
		return mv_fail(err, MV_EINVAL, "the message is %zu bytes, at most %d", len,
			       GROUP_APPLY_MESSAGE_MAX);
	if (who_open(h, as, &w, err) != MV_OK)
		return MV_ERR;
	bb_init(&bb);
	bb_id(&bb, "group", group);
	int rc = MV_OK;
	if (len) {
		uint8_t (*mods)[32] = NULL, (*pks)[32] = NULL, hash[32];
		size_t n = 0;
		struct mv_buf cipher = {0}, sealed = {0};
		rc = group_moderators(h->st, group, &mods, &n, err);
		if (rc == MV_OK && n == 0)
			rc = mv_fail(err, MV_EINVAL, "the group has no moderator to read a message: "
				     "apply without one");
		if (rc == MV_OK && !(pks = calloc(n, 32)))
			rc = mv_fail(err, MV_ERR, "out of memory");
		for (size_t i = 0; rc == MV_OK && i < n; i++)
			people_current_key(h->st, mods[i], pks[i]);
		/* padded with NULs to 256-byte blocks, like posts: the size tells less */
		size_t padded = (len / 256 + 1) * 256;
		uint8_t *buf = rc == MV_OK ? calloc(1, padded) : NULL;
		if (rc == MV_OK && !buf)
			rc = mv_fail(err, MV_ERR, "out of memory");
		if (rc == MV_OK) {
			memcpy(buf, message, len);
			rc = blob_seal(buf, padded, (const uint8_t (*)[32])pks, n, &cipher, hash,
				       &sealed, err);
		}
		if (buf) {
			sodium_memzero(buf, padded);
			free(buf);
		}
		if (rc == MV_OK)
			rc = blob_put(h->st, cipher.data, cipher.len, NULL, err);
		if (rc == MV_OK) {
			bb_id(&bb, "message_blob", hash);
			bb_list_begin(&bb, "message_keys");
			for (size_t i = 0; i < n; i++)
				bb_list_bytes(&bb, sealed.data + i * BLOB_SEALED_LEN, BLOB_SEALED_LEN);
			bb_list_end(&bb);
		}
		mv_buf_free(&cipher);
		mv_buf_free(&sealed);
		free(pks);
		free(mods);
	}
	if (rc == MV_OK)
		rc = submit(h, &w, "group.apply", &bb, res, err);
	else
		bb_free(&bb);
	who_close(&w);
	return rc;
}

int home_groups_open_application(struct home *h, const char *as, const uint8_t group[32],
				 const uint8_t applicant[32], struct mv_buf *plain,
				 struct mv_err *err)
{
	static const char sql[] =
		"SELECT m.message_blob, k.sealed_key FROM groups_app_messages m"
		" JOIN groups_app_keys k ON k.op = m.op AND k.reader = ?3"
		" WHERE m.grp = ?1 AND m.applicant = ?2 ORDER BY m.time DESC, m.op LIMIT 1";
	struct who w;
	uint8_t blob[32], sealed[BLOB_SEALED_LEN];
	struct mv_buf cipher = {0};
	memset(plain, 0, sizeof *plain);
	if (who_open(h, as, &w, err) != MV_OK)
		return MV_ERR;
	int rc = mv_fail(err, MV_ENOTFOUND, "no message for you with this application");
	sqlite3_stmt *s = store_prep(h->st, sql, err);
	if (!s)
		rc = MV_ERR;
	if (s) {
		sqlite3_bind_blob(s, 1, group, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, applicant, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 3, w.account, 32, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 32 &&
		    sqlite3_column_bytes(s, 1) == BLOB_SEALED_LEN) {
			memcpy(blob, sqlite3_column_blob(s, 0), 32);
			memcpy(sealed, sqlite3_column_blob(s, 1), BLOB_SEALED_LEN);
			rc = MV_OK;
		}
		sqlite3_reset(s);
	}
	if (rc == MV_OK)
		rc = blob_get(h->st, blob, &cipher, err);
	if (rc == MV_OK)
		rc = blob_open(cipher.data, cipher.len, sealed, w.sk, plain, err);
	mv_buf_free(&cipher);
	who_close(&w);
	return rc;
}

int home_groups_post(struct home *h, const char *as, const uint8_t group[32], const char *text,
		     struct submit_result *res, struct mv_err *err)
{
	struct who w;
	uint8_t key[32], hash[32];
	int64_t epoch;
	bool keyed;
	struct mv_buf cipher = {0};
	if (who_open(h, as, &w, err) != MV_OK)
		return MV_ERR;
	int rc = group_epoch(h->st, group, &epoch, &keyed, err);
	if (rc == MV_OK && !keyed) {
		rc = rotate(h, &w, group, res, err);
		if (rc == MV_OK && res->outcome != 1)
			rc = mv_fail(err, MV_EINVAL, "could not rotate the group key: %s", res->reason);
	}
	if (rc == MV_OK)
		rc = current_key(h, &w, group, &epoch, key, err);
	if (rc == MV_OK)
		rc = groups_post_seal(key, text, strlen(text), &cipher, hash, err);
	sodium_memzero(key, sizeof key);
	if (rc == MV_OK)
		rc = blob_put(h->st, cipher.data, cipher.len, NULL, err);
	if (rc == MV_OK) {
		struct body_builder bb;
		bb_init(&bb);
		bb_id(&bb, "group", group);
		bb_id(&bb, "blob", hash);
		bb_int(&bb, "key_epoch", epoch);
		rc = submit(h, &w, "group.post", &bb, res, err);
	}
	mv_buf_free(&cipher);
	who_close(&w);
	return rc;
}

int home_groups_open_post(struct home *h, const char *as, const uint8_t post[32],
			  struct mv_buf *plain, struct mv_err *err)
{
	static const char sql[] = "SELECT grp, blob, key_epoch FROM groups_posts WHERE id = ?";
	struct who w;
	uint8_t group[32], blob[32], sealed[BLOB_SEALED_LEN], key[32];
	int64_t epoch = 0;
	struct mv_buf cipher = {0};
	memset(plain, 0, sizeof *plain);
	sqlite3_stmt *s = store_prep(h->st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, post, 32, SQLITE_STATIC);
	bool found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		memcpy(group, sqlite3_column_blob(s, 0), 32);
		memcpy(blob, sqlite3_column_blob(s, 1), 32);
		epoch = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	if (!found)
		return mv_fail(err, MV_ENOTFOUND, "no such post");
	if (who_open(h, as, &w, err) != MV_OK)
		return MV_ERR;
	int rc = groups_sealed_key(h->st, group, epoch, w.account, sealed, err);
	if (rc == MV_OK)
		rc = groups_key_open(sealed, w.sk, key, err);
	if (rc == MV_OK)
		rc = blob_get(h->st, blob, &cipher, err);
	if (rc == MV_OK)
		rc = groups_post_open(key, cipher.data, cipher.len, plain, err);
	sodium_memzero(key, sizeof key);
	mv_buf_free(&cipher);
	who_close(&w);
	return rc;
}
