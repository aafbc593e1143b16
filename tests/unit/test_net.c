/* test_net.c - the node's threads and their shutdown: the server starts and
 * stops promptly (its watchdog wakes on stop instead of finishing a sleep),
 * a home joins another over HTTPS and then syncs a round with it, and a
 * transfer stuck on a silent peer is cancelled from another thread, both
 * through the client's cancel flag and through netsync_close. These are the
 * paths ThreadSanitizer checks (docs/reliability.md); everything runs on
 * 127.0.0.1 with ports picked at run time, and every wait is bounded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <ftw.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/home.h"
#include "core/peers.h"
#include "net/client.h"
#include "net/server.h"
#include "net/sync.h"
#include "net/tls.h"
#include "ui/netsync.h"

struct fx {
	char root[64]; /* mkdtemp directory, removed afterwards */
	char a[128], b[128];
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	setenv("MENTALVERSE_PASSPHRASE", "", 1);
	strcpy(f->root, "/tmp/mv-test-net-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(f->a, sizeof f->a, "%s/a", f->root);
	snprintf(f->b, sizeof f->b, "%s/b", f->root);
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

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* A listening socket on 127.0.0.1 that never accepts: connections land in
 * its backlog, so a TLS handshake with it waits for ever. */
static int silent_listener(int *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static int free_port(void)
{
	int port, fd = silent_listener(&port);
	close(fd);
	return port;
}

/* A home with a network (and its TLS key) at dir. */
static void make_home(const char *dir, const char *name)
{
	struct home *h = NULL;
	struct mv_err e;
	if (home_open(&h, dir, true, &e) != MV_OK || home_init(h, name, NULL, &e) != MV_OK ||
	    tls_ensure(dir, &e) != MV_OK)
		fail_msg("home %s: %s", dir, e.msg);
	home_close(h);
}

/* The address of a node at port that presents dir's key. */
static void node_address(const char *dir, int port, char *out, size_t outlen)
{
	struct tls_node tn;
	struct mv_err e;
	if (tls_load(dir, &tn, &e) != MV_OK || tls_address("127.0.0.1", port, tn.pin, out, outlen, &e) != MV_OK)
		fail_msg("address: %s", e.msg);
	tls_free(&tn);
}

/* ---- server start / stop --------------------------------------------- */

static void test_server_stop_prompt(void **state)
{
	struct fx *f = *state;
	/* request=600 s: the watchdog sleeps 60 s between rounds. A stop that
	 * waited out that sleep (as it once did) would take up to a minute; one
	 * that wakes the watchdog takes milliseconds. 20 s tells the two apart
	 * under any load: a bound on a hang, not a timing measurement. */
	struct server_limits lim = SERVER_DEFAULT_LIMITS;
	lim.request_timeout = 600;
	make_home(f->a, "netA");
	for (int i = 0; i < 3; i++) {
		struct server *s = NULL;
		struct mv_err e;
		if (server_start(&s, f->a, "127.0.0.1", free_port(), &lim, NULL, NULL, &e) != MV_OK)
			fail_msg("server_start: %s", e.msg);
		sleep_ms(20); /* the watchdog is in its wait */
		int64_t t0 = now_ms();
		server_stop(s);
		int64_t ms = now_ms() - t0;
		if (ms >= 20000)
			fail_msg("server_stop took %lld ms: it waited for the watchdog", (long long)ms);
	}
}

static void test_server_refuses_home_without_network(void **state)
{
	struct fx *f = *state;
	struct home *h = NULL;
	struct server *s = NULL;
	struct mv_err e;
	assert_int_equal(home_open(&h, f->b, true, &e), MV_OK);
	home_close(h);
	assert_int_not_equal(server_start(&s, f->b, "127.0.0.1", free_port(), NULL, NULL, NULL, &e), MV_OK);
	assert_non_null(strstr(e.msg, "nothing to serve"));
	assert_null(s);
}

/* ---- a join and a sync round over HTTPS -------------------------------- */

static void test_join_then_sync(void **state)
{
	struct fx *f = *state;
	char addr[TLS_ADDR_MAX];
	struct server *s = NULL;
	struct home *hb = NULL;
	struct sync_stats st;
	struct mv_err e;
	int port = free_port();
	make_home(f->a, "netA");
	if (server_start(&s, f->a, "127.0.0.1", port, NULL, NULL, NULL, &e) != MV_OK)
		fail_msg("server_start: %s", e.msg);
	node_address(f->a, port, addr, sizeof addr);
	assert_int_equal(home_open(&hb, f->b, true, &e), MV_OK);
	if (sync_join(hb, addr, NULL, NULL, NULL, &st, &e) != MV_OK)
		fail_msg("join: %s", e.msg);
	assert_true(hb->has_network);
	assert_int_equal(st.in.new_, 1); /* the genesis */
	assert_true(st.complete);
	if (sync_peer(hb, addr, NULL, NULL, NULL, &st, &e) != MV_OK)
		fail_msg("sync: %s", e.msg);
	assert_int_equal(st.in.new_, 0);
	assert_int_equal(st.pushed, 0);
	assert_true(st.complete);
	assert_true(st.bytes > 0);
	uint8_t root[32];
	char hex[65];
	assert_int_equal(home_state_root(hb, root, &e), MV_OK);
	mv_hex(hex, root, 32);
	assert_string_equal(hex, st.state_root);
	home_close(hb);
	server_stop(s);
}

/* The root /v1/info announces follows every new op, whoever wrote it: the
 * server caches it on what the state derives from, not on any write. */
static void root_of(struct home *h, char hex[65])
{
	uint8_t root[32];
	struct mv_err e;
	if (home_state_root(h, root, &e) != MV_OK)
		fail_msg("state root: %s", e.msg);
	mv_hex(hex, root, 32);
}

/* A transfer of amount ("10", "1.5") by identity as to the account to. */
static void transfer(struct home *h, const char *as, const uint8_t to[32], const char *amount)
{
	char field[80], hex[65], am[40];
	struct submit_result res;
	struct mv_err e;
	mv_hex(hex, to, 32);
	snprintf(field, sizeof field, "to=%s", hex);
	snprintf(am, sizeof am, "amount=%s", amount);
	char *fields[] = {field, am};
	if (home_submit_fields(h, as, "ledger.transfer", 2, fields, &res, &e) != MV_OK)
		fail_msg("transfer: %s", e.msg);
	if (res.outcome != 1)
		fail_msg("transfer rejected: %s", res.reason);
}

static void test_info_root_follows_ops(void **state)
{
	struct fx *f = *state;
	char addr[TLS_ADDR_MAX], root[65], seen[65];
	struct server *s = NULL;
	struct home *ha = NULL, *hb = NULL;
	struct sync_stats st;
	struct mv_err e;
	uint8_t bob[32], founder[32];
	int port = free_port();
	make_home(f->a, "netA");
	if (server_start(&s, f->a, "127.0.0.1", port, NULL, NULL, NULL, &e) != MV_OK)
		fail_msg("server_start: %s", e.msg);
	node_address(f->a, port, addr, sizeof addr);
	assert_int_equal(home_open(&hb, f->b, true, &e), MV_OK);
	if (sync_join(hb, addr, NULL, NULL, NULL, &st, &e) != MV_OK)
		fail_msg("join: %s", e.msg);
	snprintf(seen, sizeof seen, "%s", st.state_root);
	assert_int_equal(home_keygen(hb, "bob", bob, &e), MV_OK);
	/* an op made on A through another connection, as the CLI does */
	assert_int_equal(home_open(&ha, f->a, false, &e), MV_OK);
	assert_int_equal(home_resolve_account(ha, "founder", founder, &e), MV_OK);
	transfer(ha, "founder", bob, "10");
	root_of(ha, root);
	assert_string_not_equal(root, seen);
	assert_int_equal(sync_peer(hb, addr, NULL, NULL, NULL, &st, &e), MV_OK);
	assert_string_equal(st.state_root, root);
	root_of(hb, seen);
	assert_string_equal(seen, root);
	/* an op pushed by B moves the announced root too */
	transfer(hb, "bob", founder, "1");
	assert_int_equal(sync_peer(hb, addr, NULL, NULL, NULL, &st, &e), MV_OK);
	assert_int_equal(st.peer_new, 1);
	root_of(hb, root);
	assert_int_equal(sync_peer(hb, addr, NULL, NULL, NULL, &st, &e), MV_OK);
	assert_string_equal(st.state_root, root);
	/* bookkeeping on A (a peer added) changes no state: same root */
	assert_int_equal(peers_add(ha->st, "https://127.0.0.1:1#sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
				   "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", &e), MV_OK);
	assert_int_equal(sync_peer(hb, addr, NULL, NULL, NULL, &st, &e), MV_OK);
	assert_string_equal(st.state_root, root);
	root_of(ha, seen);
	assert_string_equal(seen, root);
	home_close(ha);
	home_close(hb);
	server_stop(s);
}

/* ---- cancelling from another thread ------------------------------------ */

struct stuck {
	struct tls_addr peer;
	atomic_int cancel;
	int rc;
	char msg[512];
	int64_t ms;
};

static void *stuck_get(void *arg)
{
	struct stuck *k = arg;
	struct client_opts o = CLIENT_DEFAULT_OPTS;
	struct client *c = NULL;
	struct mv_buf body;
	struct mv_err e;
	long status;
	int64_t t0 = now_ms();
	o.timeout_ms = 15000; /* if cancelling failed, fail in bounded time */
	o.retries = 0;
	o.cancel = &k->cancel;
	k->rc = client_open(&c, &k->peer, &o, &e);
	if (k->rc == MV_OK)
		k->rc = client_get(c, "/v1/info", &body, &status, &e);
	if (k->rc == MV_OK)
		mv_buf_free(&body);
	snprintf(k->msg, sizeof k->msg, "%s", k->rc == MV_OK ? "" : e.msg);
	client_close(c);
	k->ms = now_ms() - t0;
	return NULL;
}

static void test_client_cancel_from_thread(void **state)
{
	struct fx *f = *state;
	struct stuck k;
	struct mv_err e;
	char addr[TLS_ADDR_MAX];
	pthread_t t;
	int port, fd;
	memset(&k, 0, sizeof k);
	atomic_init(&k.cancel, 0);
	make_home(f->a, "netA");
	fd = silent_listener(&port);
	node_address(f->a, port, addr, sizeof addr);
	assert_int_equal(tls_addr_parse(addr, &k.peer, &e), MV_OK);
	assert_int_equal(pthread_create(&t, NULL, stuck_get, &k), 0);
	sleep_ms(300);
	atomic_store(&k.cancel, 1);
	pthread_join(t, NULL);
	close(fd);
	assert_int_not_equal(k.rc, MV_OK);
	/* "interrupted", not the 15 s timeout: the cancel ended it; the bound
	 * is far below the timeout so valgrind or a loaded machine passes */
	assert_non_null(strstr(k.msg, "interrupted"));
	assert_true(k.ms < 12000);
}

static void test_netsync_close_cancels(void **state)
{
	struct fx *f = *state;
	struct netsync *ns = NULL;
	struct home *h = NULL;
	struct tls_addr ta;
	struct mv_err e;
	char addr[TLS_ADDR_MAX];
	int port, fd = silent_listener(&port);
	make_home(f->a, "netA");
	node_address(f->a, port, addr, sizeof addr);
	assert_int_equal(tls_addr_parse(addr, &ta, &e), MV_OK);
	assert_int_equal(home_open(&h, f->a, false, &e), MV_OK);
	if (peers_add(h->st, ta.address, ta.pin, &e) != MV_OK)
		fail_msg("peers_add: %s", e.msg);
	home_close(h);
	assert_int_equal(netsync_open(&ns, f->a, 3600 * 1000, &e), MV_OK);
	assert_true(netsync_start(ns, true, &e));
	sleep_ms(300); /* the worker is in the TLS handshake with the silent peer */
	struct netsync_status s;
	netsync_get(ns, &s);
	assert_true(s.running);
	int64_t t0 = now_ms();
	netsync_close(ns); /* without the cancel it would wait 120 s per attempt */
	assert_true(now_ms() - t0 < 60000); /* a bound on that hang, not a timing */
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_server_stop_prompt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_refuses_home_without_network, setup, teardown),
		cmocka_unit_test_setup_teardown(test_join_then_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_info_root_follows_ops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_cancel_from_thread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_netsync_close_cancels, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
