/*
 * matcher: a lexicon's patterns into an automaton, and whether U+3002 ends every match.
 *
 * How it works: matcher_build hands the lexicon's distinct patterns (terms and aliases, already
 * deduplicated on their normalized forms by lexicon_finish) to ac_build, each reporting its
 * label id, so that an alias counts under its canonical term. matcher_stop_ends_matches
 * normalizes U+3002 as the automaton does and looks for it in every pattern: a lexicon that
 * holds it (a user's "。" entry) must not have its text cut there.
 */
#include "tifa/matcher.h"

#include <stdlib.h>
#include <string.h>

#include "tifa/normalize.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

int matcher_build(const struct lexicon *lx, enum ac_mode mode, struct ac **out,
                  struct tifa_err *e)
{
    struct ac_build_opts opts = {0, mode, 0};
    struct ac_pattern *p = xmalloc(st_mult(lx->npatterns + 1, sizeof(*p)));
    for (size_t i = 0; i < lx->npatterns; i++) {
        p[i].text = lx->patterns[i].text;
        p[i].term_id = lx->patterns[i].label_id;
    }
    int rc = ac_build(out, p, lx->npatterns, &opts, e);
    free(p);
    return rc;
}

int matcher_stop_ends_matches(const struct lexicon *lx)
{
    uint32_t stop = normalize_cp(0x3002);
    if (stop == NORM_DROP)
        return 0;
    switch (normalize_class(stop)) {
    case CC_SPACE:
    case CC_NEWLINE:
    case CC_LATIN:
    case CC_DIGIT: return 0;
    default: break;
    }
    for (size_t i = 0; i < lx->npatterns; i++) {
        const unsigned char *t = (const unsigned char *)lx->patterns[i].text;
        size_t len = strlen((const char *)t);
        for (size_t at = 0; at < len;) {
            uint32_t cp;
            int bad;
            at += utf8_decode(t + at, len - at, &cp, &bad);
            if (!bad && normalize_cp(cp) == stop)
                return 0;
        }
    }
    return 1;
}
