/*
 * cmd_kwic: `tifa kwic [OPTIONS] [TERM] INPUT...` — every match of the chosen terms in its
 * context (a concordance).
 *
 * Wiring: options -> lexicon (to resolve the terms; unknown ones become literal entries of a
 * second load) -> automaton of the whole lexicon, as count builds it, so kwic shows exactly
 * the matches count counts -> walk -> corpus_run with the concordance consumer (kwic.h),
 * restricted to the chosen labels -> records in input and text order -> reporter. Records
 * stream out as documents are delivered, unless --sort or --sample needs them all (then the
 * sorted records, or the sample, are held: their text and place, about 100 bytes plus the
 * context each). A document's records are its sink result, held until the document (all its
 * chunks) is done: memory grows with the matches of the largest document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tifa/cmd.h"
#include "tifa/corpus.h"
#include "tifa/kwic.h"
#include "tifa/report_kwic.h"
#include "tifa/xalloc.h"

static const char kwic_usage[] =
    "usage: tifa kwic [OPTIONS] [TERM] INPUT...\n"
    "Shows every match of a term in its context (a concordance). The first argument is the\n"
    "TERM unless -e, --all, --category or --lexicon is given; then every argument is an input.\n"
    "A term in the lexicon (its term or an alias) shows the matches count counts for it; any\n"
    "other term is searched as a literal.\n\n"
    "Terms:\n"
    "  -e, --term TERM       a term to show (repeatable)\n"
    "  --all                 every term of the lexicon\n"
    "Output:\n"
    "  -f, --format FMT      table (default), json, jsonl, tsv or csv\n"
    "  -w, --width N         context on each side, in display columns (default 30; a Han\n"
    "                        character is two)\n"
    "  --sentence            the whole sentence around the match instead of a window\n"
    "  --blocked             also the occurrences a not_within string of the lexicon hid\n"
    "                        (json: \"blocked\": true and the \"blocker\"; table: [blocked])\n"
    "  --expansions          also the sentences that spell an entry out (as count --expansions\n"
    "                        counts them): the whole sentence, its components highlighted\n"
    "                        (json: \"kind\": \"expansion\", \"entry\", \"components\")\n"
    "  --sort KEY            path (default: input and text order), left, right (contexts\n"
    "                        read outward from the match) or term\n"
    "  --max N               at most N matches\n"
    "  --sample N            a uniform random sample of N matches\n"
    "  --seed S              the seed of --sample (default 1)\n"
    "  --color WHEN          table colours: auto (default: stdout is a terminal and\n"
    "                        NO_COLOR is unset), always or never\n";

enum {
    OPT_TERM = 1,
    OPT_ALL,
    OPT_FORMAT,
    OPT_WIDTH,
    OPT_SENTENCE,
    OPT_SORT,
    OPT_MAX,
    OPT_SAMPLE,
    OPT_SEED,
    OPT_COLOR,
    OPT_BLOCKED,
    OPT_EXPANSIONS
};

/* Per document, what the reporter needs after delivery when records are held. */
struct kwic_docinfo {
    unsigned bom_len;
    int utf8;
    long long first_invalid_off; /* file offset of the first replaced sequence, -1 when none */
};

struct kwic_run {
    struct report_kwic rep;
    struct pathlist_cursor paths; /* the calling thread's reader of the walk's files */
    struct kwic_docinfo *docs;
    struct walk_result *walk;
    struct cmd_progress cp;
    int hold;                /* --sort or --sample: records are held until the end */
    uint64_t max;            /* 0 = no limit */
    int sampling;
    struct kwic_sample sample;
    struct kwic_list held;
    uint64_t found, documents;
};

static void write_record(struct kwic_run *run, const struct kwic_rec *r)
{
    const struct kwic_docinfo *di = &run->docs[r->doc];
    /* decoded offsets are file offsets (less the BOM) in UTF-8 up to the first replaced
     * sequence; after it a U+FFFD (3 bytes) stands for 1 to 3 bytes of the file */
    uint64_t in_file = r->off + di->bom_len;
    int decoded = !di->utf8 ||
                  (di->first_invalid_off >= 0 && in_file >= (uint64_t)di->first_invalid_off);
    struct kwic_where w = {pathlist_get(&run->paths, r->doc, NULL), decoded ? r->off : in_file,
                           decoded};
    report_kwic_record(&run->rep, r, &w);
}

static void on_doc(size_t index, const struct corpus_doc *doc, void *result,
                   const struct tifa_err *err, void *arg)
{
    struct kwic_run *run = arg;
    struct kwic_list *l = result;
    if (err) {
        cmd_doc_failed(&run->cp, index, err, run->walk);
        kwic_list_free(l);
        return;
    }
    cmd_warn_invalid_at(&run->cp, doc->path, doc->encoding, doc->invalid, doc->first_invalid_off);
    run->documents++;
    run->docs[index].bom_len = doc->bom_len;
    /* the text of a .docx or web page is extracted: its offsets are in that text, not the file */
    run->docs[index].utf8 =
        !strcmp(doc->encoding, "UTF-8") && (!doc->format || !strcmp(doc->format, "text"));
    run->docs[index].first_invalid_off = doc->invalid ? doc->first_invalid_off : -1;
    for (size_t i = 0; l && i < l->n; i++) {
        struct kwic_rec *r = &l->v[i];
        r->seq = run->found++;
        if (run->sampling) {
            kwic_sample_offer(&run->sample, r);
        } else if (run->hold) {
            ALLOC_GROW(run->held.v, run->held.n + 1, run->held.alloc);
            run->held.v[run->held.n++] = *r;
        } else {
            if (!run->max || run->rep.nrecords < run->max)
                write_record(run, r);
            kwic_rec_release(r);
        }
    }
    if (l)
        l->n = 0; /* the texts were taken */
    kwic_list_free(l);
}

/* Resolves the terms in @lx: marks their labels in @shown; unknown ones go to @unknown (when
 * not NULL). Returns 0, or EXIT_USAGE after printing why. */
static int resolve_terms(const struct lexicon *lx, char **terms, size_t nterms,
                         unsigned char *shown, const char ***unknown, size_t *nunknown)
{
    struct tifa_err e;
    char msg[1024];
    size_t alloc = 0;
    for (size_t i = 0; i < nterms; i++) {
        uint32_t id;
        tifa_err_init(&e);
        int rc = lexicon_find(lx, terms[i], &id, &e);
        if (rc < 0) {
            fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
            return EXIT_USAGE;
        }
        if (rc == 1 && shown)
            shown[id] = 1;
        if (rc == 0 && unknown) {
            ALLOC_GROW(*unknown, *nunknown + 1, alloc);
            (*unknown)[(*nunknown)++] = terms[i];
        }
    }
    return 0;
}

int cmd_kwic(int argc, char **argv)
{
    static const struct optparse_spec kwic_opts[] = {
        {OPT_TERM, 'e', "term", 1},     {OPT_ALL, 0, "all", 0},
        {OPT_FORMAT, 'f', "format", 1}, {OPT_WIDTH, 'w', "width", 1},
        {OPT_SENTENCE, 0, "sentence", 0}, {OPT_SORT, 0, "sort", 1},
        {OPT_MAX, 0, "max", 1},         {OPT_SAMPLE, 0, "sample", 1},
        {OPT_SEED, 0, "seed", 1},       {OPT_COLOR, 0, "color", 1},
        {OPT_BLOCKED, 0, "blocked", 0},
        {OPT_EXPANSIONS, 0, "expansions", 0},
        {0, 0, NULL, 0},
    };
    const struct optparse_spec *const tables[] = {kwic_opts, common_lexicon_opts,
                                                  common_input_opts, common_output_opts, NULL};
    struct common_opts co;
    struct optparse p;
    enum report_format fmt = FMT_TABLE;
    enum kwic_sort sort = KWIC_SORT_PATH;
    int all = 0, sentence = 0, blocked = 0, color = -1, sorted = 0, c, status;
    uint64_t width = 30, max = 0, sample = 0, seed = 1;
    char **terms = NULL, **folded = NULL;
    size_t nterms = 0, terms_alloc = 0, nfolded = 0;
    const char **literals = NULL;
    size_t nliterals = 0;

    common_opts_init(&co);
    optparse_init(&p, "kwic", argc, argv, tables);
    while ((c = optparse_next(&p)) != OPTPARSE_END) {
        switch (c) {
        case OPT_TERM:
            ALLOC_GROW(terms, nterms + 1, terms_alloc);
            terms[nterms++] = (char *)p.value;
            break;
        case OPT_ALL: all = 1; break;
        case OPT_FORMAT:
            if (cmd_parse_format(p.value, &report_kwic_formats, &fmt))
                goto usage;
            break;
        case OPT_WIDTH:
            if (optparse_number(&p, 0, 1000, &width))
                goto usage;
            break;
        case OPT_SENTENCE: sentence = 1; break;
        case OPT_BLOCKED: blocked = 1; break;
        case OPT_EXPANSIONS:
            co.reading.expansions = 1;
            co.reading.spans = 1;
            break;
        case OPT_SORT:
            if (kwic_sort_parse(p.value, &sort)) {
                optparse_bad_value(&p, "path, left, right or term");
                goto usage;
            }
            sorted = 1;
            break;
        case OPT_MAX:
            if (optparse_number(&p, 1, UINT64_MAX, &max))
                goto usage;
            break;
        case OPT_SAMPLE:
            if (optparse_number(&p, 1, SIZE_MAX / 2, &sample))
                goto usage;
            break;
        case OPT_SEED:
            if (optparse_number(&p, 0, UINT64_MAX, &seed))
                goto usage;
            break;
        case OPT_COLOR:
            if (cmd_parse_color(&p, &color))
                goto usage;
            break;
        case OPTPARSE_HELP:
            printf("%s\n%s", kwic_usage, common_opts_help);
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
    char **args = p.argv + 1;
    size_t nargs = p.nargs;
    int args_are_inputs = nterms || all || co.ncategories || co.nlexicons;
    if (!args_are_inputs) {
        if (!nargs) {
            fprintf(stderr, "tifa: kwic needs a term (or -e TERM, --all, --category or "
                            "--lexicon)\n");
            goto usage;
        }
        ALLOC_GROW(terms, nterms + 1, terms_alloc);
        terms[nterms++] = args[0];
        args++;
        nargs--;
    }
    if (!nargs && !co.files_from) {
        fprintf(stderr, "tifa: kwic needs at least one input (a file, a folder or -)\n");
        goto usage;
    }

    /* terms in traditional script are looked for as the folded text has them */
    if ((status = cmd_fold_terms(&co, terms, nterms, &folded, &nfolded)) != 0)
        goto out;
    /* First the lexicon alone, to tell lexicon terms from literals; then everything, with the
     * literals added as entries of their own. The first says nothing the second will say. */
    struct cmd_setup s;
    struct common_opts lexicon_only = co;
    lexicon_only.quiet = 1;
    if ((status = cmd_setup(&s, &lexicon_only, SETUP_LEXICON, NULL, 0)) == 0)
        status = resolve_terms(&s.lx, terms, nterms, NULL, &literals, &nliterals);
    cmd_setup_release(&s);
    if (status)
        goto out;
    co.extra_terms = literals;
    co.nextra_terms = nliterals;
    if ((status = cmd_setup(&s, &co, SETUP_AUTOMATON | SETUP_INPUTS, args, nargs)) != 0) {
        cmd_setup_release(&s);
        goto out;
    }
    if (!nterms && nargs && access(args[0], F_OK) != 0)
        fprintf(stderr, "tifa: hint: with --all, --category or --lexicon every argument is an "
                        "input; give a term with -e TERM\n");
    unsigned char *shown = NULL, *literal = xcalloc(s.lx.nlabels + 1, 1);
    for (size_t i = 0; i < s.lx.nentries; i++)
        if (!s.lx.entries[i].dropped && !strcmp(s.lx.entries[i].origin, CMD_TERMS_ORIGIN))
            literal[s.lx.entries[i].label_id] = 1;
    if (nterms) {
        shown = xcalloc(s.lx.nlabels + 1, 1);
        resolve_terms(&s.lx, terms, nterms, shown, NULL, NULL);
    }

    struct walk_result *w = &s.walk;
    /* with senses read, an asked term's abbreviations are scanned too: a cue may resolve them
     * to it (records not of an asked term are dropped after the reading) */
    unsigned char *scanned = shown;
    if (shown && s.resolver) {
        scanned = xmalloc(s.lx.nlabels + 1);
        memcpy(scanned, shown, s.lx.nlabels + 1);
        for (size_t i = 0; i < s.lx.nentries; i++) {
            const struct lex_entry *en = &s.lx.entries[i];
            for (size_t k = 0; !en->dropped && shown[en->label_id] && k < en->nabbreviations; k++) {
                uint32_t lid;
                struct tifa_err le;
                tifa_err_init(&le);
                if (lexicon_find(&s.lx, en->abbreviations[k], &lid, &le) == 1)
                    scanned[lid] = 1;
            }
        }
    }
    struct kwic_opts ko = {(unsigned)width, sentence, scanned, blocked, s.resolver, shown,
                           co.reading.expansions};
    struct sink sink;
    kwic_sink(&sink, &ko);
    struct kwic_run run;
    memset(&run, 0, sizeof(run));
    pathlist_cursor_init(&run.paths, &w->files);
    run.docs = xcalloc(w->nfiles + 1, sizeof(*run.docs));
    run.walk = w;
    run.max = max;
    run.sampling = sample != 0;
    run.hold = sorted || run.sampling;
    if (run.sampling)
        kwic_sample_init(&run.sample, (size_t)sample, seed);
    report_kwic_init(&run.rep, stdout, fmt, &s.lx);
    run.rep.width = (unsigned)width;
    run.rep.sentence = sentence;
    run.rep.expansions = co.reading.expansions;
    run.rep.color = fmt == FMT_TABLE && cmd_color_enabled(color);
    run.rep.literal = literal;
    run.rep.shown = shown;
    /* streaming: align for the widest path with line numbers up to 99999 and columns up to
     * 999; a longer prefix moves later lines right */
    for (size_t i = 0; i < w->nfiles; i++) {
        size_t pc = report_kwic_prefix_cols(pathlist_get(&run.paths, i, NULL), 99999, 999);
        if (pc > run.rep.prefix_cols)
            run.rep.prefix_cols = pc;
    }
    struct corpus_opts copts = {
        .encoding = co.encoding, .threads = co.threads, .raw = co.raw,
        .script = co.script, .opencc_config = co.opencc_config};
    cmd_begin_csv(co.bom, fmt);
    report_kwic_begin(&run.rep);
    cmd_progress_start(&run.cp, &co, !run.hold, &copts);
    corpus_run(&w->files, &s.lx, s.ac, &copts, &sink, on_doc, &run);
    cmd_progress_end(&run.cp);
    walk_sort_notes(w);
    cmd_note_skips(w, co.quiet);
    if (run.hold) {
        if (run.sampling)
            kwic_sample_take(&run.sample, &run.held);
        if (sorted)
            kwic_list_sort(&run.held, sort, &s.lx);
        size_t n = max && max < run.held.n ? (size_t)max : run.held.n;
        run.rep.prefix_cols = 0; /* all known: align exactly */
        for (size_t i = 0; i < n; i++) {
            const struct kwic_rec *r = &run.held.v[i];
            size_t pc =
                report_kwic_prefix_cols(pathlist_get(&run.paths, r->doc, NULL), r->line, r->column);
            if (pc > run.rep.prefix_cols)
                run.rep.prefix_cols = pc;
        }
        for (size_t i = 0; i < n; i++)
            write_record(&run, &run.held.v[i]);
        kwic_list_clear(&run.held);
        free(run.held.v);
    }
    report_kwic_end(&run.rep, run.documents, run.found, &w->skipped, &w->errors);
    status = w->errors.n || w->unread_named ? EXIT_PARTIAL : EXIT_OK;
    free(run.docs);
    pathlist_cursor_release(&run.paths);
    if (scanned != shown)
        free(scanned);
    free(shown);
    free(literal);
    cmd_setup_release(&s);
out:
    for (size_t i = 0; i < nfolded; i++)
        free(folded[i]);
    free(folded);
    free(terms);
    free(literals);
    common_opts_release(&co);
    return cmd_finish_output(status);
usage:
    optparse_usage_error(&p);
    free(terms);
    free(literals);
    common_opts_release(&co);
    return EXIT_USAGE;
}
