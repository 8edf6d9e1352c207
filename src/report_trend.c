/*
 * report_trend: table, JSON, TSV, CSV and SVG output of `tifa trend`.
 *
 * How it works: each format is a const struct trend_ops in the trend family's table. The
 * reporter walks the rows (label ids chosen by the command) and periods of a finished struct
 * trend; the numbers come from trend_value(). JSON prints them unrounded; the table, TSV, CSV
 * and SVG print them rounded once by shown() so they agree digit for digit. The table is a
 * table.h table (terms left, numbers right, trailing blanks trimmed); the SVG is drawn by
 * report_svg.c from the rounded values. JSON is written one term per line.
 */
#include "tifa/report_trend.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/report.h"
#include "tifa/report_json.h"
#include "tifa/report_svg.h"
#include "tifa/table.h"
#include "tifa/xalloc.h"

static const char *const measure_names[] = {"count", "documents", "per_10k", "share"};

/* The value the table, TSV, CSV and SVG print: rates and shares rounded to 4 decimals. */
static double shown(const struct trend *t, size_t period, uint32_t label_id, enum trend_measure m)
{
    double v = trend_value(t, period, label_id, m);
    return m == TREND_RATE || m == TREND_SHARE ? report_round4(v) : v;
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
            json_object_set_new(c, "per_10k", json_real(trend_value(t, i, id, TREND_RATE)));
            json_object_set_new(c, "share", json_real(trend_value(t, i, id, TREND_SHARE)));
            json_array_append_new(cells, c);
        }
        json_object_set_new(o, "cells", cells);
        report_json_put(r->out, o, k ? ",\n  " : "\n  ", "");
    }
    fputs("],\n", r->out);
    report_json_put(r->out, report_json_notes(r->skipped, "reason"), " \"skipped\": ", ",\n");
    report_json_put(r->out, report_json_notes(r->errors, "message"), " \"errors\": ", "}\n");
}

static void print_sv(const struct report_trend *r)
{
    int csv = r->format == FMT_CSV;
    const char *sep = csv ? "," : "\t", *eol = csv ? "\r\n" : "\n";
    struct sbuf sb = SBUF_INIT;
    fprintf(r->out, "term%speriod%scount%sdocuments%sper_10k%sshare%s", sep, sep, sep, sep, sep,
            eol);
    for (size_t k = 0; k < r->nlabels; k++) {
        uint32_t id = r->labels[k];
        for (size_t i = 0; i < r->t->nperiods; i++) {
            const struct trend_period *p = &r->t->periods[i];
            sbuf_reset(&sb);
            report_sv_field(&sb, csv, r->lx->labels[id].term);
            sbuf_addstr(&sb, sep);
            report_sv_field(&sb, csv, p->key);
            sbuf_addf(&sb, "%s%llu%s%llu%s%.12g%s%.12g%s", sep, (unsigned long long)p->count[id],
                      sep, (unsigned long long)p->docs[id], sep, shown(r->t, i, id, TREND_RATE),
                      sep, shown(r->t, i, id, TREND_SHARE), eol);
            fwrite(sb.buf, 1, sb.len, r->out);
        }
    }
    sbuf_release(&sb);
}

static void print_table(const struct report_trend *r)
{
    static const char *const titles[] = {"occurrences per period",
                                         "documents using the term per period",
                                         "occurrences per 10,000 Han characters per period",
                                         "share of the period's documents that use the term"};
    const struct trend *t = r->t;
    size_t ncols = t->nperiods + 3;
    enum table_align *align = xmalloc(st_mult(ncols, sizeof(*align)));
    struct table tb;
    struct sbuf line = SBUF_INIT;

    /* terms, FIRST and LAST left, periods right */
    for (size_t c = 0; c < ncols; c++)
        align[c] = c > 0 && c < ncols - 2 ? TABLE_RIGHT : TABLE_LEFT;
    table_init(&tb, ncols, align, TABLE_TRIM);
    free(align);
    /* period keys escaped once: the header and the FIRST/LAST cells */
    char **keys = xcalloc(t->nperiods + 1, sizeof(char *));
    for (size_t i = 0; i < t->nperiods; i++) {
        sbuf_reset(&line);
        report_tsv_escape(&line, t->periods[i].key);
        keys[i] = xstrdup(line.buf);
    }
    fprintf(r->out, "%s\n\n", titles[r->measure]);
    table_add(&tb, "TERM");
    for (size_t i = 0; i < t->nperiods; i++)
        table_add(&tb, keys[i]);
    table_add(&tb, "FIRST");
    table_add(&tb, "LAST");
    for (size_t k = 0; k < r->nlabels; k++) {
        uint32_t id = r->labels[k];
        struct trend_seen first, last;
        table_add(&tb, r->lx->labels[id].term);
        for (size_t i = 0; i < t->nperiods; i++) {
            double v = shown(t, i, id, r->measure);
            if (r->measure == TREND_COUNT || r->measure == TREND_DOCS)
                table_addf(&tb, "%.0f", v);
            else if (r->measure == TREND_SHARE)
                table_addf(&tb, "%.0f%%", v * 100.0);
            else
                table_addf(&tb, "%.2f", v);
        }
        trend_first_last(t, id, &first, &last);
        table_add(&tb, first.document ? keys[first.period] : "-");
        table_add(&tb, last.document ? keys[last.period] : "-");
    }
    table_add(&tb, "(documents)");
    for (size_t i = 0; i < t->nperiods; i++)
        table_addf(&tb, "%llu", (unsigned long long)t->periods[i].documents);
    table_add(&tb, "");
    table_add(&tb, "");
    table_add(&tb, "(Han characters)");
    for (size_t i = 0; i < t->nperiods; i++)
        table_addf(&tb, "%llu", (unsigned long long)t->periods[i].han);
    table_add(&tb, "");
    table_add(&tb, "");
    table_print(&tb, r->out);
    table_release(&tb);
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
    if (r->skipped->n || r->errors->n)
        fprintf(r->out, "%zu skipped, %zu not read\n", r->skipped->n, r->errors->n);
    for (size_t i = 0; i < t->nperiods; i++)
        free(keys[i]);
    free(keys);
    sbuf_release(&line);
}

static void print_svg(const struct report_trend *r)
{
    static const char *const ytitle[] = {"occurrences", "documents using the term",
                                         "occurrences per 10,000 Han characters",
                                         "share of documents"};
    const struct trend *t = r->t;
    struct sbuf title = SBUF_INIT, heading = SBUF_INIT;
    const char **keys = xcalloc(t->nperiods + 1, sizeof(char *));
    struct report_svg_series *series = xcalloc(r->nlabels + 1, sizeof(*series));
    double *values = xcalloc(st_mult(r->nlabels, t->nperiods) + 1, sizeof(double));

    /* dated periods stand on a time line: 1964 to 1975 is eleven years wide, not one step */
    double *x_pos = xcalloc(t->nperiods + 1, sizeof(double));
    int dated = 1;
    for (size_t i = 0; i < t->nperiods; i++) {
        long days;
        keys[i] = t->periods[i].key;
        dated = dated && trend_period_start(keys[i], &days);
        x_pos[i] = dated ? (double)days : 0;
    }
    for (size_t k = 0; k < r->nlabels; k++) {
        double *v = values + k * t->nperiods;
        for (size_t i = 0; i < t->nperiods; i++)
            v[i] = shown(t, i, r->labels[k], r->measure);
        series[k].name = r->lx->labels[r->labels[k]].term;
        series[k].values = v;
    }
    sbuf_addf(&title, "tifa trend: %s per period", ytitle[r->measure]);
    sbuf_addf(&heading, "%s per period", ytitle[r->measure]);
    struct report_svg_chart chart = {title.buf,
                                     heading.buf,
                                     ytitle[r->measure],
                                     "period",
                                     "no formulas found",
                                     keys,
                                     t->nperiods,
                                     series,
                                     r->nlabels,
                                     r->measure == TREND_SHARE ? 1.0 : 0.0,
                                     NULL};
    chart.x_pos = dated ? x_pos : NULL;
    report_svg_chart(r->out, &chart);
    free(x_pos);
    sbuf_release(&title);
    sbuf_release(&heading);
    free(keys);
    free(series);
    free(values);
}

/* One format of trend's reporter. */
struct trend_ops {
    struct report_format_def def; /* first: the family table points at it */
    void (*write)(const struct report_trend *r);
};

static const struct trend_ops trend_table = {{"table", FMT_TABLE}, print_table};
static const struct trend_ops trend_json = {{"json", FMT_JSON}, print_json};
static const struct trend_ops trend_tsv = {{"tsv", FMT_TSV}, print_sv};
static const struct trend_ops trend_csv = {{"csv", FMT_CSV}, print_sv};
static const struct trend_ops trend_svg = {{"svg", FMT_SVG}, print_svg};

static const struct report_format_def *const trend_defs[] = {
    &trend_table.def, &trend_json.def, &trend_tsv.def, &trend_csv.def, &trend_svg.def,
};

const struct report_formats report_trend_formats = {trend_defs,
                                                    sizeof(trend_defs) / sizeof(trend_defs[0])};

void report_trend(const struct report_trend *r)
{
    const struct report_format_def *def = report_format_get(&report_trend_formats, r->format);
    ((const struct trend_ops *)def)->write(r);
}
