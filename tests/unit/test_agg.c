/* Unit tests for agg: the order of count rows (count descending, then term by rank), for small
 * row sets (qsort), large ones (radix sort) and counts too large for the radix key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/agg.h"
#include "tifa/lexicon.h"

/* The order agg promises, written out plainly. */
static int before(const struct agg_count *a, const struct agg_count *b, const struct lexicon *lx)
{
    if (a->count != b->count)
        return a->count > b->count;
    return lx->labels[a->label_id].rank < lx->labels[b->label_id].rank;
}

static void check_sorted(size_t n, uint64_t big)
{
    struct lexicon lx;
    memset(&lx, 0, sizeof(lx));
    lx.nlabels = n;
    lx.labels = calloc(n, sizeof(*lx.labels));
    struct agg_count *c = calloc(n, sizeof(*c));
    unsigned seed = (unsigned)n;
    for (size_t i = 0; i < n; i++) /* ranks: a permutation of 0..n-1 */
        lx.labels[i].rank = (uint32_t)((i * 7919) % n);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        c[i].label_id = (uint32_t)i;
        c[i].count = 1 + (seed >> 16) % 50; /* many ties: the rank decides */
    }
    c[n / 2].count = big;
    c[n / 3].count = 70000; /* a count that spans two bytes of the key */
    agg_counts_sort(c, n, &lx);
    assert_int_equal(c[0].count, big > 70000 ? big : 70000);
    char *seen = calloc(n, 1);
    for (size_t i = 0; i < n; i++) {
        assert_false(seen[c[i].label_id]);
        seen[c[i].label_id] = 1;
        if (i + 1 < n)
            assert_true(before(&c[i], &c[i + 1], &lx));
    }
    free(seen);
    free(c);
    free(lx.labels);
}

static void test_counts_sort(void **state)
{
    (void)state;
    check_sorted(10, 1000);                /* qsort */
    check_sorted(5000, 123456);            /* radix sort */
    check_sorted(5000, (uint64_t)1 << 33); /* a count past 32 bits: qsort again */
    check_sorted(300, UINT32_MAX);         /* the largest count the radix key holds */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_sort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
