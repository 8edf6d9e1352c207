/* Unit tests for the progress line (progress.h): the show/hide decision, the format and its
 * narrower forms, and the bytes written (none when hidden or under the delay; the erase only
 * after a draw), with the test's own timestamps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/progress.h"

static void test_decide(void **state)
{
    (void)state;
    double d;
    assert_int_equal(progress_decide(1, 0, 0, NULL, &d), 1);
    assert_true(d == PROGRESS_DELAY_MS);
    assert_int_equal(progress_decide(0, 0, 0, NULL, &d), 0); /* a pipe or a file */
    assert_int_equal(progress_decide(1, 0, 1, NULL, &d), 0); /* --quiet */
    assert_int_equal(progress_decide(1, 1, 0, NULL, &d), 0); /* stdout streams to the terminal */
    assert_int_equal(progress_decide(0, 0, 1, "0", &d), 0);
    assert_int_equal(progress_decide(1, 0, 0, "0", &d), 1);
    assert_true(d == 0);
    progress_decide(1, 0, 0, "250", &d);
    assert_true(d == 250);
    static const char *const bad[] = {"", "-5", "1.5", "x", "12ms", " 3", "99999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        progress_decide(1, 0, 0, bad[i], &d);
        assert_true(d == PROGRESS_DELAY_MS);
    }
}

static void test_format(void **state)
{
    (void)state;
    char buf[128];
    size_t n = progress_format(buf, sizeof(buf), 120, 312, 1650, 84200000, 0.7);
    assert_string_equal(buf, "tifa: 312/1650 files, 84.2 MB, 120.3 MB/s");
    assert_int_equal(n, strlen(buf));
    progress_format(buf, sizeof(buf), 0, 0, 3, 0, 0); /* no time yet: no rate to divide by */
    assert_string_equal(buf, "tifa: 0/3 files, 0.0 MB, 0.0 MB/s");
    /* narrower terminals: the rate goes, then the size, then the words; never cols or more */
    static const struct {
        unsigned cols;
        const char *want;
    } cases[] = {
        {42, "tifa: 312/1650 files, 84.2 MB, 120.3 MB/s"},
        {41, "tifa: 312/1650 files, 84.2 MB"},
        {30, "tifa: 312/1650 files, 84.2 MB"},
        {29, "tifa: 312/1650 files"},
        {21, "tifa: 312/1650 files"},
        {20, "312/1650"},
        {9, "312/1650"},
        {8, "312/165"},
        {1, ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        n = progress_format(buf, sizeof(buf), cases[i].cols, 312, 1650, 84200000, 0.7);
        assert_string_equal(buf, cases[i].want);
        assert_true(n < cases[i].cols);
    }
    /* a small buffer is never overrun */
    n = progress_format(buf, 10, 200, 312, 1650, 84200000, 0.7);
    assert_string_equal(buf, "312/1650");
    assert_int_equal(n, 8);
}

struct capture {
    char *buf;
    size_t len;
    FILE *f;
};

static void capture_open(struct capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
}

static void capture_close(struct capture *c)
{
    fclose(c->f);
    free(c->buf);
}

/* Shown: nothing before the delay; then "\r" + line + "\033[K" per update; one erase at the
 * end; a clear before a message, and the next update draws again. */
static void test_draw_and_erase(void **state)
{
    (void)state;
    struct capture c;
    struct progress p;
    capture_open(&c);
    progress_init(&p, c.f, 1, 1000, 120, 5000);
    progress_update(&p, 1, 4, 1000000, 5999);
    progress_clear(&p);
    fflush(c.f);
    assert_int_equal(c.len, 0); /* under the delay, and nothing to erase */
    progress_update(&p, 2, 4, 2000000, 6000);
    fflush(c.f);
    assert_string_equal(c.buf, "\rtifa: 2/4 files, 2.0 MB, 2.0 MB/s\033[K");
    progress_restore(&p, 6500); /* not erased: nothing to restore */
    progress_update(&p, 3, 4, 6000000, 7000);
    progress_clear(&p);
    progress_clear(&p);         /* erased once */
    progress_restore(&p, 8000); /* the last figures, the rate at this time */
    progress_restore(&p, 8000); /* drawn already */
    progress_update(&p, 4, 4, 8000000, 9000);
    progress_end(&p);
    progress_end(&p);
    progress_update(&p, 4, 4, 8000000, 9500); /* after the end: nothing */
    fflush(c.f);
    assert_string_equal(c.buf, "\rtifa: 2/4 files, 2.0 MB, 2.0 MB/s\033[K"
                               "\rtifa: 3/4 files, 6.0 MB, 3.0 MB/s\033[K"
                               "\r\033[K"
                               "\rtifa: 3/4 files, 6.0 MB, 2.0 MB/s\033[K"
                               "\rtifa: 4/4 files, 8.0 MB, 2.0 MB/s\033[K"
                               "\r\033[K");
    capture_close(&c);
}

/* Hidden (a pipe, --quiet): not one byte, whatever is called. */
static void test_hidden_writes_nothing(void **state)
{
    (void)state;
    struct capture c;
    struct progress p;
    capture_open(&c);
    progress_init(&p, c.f, 0, 0, 80, 0);
    for (int i = 0; i < 10; i++)
        progress_update(&p, (size_t)i, 10, (uint64_t)i << 20, 1000.0 * i);
    progress_clear(&p);
    progress_restore(&p, 20000);
    progress_end(&p);
    fflush(c.f);
    assert_int_equal(c.len, 0);
    capture_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decide),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_draw_and_erase),
        cmocka_unit_test(test_hidden_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
