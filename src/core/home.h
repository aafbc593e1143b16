/* home.h - one MentalVerse home: a directory holding the store
 * (mentalverse.db), the identities (keys/) and node files. This is the API the
 * CLI and the TUI use to act: create a network, manage identities, build and
 * submit signed ops, import and export bundles, verify. It never touches the
 * terminal; passphrases come from MENTALVERSE_PASSPHRASE or the ask_pass
 * callback the front end installs. */
#ifndef MV_HOME_H
#define MV_HOME_H

#include "store.h"
#include "op.h"
#include "body.h"
#include "log.h"
#include "engine.h"
#include "keystore.h"

struct home {
	char dir[4096];
	char keydir[4200];
	struct store *st;
	bool has_network;
	uint8_t network[32];
	char network_name[128];
	/* Asks for NAME's passphrase; returns MV_OK with buf filled. */
	int (*ask_pass)(void *ud, const char *name, char *buf, size_t buflen);
	void *ask_ud;
	struct home_key *keys; /* unlocked keys cached for this process */
	struct home_name *names; /* local identity names by public key (labels) */
	size_t nnames;
	bool names_loaded;
};

/* Directory of the home: flag (--home) if set, else $MENTALVERSE_HOME, else
 * ${XDG_DATA_HOME:-~/.local/share}/mentalverse. */
int home_resolve_dir(char *out, size_t outlen, const char *flag, struct mv_err *err);

/* Open an existing home directory, or create an empty one if create. */
int home_open(struct home **out, const char *dir, bool create, struct mv_err *err);
void home_close(struct home *h);

/* Create a new network in an empty home: identity "founder" (council of one
 * unless genesis_file names more), genesis from genesis_file (NULL: the
 * built-in defaults, the same as assets/genesis.default). */
int home_init(struct home *h, const char *network_name, const char *genesis_file,
	      struct mv_err *err);

/* Identities. */
int home_keygen(struct home *h, const char *name, uint8_t pk_out[32], struct mv_err *err);
/* Default identity: the only one, else "founder", else the first by name. */
int home_default_identity(struct home *h, char *out, size_t outlen, struct mv_err *err);

/* An account reference: local identity name, system account name
 * (treasury, rewards), or 64 hex digits. */
int home_resolve_account(struct home *h, const char *ref, uint8_t out[32], struct mv_err *err);
/* A label for display: system account name, local identity name, the
 * registered display name (pseudonym) prefixed with '~', or the first 12 hex
 * digits followed by an ellipsis. Identity names are cached per process. */
void home_account_label(struct home *h, const uint8_t id[32], char *out, size_t outlen);

struct submit_result {
	uint8_t id[32];
	int outcome;        /* 1 applied, 0 rejected, -1 pending */
	char reason[256];
};

/* Build, sign (as identity `as`, NULL = default), accept and apply one op.
 * The op's clock follows the hybrid logical clock of DESIGN §3. A body the
 * kind's field specs refuse is refused before signing (MV_EINVAL). Returns
 * MV_OK when the op is in the log (res says applied or rejected). */
int home_submit(struct home *h, const char *as, const char *kind,
		const uint8_t *body, size_t body_len, struct submit_result *res,
		struct mv_err *err);

/* Same, with fields as "name=value" strings parsed by the kind's field
 * specs (amounts "1.5", times ISO 8601, accounts by name). */
int home_submit_fields(struct home *h, const char *as, const char *kind,
		       int nfields, char *const *fields, struct submit_result *res,
		       struct mv_err *err);

/* Parse one CLI value for a field spec into the builder. */
struct field_spec;
struct body_builder;
int home_parse_field(struct home *h, const struct field_spec *fs, const char *value,
		     struct body_builder *bb, struct mv_err *err);

struct import_counts {
	size_t new_, duplicate, pending, equivocation, refused;
	size_t applied, rejected;
	size_t blobs; /* from the bundle's blob section (bundle_blobs.h) */
};
typedef int (*home_progress_fn)(void *ud, const char *phase, size_t done, size_t total);

/* Accept a bundle, in one transaction: a bundle with any op that fails
 * decoding, its signature or the network check is refused whole (MV_EINVAL,
 * err names the op's index and reason) and the store is unchanged; a killed
 * import leaves nothing half-done, and importing again completes it. An
 * empty home takes the bundle's network from its genesis op. */
int home_import(struct home *h, const uint8_t *data, size_t len, struct import_counts *c,
		home_progress_fn progress, void *ud, struct mv_err *err);

/* Every op of the log (and pending) as a bundle, in log order. */
int home_export(struct home *h, struct mv_buf *out, struct mv_err *err);

/* Replay the whole log into a scratch in-memory store and compare state
 * roots. MV_OK if equal; MV_ERR with both roots in err otherwise. */
int home_verify(struct home *h, uint8_t live[32], uint8_t replay[32],
		home_progress_fn progress, void *ud, struct mv_err *err);

int home_state_root(struct home *h, uint8_t root[32], struct mv_err *err);

/* One checkpoint step for council identity `as` (NULL: default identity):
 * co-sign the next epoch's proposal if this node's root at that point agrees,
 * else propose one when due (or force). what says what happened. */
int home_checkpoint_tick(struct home *h, const char *as, bool force, char *what, size_t whatlen,
			 struct mv_err *err);

#endif
