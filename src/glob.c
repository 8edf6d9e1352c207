/*
 * glob: brace expansion and the segment matcher behind --glob.
 *
 * How it works: glob_set_init checks that a pattern's braces pair up (a backslash escapes the
 * next byte), then expands the first group holding a top-level comma into one copy per
 * alternative and expands each copy again, until no group is left: nested and repeated groups
 * come out in order ("{a,b}{1,2}" gives a1 a2 b1 b2). Each result is stored with its '/'
 * replaced by NUL, so matching hands segments to fnmatch(3) without copying the pattern.
 * glob_set_match copies the path once into a scratch buffer split the same way and walks both
 * lists: a "**" segment tries the rest of the pattern at every later path segment (zero or
 * more folders), the rest segment against segment. The work is O(segments) per pattern
 * without "**", O(segments^k) with k of them; paths are short.
 */
#include "tifa/glob.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/sbuf.h"
#include "tifa/xalloc.h"

/* 0 when the braces of @p pair up, outside backslash escapes. */
static int braces_balanced(const char *p)
{
    long depth = 0;
    for (; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '{')
            depth++;
        else if (*p == '}' && --depth < 0)
            return -1;
    }
    return depth ? -1 : 0;
}

/* The first group of @p (balanced) with a comma at its own level: *open at its '{', *close at
 * its '}'. 0 when there is none. */
static int find_group(const char *p, const char **open, const char **close)
{
    for (const char *s = p; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            continue;
        }
        if (*s != '{')
            continue;
        int depth = 0, comma = 0;
        const char *q = s;
        for (; *q; q++) {
            if (*q == '\\' && q[1])
                q++;
            else if (*q == '{')
                depth++;
            else if (*q == ',' && depth == 1)
                comma = 1;
            else if (*q == '}' && --depth == 0)
                break;
        }
        if (comma) {
            *open = s;
            *close = q;
            return 1;
        }
        /* "{x}" is literal: look for a group inside it or after it */
    }
    return 0;
}

static void add_pattern(struct glob_set *gs, const char *p, int neg, size_t source)
{
    struct glob_pat *g;
    int has_slash = strchr(p, '/') != NULL; /* "/c.txt": the top level only */
    while (*p == '/')
        p++;
    size_t len = strlen(p);
    while (len && p[len - 1] == '/')
        len--;
    ALLOC_GROW(gs->v, gs->n + 1, gs->alloc);
    g = &gs->v[gs->n++];
    g->segs = xmalloc(len + 1);
    memcpy(g->segs, p, len);
    g->segs[len] = '\0';
    g->len = len;
    g->neg = neg;
    g->source = source;
    g->has_slash = has_slash;
    for (size_t i = 0; i < len; i++)
        if (g->segs[i] == '/')
            g->segs[i] = '\0';
}

/* Expands @p into @out (strings owned by the caller); -1 beyond GLOB_MAX_EXPANSIONS. */
static int expand(const char *p, char ***out, size_t *n, size_t *alloc)
{
    const char *open, *close;
    if (!find_group(p, &open, &close)) {
        if (*n >= GLOB_MAX_EXPANSIONS)
            return -1;
        ALLOC_GROW(*out, *n + 1, *alloc);
        (*out)[(*n)++] = xstrdup(p);
        return 0;
    }
    struct sbuf one = SBUF_INIT;
    const char *alt = open + 1;
    int depth = 0, rc = 0;
    for (const char *q = open + 1; q <= close && !rc; q++) {
        if (*q == '\\' && q < close - 1) {
            q++;
            continue;
        }
        if (*q == '{')
            depth++;
        else if (*q == '}' && q != close)
            depth--;
        else if ((*q == ',' && depth == 0) || q == close) {
            sbuf_reset(&one);
            sbuf_add(&one, p, (size_t)(open - p));
            sbuf_add(&one, alt, (size_t)(q - alt));
            sbuf_addstr(&one, close + 1);
            rc = expand(one.buf, out, n, alloc);
            alt = q + 1;
        }
    }
    sbuf_release(&one);
    return rc;
}

/* Expands one pattern into @gs; returns 0 or TIFA_EUSAGE. */
static int add_source(struct glob_set *gs, const char *pattern, size_t source, struct tifa_err *e)
{
    const char *p = pattern;
    int neg = p[0] == '!';
    char **out = NULL;
    size_t n = 0, alloc = 0;
    int rc = 0;
    if (neg)
        p++;
    if (braces_balanced(p))
        return tifa_err_set(e, TIFA_EUSAGE, NULL, 0, -1,
                            "unbalanced braces in --glob '%s' (\\{ and \\} are literal braces)",
                            pattern);
    if (expand(p, &out, &n, &alloc))
        rc = tifa_err_set(e, TIFA_EUSAGE, NULL, 0, -1,
                          "--glob '%s' expands to more than %d patterns", pattern,
                          GLOB_MAX_EXPANSIONS);
    for (size_t i = 0; i < n; i++) {
        if (!rc)
            add_pattern(gs, out[i], neg, source);
        free(out[i]);
    }
    free(out);
    if (!rc && !neg)
        gs->any_positive = 1;
    return rc;
}

int glob_set_init(struct glob_set *gs, const char *const *patterns, size_t n, struct tifa_err *e)
{
    memset(gs, 0, sizeof(*gs));
    gs->nsources = n;
    for (size_t i = 0; i < n; i++)
        if (add_source(gs, patterns[i], i, e))
            return TIFA_EUSAGE;
    return 0;
}

int glob_check(const char *pattern, struct tifa_err *e)
{
    struct glob_set gs;
    int rc = glob_set_init(&gs, &pattern, 1, e);
    glob_set_release(&gs);
    return rc;
}

void glob_set_release(struct glob_set *gs)
{
    for (size_t i = 0; i < gs->n; i++)
        free(gs->v[i].segs);
    free(gs->v);
    memset(gs, 0, sizeof(*gs));
}

/* Segment lists: segments separated by NUL, [s, end). */
static const char *next_seg(const char *s)
{
    return s + strlen(s) + 1;
}

/* Whether pattern segments [p, pend) match path segments [s, send) wholly, or a leading run of
 * them (the folders above the rest). */
static int match_segs(const char *p, const char *pend, const char *s, const char *send)
{
    while (p < pend) {
        if (!strcmp(p, "**")) {
            const char *rest = next_seg(p);
            if (rest >= pend)
                return 1;
            for (;; s = next_seg(s)) {
                if (match_segs(rest, pend, s, send))
                    return 1;
                if (s >= send)
                    return 0;
            }
        }
        if (s >= send || fnmatch(p, s, 0))
            return 0;
        p = next_seg(p);
        s = next_seg(s);
    }
    return 1;
}

static int pattern_matches(const struct glob_pat *g, const char *rel, const char *base,
                           const char *segs, size_t segs_len)
{
    if (!g->has_slash)
        return !fnmatch(g->segs, base, 0) || !fnmatch(g->segs, rel, 0);
    return match_segs(g->segs, g->segs + g->len + 1, segs, segs + segs_len + 1);
}

int glob_set_match(const struct glob_set *gs, const char *relpath, unsigned char *hits)
{
    int verdict = -1;
    if (!gs->n)
        return 1;
    const char *base = strrchr(relpath, '/');
    base = base ? base + 1 : relpath;
    char stack[1024], *segs = stack;
    size_t len = strlen(relpath);
    if (len >= sizeof(stack))
        segs = xmalloc(len + 1);
    memcpy(segs, relpath, len + 1);
    for (size_t i = 0; i < len; i++)
        if (segs[i] == '/')
            segs[i] = '\0';
    for (size_t i = 0; i < gs->n; i++) {
        const struct glob_pat *g = &gs->v[i];
        if (!pattern_matches(g, relpath, base, segs, len))
            continue;
        verdict = !g->neg;
        if (hits && !g->neg)
            hits[g->source] = 1;
    }
    if (segs != stack)
        free(segs);
    return verdict >= 0 ? verdict : !gs->any_positive;
}
