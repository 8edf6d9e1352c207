/*
 * csv: delimited tables read row by row (RFC 4180 for CSV; quoted fields in TSV).
 *
 * How it works: one pass over the caller's buffer. Each field is appended to r->text followed
 * by a NUL, and its start offset kept; at the end of the row the offsets become pointers (the
 * text may move while it grows, so pointers are made only once the row is complete). Fields
 * are copied because unquoting changes them ("" becomes "); a table is small next to the
 * corpus, so the copy costs nothing that matters. r->line counts every LF consumed, including
 * those inside quoted fields, so the line of a later row is its line in the file.
 */
#include "tifa/csv.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/xalloc.h"

void csv_reader_init(struct csv_reader *r, const char *buf, size_t len, char sep, const char *path)
{
    memset(r, 0, sizeof(*r));
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        buf += 3, len -= 3;
    r->p = buf;
    r->end = buf + len;
    r->sep = sep;
    r->path = path;
    r->line = 1;
    sbuf_init(&r->text);
}

void csv_reader_release(struct csv_reader *r)
{
    sbuf_release(&r->text);
    free(r->starts);
    free(r->fields);
    memset(r, 0, sizeof(*r));
}

static void start_field(struct csv_reader *r, size_t n)
{
    if (n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->starts = xreallocarray(r->starts, r->cap, sizeof(*r->starts));
        r->fields = xreallocarray(r->fields, r->cap, sizeof(*r->fields));
    }
    r->starts[n] = r->text.len;
}

static int at_row_end(const struct csv_reader *r, const char *q)
{
    return q == r->end || *q == '\n' || (*q == '\r' && q + 1 < r->end && q[1] == '\n');
}

/* The end of the quoted field opening at @q (one past its closing quote), or NULL when it is
 * not closed; *lines gets the line breaks inside. */
static const char *quoted_end(const struct csv_reader *r, const char *q, long *lines)
{
    *lines = 0;
    for (q++; q < r->end; q++) {
        if (*q == '"') {
            if (q + 1 < r->end && q[1] == '"') {
                q++;
                continue;
            }
            return q + 1;
        }
        *lines += *q == '\n';
    }
    return NULL;
}

static void add_unquoted(struct csv_reader *r, const char *from, const char *to)
{
    for (const char *q = from + 1; q < to - 1; q++) {
        sbuf_addch(&r->text, *q);
        if (*q == '"')
            q++; /* the second quote of a pair */
    }
}

/* A comment line starts at r->p (the start of a line). */
static int is_comment(const struct csv_reader *r)
{
    const char *q = r->p;
    if (!r->comment)
        return 0;
    while (q < r->end && *q == ' ')
        q++;
    return q < r->end && *q == r->comment;
}

int csv_next_row(struct csv_reader *r, struct csv_row *row, struct tifa_err *e)
{
    for (;;) {
        while (r->p < r->end &&
               (*r->p == '\n' || (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n'))) {
            r->p += *r->p == '\r' ? 2 : 1;
            r->line++;
        }
        if (!is_comment(r))
            break;
        const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
        r->p = nl ? nl : r->end;
    }
    if (r->p >= r->end)
        return 0;
    sbuf_reset(&r->text);
    row->line = r->line;
    size_t n = 0;
    const char *q = r->p;
    for (;;) {
        start_field(r, n);
        const char *end = NULL;
        long lines = 0;
        if (q < r->end && *q == '"') {
            end = quoted_end(r, q, &lines);
            if (end && !(at_row_end(r, end) || *end == r->sep)) {
                if (r->sep == ',')
                    return tifa_err_set(e, TIFA_EDATA, r->path, r->line, -1,
                                        "text after the closing quote of field %zu", n + 1);
                end = NULL; /* TSV: a quote that does not close a field is a character */
            } else if (!end && r->sep == ',') {
                return tifa_err_set(e, TIFA_EDATA, r->path, r->line, -1,
                                    "quoted field %zu is never closed", n + 1);
            }
        }
        if (end) {
            add_unquoted(r, q, end);
            r->line += lines;
            q = end;
        } else {
            const char *s = q;
            while (!at_row_end(r, q) && *q != r->sep)
                q++;
            if (r->sep == ',' && memchr(s, '"', (size_t)(q - s)))
                return tifa_err_set(e, TIFA_EDATA, r->path, r->line, -1,
                                    "quote inside unquoted field %zu (quote the whole field "
                                    "and double the quote)",
                                    n + 1);
            sbuf_add(&r->text, s, (size_t)(q - s));
        }
        sbuf_addch(&r->text, '\0');
        n++;
        if (q < r->end && *q == r->sep) {
            q++;
            continue;
        }
        break;
    }
    if (q < r->end) {
        q += *q == '\r' ? 2 : 1;
        r->line++;
    }
    r->p = q;
    for (size_t i = 0; i < n; i++)
        r->fields[i] = r->text.buf + r->starts[i];
    row->field = r->fields;
    row->n = n;
    return 1;
}
