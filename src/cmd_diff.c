/*
 * cmd_diff: `tifa diff [OPTIONS] A B` — which formulas rose or fell between two sides.
 *
 * Wiring: each side is a saved report (savedreport_sniff: a file named *.json or starting with
 * '{'), whose totals are taken as they are, or texts (a file, a folder, "-"), counted with the
 * shared lexicon options through walk -> corpus_count -> agg totals. Both sides' term counts and
 * Han sizes go into a struct diff, whose rows (stats.h), cut to --min-count and --top, report_diff
 * prints; --exit-code looks at every term, cut or not. The lexicon and automaton are built
 * (cmd_setup, before either side is read) only when some side is text.
 *
 * Settings (settings.h): a saved report's are compared with the other side's (a report's, or
 * this run's for texts) before anything is counted; a difference is refused (status 2) unless
 * --force, and the JSON output records the settings and what --force went past.
 *
 * Exit status: 3 when an input could not be read (with no output when a whole side is missing:
 * there is nothing to compare), else with --exit-code 1 when some term's count differs, else 0.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tifa/cmd.h"
#include "tifa/corpus.h"
#include "tifa/diff.h"
#include "tifa/report_diff.h"
#include "tifa/savedreport.h"
#include "tifa/source.h"
#include "tifa/stats.h"
#include "tifa/xalloc.h"

static const char diff_usage[] =
    "usage: tifa diff [OPTIONS] A B\n"
    "       tifa diff [OPTIONS] --meta TABLE --a FIELD=VALUE --b FIELD=VALUE INPUT...\n"
    "Compares formula counts between A and B: each a file, a folder (its documents summed), -\n"
    "or a saved report of `tifa count --format json` (name ending in .json or text starting\n"
    "with '{'). Rates are per 10,000 Han characters; + means more frequent in B.\n\n"
    "Output:\n"
    "  -f, --format FMT      table (default), json, tsv or csv\n"
    "  --alpha LEVEL         significance level: 0.05 (default), 0.01, 0.001 or 0.0001\n"
    "  --all                 also list terms whose rate is the same on both sides\n"
    "  --top N               only the N terms that changed most (the first N rows)\n"
    "  --min-count N         only terms counted at least N times in A or in B (a cut of\n"
    "                        the rows: the terms cut were still tested)\n"
    "  --min-freq N          test only terms counted at least N times in A or in B (the\n"
    "                        others are not tested and do not count for --correct)\n"
    "  --correct METHOD      p corrected for the number of terms tested: none (default),\n"
    "                        bonferroni or holm; significance then uses the adjusted p\n"
    "  --exit-code           exit with status 1 when some count differs, 0 when none\n"
    "  --force               compare reports counted with different settings (lexicon,\n"
    "                        --category, --overlapping, ...); the JSON records it\n"
    "  --color WHEN          table colours: auto (default: stdout is a terminal and\n"
    "                        NO_COLOR is unset), always or never\n"
    "Groups of one collection (with --meta):\n"
    "  --a FIELD=VALUE       side A: the documents of the INPUTs whose field is VALUE\n"
    "  --b FIELD=VALUE       side B likewise (each repeatable, all must hold; FIELD~REGEX\n"
    "                        too): tifa diff --meta m.tsv --a speaker=X --b speaker=Y DIR\n";

enum {
    OPT_FORMAT = 1,
    OPT_ALPHA,
    OPT_ALL,
    OPT_EXIT_CODE,
    OPT_COLOR,
    OPT_TOP,
    OPT_MIN_COUNT,
    OPT_FORCE,
    OPT_MIN_FREQ,
    OPT_CORRECT,
    OPT_SIDE_A,
    OPT_SIDE_B
};

struct text_run {
    struct diff *d;
    int side;
    struct agg_total tot;
    const struct lexicon *lx;
    size_t nread, nerrors;
    struct cmd_progress cp;
    struct pathlist_cursor paths; /* the side's files (err->path is cut at 1,023 bytes) */
};

static void on_doc(size_t index, const struct agg_doc *doc, const struct tifa_err *err, void *arg)
{
    struct text_run *run = arg;
    if (err && err->code == TIFA_ESKIP && !strcmp(err->msg, "binary"))
        return; /* a binary file found in a folder: left out, as the walk leaves others out */
    if (err) {
        /* a PDF, an archive ... (source.h): not text, in a folder or named: said, never left
         * out in silence, since the side's counts would be those of the text files alone */
        cmd_progress_message(&run->cp, "tifa: '%s': %s\n", pathlist_get(&run->paths, index, NULL),
                             err->code == TIFA_ESKIP ? source_not_text_advice(err->msg) : err->msg);
        run->nerrors++;
        return;
    }
    cmd_warn_invalid(&run->cp, doc);
    agg_total_add(&run->tot, doc);
    run->nread++;
}

/* Reads side @side's saved report into @r. Returns 0 or EXIT_PARTIAL (message printed). */
static int load_report_side(struct savedreport *r, const char *path)
{
    struct tifa_err e;
    char msg[2048];
    tifa_err_init(&e);
    if (savedreport_load(r, path, &e)) {
        fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
        return EXIT_PARTIAL;
    }
    return 0;
}

/* Fills side @side from the saved report @r. */
static void fill_report_side(struct diff *d, int side, const struct savedreport *r)
{
    d->side[side].kind = "report";
    d->side[side].documents = r->documents;
    d->side[side].han = r->han;
    for (size_t t = 0; t < r->terms.n; t++)
        diff_add(d, side, intern_str(&r->terms, t), r->counts[t]);
}

/* The --a or --b tests of a side. */
struct side_where {
    const char **v;
    size_t n, alloc;
};

/* Counts the texts of side @side: the inputs @args, and with --meta the documents that --where
 * and the side's own tests @sw select (a group). Returns 0, EXIT_PARTIAL (some or all inputs
 * unread; *@empty says whether nothing at all was read) or EXIT_USAGE. */
static int count_text_side(const struct cmd_setup *s, const struct common_opts *co, struct diff *d,
                           int side, char **args, size_t nargs, const struct side_where *sw,
                           int *empty)
{
    struct walk_result w;
    struct cmd_meta cm;
    struct stat st;
    int status;
    *empty = 0;
    memset(&cm, 0, sizeof(cm));
    if ((status = cmd_walk_inputs(co, args, nargs, &w)) != 0) {
        walk_result_release(&w);
        return status;
    }
    /* the side's tests join --where; the second side's metadata warnings would repeat the
     * first's word for word */
    struct common_opts sco = *co;
    const char **wheres = xcalloc(co->nwheres + sw->n + 1, sizeof(*wheres));
    for (size_t i = 0; i < co->nwheres; i++)
        wheres[i] = co->wheres[i];
    for (size_t i = 0; i < sw->n; i++)
        wheres[co->nwheres + i] = sw->v[i];
    sco.wheres = wheres;
    sco.nwheres = co->nwheres + sw->n;
    sco.quiet = co->quiet || (side == 1 && sw->n);
    status = cmd_meta_apply(&cm, &sco, &w);
    free(wheres);
    if (status) {
        cmd_meta_release(&cm);
        walk_result_release(&w);
        return status;
    }
    cmd_meta_release(&cm);
    if (sw->n)
        d->side[side].kind = "group";
    else
        d->side[side].kind =
            strcmp(args[0], "-") && !stat(args[0], &st) && S_ISDIR(st.st_mode) ? "folder" : "file";
    struct text_run run;
    memset(&run, 0, sizeof(run));
    run.d = d;
    run.side = side;
    run.lx = &s->lx;
    pathlist_cursor_init(&run.paths, &w.files);
    agg_total_init(&run.tot, s->lx.nlabels);
    for (size_t i = 0; i < w.errors.n; i++) {
        fprintf(stderr, "tifa: '%s': %s\n", w.errors.v[i].path, w.errors.v[i].text);
        run.nerrors++;
    }
    struct corpus_opts copts = {.encoding = co->encoding,
                                .threads = co->threads,
                                .raw = co->raw,
                                .script = co->script,
                                .opencc_config = co->opencc_config,
                                .resolver = s->resolver};
    cmd_progress_start(&run.cp, co, 0, &copts);
    corpus_count(&w.files, &s->lx, s->ac, &copts, on_doc, &run);
    cmd_progress_end(&run.cp);
    pathlist_cursor_release(&run.paths);
    d->side[side].documents = run.tot.documents;
    d->side[side].han = run.tot.han;
    for (size_t id = 0; id < s->lx.nlabels; id++)
        if (run.tot.counts[id])
            diff_add(d, side, s->lx.labels[id].term, run.tot.counts[id]);
    agg_total_release(&run.tot);
    walk_result_release(&w);
    *empty = run.nerrors && !run.nread;
    return run.nerrors ? EXIT_PARTIAL : 0;
}

static void side_where_release(struct side_where *sw, struct sbuf *names)
{
    for (int side = 0; side < 2; side++) {
        free(sw[side].v);
        sbuf_release(&names[side]);
    }
}

int cmd_diff(int argc, char **argv)
{
    static const struct optparse_spec diff_opts[] = {
        {OPT_FORMAT, 'f', "format", 1},
        {OPT_ALPHA, 0, "alpha", 1},
        {OPT_ALL, 0, "all", 0},
        {OPT_EXIT_CODE, 0, "exit-code", 0},
        {OPT_COLOR, 0, "color", 1},
        {OPT_TOP, 0, "top", 1},
        {OPT_MIN_COUNT, 0, "min-count", 1},
        {OPT_FORCE, 0, "force", 0},
        {OPT_MIN_FREQ, 0, "min-freq", 1},
        {OPT_CORRECT, 0, "correct", 1},
        {OPT_SIDE_A, 0, "a", 1},
        {OPT_SIDE_B, 0, "b", 1},
        {0, 0, NULL, 0},
    };
    const struct optparse_spec *const tables[] = {diff_opts, common_lexicon_opts, common_input_opts,
                                                  common_output_opts, NULL};
    struct common_opts co;
    struct optparse p;
    struct cmd_setup s;
    enum report_format fmt = FMT_TABLE;
    struct diff_test test = {0.05, 0, 0, DIFF_CORRECT_NONE, 0};
    struct cmd_cut cut = {0, 0};
    int exit_code = 0, color = -1, c, status = EXIT_OK, missing = 0, force = 0;
    int is_report[2];
    struct side_where sw[2];
    struct sbuf side_name[2] = {SBUF_INIT, SBUF_INIT};
    char *side_arg[2];

    memset(sw, 0, sizeof(sw));
    common_opts_init(&co);
    optparse_init(&p, "diff", argc, argv, tables);
    while ((c = optparse_next(&p)) != OPTPARSE_END) {
        switch (c) {
        case OPT_FORMAT:
            if (cmd_parse_format(p.value, &report_diff_formats, &fmt))
                goto usage;
            break;
        case OPT_ALPHA:
            if (stats_alpha_parse(p.value, &test.alpha)) {
                optparse_bad_value(&p, "0.05, 0.01, 0.001 or 0.0001");
                goto usage;
            }
            break;
        case OPT_ALL: test.all = 1; break;
        case OPT_MIN_FREQ:
            if (optparse_number(&p, 0, UINT64_MAX, &test.min_freq))
                goto usage;
            break;
        case OPT_CORRECT:
            if (diff_correction_parse(p.value, &test.correction)) {
                optparse_bad_value(&p, "none, bonferroni or holm");
                goto usage;
            }
            break;
        case OPT_SIDE_A:
        case OPT_SIDE_B: {
            struct side_where *x = &sw[c == OPT_SIDE_B];
            ALLOC_GROW(x->v, x->n + 1, x->alloc);
            x->v[x->n++] = p.value;
            break;
        }
        case OPT_EXIT_CODE: exit_code = 1; break;
        case OPT_FORCE: force = 1; break;
        case OPT_COLOR:
            if (cmd_parse_color(&p, &color))
                goto usage;
            break;
        case OPT_TOP:
        case OPT_MIN_COUNT:
            if (cmd_parse_cut(&p, c == OPT_TOP, &cut))
                goto usage;
            break;
        case OPTPARSE_HELP:
            printf("%s\n%s", diff_usage, common_opts_help);
            side_where_release(sw, side_name);
            common_opts_release(&co);
            return cmd_finish_output(EXIT_OK);
        case OPTPARSE_VERSION:
            side_where_release(sw, side_name);
            common_opts_release(&co);
            return cmd_version();
        default:
            if (common_opts_handle(&co, c, &p) == 1)
                break;
            goto usage;
        }
    }
    if (co.files_from) {
        fprintf(stderr, "tifa: diff takes its two sides as arguments, not --files-from\n");
        goto usage;
    }
    int groups = sw[0].n || sw[1].n;
    char **sides = side_arg;
    if (groups) {
        if (!sw[0].n || !sw[1].n) {
            fprintf(stderr, "tifa: --a and --b go together: one selects side A, the other B\n");
            goto usage;
        }
        if (!co.nmetas) {
            fprintf(stderr, "tifa: --a and --b select documents by a metadata field: give the "
                            "table with --meta FILE\n");
            goto usage;
        }
        if (!p.nargs) {
            fprintf(stderr, "tifa: diff --a/--b needs the inputs to select from\n");
            goto usage;
        }
        for (int side = 0; side < 2; side++) {
            for (size_t k = 0; k < sw[side].n; k++)
                sbuf_addf(&side_name[side], "%s%s", k ? " " : "", sw[side].v[k]);
            side_arg[side] = side_name[side].buf;
            is_report[side] = 0;
        }
    } else {
        if (p.nargs != 2) {
            fprintf(stderr, "tifa: diff needs exactly two inputs, A and B\n");
            goto usage;
        }
        side_arg[0] = p.argv[1];
        side_arg[1] = p.argv[2];
        if (!strcmp(sides[0], "-") && !strcmp(sides[1], "-")) {
            fprintf(stderr, "tifa: only one side can be standard input\n");
            goto usage;
        }
        for (int side = 0; side < 2; side++)
            is_report[side] = savedreport_sniff(sides[side]);
    }
    if ((status = cmd_setup(&s, &co, is_report[0] && is_report[1] ? 0 : SETUP_AUTOMATON, NULL,
                            0)) != 0) {
        cmd_setup_release(&s);
        side_where_release(sw, side_name);
        common_opts_release(&co);
        return status;
    }
    color = cmd_color_enabled(color);

    struct diff d;
    struct savedreport rep[2];
    json_t *side_settings[2] = {NULL, NULL}, *settings = NULL;
    int unread[2] = {0, 0};
    diff_init(&d);
    memset(rep, 0, sizeof(rep));
    /* the reports first: settings that differ are refused before anything is counted */
    for (int side = 0; side < 2; side++) {
        if (is_report[side]) {
            unread[side] = load_report_side(&rep[side], sides[side]);
            side_settings[side] = json_incref(rep[side].settings);
        } else {
            side_settings[side] = cmd_run_settings(&s, &co, NULL, 0);
        }
    }
    if (!unread[0] && !unread[1] && (is_report[0] || is_report[1])) {
        int rc = cmd_check_settings(side_settings, (const char *const *)sides, 2, force, co.quiet,
                                    &settings);
        if (rc) {
            status = rc;
            goto done;
        }
    } else if (!is_report[0] && !is_report[1]) {
        settings = json_incref(side_settings[0]);
    }
    d.settings = settings;
    for (int side = 0; side < 2; side++) {
        char *arg = sides[side];
        int rc = 0, empty = 0;
        d.side[side].path = arg;
        if (is_report[side]) {
            rc = unread[side];
            empty = rc != 0;
            if (!rc)
                fill_report_side(&d, side, &rep[side]);
            savedreport_release(&rep[side]);
        } else if (groups) {
            d.side[side].inputs = (const char *const *)(p.argv + 1);
            d.side[side].ninputs = p.nargs;
            d.side[side].where = sw[side].v;
            d.side[side].nwhere = sw[side].n;
            rc = count_text_side(&s, &co, &d, side, p.argv + 1, p.nargs, &sw[side], &empty);
        } else {
            rc = count_text_side(&s, &co, &d, side, &arg, 1, &sw[side], &empty);
        }
        if (rc == EXIT_USAGE) {
            status = EXIT_USAGE;
            goto done;
        }
        if (rc)
            status = rc;
        missing |= empty;
    }
    if (!missing) {
        struct diff_row *rows;
        size_t nrows;
        diff_rows(&d, &test, &rows, &nrows);
        diff_rows_cut(rows, &nrows, cut.min_count, cut.top);
        cmd_begin_csv(co.bom, fmt);
        report_diff(stdout, fmt, &d, rows, nrows, &test, color && fmt == FMT_TABLE);
        free(rows);
        if (status == EXIT_OK && exit_code && diff_counts_differ(&d))
            status = EXIT_DIFFERENT;
    } else {
        fprintf(stderr, "tifa: nothing to compare: a side could not be read\n");
    }
done:
    for (int side = 0; side < 2; side++) {
        savedreport_release(&rep[side]);
        json_decref(side_settings[side]);
    }
    json_decref(settings);
    diff_release(&d);
    cmd_setup_release(&s);
    side_where_release(sw, side_name);
    common_opts_release(&co);
    return cmd_finish_output(status);
usage:
    optparse_usage_error(&p);
    side_where_release(sw, side_name);
    common_opts_release(&co);
    return EXIT_USAGE;
}
