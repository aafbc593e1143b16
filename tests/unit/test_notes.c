/* test_notes.c - the notes contract: only the session's therapist adds
 * notes, private ones carry one sealed key (the therapist's), shared ones
 * two (therapist, patient), a never-confirmed session takes none; and the
 * keys listed for a reader really open the note (real blob encryption). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testnet.h"
#include "care_testnet.h"
#include "core/query_care.h"

/* Add a note: keys are nkeys copies of key (or of garbage with keylen). */
static int note(struct ct *c, int who, int64_t t, const uint8_t s[32], const uint8_t blob[32],
		const uint8_t *keys, size_t nkeys, size_t keylen, int shared)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "session", s);
	bb_id(&bb, "blob", blob);
	bb_list_begin(&bb, "sealed_keys");
	for (size_t i = 0; i < nkeys; i++)
		bb_list_bytes(&bb, keys + i * BLOB_SEALED_LEN, keylen);
	bb_list_end(&bb);
	bb_int(&bb, "shared", shared);
	return ct_do(c, who, t, "note.add", &bb, NULL);
}

struct notes {
	struct qc_note n[4];
	int count;
};

static int notes_cb(void *ud, const struct qc_note *r)
{
	struct notes *l = ud;
	l->n[l->count++] = *r;
	return l->count == 4;
}

static void test_notes(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], s[32], req[32];
	struct mv_err e;
	struct ct_service sv = {.price = MV_UNIT};
	ct_setup(&c, 1);
	int64_t t = CT_DAY(0);
	CT_OK(&c, ct_publish(&c, TH, t, &sv, svc));
	CT_OK(&c, ct_book(&c, PA, t + 1, svc, CT_DAY(1) + 10 * HOUR_MS, "token", s));
	CT_OK(&c, ct_book(&c, PB, t + 2, svc, CT_DAY(1) + 12 * HOUR_MS, "token", req));
	/* a private note and a shared summary, really encrypted */
	const char *priv = "private: patient responded well", *shared = "summary: practise breathing";
	uint8_t readers[2][32], hash1[32], hash2[32], keys1[BLOB_SEALED_LEN],
		keys2[2 * BLOB_SEALED_LEN];
	memcpy(readers[0], c.n.pk[TH], 32);
	memcpy(readers[1], c.n.pk[PA], 32);
	struct mv_buf cipher1 = {0}, cipher2 = {0}, sealed = {0};
	assert_int_equal(blob_seal((const uint8_t *)priv, strlen(priv), readers, 1, &cipher1, hash1, &sealed, &e), MV_OK);
	memcpy(keys1, sealed.data, BLOB_SEALED_LEN);
	mv_buf_free(&sealed);
	assert_int_equal(blob_seal((const uint8_t *)shared, strlen(shared), readers, 2, &cipher2, hash2, &sealed, &e), MV_OK);
	memcpy(keys2, sealed.data, 2 * BLOB_SEALED_LEN);
	mv_buf_free(&sealed);

	CT_REJ(&c, note(&c, TH, t + 3, s, hash1, keys1, 1, BLOB_SEALED_LEN, 0), "never confirmed");
	CT_OK(&c, ct_ses(&c, TH, t + 4, "session.accept", s));
	/* strangers, the patient and the other therapist may not */
	CT_REJ(&c, note(&c, TH2, t + 5, s, hash1, keys1, 1, BLOB_SEALED_LEN, 0), "only the session's therapist adds notes");
	CT_REJ(&c, note(&c, PA, t + 6, s, hash1, keys1, 1, BLOB_SEALED_LEN, 0), "only the session's therapist adds notes");
	CT_REJ(&c, note(&c, PB, t + 7, s, hash1, keys1, 1, BLOB_SEALED_LEN, 0), "only the session's therapist adds notes");
	CT_REJ(&c, note(&c, TH, t + 8, c.n.pk[0], hash1, keys1, 1, BLOB_SEALED_LEN, 0), "no such session");
	/* key counts and sizes */
	CT_REJ(&c, note(&c, TH, t + 9, s, hash1, keys2, 2, BLOB_SEALED_LEN, 0), "a private note needs 1 sealed key");
	CT_REJ(&c, note(&c, TH, t + 10, s, hash2, keys2, 1, BLOB_SEALED_LEN, 1), "a shared note needs 2 sealed keys");
	CT_REJ(&c, note(&c, TH, t + 11, s, hash1, keys1, 1, 32, 0), "is not 80 bytes");
	CT_OK(&c, note(&c, TH, t + 12, s, hash1, keys1, 1, BLOB_SEALED_LEN, 0));
	CT_OK(&c, note(&c, TH, t + 13, s, hash2, keys2, 2, BLOB_SEALED_LEN, 1));
	/* the patient sees both notes exist, holds a key only for the summary */
	struct notes l = {.count = 0};
	assert_int_equal(query_care_notes(c.st, s, c.n.pk[PA], notes_cb, &l, &e), MV_OK);
	assert_int_equal(l.count, 2);
	assert_false(l.n[0].has_key);
	assert_false(l.n[0].shared);
	assert_true(l.n[1].has_key);
	assert_true(l.n[1].shared);
	assert_memory_equal(l.n[1].blob, hash2, 32);
	struct mv_buf plain = {0};
	assert_int_equal(blob_open(cipher2.data, cipher2.len, l.n[1].key, c.n.sk[PA], &plain, &e), MV_OK);
	assert_int_equal(plain.len, strlen(shared));
	assert_memory_equal(plain.data, shared, plain.len);
	mv_buf_free(&plain);
	/* the therapist holds keys for both and opens the private one */
	l.count = 0;
	assert_int_equal(query_care_notes(c.st, s, c.n.pk[TH], notes_cb, &l, &e), MV_OK);
	assert_true(l.n[0].has_key && l.n[1].has_key);
	assert_int_equal(blob_open(cipher1.data, cipher1.len, l.n[0].key, c.n.sk[TH], &plain, &e), MV_OK);
	assert_memory_equal(plain.data, priv, strlen(priv));
	mv_buf_free(&plain);
	/* another patient's key does not open it */
	assert_int_equal(blob_open(cipher1.data, cipher1.len, l.n[0].key, c.n.sk[PB], &plain, &e), MV_ECRYPTO);
	mv_buf_free(&plain);
	mv_buf_free(&cipher1);
	mv_buf_free(&cipher2);
	ct_free(&c);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
