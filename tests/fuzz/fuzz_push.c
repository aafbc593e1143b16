/* fuzz_push.c - libFuzzer target for what a node does with a bundle from
 * outside: the body of POST /v1/ops and an `import`ed file. As the server
 * does, bundle_blobs_split first finds the ops part and checks the blob
 * section, then home_import takes the whole input into a scratch home that
 * starts without a network (so a valid genesis, such as the seed corpus's,
 * makes one and later inputs reach the log's chain checks). Promises: a
 * refused input says why and changes nothing (the op count is unchanged); an
 * accepted one accounts for every op of the bundle in its counts. */
#include <stdlib.h>
#include <string.h>

#include "core/bundle_blobs.h"
#include "core/query.h"
#include "fuzz_home.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_home_get(false);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mv_err err;
	struct import_counts c;
	size_t ops_len, sec_len, count;
	const uint8_t *sec, **ops;
	size_t *lens;
	mv_err_clear(&err);
	if (bundle_blobs_split(data, size, &ops_len, &sec, &sec_len, &err) != MV_OK) {
		CHECK(err.msg[0]);
		return 0;
	}
	CHECK(ops_len <= size);
	CHECK(sec ? sec == data + ops_len && sec_len == size - ops_len : ops_len == size);
	bool decodes = bundle_decode(data, ops_len, &count, &ops, &lens, &err) == MV_OK;
	if (decodes) {
		free(ops);
		free(lens);
	}
	size_t before = query_log_count(fuzz_home->st);
	memset(&c, 0, sizeof c);
	mv_err_clear(&err);
	if (home_import(fuzz_home, data, size, &c, NULL, NULL, &err) != MV_OK) {
		CHECK(err.msg[0]);
		CHECK(query_log_count(fuzz_home->st) == before);
		return 0;
	}
	CHECK(decodes);
	CHECK(c.new_ + c.duplicate + c.pending + c.equivocation + c.refused == count);
	CHECK(query_log_count(fuzz_home->st) >= before);
	return 0;
}
