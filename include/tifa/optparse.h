/*
 * optparse: the one command-line option parser every subcommand uses (git's parse-options in
 * small), and the "did you mean" and number parsing that go with it.
 *
 * Owns: walking a subcommand's argv against its tables of options; the messages for option
 * syntax errors, in tifa's one voice ("tifa: unknown option '--fromat' (did you mean
 * --format?)"), and the pointer to help that ends every usage error ("tifa: see 'tifa count
 * --help'"). Must not: know what an option means (the command's switch does) or exit.
 *
 * Rules, as GNU getopt_long minus abbreviations:
 * - `--name`, `--name=VALUE`, `--name VALUE`; a long name is matched only when spelled whole
 *   (`--form` is an unknown option, not --format: a script must not break the day a second
 *   option shares the prefix);
 * - `-x`, clusters `-0x`, `-xVALUE`, `-x VALUE`; a value is the next word whatever it looks like;
 * - `-h` and `--help` are every command's (optparse_next returns OPTPARSE_HELP), and so are
 *   `-V` and `--version` (OPTPARSE_VERSION: the command answers with cmd_version());
 * - options and arguments mix in any order; `--` ends the options; `-` is an argument.
 *
 * Arguments (words that are not options) are moved, in order, to argv[1..nargs]: the slots of
 * words already read, so nothing is allocated. Values point into argv's strings.
 *
 * Example:
 *   static const struct optparse_spec opts[] = {{OPT_TOP, 0, "top", 1}, {0}};
 *   const struct optparse_spec *tables[] = {opts, NULL};
 *   struct optparse p;
 *   optparse_init(&p, "count", argc, argv, tables);
 *   while ((c = optparse_next(&p)) > 0)
 *       if (c == OPT_TOP && optparse_number(&p, 0, UINT64_MAX, &top))
 *           goto usage;            (optparse printed why; usage: optparse_usage_error(&p))
 *   if (c == OPTPARSE_ERROR) goto usage;
 *   ... p.argv[1] .. p.argv[p.nargs] are the arguments ...
 */
#ifndef TIFA_OPTPARSE_H
#define TIFA_OPTPARSE_H

#include <stddef.h>
#include <stdint.h>

/** One option. A table is an array of them ended by an entry whose id is 0. */
struct optparse_spec {
    int id;                /* > 0: what optparse_next returns for it (< 0: optparse's own) */
    char short_name;       /* 'f' for -f, 0 when none */
    const char *long_name; /* "format" for --format, NULL when none */
    int takes_value;       /* 1: the option needs a value, 0: it is a switch */
};

enum {
    OPTPARSE_END = 0,     /* no more options; the arguments are in argv[1..nargs] */
    OPTPARSE_ERROR = -1,  /* a syntax error, message printed */
    OPTPARSE_HELP = -2,   /* -h or --help */
    OPTPARSE_VERSION = -3 /* -V or --version */
};

struct optparse {
    const char *cmd; /* the subcommand, for messages */
    int argc;
    char **argv;                               /* argv[0] is the subcommand's name */
    const struct optparse_spec *const *tables; /* NULL-terminated */
    int ind;                                   /* next word to read */
    const char *cluster;                       /* rest of a short-option cluster, or NULL */
    int dashdash;                              /* "--" was read: only arguments follow */
    size_t nargs;                              /* arguments so far, in argv[1..nargs] */
    /* the option optparse_next just returned */
    const char *value; /* its value, NULL for a switch */
    char name[48];     /* as the user spelled it: "-j" or "--threads" */
};

/** Starts parsing @argv (argv[0] = the subcommand, which @cmd names in messages). The tables
 *  (retained, not copied) are searched in order. */
void optparse_init(struct optparse *p, const char *cmd, int argc, char **argv,
                   const struct optparse_spec *const *tables);

/**
 * Reads the next option: returns its id (p->value and p->name set), OPTPARSE_HELP,
 * OPTPARSE_VERSION, OPTPARSE_END when argv is used up, or OPTPARSE_ERROR after printing
 * "tifa: unknown option ...", "tifa: option '--top' needs a value" or "tifa: option
 * '--per-doc' takes no value".
 */
int optparse_next(struct optparse *p);

/**
 * Parses the current option's value as a whole number from @min to @max (decimal digits only:
 * no sign, space or suffix; overflow is out of range). Returns 0, or -1 after printing
 * "tifa: invalid value 'x' for --top (a whole number)".
 */
int optparse_number(const struct optparse *p, uint64_t min, uint64_t max, uint64_t *out);

/** Prints "tifa: invalid value 'VALUE' for NAME (@expected)" for the current option. */
void optparse_bad_value(const struct optparse *p, const char *expected);

/** Prints the line that ends every usage error of @p's command: "tifa: see 'tifa CMD --help'". */
void optparse_usage_error(const struct optparse *p);

/**
 * The number parser alone: @s as a whole number from @min to @max, digits only. Returns 0 and
 * sets *@out, or -1 (empty, not digits, or out of range) leaving *@out alone.
 */
int optparse_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/**
 * How close a mistyped @word is to @name, for "did you mean": the edit distance (insertions,
 * deletions, substitutions, swaps of neighbours), 1 when @word is a prefix of @name of 3 or
 * more characters; -1 when too far to suggest (more than 2 edits, or more than a third of
 * @name's length). Example: ("fromat", "format") = 1, ("form", "format") = 1, ("x", "top") = -1.
 */
int optparse_closeness(const char *word, const char *name);

#endif
