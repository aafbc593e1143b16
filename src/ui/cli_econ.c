/* cli_econ.c - the economy commands and `show` views of the CLI (see
 * cli_econ.h). They read through query_economy.h, act only through
 * home_submit_fields (the contracts decide; a refusal is exit 3 with the
 * contract's reason), and show times in the viewer's local zone. Text for
 * people, or with --json one JSON document (ids in hex, times as ms UTC plus
 * ISO text, amounts as base units plus "_mvt" text). Figures "now" are the
 * contracts' own projections to the current time (nothing is written). */
#include "ui/cli_econ.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/home_people.h"
#include "core/query.h"
#include "core/query_economy.h"
#include "ui/care_ui.h"

#define EC_DAY_MS INT64_C(86400000)
#define EC_MVT INT64_C(100000000)
#define EC_HISTORY_TEXT 12  /* treasury moves / reputation events in text */
#define EC_PREVIEW_AMOUNT (100 * EC_MVT)

const struct cli_opt cli_econ_treasury_opts[] = {
	{"--nonce", "N", "propose: the nonce (default: your next unused one)"},
	{NULL, NULL, NULL},
};

static const int64_t ec_periods[] = {30, 90, 180, 365};

/* ---- helpers ------------------------------------------------------------- */

/* The account a view is about: argv[0] if given, else the viewer (--as,
 * else the default identity). */
static int ec_account(struct cli *c, int argc, char **argv, uint8_t acct[32])
{
	if (argc > 0)
		return home_resolve_account(c->h, argv[0], acct, &c->err);
	return home_people_account(c->h, c->o.as, acct, &c->err);
}

static void ec_label(struct cli *c, const uint8_t id[32], char *out, size_t outlen)
{
	home_account_label(c->h, id, out, outlen);
}

/* The first 12 hex digits of an id. */
static const char *ec_short(char out[13], const uint8_t id[32])
{
	char hex[65];
	cli_hex32(hex, id);
	memcpy(out, hex, 12);
	out[12] = '\0';
	return out;
}

/* s padded with spaces to w columns (UTF-8 aware: "·" is one column). */
static const char *ec_pad(char *out, size_t outlen, const char *s, int w)
{
	int cols = 0;
	for (const char *p = s; *p; p++)
		cols += ((unsigned char)*p & 0xC0) != 0x80;
	snprintf(out, outlen, "%s%*s", s, cols < w ? w - cols : 0, "");
	return out;
}

/* Basis points as "1.25x" (weights) or "25%" (shares). */
static void ec_fmt_weight(char *out, size_t outlen, int64_t bp)
{
	if (bp % 100 == 0)
		snprintf(out, outlen, "%" PRId64 ".%02" PRId64 "x", bp / 10000, (bp % 10000) / 100);
	else
		snprintf(out, outlen, "%" PRId64 ".%04" PRId64 "x", bp / 10000, bp % 10000);
}

static void ec_fmt_pct(char *out, size_t outlen, int64_t bp)
{
	if (bp % 100 == 0)
		snprintf(out, outlen, "%" PRId64 "%%", bp / 100);
	else
		snprintf(out, outlen, "%" PRId64 ".%02" PRId64 "%%", bp / 100, bp % 100);
}

/* Thousandths as "12.345" (trimmed), with a sign for negatives. */
static void ec_fmt_milli(char *out, size_t outlen, int64_t m)
{
	int64_t a = m < 0 ? -m : m;
	if (a % 1000 == 0)
		snprintf(out, outlen, "%s%" PRId64, m < 0 ? "-" : "", a / 1000);
	else if (a % 100 == 0)
		snprintf(out, outlen, "%s%" PRId64 ".%01" PRId64, m < 0 ? "-" : "", a / 1000,
			 (a % 1000) / 100);
	else
		snprintf(out, outlen, "%s%" PRId64 ".%03" PRId64, m < 0 ? "-" : "", a / 1000, a % 1000);
}

/* An estimate as "~1923.08 MVT": two decimals from 1 MVT up, six below
 * (rounded half up), so a guess does not look exact to the base unit. */
static void ec_fmt_approx(char *out, size_t outlen, int64_t v)
{
	int64_t q = v >= EC_MVT ? 1000000 : 100, r = v;
	char a[40];
	if (v > 0 && v <= INT64_MAX - q / 2)
		r = (v + q / 2) / q * q;
	cli_fmt_amount(a, sizeof a, r);
	snprintf(out, outlen, "%s%s", v ? "~" : "", a);
}

struct ec_param {
	const char *name;
	int64_t value;
	bool found;
};

static int ec_param_cb(void *ud, const struct q_param *r)
{
	struct ec_param *p = ud;
	if (strcmp(r->name, p->name) != 0)
		return 0;
	p->value = r->value;
	p->found = true;
	return 1;
}

/* A parameter by name, dflt if absent. */
static int64_t ec_param(struct cli *c, const char *name, int64_t dflt)
{
	struct ec_param p = {name, dflt, false};
	query_params(c->h->st, ec_param_cb, &p, NULL);
	return p.found ? p.value : dflt;
}

/* Print "ID applied|rejected: REASON|pending"; exit 3 on a rejection. extra
 * (may be NULL) is a JSON object the outcome is added to. */
static int ec_outcome(struct cli *c, const struct submit_result *res, json_t *extra)
{
	char hex[65];
	cli_hex32(hex, res->id);
	const char *what = res->outcome == 1 ? "applied" : res->outcome == 0 ? "rejected" : "pending";
	int rc = res->outcome == 0 ? CLI_EXIT_REJECTED : CLI_EXIT_OK;
	if (c->o.json) {
		json_t *j = extra ? extra : json_object();
		json_object_set_new(j, "id", json_string(hex));
		json_object_set_new(j, "outcome", json_string(what));
		if (res->outcome == 0)
			json_object_set_new(j, "reason", json_string(res->reason));
		return cli_json_print(j) ? CLI_EXIT_ERR : rc;
	}
	json_decref(extra);
	if (res->outcome == 0)
		printf("%s rejected: %s\n", hex, res->reason);
	else
		printf("%s %s\n", hex, what);
	return rc;
}

/* Submit kind with "name=value" fields as the viewer. */
static int ec_submit(struct cli *c, const char *kind, int n, char **fields,
		     struct submit_result *res)
{
	memset(res, 0, sizeof *res);
	return home_submit_fields(c->h, c->o.as, kind, n, fields, res, &c->err);
}

/* ---- naming stakes and spends by an id prefix ------------------------------ */

struct ec_prefix {
	char pre[65];
	size_t n;
	uint8_t id[32];
	int hits;
};

static void ec_prefix_try(struct ec_prefix *p, const uint8_t id[32])
{
	char hex[65];
	cli_hex32(hex, id);
	if (strncasecmp(hex, p->pre, p->n) != 0 || (p->hits && memcmp(p->id, id, 32) == 0))
		return;
	memcpy(p->id, id, 32);
	p->hits++;
}

static int ec_stake_pre_cb(void *ud, const struct q_stake *r)
{
	ec_prefix_try(ud, r->id);
	return 0;
}

static int ec_spend_pre_cb(void *ud, const struct q_spend *r)
{
	ec_prefix_try(ud, r->id);
	return 0;
}

/* A stake (what = "stake") or treasury spend named by its id or a prefix
 * of 6+ hex digits. */
static int ec_resolve_id(struct cli *c, const char *what, const char *s, uint8_t out[32])
{
	struct ec_prefix p;
	int64_t now = mv_now_ms();
	memset(&p, 0, sizeof p);
	p.n = strlen(s);
	if (p.n == 64 && mv_unhex(out, 32, s) == MV_OK)
		return MV_OK;
	if (p.n < 6 || p.n > 64 || strspn(s, "0123456789abcdefABCDEF") != p.n)
		return mv_fail(&c->err, MV_EINVAL, "'%s' is not a %s id (64 hex digits, or the first "
				   "6+)", s, what);
	memcpy(p.pre, s, p.n);
	int rc = strcmp(what, "stake") == 0
		 ? query_stakes(c->h->st, NULL, true, now, ec_stake_pre_cb, &p, &c->err)
		 : query_treasury_spends(c->h->st, false, now, ec_spend_pre_cb, &p, &c->err);
	if (rc != MV_OK)
		return rc;
	if (p.hits == 1) {
		memcpy(out, p.id, 32);
		return MV_OK;
	}
	if (p.hits > 1)
		return mv_fail(&c->err, MV_EINVAL, "'%s' names more than one %s: give more digits", s,
			       what);
	return mv_fail(&c->err, MV_ENOTFOUND, "no %s '%s' (give its id or its first 6+ hex "
			   "digits)", what, s);
}

/* ---- show stakes ------------------------------------------------------------ */

static json_t *ec_stake_json(struct cli *c, const struct q_stake *r)
{
	json_t *o = json_object();
	cli_json_id(o, "stake", r->id);
	cli_json_account(c, o, "owner", r->owner);
	cli_json_amount(o, "amount", r->amount);
	json_object_set_new(o, "period_days", json_integer(r->period_days));
	json_object_set_new(o, "weight_bp", json_integer(r->weight_bp));
	cli_json_amount(o, "weighted", r->weighted);
	cli_json_time(o, "start", r->start);
	cli_json_time(o, "lock_end", r->lock_end);
	json_object_set_new(o, "unlocked", json_boolean(r->unlocked));
	json_object_set_new(o, "closed", json_boolean(r->closed));
	if (r->closed)
		cli_json_time(o, "closed_at", r->closed_at);
	cli_json_amount(o, "accrued", r->accrued);
	cli_json_amount(o, "claimed", r->claimed);
	return o;
}

struct ec_stakes {
	struct cli *c;
	json_t *list;
	int64_t now;
	size_t open, closed;
	int64_t staked, accrued, claimed;
};

static void ec_stake_line(struct ec_stakes *S, const struct q_stake *r)
{
	char id[13], amt[48], w[32], when[40], left[48], acc[48], cl[48], a[64], b[64], d[64];
	cli_fmt_amount(amt, sizeof amt, r->amount);
	ec_fmt_weight(w, sizeof w, r->weight_bp);
	care_ui_fmt(when, sizeof when, r->closed ? r->closed_at : r->lock_end);
	if (r->closed)
		snprintf(left, sizeof left, "unstaked");
	else if (r->unlocked)
		snprintf(left, sizeof left, "unlocked");
	else
		care_ui_fmt_countdown(left, sizeof left, r->lock_end, S->now);
	cli_fmt_amount(acc, sizeof acc, r->accrued);
	cli_fmt_amount(cl, sizeof cl, r->claimed);
	printf("%-12s  %s %4" PRId64 " d  %-6s %s  %s  %s %s\n", ec_short(id, r->id),
	       ec_pad(a, sizeof a, amt, 16), r->period_days, w, when,
	       ec_pad(b, sizeof b, left, 12), ec_pad(d, sizeof d, r->closed ? "-" : acc, 20), cl);
}

static int ec_stake_row(void *ud, const struct q_stake *r)
{
	struct ec_stakes *S = ud;
	if (r->closed)
		S->closed++;
	else {
		S->open++;
		S->staked += r->amount;
		S->accrued += r->accrued;
	}
	S->claimed += r->claimed;
	if (S->c->o.json)
		return json_array_append_new(S->list, ec_stake_json(S->c, r)) != 0;
	if (S->open + S->closed == 1)
		printf("%-12s  %-16s %6s  %-6s %-16s  %-12s  %-20s %s\n", "STAKE", "AMOUNT", "LOCK",
		       "WEIGHT", "UNLOCKS", "", "ACCRUED NOW", "CLAIMED");
	ec_stake_line(S, r);
	return 0;
}

static void ec_stakes_footer(struct ec_stakes *S, const char *who)
{
	char st[48], acc[48], cl[48];
	if (S->open + S->closed == 0) {
		printf("%s has no stakes. Stake with: mentalverse stake AMOUNT DAYS (30, 90, 180 or "
		       "365 days; see `show pool`)\n", who);
		return;
	}
	cli_fmt_amount(st, sizeof st, S->staked);
	cli_fmt_amount(acc, sizeof acc, S->accrued);
	cli_fmt_amount(cl, sizeof cl, S->claimed);
	printf("\n%s: %zu open (%s staked), %zu unstaked; accrued now %s, claimed so far %s\n",
	       who, S->open, st, S->closed, acc, cl);
	if (S->open)
		printf("claim rewards: mentalverse claim [STAKE] · after the lock: mentalverse "
		       "unstake STAKE\n");
}

int cli_econ_show_stakes(struct cli *c, int argc, char **argv)
{
	uint8_t acct[32];
	char who[80];
	struct ec_stakes S;
	memset(&S, 0, sizeof S);
	S.c = c;
	S.now = mv_now_ms();
	if (ec_account(c, argc, argv, acct) != MV_OK)
		return cli_core(c);
	if (c->o.json && !(S.list = json_array()))
		return cli_fail(c, "out of memory");
	ec_label(c, acct, who, sizeof who);
	if (query_stakes(c->h->st, acct, true, S.now, ec_stake_row, &S, &c->err) != MV_OK) {
		json_decref(S.list);
		return cli_core(c);
	}
	if (c->o.json) {
		json_t *o = json_object();
		cli_json_account(c, o, "account", acct);
		cli_json_time(o, "now", S.now);
		cli_json_amount(o, "staked", S.staked);
		cli_json_amount(o, "accrued", S.accrued);
		cli_json_amount(o, "claimed", S.claimed);
		json_object_set_new(o, "stakes", S.list);
		return cli_json_print(o);
	}
	ec_stakes_footer(&S, who);
	return CLI_EXIT_OK;
}

/* ---- show pool -------------------------------------------------------------- */

static json_t *ec_preview_json(const struct q_stake_preview *p, int64_t amount, int64_t days)
{
	json_t *o = json_object();
	cli_json_amount(o, "amount", amount);
	json_object_set_new(o, "period_days", json_integer(days));
	json_object_set_new(o, "ok", json_boolean(p->ok));
	if (!p->ok) {
		json_object_set_new(o, "why", json_string(p->why));
		return o;
	}
	json_object_set_new(o, "weight_bp", json_integer(p->weight_bp));
	cli_json_amount(o, "weighted", p->weighted);
	cli_json_time(o, "lock_end", p->lock_end);
	cli_json_amount(o, "est_per_day", p->est_per_day);
	cli_json_amount(o, "est_over_lock", p->est_over_lock);
	return o;
}

static json_t *ec_pool_json(const struct staking_pool_info *p, int64_t now)
{
	json_t *o = json_object();
	cli_json_time(o, "now", now);
	cli_json_amount(o, "balance", p->balance);
	cli_json_amount(o, "reserved", p->reserved);
	cli_json_amount(o, "free", p->free);
	cli_json_amount(o, "total_staked", p->total_staked);
	cli_json_amount(o, "total_weighted", p->total_weighted);
	cli_json_amount(o, "rate_per_day", p->rate_per_day);
	json_object_set_new(o, "open_stakes", json_integer(p->open_stakes));
	return o;
}

static void ec_pool_text(const struct staking_pool_info *p)
{
	char a[48], b[48];
	cli_fmt_amount(a, sizeof a, p->balance);
	printf("reward pool       %s\n", a);
	cli_fmt_amount(a, sizeof a, p->reserved);
	printf("  owed to stakers %s (accrued, not yet claimed)\n", a);
	cli_fmt_amount(a, sizeof a, p->free);
	printf("  free            %s (session rewards and distributions draw from this)\n", a);
	cli_fmt_amount(a, sizeof a, p->total_staked);
	cli_fmt_amount(b, sizeof b, p->total_weighted);
	printf("staked            %s in %" PRId64 " open stakes (%s weighted)\n", a,
	       p->open_stakes, b);
	cli_fmt_amount(a, sizeof a, p->rate_per_day);
	printf("emission          %s per day, shared pro rata to weighted stake\n\n", a);
}

int cli_econ_show_pool(struct cli *c, int argc, char **argv)
{
	struct staking_pool_info p;
	struct q_stake_preview pv;
	int64_t now = mv_now_ms();
	char amt[48];
	if (query_staking_pool(c->h->st, now, &p, &c->err) != MV_OK)
		return cli_core(c);
	json_t *o = c->o.json ? ec_pool_json(&p, now) : NULL, *est = o ? json_array() : NULL;
	if (!o)
		ec_pool_text(&p);
	cli_fmt_amount(amt, sizeof amt, EC_PREVIEW_AMOUNT);
	if (!o)
		printf("if you staked %s now:\n%-6s %-8s %-18s %s\n", amt, "LOCK", "WEIGHT",
		       "EST. PER DAY", "EST. OVER THE LOCK");
	for (size_t i = 0; i < sizeof ec_periods / sizeof ec_periods[0]; i++) {
		if (query_stake_preview(c->h->st, EC_PREVIEW_AMOUNT, ec_periods[i], now, &pv,
					&c->err) != MV_OK) {
			json_decref(o);
			return cli_core(c);
		}
		if (o) {
			json_array_append_new(est, ec_preview_json(&pv, EC_PREVIEW_AMOUNT, ec_periods[i]));
			continue;
		}
		char lock[24], w[32], d[48], l[48];
		snprintf(lock, sizeof lock, "%" PRId64 " d", ec_periods[i]);
		ec_fmt_weight(w, sizeof w, pv.weight_bp);
		ec_fmt_approx(d, sizeof d, pv.est_per_day);
		ec_fmt_approx(l, sizeof l, pv.est_over_lock);
		printf("%-6s %-8s %-18s %s\n", lock, w, d, l);
	}
	if (o) {
		json_object_set_new(o, "estimates_for_100_mvt", est);
		return cli_json_print(o);
	}
	printf("estimates use today's totals; they fall as others stake more.\n");
	return CLI_EXIT_OK;
}

/* ---- show voting-power ------------------------------------------------------- */

int cli_econ_show_voting_power(struct cli *c, int argc, char **argv)
{
	uint8_t acct[32];
	struct q_voting_power vp;
	char who[80], a[48], b[48], t[48], bp[32];
	int64_t now = mv_now_ms();
	if (ec_account(c, argc, argv, acct) != MV_OK)
		return cli_core(c);
	query_voting_power(c->h->st, acct, now, &vp);
	int64_t bonus_bp = ec_param(c, "stake_voting_rep_bonus_bp", 2500);
	if (c->o.json) {
		json_t *o = json_object();
		cli_json_account(c, o, "account", acct);
		cli_json_time(o, "now", now);
		cli_json_amount(o, "weighted_stake", vp.weighted_stake);
		json_object_set_new(o, "trust", json_integer(vp.trust));
		json_object_set_new(o, "rep_bonus_bp", json_integer(bonus_bp));
		cli_json_amount(o, "bonus", vp.bonus);
		cli_json_amount(o, "total", vp.total);
		return cli_json_print(o);
	}
	ec_label(c, acct, who, sizeof who);
	mv_amount_format(a, sizeof a, vp.weighted_stake);
	mv_amount_format(b, sizeof b, vp.bonus);
	mv_amount_format(t, sizeof t, vp.total);
	ec_fmt_pct(bp, sizeof bp, bonus_bp);
	printf("voting power of %s: %s\n", who, t);
	printf("  weighted stake    %s (each open stake x its lock weight)\n", a);
	printf("  trust             %d / 1000 (see `show reputation`)\n", vp.trust);
	printf("  reputation bonus  %s (weighted stake x trust/1000 x %s)\n", b, bp);
	if (vp.weighted_stake == 0)
		printf("nothing staked: no voting power, whatever the reputation (stake with "
		       "`mentalverse stake AMOUNT DAYS`)\n");
	return CLI_EXIT_OK;
}

/* ---- show treasury ---------------------------------------------------------- */

/* A treasury move kept for text output (the query's memo is only valid
 * during its callback). */
struct ec_tpoint {
	struct q_treasury_point p;
	char memo[64];
};

struct ec_treasury {
	struct cli *c;
	json_t *history, *spends;
	struct ec_tpoint *pts; /* text: the last EC_HISTORY_TEXT moves, a ring */
	size_t n;
	int64_t balance;
	int64_t now;
	struct q_council_room room;
	size_t pending, closed;
};

static int ec_history_row(void *ud, const struct q_treasury_point *r)
{
	struct ec_treasury *T = ud;
	T->n++;
	T->balance = r->balance;
	if (T->c->o.json) {
		json_t *o = json_object();
		cli_json_id(o, "op", r->op);
		cli_json_time(o, "time", r->time);
		cli_json_amount(o, "delta", r->delta);
		cli_json_amount(o, "balance", r->balance);
		json_object_set_new(o, "memo", json_string(r->memo ? r->memo : ""));
		return json_array_append_new(T->history, o) != 0;
	}
	struct ec_tpoint *p = &T->pts[(T->n - 1) % EC_HISTORY_TEXT];
	p->p = *r;
	p->p.memo = NULL;
	snprintf(p->memo, sizeof p->memo, "%s", r->memo ? r->memo : "");
	return 0;
}

static json_t *ec_spend_json(struct cli *c, const struct q_spend *r)
{
	json_t *o = json_object(), *signers = json_array();
	cli_json_id(o, "spend", r->id);
	cli_json_account(c, o, "proposer", r->proposer);
	cli_json_account(c, o, "to", r->to);
	cli_json_amount(o, "amount", r->amount);
	json_object_set_new(o, "nonce", json_integer(r->nonce));
	json_object_set_new(o, "purpose", json_string(r->purpose ? r->purpose : ""));
	json_object_set_new(o, "status", json_string(r->status));
	cli_json_time(o, "created", r->created);
	cli_json_time(o, "expires", r->expires);
	if (r->closed_at)
		cli_json_time(o, "closed_at", r->closed_at);
	for (size_t i = 0; i < r->nsigners; i++) {
		json_t *s = json_object();
		cli_json_account(c, s, "signer", r->signers[i]);
		cli_json_time(s, "signed_at", r->signed_at[i]);
		json_array_append_new(signers, s);
	}
	json_object_set_new(o, "signers", signers);
	json_object_set_new(o, "valid_signers", json_integer(r->valid_signers));
	json_object_set_new(o, "threshold", json_integer(r->threshold));
	return o;
}

/* "council-ana, council-ben" into out. */
static void ec_signer_names(struct cli *c, const struct q_spend *r, char *out, size_t outlen)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < r->nsigners && len + 2 < outlen; i++) {
		char label[80];
		ec_label(c, r->signers[i], label, sizeof label);
		int n = snprintf(out + len, outlen - len, "%s%s", i ? ", " : "", label);
		if (n < 0)
			break;
		len += (size_t)n < outlen - len ? (size_t)n : outlen - len - 1;
	}
}

static void ec_spend_text(struct ec_treasury *T, const struct q_spend *r)
{
	char id[13], amt[48], to[80], names[512], when[40], left[48], a[64];
	ec_short(id, r->id);
	cli_fmt_amount(amt, sizeof amt, r->amount);
	ec_label(T->c, r->to, to, sizeof to);
	ec_signer_names(T->c, r, names, sizeof names);
	printf("  %s  %s to %s: \"%s\"\n", id, ec_pad(a, sizeof a, amt, 14), to,
	       r->purpose ? r->purpose : "");
	if (strcmp(r->status, "pending") == 0) {
		care_ui_fmt(when, sizeof when, r->expires);
		care_ui_fmt_countdown(left, sizeof left, r->expires, T->now);
		printf("                signed %zu of %" PRId64 " (%s), expires %s (%s)\n",
		       (size_t)r->valid_signers, r->threshold, names, when, left);
		return;
	}
	care_ui_fmt(when, sizeof when, r->closed_at ? r->closed_at : r->expires);
	printf("                %s %s, signed by %s\n", r->status, when, names);
}

static int ec_spend_row(void *ud, const struct q_spend *r)
{
	struct ec_treasury *T = ud;
	bool pending = strcmp(r->status, "pending") == 0;
	if (T->c->o.json)
		return json_array_append_new(T->spends, ec_spend_json(T->c, r)) != 0;
	/* two passes in text: pending first, then the others */
	if (pending != (T->pending != (size_t)-1))
		return 0;
	if (pending && T->pending++ == 0)
		printf("\npending council spends (sign: mentalverse --as MEMBER treasury sign "
		       "SPEND):\n");
	if (!pending && T->closed++ == 0)
		printf("\npast council spends:\n");
	ec_spend_text(T, r);
	return 0;
}

static void ec_treasury_history_text(struct ec_treasury *T)
{
	size_t shown = T->n < EC_HISTORY_TEXT ? T->n : EC_HISTORY_TEXT;
	if (!shown)
		return;
	printf("\nhistory (last %zu of %zu moves):\n", shown, T->n);
	for (size_t k = T->n - shown; k < T->n; k++) {
		const struct ec_tpoint *tp = &T->pts[k % EC_HISTORY_TEXT];
		const struct q_treasury_point *p = &tp->p;
		char when[40], d[48], b[48], op[13], a[64], bb[64];
		care_ui_fmt(when, sizeof when, p->time);
		mv_amount_format(d, sizeof d, p->delta < 0 ? -p->delta : p->delta);
		cli_fmt_amount(b, sizeof b, p->balance);
		char sd[52];
		snprintf(sd, sizeof sd, "%s%s", p->delta < 0 ? "-" : "+", d);
		printf("  %s  %s %s %-30s op %s\n", when, ec_pad(a, sizeof a, sd, 14),
		       ec_pad(bb, sizeof bb, b, 22), tp->memo, ec_short(op, p->op));
	}
}

static void ec_treasury_head(struct ec_treasury *T)
{
	char bal[48], lim[48], ttl[32], win[32], left[48];
	cli_fmt_amount(bal, sizeof bal, T->balance);
	cli_fmt_amount(lim, sizeof lim, T->room.limit);
	cli_fmt_amount(left, sizeof left, T->room.left);
	cli_fmt_duration(win, sizeof win, T->room.window);
	cli_fmt_duration(ttl, sizeof ttl, ec_param(T->c, "treasury_spend_ttl", 0));
	printf("treasury %s\n", bal);
	if (T->room.window > 0)
		printf("council spends: up to %s each and in all within %s (%s left now), ", lim, win,
		       left);
	else
		printf("council spends: up to %s each, ", lim);
	printf("paid at %" PRId64 " council signatures, expire after %s\n",
	       ec_param(T->c, "council_threshold", 1), ttl);
}

int cli_econ_show_treasury(struct cli *c, int argc, char **argv)
{
	uint8_t tre[32];
	struct ec_treasury T;
	struct ec_tpoint pts[EC_HISTORY_TEXT];
	memset(&T, 0, sizeof T);
	T.c = c;
	T.pts = pts;
	T.now = mv_now_ms();
	if (home_resolve_account(c->h, "treasury", tre, &c->err) != MV_OK)
		return cli_core(c);
	if (c->o.json && (!(T.history = json_array()) || !(T.spends = json_array()))) {
		json_decref(T.history);
		return cli_fail(c, "out of memory");
	}
	int rc = query_treasury_history(c->h->st, ec_history_row, &T, &c->err);
	if (rc == MV_OK)
		rc = query_treasury_council_room(c->h->st, T.now, &T.room, &c->err);
	T.balance = ledger_balance(c->h->st, tre);
	if (rc == MV_OK && c->o.json)
		rc = query_treasury_spends(c->h->st, false, T.now, ec_spend_row, &T, &c->err);
	if (rc != MV_OK) {
		json_decref(T.history);
		json_decref(T.spends);
		return cli_core(c);
	}
	if (c->o.json) {
		json_t *o = json_object();
		cli_json_amount(o, "balance", T.balance);
		cli_json_amount(o, "council_limit", T.room.limit);
		json_object_set_new(o, "council_window_ms", json_integer(T.room.window));
		cli_json_amount(o, "council_paid_in_window", T.room.paid);
		cli_json_amount(o, "council_left", T.room.left);
		json_object_set_new(o, "council_threshold",
				    json_integer(ec_param(c, "council_threshold", 1)));
		json_object_set_new(o, "history", T.history);
		json_object_set_new(o, "spends", T.spends);
		return cli_json_print(o);
	}
	ec_treasury_head(&T);
	T.pending = 0; /* first pass: pending */
	query_treasury_spends(c->h->st, false, T.now, ec_spend_row, &T, NULL);
	if (T.pending == 0)
		printf("\nno pending council spends (propose: mentalverse --as MEMBER treasury "
		       "propose TO AMOUNT PURPOSE)\n");
	T.pending = (size_t)-1; /* second pass: the others */
	query_treasury_spends(c->h->st, false, T.now, ec_spend_row, &T, NULL);
	ec_treasury_history_text(&T);
	return CLI_EXIT_OK;
}

/* ---- show reputation ----------------------------------------------------------- */

struct ec_rep {
	struct cli *c;
	json_t *list;
	struct rep_component comp[REP__COUNT];
	size_t n;
};

static int ec_comp_cb(void *ud, const struct rep_component *r)
{
	struct ec_rep *R = ud;
	if (R->n < REP__COUNT)
		R->comp[R->n++] = *r;
	return 0;
}

static json_t *ec_comp_json(const struct rep_component *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "dimension", json_string(reputation_dim_name(r->dim)));
	json_object_set_new(o, "events", json_integer(r->events));
	json_object_set_new(o, "raw_points", json_integer(r->raw_points));
	json_object_set_new(o, "decayed_milli", json_integer(r->decayed_milli));
	json_object_set_new(o, "half_at", json_integer(r->half_sat));
	json_object_set_new(o, "score", json_integer(r->score));
	json_object_set_new(o, "weight_bp", json_integer(r->weight_bp));
	json_object_set_new(o, "counted", json_boolean(r->counted));
	json_object_set_new(o, "contribution_milli", json_integer(r->contribution_milli));
	return o;
}

static json_t *ec_event_json(const struct q_rep_event *r)
{
	json_t *o = json_object();
	cli_json_id(o, "op", r->op);
	cli_json_time(o, "time", r->time);
	json_object_set_new(o, "dimension", json_string(reputation_dim_name(r->dim)));
	json_object_set_new(o, "delta", json_integer(r->delta));
	json_object_set_new(o, "decayed_milli", json_integer(r->decayed_milli));
	json_object_set_new(o, "why", json_string(r->why ? r->why : ""));
	return o;
}

static int ec_event_row(void *ud, const struct q_rep_event *r)
{
	struct ec_rep *R = ud;
	if (R->c->o.json)
		return json_array_append_new(R->list, ec_event_json(r)) != 0;
	char when[40], now[24], op[13], dim[24];
	care_ui_fmt(when, sizeof when, r->time);
	ec_fmt_milli(now, sizeof now, r->decayed_milli);
	printf("  %s  %s %+5" PRId64 "  now %-8s %s (op %s)\n", when,
	       ec_pad(dim, sizeof dim, reputation_dim_name(r->dim), 11), r->delta, now,
	       r->why ? r->why : "", ec_short(op, r->op));
	return 0;
}

/* One line of "why this score" for a dimension; wsum is the total weight
 * of the counted dimensions (its share is weight / wsum). */
static void ec_comp_text(const struct rep_component *r, int64_t wsum)
{
	char dec[24], w[32], contrib[24], name[24];
	ec_fmt_milli(dec, sizeof dec, r->decayed_milli);
	ec_fmt_pct(w, sizeof w, wsum > 0 ? r->weight_bp * 10000 / wsum : 0);
	ec_fmt_milli(contrib, sizeof contrib, r->contribution_milli);
	ec_pad(name, sizeof name, reputation_dim_name(r->dim), 12);
	if (!r->counted) {
		printf("  %s not counted: %s\n", name,
		       r->dim == REP_CARE ? "nobody has rated this account yet"
					  : "weight 0 by governance");
		return;
	}
	printf("  %s %4d / 1000  x %-6s = %7s   %" PRId64 " event%s, %" PRId64 " points, worth "
	       "%s now (%" PRId64 " would score 500)\n", name, r->score, w, contrib, r->events,
	       r->events == 1 ? "" : "s", r->raw_points, dec, r->half_sat);
}

static void ec_rep_text(struct ec_rep *R, const char *who, int trust, int64_t half)
{
	char hl[32];
	cli_fmt_duration(hl, sizeof hl, half);
	printf("reputation of %s: trust %d / 1000\n\nwhy this score (score x share of the "
	       "counted weight = contribution):\n", who, trust);
	int64_t wsum = 0;
	for (size_t i = 0; i < R->n; i++)
		wsum += R->comp[i].counted ? R->comp[i].weight_bp : 0;
	for (size_t i = 0; i < R->n; i++)
		ec_comp_text(&R->comp[i], wsum);
	printf("  %-12s %28s %d\n", "trust", "=", trust);
	printf("\nevents lose half their value every %s; a dimension scores 1000 x P / (P + K), "
	       "P its points now,\nK the points that score 500. Nobody sets a score: every event "
	       "below cites the op that caused it.\n", hl);
}

int cli_econ_show_reputation(struct cli *c, int argc, char **argv)
{
	uint8_t acct[32];
	char who[80];
	struct ec_rep R;
	int64_t now = mv_now_ms();
	memset(&R, 0, sizeof R);
	R.c = c;
	if (ec_account(c, argc, argv, acct) != MV_OK)
		return cli_core(c);
	int trust = query_reputation(c->h->st, acct, now, ec_comp_cb, &R);
	if (trust < 0)
		return cli_fail(c, "cannot read the reputation");
	ec_label(c, acct, who, sizeof who);
	if (c->o.json) {
		json_t *o = json_object(), *comps = json_array();
		R.list = json_array();
		cli_json_account(c, o, "account", acct);
		cli_json_time(o, "now", now);
		json_object_set_new(o, "trust", json_integer(trust));
		for (size_t i = 0; i < R.n; i++)
			json_array_append_new(comps, ec_comp_json(&R.comp[i]));
		json_object_set_new(o, "components", comps);
		if (query_reputation_history(c->h->st, acct, now, 0, ec_event_row, &R, &c->err) !=
		    MV_OK) {
			json_decref(o);
			json_decref(R.list);
			return cli_core(c);
		}
		json_object_set_new(o, "history", R.list);
		return cli_json_print(o);
	}
	ec_rep_text(&R, who, trust, ec_param(c, "reputation_half_life", 180 * EC_DAY_MS));
	printf("\nhistory (newest first, at most %d):\n", EC_HISTORY_TEXT);
	size_t before = R.n;
	if (query_reputation_history(c->h->st, acct, now, EC_HISTORY_TEXT, ec_event_row, &R,
				     &c->err) != MV_OK)
		return cli_core(c);
	bool none = true;
	for (size_t i = 0; i < before; i++)
		none = none && R.comp[i].events == 0;
	if (none)
		printf("  no events yet: sessions attended, ratings received, helpful posts and "
		       "votes build it\n");
	return CLI_EXIT_OK;
}

/* ---- show rewards ------------------------------------------------------------------ */

struct ec_rewards {
	struct cli *c;
	json_t *list;
	size_t n;
	int64_t total;
};

static const char *ec_kind_text(const char *kind)
{
	if (strcmp(kind, "session:patient") == 0)
		return "session (patient)";
	if (strcmp(kind, "session:therapist") == 0)
		return "session (therapist)";
	return kind;
}

static int ec_reward_row(void *ud, const struct q_payout *r)
{
	struct ec_rewards *W = ud;
	W->n++;
	W->total += r->amount;
	if (W->c->o.json) {
		json_t *o = json_object();
		cli_json_id(o, "op", r->op);
		cli_json_account(W->c, o, "account", r->account);
		cli_json_time(o, "time", r->time);
		cli_json_amount(o, "amount", r->amount);
		json_object_set_new(o, "kind", json_string(r->kind));
		if (r->has_ref)
			cli_json_id(o, "ref", r->ref);
		if (r->note && r->note[0])
			json_object_set_new(o, "note", json_string(r->note));
		return json_array_append_new(W->list, o) != 0;
	}
	char when[40], amt[48], ref[13], op[13], a[64], k[64];
	if (W->n == 1)
		printf("%-16s  %-20s %-16s %s\n", "TIME", "FOR", "AMOUNT", "REFERENCE");
	care_ui_fmt(when, sizeof when, r->time);
	cli_fmt_amount(amt, sizeof amt, r->amount);
	printf("%s  %s %s %s%s%s%s (op %s)\n", when, ec_pad(k, sizeof k, ec_kind_text(r->kind), 20),
	       ec_pad(a, sizeof a, amt, 16), r->has_ref ? ec_short(ref, r->ref) : "",
	       r->note && r->note[0] ? " " : "", r->note ? r->note : "", r->has_ref ? "" : "-",
	       ec_short(op, r->op));
	return 0;
}

int cli_econ_show_rewards(struct cli *c, int argc, char **argv)
{
	uint8_t acct[32];
	char who[80], tot[48];
	struct ec_rewards W = {c, NULL, 0, 0};
	if (ec_account(c, argc, argv, acct) != MV_OK)
		return cli_core(c);
	if (c->o.json && !(W.list = json_array()))
		return cli_fail(c, "out of memory");
	if (query_rewards_received(c->h->st, acct, 0, ec_reward_row, &W, &c->err) != MV_OK) {
		json_decref(W.list);
		return cli_core(c);
	}
	if (c->o.json) {
		json_t *o = json_object();
		cli_json_account(c, o, "account", acct);
		cli_json_amount(o, "total", W.total);
		json_object_set_new(o, "payouts", W.list);
		return cli_json_print(o);
	}
	ec_label(c, acct, who, sizeof who);
	cli_fmt_amount(tot, sizeof tot, W.total);
	if (W.n == 0)
		printf("%s has received no rewards yet (settled sessions, community distributions "
		       "and staking claims pay them)\n", who);
	else
		printf("\n%s received %s in %zu payout%s\n", who, tot, W.n, W.n == 1 ? "" : "s");
	return CLI_EXIT_OK;
}

/* ---- stake, claim, unstake ------------------------------------------------------ */

/* The preview line of `stake`: what the contract will do and estimates. */
static void ec_preview_text(const struct q_stake_preview *p, int64_t amount, int64_t days,
			    int64_t now)
{
	char amt[48], w[32], when[40], left[48], d[48], l[48];
	cli_fmt_amount(amt, sizeof amt, amount);
	if (!p->ok) {
		printf("stake %s for %" PRId64 " days: %s\n", amt, days, p->why);
		return;
	}
	ec_fmt_weight(w, sizeof w, p->weight_bp);
	care_ui_fmt(when, sizeof when, p->lock_end);
	care_ui_fmt_countdown(left, sizeof left, p->lock_end, now);
	ec_fmt_approx(d, sizeof d, p->est_per_day);
	ec_fmt_approx(l, sizeof l, p->est_over_lock);
	printf("stake %s for %" PRId64 " days: weight %s, unlocks %s (%s); rewards %s per day, "
	       "%s over the lock at today's totals\n", amt, days, w, when, left, d, l);
}

int cli_econ_stake(struct cli *c, int argc, char **argv)
{
	struct q_stake_preview pv;
	struct submit_result res;
	int64_t amount, days;
	char *end, fa[96], fp[64];
	char *fields[2] = {fa, fp};
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	if (mv_amount_parse(argv[0], &amount, &c->err) != MV_OK)
		return cli_fail(c, "AMOUNT: %s", c->err.msg);
	days = strtoll(argv[1], &end, 10);
	if (!argv[1][0] || *end || days <= 0)
		return cli_fail(c, "DAYS must be 30, 90, 180 or 365, not '%s'", argv[1]);
	int64_t now = mv_now_ms();
	if (query_stake_preview(c->h->st, amount, days, now, &pv, &c->err) != MV_OK)
		return cli_core(c);
	if (!c->o.json)
		ec_preview_text(&pv, amount, days, now);
	snprintf(fa, sizeof fa, "amount=%s", argv[0]);
	snprintf(fp, sizeof fp, "period=%s", argv[1]);
	if (ec_submit(c, "staking.stake", 2, fields, &res) != MV_OK)
		return cli_core(c);
	return ec_outcome(c, &res, c->o.json ? json_pack("{s:o}", "preview",
							 ec_preview_json(&pv, amount, days)) : NULL);
}

/* Sign kind {stake: ID} for one stake. */
static int ec_stake_op(struct cli *c, const char *kind, const uint8_t stake[32])
{
	struct submit_result res;
	char hex[65], f[80];
	char *fields[1] = {f};
	cli_hex32(hex, stake);
	snprintf(f, sizeof f, "stake=%s", hex);
	if (ec_submit(c, kind, 1, fields, &res) != MV_OK)
		return cli_core(c);
	return ec_outcome(c, &res, NULL);
}

struct ec_claimable {
	uint8_t (*ids)[32];
	size_t n, cap;
};

static int ec_claimable_cb(void *ud, const struct q_stake *r)
{
	struct ec_claimable *C = ud;
	if (r->closed || r->accrued <= 0)
		return 0;
	if (C->n == C->cap) {
		size_t cap = C->cap ? C->cap * 2 : 8;
		uint8_t (*ids)[32] = realloc(C->ids, cap * sizeof *ids);
		if (!ids)
			return 1;
		C->ids = ids;
		C->cap = cap;
	}
	memcpy(C->ids[C->n++], r->id, 32);
	return 0;
}

/* `claim` without STAKE: every open stake of the viewer with something
 * accrued; the worst exit code wins. */
static int ec_claim_all(struct cli *c)
{
	uint8_t me[32];
	struct ec_claimable C = {NULL, 0, 0};
	if (home_people_account(c->h, c->o.as, me, &c->err) != MV_OK ||
	    query_stakes(c->h->st, me, false, mv_now_ms(), ec_claimable_cb, &C, &c->err) != MV_OK) {
		free(C.ids);
		return cli_core(c);
	}
	if (C.n == 0) {
		free(C.ids);
		return cli_fail(c, "nothing to claim: no open stake of yours has accrued rewards (see "
			       "`show stakes`)");
	}
	int worst = CLI_EXIT_OK;
	for (size_t i = 0; i < C.n; i++) {
		int rc = ec_stake_op(c, "staking.claim", C.ids[i]);
		worst = rc > worst ? rc : worst;
	}
	free(C.ids);
	return worst;
}

int cli_econ_claim(struct cli *c, int argc, char **argv)
{
	uint8_t stake[32];
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	if (argc == 0)
		return ec_claim_all(c);
	if (ec_resolve_id(c, "stake", argv[0], stake) != MV_OK)
		return cli_core(c);
	return ec_stake_op(c, "staking.claim", stake);
}

int cli_econ_unstake(struct cli *c, int argc, char **argv)
{
	uint8_t stake[32];
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	if (ec_resolve_id(c, "stake", argv[0], stake) != MV_OK)
		return cli_core(c);
	return ec_stake_op(c, "staking.unstake", stake);
}

/* ---- treasury propose | sign | cancel ------------------------------------------- */

struct ec_nonce {
	const uint8_t *me;
	int64_t max;
};

static int ec_nonce_cb(void *ud, const struct q_spend *r)
{
	struct ec_nonce *N = ud;
	if (memcmp(r->proposer, N->me, 32) == 0 && r->nonce > N->max)
		N->max = r->nonce;
	return 0;
}

/* The proposer's next unused nonce: one above the highest it has used. */
static int ec_next_nonce(struct cli *c, int64_t *out)
{
	uint8_t me[32];
	if (home_people_account(c->h, c->o.as, me, &c->err) != MV_OK)
		return MV_ERR;
	struct ec_nonce N = {me, 0};
	if (query_treasury_spends(c->h->st, false, mv_now_ms(), ec_nonce_cb, &N, &c->err) != MV_OK)
		return MV_ERR;
	*out = N.max + 1;
	return MV_OK;
}

static int ec_propose(struct cli *c, int argc, char **argv)
{
	struct submit_result res;
	char to[200], amount[96], purpose[512], nonce[48];
	char *fields[4] = {to, amount, purpose, nonce};
	const char *given = cli_opt(c, "--nonce");
	int64_t n = 0;
	if (argc != 3)
		return cli_fail(c, "usage: mentalverse treasury propose TO AMOUNT PURPOSE [--nonce N]");
	if (given)
		snprintf(nonce, sizeof nonce, "nonce=%s", given);
	else if (ec_next_nonce(c, &n) != MV_OK)
		return cli_core(c);
	else
		snprintf(nonce, sizeof nonce, "nonce=%" PRId64, n);
	snprintf(to, sizeof to, "to=%s", argv[0]);
	snprintf(amount, sizeof amount, "amount=%s", argv[1]);
	snprintf(purpose, sizeof purpose, "purpose=%s", argv[2]);
	if (ec_submit(c, "treasury.propose_spend", 4, fields, &res) != MV_OK)
		return cli_core(c);
	return ec_outcome(c, &res, c->o.json ? json_pack("{s:s}", "nonce", nonce + 6) : NULL);
}

static int ec_spend_op(struct cli *c, const char *kind, const char *ref)
{
	uint8_t spend[32];
	struct submit_result res;
	char hex[65], f[80];
	char *fields[1] = {f};
	if (ec_resolve_id(c, "treasury spend", ref, spend) != MV_OK)
		return cli_core(c);
	cli_hex32(hex, spend);
	snprintf(f, sizeof f, "spend=%s", hex);
	if (ec_submit(c, kind, 1, fields, &res) != MV_OK)
		return cli_core(c);
	return ec_outcome(c, &res, NULL);
}

int cli_econ_treasury(struct cli *c, int argc, char **argv)
{
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	if (strcmp(argv[0], "propose") == 0)
		return ec_propose(c, argc - 1, argv + 1);
	if (argc != 2 || (strcmp(argv[0], "sign") && strcmp(argv[0], "cancel")))
		return cli_fail(c, "usage: mentalverse treasury propose TO AMOUNT PURPOSE [--nonce N] "
			       "| sign SPEND | cancel SPEND");
	return ec_spend_op(c, strcmp(argv[0], "sign") == 0 ? "treasury.sign" : "treasury.cancel",
			   argv[1]);
}
