/* tui.h - entry point of the terminal app (ncursesw). main.c calls it when
 * no command is given on a terminal, or for `mentalverse tui`. The TUI itself
 * lives in tui.c and the view_*.c modules.
 *
 * The lower-level functions below let a benchmark or test drive the same
 * shell headless (curses started by the caller on any terminal, e.g. newterm
 * on a pseudo-terminal): open, feed keys, render frames, close. */
#ifndef MV_TUI_H
#define MV_TUI_H

struct home;
struct tui;
struct mv_err;

/* Run the app on the open home h, acting as identity `as` (NULL: the home's
 * default identity). Returns the process exit code (0 on a normal quit).
 * The terminal is restored before it returns. */
int tui_main(struct home *h, const char *as);

/* Create the shell on an already started curses screen. NULL on failure
 * (err filled). */
struct tui *tui_open(struct home *h, const char *as, struct mv_err *err);
/* Handle one key (a code point, or UI_FN(KEY_x) from widgets.h); returns
 * the redraw flags it caused (TUI_QUIT when the app should end). */
int tui_feed(struct tui *t, int key);
/* Draw whatever is pending and push it to the terminal (doupdate). */
void tui_render(struct tui *t);
/* The event loop on stdscr until quit or a signal; returns the exit code. */
int tui_run(struct tui *t);
void tui_close(struct tui *t);

#endif
