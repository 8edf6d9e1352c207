/*
 * walk: turning command-line arguments into the sorted list of files to read.
 *
 * Owns: directory recursion, the hidden-file rule, --glob filters, symlink loop detection,
 * the binary-file rule (a NUL byte in the first WALK_SNIFF_LEN bytes) for files found in
 * folders, and --files-from lists. Must not: open files, print, or exit. The binary rule is
 * applied by the reader (WALK_SNIFF, source.h): it reads those bytes anyway, and the walk
 * stays one readdir per folder, so it does not hold up the counting threads.
 *
 * Every argument ends up in exactly one of three lists, or is dropped on purpose:
 *  - files: to read. Explicit files (named on the command line or in a --files-from list) are
 *    always listed, binary or not, hidden or not, and are not subject to --glob; walk does
 *    not open them (the reader reports its own errors). "-" means standard input.
 *  - skipped: found in a folder but not to be read, with a reason: "not a regular file"
 *    (FIFO, socket, device). Files found in folders are listed with WALK_SNIFF set; the reader
 *    skips one whose first WALK_SNIFF_LEN bytes hold a NUL with the reason "binary", which the
 *    commands add to this list.
 *  - errors: cannot be listed or read, with a message: "no such file or directory",
 *    "permission denied" (strerror(3) text, first letter lower case), "dangling symlink",
 *    "symlink loop", "too deep".
 *  - dropped silently (they were not asked for): hidden names found while walking (unless
 *    walk_opts.hidden) and files excluded by --glob.
 *
 * Traversal rules:
 *  - Paths are byte strings: never assumed to be UTF-8; newlines and invalid UTF-8 are kept.
 *  - A path found in a folder is the argument as typed plus "/" plus the relative name; no
 *    "/" is added when the argument already ends in one: "a/" + "x" is "a/x", "." + "x" is
 *    "./x" (like grep -r).
 *  - Symlinks are followed, to files and to folders. Loops are detected with the (st_dev,
 *    st_ino) of every folder on the current recursion path: a folder already on the path is
 *    reported once as "symlink loop" (path = the entry that leads back) and not entered.
 *  - Recursion deeper than WALK_MAX_DEPTH folders below an argument is an error "too deep".
 *    Paths are handed to the kernel whole, so on Linux a path longer than PATH_MAX (4096
 *    bytes) fails earlier with "file name too long".
 *  - Directory entries are read with readdir(3); d_type avoids a stat(2) for plain files and
 *    folders. Cost is O(n log n) in the number of entries; files are not opened.
 *  - Memory: the files are a pathlist (front-coded), about 20 bytes a file found in a folder
 *    whatever its depth; a folder's entries are held while it is read (about 40 bytes each).
 *
 * Lifetime: result. Every string is owned by struct walk_result until walk_result_release().
 *
 * Example:
 *
 *     struct walk_result r;
 *     struct walk_opts o = { 0 };
 *     walk_result_init(&r);
 *     for (i = 0; i < argc; i++)
 *         walk_add_arg(&r, argv[i], &o);
 *     walk_finish(&r);
 *     ... read the r.nfiles paths of r.files with a pathlist_cursor,
 *         warn about r.errors.v[0..r.errors.n) ...
 *     walk_result_release(&r);
 */
#ifndef TIFA_WALK_H
#define TIFA_WALK_H

#include <stddef.h>

#include "tifa/err.h"
#include "tifa/note.h"
#include "tifa/pathlist.h"

/* Bytes read from each file found in a folder to look for a NUL byte. */
#define WALK_SNIFF_LEN 8192
/* Maximum number of nested folders below one argument. */
#define WALK_MAX_DEPTH 4096

struct walk_opts {
    int hidden;               /* also walk into/list names starting with '.' */
    int binary;               /* keep binary files found in folders (no WALK_SNIFF) */
    const char *const *globs; /* glob patterns (glob.h), '!' prefix negates; see walk_glob_ok() */
    size_t nglobs;
    /* the files the command is writing (its standard output, when that is a regular file, and
     * the FILE of -o FILE, which the run replaces): a file found or named that is one of them is
     * skipped with reason "output", since it is empty or half written while it is read
     * (`tifa count -f json . > out.json`), or the last run's report. skip_output = how many of
     * output_dev/output_ino are set. */
    int skip_output;
    unsigned long long output_dev[2], output_ino[2];
};

/* Flags of a file in walk_result.files (pathlist flags). */
enum walk_file_flags {
    WALK_EXPLICIT = 1 << 0, /* named on the command line or in --files-from */
    WALK_SNIFF = 1 << 1     /* found in a folder without walk_opts.binary: to be skipped as
                               "binary" when its first WALK_SNIFF_LEN bytes hold a NUL byte
                               (the reader checks) */
};

struct walk_result {
    struct pathlist files;    /* after walk_finish: sorted, no repeats; flags walk_file_flags;
                                 each path as named, or folder + "/" + relative name, "-" for
                                 standard input */
    size_t nfiles;            /* pathlist_count(&files), set by walk_finish */
    struct note_list skipped; /* text = the reason ("not a regular file", "binary") */
    struct note_list errors;  /* text = the message ("no such file or directory") */
    size_t unread_named;      /* files named explicitly that were skipped for what they are (a
                                 PDF, ...): the commands add them, and exit with status 3 */
    size_t folders_walked;    /* folder arguments walked (the globs applied to their files) */
    unsigned char *glob_hits; /* [nglob_hits]: 1 when walk_opts.globs[i], not negated, matched a
                                 file found in a folder (however later patterns decided) */
    size_t nglob_hits;
    /* while adding: one sorted run per folder walked, and the explicit files in any order */
    struct pathlist *runs;
    size_t nruns, runs_alloc;
    struct pathlist named;
};

/** Sets @r to three empty lists. */
void walk_result_init(struct walk_result *r);

/** Frees every path and text and the arrays; @r is empty and reusable afterwards. */
void walk_result_release(struct walk_result *r);

/**
 * Adds one command-line argument: a file, a folder (walked recursively), or "-".
 * @arg is borrowed (copied where kept). @o may be NULL for the defaults (all zero).
 * Anything other than a folder (regular file, FIFO, /dev/stdin, ...) is an explicit file and
 * is not opened. Problems with the argument or anything below it go to r->errors; returns 0.
 */
int walk_add_arg(struct walk_result *r, const char *arg, const struct walk_opts *o);

/**
 * Adds every path listed in @listfile ("-" = standard input), one per line ("\n"; a trailing
 * "\r" is stripped; empty lines are ignored) or, with @nul_sep, NUL-separated (empty entries
 * ignored; everything else, newlines included, is part of the path). Each is treated like a
 * command-line argument: explicit if a file, walked if a folder.
 * The whole list is read before anything is added. Returns TIFA_EIO (with @e filled: path
 * @listfile, message the strerror text) only when the list itself cannot be read, and then
 * adds nothing; problems with the listed paths go to r->errors as usual. Returns 0 otherwise.
 */
int walk_add_files_from(struct walk_result *r, const char *listfile, int nul_sep,
                        const struct walk_opts *o, struct tifa_err *e);

/**
 * Sorts files, skipped and errors by path in byte order (strcmp) and removes duplicates:
 * repeated paths in files (kept once, explicit if any copy was), repeated identical
 * (path, text) notes, and skipped or errors entries whose path is also in files (an explicit
 * name wins over what the walk found: `tifa d d/x.bin` reads d/x.bin). Call once after adding
 * everything.
 */
void walk_finish(struct walk_result *r);

/**
 * Returns 1 if @relpath (relative to the folder argument, e.g. "sub/a.txt") passes the glob
 * filters of @o, else 0. @o may be NULL (everything passes). The rules are glob.h's: braces,
 * "**" for any number of folders, '*' within one name in a pattern with '/', a pattern without
 * '/' against the base name, '!' negates, the last matching pattern wins. Globs filter files
 * found in folders only; folders are always entered. Compiles the patterns on every call: the
 * walk itself compiles them once per argument.
 */
int walk_glob_ok(const struct walk_opts *o, const char *relpath);

/**
 * Puts r->skipped and r->errors back in path order (note_list_sort: notes about the same path
 * keep the order they were added in). The commands add what the reader found to a finished
 * result with note_list_add (a "binary" file, WALK_SNIFF, is skipped; a file it could not
 * read is an error), so they report one list of each, and call this when reading is over.
 */
void walk_sort_notes(struct walk_result *r);

#endif
