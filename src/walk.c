/*
 * walk: expands files, folders, "-" and --files-from lists into sorted lists of files to read,
 * files skipped and paths that failed.
 *
 * How it works:
 *  - walk_add_arg() stat()s the argument (following symlinks). Anything that is not a folder
 *    is appended to files as explicit without being opened; a folder starts a walk.
 *  - A walk keeps one struct walker: the current path in a single sbuf (each entry appends
 *    "/" + name and truncates back afterwards, so building paths allocates only when the
 *    deepest path grows), the offset where the path relative to the argument starts (for
 *    globs), and the stack of (st_dev, st_ino) of the folders on the current recursion path.
 *  - walk_dir() opens the folder, fstat()s it and refuses it as "symlink loop" if its identity
 *    is already on the stack (a symlink, or a bind mount, leading back up). Otherwise it reads
 *    every entry into one name buffer (hidden names are dropped here), resolves what a symlink
 *    or a DT_UNKNOWN entry is with fstatat() on the open folder (one short lookup, not the
 *    whole path again), closes the folder before recursing (so open descriptors do not grow
 *    with depth), sorts the entries and visits them in order.
 *  - The order: entries compare as their names with "/" after a folder's name. Every path
 *    below folder "a" starts with "a/", so this puts the whole walk of an argument in strcmp
 *    order of the full paths ("a.txt" < "a/x.txt" < "ab.txt"), and its files are added to a
 *    run (a pathlist) already sorted: nothing is sorted or copied afterwards, and the paths
 *    share their folders, which the pathlist does not store again.
 *  - visit() classifies an entry from its (resolved) type; folders recurse; everything else
 *    must pass the globs, then special files are skipped, dangling symlinks are errors, and
 *    regular files are listed with WALK_SNIFF (unless o->binary): the reader applies the NUL
 *    rule while it reads them anyway (make bench: sniffing here was an open+read+close per
 *    file on the one thread that walks, 10 ms for 2,433 files and half the time for 100,000
 *    small ones).
 *  - Files named explicitly go to one unsorted list; walk_finish() sorts that one, then merges
 *    it and the runs of the folders (a heap of cursors), keeping each path once, and removes
 *    notes whose path is also in files (a merge of two sorted lists). With one folder and
 *    nothing else, its run simply becomes the result.
 * Invariants: every path and text in struct walk_result is owned by it; the walker's path sbuf
 * always holds the path of the folder or entry being handled; each run is in strcmp order.
 * Complexity: O(n log n) in the number of entries; one stat-like call per folder or symlink;
 * files are not opened. Memory: the result's pathlist (about 20 bytes a file) plus, while a
 * folder is read, its entries.
 */
#include "tifa/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "tifa/glob.h"
#include "tifa/sbuf.h"
#include "tifa/xalloc.h"

struct dir_id {
    dev_t dev;
    ino_t ino;
};

struct walker {
    struct walk_result *r;
    struct pathlist *run; /* where this argument's files go, in order */
    const struct walk_opts *o;
    struct sbuf path;     /* path being handled, as the user would see it */
    size_t rel_off;       /* path.buf + rel_off is the path relative to the argument */
    struct dir_id *stack; /* folders on the current recursion path, outermost first */
    size_t depth, stack_alloc;
    struct glob_set globs; /* walk_opts.globs, expanded */
};

struct dir_ent {
    union {
        size_t off;       /* while reading: into the folder's name buffer */
        const char *name; /* once the buffer is complete */
    } n;
    ino_t ino;          /* d_ino; for a symlink resolved, the target's */
    unsigned char type; /* d_type; a symlink or DT_UNKNOWN resolved when it could be */
    int err;            /* errno of that resolving (0: none) */
};

static const struct walk_opts default_opts;

void walk_result_init(struct walk_result *r)
{
    memset(r, 0, sizeof(*r));
    pathlist_init(&r->files);
    pathlist_init(&r->named);
}

static void release_runs(struct walk_result *r)
{
    for (size_t i = 0; i < r->nruns; i++)
        pathlist_release(&r->runs[i]);
    free(r->runs);
    r->runs = NULL;
    r->nruns = r->runs_alloc = 0;
    pathlist_release(&r->named);
}

void walk_result_release(struct walk_result *r)
{
    pathlist_release(&r->files);
    release_runs(r);
    note_list_release(&r->skipped);
    note_list_release(&r->errors);
    free(r->glob_hits);
    walk_result_init(r);
}

static void add_errno(struct walk_result *r, const char *path, int errnum)
{
    char msg[256];

    tifa_strerror(errnum, msg, sizeof(msg));
    note_list_add(&r->errors, path, msg);
}

/* Records why stat() of @path failed with @errnum, telling dangling symlinks apart. */
static void add_stat_error(struct walk_result *r, const char *path, int errnum)
{
    struct stat lst;

    if (errnum == ELOOP)
        note_list_add(&r->errors, path, "symlink loop");
    else if (errnum == ENOENT && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        note_list_add(&r->errors, path, "dangling symlink");
    else
        add_errno(r, path, errnum);
}

int walk_glob_ok(const struct walk_opts *o, const char *relpath)
{
    struct glob_set gs;
    struct tifa_err e;
    if (!o || !o->nglobs)
        return 1;
    tifa_err_init(&e);
    glob_set_init(&gs, o->globs, o->nglobs, &e);
    int ok = glob_set_match(&gs, relpath, NULL);
    glob_set_release(&gs);
    return ok;
}

/* Names compared as strcmp would compare the full paths below them: a folder's name is
 * followed by "/". */
static int cmp_dir_ent(const void *a, const void *b)
{
    const struct dir_ent *x = a, *y = b;
    const unsigned char *p = (const unsigned char *)x->n.name,
                        *q = (const unsigned char *)y->n.name;
    while (*p && *p == *q)
        p++, q++;
    int cp = *p ? *p : x->type == DT_DIR ? '/' : 0;
    int cq = *q ? *q : y->type == DT_DIR ? '/' : 0;
    return cp - cq;
}

static void walk_dir(struct walker *w);

/* 1 when @path is the command's output (walk_opts.skip_output): by @st when the caller has it,
 * else by @ino first (a directory entry's d_ino; 0: unknown), so that the files of a folder cost
 * a stat only when their inode number is the output's. */
static int is_output(const struct walk_opts *o, const char *path, const struct stat *st,
                     unsigned long long ino)
{
    struct stat own;
    int known = 0;
    if (!o->skip_output)
        return 0;
    for (int i = 0; i < o->skip_output; i++)
        known |= !ino || ino == o->output_ino[i];
    if (!known)
        return 0;
    if (!st) {
        if (stat(path, &own) < 0)
            return 0;
        st = &own;
    }
    for (int i = 0; i < o->skip_output; i++)
        if ((unsigned long long)st->st_dev == o->output_dev[i] &&
            (unsigned long long)st->st_ino == o->output_ino[i])
            return 1;
    return 0;
}

static unsigned char type_of_mode(mode_t m)
{
    return S_ISDIR(m) ? DT_DIR : S_ISREG(m) ? DT_REG : S_ISLNK(m) ? DT_LNK : DT_FIFO;
}

/* Resolves a symlink or DT_UNKNOWN entry of the open folder @dfd: its type (a symlink: its
 * target's, followed) and inode, or the errno in e->err, which visit() reports. */
static void resolve_entry(int dfd, struct dir_ent *e)
{
    struct stat st;
    if (e->type == DT_UNKNOWN) {
        if (fstatat(dfd, e->n.name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            e->err = errno;
            return;
        }
        e->type = type_of_mode(st.st_mode);
        e->ino = st.st_ino;
    }
    if (e->type == DT_LNK) {
        if (fstatat(dfd, e->n.name, &st, 0) < 0) {
            e->err = errno;
            return;
        }
        e->type = type_of_mode(st.st_mode);
        e->ino = st.st_ino;
    }
}

/* Handles entry @e (its name already appended to w->path). */
static void visit(struct walker *w, const struct dir_ent *e)
{
    const char *path = w->path.buf;
    unsigned char type = e->type;

    if (e->err) {
        if (type == DT_UNKNOWN)
            add_errno(w->r, path, e->err);
        else if (glob_set_match(&w->globs, path + w->rel_off, w->r->glob_hits))
            add_stat_error(w->r, path, e->err); /* a symlink that cannot be followed */
        return;
    }
    if (type == DT_DIR) {
        walk_dir(w);
        return;
    }
    if (!glob_set_match(&w->globs, path + w->rel_off, w->r->glob_hits))
        return;
    if (type != DT_REG) {
        note_list_add(&w->r->skipped, path, "not a regular file");
        return;
    }
    if (is_output(w->o, path, NULL, (unsigned long long)e->ino)) {
        note_list_add(&w->r->skipped, path, "output");
        return;
    }
    pathlist_add(w->run, path, w->o->binary ? 0 : WALK_SNIFF);
}

/* Walks the folder named by w->path. */
static void walk_dir(struct walker *w)
{
    struct sbuf names = SBUF_INIT;
    struct dir_ent *ents = NULL;
    size_t nents = 0, ents_alloc = 0, dir_len;
    struct dirent *de;
    struct stat st;
    DIR *d;

    if (w->depth > WALK_MAX_DEPTH) {
        note_list_add(&w->r->errors, w->path.buf, "too deep");
        return;
    }
    d = opendir(w->path.buf);
    if (!d) {
        add_errno(w->r, w->path.buf, errno);
        return;
    }
    if (fstat(dirfd(d), &st) < 0) {
        add_errno(w->r, w->path.buf, errno);
        closedir(d);
        return;
    }
    for (size_t i = 0; i < w->depth; i++) {
        if (w->stack[i].dev == st.st_dev && w->stack[i].ino == st.st_ino) {
            note_list_add(&w->r->errors, w->path.buf, "symlink loop");
            closedir(d);
            return;
        }
    }

    for (;;) {
        errno = 0;
        de = readdir(d);
        if (!de) {
            if (errno)
                add_errno(w->r, w->path.buf, errno);
            break;
        }
        if (de->d_name[0] == '.' &&
            (!w->o->hidden || !de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
            continue;
        ALLOC_GROW(ents, nents + 1, ents_alloc);
        ents[nents].n.off = names.len;
        ents[nents].type = de->d_type;
        ents[nents].ino = de->d_ino;
        ents[nents].err = 0;
        sbuf_add(&names, de->d_name, strlen(de->d_name) + 1);
        nents++;
    }
    for (size_t i = 0; i < nents; i++) {
        ents[i].n.name = names.buf + ents[i].n.off;
        if (ents[i].type == DT_LNK || ents[i].type == DT_UNKNOWN)
            resolve_entry(dirfd(d), &ents[i]);
    }
    closedir(d);
    if (nents > 1)
        qsort(ents, nents, sizeof(*ents), cmp_dir_ent);

    ALLOC_GROW(w->stack, w->depth + 1, w->stack_alloc);
    w->stack[w->depth].dev = st.st_dev;
    w->stack[w->depth].ino = st.st_ino;
    w->depth++;
    dir_len = w->path.len;
    for (size_t i = 0; i < nents; i++) {
        if (dir_len && w->path.buf[dir_len - 1] != '/')
            sbuf_addch(&w->path, '/');
        sbuf_addstr(&w->path, ents[i].n.name);
        visit(w, &ents[i]);
        w->path.len = dir_len;
        w->path.buf[dir_len] = '\0';
    }
    w->depth--;
    free(ents);
    sbuf_release(&names);
}

int walk_add_arg(struct walk_result *r, const char *arg, const struct walk_opts *o)
{
    struct walker w;
    struct stat st;
    size_t len = strlen(arg);

    if (!o)
        o = &default_opts;
    if (!strcmp(arg, "-")) {
        pathlist_add(&r->named, "-", WALK_EXPLICIT);
        return 0;
    }
    if (stat(arg, &st) < 0) {
        add_stat_error(r, arg, errno);
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (is_output(o, arg, &st, 0))
            note_list_add(&r->skipped, arg, "output");
        else
            pathlist_add(&r->named, arg, WALK_EXPLICIT);
        return 0;
    }
    memset(&w, 0, sizeof(w));
    ALLOC_GROW(r->runs, r->nruns + 1, r->runs_alloc);
    pathlist_init(&r->runs[r->nruns]);
    w.run = &r->runs[r->nruns++];
    w.r = r;
    w.o = o;
    sbuf_init(&w.path);
    sbuf_add(&w.path, arg, len);
    w.rel_off = len && arg[len - 1] == '/' ? len : len + 1;
    if (o->nglobs) {
        struct tifa_err e;
        tifa_err_init(&e);
        /* a bad pattern was refused with the options; here its good ones still apply */
        glob_set_init(&w.globs, o->globs, o->nglobs, &e);
        if (r->nglob_hits < o->nglobs) {
            r->glob_hits = xrealloc(r->glob_hits, o->nglobs);
            memset(r->glob_hits + r->nglob_hits, 0, o->nglobs - r->nglob_hits);
            r->nglob_hits = o->nglobs;
        }
    }
    r->folders_walked++;
    walk_dir(&w);
    glob_set_release(&w.globs);
    sbuf_release(&w.path);
    free(w.stack);
    return 0;
}

/* Reads all of @fd into @sb; returns 0 or an errno value. */
static int read_all(int fd, struct sbuf *sb)
{
    for (;;) {
        ssize_t n;

        sbuf_grow(sb, 65536);
        n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            return 0;
        sb->len += (size_t)n;
        sb->buf[sb->len] = '\0';
    }
}

int walk_add_files_from(struct walk_result *r, const char *listfile, int nul_sep,
                        const struct walk_opts *o, struct tifa_err *e)
{
    struct sbuf list = SBUF_INIT;
    char msg[256];
    int fd, err;
    char sep = nul_sep ? '\0' : '\n';
    size_t pos = 0;

    if (!strcmp(listfile, "-")) {
        fd = STDIN_FILENO;
    } else {
        fd = open(listfile, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            tifa_strerror(errno, msg, sizeof(msg));
            return tifa_err_set(e, TIFA_EIO, listfile, 0, -1, "%s", msg);
        }
    }
    err = read_all(fd, &list);
    if (fd != STDIN_FILENO)
        close(fd);
    if (err) {
        sbuf_release(&list);
        tifa_strerror(err, msg, sizeof(msg));
        return tifa_err_set(e, TIFA_EIO, listfile, 0, -1, "%s", msg);
    }

    /* list.buf[list.len] is a NUL, so every entry can be terminated in place. */
    while (pos < list.len) {
        char *start = list.buf + pos;
        char *end = memchr(start, sep, list.len - pos);
        size_t n;

        if (!end)
            end = list.buf + list.len;
        pos = (size_t)(end - list.buf) + 1;
        n = (size_t)(end - start);
        if (!nul_sep && n && start[n - 1] == '\r')
            n--;
        start[n] = '\0';
        if (n)
            walk_add_arg(r, start, o);
    }
    sbuf_release(&list);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The explicit files, sorted: their run. Repeats stay (the merge keeps one of each). */
static void sort_named(struct walk_result *r, struct pathlist *out)
{
    struct pathlist_cursor c;
    size_t n = pathlist_count(&r->named);
    char **v = xmalloc(st_mult(n + 1, sizeof(*v)));
    pathlist_cursor_init(&c, &r->named);
    for (size_t i = 0; i < n; i++)
        v[i] = xstrdup(pathlist_get(&c, i, NULL));
    pathlist_cursor_release(&c);
    if (n > 1)
        qsort(v, n, sizeof(*v), cmp_str);
    pathlist_init(out);
    for (size_t i = 0; i < n; i++) {
        pathlist_add(out, v[i], WALK_EXPLICIT);
        free(v[i]);
    }
    free(v);
}

/* One run being merged: a cursor at its next path. */
struct merge_head {
    struct pathlist_cursor c;
    size_t i, n;
    const char *path;
    unsigned flags;
};

static void head_load(struct merge_head *h)
{
    h->path = h->i < h->n ? pathlist_get(&h->c, h->i, &h->flags) : NULL;
}

/* A run that is done sorts last. */
static int head_less(const struct merge_head *a, const struct merge_head *b)
{
    return a->path && (!b->path || strcmp(a->path, b->path) < 0);
}

static void heap_down(struct merge_head **h, size_t n, size_t k)
{
    for (;;) {
        size_t m = k, l = 2 * k + 1, r = l + 1;
        if (l < n && head_less(h[l], h[m]))
            m = l;
        if (r < n && head_less(h[r], h[m]))
            m = r;
        if (m == k)
            return;
        struct merge_head *t = h[k];
        h[k] = h[m];
        h[m] = t;
        k = m;
    }
}

/* Merges the sorted @runs into r->files: each path once, WALK_EXPLICIT if any copy has it,
 * WALK_SNIFF only if every copy has it (a file named explicitly is read whatever it holds). */
static void merge_runs(struct walk_result *r, struct pathlist *runs, size_t nruns)
{
    struct merge_head *heads = xcalloc(nruns ? nruns : 1, sizeof(*heads));
    struct merge_head **heap = xmalloc(st_mult(nruns ? nruns : 1, sizeof(*heap)));
    struct sbuf pending = SBUF_INIT;
    unsigned pending_flags = 0;
    int have_pending = 0;
    for (size_t k = 0; k < nruns; k++) {
        pathlist_cursor_init(&heads[k].c, &runs[k]);
        heads[k].n = pathlist_count(&runs[k]);
        head_load(&heads[k]);
        heap[k] = &heads[k];
    }
    for (size_t k = nruns / 2; k-- > 0;)
        heap_down(heap, nruns, k);
    while (nruns && heap[0]->path) {
        struct merge_head *h = heap[0];
        if (have_pending && !strcmp(pending.buf, h->path)) {
            pending_flags |= h->flags & WALK_EXPLICIT;
            if (!(h->flags & WALK_SNIFF))
                pending_flags &= ~(unsigned)WALK_SNIFF;
        } else {
            if (have_pending)
                pathlist_add(&r->files, pending.buf, pending_flags);
            sbuf_reset(&pending);
            sbuf_addstr(&pending, h->path);
            pending_flags = h->flags;
            have_pending = 1;
        }
        if (pending_flags & WALK_EXPLICIT)
            pending_flags &= ~(unsigned)WALK_SNIFF;
        h->i++;
        head_load(h);
        heap_down(heap, nruns, 0);
    }
    if (have_pending)
        pathlist_add(&r->files, pending.buf, pending_flags);
    for (size_t k = 0; k < nruns; k++)
        pathlist_cursor_release(&heads[k].c);
    sbuf_release(&pending);
    free(heap);
    free(heads);
}

static int cmp_note(const void *a, const void *b)
{
    const struct note *x = a, *y = b;
    int c = strcmp(x->path, y->path);

    return c ? c : strcmp(x->text, y->text);
}

/* Sorts notes, drops repeated (path, text) pairs and notes about a path in @files (sorted). */
static void notes_finish(struct note_list *l, const struct pathlist *files)
{
    struct note *n = l->v;
    struct pathlist_cursor c;
    size_t j = 0, f = 0, nfiles = pathlist_count(files);
    const char *fp = NULL;

    if (l->n > 1)
        qsort(n, l->n, sizeof(*n), cmp_note);
    pathlist_cursor_init(&c, files);
    if (nfiles)
        fp = pathlist_get(&c, 0, NULL);
    for (size_t i = 0; i < l->n; i++) {
        int in_files;

        while (fp && strcmp(fp, n[i].path) < 0)
            fp = ++f < nfiles ? pathlist_get(&c, f, NULL) : NULL;
        in_files = fp && !strcmp(fp, n[i].path);
        if (in_files || (j && !cmp_note(&n[j - 1], &n[i]))) {
            free(n[i].path);
            free(n[i].text);
            continue;
        }
        n[j++] = n[i];
    }
    l->n = j;
    pathlist_cursor_release(&c);
}

void walk_finish(struct walk_result *r)
{
    pathlist_release(&r->files);
    if (!pathlist_count(&r->named) && r->nruns == 1) {
        r->files = r->runs[0]; /* one folder: its run is the result as it stands */
        r->nruns = 0;
    } else {
        ALLOC_GROW(r->runs, r->nruns + 1, r->runs_alloc);
        sort_named(r, &r->runs[r->nruns++]);
        merge_runs(r, r->runs, r->nruns);
    }
    release_runs(r);
    r->nfiles = pathlist_count(&r->files);
    notes_finish(&r->skipped, &r->files);
    notes_finish(&r->errors, &r->files);
}

void walk_sort_notes(struct walk_result *r)
{
    note_list_sort(&r->skipped);
    note_list_sort(&r->errors);
}
