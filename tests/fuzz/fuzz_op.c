/* fuzz_op.c - libFuzzer target for op_decode (and op_verify, op_copy, and
 * body_decode of the body it finds). Beyond "no crash, no leak" it checks
 * the decoder's promises: an accepted op has exactly the layout its fields
 * imply, its body lies inside raw just before the signature, and its id is
 * BLAKE2b-256 of the bytes. */
#include <stdlib.h>
#include <string.h>

#include "core/body.h"
#include "core/op.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void fuzz_op_check(const struct op *op, const uint8_t *data, size_t size)
{
	uint8_t tmp[10], id[32];
	size_t klen = strlen(op->kind);
	CHECK(op_kind_valid(op->kind));
	CHECK(op->raw_len == size && memcmp(op->raw, data, size) == 0);
	CHECK(size == OP_HEADER_FIXED + 1 + klen + mv_varint_put(tmp, op->body_len) +
		      op->body_len + OP_SIG_LEN);
	CHECK(op->body_len == 0 || op->body == op->raw + size - OP_SIG_LEN - op->body_len);
	CHECK(memcmp(op->sig, data + size - OP_SIG_LEN, OP_SIG_LEN) == 0);
	op_hash(id, data, size);
	CHECK(memcmp(id, op->id, 32) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct op op, cp;
	struct mv_err err;
	if (op_decode(&op, data, size, &err) != MV_OK) {
		CHECK(op.raw == NULL && err.code == MV_EINVAL && err.msg[0]);
		return 0;
	}
	fuzz_op_check(&op, data, size);
	(void)op_verify(&op, &err);
	CHECK(op_copy(&cp, &op) == MV_OK);
	CHECK(memcmp(cp.id, op.id, 32) == 0);
	op_free(&cp);
	struct body b;
	if (body_decode(&b, op.body, op.body_len, &err) == MV_OK)
		body_free(&b);
	op_free(&op);
	return 0;
}
