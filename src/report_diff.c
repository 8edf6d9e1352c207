/*
 * report_diff: table, JSON, TSV and CSV output of `tifa diff`.
 *
 * How it works: each format is a const struct diff_ops in the diff family's table. The rows
 * arrive computed (diff.c, stats.c). JSON prints their numbers unrounded; the table, TSV and
 * CSV print them rounded once (report_round4, report_round_sig6), so those formats agree digit
 * for digit. The table is a table.h table; colour escapes wrap whole lines outside the padding,
 * so they never disturb alignment. JSON objects are built with jansson and written one row per
 * line.
 */
#include "tifa/report_diff.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/report.h"
#include "tifa/report_json.h"
#include "tifa/stats.h"
#include "tifa/table.h"

#define NCOLS 10

static const char *dir_sign(int dir)
{
    return dir > 0 ? "+" : dir < 0 ? "-" : "=";
}

static void print_json(FILE *out, const struct diff *d, const struct diff_row *rows, size_t n,
                       const struct diff_test *dt, int color)
{
    (void)color;
    fputs("{\"tifa\": 1, \"command\": \"diff\",\n", out);
    for (int s = 0; s < 2; s++) {
        const struct diff_side *sd = &d->side[s];
        json_t *o = json_object(), *paths = json_array();
        json_array_append_new(paths, report_json_string(sd->path));
        json_object_set_new(o, "paths", paths);
        json_object_set_new(o, "kind", json_string(sd->kind));
        json_object_set_new(o, "documents", json_integer((json_int_t)sd->documents));
        json_object_set_new(o, "han", json_integer((json_int_t)sd->han));
        report_json_put(out, o, s ? " \"b\": " : " \"a\": ", ",\n");
    }
    if (d->settings)
        report_json_put(out, json_incref((json_t *)d->settings), " \"settings\": ", ",\n");
    fprintf(out,
            " \"alpha\": %g, \"critical\": %.2f, \"correction\": \"%s\", \"tested\": %zu, "
            "\"min_freq\": %llu,\n \"terms\": [",
            dt->alpha, stats_critical_g2(dt->alpha), diff_correction_name(dt->correction),
            dt->tested, (unsigned long long)dt->min_freq);
    for (size_t i = 0; i < n; i++) {
        const struct diff_row *r = &rows[i];
        json_t *o = json_object();
        json_object_set_new(o, "term", json_string(r->term));
        json_object_set_new(o, "direction", json_string(dir_sign(r->direction)));
        json_object_set_new(o, "a_count", json_integer((json_int_t)r->a));
        json_object_set_new(o, "b_count", json_integer((json_int_t)r->b));
        json_object_set_new(o, "a_per_10k", json_real(r->a_per_10k));
        json_object_set_new(o, "b_per_10k", json_real(r->b_per_10k));
        json_object_set_new(o, "g2", json_real(r->g2));
        json_object_set_new(o, "p", json_real(r->p));
        json_object_set_new(o, "log_ratio", json_real(r->log_ratio));
        json_object_set_new(o, "pct_diff", json_real(r->pct_diff));
        json_object_set_new(o, "p_adjusted", json_real(r->p_adjusted));
        json_object_set_new(o, "significant", json_boolean(r->significant));
        report_json_put(out, o, i ? ",\n  " : "\n  ", "");
    }
    fputs("]}\n", out);
}

static void print_sv(FILE *out, const struct diff *d, const struct diff_row *rows, size_t n,
                     const struct diff_test *dt, int csv)
{
    static const char *const keys[] = {"term",      "direction", "a_count",     "b_count",
                                       "a_per_10k", "b_per_10k", "g2",          "p",
                                       "log_ratio", "pct_diff",  "significant", "p_adjusted"};
    const char *sep = csv ? "," : "\t", *eol = csv ? "\r\n" : "\n";
    struct sbuf sb = SBUF_INIT;
    report_sv_header(out, keys, sizeof(keys) / sizeof(keys[0]), csv);
    for (size_t i = 0; i < n; i++) {
        const struct diff_row *r = &rows[i];
        sbuf_reset(&sb);
        report_sv_field(&sb, csv, r->term);
        fprintf(out, "%s%s%s%s%llu%s%llu%s%.12g%s%.12g%s%.12g%s%.12g%s%.12g%s%.12g%s%s%s%.12g%s",
                sb.buf, sep, dir_sign(r->direction), sep, (unsigned long long)r->a, sep,
                (unsigned long long)r->b, sep, report_round4(r->a_per_10k), sep,
                report_round4(r->b_per_10k), sep, report_round4(r->g2), sep,
                report_round_sig6(r->p), sep, report_round4(r->log_ratio), sep,
                report_round4(r->pct_diff), sep, r->significant ? "true" : "false", sep,
                report_round_sig6(r->p_adjusted), eol);
    }
    sbuf_release(&sb);
    (void)d;
    (void)dt;
}

static void print_tsv(FILE *out, const struct diff *d, const struct diff_row *rows, size_t n,
                      const struct diff_test *dt, int color)
{
    (void)color;
    print_sv(out, d, rows, n, dt, 0);
}

static void print_csv(FILE *out, const struct diff *d, const struct diff_row *rows, size_t n,
                      const struct diff_test *dt, int color)
{
    (void)color;
    print_sv(out, d, rows, n, dt, 1);
}

static void side_line(FILE *out, const char *name, const struct diff_side *s)
{
    struct sbuf sb = SBUF_INIT;
    report_tsv_escape(&sb, s->path);
    fprintf(out, "%s: %s (%s, %llu document%s, %llu Han characters)\n", name, sb.buf, s->kind,
            (unsigned long long)s->documents, s->documents == 1 ? "" : "s",
            (unsigned long long)s->han);
    sbuf_release(&sb);
}

static void print_table(FILE *out, const struct diff *d, const struct diff_row *rows, size_t n,
                        const struct diff_test *dt, int color)
{
    /* the header's G2 lines up with the numbers, not with their significance mark */
    static const char *const head[NCOLS] = {"",          "TERM", "A", "B",         "A PER 10K",
                                            "B PER 10K", "G2 ",  "P", "LOG RATIO", "%DIFF"};
    static const enum table_align align[NCOLS] = {
        TABLE_LEFT,  TABLE_LEFT,  TABLE_RIGHT, TABLE_RIGHT, TABLE_RIGHT,
        TABLE_RIGHT, TABLE_RIGHT, TABLE_RIGHT, TABLE_RIGHT, TABLE_RIGHT};
    size_t nsig = 0;
    struct table t;
    struct sbuf term = SBUF_INIT;

    side_line(out, "A", &d->side[0]);
    side_line(out, "B", &d->side[1]);
    fputc('\n', out);
    if (!n) {
        fputs("no differences\n", out);
        return;
    }
    table_init(&t, NCOLS, align, 0);
    if (dt->correction == DIFF_CORRECT_NONE) {
        table_add_row(&t, head);
    } else { /* the P column shows the adjusted p, and says which */
        const char *h[NCOLS];
        memcpy(h, head, sizeof(h));
        h[7] = dt->correction == DIFF_CORRECT_HOLM ? "P (HOLM)" : "P (BONFERRONI)";
        table_add_row(&t, h);
    }
    for (size_t i = 0; i < n; i++) {
        const struct diff_row *r = &rows[i];
        nsig += r->significant != 0;
        if (color && r->direction)
            table_wrap_row(&t, r->direction > 0 ? "\033[32m" : "\033[31m", "\033[0m");
        table_add(&t, dir_sign(r->direction));
        sbuf_reset(&term);
        report_tsv_escape(&term, r->term);
        table_add(&t, term.buf);
        table_addf(&t, "%llu", (unsigned long long)r->a);
        table_addf(&t, "%llu", (unsigned long long)r->b);
        table_addf(&t, "%.2f", report_round4(r->a_per_10k));
        table_addf(&t, "%.2f", report_round4(r->b_per_10k));
        table_addf(&t, "%.2f%s", report_round4(r->g2), r->significant ? "*" : " ");
        double p = dt->correction == DIFF_CORRECT_NONE ? r->p : r->p_adjusted;
        if (p < 0.0001)
            table_add(&t, "<0.0001");
        else
            table_addf(&t, "%.4f", report_round_sig6(p));
        table_addf(&t, "%+.2f", report_round4(r->log_ratio));
        table_addf(&t, "%+.1f", report_round4(r->pct_diff));
    }
    table_print(&t, out);
    table_release(&t);
    sbuf_release(&term);
    if (dt->correction == DIFF_CORRECT_NONE)
        fprintf(out,
                "\n%zu term%s, %zu significant at p < %g (* G2 >= %.2f); "
                "+ more in B, - less in B, = same rate\n",
                n, n == 1 ? "" : "s", nsig, dt->alpha, stats_critical_g2(dt->alpha));
    else
        fprintf(out,
                "\n%zu term%s, %zu significant at p < %g after the %s correction (* adjusted p "
                "< %g); + more in B, - less in B, = same rate\n",
                n, n == 1 ? "" : "s", nsig, dt->alpha,
                dt->correction == DIFF_CORRECT_HOLM ? "Holm" : "Bonferroni", dt->alpha);
    fprintf(out, "%zu term%s tested", dt->tested, dt->tested == 1 ? "" : "s");
    if (dt->min_freq > 1)
        fprintf(out, " (counted at least %llu times on a side)", (unsigned long long)dt->min_freq);
    fprintf(out, "; %s\n",
            dt->correction == DIFF_CORRECT_NONE
                ? "no correction for multiple comparisons (--correct holm or bonferroni)"
            : dt->correction == DIFF_CORRECT_HOLM ? "p adjusted by Holm's method"
                                                  : "p adjusted by Bonferroni's method");
}

/* One format of diff's reporter. */
struct diff_ops {
    struct report_format_def def; /* first: the family table points at it */
    void (*write)(FILE *out, const struct diff *d, const struct diff_row *rows, size_t n,
                  const struct diff_test *dt, int color);
};

static const struct diff_ops diff_table = {{"table", FMT_TABLE}, print_table};
static const struct diff_ops diff_json = {{"json", FMT_JSON}, print_json};
static const struct diff_ops diff_tsv = {{"tsv", FMT_TSV}, print_tsv};
static const struct diff_ops diff_csv = {{"csv", FMT_CSV}, print_csv};

static const struct report_format_def *const diff_defs[] = {
    &diff_table.def,
    &diff_json.def,
    &diff_tsv.def,
    &diff_csv.def,
};

const struct report_formats report_diff_formats = {diff_defs,
                                                   sizeof(diff_defs) / sizeof(diff_defs[0])};

void report_diff(FILE *out, enum report_format fmt, const struct diff *d,
                 const struct diff_row *rows, size_t nrows, const struct diff_test *dt, int color)
{
    const struct report_format_def *def = report_format_get(&report_diff_formats, fmt);
    ((const struct diff_ops *)def)->write(out, d, rows, nrows, dt, color);
}
