/*
 * cmd_discover: `tifa discover [OPTIONS] INPUT...` — candidate formulas no lexicon lists yet,
 * ranked, with evidence; with --reference, what is new or rising against other texts.
 *
 * Wiring: options -> numbering rules (built in, or --rules FILE) -> lexicon and automaton as
 * count builds them (to mark known phrases; the driver scans with it too) -> walk of the inputs
 * and of the --reference paths (all checked before a byte is written) -> corpus_run with the
 * extraction consumer (discover.h), documents delivered in input order into the candidate
 * table, their n-gram text appended for the miner -> the n-gram miner (ngram.h) over the whole
 * target -> disc_table_finish (maximality, 的, --min-docs, stop lists, known) -> with
 * --reference, the candidates become a lexicon of their own, counted in the reference through
 * the same driver with an overlapping automaton, and compared (G², log ratio) -> reporter.
 *
 * Memory: the candidate table, and with --kind ngram the whole target's n-gram text and the
 * miner's arrays (ngram.h states the bound per input byte).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/cmd.h"
#include "tifa/corpus.h"
#include "tifa/discover.h"
#include "tifa/matcher.h"
#include "tifa/ngram.h"
#include "tifa/report_discover.h"
#include "tifa/trend.h"
#include "tifa/xalloc.h"

static const char discover_usage[] =
    "usage: tifa discover [OPTIONS] INPUT...\n"
    "Finds candidate formulas that the lexicon does not list: numbered shapes (N个X, NXNY\n"
    "chains, plan tokens ...), quoted phrases and recurring n-grams, ranked by the documents\n"
    "that use them. With --reference, what is new or rising against other texts.\n\n"
    "Candidates:\n"
    "  --kind KIND           numbered, quoted or ngram (repeatable, or a comma-separated\n"
    "                        list; default: all three)\n"
    "  --min-docs N          used in at least N documents (default 2)\n"
    "  --known               keep phrases the lexicon knows (terms, aliases, expansion\n"
    "                        components); they are marked \"known\"\n"
    "  --rules FILE          numbering rules to use instead of the built-in ones (the form of\n"
    "                        data/numbering.tsv)\n"
    "  --reference PATH      an earlier or other body of text (repeatable): rank by G² of the\n"
    "                        rate in the inputs against it; keep what is more frequent in the\n"
    "                        inputs, marking what the reference never has as new\n"
    "Output:\n"
    "  -f, --format FMT      table (default), json, jsonl, tsv, csv or lexicon\n"
    "                        (lexicon: a TSV that count --lexicon reads as it is)\n"
    "  --top N               at most N candidates (default: 100 in the table, all otherwise;\n"
    "                        0 = all)\n";

enum { OPT_KIND = 1, OPT_MIN_DOCS, OPT_KNOWN, OPT_RULES, OPT_REFERENCE, OPT_FORMAT, OPT_TOP };

struct discover_run {
    struct walk_result *walk;
    struct cmd_progress cp;
    struct disc_table table;
    unsigned kinds;
    struct trend_keyer keyer;
    struct sbuf key;
    char **periods;       /* per input index: its period, or NULL */
    struct ngram_text ng; /* with DISC_NGRAM */
    size_t *ng_doc;       /* per n-gram document: its input index */
    size_t ng_alloc;
    uint64_t documents, han;
};

static void on_doc(size_t index, const struct corpus_doc *doc, void *result,
                   const struct tifa_err *err, void *arg)
{
    struct discover_run *run = arg;
    struct disc_doc *d = result;
    if (!err)
        err = disc_doc_error(d);
    if (err) {
        cmd_doc_failed(&run->cp, index, err, run->walk);
        disc_doc_free(d);
        return;
    }
    cmd_warn_invalid_at(&run->cp, doc->path, doc->encoding, doc->invalid, doc->first_invalid_off);
    run->documents++;
    run->han += doc->han;
    if (trend_key(&run->keyer, doc->path, doc->head, doc->head_len, &run->key))
        run->periods[index] = xstrdup(run->key.buf);
    disc_table_add_doc(&run->table, index, d, run->periods[index]);
    if (run->kinds & DISC_NGRAM) {
        ALLOC_GROW(run->ng_doc, run->ng.ndocs + 1, run->ng_alloc);
        run->ng_doc[run->ng.ndocs] = index;
        ngram_text_add_doc(&run->ng, d->ngram.buf ? d->ngram.buf : "", d->ngram.len);
    }
    disc_doc_free(d);
}

/* The segment of the n-gram text around [@off, @off + @len): at most DISC_EXAMPLE_CHARS
 * characters each side, within the segment. */
static void ngram_example(const struct ngram_text *t, uint64_t off, uint32_t len, size_t *a,
                          size_t *b)
{
    const char *s = t->text.buf;
    size_t lo = (size_t)off, hi = (size_t)off + len;
    for (int n = 0; lo > 0 && s[lo - 1] != '\n' && n < DISC_EXAMPLE_CHARS; n++)
        for (lo--; lo > 0 && ((unsigned char)s[lo] & 0xC0) == 0x80; lo--)
            ;
    for (int n = 0; hi < t->text.len && s[hi] != '\n' && n < DISC_EXAMPLE_CHARS; n++)
        for (hi++; hi < t->text.len && ((unsigned char)s[hi] & 0xC0) == 0x80; hi++)
            ;
    *a = lo;
    *b = hi;
}

/* Mines the n-grams of the whole target into the table. Returns 0, or EXIT_SYSTEM after
 * printing why. */
static int mine_ngrams(struct discover_run *run, uint32_t min_docs)
{
    struct ngram_opts o = {4, 16, min_docs ? min_docs : 1, DISC_NGRAM_TRIM, DISC_CUT_SHARE};
    struct ngram_cand *c = NULL;
    size_t n = 0;
    struct ngram_stats st;
    struct tifa_err e;
    char msg[1024];
    tifa_err_init(&e);
    if (ngram_mine(&run->ng, &o, &c, &n, &st, &e)) {
        fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
        return EXIT_SYSTEM;
    }
    if (getenv("TIFA_DEBUG_TIMING"))
        fprintf(stderr,
                "tifa: ngram: %llu bytes of text, peak %llu bytes (%.2f per byte); sort %.0f ms, "
                "lcp %.0f ms, scan %.0f ms, absorb %.0f ms, %zu candidates\n",
                (unsigned long long)st.text_bytes, (unsigned long long)st.peak_bytes,
                st.text_bytes ? (double)st.peak_bytes / (double)st.text_bytes : 0.0, st.sort_ms,
                st.lcp_ms, st.scan_ms, st.absorb_ms, n);
    for (size_t i = 0; i < n; i++) {
        size_t first[DISC_FIRST_DOCS];
        const char *period = NULL;
        for (uint32_t k = 0; k < c[i].nfirst && k < DISC_FIRST_DOCS; k++) {
            first[k] = run->ng_doc[c[i].first_docs[k]];
            const char *p = run->periods[first[k]];
            if (p && (!period || strverscmp(p, period) < 0))
                period = p;
        }
        size_t a, b;
        ngram_example(&run->ng, c[i].off, c[i].len, &a, &b);
        disc_table_add_ngram(&run->table, run->ng.text.buf + c[i].off, c[i].len, c[i].count,
                             c[i].docs, first, c[i].nfirst, a, (uint32_t)(b - a), period);
    }
    free(c);
    return 0;
}

struct ref_run {
    struct cmd_progress *cp;
    struct walk_result *walk;
    uint64_t *counts; /* per label of the candidates' lexicon */
    uint64_t documents, han;
};

static void on_ref_doc(size_t index, const struct agg_doc *doc, const struct tifa_err *err,
                       void *arg)
{
    (void)index;
    struct ref_run *r = arg;
    if (err) {
        cmd_doc_failed(r->cp, index, err, r->walk);
        return;
    }
    cmd_warn_invalid(r->cp, doc);
    r->documents++;
    r->han += doc->han;
    for (size_t i = 0; i < doc->ncounts; i++)
        r->counts[doc->counts[i].label_id] += doc->counts[i].count;
}

/* Counts every candidate in the reference (an overlapping automaton of the candidates, through
 * the driver) and compares. Returns 0, or EXIT_USAGE/EXIT_SYSTEM after printing why. */
static int compare_reference(struct discover_run *run, struct cmd_setup *ref,
                             const struct cmd_setup *target, const struct common_opts *co,
                             struct discover_summary *sum)
{
    struct lexicon lx;
    struct ac *ac = NULL;
    struct tifa_err e;
    char msg[1024];
    int status = 0;
    tifa_err_init(&e);
    lexicon_init(&lx);
    uint64_t *per_cand = xcalloc(run->table.n + 1, sizeof(*per_cand));
    for (size_t i = 0; i < run->table.n && !status; i++)
        if (lexicon_add_term(&lx, run->table.v[i].phrase, "discover", &e))
            status = EXIT_SYSTEM;
    if (!status && run->table.n &&
        (lexicon_finish(&lx, &e) || matcher_build(&lx, AC_OVERLAPPING, &ac, &e)))
        status = EXIT_SYSTEM;
    if (status) {
        fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
        goto out;
    }
    size_t nlabels = ac ? lx.nlabels : target->lx.nlabels;
    struct ref_run rr = {&run->cp, &ref->walk, xcalloc(nlabels + 1, sizeof(uint64_t)), 0, 0};
    /* with no candidate, the target's automaton: the reference's size is still reported */
    struct corpus_opts copts = {.encoding = co->encoding,
                                .threads = co->threads,
                                .raw = co->raw,
                                .script = co->script,
                                .opencc_config = co->opencc_config};
    cmd_progress_start(&run->cp, co, 0, &copts);
    corpus_count(&ref->walk.files, ac ? &lx : &target->lx, ac ? ac : target->ac, &copts, on_ref_doc,
                 &rr);
    cmd_progress_end(&run->cp);
    for (size_t i = 0; ac && i < run->table.n; i++) {
        uint32_t id;
        if (lexicon_find(&lx, run->table.v[i].phrase, &id, &e) == 1)
            per_cand[i] = rr.counts[id];
    }
    walk_sort_notes(&ref->walk);
    disc_table_compare(&run->table, per_cand, run->han, rr.han);
    sum->has_reference = 1;
    sum->reference_documents = rr.documents;
    sum->reference_han = rr.han;
    free(rr.counts);
out:
    free(per_cand);
    ac_free(ac);
    lexicon_release(&lx);
    return status;
}

/* Adds @from's notes to @to (the reference's skipped and unreadable inputs join the target's). */
static void notes_append(struct note_list *to, const struct note_list *from)
{
    for (size_t i = 0; i < from->n; i++)
        note_list_add(to, from->v[i].path, from->v[i].text);
}

int cmd_discover(int argc, char **argv)
{
    static const struct optparse_spec discover_opts[] = {
        {OPT_KIND, 0, "kind", 1},
        {OPT_MIN_DOCS, 0, "min-docs", 1},
        {OPT_KNOWN, 0, "known", 0},
        {OPT_RULES, 0, "rules", 1},
        {OPT_REFERENCE, 0, "reference", 1},
        {OPT_FORMAT, 'f', "format", 1},
        {OPT_TOP, 0, "top", 1},
        {0, 0, NULL, 0},
    };
    const struct optparse_spec *const tables[] = {discover_opts, common_lexicon_opts,
                                                  common_input_opts, common_output_opts, NULL};
    struct common_opts co;
    struct optparse p;
    enum report_format fmt = FMT_TABLE;
    unsigned kinds = 0;
    uint64_t min_docs = 2, top = 0;
    int known = 0, top_given = 0, c, status = EXIT_OK;
    const char *rules_path = NULL;
    char **refs = NULL;
    size_t nrefs = 0, refs_alloc = 0;
    struct disc_rules rules;
    struct tifa_err e;
    char msg[2048];

    disc_rules_init(&rules);
    common_opts_init(&co);
    optparse_init(&p, "discover", argc, argv, tables);
    while ((c = optparse_next(&p)) != OPTPARSE_END) {
        switch (c) {
        case OPT_KIND:
            if (disc_kind_parse(p.value, &kinds)) {
                optparse_bad_value(&p, "numbered, quoted or ngram");
                goto usage;
            }
            break;
        case OPT_MIN_DOCS:
            if (optparse_number(&p, 1, UINT32_MAX, &min_docs))
                goto usage;
            break;
        case OPT_KNOWN: known = 1; break;
        case OPT_RULES: rules_path = p.value; break;
        case OPT_REFERENCE:
            ALLOC_GROW(refs, nrefs + 1, refs_alloc);
            refs[nrefs++] = (char *)p.value;
            break;
        case OPT_FORMAT:
            if (cmd_parse_format(p.value, &report_discover_formats, &fmt))
                goto usage;
            break;
        case OPT_TOP:
            if (optparse_number(&p, 0, SIZE_MAX, &top))
                goto usage;
            top_given = 1;
            break;
        case OPTPARSE_HELP:
            printf("%s\n%s", discover_usage, common_opts_help);
            status = cmd_finish_output(EXIT_OK);
            goto done;
        case OPTPARSE_VERSION: status = cmd_version(); goto done;
        default:
            if (common_opts_handle(&co, c, &p) == 1)
                break;
            goto usage;
        }
    }
    if (!kinds)
        kinds = DISC_NUMBERED | DISC_QUOTED | DISC_NGRAM;
    if (!top_given && fmt == FMT_TABLE)
        top = 100;
    char **args = p.argv + 1;
    size_t nargs = p.nargs;
    if (!nargs && !co.files_from) {
        fprintf(stderr, "tifa: discover needs at least one input (a file, a folder or -)\n");
        goto usage;
    }
    tifa_err_init(&e);
    if (rules_path ? disc_rules_load_file(&rules, rules_path, &e)
                   : disc_rules_load_builtin(&rules, &e)) {
        fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
        status = EXIT_USAGE;
        goto done;
    }

    struct cmd_setup s, ref;
    memset(&ref, 0, sizeof(ref));
    if ((status = cmd_setup(&s, &co, SETUP_AUTOMATON | SETUP_INPUTS, args, nargs)) != 0) {
        cmd_setup_release(&s);
        goto done;
    }
    if (nrefs) {
        struct common_opts rco = co;
        rco.files_from = NULL; /* --files-from names the inputs, not the reference */
        if ((status = cmd_setup(&ref, &rco, SETUP_INPUTS, refs, nrefs)) != 0) {
            cmd_setup_release(&ref);
            cmd_setup_release(&s);
            goto done;
        }
    }

    struct walk_result *w = &s.walk;
    struct discover_run run;
    memset(&run, 0, sizeof(run));
    run.walk = w;
    run.kinds = kinds;
    run.periods = xcalloc(w->nfiles + 1, sizeof(*run.periods));
    disc_table_init(&run.table);
    ngram_text_init(&run.ng);
    sbuf_init(&run.key);
    trend_keyer_init(&run.keyer, NULL, &e);
    struct disc_sink_arg sa = {&rules, kinds};
    struct sink sink;
    disc_sink(&sink, &sa);
    struct corpus_opts copts = {.encoding = co.encoding,
                                .threads = co.threads,
                                .raw = co.raw,
                                .script = co.script,
                                .opencc_config = co.opencc_config,
                                .head_len = TREND_HEAD_LEN};
    cmd_progress_start(&run.cp, &co, 0, &copts);
    corpus_run(&w->files, &s.lx, s.ac, &copts, &sink, on_doc, &run);
    cmd_progress_end(&run.cp);
    if (kinds & DISC_NGRAM)
        status = mine_ngrams(&run, (uint32_t)min_docs);
    run.table.ngram_text = run.ng.text.buf; /* n-gram examples point into it */
    struct disc_filter filt = {(uint32_t)min_docs, known, &s.lx, &rules};
    disc_table_finish(&run.table, &filt);

    struct discover_summary sum;
    struct pathlist_cursor paths;
    memset(&sum, 0, sizeof(sum));
    if (!status && nrefs)
        status = compare_reference(&run, &ref, &s, &co, &sum);
    if (nrefs) {
        notes_append(&w->skipped, &ref.walk.skipped);
        notes_append(&w->errors, &ref.walk.errors);
    }
    walk_sort_notes(w);
    cmd_note_skips(w, co.quiet);
    if (!status) {
        sum.kinds = kinds;
        sum.min_docs = (uint32_t)min_docs;
        sum.documents = run.documents;
        sum.han = run.han;
        sum.top = (size_t)top;
        pathlist_cursor_init(&paths, &w->files);
        sum.paths = &paths;
        sum.rules = &rules;
        sum.skipped = &w->skipped;
        sum.errors = &w->errors;
        cmd_begin_csv(co.bom, fmt);
        report_discover(stdout, fmt, &run.table, &sum);
        pathlist_cursor_release(&paths);
        status = w->errors.n || w->unread_named ? EXIT_PARTIAL : EXIT_OK;
    }
    ngram_text_release(&run.ng);
    for (size_t i = 0; i < w->nfiles; i++)
        free(run.periods[i]);
    free(run.periods);
    free(run.ng_doc);
    sbuf_release(&run.key);
    trend_keyer_release(&run.keyer);
    disc_table_release(&run.table);
    if (nrefs)
        cmd_setup_release(&ref);
    cmd_setup_release(&s);
done:
    free(refs);
    disc_rules_release(&rules);
    common_opts_release(&co);
    return cmd_finish_output(status);
usage:
    optparse_usage_error(&p);
    free(refs);
    disc_rules_release(&rules);
    common_opts_release(&co);
    return EXIT_USAGE;
}
