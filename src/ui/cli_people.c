/* cli_people.c - the people commands of the CLI (see cli_people.h):
 * joining the network, sharing and revoking the private profile, applying
 * for verification and logging continuing education, and the read-only
 * views of profiles, therapists, the council's review queue, guardians,
 * pending recoveries, the audit log and anomaly flags.
 *
 * Writes go through home_people.h (which encrypts private data and builds
 * the ops) or home_submit_fields; reads through query_people.h. Nothing
 * here touches SQL or crypto. Private text is printed only to the identity
 * it was shared with, and never goes into an op. */
#include "ui/cli_people.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/home_people.h"
#include "core/query.h"
#include "core/query_people.h"

const struct cli_opt cli_people_register_opts[] = {
	{"--role", "ROLE", "patient or therapist (the only roles one may take oneself)"},
	{"--name", "NAME", "public name; patients: a pseudonym unrelated to your real name"},
	{"--jurisdiction", "J", "where you are: US, US-CA, DE, ... (ISO 3166)"},
	{"--private-text", "T", "private profile (real name, contact), encrypted to you"},
	{"--private-file", "F", "the same, read from file F"},
	{"--emergency-text", "T", "emergency contact, encrypted to you (share it with your therapist)"},
	{"--languages", "LIST", "languages you speak, e.g. en,es"},
	{"--bio", "TEXT", "public professional text (therapists only)"},
	{NULL, NULL, NULL},
};
const struct cli_opt cli_people_share_opts[] = {
	{"--what", "WHAT", "profile (default) or emergency"},
	{NULL, NULL, NULL},
};
const struct cli_opt cli_people_verify_opts[] = {
	{"--license", "N", "submit: license number (public)"},
	{"--board", "B", "submit: licensing board (public)"},
	{"--jurisdiction", "J", "submit: where the license is valid, e.g. US-CA"},
	{"--expires", "DATE", "submit: license expiry, e.g. 2027-12-31 (UTC)"},
	{"--specialties", "LIST", "submit: e.g. anxiety,trauma (public)"},
	{"--proof-file", "F", "submit: scan of the license, encrypted to the council"},
	{"--hours", "H", "ce: hours of continuing education (1..200)"},
	{"--course", "TEXT", "ce: course title (public)"},
	{NULL, NULL, NULL},
};

#define PP_TEXT_MAX (48 * 1024)

/* ---- helpers ------------------------------------------------------------- */

/* The account ref names: yourself when ref is NULL; for a local identity
 * the account it acts as (after a recovery, the account moved to its key;
 * a retired key names the account it was); else an account id or name. */
static int pp_account(struct cli *c, const char *ref, uint8_t acct[32])
{
	uint8_t pk[32];
	struct mv_err ignore;
	if (!ref) {
		char name[KS_NAME_MAX + 1];
		if (home_people_account(c->h, c->o.as, acct, &ignore) == MV_OK)
			return MV_OK;
		/* a retired key still names the account it was */
		if (c->o.as)
			snprintf(name, sizeof name, "%s", c->o.as);
		else if (home_default_identity(c->h, name, sizeof name, &c->err) != MV_OK)
			return MV_ERR;
		return keystore_public(c->h->keydir, name, acct, &c->err);
	}
	if (keystore_public(c->h->keydir, ref, pk, &ignore) == MV_OK) {
		if (home_people_account(c->h, ref, acct, &ignore) != MV_OK)
			memcpy(acct, pk, 32);
		return MV_OK;
	}
	return home_resolve_account(c->h, ref, acct, &c->err);
}

static void pp_label(struct cli *c, const uint8_t id[32], char out[80])
{
	home_account_label(c->h, id, out, 80);
}

static void pp_time(char out[32], int64_t ms)
{
	if (ms <= 0)
		snprintf(out, 32, "-");
	else
		mv_time_format_utc(out, 32, ms);
}

static json_t *pp_time_json(int64_t ms)
{
	char t[32];
	if (ms <= 0)
		return json_null();
	mv_time_format_utc(t, sizeof t, ms);
	return json_string(t);
}

static json_t *pp_id_json(const uint8_t id[32])
{
	char hex[65];
	cli_hex32(hex, id);
	return json_string(hex);
}

/* A comma-separated list as a JSON array of strings. */
static json_t *pp_csv_json(const char *csv)
{
	json_t *a = json_array();
	while (a && csv && *csv) {
		const char *e = strchr(csv, ',');
		size_t n = e ? (size_t)(e - csv) : strlen(csv);
		if (n)
			json_array_append_new(a, json_stringn(csv, n));
		csv = e ? e + 1 : NULL;
	}
	return a;
}

static const char *pp_outcome(int outcome)
{
	return outcome == 1 ? "applied" : outcome == 0 ? "rejected" : "pending";
}

/* Report a submitted op: "ID applied: TEXT", "ID rejected: REASON" (exit
 * 3), or the core's error. text is what happened, for people. */
static int pp_result(struct cli *c, int rc, const char *kind, const struct submit_result *res,
		     const char *text)
{
	char hex[65];
	if (rc != MV_OK)
		return cli_core(c);
	cli_hex32(hex, res->id);
	int exit = res->outcome == 0 ? CLI_EXIT_REJECTED : CLI_EXIT_OK;
	if (c->o.json) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "id", hex, "kind", kind, "outcome",
				      pp_outcome(res->outcome));
		if (res->outcome == 0)
			json_object_set_new(j, "reason", json_string(res->reason));
		else if (text)
			json_object_set_new(j, "message", json_string(text));
		return cli_json_print(j) ? CLI_EXIT_ERR : exit;
	}
	if (res->outcome == 0)
		printf("%s rejected: %s\n", hex, res->reason);
	else
		printf("%s %s%s%s\n", hex, pp_outcome(res->outcome), text ? ": " : "", text ? text : "");
	return exit;
}

/* Text of --NAME-text or --NAME-file (malloc'd into *out, NULL if neither). */
static int pp_text_or_file(struct cli *c, const char *text_opt, const char *file_opt, char **out)
{
	const char *text = cli_opt(c, text_opt), *file = file_opt ? cli_opt(c, file_opt) : NULL;
	uint8_t *data = NULL;
	size_t len = 0;
	*out = NULL;
	if (text && file)
		return cli_fail(c, "give %s or %s, not both", text_opt, file_opt);
	if (text) {
		if (!(*out = strdup(text)))
			return cli_fail(c, "out of memory");
		return CLI_EXIT_OK;
	}
	if (!file)
		return CLI_EXIT_OK;
	if (mv_read_file(file, PP_TEXT_MAX, &data, &len, &c->err) != MV_OK)
		return cli_fail(c, "%s: %s", file, c->err.msg);
	if (strlen((char *)data) != len) {
		free(data);
		return cli_fail(c, "%s: a private profile is text (the file holds a NUL byte)", file);
	}
	*out = (char *)data;
	return CLI_EXIT_OK;
}

static void pp_wipe_free(char *s)
{
	if (s) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

/* ---- register, share, revoke ---------------------------------------------- */

static int pp_register_check(struct cli *c, const char *role)
{
	if (!role || !cli_opt(c, "--name") || !cli_opt(c, "--jurisdiction"))
		return cli_fail(c, "register needs --role, --name and --jurisdiction (see mentalverse "
			       "register --help)");
	if (strcmp(role, "patient") != 0 && strcmp(role, "therapist") != 0)
		return cli_fail(c, "--role must be patient or therapist: council, insurer, regulator "
			       "and bot roles are given only by the council, never taken");
	return CLI_EXIT_OK;
}

int cli_people_register(struct cli *c, int argc, char **argv)
{
	struct home_register_args a;
	struct submit_result res;
	char *priv = NULL, text[256];
	const char *role = cli_opt(c, "--role");
	int rc = pp_register_check(c, role);
	if (rc == CLI_EXIT_OK)
		rc = pp_text_or_file(c, "--private-text", "--private-file", &priv);
	if (rc == CLI_EXIT_OK)
		rc = cli_need_network(c);
	if (rc != CLI_EXIT_OK) {
		pp_wipe_free(priv);
		return rc;
	}
	memset(&a, 0, sizeof a);
	a.role = role;
	a.display_name = cli_opt(c, "--name");
	a.jurisdiction = cli_opt(c, "--jurisdiction");
	a.bio = cli_opt(c, "--bio");
	a.languages = cli_opt(c, "--languages");
	a.private_profile = priv;
	a.emergency_contact = cli_opt(c, "--emergency-text");
	memset(&res, 0, sizeof res);
	rc = home_people_register(c->h, c->o.as, &a, &res, &c->err);
	pp_wipe_free(priv);
	snprintf(text, sizeof text, "registered as %s \"%s\" (%s)%s", role, a.display_name,
		 a.jurisdiction, a.private_profile ? "; private profile encrypted to you alone" : "");
	return pp_result(c, rc, "user.register", &res, text);
}

static int pp_what(struct cli *c, const char **what)
{
	*what = cli_opt(c, "--what");
	if (!*what)
		*what = "profile";
	if (strcmp(*what, "profile") != 0 && strcmp(*what, "emergency") != 0)
		return cli_fail(c, "--what must be profile or emergency");
	return CLI_EXIT_OK;
}

int cli_people_share(struct cli *c, int argc, char **argv)
{
	uint8_t to[32];
	struct submit_result res;
	char label[80], text[256];
	const char *what;
	int rc = pp_what(c, &what);
	if (rc == CLI_EXIT_OK)
		rc = cli_need_network(c);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (pp_account(c, argv[0], to) != MV_OK)
		return cli_core(c);
	pp_label(c, to, label);
	memset(&res, 0, sizeof res);
	rc = home_people_share(c->h, c->o.as, to, what, &res, &c->err);
	snprintf(text, sizeof text, "%s can now read your %s (recorded in the audit log)", label,
		 strcmp(what, "profile") == 0 ? "private profile" : "emergency contact");
	return pp_result(c, rc, "profile.share", &res, text);
}

int cli_people_revoke(struct cli *c, int argc, char **argv)
{
	uint8_t to[32];
	struct submit_result res;
	char label[80], text[320], hex[65], f_to[80], f_what[32];
	char *fields[2] = {f_to, f_what};
	const char *what;
	int rc = pp_what(c, &what);
	if (rc == CLI_EXIT_OK)
		rc = cli_need_network(c);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (pp_account(c, argv[0], to) != MV_OK)
		return cli_core(c);
	pp_label(c, to, label);
	cli_hex32(hex, to);
	snprintf(f_to, sizeof f_to, "to=%s", hex);
	snprintf(f_what, sizeof f_what, "what=%s", what);
	memset(&res, 0, sizeof res);
	rc = home_submit_fields(c->h, c->o.as, "profile.revoke", 2, fields, &res, &c->err);
	snprintf(text, sizeof text, "no node hands %s the key to your %s any more. What was "
		 "already read cannot be unread.", label, what);
	return pp_result(c, rc, "profile.revoke", &res, text);
}

/* ---- verify submit / ce ------------------------------------------------------ */

static int pp_verify_submit(struct cli *c)
{
	struct home_verify_args a;
	struct submit_result res;
	uint8_t *proof = NULL;
	size_t len = 0;
	const char *file = cli_opt(c, "--proof-file"), *exp = cli_opt(c, "--expires");
	memset(&a, 0, sizeof a);
	a.license_no = cli_opt(c, "--license");
	a.board = cli_opt(c, "--board");
	a.jurisdiction = cli_opt(c, "--jurisdiction");
	a.specialties = cli_opt(c, "--specialties");
	if (!a.license_no || !a.board || !a.jurisdiction || !exp || !file)
		return cli_fail(c, "verify submit needs --license, --board, --jurisdiction, --expires "
			       "and --proof-file (see mentalverse verify --help)");
	if (mv_time_parse(exp, &a.expires, &c->err) != MV_OK)
		return cli_fail(c, "--expires: %s", c->err.msg);
	int rc = cli_need_network(c);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (mv_read_file(file, PP_TEXT_MAX, &proof, &len, &c->err) != MV_OK)
		return cli_fail(c, "%s: %s", file, c->err.msg);
	a.proof = proof;
	a.proof_len = len;
	memset(&res, 0, sizeof res);
	rc = home_people_verify_submit(c->h, c->o.as, &a, &res, &c->err);
	free(proof);
	return pp_result(c, rc, "verify.submit", &res,
			 "application sent; the proof is encrypted to the council members only");
}

static int pp_verify_ce(struct cli *c)
{
	struct submit_result res;
	char f_hours[48], f_course[200];
	char *fields[2] = {f_hours, f_course};
	const char *hours = cli_opt(c, "--hours"), *course = cli_opt(c, "--course");
	if (!hours || !course)
		return cli_fail(c, "verify ce needs --hours and --course");
	int rc = cli_need_network(c);
	if (rc != CLI_EXIT_OK)
		return rc;
	snprintf(f_hours, sizeof f_hours, "hours=%s", hours);
	snprintf(f_course, sizeof f_course, "course=%s", course);
	memset(&res, 0, sizeof res);
	rc = home_submit_fields(c->h, c->o.as, "verify.ce", 2, fields, &res, &c->err);
	return pp_result(c, rc, "verify.ce", &res, "continuing education logged");
}

int cli_people_verify(struct cli *c, int argc, char **argv)
{
	if (strcmp(argv[0], "submit") == 0)
		return pp_verify_submit(c);
	if (strcmp(argv[0], "ce") == 0)
		return pp_verify_ce(c);
	return cli_fail(c, "usage: mentalverse verify " CLI_PEOPLE_VERIFY_USAGE);
}

/* ---- show profile ------------------------------------------------------------ */

static const char *pp_contact_name(enum people_contact w)
{
	return w == CONTACT_ANYONE ? "anyone" : w == CONTACT_CARE_TEAM ? "care_team" : "nobody";
}

/* The private blob `what` of owner as the viewer can read it: text (malloc'd)
 * or a note saying why not. */
static char *pp_private(struct cli *c, const uint8_t owner[32], bool mine, bool on_record,
			const char *what, const char **note)
{
	struct mv_buf plain;
	struct mv_err err;
	*note = NULL;
	if (!on_record) {
		*note = "none on record";
		return NULL;
	}
	mv_err_clear(&err);
	int rc = home_people_open(c->h, c->o.as, owner, what, &plain, &err);
	if (rc == MV_ENOTFOUND) {
		*note = mine ? "not on this node (its blob has not arrived)" : "on record, not shared with you";
		return NULL;
	}
	if (rc != MV_OK) {
		*note = mine ? "sealed to a previous key of yours (after a recovery): set it again"
			     : "cannot be opened here";
		return NULL;
	}
	char *s = malloc(plain.len + 1);
	if (s) {
		memcpy(s, plain.data, plain.len);
		s[plain.len] = '\0';
	}
	memset(plain.data, 0, plain.len);
	mv_buf_free(&plain);
	if (!s)
		*note = "out of memory";
	return s;
}

struct pp_shares {
	struct cli *c;
	json_t *list;
};

static int pp_share_row(void *ud, const struct q_share *s)
{
	struct pp_shares *p = ud;
	char label[80];
	pp_label(p->c, s->reader, label);
	json_t *o = json_pack("{s:o, s:s, s:s, s:o}", "reader", pp_id_json(s->reader), "label", label,
			      "what", s->what, "since", pp_time_json(s->time));
	json_array_append_new(p->list, o);
	return 0;
}

static void pp_print_private(const char *title, bool mine, const char *text, const char *note)
{
	printf("%-14s %s\n", title, !text ? note : mine ? "(yours, decrypted here; never sent in the clear)"
							 : "(shared with you, decrypted here)");
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		printf("  | %.*s\n", n, p);
		p = nl ? nl + 1 : NULL;
	}
}

static void pp_profile_text(struct cli *c, const struct q_user *u, const char *prof,
			    const char *pnote, const char *emer, const char *enote, json_t *shares)
{
	char label[80], hex[65], since[32];
	size_t i;
	json_t *row;
	pp_label(c, u->account, label);
	cli_hex32(hex, u->account);
	pp_time(since, u->created);
	printf("%-14s %s (%s)\n%-14s %s\n%-14s %s\n%-14s %s\n", "account", label, hex, "role",
	       u->role_name, "name", u->display_name, "jurisdiction", u->jurisdiction);
	if (u->languages[0])
		printf("%-14s %s\n", "languages", u->languages);
	if (u->bio[0])
		printf("%-14s %s\n", "bio", u->bio);
	printf("%-14s %s\n", "since", since);
	printf("%-14s %s, contact: %s, mood to therapist: %s, attendance to insurer: %s\n",
	       "privacy", u->privacy.listed ? "listed" : "unlisted",
	       pp_contact_name(u->privacy.who_may_contact),
	       u->privacy.share_mood_with_therapist ? "yes" : "no",
	       u->privacy.share_with_insurer ? "yes" : "no");
	pp_print_private("private", shares != NULL, prof, pnote);
	pp_print_private("emergency", shares != NULL, emer, enote);
	if (!shares)
		return;
	printf("%-14s %s\n", "shared with", json_array_size(shares) ? "" : "nobody");
	json_array_foreach(shares, i, row)
		printf("  %-20s %-10s since %s\n", json_string_value(json_object_get(row, "label")),
		       json_string_value(json_object_get(row, "what")),
		       json_string_value(json_object_get(row, "since")));
}

static json_t *pp_private_json(bool on_record, const char *text, const char *note)
{
	json_t *o = json_pack("{s:b}", "on_record", on_record);
	if (text)
		json_object_set_new(o, "text", json_string(text));
	else if (on_record)
		json_object_set_new(o, "note", json_string(note));
	return o;
}

static json_t *pp_user_json(struct cli *c, const struct q_user *u)
{
	char label[80];
	pp_label(c, u->account, label);
	json_t *o = json_pack("{s:o, s:s, s:o, s:s, s:s, s:s, s:o, s:s, s:b, s:o, s:o}",
			      "account", pp_id_json(u->account), "label", label, "key",
			      pp_id_json(u->key), "role", u->role_name, "display_name",
			      u->display_name, "jurisdiction", u->jurisdiction, "languages",
			      pp_csv_json(u->languages), "bio", u->bio, "appointed", u->appointed,
			      "created", pp_time_json(u->created), "updated", pp_time_json(u->updated));
	json_object_set_new(o, "privacy",
			    json_pack("{s:b, s:s, s:b, s:b}", "listed", u->privacy.listed,
				      "who_may_contact", pp_contact_name(u->privacy.who_may_contact),
				      "share_mood_with_therapist", u->privacy.share_mood_with_therapist,
				      "share_with_insurer", u->privacy.share_with_insurer));
	return o;
}

int cli_people_show_profile(struct cli *c, int argc, char **argv)
{
	uint8_t me[32], acct[32];
	struct q_user u;
	const char *pnote, *enote;
	bool have_me = pp_account(c, NULL, me) == MV_OK;
	if (argc == 0 && !have_me)
		return cli_core(c);
	if (pp_account(c, argc ? argv[0] : NULL, acct) != MV_OK)
		return cli_core(c);
	int rc = query_user(c->h->st, acct, &u, &c->err);
	if (rc == MV_ENOTFOUND)
		return cli_fail(c, "%s%s not registered (see mentalverse register --help)",
			       argc ? argv[0] : "you are", argc ? " is" : "");
	if (rc != MV_OK)
		return cli_core(c);
	bool mine = have_me && memcmp(me, acct, 32) == 0;
	char *prof = pp_private(c, acct, mine, u.has_profile, "profile", &pnote);
	char *emer = pp_private(c, acct, mine, u.has_emergency, "emergency", &enote);
	struct pp_shares sh = {c, mine ? json_array() : NULL};
	if (mine)
		query_shares(c->h->st, acct, false, pp_share_row, &sh, NULL);
	rc = CLI_EXIT_OK;
	if (c->o.json) {
		json_t *o = pp_user_json(c, &u);
		json_object_set_new(o, "private_profile", pp_private_json(u.has_profile, prof, pnote));
		json_object_set_new(o, "emergency_contact", pp_private_json(u.has_emergency, emer, enote));
		if (sh.list)
			json_object_set(o, "shared_with", sh.list);
		rc = cli_json_print(o);
	} else {
		pp_profile_text(c, &u, prof, pnote, emer, enote, sh.list);
	}
	json_decref(sh.list);
	pp_wipe_free(prof);
	pp_wipe_free(emer);
	return rc;
}

/* ---- therapists and verification ------------------------------------------- */

static json_t *pp_therapist_json(struct cli *c, const struct q_therapist *t)
{
	json_t *o = pp_user_json(c, &t->user);
	json_object_set_new(o, "state", json_string(t->state));
	json_object_set_new(o, "verified", json_boolean(t->verified));
	json_object_set_new(o, "pending", json_boolean(t->pending));
	json_object_set_new(o, "license", json_pack("{s:s, s:s, s:s, s:o, s:o}", "number",
		t->license_no, "board", t->board, "jurisdiction", t->license_jurisdiction,
		"specialties", pp_csv_json(t->specialties), "expires", pp_time_json(t->expires)));
	json_object_set_new(o, "verified_at", pp_time_json(t->verified_at));
	json_object_set_new(o, "reason", json_string(t->reason));
	json_object_set_new(o, "ce", json_pack("{s:I, s:I, s:b, s:o}", "hours",
		(json_int_t)t->ce.hours, "required", (json_int_t)t->ce.required, "due", t->ce.due,
		"grace_until", pp_time_json(t->ce.grace_until)));
	json_object_set_new(o, "can_publish", json_boolean(t->can_publish));
	if (!t->can_publish)
		json_object_set_new(o, "why_not", json_string(t->why));
	return o;
}

/* "12 of 20 h this year", "CE due: ...", or "-" */
static void pp_ce_text(char *out, size_t n, const struct q_therapist *t)
{
	if (t->ce.required == 0)
		snprintf(out, n, "%lld h (none required)", (long long)t->ce.hours);
	else
		snprintf(out, n, "%s%lld of %lld h in 12 months", t->ce.due ? "CE DUE: " : "",
			 (long long)t->ce.hours, (long long)t->ce.required);
}

struct pp_list {
	struct cli *c;
	json_t *list;
};

static int pp_therapist_row(void *ud, const struct q_therapist *t)
{
	struct pp_list *p = ud;
	json_array_append_new(p->list, pp_therapist_json(p->c, t));
	return 0;
}

int cli_people_show_therapists(struct cli *c, int argc, char **argv)
{
	struct pp_list p = {c, json_array()};
	size_t i;
	json_t *row;
	if (query_therapists(c->h->st, mv_now_ms(), false, pp_therapist_row, &p, &c->err) < 0) {
		json_decref(p.list);
		return cli_core(c);
	}
	if (c->o.json)
		return cli_json_print(p.list);
	printf("%-18s %-20s %-10s %-14s %-8s %s\n", "IDENTITY", "NAME", "STATE", "LICENSE", "WHERE",
	       "EXPIRES");
	json_array_foreach(p.list, i, row) {
		json_t *lic = json_object_get(row, "license");
		const char *exp = json_string_value(json_object_get(lic, "expires"));
		printf("%-18s %-20s %-10s %-14s %-8s %.10s\n",
		       json_string_value(json_object_get(row, "label")),
		       json_string_value(json_object_get(row, "display_name")),
		       json_string_value(json_object_get(row, "state")),
		       json_string_value(json_object_get(lic, "number")),
		       json_string_value(json_object_get(lic, "jurisdiction")), exp ? exp : "-");
	}
	if (json_array_size(p.list) == 0)
		printf("no registered therapists\n");
	json_decref(p.list);
	return CLI_EXIT_OK;
}

static int pp_event_row(void *ud, const struct q_verify_event *e)
{
	struct pp_list *p = ud;
	json_array_append_new(p->list, json_pack("{s:o, s:s, s:s, s:o}", "time", pp_time_json(e->time),
						 "event", e->event, "reason", e->reason, "op",
						 pp_id_json(e->op)));
	return 0;
}

static int pp_ce_row(void *ud, const struct q_ce *e)
{
	struct pp_list *p = ud;
	json_array_append_new(p->list, json_pack("{s:o, s:I, s:s, s:b}", "time", pp_time_json(e->time),
						 "hours", (json_int_t)e->hours, "course", e->course,
						 "proof", e->has_proof));
	return 0;
}

static void pp_verification_text(struct cli *c, const struct q_therapist *t, json_t *hist,
				 json_t *ce)
{
	char label[80], exp[32], at[32], cet[96];
	size_t i;
	json_t *row;
	pp_label(c, t->user.account, label);
	pp_time(exp, t->expires);
	pp_time(at, t->verified_at);
	pp_ce_text(cet, sizeof cet, t);
	printf("%-14s %s (%s)\n%-14s %s%s\n", "therapist", label, t->user.display_name, "status",
	       t->state, t->pending ? " (an application awaits the council)" : "");
	if (t->license_no[0])
		printf("%-14s %s, %s (%s)\n", "license", t->license_no, t->board,
		       t->license_jurisdiction);
	if (t->specialties[0])
		printf("%-14s %s\n", "specialties", t->specialties);
	printf("%-14s %s\n%-14s %s\n", "expires", exp, "verified at", at);
	if (t->reason[0])
		printf("%-14s %s\n", "reason", t->reason);
	printf("%-14s %s\n%-14s %s%s%s\n", "CE", cet, "may publish", t->can_publish ? "yes" : "no",
	       t->can_publish ? "" : ": ", t->can_publish ? "" : t->why);
	printf("history:\n");
	json_array_foreach(hist, i, row)
		printf("  %s %-10s %s\n", json_string_value(json_object_get(row, "time")),
		       json_string_value(json_object_get(row, "event")),
		       json_string_value(json_object_get(row, "reason")));
	printf("continuing education:%s\n", json_array_size(ce) ? "" : " none logged");
	json_array_foreach(ce, i, row)
		printf("  %s %3lld h %s\n", json_string_value(json_object_get(row, "time")),
		       (long long)json_integer_value(json_object_get(row, "hours")),
		       json_string_value(json_object_get(row, "course")));
}

int cli_people_show_verification(struct cli *c, int argc, char **argv)
{
	uint8_t acct[32];
	struct q_therapist t;
	if (pp_account(c, argc ? argv[0] : NULL, acct) != MV_OK)
		return cli_core(c);
	int rc = query_therapist(c->h->st, acct, mv_now_ms(), &t, &c->err);
	if (rc == MV_ENOTFOUND)
		return cli_fail(c, "%s%s not a registered therapist", argc ? argv[0] : "you are",
			       argc ? " is" : "");
	if (rc != MV_OK)
		return cli_core(c);
	struct pp_list hist = {c, json_array()}, ce = {c, json_array()};
	query_verify_history(c->h->st, acct, pp_event_row, &hist, NULL);
	query_ce_log(c->h->st, acct, pp_ce_row, &ce, NULL);
	if (c->o.json) {
		json_t *o = pp_therapist_json(c, &t);
		json_object_set_new(o, "history", hist.list);
		json_object_set_new(o, "ce_log", ce.list);
		return cli_json_print(o);
	}
	pp_verification_text(c, &t, hist.list, ce.list);
	json_decref(hist.list);
	json_decref(ce.list);
	return CLI_EXIT_OK;
}

/* ---- review queue ------------------------------------------------------------ */

static int pp_council_cb(void *ud, const uint8_t member[32])
{
	const uint8_t **me = ud;
	if (memcmp(member, *me, 32) != 0)
		return 0;
	*me = NULL; /* found */
	return 1;
}

static bool pp_is_council(struct cli *c, const uint8_t me[32])
{
	const uint8_t *probe = me;
	query_council(c->h->st, pp_council_cb, &probe, NULL);
	return probe == NULL;
}

static int pp_app_row(void *ud, const struct q_application *a)
{
	struct pp_list *p = ud;
	char label[80];
	pp_label(p->c, a->therapist, label);
	json_array_append_new(p->list, json_pack(
		"{s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:I}",
		"therapist", pp_id_json(a->therapist), "label", label, "display_name", a->display_name,
		"license", a->license_no, "board", a->board, "jurisdiction", a->jurisdiction,
		"specialties", pp_csv_json(a->specialties), "expires", pp_time_json(a->expires),
		"submitted", pp_time_json(a->submitted), "op", pp_id_json(a->op),
		"approve", (json_int_t)a->signatures_approve, "reject",
		(json_int_t)a->signatures_reject));
	return 0;
}

static int pp_request_row(void *ud, const struct q_request *r)
{
	struct pp_list *p = ud;
	char label[80];
	char *fields = cli_body_text(p->c->h, r->kind, r->body, r->body_len);
	pp_label(p->c, r->subject, label);
	json_t *o = json_pack("{s:o, s:s, s:o, s:s, s:s, s:o, s:I, s:I, s:b}", "topic",
			      pp_id_json(r->topic), "kind", r->kind, "subject", pp_id_json(r->subject),
			      "label", label, "summary", r->summary, "created", pp_time_json(r->created),
			      "signatures", (json_int_t)r->signatures, "threshold",
			      (json_int_t)r->threshold, "signed_by_me", r->signed_by_me);
	json_object_set_new(o, "fields", cli_body_json(r->kind, r->body, r->body_len));
	json_object_set_new(o, "cosign", json_string(fields ? fields : ""));
	free(fields);
	json_array_append_new(p->list, o);
	return 0;
}

static void pp_queue_text(json_t *apps, json_t *reqs, bool council)
{
	size_t i;
	json_t *r;
	if (!council)
		printf("(you are not on the council: this is what the council sees)\n");
	printf("applications awaiting the council: %zu\n", json_array_size(apps));
	json_array_foreach(apps, i, r)
		printf("  %-18s %s, license %s (%s, %s), expires %.10s; signatures: approve %lld, "
		       "reject %lld\n", json_string_value(json_object_get(r, "label")),
		       json_string_value(json_object_get(r, "display_name")),
		       json_string_value(json_object_get(r, "license")),
		       json_string_value(json_object_get(r, "board")),
		       json_string_value(json_object_get(r, "jurisdiction")),
		       json_string_value(json_object_get(r, "expires")),
		       (long long)json_integer_value(json_object_get(r, "approve")),
		       (long long)json_integer_value(json_object_get(r, "reject")));
	printf("requests awaiting signatures: %zu\n", json_array_size(reqs));
	json_array_foreach(reqs, i, r) {
		printf("  %s about %s: %s (%lld of %lld signatures%s)\n",
		       json_string_value(json_object_get(r, "kind")),
		       json_string_value(json_object_get(r, "label")),
		       json_string_value(json_object_get(r, "summary")),
		       (long long)json_integer_value(json_object_get(r, "signatures")),
		       (long long)json_integer_value(json_object_get(r, "threshold")),
		       json_is_true(json_object_get(r, "signed_by_me")) ? ", you signed" : "");
		if (!json_is_true(json_object_get(r, "signed_by_me")))
			printf("    co-sign: mentalverse op %s %s\n",
			       json_string_value(json_object_get(r, "kind")),
			       json_string_value(json_object_get(r, "cosign")));
	}
}

int cli_people_show_review_queue(struct cli *c, int argc, char **argv)
{
	uint8_t me[32];
	bool have_me = pp_account(c, NULL, me) == MV_OK;
	struct pp_list apps = {c, json_array()}, reqs = {c, json_array()};
	bool council = false;
	if (query_applications(c->h->st, pp_app_row, &apps, &c->err) < 0 ||
	    query_council_queue(c->h->st, have_me ? me : NULL, pp_request_row, &reqs, &c->err) < 0) {
		json_decref(apps.list);
		json_decref(reqs.list);
		return cli_core(c);
	}
	council = have_me && pp_is_council(c, me);
	if (c->o.json)
		return cli_json_print(json_pack("{s:b, s:o, s:o}", "council_member", council, "applications",
					 apps.list, "requests", reqs.list));
	pp_queue_text(apps.list, reqs.list, council);
	json_decref(apps.list);
	json_decref(reqs.list);
	return CLI_EXIT_OK;
}

/* ---- guardians and recoveries -------------------------------------------------- */

static int pp_id_row(void *ud, const uint8_t id[32])
{
	struct pp_list *p = ud;
	char label[80];
	pp_label(p->c, id, label);
	json_array_append_new(p->list, json_pack("{s:o, s:s}", "account", pp_id_json(id), "label", label));
	return 0;
}

int cli_people_show_guardians(struct cli *c, int argc, char **argv)
{
	uint8_t acct[32];
	char label[80];
	size_t i;
	json_t *row;
	if (pp_account(c, argc ? argv[0] : NULL, acct) != MV_OK)
		return cli_core(c);
	struct pp_list g = {c, json_array()}, by = {c, json_array()};
	int64_t threshold = query_recovery_threshold(c->h->st, acct);
	if (query_guardians(c->h->st, acct, pp_id_row, &g, &c->err) < 0 ||
	    query_guarded_by(c->h->st, acct, pp_id_row, &by, &c->err) < 0) {
		json_decref(g.list);
		json_decref(by.list);
		return cli_core(c);
	}
	pp_label(c, acct, label);
	if (c->o.json)
		return cli_json_print(json_pack("{s:o, s:s, s:I, s:o, s:o}", "account", pp_id_json(acct),
					 "label", label, "threshold", (json_int_t)threshold,
					 "guardians", g.list, "guarding", by.list));
	if (json_array_size(g.list) == 0)
		printf("%s has no guardians (set them: mentalverse op recovery.guardians "
		       "guardians=A,B threshold=2)\n", label);
	else
		printf("%s: %lld of %zu guardians must approve a recovery\n", label,
		       (long long)threshold, json_array_size(g.list));
	json_array_foreach(g.list, i, row)
		printf("  guardian   %s\n", json_string_value(json_object_get(row, "label")));
	json_array_foreach(by.list, i, row)
		printf("  you guard  %s\n", json_string_value(json_object_get(row, "label")));
	json_decref(g.list);
	json_decref(by.list);
	return CLI_EXIT_OK;
}

static int pp_recovery_row(void *ud, const struct q_recovery *r)
{
	struct pp_list *p = ud;
	char label[80], key[80];
	pp_label(p->c, r->account, label);
	pp_label(p->c, r->new_key, key);
	json_array_append_new(p->list, json_pack("{s:o, s:s, s:o, s:s, s:I, s:I, s:o, s:o}",
		"account", pp_id_json(r->account), "label", label, "new_key", pp_id_json(r->new_key),
		"new_key_label", key, "approvals", (json_int_t)r->approvals, "threshold",
		(json_int_t)r->threshold, "first", pp_time_json(r->first), "last",
		pp_time_json(r->last)));
	return 0;
}

int cli_people_show_recoveries(struct cli *c, int argc, char **argv)
{
	struct pp_list p = {c, json_array()};
	size_t i;
	json_t *r;
	if (query_recoveries_pending(c->h->st, NULL, pp_recovery_row, &p, &c->err) < 0) {
		json_decref(p.list);
		return cli_core(c);
	}
	if (c->o.json)
		return cli_json_print(p.list);
	printf("pending recoveries: %zu\n", json_array_size(p.list));
	json_array_foreach(p.list, i, r)
		printf("  %s -> new key %s: %lld of %lld approvals (last %s)\n",
		       json_string_value(json_object_get(r, "label")),
		       json_string_value(json_object_get(r, "new_key_label")),
		       (long long)json_integer_value(json_object_get(r, "approvals")),
		       (long long)json_integer_value(json_object_get(r, "threshold")),
		       json_string_value(json_object_get(r, "last")));
	json_decref(p.list);
	return CLI_EXIT_OK;
}

/* ---- audit and anomalies -------------------------------------------------------- */

static int pp_audit_row(void *ud, const struct q_audit *a)
{
	struct pp_list *p = ud;
	char who[80], subj[80];
	pp_label(p->c, a->who, who);
	pp_label(p->c, a->subject, subj);
	json_array_append_new(p->list, json_pack("{s:o, s:o, s:s, s:o, s:s, s:s, s:s, s:o}",
		"time", pp_time_json(a->time), "subject", pp_id_json(a->subject), "subject_label", subj,
		"who", pp_id_json(a->who), "who_label", who, "kind", a->kind, "what", a->what, "op",
		pp_id_json(a->op)));
	return 0;
}

int cli_people_show_audit(struct cli *c, int argc, char **argv)
{
	uint8_t subj[32];
	bool all = cli_opt(c, "--all") != NULL;
	const char *ref = cli_opt(c, "--subject");
	size_t i;
	json_t *r;
	if (all && ref)
		return cli_fail(c, "give --subject or --all, not both");
	if (!all && pp_account(c, ref, subj) != MV_OK)
		return cli_core(c);
	struct pp_list p = {c, json_array()};
	if (query_audit(c->h->st, all ? NULL : subj, 0, 0, pp_audit_row, &p, &c->err) < 0) {
		json_decref(p.list);
		return cli_core(c);
	}
	if (c->o.json)
		return cli_json_print(p.list);
	if (json_array_size(p.list) == 0)
		printf("no audit entries\n");
	json_array_foreach(p.list, i, r) {
		printf("%s %-16s %-18s", json_string_value(json_object_get(r, "time")),
		       json_string_value(json_object_get(r, "who_label")),
		       json_string_value(json_object_get(r, "kind")));
		if (all)
			printf(" about %-16s", json_string_value(json_object_get(r, "subject_label")));
		printf(" %s\n", json_string_value(json_object_get(r, "what")));
	}
	json_decref(p.list);
	return CLI_EXIT_OK;
}

static int pp_anomaly_row(void *ud, const struct q_anomaly *a)
{
	struct pp_list *p = ud;
	char label[80];
	pp_label(p->c, a->account, label);
	json_array_append_new(p->list, json_pack("{s:s, s:o, s:s, s:I, s:o, s:s}", "kind", a->kind,
		"account", pp_id_json(a->account), "label", label, "count", (json_int_t)a->count,
		"time", pp_time_json(a->time), "detail", a->detail));
	return 0;
}

int cli_people_show_anomalies(struct cli *c, int argc, char **argv)
{
	struct pp_list p = {c, json_array()};
	size_t i;
	json_t *r;
	if (query_anomalies(c->h->st, mv_now_ms(), pp_anomaly_row, &p, &c->err) < 0) {
		json_decref(p.list);
		return cli_core(c);
	}
	if (c->o.json)
		return cli_json_print(p.list);
	printf("anomaly flags for the council: %zu\n", json_array_size(p.list));
	json_array_foreach(p.list, i, r)
		printf("  %-20s %-18s %s\n", json_string_value(json_object_get(r, "kind")),
		       json_string_value(json_object_get(r, "label")),
		       json_string_value(json_object_get(r, "detail")));
	json_decref(p.list);
	return CLI_EXIT_OK;
}
