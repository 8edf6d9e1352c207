/* Unit tests for ac: targeted cases for the text model, and a differential test against a
 * naive matcher on random lexicons and texts, in both semantics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/ac.h"
#include "tifa/sbuf.h"
#include "tifa/xalloc.h"

struct collect {
    struct sbuf out; /* "term:start-end;" per match */
    size_t n;
};

static void on_match(const struct ac_match *m, void *arg)
{
    struct collect *c = arg;
    sbuf_addf(&c->out, "%u:%llu-%llu;", m->term_id, (unsigned long long)m->start_off,
              (unsigned long long)m->end_off);
    c->n++;
}

/* The algorithms: AC_LEFTMOST_LONGEST (the DFA with restarts, the default for short patterns),
 * AC_OVERLAPPING, and leftmost-longest by pending candidates (the one for long patterns). */
#define LL_CANDIDATES 2

/* Scans @text (optionally in pieces of @piece bytes, on code-point boundaries) with @algo and
 * returns the match list as a string the caller frees. */
static char *scan(const char *const *terms, size_t nterms, const char *text, int algo, size_t piece,
                  size_t dense_budget)
{
    struct ac_pattern pats[64];
    struct ac *ac;
    struct tifa_err e;
    struct ac_build_opts opts = {dense_budget,
                                 algo == AC_OVERLAPPING ? AC_OVERLAPPING : AC_LEFTMOST_LONGEST,
                                 algo == LL_CANDIDATES ? 1 : 0};
    tifa_err_init(&e);
    for (size_t i = 0; i < nterms; i++) {
        pats[i].text = terms[i];
        pats[i].term_id = (uint32_t)i;
    }
    assert_int_equal(ac_build(&ac, pats, nterms, &opts, &e), 0);
    struct collect c = {SBUF_INIT, 0};
    struct ac_scanner sc;
    ac_scanner_init(&sc, ac, on_match, &c);
    size_t len = strlen(text), i = 0;
    if (!piece)
        piece = len ? len : 1;
    while (i < len) {
        size_t n = len - i < piece ? len - i : piece;
        while (i + n < len && ((unsigned char)text[i + n] & 0xC0) == 0x80)
            n++;
        ac_scan(&sc, text + i, n);
        i += n;
    }
    ac_scan_finish(&sc);
    ac_scanner_release(&sc);
    ac_free(ac);
    return sbuf_detach(&c.out, NULL);
}

static void expect_scan(const char *const *terms, size_t nterms, const char *text, int algo,
                        size_t piece, size_t dense_budget, const char *want)
{
    char *got = scan(terms, nterms, text, algo, piece, dense_budget);
    assert_string_equal(got, want);
    free(got);
}

#define NTERMS(terms) (sizeof(terms) / sizeof(terms[0]))

/* Leftmost-longest cases run with both algorithms, whole and in pieces of 1 to 3 bytes. */
#define EXPECT(terms, text, mode, want)                                                            \
    for (size_t piece_ = 0; piece_ < ((mode) == AC_LEFTMOST_LONGEST ? 8 : 4); piece_++)            \
    expect_scan(terms, NTERMS(terms), text, piece_ >= 4 ? LL_CANDIDATES : (mode), piece_ % 4, 0,   \
                want)

static void test_leftmost_longest(void **state)
{
    (void)state;
    static const char *const t[] = {"六个必须", "六个必须坚持", "必须坚持"};
    /* 六个必须坚持 is one match, never also 六个必须 or 必须坚持 (3 bytes a character) */
    EXPECT(t, "六个必须坚持", AC_LEFTMOST_LONGEST, "1:0-18;");
    EXPECT(t, "六个必须坚", AC_LEFTMOST_LONGEST, "0:0-12;");
    EXPECT(t, "六个必须坚持", AC_OVERLAPPING, "0:0-12;1:0-18;2:6-18;");
    static const char *const u[] = {"abcd", "b", "cx"};
    /* the longer attempt fails; the leftmost shorter match is still found */
    EXPECT(u, "abce", AC_LEFTMOST_LONGEST, "1:1-2;");
    EXPECT(u, "abcx", AC_LEFTMOST_LONGEST, "1:1-2;2:2-4;");
    static const char *const v[] = {"ab", "cd", "abcdefg"};
    EXPECT(v, "abcdx", AC_LEFTMOST_LONGEST, "0:0-2;1:2-4;");
    EXPECT(v, "abcdefg", AC_LEFTMOST_LONGEST, "2:0-7;");
    /* DEAD transitions: a suffix output found on the way is the match when the longer attempt
     * dies; after a match the search restarts on the characters already read (here twice),
     * also at a blank line and at the end of the text; a match never starts inside the last */
    static const char *const w[] = {"abcd", "bc", "abcdef", "abc", "cdx", "d", "c"};
    EXPECT(w, "abcx", AC_LEFTMOST_LONGEST, "3:0-3;");
    EXPECT(w, "xbcx", AC_LEFTMOST_LONGEST, "1:1-3;");
    EXPECT(w, "abcdx", AC_LEFTMOST_LONGEST, "0:0-4;");
    EXPECT(w, "abcdex", AC_LEFTMOST_LONGEST, "0:0-4;");
    EXPECT(w, "abcdxbcd", AC_LEFTMOST_LONGEST, "0:0-4;1:5-7;5:7-8;");
    EXPECT(w, "xabc\n\nd", AC_LEFTMOST_LONGEST, "3:1-4;5:6-7;");
    EXPECT(w, "xbcd", AC_LEFTMOST_LONGEST, "1:1-3;5:3-4;");
    static const char *const x[] = {"abcd", "ab", "c"};
    EXPECT(x, "abc\n\nx", AC_LEFTMOST_LONGEST, "1:0-2;2:2-3;");
    EXPECT(x, "abc", AC_LEFTMOST_LONGEST, "1:0-2;2:2-3;");
}

/* The DFA with all states dense (budget 0 here) and with only the root dense (1 byte). */
#define EXPECT_DFA(terms, text, want)                                                              \
    for (size_t budget_ = 0; budget_ < 2; budget_++)                                               \
    expect_scan(terms, NTERMS(terms), text, AC_LEFTMOST_LONGEST, 0, budget_, want)

/* MATCH words: a step that kills the state reports its best match and goes on in the state the
 * restarted search reaches on the characters read since the match, when that restart reports
 * nothing itself; otherwise the step is DEAD and the restart runs. */
static void test_match_words(void **state)
{
    (void)state;
    /* nothing read since the match: on in the root's successor, which starts the next match */
    static const char *const a[] = {"ab", "abc", "bd"};
    EXPECT_DFA(a, "abbd", "0:0-2;2:2-4;");
    EXPECT_DFA(a, "abxab", "0:0-2;0:3-5;");
    /* one character read since the match ("c" of the longer attempt abcd): on in state c */
    static const char *const b[] = {"ab", "abcd", "ce"};
    EXPECT_DFA(b, "abce", "0:0-2;2:2-4;");
    EXPECT_DFA(b, "abcx", "0:0-2;");
    /* the restart would report c itself: a DEAD step and the restart */
    static const char *const c[] = {"ab", "abcd", "c"};
    EXPECT_DFA(c, "abcx", "0:0-2;2:2-3;");
    /* ... or on the way over the characters since the match (c, reported at d) */
    static const char *const e[] = {"ab", "abcde", "c"};
    EXPECT_DFA(e, "abcdx", "0:0-2;2:2-3;");
    /* a failure chain that keeps the match (abc -> bc) into a state that dies */
    static const char *const d[] = {"abcd", "bc", "bce"};
    EXPECT_DFA(d, "abcx", "1:1-3;");
    EXPECT_DFA(d, "abcex", "2:1-4;");
}

/* Which scan a lexicon gets: the DFA up to 64 characters a pattern (or dfa_maxlen), the
 * linear candidate scan beyond (see src/ac_internal.h, Semantics). */
static const char *scan_for(const char *longest, enum ac_mode mode, size_t dfa_maxlen)
{
    struct ac_pattern pats[2] = {{"四个意识", 0}, {longest, 1}};
    struct ac_build_opts opts = {0, mode, dfa_maxlen};
    struct ac *ac;
    struct tifa_err e;
    tifa_err_init(&e);
    assert_int_equal(ac_build(&ac, pats, 2, &opts, &e), 0);
    const char *name = ac_scan_name(ac);
    ac_free(ac);
    return name;
}

static void test_scan_choice(void **state)
{
    (void)state;
    char s64[65], s65[66];
    memset(s64, 'a', 64);
    s64[64] = 0;
    memset(s65, 'a', 65);
    s65[65] = 0;
    assert_string_equal(scan_for(s64, AC_LEFTMOST_LONGEST, 0), "leftmost-longest DFA");
    assert_string_equal(scan_for(s65, AC_LEFTMOST_LONGEST, 0), "leftmost-longest candidates");
    assert_string_equal(scan_for(s65, AC_LEFTMOST_LONGEST, 65), "leftmost-longest DFA");
    assert_string_equal(scan_for("ab", AC_LEFTMOST_LONGEST, 3), "leftmost-longest candidates");
    assert_string_equal(scan_for(s65, AC_OVERLAPPING, 0), "overlapping");
}

static void test_whitespace_and_lines(void **state)
{
    (void)state;
    static const char *const t[] = {"四个意识", "四个要看、四个更要看", "g20"};
    EXPECT(t, "四个\n意识", AC_LEFTMOST_LONGEST, "0:0-13;");
    EXPECT(t, "四个 意识", AC_LEFTMOST_LONGEST, "0:0-13;");
    EXPECT(t, "四个\r\n意识", AC_LEFTMOST_LONGEST, "0:0-14;");
    EXPECT(t, "四个\u3000意识", AC_LEFTMOST_LONGEST, "0:0-15;");
    /* a blank line always breaks a match */
    EXPECT(t, "四个\n\n意识", AC_LEFTMOST_LONGEST, "");
    EXPECT(t, "四个\r\n \r\n意识", AC_LEFTMOST_LONGEST, "");
    EXPECT(t, "四个\r\r意识", AC_LEFTMOST_LONGEST, "");
    EXPECT(t, "四个要看、\n四个更要看", AC_LEFTMOST_LONGEST, "1:0-31;");
    /* zero-width characters are invisible, full-width and upper-case ASCII fold */
    EXPECT(t, "四个\u200b意识", AC_LEFTMOST_LONGEST, "0:0-15;");
    EXPECT(t, "Ｇ２０ and G20", AC_LEFTMOST_LONGEST, "2:0-9;2:14-17;");
}

/* Issue 15: official text quotes the core of a formula; the quotation marks are skipped inside a
 * match as white space is, and a match starts at its first character, not at the quote. */
static void test_quotes_inside(void **state)
{
    (void)state;
    static const char *const t[] = {"两弹一星精神", "六稳六保", "“三个代表”重要思想", "四个意识"};
    EXPECT(t, "“两弹一星”精神", AC_LEFTMOST_LONGEST, "0:3-24;");
    EXPECT(t, "“六稳”“六保”", AC_LEFTMOST_LONGEST, "1:3-21;");
    EXPECT(t, "「六稳」『六保』", AC_LEFTMOST_LONGEST, "1:3-21;");
    EXPECT(t, "\"六稳\"＂六保＂", AC_LEFTMOST_LONGEST, "1:1-17;");
    /* a pattern written with quotes is the same pattern */
    EXPECT(t, "三个代表重要思想", AC_LEFTMOST_LONGEST, "2:0-24;");
    EXPECT(t, "‘四个意识’", AC_LEFTMOST_LONGEST, "3:3-15;");
    /* book-title marks are not skipped: a title is a name */
    EXPECT(t, "《六稳》《六保》", AC_LEFTMOST_LONGEST, "");
    EXPECT(t, "“六稳”\n\n“六保”", AC_LEFTMOST_LONGEST, "");
}

static void test_space_between_alnum(void **state)
{
    (void)state;
    static const char *const t[] = {"ab", "a b", "g20"};
    /* white space between two letters counts as one space */
    EXPECT(t, "a  b", AC_LEFTMOST_LONGEST, "1:0-4;");
    EXPECT(t, "a\nb", AC_LEFTMOST_LONGEST, "1:0-3;");
    EXPECT(t, "ab", AC_LEFTMOST_LONGEST, "0:0-2;");
    EXPECT(t, "g 20", AC_LEFTMOST_LONGEST, "");
    EXPECT(t, "G20", AC_LEFTMOST_LONGEST, "2:0-3;");
}

static void test_compat_ideograph(void **state)
{
    (void)state;
    /* U+F967 is a compatibility form of 不 (U+4E0D) */
    static const char *const t[] = {"不忘初心"};
    EXPECT(t, "\uf967忘初心", AC_LEFTMOST_LONGEST, "0:0-12;");
}

/* ---- differential test against a naive matcher ---- */

static uint64_t rng_state = 88172645463325252ULL;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static const char *const alphabet[] = {"四", "个", "意", "识", "a", "b", "两"};

static void naive(char **terms, size_t nt, const char *text, enum ac_mode mode, struct sbuf *out)
{
    size_t len = strlen(text);
    if (mode == AC_OVERLAPPING) {
        /* every occurrence, ordered by end, then longest first, then pattern order */
        for (size_t end = 1; end <= len; end++)
            for (size_t l = end; l > 0; l--)
                for (size_t p = 0; p < nt; p++) {
                    if (strlen(terms[p]) == l && !memcmp(text + end - l, terms[p], l))
                        sbuf_addf(out, "%zu:%zu-%zu;", p, end - l, end);
                }
        return;
    }
    size_t i = 0;
    while (i < len) {
        size_t best = 0, bp = 0;
        for (size_t p = 0; p < nt; p++) {
            size_t l = strlen(terms[p]);
            if (l > best && i + l <= len && !memcmp(text + i, terms[p], l)) {
                best = l;
                bp = p;
            }
        }
        if (best) {
            sbuf_addf(out, "%zu:%zu-%zu;", bp, i, i + best);
            i += best;
        } else {
            i++;
            while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
                i++;
        }
    }
}

static void test_differential(void **state)
{
    (void)state;
    for (int round = 0; round < 3000; round++) {
        size_t nt = 1 + rnd(8);
        char *terms[8];
        for (size_t k = 0; k < nt; k++) {
            struct sbuf t = SBUF_INIT;
            size_t l = 1 + rnd(5);
            for (size_t j = 0; j < l; j++)
                sbuf_addstr(&t, alphabet[rnd(7)]);
            /* distinct terms only (equal patterns are a documented special case) */
            int dup = 0;
            for (size_t q = 0; q < k; q++)
                dup |= !strcmp(terms[q], t.buf);
            if (dup)
                sbuf_addstr(&t, "识意四");
            terms[k] = sbuf_detach(&t, NULL);
        }
        struct sbuf text = SBUF_INIT;
        size_t tl = rnd(40);
        for (size_t j = 0; j < tl; j++)
            sbuf_addstr(&text, alphabet[rnd(7)]);
        for (int mode = 0; mode < 3; mode++) {
            struct sbuf want = SBUF_INIT;
            naive(terms, nt, text.buf,
                  mode == AC_OVERLAPPING ? AC_OVERLAPPING : AC_LEFTMOST_LONGEST, &want);
            /* small dense budgets force the sparse path and mixed tables */
            size_t budget = round % 3 == 0 ? 1 : round % 3 == 1 ? 64 : 0;
            char *got = scan((const char *const *)terms, nt, text.buf, mode, round % 5, budget);
            if (strcmp(got, want.buf)) {
                for (size_t k = 0; k < nt; k++)
                    print_message("term %zu: %s\n", k, terms[k]);
                print_message("text: %s\nmode %d\n", text.buf, mode);
            }
            assert_string_equal(got, want.buf);
            free(got);
            sbuf_release(&want);
        }
        sbuf_release(&text);
        for (size_t k = 0; k < nt; k++)
            free(terms[k]);
    }
}

/* Pieces against the whole text, on texts with white space, line breaks and zero-width
 * characters: the white-space state (a run in progress, the last significant character being a
 * letter or digit) crosses piece borders in the scanner; fuzz_ac checks the whole against a
 * naive matcher. */
static const char *const ws_alphabet[] = {"四", "个", "意",   "识",     "a",    "b", "两",
                                          " ",  "\n", "\r\n", "\u200b", "\n\n", "\r"};

static void test_pieces_whitespace(void **state)
{
    (void)state;
    for (int round = 0; round < 3000; round++) {
        size_t nt = 1 + rnd(8);
        char *terms[8];
        for (size_t k = 0; k < nt; k++) {
            struct sbuf t = SBUF_INIT;
            size_t l = 1 + rnd(4);
            for (size_t j = 0; j < l; j++)
                sbuf_addstr(&t, alphabet[rnd(7)]);
            if (l > 1 && rnd(4) == 0)
                sbuf_addstr(&t, " b");
            terms[k] = sbuf_detach(&t, NULL);
        }
        struct sbuf text = SBUF_INIT;
        size_t tl = rnd(80);
        for (size_t j = 0; j < tl; j++)
            sbuf_addstr(&text, ws_alphabet[rnd(rnd(3) ? 7 : 13)]);
        /* pieces against the whole text; the candidates (in pieces) against the DFA (whole) */
        for (int mode = 0; mode < 3; mode++) {
            size_t budget = round % 3 == 0 ? 1 : round % 3 == 1 ? 64 : 0;
            char *want = scan((const char *const *)terms, nt, text.buf,
                              mode == LL_CANDIDATES ? AC_LEFTMOST_LONGEST : mode, 0, budget);
            char *got = scan((const char *const *)terms, nt, text.buf, mode, 1 + round % 7, budget);
            if (strcmp(got, want)) {
                for (size_t k = 0; k < nt; k++)
                    print_message("term %zu: %s\n", k, terms[k]);
                print_message("text: %s\nmode %d\n", text.buf, mode);
            }
            assert_string_equal(got, want);
            free(got);
            free(want);
        }
        sbuf_release(&text);
        for (size_t k = 0; k < nt; k++)
            free(terms[k]);
    }
}

static void test_stats_and_errors(void **state)
{
    (void)state;
    static const struct ac_pattern p[] = {{"两个维护", 7}, {"", 8}};
    struct ac *ac;
    struct tifa_err e;
    tifa_err_init(&e);
    assert_int_equal(ac_build(&ac, p, 2, NULL, &e), TIFA_EDATA);
    assert_string_equal(e.msg, "pattern 2: empty after normalization");
    tifa_err_init(&e);
    assert_int_equal(ac_build(&ac, p, 1, NULL, &e), 0);
    struct collect c = {SBUF_INIT, 0};
    struct ac_scanner sc;
    ac_scanner_init(&sc, ac, on_match, &c);
    const char *text = "做到两个维护。Ab 1\n𠀀";
    ac_scan(&sc, text, strlen(text));
    ac_scan_finish(&sc);
    assert_int_equal(c.n, 1);
    assert_int_equal(sc.stats.bytes, strlen(text));
    assert_int_equal(sc.stats.chars, 13);
    assert_int_equal(sc.stats.han, 7); /* 做到两个维护 and U+20000 */
    ac_scanner_release(&sc);
    sbuf_release(&c.out);
    ac_free(ac);
}

/* Every CJK unified ideograph (Extension A and the main block) counts as Han and is not
 * dropped or treated as white space, and U+A000..U+F8FF is none of these: ac_build fills these
 * ranges without normalize.c. */
static void test_han_ranges(void **state)
{
    (void)state;
    static const struct ac_pattern p[] = {{"两个维护", 7}};
    struct ac *ac;
    struct tifa_err e;
    tifa_err_init(&e);
    assert_int_equal(ac_build(&ac, p, 1, NULL, &e), 0);
    struct collect c = {SBUF_INIT, 0};
    struct ac_scanner sc;
    ac_scanner_init(&sc, ac, on_match, &c);
    struct sbuf text = SBUF_INIT;
    char buf[8];
    for (uint32_t cp = 0x33FF; cp <= 0xA000; cp++) {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        sbuf_add(&text, buf, 3);
    }
    ac_scan(&sc, text.buf, text.len);
    ac_scan_finish(&sc);
    assert_int_equal(sc.stats.chars, 0xA000 - 0x33FF + 1);
    /* U+33FF and U+4DC0..U+4DFF (Yijing hexagrams) and U+A000 are not Han */
    assert_int_equal(sc.stats.han, (0x4DC0 - 0x3400) + (0xA000 - 0x4E00));
    assert_int_equal(c.n, 0);
    /* U+A000..U+F8FF, also filled without normalize.c, is nothing: not Han, and not white
     * space or dropped (两 X 个 would then match 两个) */
    ac_scanner_reset(&sc);
    sbuf_reset(&text);
    size_t n = 0;
    for (uint32_t cp = 0xA000; cp < 0xF900; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        sbuf_addstr(&text, "两");
        sbuf_add(&text, buf, 3);
        sbuf_addstr(&text, "个");
        n++;
    }
    sbuf_addstr(&text, "两个维护");
    ac_scan(&sc, text.buf, text.len);
    ac_scan_finish(&sc);
    assert_int_equal(sc.stats.chars, 3 * n + 4);
    assert_int_equal(sc.stats.han, 2 * n + 4);
    assert_int_equal(c.n, 1);
    ac_scanner_release(&sc);
    sbuf_release(&text);
    sbuf_release(&c.out);
    ac_free(ac);
}

/* Per-term counts of a scanner without offsets (two lanes per piece), for test_two_lanes. */
static void count_term(const struct ac_match *m, void *arg)
{
    size_t *counts = arg;
    assert_int_equal(m->start_off, 0);
    counts[m->term_id]++;
}

static void count_term_offsets(const struct ac_match *m, void *arg)
{
    size_t *counts = arg;
    counts[m->term_id]++;
}

/* ac_scanner_hits: counts per term from batches of pattern ids, each batch at most
 * AC_HITS_MAX. */
struct hits_ctx {
    const struct ac_pattern *pats;
    size_t *counts;
    size_t batches;
};

static void count_hits(const uint32_t *ids, size_t n, void *arg)
{
    struct hits_ctx *h = arg;
    assert_true(n >= 1 && n <= AC_HITS_MAX);
    for (size_t i = 0; i < n; i++)
        h->counts[h->pats[ids[i]].term_id]++;
    h->batches++;
}

/* A scanner without offsets scans long pieces as two lanes; per-term counts and statistics
 * must equal the one-lane scanner's, whatever the piece size: with matches, white space
 * between letters and blank lines cut by piece ends, and pieces that start inside a white-space
 * run or inside a match (the second lane's scanner takes them over). The same with matches in
 * batches of pattern ids (ac_scanner_hits), all handed over by ac_scan_finish; a reset drops a
 * document's batch not yet handed over. */
static void test_two_lanes(void **state)
{
    (void)state;
    static const struct ac_pattern p[] = {{"两个维护", 0}, {"四个意识", 1}, {"六个必须坚持", 2},
                                          {"必须坚持", 3}, {"ab cd", 4},    {"坚持", 5}};
    static const char *const parts[] = {"坚持两个维护和四个意识，",
                                        "六个必须坚持。",
                                        "ab \n cd",
                                        "六个必须坚",
                                        "\n\n持",
                                        "两个\n维护",
                                        "ab",
                                        "  ",
                                        "cd。",
                                        "好"};
    struct ac *ac;
    struct tifa_err e;
    tifa_err_init(&e);
    struct sbuf text = SBUF_INIT;
    unsigned seed = 7;
    while (text.len < 200000) {
        seed = seed * 1103515245u + 12345u;
        sbuf_addstr(&text, parts[(seed >> 16) % 10]);
    }
    static const size_t pieces[] = {997, 4099, 16384, 65537, 200000};
    for (size_t k = 0; k < 10; k++) {
        /* the DFA, then the candidates (both leftmost-longest algorithms) */
        struct ac_build_opts opts = {0, AC_LEFTMOST_LONGEST, k < 5 ? 0 : 1};
        assert_int_equal(ac_build(&ac, p, 6, &opts, &e), 0);
        size_t want[6] = {0}, got[6] = {0}, hit[6] = {0};
        struct hits_ctx h = {p, hit, 0};
        struct ac_scanner one, two, three;
        ac_scanner_init(&one, ac, count_term_offsets, want);
        ac_scanner_init(&two, ac, count_term, got);
        ac_scanner_no_offsets(&two);
        two.lanes_min = 64;
        ac_scanner_init(&three, ac, count_term, NULL); /* count_term must not be called */
        ac_scanner_hits(&three, count_hits, &h);
        three.lanes_min = 64;
        /* a document abandoned part-way: its batch is dropped by the reset */
        ac_scan(&three, "两个维护两个维护", strlen("两个维护两个维护"));
        ac_scanner_reset(&three);
        for (size_t i = 0, n; i < text.len; i += n) {
            n = text.len - i < pieces[k % 5] ? text.len - i : pieces[k % 5];
            while (i + n < text.len && ((unsigned char)text.buf[i + n] & 0xC0) == 0x80)
                n++;
            ac_scan(&one, text.buf + i, n);
            ac_scan(&two, text.buf + i, n);
            ac_scan(&three, text.buf + i, n);
        }
        ac_scan_finish(&one);
        ac_scan_finish(&two);
        ac_scan_finish(&three);
        for (int t = 0; t < 6; t++) {
            assert_int_equal(got[t], want[t]);
            assert_int_equal(hit[t], want[t]);
        }
        assert_true(h.batches > 1);
        assert_int_equal(three.stats.chars, one.stats.chars);
        assert_true(want[2] > 100 && want[4] > 100);
        assert_int_equal(two.stats.chars, one.stats.chars);
        assert_int_equal(two.stats.han, one.stats.han);
        assert_int_equal(two.stats.bytes, one.stats.bytes);
        ac_scanner_release(&one);
        ac_scanner_release(&two);
        ac_scanner_release(&three);
        ac_free(ac);
    }
    sbuf_release(&text);
}

/* Every match of a scanner with offsets, for test_two_lanes_offsets. */
struct lane_matches {
    struct ac_match *m;
    size_t n, alloc;
};

static void keep_match(const struct ac_match *m, void *arg)
{
    struct lane_matches *l = arg;
    ALLOC_GROW(l->m, l->n + 1, l->alloc);
    l->m[l->n++] = *m;
}

/* ac_scanner_placed_hits' batches, kept as ac_match records (term id 0) in the order given. */
static void keep_placed(const struct ac_placed_hit *h, size_t n, void *arg)
{
    struct lane_matches *l = arg;
    assert_true(n >= 1 && n <= AC_HITS_MAX);
    for (size_t i = 0; i < n; i++) {
        ALLOC_GROW(l->m, l->n + 1, l->alloc);
        l->m[l->n].term_id = 0;
        l->m[l->n].pattern_id = h[i].pattern_id;
        l->m[l->n].start_off = h[i].start_off;
        l->m[l->n++].end_off = h[i].end_off;
    }
}

static void never_called(const struct ac_match *m, void *arg)
{
    (void)m;
    (void)arg;
    fail_msg("a scanner with placed hits called its per-match function");
}

static int cmp_lane_match(const void *a, const void *b)
{
    const struct ac_match *x = a, *y = b;
    if (x->start_off != y->start_off)
        return x->start_off < y->start_off ? -1 : 1;
    if (x->end_off != y->end_off)
        return x->end_off < y->end_off ? -1 : 1;
    return x->pattern_id < y->pattern_id ? -1 : x->pattern_id > y->pattern_id;
}

/* ac_scanner_lanes: two lanes that keep the offsets report, once sorted, exactly the matches
 * of the one-lane scanner (pattern, start and end), and the same statistics, whatever the
 * piece size; for the three scans (overlapping, the DFA, candidates). So do the batches of
 * ac_scanner_placed_hits, on two lanes and on one, in the order the per-match calls come. */
static void test_two_lanes_offsets(void **state)
{
    (void)state;
    static const struct ac_pattern p[] = {{"两个维护", 0}, {"四个意识", 1}, {"六个必须坚持", 2},
                                          {"必须坚持", 3}, {"ab cd", 4},    {"坚持", 5}};
    static const char *const parts[] = {"坚持两个维护和四个意识，", "六个必须坚持。", "ab \n cd",
                                        "六个必须坚", "\n\n持", "两个\n维护", "ab", "  ",
                                        "cd。", "好"};
    struct tifa_err e;
    tifa_err_init(&e);
    struct sbuf text = SBUF_INIT;
    unsigned seed = 11;
    while (text.len < 200000) {
        seed = seed * 1103515245u + 12345u;
        sbuf_addstr(&text, parts[(seed >> 16) % 10]);
    }
    static const size_t pieces[] = {997, 16384, 65537, 200000};
    for (size_t k = 0; k < 12; k++) {
        struct ac_build_opts opts = {0, k < 4 ? AC_OVERLAPPING : AC_LEFTMOST_LONGEST, k >= 8};
        struct ac *ac;
        assert_int_equal(ac_build(&ac, p, 6, &opts, &e), 0);
        struct lane_matches want = {NULL, 0, 0}, got = {NULL, 0, 0}, placed = {NULL, 0, 0},
                            placed1 = {NULL, 0, 0};
        struct ac_scanner one, two, batched, batched1;
        ac_scanner_init(&one, ac, keep_match, &want);
        ac_scanner_init(&two, ac, keep_match, &got);
        ac_scanner_lanes(&two);
        two.lanes_min = 64;
        ac_scanner_init(&batched, ac, never_called, NULL);
        ac_scanner_lanes(&batched);
        ac_scanner_placed_hits(&batched, keep_placed, &placed);
        batched.lanes_min = 64;
        ac_scanner_init(&batched1, ac, never_called, NULL);
        ac_scanner_placed_hits(&batched1, keep_placed, &placed1);
        for (size_t i = 0, n; i < text.len; i += n) {
            n = text.len - i < pieces[k % 4] ? text.len - i : pieces[k % 4];
            while (i + n < text.len && ((unsigned char)text.buf[i + n] & 0xC0) == 0x80)
                n++;
            ac_scan(&one, text.buf + i, n);
            ac_scan(&two, text.buf + i, n);
            ac_scan(&batched, text.buf + i, n);
            ac_scan(&batched1, text.buf + i, n);
        }
        ac_scan_finish(&one);
        ac_scan_finish(&two);
        ac_scan_finish(&batched);
        ac_scan_finish(&batched1);
        assert_true(want.n > 1000);
        assert_int_equal(got.n, want.n);
        assert_int_equal(placed.n, want.n);
        assert_int_equal(placed1.n, want.n);
        for (size_t i = 0; i < want.n; i++) { /* one lane: the same matches in the same order */
            assert_int_equal(placed1.m[i].pattern_id, want.m[i].pattern_id);
            assert_int_equal(placed1.m[i].start_off, want.m[i].start_off);
            assert_int_equal(placed1.m[i].end_off, want.m[i].end_off);
        }
        qsort(placed.m, placed.n, sizeof(*placed.m), cmp_lane_match);
        qsort(want.m, want.n, sizeof(*want.m), cmp_lane_match);
        qsort(got.m, got.n, sizeof(*got.m), cmp_lane_match);
        for (size_t i = 0; i < want.n; i++) {
            assert_int_equal(got.m[i].pattern_id, want.m[i].pattern_id);
            assert_int_equal(got.m[i].start_off, want.m[i].start_off);
            assert_int_equal(got.m[i].end_off, want.m[i].end_off);
            assert_int_equal(placed.m[i].pattern_id, want.m[i].pattern_id);
            assert_int_equal(placed.m[i].start_off, want.m[i].start_off);
            assert_int_equal(placed.m[i].end_off, want.m[i].end_off);
        }
        assert_int_equal(two.stats.chars, one.stats.chars);
        assert_int_equal(two.stats.han, one.stats.han);
        assert_int_equal(two.stats.bytes, one.stats.bytes);
        assert_int_equal(batched.stats.chars, one.stats.chars);
        ac_scanner_release(&one);
        ac_scanner_release(&two);
        ac_scanner_release(&batched);
        ac_scanner_release(&batched1);
        free(want.m);
        free(got.m);
        free(placed.m);
        free(placed1.m);
        ac_free(ac);
    }
    sbuf_release(&text);
}

/* ac_cp_ends_matches: U+3002 ends every match unless a pattern holds it; white space, letters,
 * digits and dropped characters never do; a full-width form is asked as written. */
static void test_cp_ends_matches(void **state)
{
    (void)state;
    static const struct ac_pattern plain[] = {{"两个维护", 0}, {"ab", 1}};
    static const struct ac_pattern stop[] = {{"两个维护", 0}, {"好。", 1}};
    struct ac *ac;
    struct tifa_err e;
    tifa_err_init(&e);
    assert_int_equal(ac_build(&ac, plain, 2, NULL, &e), 0);
    assert_true(ac_cp_ends_matches(ac, 0x3002));
    assert_true(ac_cp_ends_matches(ac, 0xFF0C));  /* ， */
    assert_false(ac_cp_ends_matches(ac, 0x4E2A)); /* 个: in a pattern */
    assert_false(ac_cp_ends_matches(ac, ' '));
    assert_false(ac_cp_ends_matches(ac, '\n'));
    assert_false(ac_cp_ends_matches(ac, 'z'));
    assert_false(ac_cp_ends_matches(ac, '7'));
    assert_false(ac_cp_ends_matches(ac, 0x200B)); /* zero-width space: dropped */
    assert_false(ac_cp_ends_matches(ac, 0xFF41)); /* full-width a: folds to a letter */
    ac_free(ac);
    assert_int_equal(ac_build(&ac, stop, 2, NULL, &e), 0);
    assert_false(ac_cp_ends_matches(ac, 0x3002));
    ac_free(ac);
}

/* ac_span_around: a fresh scanner over the span reports exactly the matches of the whole
 * text that lie inside it, and no match of the whole text crosses its edges; on texts with
 * characters in no pattern (，) and white space, for both leftmost-longest scans. */
struct span_match {
    uint64_t start, end;
    uint32_t term;
};

struct span_collect {
    struct span_match m[256];
    size_t n;
    uint64_t shift;
};

static void on_span_match(const struct ac_match *m, void *arg)
{
    struct span_collect *c = arg;
    assert_true(c->n < 256);
    c->m[c->n].start = m->start_off + c->shift;
    c->m[c->n].end = m->end_off + c->shift;
    c->m[c->n++].term = m->term_id;
}

static const char *const span_alphabet[] = {"四", "个", "意", "识", "两", "，", " ", "\n\n", "a"};

static void test_span_around(void **state)
{
    (void)state;
    for (int round = 0; round < 2000; round++) {
        struct ac_pattern pats[6];
        char *terms[6];
        size_t nt = 1 + rnd(6);
        for (size_t k = 0; k < nt; k++) {
            struct sbuf t = SBUF_INIT;
            size_t l = 1 + rnd(4);
            for (size_t j = 0; j < l; j++)
                sbuf_addstr(&t, alphabet[rnd(5)]);
            terms[k] = sbuf_detach(&t, NULL);
            pats[k].text = terms[k];
            pats[k].term_id = (uint32_t)k;
        }
        struct sbuf text = SBUF_INIT;
        size_t tl = 1 + rnd(60);
        for (size_t j = 0; j < tl; j++)
            sbuf_addstr(&text, span_alphabet[rnd(rnd(2) ? 5 : 9)]);
        struct ac *ac;
        struct tifa_err e;
        tifa_err_init(&e);
        struct ac_build_opts opts = {0, AC_LEFTMOST_LONGEST, round % 2 ? 1 : 0};
        assert_int_equal(ac_build(&ac, pats, nt, &opts, &e), 0);
        struct span_collect whole = {.n = 0}, part = {.n = 0};
        struct ac_scanner sc;
        ac_scanner_init(&sc, ac, on_span_match, &whole);
        ac_scan(&sc, text.buf, text.len);
        ac_scan_finish(&sc);
        for (int probe = 0; probe < 5; probe++) {
            size_t a = rnd((uint32_t)text.len), b;
            while (a > 0 && ((unsigned char)text.buf[a] & 0xC0) == 0x80)
                a--;
            b = a + rnd((uint32_t)(text.len - a) + 1);
            while (b < text.len && ((unsigned char)text.buf[b] & 0xC0) == 0x80)
                b++;
            size_t from, to;
            ac_span_around(ac, text.buf, text.len, a, b, &from, &to);
            assert_true(from <= a && to >= b && to <= text.len);
            part.n = 0;
            part.shift = from;
            sc.fn = on_span_match;
            sc.arg = &part;
            ac_scanner_reset(&sc);
            ac_scan(&sc, text.buf + from, to - from);
            ac_scan_finish(&sc);
            size_t k = 0;
            for (size_t i = 0; i < whole.n; i++) {
                const struct span_match *w = &whole.m[i];
                assert_false(w->start < from && w->end > from);
                assert_false(w->start < to && w->end > to);
                if (w->start < from || w->end > to)
                    continue;
                assert_true(k < part.n);
                assert_int_equal(part.m[k].start, w->start);
                assert_int_equal(part.m[k].end, w->end);
                assert_int_equal(part.m[k].term, w->term);
                k++;
            }
            assert_int_equal(k, part.n);
        }
        ac_scanner_release(&sc);
        ac_free(ac);
        sbuf_release(&text);
        for (size_t k = 0; k < nt; k++)
            free(terms[k]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leftmost_longest),  cmocka_unit_test(test_match_words),
        cmocka_unit_test(test_scan_choice),       cmocka_unit_test(test_whitespace_and_lines),
        cmocka_unit_test(test_quotes_inside),     cmocka_unit_test(test_space_between_alnum),
        cmocka_unit_test(test_compat_ideograph),  cmocka_unit_test(test_differential),
        cmocka_unit_test(test_pieces_whitespace), cmocka_unit_test(test_stats_and_errors),
        cmocka_unit_test(test_han_ranges),        cmocka_unit_test(test_two_lanes),
        cmocka_unit_test(test_two_lanes_offsets),
        cmocka_unit_test(test_cp_ends_matches),   cmocka_unit_test(test_span_around),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
