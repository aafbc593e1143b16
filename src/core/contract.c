/* contract.c - what every contract shares: finding a handler by op kind,
 * checking a body against a handler's field specs, rejections, parameters and
 * council membership. The list of contracts itself is in contracts.c. */
#include "contract.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const struct op_handler *contract_find(const char *kind, const struct contract **owner)
{
	for (size_t i = 0; contract_table[i]; i++)
		for (const struct op_handler *h = contract_table[i]->handlers; h && h->kind; h++)
			if (strcmp(h->kind, kind) == 0) {
				if (owner)
					*owner = contract_table[i];
				return h;
			}
	return NULL;
}

const struct field_spec *contract_field(const struct op_handler *h, const char *name)
{
	for (const struct field_spec *f = h->fields; f && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static enum body_type field_body_type(enum field_kind k, enum body_type *item)
{
	*item = 0;
	switch (k) {
	case F_INT: case F_AMOUNT: case F_TIME: case F_DURATION: case F_BOOL:
		return BODY_INT;
	case F_STR: case F_ENUM:
		return BODY_STR;
	case F_ACCOUNT: case F_ID:
		return BODY_ID;
	case F_BYTES:
		return BODY_BYTES;
	case F_LIST_ACCOUNT: *item = BODY_ID; return BODY_LIST;
	case F_LIST_INT: *item = BODY_INT; return BODY_LIST;
	case F_LIST_STR: *item = BODY_STR; return BODY_LIST;
	case F_LIST_BYTES: *item = BODY_BYTES; return BODY_LIST;
	}
	return 0;
}

static const char *body_type_name(enum body_type t)
{
	switch (t) {
	case BODY_INT: return "integer";
	case BODY_STR: return "text";
	case BODY_BYTES: return "bytes";
	case BODY_ID: return "id";
	case BODY_LIST: return "list";
	}
	return "?";
}

static bool choice_ok(const char *choices, const uint8_t *p, size_t n)
{
	const char *c = choices;
	while (c && *c) {
		const char *bar = strchr(c, '|');
		size_t len = bar ? (size_t)(bar - c) : strlen(c);
		if (len == n && memcmp(c, p, n) == 0)
			return true;
		c = bar ? bar + 1 : NULL;
	}
	return false;
}

static int check_int(const struct field_spec *fs, int64_t v, char *reason, size_t rl)
{
	if (fs->kind == F_BOOL && v != 0 && v != 1) {
		snprintf(reason, rl, "field %s must be 0 or 1", fs->name);
		return MV_EINVAL;
	}
	if (fs->max > fs->min && (v < fs->min || v > fs->max)) {
		snprintf(reason, rl, "field %s out of range (%lld not in %lld..%lld)", fs->name,
			 (long long)v, (long long)fs->min, (long long)fs->max);
		return MV_EINVAL;
	}
	return MV_OK;
}

static int check_value(const struct field_spec *fs, const struct body_value *v, char *reason,
		       size_t rl)
{
	enum body_type item;
	enum body_type want = field_body_type(fs->kind, &item);
	if (v->type != want) {
		snprintf(reason, rl, "field %s must be %s, not %s", fs->name, body_type_name(want),
			 body_type_name(v->type));
		return MV_EINVAL;
	}
	size_t max = fs->max_len;
	switch (want) {
	case BODY_INT:
		return check_int(fs, v->i, reason, rl);
	case BODY_STR:
		if (!max)
			max = 256;
		if (v->n > max) {
			snprintf(reason, rl, "field %s too long (%zu > %zu bytes)", fs->name, v->n, max);
			return MV_EINVAL;
		}
		if (fs->kind == F_ENUM && !choice_ok(fs->choices, v->p, v->n)) {
			snprintf(reason, rl, "field %s must be one of %s", fs->name, fs->choices);
			return MV_EINVAL;
		}
		return MV_OK;
	case BODY_BYTES:
		if (max && v->n > max) {
			snprintf(reason, rl, "field %s too long (%zu > %zu bytes)", fs->name, v->n, max);
			return MV_EINVAL;
		}
		return MV_OK;
	case BODY_LIST:
		if (max && v->n > max) {
			snprintf(reason, rl, "field %s has too many items (%zu > %zu)", fs->name, v->n, max);
			return MV_EINVAL;
		}
		for (size_t i = 0; i < v->n; i++)
			if (v->items[i].type != item) {
				snprintf(reason, rl, "field %s items must be %s", fs->name,
					 body_type_name(item));
				return MV_EINVAL;
			} else if (item == BODY_INT && check_int(fs, v->items[i].i, reason, rl) != MV_OK) {
				return MV_EINVAL;
			}
		return MV_OK;
	default:
		return MV_OK;
	}
}

int contract_check_body(const struct op_handler *h, const struct body *b, char *reason,
			size_t reasonlen)
{
	if (!h->fields)
		return MV_OK; /* the handler validates its body itself (genesis) */
	for (size_t i = 0; i < b->n; i++) {
		const struct field_spec *fs = contract_field(h, b->f[i].key);
		if (!fs) {
			snprintf(reason, reasonlen, "unknown field %s for %s", b->f[i].key, h->kind);
			return MV_EINVAL;
		}
		if (check_value(fs, &b->f[i].v, reason, reasonlen) != MV_OK)
			return MV_EINVAL;
	}
	for (const struct field_spec *fs = h->fields; fs->name; fs++)
		if (!fs->optional && !body_get(b, fs->name)) {
			snprintf(reason, reasonlen, "missing field %s", fs->name);
			return MV_EINVAL;
		}
	return MV_OK;
}

int ctx_reject(struct apply_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ctx->reason, sizeof ctx->reason, fmt, ap);
	va_end(ap);
	return MV_EREJECT;
}

int ctx_sqlerr(struct apply_ctx *ctx, const char *what)
{
	return store_sqlerr(ctx->st, &ctx->err, what);
}

int64_t param_get(struct store *st, const char *name, int64_t dflt)
{
	static const char sql[] = "SELECT value FROM params WHERE name = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return dflt;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : dflt;
	sqlite3_reset(s);
	return v;
}

int param_set(struct store *st, const char *name, int64_t value, struct mv_err *err)
{
	static const char sql[] = "INSERT INTO params(name, value) VALUES(?, ?) "
				  "ON CONFLICT(name) DO UPDATE SET value = excluded.value";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, value);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_sqlerr(st, err, "params");
	return MV_OK;
}

bool council_is_member(struct store *st, const uint8_t who[32])
{
	static const char sql[] = "SELECT 1 FROM council WHERE member = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return false;
	sqlite3_bind_blob(s, 1, who, 32, SQLITE_STATIC);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}

int64_t council_size(struct store *st)
{
	static const char sql[] = "SELECT count(*) FROM council";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (!s)
		return 0;
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}

bool account_of_key(struct store *st, const uint8_t key[32], uint8_t account[32])
{
	static const char sql[] = "SELECT account, retired FROM account_keys WHERE key = ?";
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	memcpy(account, key, 32);
	if (!s)
		return true;
	sqlite3_bind_blob(s, 1, key, 32, SQLITE_STATIC);
	bool live = true;
	if (sqlite3_step(s) == SQLITE_ROW) {
		memcpy(account, sqlite3_column_blob(s, 0), 32);
		live = sqlite3_column_int(s, 1) == 0;
	}
	sqlite3_reset(s);
	return live;
}

int account_rekey(struct apply_ctx *ctx, const uint8_t account[32], const uint8_t old_key[32],
		  const uint8_t new_key[32])
{
	static const char sql[] = "INSERT INTO account_keys(key, account, retired) VALUES(?, ?, ?) "
				  "ON CONFLICT(key) DO UPDATE SET account = excluded.account, "
				  "retired = excluded.retired";
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
		if (!s)
			return MV_ERR;
		sqlite3_bind_blob(s, 1, i ? new_key : old_key, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, account, 32, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, i ? 0 : 1);
		if (sqlite3_step(s) != SQLITE_DONE)
			return ctx_sqlerr(ctx, "account_keys");
	}
	return MV_OK;
}
