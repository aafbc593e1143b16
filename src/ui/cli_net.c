/* cli_net.c - the network commands: `address`, `serve`, `peer`, `sync` and
 * `init --join` (see cli_net.h). They act through net/ (server, sync, tls)
 * and core/peers.h; errors from below reach the user verbatim. */
#include "ui/cli_net.h"
#include "ui/cli_chain.h"

#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/peers.h"
#include "net/server.h"
#include "net/sync.h"
#include "net/tls.h"

#define NET_LISTEN_META "node.listen"
#define NET_LISTEN_DEFAULT "127.0.0.1:7420"
#define NET_INTERVAL_DEFAULT 10

const struct cli_opt cli_net_address_opts[] = {
	{"--listen", "HOST:PORT", "where the node listens (remembered for `serve`)"},
	{NULL, NULL, NULL},
};
const struct cli_opt cli_net_serve_opts[] = {
	{"--listen", "HOST:PORT", "address to listen on (default: the last one, else 127.0.0.1:7420)"},
	{"--interval", "SECONDS", "sync with every peer this often (default 10)"},
	{"--limits", "LIST", "server limits NAME=N,... (see above)"},
	{NULL, NULL, NULL},
};

/* ---- helpers shared by the commands ---------------------------------- */

static const char *net_opt(const struct cli *c, const char *name)
{
	for (int k = 0; c->cmd->opts && c->cmd->opts[k].name; k++)
		if (strcmp(c->cmd->opts[k].name, name) == 0)
			return c->optset[k] ? c->optval[k] : NULL;
	return NULL;
}

static int net_core(struct cli *c)
{
	return cli_report(c->o.json, c->err.msg);
}

static int net_fail(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int net_fail(struct cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err.msg, sizeof c->err.msg, fmt, ap);
	va_end(ap);
	return net_core(c);
}


/* Open the home; with_network also requires that it has a network. */
static int net_home(struct cli *c, bool create, bool with_network)
{
	if (cli_open_home(&c->o, create, &c->h, &c->err) != MV_OK)
		return net_core(c);
	store_idle(c->h->st); /* no snapshot pinned by reads made while opening */
	if (with_network && !c->h->has_network)
		return net_fail(c, "no network in %s: create one with `mentalverse init NETWORK` or "
			       "join one with `mentalverse init --join ADDRESS`", c->h->dir);
	return CLI_EXIT_OK;
}

/* The listen address: given, else remembered, else the default. */
static int net_listen(struct cli *c, const char *given, char *host, size_t hostlen, int *port)
{
	char saved[300];
	const char *l = given;
	if (!l)
		l = store_meta_get(c->h->st, NET_LISTEN_META, saved, sizeof saved, NULL) == MV_OK
			    ? saved : NET_LISTEN_DEFAULT;
	if (tls_hostport_parse(l, host, hostlen, port, &c->err) != MV_OK)
		return MV_EINVAL;
	if (given) {
		char norm[300];
		store_idle(c->h->st);
		snprintf(norm, sizeof norm, "%s:%d", host, *port);
		return store_meta_set(c->h->st, NET_LISTEN_META, norm, &c->err);
	}
	return MV_OK;
}

static void net_time(char out[32], int64_t ms)
{
	if (ms <= 0)
		snprintf(out, 32, "never");
	else
		mv_time_format_utc(out, 32, ms);
}

/* ---- address --------------------------------------------------------- */

int cli_net_address(struct cli *c, int argc, char **argv)
{
	struct tls_node tn;
	char host[256], addr[TLS_ADDR_MAX];
	int port;
	int rc = net_home(c, false, false);
	if (rc)
		return rc;
	if (net_listen(c, net_opt(c, "--listen"), host, sizeof host, &port) != MV_OK ||
	    tls_load(c->h->dir, &tn, &c->err) != MV_OK)
		return net_core(c);
	rc = tls_address(host, port, tn.pin, addr, sizeof addr, &c->err);
	tls_free(&tn);
	if (rc != MV_OK)
		return net_core(c);
	if (c->o.json)
		return cli_json_print(json_pack("{s:s, s:s, s:i}", "address", addr, "host", host, "port", port));
	printf("%s\n", addr);
	return CLI_EXIT_OK;
}

int cli_net_node_init(struct cli *c)
{
	return tls_ensure(c->h->dir, &c->err) == MV_OK ? CLI_EXIT_OK : net_core(c);
}

/* ---- progress and summaries ------------------------------------------ */

struct net_progress {
	const char *peer;
	bool tty;
	bool shown;
};

static void net_progress_cb(void *ud, const char *phase, uint64_t done, uint64_t total)
{
	struct net_progress *p = ud;
	if (!p->tty)
		return;
	if (total)
		fprintf(stderr, "\r%s: %s %" PRIu64 "/%" PRIu64 "\033[K", p->peer, phase, done, total);
	else
		fprintf(stderr, "\r%s: %s %" PRIu64 "\033[K", p->peer, phase, done);
	p->shown = true;
}

static void net_progress_end(struct net_progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
}

static void net_summary(char *out, size_t outlen, const struct sync_stats *s)
{
	snprintf(out, outlen,
		 "pulled %zu (new %zu, applied %zu, rejected %zu), pushed %zu (new there %zu), "
		 "blobs %zu, %" PRIu64 " bytes%s",
		 s->pulled, s->in.new_, s->in.applied, s->in.rejected, s->pushed, s->peer_new,
		 s->blobs, s->bytes, s->complete ? "" : ", more to do next round");
}

static json_t *net_stats_json(const char *peer, const struct sync_stats *s)
{
	return json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}",
			 "peer", peer, "ok", 1, "pulled", (json_int_t)s->pulled, "new",
			 (json_int_t)s->in.new_, "applied", (json_int_t)s->in.applied, "rejected",
			 (json_int_t)s->in.rejected, "pushed", (json_int_t)s->pushed, "peer_new",
			 (json_int_t)s->peer_new, "blobs", (json_int_t)s->blobs, "bytes",
			 (json_int_t)s->bytes, "behind", (json_int_t)s->behind, "ahead",
			 (json_int_t)s->ahead, "complete", s->complete);
}

/* ---- init --join ------------------------------------------------------ */

int cli_net_join(struct cli *c, const char *address)
{
	struct sync_stats s;
	struct net_progress p = {address, isatty(STDERR_FILENO) != 0, false};
	char line[400];
	int rc = net_home(c, true, false);
	if (rc)
		return rc;
	if (tls_ensure(c->h->dir, &c->err) != MV_OK)
		return net_core(c);
	rc = sync_join(c->h, address, NULL, net_progress_cb, &p, &s, &c->err);
	net_progress_end(&p);
	if (rc != MV_OK)
		return net_core(c);
	net_summary(line, sizeof line, &s);
	if (c->o.json)
		return cli_json_print(json_pack("{s:s, s:s, s:o}", "network", c->h->network_name, "peer",
					  address, "sync", net_stats_json(address, &s)));
	printf("joined network %s from %s: %s\n", c->h->network_name, address, line);
	return CLI_EXIT_OK;
}

/* ---- peer ------------------------------------------------------------ */

static int peer_row(void *ud, const struct peer *p)
{
	char contact[32], synced[32];
	net_time(contact, p->last_contact_ms);
	net_time(synced, p->last_sync_ms);
	printf("%s\n  status %s; last contact %s; last full sync %s; behind %" PRId64
	       ", ahead %" PRId64 "\n",
	       p->address, p->status, contact, synced, p->behind, p->ahead);
	return 0;
}

static int peer_row_json(void *ud, const struct peer *p)
{
	json_array_append_new(ud, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "address", p->address,
					    "status", p->status, "last_contact", (json_int_t)p->last_contact_ms,
					    "last_sync", (json_int_t)p->last_sync_ms, "behind",
					    (json_int_t)p->behind, "ahead", (json_int_t)p->ahead));
	return 0;
}

static int peer_list(struct cli *c)
{
	if (c->o.json) {
		json_t *a = json_array();
		if (peers_list(c->h->st, peer_row_json, a, &c->err) != MV_OK) {
			json_decref(a);
			return net_core(c);
		}
		return cli_json_print(json_pack("{s:o, s:I}", "peers", a, "unshared_ops",
					  (json_int_t)peers_unshared(c->h->st)));
	}
	if (peers_count(c->h->st) == 0)
		printf("no peers (add one with `mentalverse peer add ADDRESS`)\n");
	else if (peers_list(c->h->st, peer_row, NULL, &c->err) != MV_OK)
		return net_core(c);
	printf("%" PRIu64 " ops of ours no peer is known to hold\n", peers_unshared(c->h->st));
	return CLI_EXIT_OK;
}

int cli_net_peer(struct cli *c, int argc, char **argv)
{
	struct tls_addr a;
	int rc = net_home(c, false, true);
	if (rc)
		return rc;
	bool add = strcmp(argv[0], "add") == 0, rm = strcmp(argv[0], "remove") == 0;
	if (strcmp(argv[0], "list") == 0 && argc == 1)
		return peer_list(c);
	if (!(add || rm) || argc != 2)
		return net_fail(c, "usage: mentalverse peer add ADDRESS | list | remove ADDRESS");
	if (tls_addr_parse(argv[1], &a, &c->err) != MV_OK)
		return net_core(c);
	if (add ? peers_add(c->h->st, a.address, a.pin, &c->err) != MV_OK
		: peers_remove(c->h->st, a.address, &c->err) != MV_OK)
		return net_core(c);
	if (c->o.json)
		return cli_json_print(json_pack("{s:s, s:s}", add ? "added" : "removed", a.address, "pin", a.pin));
	printf("%s %s\n", add ? "added" : "removed", a.address);
	return CLI_EXIT_OK;
}

/* ---- sync ------------------------------------------------------------ */

struct peer_names {
	char (*v)[PEER_ADDR_MAX];
	size_t n, cap;
};

static int names_add(void *ud, const struct peer *p)
{
	struct peer_names *pn = ud;
	if (pn->n == pn->cap) {
		size_t cap = pn->cap ? pn->cap * 2 : 8;
		void *v = realloc(pn->v, cap * sizeof *pn->v);
		if (!v)
			return 1;
		pn->v = v;
		pn->cap = cap;
	}
	snprintf(pn->v[pn->n++], PEER_ADDR_MAX, "%s", p->address);
	return 0;
}

struct peer_match {
	const char *want;
	char found[PEER_ADDR_MAX];
	int count;
};

static int match_peer(void *ud, const struct peer *p)
{
	struct peer_match *m = ud;
	size_t n = strlen(m->want);
	const char *hp = p->address + 8; /* after https:// */
	if (strncmp(hp, m->want, n) == 0 && hp[n] == '#') {
		snprintf(m->found, sizeof m->found, "%s", p->address);
		m->count++;
	}
	return 0;
}

/* A PEER argument: a full address, or HOST:PORT of a known peer. */
static int net_resolve_peer(struct cli *c, const char *arg, char *out, size_t outlen)
{
	struct peer_match m = {arg, {0}, 0};
	if (strncmp(arg, "https://", 8) == 0) {
		snprintf(out, outlen, "%s", arg);
		return MV_OK;
	}
	if (peers_list(c->h->st, match_peer, &m, &c->err) != MV_OK)
		return MV_ERR;
	if (m.count != 1)
		return mv_fail(&c->err, MV_EINVAL, "no known peer at %s (give its full address)", arg);
	snprintf(out, outlen, "%s", m.found);
	return MV_OK;
}

/* Sync with one peer; prints its line (or JSON into arr). */
static int net_sync_one(struct cli *c, const char *peer, atomic_int *cancel, json_t *arr)
{
	struct sync_stats s;
	struct sync_opts o = {SYNC_MAX_PAGES, CLIENT_DEFAULT_OPTS};
	struct net_progress p = {peer, isatty(STDERR_FILENO) != 0, false};
	struct mv_err err;
	char line[400];
	o.client.cancel = cancel;
	int rc = sync_peer(c->h, peer, &o, net_progress_cb, &p, &s, &err);
	net_progress_end(&p);
	if (rc != MV_OK) {
		fprintf(stderr, "mentalverse: sync %s: %s\n", peer, err.msg);
		if (arr)
			json_array_append_new(arr, json_pack("{s:s, s:b, s:s}", "peer", peer, "ok", 0,
							     "error", err.msg));
		return rc;
	}
	net_summary(line, sizeof line, &s);
	if (arr)
		json_array_append_new(arr, net_stats_json(peer, &s));
	else
		printf("synced %s: %s\n", peer, line);
	return MV_OK;
}

int cli_net_sync(struct cli *c, int argc, char **argv)
{
	struct peer_names pn = {NULL, 0, 0};
	int rc = net_home(c, false, true), failed = 0;
	if (rc)
		return rc;
	for (int i = 0; i < argc; i++) {
		char addr[PEER_ADDR_MAX];
		if (net_resolve_peer(c, argv[i], addr, sizeof addr) != MV_OK) {
			free(pn.v);
			return net_core(c);
		}
		struct peer p;
		memset(&p, 0, sizeof p);
		snprintf(p.address, sizeof p.address, "%s", addr);
		names_add(&pn, &p);
	}
	if (argc == 0 && peers_list(c->h->st, names_add, &pn, &c->err) != MV_OK)
		return net_core(c);
	if (pn.n == 0) {
		free(pn.v);
		return net_fail(c, "no peers to sync with (add one with `mentalverse peer add ADDRESS`)");
	}
	json_t *arr = c->o.json ? json_array() : NULL;
	for (size_t i = 0; i < pn.n; i++)
		failed += net_sync_one(c, pn.v[i], NULL, arr) != MV_OK;
	free(pn.v);
	if (arr)
		cli_json_print(json_pack("{s:o, s:I}", "syncs", arr, "unshared_ops",
				   (json_int_t)peers_unshared(c->h->st)));
	return failed ? CLI_EXIT_ERR : CLI_EXIT_OK;
}

/* ---- serve ------------------------------------------------------------ */

/* Raised by SIGINT/SIGTERM, read by the gossip loop and by curl's progress
 * callback (client.h). A lock-free atomic_int may be stored from a signal
 * handler (C11 7.14.1.1), whichever thread the signal lands on. */
static atomic_int net_stop;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the stop flag must be lock-free for the signal handler");

static void net_on_signal(int sig)
{
	atomic_store(&net_stop, 1);
}

static bool net_stopping(void)
{
	return atomic_load(&net_stop) != 0;
}

static void net_log(void *ud, const char *line)
{
	char t[32];
	mv_time_format_utc(t, sizeof t, mv_now_ms());
	printf("%s %s\n", t, line);
	fflush(stdout);
}

/* Checkpoint steps are logged only when they did something. */
static void net_log_quiet(void *ud, const char *line)
{
	if (!strstr(line, "not due") && !strstr(line, "waiting"))
		net_log(ud, line);
}

static void net_gossip_one(struct cli *c, const char *peer)
{
	struct sync_stats s;
	struct sync_opts o = {SYNC_MAX_PAGES, CLIENT_DEFAULT_OPTS};
	struct mv_err err;
	char line[900], sum[400];
	int64_t t0 = mv_now_ms();
	o.client.cancel = &net_stop;
	if (sync_peer(c->h, peer, &o, NULL, NULL, &s, &err) == MV_OK) {
		net_summary(sum, sizeof sum, &s);
		snprintf(line, sizeof line, "sync %s: %s, %" PRId64 "ms", peer, sum, mv_now_ms() - t0);
	} else {
		snprintf(line, sizeof line, "sync %s failed: %s", peer, err.msg);
	}
	net_log(NULL, line);
}

static void net_gossip(struct cli *c)
{
	struct peer_names pn = {NULL, 0, 0};
	struct mv_err err;
	if (peers_list(c->h->st, names_add, &pn, &err) != MV_OK) {
		char line[600];
		snprintf(line, sizeof line, "peers: %s", err.msg);
		net_log(NULL, line);
	}
	for (size_t i = 0; i < pn.n && !net_stopping(); i++)
		net_gossip_one(c, pn.v[i]);
	free(pn.v);
}

static int net_interval(struct cli *c, int *out)
{
	const char *v = net_opt(c, "--interval");
	char *end;
	long n = v ? strtol(v, &end, 10) : NET_INTERVAL_DEFAULT;
	if (v && (*end || end == v || n < 1 || n > 86400))
		return mv_fail(&c->err, MV_EINVAL, "--interval takes 1..86400 seconds");
	*out = (int)n;
	return MV_OK;
}

static void net_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = net_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Wait until the next round is due or a signal came. */
static void net_wait_until(int64_t when)
{
	while (!net_stopping() && mv_now_ms() < when) {
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
	}
}

int cli_net_serve(struct cli *c, int argc, char **argv)
{
	struct server_limits lim = SERVER_DEFAULT_LIMITS;
	struct server *srv = NULL;
	char host[256], line[600];
	int port = 0, interval = NET_INTERVAL_DEFAULT;
	int rc = net_home(c, false, true);
	if (rc)
		return rc;
	if (net_interval(c, &interval) != MV_OK ||
	    (net_opt(c, "--limits") && server_limits_parse(net_opt(c, "--limits"), &lim, &c->err)) ||
	    net_listen(c, net_opt(c, "--listen"), host, sizeof host, &port) != MV_OK)
		return net_core(c);
	setvbuf(stdout, NULL, _IOLBF, 0);
	atomic_store(&net_stop, 0);
	net_signals();
	if (server_start(&srv, c->h->dir, host, port, &lim, net_log, NULL, &c->err) != MV_OK)
		return net_core(c);
	snprintf(line, sizeof line, "serving %s (network %s), syncing with %zu peers every %d s",
		 server_address(srv), c->h->network_name, peers_count(c->h->st), interval);
	net_log(NULL, line);
	while (!net_stopping()) {
		int64_t next = mv_now_ms() + (int64_t)interval * 1000;
		net_gossip(c);
		if (!net_stopping())
			cli_chain_tick_all(c->h, false, net_log_quiet, NULL);
		net_wait_until(next);
	}
	server_stop(srv);
	net_log(NULL, "stopped");
	return CLI_EXIT_OK;
}
