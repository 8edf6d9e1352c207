/*
 * Unit tests for optparse: the option walk (long and short forms, clusters, values, "--",
 * arguments moved down in order, abbreviations refused, -h/--help and -V/--version every
 * table's), the number parser (digits only,
 * bounds, overflow) and the "did you mean" closeness.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/optparse.h"

enum { O_FORMAT = 1, O_PER_DOC, O_THREADS, O_NUL };

static const struct optparse_spec specs[] = {
    {O_FORMAT, 'f', "format", 1},
    {O_PER_DOC, 0, "per-doc", 0},
    {0, 0, NULL, 0},
};
static const struct optparse_spec more[] = {
    {O_THREADS, 'j', "threads", 1},
    {O_NUL, '0', "null", 0},
    {0, 0, NULL, 0},
};
static const struct optparse_spec *const tables[] = {specs, more, NULL};

/* Parses @words (NULL-terminated, the command first) and writes "id=value" for each option and
 * "[arg]" for each argument into @out; returns the last optparse_next result. */
static int walk(const char *const *words, char *out, size_t len)
{
    char bufs[16][32], *argv[16];
    struct optparse p;
    int argc = 0, c;
    for (; words[argc]; argc++) {
        snprintf(bufs[argc], sizeof(bufs[argc]), "%s", words[argc]);
        argv[argc] = bufs[argc];
    }
    argv[argc] = NULL;
    optparse_init(&p, "count", argc, argv, tables);
    out[0] = '\0';
    while ((c = optparse_next(&p)) > 0) {
        size_t n = strlen(out);
        snprintf(out + n, len - n, "%d%s%s=%s ", c, p.name[1] == '-' ? "L" : "S",
                 p.name + (p.name[1] == '-' ? 2 : 1), p.value ? p.value : "-");
    }
    for (size_t i = 1; c == OPTPARSE_END && i <= p.nargs; i++) {
        size_t n = strlen(out);
        snprintf(out + n, len - n, "[%s]", p.argv[i]);
    }
    return c;
}

static void test_forms(void **state)
{
    char out[512];
    (void)state;
    const char *a[] = {"count",  "a",  "--format=json", "-",  "--per-doc", "-j2", "b",
                       "-0fcsv", "--", "--format",      "-j", NULL};
    assert_int_equal(walk(a, out, sizeof(out)), OPTPARSE_END);
    assert_string_equal(out, "1Lformat=json 2Lper-doc=- 3Sj=2 4S0=- 1Sf=csv "
                             "[a][-][b][--format][-j]");
    const char *b[] = {"count", "--format", "--per-doc", "-j", "-1", "x", NULL};
    assert_int_equal(walk(b, out, sizeof(out)), OPTPARSE_END);
    assert_string_equal(out, "1Lformat=--per-doc 3Sj=-1 [x]");
    const char *c[] = {"count", "--format=", NULL};
    assert_int_equal(walk(c, out, sizeof(out)), OPTPARSE_END);
    assert_string_equal(out, "1Lformat= ");
}

static void test_errors(void **state)
{
    char out[512];
    (void)state;
    const char *abbrev[] = {"count", "--form", "json", NULL};
    assert_int_equal(walk(abbrev, out, sizeof(out)), OPTPARSE_ERROR);
    const char *unknown[] = {"count", "-x", NULL};
    assert_int_equal(walk(unknown, out, sizeof(out)), OPTPARSE_ERROR);
    const char *missing[] = {"count", "a", "--format", NULL};
    assert_int_equal(walk(missing, out, sizeof(out)), OPTPARSE_ERROR);
    const char *missing_short[] = {"count", "-0j", NULL};
    assert_int_equal(walk(missing_short, out, sizeof(out)), OPTPARSE_ERROR);
    assert_string_equal(out, "4S0=- ");
    const char *extra[] = {"count", "--per-doc=yes", NULL};
    assert_int_equal(walk(extra, out, sizeof(out)), OPTPARSE_ERROR);
    const char *help[] = {"count", "a", "-0h", NULL};
    assert_int_equal(walk(help, out, sizeof(out)), OPTPARSE_HELP);
    const char *help_long[] = {"count", "--help", NULL};
    assert_int_equal(walk(help_long, out, sizeof(out)), OPTPARSE_HELP);
    const char *help_value[] = {"count", "--help=1", NULL};
    assert_int_equal(walk(help_value, out, sizeof(out)), OPTPARSE_ERROR);
    const char *version[] = {"count", "a", "-0V", NULL};
    assert_int_equal(walk(version, out, sizeof(out)), OPTPARSE_VERSION);
    const char *version_long[] = {"count", "--version", "--help", NULL};
    assert_int_equal(walk(version_long, out, sizeof(out)), OPTPARSE_VERSION);
    const char *version_value[] = {"count", "--version=1", NULL};
    assert_int_equal(walk(version_value, out, sizeof(out)), OPTPARSE_ERROR);
    const char *version_abbrev[] = {"count", "--vers", NULL};
    assert_int_equal(walk(version_abbrev, out, sizeof(out)), OPTPARSE_ERROR);
}

static void test_numbers(void **state)
{
    uint64_t v = 7;
    (void)state;
    assert_int_equal(optparse_parse_u64("0", 0, 1024, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(optparse_parse_u64("1024", 0, 1024, &v), 0);
    assert_int_equal(v, 1024);
    assert_int_equal(optparse_parse_u64("18446744073709551615", 0, UINT64_MAX, &v), 0);
    assert_true(v == UINT64_MAX);
    v = 7;
    const char *bad[] = {"",
                         "-1",
                         "+1",
                         " 1",
                         "1 ",
                         "1k",
                         "x",
                         "0x10",
                         "1.5",
                         "18446744073709551616",
                         "99999999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(optparse_parse_u64(bad[i], 0, UINT64_MAX, &v), -1);
    assert_int_equal(optparse_parse_u64("1025", 0, 1024, &v), -1);
    assert_int_equal(optparse_parse_u64("0", 1, 10, &v), -1);
    assert_int_equal(v, 7);
}

static void test_closeness(void **state)
{
    (void)state;
    assert_int_equal(optparse_closeness("fromat", "format"), 1); /* swap */
    assert_int_equal(optparse_closeness("form", "format"), 1);   /* prefix */
    assert_int_equal(optparse_closeness("thr", "threads"), 1);
    assert_int_equal(optparse_closeness("colour", "color"), 1);
    assert_int_equal(optparse_closeness("formt", "format"), 1);
    assert_int_equal(optparse_closeness("formatt", "format"), 1);
    assert_int_equal(optparse_closeness("fmrota", "format"), -1);
    assert_int_equal(optparse_closeness("tap", "top"), 1);
    assert_int_equal(optparse_closeness("tpx", "top"), -1); /* 2 edits of a 3-letter name */
    assert_int_equal(optparse_closeness("x", "top"), -1);
    assert_int_equal(optparse_closeness("", "top"), -1);
    assert_int_equal(optparse_closeness("fo", "format"), -1); /* too short for a prefix */
    assert_int_equal(optparse_closeness("cuont", "count"), 1);
    assert_int_equal(optparse_closeness("frobnicate", "count"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_closeness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
