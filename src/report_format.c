/*
 * report_format: looking formats up by name or identity in a family's table.
 *
 * How it works: a linear scan of a table of a few entries; nothing is allocated.
 */
#include "tifa/report_format.h"

#include <string.h>

const struct report_format_def *report_format_find(const struct report_formats *formats,
                                                   const char *name)
{
    for (size_t i = 0; i < formats->n; i++)
        if (!strcmp(formats->defs[i]->name, name))
            return formats->defs[i];
    return NULL;
}

const struct report_format_def *report_format_get(const struct report_formats *formats,
                                                  enum report_format f)
{
    for (size_t i = 0; i < formats->n; i++)
        if (formats->defs[i]->format == f)
            return formats->defs[i];
    return NULL;
}

void report_format_list(const struct report_formats *formats, struct sbuf *out)
{
    for (size_t i = 0; i < formats->n; i++) {
        if (i)
            sbuf_addstr(out, ", ");
        sbuf_addstr(out, formats->defs[i]->name);
    }
}
