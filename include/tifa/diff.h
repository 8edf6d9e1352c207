/*
 * diff: one term table for two sides (A, B) and the keyness rows of `tifa diff`.
 *
 * Owns: the union of the terms counted on either side (by term string, because a side may be a
 * saved report from another lexicon), both sides' counts and sizes, and turning them into rows
 * with the statistics of stats.h, filtered and sorted. Must not: read, count or print.
 *
 * Row order: G² descending, then |Log Ratio| descending, then term (bytes): a function of the
 * data only. A term is "unchanged" when its relative frequency is the same on both sides
 * (stats_direction == 0, so G² == 0); unchanged terms are left out unless asked for, and
 * terms counted 0 on both sides are never rows.
 *
 * Lifetime: result, owned by the command; rows borrow the term strings of the struct diff.
 */
#ifndef TIFA_DIFF_H
#define TIFA_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/intern.h"

struct json_t;

struct diff_side {
    const char *path; /* what the user named (borrowed) */
    const char *kind; /* "file", "folder" or "report" */
    uint64_t documents;
    uint64_t han; /* the corpus size of every statistic */
};

struct diff {
    struct diff_side side[2];      /* A, B */
    struct intern terms;           /* term <-> dense id */
    uint64_t *count[2];            /* per term id, per side */
    size_t alloc;                  /* of each count array */
    const struct json_t *settings; /* what both sides were counted with (settings.h), NULL
                                      when unknown (borrowed) */
};

struct diff_row {
    const char *term;
    uint64_t a, b;
    double a_per_10k, b_per_10k;
    double g2, p, log_ratio, pct_diff;
    double p_adjusted; /* p corrected for the number of terms tested (diff_test) */
    int direction;     /* +1 more in B, -1 less, 0 same relative frequency */
    int significant;   /* g2 >= the critical value of alpha */
};

void diff_init(struct diff *d);
void diff_release(struct diff *d);

/** Adds @count occurrences of @term (copied) to side @side (0 = A, 1 = B). */
void diff_add(struct diff *d, int side, const char *term, uint64_t count);

/* Correction of p for the number of terms tested (--correct). */
enum diff_correction { DIFF_CORRECT_NONE = 0, DIFF_CORRECT_BONFERRONI, DIFF_CORRECT_HOLM };

/* How the rows are tested (diff_rows' input) and how many terms were (its output). */
struct diff_test {
    double alpha;      /* .05, .01, .001 or .0001 */
    int all;           /* also rows whose rate is the same on both sides */
    uint64_t min_freq; /* terms counted fewer times on both sides are not tested (0, 1: all) */
    enum diff_correction correction;
    size_t tested; /* set by diff_rows: the m of the correction */
};

/** Parses "none", "bonferroni" or "holm"; returns -1 when it is none of them. */
int diff_correction_parse(const char *s, enum diff_correction *out);
/** The name diff_correction_parse reads. */
const char *diff_correction_name(enum diff_correction c);

/**
 * Computes the rows: every term counted on some side and at least @t->min_freq times on one of
 * them is tested (@t->tested says how many), unchanged ones left out of the rows unless @t->all,
 * sorted as described above. p_adjusted is p corrected over the tested terms: Bonferroni
 * min(1, m p); Holm's step-down min(1, (m - k) p_(k)) for the k-th smallest p (from 0), made
 * non-decreasing in that order; p itself without a correction. Significant: without a
 * correction G² >= stats_critical_g2(@t->alpha) (as before corrections existed), with one
 * p_adjusted < alpha. Caller frees *@rows (not the terms).
 */
void diff_rows(const struct diff *d, struct diff_test *t, struct diff_row **rows, size_t *nrows);
/**
 * Cuts the rows of diff_rows in place, keeping their order: drops the rows counted fewer than
 * @min_count times on both sides (a row stays when a >= @min_count or b >= @min_count), then
 * keeps the first @top of the rest; 0 = no cut for either. Updates *@nrows.
 * Example: rows (a, b) = (0, 6), (1, 0), (2, 1), with @min_count 2 and @top 1 -> (0, 6).
 */
void diff_rows_cut(struct diff_row *rows, size_t *nrows, uint64_t min_count, size_t top);

/** 1 if some term's count differs between the sides (the `--exit-code` test), else 0. */
int diff_counts_differ(const struct diff *d);

#endif
