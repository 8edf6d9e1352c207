/*
 * glob: the --glob patterns: braces expanded once, then matched against paths found in folders.
 *
 * Owns: brace expansion, the segment matcher, and the verdict of a list of patterns (the last
 * matching one wins). Must not: walk folders, print or know about options.
 *
 * Rules (ripgrep's and gitignore's, in a small subset):
 *  - Braces expand first: "*.{txt,md}" is "*.txt" and "*.md"; groups nest ("{a,b{1,2}}") and
 *    combine ("{a,b}/{x,y}" is four patterns). A group without a comma ("{x}") is literal text;
 *    "\{", "\}" and "\," are literal. Braces that do not pair up, or more than
 *    GLOB_MAX_EXPANSIONS patterns from one --glob, are an error (TIFA_EUSAGE).
 *  - A pattern without '/' is matched with fnmatch(3), no flags, against the base name and
 *    against the whole relative path: "*.txt" and "c.txt" match "sub/c.txt".
 *  - A pattern with '/' is matched segment by segment against the relative path (a leading or
 *    trailing '/' is dropped): each segment with fnmatch(3), so '*' and '?' stay within one
 *    folder name, and a segment "**" stands for zero or more whole folders, anywhere: the
 *    pattern of segments xwlb, ** and 2020* (the README's example) matches "xwlb/2020.txt" and
 *    "xwlb/a/b/2020x.txt". A pattern that matches a leading run of folders matches every path
 *    below them: "sub/c*" matches "sub/cc/d.md", and the pattern above "xwlb/a/2020/x.txt".
 *  - A leading '!' negates a pattern. The last pattern that matches a path decides; with at
 *    least one pattern not negated, a path that none matches is excluded; with none, all pass.
 *
 * Lifetime: a glob_set owns copies of the patterns until glob_set_release.
 */
#ifndef TIFA_GLOB_H
#define TIFA_GLOB_H

#include <stddef.h>

#include "tifa/err.h"

/* At most this many patterns come out of one pattern's braces: "{a,b}{c,d}..." doubles each
 * time, and twenty groups would make a million. */
#define GLOB_MAX_EXPANSIONS 1024

struct glob_pat {
    char *segs;    /* the pattern with each '/' replaced by '\0' */
    size_t len;    /* bytes of segs, separators included */
    int neg;       /* from a '!' pattern */
    int has_slash; /* matched segment by segment; else by base name or whole path */
    size_t source; /* index of the pattern it was expanded from */
};

struct glob_set {
    struct glob_pat *v;
    size_t n, alloc;
    size_t nsources;
    int any_positive;
};

/**
 * Expands and compiles the @n patterns (borrowed). Returns 0, or TIFA_EUSAGE with e->msg
 * naming the first bad pattern ("unbalanced braces in --glob 'a{b'"); the set then holds the
 * patterns before it and must still be released.
 */
int glob_set_init(struct glob_set *gs, const char *const *patterns, size_t n, struct tifa_err *e);

/** Checks one pattern as glob_set_init would (for option parsing). */
int glob_check(const char *pattern, struct tifa_err *e);

/**
 * Whether @relpath (relative to the folder walked, "sub/a.txt") passes the set. When @hits is
 * not NULL, hits[i] is set to 1 for each pattern i (before expansion) that is not negated and
 * matches @relpath.
 */
int glob_set_match(const struct glob_set *gs, const char *relpath, unsigned char *hits);

void glob_set_release(struct glob_set *gs);

#endif
