/* care.h - what the care contracts (services.c, sessions.c, payments.c,
 * notes.c) and their read-only views (query_care.c, ics.c) share: the rows
 * of a service and a session, the cancellation and settlement arithmetic,
 * the escrow account of a session, and interval arithmetic over a
 * therapist's availability. Keeping the money rules here means a refund
 * preview in the UI is computed by the very code that later moves the MVT.
 *
 * Everything here is deterministic: times come from the caller (an op's
 * effective time, or the viewer's clock for previews), amounts are int64
 * base units with overflow-checked arithmetic, and every multi-row read
 * has an ORDER BY. */
#ifndef MV_CARE_H
#define MV_CARE_H

#include "contract.h"

/* ---- services ---------------------------------------------------------- */

#define CARE_TITLE_MAX 120
#define CARE_LANG_MAX 16       /* languages per service */
#define CARE_SPEC_MAX 24       /* specialties per service */

struct care_service {
	uint8_t id[32];          /* the service.publish op id */
	uint8_t therapist[32];
	char title[CARE_TITLE_MAX + 1];
	char modality[16];       /* individual | couples | group */
	char format[16];         /* video | in_person | text */
	int64_t duration_min;
	int64_t price;           /* MVT base units per session */
	bool insurance;          /* insurance_accepted */
	bool auto_accept;
	bool retired;
	int64_t created, updated;
};

/* MV_OK, MV_ENOTFOUND, or MV_ERR (err filled). */
int care_service_get(struct store *st, const uint8_t id[32], struct care_service *out,
		     struct mv_err *err);

/* ---- sessions ---------------------------------------------------------- */

enum care_state {
	CS_REQUESTED,  /* booked, waiting for the therapist */
	CS_CONFIRMED,  /* accepted (or auto-accepted) */
	CS_COMPLETED,  /* the therapist completed it; dispute window open */
	CS_NO_SHOW,    /* the patient did not come; dispute window open */
	CS_CANCELLED,  /* cancelled, rescheduled away, or expired unaccepted */
	CS_DECLINED,   /* the therapist declined the request */
	CS_DISPUTED,   /* the patient disputes it; escrow frozen until resolved */
	CS_SETTLED,    /* money paid out; final */
	CS__COUNT
};
const char *care_state_name(enum care_state s);
/* -1 if name is not a state. */
int care_state_parse(const char *name);

struct care_session {
	uint8_t id[32];          /* the session.book / session.reschedule op id */
	uint8_t service[32], therapist[32], patient[32];
	uint8_t root[32];        /* id of the first booking of a reschedule chain */
	uint8_t replaces[32];    /* zeros if none */
	uint8_t replaced_by[32]; /* zeros if none */
	int64_t start, end;      /* ms UTC, [start, end) */
	enum care_state state;
	char payment[12];        /* token | external | insurance */
	int64_t price, fee;      /* escrowed price and booking fee (token only) */
	char ended[20];          /* "" | completed | patient_no_show | therapist_no_show */
	char cancelled_by[12];   /* "" | patient | therapist | expired */
	int64_t created, confirmed_at, ended_at, settled_at, disputed_at, updated;
	int64_t checkin_therapist, checkin_patient; /* 0 = not checked in */
	int64_t refund_bp;       /* refund applied when the money left escrow */
	int64_t paid_patient, paid_therapist, paid_treasury;
	int64_t seq;             /* iCalendar SEQUENCE: bumped on every status change */
};

int care_session_get(struct store *st, const uint8_t id[32], struct care_session *out,
		     struct mv_err *err);
/* Insert or overwrite the row (contracts only). */
int care_session_put(struct apply_ctx *ctx, const struct care_session *s);

/* The escrow account of a session: op_system_account("escrow:" + hex(id)). */
void care_escrow_account(const uint8_t session[32], uint8_t out[32]);

/* Whether a session in state s still holds its slot (not cancelled/declined). */
bool care_state_holds_slot(enum care_state s);
/* Whether the escrow of a token session in state s is still funded. */
bool care_state_escrowed(enum care_state s);

/* ---- money ------------------------------------------------------------- */

/* How escrowed money (price + fee) is divided when it leaves escrow with a
 * refund of refund_bp basis points of the price:
 *   refund    = floor(price * refund_bp / 10000)
 *   patient   = refund, plus the booking fee only when refund_bp = 10000
 *   kept      = price - refund
 *   platform  = floor(kept * fee_platform_bp / 10000)
 *   therapist = kept - platform
 *   treasury  = platform, plus the booking fee unless refund_bp = 10000
 * so patient + therapist + treasury = price + fee exactly. Rounding always
 * goes down on the refund and on the platform fee. Returns false on a bad
 * input (negative, refund_bp outside 0..10000) or overflow. */
struct care_split {
	int64_t patient, therapist, treasury;
};
bool care_split_compute(int64_t price, int64_t fee, int64_t refund_bp, int64_t platform_bp,
			struct care_split *out);

/* Refund in basis points when `by_therapist` (or the patient) cancels s at
 * time `at`: the therapist always refunds fully; a request not yet accepted
 * refunds fully; a confirmed session cancelled by the patient refunds fully
 * when start - at >= cancel_full_refund_before (exactly at the boundary
 * counts as on time), else cancel_late_refund_bp. */
int64_t care_cancel_refund_bp(struct store *st, const struct care_session *s, bool by_therapist,
			      int64_t at);

/* Parameters with the defaults of assets/genesis.default. */
int64_t care_param(struct store *st, const char *name);

/* ---- transitions shared by the care contracts (inside apply) ------------- */

/* ledger_move when amount > 0; nothing for 0. */
int care_move(struct apply_ctx *ctx, const uint8_t from[32], const uint8_t to[32], int64_t amount,
	      const char *memo);
/* Set the state, bump updated and the iCalendar sequence (not written). */
void care_changed(struct apply_ctx *ctx, struct care_session *s, enum care_state to);
/* Empty the escrow of a token session with refund_bp of the price back to
 * the patient (care_split_compute), recording the split on s (not written).
 * Non-token sessions only record refund_bp. */
int care_pay_out(struct apply_ctx *ctx, struct care_session *s, int64_t refund_bp);
/* Close s as cancelled by "patient", "therapist" or "expired" with refund_bp
 * refunded; writes the row. A patient's cancellation with less than a full
 * refund records a late-cancel reputation event. */
int care_cancel(struct apply_ctx *ctx, struct care_session *s, const char *by, int64_t refund_bp);
/* Effects of a session reaching settled (economy.h): a completed session
 * settled with no refund rewards both parties from the reward pool
 * (rewards_session_settled) and gives each party who checked in a
 * reliability event; an upheld patient no-show and a therapist no-show give
 * the absent party a no-show event. Called by every path into settled. */
int care_settled(struct apply_ctx *ctx, const struct care_session *s);
/* Transitions due by time alone, run first by every op naming a session: an
 * unaccepted request whose start has passed expires (full refund); a
 * completed or no-show session whose dispute window has passed (now >=
 * ended_at + dispute_window) settles, paying the therapist. Writes the row
 * when *changed. A rejected op rolls these writes back with everything else. */
int care_touch(struct apply_ctx *ctx, struct care_session *s, bool *changed);
/* Load the session named by the body's ID field `field` (rejecting "no such
 * session") and run care_touch on it. */
int care_session_open(struct apply_ctx *ctx, const char *field, struct care_session *s);

/* ---- time intervals ---------------------------------------------------- */

struct care_ivl {
	int64_t a, b; /* [a, b), a < b */
};
/* A sorted list of disjoint, non-touching intervals. */
struct care_ivls {
	struct care_ivl *v;
	size_t n, cap;
};
void care_ivls_free(struct care_ivls *l);
int care_ivls_add(struct care_ivls *l, int64_t a, int64_t b);   /* union */
int care_ivls_sub(struct care_ivls *l, int64_t a, int64_t b);   /* difference */
/* True if [a, b) lies inside one interval of l. */
bool care_ivls_covers(const struct care_ivls *l, int64_t a, int64_t b);

/* The therapist's effective availability clipped to [from, to): the
 * published windows, then each exception in the order it was made (open
 * adds, close removes). l is initialised here. */
int care_avail(struct store *st, const uint8_t therapist[32], int64_t from, int64_t to,
	       struct care_ivls *l, struct mv_err *err);

/* Time taken in [from, to) by sessions that hold their slot and where
 * account is the therapist or the patient. l is initialised here. */
int care_busy(struct store *st, const uint8_t account[32], int64_t from, int64_t to,
	      struct care_ivls *l, struct mv_err *err);

/* "2h", "90m", "1d 6h", "45s", "250ms": for rejection messages. */
void care_fmt_duration(char *out, size_t outlen, int64_t ms);

#endif
