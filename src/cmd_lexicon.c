/*
 * cmd_lexicon: `tifa lexicon` — print the lexicon (table, json, tsv), search it, check a file.
 *
 * Wiring: lexicon loading as for count (so --lexicon/--no-builtin/--category apply), then one of
 * three outputs. --check FILE validates a user lexicon alone with the loader's rules and also
 * warns about entries without a gloss or with a category outside the built-in taxonomy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/cmd.h"
#include "tifa/encoding.h"
#include "tifa/table.h"
#include "tifa/xalloc.h"

static const char lexicon_usage[] =
    "usage: tifa lexicon [OPTIONS]\n"
    "Prints the lexicon (the built-in one unless --no-builtin), in the forms --lexicon reads.\n\n"
    "  -f, --format FMT      table (default), json or tsv\n"
    "  --search TEXT         only entries whose term, alias, gloss or expansion contains TEXT\n"
    "  --check FILE          validate FILE as a lexicon (FILE:LINE messages, status 2 if bad)\n"
    "  --categories          list the categories of the built-in taxonomy\n"
    "  -o, --output FILE     write to FILE, replaced only once it is complete\n"
    "  --lexicon FILE, --no-builtin, --category NAME   as for tifa count\n";

enum { OPT_FORMAT = 1, OPT_SEARCH, OPT_CHECK, OPT_CATEGORIES };

/* The lexicon's formats: the table below, and the lexicon module's own writers. */
static const struct report_format_def lexicon_table = {"table", FMT_TABLE},
                                      lexicon_json = {"json", FMT_JSON},
                                      lexicon_tsv = {"tsv", FMT_TSV};
static const struct report_format_def *const lexicon_defs[] = {&lexicon_table, &lexicon_json,
                                                               &lexicon_tsv};
static const struct report_formats lexicon_formats = {lexicon_defs, 3};

static int contains(const char *hay, const char *needle)
{
    return strcasestr(hay, needle) != NULL;
}

static int entry_matches(const struct lex_entry *en, const char *q)
{
    if (contains(en->term, q) || contains(en->gloss, q) || contains(en->id, q))
        return 1;
    for (size_t i = 0; i < en->naliases; i++)
        if (contains(en->aliases[i], q))
            return 1;
    for (size_t i = 0; i < en->nexpansion; i++)
        if (contains(en->expansion[i], q))
            return 1;
    return 0;
}

static void print_table(const struct lexicon *lx, const char *search)
{
    static const enum table_align align[] = {TABLE_LEFT, TABLE_LEFT, TABLE_RIGHT, TABLE_LEFT};
    static const char *const head[] = {"TERM", "CATEGORY", "SINCE", "GLOSS"};
    struct table t;
    struct sbuf gloss = SBUF_INIT;
    table_init(&t, 4, align, 0);
    table_add_row(&t, head);
    for (size_t i = 0; i < lx->nentries; i++) {
        const struct lex_entry *en = &lx->entries[i];
        if (en->dropped || (search && !entry_matches(en, search)))
            continue;
        table_add(&t, en->term);
        table_add(&t, en->category);
        if (en->since)
            table_addf(&t, "%d", en->since);
        else
            table_add(&t, "-");
        sbuf_reset(&gloss);
        sbuf_addstr(&gloss, en->gloss);
        if (en->naliases) {
            sbuf_addstr(&gloss, " (also ");
            for (size_t k = 0; k < en->naliases; k++)
                sbuf_addf(&gloss, "%s%s", k ? ", " : "", en->aliases[k]);
            sbuf_addch(&gloss, ')');
        }
        table_add(&t, gloss.buf);
    }
    table_print(&t, stdout);
    table_release(&t);
    sbuf_release(&gloss);
}

static int check_file(const char *path)
{
    struct lexicon lx, builtin;
    struct tifa_err e;
    char msg[2048];
    int warnings = 0;
    tifa_err_init(&e);
    lexicon_init(&lx);
    lexicon_init(&builtin);
    /* the taxonomy comes with the built-in lexicon */
    lexicon_add_builtin(&builtin, &e);
    tifa_err_init(&e);
    lx.decode = encoding_to_utf8;
    if (lexicon_load_file(&lx, path, LEX_AUTO, &e) || lexicon_finish(&lx, &e)) {
        fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
        lexicon_release(&lx);
        lexicon_release(&builtin);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < lx.nentries; i++) {
        const struct lex_entry *en = &lx.entries[i];
        char where[1200];
        if (en->line > 0)
            snprintf(where, sizeof(where), "%s:%ld", path, en->line);
        else
            snprintf(where, sizeof(where), "%s: entry %ld", path, -en->line);
        if (*en->category && !lexicon_category_known(&builtin, en->category)) {
            fprintf(stderr, "tifa: warning: %s: category '%s' is not in the built-in taxonomy\n",
                    where, en->category);
            warnings++;
        }
        if (!*en->gloss) {
            fprintf(stderr, "tifa: warning: %s: '%s' has no gloss\n", where, en->term);
            warnings++;
        }
    }
    printf("%s: %zu entries, %zu terms, %zu patterns, %d warning%s\n", path, lx.nentries,
           lx.nlabels, lx.npatterns, warnings, warnings == 1 ? "" : "s");
    lexicon_release(&lx);
    lexicon_release(&builtin);
    return EXIT_OK;
}

int cmd_lexicon(int argc, char **argv)
{
    static const struct optparse_spec lexicon_opts[] = {
        {OPT_FORMAT, 'f', "format", 1},
        {OPT_SEARCH, 0, "search", 1},
        {OPT_CHECK, 0, "check", 1},
        {OPT_CATEGORIES, 0, "categories", 0},
        {0, 0, NULL, 0},
    };
    const struct optparse_spec *const tables[] = {lexicon_opts, common_lexicon_opts,
                                                  common_output_opts, NULL};
    struct common_opts co;
    struct optparse p;
    enum report_format fmt = FMT_TABLE;
    const char *search = NULL, *check = NULL;
    int categories = 0, c, status;

    common_opts_init(&co);
    optparse_init(&p, "lexicon", argc, argv, tables);
    while ((c = optparse_next(&p)) != OPTPARSE_END) {
        switch (c) {
        case OPT_FORMAT:
            if (cmd_parse_format(p.value, &lexicon_formats, &fmt))
                goto usage;
            break;
        case OPT_SEARCH: search = p.value; break;
        case OPT_CHECK: check = p.value; break;
        case OPT_CATEGORIES: categories = 1; break;
        case OPTPARSE_HELP:
            fputs(lexicon_usage, stdout);
            common_opts_release(&co);
            return cmd_finish_output(EXIT_OK);
        case OPTPARSE_VERSION: common_opts_release(&co); return cmd_version();
        default:
            if (common_opts_handle(&co, c, &p) == 1)
                break;
            goto usage;
        }
    }
    if (p.nargs) {
        fprintf(stderr, "tifa: lexicon takes no inputs ('%s')\n", p.argv[1]);
        goto usage;
    }
    if (check) {
        const char *output = co.output;
        common_opts_release(&co);
        if ((status = cmd_output_open(output)) != 0)
            return status;
        return cmd_finish_output(check_file(check));
    }
    struct cmd_setup s;
    if ((status = cmd_setup(&s, &co, SETUP_LEXICON, NULL, 0)) != 0) {
        cmd_setup_release(&s);
        common_opts_release(&co);
        return status;
    }
    struct lexicon *lx = &s.lx;
    if (categories) {
        for (size_t i = 0; i < lx->ncategories; i++)
            printf("%s\t%s\n", lx->categories[i], lx->category_desc[i]);
    } else if (fmt == FMT_TABLE) {
        print_table(lx, search);
    } else {
        struct lexicon view = *lx;
        /* --search narrows the printed entries: mark the others dropped for the writers */
        if (search)
            for (size_t i = 0; i < lx->nentries; i++)
                if (!entry_matches(&lx->entries[i], search))
                    lx->entries[i].dropped = 1;
        struct sbuf out = SBUF_INIT;
        if (fmt == FMT_JSON)
            lexicon_write_json(&view, &out);
        else
            lexicon_write_tsv(&view, &out);
        fwrite(out.buf, 1, out.len, stdout);
        sbuf_release(&out);
    }
    cmd_setup_release(&s);
    common_opts_release(&co);
    return cmd_finish_output(EXIT_OK);
usage:
    optparse_usage_error(&p);
    common_opts_release(&co);
    return EXIT_USAGE;
}
