/*
 * resolve: senses by cues, abbreviations, expansions by sentence.
 *
 * How it works. resolver_build sorts the lexicon's reading work into tables: per label, its
 * candidate entries (the senses of a shared label, or the entries that list an abbreviation)
 * and whether a reading decides it (some candidate has cues); per counting pattern, whether a
 * document holding it needs a reading. It builds one overlapping READING automaton of every
 * cue of those candidates (reporting the entry), with expansions every component (entry and
 * component index), and the counting patterns of the labels to read; and with expansions an
 * automaton of the components alone. Cues and components are not patterns of the counting
 * automaton: in leftmost-longest matching a cue such as 人民代表大会 would hide the term
 * 人民代表大会制度.
 *
 * Per document the consumer keeps the text and notes what counting found; with expansions the
 * reading automaton runs as the text streams in (read_early; for count it holds every counting
 * pattern and blocker too, and the count is chosen from its hits), its matches taken in batches
 * (ac_scanner_placed_hits), and the per-entry sets of components seen are kept. resolve_end
 * reads a document that needs it: the reading automaton once, with offsets (cues, components,
 * and the places where a label to read may stand), unless it ran already; the counting
 * automaton again only in small windows around those places (ac_span_around), which gives the
 * occurrences exactly as the count has them (a blocker or a longer term still hides one);
 * paragraph starts from text_paragraphs_fast, sentence starts from text_boundaries (text.h)
 * only in the paragraphs, and between the components, where an expansion may stand. Each occurrence takes the sense
 * of the nearest cue of one of its candidates in its paragraph; the others wait for the
 * document-wide step in resolve_reading_finish, after the chunks of a big file are merged.
 */
#include "tifa/resolve.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tifa/normalize.h"
#include "tifa/text.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

#define PENDING (UINT32_MAX - 1)

/* Exchanges an array sorted into its scratch with the scratch (both with their allocations). */
#define SWAP_SCRATCH(T, v, alloc, scratch, scratch_alloc)                                         \
    do {                                                                                          \
        T *swap_v_ = (v);                                                                         \
        size_t swap_a_ = (alloc);                                                                 \
        (v) = (scratch);                                                                          \
        (alloc) = (scratch_alloc);                                                                \
        (scratch) = swap_v_;                                                                      \
        (scratch_alloc) = swap_a_;                                                                \
    } while (0)

/* qsort, but never with an empty (possibly unallocated) array: UBSan rejects qsort(NULL, 0). */
static void sort_records(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

static unsigned popcount64(uint64_t x)
{
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

struct resolver {
    const struct lexicon *lx;
    const struct ac *ac;
    struct resolve_opts o;
    uint32_t *cand_start; /* nlabels + 1: the candidates of label L are cand[cand_start[L]..) */
    uint32_t *cand;
    unsigned char *reads; /* per label: a reading decides its sense */
    unsigned char *flag;  /* per counting pattern: a document holding it needs a reading */
    /* the reading automaton (overlapping, NULL when nothing needs reading): its patterns are
     * the cues [0, ncues), the components [ncues, ncues + ncomps) and the counting patterns of
     * labels a reading decides; read_what is the cue's entry, the component's index in the
     * component automaton, or the counting pattern's id */
    struct ac *read_ac;
    uint32_t ncues, ncomps;
    uint32_t *read_what;
    int read_early;       /* expansions: every document is read by the reading automaton as it is
                             counted, piece by piece */
    uint32_t *comp_entry; /* per component pattern */
    uint8_t *comp_index;
    uint8_t *ncomp; /* per entry: components used by expansions (0: none) */
    /* every way the first character of a counting pattern of a label to read may be written
     * (normalize_preimages), as UTF-8: where an occurrence may start (read_locally) */
    struct first_char {
        char utf8[4];
        size_t len;
    } * first;
    size_t nfirst;
    /* resolver_counts: the reading automaton's ids from nterms_first on are the counting
     * patterns, then the blockers (read_what: the lexicon pattern id, npatterns + blocker) */
    int counts;
    uint32_t nterms_first;
};

struct occ {
    uint32_t label;
    uint32_t entry; /* a candidate, RESOLVE_UNRESOLVED, or PENDING (no cue in its paragraph) */
    uint64_t start;
};

struct cue_hit {
    uint32_t entry;
    uint64_t start;
};

struct span {
    uint64_t start, end;
};

/* A counting pattern or blocker seen by the reading automaton (resolver_counts). */
struct term_hit {
    uint64_t start, end;
    uint32_t pat; /* lexicon pattern id; npatterns + i for blocker i */
};

struct comp_hit {
    uint32_t entry;
    uint32_t index;
    uint64_t start, end;
    uint64_t sentence;
};

struct reading {
    struct occ *occ;
    size_t nocc, aocc;
    struct cue_hit *cues; /* every cue of the document (for the document-wide step) */
    size_t ncues, acues;
    struct resolve_expansion *exp;
    size_t nexp, aexp;
    struct resolve_span *spans; /* resolve_opts.spans */
    size_t nspans, aspans;
    struct resolve_comp_span *cspans;
    size_t ncspans, acspans;
};

struct resolve_ts {
    const struct resolver *r;
    struct sbuf text;
    int flagged, part;
    /* components seen so far (expansions): per entry a mask, and the entries touched */
    uint64_t *seen;
    uint32_t *touched;
    size_t ntouched;
    /* the reading */
    struct ac_scanner main_sc, read_sc;
    uint64_t window;     /* where main_sc's window starts in the text */
    uint64_t read_shift; /* where read_sc's scan starts in the text */
    struct span *cand;   /* where a counting pattern of a label to read may stand */
    size_t ncand, acand;
    struct reading *rd;
    struct cue_hit *cues; /* this document's cues, sorted by (entry, start) for the search */
    size_t ncues, acues;
    struct comp_hit *comps;
    size_t ncomps, acomps;
    struct comp_hit *comps_by; /* comps sorted by sentence (sort_comps) */
    size_t acomps_by;
    size_t *nsent; /* per sentence: component hits in it, then where its bucket starts */
    size_t ansent;
    struct text_starts para, sent; /* where paragraphs and sentences begin */
    struct text_starts spara;      /* read_sentences_near's scratch */
    /* resolver_counts: every counting pattern and blocker the reading automaton saw, then
     * (select_counted) the counted ones in text order, and their pattern ids */
    struct term_hit *terms;
    size_t nterms, aterms;
    struct term_hit *terms_by; /* sort_terms' scratch */
    size_t aterms_by;
    struct cue_hit *cues_by; /* sort_cues' scratch */
    size_t acues_by;
    size_t *nbucket; /* sort_terms' and sort_cues' bucket counts */
    size_t anbucket;
    uint32_t *counted;
    size_t ncounted, acounted;
};

int resolver_wanted(const struct lexicon *lx, const struct resolve_opts *o)
{
    if (o && o->expansions)
        return 1;
    for (size_t i = 0; i < lx->nlabels; i++)
        if (lx->labels[i].abbreviation || lx->labels[i].senses > 1)
            return 1;
    return 0;
}

/* The candidates of every label: its senses, or for an abbreviation the entries listing it. */
static void build_candidates(struct resolver *r)
{
    const struct lexicon *lx = r->lx;
    size_t *n = xcalloc(lx->nlabels + 1, sizeof(size_t));
    uint32_t *abbr_label = NULL;
    size_t nabbr = 0, aabbr = 0;
    for (size_t i = 0; i < lx->nentries; i++) {
        const struct lex_entry *en = &lx->entries[i];
        if (en->dropped)
            continue;
        n[en->label_id]++;
        for (size_t k = 0; k < en->nabbreviations; k++) {
            uint32_t lid;
            struct tifa_err e;
            tifa_err_init(&e);
            if (lexicon_find(lx, en->abbreviations[k], &lid, &e) != 1)
                lid = UINT32_MAX; /* cannot happen: lexicon_finish made it a label */
            ALLOC_GROW(abbr_label, nabbr + 1, aabbr);
            abbr_label[nabbr++] = lid;
            if (lid != UINT32_MAX)
                n[lid]++;
        }
    }
    r->cand_start = xcalloc(lx->nlabels + 1, sizeof(uint32_t));
    for (size_t l = 0; l < lx->nlabels; l++)
        r->cand_start[l + 1] = r->cand_start[l] + (uint32_t)n[l];
    r->cand = xmalloc(st_mult(r->cand_start[lx->nlabels] + 1, sizeof(uint32_t)));
    memset(n, 0, (lx->nlabels + 1) * sizeof(size_t));
    size_t a = 0;
    for (size_t i = 0; i < lx->nentries; i++) {
        const struct lex_entry *en = &lx->entries[i];
        if (en->dropped)
            continue;
        r->cand[r->cand_start[en->label_id] + n[en->label_id]++] = (uint32_t)i;
        for (size_t k = 0; k < en->nabbreviations; k++, a++)
            if (abbr_label[a] != UINT32_MAX)
                r->cand[r->cand_start[abbr_label[a]] + n[abbr_label[a]]++] = (uint32_t)i;
    }
    free(abbr_label);
    free(n);
}

/* Which labels a reading decides (some candidate has cues), which counting patterns flag a
 * document, and the cues of the candidates of those labels, appended to @p. */
static void collect_cues(struct resolver *r, struct ac_pattern **p, size_t *np, size_t *ap)
{
    const struct lexicon *lx = r->lx;
    unsigned char *used = xcalloc(lx->nentries + 1, 1);
    r->reads = xcalloc(lx->nlabels + 1, 1);
    for (size_t l = 0; l < lx->nlabels; l++) {
        const struct lex_label *lb = &lx->labels[l];
        if (!lb->abbreviation && lb->senses < 2)
            continue;
        for (uint32_t c = r->cand_start[l]; c < r->cand_start[l + 1]; c++)
            if (lx->entries[r->cand[c]].ncues)
                r->reads[l] = 1;
        for (uint32_t c = r->cand_start[l]; r->reads[l] && c < r->cand_start[l + 1]; c++)
            used[r->cand[c]] = 1;
    }
    for (size_t i = 0; i < lx->nentries; i++) {
        if (!used[i])
            continue;
        for (size_t k = 0; k < lx->entries[i].ncues; k++) {
            ALLOC_GROW(*p, *np + 1, *ap);
            (*p)[*np].text = lx->entries[i].cues[k];
            (*p)[(*np)++].term_id = (uint32_t)i;
        }
    }
    free(used);
    r->flag = xcalloc(lx->npatterns + 1, 1);
    for (size_t i = 0; i < lx->npatterns; i++)
        r->flag[i] = r->reads[lx->patterns[i].label_id];
}

/* The components of every entry that expansions use, appended to @p (term_id: the entry). */
static void collect_components(struct resolver *r, struct ac_pattern **p, size_t *np, size_t *ap)
{
    const struct lexicon *lx = r->lx;
    r->ncomp = xcalloc(lx->nentries + 1, 1);
    if (!r->o.expansions)
        return;
    for (size_t i = 0; i < lx->nentries; i++) {
        const struct lex_entry *en = &lx->entries[i];
        if (en->dropped || en->nexpansion < 2 || en->nexpansion > 64)
            continue;
        r->ncomp[i] = (uint8_t)en->nexpansion;
        for (size_t k = 0; k < en->nexpansion; k++) {
            ALLOC_GROW(*p, *np + 1, *ap);
            (*p)[*np].text = en->expansion[k];
            (*p)[(*np)++].term_id = (uint32_t)i;
        }
    }
}

/* r->first: the first character of every counting pattern of a label to read, in every raw
 * form that normalizes to it. Left empty (the documents are then read whole) if a pattern
 * does not normalize. */
static void collect_first_chars(struct resolver *r)
{
    const struct lexicon *lx = r->lx;
    size_t alloc = 0;
    uint32_t cps[256], raw[32];
    for (size_t i = 0; i < lx->npatterns; i++) {
        if (!r->flag[i])
            continue;
        struct tifa_err e;
        tifa_err_init(&e);
        const char *text = lx->patterns[i].text;
        long n = normalize_pattern(text, strlen(text), cps, 256, &e);
        size_t nraw = n > 0 ? normalize_preimages(cps[0], raw, 32) : 0;
        if (n <= 0 || nraw == 0 || nraw > 32) {
            free(r->first);
            r->first = NULL;
            r->nfirst = 0;
            return;
        }
        for (size_t k = 0; k < nraw; k++) {
            struct first_char fc;
            fc.len = utf8_encode(raw[k], fc.utf8);
            size_t j = 0;
            while (j < r->nfirst &&
                   (r->first[j].len != fc.len || memcmp(r->first[j].utf8, fc.utf8, fc.len)))
                j++;
            if (j == r->nfirst) {
                ALLOC_GROW(r->first, r->nfirst + 1, alloc);
                r->first[r->nfirst++] = fc;
            }
        }
    }
}

static int build_automata(struct resolver *r, struct tifa_err *e)
{
    const struct lexicon *lx = r->lx;
    struct ac_pattern *p = NULL;
    size_t np = 0, ap = 0;
    struct ac_build_opts o = {0, AC_OVERLAPPING, 0};
    int rc = 0;
    collect_cues(r, &p, &np, &ap);
    r->ncues = (uint32_t)np;
    collect_components(r, &p, &np, &ap);
    r->ncomps = (uint32_t)(np - r->ncues);
    if (r->ncomps) {
        r->comp_entry = xmalloc(st_mult(r->ncomps, sizeof(uint32_t)));
        r->comp_index = xmalloc(r->ncomps);
        for (size_t i = 0, k = 0; i < r->ncomps; i++) {
            const struct ac_pattern *c = &p[r->ncues + i];
            k = i && c->term_id == c[-1].term_id ? k + 1 : 0;
            r->comp_entry[i] = c->term_id;
            r->comp_index[i] = (uint8_t)k;
        }
        r->read_early = 1;
    }
    r->nterms_first = (uint32_t)np;
    if (r->o.counts && r->read_early) {
        /* every counting pattern and blocker, in the counting automaton's order (matcher.c),
         * so that of equal strings the first given is the one counted: the places of the
         * labels to read are among them */
        r->counts = 1;
        for (size_t i = 0; i < lx->npatterns + lx->nblockers; i++) {
            ALLOC_GROW(p, np + 1, ap);
            p[np].text = i < lx->npatterns ? lx->patterns[i].text
                                           : lx->blockers[i - lx->npatterns].text;
            p[np++].term_id = (uint32_t)i;
        }
    } else if (r->ncues) {
        /* a label is read only when its candidates have cues, so no cues: nothing flags */
        for (size_t i = 0; i < lx->npatterns; i++)
            if (r->flag[i]) {
                ALLOC_GROW(p, np + 1, ap);
                p[np].text = lx->patterns[i].text;
                p[np++].term_id = (uint32_t)i;
            }
    }
    if (r->ncues)
        collect_first_chars(r);
    if (np) {
        r->read_what = xmalloc(st_mult(np, sizeof(uint32_t)));
        for (size_t i = 0; i < np; i++)
            r->read_what[i] =
                i >= r->ncues && i < r->ncues + r->ncomps ? (uint32_t)(i - r->ncues) : p[i].term_id;
        rc = ac_build(&r->read_ac, p, np, &o, e);
    }
    free(p);
    return rc;
}

int resolver_build(struct resolver **out, const struct lexicon *lx, const struct ac *ac,
                   const struct resolve_opts *o, struct tifa_err *e)
{
    struct resolver *r = xcalloc(1, sizeof(*r));
    r->lx = lx;
    r->ac = ac;
    if (o)
        r->o = *o;
    build_candidates(r);
    if (build_automata(r, e)) {
        resolver_free(r);
        return TIFA_EDATA;
    }
    *out = r;
    return 0;
}

void resolver_free(struct resolver *r)
{
    if (!r)
        return;
    free(r->cand_start);
    free(r->cand);
    free(r->reads);
    free(r->flag);
    if (r->read_ac)
        ac_free(r->read_ac);
    free(r->read_what);
    free(r->comp_entry);
    free(r->comp_index);
    free(r->ncomp);
    free(r->first);
    free(r);
}

int resolver_reads_label(const struct resolver *r, uint32_t label_id)
{
    return label_id < r->lx->nlabels && r->reads[label_id];
}

unsigned resolve_expansion_held(const struct resolve_expansion *x)
{
    return popcount64(x->mask);
}

int resolve_expansion_complete(const struct lexicon *lx, const struct resolve_expansion *x)
{
    return popcount64(x->mask) == lx->entries[x->entry].nexpansion;
}

const struct lexicon *resolver_lexicon(const struct resolver *r)
{
    return r->lx;
}

unsigned resolver_components(const struct resolver *r, uint32_t entry)
{
    return entry < r->lx->nentries ? r->ncomp[entry] : 0;
}

/* ---- per thread ---- */

static void on_main(const struct ac_match *m, void *arg)
{
    struct resolve_ts *t = arg;
    if (m->pattern_id >= t->r->lx->npatterns || !t->r->flag[m->pattern_id])
        return; /* a blocker, or a label without senses to choose */
    struct reading *rd = t->rd;
    ALLOC_GROW(rd->occ, rd->nocc + 1, rd->aocc);
    rd->occ[rd->nocc].label = m->term_id;
    rd->occ[rd->nocc].entry = PENDING;
    rd->occ[rd->nocc++].start = t->window + m->start_off;
}

static inline void read_hit(struct resolve_ts *t, const struct ac_placed_hit *m)
{
    const struct resolver *r = t->r;
    uint32_t id = m->pattern_id, what = r->read_what[id];
    if (id < r->ncues) {
        ALLOC_GROW(t->cues, t->ncues + 1, t->acues);
        t->cues[t->ncues].entry = what;
        t->cues[t->ncues++].start = t->read_shift + m->start_off;
    } else if (id < r->ncues + r->ncomps) {
        ALLOC_GROW(t->comps, t->ncomps + 1, t->acomps);
        struct comp_hit *c = &t->comps[t->ncomps++];
        c->entry = r->comp_entry[what];
        c->index = r->comp_index[what];
        c->start = t->read_shift + m->start_off;
        c->end = t->read_shift + m->end_off;
        c->sentence = 0;
        if (!t->seen[c->entry])
            t->touched[t->ntouched++] = c->entry;
        t->seen[c->entry] |= (uint64_t)1 << c->index;
    } else if (r->counts) {
        ALLOC_GROW(t->terms, t->nterms + 1, t->aterms);
        t->terms[t->nterms].start = t->read_shift + m->start_off;
        t->terms[t->nterms].end = t->read_shift + m->end_off;
        t->terms[t->nterms++].pat = what;
    } else {
        ALLOC_GROW(t->cand, t->ncand + 1, t->acand);
        t->cand[t->ncand].start = t->read_shift + m->start_off;
        t->cand[t->ncand++].end = t->read_shift + m->end_off;
    }
}

/* The reading automaton's matches, a batch at a time (a call per match was a tenth of count
 * --expansions on make bench's corpus, where a component, cue or term matches every 14
 * characters). */
static void on_read(const struct ac_placed_hit *hits, size_t n, void *arg)
{
    struct resolve_ts *t = arg;
    for (size_t i = 0; i < n; i++)
        read_hit(t, &hits[i]);
}

/* The reading automaton never calls its per-match function (ac_scanner_placed_hits). */
static void on_read_unused(const struct ac_match *m, void *arg)
{
    (void)m;
    (void)arg;
}

struct resolve_ts *resolve_ts_new(const struct resolver *r)
{
    struct resolve_ts *t = xcalloc(1, sizeof(*t));
    t->r = r;
    sbuf_init(&t->text);
    ac_scanner_init(&t->main_sc, r->ac, on_main, t);
    if (r->read_ac) {
        /* two lanes: on_read's records are sorted before use (cues by entry and start,
         * components by sentence, entry, index and start, places by start), and records that
         * tie are equal where it matters, so the order matches come in does not show */
        ac_scanner_init(&t->read_sc, r->read_ac, on_read_unused, t);
        ac_scanner_lanes(&t->read_sc);
        ac_scanner_placed_hits(&t->read_sc, on_read, t);
    }
    if (r->read_early) {
        t->seen = xcalloc(r->lx->nentries + 1, sizeof(uint64_t));
        t->touched = xmalloc(st_mult(r->lx->nentries + 1, sizeof(uint32_t)));
    }
    return t;
}

void resolve_ts_free(struct resolve_ts *t)
{
    if (!t)
        return;
    sbuf_release(&t->text);
    ac_scanner_release(&t->main_sc);
    if (t->r->read_ac)
        ac_scanner_release(&t->read_sc);
    free(t->seen);
    free(t->touched);
    free(t->cues);
    free(t->comps);
    free(t->comps_by);
    free(t->nsent);
    free(t->cand);
    free(t->para.v);
    free(t->sent.v);
    free(t->spara.v);
    free(t->terms);
    free(t->terms_by);
    free(t->cues_by);
    free(t->nbucket);
    free(t->counted);
    resolve_reading_free(t->rd);
    free(t);
}

void resolve_begin(struct resolve_ts *t, int part)
{
    sbuf_reset(&t->text);
    t->flagged = 0;
    t->part = part;
    t->ncues = t->ncomps = t->ncand = 0;
    t->nterms = t->ncounted = 0;
    if (t->r->read_early) {
        for (size_t i = 0; i < t->ntouched; i++)
            t->seen[t->touched[i]] = 0;
        t->ntouched = 0;
        ac_scanner_reset(&t->read_sc);
    }
}

void resolve_text(struct resolve_ts *t, const char *utf8, size_t len)
{
    /* without cues nothing flags a document, and without components nothing else reads one */
    if (!t->r->ncues && !t->r->read_early)
        return;
    sbuf_add(&t->text, utf8, len);
    if (t->r->read_early)
        ac_scan(&t->read_sc, utf8, len);
}

const char *resolve_ts_text(const struct resolve_ts *t, size_t *len)
{
    *len = t->text.len;
    return t->text.buf ? t->text.buf : "";
}

void resolve_note_ids(struct resolve_ts *t, const uint32_t *pattern_ids, size_t n)
{
    const unsigned char *flag = t->r->flag;
    for (size_t i = 0; i < n && !t->flagged; i++)
        t->flagged = flag[pattern_ids[i]];
}

/* The index of the last start at or before @off in the sorted @starts (0 when none). */
static size_t span_of(const uint64_t *starts, size_t n, uint64_t off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (starts[mid] <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : 0;
}

static int cmp_cue(const void *a, const void *b)
{
    const struct cue_hit *x = a, *y = b;
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The first cue of @entry in @cues (sorted by entry, start), and the end of its run. */
static void cue_run(const struct cue_hit *cues, size_t n, uint32_t entry, size_t *from, size_t *to)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cues[mid].entry < entry)
            lo = mid + 1;
        else
            hi = mid;
    }
    *from = lo;
    for (hi = n; lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;
        if (cues[mid].entry <= entry)
            lo = mid + 1;
        else
            hi = mid;
    }
    *to = lo;
}

struct nearest {
    uint64_t dist;
    int after; /* the cue starts after the occurrence (a cue before wins a tie) */
    uint32_t entry;
    int found;
};

static void offer(struct nearest *best, uint64_t dist, int after, uint32_t entry)
{
    if (!best->found || dist < best->dist || (dist == best->dist && after < best->after)) {
        best->dist = dist;
        best->after = after;
        best->entry = entry;
        best->found = 1;
    }
}

/*
 * The sense of the occurrence at @start among the candidates of @label: the nearest cue by start
 * offset, within [@lo, @hi) (a paragraph, or the whole document). Candidates are tried in
 * lexicon order and only a strictly better cue replaces one found, so ties go to the entry
 * listed first.
 */
static uint32_t nearest_cue(const struct resolver *r, const struct cue_hit *cues, size_t ncues,
                            uint32_t label, uint64_t start, uint64_t lo, uint64_t hi)
{
    struct nearest best = {0, 0, 0, 0};
    for (uint32_t c = r->cand_start[label]; c < r->cand_start[label + 1]; c++) {
        uint32_t entry = r->cand[c];
        size_t from, to;
        cue_run(cues, ncues, entry, &from, &to);
        /* the first cue of the entry that starts after @start */
        size_t a = from, b = to;
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if (cues[mid].start <= start)
                a = mid + 1;
            else
                b = mid;
        }
        if (a > from && cues[a - 1].start >= lo && cues[a - 1].start < hi)
            offer(&best, start - cues[a - 1].start, 0, entry);
        if (a < to && cues[a].start >= lo && cues[a].start < hi)
            offer(&best, cues[a].start - start, 1, entry);
    }
    return best.found ? best.entry : PENDING;
}

static int cmp_comp(const void *a, const void *b)
{
    const struct comp_hit *x = a, *y = b;
    if (x->sentence != y->sentence)
        return x->sentence < y->sentence ? -1 : 1;
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    if (x->index != y->index)
        return x->index < y->index ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Can a sentence holding these components of @entry count (all of them, or K with --partial)? */
static int components_count(const struct resolver *r, uint32_t entry, uint64_t mask)
{
    /* component i sets bit i, i < ncomp: all of them is one mask, no bit count (the count was
     * a third of resolve_end on make bench's corpus, asked for every component hit) */
    unsigned n = r->ncomp[entry];
    if (mask == (n >= 64 ? UINT64_MAX : ((uint64_t)1 << n) - 1))
        return 1;
    return r->o.partial && popcount64(mask) >= r->o.partial;
}

static int cmp_comp_span(const void *a, const void *b)
{
    const struct resolve_comp_span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

/* @end moved back over white space, line breaks and dropped characters, not before @start. */
static uint64_t trim_space_end(const char *text, uint64_t start, uint64_t end)
{
    const unsigned char *s = (const unsigned char *)text;
    while (end > start) {
        uint64_t k = end - 1;
        while (k > start && (s[k] & 0xC0) == 0x80)
            k--;
        uint32_t cp;
        int bad;
        utf8_decode(s + k, (size_t)(end - k), &cp, &bad);
        uint32_t ncp = bad ? cp : normalize_cp(cp);
        if (ncp != NORM_DROP) {
            enum char_class c = normalize_class(ncp);
            if (c != CC_SPACE && c != CC_NEWLINE)
                break;
        }
        end = k;
    }
    return end;
}

/* Keeps the sentence of the component hits comps[i..j) (one entry, one sentence). */
static void keep_span(struct resolve_ts *t, size_t i, size_t j)
{
    struct reading *rd = t->rd;
    uint64_t sent = t->comps[i].sentence;
    uint64_t start = t->sent.n ? t->sent.v[sent] : 0;
    uint64_t end = sent + 1 < t->sent.n ? t->sent.v[sent + 1] : t->text.len;
    end = trim_space_end(t->text.buf, start, end);
    ALLOC_GROW(rd->spans, rd->nspans + 1, rd->aspans);
    struct resolve_span *sp = &rd->spans[rd->nspans++];
    sp->entry = t->comps[i].entry;
    sp->start = start;
    sp->end = end;
    sp->first = rd->ncspans;
    sp->n = j - i;
    for (size_t k = i; k < j; k++) {
        ALLOC_GROW(rd->cspans, rd->ncspans + 1, rd->acspans);
        struct resolve_comp_span *c = &rd->cspans[rd->ncspans++];
        c->start = t->comps[k].start;
        c->end = t->comps[k].end;
        c->index = t->comps[k].index;
    }
    sort_records(rd->cspans + sp->first, sp->n, sizeof(*rd->cspans), cmp_comp_span);
}

/* A counting sort of t->comps into t->comps_by by the span of @starts (@n sorted offsets; 0:
 * one span) each hit starts in, which it leaves in the hit's `sentence`; t->nsent[b] is then
 * where bucket b ends. */
static void bucket_comps(struct resolve_ts *t, const uint64_t *starts, size_t n)
{
    size_t nb = n ? n : 1, nc = t->ncomps;
    ALLOC_GROW(t->nsent, nb + 1, t->ansent);
    memset(t->nsent, 0, (nb + 1) * sizeof(*t->nsent));
    size_t cur = 0;
    for (size_t i = 0; i < nc; i++) {
        /* hits come nearly in text order: the span of the hit before, or the next, is
         * usually the one; a binary search finds the others */
        uint64_t off = t->comps[i].start;
        if (n == 0 || off < starts[cur])
            cur = span_of(starts, n, off);
        else if (cur + 1 < n && off >= starts[cur + 1])
            cur = cur + 2 < n && off >= starts[cur + 2] ? span_of(starts, n, off) : cur + 1;
        t->comps[i].sentence = cur;
        t->nsent[cur + 1]++;
    }
    for (size_t b = 0; b < nb; b++)
        t->nsent[b + 1] += t->nsent[b];
    ALLOC_GROW(t->comps_by, nc, t->acomps_by);
    for (size_t i = 0; i < nc; i++)
        t->comps_by[t->nsent[t->comps[i].sentence]++] = t->comps[i];
}

/* Insertion sort of @k records of @size bytes (at most 32), qsort above 16. */
static void sort_small(void *base, size_t k, size_t size, int (*cmp)(const void *, const void *))
{
    _Static_assert(sizeof(struct comp_hit) <= 32 && sizeof(struct term_hit) <= 32 &&
                       sizeof(struct cue_hit) <= 32,
                   "sort_small's record buffer");
    unsigned char *v = base, x[32];
    if (k > 16) {
        qsort(v, k, size, cmp);
        return;
    }
    for (size_t i = 1; i < k; i++) {
        size_t j = i;
        memcpy(x, v + i * size, size);
        for (; j > 0 && cmp(v + (j - 1) * size, x) > 0; j--)
            memcpy(v + j * size, v + (j - 1) * size, size);
        memcpy(v + j * size, x, size);
    }
}

/* t->comps sorted by cmp_comp: a bucket per sentence (a counting sort: a document holds many
 * hits in few sentences each; qsort of them all was 4% of count --expansions on make bench's
 * corpus), then each bucket by insertion, or qsort when large. Hits that compare equal differ
 * at most in their end, which keep_span sorts by. */
static void sort_comps(struct resolve_ts *t)
{
    size_t nb = t->sent.n ? t->sent.n : 1;
    bucket_comps(t, t->sent.v, t->sent.n);
    for (size_t b = 0, lo = 0; b < nb; lo = t->nsent[b++])
        sort_small(t->comps_by + lo, t->nsent[b] - lo, sizeof(*t->comps_by), cmp_comp);
    SWAP_SCRATCH(struct comp_hit, t->comps, t->acomps, t->comps_by, t->acomps_by);
}

static void read_expansions(struct resolve_ts *t)
{
    const struct resolver *r = t->r;
    struct reading *rd = t->rd;
    sort_comps(t);
    for (size_t i = 0; i < t->ncomps;) {
        size_t j = i;
        uint64_t mask = 0;
        for (; j < t->ncomps && t->comps[j].sentence == t->comps[i].sentence &&
               t->comps[j].entry == t->comps[i].entry;
             j++)
            mask |= (uint64_t)1 << t->comps[j].index;
        if (components_count(r, t->comps[i].entry, mask)) {
            ALLOC_GROW(rd->exp, rd->nexp + 1, rd->aexp);
            rd->exp[rd->nexp].entry = t->comps[i].entry;
            rd->exp[rd->nexp].mask = mask;
            rd->exp[rd->nexp++].count = 1;
            if (r->o.spans && popcount64(mask) == r->ncomp[t->comps[i].entry])
                keep_span(t, i, j);
        }
        i = j;
    }
}

/* Keeps the component hits of the entries whose components in the whole document could make a
 * sentence count; returns 1 when there are any. */
static int keep_sufficient_components(struct resolve_ts *t)
{
    size_t k = 0;
    for (size_t i = 0; i < t->ncomps; i++)
        if (components_count(t->r, t->comps[i].entry, t->seen[t->comps[i].entry]))
            t->comps[k++] = t->comps[i];
    t->ncomps = k;
    return k > 0;
}

/* Where paragraphs begin (the senses and the expansions need them). */
static void read_paragraphs(struct resolve_ts *t)
{
    t->para.n = t->sent.n = 0;
    if (!text_paragraphs_fast(t->text.buf, t->text.len, &t->para))
        text_boundaries(t->text.buf, t->text.len, &t->para, NULL);
}

/* Sentences only where an expansion may stand: in the paragraphs where some entry has enough
 * component hits to count (components_count), found by text_boundaries over each of those
 * paragraphs alone, and each followed by the next paragraph's start, which ends its last
 * sentence. A paragraph starts a sentence and its first token finds the walk's state reset (a
 * paragraph break is line breaks), so these are the starts a walk over the whole text finds
 * there; a walk over every document that holds all of some entry's components somewhere was
 * 10% of count --expansions (bench/NOTES.md). Keeps only the hits of the entries that may
 * count in their paragraph: no sentence can count the others. Needs t->para; uses t->seen and
 * t->touched as scratch, and leaves them empty.
 *
 * Without spans only the sentences that separate the kept hits matter, so the walk runs from
 * the first kept hit to the end of the last, not over the whole paragraph (text_boundaries was
 * 9% of count --expansions on make bench's corpus; the narrowed walk covers a third of the
 * bytes). It may start there when that hit begins with an ideograph U+4000..U+9FFF: after such
 * a character every walk is in the same state (text_boundaries), so every start after it is the
 * whole walk's, and the start the narrowed walk puts at the hit itself only divides the kept
 * hits from nothing. With spans a sentence's real extent is reported, so the whole paragraph
 * is walked. */
static void read_sentences_near(struct resolve_ts *t)
{
    size_t np = t->para.n, kept = 0;
    const unsigned char *s = (const unsigned char *)t->text.buf;
    t->sent.n = 0;
    if (np == 0)
        return; /* no token, so no hit: sort_comps sees one sentence */
    for (size_t i = 0; i < t->ntouched; i++)
        t->seen[t->touched[i]] = 0;
    t->ntouched = 0;
    bucket_comps(t, t->para.v, np); /* the hits by paragraph */
    for (size_t b = 0, lo = 0; b < np; lo = t->nsent[b++]) {
        size_t hi = t->nsent[b], first_kept = kept;
        uint64_t from = t->para.v[b], to = b + 1 < np ? t->para.v[b + 1] : t->text.len;
        uint64_t first = UINT64_MAX, last = 0;
        for (size_t i = lo; i < hi; i++) {
            const struct comp_hit *c = &t->comps_by[i];
            if (!t->seen[c->entry])
                t->touched[t->ntouched++] = c->entry;
            t->seen[c->entry] |= (uint64_t)1 << c->index;
        }
        for (size_t i = lo; i < hi; i++) {
            const struct comp_hit *c = &t->comps_by[i];
            if (!components_count(t->r, c->entry, t->seen[c->entry]))
                continue;
            t->comps[kept++] = *c;
            if (c->start < first)
                first = c->start;
            if (c->end > last)
                last = c->end;
        }
        for (size_t i = 0; i < t->ntouched; i++)
            t->seen[t->touched[i]] = 0;
        t->ntouched = 0;
        if (kept == first_kept)
            continue;
        if (t->r->o.spans || s[first] - 0xE4u >= 6u || first + 3 > last)
            first = from, last = to;
        if (t->sent.n && t->sent.v[t->sent.n - 1] == first)
            t->sent.n--; /* the previous paragraph's end, found again as this one's start */
        size_t n0 = t->sent.n;
        t->spara.n = 0;
        text_boundaries(t->text.buf + first, (size_t)(last - first), &t->spara, &t->sent);
        for (size_t i = n0; i < t->sent.n; i++)
            t->sent.v[i] += first;
        if (to < t->text.len) {
            ALLOC_GROW(t->sent.v, t->sent.n + 1, t->sent.alloc);
            t->sent.v[t->sent.n++] = to;
        }
    }
    t->ncomps = kept;
}

static int cmp_span(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The occurrences of labels to read, as the count found them: the counting automaton again,
 * leftmost-longest, but only over the few windows around the places the reading automaton saw
 * one of their patterns (ac_span_around: each window is scanned as the whole text would be). */
static void read_occurrences(struct resolve_ts *t, const char *s, size_t len)
{
    sort_records(t->cand, t->ncand, sizeof(*t->cand), cmp_span);
    for (size_t i = 0; i < t->ncand;) {
        size_t from, to, f, e;
        ac_span_around(t->r->ac, s, len, t->cand[i].start, t->cand[i].end, &from, &to);
        for (i++; i < t->ncand && t->cand[i].start < to; i++) {
            ac_span_around(t->r->ac, s, len, t->cand[i].start, t->cand[i].end, &f, &e);
            if (e > to)
                to = e;
        }
        t->window = from;
        ac_scanner_reset(&t->main_sc);
        ac_scan(&t->main_sc, s + from, to - from);
        ac_scan_finish(&t->main_sc);
    }
}

/* The reading automaton over the whole text: every cue (and place of a label to read). */
static void read_all(struct resolve_ts *t, const char *s, size_t len)
{
    t->ncues = t->ncand = 0;
    t->read_shift = 0;
    ac_scanner_reset(&t->read_sc);
    ac_scan(&t->read_sc, s, len);
    ac_scan_finish(&t->read_sc);
}

/* Each occurrence takes the nearest cue of a candidate in its paragraph, if any (t->cues
 * sorted by cmp_cue). */
static void decide_in_paragraphs(struct resolve_ts *t)
{
    struct reading *rd = t->rd;
    for (size_t i = 0; i < rd->nocc; i++) {
        size_t p = span_of(t->para.v, t->para.n, rd->occ[i].start);
        uint64_t lo = t->para.n ? t->para.v[p] : 0;
        uint64_t hi = p + 1 < t->para.n ? t->para.v[p + 1] : UINT64_MAX;
        rd->occ[i].entry =
            nearest_cue(t->r, t->cues, t->ncues, rd->occ[i].label, rd->occ[i].start, lo, hi);
    }
}

/* The first place of @needle (@k bytes, 1..4) in @s[0..n), or NULL: glibc's memmem for such a
 * needle walked the text at a fraction of the counting scan's speed (it was a fifth of count's
 * time on make bench's corpus), so with SSE2 sixteen places are tested at once on the first
 * and the last byte of the needle (the generic SIMD search), and memcmp confirms. */
static const char *find_bytes(const char *s, size_t n, const char *needle, size_t k)
{
#if defined(__SSE2__)
    size_t i = 0;
    if (n >= k + 16) {
        const __m128i first = _mm_set1_epi8(needle[0]), last = _mm_set1_epi8(needle[k - 1]);
        for (; i + k + 15 <= n; i += 16) {
            __m128i a = _mm_loadu_si128((const __m128i *)(s + i));
            __m128i b = _mm_loadu_si128((const __m128i *)(s + i + k - 1));
            unsigned m = (unsigned)_mm_movemask_epi8(
                _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));
            while (m) {
                unsigned bit = (unsigned)__builtin_ctz(m);
                if (!memcmp(s + i + bit, needle, k))
                    return s + i + bit;
                m &= m - 1;
            }
        }
    }
    const char *p = i < n ? memmem(s + i, n - i, needle, k) : NULL;
    return p;
#else
    return memmem(s, n, needle, k);
#endif
}

/*
 * A flagged document read where it matters: the places where one of its occurrences may start
 * (find_bytes for each way of writing the first character of a pattern to read), the counting
 * automaton in windows around them, and the reading automaton only over the paragraphs that
 * hold an occurrence. Only when some occurrence finds no cue in its paragraph is the whole
 * text read for cues (the document-wide step needs them all). The same result as reading it
 * whole, at a fraction of the cost where occurrences are few and cues near them.
 */
static void sort_cues(struct resolve_ts *t);

static void read_locally(struct resolve_ts *t, const char *s, size_t len)
{
    const struct resolver *r = t->r;
    struct reading *rd = t->rd;
    t->ncand = t->ncues = 0;
    for (size_t v = 0; v < r->nfirst; v++) {
        const char *p = s, *e = s + len;
        while (p < e && (p = find_bytes(p, (size_t)(e - p), r->first[v].utf8, r->first[v].len))) {
            ALLOC_GROW(t->cand, t->ncand + 1, t->acand);
            t->cand[t->ncand].start = (uint64_t)(p - s);
            t->cand[t->ncand++].end = (uint64_t)(p - s) + r->first[v].len;
            p += r->first[v].len;
        }
    }
    read_occurrences(t, s, len);
    read_paragraphs(t);
    size_t last = SIZE_MAX;
    for (size_t i = 0; i < rd->nocc; i++) {
        size_t p = span_of(t->para.v, t->para.n, rd->occ[i].start);
        if (p == last)
            continue;
        last = p;
        uint64_t lo = t->para.n ? t->para.v[p] : 0;
        uint64_t hi = p + 1 < t->para.n ? t->para.v[p + 1] : len;
        t->read_shift = lo;
        ac_scanner_reset(&t->read_sc);
        ac_scan(&t->read_sc, s + lo, (size_t)(hi - lo));
        ac_scan_finish(&t->read_sc);
    }
    t->read_shift = 0;
    sort_cues(t);
    decide_in_paragraphs(t);
    for (size_t i = 0; i < rd->nocc; i++)
        if (rd->occ[i].entry == PENDING) {
            read_all(t, s, len);
            sort_cues(t);
            break;
        }
}

/* The uint64_t @start_off bytes into record @i of @size bytes at @recs. */
static uint64_t record_start(const unsigned char *recs, size_t i, size_t size, size_t start_off)
{
    uint64_t start;
    memcpy(&start, recs + i * size + start_off, sizeof(start));
    return start;
}

/*
 * The buckets of a counting sort by start of the @n records of @size bytes at @recs, whose
 * uint64_t start is @start_off bytes in: bucket start >> shift, about one record a bucket.
 * Returns the shift; t->nbucket[b] is then where bucket b begins and t->nbucket[b + 1] where it
 * ends (@nb buckets), so the caller's loop `dst[t->nbucket[start >> shift]++] = src[i]` puts
 * each record in place (stable).
 */
static unsigned start_buckets(struct resolve_ts *t, const void *recs, size_t n, size_t size,
                              size_t start_off, size_t *nb)
{
    unsigned shift = 0;
    uint64_t max = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t start = record_start(recs, i, size, start_off);
        max = start > max ? start : max;
    }
    while ((max >> shift) > n)
        shift++;
    *nb = (size_t)(max >> shift) + 1;
    ALLOC_GROW(t->nbucket, *nb + 1, t->anbucket);
    memset(t->nbucket, 0, (*nb + 1) * sizeof(*t->nbucket));
    for (size_t i = 0; i < n; i++)
        t->nbucket[(record_start(recs, i, size, start_off) >> shift) + 1]++;
    for (size_t b = 0; b < *nb; b++)
        t->nbucket[b + 1] += t->nbucket[b];
    return shift;
}

static int cmp_term_hit(const void *a, const void *b)
{
    const struct term_hit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1; /* the longest first */
    return x->pat < y->pat ? -1 : x->pat > y->pat;
}

/*
 * resolver_counts: the matches the counting automaton would report, from every occurrence the
 * overlapping reading automaton saw: the leftmost start, the longest match there (of equal
 * strings the first given, the lowest id), then the same after its end. Both automata read
 * the same text model (white space, quotes, paragraph breaks), so the occurrences among which
 * the counting automaton chooses are these. A chosen blocker counts nothing and hides what it
 * covers. Keeps the counted ones in t->terms (text order) and their ids in t->counted; notes
 * whether one of them needs a sense (t->flagged).
 */
/* t->terms sorted by cmp_term_hit: a counting sort by start (the two lanes of the reading scan
 * hand over two interleaved runs), then each bucket on its own. qsort of them all, and of the
 * cues, was 8% of count --expansions on make bench's corpus. */
static void sort_terms(struct resolve_ts *t)
{
    size_t n = t->nterms, nb;
    if (n < 2)
        return;
    unsigned shift = start_buckets(t, t->terms, n, sizeof(*t->terms),
                                   offsetof(struct term_hit, start), &nb);
    ALLOC_GROW(t->terms_by, n, t->aterms_by);
    for (size_t i = 0; i < n; i++)
        t->terms_by[t->nbucket[t->terms[i].start >> shift]++] = t->terms[i];
    for (size_t b = 0, lo = 0; b < nb; lo = t->nbucket[b++])
        sort_small(t->terms_by + lo, t->nbucket[b] - lo, sizeof(*t->terms_by), cmp_term_hit);
    SWAP_SCRATCH(struct term_hit, t->terms, t->aterms, t->terms_by, t->aterms_by);
}

/* t->cues sorted by cmp_cue (entry, then start): a stable counting sort by start bucket, then
 * one by entry, leave only records of one entry and one start bucket out of order (a few),
 * which an insertion pass puts right; qsort when a bucket is crowded. */
static void sort_cues(struct resolve_ts *t)
{
    size_t n = t->ncues, nb, crowded = 0;
    if (n <= 16) {
        sort_small(t->cues, n, sizeof(*t->cues), cmp_cue);
        return;
    }
    unsigned shift =
        start_buckets(t, t->cues, n, sizeof(*t->cues), offsetof(struct cue_hit, start), &nb);
    for (size_t b = 0; b < nb; b++)
        crowded |= t->nbucket[b + 1] - t->nbucket[b] > 16;
    if (crowded) {
        sort_records(t->cues, n, sizeof(*t->cues), cmp_cue);
        return;
    }
    ALLOC_GROW(t->cues_by, n, t->acues_by);
    for (size_t i = 0; i < n; i++)
        t->cues_by[t->nbucket[t->cues[i].start >> shift]++] = t->cues[i];
    size_t ne = t->r->lx->nentries + 1;
    ALLOC_GROW(t->nbucket, ne + 1, t->anbucket);
    memset(t->nbucket, 0, (ne + 1) * sizeof(*t->nbucket));
    for (size_t i = 0; i < n; i++)
        t->nbucket[t->cues_by[i].entry + 1]++;
    for (size_t b = 0; b < ne; b++)
        t->nbucket[b + 1] += t->nbucket[b];
    for (size_t i = 0; i < n; i++)
        t->cues[t->nbucket[t->cues_by[i].entry]++] = t->cues_by[i];
    for (size_t i = 1; i < n; i++) {
        struct cue_hit x = t->cues[i];
        size_t j = i;
        for (; j > 0 && cmp_cue(&t->cues[j - 1], &x) > 0; j--)
            t->cues[j] = t->cues[j - 1];
        t->cues[j] = x;
    }
}

static void select_counted(struct resolve_ts *t)
{
    const struct resolver *r = t->r;
    const size_t npat = r->lx->npatterns;
    size_t k = 0;
    uint64_t end = 0;
    sort_terms(t);
    for (size_t i = 0; i < t->nterms; i++) {
        if (i > 0 && t->terms[i].start < end)
            continue;
        end = t->terms[i].end;
        if (t->terms[i].pat < npat)
            t->terms[k++] = t->terms[i];
    }
    t->nterms = k;
    ALLOC_GROW(t->counted, k, t->acounted);
    for (size_t i = 0; i < k; i++) {
        t->counted[i] = t->terms[i].pat;
        t->flagged |= r->flag[t->terms[i].pat];
    }
    t->ncounted = k;
}

/* resolver_counts: the occurrences of labels to read are among the counted matches (what
 * read_occurrences finds by scanning windows again otherwise). */
static void occurrences_from_counted(struct resolve_ts *t)
{
    const struct resolver *r = t->r;
    struct reading *rd = t->rd;
    for (size_t i = 0; i < t->nterms; i++) {
        uint32_t pat = t->terms[i].pat;
        if (!r->flag[pat])
            continue;
        ALLOC_GROW(rd->occ, rd->nocc + 1, rd->aocc);
        rd->occ[rd->nocc].label = r->lx->patterns[pat].label_id;
        rd->occ[rd->nocc].entry = PENDING;
        rd->occ[rd->nocc++].start = t->terms[i].start;
    }
}

int resolver_counts(const struct resolver *r)
{
    return r && r->counts;
}

size_t resolve_counted(const struct resolve_ts *t, const uint32_t **pattern_ids)
{
    *pattern_ids = t->counted;
    return t->ncounted;
}

void resolve_text_stats(const struct resolve_ts *t, uint64_t *chars, uint64_t *han)
{
    *chars = t->read_sc.stats.chars;
    *han = t->read_sc.stats.han;
}

struct reading *resolve_end(struct resolve_ts *t)
{
    const struct resolver *r = t->r;
    int comps = 0;
    if (r->read_early) {
        ac_scan_finish(&t->read_sc);
        if (r->counts)
            select_counted(t);
        comps = keep_sufficient_components(t);
    }
    /* a chunk of a big file keeps its cues even when it needs no reading itself: an
     * occurrence in another chunk may find its nearest cue here */
    int cues_only = !t->flagged && !comps && t->part && r->ncues;
    if (!t->flagged && !comps && !cues_only)
        return NULL;
    t->rd = xcalloc(1, sizeof(*t->rd));
    const char *s = t->text.buf ? t->text.buf : "";
    if (!r->read_early && !t->part && t->flagged && r->nfirst) {
        read_locally(t, s, t->text.len);
    } else {
        if (!r->read_early)
            read_all(t, s, t->text.len);
        if (t->flagged || comps)
            read_paragraphs(t);
        if (t->flagged) {
            if (r->counts)
                occurrences_from_counted(t);
            else
                read_occurrences(t, s, t->text.len);
            sort_cues(t);
            decide_in_paragraphs(t);
        }
        if (comps) {
            read_sentences_near(t);
            read_expansions(t);
        }
    }
    struct reading *rd = t->rd;
    t->rd = NULL;
    /* the document-wide step needs the cues only while some occurrence is pending */
    int pending = t->part;
    for (size_t i = 0; i < rd->nocc && !pending; i++)
        pending = rd->occ[i].entry == PENDING;
    if (pending && t->ncues) {
        rd->cues = xmalloc(st_mult(t->ncues, sizeof(*rd->cues)));
        memcpy(rd->cues, t->cues, t->ncues * sizeof(*rd->cues));
        rd->ncues = rd->acues = t->ncues;
    }
    return rd;
}

/* ---- merging and the document-wide step ---- */

size_t resolve_take_spans(struct reading *rd, struct resolve_span **spans,
                          struct resolve_comp_span **comps)
{
    *spans = NULL;
    *comps = NULL;
    if (!rd)
        return 0;
    size_t n = rd->nspans;
    *spans = rd->spans;
    *comps = rd->cspans;
    rd->spans = NULL;
    rd->cspans = NULL;
    rd->nspans = rd->aspans = rd->ncspans = rd->acspans = 0;
    return n;
}

void resolve_reading_free(struct reading *rd)
{
    if (!rd)
        return;
    free(rd->occ);
    free(rd->cues);
    free(rd->exp);
    free(rd->spans);
    free(rd->cspans);
    free(rd);
}

struct reading *resolve_reading_merge(struct reading *into, struct reading *next, uint64_t shift)
{
    if (!next)
        return into;
    for (size_t i = 0; i < next->nocc; i++)
        next->occ[i].start += shift;
    for (size_t i = 0; i < next->ncues; i++)
        next->cues[i].start += shift;
    if (!into)
        return next;
    if (next->nocc) {
        ALLOC_GROW(into->occ, into->nocc + next->nocc, into->aocc);
        memcpy(into->occ + into->nocc, next->occ, next->nocc * sizeof(*next->occ));
        into->nocc += next->nocc;
    }
    if (next->ncues) {
        ALLOC_GROW(into->cues, into->ncues + next->ncues, into->acues);
        memcpy(into->cues + into->ncues, next->cues, next->ncues * sizeof(*next->cues));
        into->ncues += next->ncues;
    }
    if (next->nexp) {
        ALLOC_GROW(into->exp, into->nexp + next->nexp, into->aexp);
        memcpy(into->exp + into->nexp, next->exp, next->nexp * sizeof(*next->exp));
        into->nexp += next->nexp;
    }
    resolve_reading_free(next);
    return into;
}

struct sense_key {
    uint32_t label, entry;
};

static int cmp_sense_key(const void *a, const void *b)
{
    const struct sense_key *x = a, *y = b;
    if (x->label != y->label)
        return x->label < y->label ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static int cmp_sense_pair(const struct resolve_sense *x, const struct resolve_sense *y)
{
    if (x->label_id != y->label_id)
        return x->label_id < y->label_id ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static int cmp_move_pair(const struct resolve_move *x, const struct resolve_move *y)
{
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static int cmp_move(const void *a, const void *b)
{
    return cmp_move_pair(a, b);
}

static int cmp_exp(const void *a, const void *b)
{
    const struct resolve_expansion *x = a, *y = b;
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    return x->mask < y->mask ? -1 : x->mask > y->mask;
}

void resolve_reading_finish(const struct resolver *r, struct reading *rd,
                            struct resolve_result *res)
{
    if (!rd)
        return;
    const struct lexicon *lx = r->lx;
    size_t amoves = 0;
    if (rd->ncues)
        sort_records(rd->cues, rd->ncues, sizeof(*rd->cues), cmp_cue);
    /* every occurrence as a (label it counts under, entry) key */
    struct sense_key *k = xmalloc(st_mult(rd->nocc + 1, sizeof(*k)));
    res->occ = xmalloc(st_mult(rd->nocc + 1, sizeof(*res->occ)));
    res->nocc = rd->nocc;
    for (size_t i = 0; i < rd->nocc; i++) {
        struct occ *o = &rd->occ[i];
        if (o->entry == PENDING)
            o->entry = nearest_cue(r, rd->cues, rd->ncues, o->label, o->start, 0, UINT64_MAX);
        if (o->entry == PENDING)
            o->entry = RESOLVE_UNRESOLVED;
        uint32_t under = o->label;
        if (o->entry != RESOLVE_UNRESOLVED && lx->labels[o->label].abbreviation) {
            under = lx->entries[o->entry].label_id;
            ALLOC_GROW(res->moves, res->nmoves + 1, amoves);
            res->moves[res->nmoves].from = o->label;
            res->moves[res->nmoves].to = under;
            res->moves[res->nmoves].entry = o->entry;
            res->moves[res->nmoves++].count = 1;
        }
        k[i].label = under;
        k[i].entry = o->entry;
        res->occ[i].start = o->start;
        res->occ[i].label_id = under;
        res->occ[i].entry = o->entry;
    }
    sort_records(k, rd->nocc, sizeof(*k), cmp_sense_key);
    for (size_t i = 0; i < rd->nocc; i++) {
        if (res->nsenses && res->senses[res->nsenses - 1].label_id == k[i].label &&
            res->senses[res->nsenses - 1].entry == k[i].entry) {
            res->senses[res->nsenses - 1].count++;
            continue;
        }
        res->senses = xrealloc(res->senses, st_mult(res->nsenses + 1, sizeof(*res->senses)));
        res->senses[res->nsenses].label_id = k[i].label;
        res->senses[res->nsenses].entry = k[i].entry;
        res->senses[res->nsenses++].count = 1;
    }
    free(k);
    /* moves and expansions: equal keys summed */
    sort_records(res->moves, res->nmoves, sizeof(*res->moves), cmp_move);
    size_t m = 0;
    for (size_t i = 0; i < res->nmoves; i++) {
        if (m && !cmp_move_pair(&res->moves[m - 1], &res->moves[i]))
            res->moves[m - 1].count += res->moves[i].count;
        else
            res->moves[m++] = res->moves[i];
    }
    res->nmoves = m;
    sort_records(rd->exp, rd->nexp, sizeof(*rd->exp), cmp_exp);
    for (size_t i = 0; i < rd->nexp; i++) {
        if (res->nexpansions && res->expansions[res->nexpansions - 1].entry == rd->exp[i].entry &&
            res->expansions[res->nexpansions - 1].mask == rd->exp[i].mask) {
            res->expansions[res->nexpansions - 1].count += rd->exp[i].count;
            continue;
        }
        res->expansions =
            xrealloc(res->expansions, st_mult(res->nexpansions + 1, sizeof(*res->expansions)));
        res->expansions[res->nexpansions++] = rd->exp[i];
    }
    resolve_reading_free(rd);
}

/*
 * Merges the sorted array @b (@nb records of @size bytes) into the sorted array *@a (*@na),
 * summing the uint64_t count at byte @count_at of records that @cmp finds equal. The three
 * record kinds share this: each is a key and a count.
 */
static void merge_sum(void **a, size_t *na, const void *b, size_t nb, size_t size, size_t count_at,
                      int (*cmp)(const void *, const void *))
{
    if (!nb)
        return;
    char *v = xmalloc(st_mult(*na + nb, size)), *x = *a;
    const char *y = b;
    size_t i = 0, j = 0, n = 0;
    while (i < *na || j < nb) {
        int c = i == *na ? 1 : j == nb ? -1 : cmp(x + i * size, y + j * size);
        if (c < 0)
            memcpy(v + n++ * size, x + i++ * size, size);
        else if (c > 0)
            memcpy(v + n++ * size, y + j++ * size, size);
        else {
            uint64_t s, t;
            memcpy(&s, x + i * size + count_at, sizeof(s));
            memcpy(&t, y + j * size + count_at, sizeof(t));
            s += t;
            memcpy(v + n * size, x + i * size, size);
            memcpy(v + n * size + count_at, &s, sizeof(s));
            n++, i++, j++;
        }
    }
    free(*a);
    *a = v;
    *na = n;
}

static int cmp_sense_v(const void *a, const void *b)
{
    return cmp_sense_pair(a, b);
}

void resolve_result_add(struct resolve_result *into, const struct resolve_result *from)
{
    merge_sum((void **)&into->senses, &into->nsenses, from->senses, from->nsenses,
              sizeof(*from->senses), offsetof(struct resolve_sense, count), cmp_sense_v);
    merge_sum((void **)&into->moves, &into->nmoves, from->moves, from->nmoves, sizeof(*from->moves),
              offsetof(struct resolve_move, count), cmp_move);
    merge_sum((void **)&into->expansions, &into->nexpansions, from->expansions, from->nexpansions,
              sizeof(*from->expansions), offsetof(struct resolve_expansion, count), cmp_exp);
}

void resolve_result_release(struct resolve_result *res)
{
    free(res->senses);
    free(res->moves);
    free(res->expansions);
    free(res->occ);
    memset(res, 0, sizeof(*res));
}
