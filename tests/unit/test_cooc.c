/*
 * Unit tests for co-occurrence (cooc.h): the windows a match falls in (sentence ends with
 * closing quotes, paragraph breaks with CR LF, a single line break that ends nothing, matches
 * out of order and repeated), the consumer fed through the sink's calls (text in pieces, a
 * sentence end at a piece border, chunks merged: sentence windows appended, a document's sets
 * joined), and the table: pairs in the terms' byte order, window counts, and PMI and G² against
 * values computed by hand.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/cooc.h"
#include "tifa/xalloc.h"

/* The sets of @d written as "0,1|2|3" (label ids; ":n" after an id seen n > 1 times). */
static void sets_str(const struct cooc_doc *d, char *buf, size_t size)
{
    size_t at = 0, start = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < d->nsets; k++) {
        if (k)
            at += (size_t)snprintf(buf + at, size - at, "|");
        for (size_t i = start; i < d->set_end[k]; i++) {
            at += (size_t)snprintf(buf + at, size - at, "%s%u", i > start ? "," : "",
                                   d->items[i].label);
            if (d->items[i].n > 1)
                at += (size_t)snprintf(buf + at, size - at, ":%llu",
                                       (unsigned long long)d->items[i].n);
        }
        start = d->set_end[k];
    }
}

/* Windows of @text for matches at @off with labels @label (@n), checked against @want. */
static void check_windows(enum cooc_window w, const char *text, const uint64_t *off,
                          const uint32_t *label, size_t n, uint64_t nwindows, const char *want)
{
    struct cooc_doc d;
    char got[256];
    memset(&d, 0, sizeof(d));
    cooc_doc_windows(&d, w, text, strlen(text), off, label, n);
    sets_str(&d, got, sizeof(got));
    assert_int_equal(d.nwindows, nwindows);
    assert_string_equal(got, want);
    free(d.items);
    free(d.set_end);
}

static void test_windows(void **state)
{
    (void)state;
    /* 甲 0, 乙 3, 。 6, 丙 9, \n\n 12, 丁 14 */
    const char *t = "甲乙。丙\n\n丁";
    static const uint64_t off[] = {0, 3, 9, 14};
    static const uint32_t lab[] = {0, 1, 2, 3};
    check_windows(COOC_SENTENCE, t, off, lab, 4, 3, "0,1|2|3");
    check_windows(COOC_PARAGRAPH, t, off, lab, 4, 2, "0,1,2|3");
    /* a closing quote stays with the sentence it closes: “甲。” | 乙！ (乙 at 12) */
    static const uint64_t q_off[] = {3, 12};
    static const uint32_t q_lab[] = {0, 1};
    check_windows(COOC_SENTENCE, "“甲。”乙！", q_off, q_lab, 2, 2, "0|1");
    /* a single line break ends neither; CR LF CR LF is a blank line (丙 at 14) */
    static const uint64_t l_off[] = {0, 4, 14};
    static const uint32_t l_lab[] = {0, 1, 2};
    check_windows(COOC_SENTENCE, "甲\n乙\r\n\r\n丙", l_off, l_lab, 3, 2, "0,1|2");
    check_windows(COOC_PARAGRAPH, "甲\n乙\r\n\r\n丙", l_off, l_lab, 3, 2, "0,1|2");
    /* matches in any order (overlapping ones come by end), a term twice in a window: one item
     * with its occurrences */
    static const uint64_t r_off[] = {6, 0, 3, 12};
    static const uint32_t r_lab[] = {1, 0, 0, 5};
    check_windows(COOC_SENTENCE, "甲甲乙。丁", r_off, r_lab, 4, 2, "0:2,1|5");
    /* windows without terms count: N = 3 here, one set */
    static const uint64_t e_off[] = {12};
    static const uint32_t e_lab[] = {7};
    check_windows(COOC_SENTENCE, "无。无。甲。", e_off, e_lab, 0, 3, "");
    check_windows(COOC_SENTENCE, "无。无。甲。", e_off, e_lab, 1, 3, "7");
    /* no text, or white space alone: no window */
    check_windows(COOC_SENTENCE, "", NULL, NULL, 0, 0, "");
    check_windows(COOC_PARAGRAPH, "  \n\n \n", NULL, NULL, 0, 0, "");
}

/* Feeds @s one match of @label at @off. */
static void feed(const struct sink *s, void *ts, uint32_t label, uint64_t off)
{
    struct sink_match m;
    memset(&m, 0, sizeof(m));
    m.label_id = label;
    m.off = off;
    s->match(ts, &m);
}

static void test_sink_chunks(void **state)
{
    (void)state;
    struct cooc_opts o = {COOC_SENTENCE, NULL, NULL};
    struct sink s;
    struct sink_doc sd = {0, "x", 0, 1};
    struct sink_shift shift = {0, 0, 0};
    char got[256];
    cooc_sink(&s, &o);
    assert_true(s.flags & SINK_POSITIONS);
    assert_non_null(s.text);
    void *ts = s.thread_init(s.arg);
    /* chunk 0 in two pieces, the sentence end 。 and its closing quote on either side of the
     * border: 甲 0 | 。 3 | ” 6 | 乙 9 */
    s.begin(ts, &sd);
    s.text(ts, "甲。", strlen("甲。"));
    s.text(ts, "”乙", strlen("”乙"));
    feed(&s, ts, 0, 0);
    feed(&s, ts, 1, 9);
    struct cooc_doc *a = s.end(ts, &sd);
    sets_str(a, got, sizeof(got));
    assert_int_equal(a->nwindows, 2);
    assert_string_equal(got, "0|1");
    /* chunk 1 (after a paragraph break): 乙 丙 in one sentence, then an empty one */
    sd.chunk = 1;
    s.begin(ts, &sd);
    s.text(ts, "丙乙。无。", strlen("丙乙。无。"));
    feed(&s, ts, 2, 0);
    feed(&s, ts, 1, 3);
    struct cooc_doc *b = s.end(ts, &sd);
    s.merge(ts, a, b, &shift);
    sets_str(a, got, sizeof(got));
    assert_int_equal(a->nwindows, 4);
    assert_string_equal(got, "0|1|1,2");
    s.discard(a);
    s.thread_release(ts);

    /* document windows: no positions, no text; the chunks' sets are joined */
    o.window = COOC_DOCUMENT;
    cooc_sink(&s, &o);
    assert_false(s.flags & SINK_POSITIONS);
    assert_null(s.text);
    ts = s.thread_init(s.arg);
    sd.chunk = 0;
    s.begin(ts, &sd);
    feed(&s, ts, 2, 0);
    feed(&s, ts, 0, 0);
    feed(&s, ts, 2, 0);
    a = s.end(ts, &sd);
    s.begin(ts, &sd);
    b = s.end(ts, &sd); /* a chunk without terms */
    s.merge(ts, a, b, &shift);
    s.begin(ts, &sd);
    feed(&s, ts, 1, 0);
    feed(&s, ts, 2, 0);
    b = s.end(ts, &sd);
    s.merge(ts, a, b, &shift);
    sets_str(a, got, sizeof(got));
    assert_int_equal(a->nwindows, 1);
    assert_string_equal(got, "0,1,2:3");
    s.discard(a);
    s.thread_release(ts);
}

static void near(double got, double want)
{
    if (fabs(got - want) > 1e-9) {
        fprintf(stderr, "got %.17g, want %.17g\n", got, want);
        fail();
    }
}

static void test_table(void **state)
{
    (void)state;
    struct lexicon lx;
    struct tifa_err e;
    tifa_err_init(&e);
    lexicon_init(&lx);
    /* byte order: 两个维护 < 人民当家作主 < 全面依法治国 < 四个意识 */
    static const char lex[] = "四个意识\n两个维护\n全面依法治国\n人民当家作主\n";
    assert_int_equal(lexicon_load_buf(&lx, lex, strlen(lex), "t", LEX_LIST, &e), 0);
    assert_int_equal(lexicon_finish(&lx, &e), 0);
    uint32_t A, B, C, D;
    assert_int_equal(lexicon_find(&lx, "四个意识", &A, &e), 1);
    assert_int_equal(lexicon_find(&lx, "两个维护", &B, &e), 1);
    assert_int_equal(lexicon_find(&lx, "全面依法治国", &C, &e), 1);
    assert_int_equal(lexicon_find(&lx, "人民当家作主", &D, &e), 1);
    /* the sentences of tests/cli/5001: {A,B} {C} {A,B,B} {C,D} {} | {A} {B,C,D} {B} {A} | {} */
    struct cooc_table t;
    cooc_table_init(&t, &lx);
    const char *text1 = "甲乙。丙。甲乙乙。丙丁。无。";
    const uint64_t off1[] = {0, 3, 9, 15, 18, 21, 27, 30};
    const uint32_t lab1[] = {A, B, C, A, B, B, C, D};
    const char *text2 = "甲。乙丙丁。乙。甲。";
    const uint64_t off2[] = {0, 6, 9, 12, 18, 24};
    const uint32_t lab2[] = {A, B, C, D, B, A};
    struct cooc_doc d;
    memset(&d, 0, sizeof(d));
    cooc_doc_windows(&d, COOC_SENTENCE, text1, strlen(text1), off1, lab1, 8);
    assert_int_equal(d.nwindows, 5);
    cooc_table_add(&t, &d);
    cooc_doc_windows(&d, COOC_SENTENCE, text2, strlen(text2), off2, lab2, 6);
    assert_int_equal(d.nwindows, 4);
    cooc_table_add(&t, &d);
    cooc_doc_windows(&d, COOC_SENTENCE, "无。", strlen("无。"), NULL, NULL, 0);
    cooc_table_add(&t, &d);
    free(d.items);
    free(d.set_end);
    assert_int_equal(t.nwindows, 10);
    assert_int_equal(t.documents, 3);
    assert_int_equal(t.windows[A], 4);
    assert_int_equal(t.windows[B], 4);
    assert_int_equal(t.windows[C], 3);
    assert_int_equal(t.windows[D], 2);
    assert_int_equal(t.occ[B], 5);
    assert_int_equal(t.npairs, 4);

    struct cooc_row *rows;
    size_t n = cooc_rows(&t, 2, &rows);
    assert_int_equal(n, 2);
    /* C-D first (G² 6.19), as (人民当家作主, 全面依法治国) */
    assert_int_equal(rows[0].a, D);
    assert_int_equal(rows[0].b, C);
    assert_int_equal(rows[0].joint, 2);
    near(rows[0].pmi, 1.7369655941662063);
    near(rows[0].g2, 6.188963460994882);
    assert_int_equal(rows[1].a, B);
    assert_int_equal(rows[1].b, A);
    near(rows[1].pmi, 0.32192809488736235);
    near(rows[1].g2, 0.2768858761678131);
    free(rows);
    n = cooc_rows(&t, 0, &rows);
    assert_int_equal(n, 4);
    near(rows[3].pmi, -0.2630344058337938);
    near(rows[3].g2, 0.08043486460964827);
    free(rows);
    assert_int_equal(cooc_rows(&t, 3, &rows), 0);
    assert_null(rows);
    cooc_table_release(&t);
    lexicon_release(&lx);

    /* G² does not depend on which term is a; a term in every window gives 0 */
    near(cooc_g2(2, 3, 2, 10), cooc_g2(2, 2, 3, 10));
    near(cooc_g2(3, 5, 3, 5), 0);
    near(cooc_pmi(3, 5, 3, 5), 0);
    assert_true(isinf(cooc_pmi(0, 2, 2, 10)) && cooc_pmi(0, 2, 2, 10) < 0);

    enum cooc_window w;
    assert_int_equal(cooc_window_parse("paragraph", &w), 0);
    assert_int_equal(w, COOC_PARAGRAPH);
    assert_int_equal(cooc_window_parse("line", &w), -1);
    assert_string_equal(cooc_window_name(COOC_DOCUMENT), "document");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows),
        cmocka_unit_test(test_sink_chunks),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
