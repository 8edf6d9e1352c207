/*
 * agg: tallies, totals and sorted term rows.
 *
 * How it works: a tally is a dense uint64 array over label ids plus a touched list; adding is
 * one increment (and a push the first time), freezing copies the touched entries out, sorts
 * them (qsort, or a radix sort on one 64-bit key for many rows) and zeroes just those slots.
 * Totals add a frozen document in O(its terms). Sorting is by count then term bytes, which
 * makes every output order a function of the data only.
 */
#include "tifa/agg.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/xalloc.h"

void agg_tally_init(struct agg_tally *t, size_t nlabels)
{
    t->nlabels = nlabels;
    t->counts = xcalloc(nlabels ? nlabels : 1, sizeof(uint64_t));
    t->touched = xmalloc(st_mult(nlabels ? nlabels : 1, sizeof(uint32_t)));
    t->ntouched = 0;
}

void agg_tally_release(struct agg_tally *t)
{
    free(t->counts);
    free(t->touched);
    memset(t, 0, sizeof(*t));
}

/* qsort has no context argument in C11: sort pairs that carry their label's rank. */
struct ranked_count {
    uint64_t count;
    uint32_t rank;
    uint32_t label_id;
};

static int cmp_ranked(const void *a, const void *b)
{
    const struct ranked_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Below this many rows qsort is as quick as the radix sort's eight counting passes. */
#define AGG_RADIX_MIN 256

struct keyed_count {
    uint64_t key; /* (UINT32_MAX - count) << 32 | rank: ascending key = the output order */
    uint32_t label_id;
};

/* LSD radix sort by key, a byte at a time, skipping bytes that all keys share. A big lexicon
 * touches thousands of terms per document; qsort with a comparator took 12% of `count` with
 * make bench's 10k-term lexicon. */
static void radix_sort_keyed(struct keyed_count *a, struct keyed_count *tmp, size_t n)
{
    struct keyed_count *src = a, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t at[257] = {0};
        for (size_t i = 0; i < n; i++)
            at[((src[i].key >> shift) & 0xFF) + 1]++;
        if (at[((src[0].key >> shift) & 0xFF) + 1] == n)
            continue;
        for (int d = 0; d < 256; d++)
            at[d + 1] += at[d];
        for (size_t i = 0; i < n; i++)
            dst[at[(src[i].key >> shift) & 0xFF]++] = src[i];
        struct keyed_count *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(*a));
}

void agg_counts_sort(struct agg_count *c, size_t n, const struct lexicon *lx)
{
    int fits = n >= AGG_RADIX_MIN;
    for (size_t i = 0; fits && i < n; i++)
        fits = c[i].count <= UINT32_MAX;
    if (fits) {
        struct keyed_count *k = xmalloc(st_mult(2 * n, sizeof(*k)));
        for (size_t i = 0; i < n; i++) {
            k[i].key = (uint64_t)(UINT32_MAX - c[i].count) << 32 | lx->labels[c[i].label_id].rank;
            k[i].label_id = c[i].label_id;
        }
        radix_sort_keyed(k, k + n, n);
        for (size_t i = 0; i < n; i++) {
            c[i].label_id = k[i].label_id;
            c[i].count = UINT32_MAX - (k[i].key >> 32);
        }
        free(k);
        return;
    }
    struct ranked_count *k = xmalloc(st_mult(n + 1, sizeof(*k)));
    for (size_t i = 0; i < n; i++) {
        k[i].count = c[i].count;
        k[i].label_id = c[i].label_id;
        k[i].rank = lx->labels[c[i].label_id].rank;
    }
    qsort(k, n, sizeof(*k), cmp_ranked);
    for (size_t i = 0; i < n; i++) {
        c[i].label_id = k[i].label_id;
        c[i].count = k[i].count;
    }
    free(k);
}

void agg_tally_freeze(struct agg_tally *t, const struct lexicon *lx, struct agg_doc *doc)
{
    doc->counts = xmalloc(st_mult(t->ntouched + 1, sizeof(struct agg_count)));
    for (size_t i = 0; i < t->ntouched; i++) {
        uint32_t id = t->touched[i];
        doc->counts[i].label_id = id;
        doc->counts[i].count = t->counts[id];
        t->counts[id] = 0;
    }
    doc->ncounts = t->ntouched;
    t->ntouched = 0;
    agg_counts_sort(doc->counts, doc->ncounts, lx);
}

void agg_tally_clear(struct agg_tally *t)
{
    for (size_t i = 0; i < t->ntouched; i++)
        t->counts[t->touched[i]] = 0;
    t->ntouched = 0;
}

void agg_tally_add_counts(struct agg_tally *t, const struct agg_count *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!t->counts[c[i].label_id])
            t->touched[t->ntouched++] = c[i].label_id;
        t->counts[c[i].label_id] += c[i].count;
    }
}

/* ---- the counting consumer (sink.h) ---- */

struct count_ts {
    struct agg_tally tally;
    const struct lexicon *lx;
    struct resolve_ts *rt; /* with a resolver */
    int own_scan;          /* resolver_counts: the reading counts (SINK_OWN_SCAN) */
};

static void *count_thread_init(void *arg)
{
    const struct lexicon *lx = arg;
    struct count_ts *ts = xcalloc(1, sizeof(*ts));
    agg_tally_init(&ts->tally, lx->nlabels);
    ts->lx = lx;
    return ts;
}

static void *count_thread_init_resolving(void *arg)
{
    const struct resolver *r = arg;
    struct count_ts *ts = count_thread_init((void *)(uintptr_t)resolver_lexicon(r));
    ts->rt = resolve_ts_new(r);
    ts->own_scan = resolver_counts(r);
    return ts;
}

static void count_thread_release(void *p)
{
    struct count_ts *ts = p;
    agg_tally_release(&ts->tally);
    resolve_ts_free(ts->rt);
    free(ts);
}

static void count_begin(void *p, const struct sink_doc *d)
{
    struct count_ts *ts = p;
    agg_tally_clear(&ts->tally);
    if (ts->rt)
        resolve_begin(ts->rt, d->part);
}

static void count_text(void *p, const char *utf8, size_t len)
{
    resolve_text(((struct count_ts *)p)->rt, utf8, len);
}

static void count_match(void *p, const struct sink_match *m)
{
    struct count_ts *ts = p;
    agg_tally_add(&ts->tally, m->label_id);
    if (ts->rt)
        resolve_note_ids(ts->rt, &m->pattern_id, 1);
}

static void count_match_ids(void *p, const uint32_t *pattern_ids, size_t n)
{
    struct count_ts *ts = p;
    const struct lex_pattern *pats = ts->lx->patterns;
    for (size_t i = 0; i < n; i++)
        agg_tally_add(&ts->tally, pats[pattern_ids[i]].label_id);
    if (ts->rt)
        resolve_note_ids(ts->rt, pattern_ids, n);
}

static void *count_end(void *p, const struct sink_doc *d)
{
    struct count_ts *ts = p;
    struct agg_doc *doc = xcalloc(1, sizeof(*doc));
    (void)d;
    if (ts->own_scan) {
        /* the reading counted (SINK_OWN_SCAN): its matches are final once it ends */
        const uint32_t *ids;
        doc->reading = resolve_end(ts->rt);
        size_t n = resolve_counted(ts->rt, &ids);
        const struct lex_pattern *pats = ts->lx->patterns;
        for (size_t i = 0; i < n; i++)
            agg_tally_add(&ts->tally, pats[ids[i]].label_id);
        agg_tally_freeze(&ts->tally, ts->lx, doc);
        return doc;
    }
    agg_tally_freeze(&ts->tally, ts->lx, doc);
    if (ts->rt)
        doc->reading = resolve_end(ts->rt);
    return doc;
}

static void count_text_stats(void *p, uint64_t *chars, uint64_t *han)
{
    resolve_text_stats(((struct count_ts *)p)->rt, chars, han);
}

/* Sums commute: the shift of positions means nothing to counts (a reading's cues keep it). */
static void count_merge(void *p, void *into, void *next, const struct sink_shift *shift)
{
    struct count_ts *ts = p;
    struct agg_doc *a = into, *b = next;
    a->reading = resolve_reading_merge(a->reading, b->reading, shift->off);
    b->reading = NULL;
    agg_tally_clear(&ts->tally);
    agg_tally_add_counts(&ts->tally, a->counts, a->ncounts);
    agg_tally_add_counts(&ts->tally, b->counts, b->ncounts);
    free(a->counts);
    agg_tally_freeze(&ts->tally, ts->lx, a);
    agg_doc_release(b);
    free(b);
}

static void count_discard(void *result)
{
    if (result)
        agg_doc_release(result);
    free(result);
}

/* Adds @n (label, count) pairs to the sorted counts of @doc, keeping them sorted and non-zero. */
static void doc_add_counts(struct agg_doc *doc, const struct lexicon *lx, uint32_t label,
                           int64_t delta)
{
    for (size_t i = 0; i < doc->ncounts; i++) {
        if (doc->counts[i].label_id != label)
            continue;
        doc->counts[i].count = (uint64_t)((int64_t)doc->counts[i].count + delta);
        if (!doc->counts[i].count) {
            memmove(doc->counts + i, doc->counts + i + 1,
                    (doc->ncounts - i - 1) * sizeof(*doc->counts));
            doc->ncounts--;
        }
        agg_counts_sort(doc->counts, doc->ncounts, lx);
        return;
    }
    doc->counts = xrealloc(doc->counts, st_mult(doc->ncounts + 1, sizeof(*doc->counts)));
    doc->counts[doc->ncounts].label_id = label;
    doc->counts[doc->ncounts++].count = (uint64_t)delta;
    agg_counts_sort(doc->counts, doc->ncounts, lx);
}

static int cmp_sense(const void *a, const void *b)
{
    const struct resolve_sense *x = a, *y = b;
    if (x->label_id != y->label_id)
        return x->label_id < y->label_id ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* The document-wide step (sink.finish): the reading decided, abbreviations move to the labels
 * their cues chose, and a shared label no reading decides has every occurrence unresolved. */
static void count_finish(void *arg, void *result)
{
    const struct resolver *r = arg;
    const struct lexicon *lx = resolver_lexicon(r);
    struct agg_doc *doc = result;
    struct resolve_result *res = &doc->read;
    resolve_reading_finish(r, doc->reading, res);
    doc->reading = NULL;
    for (size_t i = 0; i < res->nmoves; i++) {
        doc_add_counts(doc, lx, res->moves[i].from, -(int64_t)res->moves[i].count);
        doc_add_counts(doc, lx, res->moves[i].to, (int64_t)res->moves[i].count);
    }
    size_t before = res->nsenses;
    for (size_t i = 0; i < doc->ncounts; i++) {
        uint32_t l = doc->counts[i].label_id;
        if (l >= lx->nlabels || resolver_reads_label(r, l) ||
            (!lx->labels[l].abbreviation && lx->labels[l].senses < 2))
            continue;
        res->senses = xrealloc(res->senses, st_mult(res->nsenses + 1, sizeof(*res->senses)));
        res->senses[res->nsenses].label_id = l;
        res->senses[res->nsenses].entry = RESOLVE_UNRESOLVED;
        res->senses[res->nsenses++].count = doc->counts[i].count;
    }
    if (res->nsenses != before)
        qsort(res->senses, res->nsenses, sizeof(*res->senses), cmp_sense);
}

void agg_count_sink(struct sink *s, const struct lexicon *lx, const struct resolver *r)
{
    memset(s, 0, sizeof(*s));
    s->arg = (void *)(uintptr_t)lx; /* thread_init reads it only */
    s->thread_init = count_thread_init;
    if (r) {
        s->arg = (void *)(uintptr_t)r;
        s->thread_init = count_thread_init_resolving;
        s->text = count_text;
        s->finish = count_finish;
        if (resolver_counts(r)) {
            s->flags |= SINK_OWN_SCAN;
            s->text_stats = count_text_stats;
        }
    }
    s->thread_release = count_thread_release;
    s->begin = count_begin;
    s->match = count_match;
    s->match_ids = count_match_ids;
    s->end = count_end;
    s->merge = count_merge;
    s->discard = count_discard;
}

void agg_doc_release(struct agg_doc *doc)
{
    for (size_t i = 0; i < doc->nextra; i++)
        free(doc->extra[i].term);
    free(doc->extra);
    doc->extra = NULL;
    doc->nextra = 0;
    free(doc->path);
    free(doc->counts);
    free(doc->head);
    resolve_reading_free(doc->reading);
    doc->reading = NULL;
    resolve_result_release(&doc->read);
    doc->path = NULL;
    doc->counts = NULL;
    doc->head = NULL;
    doc->head_len = 0;
    doc->ncounts = 0;
}

void agg_total_init(struct agg_total *tot, size_t nlabels)
{
    memset(tot, 0, sizeof(*tot));
    tot->nlabels = nlabels;
    tot->counts = xcalloc(nlabels ? nlabels : 1, sizeof(uint64_t));
    tot->doc_freq = xcalloc(nlabels ? nlabels : 1, sizeof(uint64_t));
}

void agg_total_grow(struct agg_total *tot, size_t nlabels)
{
    if (nlabels <= tot->nlabels)
        return;
    tot->counts = xrealloc(tot->counts, st_mult(nlabels, sizeof(uint64_t)));
    tot->doc_freq = xrealloc(tot->doc_freq, st_mult(nlabels, sizeof(uint64_t)));
    memset(tot->counts + tot->nlabels, 0, (nlabels - tot->nlabels) * sizeof(uint64_t));
    memset(tot->doc_freq + tot->nlabels, 0, (nlabels - tot->nlabels) * sizeof(uint64_t));
    tot->nlabels = nlabels;
}

void agg_total_release(struct agg_total *tot)
{
    free(tot->counts);
    free(tot->doc_freq);
    resolve_result_release(&tot->read);
    memset(tot, 0, sizeof(*tot));
}

void agg_total_add(struct agg_total *tot, const struct agg_doc *doc)
{
    tot->documents++;
    tot->bytes += doc->bytes;
    tot->chars += doc->chars;
    tot->han += doc->han;
    tot->invalid += doc->invalid;
    for (size_t i = 0; i < doc->ncounts; i++) {
        tot->counts[doc->counts[i].label_id] += doc->counts[i].count;
        tot->doc_freq[doc->counts[i].label_id]++;
    }
    resolve_result_add(&tot->read, &doc->read);
}

double agg_per_10k(uint64_t count, uint64_t han)
{
    return han ? (double)count * 10000.0 / (double)han : 0.0;
}

uint64_t agg_total_matches(const struct agg_total *tot)
{
    uint64_t n = 0;
    for (size_t i = 0; i < tot->nlabels; i++)
        n += tot->counts[i];
    return n;
}

struct keyed_row {
    const char *term;
    enum agg_sort sort;
    struct agg_row r;
};

static int cmp_row(const void *a, const void *b)
{
    const struct keyed_row *x = a, *y = b;
    if (x->sort == AGG_SORT_DOCS && x->r.documents != y->r.documents)
        return x->r.documents > y->r.documents ? -1 : 1;
    if (x->sort != AGG_SORT_TERM && x->r.count != y->r.count)
        return x->r.count > y->r.count ? -1 : 1;
    return strcmp(x->term, y->term);
}

void agg_rows(const struct agg_total *tot, const struct lexicon *lx, enum agg_sort sort,
              uint64_t min_count, size_t top, struct agg_row **rows, size_t *nrows)
{
    struct keyed_row *k = xmalloc(st_mult(tot->nlabels + 1, sizeof(*k)));
    size_t n = 0;
    for (size_t id = 0; id < tot->nlabels; id++) {
        if (!tot->counts[id] || tot->counts[id] < min_count)
            continue;
        k[n].term = lx->labels[id].term;
        k[n].sort = sort;
        k[n].r.label_id = (uint32_t)id;
        k[n].r.count = tot->counts[id];
        k[n].r.documents = tot->doc_freq[id];
        k[n].r.per_10k = agg_per_10k(tot->counts[id], tot->han);
        n++;
    }
    qsort(k, n, sizeof(*k), cmp_row);
    if (top && n > top)
        n = top;
    *rows = xmalloc(st_mult(n + 1, sizeof(struct agg_row)));
    for (size_t i = 0; i < n; i++)
        (*rows)[i] = k[i].r;
    *nrows = n;
    free(k);
}

void agg_group_index_init(struct agg_group_index *gi)
{
    strmap_init(&gi->map);
    gi->none = (size_t)-1;
}

void agg_group_index_release(struct agg_group_index *gi)
{
    strmap_release(&gi->map);
    gi->none = (size_t)-1;
}

size_t agg_group_index_of(struct agg_group_index *gi, const char *value, size_t next, int *inserted)
{
    if (value)
        return *strmap_put(&gi->map, value, strlen(value), next, inserted);
    *inserted = gi->none == (size_t)-1;
    if (*inserted)
        gi->none = next;
    return gi->none;
}

void agg_groups_init(struct agg_groups *g)
{
    memset(g, 0, sizeof(*g));
    agg_group_index_init(&g->index);
}

void agg_groups_release(struct agg_groups *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->v[i].value);
        agg_total_release(&g->v[i].tot);
    }
    free(g->v);
    agg_group_index_release(&g->index);
    memset(g, 0, sizeof(*g));
}

void agg_groups_add(struct agg_groups *g, const char *value, const struct agg_doc *doc,
                    size_t nlabels)
{
    int inserted;
    size_t k = agg_group_index_of(&g->index, value, g->n, &inserted);
    if (inserted) {
        ALLOC_GROW(g->v, g->n + 1, g->alloc);
        g->v[g->n].value = value ? xstrdup(value) : NULL;
        agg_total_init(&g->v[g->n].tot, nlabels);
        g->n++;
    }
    agg_total_grow(&g->v[k].tot, nlabels);
    agg_total_add(&g->v[k].tot, doc);
}

int agg_group_value_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return !a - !b;
    return strcmp(a, b);
}

static int cmp_group(const void *a, const void *b)
{
    return agg_group_value_cmp(((const struct agg_group *)a)->value,
                               ((const struct agg_group *)b)->value);
}

void agg_groups_finish(struct agg_groups *g, size_t nlabels)
{
    if (g->n > 1)
        qsort(g->v, g->n, sizeof(*g->v), cmp_group);
    for (size_t i = 0; i < g->n; i++)
        agg_total_grow(&g->v[i].tot, nlabels);
    /* the index points at the old order: only the order above is used from here on */
    agg_group_index_release(&g->index);
    agg_group_index_init(&g->index);
}
