/*
 * test_walk: unit tests for walk (argument expansion, hidden rule, globs, binary sniff,
 * symlinks, --files-from, dedup, path joining, scale).
 *
 * Each test gets a fresh folder from mkdtemp() (setup) that teardown removes, restoring the
 * working directory and permissions first. After every walk_finish() check_invariants()
 * re-checks the ordering and ownership invariants of struct walk_result.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "tifa/walk.h"

struct fix {
    char root[64];
    char cwd[PATH_MAX];
};

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP || flag == FTW_D)
        chmod(path, 0700);
    return remove(path) < 0 ? -1 : 0;
}

/* Gives back permissions so that the tree can be removed (the EACCES test takes them). */
static int chmod_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    if (flag == FTW_D || flag == FTW_DNR || (flag == FTW_F && S_ISREG(st->st_mode)))
        chmod(path, 0700);
    return 0;
}

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    if (!f || !getcwd(f->cwd, sizeof(f->cwd)))
        return -1;
    strcpy(f->root, "/tmp/tifa-walk-XXXXXX");
    if (!mkdtemp(f->root))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;
    int rc;

    if (chdir(f->cwd) < 0)
        return -1;
    chmod(f->root, 0700);
    nftw(f->root, chmod_one, 64, FTW_PHYS);
    rc = nftw(f->root, rm_one, 64, FTW_DEPTH | FTW_PHYS);
    free(f);
    return rc;
}

/* Returns root + "/" + rel in a rotating static buffer (enough for one expression). */
static const char *P(const struct fix *f, const char *rel)
{
    static char bufs[8][PATH_MAX];
    static int next;
    char *b = bufs[next++ % 8];

    snprintf(b, PATH_MAX, "%s/%s", f->root, rel);
    return b;
}

static void mkdir_rel(const struct fix *f, const char *rel)
{
    assert_int_equal(mkdir(P(f, rel), 0755), 0);
}

static void write_rel(const struct fix *f, const char *rel, const void *data, size_t len)
{
    int fd = open(P(f, rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
}

static void touch_rel(const struct fix *f, const char *rel)
{
    write_rel(f, rel, "x\n", 2);
}

static void symlink_rel(const struct fix *f, const char *target, const char *rel)
{
    assert_int_equal(symlink(target, P(f, rel)), 0);
}

/* Path @i of r->files, copied (a ring of 8, so an assertion can hold two). */
static const char *file_path(const struct walk_result *r, size_t i)
{
    static char ring[8][4096];
    static unsigned next;
    struct pathlist_cursor c;
    char *out = ring[next++ % 8];
    pathlist_cursor_init(&c, &r->files);
    snprintf(out, sizeof(ring[0]), "%s", pathlist_get(&c, i, NULL));
    pathlist_cursor_release(&c);
    return out;
}

/* Whether file @i has @flag (WALK_EXPLICIT, WALK_SNIFF): 1 or 0. */
static int file_has(const struct walk_result *r, size_t i, unsigned flag)
{
    struct pathlist_cursor c;
    unsigned flags;
    pathlist_cursor_init(&c, &r->files);
    pathlist_get(&c, i, &flags);
    pathlist_cursor_release(&c);
    return (flags & flag) != 0;
}

static void check_invariants(const struct walk_result *r)
{
    for (size_t i = 0; i < r->nfiles; i++) {
        assert_non_null(file_path(r, i));
        assert_true(file_has(r, i, WALK_EXPLICIT) == 0 || file_has(r, i, WALK_EXPLICIT) == 1);
        if (i)
            assert_true(strcmp(file_path(r, i - 1), file_path(r, i)) < 0);
    }
    for (size_t i = 0; i < r->skipped.n; i++) {
        assert_non_null(r->skipped.v[i].path);
        assert_non_null(r->skipped.v[i].text);
        if (i)
            assert_true(strcmp(r->skipped.v[i - 1].path, r->skipped.v[i].path) <= 0);
    }
    for (size_t i = 0; i < r->errors.n; i++) {
        assert_non_null(r->errors.v[i].path);
        assert_non_null(r->errors.v[i].text);
        if (i)
            assert_true(strcmp(r->errors.v[i - 1].path, r->errors.v[i].path) <= 0);
    }
    assert_int_equal(r->nfiles, pathlist_count(&r->files));
}

/* Asserts that r->files from index @from on is exactly root/rel[0..n) (in this order). */
static void expect_files_from(const struct fix *f, const struct walk_result *r, size_t from,
                              const char *const *rel, size_t n)
{
    for (size_t i = 0; i < n && from + i < r->nfiles; i++)
        assert_string_equal(file_path(r, from + i), P(f, rel[i]));
    assert_int_equal(r->nfiles, from + n);
}

/* Asserts that r->files is exactly root/rel[0..n) (in this order). */
static void expect_files(const struct fix *f, const struct walk_result *r, const char *const *rel,
                         size_t n)
{
    expect_files_from(f, r, 0, rel, n);
}

static void expect_notes(const struct fix *f, const struct note_list *notes, const char *const *rel,
                         const char *const *text, size_t n)
{
    for (size_t i = 0; i < n && i < notes->n; i++) {
        assert_string_equal(notes->v[i].path, P(f, rel[i]));
        assert_string_equal(notes->v[i].text, text[i]);
    }
    assert_int_equal(notes->n, n);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Walks root (with @o) and finishes. */
static void walk_root(const struct fix *f, struct walk_result *r, const struct walk_opts *o)
{
    walk_result_init(r);
    assert_int_equal(walk_add_arg(r, f->root, o), 0);
    walk_finish(r);
    check_invariants(r);
}

static void test_sorted_nested(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    /* "b" (folder) < "b-c.txt" < "b.txt" by name, but "b-c.txt" < "b.txt" < "b/x.txt" by path */
    static const char *const want[] = {
        "a/z/y.txt", "b-c.txt", "b.txt", "b/x.txt", "b/y/z.txt", "c.txt", "\xff\xfe.txt",
    };

    mkdir_rel(f, "a");
    mkdir_rel(f, "a/z");
    mkdir_rel(f, "b");
    mkdir_rel(f, "b/y");
    touch_rel(f, "c.txt");
    touch_rel(f, "\xff\xfe.txt");
    touch_rel(f, "b/y/z.txt");
    touch_rel(f, "b/x.txt");
    touch_rel(f, "b.txt");
    touch_rel(f, "b-c.txt");
    touch_rel(f, "a/z/y.txt");
    walk_root(f, &r, NULL);
    expect_files(f, &r, want, N(want));
    for (size_t i = 0; i < r.nfiles; i++)
        assert_int_equal(file_has(&r, i, WALK_EXPLICIT), 0);
    assert_int_equal(r.skipped.n, 0);
    assert_int_equal(r.errors.n, 0);
    walk_result_release(&r);
    assert_int_equal(r.nfiles, 0);
    assert_int_equal(pathlist_count(&r.files), 0);
}

static void test_hidden(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    struct walk_opts o = {0};
    static const char *const want_default[] = {"v.txt"};
    static const char *const want_hidden[] = {".h.txt", ".hd/.y.txt", ".hd/x.txt", "v.txt"};
    static const char *const want_in_hd[] = {".hd/x.txt"};

    touch_rel(f, ".h.txt");
    touch_rel(f, "v.txt");
    mkdir_rel(f, ".hd");
    touch_rel(f, ".hd/x.txt");
    touch_rel(f, ".hd/.y.txt");

    walk_root(f, &r, &o);
    expect_files(f, &r, want_default, N(want_default));
    assert_int_equal(r.skipped.n, 0);
    assert_int_equal(r.errors.n, 0);
    walk_result_release(&r);

    o.hidden = 1;
    walk_root(f, &r, &o);
    expect_files(f, &r, want_hidden, N(want_hidden));
    walk_result_release(&r);

    /* explicitly named hidden file and folder are used; hidden entries below are not */
    o.hidden = 0;
    walk_result_init(&r);
    walk_add_arg(&r, P(f, ".h.txt"), &o);
    walk_add_arg(&r, P(f, ".hd"), &o);
    walk_finish(&r);
    check_invariants(&r);
    assert_int_equal(r.nfiles, 2);
    assert_string_equal(file_path(&r, 0), P(f, ".h.txt"));
    assert_int_equal(file_has(&r, 0, WALK_EXPLICIT), 1);
    expect_files_from(f, &r, 1, want_in_hd, 1);
    assert_int_equal(file_has(&r, 1, WALK_EXPLICIT), 0);
    walk_result_release(&r);
}

static void test_glob_ok(void **state)
{
    static const char *const g1[] = {"*.txt"};
    static const char *const g2[] = {"!*.md"};
    static const char *const g3[] = {"*.txt", "!sub/*"};
    static const char *const g4[] = {"!sub/*", "*.txt"};
    static const char *const g5[] = {"c.txt"};
    static const char *const g6[] = {"sub/c*"};
    static const char *const g7[] = {"**/c.txt"};
    static const char *const g8[] = {"/c.txt"};
    struct walk_opts o = {0};

    (void)state;
    assert_true(walk_glob_ok(NULL, "x"));
    assert_true(walk_glob_ok(&o, "x"));
#define SET(g) (o.globs = (g), o.nglobs = N(g))
    SET(g1);
    assert_true(walk_glob_ok(&o, "a.txt"));
    assert_true(walk_glob_ok(&o, "sub/deep/a.txt"));
    assert_false(walk_glob_ok(&o, "a.md"));
    assert_false(walk_glob_ok(&o, "a.txt/b.md"));
    SET(g2);
    assert_true(walk_glob_ok(&o, "a.txt"));
    assert_false(walk_glob_ok(&o, "sub/a.md"));
    SET(g3);
    assert_true(walk_glob_ok(&o, "a.txt"));
    assert_false(walk_glob_ok(&o, "sub/a.txt"));
    assert_false(walk_glob_ok(&o, "a.md"));
    SET(g4);
    assert_true(walk_glob_ok(&o, "sub/a.txt"));
    assert_false(walk_glob_ok(&o, "sub/a.md"));
    assert_false(walk_glob_ok(&o, "a.md"));
    SET(g5);
    assert_true(walk_glob_ok(&o, "c.txt"));
    assert_true(walk_glob_ok(&o, "sub/c.txt"));
    assert_false(walk_glob_ok(&o, "sub/xc.txt"));
    SET(g6);
    assert_true(walk_glob_ok(&o, "sub/c.txt"));
    assert_true(walk_glob_ok(&o, "sub/cc/d.md"));
    assert_false(walk_glob_ok(&o, "c.txt"));
    assert_false(walk_glob_ok(&o, "x/sub/c.txt"));
    SET(g7);
    assert_true(walk_glob_ok(&o, "c.txt"));
    assert_true(walk_glob_ok(&o, "a/b/c.txt"));
    assert_false(walk_glob_ok(&o, "a/bc.txt"));
    SET(g8);
    assert_true(walk_glob_ok(&o, "c.txt"));
    assert_false(walk_glob_ok(&o, "a/c.txt"));
#undef SET
}

static void test_globs_walk(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    struct walk_opts o = {0};
    static const char *const inc[] = {"*.txt"};
    static const char *const exc[] = {"!*.md"};
    static const char *const last1[] = {"*.txt", "!sub/*"};
    static const char *const last2[] = {"!sub/*", "*.txt"};
    static const char *const base[] = {"c.txt"};
    static const char *const want_inc[] = {"a.txt", "sub/c.txt"};
    static const char *const want_exc[] = {"a.txt", "sub/c.txt", "sub/keep.bak"};
    static const char *const want_last1[] = {"a.txt"};
    static const char *const want_base[] = {"sub/c.txt"};

    touch_rel(f, "a.txt");
    touch_rel(f, "b.md");
    mkdir_rel(f, "sub");
    touch_rel(f, "sub/c.txt");
    touch_rel(f, "sub/d.md");
    touch_rel(f, "sub/keep.bak");
    write_rel(f, "sub/bin.md", "a\0b", 3); /* binary but excluded: not in skipped */

    o.globs = inc, o.nglobs = N(inc);
    walk_root(f, &r, &o);
    expect_files(f, &r, want_inc, N(want_inc));
    assert_int_equal(r.skipped.n, 0);
    walk_result_release(&r);

    o.globs = exc, o.nglobs = N(exc);
    walk_root(f, &r, &o);
    expect_files(f, &r, want_exc, N(want_exc));
    assert_int_equal(r.skipped.n, 0);
    walk_result_release(&r);

    o.globs = last1, o.nglobs = N(last1);
    walk_root(f, &r, &o);
    expect_files(f, &r, want_last1, N(want_last1));
    walk_result_release(&r);

    o.globs = last2, o.nglobs = N(last2);
    walk_root(f, &r, &o);
    expect_files(f, &r, want_inc, N(want_inc));
    walk_result_release(&r);

    o.globs = base, o.nglobs = N(base);
    walk_root(f, &r, &o);
    expect_files(f, &r, want_base, N(want_base));
    walk_result_release(&r);

    /* an explicit file is not subject to globs */
    o.globs = inc, o.nglobs = N(inc);
    walk_result_init(&r);
    walk_add_arg(&r, P(f, "b.md"), &o);
    walk_finish(&r);
    assert_int_equal(r.nfiles, 1);
    assert_string_equal(file_path(&r, 0), P(f, "b.md"));
    walk_result_release(&r);

    /* globs see the path relative to the argument, not to the root of the file system */
    static const char *const rel[] = {"sub/*"};
    o.globs = rel, o.nglobs = N(rel);
    walk_result_init(&r);
    walk_add_arg(&r, P(f, "sub/"), &o);
    walk_finish(&r);
    assert_int_equal(r.nfiles, 0);
    walk_result_release(&r);
}

/* The walk does not open files: files found in folders are listed with .sniff set (the
 * reader applies the binary rule, tests/cli/0518), unless walk_opts.binary; explicit ones never. */
static void test_binary(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    struct walk_opts o = {0};
    static const char *const want[] = {"bin", "text"};

    write_rel(f, "bin", "a\0b", 3);
    write_rel(f, "text", "hello\n", 6);

    walk_root(f, &r, &o);
    expect_files(f, &r, want, N(want));
    assert_int_equal(file_has(&r, 0, WALK_SNIFF), 1);
    assert_int_equal(file_has(&r, 1, WALK_SNIFF), 1);
    assert_int_equal(r.skipped.n, 0);
    assert_int_equal(r.errors.n, 0);
    /* the reader's verdicts join the lists, in path order */
    note_list_add(&r.skipped, P(f, "text"), "binary");
    note_list_add(&r.skipped, P(f, "bin"), "binary");
    note_list_add(&r.errors, P(f, "text"), "read error at byte 0: input/output error");
    note_list_add(&r.errors, P(f, "bin"), "cannot open: permission denied");
    walk_sort_notes(&r);
    assert_string_equal(r.skipped.v[0].path, P(f, "bin"));
    assert_string_equal(r.skipped.v[1].path, P(f, "text"));
    assert_string_equal(r.errors.v[0].path, P(f, "bin"));
    assert_string_equal(r.errors.v[1].text, "read error at byte 0: input/output error");
    walk_result_release(&r);

    o.binary = 1;
    walk_root(f, &r, &o);
    expect_files(f, &r, want, N(want));
    assert_int_equal(file_has(&r, 0, WALK_SNIFF), 0);
    assert_int_equal(file_has(&r, 1, WALK_SNIFF), 0);
    walk_result_release(&r);

    /* explicit binary file is kept and not sniffed */
    walk_result_init(&r);
    walk_add_arg(&r, P(f, "bin"), NULL);
    walk_finish(&r);
    assert_int_equal(r.nfiles, 1);
    assert_string_equal(file_path(&r, 0), P(f, "bin"));
    assert_int_equal(file_has(&r, 0, WALK_EXPLICIT), 1);
    assert_int_equal(file_has(&r, 0, WALK_SNIFF), 0);
    assert_int_equal(r.skipped.n, 0);
    walk_result_release(&r);
}

static void test_symlink_file_and_folder(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    static const char *const want[] = {"d/link.txt", "d/real.txt", "d/to-o/x.txt"};

    mkdir_rel(f, "d");
    mkdir_rel(f, "o");
    touch_rel(f, "d/real.txt");
    touch_rel(f, "o/x.txt");
    symlink_rel(f, "real.txt", "d/link.txt");
    symlink_rel(f, "../o", "d/to-o");

    walk_result_init(&r);
    walk_add_arg(&r, P(f, "d"), NULL);
    walk_finish(&r);
    check_invariants(&r);
    expect_files(f, &r, want, N(want));
    assert_int_equal(r.errors.n, 0);
    walk_result_release(&r);
}

static void test_symlink_loop(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    static const char *const want[] = {"a/f.txt"};
    static const char *const err1[] = {"a/b"};
    static const char *const err2[] = {"a/b/a"};
    static const char *const err3[] = {"self"};
    static const char *const loop[] = {"symlink loop"};

    mkdir_rel(f, "a");
    touch_rel(f, "a/f.txt");
    symlink_rel(f, "..", "a/b");

    walk_root(f, &r, NULL);
    expect_files(f, &r, want, N(want));
    expect_notes(f, &r.errors, err1, loop, 1);
    walk_result_release(&r);

    /* starting below the loop: a/b leads to root, whose a is already on the path */
    walk_result_init(&r);
    walk_add_arg(&r, P(f, "a"), NULL);
    walk_finish(&r);
    check_invariants(&r);
    expect_files(f, &r, want, N(want));
    expect_notes(f, &r.errors, err2, loop, 1);
    walk_result_release(&r);

    /* a symlink to itself (ELOOP), explicit and found */
    assert_int_equal(unlink(P(f, "a/b")), 0);
    symlink_rel(f, "self", "self");
    walk_root(f, &r, NULL);
    expect_files(f, &r, want, N(want));
    expect_notes(f, &r.errors, err3, loop, 1);
    walk_result_release(&r);
    walk_result_init(&r);
    walk_add_arg(&r, P(f, "self"), NULL);
    walk_finish(&r);
    expect_notes(f, &r.errors, err3, loop, 1);
    assert_int_equal(r.nfiles, 0);
    walk_result_release(&r);
}

static void test_dangling_and_missing(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    static const char *const want[] = {"ok.txt"};
    static const char *const err_rel[] = {"dang", "nope"};
    static const char *const err_txt[] = {"dangling symlink", "no such file or directory"};

    touch_rel(f, "ok.txt");
    symlink_rel(f, "does-not-exist", "dang");

    walk_root(f, &r, NULL);
    expect_files(f, &r, want, N(want));
    expect_notes(f, &r.errors, err_rel, err_txt, 1);
    walk_result_release(&r);

    walk_result_init(&r);
    walk_add_arg(&r, P(f, "nope"), NULL);
    walk_add_arg(&r, P(f, "dang"), NULL);
    walk_finish(&r);
    check_invariants(&r);
    assert_int_equal(r.nfiles, 0);
    expect_notes(f, &r.errors, err_rel, err_txt, 2);
    walk_result_release(&r);
}

static void test_permission_denied(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    static const char *const want[] = {"ok.txt"};
    static const char *const err_rel[] = {"locked", "secret.txt"};
    static const char *const err_txt[] = {"permission denied", "permission denied"};

    if (geteuid() == 0)
        skip(); /* root reads anything: permission bits cannot be tested */
    touch_rel(f, "ok.txt");
    touch_rel(f, "secret.txt");
    mkdir_rel(f, "locked");
    touch_rel(f, "locked/x.txt");
    assert_int_equal(chmod(P(f, "secret.txt"), 0), 0);
    assert_int_equal(chmod(P(f, "locked"), 0), 0);
    walk_root(f, &r, NULL);
    chmod(P(f, "locked"), 0755);
    expect_files(f, &r, want, N(want));
    expect_notes(f, &r.errors, err_rel, err_txt, 2);
    walk_result_release(&r);
}

static void test_special_files(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    static const char *const want[] = {"ok.txt"};
    static const char *const skip_rel[] = {"fifo"};
    static const char *const skip_why[] = {"not a regular file"};

    touch_rel(f, "ok.txt");
    assert_int_equal(mkfifo(P(f, "fifo"), 0644), 0);
    walk_root(f, &r, NULL);
    expect_files(f, &r, want, N(want));
    expect_notes(f, &r.skipped, skip_rel, skip_why, 1);
    walk_result_release(&r);

    /* named explicitly, a FIFO is a file to read (and walk must not open it: no hang) */
    walk_result_init(&r);
    walk_add_arg(&r, P(f, "fifo"), NULL);
    walk_add_arg(&r, "/dev/stdin", NULL);
    walk_finish(&r);
    assert_int_equal(r.nfiles, 2);
    assert_string_equal(file_path(&r, 0), "/dev/stdin");
    assert_string_equal(file_path(&r, 1), P(f, "fifo"));
    assert_int_equal(r.skipped.n + r.errors.n, 0);
    walk_result_release(&r);
}

static void write_list(const struct fix *f, const char *rel, const char *const *items, size_t n,
                       const char *seps, size_t seplen, int trailing)
{
    char buf[8192];
    size_t len = 0;

    for (size_t i = 0; i < n; i++) {
        const char *p = items[i][0] ? P(f, items[i]) : "";
        size_t l = strlen(p);

        assert_true(len + l + seplen < sizeof(buf));
        memcpy(buf + len, p, l);
        len += l;
        if (i + 1 < n || trailing) {
            memcpy(buf + len, seps, seplen);
            len += seplen;
        }
    }
    write_rel(f, rel, buf, len);
}

static void test_files_from_lines(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    struct tifa_err e;
    static const char *const want[] = {"a.txt", "b.txt", "d/x.txt"};
    static const char *const err_rel[] = {"nope"};
    static const char *const err_txt[] = {"no such file or directory"};
    static const char *const items[] = {"a.txt", "", "d\r", "nope", "b.txt"};

    touch_rel(f, "a.txt");
    touch_rel(f, "b.txt");
    mkdir_rel(f, "d");
    touch_rel(f, "d/x.txt");
    write_list(f, "list", items, N(items), "\n", 1, 0); /* last line without newline */

    walk_result_init(&r);
    tifa_err_init(&e);
    assert_int_equal(walk_add_files_from(&r, P(f, "list"), 0, NULL, &e), 0);
    assert_int_equal(e.code, 0);
    walk_finish(&r);
    check_invariants(&r);
    expect_files(f, &r, want, N(want));
    assert_int_equal(file_has(&r, 0, WALK_EXPLICIT), 1);
    assert_int_equal(file_has(&r, 1, WALK_EXPLICIT), 1);
    assert_int_equal(file_has(&r, 2, WALK_EXPLICIT), 0);
    expect_notes(f, &r.errors, err_rel, err_txt, 1);
    walk_result_release(&r);

    /* the same list on standard input */
    int saved = dup(STDIN_FILENO), fd = open(P(f, "list"), O_RDONLY);
    assert_true(saved >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    close(fd);
    walk_result_init(&r);
    tifa_err_init(&e);
    assert_int_equal(walk_add_files_from(&r, "-", 0, NULL, &e), 0);
    assert_true(fcntl(STDIN_FILENO, F_GETFD) >= 0); /* standard input is not closed */
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    walk_finish(&r);
    expect_files(f, &r, want, N(want));
    expect_notes(f, &r.errors, err_rel, err_txt, 1);
    walk_result_release(&r);

    /* a list that cannot be read is the only error, and nothing is added */
    walk_result_init(&r);
    tifa_err_init(&e);
    assert_int_equal(walk_add_files_from(&r, P(f, "no-list"), 0, NULL, &e), TIFA_EIO);
    assert_int_equal(e.code, TIFA_EIO);
    assert_string_equal(e.path, P(f, "no-list"));
    assert_string_equal(e.msg, "no such file or directory");
    tifa_err_init(&e);
    assert_int_equal(walk_add_files_from(&r, P(f, "d"), 0, NULL, &e), TIFA_EIO);
    assert_string_equal(e.msg, "is a directory");
    assert_int_equal(r.nfiles + r.skipped.n + r.errors.n, 0);
    walk_result_release(&r);
}

static void test_files_from_nul(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    struct tifa_err e;
    static const char *const want[] = {"a.txt", "d/x.txt", "x\ny.txt\r"};
    static const char *const items[] = {"x\ny.txt\r", "a.txt", "", "d"};

    touch_rel(f, "a.txt");
    touch_rel(f, "x\ny.txt\r");
    mkdir_rel(f, "d");
    touch_rel(f, "d/x.txt");
    write_list(f, "list0", items, N(items), "", 1, 1);

    walk_result_init(&r);
    tifa_err_init(&e);
    assert_int_equal(walk_add_files_from(&r, P(f, "list0"), 1, NULL, &e), 0);
    walk_finish(&r);
    check_invariants(&r);
    expect_files(f, &r, want, N(want));
    assert_int_equal(r.errors.n, 0);
    walk_result_release(&r);
}

static void test_dedup(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    static const char *const want[] = {"a.txt", "bin.dat", "c.txt"};

    touch_rel(f, "a.txt");
    touch_rel(f, "c.txt");
    write_rel(f, "bin.dat", "\0", 1);
    symlink_rel(f, "nowhere", "dang");

    walk_result_init(&r);
    walk_add_arg(&r, P(f, "a.txt"), NULL);
    walk_add_arg(&r, f->root, NULL);
    walk_add_arg(&r, P(f, "a.txt"), NULL);
    walk_add_arg(&r, f->root, NULL);
    walk_add_arg(&r, P(f, "bin.dat"), NULL);
    walk_add_arg(&r, "-", NULL);
    walk_add_arg(&r, "-", NULL);
    walk_finish(&r);
    check_invariants(&r);
    assert_int_equal(r.nfiles, N(want) + 1);
    assert_string_equal(file_path(&r, 0), "-");
    assert_int_equal(file_has(&r, 0, WALK_EXPLICIT), 1);
    expect_files_from(f, &r, 1, want, N(want));
    assert_int_equal(file_has(&r, 1, WALK_EXPLICIT), 1); /* a.txt: explicit wins */
    assert_int_equal(file_has(&r, 2, WALK_EXPLICIT), 1); /* bin.dat */
    assert_int_equal(file_has(&r, 2, WALK_SNIFF), 0); /* found in the folder too: explicit wins */
    assert_int_equal(file_has(&r, 3, WALK_EXPLICIT), 0); /* c.txt: found twice */
    assert_int_equal(r.skipped.n, 0);                    /* bin.dat named explicitly */
    assert_int_equal(r.errors.n, 1);                     /* dang, reported once */
    walk_result_release(&r);

    /* found first, named later: still explicit */
    walk_result_init(&r);
    walk_add_arg(&r, f->root, NULL);
    walk_add_arg(&r, P(f, "c.txt"), NULL);
    walk_finish(&r);
    check_invariants(&r);
    static const char *const want2[] = {"a.txt", "bin.dat", "c.txt"}; /* bin.dat: .sniff */
    expect_files(f, &r, want2, N(want2));
    assert_int_equal(file_has(&r, 0, WALK_EXPLICIT), 0);
    assert_int_equal(file_has(&r, 1, WALK_SNIFF), 1);
    assert_int_equal(file_has(&r, 2, WALK_EXPLICIT), 1);
    assert_int_equal(file_has(&r, 2, WALK_SNIFF), 0); /* c.txt: found first, named later */
    walk_result_release(&r);
}

static void test_join(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    static const char *const args[] = {".", "./", "sub", "sub/", "sub//"};
    static const char *const want[] = {"./sub/x.txt", "./sub/x.txt", "sub/x.txt", "sub/x.txt",
                                       "sub//x.txt"};

    mkdir_rel(f, "sub");
    touch_rel(f, "sub/x.txt");
    assert_int_equal(chdir(f->root), 0);
    for (size_t i = 0; i < N(args); i++) {
        walk_result_init(&r);
        walk_add_arg(&r, args[i], NULL);
        walk_finish(&r);
        assert_int_equal(r.nfiles, 1);
        assert_string_equal(file_path(&r, 0), want[i]);
        walk_result_release(&r);
    }
    /* absolute folder with a trailing slash */
    walk_result_init(&r);
    walk_add_arg(&r, P(f, "sub/"), NULL);
    walk_finish(&r);
    assert_int_equal(r.nfiles, 1);
    assert_string_equal(file_path(&r, 0), P(f, "sub/x.txt"));
    walk_result_release(&r);
}

static double now_sec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_many_files(void **state)
{
    const struct fix *f = *state;
    struct walk_result r;
    const char *env = getenv("TIFA_WALK_MANY"); /* smaller counts for slow runs (valgrind) */
    const size_t n = env && atol(env) > 0 ? (size_t)atol(env) : 100000;
    const size_t step = n % 7919 ? 7919 : 1; /* creation order unlike name order */
    char name[32];
    double t0, t1, t2;
    int dfd;

    mkdir_rel(f, "many");
    dfd = open(P(f, "many"), O_RDONLY | O_DIRECTORY);
    assert_true(dfd >= 0);
    t0 = now_sec();
    for (size_t i = 0; i < n; i++) {
        int fd;

        snprintf(name, sizeof(name), "f%06zu.txt", (n - 1 - i) * step % n);
        fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL, 0644);
        assert_true(fd >= 0);
        close(fd);
    }
    close(dfd);
    t1 = now_sec();
    walk_result_init(&r);
    walk_add_arg(&r, P(f, "many"), NULL);
    walk_finish(&r);
    t2 = now_sec();
    check_invariants(&r);
    assert_int_equal(r.nfiles, n);
    assert_int_equal(r.skipped.n + r.errors.n, 0);
    snprintf(name, sizeof(name), "many/f%06zu.txt", (size_t)0);
    assert_string_equal(file_path(&r, 0), P(f, name));
    snprintf(name, sizeof(name), "many/f%06zu.txt", n - 1);
    assert_string_equal(file_path(&r, n - 1), P(f, name));
    fprintf(stderr, "walk: %zu files created in %.3f s, walked in %.3f s\n", n, t1 - t0, t2 - t1);
    walk_result_release(&r);
}

/* Random trees of names that sort around "/" ("a", "a.b", "a-", "a0", "ab"; folders, files and
 * symlinks to folders): the walk lists exactly the files, in strcmp order of the full paths,
 * which it gets without sorting them (walk.c). */
static void test_random_tree_order(void **state)
{
    const struct fix *f = *state;
    static const char *const names[] = {"a", "a.b", "a-", "a0", "ab", "b", "a.", "-"};
    unsigned seed = 2026;
    char rel[256];
    for (int round = 0; round < 20; round++) {
        size_t nfiles = 0;
        snprintf(rel, sizeof(rel), "t%d", round);
        mkdir_rel(f, rel);
        /* folders to depth 3, each entry a folder, a file or (once a folder exists) a link */
        char dirs[64][128];
        size_t ndirs = 1;
        snprintf(dirs[0], sizeof(dirs[0]), "t%d", round);
        for (size_t d = 0; d < ndirs && d < 64; d++) {
            for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
                seed = seed * 1103515245u + 12345u;
                unsigned what = (seed >> 16) % 4; /* 0 none, 1 file, 2 folder, 3 link */
                int depth = 0;
                for (const char *p = dirs[d]; *p; p++)
                    depth += *p == '/';
                assert_true(snprintf(rel, sizeof(rel), "%s/%s", dirs[d], names[k]) <
                            (int)sizeof(rel));
                if (what == 1 || (what == 2 && (depth >= 3 || ndirs == 64))) {
                    touch_rel(f, rel);
                    nfiles++;
                } else if (what == 2) {
                    mkdir_rel(f, rel);
                    assert_true(strlen(rel) < sizeof(dirs[0]));
                    memcpy(dirs[ndirs++], rel, strlen(rel) + 1);
                } else if (what == 3 && d == 0) {
                    symlink_rel(f, "/nonexistent-dir/x", rel); /* a dangling link: an error */
                }
            }
        }
        struct walk_result r;
        snprintf(rel, sizeof(rel), "t%d", round);
        walk_result_init(&r);
        walk_add_arg(&r, P(f, rel), NULL);
        walk_finish(&r);
        check_invariants(&r); /* strictly increasing by strcmp */
        assert_int_equal(r.nfiles, nfiles);
        walk_result_release(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sorted_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hidden, setup, teardown),
        cmocka_unit_test(test_glob_ok),
        cmocka_unit_test_setup_teardown(test_globs_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_binary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_file_and_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dangling_and_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permission_denied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_special_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_from_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_from_nul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dedup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_join, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_tree_order, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
