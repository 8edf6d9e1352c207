/*
 * savedreport: reading a saved `tifa count --format json` (or `tifa merge`) report back in.
 *
 * Owns: the parser of the report schema (version 1), its validation, and the in-memory form:
 * documents, totals and counts keyed by term strings (a report may come from another lexicon
 * or another machine, so there are no label ids; each report has its own dense term table).
 * Must not: print, exit, merge or compare reports (cmd_merge, cmd_diff do).
 *
 * Accepted: a JSON object with "tifa": 1 and "command": "count" or "merge"; "documents" (array
 * of {"path", "encoding", "bytes", "chars", "han", "invalid", "counts": {TERM: N}}) and
 * "totals" ({"documents", "bytes", "chars", "han", "invalid", "counts", "doc_freq"}) are
 * required; "lexicon" ({"terms", "entries", "sources"}), "settings" (an object, kept as it is),
 * "terms" (only each term's "category" is read), "skipped" and "errors" are optional. Unknown keys
 * are ignored (additions within version 1 stay readable). Duplicate object keys are malformed.
 * Every number must be a non-negative integer. The totals are taken as written (they are
 * authoritative: a report whose documents were filtered out with jq still has its totals).
 *
 * Errors (TIFA_EDATA, path = the file): malformed JSON with jansson's line and column in
 * e->line / e->col and the byte position in e->byte_off ("invalid JSON: ..."); another version
 * ("unsupported report version 2 (this tifa reads version 1)"); another command ("not a count
 * report: command 'diff'"); a missing or mistyped field ("documents[3].han: not a non-negative
 * integer"). TIFA_EIO when the file cannot be read.
 *
 * Lifetime: result. Everything belongs to the struct savedreport until savedreport_release().
 *
 * Example:
 *
 *     struct savedreport r;
 *     struct tifa_err e;
 *     tifa_err_init(&e);
 *     if (savedreport_load(&r, "old.json", &e)) { ... print e ...; }
 *     for (size_t t = 0; t < r.terms.n; t++)
 *         printf("%s %llu\n", intern_str(&r.terms, t), (unsigned long long)r.counts[t]);
 *     savedreport_release(&r);
 */
#ifndef TIFA_SAVEDREPORT_H
#define TIFA_SAVEDREPORT_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/err.h"
#include "tifa/intern.h"
#include "tifa/note.h"

struct json_t;

/* The keys of a count report that hold what a reading decided (resolve.h), in output order. */
extern const char *const savedreport_reading_keys[4];

/* The report schema versions this tifa reads (the "tifa" key): 1 and 2 differ only in keys it
 * does not read (terms[].documents became doc_freq), so reports of both are merged alike. */
#define SAVEDREPORT_VERSION_MIN 1
#define SAVEDREPORT_VERSION 2 /* REPORT_JSON_VERSION (report_json.c asserts they agree) */

struct savedreport_count {
    size_t term_id; /* index into savedreport.terms */
    uint64_t count;
};

struct savedreport_doc {
    char *path;
    char encoding[48];
    char format[8];  /* "format", "" when the report has none (made before it existed) */
    char script[12]; /* "script", "" when the report has none (made before it existed) */
    uint64_t bytes, chars, han, invalid;
    struct savedreport_count *counts; /* in the report's order; counts of 0 are dropped */
    size_t ncounts;
    struct json_t *reading; /* NULL, or an object of the reading keys the document had
                               (senses, abbreviations, expansions, partial: resolve.h), kept
                               as JSON: they name entries by id, which a report has no
                               lexicon for */
};

struct savedreport {
    char *name;                              /* the file it was read from ("-" = standard input) */
    char command[16];                        /* "count" or "merge" */
    uint64_t lexicon_terms, lexicon_entries; /* 0 when the report has no "lexicon" */
    char **sources;
    size_t nsources;
    /* every term named anywhere in the report, ids in order of first appearance */
    struct intern terms; /* term <-> id: terms.n terms, intern_str(&terms, id) */
    char **categories;   /* per term id; "" when the report does not say */
    uint64_t *counts;    /* per term id: totals.counts (0 when absent) */
    uint64_t *doc_freq;  /* per term id: totals.doc_freq (0 when absent) */
    size_t terms_alloc;  /* of categories, counts and doc_freq */
    struct savedreport_doc *docs;
    size_t ndocs;
    uint64_t documents, bytes, chars, han, invalid; /* totals */
    struct json_t *reading;                         /* the totals' reading keys, as for a doc */
    struct json_t *settings;     /* "settings" (settings.h) as written, NULL when the report has
                                    none (written before tifa recorded them) */
    unsigned char *abbreviation; /* per term id: "kind": "abbreviation" in "terms" */
    struct note_list skipped;    /* text = the reason */
    struct note_list errors;     /* text = the message */
};

/**
 * Returns 1 if @path looks like a saved report rather than a text: a regular file whose name
 * ends in ".json", or whose first non-blank byte is '{'. Never fails (0 when unreadable).
 */
int savedreport_sniff(const char *path);

/**
 * Reads and parses the report in file @path ("-" = standard input). On success returns 0 and
 * fills @r (release it with savedreport_release). On failure returns TIFA_EIO or TIFA_EDATA,
 * fills @e (see the header comment) and leaves @r empty (releasing it is harmless).
 */
int savedreport_load(struct savedreport *r, const char *path, struct tifa_err *e);

/** Parses a report held in memory; @name is recorded in @r->name and used in messages. */
int savedreport_parse(struct savedreport *r, const char *buf, size_t len, const char *name,
                      struct tifa_err *e);

/** Returns the id of @term in @r->terms, or (size_t)-1 when the report never names it. */
size_t savedreport_term(const struct savedreport *r, const char *term);

/** Frees everything; @r is empty afterwards. */
void savedreport_release(struct savedreport *r);

#endif
