/*
 * source: file reading and decoding, piece by piece.
 *
 * How it works: the first read fills up to SOURCE_SAMPLE bytes (looping over short reads, so
 * pipes work); encoding_detect() judges that sample (complete when EOF was met inside it). The
 * decoder then gets the sample minus its BOM, and afterwards every further read of up to
 * SOURCE_PIECE bytes; each decoded piece goes to the callback and the output buffer is reset.
 * UTF-8 that validates goes to the callback straight from the input buffer (pass_piece): only
 * text after an invalid sequence, or in another encoding, is copied through the decoder. An
 * unfinished sequence at the end of a read is moved to the front and the next read appended.
 * Memory per thread: one input buffer of SOURCE_SAMPLE bytes plus the decoded output of one
 * piece (at most about 3x the input for GB18030 to UTF-8).
 *
 * Chunks (source_read_or_split): after detection, a regular UTF-8 file of at least min_bytes
 * (fstat) is planned instead of read: borders are searched for from the BOM on, each at the
 * first split point (source.h) after the previous border + chunk_bytes, reading SOURCE_SPLIT_STEP
 * bytes at a time with pread into source_buf.aux (a resumable byte state machine, so a split
 * point across two reads is found) and giving up after search_bytes. A failed search costs one
 * window and moves on by a whole chunk. A read error while planning just ends the plan there.
 * Each chunk is then read with pread (no shared file position: threads read one fd at once)
 * in SOURCE_PIECE pieces, decoded by its own UTF-8 decoder whose base offset is the chunk's
 * start, so invalid-sequence offsets are file offsets. The last chunk reads to the end-of-file
 * it meets, as read(2) would; a short read ends any chunk (a file that shrank).
 */
#include "tifa/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tifa/boundary.h"
#include "tifa/encoding.h"
#include "tifa/markup.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

#define SOURCE_SAMPLE ((size_t)1 << 20)
#define SOURCE_PIECE ((size_t)1 << 20)

void source_buf_init(struct source_buf *b)
{
    b->in = NULL;
    b->in_alloc = 0;
    b->aux = NULL;
    b->bytes_read = 0;
    sbuf_init(&b->out);
    sbuf_init(&b->dir);
    b->dir_fd = -1;
}

void source_buf_release(struct source_buf *b)
{
    free(b->in);
    free(b->aux);
    sbuf_release(&b->out);
    sbuf_release(&b->dir);
    if (b->dir_fd >= 0)
        close(b->dir_fd);
    source_buf_init(b);
}

/* FF FE (UTF-16LE, and UTF-32LE's FF FE 00 00), FE FF (UTF-16BE), 00 00 FE FF (UTF-32BE). */
static int starts_with_wide_bom(const unsigned char *p, size_t n)
{
    return (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) ||
           (n >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF);
}

/* Opens @path for reading. A file in the same folder as the one before is opened relative to
 * that folder (openat): the kernel then looks up one name, not every folder on the path again,
 * which took 40% of a count of a million files nested 200 deep. When the folder cannot be
 * opened the path is opened whole, so errors are the same as open(2)'s. */
static int open_input(struct source_buf *b, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path || !slash[1])
        return open(path, O_RDONLY | O_CLOEXEC);
    size_t dir_len = (size_t)(slash - path);
    if (b->dir_fd < 0 || b->dir.len != dir_len || memcmp(b->dir.buf, path, dir_len)) {
        if (b->dir_fd >= 0)
            close(b->dir_fd);
        sbuf_reset(&b->dir);
        sbuf_add(&b->dir, path, dir_len);
        b->dir_fd = open(b->dir.buf, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (b->dir_fd < 0)
            return open(path, O_RDONLY | O_CLOEXEC);
    }
    return openat(b->dir_fd, slash + 1, O_RDONLY | O_CLOEXEC);
}

/* Reads until @want bytes or EOF; returns bytes read or -1 (errno set). With @off >= 0 reads
 * at that file offset (pread), else from the current position (pipes, standard input). */
static ssize_t read_full(int fd, unsigned char *buf, size_t want, long long off)
{
    size_t got = 0;
    while (got < want) {
        ssize_t n = off < 0 ? read(fd, buf + got, want - got)
                            : pread(fd, buf + got, want - got, (off_t)off + (off_t)got);
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

/* The split-point search over consecutive bytes (see source_split_opts in source.h). */
struct split_scan {
    int seen_text;        /* a non-blank byte was seen: a run's start is known */
    int in_run;           /* inside a run of ASCII white space */
    struct para_run run;  /* its line breaks, counted by the scanner's rule (boundary.h) */
    unsigned char b1, b2; /* the previous byte and the one before it (0 at the start) */
};

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Feeds @len bytes at file offset @base; returns the first split point, or 0 when none. */
static unsigned long long split_scan_feed(struct split_scan *s, const unsigned char *p, size_t len,
                                          unsigned long long base, int stop)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = p[i];
        if (is_blank(ch)) {
            if (!s->in_run) {
                s->in_run = 1;
                para_run_reset(&s->run);
            }
            if (ch == '\r' || ch == '\n')
                para_run_line_break(&s->run, ch == '\r');
            else
                para_run_space(&s->run);
        } else {
            if (s->in_run && s->seen_text && s->run.lines >= PARA_BREAK_LINES)
                return base + i;
            s->in_run = 0;
            s->seen_text = 1;
            /* E3 80 82 is U+3002 wherever it stands: E3 is always a lead byte, so no valid or
             * invalid sequence before it can take it in (maximal subparts) */
            if (stop && ch == 0x82 && s->b1 == 0x80 && s->b2 == 0xE3)
                return base + i + 1;
        }
        s->b2 = s->b1;
        s->b1 = ch;
    }
    return 0;
}

/* The first split point in [from, limit), or 0 when there is none (or a read fails). */
static unsigned long long find_split(int fd, unsigned char *buf, unsigned long long from,
                                     unsigned long long limit, int stop)
{
    struct split_scan s;
    memset(&s, 0, sizeof(s));
    for (unsigned long long pos = from; pos < limit;) {
        size_t want = SOURCE_SPLIT_STEP;
        if (limit - pos < want)
            want = (size_t)(limit - pos);
        ssize_t n = read_full(fd, buf, want, (long long)pos);
        if (n <= 0)
            return 0;
        unsigned long long p = split_scan_feed(&s, buf, (size_t)n, pos, stop);
        if (p)
            return p < limit ? p : 0;
        pos += (unsigned long long)n;
        if ((size_t)n < want)
            return 0;
    }
    return 0;
}

/* Plans the borders of a file of @size bytes whose text starts at @start; returns nchunks. */
static size_t plan_chunks(int fd, struct source_buf *b, unsigned long long size,
                          unsigned long long start, const struct source_split_opts *o,
                          unsigned long long **offs)
{
    size_t n = 0, alloc = 8;
    unsigned long long *off = xmalloc(st_mult(alloc, sizeof(*off)));
    unsigned long long nominal = start + o->chunk_bytes;
    if (!b->aux)
        b->aux = xmalloc(SOURCE_SPLIT_STEP);
    off[n++] = start;
    while (nominal < size) {
        unsigned long long limit =
            nominal + o->search_bytes < size ? nominal + o->search_bytes : size;
        unsigned long long p = find_split(fd, b->aux, nominal, limit, o->split_after_stop);
        if (p) {
            if (n + 1 >= alloc) {
                alloc = st_mult(alloc, 2);
                off = xrealloc(off, st_mult(alloc, sizeof(*off)));
            }
            off[n++] = p;
            nominal = p + o->chunk_bytes;
        } else {
            nominal = limit + o->chunk_bytes;
        }
    }
    off[n] = size; /* the last chunk reads on to end-of-file; kept for the record */
    *offs = off;
    return n;
}

/*
 * Passes b->in[from..len) on to @fn. UTF-8 goes as it is, without a copy, up to the first
 * invalid sequence; the rest goes through the decoder into b->out. When not @final, an
 * unfinished sequence at the end (at most 3 bytes) is moved to the start of b->in instead, and
 * its length returned: the next read appends to it, so pieces stay whole and the copy-free path
 * stays open (a decoder carrying bytes would have to copy the next piece).
 */
static size_t pass_piece(struct decoder *d, struct source_buf *b, size_t from, size_t len,
                         int final, source_piece_fn *fn, void *arg)
{
    if (d->is_utf8 && !d->ncarry) {
        size_t v = utf8_valid_prefix(b->in + from, len - from);
        if (v) {
            fn((const char *)b->in + from, v, arg);
            decoder_skip_valid(d, v);
            from += v;
        }
        size_t rest = len - from;
        if (!final && rest && rest < 4) {
            uint32_t cp;
            int bad;
            if (utf8_decode(b->in + from, rest, &cp, &bad) == rest && bad == 2) {
                memmove(b->in, b->in + from, rest);
                return rest;
            }
        }
        if (from == len && !final)
            return 0;
    }
    sbuf_reset(&b->out);
    decoder_feed(d, b->in + from, len - from, final, &b->out);
    if (b->out.len)
        fn(b->out.buf, b->out.len, arg);
    return 0;
}

int source_read(const char *path, const char *force_encoding, struct source_buf *b,
                source_piece_fn *fn, void *arg, struct source_info *info, struct tifa_err *e)
{
    return source_read_or_split(path, force_encoding, 0, 1, NULL, b, fn, arg, info, NULL, e);
}

struct signature {
    const char *magic;
    size_t len, off;
    const char *kind;
};

/* First bytes of files that are not text. Each is long enough not to be the start of a text in
 * UTF-8, GB18030 or Big5 by chance ("%PDF-" is ASCII that a text could begin with, and is the
 * one exception worth it). */
static const struct signature signatures[] = {
    {"%PDF-", 5, 0, "pdf"},
    {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, 0, "doc"},
    {"PK\x03\x04", 4, 0, "archive"},
    {"PK\x05\x06", 4, 0, "archive"}, /* an empty ZIP */
    {"\x1F\x8B\x08", 3, 0, "archive"},
    {"BZh", 3, 0, NULL}, /* bzip2: checked below, "BZh" alone is text */
    {"\xFD"
     "7zXZ\x00",
     6, 0, "archive"},
    {"7z\xBC\xAF\x27\x1C", 6, 0, "archive"},
    {"Rar!\x1A\x07", 6, 0, "archive"},
    {"\x89PNG\r\n\x1A\n", 8, 0, "image"},
    {"\xFF\xD8\xFF", 3, 0, "image"},
    {"GIF87a", 6, 0, "image"},
    {"GIF89a", 6, 0, "image"},
    {"II*\x00", 4, 0, "image"},
    {"MM\x00*", 4, 0, "image"},
    {"WEBP", 4, 8, "image"}, /* after "RIFF" and a length */
};

/* The kind of a file that is not text, from its first @n bytes, or NULL. */
static const char *recognise_not_text(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < sizeof(signatures) / sizeof(signatures[0]); i++) {
        const struct signature *s = &signatures[i];
        if (n < s->off + s->len || memcmp(p + s->off, s->magic, s->len))
            continue;
        if (s->off == 8 && memcmp(p, "RIFF", 4))
            continue;
        if (!s->kind) /* bzip2: "BZh", a block size digit, then the block magic (pi) */
            return n >= 10 && p[3] >= '1' && p[3] <= '9' && !memcmp(p + 4, "1AY&SY", 6) ? "archive"
                                                                                        : NULL;
        return s->kind;
    }
    return NULL;
}

const char *source_not_text_advice(const char *not_text)
{
    if (!strcmp(not_text, "pdf"))
        return "PDF is not read; extract its text first (for example with pdftotext)";
    if (!strcmp(not_text, "doc"))
        return "a legacy Office file (.doc, .xls, .ppt) is not read; save it as text first";
    if (!strcmp(not_text, "archive"))
        return "an archive (ZIP, gzip, xz, 7z, RAR, bzip2; a ZIP without word/document.xml "
               "is not a Word document) is not read; extract its text first";
    if (!strcmp(not_text, "image"))
        return "an image is not read; extract its text first (for example with an OCR tool)";
    return "not a text file";
}

/* Passes @len bytes of UTF-8 on to @fn in pieces of at most SOURCE_PIECE bytes, each ending on
 * a code-point boundary, as plain files are. */
static void pass_text(const char *s, size_t len, source_piece_fn *fn, void *arg)
{
    while (len) {
        size_t k = len;
        if (k > SOURCE_PIECE) {
            k = SOURCE_PIECE;
            while (k && ((unsigned char)s[k] & 0xC0) == 0x80)
                k--;
        }
        fn(s, k, arg);
        s += k;
        len -= k;
    }
}

/*
 * The text of the web page in @page: decoded here, as any file, in --encoding, else the charset
 * it declares when iconv knows it, else the detected encoding (invalid sequences replaced and
 * counted in @info), then parsed as UTF-8 into b->out.
 */
static int read_html(const char *path, struct sbuf *page, const char *force_encoding,
                     struct source_buf *b, struct source_info *info, struct tifa_err *e)
{
    const unsigned char *p = (const unsigned char *)page->buf;
    struct enc_guess g;
    struct decoder d;
    struct tifa_err unknown;
    char declared[48];
    encoding_detect(p, page->len < SOURCE_SAMPLE ? page->len : SOURCE_SAMPLE,
                    page->len <= SOURCE_SAMPLE, &g);
    const char *name = force_encoding ? force_encoding : g.name;
    tifa_err_init(&unknown);
    if (!force_encoding && markup_html_charset(p, page->len, declared) &&
        !decoder_init(&d, declared, 0, &unknown)) {
        decoder_release(&d);
        name = declared;
    }
    /* a BOM is left out when it agrees with the encoding, as for plain files */
    size_t bom = !strcasecmp(name, g.name) ? g.bom_len : 0;
    if (decoder_init(&d, name, bom, e))
        return TIFA_EUSAGE;
    struct sbuf utf8;
    sbuf_init(&utf8);
    decoder_feed(&d, p + bom, page->len - bom, 1, &utf8);
    snprintf(info->encoding, sizeof(info->encoding), "%s", name);
    info->bom_len = (unsigned)bom;
    info->invalid = d.invalid;
    info->first_invalid_off = d.first_invalid_off;
    decoder_release(&d);
    int rc = markup_html_text(path, utf8.buf ? utf8.buf : "", utf8.len, &b->out, e);
    sbuf_release(&utf8);
    return rc;
}

/*
 * Reads the rest of a DOCX or HTML file whose first @n bytes are in b->in (@eof: all of it),
 * extracts its text (markup.h) and passes it on. Returns 0, MARKUP_NOT_DOCX (a ZIP that is not
 * a Word document: nothing passed on) or an error code.
 */
static int read_markup(int fd, const char *path, int docx, const char *force_encoding, size_t n,
                       int eof, struct source_buf *b, source_piece_fn *fn, void *arg,
                       struct source_info *info, struct tifa_err *e)
{
    char ebuf[128];
    struct sbuf whole;
    int rc = 0;
    sbuf_init(&whole);
    sbuf_add(&whole, b->in, n);
    while (!eof) {
        if (whole.len > MARKUP_MAX_BYTES) {
            rc = tifa_err_set(e, TIFA_ELIMIT, path, 0, -1, "%s larger than %zu MiB; not read",
                              docx ? "ZIP file" : "web page", MARKUP_MAX_BYTES >> 20);
            goto out;
        }
        sbuf_grow(&whole, SOURCE_PIECE);
        ssize_t got = read_full(fd, (unsigned char *)whole.buf + whole.len, SOURCE_PIECE, -1);
        if (got < 0) {
            rc = tifa_err_set(e, TIFA_EIO, path, 0, (long long)whole.len,
                              "read error at byte %zu: %s", whole.len,
                              tifa_strerror(errno, ebuf, sizeof(ebuf)));
            goto out;
        }
        whole.len += (size_t)got;
        eof = (size_t)got < SOURCE_PIECE;
    }
    sbuf_reset(&b->out);
    if (docx) {
        rc = markup_docx_text(path, (const unsigned char *)whole.buf, whole.len, &b->out, e);
        snprintf(info->encoding, sizeof(info->encoding), "UTF-8");
    } else {
        rc = read_html(path, &whole, force_encoding, b, info, e);
    }
    if (rc)
        goto out;
    info->format = docx ? "docx" : "html";
    info->bytes = whole.len;
    b->bytes_read += whole.len;
    pass_text(b->out.buf, b->out.len, fn, arg);
out:
    sbuf_release(&whole);
    return rc;
}

int source_read_or_split(const char *path, const char *force_encoding, size_t sniff_len, int raw,
                         const struct source_split_opts *split, struct source_buf *b,
                         source_piece_fn *fn, void *arg, struct source_info *info,
                         struct source_chunks *c, struct tifa_err *e)
{
    char ebuf[128];
    int is_stdin = !strcmp(path, "-");
    int fd = is_stdin ? 0 : open_input(b, path);
    struct enc_guess g;
    struct decoder d;
    int rc = 0;

    memset(info, 0, sizeof(*info));
    info->first_invalid_off = -1;
    info->format = "text";
    if (fd < 0)
        return tifa_err_set(e, TIFA_EIO, path, 0, -1, "cannot open: %s",
                            tifa_strerror(errno, ebuf, sizeof(ebuf)));
    unsigned long long size = 0;
    if (split && !is_stdin) {
        struct stat st;
        if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
            (unsigned long long)st.st_size >= split->min_bytes)
            size = (unsigned long long)st.st_size;
    }
    if (!b->in) {
        b->in = xmalloc(SOURCE_SAMPLE);
        b->in_alloc = SOURCE_SAMPLE;
    }
    ssize_t n = read_full(fd, b->in, SOURCE_SAMPLE, -1);
    if (n < 0) {
        rc = tifa_err_set(e, TIFA_EIO, path, 0, 0, "read error at byte 0: %s",
                          tifa_strerror(errno, ebuf, sizeof(ebuf)));
        goto out;
    }
    int eof = (size_t)n < SOURCE_SAMPLE;
    /* a UTF-16 or UTF-32 byte-order mark decides before the NUL bytes such text is full of
     * (Windows Notepad's "Unicode" files were skipped as binary inside folders) */
    int wide = starts_with_wide_bom(b->in, (size_t)n);
    if (!raw && !wide && (info->not_text = recognise_not_text(b->in, (size_t)n)) != NULL) {
        rc = SOURCE_NOT_TEXT;
        if (n >= 4 && !memcmp(b->in, "PK\x03\x04", 4)) {
            rc = read_markup(fd, path, 1, NULL, (size_t)n, eof, b, fn, arg, info, e);
            if (rc == MARKUP_NOT_DOCX)
                rc = SOURCE_NOT_TEXT;
            else
                info->not_text = NULL;
        }
        goto out;
    }
    if (!raw && markup_is_html(path, b->in, (size_t)n)) {
        rc = read_markup(fd, path, 0, force_encoding, (size_t)n, eof, b, fn, arg, info, e);
        goto out;
    }
    encoding_detect(b->in, (size_t)n, eof, &g);
    /* UTF-16 without a BOM is recognised by detection, so the NUL test follows it */
    if (sniff_len && !encoding_is_wide(g.name) &&
        memchr(b->in, '\0', (size_t)n < sniff_len ? (size_t)n : sniff_len)) {
        rc = SOURCE_BINARY;
        goto out;
    }
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
    info->bom_len = (unsigned)g.bom_len;
    if (size && d.is_utf8 && split->chunk_bytes && split->search_bytes) {
        unsigned long long *offs;
        size_t k = plan_chunks(fd, b, size, g.bom_len, split, &offs);
        if (k >= 2) {
            c->fd = fd;
            snprintf(c->encoding, sizeof(c->encoding), "%s", g.name);
            c->off = offs;
            c->nchunks = k;
            decoder_release(&d);
            return 1;
        }
        free(offs);
    }
    info->bytes = (uint64_t)n;
    b->bytes_read += (uint64_t)n;
    /* Bytes detection already validated go to the scanner as they are: no second pass, no copy. */
    size_t trusted = force_encoding ? 0 : g.valid_len;
    if (trusted) {
        fn((const char *)b->in + g.bom_len, trusted, arg);
        decoder_skip_valid(&d, trusted);
    }
    size_t keep = pass_piece(&d, b, g.bom_len + trusted, (size_t)n, eof, fn, arg);
    while (!eof) {
        n = read_full(fd, b->in + keep, SOURCE_PIECE - keep, -1);
        if (n < 0) {
            rc = tifa_err_set(e, TIFA_EIO, path, 0, (long long)info->bytes,
                              "read error at byte %llu: %s", (unsigned long long)info->bytes,
                              tifa_strerror(errno, ebuf, sizeof(ebuf)));
            break;
        }
        eof = (size_t)n < SOURCE_PIECE - keep;
        info->bytes += (uint64_t)n;
        b->bytes_read += (uint64_t)n;
        keep = pass_piece(&d, b, 0, keep + (size_t)n, eof, fn, arg);
    }
    info->invalid = d.invalid;
    info->first_invalid_off = d.first_invalid_off;
    decoder_release(&d);
out:
    if (!is_stdin)
        close(fd);
    return rc;
}

int source_read_chunk(const struct source_chunks *c, const char *path, size_t k,
                      struct source_buf *b, source_piece_fn *fn, void *arg,
                      struct source_info *info, struct tifa_err *e)
{
    char ebuf[128];
    struct decoder d;
    int rc = 0;
    int last = k + 1 == c->nchunks;
    unsigned long long pos = c->off[k], end = last ? 0 : c->off[k + 1];

    memset(info, 0, sizeof(*info));
    snprintf(info->encoding, sizeof(info->encoding), "%s", c->encoding);
    if (!b->in) {
        b->in = xmalloc(SOURCE_SAMPLE);
        b->in_alloc = SOURCE_SAMPLE;
    }
    if (decoder_init(&d, "UTF-8", pos, e))
        BUG("the UTF-8 decoder needs no iconv and cannot fail to start");
    size_t keep = 0;
    for (;;) {
        size_t want = SOURCE_PIECE - keep;
        if (!last && end - pos < want)
            want = (size_t)(end - pos);
        ssize_t n = read_full(c->fd, b->in + keep, want, (long long)pos);
        if (n < 0) {
            rc = tifa_err_set(e, TIFA_EIO, path, 0, (long long)pos, "read error at byte %llu: %s",
                              pos, tifa_strerror(errno, ebuf, sizeof(ebuf)));
            break;
        }
        pos += (unsigned long long)n;
        b->bytes_read += (uint64_t)n;
        int final = (size_t)n < want || (!last && pos == end);
        keep = pass_piece(&d, b, 0, keep + (size_t)n, final, fn, arg);
        if (final)
            break;
    }
    info->bytes = pos - (k ? c->off[k] : 0);
    info->invalid = d.invalid;
    info->first_invalid_off = d.first_invalid_off;
    decoder_release(&d);
    return rc;
}

void source_chunks_release(struct source_chunks *c)
{
    if (c->fd >= 0)
        close(c->fd);
    free(c->off);
    c->fd = -1;
    c->off = NULL;
    c->nchunks = 0;
}
