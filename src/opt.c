/*
 * opt: the options shared by the counting commands, and the set-up they drive.
 *
 * How it works: each command builds its getopt_long table from its own options plus
 * common_opts_longopts(); unknown ids are offered to common_opts_handle(). The set-up helpers
 * (lexicon loading, input walking, finishing stdout) print in the command voice, which is why
 * they live in the CLI layer and not in the modules they call.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/cmd.h"
#include "tifa/xalloc.h"

enum {
    OPT_LEXICON = COMMON_OPT_BASE, OPT_NO_BUILTIN, OPT_CATEGORY, OPT_OVERLAPPING, OPT_ENCODING,
    OPT_THREADS, OPT_HIDDEN, OPT_BINARY, OPT_GLOB, OPT_FILES_FROM, OPT_NUL
};

static const struct option common_longopts[] = {
    {"lexicon", required_argument, NULL, OPT_LEXICON},
    {"no-builtin", no_argument, NULL, OPT_NO_BUILTIN},
    {"category", required_argument, NULL, OPT_CATEGORY},
    {"overlapping", no_argument, NULL, OPT_OVERLAPPING},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"hidden", no_argument, NULL, OPT_HIDDEN},
    {"binary", no_argument, NULL, OPT_BINARY},
    {"glob", required_argument, NULL, OPT_GLOB},
    {"files-from", required_argument, NULL, OPT_FILES_FROM},
    {"null", no_argument, NULL, OPT_NUL},
};

const char common_opts_help[] =
    "Inputs:\n"
    "  FILE|DIR|-            files, folders (recursive, sorted by path), - for standard input\n"
    "  --files-from FILE     read input paths from FILE (- = stdin), one per line\n"
    "  -0, --null            --files-from paths are NUL-separated (find -print0)\n"
    "  --glob PATTERN        choose files in folders (repeatable; !PATTERN excludes)\n"
    "  --hidden              also walk hidden files and folders\n"
    "  --binary              also read files in folders that look binary (NUL in first 8 KiB)\n"
    "  --encoding NAME       read every input as NAME (any iconv name) instead of detecting\n"
    "Lexicon and matching:\n"
    "  --lexicon FILE        add a lexicon (list, TSV or JSON; repeatable)\n"
    "  --no-builtin          leave out the built-in lexicon\n"
    "  --category NAME       count only formulas of this category (repeatable)\n"
    "  --overlapping         report every match, not leftmost-longest ones\n"
    "  -j, --threads N       worker threads (default: all cores)\n";

void common_opts_init(struct common_opts *o)
{
    memset(o, 0, sizeof(*o));
}

void common_opts_release(struct common_opts *o)
{
    free(o->lexicons);
    free(o->categories);
    free(o->globs);
    memset(o, 0, sizeof(*o));
}

size_t common_opts_longopts(void *longopts, size_t n)
{
    struct option *lo = longopts;
    for (size_t i = 0; i < sizeof(common_longopts) / sizeof(common_longopts[0]); i++)
        lo[n++] = common_longopts[i];
    memset(&lo[n], 0, sizeof(lo[n]));
    return n;
}

int common_opts_handle(struct common_opts *o, int id, const char *arg)
{
    char *end;
    long v;
    switch (id) {
    case OPT_LEXICON:
        ALLOC_GROW(o->lexicons, o->nlexicons + 1, o->lexicons_alloc);
        o->lexicons[o->nlexicons++] = arg;
        return 1;
    case OPT_NO_BUILTIN:
        o->no_builtin = 1;
        return 1;
    case OPT_CATEGORY:
        ALLOC_GROW(o->categories, o->ncategories + 1, o->categories_alloc);
        o->categories[o->ncategories++] = arg;
        return 1;
    case OPT_OVERLAPPING:
        o->overlapping = 1;
        return 1;
    case OPT_ENCODING:
        o->encoding = arg;
        return 1;
    case 'j':
    case OPT_THREADS:
        errno = 0;
        v = strtol(arg, &end, 10);
        if (errno || *end || v < 1 || v > 1024) {
            fprintf(stderr, "tifa: invalid thread count '%s' (1 to 1024)\n", arg);
            return -1;
        }
        o->threads = (unsigned)v;
        return 1;
    case OPT_HIDDEN:
        o->walk.hidden = 1;
        return 1;
    case OPT_BINARY:
        o->walk.binary = 1;
        return 1;
    case OPT_GLOB:
        ALLOC_GROW(o->globs, o->walk.nglobs + 1, o->globs_alloc);
        o->globs[o->walk.nglobs++] = arg;
        o->walk.globs = o->globs;
        return 1;
    case OPT_FILES_FROM:
        o->files_from = arg;
        return 1;
    case '0':
    case OPT_NUL:
        o->nul_sep = 1;
        return 1;
    default:
        return 0;
    }
}

int cmd_load_lexicon(const struct common_opts *o, struct lexicon *lx)
{
    struct tifa_err e;
    char msg[2048];
    tifa_err_init(&e);
    lexicon_init(lx);
    if (!o->no_builtin && lexicon_add_builtin(lx, &e))
        goto fail;
    if (o->no_builtin && !o->nlexicons) {
        fprintf(stderr, "tifa: --no-builtin needs at least one --lexicon FILE\n");
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < o->nlexicons; i++)
        if (lexicon_load_file(lx, o->lexicons[i], LEX_AUTO, &e))
            goto fail;
    if (o->ncategories && !lexicon_keep_categories(lx, o->categories, o->ncategories)) {
        fprintf(stderr, "tifa: no lexicon entry has category '%s'\n", o->categories[0]);
        return EXIT_USAGE;
    }
    if (lexicon_finish(lx, &e))
        goto fail;
    if (!lx->npatterns) {
        fprintf(stderr, "tifa: the lexicon is empty\n");
        return EXIT_USAGE;
    }
    return 0;
fail:
    fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
    return EXIT_USAGE;
}

int cmd_walk_inputs(const struct common_opts *o, char **args, size_t nargs, struct walk_result *w)
{
    struct tifa_err e;
    char msg[2048];
    tifa_err_init(&e);
    walk_result_init(w);
    for (size_t i = 0; i < nargs; i++)
        walk_add_arg(w, args[i], &o->walk);
    if (o->files_from && walk_add_files_from(w, o->files_from, o->nul_sep, &o->walk, &e)) {
        fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
        return EXIT_USAGE;
    }
    walk_finish(w);
    return 0;
}

void cmd_doc_failed(const struct tifa_err *err, struct walk_result *w)
{
    if (err->code == TIFA_ESKIP) {
        walk_add_skipped(w, err->path, err->msg);
        return;
    }
    fprintf(stderr, "tifa: '%s': %s\n", err->path, err->msg);
    walk_add_error(w, err->path, err->msg);
}

void cmd_warn_invalid(const struct agg_doc *doc)
{
    if (!doc->invalid)
        return;
    fprintf(stderr,
            "tifa: warning: '%s': %llu invalid %s sequence%s replaced by U+FFFD, the first at byte %lld\n",
            doc->path, (unsigned long long)doc->invalid, doc->encoding, doc->invalid == 1 ? "" : "s",
            doc->first_invalid_off);
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

int cmd_finish_output(int status)
{
    char ebuf[128];
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "tifa: error writing output: %s\n", tifa_strerror(errno ? errno : EIO, ebuf, sizeof(ebuf)));
        return EXIT_SYSTEM;
    }
    return status;
}
