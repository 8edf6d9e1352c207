/*
 * walk: turning command-line arguments into the sorted list of files to read.
 *
 * Owns: directory recursion, the hidden-file rule, --glob filters, symlink loop detection,
 * the binary-file sniff (a NUL byte in the first 8 KiB) for files found in folders, and
 * --files-from lists. Must not: decode or interpret file contents beyond the NUL sniff.
 *
 * Every argument ends up in exactly one of three lists (nothing disappears):
 * files (to read), skipped (binary, with the reason "binary"), errors (cannot be listed or
 * read: nonexistent path, permission denied on a folder, dangling symlink, symlink loop).
 * Files named explicitly (not found by walking) are always listed in files, binary or not,
 * and are not subject to --glob or the hidden rule; "-" means standard input.
 * Results are owned by struct walk_result until walk_result_release().
 */
#ifndef TIFA_WALK_H
#define TIFA_WALK_H

#include <stddef.h>

#include "tifa/err.h"

struct walk_opts {
    int hidden;               /* also walk into/list names starting with '.' */
    int binary;               /* do not skip binary files found in folders */
    const char *const *globs; /* fnmatch(3) patterns, '!' prefix negates; NULL-free array */
    size_t nglobs;
};

struct walk_file {
    char *path;    /* as named, or folder + "/" + relative name; "-" for standard input */
    int explicit_; /* 1 when named on the command line or in --files-from */
};

struct walk_note {
    char *path;
    char *text;    /* skipped: the reason ("binary"); errors: the message ("no such file or directory") */
};

struct walk_result {
    struct walk_file *files;
    size_t nfiles, files_alloc;
    struct walk_note *skipped;
    size_t nskipped, skipped_alloc;
    struct walk_note *errors;
    size_t nerrors, errors_alloc;
};

void walk_result_init(struct walk_result *r);
void walk_result_release(struct walk_result *r);

/**
 * Adds one command-line argument: a file, a folder (walked recursively), or "-".
 * Problems with the argument or anything below it go to r->errors; returns 0.
 */
int walk_add_arg(struct walk_result *r, const char *arg, const struct walk_opts *o);

/**
 * Adds every path listed in @listfile ("-" = standard input), one per line or, with @nul_sep,
 * NUL-separated; each is treated like a command-line argument (folders are walked).
 * Returns TIFA_EIO (with @e filled) only when the list itself cannot be read.
 */
int walk_add_files_from(struct walk_result *r, const char *listfile, int nul_sep,
                        const struct walk_opts *o, struct tifa_err *e);

/**
 * Sorts files, skipped and errors by path in byte order (strcmp), and removes repeated
 * identical paths from files. Call once after adding everything.
 */
void walk_finish(struct walk_result *r);

/** Returns 1 if @path passes the glob filters of @o (rules as in ripgrep: the last matching
 *  pattern wins; with at least one non-negated pattern, a path matching none is excluded). */
int walk_glob_ok(const struct walk_opts *o, const char *relpath);

#endif
