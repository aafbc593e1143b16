/* gen_corpus.c - writes the seed corpus of the fuzz targets (valid ops,
 * bundles, bodies, amounts and times) into DIR/{op,bundle,body,amount}/.
 * Regenerate with:
 *   cc -std=c11 -D_GNU_SOURCE -Isrc tests/fuzz/gen_corpus.c src/core/util.c \
 *      src/core/op.c src/core/body.c $(pkg-config --cflags --libs libsodium) \
 *      -o /tmp/gen_corpus && /tmp/gen_corpus tests/fuzz/corpus */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/body.h"
#include "core/op.h"

static const char *outdir;

static void gen_write(const char *target, const char *name, const void *p, size_t n)
{
	char path[512];
	struct mv_err err;
	snprintf(path, sizeof path, "%s/%s", outdir, target);
	if (mv_mkdirs(path, 0755, &err) != MV_OK) {
		fprintf(stderr, "%s\n", err.msg);
		exit(1);
	}
	snprintf(path, sizeof path, "%s/%s/%s", outdir, target, name);
	if (mv_write_file_atomic(path, p, n, 0644, &err) != MV_OK) {
		fprintf(stderr, "%s\n", err.msg);
		exit(1);
	}
}

/* A body holding every type. */
static void gen_body(struct mv_buf *out)
{
	static const uint8_t id[32] = {7, 7, 7};
	struct body_builder bb;
	bb_init(&bb);
	bb_int(&bb, "amount", 150000000);
	bb_str(&bb, "memo", "caf\xc3\xa9 \xe6\x97\xa5");
	bb_bytes(&bb, "blob", "\x00\xff", 2);
	bb_id(&bb, "to", id);
	bb_list_begin(&bb, "windows");
	bb_list_int(&bb, 1000);
	bb_list_int(&bb, 2000);
	bb_list_end(&bb);
	bb_list_begin(&bb, "mixed");
	bb_list_str(&bb, "a");
	bb_list_id(&bb, id);
	bb_list_bytes(&bb, "b", 1);
	bb_list_int(&bb, -1);
	bb_list_end(&bb);
	if (bb_build(&bb, out, NULL) != MV_OK)
		exit(1);
}

static void gen_sign(struct op *op, const uint8_t sk[64], const char *kind,
		     const uint8_t *body, size_t len, uint64_t seq)
{
	memset(op, 0, sizeof *op);
	memcpy(op->author, sk + 32, 32);
	memset(op->network, seq == 1 ? 0 : 0x5e, 32);
	op->seq = seq;
	op->clock = UINT64_C(1795703400000) << 16 | seq;
	snprintf(op->kind, sizeof op->kind, "%s", kind);
	op->body = (uint8_t *)body;
	op->body_len = len;
	if (op_sign(op, sk, NULL) != MV_OK)
		exit(1);
}

static void gen_ops_and_bundles(const struct mv_buf *body)
{
	uint8_t seed[32], pk[32], sk[64];
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
	crypto_sign_seed_keypair(pk, sk, seed);
	struct op a, b, c;
	gen_sign(&a, sk, "genesis", (const uint8_t *)"\x00", 1, 1);
	gen_sign(&b, sk, "ledger.transfer", body->data, body->len, 2);
	gen_sign(&c, sk, "abcdefghijklmnopqrstuvwxyz_0.123", NULL, 0, 3);
	gen_write("op", "genesis", a.raw, a.raw_len);
	gen_write("op", "transfer", b.raw, b.raw_len);
	gen_write("op", "longkind_nobody", c.raw, c.raw_len);
	struct mv_buf bun = {0};
	bundle_encode_begin(&bun, 3);
	bundle_encode_add(&bun, a.raw, a.raw_len);
	bundle_encode_add(&bun, b.raw, b.raw_len);
	bundle_encode_add(&bun, c.raw, c.raw_len);
	gen_write("bundle", "three", bun.data, bun.len);
	bun.len = 0;
	bundle_encode_begin(&bun, 0);
	gen_write("bundle", "empty", bun.data, bun.len);
	mv_buf_free(&bun);
	op_free(&a);
	op_free(&b);
	op_free(&c);
}

int main(int argc, char **argv)
{
	if (argc != 2 || sodium_init() < 0)
		return 2;
	outdir = argv[1];
	struct mv_buf body;
	gen_body(&body);
	gen_write("body", "every_type", body.data, body.len);
	gen_write("body", "empty", "\x00", 1);
	gen_ops_and_bundles(&body);
	mv_buf_free(&body);
	const char *texts[] = {"1.5", "0.00000001", "92233720368.54775807", "12",
			       "2026-11-26T14:30:00Z", "2026-11-26 14:30", "2026-11-26",
			       "1795703400000"};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		char name[16];
		snprintf(name, sizeof name, "t%zu", i);
		gen_write("amount", name, texts[i], strlen(texts[i]));
	}
	return 0;
}
