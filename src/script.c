/*
 * script: OpenCC folding of traditional script, with the map back to the original.
 *
 * How it works: script_fold_text converts the whole text in one OpenCC call and, when the code
 * point counts agree, pairs code points in order to build the byte map; otherwise it converts
 * code point by code point. script_trad_share looks each BMP Han character of the sample up in
 * two bitmaps held by the converter (known, and changed when converted alone); the characters
 * not yet known are converted in one call, one per line, and remembered. Memory: two bitmaps
 * of SCRIPT_CACHE_CPS bits per converter (thread lifetime); folded texts are the caller's.
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

struct script_fold {
    opencc_t cc;
    unsigned char known[SCRIPT_CACHE_CPS / 8]; /* converted alone already */
    unsigned char trad[SCRIPT_CACHE_CPS / 8];  /* and the conversion changed it */
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

static int bit(const unsigned char *set, uint32_t cp)
{
    uint32_t i = cp - SCRIPT_CACHE_LO;
    return (set[i / 8] >> (i % 8)) & 1;
}

static void set_bit(unsigned char *set, uint32_t cp)
{
    uint32_t i = cp - SCRIPT_CACHE_LO;
    set[i / 8] |= (unsigned char)(1u << (i % 8));
}

/* Converts the characters listed in @todo (UTF-8, one a line) alone, and caches the answers. */
static int learn(struct script_fold *f, const struct sbuf *todo)
{
    struct tifa_err err;
    tifa_err_init(&err);
    const char *a = todo->buf, *aend = todo->buf + todo->len;
    char *r = convert(f, todo->buf, todo->len, &err);
    if (!r) { /* forget the listed characters: a later sample asks again */
        for (; a < aend; a += cp_len(a, (size_t)(aend - a))) {
            uint32_t cp;
            int bad = 0;
            utf8_decode((const unsigned char *)a, (size_t)(aend - a), &cp, &bad);
            if (!bad && is_cached_han(cp))
                f->known[(cp - SCRIPT_CACHE_LO) / 8] &=
                    (unsigned char)~(1u << ((cp - SCRIPT_CACHE_LO) % 8));
        }
        return -1;
    }
    const char *b = r;
    while (a < aend) {
        const char *anl = memchr(a, '\n', (size_t)(aend - a));
        const char *bnl = strchr(b, '\n');
        if (!anl || !bnl)
            break; /* OpenCC kept the lines: cannot happen, but never trust it past them */
        uint32_t cp;
        int bad = 0;
        utf8_decode((const unsigned char *)a, (size_t)(anl - a), &cp, &bad);
        if (!bad && is_cached_han(cp)) {
            set_bit(f->known, cp);
            if (anl - a != bnl - b || memcmp(a, b, (size_t)(anl - a)) != 0)
                set_bit(f->trad, cp);
        }
        a = anl + 1;
        b = bnl + 1;
    }
    opencc_convert_utf8_free(r);
    return 0;
}

double script_trad_share(struct script_fold *f, const char *s, size_t len, size_t sample)
{
    size_t cut = len < sample ? len : sample;
    while (cut > 0 && cut < len && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    struct sbuf todo = SBUF_INIT;
    size_t han = 0, trad = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < cut;) {
            uint32_t cp;
            int bad = 0;
            size_t a = utf8_decode((const unsigned char *)s + i, cut - i, &cp, &bad);
            if (!a)
                a = 1;
            if (!bad && is_cached_han(cp)) {
                if (pass == 0 && !bit(f->known, cp)) {
                    sbuf_add(&todo, s + i, a);
                    sbuf_addch(&todo, '\n');
                    set_bit(f->known, cp); /* listed once; learn() sets trad */
                } else if (pass == 1) {
                    han++;
                    trad += (size_t)bit(f->trad, cp);
                }
            }
            i += a;
        }
        if (pass == 0 && todo.len && learn(f, &todo)) {
            sbuf_release(&todo);
            return 0.0;
        }
    }
    sbuf_release(&todo);
    return han ? (double)trad / (double)han : 0.0;
}
