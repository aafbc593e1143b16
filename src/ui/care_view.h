/* care_view.h - curses helpers the care screens share (view_find.c ...
 * view_claims.c): a form host (open, keys, validation, discard question,
 * drawing with the cursor), names of people for display, and small
 * drawing pieces (a key: value line, a wrapped paragraph). Kept apart
 * from care_ui.h, which the CLI uses too and which knows no curses. */
#ifndef MV_UI_CARE_VIEW_H
#define MV_UI_CARE_VIEW_H

#include "ui/view.h"
#include "ui/care_ui.h"

/* A form shown in place of a screen's list. submit gets the validated form
 * and returns true to close it (false keeps it open, e.g. while a
 * confirmation dialog it opened is up: close it from there). */
struct care_form {
	bool open;
	char title[96];
	struct ui_form form;
	bool (*submit)(struct tui *t, void *ud, struct ui_form *f);
	void *ud;
};

/* Start a new form (fields are added by the caller with ui_form_add). */
void care_form_open(struct tui *t, struct care_form *cf, const char *title,
		    bool (*submit)(struct tui *t, void *ud, struct ui_form *f), void *ud);
void care_form_close(struct care_form *cf);
/* Feed a key; TUI_UNHANDLED when the form did not want it. */
int care_form_key(struct tui *t, struct care_form *cf, int key);
/* Draw the form's title as the screen's title and the fields from row y;
 * places the cursor. Returns rows used. */
int care_form_draw(struct tui *t, struct care_form *cf, int y);
/* Key-bar actions while a form is open. */
extern const enum tui_action care_form_actions[];
/* Set a choice field from "label" strings (value = label); false: no memory. */
bool care_form_choices(struct ui_field *f, const char *const *labels, size_t n);

/* The registered display name of an account (a patient's pseudonym, a
 * therapist's name), else the app's label for it. */
const char *care_view_name(struct tui *t, const uint8_t id[32], char *out, size_t outlen);

/* "Label   value" on one line at (y, x) in w columns; returns 1. */
int care_view_kv(int y, int x, int w, int labw, const char *label, int attr, const char *value);
/* A paragraph wrapped to w columns, at most maxrows; returns rows used. */
int care_view_para(int y, int x, int w, int maxrows, int attr, const char *text);
/* A one-line notice in the middle of the screen area below y. */
void care_view_empty(struct tui *t, int y, const char *text);

/* Home's cards from the care contracts: the next session with a countdown,
 * and bookings refused "slot taken" because an earlier booking of the same
 * slot arrived from another node, with the next free slots of that
 * service (Enter on it opens Book on that service). add is called once per
 * card with the screen Enter should open. */
typedef void (*care_view_card_fn)(void *ud, const char *target, enum theme_role role,
				  const char *title, const char *sub);
void care_view_home_cards(struct tui *t, care_view_card_fn add, void *ud);

#endif
