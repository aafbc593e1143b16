/* gov_form.h - the new-proposal form of the Proposals screen
 * (view_proposals.c). Three pages:
 *   main    scope (the platform or one of your groups), kind, title and
 *           description, and below them the typed actions added so far
 *           (Tab moves into that list: n adds, Enter edits, d removes);
 *   action  one typed action: its type (those of the proposal's kind) and a
 *           widget per field: amounts, accounts by name, parameter names
 *           from the network's parameters, choices, integers with bounds;
 *   review  what will be signed: every action described
 *           (gov_action_describe), the threshold and quorum, when voting
 *           opens and ends; y signs and sends gov.propose (home_gov.h).
 * Fields are checked when the cursor leaves them and again on submit; the
 * whole proposal is checked (home_gov_propose_check) before the review. A
 * refusal by the contract is shown verbatim on the main page, which keeps
 * everything typed. Nothing is sent before y on the review page. */
#ifndef MV_UI_GOV_FORM_H
#define MV_UI_GOV_FORM_H

#include "ui/view.h"

struct gov_form;

enum gov_form_event {
	GOV_FORM_STAY = 0,  /* still open */
	GOV_FORM_CANCEL,    /* Esc on the main page: the view closes it (asking
			       first when gov_form_dirty) */
	GOV_FORM_CREATED,   /* the proposal was applied (or stored, waiting) */
};

/* A form acting as t->as (account me); NULL if memory ran out. */
struct gov_form *gov_form_open(struct tui *t, const uint8_t me[32]);
void gov_form_free(struct gov_form *f);

/* Feed a key. Returns TUI_* flags (TUI_UNHANDLED: let the shell map it,
 * e.g. ! for crisis); *ev says whether the form is done; on
 * GOV_FORM_CREATED id gets the new proposal's id. */
int gov_form_key(struct gov_form *f, int key, enum gov_form_event *ev, uint8_t id[32]);

/* Draw in the h x w rectangle at (y, x); sets t->cur_y/cur_x for the
 * focused text field. */
void gov_form_draw(struct gov_form *f, int y, int x, int h, int w);

/* The keys of the current page, for the key bar and help. */
const enum tui_action *gov_form_actions(const struct gov_form *f);
/* True once something was typed or an action added. */
bool gov_form_dirty(const struct gov_form *f);

#endif
