/* blob.c - encrypted blobs (see blob.h): libsodium secretbox for the data,
 * sealed boxes for the per-reader keys, BLAKE2b-256 hashes, and the
 * local_blobs table with tombstones for erased blobs. */
#include "blob.h"
#include "op.h"

#include <sodium.h>
#include <string.h>

static int blob_x25519(const uint8_t ed_pk[32], uint8_t x_pk[32])
{
	return crypto_sign_ed25519_pk_to_curve25519(x_pk, ed_pk) == 0 ? MV_OK : MV_ECRYPTO;
}

int blob_seal(const uint8_t *plain, size_t n, const uint8_t (*readers)[32], size_t nreaders,
	      struct mv_buf *cipher, uint8_t hash[32], struct mv_buf *sealed, struct mv_err *err)
{
	uint8_t key[crypto_secretbox_KEYBYTES], nonce[crypto_secretbox_NONCEBYTES];
	memset(cipher, 0, sizeof *cipher);
	memset(sealed, 0, sizeof *sealed);
	if (sodium_init() < 0)
		return mv_fail(err, MV_ERR, "libsodium failed to initialise");
	if (n > BLOB_MAX)
		return mv_fail(err, MV_EINVAL, "blob too large (%zu > %d bytes)", n, BLOB_MAX);
	if (nreaders == 0)
		return mv_fail(err, MV_EINVAL, "a blob needs at least one reader");
	crypto_secretbox_keygen(key);
	randombytes_buf(nonce, sizeof nonce);
	if (mv_buf_reserve(cipher, sizeof nonce + crypto_secretbox_MACBYTES + n) ||
	    mv_buf_reserve(sealed, nreaders * BLOB_SEALED_LEN)) {
		mv_buf_free(cipher);
		mv_buf_free(sealed);
		sodium_memzero(key, sizeof key);
		return mv_fail(err, MV_ERR, "out of memory");
	}
	memcpy(cipher->data, nonce, sizeof nonce);
	crypto_secretbox_easy(cipher->data + sizeof nonce, plain, n, nonce, key);
	cipher->len = sizeof nonce + crypto_secretbox_MACBYTES + n;
	op_hash(hash, cipher->data, cipher->len);
	for (size_t i = 0; i < nreaders; i++) {
		uint8_t xpk[32];
		if (blob_x25519(readers[i], xpk) != MV_OK ||
		    crypto_box_seal(sealed->data + i * BLOB_SEALED_LEN, key, sizeof key, xpk) != 0) {
			sodium_memzero(key, sizeof key);
			mv_buf_free(cipher);
			mv_buf_free(sealed);
			return mv_fail(err, MV_ECRYPTO, "reader %zu is not a valid public key", i + 1);
		}
	}
	sealed->len = nreaders * BLOB_SEALED_LEN;
	sodium_memzero(key, sizeof key);
	return MV_OK;
}

static int blob_unseal(const uint8_t sealed_key[BLOB_SEALED_LEN], const uint8_t sk[64],
		       uint8_t key[32], struct mv_err *err)
{
	uint8_t xsk[32], xpk[32];
	int rc = MV_OK;
	if (crypto_sign_ed25519_sk_to_curve25519(xsk, sk) != 0 ||
	    crypto_sign_ed25519_pk_to_curve25519(xpk, sk + 32) != 0 ||
	    crypto_box_seal_open(key, sealed_key, BLOB_SEALED_LEN, xpk, xsk) != 0)
		rc = mv_fail(err, MV_ECRYPTO, "this blob key is not sealed to you");
	sodium_memzero(xsk, sizeof xsk);
	return rc;
}

int blob_reseal(const uint8_t sealed_key[BLOB_SEALED_LEN], const uint8_t sk[64],
		const uint8_t reader[32], uint8_t out[BLOB_SEALED_LEN], struct mv_err *err)
{
	uint8_t key[32], xpk[32];
	if (blob_unseal(sealed_key, sk, key, err) != MV_OK)
		return MV_ECRYPTO;
	int rc = MV_OK;
	if (blob_x25519(reader, xpk) != MV_OK || crypto_box_seal(out, key, sizeof key, xpk) != 0)
		rc = mv_fail(err, MV_ECRYPTO, "reader is not a valid public key");
	sodium_memzero(key, sizeof key);
	return rc;
}

int blob_open(const uint8_t *cipher, size_t n, const uint8_t sealed_key[BLOB_SEALED_LEN],
	      const uint8_t sk[64], struct mv_buf *plain, struct mv_err *err)
{
	uint8_t key[32];
	memset(plain, 0, sizeof *plain);
	if (n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return mv_fail(err, MV_EINVAL, "blob truncated");
	if (blob_unseal(sealed_key, sk, key, err) != MV_OK)
		return MV_ECRYPTO;
	size_t len = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	int rc = MV_OK;
	if (mv_buf_reserve(plain, len + 1))
		rc = mv_fail(err, MV_ERR, "out of memory");
	else if (crypto_secretbox_open_easy(plain->data, cipher + crypto_secretbox_NONCEBYTES,
					    n - crypto_secretbox_NONCEBYTES, cipher, key) != 0)
		rc = mv_fail(err, MV_ECRYPTO, "blob was altered or the key does not match");
	else {
		plain->len = len;
		plain->data[len] = '\0'; /* convenient for text blobs; not counted */
	}
	sodium_memzero(key, sizeof key);
	if (rc != MV_OK)
		mv_buf_free(plain);
	return rc;
}

int blob_put(struct store *st, const uint8_t *cipher, size_t n, uint8_t hash_out[32],
	     struct mv_err *err)
{
	static const char sql[] = "INSERT INTO local_blobs(hash, data) VALUES(?, ?) "
				  "ON CONFLICT(hash) DO NOTHING";
	if (n > BLOB_MAX + 64)
		return mv_fail(err, MV_EINVAL, "blob too large");
	uint8_t hash[32];
	op_hash(hash, cipher, n);
	if (hash_out)
		memcpy(hash_out, hash, 32);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, cipher, (int)n, SQLITE_STATIC);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "blob put");
}

int blob_get(struct store *st, const uint8_t hash[32], struct mv_buf *cipher, struct mv_err *err)
{
	static const char sql[] = "SELECT data, erased FROM local_blobs WHERE hash = ?";
	memset(cipher, 0, sizeof *cipher);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	int rc = MV_OK;
	if (sqlite3_step(s) != SQLITE_ROW)
		rc = mv_fail(err, MV_ENOTFOUND, "blob not on this node (yet)");
	else if (sqlite3_column_int(s, 1))
		rc = mv_fail(err, MV_EINVAL, "blob erased");
	else if (mv_buf_append(cipher, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0)))
		rc = mv_fail(err, MV_ERR, "out of memory");
	sqlite3_reset(s);
	return rc;
}

int blob_erase(struct store *st, const uint8_t hash[32], struct mv_err *err)
{
	static const char sql[] = "INSERT INTO local_blobs(hash, data, erased) VALUES(?, NULL, 1) "
				  "ON CONFLICT(hash) DO UPDATE SET data = NULL, erased = 1";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "blob erase");
}

bool blob_have(struct store *st, const uint8_t hash[32])
{
	static const char sql[] = "SELECT 1 FROM local_blobs WHERE hash = ? AND erased = 0";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}
