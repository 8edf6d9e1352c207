/*
 * boundary: where no match runs across. One rule, applied by the scanner (ac), the tokenizer
 * (text), the reader's split points (source) and the driver's context windows (corpus), instead
 * of a copy in each that agreed only because a comment said so.
 *
 * The rule: a PARAGRAPH BREAK is a run of white space (line breaks, horizontal white space and
 * the dropped zero-width characters) that holds PARA_BREAK_LINES or more line breaks, where CR,
 * LF and CR LF each count once (a line break right after a CR is the second half of CR LF). The
 * scanner ends every match at one; single line breaks and other white space are skipped inside a
 * match. The second place no match crosses is the ideographic full stop U+3002, but only for a
 * lexicon none of whose patterns holds it: that half of the rule depends on the patterns, so
 * matcher.h decides it (matcher_stop_ends_matches) and passes it down to source.h's split
 * options.
 *
 * Owned by the matching layer; written as inline steps in a base-level header so that the
 * layers below matching (input, text) can apply the same code without depending upward.
 * A run is fed one character at a time: para_run_line_break() for a line break (telling
 * whether it is CR), para_run_space() for other white space, nothing for a dropped character,
 * para_run_reset() at the first character that is not white space.
 */
#ifndef TIFA_BOUNDARY_H
#define TIFA_BOUNDARY_H

#define PARA_BREAK_LINES 2u

struct para_run {
    unsigned lines; /* line breaks in the run so far */
    int prev_cr;    /* the last character of the run was CR */
};

static inline void para_run_reset(struct para_run *r)
{
    r->lines = 0;
    r->prev_cr = 0;
}

/** A line break in the run; returns 1 when the run now holds a paragraph break. */
static inline int para_run_line_break(struct para_run *r, int is_cr)
{
    if (is_cr || !r->prev_cr)
        r->lines++;
    r->prev_cr = is_cr;
    return r->lines >= PARA_BREAK_LINES;
}

/** Horizontal white space in the run. */
static inline void para_run_space(struct para_run *r)
{
    r->prev_cr = 0;
}

#endif
