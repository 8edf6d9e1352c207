#include "tifa/settings.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/xalloc.h"

struct fnv {
    uint64_t h;
};

static void fnv_add(struct fnv *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        f->h ^= (unsigned char)s[i];
        f->h *= 0x100000001b3ull;
    }
}

/* a field and its end: the unit separator cannot stand in a term, so fields never run together */
static void fnv_field(struct fnv *f, const char *s)
{
    fnv_add(f, s, strlen(s));
    fnv_add(f, "\x1f", 1);
}

static void fnv_list(struct fnv *f, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fnv_field(f, v[i]);
    fnv_add(f, "\x1e", 1);
}

void settings_fingerprint(const struct lexicon *lx, const struct rule_set *patterns,
                          char out[SETTINGS_FINGERPRINT_LEN])
{
    struct fnv f = {0xcbf29ce484222325ull};
    for (size_t i = 0; i < lx->nentries; i++) {
        const struct lex_entry *en = &lx->entries[i];
        if (en->dropped && !en->excluded) /* --category is a setting of its own */
            continue;
        fnv_field(&f, en->id);
        fnv_field(&f, en->term);
        fnv_list(&f, en->aliases, en->naliases);
        fnv_list(&f, en->expansion, en->nexpansion);
        fnv_list(&f, en->not_within, en->nnot_within);
        fnv_list(&f, en->cues, en->ncues);
        fnv_list(&f, en->abbreviations, en->nabbreviations);
        fnv_add(&f, "\x1d", 1);
    }
    for (size_t i = 0; patterns && i < patterns->n; i++) {
        fnv_field(&f, patterns->v[i].name);
        fnv_field(&f, patterns->v[i].regex);
    }
    snprintf(out, SETTINGS_FINGERPRINT_LEN, "fnv1a64:%016llx", (unsigned long long)f.h);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

json_t *settings_of_run(const struct settings_run *run)
{
    char fp[SETTINGS_FINGERPRINT_LEN];
    json_t *o = json_object(), *cats = json_array();
    settings_fingerprint(run->lx, run->patterns, fp);
    const char **sorted = NULL;
    if (run->ncategories) {
        sorted = xmalloc(run->ncategories * sizeof(*sorted));
        memcpy(sorted, run->categories, run->ncategories * sizeof(*sorted));
        qsort(sorted, run->ncategories, sizeof(*sorted), cmp_str);
    }
    for (size_t i = 0; i < run->ncategories; i++)
        if (!i || strcmp(sorted[i], sorted[i - 1]))
            json_array_append_new(cats, json_string(sorted[i]));
    free(sorted);
    json_object_set_new(o, "tifa_version", json_string(run->version));
    json_object_set_new(o, "category", cats);
    json_object_set_new(o, "overlapping", json_boolean(run->overlapping));
    json_object_set_new(o, "expansions", json_boolean(run->expansions));
    json_object_set_new(o, "partial", json_integer(run->partial));
    json_object_set_new(o, "by_sense", json_boolean(run->by_sense));
    json_object_set_new(o, "patterns",
                        json_integer(run->patterns ? (json_int_t)run->patterns->n : 0));
    json_object_set_new(o, "script", json_string(run->script ? run->script : "auto"));
    json_object_set_new(o, "opencc_config",
                        json_string(run->opencc_config ? run->opencc_config : "t2s"));
    json_object_set_new(o, "fingerprint", json_string(fp));
    return o;
}

/* What a difference in a key that says little by its value means. */
static const char *why(const char *key)
{
    if (!strcmp(key, "fingerprint"))
        return " (the lexicons or --pattern regexes differ)";
    if (!strcmp(key, "tifa_version"))
        return " (counted by different versions of tifa)";
    return "";
}

static void add_value(struct sbuf *out, const json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    sbuf_addstr(out, s ? s : "?");
    free(s);
}

static size_t note(struct sbuf *out, size_t n)
{
    if (n)
        sbuf_addstr(out, "; ");
    return n + 1;
}

size_t settings_differences(const json_t *a, const json_t *b, struct sbuf *out)
{
    const char *k;
    json_t *v;
    size_t n = 0;
    json_object_foreach((json_t *)a, k, v)
    {
        if (!strcmp(k, SETTINGS_FORCED))
            continue;
        json_t *w = json_object_get(b, k);
        if (w && json_equal(v, w))
            continue;
        n = note(out, n);
        sbuf_addstr(out, k);
        sbuf_addch(out, ' ');
        add_value(out, v);
        if (w) {
            sbuf_addstr(out, " against ");
            add_value(out, w);
            sbuf_addstr(out, why(k));
        } else {
            sbuf_addstr(out, " only in the first");
        }
    }
    json_object_foreach((json_t *)b, k, v)
    {
        if (!strcmp(k, SETTINGS_FORCED) || json_object_get(a, k))
            continue;
        n = note(out, n);
        sbuf_addstr(out, k);
        sbuf_addch(out, ' ');
        add_value(out, v);
        sbuf_addstr(out, " only in the second");
    }
    return n;
}
