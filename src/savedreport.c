/*
 * savedreport: parsing a saved tifa report (the JSON of `count` or `merge`) into memory.
 *
 * How it works: the whole file is read into a buffer and parsed by jansson (json_loadb with
 * JSON_REJECT_DUPLICATES), whose json_error_t gives the line, column and byte position of a
 * syntax error. The tree is then walked once: the version and command are checked first (so a
 * report of another version is refused for that reason, not for a field it lacks), then
 * lexicon, documents, totals, terms (categories only), skipped and errors. Term strings are
 * interned (intern.h) as they are met, giving a dense per-report term table; the per-term
 * arrays (categories, counts, doc_freq) grow together with it. Cost O(size of the report).
 * Ownership: every string is copied out of the jansson tree, which is freed before returning.
 */
#include "tifa/savedreport.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tifa/sbuf.h"
#include "tifa/xalloc.h"

int savedreport_sniff(const char *path)
{
    size_t n = strlen(path);
    struct stat st;
    if (!strcmp(path, "-") || stat(path, &st) || !S_ISREG(st.st_mode))
        return 0;
    if (n >= 5 && !strcmp(path + n - 5, ".json"))
        return 1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    int c, yes = 0;
    for (int i = 0; i < 4096 && (c = getc(f)) != EOF; i++) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        yes = c == '{';
        break;
    }
    fclose(f);
    return yes;
}

static size_t intern(struct savedreport *r, const char *term)
{
    int inserted;
    size_t id = intern_id(&r->terms, term, strlen(term), &inserted);
    if (intern_grow_parallel(&r->terms, &r->terms_alloc)) {
        r->categories = xreallocarray(r->categories, r->terms_alloc, sizeof(*r->categories));
        r->counts = xreallocarray(r->counts, r->terms_alloc, sizeof(*r->counts));
        r->doc_freq = xreallocarray(r->doc_freq, r->terms_alloc, sizeof(*r->doc_freq));
        r->abbreviation = xreallocarray(r->abbreviation, r->terms_alloc, 1);
    }
    if (inserted) {
        r->abbreviation[id] = 0;
        r->categories[id] = xstrdup("");
        r->counts[id] = 0;
        r->doc_freq[id] = 0;
    }
    return id;
}

size_t savedreport_term(const struct savedreport *r, const char *term)
{
    return intern_get(&r->terms, term, strlen(term));
}

/* ---- field readers: each returns 0 or fills @e with "WHERE: problem" ---- */

struct ctx {
    struct savedreport *r;
    struct tifa_err *e;
};

static int bad(struct ctx *c, const char *where, const char *what)
{
    return tifa_err_set(c->e, TIFA_EDATA, c->r->name, 0, -1, "%s: %s", where, what);
}

static int get_u64(struct ctx *c, json_t *obj, const char *key, const char *where, int required,
                   uint64_t *out)
{
    json_t *v = json_object_get(obj, key);
    char w[256];
    *out = 0;
    if (!v) {
        if (!required)
            return 0;
        snprintf(w, sizeof(w), "%s%s%s", where, *where ? "." : "", key);
        return bad(c, w, "missing");
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        snprintf(w, sizeof(w), "%s%s%s", where, *where ? "." : "", key);
        return bad(c, w, "not a non-negative integer");
    }
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

/* A {TERM: N} object: calls back with each (term id, count). */
static int get_counts(struct ctx *c, json_t *obj, const char *where,
                      void (*fn)(struct ctx *, size_t, uint64_t, void *), void *arg)
{
    const char *k;
    json_t *v;
    char w[256];
    if (!json_is_object(obj))
        return bad(c, where, obj ? "not an object" : "missing");
    json_object_foreach(obj, k, v)
    {
        if (!*k) {
            snprintf(w, sizeof(w), "%s", where);
            return bad(c, w, "empty term");
        }
        if (!json_is_integer(v) || json_integer_value(v) < 0) {
            snprintf(w, sizeof(w), "%s['%.200s']", where, k);
            return bad(c, w, "not a non-negative integer");
        }
        fn(c, intern(c->r, k), (uint64_t)json_integer_value(v), arg);
    }
    return 0;
}

static void add_doc_count(struct ctx *c, size_t id, uint64_t n, void *arg)
{
    struct savedreport_doc *d = arg;
    (void)c;
    if (!n)
        return;
    d->counts[d->ncounts].term_id = id;
    d->counts[d->ncounts].count = n;
    d->ncounts++;
}

static void set_total(struct ctx *c, size_t id, uint64_t n, void *arg)
{
    (void)arg;
    c->r->counts[id] = n;
}

static void set_doc_freq(struct ctx *c, size_t id, uint64_t n, void *arg)
{
    (void)arg;
    c->r->doc_freq[id] = n;
}

const char *const savedreport_reading_keys[4] = {"senses", "abbreviations", "expansions",
                                                 "partial"};

/* The reading keys of @o, or NULL: a new object holding references to them. */
static json_t *reading_of(json_t *o)
{
    json_t *r = NULL;
    for (size_t k = 0; k < 4; k++) {
        json_t *v = json_object_get(o, savedreport_reading_keys[k]);
        if (!v)
            continue;
        if (!r)
            r = json_object();
        json_object_set(r, savedreport_reading_keys[k], v);
    }
    return r;
}

static int get_documents(struct ctx *c, json_t *root)
{
    json_t *docs = json_object_get(root, "documents");
    char w[64];
    if (!json_is_array(docs))
        return bad(c, "documents", docs ? "not an array" : "missing");
    size_t n = json_array_size(docs);
    c->r->docs = xcalloc(n ? n : 1, sizeof(*c->r->docs));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(docs, i), *p, *enc, *counts;
        struct savedreport_doc *d = &c->r->docs[i];
        snprintf(w, sizeof(w), "documents[%zu]", i);
        if (!json_is_object(o))
            return bad(c, w, "not an object");
        p = json_object_get(o, "path");
        if (!json_is_string(p)) {
            snprintf(w, sizeof(w), "documents[%zu].path", i);
            return bad(c, w, p ? "not a string" : "missing");
        }
        d->path = xstrdup(json_string_value(p));
        c->r->ndocs = i + 1;
        enc = json_object_get(o, "encoding");
        if (enc && !json_is_string(enc)) {
            snprintf(w, sizeof(w), "documents[%zu].encoding", i);
            return bad(c, w, "not a string");
        }
        snprintf(d->encoding, sizeof(d->encoding), "%s", enc ? json_string_value(enc) : "");
        enc = json_object_get(o, "format");
        if (enc && !json_is_string(enc)) {
            snprintf(w, sizeof(w), "documents[%zu].format", i);
            return bad(c, w, "not a string");
        }
        snprintf(d->format, sizeof(d->format), "%s", enc ? json_string_value(enc) : "");
        enc = json_object_get(o, "script");
        if (enc && !json_is_string(enc)) {
            snprintf(w, sizeof(w), "documents[%zu].script", i);
            return bad(c, w, "not a string");
        }
        snprintf(d->script, sizeof(d->script), "%s", enc ? json_string_value(enc) : "");
        if (get_u64(c, o, "bytes", w, 0, &d->bytes) || get_u64(c, o, "chars", w, 0, &d->chars) ||
            get_u64(c, o, "han", w, 1, &d->han) || get_u64(c, o, "invalid", w, 0, &d->invalid))
            return c->e->code;
        counts = json_object_get(o, "counts");
        d->counts = xmalloc(st_mult(json_object_size(counts) + 1, sizeof(*d->counts)));
        snprintf(w, sizeof(w), "documents[%zu].counts", i);
        if (get_counts(c, counts, w, add_doc_count, d))
            return c->e->code;
        d->reading = reading_of(o);
    }
    return 0;
}

static int get_totals(struct ctx *c, json_t *root)
{
    json_t *t = json_object_get(root, "totals");
    struct savedreport *r = c->r;
    if (!json_is_object(t))
        return bad(c, "totals", t ? "not an object" : "missing");
    if (get_u64(c, t, "documents", "totals", 1, &r->documents) ||
        get_u64(c, t, "bytes", "totals", 0, &r->bytes) ||
        get_u64(c, t, "chars", "totals", 0, &r->chars) ||
        get_u64(c, t, "han", "totals", 1, &r->han) ||
        get_u64(c, t, "invalid", "totals", 0, &r->invalid) ||
        get_counts(c, json_object_get(t, "counts"), "totals.counts", set_total, NULL) ||
        get_counts(c, json_object_get(t, "doc_freq"), "totals.doc_freq", set_doc_freq, NULL))
        return c->e->code;
    r->reading = reading_of(t);
    return 0;
}

static int get_lexicon(struct ctx *c, json_t *root)
{
    json_t *lx = json_object_get(root, "lexicon"), *src;
    if (!lx)
        return 0;
    if (!json_is_object(lx))
        return bad(c, "lexicon", "not an object");
    if (get_u64(c, lx, "terms", "lexicon", 0, &c->r->lexicon_terms) ||
        get_u64(c, lx, "entries", "lexicon", 0, &c->r->lexicon_entries))
        return c->e->code;
    src = json_object_get(lx, "sources");
    if (!src)
        return 0;
    if (!json_is_array(src))
        return bad(c, "lexicon.sources", "not an array");
    c->r->sources = xcalloc(json_array_size(src) + 1, sizeof(char *));
    for (size_t i = 0; i < json_array_size(src); i++) {
        json_t *s = json_array_get(src, i);
        if (!json_is_string(s))
            return bad(c, "lexicon.sources", "not an array of strings");
        c->r->sources[c->r->nsources++] = xstrdup(json_string_value(s));
    }
    return 0;
}

static int get_settings(struct ctx *c, json_t *root)
{
    json_t *s = json_object_get(root, "settings");
    if (!s)
        return 0;
    if (!json_is_object(s))
        return bad(c, "settings", "not an object");
    c->r->settings = json_incref(s);
    return 0;
}

static int get_categories(struct ctx *c, json_t *root)
{
    json_t *terms = json_object_get(root, "terms");
    if (!terms)
        return 0;
    if (!json_is_array(terms))
        return bad(c, "terms", "not an array");
    for (size_t i = 0; i < json_array_size(terms); i++) {
        json_t *o = json_array_get(terms, i);
        json_t *t = json_object_get(o, "term"), *cat = json_object_get(o, "category");
        if (!json_is_string(t) || !*json_string_value(t)) {
            char w[64];
            snprintf(w, sizeof(w), "terms[%zu].term", i);
            return bad(c, w, "not a non-empty string");
        }
        if (json_is_string(cat) && *json_string_value(cat)) {
            size_t id = intern(c->r, json_string_value(t));
            free(c->r->categories[id]);
            c->r->categories[id] = xstrdup(json_string_value(cat));
        }
        json_t *kind = json_object_get(o, "kind");
        if (json_is_string(kind) && !strcmp(json_string_value(kind), "abbreviation"))
            c->r->abbreviation[intern(c->r, json_string_value(t))] = 1;
    }
    return 0;
}

static int get_notes(struct ctx *c, json_t *root, const char *key, const char *textkey,
                     struct note_list *out)
{
    json_t *a = json_object_get(root, key);
    if (!a)
        return 0;
    if (!json_is_array(a))
        return bad(c, key, "not an array");
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *o = json_array_get(a, i);
        json_t *p = json_object_get(o, "path"), *t = json_object_get(o, textkey);
        if (!json_is_string(p) || !json_is_string(t)) {
            char w[64];
            snprintf(w, sizeof(w), "%s[%zu]", key, i);
            return bad(c, w, "needs string fields 'path' and the text");
        }
        note_list_add(out, json_string_value(p), json_string_value(t));
    }
    return 0;
}

static void init(struct savedreport *r, const char *name)
{
    memset(r, 0, sizeof(*r));
    intern_init(&r->terms);
    r->name = xstrdup(name);
}

int savedreport_parse(struct savedreport *r, const char *buf, size_t len, const char *name,
                      struct tifa_err *e)
{
    json_error_t je;
    struct ctx c = {r, e};
    json_t *root, *v;
    int rc;

    init(r, name);
    root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        rc = tifa_err_set(e, TIFA_EDATA, name, je.line > 0 ? je.line : 0, je.position,
                          "invalid JSON: %s", je.text);
        if (e->code == rc && je.line > 0 && je.column > 0)
            e->col = je.column;
        savedreport_release(r);
        return rc;
    }
    if (!json_is_object(root)) {
        rc = bad(&c, "top level", "not a tifa report (not a JSON object)");
        goto out;
    }
    v = json_object_get(root, "tifa");
    if (!json_is_integer(v)) {
        rc =
            tifa_err_set(e, TIFA_EDATA, name, 0, -1, "not a tifa report (no \"tifa\" version key)");
        goto out;
    }
    if (json_integer_value(v) < SAVEDREPORT_VERSION_MIN ||
        json_integer_value(v) > SAVEDREPORT_VERSION) {
        rc = tifa_err_set(e, TIFA_EDATA, name, 0, -1,
                          "unsupported report version %lld (this tifa reads versions %d to %d)",
                          (long long)json_integer_value(v), SAVEDREPORT_VERSION_MIN,
                          SAVEDREPORT_VERSION);
        goto out;
    }
    v = json_object_get(root, "command");
    if (!json_is_string(v) ||
        (strcmp(json_string_value(v), "count") && strcmp(json_string_value(v), "merge"))) {
        rc = tifa_err_set(e, TIFA_EDATA, name, 0, -1, "not a count report: command '%.64s'",
                          json_is_string(v) ? json_string_value(v) : "?");
        goto out;
    }
    snprintf(r->command, sizeof(r->command), "%s", json_string_value(v));
    rc = get_lexicon(&c, root);
    if (!rc)
        rc = get_settings(&c, root);
    if (!rc)
        rc = get_documents(&c, root);
    if (!rc)
        rc = get_totals(&c, root);
    if (!rc)
        rc = get_categories(&c, root);
    if (!rc)
        rc = get_notes(&c, root, "skipped", "reason", &r->skipped);
    if (!rc)
        rc = get_notes(&c, root, "errors", "message", &r->errors);
out:
    json_decref(root);
    if (rc)
        savedreport_release(r);
    return rc;
}

int savedreport_load(struct savedreport *r, const char *path, struct tifa_err *e)
{
    char ebuf[128];
    struct sbuf sb = SBUF_INIT;
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    char chunk[65536];
    size_t n;
    int rc;

    init(r, path);
    if (!f) {
        rc = tifa_err_set(e, TIFA_EIO, path, 0, -1, "cannot open: %s",
                          tifa_strerror(errno, ebuf, sizeof(ebuf)));
        goto fail;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        sbuf_add(&sb, chunk, n);
    if (ferror(f)) {
        rc = tifa_err_set(e, TIFA_EIO, path, 0, -1, "read error: %s",
                          tifa_strerror(errno ? errno : EIO, ebuf, sizeof(ebuf)));
        if (f != stdin)
            fclose(f);
        goto fail;
    }
    if (f != stdin)
        fclose(f);
    savedreport_release(r);
    rc = savedreport_parse(r, sb.buf, sb.len, path, e);
    sbuf_release(&sb);
    return rc;
fail:
    sbuf_release(&sb);
    savedreport_release(r);
    return rc;
}

void savedreport_release(struct savedreport *r)
{
    free(r->name);
    for (size_t i = 0; i < r->nsources; i++)
        free(r->sources[i]);
    free(r->sources);
    for (size_t i = 0; i < r->terms.n; i++)
        free(r->categories[i]);
    intern_release(&r->terms);
    free(r->categories);
    free(r->counts);
    free(r->doc_freq);
    for (size_t i = 0; i < r->ndocs; i++) {
        free(r->docs[i].path);
        free(r->docs[i].counts);
        json_decref(r->docs[i].reading);
    }
    json_decref(r->reading);
    json_decref(r->settings);
    free(r->abbreviation);
    free(r->docs);
    note_list_release(&r->skipped);
    note_list_release(&r->errors);
    memset(r, 0, sizeof(*r));
    intern_init(&r->terms);
}
