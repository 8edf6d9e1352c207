/*
 * stats: keyness formulas (G², p-value, Log Ratio, %DIFF) for one term in two corpora.
 *
 * How it works: every function is a closed formula over four counts (see include/tifa/stats.h
 * for the formulas and their references); there is no data structure, no allocation and no
 * state. The care is all in the arithmetic:
 *
 *   - Cross products a·n2 and b·n1 are formed exactly as 128-bit integers from 32-bit halves
 *     (portable C11, no __int128), so stats_direction() is exact for any uint64_t input and the
 *     difference a·n2 − b·n1 is rounded only when converted to long double.
 *   - G²: in a 2×2 table with fixed margins the four deviations O − E are +D, −D, −D, +D with
 *     D = (a·n2 − b·n1) / N. So O·ln(O/E) = −O·log1p(−d/O) needs no expected value at all and
 *     keeps full relative precision when O and E are nearly equal, which is always the case for
 *     the two big cells (n − count) of a large corpus: there O·ln(O/E) ≈ ∓D + D²/(2O), and
 *     the ∓D parts cancel across the sum. When |d/O| > 1/2 (small cells) the plain
 *     O·(ln O − ln E) is as accurate and log1p would gain nothing. Everything runs in long
 *     double (64-bit mantissa on x86, wider elsewhere) and is rounded to double once.
 *   - Equal proportions give D == 0 exactly, hence G² == 0 exactly, not 1e-13.
 *
 * Complexity: O(1) per call. Thread-safe: no globals.
 */
#include "tifa/stats.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* A 128-bit unsigned integer as two 64-bit halves. */
struct u128 {
    uint64_t hi;
    uint64_t lo;
};

/* Exact x·y. */
static struct u128 u128_mul(uint64_t x, uint64_t y)
{
    const uint64_t m32 = 0xFFFFFFFFu;
    uint64_t x0 = x & m32, x1 = x >> 32;
    uint64_t y0 = y & m32, y1 = y >> 32;
    uint64_t p00 = x0 * y0, p01 = x0 * y1, p10 = x1 * y0, p11 = x1 * y1;
    /* Sum of three values < 2^32 each: cannot overflow 64 bits. */
    uint64_t mid = (p00 >> 32) + (p01 & m32) + (p10 & m32);
    struct u128 r;

    r.lo = (mid << 32) | (p00 & m32);
    r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return r;
}

/* -1, 0 or +1 as x <, ==, > y. */
static int u128_cmp(struct u128 x, struct u128 y)
{
    if (x.hi != y.hi)
        return x.hi < y.hi ? -1 : 1;
    if (x.lo != y.lo)
        return x.lo < y.lo ? -1 : 1;
    return 0;
}

/* x − y for x >= y. */
static struct u128 u128_sub(struct u128 x, struct u128 y)
{
    struct u128 r;

    r.lo = x.lo - y.lo;
    r.hi = x.hi - y.hi - (x.lo < y.lo);
    return r;
}

static long double u128_to_ld(struct u128 x)
{
    return (long double)x.hi * 18446744073709551616.0L + (long double)x.lo;
}

/* x1·y1 − x2·y2, exact until the conversion to long double. */
static long double cross_diff(uint64_t x1, uint64_t y1, uint64_t x2, uint64_t y2)
{
    struct u128 p = u128_mul(x1, y1), q = u128_mul(x2, y2);
    int c = u128_cmp(p, q);

    if (c == 0)
        return 0.0L;
    return c > 0 ? u128_to_ld(u128_sub(p, q)) : -u128_to_ld(u128_sub(q, p));
}

/* The shared edge-case policy: counts larger than their corpus are clamped to its size. */
static void clamp_counts(uint64_t *a, uint64_t *b, uint64_t n1, uint64_t n2)
{
    if (*a > n1)
        *a = n1;
    if (*b > n2)
        *b = n2;
}

double stats_per_10k(uint64_t count, uint64_t size)
{
    if (size == 0)
        return 0.0;
    return (double)((long double)count * 10000.0L / (long double)size);
}

/*
 * One cell's O·ln(O/E), given O, its deviation d = O − E and E itself. 0 when O == 0 (the
 * limit of O·ln O). E > 0 whenever O > 0 and both corpora are non-empty.
 */
static long double g2_term(long double o, long double d, long double e)
{
    long double x;

    if (o == 0.0L)
        return 0.0L;
    x = d / o;
    if (fabsl(x) <= 0.5L)
        return -o * log1pl(-x);
    return o * (logl(o) - logl(e));
}

double stats_g2(uint64_t a, uint64_t b, uint64_t n1, uint64_t n2)
{
    long double n, d, r1, r2, c1, c2, sum;

    if (n1 == 0 || n2 == 0)
        return 0.0;
    clamp_counts(&a, &b, n1, n2);

    c1 = (long double)n1;
    c2 = (long double)n2;
    n = c1 + c2;
    d = cross_diff(a, n2, b, n1) / n;
    if (d == 0.0L)
        return 0.0;
    r1 = (long double)a + (long double)b;
    r2 = (long double)(n1 - a) + (long double)(n2 - b);

    sum = g2_term((long double)a, d, r1 * c1 / n) + g2_term((long double)b, -d, r1 * c2 / n) +
          g2_term((long double)(n1 - a), -d, r2 * c1 / n) +
          g2_term((long double)(n2 - b), d, r2 * c2 / n);
    /* Mathematically > 0 here; never let rounding print "-0.0000". */
    return sum > 0.0L ? (double)(2.0L * sum) : 0.0;
}

double stats_chi2_p1(double x)
{
    /* NaN fails the test below and erfc(sqrt(NaN)) is NaN: NaN in, NaN out. */
    if (x <= 0.0)
        return 1.0;
    return erfc(sqrt(x / 2.0));
}

double stats_log_ratio(uint64_t a, uint64_t b, uint64_t n1, uint64_t n2)
{
    long double ae, be;

    if (n1 == 0 || n2 == 0 || (a == 0 && b == 0))
        return 0.0;
    clamp_counts(&a, &b, n1, n2);
    ae = a ? (long double)a : 0.5L;
    be = b ? (long double)b : 0.5L;
    return (double)log2l((be * (long double)n1) / (ae * (long double)n2));
}

double stats_pct_diff(uint64_t a, uint64_t b, uint64_t n1, uint64_t n2)
{
    long double num, den;

    if (n1 == 0 || n2 == 0 || (a == 0 && b == 0))
        return 0.0;
    clamp_counts(&a, &b, n1, n2);
    /* (b/n2 − a/n1) / (a/n1) = (b·n1 − a·n2) / (a·n2). */
    if (a > 0) {
        num = cross_diff(b, n1, a, n2);
        den = (long double)a * (long double)n2;
    } else {
        num = (long double)b * (long double)n1 - 0.5L * (long double)n2;
        den = 0.5L * (long double)n2;
    }
    return (double)(num * 100.0L / den);
}

static const struct {
    const char *text;
    double alpha;
    double critical;
} alpha_table[] = {
    {"0.05", 0.05, 3.84},      {".05", 0.05, 3.84},      {"0.01", 0.01, 6.63},
    {".01", 0.01, 6.63},       {"0.001", 0.001, 10.83},  {".001", 0.001, 10.83},
    {"0.0001", 0.0001, 15.14}, {".0001", 0.0001, 15.14},
};

double stats_critical_g2(double alpha)
{
    size_t i;

    for (i = 0; i < sizeof(alpha_table) / sizeof(alpha_table[0]); i++)
        if (alpha == alpha_table[i].alpha)
            return alpha_table[i].critical;
    return -1.0;
}

int stats_alpha_parse(const char *s, double *alpha)
{
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof(alpha_table) / sizeof(alpha_table[0]); i++) {
        if (strcmp(s, alpha_table[i].text) == 0) {
            *alpha = alpha_table[i].alpha;
            return 0;
        }
    }
    return -1;
}

int stats_direction(uint64_t a, uint64_t b, uint64_t n1, uint64_t n2)
{
    if (n1 == 0 || n2 == 0)
        return 0;
    clamp_counts(&a, &b, n1, n2);
    /* b/n2 vs a/n1  <=>  b·n1 vs a·n2 (sizes > 0). */
    return u128_cmp(u128_mul(b, n1), u128_mul(a, n2));
}
