/* test_scale.c - the queries that run on every sync request and every
 * screen must not walk the whole log: on a million ops a full scan or a sort
 * costs hundreds of milliseconds (docs/benchmarks.md, "A million ops").
 * Each test runs core calls on a small log and asks SQLite, through the
 * statement counters (SQLITE_STMTSTATUS_FULLSCAN_STEP, _SORT), whether any
 * statement touching log_ops scanned a table or index from end to end or
 * sorted rows. The planner assumes large tables without ANALYZE, so a small
 * log shows the plan a large one gets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "testnet.h"
#include "core/heads.h"

/* A log of genesis, funding of 3 authors and 60 transfers among them. */
static struct store *scale_log(struct net *n)
{
	struct op ops[64];
	size_t idx[64], k = 0;
	struct store *st = fresh();
	net_keys(n);
	make_genesis(n, 1);
	ops[k] = n->genesis;
	idx[k] = k;
	k++;
	for (int i = 1; i <= 3; i++, k++) {
		transfer(n, 0, i, 10 * MV_UNIT, clk(NOW - 90000 + i, 0), &ops[k]);
		idx[k] = k;
	}
	for (int j = 0; k < 64; j++, k++) {
		transfer(n, 1 + j % 3, 1 + (j + 1) % 3, MV_UNIT / 100, clk(NOW - 80000 + j, 0), &ops[k]);
		idx[k] = k;
	}
	deliver(st, ops, idx, k);
	for (size_t i = 0; i < k; i++) /* ops[0] is n->genesis */
		op_free(&ops[i]);
	return st;
}

static void scale_reset(struct store *st)
{
	for (sqlite3_stmt *s = sqlite3_next_stmt(store_db(st), NULL); s;
	     s = sqlite3_next_stmt(store_db(st), s)) {
		sqlite3_stmt_status(s, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
		sqlite3_stmt_status(s, SQLITE_STMTSTATUS_SORT, 1);
		sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 1);
	}
}

/* Fail naming every statement on log_ops that ran a full scan or a sort
 * since scale_reset. */
static void scale_check(struct store *st, const char *what)
{
	int bad = 0;
	for (sqlite3_stmt *s = sqlite3_next_stmt(store_db(st), NULL); s;
	     s = sqlite3_next_stmt(store_db(st), s)) {
		const char *sql = sqlite3_sql(s);
		if (!sql || !strstr(sql, "log_ops") || !sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 0))
			continue;
		int scan = sqlite3_stmt_status(s, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
		int sort = sqlite3_stmt_status(s, SQLITE_STMTSTATUS_SORT, 0);
		if (scan || sort) {
			print_error("%s: %d full-scan steps, %d sorts in: %s\n", what, scan, sort, sql);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_heads_local_probes_each_author(void **state)
{
	struct net n;
	struct heads h;
	struct mv_err e;
	struct store *st = scale_log(&n);
	scale_reset(st);
	assert_int_equal(heads_local(st, &h, &e), MV_OK);
	assert_int_equal(h.n, 4);
	assert_int_equal(heads_get(&h, n.pk[0]), 4);
	scale_check(st, "heads_local");
	heads_free(&h);
	store_close(st);
}

/* A joining peer (empty vector) and a peer that lacks only the last op. */
static void test_pages_read_by_clock_index(void **state)
{
	struct net n;
	struct heads theirs;
	struct mv_buf page;
	struct mv_err e;
	size_t count;
	bool more;
	struct store *st = scale_log(&n);
	heads_init(&theirs);
	scale_reset(st);
	assert_int_equal(heads_page(st, &theirs, 1 << 20, &page, &count, &more, &e), MV_OK);
	assert_int_equal(count, 64);
	assert_false(more);
	mv_buf_free(&page);
	scale_check(st, "heads_page from the start");
	heads_free(&theirs);
	assert_int_equal(heads_local(st, &theirs, &e), MV_OK);
	for (size_t i = 0; i < theirs.n; i++)
		if (theirs.v[i].seq > 5)
			theirs.v[i].seq--;
	scale_reset(st);
	assert_int_equal(heads_page(st, &theirs, 1 << 20, &page, &count, &more, &e), MV_OK);
	assert_true(count >= 1 && count <= 3);
	mv_buf_free(&page);
	scale_check(st, "heads_page near the end");
	heads_free(&theirs);
	store_close(st);
}

static void test_log_max_clock_is_one_probe(void **state)
{
	struct net n;
	struct store *st = scale_log(&n);
	scale_reset(st);
	assert_true(log_max_clock(st) > 0);
	scale_check(st, "log_max_clock");
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heads_local_probes_each_author),
		cmocka_unit_test(test_pages_read_by_clock_index),
		cmocka_unit_test(test_log_max_clock_is_one_probe),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
