/* netsync.c - background sync for the terminal app (see netsync.h).
 *
 * One worker thread per round, joined by the event loop when it has ended
 * (or by netsync_close, which cancels it first through the client's cancel
 * flag, an atomic the worker's curl callback reads). The worker owns its
 * home for the round; the rest of the shared part of the struct is only
 * touched under `lock`. */
#include "ui/netsync.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/home.h"
#include "net/sync.h"
#include "net/tls.h"
#include "ui/widgets.h"

/* The listen address `serve` and `address --listen` remember (cli_net.c). */
#define NETSYNC_LISTEN_META "node.listen"
#define NETSYNC_LISTEN_DEFAULT "127.0.0.1:7420"

struct netsync {
	char dir[4096];
	int64_t interval;
	pthread_mutex_t lock;
	struct netsync_status st; /* under lock */
	bool finished;            /* under lock: the worker has ended */
	bool finished_asked;      /* under lock: ... a manual round with peers */
	bool thread_on;           /* a worker exists and is not joined (UI thread only) */
	pthread_t thread;
	atomic_int cancel;        /* raised by netsync_close, read by the worker */
	int64_t next_due;         /* UI thread only */
	bool kicked;              /* UI thread only */
	unsigned seen;            /* a change counter the UI last saw */
	unsigned changes;         /* under lock */
};

/* ---- the worker --------------------------------------------------------- */

struct netsync_peers {
	char (*v)[PEER_ADDR_MAX];
	size_t n, cap;
};

static int netsync_peer_cb(void *ud, const struct peer *p)
{
	struct netsync_peers *pl = ud;
	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? pl->cap * 2 : 8;
		void *v = realloc(pl->v, cap * sizeof *pl->v);
		if (!v)
			return 1;
		pl->v = v;
		pl->cap = cap;
	}
	snprintf(pl->v[pl->n++], PEER_ADDR_MAX, "%s", p->address);
	return 0;
}

static void netsync_set_phase(struct netsync *ns, const char *phase, uint64_t done, uint64_t total)
{
	pthread_mutex_lock(&ns->lock);
	snprintf(ns->st.phase, sizeof ns->st.phase, "%s", phase);
	ns->st.done = done;
	ns->st.total = total;
	ns->changes++;
	pthread_mutex_unlock(&ns->lock);
}

static void netsync_progress_cb(void *ud, const char *phase, uint64_t done, uint64_t total)
{
	netsync_set_phase(ud, phase, done, total);
}

/* Record the start of peer i of n. */
static void netsync_set_peer(struct netsync *ns, const char *peer, size_t i, size_t n)
{
	pthread_mutex_lock(&ns->lock);
	snprintf(ns->st.peer, sizeof ns->st.peer, "%s", peer);
	ns->st.peer_no = i + 1;
	ns->st.npeers = n;
	ns->st.phase[0] = '\0';
	ns->st.done = ns->st.total = 0;
	ns->changes++;
	pthread_mutex_unlock(&ns->lock);
}

/* What a round did, folded into the status when it ends. */
struct netsync_tally {
	size_t peers, ok, failed, in, out;
	char error[512];
};

static void netsync_fail(struct netsync_tally *t, const char *msg)
{
	t->failed++;
	if (!t->error[0])
		snprintf(t->error, sizeof t->error, "%s", msg);
}

static void netsync_round_peers(struct netsync *ns, struct home *h, struct netsync_tally *t)
{
	struct netsync_peers pl = { NULL, 0, 0 };
	struct mv_err err;
	mv_err_clear(&err);
	if (peers_list(h->st, netsync_peer_cb, &pl, &err) != MV_OK) {
		t->peers = 1;
		netsync_fail(t, err.msg);
	}
	t->peers += pl.n;
	for (size_t i = 0; i < pl.n && !atomic_load(&ns->cancel); i++) {
		struct sync_opts o = { SYNC_MAX_PAGES, CLIENT_DEFAULT_OPTS };
		struct sync_stats s;
		o.client.cancel = &ns->cancel;
		netsync_set_peer(ns, pl.v[i], i, pl.n);
		if (sync_peer(h, pl.v[i], &o, netsync_progress_cb, ns, &s, &err) != MV_OK) {
			netsync_fail(t, err.msg);
			continue;
		}
		t->ok++;
		t->in += s.in.new_;
		t->out += s.peer_new;
	}
	free(pl.v);
}

static void netsync_finish(struct netsync *ns, const struct netsync_tally *t)
{
	pthread_mutex_lock(&ns->lock);
	if (t->peers) {
		int64_t now = mv_now_ms();
		ns->st.rounds++;
		ns->st.last_manual = ns->st.manual;
		ns->st.last_end = now;
		ns->st.last_ok = t->ok;
		ns->st.last_failed = t->failed;
		ns->st.last_in = t->in;
		ns->st.last_out = t->out;
		snprintf(ns->st.last_error, sizeof ns->st.last_error, "%s", t->error);
		if (t->ok)
			ns->st.last_ok_end = now;
	}
	ns->st.running = false;
	ns->finished = true;
	ns->finished_asked = ns->st.manual && t->peers;
	ns->changes++;
	pthread_mutex_unlock(&ns->lock);
}

static void *netsync_worker(void *arg)
{
	struct netsync *ns = arg;
	struct netsync_tally t;
	struct home *h = NULL;
	struct mv_err err;
	memset(&t, 0, sizeof t);
	mv_err_clear(&err);
	if (home_open(&h, ns->dir, false, &err) != MV_OK) {
		t.peers = 1;
		netsync_fail(&t, err.msg);
	} else if (h->has_network) {
		netsync_round_peers(ns, h, &t);
	}
	home_close(h);
	netsync_finish(ns, &t);
	return NULL;
}

/* ---- the event loop's side ---------------------------------------------- */

static int64_t netsync_env_interval(void)
{
	const char *v = getenv(NETSYNC_INTERVAL_ENV);
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;
	if (!v || !*v || *end || n < 1 || n > 86400)
		return NETSYNC_INTERVAL_MS;
	return (int64_t)n * 1000;
}

int netsync_open(struct netsync **out, const char *home_dir, int64_t interval_ms,
		 struct mv_err *err)
{
	struct netsync *ns = calloc(1, sizeof *ns);
	if (!ns)
		return mv_fail(err, MV_ERR, "out of memory");
	if (pthread_mutex_init(&ns->lock, NULL) != 0) {
		free(ns);
		return mv_fail(err, MV_ERR, "cannot create a lock for background sync");
	}
	snprintf(ns->dir, sizeof ns->dir, "%s", home_dir);
	atomic_init(&ns->cancel, 0);
	ns->interval = interval_ms > 0 ? interval_ms : netsync_env_interval();
	ns->next_due = 0; /* the first round starts at the first poll */
	signal(SIGPIPE, SIG_IGN); /* a peer closing a TLS connection must not kill the app */
	*out = ns;
	return MV_OK;
}

static void netsync_join(struct netsync *ns)
{
	if (ns->thread_on) {
		pthread_join(ns->thread, NULL);
		ns->thread_on = false;
	}
}

void netsync_close(struct netsync *ns)
{
	if (!ns)
		return;
	atomic_store(&ns->cancel, 1);
	netsync_join(ns);
	pthread_mutex_destroy(&ns->lock);
	free(ns);
}

int64_t netsync_interval(const struct netsync *ns)
{
	return ns ? ns->interval : NETSYNC_INTERVAL_MS;
}

bool netsync_start(struct netsync *ns, bool manual, struct mv_err *err)
{
	if (!ns) {
		mv_fail(err, MV_EINVAL, "background sync is not available");
		return false;
	}
	if (ns->thread_on) { /* a background round is on: the user follows that one */
		pthread_mutex_lock(&ns->lock);
		ns->st.manual |= manual;
		ns->changes++;
		pthread_mutex_unlock(&ns->lock);
		if (!manual)
			mv_fail(err, MV_EEXIST, "a sync is running already");
		return manual;
	}
	pthread_mutex_lock(&ns->lock);
	ns->finished = false;
	ns->st.running = true;
	ns->st.manual = manual;
	snprintf(ns->st.phase, sizeof ns->st.phase, "open");
	ns->st.peer[0] = '\0';
	ns->st.peer_no = ns->st.npeers = 0;
	ns->st.done = ns->st.total = 0;
	ns->changes++;
	pthread_mutex_unlock(&ns->lock);
	int rc = pthread_create(&ns->thread, NULL, netsync_worker, ns);
	if (rc != 0) {
		pthread_mutex_lock(&ns->lock);
		ns->st.running = false;
		pthread_mutex_unlock(&ns->lock);
		mv_fail(err, MV_ERR, "cannot start a sync thread: %s", strerror(rc));
		return false;
	}
	ns->thread_on = true;
	ns->kicked = false;
	return true;
}

void netsync_kick(struct netsync *ns)
{
	if (ns)
		ns->kicked = true;
}

void netsync_rearm(struct netsync *ns, int64_t now)
{
	if (ns && !ns->thread_on)
		ns->next_due = now + ns->interval;
}

int netsync_poll(struct netsync *ns, int64_t now)
{
	if (!ns)
		return 0;
	int flags = 0;
	pthread_mutex_lock(&ns->lock);
	bool finished = ns->finished, asked = ns->finished_asked;
	ns->finished = ns->finished_asked = false;
	unsigned changes = ns->changes;
	pthread_mutex_unlock(&ns->lock);
	if (finished) {
		netsync_join(ns);
		ns->next_due = now + ns->interval;
		flags |= NETSYNC_DONE | (asked ? NETSYNC_ASKED : 0);
	}
	if (!ns->thread_on && (ns->kicked || now >= ns->next_due)) {
		struct mv_err err;
		if (!netsync_start(ns, false, &err))
			ns->next_due = now + ns->interval; /* try again later */
	}
	if (changes != ns->seen) {
		ns->seen = changes;
		flags |= NETSYNC_PROGRESS;
	}
	return flags;
}

void netsync_get(struct netsync *ns, struct netsync_status *out)
{
	if (!ns) {
		memset(out, 0, sizeof *out);
		return;
	}
	pthread_mutex_lock(&ns->lock);
	*out = ns->st;
	pthread_mutex_unlock(&ns->lock);
}

bool netsync_online(const struct netsync_status *s, int64_t interval, int64_t now)
{
	return s->last_ok_end > 0 && now - s->last_ok_end <= 2 * interval;
}

static int netsync_last_cb(void *ud, const struct peer *p)
{
	int64_t *last = ud;
	if (p->last_sync_ms > *last)
		*last = p->last_sync_ms;
	return 0;
}

int64_t netsync_stored_last(struct store *st)
{
	int64_t last = 0;
	if (st)
		peers_list(st, netsync_last_cb, &last, NULL);
	return last;
}

/* "14:05" today (UTC), else "11-24 14:05". */
static void netsync_when(char *out, size_t outlen, int64_t ms, int64_t now)
{
	struct ui_civil c, n;
	ui_civil_from_ms(ms, &c);
	ui_civil_from_ms(now, &n);
	if (c.year == n.year && c.month == n.month && c.day == n.day)
		snprintf(out, outlen, "%02d:%02d", c.hour, c.min);
	else
		snprintf(out, outlen, "%02d-%02d %02d:%02d", c.month, c.day, c.hour, c.min);
}

void netsync_topbar(char *out, size_t outlen, int size, const struct netsync_status *s,
		    int64_t interval, int64_t stored_last, uint64_t unsent, int64_t now)
{
	bool online = netsync_online(s, interval, now);
	const char *mark = s->running ? "↻" : online ? "●" : "○";
	const char *state = online ? "online" : "offline";
	int64_t last = s->last_ok_end > stored_last ? s->last_ok_end : stored_last;
	char when[32] = "", synced[48] = "";
	unsigned long long n = (unsigned long long)unsent;
	if (last > 0) {
		netsync_when(when, sizeof when, last, now);
		snprintf(synced, sizeof synced, " · synced %s", when);
	}
	switch (size) {
	case 0: snprintf(out, outlen, "%s %s%s │ ↑%llu unsent │ ", mark, state, synced, n); break;
	case 1: snprintf(out, outlen, "%s %s%s │ ↑%llu unsent ", mark, state, synced, n); break;
	case 2: snprintf(out, outlen, "%s %s%s%s ↑%llu ", mark, state, when[0] ? " " : "", when, n); break;
	default: snprintf(out, outlen, "%s %s ↑%llu ", mark, state, n); break;
	}
}

int netsync_address(struct home *h, char *out, size_t outlen, struct mv_err *err)
{
	char listen[300], host[256];
	int port;
	struct tls_node tn;
	if (!h->st || store_meta_get(h->st, NETSYNC_LISTEN_META, listen, sizeof listen, NULL) != MV_OK)
		snprintf(listen, sizeof listen, "%s", NETSYNC_LISTEN_DEFAULT);
	if (tls_hostport_parse(listen, host, sizeof host, &port, err) != MV_OK ||
	    tls_load(h->dir, &tn, err) != MV_OK)
		return MV_ERR;
	int rc = tls_address(host, port, tn.pin, out, outlen, err);
	tls_free(&tn);
	return rc;
}

void netsync_summary(char *out, size_t outlen, const struct netsync_status *s, bool with_error)
{
	if (!s->rounds) {
		snprintf(out, outlen, "%s", "");
		return;
	}
	size_t n = s->last_ok + s->last_failed;
	int len = snprintf(out, outlen, "synced with %zu of %zu peer%s: %zu op%s in, %zu out",
			   s->last_ok, n, n == 1 ? "" : "s", s->last_in, s->last_in == 1 ? "" : "s",
			   s->last_out);
	if (with_error && s->last_error[0] && len > 0 && (size_t)len < outlen)
		snprintf(out + len, outlen - (size_t)len, "; failed: %s", s->last_error);
}

void netsync_phase_text(char *out, size_t outlen, const struct netsync_status *s)
{
	char peer[64] = "";
	if (s->npeers)
		snprintf(peer, sizeof peer, "peer %zu of %zu, ", s->peer_no, s->npeers);
	if (s->total)
		snprintf(out, outlen, "%s%s %llu/%llu", peer, s->phase, (unsigned long long)s->done,
			 (unsigned long long)s->total);
	else if (s->done)
		snprintf(out, outlen, "%s%s %llu", peer, s->phase, (unsigned long long)s->done);
	else
		snprintf(out, outlen, "%s%s", peer, s->phase[0] ? s->phase : "starting");
}

int netsync_permille(const struct netsync_status *s)
{
	static const struct { const char *phase; int start, len; } parts[] = {
		{ "info", 0, 100 }, { "pull", 100, 600 }, { "blobs", 700, 100 }, { "push", 800, 200 },
	};
	if (!s->npeers || !s->peer_no)
		return 0;
	int in_peer = 0;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if (strcmp(s->phase, parts[i].phase) != 0)
			continue;
		uint64_t done = s->done < s->total ? s->done : s->total;
		in_peer = parts[i].start + (s->total ? (int)(done * (uint64_t)parts[i].len / s->total) : 0);
	}
	return (int)(((uint64_t)(s->peer_no - 1) * 1000 + (uint64_t)in_peer) / s->npeers);
}
