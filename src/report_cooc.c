/*
 * report_cooc: table, JSON, TSV, CSV and dot output of `tifa cooc` (report_cooc.h).
 *
 * How it works: each format is a const struct cooc_ops in the family's table, as diff's are.
 * The rows arrive scored and sorted (cooc.c); JSON writes their numbers unrounded, one pair a
 * line (jansson objects through report_json_put); the table, TSV and CSV round once. dot
 * quotes every term as a DOT string: '"' and '\' escaped, control characters as spaces, bad
 * UTF-8 as U+FFFD, so any term is a valid node name.
 */
#include "tifa/report_cooc.h"

#include <string.h>

#include "tifa/report.h"
#include "tifa/report_json.h"
#include "tifa/table.h"

#define NCOLS 7

static const char *term_of(const struct report_cooc_info *in, uint32_t label)
{
    return in->lx->labels[label].term;
}

/* "sentence" -> "sentences" for the table's last line. */
static const char *window_plural(enum cooc_window w, uint64_t n)
{
    static const char *const one[] = {"sentence", "paragraph", "document"};
    static const char *const many[] = {"sentences", "paragraphs", "documents"};
    return n == 1 ? one[w] : many[w];
}

static void print_table(FILE *out, const struct report_cooc_info *in, const struct cooc_row *rows,
                        size_t n)
{
    static const char *const head[NCOLS] = {"TERM A", "TERM B", "JOINT", "A", "B", "PMI", "G2"};
    static const enum table_align align[NCOLS] = {
        TABLE_LEFT, TABLE_LEFT, TABLE_RIGHT, TABLE_RIGHT, TABLE_RIGHT, TABLE_RIGHT, TABLE_RIGHT};
    uint64_t min = in->min_count ? in->min_count : 1;
    if (n) {
        struct table t;
        struct sbuf term = SBUF_INIT;
        table_init(&t, NCOLS, align, 0);
        table_add_row(&t, head);
        for (size_t i = 0; i < n; i++) {
            const struct cooc_row *r = &rows[i];
            sbuf_reset(&term);
            report_tsv_escape(&term, term_of(in, r->a));
            table_add(&t, term.buf);
            sbuf_reset(&term);
            report_tsv_escape(&term, term_of(in, r->b));
            table_add(&t, term.buf);
            table_addf(&t, "%llu", (unsigned long long)r->joint);
            table_addf(&t, "%llu", (unsigned long long)r->count_a);
            table_addf(&t, "%llu", (unsigned long long)r->count_b);
            table_addf(&t, "%+.2f", report_round4(r->pmi));
            table_addf(&t, "%.2f", report_round4(r->g2));
        }
        table_print(&t, out);
        table_release(&t);
        sbuf_release(&term);
        fputc('\n', out);
    }
    if (n)
        fprintf(out, "%zu pair%s seen together in at least %llu %s", n, n == 1 ? "" : "s",
                (unsigned long long)min, window_plural(in->window, min));
    else
        fprintf(out, "no pair seen together in at least %llu %s", (unsigned long long)min,
                window_plural(in->window, min));
    if (in->window == COOC_DOCUMENT)
        fprintf(out, "; %llu %s\n", (unsigned long long)in->documents,
                window_plural(in->window, in->documents));
    else
        fprintf(out, "; %llu %s in %llu document%s\n", (unsigned long long)in->windows,
                window_plural(in->window, in->windows), (unsigned long long)in->documents,
                in->documents == 1 ? "" : "s");
    if (n)
        fprintf(out,
                "JOINT, A and B count %s, not occurrences; PMI < 0: together less often "
                "than chance; G2 >= 10.83: p < .001\n",
                window_plural(in->window, 2));
}

static void print_json(FILE *out, const struct report_cooc_info *in, const struct cooc_row *rows,
                       size_t n)
{
    fprintf(out,
            "{\"tifa\": 1, \"command\": \"cooc\", \"window\": \"%s\", \"documents\": %llu, "
            "\"windows\": %llu,\n \"min_count\": %llu,\n \"pairs\": [",
            cooc_window_name(in->window), (unsigned long long)in->documents,
            (unsigned long long)in->windows,
            (unsigned long long)(in->min_count ? in->min_count : 1));
    for (size_t i = 0; i < n; i++) {
        const struct cooc_row *r = &rows[i];
        json_t *o = json_object();
        json_object_set_new(o, "a", report_json_string(term_of(in, r->a)));
        json_object_set_new(o, "b", report_json_string(term_of(in, r->b)));
        json_object_set_new(o, "joint", json_integer((json_int_t)r->joint));
        json_object_set_new(o, "count_a", json_integer((json_int_t)r->count_a));
        json_object_set_new(o, "count_b", json_integer((json_int_t)r->count_b));
        json_object_set_new(o, "occ_a", json_integer((json_int_t)r->occ_a));
        json_object_set_new(o, "occ_b", json_integer((json_int_t)r->occ_b));
        json_object_set_new(o, "pmi", json_real(r->pmi));
        json_object_set_new(o, "g2", json_real(r->g2));
        report_json_put(out, o, i ? ",\n  " : "\n  ", "");
    }
    fputs("],\n", out);
    report_json_put(out, report_json_notes(in->skipped, "reason"), " \"skipped\": ", ",\n");
    report_json_put(out, report_json_notes(in->errors, "message"), " \"errors\": ", "}\n");
}

static void print_sv(FILE *out, const struct report_cooc_info *in, const struct cooc_row *rows,
                     size_t n, int csv)
{
    static const char *const keys[] = {"a",     "b",     "joint", "count_a", "count_b",
                                       "occ_a", "occ_b", "pmi",   "g2"};
    const char *sep = csv ? "," : "\t", *eol = csv ? "\r\n" : "\n";
    struct sbuf sb = SBUF_INIT;
    report_sv_header(out, keys, sizeof(keys) / sizeof(keys[0]), csv);
    for (size_t i = 0; i < n; i++) {
        const struct cooc_row *r = &rows[i];
        sbuf_reset(&sb);
        report_sv_field(&sb, csv, term_of(in, r->a));
        sbuf_addstr(&sb, sep);
        report_sv_field(&sb, csv, term_of(in, r->b));
        fprintf(out, "%s%s%llu%s%llu%s%llu%s%llu%s%llu%s%.12g%s%.12g%s", sb.buf, sep,
                (unsigned long long)r->joint, sep, (unsigned long long)r->count_a, sep,
                (unsigned long long)r->count_b, sep, (unsigned long long)r->occ_a, sep,
                (unsigned long long)r->occ_b, sep, report_round4(r->pmi), sep, report_round4(r->g2),
                eol);
    }
    sbuf_release(&sb);
}

static void print_tsv(FILE *out, const struct report_cooc_info *in, const struct cooc_row *rows,
                      size_t n)
{
    print_sv(out, in, rows, n, 0);
}

static void print_csv(FILE *out, const struct report_cooc_info *in, const struct cooc_row *rows,
                      size_t n)
{
    print_sv(out, in, rows, n, 1);
}

/* Appends @s as a DOT quoted string. */
static void dot_string(struct sbuf *out, const char *s)
{
    struct sbuf clean = SBUF_INIT;
    report_utf8_sanitize(&clean, s);
    sbuf_addch(out, '"');
    for (size_t i = 0; i < clean.len; i++) {
        unsigned char c = (unsigned char)clean.buf[i];
        if (c == '"' || c == '\\') {
            sbuf_addch(out, '\\');
            sbuf_addch(out, c);
        } else if (c < 0x20 || c == 0x7F) {
            sbuf_addch(out, ' ');
        } else {
            sbuf_addch(out, c);
        }
    }
    sbuf_addch(out, '"');
    sbuf_release(&clean);
}

static void print_dot(FILE *out, const struct report_cooc_info *in, const struct cooc_row *rows,
                      size_t n)
{
    size_t shown[COOC_DOT_EDGES], k = 0;
    double max = 0;
    for (size_t i = 0; i < n && k < COOC_DOT_EDGES; i++)
        if (rows[i].pmi > 0) {
            shown[k++] = i;
            if (rows[i].g2 > max)
                max = rows[i].g2;
        }
    struct sbuf sb = SBUF_INIT;
    fprintf(out,
            "graph cooc {\n"
            "  // tifa cooc: %zu pair%s, the strongest by G2 (at most %d) of those seen together "
            "more often than chance; window %s, joint count at least %llu\n"
            "  node [shape=box];\n",
            k, k == 1 ? "" : "s", COOC_DOT_EDGES, cooc_window_name(in->window),
            (unsigned long long)(in->min_count ? in->min_count : 1));
    for (size_t e = 0; e < k; e++) {
        const struct cooc_row *r = &rows[shown[e]];
        sbuf_reset(&sb);
        sbuf_addstr(&sb, "  ");
        dot_string(&sb, term_of(in, r->a));
        sbuf_addstr(&sb, " -- ");
        dot_string(&sb, term_of(in, r->b));
        sbuf_addf(&sb, " [label=\"%llu\", penwidth=%.2f];\n", (unsigned long long)r->joint,
                  max > 0 ? 1 + 4 * report_round4(r->g2) / report_round4(max) : 1.0);
        fwrite(sb.buf, 1, sb.len, out);
    }
    fputs("}\n", out);
    sbuf_release(&sb);
}

/* One format of cooc's reporter. */
struct cooc_ops {
    struct report_format_def def; /* first: the family table points at it */
    void (*write)(FILE *out, const struct report_cooc_info *in, const struct cooc_row *rows,
                  size_t n);
};

static const struct cooc_ops cooc_table = {{"table", FMT_TABLE}, print_table};
static const struct cooc_ops cooc_json = {{"json", FMT_JSON}, print_json};
static const struct cooc_ops cooc_tsv = {{"tsv", FMT_TSV}, print_tsv};
static const struct cooc_ops cooc_csv = {{"csv", FMT_CSV}, print_csv};
static const struct cooc_ops cooc_dot = {{"dot", FMT_DOT}, print_dot};

static const struct report_format_def *const cooc_defs[] = {
    &cooc_table.def, &cooc_json.def, &cooc_tsv.def, &cooc_csv.def, &cooc_dot.def,
};

const struct report_formats report_cooc_formats = {cooc_defs,
                                                   sizeof(cooc_defs) / sizeof(cooc_defs[0])};

void report_cooc(FILE *out, enum report_format fmt, const struct report_cooc_info *info,
                 const struct cooc_row *rows, size_t n)
{
    const struct report_format_def *def = report_format_get(&report_cooc_formats, fmt);
    ((const struct cooc_ops *)def)->write(out, info, rows, n);
}
