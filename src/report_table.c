/*
 * report_table: the human-readable summary, columns aligned by display width.
 *
 * How it works: rows are formatted into strings first, the widest cell of each column is
 * measured with utf8_str_cols (a Han character is two columns), then every cell is padded;
 * numbers are right-aligned, text left-aligned. Per-document rows (--per-doc) are kept until
 * the end so that they align with each other.
 */
#include <stdlib.h>
#include <string.h>

#include "tifa/report.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

#define MAXCOLS 6

struct table {
    char **cells;    /* nrows * ncols */
    size_t nrows, alloc, ncols;
    int right[MAXCOLS];
};

static void table_add(struct table *t, const char *const *cells)
{
    ALLOC_GROW(t->cells, (t->nrows + 1) * t->ncols, t->alloc);
    for (size_t c = 0; c < t->ncols; c++)
        t->cells[t->nrows * t->ncols + c] = xstrdup(cells[c]);
    t->nrows++;
}

static void table_print(struct table *t, FILE *out)
{
    size_t w[MAXCOLS] = {0};
    struct sbuf line = SBUF_INIT;
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        size_t cols = utf8_str_cols(t->cells[i], strlen(t->cells[i]));
        if (cols > w[i % t->ncols])
            w[i % t->ncols] = cols;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        sbuf_reset(&line);
        for (size_t c = 0; c < t->ncols; c++) {
            if (c)
                sbuf_addstr(&line, "  ");
            /* the last column is not padded on the right: no trailing blanks */
            report_pad(&line, t->cells[r * t->ncols + c], c + 1 == t->ncols && !t->right[c] ? 0 : w[c],
                       t->right[c]);
        }
        sbuf_addch(&line, '\n');
        fwrite(line.buf, 1, line.len, out);
    }
    sbuf_release(&line);
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
}

static void fmt_rate(char *buf, size_t len, double x)
{
    snprintf(buf, len, "%.2f", x);
}

void report_table_document(struct report *r, const struct agg_doc *doc)
{
    if (!r->per_doc)
        return;
    ALLOC_GROW(r->docs, r->ndocs_buf + 1, r->docs_alloc);
    struct agg_doc *d = &r->docs[r->ndocs_buf++];
    *d = *doc;
    d->path = xstrdup(doc->path);
    d->head = NULL;
    d->head_len = 0;
    d->counts = xmalloc(st_mult(doc->ncounts + 1, sizeof(*doc->counts)));
    memcpy(d->counts, doc->counts, doc->ncounts * sizeof(*doc->counts));
}

static void print_per_doc(struct report *r)
{
    struct table t = {NULL, 0, 0, 5, {0, 0, 1, 1, 1}};
    const char *head[] = {"DOCUMENT", "TERM", "COUNT", "PER 10K", "HAN"};
    char cnt[32], rate[32], han[32];
    struct sbuf path = SBUF_INIT;
    table_add(&t, head);
    for (size_t i = 0; i < r->ndocs_buf; i++) {
        const struct agg_doc *d = &r->docs[i];
        sbuf_reset(&path);
        report_tsv_escape(&path, d->path);
        snprintf(han, sizeof(han), "%llu", (unsigned long long)d->han);
        if (!d->ncounts) {
            const char *row[] = {path.buf, "-", "0", "0.00", han};
            table_add(&t, row);
        }
        for (size_t k = 0; k < d->ncounts; k++) {
            snprintf(cnt, sizeof(cnt), "%llu", (unsigned long long)d->counts[k].count);
            fmt_rate(rate, sizeof(rate), agg_per_10k(d->counts[k].count, d->han));
            const char *row[] = {path.buf, r->lx->labels[d->counts[k].label_id].term, cnt, rate, han};
            table_add(&t, row);
        }
        agg_doc_release(&r->docs[i]);
    }
    free(r->docs);
    r->docs = NULL;
    sbuf_release(&path);
    table_print(&t, r->out);
    fputc('\n', r->out);
}

void report_table_end(struct report *r, const struct agg_total *tot, const struct walk_note *sk,
                      size_t nsk, const struct walk_note *er, size_t ner)
{
    struct agg_row *rows;
    size_t nrows;
    struct table t = {NULL, 0, 0, 5, {0, 1, 1, 1, 0}};
    const char *head[] = {"TERM", "COUNT", "DOCS", "PER 10K", "CATEGORY"};
    char cnt[32], docs[32], rate[32];
    uint64_t matches = 0;

    if (r->per_doc)
        print_per_doc(r);
    agg_rows(tot, r->lx, r->sort, r->min_count, r->top, &rows, &nrows);
    table_add(&t, head);
    for (size_t i = 0; i < nrows; i++) {
        const struct lex_label *l = &r->lx->labels[rows[i].label_id];
        snprintf(cnt, sizeof(cnt), "%llu", (unsigned long long)rows[i].count);
        snprintf(docs, sizeof(docs), "%llu", (unsigned long long)rows[i].documents);
        fmt_rate(rate, sizeof(rate), rows[i].per_10k);
        const char *row[] = {l->term, cnt, docs, rate, l->category};
        table_add(&t, row);
    }
    free(rows);
    for (size_t i = 0; i < tot->nlabels; i++)
        matches += tot->counts[i];
    if (nrows)
        table_print(&t, r->out);
    else {
        free(t.cells[0]), free(t.cells[1]), free(t.cells[2]), free(t.cells[3]), free(t.cells[4]);
        free(t.cells);
        fputs("no formulas found\n", r->out);
    }
    fprintf(r->out, "\n%llu document%s, %llu Han characters, %llu matches of %zu terms",
            (unsigned long long)tot->documents, tot->documents == 1 ? "" : "s",
            (unsigned long long)tot->han, (unsigned long long)matches,
            r->lexinfo ? (size_t)r->lexinfo->terms : r->lx->nlabels);
    if (nsk)
        fprintf(r->out, "; %zu skipped", nsk);
    if (ner)
        fprintf(r->out, "; %zu not read", ner);
    fputc('\n', r->out);
    (void)sk;
    (void)er;
}
