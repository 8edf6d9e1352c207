/*
 * text: tokenizing decoded text into classified code points with boundaries.
 *
 * How it works: one pass, one code point at a time (utf8_decode), normalized with normalize_cp
 * and classified with normalize_class. Lines and paragraphs: boundary.h's rule (a line break
 * counts unless it is the LF of CR LF; a run of white space with two line breaks is a paragraph
 * break, the place where the scanner ends matches). Boundaries are "pending" flags set by what was
 * seen and consumed by the next token that is not white space: a sentence end sets sent_pending
 * once the closing quotes after it are passed; two line breaks in one white-space run set
 * para_pending. Counters of sentences and paragraphs advance when a pending flag is consumed, so
 * every token knows its sentence and paragraph index. O(1) per code point, no allocation.
 */
#include "tifa/text.h"

#include <string.h>

#include "tifa/boundary.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

void text_iter_init(struct text_iter *it, const char *utf8, size_t len)
{
    memset(it, 0, sizeof(*it));
    it->s = (const unsigned char *)utf8;
    it->len = len;
    it->line = 1;
}

int text_next(struct text_iter *it, struct text_token *tok)
{
    for (;;) {
        if (it->pos >= it->len)
            return 0;
        uint32_t cp;
        int bad;
        size_t n = utf8_decode(it->s + it->pos, it->len - it->pos, &cp, &bad);
        if (bad)
            n = 1;
        uint32_t ncp = normalize_cp(cp);
        size_t off = it->pos;
        it->pos += n;
        if (ncp == NORM_DROP)
            continue;
        tok->cp = ncp;
        tok->raw_cp = cp;
        tok->off = off;
        tok->len = (uint32_t)n;
        tok->cls = normalize_class(ncp);
        tok->flags = 0;
        tok->line = it->line;
        if (tok->cls == CC_NEWLINE) {
            unsigned lines = it->run.lines;
            int para = para_run_line_break(&it->run, ncp == '\r');
            if (it->run.lines != lines) {
                it->line++;
                if (para && it->started)
                    it->para_pending = 1;
            }
            it->after_sent_end = 0;
            if (it->sent_pending == 0 && it->para_pending)
                it->sent_pending = 1;
        } else if (tok->cls == CC_SPACE) {
            para_run_space(&it->run);
            it->after_sent_end = 0;
        } else {
            para_run_reset(&it->run);
            if (it->after_sent_end && tok->cls == CC_QUOTE_CLOSE) {
                /* a closing quote right after 。 still belongs to the ending sentence */
            } else {
                if (!it->started) {
                    tok->flags = TEXT_SENT_START | TEXT_PARA_START;
                    it->started = 1;
                } else if (it->para_pending) {
                    tok->flags = TEXT_SENT_START | TEXT_PARA_START;
                    it->paragraph++;
                    it->sentence++;
                } else if (it->sent_pending) {
                    tok->flags = TEXT_SENT_START;
                    it->sentence++;
                }
                it->para_pending = 0;
                it->sent_pending = 0;
                it->after_sent_end = 0;
            }
            if (tok->cls == CC_SENT_END) {
                it->sent_pending = 1;
                it->after_sent_end = 1;
            }
        }
        tok->sentence = it->sentence;
        tok->paragraph = it->paragraph;
        return 1;
    }
}

/* The class of the character at @s[i] for the paragraph rule; sets *@n to its length. */
static enum char_class para_class(const unsigned char *s, size_t len, size_t i, size_t *n,
                                  int *is_cr, int *dropped)
{
    uint32_t cp;
    int bad;
    *n = utf8_decode(s + i, len - i, &cp, &bad);
    if (bad)
        *n = 1;
    uint32_t ncp = bad ? cp : normalize_cp(cp);
    *dropped = !bad && ncp == NORM_DROP;
    *is_cr = ncp == '\r';
    return *dropped ? CC_SPACE : normalize_class(ncp);
}

/* 1 when @s[a..b) may hold two line breaks (LF, CR, U+0085, U+2028, U+2029; CR LF counts two
 * here): without them it holds no paragraph break, and the character walk can be skipped. This
 * test is what makes contexts cheap (most windows of a few dozen characters have no break), so
 * it is done with memchr: LF and CR counted, the rare Unicode breaks looked for by lead byte. */
static int may_hold_para_break(const unsigned char *s, size_t a, size_t b)
{
    const unsigned char *p = s + a, *e = s + b, *q;
    unsigned n = 0;
    for (q = p; q < e && (q = memchr(q, '\n', (size_t)(e - q))) != NULL && ++n < 2; q++)
        ;
    for (q = p; n < 2 && q < e && (q = memchr(q, '\r', (size_t)(e - q))) != NULL && ++n < 2; q++)
        ;
    if (n >= 2)
        return 1;
    for (q = p; q < e && (q = memchr(q, 0xC2, (size_t)(e - q))) != NULL; q++)
        if (q + 1 < e && q[1] == 0x85)
            return 1;
    for (q = p; q < e && (q = memchr(q, 0xE2, (size_t)(e - q))) != NULL; q++)
        if (q + 2 < e && q[1] == 0x80 && (q[2] == 0xA8 || q[2] == 0xA9))
            return 1;
    return 0;
}

void text_paragraph_around(const char *text, size_t len, size_t from, size_t start, size_t end,
                           size_t to, size_t *b0, size_t *a1)
{
    const unsigned char *s = (const unsigned char *)text;
    struct para_run run;
    size_t n, i;
    int is_cr, dropped, broke = 0;

    while (from < start && (s[from] & 0xC0) == 0x80)
        from++;
    *b0 = from;
    para_run_reset(&run);
    for (i = may_hold_para_break(s, from, start) ? from : start; i < start; i += n) {
        enum char_class c = para_class(s, len, i, &n, &is_cr, &dropped);
        if (c == CC_NEWLINE) {
            broke |= para_run_line_break(&run, is_cr);
        } else if (c == CC_SPACE) {
            if (!dropped)
                para_run_space(&run);
        } else {
            if (broke)
                *b0 = i;
            broke = 0;
            para_run_reset(&run);
        }
    }
    if (broke)
        *b0 = start;

    while (to > end && to < len && (s[to] & 0xC0) == 0x80)
        to--;
    *a1 = to;
    size_t run_start = end;
    int in_run = 0;
    para_run_reset(&run);
    for (i = may_hold_para_break(s, end, to) ? end : to; i < to; i += n) {
        enum char_class c = para_class(s, len, i, &n, &is_cr, &dropped);
        if (c != CC_NEWLINE && c != CC_SPACE) {
            in_run = 0;
            para_run_reset(&run);
            continue;
        }
        if (!in_run) {
            in_run = 1;
            run_start = i;
        }
        if (c == CC_NEWLINE && para_run_line_break(&run, is_cr)) {
            *a1 = run_start;
            return;
        }
        if (c == CC_SPACE && !dropped)
            para_run_space(&run);
    }
}

static int is_alnum_class(enum char_class c)
{
    return c == CC_LATIN || c == CC_DIGIT;
}

size_t text_normalize(const char *utf8, size_t len, struct sbuf *out)
{
    return text_normalize_map(utf8, len, out, NULL);
}

/* Records that output bytes [from, out->len) came from the character at raw offset @raw. */
static void map_to(struct text_map *map, size_t from, size_t to, uint64_t raw)
{
    if (!map)
        return;
    ALLOC_GROW(map->off, to + 1, map->alloc);
    for (size_t i = from; i < to; i++)
        map->off[i] = raw;
}

size_t text_normalize_map(const char *utf8, size_t len, struct sbuf *out, struct text_map *map)
{
    struct text_iter it;
    struct text_token tok;
    size_t breaks = 0;
    int prev_alnum = 0, ws = 0;
    text_iter_init(&it, utf8, len);
    while (text_next(&it, &tok)) {
        if (tok.cls == CC_SPACE || tok.cls == CC_NEWLINE) {
            ws = 1;
            continue;
        }
        int alnum = is_alnum_class(tok.cls);
        size_t at = out->len;
        if ((tok.flags & TEXT_PARA_START) && it.paragraph > 0) {
            sbuf_addch(out, '\n');
            breaks++;
        } else if (ws && prev_alnum && alnum) {
            sbuf_addch(out, ' ');
        }
        char enc[4];
        sbuf_add(out, enc, utf8_encode(tok.cp, enc));
        map_to(map, at, out->len, tok.off);
        prev_alnum = alnum;
        ws = 0;
    }
    if (map) {
        map_to(map, out->len, out->len, len);
        map->off[out->len] = len;
    }
    return breaks;
}
