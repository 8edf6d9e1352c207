/*
 * Unit tests for trend's dates (issue 17: dates, not just years): trend_date on each written
 * form, and trend_date_key for every period, the ISO weeks checked against dates whose week is
 * known (GNU date +%G-W%V gives the same).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/sbuf.h"
#include "tifa/trend.h"

static void check_date(const char *s, int prec, int y, int m, int d)
{
    struct trend_date td;
    int got = trend_date(s, strlen(s), &td);
    if (got != prec || (prec && (td.year != y || td.month != m || td.day != d)))
        fail_msg("%s: got precision %d %04d-%02d-%02d, want %d %04d-%02d-%02d", s, got, td.year,
                 td.month, td.day, prec, y, m, d);
}

static void test_trend_date_forms(void **state)
{
    (void)state;
    check_date("20210315.txt", 3, 2021, 3, 15);
    check_date("xwlb-20120701.txt", 3, 2012, 7, 1);
    check_date("2021-03-15 speech.txt", 3, 2021, 3, 15);
    check_date("2021_3_5.txt", 3, 2021, 3, 5);
    check_date("2021.03.15", 3, 2021, 3, 15);
    check_date("2021年3月15日在中央人大工作会议上的讲话", 3, 2021, 3, 15);
    check_date("（2022年10月16日）", 3, 2022, 10, 16);
    check_date("2021年3月5号", 3, 2021, 3, 5);
    check_date("2021年3月", 2, 2021, 3, 0);
    check_date("202103.txt", 2, 2021, 3, 0);
    check_date("2021-03.txt", 2, 2021, 3, 0);
    check_date("20210231.txt", 2, 2021, 2, 0); /* no 31 February: the month stands */
    check_date("20200229.txt", 3, 2020, 2, 29);
    check_date("2019-speech.txt", 1, 2019, 0, 0);
    check_date("2021_report.txt", 1, 2021, 0, 0);
    check_date("2021-2022.txt", 1, 2021, 0, 0); /* a range, not a month */
    check_date("2021-13-01.txt", 1, 2021, 0, 0);
    check_date("2021-03-32.txt", 2, 2021, 3, 0);
    check_date("1921_cpc01.txt", 0, 0, 0, 0);
    check_date("000_34a5f8082b9599c1.txt", 0, 0, 0, 0);
    check_date("report 1921, then 1954-09-23", 3, 1954, 9, 23);
}

static void check_key(int y, int m, int d, int prec, enum trend_unit u, const char *want)
{
    struct trend_date td = {y, m, d};
    struct sbuf key = SBUF_INIT;
    int got = trend_date_key(&td, prec, u, &key);
    if (!want)
        assert_int_equal(got, 0);
    else
        assert_true(got && !strcmp(key.buf, want));
    sbuf_release(&key);
}

static void test_trend_date_keys(void **state)
{
    (void)state;
    check_key(2021, 3, 15, 3, TREND_YEAR, "2021");
    check_key(2021, 3, 15, 3, TREND_QUARTER, "2021-Q1");
    check_key(2021, 4, 1, 3, TREND_QUARTER, "2021-Q2");
    check_key(2021, 12, 31, 3, TREND_QUARTER, "2021-Q4");
    check_key(2021, 3, 15, 3, TREND_MONTH, "2021-03");
    check_key(2021, 3, 15, 3, TREND_DAY, "2021-03-15");
    check_key(2021, 3, 0, 2, TREND_MONTH, "2021-03");
    check_key(2021, 3, 0, 2, TREND_QUARTER, "2021-Q1");
    check_key(2021, 3, 0, 2, TREND_DAY, NULL);
    check_key(2021, 3, 0, 2, TREND_WEEK, NULL);
    check_key(2021, 0, 0, 1, TREND_MONTH, NULL);
    check_key(2021, 0, 0, 1, TREND_YEAR, "2021");
    /* ISO 8601 weeks (date +%G-W%V) */
    check_key(2021, 3, 15, 3, TREND_WEEK, "2021-W11");
    check_key(2021, 1, 3, 3, TREND_WEEK, "2020-W53");
    check_key(2021, 1, 4, 3, TREND_WEEK, "2021-W01");
    check_key(2019, 12, 30, 3, TREND_WEEK, "2020-W01");
    check_key(2015, 12, 31, 3, TREND_WEEK, "2015-W53");
    check_key(2016, 1, 1, 3, TREND_WEEK, "2015-W53");
    check_key(2012, 7, 1, 3, TREND_WEEK, "2012-W26");
    check_key(2024, 12, 30, 3, TREND_WEEK, "2025-W01");
    enum trend_unit u;
    assert_int_equal(trend_unit_parse("week", &u), 0);
    assert_int_equal(u, TREND_WEEK);
    assert_int_equal(trend_unit_parse("decade", &u), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trend_date_forms),
        cmocka_unit_test(test_trend_date_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
