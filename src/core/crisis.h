/* crisis.h - crisis words in what people type, and the crisis resources
 * text. Pure functions over text: no store, no terminal.
 *
 * The word list is data (assets/crisis_words.txt, built into the binary):
 * phrases of whole words compared without regard to case (ASCII, Latin-1,
 * Latin Extended-A, Greek and Cyrillic letters), apostrophes or
 * punctuation; a word ending in '*' matches by prefix; a line "- PHRASE" is
 * an exception inside which a match does not count. Invalid UTF-8 never
 * reads out of bounds: a bad byte separates words.
 *
 * The resources text is crisis.txt from $MV_DATADIR, next to the binary
 * (assets/ or ../share/mentalverse/), the installed data directory or
 * ./assets, so it can be localised without a rebuild; a copy of
 * assets/crisis.txt built into the binary is used when none can be read. */
#ifndef MV_CRISIS_H
#define MV_CRISIS_H

#include <stdbool.h>
#include <stddef.h>

/* The built-in list (assets/crisis_words.txt). */
const char *crisis_word_list(void);

/* True if text (len bytes, need not be NUL-terminated) holds a phrase of
 * the built-in list outside its exceptions. match (may be NULL) receives
 * the phrase as listed. */
bool crisis_detect(const char *text, size_t len, char *match, size_t matchlen);

/* The same with another list in the format of assets/crisis_words.txt
 * (tests). */
bool crisis_detect_with(const char *list, const char *text, size_t len, char *match,
			size_t matchlen);

/* The crisis resources text (see the top comment): malloc'd, NUL-terminated,
 * caller frees; NULL only if memory ran out. source (may be NULL) receives
 * the file read, or "built-in copy". */
char *crisis_resources(char *source, size_t sourcelen);

#endif
