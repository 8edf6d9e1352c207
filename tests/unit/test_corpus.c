/*
 * Unit tests for the driver and its consumer seam (corpus.h, sink.h): a consumer that records
 * every match with its positions and context, on a generated 3 MiB file whose terms stand
 * across the 1 MiB piece borders, across single line breaks, at paragraph starts and ends;
 * compared with what the generator placed. Then the same file in chunks on two threads
 * (TIFA_CHUNK_BYTES): the same records after merge(); counting through the seam; and the
 * progress hook.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tifa/corpus.h"
#include "tifa/matcher.h"
#include "tifa/sbuf.h"
#include "tifa/xalloc.h"

#define CONTEXT 60
#define FILE_BYTES (3u << 20)
#define PIECE (1u << 20)

struct rec {
    uint64_t off, len, line, column;
    uint32_t label_id;
    char *surface, *before, *after;
    const char *term;
};

struct recs {
    struct rec *v;
    size_t n, alloc;
};

/* ---- the recording consumer ---- */

/* corpus_run and corpus_count over a list of @n paths (none sniffed), as the walk hands them. */
static int run_paths(const char *const *paths, size_t n, const struct lexicon *lx,
                     const struct ac *ac, const struct corpus_opts *o, const struct sink *sink,
                     corpus_deliver_fn *fn, void *arg)
{
    struct pathlist pl;
    pathlist_init(&pl);
    for (size_t i = 0; i < n; i++)
        pathlist_add(&pl, paths[i], 0);
    int rc = corpus_run(&pl, lx, ac, o, sink, fn, arg);
    pathlist_release(&pl);
    return rc;
}

static int count_paths(const char *const *paths, size_t n, const struct lexicon *lx,
                       const struct ac *ac, const struct corpus_opts *o, corpus_doc_fn *fn,
                       void *arg)
{
    struct pathlist pl;
    pathlist_init(&pl);
    for (size_t i = 0; i < n; i++)
        pathlist_add(&pl, paths[i], 0);
    int rc = corpus_count(&pl, lx, ac, o, fn, arg);
    pathlist_release(&pl);
    return rc;
}

static void *rec_thread_init(void *arg)
{
    (void)arg;
    return xcalloc(1, sizeof(struct recs));
}

static void rec_thread_release(void *ts)
{
    free(ts);
}

static void rec_begin(void *ts, const struct sink_doc *d)
{
    (void)d;
    memset(ts, 0, sizeof(struct recs));
}

static void rec_match(void *ts, const struct sink_match *m)
{
    struct recs *r = ts;
    ALLOC_GROW(r->v, r->n + 1, r->alloc);
    struct rec *x = &r->v[r->n++];
    x->off = m->off;
    x->len = m->len;
    x->line = m->line;
    x->column = m->column;
    x->label_id = m->label_id;
    x->term = m->term;
    assert_string_equal(m->entry->term, m->term);
    x->surface = xstrndup(m->surface, m->len);
    x->before = xstrndup(m->before, m->before_len);
    x->after = xstrndup(m->after, m->after_len);
}

static void *rec_end(void *ts, const struct sink_doc *d)
{
    (void)d;
    struct recs *out = xmalloc(sizeof(*out));
    *out = *(struct recs *)ts;
    memset(ts, 0, sizeof(struct recs));
    return out;
}

static void recs_free(struct recs *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].surface);
        free(r->v[i].before);
        free(r->v[i].after);
    }
    free(r->v);
    free(r);
}

static void rec_discard(void *result)
{
    recs_free(result);
}

static void rec_merge(void *ts, void *into, void *next, const struct sink_shift *shift)
{
    (void)ts;
    struct recs *a = into, *b = next;
    for (size_t i = 0; i < b->n; i++) {
        ALLOC_GROW(a->v, a->n + 1, a->alloc);
        a->v[a->n] = b->v[i];
        a->v[a->n].off += shift->off;
        if (a->v[a->n].line == 1)
            a->v[a->n].column += shift->cols;
        a->v[a->n].line += shift->lines;
        a->n++;
    }
    free(b->v);
    free(b);
}

struct delivered {
    struct recs *r;
    struct corpus_doc doc;
    int failed;
};

static void on_deliver(size_t index, const struct corpus_doc *doc, void *result,
                       const struct tifa_err *err, void *arg)
{
    struct delivered *d = arg;
    assert_int_equal(index, 0);
    (void)err;
    d->failed = doc == NULL;
    if (doc)
        d->doc = *doc;
    d->r = result;
}

/* ---- the generated file and what it holds ---- */

struct want {
    uint64_t off, len, line;
    const char *term;
};

struct gen {
    struct sbuf text;
    struct want *w;
    size_t nw, walloc;
    uint64_t line;
    uint64_t rng;
};

static uint32_t rnd(struct gen *g, uint32_t n)
{
    g->rng = g->rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((g->rng >> 33) % n);
}

static void put(struct gen *g, const char *s)
{
    for (const char *p = s; *p; p++)
        if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
            g->line++;
    sbuf_addstr(&g->text, s);
}

/* A term, sometimes with a line break inside (the scanner skips one there). */
static void put_term(struct gen *g)
{
    static const char *const terms[] = {"四个意识", "两个维护"};
    const char *t = terms[rnd(g, 2)];
    ALLOC_GROW(g->w, g->nw + 1, g->walloc);
    struct want *w = &g->w[g->nw++];
    w->off = g->text.len;
    w->line = g->line + 1;
    w->term = t;
    if (rnd(g, 4) == 0) {
        sbuf_add(&g->text, t, 6);
        put(g, rnd(g, 2) ? "\n" : "\r\n");
        sbuf_addstr(&g->text, t + 6);
    } else {
        sbuf_addstr(&g->text, t);
    }
    w->len = g->text.len - w->off;
}

static void generate(struct gen *g)
{
    static const char *const filler[] = {"的",   "是",   "在",  "了", "和",
                                         "人民", "发展", "abc", "，", "。"};
    memset(g, 0, sizeof(*g));
    sbuf_init(&g->text);
    g->rng = 7;
    uint64_t border = PIECE;
    while (g->text.len < FILE_BYTES) {
        /* a term across each piece border: its first bytes in one piece, the rest in the next */
        if (g->text.len + 7 >= border && g->text.len < border) {
            put_term(g);
            border += PIECE;
            continue;
        }
        uint32_t r = rnd(g, 100);
        if (r < 6)
            put_term(g);
        else if (r < 9)
            put(g, rnd(g, 2) ? "\n" : "\r\n");
        else if (r < 10) {
            put(g, rnd(g, 2) ? "\n\n" : "\r\n\r\n");
            if (rnd(g, 2)) /* an indented paragraph: a chunk may start inside its first line */
                put(g, "  ");
        } else
            put(g, filler[rnd(g, 10)]);
    }
}

/* The context the seam must give: within CONTEXT bytes, cut at whole characters, and not
 * across a blank line (runs of CR and LF with two line breaks, CR LF counting once). */
static int para_break_run(const char *t, size_t a, size_t b)
{
    unsigned n = 0;
    for (size_t i = a; i < b; i++)
        if (t[i] == '\r' || (t[i] == '\n' && !(i > a && t[i - 1] == '\r')))
            n++;
    return n >= 2;
}

static void want_context(const char *t, size_t len, const struct want *w, size_t *b0, size_t *a1)
{
    size_t from = w->off > CONTEXT ? w->off - CONTEXT : 0;
    while ((t[from] & 0xC0) == 0x80)
        from++;
    *b0 = from;
    for (size_t i = from; i < w->off;) {
        if (t[i] == '\r' || t[i] == '\n') {
            size_t j = i;
            while (j < len && (t[j] == '\r' || t[j] == '\n' || t[j] == ' '))
                j++;
            if (para_break_run(t, i, j))
                *b0 = j < w->off ? j : w->off;
            i = j;
        } else {
            i++;
        }
    }
    size_t end = w->off + w->len, to = end + CONTEXT < len ? end + CONTEXT : len;
    while (to < len && (t[to] & 0xC0) == 0x80)
        to--;
    *a1 = to;
    for (size_t i = end; i < to;) {
        if (t[i] == '\r' || t[i] == '\n') {
            size_t j = i;
            while (j < to && (t[j] == '\r' || t[j] == '\n'))
                j++;
            if (para_break_run(t, i, j)) {
                *a1 = i;
                return;
            }
            i = j;
        } else {
            i++;
        }
    }
}

/* The column of byte @off: code points since the last line break (from 1). */
static uint64_t want_column(const char *t, uint64_t off)
{
    uint64_t i = off, col = 1;
    while (i > 0 && t[i - 1] != '\n' && t[i - 1] != '\r')
        i--;
    for (; i < off; i++)
        col += (t[i] & 0xC0) != 0x80;
    return col;
}

static void check_records(const struct gen *g, const struct recs *r)
{
    assert_int_equal(r->n, g->nw);
    for (size_t i = 0; i < g->nw; i++) {
        const struct want *w = &g->w[i];
        const struct rec *x = &r->v[i];
        size_t b0, a1;
        if (x->off != w->off || x->len != w->len || x->line != w->line)
            fail_msg("match %zu: at %llu+%llu line %llu, expected %llu+%llu line %llu", i,
                     (unsigned long long)x->off, (unsigned long long)x->len,
                     (unsigned long long)x->line, (unsigned long long)w->off,
                     (unsigned long long)w->len, (unsigned long long)w->line);
        assert_string_equal(x->term, w->term);
        assert_int_equal(x->column, want_column(g->text.buf, w->off));
        assert_memory_equal(x->surface, g->text.buf + w->off, w->len);
        want_context(g->text.buf, g->text.len, w, &b0, &a1);
        assert_int_equal(strlen(x->before), w->off - b0);
        assert_memory_equal(x->before, g->text.buf + b0, w->off - b0);
        assert_int_equal(strlen(x->after), a1 - (w->off + w->len));
        assert_memory_equal(x->after, g->text.buf + w->off + w->len, a1 - (w->off + w->len));
    }
}

struct fixture {
    char dir[64], path[96];
    struct gen g;
    struct lexicon lx;
    struct ac *ac;
};

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof(*f));
    struct tifa_err e;
    tifa_err_init(&e);
    snprintf(f->dir, sizeof(f->dir), "/tmp/tifa-test-corpus.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/big.txt", f->dir);
    generate(&f->g);
    FILE *fp = fopen(f->path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(f->g.text.buf, 1, f->g.text.len, fp), f->g.text.len);
    assert_int_equal(fclose(fp), 0);
    lexicon_init(&f->lx);
    static const char lex[] = "四个意识\n两个维护\n";
    assert_int_equal(lexicon_load_buf(&f->lx, lex, strlen(lex), "t", LEX_LIST, &e), 0);
    assert_int_equal(lexicon_finish(&f->lx, &e), 0);
    assert_int_equal(matcher_build(&f->lx, AC_LEFTMOST_LONGEST, &f->ac, &e), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    unlink(f->path);
    rmdir(f->dir);
    ac_free(f->ac);
    lexicon_release(&f->lx);
    sbuf_release(&f->g.text);
    free(f->g.w);
    free(f);
    return 0;
}

static void run_recording(struct fixture *f, unsigned threads, struct corpus_stats *st,
                          struct delivered *d)
{
    struct sink s = {0};
    s.flags = SINK_POSITIONS;
    s.context_bytes = CONTEXT;
    s.thread_init = rec_thread_init;
    s.thread_release = rec_thread_release;
    s.begin = rec_begin;
    s.match = rec_match;
    s.end = rec_end;
    s.merge = rec_merge;
    s.discard = rec_discard;
    struct corpus_opts o = {.threads = threads, .stats = st};
    const char *paths[] = {f->path};
    memset(d, 0, sizeof(*d));
    assert_int_equal(run_paths(paths, 1, &f->lx, f->ac, &o, &s, on_deliver, d), 0);
    assert_false(d->failed);
    assert_non_null(d->r);
}

/* One thread: pieces of 1 MiB, terms across every piece border. */
static void test_positions_across_piece_borders(void **state)
{
    struct fixture *f = *state;
    struct delivered d;
    struct corpus_stats st;
    run_recording(f, 1, &st, &d);
    assert_int_equal(d.doc.bytes, f->g.text.len);
    check_records(&f->g, d.r);
    /* the generator put a term across each piece border: the seam saw them whole */
    for (uint64_t border = PIECE; border < FILE_BYTES; border += PIECE) {
        size_t across = 0;
        for (size_t i = 0; i < d.r->n; i++)
            across += d.r->v[i].off < border && d.r->v[i].off + d.r->v[i].len > border;
        assert_int_equal(across, 1);
    }
    recs_free(d.r);
}

/* Two threads, chunks of ~600 KB cut at paragraph breaks: merged in chunk order, the same. */
static void test_positions_in_chunks(void **state)
{
    struct fixture *f = *state;
    struct delivered d;
    struct corpus_stats st;
    setenv("TIFA_CHUNK_BYTES", "600000", 1);
    run_recording(f, 2, &st, &d);
    unsetenv("TIFA_CHUNK_BYTES");
    assert_int_equal(st.split_files, 1);
    assert_true(st.chunks >= 4);
    check_records(&f->g, d.r);
    recs_free(d.r);
}

/* Overlapping matches come by end, so a later one may start earlier: the line cursor goes back.
 * Every record's line and surface must still be those of its offset in the text. */
static void test_positions_overlapping(void **state)
{
    struct fixture *f = *state;
    struct lexicon lx;
    struct ac *ac;
    struct tifa_err e;
    tifa_err_init(&e);
    lexicon_init(&lx);
    static const char lex[] = "四个意识\n四个\n意识\n两个维护\n维护\n";
    assert_int_equal(lexicon_load_buf(&lx, lex, strlen(lex), "o", LEX_LIST, &e), 0);
    assert_int_equal(lexicon_finish(&lx, &e), 0);
    assert_int_equal(matcher_build(&lx, AC_OVERLAPPING, &ac, &e), 0);
    struct fixture g = *f;
    g.lx = lx;
    g.ac = ac;
    struct delivered d;
    struct corpus_stats st;
    run_recording(&g, 1, &st, &d);
    const char *t = f->g.text.buf;
    uint64_t line = 1, at = 0;
    size_t n4 = 0;
    for (size_t i = 0; i < d.r->n; i++) {
        const struct rec *x = &d.r->v[i];
        /* count line breaks up to x->off from scratch each time the offset goes back */
        if (x->off < at) {
            line = 1;
            at = 0;
        }
        for (; at < x->off; at++)
            if (t[at] == '\r' || (t[at] == '\n' && !(at > 0 && t[at - 1] == '\r')))
                line++;
        assert_int_equal(x->line, line);
        assert_int_equal(x->column, want_column(t, x->off));
        assert_memory_equal(x->surface, t + x->off, x->len);
        n4 += !strcmp(x->term, "四个意识") || !strcmp(x->term, "两个维护");
    }
    assert_int_equal(n4, f->g.nw); /* every placed term, and its parts besides */
    assert_true(d.r->n > 2 * f->g.nw);
    recs_free(d.r);
    ac_free(ac);
    lexicon_release(&lx);
}

static void on_count(size_t index, const struct agg_doc *doc, const struct tifa_err *err, void *arg)
{
    (void)index;
    (void)err;
    assert_non_null(doc);
    uint64_t *n = arg;
    for (size_t i = 0; i < doc->ncounts; i++)
        n[doc->counts[i].label_id] += doc->counts[i].count;
}

/* Counting is a consumer of the same seam: the same number of matches, one and two threads. */
static void test_counting_consumer(void **state)
{
    struct fixture *f = *state;
    const char *paths[] = {f->path};
    for (unsigned threads = 1; threads <= 2; threads++) {
        uint64_t n[2] = {0, 0};
        struct corpus_opts o = {.threads = threads};
        setenv("TIFA_CHUNK_BYTES", "600000", 1);
        assert_int_equal(count_paths(paths, 1, &f->lx, f->ac, &o, on_count, n), 0);
        unsetenv("TIFA_CHUNK_BYTES");
        assert_int_equal(n[0] + n[1], f->g.nw);
    }
}

/* ---- a consumer of the text (sink.text) ---- */

struct text_ts {
    struct sbuf text;
    int *bad_borders; /* the run's count of chunk borders outside a paragraph break (the
                         chunks of one file are merged by one thread) */
};

static void *text_thread_init(void *arg)
{
    struct text_ts *ts = xcalloc(1, sizeof(*ts));
    sbuf_init(&ts->text);
    ts->bad_borders = arg;
    return ts;
}

static void text_thread_release(void *ts)
{
    sbuf_release(&((struct text_ts *)ts)->text);
    free(ts);
}

static void text_piece(void *ts, const char *utf8, size_t len)
{
    sbuf_add(&((struct text_ts *)ts)->text, utf8, len);
}

static void *text_end(void *ts, const struct sink_doc *d)
{
    (void)d;
    struct sbuf *r = xmalloc(sizeof(*r));
    *r = ((struct text_ts *)ts)->text;
    sbuf_init(&((struct text_ts *)ts)->text);
    return r;
}

/* Line breaks in the white space around a border: the end of @a and the start of @b. */
static unsigned breaks_around(const struct sbuf *a, const struct sbuf *b)
{
    unsigned n = 0;
    for (size_t i = a->len; i > 0 && strchr(" \t\r\n", a->buf[i - 1]); i--)
        n += a->buf[i - 1] == '\n';
    for (size_t i = 0; i < b->len && strchr(" \t\r\n", b->buf[i]); i++)
        n += b->buf[i] == '\n';
    return n;
}

static void text_merge(void *ts, void *into, void *next, const struct sink_shift *shift)
{
    struct sbuf *a = into, *b = next;
    if (shift->off != a->len || breaks_around(a, b) < 2)
        (*((struct text_ts *)ts)->bad_borders)++;
    sbuf_add(a, b->buf, b->len);
    sbuf_release(b);
    free(b);
}

static void text_discard(void *result)
{
    sbuf_release(result);
    free(result);
}

static void on_text_deliver(size_t index, const struct corpus_doc *doc, void *result,
                            const struct tifa_err *err, void *arg)
{
    (void)index;
    (void)doc;
    assert_null(err);
    *(struct sbuf **)arg = result;
}

/* A consumer of the text gets the whole decoded document, in order, when it is scanned in
 * chunks (on one thread or two), and the chunks are cut only in paragraph breaks. */
static void test_text_consumer(void **state)
{
    struct fixture *f = *state;
    const char *paths[] = {f->path};
    for (unsigned threads = 1; threads <= 2; threads++) {
        int bad_borders = 0;
        struct sink s = {0};
        s.arg = &bad_borders;
        s.thread_init = text_thread_init;
        s.thread_release = text_thread_release;
        s.text = text_piece;
        s.end = text_end;
        s.merge = text_merge;
        s.discard = text_discard;
        struct corpus_stats st;
        struct corpus_opts o = {.threads = threads, .stats = &st};
        struct sbuf *got = NULL;
        setenv("TIFA_CHUNK_BYTES", "600000", 1);
        assert_int_equal(run_paths(paths, 1, &f->lx, f->ac, &o, &s, on_text_deliver, &got), 0);
        unsetenv("TIFA_CHUNK_BYTES");
        assert_non_null(got);
        assert_int_equal(got->len, f->g.text.len);
        assert_memory_equal(got->buf, f->g.text.buf, got->len);
        /* split on one thread too: a consumer of the text holds no more than a chunk */
        assert_int_equal(st.split_files, 1);
        assert_int_equal(bad_borders, 0);
        text_discard(got);
    }
}

struct progress_log {
    pthread_t caller;
    size_t calls, last_done, total;
    uint64_t last_bytes;
    int bad_thread, went_back;
};

static void on_progress(const struct corpus_progress *p, void *arg)
{
    struct progress_log *log = arg;
    if (!pthread_equal(pthread_self(), log->caller))
        log->bad_thread = 1;
    if (log->calls && (p->files_done < log->last_done || p->bytes_read < log->last_bytes))
        log->went_back = 1;
    if (!log->calls)
        assert_true(p->files_done == 0 && p->bytes_read == 0);
    log->calls++;
    log->last_done = p->files_done;
    log->last_bytes = p->bytes_read;
    log->total = p->files_total;
}

/* The progress hook: called at once (nothing done yet), then only on the calling thread, with
 * figures that never go back and never pass the run's; the counts are those without a hook. */
static void test_progress_hook(void **state)
{
    struct fixture *f = *state;
    const char *paths[] = {f->path, f->path, f->path};
    for (unsigned threads = 1; threads <= 3; threads++) {
        struct progress_log log;
        memset(&log, 0, sizeof(log));
        log.caller = pthread_self();
        uint64_t n[2] = {0, 0};
        struct corpus_opts o = {.threads = threads, .progress = on_progress, .progress_arg = &log};
        setenv("TIFA_CHUNK_BYTES", "600000", 1);
        assert_int_equal(count_paths(paths, 3, &f->lx, f->ac, &o, on_count, n), 0);
        unsetenv("TIFA_CHUNK_BYTES");
        assert_int_equal(n[0] + n[1], 3 * f->g.nw);
        assert_true(log.calls >= 1);
        assert_int_equal(log.total, 3);
        assert_false(log.bad_thread);
        assert_false(log.went_back);
        assert_true(log.last_done <= 3);
        assert_true(log.last_bytes <= 3 * (uint64_t)f->g.text.len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions_across_piece_borders),
        cmocka_unit_test(test_positions_in_chunks),
        cmocka_unit_test(test_positions_overlapping),
        cmocka_unit_test(test_counting_consumer),
        cmocka_unit_test(test_progress_hook),
        cmocka_unit_test(test_text_consumer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
