/* query_upgrade.h - the upgrade banner: one line the terminal app shows at
 * the top of every screen while the network runs, or has scheduled, a
 * protocol version this program does not implement (contracts/upgrades.c).
 *
 * The facts are read once per reload (query_upgrade_banner_facts); the text
 * is made at every draw from them and the viewer's clock by a pure function
 * (upgrade_banner_text), so its countdown stays current and it can be tested
 * without a store. Texts are ASCII, so bytes are columns. */
#ifndef MV_QUERY_UPGRADE_H
#define MV_QUERY_UPGRADE_H

#include "store.h"
#include "gov.h"

struct upgrade_banner_facts {
	struct upgrade_status us;  /* upgrades_status */
	int64_t final_epoch;       /* highest final checkpoint epoch (0: genesis only) */
	int64_t final_time;        /* when it closed, ms (genesis time for epoch 0; 0: unknown) */
	int64_t every;             /* checkpoint_every, ms (0: no estimate) */
};

/* Fill f from contract state. */
void query_upgrade_banner_facts(struct store *st, struct upgrade_banner_facts *f);

/* When a scheduled epoch is expected to be final: the last final epoch's
 * time plus one checkpoint interval per epoch still to come (epochs close
 * at least that often while council nodes run; sooner when many ops
 * arrive). 0 when unknown. */
int64_t upgrade_banner_eta(const struct upgrade_banner_facts *f);

/* The banner for f at time now into out: "" (and false) when this program
 * implements the version in force and any version scheduled. A version in
 * force that it does not implement wins over a scheduled one. terse 0 is
 * the full sentence, 1 shorter, 2 the shortest; the caller picks the first
 * that fits its width. */
bool upgrade_banner_text(const struct upgrade_banner_facts *f, int64_t now, int terse,
			 char *out, size_t len);

/* "~40 min", "~3 h", "~2 d" (rounded to the nearest unit, at least 1 min):
 * how far away a time roughly is. */
void upgrade_banner_fmt_about(char *out, size_t len, int64_t ms);

#endif
