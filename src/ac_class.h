/*
 * ac_class.h: the character classes of the automaton, private to the ac_*.c files: building the
 * class table (ac_class.c) and the inline lookup every scan and build step uses. The layout it
 * fills is ac_internal.h's.
 */
#ifndef TIFA_AC_CLASS_H
#define TIFA_AC_CLASS_H

#include "ac_internal.h"

/* Construction: the class of each normalized code point of the patterns, in order of first
 * appearance until ac_class_renumber. */
struct ac_class_alloc {
    uint32_t *bmp;        /* 65536 entries, 0 = unassigned */
    uint32_t *astral_cp, *astral_cls;
    size_t nastral, astral_alloc, astral_cls_alloc;
    uint32_t next;        /* the next class to assign; classes are 1..next-1 */
};

/* Sets up @ca with no class assigned (class 0 is every character of no pattern). */
void ac_class_alloc_init(struct ac_class_alloc *ca);
void ac_class_alloc_release(struct ac_class_alloc *ca);
/* The class of normalized code point @cp, assigning the next one when @cp is new. */
uint32_t ac_class_assign(struct ac_class_alloc *ca, uint32_t cp);
/* Renumbers the classes of @ca by @uses[class] descending (ties by number; class 0 stays 0)
 * and returns the map old -> new (ca->next entries; the caller frees it). */
uint32_t *ac_class_renumber(struct ac_class_alloc *ca, const uint32_t *uses);
/* Writes the class table of @ac (lut, lut3, astral_cp/astral_val) from the classes of @ca. */
void ac_class_table_build(struct ac *ac, const struct ac_class_alloc *ca);
/* The class-table entry of any code point; out of line, for code points past the BMP. */
uint32_t ac_class_lookup(const struct ac *ac, uint32_t cp);

/* The class-table entry of the character at @p (valid UTF-8) and its length in *@n. The BMP
 * table is indexed by cp >> 6 and cp & 63, which for 2- and 3-byte sequences come straight
 * from the bytes, so the code point itself is never assembled. */
static AC_INLINE uint32_t ac_class_entry(const struct ac *ac, const unsigned char *p, size_t *n)
{
    const uint32_t *lut = ac->lut;
    uint32_t c = p[0];
    if (c - 0xE0 < 0x10) {
        *n = 3;
        return lut[lut[((c & 0x0F) << 6) | (p[1] & 0x3F)] + (p[2] & 0x3F)];
    }
    if (c < 0x80) {
        *n = 1;
        return lut[lut[c >> 6] + (c & 63)];
    }
    if (c < 0xE0) {
        *n = 2;
        return lut[lut[c & 0x1F] + (p[1] & 0x3F)];
    }
    *n = 4;
    return ac_class_lookup(ac, ((c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
                                   ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F));
}

#endif
