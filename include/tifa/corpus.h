/*
 * corpus: the driver of the per-document pipeline (source -> decode -> scan -> a consumer) over a
 * list of files, on N threads, delivering each document's result in list order.
 *
 * Owns: the worker threads, per-thread scanners and buffers, the reorder window that makes
 * output independent of which file finishes first, the chunks of big files, and (for consumers
 * that want positions) the window of decoded text that gives every match its line, surface and
 * context. Must not: count, print or pick exit codes: what happens to a match is the consumer's
 * (sink.h); the delivery callback, run on the calling thread, prints.
 *
 * Determinism: results are delivered strictly in index order whatever the thread count; at
 * most CORPUS_WINDOW documents are held waiting, so memory does not grow with the corpus.
 *
 * Large files: with more than one thread, a regular UTF-8 file of 16 MiB or more is scanned in
 * chunks of about 8 MiB on all threads, split only where no match can cross (a paragraph
 * break; U+3002 when no pattern holds it and the consumer wants no positions), so its document
 * is exactly the one a single thread gives: same results (merged in chunk order), chars, han,
 * invalid sequences and first invalid offset. A file without
 * such places, or in another encoding, is counted whole. The hidden environment variable
 * TIFA_CHUNK_BYTES=N (for tests) makes chunks of N bytes and splits files of 2N bytes or more.
 *
 * Script (corpus_opts.script, script.h): a document decided traditional (always with
 * SCRIPT_TRADITIONAL; with SCRIPT_AUTO when the traditional share of its first
 * SCRIPT_SAMPLE_BYTES is above SCRIPT_AUTO_THRESHOLD) is folded to simplified with OpenCC, one
 * converter per thread, piece by piece, before it is scanned; consumers of the text get the
 * folded text. Every position a consumer gets (offsets, lines, columns, surface, context) is
 * in the ORIGINAL decoded text, through the fold's map; chars and han are the folded text's.
 * A big file's chunks all follow the decision made from the file's first bytes.
 *
 * Progress: with corpus_opts.progress set, the driver calls it on the calling thread (never
 * with its lock held) with the files delivered and the input bytes read so far: at the start,
 * then about every CORPUS_PROGRESS_MS while the run lasts (after a delivery, between the
 * pieces the calling thread scans itself, or from a timed wait while it sleeps), not at the
 * end. The one gap: while the calling thread is blocked reading an input (a slow pipe) it
 * calls nothing. Without the hook nothing is counted and no clock is read.
 */
#ifndef TIFA_CORPUS_H
#define TIFA_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/ac.h"
#include "tifa/agg.h"
#include "tifa/lexicon.h"
#include "tifa/pathlist.h"
#include "tifa/sink.h"

/** How far a run has got (corpus_opts.progress). */
struct corpus_progress {
    size_t files_done;   /* documents delivered so far (read, failed or skipped) */
    size_t files_total;  /* the run's file count */
    uint64_t bytes_read; /* input bytes read so far by all threads (before decoding) */
};

/** The progress hook: @p is borrowed for the call. It may print; it must not call back into
 *  the driver. */
typedef void corpus_progress_fn(const struct corpus_progress *p, void *arg);

/** The longest the driver lets pass between two progress calls while it is not blocked. */
#define CORPUS_PROGRESS_MS 200

/** What corpus_run did, for diagnostics (TIFA_DEBUG_TIMING) and tests. */
struct corpus_stats {
    size_t split_files; /* files counted in chunks */
    size_t chunks;      /* chunks of those files */
};

struct corpus_opts {
    const char *encoding;       /* --encoding, NULL = detect (the semantics are the automaton's) */
    unsigned threads;           /* 0 = number of online CPUs */
    size_t head_len;            /* > 0: also keep the first head_len bytes of each decoded text in
                                   corpus_doc.head (cut back to a code-point boundary); `trend`
                                   reads a year from it */
    struct corpus_stats *stats; /* not NULL: filled when corpus_run returns */
    int raw; /* read files that are not text (source.h's SOURCE_NOT_TEXT) as text bytes too */
    const struct resolver *resolver; /* corpus_count: NULL, or the documents are read as
                                        resolve.h says (agg_count_sink) */
    int script;                      /* enum script_mode (script.h): 0 = auto */
    const char *opencc_config;       /* --opencc-config: NULL = t2s (checked by the caller: a
                                        converter that fails to open fails each document) */
    corpus_progress_fn *progress;    /* NULL (no cost), or called as the header says */
    void *progress_arg;
};

/** What the driver knows of a document: its text statistics (all of it, chunks summed). */
struct corpus_doc {
    const char *path;
    char encoding[48];
    const char *format; /* source_info.format: "text", "docx" or "html" (static) */
    const char *script; /* "traditional" (folded), "simplified" (not folded), or "keep"
                           (--script keep) (static) */
    uint64_t bytes, chars, han, invalid;
    unsigned bom_len; /* bytes of a byte-order mark before the decoded text (file offset of
                         decoded byte 0, for UTF-8 without invalid sequences) */
    long long first_invalid_off;
    const char *head; /* corpus_opts.head_len: the start of the decoded text, else NULL */
    size_t head_len;  /* bytes in head (NUL-terminated, ends on a code-point boundary) */
};

/**
 * Called on the calling thread for each file, in input order. On success @doc describes the
 * document (borrowed for the call), @result is what the sink's end() (and merge()) made of it,
 * now owned by the callee, and @err is NULL; on failure @doc and @result are NULL and @err says
 * why (the path is in err->path).
 */
typedef void corpus_deliver_fn(size_t index, const struct corpus_doc *doc, void *result,
                               const struct tifa_err *err, void *arg);

/**
 * Reads, decodes and scans the files of @files (borrowed; "-" is standard input; a file with
 * the flag WALK_SNIFF is not read but delivered as an error with code TIFA_ESKIP, "binary",
 * when its first WALK_SNIFF_LEN bytes hold a NUL) with @ac on corpus_opts.threads threads,
 * handing every match to @sink (sink.h) and each document's result to @fn in input order.
 * @lx gives the canonical terms of SINK_POSITIONS matches. Returns 0 (document errors go to @fn).
 */
int corpus_run(const struct pathlist *files, const struct lexicon *lx, const struct ac *ac,
               const struct corpus_opts *o, const struct sink *sink, corpus_deliver_fn *fn,
               void *arg);

/**
 * Called for each file, in order, by corpus_count. On success @doc is the document's counts and
 * statistics (the callback may keep it by copying; it is released after the call) and @err
 * NULL; on failure @doc is NULL and @err says why (the path is in err->path).
 */
typedef void corpus_doc_fn(size_t index, const struct agg_doc *doc, const struct tifa_err *err,
                           void *arg);

/** corpus_run with the counting consumer (agg_count_sink): per-document counts as agg_docs. */
int corpus_count(const struct pathlist *files, const struct lexicon *lx, const struct ac *ac,
                 const struct corpus_opts *o, corpus_doc_fn *fn, void *arg);

/** corpus_count with another consumer whose results are struct agg_doc (patcount.h). */
int corpus_count_with(const struct pathlist *files, const struct lexicon *lx, const struct ac *ac,
                      const struct corpus_opts *o, const struct sink *sink, corpus_doc_fn *fn,
                      void *arg);

#endif
