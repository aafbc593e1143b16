/* heads.h - per-author head vectors and "what does the other side lack".
 *
 * A head vector maps each author to the highest seq of their chain a node
 * holds in its log (pending and evidence ops do not count). Sync exchanges
 * vectors: the side that has more builds a page of the ops the other lacks.
 *
 * Binary vector encoding (docs/protocol.md, "HTTP sync"):
 *   "MVV1" | count varint | (author 32 | seq varint) * count
 * authors strictly ascending (bytewise), every seq >= 1, varints minimal, no
 * trailing bytes: one valid encoding per vector. */
#ifndef MV_HEADS_H
#define MV_HEADS_H

#include "store.h"

#define HEADS_MAGIC "MVV1"
#define HEADS_MAX_AUTHORS (1u << 20)

struct heads_entry {
	uint8_t author[32];
	uint64_t seq;
};

/* Sorted by author (bytewise), no duplicates, no zero seqs. */
struct heads {
	struct heads_entry *v;
	size_t n, cap;
};

void heads_init(struct heads *h);
void heads_free(struct heads *h);

/* seq held for author (0 if none). */
uint64_t heads_get(const struct heads *h, const uint8_t author[32]);
/* Set author's seq (inserting in order); seq 0 removes. MV_ERR out of memory. */
int heads_set(struct heads *h, const uint8_t author[32], uint64_t seq);
/* Raise every entry of h to at least other's. */
int heads_merge(struct heads *h, const struct heads *other);

/* The log's vector (h is initialised here). */
int heads_local(struct store *st, struct heads *h, struct mv_err *err);

/* Encode (out appended to) / strictly decode (out initialised here; errors
 * say what is wrong, e.g. "heads vector: authors not ascending"). */
int heads_encode(const struct heads *h, struct mv_buf *out);
int heads_decode(const uint8_t *p, size_t n, struct heads *out, struct mv_err *err);

/* Number of ops `have` holds beyond `other`: sum of max(0, have - other). */
uint64_t heads_ahead(const struct heads *have, const struct heads *other);

/* A page of the log for a peer whose vector is *theirs: an MVB1 bundle
 * (out initialised here) of the ops of our log they lack, in clock order
 * (each author's ops in seq order, so the page imports without gaps), at
 * most max_bytes long. *more says more ops remain after this page. When the
 * page is the last one, it also carries the equivocation evidence this node
 * holds (duplicates for a peer that has it). *theirs is advanced past the
 * ops included, so calling again gives the next page. *count = ops in page. */
int heads_page(struct store *st, struct heads *theirs, size_t max_bytes, struct mv_buf *out,
	       size_t *count, bool *more, struct mv_err *err);

#endif
