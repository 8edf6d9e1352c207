/*
 * report_discover: the formats of `tifa discover`: table, json, jsonl, tsv, csv and lexicon.
 *
 * Owns: how a candidate looks in each format (keys and columns, their order, the JSON
 * envelope), and the lexicon form (a TSV `tifa count --lexicon` reads as it is: term, category
 * discovered:KIND, the example as gloss, the evidence as source). Must not: find, filter or
 * order candidates (discover.h does), read input or pick exit codes.
 *
 * JSON: {"tifa": 1, "command": "discover", "kinds": [...], "min_docs": N, "totals": {...},
 * "reference": {...} (with --reference), "candidates": [...], "skipped": [...], "errors":
 * [...]}; a candidate has phrase, kind, rule (numbered only), count, documents,
 * first_documents (paths), first_period (null when no document has a date), example, known,
 * and with a reference reference_count, g2, log_ratio, new. jsonl is the candidates alone.
 */
#ifndef TIFA_REPORT_DISCOVER_H
#define TIFA_REPORT_DISCOVER_H

#include <stdint.h>
#include <stdio.h>

#include "tifa/discover.h"
#include "tifa/note.h"
#include "tifa/pathlist.h"
#include "tifa/report_format.h"

extern const struct report_formats report_discover_formats;

/* What the report says besides the candidates. */
struct discover_summary {
    unsigned kinds;
    uint32_t min_docs;
    uint64_t documents, han;
    int has_reference;
    uint64_t reference_documents, reference_han;
    size_t top;                    /* the candidates shown: 0 = all */
    struct pathlist_cursor *paths; /* reads the target's documents, by input index */
    const struct disc_rules *rules;
    const struct note_list *skipped, *errors;
};

/** Writes @t's candidates (ranked) in format @f to @out. */
void report_discover(FILE *out, enum report_format f, const struct disc_table *t,
                     const struct discover_summary *s);

#endif
