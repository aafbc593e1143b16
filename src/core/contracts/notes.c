/* notes.c - encrypted session notes.
 *
 * note.add {session, blob, sealed_keys, shared}: the session's therapist
 * attaches a note that was encrypted before the op was built (blob.h). The
 * op carries only the blob's hash and its key sealed to each reader:
 *   shared = 0  a private note: one key, sealed to the therapist;
 *   shared = 1  a shared summary: two keys, therapist first, then patient.
 * A peer without a key learns that a note exists, its size when the blob
 * travels, and nothing else. Notes need a session that was confirmed and,
 * per the access matrix (ACCESS_ADD_NOTE), an active care relation with the
 * patient. Tables: notes, notes_keys (note, reader, key). */
#include "../care.h"
#include "../blob.h"
#include "../people.h"

#include <string.h>

static const struct migration notes_migrations[] = {
	{1, "CREATE TABLE notes(id BLOB PRIMARY KEY, session BLOB NOT NULL,"
	    "  therapist BLOB NOT NULL, patient BLOB NOT NULL, blob BLOB NOT NULL,"
	    "  shared INTEGER NOT NULL, time INTEGER NOT NULL);"
	    "CREATE INDEX notes_by_session ON notes(session, time);"
	    "CREATE TABLE notes_keys(note BLOB NOT NULL, reader BLOB NOT NULL, key BLOB NOT NULL,"
	    "  PRIMARY KEY(note, reader));"},
	{0, NULL},
};

static int note_key(struct apply_ctx *ctx, const uint8_t reader[32], const struct body_value *k)
{
	static const char sql[] = "INSERT INTO notes_keys(note, reader, key) VALUES(?, ?, ?)";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, reader, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, k->p, (int)k->n, SQLITE_STATIC);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "notes_keys");
}

static int note_add(struct apply_ctx *ctx)
{
	static const char ins[] = "INSERT INTO notes(id, session, therapist, patient, blob, shared,"
				  " time) VALUES(?, ?, ?, ?, ?, ?, ?)";
	struct care_session s;
	uint8_t blob[32];
	int64_t shared;
	const struct body_value *keys;
	size_t nkeys;
	struct mv_err e;
	body_id(ctx->body, "blob", blob, &e);
	body_int(ctx->body, "shared", &shared, &e);
	body_list(ctx->body, "sealed_keys", &keys, &nkeys, &e);
	int rc = care_session_open(ctx, "session", &s);
	if (rc != MV_OK)
		return rc;
	if (memcmp(ctx->actor, s.therapist, 32) != 0)
		return ctx_reject(ctx, "not allowed: only the session's therapist adds notes");
	if (!s.confirmed_at)
		return ctx_reject(ctx, "session was never confirmed: no notes");
	rc = access_check(ctx, ctx->actor, ACCESS_ADD_NOTE, s.patient);
	if (rc != MV_OK)
		return rc;
	if (nkeys != (shared ? 2u : 1u))
		return ctx_reject(ctx, shared ? "a shared note needs 2 sealed keys (therapist, patient)"
					      : "a private note needs 1 sealed key (therapist)");
	for (size_t i = 0; i < nkeys; i++)
		if (keys[i].n != BLOB_SEALED_LEN)
			return ctx_reject(ctx, "sealed key %zu is not %d bytes", i + 1, BLOB_SEALED_LEN);
	sqlite3_stmt *st = store_prep(ctx->st, ins, &ctx->err);
	if (!st)
		return MV_ERR;
	const uint8_t *ids[] = {ctx->op->id, s.id, s.therapist, s.patient, blob};
	for (int i = 0; i < 5; i++)
		sqlite3_bind_blob(st, i + 1, ids[i], 32, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, shared ? 1 : 0);
	sqlite3_bind_int64(st, 7, ctx->now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return ctx_sqlerr(ctx, "notes");
	rc = note_key(ctx, s.therapist, &keys[0]);
	if (rc == MV_OK && shared)
		rc = note_key(ctx, s.patient, &keys[1]);
	return rc;
}

static const struct field_spec note_fields[] = {
	{"session", F_ID, false, 0, 0, 0, NULL, "the session (its booking op id)"},
	{"blob", F_ID, false, 0, 0, 0, NULL, "hash of the encrypted note blob"},
	{"sealed_keys", F_LIST_BYTES, false, 0, 0, 2, NULL,
	 "blob key sealed to the therapist (then the patient if shared)"},
	{"shared", F_BOOL, false, 0, 0, 0, NULL, "1: a summary the patient can read too"},
	{NULL, 0, false, 0, 0, 0, NULL, NULL},
};

static const struct op_handler notes_handlers[] = {
	{"note.add", "attach an encrypted note to a session", "the session's therapist",
	 note_fields, note_add},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract notes_contract = {
	.name = "notes",
	.summary = "encrypted session notes, private or shared with the patient",
	.migrations = notes_migrations,
	.handlers = notes_handlers,
};
