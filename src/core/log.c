/* log.c - accepting signed ops into the log (DESIGN §3).
 *
 * Order of checks: decode -> network -> signature -> duplicate ->
 * equivocation -> chain -> gap (pending) -> future clock (pending) -> store.
 * Guarantees: an op is stored at most once; an author's ops are stored only
 * in an unbroken chain (seq 1..n, each prev the id of the one before, clocks
 * strictly increasing), so rowid order of log_ops is a valid replay order;
 * nothing that passed the checks is ever dropped: it is stored, pending or
 * kept as evidence. */
#include "log.h"
#include "engine.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const uint8_t zero32[32];

int log_network(struct store *st, uint8_t out[32], struct mv_err *err)
{
	const uint8_t *net = store_network(st);
	if (!net)
		return mv_fail(err, MV_ENOTFOUND, "no network recorded");
	memcpy(out, net, 32);
	return MV_OK;
}

int log_head(struct store *st, const uint8_t author[32], uint64_t *seq, uint8_t id[32],
	     uint64_t *clock, struct mv_err *err)
{
	static const char sql[] = "SELECT seq, id, clock FROM log_ops WHERE author = ? "
				  "ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*seq = (uint64_t)sqlite3_column_int64(s, 0);
		if (id)
			memcpy(id, sqlite3_column_blob(s, 1), 32);
		if (clock)
			*clock = (uint64_t)sqlite3_column_int64(s, 2);
	} else {
		*seq = 0;
		if (id)
			memset(id, 0, 32);
		if (clock)
			*clock = 0;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "log head");
}

uint64_t log_max_clock(struct store *st)
{
	/* The top of the order index: the highest clock of the newest epoch
	 * (tentative ops sort last). An op made now joins the tentative tail, so
	 * only that part of the order matters for causality. */
	static const char sql[] = "SELECT clock FROM log_ops ORDER BY epoch DESC, clock DESC, id DESC "
				  "LIMIT 1";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return 0;
	uint64_t v = sqlite3_step(s) == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return v;
}

static int log_insert(struct store *st, const struct op *op, struct mv_err *err)
{
	static const char sql[] = "INSERT INTO log_ops(id, author, seq, clock, epoch, kind, raw) "
				  "VALUES(?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	bool genesis = strcmp(op->kind, "genesis") == 0;
	sqlite3_bind_blob(s, 1, op->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, op->author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (int64_t)op->seq);
	sqlite3_bind_int64(s, 4, (int64_t)op->clock);
	sqlite3_bind_int64(s, 5, genesis ? 0 : ENGINE_TENTATIVE);
	sqlite3_bind_text(s, 6, op->kind, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 7, op->raw, (int)op->raw_len, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlerr(st, err, "log insert");
	return MV_OK;
}

static int log_hold(struct store *st, const struct op *op, const char *why, struct mv_err *err)
{
	static const char sql[] = "INSERT OR IGNORE INTO log_pending(id, author, seq, clock, raw, why) "
				  "VALUES(?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, op->id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, op->author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (int64_t)op->seq);
	sqlite3_bind_int64(s, 4, (int64_t)op->clock);
	sqlite3_bind_blob(s, 5, op->raw, (int)op->raw_len, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, why, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlerr(st, err, "pending insert");
	return LOG_PENDING;
}

static int log_evidence_add(struct store *st, const uint8_t author[32], uint64_t seq,
			    const uint8_t id[32], const void *raw, size_t len, struct mv_err *err)
{
	static const char sql[] = "INSERT OR IGNORE INTO log_evidence(author, seq, id, raw) "
				  "VALUES(?, ?, ?, ?)";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)seq);
	sqlite3_bind_blob(s, 3, id, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, raw, (int)len, SQLITE_TRANSIENT);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "evidence");
}

/* Flag author from seq (keeping the lowest seq), then make the engine
 * re-apply that author's ops from there so they are excluded. */
static int log_flag(struct store *st, const uint8_t author[32], uint64_t seq, struct mv_err *err)
{
	static const char sql[] = "INSERT INTO log_equivocation(author, seq) VALUES(?, ?) "
				  "ON CONFLICT(author) DO UPDATE SET seq = min(seq, excluded.seq)";
	static const char first[] = "SELECT epoch, clock, id FROM log_ops WHERE author = ? AND seq >= ? "
				    "ORDER BY epoch, clock, id LIMIT 1";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)seq);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlerr(st, err, "equivocation");
	s = store_prep(st, first, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)seq);
	if (sqlite3_step(s) != SQLITE_ROW)
		return MV_OK;
	int64_t epoch = sqlite3_column_int64(s, 0);
	uint64_t clock = (uint64_t)sqlite3_column_int64(s, 1);
	uint8_t id[32];
	memcpy(id, sqlite3_column_blob(s, 2), 32);
	sqlite3_reset(s);
	return engine_rewind(st, epoch, clock, id, err);
}

/* The op held for (author, seq) in the log or pending, if any. */
static int log_slot(struct store *st, const uint8_t author[32], uint64_t seq, uint8_t id[32],
		    struct mv_buf *raw)
{
	static const char sql[] = "SELECT id, raw FROM log_ops WHERE author = ?1 AND seq = ?2 "
				  "UNION ALL SELECT id, raw FROM log_pending WHERE author = ?1 AND seq = ?2 "
				  "LIMIT 1";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, author, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)seq);
	int found = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		memcpy(id, sqlite3_column_blob(s, 0), 32);
		raw->len = 0;
		if (mv_buf_append(raw, sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1)))
			found = -1;
		else
			found = 1;
	}
	sqlite3_reset(s);
	return found;
}

static int log_equivocation(struct store *st, const struct op *op, const uint8_t other_id[32],
			    const struct mv_buf *other_raw, struct mv_err *err)
{
	if (log_evidence_add(st, op->author, op->seq, other_id, other_raw->data, other_raw->len,
			     err) != MV_OK ||
	    log_evidence_add(st, op->author, op->seq, op->id, op->raw, op->raw_len, err) != MV_OK ||
	    log_flag(st, op->author, op->seq, err) != MV_OK)
		return MV_ERR;
	return LOG_EQUIVOCATION;
}

static int log_accept_genesis(struct store *st, const struct op *op, struct mv_err *err)
{
	uint8_t net[32];
	if (op->seq != 1 || memcmp(op->prev, zero32, 32) != 0 || memcmp(op->network, zero32, 32) != 0)
		return mv_fail(err, LOG_REFUSED, "genesis must be seq 1 with zero prev and network");
	if (log_network(st, net, NULL) == MV_OK)
		return memcmp(net, op->id, 32) == 0
			       ? LOG_DUPLICATE
			       : mv_fail(err, LOG_REFUSED, "genesis of another network");
	if (log_insert(st, op, err) != MV_OK)
		return MV_ERR;
	char hex[65];
	mv_hex(hex, op->id, 32);
	store_forget(st);
	return store_meta_set(st, "network", hex, err) == MV_OK ? LOG_NEW : MV_ERR;
}

static int log_store_chained(struct store *st, const struct op *op, int64_t now_ms,
			     struct mv_err *err);

/* After storing an op, accept its successor if it was waiting on it. */
static int log_follow(struct store *st, const struct op *op, int64_t now_ms, struct mv_err *err)
{
	static const char sql[] = "SELECT raw FROM log_pending WHERE author = ? AND seq = ? AND why = 'gap'";
	static const char del[] = "DELETE FROM log_pending WHERE id = ?";
	uint64_t seq = op->seq + 1;
	for (;;) {
		sqlite3_stmt *s = store_prep(st, sql, err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_blob(s, 1, op->author, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, (int64_t)seq);
		if (sqlite3_step(s) != SQLITE_ROW)
			return MV_OK;
		struct op next;
		struct mv_err e;
		int rc = op_decode(&next, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0), &e);
		sqlite3_reset(s);
		if (rc != MV_OK)
			return mv_fail(err, MV_ERR, "pending op unreadable: %s", e.msg);
		s = store_prep(st, del, err);
		if (!s) {
			op_free(&next);
			return MV_ERR;
		}
		sqlite3_bind_blob(s, 1, next.id, 32, SQLITE_STATIC);
		sqlite3_step(s);
		/* The pending op was verified on arrival; its chain is checked now. */
		rc = log_store_chained(st, &next, now_ms, &e);
		op_free(&next);
		if (rc < 0)
			return mv_fail(err, rc, "%s", e.msg);
		if (rc != LOG_NEW)
			return MV_OK; /* refused or held again: the chain stops here */
		seq++;
	}
}

/* Chain checks for an op whose predecessor may be in the log. */
static int log_store_chained(struct store *st, const struct op *op, int64_t now_ms,
			     struct mv_err *err)
{
	uint64_t head;
	uint8_t head_id[32];
	uint64_t head_clock;
	if (log_head(st, op->author, &head, head_id, &head_clock, err) != MV_OK)
		return MV_ERR;
	if (op->seq > head + 1)
		return log_hold(st, op, "gap", err);
	if (op->seq <= head) /* held already: caller checked id, so this is equivocation */
		return mv_fail(err, LOG_REFUSED, "seq %llu already taken", (unsigned long long)op->seq);
	if (memcmp(op->prev, head_id, 32) != 0)
		return mv_fail(err, LOG_REFUSED, "broken chain: prev of seq %llu does not match",
			       (unsigned long long)op->seq);
	if (head && op->clock <= head_clock)
		return mv_fail(err, LOG_REFUSED, "broken chain: clock not above predecessor's");
	if (op_clock_ms(op->clock) > now_ms + LOG_FUTURE_MS)
		return log_hold(st, op, "future", err);
	if (log_insert(st, op, err) != MV_OK)
		return MV_ERR;
	if (log_follow(st, op, now_ms, err) != MV_OK)
		return MV_ERR;
	return LOG_NEW;
}

/* Is id held as evidence only (the losing side of an equivocation)? */
static bool log_in_evidence(struct store *st, const uint8_t id[32])
{
	static const char sql[] = "SELECT 1 FROM log_evidence WHERE id = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}

int log_accept_verified(struct store *st, const struct op *op, int64_t now_ms, struct mv_err *err)
{
	if (strcmp(op->kind, "genesis") == 0)
		return log_accept_genesis(st, op, err);
	const uint8_t *net = store_network(st);
	if (!net)
		return mv_fail(err, LOG_REFUSED, "this home has no network yet (genesis missing)");
	if (memcmp(op->network, net, 32) != 0)
		return mv_fail(err, LOG_REFUSED, "op of another network");
	if (op->seq == 0)
		return mv_fail(err, LOG_REFUSED, "seq must start at 1");
	/* One lookup of the (author, seq) slot decides duplicate or equivocation;
	 * an op seen only as evidence is a duplicate too. */
	uint8_t other[32];
	struct mv_buf raw = {0};
	int held = log_slot(st, op->author, op->seq, other, &raw);
	int rc;
	if (held < 0)
		rc = mv_fail(err, MV_ERR, "out of memory");
	else if (held > 0 && memcmp(other, op->id, 32) == 0)
		rc = LOG_DUPLICATE;
	else if (log_in_evidence(st, op->id))
		rc = LOG_DUPLICATE;
	else if (held > 0)
		rc = log_equivocation(st, op, other, &raw, err);
	else
		rc = log_store_chained(st, op, now_ms, err);
	mv_buf_free(&raw);
	return rc;
}

int log_accept(struct store *st, const uint8_t *raw, size_t len, int64_t now_ms, struct mv_err *err)
{
	struct op op;
	if (op_decode(&op, raw, len, err) != MV_OK)
		return err ? (err->code = LOG_REFUSED) : LOG_REFUSED;
	int rc;
	if (op_verify(&op, err) != MV_OK)
		rc = err ? (err->code = LOG_REFUSED) : LOG_REFUSED;
	else
		rc = log_accept_verified(st, &op, now_ms, err);
	op_free(&op);
	return rc;
}

int log_promote_pending(struct store *st, int64_t now_ms, size_t *promoted, struct mv_err *err)
{
	/* Only the lowest waiting seq of each author can move; log_follow takes
	 * the rest of its run. */
	static const char sql[] = "SELECT raw FROM log_pending p WHERE NOT EXISTS "
				  "(SELECT 1 FROM log_pending q WHERE q.author = p.author AND q.seq < p.seq)";
	static const char del[] = "DELETE FROM log_pending WHERE id = ?";
	size_t n = 0;
	struct mv_buf all = {0};
	size_t count = 0;
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	while (sqlite3_step(s) == SQLITE_ROW) {
		uint64_t len = (uint64_t)sqlite3_column_bytes(s, 0);
		if (mv_buf_varint(&all, len) || mv_buf_append(&all, sqlite3_column_blob(s, 0), len)) {
			sqlite3_reset(s);
			mv_buf_free(&all);
			return mv_fail(err, MV_ERR, "out of memory");
		}
		count++;
	}
	sqlite3_reset(s);
	size_t off = 0;
	int rc = MV_OK;
	for (size_t i = 0; i < count && rc == MV_OK; i++) {
		uint64_t len;
		int used = mv_varint_get(all.data + off, all.len - off, &len);
		off += (size_t)used;
		struct op op;
		struct mv_err e;
		if (op_decode(&op, all.data + off, (size_t)len, &e) != MV_OK) {
			off += (size_t)len;
			continue;
		}
		off += (size_t)len;
		uint64_t head;
		if (log_head(st, op.author, &head, NULL, NULL, err) != MV_OK) {
			op_free(&op);
			rc = MV_ERR;
			break;
		}
		bool ready = op.seq == head + 1 && op_clock_ms(op.clock) <= now_ms + LOG_FUTURE_MS;
		if (ready) {
			s = store_prep(st, del, err);
			if (!s) {
				op_free(&op);
				rc = MV_ERR;
				break;
			}
			sqlite3_bind_blob(s, 1, op.id, 32, SQLITE_STATIC);
			sqlite3_step(s);
			int r = log_store_chained(st, &op, now_ms, &e);
			if (r == LOG_NEW)
				n++;
			else if (r < 0)
				rc = mv_fail(err, r, "%s", e.msg);
		}
		op_free(&op);
	}
	mv_buf_free(&all);
	if (promoted)
		*promoted = n;
	return rc;
}

/* ---- parallel verification ------------------------------------------- */

struct verify_job {
	const uint8_t *const *raws;
	const size_t *lens;
	struct op *ops;
	bool *ok;
	struct mv_err *errs;
	size_t from, to;
};

static void *verify_worker(void *arg)
{
	struct verify_job *j = arg;
	for (size_t i = j->from; i < j->to; i++) {
		memset(&j->ops[i], 0, sizeof j->ops[i]);
		j->ok[i] = op_decode(&j->ops[i], j->raws[i], j->lens[i], &j->errs[i]) == MV_OK &&
			   op_verify(&j->ops[i], &j->errs[i]) == MV_OK;
	}
	return NULL;
}

int log_verify_batch(const uint8_t *const *raws, const size_t *lens, size_t n, struct op *ops,
		     bool *ok, struct mv_err *errs, int threads)
{
	if (sodium_init() < 0)
		return MV_ERR;
	if (threads <= 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		threads = c > 0 ? (int)c : 1;
	}
	if (threads > 16)
		threads = 16;
	if ((size_t)threads > n)
		threads = n ? (int)n : 1;
	struct verify_job jobs[16];
	pthread_t tid[16];
	size_t per = n / (size_t)threads, extra = n % (size_t)threads, at = 0;
	for (int t = 0; t < threads; t++) {
		size_t cnt = per + ((size_t)t < extra);
		jobs[t] = (struct verify_job){raws, lens, ops, ok, errs, at, at + cnt};
		at += cnt;
	}
	bool started[16] = {false};
	for (int t = 1; t < threads; t++)
		started[t] = pthread_create(&tid[t], NULL, verify_worker, &jobs[t]) == 0;
	verify_worker(&jobs[0]);
	for (int t = 1; t < threads; t++)
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			verify_worker(&jobs[t]);
	return MV_OK;
}
