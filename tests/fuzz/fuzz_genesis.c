/* fuzz_genesis.c - libFuzzer target for genesis_conf_body, the parser of a
 * genesis parameter file (`mentalverse init NAME --genesis FILE`, format of
 * assets/genesis.default), fed the file's text from memory. A file that
 * parses must give a body that decodes strictly, carries the network name
 * and a council list; a refused file must say why, naming the line. The
 * scratch home (fuzz_home.h) resolves council names founder, alice, bob. */
#include <stdlib.h>
#include <string.h>

#include "core/genesis_conf.h"
#include "fuzz_home.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_home_get(true);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16384)
		return 0;
	char *text = malloc(size + 1);
	CHECK(text);
	memcpy(text, data, size);
	text[size] = '\0';
	struct mv_buf body = {0};
	struct mv_err err;
	struct body b;
	mv_err_clear(&err);
	if (genesis_conf_body(fuzz_home, "fuzz-net", text, &body, &err) != MV_OK) {
		CHECK(err.msg[0]);
		CHECK(body.data == NULL);
		free(text);
		return 0;
	}
	CHECK(body_decode(&b, body.data, body.len, &err) == MV_OK);
	const struct body_value *name = body_get(&b, "name");
	CHECK(name && name->type == BODY_STR && name->n == 8 && memcmp(name->p, "fuzz-net", 8) == 0);
	const struct body_value *council = body_get(&b, "council");
	CHECK(council && council->type == BODY_LIST);
	body_free(&b);
	mv_buf_free(&body);
	free(text);
	return 0;
}
