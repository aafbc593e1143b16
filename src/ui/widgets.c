/* widgets.c - the reusable widgets of the terminal UI (see widgets.h).
 *
 * Logic first (text measurement, formatting, list, form, dialog, charts,
 * calendar layout: pure functions over plain structs, unit-tested), then the
 * curses drawing of each. Text width is measured in exactly one place,
 * ui_text_width_n, on top of one UTF-8 decoder, so CJK, emoji and combining
 * marks are handled the same everywhere. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "core/util.h"
#include "ui/theme.h"
#include "ui/widgets.h"

/* ====================================================================== */
/* keys                                                                   */
/* ====================================================================== */

bool ui_key_is_enter(int key)
{
	return key == '\n' || key == '\r' || key == UI_FN(KEY_ENTER);
}

bool ui_key_is_backspace(int key)
{
	return key == UI_FN(KEY_BACKSPACE) || key == 127 || key == 8;
}

bool ui_key_is_text(int key)
{
	if (key & UI_FN_FLAG)
		return false;
	if (key < 32 || key == 127 || (key >= 0x80 && key < 0xa0))
		return false;
	return key <= 0x10ffff && !(key >= 0xd800 && key <= 0xdfff);
}

static const struct {
	int key;
	const char *name;
} ui_key_names[] = {
	{ UI_FN(KEY_UP), "↑" }, { UI_FN(KEY_DOWN), "↓" },
	{ UI_FN(KEY_LEFT), "←" }, { UI_FN(KEY_RIGHT), "→" },
	{ UI_FN(KEY_BTAB), "S-Tab" }, { UI_FN(KEY_PPAGE), "PgUp" },
	{ UI_FN(KEY_NPAGE), "PgDn" }, { UI_FN(KEY_HOME), "Home" },
	{ UI_FN(KEY_END), "End" }, { UI_FN(KEY_ENTER), "Enter" },
	{ UI_FN(KEY_BACKSPACE), "Bksp" }, { UI_FN(KEY_DC), "Del" },
	{ UI_ESC, "Esc" }, { '\t', "Tab" }, { '\n', "Enter" }, { '\r', "Enter" },
	{ ' ', "Space" }, { 127, "Bksp" },
};

const char *ui_key_name(int key, char *buf, size_t buflen)
{
	for (size_t i = 0; i < sizeof ui_key_names / sizeof ui_key_names[0]; i++)
		if (ui_key_names[i].key == key)
			return ui_key_names[i].name;
	if ((key & UI_FN_FLAG) && (key & ~UI_FN_FLAG) >= KEY_F(1) && (key & ~UI_FN_FLAG) <= KEY_F(24)) {
		snprintf(buf, buflen, "F%d", (key & ~UI_FN_FLAG) - KEY_F0);
		return buf;
	}
	if (key & UI_FN_FLAG) {
		snprintf(buf, buflen, "key%d", key & ~UI_FN_FLAG);
		return buf;
	}
	if (key < 32) {
		snprintf(buf, buflen, "^%c", key + '@');
		return buf;
	}
	char enc[5] = { 0 };
	ui_utf8_encode(enc, (uint32_t)key);
	snprintf(buf, buflen, "%s", enc);
	return buf;
}

/* ====================================================================== */
/* text                                                                   */
/* ====================================================================== */

/* Decode one code point from s (n > 0 bytes). Returns bytes used (>= 1);
 * an invalid sequence yields one byte and cp = 0xFFFD. */
static size_t ui_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (len > n) {
		*cp = 0xfffd;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		v = (v << 6) | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = v;
	return len;
}

/* Columns of one code point as drawn by ui_put. */
static int ui_cp_width(uint32_t cp)
{
	if (cp < 32 || cp == 127 || (cp >= 0x80 && cp < 0xa0))
		return 1; /* drawn as '?' */
	int w = wcwidth((wchar_t)cp);
	if (w < 0)
		return 1;
	return w;
}

int ui_text_width_n(const char *s, size_t n)
{
	int w = 0;
	size_t i = 0;
	while (i < n && s[i]) {
		uint32_t cp;
		i += ui_utf8_decode(s + i, n - i, &cp);
		w += ui_cp_width(cp);
	}
	return w;
}

int ui_text_width(const char *s)
{
	return s ? ui_text_width_n(s, strlen(s)) : 0;
}

size_t ui_text_fit(const char *s, int cols, int *used)
{
	size_t n = strlen(s), i = 0;
	int w = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = ui_utf8_decode(s + i, n - i, &cp);
		int cw = ui_text_width_n(s + i, k);
		if (w + cw > cols)
			break;
		/* keep zero-width marks with their base character */
		w += cw;
		i += k;
	}
	if (used)
		*used = w;
	return i;
}

int ui_text_clip(char *out, size_t outlen, const char *s, int cols)
{
	if (outlen == 0)
		return 0;
	out[0] = '\0';
	if (cols <= 0 || !s)
		return 0;
	int w = ui_text_width(s);
	int used;
	size_t n;
	if (w <= cols) {
		n = strlen(s);
		used = w;
	} else {
		n = ui_text_fit(s, cols - 1, &used);
	}
	if (n >= outlen)
		n = ui_utf8_prev(s, outlen - 1 > n ? n : outlen - 1) ;
	/* recompute after a possible shortening by outlen */
	while (n > 0 && n >= outlen)
		n = ui_utf8_prev(s, n);
	memcpy(out, s, n);
	out[n] = '\0';
	used = ui_text_width(out);
	if (w > cols && n + 4 <= outlen) {
		strcat(out, "…");
		used++;
	}
	return used;
}

size_t ui_utf8_next(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return len;
	uint32_t cp;
	return i + ui_utf8_decode(s + i, len - i, &cp);
}

size_t ui_utf8_prev(const char *s, size_t i)
{
	if (i == 0)
		return 0;
	size_t j = i - 1;
	while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xc0) == 0x80)
		j--;
	/* check the sequence at j really ends at i; else step one byte */
	uint32_t cp;
	if (j + ui_utf8_decode(s + j, i - j, &cp) != i)
		return i - 1;
	return j;
}

size_t ui_utf8_encode(char *out, uint32_t cp)
{
	unsigned char *o = (unsigned char *)out;
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	} else if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t ui_wrap(const char *s, int width, size_t *starts, size_t *lens, size_t max)
{
	size_t len = strlen(s), i = 0, nlines = 0;
	if (width <= 0)
		return 0;
	while (i < len) {
		size_t start = i, j = i, brk = SIZE_MAX;
		int w = 0;
		while (j < len && s[j] != '\n') {
			size_t nx = ui_utf8_next(s, len, j);
			int cw = ui_text_width_n(s + j, nx - j);
			if (w + cw > width)
				break;
			if (s[j] == ' ')
				brk = j;
			w += cw;
			j = nx;
		}
		size_t end, next;
		if (j >= len || s[j] == '\n') {
			end = j;
			next = j + 1;
		} else if (brk != SIZE_MAX && brk > start) {
			end = brk;
			next = brk + 1;
		} else {
			end = j > start ? j : ui_utf8_next(s, len, j);
			next = end;
		}
		if (nlines < max) {
			starts[nlines] = start;
			lens[nlines] = end - start;
		}
		nlines++;
		i = next;
		if (end != j || (j < len && s[j] != '\n' && next == end))
			while (i < len && s[i] == ' ')
				i++;
	}
	return nlines;
}

bool ui_match_text(const char *hay, const char *needle)
{
	const char *p = needle;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char term[128];
		if (n >= sizeof term)
			n = sizeof term - 1;
		memcpy(term, p, n);
		term[n] = '\0';
		if (!strcasestr(hay, term))
			return false;
		p += n;
	}
	return true;
}

/* ====================================================================== */
/* formatting                                                             */
/* ====================================================================== */

static uint64_t ui_abs_u64(int64_t v)
{
	return v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
}

/* Amount without sign into out. */
static void ui_fmt_magnitude(char *out, size_t outlen, uint64_t mag)
{
	uint64_t whole = mag / (uint64_t)MV_UNIT, frac = mag % (uint64_t)MV_UNIT;
	char digits[32], grouped[48];
	int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)whole);
	size_t g = 0;
	for (int i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			grouped[g++] = ',';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	if (frac == 0) {
		snprintf(out, outlen, "%s", grouped);
		return;
	}
	char f[16];
	snprintf(f, sizeof f, "%08llu", (unsigned long long)frac);
	size_t fl = strlen(f);
	while (fl > 0 && f[fl - 1] == '0')
		f[--fl] = '\0';
	snprintf(out, outlen, "%s.%s", grouped, f);
}

void ui_fmt_amount(char *out, size_t outlen, int64_t v)
{
	char m[80];
	ui_fmt_magnitude(m, sizeof m, ui_abs_u64(v));
	snprintf(out, outlen, "%s%s", v < 0 ? "-" : "", m);
}

void ui_fmt_amount_signed(char *out, size_t outlen, int64_t v)
{
	char m[80];
	ui_fmt_magnitude(m, sizeof m, ui_abs_u64(v));
	snprintf(out, outlen, "%s%s", v < 0 ? "-" : v > 0 ? "+" : "", m);
}

static int64_t ui_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

void ui_civil_from_ms(int64_t ms, struct ui_civil *c)
{
	int64_t days = ui_floor_div(ms, 86400000);
	int64_t rem = ms - days * 86400000;
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	c->year = (int)(y + (m <= 2));
	c->month = (int)m;
	c->day = (int)d;
	c->hour = (int)(rem / 3600000);
	c->min = (int)(rem / 60000 % 60);
	c->sec = (int)(rem / 1000 % 60);
	c->ms = (int)(rem % 1000);
	int64_t wd = (days + 3) % 7;
	c->wday = (int)(wd < 0 ? wd + 7 : wd);
}

void ui_fmt_time(char *out, size_t outlen, int64_t ms)
{
	struct ui_civil c;
	ui_civil_from_ms(ms, &c);
	snprintf(out, outlen, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour, c.min);
}

void ui_fmt_ago(char *out, size_t outlen, int64_t ms, int64_t now)
{
	int64_t d = now - ms;
	bool future = d < 0;
	uint64_t a = ui_abs_u64(d) / 1000; /* seconds */
	const char *unit;
	uint64_t n;
	if (a < 45) {
		snprintf(out, outlen, "%s", "just now");
		return;
	} else if (a < 3600) {
		n = (a + 30) / 60, unit = "min";
	} else if (a < 86400) {
		n = a / 3600, unit = "h";
	} else if (a < 7 * 86400) {
		n = a / 86400, unit = "d";
	} else {
		struct ui_civil c;
		ui_civil_from_ms(ms, &c);
		snprintf(out, outlen, "%04d-%02d-%02d", c.year, c.month, c.day);
		return;
	}
	if (n == 0)
		n = 1;
	if (future)
		snprintf(out, outlen, "in %llu %s", (unsigned long long)n, unit);
	else
		snprintf(out, outlen, "%llu %s ago", (unsigned long long)n, unit);
}

void ui_fmt_bp(char *out, size_t outlen, int64_t bp)
{
	uint64_t a = ui_abs_u64(bp);
	unsigned long long whole = a / 100, frac = a % 100;
	const char *sign = bp < 0 ? "-" : "";
	if (frac == 0)
		snprintf(out, outlen, "%s%llu%%", sign, whole);
	else if (frac % 10 == 0)
		snprintf(out, outlen, "%s%llu.%llu%%", sign, whole, frac / 10);
	else
		snprintf(out, outlen, "%s%llu.%02llu%%", sign, whole, frac);
}

/* ====================================================================== */
/* list                                                                   */
/* ====================================================================== */

void ui_list_init(struct ui_list *l)
{
	memset(l, 0, sizeof *l);
	l->rows = 10;
}

void ui_list_free(struct ui_list *l)
{
	free(l->vis);
	memset(l, 0, sizeof *l);
}

size_t ui_list_visible(const struct ui_list *l)
{
	return l->filtered ? l->nvis : l->count;
}

static void ui_list_clamp(struct ui_list *l)
{
	size_t n = ui_list_visible(l);
	if (n == 0) {
		l->sel = 0;
		l->top = 0;
		return;
	}
	if (l->sel >= n)
		l->sel = n - 1;
	if (l->top > l->sel)
		l->top = l->sel;
}

void ui_list_set_count(struct ui_list *l, size_t count)
{
	l->count = count;
	if (l->filtered) {
		size_t k = 0;
		for (size_t i = 0; i < l->nvis; i++)
			if (l->vis[i] < count)
				l->vis[k++] = l->vis[i];
		l->nvis = k;
	}
	ui_list_clamp(l);
}

bool ui_list_item_at(const struct ui_list *l, size_t pos, size_t *item)
{
	if (pos >= ui_list_visible(l))
		return false;
	*item = l->filtered ? l->vis[pos] : pos;
	return true;
}

bool ui_list_selected(const struct ui_list *l, size_t *item)
{
	return ui_list_item_at(l, l->sel, item);
}

void ui_list_filter_begin(struct ui_list *l, const char *needle)
{
	snprintf(l->filter, sizeof l->filter, "%s", needle ? needle : "");
	l->filtered = true;
	l->nvis = 0;
	l->sel = 0;
	l->top = 0;
}

bool ui_list_filter_push(struct ui_list *l, size_t item)
{
	if (l->nvis == l->vis_cap) {
		size_t cap = l->vis_cap ? l->vis_cap * 2 : 256;
		size_t *v = realloc(l->vis, cap * sizeof *v);
		if (!v)
			return false;
		l->vis = v;
		l->vis_cap = cap;
	}
	l->vis[l->nvis++] = item;
	return true;
}

void ui_list_filter_clear(struct ui_list *l)
{
	size_t item;
	bool had = ui_list_selected(l, &item);
	l->filtered = false;
	l->nvis = 0;
	l->filter[0] = '\0';
	if (had)
		l->sel = item;
	ui_list_clamp(l);
}

bool ui_list_filter(struct ui_list *l, const char *needle,
		    bool (*match)(void *ud, size_t item, const char *needle), void *ud)
{
	size_t keep = 0;
	bool had = ui_list_selected(l, &keep);
	if (!needle || !needle[0]) {
		ui_list_filter_clear(l);
		return true;
	}
	ui_list_filter_begin(l, needle);
	for (size_t i = 0; i < l->count; i++) {
		if (match(ud, i, needle) && !ui_list_filter_push(l, i)) {
			ui_list_filter_clear(l);
			return false;
		}
	}
	if (had)
		ui_list_select_item(l, keep);
	ui_list_clamp(l);
	return true;
}

void ui_list_move(struct ui_list *l, long delta)
{
	size_t n = ui_list_visible(l);
	if (n == 0)
		return;
	if (delta < 0) {
		size_t d = (size_t)(-delta);
		l->sel = l->sel > d ? l->sel - d : 0;
	} else {
		size_t d = (size_t)delta;
		l->sel = l->sel + d < n ? l->sel + d : n - 1;
	}
}

void ui_list_top(struct ui_list *l)
{
	l->sel = 0;
}

void ui_list_bottom(struct ui_list *l)
{
	size_t n = ui_list_visible(l);
	l->sel = n ? n - 1 : 0;
}

bool ui_list_select_item(struct ui_list *l, size_t item)
{
	if (!l->filtered) {
		if (item >= l->count)
			return false;
		l->sel = item;
		return true;
	}
	for (size_t i = 0; i < l->nvis; i++) {
		if (l->vis[i] == item) {
			l->sel = i;
			return true;
		}
	}
	return false;
}

void ui_list_scroll(struct ui_list *l, int rows)
{
	if (rows < 1)
		rows = 1;
	l->rows = rows;
	ui_list_clamp(l);
	if (l->sel < l->top)
		l->top = l->sel;
	else if (l->sel >= l->top + (size_t)rows)
		l->top = l->sel - (size_t)rows + 1;
	size_t n = ui_list_visible(l);
	/* no empty space below the end when there is more above */
	if (n > (size_t)rows && l->top + (size_t)rows > n)
		l->top = n - (size_t)rows;
	else if (n <= (size_t)rows)
		l->top = 0;
}

bool ui_list_click(struct ui_list *l, int row)
{
	if (row < 0)
		return false;
	size_t pos = l->top + (size_t)row;
	if (pos >= ui_list_visible(l))
		return false;
	l->sel = pos;
	return true;
}

bool ui_list_key(struct ui_list *l, int key)
{
	long page = l->rows > 1 ? l->rows - 1 : 1;
	switch (key) {
	case UI_FN(KEY_UP): case 'k': ui_list_move(l, -1); return true;
	case UI_FN(KEY_DOWN): case 'j': ui_list_move(l, 1); return true;
	case UI_FN(KEY_PPAGE): ui_list_move(l, -page); return true;
	case UI_FN(KEY_NPAGE): ui_list_move(l, page); return true;
	case UI_FN(KEY_HOME): case 'g': ui_list_top(l); return true;
	case UI_FN(KEY_END): case 'G': ui_list_bottom(l); return true;
	default: return false;
	}
}

/* ====================================================================== */
/* form                                                                   */
/* ====================================================================== */

void ui_form_init(struct ui_form *form, const char *title)
{
	memset(form, 0, sizeof *form);
	snprintf(form->title, sizeof form->title, "%s", title ? title : "");
}

void ui_form_free(struct ui_form *form)
{
	for (size_t i = 0; i < form->n; i++) {
		free(form->f[i].choices);
		form->f[i].choices = NULL;
	}
	form->n = 0;
}

struct ui_field *ui_form_add(struct ui_form *form, enum ui_field_kind kind,
			     const char *label, bool required, const char *hint)
{
	if (form->n >= UI_FORM_MAX)
		return NULL;
	struct ui_field *f = &form->f[form->n++];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->label = label;
	f->required = required;
	f->hint = hint;
	return f;
}

bool ui_field_set_choices(struct ui_field *f, const struct ui_choice *c, size_t n)
{
	struct ui_choice *copy = NULL;
	if (n) {
		copy = malloc(n * sizeof *copy);
		if (!copy)
			return false;
		memcpy(copy, c, n * sizeof *copy);
	}
	free(f->choices);
	f->choices = copy;
	f->nchoices = n;
	f->choice = 0;
	return true;
}

static size_t ui_field_limit(const struct ui_field *f)
{
	size_t m = f->max_bytes ? f->max_bytes : UI_FIELD_MAX - 1;
	return m < UI_FIELD_MAX - 1 ? m : UI_FIELD_MAX - 1;
}

void ui_field_set_text(struct ui_field *f, const char *text)
{
	size_t lim = ui_field_limit(f);
	size_t n = strlen(text);
	if (n > lim) {
		n = lim;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(f->buf, text, n);
	f->buf[n] = '\0';
	f->cur = n;
	f->scroll = 0;
}

bool ui_field_accepts(const struct ui_field *f, uint32_t cp)
{
	if (!ui_key_is_text((int)cp))
		return false;
	switch (f->kind) {
	case UF_AMOUNT:
		return (cp >= '0' && cp <= '9') || cp == '.' || cp == ',';
	case UF_TIME:
		return (cp >= '0' && cp <= '9') || cp == '-' || cp == ':' || cp == ' ' ||
		       cp == 'T' || cp == 'Z' || cp == 't' || cp == 'z';
	case UF_CHOICE:
		return false;
	default:
		return true;
	}
}

bool ui_field_insert(struct ui_field *f, uint32_t cp)
{
	if (!ui_field_accepts(f, cp))
		return false;
	if (f->kind == UF_AMOUNT && cp == ',')
		cp = '.';
	char enc[4];
	size_t k = ui_utf8_encode(enc, cp), len = strlen(f->buf);
	if (len + k > ui_field_limit(f))
		return false;
	memmove(f->buf + f->cur + k, f->buf + f->cur, len - f->cur + 1);
	memcpy(f->buf + f->cur, enc, k);
	f->cur += k;
	return true;
}

bool ui_field_backspace(struct ui_field *f)
{
	if (f->cur == 0)
		return false;
	size_t p = ui_utf8_prev(f->buf, f->cur), len = strlen(f->buf);
	memmove(f->buf + p, f->buf + f->cur, len - f->cur + 1);
	f->cur = p;
	return true;
}

bool ui_field_delete(struct ui_field *f)
{
	size_t len = strlen(f->buf);
	if (f->cur >= len)
		return false;
	size_t nx = ui_utf8_next(f->buf, len, f->cur);
	memmove(f->buf + f->cur, f->buf + nx, len - nx + 1);
	return true;
}

bool ui_field_left(struct ui_field *f)
{
	if (f->cur == 0)
		return false;
	f->cur = ui_utf8_prev(f->buf, f->cur);
	return true;
}

bool ui_field_right(struct ui_field *f)
{
	size_t len = strlen(f->buf);
	if (f->cur >= len)
		return false;
	f->cur = ui_utf8_next(f->buf, len, f->cur);
	return true;
}

void ui_field_home(struct ui_field *f)
{
	f->cur = 0;
}

void ui_field_end(struct ui_field *f)
{
	f->cur = strlen(f->buf);
}

void ui_field_clear(struct ui_field *f)
{
	f->buf[0] = '\0';
	f->cur = 0;
	f->scroll = 0;
}

const char *ui_field_value(const struct ui_field *f)
{
	if (f->kind == UF_CHOICE)
		return f->choice < f->nchoices ? f->choices[f->choice].value : "";
	return f->buf;
}

static bool ui_field_blank(const struct ui_field *f)
{
	for (const char *p = f->buf; *p; p++)
		if (*p != ' ')
			return false;
	return true;
}

bool ui_field_validate(struct ui_field *f)
{
	struct mv_err e;
	f->err[0] = '\0';
	if (f->kind == UF_CHOICE) {
		if (f->nchoices == 0 || f->choice >= f->nchoices) {
			snprintf(f->err, sizeof f->err, "nothing to choose from");
			return false;
		}
	} else if (ui_field_blank(f)) {
		if (f->required) {
			snprintf(f->err, sizeof f->err, "required");
			return false;
		}
		return true;
	} else if (f->kind == UF_AMOUNT) {
		mv_err_clear(&e);
		if (mv_amount_parse(f->buf, &f->value, &e) != MV_OK) {
			snprintf(f->err, sizeof f->err, "%.150s", e.msg[0] ? e.msg : "not an amount");
			return false;
		}
		if (f->value <= 0) {
			snprintf(f->err, sizeof f->err, "must be more than 0");
			return false;
		}
	} else if (f->kind == UF_TIME) {
		mv_err_clear(&e);
		if (mv_time_parse(f->buf, &f->value, &e) != MV_OK) {
			snprintf(f->err, sizeof f->err, "%.150s", e.msg[0] ? e.msg : "not a time (2026-11-26 14:30)");
			return false;
		}
	} else if (!mv_utf8_valid((const uint8_t *)f->buf, strlen(f->buf))) {
		snprintf(f->err, sizeof f->err, "not valid text");
		return false;
	}
	if (f->check && !f->check(f->check_ud, f, f->err, sizeof f->err))
		return false;
	return true;
}

int ui_form_validate(struct ui_form *form)
{
	int first = -1;
	for (size_t i = 0; i < form->n; i++)
		if (!ui_field_validate(&form->f[i]) && first < 0)
			first = (int)i;
	return first;
}

/* Type-ahead in a choice: the next choice whose label starts with cp. */
static bool ui_choice_jump(struct ui_field *f, uint32_t cp)
{
	if (cp >= 128 || f->nchoices == 0)
		return false;
	for (size_t k = 1; k <= f->nchoices; k++) {
		size_t i = (f->choice + k) % f->nchoices;
		if (tolower((unsigned char)f->choices[i].label[0]) == tolower((int)cp)) {
			f->choice = i;
			return true;
		}
	}
	return false;
}

static enum ui_form_result ui_choice_key(struct ui_field *f, int key)
{
	if (f->nchoices == 0)
		return UI_FORM_IGNORED;
	if (key == UI_FN(KEY_LEFT)) {
		f->choice = (f->choice + f->nchoices - 1) % f->nchoices;
		return UI_FORM_CHANGED;
	}
	if (key == UI_FN(KEY_RIGHT) || key == ' ') {
		f->choice = (f->choice + 1) % f->nchoices;
		return UI_FORM_CHANGED;
	}
	if (!(key & UI_FN_FLAG) && ui_choice_jump(f, (uint32_t)key))
		return UI_FORM_CHANGED;
	return UI_FORM_IGNORED;
}

static enum ui_form_result ui_text_key(struct ui_field *f, int key)
{
	switch (key) {
	case UI_FN(KEY_LEFT): return ui_field_left(f) ? UI_FORM_MOVED : UI_FORM_MOVED;
	case UI_FN(KEY_RIGHT): return ui_field_right(f) ? UI_FORM_MOVED : UI_FORM_MOVED;
	case UI_FN(KEY_HOME): case UI_CTRL('a'): ui_field_home(f); return UI_FORM_MOVED;
	case UI_FN(KEY_END): case UI_CTRL('e'): ui_field_end(f); return UI_FORM_MOVED;
	case UI_FN(KEY_DC): return ui_field_delete(f) ? UI_FORM_CHANGED : UI_FORM_MOVED;
	case UI_CTRL('u'):
		if (!f->buf[0])
			return UI_FORM_MOVED;
		ui_field_clear(f);
		return UI_FORM_CHANGED;
	default:
		break;
	}
	if (ui_key_is_backspace(key))
		return ui_field_backspace(f) ? UI_FORM_CHANGED : UI_FORM_MOVED;
	if (ui_key_is_text(key)) {
		if (ui_field_insert(f, (uint32_t)key))
			return UI_FORM_CHANGED;
		/* a character this field does not take falls through to the shell */
		return ui_field_accepts(f, (uint32_t)key) ? UI_FORM_MOVED : UI_FORM_IGNORED;
	}
	return UI_FORM_IGNORED;
}

static enum ui_form_result ui_form_focus_move(struct ui_form *form, int d)
{
	if (form->n == 0)
		return UI_FORM_MOVED;
	form->focus = (form->focus + form->n + (size_t)(d + (int)form->n)) % form->n;
	return UI_FORM_MOVED;
}

static ui_form_submit_fn ui_submit_fn;
static void *ui_submit_ud;

void ui_form_on_submit(ui_form_submit_fn fn, void *ud)
{
	ui_submit_fn = fn;
	ui_submit_ud = ud;
}

static enum ui_form_result ui_form_submitted(const struct ui_form *form)
{
	if (ui_submit_fn)
		ui_submit_fn(ui_submit_ud, form);
	return UI_FORM_SUBMIT;
}

enum ui_form_result ui_form_key(struct ui_form *form, int key)
{
	if (form->n == 0)
		return UI_FORM_IGNORED;
	struct ui_field *f = &form->f[form->focus];
	if (form->literal) {
		form->literal = false;
		if (f->kind != UF_CHOICE && ui_key_is_text(key) && ui_field_insert(f, (uint32_t)key)) {
			form->dirty = true;
			return UI_FORM_CHANGED;
		}
		return UI_FORM_MOVED;
	}
	if (key == UI_CTRL('v') && f->kind != UF_CHOICE) {
		form->literal = true;
		return UI_FORM_MOVED;
	}
	if (key == '\t' || key == UI_FN(KEY_DOWN))
		return ui_form_focus_move(form, 1);
	if (key == UI_FN(KEY_BTAB) || key == UI_FN(KEY_UP))
		return ui_form_focus_move(form, -1);
	if (key == UI_CTRL('s'))
		return ui_form_submitted(form);
	if (key == UI_ESC)
		return UI_FORM_CANCEL;
	if (ui_key_is_enter(key)) {
		if (form->focus + 1 >= form->n)
			return ui_form_submitted(form);
		form->focus++;
		return UI_FORM_MOVED;
	}
	enum ui_form_result r = f->kind == UF_CHOICE ? ui_choice_key(f, key) : ui_text_key(f, key);
	if (r == UI_FORM_CHANGED) {
		form->dirty = true;
		f->err[0] = '\0';
	}
	return r;
}

int ui_field_cursor_col(struct ui_field *f, int width)
{
	if (width < 1)
		width = 1;
	int col = f->kind == UF_SECRET ? ui_text_width_n(f->buf, f->cur) * 0 : 0;
	if (f->kind == UF_SECRET) {
		for (size_t i = 0; i < f->cur; i = ui_utf8_next(f->buf, f->cur, i))
			col++;
	} else {
		col = ui_text_width_n(f->buf, f->cur);
	}
	if (col < f->scroll)
		f->scroll = col;
	else if (col >= f->scroll + width)
		f->scroll = col - width + 1;
	return col - f->scroll;
}

/* ====================================================================== */
/* confirmation dialog, toast                                              */
/* ====================================================================== */

void ui_confirm_open(struct ui_confirm *c, const char *title, const char *text,
		     const char *yes_label, const char *no_label)
{
	memset(c, 0, sizeof *c);
	c->active = true;
	c->yes = true;
	snprintf(c->title, sizeof c->title, "%s", title ? title : "");
	snprintf(c->text, sizeof c->text, "%s", text ? text : "");
	snprintf(c->yes_label, sizeof c->yes_label, "%s", yes_label ? yes_label : "Yes");
	snprintf(c->no_label, sizeof c->no_label, "%s", no_label ? no_label : "No");
}

enum ui_confirm_result ui_confirm_key(struct ui_confirm *c, int key)
{
	if (!c->active)
		return UI_CONFIRM_NONE;
	enum ui_confirm_result r = UI_CONFIRM_NONE;
	if (key == 'y' || key == 'Y')
		r = UI_CONFIRM_YES;
	else if (key == 'n' || key == 'N' || key == UI_ESC)
		r = UI_CONFIRM_NO;
	else if (ui_key_is_enter(key) || key == ' ')
		r = c->yes ? UI_CONFIRM_YES : UI_CONFIRM_NO;
	else if (key == '\t' || key == UI_FN(KEY_BTAB) || key == UI_FN(KEY_LEFT) ||
		 key == UI_FN(KEY_RIGHT) || key == 'h' || key == 'l')
		c->yes = !c->yes;
	if (r != UI_CONFIRM_NONE)
		c->active = false;
	return r;
}

void ui_toast_set(struct ui_toast *t, enum ui_level level, int64_t now, int64_t ttl_ms,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	/* one line: newlines from core messages become spaces */
	for (char *p = t->msg; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	t->level = level;
	t->until = ttl_ms > 0 ? now + ttl_ms : 0;
}

bool ui_toast_expire(struct ui_toast *t, int64_t now)
{
	if (t->msg[0] && t->until && now >= t->until) {
		t->msg[0] = '\0';
		t->until = 0;
		return true;
	}
	return false;
}

/* ====================================================================== */
/* progress, sparkline, bars                                              */
/* ====================================================================== */

int ui_progress_percent(size_t done, size_t total)
{
	if (total == 0)
		return 0;
	if (done >= total)
		return 100;
	return (int)((unsigned long long)done * 100 / total);
}

static const char *const ui_eighths[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };

/* A bar of width columns filled to eighths/8 columns. */
static void ui_eighths_bar(char *out, size_t outlen, int width, long eighths, bool pad)
{
	size_t o = 0;
	out[0] = '\0';
	for (int c = 0; c < width; c++) {
		long fill = eighths - (long)c * 8;
		const char *s = fill >= 8 ? "█" : fill > 0 ? ui_eighths[fill] : (pad ? " " : NULL);
		if (!s)
			break;
		size_t k = strlen(s);
		if (o + k + 1 > outlen)
			break;
		memcpy(out + o, s, k);
		o += k;
	}
	out[o] = '\0';
}

void ui_progress_bar(char *out, size_t outlen, int width, size_t done, size_t total)
{
	long e = 0;
	if (width < 0)
		width = 0;
	if (total > 0)
		e = done >= total ? (long)width * 8
				  : (long)((unsigned long long)done * (unsigned long long)width * 8 / total);
	ui_eighths_bar(out, outlen, width, e, true);
}

int ui_sparkline(char *out, size_t outlen, const int64_t *v, size_t n, int width)
{
	static const char *const lv[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	out[0] = '\0';
	if (n == 0 || width <= 0)
		return 0;
	size_t cols = n < (size_t)width ? n : (size_t)width;
	int64_t mn = INT64_MAX, mx = INT64_MIN;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < mn)
			mn = v[i];
		if (v[i] > mx)
			mx = v[i];
	}
	size_t o = 0;
	for (size_t c = 0; c < cols; c++) {
		size_t idx = n > cols ? (c + 1) * n / cols - 1 : c;
		int level = 3;
		if (mx > mn)
			level = (int)(((__int128)v[idx] - mn) * 7 / ((__int128)mx - mn));
		if (o + 4 > outlen)
			return (int)c;
		memcpy(out + o, lv[level], 3);
		o += 3;
		out[o] = '\0';
	}
	return (int)cols;
}

int ui_bar_eighths(int64_t value, int64_t max, int width)
{
	if (max <= 0 || value <= 0 || width <= 0)
		return 0;
	if (value >= max)
		return width * 8;
	return (int)((__int128)value * width * 8 / max);
}

/* ====================================================================== */
/* week calendar                                                          */
/* ====================================================================== */

#define UI_DAY_MS INT64_C(86400000)

int64_t ui_week_start(int64_t ms)
{
	int64_t days = ui_floor_div(ms, UI_DAY_MS);
	int64_t wd = ((days + 3) % 7 + 7) % 7;
	return (days - wd) * UI_DAY_MS;
}

bool ui_week_layout(struct ui_week_layout *L, int64_t any_ms, int width, int height,
		    int first_hour, int last_hour)
{
	static const int slots[] = { 15, 30, 60, 120, 180, 240 };
	memset(L, 0, sizeof *L);
	if (first_hour < 0 || last_hour > 24 || last_hour <= first_hour)
		return false;
	L->week_start = ui_week_start(any_ms);
	L->first_hour = first_hour;
	L->label_w = 6;
	L->col_w = (width - L->label_w) / 7;
	if (L->col_w < 3 || height < 2)
		return false;
	int minutes = (last_hour - first_hour) * 60;
	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
		int rows = (minutes + slots[i] - 1) / slots[i];
		if (rows <= height - 1) {
			L->slot_min = slots[i];
			L->nrows = rows;
			L->width = L->label_w + 7 * L->col_w;
			L->height = rows + 1;
			return true;
		}
	}
	return false;
}

bool ui_week_cell(const struct ui_week_layout *L, int64_t ms, int *day, int *row)
{
	int64_t off = ms - L->week_start;
	if (off < 0 || off >= 7 * UI_DAY_MS || L->slot_min <= 0)
		return false;
	int d = (int)(off / UI_DAY_MS);
	int64_t min = (off % UI_DAY_MS) / 60000 - (int64_t)L->first_hour * 60;
	if (min < 0)
		return false;
	int64_t r = min / L->slot_min;
	if (r >= L->nrows)
		return false;
	*day = d;
	*row = (int)r;
	return true;
}

int64_t ui_week_cell_time(const struct ui_week_layout *L, int day, int row)
{
	return L->week_start + (int64_t)day * UI_DAY_MS +
	       ((int64_t)L->first_hour * 60 + (int64_t)row * L->slot_min) * 60000;
}

int ui_week_day_x(const struct ui_week_layout *L, int day)
{
	return L->label_w + day * L->col_w;
}

/* ====================================================================== */
/* drawing                                                                */
/* ====================================================================== */

int ui_put(WINDOW *win, int y, int x, int maxcols, int attr, const char *s)
{
	if (maxcols <= 0 || !s)
		return 0;
	char clean[1024];
	size_t o = 0, n = strlen(s);
	for (size_t i = 0; i < n && o + 5 < sizeof clean;) {
		uint32_t cp;
		size_t k = ui_utf8_decode(s + i, n - i, &cp);
		if (cp < 32 || cp == 127 || (cp >= 0x80 && cp < 0xa0) || cp == 0xfffd)
			clean[o++] = '?';
		else {
			memcpy(clean + o, s + i, k);
			o += k;
		}
		i += k;
	}
	clean[o] = '\0';
	int used;
	size_t fit = ui_text_fit(clean, maxcols, &used);
	wattrset(win, attr);
	mvwaddnstr(win, y, x, clean, (int)fit);
	wattrset(win, A_NORMAL);
	return used;
}

int ui_putf(WINDOW *win, int y, int x, int maxcols, int attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return ui_put(win, y, x, maxcols, attr, buf);
}

void ui_fill(WINDOW *win, int y, int x, int n, int attr)
{
	if (n <= 0)
		return;
	wattrset(win, attr);
	mvwhline(win, y, x, ' ', n);
	wattrset(win, A_NORMAL);
}

/* Style of one document line and the text after its marker. */
static const char *ui_doc_style(const char *line, int *attr)
{
	if (strncmp(line, "# ", 2) == 0) {
		*attr = theme_attr(TH_TITLE);
		return line + 2;
	}
	if (strncmp(line, "! ", 2) == 0) {
		*attr = theme_attr(TH_CRISIS);
		return line + 2;
	}
	*attr = A_NORMAL;
	return line;
}

/* Hanging indent of a document line: the column after the first gap of two
 * or more spaces following its first word ("  988      United ..."), else
 * its leading spaces. */
static int ui_doc_indent(const char *line, int w)
{
	int lead = 0;
	while (line[lead] == ' ')
		lead++;
	const char *gap = strstr(line + lead, "  ");
	if (gap) {
		int col = (int)(gap - line);
		while (line[col] == ' ')
			col++;
		if (line[col] && col < w / 2 && ui_text_width_n(line, (size_t)col) == col)
			return col;
	}
	return lead < w / 2 ? lead : 0;
}

/* Draw one wrapped segment of a document line if it is in view. */
static void ui_doc_seg(WINDOW *win, int y, int x, int h, int w, int scroll, int total,
		       int attr, const char *p, size_t n)
{
	int row = total - scroll;
	char seg[1024];
	if (row < 0 || row >= h)
		return;
	if (n >= sizeof seg)
		n = sizeof seg - 1;
	memcpy(seg, p, n);
	seg[n] = '\0';
	if (attr != A_NORMAL && attr != theme_attr(TH_TITLE))
		ui_fill(win, y + row, x, w, attr);
	ui_put(win, y + row, x, w, attr, seg);
}

int ui_doc_draw(WINDOW *win, int y, int x, int h, int w, const char *text, int scroll)
{
	int total = 0;
	const char *p = text;
	if (w <= 0)
		return 0;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char line[1024];
		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		int attr;
		const char *body = ui_doc_style(line, &attr);
		size_t st[64], ln[64];
		size_t k = ui_wrap(body, w, st, ln, 64);
		if (k == 0) {
			total++; /* blank line */
		} else {
			ui_doc_seg(win, y, x, h, w, scroll, total++, attr, body, ln[0]);
			int ind = ui_doc_indent(body, w);
			const char *rest = k > 1 ? body + st[1] : "";
			size_t k2 = ui_wrap(rest, w - ind, st, ln, 64);
			for (size_t i = 0; i < k2 && i < 64; i++)
				ui_doc_seg(win, y, x + ind, h, w - ind, scroll, total++, attr, rest + st[i], ln[i]);
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	return total;
}

void ui_hline(WINDOW *win, int y, int x, int n, int attr)
{
	for (int i = 0; i < n; i++)
		ui_put(win, y, x + i, 1, attr, "─");
}

void ui_vline(WINDOW *win, int y, int x, int n, int attr)
{
	for (int i = 0; i < n; i++)
		ui_put(win, y + i, x, 1, attr, "│");
}

void ui_box(WINDOW *win, int y, int x, int h, int w, int attr, const char *title)
{
	if (h < 2 || w < 2)
		return;
	ui_hline(win, y, x + 1, w - 2, attr);
	ui_hline(win, y + h - 1, x + 1, w - 2, attr);
	ui_vline(win, y + 1, x, h - 2, attr);
	ui_vline(win, y + 1, x + w - 1, h - 2, attr);
	ui_put(win, y, x, 1, attr, "╭");
	ui_put(win, y, x + w - 1, 1, attr, "╮");
	ui_put(win, y + h - 1, x, 1, attr, "╰");
	ui_put(win, y + h - 1, x + w - 1, 1, attr, "╯");
	for (int r = 1; r < h - 1; r++)
		ui_fill(win, y + r, x + 1, w - 2, A_NORMAL);
	if (title && title[0] && w > 6) {
		char t[128];
		snprintf(t, sizeof t, " %s ", title);
		ui_put(win, y, x + 2, w - 4, attr | A_BOLD, t);
	}
}

void ui_list_draw(WINDOW *win, struct ui_list *l, int y, int x, int h, int w,
		  bool focused, ui_row_fn draw_row, void *ud)
{
	if (h <= 0 || w <= 0)
		return;
	ui_list_scroll(l, h);
	size_t n = ui_list_visible(l);
	for (int r = 0; r < h; r++) {
		size_t pos = l->top + (size_t)r, item;
		if (!ui_list_item_at(l, pos, &item))
			break;
		bool sel = pos == l->sel;
		if (sel)
			ui_fill(win, y + r, x, w, theme_attr(focused ? TH_SEL : TH_SEL_DIM));
		draw_row(ud, win, y + r, x, w - 1, item, sel && focused);
	}
	/* scroll indicator in the last column */
	if (n > (size_t)h && h >= 2) {
		int thumb = (int)((unsigned long long)l->top * (unsigned)(h - 1) / (n - (size_t)h));
		for (int r = 0; r < h; r++)
			ui_put(win, y + r, x + w - 1, 1, theme_attr(TH_DIM), r == thumb ? "┃" : "│");
	}
}

/* Draw a text field's visible part from its scroll column. */
static void ui_field_draw_text(WINDOW *win, struct ui_field *f, int y, int x, int w, int attr)
{
	char shown[UI_FIELD_MAX * 2];
	if (f->kind == UF_SECRET) {
		size_t k = 0, len = strlen(f->buf);
		for (size_t i = 0; i < len && k + 1 < sizeof shown; i = ui_utf8_next(f->buf, len, i))
			shown[k++] = '*';
		shown[k] = '\0';
	} else {
		snprintf(shown, sizeof shown, "%s", f->buf);
	}
	ui_fill(win, y, x, w, attr);
	/* skip f->scroll columns; a wide char cut by the edge becomes a space */
	size_t skip = ui_text_fit(shown, f->scroll, NULL);
	int skipped = ui_text_width_n(shown, skip), pad = 0;
	if (skipped < f->scroll) {
		skip = ui_utf8_next(shown, strlen(shown), skip);
		pad = 1;
	}
	ui_put(win, y, x + pad, w - pad, attr, shown + skip);
}

static void ui_field_draw_choice(WINDOW *win, const struct ui_field *f, int y, int x, int w,
				 int attr)
{
	char buf[UI_CHOICE_LABEL + 16];
	const char *label = f->choice < f->nchoices ? f->choices[f->choice].label : "(none)";
	snprintf(buf, sizeof buf, "‹ %s ›", label);
	ui_fill(win, y, x, w, attr);
	ui_put(win, y, x, w, attr, buf);
}

int ui_form_draw(WINDOW *win, struct ui_form *form, int y, int x, int w, bool focused,
		 int *cur_y, int *cur_x)
{
	int row = y, labw = 0;
	*cur_y = *cur_x = -1;
	for (size_t i = 0; i < form->n; i++) {
		int lw = ui_text_width(form->f[i].label);
		if (lw > labw)
			labw = lw;
	}
	labw += 2;
	if (labw > w / 3)
		labw = w / 3;
	int fw = w - labw - 1;
	if (fw > 50)
		fw = 50;
	if (form->title[0]) {
		ui_put(win, row, x, w, theme_attr(TH_TITLE), form->title);
		row += 2;
	}
	for (size_t i = 0; i < form->n; i++) {
		struct ui_field *f = &form->f[i];
		bool foc = focused && i == form->focus;
		ui_put(win, row, x, labw, theme_attr(foc ? TH_NAV_CUR : TH_NORMAL), f->label);
		int attr = theme_attr(foc ? TH_FIELD_FOCUS : TH_FIELD);
		if (f->kind == UF_CHOICE) {
			ui_field_draw_choice(win, f, row, x + labw, fw, attr);
		} else {
			int cc = ui_field_cursor_col(f, fw);
			ui_field_draw_text(win, f, row, x + labw, fw, attr);
			if (foc) {
				*cur_y = row;
				*cur_x = x + labw + cc;
			}
		}
		row++;
		if (f->err[0])
			ui_putf(win, row, x + labw, w - labw, theme_attr(TH_ERR), "✗ %s", f->err);
		else if (foc && f->hint)
			ui_put(win, row, x + labw, w - labw, theme_attr(TH_DIM), f->hint);
		row++;
	}
	return row - y;
}

void ui_confirm_rect(const struct ui_confirm *c, int rows, int cols, int *y, int *x,
		     int *h, int *w)
{
	int bw = cols - 4 < 60 ? cols - 4 : 60;
	if (bw < 20)
		bw = cols;
	size_t st[16], ln[16];
	size_t n = ui_wrap(c->text, bw - 4, st, ln, 16);
	if (n > 16)
		n = 16;
	int bh = (int)n + 5;
	if (bh > rows)
		bh = rows;
	*w = bw;
	*h = bh;
	*y = (rows - bh) / 2;
	*x = (cols - bw) / 2;
}

bool ui_confirm_draw(WINDOW *win, const struct ui_confirm *c, int rows, int cols)
{
	int y, x, h, w;
	ui_confirm_rect(c, rows, cols, &y, &x, &h, &w);
	if (h < 5 || w < 12)
		return false;
	ui_box(win, y, x, h, w, theme_attr(TH_BORDER), c->title);
	size_t st[16], ln[16];
	size_t n = ui_wrap(c->text, w - 4, st, ln, 16);
	for (size_t i = 0; i < n && i < 16 && (int)i + 2 < h - 3; i++) {
		char line[512];
		size_t k = ln[i] < sizeof line - 1 ? ln[i] : sizeof line - 1;
		memcpy(line, c->text + st[i], k);
		line[k] = '\0';
		ui_put(win, y + 2 + (int)i, x + 2, w - 4, A_NORMAL, line);
	}
	char yes[40], no[40];
	snprintf(yes, sizeof yes, "[ %s ]", c->yes_label);
	snprintf(no, sizeof no, "[ %s ]", c->no_label);
	int bw = ui_text_width(yes) + 2 + ui_text_width(no);
	int bx = x + (w - bw) / 2, by = y + h - 2;
	ui_put(win, by, bx, w, theme_attr(c->yes ? TH_SEL : TH_NORMAL), yes);
	ui_put(win, by, bx + ui_text_width(yes) + 2, w, theme_attr(c->yes ? TH_NORMAL : TH_SEL), no);
	return true;
}

void ui_toast_draw(WINDOW *win, const struct ui_toast *t, int y, int x, int w)
{
	static const enum theme_role roles[] = { TH_NORMAL, TH_OK, TH_WARN, TH_ERR };
	static const char *const marks[] = { "·", "✓", "!", "✗" };
	ui_fill(win, y, x, w, A_NORMAL);
	if (!t->msg[0])
		return;
	ui_putf(win, y, x, w, theme_attr(roles[t->level]), "%s %s", marks[t->level], t->msg);
}

void ui_progress_draw(WINDOW *win, int y, int x, int w, const char *label, size_t done,
		      size_t total)
{
	char pct[16], bar[512];
	snprintf(pct, sizeof pct, " %3d%%", ui_progress_percent(done, total));
	int lw = label ? ui_text_width(label) + 1 : 0;
	int bw = w - lw - (int)strlen(pct) - 2;
	ui_fill(win, y, x, w, A_NORMAL);
	if (label)
		ui_put(win, y, x, w, A_NORMAL, label);
	if (bw < 4)
		return;
	ui_progress_bar(bar, sizeof bar, bw, done, total);
	ui_put(win, y, x + lw, 1, theme_attr(TH_DIM), "▕");
	ui_put(win, y, x + lw + 1, bw, theme_attr(TH_ACCENT), bar);
	ui_put(win, y, x + lw + 1 + bw, 1, theme_attr(TH_DIM), "▏");
	ui_put(win, y, x + lw + 2 + bw, (int)strlen(pct), A_NORMAL, pct);
}

void ui_bar_draw(WINDOW *win, int y, int x, int w, int64_t value, int64_t max, int attr)
{
	char bar[512];
	ui_eighths_bar(bar, sizeof bar, w, ui_bar_eighths(value, max, w), false);
	ui_put(win, y, x, w, attr, bar);
}

static const char *const ui_wday_names[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

/* The item (if any) covering cell [t, t + slot). */
static const struct ui_week_item *ui_week_item_at(const struct ui_week_item *items, size_t n,
						  int64_t t, int64_t slot_ms)
{
	for (size_t i = 0; i < n; i++)
		if (items[i].start < t + slot_ms && items[i].end > t)
			return &items[i];
	return NULL;
}

void ui_week_draw(WINDOW *win, int y, int x, const struct ui_week_layout *L,
		  const struct ui_week_item *items, size_t n, int sel_day, int sel_row)
{
	int64_t slot_ms = (int64_t)L->slot_min * 60000;
	for (int d = 0; d < 7; d++) {
		struct ui_civil c;
		ui_civil_from_ms(L->week_start + d * UI_DAY_MS, &c);
		ui_putf(win, y, x + ui_week_day_x(L, d), L->col_w, theme_attr(TH_TITLE), "%s %d",
			ui_wday_names[d], c.day);
	}
	for (int r = 0; r < L->nrows; r++) {
		int64_t t0 = ui_week_cell_time(L, 0, r);
		struct ui_civil c;
		ui_civil_from_ms(t0, &c);
		ui_putf(win, y + 1 + r, x, L->label_w, theme_attr(TH_DIM), "%02d:%02d", c.hour, c.min);
		for (int d = 0; d < 7; d++) {
			int64_t t = ui_week_cell_time(L, d, r);
			const struct ui_week_item *it = ui_week_item_at(items, n, t, slot_ms);
			bool sel = d == sel_day && r == sel_row;
			int cx = x + ui_week_day_x(L, d), cw = L->col_w - 1;
			int attr = sel ? theme_attr(TH_SEL) : it ? it->attr : theme_attr(TH_DIM);
			ui_fill(win, y + 1 + r, cx, cw, it || sel ? attr : (int)A_NORMAL);
			if (it && (it->start >= t || r == 0) && it->label)
				ui_put(win, y + 1 + r, cx, cw, attr, it->label);
			else if (it)
				ui_put(win, y + 1 + r, cx, cw, attr, "┆");
			else
				ui_put(win, y + 1 + r, cx, cw, attr, "·");
		}
	}
}
