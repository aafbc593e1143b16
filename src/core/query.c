/* query.c - read-only views of the store for the CLI and the TUI. Nothing
 * here writes; callers get one callback per row, in a stable order. */
#include "query.h"
#include "engine.h"
#include "op.h"
#include "contract.h"

#include <stdio.h>
#include <string.h>

int query_balances(struct store *st, int (*cb)(void *ud, const struct q_balance *r), void *ud,
		   struct mv_err *err)
{
	static const char sql[] = "SELECT account, amount FROM balances ORDER BY amount DESC, account";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_balance r;
		memcpy(r.account, sqlite3_column_blob(s, 0), 32);
		r.amount = sqlite3_column_int64(s, 1);
		if (cb(ud, &r))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "balances");
}

static int log_row(sqlite3_stmt *s, struct q_logrow *r, bool pending)
{
	struct op op;
	struct mv_err e;
	memset(r, 0, sizeof *r);
	if (op_decode(&op, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0), &e) != MV_OK)
		return MV_ERR;
	memcpy(r->id, op.id, 32);
	memcpy(r->author, op.author, 32);
	r->seq = op.seq;
	r->clock = op.clock;
	snprintf(r->kind, sizeof r->kind, "%s", op.kind);
	r->epoch = pending ? ENGINE_TENTATIVE : sqlite3_column_int64(s, 1);
	if (pending) {
		r->status = Q_WAITING;
		snprintf(r->reason, sizeof r->reason, "%s",
			 strcmp((const char *)sqlite3_column_text(s, 1), "future") == 0
				 ? "waiting: clock ahead of local time"
				 : "waiting: earlier ops of this author missing");
	} else if (sqlite3_column_type(s, 2) != SQLITE_NULL) {
		r->status = sqlite3_column_int(s, 2) ? Q_APPLIED : Q_REJECTED;
		snprintf(r->reason, sizeof r->reason, "%s", (const char *)sqlite3_column_text(s, 3));
	} else if (sqlite3_column_int(s, 4)) {
		r->status = Q_EXCLUDED;
		snprintf(r->reason, sizeof r->reason, "author equivocated");
	} else {
		r->status = Q_WAITING;
		snprintf(r->reason, sizeof r->reason, "not applied yet");
	}
	/* body points into the statement's blob: valid during the callback */
	const uint8_t *raw = sqlite3_column_blob(s, 0);
	r->body = raw + (op.raw_len - OP_SIG_LEN - op.body_len);
	r->body_len = op.body_len;
	op_free(&op);
	return MV_OK;
}

static bool log_match(const struct q_logrow *r, const char *kind_prefix, const uint8_t *author)
{
	if (kind_prefix && strncmp(r->kind, kind_prefix, strlen(kind_prefix)) != 0)
		return false;
	return !author || memcmp(r->author, author, 32) == 0;
}

int query_log(struct store *st, bool newest_first, size_t limit, size_t offset,
	      const char *kind_prefix, const uint8_t *author,
	      int (*cb)(void *ud, const struct q_logrow *r), void *ud, struct mv_err *err)
{
	static const char asc[] = "SELECT l.raw, l.epoch, o.ok, o.reason, l.applied FROM log_ops l "
				  "LEFT JOIN op_outcome o ON o.id = l.id ORDER BY l.epoch, l.clock, l.id";
	static const char desc[] = "SELECT l.raw, l.epoch, o.ok, o.reason, l.applied FROM log_ops l "
				   "LEFT JOIN op_outcome o ON o.id = l.id "
				   "ORDER BY l.epoch DESC, l.clock DESC, l.id DESC";
	static const char pend[] = "SELECT raw, why FROM log_pending ORDER BY clock, id";
	size_t seen = 0, sent = 0;
	int stop = 0;
	const char *order[2] = {newest_first ? pend : asc, newest_first ? desc : pend};
	for (int pass = 0; pass < 2 && !stop; pass++) {
		const char *sql = order[pass];
		bool pending = sql == pend;
		sqlite3_stmt *s = store_prep(st, sql, err);
		if (!s)
			return MV_ERR;
		int rc;
		while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
			struct q_logrow r;
			if (log_row(s, &r, pending) != MV_OK || !log_match(&r, kind_prefix, author))
				continue;
			if (seen++ < offset)
				continue;
			if (limit && sent >= limit) {
				stop = 1;
				break;
			}
			sent++;
			stop = cb(ud, &r);
		}
		sqlite3_reset(s);
	}
	return MV_OK;
}

static size_t count_of(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	size_t n = s && sqlite3_step(s) == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
	if (s)
		sqlite3_reset(s);
	return n;
}

size_t query_log_count(struct store *st)
{
	static const char sql[] = "SELECT count(*) FROM log_ops";
	return count_of(st, sql);
}

size_t query_pending_count(struct store *st)
{
	static const char sql[] = "SELECT count(*) FROM log_pending";
	return count_of(st, sql);
}

int query_params(struct store *st, int (*cb)(void *ud, const struct q_param *r), void *ud,
		 struct mv_err *err)
{
	static const char sql[] = "SELECT name, value FROM params ORDER BY name";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_param r = {(const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1)};
		if (cb(ud, &r))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "params");
}

int query_moves(struct store *st, const uint8_t account[32],
		int (*cb)(void *ud, const struct q_move *r), void *ud, struct mv_err *err)
{
	/* Moves in apply order: the op's position in the total order, then idx. */
	static const char sql[] =
		"SELECT m.op, m.time, m.from_acct, m.to_acct, m.amount, m.memo FROM ledger_moves m "
		"JOIN log_ops l ON l.id = m.op WHERE m.from_acct = ?1 OR m.to_acct = ?1 "
		"ORDER BY l.epoch, l.clock, l.id, m.idx";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	int64_t bal = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_move r;
		memset(&r, 0, sizeof r);
		memcpy(r.op, sqlite3_column_blob(s, 0), 32);
		r.time = sqlite3_column_int64(s, 1);
		if (sqlite3_column_type(s, 2) != SQLITE_NULL)
			memcpy(r.from, sqlite3_column_blob(s, 2), 32);
		memcpy(r.to, sqlite3_column_blob(s, 3), 32);
		r.amount = sqlite3_column_int64(s, 4);
		r.memo = (const char *)sqlite3_column_text(s, 5);
		if (memcmp(r.to, account, 32) == 0)
			bal += r.amount;
		if (sqlite3_column_type(s, 2) != SQLITE_NULL && memcmp(r.from, account, 32) == 0)
			bal -= r.amount;
		r.balance_after = bal;
		if (cb(ud, &r))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "moves");
}

int query_network_name(struct store *st, char *out, size_t outlen)
{
	static const char sql[] = "SELECT v FROM network_info WHERE k = 'name'";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (outlen)
		out[0] = '\0';
	if (!s)
		return MV_ERR;
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return MV_OK;
}

int query_council(struct store *st, int (*cb)(void *ud, const uint8_t member[32]), void *ud,
		  struct mv_err *err)
{
	static const char sql[] = "SELECT member FROM council ORDER BY member";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cb(ud, sqlite3_column_blob(s, 0)))
			break;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "council");
}

/* ---- checkpoints and finality ---------------------------------------- */

int query_epochs(struct store *st, int (*cb)(void *ud, const struct q_epoch *r), void *ud,
		 struct mv_err *err)
{
	static const char sql[] = "SELECT epoch, time, ops, root, root = local_root FROM log_epochs "
				  "ORDER BY epoch DESC";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_epoch r;
		r.epoch = sqlite3_column_int64(s, 0);
		r.time = sqlite3_column_int64(s, 1);
		r.ops = sqlite3_column_int64(s, 2);
		memcpy(r.root, sqlite3_column_blob(s, 3), 32);
		r.root_matches = sqlite3_column_int(s, 4) != 0;
		if (cb(ud, &r))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "epochs");
}

int query_finality(struct store *st, struct q_finality *out, struct mv_err *err)
{
	static const char last[] = "SELECT coalesce(max(epoch), 0), coalesce(max(time), 0) FROM log_epochs";
	static const char tail[] = "SELECT count(*) FROM log_ops WHERE epoch = 9223372036854775807";
	static const char sigs[] = "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM checkpoint_sigs "
				   "WHERE epoch = ? GROUP BY digest)";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_prep(st, last, err);
	if (!s)
		return MV_ERR;
	if (sqlite3_step(s) == SQLITE_ROW) {
		out->last_epoch = sqlite3_column_int64(s, 0);
		out->last_time = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	out->tentative_ops = (int64_t)count_of(st, tail);
	if (!(s = store_prep(st, sigs, err)))
		return MV_ERR;
	sqlite3_bind_int64(s, 1, out->last_epoch + 1);
	if (sqlite3_step(s) == SQLITE_ROW)
		out->next_signatures = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	out->threshold = param_get(st, "council_threshold", 1);
	return MV_OK;
}
