/*
 * report_kwic: the formats of `tifa kwic`: table (aligned, optionally coloured), json, jsonl,
 * tsv and csv, written one record at a time.
 *
 * Owns: how a concordance record looks in each format (field names and order, the ⏎ for line
 * breaks and the column alignment of the table, the JSON envelope). Must not: cut contexts,
 * order or sample records (kwic.h does), read input or pick exit codes.
 *
 * Records: path, line, column, offset, offset_in ("file": a byte offset in the file as read;
 * "decoded": in the decoded UTF-8 text, for other encodings and for matches after an invalid
 * byte of UTF-8),
 * term, match, left, right, and with sentences sentence. JSON and jsonl carry the text as
 * written (line breaks as \n); TSV escapes and CSV quotes it (report.h); the table shows each
 * line break as ⏎, a tab as a space and other control characters as U+FFFD, so text never
 * moves the terminal's cursor. jsonl is the records alone, a line each, so `jq .right` sees
 * only records; skipped and unreadable inputs are on stderr and in the exit status.
 *
 * Table: `PATH:LINE:COLUMN  LEFT MATCH RIGHT`, the prefix padded to report_kwic.prefix_cols
 * (raised when a wider one comes, so alignment holds unless a later line number is longer) and
 * the left context right-aligned in the context width, so matches stand in one column. With
 * sentences nothing is padded after the prefix.
 *
 * Expansions (kwic --expansions): the record of a sentence that spells an entry out has the
 * entry's label as its term, the span from its first component to the end of its last as its
 * match, and the rest of the sentence as left and right. JSON adds "kind": "expansion",
 * "entry" (the entry's id) and "components" (each {"component": as the lexicon writes it,
 * "text": as written}, in text order); records of matches carry no "kind". The table colours
 * each component (instead of the whole match) and ends the line with [spelled out: TERM];
 * tsv and csv get a last column kind (match or expansion).
 */
#ifndef TIFA_REPORT_KWIC_H
#define TIFA_REPORT_KWIC_H

#include <stdint.h>
#include <stdio.h>

#include "tifa/kwic.h"
#include "tifa/lexicon.h"
#include "tifa/note.h"
#include "tifa/report_format.h"
#include "tifa/sbuf.h"

extern const struct report_formats report_kwic_formats;

/* Where a record's document is, for the reporter. */
struct kwic_where {
    const char *path;
    uint64_t offset; /* the match's offset as the record reports it */
    int decoded;     /* offset_in "decoded" instead of "file" */
};

struct kwic_report_ops;

struct report_kwic {
    FILE *out;
    const struct kwic_report_ops *ops;
    enum report_format format;
    const struct lexicon *lx;
    const unsigned char *literal; /* per label id: 1 when searched as a literal (NULL: none) */
    const unsigned char *shown;   /* per label id: 1 when shown (NULL: all) */
    unsigned width;
    int sentence;
    int expansions; /* tsv, csv: the kind column */
    int color;
    size_t prefix_cols; /* table: width of PATH:LINE:COLUMN */
    uint64_t nrecords;
    struct sbuf line, scratch;
};

/** Sets @r up for format @f, one of report_kwic_formats. */
void report_kwic_init(struct report_kwic *r, FILE *out, enum report_format f,
                      const struct lexicon *lx);
/** Display columns of the table prefix of a record at @path, @line, @column. */
size_t report_kwic_prefix_cols(const char *path, uint64_t line, uint64_t column);
void report_kwic_begin(struct report_kwic *r);
void report_kwic_record(struct report_kwic *r, const struct kwic_rec *rec,
                        const struct kwic_where *w);
/** Ends the output: totals (documents read, records found before --max and --sample),
 *  skipped and unreadable inputs; releases the reporter's memory. */
void report_kwic_end(struct report_kwic *r, uint64_t documents, uint64_t found,
                     const struct note_list *skipped, const struct note_list *errors);

#endif
