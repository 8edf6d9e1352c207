/*
 * report_discover: `tifa discover`'s formats (see report_discover.h for the keys).
 *
 * How it works: one function per format over the ranked table; JSON values are built with
 * jansson and written by report_json_put (the house number format), one candidate object per
 * line in jsonl; TSV and CSV escape with report_sv_field; the table goes through table.h, its
 * cells cleaned of control characters (U+FFFD) so a text cannot move the terminal's cursor.
 */
#include "tifa/report_discover.h"

#include <string.h>

#include "tifa/report.h"
#include "tifa/report_json.h"
#include "tifa/table.h"
#include "tifa/xalloc.h"

static size_t shown(const struct disc_table *t, const struct discover_summary *s)
{
    return s->top && s->top < t->n ? s->top : t->n;
}

static const char *rule_name(const struct disc_cand *c, const struct discover_summary *s)
{
    return c->kind == DISC_NUMBERED && c->rule_id < s->rules->rs.n ? s->rules->rs.v[c->rule_id].name
                                                                   : NULL;
}

/* ---- json, jsonl ---- */

static json_t *kinds_json(unsigned kinds)
{
    json_t *a = json_array();
    for (unsigned k = DISC_NUMBERED; k <= DISC_NGRAM; k <<= 1)
        if (kinds & k)
            json_array_append_new(a, json_string(disc_kind_name(k)));
    return a;
}

static json_t *cand_json(const struct disc_table *t, const struct disc_cand *c,
                         const struct discover_summary *s, struct sbuf *scratch)
{
    json_t *o = json_object();
    json_object_set_new(o, "phrase", report_json_string(c->phrase));
    json_object_set_new(o, "kind", json_string(disc_kind_name(c->kind)));
    const char *rule = rule_name(c, s);
    if (rule)
        json_object_set_new(o, "rule", report_json_string(rule));
    json_object_set_new(o, "count", json_integer((json_int_t)c->count));
    json_object_set_new(o, "doc_freq", json_integer((json_int_t)c->docs));
    json_t *first = json_array();
    for (uint32_t i = 0; i < c->nfirst; i++)
        json_array_append_new(first,
                              report_json_string(pathlist_get(s->paths, c->first_docs[i], NULL)));
    json_object_set_new(o, "first_documents", first);
    json_object_set_new(o, "first_period",
                        c->first_period ? report_json_string(c->first_period) : json_null());
    json_object_set_new(o, "example", report_json_string(disc_cand_example(t, c, scratch)));
    json_object_set_new(o, "known", json_boolean(c->known));
    if (c->has_reference) {
        json_object_set_new(o, "reference_count", json_integer((json_int_t)c->reference_count));
        json_object_set_new(o, "g2", json_real(c->g2));
        json_object_set_new(o, "log_ratio", json_real(c->log_ratio));
        json_object_set_new(o, "new", json_boolean(c->is_new));
    }
    return o;
}

static void print_json(FILE *out, const struct disc_table *t, const struct discover_summary *s)
{
    json_t *head = json_object();
    json_object_set_new(head, "tifa", json_integer(REPORT_JSON_VERSION));
    json_object_set_new(head, "command", json_string("discover"));
    json_object_set_new(head, "kinds", kinds_json(s->kinds));
    json_object_set_new(head, "min_docs", json_integer(s->min_docs));
    json_t *tot = json_object();
    json_object_set_new(tot, "documents", json_integer((json_int_t)s->documents));
    json_object_set_new(tot, "han", json_integer((json_int_t)s->han));
    json_object_set_new(tot, "candidates", json_integer((json_int_t)t->n));
    json_object_set_new(head, "totals", tot);
    if (s->has_reference) {
        json_t *ref = json_object();
        json_object_set_new(ref, "documents", json_integer((json_int_t)s->reference_documents));
        json_object_set_new(ref, "han", json_integer((json_int_t)s->reference_han));
        json_object_set_new(head, "reference", ref);
    }
    /* the envelope's head without its closing brace, then the candidates one per line */
    struct sbuf b;
    sbuf_init(&b);
    report_json_render(&b, head);
    json_decref(head);
    b.buf[b.len - 1] = '\0';
    fputs(b.buf, out);
    sbuf_release(&b);
    fputs(",\n \"candidates\": [", out);
    size_t n = shown(t, s);
    sbuf_init(&b);
    for (size_t i = 0; i < n; i++)
        report_json_put(out, cand_json(t, &t->v[i], s, &b), i ? ",\n  " : "\n  ", "");
    sbuf_release(&b);
    fputs(n ? "\n ],\n" : "],\n", out);
    report_json_put(out, report_json_notes(s->skipped, "reason"), " \"skipped\": ", ",\n");
    report_json_put(out, report_json_notes(s->errors, "message"), " \"errors\": ", "}\n");
}

static void print_jsonl(FILE *out, const struct disc_table *t, const struct discover_summary *s)
{
    size_t n = shown(t, s);
    struct sbuf b;
    sbuf_init(&b);
    for (size_t i = 0; i < n; i++)
        report_json_put(out, cand_json(t, &t->v[i], s, &b), "", "\n");
    sbuf_release(&b);
}

/* ---- tsv, csv ---- */

static void print_sv(FILE *out, const struct disc_table *t, const struct discover_summary *s,
                     int csv)
{
    const char sep = csv ? ',' : '\t';
    static const char *const cols[] = {"phrase",          "kind",      "rule",
                                       "count",           "doc_freq",  "first_period",
                                       "first_documents", "example",   "known"};
    static const char *const ref_cols[] = {"reference_count", "g2", "log_ratio", "new"};
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
        fprintf(out, "%s%s", i ? (csv ? "," : "\t") : "", cols[i]);
    for (size_t i = 0; s->has_reference && i < sizeof(ref_cols) / sizeof(ref_cols[0]); i++)
        fprintf(out, "%c%s", sep, ref_cols[i]);
    fputc('\n', out);
    struct sbuf line, firsts, ex;
    sbuf_init(&line);
    sbuf_init(&firsts);
    sbuf_init(&ex);
    size_t n = shown(t, s);
    for (size_t i = 0; i < n; i++) {
        const struct disc_cand *c = &t->v[i];
        const char *rule = rule_name(c, s);
        sbuf_reset(&line);
        report_sv_field(&line, csv, c->phrase);
        sbuf_addf(&line, "%c%s%c", sep, disc_kind_name(c->kind), sep);
        report_sv_field(&line, csv, rule ? rule : "");
        sbuf_addf(&line, "%c%llu%c%u%c", sep, (unsigned long long)c->count, sep, c->docs, sep);
        report_sv_field(&line, csv, c->first_period ? c->first_period : "");
        sbuf_addch(&line, sep);
        sbuf_reset(&firsts);
        for (uint32_t k = 0; k < c->nfirst; k++) {
            if (k)
                sbuf_addch(&firsts, '|');
            sbuf_addstr(&firsts, pathlist_get(s->paths, c->first_docs[k], NULL));
        }
        report_sv_field(&line, csv, firsts.buf ? firsts.buf : "");
        sbuf_addch(&line, sep);
        report_sv_field(&line, csv, disc_cand_example(t, c, &ex));
        sbuf_addf(&line, "%c%s", sep, c->known ? "true" : "false");
        if (c->has_reference)
            sbuf_addf(&line, "%c%llu%c%.6g%c%.4f%c%s", sep, (unsigned long long)c->reference_count,
                      sep, report_round_sig6(c->g2), sep, report_round4(c->log_ratio), sep,
                      c->is_new ? "true" : "false");
        sbuf_addch(&line, '\n');
        fwrite(line.buf, 1, line.len, out);
    }
    sbuf_release(&line);
    sbuf_release(&firsts);
    sbuf_release(&ex);
}

/* ---- lexicon ---- */

/* @s with tabs, line breaks and other control characters as spaces (a lexicon cell). */
static void lexicon_cell(struct sbuf *out, const char *s)
{
    for (; *s; s++)
        sbuf_addch(out, (unsigned char)*s < 0x20 || *s == 0x7F ? ' ' : *s);
}

static void print_lexicon(FILE *out, const struct disc_table *t, const struct discover_summary *s)
{
    struct sbuf line, ex;
    sbuf_init(&line);
    sbuf_init(&ex);
    fputs("# candidates found by tifa discover: review them, then count with --lexicon FILE\n",
          out);
    fputs("term\tcategory\tgloss\tsource\n", out);
    size_t n = shown(t, s);
    for (size_t i = 0; i < n; i++) {
        const struct disc_cand *c = &t->v[i];
        sbuf_reset(&line);
        lexicon_cell(&line, c->phrase);
        sbuf_addf(&line, "\tdiscovered:%s\t", disc_kind_name(c->kind));
        lexicon_cell(&line, disc_cand_example(t, c, &ex));
        sbuf_addf(&line, "\ttifa discover: %llu in %u documents, first in ",
                  (unsigned long long)c->count, c->docs);
        lexicon_cell(&line, c->nfirst ? pathlist_get(s->paths, c->first_docs[0], NULL) : "?");
        if (c->first_period) {
            sbuf_addstr(&line, " (");
            lexicon_cell(&line, c->first_period);
            sbuf_addch(&line, ')');
        }
        sbuf_addch(&line, '\n');
        fwrite(line.buf, 1, line.len, out);
    }
    sbuf_release(&line);
    sbuf_release(&ex);
}

/* ---- table ---- */

/* A table cell: control characters as U+FFFD. */
static void table_cell(struct table *tb, struct sbuf *scratch, const char *s)
{
    sbuf_reset(scratch);
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            sbuf_addstr(scratch, "\xEF\xBF\xBD");
        else
            sbuf_addch(scratch, *s);
    }
    table_add(tb, scratch->buf ? scratch->buf : "");
}

static void print_table(FILE *out, const struct disc_table *t, const struct discover_summary *s)
{
    static const enum table_align al[] = {TABLE_LEFT,  TABLE_LEFT,  TABLE_RIGHT,
                                          TABLE_RIGHT, TABLE_RIGHT, TABLE_RIGHT,
                                          TABLE_RIGHT, TABLE_LEFT,  TABLE_LEFT};
    static const enum table_align al_plain[] = {TABLE_LEFT,  TABLE_LEFT, TABLE_RIGHT,
                                                TABLE_RIGHT, TABLE_LEFT, TABLE_LEFT};
    struct table tb;
    struct sbuf scratch, ex;
    sbuf_init(&scratch);
    sbuf_init(&ex);
    if (s->has_reference) {
        table_init(&tb, 9, al, TABLE_TRIM);
        static const char *const h[] = {"PHRASE",    "KIND", "DOCS",  "COUNT",  "REF",
                                        "LOG RATIO", "G2",   "FIRST", "EXAMPLE"};
        table_add_row(&tb, h);
    } else {
        table_init(&tb, 6, al_plain, TABLE_TRIM);
        static const char *const h[] = {"PHRASE", "KIND", "DOCS", "COUNT", "FIRST", "EXAMPLE"};
        table_add_row(&tb, h);
    }
    size_t n = shown(t, s);
    for (size_t i = 0; i < n; i++) {
        const struct disc_cand *c = &t->v[i];
        table_cell(&tb, &scratch, c->phrase);
        table_add(&tb, disc_kind_name(c->kind));
        table_addf(&tb, "%u", c->docs);
        table_addf(&tb, "%llu", (unsigned long long)c->count);
        if (s->has_reference) {
            table_addf(&tb, "%llu%s", (unsigned long long)c->reference_count,
                       c->is_new ? " new" : "");
            table_addf(&tb, "%.2f", report_round4(c->log_ratio));
            table_addf(&tb, "%.2f", report_round4(c->g2));
        }
        table_cell(&tb, &scratch,
                   c->first_period
                       ? c->first_period
                       : (c->nfirst ? pathlist_get(s->paths, c->first_docs[0], NULL) : ""));
        table_cell(&tb, &scratch, disc_cand_example(t, c, &ex));
    }
    table_print(&tb, out);
    table_release(&tb);
    sbuf_release(&scratch);
    sbuf_release(&ex);
    if (n < t->n)
        fprintf(out, "(%zu of %zu candidates; --top 0 shows all)\n", n, t->n);
    else if (!t->n)
        fprintf(out, "(no candidates in %llu documents)\n", (unsigned long long)s->documents);
}

/* ---- the formats ---- */

struct discover_ops {
    struct report_format_def def;
    void (*print)(FILE *out, const struct disc_table *t, const struct discover_summary *s);
};

static void print_tsv(FILE *out, const struct disc_table *t, const struct discover_summary *s)
{
    print_sv(out, t, s, 0);
}

static void print_csv(FILE *out, const struct disc_table *t, const struct discover_summary *s)
{
    print_sv(out, t, s, 1);
}

static const struct discover_ops table_ops = {{"table", FMT_TABLE}, print_table};
static const struct discover_ops json_ops = {{"json", FMT_JSON}, print_json};
static const struct discover_ops jsonl_ops = {{"jsonl", FMT_JSONL}, print_jsonl};
static const struct discover_ops tsv_ops = {{"tsv", FMT_TSV}, print_tsv};
static const struct discover_ops csv_ops = {{"csv", FMT_CSV}, print_csv};
static const struct discover_ops lexicon_ops = {{"lexicon", FMT_LEXICON}, print_lexicon};

static const struct report_format_def *const discover_defs[] = {
    &table_ops.def, &json_ops.def, &jsonl_ops.def, &tsv_ops.def, &csv_ops.def, &lexicon_ops.def,
};

const struct report_formats report_discover_formats = {discover_defs, sizeof(discover_defs) /
                                                                          sizeof(discover_defs[0])};

void report_discover(FILE *out, enum report_format f, const struct disc_table *t,
                     const struct discover_summary *s)
{
    const struct discover_ops *ops =
        (const struct discover_ops *)report_format_get(&report_discover_formats, f);
    ops->print(out, t, s);
}
