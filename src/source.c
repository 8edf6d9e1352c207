/*
 * source: file reading and decoding, piece by piece.
 *
 * How it works: the first read fills up to SOURCE_SAMPLE bytes (looping over short reads, so
 * pipes work); encoding_detect() judges that sample (complete when EOF was met inside it). The
 * decoder then gets the sample minus its BOM, and afterwards every further read of up to
 * SOURCE_PIECE bytes; each decoded piece goes to the callback and the output buffer is reset.
 * Memory per thread: one input buffer of SOURCE_SAMPLE bytes plus the decoded output of one
 * piece (at most about 3x the input for GB18030 to UTF-8).
 */
#include "tifa/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tifa/encoding.h"
#include "tifa/xalloc.h"

#define SOURCE_SAMPLE ((size_t)1 << 20)
#define SOURCE_PIECE ((size_t)1 << 20)

void source_buf_init(struct source_buf *b)
{
    b->in = NULL;
    b->in_alloc = 0;
    sbuf_init(&b->out);
}

void source_buf_release(struct source_buf *b)
{
    free(b->in);
    sbuf_release(&b->out);
    source_buf_init(b);
}

/* Reads until @want bytes or EOF; returns bytes read or -1 (errno set). */
static ssize_t read_full(int fd, unsigned char *buf, size_t want)
{
    size_t got = 0;
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

int source_read(const char *path, const char *force_encoding, struct source_buf *b,
                source_piece_fn *fn, void *arg, struct source_info *info, struct tifa_err *e)
{
    char ebuf[128];
    int is_stdin = !strcmp(path, "-");
    int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    struct enc_guess g;
    struct decoder d;
    int rc = 0;

    memset(info, 0, sizeof(*info));
    info->first_invalid_off = -1;
    if (fd < 0)
        return tifa_err_set(e, TIFA_EIO, path, 0, -1, "cannot open: %s", tifa_strerror(errno, ebuf, sizeof(ebuf)));
    if (!b->in) {
        b->in = xmalloc(SOURCE_SAMPLE);
        b->in_alloc = SOURCE_SAMPLE;
    }
    ssize_t n = read_full(fd, b->in, SOURCE_SAMPLE);
    if (n < 0) {
        rc = tifa_err_set(e, TIFA_EIO, path, 0, 0, "read error at byte 0: %s", tifa_strerror(errno, ebuf, sizeof(ebuf)));
        goto out;
    }
    int eof = (size_t)n < SOURCE_SAMPLE;
    encoding_detect(b->in, (size_t)n, eof, &g);
    if (force_encoding) {
        /* a forced encoding still skips a BOM that agrees with it */
        size_t bom = !strcasecmp(force_encoding, g.name) ? g.bom_len : 0;
        snprintf(g.name, sizeof(g.name), "%s", force_encoding);
        g.bom_len = bom;
    }
    if (decoder_init(&d, g.name, g.bom_len, e)) {
        rc = TIFA_EUSAGE;
        goto out;
    }
    snprintf(info->encoding, sizeof(info->encoding), "%s", g.name);
    info->bytes = (uint64_t)n;
    /* Bytes detection already validated go to the scanner as they are: no second pass, no copy. */
    size_t trusted = force_encoding ? 0 : g.valid_len;
    if (trusted) {
        fn((const char *)b->in + g.bom_len, trusted, arg);
        decoder_skip_valid(&d, trusted);
    }
    sbuf_reset(&b->out);
    decoder_feed(&d, b->in + g.bom_len + trusted, (size_t)n - g.bom_len - trusted, eof, &b->out);
    if (b->out.len)
        fn(b->out.buf, b->out.len, arg);
    while (!eof) {
        sbuf_reset(&b->out);
        n = read_full(fd, b->in, SOURCE_PIECE);
        if (n < 0) {
            rc = tifa_err_set(e, TIFA_EIO, path, 0, (long long)info->bytes,
                              "read error at byte %llu: %s", (unsigned long long)info->bytes,
                              tifa_strerror(errno, ebuf, sizeof(ebuf)));
            break;
        }
        eof = (size_t)n < SOURCE_PIECE;
        info->bytes += (uint64_t)n;
        decoder_feed(&d, b->in, (size_t)n, eof, &b->out);
        if (b->out.len)
            fn(b->out.buf, b->out.len, arg);
    }
    info->invalid = d.invalid;
    info->first_invalid_off = d.first_invalid_off;
    decoder_release(&d);
out:
    if (!is_stdin)
        close(fd);
    return rc;
}
