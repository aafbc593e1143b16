/* view_network.c - the Network screen: this node's address to share, the
 * known peers with their status, lag, last contact and last full sync
 * (core/peers.h), adding and removing a peer, "sync now" with a progress
 * bar, and finality: the last final epoch, how far finality lags (time since
 * it closed, ops still tentative, signatures for the next epoch) and the
 * recent epochs with whether their signed root matched this node's.
 *
 * Syncing never happens here: the screen asks the shell's background
 * syncer (netsync.h) for a round and draws the status it reports, so keys
 * keep working while a round runs. Peers are added and removed with
 * peers_add / peers_remove on the app's own connection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "net/tls.h"
#include "ui/netsync.h"
#include "ui/view.h"

#define NET_EPOCHS 16

struct net_state {
	struct peer *peers;
	size_t n, cap;
	struct ui_list list;
	int list_y;                /* the list's first row, relative to the main area */
	char address[TLS_ADDR_MAX];
	char address_err[512];
	uint64_t unshared;
	struct q_finality fin;
	bool fin_ok;
	struct q_epoch epochs[NET_EPOCHS];
	size_t nepochs;
	bool form_open;
	struct ui_form form;
	char removing[PEER_ADDR_MAX];
	struct tui *t;
};

/* ---- data ------------------------------------------------------------------- */

static int net_peer_cb(void *ud, const struct peer *p)
{
	struct net_state *s = ud;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct peer *v = realloc(s->peers, cap * sizeof *v);
		if (!v)
			return 1;
		s->peers = v;
		s->cap = cap;
	}
	s->peers[s->n++] = *p;
	return 0;
}

static int net_epoch_cb(void *ud, const struct q_epoch *e)
{
	struct net_state *s = ud;
	if (s->nepochs >= NET_EPOCHS)
		return 1;
	s->epochs[s->nepochs++] = *e;
	return 0;
}

static void net_load_address(struct tui *t, struct net_state *s)
{
	struct mv_err err;
	mv_err_clear(&err);
	s->address_err[0] = '\0';
	if (netsync_address(t->h, s->address, sizeof s->address, &err) != MV_OK) {
		s->address[0] = '\0';
		snprintf(s->address_err, sizeof s->address_err, "%s", err.msg);
	}
}

static bool net_match(void *ud, size_t item, const char *needle);

static void net_reload(struct tui *t, void *st)
{
	struct net_state *s = st;
	struct mv_err err;
	char keep[PEER_ADDR_MAX] = "";
	size_t item;
	if (ui_list_selected(&s->list, &item) && item < s->n)
		snprintf(keep, sizeof keep, "%s", s->peers[item].address);
	s->n = 0;
	s->nepochs = 0;
	s->fin_ok = false;
	mv_err_clear(&err);
	if (t->h->st && t->h->has_network) {
		if (peers_list(t->h->st, net_peer_cb, s, &err) != MV_OK)
			tui_toast(t, UI_ERROR, "peers: %s", err.msg);
		s->unshared = peers_unshared(t->h->st);
		s->fin_ok = query_finality(t->h->st, &s->fin, &err) == MV_OK;
		query_epochs(t->h->st, net_epoch_cb, s, NULL);
	}
	if (!s->address[0])
		net_load_address(t, s);
	char needle[sizeof s->list.filter];
	snprintf(needle, sizeof needle, "%s", s->list.filtered ? s->list.filter : "");
	ui_list_filter_clear(&s->list);
	ui_list_set_count(&s->list, s->n);
	for (size_t i = 0; keep[0] && i < s->n; i++)
		if (strcmp(s->peers[i].address, keep) == 0)
			ui_list_select_item(&s->list, i);
	if (needle[0])
		ui_list_filter(&s->list, needle, net_match, s);
}

/* "127.0.0.1:7420" of "https://127.0.0.1:7420#sha256//...". */
static void net_hostport(char *out, size_t outlen, const char *address)
{
	const char *p = strncmp(address, "https://", 8) == 0 ? address + 8 : address;
	const char *hash = strchr(p, '#');
	int len = hash ? (int)(hash - p) : (int)strlen(p);
	snprintf(out, outlen, "%.*s", len, p);
}

static bool net_peer_ok(const struct peer *p)
{
	return strcmp(p->status, "ok") == 0 || strcmp(p->status, "new") == 0;
}

/* A peer's status without the "https://HOST:PORT: " its errors start with. */
static const char *net_status_text(const struct peer *p)
{
	const char *hash = strchr(p->address, '#');
	size_t n = hash ? (size_t)(hash - p->address) : 0;
	if (n && strncmp(p->status, p->address, n) == 0 && strncmp(p->status + n, ": ", 2) == 0)
		return p->status + n + 2;
	return p->status;
}

/* ---- the add-peer form ------------------------------------------------------ */

static bool net_check_address(void *ud, const struct ui_field *f, char *err, size_t errlen)
{
	struct tls_addr a;
	struct mv_err e;
	if (tls_addr_parse(f->buf, &a, &e) == MV_OK)
		return true;
	snprintf(err, errlen, "%s", e.msg);
	return false;
}

static void net_open_form(struct tui *t, struct net_state *s)
{
	ui_form_free(&s->form);
	ui_form_init(&s->form, "Add a peer");
	struct ui_field *f = ui_form_add(&s->form, UF_TEXT, "Address", true,
					 "https://HOST:PORT#sha256//PIN, as `mentalverse address` prints it");
	f->max_bytes = PEER_ADDR_MAX - 1;
	f->check = net_check_address;
	s->form_open = true;
	t->focus_main = true;
}

static void net_close_form(struct net_state *s)
{
	ui_form_free(&s->form);
	s->form_open = false;
}

static int net_add_peer(struct tui *t, struct net_state *s)
{
	struct tls_addr a;
	struct mv_err err;
	int bad = ui_form_validate(&s->form);
	if (bad >= 0) {
		tui_toast(t, UI_ERROR, "%s: %s", s->form.f[bad].label, s->form.f[bad].err);
		return TUI_DRAW_ALL;
	}
	mv_err_clear(&err);
	if (tls_addr_parse(s->form.f[0].buf, &a, &err) != MV_OK ||
	    peers_add(t->h->st, a.address, a.pin, &err) != MV_OK) {
		tui_toast(t, UI_ERROR, "%s", err.msg);
		return TUI_DRAW_ALL;
	}
	netsync_rearm(t->sync, t->now);
	tui_toast(t, UI_SUCCESS, "added %s: s syncs now", a.url);
	net_close_form(s);
	return TUI_RELOAD | TUI_DRAW_ALL;
}

static void net_discard_yes(struct tui *t, void *ud)
{
	net_close_form(ud);
}

static int net_form_key(struct tui *t, struct net_state *s, int key)
{
	switch (ui_form_key(&s->form, key)) {
	case UI_FORM_CHANGED:
	case UI_FORM_MOVED:
		return TUI_DRAW_VIEW;
	case UI_FORM_SUBMIT:
		return net_add_peer(t, s);
	case UI_FORM_CANCEL:
		if (s->form.dirty)
			tui_confirm(t, "Discard", "Close the form and lose the address you typed?",
				    "Discard", net_discard_yes, s);
		else
			net_close_form(s);
		return TUI_DRAW_ALL;
	default:
		return TUI_UNHANDLED;
	}
}

/* ---- actions ---------------------------------------------------------------- */

static void net_remove_yes(struct tui *t, void *ud)
{
	struct net_state *s = ud;
	struct mv_err err;
	mv_err_clear(&err);
	if (peers_remove(t->h->st, s->removing, &err) != MV_OK) {
		tui_toast(t, UI_ERROR, "%s", err.msg);
		return;
	}
	char hp[300];
	net_hostport(hp, sizeof hp, s->removing);
	tui_toast(t, UI_SUCCESS, "removed %s", hp);
	net_reload(t, s);
}

static int net_remove(struct tui *t, struct net_state *s)
{
	size_t item;
	char hp[300], text[512];
	if (!ui_list_selected(&s->list, &item) || item >= s->n) {
		tui_toast(t, UI_WARNING, "no peer selected");
		return TUI_DRAW_ALL;
	}
	snprintf(s->removing, sizeof s->removing, "%s", s->peers[item].address);
	net_hostport(hp, sizeof hp, s->removing);
	snprintf(text, sizeof text, "Stop syncing with %s and forget its pin? To trust it again, "
		 "add its address again.", hp);
	tui_confirm(t, "Remove peer", text, "Remove", net_remove_yes, s);
	return TUI_DRAW_ALL;
}

static int net_sync_now(struct tui *t, struct net_state *s)
{
	struct mv_err err;
	mv_err_clear(&err);
	if (s->n == 0) {
		tui_toast(t, UI_WARNING, "no peers to sync with: n adds one");
		return TUI_DRAW_ALL;
	}
	if (!netsync_start(t->sync, true, &err))
		tui_toast(t, UI_WARNING, "%s", err.msg);
	return TUI_DRAW_ALL;
}

static int net_show_peer(struct tui *t, struct net_state *s)
{
	size_t item;
	if (!ui_list_selected(&s->list, &item) || item >= s->n)
		return TUI_HANDLED;
	const struct peer *p = &s->peers[item];
	char hp[300];
	net_hostport(hp, sizeof hp, p->address);
	tui_toast(t, net_peer_ok(p) ? UI_INFO : UI_ERROR, "%s: %s", hp, net_status_text(p));
	return TUI_DRAW_ALL;
}

/* ---- drawing: address and peers ---------------------------------------------- */

static void net_draw_address(struct tui *t, struct net_state *s, int *y, int bottom)
{
	size_t starts[4], lens[4];
	ui_put(stdscr, (*y)++, t->main_x, t->main_w, theme_attr(TH_DIM),
	       "Address to give peers (reachable while `serve` runs):");
	if (!s->address[0]) {
		ui_putf(stdscr, (*y)++, t->main_x, t->main_w, theme_attr(TH_ERR), "no address: %s",
			s->address_err);
		return;
	}
	size_t n = ui_wrap(s->address, t->main_w, starts, lens, 4);
	for (size_t i = 0; i < n && i < 4 && *y < bottom; i++) {
		char line[TLS_ADDR_MAX];
		snprintf(line, sizeof line, "%.*s", (int)lens[i], s->address + starts[i]);
		ui_put(stdscr, (*y)++, t->main_x, t->main_w, theme_attr(TH_ACCENT), line);
	}
}

/* Column widths of the peer table for a main area of width w. */
struct net_cols {
	int peer, status, lag, contact, synced;
};

static struct net_cols net_cols(int w)
{
	struct net_cols c = { 17, 6, 10, 10, 10 };
	if (w >= 90) {
		c.peer = 22;
		c.status = w - 22 - 10 - 11 - 11 - 4;
		if (c.status > 40)
			c.status = 40;
		c.contact = c.synced = 11;
	}
	return c;
}

static void net_ago(char *out, size_t outlen, int64_t ms, int64_t now)
{
	if (ms <= 0)
		snprintf(out, outlen, "never");
	else
		ui_fmt_ago(out, outlen, ms, now);
}

static void net_peer_row(void *ud, WINDOW *win, int y, int x, int width, size_t item, bool sel)
{
	struct net_state *s = ud;
	const struct peer *p = &s->peers[item];
	struct net_cols c = net_cols(width);
	char hp[300], lag[48], contact[32], synced[32];
	const char *status = net_status_text(p);
	int base = sel ? theme_attr(TH_SEL) : 0;
	bool ok = strcmp(status, "ok") == 0;
	if (c.status < 10 && !net_peer_ok(p))
		status = "error";
	net_hostport(hp, sizeof hp, p->address);
	snprintf(lag, sizeof lag, "↓%lld ↑%lld", (long long)p->behind, (long long)p->ahead);
	net_ago(contact, sizeof contact, p->last_contact_ms, s->t->now);
	net_ago(synced, sizeof synced, p->last_sync_ms, s->t->now);
	int col = x;
	col += ui_put(win, y, col, c.peer, base, hp);
	col = x + c.peer + 1;
	ui_put(win, y, col, c.status, sel ? base : theme_attr(ok ? TH_OK : net_peer_ok(p) ? TH_DIM : TH_ERR),
	       status);
	col += c.status + 1;
	ui_put(win, y, col, c.lag, base, lag);
	col += c.lag + 1;
	ui_put(win, y, col, c.contact, sel ? base : theme_attr(TH_DIM), contact);
	col += c.contact + 1;
	if (col < x + width)
		ui_put(win, y, col, x + width - col, sel ? base : theme_attr(TH_DIM), synced);
}

static void net_draw_peer_header(struct tui *t, struct net_state *s, int y)
{
	struct net_cols c = net_cols(t->main_w);
	int x = t->main_x, a = theme_attr(TH_DIM);
	ui_put(stdscr, y, x, c.peer, a, "peer");
	x += c.peer + 1;
	ui_put(stdscr, y, x, c.status, a, "status");
	x += c.status + 1;
	ui_put(stdscr, y, x, c.lag, a, "lag ↓ ↑");
	x += c.lag + 1;
	ui_put(stdscr, y, x, c.contact, a, "contact");
	x += c.contact + 1;
	if (x < t->main_x + t->main_w)
		ui_put(stdscr, y, x, t->main_x + t->main_w - x, a, "full sync");
}

/* The selected peer's status in full when it is an error. */
static void net_draw_peer_detail(struct tui *t, struct net_state *s, int y)
{
	size_t item;
	if (!ui_list_selected(&s->list, &item) || item >= s->n)
		return;
	const struct peer *p = &s->peers[item];
	if (!net_peer_ok(p))
		ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_ERR), "%s", p->status);
	else
		ui_putf(stdscr, y, t->main_x, t->main_w, theme_attr(TH_DIM),
			"lag: ops each side lacked at the last contact");
}

/* Rows the peer list may take of free_rows (what sync and the finality
 * summary leave): up to three peers whatever happens, more while the
 * header and two rows of the epoch list stay visible. */
static int net_peer_rows(struct net_state *s, int free_rows)
{
	int want = s->n ? (int)s->n : 1;
	int least = want < 3 ? want : 3, room = free_rows - 3;
	return room > least ? (want < room ? want : room) : least;
}

static void net_draw_peers(struct tui *t, struct net_state *s, int *y, int rows)
{
	char title[96];
	snprintf(title, sizeof title, "Peers (%zu)", s->n);
	int x = t->main_x + ui_put(stdscr, *y, t->main_x, t->main_w, theme_attr(TH_TITLE), title);
	ui_putf(stdscr, *y, x + 2, t->main_x + t->main_w - x - 2,
		s->unshared ? theme_attr(TH_WARN) : theme_attr(TH_DIM), "↑%llu op%s no peer has yet",
		(unsigned long long)s->unshared, s->unshared == 1 ? "" : "s");
	(*y)++;
	if (s->n == 0) {
		ui_put(stdscr, (*y)++, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "No peers yet: n adds one by its address.");
		return;
	}
	net_draw_peer_header(t, s, (*y)++);
	s->list_y = *y - t->main_y;
	ui_list_draw(stdscr, &s->list, *y, t->main_x, rows, t->main_w, t->focus_main, net_peer_row, s);
	*y += rows;
	net_draw_peer_detail(t, s, (*y)++);
}

/* ---- drawing: sync and finality --------------------------------------------- */

static void net_draw_sync(struct tui *t, int *y, int bottom)
{
	struct netsync_status ns;
	char text[700];
	netsync_get(t->sync, &ns);
	if (ns.running && ns.npeers) {
		netsync_phase_text(text, sizeof text, &ns);
		ui_progress_draw(stdscr, *y, t->main_x, t->main_w, "Syncing",
				 (size_t)netsync_permille(&ns), 1000);
		(*y)++;
		ui_put(stdscr, (*y)++, t->main_x, t->main_w, theme_attr(TH_DIM), text);
		return;
	}
	if (ns.rounds && ns.last_manual)
		ui_progress_draw(stdscr, *y, t->main_x, t->main_w, "Sync done", 1, 1);
	else
		ui_putf(stdscr, *y, t->main_x, t->main_w, theme_attr(TH_DIM),
			"Background sync every %lld s with peers, and after your ops.",
			(long long)(netsync_interval(t->sync) / 1000));
	(*y)++;
	netsync_summary(text, sizeof text, &ns, false);
	if (!ns.rounds) {
		ui_put(stdscr, (*y)++, t->main_x, t->main_w, theme_attr(TH_DIM), "No sync yet in this session.");
		return;
	}
	char when[32];
	ui_fmt_time(when, sizeof when, ns.last_end);
	ui_putf(stdscr, (*y)++, t->main_x, t->main_w,
		theme_attr(ns.last_failed ? (ns.last_ok ? TH_WARN : TH_ERR) : TH_OK), "%s %s", when + 11,
		text);
	if (ns.last_error[0] && *y < bottom)
		ui_putf(stdscr, (*y)++, t->main_x, t->main_w, theme_attr(TH_ERR), "failed: %s",
			ns.last_error);
}

static void net_draw_finality(struct tui *t, struct net_state *s, int *y, int bottom)
{
	char ago[32], when[32];
	ui_put(stdscr, (*y)++, t->main_x, t->main_w, theme_attr(TH_TITLE), "Finality");
	if (!s->fin_ok || *y >= bottom)
		return;
	if (s->fin.last_epoch > 0) {
		ui_fmt_ago(ago, sizeof ago, s->fin.last_time, t->now);
		ui_putf(stdscr, (*y)++, t->main_x, t->main_w, A_NORMAL,
			"final epoch %lld, closed %s · %lld op%s tentative", (long long)s->fin.last_epoch,
			ago, (long long)s->fin.tentative_ops, s->fin.tentative_ops == 1 ? "" : "s");
	} else {
		ui_putf(stdscr, (*y)++, t->main_x, t->main_w, A_NORMAL,
			"no final epoch yet · %lld op%s tentative", (long long)s->fin.tentative_ops,
			s->fin.tentative_ops == 1 ? "" : "s");
	}
	if (*y < bottom)
		ui_putf(stdscr, (*y)++, t->main_x, t->main_w, theme_attr(TH_DIM),
			"next epoch: %lld of %lld council signatures", (long long)s->fin.next_signatures,
			(long long)s->fin.threshold);
	if (s->nepochs && *y + 1 < bottom)
		ui_put(stdscr, (*y)++, t->main_x, t->main_w, theme_attr(TH_DIM),
		       "epoch  closed (UTC)        ops  signed root");
	for (size_t i = 0; i < s->nepochs && *y < bottom; i++) {
		const struct q_epoch *e = &s->epochs[i];
		char hex[65];
		mv_hex(hex, e->root, 32);
		ui_fmt_time(when, sizeof when, e->time);
		int x = t->main_x + ui_putf(stdscr, *y, t->main_x, t->main_w, A_NORMAL,
					    "%5lld  %s  %6lld op%s  %.8s…  ", (long long)e->epoch,
					    when + 5, (long long)e->ops, e->ops == 1 ? " " : "s", hex);
		if (x < t->main_x + t->main_w)
			ui_put(stdscr, *y, x, t->main_x + t->main_w - x,
			       theme_attr(e->root_matches ? TH_OK : TH_ERR),
			       e->root_matches ? "✓ root matches" : "✗ ROOT DIFFERS");
		(*y)++;
	}
}

static void net_draw(struct tui *t, void *st)
{
	struct net_state *s = st;
	int y = t->main_y + 1, bottom = t->main_y + t->main_h;
	tui_view_title(t, "Network", t->h->has_network ? t->network : "");
	if (!t->h->has_network) {
		ui_put(stdscr, y + 1, t->main_x, t->main_w, A_NORMAL,
		       "No network yet: join one with `mentalverse init --join ADDRESS`.");
		return;
	}
	net_draw_address(t, s, &y, bottom);
	if (s->form_open) {
		int cy, cx;
		y++;
		ui_form_draw(stdscr, &s->form, y, t->main_x, t->main_w, t->focus_main, &cy, &cx);
		t->cur_y = cy;
		t->cur_x = cx;
		return;
	}
	y++;
	/* what follows the peers: blank, sync (2), blank, finality (3) */
	int rows = net_peer_rows(s, bottom - y - (s->n ? 3 : 2) - 7);
	net_draw_peers(t, s, &y, rows);
	if (y + 1 < bottom)
		y++;
	net_draw_sync(t, &y, bottom);
	if (y + 2 < bottom)
		y++;
	if (y < bottom)
		net_draw_finality(t, s, &y, bottom);
}

/* ---- input ------------------------------------------------------------------ */

static int net_key(struct tui *t, void *st, int key)
{
	struct net_state *s = st;
	return s->form_open ? net_form_key(t, s, key) : TUI_UNHANDLED;
}

static int net_action(struct tui *t, void *st, enum tui_action a)
{
	struct net_state *s = st;
	if (s->form_open)
		return TUI_HANDLED;
	if (!t->h->has_network)
		return TUI_UNHANDLED;
	switch (a) {
	case ACT_SEND: return net_sync_now(t, s);
	case ACT_NEW:
		net_open_form(t, s);
		return TUI_DRAW_ALL;
	case ACT_CANCEL: return net_remove(t, s);
	case ACT_ENTER: return net_show_peer(t, s);
	default: return tui_list_action(&s->list, a);
	}
}

static int net_click(struct tui *t, void *st, int y, int x)
{
	struct net_state *s = st;
	if (s->form_open || s->n == 0)
		return TUI_HANDLED;
	return ui_list_click(&s->list, y - s->list_y) ? TUI_DRAW_VIEW : TUI_HANDLED;
}

static bool net_match(void *ud, size_t item, const char *needle)
{
	struct net_state *s = ud;
	char hay[PEER_ADDR_MAX + 300];
	snprintf(hay, sizeof hay, "%s %s", s->peers[item].address, s->peers[item].status);
	return ui_match_text(hay, needle);
}

static int net_filter(struct tui *t, void *st, const char *needle)
{
	struct net_state *s = st;
	if (!ui_list_filter(&s->list, needle, net_match, s))
		tui_toast(t, UI_ERROR, "out of memory while filtering");
	return TUI_DRAW_VIEW;
}

static bool net_dirty(struct tui *t, void *st)
{
	struct net_state *s = st;
	return s->form_open && s->form.dirty;
}

static const enum tui_action net_actions[] = {
	ACT_SYNC_NOW, ACT_PEER_ADD, ACT_PEER_REMOVE, ACT_ENTER, ACT_NONE,
};
static const enum tui_action net_form_actions[] = {
	ACT_FORM_SUBMIT, ACT_FORM_CANCEL, ACT_NONE,
};

static const enum tui_action *net_actions_now(struct tui *t, void *st)
{
	return ((struct net_state *)st)->form_open ? net_form_actions : net_actions;
}

static bool net_init(struct tui *t, void **st)
{
	struct net_state *s = calloc(1, sizeof *s);
	if (!s)
		return false;
	s->t = t;
	ui_list_init(&s->list);
	*st = s;
	return true;
}

static void net_fini(struct tui *t, void *st)
{
	struct net_state *s = st;
	ui_form_free(&s->form);
	ui_list_free(&s->list);
	free(s->peers);
	free(s);
}

const struct view_ops view_network = {
	.name = "network",
	.title = "Network",
	.in_nav = true,
	.help = "This node's address (give it to peers), the peers it syncs with and how each "
		"last went: status, lag (ops the peer had that we lacked ↓ and the reverse ↑ when "
		"they last spoke), last contact and last full sync. s syncs with every peer now "
		"(the bar shows progress; keys keep working), n adds a peer by its address, d "
		"removes the selected one, Enter shows its full status. The app also syncs in the "
		"background every 30 s (MENTALVERSE_SYNC_INTERVAL) and after each op you make. "
		"Finality: the last epoch the council signed, how long ago, ops still tentative, "
		"and whether each epoch's signed root matched this node's.",
	.actions = net_actions,
	.actions_now = net_actions_now,
	.init = net_init,
	.fini = net_fini,
	.reload = net_reload,
	.draw = net_draw,
	.key = net_key,
	.action = net_action,
	.click = net_click,
	.filter = net_filter,
	.dirty = net_dirty,
};
