/* home_compliance.c - the node-local side of compliance (see
 * home_compliance.h): the purge of blobs the contract listed, export of
 * everything an identity may read, and sealing data to a regulator.
 *
 * Exports are built with jansson from read-only SQL over state tables (one
 * generic "rows to JSON objects" helper: ids as hex, text as text) and from
 * blobs opened with the identity's key (home_care_open: the padded blobs
 * home_people_seal makes; home_groups_open_post for group posts). Decrypted
 * text exists only in memory and in the files the user asked for. */
#include "home_compliance.h"
#include "home_care.h"
#include "home_groups.h"
#include "home_people.h"
#include "home_companion.h"
#include "blob.h"
#include "people.h"
#include "gov.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- purge ------------------------------------------------------------------- */

static int purge_in_tx(struct store *st, size_t *purged, struct mv_err *err)
{
	static const char sql[] = "SELECT p.hash FROM compliance_purge p WHERE NOT EXISTS (SELECT 1"
				  " FROM local_blobs b WHERE b.hash = p.hash AND b.erased = 1) ORDER BY p.hash";
	uint8_t (*v)[32] = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	int rc = MV_OK;
	while (rc == MV_OK && sqlite3_step(s) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			void *p = realloc(v, cap * 32);
			if (!p) {
				rc = mv_fail(err, MV_ERR, "out of memory");
				break;
			}
			v = p;
		}
		memcpy(v[n++], sqlite3_column_blob(s, 0), 32);
	}
	sqlite3_reset(s);
	for (size_t i = 0; rc == MV_OK && i < n; i++)
		rc = blob_erase(st, v[i], err);
	free(v);
	if (purged)
		*purged = rc == MV_OK ? n : 0;
	return rc;
}

int compliance_purge(struct store *st, size_t *purged, struct mv_err *err)
{
	if (store_in_tx(st))
		return purge_in_tx(st, purged, err);
	if (store_begin(st, err) != MV_OK)
		return MV_ERR;
	int rc = purge_in_tx(st, purged, err);
	if (rc == MV_OK)
		return store_commit(st, err);
	store_rollback(st);
	return rc;
}

int home_compliance_purge(struct home *h, size_t *purged, struct mv_err *err)
{
	return compliance_purge(h->st, purged, err);
}

/* ---- rows to JSON ---------------------------------------------------------------- */

static json_t *hex_json(const void *p, size_t n)
{
	char *hex = malloc(2 * n + 1);
	if (!hex)
		return NULL;
	mv_hex(hex, p, n);
	json_t *j = json_string(hex);
	free(hex);
	return j;
}

static json_t *time_json(int64_t ms)
{
	char t[32];
	mv_time_format_utc(t, sizeof t, ms);
	return json_string(t);
}

/* A column as JSON: blobs as hex, times (columns named like a time) as
 * ISO 8601 UTC with the ms beside them. */
static void put_column(json_t *obj, sqlite3_stmt *s, int c)
{
	const char *name = sqlite3_column_name(s, c);
	switch (sqlite3_column_type(s, c)) {
	case SQLITE_INTEGER: {
		int64_t v = sqlite3_column_int64(s, c);
		json_object_set_new(obj, name, json_integer(v));
		if (strcmp(name, "time") == 0 || strcmp(name, "created") == 0 ||
		    strcmp(name, "start") == 0 || strcmp(name, "end") == 0 || strcmp(name, "joined") == 0) {
			char key[64];
			snprintf(key, sizeof key, "%s_utc", name);
			json_object_set_new(obj, key, time_json(v));
		}
		break;
	}
	case SQLITE_TEXT:
		json_object_set_new(obj, name, json_string((const char *)sqlite3_column_text(s, c)));
		break;
	case SQLITE_BLOB:
		json_object_set_new(obj, name, hex_json(sqlite3_column_blob(s, c),
							(size_t)sqlite3_column_bytes(s, c)));
		break;
	default:
		json_object_set_new(obj, name, json_null());
		break;
	}
}

/* Rows of sql (binding me as ?1 and subject as ?2) as an array of objects. */
static json_t *sql_rows(struct store *st, const char *sql, const uint8_t me[32],
			const uint8_t subject[32])
{
	sqlite3_stmt *s;
	json_t *arr = json_array();
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
		json_array_append_new(arr, json_pack("{s:s}", "error", sqlite3_errmsg(store_db(st))));
		return arr;
	}
	sqlite3_bind_blob(s, 1, me, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, subject, 32, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *o = json_object();
		for (int c = 0; c < sqlite3_column_count(s); c++)
			put_column(o, s, c);
		json_array_append_new(arr, o);
	}
	sqlite3_finalize(s);
	return arr;
}

/* Blobs sealed to `as`: sql returns (label, blob, key, ref, time) binding
 * me as ?1 and subject as ?2. Each opens with home_care_open. */
static json_t *blob_rows(struct home *h, const char *as, const char *sql, const uint8_t me[32],
			 const uint8_t subject[32])
{
	struct row {
		char label[40];
		uint8_t blob[32], key[BLOB_SEALED_LEN], ref[32];
		int64_t time;
	} *rows = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s;
	json_t *arr = json_array();
	if (sqlite3_prepare_v2(store_db(h->st), sql, -1, &s, NULL) != SQLITE_OK) {
		json_array_append_new(arr, json_pack("{s:s}", "error", sqlite3_errmsg(store_db(h->st))));
		return arr;
	}
	sqlite3_bind_blob(s, 1, me, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, subject, 32, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (sqlite3_column_bytes(s, 1) != 32 || sqlite3_column_bytes(s, 2) != BLOB_SEALED_LEN)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			void *p = realloc(rows, cap * sizeof *rows);
			if (!p)
				break;
			rows = p;
		}
		struct row *r = &rows[n++];
		memset(r, 0, sizeof *r);
		snprintf(r->label, sizeof r->label, "%s", (const char *)sqlite3_column_text(s, 0));
		memcpy(r->blob, sqlite3_column_blob(s, 1), 32);
		memcpy(r->key, sqlite3_column_blob(s, 2), BLOB_SEALED_LEN);
		if (sqlite3_column_bytes(s, 3) == 32)
			memcpy(r->ref, sqlite3_column_blob(s, 3), 32);
		r->time = sqlite3_column_int64(s, 4);
	}
	sqlite3_finalize(s);
	for (size_t i = 0; i < n; i++) {
		struct mv_buf plain;
		struct mv_err e;
		json_t *o = json_pack("{s:s, s:o, s:o, s:I, s:o}", "what", rows[i].label, "blob",
				      hex_json(rows[i].blob, 32), "ref", hex_json(rows[i].ref, 32), "time",
				      (json_int_t)rows[i].time, "time_utc", time_json(rows[i].time));
		if (home_care_open(h, as, rows[i].blob, rows[i].key, &plain, &e) == MV_OK) {
			json_object_set_new(o, "text", json_stringn((const char *)plain.data, plain.len));
			sodium_memzero(plain.data, plain.len);
			mv_buf_free(&plain);
		} else {
			json_object_set_new(o, "error", json_string(e.msg));
		}
		json_array_append_new(arr, o);
	}
	free(rows);
	return arr;
}

/* Group posts `as` can read (groups it is or was in), decrypted. */
static json_t *group_posts(struct home *h, const char *as, const uint8_t me[32])
{
	static const char sql[] = "SELECT DISTINCT p.id, p.grp, p.author, p.time FROM groups_posts p"
				  " JOIN groups_keys k ON k.grp = p.grp AND k.epoch = p.key_epoch"
				  " WHERE k.member = ?1 ORDER BY p.time, p.id";
	json_t *arr = sql_rows(h->st, sql, me, me);
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		uint8_t id[32];
		struct mv_buf plain;
		struct mv_err e;
		const char *hex = json_string_value(json_object_get(o, "id"));
		if (!hex || mv_unhex(id, 32, hex) != MV_OK)
			continue;
		if (home_groups_open_post(h, as, id, &plain, &e) == MV_OK) {
			json_object_set_new(o, "text", json_stringn((const char *)plain.data, plain.len));
			sodium_memzero(plain.data, plain.len);
			mv_buf_free(&plain);
		} else {
			json_object_set_new(o, "error", json_string(e.msg));
		}
	}
	return arr;
}

/* ---- what an identity may read -------------------------------------------------- */

static const char sql_profiles[] =
	"SELECT s.what, b.blob, s.sealed_key, s.account, b.updated FROM users_shares s"
	" JOIN users_blobs b ON b.account = s.account AND b.what = s.what WHERE s.reader = ?1"
	" ORDER BY s.account, s.what";
static const char sql_notes[] =
	"SELECT CASE n.shared WHEN 1 THEN 'shared note' ELSE 'private note' END, n.blob, k.key,"
	" n.session, n.time FROM notes_keys k JOIN notes n ON n.id = k.note WHERE k.reader = ?1"
	" ORDER BY n.time, n.id";
static const char sql_session_texts[] =
	"SELECT 'dispute reason', d.reason_blob, k.key, d.session, d.time FROM sessions_keys k"
	" JOIN sessions_disputes d ON d.reason_blob = k.blob WHERE k.reader = ?1"
	" UNION ALL SELECT 'rating comment', r.comment_blob, k.key, r.session, r.time"
	" FROM sessions_keys k JOIN sessions_ratings r ON r.comment_blob = k.blob WHERE k.reader = ?1"
	" ORDER BY 5, 4";
static const char sql_sealed_to_me[] =
	"SELECT 'insurance policy', policy_blob, policy_key, id, created FROM payments_claims"
	" WHERE insurer = ?1"
	" UNION ALL SELECT 'license proof', a.proof_blob, k.sealed_key, a.therapist, a.submitted"
	" FROM verify_proof_keys k JOIN verify_apps a ON a.therapist = k.therapist WHERE k.reader = ?1"
	" UNION ALL SELECT 'regulator delivery', delivered_blob, delivered_key, id, delivered_at"
	" FROM compliance_requests WHERE regulator = ?1 AND delivered_blob IS NOT NULL"
	" UNION ALL SELECT 'granted to this bot', blob, sealed_key, grantor, time FROM bots_grants"
	" WHERE bot = ?1 ORDER BY 5, 4";

struct export_file {
	const char *file;
	const char *sql;     /* plain rows (NULL: special) */
	bool blobs;          /* sql returns blobs to open */
};

static const struct export_file export_files[] = {
	{"account.json", "SELECT account, role, display_name, jurisdiction, bio, languages,"
	 " appointed, dismissed, created FROM users WHERE account = ?1", false},
	{"balance.json", "SELECT account, amount FROM balances WHERE account = ?1", false},
	{"profiles.json", sql_profiles, true},
	{"privacy.json", "SELECT * FROM users_privacy WHERE account = ?1", false},
	{"guardians.json", "SELECT account, guardian FROM users_guardians WHERE account = ?1"
	 " OR guardian = ?1 ORDER BY account, guardian", false},
	{"wallet.json", "SELECT op, idx, from_acct, to_acct, amount, memo, time FROM ledger_moves"
	 " WHERE from_acct = ?1 OR to_acct = ?1 ORDER BY time, op, idx", false},
	{"stakes.json", "SELECT id, amount, period_days, weighted, start, lock_end, claimed, closed_at"
	 " FROM stakes WHERE owner = ?1 ORDER BY start, id", false},
	{"sessions.json", "SELECT id, service, therapist, patient, start, end, state, payment, price"
	 " FROM sessions WHERE patient = ?1 OR therapist = ?1 ORDER BY start, id", false},
	{"notes.json", sql_notes, true},
	{"session_texts.json", sql_session_texts, true},
	{"sealed_to_me.json", sql_sealed_to_me, true},
	{"groups.json", "SELECT grp, joined, how, moderator, left_at, left_how FROM groups_members"
	 " WHERE member = ?1 ORDER BY joined, grp", false},
	{"group_posts.json", NULL, false},
	{"proposals.json", "SELECT id, scope, grp, kind, title, description, created, for_power,"
	 " against_power, abstain_power FROM gov_proposals WHERE proposer = ?1 ORDER BY created, id",
	 false},
	{"votes.json", "SELECT proposal, choice, power, time, reason FROM gov_votes WHERE voter = ?1"
	 " ORDER BY time, proposal", false},
	{"delegations.json", "SELECT delegator, delegate, start, end_at FROM gov_delegations"
	 " WHERE delegator = ?1 OR delegate = ?1 ORDER BY start, op", false},
	{"reputation.json", "SELECT op, idx, dim, time, delta, why FROM rep_events WHERE account = ?1"
	 " ORDER BY time, op, idx", false},
	{"audit.json", "SELECT op, idx, who, kind, what, time FROM access_audit WHERE subject = ?1"
	 " ORDER BY time, op, idx", false},
	{"notices.json", "SELECT op, request, time, text FROM compliance_notices WHERE subject = ?1"
	 " ORDER BY time, op", false},
	{"consents.json", "SELECT to_acct, scope, time FROM compliance_consents WHERE subject = ?1"
	 " ORDER BY time, to_acct", false},
	{NULL, NULL, false},
};

static int write_json(const char *dir, const char *file, json_t *j, struct mv_err *err)
{
	char path[4400];
	char *text = json_dumps(j, JSON_INDENT(2));
	if (!text)
		return mv_fail(err, MV_ERR, "out of memory");
	snprintf(path, sizeof path, "%s/%s", dir, file);
	size_t len = strlen(text);
	int rc = mv_write_file_atomic(path, text, len, 0600, err);
	sodium_memzero(text, len);
	free(text);
	return rc;
}

static int who_account(struct home *h, const char *as, char name[KS_NAME_MAX + 1], uint8_t me[32],
		       struct mv_err *err)
{
	if (as)
		snprintf(name, KS_NAME_MAX + 1, "%s", as);
	else if (home_default_identity(h, name, KS_NAME_MAX + 1, err) != MV_OK)
		return MV_ERR;
	return home_people_account(h, name, me, err);
}

/* The companion's entries of this identity (only on this node, so only
 * this node's export holds them), decrypted. */
static int cp_checkin_json(void *ud, const struct companion_checkin *c)
{
	json_t *o = json_pack("{s:I, s:o, s:i, s:s, s:s}", "time", (json_int_t)c->time, "time_utc",
			      time_json(c->time), "score", c->score, "tags", c->tags, "note", c->note);
	return o && json_array_append_new(ud, o) == 0 ? 0 : 1;
}

static int cp_thought_json(void *ud, const struct companion_thought *t)
{
	json_t *o = json_pack("{s:I, s:o, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:i}", "time",
			      (json_int_t)t->time, "time_utc", time_json(t->time), "situation",
			      t->situation, "automatic_thought", t->thought, "emotion", t->emotion,
			      "intensity", t->intensity, "evidence_for", t->evidence_for,
			      "evidence_against", t->evidence_against, "balanced_thought", t->balanced,
			      "rerated_intensity", t->rerated);
	return o && json_array_append_new(ud, o) == 0 ? 0 : 1;
}

static json_t *companion_entries(struct home *h, const char *name, struct mv_err *err)
{
	uint8_t owner[32], key[COMPANION_KEY_LEN];
	json_t *checkins = json_array(), *thoughts = json_array();
	int rc = checkins && thoughts ? home_companion_key(h, name, owner, key, err)
				      : mv_fail(err, MV_ERR, "out of memory");
	if (rc == MV_OK)
		rc = companion_checkins(h->st, owner, key, INT64_MIN, cp_checkin_json, checkins, err);
	if (rc == MV_OK)
		rc = companion_thoughts(h->st, owner, key, INT64_MIN, cp_thought_json, thoughts, err);
	sodium_memzero(key, sizeof key);
	if (rc != MV_OK) {
		json_decref(checkins);
		json_decref(thoughts);
		return NULL;
	}
	json_t *o = json_object();
	/* json_object_set_new takes the reference, also when it fails */
	if (!o)
		json_decref(checkins);
	if (!o || json_object_set_new(o, "checkins", checkins) != 0) {
		json_decref(thoughts);
		json_decref(o);
		mv_fail(err, MV_ERR, "out of memory");
		return NULL;
	}
	if (json_object_set_new(o, "thought_records", thoughts) != 0) {
		json_decref(o);
		mv_fail(err, MV_ERR, "out of memory");
		return NULL;
	}
	return o;
}

int home_compliance_export(struct home *h, const char *as, const char *dir, size_t *files,
			   struct mv_err *err)
{
	char name[KS_NAME_MAX + 1];
	uint8_t me[32];
	if (files)
		*files = 0;
	if (who_account(h, as, name, me, err) != MV_OK)
		return MV_ERR;
	if (mv_mkdirs(dir, 0700, err) != MV_OK)
		return MV_ERR;
	for (const struct export_file *f = export_files; f->file; f++) {
		json_t *data = !f->sql ? group_posts(h, name, me)
			       : f->blobs ? blob_rows(h, name, f->sql, me, me)
					  : sql_rows(h->st, f->sql, me, me);
		json_t *doc = json_pack("{s:s, s:o, s:o}", "identity", name, "account", hex_json(me, 32),
					"data", data);
		int rc = doc ? write_json(dir, f->file, doc, err) : mv_fail(err, MV_ERR, "out of memory");
		json_decref(doc);
		if (rc != MV_OK)
			return rc;
		if (files)
			(*files)++;
	}
	json_t *cp = companion_entries(h, name, err);
	if (!cp)
		return MV_ERR;
	json_t *doc = json_pack("{s:s, s:o, s:o}", "identity", name, "account", hex_json(me, 32),
				"data", cp);
	int rc = doc ? write_json(dir, "companion.json", doc, err) : mv_fail(err, MV_ERR, "out of memory");
	json_decref(doc);
	if (rc == MV_OK && files)
		(*files)++;
	return rc;
}

/* ---- regulator requests ------------------------------------------------------ */

struct req {
	uint8_t regulator[32], subject[32];
	char scope[16], basis[201], state[16];
	uint8_t blob[32], key[BLOB_SEALED_LEN];
	bool delivered;
};

static int req_get(struct store *st, const uint8_t id[32], struct req *r, struct mv_err *err)
{
	static const char sql[] = "SELECT regulator, subject, scope, legal_basis, state, delivered_blob,"
				  " delivered_key FROM compliance_requests WHERE id = ?";
	memset(r, 0, sizeof *r);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int rc = mv_fail(err, MV_ENOTFOUND, "no such regulator request");
	if (sqlite3_step(s) == SQLITE_ROW) {
		memcpy(r->regulator, sqlite3_column_blob(s, 0), 32);
		memcpy(r->subject, sqlite3_column_blob(s, 1), 32);
		snprintf(r->scope, sizeof r->scope, "%s", (const char *)sqlite3_column_text(s, 2));
		snprintf(r->basis, sizeof r->basis, "%s", (const char *)sqlite3_column_text(s, 3));
		snprintf(r->state, sizeof r->state, "%s", (const char *)sqlite3_column_text(s, 4));
		r->delivered = sqlite3_column_bytes(s, 5) == 32 &&
			       sqlite3_column_bytes(s, 6) == BLOB_SEALED_LEN;
		if (r->delivered) {
			memcpy(r->blob, sqlite3_column_blob(s, 5), 32);
			memcpy(r->key, sqlite3_column_blob(s, 6), BLOB_SEALED_LEN);
		}
		rc = MV_OK;
	}
	sqlite3_reset(s);
	return rc;
}

static bool scope_has(const char *scope, const char *part)
{
	return strcmp(scope, "all") == 0 || strcmp(scope, part) == 0;
}

/* The subject's data in scope that `as` (me) can read. */
static json_t *scoped(struct home *h, const char *as, const uint8_t me[32], const struct req *r)
{
	static const char profiles[] =
		"SELECT s.what, b.blob, s.sealed_key, s.account, b.updated FROM users_shares s"
		" JOIN users_blobs b ON b.account = s.account AND b.what = s.what"
		" WHERE s.reader = ?1 AND s.account = ?2 ORDER BY s.what";
	static const char notes[] =
		"SELECT CASE n.shared WHEN 1 THEN 'shared note' ELSE 'private note' END, n.blob, k.key,"
		" n.session, n.time FROM notes_keys k JOIN notes n ON n.id = k.note"
		" WHERE k.reader = ?1 AND n.patient = ?2 ORDER BY n.time, n.id";
	static const char sessions[] =
		"SELECT id, service, therapist, patient, start, end, state, payment, price FROM sessions"
		" WHERE patient = ?2 AND (?1 = ?2 OR therapist = ?1) ORDER BY start, id";
	static const char audit[] =
		"SELECT op, idx, who, kind, what, time FROM access_audit WHERE subject = ?2"
		" ORDER BY time, op, idx";
	json_t *o = json_pack("{s:o, s:s, s:s}", "subject", hex_json(r->subject, 32), "scope",
			      r->scope, "legal_basis", r->basis);
	if (scope_has(r->scope, "profile"))
		json_object_set_new(o, "profile", blob_rows(h, as, profiles, me, r->subject));
	if (scope_has(r->scope, "notes"))
		json_object_set_new(o, "notes", blob_rows(h, as, notes, me, r->subject));
	if (scope_has(r->scope, "sessions"))
		json_object_set_new(o, "sessions", sql_rows(h->st, sessions, me, r->subject));
	if (scope_has(r->scope, "audit"))
		json_object_set_new(o, "audit", sql_rows(h->st, audit, me, r->subject));
	return o;
}

int home_compliance_fulfil(struct home *h, const char *as, const uint8_t request[32],
			   struct submit_result *res, struct mv_err *err)
{
	char name[KS_NAME_MAX + 1];
	uint8_t me[32], hash[32];
	struct req r;
	struct mv_buf sealed = {0};
	if (who_account(h, as, name, me, err) != MV_OK || req_get(h->st, request, &r, err) != MV_OK)
		return MV_ERR;
	if (strcmp(r.state, "granted") != 0)
		return mv_fail(err, MV_EINVAL, "the request is %s, not granted", r.state);
	json_t *doc = scoped(h, name, me, &r);
	json_object_set_new(doc, "request", hex_json(request, 32));
	json_object_set_new(doc, "delivered_by", hex_json(me, 32));
	char *text = json_dumps(doc, JSON_INDENT(2));
	json_decref(doc);
	if (!text)
		return mv_fail(err, MV_ERR, "out of memory");
	size_t len = strlen(text);
	int rc = home_people_seal(h, text, len, (const uint8_t (*)[32])r.regulator, 1, hash, &sealed,
				  err);
	sodium_memzero(text, len);
	free(text);
	if (rc != MV_OK)
		return rc;
	struct body_builder bb;
	struct mv_buf body = {0};
	bb_init(&bb);
	bb_id(&bb, "request", request);
	bb_id(&bb, "blob", hash);
	bb_bytes(&bb, "sealed_key", sealed.data, BLOB_SEALED_LEN);
	mv_buf_free(&sealed);
	if (bb_build(&bb, &body, err) != MV_OK)
		return MV_ERR;
	rc = home_submit(h, name, "regulator.deliver", body.data, body.len, res, err);
	mv_buf_free(&body);
	return rc;
}

int home_compliance_open_delivery(struct home *h, const char *as, const uint8_t request[32],
				  struct mv_buf *plain, struct mv_err *err)
{
	struct req r;
	memset(plain, 0, sizeof *plain);
	if (req_get(h->st, request, &r, err) != MV_OK)
		return MV_ERR;
	if (!r.delivered)
		return mv_fail(err, MV_ENOTFOUND, "nothing delivered for this request yet");
	return home_care_open(h, as, r.blob, r.key, plain, err);
}
