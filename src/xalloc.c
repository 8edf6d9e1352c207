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

/* Maps 2 MiB more than asked and trims both ends to a 2 MiB boundary: mmap itself only aligns
 * to pages. The madvise call fails harmlessly where huge pages are off. */
void *xmap_zeroed(size_t n, size_t *maplen)
{
    const size_t huge = (size_t)2 << 20;
    size_t len = st_mult(st_add(n ? n : 1, huge - 1) / huge, huge);
    char *m = mmap(NULL, st_add(len, huge), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (m == MAP_FAILED)
        die_oom();
    char *a = (char *)(((uintptr_t)m + huge - 1) & ~(uintptr_t)(huge - 1));
    if (a > m)
        munmap(m, (size_t)(a - m));
    if (a + len < m + len + huge)
        munmap(a + len, (size_t)(m + len + huge - (a + len)));
#ifdef MADV_HUGEPAGE
    madvise(a, len, MADV_HUGEPAGE);
#endif
    *maplen = len;
    return a;
}

void xunmap(void *p, size_t maplen)
{
    if (p)
        munmap(p, maplen);
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
