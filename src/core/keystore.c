/* keystore.c - named Ed25519 identities on disk (API in keystore.h).
 *
 * Identity NAME lives in DIR/NAME.key, mode 0600, only ever replaced as a
 * whole (mv_write_file_atomic); DIR is created 0700 when missing. The file is
 * exactly these six lines, each ended by '\n', with nothing before, between
 * or after them; anything else is reported as a corrupt file, naming it:
 *
 *   mentalverse-key 1
 *   public <64 hex: Ed25519 public key>
 *   kdf argon2id13 <opslimit> <memlimit in bytes>
 *   salt <32 hex>
 *   nonce <48 hex>
 *   secret <160 hex: crypto_secretbox_easy of the 64-byte secret key>
 *
 * The secretbox key is crypto_pwhash (Argon2id v1.3) of the passphrase and
 * the salt, under the limits stored in the file, so unlock needs no outside
 * knowledge and future files may choose other costs. A non-empty passphrase
 * uses OPSLIMIT/MEMLIMIT_INTERACTIVE. The empty passphrase uses
 * OPSLIMIT/MEMLIMIT_MIN: anyone can try "", so such a file protects nothing,
 * and spending seconds of Argon2id on it would be theatre; demos and tests use
 * it. keystore_is_unprotected recognises such a file by its minimum limits and
 * proves it by decrypting with "".
 *
 * Tampering: secretbox authenticates the ciphertext, and a change to salt,
 * nonce or limits changes the key, so all of these fail like a wrong
 * passphrase (the two cannot be told apart). The public line is not covered
 * by the MAC, so unlock re-derives the key pair from the decrypted seed and
 * refuses a file whose public key or secret key half does not match.
 * Limits read from a file are accepted only up to the SENSITIVE level, so a
 * damaged file cannot make unlock allocate or spin without bound.
 *
 * Creating checks that NAME does not exist and then renames the new file into
 * place; two processes creating the same NAME at the same instant could both
 * succeed, the later one winning. One user's keystore makes that acceptable.
 *
 * The derived key and the decrypted secret key live in sodium_malloc'd memory
 * and are wiped before release. Errors follow util.h: MV_EINVAL for bad names
 * and corrupt files, MV_ENOTFOUND, MV_EEXIST, MV_ECRYPTO for a wrong
 * passphrase or a secret key that does not match its public key. */
#include "keystore.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#define KS_MAGIC "mentalverse-key 1"
#define KS_SUFFIX ".key"
#define KS_PATH_MAX 4400  /* home.h keeps key directories in 4200 bytes */
#define KS_FILE_MAX 1024  /* a valid file is about 400 bytes */
#define KS_LINE_MAX 256
#define KS_BOX_LEN (crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES)

#define KS_OPS_MIN ((unsigned long long)crypto_pwhash_argon2id_OPSLIMIT_MIN)
#define KS_OPS_MAX ((unsigned long long)crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE)
#define KS_MEM_MIN ((unsigned long long)crypto_pwhash_argon2id_MEMLIMIT_MIN)
#define KS_MEM_MAX ((unsigned long long)crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE)

/* One parsed key file. Nothing in it is secret. */
struct ks_file {
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	unsigned long long ops, mem;
	uint8_t salt[crypto_pwhash_SALTBYTES];
	uint8_t nonce[crypto_secretbox_NONCEBYTES];
	uint8_t box[KS_BOX_LEN];
};

static int ks_init(struct mv_err *err)
{
	if (sodium_init() < 0)
		return mv_fail(err, MV_ERR, "cannot initialise libsodium");
	return MV_OK;
}

static bool name_char_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* Check NAME against the rules of keystore.h; on failure say which rule. */
static int name_check(const char *name, struct mv_err *err)
{
	if (name == NULL || name[0] == '\0')
		return mv_fail(err, MV_EINVAL, "invalid identity name: it is empty");
	size_t len = strlen(name);
	if (len > KS_NAME_MAX)
		return mv_fail(err, MV_EINVAL,
			       "invalid identity name: %zu bytes long, at most %d allowed",
			       len, KS_NAME_MAX);
	/* The name is not echoed here: it may hold control characters. */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (name_char_ok(c))
			continue;
		if (c >= ' ' && c < 0x7f)
			return mv_fail(err, MV_EINVAL,
				       "invalid identity name: '%c' (position %zu) is not "
				       "allowed; use only letters, digits, '.', '_' and '-'",
				       c, i + 1);
		return mv_fail(err, MV_EINVAL,
			       "invalid identity name: byte 0x%02x (position %zu) is not "
			       "allowed; use only letters, digits, '.', '_' and '-'",
			       c, i + 1);
	}
	if (name[0] == '.' || name[0] == '-')
		return mv_fail(err, MV_EINVAL,
			       "invalid identity name \"%s\": it must not start with '%c'",
			       name, name[0]);
	return MV_OK;
}

bool keystore_name_valid(const char *name)
{
	return name_check(name, NULL) == MV_OK;
}

/* Validate dir and name and build DIR/NAME.key into path (KS_PATH_MAX). */
static int key_path(char *path, const char *dir, const char *name,
		    struct mv_err *err)
{
	int rc = name_check(name, err);
	if (rc != MV_OK)
		return rc;
	if (dir == NULL || dir[0] == '\0')
		return mv_fail(err, MV_EINVAL, "no identity directory given");
	int n = snprintf(path, KS_PATH_MAX, "%s/%s" KS_SUFFIX, dir, name);
	if (n < 0 || n >= KS_PATH_MAX)
		return mv_fail(err, MV_EINVAL, "identity directory path is too long: %.64s...",
			       dir);
	return MV_OK;
}

/* ---- parsing ---------------------------------------------------------- */

struct cursor {
	const char *p, *end;
	int lineno;
};

/* Copy the next '\n'-terminated line, without the '\n', into buf.
 * False if the line is missing, unterminated, too long or holds a NUL. */
static bool next_line(struct cursor *c, char *buf)
{
	buf[0] = '\0';
	c->lineno++;
	const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	if (nl == NULL)
		return false;
	size_t len = (size_t)(nl - c->p);
	if (len >= KS_LINE_MAX || memchr(c->p, '\0', len) != NULL)
		return false;
	memcpy(buf, c->p, len);
	buf[len] = '\0';
	c->p = nl + 1;
	return true;
}

static int corrupt(struct mv_err *err, const char *path, int lineno,
		   const char *expect)
{
	return mv_fail(err, MV_EINVAL, "corrupt key file %s: line %d should be %s",
		       path, lineno, expect);
}

/* Strict decimal: digits only, no sign, no leading zero, no overflow.
 * Returns the first byte after the digits, or NULL. */
static const char *parse_dec(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *p = s;
	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return NULL;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (ULLONG_MAX - d) / 10)
			return NULL;
		v = v * 10 + d;
	}
	*out = v;
	return p;
}

/* Line "KEY HEX" with exactly 2*n hex digits. */
static int parse_hex_line(struct cursor *c, const char *path, const char *key,
			  uint8_t *out, size_t n, struct mv_err *err)
{
	char line[KS_LINE_MAX], expect[96];
	size_t klen = strlen(key);
	snprintf(expect, sizeof expect, "\"%s\" and %zu hex digits", key ? key : "", 2 * n);
	if (!next_line(c, line) || strncmp(line, key, klen) != 0 ||
	    line[klen] != ' ' || mv_unhex(out, n, line + klen + 1) != MV_OK)
		return corrupt(err, path, c->lineno, expect);
	return MV_OK;
}

static int parse_kdf_line(struct cursor *c, const char *path,
			  struct ks_file *f, struct mv_err *err)
{
	static const char prefix[] = "kdf argon2id13 ";
	char line[KS_LINE_MAX];
	const char *p;
	if (!next_line(c, line) || strncmp(line, prefix, sizeof prefix - 1) != 0 ||
	    (p = parse_dec(line + sizeof prefix - 1, &f->ops)) == NULL ||
	    *p != ' ' || (p = parse_dec(p + 1, &f->mem)) == NULL || *p != '\0')
		return corrupt(err, path, c->lineno,
			       "\"kdf argon2id13 OPSLIMIT MEMLIMIT\"");
	if (f->ops < KS_OPS_MIN || f->ops > KS_OPS_MAX)
		return mv_fail(err, MV_EINVAL,
			       "corrupt key file %s: Argon2id opslimit %llu is outside %llu..%llu",
			       path, f->ops, KS_OPS_MIN, KS_OPS_MAX);
	if (f->mem < KS_MEM_MIN || f->mem > KS_MEM_MAX)
		return mv_fail(err, MV_EINVAL,
			       "corrupt key file %s: Argon2id memlimit %llu is outside %llu..%llu",
			       path, f->mem, KS_MEM_MIN, KS_MEM_MAX);
	return MV_OK;
}

/* Parse the bytes of key file path into f. */
static int ks_parse(const char *path, const uint8_t *data, size_t len,
		    struct ks_file *f, struct mv_err *err)
{
	struct cursor c = { (const char *)data, (const char *)data + len, 0 };
	char line[KS_LINE_MAX];
	int rc;

	if (len == 0)
		return mv_fail(err, MV_EINVAL, "corrupt key file %s: it is empty", path);
	if (!next_line(&c, line) || strcmp(line, KS_MAGIC) != 0) {
		const char *v = line + 16;
		if (strncmp(line, "mentalverse-key ", 16) == 0 &&
		    strspn(v, "0123456789") == strlen(v) && v[0] != '\0')
			return mv_fail(err, MV_EINVAL,
				       "key file %s has an unsupported format version "
				       "(this build reads \"" KS_MAGIC "\")", path);
		return mv_fail(err, MV_EINVAL,
			       "%s is not a MentalVerse key file (line 1 should be \""
			       KS_MAGIC "\")", path);
	}
	if ((rc = parse_hex_line(&c, path, "public", f->pk, sizeof f->pk, err)) ||
	    (rc = parse_kdf_line(&c, path, f, err)) ||
	    (rc = parse_hex_line(&c, path, "salt", f->salt, sizeof f->salt, err)) ||
	    (rc = parse_hex_line(&c, path, "nonce", f->nonce, sizeof f->nonce, err)) ||
	    (rc = parse_hex_line(&c, path, "secret", f->box, sizeof f->box, err)))
		return rc;
	if (c.p != c.end)
		return mv_fail(err, MV_EINVAL,
			       "corrupt key file %s: unexpected data after line %d",
			       path, c.lineno);
	return MV_OK;
}

/* Read and parse DIR/NAME.key; path receives its path (KS_PATH_MAX). */
static int ks_load(const char *dir, const char *name, char *path,
		   struct ks_file *f, struct mv_err *err)
{
	struct stat st;
	uint8_t *data = NULL;
	size_t len = 0;
	int rc = key_path(path, dir, name, err);
	if (rc != MV_OK)
		return rc;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return mv_fail(err, MV_ENOTFOUND, "no identity named %s in %s",
				       name, dir);
		return mv_fail(err, MV_ERR, "cannot read key file %s: %s", path,
			       strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return mv_fail(err, MV_EINVAL, "key file %s is not a regular file", path);
	rc = mv_read_file(path, KS_FILE_MAX, &data, &len, err);
	if (rc != MV_OK)
		return rc;
	rc = ks_parse(path, data, len, f, err);
	free(data);
	return rc;
}

/* ---- crypto ----------------------------------------------------------- */

/* Derive the secretbox key for f's salt and limits. 0, or -1 (out of memory). */
static int derive_key(uint8_t key[crypto_secretbox_KEYBYTES], const char *pass,
		      const struct ks_file *f)
{
	return crypto_pwhash(key, crypto_secretbox_KEYBYTES, pass, strlen(pass),
			     f->salt, f->ops, (size_t)f->mem,
			     crypto_pwhash_ALG_ARGON2ID13);
}

enum { OPEN_OK, OPEN_BADPASS, OPEN_NOMEM };

/* Decrypt f's secret key with pass into sk (64 bytes, caller's secure memory). */
static int open_secret(const struct ks_file *f, const char *pass, uint8_t *sk)
{
	uint8_t *key = sodium_malloc(crypto_secretbox_KEYBYTES);
	if (key == NULL)
		return OPEN_NOMEM;
	int res = OPEN_OK;
	if (derive_key(key, pass, f) != 0)
		res = OPEN_NOMEM;
	else if (crypto_secretbox_open_easy(sk, f->box, sizeof f->box, f->nonce,
					    key) != 0)
		res = OPEN_BADPASS;
	sodium_free(key);  /* wipes */
	return res;
}

/* True if sk is a well-formed libsodium secret key whose public half is pk:
 * the key pair re-derived from its seed must equal it byte for byte. */
static bool sk_consistent(const uint8_t sk[64], const uint8_t pk[32])
{
	uint8_t pk2[crypto_sign_PUBLICKEYBYTES];
	uint8_t *sk2 = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (sk2 == NULL)
		return false;
	bool ok = crypto_sign_seed_keypair(pk2, sk2, sk) == 0 &&
		  sodium_memcmp(sk2, sk, crypto_sign_SECRETKEYBYTES) == 0 &&
		  memcmp(pk2, pk, sizeof pk2) == 0;
	sodium_free(sk2);
	return ok;
}

/* ---- writing ---------------------------------------------------------- */

static int check_pass(const char *pass, struct mv_err *err)
{
	if (pass == NULL)
		return mv_fail(err, MV_EINVAL,
			       "no passphrase given (use an empty one for an unprotected key)");
	return MV_OK;
}

/* Encrypt sk (consistent, checked by the caller) and format the file text. */
static int ks_format(char *text, size_t cap, const char *pass, const uint8_t *sk,
		     struct mv_err *err)
{
	struct ks_file f;
	bool empty = pass[0] == '\0';
	f.ops = empty ? KS_OPS_MIN : crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
	f.mem = empty ? KS_MEM_MIN : crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
	randombytes_buf(f.salt, sizeof f.salt);
	randombytes_buf(f.nonce, sizeof f.nonce);

	uint8_t *key = sodium_malloc(crypto_secretbox_KEYBYTES);
	if (key == NULL)
		return mv_fail(err, MV_ERR, "out of memory");
	if (derive_key(key, pass, &f) != 0) {
		sodium_free(key);
		return mv_fail(err, MV_ERR,
			       "key derivation failed (Argon2id needs %llu bytes of memory)",
			       f.mem);
	}
	crypto_secretbox_easy(f.box, sk, crypto_sign_SECRETKEYBYTES, f.nonce, key);
	sodium_free(key);

	char pk_hex[2 * 32 + 1], salt_hex[2 * sizeof f.salt + 1];
	char nonce_hex[2 * sizeof f.nonce + 1], box_hex[2 * sizeof f.box + 1];
	mv_hex(pk_hex, sk + crypto_sign_SEEDBYTES, crypto_sign_PUBLICKEYBYTES);
	mv_hex(salt_hex, f.salt, sizeof f.salt);
	mv_hex(nonce_hex, f.nonce, sizeof f.nonce);
	mv_hex(box_hex, f.box, sizeof f.box);
	int n = snprintf(text, cap,
			 KS_MAGIC "\npublic %s\nkdf argon2id13 %llu %llu\n"
			 "salt %s\nnonce %s\nsecret %s\n",
			 pk_hex, f.ops, f.mem, salt_hex, nonce_hex, box_hex);
	if (n < 0 || (size_t)n >= cap)
		return mv_fail(err, MV_ERR, "internal error: key file text too long");
	return n;
}

/* Write sk (already checked consistent) as DIR/NAME.key; MV_EEXIST if present. */
static int ks_store(const char *dir, const char *name, const char *pass,
		    const uint8_t *sk, struct mv_err *err)
{
	char path[KS_PATH_MAX], text[KS_FILE_MAX];
	struct stat st;
	int rc;

	if ((rc = ks_init(err)) || (rc = key_path(path, dir, name, err)) ||
	    (rc = check_pass(pass, err)))
		return rc;
	if (lstat(path, &st) == 0)
		return mv_fail(err, MV_EEXIST, "identity %s already exists in %s",
			       name, dir);
	if (errno != ENOENT)
		return mv_fail(err, MV_ERR, "cannot check key file %s: %s", path,
			       strerror(errno));
	if ((rc = mv_mkdirs(dir, 0700, err)) != MV_OK)
		return rc;
	int n = ks_format(text, sizeof text, pass, sk, err);
	if (n < 0)
		return n;
	return mv_write_file_atomic(path, text, (size_t)n, 0600, err);
}

int keystore_create(const char *dir, const char *name, const char *passphrase,
		    uint8_t pk_out[32], struct mv_err *err)
{
	int rc = ks_init(err);
	if (rc != MV_OK)
		return rc;
	uint8_t *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (sk == NULL)
		return mv_fail(err, MV_ERR, "out of memory");
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	crypto_sign_keypair(pk, sk);
	rc = ks_store(dir, name, passphrase, sk, err);
	sodium_free(sk);
	if (rc == MV_OK && pk_out != NULL)
		memcpy(pk_out, pk, sizeof pk);
	return rc;
}

int keystore_import(const char *dir, const char *name, const char *passphrase,
		    const uint8_t sk[64], struct mv_err *err)
{
	int rc;
	if ((rc = ks_init(err)) || (rc = name_check(name, err)))
		return rc;
	if (!sk_consistent(sk, sk + crypto_sign_SEEDBYTES))
		return mv_fail(err, MV_EINVAL,
			       "cannot import %s: the secret key is malformed (its public "
			       "half does not belong to its seed)", name);
	return ks_store(dir, name, passphrase, sk, err);
}

/* ---- reading ---------------------------------------------------------- */

int keystore_public(const char *dir, const char *name, uint8_t pk_out[32],
		    struct mv_err *err)
{
	char path[KS_PATH_MAX];
	struct ks_file f;
	int rc = ks_load(dir, name, path, &f, err);
	if (rc == MV_OK)
		memcpy(pk_out, f.pk, sizeof f.pk);
	return rc;
}

int keystore_unlock(const char *dir, const char *name, const char *passphrase,
		    uint8_t sk_out[64], struct mv_err *err)
{
	char path[KS_PATH_MAX];
	struct ks_file f;
	int rc;
	if ((rc = ks_init(err)) || (rc = check_pass(passphrase, err)) ||
	    (rc = ks_load(dir, name, path, &f, err)))
		return rc;

	uint8_t *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (sk == NULL)
		return mv_fail(err, MV_ERR, "out of memory");
	switch (open_secret(&f, passphrase, sk)) {
	case OPEN_OK:
		if (sk_consistent(sk, f.pk)) {
			memcpy(sk_out, sk, crypto_sign_SECRETKEYBYTES);
			rc = MV_OK;
		} else {
			rc = mv_fail(err, MV_ECRYPTO,
				     "corrupt key file %s: its secret key does not match "
				     "its public key", path);
		}
		break;
	case OPEN_BADPASS:
		rc = mv_fail(err, MV_ECRYPTO, "wrong passphrase for %s", name);
		break;
	default:
		rc = mv_fail(err, MV_ERR,
			     "cannot unlock %s: key derivation failed (Argon2id needs "
			     "%llu bytes of memory)", name, f.mem);
		break;
	}
	sodium_free(sk);
	return rc;
}

bool keystore_is_unprotected(const char *dir, const char *name)
{
	char path[KS_PATH_MAX];
	struct ks_file f;
	if (ks_init(NULL) != MV_OK || ks_load(dir, name, path, &f, NULL) != MV_OK)
		return false;
	/* Only the empty passphrase gets the minimum cost; anything else is
	 * protected, and trying "" on it would cost a full Argon2id run. */
	if (f.ops != KS_OPS_MIN || f.mem != KS_MEM_MIN)
		return false;
	uint8_t *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (sk == NULL)
		return false;
	bool open = open_secret(&f, "", sk) == OPEN_OK;
	sodium_free(sk);
	return open;
}

/* ---- listing ---------------------------------------------------------- */

struct ks_entry {
	char name[KS_NAME_MAX + 1];
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
};

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ks_entry *)a)->name,
		      ((const struct ks_entry *)b)->name);
}

/* If d_name is NAME.key with a valid NAME, copy NAME into name. */
static bool key_file_name(const char *d_name, char name[KS_NAME_MAX + 1])
{
	size_t len = strlen(d_name), slen = sizeof KS_SUFFIX - 1;
	if (len <= slen || len - slen > KS_NAME_MAX ||
	    strcmp(d_name + len - slen, KS_SUFFIX) != 0)
		return false;
	memcpy(name, d_name, len - slen);
	name[len - slen] = '\0';
	return keystore_name_valid(name);
}

/* Collect every valid identity of dir into *out (malloc'd, caller frees).
 * A missing dir holds no identities. Unreadable or corrupt files are skipped. */
static int collect(const char *dir, struct ks_entry **out, size_t *count,
		   struct mv_err *err)
{
	*out = NULL;
	*count = 0;
	if (dir == NULL || dir[0] == '\0')
		return mv_fail(err, MV_EINVAL, "no identity directory given");
	DIR *d = opendir(dir);
	if (d == NULL) {
		if (errno == ENOENT)
			return MV_OK;
		return mv_fail(err, MV_ERR, "cannot read identity directory %s: %s",
			       dir, strerror(errno));
	}
	struct ks_entry *v = NULL;
	size_t n = 0, cap = 0;
	int rc = MV_OK;
	struct dirent *de;
	for (errno = 0; (de = readdir(d)) != NULL; errno = 0) {
		char name[KS_NAME_MAX + 1], path[KS_PATH_MAX];
		struct ks_file f;
		if (!key_file_name(de->d_name, name) ||
		    ks_load(dir, name, path, &f, NULL) != MV_OK)
			continue;
		if (n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct ks_entry *nv = realloc(v, ncap * sizeof *nv);
			if (nv == NULL) {
				rc = mv_fail(err, MV_ERR, "out of memory");
				break;
			}
			v = nv;
			cap = ncap;
		}
		memcpy(v[n].name, name, sizeof name);
		memcpy(v[n].pk, f.pk, sizeof f.pk);
		n++;
	}
	if (rc == MV_OK && errno != 0)
		rc = mv_fail(err, MV_ERR, "cannot read identity directory %s: %s",
			     dir, strerror(errno));
	closedir(d);
	if (rc != MV_OK) {
		free(v);
		return rc;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, entry_cmp);
	*out = v;
	*count = n;
	return MV_OK;
}

int keystore_list(const char *dir,
		  int (*cb)(void *ud, const char *name, const uint8_t pk[32]),
		  void *ud, struct mv_err *err)
{
	struct ks_entry *v;
	size_t n;
	int rc = collect(dir, &v, &n, err);
	if (rc != MV_OK)
		return rc;
	/* The directory is closed before calling back, so cb may use the
	 * keystore itself. */
	for (size_t i = 0; i < n; i++)
		if (cb(ud, v[i].name, v[i].pk) != 0)
			break;
	free(v);
	return MV_OK;
}

int keystore_find(const char *dir, const uint8_t pk[32], char *name_out,
		  struct mv_err *err)
{
	struct ks_entry *v;
	size_t n;
	int rc = collect(dir, &v, &n, err);
	if (rc != MV_OK)
		return rc;
	/* Sorted, so if one key was imported under two names the first wins. */
	rc = MV_ENOTFOUND;
	for (size_t i = 0; i < n && rc != MV_OK; i++) {
		if (memcmp(v[i].pk, pk, sizeof v[i].pk) == 0) {
			memcpy(name_out, v[i].name, sizeof v[i].name);
			rc = MV_OK;
		}
	}
	free(v);
	if (rc != MV_OK) {
		char hex[2 * 32 + 1];
		mv_hex(hex, pk, 32);
		return mv_fail(err, MV_ENOTFOUND, "no identity in %s has public key %s",
			       dir, hex);
	}
	return MV_OK;
}
