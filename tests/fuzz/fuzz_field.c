/* fuzz_field.c - libFuzzer target for home_parse_field, the parser of every
 * CLI value (`mentalverse op KIND name=VALUE`, and the TUI forms that build
 * ops the same way), over every field spec of every contract plus one
 * synthetic spec per field kind. Input: two bytes pick the spec, the rest
 * (up to the first NUL) is the value. A value that parses must give a body
 * that builds, decodes back strictly, and holds exactly one field of the
 * spec's name with the type its kind promises. Values of byte fields never
 * start with '@' here (that reads a file: fuzzing file names is not useful).
 * The scratch home (fuzz_home.h) resolves alice, bob and founder. */
#include <stdlib.h>
#include <string.h>

#include "core/contract.h"
#include "fuzz_home.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define FUZZ_MAX_SPECS 2048

static const struct field_spec fuzz_synthetic[] = {
	{"i", F_INT, false, -5, 1000, 0, NULL, NULL},
	{"a", F_AMOUNT, false, 0, 0, 0, NULL, NULL},
	{"t", F_TIME, false, 0, 0, 0, NULL, NULL},
	{"d", F_DURATION, false, 0, 0, 0, NULL, NULL},
	{"s", F_STR, false, 0, 0, 8, NULL, NULL},
	{"e", F_ENUM, false, 0, 0, 0, "yes|no|maybe||x", NULL},
	{"b", F_BOOL, false, 0, 0, 0, NULL, NULL},
	{"acct", F_ACCOUNT, false, 0, 0, 0, NULL, NULL},
	{"id", F_ID, false, 0, 0, 0, NULL, NULL},
	{"bytes", F_BYTES, false, 0, 0, 4, NULL, NULL},
	{"la", F_LIST_ACCOUNT, false, 0, 0, 0, NULL, NULL},
	{"li", F_LIST_INT, false, 0, 0, 0, NULL, NULL},
	{"ls", F_LIST_STR, false, 0, 0, 0, NULL, NULL},
	{"lb", F_LIST_BYTES, false, 0, 0, 0, NULL, NULL},
};

static const struct field_spec *fuzz_specs[FUZZ_MAX_SPECS];
static size_t fuzz_nspecs;

static void fuzz_collect(void)
{
	for (size_t i = 0; i < sizeof fuzz_synthetic / sizeof *fuzz_synthetic; i++)
		fuzz_specs[fuzz_nspecs++] = &fuzz_synthetic[i];
	for (const struct contract *const *c = contract_table; *c; c++)
		for (const struct op_handler *hd = (*c)->handlers; hd && hd->kind; hd++)
			for (const struct field_spec *fs = hd->fields; fs && fs->name; fs++)
				if (fuzz_nspecs < FUZZ_MAX_SPECS)
					fuzz_specs[fuzz_nspecs++] = fs;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_home_get(true);
	fuzz_collect();
	return 0;
}

static enum body_type fuzz_type_of(enum field_kind k)
{
	switch (k) {
	case F_STR: case F_ENUM: return BODY_STR;
	case F_ACCOUNT: case F_ID: return BODY_ID;
	case F_BYTES: return BODY_BYTES;
	case F_LIST_ACCOUNT: case F_LIST_INT: case F_LIST_STR: case F_LIST_BYTES: return BODY_LIST;
	default: return BODY_INT;
	}
}

static bool fuzz_is_bytes(enum field_kind k)
{
	return k == F_BYTES || k == F_LIST_BYTES;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 4096)
		return 0;
	const struct field_spec *fs = fuzz_specs[(data[0] | (size_t)data[1] << 8) % fuzz_nspecs];
	char *v = malloc(size - 1);
	CHECK(v);
	memcpy(v, data + 2, size - 2);
	v[size - 2] = '\0';
	for (char *p = v; *p && fuzz_is_bytes(fs->kind); p++)
		if (*p == '@')
			*p = '0';
	struct body_builder bb;
	struct mv_err err;
	struct mv_buf out = {0};
	struct body b;
	bb_init(&bb);
	mv_err_clear(&err);
	if (home_parse_field(fuzz_home, fs, v, &bb, &err) != MV_OK) {
		CHECK(err.msg[0]);
		bb_free(&bb);
		free(v);
		return 0;
	}
	if (bb_build(&bb, &out, &err) != MV_OK) {
		/* Lists over BODY_MAX_LIST items, or text the body refuses. */
		CHECK(err.msg[0]);
		free(v);
		return 0;
	}
	CHECK(body_decode(&b, out.data, out.len, &err) == MV_OK);
	CHECK(b.n == 1 && strcmp(b.f[0].key, fs->name) == 0);
	CHECK(b.f[0].v.type == fuzz_type_of(fs->kind));
	body_free(&b);
	mv_buf_free(&out);
	free(v);
	return 0;
}
