/* Unit tests for the base layer: utf8, sbuf, strmap, note, intern, normalize, err. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/err.h"
#include "tifa/intern.h"
#include "tifa/normalize.h"
#include "tifa/note.h"
#include "tifa/pathlist.h"
#include "tifa/sbuf.h"
#include "tifa/strmap.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

/* The vector validator must give the scalar one's exact prefix wherever the first bad byte
 * falls relative to its 32-byte blocks: texts of Chinese, ASCII and 2- and 4-byte characters,
 * each with one corruption (a stray continuation, a missing one, an overlong, a surrogate, a
 * value past U+10FFFF, a cut-off sequence) at every offset of the first 100 bytes and beyond. */
static void test_utf8_valid_prefix_vector(void **state)
{
    (void)state;
    static const char *const pieces[] = {"两个维护",         "ab", "\xC3\xA9",
                                         "\xF0\x9F\x98\x80", "，", "\n"};
    static const char *const bad[] = {"\x80",         "\xE4\xB8",         "\xC0\xAF",
                                      "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF8",
                                      "\xE0\x80\x80", "\xF0\x80\x80\x80", "\xE4"};
    unsigned seed = 12345;
    unsigned char buf[600];
    for (size_t round = 0; round < 4000; round++) {
        size_t len = 0;
        while (len < 400) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % 6];
            memcpy(buf + len, p, strlen(p));
            len += strlen(p);
        }
        size_t at = round % 200;
        while (at < len && (buf[at] & 0xC0) == 0x80)
            at++; /* a character boundary, so the corruption is the only error */
        if (round % 10 != 9) {
            const char *b = bad[round % 10];
            memmove(buf + at + strlen(b), buf + at, len - at);
            memcpy(buf + at, b, strlen(b));
            len += strlen(b);
        } else {
            len = at + 2 < len ? at + 2 : len; /* cut, maybe inside a character */
        }
        size_t want = utf8_valid_prefix_scalar(buf, len);
        assert_true(want <= at || round % 10 == 9);
        assert_int_equal(utf8_valid_prefix(buf, len), want);
    }
    /* all valid, long: the whole length */
    memset(buf, 'a', sizeof buf);
    assert_int_equal(utf8_valid_prefix(buf, sizeof buf), sizeof buf);
}

static void test_utf8_decode(void **state)
{
    (void)state;
    uint32_t cp;
    int bad;
    assert_int_equal(utf8_decode((const unsigned char *)"\xE5\x9B\x9B", 3, &cp, &bad), 3);
    assert_int_equal(cp, 0x56DB);
    assert_int_equal(bad, 0);
    /* overlong, surrogate, past U+10FFFF, 5-byte lead, lone continuation: maximal subparts */
    assert_int_equal(utf8_decode((const unsigned char *)"\xC0\xAF", 2, &cp, &bad), 1);
    assert_int_equal(bad, 1);
    assert_int_equal(utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp, &bad), 1);
    assert_int_equal(bad, 1);
    assert_int_equal(utf8_decode((const unsigned char *)"\xF4\x90\x80\x80", 4, &cp, &bad), 1);
    assert_int_equal(utf8_decode((const unsigned char *)"\xF8\x88\x80\x80\x80", 5, &cp, &bad), 1);
    assert_int_equal(utf8_decode((const unsigned char *)"\x80", 1, &cp, &bad), 1);
    assert_int_equal(cp, UTF8_REPLACEMENT);
    /* a sequence broken by ASCII is one invalid subpart of the bytes before it */
    assert_int_equal(utf8_decode((const unsigned char *)"\xE5\x9B"
                                                        "A",
                                 3, &cp, &bad),
                     2);
    assert_int_equal(bad, 1);
    /* cut off at the end: "truncated", so a streaming caller can wait */
    assert_int_equal(utf8_decode((const unsigned char *)"\xE5\x9B", 2, &cp, &bad), 2);
    assert_int_equal(bad, 2);
    assert_int_equal(utf8_valid_prefix((const unsigned char *)"ab\xE5\x9B\x9B\xE5", 6), 5);
    char out[4];
    assert_int_equal(utf8_encode(0x20000, out), 4);
    assert_memory_equal(out, "\xF0\xA0\x80\x80", 4);
}

static void test_display_width(void **state)
{
    (void)state;
    assert_int_equal(utf8_str_cols("两个维护", strlen("两个维护")), 8);
    assert_int_equal(utf8_str_cols("ab，", strlen("ab，")), 4);
    assert_int_equal(utf8_str_cols("a\xE2\x80\x8B", 4), 1);
}

static void test_sbuf(void **state)
{
    (void)state;
    struct sbuf sb = SBUF_INIT;
    assert_string_equal(sb.buf, "");
    for (int i = 0; i < 1000; i++)
        sbuf_addf(&sb, "%d,", i);
    assert_int_equal(sb.len, strlen(sb.buf));
    assert_true(sb.len < sb.alloc);
    assert_memory_equal(sb.buf + sb.len - 4, "999,", 4);
    sbuf_reset(&sb);
    assert_int_equal(sb.len, 0);
    assert_string_equal(sb.buf, "");
    sbuf_add(&sb, "x\0y", 3);
    assert_int_equal(sb.len, 3);
    size_t len;
    char *s = sbuf_detach(&sb, &len);
    assert_int_equal(len, 3);
    assert_string_equal(sb.buf, "");
    free(s);
    sbuf_release(&sb);
}

static void test_strmap(void **state)
{
    (void)state;
    struct strmap m;
    strmap_init(&m);
    char key[32];
    for (size_t i = 0; i < 5000; i++) {
        int ins;
        snprintf(key, sizeof(key), "k%zu", i);
        assert_int_equal(*strmap_put(&m, key, strlen(key), i, &ins), i);
        assert_true(ins);
        assert_true(m.n * 2 <= m.cap);
    }
    int ins;
    assert_int_equal(*strmap_put(&m, "k42", 3, 7, &ins), 42);
    assert_false(ins);
    assert_null(strmap_get(&m, "k5000", 5));
    assert_int_equal(*strmap_get(&m, "k4999", 5), 4999);
    strmap_release(&m);
}

/* The note list's invariants: n <= alloc, v NULL exactly when nothing was allocated, every
 * note a pair of strings. */
static void check_notes(const struct note_list *l)
{
    assert_true(l->n <= l->alloc);
    assert_true(!l->v == !l->alloc);
    for (size_t i = 0; i < l->n; i++) {
        assert_non_null(l->v[i].path);
        assert_non_null(l->v[i].text);
    }
}

static void test_note_list(void **state)
{
    (void)state;
    struct note_list l = NOTE_LIST_INIT;
    char path[32], text[32];
    check_notes(&l);
    note_list_sort(&l); /* empty: nothing to do */
    check_notes(&l);
    /* copies: the caller's buffers can change afterwards */
    snprintf(path, sizeof(path), "a.txt");
    note_list_add(&l, path, "binary");
    path[0] = 'z';
    check_notes(&l);
    assert_string_equal(l.v[0].path, "a.txt");
    note_list_sort(&l);
    check_notes(&l);
    assert_int_equal(l.n, 1);
    /* many notes, paths out of order, each path three times with texts 0, 1, 2 in that order */
    for (size_t round = 0; round < 3; round++)
        for (size_t i = 0; i < 200; i++) {
            snprintf(path, sizeof(path), "p%03zu", (i * 37) % 200);
            snprintf(text, sizeof(text), "%zu", round);
            note_list_add(&l, path, text);
            check_notes(&l);
        }
    assert_int_equal(l.n, 601);
    note_list_sort(&l);
    check_notes(&l);
    assert_int_equal(l.n, 601);
    assert_string_equal(l.v[0].path, "a.txt");
    for (size_t i = 1; i + 1 < l.n; i++) {
        int c = strcmp(l.v[i].path, l.v[i + 1].path);
        assert_true(c <= 0);
        if (!c) /* stable: equal paths keep the order they were added in */
            assert_true(strcmp(l.v[i].text, l.v[i + 1].text) < 0);
    }
    assert_string_equal(l.v[1].path, "p000");
    assert_string_equal(l.v[3].text, "2");
    note_list_release(&l);
    check_notes(&l);
    assert_int_equal(l.n, 0);
    /* reusable after release */
    note_list_add(&l, "b", "x");
    note_list_add(&l, "a", "y");
    note_list_sort(&l);
    check_notes(&l);
    assert_string_equal(l.v[0].path, "a");
    assert_string_equal(l.v[1].text, "x");
    note_list_release(&l);
}

/* The intern's invariants: n == map.n <= alloc; string i maps back to id i. */
static void check_intern(const struct intern *in)
{
    assert_int_equal(in->map.n, in->n);
    assert_true(in->n <= in->alloc);
    for (size_t i = 0; i < in->n; i++) {
        const char *s = intern_str(in, i);
        assert_non_null(s);
        assert_int_equal(intern_get(in, s, strlen(s)), i);
    }
}

static void test_intern(void **state)
{
    (void)state;
    struct intern in;
    size_t *count = NULL, count_alloc = 0;
    char key[32];
    int ins;
    intern_init(&in);
    check_intern(&in);
    assert_int_equal(intern_get(&in, "x", 1), INTERN_NONE);
    /* 300 distinct keys, each met 1 + (i % 3) times in a mixed order */
    for (size_t round = 0; round < 3; round++)
        for (size_t i = 0; i < 300; i++) {
            if (i % 3 < round)
                continue;
            snprintf(key, sizeof(key), "k%zu", i);
            size_t before = in.n;
            size_t id = intern_id(&in, key, strlen(key), &ins);
            assert_int_equal(ins, in.n > before);
            if (ins)
                assert_int_equal(id, before); /* dense, in order of first appearance */
            if (intern_grow_parallel(&in, &count_alloc))
                count = xreallocarray(count, count_alloc, sizeof(*count));
            assert_true(count_alloc >= in.n);
            if (ins)
                count[id] = 0;
            count[id]++;
            assert_string_equal(intern_str(&in, id), key);
            check_intern(&in);
        }
    assert_int_equal(in.n, 300);
    for (size_t i = 0; i < 300; i++) {
        snprintf(key, sizeof(key), "k%zu", i);
        size_t id = intern_get(&in, key, strlen(key));
        assert_int_equal(id, i);
        assert_int_equal(count[id], 1 + i % 3);
    }
    /* a pointer from intern_str stays valid while the table grows */
    const char *first = intern_str(&in, 0);
    for (size_t i = 300; i < 2000; i++) {
        snprintf(key, sizeof(key), "k%zu", i);
        intern_id(&in, key, strlen(key), NULL);
    }
    check_intern(&in);
    assert_ptr_equal(first, intern_str(&in, 0));
    assert_string_equal(first, "k0");
    /* the length counts, not a NUL: "ab" and "abc" given as 2 bytes are one string */
    assert_int_equal(intern_id(&in, "abc", 2, &ins), 2000);
    assert_true(ins);
    assert_int_equal(intern_id(&in, "ab", 2, &ins), 2000);
    assert_false(ins);
    assert_string_equal(intern_str(&in, 2000), "ab");
    check_intern(&in);
    free(count);
    intern_release(&in);
    check_intern(&in);
    assert_int_equal(in.n, 0);
    /* reusable after release */
    assert_int_equal(intern_id(&in, "y", 1, &ins), 0);
    assert_true(ins);
    check_intern(&in);
    intern_release(&in);
}

static void test_normalize(void **state)
{
    (void)state;
    assert_int_equal(normalize_cp(0xFF21), 'a');
    assert_int_equal(normalize_cp('Q'), 'q');
    assert_int_equal(normalize_cp(0x3000), ' ');
    assert_int_equal(normalize_cp(0x200B), NORM_DROP);
    assert_int_equal(normalize_cp(0xFEFF), NORM_DROP);
    assert_int_equal(normalize_cp(0xF967), 0x4E0D); /* compatibility 不 */
    assert_int_equal(normalize_cp(0x2F800), 0x4E3D);
    assert_true(normalize_is_han(0x4E00));
    assert_true(normalize_is_han(0x20000));
    assert_false(normalize_is_han('a'));
    uint32_t pre[8];
    assert_int_equal(normalize_preimages('a', pre, 8), 4);
    assert_int_equal(normalize_preimages(0x4E0D, pre, 8) >= 2, 1);
    uint32_t cps[16];
    struct tifa_err e;
    tifa_err_init(&e);
    /* spaces and line breaks vanish except between letters/digits, where one space stays */
    assert_int_equal(normalize_pattern("四个 \n意识", strlen("四个 \n意识"), cps, 16, &e), 4);
    assert_int_equal(normalize_pattern("Made  in", 8, cps, 16, &e), 7);
    assert_int_equal(cps[4], ' ');
    assert_int_equal(normalize_pattern("\xff", 1, cps, 16, &e), -1);
    assert_string_equal(e.msg, "invalid UTF-8 at byte 0");
}

static void test_err(void **state)
{
    (void)state;
    struct tifa_err e;
    char buf[256];
    tifa_err_init(&e);
    assert_int_equal(tifa_err_set(&e, TIFA_EDATA, "a.tsv", 3, -1, "empty %s", "term"), TIFA_EDATA);
    /* the first error wins */
    tifa_err_set(&e, TIFA_EIO, "b", 0, -1, "later");
    assert_string_equal(tifa_err_format(&e, buf, sizeof(buf)), "a.tsv:3: empty term");
    tifa_err_init(&e);
    tifa_err_set(&e, TIFA_EIO, "x.txt", 0, 12, "bad");
    assert_string_equal(tifa_err_format(&e, buf, sizeof(buf)), "'x.txt' at byte 12: bad");
}

/* pathlist: every path and flag comes back as added, read in order, backwards, by jumps and
 * across restart entries; shared prefixes of any length, empty paths, bytes that are not UTF-8. */
static void test_pathlist(void **state)
{
    (void)state;
    enum { N = 1000 };
    static char want[N][80];
    unsigned wflags[N];
    struct pathlist pl;
    struct pathlist_cursor c, c2;
    unsigned seed = 12345, flags;
    pathlist_init(&pl);
    for (size_t i = 0; i < N; i++) {
        /* a random edit of the previous path: keep a prefix, add random bytes */
        size_t keep = i ? strlen(want[i - 1]) : 0;
        seed = seed * 1103515245u + 12345u;
        keep = keep ? (seed >> 8) % (keep + 1) : 0;
        if (i)
            memcpy(want[i], want[i - 1], keep);
        seed = seed * 1103515245u + 12345u;
        size_t add = (seed >> 9) % (sizeof(want[0]) - keep - 1);
        for (size_t k = 0; k < add; k++) {
            seed = seed * 1103515245u + 12345u;
            want[i][keep + k] = (char)(1 + (seed >> 10) % 255); /* any byte but NUL */
        }
        want[i][keep + add] = '\0';
        wflags[i] = (seed >> 20) & 0xff;
        pathlist_add(&pl, want[i], wflags[i]);
    }
    assert_int_equal(pathlist_count(&pl), N);
    assert_true(pathlist_bytes(&pl) > 0);
    pathlist_cursor_init(&c, &pl);
    pathlist_cursor_init(&c2, &pl);
    for (size_t i = 0; i < N; i++) {
        assert_string_equal(pathlist_get(&c, i, &flags), want[i]);
        assert_int_equal(flags, wflags[i]);
    }
    for (size_t i = N; i-- > 0;)
        assert_string_equal(pathlist_get(&c, i, NULL), want[i]);
    for (size_t k = 0; k < 3 * N; k++) { /* two cursors read at once, in jumps */
        seed = seed * 1103515245u + 12345u;
        size_t i = (seed >> 8) % N, j = (i * 7 + k) % N;
        assert_string_equal(pathlist_get(&c, i, &flags), want[i]);
        assert_int_equal(flags, wflags[i]);
        assert_string_equal(pathlist_get(&c2, j, NULL), want[j]);
    }
    pathlist_cursor_release(&c);
    pathlist_cursor_release(&c2);
    pathlist_release(&pl);
    assert_int_equal(pathlist_count(&pl), 0);

    /* a walk's paths: the folder is not stored again */
    pathlist_init(&pl);
    char path[300];
    for (size_t i = 0; i < 1000; i++) {
        snprintf(path, sizeof(path), "%0200d/f%04zu.txt", 7, i);
        pathlist_add(&pl, path, 0);
    }
    assert_true(pl.data.len < 1000 * 12 + 1000 / PATHLIST_RESTART * 220);
    pathlist_release(&pl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_decode),   cmocka_unit_test(test_utf8_valid_prefix_vector),
        cmocka_unit_test(test_display_width), cmocka_unit_test(test_sbuf),
        cmocka_unit_test(test_strmap),        cmocka_unit_test(test_note_list),
        cmocka_unit_test(test_intern),        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_err),           cmocka_unit_test(test_pathlist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
