/*
 * sink: the seam between the pipeline and what consumes its matches (model: ripgrep's
 * grep-searcher Sink). The driver (corpus.h) reads, decodes and scans the documents on its
 * threads and calls a consumer: begin a document, one call per match, end the document, merge
 * the results of a big file's chunks, and, on the calling thread and in input order, deliver
 * each document's result. Counting is one consumer (agg.h's agg_count_sink); concordance,
 * co-occurrence and discovery are others.
 *
 * Owns: the consumer interface and the match record. Must not: know how documents are read,
 * split or scheduled, or what a consumer does with a match.
 *
 * Threads: a consumer gets one state per thread (thread_init), so match() needs no lock.
 * begin/match/end run on a worker thread, deliver on the calling thread, in input order.
 *
 * Results: end() returns the result of the document (or of one chunk of a big file): any
 * pointer the consumer allocates, owned by the driver until it is passed to deliver() (or to
 * discard() when the document failed). The chunks of a big file are merged in chunk order,
 * whichever thread finished them: merge(ts, into, next, shift) folds the result of chunk k + 1
 * into the merged result of chunks 0..k; @shift says where chunk k + 1 starts in the whole
 * document (decoded bytes and lines before it), because a chunk's matches are numbered from
 * its own start. Merging in order makes positions and match order the same whatever -j is.
 *
 * Positions: a consumer without SINK_POSITIONS gets label_id and pattern_id only (off, len,
 * line are 0, text pointers NULL), or batches of pattern ids (match_ids): the scanner then runs
 * its fastest loop, which reports the matches of a piece out of text order. With SINK_POSITIONS
 * every match carries its byte offset and length in the document's decoded UTF-8 text, its line,
 * its surface text as written, and up to context_bytes of text on each side within its paragraph (a
 * blank line ends a paragraph); matches come in text order (by start; by end when overlapping), and
 * the context is whole also when a match stands at a 1 MiB piece border of a big file. A big file
 * is then cut into chunks only at paragraph breaks, so no context is ever cut by a chunk border.
 *
 * Text: a consumer that matches on the text itself (pcre2 patterns, discovery) sets text() and
 * gets every decoded piece; it may set no match callback at all.
 */
#ifndef TIFA_SINK_H
#define TIFA_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/lexicon.h"

/* The largest context a consumer may ask for on each side of a match (bytes). */
#define SINK_CONTEXT_MAX 4096

enum sink_flags {
    SINK_POSITIONS = 1 << 0, /* offsets, lines, surface and context with every match */
    SINK_BLOCKED = 1 << 1,   /* with SINK_POSITIONS: also the matches of blockers (a lexicon's
                                not_within strings), with sink_match.blocker set; without it
                                they are never handed over */
    SINK_OWN_SCAN = 1 << 2   /* without SINK_POSITIONS: the consumer finds the matches itself in
                                what text() gives it (count --expansions: one scan for counting
                                and reading) and reports the text statistics (text_stats); the
                                driver runs no scan and calls no match callback */
};

/** The document (or chunk of one) being scanned. */
struct sink_doc {
    size_t index; /* position in the input list */
    const char *path;
    size_t chunk; /* 0 for a whole file, k for the k-th chunk of a big one */
    int part;     /* 1 for every chunk of a file read in chunks (chunk 0 included) */
};

/** One match. Pointers are borrowed for the call only. */
struct sink_match {
    size_t doc_index;
    uint32_t label_id;   /* the canonical term (lexicon label id) */
    uint32_t pattern_id; /* the lexicon pattern (term or alias) that matched */
    /* with SINK_POSITIONS only: */
    const char *term;              /* the canonical term as the lexicon writes it */
    const struct lex_entry *entry; /* its lexicon entry (the first sense of the label) */
    const char *blocker;           /* SINK_BLOCKED: the not_within string that matched here and
                                      hid @term; NULL for a counted match */
    uint64_t off, len;             /* bytes in the decoded UTF-8 text (of the chunk, see merge) */
    uint64_t line;                 /* 1-based line of the match's first character (LF, CR LF and CR
                                      each end a line) */
    uint64_t column;               /* 1-based: code points from the start of that line */
    const char *surface;           /* the match as written: len bytes, line breaks and all */
    const char *before;            /* up to context_bytes before the match, within its paragraph */
    size_t before_len;
    const char *after; /* up to context_bytes after it, within its paragraph */
    size_t after_len;
};

/** Where a chunk starts in its document: what merge() adds to the chunk's positions. */
struct sink_shift {
    uint64_t off;   /* decoded bytes before the chunk */
    uint64_t lines; /* line breaks before the chunk */
    uint64_t cols;  /* code points between the last line break before the chunk and its start:
                       what a match on the chunk's first line adds to its column */
};

struct sink {
    unsigned flags;              /* enum sink_flags */
    size_t context_bytes;        /* with SINK_POSITIONS: context wanted each side (clamped to
                                    SINK_CONTEXT_MAX) */
    const unsigned char *labels; /* with SINK_POSITIONS: NULL, or per label id 1 for the terms
                                    whose matches the consumer wants; the driver spends nothing
                                    on the others (they still take part in matching) */
    void *arg;                   /* the consumer's own, given to thread_init and deliver */

    /** Per-thread state; the driver calls it once per thread it runs. */
    void *(*thread_init)(void *arg);
    void (*thread_release)(void *ts);
    /** A document or chunk begins. */
    void (*begin)(void *ts, const struct sink_doc *d);
    /** One match (see struct sink_match for what is set). */
    void (*match)(void *ts, const struct sink_match *m);
    /** Without SINK_POSITIONS, when set, instead of match(): the lexicon pattern ids (indices
     *  into lexicon.patterns, whose label_id is the term) of @n matches at once, from the
     *  scanner's own buffer. Counting uses it: a match costs the scanner a store and the
     *  consumer an increment, with no call per match. */
    void (*match_ids)(void *ts, const uint32_t *pattern_ids, size_t n);
    /** When set: the decoded UTF-8 text of the document or chunk, piece by piece in order,
     *  each piece before the matches in it (pieces end on code-point boundaries; a byte-order
     *  mark is not part of the text). A consumer that needs the whole text keeps it itself.
     *  The chunks of a big file are then cut at paragraph breaks only (never at U+3002), so
     *  a consumer that looks at one paragraph at a time sees the same paragraphs whatever -j
     *  is. Pattern counting and discovery use it. */
    void (*text)(void *ts, const char *utf8, size_t len);
    /** With SINK_OWN_SCAN, after end(): the characters and Han characters of the document or
     *  chunk, as the driver's scan would have counted them (ac.h's text statistics). */
    void (*text_stats)(void *ts, uint64_t *chars, uint64_t *han);
    /** The document or chunk ended; returns its result (may be NULL). */
    void *(*end)(void *ts, const struct sink_doc *d);
    /** Folds @next (the following chunk's result) into @into and frees @next. */
    void (*merge)(void *ts, void *into, void *next, const struct sink_shift *shift);
    /** Frees a result that will not be delivered (a read error part-way, a failed chunk). */
    void (*discard)(void *result);
    /** When set: called on the calling thread with @arg, once for each document's result
     *  after its chunks are merged and before it is delivered: the document-wide step of a
     *  consumer whose chunks cannot decide alone (resolve.h's nearest cue in the document). */
    void (*finish)(void *arg, void *result);
};

#endif
