/*
 * report: the reporter interface of `tifa count` and `tifa merge` (begin / document / end),
 * and the escaping and rounding helpers every format of every command shares.
 *
 * A reporter is a const struct report_ops, one per format: report_table.c (table),
 * report_json.c (json, jsonl), report_tsv.c (tsv, csv). report_count.c gathers them in the
 * count family's table (report_format.h), which is how --format names them. Each operation may
 * be NULL (nothing to do at that step).
 *
 * Owns: the formatting of results and escaping of paths (JSON stays valid for paths that are
 * not UTF-8; TSV escapes tabs, newlines, backslashes and invalid bytes; CSV quotes as RFC 4180).
 * Must not: compute or reorder results (agg does), decide exit codes, or read input. jansson
 * stays out of this header: report_json.h is the JSON side.
 * Output goes to a FILE * the caller owns; write errors are left for the caller to detect with
 * ferror()/fclose().
 */
#ifndef TIFA_REPORT_H
#define TIFA_REPORT_H

#include <stdio.h>

#include "tifa/agg.h"
#include "tifa/lexicon.h"
#include "tifa/note.h"
#include "tifa/report_format.h"
#include "tifa/sbuf.h"

/*
 * What the JSON header says about the lexicon. report_json takes it from the lexicon unless
 * report.lexinfo is set: `tifa merge` sets it to the union of its inputs' sources, because its
 * label table holds only the terms the reports name.
 */
struct report_lexinfo {
    uint64_t terms, entries;
    const char *const *sources;
    size_t nsources;
};

struct report;

/* One format of count's reporter. */
struct report_ops {
    struct report_format_def def; /* first: the family table points at it */
    void (*begin)(struct report *r);
    void (*document)(struct report *r, const struct agg_doc *doc);
    /* totals, terms, skipped and errors */
    void (*end)(struct report *r, const struct agg_total *tot, const struct note_list *skipped,
                const struct note_list *errors);
};

struct report {
    FILE *out;
    const struct report_ops *ops;
    enum report_format format; /* ops->def.format */
    const struct lexicon *lx;
    const char *command;                  /* "count" or "merge" */
    const struct report_lexinfo *lexinfo; /* NULL = describe lx (borrowed; see above) */
    int per_doc;                          /* table: per-document rows */
    enum agg_sort sort;
    uint64_t min_count;
    size_t top;
    size_t ndocs;            /* documents reported so far */
    int senses;              /* the run read senses (a resolver): json has "senses" */
    int expansions;          /* --expansions: json "expansions", a table column, tsv/csv rows */
    unsigned partial;        /* --partial K: json "partial" */
    struct json_t *settings; /* json: what shaped the counts (settings.h), written after
                                "lexicon" when not NULL (borrowed) */
    struct json_t *totals_read_json; /* merge: the summed reading keys of the reports' totals
                                        (borrowed), written as they are */
    struct sbuf scratch;
    /* table: per-document rows are buffered to align them */
    struct agg_doc *docs;
    size_t ndocs_buf, docs_alloc;
};

/** Sets up @r to write @ops's format to @out (see report_count_ops() for --format values). */
void report_init(struct report *r, FILE *out, const struct report_ops *ops,
                 const struct lexicon *lx, const char *command);
void report_begin(struct report *r);
void report_document(struct report *r, const struct agg_doc *doc);
/** Writes totals, terms, skipped and errors, then releases the reporter's memory. */
void report_end(struct report *r, const struct agg_total *tot, const struct note_list *skipped,
                const struct note_list *errors);

/** Keeps a copy of @doc's path, sizes and counts in @r->docs (formats that print documents at
 *  the end: the per-document table, the matrix); report_release_docs frees them. */
void report_keep_doc(struct report *r, const struct agg_doc *doc);
void report_release_docs(struct report *r);

/* The formats (one file each), gathered in report_count.c. */
extern const struct report_ops report_table_ops, report_json_ops, report_jsonl_ops, report_tsv_ops,
    report_csv_ops, report_matrix_ops, report_matrix_csv_ops;

/** Appends @s with each invalid UTF-8 sequence replaced by U+FFFD (for JSON strings). */
void report_utf8_sanitize(struct sbuf *out, const char *s);
/** Appends @s escaped for TSV: \t \n \r \\ as backslash escapes, invalid UTF-8 bytes as \xNN. */
void report_tsv_escape(struct sbuf *out, const char *s);
/** Appends @s as one CSV field (RFC 4180: quoted when it holds , " CR or LF). */
void report_csv_field(struct sbuf *out, const char *s);
/** Appends @s as a CSV field when @csv, else escaped for TSV. */
void report_sv_field(struct sbuf *out, int csv, const char *s);
/** Writes the header line of a TSV or CSV (@csv) table: @keys joined, then the line end. */
void report_sv_header(FILE *out, const char *const *keys, size_t n, int csv);

/*
 * Rounding as the table, TSV, CSV and SVG print numbers (so that they do not wobble with the
 * last bits of libm); JSON prints numbers unrounded.
 */
/** @x rounded to 4 decimals, never -0: report_round4(4.22484) == 4.2248. */
double report_round4(double x);
/** @x rounded to 6 significant digits: report_round_sig6(0.04275361) == 0.0427536. */
double report_round_sig6(double x);

#endif
