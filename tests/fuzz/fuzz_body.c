/* fuzz_body.c - libFuzzer target for body_decode. An accepted body must be
 * canonical: rebuilt through the builder (bb_*), it encodes to exactly the
 * input bytes. Lookups are exercised on every field. */
#include <stdlib.h>
#include <string.h>

#include "core/body.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* A NUL-terminated copy of a decoded STR (valid UTF-8 has no NUL). */
static char *fuzz_body_str(const struct body_value *v)
{
	char *s = malloc(v->n + 1);
	CHECK(s);
	memcpy(s, v->p, v->n);
	s[v->n] = '\0';
	return s;
}

static void fuzz_body_item(struct body_builder *bb, const struct body_value *v)
{
	char *s;
	switch (v->type) {
	case BODY_INT: bb_list_int(bb, v->i); break;
	case BODY_ID: bb_list_id(bb, v->p); break;
	case BODY_BYTES: bb_list_bytes(bb, v->p, v->n); break;
	case BODY_STR: s = fuzz_body_str(v); bb_list_str(bb, s); free(s); break;
	default: abort();
	}
}

static void fuzz_body_field(struct body_builder *bb, const struct body_field *f)
{
	char *s;
	switch (f->v.type) {
	case BODY_INT: bb_int(bb, f->key, f->v.i); break;
	case BODY_ID: bb_id(bb, f->key, f->v.p); break;
	case BODY_BYTES: bb_bytes(bb, f->key, f->v.p, f->v.n); break;
	case BODY_STR: s = fuzz_body_str(&f->v); bb_str(bb, f->key, s); free(s); break;
	case BODY_LIST:
		bb_list_begin(bb, f->key);
		for (size_t k = 0; k < f->v.n; k++)
			fuzz_body_item(bb, &f->v.items[k]);
		bb_list_end(bb);
		break;
	default: abort();
	}
}

static void fuzz_body_lookups(const struct body *b)
{
	int64_t i;
	char s[16];
	uint8_t id[32];
	const uint8_t *p;
	const struct body_value *items;
	size_t n;
	for (size_t k = 0; k < b->n; k++) {
		const char *key = b->f[k].key;
		CHECK(body_get(b, key) == &b->f[k].v);
		(void)body_int(b, key, &i, NULL);
		(void)body_str(b, key, s, sizeof s, NULL);
		(void)body_id(b, key, id, NULL);
		(void)body_bytes(b, key, &p, &n, NULL);
		(void)body_list(b, key, &items, &n, NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct body b;
	struct mv_err err;
	if (body_decode(&b, data, size, &err) != MV_OK) {
		CHECK(b.n == 0 && err.msg[0]);
		return 0;
	}
	fuzz_body_lookups(&b);
	struct body_builder bb;
	bb_init(&bb);
	for (size_t k = 0; k < b.n; k++)
		fuzz_body_field(&bb, &b.f[k]);
	struct mv_buf out;
	CHECK(bb_build(&bb, &out, &err) == MV_OK);
	CHECK(out.len == size && memcmp(out.data, data, size) == 0);
	mv_buf_free(&out);
	body_free(&b);
	return 0;
}
