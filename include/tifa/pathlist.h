/*
 * pathlist: a compact list of paths with a few flag bits each: the files a run reads.
 *
 * Owns: the encoded bytes of every path added and the restart index. Must not: touch the file
 * system, sort, or know what the flags mean (walk.h gives them their meaning).
 *
 * A million files found in folders nested 200 deep have paths of 224 bytes on average; kept as
 * separate strings with a pointer each they took 260 bytes per file. Consecutive paths of a
 * walk share their folder, so each path is stored front-coded (LevelDB's block format): the
 * length it shares with the previous path, then the rest. Every PATHLIST_RESTART-th path is
 * stored whole, so any path is at most PATHLIST_RESTART - 1 steps from one that is.
 *
 * Invariants: paths are byte strings without NUL (anything else, newlines and invalid UTF-8
 * included, is kept); indices are dense, 0 .. pathlist_count() - 1, in the order of adding.
 *
 * Lifetime: result; everything belongs to the list until pathlist_release(). A cursor borrows
 * the list and owns the buffer of the path it decoded last; a path it returns stays valid until
 * the cursor's next call or its release. A list is read-only once built, so any number of
 * cursors (one per thread) can read it at once.
 *
 * Example:
 *
 *     struct pathlist pl;
 *     struct pathlist_cursor c;
 *     pathlist_init(&pl);
 *     pathlist_add(&pl, "speeches/2019/a.txt", 0);
 *     pathlist_add(&pl, "speeches/2019/b.txt", 1);
 *     pathlist_cursor_init(&c, &pl);
 *     for (size_t i = 0; i < pathlist_count(&pl); i++)
 *         puts(pathlist_get(&c, i, NULL));   (sequential reads cost one step each)
 *     pathlist_cursor_release(&c);
 *     pathlist_release(&pl);
 */
#ifndef TIFA_PATHLIST_H
#define TIFA_PATHLIST_H

#include <stddef.h>

#include "tifa/sbuf.h"

/* Paths between two stored whole. */
#define PATHLIST_RESTART 32

struct pathlist {
    struct sbuf data; /* entries: shared length, rest length (varints), flags byte, rest */
    size_t *restart;  /* data offset of entry k * PATHLIST_RESTART */
    size_t n, restart_alloc;
    struct sbuf last; /* the path added last (what the next one is coded against) */
};

struct pathlist_cursor {
    const struct pathlist *pl;
    size_t next; /* index of the entry at data offset pos */
    size_t pos;
    struct sbuf path; /* the path of entry next - 1 */
    unsigned flags;
};

/** Sets @pl to an empty list. */
void pathlist_init(struct pathlist *pl);

/** Frees everything; @pl is empty and reusable afterwards. */
void pathlist_release(struct pathlist *pl);

/** Appends @path (copied) with @flags (0..255). */
void pathlist_add(struct pathlist *pl, const char *path, unsigned flags);

/** The number of paths. */
static inline size_t pathlist_count(const struct pathlist *pl)
{
    return pl->n;
}

/** Bytes the list holds (its encoded entries and restart index), for measurements. */
size_t pathlist_bytes(const struct pathlist *pl);

/** Sets @c to read @pl (borrowed: it must outlive the cursor and not change while read). */
void pathlist_cursor_init(struct pathlist_cursor *c, const struct pathlist *pl);

void pathlist_cursor_release(struct pathlist_cursor *c);

/**
 * Path @i (< pathlist_count), NUL-terminated, in the cursor's buffer; its flags in *@flags when
 * @flags is not NULL. The next index costs one step; any other at most PATHLIST_RESTART.
 */
const char *pathlist_get(struct pathlist_cursor *c, size_t i, unsigned *flags);

#endif
