/*
 * cmd_cooc: `tifa cooc [OPTIONS] INPUT...` — which lexicon terms stand together in the same
 * sentence, paragraph or document, with PMI and log-likelihood G².
 *
 * Wiring: options -> lexicon -> automaton (count's, so the matches are count's) -> walk ->
 * corpus_run with the co-occurrence consumer (cooc.h) -> each document's windows added to the
 * table in input order -> pairs scored and sorted -> reporter. Memory: the table (a slot per
 * pair seen together) and one document's windows at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/cmd.h"
#include "tifa/cooc.h"
#include "tifa/corpus.h"
#include "tifa/report_cooc.h"
#include "tifa/xalloc.h"

static const char cooc_usage[] =
    "usage: tifa cooc [OPTIONS] INPUT...\n"
    "Pairs of lexicon terms that stand in the same sentence, paragraph or document: how many\n"
    "windows hold both (joint), each term (A, B), PMI and log-likelihood G2, sorted by G2.\n"
    "Counts are windows, not occurrences: a sentence with a term twice counts once. The dot\n"
    "format is a Graphviz graph of the 50 strongest pairs seen together more often than\n"
    "chance (PMI > 0): tifa cooc -f dot DIR | dot -Tsvg > cooc.svg\n\n"
    "Output:\n"
    "  --window W            sentence (default), paragraph or document\n"
    "  --min-count N         pairs seen together in at least N windows (default 2)\n"
    "  -f, --format FMT      table (default), json, tsv, csv or dot\n";

enum { OPT_FORMAT = 1, OPT_WINDOW, OPT_MIN_COUNT };

struct cooc_run {
    struct cooc_table table;
    struct walk_result *walk;
    struct cmd_progress cp;
};

static void on_doc(size_t index, const struct corpus_doc *doc, void *result,
                   const struct tifa_err *err, void *arg)
{
    struct cooc_run *run = arg;
    struct cooc_doc *d = result;
    if (err) {
        cmd_doc_failed(&run->cp, index, err, run->walk);
        cooc_doc_free(d);
        return;
    }
    cmd_warn_invalid_at(&run->cp, doc->path, doc->encoding, doc->invalid, doc->first_invalid_off);
    if (d)
        cooc_table_add(&run->table, d);
    cooc_doc_free(d);
}

int cmd_cooc(int argc, char **argv)
{
    static const struct optparse_spec cooc_opts_spec[] = {
        {OPT_FORMAT, 'f', "format", 1},
        {OPT_WINDOW, 0, "window", 1},
        {OPT_MIN_COUNT, 0, "min-count", 1},
        {0, 0, NULL, 0},
    };
    const struct optparse_spec *const tables[] = {cooc_opts_spec, common_lexicon_opts,
                                                  common_input_opts, common_output_opts, NULL};
    struct common_opts co;
    struct optparse p;
    enum report_format fmt = FMT_TABLE;
    struct cooc_opts o = {COOC_SENTENCE, NULL, NULL};
    struct cmd_cut cut = {0, 2};
    int c, status;

    common_opts_init(&co);
    optparse_init(&p, "cooc", argc, argv, tables);
    while ((c = optparse_next(&p)) != OPTPARSE_END) {
        switch (c) {
        case OPT_FORMAT:
            if (cmd_parse_format(p.value, &report_cooc_formats, &fmt))
                goto usage;
            break;
        case OPT_WINDOW:
            if (cooc_window_parse(p.value, &o.window)) {
                optparse_bad_value(&p, "sentence, paragraph or document");
                goto usage;
            }
            break;
        case OPT_MIN_COUNT:
            if (cmd_parse_cut(&p, 0, &cut))
                goto usage;
            break;
        case OPTPARSE_HELP:
            printf("%s\n%s", cooc_usage, common_opts_help);
            common_opts_release(&co);
            return cmd_finish_output(EXIT_OK);
        case OPTPARSE_VERSION: common_opts_release(&co); return cmd_version();
        default:
            if (common_opts_handle(&co, c, &p) == 1)
                break;
            goto usage;
        }
    }
    if (!p.nargs && !co.files_from) {
        fprintf(stderr, "tifa: cooc needs at least one input (a file, a folder or -)\n");
        goto usage;
    }

    struct cmd_setup s;
    if ((status = cmd_setup(&s, &co, SETUP_AUTOMATON | SETUP_INPUTS, p.argv + 1, p.nargs)) != 0) {
        cmd_setup_release(&s);
        common_opts_release(&co);
        return status;
    }
    struct walk_result *w = &s.walk;
    struct cooc_run run;
    memset(&run, 0, sizeof(run));
    run.walk = w;
    cooc_table_init(&run.table, &s.lx);
    o.lx = &s.lx;
    o.resolver = s.resolver;
    struct sink sink;
    cooc_sink(&sink, &o);
    struct corpus_opts copts = {.encoding = co.encoding,
                                .threads = co.threads,
                                .raw = co.raw,
                                .script = co.script,
                                .opencc_config = co.opencc_config};
    cmd_progress_start(&run.cp, &co, 0, &copts);
    corpus_run(&w->files, &s.lx, s.ac, &copts, &sink, on_doc, &run);
    cmd_progress_end(&run.cp);
    walk_sort_notes(w);
    cmd_note_skips(w, co.quiet);

    struct cooc_row *rows;
    size_t n = cooc_rows(&run.table, cut.min_count, &rows);
    struct report_cooc_info info = {
        &s.lx,         o.window,    run.table.documents, run.table.nwindows,
        cut.min_count, &w->skipped, &w->errors};
    cmd_begin_csv(co.bom, fmt);
    report_cooc(stdout, fmt, &info, rows, n);
    status = w->errors.n || w->unread_named ? EXIT_PARTIAL : EXIT_OK;
    free(rows);
    cooc_table_release(&run.table);
    cmd_setup_release(&s);
    common_opts_release(&co);
    return cmd_finish_output(status);
usage:
    optparse_usage_error(&p);
    common_opts_release(&co);
    return EXIT_USAGE;
}
