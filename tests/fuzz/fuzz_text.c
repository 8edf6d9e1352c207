/* fuzz_text: the tokenizer and the normalizer on arbitrary bytes. Tokens must come in order
 * inside the text, carry normalize_cp/normalize_class of what they cover, count lines as text.h
 * says (CR, LF, CRLF each one break) and never move sentences or paragraphs backwards;
 * normalize_pattern must agree with utf8_is_valid and never keep a dropped code point. */
#include <stdlib.h>

#include "fuzz.h"
#include "tifa/text.h"
#include "tifa/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct text_iter it;
    struct text_token t;
    uint64_t end = 0, line = 1, sent = 0, para = 0;
    int prev_cr = 0;
    text_iter_init(&it, (const char *)data, size);
    while (text_next(&it, &t)) {
        if (t.off < end || t.len < 1 || t.len > 4 || t.off + t.len > size || t.line != line ||
            t.cp != normalize_cp(t.raw_cp) || t.cls != normalize_class(t.cp) || t.sentence < sent ||
            t.paragraph < para || t.paragraph > t.sentence ||
            ((t.flags & TEXT_PARA_START) && !(t.flags & TEXT_SENT_START)))
            abort();
        /* a line break other than CR right after a CR is CR LF's second half (boundary.h) */
        line += t.cls == CC_NEWLINE && (t.cp == '\r' || !prev_cr);
        prev_cr = t.cp == '\r';
        end = t.off + t.len;
        sent = t.sentence;
        para = t.paragraph;
    }
    uint32_t cps[256];
    struct tifa_err e;
    tifa_err_init(&e);
    long n = normalize_pattern((const char *)data, size, cps, 256, &e);
    if ((n != -2 && (n == -1) == utf8_is_valid(data, size)) || n > (long)size)
        abort();
    for (long i = 0; i < n; i++)
        if (cps[i] == NORM_DROP || normalize_cp(cps[i]) != cps[i] ||
            (cps[i] == ' ' && (!i || i == n - 1)))
            abort();
    return 0;
}
