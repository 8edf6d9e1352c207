/*
 * ac_internal.h: the automaton's layout, private to the three files of the matcher: ac_class.c
 * (character classes), ac_build.c (trie, failure links, the frozen state table) and ac_scan.c
 * (the scanner). The module's interface is include/tifa/ac.h; only src/ac_*.c include this file.
 *
 * How it works
 *
 * Rooms. ac_build() (ac_build.c) drives the construction: ac_class.c numbers the patterns'
 * characters and writes the class table (lut, lut3, astral_*); ac_build.c builds the trie, its
 * failure links and best matches and freezes them into one array of words, ac->table; ac_scan.c
 * reads both a character at a time and reports matches. struct ac is written only while it is
 * built and read-only afterwards (shared between threads). What the scan loop does per character
 * lives as static inline in the private headers beside this one (ac_class.h: ac_class_entry;
 * ac_scan.h: ac_step) or in ac_scan.c, never behind a call into another file: the loop's
 * helpers must be inlined for its variables to stay in registers. This header holds the layout
 * alone, so that no header depends on the files that include it.
 *
 * Transitions and state words. All states live in one array of words, ac->table, and what the
 * scanner holds and the tables store is a STATE WORD: the offset of the state's record there
 * (premultiplied, so no multiplication or id lookup is on the loop's dependency chain). Every
 * record starts with a header of AC_HDR words, which depend on the semantics the automaton is
 * built for (ac_build_opts.mode): overlapping, depth, first own pattern, dictionary link (a
 * word); leftmost-longest, the state's best match (below); in both, the failure word. The
 * first ndense states in BFS order (the root and the shallowest states, the hottest ones) are
 * DENSE: header + a full DFA row of K entries (a row is its failure state's row with its own
 * edges written over it), within a memory budget (2 MiB plus 1 KiB per pattern, at most 16
 * MiB). Because class-table entries hold class + AC_HDR, a dense step is table[word + entry].
 * Deeper states are SPARSE: a record of AC_SREC = 16 words (one cache line) after the dense
 * rows: header, number of edges, up to AC_SINLINE = 5 edges inline (classes, then targets;
 * searched linearly), a link to the rest in the sorted CSR arrays; a miss follows the failure
 * word until a state has the edge or is dense. A stored word with AC_OUT (bit 31) set sends
 * the scan loop to its slow path, after_step(): overlapping, every word of a state with
 * outputs has it; leftmost-longest, only DEAD words (below). Bit 30 (AC_MATCH) marks the
 * leftmost-longest DFA's MATCH words (below). Words stay below 2^30 (at most 2^25 states and
 * 2^29 words of dense rows). State ids exist only during construction.
 *
 * Semantics. Overlapping: the standard automaton (it finds every occurrence), reporting each
 * output of each state entered, along the dictionary chain. Leftmost-longest selects like
 * `grep -o`: the match that starts leftmost, the longest one there, then the search goes on
 * after its end. That automaton is a DFA with a DEAD state, after the leftmost-longest
 * construction of the aho-corasick crate (DESIGN.md): every state q keeps BEST(q), the
 * leftmost-longest match among the outputs of the prefixes of its path (computed parent first:
 * the parent's best one character further back, unless q's longest output starts at or before
 * it; stored as H_BBACK, the distance back from q's last character to its start, H_BLEN and
 * H_BPAT). While q has a best match, no match starting before q's start can appear any more (q
 * is the longest suffix that is a trie prefix), so the best one is final as soon as a step
 * would leave its start behind: a failure transition from q to a state that starts after it
 * (depth(fail) < back) is replaced by a DEAD word, q's own word flagged with AC_OUT (dense
 * rows of such states are filled with it; a sparse record's failure word is it). Where the
 * failure keeps the start, the failure state has the same best match at the same text
 * position, so rows are still copied from failure rows, and a DEAD word copied from one names
 * a state whose header gives the same match. A step into a DEAD word reports that match and
 * restarts the search at the root just after it: the characters after the match (at most
 * maxlen + 1 of them) are stepped again from their classes, kept in a ring by significant
 * index (rescan()); a paragraph break or the end of the document reports the best match of
 * the current state and restarts the same way until the state has none. So a character costs
 * one step, a match one header load and O(maxlen) steps again (in practice one or two), and
 * nothing is kept pending: of equal patterns only the first given is reported.
 * MATCH words spare most matches the restart. What a restart after q's best match does on the
 * characters of q's path after the match is fixed when the table is built: restart_word()
 * steps them from the root. When that reports nothing and ends in state r, a step from q on
 * class c that dies can instead report BEST(q) and go on in r's successor on c, if that step
 * does not die or report either: the DEAD entries of q's dense row become that successor's
 * word flagged with AC_MATCH, and a dying sparse record's failure word is r's word flagged
 * AC_OUT | AC_MATCH (ac_step_sparse then steps r and flags the result). The scan loops report
 * the best match of the state before the step (emit_best) and go on; only the rest, where the
 * restart would find a match of its own, stays DEAD. Rows copied from a failure state's row
 * keep its MATCH words: that state has the same best match at the same position, and the
 * characters since are the same.
 * The restarts make the DFA O(text * maxlen) at worst (patterns "a" and "a...ab" on a run of
 * a's: every match steps maxlen characters again), so a lexicon with a pattern longer than
 * AC_DFA_MAXLEN = 64 characters (the built-in one's longest has 34) gets the standard tables
 * and the CANDIDATE scan instead (ac_scan.c), linear whatever the lexicon, but with a slow-path
 * call at every character while a candidate is pending. On a run of 2 million a's: patterns of
 * 61 characters (the DFA) 0.50 s, of 3,001 (candidates) 0.06 s.
 *
 * Decisions that stand (the measurements, and what was tried and not kept, are in
 * bench/NOTES.md): characters are classed from their UTF-8 bytes, never assembled into code
 * points; only the shallow states get dense rows, since those are the hot ones (making every
 * state dense was slower: the rows miss every cache level); one scan loop with its helpers
 * inlined and its rare paths (white space, sparse steps, matches) out of line; without offsets,
 * long pieces are scanned as two lanes so that two chains of dependent loads overlap; the big
 * tables are faulted in by one madvise each (xcalloc_prefaulted), not put in huge pages.
 */
#ifndef TIFA_AC_INTERNAL_H
#define TIFA_AC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/ac.h"

#define AC_OUT 0x80000000u
/* Leftmost-longest DFA: the step passes a match: report the best match of the state stepped
 * from, then go on in the state this word names (see "MATCH words" in Semantics). */
#define AC_MATCH 0x40000000u
#define AC_ID(s) ((s) & ~(AC_OUT | AC_MATCH))

/* A class-table entry: class + AC_HDR in the low 24 bits, flags above (see ac_class.c). */
#define AC_CLASS_MASK 0x00FFFFFFu
#define AC_F_HAN (1u << 31) /* the top bit: the scan loop adds entry >> 31 */
#define AC_F_ALNUM (1u << 25)
#define AC_F_SPACE (1u << 26)
#define AC_F_NL (1u << 27)
#define AC_F_CR (1u << 28)
#define AC_F_DROP (1u << 29)
#define AC_F_SPECIAL (AC_F_SPACE | AC_F_NL | AC_F_CR | AC_F_DROP)

/* The state table (see "Transitions and state words"): every state's record starts with a
 * header of AC_HDR words, then a dense row's transitions (one per class) or a sparse record's
 * edges. Class-table entries hold class + AC_HDR, so a dense step is table[word + entry]. */
#define AC_HDR 4
/* overlapping automaton */
#define H_DEPTH 0  /* depth in the trie */
#define H_OWN 1    /* first pattern ending exactly here, UINT32_MAX if none */
#define H_DICT 2   /* word of the nearest state on the failure chain with own patterns, 0 if none */
/* leftmost-longest automaton: the best match seen on the state's path (see "Semantics") */
#define H_BBACK 0  /* its start is this many characters back from the state's last one */
#define H_BPAT 1   /* its pattern (the first given of equal ones), UINT32_MAX if none */
#define H_BLEN 2   /* its length */
/* both */
#define H_FAIL 3   /* word of the failure state; leftmost: a DEAD word if failing loses the best */
#define S_N 4      /* sparse record: number of edges */
#define S_OVF 5    /* sparse record: first edge in edge_cls/edge_next when n > AC_SINLINE */
#define S_CLS 6    /* sparse record: AC_SINLINE edge classes (+ AC_HDR) ... */
#define AC_SINLINE 5
#define S_NEXT (S_CLS + AC_SINLINE) /* ... and their targets (state words, with AC_OUT) */
#define AC_SREC 16 /* words per sparse record: one cache line */

/* The scan loop's helpers must be inlined (GCC otherwise calls ac_class_entry) and its rare
 * paths kept out of line, so the hot loop keeps its variables in registers. */
#if defined(__GNUC__)
#define AC_INLINE inline __attribute__((always_inline))
#define AC_NOINLINE __attribute__((noinline))
#define AC_LIKELY(x) __builtin_expect(!!(x), 1)
#define AC_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define AC_INLINE inline
#define AC_NOINLINE
#define AC_LIKELY(x) (x)
#define AC_UNLIKELY(x) (x)
#endif

/* The three scans: overlapping and leftmost-longest by candidates over the standard tables,
 * leftmost-longest as a DFA over tables with DEAD words. */
enum ac_algo { ALGO_OVERLAPPING, ALGO_CANDIDATES, ALGO_DFA };

struct ac_state {
    uint32_t depth;
    uint32_t own_first;  /* first pattern ending exactly here, UINT32_MAX if none */
    uint32_t dict;       /* nearest state on the failure chain with own patterns, 0 if none */
};

struct ac_pat {
    uint32_t next_same;  /* next pattern ending in the same state, UINT32_MAX ends */
    uint32_t len;        /* in significant characters */
    uint32_t term;
};

struct ac {
    enum ac_mode mode;        /* the semantics the tables were built for */
    enum ac_algo algo;        /* and how they are scanned (see Semantics) */
    uint32_t nclasses;
    uint32_t space_class;     /* class of ' ' when a pattern holds one, else 0 */
    uint32_t *lut;            /* BMP: lut[lut[cp >> 6] + (cp & 63)]: 1024 block offsets, blocks */
    uint32_t *lut3;           /* 3-byte sequences, straight from the bytes (ac_lut3_index) */
    uint32_t *astral_cp;      /* sorted astral pattern characters and their entries */
    uint32_t *astral_val;
    size_t nastral;
    uint32_t nstates, ndense;
    uint32_t row_len;         /* AC_HDR + nclasses: words per dense row */
    uint32_t dense_lim;       /* ndense * row_len: state words below it are dense rows */
    uint32_t *table;          /* dense rows, then sparse records of AC_SREC words */
    uint32_t *edge_start;     /* nstates + 1 (by state id; construction) */
    uint32_t *edge_cls;
    uint32_t *edge_next;      /* targets (state words, with AC_OUT, once frozen) */
    uint32_t *fail;           /* by state id (construction) */
    struct ac_state *st;      /* by state id (construction) */
    struct ac_pat *pat;       /* per pattern */
    uint32_t npatterns;
    uint32_t maxlen;
};

/* ---- character classes (ac_class.c) ---- */

/* lut3: 16 lead nibbles x 64 rows (first continuation byte) x 256 (second continuation byte,
 * only 64 used): the index is (lead - 0xE0) << 14 | ((b1 << 8 | b2) & 0x3F3F), three
 * instructions from the bytes. 1 MiB, of which a text touches the lines of its characters. */
#define AC_LUT3_SIZE ((size_t)16 << 14)

static inline uint32_t ac_lut3_index(uint32_t lead_low, uint32_t b1_low, uint32_t b2_low)
{
    return lead_low << 14 | b1_low << 8 | b2_low;
}

/* ---- transitions (ac_scan.c; ac_build.c steps the finished part of the table too) ---- */

/* The target of the edge on class @cls (without AC_HDR) among edges [@lo, @hi) of the CSR
 * arrays (sorted by class), UINT32_MAX if none (no target, id or state word, is that). */
static inline uint32_t ac_edge_find(const struct ac *ac, uint32_t lo, uint32_t hi, uint32_t cls)
{
    uint32_t end = hi;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ac->edge_cls[mid] < cls)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < end && ac->edge_cls[lo] == cls ? ac->edge_next[lo] : UINT32_MAX;
}

#endif
