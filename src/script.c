#include "tifa/script.h"

#include <opencc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/utf8.h"
#include "tifa/xalloc.h"

struct script_fold {
    opencc_t cc;
};

int script_fold_open(struct script_fold **out, const char *config, struct tifa_err *err)
{
    const char *name = config ? config : "t2s.json";
    opencc_t cc = opencc_open(name);
    *out = NULL;
    if (cc == (opencc_t)-1)
        return tifa_err_set(err, TIFA_EUSAGE, NULL, 0, -1, "OpenCC configuration %s: %s", name,
                            opencc_error());
    *out = xmalloc(sizeof **out);
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

static int is_han(const char *s, size_t len)
{
    uint32_t cp;
    int bad = 0;
    utf8_decode((const unsigned char *)s, len, &cp, &bad);
    return !bad && ((cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0x20000 && cp <= 0x3FFFF) ||
                    (cp >= 0xF900 && cp <= 0xFAFF));
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

double script_trad_share(struct script_fold *f, const char *s, size_t len, size_t sample)
{
    size_t cut = len < sample ? len : sample;
    while (cut > 0 && cut < len && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    if (cut == 0)
        return 0.0;
    struct tifa_err err;
    tifa_err_init(&err);
    struct script_text t;
    if (script_fold_text(f, s, cut, &t, &err) != 0)
        return 0.0;
    size_t han = 0;
    for (size_t i = 0; i < cut;) {
        size_t a = cp_len(s + i, cut - i);
        han += (size_t)is_han(s + i, a);
        i += a;
    }
    double share = han ? (double)t.folded / (double)han : 0.0;
    script_text_free(&t);
    return share;
}
