/* bench_tui.c - benchmark of the terminal app, headless: the real shell and
 * views drawn by ncurses (newterm) on a pseudo-terminal whose output a
 * thread drains, on a home with a large log.
 *
 * usage: bench_tui [HOME [N]]
 *   HOME  a home to open; if it holds no network, one is made there with N
 *         transfer ops (default 100000) by gen_bundle (next to this binary)
 *         and imported. Without HOME a scratch home is made and removed.
 * Prints machine-readable lines:
 *   tui_ops=N                 ops in the log
 *   tui_first_frame_ms=X      home_open + shell start + first full frame
 *   tui_key_p50_ms=X          median time to handle one key and redraw
 *   tui_key_p99_ms=X          99th percentile of the same
 *   tui_keys=N                keys measured
 * and "goal ... ok|MISSED" lines against the goals (first frame
 * < 100 ms, p99 key-to-frame < 5 ms). Exit 0 when it ran (goals are
 * reported, not enforced), 1 on failure. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/home.h"
#include "core/query.h"
#include "ui/tui.h"
#include "ui/view.h"
#include "ui/widgets.h"

#define BENCH_COLS 132
#define BENCH_ROWS 43
#define BENCH_ROUNDS 40

static double bench_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Reads the master side of the pty so ncurses never blocks on output. */
static void *bench_drain(void *arg)
{
	int fd = *(int *)arg;
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
	}
}

/* Build a home with n ops in dir: gen_bundle makes the network and a signed
 * bundle of transfers, which is then imported through the core. */
static int bench_build(const char *dir, unsigned long n)
{
	char exe[PATH_MAX], cmd[3 * PATH_MAX], bundle[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (k <= 0)
		return -1;
	exe[k] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(bundle, sizeof bundle, "%s.bundle", dir);
	snprintf(cmd, sizeof cmd, "'%s/gen_bundle' '%s' '%s' %lu >/dev/null", exe, dir, bundle, n);
	fprintf(stderr, "bench_tui: building a home with %lu ops in %s\n", n, dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "bench_tui: gen_bundle failed (build it with make bench)\n");
		return -1;
	}
	struct home *h = NULL;
	struct mv_err err;
	struct import_counts c;
	uint8_t *data = NULL;
	size_t len = 0;
	mv_err_clear(&err);
	int rc = mv_read_file(bundle, SIZE_MAX / 2, &data, &len, &err);
	if (rc == MV_OK)
		rc = home_open(&h, dir, false, &err);
	if (rc == MV_OK)
		rc = home_import(h, data, len, &c, NULL, NULL, &err);
	if (rc != MV_OK)
		fprintf(stderr, "bench_tui: %s\n", err.msg);
	free(data);
	home_close(h);
	unlink(bundle);
	return rc == MV_OK ? 0 : -1;
}

/* The keys of one round: every screen, list movement, jumps to both ends of
 * the log, help and crisis over a form, and back. */
static const int bench_round[] = {
	'1', 'j', 'j', '2', 'j', 'j', 'j', UI_FN(KEY_NPAGE), 'g', '3', 'j', 'j', 'j', 'j',
	UI_FN(KEY_NPAGE), UI_FN(KEY_NPAGE), '\r', 'j', 'j', '\r', 'G', 'k', 'k', 'g', '4', 'j',
	'k', '5', 'j', '6', 'j', UI_ESC, '2', 's', '1', '2', '!', UI_ESC, UI_ESC, 'y', '?', UI_ESC,
	'\t', 'j', 'k', '\t', '1', 0,
};

struct bench_pty {
	int master, slave;
	pthread_t drain;
	SCREEN *scr;
	FILE *out, *in;
};

static int bench_pty_open(struct bench_pty *p)
{
	struct winsize ws = { BENCH_ROWS, BENCH_COLS, 0, 0 };
	if (openpty(&p->master, &p->slave, NULL, NULL, &ws) != 0) {
		perror("bench_tui: openpty");
		return -1;
	}
	p->out = fdopen(p->slave, "w");
	p->in = fdopen(dup(p->slave), "r");
	if (!p->out || !p->in || pthread_create(&p->drain, NULL, bench_drain, &p->master) != 0)
		return -1;
	setenv("LINES", "43", 1);
	setenv("COLUMNS", "132", 1);
	p->scr = newterm("xterm-256color", p->out, p->in);
	if (!p->scr) {
		fprintf(stderr, "bench_tui: newterm failed (no xterm-256color terminfo?)\n");
		return -1;
	}
	set_term(p->scr);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	theme_init(true);
	return 0;
}

static void bench_pty_close(struct bench_pty *p)
{
	endwin();
	delscreen(p->scr);
	fclose(p->out);
	fclose(p->in);
	close(p->master);
	pthread_join(p->drain, NULL);
}

static int bench_run(const char *dir)
{
	struct bench_pty p;
	struct home *h = NULL;
	struct mv_err err;
	mv_err_clear(&err);
	if (bench_pty_open(&p) != 0)
		return 1;
	double t0 = bench_now_ms();
	if (home_open(&h, dir, false, &err) != MV_OK) {
		bench_pty_close(&p);
		fprintf(stderr, "bench_tui: %s\n", err.msg);
		return 1;
	}
	struct tui *t = tui_open(h, NULL, &err);
	if (!t) {
		home_close(h);
		bench_pty_close(&p);
		fprintf(stderr, "bench_tui: %s\n", err.msg);
		return 1;
	}
	tui_render(t);
	double first = bench_now_ms() - t0;
	size_t nkeys = (sizeof bench_round / sizeof bench_round[0] - 1) * BENCH_ROUNDS, k = 0;
	double *lat = malloc(nkeys * sizeof *lat);
	bool verbose = getenv("BENCH_VERBOSE") != NULL;
	for (int r = 0; lat && r < BENCH_ROUNDS; r++) {
		for (const int *key = bench_round; *key; key++) {
			double a = bench_now_ms();
			tui_feed(t, *key);
			tui_render(t);
			lat[k++] = bench_now_ms() - a;
			if (verbose && lat[k - 1] > 2)
				fprintf(stderr, "round %d key #%ld (%d): %.3f ms\n", r,
					(long)(key - bench_round), *key & 0xffff, lat[k - 1]);
		}
	}
	size_t ops = query_log_count(h->st);
	tui_close(t);
	home_close(h);
	bench_pty_close(&p);
	if (!lat)
		return 1;
	qsort(lat, k, sizeof *lat, bench_cmp);
	double p50 = lat[k / 2], p99 = lat[(k * 99) / 100];
	printf("tui_ops=%zu\n", ops);
	printf("tui_first_frame_ms=%.3f\n", first);
	printf("tui_key_p50_ms=%.3f\n", p50);
	printf("tui_key_p99_ms=%.3f\n", p99);
	printf("tui_key_max_ms=%.3f\n", lat[k - 1]);
	printf("tui_keys=%zu\n", k);
	printf("goal first frame < 100 ms: %s\n", first < 100 ? "ok" : "MISSED");
	printf("goal p99 key-to-frame < 5 ms: %s\n", p99 < 5 ? "ok" : "MISSED");
	free(lat);
	return 0;
}

static bool bench_has_network(const char *dir)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/mentalverse.db", dir);
	return access(path, F_OK) == 0;
}

int main(int argc, char **argv)
{
	char scratch[] = "/tmp/mv-bench-tui.XXXXXX";
	const char *dir = argc > 1 ? argv[1] : NULL;
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
	setlocale(LC_ALL, "C.UTF-8");
	setenv("MENTALVERSE_PASSPHRASE", "", 1);
	if (!dir) {
		if (!mkdtemp(scratch)) {
			perror("bench_tui: mkdtemp");
			return 1;
		}
		dir = scratch;
	}
	if (!bench_has_network(dir) && bench_build(dir, n ? n : 100000) != 0)
		return 1;
	int rc = bench_run(dir);
	if (dir == scratch) {
		char cmd[PATH_MAX + 16];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_tui: could not remove %s\n", scratch);
	}
	return rc;
}
