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

int diff_correction_parse(const char *s, enum diff_correction *out)
{
    static const char *const names[] = {"none", "bonferroni", "holm"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, names[i])) {
            *out = (enum diff_correction)i;
            return 0;
        }
    return -1;
}

const char *diff_correction_name(enum diff_correction c)
{
    return c == DIFF_CORRECT_BONFERRONI ? "bonferroni" : c == DIFF_CORRECT_HOLM ? "holm" : "none";
}

/* Holm's order: p ascending, ties by term, so the adjusted values do not depend on the input */
static int cmp_p(const void *x, const void *y)
{
    const struct diff_row *a = *(const struct diff_row *const *)x;
    const struct diff_row *b = *(const struct diff_row *const *)y;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    return strcmp(a->term, b->term);
}

static void correct(struct diff_row *v, size_t m, enum diff_correction c)
{
    if (c == DIFF_CORRECT_BONFERRONI) {
        for (size_t i = 0; i < m; i++)
            v[i].p_adjusted = fmin(1.0, (double)m * v[i].p);
        return;
    }
    if (c != DIFF_CORRECT_HOLM) {
        for (size_t i = 0; i < m; i++)
            v[i].p_adjusted = v[i].p;
        return;
    }
    struct diff_row **order = xmalloc(st_mult(m + 1, sizeof(*order)));
    for (size_t i = 0; i < m; i++)
        order[i] = &v[i];
    qsort(order, m, sizeof(*order), cmp_p);
    double running = 0;
    for (size_t k = 0; k < m; k++) {
        double adj = fmin(1.0, (double)(m - k) * order[k]->p);
        running = fmax(running, adj);
        order[k]->p_adjusted = running;
    }
    free(order);
}

void diff_rows(const struct diff *d, struct diff_test *t, struct diff_row **rows, size_t *nrows)
{
    uint64_t n1 = d->side[0].han, n2 = d->side[1].han;
    double crit = stats_critical_g2(t->alpha);
    struct diff_row *v = xmalloc(st_mult(d->terms.n + 1, sizeof(*v)));
    size_t m = 0;
    for (size_t i = 0; i < d->terms.n; i++) {
        uint64_t a = d->count[0][i], b = d->count[1][i];
        struct diff_row *r = &v[m];
        if ((!a && !b) || (a < t->min_freq && b < t->min_freq))
            continue;
        r->term = intern_str(&d->terms, i);
        r->a = a;
        r->b = b;
        r->direction = stats_direction(a, b, n1, n2);
        r->a_per_10k = stats_per_10k(a, n1);
        r->b_per_10k = stats_per_10k(b, n2);
        r->g2 = stats_g2(a, b, n1, n2);
        r->p = stats_chi2_p1(r->g2);
        r->log_ratio = stats_log_ratio(a, b, n1, n2);
        r->pct_diff = stats_pct_diff(a, b, n1, n2);
        m++;
    }
    correct(v, m, t->correction);
    size_t n = 0;
    for (size_t i = 0; i < m; i++) {
        struct diff_row *r = &v[i];
        if (!r->direction && !t->all)
            continue;
        if (t->correction == DIFF_CORRECT_NONE)
            r->significant = crit > 0 && r->g2 >= crit;
        else
            r->significant = r->p_adjusted < t->alpha;
        v[n++] = *r;
    }
    qsort(v, n, sizeof(*v), cmp_row);
    t->tested = m;
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
