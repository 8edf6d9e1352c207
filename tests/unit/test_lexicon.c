/* Unit tests for lexicon: the three formats, validation messages, senses, redefinition,
 * writing back, and the built-in lexicon's own invariants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/lexicon.h"
#include "tifa/normalize.h"

static int load(struct lexicon *lx, const char *text, enum lex_format f, struct tifa_err *e)
{
    tifa_err_init(e);
    int rc = lexicon_load_buf(lx, text, strlen(text), "t.tsv", f, e);
    if (!rc)
        rc = lexicon_finish(lx, e);
    return rc;
}

static void expect_error(const char *text, enum lex_format f, long line, const char *msg)
{
    struct lexicon lx;
    struct tifa_err e;
    lexicon_init(&lx);
    assert_int_equal(load(&lx, text, f, &e), TIFA_EDATA);
    assert_int_equal(e.line, line);
    assert_string_equal(e.msg, msg);
    lexicon_release(&lx);
}

static void test_formats(void **state)
{
    (void)state;
    struct lexicon lx;
    struct tifa_err e;
    lexicon_init(&lx);
    assert_int_equal(load(&lx, "# my terms\n两个维护\n\n四个 意识\r\n", LEX_AUTO, &e), 0);
    assert_int_equal(lx.nlabels, 2);
    assert_string_equal(lx.labels[1].term, "四个 意识");
    lexicon_release(&lx);

    lexicon_init(&lx);
    assert_int_equal(load(&lx,
                          "term\tcategory\taliases\texpansion\n"
                          "一个中心、两个基本点\thistory\t一个中心两个基本点\t以经济建设为中心|"
                          "坚持四项基本原则|坚持改革开放\n",
                          LEX_AUTO, &e),
                     0);
    assert_int_equal(lx.nentries, 1);
    assert_int_equal(lx.entries[0].naliases, 1);
    assert_int_equal(lx.entries[0].nexpansion, 3);
    assert_int_equal(lx.npatterns, 2);
    assert_int_equal(lx.patterns[1].label_id, 0);
    lexicon_release(&lx);

    lexicon_init(&lx);
    assert_int_equal(
        load(&lx,
             "[{\"term\": \"四个自信\", \"aliases\": [\"四自信\"], \"since\": 2016,"
             " \"expansion\": [\"道路自信\", \"理论自信\", \"制度自信\", \"文化自信\"]}]",
             LEX_AUTO, &e),
        0);
    assert_int_equal(lx.entries[0].since, 2016);
    assert_int_equal(lx.entries[0].nexpansion, 4);
    lexicon_release(&lx);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("term\tcolour\nx\ty\n", LEX_TSV, 1, "unknown column 'colour'");
    expect_error("term\tgloss\n四个意识\ta\tb\n", LEX_TSV, 2,
                 "wrong column count: expected 2, found 3");
    expect_error("term\n四个意识\n\n四个意识\n", LEX_TSV, 4,
                 "duplicate term '四个意识' (first at t.tsv:2)");
    expect_error("term\tgloss\n\tx\n", LEX_TSV, 2, "empty term");
    expect_error("a\n\xff\xfe\n", LEX_LIST, 2, "term: invalid UTF-8 at byte 0");
    expect_error("term\taliases\n四个意识\t\n两个维护\t四个意识\n", LEX_TSV, 3,
                 "alias '四个意识' is already a term or alias of '四个意识' (t.tsv:2)");
    expect_error("term\tsince\n四个意识\t20x6\n", LEX_TSV, 2, "invalid since year '20x6'");
    expect_error("term\taliases\n四个意识\ta||b\n", LEX_TSV, 2, "empty alias component");
    expect_error("[{\"term\": 5}]", LEX_JSON, 0, "entry 1: 'term' must be a string");
    expect_error("[{\"term\": \"x\",}]", LEX_JSON, 1, "string or '}' expected near '}'");
}

static void test_senses_and_redefinition(void **state)
{
    (void)state;
    struct lexicon lx;
    struct tifa_err e;
    lexicon_init(&lx);
    /* two senses of one label, with distinct ids: one label, counted together */
    assert_int_equal(load(&lx,
                          "id\tterm\taliases\n"
                          "a-2014\t四个全面\t\n"
                          "a-2020\t四个全面\t\n",
                          LEX_TSV, &e),
                     0);
    assert_int_equal(lx.nentries, 2);
    assert_int_equal(lx.nlabels, 1);
    assert_int_equal(lx.npatterns, 1);
    lexicon_release(&lx);
    expect_error("id\tterm\nx\t四个全面\nx\t四个全面\n", LEX_TSV, 3,
                 "duplicate term '四个全面' (first at t.tsv:2)");

    /* a later file redefines an earlier one's term */
    lexicon_init(&lx);
    tifa_err_init(&e);
    assert_int_equal(
        lexicon_load_buf(&lx, "term\tcategory\n两个维护\tparty\n", 29, "a", LEX_TSV, &e), 0);
    const char *b = "term\tcategory\n两个维护\tmine\n";
    assert_int_equal(lexicon_load_buf(&lx, b, strlen(b), "b", LEX_TSV, &e), 0);
    assert_int_equal(lexicon_finish(&lx, &e), 0);
    assert_int_equal(lx.nlabels, 1);
    assert_string_equal(lx.labels[0].category, "mine");
    lexicon_release(&lx);
}

static void test_roundtrip(void **state)
{
    (void)state;
    struct lexicon lx, back;
    struct tifa_err e;
    struct sbuf out = SBUF_INIT;
    lexicon_init(&lx);
    tifa_err_init(&e);
    assert_int_equal(lexicon_add_builtin(&lx, &e), 0);
    assert_int_equal(lexicon_finish(&lx, &e), 0);
    for (int fmt = 0; fmt < 2; fmt++) {
        sbuf_reset(&out);
        if (fmt)
            lexicon_write_json(&lx, &out);
        else
            lexicon_write_tsv(&lx, &out);
        lexicon_init(&back);
        assert_int_equal(lexicon_load_buf(&back, out.buf, out.len, "x", LEX_AUTO, &e), 0);
        assert_int_equal(lexicon_finish(&back, &e), 0);
        assert_int_equal(back.nentries, lx.nentries);
        assert_int_equal(back.nlabels, lx.nlabels);
        assert_int_equal(back.npatterns, lx.npatterns);
        for (size_t i = 0; i < lx.nentries; i++) {
            assert_string_equal(back.entries[i].term, lx.entries[i].term);
            assert_string_equal(back.entries[i].gloss, lx.entries[i].gloss);
            assert_int_equal(back.entries[i].since, lx.entries[i].since);
            assert_int_equal(back.entries[i].naliases, lx.entries[i].naliases);
        }
        lexicon_release(&back);
    }
    sbuf_release(&out);
    lexicon_release(&lx);
}

/* The built-in lexicon's own rules (issue: every entry parses, has a category from the
 * taxonomy and a gloss; no duplicates except shared labels; aliases and expansion components
 * normalize to non-empty strings — the loader checks the last two). */
static void test_builtin_invariants(void **state)
{
    (void)state;
    struct lexicon lx;
    struct tifa_err e;
    lexicon_init(&lx);
    tifa_err_init(&e);
    assert_int_equal(lexicon_add_builtin(&lx, &e), 0);
    assert_int_equal(lexicon_finish(&lx, &e), 0);
    assert_true(lx.ncategories > 0);
    for (size_t i = 0; i < lx.nentries; i++) {
        const struct lex_entry *en = &lx.entries[i];
        if (!lexicon_category_known(&lx, en->category) || !*en->gloss || !*en->id)
            print_message("entry %s (line %ld): category '%s', gloss '%s'\n", en->term, en->line,
                          en->category, en->gloss);
        assert_true(lexicon_category_known(&lx, en->category));
        assert_true(*en->gloss);
        assert_true(*en->id);
    }
    lexicon_release(&lx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_senses_and_redefinition),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_builtin_invariants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
