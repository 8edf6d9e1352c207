/*
 * Unit tests for encoding: BOM and plausibility detection, conversion to UTF-8, invalid-sequence
 * counting and offsets, independence from how the input is split, errors.
 *
 * Fixtures are in tests/data/enc/ (regenerate with tests/data/enc/make.sh). Tests run from the
 * repository root. utf8-corrupt.txt is zh-hans.txt (789 bytes) four times with one stray byte
 * after each of the first three copies, so the corrupt bytes are at offsets
 *     789 (FF), 1579 (80), 2369 (C3, followed by the lead byte E5 of 全)
 * and each is one invalid sequence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/encoding.h"
#include "tifa/utf8.h"

#define ENC_DIR "tests/data/enc/"
#define KUHN_PATH "../shared/testdata/UTF-8-test.txt"
#define GBK_CORPUS_FILE "../shared/corpus/public/leader_speeches_gbk/deng_xiaoping_speeches_gbk.txt"

static const long long corrupt_off[3] = {789, 1579, 2369};

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t alloc = 4096, n = 0;
    unsigned char *buf = malloc(alloc);
    assert_non_null(buf);
    for (;;) {
        size_t got = fread(buf + n, 1, alloc - n, f);
        n += got;
        if (n < alloc)
            break; /* n < alloc: room for the NUL below */
        alloc *= 2;
        buf = realloc(buf, alloc);
        assert_non_null(buf);
    }
    fclose(f);
    buf[n] = '\0'; /* so the text can be searched with str* functions */
    *len = n;
    return buf;
}

static unsigned char *fixture(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof(path), ENC_DIR "%s", name);
    unsigned char *buf = read_file(path, len);
    if (!buf)
        fail_msg("missing fixture %s (run from the repository root)", path);
    return buf;
}

struct result {
    struct sbuf out;
    size_t invalid;
    long long first_invalid_off;
};

/*
 * Decodes @in as @enc, feeding pieces of @chunk bytes (0: all at once, then a final empty
 * call), and checks the output is valid UTF-8.
 */
static void decode(const char *enc, const unsigned char *in, size_t len, size_t chunk,
                   unsigned long long base_off, struct result *r)
{
    struct decoder d;
    struct tifa_err e;
    tifa_err_init(&e);
    sbuf_init(&r->out);
    assert_int_equal(decoder_init(&d, enc, base_off, &e), 0);
    assert_int_equal(e.code, 0);
    if (!chunk) {
        assert_int_equal(decoder_feed(&d, in, len, 0, &r->out), 0);
        assert_int_equal(decoder_feed(&d, in + len, 0, 1, &r->out), 0);
    } else {
        size_t pos = 0;
        do {
            size_t k = len - pos < chunk ? len - pos : chunk;
            assert_int_equal(decoder_feed(&d, in + pos, k, pos + k == len, &r->out), 0);
            pos += k;
            /* Output pieces always end on a code-point boundary. */
            assert_true(utf8_is_valid((const unsigned char *)r->out.buf, r->out.len));
        } while (pos < len);
    }
    assert_int_equal(d.ncarry, 0);
    assert_int_equal(d.in_off, base_off + len);
    r->invalid = d.invalid;
    r->first_invalid_off = d.first_invalid_off;
    decoder_release(&d);
    assert_true(utf8_is_valid((const unsigned char *)r->out.buf, r->out.len));
    assert_int_equal(r->out.buf[r->out.len], '\0');
}

/* Code points in valid UTF-8: every byte that is not a continuation byte starts one. */
static size_t count_code_points(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static size_t count_fffd(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i + 3 <= len; i++)
        if (!memcmp(s + i, "\xEF\xBF\xBD", 3))
            n++;
    return n;
}

static void assert_detect(const unsigned char *s, size_t len, int complete, const char *name,
                          size_t bom_len)
{
    struct enc_guess g;
    memset(&g, 'x', sizeof(g));
    encoding_detect(s, len, complete, &g);
    if (strcmp(g.name, name) || g.bom_len != bom_len)
        fail_msg("detected %s/%zu on %zu bytes (complete=%d), expected %s/%zu", g.name, g.bom_len,
                 len, complete, name, bom_len);
}

/* ---- detection ---- */

static void test_detect_bom(void **state)
{
    (void)state;
    static const struct {
        const char *file, *name;
        size_t bom_len;
    } cases[] = {
        {"utf8-bom.txt", "UTF-8", 3},
        {"utf16le-bom.txt", "UTF-16LE", 2},
        {"utf16be-bom.txt", "UTF-16BE", 2},
        {"utf32le-bom.txt", "UTF-32LE", 4},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len;
        unsigned char *buf = fixture(cases[i].file, &len);
        assert_detect(buf, len, 1, cases[i].name, cases[i].bom_len);
        assert_detect(buf, 7, 0, cases[i].name, cases[i].bom_len); /* BOM + a bit */
        free(buf);
    }
    assert_detect((const unsigned char *)"\x00\x00\xFE\xFF\x00\x00\x4E\x2D", 8, 1, "UTF-32BE", 4);
    assert_detect((const unsigned char *)"\xFF\xFE\x00\x00", 4, 1, "UTF-32LE", 4);
    assert_detect((const unsigned char *)"\xFF\xFE\x41\x00", 4, 1, "UTF-16LE", 2);
    assert_detect((const unsigned char *)"\xFF\xFE", 2, 1, "UTF-16LE", 2);
    assert_detect((const unsigned char *)"\xFE\xFF", 2, 1, "UTF-16BE", 2);
    assert_detect((const unsigned char *)"\xEF\xBB\xBF", 3, 1, "UTF-8", 3);
}

/*
 * UTF-16 without a byte-order mark: the BOM fixtures without their BOM, whole and cut short;
 * Han-only text (no NUL byte at all) in both byte orders; and NUL-bearing bytes that are not
 * text (an ELF header, a NUL-padded record) are not taken for UTF-16.
 */
static void test_detect_utf16_without_bom(void **state)
{
    (void)state;
    static const struct {
        const char *file, *name;
    } cases[] = {{"utf16le-bom.txt", "UTF-16LE"}, {"utf16be-bom.txt", "UTF-16BE"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len;
        unsigned char *buf = fixture(cases[i].file, &len);
        assert_true(len > 66);
        assert_detect(buf + 2, len - 2, 1, cases[i].name, 0);
        assert_detect(buf + 2, 64, 0, cases[i].name, 0);
        assert_detect(buf + 2, 65, 0, cases[i].name, 0); /* cut inside a code unit */
        free(buf);
    }
    /* 两个维护四个意识 */
    static const char le[] = "\x24\x4E\x2A\x4E\xF4\x7E\xA4\x62\xDB\x56\x2A\x4E\x0F\x61\xC6\x8B";
    static const char be[] = "\x4E\x24\x4E\x2A\x7E\xF4\x62\xA4\x56\xDB\x4E\x2A\x61\x0F\x8B\xC6";
    assert_detect((const unsigned char *)le, sizeof(le) - 1, 1, "UTF-16LE", 0);
    assert_detect((const unsigned char *)be, sizeof(be) - 1, 1, "UTF-16BE", 0);

    static const char elf[] = "\x7F"
                              "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3E"
                              "\x00\x01\x00\x00\x00\x30\x6D\x00\x00\x00\x00\x00\x00\x40\x00\x00"
                              "\x00\x00\x00\x00\x00\xF8\x3B\x02\x00\x00\x00\x00\x00";
    static const char rec[] = "\x01\x00\xFF\x00\x01\x00\x80\x00\x81\x00\x01\x00\x82\x00";
    struct enc_guess g;
    encoding_detect((const unsigned char *)elf, sizeof(elf) - 1, 1, &g);
    assert_false(encoding_is_wide(g.name));
    encoding_detect((const unsigned char *)rec, sizeof(rec) - 1, 1, &g);
    assert_false(encoding_is_wide(g.name));
    assert_true(encoding_is_wide("UTF-16LE") && encoding_is_wide("utf-32be"));
    assert_false(encoding_is_wide("UTF-8") || encoding_is_wide("GB18030"));
}

static void test_detect_utf8(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = fixture("zh-hans.txt", &len);
    assert_detect(buf, len, 1, "UTF-8", 0);
    assert_detect((const unsigned char *)"", 0, 1, "UTF-8", 0);
    assert_detect((const unsigned char *)"", 0, 0, "UTF-8", 0);
    assert_detect((const unsigned char *)"plain ascii\n", 12, 1, "UTF-8", 0);
    /* Sample cut inside a character: 102 is 2 bytes into the one at 100 (28 characters + LF
     * + 5 characters). */
    assert_int_equal(buf[100] & 0xF0, 0xE0);
    assert_false(utf8_is_valid(buf, 102));
    assert_detect(buf, 102, 0, "UTF-8", 0);
    /* The same cut in a complete file is an error, but UTF-8 is still the best reading. */
    assert_detect(buf, 102, 1, "UTF-8", 0);
    free(buf);
    buf = fixture("zh-hant.txt", &len);
    assert_detect(buf, len, 1, "UTF-8", 0);
    free(buf);
}

static void test_detect_utf8_corrupt(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = fixture("utf8-corrupt.txt", &len);
    assert_int_equal(buf[corrupt_off[0]], 0xFF);
    assert_int_equal(buf[corrupt_off[1]], 0x80);
    assert_int_equal(buf[corrupt_off[2]], 0xC3);
    assert_false(utf8_is_valid(buf, len));
    assert_detect(buf, len, 1, "UTF-8", 0);
    assert_detect(buf, len - 5, 0, "UTF-8", 0);
    /* Short windows around each corrupt byte: 40 bytes on either side. */
    for (int i = 0; i < 3; i++)
        assert_detect(buf + corrupt_off[i] - 40, 81, 0, "UTF-8", 0);

    /* About 10 KB: zh-hans.txt 13 times, the 3 bad bytes spread over it. */
    size_t hlen;
    unsigned char *h = fixture("zh-hans.txt", &hlen);
    unsigned char *big = malloc(13 * hlen + 3);
    size_t n = 0;
    for (int i = 0; i < 13; i++) {
        memcpy(big + n, h, hlen);
        n += hlen;
        if (i == 2 || i == 6 || i == 11)
            big[n++] = (unsigned char)(i == 6 ? 0xBF : 0xFE);
    }
    assert_false(utf8_is_valid(big, n));
    assert_detect(big, n, 1, "UTF-8", 0);
    free(big);
    free(h);
    free(buf);
}

static void test_detect_gb18030(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = fixture("gb18030.txt", &len);
    assert_false(utf8_is_valid(buf, len));
    assert_detect(buf, len, 1, "GB18030", 0);
    /* Short samples: 10 to 50 characters, cut anywhere. */
    for (size_t n = 20; n <= 100; n += 7)
        assert_detect(buf, n, 0, "GB18030", 0);
    /* From the second line on. */
    const unsigned char *nl = memchr(buf, '\n', len);
    assert_non_null(nl);
    assert_detect(nl + 1, 60, 0, "GB18030", 0);
    free(buf);
}

static void test_detect_big5(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = fixture("big5.txt", &len);
    assert_false(utf8_is_valid(buf, len));
    assert_detect(buf, len, 1, "BIG5", 0);
    for (size_t n = 20; n <= 100; n += 7)
        assert_detect(buf, n, 0, "BIG5", 0);
    free(buf);
}

/*
 * Han-only samples where the wrong reading is ALSO all Han (no kana, no invalid bytes, no
 * punctuation to give it away): only character frequencies can tell.
 *   Big5 團結奮鬥關鍵問題經濟發展 reads as GBK 刮挡灸矮闽龄拜肈竒蕾祇甶;
 *   GBK 坚持党的领导经济发展两个维护四个意识 reads as Big5 澄厥絨腔鍰絳冪撳楷桯謗跺峎誘侐跺砩妎;
 *   Big5 選舉結論繼續奮鬥 reads as GBK 匡羭挡阶膥尿灸矮, and its characters are traditional
 *   forms that are not ranked themselves in han_common.txt, only listed after their simplified
 *   forms.
 */
static void test_detect_needs_frequencies(void **state)
{
    (void)state;
    static const char big5[] = "\xB9\xCE\xB5\xB2\xBE\xC4\xB0\xAB\xC3\xF6\xC1\xE4\xB0\xDD\xC3\x44"
                               "\xB8\x67\xC0\xD9\xB5\x6F\xAE\x69";
    static const char gbk[] = "\xBC\xE1\xB3\xD6\xB5\xB3\xB5\xC4\xC1\xEC\xB5\xBC\xBE\xAD\xBC\xC3"
                              "\xB7\xA2\xD5\xB9\xC1\xBD\xB8\xF6\xCE\xAC\xBB\xA4\xCB\xC4\xB8\xF6"
                              "\xD2\xE2\xCA\xB6";
    assert_detect((const unsigned char *)big5, sizeof(big5) - 1, 1, "BIG5", 0);
    assert_detect((const unsigned char *)gbk, sizeof(gbk) - 1, 1, "GB18030", 0);
    static const char trad[] = "\xBF\xEF\xC1\x7C\xB5\xB2\xBD\xD7\xC4\x7E\xC4\xF2\xBE\xC4\xB0\xAB";
    assert_detect((const unsigned char *)trad, sizeof(trad) - 1, 1, "BIG5", 0);
}

/* The real corpus, when ../shared is there: GBK speeches, sampled at several places and sizes. */
static void test_detect_corpus_gbk(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = read_file(GBK_CORPUS_FILE, &len);
    if (!buf) {
        print_message("skipped: %s is absent\n", GBK_CORPUS_FILE);
        skip();
    }
    assert_detect(buf, len < (1u << 20) ? len : (1u << 20), len <= (1u << 20), "GB18030", 0);
    /* Start each window at a line start, so it starts on a character. */
    for (size_t at = 1000; at + 200 < len; at += len / 37) {
        size_t s = at;
        while (s < len && buf[s - 1] != '\n')
            s++;
        if (s + 200 > len)
            break;
        assert_detect(buf + s, 200, 0, "GB18030", 0);
    }
    free(buf);
}

/* ---- decoding ---- */

static void assert_decodes_to(const char *file, const char *enc, size_t skip_bytes,
                              const char *expected_file)
{
    size_t len, elen;
    unsigned char *buf = fixture(file, &len);
    unsigned char *exp = fixture(expected_file, &elen);
    struct result r;
    decode(enc, buf + skip_bytes, len - skip_bytes, 0, skip_bytes, &r);
    assert_int_equal(r.invalid, 0);
    assert_int_equal(r.first_invalid_off, -1);
    assert_int_equal(r.out.len, elen);
    assert_memory_equal(r.out.buf, exp, elen);
    sbuf_release(&r.out);
    free(exp);
    free(buf);
}

static void test_decode_fixtures(void **state)
{
    (void)state;
    assert_decodes_to("gb18030.txt", "GB18030", 0, "zh-hans.txt");
    assert_decodes_to("gb18030.txt", "gbk", 0, "zh-hans.txt"); /* any iconv name */
    assert_decodes_to("big5.txt", "BIG5", 0, "zh-hant.txt");
    assert_decodes_to("utf16le-bom.txt", "UTF-16LE", 2, "zh-hans.txt");
    assert_decodes_to("utf16be-bom.txt", "UTF-16BE", 2, "zh-hans.txt");
    assert_decodes_to("utf32le-bom.txt", "UTF-32LE", 4, "zh-hans.txt");
    assert_decodes_to("utf8-bom.txt", "UTF-8", 3, "zh-hans.txt");
    assert_decodes_to("zh-hans.txt", "utf8", 0, "zh-hans.txt");

    /* The fixture really contains the formulas, and they survive the round trip. */
    size_t len;
    unsigned char *buf = fixture("gb18030.txt", &len);
    struct result r;
    decode("GB18030", buf, len, 0, 0, &r);
    assert_non_null(strstr(r.out.buf, "四个意识"));
    assert_non_null(strstr(r.out.buf, "两个维护"));
    sbuf_release(&r.out);
    free(buf);
}

static void test_decode_utf8_corrupt(void **state)
{
    (void)state;
    size_t len, elen;
    unsigned char *buf = fixture("utf8-corrupt.txt", &len);
    unsigned char *exp = fixture("utf8-corrupt.expected", &elen);
    struct result r;
    decode("UTF-8", buf, len, 0, 0, &r);
    assert_int_equal(r.invalid, 3);
    assert_int_equal(r.first_invalid_off, corrupt_off[0]);
    assert_int_equal(r.out.len, elen);
    assert_memory_equal(r.out.buf, exp, elen);
    sbuf_release(&r.out);

    /* first_invalid_off is a file offset: base_off is added. */
    decode("UTF-8", buf + 30, len - 30, 0, 30, &r); /* 30: a character boundary */
    assert_int_equal(r.invalid, 3);
    assert_int_equal(r.first_invalid_off, corrupt_off[0]);
    sbuf_release(&r.out);
    decode("UTF-8", buf + corrupt_off[0] + 1, len - (size_t)corrupt_off[0] - 1, 0,
           (unsigned long long)corrupt_off[0] + 1, &r);
    assert_int_equal(r.invalid, 2);
    assert_int_equal(r.first_invalid_off, corrupt_off[1]);
    sbuf_release(&r.out);
    free(exp);
    free(buf);
}

struct bad_case {
    const char *enc;
    const char *in;
    size_t len;
    const char *out; /* expected UTF-8 */
    size_t invalid;
    long long first;
};

static void test_decode_invalid(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        /* UTF-8: maximal subparts */
        {"UTF-8", "a\x80z", 3, "a\xEF\xBF\xBDz", 1, 1},
        {"UTF-8",
         "\xE4\xB8"
         "A",
         3,
         "\xEF\xBF\xBD"
         "A",
         1, 0},
        {"UTF-8", "A\xE4\xB8", 3, "A\xEF\xBF\xBD", 1, 1}, /* cut off at the end */
        {"UTF-8", "\xF0\x9F\x98", 3, "\xEF\xBF\xBD", 1, 0},
        {"UTF-8", "\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3, 0},
        {"UTF-8",
         "\xC0\xAF"
         "x",
         3, "\xEF\xBF\xBD\xEF\xBF\xBDx", 2, 0},
        /* GB18030: an invalid byte is one U+FFFD; a cut-off sequence at the end is one */
        {"GB18030",
         "A\x80"
         "B",
         3,
         "A\xEF\xBF\xBD"
         "B",
         1, 1},
        {"GB18030", "\xD6\xD0\xFF\xD6\xD0", 5, "中\xEF\xBF\xBD中", 1, 2},
        {"GB18030", "\xD6\xD0\x81\x30", 4, "中\xEF\xBF\xBD", 1, 2},
        {"GB18030", "\xD6\xD0\xD6", 3, "中\xEF\xBF\xBD", 1, 2},
        /* BIG5 */
        {"BIG5", "\xA4\xA4\xA4", 3, "中\xEF\xBF\xBD", 1, 2},
        {"BIG5",
         "\xFF"
         "A\xA4\x40",
         4,
         "\xEF\xBF\xBD"
         "A一",
         1, 0},
        /* UTF-16: a lone surrogate skips one code unit; an odd final byte is one U+FFFD */
        {"UTF-16LE", "\x2D\x4E\x00\xD8\x41\x00", 6,
         "中\xEF\xBF\xBD"
         "A",
         1, 2},
        {"UTF-16LE", "\x2D\x4E\x41", 3, "中\xEF\xBF\xBD", 1, 2},
        {"UTF-16LE", "\x3D\xD8\x00\xDE", 4, "\xF0\x9F\x98\x80", 0, -1},
        {"UTF-16BE", "\x4E\x2D\xDC\x00", 4, "中\xEF\xBF\xBD", 1, 2},
        /* UTF-32: a value past U+10FFFF skips 4 bytes; a cut-off unit is one U+FFFD */
        {"UTF-32LE", "\x00\x00\x11\x00\x41\x00\x00\x00", 8,
         "\xEF\xBF\xBD"
         "A",
         1, 0},
        {"UTF-32LE", "\x41\x00\x00\x00\x42\x00", 6, "A\xEF\xBF\xBD", 1, 4},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct bad_case *c = &cases[i];
        for (size_t chunk = 0; chunk <= 2; chunk++) {
            struct result r;
            decode(c->enc, (const unsigned char *)c->in, c->len, chunk, 100, &r);
            if (strcmp(r.out.buf, c->out) || r.invalid != c->invalid ||
                r.first_invalid_off != (c->first < 0 ? -1 : 100 + c->first))
                fail_msg("case %zu (%s, chunk %zu): got '%s' invalid %zu first %lld", i, c->enc,
                         chunk, r.out.buf, r.invalid, r.first_invalid_off);
            sbuf_release(&r.out);
        }
    }
}

/* Byte at a time, odd piece sizes and all at once must give the same result. */
static void assert_split_independent(const char *enc, const unsigned char *in, size_t len)
{
    static const size_t chunks[] = {1, 2, 3, 5, 7, 13, 16, 17, 64, 4096};
    struct result whole;
    decode(enc, in, len, 0, 0, &whole);
    for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
        struct result r;
        decode(enc, in, len, chunks[i], 0, &r);
        if (r.out.len != whole.out.len || memcmp(r.out.buf, whole.out.buf, r.out.len) ||
            r.invalid != whole.invalid || r.first_invalid_off != whole.first_invalid_off)
            fail_msg("%s: pieces of %zu differ from all at once (%zu/%zu bytes, %zu/%zu invalid)",
                     enc, chunks[i], r.out.len, whole.out.len, r.invalid, whole.invalid);
        sbuf_release(&r.out);
    }
    sbuf_release(&whole.out);
}

static void test_split_independence(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = fixture("utf8-corrupt.txt", &len);
    assert_split_independent("UTF-8", buf, len);
    /* ... also with a sequence cut off at the very end */
    assert_split_independent("UTF-8", buf, len - 1);
    free(buf);

    static const struct {
        const char *file, *enc;
        size_t skip;
        const char *bad; /* an invalid sequence in that encoding */
        size_t bad_len;
    } files[] = {
        {"gb18030.txt", "GB18030", 0, "\xFF", 1},
        {"big5.txt", "BIG5", 0, "\xFF", 1},
        {"utf16le-bom.txt", "UTF-16LE", 2, "\x00\xD8", 2},         /* lone high surrogate */
        {"utf16be-bom.txt", "UTF-16BE", 2, "\xDC\x00", 2},         /* lone low surrogate */
        {"utf32le-bom.txt", "UTF-32LE", 4, "\x00\x00\x11\x00", 4}, /* past U+10FFFF */
    };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        buf = fixture(files[i].file, &len);
        /* bad: the bad sequence spliced in at offset 100 (a code-unit boundary for UTF-16/32,
         * inside a character for GB18030) and at the end, then 4 good bytes, then one stray
         * byte that is cut off at the end. */
        size_t bl = files[i].bad_len;
        unsigned char *bad = malloc(len + 2 * bl + 5);
        size_t n = 0;
        memcpy(bad, buf, 100);
        n = 100;
        memcpy(bad + n, files[i].bad, bl);
        n += bl;
        memcpy(bad + n, buf + 100, len - 100);
        n += len - 100;
        memcpy(bad + n, files[i].bad, bl);
        n += bl;
        memcpy(bad + n, buf + files[i].skip, 4);
        n += 4;
        bad[n++] = 0x81;
        assert_split_independent(files[i].enc, buf + files[i].skip, len - files[i].skip);
        assert_split_independent(files[i].enc, bad + files[i].skip, n - files[i].skip);
        assert_split_independent(files[i].enc, buf + files[i].skip, len - files[i].skip - 1);
        struct result r;
        decode(files[i].enc, bad + files[i].skip, n - files[i].skip, 0, files[i].skip, &r);
        if (r.invalid < 3)
            fail_msg("%s: %zu invalid sequences in the spliced input, expected >= 3", files[i].enc,
                     r.invalid);
        sbuf_release(&r.out);
        free(bad);
        free(buf);
    }
}

static void test_unknown_encoding(void **state)
{
    (void)state;
    struct decoder d;
    struct tifa_err e;
    tifa_err_init(&e);
    assert_int_equal(decoder_init(&d, "NO-SUCH-ENCODING-42", 0, &e), TIFA_EUSAGE);
    assert_int_equal(e.code, TIFA_EUSAGE);
    assert_string_equal(e.msg, "unknown encoding 'NO-SUCH-ENCODING-42'");
    assert_string_equal(e.path, "");
    decoder_release(&d);

    /* Known names in any case. */
    tifa_err_init(&e);
    assert_int_equal(decoder_init(&d, "utf-8", 0, &e), 0);
    assert_true(d.is_utf8);
    decoder_release(&d);
    assert_int_equal(decoder_init(&d, "gb18030", 0, &e), 0);
    assert_false(d.is_utf8);
    decoder_release(&d);
    assert_int_equal(e.code, 0);
}

static void test_empty_input(void **state)
{
    (void)state;
    static const char *const encs[] = {"UTF-8", "GB18030", "BIG5", "UTF-16LE"};
    for (size_t i = 0; i < 4; i++) {
        struct decoder d;
        struct tifa_err e;
        struct sbuf out = SBUF_INIT;
        tifa_err_init(&e);
        assert_int_equal(decoder_init(&d, encs[i], 3, &e), 0);
        assert_int_equal(decoder_feed(&d, (const unsigned char *)"", 0, 0, &out), 0);
        assert_int_equal(decoder_feed(&d, (const unsigned char *)"", 0, 1, &out), 0);
        assert_int_equal(out.len, 0);
        assert_string_equal(out.buf, "");
        assert_int_equal(d.invalid, 0);
        assert_int_equal(d.first_invalid_off, -1);
        assert_int_equal(d.in_off, 3);
        decoder_release(&d);
        sbuf_release(&out);
    }
}

/* Output is appended: existing content of the sbuf is kept. */
static void test_decode_appends(void **state)
{
    (void)state;
    struct decoder d;
    struct tifa_err e;
    struct sbuf out = SBUF_INIT;
    tifa_err_init(&e);
    sbuf_addstr(&out, "prefix:");
    assert_int_equal(decoder_init(&d, "GB18030", 0, &e), 0);
    assert_int_equal(decoder_feed(&d, (const unsigned char *)"\xD6\xD0", 2, 1, &out), 0);
    assert_string_equal(out.buf, "prefix:中");
    decoder_release(&d);
    assert_int_equal(decoder_init(&d, "UTF-8", 0, &e), 0);
    assert_int_equal(decoder_feed(&d, (const unsigned char *)"\xE4", 1, 0, &out), 0);
    assert_string_equal(out.buf, "prefix:中"); /* held back */
    assert_int_equal(d.ncarry, 1);
    assert_int_equal(decoder_feed(&d, (const unsigned char *)"\xB8\xAD", 2, 1, &out), 0);
    assert_string_equal(out.buf, "prefix:中中");
    assert_int_equal(d.invalid, 0);
    decoder_release(&d);
    sbuf_release(&out);
}

/*
 * Markus Kuhn's UTF-8 stress test, the authentic file (see ../shared/testdata/README.md: 22,781
 * bytes with its malformed sections). Detection reads it as UTF-8 with errors (not GB18030);
 * decoding gives one U+FFFD per maximal ill-formed
 * subsequence: 378, plus the one U+FFFD the file spells itself, in 22,591 code points (what
 * Python's bytes.decode("utf-8", "replace") gives, which follows the same W3C/Unicode practice),
 * the same in pieces. Then single lines: the bytes between the quotes on the lines of sections 4
 * and 5 must be the bytes their hex spells ("4.3.1  U+0000 = c0 80 = "..."|"), and each gives
 * the number of U+FFFD worked out by hand with the maximal-subpart rule (C0, C1 and F5..FF are
 * never lead bytes; after E0 only A0..BF, after ED only 80..9F, after F0 only 90..BF may follow;
 * every other byte that does not fit ends the subpart and a stray continuation byte is one
 * sequence by itself).
 */
/*
 * Mostly ASCII with malformed pairs that GB18030 would read as rare Han characters, cheaper
 * than two invalid sequences each: 16 valid 3- and 4-byte sequences against 120 invalid ones
 * decide for UTF-8 with errors; 15 do not (the cost comparison picks GB18030 then).
 */
static void test_detect_utf8_with_errors_not_chinese(void **state)
{
    (void)state;
    for (int nlong = 15; nlong <= 16; nlong++) {
        struct sbuf s = SBUF_INIT;
        for (int i = 0; i < 30; i++) /* two malformed pairs a line, each 2 invalid */
            sbuf_addstr(&s, "overlong slash: \xC0\xAF = \"\xC0\xAF\"\n");
        for (int i = 0; i < nlong; i++)
            sbuf_addstr(&s, i % 2 ? "arrow \xE2\x86\x92\n" : "clef \xF0\x9D\x84\x9E\n");
        assert_detect((const unsigned char *)s.buf, s.len, 1, nlong == 16 ? "UTF-8" : "GB18030", 0);
        sbuf_release(&s);
    }
}

static void test_kuhn_stress(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = read_file(KUHN_PATH, &len);
    if (!buf) {
        print_message("skipped: %s is absent\n", KUHN_PATH);
        skip();
    }
    assert_int_equal(len, 22781);
    assert_detect(buf, len, 1, "UTF-8", 0);
    struct result r;
    for (size_t chunk = 0; chunk <= 4096; chunk += 4096) {
        decode("UTF-8", buf, len, chunk, 0, &r);
        assert_int_equal(r.invalid, 378);
        assert_int_equal(count_fffd(r.out.buf, r.out.len), 379);
        assert_int_equal(count_code_points(r.out.buf, r.out.len), 22591);
        /* the first malformed bytes: 2.1.5's five-byte form F8 88 80 80 80 */
        assert_int_equal(r.first_invalid_off, 4461);
        assert_memory_equal(buf + 4461, "\xF8\x88\x80\x80\x80", 5);
        sbuf_release(&r.out);
    }

    static const struct {
        const char *label;
        size_t nbytes, ffffd;
    } facts[] = {
        {"4.1.1 ", 2, 2}, /* c0 af: C0 never leads, AF stray */
        {"4.1.2 ", 3, 3}, /* e0 80 af: 80 is below A0 after E0 */
        {"4.1.3 ", 4, 4}, /* f0 80 80 af: 80 is below 90 after F0 */
        {"4.1.5 ", 6, 6}, /* fc ...: FC never leads, five stray continuations */
        {"4.2.1 ", 2, 2}, /* c1 bf */
        {"4.2.2 ", 3, 3}, /* e0 9f bf */
        {"4.2.3 ", 4, 4}, /* f0 8f bf bf */
        {"4.3.1 ", 2, 2}, /* c0 80 */
        {"4.3.4 ", 5, 5}, /* f8 80 80 80 80 */
        {"5.1.1 ", 3, 3}, /* ed a0 80: A0 is above 9F after ED */
        {"5.1.7 ", 3, 3}, /* ed bf bf */
        {"5.2.1 ", 6, 6}, /* ed a0 80 ed b0 80 */
        {"5.2.8 ", 6, 6}, /* ed af bf ed bf bf */
        {"5.3.1 ", 3, 0}, /* ef bf be: U+FFFE is a noncharacter but valid */
        {"5.3.2 ", 3, 0}, /* ef bf bf: U+FFFF likewise */
    };
    size_t checked = 0;
    for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
        /* Find the line, then the hex bytes between the first and second " = ". */
        const char *line = NULL;
        for (size_t p = 0; p + strlen(facts[i].label) <= len; p++)
            if ((p == 0 || buf[p - 1] == '\n') &&
                !memcmp(buf + p, facts[i].label, strlen(facts[i].label))) {
                line = (const char *)buf + p;
                break;
            }
        if (!line)
            fail_msg("line %s not found in %s", facts[i].label, KUHN_PATH);
        const char *eq = strstr(line, " = ");
        assert_non_null(eq);
        unsigned char seq[16];
        size_t n = 0;
        const char *q = eq + 3;
        unsigned v;
        int used;
        while (n < sizeof(seq) && sscanf(q, " %2x%n", &v, &used) == 1 && q[used - 1] != '=') {
            seq[n++] = (unsigned char)v;
            q += used;
        }
        assert_int_equal(n, facts[i].nbytes);
        /* the authentic file has the bytes themselves between the quotes after the hex */
        const char *quote = strchr(q, '"');
        assert_non_null(quote);
        assert_memory_equal(quote + 1, seq, n);
        assert_int_equal(quote[1 + n], '"');
        decode("UTF-8", seq, n, 0, 0, &r);
        if (r.invalid != facts[i].ffffd || count_fffd(r.out.buf, r.out.len) != facts[i].ffffd)
            fail_msg("%s: %zu invalid, expected %zu", facts[i].label, r.invalid, facts[i].ffffd);
        if (!facts[i].ffffd)
            assert_memory_equal(r.out.buf, seq, n);
        else
            assert_int_equal(r.first_invalid_off, 0);
        sbuf_release(&r.out);
        checked++;
    }
    assert_int_equal(checked, sizeof(facts) / sizeof(facts[0]));
    free(buf);
}

/* Sections 3.1-3.5 of the stress test have no hex on their lines: rebuilt by hand here. */
static void test_kuhn_sections_3(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        const char *in;
        size_t len, ffffd;
    } cases[] = {
        {"3.1.1 first continuation byte", "\x80", 1, 1},
        {"3.1.8 7 continuation bytes", "\x80\xbf\x80\xbf\x80\xbf\x80", 7, 7},
        {"3.3.1 C0 alone", "\xc0", 1, 1},
        {"3.3.2 E0 80 (80 not allowed after E0)", "\xe0\x80", 2, 2},
        {"3.3.6 DF (last byte missing)", "\xdf", 1, 1},
        {"3.3.7 EF BF (last byte missing)", "\xef\xbf", 2, 1},
        {"3.3.8 F7 BF BF", "\xf7\xbf\xbf", 3, 3},
        {"3.4 all of 3.3 concatenated",
         "\xc0\xe0\x80\xf0\x80\x80\xf8\x80\x80\x80\xfc\x80\x80\x80\x80\xdf\xef\xbf\xf7\xbf\xbf"
         "\xfb\xbf\xbf\xbf\xfd\xbf\xbf\xbf\xbf",
         30, 29},
        {"3.5.3 fe fe ff ff", "\xfe\xfe\xff\xff", 4, 4},
        {"3.2.2 E0..EF each + space",
         "\xe0 \xe1 \xe2 \xe3 \xe4 \xe5 \xe6 \xe7 \xe8 \xe9 \xea \xeb \xec \xed \xee \xef ", 32,
         16},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (size_t chunk = 0; chunk <= 1; chunk++) {
            struct result r;
            decode("UTF-8", (const unsigned char *)cases[i].in, cases[i].len, chunk, 0, &r);
            if (r.invalid != cases[i].ffffd || count_fffd(r.out.buf, r.out.len) != cases[i].ffffd)
                fail_msg("%s: %zu invalid, expected %zu", cases[i].what, r.invalid, cases[i].ffffd);
            sbuf_release(&r.out);
        }
    }
}

/* A long ASCII + CJK mix exercises the fast paths: output must equal input, byte for byte. */
static void test_fast_path_matches_reference(void **state)
{
    (void)state;
    unsigned char buf[4096];
    unsigned x = 12345;
    static const char *const atoms[] = {
        "中",           "a",    "\n",           "，",      "é", "😀", "\xE0\xA4\x85",
        "\xED\x9F\xBF", "\x80", "\xED\xA0\x80", "\xE0\x80"};
    for (int round = 0; round < 200; round++) {
        size_t n = 0;
        while (n + 8 < sizeof(buf)) {
            x = x * 1103515245u + 12345u;
            unsigned k = (x >> 16) % 100;
            /* mostly CJK and ASCII runs, sometimes anything (including invalid atoms) */
            const char *a = k < 60 ? atoms[0] : k < 90 ? atoms[1] : atoms[(x >> 8) % 11];
            if (round % 2 == 0 && (a == atoms[8] || a == atoms[9] || a == atoms[10]))
                a = atoms[3];
            memcpy(buf + n, a, strlen(a));
            n += strlen(a);
        }
        struct result r;
        decode("UTF-8", buf, n, 0, 0, &r);
        /* Reference: utf8_decode one code point at a time. */
        size_t ref_invalid = 0;
        struct sbuf ref = SBUF_INIT;
        for (size_t i = 0; i < n;) {
            uint32_t cp;
            int bad;
            size_t k = utf8_decode(buf + i, n - i, &cp, &bad);
            if (bad) {
                ref_invalid++;
                sbuf_add(&ref, "\xEF\xBF\xBD", 3);
            } else {
                sbuf_add(&ref, buf + i, k);
            }
            i += k;
        }
        assert_int_equal(r.invalid, ref_invalid);
        assert_int_equal(r.out.len, ref.len);
        assert_memory_equal(r.out.buf, ref.buf, ref.len);
        if (round % 2 == 0)
            assert_int_equal(r.invalid, 0);
        sbuf_release(&ref);
        sbuf_release(&r.out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect_bom),
        cmocka_unit_test(test_detect_utf16_without_bom),
        cmocka_unit_test(test_detect_utf8),
        cmocka_unit_test(test_detect_utf8_corrupt),
        cmocka_unit_test(test_detect_gb18030),
        cmocka_unit_test(test_detect_big5),
        cmocka_unit_test(test_detect_needs_frequencies),
        cmocka_unit_test(test_detect_corpus_gbk),
        cmocka_unit_test(test_decode_fixtures),
        cmocka_unit_test(test_decode_utf8_corrupt),
        cmocka_unit_test(test_decode_invalid),
        cmocka_unit_test(test_split_independence),
        cmocka_unit_test(test_unknown_encoding),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_decode_appends),
        cmocka_unit_test(test_detect_utf8_with_errors_not_chinese),
        cmocka_unit_test(test_kuhn_stress),
        cmocka_unit_test(test_kuhn_sections_3),
        cmocka_unit_test(test_fast_path_matches_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
