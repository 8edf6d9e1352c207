/*
 * ac_class: the matcher's alphabet, a dense class for every character of the patterns, and the
 * table that classes raw UTF-8 text without normalizing it.
 *
 * How it works
 *
 * Every distinct normalized code point of the patterns gets a dense class 1..K-1; class 0 stands
 * for every other character. The class table maps RAW code points: each preimage of a pattern
 * character under normalize_cp() (upper case, full-width forms, compatibility ideographs) gets
 * that character's class, so the text is never rewritten. A table entry is (class + AC_HDR |
 * flags): AC_F_HAN (bit 31: counts as a Han character, summed as entry >> 31), AC_F_ALNUM (ASCII
 * letter or digit, for the white-space rule), and the "special" flags AC_F_SPACE, AC_F_NL,
 * AC_F_CR, AC_F_DROP that divert the scan loop to its white-space run. Holding class + AC_HDR,
 * an entry is the offset of its transition within a dense row (ac_internal.h).
 *
 * Layout. The BMP uses a two-level table in one array (lut): 1024 block offsets (cp >> 6), then
 * blocks of 64 entries (cp & 63); identical blocks are stored once (most Han blocks hold no
 * pattern character and share one block). For 2- and 3-byte UTF-8 sequences both indices come
 * straight from the bytes (lead and first continuation byte; last byte), so the scanner never
 * assembles the code point (ac_class_entry). The scan loop's own table for 3-byte sequences,
 * lut3 (1 MiB, not deduplicated), takes one load indexed by the payload bits as they sit in the
 * bytes (ac_lut3_index). Code points past the BMP are looked up in a sorted array of the
 * patterns' astral characters (and their preimages), with normalize.c's answer for the rest.
 *
 * Numbering. ac_build assigns classes in order of first appearance while it inserts patterns,
 * then renumbers them by how many trie edges carry them, most first: the characters that recur
 * in patterns are the common ones of the text too, so the entries a scan touches crowd into the
 * first cache lines of each dense row.
 *
 * Ownership: struct ac_class_alloc is construction-only (ac_build releases it); the tables are
 * the automaton's (run lifetime, freed by ac_free).
 */
#include <stdlib.h>
#include <string.h>

#include "ac_class.h"
#include "tifa/normalize.h"
#include "tifa/xalloc.h"

/* The entry of a code point of no pattern: its flags, class 0 (without AC_HDR). */
static uint32_t base_entry(uint32_t cp)
{
    uint32_t n = normalize_cp(cp);
    if (n == NORM_DROP || normalize_is_match_quote(n))
        return AC_F_DROP; /* quotation marks too: “两弹一星”精神 is 两弹一星精神 */
    switch (normalize_class(n)) {
    case CC_HAN:
    case CC_CNNUM: return AC_F_HAN;
    case CC_LATIN:
    case CC_DIGIT: return AC_F_ALNUM;
    case CC_SPACE: return AC_F_SPACE;
    case CC_NEWLINE: return n == '\r' ? AC_F_CR : AC_F_NL;
    default: return 0;
    }
}

uint32_t ac_class_lookup(const struct ac *ac, uint32_t cp)
{
    if (cp < 0x10000)
        return ac->lut[ac->lut[cp >> 6] + (cp & 63)];
    size_t lo = 0, hi = ac->nastral;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ac->astral_cp[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ac->nastral && ac->astral_cp[lo] == cp)
        return ac->astral_val[lo];
    return base_entry(cp) + AC_HDR;
}

void ac_class_alloc_init(struct ac_class_alloc *ca)
{
    memset(ca, 0, sizeof(*ca));
    ca->bmp = xcalloc(65536, sizeof(uint32_t));
    ca->next = 1;
}

void ac_class_alloc_release(struct ac_class_alloc *ca)
{
    free(ca->bmp);
    free(ca->astral_cp);
    free(ca->astral_cls);
    memset(ca, 0, sizeof(*ca));
}

uint32_t ac_class_assign(struct ac_class_alloc *ca, uint32_t cp)
{
    if (cp < 0x10000) {
        if (!ca->bmp[cp])
            ca->bmp[cp] = ca->next++;
        return ca->bmp[cp];
    }
    for (size_t i = 0; i < ca->nastral; i++)
        if (ca->astral_cp[i] == cp)
            return ca->astral_cls[i];
    ALLOC_GROW(ca->astral_cp, ca->nastral + 1, ca->astral_alloc);
    ALLOC_GROW(ca->astral_cls, ca->nastral + 1, ca->astral_cls_alloc);
    ca->astral_cp[ca->nastral] = cp;
    ca->astral_cls[ca->nastral++] = ca->next;
    return ca->next++;
}

/* Sorts class ids by uses[] descending, ties by id (a stable merge sort: deterministic). */
static void sort_by_uses(uint32_t *v, size_t n, const uint32_t *uses)
{
    if (n < 2)
        return;
    uint32_t *tmp = xmalloc(st_mult(n, sizeof(uint32_t)));
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t a = lo, b = mid, k = lo;
            while (a < mid && b < hi)
                tmp[k++] = uses[v[b]] > uses[v[a]] ? v[b++] : v[a++];
            while (a < mid)
                tmp[k++] = v[a++];
            while (b < hi)
                tmp[k++] = v[b++];
        }
        memcpy(v, tmp, n * sizeof(uint32_t));
    }
    free(tmp);
}

uint32_t *ac_class_renumber(struct ac_class_alloc *ca, const uint32_t *uses)
{
    uint32_t *remap = xmalloc(st_mult(ca->next, sizeof(uint32_t)));
    uint32_t *byuse = xmalloc(st_mult(ca->next, sizeof(uint32_t)));
    for (uint32_t c = 0; c < ca->next; c++)
        byuse[c] = c;
    sort_by_uses(byuse + 1, ca->next - 1, uses);
    remap[0] = 0;
    for (uint32_t r = 1; r < ca->next; r++)
        remap[byuse[r]] = r;
    for (uint32_t cp = 0; cp < 0x10000; cp++)
        ca->bmp[cp] = remap[ca->bmp[cp]];
    for (size_t i = 0; i < ca->nastral; i++)
        ca->astral_cls[i] = remap[ca->astral_cls[i]];
    free(byuse);
    return remap;
}

/* Astral preimages of pattern characters: (code point, entry without AC_HDR). */
struct astral_pairs {
    uint32_t (*v)[2];
    size_t n, cap;
};

static int cmp_u32pair(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* The entries of every BMP code point as if no pattern held it (65,536 of them). */
static void fill_base_entries(uint32_t *full)
{
    /* CJK Extension A and the unified ideographs are plain Han characters (normalize_cp leaves
     * them alone), and U+A000..U+F8FF (Yi, Hangul, surrogates, private use) holds nothing that
     * normalize.c changes or counts as Han, letter, digit, space or line break: fill them
     * without asking normalize.c 50,000 times, a fifth of start-up (test_ac checks both). */
    for (uint32_t cp = 0; cp < 0x10000; cp++) {
        if (cp == 0x3400)
            cp = 0x4DC0;
        if (cp == 0x4E00)
            cp = 0xF900;
        full[cp] = base_entry(cp);
    }
    for (uint32_t cp = 0x3400; cp < 0x4DC0; cp++)
        full[cp] = AC_F_HAN;
    for (uint32_t cp = 0x4E00; cp < 0xA000; cp++)
        full[cp] = AC_F_HAN;
    memset(full + 0xA000, 0, (0xF900 - 0xA000) * sizeof(*full));
}

/* Gives class @cls to every preimage of normalized code point @ncp: in @full for a BMP one
 * (unless it is special: white space and line breaks keep their meaning), in @ap for an astral
 * one. A BMP pattern character may have astral preimages (the compatibility supplement) and an
 * astral one BMP preimages (a compatibility ideograph). */
static void add_preimages(uint32_t *full, struct astral_pairs *ap, uint32_t ncp, uint32_t cls)
{
    uint32_t pre[16];
    size_t np = normalize_preimages(ncp, pre, 16);
    for (size_t k = 0; k < np && k < 16; k++) {
        if (pre[k] < 0x10000) {
            if (!(full[pre[k]] & AC_F_SPECIAL))
                full[pre[k]] = (full[pre[k]] & ~AC_CLASS_MASK) | cls;
            continue;
        }
        ALLOC_GROW(ap->v, ap->n + 1, ap->cap);
        ap->v[ap->n][0] = pre[k];
        ap->v[ap->n][1] = (base_entry(pre[k]) & ~AC_CLASS_MASK) | cls;
        ap->n++;
    }
}

/* lut and lut3 from the full BMP table. lut's blocks of 64 (the code points sharing a UTF-8
 * lead and first continuation byte) are deduplicated: hash each, compare on equal hash. */
static void write_bmp_tables(struct ac *ac, const uint32_t *full)
{
    uint64_t *hashes = xmalloc(st_mult(1024, sizeof(uint64_t)));
    uint32_t *uniq_src = xmalloc(st_mult(1024, sizeof(uint32_t)));
    uint32_t block_off[1024];
    size_t nuniq = 0;
    for (int b = 0; b < 1024; b++) {
        const uint32_t *blk = full + b * 64;
        uint64_t h = 1469598103934665603ULL;
        for (int i = 0; i < 64; i++)
            h = (h ^ blk[i]) * 1099511628211ULL;
        hashes[b] = h;
        size_t u;
        for (u = 0; u < nuniq; u++)
            if (hashes[uniq_src[u]] == h && !memcmp(full + uniq_src[u] * 64, blk, 256))
                break;
        if (u == nuniq)
            uniq_src[nuniq++] = (uint32_t)b;
        block_off[b] = (uint32_t)(1024 + u * 64);
    }
    /* The scan loop's table for 3-byte sequences: one load indexed by the low nibble of the
     * lead byte and the 6 payload bits of each continuation byte, as they sit in the bytes. */
    ac->lut3 = xcalloc_prefaulted(AC_LUT3_SIZE, sizeof(uint32_t));
    for (uint32_t cp = 0x800; cp < 0x10000; cp++)
        ac->lut3[ac_lut3_index(cp >> 12, (cp >> 6) & 63, cp & 63)] = full[cp] + AC_HDR;
    ac->lut = xmalloc(st_mult(1024 + nuniq * 64, sizeof(uint32_t)));
    memcpy(ac->lut, block_off, sizeof(block_off));
    for (size_t u = 0; u < nuniq; u++)
        memcpy(ac->lut + 1024 + u * 64, full + uniq_src[u] * 64, 256);
    for (size_t k = 1024; k < 1024 + nuniq * 64; k++)
        ac->lut[k] += AC_HDR;
    free(hashes);
    free(uniq_src);
}

/* The sorted astral array from @ap (which it frees). */
static void write_astral(struct ac *ac, struct astral_pairs *ap)
{
    size_t n = ap->n;
    if (n)
        qsort(ap->v, n, sizeof(*ap->v), cmp_u32pair);
    ac->astral_cp = xmalloc(st_mult(n + 1, sizeof(uint32_t)));
    ac->astral_val = xmalloc(st_mult(n + 1, sizeof(uint32_t)));
    for (size_t i = 0; i < n; i++) {
        ac->astral_cp[i] = ap->v[i][0];
        ac->astral_val[i] = ap->v[i][1] + AC_HDR;
    }
    ac->nastral = n;
    free(ap->v);
}

void ac_class_table_build(struct ac *ac, const struct ac_class_alloc *ca)
{
    uint32_t *full = xmalloc(st_mult(65536, sizeof(uint32_t)));
    struct astral_pairs ap = {0};

    fill_base_entries(full);
    for (uint32_t ncp = 0; ncp < 0x10000; ncp++)
        if (ca->bmp[ncp])
            add_preimages(full, &ap, ncp, ca->bmp[ncp]);
    for (size_t i = 0; i < ca->nastral; i++)
        add_preimages(full, &ap, ca->astral_cp[i], ca->astral_cls[i]);
    write_bmp_tables(ac, full);
    free(full);
    write_astral(ac, &ap);
}
