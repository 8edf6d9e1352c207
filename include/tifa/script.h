/*
 * script: folding traditional-script Chinese to simplified with OpenCC, keeping a map back.
 *
 * Owns: the OpenCC converter handle (struct script_fold), the folded UTF-8 text and the map
 * from every byte of the folded text to the byte of the original text it came from, and the
 * share of traditional-only characters used by --script auto. Must not: read files, decode
 * encodings, normalize, match or report; callers (corpus.c) hand it decoded UTF-8.
 *
 * OpenCC's phrase conversion may change lengths, so one character is not assumed to map to
 * one: the whole text is converted; when the code point counts agree (the usual case for t2s)
 * code points map in order; otherwise each code point is converted on its own, which maps by
 * construction (losing only phrase context on that rare text).
 */
#ifndef TIFA_SCRIPT_H
#define TIFA_SCRIPT_H

#include <stddef.h>

#include "tifa/err.h"

struct script_fold; /* one OpenCC converter; open one per thread */

/** Opens OpenCC's configuration @config ("t2s.json" when NULL; a name or a path). */
int script_fold_open(struct script_fold **out, const char *config, struct tifa_err *err);
void script_fold_close(struct script_fold *f);

struct script_text {
    char *text;    /* folded UTF-8, NUL-terminated */
    size_t len;    /* bytes in text */
    size_t *map;   /* len + 1 entries: map[i] = byte offset in the original of folded byte i */
    size_t folded; /* code points that the fold changed */
};

/** Folds @len bytes of UTF-8 at @s into @out (free with script_text_free). */
int script_fold_text(struct script_fold *f, const char *s, size_t len, struct script_text *out,
                     struct tifa_err *err);
void script_text_free(struct script_text *t);

/**
 * Share (0..1) of the Han characters in the first @sample bytes of @s that the fold changes;
 * 0 when there are none. Cut at a code point border.
 */
double script_trad_share(struct script_fold *f, const char *s, size_t len, size_t sample);

#endif
