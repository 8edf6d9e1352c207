/*
 * utf8: decoding, encoding and validating UTF-8; display width of code points.
 *
 * Owns: the byte-level rules of UTF-8 (RFC 3629) and East Asian display width. Must not: know
 * about files, encodings other than UTF-8, or normalization.
 *
 * Invalid input follows the Unicode "maximal subpart" practice (Unicode 15, section 3.9, table
 * 3-8): each maximal prefix of a would-be sequence that cannot be completed counts as ONE invalid
 * sequence and becomes one U+FFFD. Overlong forms, surrogates (U+D800..U+DFFF), values past
 * U+10FFFF, and the old 5- and 6-byte forms are all invalid.
 */
#ifndef TIFA_UTF8_H
#define TIFA_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/**
 * Decodes one code point at @s (with @len > 0 bytes available). Returns the number of bytes
 * consumed (1..4) and stores the code point in @cp. On an invalid sequence stores
 * UTF8_REPLACEMENT, returns the length of the maximal invalid subpart (>= 1) and sets @invalid
 * to 1; otherwise sets it to 0. When the input ends inside a sequence that could still be valid,
 * returns the bytes available with @invalid = 2 ("truncated"), so a streaming caller can wait
 * for more input.
 */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp, int *invalid);

/** Encodes @cp (must be a scalar value) into @out (room for 4 bytes); returns the length. */
size_t utf8_encode(uint32_t cp, char *out);

/**
 * Returns the length of the longest prefix of @s that is valid UTF-8 and does not end inside a
 * sequence; equal to @len when all of @s is valid.
 */
size_t utf8_valid_prefix(const unsigned char *s, size_t len);

/** utf8_valid_prefix without SIMD: the reference the vector path is tested against. */
size_t utf8_valid_prefix_scalar(const unsigned char *s, size_t len);

/** Returns 1 if @s[0..len) is entirely valid UTF-8, else 0. */
int utf8_is_valid(const unsigned char *s, size_t len);

/** Terminal columns of @cp: 0 for combining/zero-width, 2 for East Asian Wide/Fullwidth, else 1. */
int utf8_cp_cols(uint32_t cp);

/** Display columns of the UTF-8 string @s (invalid bytes count one column each). */
size_t utf8_str_cols(const char *s, size_t len);

#endif
