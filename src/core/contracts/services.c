/* services.c - what therapists offer and when: services (title, modality,
 * format, duration, price, languages, specialties, insurance, auto-accept)
 * and availability as concrete UTC windows, so no contract ever consults a
 * time-zone database (the UI expands a weekly template in the therapist's
 * zone into windows).
 *
 * Availability of a therapist = the published windows, then every exception
 * in the order it was made (open adds a window, close removes one).
 * availability.set replaces the windows from the op's effective time on and
 * keeps the past; exceptions survive a re-publish, so a holiday closed once
 * stays closed while the weekly template changes. Tables: services,
 * services_langs, services_specs, services_windows, services_exceptions.
 * care.c reads them for booking checks and free-slot views. */
#include "../care.h"
#include "../people.h"

#include <stdio.h>
#include <string.h>

#define SVC_MAX_WINDOWS 512         /* pairs per availability.set (1024 list items) */
#define SVC_MAX_SPAN (366LL * 86400000) /* a window or exception is at most a year */

static const struct migration services_migrations[] = {
	{1, "CREATE TABLE services(id BLOB PRIMARY KEY, therapist BLOB NOT NULL,"
	    "  title TEXT NOT NULL, modality TEXT NOT NULL, format TEXT NOT NULL,"
	    "  duration_min INTEGER NOT NULL, price INTEGER NOT NULL CHECK(price >= 0),"
	    "  insurance INTEGER NOT NULL, auto_accept INTEGER NOT NULL,"
	    "  retired INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL,"
	    "  updated INTEGER NOT NULL);"
	    "CREATE INDEX services_by_therapist ON services(therapist, created);"
	    "CREATE TABLE services_langs(service BLOB NOT NULL, lang TEXT NOT NULL,"
	    "  PRIMARY KEY(service, lang));"
	    "CREATE INDEX services_langs_lang ON services_langs(lang);"
	    "CREATE TABLE services_specs(service BLOB NOT NULL, specialty TEXT NOT NULL,"
	    "  PRIMARY KEY(service, specialty));"
	    "CREATE INDEX services_specs_spec ON services_specs(specialty);"
	    "CREATE TABLE services_windows(therapist BLOB NOT NULL, start INTEGER NOT NULL,"
	    "  end INTEGER NOT NULL, PRIMARY KEY(therapist, start));"
	    "CREATE TABLE services_exceptions(therapist BLOB NOT NULL, seq INTEGER NOT NULL,"
	    "  action TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,"
	    "  PRIMARY KEY(therapist, seq));"},
	{0, NULL},
};

/* ---- field checks -------------------------------------------------------- */

/* Tags are lower case so that search matches exactly: languages are BCP 47
 * style ("en", "pt-br"), specialties short words ("anxiety", "grief"). */
static bool svc_tag_ok(const uint8_t *p, size_t n, size_t min, size_t max, bool space)
{
	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
			  (space && c == ' ' && i > 0 && i + 1 < n);
		if (!ok)
			return false;
	}
	return true;
}

static int svc_check_tags(struct apply_ctx *ctx, const char *field, bool space, size_t min,
			  size_t max)
{
	const struct body_value *v = body_get(ctx->body, field);
	if (!v)
		return MV_OK;
	for (size_t i = 0; i < v->n; i++) {
		if (!svc_tag_ok(v->items[i].p, v->items[i].n, min, max, space))
			return ctx_reject(ctx, "%s: '%.*s' must be %zu..%zu characters of a-z 0-9 -%s",
					  field, (int)(v->items[i].n > 40 ? 40 : v->items[i].n),
					  (const char *)v->items[i].p, min, max, space ? " and space" : "");
		for (size_t j = 0; j < i; j++)
			if (v->items[j].n == v->items[i].n &&
			    memcmp(v->items[j].p, v->items[i].p, v->items[i].n) == 0)
				return ctx_reject(ctx, "%s: '%.*s' listed twice", field,
						  (int)v->items[i].n, (const char *)v->items[i].p);
	}
	return MV_OK;
}

static int svc_check_fields(struct apply_ctx *ctx)
{
	char title[CARE_TITLE_MAX + 1];
	struct mv_err e;
	if (body_get(ctx->body, "title")) {
		if (body_str(ctx->body, "title", title, sizeof title, &e) != MV_OK || !title[0])
			return ctx_reject(ctx, "title must be 1..%d bytes", CARE_TITLE_MAX);
	}
	int rc = svc_check_tags(ctx, "languages", false, 2, 35);
	if (rc == MV_OK)
		rc = svc_check_tags(ctx, "specialties", true, 1, 48);
	return rc;
}

/* ---- writes -------------------------------------------------------------- */

static int svc_put_tags(struct apply_ctx *ctx, const uint8_t id[32], const char *field)
{
	static const char del_l[] = "DELETE FROM services_langs WHERE service = ?";
	static const char del_s[] = "DELETE FROM services_specs WHERE service = ?";
	static const char ins_l[] = "INSERT INTO services_langs(service, lang) VALUES(?, ?)";
	static const char ins_s[] = "INSERT INTO services_specs(service, specialty) VALUES(?, ?)";
	bool langs = strcmp(field, "languages") == 0;
	const struct body_value *v = body_get(ctx->body, field);
	if (!v)
		return MV_OK;
	sqlite3_stmt *s = store_prep(ctx->st, langs ? del_l : del_s, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return ctx_sqlerr(ctx, field);
	for (size_t i = 0; i < v->n; i++) {
		s = store_prep(ctx->st, langs ? ins_l : ins_s, &ctx->err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, (const char *)v->items[i].p, (int)v->items[i].n,
				  SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			return ctx_sqlerr(ctx, field);
	}
	return MV_OK;
}

static int svc_put(struct apply_ctx *ctx, const struct care_service *sv)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO services(id, therapist, title, modality, format,"
		" duration_min, price, insurance, auto_accept, retired, created, updated)"
		" VALUES(?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, sv->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, sv->therapist, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, sv->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, sv->modality, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, sv->format, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, sv->duration_min);
	sqlite3_bind_int64(s, 7, sv->price);
	sqlite3_bind_int(s, 8, sv->insurance);
	sqlite3_bind_int(s, 9, sv->auto_accept);
	sqlite3_bind_int(s, 10, sv->retired);
	sqlite3_bind_int64(s, 11, sv->created);
	sqlite3_bind_int64(s, 12, sv->updated);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "services");
}

/* Copy the optional fields present in the body over sv. */
static void svc_from_body(const struct body *b, struct care_service *sv)
{
	struct mv_err e;
	int64_t v;
	if (body_get(b, "title"))
		body_str(b, "title", sv->title, sizeof sv->title, &e);
	if (body_get(b, "modality"))
		body_str(b, "modality", sv->modality, sizeof sv->modality, &e);
	if (body_get(b, "format"))
		body_str(b, "format", sv->format, sizeof sv->format, &e);
	if (body_int(b, "duration_min", &v, &e) == MV_OK)
		sv->duration_min = v;
	if (body_int(b, "price", &v, &e) == MV_OK)
		sv->price = v;
	if (body_int(b, "insurance_accepted", &v, &e) == MV_OK)
		sv->insurance = v != 0;
	if (body_int(b, "auto_accept", &v, &e) == MV_OK)
		sv->auto_accept = v != 0;
}

/* The access matrix decides (ACCESS_PUBLISH_SERVICE: a therapist for whom
 * people_therapist_can_publish holds: verified, continuing education not
 * overdue); its reason reaches the user. */
static int svc_may_publish(struct apply_ctx *ctx)
{
	if (people_role(ctx->st, ctx->actor) != ROLE_THERAPIST)
		return ctx_reject(ctx, "not allowed: only therapists publish services");
	return access_check(ctx, ctx->actor, ACCESS_PUBLISH_SERVICE, NULL);
}

/* ---- handlers ------------------------------------------------------------ */

static int svc_publish(struct apply_ctx *ctx)
{
	struct care_service sv;
	int rc = svc_may_publish(ctx);
	if (rc == MV_OK)
		rc = svc_check_fields(ctx);
	if (rc != MV_OK)
		return rc;
	memset(&sv, 0, sizeof sv);
	memcpy(sv.id, ctx->op->id, 32);
	memcpy(sv.therapist, ctx->actor, 32);
	svc_from_body(ctx->body, &sv);
	sv.created = sv.updated = ctx->now;
	rc = svc_put(ctx, &sv);
	if (rc == MV_OK)
		rc = svc_put_tags(ctx, sv.id, "languages");
	if (rc == MV_OK)
		rc = svc_put_tags(ctx, sv.id, "specialties");
	return rc;
}

/* The service named by the body, owned by the actor and not retired. */
static int svc_own(struct apply_ctx *ctx, struct care_service *sv)
{
	uint8_t id[32];
	struct mv_err e;
	body_id(ctx->body, "service", id, &e);
	int rc = care_service_get(ctx->st, id, sv, &ctx->err);
	if (rc == MV_ENOTFOUND)
		return ctx_reject(ctx, "no such service");
	if (rc != MV_OK)
		return MV_ERR;
	if (memcmp(sv->therapist, ctx->actor, 32) != 0)
		return ctx_reject(ctx, "not allowed: only the service's therapist may change it");
	if (sv->retired)
		return ctx_reject(ctx, "service retired");
	return MV_OK;
}

static int svc_update(struct apply_ctx *ctx)
{
	struct care_service sv;
	int rc = svc_own(ctx, &sv);
	if (rc == MV_OK)
		rc = svc_may_publish(ctx);
	if (rc == MV_OK)
		rc = svc_check_fields(ctx);
	if (rc != MV_OK)
		return rc;
	if (ctx->body->n == 1)
		return ctx_reject(ctx, "nothing to update");
	svc_from_body(ctx->body, &sv);
	sv.updated = ctx->now;
	rc = svc_put(ctx, &sv);
	if (rc == MV_OK)
		rc = svc_put_tags(ctx, sv.id, "languages");
	if (rc == MV_OK)
		rc = svc_put_tags(ctx, sv.id, "specialties");
	return rc;
}

static int svc_retire(struct apply_ctx *ctx)
{
	struct care_service sv;
	int rc = svc_own(ctx, &sv);
	if (rc != MV_OK)
		return rc;
	sv.retired = true;
	sv.updated = ctx->now;
	return svc_put(ctx, &sv);
}

/* Windows must be [start, end) pairs, ascending and not overlapping. */
static int avail_check_windows(struct apply_ctx *ctx, const struct body_value *w, size_t n)
{
	if (n % 2)
		return ctx_reject(ctx, "windows must be [start, end) pairs (even count, got %zu)", n);
	for (size_t i = 0; i < n; i += 2) {
		int64_t a = w[i].i, b = w[i + 1].i;
		if (a < 0 || b <= a)
			return ctx_reject(ctx, "window %zu: end must be after start", i / 2 + 1);
		if (b - a > SVC_MAX_SPAN)
			return ctx_reject(ctx, "window %zu longer than a year", i / 2 + 1);
		if (i && a < w[i - 1].i)
			return ctx_reject(ctx, "window %zu overlaps or precedes the one before "
					  "(windows must be in ascending order)", i / 2 + 1);
	}
	return MV_OK;
}

static int avail_step(struct apply_ctx *ctx, const char *sql, int64_t a, int64_t b, bool three)
{
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, a);
	if (three)
		sqlite3_bind_int64(s, 3, b);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "availability");
}

static int avail_set(struct apply_ctx *ctx)
{
	static const char del_future[] = "DELETE FROM services_windows WHERE therapist = ? AND start >= ?";
	static const char cut_now[] = "UPDATE services_windows SET end = ?2 WHERE therapist = ?1"
				      " AND start < ?2 AND end > ?2";
	static const char prune_exc[] = "DELETE FROM services_exceptions WHERE therapist = ? AND end <= ?";
	static const char ins[] = "INSERT INTO services_windows(therapist, start, end) VALUES(?, ?, ?)";
	const struct body_value *w;
	size_t n;
	struct mv_err e;
	if (people_role(ctx->st, ctx->actor) != ROLE_THERAPIST)
		return ctx_reject(ctx, "not allowed: only therapists publish availability");
	body_list(ctx->body, "windows", &w, &n, &e);
	int rc = avail_check_windows(ctx, w, n);
	if (rc == MV_OK)
		rc = avail_step(ctx, del_future, ctx->now, 0, false);
	if (rc == MV_OK)
		rc = avail_step(ctx, cut_now, ctx->now, 0, false);
	if (rc == MV_OK)
		rc = avail_step(ctx, prune_exc, ctx->now, 0, false);
	for (size_t i = 0; rc == MV_OK && i < n; i += 2) {
		int64_t a = w[i].i > ctx->now ? w[i].i : ctx->now, b = w[i + 1].i;
		if (b <= a)
			continue; /* wholly in the past: the past is not rewritten */
		rc = avail_step(ctx, ins, a, b, true);
	}
	return rc;
}

static int avail_exception(struct apply_ctx *ctx)
{
	static const char next[] = "SELECT coalesce(max(seq), 0) + 1 FROM services_exceptions"
				   " WHERE therapist = ?";
	static const char ins[] = "INSERT INTO services_exceptions(therapist, seq, action, start, end)"
				  " VALUES(?, ?, ?, ?, ?)";
	char action[8];
	int64_t a, b;
	struct mv_err e;
	if (people_role(ctx->st, ctx->actor) != ROLE_THERAPIST)
		return ctx_reject(ctx, "not allowed: only therapists publish availability");
	body_str(ctx->body, "action", action, sizeof action, &e);
	body_int(ctx->body, "start", &a, &e);
	body_int(ctx->body, "end", &b, &e);
	if (b <= a)
		return ctx_reject(ctx, "end must be after start");
	if (b - a > SVC_MAX_SPAN)
		return ctx_reject(ctx, "exception longer than a year");
	if (b <= ctx->now)
		return ctx_reject(ctx, "exception lies in the past");
	if (a < ctx->now)
		a = ctx->now;
	sqlite3_stmt *s = store_prep(ctx->st, next, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	int64_t seq = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 1;
	sqlite3_reset(s);
	s = store_prep(ctx->st, ins, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->actor, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, seq);
	sqlite3_bind_text(s, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, a);
	sqlite3_bind_int64(s, 5, b);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "services_exceptions");
}

/* ---- field specs --------------------------------------------------------- */

#define SVC_FIELDS(OPT)                                                                        \
	{"title", F_STR, OPT, 0, 0, CARE_TITLE_MAX, NULL, "public title, e.g. \"Anxiety therapy\""}, \
	{"modality", F_ENUM, OPT, 0, 0, 0, "individual|couples|group", "who attends"},             \
	{"format", F_ENUM, OPT, 0, 0, 0, "video|in_person|text", "how the session happens"},       \
	{"duration_min", F_INT, OPT, 10, 480, 0, NULL, "session length in minutes (10..480)"},     \
	{"price", F_AMOUNT, OPT, 0, 1000000 * MV_UNIT, 0, NULL, "MVT per session (0 = free)"},     \
	{"languages", F_LIST_STR, OPT, 0, 0, CARE_LANG_MAX, NULL, "language tags: en,pt-br"},      \
	{"specialties", F_LIST_STR, OPT, 0, 0, CARE_SPEC_MAX, NULL, "lower-case tags: anxiety,grief"}, \
	{"insurance_accepted", F_BOOL, OPT, 0, 0, 0, NULL, "may be booked with payment=insurance"}, \
	{"auto_accept", F_BOOL, OPT, 0, 0, 0, NULL, "bookings are confirmed at once"}

static const struct field_spec publish_fields[] = {
	SVC_FIELDS(false),
	{NULL, 0, false, 0, 0, 0, NULL, NULL},
};

static const struct field_spec update_fields[] = {
	{"service", F_ID, false, 0, 0, 0, NULL, "the service (its service.publish op id)"},
	SVC_FIELDS(true),
	{NULL, 0, false, 0, 0, 0, NULL, NULL},
};

static const struct field_spec retire_fields[] = {
	{"service", F_ID, false, 0, 0, 0, NULL, "the service (its service.publish op id)"},
	{NULL, 0, false, 0, 0, 0, NULL, NULL},
};

static const struct field_spec avail_set_fields[] = {
	{"windows", F_LIST_INT, false, 0, 0, 2 * SVC_MAX_WINDOWS, NULL,
	 "UTC ms pairs start,end,start,end,... ascending; replaces windows from now on"},
	{NULL, 0, false, 0, 0, 0, NULL, NULL},
};

static const struct field_spec avail_exc_fields[] = {
	{"action", F_ENUM, false, 0, 0, 0, "close|open", "close removes the time, open adds it"},
	{"start", F_TIME, false, 0, 0, 0, NULL, "start (UTC)"},
	{"end", F_TIME, false, 0, 0, 0, NULL, "end (UTC), exclusive"},
	{NULL, 0, false, 0, 0, 0, NULL, NULL},
};

static const struct op_handler services_handlers[] = {
	{"service.publish", "offer a service (the op id is the service id)",
	 "a verified therapist whose continuing education is not overdue", publish_fields,
	 svc_publish},
	{"service.update", "change some fields of a service (booked sessions keep their price)",
	 "the service's therapist, while allowed to publish", update_fields, svc_update},
	{"service.retire", "stop offering a service (booked sessions continue)",
	 "the service's therapist", retire_fields, svc_retire},
	{"availability.set", "publish availability windows, replacing those from now on",
	 "a therapist", avail_set_fields, avail_set},
	{"availability.exception", "close or open a period on top of the windows",
	 "a therapist", avail_exc_fields, avail_exception},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract services_contract = {
	.name = "services",
	.summary = "therapists' services and availability windows",
	.migrations = services_migrations,
	.handlers = services_handlers,
};
