/* cli_care.c - the care commands and `show` views of the CLI (see
 * cli_care.h). They read through query_care.h / query_people.h, act through
 * home_submit_fields and home_care.h (which does the encryption), and show
 * every time in the viewer's local zone (care_ui.h). Text for people, or
 * with --json one JSON document (ids in hex, times as ms UTC plus ISO text,
 * amounts as base units plus "_mvt" text). */
#include "ui/cli_care.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_care.h"
#include "core/home_people.h"
#include "core/ics.h"
#include "core/query_care.h"
#include "core/query_people.h"
#include "ui/care_ui.h"

#define CC_DAY_MS INT64_C(86400000)
#define CC_MAX_DAYS 84

const struct cli_opt cli_care_book_opts[] = {
	{"--payment", "P", "token (default), external or insurance"},
	{NULL, NULL, NULL},
};
const struct cli_opt cli_care_note_opts[] = {
	{"--text", "TEXT", "the note (encrypted before it is signed)"},
	{"--shared", NULL, "a summary the patient can read too"},
	{NULL, NULL, NULL},
};

const struct cli_opt cli_care_rate_opts[] = {
	{"--comment", "TEXT", "encrypted to you and the therapist"},
	{NULL, NULL, NULL},
};
const struct cli_opt cli_care_dispute_opts[] = {
	{"--reason", "TEXT", "what went wrong (encrypted to both parties)"},
	{NULL, NULL, NULL},
};
const struct cli_opt cli_care_claim_opts[] = {
	{"--insurer", "ACCOUNT", "an insurer appointed by the council"},
	{"--policy", "TEXT", "policy number and details (encrypted to the insurer)"},
	{NULL, NULL, NULL},
};

/* ---- helpers ----------------------------------------------------------- */

/* The account the command acts as (--as, else the default identity). */
static int cc_viewer(struct cli *c, uint8_t acct[32])
{
	return home_people_account(c->h, c->o.as, acct, &c->err);
}

static void cc_label(struct cli *c, const uint8_t id[32], char *out, size_t outlen)
{
	home_account_label(c->h, id, out, outlen);
}

/* s padded with spaces to w columns (UTF-8 aware: "·" is one column). */
static const char *cc_pad(char *out, size_t outlen, const char *s, int w)
{
	int cols = 0;
	for (const char *p = s; *p; p++)
		cols += ((unsigned char)*p & 0xC0) != 0x80;
	snprintf(out, outlen, "%s%*s", s, cols < w ? w - cols : 0, "");
	return out;
}

/* Print "ID applied|rejected: REASON|pending"; exit 3 on a rejection. */
static int cc_outcome(struct cli *c, const struct submit_result *res, json_t *extra)
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

/* ---- naming sessions and services by an id prefix ------------------------- */

struct cc_prefix {
	char pre[65];
	size_t n;
	uint8_t id[32];
	int hits;
};

static void cc_prefix_try(struct cc_prefix *p, const uint8_t id[32])
{
	char hex[65];
	cli_hex32(hex, id);
	if (strncasecmp(hex, p->pre, p->n) != 0 || (p->hits && memcmp(p->id, id, 32) == 0))
		return;
	memcpy(p->id, id, 32);
	p->hits++;
}

static bool cc_prefix_init(struct cc_prefix *p, const char *s)
{
	memset(p, 0, sizeof *p);
	p->n = strlen(s);
	if (p->n < 6 || p->n > 64 || strspn(s, "0123456789abcdefABCDEF") != p->n)
		return false;
	memcpy(p->pre, s, p->n);
	return true;
}

static int cc_prefix_result(struct cli *c, const struct cc_prefix *p, const char *what,
			    const char *s, uint8_t out[32])
{
	if (p->hits == 1) {
		memcpy(out, p->id, 32);
		return MV_OK;
	}
	if (p->hits > 1)
		return mv_fail(&c->err, MV_EINVAL, "'%s' names more than one %s: give more digits", s,
			       what);
	return mv_fail(&c->err, MV_ENOTFOUND, "no %s '%s' (give its id or its first 6+ hex digits)",
		       what, s);
}

static int cc_session_pre_cb(void *ud, const struct qc_session *r)
{
	cc_prefix_try(ud, r->s.id);
	return 0;
}

static int cc_claim_pre_cb(void *ud, const struct qc_claim *r)
{
	cc_prefix_try(ud, r->session);
	return 0;
}

/* A session named by id or prefix among the viewer's sessions and claims. */
static int cc_session_id(struct cli *c, const char *s, uint8_t out[32])
{
	struct cc_prefix p;
	uint8_t me[32];
	if (strlen(s) == 64 && mv_unhex(out, 32, s) == MV_OK)
		return MV_OK;
	if (!cc_prefix_init(&p, s))
		return mv_fail(&c->err, MV_EINVAL, "'%s' is not a session id (64 hex digits, or the "
				   "first 6+)", s);
	if (cc_viewer(c, me) != MV_OK)
		return MV_ERR;
	if (query_care_sessions(c->h->st, me, QC_ALL, mv_now_ms(), cc_session_pre_cb, &p,
				&c->err) != MV_OK ||
	    query_care_claims(c->h->st, me, cc_claim_pre_cb, &p, &c->err) != MV_OK)
		return MV_ERR;
	return cc_prefix_result(c, &p, "session", s, out);
}

static int cc_service_pre_cb(void *ud, const struct qc_service *r)
{
	cc_prefix_try(ud, r->sv.id);
	return 0;
}

struct cc_svc_walk {
	struct cli *c;
	struct cc_prefix *p;
	int rc;
};

static int cc_therapist_pre_cb(void *ud, const struct qc_therapist *r)
{
	struct cc_svc_walk *w = ud;
	w->rc = query_care_services(w->c->h->st, r->therapist, true, cc_service_pre_cb, w->p,
				    &w->c->err);
	return w->rc != MV_OK;
}

/* A service named by id or prefix among every therapist's services. */
static int cc_service_id(struct cli *c, const char *s, uint8_t out[32])
{
	struct cc_prefix p;
	if (strlen(s) == 64 && mv_unhex(out, 32, s) == MV_OK)
		return MV_OK;
	if (!cc_prefix_init(&p, s))
		return mv_fail(&c->err, MV_EINVAL, "'%s' is not a service id (64 hex digits, or the "
				   "first 6+)", s);
	struct qc_search q = {NULL, NULL, NULL, -1, false, false, QC_SORT_PRICE, mv_now_ms()};
	struct cc_svc_walk w = {c, &p, MV_OK};
	if (query_care_search(c->h->st, &q, cc_therapist_pre_cb, &w, &c->err) != MV_OK ||
	    w.rc != MV_OK)
		return MV_ERR;
	return cc_prefix_result(c, &p, "service", s, out);
}

/* ---- show find ---------------------------------------------------------------- */

static json_t *cc_therapist_json(struct cli *c, const struct qc_therapist *r)
{
	json_t *o = json_object();
	cli_json_account(c, o, "therapist", r->therapist);
	json_object_set_new(o, "verified", json_boolean(r->verified));
	cli_json_amount(o, "min_price", r->min_price);
	json_object_set_new(o, "services", json_integer(r->services));
	json_object_set_new(o, "rating_x100", json_integer(r->rating_x100));
	json_object_set_new(o, "ratings", json_integer(r->ratings));
	return o;
}

struct cc_find {
	struct cli *c;
	json_t *list;
	size_t n;
};

static int cc_find_row(void *ud, const struct qc_therapist *r)
{
	struct cc_find *f = ud;
	char label[80], price[48], rating[32];
	f->n++;
	if (f->c->o.json)
		return json_array_append_new(f->list, cc_therapist_json(f->c, r)) != 0;
	if (f->n == 1)
		printf("%-22s %-9s %-16s %-9s %s\n", "THERAPIST", "VERIFIED", "FROM", "SERVICES",
		       "RATING");
	cc_label(f->c, r->therapist, label, sizeof label);
	cli_fmt_amount(price, sizeof price, r->min_price);
	if (r->ratings)
		snprintf(rating, sizeof rating, "%" PRId64 ".%02" PRId64 " (%" PRId64 ")",
			 r->rating_x100 / 100, r->rating_x100 % 100, r->ratings);
	else
		snprintf(rating, sizeof rating, "-");
	printf("%-22s %-9s %-16s %-9" PRId64 " %s\n", label, r->verified ? "yes" : "no", price,
	       r->services, rating);
	return 0;
}

/* Fill q from the options; false (reported) on a bad value. */
static bool cc_find_query(struct cli *c, struct qc_search *q)
{
	const char *fmt = cli_opt(c, "--format"), *max = cli_opt(c, "--max-price");
	const char *sort = cli_opt(c, "--sort");
	memset(q, 0, sizeof *q);
	q->specialty = cli_opt(c, "--specialty");
	q->language = cli_opt(c, "--language");
	q->format = fmt;
	q->max_price = -1;
	q->insurance = cli_opt(c, "--insurance") != NULL;
	q->verified_only = cli_opt(c, "--verified") != NULL;
	q->now = mv_now_ms();
	if (fmt && strcmp(fmt, "video") && strcmp(fmt, "in_person") && strcmp(fmt, "text")) {
		cli_fail(c, "--format must be video, in_person or text, not '%s'", fmt);
		return false;
	}
	if (max && mv_amount_parse(max, &q->max_price, &c->err) != MV_OK) {
		cli_fail(c, "--max-price: %s", c->err.msg);
		return false;
	}
	if (sort && strcmp(sort, "price") && strcmp(sort, "rating")) {
		cli_fail(c, "--sort must be price or rating, not '%s'", sort);
		return false;
	}
	q->sort = sort && strcmp(sort, "rating") == 0 ? QC_SORT_RATING : QC_SORT_PRICE;
	return true;
}

int cli_care_show_find(struct cli *c, int argc, char **argv)
{
	struct qc_search q;
	struct cc_find f = {c, json_array(), 0};
	if (!f.list)
		return cli_fail(c, "out of memory");
	if (!cc_find_query(c, &q)) {
		json_decref(f.list);
		return CLI_EXIT_ERR;
	}
	if (query_care_search(c->h->st, &q, cc_find_row, &f, &c->err) != MV_OK) {
		json_decref(f.list);
		return cli_core(c);
	}
	if (c->o.json)
		return cli_json_print(f.list);
	json_decref(f.list);
	if (f.n == 0)
		printf("no therapist offers a service matching that\n");
	return CLI_EXIT_OK;
}

/* ---- show services ------------------------------------------------------------ */

static json_t *cc_service_json(const struct qc_service *r)
{
	const struct care_service *s = &r->sv;
	json_t *o = json_object();
	cli_json_id(o, "id", s->id);
	cli_json_id(o, "therapist", s->therapist);
	json_object_set_new(o, "title", json_string(s->title));
	json_object_set_new(o, "modality", json_string(s->modality));
	json_object_set_new(o, "format", json_string(s->format));
	json_object_set_new(o, "duration_min", json_integer(s->duration_min));
	cli_json_amount(o, "price", s->price);
	json_object_set_new(o, "languages", json_string(r->languages));
	json_object_set_new(o, "specialties", json_string(r->specialties));
	json_object_set_new(o, "insurance_accepted", json_boolean(s->insurance));
	json_object_set_new(o, "auto_accept", json_boolean(s->auto_accept));
	json_object_set_new(o, "retired", json_boolean(s->retired));
	return o;
}

static int cc_service_row(void *ud, const struct qc_service *r)
{
	struct cc_find *f = ud;
	const struct care_service *s = &r->sv;
	char hex[65], price[48];
	f->n++;
	if (f->c->o.json)
		return json_array_append_new(f->list, cc_service_json(r)) != 0;
	cli_hex32(hex, s->id);
	cli_fmt_amount(price, sizeof price, s->price);
	printf("\n%.12s  %s%s\n", hex, s->title, s->retired ? "  (retired)" : "");
	printf("    %s · %s · %" PRId64 " min · %s%s%s\n", s->modality, s->format, s->duration_min,
	       price, s->insurance ? " · insurance accepted" : "",
	       s->auto_accept ? " · confirmed at once" : " · the therapist confirms");
	printf("    languages %s · specialties %s\n", r->languages[0] ? r->languages : "-",
	       r->specialties[0] ? r->specialties : "-");
	return 0;
}

static void cc_therapist_head(struct cli *c, const uint8_t id[32], json_t *o)
{
	struct q_therapist t;
	struct mv_err e;
	int64_t avg = 0, cnt = 0;
	char label[80];
	bool have = query_therapist(c->h->st, id, mv_now_ms(), &t, &e) == MV_OK;
	query_care_rating(c->h->st, id, &avg, &cnt, &e);
	cc_label(c, id, label, sizeof label);
	if (o) {
		cli_json_account(c, o, "therapist", id);
		json_object_set_new(o, "verification", json_string(have ? t.state : "unregistered"));
		json_object_set_new(o, "verified", json_boolean(have && t.verified));
		json_object_set_new(o, "rating_x100", json_integer(avg));
		json_object_set_new(o, "ratings", json_integer(cnt));
		return;
	}
	printf("%s · %s", label, have ? (t.verified ? "verified" : t.state) : "not registered");
	if (cnt)
		printf(" · rated %" PRId64 ".%02" PRId64 " by %" PRId64, avg / 100, avg % 100, cnt);
	printf("\n");
	if (have && t.user.bio[0])
		printf("%s\n", t.user.bio);
}

int cli_care_show_services(struct cli *c, int argc, char **argv)
{
	uint8_t id[32];
	struct cc_find f = {c, json_array(), 0};
	if (!f.list)
		return cli_fail(c, "out of memory");
	if (home_resolve_account(c->h, argv[0], id, &c->err) != MV_OK) {
		json_decref(f.list);
		return cli_core(c);
	}
	json_t *head = c->o.json ? json_object() : NULL;
	cc_therapist_head(c, id, head);
	if (query_care_services(c->h->st, id, true, cc_service_row, &f, &c->err) != MV_OK) {
		json_decref(f.list);
		json_decref(head);
		return cli_core(c);
	}
	if (head) {
		json_object_set_new(head, "services", f.list);
		return cli_json_print(head);
	}
	json_decref(f.list);
	if (f.n == 0)
		printf("no services published\n");
	return CLI_EXIT_OK;
}

/* ---- show slots ------------------------------------------------------------------ */

struct cc_slots {
	struct cli *c;
	json_t *list;
	size_t n;
	int64_t day;   /* local midnight of the line being printed */
};

static int cc_slot_row(void *ud, int64_t start, int64_t end)
{
	struct cc_slots *s = ud;
	char when[64];
	s->n++;
	if (s->c->o.json) {
		json_t *o = json_object();
		cli_json_time(o, "start", start);
		cli_json_time(o, "end", end);
		care_ui_fmt(when, sizeof when, start);
		json_object_set_new(o, "local", json_string(when));
		return json_array_append_new(s->list, o) != 0;
	}
	int64_t day = care_ui_day_start(start);
	if (day != s->day) {
		care_ui_fmt_day(when, sizeof when, start);
		printf("%s%s ", s->n > 1 ? "\n" : "", when);
		s->day = day;
	}
	care_ui_fmt_hm(when, sizeof when, start);
	printf(" %s", when);
	return 0;
}

/* --from and --days into [from, to). */
static bool cc_slot_range(struct cli *c, int64_t *from, int64_t *to)
{
	const char *f = cli_opt(c, "--from"), *d = cli_opt(c, "--days");
	char why[256];
	long days = 7;
	*from = mv_now_ms();
	if (f && !care_ui_parse(f, from, why, sizeof why)) {
		cli_fail(c, "--from: %s", why);
		return false;
	}
	if (d) {
		char *end;
		days = strtol(d, &end, 10);
		if (*end || days < 1 || days > CC_MAX_DAYS) {
			cli_fail(c, "--days must be 1..%d, not '%s'", CC_MAX_DAYS, d);
			return false;
		}
	}
	*to = *from + days * CC_DAY_MS;
	return true;
}

int cli_care_show_slots(struct cli *c, int argc, char **argv)
{
	uint8_t id[32], me[32];
	struct qc_service sv;
	int64_t from, to;
	char zone[16], price[48];
	struct cc_slots s = {c, json_array(), 0, INT64_MIN};
	int rc = CLI_EXIT_OK;
	if (!s.list)
		return cli_fail(c, "out of memory");
	if (cc_service_id(c, argv[0], id) != MV_OK || query_care_service(c->h->st, id, &sv,
									 &c->err) != MV_OK)
		rc = cli_core(c);
	if (rc == CLI_EXIT_OK && !cc_slot_range(c, &from, &to))
		rc = CLI_EXIT_ERR;
	if (rc != CLI_EXIT_OK) {
		json_decref(s.list);
		return rc;
	}
	bool have_me = cc_viewer(c, me) == MV_OK;
	care_ui_zone(zone, sizeof zone, from);
	cli_fmt_amount(price, sizeof price, sv.sv.price);
	if (!c->o.json)
		printf("free slots of \"%s\" (%" PRId64 " min, %s), times in %s:\n", sv.sv.title,
		       sv.sv.duration_min, price, zone);
	if (query_care_free_slots(c->h->st, id, from, to, mv_now_ms(), have_me ? me : NULL, 0,
				  cc_slot_row, &s, &c->err) != MV_OK) {
		json_decref(s.list);
		return cli_core(c);
	}
	if (c->o.json) {
		json_t *o = json_object();
		cli_json_id(o, "service", id);
		json_object_set_new(o, "zone", json_string(zone));
		json_object_set_new(o, "slots", s.list);
		return cli_json_print(o);
	}
	json_decref(s.list);
	printf(s.n ? "\n" : "none in these %" PRId64 " days\n", (to - from) / CC_DAY_MS);
	return CLI_EXIT_OK;
}

/* ---- show sessions / session ----------------------------------------------------- */

static json_t *cc_session_json(struct cli *c, const struct qc_session *r)
{
	const struct care_session *s = &r->s;
	char state[64], local[40];
	json_t *o = json_object();
	cli_json_id(o, "id", s->id);
	cli_json_id(o, "service", s->service);
	json_object_set_new(o, "title", json_string(r->title));
	cli_json_account(c, o, "therapist", s->therapist);
	cli_json_account(c, o, "patient", s->patient);
	cli_json_time(o, "start", s->start);
	cli_json_time(o, "end", s->end);
	care_ui_fmt(local, sizeof local, s->start);
	json_object_set_new(o, "start_local", json_string(local));
	json_object_set_new(o, "state", json_string(care_state_name(s->state)));
	json_object_set_new(o, "label", json_string(r->label ? r->label : ""));
	care_ui_state(state, sizeof state, r);
	json_object_set_new(o, "status", json_string(state));
	json_object_set_new(o, "tentative", json_boolean(r->tentative));
	json_object_set_new(o, "as_therapist", json_boolean(r->as_therapist));
	json_object_set_new(o, "payment", json_string(s->payment));
	cli_json_amount(o, "price", s->price);
	cli_json_amount(o, "fee", s->fee);
	json_object_set_new(o, "stars", json_integer(r->stars));
	json_object_set_new(o, "cancelled_by", json_string(s->cancelled_by));
	json_object_set_new(o, "checkin_patient", json_boolean(s->checkin_patient != 0));
	json_object_set_new(o, "checkin_therapist", json_boolean(s->checkin_therapist != 0));
	return o;
}

static int cc_sessions_row(void *ud, const struct qc_session *r)
{
	struct cc_find *f = ud;
	char hex[65], when[48], state[64], with[80];
	f->n++;
	if (f->c->o.json)
		return json_array_append_new(f->list, cc_session_json(f->c, r)) != 0;
	if (f->n == 1) {
		char zone[16];
		care_ui_zone(zone, sizeof zone, r->s.start);
		snprintf(when, sizeof when, "WHEN (%s)", zone);
		printf("%-13s %-18s %-26s %-18s %s\n", "ID", when, "STATE", "WITH", "SERVICE");
	}
	cli_hex32(hex, r->s.id);
	care_ui_fmt_short(when, sizeof when, r->s.start);
	care_ui_state(state, sizeof state, r);
	cc_label(f->c, r->as_therapist ? r->s.patient : r->s.therapist, with, sizeof with);
	char padded[128];
	printf("%.12s  %-18s %s %-18s %s\n", hex, when, cc_pad(padded, sizeof padded, state, 26),
	       with, r->title);
	return 0;
}

int cli_care_show_sessions(struct cli *c, int argc, char **argv)
{
	uint8_t me[32];
	bool past = cli_opt(c, "--past") != NULL;
	struct cc_find f = {c, json_array(), 0};
	if (!f.list)
		return cli_fail(c, "out of memory");
	if (cc_viewer(c, me) != MV_OK ||
	    query_care_sessions(c->h->st, me, past ? QC_PAST : QC_UPCOMING, mv_now_ms(),
				cc_sessions_row, &f, &c->err) != MV_OK) {
		json_decref(f.list);
		return cli_core(c);
	}
	if (c->o.json)
		return cli_json_print(f.list);
	json_decref(f.list);
	if (f.n == 0)
		printf(past ? "no past sessions\n" : "no upcoming sessions (find a therapist: "
		       "mentalverse show find)\n");
	return CLI_EXIT_OK;
}

/* What cancelling now would do, for the viewer. */
static void cc_refund_text(struct cli *c, const struct qc_session *r, const uint8_t me[32],
			   json_t *o)
{
	struct qc_refund rf;
	struct mv_err e;
	char words[32], back[48];
	if (query_care_refund_preview(c->h->st, r->s.id, me, mv_now_ms(), &rf, &e) != MV_OK)
		return;
	care_ui_refund_words(words, sizeof words, rf.refund_bp);
	if (o) {
		json_t *p = json_pack("{s:b, s:s, s:I}", "allowed", rf.allowed, "why", rf.why,
				      "refund_bp", (json_int_t)rf.refund_bp);
		cli_json_amount(p, "to_patient", rf.split.patient);
		cli_json_amount(p, "to_therapist", rf.split.therapist);
		cli_json_amount(p, "to_treasury", rf.split.treasury);
		json_object_set_new(o, "cancel_now", p);
		return;
	}
	if (!rf.allowed) {
		printf("cancel     not possible: %s\n", rf.why);
		return;
	}
	cli_fmt_amount(back, sizeof back, rf.split.patient);
	if (strcmp(r->s.payment, "token") == 0)
		printf("cancel     now: %s (%s back to the patient)\n", words, back);
	else
		printf("cancel     now: %s (paid %s: nothing in escrow)\n", words, r->s.payment);
	if (!rf.by_therapist && rf.refund_bp >= 10000 && r->s.state == CS_CONFIRMED) {
		char until[48];
		care_ui_fmt(until, sizeof until, rf.full_refund_until);
		printf("           full refund until %s, then partial\n", until);
	}
}

static void cc_session_text(struct cli *c, const struct qc_session *r, const uint8_t me[32])
{
	const struct care_session *s = &r->s;
	char hex[65], a[48], b[48], zone[16], state[64], who[80], price[48], fee[48];
	cli_hex32(hex, s->id);
	care_ui_fmt(a, sizeof a, s->start);
	care_ui_fmt_hm(b, sizeof b, s->end);
	care_ui_zone(zone, sizeof zone, s->start);
	care_ui_state(state, sizeof state, r);
	printf("session    %s\n", hex);
	printf("service    %s\n", r->title);
	cc_label(c, s->therapist, who, sizeof who);
	printf("therapist  %s\n", who);
	cc_label(c, s->patient, who, sizeof who);
	printf("patient    %s\n", who);
	printf("when       %s–%s %s\n", a, b, zone);
	printf("state      %s\n", state);
	cli_fmt_amount(price, sizeof price, s->price);
	cli_fmt_amount(fee, sizeof fee, s->fee);
	if (strcmp(s->payment, "token") == 0)
		printf("payment    %s + fee %s in escrow while the session is open\n", price, fee);
	else
		printf("payment    %s (%s)%s\n", s->payment, price,
		       r->payment_recorded ? ", payment recorded" : "");
	printf("check-in   therapist %s, patient %s\n", s->checkin_therapist ? "yes" : "no",
	       s->checkin_patient ? "yes" : "no");
	if (r->stars)
		printf("rating     %" PRId64 " of 5\n", r->stars);
	if (r->dispute_until && (s->state == CS_COMPLETED || s->state == CS_NO_SHOW)) {
		care_ui_fmt(a, sizeof a, r->dispute_until);
		printf("dispute    possible until %s\n", a);
	}
	cc_refund_text(c, r, me, NULL);
}

int cli_care_show_session(struct cli *c, int argc, char **argv)
{
	uint8_t id[32], me[32];
	struct qc_session r;
	if (cc_session_id(c, argv[0], id) != MV_OK)
		return cli_core(c);
	bool have_me = cc_viewer(c, me) == MV_OK;
	int rc = query_care_session(c->h->st, id, have_me ? me : NULL, mv_now_ms(), &r, &c->err);
	if (rc == MV_ENOTFOUND)
		return cli_fail(c, "no such session");
	if (rc != MV_OK)
		return cli_core(c);
	if (c->o.json) {
		json_t *o = cc_session_json(c, &r);
		if (have_me)
			cc_refund_text(c, &r, me, o);
		return cli_json_print(o);
	}
	cc_session_text(c, &r, have_me ? me : r.s.patient);
	return CLI_EXIT_OK;
}

/* ---- show claims ------------------------------------------------------------------ */

static int cc_claim_row(void *ud, const struct qc_claim *r)
{
	struct cc_find *f = ud;
	char id[65], ses[65], amt[48], ok[48], ins[80], when[48];
	f->n++;
	cli_hex32(id, r->id);
	cli_hex32(ses, r->session);
	if (f->c->o.json) {
		json_t *o = json_object();
		cli_json_id(o, "id", r->id);
		cli_json_id(o, "session", r->session);
		cli_json_account(f->c, o, "insurer", r->insurer);
		cli_json_account(f->c, o, "patient", r->patient);
		cli_json_account(f->c, o, "therapist", r->therapist);
		json_object_set_new(o, "state", json_string(r->state));
		cli_json_amount(o, "amount", r->amount);
		cli_json_amount(o, "approved", r->approved);
		json_object_set_new(o, "denial_reason", json_string(r->denial_reason));
		json_object_set_new(o, "pay_method", json_string(r->pay_method));
		cli_json_time(o, "created", r->created);
		return json_array_append_new(f->list, o) != 0;
	}
	if (f->n == 1)
		printf("%-13s %-13s %-10s %-16s %-16s %-18s %s\n", "CLAIM", "SESSION", "STATE",
		       "CLAIMED", "APPROVED", "INSURER", "SUBMITTED");
	cli_fmt_amount(amt, sizeof amt, r->amount);
	if (r->approved)
		cli_fmt_amount(ok, sizeof ok, r->approved);
	else
		snprintf(ok, sizeof ok, "-");
	cc_label(f->c, r->insurer, ins, sizeof ins);
	care_ui_fmt(when, sizeof when, r->created);
	printf("%.12s  %.12s  %-10s %-16s %-16s %-18s %s\n", id, ses, r->state, amt, ok, ins, when);
	if (r->denial_reason && r->denial_reason[0])
		printf("              denied: %s\n", r->denial_reason);
	return 0;
}

int cli_care_show_claims(struct cli *c, int argc, char **argv)
{
	uint8_t me[32];
	struct cc_find f = {c, json_array(), 0};
	if (!f.list)
		return cli_fail(c, "out of memory");
	if (cc_viewer(c, me) != MV_OK ||
	    query_care_claims(c->h->st, me, cc_claim_row, &f, &c->err) != MV_OK) {
		json_decref(f.list);
		return cli_core(c);
	}
	if (c->o.json)
		return cli_json_print(f.list);
	json_decref(f.list);
	if (f.n == 0)
		printf("no insurance claims\n");
	return CLI_EXIT_OK;
}

/* ---- notes ------------------------------------------------------------------------ */

/* The note's text if `as` can open it; else why not, in out. */
static bool cc_note_text(struct cli *c, const struct qc_note *n, char *out, size_t outlen)
{
	struct mv_buf plain = {0};
	struct mv_err e;
	if (!n->has_key) {
		snprintf(out, outlen, "(sealed to %s: not readable by you)",
			 n->shared ? "the therapist and the patient" : "the therapist");
		return false;
	}
	int rc = home_care_open(c->h, c->o.as, n->blob, n->key, &plain, &e);
	if (rc != MV_OK) {
		snprintf(out, outlen, "(cannot open: %s)", e.msg);
		return false;
	}
	snprintf(out, outlen, "%.*s", (int)plain.len, (const char *)plain.data);
	memset(plain.data, 0, plain.len);
	mv_buf_free(&plain);
	return true;
}

static int cc_note_row(void *ud, const struct qc_note *n)
{
	struct cc_find *f = ud;
	char text[BLOB_MAX + 1], when[48];
	bool ok = cc_note_text(f->c, n, text, sizeof text);
	f->n++;
	if (f->c->o.json) {
		json_t *o = json_object();
		cli_json_id(o, "id", n->id);
		cli_json_id(o, "blob", n->blob);
		json_object_set_new(o, "shared", json_boolean(n->shared));
		cli_json_time(o, "time", n->time);
		json_object_set_new(o, "readable", json_boolean(ok));
		json_object_set_new(o, ok ? "text" : "why", json_string(text));
		return json_array_append_new(f->list, o) != 0;
	}
	care_ui_fmt(when, sizeof when, n->time);
	printf("%s%s  %s\n%s\n", f->n > 1 ? "\n" : "", when, n->shared ? "shared summary" :
	       "private note", text);
	return 0;
}

int cli_care_show_notes(struct cli *c, int argc, char **argv)
{
	uint8_t id[32], me[32];
	struct cc_find f = {c, json_array(), 0};
	if (!f.list)
		return cli_fail(c, "out of memory");
	if (cc_session_id(c, argv[0], id) != MV_OK || cc_viewer(c, me) != MV_OK ||
	    query_care_notes(c->h->st, id, me, cc_note_row, &f, &c->err) != MV_OK) {
		json_decref(f.list);
		return cli_core(c);
	}
	if (c->o.json)
		return cli_json_print(f.list);
	json_decref(f.list);
	if (f.n == 0)
		printf("no notes on this session\n");
	return CLI_EXIT_OK;
}

int cli_care_note(struct cli *c, int argc, char **argv)
{
	uint8_t id[32];
	struct submit_result res;
	const char *text = cli_opt(c, "--text");
	if (strcmp(argv[0], "add") != 0)
		return cli_fail(c, "usage: mentalverse note add SESSION --text TEXT [--shared]");
	if (!text || !text[0])
		return cli_fail(c, "--text TEXT is required (the note, encrypted before signing)");
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	if (cc_session_id(c, argv[1], id) != MV_OK)
		return cli_core(c);
	memset(&res, 0, sizeof res);
	if (home_care_note_add(c->h, c->o.as, id, text, cli_opt(c, "--shared") != NULL, &res,
			       &c->err) != MV_OK)
		return cli_core(c);
	return cc_outcome(c, &res, NULL);
}

/* ---- book ------------------------------------------------------------------------ */

int cli_care_book(struct cli *c, int argc, char **argv)
{
	uint8_t id[32];
	int64_t start;
	char why[256], f_service[80], f_start[40], f_pay[40];
	const char *pay = cli_opt(c, "--payment");
	struct submit_result res;
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	if (cc_service_id(c, argv[0], id) != MV_OK)
		return cli_core(c);
	if (!care_ui_parse(argv[1], &start, why, sizeof why))
		return cli_fail(c, "START: %s", why);
	char hex[65];
	cli_hex32(hex, id);
	snprintf(f_service, sizeof f_service, "service=%s", hex);
	snprintf(f_start, sizeof f_start, "start=%" PRId64, start);
	snprintf(f_pay, sizeof f_pay, "payment=%s", pay ? pay : "token");
	char *fields[3] = {f_service, f_start, f_pay};
	memset(&res, 0, sizeof res);
	if (home_submit_fields(c->h, c->o.as, "session.book", 3, fields, &res, &c->err) != MV_OK)
		return cli_core(c);
	if (res.outcome != 1)
		return cc_outcome(c, &res, NULL);
	struct qc_session r;
	struct mv_err e;
	const char *state = query_care_session(c->h->st, res.id, NULL, mv_now_ms(), &r, &e) == MV_OK
				    ? care_state_name(r.s.state) : "applied";
	cli_hex32(hex, res.id);
	if (c->o.json)
		return cli_json_print(json_pack("{s:s, s:s, s:s, s:I}", "id", hex, "outcome", "applied",
					 "state", state, "start", (json_int_t)start));
	char when[48], zone[16];
	care_ui_fmt(when, sizeof when, start);
	care_ui_zone(zone, sizeof zone, start);
	printf("%s %s\n", hex, state);
	fprintf(stderr, "booked %s %s%s\n", when, zone, strcmp(state, "requested") == 0
		? ": waiting for the therapist to accept" : "");
	return CLI_EXIT_OK;
}

/* ---- export-ics --------------------------------------------------------------------- */

static void cc_ics_label(void *ud, const uint8_t account[32], char *out, size_t outlen)
{
	home_account_label(ud, account, out, outlen);
}

static size_t cc_count(const struct mv_buf *b, const char *needle)
{
	size_t n = 0, k = strlen(needle);
	for (size_t i = 0; i + k <= b->len; i++)
		if (memcmp(b->data + i, needle, k) == 0)
			n++;
	return n;
}

int cli_care_export_ics(struct cli *c, int argc, char **argv)
{
	uint8_t me[32];
	struct mv_buf b = {NULL, 0, 0};
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	if (cc_viewer(c, me) != MV_OK || ics_write(c->h->st, me, cc_ics_label, c->h, &b,
						   &c->err) != MV_OK ||
	    mv_write_file_atomic(argv[0], b.data, b.len, 0644, &c->err) != MV_OK) {
		mv_buf_free(&b);
		return cli_core(c);
	}
	size_t events = cc_count(&b, "BEGIN:VEVENT");
	size_t bytes = b.len;
	mv_buf_free(&b);
	if (c->o.json)
		return cli_json_print(json_pack("{s:s, s:I, s:I}", "file", argv[0], "events",
					 (json_int_t)events, "bytes", (json_int_t)bytes));
	printf("wrote %zu session%s to %s\n", events, events == 1 ? "" : "s", argv[0]);
	return CLI_EXIT_OK;
}

/* ---- rate, dispute, claim: ops carrying encrypted text ------------------------------ */

int cli_care_rate(struct cli *c, int argc, char **argv)
{
	uint8_t id[32];
	struct submit_result res;
	char *end;
	long stars = strtol(argv[1], &end, 10);
	if (*end || stars < 1 || stars > 5)
		return cli_fail(c, "STARS must be 1..5, not '%s'", argv[1]);
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	if (cc_session_id(c, argv[0], id) != MV_OK)
		return cli_core(c);
	memset(&res, 0, sizeof res);
	if (home_care_rate(c->h, c->o.as, id, (int)stars, cli_opt(c, "--comment"), &res, &c->err) != MV_OK)
		return cli_core(c);
	return cc_outcome(c, &res, NULL);
}

int cli_care_dispute(struct cli *c, int argc, char **argv)
{
	uint8_t id[32];
	struct submit_result res;
	const char *reason = cli_opt(c, "--reason");
	if (!reason || !reason[0])
		return cli_fail(c, "--reason TEXT is required (encrypted to both parties)");
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	if (cc_session_id(c, argv[0], id) != MV_OK)
		return cli_core(c);
	memset(&res, 0, sizeof res);
	if (home_care_dispute(c->h, c->o.as, id, reason, &res, &c->err) != MV_OK)
		return cli_core(c);
	return cc_outcome(c, &res, NULL);
}

int cli_care_claim(struct cli *c, int argc, char **argv)
{
	uint8_t id[32], insurer[32];
	struct submit_result res;
	const char *ins = cli_opt(c, "--insurer"), *policy = cli_opt(c, "--policy");
	if (!ins || !policy || !policy[0])
		return cli_fail(c, "usage: mentalverse insurance-claim SESSION --insurer ACCOUNT --policy TEXT");
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	if (cc_session_id(c, argv[0], id) != MV_OK ||
	    home_resolve_account(c->h, ins, insurer, &c->err) != MV_OK)
		return cli_core(c);
	memset(&res, 0, sizeof res);
	if (home_care_claim_submit(c->h, c->o.as, id, insurer, policy, &res, &c->err) != MV_OK)
		return cli_core(c);
	return cc_outcome(c, &res, NULL);
}
