/*
 * meta: document metadata tables (--meta), the documents they name, and --where selections.
 *
 * Owns: the tables read from CSV or TSV files (csv.h), the union of their fields, finding the
 * rows that name a document, and testing a document's fields against FIELD=VALUE and
 * FIELD~REGEX (pcre2). Must not: walk folders, count, or print; the commands decide what an
 * unmatched row or document means to the user.
 *
 * A table has a header. One column names the document: `path` (a path relative to the table's
 * folder, or absolute; compared by the file it resolves to, so "../x/a.txt" and "/abs/x/a.txt"
 * are the same document) or `file` (a file name, or the end of a path: "a.txt" or "2019/a.txt",
 * matched against the end of each document's path at a '/' boundary). Every other column is a
 * field. A table is CSV when its name ends in .csv, TSV otherwise (the manifests in TSV). Two rows
 * of one table naming the same document are refused; a malformed table is refused with
 * FILE:LINE (TIFA_EDATA).
 *
 * Several tables: a document takes the fields of every table that names it; when two tables
 * give one field, the table named first wins. A field a document's rows do not give is absent
 * (NULL), which is not the same as an empty cell ("").
 *
 *     struct meta m;
 *     meta_init(&m);
 *     meta_load_file(&m, "manifests/xwlb.tsv", &err);
 *     size_t rows[m.ntables];               // one row index per table, META_NO_ROW if none
 *     if (meta_match(&m, "public/xwlb/20120705.txt", rows))
 *         date = meta_value(&m, rows, meta_field(&m, "date"));
 *     meta_release(&m);
 */
#ifndef TIFA_META_H
#define TIFA_META_H

#include <stddef.h>

#include "tifa/err.h"
#include "tifa/strmap.h"

#define META_NO_ROW ((size_t)-1)
#define META_NO_FIELD ((size_t)-1)
/* A table is read whole: larger files are refused (a metadata table is a few MiB at most). */
#define META_MAX_BYTES ((size_t)256 << 20)

struct meta_row {
    long line;      /* in the table file */
    char *key;      /* the path or file cell as written */
    char **values;  /* one per column of the table (the key column's too) */
    size_t matched; /* documents this row named (meta_match counts them) */
};

struct meta_table {
    char *path;           /* as given to meta_load_file */
    int by_path;          /* the key column is `path` (else `file`) */
    size_t key_col;       /* column of the key */
    size_t ncols;         /* columns in the header */
    size_t *field_of_col; /* column -> index in meta.fields (META_NO_FIELD for the key) */
    struct meta_row *rows;
    size_t nrows, rows_alloc;
    struct strmap keys; /* key (resolved path, or file cell) -> row index */
};

struct meta {
    struct meta_table *tables;
    size_t ntables, tables_alloc;
    char **fields; /* every table's fields, in order of first appearance */
    size_t nfields, fields_alloc;
};

void meta_init(struct meta *m);
void meta_release(struct meta *m);

/** Reads the table at @path (UTF-8, a byte-order mark allowed). TIFA_EIO when it cannot be
 *  read, TIFA_EDATA with FILE:LINE when it is malformed (no `path` or `file` column, a repeated
 *  column, a row with a different number of cells, two rows naming one document). */
int meta_load_file(struct meta *m, const char *path, struct tifa_err *e);

/** The index of field @name in m->fields, or META_NO_FIELD. */
size_t meta_field(const struct meta *m, const char *name);

/**
 * Fills @rows (m->ntables entries) with the row of each table that names the document at
 * @doc_path (META_NO_ROW where a table does not), counts the match in each row found, and
 * returns how many tables name it. Standard input ("-") is named by none.
 */
size_t meta_match(struct meta *m, const char *doc_path, size_t *rows);

/** The value of field @field for a document whose rows are @rows, or NULL when absent. */
const char *meta_value(const struct meta *m, const size_t *rows, size_t field);

/* A --where test: FIELD=VALUE (the value exactly) or FIELD~REGEX (pcre2, UTF). */
struct meta_where {
    size_t field;
    char *value; /* =: the value */
    void *re;    /* ~: the compiled pattern (pcre2_code_8), else NULL */
};

/** Parses @arg as FIELD=VALUE or FIELD~REGEX against @m's fields. TIFA_EUSAGE with a message
 *  when it has neither form, names no field of the tables, or the regex does not compile. */
int meta_where_parse(const struct meta *m, const char *arg, struct meta_where *w,
                     struct tifa_err *e);
/** Whether @value (NULL: the field is absent, which never matches) passes @w. */
int meta_where_test(const struct meta_where *w, const char *value);
void meta_where_release(struct meta_where *w);

#endif
