/* query_people.h - read-only views of the people contracts (users, verify,
 * access) for the CLI and the TUI: public profiles, roles, therapists and
 * their verification and CE status, the council's review queue, guardians
 * and pending recoveries, care relations, shares, the audit log, emergency
 * accesses and anomaly flags.
 *
 * Nothing here writes. List functions call cb once per row in a stable
 * order (cb may be NULL to only count; it returns non-zero to stop) and
 * return the number of rows visited (>= 0) or MV_ERR. Rows are valid only
 * during the callback. Times are ms UTC; `now` parameters are the viewer's
 * clock (the UI's "now"), used for expiry and CE windows. */
#ifndef MV_QUERY_PEOPLE_H
#define MV_QUERY_PEOPLE_H

#include "people.h"

/* ---- users ---------------------------------------------------------- */

struct q_user {
	uint8_t account[32];
	uint8_t key[32];            /* the key controlling it now */
	enum role role;             /* ROLE_NONE if dismissed */
	char role_name[16];         /* "patient", ..., or "dismissed" */
	char display_name[65];
	char jurisdiction[8];
	char bio[1001];
	char languages[160];        /* comma-separated */
	char scopes[600];           /* bots: comma-separated op kinds */
	bool appointed;             /* insurer / regulator / bot by the council */
	int64_t created, updated;
	bool has_profile, has_emergency; /* private blobs on record */
	struct people_privacy privacy;
};
/* The public part of account's record; MV_ENOTFOUND if never registered. */
int query_user(struct store *st, const uint8_t account[32], struct q_user *out, struct mv_err *err);
/* Registered users, by role (NULL: all) ordered by display name then
 * account; listed_only keeps those whose privacy says listed. */
int query_users(struct store *st, const char *role, bool listed_only,
		int (*cb)(void *ud, const struct q_user *u), void *ud, struct mv_err *err);

/* ---- therapists and verification ------------------------------------- */

struct q_therapist {
	struct q_user user;
	/* "unverified" (never submitted), "pending", "rejected", "active",
	 * "suspended", "revoked", "expired" (approved but expired at now) */
	char state[16];
	char license_no[65], board[129], license_jurisdiction[8], specialties[600];
	int64_t expires;            /* of the approved license (0 if none) */
	int64_t verified_at;        /* last approval (0 if none) */
	char reason[201];           /* of the last decision or status change */
	bool pending;               /* an application awaits the council */
	uint8_t app_op[32];         /* the pending/last verify.submit op */
	uint8_t proof_blob[32];     /* its proof blob */
	bool verified;              /* people_therapist_verified(now) */
	bool can_publish;
	char why[128];              /* why not, when !can_publish */
	struct people_ce ce;        /* CE hours and whether "CE due" */
};
int query_therapist(struct store *st, const uint8_t account[32], int64_t now,
		    struct q_therapist *out, struct mv_err *err);
/* Registered therapists by display name; verified_only keeps those verified
 * at now. */
int query_therapists(struct store *st, int64_t now, bool verified_only,
		     int (*cb)(void *ud, const struct q_therapist *t), void *ud, struct mv_err *err);

struct q_ce {
	uint8_t op[32];
	int64_t hours, time;
	char course[121];
	bool has_proof;
	uint8_t proof_blob[32];
};
/* CE log of a therapist, newest first. */
int query_ce_log(struct store *st, const uint8_t therapist[32],
		 int (*cb)(void *ud, const struct q_ce *c), void *ud, struct mv_err *err);

struct q_verify_event {
	uint8_t op[32];
	int64_t time;
	char event[16];             /* submitted, approved, rejected, active, suspended, revoked */
	char reason[201];
};
/* Verification history of a therapist, oldest first. */
int query_verify_history(struct store *st, const uint8_t therapist[32],
			 int (*cb)(void *ud, const struct q_verify_event *e), void *ud,
			 struct mv_err *err);

/* ---- the council's review queue -------------------------------------- */

struct q_application {
	uint8_t therapist[32];
	uint8_t op[32];
	char display_name[65];
	char license_no[65], board[129], jurisdiction[8], specialties[600];
	int64_t expires, submitted;
	uint8_t proof_blob[32];
	int signatures_approve, signatures_reject; /* council signatures so far */
};
/* Pending license applications, oldest first. */
int query_applications(struct store *st, int (*cb)(void *ud, const struct q_application *a),
		       void *ud, struct mv_err *err);

struct q_request {
	uint8_t topic[32];
	char kind[33];              /* user.appoint, user.dismiss, verify.decide, verify.status */
	uint8_t subject[32];
	char summary[800];
	const uint8_t *body;        /* the first signer's body: co-sign by sending */
	size_t body_len;            /* the same kind with the same body */
	int64_t created;
	int64_t signatures, threshold;
	bool signed_by_me;          /* when me was given */
};
/* Requests awaiting more council signatures, oldest first. me may be NULL. */
int query_council_queue(struct store *st, const uint8_t *me,
			int (*cb)(void *ud, const struct q_request *r), void *ud, struct mv_err *err);

/* ---- recovery ---------------------------------------------------------- */

/* Guardians of account (ordered by key); the threshold via *threshold if
 * non-NULL (0 if none set). */
int query_guardians(struct store *st, const uint8_t account[32],
		    int (*cb)(void *ud, const uint8_t guardian[32]), void *ud, struct mv_err *err);
int64_t query_recovery_threshold(struct store *st, const uint8_t account[32]);
/* Accounts that named guardian as a guardian. */
int query_guarded_by(struct store *st, const uint8_t guardian[32],
		     int (*cb)(void *ud, const uint8_t account[32]), void *ud, struct mv_err *err);

struct q_recovery {
	uint8_t account[32], new_key[32];
	int64_t approvals, threshold;
	int64_t first, last;        /* times of the first and last approval */
};
/* Pending recoveries (account NULL: all), by account then new key. */
int query_recoveries_pending(struct store *st, const uint8_t *account,
			     int (*cb)(void *ud, const struct q_recovery *r), void *ud,
			     struct mv_err *err);

/* ---- relations, shares, audit, emergencies, anomalies ---------------- */

struct q_care {
	uint8_t therapist[32], patient[32];
	int64_t since;
};
/* Care relations where account is the therapist or the patient. */
int query_care(struct store *st, const uint8_t account[32],
	       int (*cb)(void *ud, const struct q_care *c), void *ud, struct mv_err *err);

struct q_share {
	uint8_t account[32];        /* whose blob */
	char what[16];              /* profile | emergency */
	uint8_t reader[32];
	uint8_t blob[32];
	int64_t time;
};
/* Shares of account's blobs (readers other than itself), or, when
 * to_me, the blobs others shared with account. */
int query_shares(struct store *st, const uint8_t account[32], bool to_me,
		 int (*cb)(void *ud, const struct q_share *s), void *ud, struct mv_err *err);

struct q_audit {
	uint8_t op[32];
	int64_t idx;
	uint8_t subject[32], who[32];
	char kind[33];
	char what[300];
	int64_t time;
};
/* Audit entries about subject (NULL: everyone), newest first. */
int query_audit(struct store *st, const uint8_t *subject, size_t limit, size_t offset,
		int (*cb)(void *ud, const struct q_audit *a), void *ud, struct mv_err *err);

struct q_emergency {
	uint8_t op[32], therapist[32], patient[32];
	char reason[32];
	int64_t time;
};
/* Emergency accesses to patient (NULL: all), newest first. */
int query_emergencies(struct store *st, const uint8_t *patient,
		      int (*cb)(void *ud, const struct q_emergency *e), void *ud, struct mv_err *err);

struct q_anomaly {
	char kind[24];              /* equivocation | rejected_burst | failed_verification */
	uint8_t account[32];
	int64_t count;              /* ops rejected / verifications failed / 1 */
	int64_t time;               /* latest occurrence (ms), 0 if unknown */
	char detail[128];
};
/* Flags for the council, by kind then account: authors with equivocation
 * evidence; authors with at least param anomaly_rejected_per_day (default
 * 20) rejected ops in the day before now; therapists with at least
 * param anomaly_failed_verifications (default 2) rejected applications. */
int query_anomalies(struct store *st, int64_t now,
		    int (*cb)(void *ud, const struct q_anomaly *a), void *ud, struct mv_err *err);

#endif
