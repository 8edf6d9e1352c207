/*
 * script: OpenCC folding of traditional script, with the map back to the original.
 *
 * How it works: script_fold_text converts the whole text in one OpenCC call and, when the code
 * point counts agree, pairs code points in order to build the byte map; otherwise it converts
 * code point by code point. script_trad_share looks each BMP Han character of the sample up in
 * a state table held by the converter (unknown, unchanged or changed when converted alone);
 * the characters not yet known are converted in one call, one per line, remembered, and
 * counted in a second pass over the sample (only while the cache is cold). Memory: two bytes
 * per cached character (about 100 KB) per converter (thread lifetime); folded texts are the
 * caller's.
 */
#include "tifa/script.h"

#include <opencc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/sbuf.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

/* The cached range: CJK Extension A to the compatibility ideographs (the BMP's Han). */
#define SCRIPT_CACHE_LO 0x3400u
#define SCRIPT_CACHE_CPS (0xFB00u - SCRIPT_CACHE_LO)

/* What the cache knows of a character (one byte each: one look-up per sampled character). */
enum script_cp_state {
    SCRIPT_CP_UNKNOWN = 0,
    SCRIPT_CP_SAME,   /* converted alone, unchanged */
    SCRIPT_CP_TRAD,   /* converted alone, changed: traditional-only */
    SCRIPT_CP_LISTED, /* listed for conversion by the sample being measured */
    SCRIPT_CP_NOT_HAN /* in the cached range but not Han (Yi, Hangul, private use ...) */
};

/* What a character of each state adds to the counts of the warm pass (no branch per state). */
static const unsigned char han_of_state[] = {0, 1, 1, 0, 0};
static const unsigned char trad_of_state[] = {0, 0, 1, 0, 0};

struct script_fold {
    opencc_t cc;
    unsigned char state[SCRIPT_CACHE_CPS];  /* enum script_cp_state of each character */
    unsigned char listed[SCRIPT_CACHE_CPS]; /* learnt for the sample being measured */
};

static const char *const mode_names[] = {"auto", "simplified", "traditional", "keep"};

int script_mode_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, mode_names[i]))
            return i;
    return -1;
}

const char *script_mode_name(enum script_mode m)
{
    return (unsigned)m < 4 ? mode_names[m] : "auto";
}

static int is_cached_han(uint32_t cp);

int script_fold_open(struct script_fold **out, const char *config, struct tifa_err *err)
{
    const char *name = config ? config : "t2s";
    struct sbuf file = SBUF_INIT;
    size_t n = strlen(name);
    /* "tw2s" is OpenCC's tw2s.json, found in its data folder; a path is taken as it is */
    sbuf_addstr(&file, name);
    if (!strchr(name, '/') && !(n >= 5 && !strcmp(name + n - 5, ".json")))
        sbuf_addstr(&file, ".json");
    opencc_t cc = opencc_open(file.buf);
    *out = NULL;
    if (cc == (opencc_t)-1) {
        tifa_err_set(err, TIFA_EUSAGE, NULL, 0, -1, "cannot open OpenCC configuration '%s': %s",
                     name, opencc_error());
        sbuf_release(&file);
        return TIFA_EUSAGE;
    }
    sbuf_release(&file);
    *out = xcalloc(1, sizeof **out);
    (*out)->cc = cc;
    for (uint32_t cp = SCRIPT_CACHE_LO; cp < SCRIPT_CACHE_LO + SCRIPT_CACHE_CPS; cp++)
        if (!is_cached_han(cp))
            (*out)->state[cp - SCRIPT_CACHE_LO] = SCRIPT_CP_NOT_HAN;
    return 0;
}

void script_fold_close(struct script_fold *f)
{
    if (!f)
        return;
    opencc_close(f->cc);
    free(f);
}

void script_text_free(struct script_text *t)
{
    free(t->text);
    free(t->map);
    memset(t, 0, sizeof *t);
}

static size_t cp_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* Length of the code point at @s, invalid bytes taken one at a time (decoded text is valid). */
static size_t cp_len(const char *s, size_t len)
{
    uint32_t cp;
    int bad = 0;
    size_t n = utf8_decode((const unsigned char *)s, len, &cp, &bad);
    return n ? n : 1;
}

static char *convert(struct script_fold *f, const char *s, size_t len, struct tifa_err *err)
{
    char *r = opencc_convert_utf8(f->cc, s, len);
    if (!r)
        tifa_err_set(err, TIFA_EDATA, NULL, 0, -1, "OpenCC conversion failed: %s",
                     opencc_error());
    return r;
}

int script_fold_text(struct script_fold *f, const char *s, size_t len, struct script_text *out,
                     struct tifa_err *err)
{
    memset(out, 0, sizeof *out);
    char *r = convert(f, s, len, err);
    if (!r)
        return TIFA_EDATA;
    size_t rlen = strlen(r);
    if (cp_count(r, rlen) == cp_count(s, len)) {
        out->text = xstrndup(r, rlen);
        out->len = rlen;
        out->map = xreallocarray(NULL, st_add(rlen, 1), sizeof *out->map);
        size_t i = 0, j = 0;
        while (i < len && j < rlen) {
            size_t a = cp_len(s + i, len - i), b = cp_len(r + j, rlen - j);
            if (a != b || memcmp(s + i, r + j, a) != 0)
                out->folded++;
            for (size_t k = 0; k < b; k++)
                out->map[j + k] = i;
            i += a;
            j += b;
        }
        out->map[rlen] = len;
        opencc_convert_utf8_free(r);
        return 0;
    }
    opencc_convert_utf8_free(r);
    /* Lengths differ: convert code point by code point so each output maps to its source. */
    size_t cap = st_add(len, 16), n = 0;
    out->text = xmalloc(cap + 1);
    out->map = xreallocarray(NULL, cap + 1, sizeof *out->map);
    for (size_t i = 0; i < len;) {
        size_t a = cp_len(s + i, len - i);
        char *c = convert(f, s + i, a, err);
        if (!c) {
            script_text_free(out);
            return TIFA_EDATA;
        }
        size_t b = strlen(c);
        if (b != a || memcmp(c, s + i, a) != 0)
            out->folded++;
        if (n + b > cap) {
            cap = st_add(st_mult(cap, 2), b);
            out->text = xrealloc(out->text, cap + 1);
            out->map = xreallocarray(out->map, cap + 1, sizeof *out->map);
        }
        memcpy(out->text + n, c, b);
        for (size_t k = 0; k < b; k++)
            out->map[n + k] = i;
        n += b;
        opencc_convert_utf8_free(c);
        i += a;
    }
    out->text[n] = '\0';
    out->map[n] = len;
    out->len = n;
    return 0;
}

static int is_cached_han(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

/* The BMP Han character whose 3 bytes of UTF-8 start at @s, or 0. */
static inline uint32_t han3(const unsigned char *s)
{
    if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
        return 0;
    uint32_t cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    return is_cached_han(cp) ? cp : 0;
}

/* Sets the state of every character listed in @todo ("XYZ\n" each) to @st. */
static void set_listed(struct script_fold *f, const struct sbuf *todo, unsigned char st)
{
    for (size_t i = 0; i + 3 <= todo->len; i += 4)
        f->state[han3((const unsigned char *)todo->buf + i) - SCRIPT_CACHE_LO] = st;
}

/* Converts the characters listed in @todo alone, and caches the answers. */
static int learn(struct script_fold *f, const struct sbuf *todo)
{
    struct tifa_err err;
    tifa_err_init(&err);
    char *r = convert(f, todo->buf, todo->len, &err);
    if (!r)
        return -1;
    const char *a = todo->buf, *aend = todo->buf + todo->len, *b = r;
    while (a < aend) {
        const char *bnl = strchr(b, '\n');
        if (!bnl)
            break; /* OpenCC keeps the lines: cannot happen, but never trust it past them */
        uint32_t cp = han3((const unsigned char *)a);
        f->state[cp - SCRIPT_CACHE_LO] =
            bnl - b == 3 && !memcmp(a, b, 3) ? SCRIPT_CP_SAME : SCRIPT_CP_TRAD;
        a += 4;
        b = bnl + 1;
    }
    opencc_convert_utf8_free(r);
    return 0;
}

/* Adds the known characters of @s[0, @cut) to @han and @trad; with @todo, lists the unknown
 * ones (once, marked SCRIPT_CP_LISTED), else counts the listed ones, now learnt, instead. */
static void tally(const struct script_fold *f, const unsigned char *s, size_t cut,
                  struct sbuf *todo, size_t *han, size_t *trad)
{
    if (todo) {
        /* the warm pass, as tight as it goes: this is what --script auto costs on every
         * simplified document (bench/NOTES.md). Decoded text is valid UTF-8, so a lead byte
         * says the length; a stray byte only miscounts, never reads past @cut. */
        size_t h = 0, t = 0, i = 0;
        while (i + 3 <= cut) {
            unsigned c = s[i];
            if (c < 0xE0) {
                i += c < 0xC0 ? 1 : 2;
                continue;
            }
            if (c >= 0xF0) {
                i += 4;
                continue;
            }
            uint32_t off = (((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu)) -
                           SCRIPT_CACHE_LO;
            if (off < SCRIPT_CACHE_CPS) {
                unsigned char *st = (unsigned char *)&f->state[off];
                h += han_of_state[*st];
                t += trad_of_state[*st];
                if (*st == SCRIPT_CP_UNKNOWN && han3(s + i)) {
                    sbuf_add(todo, s + i, 3);
                    sbuf_addch(todo, '\n');
                    *st = SCRIPT_CP_LISTED;
                }
            }
            i += 3;
        }
        *han += h;
        *trad += t;
        return;
    }
    for (size_t i = 0; i < cut;) {
        unsigned char c = s[i];
        if (c < 0xE3 || c > 0xEF || i + 3 > cut) { /* not a BMP Han character: skip it */
            i += c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            continue;
        }
        uint32_t cp = han3(s + i);
        if (!cp) {
            i++;
            continue;
        }
        unsigned char *st = (unsigned char *)&f->state[cp - SCRIPT_CACHE_LO];
        if (!todo) { /* the second pass: only what the first listed */
            if (f->listed[cp - SCRIPT_CACHE_LO]) {
                (*han)++;
                *trad += *st == SCRIPT_CP_TRAD;
            }
        } else if (*st == SCRIPT_CP_SAME || *st == SCRIPT_CP_TRAD) {
            (*han)++;
            *trad += *st == SCRIPT_CP_TRAD;
        } else if (*st == SCRIPT_CP_UNKNOWN) {
            sbuf_add(todo, s + i, 3);
            sbuf_addch(todo, '\n');
            *st = SCRIPT_CP_LISTED;
        }
        i += 3;
    }
}

/* The BMP Han characters of the first @sample bytes of @s, and how many of them the fold
 * changes. */
static void share_counts(struct script_fold *f, const char *s, size_t len, size_t sample,
                         size_t *han_out, size_t *trad_out)
{
    size_t cut = len < sample ? len : sample;
    while (cut > 0 && cut < len && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    struct sbuf todo = SBUF_INIT;
    size_t han = 0, trad = 0;
    const unsigned char *u = (const unsigned char *)s;
    /* one pass once the cache is warm; the characters it did not know yet need a second */
    tally(f, u, cut, &todo, &han, &trad);
    if (todo.len) {
        if (learn(f, &todo)) {
            set_listed(f, &todo, SCRIPT_CP_UNKNOWN); /* a later sample asks again */
            han = 0;
        } else {
            for (size_t i = 0; i + 3 <= todo.len; i += 4)
                f->listed[han3((const unsigned char *)todo.buf + i) - SCRIPT_CACHE_LO] = 1;
            tally(f, u, cut, NULL, &han, &trad);
            for (size_t i = 0; i + 3 <= todo.len; i += 4)
                f->listed[han3((const unsigned char *)todo.buf + i) - SCRIPT_CACHE_LO] = 0;
        }
    }
    sbuf_release(&todo);
    *han_out = han;
    *trad_out = trad;
}

double script_trad_share(struct script_fold *f, const char *s, size_t len, size_t sample)
{
    size_t han, trad;
    share_counts(f, s, len, sample, &han, &trad);
    return han ? (double)trad / (double)han : 0.0;
}

int script_auto_folds(struct script_fold *f, const char *s, size_t len)
{
    size_t han, trad;
    share_counts(f, s, len, SCRIPT_GLANCE_BYTES, &han, &trad);
    if (han && !trad) /* the usual simplified document: decided on its first 4 KiB */
        return 0;
    return script_trad_share(f, s, len, SCRIPT_SAMPLE_BYTES) > SCRIPT_AUTO_THRESHOLD;
}
