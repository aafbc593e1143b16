/* tls.h - the node's TLS identity and node addresses (DESIGN §7).
 *
 * Each home has a TLS key and a self-signed certificate made with GnuTLS
 * (HOME/node/tls.key, mode 0600, and HOME/node/tls.crt). Peers do not trust
 * certificate authorities: they pin the certificate's public key. The pin is
 * "sha256//" + base64(SHA-256(SubjectPublicKeyInfo DER)), the form libcurl's
 * CURLOPT_PINNEDPUBLICKEY takes, and a node address carries it:
 *   https://HOST:PORT#sha256//BASE64 */
#ifndef MV_TLS_H
#define MV_TLS_H

#include "core/util.h"

#define TLS_PIN_MAX 64   /* "sha256//" + 44 base64 characters + NUL */
#define TLS_ADDR_MAX 320

struct tls_node {
	char *key_pem;  /* malloc'd, NUL-terminated */
	char *cert_pem; /* malloc'd, NUL-terminated */
	char pin[TLS_PIN_MAX];
};

/* Make HOME/node/tls.key and tls.crt if absent (a certificate for an
 * existing key keeps the key, hence the pin). Files are written atomically. */
int tls_ensure(const char *home_dir, struct mv_err *err);

/* Load (making them first if needed) the key, certificate and pin. */
int tls_load(const char *home_dir, struct tls_node *out, struct mv_err *err);
void tls_free(struct tls_node *n);

/* A parsed node address. */
struct tls_addr {
	char host[256];
	int port;
	char url[300];         /* "https://HOST:PORT" */
	char pin[TLS_PIN_MAX]; /* "sha256//BASE64" */
	char address[TLS_ADDR_MAX]; /* canonical full address */
};

/* Parse "https://HOST:PORT#sha256//BASE64" strictly (HOST a name, an IPv4
 * address or [IPv6]; PORT 1..65535; the pin 32 bytes in standard base64).
 * Errors say what is wrong. */
int tls_addr_parse(const char *s, struct tls_addr *out, struct mv_err *err);

/* Parse "HOST:PORT" (listen form) into host and port. */
int tls_hostport_parse(const char *s, char *host, size_t hostlen, int *port, struct mv_err *err);

/* The node address for host:port and pin into out. */
int tls_address(const char *host, int port, const char *pin, char *out, size_t outlen,
		struct mv_err *err);

#endif
