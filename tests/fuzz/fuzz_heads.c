/* fuzz_heads.c - libFuzzer target for heads_decode, the parser of the body
 * of POST /v1/ops/since (an MVV1 head vector from any client). An accepted
 * vector must keep the decoder's promises (authors strictly ascending, seqs
 * 1..2^63-1) and re-encode to exactly the input bytes; the vector helpers
 * the server and sync apply to it (get, set, merge, ahead) must agree. */
#include <stdlib.h>
#include <string.h>

#include "core/heads.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void fuzz_heads_check(const struct heads *h, const uint8_t *data, size_t size)
{
	struct mv_buf out = {0};
	for (size_t i = 0; i < h->n; i++) {
		CHECK(h->v[i].seq >= 1 && h->v[i].seq <= (uint64_t)INT64_MAX);
		CHECK(i == 0 || memcmp(h->v[i - 1].author, h->v[i].author, 32) < 0);
		CHECK(heads_get(h, h->v[i].author) == h->v[i].seq);
	}
	CHECK(heads_encode(h, &out) == MV_OK);
	CHECK(out.len == size && memcmp(out.data, data, size) == 0);
	mv_buf_free(&out);
}

/* Merging a vector into an empty one gives it back; ahead of itself is 0;
 * lowering one entry makes the original exactly that much ahead. */
static void fuzz_heads_algebra(const struct heads *h)
{
	struct heads m;
	heads_init(&m);
	CHECK(heads_merge(&m, h) == MV_OK);
	CHECK(m.n == h->n);
	CHECK(heads_ahead(h, &m) == 0 && heads_ahead(&m, h) == 0);
	if (h->n > 0) {
		const struct heads_entry *e = &h->v[h->n / 2];
		CHECK(heads_set(&m, e->author, e->seq - 1) == MV_OK);
		CHECK(heads_ahead(h, &m) == 1);
		CHECK(m.n == h->n - (e->seq == 1));
		CHECK(heads_merge(&m, h) == MV_OK);
		CHECK(heads_ahead(h, &m) == 0 && m.n == h->n);
	}
	heads_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct heads h;
	struct mv_err err;
	mv_err_clear(&err);
	if (heads_decode(data, size, &h, &err) != MV_OK) {
		CHECK(err.msg[0]);
		heads_free(&h);
		return 0;
	}
	fuzz_heads_check(&h, data, size);
	fuzz_heads_algebra(&h);
	heads_free(&h);
	return 0;
}
