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
    uint64_t invalid;            /* invalid sequences replaced by U+FFFD */
    long long first_invalid_off; /* input byte offset of the first one, -1 when none */
};

/** Per-thread reusable buffers (document lifetime contents, thread lifetime memory). */
struct source_buf {
    unsigned char *in;
    size_t in_alloc;
    struct sbuf out;
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

#endif
