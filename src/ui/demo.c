/* demo.c - the demo network: a home named "mentalverse-demo" with a council
 * of two (threshold 2), four therapists (three verified, one waiting for
 * the council), three patients, two DAO members and an insurer appointed by
 * the council, funded from the founder and given some history. Everyone is
 * registered; patients go by pseudonyms with encrypted private profiles.
 *
 * Everything is made through the core API exactly as a person would make
 * it: identities by the keystore, the network by home_init with a genesis
 * file, and every balance and every piece of history by signed ops through
 * home_submit_fields. Nothing writes a table directly. The structure is
 * fixed (the same names, the same ops in the same order, the same outcomes);
 * only keys, and so op ids, differ between runs (and blob hashes: private
 * data is encrypted with fresh random keys).
 *
 * The demo is a list of steps: each later feature appends its rows to
 * demo_steps[] (services, availability, sessions, stakes, proposals). A step
 * may name its op with a label; a later field value "@label" is replaced by
 * that op's id in hex.
 *
 * Passphrases: every demo identity uses the documented empty passphrase (the
 * key files protect nothing); MENTALVERSE_PASSPHRASE is ignored while the
 * demo is built. */
#include "ui/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/genesis_conf.h"
#include "core/home.h"
#include "core/home_people.h"
#include "ui/demo_care.h"
#include "ui/demo_gov.h"

#define DEMO_MAX_FIELDS 10
#define DEMO_PASS ""

const char *const demo_people[] = {
	"council-ana", "council-ben",
	"therapist-maya", "therapist-omar", "therapist-lin",
	"patient-sam", "patient-kai", "patient-ria",
	"member-dana", "member-eli",
	"therapist-noor", "insurer-acme",
	NULL,
};

/* The council seated by the demo's genesis (the first two people). */
#define DEMO_COUNCIL "council-ana,council-ben"
#define DEMO_COUNCIL_THRESHOLD "2"

enum demo_expect { DEMO_APPLIED = 1, DEMO_REJECTED = 0 };

/* One op of the demo, signed by `as`. */
struct demo_step {
	const char *label;  /* names this op for "@label" values later, or NULL */
	const char *as;
	const char *kind;
	const char *fields[DEMO_MAX_FIELDS]; /* "name=value", NULL ends */
	enum demo_expect expect;
};

static int demo_register(struct home *h, const char *as, char *const *fields, int n,
			 struct submit_result *res, struct mv_err *err);
static int demo_verify_submit(struct home *h, const char *as, char *const *fields, int n,
			      struct submit_result *res, struct mv_err *err);
static int demo_share(struct home *h, const char *as, char *const *fields, int n,
		      struct submit_result *res, struct mv_err *err);

/* Kinds whose ops a home helper builds from the step's fields, encrypting
 * private data on the way (user.register: private=TEXT, emergency=TEXT;
 * verify.submit: proof=TEXT; profile.share: to=ACCOUNT); every other kind
 * goes through home_submit_fields. */
static const struct {
	const char *kind;
	int (*run)(struct home *h, const char *as, char *const *fields, int n,
		   struct submit_result *res, struct mv_err *err);
} demo_helpers[] = {
	{"user.register", demo_register},
	{"verify.submit", demo_verify_submit},
	{"profile.share", demo_share},
	/* care: times from when the demo is built, encrypted notes and policies */
	{"availability.set", demo_care_availability},
	{"session.book", demo_care_book},
	{"session.reschedule", demo_care_reschedule},
	{"note.add", demo_care_note},
	{"claim.submit", demo_care_claim},
	/* governance: group keys, encrypted posts, proposals with a typed action */
	{"group.create", demo_gov_group_create},
	{"group.key_share", demo_gov_key_share},
	{"group.post", demo_gov_post},
	{"gov.propose", demo_gov_propose},
};

/* People rows: registration with a private profile and an emergency
 * contact, each encrypted to the registrant alone. */
#define DEMO_PATIENT(who, name, where, langs, priv, emerg) \
	{NULL, who, "user.register", {"role=patient", "display_name=" name, "jurisdiction=" where, \
	 "languages=" langs, "private=" priv, "emergency=" emerg}, DEMO_APPLIED}
#define DEMO_THERAPIST(who, name, where, langs, bio, priv) \
	{NULL, who, "user.register", {"role=therapist", "display_name=" name, "jurisdiction=" where, \
	 "languages=" langs, "bio=" bio, "private=" priv}, DEMO_APPLIED}
/* A license application, its proof encrypted to the council. */
#define DEMO_APPLY(who, no, board, where, expires, specialties) \
	{NULL, who, "verify.submit", {"license_no=" no, "board=" board, "jurisdiction=" where, \
	 "expires=" expires, "specialties=" specialties, "proof=scan of license " no}, \
	 DEMO_APPLIED}
/* One council member's signature on an approval (two are needed). */
#define DEMO_APPROVE(member, who) \
	{NULL, member, "verify.decide", {"applicant=" who, "decision=approve", \
	 "reason=license checked with the board"}, DEMO_APPLIED}

/* A service (all nine fields of service.publish). */
#define DEMO_SERVICE(label, who, title, format, minutes, price, langs, specs, ins, autoacc) \
	{label, who, "service.publish", {"title=" title, "modality=individual", "format=" format, \
	 "duration_min=" minutes, "price=" price, "languages=" langs, "specialties=" specs, \
	 "insurance_accepted=" ins, "auto_accept=" autoacc}, DEMO_APPLIED}

static const struct demo_step demo_steps[] = {
	/* Welcome grants from the founder's allocation. */
	{NULL, "founder", "ledger.transfer", {"to=council-ana", "amount=1000", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=council-ben", "amount=1000", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=therapist-maya", "amount=500", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=therapist-omar", "amount=500", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=therapist-lin", "amount=500", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=patient-sam", "amount=200", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=patient-kai", "amount=200", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=patient-ria", "amount=50", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=member-dana", "amount=300", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=member-eli", "amount=300", "memo=welcome grant"}, DEMO_APPLIED},
	/* Some history between people (memos are public: nothing personal). */
	{NULL, "patient-sam", "ledger.transfer", {"to=therapist-maya", "amount=40"}, DEMO_APPLIED},
	{NULL, "patient-kai", "ledger.transfer", {"to=therapist-omar", "amount=35.5"}, DEMO_APPLIED},
	{NULL, "patient-ria", "ledger.transfer", {"to=therapist-lin", "amount=25"}, DEMO_APPLIED},
	{NULL, "therapist-maya", "ledger.transfer", {"to=member-dana", "amount=12.25", "memo=workshop co-host"}, DEMO_APPLIED},
	{NULL, "member-eli", "ledger.transfer", {"to=member-dana", "amount=5", "memo=coffee"}, DEMO_APPLIED},
	{NULL, "council-ana", "ledger.transfer", {"to=member-eli", "amount=20", "memo=community call"}, DEMO_APPLIED},
	{NULL, "therapist-omar", "ledger.transfer", {"to=patient-kai", "amount=10", "memo=refund"}, DEMO_APPLIED},
	/* An overspend, so the activity log shows a rejection and its reason. */
	{NULL, "patient-ria", "ledger.transfer", {"to=therapist-lin", "amount=500"}, DEMO_REJECTED},
	/* People (before any service: only verified therapists publish). Everyone
	 * registers, patients under pseudonyms with private profiles encrypted to
	 * themselves; the council (both members sign) verifies maya, omar and
	 * lin; therapist-noor's application waits for the council; patient-sam
	 * names two guardians and shares the private profile with maya; the
	 * council appoints an insurer. */
	{NULL, "founder", "ledger.transfer", {"to=therapist-noor", "amount=500", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=insurer-acme", "amount=1000", "memo=welcome grant"}, DEMO_APPLIED},
	DEMO_PATIENT("council-ana", "Ana", "PT", "pt,en", "Ana Sousa, ana@example.org", "Rui Sousa +351 21 000 0000"),
	DEMO_PATIENT("council-ben", "Ben", "US-NY", "en", "Ben Okafor, ben@example.org", "Ada Okafor +1 212 555 0101"),
	DEMO_THERAPIST("therapist-maya", "Dr. Maya Chen", "US-CA", "en,zh",
		       "Clinical psychologist: CBT for anxiety and depression.", "Maya Chen, PsyD, Oakland CA"),
	DEMO_THERAPIST("therapist-omar", "Omar Haddad", "DE-BE", "de,en,ar",
		       "Psychotherapist: trauma, grief, adjustment after migration.", "Omar Haddad, Berlin"),
	DEMO_THERAPIST("therapist-lin", "Lin Park", "US-NY", "en,ko",
		       "Licensed counselor: couples, stress, life transitions.", "Lin Park, LMHC, Brooklyn NY"),
	DEMO_THERAPIST("therapist-noor", "Noor Rahman", "GB", "en,bn",
		       "Counselling psychologist: eating disorders, self-esteem.", "Noor Rahman, London"),
	DEMO_PATIENT("patient-sam", "Sparrow", "US-CA", "en", "Sam Rivera, sam.rivera@example.org, +1 510 555 0142",
		     "Alex Rivera (sister) +1 510 555 0177"),
	DEMO_PATIENT("patient-kai", "Kestrel", "DE-BE", "de,en", "Kai Brandt, kai@example.org", "Jonas Brandt +49 30 0000 0000"),
	DEMO_PATIENT("patient-ria", "Heron", "US-NY", "en,es", "Ria Flores, ria@example.org", "Marta Flores +1 718 555 0190"),
	DEMO_PATIENT("member-dana", "Dana", "US-CA", "en", "Dana Lee, dana@example.org", "Chris Lee +1 415 555 0123"),
	DEMO_PATIENT("member-eli", "Eli", "GB", "en", "Eli Morgan, eli@example.org", "Sam Morgan +44 20 0000 0000"),
	DEMO_APPLY("therapist-maya", "PSY-28411", "California Board of Psychology", "US-CA", "2030-06-30",
		   "anxiety,depression"),
	DEMO_APPLY("therapist-omar", "PP-4471", "Psychotherapeutenkammer Berlin", "DE-BE", "2031-03-31",
		   "trauma,grief"),
	DEMO_APPLY("therapist-lin", "LMHC-00912", "NYS Office of the Professions", "US-NY", "2029-12-31",
		   "couples,stress"),
	DEMO_APPLY("therapist-noor", "HCPC-PYL3321", "Health and Care Professions Council", "GB", "2030-09-30",
		   "eating-disorders,self-esteem"),
	DEMO_APPROVE("council-ana", "therapist-maya"),
	DEMO_APPROVE("council-ben", "therapist-maya"),
	DEMO_APPROVE("council-ana", "therapist-omar"),
	DEMO_APPROVE("council-ben", "therapist-omar"),
	DEMO_APPROVE("council-ana", "therapist-lin"),
	DEMO_APPROVE("council-ben", "therapist-lin"),
	DEMO_APPROVE("council-ana", "therapist-noor"), /* one signature: still pending */
	{NULL, "therapist-maya", "verify.ce", {"hours=8", "course=Trauma-informed care"}, DEMO_APPLIED},
	{NULL, "patient-sam", "recovery.guardians", {"guardians=patient-kai,member-dana", "threshold=2"}, DEMO_APPLIED},
	{NULL, "patient-sam", "profile.share", {"to=therapist-maya"}, DEMO_APPLIED},
	{NULL, "council-ana", "user.appoint", {"account=insurer-acme", "role=insurer", "display_name=Acme Health",
	 "jurisdiction=US"}, DEMO_APPLIED},
	{NULL, "council-ben", "user.appoint", {"account=insurer-acme", "role=insurer", "display_name=Acme Health",
	 "jurisdiction=US"}, DEMO_APPLIED},
	/* Care (issue 5; helpers in demo_care.c). Services, then twelve weeks of
	 * weekly availability in the time zone of whoever builds the demo, then
	 * sessions at the next free slots. Sessions cannot be booked in the past
	 * and contracts go by real time, so the demo holds no completed, no-show,
	 * disputed or settled session (they need the session's time to pass):
	 * it shows confirmed (accepted, and auto-accepted) and requested
	 * sessions, a declined request, a cancellation with a full refund, a
	 * reschedule, encrypted notes, and an insurance claim the insurer
	 * approved. therapist-noor, not verified yet, is refused. */
	DEMO_SERVICE("svc-maya", "therapist-maya", "Anxiety and depression (CBT)", "video", "50", "40",
		     "en,zh", "anxiety,depression", "yes", "no"),
	DEMO_SERVICE("svc-maya-sleep", "therapist-maya", "Sleep and stress check-in", "text", "25", "15",
		     "en", "sleep,stress", "no", "yes"),
	DEMO_SERVICE("svc-omar", "therapist-omar", "Trauma and grief therapy", "in_person", "60", "55",
		     "de,en,ar", "trauma,grief", "yes", "yes"),
	DEMO_SERVICE("svc-lin", "therapist-lin", "Couples counseling", "video", "80", "70", "en,ko",
		     "couples,stress", "no", "no"),
	{NULL, "therapist-noor", "service.publish", {"title=Eating disorders", "modality=individual",
	 "format=video", "duration_min=50", "price=45", "languages=en", "specialties=eating-disorders",
	 "insurance_accepted=no", "auto_accept=no"}, DEMO_REJECTED},
	{NULL, "therapist-maya", "availability.set", {"days=mon-fri", "hours=09:00-12:00,13:00-17:00"}, DEMO_APPLIED},
	{NULL, "therapist-omar", "availability.set", {"days=mon-thu", "hours=10:00-18:00"}, DEMO_APPLIED},
	{NULL, "therapist-lin", "availability.set", {"days=tue-sat", "hours=12:00-20:00"}, DEMO_APPLIED},
	/* sam: a confirmed session with maya, a private note and a shared summary */
	{"ses-sam", "patient-sam", "session.book", {"service=@svc-maya", "start=free+1d", "payment=token"}, DEMO_APPLIED},
	{NULL, "therapist-maya", "session.accept", {"session=@ses-sam"}, DEMO_APPLIED},
	{NULL, "therapist-maya", "note.add", {"session=@ses-sam", "shared=no",
	 "text=Intake: sleep trouble for 3 months, worry about work. Screen for burnout next time."}, DEMO_APPLIED},
	{NULL, "therapist-maya", "note.add", {"session=@ses-sam", "shared=yes",
	 "text=Summary for you: we agreed on a wind-down routine and a worry diary for two weeks."}, DEMO_APPLIED},
	/* sam asks lin for a couples session; lin declines (full refund) */
	{"ses-sam-lin", "patient-sam", "session.book", {"service=@svc-lin", "start=free+2d", "payment=token"}, DEMO_APPLIED},
	{NULL, "therapist-lin", "session.decline", {"session=@ses-sam-lin"}, DEMO_APPLIED},
	/* kai: confirmed at once, paid by insurance; the claim is approved */
	{"ses-kai", "patient-kai", "session.book", {"service=@svc-omar", "start=free+1d", "payment=insurance"}, DEMO_APPLIED},
	{"claim-kai", "patient-kai", "claim.submit", {"session=@ses-kai", "insurer=insurer-acme",
	 "policy=Acme Health plan AH-2231-77, member Kai Brandt"}, DEMO_APPLIED},
	{NULL, "insurer-acme", "claim.decide", {"claim=@claim-kai", "approved_amount=50"}, DEMO_APPLIED},
	/* ria: a request lin has not answered yet (paid outside the network) */
	{"ses-ria", "patient-ria", "session.book", {"service=@svc-lin", "start=free+3d", "payment=external"}, DEMO_APPLIED},
	/* dana: books maya's check-in, then moves it three days later */
	{"ses-dana", "member-dana", "session.book", {"service=@svc-maya-sleep", "start=free+2d", "payment=token"}, DEMO_APPLIED},
	{NULL, "member-dana", "session.reschedule", {"session=@ses-dana", "start=free+5d"}, DEMO_APPLIED},
	/* eli: books omar and cancels days ahead: a full refund */
	{"ses-eli", "member-eli", "session.book", {"service=@svc-omar", "start=free+4d", "payment=token"}, DEMO_APPLIED},
	{NULL, "member-eli", "session.cancel", {"session=@ses-eli"}, DEMO_APPLIED},
	/* Economy (issue 7). Stakes of every lock period (dana 30 and 365 days,
	 * eli 90 and 180, maya 180, ben 365), one below the minimum refused, and a
	 * claim of rewards (so dana's Wallet and Home show rewards received; the
	 * amount depends on the milliseconds between the ops). The
	 * council (threshold 2) paid one treasury spend, refused a replayed nonce,
	 * and council-ana's spend for eli waits for council-ben's signature.
	 * Reputation comes from held and rated sessions, which need real time to
	 * pass (see the care note above): the demo has no reputation history. */
	{"stake-dana", "member-dana", "staking.stake", {"amount=50", "period=30"}, DEMO_APPLIED},
	{NULL, "member-dana", "staking.stake", {"amount=100", "period=365"}, DEMO_APPLIED},
	{NULL, "member-eli", "staking.stake", {"amount=80", "period=90"}, DEMO_APPLIED},
	{NULL, "member-eli", "staking.stake", {"amount=60", "period=180"}, DEMO_APPLIED},
	{NULL, "therapist-maya", "staking.stake", {"amount=120", "period=180"}, DEMO_APPLIED},
	{NULL, "council-ben", "staking.stake", {"amount=300", "period=365"}, DEMO_APPLIED},
	{NULL, "patient-kai", "staking.stake", {"amount=0.5", "period=30"}, DEMO_REJECTED},
	{NULL, "member-dana", "staking.claim", {"stake=@stake-dana"}, DEMO_APPLIED},
	{"spend-omar", "council-ben", "treasury.propose_spend", {"to=therapist-omar", "amount=400",
	 "purpose=Arabic translation of the crisis resources", "nonce=1"}, DEMO_APPLIED},
	{NULL, "council-ana", "treasury.sign", {"spend=@spend-omar"}, DEMO_APPLIED},
	{NULL, "council-ben", "treasury.propose_spend", {"to=therapist-omar", "amount=400",
	 "purpose=Arabic translation of the crisis resources", "nonce=1"}, DEMO_REJECTED},
	{"spend-eli", "council-ana", "treasury.propose_spend", {"to=member-eli", "amount=250",
	 "purpose=Peer-support circle: room hire for three months", "nonce=1"}, DEMO_APPLIED},
	/* governance (issue 8): a peer-support group of three with posts, and a
	 * group proposal that is ACTIVE at once (gov_group_voting_delay is 0 s),
	 * so member-dana can vote on it in the Proposals screen in a few keys
	 * (select it, a, Enter). Platform proposals wait gov_voting_delay (1 day)
	 * before voting opens, so a platform proposal made here would stay
	 * pending for a day; the demo has none. */
	{"circle", "member-dana", "group.create", {"name=Sleep and anxiety circle",
	 "topic=sleep and anxiety", "policy=invite", "invite=member-eli,patient-sam",
	 "charter=Be kind. What is shared here stays here."}, DEMO_APPLIED},
	/* the key is shared after each join, so the demo's log has the same
	 * order every time (one share run orders members by their random keys) */
	{NULL, "member-eli", "group.join", {"group=@circle"}, DEMO_APPLIED},
	{NULL, "member-dana", "group.key_share", {"group=@circle"}, DEMO_APPLIED},
	{NULL, "patient-sam", "group.join", {"group=@circle"}, DEMO_APPLIED},
	{NULL, "member-dana", "group.key_share", {"group=@circle"}, DEMO_APPLIED},
	{NULL, "member-dana", "group.post", {"group=@circle",
	 "text=Welcome! A wind-down routine at 22:00 has helped me sleep this month."}, DEMO_APPLIED},
	{NULL, "member-eli", "group.post", {"group=@circle",
	 "text=Breathing 4-7-8 before bed works for me on anxious nights."}, DEMO_APPLIED},
	{NULL, "patient-sam", "group.post", {"group=@circle",
	 "text=First week without waking at 3am. Thank you all for the tips."}, DEMO_APPLIED},
	{"prop-circle", "member-eli", "gov.propose", {"kind=group", "group=@circle",
	 "title=Meet weekly on Thursday evenings",
	 "description=Add a weekly check-in to the charter.",
	 "action=group.rule charter=Be_kind._What_is_shared_here_stays_here._Weekly_check-in_on_Thursdays."},
	 DEMO_APPLIED},
	{NULL, NULL, NULL, {NULL}, DEMO_APPLIED},
};

#define DEMO_NSTEPS (sizeof demo_steps / sizeof demo_steps[0] - 1)

/* The genesis file of the demo: the built-in defaults with the council and
 * its threshold replaced. Written into the demo home for reference. */
static int demo_genesis_text(struct mv_buf *out, struct mv_err *err)
{
	const char *p = genesis_conf_default;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		const char *line = p;
		int rc;
		if (strncmp(line, "council_threshold", 17) == 0)
			rc = mv_buf_append(out, "council_threshold = " DEMO_COUNCIL_THRESHOLD "\n",
					   strlen("council_threshold = " DEMO_COUNCIL_THRESHOLD "\n"));
		else if (strncmp(line, "council", 7) == 0 && (line[7] == ' ' || line[7] == '='))
			rc = mv_buf_append(out, "council = " DEMO_COUNCIL "\n",
					   strlen("council = " DEMO_COUNCIL "\n"));
		else
			rc = mv_buf_append(out, line, n);
		if (rc != MV_OK)
			return mv_fail(err, MV_ERR, "out of memory");
		p += n;
	}
	return MV_OK;
}

static int demo_write_genesis(const char *dir, char *path, size_t pathlen, struct mv_err *err)
{
	struct mv_buf text = {NULL, 0, 0};
	int n = snprintf(path, pathlen, "%s/genesis.demo", dir);
	if (n < 0 || (size_t)n >= pathlen)
		return mv_fail(err, MV_EINVAL, "demo directory path too long");
	int rc = demo_genesis_text(&text, err);
	if (rc == MV_OK)
		rc = mv_write_file_atomic(path, text.data, text.len, 0644, err);
	mv_buf_free(&text);
	return rc;
}

/* The founder and everyone in demo_people, all with the empty passphrase.
 * The founder is made here so that home_init finds it and does not ask. */
static int demo_identities(struct home *h, struct mv_err *err)
{
	uint8_t pk[32];
	int rc = keystore_create(h->keydir, "founder", DEMO_PASS, pk, err);
	for (const char *const *p = demo_people; rc == MV_OK && *p; p++)
		rc = keystore_create(h->keydir, *p, DEMO_PASS, pk, err);
	return rc;
}

/* "name=@label" -> "name=<hex id of the op labelled label>" in buf. */
static int demo_field(const char *f, const uint8_t (*ids)[32], size_t upto, char *buf,
		      size_t buflen, struct mv_err *err)
{
	const char *eq = strchr(f, '=');
	if (!eq || eq[1] != '@') {
		snprintf(buf, buflen, "%s", f);
		return MV_OK;
	}
	for (size_t i = 0; i < upto; i++) {
		if (!demo_steps[i].label || strcmp(demo_steps[i].label, eq + 2) != 0)
			continue;
		char hex[65];
		mv_hex(hex, ids[i], 32);
		snprintf(buf, buflen, "%.*s=%s", (int)(eq - f), f, hex);
		return MV_OK;
	}
	return mv_fail(err, MV_EINVAL, "demo: no earlier step labelled '%s'", eq + 2);
}

/* ---- people steps: home helpers that encrypt private data ---------------- */

/* Value of field name among "name=value" fields, or NULL. */
static const char *demo_value(char *const *fields, int n, const char *name)
{
	size_t len = strlen(name);
	for (int i = 0; i < n; i++)
		if (strncmp(fields[i], name, len) == 0 && fields[i][len] == '=')
			return fields[i] + len + 1;
	return NULL;
}

static int demo_register(struct home *h, const char *as, char *const *fields, int n,
			 struct submit_result *res, struct mv_err *err)
{
	struct home_register_args a = {
		demo_value(fields, n, "role"), demo_value(fields, n, "display_name"),
		demo_value(fields, n, "jurisdiction"), demo_value(fields, n, "bio"),
		demo_value(fields, n, "languages"), demo_value(fields, n, "private"),
		demo_value(fields, n, "emergency"),
	};
	return home_people_register(h, as, &a, res, err);
}

static int demo_verify_submit(struct home *h, const char *as, char *const *fields, int n,
			      struct submit_result *res, struct mv_err *err)
{
	struct home_verify_args a;
	const char *proof = demo_value(fields, n, "proof");
	memset(&a, 0, sizeof a);
	a.license_no = demo_value(fields, n, "license_no");
	a.board = demo_value(fields, n, "board");
	a.jurisdiction = demo_value(fields, n, "jurisdiction");
	a.specialties = demo_value(fields, n, "specialties");
	a.proof = proof;
	a.proof_len = proof ? strlen(proof) : 0;
	if (mv_time_parse(demo_value(fields, n, "expires"), &a.expires, err) != MV_OK)
		return MV_EINVAL;
	return home_people_verify_submit(h, as, &a, res, err);
}

static int demo_share(struct home *h, const char *as, char *const *fields, int n,
		      struct submit_result *res, struct mv_err *err)
{
	uint8_t to[32];
	if (home_resolve_account(h, demo_value(fields, n, "to"), to, err) != MV_OK)
		return MV_EINVAL;
	return home_people_share(h, as, to, "profile", res, err);
}

/* Submit step i and check it had the outcome the demo expects. */
static int demo_run_step(struct home *h, size_t i, uint8_t (*ids)[32], struct mv_err *err)
{
	const struct demo_step *s = &demo_steps[i];
	char bufs[DEMO_MAX_FIELDS][256], *fields[DEMO_MAX_FIELDS];
	struct submit_result res;
	int n = 0;
	for (; n < DEMO_MAX_FIELDS && s->fields[n]; n++) {
		if (demo_field(s->fields[n], (const uint8_t (*)[32])ids, i, bufs[n], sizeof bufs[n],
			       err) != MV_OK)
			return MV_EINVAL;
		fields[n] = bufs[n];
	}
	size_t k = 0, nh = sizeof demo_helpers / sizeof demo_helpers[0];
	while (k < nh && strcmp(demo_helpers[k].kind, s->kind) != 0)
		k++;
	int rc = k < nh ? demo_helpers[k].run(h, s->as, fields, n, &res, err)
			: home_submit_fields(h, s->as, s->kind, n, fields, &res, err);
	if (rc != MV_OK)
		return mv_fail(err, MV_ERR, "demo step %zu (%s by %s): %s", i + 1, s->kind, s->as,
			       err->msg);
	memcpy(ids[i], res.id, 32);
	if (res.outcome != (int)s->expect)
		return mv_fail(err, MV_ERR, "demo step %zu (%s by %s): expected %s, got %s%s%s", i + 1,
			       s->kind, s->as, s->expect == DEMO_APPLIED ? "applied" : "rejected",
			       res.outcome == 1 ? "applied" : res.outcome == 0 ? "rejected" : "pending",
			       res.outcome == 0 ? ": " : "", res.outcome == 0 ? res.reason : "");
	return MV_OK;
}

static int demo_build(struct home *h, const char *dir, struct mv_err *err)
{
	char genesis[4200];
	uint8_t (*ids)[32] = calloc(DEMO_NSTEPS ? DEMO_NSTEPS : 1, sizeof *ids);
	if (!ids)
		return mv_fail(err, MV_ERR, "out of memory");
	int rc = demo_identities(h, err);
	if (rc == MV_OK)
		rc = demo_write_genesis(dir, genesis, sizeof genesis, err);
	if (rc == MV_OK)
		rc = home_init(h, DEMO_NETWORK, genesis, err);
	for (size_t i = 0; rc == MV_OK && i < DEMO_NSTEPS; i++)
		rc = demo_run_step(h, i, ids, err);
	free(ids);
	return rc;
}

/* The demo home must be new: no network and no identities yet. */
static int demo_check_empty(struct home *h, struct mv_err *err)
{
	char name[KS_NAME_MAX + 1];
	struct mv_err e;
	if (h->has_network)
		return mv_fail(err, MV_EEXIST, "%s already holds network %s; the demo needs an empty "
			       "directory", h->dir, h->network_name);
	if (home_default_identity(h, name, sizeof name, &e) == MV_OK)
		return mv_fail(err, MV_EEXIST, "%s already holds identities (e.g. %s); the demo "
			       "needs an empty directory", h->dir, name);
	return MV_OK;
}

int demo_create(const char *dir, struct mv_err *err)
{
	struct home *h = NULL;
	char *saved = NULL;
	const char *env = getenv("MENTALVERSE_PASSPHRASE");
	if (env && !(saved = strdup(env)))
		return mv_fail(err, MV_ERR, "out of memory");
	int rc = home_open(&h, dir, true, err);
	if (rc == MV_OK)
		rc = demo_check_empty(h, err);
	if (rc == MV_OK) {
		unsetenv("MENTALVERSE_PASSPHRASE"); /* demo keys use the empty passphrase */
		rc = demo_build(h, dir, err);
		if (saved)
			setenv("MENTALVERSE_PASSPHRASE", saved, 1);
	}
	free(saved);
	home_close(h);
	return rc;
}
