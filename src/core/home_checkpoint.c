/* home_checkpoint.c - what a council member's node does about checkpoints:
 * co-sign the proposal for the next epoch when this node's own state at that
 * point has the same root, or propose one when enough ops (checkpoint_every_ops)
 * or time (checkpoint_every) have passed since the last final epoch. */
#include "home.h"
#include "checkpoint.h"
#include "contract.h"
#include "heads.h"

#include <stdio.h>
#include <string.h>

struct first_prop {
	bool found;
	struct checkpoint cp;
};

static int first_prop_cb(void *ud, const struct checkpoint *cp)
{
	struct first_prop *f = ud;
	f->found = true;
	f->cp = *cp;
	memset(&f->cp.heads, 0, sizeof f->cp.heads);
	return mv_buf_append(&f->cp.heads, cp->heads.data, cp->heads.len) ? -1 : 1;
}

static int tick_submit(struct home *h, const char *as, int64_t epoch, const uint8_t *heads, size_t hn,
		       const uint8_t root[32], int64_t time, struct mv_err *err)
{
	struct body_builder bb;
	struct mv_buf body = {0};
	struct submit_result res;
	bb_init(&bb);
	bb_int(&bb, "epoch", epoch);
	bb_bytes(&bb, "heads", heads, hn);
	bb_id(&bb, "root", root);
	bb_int(&bb, "time", time);
	if (bb_build(&bb, &body, err) != MV_OK)
		return MV_ERR;
	int rc = home_submit(h, as, "checkpoint", body.data, body.len, &res, err);
	mv_buf_free(&body);
	if (rc == MV_OK && res.outcome == 0)
		rc = mv_fail(err, MV_EREJECT, "checkpoint rejected: %s", res.reason);
	return rc;
}

static int64_t tick_scalar(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	int64_t v = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (s)
		sqlite3_reset(s);
	return v;
}

static int tick_cosign(struct home *h, const char *as, const struct checkpoint *cp, char *what,
		       size_t whatlen, struct mv_err *err)
{
	uint8_t mine[32];
	struct mv_err e;
	int rc = engine_root_at(h->st, cp->epoch, cp->heads.data, cp->heads.len, mine, &e);
	if (rc == MV_ENOTFOUND) {
		snprintf(what, whatlen, "epoch %lld: waiting for ops the proposal covers", (long long)cp->epoch);
		return MV_OK;
	}
	if (rc != MV_OK)
		return mv_fail(err, rc, "%s", e.msg);
	if (memcmp(mine, cp->root, 32) != 0) {
		snprintf(what, whatlen, "epoch %lld: the proposed root differs from this node's; not signing",
			 (long long)cp->epoch);
		return MV_OK;
	}
	rc = tick_submit(h, as, cp->epoch, cp->heads.data, cp->heads.len, cp->root, cp->time, err);
	if (rc == MV_OK)
		snprintf(what, whatlen, "epoch %lld: co-signed", (long long)cp->epoch);
	return rc;
}

static int tick_propose(struct home *h, const char *as, int64_t epoch, bool force, char *what,
			size_t whatlen, struct mv_err *err)
{
	/* Checkpoint ops themselves do not make a checkpoint due: otherwise each
	 * epoch's own signatures would call for another one, forever. */
	static const char tail_sql[] = "SELECT count(*) FROM log_ops WHERE epoch = 9223372036854775807";
	static const char work_sql[] = "SELECT count(*) FROM log_ops WHERE epoch = 9223372036854775807 "
				       "AND kind != 'checkpoint'";
	/* Time since the last final epoch, or since genesis before the first. */
	static const char last_sql[] = "SELECT max(coalesce((SELECT max(time) FROM log_epochs), 0), "
				       "coalesce((SELECT clock >> 16 FROM log_ops WHERE epoch = 0), 0))";
	int64_t tail = tick_scalar(h->st, tail_sql), work = tick_scalar(h->st, work_sql);
	int64_t last = tick_scalar(h->st, last_sql), now = mv_now_ms();
	bool due = force ? tail > 0
			 : work > 0 && (work >= param_get(h->st, "checkpoint_every_ops", 1000) ||
					now - last >= param_get(h->st, "checkpoint_every", 600000));
	if (!due) {
		snprintf(what, whatlen, "epoch %lld: not due (%lld tentative ops)", (long long)epoch,
			 (long long)tail);
		return MV_OK;
	}
	struct heads hv;
	struct mv_buf enc = {0};
	uint8_t root[32];
	if (heads_local(h->st, &hv, err) != MV_OK)
		return MV_ERR;
	int rc = heads_encode(&hv, &enc) == MV_OK ? MV_OK : mv_fail(err, MV_ERR, "out of memory");
	heads_free(&hv);
	if (rc == MV_OK)
		rc = store_state_root(h->st, root, err);
	if (rc == MV_OK)
		rc = tick_submit(h, as, epoch, enc.data, enc.len, root, now > last ? now : last, err);
	mv_buf_free(&enc);
	if (rc == MV_OK)
		snprintf(what, whatlen, "epoch %lld: proposed over %lld ops", (long long)epoch, (long long)tail);
	return rc;
}

int home_checkpoint_tick(struct home *h, const char *as, bool force, char *what, size_t whatlen,
			 struct mv_err *err)
{
	char name[KS_NAME_MAX + 1];
	uint8_t pk[32], acct[32];
	if (!as) {
		if (home_default_identity(h, name, sizeof name, err) != MV_OK)
			return MV_ERR;
		as = name;
	}
	if (keystore_public(h->keydir, as, pk, err) != MV_OK)
		return MV_ERR;
	account_of_key(h->st, pk, acct);
	if (!council_is_member(h->st, acct))
		return mv_fail(err, MV_EINVAL, "%s is not a council member", as);
	int64_t epoch = checkpoint_last_final(h->st) + 1;
	if (checkpoint_signed_by(h->st, epoch, acct)) {
		snprintf(what, whatlen, "epoch %lld: signed, waiting for other council members",
			 (long long)epoch);
		return MV_OK;
	}
	struct first_prop f = {0};
	if (checkpoint_proposals(h->st, epoch, first_prop_cb, &f, err) != MV_OK)
		return MV_ERR;
	int rc = f.found ? tick_cosign(h, as, &f.cp, what, whatlen, err)
			 : tick_propose(h, as, epoch, force, what, whatlen, err);
	mv_buf_free(&f.cp.heads);
	return rc;
}
