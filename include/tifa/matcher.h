/*
 * matcher: from a lexicon to a scanner-ready automaton, and the lexicon's part of the rule of
 * where no match runs across.
 *
 * Owns: turning every term and alias of a lexicon into an automaton pattern that reports its
 * label id (ac.h), and deciding whether the ideographic full stop may end a piece of text that is
 * scanned on its own (boundary.h has the rest of that rule). Must not: read files, count or
 * print. pcre2 rules, when they come, join here: one scan interface over both.
 *
 * Memory: the automaton is run lifetime (the caller frees it with ac_free).
 */
#ifndef TIFA_MATCHER_H
#define TIFA_MATCHER_H

#include "tifa/ac.h"
#include "tifa/err.h"
#include "tifa/lexicon.h"

/**
 * Builds the automaton for every term, alias and abbreviation of @lx (a match reports the label
 * id as its term id and the index into lx->patterns as its pattern id), for @mode. In
 * leftmost-longest mode the blockers follow: blocker b reports pattern id lx->npatterns + b and
 * the label it blocks; such a match counts for nothing (matcher_is_blocker) and hides the
 * terms it overlaps. With AC_OVERLAPPING every occurrence is reported and blockers are left
 * out. Returns 0 and sets
 * *@out, or an error from ac_build in @e.
 */
int matcher_build(const struct lexicon *lx, enum ac_mode mode, struct ac **out, struct tifa_err *e);

/** 1 when @pattern_id (of an automaton from matcher_build on @lx) is a blocker. */
static inline int matcher_is_blocker(const struct lexicon *lx, uint32_t pattern_id)
{
    return pattern_id >= lx->npatterns;
}

/**
 * 1 when no match of @ac can contain or run across U+3002 (。): no pattern holds it (as
 * normalized) and it is not white space, dropped, a letter or a digit (ac_cp_ends_matches). Text
 * may then be cut just after it and each piece scanned from a reset scanner with the same matches
 * (source.h's split points).
 */
int matcher_stop_ends_matches(const struct ac *ac);

#endif
