/*
 * outfile: -o FILE written atomically: a temporary beside FILE, renamed over it at the end.
 *
 * How it works: outfile_open makes ".NAME.XXXXXX" in FILE's folder with mkstemp (same folder,
 * so rename(2) is atomic and never crosses file systems), sets the mode fopen would have given
 * (mkstemp makes 0600), keeps a duplicate of the old standard output and dup2()s the temporary
 * onto descriptor 1: the commands write stdout as before, buffered by stdio. outfile_commit
 * flushes stdio, puts the old descriptor 1 back, fsyncs the temporary (a rename that reaches the
 * disk before the data would leave an empty FILE after a crash), closes it (the last reference,
 * so an error of a network file system shows there) and renames it. Each step is checked; the
 * first error removes the temporary and is returned.
 *
 * The temporary's path lives in a static buffer (the module's one global, see outfile.h) that
 * the fatal-signal handler and the atexit hook read: unlink(2) and raise(3) are
 * async-signal-safe, and the handler is installed with SA_RESETHAND so raising the signal again
 * ends the process as it would have ended. Signals the parent ignored stay ignored. The buffer is
 * cleared with those signals blocked right after the rename, so a late signal cannot unlink a
 * path that is FILE's content by then.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tifa/outfile.h"
#include "tifa/xalloc.h"

static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

/* The destination (see outfile.h for why it is global). pending_tmp is non-empty exactly while
 * a temporary exists on disk that nobody but this process knows of. */
static char pending_tmp[PATH_MAX + 16];
static struct {
    int open, direct, fd, saved_stdout, hooks;
    char *path;   /* as given, for messages */
    char *target; /* what the temporary is renamed to (a symlink's target) */
} out = {0, 0, -1, -1, 0, NULL, NULL};

static void on_fatal_signal(int sig)
{
    int saved = errno;
    if (pending_tmp[0])
        unlink(pending_tmp);
    errno = saved;
    raise(sig); /* SA_RESETHAND: delivered with the default action once this returns */
}

static void at_exit_remove(void)
{
    if (pending_tmp[0])
        unlink(pending_tmp);
}

static void install_hooks(void)
{
    struct sigaction sa, old;
    if (out.hooks)
        return;
    out.hooks = 1;
    atexit(at_exit_remove);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NFATAL; i++) {
        if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue; /* nohup, or started in the background by a shell: stays ignored */
        sigaction(fatal_signals[i], &sa, NULL);
    }
}

/* Clears pending_tmp with the fatal signals blocked, after the rename or unlink. */
static void clear_pending(void)
{
    sigset_t set, old;
    sigemptyset(&set);
    for (size_t i = 0; i < NFATAL; i++)
        sigaddset(&set, fatal_signals[i]);
    sigprocmask(SIG_BLOCK, &set, &old);
    pending_tmp[0] = '\0';
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static int fail(struct tifa_err *e, const char *path, int errnum)
{
    char msg[256];
    return tifa_err_set(e, TIFA_EIO, path, 0, -1, "%s", tifa_strerror(errnum, msg, sizeof(msg)));
}

/* Creates the temporary for out.target with @mode; returns its descriptor or -1 (errno set). */
static int make_temporary(mode_t mode)
{
    const char *slash = strrchr(out.target, '/');
    size_t dir_len = slash ? (size_t)(slash - out.target) + 1 : 0;
    int n = snprintf(pending_tmp, sizeof(pending_tmp), "%.*s.%s.XXXXXX", (int)dir_len, out.target,
                     out.target + dir_len);
    if (n < 0 || (size_t)n >= sizeof(pending_tmp)) {
        pending_tmp[0] = '\0';
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkostemp(pending_tmp, O_CLOEXEC);
    if (fd < 0) {
        pending_tmp[0] = '\0';
        return -1;
    }
    if (fchmod(fd, mode) < 0) {
        int err = errno;
        close(fd);
        unlink(pending_tmp);
        pending_tmp[0] = '\0';
        errno = err;
        return -1;
    }
    return fd;
}

int outfile_open(const char *path, struct tifa_err *e)
{
    struct stat st, lst;
    int exists = stat(path, &st) == 0, fd;
    if (out.open)
        BUG("outfile_open: '%s' while '%s' is open", path, out.path);
    if (exists && S_ISDIR(st.st_mode))
        return fail(e, path, EISDIR);
    out.direct = exists && !S_ISREG(st.st_mode);
    out.target = NULL;
    if (exists && !out.direct && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        out.target = realpath(path, NULL);
    if (!out.target)
        out.target = xstrdup(path);
    if (out.direct) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    } else {
        mode_t mask = umask(0);
        umask(mask);
        /* install before the temporary exists: a signal in between would leave it behind */
        install_hooks();
        fd = make_temporary(exists ? st.st_mode & 07777 : 0666 & ~mask);
    }
    if (fd < 0) {
        int err = errno;
        free(out.target);
        out.target = NULL;
        return fail(e, path, err);
    }
    fflush(stdout);
    out.saved_stdout = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3); /* -1: stdout was closed */
    if (dup2(fd, STDOUT_FILENO) < 0) {
        int err = errno;
        close(fd);
        if (out.saved_stdout >= 0)
            close(out.saved_stdout);
        if (!out.direct) {
            unlink(pending_tmp);
            clear_pending();
        }
        free(out.target);
        out.target = NULL;
        return fail(e, path, err);
    }
    out.fd = fd;
    out.path = xstrdup(path);
    out.open = 1;
    return 0;
}

int outfile_is_open(void)
{
    return out.open;
}

const char *outfile_path(void)
{
    return out.open ? out.path : NULL;
}

/* Gives descriptor 1 back to what it was before outfile_open; returns the flush's errno or 0. */
static int restore_stdout(void)
{
    int err = 0;
    if (fflush(stdout) || ferror(stdout))
        err = errno ? errno : EIO;
    clearerr(stdout);
    if (out.saved_stdout >= 0) {
        dup2(out.saved_stdout, STDOUT_FILENO);
        close(out.saved_stdout);
    } else {
        close(STDOUT_FILENO);
    }
    out.saved_stdout = -1;
    return err;
}

static void forget(void)
{
    free(out.path);
    free(out.target);
    out.path = out.target = NULL;
    out.fd = -1;
    out.open = 0;
}

int outfile_commit(struct tifa_err *e)
{
    if (!out.open)
        return 0;
    errno = 0;
    int err = restore_stdout();
    if (!err && !out.direct && fsync(out.fd) < 0)
        err = errno;
    if (close(out.fd) < 0 && !err)
        err = errno;
    if (!out.direct) {
        if (!err && rename(pending_tmp, out.target) < 0)
            err = errno;
        if (err)
            unlink(pending_tmp);
        clear_pending();
    }
    if (err)
        fail(e, out.path, err);
    forget();
    return err ? TIFA_EIO : 0;
}

void outfile_discard(void)
{
    if (!out.open)
        return;
    restore_stdout();
    close(out.fd);
    if (!out.direct) {
        unlink(pending_tmp);
        clear_pending();
    }
    forget();
}
