/* fuzz_bundle.c - libFuzzer target for bundle_decode. An accepted bundle
 * must re-encode (bundle_encode_begin/add) to exactly the input bytes, its
 * op slices must lie inside the input, and each op is fed to op_decode. */
#include <stdlib.h>
#include <string.h>

#include "core/op.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void fuzz_bundle_reencode(const uint8_t *data, size_t size, size_t count,
				 const uint8_t **ops, const size_t *lens)
{
	struct mv_buf b = {0};
	CHECK(bundle_encode_begin(&b, count) == MV_OK);
	for (size_t i = 0; i < count; i++) {
		CHECK(ops[i] >= data && lens[i] <= size && ops[i] + lens[i] <= data + size);
		CHECK(bundle_encode_add(&b, ops[i], lens[i]) == MV_OK);
	}
	CHECK(b.len == size && memcmp(b.data, data, size) == 0);
	mv_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t count, *lens;
	const uint8_t **ops;
	struct mv_err err;
	if (bundle_decode(data, size, &count, &ops, &lens, &err) != MV_OK) {
		CHECK(ops == NULL && lens == NULL && err.msg[0]);
		return 0;
	}
	fuzz_bundle_reencode(data, size, count, ops, lens);
	for (size_t i = 0; i < count; i++) {
		struct op op;
		if (op_decode(&op, ops[i], lens[i], &err) == MV_OK)
			op_free(&op);
	}
	free(ops);
	free(lens);
	return 0;
}
