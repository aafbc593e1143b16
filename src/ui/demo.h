/* demo.h - the demo network (demo.c): a ready MentalVerse home built only
 * by real signed ops through the core API, for `mentalverse demo [DIR]`,
 * `make run`, the TUI and the e2e tests. */
#ifndef MV_DEMO_H
#define MV_DEMO_H

#include "core/util.h"

/* Network name of the demo. */
#define DEMO_NETWORK "mentalverse-demo"

/* Create the demo network in dir (created if absent; it must not hold a
 * network yet). Every identity uses the documented empty passphrase.
 * Fills err and returns a negative MV_E* code on failure. */
int demo_create(const char *dir, struct mv_err *err);

/* The demo's identity names, NULL-terminated, in creation order (the
 * founder, made by home_init, is not listed). */
extern const char *const demo_people[];

#endif
