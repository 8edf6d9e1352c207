/*
 * report_json: the JSON writer every reporter shares, and the JSON contract of `tifa count`
 * (json) and its line-delimited form (jsonl).
 *
 * How it works: values are built with jansson and written on one line by report_json_render,
 * a small writer of its own over json_t values. It exists because jansson's json_dumps prints
 * every real with one fixed precision (JSON_REAL_PRECISION): 12 digits lose what G² or a rate
 * holds, 17 digits print 0.1 as 0.10000000000000001. The writer picks the shortest round-trip
 * form per value instead (see report_json.h), and otherwise prints what json_dumps printed with
 * the flags tifa used (no indentation, insertion order, jansson's string escapes), so only the
 * digits of reals differ from it. The count reporter writes the enclosing object around the
 * values so documents stream out as they are counted (memory does not grow with the number of
 * documents). Strings that may not be UTF-8 (paths, messages) pass through
 * report_utf8_sanitize first, because jansson rightly refuses invalid UTF-8.
 */
#include "tifa/report_json.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/report.h"
#include "tifa/savedreport.h"
#include "tifa/xalloc.h"

_Static_assert(SAVEDREPORT_VERSION == REPORT_JSON_VERSION,
               "reports are read back in the version they are written in");

void report_json_add_string(struct sbuf *out, const char *s, size_t len)
{
    sbuf_add(out, "\"", 1);
    size_t run = 0; /* bytes from s[run] on that need no escape, added in one go */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        sbuf_add(out, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': sbuf_add(out, "\\\"", 2); break;
        case '\\': sbuf_add(out, "\\\\", 2); break;
        case '\b': sbuf_add(out, "\\b", 2); break;
        case '\f': sbuf_add(out, "\\f", 2); break;
        case '\n': sbuf_add(out, "\\n", 2); break;
        case '\r': sbuf_add(out, "\\r", 2); break;
        case '\t': sbuf_add(out, "\\t", 2); break;
        default: sbuf_addf(out, "\\u%04X", c);
        }
    }
    sbuf_add(out, s + run, len - run);
    sbuf_add(out, "\"", 1);
}

static void render_real(struct sbuf *out, double x)
{
    char buf[40];
    if (x == 0.0)
        x = 0.0; /* -0 */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    char *e = strchr(buf, 'e');
    if (!e) {
        sbuf_addstr(out, buf);
        if (!strchr(buf, '.'))
            sbuf_addstr(out, ".0");
        return;
    }
    /* 1e-05 -> 1e-5, 1e+20 -> 1e20, as jansson writes exponents */
    sbuf_add(out, buf, (size_t)(e + 1 - buf));
    const char *p = e + 1;
    if (*p == '-')
        sbuf_addch(out, *p);
    if (*p == '-' || *p == '+')
        p++;
    while (*p == '0' && p[1])
        p++;
    sbuf_addstr(out, p);
}

void report_json_render(struct sbuf *out, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *val;
        const char *sep = "";
        sbuf_addch(out, '{');
        /* json_object_foreach takes a non-const object but does not change it */
        json_object_foreach((json_t *)v, key, val)
        {
            sbuf_addstr(out, sep);
            report_json_add_string(out, key, strlen(key));
            sbuf_addstr(out, ": ");
            report_json_render(out, val);
            sep = ", ";
        }
        sbuf_addch(out, '}');
        break;
    }
    case JSON_ARRAY:
        sbuf_addch(out, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                sbuf_addstr(out, ", ");
            report_json_render(out, json_array_get(v, i));
        }
        sbuf_addch(out, ']');
        break;
    case JSON_STRING:
        report_json_add_string(out, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: sbuf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
    case JSON_REAL: render_real(out, json_real_value(v)); break;
    case JSON_TRUE: sbuf_addstr(out, "true"); break;
    case JSON_FALSE: sbuf_addstr(out, "false"); break;
    case JSON_NULL: sbuf_addstr(out, "null"); break;
    }
}

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

void report_json_put(FILE *out, json_t *v, const char *prefix, const char *suffix)
{
    struct sbuf sb = SBUF_INIT;
    sbuf_addstr(&sb, prefix);
    report_json_render(&sb, v);
    sbuf_addstr(&sb, suffix);
    fwrite(sb.buf, 1, sb.len, out);
    sbuf_release(&sb);
    json_decref(v);
}

static void put(struct report *r, json_t *v, const char *prefix, const char *suffix)
{
    report_json_put(r->out, v, prefix, suffix);
}

static void json_begin(struct report *r)
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
    fprintf(r->out, "{\"tifa\": %d, \"command\": \"%s\",\n", REPORT_JSON_VERSION, r->command);
    put(r, lex, " \"lexicon\": ", ",\n");
    if (r->settings)
        put(r, json_incref(r->settings), " \"settings\": ", ",\n");
    if (r->meta_json)
        put(r, json_incref(r->meta_json), " \"meta\": ", ",\n");
    fputs(" \"documents\": [", r->out);
}

/* --meta: the document's fields (absent ones left out) */
static json_t *meta_object(struct report *r, const struct agg_doc *doc)
{
    json_t *o = json_object();
    for (size_t f = 0; f < r->nmeta_fields; f++)
        if (doc->meta[f])
            json_object_set_new(o, r->meta_fields[f], jstr(r, doc->meta[f]));
    return o;
}

static json_t *counts_object(const struct report *r, const struct agg_count *c, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, r->lx->labels[c[i].label_id].term,
                            json_integer((json_int_t)c[i].count));
    return o;
}

/* An entry as the reports name it: its id, or its term when it has none. */
static const char *entry_name(const struct lexicon *lx, uint32_t entry)
{
    const struct lex_entry *en = &lx->entries[entry];
    return *en->id ? en->id : en->term;
}

/* The object under @key of @o, created empty when absent. */
static json_t *child_object(json_t *o, const char *key)
{
    json_t *l = json_object_get(o, key);
    if (!l) {
        l = json_object();
        json_object_set_new(o, key, l);
    }
    return l;
}

/* label -> {entry id -> count, "unresolved" -> count} */
static json_t *senses_object(const struct report *r, const struct resolve_result *res)
{
    json_t *o = json_object();
    for (size_t i = 0; i < res->nsenses; i++) {
        const struct resolve_sense *s = &res->senses[i];
        json_t *l = child_object(o, r->lx->labels[s->label_id].term);
        json_object_set_new(
            l, s->entry == RESOLVE_UNRESOLVED ? "unresolved" : entry_name(r->lx, s->entry),
            json_integer((json_int_t)s->count));
    }
    return o;
}

/* entry id -> sentences holding every component */
static json_t *expansions_object(const struct report *r, const struct resolve_result *res)
{
    json_t *o = json_object();
    for (size_t i = 0; i < res->nexpansions; i++) {
        const struct resolve_expansion *x = &res->expansions[i];
        if (!resolve_expansion_complete(r->lx, x))
            continue;
        json_object_set_new(o, entry_name(r->lx, x->entry), json_integer((json_int_t)x->count));
    }
    return o;
}

static int cmp_json_str(const json_t *a, const json_t *b)
{
    const char *x = json_string_value(a), *y = json_string_value(b);
    return strcmp(x ? x : "", y ? y : "");
}

static int cmp_partial(const void *pa, const void *pb)
{
    const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    int c = cmp_json_str(json_object_get(a, "id"), json_object_get(b, "id"));
    if (c)
        return c;
    const json_t *ca = json_object_get(a, "components"), *cb = json_object_get(b, "components");
    size_t na = json_array_size(ca), nb = json_array_size(cb);
    for (size_t i = 0; i < na && i < nb; i++)
        if ((c = cmp_json_str(json_array_get(ca, i), json_array_get(cb, i))) != 0)
            return c;
    return na < nb ? -1 : na > nb;
}

void report_json_sort_partial(json_t *a)
{
    size_t n = json_array_size(a);
    if (n < 2)
        return;
    json_t **v = xmalloc(st_mult(n, sizeof(*v)));
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(a, i));
    qsort(v, n, sizeof(*v), cmp_partial);
    json_array_clear(a);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, v[i]);
    free(v);
}

/* [{"id", "term", "components": [...], "complete", "sentences"}] for --partial */
static json_t *partial_array(const struct report *r, const struct resolve_result *res)
{
    json_t *a = json_array();
    for (size_t i = 0; i < res->nexpansions; i++) {
        const struct resolve_expansion *x = &res->expansions[i];
        const struct lex_entry *en = &r->lx->entries[x->entry];
        if (resolve_expansion_held(x) < r->partial)
            continue;
        json_t *o = json_object(), *c = json_array();
        json_object_set_new(o, "id", json_string(entry_name(r->lx, x->entry)));
        json_object_set_new(o, "term", json_string(en->term));
        for (size_t k = 0; k < en->nexpansion && k < 64; k++)
            if (x->mask >> k & 1)
                json_array_append_new(c, json_string(en->expansion[k]));
        json_object_set_new(o, "components", c);
        json_object_set_new(o, "complete", json_boolean(resolve_expansion_complete(r->lx, x)));
        json_object_set_new(o, "sentences", json_integer((json_int_t)x->count));
        json_array_append_new(a, o);
    }
    report_json_sort_partial(a);
    return a;
}

/* short form -> {entry id -> occurrences resolved to it} */
static json_t *abbreviations_object(const struct report *r, const struct resolve_result *res)
{
    json_t *o = json_object();
    for (size_t i = 0; i < res->nmoves; i++) {
        const struct resolve_move *m = &res->moves[i];
        json_t *l = child_object(o, r->lx->labels[m->from].term);
        json_object_set_new(l, entry_name(r->lx, m->entry), json_integer((json_int_t)m->count));
    }
    return o;
}

/* A merged report's reading keys, as the saved reports wrote them (summed for totals). */
static void reading_keys_json(json_t *o, json_t *read)
{
    for (size_t k = 0; read && k < 4; k++) {
        json_t *v = json_object_get(read, savedreport_reading_keys[k]);
        if (v)
            json_object_set(o, savedreport_reading_keys[k], v);
    }
}

static void reading_keys(const struct report *r, json_t *o, const struct resolve_result *res)
{
    if (r->senses) {
        json_object_set_new(o, "senses", senses_object(r, res));
        json_object_set_new(o, "abbreviations", abbreviations_object(r, res));
    }
    if (r->expansions)
        json_object_set_new(o, "expansions", expansions_object(r, res));
    if (r->partial)
        json_object_set_new(o, "partial", partial_array(r, res));
}

static void json_document(struct report *r, const struct agg_doc *doc)
{
    json_t *o = json_object();
    if (r->format == FMT_JSONL) /* a frame of the lines is filtered on it (pandas, jq) */
        json_object_set_new(o, "type", json_string("document"));
    json_object_set_new(o, "path", jstr(r, doc->path));
    if (doc->meta)
        json_object_set_new(o, "meta", meta_object(r, doc));
    json_object_set_new(o, "encoding", json_string(doc->encoding));
    if (doc->format[0]) /* a merge of reports made before "format" existed has none to give */
        json_object_set_new(o, "format", json_string(doc->format));
    if (doc->script[0]) /* the same for "script" */
        json_object_set_new(o, "script", json_string(doc->script));
    json_object_set_new(o, "bytes", json_integer((json_int_t)doc->bytes));
    json_object_set_new(o, "chars", json_integer((json_int_t)doc->chars));
    json_object_set_new(o, "han", json_integer((json_int_t)doc->han));
    json_object_set_new(o, "invalid", json_integer((json_int_t)doc->invalid));
    json_object_set_new(o, "counts", counts_object(r, doc->counts, doc->ncounts));
    reading_keys(r, o, &doc->read);
    reading_keys_json(o, doc->read_json);
    if (r->format == FMT_JSONL)
        put(r, o, "", "\n");
    else
        put(r, o, r->ndocs ? ",\n  " : "\n  ", "");
}

json_t *report_json_notes(const struct note_list *l, const char *key)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "path", report_json_string(l->v[i].path));
        json_object_set_new(o, key, report_json_string(l->v[i].text));
        json_array_append_new(a, o);
    }
    return a;
}

/* The keys of "totals", and of each group: documents, sizes, counts, doc_freq, reading keys. */
static json_t *totals_object(const struct report *r, const struct agg_total *tot)
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
    reading_keys(r, t, &tot->read);
    return t;
}

/* --group-by: [{"field", "value" (null: documents without it), the keys of totals}] */
static json_t *group_object(const struct report *r, const struct agg_group *g)
{
    json_t *o = json_object();
    if (r->format == FMT_JSONL)
        json_object_set_new(o, "type", json_string("group"));
    json_object_set_new(o, "field", json_string(r->group_field));
    json_object_set_new(o, "value", g->value ? json_string(g->value) : json_null());
    json_object_update_new(o, totals_object(r, &g->tot));
    return o;
}

static void json_end(struct report *r, const struct agg_total *tot, const struct note_list *sk,
                     const struct note_list *er)
{
    struct agg_row *rows;
    size_t nrows;
    json_t *t = totals_object(r, tot);
    reading_keys_json(t, r->totals_read_json);

    json_t *terms = json_array();
    agg_rows(tot, r->lx, r->sort, r->min_count, r->top, &rows, &nrows);
    for (size_t i = 0; i < nrows; i++) {
        const struct lex_label *l = &r->lx->labels[rows[i].label_id];
        json_t *o = json_object();
        json_object_set_new(o, "term", json_string(l->term));
        json_object_set_new(o, "category", json_string(l->category));
        if (l->abbreviation)
            json_object_set_new(o, "kind", json_string("abbreviation"));
        json_object_set_new(o, "count", json_integer((json_int_t)rows[i].count));
        json_object_set_new(o, "doc_freq", json_integer((json_int_t)rows[i].documents));
        json_object_set_new(o, "per_10k", json_real(rows[i].per_10k));
        json_array_append_new(terms, o);
    }
    free(rows);

    if (r->format == FMT_JSONL) {
        for (size_t g = 0; r->groups && g < r->groups->n; g++)
            put(r, group_object(r, &r->groups->v[g]), "", "\n");
        json_t *last = json_object();
        json_object_set_new(last, "type", json_string("totals"));
        if (r->settings)
            json_object_set(last, "settings", r->settings);
        json_object_set_new(last, "totals", t);
        json_object_set_new(last, "terms", terms);
        json_object_set_new(last, "skipped", report_json_notes(sk, "reason"));
        json_object_set_new(last, "errors", report_json_notes(er, "message"));
        put(r, last, "", "\n");
        return;
    }
    fputs(r->ndocs ? "],\n" : "],\n", r->out);
    put(r, t, " \"totals\": ", ",\n");
    if (r->groups) {
        json_t *groups = json_array();
        for (size_t g = 0; g < r->groups->n; g++)
            json_array_append_new(groups, group_object(r, &r->groups->v[g]));
        put(r, groups, " \"groups\": ", ",\n");
    }
    put(r, terms, " \"terms\": ", ",\n");
    put(r, report_json_notes(sk, "reason"), " \"skipped\": ", ",\n");
    put(r, report_json_notes(er, "message"), " \"errors\": ", "}\n");
}

const struct report_ops report_json_ops = {{"json", FMT_JSON}, json_begin, json_document, json_end};
const struct report_ops report_jsonl_ops = {
    {"jsonl", FMT_JSONL}, json_begin, json_document, json_end};
