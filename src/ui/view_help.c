/* view_help.c - the `?` screen: what the screen it was opened over is for,
 * its keys, and the keys that work everywhere. Every key line is generated
 * from the action table (actions.c), so help never disagrees with the key
 * bar. Opened from the navigation it explains the app as a whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ui/view.h"

#define HELP_TEXT_MAX 32768 /* the screens' paragraphs alone are ~13 KiB (30 screens) */

struct help_state {
	char text[HELP_TEXT_MAX];
	size_t len;
	int scroll, total;
};

static void help_add(struct help_state *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void help_add(struct help_state *h, const char *fmt, ...)
{
	va_list ap;
	if (h->len >= sizeof h->text - 1)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(h->text + h->len, sizeof h->text - h->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		h->len += (size_t)n < sizeof h->text - h->len ? (size_t)n : sizeof h->text - h->len - 1;
}

static void help_action_line(struct help_state *h, enum tui_action a)
{
	const struct tui_action_def *d = tui_action_def(a);
	char keys[64] = "", kb[32];
	for (int i = 0; i < 4 && d->keys[i]; i++) {
		const char *name = ui_key_name(d->keys[i], kb, sizeof kb);
		char padded[40];
		snprintf(padded, sizeof padded, " %s ", name);
		char have[70];
		snprintf(have, sizeof have, " %s ", keys);
		if (strstr(have, padded))
			continue; /* Enter is bound as \r, \n and KEY_ENTER */
		if (keys[0])
			strncat(keys, " ", sizeof keys - strlen(keys) - 1);
		strncat(keys, name, sizeof keys - strlen(keys) - 1);
	}
	int pad = 14 - ui_text_width(keys);
	help_add(h, "  %s%*s %s\n", keys, pad > 0 ? pad : 0, "", d->help);
}

static const enum tui_action help_global[] = {
	ACT_CRISIS, ACT_HELP, ACT_QUIT, ACT_BACK, ACT_FOCUS_NEXT, ACT_FOCUS_PREV, ACT_UP,
	ACT_DOWN, ACT_LEFT, ACT_RIGHT, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_TOP, ACT_BOTTOM,
	ACT_ENTER, ACT_FILTER, ACT_RELOAD, ACT_REDRAW, ACT_SWITCH_PATIENT, ACT_SWITCH_THERAPIST,
	ACT_SWITCH_MEMBER, ACT_SWITCH_COUNCIL, ACT_NONE,
};

static const enum tui_action help_form[] = {
	ACT_FORM_NEXT, ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_FORM_LITERAL, ACT_NONE,
};

static void help_build(struct help_state *h, struct tui *t)
{
	const struct view_ops *v = t->under;
	h->len = 0;
	h->text[0] = '\0';
	if (v && strcmp(v->name, "help") != 0) {
		help_add(h, "# %s\n%s\n\n", v->title, v->help ? v->help : "");
		if (v->actions && v->actions[0] != ACT_NONE) {
			help_add(h, "# Keys on this screen\n");
			for (size_t i = 0; v->actions[i] != ACT_NONE; i++)
				help_action_line(h, v->actions[i]);
			help_add(h, "\n");
		}
	} else {
		help_add(h, "# MentalVerse\nA network for mental-health care where every change is a "
			    "signed operation. The left column lists the screens; digits 1-9 jump to "
			    "them, Tab moves between the list and the screen.\n\n");
	}
	help_add(h, "# In forms\n");
	for (size_t i = 0; help_form[i] != ACT_NONE; i++)
		help_action_line(h, help_form[i]);
	help_add(h, "  ←→ Space       change a choice; letters jump to a choice\n\n");
	help_add(h, "# Everywhere\n");
	for (size_t i = 0; help_global[i] != ACT_NONE; i++)
		help_action_line(h, help_global[i]);
	help_add(h, "  1-9            go to a screen of the navigation\n");
	help_add(h, "  mouse          click a screen in the navigation, a row, or a key below\n\n");
	help_add(h, "# Screens\n");
	for (size_t i = 0; tui_views[i]; i++)
		if (tui_views[i]->in_nav)
			help_add(h, "  %zu  %-12s %s\n", i + 1, tui_views[i]->title,
				 tui_views[i]->help ? tui_views[i]->help : "");
}

static bool help_init(struct tui *t, void **st)
{
	*st = calloc(1, sizeof(struct help_state));
	return *st != NULL;
}

static void help_fini(struct tui *t, void *st)
{
	free(st);
}

static void help_show(struct tui *t, void *st)
{
	struct help_state *h = st;
	h->scroll = 0;
	help_build(h, t);
}

static void help_draw(struct tui *t, void *st)
{
	struct help_state *h = st;
	char title[96];
	if (!h->len)
		help_build(h, t);
	snprintf(title, sizeof title, "Help%s%s", t->under ? " · " : "", t->under ? t->under->title : "");
	tui_view_title(t, title, "Esc back");
	int hh = t->main_h - 3;
	h->total = ui_doc_draw(stdscr, t->main_y + 2, t->main_x, hh, t->main_w, h->text, h->scroll);
	if (h->total > hh)
		ui_putf(stdscr, t->main_y + t->main_h - 1, t->main_x, t->main_w, theme_attr(TH_DIM),
			"↑↓ scroll · %d/%d", h->scroll + 1, h->total - hh + 1);
}

static int help_action(struct tui *t, void *st, enum tui_action a)
{
	struct help_state *h = st;
	int hh = t->main_h - 3, max = h->total > hh ? h->total - hh : 0;
	switch (a) {
	case ACT_UP: h->scroll--; break;
	case ACT_DOWN: h->scroll++; break;
	case ACT_PAGE_UP: h->scroll -= hh - 1; break;
	case ACT_PAGE_DOWN: h->scroll += hh - 1; break;
	case ACT_TOP: h->scroll = 0; break;
	case ACT_BOTTOM: h->scroll = max; break;
	default: return TUI_UNHANDLED;
	}
	if (h->scroll > max)
		h->scroll = max;
	if (h->scroll < 0)
		h->scroll = 0;
	return TUI_DRAW_VIEW;
}

static const enum tui_action help_actions[] = { ACT_BACK, ACT_DOWN, ACT_NONE };

const struct view_ops view_help = {
	.name = "help",
	.title = "Help",
	.in_nav = true,
	.help = "Keys and screens. ? opens help for the screen you are on.",
	.actions = help_actions,
	.init = help_init,
	.fini = help_fini,
	.draw = help_draw,
	.action = help_action,
	.show = help_show,
};
