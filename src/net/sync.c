/* sync.c - one sync round with a peer: info, pull, blobs, push (see sync.h).
 *
 * Everything received goes through home_import, which verifies every op
 * before storing any; pages are bounded (4 MiB) and so are rounds
 * (max_pages per direction). A page that moves nothing forward ends the
 * pull, so a peer can never keep us looping. */
#include "net/sync.h"
#include "net/server.h"
#include "core/blobref.h"
#include "core/heads.h"
#include "core/peers.h"
#include "core/query.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYNC_PUSH_PAGE (SERVER_PAGE_MAX - 64)

struct peer_info {
	int protocol;
	uint8_t network[32];
	struct heads heads;
	char state_root[65];
};

/* A round in progress. */
struct round {
	struct home *h;
	struct tls_addr addr;
	struct client *c;
	struct sync_opts o;
	sync_progress_fn progress;
	void *ud;
	struct sync_stats *st;
	struct peer_info info;
};

static void round_progress(struct round *r, const char *phase, uint64_t done, uint64_t total)
{
	if (r->progress)
		r->progress(r->ud, phase, done, total);
}

/* ---- /v1/info -------------------------------------------------------- */

static int info_heads(json_t *obj, struct heads *out, struct mv_err *err)
{
	const char *key;
	json_t *v;
	if (!json_is_object(obj))
		return mv_fail(err, MV_EINVAL, "peer info: heads is not an object");
	json_object_foreach(obj, key, v) {
		uint8_t author[32];
		json_int_t seq = json_integer_value(v);
		if (strlen(key) != 64 || mv_unhex(author, 32, key) != MV_OK || !json_is_integer(v) ||
		    seq < 1)
			return mv_fail(err, MV_EINVAL, "peer info: bad head entry '%.70s'", key);
		if (heads_set(out, author, (uint64_t)seq) != MV_OK)
			return mv_fail(err, MV_ERR, "out of memory");
	}
	return MV_OK;
}

static int info_parse(const struct mv_buf *b, struct peer_info *out, struct mv_err *err)
{
	json_error_t je;
	json_t *j = json_loadb((const char *)b->data, b->len, 0, &je);
	if (!j)
		return mv_fail(err, MV_EINVAL, "peer info is not JSON: %s", je.text);
	const char *net = json_string_value(json_object_get(j, "network"));
	const char *root = json_string_value(json_object_get(j, "state_root"));
	int rc = MV_OK;
	out->protocol = (int)json_integer_value(json_object_get(j, "protocol"));
	if (out->protocol != SERVER_PROTOCOL)
		rc = mv_fail(err, MV_EINVAL, "peer speaks protocol %d, we speak %d", out->protocol,
			     SERVER_PROTOCOL);
	else if (!net || strlen(net) != 64 || mv_unhex(out->network, 32, net) != MV_OK)
		rc = mv_fail(err, MV_EINVAL, "peer info: bad network id");
	else if (!root || strlen(root) != 64)
		rc = mv_fail(err, MV_EINVAL, "peer info: bad state root");
	else
		rc = info_heads(json_object_get(j, "heads"), &out->heads, err);
	if (rc == MV_OK)
		snprintf(out->state_root, sizeof out->state_root, "%s", root);
	json_decref(j);
	return rc;
}

static int round_info(struct round *r, struct mv_err *err)
{
	struct mv_buf b;
	long status;
	heads_free(&r->info.heads);
	round_progress(r, "info", 0, 0);
	int rc = client_get(r->c, "/v1/info", &b, &status, err);
	if (rc != MV_OK)
		return rc;
	rc = info_parse(&b, &r->info, err);
	mv_buf_free(&b);
	if (rc == MV_OK && r->h->has_network && memcmp(r->info.network, r->h->network, 32) != 0) {
		char theirs[65];
		mv_hex(theirs, r->info.network, 32);
		rc = mv_fail(err, MV_EINVAL, "peer %s is on another network (%.16s…, ours is %s)",
			     r->addr.url, theirs, r->h->network_name);
	}
	return rc;
}

/* ---- pull ------------------------------------------------------------ */

/* For a home without a network: the page must start the network the peer
 * announced (its genesis op is that network's id). */
static int pull_check_genesis(struct round *r, const uint8_t *bundle, size_t len,
			      struct mv_err *err)
{
	const uint8_t **raws = NULL;
	size_t *lens = NULL, n = 0;
	int rc = bundle_decode(bundle, len, &n, &raws, &lens, err);
	bool found = false;
	for (size_t i = 0; rc == MV_OK && i < n && !found; i++) {
		struct op op;
		if (op_decode(&op, raws[i], lens[i], NULL) != MV_OK)
			continue;
		if (strcmp(op.kind, "genesis") == 0) {
			found = true;
			if (memcmp(op.id, r->info.network, 32) != 0)
				rc = mv_fail(err, MV_EINVAL, "peer %s sent the genesis of another network "
							     "than the one it announces", r->addr.url);
		}
		op_free(&op);
	}
	free(raws);
	free(lens);
	if (rc == MV_OK && !found)
		rc = mv_fail(err, MV_EINVAL, "peer %s sent no genesis op first", r->addr.url);
	return rc;
}

static void counts_add(struct import_counts *a, const struct import_counts *b)
{
	a->new_ += b->new_;
	a->duplicate += b->duplicate;
	a->pending += b->pending;
	a->equivocation += b->equivocation;
	a->refused += b->refused;
	a->applied += b->applied;
	a->rejected += b->rejected;
}

/* One page: POST our vector, import the answer. *more from the peer;
 * *moved says our log grew. */
static int pull_page(struct round *r, bool *more, bool *moved, struct mv_err *err)
{
	struct heads ours;
	struct mv_buf req = {0}, page;
	struct import_counts c;
	long status;
	if (heads_local(r->h->st, &ours, err) != MV_OK)
		return MV_ERR;
	int rc = heads_encode(&ours, &req) ? mv_fail(err, MV_ERR, "out of memory") : MV_OK;
	heads_free(&ours);
	if (rc == MV_OK)
		rc = client_post(r->c, "/v1/ops/since", req.data, req.len, &page, &status, err);
	mv_buf_free(&req);
	if (rc != MV_OK)
		return rc;
	if (page.len < 5 || memcmp(page.data, "MVP1", 4) != 0 || page.data[4] > 1) {
		mv_buf_free(&page);
		return mv_fail(err, MV_EINVAL, "peer %s sent a malformed page", r->addr.url);
	}
	*more = page.data[4] == 1;
	if (!r->h->has_network)
		rc = pull_check_genesis(r, page.data + 5, page.len - 5, err);
	store_idle(r->h->st);
	if (rc == MV_OK) {
		rc = home_import(r->h, page.data + 5, page.len - 5, &c, NULL, NULL, err);
		if (rc != MV_OK)
			rc = mv_fail(err, MV_EINVAL, "page from %s refused: %s", r->addr.url, err->msg);
	}
	mv_buf_free(&page);
	if (rc != MV_OK)
		return rc;
	counts_add(&r->st->in, &c);
	r->st->pulled += c.new_ + c.duplicate + c.pending + c.equivocation + c.refused;
	r->st->pages_in++;
	*moved = c.new_ > 0 || c.pending > 0;
	return MV_OK;
}

static int round_pull(struct round *r, bool *done, struct mv_err *err)
{
	bool more = true, moved = true;
	*done = false;
	for (int page = 0; page < r->o.max_pages; page++) {
		int rc = pull_page(r, &more, &moved, err);
		if (rc != MV_OK)
			return rc;
		round_progress(r, "pull", r->st->in.new_, r->st->behind);
		if (!more || !moved) {
			*done = true;
			break;
		}
	}
	return MV_OK;
}

/* ---- blobs ----------------------------------------------------------- */

static int round_blobs(struct round *r, struct mv_err *err)
{
	size_t found, n = 0;
	uint8_t (*want)[32] = malloc(SYNC_MAX_BLOBS * 32);
	if (!want)
		return mv_fail(err, MV_ERR, "out of memory");
	store_idle(r->h->st);
	int rc = blobref_scan(r->h->st, &found, err);
	if (rc == MV_OK)
		rc = blobref_wants(r->h->st, want, SYNC_MAX_BLOBS, &n, err);
	for (size_t i = 0; rc == MV_OK && i < n; i++) {
		char path[96], hex[65];
		struct mv_buf b;
		long status;
		mv_hex(hex, want[i], 32);
		snprintf(path, sizeof path, "/v1/blobs/%s", hex);
		int g = client_get(r->c, path, &b, &status, err);
		store_idle(r->h->st);
		if (g == MV_ENOTFOUND) {
			rc = blobref_missed(r->h->st, want[i], err);
			continue;
		}
		if (g != MV_OK) {
			rc = g;
			break;
		}
		rc = blobref_got(r->h->st, want[i], b.data, b.len, err);
		mv_buf_free(&b);
		if (rc == MV_OK)
			r->st->blobs++;
		round_progress(r, "blobs", i + 1, n);
	}
	free(want);
	r->st->blobs_missing = blobref_want_count(r->h->st);
	return rc;
}

/* ---- push ------------------------------------------------------------ */

static int push_counts(const struct mv_buf *b, size_t *new_)
{
	json_t *j = json_loadb((const char *)b->data, b->len, 0, NULL);
	if (!j)
		return MV_EINVAL;
	*new_ += (size_t)json_integer_value(json_object_get(j, "new"));
	json_decref(j);
	return MV_OK;
}

/* Push pages the peer lacks; *theirs ends as what the peer now holds. */
static int round_push(struct round *r, struct heads *theirs, bool *done, struct mv_err *err)
{
	*done = false;
	for (int page = 0; page < r->o.max_pages; page++) {
		struct mv_buf bundle, resp;
		size_t count;
		bool more;
		long status;
		struct heads before;
		heads_init(&before);
		if (heads_merge(&before, theirs) != MV_OK)
			return mv_fail(err, MV_ERR, "out of memory");
		int rc = heads_page(r->h->st, theirs, SYNC_PUSH_PAGE, &bundle, &count, &more, err);
		if (rc == MV_OK && count == 0) {
			mv_buf_free(&bundle);
			heads_free(&before);
			*done = true;
			return MV_OK;
		}
		if (rc == MV_OK)
			rc = client_post(r->c, "/v1/ops", bundle.data, bundle.len, &resp, &status, err);
		mv_buf_free(&bundle);
		if (rc != MV_OK) {
			heads_free(theirs);
			*theirs = before; /* the peer did not take this page */
			return rc;
		}
		heads_free(&before);
		push_counts(&resp, &r->st->peer_new);
		mv_buf_free(&resp);
		r->st->pushed += count;
		r->st->pages_out++;
		round_progress(r, "push", r->st->pushed, r->st->ahead);
		if (!more) {
			*done = true;
			return MV_OK;
		}
	}
	return MV_OK;
}

/* ---- rounds ---------------------------------------------------------- */

static int round_open(struct round *r, struct home *h, const char *address,
		      const struct sync_opts *o, sync_progress_fn progress, void *ud,
		      struct sync_stats *st, struct mv_err *err)
{
	static const struct sync_opts def = {SYNC_MAX_PAGES, CLIENT_DEFAULT_OPTS};
	memset(r, 0, sizeof *r);
	memset(st, 0, sizeof *st);
	r->h = h;
	r->o = o ? *o : def;
	if (r->o.max_pages <= 0)
		r->o.max_pages = SYNC_MAX_PAGES;
	r->progress = progress;
	r->ud = ud;
	r->st = st;
	heads_init(&r->info.heads);
	if (tls_addr_parse(address, &r->addr, err) != MV_OK)
		return MV_EINVAL;
	return client_open(&r->c, &r->addr, &r->o.client, err);
}

static void round_close(struct round *r)
{
	store_idle(r->h->st);
	if (r->c)
		r->st->bytes = client_bytes(r->c);
	client_close(r->c);
	heads_free(&r->info.heads);
}

/* The status text kept for the peer after a failed round. */
static void round_fail_status(struct round *r, const struct mv_err *err)
{
	struct mv_err e;
	peers_record(r->h->st, r->addr.address, err->msg, 0, false, -1, -1, &e);
}

static int round_run(struct round *r, struct mv_err *err)
{
	struct heads ours, theirs;
	bool pulled = false, pushed = false;
	int rc = round_info(r, err);
	if (rc != MV_OK)
		return rc;
	if (heads_local(r->h->st, &ours, err) != MV_OK)
		return MV_ERR;
	r->st->behind = heads_ahead(&r->info.heads, &ours);
	r->st->ahead = heads_ahead(&ours, &r->info.heads);
	heads_free(&ours);
	snprintf(r->st->state_root, sizeof r->st->state_root, "%s", r->info.state_root);
	rc = round_pull(r, &pulled, err);
	if (rc == MV_OK)
		rc = round_blobs(r, err);
	heads_init(&theirs);
	if (rc == MV_OK && heads_merge(&theirs, &r->info.heads) != MV_OK)
		rc = mv_fail(err, MV_ERR, "out of memory");
	if (rc == MV_OK)
		rc = round_push(r, &theirs, &pushed, err);
	struct mv_err e;
	store_idle(r->h->st);
	peers_ack(r->h->st, r->addr.address, &theirs, &e); /* what it holds, even after a failure */
	heads_free(&theirs);
	r->st->complete = pulled && pushed;
	return rc;
}

int sync_peer(struct home *h, const char *address, const struct sync_opts *o,
	      sync_progress_fn progress, void *ud, struct sync_stats *st, struct mv_err *err)
{
	struct round r;
	struct mv_err e;
	if (!h->has_network)
		return mv_fail(err, MV_EINVAL, "this home has no network: use `mentalverse init --join "
					       "ADDRESS` to join one");
	store_idle(h->st);
	int rc = round_open(&r, h, address, o, progress, ud, st, err);
	if (rc == MV_OK)
		rc = round_run(&r, err);
	store_idle(h->st);
	if (rc == MV_OK)
		peers_record(h->st, r.addr.address, "ok", mv_now_ms(), st->complete, (int64_t)st->behind,
			     (int64_t)st->ahead, &e);
	else if (r.addr.address[0])
		round_fail_status(&r, err);
	round_close(&r);
	return rc;
}

/* After a join: when we hold exactly what the peer holds, our state root
 * must be the peer's. */
static int join_check_root(struct round *r, struct mv_err *err)
{
	struct heads ours;
	uint8_t root[32];
	char hex[65];
	if (round_info(r, err) != MV_OK || heads_local(r->h->st, &ours, err) != MV_OK)
		return MV_ERR;
	bool same = heads_ahead(&ours, &r->info.heads) == 0 && heads_ahead(&r->info.heads, &ours) == 0;
	heads_free(&ours);
	if (!same) /* the peer moved on meanwhile: the next sync catches up */
		return MV_OK;
	if (home_state_root(r->h, root, err) != MV_OK)
		return MV_ERR;
	mv_hex(hex, root, 32);
	if (strcmp(hex, r->info.state_root) != 0)
		return mv_fail(err, MV_ERR, "state root after joining (%s) differs from the peer's (%s)",
			       hex, r->info.state_root);
	return MV_OK;
}

int sync_join(struct home *h, const char *address, const struct sync_opts *o,
	      sync_progress_fn progress, void *ud, struct sync_stats *st, struct mv_err *err)
{
	struct round r;
	struct heads none;
	bool done = false;
	heads_init(&none);
	int rc = round_open(&r, h, address, o, progress, ud, st, err);
	if (rc == MV_OK) /* a home holding part of this network (an interrupted join) goes on */
		rc = round_info(&r, err);
	if (rc == MV_OK) {
		st->behind = heads_ahead(&r.info.heads, &none);
		snprintf(st->state_root, sizeof st->state_root, "%s", r.info.state_root);
	}
	for (int rounds = 0; rc == MV_OK && !done && rounds < 1024; rounds++)
		if ((rc = round_pull(&r, &done, err)) == MV_OK && !h->has_network)
			rc = mv_fail(err, MV_EINVAL, "peer %s sent no ops", r.addr.url);
	if (rc == MV_OK)
		rc = round_blobs(&r, err);
	if (rc == MV_OK)
		rc = join_check_root(&r, err);
	if (rc == MV_OK) {
		struct mv_err e;
		store_idle(h->st);
		query_network_name(h->st, h->network_name, sizeof h->network_name);
		peers_add(h->st, r.addr.address, r.addr.pin, &e);
		peers_record(h->st, r.addr.address, "ok", mv_now_ms(), true, 0, 0, &e);
		peers_ack(h->st, r.addr.address, &r.info.heads, &e);
		st->complete = true;
	}
	round_close(&r);
	return rc;
}
