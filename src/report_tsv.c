/*
 * report_tsv: long-format rows, one per (document, term) with a non-zero count.
 *
 * How it works: tsv writes path<TAB>term<TAB>count[<TAB>kind]<TAB>category<TAB>han with
 * backslash escapes in paths (so a path holding a tab or newline cannot break a row); csv
 * writes the same columns quoted as RFC 4180. category and han (the document's Han characters,
 * the denominator of a rate) come last so that a rate needs no join and the columns that were
 * there before keep their places. Rows follow the document order, and within a document the
 * count order of agg.
 */
#include "tifa/report.h"

static void sv_begin(struct report *r)
{
    if (r->expansions)
        fputs(r->format == FMT_CSV ? "path,term,count,kind,category,han\r\n"
                                   : "path\tterm\tcount\tkind\tcategory\than\n",
              r->out);
    else
        fputs(r->format == FMT_CSV ? "path,term,count,category,han\r\n"
                                   : "path\tterm\tcount\tcategory\than\n",
              r->out);
}

/* category and han, the last two columns, and the line end */
static void sv_tail(struct sbuf *sb, int csv, const char *category, const struct agg_doc *doc)
{
    sbuf_addch(sb, csv ? ',' : '\t');
    report_sv_field(sb, csv, category);
    sbuf_addf(sb, csv ? ",%llu\r\n" : "\t%llu\n", (unsigned long long)doc->han);
}

/* With --expansions: a row per entry spelled out in full in the document (count: sentences). */
static void sv_expansions(struct report *r, const struct agg_doc *doc, struct sbuf *sb, int csv)
{
    for (size_t i = 0; i < doc->read.nexpansions; i++) {
        const struct resolve_expansion *x = &doc->read.expansions[i];
        const struct lex_entry *en = &r->lx->entries[x->entry];
        if (!resolve_expansion_complete(r->lx, x))
            continue;
        report_sv_field(sb, csv, doc->path);
        sbuf_addch(sb, csv ? ',' : '\t');
        report_sv_field(sb, csv, en->term);
        sbuf_addf(sb, csv ? ",%llu,expansion" : "\t%llu\texpansion", (unsigned long long)x->count);
        sv_tail(sb, csv, en->category, doc);
    }
}

static void sv_document(struct report *r, const struct agg_doc *doc)
{
    struct sbuf *sb = &r->scratch;
    int csv = r->format == FMT_CSV;
    sbuf_reset(sb);
    for (size_t i = 0; i < doc->ncounts; i++) {
        const struct lex_label *l = &r->lx->labels[doc->counts[i].label_id];
        report_sv_field(sb, csv, doc->path);
        sbuf_addch(sb, csv ? ',' : '\t');
        report_sv_field(sb, csv, l->term);
        sbuf_addf(sb, csv ? ",%llu" : "\t%llu", (unsigned long long)doc->counts[i].count);
        if (r->expansions)
            sbuf_addstr(sb, csv ? ",label" : "\tlabel");
        sv_tail(sb, csv, l->category ? l->category : "", doc);
    }
    if (r->expansions)
        sv_expansions(r, doc, sb, csv);
    fwrite(sb->buf, 1, sb->len, r->out);
}

const struct report_ops report_tsv_ops = {{"tsv", FMT_TSV}, sv_begin, sv_document, NULL};
const struct report_ops report_csv_ops = {{"csv", FMT_CSV}, sv_begin, sv_document, NULL};
