/*
 * ac: Aho-Corasick over normalized code points, with leftmost-longest and overlapping scans.
 *
 * How it works
 *
 * Alphabet. Every distinct normalized code point of the patterns gets a dense class 1..K-1;
 * class 0 stands for every other character. The class table maps RAW code points: each preimage
 * of a pattern character under normalize_cp() (upper case, full-width forms, compatibility
 * ideographs) gets that character's class, so the text is never rewritten. A table entry is
 * (class + AC_HDR | flags): AC_F_HAN (bit 31: counts as a Han character, summed as entry >> 31),
 * AC_F_ALNUM (ASCII letter or digit, for the white-space rule), and the "special" flags
 * AC_F_SPACE, AC_F_NL, AC_F_CR, AC_F_DROP that divert the scan loop to ws_run(). The BMP uses a
 * two-level table in one array (lut): 1024 block offsets (cp >> 6), then blocks of 64 entries
 * (cp & 63); identical blocks are stored once (most Han blocks hold no pattern character and
 * share one block). For 2- and 3-byte UTF-8 sequences
 * both indices come straight from the bytes (lead and first continuation byte; last byte), so
 * the scanner never assembles the code point. Code points past the BMP are looked up in a
 * sorted array of the patterns' astral characters, with a range test for astral Han. Classes
 * are numbered by how many trie edges carry them, most first, so the entries a scan touches
 * crowd into the first cache lines of each dense row.
 *
 * Trie and failure links. Patterns are inserted into a trie whose edges live in a hash table
 * during construction; the trie is then renumbered breadth-first (so a state's failure state
 * always has a smaller id) and frozen into CSR arrays (edges sorted by class). Outputs use
 * "dictionary links": each state keeps its own pattern list and a link to the nearest state on
 * its failure chain that has one, so memory stays O(states) even for huge lexicons.
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
 * AC_OUT | AC_MATCH (step_sparse then steps r and flags the result). The scan loops report the
 * best match of the state before the step (emit_best) and go on; only the rest, where the
 * restart would find a match of its own, stays DEAD. Rows copied from a failure state's row
 * keep its MATCH words: that state has the same best match at the same position, and the
 * characters since are the same.
 * The restarts make the DFA O(text * maxlen) at worst (patterns "a" and "a...ab" on a run of
 * a's: every match steps maxlen characters again), so a lexicon with a pattern longer than
 * AC_DFA_MAXLEN = 64 characters (the built-in one's longest has 34) gets the standard tables
 * and the CANDIDATE scan instead, linear whatever the lexicon: candidates are kept per start
 * index in a ring (for one start only the longest: later-found outputs with the same start are
 * longer). A candidate starting at s is final once no future match can start at or before s:
 * every future match starts at or after the FRONTIER i - depth(state) + 1, because the
 * current state is the longest suffix of the text that is a trie prefix. When the lowest
 * pending start is below the frontier it is committed, the cursor moves past its end, and
 * candidates starting before it are discarded (record_candidates, commit_ready). It costs a
 * slow-path call at every character while a candidate is pending (4.3x the built-in time on
 * make bench's 10k lexicon, against 2.9x for the DFA), hence only for long patterns. On the
 * run of 2 million a's: patterns of 61 characters (the DFA) 0.50 s, of 3,001 (candidates)
 * 0.06 s.
 *
 * Scan loop (scan_range_body). The hot loop keeps the scanner's fields in locals (ring stores
 * could alias them otherwise), inlines the 3-byte class lookup and the dense step, and keeps the
 * white-space logic (ws_run: a whole run of white space, line breaks and dropped characters,
 * plus the space stepped between two letters or digits), sparse steps and match handling out
 * of line. Per character: one class-table lookup, one dense load, the ring stores (its class,
 * for restarts; its start and end byte offsets only when the caller wants offsets), one test of
 * AC_OUT. Without offsets, long pieces run as two lanes (below).
 * It keeps no white-space state: the flag "the last significant character is a letter or
 * digit" is recomputed by looking one character back when a run starts, and the character
 * count is the number of significant indices taken (ws_run counts the characters it consumes).
 *
 * Cost: build O(total pattern length * log) plus O(ndense * K); scan O(text + matches).
 *
 * Performance notes (make bench; 2-core shared VM, 2 MiB L2 per core, 48 KiB L1d; 256 MB of text shuffled
 * from corpus/, built-in lexicon: 539 patterns, 3,022 states, 658 classes; a match every ~280
 * bytes). Time of `count -j1` on one 256 MB file, scanning only (TIFA_DEBUG_TIMING):
 *   before this work (8 MiB of 32-bit rows, id * K per step, cp-assembling decode)  491 MB/s
 *   start-state fast path (a separate inner loop while in the root with nothing pending)
 *     SLOWER: 0.22 s vs 0.14 s on 64 MB. The automaton leaves the root every ~5 characters in
 *     Chinese political text (the patterns' 658 characters are the text's commonest), so the
 *     two loops kept switching and GCC spilled the loop's registers. Removed.
 *   one loop, locals instead of sc->, always_inline lookup, premultiplied words      544 MB/s
 *   + classes numbered by use, 64-entry blocks indexed from the UTF-8 bytes          ~550 MB/s
 *   dense budget 8 / 2 / 1 / 0.5 MiB: 538 / 540 / 532 / 462 MB/s: the hot rows are shallow;
 *     2 MiB builds 4x faster (built-in automaton 5.6 ms -> 2.3 ms, start-up 7.5 -> 4.1 ms).
 *   10,000-pattern lexicon (a match every ~30 bytes): 2 MiB budget 69-98 MB/s, 8 MiB 110,
 *     12 MiB (the default now) 127, 32 MiB slower again (build page faults); the profile is
 *     after_step (match handling, 33%) and sparse steps (32%), not the dense table.
 * Second round, measured with a scanner-only harness (the 256 MB file in memory, fed in 1 MiB
 * pieces, best of 3; the same matches, byte for byte, at every step; `count -j1` adds ~0.09 s
 * of read(2) and UTF-8 validation). MB/s, built-in / 10k lexicon (leftmost-longest):
 *   start of this round                                                   678 / 149
 *   after_step: commit first, then record longest first and stop the walk once nothing is
 *     pending before the recorded start; only the first of equal patterns; candidates in one
 *     struct array (one cache line per record, not four arrays)           709 / 183
 *   state table with headers (depth/outputs/links in the row, no id recovery by
 *     multiply-shift) and one-cache-line sparse records with 5 inline edges (the 10k profile
 *     had the st[] load at 27% of after_step and binary searches over CSR)  717 / 224
 *   hot loop slimmed: callgrind counted ~64 instructions a character (the loop was
 *     throughput-bound, not latency-bound: GCC spilled tab/dense_lim/ring/mask and reloaded
 *     ac->cmap after every ring store). White space out of line (no in_ws/prev_alnum per
 *     character), one lut pointer for both table levels, pointer iteration, characters
 *     counted from significant indices, HAN in bit 31, one test for outputs or pending:
 *     43 instructions a character                                          824 / 230
 *   dense budget for the 10k lexicon (12,582,912 B by default), after the sparse records:
 *     0.5 / 1 / 2 / 4 / 8 / 12 / 24 MiB: 176 / 189 / 203 / 215 / 234 / 225 / 176 MB/s: flat
 *     between 4 and 12 MiB, so the default stays.
 *   TRIED, NOT KEPT: two lanes in one loop (a piece of >= 32 KiB split just after a
 *     paragraph break past its middle, where a scanner has state 0 and nothing pending; the
 *     second lane on a twin scanner with its own rings, significant indices numbered from sig +
 *     split so stale ring entries never match, its matches held in a buffer and reported after
 *     the first lane's, each lane alone once the buffer could overflow; exact: the split-vs-
 *     whole differential and fuzz_ac agreed). On the loop of the 717 row: 732 MB/s split vs 751
 *     unsplit (built-in), 178 vs 224 (10k): no gain, because the loop was bound by instruction
 *     throughput, not by the dependent loads, and two lanes doubled the register spills. It
 *     was removed before the loop was slimmed; with 43 instructions a character (~6.5 cycles
 *     at the machine's width vs ~10 measured) it may pay now, if the second lane's hot
 *     variables fit in registers.
 * Third round (`count -j1`, the 256 MB file, TIFA_DEBUG_TIMING; callgrind on 16 MB of it for
 * instructions). The profile had UTF-8 validation at 13% and a memcpy of every piece after the
 * first MiB (the decoder's output buffer) at 5%:
 *   start of this round (scan loop of the 824 row)                          ~435 ms, 43 instr/char
 *   AVX2 validation (utf8.c) and valid pieces scanned from the read buffer  ~410 ms
 *   no ring store when the caller wants no offsets (count)                   ~405 ms, 37
 *   lut3: a 3-byte character classed with one load from its bytes            ~405 ms, 32
 *     (fewer instructions, same time: the loop was now bound by the chain state -> load ->
 *     state, ~7 cycles a character; with that chain cut, i.e. a wrong automaton that always
 *     reads the root row, the same loop took 190 ms)
 *   two lanes (scan_two_lanes): a piece of >= 16 KiB split after a character no pattern holds
 *     (class 0, not white space, not a letter or digit) at or past its middle; the scanner's
 *     twin takes the first part from the scanner's state (rings copied), the scanner restarts
 *     at the root after the split, numbered past the twin's indices; one loop steps both, so
 *     the two load chains overlap. Matches then interleave, hence only without offsets.
 *                                                                            ~325 ms
 *     With the 10k lexicon two lanes were 7-9% SLOWER (1.5k/3k/10k generated terms: 0 / +7%
 *     / +9%): there the slow path runs nearly every character. So a scanner uses one lane
 *     for the next piece when the last long one called after_step more than once per 16
 *     characters (the built-in lexicon on this text: well under that).
 * At the end of the third round, built-in: ~3.6 ns a character for two interleaved chains;
 * UTF-8 validation and the kernel's copy in read(2) ~15% of `count -j1`. 10k lexicon (one
 * output per character, a match every 30 bytes): 4.3x the built-in time, profile after_step
 * (a slow-path call nearly every character, since candidates were nearly always pending; 36%
 * of it one header load missing the cache), the dense load (12 MiB of rows do not fit L2) and
 * sparse steps; the same 10,000 strings reversed (they seldom match) 1.3x: size was not the
 * problem, match handling was. TRIED, NOT KEPT: the depth in spare bits of the state word,
 * to spare after_step that header load: 1.72 s -> 1.71 s; the other header fields then miss.
 * Fourth round (`count -j1` on a 128 MB file shuffled from corpus/, best of 5, 10k lexicon /
 * built-in; outputs byte-identical to the third round's on the bench corpus and the public one):
 *   start (candidate rings, frontier, after_step at nearly every 10k character)  0.84 / 0.19 s
 *   cache-line-aligned sparse records (table from posix_memalign, records from a multiple of
 *     16 words): 0.83 / -, no gain, not kept
 *   skipping the candidate walk entirely (a wrong result, to bound its cost): 0.85, so the
 *     per-character call and its header load were the cost, not the walk
 *   leftmost-longest as a DFA with DEAD words (see Semantics): the slow path once a match,
 *     not once a character                                                    0.61 / 0.18 s
 *   two lanes for the 10k lexicon too (the one-lane rule of the third round now only for
 *     overlapping scans, where two lanes are still 10% slower)                0.54 / 0.18 s
 *   dense budget for the 10k lexicon, 3 / 4 / 6 / 8 / 12 / 16 MiB: 0.63 / 0.62 / 0.54 / 0.54
 *     / 0.53 / 0.54 s: flat from 6 MiB, the default (12) stays.
 *   TRIED, NOT KEPT: four lanes (a generic loop over an array of lanes, 2 or 4): 10k 0.50 s
 *     with four against 0.56 with two from the same generic loop, but the two-lane loop
 *     written out (this one) does 0.52 / 0.19 and the generic one 0.56 / 0.21: its lanes
 *     live in memory, not registers. Four written-out lanes would need 4 x 6 live registers.
 *   TRIED, NOT KEPT: the state table in transparent huge pages (2 MiB-aligned,
 *     madvise(MADV_HUGEPAGE); 14 MiB of them for the 10k lexicon): 0.52 -> 0.51 s, built-in
 *     unchanged: TLB misses are not what the 10k scan waits on.
 *   TRIED, NOT KEPT: sparse records in depth-first preorder (children by class), so that a
 *     text following a pattern walks down consecutive records: 0.53 -> 0.52 s, within noise
 *     (of the 17 million sparse steps, 12 million find the edge inline and go on to another
 *     sparse record; each load waits on the one before it, which no prefetcher can run ahead
 *     of).
 *   TRIED, NOT KEPT: the inline-edge search of a sparse record in the scan loop (step_sparse
 *     only for failures): 0.54 -> 0.56 s (10k), 0.19 -> 0.20 s (built-in): a bigger loop.
 *   TRIED, NOT KEPT: DEAD words holding a state id into a compact array of best matches
 *     (16 bytes a state, with the term id), so a report loads no row header and no pattern:
 *     0.55 s either way; reporting is not waiting on those loads.
 * Fifth round (scan time of `count -j1` on the 128 MB file, TIFA_DEBUG_TIMING, median of 6
 * runs interleaved with the previous binary; outputs byte-identical on it and on the public
 * corpus, every lexicon, -j1 and -j2, overlapping too):
 *   start (restart after every match, through after_step)                 10k 527 / 200 ms
 *   MATCH words (see Semantics): most matches report and go on, no restart  502 / 195 ms
 *   TRIED, NOT KEPT: MATCH words without a branch in the two-lane loop (each lane stores its
 *     state in a buffer every character and counts MATCH steps; the buffer is reported every
 *     128): 10k ~510 ms, built-in 210 ms: a store and an add a character cost more than the
 *     branch they save.
 *   TRIED, NOT KEPT: every state dense (the 10k automaton's 15,965 states in a 60 MB table,
 *     no sparse step at all): 570 ms against 500, and 38 ms to build: the scattered rows miss
 *     every cache level; the sparse branch is cheaper than that.
 *   Bound, not a change: with the count callback emptied (a wrong result) the 10k scan took
 *     0.50 s against 0.53: counting 4.6 million matches is ~5%.
 *   cachegrind's branch simulation, 16 MB of the text: 0.7 mispredicted branches a
 *     character with the 10k lexicon (half of them the dense-or-sparse test in step()),
 *     0.1 with the built-in one.
 *   TRIED, NOT KEPT: the five inline classes of a sparse record compared at once (SSE2, one
 *     branch on the hit mask instead of a loop): 10k 232 -> 245 ms on 64 MB: most records
 *     have one edge, which the loop finds at once, and the vector compare adds latency
 *     between the record load and the next one.
 *   TRIED, NOT KEPT: prefetching the failure state's entry for the character as soon as a
 *     sparse record is loaded, so a miss in the record does not wait for a second load:
 *     10k 230 -> 233 ms on 64 MB, no gain.
 *   start-up (`count` on an empty file, best of 200): 1,399 page faults, 5.3-5.5 ms; lut3 and
 *     the state table faulted in by one madvise(MADV_POPULATE_WRITE) each
 *     (xcalloc_prefaulted): 471 faults, 4.8 ms; the 10k automaton builds in 10 ms, not 12.
 *     Mapping them in 2 MiB transparent huge pages instead did as well (4.7 ms) but cost
 *     2.3 MB of RSS, a huge-page fault may stall on compaction, and test_ac, which builds
 *     9,000 small automata, took 19 s instead of 11 (a fresh 2 MiB page cleared for each).
 * What remains, 10k lexicon: 17 of its 45 million steps are sparse (the 4-8 character
 * patterns' deep states), each a record miss and then the failure state's dense row;
 * perf: the two-lane loop 38% (after its dense loads), step_sparse 31% (after the record
 * load), reporting the 4.6 million matches (header load, pattern -> term, the count) 16%.
 * The working set (12 MiB of dense rows, 0.8 MiB of sparse records against a 2 MiB L2) and
 * the mispredicted dense-or-sparse branch, which also bounds how far the two lanes' loads
 * overlap (more lanes gained little), are the limit, not the instructions. Not tried: 16-bit state words (premultiplied offsets do not fit 16 bits beyond
 * ~100 rows of the built-in automaton; 16-bit ids cost a multiply on the chain), rows for the
 * most used classes only (85% of the 10k text's characters fall in the first 256 classes, so
 * 15% would leave the fast path), choosing dense states by a sample of the text, a
 * double-array trie for the deep states.
 */
#include "tifa/ac.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/normalize.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

#define AC_OUT 0x80000000u
/* Leftmost-longest DFA: the step passes a match: report the best match of the state stepped
 * from, then go on in the state this word names (see "MATCH words" in Semantics). */
#define AC_MATCH 0x40000000u
#define AC_ID(s) ((s) & ~(AC_OUT | AC_MATCH))

#define AC_CLASS_MASK 0x00FFFFFFu
#define NONE UINT64_MAX
/* Leftmost-longest lexicons whose longest pattern is at most this many characters get the DFA
 * with restarts; longer ones the candidate scan (see Semantics): a restart steps up to maxlen
 * characters again, so the DFA is O(text * maxlen) in the worst case, the candidates O(text +
 * matches) whatever the lexicon. */
#define AC_DFA_MAXLEN 64
#define AC_F_HAN (1u << 31) /* the top bit: the scan loop adds entry >> 31 */
#define AC_F_ALNUM (1u << 25)
#define AC_F_SPACE (1u << 26)
#define AC_F_NL (1u << 27)
#define AC_F_CR (1u << 28)
#define AC_F_DROP (1u << 29)
#define AC_F_SPECIAL (AC_F_SPACE | AC_F_NL | AC_F_CR | AC_F_DROP)


/* Pieces at least this long are scanned as two lanes when offsets are not wanted. */
#define AC_LANES_MIN ((size_t)16 << 10)
/* ... unless, when overlapping, the last such piece took the slow path (after_step, once per
 * state with outputs) more than once per this many characters: there (make bench's 10k-term
 * lexicon, outputs at nearly every character) the slow path dominates and two lanes were 7-10%
 * slower. */
#define AC_LANES_SLOW 16
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

/* Default bytes of dense rows: 2 MiB plus 1 KiB per pattern, at most 16 MiB. With the built-in
 * lexicon 2 MiB scans as fast as 8 MiB (the shallow rows are the hot ones) and builds four times
 * faster; a 10,000-pattern lexicon scans 1.6x faster with 12 MiB than with 2 MiB. */
#define AC_DENSE_BASE ((size_t)2 << 20)
#define AC_DENSE_PER_PATTERN ((size_t)1 << 10)
#define AC_DENSE_MAX ((size_t)16 << 20)

/* The scan loop's helpers must be inlined (GCC otherwise calls next_entry) and its rare paths
 * kept out of line, so the hot loop keeps its variables in registers. */
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
    uint32_t *lut3;           /* 3-byte sequences, straight from the bytes (lut3_index) */
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

static AC_NOINLINE uint32_t cmap_lookup(const struct ac *ac, uint32_t cp)
{
    if (cp < 0x10000)
        return ac->lut[ac->lut[cp >> 6] + (cp & 63)];
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
    return base_entry(cp) + AC_HDR;
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
/* lut3: 16 lead nibbles x 64 rows (first continuation byte) x 256 (second continuation byte,
 * only 64 used): the index is (lead - 0xE0) << 14 | ((b1 << 8 | b2) & 0x3F3F), three
 * instructions from the bytes. 1 MiB, of which a text touches the lines of its characters. */
#define AC_LUT3_SIZE ((size_t)16 << 14)

static inline uint32_t lut3_index(uint32_t lead_low, uint32_t b1_low, uint32_t b2_low)
{
    return lead_low << 14 | b1_low << 8 | b2_low;
}

static void build_cmap(struct ac *ac, struct class_alloc *ca)
{
    uint32_t *full = xmalloc(st_mult(65536, sizeof(uint32_t)));
    uint32_t pre[16];
    size_t cap = 0, n = 0;
    uint32_t (*pairs)[2] = NULL;  /* astral preimages: (code point, entry) */

    /* CJK Extension A and the unified ideographs are plain Han characters (normalize_cp leaves
     * them alone), and U+A000..U+F8FF (Yi, Hangul, surrogates, private use) holds nothing that
     * normalize.c changes or counts as Han, letter, digit, space or line break: fill them
     * without asking normalize.c 50,000 times, a fifth of start-up (test_ac checks both). */
    for (uint32_t cp = 0; cp < 0x10000; cp++) {
        if (cp == 0x3400)
            cp = 0x4DC0;
        if (cp == 0x4E00)
            cp = 0xF900;
        full[cp] = base_entry(cp);
    }
    for (uint32_t cp = 0x3400; cp < 0x4DC0; cp++)
        full[cp] = AC_F_HAN;
    for (uint32_t cp = 0x4E00; cp < 0xA000; cp++)
        full[cp] = AC_F_HAN;
    memset(full + 0xA000, 0, (0xF900 - 0xA000) * sizeof(*full));
    /* BMP pattern characters; their preimages may be astral (compatibility supplement) */
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
            } else if (!(full[pre[k]] & AC_F_SPECIAL)) {
                full[pre[k]] = (full[pre[k]] & ~AC_CLASS_MASK) | ca->bmp[ncp];
            }
        }
    }
    /* Astral pattern characters and their preimages (a BMP compatibility ideograph may map to
     * an astral character: it goes into the BMP table). */
    for (size_t i = 0; i < ca->nastral; i++) {
        size_t np = normalize_preimages(ca->astral_cp[i], pre, 16);
        for (size_t k = 0; k < np && k < 16; k++) {
            if (pre[k] < 0x10000) {
                if (!(full[pre[k]] & AC_F_SPECIAL))
                    full[pre[k]] = (full[pre[k]] & ~AC_CLASS_MASK) | ca->astral_cls[i];
                continue;
            }
            ALLOC_GROW(pairs, n + 1, cap);
            pairs[n][0] = pre[k];
            pairs[n][1] = (base_entry(pre[k]) & ~AC_CLASS_MASK) | ca->astral_cls[i];
            n++;
        }
    }
    /* Deduplicate blocks of 64 (the code points sharing a UTF-8 lead and first continuation
     * byte): hash each, compare on equal hash. */
    uint64_t *hashes = xmalloc(st_mult(1024, sizeof(uint64_t)));
    uint32_t *uniq_src = xmalloc(st_mult(1024, sizeof(uint32_t)));
    uint32_t block_off[1024];
    size_t nuniq = 0;
    for (int b = 0; b < 1024; b++) {
        const uint32_t *blk = full + b * 64;
        uint64_t h = 1469598103934665603ULL;
        for (int i = 0; i < 64; i++)
            h = (h ^ blk[i]) * 1099511628211ULL;
        hashes[b] = h;
        size_t u;
        for (u = 0; u < nuniq; u++)
            if (hashes[uniq_src[u]] == h && !memcmp(full + uniq_src[u] * 64, blk, 256))
                break;
        if (u == nuniq)
            uniq_src[nuniq++] = (uint32_t)b;
        block_off[b] = (uint32_t)(1024 + u * 64);
    }
    /* The scan loop's table for 3-byte sequences: one load indexed by the low nibble of the
     * lead byte and the 6 payload bits of each continuation byte, as they sit in the bytes. */
    ac->lut3 = xcalloc_prefaulted(AC_LUT3_SIZE, sizeof(uint32_t));
    for (uint32_t cp = 0x800; cp < 0x10000; cp++)
        ac->lut3[lut3_index(cp >> 12, (cp >> 6) & 63, cp & 63)] = full[cp] + AC_HDR;
    ac->lut = xmalloc(st_mult(1024 + nuniq * 64, sizeof(uint32_t)));
    memcpy(ac->lut, block_off, sizeof(block_off));
    for (size_t u = 0; u < nuniq; u++)
        memcpy(ac->lut + 1024 + u * 64, full + uniq_src[u] * 64, 256);
    for (size_t k = 1024; k < 1024 + nuniq * 64; k++)
        ac->lut[k] += AC_HDR;
    free(hashes);
    free(uniq_src);
    free(full);

    if (n)
        qsort(pairs, n, sizeof(*pairs), cmp_u32pair);
    ac->astral_cp = xmalloc(st_mult(n + 1, sizeof(uint32_t)));
    ac->astral_val = xmalloc(st_mult(n + 1, sizeof(uint32_t)));
    for (size_t i = 0; i < n; i++) {
        ac->astral_cp[i] = pairs[i][0];
        ac->astral_val[i] = pairs[i][1] + AC_HDR;
    }
    ac->nastral = n;
    free(pairs);
}

static AC_INLINE uint32_t step(const uint32_t *tab, uint32_t dense_lim, const struct ac *ac,
                               uint32_t word, uint32_t cls);

/* State words: what the scanner holds and the tables store: the offset of the state's record in
 * ac->table. A dense state's record is its header and row (row_len words), a sparse state's is
 * AC_SREC words after the dense rows. Bit 31 (AC_OUT) is the output flag. */
static inline uint32_t state_word(const struct ac *ac, uint32_t id)
{
    return id < ac->ndense ? id * ac->row_len : ac->dense_lim + (id - ac->ndense) * AC_SREC;
}

/* Leftmost-longest DFA, while the table is being written in id order: the state the search
 * restarted after state @s's best match reaches on the characters of s's path after that match
 * (the last @n, spelled through @par and @lab, parent and class of each state), or UINT32_MAX
 * when that restart would itself report a match. Every state it steps through is shallower
 * than s, so its record is written. @spell has room for n classes. */
static uint32_t restart_word(const struct ac *ac, uint32_t s, uint32_t n, const uint32_t *par,
                             const uint32_t *lab, uint32_t *spell)
{
    for (uint32_t k = n; k > 0; k--, s = par[s])
        spell[k - 1] = lab[s];
    uint32_t w = 0;
    for (uint32_t k = 0; k < n; k++) {
        w = step(ac->table, ac->dense_lim, ac, w, spell[k] + AC_HDR);
        if (w & (AC_OUT | AC_MATCH))
            return UINT32_MAX;
    }
    return w;
}

/* Sorts class ids by uses[] descending, ties by id (a stable merge sort: deterministic). */
static void sort_by_uses(uint32_t *v, size_t n, const uint32_t *uses)
{
    if (n < 2)
        return;
    uint32_t *tmp = xmalloc(st_mult(n, sizeof(uint32_t)));
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t a = lo, b = mid, k = lo;
            while (a < mid && b < hi)
                tmp[k++] = uses[v[b]] > uses[v[a]] ? v[b++] : v[a++];
            while (a < mid)
                tmp[k++] = v[a++];
            while (b < hi)
                tmp[k++] = v[b++];
        }
        memcpy(v, tmp, n * sizeof(uint32_t));
    }
    free(tmp);
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

int ac_build(struct ac **out, const struct ac_pattern *pats, size_t n,
             const struct ac_build_opts *opts, struct tifa_err *e)
{
    struct ac *ac = xcalloc(1, sizeof(*ac));
    struct class_alloc ca = {0};
    struct edge_table et = {0};
    size_t budget = opts && opts->dense_budget ? opts->dense_budget
                    : n < (AC_DENSE_MAX - AC_DENSE_BASE) / AC_DENSE_PER_PATTERN
                        ? AC_DENSE_BASE + n * AC_DENSE_PER_PATTERN
                        : AC_DENSE_MAX;
    uint32_t *cps = NULL, *node_depth = NULL, *node_own = NULL;
    size_t cps_alloc = 0, nodes = 1, nodes_alloc = 0, dep_alloc = 0;
    int rc = 0;

    ca.bmp = xcalloc(65536, sizeof(uint32_t));
    ca.next = 1;
    ac->mode = opts ? opts->mode : AC_LEFTMOST_LONGEST;
    size_t dfa_maxlen = opts && opts->dfa_maxlen ? opts->dfa_maxlen : AC_DFA_MAXLEN;
    ac->npatterns = (uint32_t)n;
    ac->pat = xmalloc(st_mult(n + 1, sizeof(*ac->pat)));
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
            if (nodes >= (1u << 25) || ca.next >= AC_CLASS_MASK - AC_HDR) {
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
        ac->pat[p].len = (uint32_t)ncp;
        ac->pat[p].term = pats[p].term_id;
        if (ac->maxlen < (uint32_t)ncp)
            ac->maxlen = (uint32_t)ncp;
        /* append p to the node's own list, keeping input order */
        ac->pat[p].next_same = UINT32_MAX;
        if (node_own[s] == UINT32_MAX) {
            node_own[s] = (uint32_t)p;
        } else {
            uint32_t q = node_own[s];
            while (ac->pat[q].next_same != UINT32_MAX)
                q = ac->pat[q].next_same;
            ac->pat[q].next_same = (uint32_t)p;
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
    ac->algo = ac->mode == AC_OVERLAPPING    ? ALGO_OVERLAPPING
               : ac->maxlen <= dfa_maxlen ? ALGO_DFA
                                          : ALGO_CANDIDATES;
    /* 1b. renumber classes by how many trie edges carry them, most first: the characters that
     * recur in patterns are the common ones of the text too, so the entries a scan touches
     * crowd into the first cache lines of each dense row. */
    uint32_t *remap = xmalloc(st_mult(ca.next, sizeof(uint32_t)));
    {
        uint32_t *uses = xcalloc(ca.next, sizeof(uint32_t));
        uint32_t *byuse = xmalloc(st_mult(ca.next, sizeof(uint32_t)));
        for (size_t i = 0; i < et.cap; i++)
            if (et.keys[i])
                uses[(et.keys[i] - 1) & AC_CLASS_MASK]++;
        for (uint32_t c = 0; c < ca.next; c++)
            byuse[c] = c;
        sort_by_uses(byuse + 1, ca.next - 1, uses);
        remap[0] = 0;
        for (uint32_t r = 1; r < ca.next; r++)
            remap[byuse[r]] = r;
        for (uint32_t cp = 0; cp < 0x10000; cp++)
            ca.bmp[cp] = remap[ca.bmp[cp]];
        for (size_t i = 0; i < ca.nastral; i++)
            ca.astral_cls[i] = remap[ca.astral_cls[i]];
        ac->space_class = remap[ac->space_class] + AC_HDR;
        free(uses);
        free(byuse);
    }
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
            ccls[pos] = remap[k & AC_CLASS_MASK];
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
    free(remap);

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
    ac->st = xcalloc(nodes, sizeof(*ac->st));
    ac->fail = xcalloc(nodes, sizeof(uint32_t));
    {
        uint32_t pos = 0;
        for (size_t ns = 0; ns < nodes; ns++) {
            uint32_t v = order[ns];
            ac->edge_start[ns] = pos;
            for (uint32_t a = cstart[v]; a < cstart[v + 1]; a++) {
                ac->edge_cls[pos] = ccls[a];
                ac->edge_next[pos++] = newid[cchild[a]];
            }
            ac->st[ns].depth = node_depth[v];
            ac->st[ns].own_first = node_own[v];
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
            ac->st[child].dict = ac->st[f].own_first != UINT32_MAX ? f : ac->st[f].dict;
        }
    }
    /* 5. overlapping: output flags on every stored target. Leftmost-longest: the best match of
     * each state's path, in BFS order (parents first), and whether failing loses it. */
    uint32_t *bback = NULL, *blen = NULL, *bpat = NULL;
    if (ac->algo != ALGO_DFA) {
        for (uint32_t a = 0; a < ac->edge_start[ac->nstates]; a++) {
            uint32_t t = ac->edge_next[a];
            if (ac->st[t].own_first != UINT32_MAX || ac->st[t].dict)
                ac->edge_next[a] = t | AC_OUT;
        }
    } else {
        bback = xcalloc(ac->nstates, sizeof(uint32_t));
        blen = xcalloc(ac->nstates, sizeof(uint32_t));
        bpat = xmalloc(st_mult(ac->nstates, sizeof(uint32_t)));
        bpat[0] = UINT32_MAX;
        for (uint32_t s = 0; s < ac->nstates; s++) {
            for (uint32_t a = ac->edge_start[s]; a < ac->edge_start[s + 1]; a++) {
                uint32_t c = ac->edge_next[a];
                /* the parent's best, one character further back; the child's longest output
                 * (its own pattern, else its dictionary state's) wins when it starts at or
                 * before it (at the same start it is the longer one) */
                uint32_t ob = ac->st[c].own_first != UINT32_MAX ? c : ac->st[c].dict;
                bpat[c] = bpat[s];
                bback[c] = bpat[s] != UINT32_MAX ? bback[s] + 1 : 0;
                blen[c] = blen[s];
                if (ob && (bpat[c] == UINT32_MAX || ac->st[ob].depth >= bback[c])) {
                    bpat[c] = ac->st[ob].own_first;
                    bback[c] = blen[c] = ac->st[ob].depth;
                }
            }
        }
    }
    /* 6. dense rows for the shallowest states (nodes < 2^25 and this cap keep every word, dense
     * or sparse, below 2^30, clear of the flags) */
    ac->row_len = AC_HDR + ac->nclasses;
    size_t rowbytes = st_mult(ac->row_len, sizeof(uint32_t));
    size_t ndense = budget / rowbytes;
    if (ndense < 1)
        ndense = 1;
    if (ndense > ac->nstates)
        ndense = ac->nstates;
    if (ndense > ((size_t)1 << 29) / ac->row_len)
        ndense = ((size_t)1 << 29) / ac->row_len;
    /* 7. every stored target becomes a state word; then the records. A dense row is its failure
     * state's row (fail[s] < s in BFS order, so that row is done) with the state's own edges
     * written over it. A sparse record keeps up to AC_SINLINE edges inline, the rest in the
     * sorted edge arrays. */
    ac->ndense = (uint32_t)ndense;
    ac->dense_lim = ac->ndense * ac->row_len;
    uint32_t *par = NULL, *lab = NULL, *spell = NULL;
    if (bpat) {
        par = xcalloc(ac->nstates, sizeof(uint32_t));
        lab = xcalloc(ac->nstates, sizeof(uint32_t));
        spell = xmalloc(st_mult((size_t)ac->maxlen + 1, sizeof(uint32_t)));
        for (uint32_t s = 0; s < ac->nstates; s++)
            for (uint32_t a = ac->edge_start[s]; a < ac->edge_start[s + 1]; a++) {
                par[ac->edge_next[a]] = s;
                lab[ac->edge_next[a]] = ac->edge_cls[a];
            }
    }
    for (uint32_t a = 0; a < ac->edge_start[ac->nstates]; a++)
        ac->edge_next[a] = state_word(ac, AC_ID(ac->edge_next[a])) | (ac->edge_next[a] & AC_OUT);
    size_t words = (size_t)ac->dense_lim + (size_t)(ac->nstates - ac->ndense) * AC_SREC;
    ac->table = xcalloc_prefaulted(words, sizeof(uint32_t));
    for (uint32_t s = 0; s < ac->nstates; s++) {
        uint32_t *rec = ac->table + state_word(ac, s);
        /* DFA: a state dies when failing loses its best match (the failure state starts after
         * it); its DEAD word is its own word, flagged: its header has the best match */
        int dies = bpat && bpat[s] != UINT32_MAX && ac->st[ac->fail[s]].depth < bback[s];
        /* ... and where the search restarted after that match gets to on the characters read
         * since, when it reports nothing on the way: a step that kills the state can then
         * report the match and go on from there (a MATCH word) */
        uint32_t restart = dies ? restart_word(ac, s, bback[s] - blen[s], par, lab, spell)
                                : UINT32_MAX;
        if (ac->algo != ALGO_DFA) {
            rec[H_DEPTH] = ac->st[s].depth;
            rec[H_OWN] = ac->st[s].own_first;
            rec[H_DICT] = ac->st[s].dict ? state_word(ac, ac->st[s].dict) : 0;
        } else {
            rec[H_BBACK] = bback[s];
            rec[H_BPAT] = bpat[s];
            rec[H_BLEN] = blen[s];
        }
        if (!dies)
            rec[H_FAIL] = state_word(ac, ac->fail[s]);
        else if (restart != UINT32_MAX)
            rec[H_FAIL] = restart | AC_OUT | AC_MATCH;
        else
            rec[H_FAIL] = state_word(ac, s) | AC_OUT;
        uint32_t e0 = ac->edge_start[s], n_e = ac->edge_start[s + 1] - e0;
        if (s < ndense) {
            if (dies) {
                uint32_t dead = state_word(ac, s) | AC_OUT;
                for (uint32_t k = 0; k < ac->nclasses; k++) {
                    uint32_t w = restart != UINT32_MAX
                                     ? step(ac->table, ac->dense_lim, ac, restart, k + AC_HDR)
                                     : AC_OUT;
                    rec[AC_HDR + k] = w & (AC_OUT | AC_MATCH) ? dead : w | AC_MATCH;
                }
            } else if (s) {
                memcpy(rec + AC_HDR, ac->table + state_word(ac, ac->fail[s]) + AC_HDR,
                       ac->nclasses * sizeof(uint32_t));
            }
            for (uint32_t a = e0; a < e0 + n_e; a++)
                rec[AC_HDR + ac->edge_cls[a]] = ac->edge_next[a];
            continue;
        }
        rec[S_N] = n_e;
        rec[S_OVF] = e0;
        for (uint32_t k = 0; k < n_e && k < AC_SINLINE; k++) {
            rec[S_CLS + k] = ac->edge_cls[e0 + k] + AC_HDR;
            rec[S_NEXT + k] = ac->edge_next[e0 + k];
        }
    }
    free(bback);
    free(blen);
    free(bpat);
    free(par);
    free(lab);
    free(spell);
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
    case ALGO_OVERLAPPING:
        return "overlapping";
    case ALGO_CANDIDATES:
        return "leftmost-longest candidates";
    case ALGO_DFA:
        break;
    }
    return "leftmost-longest DFA";
}

void ac_shape(const struct ac *ac, size_t *nstates, size_t *ndense, size_t *nclasses)
{
    *nstates = ac->nstates;
    *ndense = ac->ndense;
    *nclasses = ac->nclasses;
}

/* ---- scanning ---- */

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
    sc->in_ws = sc->prev_alnum = sc->prev_cr = 0;
    sc->nl_run = 0;
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
    free(sc->ring_off);
    free(sc->ring_end);
    free(sc->ring_cls);
    free(sc->cand);
    memset(sc, 0, sizeof(*sc));
}

static void emit(struct ac_scanner *sc, uint32_t pat, uint64_t start_sig, uint64_t end_off)
{
    struct ac_match m;
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
        s = step(ac->table, ac->dense_lim, ac, s, sc->ring_cls[x & sc->mask]);
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
    case ALGO_OVERLAPPING:
        report_all(sc, AC_ID(sc->state), end_off);
        break;
    case ALGO_DFA:
        rescan(sc, emit_best(sc, AC_ID(sc->state), sc->sig - 2) + 1);
        break;
    case ALGO_CANDIDATES:
        record_candidates(sc, end_off);
        break;
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

/* One step from a sparse state (word >= dense_lim): its edges, then failure links until a
 * state has the edge or is dense. @cls is a class-table class (class + AC_HDR). */
static AC_NOINLINE uint32_t step_sparse(const struct ac *ac, uint32_t word, uint32_t cls)
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
            uint32_t lo = rec[S_OVF], hi = lo + n, c = cls - AC_HDR;
            while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (ac->edge_cls[mid] < c)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < rec[S_OVF] + n && ac->edge_cls[lo] == c)
                return ac->edge_next[lo];
        }
        uint32_t f = rec[H_FAIL];
        if (f < ac->dense_lim)
            return tab[f + cls];
        if (f & AC_OUT) { /* leftmost-longest: failing here loses the best match */
            if (f & AC_MATCH) {
                uint32_t w = step(tab, ac->dense_lim, ac, f, cls);
                if (!(w & (AC_OUT | AC_MATCH)))
                    return w | AC_MATCH;
            }
            return word | AC_OUT;
        }
        word = f;
    }
}

static AC_INLINE uint32_t step(const uint32_t *tab, uint32_t dense_lim, const struct ac *ac,
                               uint32_t word, uint32_t cls)
{
    word = AC_ID(word);
    return AC_LIKELY(word < dense_lim) ? tab[word + cls] : step_sparse(ac, word, cls);
}

/* The class-table entry of the character at @p (valid UTF-8) and its length in *@n. The BMP
 * table is indexed by cp >> 6 and cp & 63, which for 2- and 3-byte sequences come straight
 * from the bytes, so the code point itself is never assembled. */
static AC_INLINE uint32_t next_entry(const struct ac *ac, const unsigned char *p, size_t *n)
{
    const uint32_t *lut = ac->lut;
    uint32_t c = p[0];
    if (c - 0xE0 < 0x10) {
        *n = 3;
        return lut[lut[((c & 0x0F) << 6) | (p[1] & 0x3F)] + (p[2] & 0x3F)];
    }
    if (c < 0x80) {
        *n = 1;
        return lut[lut[c >> 6] + (c & 63)];
    }
    if (c < 0xE0) {
        *n = 2;
        return lut[lut[c & 0x1F] + (p[1] & 0x3F)];
    }
    *n = 4;
    return cmap_lookup(ac, ((c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
                               ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F));
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
    return (next_entry(ac, p + k, &n) & AC_F_ALNUM) != 0;
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
        uint32_t en = next_entry(ac, p + i, &n);
        if (!(en & AC_F_SPECIAL)) {
            if (sc->in_ws && sc->prev_alnum && (en & AC_F_ALNUM)) {
                /* white space between two letters or digits is one space */
                uint32_t prev = sc->state;
                sc->state = step(ac->table, ac->dense_lim, ac, sc->state, ac->space_class);
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
            sc->nl_run = 0;
            sc->prev_cr = 0;
            return i;
        }
        i += n;
        sc->stats.chars++;
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
        if (sc->nl_run >= 2 && sc->state != 0)
            break_match(sc);
    }
    return len;
}

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
    int run_at_end = 0;  /* the range ended inside ws_run: sc->prev_alnum is already right */

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
            en = lut3[lut3_index(c - 0xE0, 0, ((uint32_t)q[1] << 8 | q[2]) & 0x3F3F)];
            q += 3;
        } else {
            size_t n;
            en = next_entry(ac, q, &n);
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
        state = step(tab, dense_lim, ac, state, en & AC_CLASS_MASK);
        ring_cls[sig & mask] = en & AC_CLASS_MASK;
        if (offsets) {
            ring_off[sig & mask] = (uintptr_t)start - adj;
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
 * count (6 of 43 instructions a character; 3% of `count`'s time on the built-in lexicon). */
static AC_NOINLINE void scan_range_offsets(struct ac_scanner *sc, const unsigned char *p,
                                           size_t i, size_t end)
{
    scan_range_body(sc, p, i, i, end, 1);
}

static AC_NOINLINE void scan_range_no_offsets(struct ac_scanner *sc, const unsigned char *p,
                                              size_t from, size_t i, size_t end)
{
    scan_range_body(sc, p, from, i, end, 0);
}

/* ---- two lanes (scanners without offsets) ---- */

/* One lane of the two-lane loop: a scanner's hot fields, kept in registers by the caller. */
struct lane {
    struct ac_scanner *sc;
    const unsigned char *q, *qend;
    size_t from;
    uint32_t *ring_cls, mask;
    uint32_t state, pend;
    uint64_t sig, sig0, han;
};

static AC_INLINE void lane_load(struct lane *L)
{
    L->state = L->sc->state;
    L->sig = L->sig0 = L->sc->sig;
    L->pend = L->sc->pmin != NONE ? AC_OUT : 0;
    L->ring_cls = L->sc->ring_cls;
    L->mask = L->sc->mask;
}

static AC_INLINE void lane_store(struct lane *L)
{
    L->sc->state = L->state;
    L->sc->sig = L->sig;
    L->sc->stats.chars += L->sig - L->sig0;
    L->sig0 = L->sig;
}

/* One character of a lane: scan_range_body's loop body, without offsets. */
static AC_INLINE void lane_step(struct lane *L, const unsigned char *p, const struct ac *ac,
                                const uint32_t *tab, const uint32_t *lut3, uint32_t dense_lim)
{
    const unsigned char *start = L->q;
    uint32_t en, c = start[0];
    if (AC_LIKELY(c - 0xE0 < 0x10)) {
        en = lut3[lut3_index(c - 0xE0, 0, ((uint32_t)start[1] << 8 | start[2]) & 0x3F3F)];
        L->q = start + 3;
    } else {
        size_t n;
        en = next_entry(ac, start, &n);
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
    L->state = step(tab, dense_lim, ac, L->state, en & AC_CLASS_MASK);
    L->ring_cls[L->sig & L->mask] = en & AC_CLASS_MASK;
    L->sig++;
    if (AC_UNLIKELY(L->state & AC_MATCH)) {
        emit_best(L->sc, AC_ID(prev), L->sig - 2);
        L->state = AC_ID(L->state);
    }
    if (AC_UNLIKELY((L->state | L->pend) & AC_OUT)) {
        L->sc->state = L->state;
        L->sc->sig = L->sig;
        after_step(L->sc, 0);
        L->state = L->sc->state;
        L->pend = L->sc->pmin != NONE ? AC_OUT : 0;
    }
}

/* Ends a lane: the rest of its range in the one-lane loop, or, at its end, what
 * scan_range_body does there (prev_alnum, unless the range ended inside a white-space run). */
static void lane_finish(struct lane *L, const unsigned char *p)
{
    lane_store(L);
    L->sc->stats.han += L->han;
    if (L->q < L->qend)
        scan_range_no_offsets(L->sc, p, L->from, (size_t)(L->q - p), (size_t)(L->qend - p));
    else if (!L->sc->in_ws)
        L->sc->prev_alnum = alnum_before(L->sc->ac, p, L->from, (size_t)(L->qend - p),
                                         L->sc->prev_alnum);
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
        uint32_t en = next_entry(ac, p + k, &n);
        if ((en & AC_CLASS_MASK) == AC_HDR && !(en & (AC_F_SPECIAL | AC_F_ALNUM)))
            return k + n;
    }
    return 0;
}

/* Scans a piece as two independent lanes in one loop, so the two chains of dependent table
 * loads overlap (one lane alone waits on each load). The twin scanner takes the first part,
 * continuing from the scanner's state; the scanner itself restarts at the root after the split
 * character, with significant indices numbered past any the twin can reach (its restarts
 * read only classes it stored itself; the twin gets a copy of the ring, for restarts that
 * reach back before the piece). Matches of the two parts interleave: only for counting. */
static AC_NOINLINE void scan_two_lanes(struct ac_scanner *sc, const unsigned char *p, size_t len,
                                       size_t split)
{
    const struct ac *ac = sc->ac;
    const uint32_t *tab = ac->table, *lut3 = ac->lut3;
    const uint32_t dense_lim = ac->dense_lim;
    struct ac_scanner *tw = sc->twin;

    tw->state = sc->state;
    tw->sig = sc->sig;
    tw->in_ws = sc->in_ws;
    tw->prev_alnum = sc->prev_alnum;
    tw->prev_cr = sc->prev_cr;
    tw->nl_run = sc->nl_run;
    tw->cursor = sc->cursor;
    tw->pmin = sc->pmin;
    memcpy(tw->ring_cls, sc->ring_cls, ((size_t)sc->mask + 1) * sizeof(*sc->ring_cls));
    if (sc->cand)
        memcpy(tw->cand, sc->cand, ((size_t)sc->mask + 1) * sizeof(*sc->cand));
    memset(&tw->stats, 0, sizeof(tw->stats));
    sc->state = 0;
    sc->sig += split + 1;
    sc->cursor = sc->sig;
    sc->pmin = NONE;
    sc->in_ws = sc->prev_alnum = sc->prev_cr = 0;
    sc->nl_run = 0;

    struct lane a = {tw, p, p + split, 0, NULL, 0, 0, 0, 0, 0, 0};
    struct lane b = {sc, p + split, p + len, split, NULL, 0, 0, 0, 0, 0, 0};
    if (tw->in_ws)
        a.q = p + ws_run(tw, p, 0, 0, split);
    lane_load(&a);
    lane_load(&b);
    while (a.q < a.qend && b.q < b.qend) {
        lane_step(&a, p, ac, tab, lut3, dense_lim);
        lane_step(&b, p, ac, tab, lut3, dense_lim);
    }
    lane_finish(&a, p);
    lane_finish(&b, p);
    break_match(tw); /* the split character left the twin at the root; this is a safeguard */
    sc->nslow += tw->nslow;
    tw->nslow = 0;
    sc->stats.chars += tw->stats.chars;
    sc->stats.han += tw->stats.han;
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

void ac_scan(struct ac_scanner *sc, const char *utf8, size_t len)
{
    const unsigned char *p = (const unsigned char *)utf8;
    size_t split;
    if (sc->no_offsets) {
        uint64_t slow0 = sc->nslow, chars0 = sc->stats.chars;
        if (len >= sc->lanes_min && !sc->lanes_off && (split = lane_split(sc->ac, p, len)))
            scan_two_lanes(sc, p, len, split);
        else
            scan_range_no_offsets(sc, p, 0, 0, len);
        /* the next piece gets two lanes unless this one left the fast path often (overlapping
         * only: leftmost-longest leaves it once a match, and two lanes paid even at one match
         * every 10 characters) */
        if (len >= AC_LANES_MIN && sc->mode == AC_OVERLAPPING)
            sc->lanes_off = (sc->nslow - slow0) * AC_LANES_SLOW > sc->stats.chars - chars0;
    } else
        scan_range_offsets(sc, (const unsigned char *)utf8, 0, len);
    sc->base += len;
    sc->stats.bytes += len;
}

void ac_scan_finish(struct ac_scanner *sc)
{
    break_match(sc);
}
