/*
 * note: a list of notes, each a path and a text: the files a run skipped ("binary") and the
 * ones it could not read ("permission denied"), as walk, the reader, savedreport and merge
 * collect them and the reporters print them.
 *
 * Owns: the notes' array and a copy of every path and text in it. Must not: know what a note
 * means (skipped or error), print, or decide which notes to keep.
 * Invariants: v[0..n) are the notes, n <= alloc, v is NULL exactly when alloc is 0; every
 * path and text is a NUL-terminated heap string owned by the list. Order is insertion order
 * until note_list_sort().
 *
 * Lifetime: result. Everything belongs to the list until note_list_release().
 *
 * Example:
 *
 *     struct note_list skipped = NOTE_LIST_INIT;
 *     note_list_add(&skipped, "tree/z.bin", "binary");
 *     note_list_sort(&skipped);
 *     for (size_t i = 0; i < skipped.n; i++)
 *         printf("%s: %s\n", skipped.v[i].path, skipped.v[i].text);
 *     note_list_release(&skipped);
 */
#ifndef TIFA_NOTE_H
#define TIFA_NOTE_H

#include <stddef.h>

struct note {
    char *path;
    char *text; /* skipped: the reason ("binary"); errors: the message ("permission denied") */
};

struct note_list {
    struct note *v;
    size_t n, alloc;
};

#define NOTE_LIST_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/** Sets @l to an empty list (no allocation). */
void note_list_init(struct note_list *l);

/** Appends a note with copies of @path and @text (both borrowed). */
void note_list_add(struct note_list *l, const char *path, const char *text);

/**
 * Sorts the notes by path in byte order (strcmp); notes with the same path keep the order they
 * were added in (a stable sort), so the result is a function of the input order only.
 */
void note_list_sort(struct note_list *l);

/** Frees every path and text and the array; @l is empty and reusable afterwards. */
void note_list_release(struct note_list *l);

#endif
