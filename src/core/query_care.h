/* query_care.h - read-only views of care state for the CLI and the TUI:
 * finding therapists, their services and free slots, a person's sessions,
 * refund previews, claims, notes, and bookings displaced by an earlier one.
 *
 * Like query.h: nothing here writes; each function calls back once per row
 * in a stable order (cb returns non-zero to stop early); rows are valid only
 * during the callback. Statements are private to each call, so a callback
 * may run other queries. Times are ms UTC; `now` is the viewer's clock (used
 * for "upcoming", verification status and notice), never stored. */
#ifndef MV_QUERY_CARE_H
#define MV_QUERY_CARE_H

#include "care.h"
#include "blob.h"

/* ---- finding a therapist ------------------------------------------------- */

enum qc_sort { QC_SORT_PRICE, QC_SORT_RATING };

struct qc_search {
	const char *specialty;  /* NULL: any */
	const char *language;   /* NULL: any */
	const char *format;     /* video | in_person | text; NULL: any */
	int64_t max_price;      /* < 0: any */
	bool insurance;         /* only services accepting insurance */
	bool verified_only;     /* only therapists verified at `now` */
	enum qc_sort sort;      /* price: lowest first; rating: best first */
	int64_t now;
};

struct qc_therapist {
	uint8_t therapist[32];
	int64_t min_price;      /* lowest price among the matching services */
	int64_t services;       /* matching active services */
	int64_t rating_x100;    /* floor(average stars * 100); 0 when unrated */
	int64_t ratings;        /* number of ratings */
	bool verified;          /* at `now` */
};

/* Therapists with at least one active service matching every filter.
 * Ties sort by therapist id. */
int query_care_search(struct store *st, const struct qc_search *q,
		      int (*cb)(void *ud, const struct qc_therapist *r), void *ud,
		      struct mv_err *err);

/* Average rating of a therapist (floor(avg * 100)) and the count. */
int query_care_rating(struct store *st, const uint8_t therapist[32], int64_t *avg_x100,
		      int64_t *count, struct mv_err *err);

struct qc_service {
	struct care_service sv;
	char languages[CARE_LANG_MAX * 36];    /* "en,pt-br" */
	char specialties[CARE_SPEC_MAX * 49];  /* "anxiety,grief" */
};

/* A therapist's services, oldest first; retired ones only if with_retired. */
int query_care_services(struct store *st, const uint8_t therapist[32], bool with_retired,
			int (*cb)(void *ud, const struct qc_service *r), void *ud,
			struct mv_err *err);
/* One service by id: MV_OK, MV_ENOTFOUND or MV_ERR. */
int query_care_service(struct store *st, const uint8_t id[32], struct qc_service *out,
		       struct mv_err *err);

/* ---- availability and free slots ------------------------------------------ */

/* The therapist's effective availability in [from, to) (windows with the
 * exceptions applied), ascending. */
int query_care_availability(struct store *st, const uint8_t therapist[32], int64_t from,
			    int64_t to, int (*cb)(void *ud, int64_t start, int64_t end), void *ud,
			    struct mv_err *err);

struct qc_exception {
	int64_t seq;
	const char *action;     /* close | open */
	int64_t start, end;
};
/* The therapist's availability exceptions ending after `from`, in the order
 * they were made. */
int query_care_exceptions(struct store *st, const uint8_t therapist[32], int64_t from,
			  int (*cb)(void *ud, const struct qc_exception *r), void *ud,
			  struct mv_err *err);

/* Bookable slots of a service in [from, to): availability minus the
 * therapist's sessions (and patient's, when patient is non-NULL), each free
 * stretch cut into slots of the service's duration from its beginning; slots
 * starting before now + booking_min_notice are left out. At most max slots
 * (0 = 2000). The service must exist and not be retired (MV_ENOTFOUND /
 * MV_EINVAL "service retired"). */
int query_care_free_slots(struct store *st, const uint8_t service[32], int64_t from, int64_t to,
			  int64_t now, const uint8_t *patient, size_t max,
			  int (*cb)(void *ud, int64_t start, int64_t end), void *ud,
			  struct mv_err *err);

/* ---- sessions ------------------------------------------------------------- */

enum qc_when { QC_UPCOMING, QC_PAST, QC_ALL };

struct qc_session {
	struct care_session s;
	bool as_therapist;       /* the account is the therapist (else the patient) */
	bool tentative;          /* the booking op's epoch is still ENGINE_TENTATIVE */
	char title[CARE_TITLE_MAX + 1]; /* the service's title */
	int64_t stars;           /* the patient's rating, 0 if none */
	bool payment_recorded;   /* payment.record exists (external payment) */
	/* What the state will be once due time-based transitions run (the
	 * contract applies them at the next op on the session): "expired" for
	 * a request whose start passed, "settling" for a completed / no-show
	 * session whose dispute window passed; else the state's name. */
	const char *label;
	int64_t dispute_until;   /* completed / no_show: end of the dispute window */
};

/* Sessions where account is patient or therapist; sessions replaced by a
 * reschedule are left out (their successor stands for them). Upcoming =
 * requested or confirmed and not yet ended, soonest first; past = the rest,
 * latest first; all = by start ascending. */
int query_care_sessions(struct store *st, const uint8_t account[32], enum qc_when when,
			int64_t now, int (*cb)(void *ud, const struct qc_session *r), void *ud,
			struct mv_err *err);
/* One session: MV_OK, MV_ENOTFOUND or MV_ERR. as_therapist is set when
 * viewer is the therapist (viewer may be NULL). */
int query_care_session(struct store *st, const uint8_t id[32], const uint8_t *viewer,
		       int64_t now, struct qc_session *out, struct mv_err *err);
/* The next upcoming session of account: MV_OK, MV_ENOTFOUND or MV_ERR. */
int query_care_next(struct store *st, const uint8_t account[32], int64_t now,
		    struct qc_session *out, struct mv_err *err);

/* What a session.cancel by `actor` at time `at` would do, computed by the
 * contract's own rules. When allowed is false, why says what the contract
 * would answer. */
struct qc_refund {
	bool allowed;
	char why[160];
	bool by_therapist;
	int64_t refund_bp;          /* of the price */
	struct care_split split;    /* patient / therapist / treasury (token only) */
	int64_t full_refund_until;  /* start - cancel_full_refund_before */
};
int query_care_refund_preview(struct store *st, const uint8_t session[32],
			      const uint8_t actor[32], int64_t at, struct qc_refund *out,
			      struct mv_err *err);

/* session.book / session.reschedule ops of author that were rejected because
 * an earlier booking took the slot ("slot taken"), oldest first: for Home to
 * say so and offer the next free slots. */
struct qc_displaced {
	uint8_t op[32];
	uint8_t service[32];     /* zeros for a reschedule */
	uint8_t session[32];     /* the session being rescheduled, zeros for a booking */
	int64_t start;
	int64_t epoch;           /* ENGINE_TENTATIVE while it could still change */
};
int query_care_displaced(struct store *st, const uint8_t author[32],
			 int (*cb)(void *ud, const struct qc_displaced *r), void *ud,
			 struct mv_err *err);

/* ---- claims and notes ----------------------------------------------------- */

struct qc_claim {
	uint8_t id[32], session[32], submitter[32], patient[32], therapist[32], insurer[32];
	uint8_t policy_blob[32];
	uint8_t policy_key[BLOB_SEALED_LEN];
	int64_t amount, approved;
	const char *state;          /* submitted | approved | denied | paid */
	const char *denial_reason;
	const char *pay_method;     /* "" | token | external */
	const char *external_ref;
	int64_t created, decided_at, paid_at;
};
/* Claims where account is the patient, therapist or insurer, newest first. */
int query_care_claims(struct store *st, const uint8_t account[32],
		      int (*cb)(void *ud, const struct qc_claim *r), void *ud, struct mv_err *err);

struct qc_note {
	uint8_t id[32], blob[32];
	bool shared;
	int64_t time;
	bool has_key;               /* a key is sealed to reader */
	uint8_t key[BLOB_SEALED_LEN];
};
/* Notes of a session, oldest first, with the sealed key for reader (if any). */
int query_care_notes(struct store *st, const uint8_t session[32], const uint8_t reader[32],
		     int (*cb)(void *ud, const struct qc_note *r), void *ud, struct mv_err *err);

/* External payment recorded for a session. */
struct qc_payment {
	char method[8];             /* card | bank | cash */
	char external_ref[65];
	int64_t time;
};
/* MV_OK, MV_ENOTFOUND (none recorded) or MV_ERR. */
int query_care_payment(struct store *st, const uint8_t session[32], struct qc_payment *out,
		       struct mv_err *err);

#endif
