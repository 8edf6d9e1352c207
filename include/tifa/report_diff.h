/*
 * report_diff: printing the rows of `tifa diff` as a table, JSON, TSV or CSV.
 *
 * Owns: the diff output formats. The JSON contract (scripts rely on these names):
 *
 *     {"tifa": 1, "command": "diff",
 *      "a": {"paths": ["2021.txt"], "kind": "file", "documents": 1, "han": 2367},
 *      "b": {...},
 *      "alpha": 0.05, "critical": 3.84,
 *      "terms": [{"term": "四个意识", "direction": "+", "a_count": 1, "b_count": 5,
 *                 "a_per_10k": 4.2248, "b_per_10k": 20.1, "g2": 4.1, "p": 0.0428,
 *                 "log_ratio": 2.25, "pct_diff": 375.9, "significant": true}, ...]}
 *
 * JSON prints every number unrounded, in the shortest form that reads back to the same double
 * (report_json.h). The table, TSV and CSV round rates, G², Log Ratio and %DIFF to 4 decimals
 * and p to 6 significant digits (so they do not wobble with the last bits of libm). TSV and CSV
 * have one header line with the JSON key names, then one line per row. The table marks each
 * row with + (more in B), - (less) or = and, when @color, paints increases green and decreases
 * red; a * marks significant rows. Must not: compute or reorder rows (diff does).
 */
#ifndef TIFA_REPORT_DIFF_H
#define TIFA_REPORT_DIFF_H

#include <stdio.h>

#include "tifa/diff.h"
#include "tifa/report_format.h"

/** The formats --format accepts for diff: table, json, tsv, csv. */
extern const struct report_formats report_diff_formats;

/** Writes the rows in @fmt (one of report_diff_formats) to @out; @color: table colours. */
void report_diff(FILE *out, enum report_format fmt, const struct diff *d,
                 const struct diff_row *rows, size_t nrows, const struct diff_test *t, int color);

#endif
