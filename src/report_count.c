/*
 * report_count: the table of count's formats.
 *
 * How it works: a const array of the formats' definitions, each the first member of its
 * struct report_ops, so the definition found by name or identity is cast back to operations.
 */
#include "tifa/report_count.h"

#include <assert.h>
#include <stddef.h>

static const struct report_format_def *const count_defs[] = {
    &report_table_ops.def, &report_json_ops.def,   &report_jsonl_ops.def,      &report_tsv_ops.def,
    &report_csv_ops.def,   &report_matrix_ops.def, &report_matrix_csv_ops.def,
};

const struct report_formats report_count_formats = {count_defs,
                                                    sizeof(count_defs) / sizeof(count_defs[0])};

const struct report_ops *report_count_ops(enum report_format f)
{
    const struct report_format_def *def = report_format_get(&report_count_formats, f);
    assert(def);
    return (const struct report_ops *)def;
}
