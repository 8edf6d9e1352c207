/*
 * note: a growable list of (path, text) notes.
 *
 * How it works: one array of struct note grown with ALLOC_GROW (amortized O(1) appends); each
 * add copies both strings. note_list_sort() is qsort on (path, position in the list): the
 * position is carried in a scratch array beside the notes because qsort is not stable, so
 * equal paths keep their insertion order whatever the C library's qsort does. O(n log n).
 * Ownership: the list owns the array and every string in it.
 */
#include "tifa/note.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/xalloc.h"

void note_list_init(struct note_list *l)
{
    l->v = NULL;
    l->n = l->alloc = 0;
}

void note_list_add(struct note_list *l, const char *path, const char *text)
{
    ALLOC_GROW(l->v, l->n + 1, l->alloc);
    l->v[l->n].path = xstrdup(path);
    l->v[l->n].text = xstrdup(text);
    l->n++;
}

struct pos_note {
    struct note note;
    size_t pos;
};

static int cmp_pos_note(const void *a, const void *b)
{
    const struct pos_note *x = a, *y = b;
    int c = strcmp(x->note.path, y->note.path);
    return c ? c : (x->pos < y->pos ? -1 : x->pos > y->pos);
}

void note_list_sort(struct note_list *l)
{
    if (l->n < 2)
        return;
    struct pos_note *p = xmalloc(st_mult(l->n, sizeof(*p)));
    for (size_t i = 0; i < l->n; i++) {
        p[i].note = l->v[i];
        p[i].pos = i;
    }
    qsort(p, l->n, sizeof(*p), cmp_pos_note);
    for (size_t i = 0; i < l->n; i++)
        l->v[i] = p[i].note;
    free(p);
}

void note_list_release(struct note_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].text);
    }
    free(l->v);
    note_list_init(l);
}
