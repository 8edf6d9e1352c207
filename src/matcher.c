/*
 * matcher: a lexicon's patterns into an automaton, and whether U+3002 ends every match.
 *
 * How it works: matcher_build hands the lexicon's distinct patterns (terms and aliases, already
 * deduplicated on their normalized forms by lexicon_finish) to ac_build, each reporting its
 * label id, so that an alias counts under its canonical term. A lexicon's not_within strings
 * follow as patterns npatterns.. (leftmost-longest only): a blocker that starts earlier or is
 * longer wins the match, as any pattern would, and the driver drops it, so the term inside
 * is hidden at no cost. matcher_stop_ends_matches asks
 * the automaton's class table about U+3002 (normalization is folded into it): a lexicon that
 * holds it (a user's "。" entry) must not have its text cut there.
 */
#include "tifa/matcher.h"

#include <stdlib.h>

#include "tifa/xalloc.h"

int matcher_build(const struct lexicon *lx, enum ac_mode mode, struct ac **out, struct tifa_err *e)
{
    struct ac_build_opts opts = {0, mode, 0};
    /* Blockers only mean something where matches compete: leftmost-longest. */
    size_t nb = mode == AC_LEFTMOST_LONGEST ? lx->nblockers : 0, n = lx->npatterns + nb;
    struct ac_pattern *p = xmalloc(st_mult(n + 1, sizeof(*p)));
    for (size_t i = 0; i < lx->npatterns; i++) {
        p[i].text = lx->patterns[i].text;
        p[i].term_id = lx->patterns[i].label_id;
    }
    for (size_t b = 0; b < nb; b++) {
        p[lx->npatterns + b].text = lx->blockers[b].text;
        p[lx->npatterns + b].term_id = lx->blockers[b].label_id;
    }
    int rc = ac_build(out, p, n, &opts, e);
    free(p);
    return rc;
}

int matcher_stop_ends_matches(const struct ac *ac)
{
    return ac_cp_ends_matches(ac, 0x3002);
}
