/*
 * outfile: the report's destination when a command is given -o FILE / --output FILE.
 *
 * Owns: the temporary file next to FILE, standard output while it points there, and the one
 * piece of global state tifa keeps outside main.c: the temporary's path, which the handler of
 * SIGINT, SIGTERM and SIGHUP (and an atexit hook) unlink. A signal handler can reach nothing
 * else, so the path must be global; it is written before the handler is installed and cleared
 * with the signals blocked once the temporary is renamed. Must not: print, pick exit statuses or
 * know what a report holds.
 *
 * The report is written atomically: outfile_open creates ".NAME.XXXXXX" in FILE's folder
 * (mkstemp), gives it the mode a plain fopen(FILE, "w") would (FILE's own mode when it exists,
 * else 0666 & ~umask) and points standard output at it, so every command keeps writing stdout.
 * outfile_commit flushes stdout, fsyncs and closes the temporary, checking each, and renames it
 * over FILE. Whatever ends the run before that (an error status, exit(), a fatal signal, a write
 * error such as a full disk) removes the temporary: FILE is never half written, and when it
 * existed it keeps its old content. FILE that is a symlink to a regular file: the file it points
 * to is replaced, the link is kept. FILE that exists and is not a regular file (/dev/stdout, a
 * FIFO, /dev/null, a terminal) cannot be replaced: it is opened and written directly, as a shell
 * redirection would.
 *
 * Lifetime: run. One destination per process: a second outfile_open before commit or discard
 * is a BUG.
 */
#ifndef TIFA_OUTFILE_H
#define TIFA_OUTFILE_H

#include "tifa/err.h"

/**
 * Opens @path's temporary (or @path itself when it is not a regular file) and makes it standard
 * output; installs the signal handlers and the atexit hook. @path is copied. Returns 0, or
 * TIFA_EIO with e->path = @path and the reason ("no such file or directory", "not a
 * directory", "permission denied"); standard output is then unchanged.
 */
int outfile_open(const char *path, struct tifa_err *e);

/** 1 between a successful outfile_open and outfile_commit or outfile_discard. */
int outfile_is_open(void);

/** The path given to outfile_open while open, else NULL. */
const char *outfile_path(void);

/**
 * Flushes standard output into the temporary, fsyncs and closes it, renames it over the path
 * and gives standard output back. On any failure the temporary is removed, the path is left as
 * it was and TIFA_EIO is returned with e->path = the path and the reason ("no space left on
 * device"). Either way the destination is closed afterwards.
 */
int outfile_commit(struct tifa_err *e);

/** Removes the temporary and gives standard output back, without touching the path (a run
 *  that ends without a report). Does nothing when no destination is open. */
void outfile_discard(void);

#endif
