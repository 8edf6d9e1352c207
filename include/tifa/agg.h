/*
 * agg: counts per document and for the whole corpus.
 *
 * Owns: the per-document tally (a dense array indexed by label id plus the list of touched
 * ids, so resetting costs O(terms seen), not O(lexicon)), its sparse frozen form, the counting
 * consumer of the pipeline (agg_count_sink), corpus totals (counts, document frequency, sizes)
 * and the sorted term rows reporters print. Must not: read, match or print.
 *
 * Lifetimes: struct agg_tally is per thread (document lifetime contents); struct agg_doc is a
 * result owned by whoever froze it until agg_doc_release(); struct agg_total is owned by the
 * command.
 */
#ifndef TIFA_AGG_H
#define TIFA_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/lexicon.h"
#include "tifa/resolve.h"
#include "tifa/sink.h"
#include "tifa/strmap.h"

struct json_t;

struct agg_count {
    uint32_t label_id;
    uint64_t count;
};

struct agg_tally {
    uint64_t *counts; /* nlabels, zero except at touched ids */
    uint32_t *touched;
    size_t ntouched;
    size_t nlabels;
};

/* A count under a term the lexicon does not hold (a --pattern match: "NAME:matched text"). */
struct agg_extra {
    char *term;
    uint64_t count;
};

struct agg_doc {
    char *path;
    char encoding[48];
    char format[8];  /* "text", "docx", "html"; "" when unknown (a saved report without it) */
    char script[12]; /* "simplified", "traditional", "keep" (corpus_doc.script); "" when
                        unknown (a saved report without it) */
    uint64_t bytes, chars, han, invalid;
    long long first_invalid_off;
    struct agg_count *counts; /* non-zero only, sorted by count (desc), then term (bytes) */
    size_t ncounts;
    char *head;              /* the start of the decoded text (corpus_opts.head_len), else NULL */
    size_t head_len;         /* bytes in head (NUL-terminated, ends on a code-point boundary) */
    struct agg_extra *extra; /* pattern terms (patcount.h), sorted by term bytes; the command
                                turns them into counts of a lexicon view before reporting */
    size_t nextra;
    struct reading *reading;    /* resolve.h: until the consumer's finish step, else NULL */
    struct resolve_result read; /* after it: senses, resolved abbreviations (already applied to
                                   counts), expansions */
    const char *const *meta;    /* --meta: the document's fields (report.meta_fields names
                                   them; NULL = absent), set by the command; borrowed */
    struct json_t *read_json;   /* merge: the reading keys of a saved report's document, as
                                   they were written (borrowed); NULL otherwise */
};

struct agg_total {
    size_t nlabels;
    uint64_t documents, bytes, chars, han, invalid;
    uint64_t *counts;           /* nlabels */
    uint64_t *doc_freq;         /* nlabels */
    struct resolve_result read; /* the documents' senses and expansions summed (moves: none) */
};

enum agg_sort { AGG_SORT_COUNT = 0, AGG_SORT_TERM, AGG_SORT_DOCS };

struct agg_row {
    uint32_t label_id;
    uint64_t count, documents;
    double per_10k;
};

void agg_tally_init(struct agg_tally *t, size_t nlabels);
void agg_tally_release(struct agg_tally *t);
static inline void agg_tally_add(struct agg_tally *t, uint32_t label_id)
{
    if (!t->counts[label_id]++)
        t->touched[t->ntouched++] = label_id;
}
/** Zeroes the touched counts. */
void agg_tally_clear(struct agg_tally *t);
/** Adds @n counts (label id, count) into @t. */
void agg_tally_add_counts(struct agg_tally *t, const struct agg_count *c, size_t n);
/** Sorts counts by count (desc), then term (by the labels' byte-order rank). */
void agg_counts_sort(struct agg_count *c, size_t n, const struct lexicon *lx);

/** Moves the tally into @doc->counts (sorted) and resets the tally. */
void agg_tally_freeze(struct agg_tally *t, const struct lexicon *lx, struct agg_doc *doc);

/**
 * The counting consumer: fills @s (sink.h) so that each document's result is a malloc'd
 * struct agg_doc holding its counts only (sorted as agg_tally_freeze sorts; path, statistics
 * and head unset), to be released with agg_doc_release() and free(). Chunks of a big file are
 * summed. Retains @lx (run lifetime). Without SINK_POSITIONS: a match costs one increment.
 * With a resolver @r (NULL: none; run lifetime, built on @lx), documents are also read as
 * resolve.h says: the consumer keeps each text, and its finish step moves resolved
 * abbreviations to their labels and fills agg_doc.read.
 */
void agg_count_sink(struct sink *s, const struct lexicon *lx, const struct resolver *r);

/** Frees path, counts, head and extra. */
void agg_doc_release(struct agg_doc *doc);

void agg_total_init(struct agg_total *tot, size_t nlabels);
void agg_total_release(struct agg_total *tot);
void agg_total_add(struct agg_total *tot, const struct agg_doc *doc);
/** Makes room for labels up to @nlabels (a lexicon view grew); the new ones count 0. */
void agg_total_grow(struct agg_total *tot, size_t nlabels);

/*
 * --group-by: one total per value of a document field (quanteda's dfm_group). A group's keys
 * are those of the corpus totals, so the groups of a run sum to its totals.
 */
struct agg_group {
    char *value; /* NULL: the documents without the field */
    struct agg_total tot;
};

/* Values to dense group numbers in order of first appearance (NULL: no value). */
struct agg_group_index {
    struct strmap map; /* value -> number */
    size_t none;       /* the number of NULL, or (size_t)-1 */
};

void agg_group_index_init(struct agg_group_index *gi);
void agg_group_index_release(struct agg_group_index *gi);
/** The number of @value; a new value gets @next and sets *@inserted. */
size_t agg_group_index_of(struct agg_group_index *gi, const char *value, size_t next,
                          int *inserted);

struct agg_groups {
    struct agg_group *v;
    size_t n, alloc;
    struct agg_group_index index; /* until agg_groups_finish reorders v */
};

void agg_groups_init(struct agg_groups *g);
void agg_groups_release(struct agg_groups *g);
/** Adds @doc to the group of @value (NULL: no value), its totals made room for @nlabels. */
void agg_groups_add(struct agg_groups *g, const char *value, const struct agg_doc *doc,
                    size_t nlabels);
/** Orders the groups by value (bytes), the one without a value last, and grows every total
 *  to @nlabels labels (a lexicon view may have grown after a group's last document). */
void agg_groups_finish(struct agg_groups *g, size_t nlabels);
/** The order of groups by value: bytes, NULL (no value) last. */
int agg_group_value_cmp(const char *a, const char *b);

/** Rate per 10,000 Han characters (0 when @han is 0). */
double agg_per_10k(uint64_t count, uint64_t han);

/** The matches of every term in @tot (the sum of its counts). */
uint64_t agg_total_matches(const struct agg_total *tot);

/**
 * The rows of the term summary: terms with a non-zero total, at least @min_count, sorted by
 * @sort (count: count desc then term; docs: documents desc then count desc then term; term:
 * term bytes), cut to @top rows when @top > 0. Caller frees *@rows.
 */
void agg_rows(const struct agg_total *tot, const struct lexicon *lx, enum agg_sort sort,
              uint64_t min_count, size_t top, struct agg_row **rows, size_t *nrows);

#endif
