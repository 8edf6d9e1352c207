/*
 * meta: document metadata tables and --where selections.
 *
 * How it works: a table is read whole (bounded by META_MAX_BYTES) and split into rows by the
 * csv reader; each row keeps a copy of its cells. Keys go into one strmap per table: a `file`
 * key as written, a `path` key as the file it resolves to (realpath(3) of the table's folder
 * joined with it; a path that does not exist keeps the joined spelling, so it simply names no
 * document). A document is looked up by its resolved path in `path` tables and by each of its
 * '/'-bounded endings ("a/b/c.txt", "b/c.txt", "c.txt") in `file` tables: a few hash lookups
 * per document and table, whatever the number of rows. realpath is called only when some table
 * has a `path` column.
 */
#include "tifa/meta.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <limits.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/csv.h"
#include "tifa/sbuf.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

void meta_init(struct meta *m)
{
    memset(m, 0, sizeof(*m));
}

static void table_release(struct meta_table *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t c = 0; c < t->ncols; c++)
            free(t->rows[i].values[c]);
        free(t->rows[i].values);
    }
    free(t->rows);
    free(t->field_of_col);
    free(t->path);
    strmap_release(&t->keys);
}

void meta_release(struct meta *m)
{
    for (size_t i = 0; i < m->ntables; i++)
        table_release(&m->tables[i]);
    free(m->tables);
    for (size_t i = 0; i < m->nfields; i++)
        free(m->fields[i]);
    free(m->fields);
    memset(m, 0, sizeof(*m));
}

size_t meta_field(const struct meta *m, const char *name)
{
    for (size_t i = 0; i < m->nfields; i++)
        if (!strcmp(m->fields[i], name))
            return i;
    return META_NO_FIELD;
}

static int read_whole(const char *path, struct sbuf *sb, struct tifa_err *e)
{
    char ebuf[128], chunk[65536];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f)
        return tifa_err_set(e, TIFA_EIO, path, 0, -1, "cannot open metadata table: %s",
                            tifa_strerror(errno, ebuf, sizeof(ebuf)));
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (sb->len + n > META_MAX_BYTES) {
            fclose(f);
            return tifa_err_set(e, TIFA_ELIMIT, path, 0, -1, "metadata table larger than %zu MiB",
                                META_MAX_BYTES >> 20);
        }
        sbuf_add(sb, chunk, n);
    }
    int bad = ferror(f);
    int err = errno;
    fclose(f);
    if (bad)
        return tifa_err_set(e, TIFA_EIO, path, 0, -1, "cannot read metadata table: %s",
                            tifa_strerror(err, ebuf, sizeof(ebuf)));
    return 0;
}

/* The text a table's document path resolves to: realpath when it exists, else as joined. */
static char *resolve_path(const char *dir, const char *p)
{
    struct sbuf sb = SBUF_INIT;
    if (p[0] != '/' && dir[0])
        sbuf_addf(&sb, "%s/", dir);
    sbuf_addstr(&sb, p);
    char *real = realpath(sb.buf, NULL);
    if (real) {
        sbuf_release(&sb);
        return real;
    }
    return sbuf_detach(&sb, NULL);
}

static int ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char a = s[n - k + i], b = suffix[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return 1;
}

static int read_header(struct meta *m, struct meta_table *t, const struct csv_row *row,
                       struct tifa_err *e)
{
    t->ncols = row->n;
    t->field_of_col = xmalloc(st_mult(row->n, sizeof(*t->field_of_col)));
    t->key_col = META_NO_FIELD;
    for (size_t c = 0; c < row->n; c++) {
        const char *name = row->field[c];
        for (size_t k = 0; k < c; k++)
            if (!strcmp(row->field[k], name))
                return tifa_err_set(e, TIFA_EDATA, t->path, row->line, -1,
                                    "column '%s' is repeated", name);
        if (!*name)
            return tifa_err_set(e, TIFA_EDATA, t->path, row->line, -1, "column %zu has no name",
                                c + 1);
        if ((!strcmp(name, "path") || !strcmp(name, "file")) && t->key_col == META_NO_FIELD) {
            t->key_col = c;
            t->by_path = !strcmp(name, "path");
            t->field_of_col[c] = META_NO_FIELD;
            continue;
        }
        size_t f = meta_field(m, name);
        if (f == META_NO_FIELD) {
            ALLOC_GROW(m->fields, m->nfields + 1, m->fields_alloc);
            f = m->nfields;
            m->fields[m->nfields++] = xstrdup(name);
        }
        t->field_of_col[c] = f;
    }
    if (t->key_col == META_NO_FIELD)
        return tifa_err_set(e, TIFA_EDATA, t->path, row->line, -1,
                            "no 'path' or 'file' column names the documents");
    return 0;
}

static int add_row(struct meta_table *t, const struct csv_row *row, const char *dir,
                   struct tifa_err *e)
{
    if (row->n != t->ncols)
        return tifa_err_set(e, TIFA_EDATA, t->path, row->line, -1,
                            "%zu cells where the header has %zu columns", row->n, t->ncols);
    const char *cell = row->field[t->key_col];
    if (!*cell)
        return tifa_err_set(e, TIFA_EDATA, t->path, row->line, -1, "empty '%s' cell",
                            t->by_path ? "path" : "file");
    char *key = t->by_path ? resolve_path(dir, cell) : xstrdup(cell);
    if (!t->by_path)
        while (!strncmp(key, "./", 2))
            memmove(key, key + 2, strlen(key + 2) + 1);
    int inserted;
    size_t *slot = strmap_put(&t->keys, key, strlen(key), t->nrows, &inserted);
    free(key);
    if (!inserted)
        return tifa_err_set(e, TIFA_EDATA, t->path, row->line, -1,
                            "'%s' names the same document as line %ld", cell, t->rows[*slot].line);
    ALLOC_GROW(t->rows, t->nrows + 1, t->rows_alloc);
    struct meta_row *r = &t->rows[t->nrows++];
    r->line = row->line;
    r->matched = 0;
    r->values = xmalloc(st_mult(row->n, sizeof(*r->values)));
    for (size_t c = 0; c < row->n; c++)
        r->values[c] = xstrdup(row->field[c]);
    r->key = r->values[t->key_col];
    return 0;
}

int meta_load_file(struct meta *m, const char *path, struct tifa_err *e)
{
    struct sbuf buf = SBUF_INIT;
    int rc = read_whole(path, &buf, e);
    if (rc) {
        sbuf_release(&buf);
        return rc;
    }
    size_t valid = utf8_valid_prefix((const unsigned char *)buf.buf, buf.len);
    const char *nul = memchr(buf.buf, '\0', buf.len);
    if (valid < buf.len || nul) {
        size_t off = nul && (size_t)(nul - buf.buf) < valid ? (size_t)(nul - buf.buf) : valid;
        long line = 1;
        for (size_t i = 0; i < off; i++)
            line += buf.buf[i] == '\n';
        sbuf_release(&buf);
        return tifa_err_set(e, TIFA_EDATA, path, line, (long long)off,
                            "metadata table is not UTF-8 text (save it as UTF-8 CSV or TSV)");
    }
    ALLOC_GROW(m->tables, m->ntables + 1, m->tables_alloc);
    struct meta_table *t = &m->tables[m->ntables++];
    memset(t, 0, sizeof(*t));
    t->path = xstrdup(path);
    strmap_init(&t->keys);
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, (size_t)(slash - path) + (slash == path)) : xstrdup("");

    struct csv_reader r;
    struct csv_row row;
    int header = 0;
    csv_reader_init(&r, buf.buf, buf.len, ends_with_ci(path, ".csv") ? ',' : '\t', t->path);
    while ((rc = csv_next_row(&r, &row, e)) > 0) {
        rc = header ? add_row(t, &row, dir, e) : read_header(m, t, &row, e);
        header = 1;
        if (rc)
            break;
    }
    if (!rc && !header)
        rc = tifa_err_set(e, TIFA_EDATA, path, 1, -1, "metadata table has no header");
    csv_reader_release(&r);
    free(dir);
    sbuf_release(&buf);
    return rc < 0 ? rc : 0;
}

size_t meta_match(struct meta *m, const char *doc_path, size_t *rows)
{
    size_t found = 0;
    char *real = NULL;
    int tried_real = 0;
    for (size_t t = 0; t < m->ntables; t++) {
        struct meta_table *tb = &m->tables[t];
        const size_t *row = NULL;
        rows[t] = META_NO_ROW;
        if (!strcmp(doc_path, "-"))
            continue;
        if (tb->by_path) {
            if (!tried_real) {
                real = realpath(doc_path, NULL);
                tried_real = 1;
            }
            if (real)
                row = strmap_get(&tb->keys, real, strlen(real));
        } else {
            const char *s = doc_path;
            while (!strncmp(s, "./", 2))
                s += 2;
            for (;;) {
                if ((row = strmap_get(&tb->keys, s, strlen(s))) != NULL)
                    break;
                const char *slash = strchr(s, '/');
                if (!slash)
                    break;
                s = slash + 1;
            }
        }
        if (row) {
            rows[t] = *row;
            tb->rows[*row].matched++;
            found++;
        }
    }
    free(real);
    return found;
}

const char *meta_value(const struct meta *m, const size_t *rows, size_t field)
{
    for (size_t t = 0; t < m->ntables; t++) {
        const struct meta_table *tb = &m->tables[t];
        if (rows[t] == META_NO_ROW)
            continue;
        for (size_t c = 0; c < tb->ncols; c++)
            if (tb->field_of_col[c] == field)
                return tb->rows[rows[t]].values[c];
    }
    return NULL;
}

int meta_where_parse(const struct meta *m, const char *arg, struct meta_where *w,
                     struct tifa_err *e)
{
    memset(w, 0, sizeof(*w));
    w->field = META_NO_FIELD;
    size_t k = strcspn(arg, "=~");
    if (!arg[k] || !k)
        return tifa_err_set(e, TIFA_EUSAGE, NULL, 0, -1,
                            "invalid value '%s' for --where (FIELD=VALUE or FIELD~REGEX)", arg);
    char *name = xstrndup(arg, k);
    w->field = meta_field(m, name);
    if (w->field == META_NO_FIELD) {
        struct sbuf known = SBUF_INIT;
        for (size_t i = 0; i < m->nfields; i++)
            sbuf_addf(&known, "%s%s", i ? ", " : "", m->fields[i]);
        tifa_err_set(e, TIFA_EUSAGE, NULL, 0, -1, "no metadata table has a field '%s' (fields: %s)",
                     name, m->nfields ? known.buf : "none");
        sbuf_release(&known);
        free(name);
        return TIFA_EUSAGE;
    }
    free(name);
    if (arg[k] == '=') {
        w->value = xstrdup(arg + k + 1);
        return 0;
    }
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)(arg + k + 1), PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof(msg));
        return tifa_err_set(e, TIFA_EUSAGE, NULL, 0, -1,
                            "invalid regex in --where '%s' at offset %zu: %s", arg, (size_t)off,
                            (const char *)msg);
    }
    w->re = re;
    return 0;
}

int meta_where_test(const struct meta_where *w, const char *value)
{
    if (!value)
        return 0;
    if (!w->re)
        return !strcmp(value, w->value);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(w->re, NULL);
    int rc = pcre2_match(w->re, (PCRE2_SPTR)value, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

void meta_where_release(struct meta_where *w)
{
    free(w->value);
    pcre2_code_free(w->re);
    memset(w, 0, sizeof(*w));
}
