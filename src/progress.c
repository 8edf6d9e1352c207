/*
 * progress: the progress line of a run on a terminal (see progress.h).
 *
 * How it works: progress_update formats the whole line into a stack buffer and writes it in
 * one fwrite, "\r" first and "\033[K" last, so the terminal never shows half a line and a
 * shorter line leaves nothing of a longer one; the caller rate-limits (the driver calls about
 * five times a second). The line is kept shorter than the terminal, never wrapped: a wrapped
 * line could not be redrawn with "\r". `drawn` makes erasing free when nothing was drawn, so a
 * run under the delay, in a pipe or with --quiet writes nothing at all. Nothing is allocated.
 */
#include "tifa/progress.h"

#include <stdlib.h>
#include <string.h>

#define ERASE "\r\033[K"

int progress_decide(int stderr_tty, int stdout_shared, int quiet, const char *delay_env,
                    double *delay_ms)
{
    *delay_ms = PROGRESS_DELAY_MS;
    if (delay_env && *delay_env >= '0' && *delay_env <= '9') {
        char *end;
        unsigned long v = strtoul(delay_env, &end, 10);
        if (!*end && v <= 86400000ul)
            *delay_ms = (double)v;
    }
    return stderr_tty && !stdout_shared && !quiet;
}

void progress_init(struct progress *p, FILE *out, int show, double delay_ms, unsigned cols,
                   double now_ms)
{
    memset(p, 0, sizeof(*p));
    p->out = out;
    p->show = show;
    p->cols = cols ? cols : 80;
    p->start_ms = now_ms;
    p->delay_ms = delay_ms;
}

size_t progress_format(char *buf, size_t size, unsigned cols, size_t done, size_t total,
                       uint64_t bytes, double secs)
{
    double mb = (double)bytes / 1e6, rate = secs > 0 ? mb / secs : 0;
    size_t max = cols ? cols - 1 : 79; /* the last column would wrap the cursor */
    int n = 0;
    if (size == 0)
        return 0;
    if (max >= size)
        max = size - 1;
    /* the widest form that fits: with the rate, with the size, the files, the bare figures */
    for (int form = 0; form < 4; form++) {
        switch (form) {
        case 0:
            n = snprintf(buf, size, "tifa: %zu/%zu files, %.1f MB, %.1f MB/s", done, total, mb,
                         rate);
            break;
        case 1: n = snprintf(buf, size, "tifa: %zu/%zu files, %.1f MB", done, total, mb); break;
        case 2: n = snprintf(buf, size, "tifa: %zu/%zu files", done, total); break;
        default: n = snprintf(buf, size, "%zu/%zu", done, total); break;
        }
        if (n >= 0 && (size_t)n <= max)
            return (size_t)n;
    }
    if (n < 0)
        n = 0;
    if ((size_t)n > max)
        n = (int)max;
    buf[n] = '\0';
    return (size_t)n;
}

void progress_update(struct progress *p, size_t done, size_t total, uint64_t bytes, double now_ms)
{
    if (!p->show || now_ms - p->start_ms < p->delay_ms)
        return;
    char line[256];
    memcpy(line, "\r", 1);
    size_t len = 1 + progress_format(line + 1, sizeof(line) - 4, p->cols, done, total, bytes,
                                     (now_ms - p->start_ms) / 1e3);
    memcpy(line + len, "\033[K", 3);
    len += 3;
    fwrite(line, 1, len, p->out);
    fflush(p->out);
    p->drawn = 1;
    p->cleared = 0;
    p->done = done;
    p->total = total;
    p->bytes = bytes;
}

void progress_clear(struct progress *p)
{
    if (!p->drawn)
        return;
    fputs(ERASE, p->out);
    fflush(p->out);
    p->drawn = 0;
    p->cleared = 1;
}

void progress_restore(struct progress *p, double now_ms)
{
    if (p->cleared)
        progress_update(p, p->done, p->total, p->bytes, now_ms);
}

void progress_end(struct progress *p)
{
    progress_clear(p);
    p->show = 0;
}
