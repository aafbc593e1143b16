/* view_crisis.c - the `!` screen: crisis lines and the statement that
 * MentalVerse is not an emergency service. Reachable with one key from every
 * screen, even inside forms. The text comes from crisis.txt, looked up in
 * $MV_DATADIR, next to the binary (assets/ or ../share/mentalverse/), the
 * installed data directory and ./assets; if none can be read a built-in
 * copy of the essential numbers is shown, so this screen is never empty. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ui/view.h"

#ifndef MV_DATADIR
#define MV_DATADIR "/usr/local/share/mentalverse"
#endif

static const char crisis_builtin[] =
	"! MentalVerse is not an emergency service. If you are in immediate danger, call your "
	"local emergency number now.\n"
	"\n"
	"# Emergency numbers\n"
	"  112  European Union · 911  United States and Canada · 999  UK and Ireland\n"
	"\n"
	"# Crisis lines\n"
	"  988      United States and Canada (call or text)\n"
	"  116 123  Samaritans, UK and Ireland\n"
	"  Find a line in your country: https://findahelpline.com\n";

struct crisis_state {
	char *text;        /* malloc'd file contents, or NULL for the built-in */
	char source[PATH_MAX];
	int scroll, total;
};

/* Try to read dir/crisis.txt (or path when dir is NULL). */
static bool crisis_try(struct crisis_state *c, const char *dir, const char *rel)
{
	char path[PATH_MAX];
	uint8_t *data = NULL;
	size_t len = 0;
	if (snprintf(path, sizeof path, "%s/%s", dir, rel) >= (int)sizeof path)
		return false;
	if (mv_read_file(path, 64 * 1024, &data, &len, NULL) != MV_OK)
		return false;
	char *text = malloc(len + 1);
	if (!text) {
		free(data);
		return false;
	}
	memcpy(text, data, len);
	text[len] = '\0';
	free(data);
	free(c->text);
	c->text = text;
	snprintf(c->source, sizeof c->source, "%s", path);
	return true;
}

static void crisis_load(struct crisis_state *c)
{
	char exe[PATH_MAX];
	const char *env = getenv("MV_DATADIR");
	if (env && env[0] && crisis_try(c, env, "crisis.txt"))
		return;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (crisis_try(c, exe, "assets/crisis.txt") ||
			    crisis_try(c, exe, "../share/mentalverse/crisis.txt"))
				return;
		}
	}
	if (crisis_try(c, MV_DATADIR, "crisis.txt") || crisis_try(c, ".", "assets/crisis.txt"))
		return;
	snprintf(c->source, sizeof c->source, "built-in copy (crisis.txt not found)");
}

static bool crisis_init(struct tui *t, void **st)
{
	struct crisis_state *c = calloc(1, sizeof *c);
	if (!c)
		return false;
	crisis_load(c);
	*st = c;
	return true;
}

static void crisis_fini(struct tui *t, void *st)
{
	struct crisis_state *c = st;
	free(c->text);
	free(c);
}

static void crisis_show(struct tui *t, void *st)
{
	((struct crisis_state *)st)->scroll = 0;
}

static void crisis_draw(struct tui *t, void *st)
{
	struct crisis_state *c = st;
	tui_view_title(t, "Crisis resources", "Esc back");
	int h = t->main_h - 3;
	c->total = ui_doc_draw(stdscr, t->main_y + 2, t->main_x, h, t->main_w,
			       c->text ? c->text : crisis_builtin, c->scroll);
	if (c->total > h)
		ui_putf(stdscr, t->main_y + t->main_h - 1, t->main_x, t->main_w, theme_attr(TH_DIM),
			"↑↓ scroll · %d/%d", c->scroll + 1, c->total - h + 1);
}

static int crisis_action(struct tui *t, void *st, enum tui_action a)
{
	struct crisis_state *c = st;
	int h = t->main_h - 3, max = c->total > h ? c->total - h : 0;
	switch (a) {
	case ACT_UP: c->scroll--; break;
	case ACT_DOWN: c->scroll++; break;
	case ACT_PAGE_UP: c->scroll -= h - 1; break;
	case ACT_PAGE_DOWN: c->scroll += h - 1; break;
	case ACT_TOP: c->scroll = 0; break;
	case ACT_BOTTOM: c->scroll = max; break;
	default: return TUI_UNHANDLED;
	}
	if (c->scroll > max)
		c->scroll = max;
	if (c->scroll < 0)
		c->scroll = 0;
	return TUI_DRAW_VIEW;
}

static const enum tui_action crisis_actions[] = { ACT_BACK, ACT_DOWN, ACT_NONE };

const struct view_ops view_crisis = {
	.name = "crisis",
	.title = "Crisis",
	.in_nav = true,
	.help = "Crisis lines and emergency numbers. Press ! on any screen, even while typing "
		"in a form, to come here; Esc goes back to where you were, with your input kept.",
	.actions = crisis_actions,
	.init = crisis_init,
	.fini = crisis_fini,
	.draw = crisis_draw,
	.action = crisis_action,
	.show = crisis_show,
};
