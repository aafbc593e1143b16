/* fuzz_companion.c - libFuzzer target for what the companion reads from
 * others or from anyone's typing: companion_share_decode (the plaintext of
 * a share a patient sealed to a therapist) and crisis_detect (every text a
 * person submits). The first byte picks the parser. A share that decodes
 * must hold only valid check-ins and encode back to bytes that decode to
 * the same check-ins; a refused share must say why. crisis_detect must
 * read nothing past the length it is given (the input is copied into an
 * exact-size buffer, so ASan sees an overread) and give the same answer
 * for the same text inside a larger buffer. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/companion.h"
#include "core/crisis.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define FZ_MAX 64

struct fz_list {
	struct companion_checkin v[FZ_MAX];
	size_t n;
};

static int fz_add(void *ud, const struct companion_checkin *c)
{
	struct fz_list *l = ud;
	CHECK(c->score >= 1 && c->score <= 10);
	CHECK(c->time >= 0);
	CHECK(mv_utf8_valid((const uint8_t *)c->note, strlen(c->note)));
	if (l->n == FZ_MAX)
		return 1;
	l->v[l->n++] = *c;
	return 0;
}

static void fz_share(const uint8_t *data, size_t size)
{
	static struct fz_list a, b;
	struct mv_err err;
	struct mv_buf again;
	a.n = b.n = 0;
	mv_err_clear(&err);
	if (companion_share_decode(data, size, fz_add, &a, &err) != MV_OK) {
		CHECK(err.msg[0]);
		return;
	}
	CHECK(companion_share_encode(a.v, a.n, &again, &err) == MV_OK);
	CHECK(companion_share_decode(again.data, again.len, fz_add, &b, &err) == MV_OK);
	CHECK(a.n == b.n);
	for (size_t i = 0; i < a.n; i++) {
		CHECK(a.v[i].time == b.v[i].time && a.v[i].score == b.v[i].score);
		CHECK(strcmp(a.v[i].tags, b.v[i].tags) == 0 && strcmp(a.v[i].note, b.v[i].note) == 0);
	}
	mv_buf_free(&again);
}

static void fz_crisis(const uint8_t *data, size_t size)
{
	char m1[64], m2[64];
	char *exact = malloc(size ? size : 1), *padded = malloc(size + 8);
	CHECK(exact && padded);
	memcpy(exact, data, size);
	memcpy(padded, data, size);
	memcpy(padded + size, " xyz123", 8);
	bool a = crisis_detect(exact, size, m1, sizeof m1);
	bool b = crisis_detect(padded, size, m2, sizeof m2);
	CHECK(a == b && strcmp(m1, m2) == 0);
	CHECK(a == (m1[0] != '\0'));
	free(exact);
	free(padded);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	CHECK(sodium_init() >= 0); /* decoding uses guarded memory (sodium_malloc) */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 16384)
		return 0;
	if (data[0] & 1)
		fz_crisis(data + 1, size - 1);
	else
		fz_share(data + 1, size - 1);
	return 0;
}
