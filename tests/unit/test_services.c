/* test_services.c - the services contract and the views built on it:
 * publishing (who may, field checks), updates and retirement, availability
 * windows replacing the future, exceptions applied in order on top, therapist
 * search with every filter and both sorts, and free slots (availability
 * minus the therapist's and the patient's sessions, cut at the service's
 * duration, after the booking notice). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testnet.h"
#include "care_testnet.h"
#include "core/query_care.h"

static int publish_with(struct ct *c, int who, int64_t t, const char *title, const char *lang,
			const char *spec, int64_t duration)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_str(&bb, "title", title);
	bb_str(&bb, "modality", "couples");
	bb_str(&bb, "format", "text");
	bb_int(&bb, "duration_min", duration);
	bb_int(&bb, "price", MV_UNIT);
	bb_list_begin(&bb, "languages");
	bb_list_str(&bb, lang);
	bb_list_str(&bb, "en");
	bb_list_end(&bb);
	bb_list_begin(&bb, "specialties");
	bb_list_str(&bb, spec);
	bb_list_end(&bb);
	bb_int(&bb, "insurance_accepted", 1);
	bb_int(&bb, "auto_accept", 0);
	return ct_do(c, who, t, "service.publish", &bb, NULL);
}

static void test_publish(void **state)
{
	(void)state;
	struct ct c;
	uint8_t id[32];
	struct mv_err e;
	struct ct_service sv = {.price = 12 * MV_UNIT, .duration_min = 50, .auto_accept = true,
				.languages = "pt-br", .specialties = "eating disorders"};
	ct_setup(&c, 1);
	int64_t t = CT_DAY(0);
	CT_REJ(&c, ct_publish(&c, PA, t, &sv, NULL), "only therapists publish");
	CT_REJ(&c, ct_publish(&c, INS, t, &sv, NULL), "only therapists publish");
	CT_OK(&c, ct_publish(&c, TH, t + 1, &sv, id));
	struct qc_service q;
	assert_int_equal(query_care_service(c.st, id, &q, &e), MV_OK);
	assert_memory_equal(q.sv.therapist, c.n.pk[TH], 32);
	assert_string_equal(q.sv.title, "Talk therapy");
	assert_string_equal(q.sv.modality, "individual");
	assert_string_equal(q.sv.format, "video");
	assert_int_equal(q.sv.duration_min, 50);
	assert_int_equal(q.sv.price, 12 * MV_UNIT);
	assert_true(q.sv.auto_accept);
	assert_false(q.sv.insurance);
	assert_false(q.sv.retired);
	assert_string_equal(q.languages, "pt-br");
	assert_string_equal(q.specialties, "eating disorders");
	/* field checks */
	CT_REJ(&c, publish_with(&c, TH, t + 2, "", "es", "grief", 60), "title must be");
	CT_REJ(&c, publish_with(&c, TH, t + 3, "Grief", "ES", "grief", 60), "languages: 'ES'");
	CT_REJ(&c, publish_with(&c, TH, t + 4, "Grief", "en", "grief", 60), "languages: 'en' listed twice");
	CT_REJ(&c, publish_with(&c, TH, t + 5, "Grief", "es", "Grief!", 60), "specialties");
	CT_REJ(&c, publish_with(&c, TH, t + 6, "Grief", "es", "grief", 5), "out of range");
	CT_OK(&c, publish_with(&c, TH, t + 7, "Grief", "es", "grief", 90));
	/* a therapist whose license is suspended may not publish */
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "therapist", c.n.pk[TH2]);
	bb_str(&bb, "status", "suspended");
	CT_OK(&c, ct_do(&c, 0, t + 8, "verify.status", &bb, NULL));
	CT_REJ(&c, ct_publish(&c, TH2, t + 9, &sv, NULL), "not allowed");
	ct_free(&c);
}

#define NO_PRICE INT64_MIN

static int update_price(struct ct *c, int who, int64_t t, const uint8_t id[32], int64_t price)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "service", id);
	if (price != NO_PRICE)
		bb_int(&bb, "price", price);
	return ct_do(c, who, t, "service.update", &bb, NULL);
}

static int retire(struct ct *c, int who, int64_t t, const uint8_t id[32])
{
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "service", id);
	return ct_do(c, who, t, "service.retire", &bb, NULL);
}

static int count_services(void *ud, const struct qc_service *r)
{
	(void)r;
	++*(int *)ud;
	return 0;
}

static void test_update_retire(void **state)
{
	(void)state;
	struct ct c;
	uint8_t id[32], s[32];
	struct mv_err e;
	struct ct_service sv = {.price = 10 * MV_UNIT};
	ct_setup(&c, 1);
	int64_t t = CT_DAY(0);
	CT_OK(&c, ct_publish(&c, TH, t, &sv, id));
	CT_REJ(&c, update_price(&c, TH2, t + 1, id, MV_UNIT), "only the service's therapist");
	CT_REJ(&c, update_price(&c, TH, t + 2, id, NO_PRICE), "nothing to update");
	CT_REJ(&c, update_price(&c, TH, t + 3, c.n.pk[0], MV_UNIT), "no such service");
	CT_REJ(&c, update_price(&c, TH, t + 4, id, -5), "out of range");
	/* a booking keeps its price when the service changes */
	CT_OK(&c, ct_book(&c, PA, t + 5, id, CT_DAY(1) + 10 * HOUR_MS, "token", s));
	CT_OK(&c, update_price(&c, TH, t + 6, id, 7 * MV_UNIT));
	struct care_service got;
	assert_int_equal(care_service_get(c.st, id, &got, &e), MV_OK);
	assert_int_equal(got.price, 7 * MV_UNIT);
	assert_int_equal(ct_get(&c, s).price, 10 * MV_UNIT);
	/* retire: no more changes, not listed unless asked, sessions go on */
	CT_REJ(&c, retire(&c, TH2, t + 7, id), "only the service's therapist");
	CT_OK(&c, retire(&c, TH, t + 8, id));
	CT_REJ(&c, retire(&c, TH, t + 9, id), "service retired");
	CT_REJ(&c, update_price(&c, TH, t + 10, id, MV_UNIT), "service retired");
	int n = 0;
	assert_int_equal(query_care_services(c.st, c.n.pk[TH], false, count_services, &n, &e), MV_OK);
	assert_int_equal(n, 0);
	assert_int_equal(query_care_services(c.st, c.n.pk[TH], true, count_services, &n, &e), MV_OK);
	assert_int_equal(n, 1);
	CT_OK(&c, ct_ses(&c, TH, t + 11, "session.accept", s));
	ct_free(&c);
}

struct ivls {
	int64_t v[32];
	int n;
};

static int grab(void *ud, int64_t a, int64_t b)
{
	struct ivls *l = ud;
	l->v[l->n++] = a;
	l->v[l->n++] = b;
	return l->n >= 32;
}

static struct ivls avail_of(struct ct *c, int who, int64_t from, int64_t to)
{
	struct ivls l = {.n = 0};
	struct mv_err e;
	assert_int_equal(query_care_availability(c->st, c->n.pk[who], from, to, grab, &l, &e), MV_OK);
	return l;
}

static int exception(struct ct *c, int who, int64_t t, const char *action, int64_t a, int64_t b)
{
	struct body_builder bb;
	bb_init(&bb);
	bb_str(&bb, "action", action);
	bb_int(&bb, "start", a);
	bb_int(&bb, "end", b);
	return ct_do(c, who, t, "availability.exception", &bb, NULL);
}

static int count_exc(void *ud, const struct qc_exception *r)
{
	assert_true(r->seq >= 1);
	++*(int *)ud;
	return 0;
}

#define H(d, h) (CT_DAY(d) + (int64_t)((h) * 60) * MIN_MS) /* day d, hour h (may be .5) */

static void test_availability(void **state)
{
	(void)state;
	struct ct c;
	ct_setup(&c, 1); /* TH: 9-17 on days 0..20 */
	/* validation */
	int64_t odd[] = {H(1, 9), H(1, 10), H(1, 11)};
	struct body_builder bb;
	bb_init(&bb);
	bb_list_begin(&bb, "windows");
	for (int i = 0; i < 3; i++)
		bb_list_int(&bb, odd[i]);
	bb_list_end(&bb);
	CT_REJ(&c, ct_do(&c, TH2, CT_DAY(0), "availability.set", &bb, NULL), "pairs");
	int64_t back[] = {H(1, 10), H(1, 9)};
	CT_REJ(&c, ct_avail(&c, TH2, CT_DAY(0) + 1, back, 1), "end must be after start");
	int64_t over[] = {H(1, 9), H(1, 12), H(1, 11), H(1, 13)};
	CT_REJ(&c, ct_avail(&c, TH2, CT_DAY(0) + 2, over, 2), "overlaps");
	CT_REJ(&c, ct_avail(&c, PA, CT_DAY(0) + 3, back, 0), "only therapists");
	/* replacing the future at day 1, 12:00: the past stays (day 0 and the
	 * morning of day 1), the rest is replaced; windows partly in the past
	 * are clipped to now */
	int64_t now = H(1, 12);
	int64_t nw[] = {H(1, 8), H(1, 14), H(3, 9), H(3, 17)};
	CT_OK(&c, ct_avail(&c, TH, now, nw, 2));
	struct ivls l = avail_of(&c, TH, CT_DAY(0), CT_DAY(5));
	int64_t want[] = {H(0, 9), H(0, 17), H(1, 9), H(1, 14), H(3, 9), H(3, 17)};
	assert_int_equal(l.n, 6);
	assert_memory_equal(l.v, want, sizeof want);
	/* exceptions apply in order: close lunch, open an evening hour, then
	 * close half of that hour again */
	CT_REJ(&c, exception(&c, TH, now + 1, "close", H(3, 13), H(3, 12)), "end must be after start");
	CT_REJ(&c, exception(&c, TH, now + 2, "close", H(0, 9), H(0, 10)), "in the past");
	CT_REJ(&c, exception(&c, PA, now + 3, "close", H(3, 12), H(3, 13)), "only therapists");
	CT_OK(&c, exception(&c, TH, now + 4, "close", H(3, 12), H(3, 13)));
	CT_OK(&c, exception(&c, TH, now + 5, "open", H(3, 18), H(3, 19)));
	CT_OK(&c, exception(&c, TH, now + 6, "close", H(3, 18.5), H(3, 19)));
	l = avail_of(&c, TH, CT_DAY(3), CT_DAY(4));
	int64_t want3[] = {H(3, 9), H(3, 12), H(3, 13), H(3, 17), H(3, 18), H(3, 18.5)};
	assert_int_equal(l.n, 6);
	assert_memory_equal(l.v, want3, sizeof want3);
	/* booking respects exceptions */
	uint8_t svc[32];
	struct ct_service sv = {.price = MV_UNIT, .duration_min = 30};
	CT_OK(&c, ct_publish(&c, TH, now + 7, &sv, svc));
	CT_REJ(&c, ct_book(&c, PA, now + 8, svc, H(3, 12), "token", NULL), "outside the therapist's availability");
	CT_OK(&c, ct_book(&c, PA, now + 9, svc, H(3, 18), "token", NULL));
	/* a re-publish keeps the exceptions */
	int64_t again[] = {H(3, 9), H(3, 17)};
	CT_OK(&c, ct_avail(&c, TH, now + 10, again, 1));
	l = avail_of(&c, TH, CT_DAY(3), CT_DAY(4));
	assert_int_equal(l.n, 6);
	assert_memory_equal(l.v, want3, sizeof want3);
	int n = 0;
	struct mv_err e;
	assert_int_equal(query_care_exceptions(c.st, c.n.pk[TH], CT_DAY(0), count_exc, &n, &e), MV_OK);
	assert_int_equal(n, 3);
	/* an empty set clears the future */
	CT_OK(&c, ct_avail(&c, TH, now + 11, NULL, 0));
	l = avail_of(&c, TH, CT_DAY(3), CT_DAY(4));
	assert_int_equal(l.n, 2); /* only the exception's open hour half remains */
	ct_free(&c);
}

struct found {
	uint8_t who[8][32];
	int64_t rating[8];
	bool verified[8];
	int n;
};

static int found_cb(void *ud, const struct qc_therapist *r)
{
	struct found *f = ud;
	memcpy(f->who[f->n], r->therapist, 32);
	f->rating[f->n] = r->rating_x100;
	f->verified[f->n] = r->verified;
	f->n++;
	return 0;
}

static struct found search(struct ct *c, struct qc_search q)
{
	struct found f = {.n = 0};
	struct mv_err e;
	q.now = CT_DAY(5);
	if (!q.max_price)
		q.max_price = -1;
	assert_int_equal(query_care_search(c->st, &q, found_cb, &f, &e), MV_OK);
	return f;
}

static void test_search(void **state)
{
	(void)state;
	struct ct c;
	uint8_t a[32], b[32], s[32];
	ct_setup(&c, 1);
	int64_t t = CT_DAY(0);
	struct ct_service sa = {.price = 10 * MV_UNIT, .format = "video", .specialties = "anxiety",
				.auto_accept = true};
	struct ct_service sb = {.price = 5 * MV_UNIT, .format = "in_person", .specialties = "grief",
				.languages = "es", .insurance = true};
	CT_OK(&c, ct_publish(&c, TH, t, &sa, a));
	CT_OK(&c, ct_publish(&c, TH2, t + 1, &sb, b));
	struct found f = search(&c, (struct qc_search){.sort = QC_SORT_PRICE});
	assert_int_equal(f.n, 2);
	assert_memory_equal(f.who[0], c.n.pk[TH2], 32);
	assert_memory_equal(f.who[1], c.n.pk[TH], 32);
	f = search(&c, (struct qc_search){.specialty = "anxiety"});
	assert_int_equal(f.n, 1);
	assert_memory_equal(f.who[0], c.n.pk[TH], 32);
	f = search(&c, (struct qc_search){.language = "es"});
	assert_int_equal(f.n, 1);
	assert_memory_equal(f.who[0], c.n.pk[TH2], 32);
	f = search(&c, (struct qc_search){.format = "video"});
	assert_int_equal(f.n, 1);
	assert_memory_equal(f.who[0], c.n.pk[TH], 32);
	f = search(&c, (struct qc_search){.max_price = 6 * MV_UNIT});
	assert_int_equal(f.n, 1);
	assert_memory_equal(f.who[0], c.n.pk[TH2], 32);
	f = search(&c, (struct qc_search){.insurance = true});
	assert_int_equal(f.n, 1);
	assert_memory_equal(f.who[0], c.n.pk[TH2], 32);
	f = search(&c, (struct qc_search){.specialty = "anxiety", .language = "es"});
	assert_int_equal(f.n, 0);
	/* rating sort: TH gets 5 stars and comes first */
	CT_OK(&c, ct_book(&c, PA, t + 2, a, CT_DAY(1) + 10 * HOUR_MS, "token", s));
	CT_OK(&c, ct_ses(&c, TH, CT_DAY(1) + 11 * HOUR_MS, "session.complete", s));
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "session", s);
	bb_int(&bb, "stars", 5);
	CT_OK(&c, ct_do(&c, PA, CT_DAY(1) + 12 * HOUR_MS, "session.rate", &bb, NULL));
	f = search(&c, (struct qc_search){.sort = QC_SORT_RATING});
	assert_int_equal(f.n, 2);
	assert_memory_equal(f.who[0], c.n.pk[TH], 32);
	assert_int_equal(f.rating[0], 500);
	assert_int_equal(f.rating[1], 0);
	/* verified only: a suspended therapist drops out */
	bb_init(&bb);
	bb_id(&bb, "therapist", c.n.pk[TH2]);
	bb_str(&bb, "status", "suspended");
	CT_OK(&c, ct_do(&c, 0, CT_DAY(2), "verify.status", &bb, NULL));
	f = search(&c, (struct qc_search){.sort = QC_SORT_PRICE});
	assert_int_equal(f.n, 2);
	assert_false(f.verified[0]);
	f = search(&c, (struct qc_search){.verified_only = true});
	assert_int_equal(f.n, 1);
	assert_memory_equal(f.who[0], c.n.pk[TH], 32);
	ct_free(&c);
}

static int slots_cb(void *ud, int64_t a, int64_t b)
{
	struct ivls *l = ud;
	l->v[l->n++] = a;
	assert_int_equal(b - a, HOUR_MS);
	return l->n >= 32;
}

static void test_free_slots(void **state)
{
	(void)state;
	struct ct c;
	uint8_t svc[32], other[32];
	struct mv_err e;
	struct ct_service sv = {.price = MV_UNIT, .auto_accept = true};
	ct_setup(&c, 1); /* TH: 9-17 */
	int64_t t = CT_DAY(0);
	CT_OK(&c, ct_publish(&c, TH, t, &sv, svc));
	CT_OK(&c, ct_publish(&c, TH2, t + 1, &sv, other));
	CT_OK(&c, ct_office_hours(&c, TH2, t + 2, 0, 5));
	CT_OK(&c, ct_book(&c, PB, t + 3, svc, H(1, 10.5), "token", NULL));
	/* free stretches [9, 10.5) and [11.5, 17) cut into hours */
	struct ivls l = {.n = 0};
	assert_int_equal(query_care_free_slots(c.st, svc, CT_DAY(1), CT_DAY(2), t, NULL, 0, slots_cb, &l, &e), MV_OK);
	int64_t want[] = {H(1, 9), H(1, 11.5), H(1, 12.5), H(1, 13.5), H(1, 14.5), H(1, 15.5)};
	assert_int_equal(l.n, 6);
	assert_memory_equal(l.v, want, sizeof want);
	/* the 2h notice hides slots starting before now + 2h */
	l.n = 0;
	assert_int_equal(query_care_free_slots(c.st, svc, CT_DAY(1), CT_DAY(2), H(1, 9.5), NULL, 0, slots_cb, &l, &e), MV_OK);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.v[0], H(1, 11.5));
	/* the patient's own sessions elsewhere are left out too */
	CT_OK(&c, ct_book(&c, PA, t + 4, other, H(1, 13), "token", NULL));
	l.n = 0;
	assert_int_equal(query_care_free_slots(c.st, svc, CT_DAY(1), CT_DAY(2), t, c.n.pk[PA], 0, slots_cb, &l, &e), MV_OK);
	int64_t want2[] = {H(1, 9), H(1, 11.5), H(1, 14), H(1, 15), H(1, 16)};
	assert_int_equal(l.n, 5);
	assert_memory_equal(l.v, want2, sizeof want2);
	/* every listed slot can really be booked */
	CT_OK(&c, ct_book(&c, PA, t + 5, svc, H(1, 11.5), "token", NULL));
	/* max, unknown and retired services */
	l.n = 0;
	assert_int_equal(query_care_free_slots(c.st, svc, CT_DAY(1), CT_DAY(3), t, NULL, 3, slots_cb, &l, &e), MV_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(query_care_free_slots(c.st, c.n.pk[0], CT_DAY(1), CT_DAY(2), t, NULL, 0, slots_cb, &l, &e), MV_ENOTFOUND);
	struct body_builder bb;
	bb_init(&bb);
	bb_id(&bb, "service", svc);
	CT_OK(&c, ct_do(&c, TH, t + 6, "service.retire", &bb, NULL));
	assert_int_equal(query_care_free_slots(c.st, svc, CT_DAY(1), CT_DAY(2), t, NULL, 0, slots_cb, &l, &e), MV_EINVAL);
	ct_free(&c);
}

/* The interval helpers the contracts and views share. */
static void test_intervals(void **state)
{
	(void)state;
	struct care_ivls l = {0};
	assert_int_equal(care_ivls_add(&l, 10, 20), MV_OK);
	assert_int_equal(care_ivls_add(&l, 30, 40), MV_OK);
	assert_int_equal(care_ivls_add(&l, 20, 30), MV_OK); /* touching: merges all */
	assert_int_equal(l.n, 1);
	assert_true(care_ivls_covers(&l, 10, 40));
	assert_int_equal(care_ivls_sub(&l, 15, 25), MV_OK); /* split */
	assert_int_equal(l.n, 2);
	assert_false(care_ivls_covers(&l, 14, 16));
	assert_true(care_ivls_covers(&l, 25, 40));
	assert_int_equal(care_ivls_sub(&l, 0, 12), MV_OK);
	assert_int_equal(l.v[0].a, 12);
	assert_int_equal(care_ivls_sub(&l, 0, 100), MV_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(care_ivls_add(&l, 5, 5), MV_OK); /* empty: nothing */
	assert_int_equal(l.n, 0);
	for (int i = 0; i < 40; i++) /* growth */
		assert_int_equal(care_ivls_add(&l, 100 - 2 * i, 101 - 2 * i), MV_OK);
	assert_int_equal(l.n, 40);
	assert_int_equal(l.v[0].a, 22);
	care_ivls_free(&l);
	char d[32];
	care_fmt_duration(d, sizeof d, 90 * MIN_MS);
	assert_string_equal(d, "1h 30m");
	care_fmt_duration(d, sizeof d, 2 * HOUR_MS);
	assert_string_equal(d, "2h");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_publish),
		cmocka_unit_test(test_update_retire),
		cmocka_unit_test(test_availability),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_free_slots),
		cmocka_unit_test(test_intervals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
