/*
 * discover: finding candidate formulas in normalized text, and ranking them over a corpus.
 *
 * How it works. Rules file: rows are read in order; a define row's regex is kept by name and
 * substituted for {NAME} in later regexes (textually, so a define may use earlier ones); rule
 * rows are compiled into one rule_set (rule.h: pcre2 with JIT), stop rows into another.
 *
 * Extraction (per document, on the worker threads, disc_extract): the document's text is
 * normalized (text_normalize) and taken one paragraph at a time.
 *  1. Quoted spans are found first (an opening mark, then its own closing mark within
 *     DISC_QUOTED_MAX characters, nothing that ends a sentence or opens another quote between).
 *     A span that one of the rules matches whole is a NUMBERED occurrence with exact
 *     boundaries; any other span with two Han characters or more is a QUOTED occurrence.
 *  2. The rules of scope `any` are run over the paragraph (rule_scan). A match that overlaps a
 *     quoted span was dealt with in 1. Otherwise its formula part (group f) has no certain end:
 *     every prefix of it that the rule still matches whole is an occurrence of that length
 *     ("admissible lengths"): 两个维护要 gives 两个维护 and 两个维护要. The corpus step keeps
 *     the right one.
 *  3. With DISC_NGRAM, the paragraph is also copied for the n-gram miner: Han, letters, digits,
 *     、 and ， kept, a space between two letters or digits kept, anything else (sentence ends,
 *     quotes, brackets, colons ...) written as one '\n', which no n-gram crosses.
 * A document's phrases are kept in a strmap with their counts, quoted counts, the count of
 * unquoted uses followed by 的, and the context of the first one (the sentence around it, at
 * most DISC_EXAMPLE_CHARS characters each side).
 *
 * Corpus (on the calling thread, in input order): the table adds each document's phrases
 * (count, documents, the first DISC_FIRST_DOCS documents, the least period by strverscmp, the
 * first example). disc_table_finish then applies, in this order: the choice of length among a
 * numbered phrase's admissible lengths (sorted by rule and phrase, the extensions of a phrase
 * follow it): a phrase one of whose extensions has at least DISC_CUT_SHARE of its count is a
 * cut of it (三大全球倡 of 三大全球倡议) and is dropped; a phrase never quoted with less than
 * DISC_CONTEXT_SHARE of the count of its shortest admissible prefix is that prefix in one of
 * its contexts (两个维护要 of 两个维护, 八项规定精神问题 of 八项规定精神) and is dropped; then the
 * 的 rule (a short numbered phrase, at most DISC_DE_MAX_CHARS characters, never quoted, whose
 * unquoted uses are followed by 的 more than half the time is an adjective phrase: 两个重要的,
 * 一个强烈的; a longer one such as 八个追赶跨越的 is a formula used as a modifier), the document
 * threshold, the stop lists, and known phrases.
 *
 * Cost: the rules run per paragraph with JIT; the table is O(distinct phrases). Memory per
 * document: its normalized text (about its decoded size) and its phrases.
 */

#include "tifa/discover.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/embedded.h"
#include "tifa/normalize.h"
#include "tifa/stats.h"
#include "tifa/text.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

/* ---- kinds ---- */

const char *disc_kind_name(enum disc_kind k)
{
    switch (k) {
    case DISC_NUMBERED: return "numbered";
    case DISC_QUOTED: return "quoted";
    case DISC_NGRAM: return "ngram";
    }
    return "?";
}

int disc_kind_parse(const char *s, unsigned *kinds)
{
    unsigned k = 0;
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == 8 && !memcmp(p, "numbered", 8))
            k |= DISC_NUMBERED;
        else if (n == 6 && !memcmp(p, "quoted", 6))
            k |= DISC_QUOTED;
        else if (n == 5 && !memcmp(p, "ngram", 5))
            k |= DISC_NGRAM;
        else
            return -1;
        if (!comma)
            break;
        p = comma + 1;
    }
    *kinds |= k;
    return 0;
}

/* ---- the rules file ---- */

void disc_rules_init(struct disc_rules *r)
{
    memset(r, 0, sizeof(*r));
    rule_set_init(&r->rs);
    rule_set_init(&r->stop);
}

void disc_rules_release(struct disc_rules *r)
{
    for (size_t i = 0; i < r->rs.n; i++) {
        free(r->info[i].examples);
        free(r->info[i].counterexamples);
        free(r->info[i].note);
    }
    free(r->info);
    rule_set_release(&r->rs);
    rule_set_release(&r->stop);
}

struct define {
    char *name, *regex;
};

/* Expands {NAME} in @regex with the defines so far; returns 0, or TIFA_EDATA for an unknown
 * name. Any other brace (a quantifier such as {2,6}, a property such as \p{Han}) stays. */
static int expand_defines(const char *regex, const struct define *defs, size_t ndefs,
                          struct sbuf *out, const char *name, long line, struct tifa_err *e)
{
    sbuf_reset(out);
    for (const char *p = regex; *p;) {
        size_t n = 0;
        while ((p[1 + n] >= 'A' && p[1 + n] <= 'Z') || (p[1 + n] >= '0' && p[1 + n] <= '9') ||
               p[1 + n] == '_')
            n++;
        /* {NAME}: capitals, digits and _ only, so \p{Han} and {2,6} stay pcre2's */
        if (*p == '{' && n && p[1 + n] == '}') {
            const char *end = p + 1 + n;
            size_t i;
            for (i = 0; i < ndefs; i++)
                if (strlen(defs[i].name) == n && !memcmp(defs[i].name, p + 1, n))
                    break;
            if (i == ndefs)
                return tifa_err_set(e, TIFA_EDATA, name, line, -1, "unknown define {%.*s}", (int)n,
                                    p + 1);
            sbuf_addstr(out, defs[i].regex);
            p = end + 1;
            continue;
        }
        sbuf_addch(out, *p++);
    }
    return 0;
}

/* Splits @line at tabs into at most @max fields (in place); returns the count. */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

int disc_rules_load_buf(struct disc_rules *r, const char *buf, size_t len, const char *name,
                        struct tifa_err *e)
{
    struct define *defs = NULL;
    size_t ndefs = 0, defs_alloc = 0;
    struct sbuf rx;
    int rc = 0, header = 0;
    long lineno = 0;
    char *copy = xstrndup(buf, len);
    sbuf_init(&rx);
    for (char *line = copy, *next; line && !rc; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[--l] = '\0';
        if (!l || line[0] == '#')
            continue;
        char *f[6] = {0};
        size_t nf = split_tabs(line, f, 6);
        if (!header) {
            if (nf < 3 || strcmp(f[0], "name") || strcmp(f[1], "scope") || strcmp(f[2], "regex"))
                rc = tifa_err_set(e, TIFA_EDATA, name, lineno, -1,
                                  "the first row must be the header: name, scope, regex, "
                                  "examples, counterexamples, note");
            header = 1;
            continue;
        }
        if (nf < 3 || !*f[0] || !*f[2]) {
            rc = tifa_err_set(e, TIFA_EDATA, name, lineno, -1,
                              "a row needs at least a name, a scope and a regex");
            break;
        }
        if ((rc = expand_defines(f[2], defs, ndefs, &rx, name, lineno, e)) != 0)
            break;
        if (!strcmp(f[1], "define")) {
            ALLOC_GROW(defs, ndefs + 1, defs_alloc);
            defs[ndefs].name = xstrdup(f[0]);
            defs[ndefs++].regex = xstrdup(rx.buf);
        } else if (!strcmp(f[1], "stop")) {
            rc = rule_set_add(&r->stop, f[0], rx.buf, name, lineno, e);
        } else if (!strcmp(f[1], "any") || !strcmp(f[1], "quoted")) {
            if ((rc = rule_set_add(&r->rs, f[0], rx.buf, name, lineno, e)) != 0)
                break;
            ALLOC_GROW(r->info, r->rs.n, r->info_alloc);
            struct disc_rule_info *in = &r->info[r->rs.n - 1];
            in->quoted_only = !strcmp(f[1], "quoted");
            in->examples = xstrdup(nf > 3 ? f[3] : "");
            in->counterexamples = xstrdup(nf > 4 ? f[4] : "");
            in->note = xstrdup(nf > 5 ? f[5] : "");
        } else {
            rc = tifa_err_set(e, TIFA_EDATA, name, lineno, -1,
                              "unknown scope '%s' (any, quoted, define or stop)", f[1]);
        }
    }
    if (!rc && !header)
        rc = tifa_err_set(e, TIFA_EDATA, name, 0, -1, "no header row and no rules");
    for (size_t i = 0; i < ndefs; i++) {
        free(defs[i].name);
        free(defs[i].regex);
    }
    free(defs);
    free(copy);
    sbuf_release(&rx);
    return rc;
}

int disc_rules_load_file(struct disc_rules *r, const char *path, struct tifa_err *e)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return tifa_err_set(e, TIFA_EIO, path, 0, -1, "cannot open: %s", strerror(errno));
    struct sbuf b;
    sbuf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        sbuf_add(&b, chunk, n);
    int bad = ferror(fp);
    fclose(fp);
    int rc = bad ? tifa_err_set(e, TIFA_EIO, path, 0, -1, "read error")
                 : disc_rules_load_buf(r, b.buf ? b.buf : "", b.len, path, e);
    sbuf_release(&b);
    return rc;
}

int disc_rules_load_builtin(struct disc_rules *r, struct tifa_err *e)
{
    return disc_rules_load_buf(r, numbering_rules_tsv, numbering_rules_tsv_len, "numbering rules",
                               e);
}

int disc_rules_stopped(const struct disc_rules *r, struct rule_scanner *sc, const char *phrase,
                       size_t len)
{
    struct tifa_err e;
    for (uint32_t i = 0; i < r->stop.n; i++) {
        tifa_err_init(&e);
        if (rule_match_whole(sc, i, phrase, len, &e) == 1)
            return 1;
    }
    return 0;
}

/* ---- extraction ---- */

void disc_doc_free(struct disc_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].phrase);
        free(d->v[i].example);
    }
    free(d->v);
    strmap_release(&d->idx);
    sbuf_release(&d->ngram);
    free(d);
}

/* The closing mark of opening quotation mark @cp, or 0 when @cp opens no quote. */
static uint32_t quote_close(uint32_t cp)
{
    switch (cp) {
    case 0x201C: return 0x201D; /* “ ” */
    case 0x2018: return 0x2019; /* ‘ ’ */
    case 0x300C: return 0x300D; /* 「 」 */
    case 0x300E: return 0x300F; /* 『 』 */
    case '"': return '"';
    }
    return 0;
}

static int is_quote_mark(uint32_t cp)
{
    return quote_close(cp) || cp == 0x201D || cp == 0x2019 || cp == 0x300D || cp == 0x300F;
}

struct span {
    size_t start, end; /* bytes of the content, inside the marks */
};

/* Decodes the code point at @s[i] (valid UTF-8); returns its length. */
static size_t cp_at(const char *s, size_t len, size_t i, uint32_t *cp)
{
    int bad;
    size_t n = utf8_decode((const unsigned char *)s + i, len - i, cp, &bad);
    return bad ? 1 : n;
}

/* The quoted spans of paragraph @p (module header). */
static void find_quoted(const char *p, size_t len, struct span **v, size_t *n, size_t *alloc)
{
    *n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = cp_at(p, len, i, &cp);
        uint32_t close = quote_close(cp);
        i += k;
        if (!close)
            continue;
        size_t j = i, chars = 0;
        int found = 0;
        while (j < len && chars <= DISC_QUOTED_MAX) {
            uint32_t c;
            size_t m = cp_at(p, len, j, &c);
            if (c == close) {
                found = 1;
                break;
            }
            if (is_quote_mark(c) || normalize_class(c) == CC_SENT_END)
                break;
            j += m;
            chars++;
        }
        if (found && chars >= DISC_QUOTED_MIN && chars <= DISC_QUOTED_MAX) {
            ALLOC_GROW(*v, *n + 1, *alloc);
            (*v)[*n].start = i;
            (*v)[(*n)++].end = j;
            i = j + cp_at(p, len, j, &cp);
        }
    }
}

static size_t count_han(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += cp_at(s, len, i, &cp);
        n += normalize_is_han(cp) != 0;
    }
    return n;
}

struct occ_ctx {
    struct disc_doc *d;
    const char *para;
    size_t para_len;
    const struct disc_source *src; /* NULL: examples from the normalized text */
    size_t para_off;               /* of para in the normalized text */
};

/* The example: the sentence around [@start, @end) of the paragraph, at most DISC_EXAMPLE_CHARS
 * characters each side; as written when the source is known (line breaks and tabs as one
 * space), else as normalized. */
static char *example_around(const struct occ_ctx *c, size_t start, size_t end)
{
    const char *p = c->para;
    size_t len = c->para_len, a = start, b = end;
    for (int n = 0; a > 0 && n < DISC_EXAMPLE_CHARS; n++) {
        size_t k = a - 1;
        while (k > 0 && ((unsigned char)p[k] & 0xC0) == 0x80)
            k--;
        uint32_t cp;
        cp_at(p, len, k, &cp);
        if (normalize_class(cp) == CC_SENT_END)
            break;
        a = k;
    }
    for (int n = 0; b < len && n < DISC_EXAMPLE_CHARS; n++) {
        uint32_t cp;
        size_t k = cp_at(p, len, b, &cp);
        b += k;
        if (normalize_class(cp) == CC_SENT_END)
            break;
    }
    if (!c->src)
        return xstrndup(p + a, b - a);
    const char *raw = c->src->raw + c->src->map[c->para_off + a];
    size_t n = (size_t)(c->src->map[c->para_off + b] - c->src->map[c->para_off + a]);
    char *ex = xmalloc(n + 1), *q = ex;
    for (size_t i = 0; i < n; i++) {
        char ch = raw[i];
        if (ch == '\r' || ch == '\n' || ch == '\t') {
            if (q > ex && q[-1] != ' ')
                *q++ = ' ';
        } else {
            *q++ = ch;
        }
    }
    while (q > ex && q[-1] == ' ')
        q--;
    *q = '\0';
    if (ex[0] == ' ')
        memmove(ex, ex + 1, strlen(ex));
    return ex;
}

static struct disc_occ *occ_get(struct disc_doc *d, const char *s, size_t len, unsigned kind,
                                uint32_t rule_id)
{
    int inserted;
    size_t *slot = strmap_put(&d->idx, s, len, d->n, &inserted);
    if (!inserted)
        return &d->v[*slot];
    ALLOC_GROW(d->v, d->n + 1, d->alloc);
    struct disc_occ *o = &d->v[d->n++];
    memset(o, 0, sizeof(*o));
    o->phrase = xstrndup(s, len);
    o->kind = kind;
    o->rule_id = rule_id;
    return o;
}

static void occ_add(struct occ_ctx *c, size_t start, size_t end, unsigned kind, uint32_t rule_id,
                    int quoted)
{
    struct disc_occ *o = occ_get(c->d, c->para + start, end - start, kind, rule_id);
    if (kind == DISC_NUMBERED && o->kind != DISC_NUMBERED) {
        o->kind = DISC_NUMBERED; /* the same phrase quoted elsewhere as a plain quote */
        o->rule_id = rule_id;
    }
    o->count++;
    if (quoted) {
        o->quoted++;
    } else if (end + 3 <= c->para_len && !memcmp(c->para + end, "\xE7\x9A\x84", 3)) {
        o->de_after++; /* 的 */
    }
    if (!o->example)
        o->example = example_around(c, start, end);
}

/* The matches of one paragraph, kept while rule_scan runs (the admissible lengths are tried
 * after it returns: rule_match_whole uses the same scanner). */
struct scan_ctx {
    struct rule_match *v;
    size_t n, alloc;
};

static void on_rule_match(const struct rule_match *m, void *arg)
{
    struct scan_ctx *x = arg;
    ALLOC_GROW(x->v, x->n + 1, x->alloc);
    x->v[x->n++] = *m;
}

/* An unquoted match of a rule of scope any: every admissible length (module header, 2).
 * Returns 0 or a pcre2 error. */
static int add_unquoted(struct occ_ctx *oc, const struct disc_rules *rules, struct rule_scanner *sc,
                        const struct rule_match *m, const struct span *spans, size_t nspans,
                        struct tifa_err *e)
{
    if (rules->info[m->rule_id].quoted_only)
        return 0;
    for (size_t i = 0; i < nspans; i++) /* quoted: dealt with whole, marks included */
        if (m->off < spans[i].end + 3 && m->off + m->len + 3 > spans[i].start)
            return 0;
    const char *p = oc->para + m->off;
    for (size_t l = m->len; l > 0;) {
        int rc = rule_match_whole(sc, m->rule_id, p, l, e);
        if (rc < 0)
            return rc;
        if (rc == 1)
            occ_add(oc, m->off, m->off + l, DISC_NUMBERED, m->rule_id, 0);
        do
            l--;
        while (l > 0 && ((unsigned char)p[l] & 0xC0) == 0x80);
    }
    return 0;
}

/* The n-gram form of paragraph @p (module header, 3). */
static void ngram_form(const char *p, size_t len, struct sbuf *out)
{
    int prev_alnum = 0, sep = 1;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = cp_at(p, len, i, &cp);
        enum char_class c = normalize_class(cp);
        int alnum = c == CC_LATIN || c == CC_DIGIT;
        if (c == CC_HAN || c == CC_CNNUM || alnum || c == CC_ENUM || c == CC_COMMA) {
            sbuf_add(out, p + i, k);
            sep = 0;
        } else if (cp == ' ' && prev_alnum && i + k < len) {
            sbuf_addch(out, ' ');
        } else if (!sep) {
            sbuf_addch(out, '\n');
            sep = 1;
        }
        prev_alnum = alnum;
        i += k;
    }
    if (!sep)
        sbuf_addch(out, '\n');
}

int disc_extract(const struct disc_rules *rules, struct rule_scanner *sc, unsigned kinds,
                 const char *text, size_t len, const struct disc_source *src, struct disc_doc *d,
                 struct tifa_err *e)
{
    struct span *spans = NULL;
    size_t nspans = 0, spans_alloc = 0;
    struct scan_ctx matches = {NULL, 0, 0};
    int rc = 0;
    for (size_t a = 0; a < len && !rc;) {
        const char *nl = memchr(text + a, '\n', len - a);
        size_t b = nl ? (size_t)(nl - text) : len;
        struct occ_ctx oc = {d, text + a, b - a, src, a};
        if (kinds & (DISC_NUMBERED | DISC_QUOTED)) {
            find_quoted(oc.para, oc.para_len, &spans, &nspans, &spans_alloc);
            for (size_t i = 0; i < nspans && !rc; i++) {
                const char *q = oc.para + spans[i].start;
                size_t ql = spans[i].end - spans[i].start;
                int numbered = 0;
                for (uint32_t r = 0; (kinds & DISC_NUMBERED) && r < rules->rs.n; r++) {
                    int m = rule_match_whole(sc, r, q, ql, e);
                    if (m < 0) {
                        rc = m;
                        break;
                    }
                    if (m == 1) {
                        occ_add(&oc, spans[i].start, spans[i].end, DISC_NUMBERED, r, 1);
                        numbered = 1;
                        break;
                    }
                }
                if (!rc && !numbered && (kinds & DISC_QUOTED) && count_han(q, ql) >= 2)
                    occ_add(&oc, spans[i].start, spans[i].end, DISC_QUOTED, 0, 1);
            }
        }
        if (!rc && (kinds & DISC_NUMBERED)) {
            matches.n = 0;
            rc = rule_scan(sc, oc.para, oc.para_len, on_rule_match, &matches, e);
            for (size_t i = 0; !rc && i < matches.n; i++)
                rc = add_unquoted(&oc, rules, sc, &matches.v[i], spans, nspans, e);
        }
        if (kinds & DISC_NGRAM)
            ngram_form(oc.para, oc.para_len, &d->ngram);
        a = b + 1;
    }
    free(spans);
    free(matches.v);
    return rc;
}

/* ---- the consumer ---- */

struct disc_ts {
    const struct disc_sink_arg *arg;
    struct rule_scanner sc;
    struct sbuf raw, norm;
    struct text_map map;
};

static void *disc_thread_init(void *arg)
{
    struct disc_ts *ts = xcalloc(1, sizeof(*ts));
    ts->arg = arg;
    rule_scanner_init(&ts->sc, &ts->arg->rules->rs);
    sbuf_init(&ts->raw);
    sbuf_init(&ts->norm);
    return ts;
}

static void disc_thread_release(void *p)
{
    struct disc_ts *ts = p;
    rule_scanner_release(&ts->sc);
    free(ts->map.off);
    sbuf_release(&ts->raw);
    sbuf_release(&ts->norm);
    free(ts);
}

static void disc_begin(void *p, const struct sink_doc *d)
{
    (void)d;
    sbuf_reset(&((struct disc_ts *)p)->raw);
}

static void disc_text(void *p, const char *utf8, size_t len)
{
    sbuf_add(&((struct disc_ts *)p)->raw, utf8, len);
}

struct disc_doc *disc_doc_new(void)
{
    struct disc_doc *d = xcalloc(1, sizeof(*d));
    strmap_init(&d->idx);
    sbuf_init(&d->ngram);
    tifa_err_init(&d->err);
    return d;
}

static void *disc_end(void *p, const struct sink_doc *sd)
{
    struct disc_ts *ts = p;
    struct disc_doc *d = disc_doc_new();
    sbuf_reset(&ts->norm);
    const char *raw = ts->raw.buf ? ts->raw.buf : "";
    text_normalize_map(raw, ts->raw.len, &ts->norm, &ts->map);
    struct disc_source src = {raw, ts->map.off};
    if (disc_extract(ts->arg->rules, &ts->sc, ts->arg->kinds, ts->norm.buf ? ts->norm.buf : "",
                     ts->norm.len, &src, d, &d->err)) {
        d->failed = 1;
        if (!d->err.path[0])
            snprintf(d->err.path, sizeof(d->err.path), "%s", sd->path);
    }
    sbuf_reset(&ts->raw);
    return d;
}

/* Chunks: the phrases of @next summed into @into (first example kept), the n-gram text
 * appended. */
static void disc_merge(void *p, void *into_p, void *next_p, const struct sink_shift *shift)
{
    (void)p;
    (void)shift;
    struct disc_doc *into = into_p, *next = next_p;
    if (next->failed && !into->failed) {
        into->failed = 1;
        into->err = next->err;
    }
    for (size_t i = 0; i < next->n; i++) {
        const struct disc_occ *o = &next->v[i];
        struct disc_occ *t = occ_get(into, o->phrase, strlen(o->phrase), o->kind, o->rule_id);
        if (o->kind == DISC_NUMBERED && t->kind != DISC_NUMBERED) {
            t->kind = DISC_NUMBERED;
            t->rule_id = o->rule_id;
        }
        t->count += o->count;
        t->quoted += o->quoted;
        t->de_after += o->de_after;
        if (!t->example && o->example)
            t->example = xstrdup(o->example);
    }
    sbuf_add(&into->ngram, next->ngram.buf ? next->ngram.buf : "", next->ngram.len);
    disc_doc_free(next);
}

static void disc_discard(void *d)
{
    disc_doc_free(d);
}

void disc_sink(struct sink *s, struct disc_sink_arg *arg)
{
    memset(s, 0, sizeof(*s));
    s->arg = arg;
    s->thread_init = disc_thread_init;
    s->thread_release = disc_thread_release;
    s->begin = disc_begin;
    s->text = disc_text;
    s->end = disc_end;
    s->merge = disc_merge;
    s->discard = disc_discard;
}

const struct tifa_err *disc_doc_error(const struct disc_doc *d)
{
    return d && d->failed ? &d->err : NULL;
}

/* ---- the corpus table ---- */

void disc_table_init(struct disc_table *t)
{
    memset(t, 0, sizeof(*t));
    strmap_init(&t->idx);
}

void disc_table_release(struct disc_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].phrase);
        free(t->v[i].first_period);
        free(t->v[i].example);
    }
    free(t->v);
    free(t->last_doc);
    strmap_release(&t->idx);
}

static size_t count_cps(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static struct disc_cand *cand_get(struct disc_table *t, const char *s, size_t len, int *inserted)
{
    size_t *slot = strmap_put(&t->idx, s, len, t->n, inserted);
    if (!*inserted)
        return &t->v[*slot];
    size_t alloc = t->alloc;
    ALLOC_GROW(t->v, t->n + 1, t->alloc);
    if (t->alloc != alloc)
        t->last_doc = xrealloc(t->last_doc, t->alloc * sizeof(*t->last_doc));
    t->last_doc[t->n] = 0;
    struct disc_cand *c = &t->v[t->n++];
    memset(c, 0, sizeof(*c));
    c->phrase = xstrndup(s, len);
    c->chars = (uint32_t)count_cps(s, len);
    return c;
}

static void cand_period(struct disc_cand *c, const char *period)
{
    if (period && (!c->first_period || strverscmp(period, c->first_period) < 0)) {
        free(c->first_period);
        c->first_period = xstrdup(period);
    }
}

void disc_table_add_doc(struct disc_table *t, size_t doc_index, const struct disc_doc *d,
                        const char *period)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct disc_occ *o = &d->v[i];
        int inserted;
        struct disc_cand *c = cand_get(t, o->phrase, strlen(o->phrase), &inserted);
        size_t ci = (size_t)(c - t->v);
        if (inserted || (o->kind == DISC_NUMBERED && c->kind != DISC_NUMBERED)) {
            c->kind = o->kind;
            c->rule_id = o->rule_id;
        }
        c->count += o->count;
        c->quoted += o->quoted;
        c->de_after += o->de_after;
        if (t->last_doc[ci] != doc_index + 1) {
            t->last_doc[ci] = doc_index + 1;
            if (c->nfirst < DISC_FIRST_DOCS)
                c->first_docs[c->nfirst++] = doc_index;
            c->docs++;
        }
        if (!c->example && o->example)
            c->example = xstrdup(o->example);
        cand_period(c, period);
    }
}

void disc_table_add_ngram(struct disc_table *t, const char *phrase, size_t len, uint64_t count,
                          uint32_t docs, const size_t *first_docs, uint32_t nfirst, uint64_t ex_off,
                          uint32_t ex_len, const char *first_period)
{
    int inserted;
    struct disc_cand *c = cand_get(t, phrase, len, &inserted);
    if (!inserted)
        return;
    c->kind = DISC_NGRAM;
    c->count = count;
    c->docs = docs;
    c->nfirst = nfirst < DISC_FIRST_DOCS ? nfirst : DISC_FIRST_DOCS;
    memcpy(c->first_docs, first_docs, c->nfirst * sizeof(*first_docs));
    c->ex_off = ex_off;
    c->ex_len = ex_len;
    cand_period(c, first_period);
}

const char *disc_cand_example(const struct disc_table *t, const struct disc_cand *c,
                              struct sbuf *scratch)
{
    if (c->example)
        return c->example;
    sbuf_reset(scratch);
    if (t->ngram_text)
        sbuf_add(scratch, t->ngram_text + c->ex_off, c->ex_len);
    return scratch->buf ? scratch->buf : "";
}

/* Numbered candidates by rule, then phrase bytes: a phrase's extensions follow it. */
static int cmp_rule_phrase(const void *a, const void *b)
{
    const struct disc_cand *x = *(const struct disc_cand *const *)a,
                           *y = *(const struct disc_cand *const *)b;
    if (x->rule_id != y->rule_id)
        return x->rule_id < y->rule_id ? -1 : 1;
    return strcmp(x->phrase, y->phrase);
}

static int cmp_rank(const void *a, const void *b)
{
    const struct disc_cand *x = a, *y = b;
    if (x->docs != y->docs)
        return x->docs > y->docs ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->chars != y->chars)
        return x->chars > y->chars ? -1 : 1;
    return strcmp(x->phrase, y->phrase);
}

/* Every term, alias and expansion component of the lexicon, normalized as candidates are, as
 * a set: one lookup per candidate (lexicon_find would normalize the lexicon again each time). */
static void known_set(const struct lexicon *lx, struct strmap *set)
{
    struct sbuf n;
    sbuf_init(&n);
    for (size_t i = 0; i < lx->nentries; i++) {
        const struct lex_entry *en = &lx->entries[i];
        if (en->dropped)
            continue;
        for (size_t k = 0; k < 1 + en->naliases + en->nexpansion; k++) {
            const char *s = k == 0              ? en->term
                            : k <= en->naliases ? en->aliases[k - 1]
                                                : en->expansion[k - 1 - en->naliases];
            sbuf_reset(&n);
            text_normalize(s, strlen(s), &n);
            if (n.len)
                strmap_put(set, n.buf, n.len, 1, NULL);
        }
    }
    sbuf_release(&n);
}

static void cand_free(struct disc_cand *c)
{
    free(c->phrase);
    free(c->first_period);
    free(c->example);
}

/* The shortest proper prefix of numbered @c that is a candidate of the same rule (the most used
 * of them: a prefix is used at least as often as its extensions), or NULL. */
static const struct disc_cand *admissible_parent(const struct disc_table *t,
                                                 const struct disc_cand *c)
{
    size_t len = strlen(c->phrase);
    for (size_t l = 1; l < len; l++) {
        if (((unsigned char)c->phrase[l] & 0xC0) == 0x80)
            continue;
        size_t *i = strmap_get(&t->idx, c->phrase, l);
        if (i && t->v[*i].kind == DISC_NUMBERED && t->v[*i].rule_id == c->rule_id)
            return &t->v[*i];
    }
    return NULL;
}

void disc_table_finish(struct disc_table *t, const struct disc_filter *f)
{
    unsigned char *drop = xcalloc(t->n + 1, 1);
    struct disc_cand **num = xmalloc((t->n + 1) * sizeof(*num));
    size_t nnum = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].kind == DISC_NUMBERED)
            num[nnum++] = &t->v[i];
    qsort(num, nnum, sizeof(*num), cmp_rule_phrase);
    for (size_t i = 0; i < nnum; i++) {
        struct disc_cand *c = num[i];
        size_t l = strlen(c->phrase);
        for (size_t j = i + 1;
             j < nnum && num[j]->rule_id == c->rule_id && !strncmp(num[j]->phrase, c->phrase, l);
             j++)
            if ((double)num[j]->count >= DISC_CUT_SHARE * (double)c->count)
                drop[c - t->v] = 1; /* a cut of that extension */
        const struct disc_cand *parent = admissible_parent(t, c);
        if (parent && !c->quoted && (double)c->count < DISC_CONTEXT_SHARE * (double)parent->count)
            drop[c - t->v] = 1; /* the parent in one of its contexts */
        if (!c->quoted && c->chars <= DISC_DE_MAX_CHARS && c->de_after * 2 > c->count)
            drop[c - t->v] = 1;
    }
    free(num);

    struct strmap known;
    strmap_init(&known);
    if (f->lx)
        known_set(f->lx, &known);
    struct rule_scanner stop;
    rule_scanner_init(&stop, &f->rules->stop);
    size_t out = 0;
    for (size_t i = 0; i < t->n; i++) {
        struct disc_cand *c = &t->v[i];
        if (!drop[i] && c->docs >= f->min_docs &&
            !disc_rules_stopped(f->rules, &stop, c->phrase, strlen(c->phrase))) {
            c->known = strmap_get(&known, c->phrase, strlen(c->phrase)) != NULL;
            if (!c->known || f->keep_known) {
                t->v[out++] = *c;
                continue;
            }
        }
        cand_free(c);
    }
    t->n = out;
    rule_scanner_release(&stop);
    strmap_release(&known);
    free(drop);
    /* the index and last_doc refer to the old order: no more adds after finish */
    strmap_release(&t->idx);
    strmap_init(&t->idx);
    if (t->n)
        qsort(t->v, t->n, sizeof(*t->v), cmp_rank);
}

static int cmp_g2(const void *a, const void *b)
{
    const struct disc_cand *x = a, *y = b;
    if (x->g2 != y->g2)
        return x->g2 > y->g2 ? -1 : 1;
    return cmp_rank(a, b);
}

void disc_table_compare(struct disc_table *t, const uint64_t *ref_counts, uint64_t target_han,
                        uint64_t reference_han)
{
    size_t out = 0;
    for (size_t i = 0; i < t->n; i++) {
        struct disc_cand *c = &t->v[i];
        c->has_reference = 1;
        c->reference_count = ref_counts[i];
        c->is_new = ref_counts[i] == 0;
        /* oriented as diff orients it: + = more in the second, here the target */
        c->log_ratio = stats_log_ratio(c->reference_count, c->count, reference_han, target_han);
        c->g2 = stats_g2(c->reference_count, c->count, reference_han, target_han);
        if (c->log_ratio > 0)
            t->v[out++] = *c;
        else
            cand_free(c);
    }
    t->n = out;
    if (t->n)
        qsort(t->v, t->n, sizeof(*t->v), cmp_g2);
}
