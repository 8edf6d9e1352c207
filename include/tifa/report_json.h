/*
 * report_json: JSON output shared by every command's reporter: one writer for jansson values,
 * and the JSON formats of `tifa count` (report_json_ops, report_jsonl_ops in report.h).
 *
 * Invariants of what the writer prints: one line, no indentation, ", " and ": " separators,
 * object keys in insertion order, strings escaped as jansson escapes them (", \, \b \f \n \r \t,
 * other control characters as \u00XX, everything else as is), integers as integers, and reals
 * in the shortest form that reads back to the same double: the first of %.15g, %.16g and %.17g
 * that strtod() turns back into the value, so 0.1 prints as 0.1 and 1/3 as 0.3333333333333333
 * (jq and JavaScript print numbers this way). A real always shows it is one: 2.0, not 2
 * (jansson's rule, so that readers keep the type); exponents print without '+' and leading
 * zeros (1e-5, 1e20); -0 prints as 0.0. (json_real() refuses NaN and infinities, which JSON
 * cannot hold, so the writer never sees them.)
 * Numbers are never rounded here: rounding is for the table, TSV and CSV.
 *
 * Only this header and the files that build JSON include jansson.h.
 */
#ifndef TIFA_REPORT_JSON_H
#define TIFA_REPORT_JSON_H

#include <stdio.h>

#include <jansson.h>

#include "tifa/note.h"
#include "tifa/sbuf.h"

/*
 * The version of the JSON contract, the "tifa" key of every command's JSON. It goes up when a
 * key is renamed or changes meaning (CHANGELOG.md lists each change); new keys do not change it.
 * 2: "documents" meaning a document frequency became "doc_freq" (count and merge terms[],
 * discover candidates[], trend terms[] and cells[] and its measure).
 */
#define REPORT_JSON_VERSION 2

/** Appends @v on one line as described above. @v is borrowed. */
void report_json_render(struct sbuf *out, const json_t *v);

/**
 * Writes @prefix, @v (report_json_render), then @suffix, to @out; takes the reference to @v.
 * Every command's JSON reporter writes through it, so their number formatting cannot drift apart.
 */
void report_json_put(FILE *out, json_t *v, const char *prefix, const char *suffix);

/** Appends the UTF-8 text @s[0..len) as a JSON string, escaped as the writer escapes strings;
 *  for records written by hand in bulk (kwic), where a jansson value per field costs more than
 *  the rest of the record. */
void report_json_add_string(struct sbuf *out, const char *s, size_t len);

/** A new JSON string of @s, sanitized as report_utf8_sanitize does (jansson refuses bad UTF-8). */
json_t *report_json_string(const char *s);

/**
 * Sorts a "partial" array (--partial records: "id", "components", ...) in the one order count
 * writes and merge keeps: by id, then by the components, compared one by one (a shorter list
 * that is a prefix of the other first). Byte order of the UTF-8 strings.
 */
void report_json_sort_partial(json_t *a);

/** A new array of {"path": ..., @key: text} objects for the notes of @l (skips, errors). */
json_t *report_json_notes(const struct note_list *l, const char *key);

#endif
