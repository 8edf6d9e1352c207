/*
 * patcount: the counting consumer with patterns.
 *
 * How it works: the thread state holds agg's counting state (its callbacks are called as they
 * are: matches of the lexicon are counted exactly as count counts them), the document's text
 * as it arrives, and a rule scanner. At the end of a document or chunk agg's result is taken,
 * the text normalized and scanned paragraph by paragraph, and the "NAME:text" counts (a strmap)
 * frozen into agg_doc.extra, sorted by term bytes. Chunks of a big file end at paragraph
 * breaks, so merging sums the extra counts of equal terms (a merge of two sorted lists).
 * A pcre2 failure (its match or depth limit, which the short patterns of formulas do not come
 * near) stops the scan of that document: the matches found before it count.
 */
#include "tifa/patcount.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/agg.h"
#include "tifa/sbuf.h"
#include "tifa/strmap.h"
#include "tifa/text.h"
#include "tifa/xalloc.h"

struct pat_ts {
    const struct patcount_arg *arg;
    struct sink inner;
    void *inner_ts;
    struct rule_scanner sc;
    struct sbuf raw, norm, key;
    struct strmap counts;
    struct agg_extra *v;
    size_t nv, valloc;
};

struct pat_scan {
    struct pat_ts *ts;
    const char *para;
};

static void *pat_thread_init(void *p)
{
    const struct patcount_arg *a = p;
    struct pat_ts *ts = xcalloc(1, sizeof(*ts));
    ts->arg = a;
    agg_count_sink(&ts->inner, a->lx, a->resolver);
    ts->inner_ts = ts->inner.thread_init(ts->inner.arg);
    rule_scanner_init(&ts->sc, a->rules);
    sbuf_init(&ts->raw);
    sbuf_init(&ts->norm);
    sbuf_init(&ts->key);
    strmap_init(&ts->counts);
    return ts;
}

static void pat_thread_release(void *p)
{
    struct pat_ts *ts = p;
    ts->inner.thread_release(ts->inner_ts);
    rule_scanner_release(&ts->sc);
    sbuf_release(&ts->raw);
    sbuf_release(&ts->norm);
    sbuf_release(&ts->key);
    strmap_release(&ts->counts);
    free(ts->v);
    free(ts);
}

static void pat_begin(void *p, const struct sink_doc *d)
{
    struct pat_ts *ts = p;
    sbuf_reset(&ts->raw);
    if (ts->inner.begin)
        ts->inner.begin(ts->inner_ts, d);
}

static void pat_text(void *p, const char *utf8, size_t len)
{
    struct pat_ts *ts = p;
    sbuf_add(&ts->raw, utf8, len);
    if (ts->inner.text)
        ts->inner.text(ts->inner_ts, utf8, len);
}

static void pat_match(void *p, const struct sink_match *m)
{
    struct pat_ts *ts = p;
    ts->inner.match(ts->inner_ts, m);
}

static void pat_match_ids(void *p, const uint32_t *ids, size_t n)
{
    struct pat_ts *ts = p;
    ts->inner.match_ids(ts->inner_ts, ids, n);
}

static void on_pattern(const struct rule_match *m, void *arg)
{
    struct pat_scan *x = arg;
    struct pat_ts *ts = x->ts;
    const char *name = ts->arg->rules->v[m->rule_id].name;
    sbuf_reset(&ts->key);
    sbuf_addstr(&ts->key, name);
    sbuf_addch(&ts->key, ':');
    sbuf_add(&ts->key, x->para + m->off, m->len);
    int inserted;
    size_t *slot = strmap_put(&ts->counts, ts->key.buf, ts->key.len, ts->nv, &inserted);
    if (inserted) {
        ALLOC_GROW(ts->v, ts->nv + 1, ts->valloc);
        ts->v[ts->nv].term = xstrndup(ts->key.buf, ts->key.len);
        ts->v[ts->nv++].count = 0;
    }
    ts->v[*slot].count++;
}

static int cmp_extra(const void *a, const void *b)
{
    return strcmp(((const struct agg_extra *)a)->term, ((const struct agg_extra *)b)->term);
}

static void *pat_end(void *p, const struct sink_doc *d)
{
    struct pat_ts *ts = p;
    struct agg_doc *doc = ts->inner.end(ts->inner_ts, d);
    sbuf_reset(&ts->norm);
    text_normalize(ts->raw.buf ? ts->raw.buf : "", ts->raw.len, &ts->norm);
    const char *t = ts->norm.buf ? ts->norm.buf : "";
    struct tifa_err e;
    tifa_err_init(&e);
    for (size_t a = 0; a < ts->norm.len;) {
        const char *nl = memchr(t + a, '\n', ts->norm.len - a);
        size_t b = nl ? (size_t)(nl - t) : ts->norm.len;
        struct pat_scan x = {ts, t + a};
        if (rule_scan(&ts->sc, t + a, b - a, on_pattern, &x, &e))
            break; /* a match limit: the matches found so far count */
        a = b + 1;
    }
    if (ts->nv)
        qsort(ts->v, ts->nv, sizeof(*ts->v), cmp_extra);
    doc->extra = ts->v;
    doc->nextra = ts->nv;
    ts->v = NULL;
    ts->nv = ts->valloc = 0;
    strmap_release(&ts->counts);
    strmap_init(&ts->counts);
    sbuf_reset(&ts->raw);
    return doc;
}

static void pat_merge(void *p, void *into_p, void *next_p, const struct sink_shift *shift)
{
    struct pat_ts *ts = p;
    struct agg_doc *into = into_p, *next = next_p;
    struct agg_extra *a = into->extra, *b = next->extra, *m = NULL;
    size_t na = into->nextra, nb = next->nextra, i = 0, j = 0, n = 0, alloc = 0;
    while (i < na || j < nb) {
        ALLOC_GROW(m, n + 1, alloc);
        int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i].term, b[j].term);
        if (c < 0) {
            m[n++] = a[i++];
        } else if (c > 0) {
            m[n++] = b[j++];
        } else {
            m[n] = a[i++];
            m[n++].count += b[j].count;
            free(b[j++].term);
        }
    }
    free(a);
    free(b);
    into->extra = m;
    into->nextra = n;
    next->extra = NULL;
    next->nextra = 0;
    ts->inner.merge(ts->inner_ts, into, next, shift);
}

static void pat_finish(void *arg, void *result)
{
    const struct patcount_arg *a = arg;
    struct sink inner;
    agg_count_sink(&inner, a->lx, a->resolver);
    if (inner.finish)
        inner.finish(inner.arg, result);
}

static void pat_discard(void *result)
{
    if (result)
        agg_doc_release(result);
    free(result);
}

void patcount_sink(struct sink *s, const struct patcount_arg *a)
{
    memset(s, 0, sizeof(*s));
    s->arg = (void *)(uintptr_t)a; /* thread_init reads it only */
    s->thread_init = pat_thread_init;
    s->thread_release = pat_thread_release;
    s->begin = pat_begin;
    s->text = pat_text;
    s->match = pat_match;
    s->match_ids = pat_match_ids;
    s->end = pat_end;
    s->merge = pat_merge;
    s->discard = pat_discard;
    if (a->resolver)
        s->finish = pat_finish;
}
