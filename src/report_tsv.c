/*
 * report_tsv: long-format rows, one per (document, term) with a non-zero count.
 *
 * How it works: tsv writes path<TAB>term<TAB>count with backslash escapes in paths (so a path
 * holding a tab or newline cannot break a row); csv writes the same columns quoted as RFC 4180.
 * Rows follow the document order, and within a document the count order of agg.
 */
#include "tifa/report.h"

static void sv_begin(struct report *r)
{
    if (r->expansions)
        fputs(r->format == FMT_CSV ? "path,term,count,kind\r\n" : "path\tterm\tcount\tkind\n",
              r->out);
    else
        fputs(r->format == FMT_CSV ? "path,term,count\r\n" : "path\tterm\tcount\n", r->out);
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
        sbuf_addf(sb, csv ? ",%llu,expansion\r\n" : "\t%llu\texpansion\n",
                  (unsigned long long)x->count);
    }
}

static void sv_document(struct report *r, const struct agg_doc *doc)
{
    struct sbuf *sb = &r->scratch;
    int csv = r->format == FMT_CSV;
    sbuf_reset(sb);
    for (size_t i = 0; i < doc->ncounts; i++) {
        report_sv_field(sb, csv, doc->path);
        sbuf_addch(sb, csv ? ',' : '\t');
        report_sv_field(sb, csv, r->lx->labels[doc->counts[i].label_id].term);
        sbuf_addf(sb, csv ? ",%llu" : "\t%llu", (unsigned long long)doc->counts[i].count);
        if (r->expansions)
            sbuf_addstr(sb, csv ? ",label" : "\tlabel");
        sbuf_addstr(sb, csv ? "\r\n" : "\n");
    }
    if (r->expansions)
        sv_expansions(r, doc, sb, csv);
    fwrite(sb->buf, 1, sb->len, r->out);
}

const struct report_ops report_tsv_ops = {{"tsv", FMT_TSV}, sv_begin, sv_document, NULL};
const struct report_ops report_csv_ops = {{"csv", FMT_CSV}, sv_begin, sv_document, NULL};
