/*
 * stats: keyness statistics for comparing one term's frequency in two corpora (`tifa diff A B`).
 *
 * Owns: the formulas: normalized frequency, log-likelihood G² and its p-value, Log Ratio, %DIFF,
 * direction, and the table of critical values. Must not: count (agg does), read or print
 * anything, allocate, or keep state. Every function is pure: same arguments, same result, safe
 * from any thread.
 *
 * Vocabulary used by every function below:
 *   a   occurrences of the term in corpus A (the first, "old", reference side)
 *   b   occurrences of the term in corpus B (the second, "new" side)
 *   n1  size of A, n2 size of B, both in the same unit (tifa uses Han characters)
 *   N   n1 + n2
 * DIRECTION: tifa's convention everywhere is "+ = more in B": a positive Log Ratio, a positive
 * %DIFF and stats_direction() == +1 all mean b/n2 > a/n1.
 *
 * Edge cases shared by the two-corpus functions (g2, log_ratio, pct_diff, direction):
 *   - n1 == 0 or n2 == 0: a relative frequency is undefined; the result is 0.
 *   - a > n1 (or b > n2) cannot happen with correct counts; the count is clamped to the size
 *     (a = n1), so the 2×2 table never has a negative cell. No function reports it.
 *
 * Formulas, exactly as implemented:
 *
 *   per 10k     = count × 10000 / size                          (0 when size == 0)
 *
 *   G²          Rayson & Garside (2000), "Comparing corpora using frequency profiling"; the full
 *               four-cell form that AntConc (its default "4-term" option) and CQPweb compute.
 *               Observed table  O = | a       b      |   row totals R1 = a + b
 *                                   | n1 − a  n2 − b |              R2 = N − R1
 *               column totals C1 = n1, C2 = n2; expected E_ij = R_i × C_j / N;
 *               G² = 2 × Σ_ij O_ij × ln(O_ij / E_ij), a cell with O_ij = 0 contributing 0.
 *               G² ≥ 0 and carries no direction (see stats_direction).
 *
 *   p-value     p = P(χ²₁ ≥ x) = erfc(√(x / 2))                   (1 when x ≤ 0)
 *
 *   Log Ratio   Hardie (2014), "Log Ratio: an informal introduction" (CASS blog):
 *               LR = log2( (b′ / n2) / (a′ / n1) ),  a′ = a or 0.5 when a == 0, b′ likewise
 *               (CQPweb's substitution for a zero frequency); 0 when a == b == 0.
 *               Hardie writes it corpus-1-over-corpus-2; tifa puts B on top ("+ = more in B").
 *               Each unit is a doubling: LR = 1 means twice as frequent in B, −2 a quarter.
 *
 *   %DIFF       Gabrielatos & Marchi (2012), "Keyness: appropriate metrics and practical issues"
 *               (CADS International Conference, Bologna): A is the reference corpus,
 *               NF_A = a′ / n1, NF_B = b / n2 (the same per-token base for both),
 *               %DIFF = (NF_B − NF_A) × 100 / NF_A,  a′ = a or 0.5 when a == 0 ("0.5 for a zero
 *               reference"); b is never replaced, so b == 0 gives −100; 0 when a == b == 0.
 *
 *   critical G² for one degree of freedom: the exact χ²₁ quantiles 3.8415, 6.6349, 10.8276,
 *               15.1367 rounded to 2 decimals: α = .05 → 3.84, .01 → 6.63, .001 → 10.83,
 *               .0001 → 15.14.
 */
#ifndef TIFA_STATS_H
#define TIFA_STATS_H

#include <stdint.h>

/**
 * Normalized frequency per 10,000 units of @size: @count × 10000 / @size. Returns 0 when @size
 * is 0 (an empty corpus has no frequency; it is not an error). @count > @size is not checked.
 *
 *     stats_per_10k(3, 1500) == 20.0
 */
double stats_per_10k(uint64_t count, uint64_t size);

/**
 * Log-likelihood G² (Rayson & Garside 2000, four-cell form; see the top of this file) for the
 * table [a, b; n1 − a, n2 − b]. Always ≥ 0; 0 when n1 or n2 is 0, when a/n1 == b/n2, and when
 * a == b == 0. Clamps a to n1 and b to n2.
 *
 * Precision: computed in long double. Every cell's deviation O − E is ±D with
 * D = (a·n2 − b·n1) / N, and the cross products are formed exactly (128-bit) before the
 * conversion, so each term O·ln(O/E) = −O·log1p(−d/O) is accurate even when O and E agree to nine
 * digits (corpora of 10⁹ characters) and the large cells nearly cancel: relative error ~1e-15
 * where the textbook double formula is off by ~1e-10.
 *
 *     stats_g2(10, 20, 1000, 1000)  ≈ 3.4487   (below 3.84: not significant at .05)
 *     stats_g2(0, 5, 10000, 20000)  ≈ 4.0551   (a zero cell contributes 0)
 *     stats_g2(7, 14, 500, 1000)    == 0       (same relative frequency, exactly 0)
 */
double stats_g2(uint64_t a, uint64_t b, uint64_t n1, uint64_t n2);

/**
 * Upper-tail p-value of χ² with one degree of freedom at @x: erfc(√(x/2)). Returns 1 for
 * x ≤ 0, NaN for NaN; underflows to 0 for x above about 1480 (p < 5e-324).
 *
 *     stats_chi2_p1(3.841458820694124) ≈ 0.05
 */
double stats_chi2_p1(double x);

/**
 * Hardie's Log Ratio, oriented so that + = more in B: log2((b′/n2) / (a′/n1)) where a zero
 * count is replaced by 0.5. Returns 0 when a == b == 0 or when n1 or n2 is 0. Clamps a to n1,
 * b to n2.
 *
 *     stats_log_ratio(10, 20, 1000, 1000) == 1.0      (twice as frequent in B)
 *     stats_log_ratio(0, 5, 10000, 20000)  == log2(5) (A's 0 counted as 0.5)
 */
double stats_log_ratio(uint64_t a, uint64_t b, uint64_t n1, uint64_t n2);

/**
 * %DIFF of Gabrielatos & Marchi (2012) with A as the reference: (NF_B − NF_A) × 100 / NF_A,
 * NF = count / size, and a == 0 replaced by 0.5 (b is never replaced). Range [−100, +∞).
 * Returns 0 when a == b == 0 or when n1 or n2 is 0. Clamps a to n1, b to n2.
 *
 *     stats_pct_diff(10, 20, 1000, 1000) == 100.0   (+100 %: doubled in B)
 *     stats_pct_diff(5, 0, 1000, 1000)   == -100.0  (gone from B)
 */
double stats_pct_diff(uint64_t a, uint64_t b, uint64_t n1, uint64_t n2);

/**
 * Critical value of G² (χ², one degree of freedom) for significance level @alpha: 3.84 for .05,
 * 6.63 for .01, 10.83 for .001, 15.14 for .0001 (the exact quantiles rounded to 2 decimals).
 * @alpha must be one of those four doubles (e.g. from stats_alpha_parse); any other value
 * returns -1.0, which the caller reports as a usage error.
 *
 * Because of the rounding, G² just above the rounded value (3.84 ≤ G² < 3.8415) has p slightly
 * above α; callers that must agree with a printed p-value should compare stats_chi2_p1(g2) < α.
 */
double stats_critical_g2(double alpha);

/**
 * Parses a significance level: exactly "0.05", ".05", "0.01", ".01", "0.001", ".001", "0.0001"
 * or ".0001" (no spaces, signs or exponents). On success stores the value in *@alpha and
 * returns 0; otherwise returns -1 and leaves *@alpha untouched. @s may be NULL (-1).
 */
int stats_alpha_parse(const char *s, double *alpha);

/**
 * Which side the term is relatively more frequent in: +1 if b/n2 > a/n1 (more in B), -1 if
 * less, 0 if equal or if n1 or n2 is 0. Exact: compares the integer cross products a·n2 and
 * b·n1 in 128 bits, no rounding. Clamps a to n1, b to n2.
 */
int stats_direction(uint64_t a, uint64_t b, uint64_t n1, uint64_t n2);

#endif
