/*
 * cmd: the subcommands, their shared options, and tifa's exit statuses.
 *
 * Owns: the exit status enum (the one place it is defined), the options every counting command
 * shares (inputs, lexicon, matching, threads) and the code that turns them into a file list, a
 * lexicon and an automaton. Must not: hold algorithms; every cmd_* function only wires modules,
 * prints messages in one voice ("tifa: ...") and picks the exit status.
 */
#ifndef TIFA_CMD_H
#define TIFA_CMD_H

#include <stddef.h>

#include "tifa/ac.h"
#include "tifa/agg.h"
#include "tifa/lexicon.h"
#include "tifa/report.h"
#include "tifa/walk.h"

enum tifa_exit {
    EXIT_OK = 0,          /* every input was read */
    EXIT_DIFFERENT = 1,   /* only `diff --exit-code`: some count differs */
    EXIT_USAGE = 2,       /* usage, lexicon or rule error: nothing was done */
    EXIT_PARTIAL = 3,     /* some inputs could not be read; the rest were reported */
    EXIT_SYSTEM = 4       /* system or output error (e.g. a failed write to stdout) */
};

/* Options shared by the counting commands (count, diff, trend). */
struct common_opts {
    const char **lexicons;
    size_t nlexicons, lexicons_alloc;
    int no_builtin;
    const char **categories;
    size_t ncategories, categories_alloc;
    int overlapping;
    const char *encoding;
    unsigned threads;
    struct walk_opts walk;
    const char **globs;
    size_t globs_alloc;
    const char *files_from;
    int nul_sep;
};

void common_opts_init(struct common_opts *o);
void common_opts_release(struct common_opts *o);

/** getopt_long option table entries for the shared options; ids start at COMMON_OPT_BASE. */
#define COMMON_OPT_BASE 1000
extern const char common_opts_help[];
/**
 * Handles a shared option (@id from getopt_long, @arg its argument). Returns 1 if handled,
 * 0 if not a shared option, -1 on a bad value (message printed).
 */
int common_opts_handle(struct common_opts *o, int id, const char *arg);
/** Appends the shared long options to @longopts (which must have room); returns the new count. */
size_t common_opts_longopts(void *longopts, size_t n);

/** Loads the lexicons (built-in unless --no-builtin, then each --lexicon) and restricts to
 *  --category. Prints "tifa: FILE:LINE: reason" and returns EXIT_USAGE on failure. */
int cmd_load_lexicon(const struct common_opts *o, struct lexicon *lx);

/** Turns the arguments (and --files-from) into a walk result. Returns 0 or EXIT_USAGE. */
int cmd_walk_inputs(const struct common_opts *o, char **args, size_t nargs, struct walk_result *w);

/** Prints the one warning a document with invalid sequences gets (nothing when it has none). */
void cmd_warn_invalid(const struct agg_doc *doc);

/**
 * A document corpus_count gave back as failed: a binary file (TIFA_ESKIP) joins @w's skipped
 * list; anything else is printed ("tifa: 'PATH': MESSAGE") and joins its errors. Call
 * walk_sort_notes(@w) when counting is over.
 */
void cmd_doc_failed(const struct tifa_err *err, struct walk_result *w);

/** Parses a --format value among the formats of a command family (@allowed: report_count_formats,
 *  report_diff_formats, ...); prints the error, naming the allowed ones, and returns -1 when it
 *  is not one of them. */
int cmd_parse_format(const char *s, const struct report_formats *allowed, enum report_format *out);

/** Parses a --sort value (count, term, docs); prints the error and returns -1 when unknown. */
int cmd_parse_sort(const char *s, enum agg_sort *out);

/** Writes the buffered stdout and reports a write error; returns EXIT_SYSTEM or @status. */
int cmd_finish_output(int status);

int cmd_count(int argc, char **argv);
int cmd_lexicon(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_trend(int argc, char **argv);

#endif
