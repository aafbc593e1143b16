/* cli_gov.c - the governance commands and views of the CLI (see
 * cli_gov.h): proposals with their states, countdowns, actions and voters;
 * votes and delegation; peer-support groups with posts opened for the
 * viewer; compliance checks, the compliance report and export-my-data.
 * Text by default, one JSON document with --json. */
#include "ui/cli_gov.h"
#include "core/query_gov.h"
#include "core/home_groups.h"
#include "core/home_compliance.h"
#include "core/home_people.h"
#include "core/home_gov.h"
#include "core/body.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct cli_opt cli_gov_propose_opts[] = {
	{"--description", "TEXT", "public text of the proposal"},
	{"--group", "GROUP", "a group proposal of this group (kind group)"},
	{"--action", "'TYPE FIELD=VALUE ...'", "a typed action; repeat for several, in order"},
	{NULL, NULL, NULL},
};
const struct cli_opt cli_gov_vote_opts[] = {
	{"--reason", "TEXT", "a public reason"},
	{NULL, NULL, NULL},
};
const struct cli_opt cli_gov_group_opts[] = {
	{"--text", "T", "post: the post's text"},
	{"--topic", "T", "create: the group's topic"},
	{"--charter", "T", "create: the group's charter"},
	{"--policy", "P", "create: open, invite (default) or application"},
	{"--invite", "A,B", "create: accounts invited at once"},
	{"--reason", "T", "remove: a public reason"},
	{"--message", "T", "apply: a short message only the group's moderators can read"},
	{"--off", NULL, "moderator: step down (yourself) instead of appointing"},
	{NULL, NULL, NULL},
};
const struct cli_opt cli_gov_compliance_opts[] = {
	{"--jurisdiction", "J", "rule code or jurisdiction"},
	{NULL, NULL, NULL},
};

/* ---- helpers ------------------------------------------------------------- */

/* The viewer's account, or false when there is no identity. */
static bool gv_me(struct cli *c, uint8_t me[32])
{
	struct mv_err e;
	return home_people_account(c->h, c->o.as, me, &e) == MV_OK;
}

static void gv_label(struct cli *c, const uint8_t id[32], char *out, size_t outlen)
{
	home_account_label(c->h, id, out, outlen);
}

static const char *gv_short(char out[13], const uint8_t id[32])
{
	char hex[65];
	cli_hex32(hex, id);
	memcpy(out, hex, 12);
	out[12] = '\0';
	return out;
}

/* "in 3d 4h" / "2h 5m ago" for t relative to now. */
static void gv_rel(char *out, size_t outlen, int64_t t, int64_t now)
{
	int64_t d = t > now ? t - now : now - t, s = d / 1000;
	char b[48];
	if (s >= 86400)
		snprintf(b, sizeof b, "%" PRId64 "d %" PRId64 "h", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(b, sizeof b, "%" PRId64 "h %" PRId64 "m", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(b, sizeof b, "%" PRId64 "m %" PRId64 "s", s / 60, s % 60);
	else
		snprintf(b, sizeof b, "%" PRId64 "s", s);
	snprintf(out, outlen, t > now ? "in %s" : "%s ago", b);
}

/* Voting power as MVT, or as votes in a one-member-one-vote group
 * proposal (set gv_votes_mode first). */
static bool gv_votes_mode;
static const char *gv_pow(char out[48], int64_t v)
{
	if (gv_votes_mode) {
		snprintf(out, 48, "%" PRId64 " vote%s", v, v == 1 ? "" : "s");
		return out;
	}
	cli_fmt_amount(out, 48, v);
	return out;
}

static void gv_pct(char *out, size_t outlen, int64_t bp)
{
	snprintf(out, outlen, "%" PRId64 ".%02" PRId64 "%%", bp / 100, bp % 100);
}

/* A 20-column bar of part/total. */
static void gv_bar(char *out, size_t outlen, int64_t part, int64_t total)
{
	int n = total > 0 ? (int)((part * 20 + total / 2) / total) : 0;
	n = n < 0 ? 0 : n > 20 ? 20 : n;
	size_t o = 0;
	for (int i = 0; i < 20 && o + 4 < outlen; i++)
		o += (size_t)snprintf(out + o, outlen - o, "%s", i < n ? "#" : ".");
}

static int gv_outcome(struct cli *c, const struct submit_result *res, json_t *extra)
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

static int gv_submit(struct cli *c, const char *kind, int n, char **fields)
{
	struct submit_result res;
	memset(&res, 0, sizeof res);
	if (home_submit_fields(c->h, c->o.as, kind, n, fields, &res, &c->err) != MV_OK)
		return cli_core(c);
	return gv_outcome(c, &res, NULL);
}

/* ---- naming groups and proposals ---------------------------------------- */

struct gv_pre {
	const char *s;
	size_t n;
	uint8_t id[32];
	int hits;
};

static void gv_pre_try(struct gv_pre *p, const uint8_t id[32], const char *name)
{
	char hex[65];
	cli_hex32(hex, id);
	bool m = (name && strcmp(name, p->s) == 0) ||
		 (p->n >= 6 && p->n <= 64 && strncasecmp(hex, p->s, p->n) == 0);
	if (!m || (p->hits && memcmp(p->id, id, 32) == 0))
		return;
	memcpy(p->id, id, 32);
	p->hits++;
}

static int gv_group_pre_cb(void *ud, const struct q_group *g)
{
	gv_pre_try(ud, g->id, g->name);
	return 0;
}

static int gv_prop_pre_cb(void *ud, const struct q_proposal *p)
{
	gv_pre_try(ud, p->p.id, NULL);
	return 0;
}

static int gv_pre_done(struct cli *c, struct gv_pre *p, const char *what, uint8_t out[32])
{
	if (p->hits == 1) {
		memcpy(out, p->id, 32);
		return MV_OK;
	}
	if (p->hits > 1)
		return mv_fail(&c->err, MV_EINVAL, "'%s' names more than one %s: give more digits",
			       p->s, what);
	return mv_fail(&c->err, MV_ENOTFOUND, "no %s '%s' (give its %sid or its first 6+ hex "
		       "digits)", what, p->s, strcmp(what, "group") == 0 ? "name, " : "");
}

static int query_group_resolve_cli(struct cli *c, const char *s, uint8_t out[32])
{
	struct gv_pre p = {s, strlen(s), {0}, 0};
	if (query_groups(c->h->st, NULL, false, gv_group_pre_cb, &p, &c->err) != MV_OK)
		return MV_ERR;
	return gv_pre_done(c, &p, "group", out);
}

static int gv_proposal_resolve(struct cli *c, const char *s, uint8_t out[32])
{
	struct gv_pre p = {s, strlen(s), {0}, 0};
	if (p.n == 64 && mv_unhex(out, 32, s) == MV_OK)
		return MV_OK;
	if (query_proposals(c->h->st, mv_now_ms(), NULL, QP_ALL, NULL, gv_prop_pre_cb, &p,
			    &c->err) != MV_OK)
		return MV_ERR;
	return gv_pre_done(c, &p, "proposal", out);
}

/* ---- propose ------------------------------------------------------------- */

/* Every value of the command's option name, in order; returns how many
 * were given (vals holds at most CLI_MAX_REPEAT of them). */
static int gv_opt_all(const struct cli *c, const char *name, const char *const **vals)
{
	for (int k = 0; c->cmd->opts && c->cmd->opts[k].name; k++)
		if (strcmp(c->cmd->opts[k].name, name) == 0) {
			*vals = c->optrep[k];
			return c->optn[k];
		}
	*vals = NULL;
	return 0;
}

int cli_gov_propose(struct cli *c, int argc, char **argv)
{
	(void)argc;
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	const char *const *specs;
	int n = gv_opt_all(c, "--action", &specs);
	int64_t max = param_get(c->h->st, "gov_max_actions", 10);
	if (n > max)
		return cli_fail(c, "too many actions: %d --action given, at most %lld "
			       "(gov_max_actions)", n, (long long)max);
	struct home_proposal p = {.kind = argv[0], .title = argv[1],
				  .description = cli_opt(c, "--description")};
	const char *group = cli_opt(c, "--group");
	uint8_t g[32];
	if (group) {
		if (query_group_resolve_cli(c, group, g) != MV_OK)
			return cli_core(c);
		p.group = g;
	}
	struct mv_buf *acts = n ? calloc((size_t)n, sizeof *acts) : NULL;
	if (n && !acts)
		return cli_fail(c, "out of memory");
	rc = MV_OK;
	for (int i = 0; i < n && rc == MV_OK; i++) {
		if ((rc = home_gov_action_parse(c->h, specs[i], &acts[i], &c->err)) != MV_OK &&
		    n > 1) {
			char m[sizeof c->err.msg];
			snprintf(m, sizeof m, "%s", c->err.msg);
			snprintf(c->err.msg, sizeof c->err.msg, "--action %d: %.480s", i + 1, m);
		}
		p.nactions = (size_t)i + (rc == MV_OK);
	}
	p.actions = acts;
	struct submit_result res;
	memset(&res, 0, sizeof res);
	if (rc == MV_OK)
		rc = home_gov_propose(c->h, c->o.as, &p, &res, &c->err);
	for (int i = 0; i < n; i++)
		mv_buf_free(&acts[i]);
	free(acts);
	return rc == MV_OK ? gv_outcome(c, &res, NULL) : cli_core(c);
}

/* ---- vote, delegate --------------------------------------------------------- */

int cli_gov_vote(struct cli *c, int argc, char **argv)
{
	(void)argc;
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	uint8_t id[32];
	if (gv_proposal_resolve(c, argv[0], id) != MV_OK)
		return cli_core(c);
	char hex[65], fp[80], fc[40], *fr = NULL;
	cli_hex32(hex, id);
	snprintf(fp, sizeof fp, "proposal=%s", hex);
	snprintf(fc, sizeof fc, "choice=%s", argv[1]);
	char *fields[3] = {fp, fc, NULL};
	int n = 2;
	const char *reason = cli_opt(c, "--reason");
	if (reason) {
		size_t l = strlen(reason) + 8;
		if (!(fr = malloc(l)))
			return cli_fail(c, "out of memory");
		snprintf(fr, l, "reason=%s", reason);
		fields[n++] = fr;
	}
	rc = gv_submit(c, "gov.vote", n, fields);
	free(fr);
	return rc;
}

/* execute / withdraw PROPOSAL: gov.execute or gov.cancel of one proposal. */
static int gv_proposal_op(struct cli *c, const char *kind, const char *ref)
{
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	uint8_t id[32];
	if (gv_proposal_resolve(c, ref, id) != MV_OK)
		return cli_core(c);
	char hex[65], fp[80];
	cli_hex32(hex, id);
	snprintf(fp, sizeof fp, "proposal=%s", hex);
	char *fields[1] = {fp};
	return gv_submit(c, kind, 1, fields);
}

int cli_gov_execute(struct cli *c, int argc, char **argv)
{
	(void)argc;
	return gv_proposal_op(c, "gov.execute", argv[0]);
}

int cli_gov_withdraw(struct cli *c, int argc, char **argv)
{
	(void)argc;
	return gv_proposal_op(c, "gov.cancel", argv[0]);
}

int cli_gov_delegate(struct cli *c, int argc, char **argv)
{
	(void)argc;
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	uint8_t to[32];
	if (home_resolve_account(c->h, argv[0], to, &c->err) != MV_OK)
		return cli_core(c);
	char hex[65], f[80];
	cli_hex32(hex, to);
	snprintf(f, sizeof f, "to=%s", hex);
	char *fields[1] = {f};
	return gv_submit(c, "gov.delegate", 1, fields);
}

int cli_gov_undelegate(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	return gv_submit(c, "gov.undelegate", 0, NULL);
}

/* ---- group post ---------------------------------------------------------------- */

static int gv_group_create(struct cli *c, const char *name)
{
	const char *topic = cli_opt(c, "--topic"), *policy = cli_opt(c, "--policy"),
		   *invite = cli_opt(c, "--invite");
	uint8_t (*inv)[32] = NULL;
	size_t ninv = 0;
	if (invite && *invite) {
		char *copy = strdup(invite), *save = NULL;
		size_t cap = strlen(invite) / 2 + 2;
		inv = calloc(cap, 32);
		if (!copy || !inv) {
			free(copy);
			free(inv);
			return cli_fail(c, "out of memory");
		}
		for (char *a = strtok_r(copy, ",", &save); a; a = strtok_r(NULL, ",", &save))
			if (home_resolve_account(c->h, a, inv[ninv++], &c->err) != MV_OK) {
				free(copy);
				free(inv);
				return cli_core(c);
			}
		free(copy);
	}
	struct home_group_args a = {name, topic ? topic : "peer support", cli_opt(c, "--charter"),
				    policy ? policy : "invite", (const uint8_t (*)[32])inv, ninv,
				    false};
	struct submit_result res;
	memset(&res, 0, sizeof res);
	int rc = home_groups_create(c->h, c->o.as, &a, &res, &c->err);
	free(inv);
	if (rc != MV_OK)
		return cli_core(c);
	return gv_outcome(c, &res, NULL);
}

/* share-keys: give the current group key to members waiting for it, or,
 * when a member left and the key awaits rotation, seal a new key to every
 * current member (the TUI's K). *n = members given a key. */
static int gv_group_keys(struct cli *c, const uint8_t g[32], size_t *n, bool *rotated)
{
	struct q_group *q = calloc(1, sizeof *q);
	uint8_t me[32];
	int rc = MV_OK;
	*n = 0;
	*rotated = false;
	if (!q)
		return mv_fail(&c->err, MV_ERR, "out of memory");
	if (!gv_me(c, me))
		rc = mv_fail(&c->err, MV_ENOTFOUND, "no identity to act as");
	else if (query_group(c->h->st, g, me, q, &c->err) != MV_OK)
		rc = MV_ERR;
	else if (!q->me_member)
		rc = mv_fail(&c->err, MV_EINVAL, "you are not a member of %s", q->name);
	if (rc == MV_OK && !q->keyed) {
		struct submit_result res;
		memset(&res, 0, sizeof res);
		rc = home_groups_rotate(c->h, c->o.as, g, &res, &c->err);
		if (rc == MV_OK && res.outcome != 1)
			rc = mv_fail(&c->err, MV_EREJECT, "the key rotation was %s: %s",
				     res.outcome ? "not applied yet" : "rejected", res.reason);
		*rotated = rc == MV_OK;
		*n = rc == MV_OK ? (size_t)q->members : 0;
	} else if (rc == MV_OK) {
		rc = home_groups_share_keys(c->h, c->o.as, g, n, &c->err);
	}
	free(q);
	return rc;
}

static void gv_keys_print(size_t n, bool rotated)
{
	if (rotated)
		printf("the group key rotated: a new key for the %zu current member%s\n", n,
		       n == 1 ? "" : "s");
	else
		printf("shared the group key with %zu member%s\n", n, n == 1 ? "" : "s");
}

/* invite, approve, decline, remove, moderator: an op about one account.
 * approve shares the group key with the new member and remove rotates it,
 * as the TUI does: a failure there is reported after the applied op. */
static int gv_group_member_op(struct cli *c, const uint8_t g[32], const char *sub, int argc,
			      char **argv)
{
	static const char *const ops[][3] = {
		{"invite", "group.invite", "invitee"},     {"approve", "group.approve", "applicant"},
		{"decline", "group.decline", "applicant"}, {"remove", "group.remove", "member"},
		{"moderator", "group.moderator", "member"},
	};
	size_t k = 0;
	while (k < sizeof ops / sizeof ops[0] && strcmp(ops[k][0], sub) != 0)
		k++;
	if (k == sizeof ops / sizeof ops[0])
		return cli_fail(c, "unknown group command '%s' (create, join, apply, leave, invite, "
			       "approve, decline, remove, moderator, share-keys, post, helpful)", sub);
	if (argc < 3)
		return cli_fail(c, "group %s GROUP ACCOUNT", sub);
	uint8_t m[32];
	if (home_resolve_account(c->h, argv[2], m, &c->err) != MV_OK)
		return cli_core(c);
	char hex[65], fg[80], fm[100], fx[260];
	char *fields[3] = {fg, fm, fx};
	int n = 2;
	cli_hex32(hex, g);
	snprintf(fg, sizeof fg, "group=%s", hex);
	cli_hex32(hex, m);
	snprintf(fm, sizeof fm, "%s=%s", ops[k][2], hex);
	const char *reason = cli_opt(c, "--reason");
	if (k == 3 && reason && *reason)
		snprintf(fx, sizeof fx, "reason=%s", reason), n = 3;
	if (k == 4)
		snprintf(fx, sizeof fx, "moderator=%d", cli_opt(c, "--off") ? 0 : 1), n = 3;
	struct submit_result res;
	memset(&res, 0, sizeof res);
	if (home_submit_fields(c->h, c->o.as, ops[k][1], n, fields, &res, &c->err) != MV_OK)
		return cli_core(c);
	if (res.outcome != 1 || (k != 1 && k != 3))
		return gv_outcome(c, &res, NULL);
	/* the key follows the membership */
	size_t given = 0;
	bool rotated = false;
	struct mv_err keep = c->err;
	int krc = gv_group_keys(c, g, &given, &rotated);
	json_t *extra = c->o.json ? json_object() : NULL;
	if (extra && krc == MV_OK)
		json_object_set_new(extra, rotated ? "rotated" : "shared",
				    json_integer((json_int_t)given));
	else if (extra)
		json_object_set_new(extra, "key_error", json_string(c->err.msg));
	char why[sizeof c->err.msg];
	snprintf(why, sizeof why, "%s", c->err.msg);
	c->err = keep;
	int rc = gv_outcome(c, &res, extra);
	if (!c->o.json && krc == MV_OK && given)
		gv_keys_print(given, rotated);
	else if (!c->o.json && krc != MV_OK)
		printf("the group key was not %s: %s\n", k == 1 ? "shared" : "rotated", why);
	return rc;
}

static int gv_post_pre_cb(void *ud, const struct q_group_post *p)
{
	gv_pre_try(ud, p->id, NULL);
	return 0;
}

/* helpful GROUP POST: POST is a post id or its first 6+ hex digits (shown
 * by `show group`). */
static int gv_group_helpful(struct cli *c, const uint8_t g[32], int argc, char **argv)
{
	if (argc < 3)
		return cli_fail(c, "group helpful GROUP POST");
	struct gv_pre p = {argv[2], strlen(argv[2]), {0}, 0};
	uint8_t post[32];
	if (query_group_posts(c->h->st, g, NULL, 0, gv_post_pre_cb, &p, &c->err) != MV_OK ||
	    gv_pre_done(c, &p, "post", post) != MV_OK)
		return cli_core(c);
	char hex[65], fp[80];
	cli_hex32(hex, post);
	snprintf(fp, sizeof fp, "post=%s", hex);
	char *fields[1] = {fp};
	return gv_submit(c, "post.helpful", 1, fields);
}

int cli_gov_group(struct cli *c, int argc, char **argv)
{
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	const char *sub = argv[0];
	if (strcmp(sub, "create") == 0)
		return gv_group_create(c, argv[1]);
	uint8_t g[32];
	if (query_group_resolve_cli(c, argv[1], g) != MV_OK)
		return cli_core(c);
	char hex[65], fg[80];
	cli_hex32(hex, g);
	snprintf(fg, sizeof fg, "group=%s", hex);
	struct submit_result res;
	memset(&res, 0, sizeof res);
	if (strcmp(sub, "post") == 0) {
		const char *text = cli_opt(c, "--text");
		if (!text || !*text)
			return cli_fail(c, "group post needs --text T");
		if (home_groups_post(c->h, c->o.as, g, text, &res, &c->err) != MV_OK)
			return cli_core(c);
		return gv_outcome(c, &res, NULL);
	}
	if (strcmp(sub, "apply") == 0) {
		if (home_groups_apply(c->h, c->o.as, g, cli_opt(c, "--message"), &res, &c->err) !=
		    MV_OK)
			return cli_core(c);
		return gv_outcome(c, &res, NULL);
	}
	static const char *const alone[][2] = {{"join", "group.join"}, {"leave", "group.leave"}};
	for (size_t i = 0; i < sizeof alone / sizeof alone[0]; i++)
		if (strcmp(sub, alone[i][0]) == 0) {
			char *fields[1] = {fg};
			return gv_submit(c, alone[i][1], 1, fields);
		}
	if (strcmp(sub, "share-keys") == 0) {
		size_t n = 0;
		bool rotated = false;
		if (gv_group_keys(c, g, &n, &rotated) != MV_OK)
			return cli_core(c);
		if (c->o.json) {
			json_t *o = json_object();
			json_object_set_new(o, rotated ? "rotated" : "shared",
					    json_integer((json_int_t)n));
			return cli_json_print(o);
		}
		gv_keys_print(n, rotated);
		return CLI_EXIT_OK;
	}
	if (strcmp(sub, "helpful") == 0)
		return gv_group_helpful(c, g, argc, argv);
	return gv_group_member_op(c, g, sub, argc, argv);
}

/* ---- compliance, export ---------------------------------------------------------- */

int cli_gov_compliance(struct cli *c, int argc, char **argv)
{
	(void)argc;
	if (strcmp(argv[0], "check") != 0)
		return cli_fail(c, "unknown compliance command '%s' (check)", argv[0]);
	const char *j = cli_opt(c, "--jurisdiction");
	if (!j)
		return cli_fail(c, "compliance check needs --jurisdiction J");
	struct compliance_verdict v;
	memset(&v, 0, sizeof v);
	if (compliance_check(argv[1], j, &v, &c->err) != MV_OK)
		return cli_core(c);
	if (c->o.json) {
		json_t *o = json_object(), *d = json_array();
		json_object_set_new(o, "kind", json_string(argv[1]));
		json_object_set_new(o, "jurisdiction", json_string(j));
		json_object_set_new(o, "code", json_string(v.code));
		json_object_set_new(o, "law", json_string(v.law));
		json_object_set_new(o, "category", json_string(v.category));
		json_object_set_new(o, "allowed", json_boolean(v.allowed));
		json_object_set_new(o, "needs_consent", json_boolean(v.needs_consent));
		for (int i = 0; i < v.nduties && i < 8; i++)
			json_array_append_new(d, json_string(v.duties[i]));
		json_object_set_new(o, "duties", d);
		return cli_json_print(o);
	}
	printf("%s under %s (%s, %s)\n", argv[1], j, v.code, v.law);
	printf("  category:  %s\n", v.category);
	printf("  allowed:   %s\n", v.allowed ? "yes" : "no");
	printf("  consent:   %s\n", v.needs_consent ? "required" : "not required");
	for (int i = 0; i < v.nduties && i < 8; i++)
		printf("  duty:      %s\n", v.duties[i]);
	return CLI_EXIT_OK;
}

int cli_gov_export(struct cli *c, int argc, char **argv)
{
	(void)argc;
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	size_t files = 0;
	if (home_compliance_export(c->h, c->o.as, argv[0], &files, &c->err) != MV_OK)
		return cli_core(c);
	if (c->o.json) {
		json_t *o = json_object();
		json_object_set_new(o, "dir", json_string(argv[0]));
		json_object_set_new(o, "files", json_integer((json_int_t)files));
		return cli_json_print(o);
	}
	printf("wrote %zu files to %s\n", files, argv[0]);
	return CLI_EXIT_OK;
}

/* ---- show proposals / proposal --------------------------------------------------- */

struct gv_list {
	struct cli *c;
	json_t *arr;
	int64_t now;
	size_t n;
};

static json_t *gv_proposal_json(struct cli *c, const struct q_proposal *q)
{
	const struct gov_proposal *p = &q->p;
	json_t *o = json_object();
	char hex[65];
	cli_hex32(hex, p->id);
	json_object_set_new(o, "id", json_string(hex));
	cli_json_account(c, o, "proposer", p->proposer);
	json_object_set_new(o, "scope", json_string(p->group_scope ? "group" : "platform"));
	if (p->group_scope) {
		cli_hex32(hex, p->group);
		json_object_set_new(o, "group", json_string(hex));
		json_object_set_new(o, "group_name", json_string(q->group_name));
	}
	json_object_set_new(o, "kind", json_string(p->kind));
	json_object_set_new(o, "title", json_string(p->title));
	json_object_set_new(o, "description", json_string(q->description));
	json_object_set_new(o, "state", json_string(gov_state_name(p->state)));
	json_object_set_new(o, "why", json_string(p->why));
	cli_json_time(o, "created", p->created);
	cli_json_time(o, "vote_start", p->vote_start);
	cli_json_time(o, "vote_end", p->vote_end);
	cli_json_time(o, "eta", p->eta);
	cli_json_time(o, "expires", p->expires);
	cli_json_time(o, "next_time", q->next_time);
	json_object_set_new(o, "next_what", q->next_what ? json_string(q->next_what) : json_null());
	json_object_set_new(o, "total_power", json_integer(p->total_power));
	json_object_set_new(o, "for", json_integer(p->for_power));
	json_object_set_new(o, "against", json_integer(p->against_power));
	json_object_set_new(o, "abstain", json_integer(p->abstain_power));
	json_object_set_new(o, "voters", json_integer(p->voters));
	json_object_set_new(o, "quorum_bp", json_integer(p->quorum_bp));
	json_object_set_new(o, "quorum_power", json_integer(q->quorum_power));
	json_object_set_new(o, "quorum_reached", json_boolean(p->quorum_reached));
	json_object_set_new(o, "threshold_bp", json_integer(p->threshold_bp));
	json_object_set_new(o, "for_bp", json_integer(q->for_bp));
	json_object_set_new(o, "turnout_bp", json_integer(q->turnout_bp));
	json_object_set_new(o, "nactions", json_integer(p->nactions));
	json_object_set_new(o, "my_vote", q->my_vote[0] ? json_string(q->my_vote) : json_null());
	json_object_set_new(o, "my_power", json_integer(q->my_power));
	if (q->why_no_power[0])
		json_object_set_new(o, "why_no_power", json_string(q->why_no_power));
	return o;
}

static int gv_proposals_cb(void *ud, const struct q_proposal *q)
{
	struct gv_list *L = ud;
	const struct gov_proposal *p = &q->p;
	L->n++;
	if (L->c->o.json) {
		json_array_append_new(L->arr, gv_proposal_json(L->c, q));
		return 0;
	}
	char sh[13], when[48] = "", bar[32], pct[48];
	if (q->next_time > 0 && q->next_what)
		gv_rel(when, sizeof when, q->next_time, L->now);
	gv_bar(bar, sizeof bar, p->for_power, p->for_power + p->against_power);
	gv_pct(pct, sizeof pct, q->for_bp);
	printf("%s  %-9s %-6s %s\n", gv_short(sh, p->id), gov_state_name(p->state), p->kind,
	       p->title);
	printf("              for [%s] %s  voters %" PRId64 "%s%s%s%s%s\n", bar, pct, p->voters,
	       when[0] ? "  " : "", q->next_what && when[0] ? q->next_what : "", when[0] ? " " : "",
	       when, q->my_vote[0] ? "" : "");
	if (q->my_vote[0])
		printf("              your vote: %s\n", q->my_vote);
	return 0;
}

int cli_gov_show_proposals(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	uint8_t me[32];
	bool have_me = gv_me(c, me);
	struct gv_list L = {c, c->o.json ? json_array() : NULL, mv_now_ms(), 0};
	if (query_proposals(c->h->st, L.now, have_me ? me : NULL, QP_ALL, NULL, gv_proposals_cb, &L,
			    &c->err) != MV_OK) {
		json_decref(L.arr);
		return cli_core(c);
	}
	if (c->o.json)
		return cli_json_print(L.arr);
	if (L.n == 0)
		printf("no proposals (create one with `mentalverse propose`)\n");
	return CLI_EXIT_OK;
}

static int gv_action_cb(void *ud, const struct q_action *a)
{
	struct gv_list *L = ud;
	if (L->c->o.json) {
		json_t *o = json_object();
		json_object_set_new(o, "idx", json_integer(a->idx));
		json_object_set_new(o, "type", json_string(a->type));
		json_object_set_new(o, "text", json_string(a->text));
		json_array_append_new(L->arr, o);
	} else {
		printf("  %" PRId64 ". %-16s %s\n", a->idx + 1, a->type, a->text);
	}
	L->n++;
	return 0;
}

static int gv_vote_cb(void *ud, const struct q_vote *v)
{
	struct gv_list *L = ud;
	char label[80];
	if (L->c->o.json) {
		json_t *o = json_object();
		cli_json_account(L->c, o, "voter", v->voter);
		json_object_set_new(o, "choice", json_string(v->choice));
		json_object_set_new(o, "power", json_integer(v->power));
		cli_json_time(o, "time", v->time);
		json_object_set_new(o, "changes", json_integer(v->changes));
		json_object_set_new(o, "reason", json_string(v->reason));
		json_array_append_new(L->arr, o);
	} else {
		gv_label(L->c, v->voter, label, sizeof label);
		char pw[48];
		printf("  %-24s %-8s %-14s%s%s%s\n", label, v->choice, gv_pow(pw, v->power),
		       v->changes ? " (changed)" : "", v->reason[0] ? "  " : "", v->reason);
	}
	L->n++;
	return 0;
}

int cli_gov_show_proposal(struct cli *c, int argc, char **argv)
{
	(void)argc;
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	uint8_t id[32], me[32];
	bool have_me = gv_me(c, me);
	if (gv_proposal_resolve(c, argv[0], id) != MV_OK)
		return cli_core(c);
	int64_t now = mv_now_ms();
	struct q_proposal *q = calloc(1, sizeof *q);
	if (!q)
		return cli_fail(c, "out of memory");
	if (query_proposal(c->h->st, id, now, have_me ? me : NULL, q, &c->err) != MV_OK) {
		free(q);
		return cli_core(c);
	}
	const struct gov_proposal *p = &q->p;
	gv_votes_mode = p->group_scope && p->total_power < 100000000;
	if (c->o.json) {
		json_t *o = gv_proposal_json(c, q);
		struct gv_list A = {c, json_array(), now, 0}, V = {c, json_array(), now, 0};
		if (query_proposal_actions(c->h->st, id, gv_action_cb, &A, &c->err) != MV_OK ||
		    query_proposal_votes(c->h->st, id, gv_vote_cb, &V, &c->err) != MV_OK) {
			json_decref(o);
			json_decref(A.arr);
			json_decref(V.arr);
			free(q);
			return cli_core(c);
		}
		json_object_set_new(o, "actions", A.arr);
		json_object_set_new(o, "votes", V.arr);
		free(q);
		return cli_json_print(o);
	}
	char hex[65], label[80], t[40], rel[48], bar[32], pct[48];
	cli_hex32(hex, p->id);
	gv_label(c, p->proposer, label, sizeof label);
	printf("%s\n", p->title);
	printf("  id:        %s\n", hex);
	printf("  kind:      %s%s%s\n", p->kind, p->group_scope ? "  group " : "",
	       p->group_scope ? q->group_name : "");
	printf("  proposer:  %s\n", label);
	printf("  state:     %s%s%s\n", gov_state_name(p->state), p->why[0] ? " - " : "", p->why);
	mv_time_format_utc(t, sizeof t, p->vote_start);
	gv_rel(rel, sizeof rel, p->vote_start, now);
	printf("  voting:    opens %s (%s)\n", t, rel);
	mv_time_format_utc(t, sizeof t, p->vote_end);
	gv_rel(rel, sizeof rel, p->vote_end, now);
	printf("             ends  %s (%s)\n", t, rel);
	if (q->next_time > 0 && q->next_what) {
		gv_rel(rel, sizeof rel, q->next_time, now);
		printf("  next:      %s %s\n", q->next_what, rel);
	}
	if (q->description[0])
		printf("\n%s\n", q->description);
	char a1[48], a2[48];
	printf("\ntally (total voting power %s, quorum %s%s):\n", gv_pow(a1, p->total_power),
	       gv_pow(a2, q->quorum_power), p->quorum_reached ? ", reached" : "");
	int64_t all = p->for_power + p->against_power + p->abstain_power;
	gv_bar(bar, sizeof bar, p->for_power, all);
	printf("  for      [%s] %s\n", bar, gv_pow(a1, p->for_power));
	gv_bar(bar, sizeof bar, p->against_power, all);
	printf("  against  [%s] %s\n", bar, gv_pow(a1, p->against_power));
	gv_bar(bar, sizeof bar, p->abstain_power, all);
	printf("  abstain  [%s] %s\n", bar, gv_pow(a1, p->abstain_power));
	gv_pct(pct, sizeof pct, q->for_bp);
	printf("  for share %s, threshold ", pct);
	gv_pct(pct, sizeof pct, p->threshold_bp);
	printf("%s\n", pct);
	printf("\nactions (%" PRId64 "):\n", p->nactions);
	struct gv_list L = {c, NULL, now, 0};
	if (query_proposal_actions(c->h->st, id, gv_action_cb, &L, &c->err) != MV_OK) {
		free(q);
		return cli_core(c);
	}
	if (L.n == 0)
		printf("  none (a text proposal)\n");
	printf("\nvotes (%" PRId64 "):\n", p->voters);
	L.n = 0;
	if (query_proposal_votes(c->h->st, id, gv_vote_cb, &L, &c->err) != MV_OK) {
		free(q);
		return cli_core(c);
	}
	if (L.n == 0)
		printf("  none yet\n");
	if (have_me)
		printf("\nyou: %s%s%s%s\n", q->my_vote[0] ? "voted " : "not voted",
		       q->my_vote, q->why_no_power[0] ? "; " : "", q->why_no_power);
	free(q);
	return CLI_EXIT_OK;
}

/* ---- show groups / group --------------------------------------------------------- */

static int gv_groups_cb(void *ud, const struct q_group *g)
{
	struct gv_list *L = ud;
	L->n++;
	if (L->c->o.json) {
		json_t *o = json_object();
		char hex[65];
		cli_hex32(hex, g->id);
		json_object_set_new(o, "id", json_string(hex));
		json_object_set_new(o, "name", json_string(g->name));
		json_object_set_new(o, "topic", json_string(g->topic));
		json_object_set_new(o, "join_policy", json_string(g->join_policy));
		json_object_set_new(o, "members", json_integer(g->members));
		json_object_set_new(o, "posts", json_integer(g->posts));
		json_object_set_new(o, "key_epoch", json_integer(g->key_epoch));
		json_object_set_new(o, "me_member", json_boolean(g->me_member));
		json_object_set_new(o, "me_moderator", json_boolean(g->me_moderator));
		json_object_set_new(o, "me_invited", json_boolean(g->me_invited));
		json_array_append_new(L->arr, o);
		return 0;
	}
	char sh[13];
	printf("%s  %-24s %-12s %3" PRId64 " members %4" PRId64 " posts  %s%s\n",
	       gv_short(sh, g->id), g->name, g->join_policy, g->members, g->posts,
	       g->me_moderator ? "moderator" : g->me_member ? "member" : g->me_invited ? "invited" : "",
	       "");
	return 0;
}

int cli_gov_show_groups(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	uint8_t me[32];
	bool have_me = gv_me(c, me);
	struct gv_list L = {c, c->o.json ? json_array() : NULL, mv_now_ms(), 0};
	if (query_groups(c->h->st, have_me ? me : NULL, false, gv_groups_cb, &L, &c->err) != MV_OK) {
		json_decref(L.arr);
		return cli_core(c);
	}
	if (c->o.json)
		return cli_json_print(L.arr);
	if (L.n == 0)
		printf("no groups yet\n");
	return CLI_EXIT_OK;
}

static int gv_member_cb(void *ud, const struct q_group_member *m)
{
	struct gv_list *L = ud;
	char label[80];
	if (L->c->o.json) {
		json_t *o = json_object();
		cli_json_account(L->c, o, "member", m->member);
		json_object_set_new(o, "how", json_string(m->how));
		json_object_set_new(o, "moderator", json_boolean(m->moderator));
		json_object_set_new(o, "has_key", json_boolean(m->has_key));
		cli_json_time(o, "joined", m->joined);
		json_array_append_new(L->arr, o);
	} else {
		gv_label(L->c, m->member, label, sizeof label);
		printf("  %-24s %-10s%s%s\n", label, m->how, m->moderator ? " moderator" : "",
		       m->has_key ? "" : " (no key yet)");
	}
	L->n++;
	return 0;
}

struct gv_pending {
	struct gv_list L;
	const uint8_t *group;
};

/* An application's message as the viewer may read it: text (malloc'd) or
 * NULL with why filled ("" when there is no message). */
static char *gv_app_message(struct cli *c, const uint8_t group[32], const struct q_group_pending *p,
			    char *why, size_t whylen)
{
	struct mv_buf plain = {0};
	struct mv_err e = {0};
	why[0] = '\0';
	if (p->invitation || !p->has_message)
		return NULL;
	if (home_groups_open_application(c->h, c->o.as, group, p->account, &plain, &e) != MV_OK) {
		snprintf(why, whylen, "a message for the moderators");
		return NULL;
	}
	char *text = strdup((const char *)plain.data);
	sodium_memzero(plain.data, plain.len);
	mv_buf_free(&plain);
	if (!text)
		snprintf(why, whylen, "out of memory");
	return text;
}

static int gv_pending_cb(void *ud, const struct q_group_pending *p)
{
	struct gv_pending *P = ud;
	struct gv_list *L = &P->L;
	char label[80], by[80], t[40], why[80];
	char *msg = gv_app_message(L->c, P->group, p, why, sizeof why);
	L->n++;
	if (L->c->o.json) {
		json_t *o = json_object();
		cli_json_account(L->c, o, "account", p->account);
		json_object_set_new(o, "kind", json_string(p->invitation ? "invitation"
									 : "application"));
		if (p->invitation)
			cli_json_account(L->c, o, "by", p->by);
		cli_json_time(o, "time", p->time);
		json_object_set_new(o, "has_message", json_boolean(p->has_message));
		if (msg)
			json_object_set_new(o, "message", json_string(msg));
		json_array_append_new(L->arr, o);
		free(msg);
		return 0;
	}
	gv_label(L->c, p->account, label, sizeof label);
	gv_label(L->c, p->by, by, sizeof by);
	mv_time_format_utc(t, sizeof t, p->time);
	if (p->invitation)
		printf("  %-24s invited by %s  %s\n", label, by, t);
	else
		printf("  %-24s applied, waits for a moderator  %s\n", label, t);
	if (msg)
		printf("    \"%s\"\n", msg);
	else if (why[0])
		printf("    (%s)\n", why);
	free(msg);
	return 0;
}

struct gv_posts {
	struct gv_list L;
	const char *as;
	struct q_group_post *v;
	size_t n, cap;
};

static int gv_post_collect(void *ud, const struct q_group_post *p)
{
	struct gv_posts *P = ud;
	if (P->n == P->cap) {
		size_t cap = P->cap ? P->cap * 2 : 16;
		void *nv = realloc(P->v, cap * sizeof *P->v);
		if (!nv)
			return 1;
		P->v = nv;
		P->cap = cap;
	}
	P->v[P->n++] = *p;
	return 0;
}

int cli_gov_show_group(struct cli *c, int argc, char **argv)
{
	(void)argc;
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	uint8_t g[32], me[32];
	bool have_me = gv_me(c, me);
	if (query_group_resolve_cli(c, argv[0], g) != MV_OK)
		return cli_core(c);
	struct q_group *gi = calloc(1, sizeof *gi);
	if (!gi)
		return cli_fail(c, "out of memory");
	if (query_group(c->h->st, g, have_me ? me : NULL, gi, &c->err) != MV_OK) {
		free(gi);
		return cli_core(c);
	}
	json_t *o = NULL, *marr = NULL, *parr = NULL;
	char hex[65];
	cli_hex32(hex, g);
	if (c->o.json) {
		o = json_object();
		json_object_set_new(o, "id", json_string(hex));
		json_object_set_new(o, "name", json_string(gi->name));
		json_object_set_new(o, "topic", json_string(gi->topic));
		json_object_set_new(o, "charter", json_string(gi->charter));
		json_object_set_new(o, "join_policy", json_string(gi->join_policy));
		json_object_set_new(o, "key_epoch", json_integer(gi->key_epoch));
		json_object_set_new(o, "me_member", json_boolean(gi->me_member));
		json_object_set_new(o, "me_moderator", json_boolean(gi->me_moderator));
		marr = json_array();
		parr = json_array();
	} else {
		printf("%s  (%s)\n  id:      %s\n  topic:   %s\n  joining: %s\n", gi->name,
		       gi->me_moderator ? "you moderate it" : gi->me_member ? "you are a member"
							       : "you are not a member",
		       hex, gi->topic, gi->join_policy);
		if (gi->charter[0])
			printf("  charter: %s\n", gi->charter);
		printf("\nmembers (%" PRId64 "):\n", gi->members);
	}
	free(gi);
	struct gv_list L = {c, marr, mv_now_ms(), 0};
	if (query_group_members(c->h->st, g, false, gv_member_cb, &L, &c->err) != MV_OK) {
		json_decref(o);
		json_decref(marr);
		json_decref(parr);
		return cli_core(c);
	}
	json_t *qarr = c->o.json ? json_array() : NULL;
	struct gv_pending Q = {{c, qarr, L.now, 0}, g};
	if (!c->o.json)
		printf("\npending invitations and applications:\n");
	if (query_group_pending(c->h->st, g, gv_pending_cb, &Q, &c->err) != MV_OK) {
		json_decref(o);
		json_decref(marr);
		json_decref(parr);
		json_decref(qarr);
		return cli_core(c);
	}
	if (!c->o.json && Q.L.n == 0)
		printf("  (none)\n");
	if (c->o.json)
		json_object_set_new(o, "pending", qarr);
	struct gv_posts P = {{c, parr, L.now, 0}, c->o.as, NULL, 0, 0};
	if (query_group_posts(c->h->st, g, have_me ? me : NULL, 0, gv_post_collect, &P, &c->err) !=
	    MV_OK) {
		free(P.v);
		json_decref(o);
		json_decref(marr);
		json_decref(parr);
		return cli_core(c);
	}
	if (!c->o.json)
		printf("\nposts (%zu, newest first):\n", P.n);
	for (size_t i = 0; i < P.n; i++) {
		const struct q_group_post *p = &P.v[i];
		struct mv_buf plain = {0};
		struct mv_err e = {0};
		bool ok = have_me && home_groups_open_post(c->h, c->o.as, p->id, &plain, &e) == MV_OK;
		const char *text = ok ? (const char *)plain.data : NULL;
		char label[80], t[40], sh[13];
		gv_label(c, p->author, label, sizeof label);
		if (c->o.json) {
			json_t *po = json_object();
			cli_hex32(hex, p->id);
			json_object_set_new(po, "id", json_string(hex));
			cli_json_account(c, po, "author", p->author);
			cli_json_time(po, "time", p->time);
			json_object_set_new(po, "key_epoch", json_integer(p->key_epoch));
			json_object_set_new(po, "helpful", json_integer(p->helpful));
			json_object_set_new(po, "readable", json_boolean(ok));
			json_object_set_new(po, "text", text ? json_string(text) : json_null());
			if (!ok)
				json_object_set_new(po, "why", json_string(have_me ? e.msg
										   : "no identity"));
			json_array_append_new(parr, po);
		} else {
			mv_time_format_utc(t, sizeof t, p->time);
			printf("  %s  %s  post %s\n", t, label, gv_short(sh, p->id));
			if (ok)
				printf("    %s\n", text);
			else
				printf("    (cannot read: %s)\n", have_me ? e.msg : "no identity");
			if (p->helpful)
				printf("    marked helpful by %" PRId64 "\n", p->helpful);
		}
		if (plain.data) {
			memset(plain.data, 0, plain.len);
			mv_buf_free(&plain);
		}
	}
	free(P.v);
	if (c->o.json) {
		json_object_set_new(o, "members", marr);
		json_object_set_new(o, "posts", parr);
		return cli_json_print(o);
	}
	return CLI_EXIT_OK;
}

/* ---- show compliance-report ---------------------------------------------------------- */

static int gv_report_cb(void *ud, const struct q_report_row *r)
{
	struct gv_list *L = ud;
	char t[40], label[80];
	if (L->c->o.json) {
		json_t *o = json_object();
		char hex[65];
		json_object_set_new(o, "kind", json_string(query_report_kind_name(r->kind)));
		cli_json_time(o, "time", r->time);
		cli_hex32(hex, r->op);
		json_object_set_new(o, "op", json_string(hex));
		cli_json_account(L->c, o, "who", r->who);
		cli_json_account(L->c, o, "subject", r->subject);
		json_object_set_new(o, "what", json_string(r->what));
		json_array_append_new(L->arr, o);
	} else {
		mv_time_format_utc(t, sizeof t, r->time);
		gv_label(L->c, r->who, label, sizeof label);
		printf("  %s  %-9s %-20s %s\n", t, query_report_kind_name(r->kind), label, r->what);
	}
	L->n++;
	return 0;
}

static const char *gv_show_opt(const struct cli *c, const char *name)
{
	return cli_opt(c, name);
}

int cli_gov_show_report(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int rc = cli_need_network(c);
	if (rc)
		return rc;
	int64_t from = 0, to = mv_now_ms() + 1;
	const char *fs = gv_show_opt(c, "--from"), *ts = gv_show_opt(c, "--to");
	if (fs && mv_time_parse(fs, &from, &c->err) != MV_OK)
		return cli_core(c);
	if (ts && mv_time_parse(ts, &to, &c->err) != MV_OK)
		return cli_core(c);
	struct q_compliance_report R;
	memset(&R, 0, sizeof R);
	struct gv_list L = {c, c->o.json ? json_array() : NULL, mv_now_ms(), 0};
	if (!c->o.json) {
		char a[40], b[40];
		mv_time_format_utc(a, sizeof a, from);
		mv_time_format_utc(b, sizeof b, to);
		printf("compliance report %s .. %s\n\n", a, b);
	}
	if (query_compliance_report(c->h->st, from, to, &R, gv_report_cb, &L, &c->err) != MV_OK) {
		json_decref(L.arr);
		return cli_core(c);
	}
	if (c->o.json) {
		json_t *o = json_object();
		cli_json_time(o, "from", R.from ? R.from : from);
		cli_json_time(o, "to", R.to ? R.to : to);
		json_object_set_new(o, "audit_entries", json_integer(R.audit_entries));
		json_object_set_new(o, "emergency_accesses", json_integer(R.emergency_accesses));
		json_object_set_new(o, "requests", json_integer(R.requests));
		json_object_set_new(o, "requests_granted", json_integer(R.requests_granted));
		json_object_set_new(o, "requests_denied", json_integer(R.requests_denied));
		json_object_set_new(o, "requests_fulfilled", json_integer(R.requests_fulfilled));
		json_object_set_new(o, "requests_pending", json_integer(R.requests_pending));
		json_object_set_new(o, "erasures", json_integer(R.erasures));
		json_object_set_new(o, "blobs_erased", json_integer(R.blobs_erased));
		json_object_set_new(o, "retention_sweeps", json_integer(R.retention_sweeps));
		json_object_set_new(o, "sessions_retained", json_integer(R.sessions_retained));
		json_object_set_new(o, "blobs_expired", json_integer(R.blobs_expired));
		json_object_set_new(o, "rows", L.arr);
		return cli_json_print(o);
	}
	if (L.n == 0)
		printf("  (nothing in this period)\n");
	printf("\ntotals: %" PRId64 " audit entries (%" PRId64 " emergency), %" PRId64
	       " data requests (%" PRId64 " granted, %" PRId64 " denied, %" PRId64
	       " fulfilled, %" PRId64 " pending), %" PRId64 " erasures (%" PRId64
	       " blobs), %" PRId64 " retention sweeps (%" PRId64 " sessions, %" PRId64 " blobs)\n",
	       R.audit_entries, R.emergency_accesses, R.requests, R.requests_granted,
	       R.requests_denied, R.requests_fulfilled, R.requests_pending, R.erasures,
	       R.blobs_erased, R.retention_sweeps, R.sessions_retained, R.blobs_expired);
	return CLI_EXIT_OK;
}
