/*
 * Unit tests for the table reader (issues 17 and 18: metadata tables and spreadsheet lexicons):
 * RFC 4180 quoting, embedded separators and line breaks, line numbers of later rows, refusals
 * of malformed CSV with the line, and TSV's leniency toward quotes that close no field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/csv.h"

/* Reads @text and returns the rows joined as "a|b;c|d;" with each row's line as "@N" first. */
static int read_all(const char *text, char sep, char *out, size_t cap, struct tifa_err *e)
{
    struct csv_reader r;
    struct csv_row row;
    int rc;
    size_t len = 0;
    out[0] = '\0';
    tifa_err_init(e);
    csv_reader_init(&r, text, strlen(text), sep, "t.csv");
    while ((rc = csv_next_row(&r, &row, e)) > 0) {
        len += (size_t)snprintf(out + len, cap - len, "@%ld:", row.line);
        for (size_t i = 0; i < row.n; i++)
            len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "|" : "", row.field[i]);
        len += (size_t)snprintf(out + len, cap - len, ";");
    }
    csv_reader_release(&r);
    return rc;
}

static void test_csv_rfc4180(void **state)
{
    (void)state;
    char out[512];
    struct tifa_err e;
    assert_int_equal(
        read_all("file,title\na.txt,\"Hello, world\"\r\nb.txt,plain\n", ',', out, sizeof(out), &e),
        0);
    assert_string_equal(out, "@1:file|title;@2:a.txt|Hello, world;@3:b.txt|plain;");
    /* a doubled quote, a line break inside a field, and the line of the row after it */
    assert_int_equal(read_all("a,\"say \"\"hi\"\"\nthere\"\n\nc,d", ',', out, sizeof(out), &e), 0);
    assert_string_equal(out, "@1:a|say \"hi\"\nthere;@4:c|d;");
    /* empty fields, a trailing separator, a byte-order mark */
    assert_int_equal(read_all("\xEF\xBB\xBF"
                              "x,,\n,\"\",y\n",
                              ',', out, sizeof(out), &e),
                     0);
    assert_string_equal(out, "@1:x||;@2:||y;");
    assert_int_equal(read_all("", ',', out, sizeof(out), &e), 0);
    assert_string_equal(out, "");
}

static void test_csv_refusals(void **state)
{
    (void)state;
    char out[512];
    struct tifa_err e;
    assert_int_equal(read_all("a,b\n\"open,c\nd\n", ',', out, sizeof(out), &e), TIFA_EDATA);
    assert_int_equal(e.line, 2);
    assert_non_null(strstr(e.msg, "never closed"));
    assert_int_equal(read_all("a\n\"x\ny\"z,b\n", ',', out, sizeof(out), &e), TIFA_EDATA);
    assert_int_equal(e.line, 2);
    assert_non_null(strstr(e.msg, "after the closing quote"));
    assert_int_equal(read_all("a\nb\n6\" screen,c\n", ',', out, sizeof(out), &e), TIFA_EDATA);
    assert_int_equal(e.line, 3);
    assert_non_null(strstr(e.msg, "quote inside unquoted field 1"));
}

static void test_tsv_quotes(void **state)
{
    (void)state;
    char out[512];
    struct tifa_err e;
    /* as a spreadsheet exports: quoted when the field holds a tab, a line break or a quote */
    assert_int_equal(
        read_all("term\tgloss\n\"两个维护\"\t\"a\tb \"\"c\"\"\"\n", '\t', out, sizeof(out), &e), 0);
    assert_string_equal(out, "@1:term|gloss;@2:两个维护|a\tb \"c\";");
    /* hand-written TSV: quotes that close no field are characters, as before */
    assert_int_equal(
        read_all("\"Two upholds\" means\tx\n6\" screen\t\"open\n", '\t', out, sizeof(out), &e), 0);
    assert_string_equal(out, "@1:\"Two upholds\" means|x;@2:6\" screen|\"open;");
}

/* With r.comment, a line whose first byte after spaces is the comment byte is no row, and the
 * lines after it keep their numbers; inside a quoted field such a line is data. */
static void test_comment_lines(void **state)
{
    (void)state;
    struct csv_reader r;
    struct csv_row row;
    struct tifa_err e;
    const char *text =
        "# head, \"quoted\nterm,gloss\n  # indented\n\ta,\"x\n# not a comment\"\n#end";
    tifa_err_init(&e);
    csv_reader_init(&r, text, strlen(text), ',', "t.csv");
    r.comment = '#';
    assert_int_equal(csv_next_row(&r, &row, &e), 1);
    assert_int_equal(row.line, 2);
    assert_string_equal(row.field[0], "term");
    assert_int_equal(csv_next_row(&r, &row, &e), 1);
    assert_int_equal(row.line, 4);
    assert_string_equal(row.field[0], "\ta"); /* a tab first: no comment */
    assert_string_equal(row.field[1], "x\n# not a comment");
    assert_int_equal(csv_next_row(&r, &row, &e), 0);
    csv_reader_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_rfc4180),
        cmocka_unit_test(test_csv_refusals),
        cmocka_unit_test(test_tsv_quotes),
        cmocka_unit_test(test_comment_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
