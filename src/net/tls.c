/* tls.c - the node's TLS key, self-signed certificate and pin (see tls.h).
 *
 * Keys are ECDSA P-256 (every TLS stack speaks it); the certificate is valid
 * from a day ago for 20 years and names no host: peers check the pinned key,
 * not names. The key file is written before the certificate, both through
 * mv_write_file_atomic, so a crash leaves either nothing, a key (the next
 * start certifies it, keeping the pin) or both. */
#include "net/tls.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TLS_KEY_FILE "tls.key"
#define TLS_CERT_FILE "tls.crt"
#define TLS_PEM_MAX (64 * 1024)
#define TLS_VALID_DAYS (20 * 365)

static int tls_gfail(struct mv_err *err, const char *what, int code)
{
	return mv_fail(err, MV_ERR, "TLS: %s: %s", what, gnutls_strerror(code));
}

static void tls_path(char *out, size_t outlen, const char *home_dir, const char *file)
{
	snprintf(out, outlen, "%s/node/%s", home_dir, file);
}

/* A fresh ECDSA P-256 key. */
static int tls_make_key(gnutls_x509_privkey_t *key, struct mv_err *err)
{
	int rc = gnutls_x509_privkey_init(key);
	if (rc < 0)
		return tls_gfail(err, "key", rc);
	rc = gnutls_x509_privkey_generate(*key, GNUTLS_PK_ECDSA,
					  GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
	if (rc < 0) {
		gnutls_x509_privkey_deinit(*key);
		return tls_gfail(err, "generating the key", rc);
	}
	return MV_OK;
}

static int tls_cert_fields(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key)
{
	static const char cn[] = "mentalverse node";
	uint8_t serial[16];
	time_t now = time(NULL);
	randombytes_buf(serial, sizeof serial);
	serial[0] &= 0x7f; /* a positive integer */
	serial[0] |= 0x01; /* with no leading zero byte */
	int rc = gnutls_x509_crt_set_version(crt, 3);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_serial(crt, serial, sizeof serial);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_activation_time(crt, now - 86400);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_expiration_time(crt, now + (time_t)TLS_VALID_DAYS * 86400);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
						   sizeof cn - 1);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_key(crt, key);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_basic_constraints(crt, 0, -1);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
	if (rc >= 0)
		rc = gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0);
	return rc;
}

/* A self-signed certificate for key, as PEM (*pem gnutls_free'd by caller). */
static int tls_make_cert(gnutls_x509_privkey_t key, gnutls_datum_t *pem, struct mv_err *err)
{
	gnutls_x509_crt_t crt;
	int rc = gnutls_x509_crt_init(&crt);
	if (rc < 0)
		return tls_gfail(err, "certificate", rc);
	rc = tls_cert_fields(crt, key);
	if (rc >= 0)
		rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, pem);
	gnutls_x509_crt_deinit(crt);
	return rc < 0 ? tls_gfail(err, "making the certificate", rc) : MV_OK;
}

/* The existing key file, or a new key written to it. */
static int tls_key(const char *path, gnutls_x509_privkey_t *key, struct mv_err *err)
{
	uint8_t *data = NULL;
	size_t len = 0;
	int rc = mv_read_file(path, TLS_PEM_MAX, &data, &len, err);
	if (rc == MV_OK) {
		gnutls_datum_t d = {data, (unsigned)len};
		int g = gnutls_x509_privkey_init(key);
		if (g >= 0 && (g = gnutls_x509_privkey_import(*key, &d, GNUTLS_X509_FMT_PEM)) < 0)
			gnutls_x509_privkey_deinit(*key);
		sodium_memzero(data, len);
		free(data);
		return g < 0 ? mv_fail(err, MV_ERR, "TLS: %s is not a valid key: %s", path,
				       gnutls_strerror(g))
			     : MV_OK;
	}
	if (rc != MV_ENOTFOUND)
		return rc;
	if (tls_make_key(key, err) != MV_OK)
		return MV_ERR;
	gnutls_datum_t pem;
	int g = gnutls_x509_privkey_export2(*key, GNUTLS_X509_FMT_PEM, &pem);
	if (g < 0) {
		gnutls_x509_privkey_deinit(*key);
		return tls_gfail(err, "exporting the key", g);
	}
	rc = mv_write_file_atomic(path, pem.data, pem.size, 0600, err);
	sodium_memzero(pem.data, pem.size);
	gnutls_free(pem.data);
	if (rc != MV_OK)
		gnutls_x509_privkey_deinit(*key);
	return rc;
}

/* The key (kept if it exists) and a new certificate for it. */
static int tls_make_files(const char *home_dir, const char *cpath, struct mv_err *err)
{
	char kpath[4300];
	tls_path(kpath, sizeof kpath, home_dir, TLS_KEY_FILE);
	gnutls_x509_privkey_t key;
	if (tls_key(kpath, &key, err) != MV_OK)
		return MV_ERR;
	gnutls_datum_t pem;
	int rc = tls_make_cert(key, &pem, err);
	gnutls_x509_privkey_deinit(key);
	if (rc != MV_OK)
		return rc;
	rc = mv_write_file_atomic(cpath, pem.data, pem.size, 0644, err);
	gnutls_free(pem.data);
	return rc;
}

static bool tls_have_cert(const char *cpath)
{
	uint8_t *data = NULL;
	size_t len;
	if (mv_read_file(cpath, TLS_PEM_MAX, &data, &len, NULL) != MV_OK)
		return false;
	free(data);
	return true;
}

/* Make the files under an exclusive lock on HOME/node/tls.lock, so two
 * processes starting at once (serve, address) cannot make two keys. */
int tls_ensure(const char *home_dir, struct mv_err *err)
{
	char dir[4200], lpath[4300], cpath[4300];
	tls_path(cpath, sizeof cpath, home_dir, TLS_CERT_FILE);
	if (tls_have_cert(cpath))
		return MV_OK;
	snprintf(dir, sizeof dir, "%s/node", home_dir);
	if (mv_mkdirs(dir, 0700, err) != MV_OK)
		return MV_ERR;
	tls_path(lpath, sizeof lpath, home_dir, "tls.lock");
	int fd = open(lpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return mv_fail(err, MV_ERR, "cannot lock %s: %s", lpath, strerror(e));
	}
	int rc = tls_have_cert(cpath) ? MV_OK : tls_make_files(home_dir, cpath, err);
	close(fd); /* releases the lock */
	return rc;
}

/* pin = "sha256//" base64(sha256(SPKI DER)) of the certificate in pem. */
static int tls_pin(const char *pem, char out[TLS_PIN_MAX], struct mv_err *err)
{
	gnutls_x509_crt_t crt;
	gnutls_pubkey_t pub;
	gnutls_datum_t d = {(unsigned char *)pem, (unsigned)strlen(pem)}, der = {NULL, 0};
	int rc = gnutls_x509_crt_init(&crt);
	if (rc < 0)
		return tls_gfail(err, "certificate", rc);
	rc = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM);
	if (rc >= 0 && (rc = gnutls_pubkey_init(&pub)) >= 0) {
		rc = gnutls_pubkey_import_x509(pub, crt, 0);
		if (rc >= 0)
			rc = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &der);
		gnutls_pubkey_deinit(pub);
	}
	gnutls_x509_crt_deinit(crt);
	if (rc < 0)
		return tls_gfail(err, "reading the certificate", rc);
	uint8_t h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, der.data, der.size);
	gnutls_free(der.data);
	memcpy(out, "sha256//", 8);
	sodium_bin2base64(out + 8, TLS_PIN_MAX - 8, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
	return MV_OK;
}

static int tls_read_pem(const char *home_dir, const char *file, char **out, struct mv_err *err)
{
	char path[4300];
	uint8_t *data;
	size_t len;
	tls_path(path, sizeof path, home_dir, file);
	if (mv_read_file(path, TLS_PEM_MAX, &data, &len, err) != MV_OK)
		return MV_ERR;
	*out = (char *)data; /* mv_read_file NUL-terminates */
	return MV_OK;
}

int tls_load(const char *home_dir, struct tls_node *out, struct mv_err *err)
{
	memset(out, 0, sizeof *out);
	if (sodium_init() < 0)
		return mv_fail(err, MV_ERR, "libsodium failed to initialise");
	if (tls_ensure(home_dir, err) != MV_OK ||
	    tls_read_pem(home_dir, TLS_KEY_FILE, &out->key_pem, err) != MV_OK ||
	    tls_read_pem(home_dir, TLS_CERT_FILE, &out->cert_pem, err) != MV_OK ||
	    tls_pin(out->cert_pem, out->pin, err) != MV_OK) {
		tls_free(out);
		return MV_ERR;
	}
	return MV_OK;
}

void tls_free(struct tls_node *n)
{
	if (n->key_pem) {
		sodium_memzero(n->key_pem, strlen(n->key_pem));
		free(n->key_pem);
	}
	free(n->cert_pem);
	memset(n, 0, sizeof *n);
}

/* ---- addresses ------------------------------------------------------- */

static bool tls_host_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_';
}

int tls_hostport_parse(const char *s, char *host, size_t hostlen, int *port, struct mv_err *err)
{
	const char *colon;
	size_t hl;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');
		if (!end || end[1] != ':')
			return mv_fail(err, MV_EINVAL, "bad address '%s': expected [IPV6]:PORT", s);
		colon = end + 1;
		hl = (size_t)(colon - s);
		for (const char *p = s + 1; p < end; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
				return mv_fail(err, MV_EINVAL, "bad IPv6 address in '%s'", s);
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return mv_fail(err, MV_EINVAL, "bad address '%s': expected HOST:PORT", s);
		hl = (size_t)(colon - s);
		for (const char *p = s; p < colon; p++)
			if (!tls_host_char(*p))
				return mv_fail(err, MV_EINVAL, "bad host name in '%s'", s);
	}
	if (hl == 0 || hl >= hostlen)
		return mv_fail(err, MV_EINVAL, "bad address '%s': empty or too long host", s);
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (!isdigit((unsigned char)colon[1]) || *end || p < 1 || p > 65535)
		return mv_fail(err, MV_EINVAL, "bad port in '%s' (1..65535)", s);
	memcpy(host, s, hl);
	host[hl] = '\0';
	*port = (int)p;
	return MV_OK;
}

int tls_address(const char *host, int port, const char *pin, char *out, size_t outlen,
		struct mv_err *err)
{
	int n = snprintf(out, outlen, "https://%s:%d#%s", host, port, pin);
	if (n < 0 || (size_t)n >= outlen)
		return mv_fail(err, MV_EINVAL, "address too long");
	return MV_OK;
}

/* The pin part: "sha256//" and standard base64 of exactly 32 bytes. */
static int tls_pin_parse(const char *s, char out[TLS_PIN_MAX], struct mv_err *err)
{
	uint8_t bin[40];
	size_t n = 0;
	const char *b64 = s + 8;
	if (strncmp(s, "sha256//", 8) != 0 || strlen(b64) != 44 ||
	    sodium_base642bin(bin, sizeof bin, b64, 44, NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || n != 32)
		return mv_fail(err, MV_EINVAL,
			       "bad pin '%s': expected sha256// and 44 characters of base64", s);
	snprintf(out, TLS_PIN_MAX, "%s", s);
	return MV_OK;
}

int tls_addr_parse(const char *s, struct tls_addr *out, struct mv_err *err)
{
	char hostport[300];
	memset(out, 0, sizeof *out);
	if (sodium_init() < 0)
		return mv_fail(err, MV_ERR, "libsodium failed to initialise");
	if (strncmp(s, "https://", 8) != 0)
		return mv_fail(err, MV_EINVAL, "bad peer address '%s': expected "
					       "https://HOST:PORT#sha256//BASE64", s);
	const char *hash = strchr(s + 8, '#');
	if (!hash)
		return mv_fail(err, MV_EINVAL, "peer address '%s' has no pin: expected "
					       "https://HOST:PORT#sha256//BASE64 (see `mentalverse address`)", s);
	size_t hl = (size_t)(hash - (s + 8));
	if (hl >= sizeof hostport)
		return mv_fail(err, MV_EINVAL, "peer address too long");
	memcpy(hostport, s + 8, hl);
	hostport[hl] = '\0';
	if (hl && hostport[hl - 1] == '/')
		hostport[--hl] = '\0';
	if (tls_hostport_parse(hostport, out->host, sizeof out->host, &out->port, err) != MV_OK ||
	    tls_pin_parse(hash + 1, out->pin, err) != MV_OK)
		return MV_EINVAL;
	snprintf(out->url, sizeof out->url, "https://%s:%d", out->host, out->port);
	return tls_address(out->host, out->port, out->pin, out->address, sizeof out->address, err);
}
