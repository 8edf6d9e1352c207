/* Unit tests for text: classes, normalization, offsets, lines, sentence and paragraph marks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/text.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes_and_normalization),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_sentences_and_paragraphs),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
