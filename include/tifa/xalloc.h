/*
 * xalloc: allocation that never returns NULL.
 *
 * Owns: the out-of-memory policy. tifa is a batch tool; when memory is exhausted there is no
 * useful recovery, so these functions print "tifa: out of memory" and exit with status 4
 * (system error). Size arithmetic is overflow-checked (redis asserts in sdsnewlen).
 */
#ifndef TIFA_XALLOC_H
#define TIFA_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/** xrealloc(p, n * size) with the multiplication checked. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/**
 * xcalloc for a big table that is about to be written whole: its pages are faulted in with one
 * system call instead of one page fault per 4 KiB (most of start-up's page faults were the
 * automaton's tables). Free with free().
 */
void *xcalloc_prefaulted(size_t n, size_t size);
/** Returns a * b, aborting (status 4) on overflow. */
size_t st_mult(size_t a, size_t b);
size_t st_add(size_t a, size_t b);

/** Grows array @p (with @alloc elements) so that it holds at least @nr; git's ALLOC_GROW. */
#define ALLOC_GROW(p, nr, alloc)                                                                   \
    do {                                                                                           \
        if ((size_t)(nr) > (size_t)(alloc)) {                                                      \
            size_t alloc_new_ = (alloc) < 8 ? 16 : st_add((alloc), (alloc) / 2);                   \
            if (alloc_new_ < (size_t)(nr))                                                         \
                alloc_new_ = (nr);                                                                 \
            (p) = xreallocarray((p), alloc_new_, sizeof(*(p)));                                    \
            (alloc) = alloc_new_;                                                                  \
        }                                                                                          \
    } while (0)

#endif
