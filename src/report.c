/*
 * report: count's reporter calls through a format's operations, and the escaping and rounding
 * helpers every reporter shares.
 *
 * How it works: report_init() keeps the operations of the format asked for; each call goes
 * through them and skips a step the format leaves NULL. This file knows no format: the count
 * family's table is in report_count.c, so the formats can use these helpers without a loop.
 * Escaping works on bytes and validates UTF-8 as it goes, so paths that are not valid UTF-8
 * never make JSON invalid or TSV ambiguous.
 */
#include "tifa/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/utf8.h"
#include "tifa/xalloc.h"

void report_init(struct report *r, FILE *out, const struct report_ops *ops,
                 const struct lexicon *lx, const char *command)
{
    memset(r, 0, sizeof(*r));
    r->out = out;
    r->ops = ops;
    r->format = ops->def.format;
    r->lx = lx;
    r->command = command;
    sbuf_init(&r->scratch);
}

void report_keep_doc(struct report *r, const struct agg_doc *doc)
{
    ALLOC_GROW(r->docs, r->ndocs_buf + 1, r->docs_alloc);
    struct agg_doc *d = &r->docs[r->ndocs_buf++];
    *d = *doc;
    d->path = xstrdup(doc->path);
    d->head = NULL;
    d->head_len = 0;
    d->reading = NULL;
    d->extra = NULL;
    d->nextra = 0;
    d->read_json = NULL;
    memset(&d->read, 0, sizeof(d->read)); /* counts only */
    d->counts = xmalloc(st_mult(doc->ncounts + 1, sizeof(*doc->counts)));
    memcpy(d->counts, doc->counts, doc->ncounts * sizeof(*doc->counts));
}

void report_release_docs(struct report *r)
{
    for (size_t i = 0; i < r->ndocs_buf; i++)
        agg_doc_release(&r->docs[i]);
    free(r->docs);
    r->docs = NULL;
    r->ndocs_buf = r->docs_alloc = 0;
}

void report_begin(struct report *r)
{
    if (r->ops->begin)
        r->ops->begin(r);
}

void report_document(struct report *r, const struct agg_doc *doc)
{
    if (r->ops->document)
        r->ops->document(r, doc);
    r->ndocs++;
}

void report_end(struct report *r, const struct agg_total *tot, const struct note_list *skipped,
                const struct note_list *errors)
{
    if (r->ops->end)
        r->ops->end(r, tot, skipped, errors);
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

void report_sv_field(struct sbuf *out, int csv, const char *s)
{
    if (csv)
        report_csv_field(out, s);
    else
        report_tsv_escape(out, s);
}

void report_sv_header(FILE *out, const char *const *keys, size_t n, int csv)
{
    for (size_t k = 0; k < n; k++)
        fprintf(out, "%s%s", k ? (csv ? "," : "\t") : "", keys[k]);
    fputs(csv ? "\r\n" : "\n", out);
}

double report_round4(double x)
{
    double r = round(x * 10000.0) / 10000.0;
    return r == 0.0 ? 0.0 : r; /* no -0 */
}

double report_round_sig6(double x)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%.6g", x);
    return strtod(buf, NULL);
}
