/* Unit tests for ngram: known maximal repeats in small texts, and a brute-force oracle that
 * enumerates every substring of random texts and applies ngram.h's definition. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/ngram.h"
#include "tifa/xalloc.h"

static void mine(const char *const *docs, size_t ndocs, size_t min_chars, size_t max_chars,
                 uint32_t min_docs, struct ngram_text *t, struct ngram_cand **c, size_t *n)
{
    struct ngram_opts o = {min_chars, max_chars, min_docs, NULL, 0};
    struct ngram_stats st;
    struct tifa_err e;
    tifa_err_init(&e);
    ngram_text_init(t);
    for (size_t i = 0; i < ndocs; i++)
        ngram_text_add_doc(t, docs[i], strlen(docs[i]));
    assert_int_equal(ngram_mine(t, &o, c, n, &st, &e), 0);
    assert_true(st.peak_bytes <= 10 * st.text_bytes + 4096 + 64 * (*n + 16));
}

static const struct ngram_cand *find(const struct ngram_text *t, const struct ngram_cand *c,
                                     size_t n, const char *phrase)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].len == strlen(phrase) && !memcmp(t->text.buf + c[i].off, phrase, c[i].len))
            return &c[i];
    return NULL;
}

static void test_known_repeats(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "要不断提高政治判断力、政治领悟力、政治执行力\n党中央决策部署到哪里，人大工作就跟进到哪里"
        "\n",
        "切实提高政治判断力、政治领悟力、政治执行力，中心工作推进到哪儿，人大工作就跟进到哪里\n"
        "政治判断力\n",
        "增强政治判断力、政治领悟力、政治执行力\n这是一句很长很长的在两个文件里一字不差重复出现的句"
        "子\n",
        "这是一句很长很长的在两个文件里一字不差重复出现的句子\nG20峰会\n",
        "G20峰会\n只在这里出现两次的话\n只在这里出现两次的话\n",
    };
    struct ngram_text t;
    struct ngram_cand *c;
    size_t n;
    mine(docs, 5, 4, 16, 2, &t, &c, &n);
    const struct ngram_cand *x = find(&t, c, n, "政治判断力、政治领悟力、政治执行力");
    assert_non_null(x);
    assert_int_equal(x->count, 3);
    assert_int_equal(x->docs, 3);
    assert_int_equal(x->chars, 17); /* 15 Han and two 、 */
    assert_int_equal(x->nfirst, 3);
    assert_int_equal(x->first_docs[0], 0);
    assert_int_equal(x->first_docs[2], 2);
    /* its part 政治判断力 stands alone once more: 4 uses, so it is a candidate of its own */
    x = find(&t, c, n, "政治判断力");
    assert_non_null(x);
    assert_int_equal(x->count, 4);
    /* the others parts never stand alone: not maximal */
    assert_null(find(&t, c, n, "政治领悟力"));
    assert_null(find(&t, c, n, "政治领悟力、政治执行力"));
    /* the comma before it is trimmed */
    x = find(&t, c, n, "人大工作就跟进到哪里");
    assert_non_null(x);
    assert_int_equal(x->docs, 2);
    assert_null(find(&t, c, n, "，人大工作就跟进到哪里"));
    /* a long repeated sentence gives nothing */
    for (size_t i = 0; i < n; i++)
        assert_null(memmem(t.text.buf + c[i].off, c[i].len, "一字不差", strlen("一字不差")));
    x = find(&t, c, n, "g20峰会");
    assert_null(x); /* the text is taken as given: here "G20峰会" */
    x = find(&t, c, n, "G20峰会");
    assert_non_null(x);
    assert_int_equal(x->chars, 5);
    /* twice in one document only */
    assert_null(find(&t, c, n, "只在这里出现两次的话"));
    free(c);
    ngram_text_release(&t);

    mine(docs, 5, 4, 16, 1, &t, &c, &n);
    x = find(&t, c, n, "只在这里出现两次的话");
    assert_non_null(x);
    assert_int_equal(x->count, 2);
    assert_int_equal(x->docs, 1);
    /* nothing crosses a segment end */
    for (size_t i = 0; i < n; i++)
        assert_null(memchr(t.text.buf + c[i].off, '\n', c[i].len));
    free(c);
    ngram_text_release(&t);

    /* characters sharing their first bytes: 中 E4 B8 AD and 丰 E4 B8 B0 */
    static const char *const shared[] = {"甲乙丙丁中\n", "甲乙丙丁丰\n"};
    mine(shared, 2, 4, 16, 2, &t, &c, &n);
    assert_int_equal(n, 1);
    assert_non_null(find(&t, c, n, "甲乙丙丁"));
    free(c);
    ngram_text_release(&t);
}

/* ---- the oracle ---- */

static const char *const alphabet[] = {"甲", "乙", "丙", "、", "\n"};

struct cp_text {
    uint32_t sym[256]; /* index into alphabet */
    uint32_t doc[256];
    size_t off[256]; /* byte offset of each symbol */
    size_t n;
};

static int content(uint32_t s)
{
    return s < 3;
}

/* Occurrences of sym[a..b) in the whole text (overlapping), their documents, the first offset
 * and the lowest documents. */
static uint64_t occurrences(const struct cp_text *x, size_t a, size_t b, uint32_t *docs,
                            size_t *first_off, uint32_t *first, uint32_t *nfirst)
{
    size_t len = b - a;
    uint64_t count = 0;
    uint32_t last_doc = UINT32_MAX;
    *docs = 0;
    *nfirst = 0;
    *first_off = SIZE_MAX;
    for (size_t i = 0; i + len <= x->n; i++) {
        size_t k = 0;
        while (k < len && x->sym[i + k] == x->sym[a + k])
            k++;
        if (k < len)
            continue;
        count++;
        if (x->off[i] < *first_off)
            *first_off = x->off[i];
        if (x->doc[i] != last_doc) {
            last_doc = x->doc[i];
            (*docs)++;
            if (*nfirst < NGRAM_FIRST_DOCS)
                first[(*nfirst)++] = x->doc[i];
        }
    }
    return count;
}

static int contains(const struct cp_text *x, size_t a, size_t b, size_t c, size_t d)
{
    /* sym[c..d) contains sym[a..b) */
    size_t len = b - a;
    for (size_t i = c; i + len <= d; i++)
        if (!memcmp(&x->sym[i], &x->sym[a], len * sizeof(uint32_t)))
            return 1;
    return 0;
}

static void oracle_case(unsigned seed)
{
    srand(seed);
    struct cp_text x;
    memset(&x, 0, sizeof(x));
    size_t ndocs = 2 + (size_t)rand() % 4;
    char *docs[8];
    struct sbuf all;
    sbuf_init(&all);
    for (size_t d = 0; d < ndocs; d++) {
        struct sbuf b;
        sbuf_init(&b);
        size_t len = 5 + (size_t)rand() % 25;
        for (size_t i = 0; i < len; i++) {
            int r = rand() % 20;
            uint32_t s = r < 6 ? 0 : r < 11 ? 1 : r < 15 ? 2 : r < 18 ? 3 : 4;
            x.sym[x.n] = s;
            x.doc[x.n] = (uint32_t)d;
            x.off[x.n] = all.len + b.len;
            x.n++;
            sbuf_addstr(&b, alphabet[s]);
        }
        /* the separator ngram_text_add_doc adds */
        x.sym[x.n] = 4;
        x.doc[x.n] = (uint32_t)d;
        x.off[x.n] = all.len + b.len;
        x.n++;
        docs[d] = sbuf_detach(&b, NULL);
        sbuf_addstr(&all, docs[d]);
        sbuf_addch(&all, '\n');
    }
    size_t min_chars = 2, max_chars = 5;
    uint32_t min_docs = 1 + (uint32_t)rand() % 2;
    struct ngram_text t;
    struct ngram_cand *c;
    size_t n;
    mine((const char *const *)docs, ndocs, min_chars, max_chars, min_docs, &t, &c, &n);
    assert_memory_equal(t.text.buf, all.buf, all.len);

    /* every distinct content-bounded substring within a segment */
    size_t want = 0;
    for (size_t a = 0; a < x.n; a++) {
        for (size_t b = a + 1; b <= x.n && x.sym[b - 1] != 4; b++) {
            if (!content(x.sym[a]) || !content(x.sym[b - 1]))
                continue;
            /* first occurrence only, so each distinct string is judged once */
            uint32_t docs_n, first[NGRAM_FIRST_DOCS], nfirst;
            size_t first_off;
            uint64_t count = occurrences(&x, a, b, &docs_n, &first_off, first, &nfirst);
            if (first_off != x.off[a])
                continue;
            size_t chars = b - a, content_chars = 0;
            for (size_t i = a; i < b; i++)
                content_chars += content(x.sym[i]);
            if (content_chars < min_chars || content_chars > max_chars || docs_n < min_docs ||
                count < 2)
                continue;
            /* maximal: no content-bounded superstring with as many occurrences */
            int maximal = 1;
            for (size_t p = 0; p < x.n && maximal; p++)
                for (size_t q = p + 1; q <= x.n && x.sym[q - 1] != 4 && maximal; q++) {
                    if (q - p <= chars || !content(x.sym[p]) || !content(x.sym[q - 1]))
                        continue;
                    if (!contains(&x, a, b, p, q))
                        continue;
                    uint32_t d2, f2[NGRAM_FIRST_DOCS], nf2;
                    size_t fo2;
                    if (occurrences(&x, p, q, &d2, &fo2, f2, &nf2) == count)
                        maximal = 0;
                }
            if (!maximal)
                continue;
            want++;
            const char *phrase = all.buf + x.off[a];
            size_t plen = (b < x.n ? x.off[b] : all.len) - x.off[a];
            const struct ngram_cand *got = NULL;
            for (size_t i = 0; i < n; i++)
                if (c[i].len == plen && !memcmp(t.text.buf + c[i].off, phrase, plen))
                    got = &c[i];
            if (!got)
                fail_msg("seed %u: missing %.*s (count %llu, docs %u)", seed, (int)plen, phrase,
                         (unsigned long long)count, docs_n);
            assert_int_equal(got->count, count);
            assert_int_equal(got->docs, docs_n);
            assert_int_equal(got->off, first_off);
            assert_int_equal(got->chars, chars);
            assert_int_equal(got->nfirst, nfirst);
            assert_memory_equal(got->first_docs, first, nfirst * sizeof(uint32_t));
        }
    }
    if (n != want) {
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "got %.*s count %llu\n", (int)c[i].len, t.text.buf + c[i].off,
                    (unsigned long long)c[i].count);
        fail_msg("seed %u: %zu candidates, the definition gives %zu", seed, n, want);
    }
    for (size_t d = 0; d < ndocs; d++)
        free(docs[d]);
    free(c);
    ngram_text_release(&t);
    sbuf_release(&all);
}

static void test_oracle(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed <= 400; seed++)
        oracle_case(seed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_repeats),
        cmocka_unit_test(test_oracle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
