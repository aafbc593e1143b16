/* keystore.h - named Ed25519 identities of one home, on disk.
 *
 * Each identity NAME lives in DIR/NAME.key (mode 0600, written atomically):
 * a small text file with the public key in hex and the secret key encrypted
 * with crypto_secretbox under a key derived by Argon2id (crypto_pwhash) from
 * the passphrase. The KDF limits are stored in the file. An empty passphrase
 * is allowed (demos, tests) and documented as protecting nothing: with it the
 * file uses the minimum Argon2id cost, since any cost would be theatre.
 * Names: 1..48 bytes of [A-Za-z0-9._-], not starting with '.' or '-'. */
#ifndef MV_KEYSTORE_H
#define MV_KEYSTORE_H

#include "util.h"

#define KS_NAME_MAX 48

bool keystore_name_valid(const char *name);

/* Create a new identity NAME with a fresh key pair; MV_EEXIST if present. */
int keystore_create(const char *dir, const char *name, const char *passphrase,
		    uint8_t pk_out[32], struct mv_err *err);

/* Import an existing secret key (64-byte libsodium form) under NAME. */
int keystore_import(const char *dir, const char *name, const char *passphrase,
		    const uint8_t sk[64], struct mv_err *err);

/* Public key of NAME without the passphrase. */
int keystore_public(const char *dir, const char *name, uint8_t pk_out[32],
		    struct mv_err *err);

/* Decrypt NAME's secret key into sk_out (caller should sodium_memzero it).
 * A wrong passphrase gives MV_ECRYPTO "wrong passphrase for NAME". */
int keystore_unlock(const char *dir, const char *name, const char *passphrase,
		    uint8_t sk_out[64], struct mv_err *err);

/* True if NAME's file was written with the empty passphrase. */
bool keystore_is_unprotected(const char *dir, const char *name);

/* List identities sorted by name. cb returns non-zero to stop. */
int keystore_list(const char *dir,
		  int (*cb)(void *ud, const char *name, const uint8_t pk[32]),
		  void *ud, struct mv_err *err);

/* Find the local identity NAME whose public key is pk; MV_ENOTFOUND if none.
 * name_out must hold KS_NAME_MAX + 1 bytes. */
int keystore_find(const char *dir, const uint8_t pk[32], char *name_out,
		  struct mv_err *err);

#endif
