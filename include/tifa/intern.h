/*
 * intern: strings to dense ids, 0, 1, 2, ... in order of first appearance, and back.
 *
 * Owns: a strmap from each string to its id and an array of copies, id -> string. Must not:
 * know what the strings are (terms, period keys) or hold per-id data: callers keep their own
 * arrays indexed by id (counts, categories) beside it, grown when intern_id() says a string was
 * inserted (intern_grow_parallel() tells them when and to what size).
 * Invariants: n == map.n; strs[0..n) are distinct NUL-terminated heap copies, owned by the
 * intern; the map sends strs[i] to i for every i < n; n <= alloc; ids are never removed or
 * renumbered, and a string's pointer stays valid until intern_release() (strings are
 * allocated one by one, so growth moves the array, not the strings).
 * Strings are byte strings of a given length; their copies are NUL-terminated for intern_str(),
 * so a string holding a NUL byte is interned whole but reads back cut at the NUL.
 *
 * Lifetime: result. Everything belongs to the intern until intern_release().
 *
 * Example:
 *
 *     struct intern terms;
 *     uint64_t *count = NULL;
 *     size_t count_alloc = 0;
 *     int inserted;
 *     intern_init(&terms);
 *     size_t id = intern_id(&terms, "两个维护", strlen("两个维护"), &inserted);
 *     if (intern_grow_parallel(&terms, &count_alloc))
 *         count = xreallocarray(count, count_alloc, sizeof(*count));
 *     if (inserted)
 *         count[id] = 0;
 *     count[id]++;
 *     printf("%s %llu\n", intern_str(&terms, id), (unsigned long long)count[id]);
 *     free(count);
 *     intern_release(&terms);
 */
#ifndef TIFA_INTERN_H
#define TIFA_INTERN_H

#include <stddef.h>

#include "tifa/strmap.h"

/* What intern_get() returns for a string never interned. */
#define INTERN_NONE ((size_t)-1)

struct intern {
    struct strmap map; /* string -> id */
    char **strs;       /* id -> string (read-only for callers; intern_str) */
    size_t n, alloc;   /* ids in use; capacity of strs */
};

/** Sets @in to an empty table (no allocation). */
void intern_init(struct intern *in);

/** Frees the map, the array and every string; @in is empty and reusable afterwards. */
void intern_release(struct intern *in);

/**
 * Returns the id of @s (@len bytes, borrowed), giving it the next id, n, and keeping a copy when
 * it is new. @inserted (may be NULL) is set to 1 when it was new, else 0.
 */
size_t intern_id(struct intern *in, const char *s, size_t len, int *inserted);

/** Returns the id of @s (@len bytes), or INTERN_NONE when it was never interned. */
size_t intern_get(const struct intern *in, const char *s, size_t len);

/** Returns the string of @id (< in->n), owned by @in. */
const char *intern_str(const struct intern *in, size_t id);

/**
 * For callers with per-id arrays beside the intern, all of *@alloc elements: returns 1 after
 * setting *@alloc to in->alloc when they are too small to hold every id (call it after each
 * intern_id(); the caller then reallocates each of its arrays to *@alloc elements), else 0.
 */
int intern_grow_parallel(const struct intern *in, size_t *alloc);

#endif
