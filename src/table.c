/*
 * table: aligned plain-text tables for every human-readable output.
 *
 * How it works: cells are stored back to back in one buffer with an offset per cell (row-major,
 * ncols per row), so adding a cell is one append. Rendering measures each column's widest cell
 * with utf8_str_cols, then writes each row: cells padded with spaces to their column's width
 * (left-aligned: text then blanks; right-aligned: blanks then text), two spaces between cells,
 * the last column unpadded when left-aligned, trailing blanks stripped under TABLE_TRIM, and
 * the row's wrap strings around the line. Cost: O(total cell bytes) twice.
 */
#include "tifa/table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/utf8.h"
#include "tifa/xalloc.h"

void table_init(struct table *t, size_t ncols, const enum table_align *align, unsigned flags)
{
    memset(t, 0, sizeof(*t));
    t->ncols = ncols;
    t->flags = flags;
    t->align = xmalloc(st_mult(ncols, sizeof(*t->align)));
    memcpy(t->align, align, ncols * sizeof(*t->align));
    sbuf_init(&t->text);
}

void table_release(struct table *t)
{
    free(t->align);
    free(t->cell_off);
    free(t->wrap);
    sbuf_release(&t->text);
    memset(t, 0, sizeof(*t));
}

/* Makes sure the row holding cell @ncells has a wrap entry (NULL, NULL by default). */
static void wrap_grow(struct table *t, size_t row)
{
    size_t old = t->wrap_alloc;
    ALLOC_GROW(t->wrap, row + 1, t->wrap_alloc);
    if (t->wrap_alloc > old)
        memset(t->wrap + old, 0, (t->wrap_alloc - old) * sizeof(*t->wrap));
}

void table_add(struct table *t, const char *cell)
{
    wrap_grow(t, t->ncells / t->ncols);
    ALLOC_GROW(t->cell_off, t->ncells + 1, t->cells_alloc);
    t->cell_off[t->ncells++] = t->text.len;
    sbuf_add(&t->text, cell, strlen(cell) + 1);
}

void table_addf(struct table *t, const char *fmt, ...)
{
    va_list ap;
    size_t off = t->text.len;
    va_start(ap, fmt);
    sbuf_vaddf(&t->text, fmt, ap);
    va_end(ap);
    wrap_grow(t, t->ncells / t->ncols);
    sbuf_addch(&t->text, '\0');
    ALLOC_GROW(t->cell_off, t->ncells + 1, t->cells_alloc);
    t->cell_off[t->ncells++] = off;
}

void table_add_row(struct table *t, const char *const *cells)
{
    for (size_t c = 0; c < t->ncols; c++)
        table_add(t, cells[c]);
}

void table_wrap_row(struct table *t, const char *pre, const char *post)
{
    size_t row = t->ncells / t->ncols;
    if (t->ncells && t->ncells % t->ncols == 0)
        row--;
    wrap_grow(t, row);
    t->wrap[row].pre = pre;
    t->wrap[row].post = post;
}

size_t table_rows(const struct table *t)
{
    return t->ncols ? t->ncells / t->ncols : 0;
}

static void pad(struct sbuf *out, size_t n)
{
    while (n--)
        sbuf_addch(out, ' ');
}

void table_render(const struct table *t, struct sbuf *out)
{
    size_t nrows = table_rows(t);
    size_t *w = xcalloc(t->ncols ? t->ncols : 1, sizeof(*w));
    size_t *cols = xmalloc(st_mult(nrows * t->ncols + 1, sizeof(*cols)));
    for (size_t i = 0; i < nrows * t->ncols; i++) {
        const char *s = t->text.buf + t->cell_off[i];
        cols[i] = utf8_str_cols(s, strlen(s));
        if (cols[i] > w[i % t->ncols])
            w[i % t->ncols] = cols[i];
    }
    for (size_t r = 0; r < nrows; r++) {
        const struct table_wrap *wr = &t->wrap[r];
        if (wr->pre)
            sbuf_addstr(out, wr->pre);
        size_t start = out->len;
        for (size_t c = 0; c < t->ncols; c++) {
            size_t i = r * t->ncols + c;
            int right = t->align[c] == TABLE_RIGHT, last = c + 1 == t->ncols;
            size_t blanks = w[c] - cols[i];
            if (c)
                sbuf_addstr(out, "  ");
            if (right)
                pad(out, blanks);
            sbuf_addstr(out, t->text.buf + t->cell_off[i]);
            if (!right && !last)
                pad(out, blanks);
        }
        if (t->flags & TABLE_TRIM)
            while (out->len > start && out->buf[out->len - 1] == ' ')
                out->buf[--out->len] = '\0';
        if (wr->post)
            sbuf_addstr(out, wr->post);
        sbuf_addch(out, '\n');
    }
    free(cols);
    free(w);
}

void table_print(const struct table *t, FILE *out)
{
    struct sbuf sb = SBUF_INIT;
    table_render(t, &sb);
    fwrite(sb.buf, 1, sb.len, out);
    sbuf_release(&sb);
}
