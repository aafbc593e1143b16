/* query_gov.c - read-only views of groups, proposals, delegation, upgrades,
 * compliance and bots (see query_gov.h). Lists whose callbacks may run
 * other queries collect their keys first and then load each row, so no
 * cached statement is stepped while a callback uses the store. Every
 * multi-row read has an ORDER BY. */
#include "query_gov.h"
#include "contract.h"
#include "economy.h"
#include "blob.h"
#include "op.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef __int128 i128;

/* ---- helpers ------------------------------------------------------------------ */

static void col_text(sqlite3_stmt *s, int i, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(out, n, "%s", t ? (const char *)t : "");
}

static void col_id(sqlite3_stmt *s, int i, uint8_t out[32])
{
	if (sqlite3_column_bytes(s, i) == 32)
		memcpy(out, sqlite3_column_blob(s, i), 32);
	else
		memset(out, 0, 32);
}

static int finish(struct store *st, sqlite3_stmt *s, int rc, struct mv_err *err, const char *what)
{
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(st, err, what);
	return MV_OK;
}

struct ids {
	uint8_t (*v)[32];
	size_t n, cap;
};

/* Column 0 of every row of sql (binding a as ?1 when given). */
static int collect(struct store *st, const char *sql, const uint8_t *a, struct ids *l,
		   struct mv_err *err)
{
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	if (a)
		sqlite3_bind_blob(s, 1, a, 32, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 16;
			void *v = realloc(l->v, cap * 32);
			if (!v) {
				sqlite3_reset(s);
				return mv_fail(err, MV_ERR, "out of memory");
			}
			l->v = v;
			l->cap = cap;
		}
		col_id(s, 0, l->v[l->n++]);
	}
	return finish(st, s, rc, err, "query");
}

static int64_t one_int(struct store *st, const char *sql, const uint8_t *a, const uint8_t *b,
		       int64_t dflt)
{
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return dflt;
	if (a)
		sqlite3_bind_blob(s, 1, a, 32, SQLITE_STATIC);
	if (b)
		sqlite3_bind_blob(s, 2, b, 32, SQLITE_STATIC);
	int64_t v = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL
			    ? sqlite3_column_int64(s, 0)
			    : dflt;
	sqlite3_reset(s);
	return v;
}

/* ---- groups ----------------------------------------------------------------------- */

int query_group(struct store *st, const uint8_t id[32], const uint8_t *me, struct q_group *g,
		struct mv_err *err)
{
	static const char sql[] =
		"SELECT creator, name, topic, charter, join_policy, stake_weighted, quorum_bp, created,"
		" key_epoch, keyed,"
		" (SELECT count(*) FROM groups_members m WHERE m.grp = g.id AND m.left_at IS NULL),"
		" (SELECT count(*) FROM groups_posts p WHERE p.grp = g.id)"
		" FROM groups_info g WHERE id = ?";
	static const char mem[] = "SELECT moderator FROM groups_members WHERE grp = ?1 AND member = ?2"
				  " AND left_at IS NULL";
	static const char inv[] = "SELECT 1 FROM groups_invites WHERE grp = ?1 AND invitee = ?2";
	static const char app[] = "SELECT 1 FROM groups_applications WHERE grp = ?1 AND applicant = ?2";
	static const char key[] = "SELECT 1 FROM groups_keys k JOIN groups_info g ON g.id = k.grp"
				  " AND g.key_epoch = k.epoch WHERE k.grp = ?1 AND k.member = ?2";
	static const char keyless[] =
		"SELECT count(*) FROM groups_members m JOIN groups_info g ON g.id = m.grp"
		" WHERE m.grp = ?1 AND m.left_at IS NULL AND NOT EXISTS (SELECT 1 FROM groups_keys k"
		" WHERE k.grp = m.grp AND k.epoch = g.key_epoch AND k.member = m.member)";
	memset(g, 0, sizeof *g);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memcpy(g->id, id, 32);
		col_id(s, 0, g->creator);
		col_text(s, 1, g->name, sizeof g->name);
		col_text(s, 2, g->topic, sizeof g->topic);
		col_text(s, 3, g->charter, sizeof g->charter);
		col_text(s, 4, g->join_policy, sizeof g->join_policy);
		g->stake_weighted = sqlite3_column_int(s, 5) != 0;
		g->quorum_bp = sqlite3_column_int64(s, 6);
		g->created = sqlite3_column_int64(s, 7);
		g->key_epoch = sqlite3_column_int64(s, 8);
		g->keyed = sqlite3_column_int(s, 9) != 0;
		g->members = sqlite3_column_int64(s, 10);
		g->posts = sqlite3_column_int64(s, 11);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return mv_fail(err, MV_ENOTFOUND, "no such group");
	if (rc != SQLITE_ROW)
		return store_sqlerr(st, err, "groups_info");
	groups_account(id, g->account);
	g->balance = ledger_balance(st, g->account);
	if (me) {
		int64_t m = one_int(st, mem, id, me, -1);
		g->me_member = m >= 0;
		g->me_moderator = m > 0;
		g->me_invited = one_int(st, inv, id, me, 0) != 0;
		g->me_applied = one_int(st, app, id, me, 0) != 0;
		g->me_has_key = g->keyed && one_int(st, key, id, me, 0) != 0;
	}
	g->me_keyless_members = g->keyed ? one_int(st, keyless, id, NULL, 0) : g->members;
	return MV_OK;
}

int query_groups(struct store *st, const uint8_t *me, bool mine,
		 int (*cb)(void *ud, const struct q_group *g), void *ud, struct mv_err *err)
{
	static const char all[] = "SELECT id FROM groups_info ORDER BY name, id";
	static const char my[] =
		"SELECT id FROM groups_info WHERE id IN (SELECT grp FROM groups_members WHERE member = ?1"
		" AND left_at IS NULL UNION SELECT grp FROM groups_invites WHERE invitee = ?1"
		" UNION SELECT grp FROM groups_applications WHERE applicant = ?1) ORDER BY name, id";
	struct ids l = {0};
	int rc = collect(st, mine && me ? my : all, mine ? me : NULL, &l, err);
	struct q_group *g = malloc(sizeof *g);
	if (rc == MV_OK && !g)
		rc = mv_fail(err, MV_ERR, "out of memory");
	for (size_t i = 0; rc == MV_OK && i < l.n; i++) {
		rc = query_group(st, l.v[i], me, g, err);
		if (rc == MV_OK && cb(ud, g))
			break;
	}
	free(g);
	free(l.v);
	return rc;
}

int query_group_members(struct store *st, const uint8_t group[32], bool include_past,
			int (*cb)(void *ud, const struct q_group_member *m), void *ud,
			struct mv_err *err)
{
	static const char sql[] =
		"SELECT m.member, m.joined, m.how, m.moderator, coalesce(m.left_at, 0),"
		" coalesce(m.left_how, ''), EXISTS (SELECT 1 FROM groups_keys k JOIN groups_info g"
		" ON g.id = k.grp WHERE k.grp = m.grp AND k.epoch = g.key_epoch AND k.member = m.member"
		" AND g.keyed = 1)"
		" FROM groups_members m WHERE m.grp = ?1 AND (?2 OR m.left_at IS NULL)"
		" ORDER BY m.left_at IS NOT NULL, m.moderator DESC, m.joined, m.member, m.op";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, group, 32, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, include_past);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_group_member m;
		col_id(s, 0, m.member);
		m.joined = sqlite3_column_int64(s, 1);
		col_text(s, 2, m.how, sizeof m.how);
		m.moderator = sqlite3_column_int(s, 3) != 0;
		m.left_at = sqlite3_column_int64(s, 4);
		col_text(s, 5, m.left_how, sizeof m.left_how);
		m.has_key = sqlite3_column_int(s, 6) != 0;
		if (cb(ud, &m))
			break;
	}
	return finish(st, s, rc, err, "groups_members");
}

int query_group_pending(struct store *st, const uint8_t group[32],
			int (*cb)(void *ud, const struct q_group_pending *p), void *ud,
			struct mv_err *err)
{
	static const char sql[] =
		"SELECT invitee, inviter, 1, time, 0 FROM groups_invites WHERE grp = ?1"
		" UNION ALL SELECT applicant, applicant, 0, time, EXISTS (SELECT 1 FROM"
		" groups_app_messages m WHERE m.op = a.op) FROM groups_applications a WHERE grp = ?1"
		" ORDER BY 4, 1";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, group, 32, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_group_pending p;
		col_id(s, 0, p.account);
		col_id(s, 1, p.by);
		p.invitation = sqlite3_column_int(s, 2) != 0;
		p.time = sqlite3_column_int64(s, 3);
		p.has_message = sqlite3_column_int(s, 4) != 0;
		if (cb(ud, &p))
			break;
	}
	return finish(st, s, rc, err, "groups pending");
}

int query_group_posts(struct store *st, const uint8_t group[32], const uint8_t *me, size_t limit,
		      int (*cb)(void *ud, const struct q_group_post *p), void *ud,
		      struct mv_err *err)
{
	static const char sql[] =
		"SELECT p.id, p.author, p.blob, p.time, p.key_epoch, p.helpful,"
		" EXISTS (SELECT 1 FROM groups_keys k WHERE k.grp = p.grp AND k.epoch = p.key_epoch"
		" AND k.member = ?2),"
		" EXISTS (SELECT 1 FROM groups_helpful h WHERE h.post = p.id AND h.marker = ?2)"
		" FROM groups_posts p WHERE p.grp = ?1 ORDER BY p.time DESC, p.id DESC";
	static const uint8_t none[32];
	/* collected first: callers open posts, which uses the store */
	struct q_group_post *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, group, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, me ? me : none, 32, SQLITE_STATIC);
	int out = MV_OK;
	while ((limit == 0 || n < limit) && sqlite3_step(s) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			void *p = realloc(v, cap * sizeof *v);
			if (!p) {
				out = mv_fail(err, MV_ERR, "out of memory");
				break;
			}
			v = p;
		}
		struct q_group_post *p = &v[n++];
		col_id(s, 0, p->id);
		col_id(s, 1, p->author);
		col_id(s, 2, p->blob);
		p->time = sqlite3_column_int64(s, 3);
		p->key_epoch = sqlite3_column_int64(s, 4);
		p->helpful = sqlite3_column_int64(s, 5);
		p->readable = sqlite3_column_int(s, 6) != 0;
		p->marked_by_me = sqlite3_column_int(s, 7) != 0;
	}
	sqlite3_reset(s);
	for (size_t i = 0; out == MV_OK && i < n; i++)
		if (cb(ud, &v[i]))
			break;
	free(v);
	return out;
}

/* ---- resolving what a user types ------------------------------------------------------ */

static int resolve(struct store *st, const char *sql, const char *text, const char *what,
		   uint8_t out[32], struct mv_err *err)
{
	size_t n = strlen(text);
	if (n == 64 && mv_unhex(out, 32, text) == MV_OK)
		return MV_OK;
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	int hits = 0, rc;
	char hex[65];
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = sqlite3_column_count(s) > 1
					   ? (const char *)sqlite3_column_text(s, 1) : NULL;
		if (sqlite3_column_bytes(s, 0) != 32)
			continue;
		mv_hex(hex, sqlite3_column_blob(s, 0), 32);
		bool exact = name && strcmp(name, text) == 0;
		if (exact || (n >= 6 && n <= 64 && strncasecmp(hex, text, n) == 0)) {
			memcpy(out, sqlite3_column_blob(s, 0), 32);
			hits += exact ? 1000 : 1; /* an exact name wins over prefixes */
		}
		if (exact)
			break;
	}
	int r = finish(st, s, rc == SQLITE_ROW ? SQLITE_DONE : rc, err, what);
	if (r != MV_OK)
		return r;
	if (hits == 1 || hits >= 1000)
		return MV_OK;
	if (hits > 1)
		return mv_fail(err, MV_EINVAL, "'%s' names more than one %s: give more digits", text,
			       what);
	return mv_fail(err, MV_ENOTFOUND, "no %s '%s' (give its name, its id or its first 6+ hex "
		       "digits)", what, text);
}

int query_group_resolve(struct store *st, const char *text, uint8_t out[32], struct mv_err *err)
{
	static const char sql[] = "SELECT id, name FROM groups_info ORDER BY id";
	return resolve(st, sql, text, "group", out, err);
}

int query_proposal_resolve(struct store *st, const char *text, uint8_t out[32], struct mv_err *err)
{
	static const char sql[] = "SELECT id FROM gov_proposals ORDER BY id";
	return resolve(st, sql, text, "proposal", out, err);
}

/* ---- proposals ----------------------------------------------------------------------- */

static void proposal_extras(struct store *st, struct q_proposal *q, int64_t now, const uint8_t *me)
{
	static const char desc[] = "SELECT description FROM gov_proposals WHERE id = ?";
	static const char gname[] = "SELECT name FROM groups_info WHERE id = ?";
	static const char vote[] = "SELECT choice FROM gov_votes WHERE proposal = ?1 AND voter = ?2";
	const struct gov_proposal *p = &q->p;
	sqlite3_stmt *s = store_prep(st, desc, NULL);
	if (s) {
		sqlite3_bind_blob(s, 1, p->id, 32, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			col_text(s, 0, q->description, sizeof q->description);
		sqlite3_reset(s);
	}
	if (p->group_scope && (s = store_prep(st, gname, NULL))) {
		sqlite3_bind_blob(s, 1, p->group, 32, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			col_text(s, 0, q->group_name, sizeof q->group_name);
		sqlite3_reset(s);
	}
	i128 need = (i128)p->total_power * p->quorum_bp;
	q->quorum_power = (int64_t)(need / 10000 + (need % 10000 != 0));
	i128 cast = (i128)p->for_power + p->against_power + p->abstain_power;
	q->turnout_bp = p->total_power > 0 ? (int64_t)(cast * 10000 / p->total_power) : 0;
	i128 dec = (i128)p->for_power + p->against_power;
	q->for_bp = dec > 0 ? (int64_t)((i128)p->for_power * 10000 / dec) : 0;
	switch (p->state) {
	case GOV_PENDING:
		q->next_time = p->vote_start;
		q->next_what = "voting opens";
		break;
	case GOV_ACTIVE:
		q->next_time = p->vote_end;
		q->next_what = "voting ends";
		break;
	case GOV_QUEUED:
		q->next_time = now < p->eta ? p->eta : p->expires;
		q->next_what = now < p->eta ? "executable" : "expires";
		break;
	default:
		q->next_time = 0;
		q->next_what = "";
		break;
	}
	if (me && (s = store_prep(st, vote, NULL))) {
		sqlite3_bind_blob(s, 1, p->id, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, me, 32, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			col_text(s, 0, q->my_vote, sizeof q->my_vote);
		sqlite3_reset(s);
	}
	if (me)
		q->my_power = gov_vote_power(st, p, me, q->why_no_power, sizeof q->why_no_power);
}

int query_proposal(struct store *st, const uint8_t id[32], int64_t now, const uint8_t *me,
		   struct q_proposal *out, struct mv_err *err)
{
	memset(out, 0, sizeof *out);
	int rc = gov_proposal_get(st, id, now, &out->p, err);
	if (rc == MV_ENOTFOUND)
		return mv_fail(err, MV_ENOTFOUND, "no such proposal");
	if (rc != MV_OK)
		return rc;
	proposal_extras(st, out, now, me);
	return MV_OK;
}

int query_proposals(struct store *st, int64_t now, const uint8_t *me, enum q_proposal_filter f,
		    const uint8_t *group, int (*cb)(void *ud, const struct q_proposal *p), void *ud,
		    struct mv_err *err)
{
	static const char all[] = "SELECT id FROM gov_proposals ORDER BY created DESC, id";
	static const char plat[] = "SELECT id FROM gov_proposals WHERE scope = 'platform'"
				   " ORDER BY created DESC, id";
	static const char grp[] = "SELECT id FROM gov_proposals WHERE scope = 'group'"
				  " ORDER BY created DESC, id";
	static const char one[] = "SELECT id FROM gov_proposals WHERE grp = ?1"
				  " ORDER BY created DESC, id";
	const char *sql = f == QP_PLATFORM ? plat : f == QP_GROUP ? (group ? one : grp) : all;
	struct ids l = {0};
	int rc = collect(st, sql, f == QP_GROUP ? group : NULL, &l, err);
	struct q_proposal *q = malloc(sizeof *q);
	if (rc == MV_OK && !q)
		rc = mv_fail(err, MV_ERR, "out of memory");
	for (size_t i = 0; rc == MV_OK && i < l.n; i++) {
		rc = query_proposal(st, l.v[i], now, me, q, err);
		if (rc != MV_OK)
			break;
		if (f == QP_LIVE && q->p.state != GOV_PENDING && q->p.state != GOV_ACTIVE)
			continue;
		if (cb(ud, q))
			break;
	}
	free(q);
	free(l.v);
	return rc;
}

int query_proposal_actions(struct store *st, const uint8_t id[32],
			   int (*cb)(void *ud, const struct q_action *a), void *ud, struct mv_err *err)
{
	static const char sql[] = "SELECT idx, type, body FROM gov_actions WHERE proposal = ?"
				  " ORDER BY idx";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_action a;
		a.idx = sqlite3_column_int64(s, 0);
		col_text(s, 1, a.type, sizeof a.type);
		a.body = sqlite3_column_blob(s, 2);
		a.len = (size_t)sqlite3_column_bytes(s, 2);
		gov_action_describe(a.body, a.len, a.text, sizeof a.text);
		if (cb(ud, &a))
			break;
	}
	return finish(st, s, rc, err, "gov_actions");
}

int query_proposal_votes(struct store *st, const uint8_t id[32],
			 int (*cb)(void *ud, const struct q_vote *v), void *ud, struct mv_err *err)
{
	static const char sql[] = "SELECT voter, choice, power, time, first_time, changes, reason"
				  " FROM gov_votes WHERE proposal = ? ORDER BY power DESC, voter";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_vote v;
		col_id(s, 0, v.voter);
		col_text(s, 1, v.choice, sizeof v.choice);
		v.power = sqlite3_column_int64(s, 2);
		v.time = sqlite3_column_int64(s, 3);
		v.first_time = sqlite3_column_int64(s, 4);
		v.changes = sqlite3_column_int64(s, 5);
		col_text(s, 6, v.reason, sizeof v.reason);
		if (cb(ud, &v))
			break;
	}
	return finish(st, s, rc, err, "gov_votes");
}

/* ---- delegation ------------------------------------------------------------------------ */

static bool ids_push(struct ids *l, const uint8_t id[32])
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *v = realloc(l->v, cap * 32);
		if (!v)
			return false;
		l->v = v;
		l->cap = cap;
	}
	memcpy(l->v[l->n++], id, 32);
	return true;
}

static bool ids_has(const struct ids *l, const uint8_t id[32])
{
	for (size_t i = 0; i < l->n; i++)
		if (memcmp(l->v[i], id, 32) == 0)
			return true;
	return false;
}

/* Accounts whose delegation chain at now ends at account (breadth first),
 * their count, and their staking power summed into *power. */
static int64_t chain_delegators(struct store *st, const uint8_t account[32], int64_t now,
				int64_t *power)
{
	static const char sql[] = "SELECT delegator FROM gov_delegations WHERE delegate = ?1"
				  " AND start <= ?2 AND (end_at IS NULL OR end_at > ?2) ORDER BY delegator";
	struct ids seen = {0};
	int64_t count = 0;
	if (!ids_push(&seen, account))
		return 0;
	for (size_t i = 0; i < seen.n; i++) {
		struct ids from = {0};
		sqlite3_stmt *s = store_prep(st, sql, NULL);
		if (!s)
			break;
		sqlite3_bind_blob(s, 1, seen.v[i], 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now);
		while (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 32)
			if (!ids_push(&from, sqlite3_column_blob(s, 0)))
				break;
		sqlite3_reset(s);
		for (size_t k = 0; k < from.n; k++) {
			if (ids_has(&seen, from.v[k]) || !ids_push(&seen, from.v[k]))
				continue;
			count++;
			int64_t p = staking_voting_power(st, from.v[k], now);
			*power = *power > INT64_MAX - p ? INT64_MAX : *power + p;
		}
		free(from.v);
	}
	free(seen.v);
	return count;
}

int query_delegation(struct store *st, const uint8_t account[32], int64_t now,
		     struct q_delegation *out, struct mv_err *err)
{
	static const char since[] = "SELECT start FROM gov_delegations WHERE delegator = ?1"
				    " AND start <= ?2 AND (end_at IS NULL OR end_at > ?2)"
				    " ORDER BY start DESC, op LIMIT 1";
	memset(out, 0, sizeof *out);
	out->own_power = staking_voting_power(st, account, now);
	out->delegating = gov_delegate_at(st, account, now, out->to);
	if (out->delegating) {
		sqlite3_stmt *s = store_prep(st, since, err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now);
		if (sqlite3_step(s) == SQLITE_ROW)
			out->since = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		memcpy(out->final, out->to, 32);
		out->hops = 1;
		uint8_t next[32];
		while (out->hops < 64 && gov_delegate_at(st, out->final, now, next)) {
			memcpy(out->final, next, 32);
			out->hops++;
		}
	} else {
		memcpy(out->final, account, 32);
	}
	int64_t received = 0;
	out->delegators = chain_delegators(st, account, now, &received);
	if (!out->delegating)
		out->vote_power = out->own_power > INT64_MAX - received ? INT64_MAX
									: out->own_power + received;
	return MV_OK;
}

int query_delegators(struct store *st, const uint8_t account[32], int64_t now,
		     int (*cb)(void *ud, const uint8_t who[32], int64_t since), void *ud,
		     struct mv_err *err)
{
	static const char sql[] = "SELECT delegator, start FROM gov_delegations WHERE delegate = ?1"
				  " AND start <= ?2 AND (end_at IS NULL OR end_at > ?2) ORDER BY delegator";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		uint8_t who[32];
		col_id(s, 0, who);
		if (cb(ud, who, sqlite3_column_int64(s, 1)))
			break;
	}
	return finish(st, s, rc, err, "gov_delegations");
}

/* ---- upgrades ------------------------------------------------------------------------- */

void query_upgrade_status(struct store *st, struct upgrade_status *out)
{
	upgrades_status(st, out);
}

int query_upgrades(struct store *st, int (*cb)(void *ud, const struct q_upgrade *u), void *ud,
		   struct mv_err *err)
{
	static const char sql[] = "SELECT version, epoch, time, proposal,"
				  " epoch <= (SELECT coalesce(max(epoch), 0) FROM checkpoint_final)"
				  " FROM upgrades_schedule ORDER BY version";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_upgrade u;
		u.version = sqlite3_column_int64(s, 0);
		u.epoch = sqlite3_column_int64(s, 1);
		u.time = sqlite3_column_int64(s, 2);
		col_id(s, 3, u.proposal);
		u.in_force = sqlite3_column_int(s, 4) != 0;
		if (cb(ud, &u))
			break;
	}
	return finish(st, s, rc, err, "upgrades_schedule");
}

/* ---- compliance ------------------------------------------------------------------------ */

int query_regulator_requests(struct store *st, const uint8_t *subject, const uint8_t *regulator,
			     const uint8_t *me, int (*cb)(void *ud, const struct q_reg_request *r),
			     void *ud, struct mv_err *err)
{
	static const char sql[] =
		"SELECT r.id, r.regulator, r.subject, r.scope, r.legal_basis, r.state, r.deny_reason,"
		" r.created, coalesce(r.decided_at, 0), coalesce(r.delivered_at, 0),"
		" (SELECT count(*) FROM council_requests q JOIN council_votes v ON v.topic = q.topic"
		"  JOIN council c ON c.member = v.member WHERE q.kind = 'regulator.approve'"
		"  AND q.subject = r.id),"
		" (SELECT count(*) FROM council_requests q JOIN council_votes v ON v.topic = q.topic"
		"  WHERE q.subject = r.id AND v.member = ?3)"
		" FROM compliance_requests r WHERE (?1 IS NULL OR r.subject = ?1)"
		" AND (?2 IS NULL OR r.regulator = ?2) ORDER BY r.created, r.id";
	static const uint8_t none[32];
	int64_t threshold = param_get(st, "council_threshold", 1);
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	if (subject)
		sqlite3_bind_blob(s, 1, subject, 32, SQLITE_STATIC);
	if (regulator)
		sqlite3_bind_blob(s, 2, regulator, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, me ? me : none, 32, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_reg_request r;
		col_id(s, 0, r.id);
		col_id(s, 1, r.regulator);
		col_id(s, 2, r.subject);
		col_text(s, 3, r.scope, sizeof r.scope);
		col_text(s, 4, r.legal_basis, sizeof r.legal_basis);
		col_text(s, 5, r.state, sizeof r.state);
		col_text(s, 6, r.deny_reason, sizeof r.deny_reason);
		r.created = sqlite3_column_int64(s, 7);
		r.decided_at = sqlite3_column_int64(s, 8);
		r.delivered_at = sqlite3_column_int64(s, 9);
		r.signatures = sqlite3_column_int64(s, 10);
		r.threshold = threshold;
		r.signed_by_me = me && sqlite3_column_int64(s, 11) > 0;
		if (cb(ud, &r))
			break;
	}
	return finish(st, s, rc, err, "compliance_requests");
}

int query_compliance_notices(struct store *st, const uint8_t subject[32],
			     int (*cb)(void *ud, const struct q_notice *n), void *ud,
			     struct mv_err *err)
{
	static const char sql[] = "SELECT op, request, time, text FROM compliance_notices"
				  " WHERE subject = ? ORDER BY time DESC, op DESC";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, subject, 32, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_notice n;
		col_id(s, 0, n.op);
		n.has_request = sqlite3_column_bytes(s, 1) == 32;
		col_id(s, 1, n.request);
		n.time = sqlite3_column_int64(s, 2);
		col_text(s, 3, n.text, sizeof n.text);
		if (cb(ud, &n))
			break;
	}
	return finish(st, s, rc, err, "compliance_notices");
}

static const char *const report_kind_names[] = {"audit", "request", "erasure", "retention"};

const char *query_report_kind_name(enum q_report_kind k)
{
	return (unsigned)k < 4 ? report_kind_names[k] : "?";
}

/* Totals of the report window. */
static void report_totals(struct store *st, struct q_compliance_report *r)
{
	static const char *const sqls[] = {
		"SELECT count(*) FROM access_audit WHERE time >= ?1 AND time < ?2",
		"SELECT count(*) FROM access_audit WHERE time >= ?1 AND time < ?2"
		" AND kind = 'access.emergency'",
		"SELECT count(*) FROM compliance_requests WHERE created >= ?1 AND created < ?2",
		"SELECT count(*) FROM compliance_requests WHERE decided_at >= ?1 AND decided_at < ?2"
		" AND state IN ('granted', 'fulfilled')",
		"SELECT count(*) FROM compliance_requests WHERE decided_at >= ?1 AND decided_at < ?2"
		" AND state = 'denied'",
		"SELECT count(*) FROM compliance_requests WHERE delivered_at >= ?1 AND delivered_at < ?2",
		"SELECT count(*) FROM compliance_requests WHERE created < ?2 AND (state = 'pending'"
		" OR decided_at >= ?2)",
		"SELECT count(*) FROM compliance_erased WHERE time >= ?1 AND time < ?2",
		"SELECT count(*) FROM compliance_purge WHERE time >= ?1 AND time < ?2"
		" AND reason = 'erasure'",
		"SELECT count(DISTINCT op) FROM compliance_retained WHERE time >= ?1 AND time < ?2",
		"SELECT count(*) FROM compliance_retained WHERE time >= ?1 AND time < ?2",
		"SELECT count(*) FROM compliance_purge WHERE time >= ?1 AND time < ?2"
		" AND reason = 'retention'",
	};
	int64_t *outs[] = {&r->audit_entries, &r->emergency_accesses, &r->requests,
			   &r->requests_granted, &r->requests_denied, &r->requests_fulfilled,
			   &r->requests_pending, &r->erasures, &r->blobs_erased, &r->retention_sweeps,
			   &r->sessions_retained, &r->blobs_expired};
	for (size_t i = 0; i < sizeof sqls / sizeof *sqls; i++) {
		sqlite3_stmt *s;
		*outs[i] = 0;
		if (sqlite3_prepare_v2(store_db(st), sqls[i], -1, &s, NULL) != SQLITE_OK)
			continue;
		sqlite3_bind_int64(s, 1, r->from);
		sqlite3_bind_int64(s, 2, r->to);
		if (sqlite3_step(s) == SQLITE_ROW)
			*outs[i] = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
}

int query_compliance_report(struct store *st, int64_t from, int64_t to,
			    struct q_compliance_report *out,
			    int (*cb)(void *ud, const struct q_report_row *r), void *ud,
			    struct mv_err *err)
{
	static const char sql[] =
		"SELECT 0, time, op, who, subject, kind || ': ' || what FROM access_audit"
		" WHERE time >= ?1 AND time < ?2"
		" UNION ALL SELECT 1, created, id, regulator, subject, 'regulator request for ' || scope ||"
		" ' data (' || legal_basis || '): ' || state FROM compliance_requests"
		" WHERE created >= ?1 AND created < ?2"
		" UNION ALL SELECT 2, time, op, account, account, 'account erased; ' || blobs ||"
		" ' blobs listed for deletion' FROM compliance_erased WHERE time >= ?1 AND time < ?2"
		" UNION ALL SELECT 3, time, op, NULL, session, 'session records past retention: ' ||"
		" blobs || ' blobs listed for deletion' FROM compliance_retained"
		" WHERE time >= ?1 AND time < ?2"
		" ORDER BY 2, 1, 3";
	memset(out, 0, sizeof *out);
	out->from = from;
	out->to = to;
	report_totals(st, out);
	if (!cb)
		return MV_OK;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlerr(st, err, "compliance report");
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_report_row r;
		r.kind = (enum q_report_kind)sqlite3_column_int(s, 0);
		r.time = sqlite3_column_int64(s, 1);
		col_id(s, 2, r.op);
		col_id(s, 3, r.who);
		col_id(s, 4, r.subject);
		col_text(s, 5, r.what, sizeof r.what);
		if (cb(ud, &r))
			break;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(st, err, "compliance report");
	return MV_OK;
}

bool query_erased(struct store *st, const uint8_t account[32], char *pseudonym, size_t len)
{
	static const char sql[] = "SELECT pseudonym FROM compliance_erased WHERE account = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	if (yes && pseudonym)
		col_text(s, 0, pseudonym, len);
	sqlite3_reset(s);
	return yes;
}

/* ---- bots ----------------------------------------------------------------------------- */

int query_bots(struct store *st, const uint8_t *me, int (*cb)(void *ud, const struct q_bot *b),
	       void *ud, struct mv_err *err)
{
	static const char sql[] =
		"SELECT u.account, u.display_name, u.scopes, b.reason IS NOT NULL, coalesce(b.reason, ''),"
		" (SELECT count(*) FROM bots_enabled e WHERE e.bot = u.account),"
		" (SELECT count(*) FROM bots_grants g WHERE g.bot = u.account),"
		" EXISTS (SELECT 1 FROM bots_enabled e WHERE e.bot = u.account AND e.account = ?1),"
		" (SELECT count(*) FROM bots_grants g WHERE g.bot = u.account AND g.grantor = ?1)"
		" FROM users u LEFT JOIN bots_suspended b ON b.bot = u.account"
		" WHERE u.role = 'bot' AND u.dismissed = 0 ORDER BY u.display_name, u.account";
	static const uint8_t none[32];
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, me ? me : none, 32, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct q_bot b;
		col_id(s, 0, b.bot);
		col_text(s, 1, b.name, sizeof b.name);
		col_text(s, 2, b.scopes, sizeof b.scopes);
		b.suspended = sqlite3_column_int(s, 3) != 0;
		col_text(s, 4, b.suspend_reason, sizeof b.suspend_reason);
		b.users = sqlite3_column_int64(s, 5);
		b.grants = sqlite3_column_int64(s, 6);
		b.enabled_by_me = sqlite3_column_int(s, 7) != 0;
		b.granted_by_me = sqlite3_column_int64(s, 8);
		if (cb(ud, &b))
			break;
	}
	return finish(st, s, rc, err, "bots");
}
