/*
 * report_tsv: long-format rows, one per (document, term) with a non-zero count.
 *
 * How it works: tsv writes path<TAB>term<TAB>count with backslash escapes in paths (so a path
 * holding a tab or newline cannot break a row); csv writes the same columns quoted as RFC 4180.
 * Rows follow the document order, and within a document the count order of agg.
 */
#include "tifa/report.h"

void report_tsv_begin(struct report *r)
{
    fputs(r->format == FMT_CSV ? "path,term,count\r\n" : "path\tterm\tcount\n", r->out);
}

void report_tsv_document(struct report *r, const struct agg_doc *doc)
{
    struct sbuf *sb = &r->scratch;
    sbuf_reset(sb);
    for (size_t i = 0; i < doc->ncounts; i++) {
        const char *term = r->lx->labels[doc->counts[i].label_id].term;
        if (r->format == FMT_CSV) {
            report_csv_field(sb, doc->path);
            sbuf_addch(sb, ',');
            report_csv_field(sb, term);
            sbuf_addf(sb, ",%llu\r\n", (unsigned long long)doc->counts[i].count);
        } else {
            report_tsv_escape(sb, doc->path);
            sbuf_addch(sb, '\t');
            report_tsv_escape(sb, term);
            sbuf_addf(sb, "\t%llu\n", (unsigned long long)doc->counts[i].count);
        }
    }
    fwrite(sb->buf, 1, sb->len, r->out);
}
