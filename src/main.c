/*
 * main: the subcommand table, global options and the exit status.
 *
 * How it works: like git.c's commands[], a table maps each subcommand name to its cmd_*
 * function; main() handles --help and --version itself and hands argv (from the subcommand on)
 * to the command. The exit status enum lives in cmd.h so every command uses the same one.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tifa/cmd.h"

#ifndef TIFA_VERSION
#define TIFA_VERSION "0.1.0"
#endif

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"count", cmd_count, "count formulas per document and in total"},
    {"lexicon", cmd_lexicon, "print, search or check a lexicon"},
    {"diff", cmd_diff, "compare formula rates between two files, folders or reports"},
    {"merge", cmd_merge, "sum saved JSON reports of count into one report"},
    {"trend", cmd_trend, "formula counts per period (year) over a folder of dated texts"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: tifa COMMAND [OPTIONS] [INPUT...]\n"
                 "Counts Chinese political formulas (提法) in speech files.\n\nCommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'tifa COMMAND --help' for a command's options.\n"
                 "Exit status: 0 ok, 1 differences (diff --exit-code), 2 usage or lexicon error,\n"
                 "3 some inputs not read, 4 system or output error.\n");
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
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return cmd_finish_output(EXIT_OK);
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("tifa %s\n", TIFA_VERSION);
        return cmd_finish_output(EXIT_OK);
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "tifa: '%s' is not a tifa command (see tifa --help)\n", argv[1]);
    return EXIT_USAGE;
}
