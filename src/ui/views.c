/* views.c - the one table of screens. Adding a screen is one new
 * view_NAME.c exporting a `struct view_ops` and one row here; the order of
 * rows is the order of the left navigation (digits 1..9 jump to them). */
#include <string.h>
#include "ui/view.h"

extern const struct view_ops view_home;
extern const struct view_ops view_wallet;
extern const struct view_ops view_activity;
extern const struct view_ops view_identities;
extern const struct view_ops view_help;
extern const struct view_ops view_crisis;
extern const struct view_ops view_companion;
extern const struct view_ops view_onboarding;
extern const struct view_ops view_profile;
extern const struct view_ops view_recovery;
extern const struct view_ops view_verification;
extern const struct view_ops view_audit;
extern const struct view_ops view_staking;
extern const struct view_ops view_treasury;
extern const struct view_ops view_reputation;

/* care (issue 5) */
extern const struct view_ops view_find;
extern const struct view_ops view_therapist;
extern const struct view_ops view_book;
extern const struct view_ops view_sessions;
extern const struct view_ops view_services;
extern const struct view_ops view_availability;
extern const struct view_ops view_clients;
extern const struct view_ops view_notes;
extern const struct view_ops view_claims;
/* peers (issue 6) */
extern const struct view_ops view_network;
/* governance (issue 8) */
extern const struct view_ops view_proposals;
extern const struct view_ops view_dao;
extern const struct view_ops view_council;
extern const struct view_ops view_compliance;

const struct view_ops *const tui_views[] = {
	&view_home,
	&view_wallet,
	&view_activity,
	&view_identities,
	&view_help,
	&view_crisis,
	&view_companion,
	&view_onboarding,
	&view_profile,
	&view_recovery,
	&view_verification,
	&view_audit,
	&view_staking,
	&view_treasury,
	&view_reputation,
	/* care (issue 5) */
	&view_find,
	&view_therapist,
	&view_book,
	&view_sessions,
	&view_services,
	&view_availability,
	&view_clients,
	&view_notes,
	&view_claims,
	/* peers (issue 6) */
	&view_network,
	/* governance (issue 8) */
	&view_proposals,
	&view_dao,
	&view_council,
	&view_compliance,
	NULL,
};

size_t tui_view_count(void)
{
	size_t n = 0;
	while (tui_views[n])
		n++;
	return n;
}

int tui_view_index(const char *name)
{
	for (size_t i = 0; tui_views[i]; i++)
		if (strcmp(tui_views[i]->name, name) == 0)
			return (int)i;
	return -1;
}
