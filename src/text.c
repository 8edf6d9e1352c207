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
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

static void starts_add(struct text_starts *st, uint64_t off)
{
    ALLOC_GROW(st->v, st->n + 1, st->alloc);
    st->v[st->n++] = off;
}

/* The class text_next gives the 3-byte character @cp, as far as the boundary rules care:
 * CC_SENT_END, CC_QUOTE_CLOSE, CC_SPACE, CC_NEWLINE, CC_OTHER for every other token, or -1
 * for a dropped one. A copy of the cases of normalize.c's tables that matter here, kept
 * because the exact path costs three calls per character of punctuation; test_text's
 * test_boundaries_every_bmp_char holds it to the tokenizer for every code point. */
static int boundary_class3(uint32_t cp)
{
    switch (cp) {
    case 0x3002:
    case 0x2026:
    case 0xFF01:
    case 0xFF1F:
    case 0xFF1B: return CC_SENT_END;
    case 0x201D:
    case 0x2019:
    case 0x300D:
    case 0x300F:
    case 0x300B: return CC_QUOTE_CLOSE;
    case 0x3000:
    case 0x1680:
    case 0x202F:
    case 0x205F: return CC_SPACE;
    case 0x2028:
    case 0x2029: return CC_NEWLINE;
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF: return -1;
    }
    return cp >= 0x2000 && cp <= 0x200A ? CC_SPACE : CC_OTHER;
}

/* A byte inside a run of U+4000..U+9FFF: a lead byte E4..E9 or a continuation byte. From a
 * character boundary, skipping such bytes stops at the next character that is not one of those
 * ideographs (its lead byte is not skipped, so neither are its continuation bytes). */
static int in_ideograph_run(unsigned char b)
{
    return (b & 0xC0) == 0x80 || (unsigned)b - 0xE4u < 6u;
}

/* Skips ideographs U+4000..U+9FFF from @i. Sixteen bytes at a time with SSE2 where the compiler
 * has it (every x86-64): on the bench corpus this walk was 40% of a counting scan one
 * character at a time (bench/NOTES.md). */
static size_t skip_ideographs(const unsigned char *s, size_t i, size_t len)
{
#if defined(__SSE2__)
    const __m128i flip = _mm_set1_epi8((char)0x80);
    while (i + 16 <= len) {
        /* b ^ 0x80 as signed bytes: continuation bytes 0..63, E4..E9 100..105 */
        __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(s + i)), flip);
        __m128i cont = _mm_andnot_si128(_mm_cmplt_epi8(x, _mm_setzero_si128()),
                                        _mm_cmplt_epi8(x, _mm_set1_epi8(64)));
        __m128i lead = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(99)),
                                     _mm_cmplt_epi8(x, _mm_set1_epi8(106)));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(cont, lead)) ^ 0xFFFFu;
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#endif
    while (i < len && in_ideograph_run(s[i]))
        i++;
    return i;
}

/* text_next's state machine with only the boundary flags kept. Its fast paths: a lead byte
 * E4..E9 (U+4000..U+9FFF) is a character that normalize_cp() leaves alone and normalize_class()
 * calls Han, so it is an ordinary token, and after the first of a run of them nothing is
 * pending and the rest of the run changes nothing; other 3-byte characters are classed by
 * boundary_class3(). Everything else goes through the same
 * normalize_cp() and normalize_class() as text_next. */
void text_boundaries(const char *utf8, size_t len, struct text_starts *para,
                     struct text_starts *sent)
{
    const unsigned char *s = (const unsigned char *)utf8;
    struct para_run run;
    int started = 0, sent_pending = 0, para_pending = 0, after_sent_end = 0;
    size_t i = 0;
    para_run_reset(&run);
    while (i < len) {
        enum char_class cls;
        uint32_t ncp = 0;
        size_t n;
        unsigned c = s[i];
        if (c - 0xE4u < 6u && i + 3 <= len) {
            n = 3;
            cls = CC_HAN;
        } else if (c - 0xE0u < 16u && i + 3 <= len && (s[i + 1] & 0xC0) == 0x80 &&
                   (s[i + 2] & 0xC0) == 0x80) {
            uint32_t cp = (c & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
            int k = boundary_class3(cp);
            n = 3;
            if (k < 0) {
                i += n;
                continue;
            }
            cls = (enum char_class)k;
            ncp = cp;
        } else {
            uint32_t cp;
            int bad;
            n = utf8_decode(s + i, len - i, &cp, &bad);
            if (bad)
                n = 1;
            ncp = normalize_cp(cp);
            if (ncp == NORM_DROP) {
                i += n;
                continue;
            }
            cls = normalize_class(ncp);
        }
        if (cls == CC_NEWLINE) {
            unsigned lines = run.lines;
            int brk = para_run_line_break(&run, ncp == '\r');
            if (run.lines != lines && brk && started)
                para_pending = 1;
            after_sent_end = 0;
            if (!sent_pending && para_pending)
                sent_pending = 1;
        } else if (cls == CC_SPACE) {
            para_run_space(&run);
            after_sent_end = 0;
        } else {
            para_run_reset(&run);
            if (!(after_sent_end && cls == CC_QUOTE_CLOSE)) {
                if (!started || para_pending) {
                    starts_add(para, i);
                    if (sent)
                        starts_add(sent, i);
                } else if (sent_pending && sent) {
                    starts_add(sent, i);
                }
                started = 1;
                para_pending = sent_pending = after_sent_end = 0;
            }
            if (cls == CC_SENT_END) {
                sent_pending = 1;
                after_sent_end = 1;
            } else if (!sent_pending) { /* (a closing quote after a sentence end leaves it) */
                i = skip_ideographs(s, i + n, len);
                continue;
            }
        }
        i += n;
    }
}

/* What the paragraph rule sees in the character at @s[i] (length in *@n): 0 a token that is
 * not white space, 1 white space, 2 a line break (*@cr: it is CR), 3 a dropped character. */
static int para_kind(const unsigned char *s, size_t len, size_t i, size_t *n, int *cr)
{
    uint32_t cp;
    int bad;
    *n = utf8_decode(s + i, len - i, &cp, &bad);
    if (bad)
        *n = 1;
    uint32_t ncp = normalize_cp(cp);
    *cr = ncp == '\r';
    if (ncp == NORM_DROP)
        return 3;
    enum char_class c = normalize_class(ncp);
    return c == CC_NEWLINE ? 2 : c == CC_SPACE;
}

/* 1 when @s[0..len) holds U+0085, U+2028 or U+2029 (C2 85, E2 80 A8, E2 80 A9): line breaks
 * that only the exact walk handles. One pass testing sixteen places at once with SSE2: three
 * memchr passes (for C2, then for E2 twice) stopped at every curly quote and ellipsis of
 * Chinese text (E2 80 9C ...) and were 3% of count --expansions on make bench's corpus. */
static int holds_unicode_line_break(const unsigned char *s, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i c2 = _mm_set1_epi8((char)0xC2), x85 = _mm_set1_epi8((char)0x85),
                  e2 = _mm_set1_epi8((char)0xE2), x80 = _mm_set1_epi8((char)0x80),
                  fe = _mm_set1_epi8((char)0xFE), a8 = _mm_set1_epi8((char)0xA8);
    for (; i + 18 <= len; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(s + i + 1));
        __m128i c = _mm_loadu_si128((const __m128i *)(s + i + 2));
        __m128i nel = _mm_and_si128(_mm_cmpeq_epi8(a, c2), _mm_cmpeq_epi8(b, x85));
        __m128i lsep = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(a, e2), _mm_cmpeq_epi8(b, x80)),
                                     _mm_cmpeq_epi8(_mm_and_si128(c, fe), a8));
        if (_mm_movemask_epi8(_mm_or_si128(nel, lsep)))
            return 1;
    }
#endif
    for (; i + 1 < len; i++) {
        if (s[i] == 0xC2 && s[i + 1] == 0x85)
            return 1;
        if (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80 && (s[i + 2] & 0xFE) == 0xA8)
            return 1;
    }
    return 0;
}

int text_paragraphs_fast(const char *utf8, size_t len, struct text_starts *para)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t i = 0, n;
    int cr, k;
    if (holds_unicode_line_break(s, len))
        return 0;
    /* the first token that is not white space starts the first paragraph */
    while (i < len && para_kind(s, len, i, &n, &cr) != 0)
        i += n;
    if (i >= len)
        return 1;
    starts_add(para, i);
    /* the next LF and CR at or after i (NULL: none left), looked for again once passed */
    const unsigned char *e = s + len, *lf = memchr(s + i, '\n', len - i),
                        *crp = memchr(s + i, '\r', len - i);
    for (;;) {
        if (lf && lf < s + i)
            lf = memchr(s + i, '\n', (size_t)(e - (s + i)));
        if (crp && crp < s + i)
            crp = memchr(s + i, '\r', (size_t)(e - (s + i)));
        const unsigned char *q = !lf ? crp : !crp ? lf : lf < crp ? lf : crp;
        if (!q)
            return 1;
        /* the run holding the line break at q: back over white space (no line break: the
         * first one after the last run is q), then forward through it */
        size_t r = (size_t)(q - s);
        while (r > i) {
            size_t b = r - 1;
            while (b > i && (s[b] & 0xC0) == 0x80)
                b--;
            if (para_kind(s, len, b, &n, &cr) == 0)
                break;
            r = b;
        }
        struct para_run run;
        int brk = 0;
        para_run_reset(&run);
        for (; r < len && (k = para_kind(s, len, r, &n, &cr)) != 0; r += n) {
            if (k == 2)
                brk |= para_run_line_break(&run, cr);
            else if (k == 1)
                para_run_space(&run);
        }
        if (r >= len)
            return 1;
        if (brk)
            starts_add(para, r);
        i = r;
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
