/*
 * intern: dense ids for strings.
 *
 * How it works: intern_id() looks the string up in the strmap, inserting it with value n when
 * absent; a new string is also copied to strs[n] (grown with ALLOC_GROW, amortized O(1)), so
 * id -> string is an array index and string -> id one hash lookup. intern_grow_parallel() lets
 * callers size their per-id arrays to the same capacity, so they grow as rarely as strs does.
 * Ownership: the map owns its key copies, strs owns the copies handed out by intern_str().
 */
#include "tifa/intern.h"

#include <assert.h>
#include <stdlib.h>

#include "tifa/xalloc.h"

void intern_init(struct intern *in)
{
    strmap_init(&in->map);
    in->strs = NULL;
    in->n = in->alloc = 0;
}

void intern_release(struct intern *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->strs[i]);
    free(in->strs);
    strmap_release(&in->map);
    intern_init(in);
}

size_t intern_id(struct intern *in, const char *s, size_t len, int *inserted)
{
    int ins;
    size_t id = *strmap_put(&in->map, s, len, in->n, &ins);
    if (inserted)
        *inserted = ins;
    if (ins) {
        ALLOC_GROW(in->strs, in->n + 1, in->alloc);
        in->strs[in->n++] = xstrndup(s, len);
    }
    return id;
}

size_t intern_get(const struct intern *in, const char *s, size_t len)
{
    const size_t *id = strmap_get(&in->map, s, len);
    return id ? *id : INTERN_NONE;
}

const char *intern_str(const struct intern *in, size_t id)
{
    assert(id < in->n);
    return in->strs[id];
}

int intern_grow_parallel(const struct intern *in, size_t *alloc)
{
    if (*alloc >= in->n)
        return 0;
    *alloc = in->alloc;
    return 1;
}
