/*
 * utf8: UTF-8 decoding with maximal-subpart error handling, and display widths.
 *
 * How it works: utf8_decode follows table 3-7 of the Unicode standard (well-formed byte
 * sequences): the lead byte fixes the length and the allowed range of the SECOND byte (E0: A0..BF,
 * ED: 80..9F, F0: 90..BF, F4: 80..8F), which excludes overlongs, surrogates and values past
 * U+10FFFF without computing the value first. The first byte that breaks the pattern ends the
 * invalid subpart, so "E4 B8" followed by "A" is one invalid sequence of 2 bytes, then "A".
 * utf8_valid_prefix is the one validator of the program (detection and the decoder use it): it
 * skips ASCII eight bytes at a time and checks four 3-byte sequences (the bulk of Chinese text)
 * with two masked word compares, falling back to utf8_decode for everything else.
 * Display width uses the East Asian Width ranges that matter for Chinese text (a compact
 * subset of wcwidth: Hangul Jamo, CJK, Hangul syllables, compatibility forms, fullwidth forms).
 */
#include "tifa/utf8.h"

#include <string.h>

size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp, int *invalid)
{
    unsigned c = s[0];
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;
    uint32_t v;

    *invalid = 0;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xC2 || c > 0xF4) {
        *cp = UTF8_REPLACEMENT;
        *invalid = 1;
        return 1;
    }
    if (c < 0xE0) {
        need = 1;
        v = c & 0x1F;
    } else if (c < 0xF0) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= len) {
            *cp = UTF8_REPLACEMENT;
            *invalid = 2;
            return len;
        }
        unsigned b = s[i];
        if (b < lo || b > hi) {
            *cp = UTF8_REPLACEMENT;
            *invalid = 1;
            return i;
        }
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return need + 1;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* 1 if @s[0..12) is four valid 3-byte sequences (leads E1..EC, EE, EF), the bulk of Chinese
 * text: one masked compare per word, endian-neutral because the masks are built from bytes. */
static int four_3byte(const unsigned char *s)
{
    static const unsigned char m1b[8] = {0xF0, 0xC0, 0xC0, 0xF0, 0xC0, 0xC0, 0xF0, 0xC0};
    static const unsigned char v1b[8] = {0xE0, 0x80, 0x80, 0xE0, 0x80, 0x80, 0xE0, 0x80};
    static const unsigned char m2b[4] = {0xC0, 0xF0, 0xC0, 0xC0};
    static const unsigned char v2b[4] = {0x80, 0xE0, 0x80, 0x80};
    uint64_t w1, m1, v1;
    uint32_t w2, m2, v2;
    memcpy(&w1, s, 8);
    memcpy(&w2, s + 8, 4);
    memcpy(&m1, m1b, 8);
    memcpy(&v1, v1b, 8);
    memcpy(&m2, m2b, 4);
    memcpy(&v2, v2b, 4);
    if ((w1 & m1) != v1 || (w2 & m2) != v2)
        return 0;
    /* E0 and ED leads need a range check on the second byte: leave them to the slow path. */
    unsigned bits = (1u << (s[0] & 15)) | (1u << (s[3] & 15)) | (1u << (s[6] & 15)) |
                    (1u << (s[9] & 15));
    return !(bits & ((1u << 0) | (1u << 0xD)));
}

size_t utf8_valid_prefix(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i + 12 <= len && four_3byte(s + i))
            i += 12;
        if (i >= len)
            break;
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            while (i + 8 <= len) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
                i += 8;
            }
            while (i < len && s[i] < 0x80)
                i++;
            continue;
        }
        /* E1..EC, EE, EF + two continuation bytes: always valid (no overlong, no surrogate). */
        if (c - 0xE1u <= 0xEu && c != 0xED && i + 3 <= len &&
            ((s[i + 1] & 0xC0u) | ((s[i + 2] & 0xC0u) >> 2)) == 0xA0u) {
            i += 3;
            continue;
        }
        uint32_t cp;
        int bad;
        size_t n = utf8_decode(s + i, len - i, &cp, &bad);
        if (bad)
            return i;
        i += n;
    }
    return i;
}

int utf8_is_valid(const unsigned char *s, size_t len)
{
    return utf8_valid_prefix(s, len) == len;
}

int utf8_cp_cols(uint32_t cp)
{
    if (cp == 0 || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF ||
        cp == 0x00AD)
        return 0;
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0xFE20 && cp <= 0xFE2F))
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
        (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

size_t utf8_str_cols(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, cols = 0;
    while (i < len) {
        uint32_t cp;
        int bad;
        size_t n = utf8_decode(s + i, len - i, &cp, &bad);
        cols += bad ? 1 : (size_t)utf8_cp_cols(cp);
        i += n;
    }
    return cols;
}
