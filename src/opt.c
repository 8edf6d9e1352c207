/*
 * opt: the options shared by the counting commands, and the set-up they drive.
 *
 * How it works: each command hands optparse its own table of options followed by
 * common_lexicon_opts and (count, diff, trend) common_input_opts; the ids it does not know it
 * offers to common_opts_handle(). Then cmd_setup() does, in this order and before the command
 * writes anything, everything that can fail for a reason the user must fix: --encoding (one
 * iconv_open), the lexicons, the automaton, the inputs (--files-from). A failure is a usage
 * error: message printed, EXIT_USAGE, and stdout still empty in every format. The helpers
 * print in the command voice ("tifa: ..."), which is why they live in the CLI layer and not in
 * the modules they call.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tifa/cmd.h"
#include "tifa/source.h"
#include "tifa/corpus.h"
#include "tifa/matcher.h"
#include "tifa/script.h"
#include "tifa/settings.h"
#include "tifa/encoding.h"
#include "tifa/report_json.h"
#include "tifa/glob.h"
#include "tifa/outfile.h"
#include "tifa/xalloc.h"

enum {
    OPT_LEXICON = COMMON_OPT_BASE,
    OPT_NO_BUILTIN,
    OPT_CATEGORY,
    OPT_OVERLAPPING,
    OPT_ENCODING,
    OPT_THREADS,
    OPT_HIDDEN,
    OPT_BINARY,
    OPT_GLOB,
    OPT_FILES_FROM,
    OPT_NUL,
    OPT_QUIET,
    OPT_RAW,
    OPT_BOM,
    OPT_META,
    OPT_WHERE,
    OPT_SCRIPT,
    OPT_OPENCC_CONFIG,
    OPT_OUTPUT
};

const struct optparse_spec common_lexicon_opts[] = {
    {OPT_LEXICON, 0, "lexicon", 1},
    {OPT_NO_BUILTIN, 0, "no-builtin", 0},
    {OPT_CATEGORY, 0, "category", 1},
    {0, 0, NULL, 0},
};

const struct optparse_spec common_input_opts[] = {
    {OPT_OVERLAPPING, 0, "overlapping", 0}, {OPT_ENCODING, 0, "encoding", 1},
    {OPT_THREADS, 'j', "threads", 1},       {OPT_HIDDEN, 0, "hidden", 0},
    {OPT_BINARY, 0, "binary", 0},           {OPT_GLOB, 0, "glob", 1},
    {OPT_FILES_FROM, 0, "files-from", 1},   {OPT_NUL, '0', "null", 0},
    {OPT_QUIET, 'q', "quiet", 0},           {OPT_RAW, 0, "raw", 0},
    {OPT_BOM, 0, "bom", 0},                 {OPT_META, 0, "meta", 1},
    {OPT_WHERE, 0, "where", 1},             {OPT_SCRIPT, 0, "script", 1},
    {OPT_OPENCC_CONFIG, 0, "opencc-config", 1}, {0, 0, NULL, 0},
};

const struct optparse_spec common_output_opts[] = {
    {OPT_OUTPUT, 'o', "output", 1},
    {0, 0, NULL, 0},
};

const char common_opts_help[] =
    "Inputs:\n"
    "  FILE|DIR|-            files, folders (recursive, sorted by path), - for standard input\n"
    "  --files-from FILE     read input paths from FILE (- = stdin), one per line\n"
    "  -0, --null            --files-from paths are NUL-separated (find -print0)\n"
    "  --glob PATTERN        choose files in folders (repeatable; !PATTERN excludes)\n"
    "  --hidden              also walk hidden files and folders\n"
    "  --binary              also read files in folders that look binary (NUL in first 8 KiB)\n"
    "  --raw                 read PDF, Office, archive and image files as text bytes too\n"
    "                        (without it they are skipped, recognised by their first bytes)\n"
    "  --encoding NAME       read every input as NAME (any iconv name) instead of detecting\n"
    "  --script MODE         auto (default: fold a document to simplified when its start is\n"
    "                        traditional), traditional (always fold), simplified or keep\n"
    "                        (never fold; keep also leaves --lexicon files as written)\n"
    "  --opencc-config NAME  OpenCC configuration of the fold: t2s (default), tw2s, hk2s or\n"
    "                        a path\n"
    "Metadata:\n"
    "  --meta FILE           fields of each document from a CSV or TSV table whose `path` or\n"
    "                        `file` column names it (repeatable)\n"
    "  --where FIELD=VALUE   only documents whose field is VALUE (repeatable: all must hold);\n"
    "  --where FIELD~REGEX   or whose field matches the pcre2 REGEX\n"
    "Lexicon and matching:\n"
    "  --lexicon FILE        add a lexicon (list, TSV, CSV or JSON; repeatable)\n"
    "  --no-builtin          leave out the built-in lexicon\n"
    "  --category NAME       count only formulas of this category (repeatable)\n"
    "  --overlapping         report every match, not leftmost-longest ones\n"
    "  -j, --threads N       worker threads, 0 to 1024 (default 0: one per core)\n"
"Output:\n"
    "  -o, --output FILE     write the report to FILE, replaced only once it is complete\n"
    "  --bom                 start CSV output with a UTF-8 byte-order mark (for Excel)\n"
    "Messages:\n"
    "  -q, --quiet           no progress line and no warnings; errors are still printed\n"
    "                        (the progress line shows on a terminal after one second)\n";

void common_opts_init(struct common_opts *o)
{
    memset(o, 0, sizeof(*o));
}

void common_opts_release(struct common_opts *o)
{
    free(o->lexicons);
    free(o->categories);
    free(o->globs);
    free(o->metas);
    free(o->wheres);
    memset(o, 0, sizeof(*o));
}

/* --glob PATTERN: braces that do not pair up or expand too far are refused here, as a bad
 * value, before anything is walked. */
static int add_glob(struct common_opts *o, const char *arg)
{
    struct tifa_err e;
    tifa_err_init(&e);
    if (glob_check(arg, &e)) {
        fprintf(stderr, "tifa: %s\n", e.msg);
        return -1;
    }
    ALLOC_GROW(o->globs, o->walk.nglobs + 1, o->globs_alloc);
    o->globs[o->walk.nglobs++] = arg;
    o->walk.globs = o->globs;
    return 1;
}

int common_opts_handle(struct common_opts *o, int id, const struct optparse *p)
{
    const char *arg = p->value;
    uint64_t v;
    switch (id) {
    case OPT_LEXICON:
        ALLOC_GROW(o->lexicons, o->nlexicons + 1, o->lexicons_alloc);
        o->lexicons[o->nlexicons++] = arg;
        return 1;
    case OPT_NO_BUILTIN: o->no_builtin = 1; return 1;
    case OPT_CATEGORY:
        ALLOC_GROW(o->categories, o->ncategories + 1, o->categories_alloc);
        o->categories[o->ncategories++] = arg;
        return 1;
    case OPT_OVERLAPPING: o->overlapping = 1; return 1;
    case OPT_ENCODING: o->encoding = arg; return 1;
    case OPT_THREADS:
        if (optparse_number(p, 0, 1024, &v))
            return -1;
        o->threads = (unsigned)v;
        return 1;
    case OPT_HIDDEN: o->walk.hidden = 1; return 1;
    case OPT_BINARY: o->walk.binary = 1; return 1;
    case OPT_GLOB: return add_glob(o, arg);
    case OPT_FILES_FROM: o->files_from = arg; return 1;
    case OPT_NUL: o->nul_sep = 1; return 1;
    case OPT_QUIET: o->quiet = 1; return 1;
    case OPT_RAW: o->raw = 1; return 1;
    case OPT_BOM: o->bom = 1; return 1;
    case OPT_SCRIPT:
        if ((o->script = script_mode_parse(arg)) < 0) {
            optparse_bad_value(p, "auto, simplified, traditional or keep");
            return -1;
        }
        return 1;
    case OPT_OPENCC_CONFIG: o->opencc_config = arg; return 1;
    case OPT_META:
        ALLOC_GROW(o->metas, o->nmetas + 1, o->metas_alloc);
        o->metas[o->nmetas++] = arg;
        return 1;
    case OPT_WHERE:
        ALLOC_GROW(o->wheres, o->nwheres + 1, o->wheres_alloc);
        o->wheres[o->nwheres++] = arg;
        return 1;
    case OPT_OUTPUT: o->output = arg; return 1;
    default: return 0;
    }
}

/* lexicon_rewrite_fn: @s folded to simplified, or NULL when the fold leaves it as it is. */
static char *fold_pattern(const char *s, void *arg)
{
    struct script_text t;
    struct tifa_err e;
    tifa_err_init(&e);
    if (script_fold_text(arg, s, strlen(s), &t, &e))
        return NULL; /* kept as written: the text it must match may be written so too */
    char *r = t.folded ? xstrdup(t.text) : NULL;
    script_text_free(&t);
    return r;
}

int cmd_fold_terms(const struct common_opts *o, char **v, size_t n, char ***owned, size_t *nowned)
{
    struct script_fold *f;
    struct tifa_err e;
    char msg[1024];
    *owned = NULL;
    *nowned = 0;
    if (o->script == SCRIPT_KEEP || !n)
        return 0;
    tifa_err_init(&e);
    if (script_fold_open(&f, o->opencc_config, &e)) {
        fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
        return EXIT_USAGE;
    }
    *owned = xcalloc(n, sizeof(**owned));
    for (size_t i = 0; i < n; i++) {
        char *r = fold_pattern(v[i], f);
        if (r)
            v[i] = (*owned)[(*nowned)++] = r;
    }
    script_fold_close(f);
    return 0;
}

/* Loads the lexicons (built-in unless --no-builtin, then each --lexicon) into @lx (initialized)
 * and restricts them to --category. Prints "tifa: FILE:LINE: reason" and returns EXIT_USAGE on
 * failure. */
static int load_lexicon(const struct common_opts *o, struct lexicon *lx)
{
    struct tifa_err e;
    char msg[2048];
    tifa_err_init(&e);
    lx->decode = encoding_to_utf8; /* UTF-16 and GB18030 lexicons are decoded as inputs are */
    if (!o->no_builtin && lexicon_add_builtin(lx, &e))
        goto fail;
    if (o->no_builtin && !o->nlexicons) {
        fprintf(stderr, "tifa: --no-builtin needs at least one --lexicon FILE\n");
        return EXIT_USAGE;
    }
    size_t user_from = lx->nentries;
    for (size_t i = 0; i < o->nlexicons; i++)
        if (lexicon_load_file(lx, o->lexicons[i], LEX_AUTO, &e))
            goto fail;
    if (o->ncategories && !lexicon_keep_categories(lx, o->categories, o->ncategories)) {
        fprintf(stderr, "tifa: no lexicon entry has category '%s'\n", o->categories[0]);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < o->nextra_terms; i++)
        if (lexicon_add_term(lx, o->extra_terms[i], CMD_TERMS_ORIGIN, &e))
            goto fail;
    /* the text is matched folded to simplified: so are the user's terms (the built-in lexicon
     * is simplified already), unless --script keep */
    if (o->script != SCRIPT_KEEP && lx->nentries > user_from) {
        struct script_fold *f;
        if (script_fold_open(&f, o->opencc_config, &e))
            goto fail;
        lexicon_rewrite_patterns(lx, user_from, fold_pattern, f);
        script_fold_close(f);
    }
    if (lexicon_finish(lx, &e))
        goto fail;
    /* user entries that redefine built-in ones: what they took (kwic's -e terms say nothing:
     * a term named to look it up is not a redefinition the user wrote) */
    size_t said = 0, more = 0;
    for (size_t i = 0; i < lx->notes.n && !o->quiet; i++) {
        if (!strcmp(lx->notes.v[i].path, CMD_TERMS_ORIGIN))
            continue;
        if (said++ < 5)
            fprintf(stderr, "tifa: warning: %s:%s\n", lx->notes.v[i].path, lx->notes.v[i].text);
        else
            more++;
    }
    if (more)
        fprintf(stderr, "tifa: warning: %zu more entries redefine built-in ones (-q silences these)\n",
                more);
    if (!lx->npatterns) {
        fprintf(stderr, "tifa: the lexicon is empty\n");
        return EXIT_USAGE;
    }
    return 0;
fail:
    fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
    return EXIT_USAGE;
}

double cmd_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int cmd_setup(struct cmd_setup *s, const struct common_opts *o, unsigned need, char **args,
              size_t nargs)
{
    struct tifa_err e;
    char msg[2048];
    int status;
    double t;

    memset(s, 0, sizeof(*s));
    lexicon_init(&s->lx);
    walk_result_init(&s->walk);
    tifa_err_init(&e);
    if (o->encoding) {
        struct decoder d;
        if (decoder_init(&d, o->encoding, 0, &e))
            goto fail;
        decoder_release(&d);
    }
    if (o->opencc_config) { /* a bad name is a usage error now, not a failure per document */
        struct script_fold *f;
        if (script_fold_open(&f, o->opencc_config, &e))
            goto fail;
        script_fold_close(f);
    }
    if (need & (SETUP_LEXICON | SETUP_AUTOMATON)) {
        t = cmd_now_ms();
        if ((status = load_lexicon(o, &s->lx)) != 0)
            return status;
        s->lexicon_ms = cmd_now_ms() - t;
    }
    if (need & SETUP_AUTOMATON) {
        t = cmd_now_ms();
        if (matcher_build(&s->lx, o->overlapping ? AC_OVERLAPPING : AC_LEFTMOST_LONGEST, &s->ac,
                          &e))
            goto fail;
        /* --overlapping reports every occurrence as it stands: nothing is read into it */
        if (!o->overlapping && resolver_wanted(&s->lx, &o->reading) &&
            resolver_build(&s->resolver, &s->lx, s->ac, &o->reading, &e))
            goto fail;
        s->automaton_ms = cmd_now_ms() - t;
    }
    if (need & SETUP_INPUTS) {
        t = cmd_now_ms();
        if ((status = cmd_walk_inputs(o, args, nargs, &s->walk)) != 0)
            return status;
        s->walk_ms = cmd_now_ms() - t;
        for (size_t i = 0; i < s->walk.errors.n; i++)
            fprintf(stderr, "tifa: '%s': %s\n", s->walk.errors.v[i].path, s->walk.errors.v[i].text);
        if ((status = cmd_meta_apply(&s->meta, o, &s->walk)) != 0)
            return status;
    }
    return cmd_output_open(o->output);
fail:
    fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
    return EXIT_USAGE;
}

void cmd_setup_release(struct cmd_setup *s)
{
    cmd_meta_release(&s->meta);
    walk_result_release(&s->walk);
    resolver_free(s->resolver);
    ac_free(s->ac);
    lexicon_release(&s->lx);
    memset(s, 0, sizeof(*s));
}

int cmd_walk_inputs(const struct common_opts *o, char **args, size_t nargs, struct walk_result *w)
{
    struct tifa_err e;
    char msg[2048];
    struct walk_opts wo = o->walk;
    tifa_err_init(&e);
    walk_result_init(w);
    cmd_skip_output(&wo, o->output);
    for (size_t i = 0; i < nargs; i++)
        walk_add_arg(w, args[i], &wo);
    if (o->files_from && walk_add_files_from(w, o->files_from, o->nul_sep, &wo, &e)) {
        fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
        return EXIT_USAGE;
    }
    walk_finish(w);
    cmd_note_output_skips(w);
    /* a glob that chose nothing is most often a typo: said, the exit status unchanged */
    for (size_t i = 0; w->folders_walked && i < w->nglob_hits && !o->quiet; i++)
        if (!w->glob_hits[i] && o->globs[i][0] != '!')
            fprintf(stderr, "tifa: warning: --glob '%s' matched no file in the folders given\n",
                    o->globs[i]);
    return 0;
}

void cmd_skip_output(struct walk_opts *wo, const char *output)
{
    struct stat st;
    wo->skip_output = 0;
    if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
        wo->output_dev[wo->skip_output] = (unsigned long long)st.st_dev;
        wo->output_ino[wo->skip_output++] = (unsigned long long)st.st_ino;
    }
    /* the report -o replaces: reading the last run's report as a text would count it */
    if (output && stat(output, &st) == 0 && S_ISREG(st.st_mode)) {
        wo->output_dev[wo->skip_output] = (unsigned long long)st.st_dev;
        wo->output_ino[wo->skip_output++] = (unsigned long long)st.st_ino;
    }
}

void cmd_note_skips(const struct walk_result *w, int quiet)
{
    /* the reasons, in order of first appearance, are few (binary, not a regular file, pdf ...):
     * one pass over the notes with a short table, so a million skipped files cost a million
     * steps; "output" has a line of its own */
    struct reason_count {
        const char *reason;
        size_t n;
    } *by = NULL;
    size_t nby = 0, by_alloc = 0, total = 0;
    struct sbuf line = SBUF_INIT;
    if (quiet)
        return;
    for (size_t i = 0; i < w->skipped.n; i++) {
        const char *reason = w->skipped.v[i].text;
        size_t k = 0;
        if (!strcmp(reason, "output"))
            continue;
        while (k < nby && strcmp(by[k].reason, reason))
            k++;
        if (k == nby) {
            ALLOC_GROW(by, nby + 1, by_alloc);
            by[nby].reason = reason;
            by[nby++].n = 0;
        }
        by[k].n++;
    }
    for (size_t k = 0; k < nby; k++) {
        sbuf_addf(&line, "%s%zu%s as %s", total ? ", " : "", by[k].n,
                  total ? "" : (by[k].n == 1 ? " file skipped" : " files skipped"), by[k].reason);
        total += by[k].n;
    }
    if (total)
        fprintf(stderr, "tifa: %s; --format json lists them\n", line.buf);
    sbuf_release(&line);
    free(by);
}

void cmd_note_output_skips(const struct walk_result *w)
{
    for (size_t i = 0; i < w->skipped.n; i++)
        if (!strcmp(w->skipped.v[i].text, "output"))
            fprintf(stderr, "tifa: '%s': skipped: it is the output being written\n",
                    w->skipped.v[i].path);
}

static void on_progress(const struct corpus_progress *p, void *arg)
{
    struct cmd_progress *cp = arg;
    progress_update(&cp->line, p->files_done, p->files_total, p->bytes_read, cmd_now_ms());
}

void cmd_progress_start(struct cmd_progress *cp, const struct common_opts *co, int streams_stdout,
                        struct corpus_opts *copts)
{
    double delay_ms;
    /* a terminal that cannot move its cursor (TERM=dumb: Emacs shells, some CI logs) gets none */
    const char *term = getenv("TERM");
    int tty = isatty(STDERR_FILENO) && !(term && !strcmp(term, "dumb"));
    int show = progress_decide(tty, streams_stdout && isatty(STDOUT_FILENO), co->quiet,
                               getenv("TIFA_PROGRESS_DELAY_MS"), &delay_ms);
    struct winsize ws;
    unsigned cols = show && !ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) ? ws.ws_col : 0;
    progress_init(&cp->line, stderr, show, delay_ms, cols, cmd_now_ms());
    cp->quiet = co->quiet;
    if (show) {
        copts->progress = on_progress;
        copts->progress_arg = cp;
    }
}

void cmd_progress_message(struct cmd_progress *cp, const char *fmt, ...)
{
    va_list ap;
    if (cp)
        progress_clear(&cp->line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cp)
        progress_restore(&cp->line, cmd_now_ms());
}

void cmd_progress_end(struct cmd_progress *cp)
{
    progress_end(&cp->line);
}

void cmd_doc_failed(struct cmd_progress *cp, size_t index, const struct tifa_err *err,
                    struct walk_result *w)
{
    struct pathlist_cursor c;
    pathlist_cursor_init(&c, &w->files);
    unsigned flags = 0;
    const char *path = index < w->nfiles ? pathlist_get(&c, index, &flags) : err->path;
    if (err->code == TIFA_ESKIP) {
        note_list_add(&w->skipped, path, err->msg);
        if ((flags & WALK_EXPLICIT) && strcmp(err->msg, "binary")) {
            /* named, and not read for what it is (a PDF, ...): said, and the exit status */
            cmd_progress_message(cp, "tifa: '%s': %s\n", path, source_not_text_advice(err->msg));
            w->unread_named++;
        }
    } else {
        cmd_progress_message(cp, "tifa: '%s': %s\n", path, err->msg);
        note_list_add(&w->errors, path, err->msg);
    }
    pathlist_cursor_release(&c);
}

void cmd_warn_invalid_at(struct cmd_progress *cp, const char *path, const char *encoding,
                         uint64_t invalid, long long first_off)
{
    if (!invalid || (cp && cp->quiet))
        return;
    cmd_progress_message(
        cp, "tifa: warning: '%s': %llu invalid %s sequence%s replaced by U+FFFD, the first at byte "
            "%lld\n",
        path, (unsigned long long)invalid, encoding, invalid == 1 ? "" : "s", first_off);
}

void cmd_warn_invalid(struct cmd_progress *cp, const struct agg_doc *doc)
{
    cmd_warn_invalid_at(cp, doc->path, doc->encoding, doc->invalid, doc->first_invalid_off);
}

int cmd_parse_color(const struct optparse *p, int *when)
{
    static const char *const names[] = {"never", "always", "auto"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(p->value, names[i])) {
            *when = i == 2 ? -1 : i;
            return 0;
        }
    optparse_bad_value(p, "auto, always or never");
    return -1;
}

int cmd_color_enabled(int when)
{
    if (when >= 0)
        return when;
    const char *no = getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && !(no && *no);
}

int cmd_parse_format(const char *s, const struct report_formats *allowed, enum report_format *out)
{
    const struct report_format_def *def = report_format_find(allowed, s);
    if (def) {
        *out = def->format;
        return 0;
    }
    struct sbuf names = SBUF_INIT;
    report_format_list(allowed, &names);
    fprintf(stderr, "tifa: unknown format '%s' (%s)\n", s, names.buf);
    sbuf_release(&names);
    return -1;
}

int cmd_parse_sort(const char *s, enum agg_sort *out)
{
    if (!strcmp(s, "count"))
        *out = AGG_SORT_COUNT;
    else if (!strcmp(s, "term"))
        *out = AGG_SORT_TERM;
    else if (!strcmp(s, "docs"))
        *out = AGG_SORT_DOCS;
    else {
        fprintf(stderr, "tifa: unknown sort key '%s' (count, term, docs)\n", s);
        return -1;
    }
    return 0;
}

int cmd_output_open(const char *output)
{
    struct tifa_err e;
    if (!output || outfile_is_open())
        return 0;
    tifa_err_init(&e);
    if (outfile_open(output, &e)) {
        fprintf(stderr, "tifa: cannot write '%s': %s\n", e.path, e.msg);
        return EXIT_USAGE;
    }
    return 0;
}

int cmd_finish_output(int status)
{
    char ebuf[128];
    if (outfile_is_open()) {
        struct tifa_err e;
        tifa_err_init(&e);
        if (status == EXIT_USAGE || status == EXIT_SYSTEM) {
            outfile_discard();
            return status;
        }
        if (outfile_commit(&e)) {
            fprintf(stderr, "tifa: error writing '%s': %s\n", e.path, e.msg);
            return EXIT_SYSTEM;
        }
        return status;
    }
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "tifa: error writing output: %s\n",
                tifa_strerror(errno ? errno : EIO, ebuf, sizeof(ebuf)));
        return EXIT_SYSTEM;
    }
    return status;
}

#ifndef TIFA_VERSION
#define TIFA_VERSION "0.1.0"
#endif

const char *cmd_version_string(void)
{
    return TIFA_VERSION;
}

json_t *cmd_run_settings(const struct cmd_setup *s, const struct common_opts *o,
                         const struct rule_set *patterns, int by_sense)
{
    /* "tw2s.json" and "tw2s" open the same configuration: recorded alike */
    const char *config = o->opencc_config ? o->opencc_config : "t2s";
    size_t n = strlen(config);
    char *name = !strchr(config, '/') && n > 5 && !strcmp(config + n - 5, ".json")
                     ? xstrndup(config, n - 5)
                     : xstrdup(config);
    struct settings_run run = {
        .script = script_mode_name(o->script),
        .opencc_config = name,
        .version = TIFA_VERSION,
        .lx = &s->lx,
        .patterns = patterns,
        .categories = o->categories,
        .ncategories = o->ncategories,
        .overlapping = o->overlapping,
        .expansions = o->reading.expansions,
        .by_sense = by_sense,
        .partial = o->reading.partial,
    };
    json_t *settings = settings_of_run(&run);
    free(name);
    return settings;
}

int cmd_check_settings(json_t *const *settings, const char *const *names, size_t n, int force,
                       int quiet, json_t **out)
{
    size_t first = 0;
    while (first < n && !settings[first])
        first++;
    *out = NULL;
    if (first == n)
        return 0;
    json_t *forced = json_array();
    struct sbuf diffs = SBUF_INIT, line = SBUF_INIT;
    int refused = 0;
    for (size_t i = 0; i < n; i++) {
        if (!settings[i]) {
            if (!quiet)
                fprintf(stderr,
                        "tifa: warning: '%s' records no settings (written by an older tifa): "
                        "whether it was counted like '%s' cannot be checked\n",
                        names[i], names[first]);
            sbuf_reset(&line);
            sbuf_addf(&line, "%s: no settings recorded", names[i]);
            json_array_append_new(forced, json_string(line.buf));
            continue;
        }
        json_t *had = json_object_get(settings[i], SETTINGS_FORCED); /* a forced merge's */
        if (json_is_array(had))
            json_array_extend(forced, had);
        if (i == first)
            continue;
        sbuf_reset(&diffs);
        if (!settings_differences(settings[first], settings[i], &diffs))
            continue;
        fprintf(stderr, "tifa: %s'%s' and '%s' were counted differently: %s\n",
                force ? "warning: " : "", names[first], names[i], diffs.buf);
        sbuf_reset(&line);
        sbuf_addf(&line, "%s: %s", names[i], diffs.buf);
        json_array_append_new(forced, json_string(line.buf));
        refused |= !force;
    }
    if (refused) {
        fprintf(stderr, "tifa: comparing or summing them would mix counts made differently: "
                        "count them again alike, or --force\n");
        json_decref(forced);
    } else {
        *out = json_deep_copy(settings[first]);
        json_object_del(*out, SETTINGS_FORCED);
        if (json_array_size(forced))
            json_object_set_new(*out, SETTINGS_FORCED, forced);
        else
            json_decref(forced);
    }
    sbuf_release(&diffs);
    sbuf_release(&line);
    return refused ? EXIT_USAGE : 0;
}

void cmd_begin_csv(int bom, enum report_format fmt)
{
    if (bom && (fmt == FMT_CSV || fmt == FMT_MATRIX_CSV))
        fputs("\xEF\xBB\xBF", stdout);
}

int cmd_version(void)
{
    printf("tifa %s\n", TIFA_VERSION);
    return cmd_finish_output(EXIT_OK);
}

int cmd_parse_cut(const struct optparse *p, int is_top, struct cmd_cut *cut)
{
    uint64_t v;
    if (optparse_number(p, 0, is_top ? SIZE_MAX : UINT64_MAX, &v))
        return -1;
    if (is_top)
        cut->top = (size_t)v;
    else
        cut->min_count = v;
    return 0;
}

/* At most this many lines of one kind of metadata warning; the rest are counted. */
#define META_WARN_LINES 5

int cmd_meta_apply(struct cmd_meta *cm, const struct common_opts *o, struct walk_result *w)
{
    struct tifa_err e;
    char msg[2048];
    struct meta_where *where = NULL;
    int status = 0;

    memset(cm, 0, sizeof(*cm));
    meta_init(&cm->m);
    note_list_init(&cm->no_row);
    if (!o->nmetas) {
        if (o->nwheres) {
            fprintf(stderr, "tifa: --where needs a metadata table (--meta FILE)\n");
            return EXIT_USAGE;
        }
        return 0;
    }
    cm->active = 1;
    cm->wheres = o->wheres;
    cm->nwheres = o->nwheres;
    tifa_err_init(&e);
    for (size_t i = 0; i < o->nmetas; i++)
        if (meta_load_file(&cm->m, o->metas[i], &e))
            goto fail;
    where = xcalloc(o->nwheres + 1, sizeof(*where));
    for (size_t i = 0; i < o->nwheres; i++)
        if (meta_where_parse(&cm->m, o->wheres[i], &where[i], &e))
            goto fail;

    /* match every file, keep those the --where tests pass; the selection is a new list */
    size_t nt = cm->m.ntables, nf = cm->m.nfields, n = w->nfiles, kept = 0;
    size_t *rows = xmalloc(st_mult(st_mult(n + 1, nt), sizeof(*rows)));
    struct pathlist sel;
    struct pathlist_cursor c;
    pathlist_init(&sel);
    pathlist_cursor_init(&c, &w->files);
    cm->values = xcalloc(st_mult(n + 1, nf + 1), sizeof(*cm->values));
    for (size_t i = 0; i < n; i++) {
        unsigned flags;
        const char *path = pathlist_get(&c, i, &flags);
        size_t *r = rows + kept * nt;
        const char **v = cm->values + kept * nf;
        size_t named = meta_match(&cm->m, path, r);
        int ok = 1;
        for (size_t f = 0; f < nf; f++)
            v[f] = meta_value(&cm->m, r, f);
        for (size_t k = 0; k < o->nwheres && ok; k++)
            ok = meta_where_test(&where[k], v[where[k].field]);
        if (!named)
            note_list_add(&cm->no_row, path, "");
        if (!ok) {
            cm->excluded++;
            continue;
        }
        pathlist_add(&sel, path, flags);
        kept++;
    }
    pathlist_cursor_release(&c);
    pathlist_release(&w->files);
    w->files = sel;
    w->nfiles = kept;
    cm->rows = rows;
    cm->nfiles = kept;

    if (!o->quiet) {
        size_t shown = 0, more = 0;
        for (size_t t = 0; t < nt; t++)
            for (size_t r = 0; r < cm->m.tables[t].nrows; r++) {
                const struct meta_row *row = &cm->m.tables[t].rows[r];
                if (row->matched)
                    continue;
                if (shown++ < META_WARN_LINES)
                    fprintf(stderr, "tifa: %s:%ld: '%s' names no input file\n",
                            cm->m.tables[t].path, row->line, row->key);
                else
                    more++;
            }
        if (more)
            fprintf(stderr, "tifa: %zu more rows name no input file; --format json lists them\n",
                    more);
        for (size_t i = 0; i < cm->no_row.n; i++)
            if (i < META_WARN_LINES)
                fprintf(stderr, "tifa: '%s': no row in the metadata tables\n",
                        cm->no_row.v[i].path);
        if (cm->no_row.n > META_WARN_LINES)
            fprintf(stderr,
                    "tifa: %zu more files have no row in the metadata tables; --format json "
                    "lists them\n",
                    cm->no_row.n - META_WARN_LINES);
    }
    goto done;
fail:
    fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
    status = EXIT_USAGE;
done:
    for (size_t i = 0; where && i < o->nwheres; i++)
        meta_where_release(&where[i]);
    free(where);
    return status;
}

void cmd_meta_release(struct cmd_meta *cm)
{
    meta_release(&cm->m);
    free(cm->values);
    free(cm->rows);
    note_list_release(&cm->no_row);
    memset(cm, 0, sizeof(*cm));
}

const char *const *cmd_meta_doc(const struct cmd_meta *cm, size_t index)
{
    return cm->active && index < cm->nfiles ? cm->values + index * cm->m.nfields : NULL;
}

json_t *cmd_meta_json(const struct cmd_meta *cm)
{
    if (!cm->active)
        return NULL;
    json_t *o = json_object(), *tables = json_array(), *fields = json_array(),
           *where = json_array(), *unused = json_array(), *no_row = json_array();
    for (size_t t = 0; t < cm->m.ntables; t++) {
        const struct meta_table *tb = &cm->m.tables[t];
        json_array_append_new(tables, report_json_string(tb->path));
        for (size_t r = 0; r < tb->nrows; r++) {
            if (tb->rows[r].matched)
                continue;
            json_t *u = json_object();
            json_object_set_new(u, "table", report_json_string(tb->path));
            json_object_set_new(u, "line", json_integer(tb->rows[r].line));
            json_object_set_new(u, "key", json_string(tb->rows[r].key));
            json_array_append_new(unused, u);
        }
    }
    for (size_t f = 0; f < cm->m.nfields; f++)
        json_array_append_new(fields, json_string(cm->m.fields[f]));
    for (size_t i = 0; i < cm->nwheres; i++)
        json_array_append_new(where, report_json_string(cm->wheres[i]));
    for (size_t i = 0; i < cm->no_row.n; i++)
        json_array_append_new(no_row, report_json_string(cm->no_row.v[i].path));
    json_object_set_new(o, "tables", tables);
    json_object_set_new(o, "fields", fields);
    json_object_set_new(o, "where", where);
    json_object_set_new(o, "documents", json_integer((json_int_t)cm->nfiles));
    json_object_set_new(o, "excluded", json_integer((json_int_t)cm->excluded));
    json_object_set_new(o, "documents_without_row", no_row);
    json_object_set_new(o, "rows_without_document", unused);
    return o;
}

int cmd_meta_field(const struct cmd_meta *cm, const char *name, const char *option,
                   size_t *field)
{
    if (!cm->active) {
        fprintf(stderr, "tifa: %s needs a metadata table (--meta FILE)\n", option);
        return EXIT_USAGE;
    }
    *field = meta_field(&cm->m, name);
    if (*field == META_NO_FIELD) {
        fprintf(stderr, "tifa: no metadata table has a field '%s' (%s)\n", name, option);
        return EXIT_USAGE;
    }
    return 0;
}
