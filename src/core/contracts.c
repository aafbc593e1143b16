/* contracts.c - the one registry of contracts. Adding a contract means adding
 * its file under src/core/contracts/ and one row here; nothing else changes.
 * Order matters only for migrations (a contract's tables may reference the
 * tables of contracts listed before it). */
#include "contract.h"

extern const struct contract genesis_contract;
extern const struct contract ledger_contract;
extern const struct contract users_contract;
extern const struct contract verify_contract;
extern const struct contract access_contract;
extern const struct contract checkpoints_contract;
extern const struct contract staking_contract;
extern const struct contract treasury_contract;
extern const struct contract rewards_contract;
extern const struct contract reputation_contract;
extern const struct contract services_contract;
extern const struct contract sessions_contract;
extern const struct contract payments_contract;
extern const struct contract notes_contract;
extern const struct contract groups_contract;
extern const struct contract governance_contract;
extern const struct contract upgrades_contract;
extern const struct contract compliance_contract;
extern const struct contract bots_contract;

const struct contract *const contract_table[] = {
	&genesis_contract,
	&ledger_contract,
	&users_contract,
	&verify_contract,
	&access_contract,
	&checkpoints_contract,
	&staking_contract,
	&treasury_contract,
	&rewards_contract,
	&reputation_contract,
	&services_contract,
	&sessions_contract,
	&payments_contract,
	&notes_contract,
	&groups_contract,
	&governance_contract,
	&upgrades_contract,
	&compliance_contract,
	&bots_contract,
	NULL,
};
