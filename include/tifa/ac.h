/*
 * ac: the Aho-Corasick automaton over normalized code points, and the streaming scanner.
 *
 * Owns: the character-class table (raw code point -> class + flags, with normalization folded
 * in), the trie, failure links, the transition tables, and both match semantics:
 * leftmost-longest non-overlapping (as `grep -o` finds matches) and overlapping (every
 * occurrence of every pattern). Must not: know lexicon files, labels' meaning, or count.
 *
 * Text model seen by the scanner: valid UTF-8 (encoding.h guarantees it), fed in pieces that end
 * on code-point boundaries. Zero-width characters are invisible; runs of white space and single
 * line breaks are skipped inside a match, except that a run between two ASCII letters/digits
 * counts as one space; a paragraph break (boundary.h's rule: two line breaks in one run) ends
 * any match in progress. Offsets reported are byte offsets in the concatenated pieces.
 *
 * Lifetimes: struct ac is run lifetime (build once, share read-only between threads); struct
 * ac_scanner is per thread and reset per document (no allocation while scanning).
 */
#ifndef TIFA_AC_H
#define TIFA_AC_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/boundary.h"
#include "tifa/err.h"

struct ac_pattern {
    const char *text; /* UTF-8; normalized by the builder */
    uint32_t term_id; /* what a match reports (e.g. a lexicon label id) */
};

struct ac_match {
    uint32_t term_id;
    uint32_t pattern_id; /* index into the pattern array given to ac_build */
    uint64_t start_off;  /* byte offset of the first character of the match */
    uint64_t end_off;    /* byte offset just past its last character */
};

/** Called once per match, in order of start offset (leftmost-longest) or end offset. */
typedef void ac_match_fn(const struct ac_match *m, void *arg);

/** Called with the pattern ids of @n matches (at most AC_HITS_MAX) at a time: ac_scanner_hits. */
typedef void ac_hits_fn(const uint32_t *pattern_ids, size_t n, void *arg);
#define AC_HITS_MAX 256

/** A match as ac_scanner_placed_hits stores it: an ac_match without the term id. */
struct ac_placed_hit {
    uint32_t pattern_id;
    uint64_t start_off, end_off;
};
/** Called with @n matches (at most AC_HITS_MAX) at a time: ac_scanner_placed_hits. */
typedef void ac_placed_hits_fn(const struct ac_placed_hit *hits, size_t n, void *arg);

enum ac_mode { AC_LEFTMOST_LONGEST = 0, AC_OVERLAPPING = 1 };

struct ac;

struct ac_build_opts {
    size_t dense_budget; /* bytes for dense transition rows; 0 = default (2 MiB + 1 KiB per
                            pattern, at most 16 MiB) */
    enum ac_mode mode;   /* the semantics of every scanner on this automaton: the tables
                            differ (leftmost-longest has DEAD transitions); default 0 =
                            AC_LEFTMOST_LONGEST */
    size_t dfa_maxlen;   /* leftmost-longest: lexicons whose longest pattern has at most this
                            many characters are scanned as a DFA with restarts (fastest, but
                            O(text * longest pattern) at worst), longer ones by pending
                            candidates (linear); 0 = default, 64 */
};

/**
 * Builds the automaton for @n patterns, for the semantics in @opts (NULL: leftmost-longest).
 * Patterns whose normalized forms are equal are allowed (both report; leftmost-longest reports
 * the one given first). Returns 0 and sets *@out, or
 * TIFA_EDATA with "pattern N: ..." in @e for an empty or invalid-UTF-8 pattern.
 */
int ac_build(struct ac **out, const struct ac_pattern *pats, size_t n,
             const struct ac_build_opts *opts, struct tifa_err *e);
void ac_free(struct ac *ac);

/** Number of states, of dense states, and of character classes (for diagnostics and tests). */
void ac_shape(const struct ac *ac, size_t *nstates, size_t *ndense, size_t *nclasses);
/** Which scan the automaton runs: "overlapping", "leftmost-longest DFA" (longest pattern at
 * most ac_build_opts.dfa_maxlen characters) or "leftmost-longest candidates" (diagnostics). */
const char *ac_scan_name(const struct ac *ac);

/** Text statistics gathered while scanning (they cost nothing extra). */
struct ac_text_stats {
    uint64_t bytes; /* bytes scanned */
    uint64_t chars; /* code points */
    uint64_t han;   /* Han characters (CJK unified and compatibility ideographs, all planes) */
};

struct ac_cand {
    uint64_t start, endsig, endoff; /* start and end as significant indices; end byte offset */
    uint32_t pat;
};

struct ac_scanner {
    const struct ac *ac;
    enum ac_mode mode; /* the automaton's */
    ac_match_fn *fn;
    void *arg;
    uint32_t state;       /* current state, with the output flag bit */
    uint64_t sig;         /* index of the next significant (non-skipped) character */
    uint64_t base;        /* byte offset of the piece being scanned */
    uint32_t mask;        /* ring size - 1 (rings hold at least 2 * maxlen + 4 characters) */
    uint64_t *ring_off;   /* start byte offset of significant character i, at [i & mask] */
    uint64_t *ring_end;   /* byte offset just past it (both only when offsets are wanted) */
    uint32_t *ring_cls;   /* its class, for the leftmost-longest restart after a match */
    uint64_t cursor;      /* leftmost by candidates: no match may start before this index */
    uint64_t pmin;        /* ... lowest start of a pending candidate, UINT64_MAX if none */
    struct ac_cand *cand; /* ... the longest candidate starting at i, at [i & mask]; NULL for
                             the DFA and overlapping */
    int in_ws, prev_alnum;
    int no_offsets; /* matches are reported with start_off = end_off = 0 */
    uint32_t *hits; /* ac_scanner_hits: pattern ids not yet handed to hits_fn */
    size_t nhits;
    ac_hits_fn *hits_fn;
    void *hits_arg;
    struct ac_placed_hit *placed; /* ac_scanner_placed_hits: matches not yet handed over */
    size_t nplaced;
    ac_placed_hits_fn *placed_fn;
    void *placed_arg;
    struct ac_scanner *twin; /* no_offsets or lanes: the second lane's scanner */
    uint64_t nslow;          /* calls of the slow path, to choose between one and two lanes */
    int lanes_off;           /* the last long piece took the slow path too often for two lanes */
    size_t lanes_min;        /* pieces this long get two lanes (ac_scanner_no_offsets or _lanes;
                                tests lower it to reach the two-lane loop with small inputs) */
    struct para_run run;     /* the white-space run being read (boundary.h) */
    struct ac_text_stats stats;
};

/**
 * Prepares a scanner (allocates its rings once) with the semantics @ac was built for. @fn is
 * called for every match. The scanner retains @ac (borrowed: it must outlive the scanner).
 */
void ac_scanner_init(struct ac_scanner *sc, const struct ac *ac, ac_match_fn *fn, void *arg);
/**
 * Reports matches without their byte offsets (start_off and end_off are 0), for callers that
 * only count: the scan loop then skips a store per character, and scans long pieces as two
 * independent halves in one loop, so matches are NOT reported in text order. Call after
 * ac_scanner_init (it allocates the second half's scanner).
 */
void ac_scanner_no_offsets(struct ac_scanner *sc);
/**
 * Scans long pieces as two independent halves in one loop, as ac_scanner_no_offsets does, but
 * keeps the offsets: for a caller that does not need matches in text order (the matches of
 * the second half interleave with the first's; each is reported once, with its offsets, as
 * one lane would). ac_scanner_oldest_off is then meaningless. Call after ac_scanner_init (it
 * allocates the second half's scanner).
 */
void ac_scanner_lanes(struct ac_scanner *sc);
/**
 * Reports matches as batches of pattern ids to @fn instead of one ac_match at a time to the
 * ac_match_fn: a match then costs a store, and a call is made per AC_HITS_MAX matches. Implies
 * ac_scanner_no_offsets (no offsets, two lanes, matches not in text order). Batches are handed
 * over when full and by ac_scan_finish, so every match of a document has been handed over when
 * ac_scan_finish returns. For consumers that only count.
 */
void ac_scanner_hits(struct ac_scanner *sc, ac_hits_fn *fn, void *arg);
/**
 * Reports matches with their offsets as batches to @fn instead of one ac_match at a time: for
 * a consumer of many matches that needs no term id (resolve's reading automaton, a match every
 * 14 characters on make bench's corpus), a match then costs a store instead of a call. Batches
 * are handed over when full and by ac_scan_finish, so every match of a document has been handed
 * over when ac_scan_finish returns, and none before it necessarily. Keeps the scanner's order
 * of matches (with ac_scanner_lanes, not text order). Call after ac_scanner_lanes, if at all.
 */
void ac_scanner_placed_hits(struct ac_scanner *sc, ac_placed_hits_fn *fn, void *arg);
/**
 * The byte offset of the oldest character the scanner still holds (its ring): no match it
 * reports later starts before it. Lets a caller that keeps the text for context drop what
 * comes before. Needs offsets (not after ac_scanner_no_offsets).
 */
uint64_t ac_scanner_oldest_off(const struct ac_scanner *sc);
/**
 * 1 when @cp (as written: the automaton's class table folds normalization in) is in no pattern
 * and is a plain character for the scanner (not white space, a line break, dropped, a letter or
 * a digit): no match contains it or runs across it, and after it a scanner is back at its
 * start state with every match before it reported.
 */
int ac_cp_ends_matches(const struct ac *ac, uint32_t cp);
/**
 * The span [*@from, *@to) around [@start, @end) of @utf8 (@len bytes) that a fresh scanner can
 * scan alone and report exactly the matches a scan of the whole text reports inside it:
 * *@from is just after the last character before @start that ends matches (ac_cp_ends_matches),
 * or 0; *@to just after the first one at or after @end, or @len. Lets a caller check a few
 * places of a long text without scanning all of it (resolve.h).
 */
void ac_span_around(const struct ac *ac, const char *utf8, size_t len, size_t start, size_t end,
                    size_t *from, size_t *to);
/** Starts a new document: state, offsets and statistics back to zero; keeps the memory. */
void ac_scanner_reset(struct ac_scanner *sc);
void ac_scanner_release(struct ac_scanner *sc);

/** Scans the next piece of a document (valid UTF-8, ending on a code-point boundary). */
void ac_scan(struct ac_scanner *sc, const char *utf8, size_t len);

/** Ends the document: reports the match in progress, if any, and what follows it. */
void ac_scan_finish(struct ac_scanner *sc);

#endif
