/*
 * ac_scan.h: one step of the automaton, private to the ac_*.c files: the inline dense step of
 * the scan loop and the out-of-line sparse step (ac_scan.c), which ac_build.c also uses to step
 * through the finished part of the table.
 */
#ifndef TIFA_AC_SCAN_H
#define TIFA_AC_SCAN_H

#include "ac_internal.h"

/* One step from a sparse state (word >= dense_lim): its edges, then failure links until a
 * state has the edge or is dense. @cls is a class-table class (class + AC_HDR). */
uint32_t ac_step_sparse(const struct ac *ac, uint32_t word, uint32_t cls);

/* One step from state word @word (its flags ignored) on class-table class @cls; the result
 * may carry AC_OUT or AC_MATCH. @tab and @dense_lim are ac's, passed so that the scan loop
 * keeps them in registers. */
static AC_INLINE uint32_t ac_step(const uint32_t *tab, uint32_t dense_lim, const struct ac *ac,
                                  uint32_t word, uint32_t cls)
{
    word = AC_ID(word);
    return AC_LIKELY(word < dense_lim) ? tab[word + cls] : ac_step_sparse(ac, word, cls);
}

#endif
