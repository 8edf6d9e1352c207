/*
 * corpus: the whole per-document pipeline (source -> decode -> scan -> tally) over a list of
 * files, on N threads, delivering results in list order.
 *
 * Owns: the worker threads, per-thread scanners and buffers, and the reorder window that makes
 * output independent of which file finishes first. Must not: print or pick exit codes (the
 * delivery callback, run on the calling thread, does that).
 *
 * Determinism: results are delivered strictly in index order whatever the thread count; at
 * most CORPUS_WINDOW documents are held waiting, so memory does not grow with the corpus.
 *
 * Large files: with more than one thread, a regular UTF-8 file of 16 MiB or more is counted in
 * chunks of about 8 MiB on all threads, split only where no match can cross (a paragraph
 * break; U+3002 when no pattern holds it), so its document is exactly the one a single thread
 * gives: same counts, chars, han, invalid sequences and first invalid offset. A file without
 * such places, or in another encoding, is counted whole. The hidden environment variable
 * TIFA_CHUNK_BYTES=N (for tests) makes chunks of N bytes and splits files of 2N bytes or more.
 */
#ifndef TIFA_CORPUS_H
#define TIFA_CORPUS_H

#include <stddef.h>

#include "tifa/ac.h"
#include "tifa/agg.h"
#include "tifa/lexicon.h"

/** What corpus_count did, for diagnostics (TIFA_DEBUG_TIMING) and tests. */
struct corpus_stats {
    size_t split_files; /* files counted in chunks */
    size_t chunks;      /* chunks of those files */
};

struct corpus_opts {
    const char *encoding; /* --encoding, NULL = detect (the semantics are the automaton's) */
    unsigned threads;           /* 0 = number of online CPUs */
    size_t head_len;            /* > 0: also keep the first head_len bytes of each decoded text in
                                   agg_doc.head (cut back to a code-point boundary); `trend` reads
                                   a year from it */
    struct corpus_stats *stats; /* not NULL: filled when corpus_count returns */
    const unsigned char *sniff; /* NULL, or per file 1 to apply walk.h's binary rule
                                   (walk_file.sniff): such a file is not counted but given to
                                   the callback as an error with code TIFA_ESKIP, "binary" */
};

/**
 * Called on the calling thread for each file, in order. On success @doc is the document's
 * result (the callback may keep it by copying; it is released after the call) and @err NULL;
 * on failure @doc is NULL and @err says why (the path is in err->path).
 */
typedef void corpus_doc_fn(size_t index, const struct agg_doc *doc, const struct tifa_err *err,
                           void *arg);

/** Counts @nfiles files; returns 0 (document errors go to @fn, not to the return value). */
int corpus_count(const char *const *paths, size_t nfiles, const struct lexicon *lx,
                 const struct ac *ac, const struct corpus_opts *o, corpus_doc_fn *fn, void *arg);

/** Builds the automaton for every term and alias of @lx (label ids as term ids), for @mode. */
int corpus_build_ac(const struct lexicon *lx, enum ac_mode mode, struct ac **out,
                    struct tifa_err *e);

#endif
