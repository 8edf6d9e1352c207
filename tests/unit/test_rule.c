/* Unit tests for rule: compiling (messages with positions, refusals), matching (group f,
 * non-overlapping, UTF-8 offsets, whole matches), and the \p{Han} pitfall. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tifa/rule.h"

struct got {
    char s[8][64];
    size_t n;
    const char *text;
};

static void collect(const struct rule_match *m, void *arg)
{
    struct got *g = arg;
    if (g->n < 8)
        snprintf(g->s[g->n++], sizeof(g->s[0]), "%u:%.*s", m->rule_id, (int)m->len,
                 g->text + m->off);
}

static void scan(const struct rule_set *rs, const char *text, struct got *g)
{
    struct rule_scanner sc;
    struct tifa_err e;
    tifa_err_init(&e);
    memset(g, 0, sizeof(*g));
    g->text = text;
    rule_scanner_init(&sc, rs);
    assert_int_equal(rule_scan(&sc, text, strlen(text), collect, g, &e), 0);
    rule_scanner_release(&sc);
}

static void test_compile_errors(void **state)
{
    (void)state;
    struct rule_set rs;
    struct tifa_err e;
    char msg[512];
    rule_set_init(&rs);
    tifa_err_init(&e);
    assert_int_equal(rule_set_add(&rs, "x", "两个(维护", "command line", 0, &e), TIFA_EUSAGE);
    tifa_err_format(&e, msg, sizeof(msg));
    assert_non_null(strstr(msg, "pattern 'x': missing closing parenthesis at character 6"));
    tifa_err_init(&e);
    assert_int_equal(rule_set_add(&rs, "empty", "a*", "command line", 0, &e), TIFA_EUSAGE);
    tifa_err_format(&e, msg, sizeof(msg));
    assert_non_null(strstr(msg, "matches the empty string"));
    tifa_err_init(&e);
    assert_int_equal(rule_set_add(&rs, "x", "a", "command line", 0, &e), 0);
    assert_int_equal(rule_set_add(&rs, "x", "b", "command line", 0, &e), TIFA_EUSAGE);
    tifa_err_init(&e);
    assert_int_equal(rule_set_add(&rs, "", "b", "f.tsv", 3, &e), TIFA_EDATA);
    tifa_err_format(&e, msg, sizeof(msg));
    assert_non_null(strstr(msg, "f.tsv:3"));
    rule_set_release(&rs);
}

static void test_matching(void **state)
{
    (void)state;
    struct rule_set rs;
    struct tifa_err e;
    struct got g;
    rule_set_init(&rs);
    tifa_err_init(&e);
    assert_int_equal(
        rule_set_add(&rs, "ge",
                     "(?<![一二三四五六七八九十])(?<f>[两四]个\\p{sc:Han}{2})(?=[，。]|$)", "t", 0,
                     &e),
        0);
    assert_int_equal(rule_set_add(&rs, "han", "\\p{Han}{3}", "t", 0, &e), 0);
    scan(&rs, "做到两个维护，增强四个意识。十四个坚持", &g);
    /* group f; the lookbehind refuses 十四个; \p{Han} also takes the CJK punctuation */
    assert_int_equal(g.n, 8);
    assert_string_equal(g.s[0], "0:两个维护");
    assert_string_equal(g.s[1], "0:四个意识");
    assert_string_equal(g.s[2], "1:做到两");
    assert_string_equal(g.s[4], "1:增强四");
    assert_string_equal(g.s[6], "1:。十四"); /* 。 is Han by Script_Extensions */
    struct rule_scanner sc;
    rule_scanner_init(&sc, &rs);
    assert_int_equal(rule_match_whole(&sc, 0, "两个维护", strlen("两个维护"), &e), 1);
    assert_int_equal(rule_match_whole(&sc, 0, "两个维护要", strlen("两个维护要"), &e), 0);
    assert_int_equal(rule_match_whole(&sc, 0, "做到两个维护", strlen("做到两个维护"), &e), 0);
    rule_scanner_release(&sc);
    rule_set_release(&rs);
}

static void test_load_file(void **state)
{
    (void)state;
    char path[] = "/tmp/tifa-test-rule.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char text[] = "# rules\n\nnum\t[一二三]个\\p{sc:Han}{2}\nbad\t(\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct rule_set rs;
    struct tifa_err e;
    char msg[512];
    rule_set_init(&rs);
    tifa_err_init(&e);
    assert_int_equal(rule_set_load_file(&rs, path, &e), TIFA_EDATA);
    tifa_err_format(&e, msg, sizeof(msg));
    assert_non_null(strstr(msg, ":4: pattern 'bad'"));
    assert_int_equal(rs.n, 1);
    rule_set_release(&rs);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_matching),
        cmocka_unit_test(test_load_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
