/* fuzz_home.h - a scratch home for the fuzz targets that need one (CLI field
 * values, genesis files, pushed bundles). fuzz_home_get() makes it once per
 * process under $TMPDIR (empty passphrases, so no prompt): with a network
 * "fuzz" and identities founder, alice and bob when with_network, or empty
 * otherwise. The directory is removed when the process exits normally (a
 * crashing run leaves it behind, under /tmp/mv-fuzz-home.*). Header-only:
 * each target is a single file. */
#ifndef MV_FUZZ_HOME_H
#define MV_FUZZ_HOME_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/home.h"

static struct home *fuzz_home;
static char fuzz_home_dir[256];

static void fuzz_home_die(const char *what, const struct mv_err *err)
{
	fprintf(stderr, "fuzz home: %s: %s\n", what, err->msg);
	abort();
}

static void fuzz_home_cleanup(void)
{
	char cmd[320];
	if (fuzz_home)
		home_close(fuzz_home);
	fuzz_home = NULL;
	if (fuzz_home_dir[0]) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_home_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "fuzz home: could not remove %s\n", fuzz_home_dir);
	}
}

static struct home *fuzz_home_get(bool with_network)
{
	struct mv_err err;
	uint8_t pk[32];
	if (fuzz_home)
		return fuzz_home;
	const char *tmp = getenv("TMPDIR");
	snprintf(fuzz_home_dir, sizeof fuzz_home_dir, "%s/mv-fuzz-home.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(fuzz_home_dir))
		abort();
	atexit(fuzz_home_cleanup);
	setenv("MENTALVERSE_PASSPHRASE", "", 1);
	mv_err_clear(&err);
	if (home_open(&fuzz_home, fuzz_home_dir, true, &err) != MV_OK)
		fuzz_home_die("open", &err);
	if (!with_network)
		return fuzz_home;
	if (home_init(fuzz_home, "fuzz", NULL, &err) != MV_OK)
		fuzz_home_die("init", &err);
	if (home_keygen(fuzz_home, "alice", pk, &err) != MV_OK ||
	    home_keygen(fuzz_home, "bob", pk, &err) != MV_OK)
		fuzz_home_die("keygen", &err);
	return fuzz_home;
}

#endif
