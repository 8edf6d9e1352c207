/*
 * report: one reporter interface for `tifa count` (begin / document / end), one implementation
 * per format: report_json.c (json, jsonl), report_table.c (table), report_tsv.c (tsv, csv).
 *
 * Owns: the formatting of results and escaping of paths (JSON stays valid for paths that are
 * not UTF-8; TSV escapes tabs, newlines, backslashes and invalid bytes; CSV quotes as RFC 4180).
 * Must not: compute or reorder results (agg does), decide exit codes, or read input.
 * Output goes to a FILE * the caller owns; write errors are left for the caller to detect with
 * ferror()/fclose().
 */
#ifndef TIFA_REPORT_H
#define TIFA_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "tifa/agg.h"
#include "tifa/lexicon.h"
#include "tifa/sbuf.h"
#include "tifa/walk.h"

enum report_format { FMT_TABLE = 0, FMT_JSON, FMT_JSONL, FMT_TSV, FMT_CSV, FMT_SVG };

/** Parses a --format value against the formats a command allows (bit mask of 1 << format). */
int report_format_parse(const char *s, unsigned allowed, enum report_format *out);
/** The name of a format as --format spells it ("table", "json", ...). */
const char *report_format_name(enum report_format f);

struct json_t;
/**
 * Writes @prefix, @v dumped on one line (rates with 12 significant digits, keys in insertion
 * order), then @suffix, to @out; takes the reference to @v. The JSON reporters of every command
 * share it so that their number formatting cannot drift apart.
 */
void report_json_put(FILE *out, struct json_t *v, const char *prefix, const char *suffix);

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

struct report {
    FILE *out;
    enum report_format format;
    const struct lexicon *lx;
    const char *command;       /* "count" or "merge" */
    const struct report_lexinfo *lexinfo; /* NULL = describe lx (borrowed; see above) */
    int per_doc;               /* table: per-document rows */
    enum agg_sort sort;
    uint64_t min_count;
    size_t top;
    size_t ndocs;              /* documents reported so far */
    struct sbuf scratch;
    /* table: per-document rows are buffered to align them */
    struct agg_doc *docs;
    size_t ndocs_buf, docs_alloc;
};

void report_init(struct report *r, FILE *out, enum report_format f, const struct lexicon *lx,
                 const char *command);
void report_begin(struct report *r);
void report_document(struct report *r, const struct agg_doc *doc);
/** Writes totals, terms, skipped and errors, then releases the reporter's memory. */
void report_end(struct report *r, const struct agg_total *tot, const struct walk_note *skipped,
                size_t nskipped, const struct walk_note *errors, size_t nerrors);

/* Implementations (one file each). */
void report_json_begin(struct report *r);
void report_json_document(struct report *r, const struct agg_doc *doc);
void report_json_end(struct report *r, const struct agg_total *tot, const struct walk_note *sk,
                     size_t nsk, const struct walk_note *er, size_t ner);
void report_table_document(struct report *r, const struct agg_doc *doc);
void report_table_end(struct report *r, const struct agg_total *tot, const struct walk_note *sk,
                      size_t nsk, const struct walk_note *er, size_t ner);
void report_tsv_begin(struct report *r);
void report_tsv_document(struct report *r, const struct agg_doc *doc);

/** Appends @s with each invalid UTF-8 sequence replaced by U+FFFD (for JSON strings). */
void report_utf8_sanitize(struct sbuf *out, const char *s);
/** A new JSON string of @s, sanitized as report_utf8_sanitize does (jansson refuses bad UTF-8). */
json_t *report_json_string(const char *s);
/** Appends @s escaped for TSV: \t \n \r \\ as backslash escapes, invalid UTF-8 bytes as \xNN. */
void report_tsv_escape(struct sbuf *out, const char *s);
/** Appends @s as one CSV field (RFC 4180: quoted when it holds , " CR or LF). */
void report_csv_field(struct sbuf *out, const char *s);
/** Appends @s padded with spaces to @cols display columns (left or right aligned). */
void report_pad(struct sbuf *out, const char *s, size_t cols, int right);

#endif
