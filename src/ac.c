/*
 * ac: Aho-Corasick over normalized code points, with leftmost-longest and overlapping scans.
 *
 * How it works
 *
 * Alphabet. Every distinct normalized code point of the patterns gets a dense class 1..K-1;
 * class 0 stands for every other character. The class table maps RAW code points: each preimage
 * of a pattern character under normalize_cp() (upper case, full-width forms, compatibility
 * ideographs) gets that character's class, so the text is never rewritten. A table entry is
 * (class | flags): AC_F_HAN (counts as a Han character), AC_F_ALNUM (ASCII letter or digit, for
 * the white-space rule), and the "special" flags AC_F_SPACE, AC_F_NL, AC_F_CR, AC_F_DROP that
 * divert the scan loop to the white-space logic. The BMP uses a two-level table: 256 block
 * offsets, each block 256 entries; identical blocks are stored once (most Han blocks hold no
 * pattern character and share one block). Code points past the BMP are looked up in a sorted
 * array of the pattern's astral characters, with a range test for astral Han.
 *
 * Trie and failure links. Patterns are inserted into a trie whose edges live in a hash table
 * during construction; the trie is then renumbered breadth-first (so a state's failure state
 * always has a smaller id) and frozen into CSR arrays (edges sorted by class). Outputs use
 * "dictionary links": each state keeps its own pattern list and a link to the nearest state on
 * its failure chain that has one, so memory stays O(states) even for huge lexicons.
 *
 * Transitions. The first ndense states in BFS order (the root and the shallowest states, the
 * hottest ones) get full DFA rows of K entries computed from the failure function, within a
 * memory budget (8 MiB by default); deeper states use their sparse edges and failure links.
 * With the built-in lexicon every state is dense. Every stored target carries AC_OUT (bit 31)
 * when that state has outputs, so the scan loop tests one bit to leave the fast path.
 *
 * Semantics. The automaton is the standard one (it finds every occurrence). Overlapping mode
 * reports each output as found. Leftmost-longest mode selects like `grep -o`: the match that
 * starts leftmost, the longest one there, then the search continues after its end. Candidates
 * are kept per start index in a ring (for one start only the longest is kept: later-found
 * outputs with the same start are longer). A candidate starting at s is final once no future
 * match can start at or before s: every future match starts at or after the FRONTIER
 * i - depth(state) + 1 (i = index of the character just read), because the current state is
 * the longest suffix of the text that is a trie prefix. When the lowest pending start is below
 * the frontier it is committed, the cursor moves past its end, and candidates starting before
 * the cursor are discarded. Each character costs O(1) amortized plus O(outputs).
 *
 * Cost: build O(total pattern length * log) plus O(ndense * K); scan O(text + matches).
 */
#include "tifa/ac.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/normalize.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

#define AC_OUT 0x80000000u
#define AC_ID(s) ((s) & ~AC_OUT)

#define AC_CLASS_MASK 0x00FFFFFFu
#define AC_F_HAN (1u << 24)
#define AC_F_ALNUM (1u << 25)
#define AC_F_SPACE (1u << 26)
#define AC_F_NL (1u << 27)
#define AC_F_CR (1u << 28)
#define AC_F_DROP (1u << 29)
#define AC_F_SPECIAL (AC_F_SPACE | AC_F_NL | AC_F_CR | AC_F_DROP)

#define NONE UINT64_MAX

struct ac {
    uint32_t nclasses;
    uint32_t space_class;     /* class of ' ' when a pattern holds one, else 0 */
    uint32_t block_off[256];  /* BMP: cmap[block_off[cp >> 8] + (cp & 255)] */
    uint32_t *cmap;
    uint32_t *astral_cp;      /* sorted astral pattern characters and their entries */
    uint32_t *astral_val;
    size_t nastral;
    uint32_t nstates, ndense;
    uint32_t *dense;          /* ndense * nclasses targets (with AC_OUT) */
    uint32_t *edge_start;     /* nstates + 1 */
    uint32_t *edge_cls;
    uint32_t *edge_next;      /* targets with AC_OUT */
    uint32_t *fail;
    uint32_t *depth;
    uint32_t *own_first;      /* first pattern ending exactly here, UINT32_MAX if none */
    uint32_t *dict;           /* nearest state on the failure chain with own patterns, 0 if none */
    uint32_t *pat_next_same;  /* next pattern ending in the same state, UINT32_MAX ends */
    uint32_t *pat_len;        /* in significant characters */
    uint32_t *pat_term;
    uint32_t npatterns;
    uint32_t maxlen;
};

/* ---- class table ---- */

static uint32_t base_entry(uint32_t cp)
{
    uint32_t n = normalize_cp(cp);
    if (n == NORM_DROP)
        return AC_F_DROP;
    switch (normalize_class(n)) {
    case CC_HAN:
    case CC_CNNUM:
        return AC_F_HAN;
    case CC_LATIN:
    case CC_DIGIT:
        return AC_F_ALNUM;
    case CC_SPACE:
        return AC_F_SPACE;
    case CC_NEWLINE:
        return n == '\r' ? AC_F_CR : AC_F_NL;
    default:
        return 0;
    }
}

static inline uint32_t cmap_lookup(const struct ac *ac, uint32_t cp)
{
    if (cp < 0x10000)
        return ac->cmap[ac->block_off[cp >> 8] + (cp & 0xFF)];
    size_t lo = 0, hi = ac->nastral;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ac->astral_cp[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ac->nastral && ac->astral_cp[lo] == cp)
        return ac->astral_val[lo];
    return base_entry(cp);
}

/* ---- construction helpers: a uint64 -> uint32 hash for trie edges ---- */

struct edge_table {
    uint64_t *keys;   /* (parent << 24 | class) + 1; 0 = empty */
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

/* Class of a normalized code point, assigning a new one when unseen. */
struct class_alloc {
    uint32_t *bmp;        /* 65536 entries, 0 = unassigned */
    uint32_t *astral_cp, *astral_cls;
    size_t nastral, astral_alloc, astral_cls_alloc;
    uint32_t next;
};

static uint32_t class_of(struct class_alloc *ca, uint32_t cp)
{
    if (cp < 0x10000) {
        if (!ca->bmp[cp])
            ca->bmp[cp] = ca->next++;
        return ca->bmp[cp];
    }
    for (size_t i = 0; i < ca->nastral; i++)
        if (ca->astral_cp[i] == cp)
            return ca->astral_cls[i];
    ALLOC_GROW(ca->astral_cp, ca->nastral + 1, ca->astral_alloc);
    ALLOC_GROW(ca->astral_cls, ca->nastral + 1, ca->astral_cls_alloc);
    ca->astral_cp[ca->nastral] = cp;
    ca->astral_cls[ca->nastral++] = ca->next;
    return ca->next++;
}

static int cmp_u32pair(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Builds the two-level BMP table and the astral array from the assigned classes. */
static void build_cmap(struct ac *ac, struct class_alloc *ca)
{
    uint32_t *full = xmalloc(st_mult(65536, sizeof(uint32_t)));
    uint32_t pre[16];

    for (uint32_t cp = 0; cp < 0x10000; cp++)
        full[cp] = (cp >= 0xD800 && cp <= 0xDFFF) ? 0 : base_entry(cp);
    for (uint32_t ncp = 0; ncp < 0x10000; ncp++) {
        if (!ca->bmp[ncp])
            continue;
        size_t np = normalize_preimages(ncp, pre, 16);
        for (size_t k = 0; k < np && k < 16; k++) {
            if (pre[k] < 0x10000 && !(full[pre[k]] & AC_F_SPECIAL))
                full[pre[k]] = (full[pre[k]] & ~AC_CLASS_MASK) | ca->bmp[ncp];
        }
    }
    /* Deduplicate blocks: hash each, compare on equal hash. */
    uint64_t hashes[256];
    size_t nuniq = 0;
    uint32_t uniq_src[256];
    for (int b = 0; b < 256; b++) {
        const uint32_t *blk = full + b * 256;
        uint64_t h = 1469598103934665603ULL;
        for (int i = 0; i < 256; i++)
            h = (h ^ blk[i]) * 1099511628211ULL;
        hashes[b] = h;
        size_t u;
        for (u = 0; u < nuniq; u++)
            if (hashes[uniq_src[u]] == h && !memcmp(full + uniq_src[u] * 256, blk, 1024))
                break;
        if (u == nuniq)
            uniq_src[nuniq++] = (uint32_t)b;
        ac->block_off[b] = (uint32_t)(u * 256);
    }
    ac->cmap = xmalloc(st_mult(nuniq * 256, sizeof(uint32_t)));
    for (size_t u = 0; u < nuniq; u++)
        memcpy(ac->cmap + u * 256, full + uniq_src[u] * 256, 1024);
    free(full);

    /* Astral pattern characters (compatibility supplement preimages included). */
    size_t cap = 0, n = 0;
    uint32_t (*pairs)[2] = NULL;
    for (size_t i = 0; i < ca->nastral; i++) {
        size_t np = normalize_preimages(ca->astral_cp[i], pre, 16);
        for (size_t k = 0; k < np && k < 16; k++) {
            ALLOC_GROW(pairs, n + 1, cap);
            pairs[n][0] = pre[k];
            pairs[n][1] = (base_entry(pre[k]) & ~AC_CLASS_MASK) | ca->astral_cls[i];
            n++;
        }
    }
    /* BMP compatibility ideographs may normalize to astral characters and vice versa; the
     * loops above cover preimages in the plane where they live. */
    for (uint32_t ncp = 0; ncp < 0x10000; ncp++) {
        if (!ca->bmp[ncp])
            continue;
        size_t np = normalize_preimages(ncp, pre, 16);
        for (size_t k = 0; k < np && k < 16; k++) {
            if (pre[k] >= 0x10000) {
                ALLOC_GROW(pairs, n + 1, cap);
                pairs[n][0] = pre[k];
                pairs[n][1] = (base_entry(pre[k]) & ~AC_CLASS_MASK) | ca->bmp[ncp];
                n++;
            }
        }
    }
    if (n)
        qsort(pairs, n, sizeof(*pairs), cmp_u32pair);
    ac->astral_cp = xmalloc(st_mult(n + 1, sizeof(uint32_t)));
    ac->astral_val = xmalloc(st_mult(n + 1, sizeof(uint32_t)));
    for (size_t i = 0; i < n; i++) {
        ac->astral_cp[i] = pairs[i][0];
        ac->astral_val[i] = pairs[i][1];
    }
    ac->nastral = n;
    free(pairs);
}

static uint32_t sparse_goto(const struct ac *ac, uint32_t s, uint32_t cls)
{
    uint32_t lo = ac->edge_start[s], hi = ac->edge_start[s + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ac->edge_cls[mid] < cls)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ac->edge_start[s + 1] && ac->edge_cls[lo] == cls)
        return ac->edge_next[lo];
    return UINT32_MAX;
}

/* Full transition function: goto, else follow failure links (dense rows short-cut). */
static inline uint32_t ac_next(const struct ac *ac, uint32_t s, uint32_t cls)
{
    for (;;) {
        if (s < ac->ndense)
            return ac->dense[(size_t)s * ac->nclasses + cls];
        uint32_t t = sparse_goto(ac, s, cls);
        if (t != UINT32_MAX)
            return t;
        s = ac->fail[s];
    }
}

int ac_build(struct ac **out, const struct ac_pattern *pats, size_t n,
             const struct ac_build_opts *opts, struct tifa_err *e)
{
    struct ac *ac = xcalloc(1, sizeof(*ac));
    struct class_alloc ca = {0};
    struct edge_table et = {0};
    size_t budget = opts && opts->dense_budget ? opts->dense_budget : (size_t)8 << 20;
    uint32_t *cps = NULL, *node_depth = NULL, *node_own = NULL;
    size_t cps_alloc = 0, nodes = 1, nodes_alloc = 0, dep_alloc = 0;
    int rc = 0;

    ca.bmp = xcalloc(65536, sizeof(uint32_t));
    ca.next = 1;
    ac->npatterns = (uint32_t)n;
    ac->pat_len = xmalloc(st_mult(n + 1, sizeof(uint32_t)));
    ac->pat_term = xmalloc(st_mult(n + 1, sizeof(uint32_t)));
    ac->pat_next_same = xmalloc(st_mult(n + 1, sizeof(uint32_t)));
    ALLOC_GROW(node_depth, 1, dep_alloc);
    ALLOC_GROW(node_own, 1, nodes_alloc);
    node_depth[0] = 0;
    node_own[0] = UINT32_MAX;
    edge_grow(&et);

    /* 1. the trie, over classes */
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
        for (long i = 0; i < ncp; i++) {
            uint32_t cls = class_of(&ca, cps[i]);
            if (cps[i] == ' ')
                ac->space_class = cls;
            if ((et.n + 1) * 2 > et.cap)
                edge_grow(&et);
            uint64_t key = (((uint64_t)s << 24) | cls) + 1;
            int found;
            size_t slot = edge_find(&et, key, &found);
            if (found) {
                s = et.vals[slot];
                continue;
            }
            if (nodes >= UINT32_MAX / 2 || ca.next > AC_CLASS_MASK) {
                rc = tifa_err_set(e, TIFA_ELIMIT, NULL, 0, -1, "lexicon too large for the automaton");
                break;
            }
            et.keys[slot] = key;
            et.vals[slot] = (uint32_t)nodes;
            et.n++;
            ALLOC_GROW(node_depth, nodes + 1, dep_alloc);
            ALLOC_GROW(node_own, nodes + 1, nodes_alloc);
            node_depth[nodes] = (uint32_t)i + 1;
            node_own[nodes] = UINT32_MAX;
            s = (uint32_t)nodes++;
        }
        if (rc)
            break;
        ac->pat_len[p] = (uint32_t)ncp;
        ac->pat_term[p] = pats[p].term_id;
        if (ac->maxlen < (uint32_t)ncp)
            ac->maxlen = (uint32_t)ncp;
        /* append p to the node's own list, keeping input order */
        ac->pat_next_same[p] = UINT32_MAX;
        if (node_own[s] == UINT32_MAX) {
            node_own[s] = (uint32_t)p;
        } else {
            uint32_t q = node_own[s];
            while (ac->pat_next_same[q] != UINT32_MAX)
                q = ac->pat_next_same[q];
            ac->pat_next_same[q] = (uint32_t)p;
        }
    }
    free(cps);
    if (rc) {
        free(node_depth);
        free(node_own);
        free(et.keys);
        free(et.vals);
        free(ca.bmp);
        free(ca.astral_cp);
        free(ca.astral_cls);
        ac_free(ac);
        return rc;
    }
    ac->nclasses = ca.next;
    build_cmap(ac, &ca);

    /* 2. CSR of children in old numbering, sorted by class */
    uint32_t *cstart = xcalloc(nodes + 1, sizeof(uint32_t));
    uint32_t *ccls = xmalloc(st_mult(et.n + 1, sizeof(uint32_t)));
    uint32_t *cchild = xmalloc(st_mult(et.n + 1, sizeof(uint32_t)));
    for (size_t i = 0; i < et.cap; i++)
        if (et.keys[i])
            cstart[((et.keys[i] - 1) >> 24) + 1]++;
    for (size_t i = 0; i < nodes; i++)
        cstart[i + 1] += cstart[i];
    {
        uint32_t *fill = xmalloc(st_mult(nodes + 1, sizeof(uint32_t)));
        memcpy(fill, cstart, (nodes + 1) * sizeof(uint32_t));
        for (size_t i = 0; i < et.cap; i++) {
            if (!et.keys[i])
                continue;
            uint64_t k = et.keys[i] - 1;
            uint32_t parent = (uint32_t)(k >> 24);
            uint32_t pos = fill[parent]++;
            ccls[pos] = (uint32_t)(k & AC_CLASS_MASK);
            cchild[pos] = et.vals[i];
        }
        free(fill);
        /* insertion sort each child list by class (lists are short) */
        for (size_t v = 0; v < nodes; v++) {
            for (uint32_t a = cstart[v] + 1; a < cstart[v + 1]; a++) {
                uint32_t c = ccls[a], ch = cchild[a], b = a;
                while (b > cstart[v] && ccls[b - 1] > c) {
                    ccls[b] = ccls[b - 1];
                    cchild[b] = cchild[b - 1];
                    b--;
                }
                ccls[b] = c;
                cchild[b] = ch;
            }
        }
    }
    free(et.keys);
    free(et.vals);

    /* 3. breadth-first renumbering */
    uint32_t *order = xmalloc(st_mult(nodes, sizeof(uint32_t)));  /* new -> old */
    uint32_t *newid = xmalloc(st_mult(nodes, sizeof(uint32_t)));  /* old -> new */
    size_t head = 0, tail = 0;
    order[tail++] = 0;
    newid[0] = 0;
    while (head < tail) {
        uint32_t v = order[head++];
        for (uint32_t a = cstart[v]; a < cstart[v + 1]; a++) {
            newid[cchild[a]] = (uint32_t)tail;
            order[tail++] = cchild[a];
        }
    }
    ac->nstates = (uint32_t)nodes;
    ac->edge_start = xmalloc(st_mult(nodes + 1, sizeof(uint32_t)));
    ac->edge_cls = xmalloc(st_mult(cstart[nodes] + 1, sizeof(uint32_t)));
    ac->edge_next = xmalloc(st_mult(cstart[nodes] + 1, sizeof(uint32_t)));
    ac->depth = xmalloc(st_mult(nodes, sizeof(uint32_t)));
    ac->own_first = xmalloc(st_mult(nodes, sizeof(uint32_t)));
    ac->fail = xcalloc(nodes, sizeof(uint32_t));
    ac->dict = xcalloc(nodes, sizeof(uint32_t));
    {
        uint32_t pos = 0;
        for (size_t ns = 0; ns < nodes; ns++) {
            uint32_t v = order[ns];
            ac->edge_start[ns] = pos;
            for (uint32_t a = cstart[v]; a < cstart[v + 1]; a++) {
                ac->edge_cls[pos] = ccls[a];
                ac->edge_next[pos++] = newid[cchild[a]];
            }
            ac->depth[ns] = node_depth[v];
            ac->own_first[ns] = node_own[v];
        }
        ac->edge_start[nodes] = pos;
    }
    free(cstart);
    free(ccls);
    free(cchild);
    free(order);
    free(newid);
    free(node_depth);
    free(node_own);
    free(ca.bmp);
    free(ca.astral_cp);
    free(ca.astral_cls);

    /* 4. failure and dictionary links, in BFS order (parents before children) */
    ac->ndense = 0; /* sparse_goto only while computing links */
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
            ac->dict[child] = ac->own_first[f] != UINT32_MAX ? f : ac->dict[f];
        }
    }
    /* 5. output flags on every stored target */
    for (uint32_t a = 0; a < ac->edge_start[ac->nstates]; a++) {
        uint32_t t = ac->edge_next[a];
        if (ac->own_first[t] != UINT32_MAX || ac->dict[t])
            ac->edge_next[a] = t | AC_OUT;
    }
    /* 6. dense rows for the shallowest states */
    size_t rowbytes = st_mult(ac->nclasses, sizeof(uint32_t));
    size_t ndense = budget / rowbytes;
    if (ndense < 1)
        ndense = 1;
    if (ndense > ac->nstates)
        ndense = ac->nstates;
    ac->dense = xmalloc(st_mult(ndense, rowbytes));
    for (uint32_t s = 0; s < ndense; s++) {
        uint32_t *row = ac->dense + (size_t)s * ac->nclasses;
        if (s == 0) {
            for (uint32_t c = 0; c < ac->nclasses; c++)
                row[c] = 0;
        } else {
            /* fail[s] < s, so its row (or its sparse chain) is complete */
            uint32_t f = ac->fail[s];
            for (uint32_t c = 0; c < ac->nclasses; c++)
                row[c] = f < s ? (f < ac->ndense ? ac->dense[(size_t)f * ac->nclasses + c] : ac_next(ac, f, c)) : 0;
        }
        for (uint32_t a = ac->edge_start[s]; a < ac->edge_start[s + 1]; a++)
            row[ac->edge_cls[a]] = ac->edge_next[a];
        ac->ndense = s + 1;
    }
    *out = ac;
    return 0;
}

void ac_free(struct ac *ac)
{
    if (!ac)
        return;
    free(ac->cmap);
    free(ac->astral_cp);
    free(ac->astral_val);
    free(ac->dense);
    free(ac->edge_start);
    free(ac->edge_cls);
    free(ac->edge_next);
    free(ac->fail);
    free(ac->depth);
    free(ac->own_first);
    free(ac->dict);
    free(ac->pat_next_same);
    free(ac->pat_len);
    free(ac->pat_term);
    free(ac);
}

void ac_shape(const struct ac *ac, size_t *nstates, size_t *ndense, size_t *nclasses)
{
    *nstates = ac->nstates;
    *ndense = ac->ndense;
    *nclasses = ac->nclasses;
}

/* ---- scanning ---- */

void ac_scanner_init(struct ac_scanner *sc, const struct ac *ac, enum ac_mode mode,
                     ac_match_fn *fn, void *arg)
{
    uint32_t r = 16;
    memset(sc, 0, sizeof(*sc));
    sc->ac = ac;
    sc->mode = mode;
    sc->fn = fn;
    sc->arg = arg;
    while (r < 2 * ac->maxlen + 4)
        r *= 2;
    sc->mask = r - 1;
    sc->ring_off = xmalloc(st_mult(r, sizeof(uint64_t)));
    sc->cand_start = xmalloc(st_mult(r, sizeof(uint64_t)));
    sc->cand_endsig = xmalloc(st_mult(r, sizeof(uint64_t)));
    sc->cand_endoff = xmalloc(st_mult(r, sizeof(uint64_t)));
    sc->cand_pat = xmalloc(st_mult(r, sizeof(uint32_t)));
    ac_scanner_reset(sc);
}

void ac_scanner_reset(struct ac_scanner *sc)
{
    sc->state = 0;
    sc->sig = 0;
    sc->base = 0;
    sc->cursor = 0;
    sc->pmin = NONE;
    sc->in_ws = sc->prev_alnum = sc->prev_cr = 0;
    sc->nl_run = 0;
    memset(&sc->stats, 0, sizeof(sc->stats));
    for (uint32_t i = 0; i <= sc->mask; i++)
        sc->cand_start[i] = NONE;
}

void ac_scanner_release(struct ac_scanner *sc)
{
    free(sc->ring_off);
    free(sc->cand_start);
    free(sc->cand_endsig);
    free(sc->cand_endoff);
    free(sc->cand_pat);
    memset(sc, 0, sizeof(*sc));
}

static void emit(struct ac_scanner *sc, uint32_t pat, uint64_t start_sig, uint64_t end_off)
{
    struct ac_match m;
    m.pattern_id = pat;
    m.term_id = sc->ac->pat_term[pat];
    m.start_off = sc->ring_off[start_sig & sc->mask];
    m.end_off = end_off;
    sc->fn(&m, sc->arg);
}

/* Leftmost-longest: commits every pending candidate that starts before @frontier. */
static void commit_ready(struct ac_scanner *sc, uint64_t frontier)
{
    while (sc->pmin < frontier) {
        uint32_t slot = (uint32_t)(sc->pmin & sc->mask);
        emit(sc, sc->cand_pat[slot], sc->pmin, sc->cand_endoff[slot]);
        sc->cursor = sc->cand_endsig[slot] + 1;
        sc->cand_start[slot] = NONE;
        sc->pmin = NONE;
        for (uint64_t x = sc->cursor; x < sc->sig; x++) {
            if (sc->cand_start[x & sc->mask] == x) {
                sc->pmin = x;
                break;
            }
        }
    }
}

/* The slow path after a step: outputs of the new state, and pending candidates. */
static void after_step(struct ac_scanner *sc, uint64_t end_off)
{
    const struct ac *ac = sc->ac;
    uint32_t s = AC_ID(sc->state);
    uint64_t i = sc->sig - 1;

    if (sc->state & AC_OUT) {
        uint32_t t = ac->own_first[s] != UINT32_MAX ? s : ac->dict[s];
        while (t) {
            for (uint32_t p = ac->own_first[t]; p != UINT32_MAX; p = ac->pat_next_same[p]) {
                uint64_t start = i + 1 - ac->pat_len[p];
                if (sc->mode == AC_OVERLAPPING) {
                    emit(sc, p, start, end_off);
                    continue;
                }
                if (start < sc->cursor)
                    continue;
                uint32_t slot = (uint32_t)(start & sc->mask);
                /* Same start: the later output is longer, unless it is an equal pattern given
                 * later (same length): keep the first given. */
                if (sc->cand_start[slot] == start && sc->cand_endsig[slot] == i)
                    continue;
                sc->cand_start[slot] = start;
                sc->cand_endsig[slot] = i;
                sc->cand_endoff[slot] = end_off;
                sc->cand_pat[slot] = p;
                if (start < sc->pmin)
                    sc->pmin = start;
            }
            t = ac->dict[t];
        }
    }
    if (sc->mode == AC_LEFTMOST_LONGEST && sc->pmin != NONE)
        commit_ready(sc, i + 1 - ac->depth[s]);
}

/* A paragraph break or the end of the document: nothing continues across it. */
static void break_match(struct ac_scanner *sc)
{
    if (sc->mode == AC_LEFTMOST_LONGEST)
        commit_ready(sc, NONE);
    sc->state = 0;
}

void ac_scan(struct ac_scanner *sc, const char *utf8, size_t len)
{
    const struct ac *ac = sc->ac;
    const unsigned char *p = (const unsigned char *)utf8;
    size_t i = 0;
    uint32_t state = sc->state;
    uint64_t chars = 0, han = 0;

    while (i < len) {
        uint32_t c = p[i], cp;
        size_t start = i;
        if (c < 0x80) {
            cp = c;
            i += 1;
        } else if (c < 0xE0) {
            cp = ((c & 0x1F) << 6) | (p[i + 1] & 0x3F);
            i += 2;
        } else if (c < 0xF0) {
            cp = ((c & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
            i += 3;
        } else {
            cp = ((c & 0x07) << 18) | ((uint32_t)(p[i + 1] & 0x3F) << 12) |
                 ((uint32_t)(p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F);
            i += 4;
        }
        chars++;
        uint32_t en = cp < 0x10000 ? ac->cmap[ac->block_off[cp >> 8] + (cp & 0xFF)]
                                   : cmap_lookup(ac, cp);
        han += (en >> 24) & 1;
        if (en & AC_F_SPECIAL) {
            if (en & AC_F_DROP)
                continue;
            sc->in_ws = 1;
            if (en & AC_F_CR) {
                sc->nl_run++;
                sc->prev_cr = 1;
            } else {
                if (en & AC_F_NL && !sc->prev_cr)
                    sc->nl_run++;
                sc->prev_cr = 0;
            }
            if (sc->nl_run >= 2 && state != 0) {
                sc->state = state;
                break_match(sc);
                state = sc->state;
            }
            continue;
        }
        if (sc->in_ws) {
            if (sc->prev_alnum && (en & AC_F_ALNUM)) {
                /* white space between two letters or digits is one space */
                uint32_t sid = AC_ID(state);
                state = sid < ac->ndense ? ac->dense[(size_t)sid * ac->nclasses + ac->space_class]
                                         : ac_next(ac, sid, ac->space_class);
                sc->ring_off[sc->sig & sc->mask] = sc->base + start;
                sc->sig++;
                if ((state & AC_OUT) || sc->pmin != NONE) {
                    sc->state = state;
                    after_step(sc, sc->base + start);
                    state = sc->state;
                }
            }
            sc->in_ws = 0;
            sc->nl_run = 0;
            sc->prev_cr = 0;
        }
        sc->prev_alnum = (en & AC_F_ALNUM) != 0;
        uint32_t sid = AC_ID(state), cls = en & AC_CLASS_MASK;
        state = sid < ac->ndense ? ac->dense[(size_t)sid * ac->nclasses + cls] : ac_next(ac, sid, cls);
        sc->ring_off[sc->sig & sc->mask] = sc->base + start;
        sc->sig++;
        if ((state & AC_OUT) || sc->pmin != NONE) {
            sc->state = state;
            after_step(sc, sc->base + i);
            state = sc->state;
        }
    }
    sc->state = state;
    sc->base += len;
    sc->stats.bytes += len;
    sc->stats.chars += chars;
    sc->stats.han += han;
}

void ac_scan_finish(struct ac_scanner *sc)
{
    break_match(sc);
}
