/*
 * normalize: per-code-point normalization and classification.
 *
 * How it works: normalize_cp is a handful of range tests plus a binary search in the CJK
 * compatibility table (build/gen/cjk_compat.h, made from data/cjk_compat.txt, which Python's
 * unicodedata NFKC produced: 1,002 pairs). normalize_preimages inverts the same rules: ASCII
 * letters have four preimages (lower, upper, both full-width forms), other printable ASCII two,
 * a space has U+3000, a Han character itself plus the compatibility ideographs that map to it
 * (a binary search in the pairs sorted by unified form, build/gen/cjk_compat_inv.h; a linear
 * scan was 14% of start-up).
 */
#include "tifa/normalize.h"

#include "tifa/utf8.h"

static const uint32_t cjk_compat[][2] = {
#include "cjk_compat.h"
};
#define NCOMPAT (sizeof(cjk_compat) / sizeof(cjk_compat[0]))

/* The same pairs as (unified form, compatibility ideograph), sorted: the inverse lookup. */
static const uint32_t cjk_compat_inv[][2] = {
#include "cjk_compat_inv.h"
};

/* The first pair of @t (sorted by first value) whose first value is >= @key. */
static size_t pairs_lower_bound(const uint32_t (*t)[2], size_t n, uint32_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid][0] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static uint32_t compat_lookup(uint32_t cp)
{
    size_t lo = pairs_lower_bound(cjk_compat, NCOMPAT, cp);
    return lo < NCOMPAT && cjk_compat[lo][0] == cp ? cjk_compat[lo][1] : cp;
}

uint32_t normalize_cp(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
        cp -= 0xFF01 - 0x21;
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    }
    if (cp == 0x3000)
        return ' ';
    if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0x00AD)
        return NORM_DROP;
    if ((cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F))
        return compat_lookup(cp);
    return cp;
}

static int is_cnnum(uint32_t c)
{
    switch (c) {
    case 0x3007: /* 〇 */
    case 0x4E00: /* 一 */
    case 0x4E8C: /* 二 */
    case 0x4E09: /* 三 */
    case 0x56DB: /* 四 */
    case 0x4E94: /* 五 */
    case 0x516D: /* 六 */
    case 0x4E03: /* 七 */
    case 0x516B: /* 八 */
    case 0x4E5D: /* 九 */
    case 0x5341: /* 十 */
    case 0x767E: /* 百 */
    case 0x5343: /* 千 */
    case 0x4E07: /* 万 */
    case 0x4EBF: /* 亿 */
    case 0x4E24: /* 两 */
    case 0x96F6: /* 零 */ return 1;
    default: return 0;
    }
}

static int is_han_range(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x323AF) || c == 0x3007 || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x2F800 && c <= 0x2FA1F);
}

int normalize_is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000;
}

enum char_class normalize_class(uint32_t c)
{
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return CC_LATIN;
        if (c >= '0' && c <= '9')
            return CC_DIGIT;
        switch (c) {
        case '\n':
        case '\r': return CC_NEWLINE;
        case ' ':
        case '\t':
        case '\v':
        case '\f': return CC_SPACE;
        case '!':
        case '?':
        case ';': return CC_SENT_END;
        case ',': return CC_COMMA;
        case '"':
        case '\'': return CC_QUOTE_OPEN;
        }
        if (c >= 0x21 && c <= 0x7E)
            return CC_PUNCT;
        return CC_OTHER;
    }
    if (c == 0x2028 || c == 0x2029 || c == 0x85)
        return CC_NEWLINE;
    if (normalize_is_space(c))
        return CC_SPACE;
    if (is_cnnum(c))
        return CC_CNNUM;
    if (is_han_range(c))
        return CC_HAN;
    switch (c) {
    case 0x3002:
    case 0xFF01:
    case 0xFF1F:
    case 0xFF1B:
    case 0x2026: /* 。！？；… */ return CC_SENT_END;
    case 0x3001: /* 、 */ return CC_ENUM;
    case 0xFF0C: /* ， */ return CC_COMMA;
    case 0x201C:
    case 0x2018:
    case 0x300C:
    case 0x300E:
    case 0x300A: /* “‘「『《 */ return CC_QUOTE_OPEN;
    case 0x201D:
    case 0x2019:
    case 0x300D:
    case 0x300F:
    case 0x300B: /* ”’」』》 */ return CC_QUOTE_CLOSE;
    }
    if ((c >= 0x2010 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF65) || c == 0xB7)
        return CC_PUNCT;
    return CC_OTHER;
}

int normalize_is_han(uint32_t ncp)
{
    return is_han_range(ncp);
}

size_t normalize_preimages(uint32_t ncp, uint32_t *out, size_t max)
{
    size_t n = 0;
#define PUT(x)                                                                                     \
    do {                                                                                           \
        if (n < max)                                                                               \
            out[n] = (x);                                                                          \
        n++;                                                                                       \
    } while (0)
    if (ncp == NORM_DROP)
        return 0;
    if (normalize_cp(ncp) == ncp)
        PUT(ncp);
    if (ncp >= 'a' && ncp <= 'z') {
        PUT(ncp - 32);
        PUT(ncp - 0x21 + 0xFF01);
        PUT(ncp - 32 - 0x21 + 0xFF01);
    } else if (ncp > 0x20 && ncp < 0x7F && !(ncp >= 'A' && ncp <= 'Z')) {
        PUT(ncp - 0x21 + 0xFF01);
    } else if (ncp == ' ') {
        PUT(0x3000);
    } else if (ncp >= 0x2E80) {
        size_t lo = pairs_lower_bound(cjk_compat_inv, NCOMPAT, ncp);
        for (; lo < NCOMPAT && cjk_compat_inv[lo][0] == ncp; lo++)
            PUT(cjk_compat_inv[lo][1]);
    }
#undef PUT
    return n;
}

int normalize_is_match_quote(uint32_t c)
{
    switch (c) {
    case '"':
    case '\'':
    case 0x2018: /* ‘ */
    case 0x2019: /* ’ */
    case 0x201C: /* “ */
    case 0x201D: /* ” */
    case 0x300C: /* 「 */
    case 0x300D: /* 」 */
    case 0x300E: /* 『 */
    case 0x300F: /* 』 */ return 1;
    default: return 0;
    }
}

static int is_alnum_ascii(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

long normalize_pattern(const char *str, size_t len, uint32_t *out, size_t max, struct tifa_err *e)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, n = 0;
    int pending_space = 0;

    while (i < len) {
        uint32_t cp;
        int bad;
        size_t k = utf8_decode(s + i, len - i, &cp, &bad);
        if (bad) {
            tifa_err_set(e, TIFA_EDATA, NULL, 0, (long long)i, "invalid UTF-8 at byte %zu", i);
            return -1;
        }
        i += k;
        uint32_t c = normalize_cp(cp);
        if (c == NORM_DROP || normalize_is_match_quote(c))
            continue;
        enum char_class cc = normalize_class(c);
        if (cc == CC_SPACE || cc == CC_NEWLINE) {
            pending_space = n > 0;
            continue;
        }
        if (pending_space && is_alnum_ascii(out[n - 1]) && is_alnum_ascii(c)) {
            if (n >= max)
                return -2;
            out[n++] = ' ';
        }
        pending_space = 0;
        if (n >= max)
            return -2;
        out[n++] = c;
    }
    return (long)n;
}
