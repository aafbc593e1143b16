/* test_companion.c - the companion's core (companion.c, crisis.c):
 * entries encrypted at rest (the raw table holds no plaintext; a wrong key,
 * an altered box or a row moved in time fails to open), validation of
 * scores, tags and thought records, deletion, chart aggregation (daily
 * means, columns, stats), the share format (round trip and every
 * rejection), and crisis-word detection: phrases, case, UTF-8, apostrophes,
 * exceptions and prefixes, invalid bytes, lengths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/companion.h"
#include "core/crisis.h"

#define DAY COMPANION_DAY_MS
#define NOW_MS (INT64_C(1790000000000) / DAY * DAY + 15 * INT64_C(3600000)) /* 15:00 UTC */

struct keys {
	uint8_t pk[32], sk[64], key[32];
};

static void keys_new(struct keys *k)
{
	crypto_sign_keypair(k->pk, k->sk);
	companion_key_derive(k->sk, k->key);
}

static struct store *mem_store(void)
{
	struct store *st = NULL;
	struct mv_err e;
	assert_int_equal(store_open_memory(&st, &e), MV_OK);
	return st;
}

/* Does any column of any row of local_companion contain needle? */
static bool raw_contains(struct store *st, const char *needle)
{
	sqlite3_stmt *s;
	bool found = false;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT owner, kind, time, box FROM local_companion",
					    -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		for (int c = 0; c < 4; c++) {
			const void *p = sqlite3_column_blob(s, c);
			int n = sqlite3_column_bytes(s, c);
			if (p && memmem(p, (size_t)n, needle, strlen(needle)))
				found = true;
		}
	sqlite3_finalize(s);
	return found;
}

struct got {
	struct companion_checkin c[16];
	struct companion_thought t;
	size_t n, nt;
};

static int got_checkin(void *ud, const struct companion_checkin *c)
{
	struct got *g = ud;
	if (g->n < 16)
		g->c[g->n] = *c;
	g->n++;
	return 0;
}

static int got_thought(void *ud, const struct companion_thought *t)
{
	struct got *g = ud;
	g->t = *t;
	g->nt++;
	return 0;
}

static void fill_thought(struct companion_thought *t)
{
	memset(t, 0, sizeof *t);
	snprintf(t->situation, sizeof t->situation, "Presentation at work, boss frowned");
	snprintf(t->thought, sizeof t->thought, "They think I am incompetent");
	snprintf(t->emotion, sizeof t->emotion, "anxious");
	t->intensity = 80;
	snprintf(t->evidence_for, sizeof t->evidence_for, "She frowned\ttwice");
	snprintf(t->evidence_against, sizeof t->evidence_against, "She asked follow-up questions\nand thanked me");
	snprintf(t->balanced, sizeof t->balanced, "Frowning may mean concentration \\ not judgement");
	t->rerated = 40;
}

static void test_encrypted_at_rest(void **state)
{
	(void)state;
	struct keys k;
	struct mv_err e;
	struct got g;
	struct companion_thought t;
	int64_t id1 = 0, id2 = 0;
	keys_new(&k);
	struct store *st = mem_store();
	assert_int_equal(companion_add_checkin(st, k.pk, k.key, NOW_MS - DAY, 7, " Sleep, WORK ,sleep,,",
					       "felt calm after the walk", &id1, &e), MV_OK);
	fill_thought(&t);
	assert_int_equal(companion_add_thought(st, k.pk, k.key, NOW_MS, &t, &id2, &e), MV_OK);
	assert_true(id1 > 0 && id2 > id1);
	/* nothing readable in any column */
	const char *secrets[] = {"calm", "walk", "sleep", "work", "incompetent", "anxious", "frowned",
				 "Presentation", "concentration"};
	for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++)
		assert_false(raw_contains(st, secrets[i]));
	/* the owner reads them back */
	memset(&g, 0, sizeof g);
	assert_int_equal(companion_checkins(st, k.pk, k.key, 0, got_checkin, &g, &e), MV_OK);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.c[0].id, id1);
	assert_int_equal(g.c[0].time, NOW_MS - DAY);
	assert_int_equal(g.c[0].score, 7);
	assert_string_equal(g.c[0].tags, "sleep,work");
	assert_string_equal(g.c[0].note, "felt calm after the walk");
	assert_int_equal(companion_thoughts(st, k.pk, k.key, 0, got_thought, &g, &e), MV_OK);
	assert_int_equal(g.nt, 1);
	assert_string_equal(g.t.situation, t.situation);
	assert_string_equal(g.t.evidence_for, t.evidence_for);       /* tab kept */
	assert_string_equal(g.t.evidence_against, t.evidence_against); /* newline kept */
	assert_string_equal(g.t.balanced, t.balanced);               /* backslash kept */
	assert_int_equal(g.t.intensity, 80);
	assert_int_equal(g.t.rerated, 40);
	/* since filters by time */
	memset(&g, 0, sizeof g);
	assert_int_equal(companion_checkins(st, k.pk, k.key, NOW_MS - DAY + 1, got_checkin, &g, &e), MV_OK);
	assert_int_equal(g.n, 0);
	store_close(st);
}

/* Flip one bit of byte at of the first row's box. */
static void flip_bit(sqlite3 *db, int at)
{
	sqlite3_stmt *s;
	uint8_t box[4096];
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, box FROM local_companion", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t id = sqlite3_column_int64(s, 0);
	int n = sqlite3_column_bytes(s, 1);
	assert_true(n > at && n <= (int)sizeof box);
	memcpy(box, sqlite3_column_blob(s, 1), (size_t)n);
	sqlite3_finalize(s);
	box[at] ^= 1;
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE local_companion SET box = ? WHERE id = ?", -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_blob(s, 1, box, n, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, id);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
}

static void test_wrong_key_and_tampering(void **state)
{
	(void)state;
	struct keys a, b;
	struct mv_err e;
	struct got g;
	keys_new(&a);
	keys_new(&b);
	struct store *st = mem_store();
	assert_int_equal(companion_add_checkin(st, a.pk, a.key, NOW_MS, 4, "", "", NULL, &e), MV_OK);
	/* another identity's key does not open a's rows */
	memset(&g, 0, sizeof g);
	assert_int_equal(companion_checkins(st, a.pk, b.key, 0, got_checkin, &g, &e), MV_ECRYPTO);
	assert_int_equal(g.n, 0);
	/* b has no rows at all: owners are kept apart */
	assert_int_equal(companion_checkins(st, b.pk, b.key, 0, got_checkin, &g, &e), MV_OK);
	assert_int_equal(g.n, 0);
	/* a row moved to another owner, kind or time no longer opens */
	sqlite3 *db = store_db(st);
	assert_int_equal(sqlite3_exec(db, "UPDATE local_companion SET time = time + 1", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(companion_checkins(st, a.pk, a.key, 0, got_checkin, &g, &e), MV_ECRYPTO);
	assert_int_equal(sqlite3_exec(db, "UPDATE local_companion SET time = time - 1", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(companion_checkins(st, a.pk, a.key, 0, got_checkin, &g, &e), MV_OK);
	assert_int_equal(g.n, 1);
	assert_int_equal(sqlite3_exec(db, "UPDATE local_companion SET kind = 2", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(companion_thoughts(st, a.pk, a.key, 0, got_thought, &g, &e), MV_ECRYPTO);
	assert_int_equal(sqlite3_exec(db, "UPDATE local_companion SET kind = 1", NULL, NULL, NULL), SQLITE_OK);
	/* one flipped bit of the box */
	flip_bit(db, 30);
	assert_int_equal(companion_checkins(st, a.pk, a.key, 0, got_checkin, &g, &e), MV_ECRYPTO);
	store_close(st);
}

static void test_validation_and_delete(void **state)
{
	(void)state;
	struct keys k;
	struct mv_err e;
	struct got g;
	struct companion_thought t;
	char long_note[COMPANION_TEXT_MAX + 2], tags[COMPANION_TAGS_LEN + 1];
	int64_t id = 0;
	keys_new(&k);
	struct store *st = mem_store();
	assert_int_equal(companion_add_checkin(st, k.pk, k.key, NOW_MS, 0, "", "", NULL, &e), MV_EINVAL);
	assert_non_null(strstr(e.msg, "1 to 10"));
	assert_int_equal(companion_add_checkin(st, k.pk, k.key, NOW_MS, 11, "", "", NULL, &e), MV_EINVAL);
	memset(long_note, 'x', sizeof long_note - 1);
	long_note[sizeof long_note - 1] = '\0';
	assert_int_equal(companion_add_checkin(st, k.pk, k.key, NOW_MS, 5, "", long_note, NULL, &e), MV_EINVAL);
	assert_int_equal(companion_add_checkin(st, k.pk, k.key, NOW_MS, 5, "", "bad \xff byte", NULL, &e),
			 MV_EINVAL);
	assert_int_equal(companion_add_checkin(st, k.pk, k.key, NOW_MS, 5, "a,b,c,d,e,f,g,h,i", "", NULL, &e),
			 MV_EINVAL);
	assert_int_equal(companion_add_checkin(st, k.pk, k.key, NOW_MS, 5,
					       "abcdefghijabcdefghijabcdefghijabc", "", NULL, &e), MV_EINVAL);
	assert_int_equal(companion_tags_normalise("Ünïcode, ÄRGER, a,A ,b", tags, &e), MV_OK);
	assert_string_equal(tags, "Ünïcode,Ärger,a,b"); /* ASCII letters lowered only */
	fill_thought(&t);
	t.situation[0] = '\0';
	assert_int_equal(companion_add_thought(st, k.pk, k.key, NOW_MS, &t, NULL, &e), MV_EINVAL);
	assert_non_null(strstr(e.msg, "situation"));
	fill_thought(&t);
	t.rerated = 101;
	assert_int_equal(companion_add_thought(st, k.pk, k.key, NOW_MS, &t, NULL, &e), MV_EINVAL);
	memset(&g, 0, sizeof g);
	assert_int_equal(companion_checkins(st, k.pk, k.key, 0, got_checkin, &g, &e), MV_OK);
	assert_int_equal(g.n, 0); /* nothing refused was stored */
	/* delete: only one's own */
	struct keys other;
	keys_new(&other);
	assert_int_equal(companion_add_checkin(st, k.pk, k.key, NOW_MS, 5, "", "", &id, &e), MV_OK);
	assert_int_equal(companion_delete(st, other.pk, id, &e), MV_ENOTFOUND);
	assert_int_equal(companion_delete(st, k.pk, id, &e), MV_OK);
	assert_int_equal(companion_delete(st, k.pk, id, &e), MV_ENOTFOUND);
	store_close(st);
}

static void test_chart(void **state)
{
	(void)state;
	struct companion_checkin v[6];
	int daily[90], cols[90];
	struct companion_stats s;
	memset(v, 0, sizeof v);
	/* today 7 and 8 (mean 7.5), yesterday 3, 29 days ago 10, 30 days ago 1
	 * (outside a 30-day window), and one tomorrow (outside) */
	const int64_t at[] = {NOW_MS, NOW_MS - 3600000, NOW_MS - DAY, NOW_MS - 29 * DAY, NOW_MS - 30 * DAY,
			      NOW_MS + DAY};
	const int score[] = {7, 8, 3, 10, 1, 9};
	for (int i = 0; i < 6; i++) {
		v[i].time = at[i];
		v[i].score = score[i];
	}
	assert_int_equal(companion_daily(v, 6, NOW_MS, 30, daily), 3);
	assert_int_equal(daily[29], 75);
	assert_int_equal(daily[28], 30);
	assert_int_equal(daily[0], 100);
	for (int d = 1; d < 28; d++)
		assert_int_equal(daily[d], 0);
	/* rounding half up: 7, 8, 8 -> 7.67 -> 77 */
	v[2].time = NOW_MS - 7200000;
	v[2].score = 8;
	assert_int_equal(companion_daily(v, 3, NOW_MS, 1, daily), 1);
	assert_int_equal(daily[0], 77);
	/* columns: fewer days than columns is one column a day */
	int days[6] = {10, 0, 30, 0, 0, 100};
	assert_int_equal(companion_columns(days, 6, 40, cols), 6);
	assert_memory_equal(cols, days, sizeof days);
	/* 6 days into 3 columns: means of the days with data, 0 if none */
	assert_int_equal(companion_columns(days, 6, 3, cols), 3);
	assert_int_equal(cols[0], 10);
	assert_int_equal(cols[1], 30);
	assert_int_equal(cols[2], 100);
	int sparse[4] = {0, 0, 0, 55};
	assert_int_equal(companion_columns(sparse, 4, 2, cols), 2);
	assert_int_equal(cols[0], 0);
	assert_int_equal(cols[1], 55);
	/* 90 days into 60 columns covers every day once */
	for (int d = 0; d < 90; d++)
		daily[d] = 50;
	assert_int_equal(companion_columns(daily, 90, 60, cols), 60);
	for (int c = 0; c < 60; c++)
		assert_int_equal(cols[c], 50);
	companion_stats(v, 2, &s);
	assert_int_equal(s.count, 2);
	assert_int_equal(s.mean, 75);
	assert_int_equal(s.low, 7);
	assert_int_equal(s.high, 8);
	companion_stats(v, 0, &s);
	assert_int_equal(s.count, 0);
	assert_int_equal(s.mean, 0);
}

static void test_share_format(void **state)
{
	(void)state;
	struct companion_checkin v[2];
	struct mv_buf b;
	struct mv_err e;
	struct got g;
	memset(v, 0, sizeof v);
	v[0].time = NOW_MS;
	v[0].score = 6;
	snprintf(v[0].tags, sizeof v[0].tags, "work,sleep");
	snprintf(v[0].note, sizeof v[0].note, "tab\there\nnew line \\ backslash");
	v[1].time = NOW_MS + 1;
	v[1].score = 10;
	assert_int_equal(companion_share_encode(v, 2, &b, &e), MV_OK);
	memset(&g, 0, sizeof g);
	assert_int_equal(companion_share_decode(b.data, b.len, got_checkin, &g, &e), MV_OK);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.c[0].time, NOW_MS);
	assert_int_equal(g.c[0].score, 6);
	assert_string_equal(g.c[0].tags, "work,sleep");
	assert_string_equal(g.c[0].note, v[0].note);
	assert_int_equal(g.c[1].score, 10);
	assert_string_equal(g.c[1].note, "");
	mv_buf_free(&b);
	/* every rejection */
	static const char *const bad[] = {
		"",                                      /* no header */
		"mv-checkins 2\n",                       /* unknown version */
		"mv-checkins 1\n1\t5\t\tno newline",     /* last line unterminated */
		"mv-checkins 1\n1\t11\t\t\n",            /* score out of range */
		"mv-checkins 1\n1\t0\t\t\n",
		"mv-checkins 1\n-1\t5\t\t\n",            /* negative time */
		"mv-checkins 1\n1\t5\t\n",               /* a field short */
		"mv-checkins 1\n1\t5\t\t\textra\n",      /* a field more */
		"mv-checkins 1\n1\t5\t\tbad \\q escape\n",
		"mv-checkins 1\n1\t5\t\tends in \\\n",
		"mv-checkins 1\n1\t5\t\tcontrol \x01 char\n",
		"mv-checkins 1\n1\t5\t\tbad \xc3 utf8\n",
		"mv-checkins 1\n1\t5\ta,b,c,d,e,f,g,h,i\t\n", /* 9 tags */
		"mv-checkins 1\nx\t5\t\t\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(&g, 0, sizeof g);
		assert_int_equal(companion_share_decode((const uint8_t *)bad[i], strlen(bad[i]), got_checkin, &g,
							&e), MV_EINVAL);
	}
	/* more than COMPANION_SHARE_MAX lines */
	struct mv_buf big = {0};
	mv_buf_append(&big, "mv-checkins 1\n", 14);
	for (int i = 0; i <= COMPANION_SHARE_MAX; i++)
		mv_buf_append(&big, "1\t5\t\t\n", 6);
	memset(&g, 0, sizeof g);
	assert_int_equal(companion_share_decode(big.data, big.len, got_checkin, &g, &e), MV_EINVAL);
	assert_non_null(strstr(e.msg, "more than"));
	mv_buf_free(&big);
	/* encode refuses invalid check-ins and too many */
	v[1].score = 0;
	assert_int_equal(companion_share_encode(v, 2, &b, &e), MV_EINVAL);
	assert_int_equal(companion_share_encode(v, COMPANION_SHARE_MAX + 1, &b, &e), MV_EINVAL);
}

static bool det(const char *s)
{
	return crisis_detect(s, strlen(s), NULL, 0);
}

static void test_crisis_words(void **state)
{
	(void)state;
	char m[64];
	static const char *const yes[] = {
		"I want to kill myself",
		"i want to KILL MYSELF!!!",
		"kill...myself",
		"I'm suicidal",
		"I’m feeling SUICIDAL tonight",          /* curly apostrophe, upper case */
		"thinking about suicide again",
		"I keep thinking about ending my life.",
		"i just want to end it all",
		"I can't go on",
		"I cant go on like this",
		"sometimes I self-harm",
		"everyone would be better off without me",
		"I don’t want to be here anymore",
		"Quiero morir",
		"ICH WILL STERBEN",
		"je veux mourir",
		"Je vais METTRE FIN À MES JOURS",         /* Latin-1 upper case folded */
		"mettre fin a mes jours",
		"ХОЧУ УМЕРЕТЬ",                           /* Cyrillic upper case folded */
		"🙂 fine 🙂 but I want to die",
		"\xff\xfekill myself",                    /* invalid bytes separate words */
		"kill\xc3myself",                         /* a truncated sequence, too */
	};
	static const char *const no[] = {
		"",
		"I need to kill time before the session",
		"this traffic is killing me",
		"I'd kill myself laughing at that film",
		"I'm not suicidal, just tired",
		"I don't want to die, I want things to change",
		"dead tired after work",
		"the killer app of the year",
		"I cut myself shaving",
		"no quiero morir",
		"skill myself up",
		"ki\xffll myself",                        /* a bad byte inside the word */
		"overdue bills",
	};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (!det(yes[i]))
			fail_msg("not detected: %s", yes[i]);
	}
	for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
		if (det(no[i]))
			fail_msg("false alarm: %s", no[i]);
	}
	assert_true(crisis_detect("I want to kill myself", 21, m, sizeof m));
	assert_string_equal(m, "kill myself");
	/* the length is respected: no NUL needed, nothing read past it */
	assert_false(crisis_detect("I want to kill myself", 15, m, sizeof m));
	assert_string_equal(m, "");
	/* a list of one's own: prefixes and exceptions */
	const char *list = "# test\nfoo*\nbar baz\n- not foo*\n- bar baz qux\n";
	assert_true(crisis_detect_with(list, "a foolish idea", 14, m, sizeof m));
	assert_string_equal(m, "foo*");
	assert_false(crisis_detect_with(list, "not foolish", 11, NULL, 0));
	assert_true(crisis_detect_with(list, "not foolish but foo", 19, NULL, 0));
	assert_true(crisis_detect_with(list, "BAR, baz!", 9, NULL, 0));
	assert_false(crisis_detect_with(list, "bar baz qux", 11, NULL, 0));
	assert_false(crisis_detect_with(list, "barbaz", 6, NULL, 0));
	assert_false(crisis_detect_with("", "anything", 8, NULL, 0));
	/* the built-in list is the asset */
	assert_non_null(strstr(crisis_word_list(), "kill myself"));
}

static void test_crisis_resources(void **state)
{
	(void)state;
	char src[256];
	char *t = crisis_resources(src, sizeof src);
	assert_non_null(t);
	assert_non_null(strstr(t, "988"));
	assert_non_null(strstr(t, "not an emergency service"));
	assert_true(src[0] != '\0');
	free(t);
	/* an unreadable data directory falls through to the others or the built-in copy */
	setenv("MV_DATADIR", "/nonexistent-mv", 1);
	t = crisis_resources(src, sizeof src);
	assert_non_null(t);
	assert_non_null(strstr(t, "116 123"));
	free(t);
	unsetenv("MV_DATADIR");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encrypted_at_rest),
		cmocka_unit_test(test_wrong_key_and_tampering),
		cmocka_unit_test(test_validation_and_delete),
		cmocka_unit_test(test_chart),
		cmocka_unit_test(test_share_format),
		cmocka_unit_test(test_crisis_words),
		cmocka_unit_test(test_crisis_resources),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
