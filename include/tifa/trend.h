/*
 * trend: grouping documents into periods (years, or any key) and tallying terms per period.
 *
 * Owns: the period key rules, the period table (documents, Han characters, and per term the
 * occurrences and the documents using it), the list of documents without a key, and each
 * term's first and last appearance. Must not: read files, print, or pick exit codes.
 *
 * Key rules (trend_key):
 *  - default: the first year in the file's base name, else in the document's first lines (at
 *    most TREND_HEAD_LINES lines of the first TREND_HEAD_LEN bytes); with a period shorter than
 *    a year (trend_keyer.unit), the first date (trend_date) precise enough for it, in the name,
 *    else in the first lines. A year is 1949..2099 written
 *    as a run of exactly 4 ASCII digits, or as the first 4 digits of a 6- or 8-digit run whose
 *    next two digits are a month 01..12 (202103, 20210315); so "2019-speech.txt",
 *    "2021_report.txt" and "20210315.txt" give 2019, 2021 and 2021, while "1921_cpc01.txt" and
 *    the hash in "000_34a5f8082b9599c1.txt" give none.
 *  - with a regex (pcre2, UTF mode, invalid UTF-8 in paths allowed): the first capture group
 *    (the whole match when the pattern has no group) of the first match in the path as listed
 *    (folder and name, so 'speeches/([^/]+)/' keys by folder), else in the first lines.
 * Periods sort by strverscmp(3) (so "2019-9" < "2019-10"), then bytes.
 *
 * Lifetime: result, owned by the command. Memory O(periods × terms).
 */
#ifndef TIFA_TREND_H
#define TIFA_TREND_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/agg.h"
#include "tifa/err.h"
#include "tifa/sbuf.h"
#include "tifa/intern.h"

#define TREND_HEAD_LEN 2048
#define TREND_HEAD_LINES 5

/* The length of a period without --key-regex (trend --period). */
enum trend_unit { TREND_YEAR = 0, TREND_QUARTER, TREND_MONTH, TREND_WEEK, TREND_DAY };

struct trend_keyer {
    void *re;             /* pcre2_code *, NULL for the default date rule */
    void *md;             /* pcre2_match_data * */
    enum trend_unit unit; /* the date rule's period: TREND_YEAR unless set after init */
};

/** Parses "year", "quarter", "month", "week" or "day"; returns -1 when it is none of them. */
int trend_unit_parse(const char *s, enum trend_unit *u);

/* A date found in a name or a text; month and day 0 when not known. */
struct trend_date {
    int year, month, day;
};

/**
 * The first date of @s[0..len): returns its precision, 0 (none), 1 (year), 2 (month) or 3 (day),
 * and fills @d. A year is the year rule's (above); then a month and day as YYYYMMDD or YYYYMM
 * (the runs the year rule reads), YYYY-MM-DD with any one of - _ . / as separator (months and
 * days of 1 or 2 digits), or YYYY年M月D日 (or 号); an impossible day leaves the month.
 * Examples: "20210315.txt" 2021-03-15; "2021-3-5 讲话" 2021-03-05; "2021年3月" 2021-03;
 * "2021_report" 2021; "20210231" 2021-02.
 */
int trend_date(const char *s, size_t len, struct trend_date *d);

/**
 * The key of the period of @u holding date @d of @precision: "2021", "2021-Q1", "2021-03",
 * "2021-W09" (ISO 8601 week and week-year: 2021-01-03 is in 2020-W53) or "2021-03-15".
 * Returns 0 (and leaves @key alone) when @precision is too coarse for @u.
 */
int trend_date_key(const struct trend_date *d, int precision, enum trend_unit u, struct sbuf *key);

/**
 * Where period @key starts on a time line, in days since 1970-01-01: the first day of the year,
 * quarter, month, ISO week or day that trend_date_key writes ("1964", "2021-Q2", "2021-03",
 * "2021-W11", "2021-03-15"). Returns 0 for any other key (--key-regex keys).
 */
int trend_period_start(const char *key, long *days);

/**
 * Prepares the key rule: @regex NULL for years, else a pcre2 pattern. Returns 0, or TIFA_EUSAGE
 * with "invalid --key-regex at offset N: MESSAGE" (pcre2's message) in @e.
 */
int trend_keyer_init(struct trend_keyer *k, const char *regex, struct tifa_err *e);
void trend_keyer_release(struct trend_keyer *k);

/**
 * Finds the key of the document at @path whose decoded text starts with @head (@head_len bytes,
 * may be NULL). Returns 1 and sets @key (reset first), or 0 when there is none.
 */
int trend_key(const struct trend_keyer *k, const char *path, const char *head, size_t head_len,
              struct sbuf *key);

/** Stores the first year of @s[0..len) (rules above) as 4 digits in @out; returns 1, else 0. */
int trend_year(const char *s, size_t len, char out[5]);

struct trend_period {
    const char *key; /* owned by trend.keys */
    uint64_t documents, han;
    uint64_t *count;   /* per label: occurrences */
    uint64_t *docs;    /* per label: documents with at least one */
    size_t *first_doc; /* per label: index in trend.paths of the first such document */
    size_t *last_doc;  /* per label: ... and of the last (valid where docs > 0) */
};

struct trend {
    size_t nlabels;
    struct trend_period *periods; /* sorted by trend_finish() */
    size_t nperiods, periods_alloc;
    struct intern keys; /* period key <-> index in periods (before sorting only) */
    char **paths;       /* every keyed document, in the order added */
    size_t npaths, paths_alloc;
    char **unkeyed; /* documents without a key, in the order added */
    size_t nunkeyed, unkeyed_alloc;
};

void trend_init(struct trend *t, size_t nlabels);
void trend_release(struct trend *t);

/** Adds a counted document to period @key, or to the unkeyed list when @key is NULL. */
void trend_add(struct trend *t, const char *key, const struct agg_doc *doc);

/** Sorts the periods; call once after the last trend_add. */
void trend_finish(struct trend *t);

/** One term's appearance: period index and document path (NULL when it never appears). */
struct trend_seen {
    size_t period;
    const char *document;
};

/** The first and last appearance of @label_id (after trend_finish). */
void trend_first_last(const struct trend *t, uint32_t label_id, struct trend_seen *first,
                      struct trend_seen *last);

/** Total occurrences and documents of @label_id over all periods. */
void trend_total(const struct trend *t, uint32_t label_id, uint64_t *count, uint64_t *docs);

/* What a trend shows per (period, term). */
enum trend_measure {
    TREND_COUNT = 0, /* occurrences */
    TREND_DOCS,      /* documents using the term */
    TREND_RATE,      /* occurrences per 10,000 Han characters of the period (0 without Han) */
    TREND_SHARE      /* fraction of the period's documents using the term (0 without any) */
};

/** The measure @m of @label_id in period @period (after trend_finish), unrounded. */
double trend_value(const struct trend *t, size_t period, uint32_t label_id, enum trend_measure m);

#endif
