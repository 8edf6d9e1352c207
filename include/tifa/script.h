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
 *
 * The share for --script auto is counted per character, from a cache in the converter: each
 * BMP Han character is converted alone once per converter (in one OpenCC call for all the new
 * characters of a sample), so the check costs a table look-up per character once the cache is
 * warm, never an OpenCC pass over the text (OpenCC converts a few MB/s: bench/NOTES.md).
 */
#ifndef TIFA_SCRIPT_H
#define TIFA_SCRIPT_H

#include <stddef.h>

#include "tifa/err.h"

struct script_fold; /* one OpenCC converter; open one per thread */

/** --script: what a run does with the script of each document. */
enum script_mode {
    SCRIPT_AUTO = 0,    /* fold a document when script_trad_share of its sample says so */
    SCRIPT_SIMPLIFIED,  /* the user says the text is simplified: never fold */
    SCRIPT_TRADITIONAL, /* always fold */
    SCRIPT_KEEP         /* never fold, lexicons included */
};

/** Parses a --script value; -1 when it is none of auto, simplified, traditional, keep. */
int script_mode_parse(const char *s);
/** The name of @m as --script spells it. */
const char *script_mode_name(enum script_mode m);

/** The sample --script auto looks at (bytes from the start of a document). */
#define SCRIPT_SAMPLE_BYTES ((size_t)64 << 10)
/** Above this share of traditional-only characters (script_trad_share), auto folds: see
 *  bench/NOTES.md for the measurement over ../shared/corpus/public. */
#define SCRIPT_AUTO_THRESHOLD 0.05
/** The first look of --script auto: a document whose first SCRIPT_GLANCE_BYTES hold Han
 *  characters, none of which the fold changes, is simplified without a look further. */
#define SCRIPT_GLANCE_BYTES ((size_t)4 << 10)

/** Opens OpenCC's configuration @config: NULL is t2s; a name without '/' or ".json" gets
 *  ".json" (OpenCC looks names up in its data folder: "tw2s", "hk2s.json"); a path is used as
 *  it is. Fails with TIFA_EUSAGE ("cannot open OpenCC configuration 'x': ..."). */
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
 * Share (0..1) of the BMP Han characters in the first @sample bytes of @s that the fold
 * changes, each converted alone (cached in @f); 0 when there are none, or when OpenCC fails.
 * Cut at a code point border.
 */
double script_trad_share(struct script_fold *f, const char *s, size_t len, size_t sample);

/**
 * Whether --script auto folds the document that starts with @s (@len bytes): not when its first
 * SCRIPT_GLANCE_BYTES hold Han characters and none the fold changes (most simplified documents:
 * an eighth of the sample read, measured in bench/NOTES.md); else when script_trad_share of
 * its first SCRIPT_SAMPLE_BYTES is above SCRIPT_AUTO_THRESHOLD.
 */
int script_auto_folds(struct script_fold *f, const char *s, size_t len);

#endif
