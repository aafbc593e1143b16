/* fuzz_netparse.c - libFuzzer target for the small text parsers of the
 * network layer, which read what users and peers type or send:
 *   0  tls_addr_parse     node addresses "https://HOST:PORT#sha256//PIN"
 *   1  tls_hostport_parse `serve --listen HOST:PORT`
 *   2  server_limits_parse `serve --limits NAME=N,...`
 *   3  the blob path of GET /v1/blobs/HASH (64 hex digits, mv_unhex)
 * The first byte picks the parser, the rest (to the first NUL) is the text.
 * An accepted address must be canonical (re-parsing its canonical form gives
 * the same fields) and fit its buffers; a refusal must say why. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/server.h"
#include "net/tls.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void fuzz_addr(const char *s)
{
	struct tls_addr a, b;
	struct mv_err err;
	mv_err_clear(&err);
	if (tls_addr_parse(s, &a, &err) != MV_OK) {
		CHECK(err.msg[0]);
		return;
	}
	CHECK(a.port >= 1 && a.port <= 65535);
	CHECK(strlen(a.pin) < sizeof a.pin && strncmp(a.pin, "sha256//", 8) == 0);
	CHECK(tls_addr_parse(a.address, &b, &err) == MV_OK);
	CHECK(strcmp(a.address, b.address) == 0 && strcmp(a.host, b.host) == 0 && a.port == b.port);
	CHECK(strcmp(a.url, b.url) == 0 && strcmp(a.pin, b.pin) == 0);
	char again[TLS_ADDR_MAX];
	CHECK(tls_address(a.host, a.port, a.pin, again, sizeof again, &err) == MV_OK);
	CHECK(strcmp(again, a.address) == 0);
}

static void fuzz_hostport(const char *s)
{
	char host[256];
	int port = -1;
	struct mv_err err;
	mv_err_clear(&err);
	if (tls_hostport_parse(s, host, sizeof host, &port, &err) != MV_OK) {
		CHECK(err.msg[0]);
		return;
	}
	CHECK(port >= 0 && port <= 65535 && strlen(host) < sizeof host);
}

static void fuzz_limits(const char *s)
{
	struct server_limits lim = SERVER_DEFAULT_LIMITS;
	struct mv_err err;
	mv_err_clear(&err);
	if (server_limits_parse(s, &lim, &err) != MV_OK)
		CHECK(err.msg[0]);
}

static void fuzz_blob_path(const char *s)
{
	uint8_t hash[32];
	char back[65];
	if (strlen(s) != 64 || mv_unhex(hash, 32, s) != MV_OK)
		return;
	mv_hex(back, hash, 32);
	CHECK(strcasecmp(back, s) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 1024)
		return 0;
	char *s = malloc(size);
	CHECK(s);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0: fuzz_addr(s); break;
	case 1: fuzz_hostport(s); break;
	case 2: fuzz_limits(s); break;
	default: fuzz_blob_path(s); break;
	}
	free(s);
	return 0;
}
