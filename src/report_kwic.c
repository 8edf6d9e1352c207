/*
 * report_kwic: kwic's formats (report_kwic.h).
 *
 * How it works: like count's reporters, a const operations struct per format whose first
 * member is its report_format_def, gathered in report_kwic_formats. Every record is written
 * as it comes, so output streams when the records do; JSON records are jansson objects written
 * by report_json_put (the one JSON writer), inside an envelope written here.
 */
#include "tifa/report_kwic.h"

#include <string.h>

#include "tifa/report.h"
#include "tifa/report_json.h"
#include "tifa/utf8.h"

struct kwic_report_ops {
    struct report_format_def def; /* first: the family table points at it */
    void (*begin)(struct report_kwic *r);
    void (*record)(struct report_kwic *r, const struct kwic_rec *rec, const struct kwic_where *w);
    void (*end)(struct report_kwic *r, uint64_t documents, uint64_t found,
                const struct note_list *skipped, const struct note_list *errors);
};

#define COLOR_PATH "\033[35m"
#define COLOR_LINE "\033[32m"
#define COLOR_MATCH "\033[1;31m"
#define COLOR_OFF "\033[0m"

static const char *rec_left(const struct kwic_rec *rec)
{
    return rec->text;
}

static const char *rec_match(const struct kwic_rec *rec)
{
    return rec->text + rec->left_len;
}

static const char *rec_right(const struct kwic_rec *rec)
{
    return rec->text + rec->left_len + rec->match_len;
}

/* ---- table ---- */

/* Appends @s as the table shows text: a line break (CR LF once) as ⏎, a tab as a space, other
 * control characters and invalid bytes as U+FFFD. */
static void render_text(struct sbuf *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int bad;
        size_t n = utf8_decode(u + i, len - i, &cp, &bad);
        if (bad)
            sbuf_addstr(out, "\xEF\xBF\xBD");
        else if (cp == '\r' || cp == '\n') {
            if (cp == '\r' && i + 1 < len && u[i + 1] == '\n')
                n = 2;
            sbuf_addstr(out, "\xE2\x8F\x8E"); /* ⏎ */
        } else if (cp == '\t')
            sbuf_addch(out, ' ');
        else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            sbuf_addstr(out, "\xEF\xBF\xBD");
        else
            sbuf_add(out, s + i, n);
        i += n;
    }
}

static void pad(struct sbuf *out, size_t n)
{
    while (n--)
        sbuf_addch(out, ' ');
}

size_t report_kwic_prefix_cols(const char *path, uint64_t line, uint64_t column)
{
    char num[48];
    int n = snprintf(num, sizeof(num), ":%llu:%llu", (unsigned long long)line,
                     (unsigned long long)column);
    return kwic_cols(path, strlen(path)) + (size_t)n;
}

static void table_record(struct report_kwic *r, const struct kwic_rec *rec,
                         const struct kwic_where *w)
{
    struct sbuf *o = &r->line;
    sbuf_reset(o);
    sbuf_reset(&r->scratch);
    report_utf8_sanitize(&r->scratch, w->path);
    size_t pcols = report_kwic_prefix_cols(r->scratch.buf, rec->line, rec->column);
    if (pcols > r->prefix_cols)
        r->prefix_cols = pcols;
    if (r->color)
        sbuf_addstr(o, COLOR_PATH);
    render_text(o, r->scratch.buf, r->scratch.len);
    sbuf_addstr(o, r->color ? COLOR_OFF ":" COLOR_LINE : ":");
    sbuf_addf(o, "%llu:%llu", (unsigned long long)rec->line, (unsigned long long)rec->column);
    if (r->color)
        sbuf_addstr(o, COLOR_OFF);
    pad(o, r->prefix_cols - pcols + 2);
    if (!r->sentence) {
        size_t lcols = kwic_cols(rec_left(rec), rec->left_len);
        pad(o, lcols < r->width ? r->width - lcols : 0);
    }
    render_text(o, rec_left(rec), rec->left_len);
    if (rec->expansion && r->color) {
        const char *m = rec_match(rec);
        uint32_t at = 0;
        sbuf_addch(o, ' ');
        for (uint32_t k = 0; k < rec->ncomps; k++) {
            const struct kwic_comp *c = &rec->comps[k];
            if (c->at < at) /* overlapping components: the rest of this one */
                continue;
            render_text(o, m + at, c->at - at);
            sbuf_addstr(o, COLOR_MATCH);
            render_text(o, m + c->at, c->len);
            sbuf_addstr(o, COLOR_OFF);
            at = c->at + c->len;
        }
        render_text(o, m + at, rec->match_len - at);
        sbuf_addch(o, ' ');
    } else {
        sbuf_addstr(o, r->color ? " " COLOR_MATCH : " ");
        render_text(o, rec_match(rec), rec->match_len);
        sbuf_addstr(o, r->color ? COLOR_OFF " " : " ");
    }
    render_text(o, rec_right(rec), rec->right_len);
    while (o->len && o->buf[o->len - 1] == ' ')
        o->len--;
    if (rec->blocker)
        sbuf_addf(o, "  [blocked: %s not counted]", r->lx->labels[rec->label_id].term);
    if (rec->expansion)
        sbuf_addf(o, "  [spelled out: %s]", r->lx->labels[rec->label_id].term);
    sbuf_addch(o, '\n');
    fwrite(o->buf, 1, o->len, r->out);
}

static const struct kwic_report_ops table_ops = {{"table", FMT_TABLE}, NULL, table_record, NULL};

/* ---- json, jsonl ---- */

static void json_begin(struct report_kwic *r)
{
    if (r->format == FMT_JSONL)
        return;
    json_t *lex = json_object(), *src = json_array(), *terms = json_array();
    json_object_set_new(lex, "terms", json_integer((json_int_t)r->lx->nlabels));
    json_object_set_new(lex, "entries", json_integer((json_int_t)r->lx->nentries));
    for (size_t i = 0; i < r->lx->nsources; i++)
        json_array_append_new(src, report_json_string(r->lx->sources[i]));
    json_object_set_new(lex, "sources", src);
    for (size_t i = 0; i < r->lx->nlabels; i++) {
        if (r->shown && !r->shown[i])
            continue;
        json_t *t = json_object();
        json_object_set_new(t, "term", json_string(r->lx->labels[i].term));
        json_object_set_new(t, "category", json_string(r->lx->labels[i].category));
        json_object_set_new(t, "literal", json_boolean(r->literal && r->literal[i]));
        json_array_append_new(terms, t);
    }
    fprintf(r->out, "{\"tifa\": %d, \"command\": \"kwic\",\n", REPORT_JSON_VERSION);
    report_json_put(r->out, lex, " \"lexicon\": ", ",\n");
    report_json_put(r->out, terms, " \"terms\": ", ",\n \"matches\": [");
}

/* A record is written by hand, in the writer's layout (", " and ": "), not built as a jansson
 * object: at tens of thousands of records a second the objects cost more than everything else
 * kwic does (bench/NOTES.md). */
static void json_field(struct sbuf *o, const char *key, const char *s, size_t len)
{
    sbuf_addstr(o, key);
    report_json_add_string(o, s, len);
}

static void add_u64(struct sbuf *o, uint64_t v)
{
    char buf[24], *p = buf + sizeof(buf);
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    sbuf_add(o, p, (size_t)(buf + sizeof(buf) - p));
}

static void json_record(struct report_kwic *r, const struct kwic_rec *rec,
                        const struct kwic_where *w)
{
    struct sbuf *o = &r->line;
    sbuf_reset(o);
    if (r->format != FMT_JSONL)
        sbuf_addstr(o, r->nrecords ? ",\n  " : "\n  ");
    sbuf_reset(&r->scratch);
    report_utf8_sanitize(&r->scratch, w->path);
    sbuf_addstr(o, "{\"path\": ");
    report_json_add_string(o, r->scratch.buf, r->scratch.len);
    sbuf_addstr(o, ", \"line\": ");
    add_u64(o, rec->line);
    sbuf_addstr(o, ", \"column\": ");
    add_u64(o, rec->column);
    sbuf_addstr(o, ", \"offset\": ");
    add_u64(o, w->offset);
    sbuf_addstr(o, w->decoded ? ", \"offset_in\": \"decoded\"" : ", \"offset_in\": \"file\"");
    const char *term = r->lx->labels[rec->label_id].term;
    json_field(o, ", \"term\": ", term, strlen(term));
    json_field(o, ", \"match\": ", rec_match(rec), rec->match_len);
    json_field(o, ", \"left\": ", rec_left(rec), rec->left_len);
    json_field(o, ", \"right\": ", rec_right(rec), rec->right_len);
    if (r->sentence)
        json_field(o, ", \"sentence\": ", rec->text,
                   (size_t)rec->left_len + rec->match_len + rec->right_len);
    if (rec->expansion) {
        const struct lex_entry *en = &r->lx->entries[rec->sense];
        const char *id = *en->id ? en->id : en->term;
        sbuf_addstr(o, ", \"kind\": \"expansion\"");
        json_field(o, ", \"entry\": ", id, strlen(id));
        sbuf_addstr(o, ", \"components\": [");
        for (uint32_t k = 0; k < rec->ncomps; k++) {
            const struct kwic_comp *c = &rec->comps[k];
            const char *comp = en->expansion[c->index];
            json_field(o, k ? ", {\"component\": " : "{\"component\": ", comp, strlen(comp));
            json_field(o, ", \"text\": ", rec_match(rec) + c->at, c->len);
            sbuf_addch(o, '}');
        }
        sbuf_addch(o, ']');
    } else if (rec->sense != KWIC_NO_SENSE) {
        const char *sense = "unresolved";
        if (rec->sense != RESOLVE_UNRESOLVED) {
            const struct lex_entry *en = &r->lx->entries[rec->sense];
            sense = *en->id ? en->id : en->term;
        }
        json_field(o, ", \"sense\": ", sense, strlen(sense));
    }
    if (rec->blocker) {
        sbuf_addstr(o, ", \"blocked\": true");
        json_field(o, ", \"blocker\": ", rec->blocker, strlen(rec->blocker));
    }
    sbuf_addstr(o, r->format == FMT_JSONL ? "}\n" : "}");
    fwrite(o->buf, 1, o->len, r->out);
}

static void json_end(struct report_kwic *r, uint64_t documents, uint64_t found,
                     const struct note_list *skipped, const struct note_list *errors)
{
    if (r->format == FMT_JSONL)
        return;
    json_t *t = json_object();
    json_object_set_new(t, "documents", json_integer((json_int_t)documents));
    json_object_set_new(t, "found", json_integer((json_int_t)found));
    json_object_set_new(t, "matches", json_integer((json_int_t)r->nrecords));
    fputs("],\n", r->out);
    report_json_put(r->out, t, " \"totals\": ", ",\n");
    report_json_put(r->out, report_json_notes(skipped, "reason"), " \"skipped\": ", ",\n");
    report_json_put(r->out, report_json_notes(errors, "message"), " \"errors\": ", "}\n");
}

static const struct kwic_report_ops json_ops = {
    {"json", FMT_JSON}, json_begin, json_record, json_end};
static const struct kwic_report_ops jsonl_ops = {
    {"jsonl", FMT_JSONL}, json_begin, json_record, json_end};

/* ---- tsv, csv ---- */

static void sv_begin(struct report_kwic *r)
{
    const char *sep = r->format == FMT_CSV ? "," : "\t";
    static const char *const cols[] = {"path", "line",  "column", "offset", "offset_in",
                                       "term", "match", "left",   "right"};
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
        fprintf(r->out, "%s%s", i ? sep : "", cols[i]);
    if (r->sentence)
        fprintf(r->out, "%ssentence", sep);
    fprintf(r->out, "%s\n", r->expansions ? (r->format == FMT_CSV ? ",kind" : "\tkind") : "");
}

static void sv_text(struct report_kwic *r, const char *s, size_t len)
{
    int csv = r->format == FMT_CSV;
    sbuf_reset(&r->scratch);
    sbuf_add(&r->scratch, s, len);
    sbuf_addch(&r->line, csv ? ',' : '\t');
    report_sv_field(&r->line, csv, r->scratch.buf);
}

static void sv_record(struct report_kwic *r, const struct kwic_rec *rec, const struct kwic_where *w)
{
    int csv = r->format == FMT_CSV;
    struct sbuf *o = &r->line;
    sbuf_reset(o);
    report_sv_field(o, csv, w->path);
    sbuf_addf(o, "%c%llu%c%llu%c%llu%c%s", csv ? ',' : '\t', (unsigned long long)rec->line,
              csv ? ',' : '\t', (unsigned long long)rec->column, csv ? ',' : '\t',
              (unsigned long long)w->offset, csv ? ',' : '\t', w->decoded ? "decoded" : "file");
    const char *term = r->lx->labels[rec->label_id].term;
    sv_text(r, term, strlen(term));
    sv_text(r, rec_match(rec), rec->match_len);
    sv_text(r, rec_left(rec), rec->left_len);
    sv_text(r, rec_right(rec), rec->right_len);
    if (r->sentence)
        sv_text(r, rec->text, (size_t)rec->left_len + rec->match_len + rec->right_len);
    if (r->expansions)
        sv_text(r, rec->expansion ? "expansion" : "match", rec->expansion ? 9 : 5);
    sbuf_addch(o, '\n');
    fwrite(o->buf, 1, o->len, r->out);
}

static const struct kwic_report_ops tsv_ops = {{"tsv", FMT_TSV}, sv_begin, sv_record, NULL};
static const struct kwic_report_ops csv_ops = {{"csv", FMT_CSV}, sv_begin, sv_record, NULL};

static const struct report_format_def *const kwic_defs[] = {
    &table_ops.def, &json_ops.def, &jsonl_ops.def, &tsv_ops.def, &csv_ops.def,
};

const struct report_formats report_kwic_formats = {kwic_defs,
                                                   sizeof(kwic_defs) / sizeof(kwic_defs[0])};

void report_kwic_init(struct report_kwic *r, FILE *out, enum report_format f,
                      const struct lexicon *lx)
{
    memset(r, 0, sizeof(*r));
    r->out = out;
    r->ops = (const struct kwic_report_ops *)report_format_get(&report_kwic_formats, f);
    r->format = f;
    r->lx = lx;
    r->width = 30;
    sbuf_init(&r->line);
    sbuf_init(&r->scratch);
}

void report_kwic_begin(struct report_kwic *r)
{
    if (r->ops->begin)
        r->ops->begin(r);
}

void report_kwic_record(struct report_kwic *r, const struct kwic_rec *rec,
                        const struct kwic_where *w)
{
    r->ops->record(r, rec, w);
    r->nrecords++;
}

void report_kwic_end(struct report_kwic *r, uint64_t documents, uint64_t found,
                     const struct note_list *skipped, const struct note_list *errors)
{
    if (r->ops->end)
        r->ops->end(r, documents, found, skipped, errors);
    sbuf_release(&r->line);
    sbuf_release(&r->scratch);
}
