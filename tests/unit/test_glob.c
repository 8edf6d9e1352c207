/*
 * test_glob: unit tests for glob (brace expansion, the segment matcher, "**", the verdict of
 * several patterns, hits, and the errors of unbalanced braces and too many expansions).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tifa/glob.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Whether the one pattern @p passes @path. */
static int one(const char *p, const char *path)
{
    struct glob_set gs;
    struct tifa_err e;
    tifa_err_init(&e);
    assert_int_equal(glob_set_init(&gs, &p, 1, &e), 0);
    int ok = glob_set_match(&gs, path, NULL);
    glob_set_release(&gs);
    return ok;
}

static void test_braces(void **state)
{
    (void)state;
    assert_true(one("*.{txt,md}", "a.txt"));
    assert_true(one("*.{txt,md}", "sub/a.md"));
    assert_false(one("*.{txt,md}", "a.html"));
    /* nested, and several groups */
    assert_true(one("{a,b{1,2}}.txt", "b2.txt"));
    assert_true(one("{a,b{1,2}}.txt", "a.txt"));
    assert_false(one("{a,b{1,2}}.txt", "b.txt"));
    assert_true(one("{x,y}/{1,2}.txt", "y/1.txt"));
    assert_false(one("{x,y}/{1,2}.txt", "z/1.txt"));
    /* an empty alternative, a group without comma, escapes */
    assert_true(one("a{,b}.txt", "a.txt"));
    assert_true(one("a{,b}.txt", "ab.txt"));
    assert_true(one("{x}.txt", "{x}.txt"));
    assert_true(one("\\{a,b\\}.txt", "{a,b}.txt"));
    assert_false(one("\\{a,b\\}.txt", "a.txt"));
}

static void test_double_star(void **state)
{
    (void)state;
    /* in the middle: zero or more folders */
    assert_true(one("xwlb/**/2020*", "xwlb/2020-01.txt"));
    assert_true(one("xwlb/**/2020*", "xwlb/a/b/2020-01.txt"));
    assert_true(one("xwlb/**/2020*", "xwlb/a/2020/notes.txt")); /* a folder matched */
    assert_false(one("xwlb/**/2020*", "xwlb/a/x2020.txt"));
    assert_false(one("xwlb/**/2020*", "rmrb/2020.txt"));
    /* at the start and at the end */
    assert_true(one("**/c.txt", "c.txt"));
    assert_true(one("**/c.txt", "a/b/c.txt"));
    assert_true(one("sub/**", "sub/a/b.txt"));
    assert_false(one("sub/**", "other/b.txt"));
    /* two of them */
    assert_true(one("**/x/**/y.txt", "x/y.txt"));
    assert_true(one("**/x/**/y.txt", "a/x/b/c/y.txt"));
    assert_false(one("**/x/**/y.txt", "a/xx/y.txt"));
    /* with '/', a star stays within one name; without, the base name decides */
    assert_false(one("a*/x.txt", "ab/cd/x.txt"));
    assert_true(one("a*/x.txt", "ab/x.txt"));
    assert_true(one("sub/c*", "sub/cc/d.md"));
    assert_true(one("/c.txt", "c.txt"));
    assert_false(one("/c.txt", "a/c.txt"));
    assert_true(one("c.txt", "a/c.txt"));
}

static void test_verdict_and_hits(void **state)
{
    static const char *const pats[] = {"*.{txt,md}", "!sub/**", "*.csv"};
    struct glob_set gs;
    struct tifa_err e;
    unsigned char hits[3] = {0, 0, 0};
    (void)state;
    tifa_err_init(&e);
    assert_int_equal(glob_set_init(&gs, pats, N(pats), &e), 0);
    assert_true(glob_set_match(&gs, "a.md", hits));
    assert_false(glob_set_match(&gs, "sub/a.txt", hits));
    assert_false(glob_set_match(&gs, "a.html", hits));
    assert_int_equal(hits[0], 1);
    assert_int_equal(hits[1], 0); /* negated: never a hit */
    assert_int_equal(hits[2], 0);
    glob_set_release(&gs);
}

static void test_errors(void **state)
{
    struct tifa_err e;
    (void)state;
    tifa_err_init(&e);
    assert_int_equal(glob_check("*.{txt,md", &e), TIFA_EUSAGE);
    assert_non_null(strstr(e.msg, "unbalanced braces in --glob '*.{txt,md'"));
    tifa_err_init(&e);
    assert_int_equal(glob_check("a}b", &e), TIFA_EUSAGE);
    tifa_err_init(&e);
    /* 2^10 = 1024 is allowed, 2^11 is not */
    assert_int_equal(glob_check("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}", &e), 0);
    assert_int_equal(glob_check("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}", &e),
                     TIFA_EUSAGE);
    assert_non_null(strstr(e.msg, "more than 1024 patterns"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_braces),
        cmocka_unit_test(test_double_star),
        cmocka_unit_test(test_verdict_and_hits),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
