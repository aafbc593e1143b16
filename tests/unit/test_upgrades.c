/* test_upgrades.c - protocol versions and store schema migrations.
 *
 * Upgrades: an executed proposal activating version 2 makes this binary
 * (MV_PROTOCOL_VERSION 1) reject every later op with "upgrade required:
 * protocol 2 active since epoch 0" while the log keeps accepting and storing
 * them; a version scheduled from a later checkpoint epoch is only announced
 * until that epoch is final; a version not above the current one is refused;
 * a genesis that starts at version 2 stops this binary at once; the status
 * the UI shows.
 *
 * Migrations: tests/fixtures/store_v*.db are stores written by earlier
 * schemas (fixtures[] says which commit wrote each). Opening a copy with the
 * current code migrates it forward; every table of the fixture is still
 * there with the same rows over the same columns (content digests compared
 * table by table), the newer tables exist, every op still verifies, and undoing and
 * replaying the whole log gives the same state root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>

#include "gov_testnet.h"
#include "core/query_upgrade.h"

#define U MV_UNIT

static void setup(struct gnet *g, const struct kv *extra)
{
	gn_init(g, 1, extra);
	static const int64_t amounts[] = {2000, 3000, 1000};
	for (int i = 0; i < 3; i++) {
		gn_fund(g, 2 + i, amounts[i] * U);
		gn_stake(g, 2 + i, amounts[i] * U, 30);
	}
	gn_wait(g, HOUR);
}

/* Pass an upgrade proposal (version from epoch) and execute it. */
static void upgrade(struct gnet *g, int64_t version, int64_t epoch)
{
	struct mv_buf a[1];
	ga_upgrade(&a[0], version, epoch);
	if (gn_propose(g, 3, "upgrade", "protocol upgrade", NULL, a, 1) != 1)
		fail_msg("propose: %s", g->why);
	uint8_t p[32];
	memcpy(p, g->last, 32);
	gn_wait(g, DAY);
	assert_int_equal(gn_vote(g, 3, p, "for"), 1);
	assert_int_equal(gn_vote(g, 2, p, "for"), 1); /* 5000 of 6000: decided */
	struct gov_proposal pr = gn_prop(g, p);
	assert_int_equal(pr.state, GOV_QUEUED);
	g->t = pr.eta;
	if (gn_prop_op(g, 4, "gov.execute", p) != 1)
		fail_msg("execute: %s", g->why);
}

static void test_upgrade_refused(void **state)
{
	(void)state;
	struct gnet g;
	struct upgrade_status us;
	setup(&g, NULL);
	upgrades_status(g.st, &us);
	assert_int_equal(us.binary_version, MV_PROTOCOL_VERSION);
	assert_int_equal(us.active_version, 1);
	assert_false(us.required);
	upgrade(&g, 2, 0);
	upgrades_status(g.st, &us);
	assert_true(us.required);
	assert_int_equal(us.active_version, 2);
	assert_int_equal(us.active_since, 0);
	assert_non_null(strstr(us.message, "upgrade required: protocol 2 active since epoch 0"));
	/* every later op: stored in the log, rejected with the reason */
	int64_t logged = sql_int(g.st, "SELECT count(*) FROM log_ops");
	int64_t before = bal(g.st, g.n.pk[6]);
	struct body_builder *bb = b_new();
	bb_id(bb, "to", g.n.pk[6]);
	bb_int(bb, "amount", U);
	GN_REJECT(&g, 0, "ledger.transfer", bb, "upgrade required: protocol 2 active since epoch 0");
	assert_int_equal(bal(g.st, g.n.pk[6]), before);
	bb = b_new();
	bb_str(bb, "role", "patient");
	bb_str(bb, "display_name", "late");
	bb_str(bb, "jurisdiction", "US");
	GN_REJECT(&g, 7, "user.register", bb, "upgrade required");
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM log_ops"), logged + 2);
	assert_int_equal(sql_int(g.st, "SELECT count(*) FROM op_outcome WHERE ok = 0 AND reason LIKE "
				       "'upgrade required:%'"), 2);
	gn_replay_check(&g);
	gn_free(&g);
}

static void test_upgrade_scheduled(void **state)
{
	(void)state;
	struct gnet g;
	struct upgrade_status us;
	struct mv_buf a[1];
	setup(&g, NULL);
	upgrade(&g, 2, 5);
	upgrades_status(g.st, &us);
	assert_false(us.required);
	assert_int_equal(us.active_version, 1);
	assert_int_equal(us.next_version, 2);
	assert_int_equal(us.next_epoch, 5);
	gn_fund(&g, 6, U); /* still applied: epoch 5 is not final */
	assert_int_equal(bal(g.st, g.n.pk[6]), U);
	/* a version not above the scheduled one is refused */
	ga_upgrade(&a[0], 2, 9);
	expect_why(&g, gn_propose(&g, 2, "upgrade", "again", NULL, a, 1),
		   "version 2 is not above the active or scheduled version 2");
	/* once epoch 5 is final (as the checkpoints contract records it), the
	 * version is in force from the next op on */
	char *msg = NULL;
	assert_int_equal(sqlite3_exec(store_db(g.st), "INSERT INTO checkpoint_final(epoch, digest, time)"
				      " VALUES(5, x'00', 0)", NULL, NULL, &msg), SQLITE_OK);
	upgrades_status(g.st, &us);
	assert_true(us.required);
	assert_int_equal(us.active_since, 5);
	struct body_builder *bb = b_new();
	bb_id(bb, "to", g.n.pk[6]);
	bb_int(bb, "amount", U);
	GN_REJECT(&g, 0, "ledger.transfer", bb, "upgrade required: protocol 2 active since epoch 5");
	gn_free(&g);
}

static void test_genesis_version(void **state)
{
	(void)state;
	struct gnet g;
	const struct kv v2[] = {{"protocol_version", 2}, {NULL, 0}};
	gn_init(&g, 1, v2);
	struct body_builder *bb = b_new();
	bb_id(bb, "to", g.n.pk[6]);
	bb_int(bb, "amount", U);
	GN_REJECT(&g, 0, "ledger.transfer", bb, "upgrade required: protocol 2 active since epoch 0");
	gn_free(&g);
}

/* ---- the upgrade banner ---------------------------------------------------- */

static struct upgrade_banner_facts facts(int64_t active, int64_t since, int64_t next,
					 int64_t next_epoch, int64_t final_epoch, int64_t final_time,
					 int64_t every)
{
	struct upgrade_banner_facts f;
	memset(&f, 0, sizeof f);
	f.us.binary_version = MV_PROTOCOL_VERSION;
	f.us.active_version = active;
	f.us.active_since = since;
	f.us.required = active > MV_PROTOCOL_VERSION;
	f.us.next_version = next;
	f.us.next_epoch = next_epoch;
	f.final_epoch = final_epoch;
	f.final_time = final_time;
	f.every = every;
	return f;
}

static void test_banner_text(void **state)
{
	(void)state;
	char b[256];
	const int64_t now = 1000 * DAY, M = 60000;
	/* nothing scheduled: no banner, in every form */
	struct upgrade_banner_facts f = facts(1, 0, 0, 0, 4, now - M, 10 * M);
	for (int terse = 0; terse < 3; terse++) {
		assert_false(upgrade_banner_text(&f, now, terse, b, sizeof b));
		assert_string_equal(b, "");
	}
	/* a version this program implements (the genesis one) is no news */
	f = facts(1, 0, 1, 9, 4, now - M, 10 * M);
	assert_false(upgrade_banner_text(&f, now, 0, b, sizeof b));
	/* scheduled: epoch 7, the network at epoch 4 closed a minute ago, one
	 * epoch per 10 min: 3 epochs less the minute gone = ~29 min */
	f = facts(1, 0, 2, 7, 4, now - M, 10 * M);
	assert_int_equal(upgrade_banner_eta(&f), now - M + 30 * M);
	assert_true(upgrade_banner_text(&f, now, 0, b, sizeof b));
	assert_string_equal(b, "Protocol v2 activates at epoch 7 (in ~29 min); this program implements "
			       "v1: upgrade it before then");
	assert_true(upgrade_banner_text(&f, now, 1, b, sizeof b));
	assert_string_equal(b, "Protocol v2 activates at epoch 7 (in ~29 min): upgrade this program (v1)");
	assert_true(upgrade_banner_text(&f, now, 2, b, sizeof b));
	assert_string_equal(b, "Protocol v2 at epoch 7 (in ~29 min)");
	/* days away */
	f = facts(1, 0, 3, 300, 0, now, DAY);
	assert_true(upgrade_banner_text(&f, now, 2, b, sizeof b));
	assert_string_equal(b, "Protocol v3 at epoch 300 (in ~300 d)");
	/* the estimate has passed (no checkpoints for a while): no countdown */
	f = facts(1, 0, 2, 5, 2, now - DAY, 10 * M);
	assert_true(upgrade_banner_text(&f, now, 0, b, sizeof b));
	assert_string_equal(b, "Protocol v2 activates once checkpoint epoch 5 is final (now at epoch 2); "
			       "this program implements v1: upgrade it before then");
	assert_true(upgrade_banner_text(&f, now, 2, b, sizeof b));
	assert_string_equal(b, "Protocol v2 at epoch 5 (now 2)");
	/* no interval or no time known: no estimate either */
	f = facts(1, 0, 2, 5, 2, now - M, 0);
	assert_int_equal(upgrade_banner_eta(&f), 0);
	f = facts(1, 0, 2, 5, 2, 0, 10 * M);
	assert_int_equal(upgrade_banner_eta(&f), 0);
	/* an absurd epoch does not overflow the estimate */
	f = facts(1, 0, 2, INT64_MAX, 1, now, DAY);
	assert_int_equal(upgrade_banner_eta(&f), 0);
	/* required wins over a later scheduled version */
	f = facts(2, 3, 3, 9, 3, now - M, 10 * M);
	assert_true(upgrade_banner_text(&f, now, 0, b, sizeof b));
	assert_string_equal(b, "Upgrade required: protocol v2 in force since epoch 3; this program (v1) "
			       "stores ops but stops applying them");
	assert_true(upgrade_banner_text(&f, now, 1, b, sizeof b));
	assert_string_equal(b, "Upgrade required: v2 in force since epoch 3; ops stored but not applied");
	assert_true(upgrade_banner_text(&f, now, 2, b, sizeof b));
	assert_string_equal(b, "Upgrade required: protocol v2 (epoch 3)");
	/* every form fits 80 columns less the margins at the longest numbers
	 * of a real network; the shortest fits 50 (the smallest terminal) */
	f = facts(1, 0, 12, 99999, 99990, now - M, 10 * M);
	assert_true(upgrade_banner_text(&f, now, 1, b, sizeof b));
	assert_true(strlen(b) <= 78);
	assert_true(upgrade_banner_text(&f, now, 2, b, sizeof b));
	assert_true(strlen(b) <= 48);
	f = facts(12, 99999, 0, 0, 99999, now - M, 10 * M);
	assert_true(upgrade_banner_text(&f, now, 0, b, sizeof b));
	assert_true(strlen(b) <= 118); /* 120 columns */
	assert_true(upgrade_banner_text(&f, now, 1, b, sizeof b));
	assert_true(strlen(b) <= 78);
	assert_true(upgrade_banner_text(&f, now, 2, b, sizeof b));
	assert_true(strlen(b) <= 48);
	/* a short buffer is cut, never overrun */
	char tiny[8];
	assert_true(upgrade_banner_text(&f, now, 0, tiny, sizeof tiny));
	assert_int_equal(strlen(tiny), 7);
	char about[16];
	upgrade_banner_fmt_about(about, sizeof about, 10);
	assert_string_equal(about, "~1 min");
	upgrade_banner_fmt_about(about, sizeof about, 90 * M);
	assert_string_equal(about, "~2 h");
	upgrade_banner_fmt_about(about, sizeof about, 36 * 60 * M);
	assert_string_equal(about, "~2 d");
}

/* The facts come from contract state: the schedule, the last final epoch
 * and its time (the genesis time before any checkpoint), the interval. */
static void test_banner_facts(void **state)
{
	(void)state;
	struct gnet g;
	struct upgrade_banner_facts f;
	char b[256];
	const struct kv every[] = {{"checkpoint_every", HOUR}, {NULL, 0}};
	setup(&g, every);
	query_upgrade_banner_facts(g.st, &f);
	assert_int_equal(f.final_epoch, 0);
	assert_int_equal(f.final_time, T0);
	assert_int_equal(f.every, HOUR);
	assert_false(upgrade_banner_text(&f, g.t, 0, b, sizeof b));
	upgrade(&g, 2, 5);
	query_upgrade_banner_facts(g.st, &f);
	assert_int_equal(f.us.next_version, 2);
	assert_int_equal(f.us.next_epoch, 5);
	assert_int_equal(upgrade_banner_eta(&f), T0 + 5 * HOUR);
	/* epoch 3 final: the estimate counts from it */
	int64_t t3 = g.t - 30 * 60000;
	char sql[160], *msg = NULL;
	snprintf(sql, sizeof sql, "INSERT INTO checkpoint_final(epoch, digest, time) VALUES(3, x'00', %lld)",
		 (long long)t3);
	assert_int_equal(sqlite3_exec(store_db(g.st), sql, NULL, NULL, &msg), SQLITE_OK);
	query_upgrade_banner_facts(g.st, &f);
	assert_int_equal(f.final_epoch, 3);
	assert_int_equal(f.final_time, t3);
	assert_int_equal(upgrade_banner_eta(&f), t3 + 2 * HOUR);
	assert_true(upgrade_banner_text(&f, g.t, 2, b, sizeof b));
	assert_string_equal(b, "Protocol v2 at epoch 5 (in ~2 h)");
	/* epoch 5 final: required */
	assert_int_equal(sqlite3_exec(store_db(g.st), "INSERT INTO checkpoint_final(epoch, digest, time)"
				      " VALUES(5, x'00', 0)", NULL, NULL, &msg), SQLITE_OK);
	query_upgrade_banner_facts(g.st, &f);
	assert_true(upgrade_banner_text(&f, g.t, 2, b, sizeof b));
	assert_string_equal(b, "Upgrade required: protocol v2 (epoch 5)");
	gn_free(&g);
}

/* ---- store migration from the v1 fixture ---------------------------------- */

/* The fixtures: stores written by earlier schemas, oldest first. Each is
 * opened by the current code and must lose nothing. */
struct fixture {
	const char *file;     /* under tests/fixtures */
	int user_version;     /* the core schema it was written with */
};
static const struct fixture fixtures[] = {
	{"store_v1.db", 3}, /* commit db676c4: before the governance family */
	{"store_v2.db", 4}, /* commit 8eb5005: before the companion and group messages */
};

static const char *fixture_path(const char *file)
{
	static char path[256];
	static const char *const dirs[] = {"tests/fixtures", "../tests/fixtures",
					   "../../tests/fixtures", NULL};
	for (const char *const *d = dirs; *d; d++) {
		snprintf(path, sizeof path, "%s/%s", *d, file);
		if (access(path, R_OK) == 0)
			return path;
	}
	fail_msg("tests/fixtures/%s not found (run from the repository root)", file);
	return NULL;
}

static void copy_file(const char *from, const char *to)
{
	uint8_t *data;
	size_t n;
	struct mv_err e;
	assert_int_equal(mv_read_file(from, 64 << 20, &data, &n, &e), MV_OK);
	assert_int_equal(mv_write_file_atomic(to, data, n, 0600, &e), MV_OK);
	free(data);
}

struct table_digest {
	char name[64];
	char cols[1024]; /* the columns digested, "a","b" */
	int64_t rows;
	uint8_t digest[32];
};

static void digest_rows(sqlite3 *db, struct table_digest *d)
{
	char sql[1200];
	sqlite3_stmt *r;
	crypto_generichash_state h;
	snprintf(sql, sizeof sql, "SELECT %s FROM \"%s\" ORDER BY rowid", d->cols, d->name);
	if (sqlite3_prepare_v2(db, sql, -1, &r, NULL) != SQLITE_OK)
		fail_msg("table %s: %s", d->name, sqlite3_errmsg(db));
	crypto_generichash_init(&h, NULL, 0, 32);
	d->rows = 0;
	while (sqlite3_step(r) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(r); c++) {
			uint8_t type = (uint8_t)sqlite3_column_type(r, c);
			const void *p = sqlite3_column_blob(r, c);
			int len = sqlite3_column_bytes(r, c);
			crypto_generichash_update(&h, &type, 1);
			crypto_generichash_update(&h, (const uint8_t *)&len, sizeof len);
			if (len)
				crypto_generichash_update(&h, p, (size_t)len);
		}
		d->rows++;
	}
	sqlite3_finalize(r);
	crypto_generichash_final(&h, d->digest, 32);
}

/* Every table's row count and a digest of its rows (typed values, in
 * rowid order) over all its columns. */
static size_t digest_tables(sqlite3 *db, struct table_digest *out, size_t max)
{
	sqlite3_stmt *t, *c;
	size_t n = 0;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'"
					    " AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &t, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?)", -1, &c,
					    NULL), SQLITE_OK);
	while (sqlite3_step(t) == SQLITE_ROW && n < max) {
		struct table_digest *d = &out[n++];
		size_t used = 0;
		snprintf(d->name, sizeof d->name, "%s", (const char *)sqlite3_column_text(t, 0));
		d->cols[0] = '\0';
		sqlite3_bind_text(c, 1, d->name, -1, SQLITE_STATIC);
		while (sqlite3_step(c) == SQLITE_ROW && used < sizeof d->cols)
			used += (size_t)snprintf(d->cols + used, sizeof d->cols - used, "%s\"%s\"",
						 used ? "," : "", (const char *)sqlite3_column_text(c, 0));
		sqlite3_reset(c);
		digest_rows(db, d);
	}
	sqlite3_finalize(c);
	sqlite3_finalize(t);
	return n;
}

static void migrate_fixture(const struct fixture *fx)
{
	char dir[] = "/tmp/mv_test_migrate_XXXXXX", raw[128], mig[128];
	static struct table_digest before[160], after[200];
	struct mv_err e;
	assert_non_null(mkdtemp(dir));
	snprintf(raw, sizeof raw, "%s/raw.db", dir);
	snprintf(mig, sizeof mig, "%s/mentalverse.db", dir);
	copy_file(fixture_path(fx->file), raw);
	copy_file(fixture_path(fx->file), mig);
	/* the fixture as written, read without this program's migrations */
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(raw, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	size_t nb = digest_tables(db, before, 160);
	sqlite3_stmt *v;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &v, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(v), SQLITE_ROW);
	int old_version = sqlite3_column_int(v, 0);
	sqlite3_finalize(v);
	sqlite3_close(db);
	assert_true(nb > 40);
	assert_int_equal(old_version, fx->user_version);
	/* open with the current code: migrates forward */
	struct store *st;
	if (store_open(&st, mig, &e) != MV_OK)
		fail_msg("open fixture: %s", e.msg);
	size_t na = digest_tables(store_db(st), after, 200);
	assert_true(na > nb);
	/* compare the columns the fixture had (a migration may add columns) */
	for (size_t k = 0; k < na; k++)
		for (size_t i = 0; i < nb; i++)
			if (strcmp(after[k].name, before[i].name) == 0) {
				memcpy(after[k].cols, before[i].cols, sizeof after[k].cols);
				digest_rows(store_db(st), &after[k]);
			}
	for (size_t i = 0; i < nb; i++) {
		const struct table_digest *a = NULL;
		for (size_t k = 0; k < na && !a; k++)
			if (strcmp(after[k].name, before[i].name) == 0)
				a = &after[k];
		if (!a)
			fail_msg("table %s lost in migration", before[i].name);
		if (strcmp(a->name, "local_schema") == 0)
			continue; /* gains rows for the new contracts, checked below */
		if (a->rows != before[i].rows || memcmp(a->digest, before[i].digest, 32) != 0)
			fail_msg("table %s changed in migration (%lld rows, %lld before)", a->name,
				 (long long)a->rows, (long long)before[i].rows);
	}
	assert_int_equal(sql_int(st, "SELECT count(*) FROM local_schema WHERE contract IN ('groups',"
				     " 'governance', 'upgrades', 'compliance', 'bots')"), 5);
	assert_true(sql_int(st, "SELECT count(*) FROM log_ops") > 50);
	/* at the current schema: the newest core table and contract column exist */
	assert_true(sql_int(st, "PRAGMA user_version") > fx->user_version);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
				     " AND name = 'local_companion'"), 1);
	/* every op still decodes and verifies */
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT raw FROM log_ops ORDER BY rowid", -1,
					    &s, NULL), SQLITE_OK);
	int ops = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct op op;
		assert_int_equal(op_decode(&op, sqlite3_column_blob(s, 0),
					   (size_t)sqlite3_column_bytes(s, 0), &e), MV_OK);
		assert_int_equal(op_verify(&op, &e), MV_OK);
		op_free(&op);
		ops++;
	}
	sqlite3_finalize(s);
	assert_true(ops > 50);
	/* undoing and replaying the whole log with the current contracts gives
	 * the state the migrated store holds */
	uint8_t root1[32], root2[32];
	assert_int_equal(store_state_root(st, root1, &e), MV_OK);
	assert_int_equal(store_begin(st, &e), MV_OK);
	assert_int_equal(engine_undo_all(st, &e), MV_OK);
	if (engine_run(st, NULL, NULL, NULL, &e) != MV_OK)
		fail_msg("replay: %s", e.msg);
	assert_int_equal(store_commit(st, &e), MV_OK);
	assert_int_equal(store_state_root(st, root2, &e), MV_OK);
	assert_memory_equal(root1, root2, 32);
	/* opening again changes nothing */
	store_close(st);
	assert_int_equal(store_open(&st, mig, &e), MV_OK);
	assert_int_equal(store_state_root(st, root2, &e), MV_OK);
	assert_memory_equal(root1, root2, 32);
	store_close(st);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_store_migration(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++)
		migrate_fixture(&fixtures[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upgrade_refused),
		cmocka_unit_test(test_upgrade_scheduled),
		cmocka_unit_test(test_genesis_version),
		cmocka_unit_test(test_banner_text),
		cmocka_unit_test(test_banner_facts),
		cmocka_unit_test(test_store_migration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
