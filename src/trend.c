/*
 * trend: period keys and per-period tallies.
 *
 * How it works: a period is created the first time its key is met (interned: key -> index) with
 * dense per-label arrays (count, documents, first and last document), so adding a document
 * costs O(its distinct terms). Documents arrive in path order (corpus delivers in order), so
 * the first document of a (period, term) is the first one added and the last the latest.
 * trend_finish() sorts the periods by key; the intern's ids are stale afterwards and are not
 * used again (its strings stay: they are the periods' keys). Year detection scans digit runs
 * once: O(length).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "tifa/trend.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/xalloc.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int trend_year(const char *s, size_t len, char out[5])
{
    size_t i = 0;
    while (i < len) {
        if (!is_digit(s[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && is_digit(s[j]))
            j++;
        size_t run = j - i;
        if (run == 4 || run == 6 || run == 8) {
            int y = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 +
                    (s[i + 3] - '0');
            int ok = y >= 1949 && y <= 2099;
            if (ok && run > 4) {
                int m = (s[i + 4] - '0') * 10 + (s[i + 5] - '0');
                ok = m >= 1 && m <= 12;
            }
            if (ok) {
                memcpy(out, s + i, 4);
                out[4] = '\0';
                return 1;
            }
        }
        i = j;
    }
    return 0;
}

int trend_keyer_init(struct trend_keyer *k, const char *regex, struct tifa_err *e)
{
    int errcode;
    PCRE2_SIZE erroff;
    k->re = k->md = NULL;
    if (!regex)
        return 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errcode, &erroff, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof(msg));
        return tifa_err_set(e, TIFA_EUSAGE, NULL, 0, -1, "invalid --key-regex at offset %zu: %s",
                            (size_t)erroff, (const char *)msg);
    }
    k->re = re;
    k->md = pcre2_match_data_create_from_pattern(re, NULL);
    return 0;
}

void trend_keyer_release(struct trend_keyer *k)
{
    pcre2_match_data_free(k->md);
    pcre2_code_free(k->re);
    k->re = k->md = NULL;
}

static int regex_key(const struct trend_keyer *k, const char *s, size_t len, struct sbuf *key)
{
    int rc = pcre2_match(k->re, (PCRE2_SPTR)s, len, 0, 0, k->md, NULL);
    if (rc < 0)
        return 0;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(k->md);
    int g = rc >= 2 && ov[2] != PCRE2_UNSET ? 1 : 0;
    if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] <= ov[2 * g])
        return 0;
    sbuf_add(key, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
    return 1;
}

/* The first TREND_HEAD_LINES lines of the first TREND_HEAD_LEN bytes. */
static size_t head_span(const char *head, size_t len)
{
    size_t lines = 0;
    if (len > TREND_HEAD_LEN)
        len = TREND_HEAD_LEN;
    for (size_t i = 0; i < len; i++)
        if (head[i] == '\n' && ++lines == TREND_HEAD_LINES)
            return i;
    return len;
}

int trend_key(const struct trend_keyer *k, const char *path, const char *head, size_t head_len,
              struct sbuf *key)
{
    size_t hl = head ? head_span(head, head_len) : 0;
    sbuf_reset(key);
    if (k->re)
        return regex_key(k, path, strlen(path), key) || (hl && regex_key(k, head, hl, key));
    const char *base = strrchr(path, '/');
    char year[5];
    base = base ? base + 1 : path;
    if (trend_year(base, strlen(base), year) || (hl && trend_year(head, hl, year))) {
        sbuf_addstr(key, year);
        return 1;
    }
    return 0;
}

void trend_init(struct trend *t, size_t nlabels)
{
    memset(t, 0, sizeof(*t));
    t->nlabels = nlabels;
    intern_init(&t->keys);
}

void trend_release(struct trend *t)
{
    for (size_t i = 0; i < t->nperiods; i++) {
        struct trend_period *p = &t->periods[i];
        free(p->count);
        free(p->docs);
        free(p->first_doc);
        free(p->last_doc);
    }
    free(t->periods);
    for (size_t i = 0; i < t->npaths; i++)
        free(t->paths[i]);
    free(t->paths);
    for (size_t i = 0; i < t->nunkeyed; i++)
        free(t->unkeyed[i]);
    free(t->unkeyed);
    intern_release(&t->keys);
    memset(t, 0, sizeof(*t));
}

void trend_add(struct trend *t, const char *key, const struct agg_doc *doc)
{
    if (!key) {
        ALLOC_GROW(t->unkeyed, t->nunkeyed + 1, t->unkeyed_alloc);
        t->unkeyed[t->nunkeyed++] = xstrdup(doc->path);
        return;
    }
    int inserted;
    size_t idx = intern_id(&t->keys, key, strlen(key), &inserted);
    if (inserted) {
        size_t n = t->nlabels ? t->nlabels : 1;
        ALLOC_GROW(t->periods, t->nperiods + 1, t->periods_alloc);
        struct trend_period *p = &t->periods[t->nperiods++];
        p->key = intern_str(&t->keys, idx);
        p->documents = p->han = 0;
        p->count = xcalloc(n, sizeof(uint64_t));
        p->docs = xcalloc(n, sizeof(uint64_t));
        p->first_doc = xcalloc(n, sizeof(size_t));
        p->last_doc = xcalloc(n, sizeof(size_t));
    }
    struct trend_period *p = &t->periods[idx];
    size_t di = t->npaths;
    ALLOC_GROW(t->paths, t->npaths + 1, t->paths_alloc);
    t->paths[t->npaths++] = xstrdup(doc->path);
    p->documents++;
    p->han += doc->han;
    for (size_t i = 0; i < doc->ncounts; i++) {
        uint32_t id = doc->counts[i].label_id;
        if (!p->docs[id])
            p->first_doc[id] = di;
        p->last_doc[id] = di;
        p->docs[id]++;
        p->count[id] += doc->counts[i].count;
    }
}

static int cmp_period(const void *a, const void *b)
{
    const struct trend_period *x = a, *y = b;
    int c = strverscmp(x->key, y->key);
    return c ? c : strcmp(x->key, y->key);
}

void trend_finish(struct trend *t)
{
    if (t->nperiods)
        qsort(t->periods, t->nperiods, sizeof(*t->periods), cmp_period);
}

void trend_first_last(const struct trend *t, uint32_t label_id, struct trend_seen *first,
                      struct trend_seen *last)
{
    first->document = last->document = NULL;
    first->period = last->period = 0;
    for (size_t i = 0; i < t->nperiods; i++) {
        const struct trend_period *p = &t->periods[i];
        if (!p->docs[label_id])
            continue;
        if (!first->document) {
            first->period = i;
            first->document = t->paths[p->first_doc[label_id]];
        }
        last->period = i;
        last->document = t->paths[p->last_doc[label_id]];
    }
}

void trend_total(const struct trend *t, uint32_t label_id, uint64_t *count, uint64_t *docs)
{
    *count = *docs = 0;
    for (size_t i = 0; i < t->nperiods; i++) {
        *count += t->periods[i].count[label_id];
        *docs += t->periods[i].docs[label_id];
    }
}

double trend_value(const struct trend *t, size_t period, uint32_t label_id, enum trend_measure m)
{
    const struct trend_period *p = &t->periods[period];
    switch (m) {
    case TREND_DOCS: return (double)p->docs[label_id];
    case TREND_RATE: return agg_per_10k(p->count[label_id], p->han);
    case TREND_SHARE: return p->documents ? (double)p->docs[label_id] / (double)p->documents : 0.0;
    default: return (double)p->count[label_id];
    }
}
