/* server.h - the node's HTTPS server (libmicrohttpd + GnuTLS).
 *
 * Endpoints (docs/protocol.md, "HTTP sync", documents every byte):
 *   GET  /v1/info          JSON: protocol, network, node key, heads, state root
 *   POST /v1/ops/since     MVV1 vector -> "MVP1" | more u8 | MVB1 page <= 4 MiB
 *   POST /v1/ops           MVB1 bundle -> JSON counts (refused whole on any bad op)
 *   GET  /v1/blobs/HASH    ciphertext; 404 when unknown or erased
 * Errors are JSON {"error": "..."} with a 4xx/5xx status.
 *
 * The server opens its own connection to the home's store and serialises
 * every store access with one mutex; TLS and HTTP run on a small pool of
 * threads. Limits (defaults in SERVER_DEFAULT_LIMITS) bound what any client
 * can make the node do. */
#ifndef MV_SERVER_H
#define MV_SERVER_H

#include "core/util.h"

#define SERVER_PROTOCOL 1
#define SERVER_PAGE_MAX ((size_t)4 << 20) /* bytes of one /v1/ops/since answer */

struct server_limits {
	size_t max_body;          /* bytes of a request body (413 beyond) */
	unsigned max_conn;        /* concurrent connections in all */
	unsigned max_conn_ip;     /* concurrent connections per client address */
	unsigned rate;            /* requests per second per client address (429 beyond) */
	unsigned burst;           /* requests a client may make at once */
	unsigned idle_timeout;    /* seconds a connection may stay silent */
	unsigned request_timeout; /* seconds to upload one request body (408 beyond) */
	unsigned threads;         /* threads serving connections */
};

#define SERVER_DEFAULT_LIMITS {(size_t)5 << 20, 64, 16, 50, 100, 10, 60, 2}

/* "body=BYTES,conn=N,per_ip=N,rate=N,burst=N,idle=SECONDS,request=SECONDS,
 * threads=N" (any subset, any order) over the values already in lim. */
int server_limits_parse(const char *spec, struct server_limits *lim, struct mv_err *err);

/* One line per request ("IP METHOD PATH STATUS summary TIMEms"); called from
 * server threads, one call at a time. */
typedef void (*server_log_fn)(void *ud, const char *line);

struct server;

/* Start serving home_dir's store on host:port (numeric IPv4/IPv6 or
 * "localhost"). The home needs a network. */
int server_start(struct server **out, const char *home_dir, const char *host, int port,
		 const struct server_limits *lim, server_log_fn log, void *ud, struct mv_err *err);
/* Stop accepting, finish or cut open connections, close the store. */
void server_stop(struct server *s);

/* The node address ("https://HOST:PORT#sha256//...") it serves as. */
const char *server_address(const struct server *s);

#endif
