/* demo_gov.h - demo steps of the governance family that need a home helper
 * (demo_gov.c): a peer-support group created with its key sealed to the
 * creator, the key shared with members who joined, encrypted posts, and a
 * proposal whose typed action is given as one "TYPE FIELD=VALUE ..." field
 * (action=...). demo.c lists them in its helper table. */
#ifndef MV_DEMO_GOV_H
#define MV_DEMO_GOV_H

#include "core/home.h"

/* group.create: name, topic, policy, invite=A,B (accounts by name). */
int demo_gov_group_create(struct home *h, const char *as, char *const *fields, int n,
			  struct submit_result *res, struct mv_err *err);
/* group.key_share: group=ID; shares the current key with every member
 * lacking it (res->id is the group, outcome applied). */
int demo_gov_key_share(struct home *h, const char *as, char *const *fields, int n,
		       struct submit_result *res, struct mv_err *err);
/* group.post: group=ID text=TEXT, encrypted with the group key. */
int demo_gov_post(struct home *h, const char *as, char *const *fields, int n,
		  struct submit_result *res, struct mv_err *err);
/* gov.propose: kind, title, description, group, action=TYPE F=V ... as
 * the CLI's --action takes it (home_gov_action_parse: a value with spaces
 * in double quotes, charter="Be kind."). */
int demo_gov_propose(struct home *h, const char *as, char *const *fields, int n,
		     struct submit_result *res, struct mv_err *err);

#endif
