/*
 * strmap: string-keyed hash map.
 *
 * How it works: FNV-1a 64-bit hashes, linear probing in a power-of-two table kept at most half
 * full; growth doubles the table and reinserts (amortized O(1)). No deletion: tifa's maps only
 * grow during a run (lexicon building, report merging) and are released whole.
 */
#include "tifa/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/xalloc.h"

static uint64_t fnv1a(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void strmap_init(struct strmap *m)
{
    m->slots = NULL;
    m->cap = 0;
    m->n = 0;
}

void strmap_release(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    strmap_init(m);
}

static struct strmap_slot *find(const struct strmap *m, const void *key, size_t len, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->len == len && !memcmp(s->key, key, len)))
            return s;
    }
}

size_t *strmap_get(const struct strmap *m, const void *key, size_t len)
{
    if (!m->cap)
        return NULL;
    struct strmap_slot *s = find(m, key, len, fnv1a(key, len));
    return s->key ? &s->value : NULL;
}

static void grow(struct strmap *m)
{
    struct strmap old = *m;
    m->cap = old.cap ? st_mult(old.cap, 2) : 64;
    m->slots = xcalloc(m->cap, sizeof(*m->slots));
    for (size_t i = 0; i < old.cap; i++) {
        if (old.slots[i].key)
            *find(m, old.slots[i].key, old.slots[i].len, old.slots[i].hash) = old.slots[i];
    }
    free(old.slots);
}

size_t *strmap_put(struct strmap *m, const void *key, size_t len, size_t value, int *inserted)
{
    if ((m->n + 1) * 2 > m->cap)
        grow(m);
    uint64_t h = fnv1a(key, len);
    struct strmap_slot *s = find(m, key, len, h);
    if (inserted)
        *inserted = !s->key;
    if (!s->key) {
        s->key = xstrndup(key, len);
        s->len = len;
        s->hash = h;
        s->value = value;
        m->n++;
    }
    return &s->value;
}
