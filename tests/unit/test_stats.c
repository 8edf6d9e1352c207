/*
 * Unit tests for stats: keyness formulas checked against values worked out by hand (the
 * arithmetic is in the comment of each case) and cross-checked with independent computations;
 * and diff_rows_cut, the --min-count / --top cut of diff's rows that come out of them.
 *
 * Reference one-liners (run with python3; `math.log` in double, `decimal` at 60 digits):
 *
 *   G2(a,b,n1,n2) with math.log, e.g. for 10,20,1000,1000 -> 3.448742375226546:
 *     python3 -c "import math;a,b,n1,n2=10,20,1000,1000;N=n1+n2;R=(a+b,N-a-b);
 *       print(repr(2*sum(o*math.log(o/(r*c/N)) for o,r,c in ((a,R[0],n1),(b,R[0],n2),
 *       (n1-a,R[1],n1),(n2-b,R[1],n2)) if o)))"
 *   the same with decimal (the expected values below):
 *     python3 -c "from decimal import Decimal as D,getcontext as g;g().prec=60;
 *       a,b,n1,n2=map(D,(10,20,1000,1000));N=n1+n2;R=(a+b,N-a-b);
 *       print('%.17g'%(2*sum(o*(o/(r*c/N)).ln() for o,r,c in ((a,R[0],n1),(b,R[0],n2),
 *       (n1-a,R[1],n1),(n2-b,R[1],n2)) if o)))"
 *
 * Tolerances are relative and tight (1e-12 for G², 1e-14 for closed forms): a formula with the
 * wrong log base, a missing cell, a swapped direction or the naive double-precision G² on a
 * 10^9-character corpus (off by 1e-10 relative, see test_g2_big_corpus) all fail.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/diff.h"
#include "tifa/stats.h"

/* |got − want| <= rel·|want|; an expected 0 must be exactly 0. Reports both values on failure. */
#define assert_rel(got, want, rel) check_rel((got), (want), (rel), #got, __FILE__, __LINE__)

static void check_rel(double got, double want, double rel, const char *expr, const char *file,
                      int line)
{
    int ok = want == 0.0 ? got == 0.0 : fabs(got - want) <= rel * fabs(want);

    if (!ok) {
        double err = want == 0.0 ? fabs(got) : fabs(got - want) / fabs(want);

        print_error("%s:%d: %s = %.17g, want %.17g (relative error %.3g, allowed %.3g)\n", file,
                    line, expr, got, want, err, rel);
        fail();
    }
}

/* ---- stats_per_10k ---- */

static void test_per_10k(void **state)
{
    (void)state;
    assert_rel(stats_per_10k(3, 1500), 20.0, 1e-15);          /* 3 / 1500 × 10000 = 20 */
    assert_rel(stats_per_10k(1, 3), 10000.0 / 3.0, 1e-15);    /* 3333.33… */
    assert_rel(stats_per_10k(1200, 500000000), 0.024, 1e-15); /* 1200 / 5e8 × 1e4 */
    assert_rel(stats_per_10k(0, 1000), 0.0, 0.0);
    assert_rel(stats_per_10k(0, 0), 0.0, 0.0);
    assert_rel(stats_per_10k(5, 0), 0.0, 0.0); /* empty corpus: 0, not inf */
}

/* ---- stats_g2: hand-computed tables ---- */

/*
 * a=10, b=20, n1=n2=1000.  N = 2000, R1 = 30, R2 = 1970.
 *   E11 = 30·1000/2000 = 15    O11 = 10    10·ln(10/15)   = 10·(−0.4054651081)  = −4.054651081
 *   E12 = 30·1000/2000 = 15    O12 = 20    20·ln(20/15)   = 20·( 0.2876820725)  =  5.753641449
 *   E21 = 1970·1000/2000 = 985 O21 = 990   990·ln(990/985) = 990·(0.005063301957) =  5.012668937
 *   E22 = 985                  O22 = 980   980·ln(980/985) = 980·(−0.005089069507) = −4.987288117
 *   sum = 1.724371188;  G² = 2·sum = 3.448742375
 *   (math.log one-liner: 3.448742375226546; decimal: 3.4487423752267695)
 */
static void test_g2_small(void **state)
{
    (void)state;
    assert_rel(stats_g2(10, 20, 1000, 1000), 3.4487423752267695, 1e-12);
    /* Swapping the corpora changes nothing (G² has no direction). */
    assert_rel(stats_g2(20, 10, 1000, 1000), 3.4487423752267695, 1e-12);
    /* Not significant at .05 (3.84), nearly so at .1. */
    assert_true(stats_g2(10, 20, 1000, 1000) < stats_critical_g2(0.05));
}

/*
 * a=0, b=5, n1=10000, n2=20000.  N = 30000, R1 = 5, R2 = 29995.
 *   O11 = 0                                → 0 (an observed zero contributes nothing)
 *   E12 = 5·20000/30000 = 3.333333         5·ln(5/3.333333) = 5·0.4054651081 = 2.027325541
 *   E21 = 29995·10000/30000 = 9998.333     10000·ln(10000/9998.333)
 *                                            = 10000·1.666805571e-4 = 1.666805571
 *   E22 = 29995·20000/30000 = 19996.667    19995·ln(19995/19996.667)
 *                                            = 19995·(−8.335069811e-5) = −1.666597209
 *   sum = 2.027533903;  G² = 4.055067806
 *   (math.log one-liner: 4.0550678056234055; decimal: 4.0550678056278452)
 */
static void test_g2_zero_in_a(void **state)
{
    (void)state;
    assert_rel(stats_g2(0, 5, 10000, 20000), 4.0550678056278452, 1e-12);
}

/*
 * a=5, b=0, n1=10000, n2=20000.  N = 30000, R1 = 5, R2 = 29995.
 *   E11 = 5·10000/30000 = 1.666667    5·ln(5/1.666667) = 5·ln 3 = 5·1.098612289   =  5.493061443
 *   O12 = 0                           → 0
 *   E21 = 9998.333   9995·ln(9995/9998.333)    = 9995·(−3.334444846e-4)   = −3.332777623
 *   E22 = 19996.667  20000·ln(20000/19996.667) = 20000·1.666805571e-4     =  3.333611142
 *   sum = 5.493894962;  G² = 10.98778992  (decimal: 10.987789923818474)
 * Larger than the mirrored case above: disappearing from the larger corpus is stronger evidence.
 */
static void test_g2_zero_in_b(void **state)
{
    (void)state;
    assert_rel(stats_g2(5, 0, 10000, 20000), 10.987789923818474, 1e-12);
}

/*
 * a=3, b=3, n1=1000, n2=2000 (same count, different sizes).  N = 3000, R1 = 6, R2 = 2994.
 *   E = 2, 4, 998, 1996
 *   3·ln(3/2) = 1.216395324;  3·ln(3/4) = −0.8630462174;
 *   997·ln(997/998) = −0.9994988306;  1997·ln(1997/1996) = 1.000250459
 *   sum = 0.3541007356;  G² = 0.7082014711  (decimal: 0.70820147114205689)
 */
static void test_g2_unequal_sizes(void **state)
{
    (void)state;
    assert_rel(stats_g2(3, 3, 1000, 2000), 0.70820147114205689, 1e-12);
}

/*
 * Equal relative frequencies: every O equals its E, every ln(O/E) = 0, G² = 0 exactly.
 *   a=b=7, n1=n2=500;  a=7, b=14, n1=500, n2=1000;
 *   a=b=0 (R1 = 0: O11 = O12 = 0, O21 = E21 = n1, O22 = E22 = n2);
 *   a=n1, b=n2 (R2 = 0, the mirror of the previous one).
 */
static void test_g2_equal_and_degenerate(void **state)
{
    (void)state;
    assert_rel(stats_g2(7, 7, 500, 500), 0.0, 0.0);
    assert_rel(stats_g2(7, 14, 500, 1000), 0.0, 0.0);
    assert_rel(stats_g2(1000, 1200, 500000000, 600000000), 0.0, 0.0);
    assert_rel(stats_g2(0, 0, 500, 1000), 0.0, 0.0);
    assert_rel(stats_g2(500, 1000, 500, 1000), 0.0, 0.0);
    /* Empty corpora: undefined table, 0 by contract. */
    assert_rel(stats_g2(0, 5, 0, 1000), 0.0, 0.0);
    assert_rel(stats_g2(5, 0, 1000, 0), 0.0, 0.0);
    assert_rel(stats_g2(0, 0, 0, 0), 0.0, 0.0);
}

/* a > n1, b > n2 are clamped to the size: the table is the same as with a = n1, b = n2. */
static void test_g2_clamp(void **state)
{
    (void)state;
    assert_rel(stats_g2(20, 5, 10, 100), stats_g2(10, 5, 10, 100), 0.0);
    assert_rel(stats_g2(1, 500, 100, 50), stats_g2(1, 50, 100, 50), 0.0);
    assert_true(stats_g2(10, 5, 10, 100) > 0.0);
    assert_true(isfinite(stats_g2(UINT64_MAX, UINT64_MAX, 3, 4)));
}

/*
 * Big corpus: a=1200, b=900, n1=5e8, n2=6e8.  N = 1.1e9, R1 = 2100.
 *   D = (a·n2 − b·n1)/N = (7.2e11 − 4.5e11)/1.1e9 = 245.4545…  (each cell is off by ±D)
 *   E11 = 2100·5e8/1.1e9 = 954.5455   1200·ln(1200/954.5455) = 1200·0.2288415724 =  274.6098869
 *   E12 = 2100·6e8/1.1e9 = 1145.4545  900·ln(900/1145.4545)  = 900·(−0.2411620568) = −217.0458511
 *   big cells: O·ln(O/E) = −O·ln(1 − d/O) = d + d²/(2O) + …
 *     O21 = 499998800, d = −D:  −245.4545 + 245.4545²/(2·499998800) = −245.4545 + 6.02482e-5
 *     O22 = 599999100, d = +D:  +245.4545 + 245.4545²/(2·599999100) = +245.4545 + 5.02067e-5
 *     together 1.10455e-4 (the ±D cancel)
 *   sum = 274.6098869 − 217.0458511 + 0.000110455 = 57.56414623;  G² = 115.1282925
 *   decimal (60 digits): 115.1282924683541
 *   The naive double formula (math.log one-liner) gives 115.12829249055841, 1.9e-10 off:
 *   ln(O/E) for the big cells is ~4e-7, computed from a ratio rounded at 1e-16.
 *
 * Near-equal big corpus: a=1000, b=1201: D = (6e11 − 6.005e11)/1.1e9 = −0.4545…,
 *   G² ≈ D²·(1/E11 + 1/E12) = 0.20661·(1/1000.4545 + 1/1200.5455) = 3.7861e-4
 *   decimal: 0.0003786261061613813; naive double: 0.0003786261062056484 (1.2e-10 off).
 */
static void test_g2_big_corpus(void **state)
{
    (void)state;
    assert_rel(stats_g2(1200, 900, 500000000, 600000000), 115.1282924683541, 1e-12);
    assert_rel(stats_g2(1000, 1201, 500000000, 600000000), 0.0003786261061613813, 1e-12);
    /* Sizes at the top of uint64_t: cross products exceed 2^64 (decimal: 0.33979807359079495,
     * i.e. 2·(ln(1/1.5) + 2·ln(2/1.5)) plus ~1e-19 from the big cells). */
    assert_rel(stats_g2(1, 2, UINT64_MAX, UINT64_MAX), 0.33979807359079495, 1e-12);
    /* E11 ≈ 5e-20 next to O11 = 1 (d/O = 1 − 2^-64: no -inf, no lost digits):
     * a=1, b=0, n1=1, n2=m: E11 = 1/(m+1) = 2^-64, so 1·ln(1/E11) = 64·ln 2 = 44.3614196;
     * O22 = m, E22 = m·m/(m+1): m·ln((m+1)/m) ≈ 1; G² ≈ 2·(44.3614196 + 1) = 90.7228391.
     * decimal: 90.722839111672997; likewise a=1, b=0, n1=3, n2=m−2: 86.903754101904127. */
    assert_rel(stats_g2(1, 0, 1, UINT64_MAX), 90.722839111672997, 1e-12);
    assert_rel(stats_g2(1, 0, 3, UINT64_MAX - 2), 86.903754101904127, 1e-12);
}

/*
 * Independent check of one table: the textbook sum 2·Σ O·(ln O − ln E) in long double against
 * the implementation's log1p form. The textbook sum is the less accurate of the two: its
 * rounding error grows with scale = 2·Σ O·(|ln O| + |ln E|), and where long double is only a
 * double (valgrind emulates x87 with 64-bit doubles) it reaches ~1e-14 absolute on these
 * tables. Hence the allowance 1e-12 relative + 4e-15·scale; any formula error is far larger.
 */
static void check_g2_textbook(uint64_t a, uint64_t b, uint64_t n1, uint64_t n2)
{
    long double N = (long double)n1 + n2, r1 = (long double)a + b, r2 = N - r1;
    long double o[4] = {(long double)a, (long double)b, (long double)(n1 - a),
                        (long double)(n2 - b)};
    long double e[4] = {r1 * n1 / N, r1 * n2 / N, r2 * n1 / N, r2 * n2 / N};
    long double sum = 0.0L, scale = 0.0L;
    double want, allowed, got = stats_g2(a, b, n1, n2);
    int i;

    for (i = 0; i < 4; i++) {
        if (o[i] > 0.0L) {
            sum += o[i] * (logl(o[i]) - logl(e[i]));
            scale += o[i] * (fabsl(logl(o[i])) + fabsl(logl(e[i])));
        }
    }
    want = (double)(2.0L * sum);
    allowed = 1e-12 * fabs(want) + 4e-15 * (double)(2.0L * scale);
    if (!(got >= 0.0 && fabs(got - want) <= allowed)) {
        print_error("stats_g2(%llu, %llu, %llu, %llu) = %.17g, textbook %.17g (allowed ±%.3g)\n",
                    (unsigned long long)a, (unsigned long long)b, (unsigned long long)n1,
                    (unsigned long long)n2, got, want, allowed);
        fail();
    }
}

/*
 * Every table with sizes up to 12: agreement with the textbook sum, G² >= 0, exactly 0 for
 * equal proportions, and symmetry under swapping the corpora.
 */
static void test_g2_small_tables_sweep(void **state)
{
    uint64_t n1, n2, a, b;

    (void)state;
    for (n1 = 1; n1 <= 12; n1++) {
        for (n2 = 1; n2 <= 12; n2++) {
            for (a = 0; a <= n1; a++) {
                for (b = 0; b <= n2; b++) {
                    double got = stats_g2(a, b, n1, n2);

                    if (a * n2 == b * n1)
                        assert_rel(got, 0.0, 0.0);
                    else
                        check_g2_textbook(a, b, n1, n2);
                    assert_rel(stats_g2(b, a, n2, n1), got, 1e-14);
                }
            }
        }
    }
}

/* ---- stats_chi2_p1 ---- */

static void test_chi2_p1(void **state)
{
    (void)state;
    /* Exact χ²₁ quantiles z² with z the normal quantile at 1 − p/2:
     *   python3 -c "from statistics import NormalDist as N;print(repr(N().inv_cdf(1-0.05/2)**2))"
     * gives 3.8414588206941236; math.erfc(math.sqrt(3.841458820694124/2)) = 0.05000000000000008. */
    assert_rel(stats_chi2_p1(3.841458820694124), 0.05, 1e-12);
    assert_rel(stats_chi2_p1(6.634896601021214), 0.01, 1e-12);
    assert_rel(stats_chi2_p1(10.827566170662733), 0.001, 1e-12);
    /* x = 1: erfc(√0.5) = 0.31731050786291415 (P(|Z| ≥ 1) for a standard normal). */
    assert_rel(stats_chi2_p1(1.0), 0.31731050786291415, 1e-14);
    /* The big-corpus G² above:
     *   python3 -c "import math;print(math.erfc(math.sqrt(115.1282924683541/2)))" */
    assert_rel(stats_chi2_p1(115.1282924683541), 7.376737098356754e-27, 1e-9);
    assert_rel(stats_chi2_p1(0.0), 1.0, 0.0);
    assert_rel(stats_chi2_p1(-2.0), 1.0, 0.0);
    assert_rel(stats_chi2_p1(INFINITY), 0.0, 0.0);
    assert_true(isnan(stats_chi2_p1(NAN)));
    /* Monotone: a larger G² is never less significant. */
    assert_true(stats_chi2_p1(3.85) < stats_chi2_p1(3.84));
}

/* ---- stats_log_ratio ---- */

static void test_log_ratio(void **state)
{
    (void)state;
    /* (20/1000)/(10/1000) = 2, log2 2 = 1: twice as frequent in B → +1. */
    assert_rel(stats_log_ratio(10, 20, 1000, 1000), 1.0, 1e-15);
    /* Direction: the mirror is −1 ("+ = more in B"). */
    assert_rel(stats_log_ratio(20, 10, 1000, 1000), -1.0, 1e-15);
    /* a = 0 → 0.5: (5/20000)/(0.5/10000) = 2.5e-4/5e-5 = 5, log2 5 = 2.321928094887362. */
    assert_rel(stats_log_ratio(0, 5, 10000, 20000), 2.321928094887362, 1e-14);
    /* b = 0 → 0.5: (0.5/20000)/(5/10000) = 2.5e-5/5e-4 = 0.05, log2 0.05 = −4.321928094887363. */
    assert_rel(stats_log_ratio(5, 0, 10000, 20000), -4.321928094887363, 1e-14);
    /* Big corpus: (900/6e8)/(1200/5e8) = 1.5e-6/2.4e-6 = 0.625,
     * log2 0.625 = −0.6780719051126377. */
    assert_rel(stats_log_ratio(1200, 900, 500000000, 600000000), -0.6780719051126377, 1e-14);
    /* (3/2000)/(3/1000) = 0.5 → −1. */
    assert_rel(stats_log_ratio(3, 3, 1000, 2000), -1.0, 1e-15);
    /* Equal, both zero, empty corpora → 0. */
    assert_rel(stats_log_ratio(7, 7, 500, 500), 0.0, 0.0);
    assert_rel(stats_log_ratio(7, 14, 500, 1000), 0.0, 0.0);
    assert_rel(stats_log_ratio(0, 0, 500, 1000), 0.0, 0.0);
    assert_rel(stats_log_ratio(3, 4, 0, 1000), 0.0, 0.0);
    assert_rel(stats_log_ratio(3, 4, 1000, 0), 0.0, 0.0);
    /* Clamp: a = 20 > n1 = 10 behaves as a = 10: (5/100)/(10/10) = 0.05. */
    assert_rel(stats_log_ratio(20, 5, 10, 100), -4.321928094887363, 1e-14);
}

/* ---- stats_pct_diff ---- */

static void test_pct_diff(void **state)
{
    (void)state;
    /* NF_A = 10/1000 = 0.01, NF_B = 0.02: (0.02 − 0.01)·100/0.01 = +100. */
    assert_rel(stats_pct_diff(10, 20, 1000, 1000), 100.0, 1e-15);
    /* NF_A = 0.02, NF_B = 0.01: −50 (not −100: %DIFF is asymmetric, A is the reference). */
    assert_rel(stats_pct_diff(20, 10, 1000, 1000), -50.0, 1e-15);
    /* Zero reference: a = 0 → 0.5: NF_A = 0.5/10000 = 5e-5, NF_B = 5/20000 = 2.5e-4:
     * (2.5e-4 − 5e-5)·100/5e-5 = +400. */
    assert_rel(stats_pct_diff(0, 5, 10000, 20000), 400.0, 1e-14);
    /* b = 0 is not replaced: NF_B = 0 → −100 (gone from B). */
    assert_rel(stats_pct_diff(5, 0, 10000, 20000), -100.0, 1e-15);
    /* Big corpus: NF_A = 2.4e-6, NF_B = 1.5e-6: (1.5 − 2.4)/2.4·100 = −37.5. */
    assert_rel(stats_pct_diff(1200, 900, 500000000, 600000000), -37.5, 1e-14);
    /* Same count, B twice as large: NF_B = NF_A/2 → −50. */
    assert_rel(stats_pct_diff(3, 3, 1000, 2000), -50.0, 1e-15);
    /* 1 in 3 vs 2 in 3... with sizes 3 and 7: NF_A = 1/3, NF_B = 2/7: (2/7 − 1/3)·100/(1/3)
     * = (6/7 − 1)·100 = −100/7 = −14.285714285714286. */
    assert_rel(stats_pct_diff(1, 2, 3, 7), -100.0 / 7.0, 1e-14);
    /* Exact cross products: a = m−1, b = m−2, n1 = m, n2 = m−1 (m = 2^64 − 1):
     * b·n1 − a·n2 = (m² − 2m) − (m − 1)² = −1, so %DIFF = −100/(m − 1)² = −2.9387358770557188e-37
     * (python3 Fraction). Products rounded to 64-bit mantissas would cancel to 0. */
    assert_rel(stats_pct_diff(UINT64_MAX - 1, UINT64_MAX - 2, UINT64_MAX, UINT64_MAX - 1),
               -2.9387358770557188e-37, 1e-14);
    /* A difference above 2^64 (with a borrow between the halves): a = 1, b = n1 = n2 = m:
     * (m·m − 1·m)·100/(1·m) = 100·(m − 1) = 1.8446744073709552e21. */
    assert_rel(stats_pct_diff(1, UINT64_MAX, UINT64_MAX, UINT64_MAX), 1.8446744073709552e21, 1e-14);
    /* A borrow with small high halves: a = 1, b = 3, n1 = 2^63, n2 = m:
     * b·n1 − a·n2 = 3·2^63 − (2^64 − 1) = 2^63 + 1, over a·n2 = 2^64 − 1: +50 % (to 1e-19). */
    assert_rel(stats_pct_diff(1, 3, UINT64_C(1) << 63, UINT64_MAX), 50.0, 1e-14);
    assert_rel(stats_pct_diff(7, 14, 500, 1000), 0.0, 0.0);
    assert_rel(stats_pct_diff(0, 0, 500, 1000), 0.0, 0.0);
    assert_rel(stats_pct_diff(3, 4, 0, 1000), 0.0, 0.0);
    assert_rel(stats_pct_diff(3, 4, 1000, 0), 0.0, 0.0);
}

/* ---- stats_critical_g2 and stats_alpha_parse ---- */

static void test_critical_g2(void **state)
{
    (void)state;
    assert_rel(stats_critical_g2(0.05), 3.84, 0.0);
    assert_rel(stats_critical_g2(0.01), 6.63, 0.0);
    assert_rel(stats_critical_g2(0.001), 10.83, 0.0);
    assert_rel(stats_critical_g2(0.0001), 15.14, 0.0);
    /* Each rounded critical value is within 0.005 of the exact quantile, whose p is alpha. */
    assert_true(fabs(stats_critical_g2(0.05) - 3.841458820694124) < 0.005);
    assert_true(fabs(stats_critical_g2(0.0001) - 15.136705226623599) < 0.005);
    assert_true(stats_critical_g2(0.1) < 0.0);
    assert_true(stats_critical_g2(0.02) < 0.0);
    assert_true(stats_critical_g2(0.0) < 0.0);
    assert_true(stats_critical_g2(-0.05) < 0.0);
    assert_true(stats_critical_g2(1.0) < 0.0);
    assert_true(stats_critical_g2(NAN) < 0.0);
}

static void test_alpha_parse(void **state)
{
    static const struct {
        const char *s;
        double want;
    } good[] = {
        {"0.05", 0.05},   {".05", 0.05},   {"0.01", 0.01},     {".01", 0.01},
        {"0.001", 0.001}, {".001", 0.001}, {"0.0001", 0.0001}, {".0001", 0.0001},
    };
    static const char *const bad[] = {
        "",      "0.1",  ".1",   "0.050", "5%", " 0.05", "0.05 ", "+.05",
        "-0.05", "5e-2", "0,05", "0.005", "1",  "0",     "05",    ".0",
    };
    size_t i;
    double alpha;

    (void)state;
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        alpha = -1.0;
        assert_int_equal(stats_alpha_parse(good[i].s, &alpha), 0);
        assert_rel(alpha, good[i].want, 0.0);
        /* Everything parse accepts has a critical value. */
        assert_true(stats_critical_g2(alpha) > 0.0);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        alpha = 42.0;
        if (stats_alpha_parse(bad[i], &alpha) != -1) {
            print_error("accepted bad alpha '%s'\n", bad[i]);
            fail();
        }
        assert_rel(alpha, 42.0, 0.0); /* untouched on failure */
    }
    alpha = 42.0;
    assert_int_equal(stats_alpha_parse(NULL, &alpha), -1);
    assert_rel(alpha, 42.0, 0.0);
}

/* ---- stats_direction ---- */

static void test_direction(void **state)
{
    const uint64_t m = UINT64_MAX;

    (void)state;
    assert_int_equal(stats_direction(10, 20, 1000, 1000), 1);
    assert_int_equal(stats_direction(20, 10, 1000, 1000), -1);
    assert_int_equal(stats_direction(3, 3, 1000, 2000), -1); /* 3/2000 < 3/1000 */
    assert_int_equal(stats_direction(0, 5, 10000, 20000), 1);
    assert_int_equal(stats_direction(5, 0, 10000, 20000), -1);
    assert_int_equal(stats_direction(7, 14, 500, 1000), 0);
    assert_int_equal(stats_direction(0, 0, 500, 1000), 0);
    assert_int_equal(stats_direction(3, 4, 0, 1000), 0);
    assert_int_equal(stats_direction(3, 4, 1000, 0), 0);
    assert_int_equal(stats_direction(20, 5, 10, 100), -1); /* clamped: 10/10 vs 5/100 */
    /*
     * Exact beyond double precision: a = m−1, n1 = m, b = m−2, n2 = m−1 (m = 2^64 − 1).
     * b·n1 = (m−2)·m = m² − 2m;  a·n2 = (m−1)² = m² − 2m + 1.  So b/n2 < a/n1 by one part in
     * 2^128: −1. In double both ratios round to 1.
     */
    assert_int_equal(stats_direction(m - 1, m - 2, m, m - 1), -1);
    assert_int_equal(stats_direction(m - 2, m - 1, m - 1, m), 1);
    assert_int_equal(stats_direction(m, m, m, m), 0);
    /*
     * Same count, B one character smaller: +1. Both cross products are above 2^127 and b·n1
     * needs the carry out of the middle 32-bit partial sums (found by a search against
     * Python's exact integers); dropping that carry flips the answer.
     */
    assert_int_equal(stats_direction(UINT64_C(11679837837360162093), UINT64_C(11679837837360162093),
                                     UINT64_C(16618914958951241982),
                                     UINT64_C(16618914958951241981)),
                     1);
}

/* Direction, Log Ratio and %DIFF agree in sign on every small table ("+ = more in B"). */
static void test_sign_agreement_sweep(void **state)
{
    uint64_t n1, n2, a, b;

    (void)state;
    for (n1 = 1; n1 <= 9; n1++)
        for (n2 = 1; n2 <= 9; n2++)
            for (a = 1; a <= n1; a++) /* a > 0: no 0.5 substitution to shift the balance */
                for (b = 0; b <= n2; b++) {
                    int dir = stats_direction(a, b, n1, n2);
                    double pd = stats_pct_diff(a, b, n1, n2);

                    assert_int_equal(dir, (pd > 0.0) - (pd < 0.0));
                    if (b > 0) {
                        double lr = stats_log_ratio(a, b, n1, n2);

                        assert_int_equal(dir, (lr > 0.0) - (lr < 0.0));
                        assert_rel(stats_log_ratio(b, a, n2, n1), -lr, 1e-14);
                    }
                }
}

/* diff_rows_cut against its definition: the rows of diff_rows with max(a, b) >= min_count, in
 * their order, then the first top of them, for every min_count and top around the data. */
/*
 * --correct and --min-freq against values computed by hand (Python: G² as in the README, p =
 * erfc(sqrt(G²/2)), then the corrections by their definitions), both sides 10,000 Han:
 *   term (a, b)  G²             p                 Bonferroni (m=5)   Holm (m=5)
 *   甲 (0, 12)   16.6427366565  4.51227629343e-05  0.000225613814671  0.000225613814671 (5p)
 *   乙 (2, 10)   5.82526524188  0.0157975861993    0.0789879309966    0.0631903447973 (4p)
 *   戊 (20, 9)   4.28477045302  0.038455274877     0.192276374385     0.115365824631 (3p)
 *   丙 (5, 9)    1.15973790324  0.28151990362      1                  0.563039807240 (2p)
 *   丁 (7, 7)    0              1                  1                  1
 * Uncorrected, G² >= 3.84 makes 甲, 乙 and 戊 significant; either correction only 甲. With
 * --min-freq 8, 丁 (7, 7) is not tested: m = 4, Holm for 乙 is 3p.
 */
static void test_diff_corrections(void **state)
{
    (void)state;
    static const struct {
        const char *term;
        uint64_t a, b;
        double p, bonferroni, holm;
    } in[] = {
        {"甲", 0, 12, 4.51227629343e-05, 0.000225613814671, 0.000225613814671},
        {"乙", 2, 10, 0.0157975861993, 0.0789879309966, 0.0631903447973},
        {"戊", 20, 9, 0.038455274877, 0.192276374385, 0.115365824631},
        {"丙", 5, 9, 0.28151990362, 1, 0.563039807240},
        {"丁", 7, 7, 1, 1, 1},
    };
    struct diff d;
    diff_init(&d);
    d.side[0].han = d.side[1].han = 10000;
    for (size_t i = 0; i < 5; i++) {
        diff_add(&d, 0, in[i].term, in[i].a);
        diff_add(&d, 1, in[i].term, in[i].b);
    }
    for (int c = DIFF_CORRECT_NONE; c <= DIFF_CORRECT_HOLM; c++) {
        struct diff_test t = {0.05, 1, 0, (enum diff_correction)c, 0};
        struct diff_row *rows;
        size_t n, nsig = 0;
        diff_rows(&d, &t, &rows, &n);
        assert_int_equal(n, 5);
        assert_int_equal(t.tested, 5);
        for (size_t i = 0; i < n; i++) {
            size_t k = 0;
            while (strcmp(in[k].term, rows[i].term))
                k++;
            double want = c == DIFF_CORRECT_NONE         ? in[k].p
                          : c == DIFF_CORRECT_BONFERRONI ? in[k].bonferroni
                                                         : in[k].holm;
            assert_true(fabs(rows[i].p - in[k].p) <= 1e-9 * in[k].p + 1e-15);
            assert_true(fabs(rows[i].p_adjusted - want) <= 1e-9 * want);
            nsig += rows[i].significant != 0;
            if (rows[i].significant)
                assert_true(c == DIFF_CORRECT_NONE || !strcmp(rows[i].term, "甲"));
        }
        assert_int_equal(nsig, c == DIFF_CORRECT_NONE ? 3 : 1);
        free(rows);
    }
    struct diff_test t = {0.05, 1, 8, DIFF_CORRECT_HOLM, 0};
    struct diff_row *rows;
    size_t n;
    diff_rows(&d, &t, &rows, &n);
    assert_int_equal(n, 4);
    assert_int_equal(t.tested, 4);
    for (size_t i = 0; i < n; i++) {
        assert_string_not_equal(rows[i].term, "丁");
        if (!strcmp(rows[i].term, "乙"))
            assert_true(fabs(rows[i].p_adjusted - 3 * 0.0157975861993) <= 1e-9);
    }
    free(rows);
    diff_correction_parse("holm", &t.correction);
    assert_int_equal(t.correction, DIFF_CORRECT_HOLM);
    assert_int_equal(diff_correction_parse("Holm", &t.correction), -1);
    assert_string_equal(diff_correction_name(DIFF_CORRECT_BONFERRONI), "bonferroni");
    diff_release(&d);
}

static void test_diff_rows_cut(void **state)
{
    static const struct {
        const char *term;
        uint64_t a, b;
    } in[] = {{"p", 0, 6}, {"q", 1, 0}, {"r", 2, 1}, {"s", 0, 1}, {"t", 1, 1},
              {"u", 1, 1}, {"v", 1, 2}, {"w", 3, 0}, {"x", 0, 3}, {"y", 5, 5}};
    struct diff d;
    struct diff_row *all, *cut;
    size_t nall;
    (void)state;
    diff_init(&d);
    d.side[0].han = 61;
    d.side[1].han = 140;
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        diff_add(&d, 0, in[i].term, in[i].a);
        diff_add(&d, 1, in[i].term, in[i].b);
    }
    struct diff_test test = {0.05, 1, 0, DIFF_CORRECT_NONE, 0};
    diff_rows(&d, &test, &all, &nall);
    assert_int_equal(nall, 10);
    cut = malloc(nall * sizeof(*cut));
    assert_non_null(cut);
    for (uint64_t min = 0; min <= 7; min++)
        for (size_t top = 0; top <= nall + 1; top++) {
            size_t n = nall, want = 0;
            memcpy(cut, all, nall * sizeof(*cut));
            diff_rows_cut(cut, &n, min, top);
            for (size_t i = 0; i < nall && (!top || want < top); i++) {
                if (all[i].a < min && all[i].b < min)
                    continue;
                assert_true(want < n);
                assert_string_equal(cut[want].term, all[i].term);
                assert_true(cut[want].g2 == all[i].g2);
                want++;
            }
            assert_int_equal(n, want);
        }
    size_t n = nall;
    memcpy(cut, all, nall * sizeof(*cut));
    diff_rows_cut(cut, &n, 0, 0);
    assert_int_equal(n, nall);
    assert_memory_equal(cut, all, nall * sizeof(*cut));
    free(cut);
    free(all);
    diff_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_10k),
        cmocka_unit_test(test_g2_small),
        cmocka_unit_test(test_g2_zero_in_a),
        cmocka_unit_test(test_g2_zero_in_b),
        cmocka_unit_test(test_g2_unequal_sizes),
        cmocka_unit_test(test_g2_equal_and_degenerate),
        cmocka_unit_test(test_g2_clamp),
        cmocka_unit_test(test_g2_big_corpus),
        cmocka_unit_test(test_g2_small_tables_sweep),
        cmocka_unit_test(test_chi2_p1),
        cmocka_unit_test(test_log_ratio),
        cmocka_unit_test(test_pct_diff),
        cmocka_unit_test(test_critical_g2),
        cmocka_unit_test(test_alpha_parse),
        cmocka_unit_test(test_direction),
        cmocka_unit_test(test_sign_agreement_sweep),
        cmocka_unit_test(test_diff_rows_cut),
        cmocka_unit_test(test_diff_corrections),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
