/* theme.c - the colour table: one row per role with a colour form and a
 * monochrome form. theme_init picks the form once; theme_attr is a lookup.
 * Monochrome rows never rely on colour: selection is reverse video, errors
 * are bold, secondary text is dim, so the UI stays complete without colour. */
#include <curses.h>
#include <stdlib.h>
#include "ui/theme.h"

struct theme_row {
	short fg, bg;   /* -1 = terminal default */
	int colour_attr;
	int mono_attr;
};

static const struct theme_row theme_table[TH_COUNT] = {
	[TH_NORMAL]      = { -1, -1, A_NORMAL, A_NORMAL },
	[TH_DIM]         = { COLOR_CYAN, -1, A_NORMAL, A_DIM },
	[TH_TITLE]       = { COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[TH_TOPBAR]      = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE },
	[TH_TOPBAR_HI]   = { COLOR_YELLOW, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[TH_KEYBAR]      = { -1, -1, A_NORMAL, A_NORMAL },
	[TH_KEY]         = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TH_NAV]         = { -1, -1, A_NORMAL, A_NORMAL },
	[TH_NAV_CUR]     = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[TH_NAV_FOCUS]   = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
	[TH_SEL]         = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TH_SEL_DIM]     = { -1, -1, A_REVERSE, A_UNDERLINE },
	[TH_OK]          = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[TH_WARN]        = { COLOR_YELLOW, -1, A_NORMAL, A_BOLD },
	[TH_ERR]         = { COLOR_RED, -1, A_BOLD, A_BOLD | A_REVERSE },
	[TH_IN]          = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[TH_OUT]         = { COLOR_RED, -1, A_NORMAL, A_NORMAL },
	[TH_FIELD]       = { -1, -1, A_UNDERLINE, A_UNDERLINE },
	[TH_FIELD_FOCUS] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
	[TH_BORDER]      = { COLOR_BLUE, -1, A_NORMAL, A_NORMAL },
	[TH_CRISIS]      = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[TH_ACCENT]      = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
};

static int theme_attrs[TH_COUNT];
static bool theme_colour;

bool theme_no_color_env(void)
{
	const char *v = getenv("NO_COLOR");
	return v != NULL && v[0] != '\0';
}

static void theme_set_mono(void)
{
	for (int i = 0; i < TH_COUNT; i++)
		theme_attrs[i] = theme_table[i].mono_attr;
	theme_colour = false;
}

void theme_init(bool use_colour)
{
	theme_set_mono();
	if (!use_colour || !has_colors() || start_color() == ERR || COLORS < 8)
		return;
	bool defaults = use_default_colors() == OK;
	for (int i = 1; i < TH_COUNT; i++) {
		short fg = theme_table[i].fg, bg = theme_table[i].bg;
		if (!defaults) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		if (i >= COLOR_PAIRS || init_pair((short)i, fg, bg) == ERR) {
			theme_set_mono();
			return;
		}
		theme_attrs[i] = (int)COLOR_PAIR(i) | theme_table[i].colour_attr;
	}
	theme_attrs[TH_NORMAL] = A_NORMAL;
	theme_colour = true;
}

int theme_attr(enum theme_role role)
{
	if ((int)role < 0 || role >= TH_COUNT)
		return A_NORMAL;
	return theme_attrs[role];
}

bool theme_has_colour(void)
{
	return theme_colour;
}
