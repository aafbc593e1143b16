/* council_ui.h - council duties shared by the screens that offer them: the
 * license review (Verification and Council screens) and treasury spends
 * waiting for signatures (Treasury and Council screens). Loading, the
 * confirmation texts and the ops live here once; each screen keeps only
 * its own layout. Everything acts through tui_submit, so the contract
 * checks membership and thresholds again and a rejection reaches the user
 * verbatim. */
#ifndef MV_UI_COUNCIL_UI_H
#define MV_UI_COUNCIL_UI_H

#include "core/query_economy.h"
#include "core/query_people.h"
#include "ui/view.h"

/* ---- license applications ---------------------------------------------- */

struct cui_app {
	struct q_application app;
	bool signed_approve, signed_reject; /* by the viewer */
};

/* Pending license applications, oldest first, with the viewer's own
 * signatures marked (me: the viewer's account, NULL for none). Calls cb
 * once per application; MV_OK, or an error with err filled. */
int cui_apps(struct tui *t, const uint8_t *me, int (*cb)(void *ud, const struct cui_app *a),
	     void *ud, struct mv_err *err);

/* a on an application: a toast if the viewer signed the approval already,
 * else a confirmation saying how many signatures it has; yes runs on
 * "Approve" (it should call cui_app_decide). */
void cui_app_ask_approve(struct tui *t, const struct cui_app *a, int64_t threshold,
			 void (*yes)(struct tui *t, void *ud), void *ud);
/* x on an application: false (with a toast) if the viewer signed the
 * rejection already; true: open the reason form (cui_reason_form). */
bool cui_app_may_reject(struct tui *t, const struct cui_app *a);
/* Send verify.decide (decision "approve" or "reject", reason for a
 * rejection) and say whether this signature decided it. */
void cui_app_decide(struct tui *t, const struct cui_app *a, const char *decision,
		    const char *reason, int64_t threshold);

/* The list row of an application: account, name, license, signatures and
 * whether the viewer signed. */
void cui_app_row_text(struct tui *t, const struct cui_app *a, int64_t threshold, char *out,
		      size_t n);
/* Details of the selected application in the main view from row y (at most
 * to bottom): board, expiry, specialties, and the proof when it is open
 * (proof: NULL if not), or how to open it. */
void cui_app_draw_detail(struct tui *t, const struct cui_app *a, const char *proof, int y,
			 int bottom);
/* A label in a 12-column margin and a formatted value after it, at row y
 * of the main view; returns y + 1. */
int cui_field(struct tui *t, int y, const char *label, int attr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Open a therapist's license proof, sealed to council members: *text
 * (NUL-terminated, owned; wipe with cui_proof_wipe) or false with a toast. */
bool cui_proof_open(struct tui *t, const uint8_t therapist[32], char **text);
void cui_proof_wipe(char **text);

/* A one-field form for a public reason (rejections, denials). */
void cui_reason_form(struct ui_form *f, const char *title, const char *hint);

/* ---- treasury spends ------------------------------------------------------ */

#define CUI_PURPOSE_MAX 140

/* A spend kept beyond its query callback: s.purpose and s.status point into
 * the struct once cui_spends_fix ran (the array no longer moves). */
struct cui_spend {
	struct q_spend s;
	char purpose[CUI_PURPOSE_MAX + 4];
	char status[16];
};

struct cui_spends {
	struct cui_spend *v;
	size_t n, cap, npending;
};

/* Load spends: the pending ones first (oldest first), then, unless
 * pending_only, the others (newest first). Replaces what l held; MV_OK or
 * an error with err filled. */
int cui_spends_load(struct tui *t, bool pending_only, struct cui_spends *l, struct mv_err *err);
void cui_spends_free(struct cui_spends *l);
/* Index of spend id in l, or l->n. */
size_t cui_spends_find(const struct cui_spends *l, const uint8_t id[32]);

bool cui_spend_signed_by(const struct q_spend *r, const uint8_t who[32]);
/* a on a spend: checks (pending, the viewer is on the council and has not
 * signed) with a toast when one fails; else a confirmation saying whether
 * this signature pays it, and the spend's id copied to pending_id for yes.
 * me may be NULL (no account). */
void cui_spend_ask_sign(struct tui *t, const struct cui_spend *d, const uint8_t *me,
			uint8_t pending_id[32], void (*yes)(struct tui *t, void *ud), void *ud);
/* Send treasury.sign for spend id and say what came of it (paid, or how
 * many signatures it has). MV_OK only if applied. */
int cui_spend_sign(struct tui *t, const uint8_t id[32]);

#endif
