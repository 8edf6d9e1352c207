/*
 * report: dispatch to the format implementations, and the escaping helpers they share.
 *
 * How it works: each format implements the subset of begin/document/end it needs; this file
 * routes calls by format. Escaping works on bytes and validates UTF-8 as it goes, so paths that
 * are not valid UTF-8 never make JSON invalid or TSV ambiguous.
 */
#include "tifa/report.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/utf8.h"

static const char *const format_names[] = {"table", "json", "jsonl", "tsv", "csv", "svg"};

int report_format_parse(const char *s, unsigned allowed, enum report_format *out)
{
    for (unsigned i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
        if (!strcmp(s, format_names[i]) && (allowed & (1u << i))) {
            *out = (enum report_format)i;
            return 0;
        }
    }
    return -1;
}

const char *report_format_name(enum report_format f)
{
    return format_names[f];
}

void report_init(struct report *r, FILE *out, enum report_format f, const struct lexicon *lx,
                 const char *command)
{
    memset(r, 0, sizeof(*r));
    r->out = out;
    r->format = f;
    r->lx = lx;
    r->command = command;
    sbuf_init(&r->scratch);
}

void report_begin(struct report *r)
{
    switch (r->format) {
    case FMT_JSON:
    case FMT_JSONL:
        report_json_begin(r);
        break;
    case FMT_TSV:
    case FMT_CSV:
        report_tsv_begin(r);
        break;
    default:
        break;
    }
}

void report_document(struct report *r, const struct agg_doc *doc)
{
    switch (r->format) {
    case FMT_JSON:
    case FMT_JSONL:
        report_json_document(r, doc);
        break;
    case FMT_TSV:
    case FMT_CSV:
        report_tsv_document(r, doc);
        break;
    default:
        report_table_document(r, doc);
        break;
    }
    r->ndocs++;
}

void report_end(struct report *r, const struct agg_total *tot, const struct walk_note *skipped,
                size_t nskipped, const struct walk_note *errors, size_t nerrors)
{
    switch (r->format) {
    case FMT_JSON:
    case FMT_JSONL:
        report_json_end(r, tot, skipped, nskipped, errors, nerrors);
        break;
    case FMT_TSV:
    case FMT_CSV:
        break;
    default:
        report_table_end(r, tot, skipped, nskipped, errors, nerrors);
        break;
    }
    sbuf_release(&r->scratch);
}

void report_utf8_sanitize(struct sbuf *out, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t len = strlen(str), i = 0;
    while (i < len) {
        uint32_t cp;
        int bad;
        size_t n = s[i] < 0x80 ? 1 : utf8_decode(s + i, len - i, &cp, &bad);
        if (s[i] >= 0x80 && bad)
            sbuf_addstr(out, "\xEF\xBF\xBD");
        else
            sbuf_add(out, s + i, n);
        i += n;
    }
}

void report_tsv_escape(struct sbuf *out, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t len = strlen(str), i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            switch (c) {
            case '\t': sbuf_addstr(out, "\\t"); break;
            case '\n': sbuf_addstr(out, "\\n"); break;
            case '\r': sbuf_addstr(out, "\\r"); break;
            case '\\': sbuf_addstr(out, "\\\\"); break;
            default: sbuf_addch(out, (int)c);
            }
            i++;
            continue;
        }
        uint32_t cp;
        int bad;
        size_t n = utf8_decode(s + i, len - i, &cp, &bad);
        if (bad) {
            for (size_t k = 0; k < n; k++)
                sbuf_addf(out, "\\x%02x", s[i + k]);
        } else {
            sbuf_add(out, s + i, n);
        }
        i += n;
    }
}

void report_csv_field(struct sbuf *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        sbuf_addstr(out, s);
        return;
    }
    sbuf_addch(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            sbuf_addch(out, '"');
        sbuf_addch(out, *s);
    }
    sbuf_addch(out, '"');
}

void report_pad(struct sbuf *out, const char *s, size_t cols, int right)
{
    size_t w = utf8_str_cols(s, strlen(s));
    if (right)
        for (size_t i = w; i < cols; i++)
            sbuf_addch(out, ' ');
    sbuf_addstr(out, s);
    if (!right)
        for (size_t i = w; i < cols; i++)
            sbuf_addch(out, ' ');
}
