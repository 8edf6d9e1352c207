/*
 * ac_build: builds the Aho-Corasick automaton from patterns: a trie over character classes,
 * failure links, best matches, frozen into the one state table the scanner reads.
 *
 * How it works
 *
 * ac_build() is a driver of phases, each a function below, in this order:
 *   insert_patterns   normalize each pattern (normalize_pattern) and insert it into a trie whose
 *                     edges live in a hash table, (parent, class) -> child; classes are given in
 *                     order of first appearance (ac_class_assign);
 *   number_classes    renumber the classes by use and write the class table (ac_class.c);
 *   children_by_class, renumber_breadth_first
 *                     freeze the trie into CSR arrays (edges sorted by class), states numbered
 *                     breadth-first, so a state's failure state always has a smaller id and
 *                     every later phase can work parents first in one pass;
 *   link_failures     failure and dictionary links. Outputs use "dictionary links": each state
 *                     keeps its own pattern list and a link to the nearest state on its failure
 *                     chain that has one, so memory stays O(states) even for huge lexicons;
 *   flag_outputs      overlapping and candidates: AC_OUT on every edge into a state with outputs;
 *   best_matches      leftmost-longest DFA: BEST(q) of every state (ac_internal.h, Semantics);
 *   choose_dense      how many of the shallowest states get dense rows, within the budget;
 *   write_table       every state's record in ac->table, in id order: header, then a dense row
 *                     (its failure state's row with its own edges written over it; for a state
 *                     that dies, DEAD and MATCH words) or a sparse record.
 * The automaton's layout, the state words and what DEAD and MATCH words mean are described in
 * ac_internal.h.
 *
 * Cost: O(total pattern length * log) plus O(ndense * K) for the dense rows, K the number of
 * classes; leftmost-longest adds O(maxlen) steps for each state that dies (restart_word).
 * Ownership: everything built here belongs to struct ac (run lifetime, ac_free); the trie, its
 * hash table and the per-state arrays of the phases are freed before ac_build returns. On an
 * error nothing is kept.
 */
#include <stdlib.h>
#include <string.h>

#include "ac_class.h"
#include "ac_scan.h"
#include "tifa/normalize.h"
#include "tifa/xalloc.h"

/* Leftmost-longest lexicons whose longest pattern is at most this many characters get the DFA
 * with restarts; longer ones the candidate scan (ac_internal.h, Semantics): a restart steps up
 * to maxlen characters again, so the DFA is O(text * maxlen) in the worst case, the candidates
 * O(text + matches) whatever the lexicon. */
#define AC_DFA_MAXLEN 64

/* Default bytes of dense rows: 2 MiB plus 1 KiB per pattern, at most 16 MiB. With the built-in
 * lexicon 2 MiB scans as fast as 8 MiB (the shallow rows are the hot ones) and builds four times
 * faster; a 10,000-pattern lexicon scans 1.6x faster with 12 MiB than with 2 MiB. */
#define AC_DENSE_BASE ((size_t)2 << 20)
#define AC_DENSE_PER_PATTERN ((size_t)1 << 10)
#define AC_DENSE_MAX ((size_t)16 << 20)

/* ---- the trie under construction: a uint64 -> uint32 hash for its edges ---- */

struct edge_table {
    uint64_t *keys; /* (parent << 24 | class) + 1; 0 = empty */
    uint32_t *vals;
    size_t cap, n;
};

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static void edge_grow(struct edge_table *t)
{
    struct edge_table old = *t;
    t->cap = old.cap ? st_mult(old.cap, 2) : 1024;
    t->keys = xcalloc(t->cap, sizeof(uint64_t));
    t->vals = xmalloc(st_mult(t->cap, sizeof(uint32_t)));
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.keys[i])
            continue;
        size_t j = mix64(old.keys[i]) & (t->cap - 1);
        while (t->keys[j])
            j = (j + 1) & (t->cap - 1);
        t->keys[j] = old.keys[i];
        t->vals[j] = old.vals[i];
    }
    free(old.keys);
    free(old.vals);
}

/* Returns the slot for key; *found tells whether it holds the key. */
static size_t edge_find(const struct edge_table *t, uint64_t key, int *found)
{
    size_t j = mix64(key) & (t->cap - 1);
    while (t->keys[j] && t->keys[j] != key)
        j = (j + 1) & (t->cap - 1);
    *found = t->keys[j] == key;
    return j;
}

/* The trie while patterns are inserted: nodes numbered in order of creation, node 0 the root. */
struct trie {
    struct ac_class_alloc ca; /* the classes of the patterns' characters */
    struct edge_table et;     /* (parent, class) -> child */
    uint32_t *depth, *own;    /* per node: depth, first pattern ending there (UINT32_MAX: none) */
    size_t nodes, depth_alloc, own_alloc;
};

static void trie_init(struct trie *t)
{
    memset(t, 0, sizeof(*t));
    ac_class_alloc_init(&t->ca);
    ALLOC_GROW(t->depth, 1, t->depth_alloc);
    ALLOC_GROW(t->own, 1, t->own_alloc);
    t->depth[0] = 0;
    t->own[0] = UINT32_MAX;
    t->nodes = 1;
    edge_grow(&t->et);
}

/* The edges' hash table, once they are in CSR form (children_by_class). */
static void trie_release_edges(struct trie *t)
{
    free(t->et.keys);
    free(t->et.vals);
    memset(&t->et, 0, sizeof(t->et));
}

static void trie_release(struct trie *t)
{
    ac_class_alloc_release(&t->ca);
    trie_release_edges(t);
    free(t->depth);
    free(t->own);
    memset(t, 0, sizeof(*t));
}

/* ---- phase 1: the trie, over classes ---- */

/* Follows or adds the path of the @ncp normalized code points @cps; sets *@end to its last
 * node. Fails with TIFA_ELIMIT when the trie or the alphabet outgrows the state words. */
static int trie_add_path(struct ac *ac, struct trie *t, const uint32_t *cps, long ncp,
                         uint32_t *end, struct tifa_err *e)
{
    uint32_t s = 0;
    for (long i = 0; i < ncp; i++) {
        uint32_t cls = ac_class_assign(&t->ca, cps[i]);
        if (cps[i] == ' ')
            ac->space_class = cls;
        if ((t->et.n + 1) * 2 > t->et.cap)
            edge_grow(&t->et);
        uint64_t key = (((uint64_t)s << 24) | cls) + 1;
        int found;
        size_t slot = edge_find(&t->et, key, &found);
        if (found) {
            s = t->et.vals[slot];
            continue;
        }
        if (t->nodes >= (1u << 25) || t->ca.next >= AC_CLASS_MASK - AC_HDR)
            return tifa_err_set(e, TIFA_ELIMIT, NULL, 0, -1, "lexicon too large for the automaton");
        t->et.keys[slot] = key;
        t->et.vals[slot] = (uint32_t)t->nodes;
        t->et.n++;
        ALLOC_GROW(t->depth, t->nodes + 1, t->depth_alloc);
        ALLOC_GROW(t->own, t->nodes + 1, t->own_alloc);
        t->depth[t->nodes] = (uint32_t)i + 1;
        t->own[t->nodes] = UINT32_MAX;
        s = (uint32_t)t->nodes++;
    }
    *end = s;
    return 0;
}

/* Appends pattern @p to the own list of node @s, keeping input order (leftmost-longest reports
 * the first given of equal patterns). */
static void trie_add_output(struct ac *ac, struct trie *t, uint32_t s, size_t p)
{
    ac->pat[p].next_same = UINT32_MAX;
    if (t->own[s] == UINT32_MAX) {
        t->own[s] = (uint32_t)p;
        return;
    }
    uint32_t q = t->own[s];
    while (ac->pat[q].next_same != UINT32_MAX)
        q = ac->pat[q].next_same;
    ac->pat[q].next_same = (uint32_t)p;
}

/* Every pattern, normalized, into the trie; its length and term into ac->pat, the longest
 * length into ac->maxlen. Fails with TIFA_EDATA ("pattern N: ...") for a pattern that is empty
 * once normalized or is not UTF-8. */
static int insert_patterns(struct ac *ac, struct trie *t, const struct ac_pattern *pats, size_t n,
                           struct tifa_err *e)
{
    uint32_t *cps = NULL;
    size_t cps_alloc = 0;
    int rc = 0;

    for (size_t p = 0; p < n && !rc; p++) {
        size_t len = strlen(pats[p].text);
        ALLOC_GROW(cps, len + 1, cps_alloc);
        struct tifa_err sub;
        tifa_err_init(&sub);
        long ncp = normalize_pattern(pats[p].text, len, cps, len + 1, &sub);
        if (ncp <= 0) {
            rc = tifa_err_set(e, TIFA_EDATA, NULL, 0, -1, "pattern %zu: %s", p + 1,
                              ncp < 0 ? sub.msg : "empty after normalization");
            break;
        }
        uint32_t s = 0;
        rc = trie_add_path(ac, t, cps, ncp, &s, e);
        if (rc)
            break;
        ac->pat[p].len = (uint32_t)ncp;
        ac->pat[p].term = pats[p].term_id;
        if (ac->maxlen < (uint32_t)ncp)
            ac->maxlen = (uint32_t)ncp;
        trie_add_output(ac, t, s, p);
    }
    free(cps);
    return rc;
}

/* Which scan the tables are built for (ac_internal.h, Semantics): it decides what the headers
 * hold. */
static enum ac_algo choose_algo(const struct ac *ac, const struct ac_build_opts *opts)
{
    size_t dfa_maxlen = opts && opts->dfa_maxlen ? opts->dfa_maxlen : AC_DFA_MAXLEN;
    return ac->mode == AC_OVERLAPPING ? ALGO_OVERLAPPING
           : ac->maxlen <= dfa_maxlen ? ALGO_DFA
                                      : ALGO_CANDIDATES;
}

/* ---- phase 2: classes by use ---- */

/* Renumbers the classes by how many trie edges carry them, most first (why: see ac_class.c,
 * Numbering) and writes the class table. Returns the map old class -> new (caller frees). */
static uint32_t *number_classes(struct ac *ac, struct trie *t)
{
    uint32_t *uses = xcalloc(t->ca.next, sizeof(uint32_t));
    for (size_t i = 0; i < t->et.cap; i++)
        if (t->et.keys[i])
            uses[(t->et.keys[i] - 1) & AC_CLASS_MASK]++;
    uint32_t *remap = ac_class_renumber(&t->ca, uses);
    ac->space_class = remap[ac->space_class] + AC_HDR;
    free(uses);
    ac_class_table_build(ac, &t->ca);
    return remap;
}

/* ---- phase 3: the trie frozen, breadth-first ---- */

/* Children lists in CSR form, by node in creation order, each sorted by class (the new
 * classes): the trie's edges out of their hash table. */
struct children {
    uint32_t *start; /* nodes + 1 */
    uint32_t *cls, *child;
};

static void children_by_class(struct children *ch, const struct trie *t, const uint32_t *remap)
{
    const struct edge_table *et = &t->et;
    size_t nodes = t->nodes;
    ch->start = xcalloc(nodes + 1, sizeof(uint32_t));
    ch->cls = xmalloc(st_mult(et->n + 1, sizeof(uint32_t)));
    ch->child = xmalloc(st_mult(et->n + 1, sizeof(uint32_t)));
    for (size_t i = 0; i < et->cap; i++)
        if (et->keys[i])
            ch->start[((et->keys[i] - 1) >> 24) + 1]++;
    for (size_t i = 0; i < nodes; i++)
        ch->start[i + 1] += ch->start[i];
    uint32_t *fill = xmalloc(st_mult(nodes + 1, sizeof(uint32_t)));
    memcpy(fill, ch->start, (nodes + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < et->cap; i++) {
        if (!et->keys[i])
            continue;
        uint64_t k = et->keys[i] - 1;
        uint32_t pos = fill[(uint32_t)(k >> 24)]++;
        ch->cls[pos] = remap[k & AC_CLASS_MASK];
        ch->child[pos] = et->vals[i];
    }
    free(fill);
    /* insertion sort each child list by class (lists are short) */
    for (size_t v = 0; v < nodes; v++) {
        for (uint32_t a = ch->start[v] + 1; a < ch->start[v + 1]; a++) {
            uint32_t c = ch->cls[a], chd = ch->child[a], b = a;
            while (b > ch->start[v] && ch->cls[b - 1] > c) {
                ch->cls[b] = ch->cls[b - 1];
                ch->child[b] = ch->child[b - 1];
                b--;
            }
            ch->cls[b] = c;
            ch->child[b] = chd;
        }
    }
}

/* The trie as states numbered breadth-first: ac->edge_start/edge_cls/edge_next (targets as
 * state ids) and ac->st's depth and own pattern, from the children lists @ch (freed here).
 * Breadth-first order puts every state after its parent and its failure state, so the later
 * phases run in one pass each. */
static void renumber_breadth_first(struct ac *ac, const struct trie *t, struct children *ch)
{
    size_t nodes = t->nodes;

    uint32_t *order = xmalloc(st_mult(nodes, sizeof(uint32_t))); /* new -> old */
    uint32_t *newid = xmalloc(st_mult(nodes, sizeof(uint32_t))); /* old -> new */
    size_t head = 0, tail = 0;
    order[tail++] = 0;
    newid[0] = 0;
    while (head < tail) {
        uint32_t v = order[head++];
        for (uint32_t a = ch->start[v]; a < ch->start[v + 1]; a++) {
            newid[ch->child[a]] = (uint32_t)tail;
            order[tail++] = ch->child[a];
        }
    }
    ac->nstates = (uint32_t)nodes;
    ac->edge_start = xmalloc(st_mult(nodes + 1, sizeof(uint32_t)));
    ac->edge_cls = xmalloc(st_mult(ch->start[nodes] + 1, sizeof(uint32_t)));
    ac->edge_next = xmalloc(st_mult(ch->start[nodes] + 1, sizeof(uint32_t)));
    ac->st = xcalloc(nodes, sizeof(*ac->st));
    ac->fail = xcalloc(nodes, sizeof(uint32_t));
    uint32_t pos = 0;
    for (size_t ns = 0; ns < nodes; ns++) {
        uint32_t v = order[ns];
        ac->edge_start[ns] = pos;
        for (uint32_t a = ch->start[v]; a < ch->start[v + 1]; a++) {
            ac->edge_cls[pos] = ch->cls[a];
            ac->edge_next[pos++] = newid[ch->child[a]];
        }
        ac->st[ns].depth = t->depth[v];
        ac->st[ns].own_first = t->own[v];
    }
    ac->edge_start[nodes] = pos;
    free(ch->start);
    free(ch->cls);
    free(ch->child);
    free(order);
    free(newid);
}

/* ---- phase 4: failure and dictionary links ---- */

/* The child of state @s on class @cls (without AC_HDR) in the CSR arrays, UINT32_MAX if none. */
static uint32_t sparse_goto(const struct ac *ac, uint32_t s, uint32_t cls)
{
    return ac_edge_find(ac, ac->edge_start[s], ac->edge_start[s + 1], cls);
}

/* ac->fail and ac->st[].dict, in BFS order: a state's failure state is computed from its
 * parent's, which comes first. */
static void link_failures(struct ac *ac)
{
    for (uint32_t s = 0; s < ac->nstates; s++) {
        for (uint32_t a = ac->edge_start[s]; a < ac->edge_start[s + 1]; a++) {
            uint32_t child = ac->edge_next[a], cls = ac->edge_cls[a], f = 0;
            if (s != 0) {
                uint32_t g = ac->fail[s];
                for (;;) {
                    uint32_t t = sparse_goto(ac, g, cls);
                    if (t != UINT32_MAX) {
                        f = t;
                        break;
                    }
                    if (g == 0)
                        break;
                    g = ac->fail[g];
                }
            }
            ac->fail[child] = f;
            ac->st[child].dict = ac->st[f].own_first != UINT32_MAX ? f : ac->st[f].dict;
        }
    }
}

/* ---- phase 5: outputs (overlapping, candidates) or best matches (DFA) ---- */

/* Overlapping and leftmost-longest by candidates: AC_OUT on every stored target that has
 * outputs, its own or along its dictionary chain, so that the scan loop's one test of AC_OUT
 * sends it to the slow path exactly there. */
static void flag_outputs(struct ac *ac)
{
    for (uint32_t a = 0; a < ac->edge_start[ac->nstates]; a++) {
        uint32_t t = ac->edge_next[a];
        if (ac->st[t].own_first != UINT32_MAX || ac->st[t].dict)
            ac->edge_next[a] = t | AC_OUT;
    }
}

/* BEST(q) of every state, by state id (ac_internal.h, Semantics); NULL arrays for the other
 * scans. */
struct best {
    uint32_t *back; /* its start is this many characters back from q's last one */
    uint32_t *len;  /* its length */
    uint32_t *pat;  /* its pattern, UINT32_MAX if q has no best match */
};

/* Leftmost-longest DFA: BEST(q) of every state, parents first (BFS order). */
static void best_matches(const struct ac *ac, struct best *b)
{
    b->back = xcalloc(ac->nstates, sizeof(uint32_t));
    b->len = xcalloc(ac->nstates, sizeof(uint32_t));
    b->pat = xmalloc(st_mult(ac->nstates, sizeof(uint32_t)));
    b->pat[0] = UINT32_MAX;
    for (uint32_t s = 0; s < ac->nstates; s++) {
        for (uint32_t a = ac->edge_start[s]; a < ac->edge_start[s + 1]; a++) {
            uint32_t c = ac->edge_next[a];
            /* the parent's best, one character further back; the child's longest output
             * (its own pattern, else its dictionary state's) wins when it starts at or
             * before it (at the same start it is the longer one) */
            uint32_t ob = ac->st[c].own_first != UINT32_MAX ? c : ac->st[c].dict;
            b->pat[c] = b->pat[s];
            b->back[c] = b->pat[s] != UINT32_MAX ? b->back[s] + 1 : 0;
            b->len[c] = b->len[s];
            if (ob && (b->pat[c] == UINT32_MAX || ac->st[ob].depth >= b->back[c])) {
                b->pat[c] = ac->st[ob].own_first;
                b->back[c] = b->len[c] = ac->st[ob].depth;
            }
        }
    }
}

static void best_release(struct best *b)
{
    free(b->back);
    free(b->len);
    free(b->pat);
}

/* ---- phase 6: dense rows for the shallowest states ---- */

static size_t dense_budget(const struct ac_build_opts *opts, size_t npatterns)
{
    if (opts && opts->dense_budget)
        return opts->dense_budget;
    return npatterns < (AC_DENSE_MAX - AC_DENSE_BASE) / AC_DENSE_PER_PATTERN
               ? AC_DENSE_BASE + npatterns * AC_DENSE_PER_PATTERN
               : AC_DENSE_MAX;
}

/* As many dense rows as @budget bytes hold, at least the root's. States < 2^25 and the cap
 * of 2^29 words of rows keep every word, dense or sparse, below 2^30, clear of the flags. */
static void choose_dense(struct ac *ac, size_t budget)
{
    ac->row_len = AC_HDR + ac->nclasses;
    size_t rowbytes = st_mult(ac->row_len, sizeof(uint32_t));
    size_t ndense = budget / rowbytes;
    if (ndense < 1)
        ndense = 1;
    if (ndense > ac->nstates)
        ndense = ac->nstates;
    if (ndense > ((size_t)1 << 29) / ac->row_len)
        ndense = ((size_t)1 << 29) / ac->row_len;
    ac->ndense = (uint32_t)ndense;
    ac->dense_lim = ac->ndense * ac->row_len;
}

/* ---- phase 7: the state table ---- */

/* State words: what the scanner holds and the tables store: the offset of the state's record in
 * ac->table. A dense state's record is its header and row (row_len words), a sparse state's is
 * AC_SREC words after the dense rows. Bit 31 (AC_OUT) is the output flag. */
static inline uint32_t state_word(const struct ac *ac, uint32_t id)
{
    return id < ac->ndense ? id * ac->row_len : ac->dense_lim + (id - ac->ndense) * AC_SREC;
}

/* Leftmost-longest DFA: how to spell a state's path: the parent and the class of the edge into
 * each state, and room for maxlen classes. */
struct spelling {
    uint32_t *par, *lab, *buf;
};

static void spelling_init(struct spelling *sp, const struct ac *ac)
{
    sp->par = xcalloc(ac->nstates, sizeof(uint32_t));
    sp->lab = xcalloc(ac->nstates, sizeof(uint32_t));
    sp->buf = xmalloc(st_mult((size_t)ac->maxlen + 1, sizeof(uint32_t)));
    for (uint32_t s = 0; s < ac->nstates; s++)
        for (uint32_t a = ac->edge_start[s]; a < ac->edge_start[s + 1]; a++) {
            sp->par[ac->edge_next[a]] = s;
            sp->lab[ac->edge_next[a]] = ac->edge_cls[a];
        }
}

static void spelling_release(struct spelling *sp)
{
    free(sp->par);
    free(sp->lab);
    free(sp->buf);
}

/* Leftmost-longest DFA, while the table is being written in id order: the state the search
 * restarted after state @s's best match reaches on the characters of s's path after that match
 * (the last @n, spelled through @sp), or UINT32_MAX when that restart would itself report a
 * match. Every state it steps through is shallower than s, so its record is written. */
static uint32_t restart_word(const struct ac *ac, uint32_t s, uint32_t n, const struct spelling *sp)
{
    for (uint32_t k = n; k > 0; k--, s = sp->par[s])
        sp->buf[k - 1] = sp->lab[s];
    uint32_t w = 0;
    for (uint32_t k = 0; k < n; k++) {
        w = ac_step(ac->table, ac->dense_lim, ac, w, sp->buf[k] + AC_HDR);
        if (w & (AC_OUT | AC_MATCH))
            return UINT32_MAX;
    }
    return w;
}

/* The header of state @s: overlapping and candidates, depth, own pattern, dictionary word;
 * the DFA, its best match. Then the failure word: when failing loses the best match (@dies),
 * a DEAD word (the state's own word flagged), or the restart's word as a MATCH word. */
static void write_header(const struct ac *ac, const struct best *b, uint32_t s, uint32_t *rec,
                         int dies, uint32_t restart)
{
    if (ac->algo != ALGO_DFA) {
        rec[H_DEPTH] = ac->st[s].depth;
        rec[H_OWN] = ac->st[s].own_first;
        rec[H_DICT] = ac->st[s].dict ? state_word(ac, ac->st[s].dict) : 0;
    } else {
        rec[H_BBACK] = b->back[s];
        rec[H_BPAT] = b->pat[s];
        rec[H_BLEN] = b->len[s];
    }
    if (!dies)
        rec[H_FAIL] = state_word(ac, ac->fail[s]);
    else if (restart != UINT32_MAX)
        rec[H_FAIL] = restart | AC_OUT | AC_MATCH;
    else
        rec[H_FAIL] = state_word(ac, s) | AC_OUT;
}

/* A dense row: the failure state's row (fail[s] < s in BFS order, so that row is written) or,
 * for a state that dies, its DEAD word, or MATCH words where the restart (@restart) goes on
 * without a match of its own; then the state's own edges over it. */
static void write_dense_row(const struct ac *ac, uint32_t s, uint32_t *rec, int dies,
                            uint32_t restart)
{
    uint32_t e0 = ac->edge_start[s], e1 = ac->edge_start[s + 1];
    if (dies) {
        uint32_t dead = state_word(ac, s) | AC_OUT;
        for (uint32_t k = 0; k < ac->nclasses; k++) {
            uint32_t w = restart != UINT32_MAX
                             ? ac_step(ac->table, ac->dense_lim, ac, restart, k + AC_HDR)
                             : AC_OUT;
            rec[AC_HDR + k] = w & (AC_OUT | AC_MATCH) ? dead : w | AC_MATCH;
        }
    } else if (s) {
        memcpy(rec + AC_HDR, ac->table + state_word(ac, ac->fail[s]) + AC_HDR,
               ac->nclasses * sizeof(uint32_t));
    }
    for (uint32_t a = e0; a < e1; a++)
        rec[AC_HDR + ac->edge_cls[a]] = ac->edge_next[a];
}

/* A sparse record: up to AC_SINLINE edges inline, the rest found in the sorted edge arrays. */
static void write_sparse_record(const struct ac *ac, uint32_t s, uint32_t *rec)
{
    uint32_t e0 = ac->edge_start[s], n_e = ac->edge_start[s + 1] - e0;
    rec[S_N] = n_e;
    rec[S_OVF] = e0;
    for (uint32_t k = 0; k < n_e && k < AC_SINLINE; k++) {
        rec[S_CLS + k] = ac->edge_cls[e0 + k] + AC_HDR;
        rec[S_NEXT + k] = ac->edge_next[e0 + k];
    }
}

/* Every stored target becomes a state word, then every state's record is written in id order,
 * so a row copied from the failure state's and a restart stepped from the root find theirs
 * written. @b holds the best matches of the DFA (NULL arrays otherwise). */
static void write_table(struct ac *ac, const struct best *b)
{
    struct spelling sp = {0};
    if (b->pat)
        spelling_init(&sp, ac);
    for (uint32_t a = 0; a < ac->edge_start[ac->nstates]; a++)
        ac->edge_next[a] = state_word(ac, AC_ID(ac->edge_next[a])) | (ac->edge_next[a] & AC_OUT);
    size_t words = (size_t)ac->dense_lim + (size_t)(ac->nstates - ac->ndense) * AC_SREC;
    ac->table = xcalloc_prefaulted(words, sizeof(uint32_t));
    for (uint32_t s = 0; s < ac->nstates; s++) {
        uint32_t *rec = ac->table + state_word(ac, s);
        /* DFA: a state dies when failing loses its best match (the failure state starts after
         * it); its DEAD word is its own word, flagged: its header has the best match ... */
        int dies = b->pat && b->pat[s] != UINT32_MAX && ac->st[ac->fail[s]].depth < b->back[s];
        /* ... and where the search restarted after that match gets to on the characters read
         * since, when it reports nothing on the way: a step that kills the state can then
         * report the match and go on from there (a MATCH word) */
        uint32_t restart = dies ? restart_word(ac, s, b->back[s] - b->len[s], &sp) : UINT32_MAX;
        write_header(ac, b, s, rec, dies, restart);
        if (s < ac->ndense)
            write_dense_row(ac, s, rec, dies, restart);
        else
            write_sparse_record(ac, s, rec);
    }
    spelling_release(&sp);
}

/* ---- the driver ---- */

int ac_build(struct ac **out, const struct ac_pattern *pats, size_t n,
             const struct ac_build_opts *opts, struct tifa_err *e)
{
    struct ac *ac = xcalloc(1, sizeof(*ac));
    struct trie t;
    struct best best = {0};

    ac->mode = opts ? opts->mode : AC_LEFTMOST_LONGEST;
    ac->npatterns = (uint32_t)n;
    ac->pat = xmalloc(st_mult(n + 1, sizeof(*ac->pat)));
    trie_init(&t);
    int rc = insert_patterns(ac, &t, pats, n, e);
    if (rc) {
        trie_release(&t);
        ac_free(ac);
        return rc;
    }
    ac->nclasses = t.ca.next;
    ac->algo = choose_algo(ac, opts);
    uint32_t *remap = number_classes(ac, &t);
    struct children ch;
    children_by_class(&ch, &t, remap);
    free(remap);
    trie_release_edges(&t); /* before the state arrays: the build's peak memory stays low */
    renumber_breadth_first(ac, &t, &ch);
    trie_release(&t);
    link_failures(ac);
    if (ac->algo == ALGO_DFA)
        best_matches(ac, &best);
    else
        flag_outputs(ac);
    choose_dense(ac, dense_budget(opts, n));
    write_table(ac, &best);
    best_release(&best);
    *out = ac;
    return 0;
}

void ac_free(struct ac *ac)
{
    if (!ac)
        return;
    free(ac->lut);
    free(ac->lut3);
    free(ac->astral_cp);
    free(ac->astral_val);
    free(ac->table);
    free(ac->edge_start);
    free(ac->edge_cls);
    free(ac->edge_next);
    free(ac->fail);
    free(ac->st);
    free(ac->pat);
    free(ac);
}

const char *ac_scan_name(const struct ac *ac)
{
    switch (ac->algo) {
    case ALGO_OVERLAPPING: return "overlapping";
    case ALGO_CANDIDATES: return "leftmost-longest candidates";
    case ALGO_DFA: break;
    }
    return "leftmost-longest DFA";
}

void ac_shape(const struct ac *ac, size_t *nstates, size_t *ndense, size_t *nclasses)
{
    *nstates = ac->nstates;
    *ndense = ac->ndense;
    *nclasses = ac->nclasses;
}
