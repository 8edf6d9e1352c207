/*
 * cmd_trend: `tifa trend [OPTIONS] INPUT...` — formula counts per period (year) over documents.
 *
 * Wiring: options -> lexicon -> automaton -> walk -> corpus_count (asking for the first
 * TREND_HEAD_LEN bytes of each text, for years written inside) -> trend_key per document ->
 * trend tallies -> report_trend. Rows are the --term terms in the order given, else every term
 * found, by total count (desc) then term; then only those counted --min-count N times in all
 * periods together, cut to --top N (the SVG shows the top 10 unless told).
 * Documents without a key are listed as unkeyed, never dropped silently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/cmd.h"
#include "tifa/corpus.h"
#include "tifa/report_trend.h"
#include "tifa/trend.h"
#include "tifa/xalloc.h"

static const char trend_usage[] =
    "usage: tifa trend [OPTIONS] INPUT...\n"
    "Groups documents into periods and counts the formulas of each period. The period is the\n"
    "first year (1949-2099) in the file name, else in the text's first 5 lines.\n\n"
    "  --period UNIT         year (default), quarter, month, week (ISO) or day: from the first\n"
    "                        date in the file name (20210315, 2021-03-15, 2021年3月15日, ...),\n"
    "                        else in the first lines\n"
    "  --key-regex REGEX     period = first capture group of REGEX (pcre2) in the path,\n"
    "                        else in the first lines\n"
    "  --group-by FIELD      also a trend per value of a --meta field (json groups, a table\n"
    "                        per group; tsv/csv lines start with the group)\n"
    "  --date-field FIELD    with --meta: the date is this field's (default: date, else\n"
    "                        year, when a table has it), else as above\n"
    "  --term TERM           only this term (repeatable; rows in the order given)\n"
    "  --top N               only the N most frequent terms (svg: 10 unless --term/--top)\n"
    "  --min-count N         only terms counted at least N times over all periods\n"
    "  --docs                show documents using the term instead of occurrences\n"
    "  --rate                show occurrences per 10,000 Han characters\n"
    "  --share               show the share of the period's documents using the term\n"
    "  --y WHAT              the same as one of them: count, rate, share or docs\n"
    "                        (default: count, and rate for svg)\n"
    "  -f, --format FMT      table (default), json, tsv, csv or svg\n";

enum {
    OPT_FORMAT = 1,
    OPT_KEY_REGEX,
    OPT_TERM,
    OPT_TOP,
    OPT_DOCS,
    OPT_RATE,
    OPT_SHARE,
    OPT_MIN_COUNT,
    OPT_PERIOD,
    OPT_Y,
    OPT_DATE_FIELD,
    OPT_GROUP_BY
};

struct trend_run {
    struct trend t;
    const struct trend_keyer *keyer;
    struct sbuf key;
    struct walk_result *walk; /* read errors and binary files join its lists */
    struct cmd_progress cp;
    const struct cmd_meta *meta;
    size_t date_field; /* --meta: the field that dates a document, else META_NO_FIELD */
    size_t group_field; /* --group-by, else META_NO_FIELD */
    struct trend_group_set groups;
};

/* The period of a document from its metadata date (precise enough for the period), if any. */
static int meta_key(struct trend_run *run, size_t index)
{
    const char *const *v = cmd_meta_doc(run->meta, index);
    const char *date = v && run->date_field != META_NO_FIELD ? v[run->date_field] : NULL;
    struct trend_date d;
    int prec = date ? trend_date(date, strlen(date), &d) : 0;
    sbuf_reset(&run->key);
    return prec && trend_date_key(&d, prec, run->keyer->unit, &run->key);
}

static void on_doc(size_t index, const struct agg_doc *doc, const struct tifa_err *err, void *arg)
{
    struct trend_run *run = arg;
    if (err) {
        cmd_doc_failed(&run->cp, index, err, run->walk);
        return;
    }
    cmd_warn_invalid(&run->cp, doc);
    int keyed = (!run->keyer->re && meta_key(run, index)) ||
                trend_key(run->keyer, doc->path, doc->head, doc->head_len, &run->key);
    trend_add(&run->t, keyed ? run->key.buf : NULL, doc);
    if (run->group_field != META_NO_FIELD) {
        const char *value = cmd_meta_doc(run->meta, index)[run->group_field];
        trend_add(trend_group(&run->groups, value, run->t.nlabels), keyed ? run->key.buf : NULL,
                  doc);
    }
}

struct ranked {
    const char *term;
    uint32_t id;
    uint64_t count;
};

static int cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->term, y->term);
}

/* The --term rows in the order given (repeats dropped), checked against the lexicon before
 * anything is counted. Returns 0 or EXIT_USAGE (message printed). */
static int term_rows(const struct lexicon *lx, const char **terms, size_t nterms, uint32_t **out,
                     size_t *nout)
{
    uint32_t *ids = xmalloc(st_mult(nterms + 1, sizeof(uint32_t)));
    size_t n = 0;
    for (size_t k = 0; k < nterms; k++) {
        size_t id;
        for (id = 0; id < lx->nlabels && strcmp(lx->labels[id].term, terms[k]); id++)
            ;
        if (id == lx->nlabels) {
            fprintf(stderr, "tifa: '%s' is not a term of the lexicon (see tifa lexicon)\n",
                    terms[k]);
            free(ids);
            return EXIT_USAGE;
        }
        size_t j;
        for (j = 0; j < n && ids[j] != id; j++)
            ;
        if (j == n)
            ids[n++] = (uint32_t)id;
    }
    *out = ids;
    *nout = n;
    return 0;
}

/* The rows without --term: every term found, by total count. */
static void ranked_rows(const struct trend *t, const struct lexicon *lx, uint32_t **out,
                        size_t *nout)
{
    uint32_t *ids = xmalloc(st_mult(lx->nlabels + 1, sizeof(uint32_t)));
    struct ranked *rk = xmalloc(st_mult(lx->nlabels + 1, sizeof(*rk)));
    size_t n = 0;
    for (size_t id = 0; id < lx->nlabels; id++) {
        uint64_t count, docs;
        trend_total(t, (uint32_t)id, &count, &docs);
        if (!count)
            continue;
        rk[n].term = lx->labels[id].term;
        rk[n].id = (uint32_t)id;
        rk[n].count = count;
        n++;
    }
    qsort(rk, n, sizeof(*rk), cmp_ranked);
    for (size_t i = 0; i < n; i++)
        ids[i] = rk[i].id;
    free(rk);
    *out = ids;
    *nout = n;
}

/* Keeps, in their order, the rows whose total count over all periods is at least @min_count. */
static void min_count_rows(const struct trend *t, uint64_t min_count, uint32_t *rows, size_t *nrows)
{
    size_t n = 0;
    for (size_t i = 0; i < *nrows; i++) {
        uint64_t count, docs;
        trend_total(t, rows[i], &count, &docs);
        if (count >= min_count)
            rows[n++] = rows[i];
    }
    *nrows = n;
}

int cmd_trend(int argc, char **argv)
{
    static const struct optparse_spec trend_opts[] = {
        {OPT_FORMAT, 'f', "format", 1},
        {OPT_KEY_REGEX, 0, "key-regex", 1},
        {OPT_TERM, 0, "term", 1},
        {OPT_TOP, 0, "top", 1},
        {OPT_DOCS, 0, "docs", 0},
        {OPT_RATE, 0, "rate", 0},
        {OPT_SHARE, 0, "share", 0},
        {OPT_MIN_COUNT, 0, "min-count", 1},
        {OPT_PERIOD, 0, "period", 1},
        {OPT_Y, 0, "y", 1},
        {OPT_DATE_FIELD, 0, "date-field", 1},
        {OPT_GROUP_BY, 0, "group-by", 1},
        {0, 0, NULL, 0},
    };
    const struct optparse_spec *const tables[] = {trend_opts, common_lexicon_opts,
                                                  common_input_opts, common_output_opts, NULL};
    struct common_opts co;
    struct optparse p;
    enum report_format fmt = FMT_TABLE;
    enum trend_measure measure = TREND_COUNT;
    const char *regex = NULL, *period = NULL, *date_field = NULL, *group_by = NULL;
    enum trend_unit unit = TREND_YEAR;
    const char **terms = NULL;
    size_t nterms = 0, terms_alloc = 0;
    uint64_t top = 0;
    struct cmd_cut cut = {0, 0}; /* --min-count; trend's --top is 1 or more, parsed apart */
    int c, status = EXIT_OK, nmeasures = 0, top_given = 0;

    common_opts_init(&co);
    optparse_init(&p, "trend", argc, argv, tables);
    while ((c = optparse_next(&p)) != OPTPARSE_END) {
        switch (c) {
        case OPT_FORMAT:
            if (cmd_parse_format(p.value, &report_trend_formats, &fmt))
                goto usage;
            break;
        case OPT_KEY_REGEX: regex = p.value; break;
        case OPT_DATE_FIELD: date_field = p.value; break;
        case OPT_GROUP_BY: group_by = p.value; break;
        case OPT_PERIOD:
            if (trend_unit_parse(p.value, &unit)) {
                optparse_bad_value(&p, "year, quarter, month, week or day");
                goto usage;
            }
            period = p.value;
            break;
        case OPT_TERM:
            ALLOC_GROW(terms, nterms + 1, terms_alloc);
            terms[nterms++] = p.value;
            break;
        case OPT_TOP:
            if (optparse_number(&p, 1, SIZE_MAX, &top))
                goto usage;
            top_given = 1;
            break;
        case OPT_MIN_COUNT:
            if (cmd_parse_cut(&p, 0, &cut))
                goto usage;
            break;
        case OPT_DOCS:
            measure = TREND_DOCS;
            nmeasures++;
            break;
        case OPT_RATE:
            measure = TREND_RATE;
            nmeasures++;
            break;
        case OPT_SHARE:
            measure = TREND_SHARE;
            nmeasures++;
            break;
        case OPT_Y:
            if (!strcmp(p.value, "count"))
                measure = TREND_COUNT;
            else if (!strcmp(p.value, "rate"))
                measure = TREND_RATE;
            else if (!strcmp(p.value, "share"))
                measure = TREND_SHARE;
            else if (!strcmp(p.value, "docs"))
                measure = TREND_DOCS;
            else {
                optparse_bad_value(&p, "count, rate, share or docs");
                goto usage;
            }
            nmeasures++;
            break;
        case OPTPARSE_HELP:
            printf("%s\n%s", trend_usage, common_opts_help);
            free(terms);
            common_opts_release(&co);
            return cmd_finish_output(EXIT_OK);
        case OPTPARSE_VERSION:
            free(terms);
            common_opts_release(&co);
            return cmd_version();
        default:
            if (common_opts_handle(&co, c, &p) == 1)
                break;
            goto usage;
        }
    }
    if (period && regex) {
        fprintf(stderr, "tifa: --period and --key-regex both choose the periods: give one\n");
        goto usage;
    }
    if (group_by && fmt == FMT_SVG) {
        fprintf(stderr, "tifa: --group-by draws no chart: use json, tsv, csv or table\n");
        goto usage;
    }
    if (nmeasures > 1) {
        fprintf(stderr, "tifa: choose one of --docs, --rate, --share and --y\n");
        goto usage;
    }
    if (!p.nargs && !co.files_from) {
        fprintf(stderr, "tifa: trend needs at least one input (a file, a folder or -)\n");
        goto usage;
    }
    /* a chart of counts makes a period with half the documents look like a collapse */
    if (fmt == FMT_SVG && !nmeasures)
        measure = TREND_RATE;
    if (fmt == FMT_SVG && !nterms && !top_given)
        top = 10;

    struct trend_keyer keyer;
    struct tifa_err e;
    char msg[2048];
    tifa_err_init(&e);
    if (trend_keyer_init(&keyer, regex, &e)) {
        fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
        free(terms);
        common_opts_release(&co);
        return EXIT_USAGE;
    }
    keyer.unit = unit;
    struct cmd_setup s;
    struct trend_run run;
    uint32_t *rows = NULL;
    size_t nrows = 0;
    memset(&run, 0, sizeof(run));
    sbuf_init(&run.key);
    trend_groups_init(&run.groups);
    if ((status = cmd_setup(&s, &co, SETUP_AUTOMATON | SETUP_INPUTS, p.argv + 1, p.nargs)) != 0 ||
        (nterms && (status = term_rows(&s.lx, terms, nterms, &rows, &nrows)) != 0))
        goto done_setup;
    struct walk_result *w = &s.walk;
    run.meta = &s.meta;
    run.date_field = META_NO_FIELD;
    run.group_field = META_NO_FIELD;
    if (group_by && (status = cmd_meta_field(&s.meta, group_by, "--group-by", &run.group_field)) != 0)
        goto done_setup;
    if (date_field) {
        if ((status = cmd_meta_field(&s.meta, date_field, "--date-field", &run.date_field)) != 0)
            goto done_setup;
    } else if (s.meta.active) {
        run.date_field = meta_field(&s.meta.m, "date");
        if (run.date_field == META_NO_FIELD)
            run.date_field = meta_field(&s.meta.m, "year");
    }

    trend_init(&run.t, s.lx.nlabels);
    run.keyer = &keyer;
    struct corpus_opts copts = {.encoding = co.encoding,
                                .threads = co.threads, .raw = co.raw, .script = co.script,
                                .opencc_config = co.opencc_config,
                                .head_len = TREND_HEAD_LEN,
                                .resolver = s.resolver};
    run.walk = w;
    cmd_progress_start(&run.cp, &co, 0, &copts);
    corpus_count(&w->files, &s.lx, s.ac, &copts, on_doc, &run);
    cmd_progress_end(&run.cp);
    walk_sort_notes(w); /* walk and reader notes together, in path order */
    cmd_note_skips(w, co.quiet);
    trend_finish(&run.t);
    trend_groups_finish(&run.groups);

    if (!nterms)
        ranked_rows(&run.t, &s.lx, &rows, &nrows);
    min_count_rows(&run.t, cut.min_count, rows, &nrows);
    if (top && nrows > top)
        nrows = (size_t)top;
    struct report_trend rep = {stdout,      fmt,       measure, regex ? "regex" : period ? period : "year",
                               &s.lx,       &run.t,    rows,    nrows,
                               &w->skipped, &w->errors, NULL, 0, NULL};
    struct report_trend_group *groups = xcalloc(run.groups.n + 1, sizeof(*groups));
    for (size_t g = 0; g < run.groups.n; g++) {
        groups[g].value = run.groups.values[g];
        groups[g].t = run.groups.t[g];
    }
    if (run.group_field != META_NO_FIELD) {
        rep.groups = groups;
        rep.ngroups = run.groups.n;
        rep.group_field = group_by;
    }
    cmd_begin_csv(co.bom, fmt);
    report_trend(&rep);
    free(groups);
    status = w->errors.n || w->unread_named ? EXIT_PARTIAL : EXIT_OK;
    trend_release(&run.t);
done_setup:
    trend_groups_release(&run.groups);
    free(rows);
    sbuf_release(&run.key);
    cmd_setup_release(&s);
    trend_keyer_release(&keyer);
    free(terms);
    common_opts_release(&co);
    return cmd_finish_output(status);
usage:
    optparse_usage_error(&p);
    free(terms);
    common_opts_release(&co);
    return EXIT_USAGE;
}
