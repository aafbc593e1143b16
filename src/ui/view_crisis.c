/* view_crisis.c - the `!` screen: crisis lines and the statement that
 * MentalVerse is not an emergency service. Reachable with one key from every
 * screen, even inside forms, and opened by the shell after someone submits
 * text holding crisis words (core/crisis.h), with a few words on why. The
 * text is crisis_resources(): crisis.txt from the data directories, else
 * the copy built into the binary, so this screen is never empty. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/crisis.h"
#include "ui/view.h"

/* Shown when crisis words opened the screen: the text was kept. */
static const char crisis_why[] =
	"! What you just wrote sounds like you may be going through something very hard. You do "
	"not have to face it alone: please reach a person now. What you wrote was kept.\n"
	"\n";

static const char crisis_oom[] = "! Call your local emergency number now.\n";

struct crisis_state {
	char *text;        /* crisis_resources(), or NULL if memory ran out */
	char source[PATH_MAX];
	char *shown;       /* text with the reason on top, while detected */
	bool detected;
	int scroll, total;
};

static bool crisis_init(struct tui *t, void **st)
{
	struct crisis_state *c = calloc(1, sizeof *c);
	if (!c)
		return false;
	c->text = crisis_resources(c->source, sizeof c->source);
	*st = c;
	return true;
}

static void crisis_fini(struct tui *t, void *st)
{
	struct crisis_state *c = st;
	free(c->text);
	free(c->shown);
	free(c);
}

static void crisis_show(struct tui *t, void *st)
{
	struct crisis_state *c = st;
	c->scroll = 0;
	c->detected = tui_crisis_take(t);
	free(c->shown);
	c->shown = NULL;
	if (c->detected && c->text) {
		size_t n = strlen(crisis_why) + strlen(c->text) + 1;
		if ((c->shown = malloc(n)))
			snprintf(c->shown, n, "%s%s", crisis_why, c->text);
	}
}

static void crisis_draw(struct tui *t, void *st)
{
	struct crisis_state *c = st;
	tui_view_title(t, "Crisis resources", "Esc back");
	int h = t->main_h - 3;
	const char *text = c->shown ? c->shown : c->text ? c->text : crisis_oom;
	c->total = ui_doc_draw(stdscr, t->main_y + 2, t->main_x, h, t->main_w, text, c->scroll);
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
		"in a form, to come here; Esc goes back to where you were, with your input kept. "
		"It also opens by itself after you submit text with words that sound like a "
		"crisis (assets/crisis_words.txt), once what you wrote was saved or sent.",
	.actions = crisis_actions,
	.init = crisis_init,
	.fini = crisis_fini,
	.draw = crisis_draw,
	.action = crisis_action,
	.show = crisis_show,
};
