/*
 * report_json: the JSON contract of `tifa count` (json) and its line-delimited form (jsonl).
 *
 * How it works: every object is built with jansson and dumped on one line; the enclosing
 * object is written around them so documents stream out as they are counted (memory does not
 * grow with the number of documents). Strings that may not be UTF-8 (paths, messages) pass
 * through report_utf8_sanitize first, because jansson rightly refuses invalid UTF-8.
 * Rates are rounded to 4 decimals and printed with 12 significant digits so that 4.56 prints
 * as 4.56.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "tifa/report.h"

#define DUMP_FLAGS (JSON_REAL_PRECISION(12) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)

json_t *report_json_string(const char *s)
{
    struct sbuf sb = SBUF_INIT;
    report_utf8_sanitize(&sb, s);
    json_t *v = json_stringn(sb.buf, sb.len);
    sbuf_release(&sb);
    return v;
}

static json_t *jstr(struct report *r, const char *s)
{
    sbuf_reset(&r->scratch);
    report_utf8_sanitize(&r->scratch, s);
    return json_stringn(r->scratch.buf, r->scratch.len);
}

static json_t *jrate(double x)
{
    return json_real(round(x * 10000.0) / 10000.0);
}

void report_json_put(FILE *out, json_t *v, const char *prefix, const char *suffix)
{
    char *s = json_dumps(v, DUMP_FLAGS);
    fputs(prefix, out);
    fputs(s, out);
    fputs(suffix, out);
    free(s);
    json_decref(v);
}

static void put(struct report *r, json_t *v, const char *prefix, const char *suffix)
{
    report_json_put(r->out, v, prefix, suffix);
}

void report_json_begin(struct report *r)
{
    if (r->format == FMT_JSONL)
        return;
    json_t *lex = json_object(), *src = json_array();
    const struct report_lexinfo *li = r->lexinfo;
    json_object_set_new(lex, "terms", json_integer((json_int_t)(li ? li->terms : r->lx->nlabels)));
    json_object_set_new(lex, "entries",
                        json_integer((json_int_t)(li ? li->entries : r->lx->nentries)));
    for (size_t i = 0; i < (li ? li->nsources : r->lx->nsources); i++)
        json_array_append_new(src, jstr(r, li ? li->sources[i] : r->lx->sources[i]));
    json_object_set_new(lex, "sources", src);
    fprintf(r->out, "{\"tifa\": 1, \"command\": \"%s\",\n", r->command);
    put(r, lex, " \"lexicon\": ", ",\n \"documents\": [");
}

static json_t *counts_object(const struct report *r, const struct agg_count *c, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, r->lx->labels[c[i].label_id].term, json_integer((json_int_t)c[i].count));
    return o;
}

void report_json_document(struct report *r, const struct agg_doc *doc)
{
    json_t *o = json_object();
    json_object_set_new(o, "path", jstr(r, doc->path));
    json_object_set_new(o, "encoding", json_string(doc->encoding));
    json_object_set_new(o, "bytes", json_integer((json_int_t)doc->bytes));
    json_object_set_new(o, "chars", json_integer((json_int_t)doc->chars));
    json_object_set_new(o, "han", json_integer((json_int_t)doc->han));
    json_object_set_new(o, "invalid", json_integer((json_int_t)doc->invalid));
    json_object_set_new(o, "counts", counts_object(r, doc->counts, doc->ncounts));
    if (r->format == FMT_JSONL)
        put(r, o, "", "\n");
    else
        put(r, o, r->ndocs ? ",\n  " : "\n  ", "");
}

static json_t *notes_array(struct report *r, const struct walk_note *n, size_t k, const char *key)
{
    json_t *a = json_array();
    for (size_t i = 0; i < k; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "path", jstr(r, n[i].path));
        json_object_set_new(o, key, jstr(r, n[i].text));
        json_array_append_new(a, o);
    }
    return a;
}

void report_json_end(struct report *r, const struct agg_total *tot, const struct walk_note *sk,
                     size_t nsk, const struct walk_note *er, size_t ner)
{
    struct agg_row *rows;
    size_t nrows;
    json_t *t = json_object(), *counts = json_object(), *df = json_object();

    agg_rows(tot, r->lx, AGG_SORT_COUNT, 0, 0, &rows, &nrows);
    for (size_t i = 0; i < nrows; i++) {
        const char *term = r->lx->labels[rows[i].label_id].term;
        json_object_set_new(counts, term, json_integer((json_int_t)rows[i].count));
        json_object_set_new(df, term, json_integer((json_int_t)rows[i].documents));
    }
    free(rows);
    json_object_set_new(t, "documents", json_integer((json_int_t)tot->documents));
    json_object_set_new(t, "bytes", json_integer((json_int_t)tot->bytes));
    json_object_set_new(t, "chars", json_integer((json_int_t)tot->chars));
    json_object_set_new(t, "han", json_integer((json_int_t)tot->han));
    json_object_set_new(t, "invalid", json_integer((json_int_t)tot->invalid));
    json_object_set_new(t, "counts", counts);
    json_object_set_new(t, "doc_freq", df);

    json_t *terms = json_array();
    agg_rows(tot, r->lx, r->sort, r->min_count, r->top, &rows, &nrows);
    for (size_t i = 0; i < nrows; i++) {
        const struct lex_label *l = &r->lx->labels[rows[i].label_id];
        json_t *o = json_object();
        json_object_set_new(o, "term", json_string(l->term));
        json_object_set_new(o, "category", json_string(l->category));
        json_object_set_new(o, "count", json_integer((json_int_t)rows[i].count));
        json_object_set_new(o, "documents", json_integer((json_int_t)rows[i].documents));
        json_object_set_new(o, "per_10k", jrate(rows[i].per_10k));
        json_array_append_new(terms, o);
    }
    free(rows);

    if (r->format == FMT_JSONL) {
        json_t *last = json_object();
        json_object_set_new(last, "totals", t);
        json_object_set_new(last, "terms", terms);
        json_object_set_new(last, "skipped", notes_array(r, sk, nsk, "reason"));
        json_object_set_new(last, "errors", notes_array(r, er, ner, "message"));
        put(r, last, "", "\n");
        return;
    }
    fputs(r->ndocs ? "],\n" : "],\n", r->out);
    put(r, t, " \"totals\": ", ",\n");
    put(r, terms, " \"terms\": ", ",\n");
    put(r, notes_array(r, sk, nsk, "reason"), " \"skipped\": ", ",\n");
    put(r, notes_array(r, er, ner, "message"), " \"errors\": ", "}\n");
}
