/*
 * xalloc: malloc wrappers that exit on failure.
 *
 * How it works: each wrapper calls the libc function and, on NULL, writes one line to stderr
 * and exits with status 4 (system error, see main.c). This is the only place outside main.c
 * and cmd_*.c that may print or exit, because there is no caller that could do better.
 */
#include "tifa/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void die_oom(void)
{
    fputs("tifa: out of memory\n", stderr);
    exit(4);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die_oom();
    return p;
}

/* MADV_POPULATE_WRITE (Linux 5.14) faults the pages in with one call; where it is missing
 * or refused the pages are faulted one at a time on first use, as with calloc. Only whole
 * pages inside the block are given: madvise wants a page-aligned start. */
void *xcalloc_prefaulted(size_t n, size_t size)
{
    void *p = xcalloc(n, size);
#ifdef MADV_POPULATE_WRITE
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)p + st_mult(n, size)) & ~(page - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#endif
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die_oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die_oom();
    return q;
}

size_t st_mult(size_t a, size_t b)
{
    if (b && a > SIZE_MAX / b)
        die_oom();
    return a * b;
}

size_t st_add(size_t a, size_t b)
{
    if (a > SIZE_MAX - b)
        die_oom();
    return a + b;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
    return xrealloc(p, st_mult(n, size));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(st_add(n, 1));
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}
