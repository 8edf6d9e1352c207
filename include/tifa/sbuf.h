/*
 * sbuf: a growable byte buffer, always NUL-terminated (git's strbuf).
 *
 * Owns: its heap block. Must not: know what the bytes mean.
 * Invariants: buf is never NULL (an empty sbuf points at a shared static ""), buf[len] == '\0',
 * len < alloc whenever alloc > 0. Growth is overflow-checked and aborts on out-of-memory
 * (xalloc policy): a corpus tool cannot do anything useful after malloc fails.
 */
#ifndef TIFA_SBUF_H
#define TIFA_SBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct sbuf {
    char *buf;
    size_t len;
    size_t alloc;
};

#define SBUF_INIT                                                                                  \
    {                                                                                              \
        sbuf_empty, 0, 0                                                                           \
    }
extern char sbuf_empty[];

void sbuf_init(struct sbuf *sb);
/** Frees the block; @sb is empty and reusable afterwards. */
void sbuf_release(struct sbuf *sb);
/** Ensures room for @extra more bytes plus the NUL. */
void sbuf_grow(struct sbuf *sb, size_t extra);
/** Empties @sb, keeping its capacity. */
void sbuf_reset(struct sbuf *sb);
/* Inline: JSON and kwic records are built from many short pieces, and the call cost more than
 * the copy. len < alloc whenever alloc > 0, so alloc - len cannot wrap. */
static inline void sbuf_add(struct sbuf *sb, const void *data, size_t len)
{
    if (!len)
        return;
    if (len >= sb->alloc - sb->len)
        sbuf_grow(sb, len);
    memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}
void sbuf_addstr(struct sbuf *sb, const char *s);
void sbuf_addch(struct sbuf *sb, int c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/** Caller now owns the returned malloc'd string; @sb is reset to empty. */
char *sbuf_detach(struct sbuf *sb, size_t *len);

#endif
