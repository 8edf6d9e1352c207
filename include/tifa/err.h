/*
 * err: the error value every fallible function fills.
 *
 * Owns: struct tifa_err, a fixed-size record of the first failure (message plus, where known,
 * path, line and byte offset). Must not: print, exit, or allocate.
 *
 * Convention (jansson's json_error_t): a function that can fail returns 0 or a negative
 * TIFA_E* code and fills the caller's struct tifa_err. The first error wins: tifa_err_set()
 * does nothing when the struct already holds an error, so low layers can report the precise
 * cause and callers may add context only if nothing was said yet.
 */
#ifndef TIFA_ERR_H
#define TIFA_ERR_H

#include <stddef.h>
#include <stdint.h>

enum tifa_errcode {
    TIFA_OK = 0,
    TIFA_EIO = -1,    /* open/read/stat failed: errno-style system failure */
    TIFA_EDATA = -2,  /* malformed input data (lexicon, report, pattern) */
    TIFA_ENOMEM = -3, /* allocation failed or a size would overflow */
    TIFA_EUSAGE = -4, /* invalid argument or option value */
    TIFA_ELIMIT = -5, /* a built-in limit was exceeded */
    TIFA_ESKIP = -6   /* not a failure: the input was left out on purpose, msg says why */
};

struct tifa_err {
    int code;        /* 0 while no error has been recorded */
    char msg[512];   /* lower case, no trailing full stop, no path prefix */
    char path[1024]; /* file the error is about, "" when none */
    long line;       /* 1-based line, 0 when unknown */
    long col;        /* 1-based column on that line, 0 when unknown (set it after tifa_err_set) */
    long long byte_off; /* byte offset in the file, -1 when unknown */
};

/** Resets @e to "no error". */
void tifa_err_init(struct tifa_err *e);

/**
 * Records an error unless one is already recorded; returns @code so callers can write
 * `return tifa_err_set(e, TIFA_EDATA, path, line, -1, "empty term");`.
 * @path may be NULL; @line 0 and @byte_off -1 mean unknown.
 */
int tifa_err_set(struct tifa_err *e, int code, const char *path, long line, long long byte_off,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/**
 * strerror(@errnum) in the voice of tifa's messages: first letter in lower case ("permission
 * denied"), an initial acronym left alone. Writes into @buf and returns it (thread-safe).
 */
const char *tifa_strerror(int errnum, char *buf, size_t len);

/**
 * Formats @e git-style into @buf: "PATH:LINE: MSG" (or "PATH:LINE:COL: MSG" when col is
 * known), "'PATH' at byte N: MSG", "'PATH': MSG" or "MSG".
 * Returns @buf.
 */
const char *tifa_err_format(const struct tifa_err *e, char *buf, size_t len);

/**
 * For states that cannot happen (git's BUG()): prints "tifa: BUG: FILE:LINE: MESSAGE" to
 * stderr and aborts. Not for bad input, which is an error value; the one place below the CLI
 * that prints, because a broken invariant leaves nothing sensible to return.
 */
#define BUG(...) tifa_bug(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void tifa_bug(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
