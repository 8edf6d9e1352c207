/*
 * patcount: counting pcre2 patterns beside the lexicon (`tifa count --pattern NAME=REGEX`).
 *
 * Owns: the counting consumer that wraps agg's (agg_count_sink) and also takes each document's
 * text (sink.text), normalizes it as the matcher sees it (text_normalize) and runs every
 * pattern over each paragraph separately, so a match never crosses a paragraph break and the
 * counts do not depend on -j or on how a big file is cut in chunks. Each distinct matched text
 * (the group f of the pattern, else the whole match) counts as the term "NAME:matched text", in
 * the document's agg_doc.extra. Must not: give pattern terms label ids (the command does, on
 * its calling thread, in a lexicon view: lexicon.h), print or pick exit codes.
 *
 * Cost: the document's text is kept and normalized once more (per thread: the largest document
 * or chunk, twice); then pcre2 (JIT) runs once per pattern over it.
 */
#ifndef TIFA_PATCOUNT_H
#define TIFA_PATCOUNT_H

#include "tifa/lexicon.h"
#include "tifa/rule.h"
#include "tifa/sink.h"

struct resolver;

struct patcount_arg {
    const struct lexicon *lx;
    const struct rule_set *rules;
    const struct resolver *resolver; /* NULL, or as agg_count_sink's */
};

/** Fills @s: agg_count_sink's results (struct agg_doc) with the pattern terms in extra.
 *  Retains @a. */
void patcount_sink(struct sink *s, const struct patcount_arg *a);

#endif
