/*
 * main: the subcommand table, global options and the exit status.
 *
 * How it works: like git.c's commands[], a table maps each subcommand name to its cmd_*
 * function and a one-line summary (the command list of `tifa --help` and `tifa help`); main()
 * handles --help and --version itself (cmd_version, which every command's --version calls too)
 * and hands argv (from the subcommand on) to the command.
 * `tifa help COMMAND` calls the command with --help, so both print the same text. A name that
 * is not a command gets the closest one offered (optparse_closeness). The exit status enum lives
 * in cmd.h so every command uses the same one.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tifa/cmd.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
    {"count", cmd_count, "count formulas per document and in total"},
    {"discover", cmd_discover, "candidate formulas no lexicon lists yet, and what is new"},
    {"kwic", cmd_kwic, "every match of a term in its context (a concordance)"},
    {"cooc", cmd_cooc, "which formulas stand together: pairs per sentence, paragraph or document"},
    {"lexicon", cmd_lexicon, "print, search or check a lexicon"},
    {"diff", cmd_diff, "compare formula rates between two files, folders or reports"},
    {"merge", cmd_merge, "sum saved JSON reports of count into one report"},
    {"trend", cmd_trend, "formula counts per period (year) over a folder of dated texts"},
    {"help", cmd_help, "show the commands, or one command's options (tifa help COMMAND)"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char help_usage[] =
    "usage: tifa help [COMMAND]\n"
    "Lists the commands; with COMMAND, prints its options (as tifa COMMAND --help).\n";

static void usage(FILE *out)
{
    fprintf(out, "usage: tifa COMMAND [OPTIONS] [INPUT...]\n"
                 "Counts Chinese political formulas (提法) in speech files.\n\nCommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'tifa help COMMAND' or 'tifa COMMAND --help' for a command's options.\n"
                 "Exit status: 0 ok, 1 differences (diff --exit-code), 2 usage or lexicon error,\n"
                 "3 some inputs not read, 4 system or output error.\n");
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(name, commands[i].name))
            return &commands[i];
    return NULL;
}

/* "tifa: 'cuont' is not a tifa command (did you mean count?)"; returns EXIT_USAGE. */
static int unknown_command(const char *name, const char *see)
{
    const char *best = NULL;
    int best_d = -1;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        int d = optparse_closeness(name, commands[i].name);
        if (d >= 0 && (best_d < 0 || d < best_d)) {
            best = commands[i].name;
            best_d = d;
        }
    }
    if (best)
        fprintf(stderr, "tifa: '%s' is not a tifa command (did you mean %s?)\n", name, best);
    else
        fprintf(stderr, "tifa: '%s' is not a tifa command\n", name);
    fprintf(stderr, "tifa: see '%s'\n", see);
    return EXIT_USAGE;
}

/* `tifa help [COMMAND]`: the command list, or COMMAND's help exactly as `tifa COMMAND --help`. */
static int cmd_help(int argc, char **argv)
{
    static const struct optparse_spec none[] = {{0, 0, NULL, 0}};
    const struct optparse_spec *const tables[] = {none, NULL};
    struct optparse p;
    int c;
    optparse_init(&p, "help", argc, argv, tables);
    while ((c = optparse_next(&p)) != OPTPARSE_END) {
        if (c == OPTPARSE_HELP) {
            fputs(help_usage, stdout);
            return cmd_finish_output(EXIT_OK);
        }
        if (c == OPTPARSE_VERSION)
            return cmd_version();
        optparse_usage_error(&p);
        return EXIT_USAGE;
    }
    if (p.nargs > 1) {
        fprintf(stderr, "tifa: help takes one command, not %zu\n", p.nargs);
        optparse_usage_error(&p);
        return EXIT_USAGE;
    }
    if (!p.nargs) {
        usage(stdout);
        return cmd_finish_output(EXIT_OK);
    }
    const struct command *cmd = find_command(p.argv[1]);
    if (!cmd)
        return unknown_command(p.argv[1], "tifa help");
    char name[32], help[] = "--help";
    snprintf(name, sizeof(name), "%s", cmd->name);
    char *args[] = {name, help, NULL};
    return cmd->fn(2, args);
}

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    /* Output into a closed pipe (tifa ... | head) must end quietly, even when the parent
     * started us with SIGPIPE ignored. */
    signal(SIGPIPE, SIG_DFL);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return cmd_finish_output(EXIT_OK);
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
        return cmd_version();
    const struct command *cmd = find_command(argv[1]);
    if (cmd)
        return cmd->fn(argc - 1, argv + 1);
    if (argv[1][0] == '-' && argv[1][1]) {
        fprintf(stderr, "tifa: unknown option '%s'\n", argv[1]);
        fprintf(stderr, "tifa: see 'tifa --help'\n");
        return EXIT_USAGE;
    }
    return unknown_command(argv[1], "tifa --help");
}
