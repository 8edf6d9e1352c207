/*
 * csv: delimited tables read row by row, CSV by RFC 4180 and TSV as spreadsheets export it.
 *
 * Owns: splitting a buffer of UTF-8 (already decoded) into rows of fields, unquoting them, and
 * counting lines for messages. Must not: read files, decode encodings, or know what any column
 * means (the lexicon and the metadata tables give the columns their meaning), or write tables
 * (report_csv_field does).
 *
 * Rules, for both separators:
 * - A field that starts with a double quote is quoted: it runs to the next quote that is not
 *   doubled, may hold separators and line breaks, and "" inside it stands for one quote.
 * - Rows end at LF or CRLF (a CR elsewhere is data). A leading UTF-8 byte-order mark is skipped.
 *   Lines that are empty (no byte at all) are not rows; a line of separators is a row of empty
 *   fields. With r.comment set, comment lines are not rows either (lexicons use '#').
 * Differences (CSV must be well formed; TSV comes from hand-edited files as often as from
 * spreadsheets, and tifa's own TSV never quoted):
 * - CSV: a quote inside an unquoted field, text after a closing quote, or a quote never closed
 *   is refused ("FILE:LINE: ..." where LINE is the line the field began on).
 * - TSV: a field is taken as quoted only when its closing quote is followed by a tab or the
 *   end of the line; otherwise the quote is a literal character of the field, as before.
 *
 *     struct csv_reader r;
 *     struct csv_row row;
 *     csv_reader_init(&r, buf, len, ',', "meta.csv");
 *     while ((rc = csv_next_row(&r, &row, &err)) > 0)
 *         use(row.field[0] ... row.field[row.n - 1], row.line);
 *     csv_reader_release(&r);       rc == 0 at the end, < 0 with err filled
 */
#ifndef TIFA_CSV_H
#define TIFA_CSV_H

#include <stddef.h>

#include "tifa/err.h"
#include "tifa/sbuf.h"

struct csv_reader {
    const char *p, *end;
    char sep;         /* ',' or '\t' */
    const char *path; /* for messages; not owned */
    char comment;     /* 0, or a byte that makes a line a comment when it comes first after
                         spaces only (set after init): such lines are skipped like empty ones,
                         only where a row would begin (never inside a quoted field) */
    long line;        /* line of the next byte at p (1-based) */
    struct sbuf text; /* the current row's fields, each NUL-terminated */
    size_t *starts;   /* offsets of the fields in text */
    char **fields;    /* pointers handed out in csv_row */
    size_t cap;
};

struct csv_row {
    char **field; /* NUL-terminated, valid until the next csv_next_row or release */
    size_t n;     /* at least 1 */
    long line;    /* line the row begins on */
};

/** Reads @len bytes at @buf (not copied: keep them alive) as a table separated by @sep. */
void csv_reader_init(struct csv_reader *r, const char *buf, size_t len, char sep, const char *path);

/** Reads the next row into @row: 1, 0 at the end, or TIFA_EDATA with @e naming FILE:LINE. */
int csv_next_row(struct csv_reader *r, struct csv_row *row, struct tifa_err *e);

void csv_reader_release(struct csv_reader *r);

#endif
