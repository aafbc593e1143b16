/* blob.h - encrypted blobs: personal data (private profiles, session notes,
 * proofs, insurance details) lives outside ops, encrypted with a random key
 * (crypto_secretbox); the key is sealed (crypto_box_seal) to each reader's
 * X25519 key, derived from their Ed25519 identity. Ops carry only the blob's
 * hash and the sealed keys, so erasing a blob (crypto-shredding) never breaks
 * a signature. Blobs are node-local (local_blobs), not contract state.
 *
 * Ciphertext layout: nonce (24) | secretbox(plaintext). hash = BLAKE2b-256
 * of the ciphertext. A sealed key is BLOB_SEALED_LEN bytes. */
#ifndef MV_BLOB_H
#define MV_BLOB_H

#include "store.h"

#define BLOB_SEALED_LEN 80 /* crypto_box_SEALBYTES + 32-byte key */
#define BLOB_MAX (48 * 1024)

/* Encrypt plain for nreaders Ed25519 public keys. Fills cipher (initialised
 * here), hash, and sealed (nreaders * BLOB_SEALED_LEN bytes, in reader order). */
int blob_seal(const uint8_t *plain, size_t n, const uint8_t (*readers)[32], size_t nreaders,
	      struct mv_buf *cipher, uint8_t hash[32], struct mv_buf *sealed, struct mv_err *err);

/* Seal an existing blob key again for a new reader (sharing): opens
 * sealed_key with sk (Ed25519 secret key of a current reader) and seals it to
 * reader. out must hold BLOB_SEALED_LEN bytes. */
int blob_reseal(const uint8_t sealed_key[BLOB_SEALED_LEN], const uint8_t sk[64],
		const uint8_t reader[32], uint8_t out[BLOB_SEALED_LEN], struct mv_err *err);

/* Decrypt cipher with the sealed key meant for the holder of sk. plain is
 * initialised here; MV_ECRYPTO if the key is not for sk or data is altered. */
int blob_open(const uint8_t *cipher, size_t n, const uint8_t sealed_key[BLOB_SEALED_LEN],
	      const uint8_t sk[64], struct mv_buf *plain, struct mv_err *err);

/* Local blob storage. put checks the hash; get returns MV_ENOTFOUND if the
 * blob is absent and MV_EINVAL "erased" if it was erased (tombstone). */
int blob_put(struct store *st, const uint8_t *cipher, size_t n, uint8_t hash_out[32],
	     struct mv_err *err);
int blob_get(struct store *st, const uint8_t hash[32], struct mv_buf *cipher, struct mv_err *err);
int blob_erase(struct store *st, const uint8_t hash[32], struct mv_err *err);
bool blob_have(struct store *st, const uint8_t hash[32]);

#endif
