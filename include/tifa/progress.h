/*
 * progress: the one progress line of a run on a terminal, redrawn in place and erased at the
 * end:
 *
 *     tifa: 312/1650 files, 84.2 MB, 120.3 MB/s
 *
 * (MB are 10^6 input bytes; the rate is over the time since progress_init.)
 *
 * Owns: the decision to show the line (progress_decide), its format, and what it writes to
 * the stream it is given (stderr): "\r", the line and "\033[K" (which clears what a longer
 * line left) to draw; "\r\033[K" to erase, and only when it drew. Must not: touch stdout,
 * read the clock or the environment (callers pass the time in milliseconds and the values,
 * so tests pass their own), know what a run is, or write a single byte when the line is not
 * shown. Part of the cli layer: the commands reach it through cmd_progress_* (cmd.h).
 * Lifetime: one struct per run, nothing allocated.
 */
#ifndef TIFA_PROGRESS_H
#define TIFA_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/** How long a run lasts before the line appears, unless told (TIFA_PROGRESS_DELAY_MS). */
#define PROGRESS_DELAY_MS 1000.0

struct progress {
    FILE *out;
    int show;           /* 0: every call is a no-op */
    int drawn;          /* the line is on the terminal now */
    int cleared;        /* progress_clear erased it: progress_restore draws it again */
    size_t done, total; /* the figures last drawn */
    uint64_t bytes;
    unsigned cols;   /* the terminal's width: lines stay shorter */
    double start_ms; /* progress_init's time */
    double delay_ms; /* nothing is drawn before start_ms + delay_ms */
};

/**
 * Whether a run shows the line: only when @stderr_tty (stderr is a terminal), not @quiet, and
 * not @stdout_shared (the command writes stdout during the run and stdout is a terminal too:
 * its lines would land on ours). @delay_env is the value of TIFA_PROGRESS_DELAY_MS, or NULL:
 * a whole number of milliseconds sets *@delay_ms, anything else leaves PROGRESS_DELAY_MS.
 * Returns 1 to show, 0 not to.
 */
int progress_decide(int stderr_tty, int stdout_shared, int quiet, const char *delay_env,
                    double *delay_ms);

/** Starts a run's line on @out (not written to unless @show), @cols wide (0: 80), at @now_ms. */
void progress_init(struct progress *p, FILE *out, int show, double delay_ms, unsigned cols,
                   double now_ms);

/**
 * Formats the line for @done of @total files and @bytes read in @secs into @buf (@size bytes,
 * NUL-terminated) and returns its length, always less than @cols (0: 80) so that the cursor
 * never wraps: when the whole line is too wide the rate goes first, then the size, then the
 * "tifa: " and " files"; a terminal narrower than that gets the figures cut.
 * Example: (312, 1650, 84200000, 0.7, 120) gives "tifa: 312/1650 files, 84.2 MB, 120.3 MB/s".
 */
size_t progress_format(char *buf, size_t size, unsigned cols, size_t done, size_t total,
                       uint64_t bytes, double secs);

/** Draws the line for these figures at @now_ms, when shown and past the delay. */
void progress_update(struct progress *p, size_t done, size_t total, uint64_t bytes, double now_ms);

/** Erases the line if it is drawn (before another message goes to the same terminal); the
 *  next progress_update or progress_restore draws it again. */
void progress_clear(struct progress *p);

/** Draws the line again with the figures last drawn, if progress_clear erased it (after the
 *  message). */
void progress_restore(struct progress *p, double now_ms);

/** Erases the line if it is drawn; nothing is written after. */
void progress_end(struct progress *p);

#endif
