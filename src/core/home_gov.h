/* home_gov.h - the home-level side of proposals (contracts/governance.c):
 * typed actions encoded from what a person typed, checked with the action
 * type's field specs, and gov.propose sent with a list of them. The CLI
 * (`propose KIND TITLE --action ... --action ...`) and the new-proposal form
 * of the Proposals screen both go through here, so an unknown field, a
 * missing one, a bad amount, an unknown account, an action of another kind
 * or one action too many is refused before anything is signed. The contract
 * still checks everything again when the op is applied. */
#ifndef MV_HOME_GOV_H
#define MV_HOME_GOV_H

#include "home.h"

/* Actions a proposal may ever hold, whatever gov_max_actions says (the
 * field spec of gov.propose's actions list). */
#define HOME_GOV_ACTIONS_HARD_MAX 64

/* Encode an action of `type` from n fields given as text, the way the CLI
 * takes them (home_parse_field: amounts "1.5", accounts by name or hex,
 * yes/no, lists comma-separated). Refuses an unknown type or field, a field
 * given twice, a missing field and what the type's field specs refuse
 * (bounds, choices), with a message naming the field; a param.set whose
 * value governance may not set (gov_param_settable) is refused too. out is
 * initialised here; mv_buf_free it. */
int home_gov_action_encode(struct home *h, const char *type, size_t n, const char *const *names,
			   const char *const *values, struct mv_buf *out, struct mv_err *err);

/* The CLI's form of an action: "TYPE FIELD=VALUE ...", fields separated by
 * spaces; a value holding spaces goes in double quotes (purpose="clinic
 * grant", \" for a quote inside). Encoded as home_gov_action_encode. */
int home_gov_action_parse(struct home *h, const char *spec, struct mv_buf *out,
			  struct mv_err *err);

/* The type of an encoded action into out ("" if it has none). */
void home_gov_action_type(const struct mv_buf *action, char *out, size_t outlen);

struct home_proposal {
	const char *kind;             /* param|treasury|council|upgrade|rewards|text|group */
	const char *title;
	const char *description;      /* NULL or "" for none */
	const uint8_t *group;         /* a group proposal's group, else NULL */
	const struct mv_buf *actions; /* encoded actions (home_gov_action_*) */
	size_t nactions;
};

/* What can be told before signing: a title, a known kind, a group iff the
 * kind is group, no action in a text proposal and at least one in the
 * others, at most gov_max_actions, and every action of the proposal's kind.
 * MV_OK, or MV_EINVAL with the message to show. */
int home_gov_propose_check(struct home *h, const struct home_proposal *p, struct mv_err *err);

/* home_gov_propose_check, then sign gov.propose as `as` (NULL: the default
 * identity) and apply it. MV_OK when the op is in the log: res says applied
 * (res->id is the new proposal's id) or rejected with the contract's reason
 * (a live proposal already, below the proposal threshold, ...). */
int home_gov_propose(struct home *h, const char *as, const struct home_proposal *p,
		     struct submit_result *res, struct mv_err *err);

#endif
