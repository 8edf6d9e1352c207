/*
 * report_table: count's human-readable summary, columns aligned by display width (table.h).
 *
 * How it works: the summary is one table of terms (numbers right-aligned, text left-aligned)
 * and a line of totals. Per-document rows (--per-doc) are kept until the end so that they align
 * with each other, and printed as a table of their own before the summary.
 */
#include <stdlib.h>
#include <string.h>

#include "tifa/report.h"
#include "tifa/table.h"
#include "tifa/xalloc.h"

static void table_document(struct report *r, const struct agg_doc *doc)
{
    if (r->per_doc)
        report_keep_doc(r, doc);
}

static void print_per_doc(struct report *r)
{
    static const enum table_align align[] = {TABLE_LEFT, TABLE_LEFT, TABLE_RIGHT, TABLE_RIGHT,
                                             TABLE_RIGHT};
    static const char *const head[] = {"DOCUMENT", "TERM", "COUNT", "PER 10K", "HAN"};
    struct table t;
    struct sbuf path = SBUF_INIT;
    table_init(&t, 5, align, 0);
    table_add_row(&t, head);
    for (size_t i = 0; i < r->ndocs_buf; i++) {
        const struct agg_doc *d = &r->docs[i];
        sbuf_reset(&path);
        report_tsv_escape(&path, d->path);
        if (!d->ncounts) {
            table_add(&t, path.buf), table_add(&t, "-"), table_add(&t, "0");
            table_add(&t, "0.00"), table_addf(&t, "%llu", (unsigned long long)d->han);
        }
        for (size_t k = 0; k < d->ncounts; k++) {
            table_add(&t, path.buf);
            table_add(&t, r->lx->labels[d->counts[k].label_id].term);
            table_addf(&t, "%llu", (unsigned long long)d->counts[k].count);
            table_addf(&t, "%.2f", agg_per_10k(d->counts[k].count, d->han));
            table_addf(&t, "%llu", (unsigned long long)d->han);
        }
    }
    report_release_docs(r);
    sbuf_release(&path);
    table_print(&t, r->out);
    table_release(&t);
    fputc('\n', r->out);
}

/* Per label: the sentences that spelled one of its entries out in full (--expansions). */
static uint64_t *spelled_out(const struct report *r, const struct agg_total *tot)
{
    uint64_t *n = xcalloc(r->lx->nlabels + 1, sizeof(uint64_t));
    for (size_t i = 0; i < tot->read.nexpansions; i++) {
        const struct resolve_expansion *x = &tot->read.expansions[i];
        if (resolve_expansion_complete(r->lx, x))
            n[r->lx->entries[x->entry].label_id] += x->count;
    }
    return n;
}

static void table_end(struct report *r, const struct agg_total *tot, const struct note_list *sk,
                      const struct note_list *er)
{
    static const enum table_align align[] = {TABLE_LEFT,  TABLE_RIGHT, TABLE_RIGHT,
                                             TABLE_RIGHT, TABLE_LEFT,  TABLE_RIGHT};
    static const char *const head[] = {"TERM",    "COUNT",    "DOCS",
                                       "PER 10K", "CATEGORY", "SPELLED OUT"};
    struct agg_row *rows;
    size_t nrows;
    struct table t;
    uint64_t *spelled = r->expansions ? spelled_out(r, tot) : NULL;
    size_t ncols = spelled ? 6 : 5;

    if (r->per_doc)
        print_per_doc(r);
    agg_rows(tot, r->lx, r->sort, r->min_count, r->top, &rows, &nrows);
    table_init(&t, ncols, align, 0);
    table_add_row(&t, head);
    for (size_t i = 0; i < nrows; i++) {
        const struct lex_label *l = &r->lx->labels[rows[i].label_id];
        table_add(&t, l->term);
        table_addf(&t, "%llu", (unsigned long long)rows[i].count);
        table_addf(&t, "%llu", (unsigned long long)rows[i].documents);
        table_addf(&t, "%.2f", rows[i].per_10k);
        table_add(&t, l->category);
        if (spelled) {
            table_addf(&t, "%llu", (unsigned long long)spelled[rows[i].label_id]);
            spelled[rows[i].label_id] = 0;
        }
    }
    /* formulas only spelled out, never named: rows of their own, count 0 */
    for (size_t l = 0; spelled && l < r->lx->nlabels; l++) {
        if (!spelled[l])
            continue;
        table_add(&t, r->lx->labels[l].term);
        table_add(&t, "0");
        table_add(&t, "0");
        table_add(&t, "0.00");
        table_add(&t, r->lx->labels[l].category);
        table_addf(&t, "%llu", (unsigned long long)spelled[l]);
        nrows++;
    }
    free(spelled);
    free(rows);
    if (nrows)
        table_print(&t, r->out);
    else
        fputs("no formulas found\n", r->out);
    table_release(&t);
    fprintf(r->out, "\n%llu document%s, %llu Han characters, %llu matches of %zu terms",
            (unsigned long long)tot->documents, tot->documents == 1 ? "" : "s",
            (unsigned long long)tot->han, (unsigned long long)agg_total_matches(tot),
            r->lexinfo ? (size_t)r->lexinfo->terms : r->lx->nlabels);
    if (sk->n)
        fprintf(r->out, "; %zu skipped", sk->n);
    if (er->n)
        fprintf(r->out, "; %zu not read", er->n);
    fputc('\n', r->out);
    (void)sk;
    (void)er;
}

const struct report_ops report_table_ops = {{"table", FMT_TABLE}, NULL, table_document, table_end};
