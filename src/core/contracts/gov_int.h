/* gov_int.h - what the governance family of contracts (groups.c,
 * governance.c, upgrades.c, compliance.c, bots.c) share with each other and
 * nobody else: group membership at a snapshot and the group actions an
 * executed group proposal performs, the upgrade activation an executed
 * upgrade proposal performs, and small SQL helpers. Other code uses gov.h.
 * Functions taking an apply_ctx return MV_OK, MV_EREJECT (ctx->reason set)
 * or MV_ERR, like every contract hook. */
#ifndef MV_GOV_INT_H
#define MV_GOV_INT_H

#include "../gov.h"
#include "../people.h"

/* ---- small helpers (groups.c) -------------------------------------------- */

/* Step a write statement to completion and reset it. */
int gov_step(struct apply_ctx *ctx, sqlite3_stmt *s, const char *what);
/* One integer from a query binding up to two 32-byte ids (b may be NULL)
 * and an optional integer (bound as ?3 when has_t); dflt if no row. */
int64_t gov_int_ids(struct store *st, const char *sql, const uint8_t *a, const uint8_t *b,
		    bool has_t, int64_t t, int64_t dflt);
/* First 12 hex digits of an id, for messages. */
void gov_short(char out[13], const uint8_t id[32]);

/* A list of 32-byte ids collected from a query (collect first, then act:
 * other statements run inside the loop may evict a cached statement). */
struct gov_ids {
	uint8_t (*v)[32];
	size_t n, cap;
};
int gov_ids_push(struct gov_ids *l, const uint8_t id[32]);
/* Run sql (binding a, b as ids when given, and t as ?3 when has_t) and
 * collect column 0 of every row. */
int gov_ids_collect(struct store *st, const char *sql, const uint8_t *a, const uint8_t *b,
		    bool has_t, int64_t t, struct gov_ids *out, struct mv_err *err);
void gov_ids_free(struct gov_ids *l);

/* ---- groups (groups.c) ---------------------------------------------------- */

struct group_info {
	uint8_t id[32], creator[32];
	char name[GROUP_NAME_MAX + 1];
	char topic[GROUP_TOPIC_MAX + 1];
	char join_policy[16];  /* open | invite | application */
	bool stake_weighted;
	int64_t quorum_bp;
	int64_t created, key_epoch;
	bool keyed;            /* keys exist for key_epoch (no rotation pending) */
};
/* MV_OK, MV_ENOTFOUND or MV_ERR. */
int groups_get(struct store *st, const uint8_t id[32], struct group_info *out, struct mv_err *err);
bool groups_is_member(struct store *st, const uint8_t group[32], const uint8_t who[32]);
bool groups_member_at(struct store *st, const uint8_t group[32], const uint8_t who[32], int64_t t);
/* Members at time t, in key order. */
int groups_members_at(struct store *st, const uint8_t group[32], int64_t t, struct gov_ids *out,
		      struct mv_err *err);

/* Group actions run by an executed group proposal (governance.c). The
 * action's body holds its fields (see gov_action_types). */
int groups_exec_admit(struct apply_ctx *ctx, const uint8_t group[32], const uint8_t who[32]);
int groups_exec_remove(struct apply_ctx *ctx, const uint8_t group[32], const uint8_t who[32]);
int groups_exec_moderator(struct apply_ctx *ctx, const uint8_t group[32], const uint8_t who[32],
			  bool on);
int groups_exec_rule(struct apply_ctx *ctx, const uint8_t group[32], const struct body *a);
int groups_exec_allocate(struct apply_ctx *ctx, const uint8_t group[32], const uint8_t to[32],
			 int64_t amount, const char *purpose);

/* Drop account from every group it belongs to (user.erase): membership ends
 * ("erased"), its posts and helpful marks go, keys rotate. */
int groups_erase_member(struct apply_ctx *ctx, const uint8_t who[32]);

/* ---- governance (governance.c) ------------------------------------------- */

/* End account's delegation, if any (user.erase). */
int gov_end_delegation(struct apply_ctx *ctx, const uint8_t who[32]);

/* ---- upgrades (upgrades.c) ------------------------------------------------ */

/* Schedule protocol `version` from checkpoint epoch `epoch` (an executed
 * upgrade proposal). Rejects a version not above every version active or
 * scheduled, and a negative epoch. */
int upgrades_activate(struct apply_ctx *ctx, int64_t version, int64_t epoch,
		      const uint8_t proposal[32]);

#endif
