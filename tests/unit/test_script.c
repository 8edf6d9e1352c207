/*
 * Unit tests for script: the OpenCC fold (t2s) and its map from folded bytes back to the
 * original text, and the traditional share used by --script auto. Expected strings were
 * checked with Debian's `opencc -c t2s`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/script.h"

static struct script_fold *open_t2s(void)
{
    struct script_fold *f = NULL;
    struct tifa_err err;
    tifa_err_init(&err);
    assert_int_equal(script_fold_open(&f, NULL, &err), 0);
    assert_non_null(f);
    return f;
}

/* Every folded code point maps to the start of the original code point it came from, so an
 * offset found in the folded text can be reported in the traditional original. */
static void test_fold_map(void **state)
{
    (void)state;
    struct script_fold *f = open_t2s();
    struct tifa_err err;
    tifa_err_init(&err);
    const char *in = "ab兩個維護，頭髮x";
    struct script_text t;
    assert_int_equal(script_fold_text(f, in, strlen(in), &t, &err), 0);
    assert_string_equal(t.text, "ab两个维护，头发x");
    assert_int_equal(t.len, strlen(in));
    assert_int_equal(t.folded, 6); /* 兩 個 維 護 頭 髮 */
    const char *hit = strstr(t.text, "维护");
    size_t off = (size_t)(hit - t.text);
    assert_int_equal(t.map[off], (size_t)(strstr(in, "維護") - in));
    assert_int_equal(t.map[off + 1], t.map[off]); /* inner bytes map to the same start */
    const char *hair = strstr(t.text, "头发");
    assert_int_equal(t.map[hair - t.text], (size_t)(strstr(in, "頭髮") - in));
    assert_int_equal(t.map[t.len], strlen(in));
    assert_int_equal(t.map[0], 0);
    assert_int_equal(t.map[1], 1);
    script_text_free(&t);
    script_fold_close(f);
}

static void test_fold_simplified_unchanged(void **state)
{
    (void)state;
    struct script_fold *f = open_t2s();
    struct tifa_err err;
    tifa_err_init(&err);
    const char *in = "坚持两个维护，增强四个意识。";
    struct script_text t;
    assert_int_equal(script_fold_text(f, in, strlen(in), &t, &err), 0);
    assert_string_equal(t.text, in);
    assert_int_equal(t.folded, 0);
    for (size_t i = 0; i <= t.len; i++)
        assert_true(t.map[i] <= i);
    script_text_free(&t);
    script_fold_close(f);
}

static void test_trad_share(void **state)
{
    (void)state;
    struct script_fold *f = open_t2s();
    const char *simp = "坚持两个维护，增强四个意识。";
    const char *trad = "堅持兩個維護，增強四個意識。";
    assert_true(script_trad_share(f, simp, strlen(simp), 4096) == 0.0);
    double s = script_trad_share(f, trad, strlen(trad), 4096);
    assert_true(s > 0.5 && s <= 1.0);
    /* a sample cut inside a code point is moved back to its start, not converted half */
    double cut = script_trad_share(f, trad, strlen(trad), 4);
    assert_true(cut == 1.0); /* only 堅 is sampled */
    assert_true(script_trad_share(f, "", 0, 4096) == 0.0);
    script_fold_close(f);
}

/* The share comes from the per-character cache: the same answer cold and warm, characters
 * repeated in one sample counted each time, and a second sample with new characters learns
 * them (兩 known from the first, 髮 new). */
static void test_trad_share_cache(void **state)
{
    (void)state;
    struct script_fold *f = open_t2s();
    const char *a = "兩兩两两"; /* two traditional of four */
    assert_true(script_trad_share(f, a, strlen(a), 4096) == 0.5);
    assert_true(script_trad_share(f, a, strlen(a), 4096) == 0.5);
    const char *b = "兩髮发x"; /* x is not Han */
    double s = script_trad_share(f, b, strlen(b), 4096);
    assert_true(s > 0.66 && s < 0.67);
    /* characters outside the cached range (a supplementary ideograph) are left out */
    const char *c = "𡻕";
    assert_true(script_trad_share(f, c, strlen(c), 4096) == 0.0);
    script_fold_close(f);
}

static void test_mode_names(void **state)
{
    (void)state;
    assert_int_equal(script_mode_parse("auto"), SCRIPT_AUTO);
    assert_int_equal(script_mode_parse("simplified"), SCRIPT_SIMPLIFIED);
    assert_int_equal(script_mode_parse("traditional"), SCRIPT_TRADITIONAL);
    assert_int_equal(script_mode_parse("keep"), SCRIPT_KEEP);
    assert_int_equal(script_mode_parse("Traditional"), -1);
    assert_int_equal(script_mode_parse(""), -1);
    assert_string_equal(script_mode_name(SCRIPT_KEEP), "keep");
    /* OpenCC's names without .json, as --opencc-config takes them */
    struct script_fold *f = NULL;
    struct tifa_err err;
    tifa_err_init(&err);
    assert_int_equal(script_fold_open(&f, "tw2s", &err), 0);
    script_fold_close(f);
    assert_int_equal(script_fold_open(&f, "hk2s.json", &err), 0);
    script_fold_close(f);
}

static void test_bad_config(void **state)
{
    (void)state;
    struct script_fold *f = NULL;
    struct tifa_err err;
    tifa_err_init(&err);
    assert_int_not_equal(script_fold_open(&f, "/nonexistent/no.json", &err), 0);
    assert_null(f);
    assert_int_equal(err.code, TIFA_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_map),
        cmocka_unit_test(test_fold_simplified_unchanged),
        cmocka_unit_test(test_trad_share),
        cmocka_unit_test(test_trad_share_cache),
        cmocka_unit_test(test_mode_names),
        cmocka_unit_test(test_bad_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
