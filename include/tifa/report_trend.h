/*
 * report_trend: printing `tifa trend` as a table, JSON, TSV, CSV or an SVG line chart.
 *
 * Owns: the trend output formats. The JSON contract:
 *
 *     {"tifa": 1, "command": "trend", "key": "year", "measure": "count",
 *      "periods": [{"period": "2019", "documents": 2, "han": 5210}, ...],
 *      "unkeyed": ["speeches/undated.txt"],
 *      "terms": [{"term": "两个维护", "category": "party", "count": 9, "documents": 4,
 *                 "first": {"period": "2019", "document": "speeches/2019-a.txt"},
 *                 "last": {"period": "2021", "document": "speeches/2021-b.txt"},
 *                 "cells": [{"period": "2019", "count": 3, "documents": 1,
 *                            "per_10k": 5.7582, "share": 0.5}, ...]}, ...],
 *      "skipped": [...], "errors": [...]}
 *
 * "first"/"last" are null for a term that never appears (asked for with --term). per_10k is
 * per 10,000 Han characters of the period, share the fraction of the period's documents that
 * use the term; JSON prints them unrounded (report_json.h), the other formats rounded to 4
 * decimals. TSV/CSV are long: one line per
 * (term, period) with the keys term, period, count, documents, per_10k, share. The table and
 * the SVG show the measure chosen (count, documents, per_10k or share).
 *
 * The SVG is self-contained (no scripts, fonts by family name only): one polyline per term,
 * y axis from 0 to a rounded maximum with 5 ticks, one x tick per period, a legend with the
 * terms, axis titles. Every plotted point is a <circle> carrying data-term, data-period and
 * data-value (the number plotted, rounded as in TSV), so tests and scripts can check the
 * drawing against the data (report_svg.c draws). Must not: compute (trend does) or reorder.
 */
#ifndef TIFA_REPORT_TREND_H
#define TIFA_REPORT_TREND_H

#include <stdio.h>

#include "tifa/lexicon.h"
#include "tifa/note.h"
#include "tifa/report_format.h"
#include "tifa/trend.h"

/** The formats --format accepts for trend: table, json, tsv, csv, svg. */
extern const struct report_formats report_trend_formats;

/* --group-by: one trend per value of a metadata field */
struct report_trend_group {
    const char *value; /* NULL: the documents without the field */
    const struct trend *t;
};

struct report_trend {
    FILE *out;
    enum report_format format; /* table, json, tsv, csv or svg */
    enum trend_measure measure;
    const char *key_rule; /* "year" or "regex" */
    const struct lexicon *lx;
    const struct trend *t;
    const uint32_t *labels; /* the rows, in order */
    size_t nlabels;
    const struct note_list *skipped, *errors;
    const struct report_trend_group *groups; /* --group-by (json, table, tsv, csv), else NULL */
    size_t ngroups;
    const char *group_field;
};

/** Writes the whole trend report in r->format, one of report_trend_formats. */
void report_trend(const struct report_trend *r);

#endif
