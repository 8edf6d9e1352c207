/*
 * encoding: guessing a file's encoding from a sample, and converting any input to valid UTF-8.
 *
 * How it works.
 *
 * Detection (encoding_detect), in this order:
 *  1. A byte-order mark decides: EF BB BF UTF-8; FF FE 00 00 UTF-32LE (tested before UTF-16LE,
 *     whose BOM FF FE it starts with); 00 00 FE FF UTF-32BE; FF FE UTF-16LE; FE FF UTF-16BE.
 *  2. A sample that is valid UTF-8 is UTF-8 (a sequence cut off at the end of an incomplete
 *     sample is allowed). This is the common case and costs one fast validation pass.
 *  3. Otherwise three readings compete: UTF-8 with errors, GB18030 and BIG5. Each decodes the
 *     same window of the sample (from its first non-ASCII byte, at most SCORE_WINDOW bytes, so
 *     detection stays well under 5 ms on a 1 MiB sample) and is charged a COST per code point,
 *     a rough -log2 probability in quarter bits of seeing that character in Chinese text. The
 *     cheapest total wins; ties go to the earlier candidate. Summing (not averaging) is what a
 *     likelihood comparison needs: all readings cover the same bytes, and a misreading that
 *     splits them into more, rarer characters pays for each of them.
 *     Costs: a Han character of frequency rank r in data/han_common.txt costs 4 + log2(r) bits
 *     (Zipf's law), a listed traditional form one bit more; other Han characters 21 bits; ASCII
 *     and common Chinese punctuation a few bits; symbols typical of misdecoding (kana, Greek,
 *     Cyrillic, box drawing, pinyin letters, private-use and GBK user-defined areas, control
 *     characters) 25 bits; an invalid sequence 30 bits. So a UTF-8 file with a few corrupt bytes
 *     pays 30 bits per bad byte but its reading as GB18030 pays ~15 bits more for every single
 *     character; Big5 read as GBK turns the commonest characters into kana; GBK read as Big5
 *     yields uniformly random traditional characters instead of Zipf-distributed common ones.
 *     Why not raw error counts: GB18030 decodes nearly any byte string, and Big5 bytes are
 *     mostly valid GBK.
 *  The frequency data is the embedded han_common_txt (one character per line, most frequent
 *  first, traditional forms after a tab). It is parsed on each call that needs scoring into a
 *  stack table of one cost byte per code point of U+4E00..U+9FFF (21 KB, ~30 µs to fill): no
 *  global or lazily built state, so detection is thread-safe and reentrant.
 *  If iconv lacks GB18030 or BIG5 that candidate is skipped; detection never fails.
 *
 * Decoding (decoder_feed): UTF-8 input is validated in place: runs of valid bytes are appended
 * unchanged (ASCII is skipped 8 bytes at a time, four 3-byte sequences by two masked word
 * compares, in 16 KiB blocks copied while still in cache), each maximal invalid subpart
 * (utf8_decode's rule) becomes one U+FFFD. Other encodings go through iconv(3) into the output
 * sbuf directly: EILSEQ emits U+FFFD and skips one code unit (1 byte, 2 for UTF-16, 4 for
 * UTF-32); E2BIG grows the buffer; EINVAL (a sequence cut off at the end of the piece) keeps the
 * tail in carry[] for the next call, or when @final emits one U+FFFD. A carried tail is completed
 * by converting carry + the next few bytes in a small stack buffer, so the output does not depend
 * on where the input was split. Every replacement is counted in d->invalid, the first one's file
 * offset kept in d->first_invalid_off.
 * Offsets: d->in_off starts at base_off and advances by every byte fed, so the carried bytes of
 * a piece sit at in_off - ncarry.
 * What iconv accepts is valid: glibc's BIG5 turns a stray 0x80 into U+0080 and GB18030 gives
 * every well-formed four-byte sequence a code point, so such bytes are not counted as invalid.
 * Ownership: the decoder owns its iconv descriptor (decoder_release closes it); output is
 * appended to the caller's sbuf. Nothing here prints or keeps global state.
 */
#include "tifa/encoding.h"

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tifa/embedded.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

/* ---- UTF-8 detection (validation itself is utf8_valid_prefix) ---- */

/* 1 if @s is valid UTF-8, allowing (when !@complete) a sequence cut off at the very end. */
static int utf8_plausible_prefix(const unsigned char *s, size_t len, int complete, size_t *valid)
{
    size_t v = utf8_valid_prefix(s, len);
    *valid = v;
    if (v == len)
        return 1;
    if (complete)
        return 0;
    uint32_t cp;
    int bad;
    utf8_decode(s + v, len - v, &cp, &bad);
    return bad == 2;
}

/* ---- detection ---- */

#define SCORE_WINDOW (64u * 1024u)
#define HAN_FIRST 0x4E00u
#define HAN_LAST 0x9FFFu

/* Costs in quarter bits (about -4 * log2 p). */
enum {
    COST_RANK_BASE = 16, /* 4 bits + log2(rank) */
    COST_TRAD_EXTRA = 4, /* a listed traditional form: 1 bit more than its simplified rank */
    COST_HAN_OTHER = 84, /* unlisted Han in U+4E00..U+9FFF */
    COST_HAN_RARE = 96,  /* extension A/B..., compatibility ideographs */
    COST_SPACE = 16,     /* \t \n \r, space, U+3000 */
    COST_PUNCT = 20,     /* ，。、；：？！“”‘’《》（）—… and friends */
    COST_ASCII = 24,     /* ASCII letters, digits, punctuation */
    COST_SYMBOL = 48,    /* other CJK symbols, fullwidth forms, general punctuation */
    COST_OTHER = 72,     /* anything else */
    COST_ODD = 100,      /* typical of misdecoding: kana, Greek, Cyrillic, box drawing, PUA, ... */
    COST_INVALID = 120   /* an invalid sequence or U+FFFD */
};

struct han_costs {
    unsigned char cost[HAN_LAST - HAN_FIRST + 1];
};

/* floor(4 * log2(r)) for r >= 1, without libm. */
static unsigned lg4(unsigned r)
{
    unsigned k = 0;
    while ((r >> k) > 1)
        k++;
    unsigned long long m = ((unsigned long long)r << 16) >> k; /* r / 2^k in [1, 2), 16.16 */
    unsigned q = m >= 110218 ? 3 : m >= 92682 ? 2 : m >= 77936 ? 1 : 0; /* 2^.75 2^.5 2^.25 */
    return 4 * k + q;
}

/* Fills @hc from the embedded frequency list (see data/han_common.txt for its format). */
static void han_costs_build(struct han_costs *hc)
{
    const unsigned char *p = (const unsigned char *)han_common_txt;
    const unsigned char *end = p + han_common_txt_len;
    unsigned rank = 0;

    memset(hc->cost, COST_HAN_OTHER, sizeof(hc->cost));
    while (p < end) {
        const unsigned char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (*p != '#' && eol > p) {
            unsigned base = COST_RANK_BASE + lg4(++rank);
            int first = 1;
            while (p < eol) {
                /* U+4E00..U+9FFF are 3-byte sequences with leads E4..E9; skip anything else */
                if (p[0] < 0xE4 || p[0] > 0xE9 || eol - p < 3) {
                    p++;
                    continue;
                }
                uint32_t cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 |
                              (uint32_t)(p[2] & 0x3F);
                p += 3;
                if (cp < HAN_FIRST) /* E4 80..B7 xx: below the block */
                    continue;
                unsigned c = first ? base : base + COST_TRAD_EXTRA;
                if (c > COST_HAN_OTHER)
                    c = COST_HAN_OTHER;
                if (c < hc->cost[cp - HAN_FIRST])
                    hc->cost[cp - HAN_FIRST] = (unsigned char)c;
                first = 0;
            }
        }
        p = eol + 1;
    }
}

static unsigned cp_cost(const struct han_costs *hc, uint32_t cp)
{
    if (cp >= HAN_FIRST && cp <= HAN_LAST)
        return hc->cost[cp - HAN_FIRST];
    if (cp < 0x80) {
        if (cp == '\t' || cp == '\n' || cp == '\r' || cp == ' ')
            return COST_SPACE;
        if (cp < 0x20 || cp == 0x7F)
            return COST_ODD;
        return COST_ASCII;
    }
    switch (cp) {
    case 0x3000: /* ideographic space */ return COST_SPACE;
    case 0xFF0C:
    case 0x3002:
    case 0x3001:
    case 0xFF1B:
    case 0xFF1A:
    case 0xFF1F:
    case 0xFF01:
    case 0x201C:
    case 0x201D:
    case 0x2018:
    case 0x2019:
    case 0x300A:
    case 0x300B:
    case 0xFF08:
    case 0xFF09:
    case 0x2014:
    case 0x2026:
    case 0x00B7:
    case 0x300C:
    case 0x300D:
    case 0x3010:
    case 0x3011:
    case 0xFF05: return COST_PUNCT;
    case UTF8_REPLACEMENT: return COST_INVALID;
    default: break;
    }
    if (cp < 0xA0                         /* C1 controls */
        || (cp >= 0x0100 && cp <= 0x024F) /* Latin extended: pinyin letters in GBK */
        || (cp >= 0x0370 && cp <= 0x052F) /* Greek, Cyrillic */
        || (cp >= 0x2500 && cp <= 0x259F) /* box drawing, block elements */
        || (cp >= 0x3040 && cp <= 0x30FF) /* kana */
        || (cp >= 0x3100 && cp <= 0x312F) /* bopomofo */
        || (cp >= 0xE000 && cp <= 0xF8FF) /* private use: GBK user-defined areas */
        || (cp >= 0xFE10 && cp <= 0xFE1F) || cp >= 0xF0000)
        return COST_ODD;
    if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0x20000 && cp <= 0x3FFFF))
        return COST_HAN_RARE;
    if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
        (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0xFE30 && cp <= 0xFE4F))
        return COST_SYMBOL;
    return COST_OTHER;
}

/*
 * Total cost of reading @s[0..len) as UTF-8 (a truncated tail is not charged when !@complete).
 * Also counts, in *@nlong and *@nbad, the valid 3- and 4-byte sequences and the invalid ones.
 */
static unsigned long long score_utf8(const struct han_costs *hc, const unsigned char *s, size_t len,
                                     int complete, size_t *nlong, size_t *nbad)
{
    unsigned long long sum = 0;
    size_t i = 0;
    *nlong = *nbad = 0;
    while (i < len) {
        uint32_t cp;
        int bad;
        size_t n = utf8_decode(s + i, len - i, &cp, &bad);
        if (bad == 2 && !complete)
            break;
        sum += bad ? COST_INVALID : cp_cost(hc, cp);
        *nbad += bad != 0;
        *nlong += !bad && n >= 3;
        i += n;
    }
    return sum;
}

/*
 * UTF-8 with errors, whatever it spells: a window with at least LONG_MIN valid 3- or 4-byte
 * sequences, and at least one for every LONG_RATIO invalid ones. A double-byte encoding read as
 * UTF-8 forms such a sequence only by chance: one for every 23 to 170 invalid ones in the public
 * GBK and Big5 texts and the test fixtures, against one for every 5 in Markus Kuhn's stress
 * test, whose malformed sections are mostly ASCII and would otherwise cost less as GB18030
 * (pairs of stray bytes become rare Han characters, cheaper than two invalid sequences).
 */
#define LONG_MIN 16u
#define LONG_RATIO 10u
static int utf8_long_sequences_decide(size_t nlong, size_t nbad)
{
    return nlong >= LONG_MIN && nlong * LONG_RATIO >= nbad;
}

/*
 * Total cost of reading @s[0..len) as @enc via iconv; ULLONG_MAX when iconv lacks @enc. When
 * @nchars is not NULL, it receives the number of characters and invalid sequences read.
 */
static unsigned long long score_iconv(const struct han_costs *hc, const char *enc,
                                      const unsigned char *s, size_t len, int complete,
                                      size_t *nchars)
{
    iconv_t cd = iconv_open("UTF-32LE", enc);
    unsigned long long sum = 0;
    unsigned char buf[4096];
    size_t pos = 0, n = 0;

    if (cd == (iconv_t)-1)
        return ~0ull;
    while (pos < len) {
        char *ip = (char *)(s + pos);
        size_t il = len - pos;
        char *op = (char *)buf;
        size_t ol = sizeof(buf);
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        int err = errno;
        pos = (size_t)((const unsigned char *)ip - s);
        for (const unsigned char *q = buf; q + 4 <= (const unsigned char *)op; q += 4, n++)
            sum += cp_cost(hc, (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 |
                                   (uint32_t)q[3] << 24);
        if (r != (size_t)-1 || err == E2BIG)
            continue;
        if (err == EINVAL) { /* cut off at the end of the window */
            if (complete) {
                sum += COST_INVALID;
                n++;
            }
            break;
        }
        sum += COST_INVALID; /* EILSEQ: skip one byte */
        n++;
        pos++;
    }
    iconv_close(cd);
    if (nchars)
        *nchars = n;
    return sum;
}

static void guess_set(struct enc_guess *g, const char *name, size_t bom_len)
{
    snprintf(g->name, sizeof(g->name), "%s", name);
    g->bom_len = bom_len;
    g->valid_len = 0;
}

/*
 * UTF-16 without a byte-order mark, in the byte order whose reading of the first SCORE_WINDOW
 * bytes (from offset 0, where code units are aligned) costs less per character, when that mean
 * cost is at most WIDE_MAX_MEAN, in quarter bits. 200 public texts converted to UTF-16LE and BE
 * cost at most 41.3 in the right byte order and at least 66.5 in the wrong one; the 1,650 public
 * texts as they are (UTF-8, GBK) at least 72.1, fonts, object files, archives and .mo files at
 * least 68.2 (bench/NOTES.md, "UTF-16 without a byte-order mark").
 */
#define WIDE_MAX_MEAN 52u
static int utf16_guess(const struct han_costs *hc, const unsigned char *s, size_t len, int complete,
                       struct enc_guess *g)
{
    static const char *const names[] = {"UTF-16LE", "UTF-16BE"};
    size_t wlen = len < SCORE_WINDOW ? len : SCORE_WINDOW;
    int wcomplete = complete && wlen == len;
    unsigned long long cost[2];
    size_t n[2];

    if (!wcomplete)
        wlen &= ~(size_t)1;
    if (wlen < 2)
        return 0;
    for (int i = 0; i < 2; i++)
        cost[i] = score_iconv(hc, names[i], s, wlen, wcomplete, &n[i]);
    int best = cost[1] * n[0] < cost[0] * n[1];
    if (!n[best] || cost[best] > (unsigned long long)WIDE_MAX_MEAN * n[best])
        return 0;
    guess_set(g, names[best], 0);
    return 1;
}

int encoding_is_wide(const char *name)
{
    return !strncasecmp(name, "UTF-16", 6) || !strncasecmp(name, "UTF-32", 6) ||
           !strncasecmp(name, "UCS-2", 5) || !strncasecmp(name, "UCS-4", 5);
}

void encoding_detect(const unsigned char *s, size_t len, int complete, struct enc_guess *g)
{
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        guess_set(g, "UTF-8", 3);
        return;
    }
    if (len >= 4 && s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0) {
        guess_set(g, "UTF-32LE", 4);
        return;
    }
    if (len >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF) {
        guess_set(g, "UTF-32BE", 4);
        return;
    }
    if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        guess_set(g, "UTF-16LE", 2);
        return;
    }
    if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        guess_set(g, "UTF-16BE", 2);
        return;
    }
    /* the cost table is built only for samples that are not plain UTF-8 (the common case) */
    struct han_costs hc;
    size_t head = len < SCORE_WINDOW ? len : SCORE_WINDOW;
    int nul = memchr(s, '\0', head) != NULL;
    if (nul) { /* ASCII in UTF-16 is full of NUL bytes and still valid UTF-8 */
        han_costs_build(&hc);
        if (utf16_guess(&hc, s, len, complete, g))
            return;
    }
    size_t valid;
    if (utf8_plausible_prefix(s, len, complete, &valid)) {
        guess_set(g, "UTF-8", 0);
        g->valid_len = valid;
        return;
    }
    if (!nul) {
        han_costs_build(&hc);
        if (utf16_guess(&hc, s, len, complete, g))
            return;
    }

    /* The window starts at the first non-ASCII byte: a lead byte in all three encodings. */
    size_t start = 0;
    while (start < len && s[start] < 0x80)
        start++;
    size_t wlen = len - start < SCORE_WINDOW ? len - start : SCORE_WINDOW;
    int wcomplete = complete && start + wlen == len;
    const unsigned char *w = s + start;

    static const char *const names[] = {"UTF-8", "GB18030", "BIG5"};
    unsigned long long cost[3];
    size_t nlong, nbad;
    cost[0] = score_utf8(&hc, w, wlen, wcomplete, &nlong, &nbad);
    if (utf8_long_sequences_decide(nlong, nbad)) {
        guess_set(g, "UTF-8", 0);
        return;
    }
    cost[1] = score_iconv(&hc, "GB18030", w, wlen, wcomplete, NULL);
    cost[2] = score_iconv(&hc, "BIG5", w, wlen, wcomplete, NULL);
    int best = 0;
    for (int i = 1; i < 3; i++)
        if (cost[i] < cost[best])
            best = i;
    guess_set(g, names[best], 0);
}

/* ---- decoding ---- */

static int is_utf8_name(const char *name)
{
    return !strcasecmp(name, "UTF-8") || !strcasecmp(name, "UTF8");
}

int decoder_init(struct decoder *d, const char *name, unsigned long long base_off,
                 struct tifa_err *e)
{
    memset(d, 0, sizeof(*d));
    d->cd = (iconv_t)-1;
    d->in_off = base_off;
    d->first_invalid_off = -1;
    if (is_utf8_name(name)) {
        d->is_utf8 = 1;
        snprintf(d->name, sizeof(d->name), "UTF-8");
        return 0;
    }
    snprintf(d->name, sizeof(d->name), "%s", name);
    d->cd = iconv_open("UTF-8", name);
    if (d->cd == (iconv_t)-1)
        return tifa_err_set(e, TIFA_EUSAGE, NULL, 0, -1, "unknown encoding '%s'", name);
    return 0;
}

/* Appends U+FFFD for an invalid sequence at file offset @off and counts it. */
static void add_invalid(struct decoder *d, unsigned long long off, struct sbuf *out)
{
    if (!d->invalid)
        d->first_invalid_off = (long long)off;
    d->invalid++;
    sbuf_add(out, "\xEF\xBF\xBD", 3);
}

/* UTF-8 input is validated and copied in blocks of this size (fits in L1/L2). */
#define UTF8_BLOCK (16u * 1024u)

/* Bytes per code unit of the (non-UTF-8) input encoding: what EILSEQ skips. */
static size_t unit_len(const struct decoder *d)
{
    if (!strncasecmp(d->name, "UTF-32", 6) || !strncasecmp(d->name, "UCS-4", 5) ||
        !strncasecmp(d->name, "UTF32", 5))
        return 4;
    if (!strncasecmp(d->name, "UTF-16", 6) || !strncasecmp(d->name, "UCS-2", 5) ||
        !strncasecmp(d->name, "UTF16", 5))
        return 2;
    return 1;
}

/*
 * Converts @s[0..len) (file offset @off) appending to @out; returns the bytes consumed. Stops
 * before the end only at a sequence cut off by the end of @s, setting *@incomplete.
 */
static size_t utf8_run(struct decoder *d, const unsigned char *s, size_t len,
                       unsigned long long off, struct sbuf *out, int *incomplete)
{
    size_t pos = 0;
    *incomplete = 0;
    sbuf_grow(out, len);
    while (pos < len) {
        /* Validate a block, then copy it while it is still in cache. */
        size_t lim = len - pos < UTF8_BLOCK ? len - pos : UTF8_BLOCK;
        size_t v = utf8_valid_prefix(s + pos, lim);
        sbuf_add(out, s + pos, v);
        pos += v;
        if (v == lim)
            continue;
        uint32_t cp;
        int bad;
        size_t n = utf8_decode(s + pos, len - pos, &cp, &bad);
        if (bad == 2) {
            *incomplete = 1;
            break;
        }
        if (bad)
            add_invalid(d, off + pos, out);
        else /* only cut by the block's end */
            sbuf_add(out, s + pos, n);
        pos += n;
    }
    return pos;
}

static size_t iconv_run(struct decoder *d, const unsigned char *s, size_t len,
                        unsigned long long off, struct sbuf *out, int *incomplete)
{
    size_t pos = 0;
    size_t room = len + len / 2 + 16;
    *incomplete = 0;
    while (pos < len) {
        sbuf_grow(out, room);
        char *ip = (char *)(s + pos);
        size_t il = len - pos;
        char *op = out->buf + out->len;
        size_t ol = out->alloc - out->len - 1;
        size_t r = iconv(d->cd, &ip, &il, &op, &ol);
        int err = errno;
        out->len = (size_t)(op - out->buf);
        out->buf[out->len] = '\0';
        pos = (size_t)((const unsigned char *)ip - s);
        if (r != (size_t)-1)
            break;
        if (err == E2BIG) {
            room = st_add(room, room);
        } else if (err == EINVAL) {
            *incomplete = 1;
            break;
        } else { /* EILSEQ (or anything else): one invalid code unit */
            size_t u = unit_len(d);
            add_invalid(d, off + pos, out);
            pos += u < len - pos ? u : len - pos;
        }
    }
    return pos;
}

static size_t run(struct decoder *d, const unsigned char *s, size_t len, unsigned long long off,
                  struct sbuf *out, int *incomplete)
{
    return d->is_utf8 ? utf8_run(d, s, len, off, out, incomplete)
                      : iconv_run(d, s, len, off, out, incomplete);
}

/* Flushes iconv's shift state at the end of input and resets it. */
static void finish(struct decoder *d, struct sbuf *out)
{
    if (d->is_utf8)
        return;
    sbuf_grow(out, 32);
    char *op = out->buf + out->len;
    size_t ol = out->alloc - out->len - 1;
    iconv(d->cd, NULL, NULL, &op, &ol);
    out->len = (size_t)(op - out->buf);
    out->buf[out->len] = '\0';
    iconv(d->cd, NULL, NULL, NULL, NULL);
}

/*
 * Handles the unconverted tail @t[0..n) (file offset @off) left at the end of the input fed so
 * far: one invalid sequence when @final, else carried to the next call.
 */
static void tail(struct decoder *d, const unsigned char *t, size_t n, unsigned long long off,
                 int final, struct sbuf *out)
{
    while (n) {
        if (final) {
            add_invalid(d, off, out);
            return;
        }
        if (n <= sizeof(d->carry)) {
            memcpy(d->carry, t, n);
            d->ncarry = n;
            return;
        }
        /* Cannot happen with real encodings (sequences are short): drop one byte, retry. */
        add_invalid(d, off, out);
        int inc;
        size_t used = 1 + run(d, t + 1, n - 1, off + 1, out, &inc);
        t += used;
        n -= used;
        off += used;
    }
}

int decoder_feed(struct decoder *d, const unsigned char *in, size_t len, int final,
                 struct sbuf *out)
{
    unsigned long long off = d->in_off; /* file offset of in[0] */
    size_t pos = 0;
    int inc;

    d->in_off += len;
    if (d->ncarry) {
        /* Complete the carried sequence with the next few bytes, in a scratch buffer. */
        unsigned char tmp[sizeof(d->carry) + 16];
        size_t nc = d->ncarry;
        size_t take = len < 16 ? len : 16;
        unsigned long long toff = off - nc;
        memcpy(tmp, d->carry, nc);
        if (take)
            memcpy(tmp + nc, in, take);
        d->ncarry = 0;
        size_t used = run(d, tmp, nc + take, toff, out, &inc);
        if (used >= nc) {
            pos = used - nc;
        } else if (take == len) {
            tail(d, tmp + used, nc + take - used, toff + used, final, out);
            if (final)
                finish(d, out);
            return 0;
        } else {
            /* Cannot happen with real encodings: the carried bytes start no sequence. */
            add_invalid(d, toff + used, out);
        }
    }
    if (pos < len) {
        pos += run(d, in + pos, len - pos, off + pos, out, &inc);
        tail(d, in + pos, len - pos, off + pos, final, out);
    }
    if (final)
        finish(d, out);
    return 0;
}

void decoder_skip_valid(struct decoder *d, size_t n)
{
    assert(d->is_utf8 && d->ncarry == 0);
    d->in_off += n;
}

void decoder_release(struct decoder *d)
{
    if (!d->is_utf8 && d->cd != (iconv_t)-1)
        iconv_close(d->cd);
    d->cd = (iconv_t)-1;
    d->ncarry = 0;
}

int encoding_to_utf8(const char *buf, size_t len, const char *name, struct sbuf *out,
                     struct tifa_err *e)
{
    const unsigned char *p = (const unsigned char *)buf;
    struct enc_guess g;
    struct decoder d;
    encoding_detect(p, len, 1, &g);
    if (!strcmp(g.name, "UTF-8"))
        return 0;
    if (decoder_init(&d, g.name, g.bom_len, e))
        return TIFA_EDATA;
    decoder_feed(&d, p + g.bom_len, len - g.bom_len, 1, out);
    int rc = 0;
    if (d.invalid)
        rc = tifa_err_set(e, TIFA_EDATA, name, 0, d.first_invalid_off,
                          "not valid %s (the encoding it was detected as)", d.name);
    decoder_release(&d);
    return rc ? rc : 1;
}
