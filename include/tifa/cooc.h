/*
 * cooc: co-occurrence of lexicon terms: which terms stand together in the same sentence,
 * paragraph or document, and how much more (or less) often than chance would have it.
 *
 * Owns: the co-occurrence consumer of the pipeline (cooc_sink: sink.h), the windows (a match's
 * sentence, paragraph or document), the table of windows and pairs summed over documents, and
 * the pair scores (PMI and G²). Must not: read files, print, or pick exit codes (report_cooc
 * prints, cmd_cooc wires).
 *
 * Units: everything is counted in WINDOWS, not occurrences. N is the number of windows read
 * (sentences, paragraphs, or documents); a term's count n_a is the number of windows holding it
 * at least once; a pair's joint count n_ab the number of windows holding both. A window with a
 * term three times counts once. Occurrences are kept too (cooc_table.occ), for reference.
 *
 * Scores of a pair (a, b), from the 2×2 table of windows
 *         |  a     not a
 *     b   |  n_ab        n_b − n_ab
 *   not b |  n_a − n_ab  N − n_a − n_b + n_ab
 *   PMI = log2(n_ab × N / (n_a × n_b))  (0: as often together as chance would have it; < 0:
 *         less often);
 *   G²  = stats_g2(n_ab, n_b − n_ab, n_a, N − n_a) (stats.h: the same four-cell log-likelihood
 *         as diff, columns "a" and "not a"); G² ≥ 0 carries no direction: PMI gives it.
 *
 * Windows, by the rules of text.h (text_boundaries): a sentence ends after 。！？!?；; or …
 * with any closing quotes after it, and at every paragraph break; a paragraph ends at a blank
 * line (boundary.h); a document is one window. A match belongs to the window its first byte
 * is in. N counts every window of the text, those without a term too (a document of three
 * sentences, one of them with a term, gives N = 3).
 *
 * The cheapest correct way to know the windows: the consumer asks for positions (each match's
 * byte offset) and the decoded text (sink.text), keeps the text of the document (or chunk) and,
 * at its end, finds the sentence or paragraph starts in one text_boundaries pass (the common
 * Han characters skipped three bytes at a time; text_paragraphs_fast for paragraphs), then
 * places each match by binary search. The match contexts would not do: they stop at
 * SINK_CONTEXT_MAX bytes, and a paragraph can be longer. Document windows need neither offsets
 * nor text. Memory: the text of the largest document or chunk (about 8 MiB) per thread.
 *
 * Labels: a match counts under its label, as count counts it: with a resolver (the lexicon has
 * abbreviations or senses with cues, resolve.h), an abbreviation a cue resolves counts under
 * its entry's label, an unresolved one under the short form. The resolver keeps the text (the
 * consumer then keeps none of its own), and the sets wait for the document-wide step
 * (sink.finish, after the chunks are merged); document windows then need offsets and text too.
 *
 * Chunks of a big file are cut at paragraph breaks (sink.h, with positions or text), so no
 * sentence or paragraph window spans two chunks; a document window does: merge() joins the
 * label sets of its chunks. Results are merged in chunk order and added to the table in input
 * order (the driver's deliver), so the table is the same whatever -j is.
 */
#ifndef TIFA_COOC_H
#define TIFA_COOC_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/lexicon.h"
#include "tifa/resolve.h"
#include "tifa/sink.h"
#include "tifa/strmap.h"

enum cooc_window { COOC_SENTENCE = 0, COOC_PARAGRAPH, COOC_DOCUMENT };

/** Parses a --window value (sentence, paragraph, document); returns 0, or -1 when unknown. */
int cooc_window_parse(const char *s, enum cooc_window *out);
/** The name of @w as --window spells it ("sentence", ...). */
const char *cooc_window_name(enum cooc_window w);

struct cooc_opts {
    enum cooc_window window;
    const struct lexicon *lx;        /* borrowed for the run */
    const struct resolver *resolver; /* NULL, or abbreviations are read as count reads them
                                        (resolve.h): an occurrence a cue resolved counts under
                                        its entry's label */
};

/* A match placed in its window (window index and byte offset in its document). */
struct cooc_placed {
    uint64_t window;
    uint64_t off;
    uint32_t label;
};

/* One term in one window: its label and how many times it occurs there. */
struct cooc_item {
    uint32_t label;
    uint64_t n;
};

/*
 * A document's windows (the sink's result, or one chunk's): how many windows the text has, and
 * the label sets of those holding at least one term, each set sorted by label id without
 * repeats; set k is items[set_end[k - 1] .. set_end[k]) (set_end[-1] = 0).
 */
struct cooc_doc {
    uint64_t nwindows;
    struct cooc_item *items;
    size_t nitems, items_alloc;
    size_t *set_end;
    size_t nsets, sets_alloc;
    /* with a resolver, until the document-wide step (sink.finish): the matches in their
     * windows, and the reading; no sets yet */
    struct cooc_placed *raw;
    size_t nraw, raw_alloc;
    struct reading *reading;
};

/** Makes @s the co-occurrence consumer for @o (borrowed for the run). Results are struct
 *  cooc_doc *, one per document; free them with cooc_doc_free. */
void cooc_sink(struct sink *s, const struct cooc_opts *o);

void cooc_doc_free(struct cooc_doc *d);

/**
 * Fills @d (emptied first) with the windows of @text (@len bytes of valid UTF-8) for the
 * matches at byte offsets @off with labels @label (@n of them, in any order): the sink's end
 * step, exposed for tests. @window must not be COOC_DOCUMENT (the whole text is then one
 * window, whatever the offsets).
 *
 *     text "甲乙。丙\n\n丁", matches 甲@0 乙@3 丙@9 丁@14, COOC_SENTENCE:
 *     nwindows 3, sets {甲, 乙}, {丙}, {丁}
 */
void cooc_doc_windows(struct cooc_doc *d, enum cooc_window window, const char *text, size_t len,
                      const uint64_t *off, const uint32_t *label, size_t n);

/* A pair of terms seen together: a before b in the lexicon's byte order of terms (rank). */
struct cooc_pair {
    uint32_t a, b;
    uint64_t joint; /* windows holding both */
};

/*
 * The counts summed over documents. Lifetime: the command's; cooc_table_release frees it.
 */
struct cooc_table {
    const struct lexicon *lx; /* borrowed */
    uint64_t nwindows;        /* N */
    uint64_t documents;
    uint64_t *windows; /* per label: windows holding it (n_a) */
    uint64_t *occ;     /* per label: occurrences */
    struct cooc_pair *pairs;
    size_t npairs, pairs_alloc;
    struct strmap index; /* (a, b) as 8 bytes -> index in pairs */
};

void cooc_table_init(struct cooc_table *t, const struct lexicon *lx);
void cooc_table_release(struct cooc_table *t);
/** Adds one document's windows (@d is only read) to @t: N, each term's windows and
 *  occurrences, and for every window each pair of the terms in it. */
void cooc_table_add(struct cooc_table *t, const struct cooc_doc *d);

/* A pair as reported. */
struct cooc_row {
    uint32_t a, b;             /* label ids */
    uint64_t joint;            /* n_ab */
    uint64_t count_a, count_b; /* n_a, n_b: windows */
    uint64_t occ_a, occ_b;     /* occurrences */
    double pmi, g2;
};

/** PMI and G² of a pair (see the top of this file); PMI is -INFINITY when @joint is 0 and 0
 *  when any of n_a, n_b, N is 0. */
double cooc_pmi(uint64_t joint, uint64_t na, uint64_t nb, uint64_t n);
double cooc_g2(uint64_t joint, uint64_t na, uint64_t nb, uint64_t n);

/**
 * The pairs of @t seen together in at least @min_count windows (0 counts as 1), scored and
 * sorted by G² (highest first), then by the terms' byte order (a, then b). Returns their
 * number; *@rows is allocated (free it; NULL when there are none).
 */
size_t cooc_rows(const struct cooc_table *t, uint64_t min_count, struct cooc_row **rows);

#endif
