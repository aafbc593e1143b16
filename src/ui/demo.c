/* demo.c - the demo network: a home named "mentalverse-demo" with a council
 * of two (threshold 2), four therapists (three verified, one waiting for
 * the council), three patients, two DAO members and an insurer appointed by
 * the council, funded from the founder, with eight weeks of history.
 * Everyone is registered; patients go by pseudonyms with encrypted private
 * profiles.
 *
 * Everything is made through the core API exactly as a person would make
 * it: identities by the keystore, the network by home_init with a genesis
 * file, and every balance and every piece of history by signed ops through
 * home_submit_fields. Nothing writes a table directly. The structure is
 * fixed (the same names, the same ops in the same order, the same outcomes);
 * only keys, and so op ids, differ between runs (and blob hashes: private
 * data is encrypted with fresh random keys).
 *
 * A timeline: contracts go by time (a session is held after it starts, a
 * dispute window passes, a stake unlocks, a proposal's vote opens a day
 * after it is made), so the demo starts eight weeks ago and moves its clock
 * forward step by step (demo_clock.h: the process clock offset, never
 * backwards), then returns to the real time for what is still to come. Its
 * ops carry the clocks of those days, exactly as if they had been made then;
 * every rule applies as it would to anyone (a step with the wrong outcome
 * stops the demo). History is written in local weekday times ("W-8 thu
 * 10:00"), so sessions meet the therapists' weekly hours whatever day the
 * demo is built; the recent steps are relative to now ("now-3d").
 *
 * The demo is a list of steps: each later feature appends its rows to
 * demo_steps[]. A step may name its op with a label; a later field value
 * "@label" is replaced by that op's id in hex. Rows without a signer move
 * the clock (DEMO_AT, DEMO_AFTER, DEMO_AT_SESSION).
 *
 * Passphrases: every demo identity uses the documented empty passphrase (the
 * key files protect nothing); MENTALVERSE_PASSPHRASE is ignored while the
 * demo is built. */
#include "ui/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checkpoint.h"
#include "core/genesis_conf.h"
#include "core/home.h"
#include "core/home_people.h"
#include "core/query_care.h"
#include "ui/demo_care.h"
#include "ui/demo_clock.h"
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
/* The genesis's staking emission, shared by the demo's few stakers. The
 * default (5000 MVT a day) is sized for a network of thousands of stakers:
 * over eight weeks it would pay the demo's 50 MVT stake about 130 MVT a
 * day. */
#define DEMO_STAKE_REWARD_PER_DAY "2 MVT"
/* When the network was made (genesis), on the timeline. */
#define DEMO_GENESIS_AT "W-8 mon 08:00"

enum demo_expect { DEMO_APPLIED = 1, DEMO_REJECTED = 0 };

/* One op of the demo, signed by `as`; with as NULL, a move of the clock
 * (kind DEMO_CLOCK: at=TIME exactly, after=TIME unless already past, or
 * session=@label at=DURATION from that session's start). */
struct demo_step {
	const char *label;  /* names this op for "@label" values later, or NULL */
	const char *as;
	const char *kind;
	const char *fields[DEMO_MAX_FIELDS]; /* "name=value", NULL ends */
	enum demo_expect expect;
};

#define DEMO_CLOCK "demo.clock"

static int demo_register(struct home *h, const char *as, char *const *fields, int n,
			 struct submit_result *res, struct mv_err *err);
static int demo_verify_submit(struct home *h, const char *as, char *const *fields, int n,
			      struct submit_result *res, struct mv_err *err);
static int demo_share(struct home *h, const char *as, char *const *fields, int n,
		      struct submit_result *res, struct mv_err *err);
static int demo_checkpoint(struct home *h, const char *as, char *const *fields, int n,
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
	/* finality: a council member proposes or co-signs the next checkpoint */
	{"checkpoint", demo_checkpoint},
	/* care: times of the timeline, encrypted notes, comments, reasons, policies */
	{"availability.set", demo_care_availability},
	{"session.book", demo_care_book},
	{"session.reschedule", demo_care_reschedule},
	{"note.add", demo_care_note},
	{"session.rate", demo_care_rate},
	{"session.dispute", demo_care_dispute},
	{"claim.submit", demo_care_claim},
	/* the companion: check-ins on this node, a share sealed to the therapist */
	{"companion.checkin", demo_care_checkin},
	{"access.share_mood", demo_care_share_mood},
	/* governance: group keys, encrypted posts, proposals with a typed action */
	{"group.create", demo_gov_group_create},
	{"group.key_share", demo_gov_key_share},
	{"group.post", demo_gov_post},
	{"gov.propose", demo_gov_propose},
};

/* A companion check-in of `who` at TIME (demo_clock.h): kept on this node,
 * encrypted, not an op. */
#define DEMO_MOOD(who, at, score, tags, note) \
	{NULL, who, "companion.checkin", {"at=" at, "score=" score, "tags=" tags, "note=" note}, \
	 DEMO_APPLIED}

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
/* The weekly hours of the three verified therapists, expanded for 12 weeks
 * from the demo's current time. */
#define DEMO_HOURS \
	{NULL, "therapist-maya", "availability.set", {"days=mon-fri", "hours=09:00-12:00,13:00-17:00"}, \
	 DEMO_APPLIED}, \
	{NULL, "therapist-omar", "availability.set", {"days=mon-thu", "hours=10:00-18:00"}, DEMO_APPLIED}, \
	{NULL, "therapist-lin", "availability.set", {"days=tue-sat", "hours=12:00-20:00"}, DEMO_APPLIED}

/* Clock rows: to a time exactly (the demo must not be past it), to a time
 * unless already past, to a duration from a session's start. */
#define DEMO_AT(when) {NULL, NULL, DEMO_CLOCK, {"at=" when}, DEMO_APPLIED}
#define DEMO_AFTER(when) {NULL, NULL, DEMO_CLOCK, {"after=" when}, DEMO_APPLIED}
#define DEMO_AT_SESSION(ses, rel) {NULL, NULL, DEMO_CLOCK, {"session=@" ses, "at=" rel}, DEMO_APPLIED}
/* An op of `who` on session ses (accept, checkin, complete, no_show, settle). */
#define DEMO_ON(who, kind, ses) {NULL, who, "session." kind, {"session=@" ses}, DEMO_APPLIED}
/* A session held: both check in 5 minutes before the start, the therapist
 * marks it completed `dur` after the start. */
#define DEMO_HELD(ses, patient, therapist, dur) \
	DEMO_AT_SESSION(ses, "-5m"), DEMO_ON(patient, "checkin", ses), DEMO_ON(therapist, "checkin", ses), \
	DEMO_AT_SESSION(ses, dur), DEMO_ON(therapist, "complete", ses)
#define DEMO_RATE(who, ses, stars, comment) \
	{NULL, who, "session.rate", {"session=@" ses, "stars=" stars, "comment=" comment}, DEMO_APPLIED}
#define DEMO_VOTE(who, prop, choice) \
	{NULL, who, "gov.vote", {"proposal=@" prop, "choice=" choice}, DEMO_APPLIED}
#define DEMO_HELPFUL(who, post) {NULL, who, "post.helpful", {"post=@" post}, DEMO_APPLIED}
/* The council makes the history final: council-ana proposes a checkpoint of
 * everything so far, council-ben co-signs it (threshold 2), as their nodes
 * would (home_checkpoint_tick). */
#define DEMO_CHECKPOINT \
	{NULL, "council-ana", "checkpoint", {"force=yes"}, DEMO_APPLIED}, \
	{NULL, "council-ben", "checkpoint", {NULL}, DEMO_APPLIED}

static const struct demo_step demo_steps[] = {
	/* ================= week -8: the network starts ================= */
	/* Welcome grants from the founder's allocation. */
	{NULL, "founder", "ledger.transfer", {"to=council-ana", "amount=1000", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=council-ben", "amount=1000", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=therapist-maya", "amount=500", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=therapist-omar", "amount=500", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=therapist-lin", "amount=500", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=patient-sam", "amount=400", "memo=welcome grant"}, DEMO_APPLIED},
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
	{NULL, "founder", "ledger.transfer", {"to=therapist-noor", "amount=500", "memo=welcome grant"}, DEMO_APPLIED},
	{NULL, "founder", "ledger.transfer", {"to=insurer-acme", "amount=1000", "memo=welcome grant"}, DEMO_APPLIED},
	/* People (before any service: only verified therapists publish). Everyone
	 * registers, patients under pseudonyms with private profiles encrypted to
	 * themselves; the council (both members sign) verifies maya, omar and
	 * lin; therapist-noor's application waits for the council; patient-sam
	 * names two guardians and shares the private profile with maya; the
	 * council appoints an insurer. */
	DEMO_AT("W-8 mon 09:00"),
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
	DEMO_AT("W-8 tue 10:00"),
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
	/* Care (issue 5; helpers in demo_care.c): services and twelve weeks of
	 * weekly hours in the time zone of whoever builds the demo.
	 * therapist-noor, not verified yet, is refused. */
	DEMO_AT("W-8 wed 09:00"),
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
	DEMO_HOURS,
	/* Economy (issue 7): stakes of every lock period (dana 30 and 365 days,
	 * eli 90 and 180, maya 180, ben 365), one below the minimum refused.
	 * dana's 30-day stake is unlocked by now and left for her to take back. */
	DEMO_AT("W-8 wed 12:00"),
	{"stake-dana", "member-dana", "staking.stake", {"amount=50", "period=30"}, DEMO_APPLIED},
	{NULL, "member-eli", "staking.stake", {"amount=80", "period=90"}, DEMO_APPLIED},
	{NULL, "therapist-maya", "staking.stake", {"amount=120", "period=180"}, DEMO_APPLIED},
	{NULL, "council-ben", "staking.stake", {"amount=600", "period=365"}, DEMO_APPLIED},
	{NULL, "patient-kai", "staking.stake", {"amount=0.5", "period=30"}, DEMO_REJECTED},
	/* (a second stake later, so that each person's stakes list in one order:
	 * stakes made in the same millisecond list in id order) */
	DEMO_AT("W-8 wed 12:30"),
	{NULL, "member-dana", "staking.stake", {"amount=100", "period=365"}, DEMO_APPLIED},
	{NULL, "member-eli", "staking.stake", {"amount=60", "period=180"}, DEMO_APPLIED},
	/* sam's first session with maya: held, notes, rated, settled after the
	 * dispute window (session rewards from the pool, reliability for both) */
	DEMO_AT("W-8 wed 14:00"),
	{"ses-sam-1", "patient-sam", "session.book", {"service=@svc-maya", "start=W-8 thu 10:00", "payment=token"},
	 DEMO_APPLIED},
	DEMO_ON("therapist-maya", "accept", "ses-sam-1"),
	DEMO_HELD("ses-sam-1", "patient-sam", "therapist-maya", "+50m"),
	{NULL, "therapist-maya", "note.add", {"session=@ses-sam-1", "shared=no",
	 "text=Intake: sleep trouble for 3 months, worry about work. Screen for burnout next time."}, DEMO_APPLIED},
	{NULL, "therapist-maya", "note.add", {"session=@ses-sam-1", "shared=yes",
	 "text=Summary for you: we agreed on a wind-down routine and a worry diary for two weeks."}, DEMO_APPLIED},
	DEMO_AT("W-8 fri 18:00"),
	DEMO_RATE("patient-sam", "ses-sam-1", "5", "I felt heard. The worry diary is a good idea."),
	DEMO_AT("W-8 sun 20:00"),
	DEMO_CHECKPOINT,

	/* ================= week -7 ================= */
	DEMO_AT("W-7 mon 09:00"),
	DEMO_ON("therapist-maya", "settle", "ses-sam-1"),
	/* dana: maya's check-in (auto-accepted) */
	{"ses-dana-1", "member-dana", "session.book", {"service=@svc-maya-sleep", "start=W-7 tue 09:00",
	 "payment=token"}, DEMO_APPLIED},
	/* maya stakes for 30 days and takes it back once unlocked (week -2) */
	DEMO_AT("W-7 mon 12:00"),
	{"stake-maya-30", "therapist-maya", "staking.stake", {"amount=40", "period=30"}, DEMO_APPLIED},
	/* kai: omar, paid by insurance; acme approves and pays the claim */
	DEMO_AT("W-7 mon 13:00"),
	{"ses-kai-1", "patient-kai", "session.book", {"service=@svc-omar", "start=W-7 wed 11:00",
	 "payment=insurance"}, DEMO_APPLIED},
	{"claim-kai-1", "patient-kai", "claim.submit", {"session=@ses-kai-1", "insurer=insurer-acme",
	 "policy=Acme Health plan AH-2231-77, member Kai Brandt"}, DEMO_APPLIED},
	DEMO_AT("W-7 mon 14:00"),
	{"ses-sam-2", "patient-sam", "session.book", {"service=@svc-maya", "start=W-7 thu 10:00", "payment=token"},
	 DEMO_APPLIED},
	DEMO_ON("therapist-maya", "accept", "ses-sam-2"),
	DEMO_AT("W-7 mon 16:00"),
	{NULL, "insurer-acme", "claim.decide", {"claim=@claim-kai-1", "approved_amount=55"}, DEMO_APPLIED},
	DEMO_HELD("ses-dana-1", "member-dana", "therapist-maya", "+25m"),
	DEMO_AT("W-7 tue 20:00"),
	DEMO_RATE("member-dana", "ses-dana-1", "5", "Short and practical."),
	DEMO_HELD("ses-kai-1", "patient-kai", "therapist-omar", "+60m"),
	DEMO_AT("W-7 wed 19:00"),
	DEMO_RATE("patient-kai", "ses-kai-1", "4", "Calm and clear. The room was cold."),
	{NULL, "insurer-acme", "claim.pay", {"claim=@claim-kai-1", "method=token"}, DEMO_APPLIED},
	/* ria: lin's couples session, paid outside the network */
	DEMO_AT("W-7 thu 09:00"),
	{"ses-ria-1", "patient-ria", "session.book", {"service=@svc-lin", "start=W-7 sat 14:00",
	 "payment=external"}, DEMO_APPLIED},
	DEMO_HELD("ses-sam-2", "patient-sam", "therapist-maya", "+50m"),
	{NULL, "therapist-maya", "note.add", {"session=@ses-sam-2", "shared=yes",
	 "text=Summary for you: the diary shows work email after 21:00. Try a cut-off at 21:00."}, DEMO_APPLIED},
	DEMO_AT("W-7 thu 12:30"),
	DEMO_ON("therapist-lin", "accept", "ses-ria-1"),
	DEMO_AT("W-7 thu 18:00"),
	DEMO_RATE("patient-sam", "ses-sam-2", "4", "Useful. I would like more time for questions."),
	DEMO_AT("W-7 fri 10:00"),
	DEMO_ON("member-dana", "settle", "ses-dana-1"),
	DEMO_HELD("ses-ria-1", "patient-ria", "therapist-lin", "+80m"),
	{NULL, "therapist-lin", "payment.record", {"session=@ses-ria-1", "method=card",
	 "external_ref=receipt 2231"}, DEMO_APPLIED},
	DEMO_AT("W-7 sat 20:00"),
	DEMO_RATE("patient-ria", "ses-ria-1", "5", "We finally talked without shouting."),
	DEMO_AT("W-7 sun 12:00"),
	DEMO_ON("therapist-omar", "settle", "ses-kai-1"),
	DEMO_AT("W-7 sun 20:00"),
	DEMO_CHECKPOINT,

	/* ================= week -6 ================= */
	DEMO_AT("W-6 mon 09:00"),
	DEMO_ON("patient-sam", "settle", "ses-sam-2"),
	/* kai misses a session; omar declares the no-show; kai disputes it and
	 * the council (both members) refunds it in full */
	{"ses-kai-2", "patient-kai", "session.book", {"service=@svc-omar", "start=W-6 wed 11:00", "payment=token"},
	 DEMO_APPLIED},
	/* ria misses lin's next session: a no-show that settles against her */
	DEMO_AT("W-6 mon 14:00"),
	{"ses-ria-2", "patient-ria", "session.book", {"service=@svc-lin", "start=W-6 tue 12:00",
	 "payment=external"}, DEMO_APPLIED},
	DEMO_AT("W-6 mon 15:00"),
	DEMO_ON("therapist-lin", "accept", "ses-ria-2"),
	/* governance (issue 8): a peer-support group of three; the key is shared
	 * after each join, so the demo's log has the same order every time (one
	 * share run orders members by their random keys) */
	DEMO_AT("W-6 mon 19:00"),
	{"circle", "member-dana", "group.create", {"name=Sleep and anxiety circle",
	 "topic=sleep and anxiety", "policy=invite", "invite=member-eli,patient-sam",
	 "charter=Be kind. What is shared here stays here."}, DEMO_APPLIED},
	{NULL, "member-eli", "group.join", {"group=@circle"}, DEMO_APPLIED},
	{NULL, "member-dana", "group.key_share", {"group=@circle"}, DEMO_APPLIED},
	DEMO_AT("W-6 tue 08:00"),
	{NULL, "patient-sam", "group.join", {"group=@circle"}, DEMO_APPLIED},
	{NULL, "member-dana", "group.key_share", {"group=@circle"}, DEMO_APPLIED},
	DEMO_AT_SESSION("ses-ria-2", "-5m"),
	DEMO_ON("therapist-lin", "checkin", "ses-ria-2"),
	DEMO_AT_SESSION("ses-ria-2", "+20m"),
	DEMO_ON("therapist-lin", "no_show", "ses-ria-2"),
	DEMO_AT("W-6 tue 21:00"),
	{"post-dana", "member-dana", "group.post", {"group=@circle",
	 "text=Welcome! A wind-down routine at 22:00 has helped me sleep this month."}, DEMO_APPLIED},
	DEMO_AT_SESSION("ses-kai-2", "-5m"),
	DEMO_ON("therapist-omar", "checkin", "ses-kai-2"),
	DEMO_AT_SESSION("ses-kai-2", "+20m"),
	DEMO_ON("therapist-omar", "no_show", "ses-kai-2"),
	DEMO_AT("W-6 wed 22:00"),
	{"post-eli", "member-eli", "group.post", {"group=@circle",
	 "text=Breathing 4-7-8 before bed works for me on anxious nights."}, DEMO_APPLIED},
	DEMO_HELPFUL("member-eli", "post-dana"),
	DEMO_AT("W-6 thu 09:00"),
	{NULL, "patient-kai", "session.dispute", {"session=@ses-kai-2",
	 "reason=I was at the door at 11:00. It was locked and nobody answered the bell."}, DEMO_APPLIED},
	DEMO_AT("W-6 fri 10:00"),
	{NULL, "council-ana", "session.resolve", {"session=@ses-kai-2", "refund_percent=100"}, DEMO_APPLIED},
	DEMO_AT("W-6 fri 11:00"),
	{NULL, "council-ben", "session.resolve", {"session=@ses-kai-2", "refund_percent=100"}, DEMO_APPLIED},
	DEMO_AT("W-6 fri 13:00"),
	DEMO_ON("therapist-lin", "settle", "ses-ria-1"),
	DEMO_ON("therapist-lin", "settle", "ses-ria-2"),
	DEMO_AT("W-6 sun 20:00"),
	DEMO_CHECKPOINT,

	/* ================= week -5 ================= */
	DEMO_AT("W-5 mon 09:00"),
	{"ses-dana-2", "member-dana", "session.book", {"service=@svc-maya-sleep", "start=W-5 tue 09:00",
	 "payment=token"}, DEMO_APPLIED},
	/* eli books omar and cancels two hours before: half the price back */
	{"ses-eli-1", "member-eli", "session.book", {"service=@svc-omar", "start=W-5 tue 10:00", "payment=token"},
	 DEMO_APPLIED},
	DEMO_AT("W-5 mon 21:00"),
	{"post-sam", "patient-sam", "group.post", {"group=@circle",
	 "text=First week without waking at 3am. Thank you all for the tips."}, DEMO_APPLIED},
	DEMO_HELPFUL("patient-sam", "post-dana"),
	DEMO_HELPFUL("patient-sam", "post-eli"),
	DEMO_AT("W-5 tue 07:30"),
	DEMO_HELPFUL("member-dana", "post-sam"),
	DEMO_AT("W-5 tue 08:00"),
	DEMO_ON("member-eli", "cancel", "ses-eli-1"),
	DEMO_HELD("ses-dana-2", "member-dana", "therapist-maya", "+25m"),
	DEMO_AT("W-5 tue 20:00"),
	DEMO_RATE("member-dana", "ses-dana-2", "4", "Helpful, but it felt rushed."),
	/* A platform proposal (voting opens a day later): community rewards from
	 * the pool. dana and eli vote for, maya against; ben's vote makes the
	 * outcome certain (decided early), and after the 2-day timelock dana
	 * executes it. */
	DEMO_AT("W-5 wed 10:00"),
	{"prop-rewards", "council-ben", "gov.propose", {"kind=rewards",
	 "title=Community rewards for the first month",
	 "description=Thank the two hosts of the Sleep and anxiety circle: 20 MVT each from the reward pool.",
	 "action=rewards.distribute period=first-month accounts=member-dana,member-eli "
	 "amounts=2000000000,2000000000"}, DEMO_APPLIED},
	DEMO_AT("W-5 thu 12:00"),
	DEMO_VOTE("member-dana", "prop-rewards", "for"),
	DEMO_VOTE("member-eli", "prop-rewards", "for"),
	{NULL, "therapist-maya", "gov.vote", {"proposal=@prop-rewards", "choice=against",
	 "reason=The pool should pay for sessions first."}, DEMO_APPLIED},
	DEMO_VOTE("council-ben", "prop-rewards", "for"),
	DEMO_AT("W-5 fri 10:00"),
	DEMO_ON("member-dana", "settle", "ses-dana-2"),
	DEMO_AT("W-5 sun 20:00"),
	DEMO_CHECKPOINT,

	/* ================= week -4 ================= */
	DEMO_AT("W-4 mon 09:00"),
	{NULL, "member-dana", "gov.execute", {"proposal=@prop-rewards"}, DEMO_APPLIED},
	/* dana claims her 30-day stake's rewards (she keeps it staked) */
	DEMO_AT("W-4 mon 12:00"),
	{NULL, "member-dana", "staking.claim", {"stake=@stake-dana"}, DEMO_APPLIED},
	/* The council (threshold 2) pays one treasury spend and refuses a
	 * replayed nonce. */
	DEMO_AT("W-4 tue 10:00"),
	{"spend-omar", "council-ben", "treasury.propose_spend", {"to=therapist-omar", "amount=400",
	 "purpose=Arabic translation of the crisis resources", "nonce=1"}, DEMO_APPLIED},
	DEMO_AT("W-4 tue 15:00"),
	{NULL, "council-ana", "treasury.sign", {"spend=@spend-omar"}, DEMO_APPLIED},
	{NULL, "council-ben", "treasury.propose_spend", {"to=therapist-omar", "amount=400",
	 "purpose=Arabic translation of the crisis resources", "nonce=1"}, DEMO_REJECTED},
	DEMO_AT("W-4 sun 20:00"),
	DEMO_CHECKPOINT,

	/* ================= weeks -3 and -2 ================= */
	DEMO_AT("W-3 wed 22:00"),
	{"post-eli-2", "member-eli", "group.post", {"group=@circle",
	 "text=A screen-free hour before bed: I fell asleep faster four nights out of seven."}, DEMO_APPLIED},
	DEMO_AT("W-3 thu 07:00"),
	DEMO_HELPFUL("member-dana", "post-eli-2"),
	DEMO_AT("W-3 sun 20:00"),
	DEMO_CHECKPOINT,
	DEMO_AT("W-2 mon 10:00"),
	{NULL, "therapist-maya", "staking.unstake", {"stake=@stake-maya-30"}, DEMO_APPLIED},
	/* eli's session ends 25 minutes early; eli disputes it and the escrow
	 * waits for the council (still open now) */
	{"ses-eli-2", "member-eli", "session.book", {"service=@svc-omar", "start=W-2 tue 10:00", "payment=token"},
	 DEMO_APPLIED},
	DEMO_HELD("ses-eli-2", "member-eli", "therapist-omar", "+35m"),
	DEMO_AT("W-2 wed 18:00"),
	{NULL, "member-eli", "session.dispute", {"session=@ses-eli-2",
	 "reason=The session ended after 35 of 60 minutes. I ask for half of the price back."}, DEMO_APPLIED},
	DEMO_AT("W-2 sun 20:00"),
	DEMO_CHECKPOINT,

	/* ================= the last days (relative to now) ================= */
	/* A platform proposal active now: made three days ago, voting opened a
	 * day later and runs for a week. eli voted for; member-dana can vote in
	 * the Proposals screen in a few keys. */
	DEMO_AT("now-3d"),
	{"prop-param", "council-ben", "gov.propose", {"kind=param",
	 "title=Reward patients 2 MVT per completed session",
	 "description=Patients who complete a session get 2 MVT instead of 1 from the reward pool.",
	 "action=param.set name=session_reward_patient value=200000000"}, DEMO_APPLIED},
	/* sam's latest session: held, not yet settled (its dispute window is
	 * open) and not yet rated */
	{"ses-sam-3", "patient-sam", "session.book", {"service=@svc-maya", "start=last before now-3h",
	 "payment=token"}, DEMO_APPLIED},
	DEMO_ON("therapist-maya", "accept", "ses-sam-3"),
	DEMO_HELD("ses-sam-3", "patient-sam", "therapist-maya", "+50m"),
	{NULL, "therapist-maya", "note.add", {"session=@ses-sam-3", "shared=yes",
	 "text=Summary for you: the 21:00 cut-off held on most days. Next: a weekend routine."}, DEMO_APPLIED},
	/* council-ana's spend for eli waits for council-ben's signature */
	DEMO_AFTER("now-2d"),
	{"spend-eli", "council-ana", "treasury.propose_spend", {"to=member-eli", "amount=250",
	 "purpose=Peer-support circle: room hire for three months", "nonce=1"}, DEMO_APPLIED},
	DEMO_AFTER("now-1d"),
	DEMO_VOTE("member-eli", "prop-param", "for"),

	/* sam keeps a mood diary in the companion (on this node only: not ops)
	 * and shares the last 30 days with maya, who sees the chart in Clients */
	DEMO_MOOD("patient-sam", "W-8 wed 21:00", "3", "sleep,work", "Could not fall asleep again."),
	DEMO_MOOD("patient-sam", "W-7 mon 21:00", "4", "sleep", "Tried the worry diary."),
	DEMO_MOOD("patient-sam", "W-7 fri 20:30", "5", "friends", "Dinner with Kai."),
	DEMO_MOOD("patient-sam", "W-6 tue 21:00", "4", "work", "Deadline week."),
	DEMO_MOOD("patient-sam", "W-5 sun 19:00", "6", "sleep,exercise", "Walked by the lake."),
	DEMO_MOOD("patient-sam", "W-4 wed 21:30", "5", "work", ""),
	DEMO_MOOD("patient-sam", "W-3 mon 21:00", "6", "sleep", "21:00 screen cut-off works."),
	DEMO_MOOD("patient-sam", "W-2 thu 20:00", "7", "friends,exercise", "Good week."),
	DEMO_MOOD("patient-sam", "W-1 tue 21:00", "5", "work", "Stress at work is rising."),
	DEMO_MOOD("patient-sam", "now-2d", "6", "sleep", "Slept seven hours."),
	DEMO_MOOD("patient-sam", "now-1d", "7", "exercise", ""),
	{NULL, "patient-sam", "access.share_mood", {"days=30"}, DEMO_APPLIED},

	/* ================= now ================= */
	/* The therapists keep 12 weeks of hours ahead; then sessions at the next
	 * free slots: confirmed (accepted, and auto-accepted) and requested
	 * sessions, a declined request, a cancellation with a full refund, a
	 * reschedule, an encrypted note, and an insurance claim the insurer
	 * approved. */
	DEMO_AT("now"),
	DEMO_HOURS,
	/* sam: the next session with maya, and her private note to prepare it */
	{"ses-sam", "patient-sam", "session.book", {"service=@svc-maya", "start=free+1d", "payment=token"}, DEMO_APPLIED},
	{NULL, "therapist-maya", "session.accept", {"session=@ses-sam"}, DEMO_APPLIED},
	{NULL, "therapist-maya", "note.add", {"session=@ses-sam", "shared=no",
	 "text=Plan: review the weekend routine; screen for burnout (work stress is rising)."}, DEMO_APPLIED},
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
	/* a group proposal is ACTIVE at once (gov_group_voting_delay is 0 s) and
	 * runs 3 days, so member-dana can vote on it in the Proposals screen
	 * (select it, a, Enter) */
	{"prop-circle", "member-eli", "gov.propose", {"kind=group", "group=@circle",
	 "title=Meet weekly on Thursday evenings",
	 "description=Add a weekly check-in to the charter.",
	 "action=group.rule charter=\"Be kind. What is shared here stays here. Weekly check-in on Thursdays.\""},
	 DEMO_APPLIED},
	{NULL, NULL, NULL, {NULL}, DEMO_APPLIED},
};

#define DEMO_NSTEPS (sizeof demo_steps / sizeof demo_steps[0] - 1)

/* The genesis file of the demo: the built-in defaults with these lines
 * replaced. Written into the demo home for reference. */
static const struct {
	const char *key; /* a line "key = ..." or "key=..." */
	const char *line;
} demo_genesis_lines[] = {
	{"council_threshold", "council_threshold = " DEMO_COUNCIL_THRESHOLD "\n"},
	{"council", "council = " DEMO_COUNCIL "\n"},
	{"stake_reward_per_day", "stake_reward_per_day = " DEMO_STAKE_REWARD_PER_DAY "\n"},
};

static const char *demo_genesis_line(const char *line)
{
	for (size_t i = 0; i < sizeof demo_genesis_lines / sizeof demo_genesis_lines[0]; i++) {
		size_t n = strlen(demo_genesis_lines[i].key);
		if (strncmp(line, demo_genesis_lines[i].key, n) == 0 && (line[n] == ' ' || line[n] == '='))
			return demo_genesis_lines[i].line;
	}
	return NULL;
}

static int demo_genesis_text(struct mv_buf *out, struct mv_err *err)
{
	const char *p = genesis_conf_default;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		const char *repl = demo_genesis_line(p);
		int rc = repl ? mv_buf_append(out, repl, strlen(repl)) : mv_buf_append(out, p, n);
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

/* A council member's checkpoint tick (force=yes: propose one now). The
 * outcome is applied when the tick signed something; res->id stays zero
 * (a tick may make no op). */
static int demo_checkpoint(struct home *h, const char *as, char *const *fields, int n,
			   struct submit_result *res, struct mv_err *err)
{
	const char *force = demo_value(fields, n, "force");
	char what[160];
	int64_t epoch = checkpoint_last_final(h->st);
	int rc = home_checkpoint_tick(h, as, force && strcmp(force, "yes") == 0, what, sizeof what, err);
	if (rc != MV_OK)
		return rc;
	memset(res, 0, sizeof *res);
	res->outcome = strstr(what, "proposed") || strstr(what, "co-signed") ? 1 : 0;
	snprintf(res->reason, sizeof res->reason, "%s", what);
	if (!force && res->outcome && checkpoint_last_final(h->st) != epoch + 1)
		return mv_fail(err, MV_ERR, "demo: epoch %lld is not final after %s",
			       (long long)epoch + 1, what);
	return MV_OK;
}

/* A clock row: at=TIME (exactly), after=TIME (unless already past), or
 * session=ID at=DURATION from that session's start. */
static int demo_clock_step(struct home *h, char *const *fields, int n, struct mv_err *err)
{
	const char *at = demo_value(fields, n, "at"), *after = demo_value(fields, n, "after");
	const char *ses = demo_value(fields, n, "session");
	int64_t t, d;
	if (ses) {
		uint8_t id[32];
		struct qc_session r;
		if (!at || mv_unhex(id, 32, ses) != MV_OK || demo_clock_duration(at, &d, err) != MV_OK ||
		    query_care_session(h->st, id, NULL, mv_now_ms(), &r, err) != MV_OK)
			return MV_EINVAL;
		return demo_clock_go(r.s.start + d, true, err);
	}
	if (demo_clock_parse(at ? at : after, &t, err) != MV_OK)
		return MV_EINVAL;
	return demo_clock_go(t, at != NULL, err);
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
	if (!s->as) {
		if (demo_clock_step(h, fields, n, err) != MV_OK)
			return mv_fail(err, MV_ERR, "demo step %zu (clock): %s", i + 1, err->msg);
		return MV_OK;
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

/* The network made at DEMO_GENESIS_AT, then every step; the clock is the
 * real time again when this returns, whatever happened. */
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
		rc = demo_clock_begin(DEMO_GENESIS_AT, err);
	if (rc == MV_OK)
		rc = home_init(h, DEMO_NETWORK, genesis, err);
	for (size_t i = 0; rc == MV_OK && i < DEMO_NSTEPS; i++)
		rc = demo_run_step(h, i, ids, err);
	demo_clock_end();
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
