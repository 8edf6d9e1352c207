/*
 * resolve: reading a document as analysts read it. Which entry an occurrence of a shared label
 * or of an abbreviation stands for (the cues around it), and which sentences spell an entry out
 * by its expansion components (issue 15).
 *
 * Owns: the reading automata (every cue, and with expansions every component, each built
 * overlapping so that none hides a term or another cue), the nearest-cue rule, the sentence test
 * of expansions, which documents need a reading at all, and the reading of one document or chunk
 * (struct reading) until it is final. Must not: read files, count labels (agg.h applies what a
 * reading decided to a document's counts), or print.
 *
 * Cost: counting stays on the driver's fastest scan. A consumer keeps each document's text
 * (resolve_text) and notes the pattern ids it counted (resolve_note_ids); only a document that
 * holds a label needing a sense (a shared label with cues, an abbreviation) or, with
 * expansions, every component of some entry, is read again: one overlapping scan for cues,
 * components and the places of those labels, the counting automaton in small windows around
 * those places, and text_boundaries (text.h) for paragraphs and sentences. With expansions every
 * document is read as it streams in, so for count the reading also counts (resolve_opts.counts,
 * resolver_counts): its automaton holds the counting patterns too, the count is chosen from its
 * hits, and the driver's counting scan is skipped (sink.h's SINK_OWN_SCAN).
 *
 * Rules:
 *  - senses: an occurrence's candidates are the entries of its label (or, for an abbreviation,
 *    the entries that list it). The nearest cue of a candidate in the same paragraph decides
 *    (distance between the starts, in bytes; a tie goes to the cue before, then to the entry
 *    listed first), else the nearest in the document, else the occurrence is unresolved. A
 *    resolved abbreviation counts under its entry's label, an unresolved one under the short
 *    form itself, so the totals keep every occurrence.
 *  - expansions: a sentence (text.h's rule; a paragraph break ends one too) that holds every
 *    component of an entry, in any order, with anything between, counts once for the entry;
 *    with partial K, every sentence holding at least K components of an entry is reported with
 *    the set it holds. Entries of more than 64 components are left out of expansions.
 *
 * Chunks: a reading of chunk k + 1 is merged after chunk k (resolve_reading_merge, offsets
 * shifted); the document-wide step (nearest cue in the document) runs once, on the merged
 * reading (resolve_reading_finish), so the result does not depend on how a file was cut.
 *
 * Lifetimes: struct resolver is run lifetime (shared read-only by all threads); struct
 * resolve_ts is per thread; a struct reading belongs to the document result that holds it.
 */
#ifndef TIFA_RESOLVE_H
#define TIFA_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/ac.h"
#include "tifa/err.h"
#include "tifa/lexicon.h"

#define RESOLVE_UNRESOLVED UINT32_MAX

struct resolve_opts {
    int expansions;   /* count the sentences that hold every component of an entry */
    unsigned partial; /* > 0: also sentences with at least this many components */
    int spans;        /* keep where each full expansion stands (resolve_take_spans) */
    int counts;       /* with expansions: the reading also counts (resolver_counts) */
};

/* Where a full expansion stands in a document or chunk (resolve_opts.spans): its sentence
 * [start, end) (white space at either end left out) and its component hits, comps[first ..
 * first + n) of the array resolve_take_spans hands over, in text order. Offsets are those of
 * the text given to resolve_text. */
struct resolve_span {
    uint32_t entry;
    uint64_t start, end;
    size_t first, n;
};

struct resolve_comp_span {
    uint64_t start, end;
    uint32_t index; /* which component of the entry (its expansion list's order) */
};

/* How often a label stood for one entry (entry RESOLVE_UNRESOLVED: no cue decided). For an
 * abbreviation's occurrences, label_id is the label they count under: the entry's label when
 * resolved, the short form's when not. */
struct resolve_sense {
    uint32_t label_id;
    uint32_t entry; /* index into lexicon.entries, or RESOLVE_UNRESOLVED */
    uint64_t count;
};

/* An abbreviation resolved to an entry: @count occurrences move from label @from (the short
 * form's) to label @to (entry @entry's). */
struct resolve_move {
    uint32_t from, to, entry;
    uint64_t count;
};

/* Sentences holding the components @mask (bit i: component i) of entry @entry. A mask with every
 * component's bit is a full expansion. */
struct resolve_expansion {
    uint32_t entry;
    uint64_t mask;
    uint64_t count;
};

/* One occurrence a reading decided: where it starts, the label it counts under, its entry. */
struct resolve_occ {
    uint64_t start;
    uint32_t label_id;
    uint32_t entry; /* RESOLVE_UNRESOLVED when no cue decided */
};

/* The final reading of a document. Arrays sorted: senses by (label id, entry; unresolved last);
 * moves by (from, entry); expansions by (entry, mask). */
struct resolve_result {
    struct resolve_sense *senses;
    size_t nsenses;
    struct resolve_move *moves;
    size_t nmoves;
    struct resolve_expansion *expansions;
    size_t nexpansions;
    struct resolve_occ *occ; /* every occurrence read, by start (for concordances; totals
                                never hold any) */
    size_t nocc;
};

struct resolver;
struct resolve_ts;
struct reading;

/** 1 when counting with @lx under @o has anything to read (cues, abbreviations, expansions). */
int resolver_wanted(const struct lexicon *lx, const struct resolve_opts *o);

/**
 * Builds the reading automata for @lx; @ac is the counting automaton built from @lx by
 * matcher_build (leftmost-longest: a reading finds exactly the occurrences counting found).
 * Returns 0, or an error from ac_build in @e.
 */
int resolver_build(struct resolver **out, const struct lexicon *lx, const struct ac *ac,
                   const struct resolve_opts *o, struct tifa_err *e);
void resolver_free(struct resolver *r);

/**
 * 1 when the reading counts (resolve_opts.counts, and the lexicon has expansion components):
 * its automaton also holds every counting pattern and blocker, and resolve_counted gives a
 * document's counted pattern ids, chosen leftmost-longest from the overlapping hits exactly as
 * the counting automaton chooses them (the leftmost start, the longest there, of equal strings
 * the first given; a blocker hides what it covers). The consumer then needs no counting scan of
 * its own (sink.h's SINK_OWN_SCAN): count --expansions reads every byte once, not twice.
 */
int resolver_counts(const struct resolver *r);

/** 1 when occurrences of @label_id get a sense from a reading (a shared label with cues, an
 *  abbreviation with cues); otherwise a shared label's occurrences are all unresolved. */
int resolver_reads_label(const struct resolver *r, uint32_t label_id);

struct resolve_ts *resolve_ts_new(const struct resolver *r);
void resolve_ts_free(struct resolve_ts *t);
/** A document or chunk begins; @part: it is one of the chunks of a file (sink_doc.part). */
void resolve_begin(struct resolve_ts *t, int part);
/** Its next decoded piece (sink.h's text()): kept, and scanned for components. */
void resolve_text(struct resolve_ts *t, const char *utf8, size_t len);
/** Pattern ids (of lexicon.patterns) counted in it. */
void resolve_note_ids(struct resolve_ts *t, const uint32_t *pattern_ids, size_t n);
/** The text kept of the document or chunk being read (valid until the next resolve_begin). */
const char *resolve_ts_text(const struct resolve_ts *t, size_t *len);
/** Ends it: its reading, or NULL when it needs none. */
struct reading *resolve_end(struct resolve_ts *t);
/** With resolver_counts: the lexicon pattern ids counted in the document or chunk resolve_end
 *  ended, in text order (valid until the next resolve_begin). */
size_t resolve_counted(const struct resolve_ts *t, const uint32_t **pattern_ids);
/** With resolver_counts: that document's or chunk's characters and Han characters, as ac.h's
 *  text statistics count them (the counting scan would give the same). */
void resolve_text_stats(const struct resolve_ts *t, uint64_t *chars, uint64_t *han);

/**
 * The full expansions of reading @rd (may be NULL) with their places, in text order, moved to
 * the caller (free both arrays); for a consumer that shows them at once, while the offsets
 * are those of its own document or chunk. Spans left in a reading are dropped by merging.
 */
size_t resolve_take_spans(struct reading *rd, struct resolve_span **spans,
                          struct resolve_comp_span **comps);

/** Folds @next (the reading of the following chunk, @shift bytes further on; may be NULL) into
 *  @into (may be NULL); returns the merged reading. */
struct reading *resolve_reading_merge(struct reading *into, struct reading *next, uint64_t shift);
/** The document-wide step: fills @res (zeroed by the caller) and frees @rd (may be NULL). */
void resolve_reading_finish(const struct resolver *r, struct reading *rd,
                            struct resolve_result *res);
void resolve_reading_free(struct reading *rd);
void resolve_result_release(struct resolve_result *res);
/** Adds the senses, moves and expansions of @from into @into (sorted lists merged). */
void resolve_result_add(struct resolve_result *into, const struct resolve_result *from);

/** How many components the sentences of @x hold. */
unsigned resolve_expansion_held(const struct resolve_expansion *x);
/** 1 when the sentences of @x hold every component of their entry (a full expansion). */
int resolve_expansion_complete(const struct lexicon *lx, const struct resolve_expansion *x);

/** The lexicon the resolver reads for. */
const struct lexicon *resolver_lexicon(const struct resolver *r);

/** The number of components of entry @entry that expansions use (0: none, or more than 64). */
unsigned resolver_components(const struct resolver *r, uint32_t entry);

#endif
