/*
 * report_matrix: count's wide format, a document x term table (quanteda's dfm, a spreadsheet).
 *
 * How it works: documents are kept as they come (report_keep_doc: path, Han characters and the
 * non-zero counts) because the columns are known only at the end: the terms of the summary
 * (agg_rows in the --sort order, cut by --top and --min-count), so `--top 50` gives 50 columns.
 * Each row is then path, han and one count per column, zeros written out; a column index per
 * label turns a document's sparse counts into its row. TSV escapes paths as report_tsv does;
 * CSV quotes as RFC 4180 with CRLF line ends. Memory: the documents' non-zero counts, as the
 * per-document table keeps them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/report.h"
#include "tifa/xalloc.h"

static void matrix_document(struct report *r, const struct agg_doc *doc)
{
    report_keep_doc(r, doc);
}

static void matrix_end(struct report *r, const struct agg_total *tot, const struct note_list *sk,
                       const struct note_list *er)
{
    int csv = r->format == FMT_MATRIX_CSV;
    const char *sep = csv ? "," : "\t", *eol = csv ? "\r\n" : "\n";
    struct agg_row *cols;
    size_t ncols;
    struct sbuf *sb = &r->scratch;
    (void)sk;
    (void)er;

    agg_rows(tot, r->lx, r->sort, r->min_count, r->top, &cols, &ncols);
    size_t *col_of = xmalloc(st_mult(r->lx->nlabels + 1, sizeof(*col_of)));
    for (size_t i = 0; i < r->lx->nlabels; i++)
        col_of[i] = SIZE_MAX;
    sbuf_reset(sb);
    sbuf_addstr(sb, csv ? "path,han" : "path\than");
    for (size_t c = 0; c < ncols; c++) {
        col_of[cols[c].label_id] = c;
        sbuf_addstr(sb, sep);
        report_sv_field(sb, csv, r->lx->labels[cols[c].label_id].term);
    }
    sbuf_addstr(sb, eol);
    fwrite(sb->buf, 1, sb->len, r->out);

    uint64_t *row = xcalloc(ncols + 1, sizeof(*row));
    for (size_t i = 0; i < r->ndocs_buf; i++) {
        const struct agg_doc *d = &r->docs[i];
        memset(row, 0, ncols * sizeof(*row));
        for (size_t k = 0; k < d->ncounts; k++)
            if (col_of[d->counts[k].label_id] != SIZE_MAX)
                row[col_of[d->counts[k].label_id]] = d->counts[k].count;
        sbuf_reset(sb);
        report_sv_field(sb, csv, d->path);
        sbuf_addf(sb, "%s%llu", sep, (unsigned long long)d->han);
        for (size_t c = 0; c < ncols; c++)
            sbuf_addf(sb, "%s%llu", sep, (unsigned long long)row[c]);
        sbuf_addstr(sb, eol);
        fwrite(sb->buf, 1, sb->len, r->out);
    }
    free(row);
    free(col_of);
    free(cols);
    report_release_docs(r);
}

const struct report_ops report_matrix_ops = {
    {"matrix", FMT_MATRIX}, NULL, matrix_document, matrix_end};
const struct report_ops report_matrix_csv_ops = {
    {"matrix-csv", FMT_MATRIX_CSV}, NULL, matrix_document, matrix_end};
