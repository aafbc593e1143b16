/* test_widgets.c - the terminal-free logic of the TUI widgets and shell
 * tables: text width (CJK, emoji, combining marks, invalid bytes), clipping
 * and wrapping, amount/time/percentage formatting, list selection and
 * filtering, form editing and validation (including the rejections), the
 * confirmation dialog, toast expiry, progress bar, sparkline, week-calendar
 * layout, the action table and the view registry. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>

#include "ui/view.h"
#include "ui/widgets.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)
/* 2026-11-26 14:30:00 UTC, a Thursday */
#define T0 INT64_C(1795703400000)

/* ---- text ------------------------------------------------------------ */

static void test_width_ascii_cjk_emoji(void **st)
{
	assert_int_equal(ui_text_width(""), 0);
	assert_int_equal(ui_text_width("hello"), 5);
	assert_int_equal(ui_text_width("日本語"), 6);
	assert_int_equal(ui_text_width("😀"), 2);
	assert_int_equal(ui_text_width("a😀b"), 4);
	assert_int_equal(ui_text_width("e\xcc\x81"), 1);     /* e + combining acute */
	assert_int_equal(ui_text_width("\xff\xfe"), 2);      /* invalid bytes: one column each */
	assert_int_equal(ui_text_width("a\tb"), 3);          /* control drawn as '?' */
	assert_int_equal(ui_text_width("\xe6\x97"), 2);      /* truncated sequence */
	assert_int_equal(ui_text_width_n("日本語", 3), 2);
}

static void test_fit_and_clip(void **st)
{
	int used;
	char out[64];
	assert_int_equal(ui_text_fit("日本語", 5, &used), 6); /* the third char would cross */
	assert_int_equal(used, 4);
	assert_int_equal(ui_text_fit("日本語", 1, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(ui_text_fit("ab😀", 3, &used), 2);
	assert_int_equal(ui_text_clip(out, sizeof out, "hello world", 8), 8);
	assert_string_equal(out, "hello w…");
	assert_int_equal(ui_text_clip(out, sizeof out, "hello", 8), 5);
	assert_string_equal(out, "hello");
	assert_int_equal(ui_text_clip(out, sizeof out, "日本語テキスト", 7), 7);
	assert_string_equal(out, "日本語…");
	/* odd width: a wide char never half-shows */
	assert_int_equal(ui_text_clip(out, sizeof out, "日本語テキスト", 6), 5);
	assert_string_equal(out, "日本…");
	assert_int_equal(ui_text_clip(out, sizeof out, "x", 0), 0);
	assert_string_equal(out, "");
}

static void test_utf8_steps(void **st)
{
	const char *s = "a日😀";
	size_t len = strlen(s);
	assert_int_equal(ui_utf8_next(s, len, 0), 1);
	assert_int_equal(ui_utf8_next(s, len, 1), 4);
	assert_int_equal(ui_utf8_next(s, len, 4), 8);
	assert_int_equal(ui_utf8_next(s, len, 8), 8);
	assert_int_equal(ui_utf8_prev(s, 8), 4);
	assert_int_equal(ui_utf8_prev(s, 4), 1);
	assert_int_equal(ui_utf8_prev(s, 1), 0);
	assert_int_equal(ui_utf8_prev(s, 0), 0);
	char enc[5] = { 0 };
	assert_int_equal(ui_utf8_encode(enc, 0x1F600), 4);
	assert_string_equal(enc, "😀");
	memset(enc, 0, sizeof enc);
	assert_int_equal(ui_utf8_encode(enc, 0xD800), 3); /* surrogate -> U+FFFD */
	assert_string_equal(enc, "\xef\xbf\xbd");
}

static void test_wrap(void **st)
{
	size_t s[8], l[8];
	const char *t = "the quick brown fox";
	assert_int_equal(ui_wrap(t, 10, s, l, 8), 2);
	assert_int_equal(l[0], 9);
	assert_memory_equal(t + s[0], "the quick", 9);
	assert_memory_equal(t + s[1], "brown fox", 9);
	const char *n = "one\n\ntwo";
	assert_int_equal(ui_wrap(n, 20, s, l, 8), 3);
	assert_int_equal(l[1], 0);
	const char *longw = "abcdefghij";
	assert_int_equal(ui_wrap(longw, 4, s, l, 8), 3); /* a word longer than the width is cut */
	assert_int_equal(l[0], 4);
	const char *cjk = "日本語テキスト";
	assert_int_equal(ui_wrap(cjk, 5, s, l, 8), 4); /* two wide chars per line */
	assert_int_equal(l[0], 6);
	assert_int_equal(ui_wrap("", 10, s, l, 8), 0);
	assert_int_equal(ui_wrap("x", 0, s, l, 8), 0);
}

static void test_match(void **st)
{
	assert_true(ui_match_text("ledger.transfer patient-ana rejected", ""));
	assert_true(ui_match_text("ledger.transfer patient-ana rejected", "LEDGER"));
	assert_true(ui_match_text("ledger.transfer patient-ana rejected", "ana rej"));
	assert_false(ui_match_text("ledger.transfer patient-ana rejected", "ana applied"));
	assert_true(ui_match_text("memo 日本", "日本"));
}

/* ---- formatting ---------------------------------------------------------- */

static void test_amount_format(void **st)
{
	char b[48];
	ui_fmt_amount(b, sizeof b, 0);
	assert_string_equal(b, "0");
	ui_fmt_amount(b, sizeof b, 1);
	assert_string_equal(b, "0.00000001");
	ui_fmt_amount(b, sizeof b, 150000000);
	assert_string_equal(b, "1.5");
	ui_fmt_amount(b, sizeof b, INT64_C(123456789000000000));
	assert_string_equal(b, "1,234,567,890");
	ui_fmt_amount(b, sizeof b, INT64_C(100000000000));
	assert_string_equal(b, "1,000");
	ui_fmt_amount(b, sizeof b, INT64_C(99900000000));
	assert_string_equal(b, "999");
	ui_fmt_amount(b, sizeof b, -250000000);
	assert_string_equal(b, "-2.5");
	ui_fmt_amount(b, sizeof b, INT64_MIN);
	assert_string_equal(b, "-92,233,720,368.54775808");
	ui_fmt_amount_signed(b, sizeof b, 500000);
	assert_string_equal(b, "+0.005");
	ui_fmt_amount_signed(b, sizeof b, -100000000);
	assert_string_equal(b, "-1");
	ui_fmt_amount_signed(b, sizeof b, 0);
	assert_string_equal(b, "0");
}

static void test_time_format(void **st)
{
	char b[48];
	struct ui_civil c;
	ui_fmt_time(b, sizeof b, 0);
	assert_string_equal(b, "1970-01-01 00:00");
	ui_fmt_time(b, sizeof b, T0);
	assert_string_equal(b, "2026-11-26 14:30");
	ui_civil_from_ms(T0, &c);
	assert_int_equal(c.wday, 3); /* Thursday */
	ui_fmt_time(b, sizeof b, -MIN_MS);
	assert_string_equal(b, "1969-12-31 23:59");
	ui_fmt_time(b, sizeof b, INT64_C(951782400000)); /* leap day 2000 */
	assert_string_equal(b, "2000-02-29 00:00");
	ui_civil_from_ms(-1, &c);
	assert_int_equal(c.sec, 59);
	assert_int_equal(c.ms, 999);
}

static void test_ago_and_bp(void **st)
{
	char b[48];
	ui_fmt_ago(b, sizeof b, T0, T0 + 10000);
	assert_string_equal(b, "just now");
	ui_fmt_ago(b, sizeof b, T0, T0 + 5 * MIN_MS);
	assert_string_equal(b, "5 min ago");
	ui_fmt_ago(b, sizeof b, T0, T0 + 3 * HOUR_MS + 10);
	assert_string_equal(b, "3 h ago");
	ui_fmt_ago(b, sizeof b, T0, T0 + 2 * DAY_MS);
	assert_string_equal(b, "2 d ago");
	ui_fmt_ago(b, sizeof b, T0, T0 + 30 * DAY_MS);
	assert_string_equal(b, "2026-11-26");
	ui_fmt_ago(b, sizeof b, T0 + 5 * MIN_MS, T0);
	assert_string_equal(b, "in 5 min");
	ui_fmt_bp(b, sizeof b, 10);
	assert_string_equal(b, "0.1%");
	ui_fmt_bp(b, sizeof b, 250);
	assert_string_equal(b, "2.5%");
	ui_fmt_bp(b, sizeof b, 1);
	assert_string_equal(b, "0.01%");
	ui_fmt_bp(b, sizeof b, 100);
	assert_string_equal(b, "1%");
	ui_fmt_bp(b, sizeof b, 0);
	assert_string_equal(b, "0%");
}

/* ---- list ---------------------------------------------------------------- */

static const char *const fruits[] = { "apple", "banana", "cherry", "date", "apricot", "grape" };

static bool fruit_match(void *ud, size_t item, const char *needle)
{
	return ui_match_text(fruits[item], needle);
}

static void test_list_moves(void **st)
{
	struct ui_list l;
	size_t item;
	ui_list_init(&l);
	assert_false(ui_list_selected(&l, &item));
	ui_list_move(&l, 1); /* empty: no crash */
	ui_list_set_count(&l, 6);
	assert_true(ui_list_selected(&l, &item));
	assert_int_equal(item, 0);
	ui_list_move(&l, -3);
	assert_int_equal(l.sel, 0);
	ui_list_move(&l, 100);
	assert_int_equal(l.sel, 5);
	ui_list_scroll(&l, 3);
	assert_int_equal(l.top, 3);
	assert_true(ui_list_click(&l, 0));
	assert_int_equal(l.sel, 3);
	assert_false(ui_list_click(&l, 5)); /* past the end */
	assert_false(ui_list_click(&l, -1));
	ui_list_top(&l);
	ui_list_scroll(&l, 3);
	assert_int_equal(l.top, 0);
	assert_true(ui_list_key(&l, 'j'));
	assert_int_equal(l.sel, 1);
	assert_true(ui_list_key(&l, UI_FN(KEY_END)));
	assert_int_equal(l.sel, 5);
	assert_false(ui_list_key(&l, 'x'));
	ui_list_set_count(&l, 2); /* model shrank: selection clamped */
	assert_int_equal(l.sel, 1);
	ui_list_free(&l);
}

static void test_list_filter(void **st)
{
	struct ui_list l;
	size_t item;
	ui_list_init(&l);
	ui_list_set_count(&l, 6);
	ui_list_select_item(&l, 4); /* apricot */
	assert_true(ui_list_filter(&l, "ap", fruit_match, NULL));
	assert_int_equal(ui_list_visible(&l), 3); /* apple, apricot, grape */
	assert_true(ui_list_selected(&l, &item));
	assert_int_equal(item, 4); /* the selection survived the filter */
	assert_true(ui_list_item_at(&l, 2, &item));
	assert_int_equal(item, 5);
	assert_true(ui_list_filter(&l, "zzz", fruit_match, NULL));
	assert_int_equal(ui_list_visible(&l), 0);
	assert_false(ui_list_selected(&l, &item));
	assert_true(ui_list_filter(&l, "", fruit_match, NULL));
	assert_false(l.filtered);
	assert_int_equal(ui_list_visible(&l), 6);
	/* incremental */
	ui_list_filter_begin(&l, "x");
	assert_true(ui_list_filter_push(&l, 2));
	assert_true(ui_list_filter_push(&l, 3));
	assert_int_equal(ui_list_visible(&l), 2);
	ui_list_move(&l, 1);
	assert_true(ui_list_selected(&l, &item));
	assert_int_equal(item, 3);
	ui_list_filter_clear(&l);
	assert_true(ui_list_selected(&l, &item));
	assert_int_equal(item, 3); /* clearing keeps the selected item */
	ui_list_free(&l);
}

/* ---- form ------------------------------------------------------------------ */

static void feed(struct ui_form *f, const char *text)
{
	size_t n = strlen(text);
	for (size_t i = 0; i < n;) {
		size_t j = ui_utf8_next(text, n, i);
		char cp[5] = { 0 };
		memcpy(cp, text + i, j - i);
		wchar_t wc;
		mbtowc(&wc, cp, j - i);
		ui_form_key(f, (int)wc);
		i = j;
	}
}

static void test_form_amount(void **st)
{
	struct ui_form f;
	ui_form_init(&f, "Send");
	struct ui_field *a = ui_form_add(&f, UF_AMOUNT, "Amount", true, NULL);
	assert_false(ui_field_validate(a)); /* required */
	assert_string_equal(a->err, "required");
	assert_int_equal(ui_form_key(&f, 'q'), UI_FORM_IGNORED); /* not a digit: to the shell */
	assert_false(f.dirty);
	feed(&f, "12,5");
	assert_string_equal(a->buf, "12.5"); /* a decimal comma becomes a point */
	assert_true(f.dirty);
	assert_true(ui_field_validate(a));
	assert_int_equal(a->value, INT64_C(1250000000));
	ui_field_set_text(a, "0.000000001");
	assert_false(ui_field_validate(a)); /* 9 decimals */
	assert_true(a->err[0] != '\0');
	ui_field_set_text(a, "0");
	assert_false(ui_field_validate(a));
	assert_string_equal(a->err, "must be more than 0");
	ui_field_set_text(a, "1.2.3");
	assert_false(ui_field_validate(a));
	ui_field_set_text(a, "99999999999999999999");
	assert_false(ui_field_validate(a)); /* overflow */
	ui_form_free(&f);
}

static void test_form_time_and_choice(void **st)
{
	struct ui_form f;
	struct ui_choice c[3] = { { "patient-ana", "a" }, { "therapist-bo", "b" }, { "treasury", "t" } };
	ui_form_init(&f, "");
	struct ui_field *t = ui_form_add(&f, UF_TIME, "When", true, NULL);
	struct ui_field *ch = ui_form_add(&f, UF_CHOICE, "To", true, NULL);
	feed(&f, "2026-11-26 14:30");
	assert_true(ui_field_validate(t));
	assert_int_equal(t->value, T0);
	ui_field_set_text(t, "2026-13-01");
	assert_false(ui_field_validate(t));
	assert_false(ui_field_validate(ch)); /* no choices */
	assert_true(ui_field_set_choices(ch, c, 3));
	f.focus = 1;
	assert_int_equal(ui_form_key(&f, UI_FN(KEY_RIGHT)), UI_FORM_CHANGED);
	assert_string_equal(ui_field_value(ch), "b");
	assert_int_equal(ui_form_key(&f, UI_FN(KEY_LEFT)), UI_FORM_CHANGED);
	assert_int_equal(ui_form_key(&f, UI_FN(KEY_LEFT)), UI_FORM_CHANGED); /* wraps */
	assert_string_equal(ui_field_value(ch), "t");
	assert_int_equal(ui_form_key(&f, 'p'), UI_FORM_CHANGED); /* type-ahead */
	assert_string_equal(ui_field_value(ch), "a");
	assert_int_equal(ui_form_key(&f, 'z'), UI_FORM_IGNORED);
	assert_true(ui_field_validate(ch));
	assert_int_equal(ui_form_validate(&f), 0); /* the time field is still bad */
	ui_field_set_text(t, "2026-11-26");
	assert_int_equal(ui_form_validate(&f), -1);
	ui_form_free(&f);
}

static void test_form_text_utf8(void **st)
{
	struct ui_form f;
	ui_form_init(&f, "");
	struct ui_field *m = ui_form_add(&f, UF_TEXT, "Memo", false, NULL);
	feed(&f, "a日😀");
	assert_string_equal(m->buf, "a日😀");
	assert_int_equal(m->cur, 8);
	assert_int_equal(ui_field_cursor_col(m, 20), 5);
	assert_int_equal(ui_form_key(&f, UI_FN(KEY_LEFT)), UI_FORM_MOVED);
	assert_int_equal(m->cur, 4);
	assert_int_equal(ui_form_key(&f, 127), UI_FORM_CHANGED); /* backspace deletes 日 whole */
	assert_string_equal(m->buf, "a😀");
	assert_int_equal(ui_form_key(&f, UI_FN(KEY_DC)), UI_FORM_CHANGED);
	assert_string_equal(m->buf, "a");
	feed(&f, "xyz");
	assert_string_equal(m->buf, "axyz");
	assert_int_equal(ui_form_key(&f, UI_FN(KEY_HOME)), UI_FORM_MOVED);
	feed(&f, "é");
	assert_string_equal(m->buf, "éaxyz");
	/* ^V makes the next key literal text */
	assert_int_equal(ui_form_key(&f, UI_CTRL('v')), UI_FORM_MOVED);
	assert_int_equal(ui_form_key(&f, '!'), UI_FORM_CHANGED);
	assert_string_equal(m->buf, "é!axyz");
	assert_int_equal(ui_form_key(&f, UI_CTRL('u')), UI_FORM_CHANGED);
	assert_string_equal(m->buf, "");
	/* scrolling keeps the cursor in a narrow field */
	feed(&f, "日本語テキスト");
	int col = ui_field_cursor_col(m, 6);
	assert_true(col >= 0 && col < 6);
	ui_form_free(&f);
}

static void test_form_limits_and_flow(void **st)
{
	struct ui_form f;
	ui_form_init(&f, "");
	struct ui_field *a = ui_form_add(&f, UF_TEXT, "Name", true, NULL);
	ui_form_add(&f, UF_SECRET, "Pass", false, NULL);
	a->max_bytes = 4;
	feed(&f, "abcdef");
	assert_string_equal(a->buf, "abcd");
	feed(&f, "");
	ui_form_key(&f, 127);
	feed(&f, "日"); /* 3 bytes do not fit in the 1 left */
	assert_string_equal(a->buf, "abc");
	assert_int_equal(ui_form_key(&f, '\t'), UI_FORM_MOVED);
	assert_int_equal(f.focus, 1);
	assert_int_equal(ui_form_key(&f, '\t'), UI_FORM_MOVED); /* wraps to the first */
	assert_int_equal(f.focus, 0);
	assert_int_equal(ui_form_key(&f, UI_FN(KEY_BTAB)), UI_FORM_MOVED);
	assert_int_equal(f.focus, 1);
	assert_int_equal(ui_form_key(&f, '\r'), UI_FORM_SUBMIT); /* Enter on the last field */
	f.focus = 0;
	assert_int_equal(ui_form_key(&f, '\r'), UI_FORM_MOVED);
	assert_int_equal(f.focus, 1);
	assert_int_equal(ui_form_key(&f, UI_CTRL('s')), UI_FORM_SUBMIT);
	assert_int_equal(ui_form_key(&f, UI_ESC), UI_FORM_CANCEL);
	for (int i = 0; i < UI_FORM_MAX - 2; i++)
		assert_non_null(ui_form_add(&f, UF_TEXT, "x", false, NULL));
	assert_null(ui_form_add(&f, UF_TEXT, "full", false, NULL));
	ui_form_free(&f);
}

static bool reject_bob(void *ud, const struct ui_field *f, char *err, size_t errlen)
{
	if (strcmp(f->buf, "bob") == 0) {
		snprintf(err, errlen, "bob is taken");
		return false;
	}
	return true;
}

static void test_form_custom_check(void **st)
{
	struct ui_form f;
	ui_form_init(&f, "");
	struct ui_field *a = ui_form_add(&f, UF_TEXT, "Name", true, NULL);
	a->check = reject_bob;
	ui_field_set_text(a, "bob");
	assert_int_equal(ui_form_validate(&f), 0);
	assert_string_equal(a->err, "bob is taken");
	ui_field_set_text(a, "ann");
	assert_int_equal(ui_form_validate(&f), -1);
	assert_string_equal(a->err, "");
	ui_form_free(&f);
}

/* ---- dialog, toast, progress, charts -------------------------------------- */

static void test_confirm(void **st)
{
	struct ui_confirm c;
	ui_confirm_open(&c, "Quit", "Sure?", NULL, NULL);
	assert_true(c.active);
	assert_int_equal(ui_confirm_key(&c, 'x'), UI_CONFIRM_NONE);
	assert_int_equal(ui_confirm_key(&c, '\t'), UI_CONFIRM_NONE);
	assert_false(c.yes);
	assert_int_equal(ui_confirm_key(&c, '\r'), UI_CONFIRM_NO); /* Enter on No */
	assert_false(c.active);
	assert_int_equal(ui_confirm_key(&c, 'y'), UI_CONFIRM_NONE); /* closed */
	ui_confirm_open(&c, "Quit", "Sure?", "Quit", "Stay");
	assert_int_equal(ui_confirm_key(&c, '\r'), UI_CONFIRM_YES);
	ui_confirm_open(&c, "Quit", "Sure?", NULL, NULL);
	assert_int_equal(ui_confirm_key(&c, UI_ESC), UI_CONFIRM_NO);
	ui_confirm_open(&c, "Quit", "Sure?", NULL, NULL);
	assert_int_equal(ui_confirm_key(&c, 'Y'), UI_CONFIRM_YES);
}

static void test_toast(void **st)
{
	struct ui_toast t;
	memset(&t, 0, sizeof t);
	ui_toast_set(&t, UI_ERROR, 1000, 500, "bad %s\nthing", "amount");
	assert_string_equal(t.msg, "bad amount thing");
	assert_false(ui_toast_expire(&t, 1400));
	assert_true(ui_toast_expire(&t, 1500));
	assert_string_equal(t.msg, "");
	assert_false(ui_toast_expire(&t, 9999));
	ui_toast_set(&t, UI_INFO, 1000, 0, "sticky");
	assert_false(ui_toast_expire(&t, INT64_MAX));
}

static void test_progress(void **st)
{
	char b[256];
	assert_int_equal(ui_progress_percent(0, 0), 0);
	assert_int_equal(ui_progress_percent(1, 3), 33);
	assert_int_equal(ui_progress_percent(5, 3), 100);
	ui_progress_bar(b, sizeof b, 10, 1, 2);
	assert_int_equal(ui_text_width(b), 10);
	assert_memory_equal(b, "█████", 15);
	ui_progress_bar(b, sizeof b, 4, 1, 8); /* half of the first column */
	assert_int_equal(ui_text_width(b), 4);
	assert_memory_equal(b, "▌", 3);
	ui_progress_bar(b, sizeof b, 4, 9, 9);
	assert_string_equal(b, "████");
	ui_progress_bar(b, sizeof b, 4, 0, 0);
	assert_string_equal(b, "    ");
}

static void test_sparkline_and_bars(void **st)
{
	char b[512];
	int64_t up[4] = { 0, 10, 20, 30 };
	assert_int_equal(ui_sparkline(b, sizeof b, up, 4, 10), 4);
	assert_string_equal(b, "▁▃▅█");
	int64_t flat[3] = { 5, 5, 5 };
	assert_int_equal(ui_sparkline(b, sizeof b, flat, 3, 10), 3);
	assert_string_equal(b, "▄▄▄");
	int64_t many[100];
	for (int i = 0; i < 100; i++)
		many[i] = i;
	assert_int_equal(ui_sparkline(b, sizeof b, many, 100, 8), 8);
	assert_int_equal(ui_text_width(b), 8);
	assert_memory_equal(b + 21, "█", 3); /* the last column shows the last value */
	int64_t big[2] = { INT64_MIN, INT64_MAX }; /* no overflow in the scale */
	assert_int_equal(ui_sparkline(b, sizeof b, big, 2, 4), 2);
	assert_string_equal(b, "▁█");
	assert_int_equal(ui_sparkline(b, sizeof b, up, 0, 4), 0);
	assert_int_equal(ui_bar_eighths(5, 10, 4), 16);
	assert_int_equal(ui_bar_eighths(20, 10, 4), 32);
	assert_int_equal(ui_bar_eighths(-1, 10, 4), 0);
	assert_int_equal(ui_bar_eighths(1, 0, 4), 0);
}

/* ---- week calendar ----------------------------------------------------------- */

static void test_week_layout(void **st)
{
	struct ui_week_layout L;
	int day, row;
	int64_t monday = T0 - 3 * DAY_MS - 14 * HOUR_MS - 30 * MIN_MS; /* 2026-11-23 00:00 */
	assert_int_equal(ui_week_start(T0), monday);
	assert_int_equal(ui_week_start(monday), monday);
	assert_int_equal(ui_week_start(monday - 1), monday - 7 * DAY_MS);
	assert_int_equal(ui_week_start(-1), -3 * DAY_MS); /* Mon 1969-12-29 */
	/* 8:00-20:00 in 13 rows: one-hour slots */
	assert_true(ui_week_layout(&L, T0, 62, 14, 8, 20));
	assert_int_equal(L.slot_min, 60);
	assert_int_equal(L.nrows, 12);
	assert_int_equal(L.col_w, 8);
	/* a tall screen gets finer slots */
	assert_true(ui_week_layout(&L, T0, 100, 40, 8, 20));
	assert_int_equal(L.slot_min, 30);
	assert_int_equal(L.nrows, 24);
	assert_true(ui_week_cell(&L, T0, &day, &row));
	assert_int_equal(day, 3);
	assert_int_equal(row, 13); /* 14:30 is the 14th half hour after 8:00 */
	assert_int_equal(ui_week_cell_time(&L, day, row), T0);
	assert_false(ui_week_cell(&L, monday + 7 * HOUR_MS, &day, &row)); /* before 8:00 */
	assert_false(ui_week_cell(&L, monday + 20 * HOUR_MS, &day, &row)); /* after the last row */
	assert_false(ui_week_cell(&L, monday + 7 * DAY_MS, &day, &row));   /* next week */
	assert_int_equal(ui_week_day_x(&L, 1), L.label_w + L.col_w);
	/* too small or nonsense hours */
	assert_false(ui_week_layout(&L, T0, 20, 14, 8, 20));
	assert_false(ui_week_layout(&L, T0, 80, 3, 0, 24));
	assert_false(ui_week_layout(&L, T0, 80, 20, 10, 9));
}

/* ---- keys, action table, registry ---------------------------------------------- */

static void test_keys_and_actions(void **st)
{
	char b[16];
	assert_string_equal(ui_key_name(UI_ESC, b, sizeof b), "Esc");
	assert_string_equal(ui_key_name('\t', b, sizeof b), "Tab");
	assert_string_equal(ui_key_name(UI_CTRL('s'), b, sizeof b), "^S");
	assert_string_equal(ui_key_name(UI_FN(KEY_F(2)), b, sizeof b), "F2");
	assert_string_equal(ui_key_name(0x65e5, b, sizeof b), "日");
	assert_true(ui_key_is_text('q'));
	assert_true(ui_key_is_text(0x1F600));
	assert_false(ui_key_is_text(UI_ESC));
	assert_false(ui_key_is_text(UI_FN(KEY_UP)));
	assert_int_equal(tui_action_for_key('!'), ACT_CRISIS);
	assert_int_equal(tui_action_for_key('?'), ACT_HELP);
	assert_int_equal(tui_action_for_key('q'), ACT_QUIT);
	assert_int_equal(tui_action_for_key('/'), ACT_FILTER);
	assert_int_equal(tui_action_for_key(UI_ESC), ACT_BACK);
	assert_int_equal(tui_action_for_key('j'), ACT_DOWN);
	assert_int_equal(tui_action_for_key(UI_FN(KEY_DOWN)), ACT_DOWN);
	assert_int_equal(tui_action_for_key('\t'), ACT_FOCUS_NEXT); /* not the form label */
	assert_int_equal(tui_action_for_key(UI_FN(KEY_F(12))), ACT_NONE);
	/* every action has a name and help, and no two actions share a key, except
	 * the shown-only labels whose key reaches a screen as another action */
	static const struct { enum tui_action shown, as; } aliases[] = {
		{ACT_MOOD, ACT_CHECKIN}, {ACT_THOUGHT, ACT_NEW}, {ACT_SHARE_MOOD, ACT_SEND},
		{ACT_FORGET, ACT_CANCEL},
		{ACT_TOGGLE, ACT_PAGE_DOWN}, {ACT_RETIRE, ACT_CANCEL}, {ACT_STAKE, ACT_NEW},
		{ACT_CLAIM, ACT_PAY}, {ACT_PROPOSE, ACT_NEW}, {ACT_SIGN, ACT_APPROVE},
		{ACT_WHOSE, ACT_EDIT}, {ACT_SYNC_NOW, ACT_SEND}, {ACT_PEER_ADD, ACT_NEW},
		{ACT_PEER_REMOVE, ACT_CANCEL}, {ACT_GROUP_POST, ACT_NEW},
		{ACT_GROUP_INVITE, ACT_CHECKIN}, {ACT_GROUP_ADMIT, ACT_APPROVE},
		{ACT_GROUP_REFUSE, ACT_REJECT}, {ACT_NEW_PROPOSAL, ACT_NEW}, {ACT_ACTION_ADD, ACT_NEW},
		{ACT_ACTION_REMOVE, ACT_CANCEL}, {ACT_VOTE_FOR, ACT_APPROVE},
		{ACT_VOTE_AGAINST, ACT_REJECT}, {ACT_VOTE_ABSTAIN, ACT_BOOK}, {ACT_DELEGATE, ACT_EDIT},
	};
	for (int a = 1; a < ACT_COUNT; a++) {
		const struct tui_action_def *d = tui_action_def((enum tui_action)a);
		enum tui_action want = (enum tui_action)a;
		assert_int_equal(d->id, a);
		assert_true(d->name[0] && d->help[0]);
		if (a >= ACT_FORM_NEXT)
			continue;
		for (size_t k = 0; k < sizeof aliases / sizeof aliases[0]; k++)
			if (aliases[k].shown == want)
				want = aliases[k].as;
		for (int i = 0; i < 4 && d->keys[i]; i++)
			assert_int_equal(tui_action_for_key(d->keys[i]), want);
	}
}

struct submits {
	int n;
	const struct ui_form *last;
};

static void count_submit(void *ud, const struct ui_form *form)
{
	struct submits *s = ud;
	s->n++;
	s->last = form;
}

/* The shell's hook sees a form on Enter in the last field and on ^S, never
 * on Esc, moves or edits (tui.c runs the crisis-word check there). */
static void test_form_submit_hook(void **st)
{
	struct ui_form f;
	struct submits s = {0, NULL};
	ui_form_init(&f, "");
	ui_form_add(&f, UF_TEXT, "One", false, NULL);
	ui_form_add(&f, UF_TEXT, "Two", false, NULL);
	ui_form_on_submit(count_submit, &s);
	assert_int_equal(ui_form_key(&f, 'a'), UI_FORM_CHANGED);
	assert_int_equal(ui_form_key(&f, '\r'), UI_FORM_MOVED); /* Enter: next field */
	assert_int_equal(s.n, 0);
	assert_int_equal(ui_form_key(&f, '\r'), UI_FORM_SUBMIT);
	assert_int_equal(s.n, 1);
	assert_ptr_equal(s.last, &f);
	assert_int_equal(ui_form_key(&f, UI_CTRL('s')), UI_FORM_SUBMIT);
	assert_int_equal(s.n, 2);
	assert_int_equal(ui_form_key(&f, UI_ESC), UI_FORM_CANCEL);
	assert_int_equal(s.n, 2);
	ui_form_on_submit(NULL, NULL);
	assert_int_equal(ui_form_key(&f, UI_CTRL('s')), UI_FORM_SUBMIT);
	assert_int_equal(s.n, 2);
	ui_form_free(&f);
}

static void test_view_registry(void **st)
{
	size_t n = tui_view_count();
	assert_true(n >= 6);
	for (size_t i = 0; i < n; i++) {
		const struct view_ops *v = tui_views[i];
		assert_non_null(v->name);
		assert_non_null(v->title);
		assert_non_null(v->draw);
		assert_non_null(v->help);
		assert_int_equal(tui_view_index(v->name), (int)i);
	}
	assert_true(tui_view_index("crisis") >= 0);
	assert_true(tui_view_index("wallet") >= 0);
	assert_int_equal(tui_view_index("nope"), -1);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_ascii_cjk_emoji),
		cmocka_unit_test(test_fit_and_clip),
		cmocka_unit_test(test_utf8_steps),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_amount_format),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_ago_and_bp),
		cmocka_unit_test(test_list_moves),
		cmocka_unit_test(test_list_filter),
		cmocka_unit_test(test_form_amount),
		cmocka_unit_test(test_form_time_and_choice),
		cmocka_unit_test(test_form_text_utf8),
		cmocka_unit_test(test_form_limits_and_flow),
		cmocka_unit_test(test_form_custom_check),
		cmocka_unit_test(test_confirm),
		cmocka_unit_test(test_toast),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_sparkline_and_bars),
		cmocka_unit_test(test_week_layout),
		cmocka_unit_test(test_keys_and_actions),
		cmocka_unit_test(test_form_submit_hook),
		cmocka_unit_test(test_view_registry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
