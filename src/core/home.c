/* home.c - one home directory: store, identities, and acting on the network.
 *
 * This is the facade the CLI and TUI use. It owns the hybrid logical clock
 * (DESIGN §3): a new op's clock is max(now, own last + 1, highest seen + 1),
 * so ops stay causally ordered and close to real time. Unlocked secret keys
 * are cached in sodium_malloc'd memory for the life of the process and wiped
 * on close. Imports verify every op before touching the store and commit in
 * chunks, so a killed import keeps a consistent prefix. */
#include "home.h"
#include "home_people.h"
#include "contract.h"
#include "economy.h"
#include "query.h"
#include "genesis_conf.h"
#include "bundle_blobs.h"
#include "home_compliance.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IMPORT_CHUNK 1024

struct home_name {
	char name[KS_NAME_MAX + 1];
	uint8_t pk[32];
};

struct home_key {
	struct home_key *next;
	char name[KS_NAME_MAX + 1];
	uint8_t pk[32];
	uint8_t *sk; /* sodium_malloc'd 64 bytes */
};

int home_resolve_dir(char *out, size_t outlen, const char *flag, struct mv_err *err)
{
	const char *env = getenv("MENTALVERSE_HOME");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;
	if (flag && *flag)
		n = snprintf(out, outlen, "%s", flag);
	else if (env && *env)
		n = snprintf(out, outlen, "%s", env);
	else if (xdg && *xdg)
		n = snprintf(out, outlen, "%s/mentalverse", xdg);
	else if (home && *home)
		n = snprintf(out, outlen, "%s/.local/share/mentalverse", home);
	else
		return mv_fail(err, MV_EINVAL, "no home: pass --home DIR or set MENTALVERSE_HOME");
	if (n < 0 || (size_t)n >= outlen)
		return mv_fail(err, MV_EINVAL, "home path too long");
	return MV_OK;
}

static void home_load_network(struct home *h)
{
	h->has_network = log_network(h->st, h->network, NULL) == MV_OK;
	query_network_name(h->st, h->network_name, sizeof h->network_name);
}

int home_open(struct home **out, const char *dir, bool create, struct mv_err *err)
{
	char path[4300];
	struct stat sb;
	if (sodium_init() < 0)
		return mv_fail(err, MV_ERR, "libsodium failed to initialise");
	if (stat(dir, &sb) != 0) {
		if (!create)
			return mv_fail(err, MV_ENOTFOUND,
				       "no MentalVerse home at %s (create one with `mentalverse init NAME`)",
				       dir);
		if (mv_mkdirs(dir, 0700, err) != MV_OK)
			return MV_ERR;
	}
	snprintf(path, sizeof path, "%s/mentalverse.db", dir);
	if (!create && stat(path, &sb) != 0)
		return mv_fail(err, MV_ENOTFOUND,
			       "no MentalVerse home at %s (create one with `mentalverse init NAME`)", dir);
	struct home *h = calloc(1, sizeof *h);
	if (!h)
		return mv_fail(err, MV_ERR, "out of memory");
	snprintf(h->dir, sizeof h->dir, "%s", dir);
	snprintf(h->keydir, sizeof h->keydir, "%s/keys", dir);
	if (store_open(&h->st, path, err) != MV_OK) {
		free(h);
		return MV_ERR;
	}
	home_load_network(h);
	*out = h;
	return MV_OK;
}

void home_close(struct home *h)
{
	if (!h)
		return;
	while (h->keys) {
		struct home_key *k = h->keys;
		h->keys = k->next;
		sodium_free(k->sk);
		free(k);
	}
	free(h->names);
	store_close(h->st);
	free(h);
}

/* ---- identities ------------------------------------------------------ */

static int home_unlock_with(struct home *h, const char *name, const char *given,
			    struct home_key **out, struct mv_err *err);

static const char *home_passphrase(struct home *h, const char *name, char *buf, size_t n)
{
	const char *env = getenv("MENTALVERSE_PASSPHRASE");
	/* An identity written with the empty passphrase (the demo's) opens with
	 * it whatever the environment says. */
	if (keystore_is_unprotected(h->keydir, name))
		return "";
	if (env)
		return env;
	if (h->ask_pass && h->ask_pass(h->ask_ud, name, buf, n) == MV_OK)
		return buf;
	return "";
}

int home_keygen(struct home *h, const char *name, uint8_t pk_out[32], struct mv_err *err)
{
	char buf[256];
	const char *env = getenv("MENTALVERSE_PASSPHRASE");
	const char *pass = env ? env : "";
	if (!env && h->ask_pass && h->ask_pass(h->ask_ud, name, buf, sizeof buf) == MV_OK)
		pass = buf;
	int rc = keystore_create(h->keydir, name, pass, pk_out, err);
	struct home_key *k;
	if (rc == MV_OK) /* keep it unlocked: no second prompt for a key just made */
		rc = home_unlock_with(h, name, pass, &k, err);
	sodium_memzero(buf, sizeof buf);
	h->names_loaded = false;
	return rc;
}

struct first_id {
	char name[KS_NAME_MAX + 1];
	int count;
	bool founder;
};

static int first_id_cb(void *ud, const char *name, const uint8_t pk[32])
{
	struct first_id *f = ud;
	(void)pk;
	if (f->count++ == 0)
		snprintf(f->name, sizeof f->name, "%s", name);
	if (strcmp(name, "founder") == 0)
		f->founder = true;
	return 0;
}

int home_default_identity(struct home *h, char *out, size_t outlen, struct mv_err *err)
{
	struct first_id f = {{0}, 0, false};
	if (keystore_list(h->keydir, first_id_cb, &f, err) != MV_OK)
		return MV_ERR;
	if (f.count == 0)
		return mv_fail(err, MV_ENOTFOUND, "no identity in %s (create one with `mentalverse keygen NAME`)",
			       h->dir);
	snprintf(out, outlen, "%s", f.founder && f.count > 1 ? "founder" : f.name);
	return MV_OK;
}

static int home_unlock(struct home *h, const char *name, struct home_key **out, struct mv_err *err)
{
	return home_unlock_with(h, name, NULL, out, err);
}

/* Unlock NAME with the passphrase given (NULL: ask as usual) and cache it. */
static int home_unlock_with(struct home *h, const char *name, const char *given,
			    struct home_key **out, struct mv_err *err)
{
	for (struct home_key *k = h->keys; k; k = k->next)
		if (strcmp(k->name, name) == 0) {
			*out = k;
			return MV_OK;
		}
	struct home_key *k = calloc(1, sizeof *k);
	if (!k)
		return mv_fail(err, MV_ERR, "out of memory");
	k->sk = sodium_malloc(64);
	if (!k->sk) {
		free(k);
		return mv_fail(err, MV_ERR, "out of memory");
	}
	char buf[256];
	const char *pass = given ? given : home_passphrase(h, name, buf, sizeof buf);
	int rc = keystore_unlock(h->keydir, name, pass, k->sk, err);
	sodium_memzero(buf, sizeof buf);
	if (rc != MV_OK) {
		sodium_free(k->sk);
		free(k);
		return rc;
	}
	snprintf(k->name, sizeof k->name, "%s", name);
	memcpy(k->pk, k->sk + 32, 32);
	k->next = h->keys;
	h->keys = k;
	*out = k;
	return MV_OK;
}

/* Through the same cache as signing: one passphrase prompt and one Argon2id
 * derivation per identity and process, however many blobs a screen opens. */
int home_secret_key(struct home *h, const char *name, uint8_t sk[64], struct mv_err *err)
{
	struct home_key *k;
	int rc = home_unlock(h, name, &k, err);
	if (rc == MV_OK)
		memcpy(sk, k->sk, 64);
	return rc;
}

/* Named system accounts (SYS_STAKING holds staked principal: economy.h). */
static const char *const system_accounts[] = {SYS_TREASURY, SYS_REWARDS, SYS_STAKING, SYS_BURN,
					      NULL};

int home_resolve_account(struct home *h, const char *ref, uint8_t out[32], struct mv_err *err)
{
	struct mv_err e;
	if (strlen(ref) == 64 && mv_unhex(out, 32, ref) == MV_OK)
		return MV_OK;
	for (const char *const *s = system_accounts; *s; s++)
		if (strcmp(ref, *s) == 0) {
			op_system_account(out, ref);
			return MV_OK;
		}
	if (keystore_name_valid(ref) && keystore_public(h->keydir, ref, out, &e) == MV_OK)
		return MV_OK;
	return mv_fail(err, MV_EINVAL,
		       "unknown account '%s' (not a local identity, system account or 64-hex id)", ref);
}

static int names_cb(void *ud, const char *name, const uint8_t pk[32])
{
	struct home *h = ud;
	struct home_name *n = realloc(h->names, (h->nnames + 1) * sizeof *n);
	if (!n)
		return 1;
	h->names = n;
	snprintf(n[h->nnames].name, sizeof n[h->nnames].name, "%s", name);
	memcpy(n[h->nnames].pk, pk, 32);
	h->nnames++;
	return 0;
}

static const char *home_local_name(struct home *h, const uint8_t id[32])
{
	if (!h->names_loaded) {
		free(h->names);
		h->names = NULL;
		h->nnames = 0;
		keystore_list(h->keydir, names_cb, h, NULL);
		h->names_loaded = true;
	}
	for (size_t i = 0; i < h->nnames; i++)
		if (memcmp(h->names[i].pk, id, 32) == 0)
			return h->names[i].name;
	return NULL;
}

void home_account_label(struct home *h, const uint8_t id[32], char *out, size_t outlen)
{
	static const char sql[] = "SELECT display_name FROM users WHERE account = ?";
	uint8_t sys[32];
	for (const char *const *s = system_accounts; *s; s++) {
		op_system_account(sys, *s);
		if (memcmp(sys, id, 32) == 0) {
			snprintf(out, outlen, "%s", *s);
			return;
		}
	}
	const char *name = home_local_name(h, id);
	if (name) {
		snprintf(out, outlen, "%s", name);
		return;
	}
	sqlite3_stmt *s = store_prep(h->st, sql, NULL);
	if (s) {
		sqlite3_bind_blob(s, 1, id, 32, SQLITE_STATIC);
		bool found = sqlite3_step(s) == SQLITE_ROW;
		if (found)
			snprintf(out, outlen, "~%s", (const char *)sqlite3_column_text(s, 0));
		sqlite3_reset(s);
		if (found)
			return;
	}
	char hex[65];
	mv_hex(hex, id, 32);
	snprintf(out, outlen, "%.12s…", hex);
}

/* ---- building and submitting ops ------------------------------------- */

static uint64_t home_clock(struct home *h, uint64_t own_last)
{
	uint64_t now = (uint64_t)mv_now_ms() << 16;
	uint64_t seen = log_max_clock(h->st);
	uint64_t c = now;
	if (own_last + 1 > c)
		c = own_last + 1;
	if (seen + 1 > c)
		c = seen + 1;
	return c;
}

/* Build and sign an op by key k; the caller holds a transaction. */
static int home_make_op(struct home *h, struct home_key *k, const char *kind, const uint8_t *body,
			size_t body_len, struct op *op, struct mv_err *err)
{
	uint64_t seq, clock;
	memset(op, 0, sizeof *op);
	if (!op_kind_valid(kind))
		return mv_fail(err, MV_EINVAL, "invalid op kind '%s'", kind);
	if (log_head(h->st, k->pk, &seq, op->prev, &clock, err) != MV_OK)
		return MV_ERR;
	op->version = OP_VERSION;
	if (h->has_network)
		memcpy(op->network, h->network, 32);
	memcpy(op->author, k->pk, 32);
	op->seq = seq + 1;
	op->clock = home_clock(h, clock);
	snprintf(op->kind, sizeof op->kind, "%s", kind);
	op->body = (uint8_t *)body;
	op->body_len = body_len;
	int rc = op_sign(op, k->sk, err); /* on success op owns copies of body and raw */
	if (rc != MV_OK) {
		op->body = NULL;
		op->body_len = 0;
	}
	return rc;
}

static int home_submit_key(struct home *h, struct home_key *k, const char *kind, const uint8_t *body,
			   size_t body_len, struct submit_result *res, struct mv_err *err)
{
	struct op op;
	memset(res, 0, sizeof *res);
	if (store_begin(h->st, err) != MV_OK)
		return MV_ERR;
	int rc = home_make_op(h, k, kind, body, body_len, &op, err);
	if (rc == MV_OK) {
		rc = log_accept_verified(h->st, &op, mv_now_ms(), err);
		if (rc == LOG_NEW || rc == LOG_PENDING)
			rc = engine_run(h->st, NULL, NULL, NULL, err);
		else if (rc >= 0)
			rc = mv_fail(err, MV_ERR, "op not accepted: %s", err ? err->msg : "");
	}
	if (rc == MV_OK) /* erased and expired blobs go from this node too */
		rc = compliance_purge(h->st, NULL, err);
	if (rc == MV_OK)
		rc = store_commit(h->st, err);
	else
		store_rollback(h->st);
	if (rc == MV_OK) {
		memcpy(res->id, op.id, 32);
		res->outcome = engine_outcome(h->st, op.id, res->reason, sizeof res->reason);
		if (strcmp(kind, "genesis") == 0)
			home_load_network(h);
	}
	op_free(&op);
	return rc;
}

/* Refuse before signing what every node would reject for its shape alone
 * (unknown kind, bad body, field types and bounds): a signed op can never be
 * taken back, so a typo must not become a rejected op in the log forever. */
static int home_check_body(const char *kind, const uint8_t *body, size_t len, struct mv_err *err)
{
	const struct op_handler *hd = contract_find(kind, NULL);
	struct body b;
	char reason[256];
	if (!hd)
		return mv_fail(err, MV_EINVAL, "unknown op kind '%s' (see `mentalverse op --help`)", kind);
	if (body_decode(&b, body, len, err) != MV_OK)
		return MV_EINVAL;
	int rc = contract_check_body(hd, &b, reason, sizeof reason);
	body_free(&b);
	return rc == MV_OK ? MV_OK : mv_fail(err, MV_EINVAL, "%s", reason);
}

int home_submit(struct home *h, const char *as, const char *kind, const uint8_t *body,
		size_t body_len, struct submit_result *res, struct mv_err *err)
{
	char name[KS_NAME_MAX + 1];
	struct home_key *k = NULL;
	if (!h->has_network && strcmp(kind, "genesis") != 0)
		return mv_fail(err, MV_EINVAL, "this home has no network yet: run `mentalverse init NAME`");
	if (!as) {
		if (home_default_identity(h, name, sizeof name, err) != MV_OK)
			return MV_ERR;
		as = name;
	}
	if (home_check_body(kind, body, body_len, err) != MV_OK)
		return MV_EINVAL;
	if (home_unlock(h, as, &k, err) != MV_OK)
		return MV_ERR;
	return home_submit_key(h, k, kind, body, body_len, res, err);
}

/* ---- parsing field values -------------------------------------------- */

static int parse_int(const char *v, int64_t *out)
{
	char *end;
	errno = 0;
	if (!*v || isspace((unsigned char)*v))
		return MV_EINVAL;
	long long x = strtoll(v, &end, 10);
	if (errno || *end)
		return MV_EINVAL;
	*out = x;
	return MV_OK;
}

static int parse_duration(const char *v, int64_t *out, struct mv_err *err)
{
	char num[32];
	size_t n = strlen(v);
	int64_t mult = 1, x;
	if (n == 0 || n >= sizeof num)
		return mv_fail(err, MV_EINVAL, "bad duration '%s'", v);
	memcpy(num, v, n + 1);
	switch (num[n - 1]) {
	case 's': mult = 1000; break;
	case 'm': mult = 60000; break;
	case 'h': mult = 3600000; break;
	case 'd': mult = 86400000; break;
	default: mult = 1; n++; break;
	}
	num[n - 1] = '\0';
	if (parse_int(num, &x) != MV_OK || x < 0 || !mv_mul_i64(x, mult, out))
		return mv_fail(err, MV_EINVAL, "bad duration '%s' (use e.g. 90m, 24h, 30d or ms)", v);
	return MV_OK;
}

static int parse_bool(const char *v, int64_t *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = 0;
	else
		return MV_EINVAL;
	return MV_OK;
}

static int parse_bytes(const char *v, struct mv_buf *out, struct mv_err *err)
{
	if (v[0] == '@') {
		uint8_t *data;
		size_t len;
		if (mv_read_file(v + 1, OP_MAX_SIZE, &data, &len, err) != MV_OK)
			return MV_EINVAL;
		int rc = mv_buf_append(out, data, len);
		free(data);
		return rc ? mv_fail(err, MV_ERR, "out of memory") : MV_OK;
	}
	size_t n = strlen(v);
	if (n % 2 || mv_buf_reserve(out, n / 2))
		return mv_fail(err, MV_EINVAL, "bytes must be hex or @FILE");
	if (n && mv_unhex(out->data + out->len, n / 2, v) != MV_OK)
		return mv_fail(err, MV_EINVAL, "bytes must be hex or @FILE");
	out->len += n / 2;
	return MV_OK;
}

/* Parse a scalar of kind k into *i / id / bytes. */
static int parse_scalar(struct home *h, const struct field_spec *fs, enum field_kind k,
			const char *v, int64_t *i, uint8_t id[32], struct mv_err *err)
{
	switch (k) {
	case F_INT:
		if (parse_int(v, i) != MV_OK)
			return mv_fail(err, MV_EINVAL, "field %s: '%s' is not an integer", fs->name, v);
		return MV_OK;
	case F_AMOUNT:
		if (mv_amount_parse(v, i, err) != MV_OK)
			return mv_fail(err, MV_EINVAL, "field %s: %s", fs->name, err ? err->msg : "bad amount");
		return MV_OK;
	case F_TIME:
		if (mv_time_parse(v, i, err) != MV_OK)
			return mv_fail(err, MV_EINVAL, "field %s: %s", fs->name, err ? err->msg : "bad time");
		return MV_OK;
	case F_DURATION:
		return parse_duration(v, i, err);
	case F_BOOL:
		if (parse_bool(v, i) != MV_OK)
			return mv_fail(err, MV_EINVAL, "field %s: say yes or no", fs->name);
		return MV_OK;
	case F_ACCOUNT:
		return home_resolve_account(h, v, id, err);
	case F_ID:
		if (strlen(v) != 64 || mv_unhex(id, 32, v) != MV_OK)
			return mv_fail(err, MV_EINVAL, "field %s: expected 64 hex digits", fs->name);
		return MV_OK;
	default:
		return mv_fail(err, MV_EINVAL, "field %s: unsupported kind", fs->name);
	}
}

static bool choice_has(const char *choices, const char *v)
{
	size_t n = strlen(v);
	for (const char *c = choices; c && *c;) {
		const char *bar = strchr(c, '|');
		size_t len = bar ? (size_t)(bar - c) : strlen(c);
		if (len == n && memcmp(c, v, n) == 0)
			return true;
		c = bar ? bar + 1 : NULL;
	}
	return false;
}

static int parse_list(struct home *h, const struct field_spec *fs, const char *value,
		      struct body_builder *bb, struct mv_err *err)
{
	char *copy = strdup(value), *save = NULL;
	if (!copy)
		return mv_fail(err, MV_ERR, "out of memory");
	bb_list_begin(bb, fs->name);
	int rc = MV_OK;
	for (char *item = strtok_r(copy, ",", &save); item && rc == MV_OK;
	     item = strtok_r(NULL, ",", &save)) {
		int64_t i;
		uint8_t id[32];
		struct mv_buf b = {0};
		switch (fs->kind) {
		case F_LIST_ACCOUNT:
			if ((rc = home_resolve_account(h, item, id, err)) == MV_OK)
				bb_list_id(bb, id);
			break;
		case F_LIST_INT:
			if (parse_int(item, &i) != MV_OK && mv_time_parse(item, &i, NULL) != MV_OK)
				rc = mv_fail(err, MV_EINVAL, "field %s: '%s' is not an integer or time",
					     fs->name, item);
			else
				bb_list_int(bb, i);
			break;
		case F_LIST_STR:
			bb_list_str(bb, item);
			break;
		case F_LIST_BYTES:
			if ((rc = parse_bytes(item, &b, err)) == MV_OK)
				bb_list_bytes(bb, b.data, b.len);
			mv_buf_free(&b);
			break;
		default:
			rc = mv_fail(err, MV_EINVAL, "field %s is not a list", fs->name);
		}
	}
	bb_list_end(bb);
	free(copy);
	return rc;
}

int home_parse_field(struct home *h, const struct field_spec *fs, const char *value,
		     struct body_builder *bb, struct mv_err *err)
{
	int64_t i;
	uint8_t id[32];
	switch (fs->kind) {
	case F_STR:
		if (!mv_utf8_valid((const uint8_t *)value, strlen(value)))
			return mv_fail(err, MV_EINVAL, "field %s: not valid UTF-8 text", fs->name);
		bb_str(bb, fs->name, value);
		return MV_OK;
	case F_ENUM:
		if (!choice_has(fs->choices, value))
			return mv_fail(err, MV_EINVAL, "field %s must be one of %s", fs->name, fs->choices);
		bb_str(bb, fs->name, value);
		return MV_OK;
	case F_BYTES: {
		struct mv_buf b = {0};
		int rc = parse_bytes(value, &b, err);
		if (rc == MV_OK)
			bb_bytes(bb, fs->name, b.data, b.len);
		mv_buf_free(&b);
		return rc;
	}
	case F_LIST_ACCOUNT: case F_LIST_INT: case F_LIST_STR: case F_LIST_BYTES:
		return parse_list(h, fs, value, bb, err);
	case F_ACCOUNT: case F_ID:
		if (parse_scalar(h, fs, fs->kind, value, &i, id, err) != MV_OK)
			return MV_EINVAL;
		bb_id(bb, fs->name, id);
		return MV_OK;
	default:
		if (parse_scalar(h, fs, fs->kind, value, &i, id, err) != MV_OK)
			return MV_EINVAL;
		bb_int(bb, fs->name, i);
		return MV_OK;
	}
}

int home_submit_fields(struct home *h, const char *as, const char *kind, int nfields,
		       char *const *fields, struct submit_result *res, struct mv_err *err)
{
	const struct op_handler *hd = contract_find(kind, NULL);
	if (!hd || !hd->fields)
		return mv_fail(err, MV_EINVAL, "unknown op kind '%s' (see `mentalverse op --help`)", kind);
	struct body_builder bb;
	bb_init(&bb);
	int rc = MV_OK;
	for (int i = 0; i < nfields && rc == MV_OK; i++) {
		char name[40];
		const char *eq = strchr(fields[i], '=');
		size_t n = eq ? (size_t)(eq - fields[i]) : 0;
		if (!eq || n == 0 || n >= sizeof name) {
			rc = mv_fail(err, MV_EINVAL, "expected FIELD=VALUE, got '%s'", fields[i]);
			break;
		}
		memcpy(name, fields[i], n);
		name[n] = '\0';
		const struct field_spec *fs = contract_field(hd, name);
		if (!fs)
			rc = mv_fail(err, MV_EINVAL, "%s has no field '%s' (see `mentalverse op %s --help`)",
				     kind, name, kind);
		else
			rc = home_parse_field(h, fs, eq + 1, &bb, err);
	}
	for (const struct field_spec *fs = hd->fields; rc == MV_OK && fs->name; fs++) {
		bool given = false;
		for (size_t j = 0; j < bb.n; j++)
			given |= strcmp(bb.f[j].key, fs->name) == 0;
		if (!fs->optional && !given)
			rc = mv_fail(err, MV_EINVAL, "%s needs field %s (%s)", kind, fs->name,
				     fs->help ? fs->help : "required");
	}
	struct mv_buf body = {0};
	if (rc != MV_OK) {
		bb_free(&bb);
		return rc;
	}
	if (bb_build(&bb, &body, err) != MV_OK)
		return MV_EINVAL;
	rc = home_submit(h, as, kind, body.data, body.len, res, err);
	mv_buf_free(&body);
	return rc;
}

/* ---- creating a network ---------------------------------------------- */

int home_init(struct home *h, const char *network_name, const char *genesis_file,
	      struct mv_err *err)
{
	uint8_t pk[32];
	struct mv_err e;
	if (h->has_network)
		return mv_fail(err, MV_EEXIST, "%s already belongs to network %s", h->dir,
			       h->network_name);
	if (!network_name || !*network_name || strlen(network_name) > 128 ||
	    !mv_utf8_valid((const uint8_t *)network_name, strlen(network_name)))
		return mv_fail(err, MV_EINVAL, "network name must be 1..128 bytes of text");
	if (keystore_public(h->keydir, "founder", pk, &e) != MV_OK &&
	    home_keygen(h, "founder", pk, err) != MV_OK)
		return MV_ERR;
	char *text = NULL;
	if (genesis_file) {
		uint8_t *data;
		size_t len;
		if (mv_read_file(genesis_file, 1 << 20, &data, &len, err) != MV_OK)
			return MV_ERR;
		text = malloc(len + 1);
		if (!text) {
			free(data);
			return mv_fail(err, MV_ERR, "out of memory");
		}
		memcpy(text, data, len);
		text[len] = '\0';
		free(data);
	}
	struct mv_buf body = {0};
	struct submit_result res;
	int rc = genesis_conf_body(h, network_name, text, &body, err);
	free(text);
	if (rc == MV_OK)
		rc = home_submit(h, "founder", "genesis", body.data, body.len, &res, err);
	mv_buf_free(&body);
	if (rc == MV_OK && res.outcome != 1)
		rc = mv_fail(err, MV_EINVAL, "genesis rejected: %s", res.reason);
	return rc;
}

/* ---- import / export ------------------------------------------------- */

/* An import runs in one transaction, so a bundle with any bad op leaves the
 * store unchanged and a killed import leaves nothing half-done. Signature
 * checks (the physical limit of ingest) are pipelined with apply: a worker
 * thread verifies chunk k+1 while this thread stores and applies chunk k. */
struct import_chunk {
	const uint8_t *const *raws;
	const size_t *lens;
	size_t n;
	struct op ops[IMPORT_CHUNK];
	bool ok[IMPORT_CHUNK];
	struct mv_err errs[IMPORT_CHUNK];
	int threads;
};

static void *import_verify_worker(void *arg)
{
	struct import_chunk *c = arg;
	log_verify_batch(c->raws, c->lens, c->n, c->ops, c->ok, c->errs, c->threads);
	return NULL;
}

static void import_chunk_free(struct import_chunk *c)
{
	for (size_t i = 0; i < c->n; i++)
		op_free(&c->ops[i]);
	c->n = 0;
}

/* Decode-only pass: every op decodes, one network, genesis found. */
static int import_precheck(struct home *h, const uint8_t *const *raws, const size_t *lens, size_t n,
			   uint8_t net[32], struct mv_err *err)
{
	bool have = h->has_network;
	if (have)
		memcpy(net, h->network, 32);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			struct op op;
			struct mv_err e;
			if (op_decode(&op, raws[i], lens[i], &e) != MV_OK)
				return mv_fail(err, MV_EINVAL, "bundle refused: op %zu: %s", i + 1, e.msg);
			bool genesis = strcmp(op.kind, "genesis") == 0;
			int rc = MV_OK;
			if (pass == 0 && genesis && !have) {
				memcpy(net, op.id, 32);
				have = true;
			} else if (pass == 1 && !have) {
				rc = mv_fail(err, MV_EINVAL, "bundle refused: this home has no network and "
							     "the bundle has no genesis op");
			} else if (pass == 1 && (genesis ? memcmp(op.id, net, 32) != 0
							 : memcmp(op.network, net, 32) != 0)) {
				rc = mv_fail(err, MV_EINVAL, "bundle refused: op %zu belongs to another network",
					     i + 1);
			}
			op_free(&op);
			if (rc != MV_OK)
				return rc;
		}
	return MV_OK;
}

static void import_count(struct import_counts *c, int r)
{
	switch (r) {
	case LOG_NEW: c->new_++; break;
	case LOG_DUPLICATE: c->duplicate++; break;
	case LOG_PENDING: c->pending++; break;
	case LOG_EQUIVOCATION: c->equivocation++; break;
	default: c->refused++; break;
	}
}

/* Store one verified chunk (genesis first) and apply it. */
static int import_store(struct home *h, struct import_chunk *c, size_t base,
			struct import_counts *counts, struct mv_err *err)
{
	int64_t now = mv_now_ms();
	for (size_t i = 0; i < c->n; i++)
		if (!c->ok[i])
			return mv_fail(err, MV_EINVAL, "bundle refused: op %zu: %s", base + i + 1,
				       c->errs[i].msg);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->n; i++) {
			if ((strcmp(c->ops[i].kind, "genesis") == 0) != (pass == 0))
				continue;
			struct mv_err e;
			int r = log_accept_verified(h->st, &c->ops[i], now, &e);
			if (r < 0)
				return mv_fail(err, r, "%s", e.msg);
			import_count(counts, r);
			if (pass == 0 && !h->has_network)
				home_load_network(h);
		}
	struct engine_stats es = {0};
	if (engine_run(h->st, &es, NULL, NULL, err) != MV_OK)
		return MV_ERR;
	counts->applied += es.applied;
	counts->rejected += es.rejected;
	return MV_OK;
}

static int import_pipeline(struct home *h, const uint8_t *const *raws, const size_t *lens, size_t n,
			   struct import_counts *counts, home_progress_fn progress, void *ud,
			   struct mv_err *err)
{
	struct import_chunk *cur = calloc(1, sizeof *cur), *next = calloc(1, sizeof *next);
	int rc = cur && next ? MV_OK : mv_fail(err, MV_ERR, "out of memory");
	size_t at = 0;
	if (rc == MV_OK) { /* the first chunk on every core */
		cur->raws = raws;
		cur->lens = lens;
		cur->n = n < IMPORT_CHUNK ? n : IMPORT_CHUNK;
		cur->threads = 0;
		import_verify_worker(cur);
	}
	while (rc == MV_OK && cur->n) {
		size_t after = at + cur->n, left = n - after;
		pthread_t tid;
		bool started = false;
		next->raws = raws + after;
		next->lens = lens + after;
		next->n = left < IMPORT_CHUNK ? left : IMPORT_CHUNK;
		next->threads = 1;
		if (next->n)
			started = pthread_create(&tid, NULL, import_verify_worker, next) == 0;
		rc = import_store(h, cur, at, counts, err);
		if (started)
			pthread_join(tid, NULL);
		else if (next->n)
			import_verify_worker(next);
		import_chunk_free(cur);
		struct import_chunk *t = cur;
		cur = next;
		next = t;
		at = after;
		if (progress && rc == MV_OK)
			progress(ud, "importing", at, n);
	}
	if (cur)
		import_chunk_free(cur);
	free(cur);
	free(next);
	return rc;
}

int home_import(struct home *h, const uint8_t *data, size_t len, struct import_counts *c,
		home_progress_fn progress, void *ud, struct mv_err *err)
{
	const uint8_t **raws = NULL;
	size_t *lens = NULL, n = 0, promoted = 0;
	uint8_t net[32];
	bool had_network = h->has_network;
	const uint8_t *blobs = NULL;
	size_t blobs_len = 0;
	memset(c, 0, sizeof *c);
	if (bundle_blobs_split(data, len, &len, &blobs, &blobs_len, err) != MV_OK)
		return MV_EINVAL;
	if (bundle_decode(data, len, &n, &raws, &lens, err) != MV_OK)
		return mv_fail(err, MV_EINVAL, "bundle refused: %s", err ? err->msg : "");
	if (progress)
		progress(ud, "checking", 0, n);
	int rc = import_precheck(h, raws, lens, n, net, err);
	if (rc == MV_OK)
		rc = store_begin(h->st, err);
	if (rc == MV_OK) {
		rc = import_pipeline(h, raws, lens, n, c, progress, ud, err);
		if (rc == MV_OK)
			rc = log_promote_pending(h->st, mv_now_ms(), &promoted, err);
		if (rc == MV_OK && promoted) {
			struct engine_stats es = {0};
			rc = engine_run(h->st, &es, NULL, NULL, err);
			c->applied += es.applied;
			c->rejected += es.rejected;
		}
		if (rc == MV_OK) /* before the blobs: a listed one stays a tombstone */
			rc = compliance_purge(h->st, NULL, err);
		if (rc == MV_OK && blobs)
			rc = bundle_blobs_import(h->st, blobs, blobs_len, &c->blobs, err);
		if (rc == MV_OK)
			rc = store_commit(h->st, err);
		else
			store_rollback(h->st);
	}
	if (rc != MV_OK && !had_network)
		h->has_network = false; /* the genesis went with the rollback */
	free(raws);
	free(lens);
	return rc;
}

static int export_rows(struct store *st, const char *sql, struct mv_buf *ops, uint64_t *count,
		       struct mv_err *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlerr(st, err, "export");
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (bundle_encode_add(ops, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0))) {
			sqlite3_finalize(s);
			return mv_fail(err, MV_ERR, "out of memory");
		}
		(*count)++;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "export");
}

int home_export(struct home *h, struct mv_buf *out, struct mv_err *err)
{
	struct mv_buf ops = {0};
	uint64_t count = 0;
	int rc = export_rows(h->st, "SELECT raw FROM log_ops ORDER BY rowid", &ops, &count, err);
	if (rc == MV_OK)
		rc = export_rows(h->st, "SELECT raw FROM log_pending ORDER BY author, seq", &ops, &count, err);
	if (rc == MV_OK)
		rc = export_rows(h->st, "SELECT e.raw FROM log_evidence e WHERE NOT EXISTS "
					"(SELECT 1 FROM log_ops l WHERE l.id = e.id) ORDER BY author, seq, id",
				 &ops, &count, err);
	memset(out, 0, sizeof *out);
	if (rc == MV_OK && (bundle_encode_begin(out, count) || mv_buf_append(out, ops.data, ops.len)))
		rc = mv_fail(err, MV_ERR, "out of memory");
	if (rc == MV_OK)
		rc = bundle_blobs_export(h->st, out, err);
	mv_buf_free(&ops);
	return rc;
}

int home_state_root(struct home *h, uint8_t root[32], struct mv_err *err)
{
	return store_state_root(h->st, root, err);
}

/* Every final epoch's council-signed root must equal the root computed
 * locally at that point of the order. */
static int home_check_epochs(struct store *st, const char *which, struct mv_err *err)
{
	static const char sql[] = "SELECT epoch FROM log_epochs WHERE root != local_root ORDER BY epoch LIMIT 1";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	int rc = MV_OK;
	if (sqlite3_step(s) == SQLITE_ROW)
		rc = mv_fail(err, MV_ERR, "final epoch %lld: the council-signed state root differs from the %s",
			     (long long)sqlite3_column_int64(s, 0), which);
	sqlite3_reset(s);
	return rc;
}

/* Rows of the log from rowid *after on, at most VERIFY_CHUNK ops, as a
 * bundle (out initialised here); *after advances, *count = ops. */
#define VERIFY_CHUNK 20000
static int verify_chunk(struct store *st, int64_t *after, struct mv_buf *out, uint64_t *count,
			struct mv_err *err)
{
	static const char sql[] = "SELECT rowid, raw FROM log_ops WHERE rowid > ? ORDER BY rowid LIMIT ?";
	struct mv_buf ops = {0};
	sqlite3_stmt *s = store_prep(st, sql, err);
	int rc = MV_OK, step;
	*count = 0;
	memset(out, 0, sizeof *out);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, *after);
	sqlite3_bind_int(s, 2, VERIFY_CHUNK);
	while (rc == MV_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
		*after = sqlite3_column_int64(s, 0);
		if (bundle_encode_add(&ops, sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1)))
			rc = mv_fail(err, MV_ERR, "out of memory");
		(*count)++;
	}
	if (rc == MV_OK && step != SQLITE_DONE)
		rc = store_sqlerr(st, err, "verify");
	sqlite3_reset(s);
	if (rc == MV_OK && (bundle_encode_begin(out, *count) || mv_buf_append(out, ops.data, ops.len)))
		rc = mv_fail(err, MV_ERR, "out of memory");
	mv_buf_free(&ops);
	if (rc != MV_OK)
		mv_buf_free(out);
	return rc;
}

/* The ops that are not in the log: pending ones and the other half of each
 * equivocation, as one bundle. */
static int verify_rest(struct store *st, struct mv_buf *out, uint64_t *count, struct mv_err *err)
{
	struct mv_buf ops = {0};
	*count = 0;
	memset(out, 0, sizeof *out);
	int rc = export_rows(st, "SELECT raw FROM log_pending ORDER BY author, seq", &ops, count, err);
	if (rc == MV_OK)
		rc = export_rows(st, "SELECT e.raw FROM log_evidence e WHERE NOT EXISTS "
				     "(SELECT 1 FROM log_ops l WHERE l.id = e.id) ORDER BY author, seq, id",
				 &ops, count, err);
	if (rc == MV_OK && (bundle_encode_begin(out, *count) || mv_buf_append(out, ops.data, ops.len)))
		rc = mv_fail(err, MV_ERR, "out of memory");
	mv_buf_free(&ops);
	if (rc != MV_OK)
		mv_buf_free(out);
	return rc;
}

/* Replay the log into scratch: chunks of the log in arrival order (each
 * author's chain in order, as an export has them), then what waits outside
 * it. Each chunk is one import, so memory stays bounded by a chunk. */
static int verify_replay(struct home *h, struct home *scratch, home_progress_fn progress, void *ud,
			 struct mv_err *err)
{
	struct import_counts c;
	struct mv_buf b;
	uint64_t n, done = 0, total = query_log_count(h->st);
	int64_t after = 0;
	int rc;
	do {
		rc = verify_chunk(h->st, &after, &b, &n, err);
		if (rc == MV_OK && n > 0)
			rc = home_import(scratch, b.data, b.len, &c, NULL, NULL, err);
		mv_buf_free(&b);
		done += n;
		if (rc == MV_OK && progress && progress(ud, "replay", done, total) != 0)
			rc = mv_fail(err, MV_ERR, "verify cancelled");
	} while (rc == MV_OK && n == VERIFY_CHUNK);
	if (rc == MV_OK)
		rc = verify_rest(h->st, &b, &n, err);
	if (rc == MV_OK && n > 0)
		rc = home_import(scratch, b.data, b.len, &c, NULL, NULL, err);
	mv_buf_free(&b);
	return rc;
}

int home_verify(struct home *h, uint8_t live[32], uint8_t replay[32], home_progress_fn progress,
		void *ud, struct mv_err *err)
{
	struct home scratch;
	int rc = home_state_root(h, live, err);
	if (rc != MV_OK)
		return rc;
	/* The replay goes to a temporary file, not memory: a million ops make
	 * a store of ~1.5 GB, which would otherwise all be resident. */
	memset(&scratch, 0, sizeof scratch);
	if (store_open_temp(&scratch.st, err) != MV_OK)
		return MV_ERR;
	snprintf(scratch.keydir, sizeof scratch.keydir, "%s", h->keydir);
	rc = verify_replay(h, &scratch, progress, ud, err);
	if (rc == MV_OK)
		rc = store_state_root(scratch.st, replay, err);
	if (rc == MV_OK)
		rc = home_check_epochs(scratch.st, "replay", err);
	if (rc == MV_OK)
		rc = home_check_epochs(h->st, "live state", err);
	store_close(scratch.st);
	if (rc != MV_OK)
		return rc;
	if (memcmp(live, replay, 32) != 0) {
		char a[65], b[65];
		mv_hex(a, live, 32);
		mv_hex(b, replay, 32);
		return mv_fail(err, MV_ERR, "state root mismatch: live %s, replay %s", a, b);
	}
	return MV_OK;
}
