/* theme.h - the colour table of the terminal UI.
 *
 * Every attribute the UI draws with comes from one table indexed by a role
 * (top bar, selection, error...). Each role has a colour form and a
 * monochrome form (bold, reverse, underline, dim), so a terminal without
 * colours, or a user who sets NO_COLOR, still gets a complete, readable UI:
 * nothing is conveyed by colour alone. */
#ifndef MV_UI_THEME_H
#define MV_UI_THEME_H

#include <stdbool.h>

enum theme_role {
	TH_NORMAL = 0,
	TH_DIM,        /* secondary text: dates, hints */
	TH_TITLE,      /* view titles, section headings */
	TH_TOPBAR,     /* the top status line */
	TH_TOPBAR_HI,  /* emphasised item in the top bar (identity) */
	TH_KEYBAR,     /* the bottom key line */
	TH_KEY,        /* a key name inside the key line */
	TH_NAV,        /* navigation entries */
	TH_NAV_CUR,    /* the current view in the navigation */
	TH_NAV_FOCUS,  /* the navigation entry under the cursor when nav has focus */
	TH_SEL,        /* selected row of a focused list */
	TH_SEL_DIM,    /* selected row of an unfocused list */
	TH_OK,         /* applied, success */
	TH_WARN,       /* waiting, warnings */
	TH_ERR,        /* rejected, errors */
	TH_IN,         /* money in */
	TH_OUT,        /* money out */
	TH_FIELD,      /* an input field */
	TH_FIELD_FOCUS,/* the focused input field */
	TH_BORDER,     /* boxes, separators */
	TH_CRISIS,     /* crisis banner */
	TH_ACCENT,     /* charts, highlights */
	TH_COUNT
};

/* Set the table up for the current terminal. Colours are used only if the
 * terminal has them and use_colour is true (callers pass false when NO_COLOR
 * is set). Must run after initscr()/newterm(). */
void theme_init(bool use_colour);

/* True when NO_COLOR is set to anything (https://no-color.org). */
bool theme_no_color_env(void);

/* The curses attribute for role (colour pair and flags). */
int theme_attr(enum theme_role role);

/* True if the table is using colours. */
bool theme_has_colour(void);

#endif
