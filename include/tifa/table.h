/*
 * table: an aligned plain-text table, measured in display columns (a Han character is two).
 *
 * Invariants: a table has a fixed number of columns, each left- or right-aligned; cells are
 * added left to right, a row is complete every ncols cells, and a header is just the first row.
 * Rendering pads every cell to the widest cell of its column (utf8_str_cols) and joins cells
 * with two spaces, with two rules that keep lines free of trailing blanks: a left-aligned last
 * column is not padded, and TABLE_TRIM strips the blanks a line still ends with (empty cells at
 * the end). Cells are copied; the table owns them until table_release(). Cells are not escaped:
 * callers escape paths (report_tsv_escape) before adding them.
 *
 *     struct table t;
 *     static const enum table_align al[] = {TABLE_LEFT, TABLE_RIGHT};
 *     table_init(&t, 2, al, 0);
 *     table_add(&t, "TERM"), table_add(&t, "COUNT");
 *     table_add(&t, "两个维护"), table_addf(&t, "%d", 12);
 *     table_print(&t, stdout);    ->  "TERM      COUNT\n两个维护     12\n"
 *     table_release(&t);
 *
 * Used by count's table (report_table.c), diff's and trend's tables and `tifa lexicon`.
 */
#ifndef TIFA_TABLE_H
#define TIFA_TABLE_H

#include <stdio.h>

#include "tifa/sbuf.h"

enum table_align { TABLE_LEFT = 0, TABLE_RIGHT };

enum table_flags {
    TABLE_TRIM = 1 << 0 /* strip trailing blanks from every line */
};

struct table {
    size_t ncols;
    enum table_align *align; /* ncols */
    unsigned flags;
    struct sbuf text; /* every cell, NUL-terminated, one after another */
    size_t *cell_off; /* ncells offsets into text */
    size_t ncells, cells_alloc;
    struct table_wrap { /* per row: written before and after the line (borrowed) */
        const char *pre, *post;
    } * wrap;
    size_t wrap_alloc;
};

/** Sets up an empty table of @ncols columns aligned as @align says (copied); @flags: TABLE_*. */
void table_init(struct table *t, size_t ncols, const enum table_align *align, unsigned flags);
/** Frees the cells; the table can be set up again with table_init(). */
void table_release(struct table *t);

/** Appends one cell (copied) to the current row; a row is complete after ncols cells. */
void table_add(struct table *t, const char *cell);
/** table_add() of a printf-formatted cell. */
void table_addf(struct table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Appends a whole row: @cells holds ncols strings (copied). */
void table_add_row(struct table *t, const char *const *cells);
/**
 * Writes @pre before and @post after the line of the current row (the one the next cell
 * would complete, or the last complete one), outside the padding: for colour escapes, which
 * take no columns. @pre and @post are borrowed and must outlive the table (string literals).
 */
void table_wrap_row(struct table *t, const char *pre, const char *post);

/** The number of complete rows (the header counts). */
size_t table_rows(const struct table *t);

/** Appends the rendered table (one '\n'-terminated line per complete row) to @out. */
void table_render(const struct table *t, struct sbuf *out);
/** Writes the rendered table to @out; write errors are left for the caller's ferror(). */
void table_print(const struct table *t, FILE *out);

#endif
