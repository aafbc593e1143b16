/* client.h - HTTPS requests to one peer (libcurl).
 *
 * Trust is the pin, not a certificate authority: CURLOPT_PINNEDPUBLICKEY is
 * set to the peer address's "sha256//BASE64" and the usual chain and host
 * checks are off (certificates are self-signed). A peer presenting another
 * key fails with "peer key changed" and is never retried. Transport errors
 * and 429/502/503/504 answers are retried a bounded number of times with
 * doubling backoff. One client keeps its connection alive across requests.
 *
 * The cancel flag is read by the transfer's own thread (curl's progress
 * callback, the backoff sleep) while another thread or a signal handler
 * raises it, hence a C11 atomic: a lock-free atomic_int is also safe to
 * store from a signal handler. */
#ifndef MV_CLIENT_H
#define MV_CLIENT_H

#include <stdatomic.h>

#include "core/util.h"
#include "net/tls.h"

struct client_opts {
	long connect_timeout_ms; /* default 5000 */
	long timeout_ms;         /* whole request, default 120000 */
	int retries;             /* extra attempts, default 3 */
	long backoff_ms;         /* first wait, doubled each retry; default 250 */
	size_t max_response;     /* default 8 MiB */
	atomic_int *cancel;      /* non-zero stops a transfer ("interrupted"); may be NULL */
};

#define CLIENT_DEFAULT_OPTS {5000, 120000, 3, 250, (size_t)8 << 20, NULL}

struct client;

int client_open(struct client **out, const struct tls_addr *peer, const struct client_opts *o,
		struct mv_err *err);
void client_close(struct client *c);

/* GET path / POST data to path. body (initialised here) gets the response.
 * MV_OK for 2xx; MV_ENOTFOUND for 404; otherwise an error whose message
 * names the peer and carries the server's {"error": ...} text. *status is
 * the HTTP status (0 when no answer came). */
int client_get(struct client *c, const char *path, struct mv_buf *body, long *status,
	       struct mv_err *err);
int client_post(struct client *c, const char *path, const void *data, size_t len,
		struct mv_buf *body, long *status, struct mv_err *err);

/* Bytes sent and received so far (HTTP headers and bodies). */
uint64_t client_bytes(const struct client *c);

#endif
