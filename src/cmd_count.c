/*
 * cmd_count: `tifa count [OPTIONS] INPUT...` — formula counts per document and in total.
 *
 * Wiring: options -> lexicon -> automaton -> walk -> corpus_count (threads, in order) ->
 * agg totals -> reporter. Warnings (invalid sequences, unreadable inputs) go to stderr in path
 * order, so stderr is as deterministic as stdout.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tifa/cmd.h"
#include "tifa/corpus.h"
#include "tifa/encoding.h"
#include "tifa/report_count.h"
#include "tifa/xalloc.h"

static const char count_usage[] =
    "usage: tifa count [OPTIONS] INPUT...\n"
    "Counts the formulas of the lexicon in each input and in total.\n\n"
    "Output:\n"
    "  -f, --format FMT      table (default), json, jsonl, tsv or csv\n"
    "  --per-doc             table: also one row per document and term\n"
    "  --top N               only the N most frequent terms in the summary\n"
    "  --min-count N         only terms counted at least N times in the summary\n"
    "  --sort KEY            summary order: count (default), term or docs\n";

enum { OPT_FORMAT = 1, OPT_PER_DOC, OPT_TOP, OPT_MIN_COUNT, OPT_SORT, OPT_HELP };

struct count_run {
    struct report rep;
    struct agg_total tot;
    struct walk_result *walk; /* read errors and binary files join its lists */
};

static void on_doc(size_t index, const struct agg_doc *doc, const struct tifa_err *err, void *arg)
{
    struct count_run *run = arg;
    (void)index;
    if (err) {
        cmd_doc_failed(err, run->walk);
        return;
    }
    cmd_warn_invalid(doc);
    agg_total_add(&run->tot, doc);
    report_document(&run->rep, doc);
}

/* Milliseconds on the monotonic clock, for TIFA_DEBUG_TIMING. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int parse_count(const char *s, const char *opt, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || *s == '-') {
        fprintf(stderr, "tifa: invalid value '%s' for %s\n", s, opt);
        return -1;
    }
    *out = v;
    return 0;
}

int cmd_count(int argc, char **argv)
{
    struct common_opts co;
    struct option longopts[64] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"per-doc", no_argument, NULL, OPT_PER_DOC},
        {"top", required_argument, NULL, OPT_TOP},
        {"min-count", required_argument, NULL, OPT_MIN_COUNT},
        {"sort", required_argument, NULL, OPT_SORT},
        {"help", no_argument, NULL, OPT_HELP},
    };
    enum report_format fmt = FMT_TABLE;
    int per_doc = 0, c, status = EXIT_OK;
    uint64_t top = 0, min_count = 0;
    enum agg_sort sort = AGG_SORT_COUNT;

    common_opts_init(&co);
    common_opts_longopts(longopts, 6);
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:j:0h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
        case OPT_FORMAT:
            if (cmd_parse_format(optarg, &report_count_formats, &fmt))
                goto usage;
            break;
        case OPT_PER_DOC:
            per_doc = 1;
            break;
        case OPT_TOP:
            if (parse_count(optarg, "--top", &top))
                goto usage;
            break;
        case OPT_MIN_COUNT:
            if (parse_count(optarg, "--min-count", &min_count))
                goto usage;
            break;
        case OPT_SORT:
            if (cmd_parse_sort(optarg, &sort))
                goto usage;
            break;
        case 'h':
        case OPT_HELP:
            printf("%s\n%s", count_usage, common_opts_help);
            common_opts_release(&co);
            return cmd_finish_output(EXIT_OK);
        default: {
            int r = common_opts_handle(&co, c, optarg);
            if (r == 1)
                break;
            goto usage;
        }
        }
    }
    if (optind >= argc && !co.files_from) {
        fprintf(stderr, "tifa: count needs at least one input (a file, a folder or -)\n");
        goto usage;
    }

    struct lexicon lx;
    struct ac *ac = NULL;
    struct tifa_err e;
    char msg[2048];
    /* Hidden: TIFA_DEBUG_TIMING=1 prints the time of each stage to stderr (make bench uses it). */
    const char *dbg = getenv("TIFA_DEBUG_TIMING");
    int timing = dbg && *dbg && strcmp(dbg, "0");
    double t0 = timing ? now_ms() : 0, t_lex = 0, t_ac = 0, t_walk = 0;
    tifa_err_init(&e);
    if ((status = cmd_load_lexicon(&co, &lx)) != 0) {
        lexicon_release(&lx);
        common_opts_release(&co);
        return status;
    }
    if (timing)
        t_lex = now_ms();
    if (corpus_build_ac(&lx, co.overlapping ? AC_OVERLAPPING : AC_LEFTMOST_LONGEST, &ac, &e)) {
        fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
        lexicon_release(&lx);
        common_opts_release(&co);
        return EXIT_USAGE;
    }
    if (timing)
        t_ac = now_ms();
    struct walk_result w;
    if ((status = cmd_walk_inputs(&co, argv + optind, (size_t)(argc - optind), &w)) != 0) {
        walk_result_release(&w);
        ac_free(ac);
        lexicon_release(&lx);
        common_opts_release(&co);
        return status;
    }

    if (timing)
        t_walk = now_ms();
    struct count_run run;
    memset(&run, 0, sizeof(run));
    report_init(&run.rep, stdout, report_count_ops(fmt), &lx, "count");
    run.rep.per_doc = per_doc;
    run.rep.top = (size_t)top;
    run.rep.min_count = min_count;
    run.rep.sort = sort;
    agg_total_init(&run.tot, lx.nlabels);
    for (size_t i = 0; i < w.nerrors; i++)
        fprintf(stderr, "tifa: '%s': %s\n", w.errors[i].path, w.errors[i].text);
    const char **paths = xmalloc(st_mult(w.nfiles + 1, sizeof(char *)));
    for (size_t i = 0; i < w.nfiles; i++)
        paths[i] = w.files[i].path;
    struct corpus_stats cstats = {0, 0};
    unsigned char *sniff = walk_sniff_flags(&w);
    struct corpus_opts copts = {co.encoding, co.threads, 0, &cstats, sniff};
    run.walk = &w;
    report_begin(&run.rep);
    if (co.encoding) {
        struct decoder d;
        tifa_err_init(&e);
        if (decoder_init(&d, co.encoding, 0, &e)) {
            fprintf(stderr, "tifa: %s\n", e.msg);
            status = EXIT_USAGE;
            goto done;
        }
        decoder_release(&d);
    }
    corpus_count(paths, w.nfiles, &lx, ac, &copts, on_doc, &run);
    walk_sort_notes(&w); /* walk and reader notes together, in path order */
    report_end(&run.rep, &run.tot, w.skipped, w.nskipped, w.errors, w.nerrors);
    status = w.nerrors ? EXIT_PARTIAL : EXIT_OK;
    if (timing) {
        size_t nst, nde, ncl;
        ac_shape(ac, &nst, &nde, &ncl);
        fprintf(stderr,
                "tifa: timing: lexicon %.3f ms, automaton %.3f ms (%zu patterns, %zu states, %zu dense, "
                "%zu classes, %s), walk %.3f ms (%zu files), count %.3f ms (%zu split in %zu "
                "chunks)\n",
                t_lex - t0, t_ac - t_lex, lx.npatterns, nst, nde, ncl, ac_scan_name(ac),
                t_walk - t_ac, w.nfiles,
                now_ms() - t_walk, cstats.split_files, cstats.chunks);
    }
done:
    free(paths);
    free(sniff);
    agg_total_release(&run.tot);
    walk_result_release(&w);
    ac_free(ac);
    lexicon_release(&lx);
    common_opts_release(&co);
    return cmd_finish_output(status);
usage:
    fprintf(stderr, "%s(see tifa count --help)\n", count_usage);
    common_opts_release(&co);
    return EXIT_USAGE;
}
