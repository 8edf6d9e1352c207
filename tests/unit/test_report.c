/*
 * Unit tests for the output layer's shared pieces: the table engine (table.h), the JSON writer
 * (report_json.h) and the format tables (report_format.h).
 *
 * The JSON writer is checked two ways: against hand-written expectations for the number forms
 * (shortest round trip, ".0" on integral reals, exponents as jansson writes them), and against
 * jansson's own json_dumps for everything that is not a real (strings with every escape, key
 * order, nesting), so that only the digits of reals can differ from what tifa printed before.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/report_count.h"
#include "tifa/report_diff.h"
#include "tifa/report_json.h"
#include "tifa/report_trend.h"
#include "tifa/table.h"

static char *render_table(const struct table *t)
{
    struct sbuf sb = SBUF_INIT;
    table_render(t, &sb);
    return sbuf_detach(&sb, NULL);
}

static void test_table_align_and_width(void **state)
{
    static const enum table_align al[] = {TABLE_LEFT, TABLE_RIGHT, TABLE_LEFT};
    struct table t;
    (void)state;
    table_init(&t, 3, al, 0);
    table_add(&t, "TERM"), table_add(&t, "COUNT"), table_add(&t, "CATEGORY");
    table_add(&t, "两个维护"), table_addf(&t, "%d", 12), table_add(&t, "party");
    table_add(&t, "x"), table_add(&t, "7"), table_add(&t, "");
    assert_int_equal(table_rows(&t), 3);
    char *s = render_table(&t);
    /* 两个维护 is 8 columns wide; the last, left-aligned column is not padded (an empty one
       leaves the separator, as count's table always did) */
    assert_string_equal(s, "TERM      COUNT  CATEGORY\n"
                           "两个维护     12  party\n"
                           "x             7  \n");
    free(s);
    table_release(&t);
}

static void test_table_trim_and_wrap(void **state)
{
    static const enum table_align al[] = {TABLE_LEFT, TABLE_RIGHT, TABLE_RIGHT};
    struct table t;
    (void)state;
    table_init(&t, 3, al, TABLE_TRIM);
    table_add(&t, "a");
    table_wrap_row(&t, "<", ">"); /* the row being filled */
    table_add(&t, "1"), table_add(&t, "");
    table_add(&t, "bb"), table_add(&t, "22"), table_add(&t, "333");
    table_wrap_row(&t, "[", "]"); /* the last complete row */
    table_add(&t, "c");           /* incomplete rows are not rendered */
    char *s = render_table(&t);
    assert_string_equal(s, "<a    1>\n[bb  22  333]\n");
    free(s);
    table_release(&t);
}

static void test_table_empty(void **state)
{
    static const enum table_align al[] = {TABLE_LEFT};
    struct table t;
    (void)state;
    table_init(&t, 1, al, 0);
    char *s = render_table(&t);
    assert_string_equal(s, "");
    free(s);
    table_release(&t);
}

static char *render_json(json_t *v)
{
    struct sbuf sb = SBUF_INIT;
    report_json_render(&sb, v);
    json_decref(v);
    return sbuf_detach(&sb, NULL);
}

#define EXPECT_REAL(x, want)                                                                       \
    do {                                                                                           \
        char *got_ = render_json(json_real(x));                                                    \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void test_json_reals_shortest(void **state)
{
    (void)state;
    EXPECT_REAL(0.1, "0.1");
    EXPECT_REAL(1.0 / 3.0, "0.3333333333333333");
    EXPECT_REAL(5000.0 / 3.0, "1666.6666666666667");
    EXPECT_REAL(2.0, "2.0");
    EXPECT_REAL(0.0, "0.0");
    EXPECT_REAL(-0.0, "0.0");
    EXPECT_REAL(-100.0, "-100.0");
    EXPECT_REAL(1e-5, "1e-5");
    EXPECT_REAL(3.5249947139982005e-75, "3.5249947139982005e-75");
    EXPECT_REAL(1e20, "1e20");
    EXPECT_REAL(0.1 + 0.2, "0.30000000000000004");
    /* every printed real reads back to the very same double */
    for (int i = 1; i < 2000; i++) {
        double x = (double)i / 7.0 * pow(10.0, (double)(i % 40 - 20));
        char *s = render_json(json_real(x));
        assert_true(strtod(s, NULL) == x);
        free(s);
    }
}

static void test_json_like_jansson(void **state)
{
    (void)state;
    json_t *o = json_object(), *a = json_array();
    json_object_set_new(o, "z", json_integer(-42));
    json_object_set_new(o, "a", json_string("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f 两个维护"));
    json_object_set_new(o, "m", json_stringn("nul\0x", 5));
    json_array_append_new(a, json_true());
    json_array_append_new(a, json_false());
    json_array_append_new(a, json_null());
    json_array_append_new(a, json_object());
    json_array_append_new(a, json_array());
    json_array_append_new(a, json_integer(INT64_MAX));
    json_object_set_new(o, "arr", a);
    char *want = json_dumps(o, JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    char *got = render_json(o);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

static void test_format_tables(void **state)
{
    (void)state;
    struct sbuf sb = SBUF_INIT;
    report_format_list(&report_count_formats, &sb);
    assert_string_equal(sb.buf, "table, json, jsonl, tsv, csv, matrix, matrix-csv");
    sbuf_reset(&sb);
    report_format_list(&report_diff_formats, &sb);
    assert_string_equal(sb.buf, "table, json, tsv, csv");
    sbuf_reset(&sb);
    report_format_list(&report_trend_formats, &sb);
    assert_string_equal(sb.buf, "table, json, tsv, csv, svg");
    sbuf_release(&sb);
    assert_null(report_format_find(&report_diff_formats, "jsonl"));
    assert_null(report_format_find(&report_count_formats, "JSON"));
    assert_int_equal(report_format_find(&report_trend_formats, "svg")->format, FMT_SVG);
    assert_ptr_equal(report_count_ops(FMT_JSONL), &report_jsonl_ops);
    assert_string_equal(report_count_ops(FMT_CSV)->def.name, "csv");
    assert_null(report_format_get(&report_diff_formats, FMT_SVG));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_align_and_width), cmocka_unit_test(test_table_trim_and_wrap),
        cmocka_unit_test(test_table_empty),           cmocka_unit_test(test_json_reals_shortest),
        cmocka_unit_test(test_json_like_jansson),     cmocka_unit_test(test_format_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
