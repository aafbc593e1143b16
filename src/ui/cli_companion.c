/* cli_companion.c - `mentalverse companion ...` (see cli_companion.h).
 * Entries are read and written through core/companion.h with the key
 * home_companion_key derives once per run; shares go through
 * core/home_companion.h. Times are UTC, like the chart's days. Text for
 * people, or with --json one JSON document. */
#include "ui/cli_companion.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/crisis.h"
#include "core/home_companion.h"
#include "core/home_people.h"

#define CP_DAYS_DEFAULT 30
#define CP_DAYS_MAX 365
#define CP_CHART_COLS 60
#define CP_NOT_CLINICIAN "The companion is not a clinician and cannot help in an emergency. " \
	"In danger now? Call your local emergency number; `mentalverse companion crisis` lists lines."

const struct cli_opt cli_companion_opts[] = {
	{"--tags", "A,B", "checkin: tags, comma-separated (at most 8)"},
	{"--note", "TEXT", "checkin: a note (encrypted on this device)"},
	{"--days", "N", "history, share: the last N days (default 30)"},
	{"--situation", "S", "thought: what happened"},
	{"--thought", "T", "thought: the automatic thought"},
	{"--emotion", "E", "thought: the emotion it brought"},
	{"--intensity", "N", "thought: how strong, 0-100"},
	{"--for", "F", "thought: evidence for the thought"},
	{"--against", "A", "thought: evidence against it"},
	{"--balanced", "B", "thought: a balanced thought"},
	{"--rerated", "N", "thought: the emotion re-rated, 0-100 (default: as before)"},
	{NULL, NULL, NULL},
};

/* ---- helpers ----------------------------------------------------------- */

/* A whole number in [lo, hi] from text, or -1. */
static long cp_number(const char *s, long lo, long hi)
{
	char *end;
	if (!s || !*s)
		return -1;
	long v = strtol(s, &end, 10);
	return *end || v < lo || v > hi ? -1 : v;
}

/* "2026-11-30 09:12" (UTC). */
static void cp_time(char *out, size_t outlen, int64_t ms)
{
	char iso[40];
	mv_time_format_utc(iso, sizeof iso, ms);
	snprintf(out, outlen, "%.10s %.5s", iso, iso + 11);
}

static void cp_day(char *out, size_t outlen, int64_t ms)
{
	char iso[40];
	mv_time_format_utc(iso, sizeof iso, ms);
	snprintf(out, outlen, "%.10s", iso);
}

/* The crisis resources text for a terminal: its "# " (heading) and "! "
 * (alert) marks, meant for the TUI's document widget, become plain lines. */
static void cp_resources_print(const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");
		bool mark = n >= 2 && (text[0] == '#' || text[0] == '!') && text[1] == ' ';
		printf("%.*s\n", (int)(mark ? n - 2 : n), text + (mark ? 2 : 0));
		text += n + (text[n] == '\n');
	}
}

/* The crisis resources after text that holds crisis words. */
static void cp_crisis_print(void)
{
	char *text = crisis_resources(NULL, 0);
	printf("\nWhat you wrote sounds like you may be going through something very hard.\n"
	       "You do not have to face it alone. What you wrote was saved as you asked.\n"
	       "The companion is not a clinician: please reach a person now.\n\n");
	cp_resources_print(text ? text : "Call your local emergency number.\n");
	free(text);
}

static bool cp_crisis_in(const char *const *texts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (texts[i] && crisis_detect(texts[i], strlen(texts[i]), NULL, 0))
			return true;
	return false;
}

/* Open the home and derive the key of the acting identity. */
struct cp_ctx {
	struct cli *c;
	uint8_t owner[32];
	uint8_t *key;  /* sodium_malloc'd */
};

static int cp_open(struct cli *c, struct cp_ctx *x)
{
	memset(x, 0, sizeof *x);
	x->c = c;
	if (!c->h && cli_open_home(&c->o, false, &c->h, &c->err) != MV_OK)
		return MV_ERR;
	x->key = sodium_malloc(COMPANION_KEY_LEN);
	if (!x->key)
		return mv_fail(&c->err, MV_ERR, "out of memory");
	return home_companion_key(c->h, c->o.as, x->owner, x->key, &c->err);
}

static void cp_close(struct cp_ctx *x)
{
	if (x->key)
		sodium_free(x->key);
	x->key = NULL;
}

/* Check-ins collected into an array. */
struct cp_list {
	struct companion_checkin *v;
	size_t n, cap;
	bool oom;
};

static int cp_list_add(void *ud, const struct companion_checkin *c)
{
	struct cp_list *l = ud;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct companion_checkin *v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			l->oom = true;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *c;
	return 0;
}

static void cp_list_free(struct cp_list *l)
{
	if (l->v)
		sodium_memzero(l->v, l->cap * sizeof *l->v);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int cp_days(struct cli *c, int *days)
{
	const char *d = cli_opt(c, "--days");
	*days = d ? (int)cp_number(d, 1, CP_DAYS_MAX) : CP_DAYS_DEFAULT;
	if (*days < 0)
		return cli_fail(c, "--days must be 1 to %d", CP_DAYS_MAX);
	return CLI_EXIT_OK;
}

/* First ms of the window of `days` UTC days ending today. */
static int64_t cp_since(int64_t now, int days)
{
	return (now / COMPANION_DAY_MS - days + 1) * COMPANION_DAY_MS;
}

/* ---- the text chart ----------------------------------------------------- */

/* Ten rows (scores 10..1) of block columns, one per day or bucket of days,
 * an axis where '·' marks a column without a check-in, and the dates. */
static void cp_chart_print(const struct companion_checkin *v, size_t n, int64_t now, int days)
{
	int *daily = calloc((size_t)days, sizeof *daily);
	int cols[CP_CHART_COLS];
	char from[16], to[16];
	if (!daily)
		return;
	companion_daily(v, n, now, days, daily);
	int nc = companion_columns(daily, days, CP_CHART_COLS, cols);
	free(daily);
	for (int level = 10; level >= 1; level--) {
		printf("%2d │", level);
		for (int i = 0; i < nc; i++)
			fputs(cols[i] && (cols[i] + 5) / 10 >= level ? "█" : " ", stdout);
		putchar('\n');
	}
	printf("   └");
	for (int i = 0; i < nc; i++)
		fputs(cols[i] ? "─" : "·", stdout);
	cp_day(from, sizeof from, cp_since(now, days));
	cp_day(to, sizeof to, now);
	if (nc >= 22)
		printf("\n    %s%*s\n", from, nc - 10, to);
	else
		printf("\n    %s to %s\n", from, to);
}

static void cp_stats_line(const char *what, const struct companion_checkin *v, size_t n)
{
	struct companion_stats s;
	companion_stats(v, n, &s);
	if (!s.count) {
		printf("%s: no check-ins\n", what);
		return;
	}
	printf("%s: %zu check-in%s, mean %d.%d, lowest %d, highest %d\n", what, s.count,
	       s.count == 1 ? "" : "s", s.mean / 10, s.mean % 10, s.low, s.high);
}

static void cp_checkins_print(const struct companion_checkin *v, size_t n, bool ids)
{
	char when[32];
	if (n)
		printf("\n%s%-17s  SCORE  TAGS                  NOTE\n", ids ? "ID     " : "", "WHEN (UTC)");
	for (size_t i = 0; i < n; i++) {
		cp_time(when, sizeof when, v[i].time);
		if (ids)
			printf("%-6lld ", (long long)v[i].id);
		printf("%-17s  %5d  %-20s  %s\n", when, v[i].score, v[i].tags[0] ? v[i].tags : "-",
		       v[i].note);
	}
}

static json_t *cp_checkin_json(const struct companion_checkin *v, bool id)
{
	json_t *o = json_object(), *tags = json_array();
	if (!o || !tags) {
		json_decref(o);
		json_decref(tags);
		return NULL;
	}
	if (id)
		json_object_set_new(o, "id", json_integer(v->id));
	cli_json_time(o, "time", v->time);
	json_object_set_new(o, "score", json_integer(v->score));
	for (const char *p = v->tags; *p;) {
		size_t k = strcspn(p, ",");
		json_array_append_new(tags, json_stringn(p, k));
		p += k + (p[k] == ',');
	}
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "note", json_string(v->note));
	return o;
}

static json_t *cp_daily_json(const struct companion_checkin *v, size_t n, int64_t now, int days)
{
	int *daily = calloc((size_t)days, sizeof *daily);
	json_t *a = json_array();
	char day[16];
	for (int d = 0; daily && a && d < days; d++) {
		if (d == 0)
			companion_daily(v, n, now, days, daily);
		if (!daily[d])
			continue;
		cp_day(day, sizeof day, cp_since(now, days) + d * COMPANION_DAY_MS);
		json_array_append_new(a, json_pack("{s:s, s:f, s:i}", "day_utc", day, "mean",
						   daily[d] / 10.0, "mean_tenths", daily[d]));
	}
	free(daily);
	return a;
}

/* ---- checkin -------------------------------------------------------------- */

static int cp_checkin(struct cli *c, struct cp_ctx *x, const char *score_s)
{
	const char *tags = cli_opt(c, "--tags"), *note = cli_opt(c, "--note");
	long score = cp_number(score_s, 1, 10);
	int64_t id = 0, now = mv_now_ms();
	char when[32];
	if (score < 0)
		return cli_fail(c, "SCORE must be a whole number from 1 (very low) to 10 (very good)");
	if (companion_add_checkin(c->h->st, x->owner, x->key, now, (int)score, tags, note, &id,
				  &c->err) != MV_OK)
		return cli_core(c);
	const char *texts[] = {tags, note};
	bool crisis = cp_crisis_in(texts, 2);
	if (c->o.json) {
		char *res = crisis ? crisis_resources(NULL, 0) : NULL;
		json_t *j = json_pack("{s:I, s:i, s:b, s:s}", "id", (json_int_t)id, "score", (int)score,
				      "crisis_words", crisis, "not_a_clinician", CP_NOT_CLINICIAN);
		if (j)
			cli_json_time(j, "time", now);
		if (j && res)
			json_object_set_new(j, "crisis_resources", json_string(res));
		free(res);
		return cli_json_print(j);
	}
	cp_time(when, sizeof when, now);
	printf("check-in %lld saved: %ld/10 at %s UTC, encrypted on this device (nothing was sent)\n",
	       (long long)id, score, when);
	if (crisis)
		cp_crisis_print();
	return CLI_EXIT_OK;
}

/* ---- thought ---------------------------------------------------------------- */

static void cp_copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static int cp_thought(struct cli *c, struct cp_ctx *x)
{
	struct companion_thought *t = sodium_malloc(sizeof *t);
	int64_t id = 0;
	if (!t)
		return cli_fail(c, "out of memory");
	memset(t, 0, sizeof *t);
	const char *in = cli_opt(c, "--intensity"), *re = cli_opt(c, "--rerated");
	long a = cp_number(in, 0, 100), b = re ? cp_number(re, 0, 100) : a;
	int rc = CLI_EXIT_OK;
	if (!cli_opt(c, "--situation") || !cli_opt(c, "--thought") || !cli_opt(c, "--emotion") || !in)
		rc = cli_fail(c, "a thought record needs --situation, --thought, --emotion and "
			     "--intensity (see `mentalverse companion --help`)");
	else if (a < 0 || b < 0)
		rc = cli_fail(c, "--intensity and --rerated are 0 to 100");
	if (rc != CLI_EXIT_OK) {
		sodium_free(t);
		return rc;
	}
	cp_copy(t->situation, sizeof t->situation, cli_opt(c, "--situation"));
	cp_copy(t->thought, sizeof t->thought, cli_opt(c, "--thought"));
	cp_copy(t->emotion, sizeof t->emotion, cli_opt(c, "--emotion"));
	cp_copy(t->evidence_for, sizeof t->evidence_for, cli_opt(c, "--for"));
	cp_copy(t->evidence_against, sizeof t->evidence_against, cli_opt(c, "--against"));
	cp_copy(t->balanced, sizeof t->balanced, cli_opt(c, "--balanced"));
	t->intensity = (int)a;
	t->rerated = (int)b;
	const char *texts[] = {cli_opt(c, "--situation"), cli_opt(c, "--thought"), cli_opt(c, "--emotion"),
			       cli_opt(c, "--for"), cli_opt(c, "--against"), cli_opt(c, "--balanced")};
	bool crisis = cp_crisis_in(texts, 6);
	int64_t now = mv_now_ms();
	if (companion_add_thought(c->h->st, x->owner, x->key, now, t, &id, &c->err) != MV_OK) {
		sodium_free(t);
		return cli_core(c);
	}
	sodium_free(t);
	if (c->o.json) {
		char *res = crisis ? crisis_resources(NULL, 0) : NULL;
		json_t *j = json_pack("{s:I, s:i, s:i, s:b, s:s}", "id", (json_int_t)id, "intensity",
				      (int)a, "rerated", (int)b, "crisis_words", crisis,
				      "not_a_clinician", CP_NOT_CLINICIAN);
		if (j)
			cli_json_time(j, "time", now);
		if (j && res)
			json_object_set_new(j, "crisis_resources", json_string(res));
		free(res);
		return cli_json_print(j);
	}
	printf("thought record %lld saved, encrypted on this device: %s %ld%% -> %ld%%\n",
	       (long long)id, cli_opt(c, "--emotion"), a, b);
	if (crisis)
		cp_crisis_print();
	return CLI_EXIT_OK;
}

/* ---- history ------------------------------------------------------------------ */

struct cp_thoughts {
	json_t *arr;  /* JSON mode */
	size_t n;
};

static int cp_thought_cb(void *ud, const struct companion_thought *t)
{
	struct cp_thoughts *T = ud;
	char when[32];
	T->n++;
	if (T->arr) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:i}", "id",
				      (json_int_t)t->id, "situation", t->situation, "thought",
				      t->thought, "emotion", t->emotion, "intensity", t->intensity,
				      "evidence_for", t->evidence_for, "evidence_against",
				      t->evidence_against, "balanced", t->balanced, "rerated",
				      t->rerated);
		if (o)
			cli_json_time(o, "time", t->time);
		json_array_append_new(T->arr, o);
		return 0;
	}
	if (T->n == 1)
		printf("\nThought records\n");
	cp_time(when, sizeof when, t->time);
	printf("\n%-6lld %s UTC · %s %d%% -> %d%%\n", (long long)t->id, when, t->emotion, t->intensity,
	       t->rerated);
	const char *label[] = {"situation", "thought", "for", "against", "balanced"};
	const char *text[] = {t->situation, t->thought, t->evidence_for, t->evidence_against, t->balanced};
	for (int i = 0; i < 5; i++)
		if (text[i][0])
			printf("       %-9s  %s\n", label[i], text[i]);
	return 0;
}

static int cp_history(struct cli *c, struct cp_ctx *x)
{
	int days;
	struct cp_list l = {0};
	struct cp_thoughts T = {NULL, 0};
	char what[64];
	int rc = cp_days(c, &days);
	if (rc)
		return rc;
	int64_t now = mv_now_ms(), since = cp_since(now, days);
	if (companion_checkins(c->h->st, x->owner, x->key, since, cp_list_add, &l, &c->err) != MV_OK)
		rc = cli_core(c);
	else if (l.oom)
		rc = cli_fail(c, "out of memory");
	if (rc) {
		cp_list_free(&l);
		return rc;
	}
	if (c->o.json) {
		struct companion_stats s;
		json_t *arr = json_array();
		T.arr = json_array();
		for (size_t i = 0; arr && i < l.n; i++)
			json_array_append_new(arr, cp_checkin_json(&l.v[i], true));
		companion_stats(l.v, l.n, &s);
		if (companion_thoughts(c->h->st, x->owner, x->key, since, cp_thought_cb, &T, &c->err) != MV_OK) {
			json_decref(arr);
			json_decref(T.arr);
			cp_list_free(&l);
			return cli_core(c);
		}
		json_t *j = json_pack("{s:i, s:o, s:o, s:o, s:{s:I, s:f, s:i, s:i}, s:s}", "days", days,
				      "checkins", arr, "daily", cp_daily_json(l.v, l.n, now, days),
				      "thoughts", T.arr, "stats", "count", (json_int_t)s.count, "mean",
				      s.mean / 10.0, "low", s.low, "high", s.high, "not_a_clinician",
				      CP_NOT_CLINICIAN);
		if (j) {
			cli_json_time(j, "from", since);
			cli_json_time(j, "to", now);
		}
		cp_list_free(&l);
		return cli_json_print(j);
	}
	snprintf(what, sizeof what, "Mood, last %d day%s", days, days == 1 ? "" : "s");
	cp_stats_line(what, l.v, l.n);
	cp_chart_print(l.v, l.n, now, days);
	cp_checkins_print(l.v, l.n, true);
	cp_list_free(&l);
	if (companion_thoughts(c->h->st, x->owner, x->key, since, cp_thought_cb, &T, &c->err) != MV_OK)
		return cli_core(c);
	printf("\n%s\n", CP_NOT_CLINICIAN);
	return CLI_EXIT_OK;
}

/* ---- share / shared --------------------------------------------------------------- */

struct cp_find {
	const uint8_t *who;
	bool found;
};

static int cp_find_cb(void *ud, const uint8_t therapist[32])
{
	struct cp_find *f = ud;
	f->found = f->found || memcmp(therapist, f->who, 32) == 0;
	return f->found;
}

/* MV_OK if therapist has the acting account in active care. */
static int cp_my_therapist(struct cli *c, const uint8_t therapist[32])
{
	uint8_t me[32];
	struct cp_find f = {therapist, false};
	if (home_people_account(c->h, c->o.as, me, &c->err) != MV_OK ||
	    home_companion_therapists(c->h, me, cp_find_cb, &f, &c->err) != MV_OK)
		return MV_ERR;
	if (!f.found)
		return mv_fail(&c->err, MV_EINVAL, "that account is not your therapist (no active care "
			       "relation: it starts when a therapist confirms your first session)");
	return MV_OK;
}

static int cp_share(struct cli *c, struct cp_ctx *x, const char *who)
{
	uint8_t therapist[32];
	struct cp_list l = {0};
	struct submit_result res;
	char label[80], from[16], to[16], hex[65];
	bool turned_on = false;
	int days, rc = cp_days(c, &days);
	if (rc)
		return rc;
	if (!c->h->has_network)
		return cli_fail(c, "no network in %s: sharing needs one", c->h->dir);
	if (home_resolve_account(c->h, who, therapist, &c->err) != MV_OK)
		return cli_core(c);
	if (cp_my_therapist(c, therapist) != MV_OK)
		return cli_core(c);
	int64_t now = mv_now_ms(), since = cp_since(now, days);
	if (companion_checkins(c->h->st, x->owner, x->key, since, cp_list_add, &l, &c->err) != MV_OK) {
		cp_list_free(&l);
		return cli_core(c);
	}
	if (l.oom || l.n == 0 || l.n > COMPANION_SHARE_MAX) {
		rc = l.oom ? cli_fail(c, "out of memory")
		     : l.n ? cli_fail(c, "%zu check-ins: share at most %d at once (use --days)", l.n,
				     COMPANION_SHARE_MAX)
			   : cli_fail(c, "no check-ins in the last %d days to share", days);
		cp_list_free(&l);
		return rc;
	}
	memset(&res, 0, sizeof res);
	rc = home_companion_share(c->h, c->o.as, therapist, l.v, l.n, &turned_on, &res, &c->err);
	size_t n = l.n;
	int64_t first = l.v[0].time, last = l.v[l.n - 1].time;
	cp_list_free(&l);
	if (rc != MV_OK)
		return cli_core(c);
	home_account_label(c->h, therapist, label, sizeof label);
	cli_hex32(hex, res.id);
	cp_day(from, sizeof from, first);
	cp_day(to, sizeof to, last);
	if (c->o.json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:b}", "id", hex, "outcome",
				      res.outcome == 1 ? "applied" : res.outcome == 0 ? "rejected" : "pending",
				      "therapist", label, "checkins", (json_int_t)n,
				      "turned_on_share_mood", turned_on);
		if (j && res.outcome == 0)
			json_object_set_new(j, "reason", json_string(res.reason));
		rc = cli_json_print(j);
		return rc ? rc : res.outcome == 0 ? CLI_EXIT_REJECTED : CLI_EXIT_OK;
	}
	if (turned_on)
		printf("turned on share_mood_with_therapist (privacy.set): therapists in your care may be "
		       "given your check-ins\n");
	if (res.outcome == 0) {
		printf("%s rejected: %s\n", hex, res.reason);
		return CLI_EXIT_REJECTED;
	}
	printf("%s %s: %s can now read %zu check-in%s (%s to %s): scores, tags and notes.\n"
	       "They are sealed to %s and to you; what they read cannot be unread.\n", hex,
	       res.outcome == 1 ? "applied" : "pending", label, n, n == 1 ? "" : "s", from, to, label);
	return CLI_EXIT_OK;
}

struct cp_shared {
	struct cli *c;
	const uint8_t *me, *patient; /* patient: filter, or NULL */
	json_t *arr;
	size_t n;
	int rc;
};

static int cp_shared_cb(void *ud, const struct companion_share *s)
{
	struct cp_shared *S = ud;
	struct cli *c = S->c;
	struct cp_list l = {0};
	char who[80], when[32];
	struct mv_err e;
	bool mine = memcmp(s->patient, S->me, 32) == 0;
	if (S->patient && memcmp(s->patient, S->patient, 32) != 0)
		return 0;
	S->n++;
	home_account_label(c->h, mine ? s->therapist : s->patient, who, sizeof who);
	mv_err_clear(&e);
	int rc = home_companion_open_share(c->h, c->o.as, s, cp_list_add, &l, &e);
	int64_t last = l.n ? l.v[l.n - 1].time : s->time;
	if (S->arr) {
		char hex[65];
		json_t *o = json_object(), *arr = json_array();
		cli_hex32(hex, s->op);
		json_object_set_new(o, "op", json_string(hex));
		json_object_set_new(o, mine ? "therapist" : "patient", json_string(who));
		json_object_set_new(o, "direction", json_string(mine ? "by_you" : "with_you"));
		cli_json_time(o, "time", s->time);
		for (size_t i = 0; rc == MV_OK && i < l.n; i++)
			json_array_append_new(arr, cp_checkin_json(&l.v[i], false));
		json_object_set_new(o, "checkins", arr);
		if (rc != MV_OK)
			json_object_set_new(o, "error", json_string(e.msg));
		json_array_append_new(S->arr, o);
		cp_list_free(&l);
		return 0;
	}
	cp_time(when, sizeof when, s->time);
	if (mine)
		printf("%sshared by you with %s at %s UTC\n", S->n > 1 ? "\n" : "", who, when);
	else
		printf("%sshared with you by %s at %s UTC\n", S->n > 1 ? "\n" : "", who, when);
	if (rc != MV_OK) {
		printf("  cannot open it: %s\n", e.msg);
	} else {
		int64_t span = last - (l.n ? l.v[0].time : last);
		int days = (int)(span / COMPANION_DAY_MS) + 1;
		cp_stats_line("  check-ins", l.v, l.n);
		if (!mine && l.n)
			cp_chart_print(l.v, l.n, last, days < 7 ? 7 : days > CP_DAYS_MAX ? CP_DAYS_MAX : days);
		cp_checkins_print(l.v, l.n, false);
	}
	cp_list_free(&l);
	return 0;
}

static int cp_shared(struct cli *c, const char *patient_ref)
{
	uint8_t me[32], patient[32];
	if (!c->h->has_network)
		return cli_fail(c, "no network in %s", c->h->dir);
	if (home_people_account(c->h, c->o.as, me, &c->err) != MV_OK)
		return cli_core(c);
	if (patient_ref && home_resolve_account(c->h, patient_ref, patient, &c->err) != MV_OK)
		return cli_core(c);
	struct cp_shared S = {c, me, patient_ref ? patient : NULL, c->o.json ? json_array() : NULL, 0,
			      CLI_EXIT_OK};
	if (companion_shares(c->h->st, me, cp_shared_cb, &S, &c->err) != MV_OK) {
		json_decref(S.arr);
		return cli_core(c);
	}
	if (c->o.json)
		return cli_json_print(S.arr);
	if (S.n == 0)
		printf("no mood check-ins shared with you or by you%s\n", patient_ref ? " (for that patient)" : "");
	return CLI_EXIT_OK;
}

/* ---- the command ------------------------------------------------------------------- */

int cli_companion(struct cli *c, int argc, char **argv)
{
	const char *sub = argv[0], *arg = argc > 1 ? argv[1] : NULL;
	struct cp_ctx x;
	static const struct {
		const char *name;
		int args; /* positionals after the subcommand: 0, 1, or -1 for 0..1 */
	} subs[] = {{"checkin", 1}, {"history", 0}, {"thought", 0}, {"share", 1},
		    {"shared", -1}, {"delete", 1}, {"crisis", 0}};
	size_t i = 0;
	while (i < sizeof subs / sizeof *subs && strcmp(subs[i].name, sub) != 0)
		i++;
	if (i == sizeof subs / sizeof *subs)
		return cli_fail(c, "unknown companion command %s (checkin, history, thought, share, "
			       "shared, delete, crisis)", sub);
	if ((subs[i].args == 1 && !arg) || (subs[i].args == 0 && arg))
		return cli_fail(c, "usage: mentalverse companion %s%s", sub,
			       subs[i].args == 1 ? (strcmp(sub, "checkin") == 0 ? " SCORE"
						    : strcmp(sub, "share") == 0 ? " THERAPIST" : " ID") : "");
	if (strcmp(sub, "crisis") == 0) {
		char source[256];
		char *text = crisis_resources(source, sizeof source);
		if (!text)
			return cli_fail(c, "out of memory");
		int rc = CLI_EXIT_OK;
		if (c->o.json)
			rc = cli_json_print(json_pack("{s:s, s:s}", "text", text, "source", source));
		else
			cp_resources_print(text);
		free(text);
		return rc;
	}
	if (!c->h && cli_open_home(&c->o, false, &c->h, &c->err) != MV_OK)
		return cli_core(c);
	if (strcmp(sub, "shared") == 0)
		return cp_shared(c, arg); /* opens with the sealed keys, not the companion key */
	if (cp_open(c, &x) != MV_OK) {
		cp_close(&x);
		return cli_core(c);
	}
	int rc;
	if (strcmp(sub, "checkin") == 0) {
		rc = cp_checkin(c, &x, arg);
	} else if (strcmp(sub, "history") == 0) {
		rc = cp_history(c, &x);
	} else if (strcmp(sub, "thought") == 0) {
		rc = cp_thought(c, &x);
	} else if (strcmp(sub, "share") == 0) {
		rc = cp_share(c, &x, arg);
	} else {
		long id = cp_number(arg, 1, 0x7fffffffL);
		if (id < 0)
			rc = cli_fail(c, "ID is an entry number from `mentalverse companion history`");
		else if (companion_delete(c->h->st, x.owner, id, &c->err) != MV_OK)
			rc = cli_core(c);
		else
			rc = c->o.json ? cli_json_print(json_pack("{s:I, s:b}", "id", (json_int_t)id,
								  "deleted", 1))
				       : (printf("entry %ld deleted from this device\n", id), CLI_EXIT_OK);
	}
	cp_close(&x);
	return rc;
}
