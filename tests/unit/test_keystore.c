/* test_keystore.c - unit tests of the identity key files (src/core/keystore.c):
 * round trips, passphrase handling, file and directory modes, name rules,
 * strict parsing of damaged files, listing order, lookup by public key and
 * import. Each test works in its own fresh temporary directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/keystore.h"
#include "core/home_people.h"

struct fx {
	char root[64];   /* mkdtemp directory, removed afterwards */
	char dir[128];   /* ROOT/keys: the keystore, not created in advance */
};

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	return remove(path);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	strcpy(f->root, "/tmp/mv-test-keystore-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(f->dir, sizeof f->dir, "%s/keys", f->root);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	nftw(f->root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* ---- helpers ---------------------------------------------------------- */

static void key_path(char *out, size_t cap, const struct fx *f, const char *name)
{
	snprintf(out, cap, "%s/%s.key", f->dir, name);
}

/* Whole file as a NUL-terminated malloc'd string. */
static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char *buf = calloc(1, 4096);
	assert_non_null(buf);
	size_t n = fread(buf, 1, 4095, fp);
	fclose(fp);
	buf[n] = '\0';
	return buf;
}

/* Overwrite path with exactly len bytes of data. */
static void spit(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void spit_str(const char *path, const char *s)
{
	spit(path, s, strlen(s));
}

static void create_ok(const struct fx *f, const char *name, const char *pass,
		      uint8_t pk[32])
{
	struct mv_err err = {0};
	uint8_t tmp[32];
	int rc = keystore_create(f->dir, name, pass, pk ? pk : tmp, &err);
	if (rc != MV_OK)
		fail_msg("keystore_create(%s): %d %s", name, rc, err.msg);
}

static void assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

/* Copy of s with the first hex digit after "\nKEY " changed. */
static char *flip_field(const char *s, const char *key)
{
	char pat[32];
	snprintf(pat, sizeof pat, "\n%s ", key);
	char *out = strdup(s);
	assert_non_null(out);
	char *p = strstr(out, pat);
	assert_non_null(p);
	p += strlen(pat);
	*p = *p == '0' ? '1' : '0';
	return out;
}

/* ---- names ------------------------------------------------------------ */

static void test_name_rules(void **state)
{
	static const char *good[] = {
		"a", "alice", "Bob_2", "x.y", "a-b", "a.", "9lives", "A_.-z",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 48 */
	};
	static const char *bad[] = {
		"", ".hidden", "-x", "a b", "a/b", "..", "a\x01", "caf\xc3\xa9",
		"a:b", "a\\b", "~", "a\n",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 49 */
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (!keystore_name_valid(good[i]))
			fail_msg("\"%s\" should be valid", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (keystore_name_valid(bad[i]))
			fail_msg("\"%s\" should be invalid", bad[i]);
	assert_false(keystore_name_valid(NULL));
}

/* Each rule is named in the message, and nothing is written. */
static void test_invalid_names(void **state)
{
	struct fx *f = *state;
	static const struct { const char *name, *msg; } cases[] = {
		{ "", "it is empty" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "49 bytes long, at most 48" },
		{ "a b", "' ' (position 2) is not allowed" },
		{ "../etc", "'/' (position 3) is not allowed" },
		{ "a\x7f", "byte 0x7f (position 2) is not allowed" },
		{ ".x", "must not start with '.'" },
		{ "-x", "must not start with '-'" },
	};
	uint8_t pk[32], sk[64];
	crypto_sign_keypair(pk, sk);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct mv_err err = {0};
		const char *n = cases[i].name;
		assert_int_equal(keystore_create(f->dir, n, "", pk, &err), MV_EINVAL);
		assert_contains(err.msg, cases[i].msg);
		assert_contains(err.msg, "invalid identity name");
		memset(&err, 0, sizeof err);
		assert_int_equal(keystore_import(f->dir, n, "", sk, &err), MV_EINVAL);
		assert_contains(err.msg, cases[i].msg);
		memset(&err, 0, sizeof err);
		assert_int_equal(keystore_public(f->dir, n, pk, &err), MV_EINVAL);
		assert_contains(err.msg, cases[i].msg);
		memset(&err, 0, sizeof err);
		assert_int_equal(keystore_unlock(f->dir, n, "", sk, &err), MV_EINVAL);
		assert_contains(err.msg, cases[i].msg);
		assert_false(keystore_is_unprotected(f->dir, n));
	}
	struct stat st;
	assert_int_equal(stat(f->dir, &st), -1);  /* nothing was created */
}

/* ---- round trips ------------------------------------------------------ */

static void test_create_unlock_roundtrip(void **state)
{
	struct fx *f = *state;
	struct mv_err err = {0};
	uint8_t pk[32], pk2[32], sk[64], sig[64];
	static const uint8_t msg[] = "an op to sign";

	create_ok(f, "alice", "correct horse battery staple", pk);
	assert_int_equal(keystore_public(f->dir, "alice", pk2, &err), MV_OK);
	assert_memory_equal(pk, pk2, 32);
	assert_int_equal(keystore_unlock(f->dir, "alice",
					 "correct horse battery staple", sk, &err),
			 MV_OK);
	assert_memory_equal(sk + 32, pk, 32);
	crypto_sign_detached(sig, NULL, msg, sizeof msg, sk);
	assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof msg, pk), 0);
	sodium_memzero(sk, sizeof sk);

	/* A non-empty passphrase gets the interactive cost, stored in the file. */
	char path[256], want[96];
	key_path(path, sizeof path, f, "alice");
	char *text = slurp(path);
	snprintf(want, sizeof want, "\nkdf argon2id13 %llu %llu\n",
		 (unsigned long long)crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
		 (unsigned long long)crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
	assert_contains(text, want);
	assert_true(strncmp(text, "mentalverse-key 1\npublic ", 25) == 0);
	free(text);

	/* Fresh keys each time. */
	create_ok(f, "bob", "", pk2);
	assert_memory_not_equal(pk, pk2, 32);
}

static void test_wrong_passphrase(void **state)
{
	struct fx *f = *state;
	struct mv_err err = {0};
	uint8_t sk[64];

	create_ok(f, "carol", "secret", NULL);
	memset(sk, 0xaa, sizeof sk);
	assert_int_equal(keystore_unlock(f->dir, "carol", "Secret", sk, &err),
			 MV_ECRYPTO);
	assert_string_equal(err.msg, "wrong passphrase for carol");
	memset(&err, 0, sizeof err);
	assert_int_equal(keystore_unlock(f->dir, "carol", "", sk, &err), MV_ECRYPTO);
	assert_string_equal(err.msg, "wrong passphrase for carol");
	for (size_t i = 0; i < sizeof sk; i++)  /* nothing leaked into sk_out */
		assert_int_equal(sk[i], 0xaa);
	assert_false(keystore_is_unprotected(f->dir, "carol"));
}

static void test_empty_passphrase(void **state)
{
	struct fx *f = *state;
	struct mv_err err = {0};
	uint8_t pk[32], sk[64];
	char path[256], want[96];

	create_ok(f, "demo", "", pk);
	key_path(path, sizeof path, f, "demo");
	char *text = slurp(path);
	snprintf(want, sizeof want, "\nkdf argon2id13 %llu %llu\n",
		 (unsigned long long)crypto_pwhash_argon2id_OPSLIMIT_MIN,
		 (unsigned long long)crypto_pwhash_argon2id_MEMLIMIT_MIN);
	assert_contains(text, want);
	free(text);

	assert_int_equal(keystore_unlock(f->dir, "demo", "", sk, &err), MV_OK);
	assert_memory_equal(sk + 32, pk, 32);
	assert_int_equal(keystore_unlock(f->dir, "demo", "x", sk, &err), MV_ECRYPTO);
	assert_string_equal(err.msg, "wrong passphrase for demo");
	assert_true(keystore_is_unprotected(f->dir, "demo"));
}

static void test_null_passphrase(void **state)
{
	struct fx *f = *state;
	struct mv_err err = {0};
	uint8_t pk[32], sk[64];

	assert_int_equal(keystore_create(f->dir, "n", NULL, pk, &err), MV_EINVAL);
	assert_contains(err.msg, "no passphrase");
	create_ok(f, "n", "", NULL);
	assert_int_equal(keystore_unlock(f->dir, "n", NULL, sk, &err), MV_EINVAL);
}

static void test_file_modes(void **state)
{
	struct fx *f = *state;
	struct stat st;
	char path[256];
	mode_t old = umask(0);  /* the modes must not depend on the umask */

	create_ok(f, "m", "", NULL);
	umask(old);
	key_path(path, sizeof path, f, "m");
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(f->dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);

	/* Nothing else (no temp file) is left in the directory. */
	DIR *d = opendir(f->dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		assert_string_equal(de->d_name, "m.key");
		n++;
	}
	closedir(d);
	assert_int_equal(n, 1);
}

static void test_exists(void **state)
{
	struct fx *f = *state;
	struct mv_err err = {0};
	uint8_t pk[32], pk2[32], sk[64];
	char path[256];

	create_ok(f, "dup", "", pk);
	key_path(path, sizeof path, f, "dup");
	char *before = slurp(path);
	assert_int_equal(keystore_create(f->dir, "dup", "", pk2, &err), MV_EEXIST);
	assert_contains(err.msg, "identity dup already exists in ");
	assert_contains(err.msg, f->dir);
	crypto_sign_keypair(pk2, sk);
	memset(&err, 0, sizeof err);
	assert_int_equal(keystore_import(f->dir, "dup", "", sk, &err), MV_EEXIST);
	assert_contains(err.msg, "already exists");
	char *after = slurp(path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_not_found(void **state)
{
	struct fx *f = *state;
	struct mv_err err = {0};
	uint8_t pk[32], sk[64];
	char want[256];

	snprintf(want, sizeof want, "no identity named ghost in %s", f->dir);
	/* Directory missing entirely, then present without the file. */
	for (int round = 0; round < 2; round++) {
		memset(&err, 0, sizeof err);
		assert_int_equal(keystore_public(f->dir, "ghost", pk, &err), MV_ENOTFOUND);
		assert_string_equal(err.msg, want);
		memset(&err, 0, sizeof err);
		assert_int_equal(keystore_unlock(f->dir, "ghost", "", sk, &err),
				 MV_ENOTFOUND);
		assert_string_equal(err.msg, want);
		assert_false(keystore_is_unprotected(f->dir, "ghost"));
		if (round == 0)
			create_ok(f, "someone", "", NULL);
	}
}

/* ---- damaged files ---------------------------------------------------- */

/* Every proper prefix of a valid file is rejected as corrupt, naming it. */
static void test_corrupt_truncated(void **state)
{
	struct fx *f = *state;
	struct mv_err err;
	uint8_t pk[32], pk2[32], sk[64];
	char path[256];

	create_ok(f, "t", "", pk);
	key_path(path, sizeof path, f, "t");
	char *text = slurp(path);
	size_t len = strlen(text);
	assert_true(len > 300);
	for (size_t cut = 0; cut < len; cut++) {
		spit(path, text, cut);
		memset(&err, 0, sizeof err);
		if (keystore_public(f->dir, "t", pk2, &err) != MV_EINVAL)
			fail_msg("prefix of %zu bytes accepted", cut);
		assert_contains(err.msg, path);
		memset(&err, 0, sizeof err);
		assert_int_equal(keystore_unlock(f->dir, "t", "", sk, &err), MV_EINVAL);
		assert_contains(err.msg, path);
		assert_false(keystore_is_unprotected(f->dir, "t"));
	}
	spit(path, text, len);  /* the control: intact again, accepted again */
	assert_int_equal(keystore_unlock(f->dir, "t", "", sk, &err), MV_OK);
	assert_memory_equal(sk + 32, pk, 32);
	free(text);
}

/* Salt, nonce, limits and ciphertext are all bound by the MAC: a change in
 * any of them reads as a wrong passphrase, never as a different key. */
static void test_corrupt_flip_secret(void **state)
{
	struct fx *f = *state;
	struct mv_err err;
	uint8_t pk[32], pk2[32], sk[64];
	char path[256];
	static const char *fields[] = { "secret", "salt", "nonce" };

	create_ok(f, "t", "", pk);
	key_path(path, sizeof path, f, "t");
	char *text = slurp(path);
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		char *bad = flip_field(text, fields[i]);
		spit_str(path, bad);
		memset(&err, 0, sizeof err);
		assert_int_equal(keystore_public(f->dir, "t", pk2, &err), MV_OK);
		assert_memory_equal(pk, pk2, 32);
		memset(&err, 0, sizeof err);
		if (keystore_unlock(f->dir, "t", "", sk, &err) != MV_ECRYPTO)
			fail_msg("flipped %s not detected: %s", fields[i], err.msg);
		assert_string_equal(err.msg, "wrong passphrase for t");
		assert_false(keystore_is_unprotected(f->dir, "t"));
		free(bad);
	}
	/* Changed opslimit: still well-formed, but a different key. */
	char want[64];
	snprintf(want, sizeof want, "\nkdf argon2id13 %llu ",
		 (unsigned long long)crypto_pwhash_argon2id_OPSLIMIT_MIN);
	char *bad = strdup(text);
	char *p = strstr(bad, want);
	assert_non_null(p);
	p[strlen(want) - 2] += 1;
	spit_str(path, bad);
	memset(&err, 0, sizeof err);
	assert_int_equal(keystore_unlock(f->dir, "t", "", sk, &err), MV_ECRYPTO);
	free(bad);
	free(text);
}

/* The public line is outside the MAC; unlock must notice the mismatch. */
static void test_corrupt_public_mismatch(void **state)
{
	struct fx *f = *state;
	struct mv_err err = {0};
	uint8_t pk[32], pk2[32], sk[64];
	char path[256];

	create_ok(f, "t", "", pk);
	key_path(path, sizeof path, f, "t");
	char *text = slurp(path);
	char *bad = flip_field(text, "public");
	spit_str(path, bad);
	assert_int_equal(keystore_public(f->dir, "t", pk2, &err), MV_OK);
	assert_memory_not_equal(pk, pk2, 32);
	memset(sk, 0xaa, sizeof sk);
	assert_int_equal(keystore_unlock(f->dir, "t", "", sk, &err), MV_ECRYPTO);
	assert_contains(err.msg, path);
	assert_contains(err.msg, "does not match its public key");
	for (size_t i = 0; i < sizeof sk; i++)
		assert_int_equal(sk[i], 0xaa);
	free(bad);
	free(text);
}

/* Fields of a valid file, to rebuild variants of it. */
struct fields {
	char pub[80], ops[24], mem[24], salt[48], nonce[64], secret[200];
};

static void split_fields(const char *text, struct fields *x)
{
	int n = sscanf(text, "mentalverse-key 1\npublic %79s\nkdf argon2id13 %23s %23s\n"
		       "salt %47s\nnonce %63s\nsecret %199s\n",
		       x->pub, x->ops, x->mem, x->salt, x->nonce, x->secret);
	assert_int_equal(n, 6);
}

static void test_corrupt_format_variants(void **state)
{
	struct fx *f = *state;
	struct mv_err err;
	uint8_t pk[32], sk[64];
	char path[256], buf[1024];
	struct fields x;

	create_ok(f, "v", "", pk);
	key_path(path, sizeof path, f, "v");
	char *orig = slurp(path);
	split_fields(orig, &x);

#define FMT(hdr, pub, kdf, ops, mem, salt, nonce, secret, tail)                 \
	snprintf(buf, sizeof buf, "%s\npublic %s\nkdf %s %s %s\nsalt %s\nnonce %s\n" \
		 "secret %s\n%s", hdr, pub, kdf, ops, mem, salt, nonce, secret, tail)

	/* Control: rebuilding from the fields gives an identical, good file. */
	FMT("mentalverse-key 1", x.pub, "argon2id13", x.ops, x.mem, x.salt,
	    x.nonce, x.secret, "");
	assert_string_equal(buf, orig);

	char pub62[512], pub66[512], salt_g[512], pub_up[512];
	snprintf(pub62, sizeof pub62, "%.62s", x.pub);
	snprintf(pub66, sizeof pub66, "%s00", x.pub);
	snprintf(salt_g, sizeof salt_g, "g%s", x.salt + 1);
	snprintf(pub_up, sizeof pub_up, " %s", x.pub);
	char ops0[32], mem_big[32], mem_low[32], mem_over[40];
	snprintf(ops0, sizeof ops0, "0%s", x.ops);
	snprintf(mem_big, sizeof mem_big, "%llu",
		 (unsigned long long)crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE + 1024);
	snprintf(mem_low, sizeof mem_low, "%llu",
		 (unsigned long long)crypto_pwhash_argon2id_MEMLIMIT_MIN - 1);
	snprintf(mem_over, sizeof mem_over, "184467440737095516160");

	struct { const char *why; } v[40];
	char texts[40][1024];
	int nv = 0;
#define ADD(why_)                                                              \
	do {                                                                   \
		strcpy(texts[nv], buf);                                        \
		v[nv].why = why_;                                              \
		nv++;                                                          \
	} while (0)

	FMT("mentalverse-key 2", x.pub, "argon2id13", x.ops, x.mem, x.salt, x.nonce, x.secret, "");
	ADD("unsupported format version");
	FMT("MENTALVERSE-KEY 1", x.pub, "argon2id13", x.ops, x.mem, x.salt, x.nonce, x.secret, "");
	ADD("is not a MentalVerse key file");
	FMT("mentalverse-key 1", x.pub, "argon2id13", x.ops, x.mem, x.salt, x.nonce, x.secret, "\n");
	ADD("unexpected data after line 6");
	FMT("mentalverse-key 1", x.pub, "argon2id13", x.ops, x.mem, x.salt, x.nonce, x.secret, "extra 1\n");
	ADD("unexpected data after line 6");
	FMT("mentalverse-key 1", pub62, "argon2id13", x.ops, x.mem, x.salt, x.nonce, x.secret, "");
	ADD("line 2 should be \"public\" and 64 hex digits");
	FMT("mentalverse-key 1", pub66, "argon2id13", x.ops, x.mem, x.salt, x.nonce, x.secret, "");
	ADD("line 2 should be");
	FMT("mentalverse-key 1", pub_up, "argon2id13", x.ops, x.mem, x.salt, x.nonce, x.secret, "");
	ADD("line 2 should be");
	FMT("mentalverse-key 1", x.pub, "argon2id13", x.ops, x.mem, salt_g, x.nonce, x.secret, "");
	ADD("line 4 should be \"salt\" and 32 hex digits");
	FMT("mentalverse-key 1", x.pub, "argon2i13", x.ops, x.mem, x.salt, x.nonce, x.secret, "");
	ADD("line 3 should be \"kdf argon2id13 OPSLIMIT MEMLIMIT\"");
	FMT("mentalverse-key 1", x.pub, "argon2id13", ops0, x.mem, x.salt, x.nonce, x.secret, "");
	ADD("line 3 should be");
	FMT("mentalverse-key 1", x.pub, "argon2id13", "+1", x.mem, x.salt, x.nonce, x.secret, "");
	ADD("line 3 should be");
	FMT("mentalverse-key 1", x.pub, "argon2id13", x.ops, "", x.salt, x.nonce, x.secret, "");
	ADD("line 3 should be");
	FMT("mentalverse-key 1", x.pub, "argon2id13", x.ops, mem_over, x.salt, x.nonce, x.secret, "");
	ADD("line 3 should be");
	FMT("mentalverse-key 1", x.pub, "argon2id13", "0", x.mem, x.salt, x.nonce, x.secret, "");
	ADD("opslimit 0 is outside");
	FMT("mentalverse-key 1", x.pub, "argon2id13", "99", x.mem, x.salt, x.nonce, x.secret, "");
	ADD("opslimit 99 is outside");
	FMT("mentalverse-key 1", x.pub, "argon2id13", x.ops, mem_big, x.salt, x.nonce, x.secret, "");
	ADD("memlimit");
	FMT("mentalverse-key 1", x.pub, "argon2id13", x.ops, mem_low, x.salt, x.nonce, x.secret, "");
	ADD("memlimit");
	/* Lines in the wrong order: nonce and salt swapped. */
	snprintf(buf, sizeof buf,
		 "mentalverse-key 1\npublic %s\nkdf argon2id13 %s %s\nnonce %s\nsalt %s\n"
		 "secret %s\n", x.pub, x.ops, x.mem, x.nonce, x.salt, x.secret);
	ADD("line 4 should be \"salt\"");
	/* CRLF line ends. */
	snprintf(buf, sizeof buf,
		 "mentalverse-key 1\r\npublic %s\r\nkdf argon2id13 %s %s\r\nsalt %s\r\n"
		 "nonce %s\r\nsecret %s\r\n", x.pub, x.ops, x.mem, x.salt, x.nonce, x.secret);
	ADD("is not a MentalVerse key file");
	/* Secret line far shorter than its ciphertext. */
	FMT("mentalverse-key 1", x.pub, "argon2id13", x.ops, x.mem, x.salt, x.nonce, x.salt, "");
	ADD("line 6 should be \"secret\" and 160 hex digits");
	assert_true(nv <= 40);

	for (int i = 0; i < nv; i++) {
		spit_str(path, texts[i]);
		memset(&err, 0, sizeof err);
		int rc = keystore_public(f->dir, "v", pk, &err);
		if (rc != MV_EINVAL || strstr(err.msg, v[i].why) == NULL ||
		    strstr(err.msg, path) == NULL)
			fail_msg("variant %d (%s): rc %d, \"%s\"", i, v[i].why, rc, err.msg);
		memset(&err, 0, sizeof err);
		assert_int_equal(keystore_unlock(f->dir, "v", "", sk, &err), MV_EINVAL);
	}

	/* An embedded NUL, replacing a hex digit or added at the end of line 1
	 * (where a C string comparison alone would not see it). */
	size_t len = strlen(orig);
	char *nul = malloc(len + 1);
	assert_non_null(nul);
	memcpy(nul, orig, len);
	nul[30] = '\0';
	spit(path, nul, len);
	memset(&err, 0, sizeof err);
	assert_int_equal(keystore_public(f->dir, "v", pk, &err), MV_EINVAL);
	assert_contains(err.msg, path);
	memcpy(nul, orig, 17);
	nul[17] = '\0';
	memcpy(nul + 18, orig + 17, len - 17);
	spit(path, nul, len + 1);
	memset(&err, 0, sizeof err);
	assert_int_equal(keystore_public(f->dir, "v", pk, &err), MV_EINVAL);
	assert_contains(err.msg, "is not a MentalVerse key file");
	free(nul);

	/* Empty, and far too large. */
	spit(path, "", 0);
	memset(&err, 0, sizeof err);
	assert_int_equal(keystore_public(f->dir, "v", pk, &err), MV_EINVAL);
	assert_contains(err.msg, "it is empty");
	assert_contains(err.msg, path);
	char *big = malloc(64 * 1024);
	assert_non_null(big);
	memset(big, 'a', 64 * 1024);
	memcpy(big, orig, len);
	spit(path, big, 64 * 1024);
	free(big);
	memset(&err, 0, sizeof err);
	assert_int_equal(keystore_public(f->dir, "v", pk, &err), MV_EINVAL);
	assert_contains(err.msg, path);

	/* A directory where the file should be. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	memset(&err, 0, sizeof err);
	assert_int_equal(keystore_public(f->dir, "v", pk, &err), MV_EINVAL);
	assert_contains(err.msg, "not a regular file");
	free(orig);
#undef FMT
#undef ADD
}

/* ---- listing and lookup ----------------------------------------------- */

struct seen {
	int n, stop_after;
	char names[16][KS_NAME_MAX + 1];
	uint8_t pks[16][32];
};

static int record(void *ud, const char *name, const uint8_t pk[32])
{
	struct seen *s = ud;
	assert_true(s->n < 16);
	snprintf(s->names[s->n], sizeof s->names[0], "%s", name);
	memcpy(s->pks[s->n], pk, 32);
	s->n++;
	return s->stop_after && s->n >= s->stop_after;
}

static void test_list_ordering(void **state)
{
	struct fx *f = *state;
	struct mv_err err = {0};
	static const char *names[] = { "b", "a", "B", "a.b", "a-b", "a_b", "Z9", "a0" };
	static const char *sorted[] = { "B", "Z9", "a", "a-b", "a.b", "a0", "a_b", "b" };
	struct seen s = {0};
	char path[256], src[256];

	/* A missing directory lists nothing. */
	assert_int_equal(keystore_list(f->dir, record, &s, &err), MV_OK);
	assert_int_equal(s.n, 0);

	for (size_t i = 0; i < 8; i++)
		create_ok(f, names[i], "", NULL);
	/* Files that are not valid identities, though some hold a valid key. */
	key_path(src, sizeof src, f, "a");
	char *good = slurp(src);
	static const char *junk_good[] = {
		"notes.txt", ".hidden.key", "bad name.key", "e.key.tmp", "x.KEY", ".key",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.key", /* 49 */
	};
	for (size_t i = 0; i < sizeof junk_good / sizeof *junk_good; i++) {
		snprintf(path, sizeof path, "%s/%s", f->dir, junk_good[i]);
		spit_str(path, good);
	}
	free(good);
	snprintf(path, sizeof path, "%s/c.key", f->dir);
	spit_str(path, "garbage\n");
	snprintf(path, sizeof path, "%s/d.key", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);

	assert_int_equal(keystore_list(f->dir, record, &s, &err), MV_OK);
	assert_int_equal(s.n, 8);
	for (int i = 0; i < 8; i++) {
		uint8_t pk[32];
		assert_string_equal(s.names[i], sorted[i]);
		assert_int_equal(keystore_public(f->dir, sorted[i], pk, &err), MV_OK);
		assert_memory_equal(s.pks[i], pk, 32);
	}

	/* A non-zero return stops the walk. */
	struct seen s2 = { .stop_after = 3 };
	assert_int_equal(keystore_list(f->dir, record, &s2, &err), MV_OK);
	assert_int_equal(s2.n, 3);
	assert_string_equal(s2.names[2], "a");
}

static void test_find(void **state)
{
	struct fx *f = *state;
	struct mv_err err = {0};
	uint8_t pkx[32], pky[32], other[32], sk[64];
	char name[KS_NAME_MAX + 1];

	randombytes_buf(other, sizeof other);
	assert_int_equal(keystore_find(f->dir, other, name, &err), MV_ENOTFOUND);

	create_ok(f, "x", "", pkx);
	create_ok(f, "y", "", pky);
	assert_int_equal(keystore_find(f->dir, pkx, name, &err), MV_OK);
	assert_string_equal(name, "x");
	assert_int_equal(keystore_find(f->dir, pky, name, &err), MV_OK);
	assert_string_equal(name, "y");

	memset(&err, 0, sizeof err);
	assert_int_equal(keystore_find(f->dir, other, name, &err), MV_ENOTFOUND);
	char hex[65];
	mv_hex(hex, other, 32);
	assert_contains(err.msg, hex);
	assert_contains(err.msg, f->dir);

	/* The same key under two names: the first by name wins. */
	assert_int_equal(keystore_unlock(f->dir, "y", "", sk, &err), MV_OK);
	assert_int_equal(keystore_import(f->dir, "w", "", sk, &err), MV_OK);
	assert_int_equal(keystore_find(f->dir, pky, name, &err), MV_OK);
	assert_string_equal(name, "w");
}

/* ---- import and the unprotected flag ---------------------------------- */

static void test_import(void **state)
{
	struct fx *f = *state;
	struct mv_err err = {0};
	uint8_t seed[32], pk[32], sk[64], pk2[32], sk2[64];
	char path[256], seed_hex[65];

	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)(i * 7 + 1);
	crypto_sign_seed_keypair(pk, sk, seed);

	assert_int_equal(keystore_import(f->dir, "imp", "", sk, &err), MV_OK);
	assert_int_equal(keystore_public(f->dir, "imp", pk2, &err), MV_OK);
	assert_memory_equal(pk, pk2, 32);
	assert_int_equal(keystore_unlock(f->dir, "imp", "", sk2, &err), MV_OK);
	assert_memory_equal(sk, sk2, 64);

	/* The secret is stored encrypted, even under the empty passphrase. */
	key_path(path, sizeof path, f, "imp");
	char *text = slurp(path);
	mv_hex(seed_hex, seed, 32);
	assert_null(strstr(text, seed_hex));
	free(text);

	/* With a real passphrase. */
	assert_int_equal(keystore_import(f->dir, "imp2", "pw", sk, &err), MV_OK);
	assert_int_equal(keystore_unlock(f->dir, "imp2", "pw", sk2, &err), MV_OK);
	assert_memory_equal(sk, sk2, 64);

	/* A secret key whose public half is not its seed's is refused. */
	sk[40] ^= 1;
	memset(&err, 0, sizeof err);
	assert_int_equal(keystore_import(f->dir, "broken", "", sk, &err), MV_EINVAL);
	assert_contains(err.msg, "malformed");
	assert_int_equal(keystore_public(f->dir, "broken", pk2, &err), MV_ENOTFOUND);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(sk2, sizeof sk2);
}

static void test_unprotected_flag(void **state)
{
	struct fx *f = *state;
	char path[256];

	create_ok(f, "open", "", NULL);
	create_ok(f, "shut", "pw", NULL);
	assert_true(keystore_is_unprotected(f->dir, "open"));
	assert_false(keystore_is_unprotected(f->dir, "shut"));
	assert_false(keystore_is_unprotected(f->dir, "absent"));
	assert_false(keystore_is_unprotected(f->dir, "bad name"));
	key_path(path, sizeof path, f, "open");
	spit_str(path, "mentalverse-key 1\n");
	assert_false(keystore_is_unprotected(f->dir, "open"));
}

/* home_secret_key (every blob a screen opens) goes through the home's key
 * cache: one passphrase prompt, however many times it is called; a wrong
 * passphrase is not cached. */
static int asks;
static const char *answer;
static int count_ask(void *ud, const char *name, char *buf, size_t n)
{
	(void)ud;
	(void)name;
	asks++;
	snprintf(buf, n, "%s", answer);
	return MV_OK;
}

static void test_home_secret_key_cached(void **state)
{
	struct fx *f = *state;
	struct home *h;
	struct mv_err e;
	uint8_t pk[32], sk1[64], sk2[64];
	unsetenv("MENTALVERSE_PASSPHRASE");
	assert_int_equal(home_open(&h, f->root, true, &e), MV_OK);
	assert_int_equal(keystore_create(h->keydir, "alice", "correct horse", pk, &e), MV_OK);
	h->ask_pass = count_ask;
	asks = 0;
	answer = "wrong";
	assert_int_equal(home_secret_key(h, "alice", sk1, &e), MV_ECRYPTO);
	answer = "correct horse";
	assert_int_equal(home_secret_key(h, "alice", sk1, &e), MV_OK);
	for (int i = 0; i < 20; i++)
		assert_int_equal(home_secret_key(h, "alice", sk2, &e), MV_OK);
	assert_int_equal(asks, 2);
	assert_memory_equal(sk1, sk2, 64);
	assert_memory_equal(sk1 + 32, pk, 32);
	sodium_memzero(sk1, sizeof sk1);
	sodium_memzero(sk2, sizeof sk2);
	home_close(h);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_rules),
		cmocka_unit_test_setup_teardown(test_invalid_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_unlock_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_passphrase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_passphrase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_null_passphrase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_flip_secret, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_public_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_format_variants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_ordering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unprotected_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home_secret_key_cached, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
