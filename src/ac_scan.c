/*
 * ac_scan: the streaming scanner: reads UTF-8 pieces a character at a time through the class
 * table and the state table that ac_build froze, and reports matches in either semantics.
 *
 * How it works
 *
 * Scan loop (scan_range_body). The hot loop keeps the scanner's fields in locals (ring stores
 * could alias them otherwise), inlines the 3-byte class lookup and the dense step (ac_lut3_index,
 * ac_class_entry and ac_step in ac_internal.h), and keeps the white-space logic (ws_run: a whole
 * run of white space, line breaks and dropped characters, plus the space stepped between two
 * letters or digits), sparse steps (ac_step_sparse) and match handling out of line. Per
 * character: one class-table lookup, one dense load, the ring stores (its class, for restarts;
 * its start and end byte offsets only when the caller wants offsets), one test of AC_OUT.
 * It keeps no white-space state: the flag "the last significant character is a letter or
 * digit" is recomputed by looking one character back when a run starts, and the character
 * count is the number of significant indices taken (ws_run counts the characters it consumes).
 *
 * Slow path (after_step), taken at a flagged word (ac_internal.h, Semantics). Overlapping:
 * report every output along the dictionary chain. Leftmost-longest DFA: a DEAD word reports the
 * state's best match, then the search restarts at the root just after it: the characters since
 * are stepped again from the classes kept in a ring by significant index (rescan; at most
 * maxlen + 1 of them). A MATCH word needs no slow path: the loop reports the best match of the
 * state before the step (emit_best) and goes on. Leftmost-longest by CANDIDATES (lexicons with
 * a pattern longer than the DFA allows): candidates are kept per start index in a ring (for one
 * start only the longest: later-found outputs with the same start are longer). A candidate
 * starting at s is final once no future match can start at or before s: every future match
 * starts at or after the FRONTIER i - depth(state) + 1, because the current state is the
 * longest suffix of the text that is a trie prefix. When the lowest pending start is below the
 * frontier it is committed, the cursor moves past its end, and candidates starting before it
 * are discarded (record_candidates, commit_ready). That costs a slow-path call at every
 * character while a candidate is pending, hence only for long patterns. A paragraph break
 * (boundary.h: ws_run feeds it the run) or the end of the document ends the match in progress
 * (break_match).
 *
 * Reporting. One ac_match at a time to the caller's function; or, for a caller that only counts
 * (ac_scanner_hits), the pattern ids into a buffer of AC_HITS_MAX handed over when full and at
 * the end of the document: a match costs a store, and the two-lane loop stores a MATCH word's
 * pattern inline instead of calling emit_best; likewise, with offsets, whole matches
 * (ac_scanner_placed_hits).
 *
 * Two lanes (scan_two_lanes). The loop is bound by its chain state -> load -> state, not by its
 * instructions, so a caller that wants no offsets (counting) has long pieces scanned as two
 * independent halves in one loop: the twin scanner takes the part before a character that
 * sends any scanner back to the root, the scanner itself the part after it, and the two chains
 * of loads overlap. Matches then interleave, hence only without offsets, or with them for a
 * caller that sorts what it is given (ac_scanner_lanes: resolve's reading automaton; the twin
 * then gets the offset rings too and the piece's base). Overlapping scans with outputs at
 * nearly every character go back to one lane (the slow path dominates there).
 *
 * Cost: O(text + matches) for overlapping and candidates; the DFA's restarts make it
 * O(text * maxlen) at worst, one or two steps a match in practice. Nothing allocates while
 * scanning: the rings (and the twin, and the hit buffers) are allocated by ac_scanner_init /
 * ac_scanner_no_offsets / ac_scanner_lanes / ac_scanner_hits.
 * Ownership: a scanner borrows its automaton (read-only, shared between threads) and owns its
 * rings and twin; one scanner per thread, reset per document.
 */
#include <stdlib.h>
#include <string.h>

#include "ac_class.h"
#include "ac_scan.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

#define NONE UINT64_MAX

/* Pieces at least this long are scanned as two lanes when offsets are not wanted. */
#define AC_LANES_MIN ((size_t)16 << 10)
/* ... unless, when overlapping, the last such piece took the slow path (after_step, once per
 * state with outputs) more than once per this many characters: there (make bench's 10k-term
 * lexicon, outputs at nearly every character) the slow path dominates and two lanes were 7-10%
 * slower. */
#define AC_LANES_SLOW 16

void ac_scanner_init(struct ac_scanner *sc, const struct ac *ac, ac_match_fn *fn, void *arg)
{
    uint32_t r = 16;
    memset(sc, 0, sizeof(*sc));
    sc->ac = ac;
    sc->mode = ac->mode;
    sc->fn = fn;
    sc->arg = arg;
    while (r < 2 * ac->maxlen + 4)
        r *= 2;
    sc->mask = r - 1;
    sc->ring_off = xmalloc(st_mult(r, sizeof(uint64_t)));
    sc->ring_end = xmalloc(st_mult(r, sizeof(uint64_t)));
    sc->ring_cls = xmalloc(st_mult(r, sizeof(uint32_t)));
    if (ac->algo == ALGO_CANDIDATES)
        sc->cand = xmalloc(st_mult(r, sizeof(*sc->cand)));
    ac_scanner_reset(sc);
}

void ac_scanner_reset(struct ac_scanner *sc)
{
    sc->state = 0;
    sc->sig = 0;
    sc->base = 0;
    sc->cursor = 0;
    sc->pmin = NONE;
    sc->in_ws = sc->prev_alnum = 0;
    para_run_reset(&sc->run);
    sc->nhits = sc->nplaced = 0;
    if (sc->twin) /* the twin's state is copied in per piece, its hits are not */
        sc->twin->nhits = sc->twin->nplaced = 0;
    memset(&sc->stats, 0, sizeof(sc->stats));
    for (uint32_t i = 0; sc->cand && i <= sc->mask; i++)
        sc->cand[i].start = NONE;
}

void ac_scanner_release(struct ac_scanner *sc)
{
    if (sc->twin) {
        ac_scanner_release(sc->twin);
        free(sc->twin);
    }
    free(sc->hits);
    free(sc->placed);
    free(sc->ring_off);
    free(sc->ring_end);
    free(sc->ring_cls);
    free(sc->cand);
    memset(sc, 0, sizeof(*sc));
}

static AC_NOINLINE void hits_flush(struct ac_scanner *sc)
{
    if (sc->nhits)
        sc->hits_fn(sc->hits, sc->nhits, sc->hits_arg);
    sc->nhits = 0;
}

/* ac_scanner_hits: one match is one stored pattern id. */
static AC_INLINE void hits_add(struct ac_scanner *sc, uint32_t pat)
{
    sc->hits[sc->nhits++] = pat;
    if (AC_UNLIKELY(sc->nhits == AC_HITS_MAX))
        hits_flush(sc);
}

static AC_NOINLINE void placed_flush(struct ac_scanner *sc)
{
    if (sc->nplaced)
        sc->placed_fn(sc->placed, sc->nplaced, sc->placed_arg);
    sc->nplaced = 0;
}

static void emit(struct ac_scanner *sc, uint32_t pat, uint64_t start_sig, uint64_t end_off)
{
    struct ac_match m;
    if (sc->hits) {
        hits_add(sc, pat);
        return;
    }
    if (sc->placed) {
        struct ac_placed_hit *h = &sc->placed[sc->nplaced++];
        h->pattern_id = pat;
        h->start_off = sc->ring_off[start_sig & sc->mask];
        h->end_off = end_off;
        if (AC_UNLIKELY(sc->nplaced == AC_HITS_MAX))
            placed_flush(sc);
        return;
    }
    m.pattern_id = pat;
    m.term_id = sc->ac->pat[pat].term;
    m.start_off = sc->no_offsets ? 0 : sc->ring_off[start_sig & sc->mask];
    m.end_off = end_off;
    sc->fn(&m, sc->arg);
}

/* Leftmost-longest by candidates: commits every pending candidate that starts before
 * @frontier. */
static AC_NOINLINE void commit_ready(struct ac_scanner *sc, uint64_t frontier)
{
    while (sc->pmin < frontier) {
        struct ac_cand *c = &sc->cand[sc->pmin & sc->mask];
        emit(sc, c->pat, sc->pmin, c->endoff);
        sc->cursor = c->endsig + 1;
        c->start = NONE;
        sc->pmin = NONE;
        for (uint64_t x = sc->cursor; x < sc->sig; x++) {
            if (sc->cand[x & sc->mask].start == x) {
                sc->pmin = x;
                break;
            }
        }
    }
}

/* Leftmost-longest by candidates, after a step into a state with outputs or with candidates
 * pending, in this order: (1) commit the pending candidates that start before the frontier
 * i + 1 - depth (the new outputs all start at or after it, so they cannot take part); (2)
 * record the outputs, longest first along the dictionary chain, each as the candidate of its
 * start (a later output at the same start is longer, so it replaces the earlier one). Of
 * several patterns ending in one state (equal normalized forms) only the first given counts.
 * Once an output starting at s1 >= cursor is recorded with nothing pending before s1, the
 * shorter outputs (starting at s2 > s1, ending at i) cannot be chosen: s1 stays the lowest
 * pending start until a candidate at or before s1 is committed, and that candidate ends at or
 * after i (it is the one at s1, or one recorded later), so the cursor passes s2. The walk
 * stops there. */
static void record_candidates(struct ac_scanner *sc, uint64_t end_off)
{
    const uint32_t *tab = sc->ac->table;
    uint32_t w = AC_ID(sc->state);
    uint64_t i = sc->sig - 1;

    if (sc->pmin < i + 1 - tab[w + H_DEPTH])
        commit_ready(sc, i + 1 - tab[w + H_DEPTH]);
    if (!(sc->state & AC_OUT))
        return;
    uint64_t pmin = sc->pmin, cursor = sc->cursor;
    for (uint32_t t = tab[w + H_OWN] != UINT32_MAX ? w : tab[w + H_DICT]; t; t = tab[t + H_DICT]) {
        uint64_t start = i + 1 - tab[t + H_DEPTH];
        if (start < cursor)
            continue;
        struct ac_cand *c = &sc->cand[start & sc->mask];
        c->start = start;
        c->endsig = i;
        c->endoff = end_off;
        c->pat = tab[t + H_OWN];
        if (pmin >= start) {
            pmin = start;
            break;
        }
    }
    sc->pmin = pmin;
}

/* Overlapping: reports every output of the state just entered. */
static void report_all(struct ac_scanner *sc, uint32_t w, uint64_t end_off)
{
    const struct ac *ac = sc->ac;
    const uint32_t *tab = ac->table;
    uint64_t i = sc->sig - 1;
    for (uint32_t t = tab[w + H_OWN] != UINT32_MAX ? w : tab[w + H_DICT]; t; t = tab[t + H_DICT])
        for (uint32_t p = tab[t + H_OWN]; p != UINT32_MAX; p = ac->pat[p].next_same)
            emit(sc, p, i + 1 - tab[t + H_DEPTH], end_off);
}

/* Leftmost-longest: reports the best match of state word @w, whose last character is the
 * significant index @last, and returns the index of the match's last character. Out of line:
 * the scan loops call it after a MATCH word (the match of the state before the step). */
static AC_NOINLINE uint64_t emit_best(struct ac_scanner *sc, uint32_t w, uint64_t last)
{
    const uint32_t *tab = sc->ac->table;
    uint64_t start = last + 1 - tab[w + H_BBACK], end = start + tab[w + H_BLEN] - 1;
    emit(sc, tab[w + H_BPAT], start, sc->no_offsets ? 0 : sc->ring_end[end & sc->mask]);
    return end;
}

/* Leftmost-longest: the search restarts at the root just after a reported match: the
 * characters from significant index @x to the last one read are stepped again from their
 * classes in the ring, reporting the matches they complete, which leaves the scanner in the
 * state the restarted search reaches. At most maxlen + 1 characters a match. */
static void rescan(struct ac_scanner *sc, uint64_t x)
{
    const struct ac *ac = sc->ac;
    uint32_t s = 0;
    for (; x < sc->sig; x++) {
        uint32_t prev = s;
        s = ac_step(ac->table, ac->dense_lim, ac, s, sc->ring_cls[x & sc->mask]);
        if (s & AC_OUT) {
            x = emit_best(sc, AC_ID(s), x - 1); /* the loop goes on after the match */
            s = 0;
        } else if (s & AC_MATCH) {
            emit_best(sc, AC_ID(prev), x - 1);
            s = AC_ID(s);
        }
    }
    sc->state = s;
}

/* The slow path, for a step that entered a flagged word or (candidates) with candidates
 * pending. Overlapping: the new state has outputs; report them. Leftmost-longest DFA: the step
 * died (the character cannot extend the best match of the state before it, nor keep its
 * start); report that match, whose state's word the DEAD word carries, and restart after it.
 * Leftmost-longest by candidates: record_candidates(). */
static AC_NOINLINE void after_step(struct ac_scanner *sc, uint64_t end_off)
{
    sc->nslow++;
    switch (sc->ac->algo) {
    case ALGO_OVERLAPPING: report_all(sc, AC_ID(sc->state), end_off); break;
    case ALGO_DFA: rescan(sc, emit_best(sc, AC_ID(sc->state), sc->sig - 2) + 1); break;
    case ALGO_CANDIDATES: record_candidates(sc, end_off); break;
    }
}

/* A paragraph break or the end of the document: nothing continues across it. Leftmost-longest:
 * while the state has a best match, report it and restart after it (the restart may find
 * more). */
static void break_match(struct ac_scanner *sc)
{
    const uint32_t *tab = sc->ac->table;
    if (sc->ac->algo == ALGO_DFA)
        while (sc->state && tab[sc->state + H_BPAT] != UINT32_MAX)
            rescan(sc, emit_best(sc, sc->state, sc->sig - 1) + 1);
    else if (sc->ac->algo == ALGO_CANDIDATES)
        commit_ready(sc, NONE);
    sc->state = 0;
}

/* ac_step's out-of-line half (see ac_internal.h). Out of line on purpose: inlined, it would
 * bloat the scan loop (a bigger loop was slower). */
AC_NOINLINE uint32_t ac_step_sparse(const struct ac *ac, uint32_t word, uint32_t cls)
{
    const uint32_t *tab = ac->table;
    for (;;) {
        const uint32_t *rec = tab + word;
        uint32_t n = rec[S_N];
        if (AC_LIKELY(n <= AC_SINLINE)) {
            for (uint32_t k = 0; k < n; k++)
                if (rec[S_CLS + k] == cls)
                    return rec[S_NEXT + k];
        } else {
            uint32_t t = ac_edge_find(ac, rec[S_OVF], rec[S_OVF] + n, cls - AC_HDR);
            if (t != UINT32_MAX)
                return t;
        }
        uint32_t f = rec[H_FAIL];
        if (f < ac->dense_lim)
            return tab[f + cls];
        if (f & AC_OUT) { /* leftmost-longest: failing here loses the best match */
            if (f & AC_MATCH) {
                uint32_t w = ac_step(tab, ac->dense_lim, ac, f, cls);
                if (!(w & (AC_OUT | AC_MATCH)))
                    return w | AC_MATCH;
            }
            return word | AC_OUT;
        }
        word = f;
    }
}

/* The ASCII-letter-or-digit flag of the character before @pos (a significant one: the scan
 * loop leaves to ws_run at every special character, so one never precedes @pos there), or
 * @dflt when @pos is @from, the start of the range being scanned. */
static int alnum_before(const struct ac *ac, const unsigned char *p, size_t from, size_t pos,
                        int dflt)
{
    size_t n;
    if (pos == from)
        return dflt;
    size_t k = pos - 1;
    while (k > from && (p[k] & 0xC0) == 0x80)
        k--;
    return (ac_class_entry(ac, p + k, &n) & AC_F_ALNUM) != 0;
}

/* The white-space logic, out of the scan loop: from @i (a special character, or any character
 * when a run is in progress: sc->in_ws), consumes the run of white space, line breaks and
 * dropped characters; at a blank line ends any match; at the first significant character
 * after white space, steps the space between two letters or digits. Returns the index of that
 * character, not consumed (or @len). On entry sc->prev_alnum is the flag of the last
 * significant character when sc->in_ws is set; otherwise it is recomputed from @from. */
static AC_NOINLINE size_t ws_run(struct ac_scanner *sc, const unsigned char *p, size_t from,
                                 size_t i, size_t len)
{
    const struct ac *ac = sc->ac;
    size_t n;
    if (!sc->in_ws)
        sc->prev_alnum = alnum_before(ac, p, from, i, sc->prev_alnum);
    while (i < len) {
        uint32_t en = ac_class_entry(ac, p + i, &n);
        if (!(en & AC_F_SPECIAL)) {
            if (sc->in_ws && sc->prev_alnum && (en & AC_F_ALNUM)) {
                /* white space between two letters or digits is one space */
                uint32_t prev = sc->state;
                sc->state = ac_step(ac->table, ac->dense_lim, ac, sc->state, ac->space_class);
                sc->ring_cls[sc->sig & sc->mask] = ac->space_class;
                sc->ring_off[sc->sig & sc->mask] = sc->ring_end[sc->sig & sc->mask] = sc->base + i;
                sc->sig++;
                if (sc->state & AC_MATCH) {
                    emit_best(sc, AC_ID(prev), sc->sig - 2);
                    sc->state = AC_ID(sc->state);
                }
                if ((sc->state & AC_OUT) || sc->pmin != NONE)
                    after_step(sc, sc->no_offsets ? 0 : sc->base + i);
            }
            sc->in_ws = 0;
            para_run_reset(&sc->run);
            return i;
        }
        i += n;
        sc->stats.chars++;
        if (en & AC_F_DROP)
            continue;
        sc->in_ws = 1;
        if (en & (AC_F_CR | AC_F_NL))
            para_run_line_break(&sc->run, (en & AC_F_CR) != 0);
        else
            para_run_space(&sc->run);
        if (sc->run.lines >= PARA_BREAK_LINES && sc->state != 0)
            break_match(sc);
    }
    return len;
}

/* What the scan loops store per character, a constant in each copy of the loop. Every scan
 * keeps the classes (for the leftmost-longest restart, rescan) and, with offsets, the start
 * and end of each character (emit_best reads the end of a DFA match's last character). An
 * overlapping scan reads neither: a match's start is its first character's, its end is given
 * to after_step directly; so with offsets it stores the starts alone (two stores a character
 * fewer: 0.98x the time of resolve's reading scan on make bench's corpus and on public). */
enum { OFFSETS_NONE = 0, OFFSETS_ALL = 1, OFFSETS_STARTS = 2 };

/* Scans [i, end) of a piece with the scanner's hot fields in locals (the ring stores could alias
 * them in *sc); they go back to *sc around every slow-path call. Per character: the class
 * lookup, the step, the ring stores (the class, for restarts; the offsets, when wanted), one
 * test of AC_OUT. */
static AC_INLINE void scan_range_body(struct ac_scanner *sc, const unsigned char *p, size_t from,
                                      size_t i, size_t end, const int offsets)
{
    const struct ac *ac = sc->ac;
    const uint32_t *tab = ac->table, *lut3 = ac->lut3;
    const uint32_t dense_lim = ac->dense_lim, mask = sc->mask;
    uint64_t *ring_off = sc->ring_off, *ring_end = sc->ring_end;
    uint32_t *ring_cls = sc->ring_cls;
    /* byte offset of q: (uintptr_t)q - adj */
    const uintptr_t adj = (uintptr_t)p - (uintptr_t)sc->base;
    const unsigned char *q, *qend = p + end;
    uint32_t state, pend;
    uint64_t sig, sig0, han = 0;
    int run_at_end = 0; /* the range ended inside ws_run: sc->prev_alnum is already right */

    if (sc->in_ws && i < end) {
        i = ws_run(sc, p, from, i, end);
        run_at_end = i == end;
    }
    q = p + i;
    state = sc->state;
    sig = sig0 = sc->sig;
    pend = sc->pmin != NONE ? AC_OUT : 0;
    while (q < qend) {
        const unsigned char *start = q;
        uint32_t en, c = q[0];
        if (AC_LIKELY(c - 0xE0 < 0x10)) {
            en = lut3[ac_lut3_index(c - 0xE0, 0, ((uint32_t)q[1] << 8 | q[2]) & 0x3F3F)];
            q += 3;
        } else {
            size_t n;
            en = ac_class_entry(ac, q, &n);
            q += n;
        }
        if (AC_UNLIKELY(en & AC_F_SPECIAL)) {
            sc->state = state;
            sc->sig = sig;
            sc->stats.chars += sig - sig0;
            i = ws_run(sc, p, from, (size_t)(start - p), end);
            q = p + i;
            run_at_end = i == end;
            state = sc->state;
            sig = sig0 = sc->sig;
            pend = sc->pmin != NONE ? AC_OUT : 0;
            continue;
        }
        han += en >> 31;
        uint32_t prev = state;
        state = ac_step(tab, dense_lim, ac, state, en & AC_CLASS_MASK);
        if (offsets != OFFSETS_STARTS)
            ring_cls[sig & mask] = en & AC_CLASS_MASK;
        if (offsets) {
            ring_off[sig & mask] = (uintptr_t)start - adj;
            if (offsets != OFFSETS_STARTS)
                ring_end[sig & mask] = (uintptr_t)q - adj;
        }
        sig++;
        if (AC_UNLIKELY(state & AC_MATCH)) {
            emit_best(sc, AC_ID(prev), sig - 2);
            state = AC_ID(state);
        }
        if (AC_UNLIKELY((state | pend) & AC_OUT)) {
            sc->state = state;
            sc->sig = sig;
            after_step(sc, offsets ? (uintptr_t)q - adj : 0);
            state = sc->state;
            pend = sc->pmin != NONE ? AC_OUT : 0;
        }
    }
    sc->state = state;
    sc->sig = sig;
    /* every character of the loop took one index since sig0 (ws_run counts its own characters,
     * and sig0 is taken after it, so the spaces it steps are not counted) */
    sc->stats.chars += sig - sig0;
    sc->stats.han += han;
    if (!run_at_end)
        sc->prev_alnum = alnum_before(ac, p, from, end, sc->prev_alnum);
}

/* The loop twice: with the ring store of start offsets, and without it for callers that only
 * count (6 of 43 instructions a character; 3% of `count`'s time on the built-in lexicon); with
 * offsets, an overlapping scan stores only the starts (OFFSETS_STARTS). */
static AC_NOINLINE void scan_range_offsets(struct ac_scanner *sc, const unsigned char *p,
                                           size_t from, size_t i, size_t end)
{
    if (sc->ac->algo == ALGO_OVERLAPPING)
        scan_range_body(sc, p, from, i, end, OFFSETS_STARTS);
    else
        scan_range_body(sc, p, from, i, end, OFFSETS_ALL);
}

static AC_NOINLINE void scan_range_no_offsets(struct ac_scanner *sc, const unsigned char *p,
                                              size_t from, size_t i, size_t end)
{
    scan_range_body(sc, p, from, i, end, OFFSETS_NONE);
}

/* ---- two lanes (scanners without offsets) ---- */

/* One lane of the two-lane loop: a scanner's hot fields, kept in registers by the caller. */
struct lane {
    struct ac_scanner *sc;
    const unsigned char *q, *qend;
    size_t from;
    uint32_t *ring_cls, mask;
    uint64_t *ring_off, *ring_end;
    uintptr_t adj; /* byte offset of q: (uintptr_t)q - adj (offsets only) */
    uint32_t state, pend;
    uint64_t sig, sig0, han;
};

static AC_INLINE void lane_load(struct lane *L)
{
    L->state = L->sc->state;
    L->sig = L->sig0 = L->sc->sig;
    L->pend = L->sc->pmin != NONE ? AC_OUT : 0;
    L->ring_cls = L->sc->ring_cls;
    L->ring_off = L->sc->ring_off;
    L->ring_end = L->sc->ring_end;
    L->mask = L->sc->mask;
}

static AC_INLINE void lane_store(struct lane *L)
{
    L->sc->state = L->state;
    L->sc->sig = L->sig;
    L->sc->stats.chars += L->sig - L->sig0;
    L->sig0 = L->sig;
}

/* One character of a lane: scan_range_body's loop body. */
static AC_INLINE void lane_step(struct lane *L, const unsigned char *p, const struct ac *ac,
                                const uint32_t *tab, const uint32_t *lut3, uint32_t dense_lim,
                                const int offsets)
{
    const unsigned char *start = L->q;
    uint32_t en, c = start[0];
    if (AC_LIKELY(c - 0xE0 < 0x10)) {
        en = lut3[ac_lut3_index(c - 0xE0, 0, ((uint32_t)start[1] << 8 | start[2]) & 0x3F3F)];
        L->q = start + 3;
    } else {
        size_t n;
        en = ac_class_entry(ac, start, &n);
        L->q = start + n;
    }
    if (AC_UNLIKELY(en & AC_F_SPECIAL)) {
        lane_store(L);
        L->q = p + ws_run(L->sc, p, L->from, (size_t)(start - p), (size_t)(L->qend - p));
        lane_load(L);
        return;
    }
    L->han += en >> 31;
    uint32_t prev = L->state;
    L->state = ac_step(tab, dense_lim, ac, L->state, en & AC_CLASS_MASK);
    if (offsets != OFFSETS_STARTS)
        L->ring_cls[L->sig & L->mask] = en & AC_CLASS_MASK;
    if (offsets) {
        L->ring_off[L->sig & L->mask] = (uintptr_t)start - L->adj;
        if (offsets != OFFSETS_STARTS)
            L->ring_end[L->sig & L->mask] = (uintptr_t)L->q - L->adj;
    }
    L->sig++;
    if (AC_UNLIKELY(L->state & AC_MATCH)) {
        struct ac_scanner *sc = L->sc;
        if (!offsets && sc->hits) { /* counting: the best match's pattern is all it needs */
            hits_add(sc, tab[AC_ID(prev) + H_BPAT]);
        } else {
            emit_best(sc, AC_ID(prev), L->sig - 2);
        }
        L->state = AC_ID(L->state);
    }
    if (AC_UNLIKELY((L->state | L->pend) & AC_OUT)) {
        L->sc->state = L->state;
        L->sc->sig = L->sig;
        after_step(L->sc, offsets ? (uintptr_t)L->q - L->adj : 0);
        L->state = L->sc->state;
        L->pend = L->sc->pmin != NONE ? AC_OUT : 0;
    }
}

/* Ends a lane: the rest of its range in the one-lane loop, or, at its end, what
 * scan_range_body does there (prev_alnum, unless the range ended inside a white-space run). */
static void lane_finish(struct lane *L, const unsigned char *p, int offsets)
{
    lane_store(L);
    L->sc->stats.han += L->han;
    if (L->q < L->qend && offsets)
        scan_range_offsets(L->sc, p, L->from, (size_t)(L->q - p), (size_t)(L->qend - p));
    else if (L->q < L->qend)
        scan_range_no_offsets(L->sc, p, L->from, (size_t)(L->q - p), (size_t)(L->qend - p));
    else if (!L->sc->in_ws)
        L->sc->prev_alnum =
            alnum_before(L->sc->ac, p, L->from, (size_t)(L->qend - p), L->sc->prev_alnum);
}

/* A character in no pattern (class 0) that is neither white space nor a letter or digit. */
static inline int entry_ends_matches(uint32_t en)
{
    return (en & AC_CLASS_MASK) == AC_HDR && !(en & (AC_F_SPECIAL | AC_F_ALNUM));
}

/* Where the second lane may start: just after a character that no pattern contains (class 0)
 * and that is neither white space nor a letter or digit, at or after the middle of the piece.
 * Reading it takes any scanner to the root with every match before it reported (in
 * leftmost-longest, through DEAD words and restarts that end at the root on it) and no
 * white-space run open, so a fresh scanner can take over from there. 0 when there is none
 * nearby. */
static size_t lane_split(const struct ac *ac, const unsigned char *p, size_t len)
{
    size_t k = len / 2, lim = len - len / 4, n;
    while (k < lim && (p[k] & 0xC0) == 0x80)
        k++;
    for (; k < lim; k += n) {
        if (entry_ends_matches(ac_class_entry(ac, p + k, &n)))
            return k + n;
    }
    return 0;
}

/* Scans a piece as two independent lanes in one loop, so the two chains of dependent table
 * loads overlap (one lane alone waits on each load). The twin scanner takes the first part,
 * continuing from the scanner's state; the scanner itself restarts at the root after the split
 * character, with significant indices numbered past any the twin can reach (its restarts
 * read only classes it stored itself; the twin gets a copy of the ring, for restarts that
 * reach back before the piece). Matches of the two parts interleave: only for counting, or
 * (@offsets) for a caller that sorts what it is given (ac_scanner_lanes). */
static AC_INLINE void two_lanes_body(struct ac_scanner *sc, const unsigned char *p, size_t len,
                                     size_t split, const int offsets)
{
    const struct ac *ac = sc->ac;
    const uint32_t *tab = ac->table, *lut3 = ac->lut3;
    const uint32_t dense_lim = ac->dense_lim;
    struct ac_scanner *tw = sc->twin;

    tw->state = sc->state;
    tw->sig = sc->sig;
    tw->in_ws = sc->in_ws;
    tw->prev_alnum = sc->prev_alnum;
    tw->run = sc->run;
    tw->cursor = sc->cursor;
    tw->pmin = sc->pmin;
    memcpy(tw->ring_cls, sc->ring_cls, ((size_t)sc->mask + 1) * sizeof(*sc->ring_cls));
    if (offsets) {
        tw->base = sc->base;
        memcpy(tw->ring_off, sc->ring_off, ((size_t)sc->mask + 1) * sizeof(*sc->ring_off));
        memcpy(tw->ring_end, sc->ring_end, ((size_t)sc->mask + 1) * sizeof(*sc->ring_end));
    }
    if (sc->cand)
        memcpy(tw->cand, sc->cand, ((size_t)sc->mask + 1) * sizeof(*sc->cand));
    memset(&tw->stats, 0, sizeof(tw->stats));
    sc->state = 0;
    sc->sig += split + 1;
    sc->cursor = sc->sig;
    sc->pmin = NONE;
    sc->in_ws = sc->prev_alnum = 0;
    para_run_reset(&sc->run);

    struct lane a = {tw, p, p + split, 0, NULL, 0, NULL, NULL, 0, 0, 0, 0, 0, 0};
    struct lane b = {sc, p + split, p + len, split, NULL, 0, NULL, NULL, 0, 0, 0, 0, 0, 0};
    a.adj = b.adj = (uintptr_t)p - (uintptr_t)sc->base;
    if (tw->in_ws)
        a.q = p + ws_run(tw, p, 0, 0, split);
    lane_load(&a);
    lane_load(&b);
    while (a.q < a.qend && b.q < b.qend) {
        lane_step(&a, p, ac, tab, lut3, dense_lim, offsets);
        lane_step(&b, p, ac, tab, lut3, dense_lim, offsets);
    }
    lane_finish(&a, p, offsets);
    lane_finish(&b, p, offsets);
    break_match(tw); /* the split character left the twin at the root; this is a safeguard */
    sc->nslow += tw->nslow;
    tw->nslow = 0;
    sc->stats.chars += tw->stats.chars;
    sc->stats.han += tw->stats.han;
}

static AC_NOINLINE void scan_two_lanes(struct ac_scanner *sc, const unsigned char *p, size_t len,
                                       size_t split)
{
    two_lanes_body(sc, p, len, split, OFFSETS_NONE);
}

static AC_NOINLINE void scan_two_lanes_offsets(struct ac_scanner *sc, const unsigned char *p,
                                               size_t len, size_t split)
{
    if (sc->ac->algo == ALGO_OVERLAPPING)
        two_lanes_body(sc, p, len, split, OFFSETS_STARTS);
    else
        two_lanes_body(sc, p, len, split, OFFSETS_ALL);
}

void ac_scanner_no_offsets(struct ac_scanner *sc)
{
    sc->no_offsets = 1;
    sc->lanes_min = AC_LANES_MIN;
    if (!sc->twin) {
        sc->twin = xmalloc(sizeof(*sc->twin));
        ac_scanner_init(sc->twin, sc->ac, sc->fn, sc->arg);
        sc->twin->no_offsets = 1;
    }
}

void ac_scanner_lanes(struct ac_scanner *sc)
{
    sc->lanes_min = AC_LANES_MIN;
    if (!sc->twin) {
        sc->twin = xmalloc(sizeof(*sc->twin));
        ac_scanner_init(sc->twin, sc->ac, sc->fn, sc->arg);
    }
}

void ac_scanner_hits(struct ac_scanner *sc, ac_hits_fn *fn, void *arg)
{
    ac_scanner_no_offsets(sc);
    for (struct ac_scanner *s = sc; s; s = s == sc ? sc->twin : NULL) {
        if (!s->hits)
            s->hits = xmalloc(AC_HITS_MAX * sizeof(*s->hits));
        s->nhits = 0;
        s->hits_fn = fn;
        s->hits_arg = arg;
    }
}

void ac_scanner_placed_hits(struct ac_scanner *sc, ac_placed_hits_fn *fn, void *arg)
{
    for (struct ac_scanner *s = sc; s; s = s == sc ? sc->twin : NULL) {
        if (!s->placed)
            s->placed = xmalloc(AC_HITS_MAX * sizeof(*s->placed));
        s->nplaced = 0;
        s->placed_fn = fn;
        s->placed_arg = arg;
    }
}

uint64_t ac_scanner_oldest_off(const struct ac_scanner *sc)
{
    uint64_t ring = (uint64_t)sc->mask + 1;
    return sc->sig > ring ? sc->ring_off[(sc->sig - ring) & sc->mask] : 0;
}

int ac_cp_ends_matches(const struct ac *ac, uint32_t cp)
{
    char utf8[4];
    size_t n;
    utf8_encode(cp, utf8);
    return entry_ends_matches(ac_class_entry(ac, (const unsigned char *)utf8, &n));
}

void ac_span_around(const struct ac *ac, const char *utf8, size_t len, size_t start, size_t end,
                    size_t *from, size_t *to)
{
    const unsigned char *p = (const unsigned char *)utf8;
    size_t i = start < len ? start : len, n;
    *from = 0;
    while (i > 0) {
        size_t k = i - 1;
        while (k > 0 && (p[k] & 0xC0) == 0x80)
            k--;
        if (entry_ends_matches(ac_class_entry(ac, p + k, &n))) {
            *from = i;
            break;
        }
        i = k;
    }
    for (i = end; i < len; i += n) {
        if (entry_ends_matches(ac_class_entry(ac, p + i, &n))) {
            *to = i + n;
            return;
        }
    }
    *to = len;
}

void ac_scan(struct ac_scanner *sc, const char *utf8, size_t len)
{
    const unsigned char *p = (const unsigned char *)utf8;
    size_t split;
    if (sc->no_offsets || sc->twin) {
        uint64_t slow0 = sc->nslow, chars0 = sc->stats.chars;
        int lanes = sc->twin && len >= sc->lanes_min && !sc->lanes_off &&
                    (split = lane_split(sc->ac, p, len));
        if (lanes && sc->no_offsets)
            scan_two_lanes(sc, p, len, split);
        else if (lanes)
            scan_two_lanes_offsets(sc, p, len, split);
        else if (sc->no_offsets)
            scan_range_no_offsets(sc, p, 0, 0, len);
        else
            scan_range_offsets(sc, p, 0, 0, len);
        /* the next piece gets two lanes unless this one left the fast path often (overlapping
         * only: leftmost-longest leaves it once a match, and two lanes paid even at one match
         * every 10 characters) */
        if (len >= AC_LANES_MIN && sc->mode == AC_OVERLAPPING)
            sc->lanes_off = (sc->nslow - slow0) * AC_LANES_SLOW > sc->stats.chars - chars0;
    } else
        scan_range_offsets(sc, p, 0, 0, len);
    sc->base += len;
    sc->stats.bytes += len;
}

void ac_scan_finish(struct ac_scanner *sc)
{
    break_match(sc);
    if (sc->hits) {
        if (sc->twin)
            hits_flush(sc->twin);
        hits_flush(sc);
    }
    if (sc->placed) {
        if (sc->twin)
            placed_flush(sc->twin);
        placed_flush(sc);
    }
}
