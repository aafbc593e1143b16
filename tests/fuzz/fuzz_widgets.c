/* fuzz_widgets.c - libFuzzer target for the TUI's form logic and text
 * helpers (src/ui/widgets.h), which see both typed keys and text from other
 * peers (names, memos). No terminal is opened: only the logic half of the
 * widgets runs. First byte picks the mode:
 *   even: a form (text with a byte limit, amount, time, choice, secret) fed
 *         a key sequence decoded from the input; after every key each field
 *         stays within its limit, holds valid UTF-8 with the cursor on a code
 *         point boundary, and validation agrees with the core parsers
 *         (an accepted amount is > 0 and is what mv_amount_parse reads, an
 *         accepted time is what mv_time_parse reads, a refusal says why);
 *   odd:  the rest as text set into a field of each kind and validated, and
 *         measured, fitted, clipped and wrapped at a width from the input:
 *         nothing may exceed the width it was given or split a code point. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "ui/widgets.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setlocale(LC_ALL, "C.UTF-8");
	return 0;
}

static const int fuzz_fn_keys[] = {
	UI_FN(KEY_LEFT), UI_FN(KEY_RIGHT), UI_FN(KEY_HOME), UI_FN(KEY_END), UI_FN(KEY_DC),
	UI_FN(KEY_BACKSPACE), UI_FN(KEY_UP), UI_FN(KEY_DOWN), UI_FN(KEY_BTAB), UI_FN(KEY_ENTER),
	127, 8, '\t', '\r', UI_CTRL('u'), UI_CTRL('v'),
};

/* Next key from the input: a byte below 0xf0 is itself (ASCII, controls,
 * Latin-1), 0xf0..0xfe then a byte is a function key, 0xff then 3 bytes is
 * any 24-bit value (wide characters, surrogates, out of range). */
static bool fuzz_next_key(const uint8_t **p, const uint8_t *end, int *key)
{
	if (*p >= end)
		return false;
	uint8_t b = *(*p)++;
	if (b < 0xf0) {
		*key = b;
	} else if (b < 0xff) {
		if (*p >= end)
			return false;
		*key = fuzz_fn_keys[*(*p)++ % (sizeof fuzz_fn_keys / sizeof *fuzz_fn_keys)];
	} else {
		if (end - *p < 3)
			return false;
		*key = (*p)[0] << 16 | (*p)[1] << 8 | (*p)[2];
		*p += 3;
	}
	return true;
}

/* Structurally valid UTF-8 (controls allowed): the same rule as the
 * core's, minus the control-character refusal. */
static bool fuzz_utf8_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned c = u[i];
		size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (!k || i + k > n || (k == 2 && c < 0xc2))
			return false;
		uint32_t cp = k == 1 ? c : c & (0x7f >> k);
		for (size_t j = 1; j < k; j++) {
			if ((u[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (u[i + j] & 0x3f);
		}
		if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k;
	}
	return true;
}

static void fuzz_check_validation(struct ui_field *f, bool ok)
{
	int64_t v;
	struct mv_err e;
	bool blank = strspn(f->buf, " ") == strlen(f->buf);
	if (!ok) {
		CHECK(f->err[0]);
		return;
	}
	CHECK(f->err[0] == '\0');
	if (f->kind == UF_AMOUNT && !blank) {
		CHECK(mv_amount_parse(f->buf, &v, &e) == MV_OK && v == f->value && v > 0);
	} else if (f->kind == UF_TIME && !blank) {
		CHECK(mv_time_parse(f->buf, &v, &e) == MV_OK && v == f->value);
	} else if (f->kind == UF_CHOICE) {
		CHECK(f->choice < f->nchoices);
		CHECK(strcmp(ui_field_value(f), f->choices[f->choice].value) == 0);
	}
}

static void fuzz_check_field(struct ui_field *f, int width)
{
	size_t len = strlen(f->buf);
	size_t lim = f->max_bytes ? f->max_bytes : UI_FIELD_MAX - 1;
	CHECK(len <= lim && len < UI_FIELD_MAX);
	CHECK(f->cur <= len);
	CHECK(fuzz_utf8_ok(f->buf, len));
	CHECK(f->cur == len || ((unsigned char)f->buf[f->cur] & 0xc0) != 0x80);
	int col = ui_field_cursor_col(f, width);
	CHECK(col >= 0 && col < (width < 1 ? 1 : width));
	fuzz_check_validation(f, ui_field_validate(f));
}

static void fuzz_form(const uint8_t *p, const uint8_t *end)
{
	static const struct ui_choice choices[] = {
		{"Yes", "yes"}, {"No", "no"}, {"Later", "later"}, {"日本", "jp"},
	};
	struct ui_form form;
	if (end - p < 3)
		return;
	size_t text_max = p[0], nchoices = p[1] % 5;
	int width = p[2] % 40;
	p += 3;
	ui_form_init(&form, "fuzz");
	struct ui_field *t = ui_form_add(&form, UF_TEXT, "Text", false, NULL);
	t->max_bytes = text_max;
	ui_form_add(&form, UF_AMOUNT, "Amount", true, NULL);
	ui_form_add(&form, UF_TIME, "When", false, NULL);
	struct ui_field *c = ui_form_add(&form, UF_CHOICE, "Choice", true, NULL);
	CHECK(ui_field_set_choices(c, choices, nchoices));
	ui_form_add(&form, UF_SECRET, "Secret", false, NULL);
	int key, keys = 0;
	while (keys++ < 512 && fuzz_next_key(&p, end, &key)) {
		enum ui_form_result r = ui_form_key(&form, key);
		CHECK(r >= UI_FORM_IGNORED && r <= UI_FORM_CANCEL);
		CHECK(form.focus < form.n);
		fuzz_check_field(&form.f[form.focus], width);
	}
	int first = ui_form_validate(&form);
	CHECK(first >= -1 && first < (int)form.n);
	for (size_t i = 0; i < form.n; i++)
		fuzz_check_field(&form.f[i], width);
	ui_form_free(&form);
}

static void fuzz_text(const char *s, int width)
{
	int used = -1;
	char out[1024];
	size_t len = strlen(s);
	int w = ui_text_width(s);
	CHECK(w >= 0 && (size_t)w <= 2 * len);
	size_t fit = ui_text_fit(s, width, &used);
	CHECK(fit <= len && used >= 0 && used <= (width < 0 ? 0 : width));
	CHECK(used == ui_text_width_n(s, fit));
	int cols = ui_text_clip(out, sizeof out, s, width);
	CHECK(cols >= 0 && cols <= (width < 0 ? 0 : width) && strlen(out) < sizeof out);
	size_t starts[64], lens[64];
	size_t n = ui_wrap(s, width, starts, lens, 64);
	for (size_t i = 0; i < n && i < 64; i++) {
		CHECK(starts[i] <= len && lens[i] <= len - starts[i]);
		CHECK(ui_text_width_n(s + starts[i], lens[i]) <= (width < 2 ? 2 : width));
	}
	CHECK(ui_match_text(s, ""));
	(void)ui_match_text(s, s);
}

static void fuzz_fields_text(const char *s, int width)
{
	static const enum ui_field_kind kinds[] = {UF_TEXT, UF_AMOUNT, UF_TIME, UF_SECRET};
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		struct ui_form form;
		ui_form_init(&form, "fuzz");
		struct ui_field *f = ui_form_add(&form, kinds[k], "F", k & 1, NULL);
		ui_field_set_text(f, s);
		CHECK(strlen(f->buf) < UI_FIELD_MAX && f->cur == strlen(f->buf));
		fuzz_check_validation(f, ui_field_validate(f));
		ui_form_free(&form);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 2048)
		return 0;
	if (data[0] % 2 == 0) {
		fuzz_form(data + 1, data + size);
		return 0;
	}
	int width = (int)(signed char)data[1];
	char *s = malloc(size - 1);
	CHECK(s);
	memcpy(s, data + 2, size - 2);
	s[size - 2] = '\0';
	fuzz_text(s, width);
	fuzz_fields_text(s, width);
	free(s);
	return 0;
}
