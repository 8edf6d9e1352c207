/*
 * diff: the two-sided term table and its keyness rows.
 *
 * How it works: terms are interned (intern.h) as either side adds counts, giving dense ids
 * and two parallel count arrays. diff_rows() computes each row's statistics with stats.h (pure
 * functions), drops the rows the caller does not want and sorts with a total order (G² desc,
 * |Log Ratio| desc, term bytes), so output never depends on hash or insertion order.
 * diff_rows_cut() then keeps a prefix of that order (--min-count, --top) by moving rows down.
 * Cost: O(t log t) for t terms.
 */
#include "tifa/diff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/stats.h"
#include "tifa/xalloc.h"

void diff_init(struct diff *d)
{
    memset(d, 0, sizeof(*d));
    intern_init(&d->terms);
}

void diff_release(struct diff *d)
{
    intern_release(&d->terms);
    free(d->count[0]);
    free(d->count[1]);
    memset(d, 0, sizeof(*d));
}

void diff_add(struct diff *d, int side, const char *term, uint64_t count)
{
    int inserted;
    size_t id = intern_id(&d->terms, term, strlen(term), &inserted);
    if (intern_grow_parallel(&d->terms, &d->alloc)) {
        d->count[0] = xreallocarray(d->count[0], d->alloc, sizeof(uint64_t));
        d->count[1] = xreallocarray(d->count[1], d->alloc, sizeof(uint64_t));
    }
    if (inserted)
        d->count[0][id] = d->count[1][id] = 0;
    d->count[side ? 1 : 0][id] += count;
}

static int cmp_row(const void *x, const void *y)
{
    const struct diff_row *a = x, *b = y;
    if (a->g2 != b->g2)
        return a->g2 > b->g2 ? -1 : 1;
    if (fabs(a->log_ratio) != fabs(b->log_ratio))
        return fabs(a->log_ratio) > fabs(b->log_ratio) ? -1 : 1;
    return strcmp(a->term, b->term);
}

void diff_rows(const struct diff *d, double alpha, int all, struct diff_row **rows, size_t *nrows)
{
    uint64_t n1 = d->side[0].han, n2 = d->side[1].han;
    double crit = stats_critical_g2(alpha);
    struct diff_row *v = xmalloc(st_mult(d->terms.n + 1, sizeof(*v)));
    size_t n = 0;
    for (size_t i = 0; i < d->terms.n; i++) {
        uint64_t a = d->count[0][i], b = d->count[1][i];
        struct diff_row *r = &v[n];
        if (!a && !b)
            continue;
        r->term = intern_str(&d->terms, i);
        r->a = a;
        r->b = b;
        r->direction = stats_direction(a, b, n1, n2);
        if (!r->direction && !all)
            continue;
        r->a_per_10k = stats_per_10k(a, n1);
        r->b_per_10k = stats_per_10k(b, n2);
        r->g2 = stats_g2(a, b, n1, n2);
        r->p = stats_chi2_p1(r->g2);
        r->log_ratio = stats_log_ratio(a, b, n1, n2);
        r->pct_diff = stats_pct_diff(a, b, n1, n2);
        r->significant = crit > 0 && r->g2 >= crit;
        n++;
    }
    qsort(v, n, sizeof(*v), cmp_row);
    *rows = v;
    *nrows = n;
}

void diff_rows_cut(struct diff_row *rows, size_t *nrows, uint64_t min_count, size_t top)
{
    size_t n = 0;
    for (size_t i = 0; i < *nrows; i++)
        if (rows[i].a >= min_count || rows[i].b >= min_count)
            rows[n++] = rows[i];
    if (top && n > top)
        n = top;
    *nrows = n;
}

int diff_counts_differ(const struct diff *d)
{
    for (size_t i = 0; i < d->terms.n; i++)
        if (d->count[0][i] != d->count[1][i])
            return 1;
    return 0;
}
