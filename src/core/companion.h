/* companion.h - the built-in companion's data: daily mood check-ins and
 * guided thought records, kept on this node only (table local_companion:
 * never contract state, never synced), encrypted at rest; the chart of
 * mood over time; the text format of check-ins shared with a therapist
 * (access.share_mood, docs/contracts/people.md).
 *
 * Encryption: every entry is one row whose plaintext (padded to 64-byte
 * blocks with sodium_pad) is sealed with XChaCha20-Poly1305 (libsodium
 * crypto_aead_xchacha20poly1305_ietf, random nonce) under a key derived
 * with crypto_kdf from the identity's secret key; the owner key, the kind
 * and the time are the associated data, so a row moved to another owner,
 * kind or time fails to open. SQLite holds only the owner's public key,
 * the kind, the time and the sealed box. No function here reads a key
 * file: callers pass the derived key (home_companion.h derives it).
 *
 * The companion is not a clinician: nothing here interprets scores. */
#ifndef MV_COMPANION_H
#define MV_COMPANION_H

#include "store.h"

#define COMPANION_KEY_LEN 32
#define COMPANION_TEXT_MAX 1000  /* bytes of a note or of one thought-record field */
#define COMPANION_TAGS_MAX 8
#define COMPANION_TAG_MAX 32     /* bytes of one tag */
#define COMPANION_TAGS_LEN (COMPANION_TAGS_MAX * (COMPANION_TAG_MAX + 1))
#define COMPANION_EMOTION_MAX 64
#define COMPANION_SHARE_MAX 400  /* check-ins in one share */
#define COMPANION_DAY_MS INT64_C(86400000)

enum companion_kind { COMPANION_CHECKIN = 1, COMPANION_THOUGHT = 2 };

struct companion_checkin {
	int64_t id;     /* local row id; 0 for shared check-ins */
	int64_t time;   /* ms UTC */
	int score;      /* 1..10 */
	char tags[COMPANION_TAGS_LEN + 1]; /* normalised, comma-separated */
	char note[COMPANION_TEXT_MAX + 1];
};

/* A thought record (cognitive restructuring, in this order). Intensities
 * are 0..100 (percent). */
struct companion_thought {
	int64_t id, time;
	char situation[COMPANION_TEXT_MAX + 1];
	char thought[COMPANION_TEXT_MAX + 1];      /* the automatic thought */
	char emotion[COMPANION_EMOTION_MAX + 1];
	int intensity;
	char evidence_for[COMPANION_TEXT_MAX + 1];
	char evidence_against[COMPANION_TEXT_MAX + 1];
	char balanced[COMPANION_TEXT_MAX + 1];     /* the balanced thought */
	int rerated;                               /* the emotion re-rated */
};

/* Derive the companion key from a 64-byte Ed25519 secret key (crypto_kdf,
 * subkey 1 of context "mvcompan" under the key's seed). */
void companion_key_derive(const uint8_t sk[64], uint8_t key[COMPANION_KEY_LEN]);

/* Normalise a comma-separated tag list: each tag trimmed, ASCII letters
 * lowered, empty tags dropped, duplicates dropped; at most
 * COMPANION_TAGS_MAX tags of COMPANION_TAG_MAX bytes, valid UTF-8 without
 * controls. MV_EINVAL (err says why) otherwise. */
int companion_tags_normalise(const char *in, char out[COMPANION_TAGS_LEN + 1],
			     struct mv_err *err);

/* Validate (score 1..10, tags, note: valid UTF-8, within bounds) and
 * store a check-in of owner at time, encrypted. *id gets the row id. */
int companion_add_checkin(struct store *st, const uint8_t owner[32],
			  const uint8_t key[COMPANION_KEY_LEN], int64_t time, int score,
			  const char *tags, const char *note, int64_t *id, struct mv_err *err);
/* Validate (situation, thought and emotion required; intensities 0..100)
 * and store a thought record. t->id and t->time are ignored; *id gets the
 * row id. */
int companion_add_thought(struct store *st, const uint8_t owner[32],
			  const uint8_t key[COMPANION_KEY_LEN], int64_t time,
			  const struct companion_thought *t, int64_t *id, struct mv_err *err);

/* Owner's entries of one kind with time >= since, oldest first, each
 * decrypted into a struct passed to cb (valid during the call; cb returns
 * non-zero to stop). MV_ECRYPTO if a row does not open with key (a wrong
 * key, or a row altered on disk): nothing after it is passed. */
int companion_checkins(struct store *st, const uint8_t owner[32],
		       const uint8_t key[COMPANION_KEY_LEN], int64_t since,
		       int (*cb)(void *ud, const struct companion_checkin *c), void *ud,
		       struct mv_err *err);
int companion_thoughts(struct store *st, const uint8_t owner[32],
		       const uint8_t key[COMPANION_KEY_LEN], int64_t since,
		       int (*cb)(void *ud, const struct companion_thought *t), void *ud,
		       struct mv_err *err);
/* Delete owner's entry id (either kind); MV_ENOTFOUND if there is none. */
int companion_delete(struct store *st, const uint8_t owner[32], int64_t id, struct mv_err *err);

/* ---- the chart ------------------------------------------------------------ */

/* Daily mean scores of the `days` UTC days ending with the day holding now:
 * out[i] is day i's mean in tenths (10..100, rounded half up), 0 for a day
 * without a check-in. Check-ins outside the window are ignored. Returns the
 * number of days with a check-in. */
size_t companion_daily(const struct companion_checkin *v, size_t n, int64_t now, int days,
		       int *out);
/* Put `days` daily values (0 = none) into `cols` columns: with
 * days <= cols one column per day (cols = days), else column c holds days
 * [c*days/cols, (c+1)*days/cols) and shows the mean of those with data
 * (tenths), 0 if none. Returns the columns filled. */
int companion_columns(const int *daily, int days, int cols, int *out);

struct companion_stats {
	size_t count;          /* check-ins */
	int mean;              /* tenths, 0 if none */
	int low, high;         /* scores, 0 if none */
};
void companion_stats(const struct companion_checkin *v, size_t n, struct companion_stats *out);

/* ---- sharing ------------------------------------------------------------------ */

/* The plaintext of a share: "mv-checkins 1\n", then one line per check-in:
 * TIME \t SCORE \t TAGS \t NOTE, with '\\', '\t', '\n' escaped. out is
 * initialised here. */
int companion_share_encode(const struct companion_checkin *v, size_t n, struct mv_buf *out,
			   struct mv_err *err);
/* Parse a share (bytes from another person: every field is checked as
 * companion_add_checkin checks it). Check-ins go to cb in order; MV_EINVAL
 * names the first bad line. */
int companion_share_decode(const uint8_t *p, size_t n,
			   int (*cb)(void *ud, const struct companion_checkin *c), void *ud,
			   struct mv_err *err);

/* A share recorded by access.share_mood (state: access_mood_shares). */
struct companion_share {
	uint8_t op[32];
	uint8_t patient[32], therapist[32];
	uint8_t blob[32];
	uint8_t therapist_key[80], patient_key[80];
	int64_t time;
};
/* Shares where account is the patient or the therapist, newest first. */
int companion_shares(struct store *st, const uint8_t account[32],
		     int (*cb)(void *ud, const struct companion_share *s), void *ud,
		     struct mv_err *err);

#endif
