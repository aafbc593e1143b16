/* cli_fmt.c - how the CLI shows values: MVT amounts, durations, account
 * labels, op bodies (interpreted through the kind's field specs) and the
 * field specs themselves, as text for people and as JSON for machines.
 * Pure formatting: reads nothing but what it is given (and, for account
 * labels, the home's identities). */
#include "ui/cli_priv.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/body.h"

#define CLI_TEXT_FIELD_MAX 80 /* bytes of a string field shown in text */

void cli_hex32(char out[65], const uint8_t id[32])
{
	mv_hex(out, id, 32);
}

void cli_fmt_amount(char *out, size_t outlen, int64_t v)
{
	char a[40];
	mv_amount_format(a, sizeof a, v);
	snprintf(out, outlen, "%s MVT", a);
}

void cli_fmt_duration(char *out, size_t outlen, int64_t ms)
{
	static const struct { int64_t unit; const char *suffix; } units[] = {
		{INT64_C(86400000), "d"}, {INT64_C(3600000), "h"},
		{INT64_C(60000), "m"}, {INT64_C(1000), "s"},
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (ms != 0 && ms % units[i].unit == 0) {
			snprintf(out, outlen, "%" PRId64 "%s", ms / units[i].unit, units[i].suffix);
			return;
		}
	snprintf(out, outlen, "%" PRId64 "ms", ms);
}

void cli_json_amount(json_t *obj, const char *key, int64_t v)
{
	char a[40], k[64];
	mv_amount_format(a, sizeof a, v);
	snprintf(k, sizeof k, "%s_mvt", key);
	json_object_set_new(obj, key, json_integer(v));
	json_object_set_new(obj, k, json_string(a));
}

/* Append printf-style text to a growable buffer (kept NUL-free; the
 * caller terminates). Allocation failure is remembered in b by a NULL
 * data pointer check at the end. */
static void sb_printf(struct mv_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sb_printf(struct mv_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		mv_buf_append(b, small, (size_t)n);
		return;
	}
	if (mv_buf_reserve(b, (size_t)n + 1) != MV_OK)
		return;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* A text field shown on one line: control characters become spaces, long
 * text is cut at a character boundary, quotes when it has spaces. */
static void sb_text(struct mv_buf *b, const uint8_t *p, size_t n)
{
	bool quote = n == 0 || memchr(p, ' ', n) || memchr(p, '"', n);
	size_t cut = n;
	if (cut > CLI_TEXT_FIELD_MAX) {
		cut = CLI_TEXT_FIELD_MAX;
		while (cut > 0 && (p[cut] & 0xC0) == 0x80)
			cut--;
	}
	if (quote)
		mv_buf_byte(b, '"');
	for (size_t i = 0; i < cut; i++)
		mv_buf_byte(b, p[i] < 0x20 ? ' ' : p[i]);
	if (cut < n)
		sb_printf(b, "...");
	if (quote)
		mv_buf_byte(b, '"');
}

/* One scalar value as text, interpreted by the field kind. */
static void sb_scalar(struct mv_buf *b, struct home *h, enum field_kind k,
		      const struct body_value *v)
{
	char tmp[72];
	switch (v->type) {
	case BODY_INT:
		if (k == F_AMOUNT)
			cli_fmt_amount(tmp, sizeof tmp, v->i);
		else if (k == F_TIME)
			mv_time_format_utc(tmp, sizeof tmp, v->i);
		else if (k == F_DURATION)
			cli_fmt_duration(tmp, sizeof tmp, v->i);
		else if (k == F_BOOL)
			snprintf(tmp, sizeof tmp, "%s", v->i ? "yes" : "no");
		else
			snprintf(tmp, sizeof tmp, "%" PRId64, v->i);
		sb_printf(b, "%s", tmp);
		break;
	case BODY_STR:
		sb_text(b, v->p, v->n);
		break;
	case BODY_BYTES:
		sb_printf(b, "<%zu bytes>", v->n);
		break;
	case BODY_ID:
		home_account_label(h, v->p, tmp, sizeof tmp);
		sb_printf(b, "%s", tmp);
		break;
	case BODY_LIST:
		break;
	}
}

/* The scalar kind of a field spec's items (lists) or of the field. */
static enum field_kind cli_item_kind(const struct field_spec *fs)
{
	if (!fs)
		return F_INT;
	switch (fs->kind) {
	case F_LIST_ACCOUNT: return F_ACCOUNT;
	case F_LIST_STR: return F_STR;
	case F_LIST_BYTES: return F_BYTES;
	case F_LIST_INT: return F_INT;
	default: return fs->kind;
	}
}

static const struct field_spec *cli_spec(const struct op_handler *oh, const char *key)
{
	return oh ? contract_field(oh, key) : NULL;
}

/* One field as " key=value" (values of a list joined by commas). */
static void sb_field(struct mv_buf *b, struct home *h, const struct body_field *f,
		     const struct field_spec *fs)
{
	enum field_kind k = cli_item_kind(fs);
	sb_printf(b, "%s%s=", b->len ? " " : "", f->key);
	if (f->v.type != BODY_LIST) {
		sb_scalar(b, h, k, &f->v);
		return;
	}
	for (size_t j = 0; j < f->v.n; j++) {
		if (j)
			mv_buf_byte(b, ',');
		sb_scalar(b, h, k, &f->v.items[j]);
	}
}

/* Fields in the order of the kind's specs, then any others. A kind without
 * specs (genesis) shows its text and list fields and counts its integer
 * parameters, which `show params` lists. */
static void sb_body(struct mv_buf *b, struct home *h, const struct op_handler *oh,
		    const struct body *bd)
{
	bool shown[BODY_MAX_FIELDS] = {false};
	size_t params = 0;
	for (const struct field_spec *fs = oh ? oh->fields : NULL; fs && fs->name; fs++)
		for (size_t i = 0; i < bd->n; i++)
			if (strcmp(bd->f[i].key, fs->name) == 0) {
				sb_field(b, h, &bd->f[i], fs);
				shown[i] = true;
			}
	for (size_t i = 0; i < bd->n; i++) {
		if (shown[i])
			continue;
		if ((!oh || !oh->fields) && bd->f[i].v.type == BODY_INT)
			params++;
		else
			sb_field(b, h, &bd->f[i], cli_spec(oh, bd->f[i].key));
	}
	if (params)
		sb_printf(b, "%s(+%zu parameters)", b->len ? " " : "", params);
}

char *cli_body_text(struct home *h, const char *kind, const uint8_t *body, size_t len)
{
	struct body bd;
	struct mv_buf b = {NULL, 0, 0};
	struct mv_err e;
	if (body_decode(&bd, body, len, &e) != MV_OK) {
		sb_printf(&b, "<undecodable body: %s>", e.msg);
	} else {
		sb_body(&b, h, contract_find(kind, NULL), &bd);
		body_free(&bd);
	}
	if (mv_buf_byte(&b, '\0') != MV_OK) {
		mv_buf_free(&b);
		return NULL;
	}
	return (char *)b.data;
}

/* Bytes as a hex JSON string (NULL on allocation failure). */
static json_t *cli_json_hex(const uint8_t *p, size_t n)
{
	char *hex = malloc(2 * n + 1);
	if (!hex)
		return NULL;
	mv_hex(hex, p, n);
	json_t *j = json_stringn(hex, 2 * n);
	free(hex);
	return j;
}

static json_t *cli_json_scalar(const struct body_value *v)
{
	char hex[65];
	switch (v->type) {
	case BODY_INT:
		return json_integer(v->i);
	case BODY_STR:
		return json_stringn((const char *)v->p, v->n);
	case BODY_BYTES:
		return cli_json_hex(v->p, v->n);
	case BODY_ID:
		mv_hex(hex, v->p, 32);
		return json_string(hex);
	case BODY_LIST:
		break;
	}
	return json_null();
}

json_t *cli_body_json(const char *kind, const uint8_t *body, size_t len)
{
	struct body bd;
	struct mv_err e;
	const struct op_handler *oh = contract_find(kind, NULL);
	if (body_decode(&bd, body, len, &e) != MV_OK)
		return json_pack("{s:s}", "_error", e.msg);
	json_t *o = json_object();
	for (size_t i = 0; i < bd.n; i++) {
		const struct body_value *v = &bd.f[i].v;
		const struct field_spec *fs = cli_spec(oh, bd.f[i].key);
		if (v->type == BODY_INT && fs && fs->kind == F_AMOUNT) {
			cli_json_amount(o, bd.f[i].key, v->i);
		} else if (v->type == BODY_LIST) {
			json_t *a = json_array();
			for (size_t j = 0; j < v->n; j++)
				json_array_append_new(a, cli_json_scalar(&v->items[j]));
			json_object_set_new(o, bd.f[i].key, a);
		} else {
			json_object_set_new(o, bd.f[i].key, cli_json_scalar(v));
		}
	}
	body_free(&bd);
	return o;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* How parameters set in "N MVT" or "N d|h|m|s" in the genesis file show.
 * The store keeps plain integers; this is only for people. */
static const char *const cli_amount_params[] = {
	"mvt_supply", "gov_proposal_threshold", "stake_min", "stake_reward_per_day",
	"treasury_council_limit", "session_reward_patient", "session_reward_therapist",
	"rep_rating_stake_cap", NULL,
};
static const char *const cli_duration_params[] = {
	"gov_voting_delay", "gov_voting_period", "gov_timelock", "gov_grace",
	"booking_min_notice", "cancel_full_refund_before", "dispute_window",
	"reputation_half_life", "checkpoint_every", "treasury_spend_ttl",
	"treasury_council_window", NULL,
};

static bool in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

void cli_fmt_param(char *out, size_t outlen, const char *name, int64_t v)
{
	out[0] = '\0';
	if (in_list(cli_amount_params, name) || strncmp(name, "alloc_", 6) == 0 ||
	    has_suffix(name, "_amount") || has_suffix(name, "_mvt"))
		cli_fmt_amount(out, outlen, v);
	else if (in_list(cli_duration_params, name) || has_suffix(name, "_ms"))
		cli_fmt_duration(out, outlen, v);
	else if (has_suffix(name, "_bp") && v >= 0)
		snprintf(out, outlen, "%" PRId64 ".%02" PRId64 "%%", v / 100, v % 100);
}

const char *cli_field_type(const struct field_spec *fs)
{
	switch (fs->kind) {
	case F_INT: return "INT";
	case F_AMOUNT: return "AMOUNT";
	case F_TIME: return "TIME";
	case F_DURATION: return "DURATION";
	case F_STR: return "TEXT";
	case F_ENUM: return fs->choices ? fs->choices : "CHOICE";
	case F_BOOL: return "yes|no";
	case F_ACCOUNT: return "ACCOUNT";
	case F_ID: return "ID";
	case F_BYTES: return "HEX|@FILE";
	case F_LIST_ACCOUNT: return "ACCOUNT,...";
	case F_LIST_INT: return "INT,...";
	case F_LIST_STR: return "TEXT,...";
	case F_LIST_BYTES: return "HEX,...";
	}
	return "?";
}

/* A bound as the CLI would take it. */
static void cli_fmt_bound(char *out, size_t outlen, enum field_kind k, int64_t v)
{
	if (k == F_AMOUNT)
		cli_fmt_amount(out, outlen, v);
	else if (k == F_TIME)
		mv_time_format_utc(out, outlen, v);
	else if (k == F_DURATION)
		cli_fmt_duration(out, outlen, v);
	else
		snprintf(out, outlen, "%" PRId64, v);
}

void cli_field_bounds(const struct field_spec *fs, char *out, size_t outlen)
{
	char lo[48], hi[48];
	out[0] = '\0';
	if (fs->max > fs->min) {
		cli_fmt_bound(lo, sizeof lo, fs->kind, fs->min);
		if (fs->max == INT64_MAX)
			snprintf(out, outlen, "at least %s", lo);
		else {
			cli_fmt_bound(hi, sizeof hi, fs->kind, fs->max);
			snprintf(out, outlen, "%s .. %s", lo, hi);
		}
	} else if (fs->max_len) {
		bool list = fs->kind >= F_LIST_ACCOUNT;
		snprintf(out, outlen, "up to %zu %s", fs->max_len, list ? "items" : "bytes");
	}
}

json_t *cli_handler_json(const struct contract *owner, const struct op_handler *h)
{
	json_t *fields = json_array();
	for (const struct field_spec *fs = h->fields; fs && fs->name; fs++) {
		json_t *f = json_pack("{s:s, s:s, s:b}", "name", fs->name, "type",
				      cli_field_type(fs), "optional", fs->optional);
		if (fs->max > fs->min) {
			json_object_set_new(f, "min", json_integer(fs->min));
			json_object_set_new(f, "max", json_integer(fs->max));
		}
		if (fs->max_len)
			json_object_set_new(f, "max_len", json_integer((json_int_t)fs->max_len));
		if (fs->choices)
			json_object_set_new(f, "choices", json_string(fs->choices));
		if (fs->help)
			json_object_set_new(f, "help", json_string(fs->help));
		json_array_append_new(fields, f);
	}
	return json_pack("{s:s, s:s, s:s?, s:s?, s:o}", "kind", h->kind, "contract",
			 owner ? owner->name : "", "summary", h->summary, "who", h->who,
			 "fields", fields);
}

void cli_handler_synopsis(const struct op_handler *h, char *out, size_t outlen)
{
	size_t used = 0;
	out[0] = '\0';
	for (const struct field_spec *fs = h->fields; fs && fs->name; fs++) {
		int n = snprintf(out + used, outlen - used, "%s%s%s=%s%s", used ? " " : "",
				 fs->optional ? "[" : "", fs->name, cli_field_type(fs),
				 fs->optional ? "]" : "");
		if (n < 0 || (size_t)n >= outlen - used)
			return;
		used += (size_t)n;
	}
}

void cli_json_time(json_t *obj, const char *key, int64_t ms)
{
	char iso[40], k[64];
	mv_time_format_utc(iso, sizeof iso, ms);
	snprintf(k, sizeof k, "%s_utc", key);
	json_object_set_new(obj, key, json_integer(ms));
	json_object_set_new(obj, k, json_string(iso));
}

void cli_json_id(json_t *obj, const char *key, const uint8_t id[32])
{
	char hex[65];
	cli_hex32(hex, id);
	json_object_set_new(obj, key, json_string(hex));
}

void cli_json_account(struct cli *c, json_t *obj, const char *key, const uint8_t id[32])
{
	char label[80], k[64];
	cli_json_id(obj, key, id);
	home_account_label(c->h, id, label, sizeof label);
	snprintf(k, sizeof k, "%s_label", key);
	json_object_set_new(obj, k, json_string(label));
}
