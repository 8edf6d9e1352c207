/*
 * report_cooc: the formats of `tifa cooc`: table (default), json, tsv, csv and dot (Graphviz).
 *
 * Owns: how the pairs look in each format. The JSON contract:
 *
 *     {"tifa": 1, "command": "cooc", "window": "sentence", "documents": 3, "windows": 12,
 *      "min_count": 2,
 *      "pairs": [{"a": "四个意识", "b": "四个自信", "joint": 3, "count_a": 4, "count_b": 3,
 *                 "occ_a": 5, "occ_b": 3, "pmi": 1.58, "g2": 7.6}, ...],
 *      "skipped": [...], "errors": [...]}
 *
 * windows is N, joint, count_a and count_b count windows (cooc.h), occ_a and occ_b
 * occurrences. JSON prints numbers unrounded (report_json.h); the table, TSV and CSV round PMI
 * and G² to 4 decimals (report_round4), as diff does. TSV and CSV have one header line with the
 * JSON keys; CSV lines end in CR LF (RFC 4180). The table ends with a line saying what was
 * counted. dot is an undirected graph of the COOC_DOT_EDGES strongest pairs (by G², as sorted)
 * among those seen together more often than chance (PMI > 0): nodes are terms, each edge's
 * label its joint count, its pen width grows with G². Must not: compute or reorder pairs.
 */
#ifndef TIFA_REPORT_COOC_H
#define TIFA_REPORT_COOC_H

#include <stdio.h>

#include "tifa/cooc.h"
#include "tifa/note.h"
#include "tifa/report_format.h"

/* The most edges --format dot draws. */
#define COOC_DOT_EDGES 50

/** The formats --format accepts for cooc: table, json, tsv, csv, dot. */
extern const struct report_formats report_cooc_formats;

/* What the report says besides the pairs (all borrowed). */
struct report_cooc_info {
    const struct lexicon *lx;
    enum cooc_window window;
    uint64_t documents, windows;
    uint64_t min_count;
    const struct note_list *skipped, *errors;
};

/** Writes @rows (@n, sorted) in @fmt (one of report_cooc_formats) to @out. */
void report_cooc(FILE *out, enum report_format fmt, const struct report_cooc_info *info,
                 const struct cooc_row *rows, size_t n);

#endif
