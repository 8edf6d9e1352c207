/*
 * ngram: maximal repeats across documents, from a suffix array and its LCP array.
 *
 * How it works.
 *  1. Suffix array: libdivsufsort's divsufsort() over the bytes of the text (UTF-8).
 *  2. LCP: the Φ algorithm (Kärkkäinen, Manzini, Puglisi 2009): Φ[SA[i]] = SA[i-1], then the
 *     permuted LCP in text order, overwriting Φ in place; comparisons stop at '\n', which
 *     matches nothing, so no common prefix crosses a segment end. Each value is capped at 255
 *     and cut back to a character boundary (a shared lead byte followed by different
 *     continuation bytes is no shared character), then stored as one byte in SA order.
 *  3. The bottom-up walk over LCP intervals (Abouelhoda, Kurtz, Ohlebusch 2004) with a stack:
 *     every interval is a node of the suffix tree, i.e. a right-maximal string. Each interval
 *     carries, merged from its children and leaves: its first occurrence (smallest text
 *     offset), the character before its occurrences (one, or several: left-maximal), its
 *     NGRAM_FIRST_DOCS lowest documents, and the duplicate count that gives its number of
 *     distinct documents (Hui 1992): for each leaf, the previous leaf in SA order of the same
 *     document is looked up; their lowest common ancestor — the deepest interval on the stack
 *     whose left bound is at or before that leaf, found by binary search — gets one duplicate,
 *     and an interval's duplicates pass to its parent when it is popped. documents = leaves -
 *     duplicates. Leaves that start inside a character or at '\n' only ever fall in intervals
 *     of depth 0 or of strings that start inside a character, which are never reported, so
 *     they are skipped.
 *  4. Reporting (ngram.h's definition): a popped interval that is left-maximal, starts at a
 *     character, and, with punctuation trimmed from its ends, has min..max characters and
 *     enough documents. A trimmed string that is also reported in its own right keeps the
 *     larger count (a strmap by phrase). Candidates come out in the walk's order (the same for
 *     the same text); ranking them is the caller's (discover ranks all kinds together).
 * Time O(n log n) for the sort, O(n) for the LCP, O(n log depth) for the walk; memory as the
 * header states.
 */
#include "tifa/ngram.h"

#include <divsufsort.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tifa/normalize.h"
#include "tifa/strmap.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

void ngram_text_init(struct ngram_text *t)
{
    memset(t, 0, sizeof(*t));
    sbuf_init(&t->text);
}

void ngram_text_release(struct ngram_text *t)
{
    sbuf_release(&t->text);
    free(t->doc_end);
    memset(t, 0, sizeof(*t));
}

void ngram_text_add_doc(struct ngram_text *t, const char *norm, size_t len)
{
    sbuf_add(&t->text, norm, len);
    ALLOC_GROW(t->doc_end, t->ndocs + 1, t->docs_alloc);
    t->doc_end[t->ndocs++] = t->text.len;
    sbuf_addch(&t->text, '\n');
}

#define LCP_CAP 255 /* bytes: deeper nodes are never reported (16 characters are at most 64) */
#define LEFT_NONE 0xFFFFFFFFu    /* no leaf yet */
#define LEFT_DIVERSE 0xFFFFFFFEu /* not all occurrences preceded by the same character */

struct interval {
    uint32_t lcp, lb;
    uint32_t dups;
    uint32_t left;
    uint64_t first_off;
    uint32_t first[NGRAM_FIRST_DOCS];
    uint32_t nfirst;
};

struct walk {
    const unsigned char *t;
    size_t n;
    const struct ngram_text *nt;
    const struct ngram_opts *o;
    struct interval *st;
    size_t nst, st_alloc;
    struct ngram_cand *out;
    size_t nout, out_alloc;
    struct strmap seen; /* phrase -> index in out */
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

static int content_at(const unsigned char *t, size_t n, size_t i)
{
    uint32_t cp;
    int bad;
    utf8_decode(t + i, n - i, &cp, &bad);
    if (bad)
        return 0;
    enum char_class c = normalize_class(cp);
    return c == CC_HAN || c == CC_CNNUM || c == CC_LATIN || c == CC_DIGIT;
}

/* A character a candidate may start or end with: content, and not one of opts.trim. */
static int end_ok(const struct walk *w, size_t i)
{
    if (!content_at(w->t, w->n, i))
        return 0;
    if (!w->o->trim)
        return 1;
    size_t k = i + 1;
    while (k < w->n && is_cont(w->t[k]))
        k++;
    /* UTF-8 is self-synchronizing: a whole character found in trim is one of its characters */
    return memmem(w->o->trim, strlen(w->o->trim), w->t + i, k - i) == NULL;
}

/* The character before text offset @pos, or LEFT_DIVERSE at a segment start (a start counts
 * as different from everything). */
static uint32_t left_of(const unsigned char *t, size_t n, size_t pos)
{
    if (pos == 0 || t[pos - 1] == '\n')
        return LEFT_DIVERSE;
    size_t k = pos - 1;
    while (k > 0 && is_cont(t[k]))
        k--;
    uint32_t cp;
    int bad;
    utf8_decode(t + k, n - k, &cp, &bad);
    return cp;
}

static uint32_t doc_of(const struct ngram_text *nt, uint64_t pos)
{
    size_t lo = 0, hi = nt->ndocs;
    while (lo < hi) { /* the first document whose end (its '\n') is at or after pos */
        size_t mid = lo + (hi - lo) / 2;
        if (nt->doc_end[mid] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

static void first_add(struct interval *iv, uint32_t doc)
{
    uint32_t k = 0;
    while (k < iv->nfirst && iv->first[k] < doc)
        k++;
    if (k < iv->nfirst && iv->first[k] == doc)
        return;
    if (k == NGRAM_FIRST_DOCS)
        return;
    uint32_t n = iv->nfirst < NGRAM_FIRST_DOCS ? iv->nfirst + 1 : NGRAM_FIRST_DOCS;
    memmove(iv->first + k + 1, iv->first + k, (n - k - 1) * sizeof(uint32_t));
    iv->first[k] = doc;
    iv->nfirst = n;
}

static void merge_into(struct interval *to, const struct interval *from)
{
    to->dups += from->dups;
    if (from->first_off < to->first_off)
        to->first_off = from->first_off;
    if (to->left == LEFT_NONE)
        to->left = from->left;
    else if (from->left != LEFT_NONE && from->left != to->left)
        to->left = LEFT_DIVERSE;
    for (uint32_t k = 0; k < from->nfirst; k++)
        first_add(to, from->first[k]);
}

static void push(struct walk *w, uint32_t lcp, uint32_t lb)
{
    ALLOC_GROW(w->st, w->nst + 1, w->st_alloc);
    struct interval *iv = &w->st[w->nst++];
    memset(iv, 0, sizeof(*iv));
    iv->lcp = lcp;
    iv->lb = lb;
    iv->left = LEFT_NONE;
    iv->first_off = UINT64_MAX;
}

/* The deepest interval on the stack whose left bound is at or before @k. */
static struct interval *deepest_from(struct walk *w, uint32_t k)
{
    size_t lo = 0, hi = w->nst; /* the root (lb 0) always qualifies */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->st[mid].lb <= k)
            lo = mid;
        else
            hi = mid;
    }
    return &w->st[lo];
}

static void report(struct walk *w, const struct interval *iv, uint32_t rb)
{
    if (!iv->lcp || iv->left != LEFT_DIVERSE || iv->first_off == UINT64_MAX)
        return;
    const unsigned char *t = w->t;
    size_t a = (size_t)iv->first_off, b = a + iv->lcp;
    while (a < b && !end_ok(w, a)) /* punctuation (and opts.trim) at the ends: trimmed */
        for (a++; a < b && is_cont(t[a]); a++)
            ;
    while (b > a) {
        size_t k = b - 1;
        while (k > a && is_cont(t[k]))
            k--;
        if (end_ok(w, k))
            break;
        b = k;
    }
    uint64_t count = (uint64_t)rb - iv->lb + 1;
    uint32_t docs = (uint32_t)(count - iv->dups);
    if (count < 2 || docs < w->o->min_docs)
        return;
    size_t chars = 0, content = 0;
    for (size_t i = a; i < b; i++)
        if (!is_cont(t[i])) {
            chars++;
            content += content_at(t, w->n, i);
        }
    if (content < w->o->min_chars || content > w->o->max_chars)
        return;
    int inserted;
    size_t *slot = strmap_put(&w->seen, t + a, b - a, w->nout, &inserted);
    if (!inserted) {
        struct ngram_cand *c = &w->out[*slot];
        if (count <= c->count)
            return;
    } else {
        ALLOC_GROW(w->out, w->nout + 1, w->out_alloc);
        w->nout++;
    }
    struct ngram_cand *c = &w->out[*slot];
    c->off = a;
    c->len = (uint32_t)(b - a);
    c->chars = (uint32_t)chars;
    c->count = count;
    c->docs = docs;
    c->nfirst = iv->nfirst;
    memcpy(c->first_docs, iv->first, sizeof(c->first_docs));
}

/* Drops the candidates that stand at the start or the end of a longer one used at least
 * absorb_share as often: each proper prefix and suffix of a candidate that ends on a character
 * is looked up (a string inside a longer one is mostly reached through a prefix or suffix that
 * is a candidate itself; looking up every substring cost five times as much for little). */
static void absorb(struct walk *w)
{
    const unsigned char *t = w->t;
    unsigned char *drop = xcalloc(w->nout + 1, 1);
    for (size_t i = 0; i < w->nout; i++) {
        const struct ngram_cand *big = &w->out[i];
        size_t a0 = (size_t)big->off, b0 = a0 + big->len;
        for (size_t k = a0 + 1; k < b0; k++) {
            if (is_cont(t[k]))
                continue;
            size_t *j = strmap_get(&w->seen, t + a0, k - a0); /* a prefix */
            if (j && (double)big->count >= w->o->absorb_share * (double)w->out[*j].count)
                drop[*j] = 1;
            j = strmap_get(&w->seen, t + k, b0 - k); /* a suffix */
            if (j && (double)big->count >= w->o->absorb_share * (double)w->out[*j].count)
                drop[*j] = 1;
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < w->nout; i++)
        if (!drop[i])
            w->out[n++] = w->out[i];
    w->nout = n;
    free(drop);
}

/* The common prefix of the suffixes at @a and @b in bytes: compared eight bytes at a time, at
 * most LCP_CAP, stopped at '\n' (which matches nothing), and cut back to a character boundary
 * (a shared lead byte followed by different continuation bytes is no shared character). */
static size_t common_prefix(const unsigned char *t, size_t n, size_t a, size_t b)
{
    size_t max = n - (a > b ? a : b), l = 0;
    if (max > LCP_CAP)
        max = LCP_CAP;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (l + 8 <= max) {
        uint64_t x, y;
        memcpy(&x, t + a + l, 8);
        memcpy(&y, t + b + l, 8);
        if (x != y) {
            l += (size_t)__builtin_ctzll(x ^ y) / 8; /* little-endian: the first differing byte */
            break;
        }
        l += 8;
    }
#endif
    if (l + 8 > max)
        while (l < max && t[a + l] == t[b + l])
            l++;
    const unsigned char *nl = memchr(t + a, '\n', l);
    if (nl)
        l = (size_t)(nl - (t + a));
    while (l > 0 && is_cont(t[a + l]))
        l--;
    return l;
}

int ngram_mine(const struct ngram_text *nt, const struct ngram_opts *o, struct ngram_cand **out,
               size_t *nout, struct ngram_stats *st, struct tifa_err *e)
{
    const unsigned char *t = (const unsigned char *)nt->text.buf;
    size_t n = nt->text.len;
    memset(st, 0, sizeof(*st));
    st->text_bytes = n;
    *out = NULL;
    *nout = 0;
    if (n >= (size_t)INT32_MAX)
        return tifa_err_set(e, TIFA_ELIMIT, NULL, 0, -1,
                            "%zu bytes of text to mine for n-grams: the limit is 2 GiB", n);
    if (!n)
        return 0;

    double t0 = now_ms();
    saidx_t *sa = xmalloc(n * sizeof(*sa));
    if (divsufsort(t, sa, (saidx_t)n) != 0) {
        free(sa);
        return tifa_err_set(e, TIFA_ENOMEM, NULL, 0, -1, "the suffix array could not be built");
    }
    double t1 = now_ms();

    /* the LCP in SA order, each compared directly, capped and cut */
    unsigned char *lcp = xmalloc(n);
    lcp[0] = 0;
    for (size_t k = 1; k < n; k++)
        lcp[k] = (unsigned char)common_prefix(t, n, (size_t)sa[k - 1], (size_t)sa[k]);
    st->peak_bytes = (uint64_t)n * (1 + sizeof(*sa) + 1);
    double t2 = now_ms();

    struct walk w;
    memset(&w, 0, sizeof(w));
    w.t = t;
    w.n = n;
    w.nt = nt;
    w.o = o;
    strmap_init(&w.seen);
    uint32_t *prev = xmalloc((nt->ndocs + 1) * sizeof(*prev));
    for (size_t d = 0; d <= nt->ndocs; d++)
        prev[d] = UINT32_MAX;
    push(&w, 0, 0);
    for (size_t i = 1; i <= n; i++) {
        uint32_t k = (uint32_t)(i - 1), cur = i < n ? lcp[i] : 0;
        if (cur > w.st[w.nst - 1].lcp)
            push(&w, cur, k);
        size_t pos = (size_t)sa[k];
        if (!is_cont(t[pos]) && t[pos] != '\n') {
            struct interval *top = &w.st[w.nst - 1];
            uint32_t doc = doc_of(nt, pos);
            uint32_t left = left_of(t, n, pos);
            if (top->left == LEFT_NONE)
                top->left = left;
            else if (top->left != left)
                top->left = LEFT_DIVERSE;
            if (pos < top->first_off)
                top->first_off = pos;
            first_add(top, doc);
            if (prev[doc] != UINT32_MAX)
                deepest_from(&w, prev[doc])->dups++;
            prev[doc] = k;
        }
        uint32_t lb = k;
        while (cur < w.st[w.nst - 1].lcp) {
            struct interval last = w.st[--w.nst];
            report(&w, &last, k);
            lb = last.lb;
            if (cur > w.st[w.nst - 1].lcp)
                push(&w, cur, lb);
            merge_into(&w.st[w.nst - 1], &last);
        }
    }
    uint64_t walk_bytes = (uint64_t)w.st_alloc * sizeof(*w.st) +
                          (uint64_t)(nt->ndocs + 1) * sizeof(*prev) +
                          (uint64_t)w.out_alloc * sizeof(*w.out);
    if (st->peak_bytes < (uint64_t)n * (1 + sizeof(*sa) + 1) + walk_bytes)
        st->peak_bytes = (uint64_t)n * (1 + sizeof(*sa) + 1) + walk_bytes;
    free(prev);
    free(w.st);
    free(lcp);
    free(sa);
    double t3 = now_ms();
    if (o->absorb_share > 0)
        absorb(&w);
    strmap_release(&w.seen);
    st->sort_ms = t1 - t0;
    st->lcp_ms = t2 - t1;
    st->scan_ms = t3 - t2;
    st->absorb_ms = now_ms() - t3;
    *out = w.out;
    *nout = w.nout;
    return 0;
}
