/* view.h - what a screen of the terminal app sees of the shell (tui.c), and
 * the interface every screen implements.
 *
 * A screen is one file src/ui/view_NAME.c exporting one `struct view_ops`
 * listed once in views.c. Views read the store only through core/query.h
 * (and home.h for identities and labels) and change state only by building
 * ops through tui_submit (home_submit_fields). Handlers return TUI_* flags
 * saying what to redraw instead of drawing themselves; the shell owns the
 * single event loop, the bars, the modal dialog and the filter line.
 *
 * Keys reach a view in two steps: first its key() hook sees the raw key
 * (forms take text there); if it returns TUI_UNHANDLED the key is mapped
 * through the action table (actions.c) and the action goes to the shell or to
 * the view's action() hook. The key bar and the help screen are generated
 * from the same table. */
#ifndef MV_UI_VIEW_H
#define MV_UI_VIEW_H

#include "core/home.h"
#include "core/query.h"
#include "ui/theme.h"
#include "ui/widgets.h"

/* Redraw flags returned by handlers (htop's HANDLED/REDRAW/BREAK_LOOP). */
enum {
	TUI_UNHANDLED = 0,
	TUI_HANDLED = 1 << 0,   /* consumed, nothing to redraw */
	TUI_DRAW_VIEW = 1 << 1, /* redraw the main view */
	TUI_DRAW_ALL = 1 << 2,  /* redraw bars and navigation too */
	TUI_RELOAD = 1 << 3,    /* data changed: views reload before drawing */
	TUI_QUIT = 1 << 4,
};

enum tui_action {
	ACT_NONE = 0,
	/* shell */
	ACT_QUIT, ACT_HELP, ACT_CRISIS, ACT_BACK, ACT_FOCUS_NEXT, ACT_FOCUS_PREV,
	ACT_FILTER, ACT_RELOAD, ACT_REDRAW,
	ACT_VIEW1, ACT_VIEW2, ACT_VIEW3, ACT_VIEW4, ACT_VIEW5, ACT_VIEW6, ACT_VIEW7,
	ACT_VIEW8, ACT_VIEW9,
	/* movement */
	ACT_UP, ACT_DOWN, ACT_LEFT, ACT_RIGHT, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_TOP,
	ACT_BOTTOM, ACT_ENTER,
	/* view actions */
	ACT_SEND, ACT_NEW, ACT_ORDER, ACT_SWITCH_PATIENT, ACT_SWITCH_THERAPIST,
	ACT_SWITCH_MEMBER, ACT_SWITCH_COUNCIL,
	ACT_APPROVE, ACT_REJECT, ACT_EDIT,
	/* care screens */
	ACT_BOOK, ACT_CANCEL, ACT_CHECKIN, ACT_RATE, ACT_DISPUTE, ACT_COMPLETE, ACT_NO_SHOW,
	ACT_TOGGLE, ACT_PUBLISH, ACT_RETIRE, ACT_PAY,
	/* economy screens */
	ACT_STAKE, ACT_CLAIM, ACT_UNSTAKE, ACT_PROPOSE, ACT_SIGN, ACT_WHOSE,
	/* proposals screen (shown only: n and d arrive as ACT_NEW, ACT_CANCEL) */
	ACT_NEW_PROPOSAL, ACT_ACTION_ADD, ACT_ACTION_REMOVE,
	/* (shown only: a, x, b, e arrive as ACT_APPROVE, ACT_REJECT, ACT_BOOK, ACT_EDIT) */
	ACT_VOTE_FOR, ACT_VOTE_AGAINST, ACT_VOTE_ABSTAIN, ACT_DELEGATE, ACT_EXECUTE, ACT_WITHDRAW,
	/* network screen (shown only: s, n and d arrive as ACT_SEND, ACT_NEW, ACT_CANCEL) */
	ACT_SYNC_NOW, ACT_PEER_ADD, ACT_PEER_REMOVE,
	/* DAO screen (shown only: n, i, a, x arrive as ACT_NEW, ACT_CHECKIN, ACT_APPROVE,
	 * ACT_REJECT) */
	ACT_GROUP_POST, ACT_GROUP_CREATE, ACT_GROUP_JOIN, ACT_GROUP_LEAVE, ACT_GROUP_INVITE,
	ACT_GROUP_ADMIT, ACT_GROUP_REFUSE, ACT_GROUP_REMOVE, ACT_GROUP_MODERATOR, ACT_GROUP_KEYS,
	ACT_GROUP_HELPFUL,
	/* companion screen (shown only: i, n, s, d arrive as ACT_CHECKIN, ACT_NEW,
	 * ACT_SEND, ACT_CANCEL) */
	ACT_MOOD, ACT_THOUGHT, ACT_SHARE_MOOD, ACT_FORGET, ACT_RANGE,
	/* shown for forms (the form consumes the keys itself) */
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_FORM_LITERAL,
	ACT_COUNT
};

struct tui_action_def {
	enum tui_action id;
	const char *name;  /* stable name: "send", "crisis" */
	const char *label; /* short label for the key bar */
	const char *help;  /* one line for the help screen */
	int keys[4];       /* keys bound to it (0 ends) */
};

/* The action table (actions.c). */
const struct tui_action_def *tui_action_def(enum tui_action a);
/* The action bound to key, or ACT_NONE. */
enum tui_action tui_action_for_key(int key);
/* Display name of an action's first key, e.g. "?" or "Esc". */
const char *tui_action_key_name(enum tui_action a, char *buf, size_t buflen);

struct tui;
struct netsync;

struct view_ops {
	const char *name;   /* stable id: "wallet" */
	const char *title;  /* navigation and title: "Wallet" */
	bool in_nav;        /* listed in the left navigation */
	/* Roles whose navigation lists it, space-separated words matched
	 * against tui.role ("patient therapist"); NULL: every role. The view
	 * stays reachable by name (tui_goto) whatever the role. */
	const char *roles;
	const char *help;   /* paragraph for the help screen */
	/* Actions this view offers (ACT_NONE-terminated), for the key bar and
	 * help. actions_now may return a narrower list for the current mode
	 * (a form open); NULL means `actions`. */
	const enum tui_action *actions;
	const enum tui_action *(*actions_now)(struct tui *t, void *st);

	/* Allocate the view's state; false if memory ran out. */
	bool (*init)(struct tui *t, void **st);
	void (*fini)(struct tui *t, void *st);
	/* Reload data from the store (after any change, or on show). */
	/* (refresh in DESIGN §8; named reload because curses defines refresh) */
	void (*reload)(struct tui *t, void *st);
	/* Draw into the main rectangle t->main_*. */
	void (*draw)(struct tui *t, void *st);
	/* Raw key first (forms); TUI_UNHANDLED to let the action table map it. */
	int (*key)(struct tui *t, void *st, int key);
	int (*action)(struct tui *t, void *st, enum tui_action a);
	/* A click at (y, x) relative to the main rectangle. */
	int (*click)(struct tui *t, void *st, int y, int x);
	/* Apply a filter needle ("" clears); NULL if the view has no list. */
	int (*filter)(struct tui *t, void *st, const char *needle);
	/* True if the view holds unsaved input (asked before quitting). */
	bool (*dirty)(struct tui *t, void *st);
	/* Called when the view is shown (optional). */
	void (*show)(struct tui *t, void *st);
};

/* The registry (views.c). */
extern const struct view_ops *const tui_views[];
size_t tui_view_count(void);
/* Index of the view called name, or -1. */
int tui_view_index(const char *name);

/* Work that runs in steps from the event loop so input never freezes. step
 * does a slice of at most ~budget_ms and returns 1 when finished, 0 for more,
 * negative on error (err filled); done/total feed the progress bar. */
struct tui_job {
	const char *label;
	int (*step)(struct tui *t, void *ud, int budget_ms, size_t *done, size_t *total,
		    struct mv_err *err);
	void (*finish)(struct tui *t, void *ud, int rc);
	void *ud;
};

/* The shell state views may read. */
struct tui {
	struct home *h;
	char as[KS_NAME_MAX + 1];  /* current identity ("" if none) */
	uint8_t as_pk[32];
	bool has_as;
	char role[24];             /* council, therapist, patient, member */
	char network[128];
	int64_t now;               /* ms, updated every loop turn */
	unsigned gen;              /* bumped on every change of data */
	int rows, cols;
	int main_y, main_x, main_h, main_w; /* the main view rectangle */
	bool focus_main;           /* main view has focus (else the nav) */
	int cur_y, cur_x;          /* where a view wants the cursor (-1: hidden) */
	const struct view_ops *under; /* for help: the view help was opened over */
	struct netsync *sync;      /* background sync (netsync.h); NULL without a network */
};

/* ---- shell services for views ------------------------------------------ */

/* Show a message in the toast line (ttl 0 = the default for the level). */
void tui_toast(struct tui *t, enum ui_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Ask a yes/no question; on_yes runs if confirmed (ud is passed through). */
void tui_confirm(struct tui *t, const char *title, const char *text, const char *yes,
		 void (*on_yes)(struct tui *t, void *ud), void *ud);
/* Switch to view name (replacing the stack) or push it over the current one. */
void tui_goto(struct tui *t, const char *name);
void tui_push(struct tui *t, const char *name);
/* Act as identity name; false (with a toast) if it cannot be used. */
bool tui_switch_identity(struct tui *t, const char *name);
/* Start a job; false if one is already running. */
bool tui_start_job(struct tui *t, const struct tui_job *job);
bool tui_job_running(const struct tui *t);

/* Submit an op as the current identity from "name=value" fields. Errors and
 * rejections become a toast; returns MV_OK only if the op was applied. The
 * submit result is copied to res when non-NULL. */
int tui_submit(struct tui *t, const char *kind, int nfields, char *const *fields,
	       struct submit_result *res);
/* Report an op a view made through a home helper (home_people_*) the way
 * tui_submit reports its own: rc and err are the helper's; an error or a
 * rejection becomes a toast, and data reloads. MV_OK only if applied (or
 * stored, waiting). */
int tui_submitted(struct tui *t, int rc, const struct submit_result *res,
		  const struct mv_err *err);

/* Crisis words (core/crisis.h) in text a view submits outside a form (the
 * shell checks every form itself when it is submitted): the crisis screen
 * opens once the current key is handled and any dialog answered. What was
 * typed is not lost: the view saves or sends it as usual first. */
void tui_crisis_check(struct tui *t, const char *text);
/* True, once, when the crisis screen was opened by crisis words. */
bool tui_crisis_take(struct tui *t);

/* A display label for an account (cached: local identity, system account or
 * short hex). The returned text is valid until the next tui_label call. */
const char *tui_label(struct tui *t, const uint8_t id[32]);
/* Role of an identity: council members first, else its registered role
 * (patient, therapist, insurer, ...), else the prefix of its name
 * (therapist-, patient-, member-), else "user". */
void tui_role_of(struct tui *t, const char *name, const uint8_t pk[32], char *out,
		 size_t outlen);
/* Current balance of an account (0 if none). */
int64_t tui_balance(struct tui *t, const uint8_t id[32]);
/* A parameter by name (dflt if absent). */
int64_t tui_param(struct tui *t, const char *name, int64_t dflt);

/* Shared action handling for a list: movement actions. */
int tui_list_action(struct ui_list *l, enum tui_action a);

/* Drawing helpers for views. */
void tui_view_title(struct tui *t, const char *title, const char *right);

#endif
