/*
 * cmd_count: `tifa count [OPTIONS] INPUT...` — formula counts per document and in total.
 *
 * Wiring: options -> lexicon -> automaton -> walk -> corpus_count (threads, in order) ->
 * agg totals -> reporter. Warnings (invalid sequences, unreadable inputs) go to stderr in path
 * order, so stderr is as deterministic as stdout.
 *
 * Patterns (--pattern, --patterns): the counting consumer is patcount's, whose documents carry
 * their "NAME:text" terms as strings; on the calling thread, in input order, each new term
 * becomes a label of a lexicon view (lexicon.h) that the reporter and the totals use, and the
 * document's counts are sorted again with it. Ids are thus given in input order whatever -j is,
 * and the threads that count never see the view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/cmd.h"
#include "tifa/corpus.h"
#include "tifa/patcount.h"
#include "tifa/settings.h"
#include "tifa/report_count.h"
#include "tifa/strmap.h"
#include "tifa/xalloc.h"

static const char count_usage[] =
    "usage: tifa count [OPTIONS] INPUT...\n"
    "Counts the formulas of the lexicon in each input and in total.\n\n"
    "Output:\n"
    "  -f, --format FMT      table (default), json, jsonl, tsv, csv, matrix or matrix-csv\n"
    "  --per-doc             table: also one row per document and term\n"
    "  --top N               only the N most frequent terms in the summary\n"
    "  --min-count N         only terms counted at least N times in the summary\n"
    "  --sort KEY            summary order: count (default), term or docs\n"
    "  --group-by FIELD      also totals per value of a --meta field (json groups, jsonl\n"
    "                        group lines, a table column per group)\n"
    "Patterns:\n"
    "  --pattern NAME=REGEX  also count the matches of a pcre2 regex on the normalized text,\n"
    "                        each distinct match as the term NAME:match (repeatable)\n"
    "  --patterns FILE       patterns from a file of NAME<TAB>REGEX lines\n"
    "Reading:\n"
    "  --expansions          also count the sentences that spell an entry out: all of its\n"
    "                        expansion components, in any order, anything between them\n"
    "  --partial K           also report sentences holding at least K components of an\n"
    "                        entry, with the ones they hold (implies --expansions)\n"
    "  --by-sense            where a cue decided which entry a shared label or an\n"
    "                        abbreviation stands for, count it under the entry's id\n";

enum {
    OPT_FORMAT = 1,
    OPT_PER_DOC,
    OPT_TOP,
    OPT_MIN_COUNT,
    OPT_SORT,
    OPT_PATTERN,
    OPT_PATTERNS,
    OPT_EXPANSIONS,
    OPT_PARTIAL,
    OPT_BY_SENSE,
    OPT_GROUP_BY
};

struct count_run {
    struct report rep;
    struct agg_total tot;
    struct walk_result *walk; /* read errors and binary files join its lists */
    const struct cmd_meta *meta;
    struct agg_groups groups; /* --group-by */
    size_t group_field;       /* index in meta.m.fields, META_NO_FIELD without --group-by */
    struct cmd_progress cp;
    struct lexicon *view;     /* with patterns or --by-sense: the lexicon and the pattern
                                 terms or entry ids, else NULL */
    struct strmap pat_ids;    /* pattern term or entry id -> label id in view */
    struct agg_count *counts; /* a document's counts with its pattern terms */
    size_t counts_alloc;
    int by_sense;
    struct strmap sense_ids; /* --by-sense: entry id -> entry index */
    struct agg_extra *extra; /* --by-sense: a document's extra terms with its senses */
    size_t extra_alloc;
    struct agg_count *sense_counts;
    size_t sense_counts_alloc;
};

static int cmp_extra_term(const void *a, const void *b)
{
    return strcmp(((const struct agg_extra *)a)->term, ((const struct agg_extra *)b)->term);
}

/* --by-sense: @d is @doc with every decided sense moved from its label to an extra term, the
 * entry's id (the extra terms become labels of the view as pattern terms do). */
static void with_sense_terms(struct count_run *run, const struct agg_doc *doc, struct agg_doc *d)
{
    const struct lexicon *lx = run->view;
    *d = *doc;
    size_t ne = doc->nextra;
    ALLOC_GROW(run->extra, ne + doc->read.nsenses + 1, run->extra_alloc);
    if (ne)
        memcpy(run->extra, doc->extra, ne * sizeof(*doc->extra));
    ALLOC_GROW(run->sense_counts, doc->ncounts + 1, run->sense_counts_alloc);
    if (doc->ncounts)
        memcpy(run->sense_counts, doc->counts, doc->ncounts * sizeof(*doc->counts));
    size_t nc = doc->ncounts;
    for (size_t i = 0; i < doc->read.nsenses; i++) {
        const struct resolve_sense *s = &doc->read.senses[i];
        if (s->entry == RESOLVE_UNRESOLVED)
            continue;
        const struct lex_entry *en = &lx->entries[s->entry];
        run->extra[ne].term = *en->id ? en->id : en->term;
        run->extra[ne++].count = s->count;
        for (size_t k = 0; k < nc; k++)
            if (run->sense_counts[k].label_id == s->label_id)
                run->sense_counts[k].count -= s->count;
    }
    size_t m = 0;
    for (size_t k = 0; k < nc; k++)
        if (run->sense_counts[k].count)
            run->sense_counts[m++] = run->sense_counts[k];
    qsort(run->extra, ne, sizeof(*run->extra), cmp_extra_term);
    d->counts = run->sense_counts;
    d->ncounts = m;
    d->extra = run->extra;
    d->nextra = ne;
}

/* A document's pattern terms as counts of the view (new terms become labels), sorted with the
 * lexicon's counts as agg sorts them; @d is @doc with those counts. */
static void with_pattern_terms(struct count_run *run, const struct agg_doc *doc, struct agg_doc *d)
{
    *d = *doc;
    d->extra = NULL;
    d->nextra = 0;
    if (!doc->nextra)
        return;
    size_t n = doc->ncounts + doc->nextra;
    ALLOC_GROW(run->counts, n, run->counts_alloc);
    memcpy(run->counts, doc->counts, doc->ncounts * sizeof(*doc->counts));
    int added = 0;
    for (size_t i = 0; i < doc->nextra; i++) {
        const char *term = doc->extra[i].term;
        int inserted;
        size_t *id = strmap_put(&run->pat_ids, term, strlen(term), run->view->nlabels, &inserted);
        if (inserted) {
            const size_t *e =
                run->by_sense ? strmap_get(&run->sense_ids, term, strlen(term)) : NULL;
            lexicon_view_add(run->view, term, e ? run->view->entries[*e].category : "pattern");
            added = 1;
        }
        run->counts[doc->ncounts + i].label_id = (uint32_t)*id;
        run->counts[doc->ncounts + i].count = doc->extra[i].count;
    }
    if (added) {
        lexicon_view_rank(run->view);
        agg_total_grow(&run->tot, run->view->nlabels);
    }
    agg_counts_sort(run->counts, n, run->view);
    d->counts = run->counts;
    d->ncounts = n;
}

static void on_doc(size_t index, const struct agg_doc *doc, const struct tifa_err *err, void *arg)
{
    struct count_run *run = arg;
    if (err) {
        cmd_doc_failed(&run->cp, index, err, run->walk);
        return;
    }
    cmd_warn_invalid(&run->cp, doc);
    struct agg_doc d, ds, dm;
    if (run->meta->active) {
        dm = *doc;
        dm.meta = cmd_meta_doc(run->meta, index);
        doc = &dm;
    }
    if (run->by_sense) {
        with_sense_terms(run, doc, &ds);
        doc = &ds;
    }
    if (run->view) {
        with_pattern_terms(run, doc, &d);
        doc = &d;
    }
    agg_total_add(&run->tot, doc);
    if (run->group_field != META_NO_FIELD)
        agg_groups_add(&run->groups, doc->meta[run->group_field], doc, run->tot.nlabels);
    report_document(&run->rep, doc);
}

/* --pattern NAME=REGEX: compiles it into @rs; prints why and returns -1 when it is no pattern. */
static int add_pattern(struct rule_set *rs, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        fprintf(stderr, "tifa: invalid value '%s' for --pattern (NAME=REGEX)\n", arg);
        return -1;
    }
    char *name = xstrndup(arg, (size_t)(eq - arg));
    struct tifa_err e;
    char msg[1024];
    tifa_err_init(&e);
    int rc = rule_set_add(rs, name, eq + 1, CMD_TERMS_ORIGIN, 0, &e);
    if (rc)
        fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
    free(name);
    return rc ? -1 : 0;
}

int cmd_count(int argc, char **argv)
{
    static const struct optparse_spec count_opts[] = {
        {OPT_FORMAT, 'f', "format", 1},
        {OPT_PER_DOC, 0, "per-doc", 0},
        {OPT_TOP, 0, "top", 1},
        {OPT_MIN_COUNT, 0, "min-count", 1},
        {OPT_SORT, 0, "sort", 1},
        {OPT_PATTERN, 0, "pattern", 1},
        {OPT_PATTERNS, 0, "patterns", 1},
        {OPT_EXPANSIONS, 0, "expansions", 0},
        {OPT_PARTIAL, 0, "partial", 1},
        {OPT_BY_SENSE, 0, "by-sense", 0},
        {OPT_GROUP_BY, 0, "group-by", 1},
        {0, 0, NULL, 0},
    };
    const struct optparse_spec *const tables[] = {count_opts, common_lexicon_opts,
                                                  common_input_opts, common_output_opts, NULL};
    struct common_opts co;
    struct optparse p;
    enum report_format fmt = FMT_TABLE;
    int per_doc = 0, by_sense = 0, c, status = EXIT_OK;
    const char *group_by = NULL;
    struct cmd_cut cut = {0, 0};
    enum agg_sort sort = AGG_SORT_COUNT;
    struct rule_set patterns;
    struct tifa_err e;
    char msg[1024];

    rule_set_init(&patterns);
    common_opts_init(&co);
    optparse_init(&p, "count", argc, argv, tables);
    while ((c = optparse_next(&p)) != OPTPARSE_END) {
        switch (c) {
        case OPT_FORMAT:
            if (cmd_parse_format(p.value, &report_count_formats, &fmt))
                goto usage;
            break;
        case OPT_PER_DOC: per_doc = 1; break;
        case OPT_TOP:
        case OPT_MIN_COUNT:
            if (cmd_parse_cut(&p, c == OPT_TOP, &cut))
                goto usage;
            break;
        case OPT_SORT:
            if (cmd_parse_sort(p.value, &sort))
                goto usage;
            break;
        case OPT_PATTERN:
            if (add_pattern(&patterns, p.value))
                goto usage;
            break;
        case OPT_EXPANSIONS: co.reading.expansions = 1; break;
        case OPT_BY_SENSE: by_sense = 1; break;
        case OPT_GROUP_BY: group_by = p.value; break;
        case OPT_PARTIAL: {
            uint64_t k;
            if (optparse_number(&p, 1, 64, &k))
                goto usage;
            co.reading.expansions = 1;
            co.reading.partial = (unsigned)k;
            break;
        }
        case OPT_PATTERNS:
            tifa_err_init(&e);
            if (rule_set_load_file(&patterns, p.value, &e)) {
                fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
                rule_set_release(&patterns);
                common_opts_release(&co);
                return EXIT_USAGE; /* a bad file, not a bad command line */
            }
            break;
        case OPTPARSE_HELP:
            printf("%s\n%s", count_usage, common_opts_help);
            rule_set_release(&patterns);
            common_opts_release(&co);
            return cmd_finish_output(EXIT_OK);
        case OPTPARSE_VERSION:
            rule_set_release(&patterns);
            common_opts_release(&co);
            return cmd_version();
        default:
            if (common_opts_handle(&co, c, &p) == 1)
                break;
            goto usage;
        }
    }
    if (!p.nargs && !co.files_from) {
        fprintf(stderr, "tifa: count needs at least one input (a file, a folder or -)\n");
        goto usage;
    }

    /* Hidden: TIFA_DEBUG_TIMING=1 prints the time of each stage to stderr (make bench uses it). */
    const char *dbg = getenv("TIFA_DEBUG_TIMING");
    int timing = dbg && *dbg && strcmp(dbg, "0");
    /* --expansions reads every document anyway: its reading also counts, so each byte is
     * scanned once (resolver_counts). Not with --pattern: patcount's consumer wraps the count
     * and takes the driver's matches. */
    co.reading.counts = co.reading.expansions && !patterns.n;
    struct cmd_setup s;
    if ((status = cmd_setup(&s, &co, SETUP_AUTOMATON | SETUP_INPUTS, p.argv + 1, p.nargs)) != 0) {
        cmd_setup_release(&s);
        rule_set_release(&patterns);
        common_opts_release(&co);
        return status;
    }
    size_t group_field = META_NO_FIELD;
    if (group_by && (status = cmd_meta_field(&s.meta, group_by, "--group-by", &group_field)) != 0) {
        cmd_setup_release(&s);
        rule_set_release(&patterns);
        common_opts_release(&co);
        return status;
    }
    double t_walk = timing ? cmd_now_ms() : 0;
    struct walk_result *w = &s.walk;
    struct count_run run;
    memset(&run, 0, sizeof(run));
    struct lexicon view;
    run.by_sense = by_sense && s.resolver;
    if (patterns.n || run.by_sense) {
        lexicon_view_init(&view, &s.lx);
        run.view = &view;
        strmap_init(&run.pat_ids);
    }
    if (run.by_sense) {
        strmap_init(&run.sense_ids);
        for (size_t i = 0; i < s.lx.nentries; i++)
            if (!s.lx.entries[i].dropped && *s.lx.entries[i].id)
                strmap_put(&run.sense_ids, s.lx.entries[i].id, strlen(s.lx.entries[i].id), i, NULL);
    }
    report_init(&run.rep, stdout, report_count_ops(fmt), run.view ? run.view : &s.lx, "count");
    run.rep.per_doc = per_doc;
    run.rep.top = cut.top;
    run.rep.min_count = cut.min_count;
    run.rep.sort = sort;
    run.rep.senses = s.resolver != NULL;
    run.rep.expansions = co.reading.expansions;
    run.rep.partial = co.reading.partial;
    run.rep.settings = cmd_run_settings(&s, &co, &patterns, run.by_sense);
    run.meta = &s.meta;
    run.group_field = group_field;
    agg_groups_init(&run.groups);
    if (group_field != META_NO_FIELD) {
        run.rep.groups = &run.groups;
        run.rep.group_field = group_by;
    }
    run.rep.meta_json = cmd_meta_json(&s.meta);
    run.rep.meta_fields = (const char *const *)s.meta.m.fields;
    run.rep.nmeta_fields = s.meta.m.nfields;
    agg_total_init(&run.tot, s.lx.nlabels);
    struct corpus_stats cstats = {0, 0};
    struct corpus_opts copts = {
        .encoding = co.encoding, .threads = co.threads, .raw = co.raw, .stats = &cstats, .resolver = s.resolver,
        .script = co.script, .opencc_config = co.opencc_config};
    run.walk = w;
    cmd_begin_csv(co.bom, fmt);
    report_begin(&run.rep);
    /* the table keeps its rows to the end; the other formats write each document at once */
    cmd_progress_start(&run.cp, &co, fmt != FMT_TABLE, &copts);
    if (patterns.n) {
        struct patcount_arg pa = {&s.lx, &patterns, s.resolver};
        struct sink sink;
        patcount_sink(&sink, &pa);
        corpus_count_with(&w->files, &s.lx, s.ac, &copts, &sink, on_doc, &run);
    } else {
        corpus_count(&w->files, &s.lx, s.ac, &copts, on_doc, &run);
    }
    cmd_progress_end(&run.cp);
    walk_sort_notes(w); /* walk and reader notes together, in path order */
    cmd_note_skips(w, co.quiet);
    agg_groups_finish(&run.groups, run.tot.nlabels);
    report_end(&run.rep, &run.tot, &w->skipped, &w->errors);
    status = w->errors.n || w->unread_named ? EXIT_PARTIAL : EXIT_OK;
    if (timing) {
        size_t nst, nde, ncl;
        ac_shape(s.ac, &nst, &nde, &ncl);
        fprintf(stderr,
                "tifa: timing: lexicon %.3f ms, automaton %.3f ms (%zu patterns, %zu states, %zu "
                "dense, "
                "%zu classes, %s), walk %.3f ms (%zu files), count %.3f ms (%zu split in %zu "
                "chunks)\n",
                s.lexicon_ms, s.automaton_ms, s.lx.npatterns, nst, nde, ncl, ac_scan_name(s.ac),
                s.walk_ms, w->nfiles, cmd_now_ms() - t_walk, cstats.split_files, cstats.chunks);
    }
    agg_total_release(&run.tot);
    agg_groups_release(&run.groups);
    json_decref(run.rep.settings);
    json_decref(run.rep.meta_json);
    if (run.view) {
        lexicon_view_release(run.view);
        strmap_release(&run.pat_ids);
        free(run.counts);
    }
    if (run.by_sense)
        strmap_release(&run.sense_ids);
    free(run.extra);
    free(run.sense_counts);
    cmd_setup_release(&s);
    rule_set_release(&patterns);
    common_opts_release(&co);
    return cmd_finish_output(status);
usage:
    optparse_usage_error(&p);
    rule_set_release(&patterns);
    common_opts_release(&co);
    return EXIT_USAGE;
}
