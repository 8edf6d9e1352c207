/*
 * report_count: the formats of `tifa count` and `tifa merge`.
 *
 * Owns: the count family's table of formats (table, json, jsonl, tsv, csv, in the order
 * messages list them), each pointing at one struct report_ops. Must not: format anything itself.
 */
#ifndef TIFA_REPORT_COUNT_H
#define TIFA_REPORT_COUNT_H

#include "tifa/report.h"
#include "tifa/report_format.h"

/** The formats --format accepts for count and merge. */
extern const struct report_formats report_count_formats;

/** The operations of format @f, which must be one of report_count_formats. */
const struct report_ops *report_count_ops(enum report_format f);

#endif
