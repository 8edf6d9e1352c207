/* Unit tests for text: classes, normalization, offsets, lines, sentence and paragraph marks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/text.h"
#include "tifa/utf8.h"

static size_t tokens(const char *s, struct text_token *out, size_t max)
{
    struct text_iter it;
    size_t n = 0;
    text_iter_init(&it, s, strlen(s));
    while (n < max && text_next(&it, &out[n]))
        n++;
    return n;
}

static void test_classes_and_normalization(void **state)
{
    (void)state;
    struct text_token t[32];
    /* full-width A, U+3000, zero-width space (dropped), compatibility 不 (U+F967), 四, 、 */
    size_t n =
        tokens("\xEF\xBC\xA1\xE3\x80\x80\xE2\x80\x8B\xEF\xA5\xA7\xE5\x9B\x9B\xE3\x80\x81", t, 32);
    assert_int_equal(n, 5);
    assert_int_equal(t[0].cp, 'a');
    assert_int_equal(t[0].raw_cp, 0xFF21);
    assert_int_equal(t[0].cls, CC_LATIN);
    assert_int_equal(t[1].cp, ' ');
    assert_int_equal(t[1].cls, CC_SPACE);
    assert_int_equal(t[2].cp, 0x4E0D);
    assert_int_equal(t[2].off, 9); /* after the dropped U+200B */
    assert_int_equal(t[2].cls, CC_HAN);
    assert_int_equal(t[3].cls, CC_CNNUM);
    assert_int_equal(t[4].cls, CC_ENUM);
    n = tokens("，。“”《》7x", t, 32);
    assert_int_equal(t[0].cls, CC_COMMA);
    assert_int_equal(t[1].cls, CC_SENT_END);
    assert_int_equal(t[2].cls, CC_QUOTE_OPEN);
    assert_int_equal(t[3].cls, CC_QUOTE_CLOSE);
    assert_int_equal(t[4].cls, CC_QUOTE_OPEN);
    assert_int_equal(t[5].cls, CC_QUOTE_CLOSE);
    assert_int_equal(t[6].cls, CC_DIGIT);
    assert_int_equal(t[7].cls, CC_LATIN);
}

static void test_lines(void **state)
{
    (void)state;
    struct text_token t[32];
    size_t n = tokens("a\nb\r\nc\rd", t, 32);
    assert_int_equal(n, 8);
    assert_int_equal(t[0].line, 1);
    assert_int_equal(t[2].line, 2); /* b */
    assert_int_equal(t[5].line, 3); /* c */
    assert_int_equal(t[7].line, 4); /* d */
}

static void test_sentences_and_paragraphs(void **state)
{
    (void)state;
    struct text_token t[64];
    /* 甲。”乙！丙\n丁\n \n戊 */
    size_t n = tokens("甲。”乙！丙\n丁\n \n戊", t, 64);
    assert_int_equal(n, 12);
    assert_int_equal(t[0].flags, TEXT_SENT_START | TEXT_PARA_START);
    assert_int_equal(t[2].flags, 0); /* ” closes the first sentence */
    assert_int_equal(t[2].sentence, 0);
    assert_int_equal(t[3].flags, TEXT_SENT_START); /* 乙 */
    assert_int_equal(t[3].sentence, 1);
    assert_int_equal(t[5].flags, TEXT_SENT_START); /* 丙 */
    assert_int_equal(t[7].flags, 0);               /* 丁: a single line break is no boundary */
    assert_int_equal(t[7].sentence, 2);
    assert_int_equal(t[11].flags, TEXT_SENT_START | TEXT_PARA_START); /* 戊 after a blank line */
    assert_int_equal(t[11].paragraph, 1);
    assert_int_equal(t[11].sentence, 3);
    assert_int_equal(t[11].line, 4);
}

static void expect_normalized(const char *in, const char *want, size_t want_breaks)
{
    struct sbuf out;
    sbuf_init(&out);
    size_t breaks = text_normalize(in, strlen(in), &out);
    assert_string_equal(out.buf ? out.buf : "", want);
    assert_int_equal(breaks, want_breaks);
    sbuf_release(&out);
}

static void test_normalize(void **state)
{
    (void)state;
    /* white space and a single line break vanish between Han characters; full-width B folds */
    expect_normalized("四个\n意识 Belt  and\n\n\xEF\xBC\xA2", "四个意识belt and\nb", 1);
    /* a paragraph break in CR LF form, leading and trailing white space, a zero-width space */
    expect_normalized("\r\n  两个\xE2\x80\x8B维护\r\n\r\n\r\n四个自信\n\n", "两个维护\n四个自信",
                      1);
    /* space between a letter and a Han character is dropped, between digits kept as one */
    expect_normalized("G20 峰会 20\t 24年", "g20峰会20 24年", 0);
    expect_normalized("", "", 0);
    expect_normalized(" \n\n ", "", 0);
}

/* text_boundaries against the tokenizer it must agree with: the same paragraph and sentence
 * starts on texts built from the characters the rules care about (CR LF, the Unicode line
 * breaks, ideographic space, zero-width characters, sentence ends with closing quotes) and
 * ordinary ideographs, some of them in the range its fast path skips. */
static void expect_same_boundaries(const char *s, size_t len)
{
    struct text_starts para = {0}, sent = {0}, para_only = {0};
    struct text_iter it;
    struct text_token tok;
    size_t np = 0, ns = 0;
    text_boundaries(s, len, &para, &sent);
    text_boundaries(s, len, &para_only, NULL);
    struct text_starts fast = {0};
    /* the fast walk declines exactly the texts with a Unicode line break, wherever it is */
    int unicode_break = memmem(s, len, "\xC2\x85", 2) || memmem(s, len, "\xE2\x80\xA8", 3) ||
                        memmem(s, len, "\xE2\x80\xA9", 3);
    if (text_paragraphs_fast(s, len, &fast)) {
        assert_false(unicode_break);
        assert_int_equal(fast.n, para_only.n);
        for (size_t k = 0; k < fast.n; k++)
            assert_int_equal(fast.v[k], para_only.v[k]);
    } else {
        assert_true(unicode_break);
    }
    free(fast.v);
    text_iter_init(&it, s, len);
    while (text_next(&it, &tok)) {
        if (tok.flags & TEXT_PARA_START) {
            assert_true(np < para.n);
            assert_int_equal(para.v[np], tok.off);
            assert_int_equal(para_only.v[np], tok.off);
            np++;
        }
        if (tok.flags & TEXT_SENT_START) {
            assert_true(ns < sent.n);
            assert_int_equal(sent.v[ns++], tok.off);
        }
    }
    assert_int_equal(np, para.n);
    assert_int_equal(np, para_only.n);
    assert_int_equal(ns, sent.n);
    free(para.v);
    free(sent.v);
    free(para_only.v);
}

static void test_boundaries_agree_with_tokenizer(void **state)
{
    (void)state;
    static const char *const pieces[] = {"\n",
                                         "\r",
                                         "\r\n",
                                         " ",
                                         "\t",
                                         "\xE3\x80\x80" /* U+3000 */,
                                         "\xC2\x85",
                                         "\xE2\x80\xA8",
                                         "\xE2\x80\xA9",
                                         "\xE2\x80\x8B" /* ZWSP */,
                                         "\xC2\xAD",
                                         "\xE3\x80\x82" /* 。 */,
                                         "\xEF\xBC\x81" /* ！ */,
                                         "?",
                                         ";",
                                         "\xE2\x80\xA6",
                                         "\xE2\x80\x9D" /* ” */,
                                         "\xE2\x80\x9C" /* “ */,
                                         "\xE3\x80\x8B" /* 》 */,
                                         "a",
                                         "7",
                                         "\xE5\x9B\x9B" /* 四 */,
                                         "\xE4\xB8\xAA" /* 个 */,
                                         "\xEF\xBC\x8C" /* ， */,
                                         "\xE3\x90\x80" /* U+3400 */,
                                         "\xF0\xA0\x80\x80" /* U+20000 */,
                                         "\xEF\xA4\x80" /* U+F900 */};
    const size_t npieces = sizeof(pieces) / sizeof(pieces[0]);
    char buf[512];
    uint32_t seed = 12345;
    expect_same_boundaries("", 0);
    expect_same_boundaries("\n\n", 2);
    for (int round = 0; round < 4000; round++) {
        size_t len = 0;
        int n = (int)(seed % 40);
        for (int k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % npieces];
            memcpy(buf + len, p, strlen(p));
            len += strlen(p);
        }
        seed = seed * 1103515245u + 12345u;
        expect_same_boundaries(buf, len);
    }
}

/* Every code point of the BMP in the places where it could matter to the rules: after a
 * sentence end, inside white space between two line breaks, between two ideographs. */
static void test_boundaries_every_bmp_char(void **state)
{
    (void)state;
    char buf[64];
    for (uint32_t cp = 1; cp < 0x10000; cp++) {
        if (cp >= 0xD800 && cp < 0xE000)
            continue;
        char ch[4];
        size_t n = utf8_encode(cp, ch), len = 0;
        static const char *const around[] = {"\xE5\x9B\x9B", "\xE3\x80\x82", "\n", "\n",
                                             "\xE4\xB8\xAA", "\xE2\x80\x9D", "!"};
        for (size_t k = 0; k < sizeof(around) / sizeof(around[0]); k++) {
            memcpy(buf + len, around[k], strlen(around[k]));
            len += strlen(around[k]);
            memcpy(buf + len, ch, n);
            len += n;
        }
        expect_same_boundaries(buf, len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes_and_normalization),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_sentences_and_paragraphs),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_boundaries_agree_with_tokenizer),
        cmocka_unit_test(test_boundaries_every_bmp_char),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
