/*
 * ngram: maximal repeated character sequences across documents, on a suffix array (discover's
 * third kind of candidate).
 *
 * Owns: the text to mine (documents concatenated, each followed by '\n'), the suffix array
 * (libdivsufsort), the LCP array, and the bottom-up walk over LCP intervals that yields the
 * candidates. Must not: read files, normalize text (the caller hands in text_normalize()d text
 * with '\n' where no repeat may cross), or rank candidates for the user.
 *
 * A candidate is a string s of min_chars..max_chars content characters (punctuation inside it
 * is not counted: 政治判断力、政治领悟力、政治执行力 has 15) that
 *  - crosses no '\n' (a segment end: a sentence end, a paragraph break, a document end);
 *  - starts and ends with a content character (Han, ASCII letter or digit) that is not one of
 *    opts.trim: punctuation such as 、 and ， (and those characters) may stand inside it, not
 *    at its ends;
 *  - occurs at least twice (it recurs), in at least min_docs documents;
 *  - is maximal: no longer string bounded by content characters contains it with the same
 *    number of occurrences. Concretely, s is an LCP interval's string (its occurrences are not
 *    all followed by the same character) that is left-maximal (not all preceded by the same
 *    character, or one at a segment start), with punctuation at either end trimmed off: an
 *    interval's string that ends in "、" stands for the string before it (a trimmed string that
 *    is also an interval's own string keeps the larger count). So 政治判断力、政治领悟力、
 *    政治执行力 always followed by "，" is reported without the comma; and a repeated
 *    30-character sentence yields nothing: its 16-character windows are not maximal, and it is
 *    too long.
 * Counts count every occurrence, overlapping ones too (as count --overlapping would).
 *
 * Memory (stated bound, measured in ngram_stats.peak_bytes): the text (1 byte per byte), the
 * suffix array (4), the Φ/PLCP array (4, freed once the LCP array is built) and the LCP array
 * (1: values are capped at 255 bytes; every node shallower than that, which includes every
 * reportable one, is exact): at most 10 bytes per byte of text, plus the stack of the walk
 * and 4 bytes per document. Text of 2 GiB or more is refused (32-bit suffix array).
 */
#ifndef TIFA_NGRAM_H
#define TIFA_NGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/err.h"
#include "tifa/sbuf.h"

/* The text to mine: documents concatenated, each followed by '\n'. */
struct ngram_text {
    struct sbuf text;
    uint64_t *doc_end; /* per document: offset just past its text (before its '\n') */
    size_t ndocs, docs_alloc;
};

void ngram_text_init(struct ngram_text *t);
void ngram_text_release(struct ngram_text *t);
/** Appends one document: @norm is valid UTF-8 in which '\n' ends a segment. */
void ngram_text_add_doc(struct ngram_text *t, const char *norm, size_t len);

struct ngram_opts {
    size_t min_chars, max_chars; /* content characters: 4, 16 */
    uint32_t min_docs;           /* at least 1 */
    const char *trim;            /* NULL, or characters (UTF-8) that may stand inside a candidate
                                    but not at its ends, trimmed as punctuation is (particles:
                                    的了和 ...) */
    double absorb_share;         /* 0: exact maximality; else also drop a candidate that stands
                                    at the start or end of a longer candidate used at least this
                                    share as often (讯央视网 2,183 times at the end of
                                    联播快讯央视网, 2,182 times) */
};

#define NGRAM_FIRST_DOCS 3

struct ngram_cand {
    uint64_t off;   /* its first occurrence (smallest offset) in ngram_text.text */
    uint32_t len;   /* bytes */
    uint32_t chars; /* code points (punctuation included) */
    uint64_t count; /* occurrences */
    uint32_t docs;  /* distinct documents */
    uint32_t first_docs[NGRAM_FIRST_DOCS]; /* the lowest document indices it occurs in */
    uint32_t nfirst;
};

struct ngram_stats {
    uint64_t text_bytes;
    uint64_t peak_bytes; /* the most the miner held at once: text and arrays */
    double sort_ms, lcp_ms, scan_ms, absorb_ms;
};

/**
 * Mines @t. Candidates come in the order of the walk over the suffix array: the same for the
 * same text, not ranked (the caller ranks). Returns 0 and sets *@out (caller frees) and *@n, or
 * TIFA_ELIMIT (text too large) with @e filled.
 */
int ngram_mine(const struct ngram_text *t, const struct ngram_opts *o, struct ngram_cand **out,
               size_t *n, struct ngram_stats *st, struct tifa_err *e);

#endif
