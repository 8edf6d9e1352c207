/*
 * Unit tests for savedreport (reading count/merge JSON back) and trend_year (period keys).
 *
 * After every successful parse check_invariants() re-checks the structure: the term table and
 * its strmap agree, every count refers to a valid term, no document count is 0. Failed parses
 * must leave the struct empty and report the file, position and reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "tifa/savedreport.h"
#include "tifa/trend.h"

static const char good[] =
    "{\"tifa\": 1, \"command\": \"count\",\n"
    " \"lexicon\": {\"terms\": 440, \"entries\": 445, \"sources\": [\"builtin\", \"my.tsv\"]},\n"
    " \"documents\": [\n"
    "  {\"path\": \"a.txt\", \"encoding\": \"UTF-8\", \"bytes\": 30, \"chars\": 10, \"han\": 9,"
    " \"invalid\": 0, \"counts\": {\"四个意识\": 2, \"两个维护\": 1}},\n"
    "  {\"path\": \"b.txt\", \"encoding\": \"GB18030\", \"bytes\": 20, \"chars\": 10, \"han\": 8,"
    " \"invalid\": 1, \"counts\": {}}],\n"
    " \"totals\": {\"documents\": 2, \"bytes\": 50, \"chars\": 20, \"han\": 17, \"invalid\": 1,"
    " \"counts\": {\"四个意识\": 2, \"两个维护\": 1}, \"doc_freq\": {\"四个意识\": 1, "
    "\"两个维护\": 1}},\n"
    " \"terms\": [{\"term\": \"四个意识\", \"category\": \"party\", \"count\": 2},"
    " {\"term\": \"两个维护\", \"category\": \"party\", \"count\": 1}],\n"
    " \"skipped\": [{\"path\": \"x.bin\", \"reason\": \"binary\"}],\n"
    " \"errors\": [{\"path\": \"gone.txt\", \"message\": \"no such file or directory\"}]}\n";

static void check_invariants(const struct savedreport *r)
{
    for (size_t t = 0; t < r->terms.n; t++) {
        assert_int_equal(savedreport_term(r, intern_str(&r->terms, t)), t);
        assert_non_null(r->categories[t]);
    }
    assert_int_equal(r->terms.map.n, r->terms.n);
    assert_true(r->terms.n <= r->terms_alloc);
    for (size_t d = 0; d < r->ndocs; d++)
        for (size_t k = 0; k < r->docs[d].ncounts; k++) {
            assert_true(r->docs[d].counts[k].term_id < r->terms.n);
            assert_true(r->docs[d].counts[k].count > 0);
        }
}

static void test_good_report(void **state)
{
    struct savedreport r;
    struct tifa_err e;
    (void)state;
    tifa_err_init(&e);
    assert_int_equal(savedreport_parse(&r, good, strlen(good), "good.json", &e), 0);
    check_invariants(&r);
    assert_string_equal(r.name, "good.json");
    assert_string_equal(r.command, "count");
    assert_int_equal(r.lexicon_terms, 440);
    assert_int_equal(r.lexicon_entries, 445);
    assert_int_equal(r.nsources, 2);
    assert_string_equal(r.sources[1], "my.tsv");
    assert_int_equal(r.ndocs, 2);
    assert_string_equal(r.docs[1].path, "b.txt");
    assert_string_equal(r.docs[1].encoding, "GB18030");
    assert_int_equal(r.docs[1].invalid, 1);
    assert_int_equal(r.docs[1].ncounts, 0);
    assert_int_equal(r.docs[0].ncounts, 2);
    assert_int_equal(r.documents, 2);
    assert_int_equal(r.han, 17);
    assert_int_equal(r.terms.n, 2);
    size_t t = savedreport_term(&r, "四个意识");
    assert_true(t < r.terms.n);
    assert_int_equal(r.counts[t], 2);
    assert_int_equal(r.doc_freq[t], 1);
    assert_string_equal(r.categories[t], "party");
    assert_int_equal(savedreport_term(&r, "全过程人民民主"), (size_t)-1);
    assert_int_equal(r.skipped.n, 1);
    assert_string_equal(r.skipped.v[0].text, "binary");
    assert_int_equal(r.errors.n, 1);
    assert_string_equal(r.errors.v[0].path, "gone.txt");
    savedreport_release(&r);
    assert_int_equal(r.terms.n, 0);
    savedreport_release(&r); /* twice is harmless */
}

static void expect_fail(const char *json, const char *name, int code, const char *msg_part,
                        long line, long col)
{
    struct savedreport r;
    struct tifa_err e;
    tifa_err_init(&e);
    assert_int_equal(savedreport_parse(&r, json, strlen(json), name, &e), code);
    assert_int_equal(e.code, code);
    assert_string_equal(e.path, name);
    if (!strstr(e.msg, msg_part))
        fail_msg("message '%s' lacks '%s'", e.msg, msg_part);
    assert_int_equal(e.line, line);
    assert_int_equal(e.col, col);
    assert_int_equal(r.terms.n, 0); /* left empty */
    assert_null(r.docs);
    savedreport_release(&r);
}

static void test_wrong_version(void **state)
{
    (void)state;
    expect_fail("{\"tifa\": 3, \"command\": \"count\", \"documents\": [], \"totals\": {}}",
                "v3.json", TIFA_EDATA, "unsupported report version 3", 0, 0);
    expect_fail("{\"tifa\": 0}", "v0.json", TIFA_EDATA, "unsupported report version 0", 0, 0);
    expect_fail("{\"command\": \"count\"}", "nover.json", TIFA_EDATA, "no \"tifa\" version key", 0,
                0);
    expect_fail("{\"tifa\": 1, \"command\": \"diff\"}", "diff.json", TIFA_EDATA,
                "not a count report: command 'diff'", 0, 0);
    expect_fail("[1, 2]", "array.json", TIFA_EDATA, "not a JSON object", 0, 0);
}

static void test_malformed_position(void **state)
{
    struct tifa_err e;
    char buf[2048];
    (void)state;
    /* line 3, column 26: the '}' after a trailing comma */
    expect_fail("{\"tifa\": 1, \"command\": \"count\",\n \"documents\": [\n"
                "  {\"path\": \"x\", \"han\": 1,}]}\n",
                "bad.json", TIFA_EDATA, "invalid JSON", 3, 26);
    expect_fail("", "empty.json", TIFA_EDATA, "invalid JSON", 1, 0);
    expect_fail("{\"tifa\": 1, \"tifa\": 1}", "dup.json", TIFA_EDATA, "duplicate", 1, 18);
    /* the command voice shows FILE:LINE:COL */
    struct savedreport r;
    tifa_err_init(&e);
    assert_int_not_equal(savedreport_parse(&r, "{\n  x}", 5, "p.json", &e), 0);
    assert_string_equal(tifa_err_format(&e, buf, sizeof(buf)),
                        "p.json:2:3: invalid JSON: string or '}' expected near 'x'");
}

static void test_bad_fields(void **state)
{
    (void)state;
    expect_fail("{\"tifa\": 1, \"command\": \"count\", \"totals\": {}}", "nodocs.json", TIFA_EDATA,
                "documents: missing", 0, 0);
    expect_fail(
        "{\"tifa\": 1, \"command\": \"count\", \"documents\": [{\"path\": \"a\", \"han\": -3,"
        " \"counts\": {}}], \"totals\": {}}",
        "neg.json", TIFA_EDATA, "documents[0].han: not a non-negative integer", 0, 0);
    expect_fail(
        "{\"tifa\": 1, \"command\": \"count\", \"documents\": [{\"path\": \"a\", \"han\": 3,"
        " \"counts\": {\"x\": 1.5}}], \"totals\": {}}",
        "real.json", TIFA_EDATA, "documents[0].counts['x']", 0, 0);
    expect_fail(
        "{\"tifa\": 1, \"command\": \"count\", \"documents\": [], \"totals\": {\"documents\": 0,"
        " \"han\": 0, \"counts\": {}}}",
        "nodf.json", TIFA_EDATA, "totals.doc_freq: missing", 0, 0);
}

static void test_load_file_errors(void **state)
{
    struct savedreport r;
    struct tifa_err e;
    (void)state;
    tifa_err_init(&e);
    assert_int_equal(savedreport_load(&r, "/nonexistent/tifa/report.json", &e), TIFA_EIO);
    assert_non_null(strstr(e.msg, "cannot open"));
    assert_string_equal(e.path, "/nonexistent/tifa/report.json");
    savedreport_release(&r);
    assert_int_equal(savedreport_sniff("/nonexistent/x.json"), 0);
    assert_int_equal(savedreport_sniff("-"), 0);
}

static void test_trend_year(void **state)
{
    char y[5];
    (void)state;
    assert_int_equal(trend_year("2019-speech.txt", 15, y), 1);
    assert_string_equal(y, "2019");
    assert_int_equal(trend_year("2021_report.txt", 15, y), 1);
    assert_string_equal(y, "2021");
    assert_int_equal(trend_year("20210315.txt", 12, y), 1);
    assert_string_equal(y, "2021");
    assert_int_equal(trend_year("202113.txt", 10, y), 0);     /* month 13 */
    assert_int_equal(trend_year("1921_cpc01.txt", 14, y), 0); /* before 1949 */
    assert_int_equal(trend_year("2100.txt", 8, y), 0);        /* after 2099 */
    assert_int_equal(trend_year("000_34a5f8082b9599c1.txt", 24, y), 0);
    assert_int_equal(trend_year("v12019x", 7, y), 0); /* 5 digits */
    assert_int_equal(trend_year("x1949y2000", 10, y), 1);
    assert_string_equal(y, "1949");
    assert_int_equal(trend_year("2099", 3, y), 0); /* length respected */
    assert_int_equal(trend_year("", 0, y), 0);
}

static void test_trend_key(void **state)
{
    struct trend_keyer k;
    struct tifa_err e;
    struct sbuf key = SBUF_INIT;
    static const char head[] = "标题\n2020年12月工作会议\n";
    (void)state;
    tifa_err_init(&e);
    assert_int_equal(trend_keyer_init(&k, NULL, &e), 0);
    assert_int_equal(trend_key(&k, "d/2019/notes-2018.txt", NULL, 0, &key), 1);
    assert_string_equal(key.buf, "2018"); /* base name only */
    assert_int_equal(trend_key(&k, "d/notes.txt", head, strlen(head), &key), 1);
    assert_string_equal(key.buf, "2020");
    assert_int_equal(trend_key(&k, "d/notes.txt", "a\nb\nc\nd\ne\n2020\n", 16, &key),
                     0); /* line 6 */
    trend_keyer_release(&k);
    assert_int_equal(trend_keyer_init(&k, "speeches/([^/]+)/", &e), 0);
    assert_int_equal(trend_key(&k, "x/speeches/shanghai/a.txt", NULL, 0, &key), 1);
    assert_string_equal(key.buf, "shanghai");
    assert_int_equal(trend_key(&k, "x/other/a.txt", NULL, 0, &key), 0);
    trend_keyer_release(&k);
    assert_int_equal(trend_keyer_init(&k, "\\d{2}-\\d{2}", &e), 0); /* no group: whole match */
    assert_int_equal(trend_key(&k, "2021-03-05.txt", NULL, 0, &key), 1);
    assert_string_equal(key.buf, "21-03");
    assert_int_equal(trend_key(&k, "bad\xff-12-34", NULL, 0, &key), 1); /* invalid UTF-8 path */
    assert_string_equal(key.buf, "12-34");
    trend_keyer_release(&k);
    assert_int_equal(trend_keyer_init(&k, "(\\d{4", &e), TIFA_EUSAGE);
    assert_non_null(strstr(e.msg, "invalid --key-regex at offset 5"));
    trend_keyer_release(&k);
    sbuf_release(&key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_report),        cmocka_unit_test(test_wrong_version),
        cmocka_unit_test(test_malformed_position), cmocka_unit_test(test_bad_fields),
        cmocka_unit_test(test_load_file_errors),   cmocka_unit_test(test_trend_year),
        cmocka_unit_test(test_trend_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
