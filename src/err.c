/*
 * err: recording the first error of an operation.
 *
 * How it works: struct tifa_err is a plain value with fixed-size buffers, so recording an error
 * never allocates and cannot itself fail; messages longer than the buffers are truncated.
 */
#include "tifa/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tifa_err_init(struct tifa_err *e)
{
    e->code = 0;
    e->msg[0] = '\0';
    e->path[0] = '\0';
    e->line = 0;
    e->col = 0;
    e->byte_off = -1;
}

int tifa_err_set(struct tifa_err *e, int code, const char *path, long line, long long byte_off,
                 const char *fmt, ...)
{
    va_list ap;

    if (!e || e->code)
        return code;
    e->code = code ? code : TIFA_EDATA;
    snprintf(e->path, sizeof(e->path), "%s", path ? path : "");
    e->line = line;
    e->col = 0;
    e->byte_off = byte_off;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return code;
}

const char *tifa_err_format(const struct tifa_err *e, char *buf, size_t len)
{
    if (!e->path[0])
        snprintf(buf, len, "%s", e->msg);
    else if (e->line > 0 && e->col > 0)
        snprintf(buf, len, "%s:%ld:%ld: %s", e->path, e->line, e->col, e->msg);
    else if (e->line > 0)
        snprintf(buf, len, "%s:%ld: %s", e->path, e->line, e->msg);
    else if (e->byte_off >= 0)
        snprintf(buf, len, "'%s' at byte %lld: %s", e->path, e->byte_off, e->msg);
    else
        snprintf(buf, len, "'%s': %s", e->path, e->msg);
    return buf;
}

const char *tifa_strerror(int errnum, char *buf, size_t len)
{
    char tmp[256];
    /* the GNU strerror_r may return a static string instead of filling tmp */
    const char *s = strerror_r(errnum, tmp, sizeof(tmp));
    snprintf(buf, len, "%s", s);
    if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
        buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}

void tifa_bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "tifa: BUG: %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
