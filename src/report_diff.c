/*
 * report_diff: table, JSON, TSV and CSV output of `tifa diff`.
 *
 * How it works: every number is first rounded once (round4 / sig6) and then printed by each
 * format, so the formats agree digit for digit. The table is built as strings, measured with
 * utf8_str_cols (a Han character is two columns) and padded with report_pad; colour escapes
 * wrap whole lines after padding, so they never disturb alignment. JSON objects are built with
 * jansson and written one row per line.
 */
#include "tifa/report_diff.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/stats.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

#define NCOLS 10

static double round4(double x)
{
    double r = round(x * 10000.0) / 10000.0;
    return r == 0.0 ? 0.0 : r; /* no -0 */
}

static double sig6(double x)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%.6g", x);
    return strtod(buf, NULL);
}

static const char *dir_sign(int dir)
{
    return dir > 0 ? "+" : dir < 0 ? "-" : "=";
}

static void print_json(FILE *out, const struct diff *d, const struct diff_row *rows, size_t n,
                       double alpha)
{
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
    fprintf(out, " \"alpha\": %g, \"critical\": %.2f,\n \"terms\": [", alpha,
            stats_critical_g2(alpha));
    for (size_t i = 0; i < n; i++) {
        const struct diff_row *r = &rows[i];
        json_t *o = json_object();
        json_object_set_new(o, "term", json_string(r->term));
        json_object_set_new(o, "direction", json_string(dir_sign(r->direction)));
        json_object_set_new(o, "a_count", json_integer((json_int_t)r->a));
        json_object_set_new(o, "b_count", json_integer((json_int_t)r->b));
        json_object_set_new(o, "a_per_10k", json_real(round4(r->a_per_10k)));
        json_object_set_new(o, "b_per_10k", json_real(round4(r->b_per_10k)));
        json_object_set_new(o, "g2", json_real(round4(r->g2)));
        json_object_set_new(o, "p", json_real(sig6(r->p)));
        json_object_set_new(o, "log_ratio", json_real(round4(r->log_ratio)));
        json_object_set_new(o, "pct_diff", json_real(round4(r->pct_diff)));
        json_object_set_new(o, "significant", json_boolean(r->significant));
        report_json_put(out, o, i ? ",\n  " : "\n  ", "");
    }
    fputs("]}\n", out);
}

static void print_sv(FILE *out, int csv, const struct diff_row *rows, size_t n)
{
    static const char *const keys[] = {"term", "direction", "a_count", "b_count", "a_per_10k",
                                       "b_per_10k", "g2", "p", "log_ratio", "pct_diff",
                                       "significant"};
    const char *sep = csv ? "," : "\t", *eol = csv ? "\r\n" : "\n";
    struct sbuf sb = SBUF_INIT;
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        fprintf(out, "%s%s", k ? sep : "", keys[k]);
    fputs(eol, out);
    for (size_t i = 0; i < n; i++) {
        const struct diff_row *r = &rows[i];
        sbuf_reset(&sb);
        if (csv)
            report_csv_field(&sb, r->term);
        else
            report_tsv_escape(&sb, r->term);
        fprintf(out, "%s%s%s%s%llu%s%llu%s%.12g%s%.12g%s%.12g%s%.12g%s%.12g%s%.12g%s%s%s", sb.buf,
                sep, dir_sign(r->direction), sep, (unsigned long long)r->a, sep,
                (unsigned long long)r->b, sep, round4(r->a_per_10k), sep, round4(r->b_per_10k),
                sep, round4(r->g2), sep, sig6(r->p), sep, round4(r->log_ratio), sep,
                round4(r->pct_diff), sep, r->significant ? "true" : "false", eol);
    }
    sbuf_release(&sb);
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
                        double alpha, int color)
{
    static const char *const head[NCOLS] = {"", "TERM", "A", "B", "A PER 10K", "B PER 10K",
                                            "G2", "P", "LOG RATIO", "%DIFF"};
    static const int right[NCOLS] = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
    size_t ncells = st_mult(n + 1, NCOLS), w[NCOLS] = {0}, nsig = 0;
    char **cells = xcalloc(ncells, sizeof(char *));
    char buf[64];
    struct sbuf line = SBUF_INIT;

    side_line(out, "A", &d->side[0]);
    side_line(out, "B", &d->side[1]);
    fputc('\n', out);
    if (!n) {
        fputs("no differences\n", out);
        free(cells);
        return;
    }
    for (size_t c = 0; c < NCOLS; c++)
        cells[c] = xstrdup(head[c]);
    for (size_t i = 0; i < n; i++) {
        const struct diff_row *r = &rows[i];
        char **row = cells + (i + 1) * NCOLS;
        nsig += r->significant != 0;
        row[0] = xstrdup(dir_sign(r->direction));
        sbuf_reset(&line);
        report_tsv_escape(&line, r->term);
        row[1] = xstrdup(line.buf);
        snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->a);
        row[2] = xstrdup(buf);
        snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->b);
        row[3] = xstrdup(buf);
        snprintf(buf, sizeof(buf), "%.2f", round4(r->a_per_10k));
        row[4] = xstrdup(buf);
        snprintf(buf, sizeof(buf), "%.2f", round4(r->b_per_10k));
        row[5] = xstrdup(buf);
        snprintf(buf, sizeof(buf), "%.2f%s", round4(r->g2), r->significant ? "*" : " ");
        row[6] = xstrdup(buf);
        if (r->p < 0.0001)
            snprintf(buf, sizeof(buf), "<0.0001");
        else
            snprintf(buf, sizeof(buf), "%.4f", sig6(r->p));
        row[7] = xstrdup(buf);
        snprintf(buf, sizeof(buf), "%+.2f", round4(r->log_ratio));
        row[8] = xstrdup(buf);
        snprintf(buf, sizeof(buf), "%+.1f", round4(r->pct_diff));
        row[9] = xstrdup(buf);
    }
    /* the header's G2 lines up with the numbers, not with their significance mark */
    free(cells[6]);
    cells[6] = xstrdup("G2 ");
    for (size_t i = 0; i < ncells; i++) {
        size_t cols = utf8_str_cols(cells[i], strlen(cells[i]));
        if (cols > w[i % NCOLS])
            w[i % NCOLS] = cols;
    }
    for (size_t i = 0; i <= n; i++) {
        int dir = i ? rows[i - 1].direction : 0;
        sbuf_reset(&line);
        if (color && dir)
            sbuf_addstr(&line, dir > 0 ? "\033[32m" : "\033[31m");
        for (size_t c = 0; c < NCOLS; c++) {
            if (c)
                sbuf_addstr(&line, "  ");
            report_pad(&line, cells[i * NCOLS + c], w[c], right[c]);
        }
        if (color && dir)
            sbuf_addstr(&line, "\033[0m");
        sbuf_addch(&line, '\n');
        fwrite(line.buf, 1, line.len, out);
    }
    fprintf(out, "\n%zu term%s, %zu significant at p < %g (* G2 >= %.2f); "
                 "+ more in B, - less in B, = same rate\n",
            n, n == 1 ? "" : "s", nsig, alpha, stats_critical_g2(alpha));
    for (size_t i = 0; i < ncells; i++)
        free(cells[i]);
    free(cells);
    sbuf_release(&line);
}

void report_diff(FILE *out, enum report_format fmt, const struct diff *d,
                 const struct diff_row *rows, size_t nrows, double alpha, int color)
{
    switch (fmt) {
    case FMT_JSON:
        print_json(out, d, rows, nrows, alpha);
        break;
    case FMT_TSV:
    case FMT_CSV:
        print_sv(out, fmt == FMT_CSV, rows, nrows);
        break;
    default:
        print_table(out, d, rows, nrows, alpha, color);
        break;
    }
}
