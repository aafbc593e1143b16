/* contract.h - the table every contract fills in, and what a handler may use.
 *
 * A contract is one file in src/core/contracts/ exporting one
 * `const struct contract NAME_contract`, listed once in contracts.c. It owns
 * its tables (created by its migrations) and a table of op handlers. Each
 * handler declares its body fields (types, bounds, choices): the engine
 * checks a body against them before apply, the CLI parses FIELD=VALUE with
 * them, and docs/contracts.md lists them.
 *
 * apply() runs inside a savepoint with the op's effective time in ctx->now.
 * It must be deterministic: read only ctx (op, body, now) and state tables;
 * no wall clock, randomness, floating point or unordered iteration. It
 * returns MV_OK (changes kept), MV_EREJECT via ctx_reject (changes rolled
 * back, the op stays in the log marked rejected with the reason), or MV_ERR
 * for an internal failure (SQLite I/O) which aborts the whole batch. */
#ifndef MV_CONTRACT_H
#define MV_CONTRACT_H

#include "store.h"
#include "op.h"
#include "body.h"

enum field_kind {
	F_INT,      /* integer (min/max bound when max > min) */
	F_AMOUNT,   /* MVT base units; CLI takes "1.5" */
	F_TIME,     /* ms UTC; CLI takes ISO 8601 UTC or ms */
	F_DURATION, /* ms; CLI takes 90m, 24h, 30d or ms */
	F_STR,      /* UTF-8 text up to max_len bytes (default 256) */
	F_ENUM,     /* one of choices "a|b|c" (encoded as STR) */
	F_BOOL,     /* 0 or 1; CLI takes yes/no/true/false/1/0 */
	F_ACCOUNT,  /* 32-byte public key; CLI takes identity name, system name or hex */
	F_ID,       /* 32-byte op id / blob hash; CLI takes hex */
	F_BYTES,    /* opaque bytes up to max_len; CLI takes hex or @FILE */
	F_LIST_ACCOUNT, /* list of accounts; CLI takes comma-separated */
	F_LIST_INT,     /* list of integers / times; CLI takes comma-separated */
	F_LIST_STR,     /* list of strings; CLI takes comma-separated */
	F_LIST_BYTES,   /* list of byte strings; CLI takes comma-separated hex */
};

struct field_spec {
	const char *name; /* NULL ends a list */
	enum field_kind kind;
	bool optional;
	int64_t min, max;   /* numeric bounds when max > min */
	size_t max_len;     /* STR/BYTES bytes, lists items; 0 = default */
	const char *choices;
	const char *help;
};

struct apply_ctx {
	struct store *st;
	sqlite3 *db;
	const struct op *op;
	/* The account acting: the author's key, or, after a social recovery moved
	 * an account to a new key, the account that key now controls (see
	 * account_keys). Contracts use actor, never op->author, for identity. */
	uint8_t actor[32];
	const struct op_handler *handler;
	const struct body *body;
	int64_t now;            /* effective time, ms UTC */
	char reason[256];       /* set by ctx_reject */
	int moves;              /* ledger moves recorded so far by this op */
	struct mv_err err;      /* set on MV_ERR */
};

struct op_handler {
	const char *kind;          /* NULL ends the table */
	const char *summary;       /* one line for help and docs */
	const char *who;           /* who may send it, for help and docs */
	const struct field_spec *fields;
	int (*apply)(struct apply_ctx *ctx);
};

struct migration {
	int version;      /* 0 ends the list; versions ascend from 1 */
	const char *sql;
};

struct contract {
	const char *name;
	const char *summary;
	const struct migration *migrations;
	const struct op_handler *handlers;
	/* Optional: runs before the handler of EVERY op (of any contract), in
	 * registry order, inside the op's savepoint; a rejection here rejects
	 * the op (rate limits, suspended accounts, bot scopes, upgrades). */
	int (*precheck)(struct apply_ctx *ctx);
};

/* The registry (contracts.c). NULL-terminated. */
extern const struct contract *const contract_table[];
const struct op_handler *contract_find(const char *kind, const struct contract **owner);
const struct field_spec *contract_field(const struct op_handler *h, const char *name);

/* Check a decoded body against the handler's fields: unknown field, missing
 * required field, wrong type, out of bounds, bad choice. Fills reason. */
int contract_check_body(const struct op_handler *h, const struct body *b,
			char *reason, size_t reasonlen);

/* Reject the op: formats ctx->reason and returns MV_EREJECT. */
int ctx_reject(struct apply_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Record an internal failure from SQLite and return MV_ERR. */
int ctx_sqlerr(struct apply_ctx *ctx, const char *what);

/* The account controlled by key (itself unless recovery moved an account to
 * it). Returns false if the key was retired by a recovery. */
bool account_of_key(struct store *st, const uint8_t key[32], uint8_t account[32]);
/* Point key at account (recovery); retire old_key. */
int account_rekey(struct apply_ctx *ctx, const uint8_t account[32], const uint8_t old_key[32],
		  const uint8_t new_key[32]);

/* Parameters (table params, set by genesis, changed by governance). */
int64_t param_get(struct store *st, const char *name, int64_t dflt);
int param_set(struct store *st, const char *name, int64_t value, struct mv_err *err);
/* Council membership (table council). */
bool council_is_member(struct store *st, const uint8_t who[32]);
int64_t council_size(struct store *st);

/* Ledger, for every contract that moves MVT (ledger.c). Moves amount > 0
 * from one account to another, recording the move in ledger_moves under the
 * current op with a short memo; rejects "insufficient funds: ..." if from
 * lacks it. */
int ledger_move(struct apply_ctx *ctx, const uint8_t from[32], const uint8_t to[32],
		int64_t amount, const char *memo);
int64_t ledger_balance(struct store *st, const uint8_t account[32]);
/* Create amount out of nothing into `to`: only genesis calls this, once per
 * allocation, so the supply is fixed at genesis. */
int ledger_mint(struct apply_ctx *ctx, const uint8_t to[32], int64_t amount, const char *memo);
/* Fee in base units for moving amount (param fee_transfer_bp, floor). */
int64_t ledger_fee(struct store *st, int64_t amount);

/* Names of system accounts ("treasury", "rewards", "escrow:<hex>", ...). */
#define SYS_TREASURY "treasury"
#define SYS_REWARDS "rewards"
#define SYS_BURN "burn"

#endif
