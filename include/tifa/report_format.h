/*
 * report_format: the --format names and the table of formats each command family offers.
 *
 * Invariants: a family's formats are a table of pointers to struct report_format_def, each the
 * first member of that family's operations struct (struct report_ops for count and merge,
 * report_diff.c's and report_trend.c's for diff and trend), so a family turns the def a lookup
 * returns back into its operations with one cast. The order of a table is the order messages
 * list the formats in. Adding a format: a value below, an operations struct in the family's
 * reporter, one line in the family's table; parsing and messages follow from the table.
 * Must not: print, or know any family's operations.
 */
#ifndef TIFA_REPORT_FORMAT_H
#define TIFA_REPORT_FORMAT_H

#include <stddef.h>

#include "tifa/sbuf.h"

/* A format's identity, for the few commands that behave differently by format (trend --top
 * defaults to 10 for svg; diff colours only its table). */
enum report_format {
    FMT_TABLE = 0,
    FMT_JSON,
    FMT_JSONL,
    FMT_TSV,
    FMT_CSV,
    FMT_SVG,
    FMT_LEXICON,
    FMT_MATRIX,     /* count, merge: a document x term table, TSV */
    FMT_MATRIX_CSV, /* the same as CSV */
    FMT_DOT         /* Graphviz (cooc) */
};

/* What every format of every family has: its name as --format spells it, and its identity. */
struct report_format_def {
    const char *name;
    enum report_format format;
};

/* One command family's formats (borrowed static tables). */
struct report_formats {
    const struct report_format_def *const *defs;
    size_t n;
};

/** The format of @formats named @name (exact, case-sensitive), or NULL. */
const struct report_format_def *report_format_find(const struct report_formats *formats,
                                                   const char *name);

/** The format of @formats whose identity is @f, or NULL when the family does not offer it. */
const struct report_format_def *report_format_get(const struct report_formats *formats,
                                                  enum report_format f);

/** Appends the names of @formats in table order, joined by ", " (e.g. "table, json, tsv"). */
void report_format_list(const struct report_formats *formats, struct sbuf *out);

#endif
