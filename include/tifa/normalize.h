/*
 * normalize: the character-level rules that make two spellings of a formula the same.
 *
 * Owns: the normalization of single code points (full-width ASCII to ASCII, U+3000 to space,
 * ASCII case folding, CJK compatibility ideographs to their unified forms as NFKC does, dropping
 * zero-width characters) and the classification of normalized code points by role (Han, Latin,
 * digit, Chinese numeral, punctuation by role, white space). Must not: know about files,
 * patterns or matching; it is a pure function of the code point.
 *
 * The matcher applies these rules to PATTERNS and folds their inverse into its character-class
 * table (every raw code point that normalizes to a pattern character gets that character's
 * class), so the text itself is never rewritten; the tokenizer (text.h) applies them to text.
 */
#ifndef TIFA_NORMALIZE_H
#define TIFA_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/err.h"

/** Returned by normalize_cp for characters that are dropped (zero-width, soft hyphen). */
#define NORM_DROP 0xFFFFFFFFu

enum char_class {
    CC_OTHER = 0,
    CC_HAN,   /* CJK unified ideographs (all blocks) and normalized compatibility forms */
    CC_LATIN, /* ASCII letters, after case folding */
    CC_DIGIT, /* ASCII digits */
    CC_CNNUM, /* Chinese numerals: 〇一二三四五六七八九十百千万亿两零 (also Han) */
    CC_SENT_END,    /* 。！？!?；; and … */
    CC_ENUM,        /* 、 */
    CC_COMMA,       /* ，, */
    CC_QUOTE_OPEN,  /* “‘「『《 and the ASCII quotes " ' */
    CC_QUOTE_CLOSE, /* ”’」』》 */
    CC_PUNCT,       /* other punctuation: ：:（）()—·. and the like */
    CC_SPACE,       /* horizontal white space (after U+3000 became a space) */
    CC_NEWLINE      /* LF, CR, and the Unicode line/paragraph separators */
};

/**
 * Normalizes one code point: U+FF01..U+FF5E to U+0021..U+007E, U+3000 to U+0020, A-Z to a-z
 * (also after the full-width step), CJK compatibility ideographs to their unified form, and
 * U+200B..U+200D, U+2060, U+FEFF, U+00AD to NORM_DROP. Everything else is returned unchanged.
 */
uint32_t normalize_cp(uint32_t cp);

/** Classifies an already normalized code point. */
enum char_class normalize_class(uint32_t ncp);

/** 1 if the normalized @ncp is a Han character (CC_HAN or CC_CNNUM). */
int normalize_is_han(uint32_t ncp);

/** 1 for white space other than line breaks (tab, space, NBSP, the U+2000 spaces ...). */
int normalize_is_space(uint32_t ncp);

/**
 * 1 for the quotation marks the matcher skips inside a formula, as it skips white space, so that
 * “两弹一星”精神 is 两弹一星精神 and “六稳”“六保” is 六稳六保: the normalized “ ” ‘ ’ 「 」 『 』 "
 * ' (the full-width ＂ ＇ normalize to the ASCII ones). Book-title marks 《》 are not among them:
 * a title is a name, not a quoted formula.
 */
int normalize_is_match_quote(uint32_t ncp);

/**
 * Every raw code point that normalize_cp() maps to @ncp (including @ncp itself when it maps to
 * itself), written to @out (room for @max); returns how many there are (may exceed @max, in
 * which case only @max were written). Example: 'a' -> 'a', 'A', U+FF41, U+FF21.
 */
size_t normalize_preimages(uint32_t ncp, uint32_t *out, size_t max);

/**
 * Normalizes the UTF-8 string @s into code points, as the matcher sees a pattern: each code
 * point through normalize_cp(), dropped ones and quotation marks (normalize_is_match_quote)
 * removed, runs of white space and line breaks
 * removed, except that a run between two ASCII letters or digits becomes one U+0020.
 * Fills @out (room for @max) and returns the number of code points; returns -1 with @e filled
 * ("invalid UTF-8 at byte N") when @s is not valid UTF-8, or -2 when @max is too small.
 */
long normalize_pattern(const char *s, size_t len, uint32_t *out, size_t max, struct tifa_err *e);

#endif
