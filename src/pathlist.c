/*
 * pathlist: paths front-coded in one growing buffer, with a restart index.
 *
 * How it works: an entry is varint(shared) varint(rest_len) flags rest[rest_len], where shared
 * is the number of leading bytes it has in common with the path before it (0 for every
 * PATHLIST_RESTART-th entry, whose offset goes into the restart index). Varints are LEB128:
 * seven bits a byte, high bit set on all but the last. A cursor remembers the path it decoded
 * last and where the next entry starts, so reading in order is one memcpy of the rest per
 * path; any other index restarts from the nearest restart entry before it.
 * Memory: rest + 3 bytes per path for a walk's paths (the file name and a byte or two of
 * lengths), plus one size_t per PATHLIST_RESTART paths; whole paths every PATHLIST_RESTART.
 */
#include "tifa/pathlist.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/xalloc.h"

void pathlist_init(struct pathlist *pl)
{
    memset(pl, 0, sizeof(*pl));
    sbuf_init(&pl->data);
    sbuf_init(&pl->last);
}

/* An sbuf that owns its block, so that writing its NUL never touches the shared empty one. */
static void own_block(struct sbuf *sb)
{
    if (!sb->alloc)
        sbuf_grow(sb, 64);
}

void pathlist_release(struct pathlist *pl)
{
    sbuf_release(&pl->data);
    sbuf_release(&pl->last);
    free(pl->restart);
    pathlist_init(pl);
}

static void add_varint(struct sbuf *sb, size_t v)
{
    unsigned char b[10];
    size_t n = 0;
    while (v >= 0x80) {
        b[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    b[n++] = (unsigned char)v;
    sbuf_add(sb, b, n);
}

static size_t get_varint(const unsigned char *p, size_t *pos)
{
    size_t v = 0;
    unsigned shift = 0;
    for (;;) {
        unsigned char b = p[(*pos)++];
        v |= (size_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
        shift += 7;
    }
}

void pathlist_add(struct pathlist *pl, const char *path, unsigned flags)
{
    size_t len = strlen(path), shared = 0;
    own_block(&pl->last);
    if (pl->n % PATHLIST_RESTART == 0) {
        ALLOC_GROW(pl->restart, pl->n / PATHLIST_RESTART + 1, pl->restart_alloc);
        pl->restart[pl->n / PATHLIST_RESTART] = pl->data.len;
    } else {
        size_t max = len < pl->last.len ? len : pl->last.len;
        while (shared < max && path[shared] == pl->last.buf[shared])
            shared++;
    }
    add_varint(&pl->data, shared);
    add_varint(&pl->data, len - shared);
    sbuf_addch(&pl->data, (int)(flags & 0xff));
    sbuf_add(&pl->data, path + shared, len - shared);
    pl->last.len = shared;
    sbuf_add(&pl->last, path + shared, len - shared);
    pl->last.buf[pl->last.len] = '\0';
    pl->n++;
}

size_t pathlist_bytes(const struct pathlist *pl)
{
    return pl->data.alloc + pl->restart_alloc * sizeof(*pl->restart);
}

void pathlist_cursor_init(struct pathlist_cursor *c, const struct pathlist *pl)
{
    memset(c, 0, sizeof(*c));
    c->pl = pl;
    sbuf_init(&c->path);
    own_block(&c->path);
}

void pathlist_cursor_release(struct pathlist_cursor *c)
{
    sbuf_release(&c->path);
    memset(c, 0, sizeof(*c));
}

const char *pathlist_get(struct pathlist_cursor *c, size_t i, unsigned *flags)
{
    const unsigned char *d = (const unsigned char *)c->pl->data.buf;
    if (i + 1 != c->next || !c->next) {
        if (i < c->next || i - c->next >= PATHLIST_RESTART || !c->next) {
            c->next = i - i % PATHLIST_RESTART;
            c->pos = c->pl->restart[i / PATHLIST_RESTART];
        }
        while (c->next <= i) {
            size_t shared = get_varint(d, &c->pos), rest = get_varint(d, &c->pos);
            c->flags = d[c->pos++];
            c->path.len = shared;
            sbuf_add(&c->path, d + c->pos, rest);
            c->path.buf[c->path.len] = '\0';
            c->pos += rest;
            c->next++;
        }
    }
    if (flags)
        *flags = c->flags;
    return c->path.buf;
}
