/*
 * report_trend: table, JSON, TSV and CSV output of `tifa trend` (the SVG is in report_svg.c).
 *
 * How it works: the reporter walks the rows (label ids chosen by the command) and periods of a
 * finished struct trend; each number is rounded once by report_trend_value() or round4() so
 * all formats print the same digits. The table is a matrix of strings measured with
 * utf8_str_cols and padded with report_pad (terms left, numbers right). JSON is written one
 * term per line with jansson.
 */
#include "tifa/report_trend.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/utf8.h"
#include "tifa/xalloc.h"

static const char *const measure_names[] = {"count", "documents", "per_10k", "share"};

static double round4(double x)
{
    double r = round(x * 10000.0) / 10000.0;
    return r == 0.0 ? 0.0 : r;
}

double report_trend_value(const struct trend *t, size_t period, uint32_t label_id,
                          enum trend_measure m)
{
    const struct trend_period *p = &t->periods[period];
    switch (m) {
    case TREND_DOCS:
        return (double)p->docs[label_id];
    case TREND_RATE:
        return round4(agg_per_10k(p->count[label_id], p->han));
    case TREND_SHARE:
        return p->documents ? round4((double)p->docs[label_id] / (double)p->documents) : 0.0;
    default:
        return (double)p->count[label_id];
    }
}

static json_t *seen_json(const struct trend *t, const struct trend_seen *s)
{
    if (!s->document)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "period", report_json_string(t->periods[s->period].key));
    json_object_set_new(o, "document", report_json_string(s->document));
    return o;
}

static json_t *notes_json(const struct walk_note *n, size_t k, const char *key)
{
    json_t *a = json_array();
    for (size_t i = 0; i < k; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "path", report_json_string(n[i].path));
        json_object_set_new(o, key, report_json_string(n[i].text));
        json_array_append_new(a, o);
    }
    return a;
}

static void print_json(const struct report_trend *r)
{
    const struct trend *t = r->t;
    json_t *periods = json_array(), *unkeyed = json_array();
    fprintf(r->out, "{\"tifa\": 1, \"command\": \"trend\", \"key\": \"%s\", \"measure\": \"%s\",\n",
            r->key_rule, measure_names[r->measure]);
    for (size_t i = 0; i < t->nperiods; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "period", report_json_string(t->periods[i].key));
        json_object_set_new(o, "documents", json_integer((json_int_t)t->periods[i].documents));
        json_object_set_new(o, "han", json_integer((json_int_t)t->periods[i].han));
        json_array_append_new(periods, o);
    }
    report_json_put(r->out, periods, " \"periods\": ", ",\n");
    for (size_t i = 0; i < t->nunkeyed; i++)
        json_array_append_new(unkeyed, report_json_string(t->unkeyed[i]));
    report_json_put(r->out, unkeyed, " \"unkeyed\": ", ",\n \"terms\": [");
    for (size_t k = 0; k < r->nlabels; k++) {
        uint32_t id = r->labels[k];
        uint64_t count, docs;
        struct trend_seen first, last;
        json_t *o = json_object(), *cells = json_array();
        trend_total(t, id, &count, &docs);
        trend_first_last(t, id, &first, &last);
        json_object_set_new(o, "term", json_string(r->lx->labels[id].term));
        json_object_set_new(o, "category", json_string(r->lx->labels[id].category));
        json_object_set_new(o, "count", json_integer((json_int_t)count));
        json_object_set_new(o, "documents", json_integer((json_int_t)docs));
        json_object_set_new(o, "first", seen_json(t, &first));
        json_object_set_new(o, "last", seen_json(t, &last));
        for (size_t i = 0; i < t->nperiods; i++) {
            json_t *c = json_object();
            json_object_set_new(c, "period", report_json_string(t->periods[i].key));
            json_object_set_new(c, "count", json_integer((json_int_t)t->periods[i].count[id]));
            json_object_set_new(c, "documents", json_integer((json_int_t)t->periods[i].docs[id]));
            json_object_set_new(c, "per_10k", json_real(report_trend_value(t, i, id, TREND_RATE)));
            json_object_set_new(c, "share", json_real(report_trend_value(t, i, id, TREND_SHARE)));
            json_array_append_new(cells, c);
        }
        json_object_set_new(o, "cells", cells);
        report_json_put(r->out, o, k ? ",\n  " : "\n  ", "");
    }
    fputs("],\n", r->out);
    report_json_put(r->out, notes_json(r->skipped, r->nskipped, "reason"), " \"skipped\": ", ",\n");
    report_json_put(r->out, notes_json(r->errors, r->nerrors, "message"), " \"errors\": ", "}\n");
}

static void field(struct sbuf *sb, int csv, const char *s)
{
    if (csv)
        report_csv_field(sb, s);
    else
        report_tsv_escape(sb, s);
}

static void print_sv(const struct report_trend *r)
{
    int csv = r->format == FMT_CSV;
    const char *sep = csv ? "," : "\t", *eol = csv ? "\r\n" : "\n";
    struct sbuf sb = SBUF_INIT;
    fprintf(r->out, "term%speriod%scount%sdocuments%sper_10k%sshare%s", sep, sep, sep, sep, sep, eol);
    for (size_t k = 0; k < r->nlabels; k++) {
        uint32_t id = r->labels[k];
        for (size_t i = 0; i < r->t->nperiods; i++) {
            const struct trend_period *p = &r->t->periods[i];
            sbuf_reset(&sb);
            field(&sb, csv, r->lx->labels[id].term);
            sbuf_addstr(&sb, sep);
            field(&sb, csv, p->key);
            sbuf_addf(&sb, "%s%llu%s%llu%s%.12g%s%.12g%s", sep, (unsigned long long)p->count[id],
                      sep, (unsigned long long)p->docs[id], sep,
                      report_trend_value(r->t, i, id, TREND_RATE), sep,
                      report_trend_value(r->t, i, id, TREND_SHARE), eol);
            fwrite(sb.buf, 1, sb.len, r->out);
        }
    }
    sbuf_release(&sb);
}

static void fmt_value(char *buf, size_t len, double v, enum trend_measure m)
{
    if (m == TREND_COUNT || m == TREND_DOCS)
        snprintf(buf, len, "%.0f", v);
    else if (m == TREND_SHARE)
        snprintf(buf, len, "%.0f%%", v * 100.0);
    else
        snprintf(buf, len, "%.2f", v);
}

static void print_table(const struct report_trend *r)
{
    static const char *const titles[] = {
        "occurrences per period", "documents using the term per period",
        "occurrences per 10,000 Han characters per period",
        "share of the period's documents that use the term"};
    const struct trend *t = r->t;
    size_t ncols = t->nperiods + 3, nrows = r->nlabels + 3;
    char **cells = xcalloc(st_mult(ncols, nrows), sizeof(char *));
    size_t *w = xcalloc(ncols, sizeof(size_t));
    char buf[64];
    struct sbuf line = SBUF_INIT;

    fprintf(r->out, "%s\n\n", titles[r->measure]);
    cells[0] = xstrdup("TERM");
    for (size_t i = 0; i < t->nperiods; i++) {
        sbuf_reset(&line);
        report_tsv_escape(&line, t->periods[i].key);
        cells[1 + i] = xstrdup(line.buf);
    }
    cells[ncols - 2] = xstrdup("FIRST");
    cells[ncols - 1] = xstrdup("LAST");
    for (size_t k = 0; k < r->nlabels; k++) {
        uint32_t id = r->labels[k];
        char **row = cells + (k + 1) * ncols;
        struct trend_seen first, last;
        row[0] = xstrdup(r->lx->labels[id].term);
        for (size_t i = 0; i < t->nperiods; i++) {
            fmt_value(buf, sizeof(buf), report_trend_value(t, i, id, r->measure), r->measure);
            row[1 + i] = xstrdup(buf);
        }
        trend_first_last(t, id, &first, &last);
        row[ncols - 2] = xstrdup(first.document ? cells[1 + first.period] : "-");
        row[ncols - 1] = xstrdup(last.document ? cells[1 + last.period] : "-");
    }
    char **docs = cells + (r->nlabels + 1) * ncols, **han = docs + ncols;
    docs[0] = xstrdup("(documents)");
    han[0] = xstrdup("(Han characters)");
    for (size_t i = 0; i < t->nperiods; i++) {
        snprintf(buf, sizeof(buf), "%llu", (unsigned long long)t->periods[i].documents);
        docs[1 + i] = xstrdup(buf);
        snprintf(buf, sizeof(buf), "%llu", (unsigned long long)t->periods[i].han);
        han[1 + i] = xstrdup(buf);
    }
    docs[ncols - 2] = xstrdup("");
    docs[ncols - 1] = xstrdup("");
    han[ncols - 2] = xstrdup("");
    han[ncols - 1] = xstrdup("");
    for (size_t i = 0; i < ncols * nrows; i++) {
        size_t c = utf8_str_cols(cells[i], strlen(cells[i]));
        if (c > w[i % ncols])
            w[i % ncols] = c;
    }
    for (size_t rr = 0; rr < nrows; rr++) {
        sbuf_reset(&line);
        for (size_t c = 0; c < ncols; c++) {
            if (c)
                sbuf_addstr(&line, "  ");
            report_pad(&line, cells[rr * ncols + c], c + 1 == ncols ? 0 : w[c],
                       c > 0 && c < ncols - 2);
        }
        while (line.len && line.buf[line.len - 1] == ' ')
            line.buf[--line.len] = '\0';
        sbuf_addch(&line, '\n');
        fwrite(line.buf, 1, line.len, r->out);
    }
    if (!r->nlabels)
        fputs("no formulas found\n", r->out);
    uint64_t ndocs = t->npaths + t->nunkeyed;
    fprintf(r->out, "\n%zu period%s, %llu document%s", t->nperiods, t->nperiods == 1 ? "" : "s",
            (unsigned long long)ndocs, ndocs == 1 ? "" : "s");
    if (t->nunkeyed)
        fprintf(r->out, "; %zu without a period:", t->nunkeyed);
    fputc('\n', r->out);
    for (size_t i = 0; i < t->nunkeyed; i++) {
        sbuf_reset(&line);
        report_tsv_escape(&line, t->unkeyed[i]);
        fprintf(r->out, "  %s\n", line.buf);
    }
    if (r->nskipped || r->nerrors)
        fprintf(r->out, "%zu skipped, %zu not read\n", r->nskipped, r->nerrors);
    for (size_t i = 0; i < ncols * nrows; i++)
        free(cells[i]);
    free(cells);
    free(w);
    sbuf_release(&line);
}

void report_trend(const struct report_trend *r)
{
    switch (r->format) {
    case FMT_JSON:
        print_json(r);
        break;
    case FMT_TSV:
    case FMT_CSV:
        print_sv(r);
        break;
    case FMT_SVG:
        report_trend_svg(r);
        break;
    default:
        print_table(r);
        break;
    }
}
