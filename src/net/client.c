/* client.c - HTTPS requests to one pinned peer with libcurl (see client.h).
 *
 * Guarantees: no request ever completes against a key other than the pinned
 * one; responses are bounded in size and time; retries are bounded (at most
 * 1 + retries attempts, waits backoff, 2*backoff, ...) and stop at once when
 * the caller's cancel flag is raised. */
#include "net/client.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef MV_VERSION
#define MV_VERSION "0.0.0-dev"
#endif

struct client {
	CURL *curl;
	struct curl_slist *headers;
	struct tls_addr peer;
	struct client_opts o;
	struct mv_buf *body; /* of the transfer in progress */
	bool too_big;
	uint64_t bytes;
};

static pthread_once_t client_once = PTHREAD_ONCE_INIT;
static CURLcode client_global_rc;

static void client_global(void)
{
	client_global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t client_write(char *p, size_t size, size_t n, void *ud)
{
	struct client *c = ud;
	size_t len = size * n;
	if (c->body->len + len > c->o.max_response) {
		c->too_big = true;
		return 0;
	}
	return mv_buf_append(c->body, p, len) ? 0 : len;
}

/* The caller raised its cancel flag (from any thread or a signal handler). */
static bool client_cancelled(const struct client *c)
{
	return c->o.cancel && atomic_load(c->o.cancel) != 0;
}

static int client_xfer(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	return client_cancelled(ud) ? 1 : 0;
}

static void client_defaults(struct client_opts *o, const struct client_opts *given)
{
	static const struct client_opts def = CLIENT_DEFAULT_OPTS;
	*o = given ? *given : def;
	if (o->connect_timeout_ms <= 0)
		o->connect_timeout_ms = def.connect_timeout_ms;
	if (o->timeout_ms <= 0)
		o->timeout_ms = def.timeout_ms;
	if (o->retries < 0)
		o->retries = 0;
	if (o->backoff_ms <= 0)
		o->backoff_ms = def.backoff_ms;
	if (o->max_response == 0)
		o->max_response = def.max_response;
}

static void client_setopts(struct client *c)
{
	CURL *h = c->curl;
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L); /* self-signed: the pin is the trust */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, c->peer.pin);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->o.connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->o.timeout_ms);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, client_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, client_xfer);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, c);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, c->headers);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "mentalverse/" MV_VERSION);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
}

int client_open(struct client **out, const struct tls_addr *peer, const struct client_opts *o,
		struct mv_err *err)
{
	pthread_once(&client_once, client_global);
	if (client_global_rc != CURLE_OK)
		return mv_fail(err, MV_ERR, "libcurl failed to initialise: %s",
			       curl_easy_strerror(client_global_rc));
	struct client *c = calloc(1, sizeof *c);
	if (!c)
		return mv_fail(err, MV_ERR, "out of memory");
	c->peer = *peer;
	client_defaults(&c->o, o);
	c->curl = curl_easy_init();
	struct curl_slist *h = curl_slist_append(NULL, "Expect:");
	c->headers = h ? curl_slist_append(h, "Content-Type: application/octet-stream") : NULL;
	if (!c->curl || !c->headers) {
		if (!c->headers)
			curl_slist_free_all(h);
		client_close(c);
		return mv_fail(err, MV_ERR, "out of memory");
	}
	client_setopts(c);
	*out = c;
	return MV_OK;
}

void client_close(struct client *c)
{
	if (!c)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	curl_slist_free_all(c->headers);
	free(c);
}

uint64_t client_bytes(const struct client *c)
{
	return c->bytes;
}

static void client_count(struct client *c)
{
	curl_off_t up = 0, down = 0;
	long hdr = 0, req = 0;
	curl_easy_getinfo(c->curl, CURLINFO_SIZE_UPLOAD_T, &up);
	curl_easy_getinfo(c->curl, CURLINFO_SIZE_DOWNLOAD_T, &down);
	curl_easy_getinfo(c->curl, CURLINFO_HEADER_SIZE, &hdr);
	curl_easy_getinfo(c->curl, CURLINFO_REQUEST_SIZE, &req);
	c->bytes += (uint64_t)(up + down) + (uint64_t)hdr + (uint64_t)req;
}

/* The server's {"error": "..."} text, or a short excerpt of the body. */
static void client_server_error(const struct mv_buf *b, char *out, size_t outlen)
{
	json_t *j = b->len ? json_loadb((const char *)b->data, b->len, 0, NULL) : NULL;
	const char *msg = j ? json_string_value(json_object_get(j, "error")) : NULL;
	if (msg)
		snprintf(out, outlen, "%s", msg);
	else
		snprintf(out, outlen, "%s", b->len ? "(no error message)" : "(empty answer)");
	json_decref(j);
}

static bool client_retryable(CURLcode cc, long status)
{
	if (cc == CURLE_OK)
		return status == 429 || status == 502 || status == 503 || status == 504;
	switch (cc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

static int client_result(struct client *c, CURLcode cc, long status, const struct mv_buf *body,
			 struct mv_err *err)
{
	char msg[300];
	if (cc == CURLE_SSL_PINNEDPUBKEYNOTMATCH)
		return mv_fail(err, MV_ECRYPTO,
			       "peer key changed: %s presents a different key than the one pinned in "
			       "its address; if its owner really changed it, remove the peer and add "
			       "its new address", c->peer.url);
	if (cc == CURLE_ABORTED_BY_CALLBACK)
		return mv_fail(err, MV_ERR, "%s: interrupted", c->peer.url);
	if (c->too_big)
		return mv_fail(err, MV_EINVAL, "%s: answer larger than %zu bytes, refused", c->peer.url,
			       c->o.max_response);
	if (cc != CURLE_OK)
		return mv_fail(err, MV_ERR, "%s: %s", c->peer.url, curl_easy_strerror(cc));
	if (status >= 200 && status < 300)
		return MV_OK;
	client_server_error(body, msg, sizeof msg);
	return mv_fail(err, status == 404 ? MV_ENOTFOUND : MV_EINVAL, "%s: HTTP %ld: %s",
		       c->peer.url, status, msg);
}

static void client_sleep(struct client *c, long ms)
{
	for (long left = ms; left > 0 && !client_cancelled(c); left -= 50) {
		struct timespec ts = {0, (left < 50 ? left : 50) * 1000000L};
		nanosleep(&ts, NULL);
	}
}

static int client_do(struct client *c, const char *path, const void *data, size_t len, bool post,
		     struct mv_buf *body, long *status, struct mv_err *err)
{
	char url[400];
	CURLcode cc = CURLE_OK;
	long wait = c->o.backoff_ms;
	snprintf(url, sizeof url, "%s%s", c->peer.url, path);
	memset(body, 0, sizeof *body);
	*status = 0;
	for (int attempt = 0;; attempt++) {
		body->len = 0;
		c->body = body;
		c->too_big = false;
		curl_easy_setopt(c->curl, CURLOPT_URL, url);
		if (post) {
			curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, data);
			curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		} else {
			curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
		}
		cc = curl_easy_perform(c->curl);
		*status = 0;
		if (cc == CURLE_OK)
			curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, status);
		client_count(c);
		if (attempt >= c->o.retries || c->too_big || client_cancelled(c) ||
		    !client_retryable(cc, *status))
			break;
		client_sleep(c, wait);
		wait *= 2;
	}
	int rc = client_result(c, cc, *status, body, err);
	if (rc != MV_OK)
		mv_buf_free(body);
	return rc;
}

int client_get(struct client *c, const char *path, struct mv_buf *body, long *status,
	       struct mv_err *err)
{
	return client_do(c, path, NULL, 0, false, body, status, err);
}

int client_post(struct client *c, const char *path, const void *data, size_t len,
		struct mv_buf *body, long *status, struct mv_err *err)
{
	return client_do(c, path, data, len, true, body, status, err);
}
