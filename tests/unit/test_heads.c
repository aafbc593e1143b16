/* test_heads.c - unit tests of sync's core pieces: head vectors
 * (src/core/heads.c: set/merge, strict MVV1 decoding, pages a peer lacks and
 * that import without gaps), blob sections of bundle files
 * (src/core/bundle_blobs.c), blob references in bodies (src/core/blobref.c)
 * and node addresses (src/net/tls.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "testnet.h"
#include "core/blob.h"
#include "core/blobref.h"
#include "core/bundle_blobs.h"
#include "core/heads.h"
#include "net/tls.h"

static void assert_msg(const struct mv_err *err, const char *needle)
{
	if (!strstr(err->msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, needle);
}

static void test_set_get_merge(void **state)
{
	struct heads a, b;
	uint8_t x[32], y[32], z[32];
	memset(x, 3, 32);
	memset(y, 1, 32);
	memset(z, 2, 32);
	heads_init(&a);
	heads_init(&b);
	assert_int_equal(heads_set(&a, x, 5), MV_OK);
	assert_int_equal(heads_set(&a, y, 2), MV_OK);
	assert_int_equal(heads_get(&a, x), 5);
	assert_int_equal(heads_get(&a, z), 0);
	assert_memory_equal(a.v[0].author, y, 32); /* kept sorted */
	assert_int_equal(heads_set(&b, x, 3), MV_OK);
	assert_int_equal(heads_set(&b, z, 7), MV_OK);
	assert_int_equal(heads_ahead(&a, &b), 2 + 2);
	assert_int_equal(heads_ahead(&b, &a), 7);
	assert_int_equal(heads_merge(&a, &b), MV_OK);
	assert_int_equal(heads_get(&a, x), 5);
	assert_int_equal(heads_get(&a, z), 7);
	assert_int_equal(heads_set(&a, z, 0), MV_OK); /* 0 removes */
	assert_int_equal(a.n, 2);
	heads_free(&a);
	heads_free(&b);
}

static void test_encode_decode(void **state)
{
	struct heads h, d;
	struct mv_buf b = {0};
	struct mv_err e;
	uint8_t x[32];
	heads_init(&h);
	assert_int_equal(heads_encode(&h, &b), MV_OK);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "MVV1\0", 5);
	b.len = 0;
	memset(x, 0xaa, 32);
	heads_set(&h, x, 3);
	memset(x, 0x11, 32);
	heads_set(&h, x, 300);
	assert_int_equal(heads_encode(&h, &b), MV_OK);
	assert_int_equal(heads_decode(b.data, b.len, &d, &e), MV_OK);
	assert_int_equal(d.n, 2);
	assert_int_equal(heads_get(&d, x), 300);
	heads_free(&d);
	/* rejections */
	assert_int_equal(heads_decode(b.data, b.len - 1, &d, &e), MV_EINVAL);
	assert_msg(&e, "truncated");
	assert_int_equal(mv_buf_byte(&b, 0), MV_OK);
	assert_int_equal(heads_decode(b.data, b.len, &d, &e), MV_EINVAL);
	assert_msg(&e, "trailing");
	b.len--;
	uint8_t swapped[5 + 2 * 33];
	memcpy(swapped, "MVV1\x02", 5);
	memset(swapped + 5, 0xaa, 32);
	swapped[37] = 1;
	memset(swapped + 38, 0x11, 32);
	swapped[70] = 1;
	assert_int_equal(heads_decode(swapped, sizeof swapped, &d, &e), MV_EINVAL);
	assert_msg(&e, "ascending");
	swapped[4] = 1;
	swapped[37] = 0;
	assert_int_equal(heads_decode(swapped, 38, &d, &e), MV_EINVAL);
	assert_msg(&e, "seq out of range");
	assert_int_equal(heads_decode((const uint8_t *)"MVV2\0", 5, &d, &e), MV_EINVAL);
	assert_msg(&e, "not an MVV1");
	assert_int_equal(heads_decode((const uint8_t *)"MVV1\x80\x00", 6, &d, &e), MV_EINVAL);
	assert_msg(&e, "non-minimal");
	heads_free(&h);
	mv_buf_free(&b);
}

/* A store with genesis and n transfers by keys 0..2, interleaved by clock. */
static struct store *page_store(struct net *n, struct op *ops, size_t count)
{
	struct store *st = fresh();
	net_keys(n);
	make_genesis(n, 1);
	size_t idx = 0;
	deliver(st, &n->genesis, &idx, 1);
	for (size_t i = 0; i < count; i++) {
		int from = (int)(i % 3), to = (from + 1) % 3;
		transfer(n, from, to, 1, clk(NOW - 50000 + (int64_t)i, 0), &ops[i]);
	}
	for (size_t i = 0; i < count; i++)
		deliver(st, ops, &i, 1);
	return st;
}

/* Pages from a full store rebuild the same log in another store. */
static void test_pages(void **state)
{
	struct net n;
	struct op ops[60];
	struct mv_err e;
	struct store *full = page_store(&n, ops, 60), *empty = fresh();
	struct heads theirs;
	heads_init(&theirs);
	size_t total = 0, pages = 0;
	for (bool more = true; more; pages++) {
		struct mv_buf page;
		size_t count, k;
		const uint8_t **raws;
		size_t *lens;
		assert_int_equal(heads_page(full, &theirs, 3000, &page, &count, &more, &e), MV_OK);
		assert_true(page.len <= 3000);
		assert_int_equal(bundle_decode(page.data, page.len, &k, &raws, &lens, &e), MV_OK);
		assert_int_equal(k, count);
		assert_int_equal(store_begin(empty, &e), MV_OK);
		for (size_t i = 0; i < k; i++) /* in order, nothing waits for a gap */
			assert_int_equal(log_accept(empty, raws[i], lens[i], NOW, &e), LOG_NEW);
		assert_int_equal(engine_run(empty, NULL, NULL, NULL, &e), MV_OK);
		assert_int_equal(store_commit(empty, &e), MV_OK);
		total += k;
		free(raws);
		free(lens);
		mv_buf_free(&page);
		assert_true(pages < 100);
	}
	assert_true(pages > 2);
	assert_int_equal(total, 61);
	uint8_t r1[32], r2[32];
	root_of(full, r1);
	root_of(empty, r2);
	assert_memory_equal(r1, r2, 32);
	/* an up-to-date peer gets an empty page */
	struct heads mine;
	struct mv_buf page;
	size_t count;
	bool more;
	assert_int_equal(heads_local(empty, &mine, &e), MV_OK);
	assert_int_equal(heads_page(full, &mine, 4096, &page, &count, &more, &e), MV_OK);
	assert_int_equal(count, 0);
	assert_false(more);
	mv_buf_free(&page);
	heads_free(&mine);
	heads_free(&theirs);
	for (int i = 0; i < 60; i++)
		op_free(&ops[i]);
	op_free(&n.genesis);
	store_close(full);
	store_close(empty);
}

static void test_blob_sections(void **state)
{
	struct store *a = fresh(), *b = fresh();
	struct mv_err e;
	struct mv_buf file = {0};
	uint8_t c1[100], c2[50], h1[32], h2[32];
	memset(c1, 7, sizeof c1);
	memset(c2, 9, sizeof c2);
	assert_int_equal(blob_put(a, c1, sizeof c1, h1, &e), MV_OK);
	assert_int_equal(blob_put(a, c2, sizeof c2, h2, &e), MV_OK);
	assert_int_equal(bundle_encode_begin(&file, 0), MV_OK);
	size_t plain = file.len, ops_len, sec_len, count;
	const uint8_t *sec;
	assert_int_equal(bundle_blobs_split(file.data, file.len, &ops_len, &sec, &sec_len, &e), MV_OK);
	assert_null(sec); /* a plain bundle has no section */
	assert_int_equal(bundle_blobs_export(a, &file, &e), MV_OK);
	assert_int_equal(bundle_blobs_split(file.data, file.len, &ops_len, &sec, &sec_len, &e), MV_OK);
	assert_int_equal(ops_len, plain);
	assert_non_null(sec);
	assert_int_equal(blob_erase(b, h2, &e), MV_OK); /* b erased the second */
	assert_int_equal(bundle_blobs_import(b, sec, sec_len, &count, &e), MV_OK);
	assert_int_equal(count, 2);
	assert_true(blob_have(b, h1));
	assert_false(blob_have(b, h2)); /* the tombstone stays */
	assert_int_equal(bundle_blobs_split(file.data, file.len - 1, &ops_len, &sec, &sec_len, &e),
			 MV_EINVAL);
	assert_msg(&e, "blob section: truncated");
	assert_int_equal(mv_buf_byte(&file, 0), MV_OK);
	assert_int_equal(bundle_blobs_split(file.data, file.len, &ops_len, &sec, &sec_len, &e),
			 MV_EINVAL);
	assert_msg(&e, "trailing bytes after the blob section");
	file.len--;
	memcpy(file.data + plain, "XXXX", 4);
	assert_int_equal(bundle_blobs_split(file.data, file.len, &ops_len, &sec, &sec_len, &e),
			 MV_EINVAL);
	assert_msg(&e, "not a blob section");
	mv_buf_free(&file);
	store_close(a);
	store_close(b);
}

static void test_blob_refs(void **state)
{
	struct body_builder bb;
	struct mv_buf body = {0};
	struct mv_err e;
	uint8_t h1[32], h2[32], h3[32], refs[4][32];
	memset(h1, 1, 32);
	memset(h2, 2, 32);
	memset(h3, 3, 32);
	bb_init(&bb);
	bb_id(&bb, "private_blob", h1);
	bb_id(&bb, "to", h3); /* not a blob field */
	bb_list_begin(&bb, "note_blobs");
	bb_list_id(&bb, h2);
	bb_list_end(&bb);
	assert_int_equal(bb_build(&bb, &body, &e), MV_OK);
	assert_int_equal(blobref_of_body(body.data, body.len, refs, 4), 2);
	assert_memory_equal(refs[0], h2, 32); /* keys in order: note_blobs, private_blob */
	assert_memory_equal(refs[1], h1, 32);
	mv_buf_free(&body);
}

static void test_addresses(void **state)
{
	struct tls_addr a;
	struct mv_err e;
	const char *good = "https://127.0.0.1:7420#sha256//ckIR8D6QmBo2AkGK29I5fYmT55jgviSTVhJbe4yProI=";
	assert_int_equal(tls_addr_parse(good, &a, &e), MV_OK);
	assert_string_equal(a.host, "127.0.0.1");
	assert_int_equal(a.port, 7420);
	assert_string_equal(a.url, "https://127.0.0.1:7420");
	assert_string_equal(a.address, good);
	assert_int_equal(tls_addr_parse("https://[::1]:9#sha256//ckIR8D6QmBo2AkGK29I5fYmT55jgviSTVhJbe4yProI=",
					&a, &e), MV_OK);
	assert_string_equal(a.url, "https://[::1]:9");
	assert_int_equal(tls_addr_parse("http://h:1#sha256//ckIR8D6QmBo2AkGK29I5fYmT55jgviSTVhJbe4yProI=",
					&a, &e), MV_EINVAL);
	assert_int_equal(tls_addr_parse("https://h:1", &a, &e), MV_EINVAL);
	assert_msg(&e, "no pin");
	assert_int_equal(tls_addr_parse("https://h:0#sha256//ckIR8D6QmBo2AkGK29I5fYmT55jgviSTVhJbe4yProI=",
					&a, &e), MV_EINVAL);
	assert_msg(&e, "bad port");
	assert_int_equal(tls_addr_parse("https://h:1#sha256//ckIR8D6QmBo2AkGK29I5fYmT55jgviSTVhJbe4yProI", &a,
					&e), MV_EINVAL);
	assert_msg(&e, "bad pin");
	assert_int_equal(tls_addr_parse("https://h h:1#sha256//ckIR8D6QmBo2AkGK29I5fYmT55jgviSTVhJbe4yProI=",
					&a, &e), MV_EINVAL);
	assert_msg(&e, "bad host");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_get_merge),
		cmocka_unit_test(test_encode_decode),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_blob_sections),
		cmocka_unit_test(test_blob_refs),
		cmocka_unit_test(test_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
