/*
 * kwic: the concordance consumer, context cutting, sort orders and the sample (kwic.h).
 *
 * How it works: the sink asks the driver for positions and for context bytes enough for the
 * width (4 bytes a column covers every character of width 1 or 2; zero-width ones may make a
 * context shorter than the width, never longer) or SINK_CONTEXT_MAX for sentences. Each match
 * becomes a record on the worker thread, its context cut there, so the cutting runs on every
 * thread and the calling thread only prints. Chunks of a big file are merged by shifting
 * offsets, lines and first-line columns (sink_shift).
 */
#include "tifa/kwic.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/normalize.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

/* ---- characters ---- */

/* The code point at @s[i] (valid UTF-8: the decoded text), and its length in *@n. */
static uint32_t cp_at(const char *s, size_t len, size_t i, size_t *n)
{
    uint32_t cp;
    int bad;
    *n = utf8_decode((const unsigned char *)s + i, len - i, &cp, &bad);
    return bad ? UTF8_REPLACEMENT : cp;
}

/* The start of the character that ends at @i (> 0). */
static size_t cp_back(const char *s, size_t i)
{
    size_t j = i - 1;
    while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
        j--;
    return j;
}

/* Columns of one character as the table shows it: control characters (line breaks as ⏎, tab
 * as a space, the rest as U+FFFD) take one. */
static unsigned cp_cols(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 1;
    return (unsigned)utf8_cp_cols(cp);
}

size_t kwic_cols(const char *s, size_t len)
{
    size_t cols = 0, n;
    for (size_t i = 0; i < len; i += n) {
        uint32_t cp = cp_at(s, len, i, &n);
        if (cp == '\n' && i > 0 && s[i - 1] == '\r')
            continue; /* CR LF is one break */
        cols += cp_cols(cp);
    }
    return cols;
}

size_t kwic_cut_left(const char *before, size_t blen, unsigned cols)
{
    size_t at = blen, used = 0;
    while (at > 0) {
        size_t j = cp_back(before, at), n;
        if (before[j] == '\n' && j > 0 && before[j - 1] == '\r')
            j--; /* CR LF: one unit */
        uint32_t cp = cp_at(before, blen, j, &n);
        unsigned w = cp_cols(cp);
        if (used + w > cols)
            break;
        used += w;
        at = j;
    }
    return at;
}

size_t kwic_cut_right(const char *after, size_t alen, unsigned cols)
{
    size_t at = 0, used = 0, n;
    while (at < alen) {
        uint32_t cp = cp_at(after, alen, at, &n);
        if (cp == '\r' && at + 1 < alen && after[at + 1] == '\n')
            n = 2;
        unsigned w = cp_cols(cp);
        if (used + w > cols)
            break;
        used += w;
        at += n;
    }
    return at;
}

static enum char_class class_of(uint32_t cp)
{
    uint32_t ncp = normalize_cp(cp);
    return ncp == NORM_DROP ? CC_SPACE : normalize_class(ncp);
}

static int is_closer(uint32_t cp)
{
    return class_of(cp) == CC_QUOTE_CLOSE || cp == 0xFF09 /* ） */ || cp == ')' ||
           cp == 0x3011 /* 】 */ || cp == 0x3015 /* 〕 */;
}

static int is_blank(enum char_class c)
{
    return c == CC_SPACE || c == CC_NEWLINE;
}

size_t kwic_sentence_left(const char *before, size_t blen)
{
    size_t start = 0, n;
    for (size_t at = blen; at > 0;) {
        size_t j = cp_back(before, at);
        if (class_of(cp_at(before, blen, j, &n)) == CC_SENT_END) {
            start = at;
            break;
        }
        at = j;
    }
    /* closing quotes after the end belong to the sentence before; then white space */
    while (start < blen) {
        uint32_t cp = cp_at(before, blen, start, &n);
        if (!is_closer(cp) && !is_blank(class_of(cp)))
            break;
        start += n;
    }
    return start;
}

size_t kwic_sentence_right(const char *after, size_t alen)
{
    size_t at = 0, n;
    int ended = 0;
    while (at < alen) {
        uint32_t cp = cp_at(after, alen, at, &n);
        enum char_class c = class_of(cp);
        if (c == CC_SENT_END)
            ended = 1;
        else if (ended && !is_closer(cp))
            return at;
        at += n;
    }
    /* no end in sight: the paragraph (or the context) ends it, without trailing white space */
    while (at > 0) {
        size_t j = cp_back(after, at);
        if (!is_blank(class_of(cp_at(after, alen, j, &n))))
            break;
        at = j;
    }
    return at;
}

/* ---- the consumer ---- */

struct kwic_ts {
    const struct kwic_opts *o;
    struct kwic_list *cur;
    struct resolve_ts *rt; /* with a resolver */
    size_t doc;            /* the document's input index */
};

static void *kwic_thread_init(void *arg)
{
    struct kwic_ts *ts = xcalloc(1, sizeof(*ts));
    ts->o = arg;
    if (ts->o->resolver)
        ts->rt = resolve_ts_new(ts->o->resolver);
    return ts;
}

static void kwic_thread_release(void *p)
{
    struct kwic_ts *ts = p;
    kwic_list_free(ts->cur);
    resolve_ts_free(ts->rt);
    free(ts);
}

static void kwic_begin(void *p, const struct sink_doc *d)
{
    struct kwic_ts *ts = p;
    if (!ts->cur)
        ts->cur = xcalloc(1, sizeof(*ts->cur));
    kwic_list_clear(ts->cur);
    ts->doc = d->index;
    if (ts->rt)
        resolve_begin(ts->rt, d->part);
}

static void kwic_text(void *p, const char *utf8, size_t len)
{
    resolve_text(((struct kwic_ts *)p)->rt, utf8, len);
}

static void kwic_match(void *p, const struct sink_match *m)
{
    struct kwic_ts *ts = p;
    struct kwic_list *l = ts->cur;
    size_t b0, alen;
    if (ts->o->sentence) {
        b0 = kwic_sentence_left(m->before, m->before_len);
        alen = kwic_sentence_right(m->after, m->after_len);
    } else {
        b0 = kwic_cut_left(m->before, m->before_len, ts->o->width);
        alen = kwic_cut_right(m->after, m->after_len, ts->o->width);
    }
    size_t blen = m->before_len - b0;
    ALLOC_GROW(l->v, l->n + 1, l->alloc);
    struct kwic_rec *r = &l->v[l->n++];
    memset(r, 0, sizeof(*r));
    r->doc = m->doc_index;
    r->off = m->off;
    r->line = m->line;
    r->column = m->column;
    r->label_id = m->label_id;
    r->blocker = m->blocker;
    r->sense = KWIC_NO_SENSE;
    if (ts->rt && !m->blocker)
        resolve_note_ids(ts->rt, &m->pattern_id, 1);
    r->left_len = (uint32_t)blen;
    r->match_len = (uint32_t)m->len;
    r->right_len = (uint32_t)alen;
    r->text = xmalloc(blen + (size_t)m->len + alen + 1);
    memcpy(r->text, m->before + b0, blen);
    memcpy(r->text + blen, m->surface, (size_t)m->len);
    memcpy(r->text + blen + m->len, m->after, alen);
    r->text[blen + m->len + alen] = '\0';
}

/* Line and column of @off in @text as the sink counts them (LF, CR LF and CR end a line;
 * columns in code points), going on from *@at, *@line and *@col (a cursor at or before @off). */
static void line_column_at(const char *text, uint64_t off, uint64_t *at, uint64_t *line,
                           uint64_t *col)
{
    for (uint64_t i = *at; i < off; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\r' || (c == '\n' && !(i > 0 && text[i - 1] == '\r'))) {
            (*line)++;
            *col = 1;
        } else if (c != '\n' && (c & 0xC0) != 0x80) {
            (*col)++;
        }
    }
    *at = off;
}

static int cmp_rec_off(const void *a, const void *b)
{
    const struct kwic_rec *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    if (x->expansion != y->expansion)
        return x->expansion - y->expansion; /* a match before an expansion starting there */
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A record per full expansion of the document (resolve_take_spans), of the labels shown, put
 * among the matches in text order. */
static void add_expansions(struct kwic_ts *ts, struct kwic_list *l)
{
    const struct lexicon *lx = resolver_lexicon(ts->o->resolver);
    struct resolve_span *sp;
    struct resolve_comp_span *cs;
    size_t n = resolve_take_spans(l->reading, &sp, &cs), len, added = 0;
    const char *text = resolve_ts_text(ts->rt, &len);
    uint64_t at = 0, line = 1, col = 1;
    for (size_t i = 0; i < n; i++) {
        uint32_t label = lx->entries[sp[i].entry].label_id;
        if (ts->o->labels && !ts->o->labels[label])
            continue;
        const struct resolve_comp_span *c = cs + sp[i].first;
        uint64_t m0 = c[0].start, m1 = c[0].end;
        for (size_t k = 1; k < sp[i].n; k++)
            if (c[k].end > m1)
                m1 = c[k].end;
        if (m0 < at) {
            at = 0;
            line = col = 1;
        }
        line_column_at(text, m0, &at, &line, &col);
        ALLOC_GROW(l->v, l->n + 1, l->alloc);
        struct kwic_rec *r = &l->v[l->n++];
        memset(r, 0, sizeof(*r));
        r->doc = ts->doc;
        r->off = m0;
        r->line = line;
        r->column = col;
        r->label_id = label;
        r->sense = sp[i].entry;
        r->expansion = 1;
        r->left_len = (uint32_t)(m0 - sp[i].start);
        r->match_len = (uint32_t)(m1 - m0);
        r->right_len = (uint32_t)(sp[i].end - m1);
        size_t tl = (size_t)(sp[i].end - sp[i].start);
        r->text = xmalloc(tl + 1);
        memcpy(r->text, text + sp[i].start, tl);
        r->text[tl] = '\0';
        r->comps = xmalloc(st_mult(sp[i].n, sizeof(*r->comps)));
        r->ncomps = (uint32_t)sp[i].n;
        for (size_t k = 0; k < sp[i].n; k++) {
            r->comps[k].at = (uint32_t)(c[k].start - m0);
            r->comps[k].len = (uint32_t)(c[k].end - c[k].start);
            r->comps[k].index = c[k].index;
        }
        added++;
    }
    free(sp);
    free(cs);
    if (!added)
        return;
    for (size_t i = 0; i < l->n; i++)
        l->v[i].seq = i;
    if (l->n > 1)
        qsort(l->v, l->n, sizeof(*l->v), cmp_rec_off);
}

static void *kwic_end(void *p, const struct sink_doc *d)
{
    struct kwic_ts *ts = p;
    (void)d;
    struct kwic_list *l = ts->cur;
    ts->cur = NULL;
    if (ts->rt) {
        l->reading = resolve_end(ts->rt);
        if (ts->o->expansions)
            add_expansions(ts, l);
    }
    return l;
}

/* The document-wide step (sink.finish): each record takes the label its occurrence counts
 * under and its sense, as count decides them; a record of neither an asked term nor an asked
 * short form goes. */
static void kwic_finish(void *arg, void *result)
{
    const struct kwic_opts *o = arg;
    const struct lexicon *lx = resolver_lexicon(o->resolver);
    struct kwic_list *l = result;
    struct resolve_result res;
    memset(&res, 0, sizeof(res));
    resolve_reading_finish(o->resolver, l->reading, &res);
    l->reading = NULL;
    size_t k = 0, n = 0;
    for (size_t i = 0; i < l->n; i++) {
        struct kwic_rec *r = &l->v[i];
        while (k < res.nocc && res.occ[k].start < r->off)
            k++;
        const struct lex_label *lb = &lx->labels[r->label_id];
        uint32_t as_written = r->label_id;
        if (r->expansion)
            ; /* its entry is its sense */
        else if (!r->blocker && k < res.nocc && res.occ[k].start == r->off) {
            r->label_id = res.occ[k].label_id;
            r->sense = res.occ[k].entry;
        } else if (!r->blocker && (lb->abbreviation || lb->senses > 1))
            r->sense = RESOLVE_UNRESOLVED;
        if (o->asked && !o->asked[r->label_id] && !o->asked[as_written]) {
            kwic_rec_release(r);
            continue;
        }
        l->v[n++] = *r;
    }
    l->n = n;
    resolve_result_release(&res);
}

static void kwic_merge(void *p, void *into, void *next, const struct sink_shift *shift)
{
    struct kwic_list *a = into, *b = next;
    (void)p;
    a->reading = resolve_reading_merge(a->reading, b->reading, shift->off);
    b->reading = NULL;
    for (size_t i = 0; i < b->n; i++) {
        struct kwic_rec *r = &b->v[i];
        r->off += shift->off;
        if (r->line == 1)
            r->column += shift->cols;
        r->line += shift->lines;
        ALLOC_GROW(a->v, a->n + 1, a->alloc);
        a->v[a->n++] = *r;
    }
    b->n = 0; /* the texts moved to @a */
    kwic_list_free(b);
}

static void kwic_discard(void *result)
{
    kwic_list_free(result);
}

void kwic_sink(struct sink *s, const struct kwic_opts *o)
{
    memset(s, 0, sizeof(*s));
    s->flags = SINK_POSITIONS | (o->blocked ? SINK_BLOCKED : 0);
    size_t want = o->sentence ? SINK_CONTEXT_MAX : (size_t)o->width * 4 + 16;
    s->context_bytes = want < SINK_CONTEXT_MAX ? want : SINK_CONTEXT_MAX;
    s->labels = o->labels;
    s->arg = (void *)(uintptr_t)o; /* thread_init reads it only */
    s->thread_init = kwic_thread_init;
    s->thread_release = kwic_thread_release;
    s->begin = kwic_begin;
    s->match = kwic_match;
    s->end = kwic_end;
    s->merge = kwic_merge;
    s->discard = kwic_discard;
    if (o->resolver) {
        s->text = kwic_text;
        s->finish = kwic_finish;
    }
}

void kwic_rec_release(struct kwic_rec *r)
{
    free(r->text);
    free(r->comps);
    r->text = NULL;
    r->comps = NULL;
}

void kwic_list_clear(struct kwic_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        kwic_rec_release(&l->v[i]);
    l->n = 0;
}

void kwic_list_free(struct kwic_list *l)
{
    if (!l)
        return;
    kwic_list_clear(l);
    resolve_reading_free(l->reading);
    free(l->v);
    free(l);
}

/* ---- orders ---- */

int kwic_sort_parse(const char *s, enum kwic_sort *out)
{
    static const char *const names[] = {"path", "left", "right", "term"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(s, names[i])) {
            *out = (enum kwic_sort)i;
            return 0;
        }
    return -1;
}

/* Left contexts read outward: compares code points from the match back; the one that runs out
 * first comes first. */
static int cmp_left(const struct kwic_rec *a, const struct kwic_rec *b)
{
    size_t i = a->left_len, j = b->left_len, n;
    while (i > 0 && j > 0) {
        size_t pi = cp_back(a->text, i), pj = cp_back(b->text, j);
        uint32_t ca = cp_at(a->text, a->left_len, pi, &n), cb = cp_at(b->text, b->left_len, pj, &n);
        if (ca != cb)
            return ca < cb ? -1 : 1;
        i = pi;
        j = pj;
    }
    return (i > 0) - (j > 0);
}

/* Right contexts read outward is byte order: UTF-8 sorts as its code points. */
static int cmp_right(const struct kwic_rec *a, const struct kwic_rec *b)
{
    const char *ra = a->text + a->left_len + a->match_len;
    const char *rb = b->text + b->left_len + b->match_len;
    size_t n = a->right_len < b->right_len ? a->right_len : b->right_len;
    int c = memcmp(ra, rb, n);
    if (c)
        return c < 0 ? -1 : 1;
    return (a->right_len > n) - (b->right_len > n);
}

struct sort_ctx {
    enum kwic_sort key;
    const struct lexicon *lx;
};

static int cmp_rec(const void *pa, const void *pb, void *arg)
{
    const struct kwic_rec *a = pa, *b = pb;
    const struct sort_ctx *c = arg;
    int r = 0;
    switch (c->key) {
    case KWIC_SORT_PATH: break;
    case KWIC_SORT_LEFT: r = cmp_left(a, b); break;
    case KWIC_SORT_RIGHT: r = cmp_right(a, b); break;
    case KWIC_SORT_TERM: {
        uint32_t ra = c->lx->labels[a->label_id].rank, rb = c->lx->labels[b->label_id].rank;
        r = (ra > rb) - (ra < rb);
        break;
    }
    }
    if (r)
        return r;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

void kwic_list_sort(struct kwic_list *l, enum kwic_sort key, const struct lexicon *lx)
{
    struct sort_ctx c = {key, lx};
    if (l->n > 1)
        qsort_r(l->v, l->n, sizeof(l->v[0]), cmp_rec, &c);
}

/* ---- the sample ---- */

/* splitmix64 (Steele, Lea, Flood 2014): one 64-bit state, good enough for sampling. */
static uint64_t next_rng(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A uniform integer in [0, n) without modulo bias (rejection of the short last stretch). */
static uint64_t rng_below(uint64_t *state, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;
    do
        x = next_rng(state);
    while (x >= limit);
    return x % n;
}

void kwic_sample_init(struct kwic_sample *s, size_t size, uint64_t seed)
{
    memset(s, 0, sizeof(*s));
    s->size = size;
    s->rng = seed;
}

void kwic_sample_offer(struct kwic_sample *s, struct kwic_rec *r)
{
    uint64_t i = s->seen++;
    if (i < s->size) {
        ALLOC_GROW(s->kept.v, s->kept.n + 1, s->kept.alloc);
        s->kept.v[s->kept.n++] = *r;
        return;
    }
    uint64_t j = rng_below(&s->rng, i + 1);
    if (j < s->size) {
        kwic_rec_release(&s->kept.v[j]);
        s->kept.v[j] = *r;
    } else {
        kwic_rec_release(r);
    }
}

void kwic_sample_take(struct kwic_sample *s, struct kwic_list *out)
{
    kwic_list_sort(&s->kept, KWIC_SORT_PATH, NULL);
    for (size_t i = 0; i < s->kept.n; i++) {
        ALLOC_GROW(out->v, out->n + 1, out->alloc);
        out->v[out->n++] = s->kept.v[i];
    }
    free(s->kept.v);
    memset(&s->kept, 0, sizeof(s->kept));
}
