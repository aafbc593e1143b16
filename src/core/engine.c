/* engine.c - applying the log in total order (DESIGN §4).
 *
 * Invariant: the set of applied ops is always a prefix of the stored ops in
 * (epoch, clock, id) order, and segments (runs of up to ENGINE_SEGMENT ops
 * applied under one SQLite session) are ordered the same way. So when an op
 * arrives that sorts before applied ones, undoing every segment from the
 * first one holding a later op restores the state just before it; then every
 * unapplied op is applied in order. Each op runs in a savepoint: a rejected
 * op's writes are rolled back and only its outcome is recorded. Undo records
 * are changesets inverted with sqlite3changeset_invert; any conflict when
 * applying one means the store was changed behind the engine's back, and is
 * reported as an error rather than papered over. */
#include "engine.h"
#include "contract.h"
#include "body.h"
#include "checkpoint.h"
#include "heads.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
	struct store *st;
	sqlite3 *db;
	sqlite3_session *sess;
	int64_t seg;        /* current segment id */
	struct engine_stats *stats;
	struct mv_err *err;
};

static int engine_state_filter(void *ctx, const char *table)
{
	(void)ctx;
	return store_is_state_table(table);
}

static int64_t engine_next_seg(struct store *st)
{
	static const char sql[] = "SELECT coalesce(max(seg), 0) + 1 FROM log_undo";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	int64_t v = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 1;
	if (s)
		sqlite3_reset(s);
	return v;
}

static int seg_open(struct run *r)
{
	if (sqlite3session_create(r->db, "main", &r->sess) != SQLITE_OK)
		return mv_fail(r->err, MV_ERR, "cannot create SQLite session");
	sqlite3session_table_filter(r->sess, engine_state_filter, NULL);
	if (sqlite3session_attach(r->sess, NULL) != SQLITE_OK) {
		sqlite3session_delete(r->sess);
		r->sess = NULL;
		return mv_fail(r->err, MV_ERR, "cannot attach SQLite session");
	}
	r->seg = engine_next_seg(r->st);
	return MV_OK;
}

static int seg_close(struct run *r)
{
	static const char sql[] = "INSERT INTO log_undo(seg, changeset) VALUES(?, ?)";
	if (!r->sess)
		return MV_OK;
	int n = 0;
	void *p = NULL;
	int rc = sqlite3session_changeset(r->sess, &n, &p);
	sqlite3session_delete(r->sess);
	r->sess = NULL;
	if (rc != SQLITE_OK)
		return mv_fail(r->err, MV_ERR, "cannot build changeset (%d)", rc);
	sqlite3_stmt *s = store_prep(r->st, sql, r->err);
	if (!s) {
		sqlite3_free(p);
		return MV_ERR;
	}
	sqlite3_bind_int64(s, 1, r->seg);
	sqlite3_bind_blob(s, 2, p ? p : "", n, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_free(p);
	return rc == SQLITE_DONE ? MV_OK : store_sqlerr(r->st, r->err, "undo record");
}

static int undo_conflict(void *ctx, int reason, sqlite3_changeset_iter *it)
{
	(void)ctx;
	(void)reason;
	(void)it;
	return SQLITE_CHANGESET_ABORT;
}

/* Undo one segment: apply its inverted changeset, mark its ops unapplied. */
static int engine_undo_seg(struct store *st, int64_t seg, size_t *undone, struct mv_err *err)
{
	static const char get[] = "SELECT changeset FROM log_undo WHERE seg = ?";
	static const char mark[] = "UPDATE log_ops SET applied = 0, seg = NULL WHERE seg = ?";
	static const char del[] = "DELETE FROM log_undo WHERE seg = ?";
	sqlite3_stmt *s = store_prep(st, get, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, seg);
	if (sqlite3_step(s) != SQLITE_ROW)
		return mv_fail(err, MV_ERR, "undo record %lld missing", (long long)seg);
	int n = sqlite3_column_bytes(s, 0), ni = 0;
	void *inv = NULL;
	int rc = n ? sqlite3changeset_invert(n, sqlite3_column_blob(s, 0), &ni, &inv) : SQLITE_OK;
	sqlite3_reset(s);
	if (rc != SQLITE_OK)
		return mv_fail(err, MV_ERR, "cannot invert undo record %lld", (long long)seg);
	if (ni) {
		rc = sqlite3changeset_apply(store_db(st), ni, inv, NULL, undo_conflict, NULL);
		sqlite3_free(inv);
		if (rc != SQLITE_OK)
			return mv_fail(err, MV_ERR,
				       "undo of segment %lld conflicts with state: the store was modified "
				       "outside the engine (run `mentalverse verify`)", (long long)seg);
	}
	s = store_prep(st, mark, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, seg);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlerr(st, err, "undo mark");
	if (undone)
		*undone += (size_t)sqlite3_changes(store_db(st));
	s = store_prep(st, del, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, seg);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "undo delete");
}

/* Undo every segment >= from, newest first. */
static int engine_undo_from(struct store *st, int64_t from, size_t *undone, struct mv_err *err)
{
	static const char sql[] = "SELECT seg FROM log_undo WHERE seg >= ? ORDER BY seg DESC LIMIT 1";
	for (;;) {
		sqlite3_stmt *s = store_prep(st, sql, err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_int64(s, 1, from);
		if (sqlite3_step(s) != SQLITE_ROW)
			return MV_OK;
		int64_t seg = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (engine_undo_seg(st, seg, undone, err) != MV_OK)
			return MV_ERR;
	}
}

int engine_rewind(struct store *st, int64_t epoch, uint64_t clock, const uint8_t id[32],
		  struct mv_err *err)
{
	static const char sql[] = "SELECT min(seg) FROM log_ops WHERE applied = 1 AND seg IS NOT NULL "
				  "AND (epoch, clock, id) >= (?, ?, ?)";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, epoch);
	sqlite3_bind_int64(s, 2, (int64_t)clock);
	sqlite3_bind_blob(s, 3, id, 32, SQLITE_STATIC);
	int64_t seg = 0;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		seg = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return seg ? engine_undo_from(st, seg, NULL, err) : MV_OK;
}

int engine_undo_all(struct store *st, struct mv_err *err)
{
	return engine_undo_from(st, 0, NULL, err);
}

int64_t engine_effective_time(struct store *st, const struct op *op, int64_t epoch)
{
	/* The close time of the last final epoch before the op in the order:
	 * epoch - 1 for a final op, the newest final epoch for a tentative one. */
	static const char tent[] = "SELECT time FROM log_epochs ORDER BY epoch DESC LIMIT 1";
	static const char fin[] = "SELECT time FROM log_epochs WHERE epoch = ?";
	int64_t t = op_clock_ms(op->clock);
	if (epoch == 0)
		return t;
	sqlite3_stmt *s = store_prep(st, epoch == ENGINE_TENTATIVE ? tent : fin, NULL);
	if (!s)
		return t;
	if (epoch != ENGINE_TENTATIVE)
		sqlite3_bind_int64(s, 1, epoch - 1);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) > t)
		t = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return t;
}

static int outcome_write(struct run *r, const uint8_t id[32], bool ok, const char *reason)
{
	static const char sql[] = "INSERT INTO op_outcome(id, ok, reason) VALUES(?, ?, ?)";
	sqlite3_stmt *s = store_prep(r->st, sql, r->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, ok);
	sqlite3_bind_text(s, 3, reason, -1, SQLITE_STATIC);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : store_sqlerr(r->st, r->err, "outcome");
}

static bool engine_excluded(struct store *st, const struct op *op)
{
	static const char sql[] = "SELECT 1 FROM log_equivocation WHERE author = ? AND seq <= ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, op->author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)op->seq);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}

/* Run the handler inside a savepoint. Returns MV_OK / MV_EREJECT / MV_ERR. */
static int engine_call(struct run *r, const struct op_handler *h, struct apply_ctx *ctx)
{
	static const char sp[] = "SAVEPOINT op", rel[] = "RELEASE op", back[] = "ROLLBACK TO op";
	if (store_run(r->st, sp, r->err) != MV_OK)
		return MV_ERR;
	int rc = MV_OK;
	for (size_t i = 0; rc == MV_OK && contract_table[i]; i++)
		if (contract_table[i]->precheck)
			rc = contract_table[i]->precheck(ctx);
	if (rc == MV_OK)
		rc = h->apply(ctx);
	if (rc == MV_OK) {
		if (store_run(r->st, rel, r->err) != MV_OK)
			return MV_ERR;
		return MV_OK;
	}
	if (rc != MV_EREJECT) {
		/* An internal failure (a full disk, I/O): SQLite may already have
		 * rolled back the whole transaction, savepoint included, so report
		 * the cause, not the failed "ROLLBACK TO"; the caller rolls back. */
		(void)store_run(r->st, back, NULL);
		(void)store_run(r->st, rel, NULL);
		if (!ctx->err.msg[0])
			mv_fail(&ctx->err, MV_ERR, "internal error applying %s", ctx->op->kind);
		if (r->err)
			*r->err = ctx->err;
		return MV_ERR;
	}
	if (store_run(r->st, back, r->err) != MV_OK || store_run(r->st, rel, r->err) != MV_OK)
		return MV_ERR;
	return MV_EREJECT;
}

/* Apply one op: exclusion, handler lookup, body checks, handler, outcome. */
static int engine_apply_one(struct run *r, const struct op *op, int64_t epoch)
{
	if (engine_excluded(r->st, op)) {
		r->stats->excluded++;
		return MV_OK;
	}
	struct apply_ctx ctx = {.st = r->st, .db = r->db, .op = op};
	struct body body;
	struct mv_err e;
	const struct op_handler *h = contract_find(op->kind, NULL);
	int rc;
	memset(&body, 0, sizeof body);
	ctx.body = &body;
	ctx.handler = h;
	ctx.now = engine_effective_time(r->st, op, epoch);
	bool live = account_of_key(r->st, op->author, ctx.actor);
	if (!live) {
		rc = ctx_reject(&ctx, "key retired by account recovery");
	} else if (!h) {
		rc = ctx_reject(&ctx, "unknown op kind %s", op->kind);
	} else if (body_decode(&body, op->body, op->body_len, &e) != MV_OK) {
		rc = ctx_reject(&ctx, "bad body: %s", e.msg);
	} else if (contract_check_body(h, &body, ctx.reason, sizeof ctx.reason) != MV_OK) {
		rc = MV_EREJECT;
	} else {
		rc = engine_call(r, h, &ctx);
	}
	body_free(&body);
	if (rc == MV_ERR)
		return MV_ERR;
	if (rc == MV_EREJECT)
		r->stats->rejected++;
	else
		r->stats->applied++;
	return outcome_write(r, op->id, rc == MV_OK, rc == MV_OK ? "" : ctx.reason);
}

/* Mark the batch ops[0..n) (the first n unapplied ops in order) applied in
 * the current segment. */
static int engine_mark(struct run *r, const struct op *last, int64_t last_epoch)
{
	static const char sql[] = "UPDATE log_ops SET applied = 1, seg = ? WHERE applied = 0 "
				  "AND (epoch, clock, id) <= (?, ?, ?)";
	sqlite3_stmt *s = store_prep(r->st, sql, r->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, r->seg);
	sqlite3_bind_int64(s, 2, last_epoch);
	sqlite3_bind_int64(s, 3, (int64_t)last->clock);
	sqlite3_bind_blob(s, 4, last->id, 32, SQLITE_STATIC);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : store_sqlerr(r->st, r->err, "mark applied");
}

/* If the first unapplied op sorts before applied ones, undo those. */
static int engine_make_room(struct run *r)
{
	static const char first[] = "SELECT epoch, clock, id FROM log_ops WHERE applied = 0 "
				    "ORDER BY epoch, clock, id LIMIT 1";
	sqlite3_stmt *s = store_prep(r->st, first, r->err);
	if (!s)
		return MV_ERR;
	if (sqlite3_step(s) != SQLITE_ROW)
		return MV_OK;
	int64_t epoch = sqlite3_column_int64(s, 0);
	uint64_t clock = (uint64_t)sqlite3_column_int64(s, 1);
	uint8_t id[32];
	memcpy(id, sqlite3_column_blob(s, 2), 32);
	sqlite3_reset(s);
	size_t before = r->stats->undone;
	static const char sql[] = "SELECT min(seg) FROM log_ops WHERE applied = 1 AND seg IS NOT NULL "
				  "AND (epoch, clock, id) > (?, ?, ?)";
	s = store_prep(r->st, sql, r->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, epoch);
	sqlite3_bind_int64(s, 2, (int64_t)clock);
	sqlite3_bind_blob(s, 3, id, 32, SQLITE_STATIC);
	int64_t seg = 0;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		seg = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (!seg)
		return MV_OK;
	int rc = engine_undo_from(r->st, seg, &r->stats->undone, r->err);
	(void)before;
	return rc;
}

static size_t engine_todo(struct store *st)
{
	static const char sql[] = "SELECT count(*) FROM log_ops WHERE applied = 0";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	size_t n = s && sqlite3_step(s) == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
	if (s)
		sqlite3_reset(s);
	return n;
}

/* Fetch up to `max` unapplied ops in order into a buffer (so no statement is
 * left open while handlers run their own). */
struct todo {
	struct op *ops;
	int64_t *epochs;
	size_t n;
};

static int engine_fetch(struct run *r, struct todo *t, size_t max)
{
	static const char sql[] = "SELECT raw, epoch FROM log_ops WHERE applied = 0 "
				  "ORDER BY epoch, clock, id LIMIT ?";
	sqlite3_stmt *s = store_prep(r->st, sql, r->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, (int64_t)max);
	t->n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct mv_err e;
		if (op_decode(&t->ops[t->n], sqlite3_column_blob(s, 0),
			      (size_t)sqlite3_column_bytes(s, 0), &e) != MV_OK) {
			sqlite3_reset(s);
			return mv_fail(r->err, MV_ERR, "stored op unreadable: %s", e.msg);
		}
		t->epochs[t->n] = sqlite3_column_int64(s, 1);
		if (t->n && t->epochs[t->n] != t->epochs[0]) {
			op_free(&t->ops[t->n]); /* a batch never spans epochs */
			rc = SQLITE_DONE;
			break;
		}
		t->n++;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? MV_OK : store_sqlerr(r->st, r->err, "fetch");
}

static void todo_clear(struct todo *t)
{
	for (size_t i = 0; i < t->n; i++)
		op_free(&t->ops[i]);
	t->n = 0;
}

/* Final ops are never undone: drop a segment's undo record. */
static int engine_forget_seg(struct store *st, int64_t seg, struct mv_err *err)
{
	static const char del[] = "DELETE FROM log_undo WHERE seg = ?";
	static const char unseg[] = "UPDATE log_ops SET seg = NULL WHERE seg = ?";
	const char *sqls[2] = {del, unseg};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *s = store_prep(st, sqls[i], err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_int64(s, 1, seg);
		if (sqlite3_step(s) != SQLITE_DONE)
			return store_sqlerr(st, err, "forget undo");
	}
	return MV_OK;
}

/* Apply one fetched batch as one segment: one session records the undo of
 * the whole batch. */
static int engine_apply_batch(struct run *r, struct todo *t)
{
	if (seg_open(r) != MV_OK)
		return MV_ERR;
	for (size_t i = 0; i < t->n; i++)
		if (engine_apply_one(r, &t->ops[i], t->epochs[i]) != MV_OK)
			return MV_ERR;
	if (engine_mark(r, &t->ops[t->n - 1], t->epochs[t->n - 1]) != MV_OK || seg_close(r) != MV_OK)
		return MV_ERR;
	return t->epochs[0] == ENGINE_TENTATIVE ? MV_OK : engine_forget_seg(r->st, r->seg, r->err);
}

/* Apply unapplied ops in order, batch by batch; only those of epoch `only`
 * when only >= 0 (finalizing). */
static int engine_apply_all(struct run *r, int64_t only, engine_progress_fn progress, void *ud)
{
	struct op ops[ENGINE_SEGMENT];
	int64_t epochs[ENGINE_SEGMENT];
	struct todo t = {ops, epochs, 0};
	size_t total = engine_todo(r->st), done = 0;
	int rc = MV_OK;
	while (rc == MV_OK) {
		rc = engine_fetch(r, &t, ENGINE_SEGMENT);
		if (rc != MV_OK || t.n == 0 || (only >= 0 && t.epochs[0] > only))
			break;
		rc = engine_apply_batch(r, &t);
		done += t.n;
		todo_clear(&t);
		if (rc == MV_OK && progress && progress(ud, done, total))
			break;
	}
	todo_clear(&t);
	if (rc != MV_OK && r->sess) {
		sqlite3session_delete(r->sess);
		r->sess = NULL;
	}
	return rc;
}

static int64_t engine_last_epoch(struct store *st)
{
	static const char sql[] = "SELECT coalesce(max(epoch), 0) FROM log_epochs";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	int64_t v = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (s)
		sqlite3_reset(s);
	return v;
}

/* Does the log hold every op the vector covers? */
static bool engine_has_all(struct store *st, const struct heads *hv)
{
	for (size_t i = 0; i < hv->n; i++) {
		uint64_t seq;
		if (log_head(st, hv->v[i].author, &seq, NULL, NULL, NULL) != MV_OK || seq < hv->v[i].seq)
			return false;
	}
	return true;
}

/* Move the ops covered by hv into epoch, apply them as the new end of the
 * finalized prefix, and return the state root right after them. */
static int engine_close_epoch(struct run *r, int64_t epoch, const struct heads *hv,
			      uint8_t root[32], int64_t *moved)
{
	static const char mv[] = "UPDATE log_ops SET epoch = ? WHERE epoch = ? AND author = ? AND seq <= ?";
	if (engine_undo_from(r->st, 0, &r->stats->undone, r->err) != MV_OK)
		return MV_ERR;
	*moved = 0;
	for (size_t i = 0; i < hv->n; i++) {
		sqlite3_stmt *s = store_prep(r->st, mv, r->err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_int64(s, 1, epoch);
		sqlite3_bind_int64(s, 2, ENGINE_TENTATIVE);
		sqlite3_bind_blob(s, 3, hv->v[i].author, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, (int64_t)hv->v[i].seq);
		if (sqlite3_step(s) != SQLITE_DONE)
			return store_sqlerr(r->st, r->err, "finalize");
		*moved += sqlite3_changes(r->db);
	}
	if (engine_apply_all(r, epoch, NULL, NULL) != MV_OK)
		return MV_ERR;
	return store_state_root(r->st, root, r->err);
}

/* Record epoch as final and drop the undo records of its ops: the
 * finalized prefix never moves again. */
static int engine_seal_epoch(struct run *r, const struct checkpoint *cp, const uint8_t local[32],
			     int64_t moved)
{
	static const char ins[] = "INSERT INTO log_epochs(epoch, time, root, digest, heads, local_root, ops) "
				  "VALUES(?, ?, ?, ?, ?, ?, ?)";
	static const char drop[] = "DELETE FROM log_undo WHERE seg IN "
				   "(SELECT seg FROM log_ops WHERE epoch = ? AND seg IS NOT NULL)";
	static const char unseg[] = "UPDATE log_ops SET seg = NULL WHERE epoch = ? AND seg IS NOT NULL";
	sqlite3_stmt *s = store_prep(r->st, ins, r->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, cp->epoch);
	sqlite3_bind_int64(s, 2, cp->time);
	sqlite3_bind_blob(s, 3, cp->root, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, cp->digest, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 5, cp->heads.data, (int)cp->heads.len, SQLITE_STATIC);
	sqlite3_bind_blob(s, 6, local, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, moved);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlerr(r->st, r->err, "log_epochs");
	const char *sqls[2] = {drop, unseg};
	for (int i = 0; i < 2; i++) {
		s = store_prep(r->st, sqls[i], r->err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_int64(s, 1, cp->epoch);
		if (sqlite3_step(s) != SQLITE_DONE)
			return store_sqlerr(r->st, r->err, "seal epoch");
	}
	return MV_OK;
}

/* If contract state holds a final checkpoint for the next epoch and the log
 * has every op it covers, finalize it. *done says whether it did. */
static int engine_finalize_next(struct run *r, bool *done)
{
	struct checkpoint cp;
	struct heads hv;
	struct mv_err e;
	int64_t next = engine_last_epoch(r->st) + 1, moved = 0;
	*done = false;
	if (checkpoint_final_get(r->st, next, &cp, &e) != MV_OK)
		return e.code == MV_ENOTFOUND ? MV_OK : mv_fail(r->err, MV_ERR, "%s", e.msg);
	int rc = heads_decode(cp.heads.data, cp.heads.len, &hv, &e);
	if (rc != MV_OK) {
		mv_buf_free(&cp.heads);
		return MV_OK; /* the contract validated it; nothing to finalize */
	}
	if (engine_has_all(r->st, &hv)) {
		uint8_t local[32];
		rc = engine_close_epoch(r, next, &hv, local, &moved);
		if (rc == MV_OK)
			rc = engine_seal_epoch(r, &cp, local, moved);
		*done = rc == MV_OK;
	}
	heads_free(&hv);
	mv_buf_free(&cp.heads);
	return rc;
}

int engine_run(struct store *st, struct engine_stats *stats, engine_progress_fn progress, void *ud,
	       struct mv_err *err)
{
	struct engine_stats local = {0};
	struct run r = {.st = st, .db = store_db(st), .stats = stats ? stats : &local, .err = err};
	if (!store_in_tx(st))
		return mv_fail(err, MV_ERR, "engine_run needs an open transaction");
	if (engine_make_room(&r) != MV_OK)
		return MV_ERR;
	for (;;) {
		bool finalized;
		if (engine_apply_all(&r, -1, progress, ud) != MV_OK ||
		    engine_finalize_next(&r, &finalized) != MV_OK)
			return MV_ERR;
		if (!finalized)
			return MV_OK;
	}
}

int engine_root_at(struct store *st, int64_t epoch, const uint8_t *heads, size_t hn,
		   uint8_t root[32], struct mv_err *err)
{
	struct engine_stats stats = {0};
	struct run r = {.st = st, .db = store_db(st), .stats = &stats, .err = err};
	struct heads hv;
	int64_t moved;
	if (store_in_tx(st))
		return mv_fail(err, MV_ERR, "engine_root_at must run outside a transaction");
	if (heads_decode(heads, hn, &hv, err) != MV_OK)
		return MV_EINVAL;
	if (!engine_has_all(st, &hv)) {
		heads_free(&hv);
		return mv_fail(err, MV_ENOTFOUND, "this node lacks ops the checkpoint covers");
	}
	int rc = store_begin(st, err);
	if (rc == MV_OK) {
		rc = engine_close_epoch(&r, epoch, &hv, root, &moved);
		store_rollback(st); /* a what-if: nothing of it stays */
	}
	heads_free(&hv);
	return rc;
}

int engine_outcome(struct store *st, const uint8_t id[32], char *reason, size_t reasonlen)
{
	static const char sql[] = "SELECT o.ok, o.reason, l.applied FROM log_ops l "
				  "LEFT JOIN op_outcome o ON o.id = l.id WHERE l.id = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (reason && reasonlen)
		reason[0] = '\0';
	if (!s)
		return -1;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int out = -1;
	if (sqlite3_step(s) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
			out = sqlite3_column_int(s, 0) ? 1 : 0;
			if (reason && reasonlen)
				snprintf(reason, reasonlen, "%s", (const char *)sqlite3_column_text(s, 1));
		} else if (sqlite3_column_int(s, 2)) {
			out = -2;
			if (reason && reasonlen)
				snprintf(reason, reasonlen, "author equivocated");
		}
	}
	sqlite3_reset(s);
	return out;
}
