/* tui.h - entry point of the terminal app (ncursesw). main.c calls it when
 * no command is given on a terminal, or for `mentalverse tui`. The TUI itself
 * lives in tui.c and the view_*.c modules. */
#ifndef MV_TUI_H
#define MV_TUI_H

struct home;

/* Run the app on the open home h, acting as identity `as` (NULL: the home's
 * default identity). Returns the process exit code (0 on a normal quit).
 * The terminal is restored before it returns. */
int tui_main(struct home *h, const char *as);

#endif
