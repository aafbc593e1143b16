/* companion.c - the companion's local, encrypted entries, its chart
 * arithmetic and the share format (see companion.h).
 *
 * An entry's plaintext is one record of tab-separated, escaped fields
 * ('\\' -> "\\\\", tab -> "\\t", newline -> "\\n"), the first naming the
 * kind and version: "c1" SCORE TAGS NOTE for a check-in, "t1" SITUATION
 * THOUGHT EMOTION INTENSITY FOR AGAINST BALANCED RERATED for a thought
 * record. It is padded to 64-byte blocks, so a row's size says little
 * about the text, and sealed with XChaCha20-Poly1305 under the derived key:
 *   box = nonce (24) | ciphertext, AD = "mvc1" | owner (32) | kind (1) | time (8, big-endian).
 * Plaintext buffers are wiped before they are freed. */
#include "companion.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CP_PAD 64
#define CP_AD_LEN (4 + 32 + 1 + 8)
#define CP_NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define CP_ABYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define CP_RECORD_MAX (8 * (2 * COMPANION_TEXT_MAX + 1) + 64)
#define CP_TIME_MAX INT64_C(253402300799999) /* 9999-12-31T23:59:59.999Z */
#define CP_SHARE_HEADER "mv-checkins 1\n"

/* libsodium must be initialised before guarded memory or randomness is
 * used; sodium_init is idempotent (the rest of the core calls it too). */
static int cp_sodium(struct mv_err *err)
{
	return sodium_init() < 0 ? mv_fail(err, MV_ERR, "libsodium failed to initialise") : MV_OK;
}

void companion_key_derive(const uint8_t sk[64], uint8_t key[COMPANION_KEY_LEN])
{
	/* the seed (first half of libsodium's secret key) is the master key;
	 * a pure BLAKE2b computation, so no sodium_init is needed here */
	crypto_kdf_derive_from_key(key, COMPANION_KEY_LEN, 1, "mvcompan", sk);
}

/* ---- validation ------------------------------------------------------------ */

static int cp_text(const char *what, const char *s, size_t max, bool required, struct mv_err *err)
{
	size_t n = s ? strlen(s) : 0;
	if (required && n == 0)
		return mv_fail(err, MV_EINVAL, "%s is empty", what);
	if (n > max)
		return mv_fail(err, MV_EINVAL, "%s is too long (%zu bytes, at most %zu)", what, n, max);
	if (n && !mv_utf8_valid((const uint8_t *)s, n))
		return mv_fail(err, MV_EINVAL, "%s is not valid UTF-8 text", what);
	return MV_OK;
}

int companion_tags_normalise(const char *in, char out[COMPANION_TAGS_LEN + 1], struct mv_err *err)
{
	size_t len = 0, count = 0;
	out[0] = '\0';
	for (const char *s = in ? in : ""; *s;) {
		const char *c = strchr(s, ',');
		size_t n = c ? (size_t)(c - s) : strlen(s);
		const char *t = s;
		s += n + (c ? 1 : 0);
		while (n && (*t == ' ' || *t == '\t'))
			t++, n--;
		while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
			n--;
		if (n == 0)
			continue;
		char tag[COMPANION_TAG_MAX + 1];
		if (n > COMPANION_TAG_MAX)
			return mv_fail(err, MV_EINVAL, "tag \"%.*s\" is too long (at most %d bytes)",
				       (int)(n > 40 ? 40 : n), t, COMPANION_TAG_MAX);
		for (size_t i = 0; i < n; i++)
			tag[i] = t[i] >= 'A' && t[i] <= 'Z' ? (char)(t[i] + 32) : t[i];
		tag[n] = '\0';
		if (!mv_utf8_valid((const uint8_t *)tag, n) || strpbrk(tag, "\t\n"))
			return mv_fail(err, MV_EINVAL, "a tag is not plain UTF-8 text");
		bool dup = false;
		for (const char *p = out; *p && !dup;) {
			size_t k = strcspn(p, ",");
			dup = k == n && memcmp(p, tag, n) == 0;
			p += k + (p[k] == ',');
		}
		if (dup)
			continue;
		if (++count > COMPANION_TAGS_MAX)
			return mv_fail(err, MV_EINVAL, "at most %d tags", COMPANION_TAGS_MAX);
		len += (size_t)snprintf(out + len, COMPANION_TAGS_LEN + 1 - len, "%s%s", len ? "," : "", tag);
	}
	return MV_OK;
}

/* ---- records ------------------------------------------------------------------ */

static int cp_put_field(struct mv_buf *b, const char *s, bool last)
{
	int rc = MV_OK;
	for (; rc == MV_OK && *s; s++) {
		if (*s == '\\')
			rc = mv_buf_append(b, "\\\\", 2);
		else if (*s == '\t')
			rc = mv_buf_append(b, "\\t", 2);
		else if (*s == '\n')
			rc = mv_buf_append(b, "\\n", 2);
		else
			rc = mv_buf_byte(b, (uint8_t)*s);
	}
	return rc == MV_OK ? mv_buf_byte(b, last ? '\n' : '\t') : rc;
}

static int cp_put_int(struct mv_buf *b, int64_t v, bool last)
{
	char num[24];
	snprintf(num, sizeof num, "%lld", (long long)v);
	return cp_put_field(b, num, last);
}

/* Split one line (no '\n' inside) into n unescaped fields of out[i] (cap
 * caps[i] bytes including the NUL). */
static int cp_fields(const char *line, size_t len, int n, char **out, const size_t *caps,
		     struct mv_err *err)
{
	size_t i = 0;
	for (int f = 0; f < n; f++) {
		size_t o = 0;
		while (i < len && line[i] != '\t') {
			char c = line[i++];
			if (c == '\\') {
				if (i >= len)
					return mv_fail(err, MV_EINVAL, "field %d ends in an escape", f + 1);
				c = line[i++];
				c = c == 't' ? '\t' : c == 'n' ? '\n' : c == '\\' ? '\\' : 0;
				if (!c)
					return mv_fail(err, MV_EINVAL, "field %d has a bad escape", f + 1);
			} else if ((unsigned char)c < 0x20) {
				return mv_fail(err, MV_EINVAL, "field %d holds a control character", f + 1);
			}
			if (o + 1 >= caps[f])
				return mv_fail(err, MV_EINVAL, "field %d is too long", f + 1);
			out[f][o++] = c;
		}
		out[f][o] = '\0';
		if (f + 1 < n) {
			if (i >= len)
				return mv_fail(err, MV_EINVAL, "%d fields expected, found %d", n, f + 1);
			i++; /* the tab */
		}
	}
	if (i != len)
		return mv_fail(err, MV_EINVAL, "more than %d fields", n);
	return MV_OK;
}

static int cp_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	int64_t v = 0;
	if (!s[0] || strlen(s) > 18)
		return MV_EINVAL;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return MV_EINVAL;
		v = v * 10 + (*p - '0');
	}
	if (v < lo || v > hi)
		return MV_EINVAL;
	*out = v;
	return MV_OK;
}

static int cp_check_checkin(int score, const char *tags, const char *note, char *norm,
			    struct mv_err *err)
{
	if (score < 1 || score > 10)
		return mv_fail(err, MV_EINVAL, "score must be 1 to 10 (got %d)", score);
	if (companion_tags_normalise(tags, norm, err) != MV_OK)
		return MV_EINVAL;
	return cp_text("note", note, COMPANION_TEXT_MAX, false, err);
}

static int cp_check_thought(const struct companion_thought *t, struct mv_err *err)
{
	const struct {
		const char *what, *s;
		size_t max;
		bool required;
	} f[] = {
		{"situation", t->situation, COMPANION_TEXT_MAX, true},
		{"automatic thought", t->thought, COMPANION_TEXT_MAX, true},
		{"emotion", t->emotion, COMPANION_EMOTION_MAX, true},
		{"evidence for", t->evidence_for, COMPANION_TEXT_MAX, false},
		{"evidence against", t->evidence_against, COMPANION_TEXT_MAX, false},
		{"balanced thought", t->balanced, COMPANION_TEXT_MAX, false},
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (cp_text(f[i].what, f[i].s, f[i].max, f[i].required, err) != MV_OK)
			return MV_EINVAL;
	if (t->intensity < 0 || t->intensity > 100 || t->rerated < 0 || t->rerated > 100)
		return mv_fail(err, MV_EINVAL, "intensities are 0 to 100 (percent)");
	return MV_OK;
}

/* ---- sealing -------------------------------------------------------------------- */

static void cp_ad(uint8_t ad[CP_AD_LEN], const uint8_t owner[32], int kind, int64_t time)
{
	memcpy(ad, "mvc1", 4);
	memcpy(ad + 4, owner, 32);
	ad[36] = (uint8_t)kind;
	mv_put_u64(ad + 37, (uint64_t)time);
}

static int cp_store(struct store *st, const uint8_t owner[32], const uint8_t key[32], int kind,
		    int64_t time, struct mv_buf *rec, int64_t *id, struct mv_err *err)
{
	static const char sql[] = "INSERT INTO local_companion(owner, kind, time, box) VALUES(?, ?, ?, ?)";
	uint8_t ad[CP_AD_LEN];
	size_t padded = 0;
	if (time < 0 || time > CP_TIME_MAX)
		return mv_fail(err, MV_EINVAL, "time out of range");
	if (cp_sodium(err) != MV_OK)
		return MV_ERR;
	if (mv_buf_reserve(rec, CP_PAD) != MV_OK ||
	    sodium_pad(&padded, rec->data, rec->len, CP_PAD, rec->cap) != 0)
		return mv_fail(err, MV_ERR, "out of memory");
	size_t boxlen = CP_NONCE + padded + CP_ABYTES;
	uint8_t *box = malloc(boxlen);
	if (!box)
		return mv_fail(err, MV_ERR, "out of memory");
	randombytes_buf(box, CP_NONCE);
	cp_ad(ad, owner, kind, time);
	unsigned long long clen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + CP_NONCE, &clen, rec->data, padded, ad,
						   sizeof ad, NULL, box, key);
	sqlite3_stmt *s = store_prep(st, sql, err);
	int rc = s ? MV_OK : MV_ERR;
	if (s) {
		sqlite3_bind_blob(s, 1, owner, 32, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, kind);
		sqlite3_bind_int64(s, 3, time);
		sqlite3_bind_blob(s, 4, box, (int)boxlen, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(st, err, "local_companion");
		else if (id)
			*id = sqlite3_last_insert_rowid(store_db(st));
		sqlite3_reset(s);
	}
	free(box);
	return rc;
}

/* Open one row's box into rec (NUL-terminated record, unpadded). */
static int cp_open(const uint8_t owner[32], const uint8_t key[32], int kind, int64_t time,
		   const uint8_t *box, size_t boxlen, char *rec, size_t reccap, struct mv_err *err)
{
	uint8_t ad[CP_AD_LEN];
	unsigned long long mlen = 0;
	size_t unpadded = 0;
	if (boxlen < CP_NONCE + CP_ABYTES || boxlen - CP_NONCE - CP_ABYTES >= reccap)
		return mv_fail(err, MV_ECRYPTO, "a companion entry has a bad size");
	cp_ad(ad, owner, kind, time);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)rec, &mlen, NULL, box + CP_NONCE,
						       boxlen - CP_NONCE, ad, sizeof ad, box, key) != 0)
		return mv_fail(err, MV_ECRYPTO, "a companion entry does not open with this identity's "
				    "key (another key, or the entry was altered)");
	if (sodium_unpad(&unpadded, (uint8_t *)rec, (size_t)mlen, CP_PAD) != 0) {
		sodium_memzero(rec, reccap);
		return mv_fail(err, MV_ECRYPTO, "a companion entry is not padded as written");
	}
	rec[unpadded] = '\0';
	return MV_OK;
}

int companion_add_checkin(struct store *st, const uint8_t owner[32],
			  const uint8_t key[COMPANION_KEY_LEN], int64_t time, int score,
			  const char *tags, const char *note, int64_t *id, struct mv_err *err)
{
	char norm[COMPANION_TAGS_LEN + 1];
	struct mv_buf rec = {0};
	if (cp_check_checkin(score, tags, note, norm, err) != MV_OK)
		return MV_EINVAL;
	int rc = cp_put_field(&rec, "c1", false);
	if (rc == MV_OK)
		rc = cp_put_int(&rec, score, false);
	if (rc == MV_OK)
		rc = cp_put_field(&rec, norm, false);
	if (rc == MV_OK)
		rc = cp_put_field(&rec, note ? note : "", true);
	if (rc == MV_OK)
		rec.len--; /* no newline inside a row */
	rc = rc == MV_OK ? cp_store(st, owner, key, COMPANION_CHECKIN, time, &rec, id, err)
			 : mv_fail(err, MV_ERR, "out of memory");
	if (rec.data)
		sodium_memzero(rec.data, rec.cap);
	mv_buf_free(&rec);
	return rc;
}

int companion_add_thought(struct store *st, const uint8_t owner[32],
			  const uint8_t key[COMPANION_KEY_LEN], int64_t time,
			  const struct companion_thought *t, int64_t *id, struct mv_err *err)
{
	struct mv_buf rec = {0};
	if (cp_check_thought(t, err) != MV_OK)
		return MV_EINVAL;
	int rc = cp_put_field(&rec, "t1", false);
	const char *texts[] = {t->situation, t->thought, t->emotion};
	for (int i = 0; rc == MV_OK && i < 3; i++)
		rc = cp_put_field(&rec, texts[i], false);
	if (rc == MV_OK)
		rc = cp_put_int(&rec, t->intensity, false);
	const char *more[] = {t->evidence_for, t->evidence_against, t->balanced};
	for (int i = 0; rc == MV_OK && i < 3; i++)
		rc = cp_put_field(&rec, more[i], false);
	if (rc == MV_OK)
		rc = cp_put_int(&rec, t->rerated, true);
	if (rc == MV_OK)
		rec.len--;
	rc = rc == MV_OK ? cp_store(st, owner, key, COMPANION_THOUGHT, time, &rec, id, err)
			 : mv_fail(err, MV_ERR, "out of memory");
	if (rec.data)
		sodium_memzero(rec.data, rec.cap);
	mv_buf_free(&rec);
	return rc;
}

/* Parse a check-in record ("c1" ...) into c. */
static int cp_parse_checkin(const char *rec, size_t len, struct companion_checkin *c,
			    struct mv_err *err)
{
	char tag[4], score[4], tags[COMPANION_TAGS_LEN + 1];
	char *out[] = {tag, score, tags, c->note};
	const size_t caps[] = {sizeof tag, sizeof score, sizeof tags, sizeof c->note};
	int64_t v;
	if (cp_fields(rec, len, 4, out, caps, err) != MV_OK)
		return MV_EINVAL;
	if (strcmp(tag, "c1") != 0 || cp_int(score, 1, 10, &v) != MV_OK)
		return mv_fail(err, MV_EINVAL, "not a check-in record");
	c->score = (int)v;
	if (cp_check_checkin(c->score, tags, c->note, c->tags, err) != MV_OK)
		return MV_EINVAL;
	return MV_OK;
}

static int cp_parse_thought(const char *rec, size_t len, struct companion_thought *t,
			    struct mv_err *err)
{
	char tag[4], in[8], re[8];
	char *out[] = {tag, t->situation, t->thought, t->emotion, in, t->evidence_for,
		       t->evidence_against, t->balanced, re};
	const size_t caps[] = {sizeof tag, sizeof t->situation, sizeof t->thought, sizeof t->emotion,
			       sizeof in, sizeof t->evidence_for, sizeof t->evidence_against,
			       sizeof t->balanced, sizeof re};
	int64_t a, b;
	if (cp_fields(rec, len, 9, out, caps, err) != MV_OK)
		return MV_EINVAL;
	if (strcmp(tag, "t1") != 0 || cp_int(in, 0, 100, &a) != MV_OK || cp_int(re, 0, 100, &b) != MV_OK)
		return mv_fail(err, MV_EINVAL, "not a thought record");
	t->intensity = (int)a;
	t->rerated = (int)b;
	return cp_check_thought(t, err);
}

/* Every row of owner and kind since `since`, opened into the record buffer,
 * parsed by parse into item and passed to cb. */
struct cp_walk {
	int kind;
	void *item;
	int (*parse)(const char *rec, size_t len, void *item, struct mv_err *err);
	int (*cb)(void *ud, void *item, int64_t id, int64_t time);
	void *ud;
};

static int cp_walk(struct store *st, const uint8_t owner[32], const uint8_t key[32], int64_t since,
		   const struct cp_walk *w, struct mv_err *err)
{
	static const char sql[] = "SELECT id, time, box FROM local_companion"
				  " WHERE owner = ? AND kind = ? AND time >= ? ORDER BY time, id";
	if (cp_sodium(err) != MV_OK)
		return MV_ERR;
	char *rec = sodium_malloc(CP_RECORD_MAX + CP_PAD + 1);
	if (!rec)
		return mv_fail(err, MV_ERR, "out of memory");
	sqlite3_stmt *s = store_prep(st, sql, err);
	int rc = s ? MV_OK : MV_ERR;
	if (s) {
		sqlite3_bind_blob(s, 1, owner, 32, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, w->kind);
		sqlite3_bind_int64(s, 3, since);
	}
	while (rc == MV_OK) {
		int step = sqlite3_step(s);
		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_ROW) {
			rc = store_sqlerr(st, err, "local_companion");
			break;
		}
		int64_t id = sqlite3_column_int64(s, 0), time = sqlite3_column_int64(s, 1);
		const uint8_t *box = sqlite3_column_blob(s, 2);
		size_t boxlen = (size_t)sqlite3_column_bytes(s, 2);
		rc = cp_open(owner, key, w->kind, time, box, boxlen, rec, CP_RECORD_MAX + CP_PAD + 1, err);
		if (rc == MV_OK && w->parse(rec, strlen(rec), w->item, err) != MV_OK)
			rc = MV_ECRYPTO; /* it opened, so it was written by this key: not ours to fix */
		if (rc == MV_OK && w->cb(w->ud, w->item, id, time))
			break;
	}
	if (s)
		sqlite3_reset(s);
	sodium_free(rec); /* sodium_free wipes */
	return rc;
}

struct cp_checkin_walk {
	int (*cb)(void *ud, const struct companion_checkin *c);
	void *ud;
};

static int cp_parse_checkin_v(const char *rec, size_t len, void *item, struct mv_err *err)
{
	return cp_parse_checkin(rec, len, item, err);
}

static int cp_checkin_cb(void *ud, void *item, int64_t id, int64_t time)
{
	struct cp_checkin_walk *w = ud;
	struct companion_checkin *c = item;
	c->id = id;
	c->time = time;
	return w->cb(w->ud, c);
}

int companion_checkins(struct store *st, const uint8_t owner[32],
		       const uint8_t key[COMPANION_KEY_LEN], int64_t since,
		       int (*cb)(void *ud, const struct companion_checkin *c), void *ud,
		       struct mv_err *err)
{
	if (cp_sodium(err) != MV_OK)
		return MV_ERR;
	struct companion_checkin *c = sodium_malloc(sizeof *c);
	if (!c)
		return mv_fail(err, MV_ERR, "out of memory");
	struct cp_checkin_walk cw = {cb, ud};
	struct cp_walk w = {COMPANION_CHECKIN, c, cp_parse_checkin_v, cp_checkin_cb, &cw};
	int rc = cp_walk(st, owner, key, since, &w, err);
	sodium_free(c);
	return rc;
}

struct cp_thought_walk {
	int (*cb)(void *ud, const struct companion_thought *t);
	void *ud;
};

static int cp_parse_thought_v(const char *rec, size_t len, void *item, struct mv_err *err)
{
	return cp_parse_thought(rec, len, item, err);
}

static int cp_thought_cb(void *ud, void *item, int64_t id, int64_t time)
{
	struct cp_thought_walk *w = ud;
	struct companion_thought *t = item;
	t->id = id;
	t->time = time;
	return w->cb(w->ud, t);
}

int companion_thoughts(struct store *st, const uint8_t owner[32],
		       const uint8_t key[COMPANION_KEY_LEN], int64_t since,
		       int (*cb)(void *ud, const struct companion_thought *t), void *ud,
		       struct mv_err *err)
{
	if (cp_sodium(err) != MV_OK)
		return MV_ERR;
	struct companion_thought *t = sodium_malloc(sizeof *t);
	if (!t)
		return mv_fail(err, MV_ERR, "out of memory");
	struct cp_thought_walk tw = {cb, ud};
	struct cp_walk w = {COMPANION_THOUGHT, t, cp_parse_thought_v, cp_thought_cb, &tw};
	int rc = cp_walk(st, owner, key, since, &w, err);
	sodium_free(t);
	return rc;
}

int companion_delete(struct store *st, const uint8_t owner[32], int64_t id, struct mv_err *err)
{
	static const char sql[] = "DELETE FROM local_companion WHERE id = ? AND owner = ?";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_blob(s, 2, owner, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s) == SQLITE_DONE ? MV_OK : store_sqlerr(st, err, "local_companion");
	sqlite3_reset(s);
	if (rc == MV_OK && sqlite3_changes(store_db(st)) == 0)
		return mv_fail(err, MV_ENOTFOUND, "no companion entry %lld of yours", (long long)id);
	return rc;
}

/* ---- the chart -------------------------------------------------------------------- */

static int64_t cp_day(int64_t ms)
{
	return ms >= 0 ? ms / COMPANION_DAY_MS : -((-ms + COMPANION_DAY_MS - 1) / COMPANION_DAY_MS);
}

/* Mean of sum/count in tenths, rounded half up. */
static int cp_mean10(int64_t sum10, int64_t count)
{
	return count ? (int)((sum10 + count / 2) / count) : 0;
}

size_t companion_daily(const struct companion_checkin *v, size_t n, int64_t now, int days, int *out)
{
	if (days <= 0)
		return 0;
	int64_t *sum = calloc((size_t)days, sizeof *sum), *cnt = calloc((size_t)days, sizeof *cnt);
	size_t with = 0;
	int64_t first = cp_day(now) - days + 1;
	for (size_t i = 0; sum && cnt && i < n; i++) {
		int64_t d = cp_day(v[i].time) - first;
		if (d < 0 || d >= days)
			continue;
		sum[d] += v[i].score * 10;
		cnt[d]++;
	}
	for (int d = 0; d < days; d++) {
		out[d] = sum && cnt ? cp_mean10(sum[d], cnt[d]) : 0;
		with += out[d] != 0;
	}
	free(sum);
	free(cnt);
	return with;
}

int companion_columns(const int *daily, int days, int cols, int *out)
{
	if (days <= 0 || cols <= 0)
		return 0;
	if (days <= cols) {
		memcpy(out, daily, (size_t)days * sizeof *out);
		return days;
	}
	for (int c = 0; c < cols; c++) {
		int a = (int)((int64_t)c * days / cols), b = (int)((int64_t)(c + 1) * days / cols);
		int64_t sum = 0, cnt = 0;
		for (int d = a; d < b; d++)
			if (daily[d]) {
				sum += daily[d];
				cnt++;
			}
		out[c] = cnt ? (int)((sum + cnt / 2) / cnt) : 0;
	}
	return cols;
}

void companion_stats(const struct companion_checkin *v, size_t n, struct companion_stats *out)
{
	int64_t sum = 0;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		sum += v[i].score * 10;
		if (!out->low || v[i].score < out->low)
			out->low = v[i].score;
		if (v[i].score > out->high)
			out->high = v[i].score;
	}
	out->count = n;
	out->mean = cp_mean10(sum, (int64_t)n);
}

/* ---- sharing ------------------------------------------------------------------------ */

int companion_share_encode(const struct companion_checkin *v, size_t n, struct mv_buf *out,
			   struct mv_err *err)
{
	char norm[COMPANION_TAGS_LEN + 1];
	memset(out, 0, sizeof *out);
	if (n > COMPANION_SHARE_MAX)
		return mv_fail(err, MV_EINVAL, "at most %d check-ins in one share (got %zu)",
			       COMPANION_SHARE_MAX, n);
	int rc = mv_buf_append(out, CP_SHARE_HEADER, strlen(CP_SHARE_HEADER));
	for (size_t i = 0; rc == MV_OK && i < n; i++) {
		if (cp_check_checkin(v[i].score, v[i].tags, v[i].note, norm, err) != MV_OK) {
			mv_buf_free(out);
			return MV_EINVAL;
		}
		rc = cp_put_int(out, v[i].time, false);
		if (rc == MV_OK)
			rc = cp_put_int(out, v[i].score, false);
		if (rc == MV_OK)
			rc = cp_put_field(out, norm, false);
		if (rc == MV_OK)
			rc = cp_put_field(out, v[i].note, true);
	}
	if (rc != MV_OK) {
		mv_buf_free(out);
		return mv_fail(err, MV_ERR, "out of memory");
	}
	return MV_OK;
}

int companion_share_decode(const uint8_t *p, size_t n,
			   int (*cb)(void *ud, const struct companion_checkin *c), void *ud,
			   struct mv_err *err)
{
	size_t hl = strlen(CP_SHARE_HEADER);
	if (n < hl || memcmp(p, CP_SHARE_HEADER, hl) != 0)
		return mv_fail(err, MV_EINVAL, "not a check-in share (unknown header)");
	if (cp_sodium(err) != MV_OK)
		return MV_ERR;
	struct companion_checkin *c = sodium_malloc(sizeof *c);
	if (!c)
		return mv_fail(err, MV_ERR, "out of memory");
	int rc = MV_OK;
	size_t line = 1, count = 0;
	for (size_t i = hl; rc == MV_OK && i < n; line++) {
		const uint8_t *e = memchr(p + i, '\n', n - i);
		if (!e) {
			rc = mv_fail(err, MV_EINVAL, "line %zu: no end of line", line + 1);
			break;
		}
		size_t len = (size_t)(e - (p + i));
		char time[24], score[4], tags[COMPANION_TAGS_LEN + 1];
		char *out[] = {time, score, tags, c->note};
		const size_t caps[] = {sizeof time, sizeof score, sizeof tags, sizeof c->note};
		int64_t t, s;
		memset(c, 0, sizeof *c);
		if (++count > COMPANION_SHARE_MAX)
			rc = mv_fail(err, MV_EINVAL, "more than %d check-ins", COMPANION_SHARE_MAX);
		else if (cp_fields((const char *)p + i, len, 4, out, caps, err) != MV_OK)
			rc = MV_EINVAL;
		else if (cp_int(time, 0, CP_TIME_MAX, &t) != MV_OK || cp_int(score, 1, 10, &s) != MV_OK)
			rc = mv_fail(err, MV_EINVAL, "bad time or score");
		else if (cp_check_checkin((int)s, tags, c->note, c->tags, err) != MV_OK)
			rc = MV_EINVAL;
		if (rc != MV_OK) {
			char why[sizeof err->msg];
			snprintf(why, sizeof why, "%s", err ? err->msg : "");
			rc = mv_fail(err, MV_EINVAL, "line %zu: %s", line + 1, why);
			break;
		}
		c->time = t;
		c->score = (int)s;
		i += len + 1;
		if (cb(ud, c))
			break;
	}
	sodium_free(c);
	return rc;
}

int companion_shares(struct store *st, const uint8_t account[32],
		     int (*cb)(void *ud, const struct companion_share *s), void *ud,
		     struct mv_err *err)
{
	static const char sql[] = "SELECT op, patient, therapist, blob, therapist_key, patient_key, time"
				  " FROM access_mood_shares WHERE patient = ?1 OR therapist = ?1"
				  " ORDER BY time DESC, op";
	sqlite3_stmt *s = store_prep(st, sql, err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
	int rc = MV_OK, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct companion_share r;
		uint8_t *dst[] = {r.op, r.patient, r.therapist, r.blob, r.therapist_key, r.patient_key};
		const size_t lens[] = {32, 32, 32, 32, 80, 80};
		bool ok = true;
		for (int i = 0; i < 6; i++) {
			ok = ok && sqlite3_column_bytes(s, i) == (int)lens[i];
			if (ok)
				memcpy(dst[i], sqlite3_column_blob(s, i), lens[i]);
		}
		r.time = sqlite3_column_int64(s, 6);
		if (ok && cb(ud, &r))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_sqlerr(st, err, "access_mood_shares");
	sqlite3_reset(s);
	return rc;
}
