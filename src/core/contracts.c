/* contracts.c - the one registry of contracts. Adding a contract means adding
 * its file under src/core/contracts/ and one row here; nothing else changes.
 * Order matters only for migrations (a contract's tables may reference the
 * tables of contracts listed before it). */
#include "contract.h"

extern const struct contract genesis_contract;
extern const struct contract ledger_contract;

const struct contract *const contract_table[] = {
	&genesis_contract,
	&ledger_contract,
	NULL,
};
