/*
 * cooc: the co-occurrence consumer, windows, the table of pairs and their scores (cooc.h).
 *
 * How it works: per thread the consumer keeps the decoded text of the current document or chunk
 * (sentence and paragraph windows only) and each match's offset and label, in two arrays
 * reused from document to document. At the end of a document or chunk, cooc_doc_windows finds
 * the window starts (text.h), gives each match the index of the last start at or before it
 * (binary search: matches with --overlapping come by end, not by start), sorts the matches by
 * (window, label) and writes each window's set of labels with its occurrences: a document's
 * result is O(matches), whatever its length. Document windows skip all that: the labels,
 * sorted, are the one set. merge() appends the windows of chunk k + 1 (never split, see the
 * header) or, for document windows, joins the two sets. With a resolver the placed matches
 * (window, offset, label) are kept instead of sets: merge() appends them with windows and
 * offsets shifted to the document's, and cooc_finish gives each the label count gives it (the
 * occurrences of resolve_reading_finish, by start) before writing the sets.
 *
 * The table (calling thread, input order) counts per label the windows holding it and its
 * occurrences, and per pair the windows holding both: pairs in a strmap keyed by the two label
 * ids, values indices into an array of pairs in order of first sighting. A window of k terms
 * costs k(k - 1) / 2 lookups.
 */
#include "tifa/cooc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/resolve.h"
#include "tifa/sbuf.h"
#include "tifa/stats.h"
#include "tifa/text.h"
#include "tifa/xalloc.h"

static const char *const window_names[] = {"sentence", "paragraph", "document"};

int cooc_window_parse(const char *s, enum cooc_window *out)
{
    for (size_t i = 0; i < sizeof(window_names) / sizeof(window_names[0]); i++)
        if (!strcmp(s, window_names[i])) {
            *out = (enum cooc_window)i;
            return 0;
        }
    return -1;
}

const char *cooc_window_name(enum cooc_window w)
{
    return window_names[w];
}

/* ---- a document's windows ---- */

static int cmp_placed(const void *pa, const void *pb)
{
    const struct cooc_placed *a = pa, *b = pb;
    if (a->window != b->window)
        return a->window < b->window ? -1 : 1;
    return (a->label > b->label) - (a->label < b->label);
}

static void doc_reset(struct cooc_doc *d)
{
    d->nwindows = 0;
    d->nitems = d->nsets = 0;
}

static void doc_add_item(struct cooc_doc *d, uint32_t label, uint64_t n)
{
    ALLOC_GROW(d->items, d->nitems + 1, d->items_alloc);
    d->items[d->nitems].label = label;
    d->items[d->nitems].n = n;
    d->nitems++;
}

static void doc_end_set(struct cooc_doc *d)
{
    ALLOC_GROW(d->set_end, d->nsets + 1, d->sets_alloc);
    d->set_end[d->nsets++] = d->nitems;
}

/* Writes the sets of @v (@n matches sorted by window, then label) into @d. */
static void doc_add_sets(struct cooc_doc *d, const struct cooc_placed *v, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j].window == v[i].window) {
            size_t k = j;
            while (k < n && v[k].window == v[j].window && v[k].label == v[j].label)
                k++;
            doc_add_item(d, v[j].label, k - j);
            j = k;
        }
        doc_end_set(d);
        i = j;
    }
}

/* The index of the last start at or before @off (0 when none is: a match cannot stand in the
 * white space before the first start, but the arithmetic must not underflow). */
static uint64_t window_of(const struct text_starts *st, uint64_t off)
{
    size_t lo = 0, hi = st->n; /* the answer + 1 is in [lo, hi] */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->v[mid] <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : 0;
}

/* The starts of the windows of @text (sentences or paragraphs), in @st (emptied first). */
static void doc_starts(enum cooc_window window, const char *text, size_t len,
                       struct text_starts *st)
{
    st->n = 0;
    if (window == COOC_PARAGRAPH) {
        if (!text_paragraphs_fast(text, len, st))
            text_boundaries(text, len, st, NULL);
    } else {
        struct text_starts para = {NULL, 0, 0};
        text_boundaries(text, len, &para, st);
        free(para.v);
    }
}

/* The @n matches placed in the windows starting at @st (NULL: all in window 0); the caller
 * frees the array (NULL when @n is 0). */
static struct cooc_placed *place(const struct text_starts *st, const uint64_t *off,
                                 const uint32_t *label, size_t n)
{
    if (!n)
        return NULL;
    struct cooc_placed *v = xmalloc(st_mult(n, sizeof(*v)));
    for (size_t i = 0; i < n; i++) {
        v[i].window = st ? window_of(st, off[i]) : 0;
        v[i].off = off ? off[i] : 0;
        v[i].label = label[i];
    }
    return v;
}

/* Sorts @v (@n placed matches) and writes their sets into @d. */
static void doc_sets_from(struct cooc_doc *d, struct cooc_placed *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof(*v), cmp_placed);
    doc_add_sets(d, v, n);
}

void cooc_doc_windows(struct cooc_doc *d, enum cooc_window window, const char *text, size_t len,
                      const uint64_t *off, const uint32_t *label, size_t n)
{
    struct text_starts st = {NULL, 0, 0};
    doc_reset(d);
    doc_starts(window, text, len, &st);
    d->nwindows = st.n;
    struct cooc_placed *v = place(&st, off, label, n);
    doc_sets_from(d, v, n);
    free(v);
    free(st.v);
}

void cooc_doc_free(struct cooc_doc *d)
{
    if (!d)
        return;
    free(d->items);
    free(d->set_end);
    free(d->raw);
    resolve_reading_free(d->reading);
    free(d);
}

/* ---- the consumer ---- */

struct cooc_ts {
    const struct cooc_opts *o;
    struct resolve_ts *rt; /* with a resolver: it keeps the text */
    struct sbuf text;      /* without one, for sentence and paragraph windows: the text */
    uint64_t *off;         /* the matches: offsets (with positions) and labels */
    uint32_t *label;
    size_t n, off_alloc, label_alloc;
    struct text_starts starts; /* reused */
};

static void *cooc_thread_init(void *arg)
{
    struct cooc_ts *ts = xcalloc(1, sizeof(*ts));
    ts->o = arg;
    sbuf_init(&ts->text);
    if (ts->o->resolver)
        ts->rt = resolve_ts_new(ts->o->resolver);
    return ts;
}

static void cooc_thread_release(void *p)
{
    struct cooc_ts *ts = p;
    sbuf_release(&ts->text);
    resolve_ts_free(ts->rt);
    free(ts->off);
    free(ts->label);
    free(ts->starts.v);
    free(ts);
}

static void cooc_begin(void *p, const struct sink_doc *d)
{
    struct cooc_ts *ts = p;
    sbuf_reset(&ts->text);
    ts->n = 0;
    if (ts->rt)
        resolve_begin(ts->rt, d->part);
}

static void cooc_text(void *p, const char *utf8, size_t len)
{
    struct cooc_ts *ts = p;
    if (ts->rt)
        resolve_text(ts->rt, utf8, len);
    else
        sbuf_add(&ts->text, utf8, len);
}

static void cooc_match(void *p, const struct sink_match *m)
{
    struct cooc_ts *ts = p;
    ALLOC_GROW(ts->off, ts->n + 1, ts->off_alloc);
    ALLOC_GROW(ts->label, ts->n + 1, ts->label_alloc);
    ts->off[ts->n] = m->off;
    ts->label[ts->n] = m->label_id;
    ts->n++;
    if (ts->rt)
        resolve_note_ids(ts->rt, &m->pattern_id, 1);
}

static void *cooc_end(void *p, const struct sink_doc *sd)
{
    struct cooc_ts *ts = p;
    struct cooc_doc *d = xcalloc(1, sizeof(*d));
    const struct text_starts *st = NULL;
    (void)sd;
    if (ts->o->window == COOC_DOCUMENT) {
        d->nwindows = 1;
    } else {
        size_t len = ts->text.len;
        const char *text = ts->rt ? resolve_ts_text(ts->rt, &len) : ts->text.buf;
        doc_starts(ts->o->window, text, len, &ts->starts);
        d->nwindows = ts->starts.n;
        st = &ts->starts;
    }
    struct cooc_placed *v = place(st, ts->off, ts->label, ts->n);
    if (ts->rt) { /* the labels are final after the document-wide step (cooc_finish) */
        d->raw = v;
        d->nraw = d->raw_alloc = ts->n;
        d->reading = resolve_end(ts->rt);
        return d;
    }
    doc_sets_from(d, v, ts->n);
    free(v);
    return d;
}

static int cmp_placed_off(const void *pa, const void *pb)
{
    const struct cooc_placed *a = pa, *b = pb;
    return (a->off > b->off) - (a->off < b->off);
}

/* The document-wide step (sink.finish, with a resolver): each match takes the label its
 * occurrence counts under (an abbreviation a cue resolved: its entry's), then the sets. */
static void cooc_finish(void *arg, void *result)
{
    const struct cooc_opts *o = arg;
    struct cooc_doc *d = result;
    struct resolve_result res;
    memset(&res, 0, sizeof(res));
    resolve_reading_finish(o->resolver, d->reading, &res);
    d->reading = NULL;
    if (d->nraw > 1)
        qsort(d->raw, d->nraw, sizeof(*d->raw), cmp_placed_off);
    size_t k = 0;
    for (size_t i = 0; i < d->nraw; i++) {
        while (k < res.nocc && res.occ[k].start < d->raw[i].off)
            k++;
        if (k < res.nocc && res.occ[k].start == d->raw[i].off)
            d->raw[i].label = res.occ[k].label_id;
    }
    resolve_result_release(&res);
    doc_sets_from(d, d->raw, d->nraw);
    free(d->raw);
    d->raw = NULL;
    d->nraw = d->raw_alloc = 0;
}

/* Document windows: @a's one set becomes the union of @a's and @b's (each sorted by label). */
static void doc_join(struct cooc_doc *a, const struct cooc_doc *b)
{
    if (!b->nitems)
        return;
    struct cooc_doc u;
    memset(&u, 0, sizeof(u));
    size_t i = 0, j = 0;
    while (i < a->nitems || j < b->nitems) {
        if (j == b->nitems || (i < a->nitems && a->items[i].label < b->items[j].label)) {
            doc_add_item(&u, a->items[i].label, a->items[i].n);
            i++;
        } else if (i == a->nitems || b->items[j].label < a->items[i].label) {
            doc_add_item(&u, b->items[j].label, b->items[j].n);
            j++;
        } else {
            doc_add_item(&u, a->items[i].label, a->items[i].n + b->items[j].n);
            i++;
            j++;
        }
    }
    free(a->items);
    a->items = u.items;
    a->nitems = u.nitems;
    a->items_alloc = u.items_alloc;
    a->nsets = 0;
    doc_end_set(a);
}

static void cooc_merge(void *p, void *into, void *next, const struct sink_shift *shift)
{
    struct cooc_ts *ts = p;
    struct cooc_doc *a = into, *b = next;
    if (ts->rt) { /* matches wait for cooc_finish: their windows and offsets in the document */
        uint64_t wshift = ts->o->window == COOC_DOCUMENT ? 0 : a->nwindows;
        for (size_t i = 0; i < b->nraw; i++) {
            ALLOC_GROW(a->raw, a->nraw + 1, a->raw_alloc);
            a->raw[a->nraw] = b->raw[i];
            a->raw[a->nraw].window += wshift;
            a->raw[a->nraw].off += shift->off;
            a->nraw++;
        }
        a->reading = resolve_reading_merge(a->reading, b->reading, shift->off);
        b->reading = NULL;
        if (ts->o->window != COOC_DOCUMENT)
            a->nwindows += b->nwindows;
    } else if (ts->o->window == COOC_DOCUMENT) {
        doc_join(a, b);
    } else {
        size_t base = a->nitems;
        for (size_t i = 0; i < b->nitems; i++)
            doc_add_item(a, b->items[i].label, b->items[i].n);
        for (size_t k = 0; k < b->nsets; k++) {
            ALLOC_GROW(a->set_end, a->nsets + 1, a->sets_alloc);
            a->set_end[a->nsets++] = base + b->set_end[k];
        }
        a->nwindows += b->nwindows;
    }
    cooc_doc_free(b);
}

static void cooc_discard(void *result)
{
    cooc_doc_free(result);
}

void cooc_sink(struct sink *s, const struct cooc_opts *o)
{
    memset(s, 0, sizeof(*s));
    s->arg = (void *)(uintptr_t)o; /* thread_init reads it only */
    s->thread_init = cooc_thread_init;
    s->thread_release = cooc_thread_release;
    s->begin = cooc_begin;
    s->match = cooc_match;
    s->end = cooc_end;
    s->merge = cooc_merge;
    s->discard = cooc_discard;
    if (o->window != COOC_DOCUMENT || o->resolver) {
        s->flags = SINK_POSITIONS; /* offsets; no context is needed (context_bytes 0) */
        s->text = cooc_text;
    }
    if (o->resolver)
        s->finish = cooc_finish;
}

/* ---- the table ---- */

void cooc_table_init(struct cooc_table *t, const struct lexicon *lx)
{
    memset(t, 0, sizeof(*t));
    t->lx = lx;
    t->windows = xcalloc(lx->nlabels + 1, sizeof(*t->windows));
    t->occ = xcalloc(lx->nlabels + 1, sizeof(*t->occ));
    strmap_init(&t->index);
}

void cooc_table_release(struct cooc_table *t)
{
    free(t->windows);
    free(t->occ);
    free(t->pairs);
    strmap_release(&t->index);
    memset(t, 0, sizeof(*t));
}

static void table_pair(struct cooc_table *t, uint32_t x, uint32_t y)
{
    uint32_t key[2];
    int inserted;
    if (t->lx->labels[x].rank > t->lx->labels[y].rank) {
        uint32_t s = x;
        x = y;
        y = s;
    }
    key[0] = x;
    key[1] = y;
    size_t *v = strmap_put(&t->index, key, sizeof(key), t->npairs, &inserted);
    if (!inserted) {
        t->pairs[*v].joint++;
        return;
    }
    ALLOC_GROW(t->pairs, t->npairs + 1, t->pairs_alloc);
    t->pairs[t->npairs].a = x;
    t->pairs[t->npairs].b = y;
    t->pairs[t->npairs].joint = 1;
    t->npairs++;
}

void cooc_table_add(struct cooc_table *t, const struct cooc_doc *d)
{
    t->documents++;
    t->nwindows += d->nwindows;
    size_t start = 0;
    for (size_t k = 0; k < d->nsets; k++) {
        size_t end = d->set_end[k];
        for (size_t i = start; i < end; i++) {
            const struct cooc_item *it = &d->items[i];
            t->windows[it->label]++;
            t->occ[it->label] += it->n;
            for (size_t j = i + 1; j < end; j++)
                table_pair(t, it->label, d->items[j].label);
        }
        start = end;
    }
}

double cooc_pmi(uint64_t joint, uint64_t na, uint64_t nb, uint64_t n)
{
    if (!na || !nb || !n)
        return 0;
    if (!joint)
        return -INFINITY;
    return log2((double)joint * (double)n / ((double)na * (double)nb));
}

double cooc_g2(uint64_t joint, uint64_t na, uint64_t nb, uint64_t n)
{
    return stats_g2(joint, nb - joint, na, n - na);
}

static int cmp_row(const void *pa, const void *pb, void *arg)
{
    const struct cooc_row *x = pa, *y = pb;
    const struct lexicon *lx = arg;
    if (x->g2 != y->g2)
        return x->g2 > y->g2 ? -1 : 1;
    uint32_t xa = lx->labels[x->a].rank, ya = lx->labels[y->a].rank;
    if (xa != ya)
        return xa < ya ? -1 : 1;
    uint32_t xb = lx->labels[x->b].rank, yb = lx->labels[y->b].rank;
    return (xb > yb) - (xb < yb);
}

size_t cooc_rows(const struct cooc_table *t, uint64_t min_count, struct cooc_row **rows)
{
    size_t n = 0;
    *rows = NULL;
    if (!min_count)
        min_count = 1;
    for (size_t i = 0; i < t->npairs; i++)
        n += t->pairs[i].joint >= min_count;
    if (!n)
        return 0;
    struct cooc_row *v = xcalloc(n, sizeof(*v));
    size_t k = 0;
    for (size_t i = 0; i < t->npairs; i++) {
        const struct cooc_pair *p = &t->pairs[i];
        if (p->joint < min_count)
            continue;
        struct cooc_row *r = &v[k++];
        r->a = p->a;
        r->b = p->b;
        r->joint = p->joint;
        r->count_a = t->windows[p->a];
        r->count_b = t->windows[p->b];
        r->occ_a = t->occ[p->a];
        r->occ_b = t->occ[p->b];
        r->pmi = cooc_pmi(r->joint, r->count_a, r->count_b, t->nwindows);
        r->g2 = cooc_g2(r->joint, r->count_a, r->count_b, t->nwindows);
    }
    if (n > 1)
        qsort_r(v, n, sizeof(*v), cmp_row, (void *)(uintptr_t)t->lx);
    *rows = v;
    return n;
}
