/*
 * source: reading one input (a file or standard input) as a stream of UTF-8 pieces.
 *
 * Owns: open/read, the read buffer, the detection sample (the first 1 MiB), and driving the
 * decoder (encoding.h) piece by piece, so a file is never held in memory whole: memory is
 * bounded by the piece size whatever the file size. Must not: interpret the text (the caller's
 * callback does), print, or decide exit codes.
 *
 * A file that grows or shrinks while being read is read up to the end-of-file met by read(2);
 * no mapping is used, so a truncated file cannot raise SIGBUS.
 *
 * Chunks: a large UTF-8 file can instead be planned as chunks (source_read_or_split) that are
 * read and decoded independently (source_read_chunk), on different threads, each with pread(2)
 * into the same bounded buffers. A border is only placed where no match can run across it
 * (see source_split_opts), so scanning each chunk from a reset scanner and summing gives
 * exactly the counts of one scan of the whole file. Chunk borders never cut a UTF-8 sequence,
 * so decoding per chunk replaces the same invalid sequences, at the same file offsets.
 */
#ifndef TIFA_SOURCE_H
#define TIFA_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/err.h"
#include "tifa/sbuf.h"

/** Receives each decoded piece: valid UTF-8 ending on a code-point boundary. */
typedef void source_piece_fn(const char *utf8, size_t len, void *arg);

struct source_info {
    char encoding[48];           /* the encoding the input was read as */
    uint64_t bytes;              /* bytes read from the input, BOM included */
    unsigned bom_len;            /* bytes of the byte-order mark the decoded text leaves out */
    uint64_t invalid;            /* invalid sequences replaced by U+FFFD */
    long long first_invalid_off; /* input byte offset of the first one, -1 when none */
    const char *not_text;        /* SOURCE_NOT_TEXT: what the file is ("pdf", "doc", "archive",
                                    "image"; static), else NULL */
    const char *format;          /* what it was read as: "text", "docx" or "html" (static) */
};

/** Per-thread reusable buffers (document lifetime contents, thread lifetime memory). */
struct source_buf {
    unsigned char *in;
    size_t in_alloc;
    struct sbuf out;
    unsigned char *aux; /* SOURCE_SPLIT_STEP bytes for the split-point search, when used */
    uint64_t bytes_read; /* input bytes of documents and chunks read into it since init (not
                            the split-point search's): it grows before each piece is passed
                            on, so a piece callback can follow a read's progress */
    struct sbuf dir;     /* the folder of the file opened last, and a descriptor of it (-1:
                            none): the next file of the same folder is opened relative to it */
    int dir_fd;
};

void source_buf_init(struct source_buf *b);
void source_buf_release(struct source_buf *b);

/**
 * Reads @path ("-" = standard input), decoding with @force_encoding when not NULL, else with the
 * detected encoding, and calls @fn for every decoded piece. Returns 0, or TIFA_EIO with @e
 * naming the path and the system error ("cannot open: ...", "read error at byte N: ..."); the
 * caller must then discard what @fn received. An unknown @force_encoding gives TIFA_EUSAGE.
 */
int source_read(const char *path, const char *force_encoding, struct source_buf *b,
                source_piece_fn *fn, void *arg, struct source_info *info, struct tifa_err *e);

/*
 * Where a file may be split. A border B is a SPLIT POINT when the text before it ends in
 *  - a paragraph break (boundary.h's rule, here over runs of ASCII white space: space, tab, CR,
 *    LF), preceded by a non-blank byte, with B at the first byte after the run. The scanner
 *    ends every match at such a break and white space after it only continues the break;
 *  - or, when @split_after_stop is set, the ideographic full stop U+3002 (E3 80 82), with B just
 *    after it. The matching layer decides this (matcher_stop_ends_matches): no match contains
 *    the character, so the automaton is back in its start state after it with nothing pending,
 *    exactly as a reset scanner would be.
 * The first split point after last border + chunk_bytes is searched for within search_bytes;
 * if there is none, no border is placed there and the search goes on from the end of that
 * window + chunk_bytes (so a file without split points is read once more at most in windows
 * of search_bytes per chunk_bytes, and becomes fewer, longer chunks, or one).
 */
struct source_split_opts {
    unsigned long long min_bytes;    /* regular files smaller than this are read whole */
    unsigned long long chunk_bytes;  /* nominal chunk length (> 0) */
    unsigned long long search_bytes; /* how far past a nominal border to look (> 0) */
    int split_after_stop;            /* U+3002 may end a chunk (see above) */
};

/* Bytes of each read of the split-point search (source_buf.aux). */
#define SOURCE_SPLIT_STEP ((size_t)64 << 10)

/** A planned file: open, with its chunk borders. Owned by the caller (source_chunks_release). */
struct source_chunks {
    int fd;
    char encoding[48];       /* as source_info.encoding would say */
    unsigned long long *off; /* nchunks + 1 file offsets: off[0] = BOM length, off[k] the
                                start of chunk k; the last chunk runs to end-of-file */
    size_t nchunks;          /* >= 2 */
};

/* source_read_or_split() found a NUL byte where it was asked to sniff: the file was not read. */
#define SOURCE_BINARY 2
/* source_read_or_split() recognised a file that is not text by its first bytes (a PDF, a legacy
 * Office file, an archive, an image): not read; source_info.not_text says which. */
#define SOURCE_NOT_TEXT 3

/**
 * What a user can do about a file of kind @not_text (source_info.not_text): one line without
 * the path ("PDF is not read; extract its text first (for example with pdftotext)").
 */
const char *source_not_text_advice(const char *not_text);

/**
 * Like source_read(), but with @split not NULL a regular file of at least split->min_bytes
 * whose encoding is UTF-8 (detected from the first 1 MiB, or forced as UTF-8) and that has at
 * least one split point is not read: @c is filled (file left open) and 1 is returned, and @fn
 * was not called. With @sniff_len > 0, a file whose first @sniff_len bytes hold a NUL byte is
 * not read either: SOURCE_BINARY is returned (walk_file.sniff: the binary rule of walk.h).
 * Unless @raw, a file whose first bytes are the signature of a PDF, a legacy Office file
 * (OLE2), an archive (ZIP, which a .docx is, gzip, bzip2, xz, 7z, RAR) or an image (PNG, JPEG,
 * GIF, TIFF, WebP) is not read: SOURCE_NOT_TEXT, with info->not_text. A UTF-16 or UTF-32
 * byte-order mark decides before both rules. Also unless @raw, a ZIP holding word/document.xml
 * (a Word .docx) and a web page (markup_is_html: .html/.htm, or "<!DOCTYPE html"/"<html" first)
 * are read whole (markup.h) and their text passed on (never split; info->format "docx" or
 * "html"; a .docx's encoding is "UTF-8", the XML's): a damaged one gives TIFA_EDATA, one
 * larger than MARKUP_MAX_BYTES TIFA_ELIMIT. Otherwise behaves as source_read() (0 or an
 * error code).
 */
int source_read_or_split(const char *path, const char *force_encoding, size_t sniff_len, int raw,
                         const struct source_split_opts *split, struct source_buf *b,
                         source_piece_fn *fn, void *arg, struct source_info *info,
                         struct source_chunks *c, struct tifa_err *e);

/**
 * Reads chunk @k of @c with pread(2) in pieces of at most 1 MiB, decoding it as UTF-8 from a
 * fresh decoder, and calls @fn for every piece. @info gets the chunk's bytes (chunk 0 counts
 * the BOM too, so the sum over chunks is the file's size), invalid sequences and the FILE
 * offset of its first one. A short read is end-of-file (the file shrank): the chunk ends
 * there. Returns 0 or TIFA_EIO ("read error at byte N: ..." with the file offset) with @e
 * naming @path. Safe to call for different chunks of one @c from several threads.
 */
int source_read_chunk(const struct source_chunks *c, const char *path, size_t k,
                      struct source_buf *b, source_piece_fn *fn, void *arg,
                      struct source_info *info, struct tifa_err *e);

/** Closes the file and frees the borders. */
void source_chunks_release(struct source_chunks *c);

#endif
