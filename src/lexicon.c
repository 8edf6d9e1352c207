/*
 * lexicon: reading, validating and writing lexicons.
 *
 * How it works: the three text forms are parsed into struct lex_entry records appended in load
 * order (each remembers its origin file and line). lexicon_finish() then works on normalized
 * keys (normalize_pattern, re-encoded as UTF-8) in three passes over the entries:
 *   1. terms: within one origin a repeated term is an error unless all its senses carry
 *      distinct ids; a later origin redefining a term drops the earlier origin's entries;
 *   2. labels: one per distinct surviving term, in first-seen order (dense label ids);
 *   3. patterns: every term and alias; a key already owned by another label is a conflict.
 * All maps are strmaps keyed by the normalized UTF-8 string; the work is O(total pattern bytes).
 * Memory: run lifetime, released by lexicon_release().
 */
#include "tifa/lexicon.h"

#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

#include "tifa/csv.h"
#include "tifa/embedded.h"
#include "tifa/normalize.h"
#include "tifa/strmap.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

enum col {
    COL_ID,
    COL_TERM,
    COL_CATEGORY,
    COL_ALIASES,
    COL_EXPANSION,
    COL_GLOSS,
    COL_SINCE,
    COL_SOURCE,
    COL_NOT_WITHIN,
    COL_CUES,
    COL_ABBREVIATIONS,
    NCOLS
};
static const char *const col_names[NCOLS] = {"id",         "term",  "category",     "aliases",
                                             "expansion",  "gloss", "since",        "source",
                                             "not_within", "cues",  "abbreviations"};

void lexicon_init(struct lexicon *lx)
{
    memset(lx, 0, sizeof(*lx));
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void entry_release(struct lex_entry *en)
{
    free(en->id);
    free(en->term);
    free(en->category);
    free_list(en->aliases, en->naliases);
    free_list(en->expansion, en->nexpansion);
    free_list(en->not_within, en->nnot_within);
    free_list(en->cues, en->ncues);
    free_list(en->abbreviations, en->nabbreviations);
    free(en->gloss);
    free(en->source);
}

/* Returns 1 when @fn changed *@s. */
static int rewrite_one(char **s, lexicon_rewrite_fn *fn, void *arg)
{
    char *r = fn(*s, arg);
    if (!r)
        return 0;
    free(*s);
    *s = r;
    return 1;
}

static void rewrite_list(char **v, size_t n, lexicon_rewrite_fn *fn, void *arg)
{
    for (size_t i = 0; i < n; i++)
        rewrite_one(&v[i], fn, arg);
}

/* Drops the aliases that became the entry's term or an earlier alias of it. */
static void drop_same_aliases(struct lex_entry *en)
{
    size_t kept = 0;
    for (size_t i = 0; i < en->naliases; i++) {
        int same = !strcmp(en->aliases[i], en->term);
        for (size_t j = 0; j < kept && !same; j++)
            same = !strcmp(en->aliases[i], en->aliases[j]);
        if (same)
            free(en->aliases[i]);
        else
            en->aliases[kept++] = en->aliases[i];
    }
    en->naliases = kept;
}

/* Whether entry @b, rewritten, only repeats entry @a of the same file: the file listed the
 * formula in both scripts (senses with distinct ids are not repeats). */
static int repeats(const struct lex_entry *a, const struct lex_entry *b)
{
    return !strcmp(a->origin, b->origin) && !(*a->id && *b->id && strcmp(a->id, b->id));
}

void lexicon_rewrite_patterns(struct lexicon *lx, size_t from, lexicon_rewrite_fn *fn, void *arg)
{
    size_t n = lx->nentries;
    if (n <= from)
        return;
    unsigned char *changed = xcalloc(n - from, 1);
    for (size_t k = from; k < n; k++) {
        struct lex_entry *en = &lx->entries[k];
        changed[k - from] = (unsigned char)rewrite_one(&en->term, fn, arg);
        rewrite_list(en->aliases, en->naliases, fn, arg);
        rewrite_list(en->expansion, en->nexpansion, fn, arg);
        rewrite_list(en->not_within, en->nnot_within, fn, arg);
        rewrite_list(en->cues, en->ncues, fn, arg);
        rewrite_list(en->abbreviations, en->nabbreviations, fn, arg);
        drop_same_aliases(en);
    }
    /* an entry whose term the rewrite made equal to a term of the same file is a repeat: the
     * entries left as written hold their terms first, so the rewritten one goes */
    struct strmap terms;
    strmap_init(&terms);
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = from; k < n; k++) {
            struct lex_entry *en = &lx->entries[k];
            if (changed[k - from] != pass)
                continue;
            int inserted;
            size_t *first = strmap_put(&terms, en->term, strlen(en->term), k, &inserted);
            if (!inserted && pass == 1 && repeats(&lx->entries[*first], en))
                changed[k - from] = 2;
        }
    strmap_release(&terms);
    size_t kept = from;
    for (size_t k = from; k < n; k++) {
        if (changed[k - from] == 2)
            entry_release(&lx->entries[k]);
        else
            lx->entries[kept++] = lx->entries[k];
    }
    lx->nentries = kept;
    free(changed);
}

void lexicon_release(struct lexicon *lx)
{
    for (size_t i = 0; i < lx->nentries; i++)
        entry_release(&lx->entries[i]);
    free(lx->entries);
    for (size_t i = 0; i < lx->nlabels; i++)
        free(lx->labels[i].term);
    free(lx->labels);
    free(lx->patterns);
    free(lx->blockers);
    free_list(lx->sources, lx->nsources);
    free_list(lx->categories, lx->ncategories);
    free_list(lx->category_desc, lx->ncategories);
    note_list_release(&lx->notes);
    lexicon_init(lx);
}

static const char *add_source(struct lexicon *lx, const char *name)
{
    ALLOC_GROW(lx->sources, lx->nsources + 1, lx->sources_alloc);
    lx->sources[lx->nsources] = xstrdup(name);
    return lx->sources[lx->nsources++];
}

/* Normalized UTF-8 key of a term or alias; returns its length, 0 when empty, -1 on bad UTF-8. */
static long norm_key(const char *s, struct sbuf *key, struct tifa_err *e)
{
    size_t len = strlen(s);
    uint32_t stackbuf[256];
    uint32_t *cps = len < 256 ? stackbuf : xmalloc(st_mult(len + 1, sizeof(uint32_t)));
    long n = normalize_pattern(s, len, cps, len + 1, e);
    sbuf_reset(key);
    for (long i = 0; i < n; i++) {
        char u[4];
        sbuf_add(key, u, utf8_encode(cps[i], u));
    }
    if (cps != stackbuf)
        free(cps);
    return n < 0 ? -1 : (long)key->len;
}

int lexicon_find(const struct lexicon *lx, const char *s, uint32_t *label_id, struct tifa_err *e)
{
    struct sbuf want, key;
    int found = 0;
    sbuf_init(&want);
    sbuf_init(&key);
    long n = norm_key(s, &want, e);
    if (n == 0)
        tifa_err_set(e, TIFA_EUSAGE, NULL, 0, -1,
                     "'%s' is no term: nothing is left after normalization", s);
    if (n <= 0) {
        found = -1;
        goto out;
    }
    /* a linear pass: a few lookups per run against a few thousand patterns */
    for (size_t i = 0; i < lx->npatterns && !found; i++) {
        if (norm_key(lx->patterns[i].text, &key, e) == n && !memcmp(key.buf, want.buf, want.len)) {
            *label_id = lx->patterns[i].label_id;
            found = 1;
        }
    }
out:
    sbuf_release(&want);
    sbuf_release(&key);
    return found;
}

static char *trim_dup(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    return xstrndup(s, len);
}

/* Splits "a|b|c" into trimmed, non-empty parts. */
static int split_bar(const char *s, char ***out, size_t *n, const char *what, const char *path,
                     long line, struct tifa_err *e)
{
    size_t alloc = 0;
    *out = NULL;
    *n = 0;
    if (!*s)
        return 0;
    for (;;) {
        const char *bar = strchr(s, '|');
        size_t len = bar ? (size_t)(bar - s) : strlen(s);
        char *part = trim_dup(s, len);
        if (!*part) {
            free(part);
            return tifa_err_set(e, TIFA_EDATA, path, line, -1, "empty %s component", what);
        }
        ALLOC_GROW(*out, *n + 1, alloc);
        (*out)[(*n)++] = part;
        if (!bar)
            return 0;
        s = bar + 1;
    }
}

static int parse_since(const char *s, int *year, const char *path, long line, struct tifa_err *e)
{
    char *end;
    long v;
    *year = 0;
    if (!*s)
        return 0;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < 1000 || v > 2999)
        return tifa_err_set(e, TIFA_EDATA, path, line, -1, "invalid since year '%s'", s);
    *year = (int)v;
    return 0;
}

static struct lex_entry *new_entry(struct lexicon *lx, const char *origin, long line)
{
    ALLOC_GROW(lx->entries, lx->nentries + 1, lx->entries_alloc);
    struct lex_entry *en = &lx->entries[lx->nentries++];
    memset(en, 0, sizeof(*en));
    en->origin = origin;
    en->line = line;
    return en;
}

static void fill_empty_fields(struct lex_entry *en)
{
    if (!en->id)
        en->id = xstrdup("");
    if (!en->category)
        en->category = xstrdup("");
    if (!en->gloss)
        en->gloss = xstrdup("");
    if (!en->source)
        en->source = xstrdup("");
}

static int check_text(const char *s, const char *what, const char *path, long line,
                      struct tifa_err *e)
{
    size_t len = strlen(s);
    size_t ok = utf8_valid_prefix((const unsigned char *)s, len);
    if (ok != len)
        return tifa_err_set(e, TIFA_EDATA, path, line, -1, "invalid UTF-8 in %s at byte %zu", what,
                            ok);
    return 0;
}

/* Checks that a term, alias or expansion component normalizes to something non-empty. */
static int check_pattern_text(const char *s, const char *what, struct sbuf *key, const char *path,
                              long line, struct tifa_err *e)
{
    struct tifa_err sub;
    tifa_err_init(&sub);
    long n = norm_key(s, key, &sub);
    if (n < 0)
        return tifa_err_set(e, TIFA_EDATA, path, line, -1, "%s: %s", what, sub.msg);
    if (n == 0)
        return tifa_err_set(e, TIFA_EDATA, path, line, -1, "empty %s", what);
    return 0;
}

static int validate_entry(const struct lex_entry *en, struct sbuf *key, struct tifa_err *e)
{
    const char *p = en->origin;
    if (check_pattern_text(en->term, "term", key, p, en->line, e))
        return TIFA_EDATA;
    for (size_t i = 0; i < en->naliases; i++)
        if (check_pattern_text(en->aliases[i], "alias", key, p, en->line, e))
            return TIFA_EDATA;
    for (size_t i = 0; i < en->nexpansion; i++)
        if (check_pattern_text(en->expansion[i], "expansion component", key, p, en->line, e))
            return TIFA_EDATA;
    for (size_t i = 0; i < en->nnot_within; i++)
        if (check_pattern_text(en->not_within[i], "not_within string", key, p, en->line, e))
            return TIFA_EDATA;
    for (size_t i = 0; i < en->ncues; i++)
        if (check_pattern_text(en->cues[i], "cue", key, p, en->line, e))
            return TIFA_EDATA;
    for (size_t i = 0; i < en->nabbreviations; i++)
        if (check_pattern_text(en->abbreviations[i], "abbreviation", key, p, en->line, e))
            return TIFA_EDATA;
    if (check_text(en->id, "id", p, en->line, e) ||
        check_text(en->category, "category", p, en->line, e) ||
        check_text(en->gloss, "gloss", p, en->line, e) ||
        check_text(en->source, "source", p, en->line, e))
        return TIFA_EDATA;
    return 0;
}

/* ---- plain list and TSV ---- */

struct line_iter {
    const char *p, *end;
    long line;
};

static int next_line(struct line_iter *it, const char **s, size_t *len)
{
    if (it->p >= it->end)
        return 0;
    const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
    size_t n = nl ? (size_t)(nl - it->p) : (size_t)(it->end - it->p);
    *s = it->p;
    *len = n;
    if (n && (*s)[n - 1] == '\r')
        (*len)--;
    it->p += n + (nl ? 1 : 0);
    it->line++;
    return 1;
}

static int is_blank_or_comment(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i == len || s[i] == '#';
}

static int load_list(struct lexicon *lx, const char *buf, size_t len, const char *origin,
                     struct tifa_err *e)
{
    struct line_iter it = {buf, buf + len, 0};
    const char *s;
    size_t n;
    struct sbuf key = SBUF_INIT;
    int rc = 0;
    while (!rc && next_line(&it, &s, &n)) {
        if (is_blank_or_comment(s, n))
            continue;
        char *term = trim_dup(s, n);
        /* no formula holds an ASCII comma or a tab (the built-in ones use '，' and '、'):
         * such a line is a table read without its header, and its terms would count nothing */
        if (strchr(term, '\t')) {
            free(term);
            rc = tifa_err_set(e, TIFA_EDATA, origin, it.line, -1,
                              "a tab in a plain list (one term a line): is this a TSV lexicon "
                              "without its header line? add one (id, term, category, ...)");
            break;
        }
        if (strchr(term, ',')) {
            free(term);
            rc = tifa_err_set(e, TIFA_EDATA, origin, it.line, -1,
                              "a comma in a plain list (one term a line): is this a CSV lexicon? "
                              "name it .csv and add a header line (id,term,category,...)");
            break;
        }
        struct lex_entry *en = new_entry(lx, origin, it.line);
        en->term = term;
        fill_empty_fields(en);
        rc = validate_entry(en, &key, e);
    }
    sbuf_release(&key);
    return rc;
}

int lexicon_add_term(struct lexicon *lx, const char *term, const char *origin, struct tifa_err *e)
{
    struct sbuf key = SBUF_INIT;
    int same = lx->nsources && !strcmp(lx->sources[lx->nsources - 1], origin);
    const char *src = same ? lx->sources[lx->nsources - 1] : add_source(lx, origin);
    long line = 1;
    for (size_t i = lx->nentries; i > 0 && lx->entries[i - 1].origin == src; i--)
        line++;
    struct lex_entry *en = new_entry(lx, src, line);
    en->term = xstrdup(term);
    fill_empty_fields(en);
    int rc = validate_entry(en, &key, e);
    sbuf_release(&key);
    return rc;
}

/* The header row: each field names a column (colmap[i]); "term" is required. */
static int read_header(const struct csv_row *row, int *colmap, const char *origin,
                       struct tifa_err *e)
{
    int seen[NCOLS] = {0};
    if (row->n > NCOLS)
        return tifa_err_set(e, TIFA_EDATA, origin, row->line, -1,
                            "too many columns in header (%zu)", row->n);
    for (size_t i = 0; i < row->n; i++) {
        char *name = trim_dup(row->field[i], strlen(row->field[i]));
        int c = -1;
        for (int k = 0; k < NCOLS; k++)
            if (!strcmp(name, col_names[k]))
                c = k;
        if (c < 0 || seen[c]) {
            tifa_err_set(e, TIFA_EDATA, origin, row->line, -1, "%s column '%s'",
                         c < 0 ? "unknown" : "repeated", name);
            free(name);
            return TIFA_EDATA;
        }
        free(name);
        seen[c] = 1;
        colmap[i] = c;
    }
    if (!seen[COL_TERM])
        return tifa_err_set(e, TIFA_EDATA, origin, row->line, -1, "no 'term' column in header");
    return 0;
}

static int is_blank_row(const struct csv_row *row)
{
    for (size_t i = 0; i < row->n; i++)
        for (const char *s = row->field[i]; *s; s++)
            if (*s != ' ' && *s != '\t' && *s != '\r')
                return 0;
    return 1;
}

static int read_entry(struct lexicon *lx, const struct csv_row *row, const int *colmap,
                      const char *origin, struct sbuf *key, struct tifa_err *e)
{
    struct lex_entry *en = new_entry(lx, origin, row->line);
    long line = row->line;
    int rc = 0;
    for (size_t i = 0; i < row->n && !rc; i++) {
        char *v = trim_dup(row->field[i], strlen(row->field[i]));
        switch (colmap[i]) {
        case COL_ID: en->id = v; break;
        case COL_TERM: en->term = v; break;
        case COL_CATEGORY: en->category = v; break;
        case COL_GLOSS: en->gloss = v; break;
        case COL_SOURCE: en->source = v; break;
        case COL_SINCE:
            rc = parse_since(v, &en->since, origin, line, e);
            free(v);
            break;
        case COL_ALIASES:
            rc = split_bar(v, &en->aliases, &en->naliases, "alias", origin, line, e);
            free(v);
            break;
        case COL_EXPANSION:
            rc = split_bar(v, &en->expansion, &en->nexpansion, "expansion", origin, line, e);
            free(v);
            break;
        case COL_NOT_WITHIN:
            rc = split_bar(v, &en->not_within, &en->nnot_within, "not_within", origin, line, e);
            free(v);
            break;
        case COL_CUES:
            rc = split_bar(v, &en->cues, &en->ncues, "cues", origin, line, e);
            free(v);
            break;
        case COL_ABBREVIATIONS:
            rc = split_bar(v, &en->abbreviations, &en->nabbreviations, "abbreviations", origin,
                           line, e);
            free(v);
            break;
        }
    }
    if (!en->term)
        en->term = xstrdup("");
    fill_empty_fields(en);
    return rc ? rc : validate_entry(en, key, e);
}

/* TSV (@sep '\t') and CSV (','): one row loop over csv.h's reader, a header row first. */
static int load_table(struct lexicon *lx, const char *buf, size_t len, char sep, const char *origin,
                      struct tifa_err *e)
{
    struct csv_reader r;
    struct csv_row row;
    int colmap[NCOLS];
    size_t ncols = 0;
    struct sbuf key = SBUF_INIT;
    int rc;

    csv_reader_init(&r, buf, len, sep, origin);
    /* a row may begin with a tab (an empty id) and its term with '#': a comment is a '#' after
     * spaces only, so that every row lexicon_write_tsv writes reads back as a row */
    r.comment = '#';
    while ((rc = csv_next_row(&r, &row, e)) > 0) {
        if (is_blank_row(&row))
            continue;
        if (!ncols) {
            if ((rc = read_header(&row, colmap, origin, e)) != 0)
                break;
            ncols = row.n;
        } else if (row.n != ncols) {
            rc = tifa_err_set(e, TIFA_EDATA, origin, row.line, -1,
                              "wrong column count: expected %zu, found %zu", ncols, row.n);
            break;
        } else if ((rc = read_entry(lx, &row, colmap, origin, &key, e)) != 0) {
            break;
        }
    }
    csv_reader_release(&r);
    sbuf_release(&key);
    return rc; /* 0 also for only comments: an empty lexicon */
}

/* ---- JSON ---- */

static int json_str_field(json_t *v, const char *k, char **out, const char *path, long idx,
                          struct tifa_err *e)
{
    if (!json_is_string(v))
        return tifa_err_set(e, TIFA_EDATA, path, 0, -1, "entry %ld: '%s' must be a string", idx, k);
    *out = xstrdup(json_string_value(v));
    return 0;
}

static int json_list_field(json_t *v, const char *k, char ***out, size_t *n, const char *path,
                           long idx, struct tifa_err *e)
{
    if (json_is_string(v))
        return split_bar(json_string_value(v), out, n, k, path, 0, e);
    if (!json_is_array(v))
        return tifa_err_set(e, TIFA_EDATA, path, 0, -1,
                            "entry %ld: '%s' must be an array of strings", idx, k);
    *n = json_array_size(v);
    *out = xcalloc(*n ? *n : 1, sizeof(char *));
    for (size_t i = 0; i < *n; i++) {
        json_t *s = json_array_get(v, i);
        if (!json_is_string(s) || !*json_string_value(s)) {
            *n = i;
            return tifa_err_set(e, TIFA_EDATA, path, 0, -1,
                                "entry %ld: '%s' must hold non-empty strings", idx, k);
        }
        (*out)[i] = xstrdup(json_string_value(s));
    }
    return 0;
}

static int load_json(struct lexicon *lx, const char *buf, size_t len, const char *origin,
                     struct tifa_err *e)
{
    json_error_t je;
    json_t *root = json_loadb(buf, len, 0, &je);
    struct sbuf key = SBUF_INIT;
    int rc = 0;
    if (!root)
        return tifa_err_set(e, TIFA_EDATA, origin, je.line > 0 ? je.line : 0, -1, "%s", je.text);
    if (!json_is_array(root)) {
        json_decref(root);
        return tifa_err_set(e, TIFA_EDATA, origin, 1, -1,
                            "a JSON lexicon must be an array of objects");
    }
    for (size_t i = 0; i < json_array_size(root) && !rc; i++) {
        json_t *obj = json_array_get(root, i), *v;
        const char *k;
        long idx = (long)i + 1;
        if (!json_is_object(obj)) {
            rc = tifa_err_set(e, TIFA_EDATA, origin, 0, -1, "entry %ld: not an object", idx);
            break;
        }
        struct lex_entry *en = new_entry(lx, origin, 0);
        en->line = -idx; /* negative: an entry number, see lex_where() */
        json_object_foreach(obj, k, v)
        {
            if (rc)
                break;
            if (!strcmp(k, "term"))
                rc = json_str_field(v, k, &en->term, origin, idx, e);
            else if (!strcmp(k, "id"))
                rc = json_str_field(v, k, &en->id, origin, idx, e);
            else if (!strcmp(k, "category"))
                rc = json_str_field(v, k, &en->category, origin, idx, e);
            else if (!strcmp(k, "gloss"))
                rc = json_str_field(v, k, &en->gloss, origin, idx, e);
            else if (!strcmp(k, "source"))
                rc = json_str_field(v, k, &en->source, origin, idx, e);
            else if (!strcmp(k, "aliases"))
                rc = json_list_field(v, k, &en->aliases, &en->naliases, origin, idx, e);
            else if (!strcmp(k, "expansion"))
                rc = json_list_field(v, k, &en->expansion, &en->nexpansion, origin, idx, e);
            else if (!strcmp(k, "not_within"))
                rc = json_list_field(v, k, &en->not_within, &en->nnot_within, origin, idx, e);
            else if (!strcmp(k, "cues"))
                rc = json_list_field(v, k, &en->cues, &en->ncues, origin, idx, e);
            else if (!strcmp(k, "abbreviations"))
                rc = json_list_field(v, k, &en->abbreviations, &en->nabbreviations, origin, idx, e);
            else if (!strcmp(k, "since")) {
                if (json_is_integer(v) && json_integer_value(v) >= 1000 &&
                    json_integer_value(v) <= 2999)
                    en->since = (int)json_integer_value(v);
                else if (json_is_string(v))
                    rc = parse_since(json_string_value(v), &en->since, origin, 0, e);
                else if (!json_is_null(v))
                    rc = tifa_err_set(e, TIFA_EDATA, origin, 0, -1, "entry %ld: invalid since year",
                                      idx);
            } else
                rc = tifa_err_set(e, TIFA_EDATA, origin, 0, -1, "entry %ld: unknown key '%s'", idx,
                                  k);
        }
        if (!en->term)
            en->term = xstrdup("");
        fill_empty_fields(en);
        if (!rc) {
            rc = validate_entry(en, &key, e);
            if (rc && e->line < 0) {
                /* validate_entry used the JSON entry number as a line: say so. */
                char msg[sizeof(e->msg)];
                snprintf(msg, sizeof(msg), "entry %ld: %.480s", idx, e->msg);
                memcpy(e->msg, msg, sizeof(msg));
                e->line = 0;
            }
        }
    }
    json_decref(root);
    sbuf_release(&key);
    return rc;
}

/* 1 when a field of the line @s (@n bytes), split at @sep, is "term" (trimmed, maybe quoted). */
static int has_term_field(const char *s, size_t n, char sep)
{
    while (n) {
        const char *end = memchr(s, sep, n);
        size_t k = end ? (size_t)(end - s) : n;
        char *f = trim_dup(s, k);
        int yes = !strcmp(f, "term") || !strcmp(f, "\"term\"");
        free(f);
        if (yes)
            return 1;
        if (!end)
            break;
        n -= k + 1;
        s = end + 1;
    }
    return 0;
}

/* 1 when @name ends in @ext, ignoring case. */
static int has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), k = strlen(ext);
    return n > k && !strcasecmp(name + n - k, ext);
}

static enum lex_format sniff(const char *buf, size_t len, const char *name)
{
    struct line_iter it = {buf, buf + len, 0};
    const char *s;
    size_t n;
    size_t i = 0;
    if (has_ext(name, ".csv"))
        return LEX_CSV;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
        i++;
    if (i < len && buf[i] == '[')
        return LEX_JSON;
    while (next_line(&it, &s, &n)) {
        if (is_blank_or_comment(s, n))
            continue;
        /* a header line decides, also where a pipe hides the file's name */
        if (has_term_field(s, n, '\t'))
            return LEX_TSV;
        return has_term_field(s, n, ',') ? LEX_CSV : LEX_LIST;
    }
    return LEX_LIST;
}

int lexicon_load_buf(struct lexicon *lx, const char *buf, size_t len, const char *name,
                     enum lex_format fmt, struct tifa_err *e)
{
    const char *origin = add_source(lx, name);
    struct sbuf utf8 = SBUF_INIT;
    int rc = 0;
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        buf += 3, len -= 3;
    if (lx->decode &&
        (memchr(buf, '\0', len) || utf8_valid_prefix((const unsigned char *)buf, len) != len)) {
        rc = lx->decode(buf, len, name, &utf8, e);
        if (rc < 0)
            goto out;
        if (rc > 0)
            buf = utf8.buf, len = utf8.len;
        rc = 0;
    }
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        long line = 1;
        for (const char *p = buf; p < nul; p++)
            line += *p == '\n';
        rc = tifa_err_set(e, TIFA_EDATA, name, line, (long long)(nul - buf), "NUL byte in lexicon");
        goto out;
    }
    if (fmt == LEX_AUTO)
        fmt = sniff(buf, len, name);
    switch (fmt) {
    case LEX_JSON: rc = load_json(lx, buf, len, origin, e); break;
    case LEX_TSV: rc = load_table(lx, buf, len, '\t', origin, e); break;
    case LEX_CSV: rc = load_table(lx, buf, len, ',', origin, e); break;
    default: rc = load_list(lx, buf, len, origin, e); break;
    }
out:
    sbuf_release(&utf8);
    return rc;
}

int lexicon_load_file(struct lexicon *lx, const char *path, enum lex_format fmt, struct tifa_err *e)
{
    char ebuf[128];
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    struct sbuf sb = SBUF_INIT;
    struct stat st;
    char chunk[65536];
    size_t n;
    int rc = 0;
    if (!f)
        return tifa_err_set(e, TIFA_EIO, path, 0, -1, "cannot open lexicon: %s",
                            tifa_strerror(errno, ebuf, sizeof(ebuf)));
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        (unsigned long long)st.st_size > LEXICON_MAX_BYTES)
        rc = TIFA_ELIMIT;
    /* a pipe or a device says nothing of its size: read, and stop at the bound or at a NUL
     * (lexicon_load_buf names the NUL's line) */
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (sb.len + n > LEXICON_MAX_BYTES)
            rc = TIFA_ELIMIT;
        else
            sbuf_add(&sb, chunk, n);
        if (memchr(chunk, '\0', n))
            break;
    }
    if (rc)
        tifa_err_set(e, TIFA_ELIMIT, path, 0, -1,
                     "lexicon larger than %zu MiB, the most tifa reads", LEXICON_MAX_BYTES >> 20);
    else if (ferror(f))
        rc = tifa_err_set(e, TIFA_EIO, path, 0, -1, "cannot read lexicon: %s",
                          tifa_strerror(errno, ebuf, sizeof(ebuf)));
    else
        rc = lexicon_load_buf(lx, sb.buf, sb.len, path, fmt, e);
    if (f != stdin)
        fclose(f);
    sbuf_release(&sb);
    return rc;
}

static int load_categories(struct lexicon *lx, struct tifa_err *e)
{
    struct line_iter it = {builtin_categories_tsv,
                           builtin_categories_tsv + builtin_categories_tsv_len, 0};
    const char *s;
    size_t n, alloc = 0, alloc2 = 0;
    int header = 1;
    while (next_line(&it, &s, &n)) {
        if (is_blank_or_comment(s, n))
            continue;
        if (header) {
            header = 0;
            continue;
        }
        const char *tab = memchr(s, '\t', n);
        if (!tab)
            return tifa_err_set(e, TIFA_EDATA, "lexicon/categories.tsv", it.line, -1,
                                "expected NAME<TAB>DESCRIPTION");
        ALLOC_GROW(lx->categories, lx->ncategories + 1, alloc);
        ALLOC_GROW(lx->category_desc, lx->ncategories + 1, alloc2);
        lx->categories[lx->ncategories] = trim_dup(s, (size_t)(tab - s));
        lx->category_desc[lx->ncategories++] = trim_dup(tab + 1, n - (size_t)(tab + 1 - s));
    }
    return 0;
}

int lexicon_add_builtin(struct lexicon *lx, struct tifa_err *e)
{
    if (!lx->ncategories && load_categories(lx, e))
        return TIFA_EDATA;
    return lexicon_load_buf(lx, builtin_lexicon_tsv, builtin_lexicon_tsv_len, "builtin", LEX_TSV,
                            e);
}

size_t lexicon_keep_categories(struct lexicon *lx, const char *const *names, size_t n)
{
    size_t kept = 0;
    for (size_t i = 0; i < lx->nentries; i++) {
        int keep = 0;
        for (size_t k = 0; k < n && !keep; k++)
            keep = !strcmp(lx->entries[i].category, names[k]);
        lx->entries[i].excluded = !keep;
        kept += keep;
    }
    return kept;
}

int lexicon_category_known(const struct lexicon *lx, const char *name)
{
    if (!strncmp(name, "discovered:", 11) && name[11])
        return 1; /* what `tifa discover --format lexicon` writes, to be reviewed */
    for (size_t i = 0; i < lx->ncategories; i++)
        if (!strcmp(lx->categories[i], name))
            return 1;
    return 0;
}

/* ---- finishing: senses, labels, patterns ---- */

static void where(const struct lex_entry *en, char *buf, size_t len)
{
    if (en->line > 0)
        snprintf(buf, len, "%s:%ld", en->origin, en->line);
    else
        snprintf(buf, len, "%s entry %ld", en->origin, -en->line);
}

static int entry_err(const struct lex_entry *en, struct tifa_err *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int entry_err(const struct lex_entry *en, struct tifa_err *e, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (en->line > 0)
        return tifa_err_set(e, TIFA_EDATA, en->origin, en->line, -1, "%s", msg);
    return tifa_err_set(e, TIFA_EDATA, en->origin, 0, -1, "entry %ld: %.400s", -en->line, msg);
}

struct label_order {
    const char *term;
    size_t id;
};

static int cmp_label_order(const void *a, const void *b)
{
    return strcmp(((const struct label_order *)a)->term, ((const struct label_order *)b)->term);
}

/* The normalized term of every entry, computed once: step 1's duplicate check compares a term
 * with every earlier entry of its origin since the first sense, which normalized them all again
 * (a quarter of start-up with the built-in lexicon). */
struct term_keys {
    struct sbuf *k;
    size_t n;
};

static void term_keys_init(struct term_keys *tk, const struct lexicon *lx, struct tifa_err *e)
{
    tk->n = lx->nentries;
    tk->k = xmalloc(st_mult(tk->n + 1, sizeof(*tk->k)));
    for (size_t i = 0; i < tk->n; i++) {
        sbuf_init(&tk->k[i]);
        norm_key(lx->entries[i].term, &tk->k[i], e);
    }
}

static void term_keys_release(struct term_keys *tk)
{
    for (size_t i = 0; i < tk->n; i++)
        sbuf_release(&tk->k[i]);
    free(tk->k);
}

static int is_dropped(const struct lexicon *lx, const struct strmap *terms, size_t i,
                      const struct sbuf *key)
{
    const size_t *owner = strmap_get(terms, key->buf, key->len);
    return lx->entries[*owner].origin != lx->entries[i].origin;
}

/* Sets every label's rank: its position among all labels in the byte order of terms. */
static void rank_labels(struct lexicon *lx)
{
    if (!lx->nlabels)
        return;
    struct label_order *o = xmalloc(st_mult(lx->nlabels, sizeof(*o)));
    for (size_t i = 0; i < lx->nlabels; i++) {
        o[i].term = lx->labels[i].term;
        o[i].id = i;
    }
    qsort(o, lx->nlabels, sizeof(*o), cmp_label_order);
    for (size_t i = 0; i < lx->nlabels; i++)
        lx->labels[o[i].id].rank = (uint32_t)i;
    free(o);
}

/* 4. abbreviations: a short form is a label of its own (counted there when no cue resolves
 *    it); several entries may list the same short form, but no other label may hold it. */
static int finish_abbreviations(struct lexicon *lx, struct strmap *pats, struct sbuf *key,
                                struct tifa_err *e)
{
    size_t pat_alloc = lx->npatterns, label_alloc = lx->nlabels;
    char loc[1200];
    for (size_t i = 0; i < lx->nentries; i++) {
        struct lex_entry *en = &lx->entries[i];
        if (en->dropped)
            continue;
        for (size_t k = 0; k < en->nabbreviations; k++) {
            const char *text = en->abbreviations[k];
            int ins;
            norm_key(text, key, e);
            size_t *owner = strmap_put(pats, key->buf, key->len, lx->nlabels, &ins);
            if (!ins) {
                struct lex_label *lb = &lx->labels[*owner];
                if (!lb->abbreviation &&
                    strcmp(lx->entries[lb->first_entry].origin, en->origin) != 0) {
                    /* another file counts the short form as a term of its own: it counts as
                     * written there, and this entry no longer reads it as an abbreviation */
                    free(en->abbreviations[k]);
                    memmove(en->abbreviations + k, en->abbreviations + k + 1,
                            (en->nabbreviations - k - 1) * sizeof(*en->abbreviations));
                    en->nabbreviations--;
                    k--;
                    continue;
                }
                if (!lb->abbreviation) {
                    where(&lx->entries[lb->first_entry], loc, sizeof(loc));
                    return entry_err(en, e,
                                     "abbreviation '%s' is already a term or alias of '%s' (%s)",
                                     text, lb->term, loc);
                }
                lb->senses++;
                continue;
            }
            ALLOC_GROW(lx->labels, lx->nlabels + 1, label_alloc);
            struct lex_label *lb = &lx->labels[lx->nlabels];
            memset(lb, 0, sizeof(*lb));
            lb->term = xstrdup(text);
            lb->category = en->category;
            lb->first_entry = i;
            lb->abbreviation = 1;
            lb->senses = 1;
            ALLOC_GROW(lx->patterns, lx->npatterns + 1, pat_alloc);
            lx->patterns[lx->npatterns].text = text;
            lx->patterns[lx->npatterns++].label_id = (uint32_t)lx->nlabels++;
        }
    }
    return 0;
}

/* 1 when the normalized key @hay holds the normalized form of @text. */
static int key_contains(const struct sbuf *hay, const char *text, struct sbuf *tmp,
                        struct tifa_err *e)
{
    norm_key(text, tmp, e);
    return tmp->len && tmp->len <= hay->len && strstr(hay->buf, tmp->buf) != NULL;
}

/* 5. blockers: each not_within string must hold the term or an alias (else it blocks nothing)
 *    and must not be a pattern itself (it would count nothing and hide a label). */
static int finish_blockers(struct lexicon *lx, struct strmap *pats, struct sbuf *key,
                           struct tifa_err *e)
{
    struct strmap seen;
    struct sbuf tmp = SBUF_INIT;
    size_t alloc = 0;
    int rc = 0;
    strmap_init(&seen);
    for (size_t i = 0; i < lx->nentries && !rc; i++) {
        struct lex_entry *en = &lx->entries[i];
        if (en->dropped)
            continue;
        for (size_t k = 0; k < en->nnot_within && !rc; k++) {
            const char *text = en->not_within[k];
            norm_key(text, key, e);
            const size_t *owner = strmap_get(pats, key->buf, key->len);
            if (owner) {
                rc = entry_err(en, e, "not_within '%s' is a term or alias of '%s'", text,
                               lx->labels[*owner].term);
                break;
            }
            int holds = key_contains(key, en->term, &tmp, e);
            for (size_t a = 0; a < en->naliases && !holds; a++)
                holds = key_contains(key, en->aliases[a], &tmp, e);
            if (!holds) {
                rc =
                    entry_err(en, e, "not_within '%s' does not contain the term or an alias", text);
                break;
            }
            int ins;
            strmap_put(&seen, key->buf, key->len, i, &ins);
            if (!ins)
                continue;
            ALLOC_GROW(lx->blockers, lx->nblockers + 1, alloc);
            lx->blockers[lx->nblockers].text = text;
            lx->blockers[lx->nblockers].label_id = en->label_id;
            lx->blockers[lx->nblockers++].entry = i;
        }
    }
    sbuf_release(&tmp);
    strmap_release(&seen);
    return rc;
}

static char **copy_list(char **v, size_t n)
{
    char **c = xcalloc(n + 1, sizeof(*c));
    for (size_t i = 0; i < n; i++)
        c[i] = xstrdup(v[i]);
    return c;
}

/*
 * A user entry @en redefines the built-in label whose first entry is @b (its other senses
 * follow it in the built-in's order). With one built-in sense, @en keeps what it gives (its
 * category first of all) and takes every field it leaves empty from @b; a note says which.
 * With several senses nothing is taken (which sense would it be?), and the note says that.
 */
static void inherit_builtin(struct lexicon *lx, struct lex_entry *en, size_t b, size_t end,
                            const struct term_keys *tk)
{
    const struct lex_entry *be = &lx->entries[b];
    size_t senses = 0;
    for (size_t j = b; j < end; j++)
        senses += lx->entries[j].origin == be->origin && tk->k[j].len == tk->k[b].len &&
                  !memcmp(tk->k[j].buf, tk->k[b].buf, tk->k[b].len);
    struct sbuf msg = SBUF_INIT, took = SBUF_INIT;
    sbuf_addf(&msg, "%ld: '%s' redefines the built-in entry", en->line, en->term);
    if (senses > 1) {
        sbuf_addf(&msg, " (all %zu of its senses); nothing is taken from them", senses);
        note_list_add(&lx->notes, en->origin, msg.buf);
        sbuf_release(&msg);
        return;
    }
#define TAKE_STR(f)                                                                                \
    if (!*en->f && *be->f) {                                                                       \
        free(en->f);                                                                               \
        en->f = xstrdup(be->f);                                                                    \
        sbuf_addf(&took, "%s%s", took.len ? ", " : "", #f);                                        \
    }
#define TAKE_LIST(f)                                                                               \
    if (!en->n##f && be->n##f) {                                                                   \
        free_list(en->f, en->n##f);                                                                \
        en->f = copy_list(be->f, be->n##f);                                                        \
        en->n##f = be->n##f;                                                                       \
        sbuf_addf(&took, "%s%s", took.len ? ", " : "", #f);                                        \
    }
    TAKE_STR(id)
    TAKE_STR(category)
    TAKE_LIST(aliases)
    TAKE_LIST(expansion)
    TAKE_STR(gloss)
    TAKE_STR(source)
    TAKE_LIST(not_within)
    TAKE_LIST(cues)
    TAKE_LIST(abbreviations)
#undef TAKE_STR
#undef TAKE_LIST
    if (!en->since && be->since) {
        en->since = be->since;
        sbuf_addf(&took, "%ssince", took.len ? ", " : "");
    }
    if (strcmp(en->category, be->category))
        sbuf_addf(&msg, ": category %s instead of %s", *en->category ? en->category : "(none)",
                  *be->category ? be->category : "(none)");
    if (took.len)
        sbuf_addf(&msg, "%s %s taken from it", strcmp(en->category, be->category) ? ";" : ":",
                  took.buf);
    else
        sbuf_addstr(&msg, strcmp(en->category, be->category) ? "; nothing taken from it"
                                                             : ": nothing taken from it");
    note_list_add(&lx->notes, en->origin, msg.buf);
    sbuf_release(&msg);
    sbuf_release(&took);
}

int lexicon_finish(struct lexicon *lx, struct tifa_err *e)
{
    struct strmap terms, labels, pats, ids;
    struct sbuf key = SBUF_INIT;
    size_t pat_alloc = 0, label_alloc = 0;
    int rc = 0;
    char loc[1200];

    struct term_keys tk;
    strmap_init(&terms);
    strmap_init(&labels);
    strmap_init(&pats);
    strmap_init(&ids);
    term_keys_init(&tk, lx, e);
    /* 1. terms: the map holds the first entry of the LATEST origin that defines each term, so
     *    a later file redefines a term; within one origin only senses with distinct ids repeat. */
    for (size_t i = 0; i < lx->nentries && !rc; i++) {
        struct lex_entry *en = &lx->entries[i];
        int ins;
        if (en->excluded)
            continue;
        const struct sbuf *tkey = &tk.k[i];
        size_t *first = strmap_put(&terms, tkey->buf, tkey->len, i, &ins);
        if (ins)
            continue;
        struct lex_entry *prev = &lx->entries[*first];
        if (prev->origin != en->origin) {
            if (!strcmp(prev->origin, "builtin"))
                inherit_builtin(lx, en, *first, i, &tk);
            *first = i;
            continue;
        }
        for (size_t j = *first; j < i && !rc; j++) {
            struct lex_entry *o = &lx->entries[j];
            if (o->origin != en->origin)
                continue;
            const struct sbuf *k2 = &tk.k[j];
            int same = k2->len == tkey->len && !memcmp(k2->buf, tkey->buf, tkey->len);
            if (same && (!*en->id || !*o->id || !strcmp(en->id, o->id))) {
                where(o, loc, sizeof(loc));
                rc = entry_err(en, e, "duplicate term '%s' (first at %s)", en->term, loc);
            }
        }
    }
    /* 2. labels and ids */
    for (size_t i = 0; i < lx->nentries && !rc; i++) {
        struct lex_entry *en = &lx->entries[i];
        en->dropped = en->excluded || is_dropped(lx, &terms, i, &tk.k[i]);
        if (en->dropped)
            continue;
        if (*en->id) {
            int ins;
            size_t *first = strmap_put(&ids, en->id, strlen(en->id), i, &ins);
            if (!ins) {
                where(&lx->entries[*first], loc, sizeof(loc));
                rc = entry_err(en, e, "duplicate id '%s' (first at %s)", en->id, loc);
                break;
            }
        }
        int ins;
        size_t *lid = strmap_put(&labels, tk.k[i].buf, tk.k[i].len, lx->nlabels, &ins);
        if (ins) {
            ALLOC_GROW(lx->labels, lx->nlabels + 1, label_alloc);
            memset(&lx->labels[lx->nlabels], 0, sizeof(lx->labels[lx->nlabels]));
            lx->labels[lx->nlabels].term = xstrdup(en->term);
            lx->labels[lx->nlabels].category = en->category;
            lx->labels[lx->nlabels].first_entry = i;
            lx->nlabels++;
        }
        en->label_id = (uint32_t)*lid;
        lx->labels[*lid].senses++;
    }
    /* 3. patterns: terms first, so that an alias equal to a later entry's term is reported at
     *    the alias, which is where the mistake usually is. */
    for (int pass = 0; pass < 2 && !rc; pass++) {
        for (size_t i = 0; i < lx->nentries && !rc; i++) {
            struct lex_entry *en = &lx->entries[i];
            if (en->dropped)
                continue;
            size_t nt = pass == 0 ? 1 : en->naliases;
            for (size_t k = 0; k < nt && !rc; k++) {
                const char *text = pass == 0 ? en->term : en->aliases[k];
                int ins;
                norm_key(text, &key, e);
                size_t *owner = strmap_put(&pats, key.buf, key.len, en->label_id, &ins);
                if (ins) {
                    ALLOC_GROW(lx->patterns, lx->npatterns + 1, pat_alloc);
                    lx->patterns[lx->npatterns].text = text;
                    lx->patterns[lx->npatterns++].label_id = en->label_id;
                } else if (*owner != en->label_id) {
                    where(&lx->entries[lx->labels[*owner].first_entry], loc, sizeof(loc));
                    rc = entry_err(en, e, "alias '%s' is already a term or alias of '%s' (%s)",
                                   text, lx->labels[*owner].term, loc);
                }
            }
        }
    }
    if (!rc)
        rc = finish_abbreviations(lx, &pats, &key, e);
    if (!rc)
        rc = finish_blockers(lx, &pats, &key, e);
    if (!rc)
        rank_labels(lx);
    sbuf_release(&key);
    term_keys_release(&tk);
    strmap_release(&terms);
    strmap_release(&labels);
    strmap_release(&pats);
    strmap_release(&ids);
    return rc;
}

/* ---- writing ---- */

static void tsv_field(struct sbuf *out, const char *s)
{
    /* Fields never hold tabs or newlines (the reader splits on them); replace defensively. A
     * field that begins with a quote is quoted, quotes doubled: the reader would otherwise take
     * "x" as a quoted field and give back x (csv.h). */
    int quote = *s == '"';
    if (quote)
        sbuf_addch(out, '"');
    for (; *s; s++) {
        sbuf_addch(out, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
        if (quote && *s == '"')
            sbuf_addch(out, '"');
    }
    if (quote)
        sbuf_addch(out, '"');
}

static void tsv_list(struct sbuf *out, char **v, size_t n, struct sbuf *tmp)
{
    sbuf_reset(tmp);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sbuf_addch(tmp, '|');
        sbuf_addstr(tmp, v[i]);
    }
    tsv_field(out, tmp->buf);
}

void lexicon_write_tsv(const struct lexicon *lx, struct sbuf *out)
{
    sbuf_addstr(out,
                "id\tterm\tcategory\taliases\texpansion\tgloss\tsince\tsource\tnot_within\tcues\t"
                "abbreviations\n");
    struct sbuf tmp = SBUF_INIT;
    for (size_t i = 0; i < lx->nentries; i++) {
        const struct lex_entry *en = &lx->entries[i];
        if (en->dropped)
            continue;
        tsv_field(out, en->id);
        sbuf_addch(out, '\t');
        tsv_field(out, en->term);
        sbuf_addch(out, '\t');
        tsv_field(out, en->category);
        sbuf_addch(out, '\t');
        tsv_list(out, en->aliases, en->naliases, &tmp);
        sbuf_addch(out, '\t');
        tsv_list(out, en->expansion, en->nexpansion, &tmp);
        sbuf_addch(out, '\t');
        tsv_field(out, en->gloss);
        sbuf_addch(out, '\t');
        if (en->since)
            sbuf_addf(out, "%d", en->since);
        sbuf_addch(out, '\t');
        tsv_field(out, en->source);
        sbuf_addch(out, '\t');
        tsv_list(out, en->not_within, en->nnot_within, &tmp);
        sbuf_addch(out, '\t');
        tsv_list(out, en->cues, en->ncues, &tmp);
        sbuf_addch(out, '\t');
        tsv_list(out, en->abbreviations, en->nabbreviations, &tmp);
        sbuf_addch(out, '\n');
    }
    sbuf_release(&tmp);
}

static json_t *json_strlist(char **v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

void lexicon_write_json(const struct lexicon *lx, struct sbuf *out)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < lx->nentries; i++) {
        const struct lex_entry *en = &lx->entries[i];
        if (en->dropped)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(en->id));
        json_object_set_new(o, "term", json_string(en->term));
        json_object_set_new(o, "category", json_string(en->category));
        json_object_set_new(o, "aliases", json_strlist(en->aliases, en->naliases));
        json_object_set_new(o, "expansion", json_strlist(en->expansion, en->nexpansion));
        json_object_set_new(o, "gloss", json_string(en->gloss));
        json_object_set_new(o, "since", en->since ? json_integer(en->since) : json_null());
        json_object_set_new(o, "source", json_string(en->source));
        json_object_set_new(o, "not_within", json_strlist(en->not_within, en->nnot_within));
        json_object_set_new(o, "cues", json_strlist(en->cues, en->ncues));
        json_object_set_new(o, "abbreviations",
                            json_strlist(en->abbreviations, en->nabbreviations));
        json_array_append_new(arr, o);
    }
    char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII * 0);
    sbuf_addstr(out, s);
    sbuf_addch(out, '\n');
    free(s);
    json_decref(arr);
}

/* ---- views: more labels after lexicon_finish ---- */

void lexicon_view_init(struct lexicon *view, const struct lexicon *lx)
{
    *view = *lx;
    view->labels = xmalloc(st_mult(lx->nlabels + 1, sizeof(*view->labels)));
    memcpy(view->labels, lx->labels, lx->nlabels * sizeof(*view->labels));
    view->view_base = lx->nlabels;
    view->view_alloc = lx->nlabels + 1;
}

uint32_t lexicon_view_add(struct lexicon *view, const char *term, const char *category)
{
    ALLOC_GROW(view->labels, view->nlabels + 1, view->view_alloc);
    struct lex_label *l = &view->labels[view->nlabels];
    memset(l, 0, sizeof(*l));
    l->term = xstrdup(term);
    l->category = xstrdup(category);
    l->first_entry = SIZE_MAX;
    view->view_dirty = 1;
    return (uint32_t)view->nlabels++;
}

void lexicon_view_rank(struct lexicon *view)
{
    if (view->view_dirty)
        rank_labels(view);
    view->view_dirty = 0;
}

void lexicon_view_release(struct lexicon *view)
{
    for (size_t i = view->view_base; i < view->nlabels; i++) {
        free(view->labels[i].term);
        free((char *)view->labels[i].category);
    }
    free(view->labels);
    memset(view, 0, sizeof(*view));
}
