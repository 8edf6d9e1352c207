/*
 * text: tokenizing decoded text into classified code points with boundaries.
 *
 * How it works: one pass, one code point at a time (utf8_decode), normalized with normalize_cp
 * and classified with normalize_class. Lines: a CR counts a line break, an LF counts one unless
 * it follows a CR. Boundaries are "pending" flags set by what was seen and consumed by the next
 * token that is not white space: a sentence end sets sent_pending once the closing quotes after
 * it are passed; two line breaks in one white-space run set para_pending. Counters of sentences
 * and paragraphs advance when a pending flag is consumed, so every token knows its sentence and
 * paragraph index. O(1) per code point, no allocation.
 */
#include "tifa/text.h"

#include <string.h>

#include "tifa/utf8.h"

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
            int counts = !(ncp == '\n' && it->prev_cr);
            it->prev_cr = ncp == '\r';
            if (counts) {
                it->line++;
                it->nl_run++;
                if (it->nl_run >= 2 && it->started)
                    it->para_pending = 1;
            }
            it->after_sent_end = 0;
            if (it->sent_pending == 0 && it->para_pending)
                it->sent_pending = 1;
        } else if (tok->cls == CC_SPACE) {
            it->prev_cr = 0;
            it->after_sent_end = 0;
        } else {
            it->prev_cr = 0;
            it->nl_run = 0;
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
