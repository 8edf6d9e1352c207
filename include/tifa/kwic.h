/*
 * kwic: the concordance: every match of the chosen terms with its place and its context, as
 * records, and the orders and samples a reader asks of them (AntConc's KWIC, quanteda's kwic()).
 *
 * Owns: the concordance consumer of the pipeline (kwic_sink: sink.h with positions), the
 * cutting of a context to a display width or to its sentence, the record and its text, the
 * sort orders (path, left and right read outward from the match, term), and the seeded
 * reservoir sample. Must not: read files, print, or pick exit codes (report_kwic prints,
 * cmd_kwic wires).
 *
 * A record's text is one allocation: left context, match as written, right context, in that
 * order; with sentences, left and right are the parts of the match's sentence before and after
 * it, so the sentence is the three together. Offsets, line and column are those of the decoded
 * text (sink.h); the reporter turns the offset into a file offset where it can.
 *
 * Width: a context is cut at whole characters to at most kwic_opts.width display columns (a Han
 * character or an emoji is two, a combining mark zero, a line break — shown as ⏎ — and every
 * other control character one; CR LF is one line break), never across a paragraph break (the
 * sink already stops there).
 *
 * Sentence: from just after the last sentence end (。！？!?；; or …, with any closing quotes or
 * brackets after it) before the match to the first one after it, inclusive, within the
 * paragraph and within SINK_CONTEXT_MAX bytes each side; white space at either end is left out.
 */
#ifndef TIFA_KWIC_H
#define TIFA_KWIC_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/lexicon.h"
#include "tifa/resolve.h"
#include "tifa/sink.h"

struct kwic_opts {
    unsigned width;                  /* display columns of context on each side */
    int sentence;                    /* the match's sentence instead of a window */
    const unsigned char *labels;     /* NULL, or per label id 1 for the terms to show */
    int blocked;                     /* also the occurrences a not_within string hid (sink.h's
                                        SINK_BLOCKED), with kwic_rec.blocker set */
    const struct resolver *resolver; /* NULL, or senses and abbreviations are read as count
                                        reads them (resolve.h): kwic_rec.label_id becomes the
                                        label the occurrence counts under, and sense is set */
    const unsigned char *asked;      /* with a resolver and @labels: the labels asked for; a
                                        record is kept when its label as written or the label
                                        it counts under was asked (an unresolved abbreviation
                                        of an asked term is dropped) */
    int expansions;                  /* with a resolver built for expansions with spans: also a
                                        record per full expansion (kwic_rec.expansion) */
};

/* A component inside an expansion record's match: bytes [at, at + len) of the match. */
struct kwic_comp {
    uint32_t at, len;
    uint32_t index; /* which component of the entry */
};

struct kwic_rec {
    size_t doc;      /* the document's input index */
    uint64_t seq;    /* the record's place among all records in input and text order (set by
                        kwic_list_add) */
    uint64_t off;    /* decoded bytes before the match */
    uint64_t line;   /* 1-based */
    uint64_t column; /* 1-based, code points */
    uint32_t label_id;
    uint32_t left_len, match_len, right_len;
    char *text;          /* left, match, right (see above); NUL-terminated after right */
    const char *blocker; /* NULL, or the not_within string that hid the term here (the match is
                            the blocker's text; run lifetime, the lexicon's) */
    uint32_t sense;      /* KWIC_NO_SENSE for a label of one entry; else the entry index, or
                            RESOLVE_UNRESOLVED */
    /* an expansion (kwic_opts.expansions): the sentence that spells out entry @sense, with the
     * match running from its first component to the end of its last, left and right the rest
     * of the sentence (whatever the width), and where each component stands in the match */
    int expansion;
    struct kwic_comp *comps;
    uint32_t ncomps;
};

#define KWIC_NO_SENSE (UINT32_MAX - 2)

/* A growable list of records: one document's (the sink's result) or the command's buffer. */
struct kwic_list {
    struct kwic_rec *v;
    size_t n, alloc;
    struct reading *reading; /* with a resolver, until the finish step */
};

/** Makes @s the concordance consumer for @o (borrowed for the run): positions, the labels of
 *  @o, context bytes enough for the width (or the sentence). Results are struct kwic_list *,
 *  one a document, records in text order; free with kwic_list_free. */
void kwic_sink(struct sink *s, const struct kwic_opts *o);

void kwic_list_free(struct kwic_list *l);
/** Frees what record @r holds (its text, its components). */
void kwic_rec_release(struct kwic_rec *r);
/** Frees the records' texts and empties @l, keeping its array. */
void kwic_list_clear(struct kwic_list *l);

/**
 * Cuts @before (@blen bytes, valid UTF-8) to its longest suffix of at most @cols display
 * columns and returns that suffix's start offset; kwic_cut_right is the same for the longest
 * prefix of @after, returning its length. Whole characters, CR LF kept together.
 */
size_t kwic_cut_left(const char *before, size_t blen, unsigned cols);
size_t kwic_cut_right(const char *after, size_t alen, unsigned cols);

/** The sentence around a match: the offset in @before where it starts, and the length of
 *  @after up to its end (see above). */
size_t kwic_sentence_left(const char *before, size_t blen);
size_t kwic_sentence_right(const char *after, size_t alen);

/** Display columns of @s[0..len) as the table shows it (see Width above). */
size_t kwic_cols(const char *s, size_t len);

enum kwic_sort { KWIC_SORT_PATH = 0, KWIC_SORT_LEFT, KWIC_SORT_RIGHT, KWIC_SORT_TERM };

/** Parses a --sort value (path, left, right, term); -1 when unknown. */
int kwic_sort_parse(const char *s, enum kwic_sort *out);

/** Sorts @l by @key; ties keep input and text order (seq). Term order is the label's rank. */
void kwic_list_sort(struct kwic_list *l, enum kwic_sort key, const struct lexicon *lx);

/*
 * A uniform sample of @size records over everything offered, in the order offered (Vitter's
 * algorithm R with a splitmix64 generator seeded by @seed): the same records for the same
 * seed and input, whatever the thread count, since records are offered in input order.
 */
struct kwic_sample {
    struct kwic_list kept;
    size_t size;
    uint64_t seen;
    uint64_t rng;
};

void kwic_sample_init(struct kwic_sample *s, size_t size, uint64_t seed);
/** Offers record @r (taken: its text is kept or freed). */
void kwic_sample_offer(struct kwic_sample *s, struct kwic_rec *r);
/** The kept records in input and text order, moved to @out (appended). */
void kwic_sample_take(struct kwic_sample *s, struct kwic_list *out);

#endif
