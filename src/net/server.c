/* server.c - the node's HTTPS endpoints on libmicrohttpd (see server.h).
 *
 * Guarantees: every request body is bounded (413), every client address is
 * rate limited (429) and connection limited, silent connections are dropped
 * after the idle timeout and slow uploads after the request timeout; a
 * pushed bundle goes through home_import, so it is refused whole on any bad
 * op and nothing of it is stored. Store access is serialised by s->lock; the
 * rest (TLS, parsing, building JSON) runs in parallel on the pool. The
 * watchdog thread sleeps on a condition variable, so server_stop wakes it at
 * once and the stop request is read under its mutex (no data race). */
#include "net/server.h"
#include "net/tls.h"
#include "core/blob.h"
#include "core/bundle_blobs.h"
#include "core/heads.h"
#include "core/home.h"
#include "core/query.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RATE_SLOTS 256
#define ROOT_KEY_N 5
#define PAGE_HEADER 5 /* "MVP1" | more */

struct rate_slot {
	char ip[INET6_ADDRSTRLEN];
	int64_t millitokens;
	int64_t last_ms;
};

/* A TCP connection, watched so that none holds a slot longer than the
 * request timeout without completing a request (slow clients). */
struct conn_track {
	struct conn_track *prev, *next;
	int fd;
	int64_t since_ms; /* connection start or last completed request */
	bool cut;
};

struct server {
	struct MHD_Daemon *d;
	pthread_mutex_t conn_lock;
	struct conn_track *conns;
	pthread_t watchdog;
	bool watching;            /* the watchdog thread exists (owner thread only) */
	pthread_mutex_t wd_lock;  /* guards stopping */
	pthread_cond_t wd_wake;   /* signalled by server_stop */
	bool stopping;            /* under wd_lock */
	int fd;
	struct home *h;
	pthread_mutex_t lock; /* the store */
	pthread_mutex_t rate_lock;
	pthread_mutex_t log_lock;
	struct rate_slot rates[RATE_SLOTS];
	struct tls_node tls;
	struct server_limits lim;
	server_log_fn log;
	void *ud;
	char address[TLS_ADDR_MAX];
	/* state root cache, valid while the log it derives from is the same */
	bool root_ok;
	int64_t root_key[ROOT_KEY_N];
	uint8_t root[32];
};

struct req {
	char method[8];
	char path[160];
	char ip[INET6_ADDRSTRLEN];
	int64_t start_ms;
	struct mv_buf body;
	bool too_big, answered;
	unsigned status;
	char summary[300];
};

/* A response being built by a route. */
struct reply {
	unsigned status;
	const char *type;
	struct mv_buf body;
};

/* ---- limits ---------------------------------------------------------- */

static int limit_set(struct server_limits *lim, const char *key, unsigned long long v)
{
	if (!strcmp(key, "body"))
		lim->max_body = (size_t)v;
	else if (!strcmp(key, "conn"))
		lim->max_conn = (unsigned)v;
	else if (!strcmp(key, "per_ip"))
		lim->max_conn_ip = (unsigned)v;
	else if (!strcmp(key, "rate"))
		lim->rate = (unsigned)v;
	else if (!strcmp(key, "burst"))
		lim->burst = (unsigned)v;
	else if (!strcmp(key, "idle"))
		lim->idle_timeout = (unsigned)v;
	else if (!strcmp(key, "request"))
		lim->request_timeout = (unsigned)v;
	else if (!strcmp(key, "threads"))
		lim->threads = (unsigned)v;
	else
		return MV_EINVAL;
	return MV_OK;
}

int server_limits_parse(const char *spec, struct server_limits *lim, struct mv_err *err)
{
	char buf[512], *save = NULL;
	if (strlen(spec) >= sizeof buf)
		return mv_fail(err, MV_EINVAL, "limits too long");
	strcpy(buf, spec);
	for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '='), *end;
		if (!eq)
			return mv_fail(err, MV_EINVAL, "limit '%s': expected NAME=NUMBER", kv);
		*eq = '\0';
		errno = 0;
		unsigned long long v = strtoull(eq + 1, &end, 10);
		if (errno || *end || end == eq + 1 || v == 0 || v > 1ull << 32)
			return mv_fail(err, MV_EINVAL, "limit %s: '%s' is not a number in 1..2^32", kv,
				       eq + 1);
		if (limit_set(lim, kv, v) != MV_OK)
			return mv_fail(err, MV_EINVAL, "unknown limit '%s' (body, conn, per_ip, rate, "
						       "burst, idle, request, threads)", kv);
	}
	return MV_OK;
}

/* Token bucket per client address; true if the request may go on. */
static bool rate_ok(struct server *s, const char *ip)
{
	uint32_t hsh = 2166136261u;
	for (const char *p = ip; *p; p++)
		hsh = (hsh ^ (uint8_t)*p) * 16777619u;
	int64_t now = mv_now_ms(), cap = (int64_t)s->lim.burst * 1000;
	pthread_mutex_lock(&s->rate_lock);
	struct rate_slot *r = &s->rates[hsh % RATE_SLOTS];
	if (strcmp(r->ip, ip) != 0) { /* a new address takes the slot, full */
		snprintf(r->ip, sizeof r->ip, "%s", ip);
		r->millitokens = cap;
		r->last_ms = now;
	}
	r->millitokens += (now - r->last_ms) * (int64_t)s->lim.rate;
	if (r->millitokens > cap)
		r->millitokens = cap;
	r->last_ms = now;
	bool ok = r->millitokens >= 1000;
	if (ok)
		r->millitokens -= 1000;
	pthread_mutex_unlock(&s->rate_lock);
	return ok;
}

/* ---- replies --------------------------------------------------------- */

static void reply_json(struct reply *out, unsigned status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	memset(&out->body, 0, sizeof out->body);
	out->status = text ? status : 500;
	out->type = "application/json";
	if (!text || mv_buf_append(&out->body, text, strlen(text)))
		out->status = 500;
	free(text);
}

static void reply_error(struct reply *out, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void reply_error(struct reply *out, unsigned status, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	reply_json(out, status, json_pack("{s:s}", "error", msg));
}

/* Queue out on conn (takes its body) and note it for the log line. */
static enum MHD_Result reply_send(struct MHD_Connection *conn, struct req *r, struct reply *out)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		out->body.len, out->body.data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		mv_buf_free(&out->body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, out->type);
	if (out->status >= 400)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	if (out->status >= 400 && !r->summary[0] && out->body.len)
		snprintf(r->summary, sizeof r->summary, "%.*s", (int)(out->body.len < 200 ? out->body.len : 200),
			 (const char *)out->body.data);
	r->status = out->status;
	r->answered = true;
	enum MHD_Result rc = MHD_queue_response(conn, out->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* ---- routes ---------------------------------------------------------- */

/* Store access: one request at a time, and no statement left active
 * between requests (it would pin a stale snapshot of the store). */
static void srv_lock(struct server *s)
{
	pthread_mutex_lock(&s->lock);
	store_idle(s->h->st);
}

static void srv_unlock(struct server *s)
{
	store_idle(s->h->st);
	pthread_mutex_unlock(&s->lock);
}

/* What the contract state derives from, in a few index probes: the log
 * (rows are never deleted, so a new op raises the last rowid; ops stored
 * but not yet applied count apart), the finalized epochs (closing one
 * reorders ops) and the equivocation flags. Local bookkeeping (peers,
 * their heads, blobs, meta) is not in it: the node's own gossip writes
 * those every round, and keying the cache on any write (PRAGMA
 * data_version) made every /v1/info hash the whole state again (1.2 s at
 * 100 000 ops). */
static int srv_root_key(struct server *s, int64_t key[ROOT_KEY_N], struct mv_err *err)
{
	static const char sql[] =
		"SELECT (SELECT max(rowid) FROM log_ops),"
		" (SELECT count(*) FROM log_ops WHERE applied = 0),"
		" (SELECT count(*) FROM log_epochs),"
		" (SELECT count(*) FROM log_equivocation),"
		" (SELECT total(seq) FROM log_equivocation)";
	sqlite3_stmt *st = store_prep(s->h->st, sql, err);
	if (!st)
		return MV_ERR;
	int rc = sqlite3_step(st) == SQLITE_ROW ? MV_OK : store_sqlerr(s->h->st, err, "state key");
	for (int i = 0; rc == MV_OK && i < ROOT_KEY_N; i++)
		key[i] = sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	return rc;
}

/* State root, recomputed only when its key changed. The key is read
 * first: a root newer than its key is recomputed next time, never kept. */
static int srv_root(struct server *s, uint8_t root[32], struct mv_err *err)
{
	int64_t key[ROOT_KEY_N];
	if (srv_root_key(s, key, err) != MV_OK)
		return MV_ERR;
	if (!s->root_ok || memcmp(key, s->root_key, sizeof key) != 0) {
		if (home_state_root(s->h, s->root, err) != MV_OK)
			return MV_ERR;
		s->root_ok = true;
		memcpy(s->root_key, key, sizeof key);
	}
	memcpy(root, s->root, 32);
	return MV_OK;
}

static json_t *heads_json(const struct heads *hd)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < hd->n; i++) {
		char hex[65];
		mv_hex(hex, hd->v[i].author, 32);
		json_object_set_new(o, hex, json_integer((json_int_t)hd->v[i].seq));
	}
	return o;
}

static int info_epoch_cb(void *ud, const struct q_epoch *r)
{
	json_t **out = ud;
	char hex[65];
	mv_hex(hex, r->root, 32);
	*out = json_pack("{s:I, s:I, s:s, s:I}", "epoch", (json_int_t)r->epoch, "time",
			 (json_int_t)r->time, "state_root", hex, "ops", (json_int_t)r->ops);
	return 1; /* the newest only */
}

/* The last epoch this node finalized, or NULL if none. */
static json_t *info_final(struct store *st)
{
	json_t *out = NULL;
	query_epochs(st, info_epoch_cb, &out, NULL);
	return out;
}

static void route_info(struct server *s, struct req *r, const char *path, struct reply *out)
{
	struct heads hd;
	struct mv_err err;
	uint8_t root[32];
	char net[65], rootx[65];
	srv_lock(s);
	int rc = heads_local(s->h->st, &hd, &err);
	if (rc == MV_OK && (rc = srv_root(s, root, &err)) != MV_OK)
		heads_free(&hd);
	size_t ops = rc == MV_OK ? query_log_count(s->h->st) : 0;
	json_t *final = rc == MV_OK ? info_final(s->h->st) : NULL;
	srv_unlock(s);
	if (rc != MV_OK)
		return reply_error(out, 500, "%s", err.msg);
	mv_hex(net, s->h->network, 32);
	mv_hex(rootx, root, 32);
	json_t *j = json_pack("{s:i, s:s, s:s, s:s, s:o, s:I, s:o, s:s}", "protocol", SERVER_PROTOCOL,
			      "network", net, "network_name", s->h->network_name, "node_key",
			      s->tls.pin, "heads", heads_json(&hd), "ops", (json_int_t)ops,
			      "last_final_checkpoint", final ? final : json_null(), "state_root", rootx);
	snprintf(r->summary, sizeof r->summary, "%zu authors, %zu ops", hd.n, ops);
	heads_free(&hd);
	reply_json(out, 200, j);
}

static void route_since(struct server *s, struct req *r, const char *path, struct reply *out)
{
	struct heads theirs;
	struct mv_err err;
	struct mv_buf page;
	size_t count = 0;
	bool more = false;
	if (heads_decode(r->body.data, r->body.len, &theirs, &err) != MV_OK)
		return reply_error(out, 400, "%s", err.msg);
	srv_lock(s);
	int rc = heads_page(s->h->st, &theirs, SERVER_PAGE_MAX - PAGE_HEADER, &page, &count, &more, &err);
	srv_unlock(s);
	heads_free(&theirs);
	if (rc != MV_OK)
		return reply_error(out, 500, "%s", err.msg);
	memset(&out->body, 0, sizeof out->body);
	if (mv_buf_append(&out->body, "MVP1", 4) || mv_buf_byte(&out->body, more ? 1 : 0) ||
	    mv_buf_append(&out->body, page.data, page.len)) {
		mv_buf_free(&page);
		mv_buf_free(&out->body);
		return reply_error(out, 500, "out of memory");
	}
	mv_buf_free(&page);
	out->status = 200;
	out->type = "application/octet-stream";
	snprintf(r->summary, sizeof r->summary, "sent %zu ops%s", count, more ? ", more" : "");
}

static json_t *counts_json(const struct import_counts *c)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "new", (json_int_t)c->new_,
			 "duplicate", (json_int_t)c->duplicate, "pending", (json_int_t)c->pending,
			 "equivocation", (json_int_t)c->equivocation, "refused",
			 (json_int_t)c->refused, "applied", (json_int_t)c->applied, "rejected",
			 (json_int_t)c->rejected);
}

static void route_push(struct server *s, struct req *r, const char *path, struct reply *out)
{
	struct import_counts c;
	struct mv_err err;
	size_t ops_len, sec_len;
	const uint8_t *sec;
	if (bundle_blobs_split(r->body.data, r->body.len, &ops_len, &sec, &sec_len, &err) != MV_OK)
		return reply_error(out, 400, "%s", err.msg);
	if (sec)
		return reply_error(out, 400, "bundle refused: blob sections are not taken over HTTP "
					     "(blobs travel by GET /v1/blobs/HASH)");
	mv_err_clear(&err);
	srv_lock(s);
	int rc = home_import(s->h, r->body.data, r->body.len, &c, NULL, NULL, &err);
	srv_unlock(s);
	if (rc != MV_OK)
		return reply_error(out, rc == MV_EINVAL ? 400 : 503, "%s", err.msg);
	snprintf(r->summary, sizeof r->summary, "new %zu dup %zu pending %zu applied %zu rejected %zu",
		 c.new_, c.duplicate, c.pending, c.applied, c.rejected);
	reply_json(out, 200, counts_json(&c));
}

static void route_blob(struct server *s, struct req *r, const char *path, struct reply *out)
{
	uint8_t hash[32];
	struct mv_err err;
	const char *hex = path + strlen("/v1/blobs/");
	if (strlen(hex) != 64 || mv_unhex(hash, 32, hex) != MV_OK)
		return reply_error(out, 400, "blob hash must be 64 hex digits");
	srv_lock(s);
	int rc = blob_get(s->h->st, hash, &out->body, &err);
	srv_unlock(s);
	if (rc == MV_ENOTFOUND)
		return reply_error(out, 404, "blob not found");
	if (rc == MV_EINVAL)
		return reply_error(out, 404, "blob erased");
	if (rc != MV_OK)
		return reply_error(out, 500, "%s", err.msg);
	out->status = 200;
	out->type = "application/octet-stream";
	snprintf(r->summary, sizeof r->summary, "%zu bytes", out->body.len);
}

struct route {
	const char *method;
	const char *path;
	bool prefix; /* path is a prefix (blob hashes follow) */
	void (*run)(struct server *s, struct req *r, const char *path, struct reply *out);
};

static const struct route routes[] = {
	{"GET", "/v1/info", false, route_info},
	{"POST", "/v1/ops/since", false, route_since},
	{"POST", "/v1/ops", false, route_push},
	{"GET", "/v1/blobs/", true, route_blob},
	{NULL, NULL, false, NULL},
};

static const struct route *route_find(const char *path, bool *path_known, const char *method)
{
	*path_known = false;
	for (const struct route *rt = routes; rt->path; rt++) {
		bool match = rt->prefix ? strncmp(path, rt->path, strlen(rt->path)) == 0
					: strcmp(path, rt->path) == 0;
		if (!match)
			continue;
		*path_known = true;
		if (strcmp(method, rt->method) == 0)
			return rt;
	}
	return NULL;
}

/* ---- slow connections ------------------------------------------------- */

static void srv_notify_conn(void *cls, struct MHD_Connection *conn, void **socket_context,
			    enum MHD_ConnectionNotificationCode toe)
{
	struct server *s = cls;
	struct conn_track *t = *socket_context;
	pthread_mutex_lock(&s->conn_lock);
	if (toe == MHD_CONNECTION_NOTIFY_STARTED && (t = calloc(1, sizeof *t))) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		t->fd = ci ? (int)ci->connect_fd : -1;
		t->since_ms = mv_now_ms();
		t->next = s->conns;
		if (s->conns)
			s->conns->prev = t;
		s->conns = t;
		*socket_context = t;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && t) {
		if (t->prev)
			t->prev->next = t->next;
		else
			s->conns = t->next;
		if (t->next)
			t->next->prev = t->prev;
		free(t);
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&s->conn_lock);
}

/* A request completed: the connection's clock starts again. */
static void srv_conn_touch(struct server *s, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	pthread_mutex_lock(&s->conn_lock);
	if (ci && ci->socket_context)
		((struct conn_track *)ci->socket_context)->since_ms = mv_now_ms();
	pthread_mutex_unlock(&s->conn_lock);
}

/* Shut down (MHD then closes) connections over the request timeout. The
 * fd is still open: MHD reports a connection closed before closing it. */
static size_t srv_cut_slow(struct server *s)
{
	int64_t limit = mv_now_ms() - (int64_t)s->lim.request_timeout * 1000;
	size_t cut = 0;
	pthread_mutex_lock(&s->conn_lock);
	for (struct conn_track *t = s->conns; t; t = t->next)
		if (!t->cut && t->fd >= 0 && t->since_ms < limit) {
			shutdown(t->fd, SHUT_RDWR);
			t->cut = true;
			cut++;
		}
	pthread_mutex_unlock(&s->conn_lock);
	return cut;
}

static void srv_log(struct server *s, const char *line);

/* Wait up to ms for server_stop; true if it came. */
static bool srv_watchdog_wait(struct server *s, long ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += ms * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&s->wd_lock);
	while (!s->stopping && pthread_cond_timedwait(&s->wd_wake, &s->wd_lock, &until) == 0)
		; /* woken without a stop (spurious): wait on until the deadline */
	bool stop = s->stopping;
	pthread_mutex_unlock(&s->wd_lock);
	return stop;
}

static void *srv_watchdog(void *arg)
{
	struct server *s = arg;
	/* a tenth of the request timeout: cuts land within 10% of it, and a
	 * quiet node wakes rarely; server_stop wakes it at once anyway */
	long period = (long)s->lim.request_timeout * 100L;
	period = period < 200 ? 200 : period > 60000 ? 60000 : period;
	while (!srv_watchdog_wait(s, period)) {
		size_t n = srv_cut_slow(s);
		if (n) {
			char line[160];
			snprintf(line, sizeof line, "cut off %zu connection%s: no complete request within %u s",
				 n, n == 1 ? "" : "s", s->lim.request_timeout);
			srv_log(s, line);
		}
	}
	return NULL;
}

/* ---- the MHD handler ------------------------------------------------- */

static void req_ip(struct MHD_Connection *conn, char *out, size_t outlen)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, outlen, "?");
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
			  out, (socklen_t)outlen);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, out,
			  (socklen_t)outlen);
}

/* First call for a request: set it up; refuse at once what we can. */
static enum MHD_Result srv_begin(struct server *s, struct MHD_Connection *conn, const char *url,
				 const char *method, void **con_cls)
{
	struct req *r = calloc(1, sizeof *r);
	struct reply out;
	if (!r)
		return MHD_NO;
	*con_cls = r;
	r->start_ms = mv_now_ms();
	snprintf(r->method, sizeof r->method, "%s", method);
	snprintf(r->path, sizeof r->path, "%s", url);
	req_ip(conn, r->ip, sizeof r->ip);
	if (!rate_ok(s, r->ip)) {
		reply_error(&out, 429, "rate limit: more than %u requests per second from %s",
			    s->lim.rate, r->ip);
		return reply_send(conn, r, &out);
	}
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > s->lim.max_body) {
		reply_error(&out, 413, "request body too large (limit %zu bytes)", s->lim.max_body);
		return reply_send(conn, r, &out);
	}
	return MHD_YES;
}

/* A piece of the body: keep it, within the size and time limits. */
static enum MHD_Result srv_upload(struct server *s, struct req *r, const char *data, size_t *size)
{
	if (mv_now_ms() - r->start_ms > (int64_t)s->lim.request_timeout * 1000) {
		snprintf(r->summary, sizeof r->summary, "cut off: upload took over %u s",
			 s->lim.request_timeout);
		return MHD_NO; /* closes the connection */
	}
	if (!r->too_big && r->body.len + *size > s->lim.max_body)
		r->too_big = true;
	if (!r->too_big && mv_buf_append(&r->body, data, *size))
		return MHD_NO;
	*size = 0;
	return MHD_YES;
}

static enum MHD_Result srv_dispatch(struct server *s, struct MHD_Connection *conn, struct req *r)
{
	struct reply out;
	bool known;
	if (r->too_big) {
		reply_error(&out, 413, "request body too large (limit %zu bytes)", s->lim.max_body);
		return reply_send(conn, r, &out);
	}
	const struct route *rt = route_find(r->path, &known, r->method);
	if (!rt && known)
		reply_error(&out, 405, "method %s not allowed on %s", r->method, r->path);
	else if (!rt)
		reply_error(&out, 404, "no such endpoint %s", r->path);
	else
		rt->run(s, r, r->path, &out);
	return reply_send(conn, r, &out);
}

static enum MHD_Result srv_handler(void *cls, struct MHD_Connection *conn, const char *url,
				   const char *method, const char *version, const char *upload,
				   size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct req *r = *con_cls;
	if (!r)
		return srv_begin(s, conn, url, method, con_cls);
	if (r->answered) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size)
		return srv_upload(s, r, upload, upload_size);
	return srv_dispatch(s, conn, r);
}

static void srv_log(struct server *s, const char *line)
{
	if (!s->log)
		return;
	pthread_mutex_lock(&s->log_lock);
	s->log(s->ud, line);
	pthread_mutex_unlock(&s->log_lock);
}

static void srv_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			  enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct req *r = *con_cls;
	char line[600];
	srv_conn_touch(s, conn);
	if (!r)
		return;
	static const char *const why[] = {"", "error", "timed out", "shut down", "read error",
					  "client gone"};
	const char *end = toe < sizeof why / sizeof why[0] ? why[toe] : "?";
	snprintf(line, sizeof line, "%s %s %s %u %s%s%s %" PRId64 "ms", r->ip, r->method, r->path,
		 r->status, r->summary, *end && r->summary[0] ? "; " : "", end,
		 mv_now_ms() - r->start_ms);
	srv_log(s, line);
	mv_buf_free(&r->body);
	free(r);
	*con_cls = NULL;
}

static void srv_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[400], line[420];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	snprintf(line, sizeof line, "mhd: %s", msg);
	srv_log(cls, line);
}

/* ---- start / stop ---------------------------------------------------- */

/* A bound, listening socket for host:port (so errors can say why). */
static int srv_listen(const char *host, int port, bool *v6, struct mv_err *err)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	memset(&ss, 0, sizeof ss);
	const char *h = strcmp(host, "localhost") == 0 ? "127.0.0.1" : host;
	char bare[64];
	snprintf(bare, sizeof bare, "%s", h[0] == '[' ? h + 1 : h);
	char *rb = strchr(bare, ']');
	if (rb)
		*rb = '\0';
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, bare, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		sl = sizeof *a4;
		*v6 = false;
	} else if (inet_pton(AF_INET6, bare, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		sl = sizeof *a6;
		*v6 = true;
	} else {
		return mv_fail(err, MV_EINVAL, "listen address '%s' must be a numeric IP or localhost",
			       host);
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	if (fd < 0)
		return mv_fail(err, MV_ERR, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 64) != 0) {
		int e = errno;
		close(fd);
		return mv_fail(err, MV_ERR, "cannot listen on %s:%d: %s", host, port, strerror(e));
	}
	return fd;
}

static int srv_daemon(struct server *s, bool v6, struct mv_err *err)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_TLS |
			 MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
		return mv_fail(err, MV_ERR, "this libmicrohttpd has no TLS support");
	s->d = MHD_start_daemon(
		flags, 0, NULL, NULL, srv_handler, s, MHD_OPTION_EXTERNAL_LOGGER, srv_mhd_log, s,
		MHD_OPTION_LISTEN_SOCKET, s->fd,
		MHD_OPTION_HTTPS_MEM_KEY, s->tls.key_pem, MHD_OPTION_HTTPS_MEM_CERT, s->tls.cert_pem,
		MHD_OPTION_CONNECTION_LIMIT, s->lim.max_conn, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		s->lim.max_conn_ip, MHD_OPTION_CONNECTION_TIMEOUT, s->lim.idle_timeout,
		MHD_OPTION_THREAD_POOL_SIZE, s->lim.threads, MHD_OPTION_NOTIFY_COMPLETED,
		srv_completed, s, MHD_OPTION_NOTIFY_CONNECTION, srv_notify_conn, s, MHD_OPTION_END);
	if (!s->d)
		return mv_fail(err, MV_ERR, "libmicrohttpd failed to start (see the log above)");
	s->fd = -1; /* the daemon owns it now */
	s->watching = pthread_create(&s->watchdog, NULL, srv_watchdog, s) == 0;
	return MV_OK;
}

static void srv_free(struct server *s)
{
	if (s->fd >= 0)
		close(s->fd);
	home_close(s->h);
	tls_free(&s->tls);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->rate_lock);
	pthread_mutex_destroy(&s->log_lock);
	pthread_mutex_destroy(&s->conn_lock);
	pthread_mutex_destroy(&s->wd_lock);
	pthread_cond_destroy(&s->wd_wake);
	free(s);
}

int server_start(struct server **out, const char *home_dir, const char *host, int port,
		 const struct server_limits *lim, server_log_fn log, void *ud, struct mv_err *err)
{
	static const struct server_limits def = SERVER_DEFAULT_LIMITS;
	bool v6 = false;
	struct server *s = calloc(1, sizeof *s);
	if (!s)
		return mv_fail(err, MV_ERR, "out of memory");
	s->fd = -1;
	s->lim = lim ? *lim : def;
	s->log = log;
	s->ud = ud;
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->rate_lock, NULL);
	pthread_mutex_init(&s->log_lock, NULL);
	pthread_mutex_init(&s->conn_lock, NULL);
	pthread_mutex_init(&s->wd_lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* wall clock jumps do not matter */
	pthread_cond_init(&s->wd_wake, &ca);
	pthread_condattr_destroy(&ca);
	int rc = home_open(&s->h, home_dir, false, err);
	if (rc == MV_OK && !s->h->has_network)
		rc = mv_fail(err, MV_EINVAL, "no network in %s: nothing to serve", home_dir);
	if (rc == MV_OK)
		rc = tls_load(home_dir, &s->tls, err);
	if (rc == MV_OK)
		rc = tls_address(host, port, s->tls.pin, s->address, sizeof s->address, err);
	if (rc == MV_OK && (s->fd = srv_listen(host, port, &v6, err)) < 0)
		rc = MV_ERR;
	if (rc == MV_OK)
		rc = srv_daemon(s, v6, err);
	if (rc != MV_OK) {
		srv_free(s);
		return rc;
	}
	*out = s;
	return MV_OK;
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->wd_lock);
	s->stopping = true;
	pthread_cond_signal(&s->wd_wake);
	pthread_mutex_unlock(&s->wd_lock);
	if (s->watching) /* before anything it uses is freed */
		pthread_join(s->watchdog, NULL);
	if (s->d)
		MHD_stop_daemon(s->d);
	srv_free(s);
}

const char *server_address(const struct server *s)
{
	return s->address;
}
