/* genesis_conf.h - turning a genesis parameter file (assets/genesis.default
 * format) into the body of a genesis op. */
#ifndef MV_GENESIS_CONF_H
#define MV_GENESIS_CONF_H

#include "home.h"

/* The built-in defaults, identical to assets/genesis.default. */
extern const char genesis_conf_default[];

/* Parse text (path NULL: the built-in defaults) into a genesis body for a
 * network called name. Council names resolve through the home's identities.
 * Errors name the line: "genesis file line 12: bad amount ...". */
int genesis_conf_body(struct home *h, const char *name, const char *text,
		      struct mv_buf *body, struct mv_err *err);

#endif
