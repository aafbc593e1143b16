/* query_upgrade.c - the upgrade banner (query_upgrade.h): the facts from
 * contract state, and the text made from them by a pure function. */
#include "query_upgrade.h"
#include "contract.h"
#include "op.h"

#include <stdio.h>
#include <string.h>

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

/* Effective time of the genesis op (epoch 0), 0 if the log has none. */
static int64_t genesis_time(struct store *st)
{
	static const char sql[] = "SELECT clock FROM log_ops WHERE epoch = 0 ORDER BY clock LIMIT 1";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return 0;
	int64_t t = sqlite3_step(s) == SQLITE_ROW ? op_clock_ms((uint64_t)sqlite3_column_int64(s, 0)) : 0;
	sqlite3_reset(s);
	return t;
}

/* The highest final epoch and its close time (the checkpoint's time). */
static void last_final(struct store *st, int64_t *epoch, int64_t *time)
{
	static const char sql[] = "SELECT epoch, time FROM checkpoint_final ORDER BY epoch DESC LIMIT 1";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	*epoch = *time = 0;
	if (!s)
		return;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*epoch = sqlite3_column_int64(s, 0);
		*time = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
}

void query_upgrade_banner_facts(struct store *st, struct upgrade_banner_facts *f)
{
	memset(f, 0, sizeof *f);
	upgrades_status(st, &f->us);
	last_final(st, &f->final_epoch, &f->final_time);
	if (f->final_epoch == 0)
		f->final_time = genesis_time(st);
	f->every = param_get(st, "checkpoint_every", 0);
}

int64_t upgrade_banner_eta(const struct upgrade_banner_facts *f)
{
	int64_t epochs = f->us.next_epoch - f->final_epoch;
	if (!f->us.next_version || f->final_time <= 0 || f->every <= 0 || epochs <= 0)
		return 0;
	if (epochs > (INT64_MAX - f->final_time) / f->every)
		return 0;
	return f->final_time + epochs * f->every;
}

void upgrade_banner_fmt_about(char *out, size_t len, int64_t ms)
{
	if (ms >= DAY_MS)
		snprintf(out, len, "~%lld d", (long long)((ms + DAY_MS / 2) / DAY_MS));
	else if (ms >= HOUR_MS)
		snprintf(out, len, "~%lld h", (long long)((ms + HOUR_MS / 2) / HOUR_MS));
	else
		snprintf(out, len, "~%lld min", (long long)(ms > MIN_MS ? (ms + MIN_MS / 2) / MIN_MS : 1));
}

static void required_text(const struct upgrade_status *us, int terse, char *out, size_t len)
{
	long long v = us->active_version, e = us->active_since, b = us->binary_version;
	if (terse == 0)
		snprintf(out, len, "Upgrade required: protocol v%lld in force since epoch %lld; this "
			 "program (v%lld) stores ops but stops applying them", v, e, b);
	else if (terse == 1)
		snprintf(out, len, "Upgrade required: v%lld in force since epoch %lld; ops stored but "
			 "not applied", v, e);
	else
		snprintf(out, len, "Upgrade required: protocol v%lld (epoch %lld)", v, e);
}

static void scheduled_text(const struct upgrade_banner_facts *f, int64_t now, int terse,
			   char *out, size_t len)
{
	long long v = f->us.next_version, e = f->us.next_epoch, b = f->us.binary_version;
	long long at = f->final_epoch;
	int64_t eta = upgrade_banner_eta(f);
	char about[32];
	if (eta > now) {
		upgrade_banner_fmt_about(about, sizeof about, eta - now);
		if (terse == 0)
			snprintf(out, len, "Protocol v%lld activates at epoch %lld (in %s); this program "
				 "implements v%lld: upgrade it before then", v, e, about, b);
		else if (terse == 1)
			snprintf(out, len, "Protocol v%lld activates at epoch %lld (in %s): upgrade this "
				 "program (v%lld)", v, e, about, b);
		else
			snprintf(out, len, "Protocol v%lld at epoch %lld (in %s)", v, e, about);
		return;
	}
	/* no estimate, or the interval has passed: it comes with the next checkpoints */
	if (terse == 0)
		snprintf(out, len, "Protocol v%lld activates once checkpoint epoch %lld is final (now at "
			 "epoch %lld); this program implements v%lld: upgrade it before then", v, e, at, b);
	else if (terse == 1)
		snprintf(out, len, "Protocol v%lld activates at epoch %lld (now %lld): upgrade this "
			 "program (v%lld)", v, e, at, b);
	else
		snprintf(out, len, "Protocol v%lld at epoch %lld (now %lld)", v, e, at);
}

bool upgrade_banner_text(const struct upgrade_banner_facts *f, int64_t now, int terse,
			 char *out, size_t len)
{
	if (len)
		out[0] = '\0';
	if (f->us.active_version > f->us.binary_version) {
		required_text(&f->us, terse, out, len);
		return true;
	}
	if (f->us.next_version > f->us.binary_version) {
		scheduled_text(f, now, terse, out, len);
		return true;
	}
	return false;
}
