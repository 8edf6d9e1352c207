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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/xalloc.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* 1 or 2 ASCII digits at s[*i..len) as a number in [lo, hi]; advances *i. */
static int small_number(const char *s, size_t len, size_t *i, int lo, int hi, int *out)
{
    size_t j = *i;
    int v = 0;
    while (j < len && j - *i < 3 && is_digit(s[j]))
        v = v * 10 + (s[j++] - '0');
    if (j == *i || j - *i > 2 || v < lo || v > hi)
        return 0;
    *i = j;
    *out = v;
    return 1;
}

static int starts(const char *s, size_t len, size_t i, const char *lit)
{
    size_t n = strlen(lit);
    return i + n <= len && !memcmp(s + i, lit, n);
}

/* Month and day after a 4-digit year ending at @i: -MM-DD (any one of - _ . / twice) or
 * M月D日 after 年; fills what it finds and returns the precision (1 year .. 3 day). */
static int month_day_after(const char *s, size_t len, size_t i, struct trend_date *d)
{
    int m, dd;
    if (starts(s, len, i, "年")) {
        i += strlen("年");
        if (!small_number(s, len, &i, 1, 12, &m) || !starts(s, len, i, "月"))
            return 1;
        d->month = m;
        i += strlen("月");
        if (small_number(s, len, &i, 1, days_in_month(d->year, m), &dd) &&
            (starts(s, len, i, "日") || starts(s, len, i, "号"))) {
            d->day = dd;
            return 3;
        }
        return 2;
    }
    if (i < len && strchr("-_./", s[i]) && s[i]) {
        char sep = s[i++];
        if (!small_number(s, len, &i, 1, 12, &m) || (i < len && is_digit(s[i])))
            return 1;
        d->month = m;
        if (i < len && s[i] == sep) {
            i++;
            if (small_number(s, len, &i, 1, days_in_month(d->year, m), &dd) &&
                !(i < len && is_digit(s[i]))) {
                d->day = dd;
                return 3;
            }
        }
        return 2;
    }
    return 1;
}

int trend_date(const char *s, size_t len, struct trend_date *d)
{
    size_t i = 0;
    memset(d, 0, sizeof(*d));
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
            int m = run > 4 ? (s[i + 4] - '0') * 10 + (s[i + 5] - '0') : 0;
            if (y >= 1949 && y <= 2099 && (run == 4 || (m >= 1 && m <= 12))) {
                d->year = y;
                if (run == 4)
                    return month_day_after(s, len, j, d);
                d->month = m;
                if (run == 8) {
                    int dd = (s[i + 6] - '0') * 10 + (s[i + 7] - '0');
                    if (dd >= 1 && dd <= days_in_month(y, m)) {
                        d->day = dd;
                        return 3;
                    }
                }
                return 2;
            }
        }
        i = j;
    }
    return 0;
}

int trend_year(const char *s, size_t len, char out[5])
{
    struct trend_date d;
    if (!trend_date(s, len, &d))
        return 0;
    snprintf(out, 5, "%04d", d.year);
    return 1;
}

int trend_unit_parse(const char *s, enum trend_unit *u)
{
    static const char *const names[] = {"year", "quarter", "month", "week", "day"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(s, names[i])) {
            *u = (enum trend_unit)i;
            return 0;
        }
    return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* ISO weekday, 1 = Monday .. 7 = Sunday (1970-01-01 was a Thursday). */
static int iso_weekday(long days)
{
    long w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w) + 1;
}

static int iso_weeks_in_year(int y)
{
    int jan1 = iso_weekday(days_from_civil(y, 1, 1));
    return jan1 == 4 || (jan1 == 3 && leap(y)) ? 53 : 52;
}

/* A number of exactly @n digits at @s (NUL-terminated), or -1. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int trend_period_start(const char *key, long *days)
{
    size_t n = strlen(key);
    int y = n >= 4 ? digits(key, 4) : -1, m = 1, d = 1;
    if (y < 0)
        return 0;
    if (n == 4) {
    } else if (n == 7 && key[4] == '-' && key[5] == 'Q' && key[6] >= '1' && key[6] <= '4') {
        m = 3 * (key[6] - '0') - 2;
    } else if (n == 7 && key[4] == '-' && (m = digits(key + 5, 2)) >= 1 && m <= 12) {
    } else if (n == 8 && !strncmp(key + 4, "-W", 2)) {
        int w = digits(key + 6, 2);
        if (w < 1 || w > iso_weeks_in_year(y))
            return 0;
        long jan4 = days_from_civil(y, 1, 4); /* in week 1 */
        *days = jan4 - (iso_weekday(jan4) - 1) + 7L * (w - 1);
        return 1;
    } else if (n == 10 && key[4] == '-' && key[7] == '-' && (m = digits(key + 5, 2)) >= 1 &&
               m <= 12 && (d = digits(key + 8, 2)) >= 1 && d <= days_in_month(y, m)) {
    } else {
        return 0;
    }
    *days = days_from_civil(y, m, d);
    return 1;
}

int trend_date_key(const struct trend_date *d, int precision, enum trend_unit u, struct sbuf *key)
{
    static const int needs[] = {1, 2, 2, 3, 3};
    if (precision < needs[u])
        return 0;
    sbuf_reset(key);
    switch (u) {
    case TREND_YEAR: sbuf_addf(key, "%04d", d->year); break;
    case TREND_QUARTER: sbuf_addf(key, "%04d-Q%d", d->year, (d->month + 2) / 3); break;
    case TREND_MONTH: sbuf_addf(key, "%04d-%02d", d->year, d->month); break;
    case TREND_DAY: sbuf_addf(key, "%04d-%02d-%02d", d->year, d->month, d->day); break;
    case TREND_WEEK: {
        long days = days_from_civil(d->year, d->month, d->day);
        int ordinal = (int)(days - days_from_civil(d->year, 1, 1)) + 1;
        int week = (ordinal - iso_weekday(days) + 10) / 7, wy = d->year;
        if (week < 1) {
            wy--;
            week = iso_weeks_in_year(wy);
        } else if (week > iso_weeks_in_year(wy)) {
            wy++;
            week = 1;
        }
        sbuf_addf(key, "%04d-W%02d", wy, week);
        break;
    }
    }
    return 1;
}

int trend_keyer_init(struct trend_keyer *k, const char *regex, struct tifa_err *e)
{
    int errcode;
    PCRE2_SIZE erroff;
    k->re = k->md = NULL;
    k->unit = TREND_YEAR;
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
    struct trend_date d;
    int prec;
    base = base ? base + 1 : path;
    /* the name first, then the first lines: the first that dates the document finely enough */
    if ((prec = trend_date(base, strlen(base), &d)) && trend_date_key(&d, prec, k->unit, key))
        return 1;
    return hl && (prec = trend_date(head, hl, &d)) && trend_date_key(&d, prec, k->unit, key);
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
