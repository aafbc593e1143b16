/* people.h - what other contracts ask about people (implemented by the
 * users, verify and access contracts: src/core/contracts/users.c, verify.c,
 * access.c). Accounts here are acting accounts (apply_ctx.actor), stable
 * across social recovery. */
#ifndef MV_PEOPLE_H
#define MV_PEOPLE_H

#include "contract.h"

enum role {
	ROLE_NONE = 0,    /* not registered */
	ROLE_PATIENT,     /* self-registered */
	ROLE_THERAPIST,   /* self-registered; an applicant until verified */
	ROLE_INSURER,     /* registered by the council */
	ROLE_REGULATOR,   /* registered by the council */
	ROLE_BOT,         /* registered by the council, with scopes */
};

/* Registered role of account (ROLE_NONE if none). Council membership is not
 * a role: see council_is_member(). */
enum role people_role(struct store *st, const uint8_t account[32]);
const char *people_role_name(enum role r);

/* The key that currently controls account (itself until a social recovery
 * moved it): readers' blob keys are sealed to this key. */
void people_current_key(struct store *st, const uint8_t account[32], uint8_t key[32]);

/* A bot (appointed by the council) whose scopes allow op kind: a scope is an
 * exact kind ("session.remind") or a prefix ending in ".*" ("reminder.*"). */
bool people_bot_has_scope(struct store *st, const uint8_t account[32], const char *kind);

/* Privacy settings (privacy.set); defaults when never set: patients unlisted,
 * contact by their care team only, nothing shared; others listed, anyone may
 * contact. */
enum people_contact { CONTACT_ANYONE, CONTACT_CARE_TEAM, CONTACT_NOBODY };
struct people_privacy {
	bool listed;
	enum people_contact who_may_contact;
	bool share_mood_with_therapist;
	bool share_with_insurer;
};
void people_privacy_get(struct store *st, const uint8_t account[32], struct people_privacy *out);

/* A therapist whose license is approved, not expired at `now`, and whose
 * status is active (not suspended or revoked). */
bool people_therapist_verified(struct store *st, const uint8_t account[32], int64_t now);
/* Verified and continuing education not overdue: may publish new services. */
bool people_therapist_can_publish(struct store *st, const uint8_t account[32], int64_t now,
				  char *why, size_t whylen);

/* Continuing education: hours logged by account in the year before now,
 * the yearly minimum (param ce_hours_per_year, 0 = none), and whether CE is
 * due (verified for over a year and below the minimum). */
struct people_ce {
	int64_t hours;
	int64_t required;
	int64_t grace_until; /* first verification + 365 days; 0 if never verified */
	bool due;
};
void people_ce_status(struct store *st, const uint8_t account[32], int64_t now, struct people_ce *out);

/* Care relations (therapist <-> patient), started when a session is
 * confirmed; they gate emergency access and note sharing. */
int people_care_start(struct apply_ctx *ctx, const uint8_t therapist[32], const uint8_t patient[32]);
bool people_in_care(struct store *st, const uint8_t therapist[32], const uint8_t patient[32]);

/* Every permission is decided here, from roles and relations in state
 * (access.c keeps the matrix as a table, documented in docs/contracts.md).
 * Returns MV_OK or rejects ctx with the reason ("not allowed: ..."). object
 * may be NULL for actions without one. */
enum access_action {
	ACCESS_REGISTER_SELF,
	ACCESS_VERIFY_SUBMIT,
	ACCESS_VERIFY_DECIDE,      /* council */
	ACCESS_PUBLISH_SERVICE,    /* verified therapist, CE not due */
	ACCESS_BOOK_SESSION,       /* patient; object = therapist */
	ACCESS_SESSION_THERAPIST,  /* the session's therapist; object = patient */
	ACCESS_SESSION_PATIENT,    /* the session's patient; object = therapist */
	ACCESS_EMERGENCY_ACCESS,   /* verified therapist in care of object */
	ACCESS_ADD_NOTE,           /* the session's therapist; object = patient */
	ACCESS_CLAIM_DECIDE,       /* insurer named on the claim */
	ACCESS_COUNCIL,            /* council member */
	ACCESS_REGULATOR_REQUEST,  /* regulator */
	ACCESS_OWN_PROFILE,        /* any registered account, about itself */
	ACCESS_GUARDIAN_APPROVE,   /* a guardian of object (recovery.approve) */
	ACCESS_LOG_CE,             /* registered therapist (verified or not) */
	ACCESS_SHARE_MOOD,         /* patient; object = a therapist with them in care */
	ACCESS__COUNT
};
int access_check(struct apply_ctx *ctx, const uint8_t who[32], enum access_action action,
		 const uint8_t *object);
const char *access_action_name(enum access_action a);

/* Record an entry in the audit log (reads, shares, grants, role changes):
 * subject = whose data, what = short text. The current op is the evidence. */
int access_audit(struct apply_ctx *ctx, const uint8_t subject[32], const char *what);

#endif
