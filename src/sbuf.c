/*
 * sbuf: growable NUL-terminated byte buffers.
 *
 * How it works: like git's strbuf, an empty buffer points at the shared sbuf_empty[] so that
 * sb->buf is always a valid string; the first growth replaces it with a heap block that grows
 * by half again each time (amortized O(1) appends).
 */
#include "tifa/sbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/xalloc.h"

char sbuf_empty[1];

void sbuf_init(struct sbuf *sb)
{
    sb->buf = sbuf_empty;
    sb->len = 0;
    sb->alloc = 0;
}

void sbuf_release(struct sbuf *sb)
{
    if (sb->alloc)
        free(sb->buf);
    sbuf_init(sb);
}

void sbuf_grow(struct sbuf *sb, size_t extra)
{
    size_t need = st_add(st_add(sb->len, extra), 1);
    if (need <= sb->alloc)
        return;
    size_t n = sb->alloc < 64 ? 64 : st_add(sb->alloc, sb->alloc / 2);
    if (n < need)
        n = need;
    if (!sb->alloc) {
        sb->buf = xmalloc(n);
        sb->buf[0] = '\0';
    } else {
        sb->buf = xrealloc(sb->buf, n);
    }
    sb->alloc = n;
}

void sbuf_reset(struct sbuf *sb)
{
    sb->len = 0;
    if (sb->alloc)
        sb->buf[0] = '\0';
}


void sbuf_addstr(struct sbuf *sb, const char *s)
{
    sbuf_add(sb, s, strlen(s));
}

void sbuf_addch(struct sbuf *sb, int c)
{
    sbuf_grow(sb, 1);
    sb->buf[sb->len++] = (char)c;
    sb->buf[sb->len] = '\0';
}

void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(sb->buf + sb->len, sb->alloc ? sb->alloc - sb->len : 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    if (!sb->alloc || (size_t)n >= sb->alloc - sb->len) {
        sbuf_grow(sb, (size_t)n);
        n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
    }
    sb->len += (size_t)n;
}

void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

char *sbuf_detach(struct sbuf *sb, size_t *len)
{
    char *r;
    if (len)
        *len = sb->len;
    r = sb->alloc ? sb->buf : xstrdup("");
    sbuf_init(sb);
    return r;
}
