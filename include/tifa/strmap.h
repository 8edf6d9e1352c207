/*
 * strmap: a hash map from byte strings to size_t values (open addressing, linear probing).
 *
 * Owns: copies of its keys and its slot array. Must not: interpret keys (any bytes, NULs
 * allowed since keys carry their length). Iteration order is slot order, i.e. unspecified:
 * callers that print must sort.
 * Invariants: the table is a power of two in size and at most 1/2 full (so probes are short and
 * a lookup always meets an empty slot).
 */
#ifndef TIFA_STRMAP_H
#define TIFA_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
    char *key; /* NULL when empty; NUL-terminated copy */
    size_t len;
    uint64_t hash;
    size_t value;
};

struct strmap {
    struct strmap_slot *slots;
    size_t cap; /* power of two, 0 before the first insert */
    size_t n;
};

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);
/** Returns a pointer to the value stored for the key, or NULL when absent. */
size_t *strmap_get(const struct strmap *m, const void *key, size_t len);
/**
 * Returns the value slot for the key, inserting it with @value when absent; @inserted (may be
 * NULL) tells which happened. The pointer is valid until the next insertion.
 */
size_t *strmap_put(struct strmap *m, const void *key, size_t len, size_t value, int *inserted);

#endif
