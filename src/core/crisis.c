/* crisis.c - crisis words in text, and the crisis resources text (see
 * crisis.h). Text and phrases go through one normaliser: UTF-8 decoded
 * code point by code point (a bad byte is a separator), letters and digits
 * kept and folded to lower case, apostrophes dropped, anything else a word
 * boundary. Matching compares whole normalised words, so it is
 * phrase-aware ("kill myself") without matching inside words ("skill
 * myself") or on single ordinary words ("kill time"). */
#include "crisis.h"
#include "util.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef MV_DATADIR
#define MV_DATADIR "/usr/local/share/mentalverse"
#endif

static const char crisis_words_builtin[] =
#include "crisis_words.inc"
	;

static const char crisis_text_builtin[] =
#include "crisis_text.inc"
	;

const char *crisis_word_list(void)
{
	return crisis_words_builtin;
}

/* ---- normalising ------------------------------------------------------------ */

/* The code point at s[*i] (advancing *i), or -1 for an invalid sequence
 * (advancing one byte): overlongs, surrogates and values past U+10FFFF are
 * invalid. */
static int32_t cr_decode(const unsigned char *s, size_t len, size_t *i)
{
	unsigned char c = s[*i];
	size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
	if (n == 0 || *i + n > len) {
		(*i)++;
		return -1;
	}
	int32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
	for (size_t k = 1; k < n; k++) {
		if ((s[*i + k] & 0xC0) != 0x80) {
			(*i)++;
			return -1;
		}
		cp = (cp << 6) | (s[*i + k] & 0x3F);
	}
	static const int32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		(*i)++;
		return -1;
	}
	*i += n;
	return cp;
}

/* Apostrophes and invisible joiners: dropped without ending a word. */
static bool cr_joiner(int32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02BC || cp == 0x00AD ||
	       (cp >= 0xFE00 && cp <= 0xFE0F);
}

/* Letters and digits (everything else separates words). */
static bool cr_letter(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
		return false; /* Latin-1 punctuation and symbols */
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF00 && cp <= 0xFF20) || cp >= 0x1F000)
		return false; /* punctuation, arrows, symbols, emoji */
	return true;
}

/* Lower case for the scripts the list uses. */
static int32_t cr_fold(int32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
		return cp | 1;          /* Latin Extended-A: upper even, lower odd */
	if (cp >= 0x139 && cp <= 0x148)
		return (cp & 1) ? cp + 1 : cp; /* ... here upper odd */
	if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
		return cp + 32;         /* Greek */
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;         /* Cyrillic */
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	return cp;
}

static size_t cr_encode(char *out, int32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

struct cr_word {
	size_t off, n;  /* into cr_words.buf */
	bool prefix;    /* followed by '*' (phrases only) */
};

struct cr_words {
	char *buf;
	struct cr_word *w;
	size_t n;
};

static void cr_words_free(struct cr_words *t)
{
	free(t->buf);
	free(t->w);
	memset(t, 0, sizeof *t);
}

/* Split s into normalised words. Folding never makes a code point longer in
 * UTF-8 (each folded range maps within its own length), so the words fit
 * in len bytes. Returns false if memory ran out. */
static bool cr_split(const char *s, size_t len, struct cr_words *t)
{
	const unsigned char *u = (const unsigned char *)s;
	memset(t, 0, sizeof *t);
	t->buf = malloc(len + 1);
	t->w = malloc((len / 2 + 1) * sizeof *t->w);
	if (!t->buf || !t->w) {
		cr_words_free(t);
		return false;
	}
	size_t out = 0, i = 0;
	bool in = false;
	while (i < len) {
		size_t at = i;
		int32_t cp = cr_decode(u, len, &i);
		if (cp >= 0 && cr_joiner(cp))
			continue;
		if (cp < 0 || !cr_letter(cp)) {
			if (in && u[at] == '*')
				t->w[t->n - 1].prefix = true;
			in = false;
			continue;
		}
		if (!in) {
			t->w[t->n++] = (struct cr_word){out, 0, false};
			in = true;
		}
		size_t k = cr_encode(t->buf + out, cr_fold(cp));
		out += k;
		t->w[t->n - 1].n += k;
	}
	return true;
}

/* Does phrase p match the words of t from position at? */
static bool cr_match_at(const struct cr_words *t, size_t at, const struct cr_words *p)
{
	if (at + p->n > t->n)
		return false;
	for (size_t j = 0; j < p->n; j++) {
		const struct cr_word *a = &t->w[at + j], *b = &p->w[j];
		if (b->prefix ? a->n < b->n : a->n != b->n)
			return false;
		if (memcmp(t->buf + a->off, p->buf + b->off, b->n) != 0)
			return false;
	}
	return true;
}

/* ---- the list ------------------------------------------------------------------ */

struct cr_phrase {
	struct cr_words words;
	const char *line;  /* the phrase as listed */
	size_t linelen;
	bool exception;
};

struct cr_list {
	struct cr_phrase *p;
	size_t n;
};

static void cr_list_free(struct cr_list *L)
{
	for (size_t i = 0; i < L->n; i++)
		cr_words_free(&L->p[i].words);
	free(L->p);
}

static bool cr_list_parse(const char *list, struct cr_list *L)
{
	size_t cap = 0;
	memset(L, 0, sizeof *L);
	for (const char *s = list; *s;) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		const char *line = s;
		s += n + (e ? 1 : 0);
		while (n && (*line == ' ' || *line == '\t'))
			line++, n--;
		while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
			n--;
		if (n == 0 || line[0] == '#')
			continue;
		bool exc = n > 2 && line[0] == '-' && line[1] == ' ';
		if (exc)
			line += 2, n -= 2;
		if (L->n == cap) {
			cap = cap ? cap * 2 : 64;
			struct cr_phrase *p = realloc(L->p, cap * sizeof *p);
			if (!p)
				return false;
			L->p = p;
		}
		struct cr_phrase *p = &L->p[L->n];
		if (!cr_split(line, n, &p->words))
			return false;
		if (p->words.n == 0) {
			cr_words_free(&p->words);
			continue;
		}
		p->line = line;
		p->linelen = n;
		p->exception = exc;
		L->n++;
	}
	return true;
}

/* Is the match [at, at + k) inside an occurrence of an exception? */
static bool cr_excepted(const struct cr_list *L, const struct cr_words *t, size_t at, size_t k)
{
	for (size_t e = 0; e < L->n; e++) {
		const struct cr_words *x = &L->p[e].words;
		if (!L->p[e].exception || x->n < k)
			continue;
		size_t first = at + k > x->n ? at + k - x->n : 0;
		for (size_t j = first; j <= at; j++)
			if (cr_match_at(t, j, x))
				return true;
	}
	return false;
}

bool crisis_detect_with(const char *list, const char *text, size_t len, char *match,
			size_t matchlen)
{
	struct cr_list L;
	struct cr_words t;
	bool found = false;
	if (match && matchlen)
		match[0] = '\0';
	if (!text || !len)
		return false;
	if (!cr_list_parse(list, &L) || !cr_split(text, len, &t)) {
		cr_list_free(&L);
		return false;
	}
	for (size_t i = 0; i < t.n && !found; i++) {
		for (size_t k = 0; k < L.n && !found; k++) {
			const struct cr_phrase *p = &L.p[k];
			if (p->exception || !cr_match_at(&t, i, &p->words) ||
			    cr_excepted(&L, &t, i, p->words.n))
				continue;
			found = true;
			if (match && matchlen)
				snprintf(match, matchlen, "%.*s", (int)p->linelen, p->line);
		}
	}
	cr_words_free(&t);
	cr_list_free(&L);
	return found;
}

bool crisis_detect(const char *text, size_t len, char *match, size_t matchlen)
{
	return crisis_detect_with(crisis_words_builtin, text, len, match, matchlen);
}

/* ---- resources text ------------------------------------------------------------ */

static char *cr_try(const char *dir, const char *rel, char *source, size_t sourcelen)
{
	char path[PATH_MAX];
	uint8_t *data = NULL;
	size_t len = 0;
	if (snprintf(path, sizeof path, "%s/%s", dir, rel) >= (int)sizeof path)
		return NULL;
	if (mv_read_file(path, 64 * 1024, &data, &len, NULL) != MV_OK)
		return NULL;
	if (!mv_utf8_valid(data, len)) { /* the text reaches a terminal */
		free(data);
		return NULL;
	}
	if (source && sourcelen)
		snprintf(source, sourcelen, "%s", path);
	return (char *)data; /* NUL-terminated by mv_read_file */
}

char *crisis_resources(char *source, size_t sourcelen)
{
	char exe[PATH_MAX], *text;
	const char *env = getenv("MV_DATADIR");
	if (env && env[0] && (text = cr_try(env, "crisis.txt", source, sourcelen)))
		return text;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if ((text = cr_try(exe, "assets/crisis.txt", source, sourcelen)) ||
			    (text = cr_try(exe, "../share/mentalverse/crisis.txt", source, sourcelen)))
				return text;
		}
	}
	if ((text = cr_try(MV_DATADIR, "crisis.txt", source, sourcelen)) ||
	    (text = cr_try(".", "assets/crisis.txt", source, sourcelen)))
		return text;
	if (source && sourcelen)
		snprintf(source, sourcelen, "built-in copy");
	return strdup(crisis_text_builtin);
}
