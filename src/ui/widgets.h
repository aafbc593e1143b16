/* widgets.h - reusable pieces of the terminal UI: text measurement, value
 * formatting, a scrolling list with selection and filter, a form with
 * validated fields, a confirmation dialog, a toast line, a progress bar,
 * sparkline and bar chart, and a week-calendar grid.
 *
 * Each widget is split into logic that needs no terminal (state, editing,
 * validation, layout, formatting: unit-tested in tests/unit/test_widgets.c)
 * and a ui_*_draw function that renders it with curses. Widgets never read
 * the store; views feed them.
 *
 * Keys are ints: a Unicode code point for characters (control keys are
 * code points below 32, Esc is 27), UI_FN(KEY_x) for curses function keys. */
#ifndef MV_UI_WIDGETS_H
#define MV_UI_WIDGETS_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UI_FN_FLAG 0x40000000
#define UI_FN(k) (UI_FN_FLAG | (k))
#define UI_CTRL(c) ((c) & 0x1f)
#define UI_ESC 27

/* A printable name for a key ("q", "Esc", "Tab", "S-Tab", "Enter", "↑",
 * "PgDn", "^S", "F2"), for the key bar and the help screen. */
const char *ui_key_name(int key, char *buf, size_t buflen);
/* True if key is a character that can be typed into text (not a control). */
bool ui_key_is_text(int key);
bool ui_key_is_enter(int key);
bool ui_key_is_backspace(int key);

/* ---- text ------------------------------------------------------------ */

/* The one function that measures text: display columns of the first n bytes
 * of UTF-8 text s (wcwidth per code point: CJK and emoji take 2, combining
 * marks 0; an invalid byte or a control character counts as 1, since it is
 * drawn as '?'). */
int ui_text_width_n(const char *s, size_t n);
int ui_text_width(const char *s);
/* Bytes of the longest prefix of s that fits in cols columns (never splits
 * a code point; a wide character that does not fit is left out). If used
 * is non-NULL it receives the columns that prefix takes. */
size_t ui_text_fit(const char *s, int cols, int *used);
/* Copy s into out clipped to cols columns; if it had to cut, the last
 * column is an ellipsis. Returns the columns of out. */
int ui_text_clip(char *out, size_t outlen, const char *s, int cols);
/* Byte offsets of the next / previous code point boundary. */
size_t ui_utf8_next(const char *s, size_t len, size_t i);
size_t ui_utf8_prev(const char *s, size_t i);
/* Encode a code point as UTF-8 into out (4 bytes room); returns bytes. */
size_t ui_utf8_encode(char *out, uint32_t cp);

/* Word wrap s to width columns. Lines are returned as byte ranges into s:
 * starts[i], lens[i], at most max lines; returns the number of lines the
 * whole text needs (may exceed max). Explicit '\n' breaks a line; a word
 * longer than width is cut. */
size_t ui_wrap(const char *s, int width, size_t *starts, size_t *lens, size_t max);

/* Case-insensitive (ASCII letters) match of every space-separated term of
 * needle somewhere in hay. An empty needle matches everything. */
bool ui_match_text(const char *hay, const char *needle);

/* ---- formatting --------------------------------------------------------- */

/* MVT base units (8 decimals) as "1,234.5": thousands grouped, trailing
 * zeros trimmed, "-" for negatives. out must hold 40 bytes. */
void ui_fmt_amount(char *out, size_t outlen, int64_t v);
/* Same with an explicit sign: "+1.5", "-2", "0". */
void ui_fmt_amount_signed(char *out, size_t outlen, int64_t v);
/* Civil UTC date and time of ms since the epoch (proleptic Gregorian). */
struct ui_civil {
	int year, month, day, hour, min, sec, ms;
	int wday; /* 0 = Monday .. 6 = Sunday */
};
void ui_civil_from_ms(int64_t ms, struct ui_civil *c);
/* "2026-11-26 14:30" (UTC). */
void ui_fmt_time(char *out, size_t outlen, int64_t ms);
/* "just now", "5 min ago", "3 h ago", "2 d ago", or the date for older;
 * "in 5 min" for the future. */
void ui_fmt_ago(char *out, size_t outlen, int64_t ms, int64_t now);
/* Basis points as a percentage: 10 -> "0.1%", 250 -> "2.5%". */
void ui_fmt_bp(char *out, size_t outlen, int64_t bp);

/* ---- scrolling list with selection and filter --------------------------- */

struct ui_list {
	size_t count;     /* items in the model */
	size_t *vis;      /* item index per visible position while filtered */
	size_t nvis, vis_cap;
	bool filtered;    /* vis is in force */
	size_t sel;       /* selected visible position */
	size_t top;       /* first visible position drawn */
	int rows;         /* rows at the last draw (page size) */
	char filter[128]; /* the needle in force ("" = none) */
};
void ui_list_init(struct ui_list *l);
void ui_list_free(struct ui_list *l);
/* Set the model size; drops a filter in force only if drop_filter. The
 * selection is clamped. */
void ui_list_set_count(struct ui_list *l, size_t count);
/* Filter with match(ud, item, needle) over every item, keeping the selected
 * item selected if it still matches. Empty needle clears the filter.
 * Returns false if memory ran out (the list is then unfiltered). */
bool ui_list_filter(struct ui_list *l, const char *needle,
		    bool (*match)(void *ud, size_t item, const char *needle), void *ud);
/* Incremental filtering for large models scanned in steps by the caller:
 * begin empties the visible set, push adds one matching item. */
void ui_list_filter_begin(struct ui_list *l, const char *needle);
bool ui_list_filter_push(struct ui_list *l, size_t item);
void ui_list_filter_clear(struct ui_list *l);
size_t ui_list_visible(const struct ui_list *l);
bool ui_list_item_at(const struct ui_list *l, size_t pos, size_t *item);
bool ui_list_selected(const struct ui_list *l, size_t *item);
/* Move the selection by delta (clamped), to the top or the bottom. */
void ui_list_move(struct ui_list *l, long delta);
void ui_list_top(struct ui_list *l);
void ui_list_bottom(struct ui_list *l);
/* Select item if visible; returns false otherwise. */
bool ui_list_select_item(struct ui_list *l, size_t item);
/* Adjust top so the selection shows in a window of rows lines. */
void ui_list_scroll(struct ui_list *l, int rows);
/* A click on row (0 = first drawn line): select what is there. Returns
 * false when the row is past the end. */
bool ui_list_click(struct ui_list *l, int row);
/* Common list keys (arrows, hjkl's j/k, PgUp/PgDn, Home/End, g/G).
 * Returns true if the key moved the selection. */
bool ui_list_key(struct ui_list *l, int key);

/* Draw rows of the list at (y, x) in a h x w box. draw_row draws item at
 * (row_y, x) in width w with selected telling whether it is the selection;
 * the widget has already filled the row with the selection colour. */
typedef void (*ui_row_fn)(void *ud, WINDOW *win, int y, int x, int w, size_t item,
			  bool selected);
void ui_list_draw(WINDOW *win, struct ui_list *l, int y, int x, int h, int w,
		  bool focused, ui_row_fn draw_row, void *ud);

/* ---- form with validated fields ---------------------------------------- */

enum ui_field_kind {
	UF_TEXT,    /* UTF-8 free text (wide characters edited by code point) */
	UF_AMOUNT,  /* MVT amount "12.5", at most 8 decimals, > 0 */
	UF_TIME,    /* UTC date/time "2026-11-26 14:30" (mv_time_parse forms) */
	UF_CHOICE,  /* one of choices; Left/Right/Space cycle, letters jump */
	UF_SECRET,  /* text shown as '*' */
};

#define UI_FIELD_MAX 256
#define UI_FORM_MAX 12
#define UI_CHOICE_LABEL 64
#define UI_CHOICE_VALUE 80

struct ui_choice {
	char label[UI_CHOICE_LABEL];
	char value[UI_CHOICE_VALUE];
};

struct ui_field;
/* Extra validation for a field: return true if fine, else fill err. */
typedef bool (*ui_check_fn)(void *ud, const struct ui_field *f, char *err, size_t errlen);

struct ui_field {
	const char *label;
	const char *hint;
	enum ui_field_kind kind;
	bool required;
	size_t max_bytes;         /* 0 = UI_FIELD_MAX - 1 */
	char buf[UI_FIELD_MAX];   /* the text (UTF-8, NUL-terminated) */
	size_t cur;               /* cursor, a byte offset at a code point boundary */
	int scroll;               /* first column shown */
	struct ui_choice *choices; /* owned (ui_form_free) */
	size_t nchoices, choice;
	ui_check_fn check;
	void *check_ud;
	char err[160];            /* last validation error, "" if valid */
	int64_t value;            /* parsed amount (base units) or time (ms) */
};

struct ui_form {
	char title[64];
	struct ui_field f[UI_FORM_MAX];
	size_t n;
	size_t focus;
	bool dirty;       /* the user changed something since ui_form_init */
	bool literal;     /* the next key is text even if bound (after ^V) */
};

enum ui_form_result {
	UI_FORM_IGNORED = 0, /* not a form key: let the shell handle it */
	UI_FORM_CHANGED,     /* value edited */
	UI_FORM_MOVED,       /* focus or cursor moved */
	UI_FORM_SUBMIT,      /* Enter on the last field, or ^S */
	UI_FORM_CANCEL,      /* Esc */
};

void ui_form_init(struct ui_form *form, const char *title);
void ui_form_free(struct ui_form *form);
/* Add a field; returns it (NULL when the form is full). */
struct ui_field *ui_form_add(struct ui_form *form, enum ui_field_kind kind,
			     const char *label, bool required, const char *hint);
/* Choices are copied. Returns false if memory ran out. */
bool ui_field_set_choices(struct ui_field *f, const struct ui_choice *c, size_t n);
void ui_field_set_text(struct ui_field *f, const char *text);
/* Editing primitives (return true if something changed or moved). */
bool ui_field_insert(struct ui_field *f, uint32_t cp);
bool ui_field_backspace(struct ui_field *f);
bool ui_field_delete(struct ui_field *f);
bool ui_field_left(struct ui_field *f);
bool ui_field_right(struct ui_field *f);
void ui_field_home(struct ui_field *f);
void ui_field_end(struct ui_field *f);
void ui_field_clear(struct ui_field *f);
/* Whether a code point may be typed into a field of this kind. */
bool ui_field_accepts(const struct ui_field *f, uint32_t cp);
/* The value as text: buf, or the selected choice's value. */
const char *ui_field_value(const struct ui_field *f);
/* Validate one field; fills f->err and f->value. */
bool ui_field_validate(struct ui_field *f);
/* Validate every field; returns the index of the first invalid one or -1. */
int ui_form_validate(struct ui_form *form);
/* Feed a key to the form. */
enum ui_form_result ui_form_key(struct ui_form *form, int key);
/* The shell sees every form as it is submitted (Enter on the last field or
 * ^S), before the view acts on it: fn(ud, form), for the crisis-word check
 * of every text typed (tui.c). NULL removes it. */
typedef void (*ui_form_submit_fn)(void *ud, const struct ui_form *form);
void ui_form_on_submit(ui_form_submit_fn fn, void *ud);
/* Columns between the field start and the cursor, after scrolling the field
 * so the cursor shows in width columns. */
int ui_field_cursor_col(struct ui_field *f, int width);
/* Draw the form at (y, x) in width w. Returns rows used; cur_y and cur_x get
 * the screen position of the cursor of the focused text field (or -1). */
int ui_form_draw(WINDOW *win, struct ui_form *form, int y, int x, int w, bool focused,
		 int *cur_y, int *cur_x);

/* ---- confirmation dialog ------------------------------------------------ */

enum ui_confirm_result { UI_CONFIRM_NONE = 0, UI_CONFIRM_YES, UI_CONFIRM_NO };

struct ui_confirm {
	bool active;
	bool yes;          /* the Yes button has focus */
	char title[64];
	char text[512];
	char yes_label[24], no_label[24];
};
void ui_confirm_open(struct ui_confirm *c, const char *title, const char *text,
		     const char *yes_label, const char *no_label);
/* y/Enter on Yes -> YES; n/Esc/Enter on No -> NO; arrows/Tab move focus. */
enum ui_confirm_result ui_confirm_key(struct ui_confirm *c, int key);
/* Draw centred in the rows x cols screen; returns false if it cannot fit. */
bool ui_confirm_draw(WINDOW *win, const struct ui_confirm *c, int rows, int cols);
/* Screen rectangle of the dialog for a rows x cols screen and the button
 * columns, so clicks can be mapped. */
void ui_confirm_rect(const struct ui_confirm *c, int rows, int cols, int *y, int *x,
		     int *h, int *w);

/* ---- toast (message line) ---------------------------------------------- */

enum ui_level { UI_INFO = 0, UI_SUCCESS, UI_WARNING, UI_ERROR };

struct ui_toast {
	char msg[384];
	enum ui_level level;
	int64_t until;     /* ms; 0 = until replaced */
};
void ui_toast_set(struct ui_toast *t, enum ui_level level, int64_t now, int64_t ttl_ms,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Clear an expired toast; true if it changed. */
bool ui_toast_expire(struct ui_toast *t, int64_t now);
void ui_toast_draw(WINDOW *win, const struct ui_toast *t, int y, int x, int w);

/* ---- progress bar, sparkline, bar chart --------------------------------- */

/* 0..100, 0 when total is 0. */
int ui_progress_percent(size_t done, size_t total);
/* A bar of exactly width columns made of block characters (eighths). */
void ui_progress_bar(char *out, size_t outlen, int width, size_t done, size_t total);
void ui_progress_draw(WINDOW *win, int y, int x, int w, const char *label, size_t done,
		      size_t total);

/* A sparkline of n values in width columns (n > width: each column shows
 * the last value of its bucket). Uses ▁▂▃▄▅▆▇█ scaled between the minimum
 * and maximum; a flat series is drawn mid-height. Returns columns written
 * (min(n, width)); out needs 3 bytes per column + 1. */
int ui_sparkline(char *out, size_t outlen, const int64_t *v, size_t n, int width);
/* Length in eighths of a column of a bar for value out of max in width. */
int ui_bar_eighths(int64_t value, int64_t max, int width);
void ui_bar_draw(WINDOW *win, int y, int x, int w, int64_t value, int64_t max, int attr);

/* ---- week calendar grid ------------------------------------------------- */

struct ui_week_layout {
	int64_t week_start;   /* Monday 00:00 UTC, ms */
	int first_hour;       /* first hour row */
	int slot_min;         /* minutes per row */
	int nrows;            /* rows of slots */
	int label_w;          /* time label column width */
	int col_w;            /* columns per day */
	int width, height;    /* total size including header */
};
/* Monday 00:00 UTC of the week holding ms. */
int64_t ui_week_start(int64_t ms);
/* Lay out the week holding any_ms in width x height (one header row) for
 * hours [first_hour, last_hour). The slot size grows (15, 30, 60, 120, 180,
 * 240 min) until the rows fit. Returns false if it cannot fit. */
bool ui_week_layout(struct ui_week_layout *L, int64_t any_ms, int width, int height,
		    int first_hour, int last_hour);
/* Cell of a time: day 0..6 and row; false if outside the grid. */
bool ui_week_cell(const struct ui_week_layout *L, int64_t ms, int *day, int *row);
/* Start time of a cell. */
int64_t ui_week_cell_time(const struct ui_week_layout *L, int day, int row);
/* Screen column (relative) of day's column. */
int ui_week_day_x(const struct ui_week_layout *L, int day);

struct ui_week_item {
	int64_t start, end;
	const char *label;
	int attr;
};
void ui_week_draw(WINDOW *win, int y, int x, const struct ui_week_layout *L,
		  const struct ui_week_item *items, size_t n, int sel_day, int sel_row);

/* ---- drawing helpers ---------------------------------------------------- */

/* Draw s clipped to maxcols at (y, x) with attr; control characters are
 * drawn as '?'. Returns columns drawn. */
int ui_put(WINDOW *win, int y, int x, int maxcols, int attr, const char *s);
int ui_putf(WINDOW *win, int y, int x, int maxcols, int attr, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Fill n columns with spaces in attr. */
void ui_fill(WINDOW *win, int y, int x, int n, int attr);
/* Draw a small document: each line of text is wrapped to w; a line starting
 * with "# " is a heading, "! " an alert (crisis colours), "  " keeps its
 * indent. Wrapped lines before `scroll` are skipped, at most h drawn.
 * Returns the total number of wrapped lines (for clamping the scroll). */
int ui_doc_draw(WINDOW *win, int y, int x, int h, int w, const char *text, int scroll);
/* Horizontal / vertical lines of Unicode box-drawing characters (not the
 * terminal's alternate charset, which some terminals and tmux captures show
 * as letters). */
void ui_hline(WINDOW *win, int y, int x, int n, int attr);
void ui_vline(WINDOW *win, int y, int x, int n, int attr);
/* A box with an optional title on its top border. */
void ui_box(WINDOW *win, int y, int x, int h, int w, int attr, const char *title);

#endif
