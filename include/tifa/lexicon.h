/*
 * lexicon: lexicon files (plain list, TSV, JSON, the built-in one) to dense term ids.
 *
 * Owns: parsing and validating lexicon entries, the rule that senses sharing one label count
 * under that label, the mapping of every term and alias to a dense label id, and writing a
 * lexicon back out in the forms it reads. Must not: build automata or count (ac, agg do).
 *
 * Model: an entry is one meaning of a formula (id, term, category, aliases, expansion, gloss,
 * since, source). A LABEL is a distinct term; entries with the same term are senses of one label
 * (allowed only when every one of them has a distinct id). Counting is per label: a match of the
 * term or of any alias of any of its senses counts once under the label.
 *
 * Validation (errors are "FILE:LINE: reason", status TIFA_EDATA): empty term, invalid UTF-8,
 * wrong column count, unknown TSV column, duplicate term within one file (unless senses with
 * distinct ids), duplicate id, an alias or abbreviation that normalizes to the same string as
 * another label's term or alias, a not_within string that does not contain the term or one of
 * its aliases, or that is a term or alias itself.
 *
 * Reading (issue 15): not_within strings become blockers (struct lex_blocker); abbreviations
 * become labels of their own (lex_label.abbreviation) whose occurrences resolve.h may move to
 * the entry a cue selects; cues and expansion components are not patterns of the counting
 * automaton at all (they would hide terms in leftmost-longest matching): resolve.h scans them.
 * Across files, a later file may redefine a term of an earlier one (a user lexicon overrides the
 * built-in entry of the same term); the earlier entries of that label are dropped. Comparison is on
 * normalized forms (normalize_pattern), so "四个 意识" == "四个意识".
 *
 * Memory: run lifetime; everything is freed by lexicon_release().
 */
#ifndef TIFA_LEXICON_H
#define TIFA_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/err.h"
#include "tifa/note.h"
#include "tifa/sbuf.h"

struct lex_entry {
    char *id; /* "" when the file gave none */
    char *term;
    char *category; /* "" when none */
    char **aliases;
    size_t naliases;
    char **expansion;
    size_t nexpansion;
    char *gloss;
    int since; /* year, 0 when unknown */
    char *source;
    char **not_within; /* longer strings in which the term does not count (blockers) */
    size_t nnot_within;
    char **cues; /* strings whose presence near an occurrence of a shared label or of an
                    abbreviation selects this entry (resolve.h) */
    size_t ncues;
    char **abbreviations; /* short forms that count under the label only when a cue resolves
                             them to this entry; unresolved, under the short form itself */
    size_t nabbreviations;
    uint32_t label_id;  /* dense index into lexicon.labels, set by lexicon_finish */
    const char *origin; /* the file it came from ("builtin" for the built-in lexicon) */
    long line;          /* line (TSV/list) or entry number (JSON) in origin */
    int dropped;        /* redefined by a later file, or excluded */
    int excluded;       /* left out by lexicon_keep_categories */
};

struct lex_label {
    char *term;           /* canonical term as written in the first sense (for an abbreviation
                             label: the short form) */
    const char *category; /* category of the first sense */
    size_t first_entry;   /* index of its first sense in entries */
    uint32_t rank;        /* position of term in byte order among all labels: sorting by rank
                             is sorting by term without a string comparison */
    int abbreviation;     /* 1: the label of a short form (lex_entry.abbreviations), whose
                             occurrences no cue resolved; first_entry is the first entry that
                             lists it */
    int senses;           /* how many entries share the label (abbreviation labels: how many
                             list the short form) */
};

/* A string in which a label does not count (lex_entry.not_within): the automaton reports it as
 * pattern npatterns + index, and a leftmost-longest blocker hides the term it contains. */
struct lex_blocker {
    const char *text;  /* borrowed from the entry */
    uint32_t label_id; /* the label it blocks */
    size_t entry;
};

struct lex_pattern {
    const char *text; /* UTF-8 term or alias (borrowed from the entry) */
    uint32_t label_id;
};

/*
 * Converts a lexicon file's bytes that are not UTF-8 to UTF-8: 1 with the text appended to @out,
 * 0 to read the bytes as they are, or an error naming @name. The cli passes encoding.h's
 * encoding_to_utf8: the matching layer does not know encodings.
 */
typedef int lex_decode_fn(const char *buf, size_t len, const char *name, struct sbuf *out,
                          struct tifa_err *e);

struct lexicon {
    lex_decode_fn *decode; /* NULL: lexicons must be UTF-8 (set after lexicon_init) */
    struct lex_entry *entries;
    size_t nentries, entries_alloc;
    struct lex_label *labels;
    size_t nlabels;
    struct lex_pattern *patterns; /* every distinct normalized term, alias and abbreviation */
    size_t npatterns;
    struct lex_blocker *blockers; /* every not_within string (distinct normalized forms) */
    size_t nblockers;
    char **sources; /* "builtin" and the user's files, in load order */
    size_t nsources, sources_alloc;
    char **categories; /* the built-in taxonomy, from lexicon/categories.tsv */
    char **category_desc;
    size_t ncategories;
    /* a view only (lexicon_view_init): labels from view_base on are its own */
    size_t view_base, view_alloc;
    int view_dirty; /* labels added since the last lexicon_view_rank */
    /* lexicon_finish: what the caller should say (path = the file, text = "LINE: message"):
     * user entries that redefine a built-in one, and what they took from it */
    struct note_list notes;
};

enum lex_format { LEX_AUTO = 0, LEX_LIST, LEX_TSV, LEX_JSON, LEX_CSV };

/* The most bytes a lexicon file may hold (256 MiB, about 8 million terms of ten characters):
 * a source that never ends (/dev/zero, `yes`) must be refused, not read until memory runs out. */
#define LEXICON_MAX_BYTES ((size_t)256 << 20)

void lexicon_init(struct lexicon *lx);
void lexicon_release(struct lexicon *lx);

/** Adds the built-in lexicon (compiled in from lexicon/builtin.tsv) and its taxonomy. */
int lexicon_add_builtin(struct lexicon *lx, struct tifa_err *e);

/**
 * Reads a lexicon file. LEX_AUTO picks JSON when the first non-blank byte is '[', TSV when the
 * first non-comment line contains a tab and a "term" column, else a plain list (one term a line).
 * @path may be "-" (standard input), a pipe or a FIFO (`--lexicon <(grep ... terms.tsv)`), read
 * to its end. Beyond LEXICON_MAX_BYTES it is TIFA_ELIMIT, "lexicon larger than 256 MiB, the
 * most tifa reads" (a regular file is refused by its size, before reading); reading stops at the
 * first chunk holding a NUL byte, which is the error "NUL byte in lexicon" at its line, so an
 * endless source of NULs (/dev/zero) is refused at once.
 */
int lexicon_load_file(struct lexicon *lx, const char *path, enum lex_format fmt,
                      struct tifa_err *e);

/**
 * Parses a lexicon held in memory; @name is used in messages and in sources. Bytes that hold a
 * NUL or are not valid UTF-8 go through lx->decode first when it is set (a UTF-16 or GB18030
 * file); else, or when it leaves them as they are, such bytes are refused with FILE:LINE.
 */
int lexicon_load_buf(struct lexicon *lx, const char *buf, size_t len, const char *name,
                     enum lex_format fmt, struct tifa_err *e);

/**
 * Before lexicon_finish: adds one entry with @term alone (no category), from source @origin
 * (e.g. "command line"), as a plain-list line would. Returns 0, or TIFA_EDATA with @e filled
 * (empty or invalid term).
 */
int lexicon_add_term(struct lexicon *lx, const char *term, const char *origin, struct tifa_err *e);

/** Gives a new string (malloc'd) for @s, or NULL to keep @s as it is. */
typedef char *lexicon_rewrite_fn(const char *s, void *arg);

/**
 * Before lexicon_finish: replaces every string that is matched in the text (term, aliases,
 * expansion components, not_within, cues, abbreviations) of entries [@from, nentries) with
 * what @fn gives for it; ids, categories, glosses and sources stay as written. The CLI folds
 * user lexicons in traditional script this way (--script, script.h), so the lexicon module
 * knows nothing of scripts. When the rewrite makes an entry's term that of another entry of
 * the same file (a file that lists a formula in both scripts), the rewritten entry is removed
 * (unless both have ids, and they differ: senses); an alias that becomes its entry's term or
 * another of its aliases is removed. Other strings made equal are judged by lexicon_finish as
 * if written so. Entry indices from @from on may change.
 */
void lexicon_rewrite_patterns(struct lexicon *lx, size_t from, lexicon_rewrite_fn *fn, void *arg);

/** Assigns label ids and builds the pattern list; call once after loading. */
int lexicon_finish(struct lexicon *lx, struct tifa_err *e);

/**
 * Before lexicon_finish: leaves out every entry whose category is not one of @names (a
 * `--category` filter). Returns the number of entries kept.
 */
size_t lexicon_keep_categories(struct lexicon *lx, const char *const *names, size_t n);

/**
 * After lexicon_finish: the label whose term or one of whose aliases normalizes as @s does
 * ("四个 意识" finds 四个意识). Returns 1 and sets *@label_id, 0 when no label has it, -1 with
 * @e filled when @s is not valid UTF-8 or normalizes to nothing.
 */
int lexicon_find(const struct lexicon *lx, const char *s, uint32_t *label_id, struct tifa_err *e);

/** 1 if @name is a category of the built-in taxonomy, or discovered:KIND (the category `tifa
 *  discover --format lexicon` gives its candidates). */
int lexicon_category_known(const struct lexicon *lx, const char *name);

/** Writes the (non-dropped) entries as TSV with the full header, readable by lexicon_load_*. */
void lexicon_write_tsv(const struct lexicon *lx, struct sbuf *out);

/** Writes the entries as a JSON array of objects (keys as the TSV columns), readable back. */
void lexicon_write_json(const struct lexicon *lx, struct sbuf *out);

/*
 * Views: a lexicon whose labels can grow after lexicon_finish, for terms that only appear
 * while counting (count's --pattern terms, "NAME:matched text"). A view copies the labels of
 * @lx and shares everything else with it (@lx must outlive the view and is never changed:
 * the threads that count read it while the calling thread adds to the view). Added labels have
 * no entry (first_entry SIZE_MAX). lexicon_view_rank sets the ranks of all labels again (call
 * it after adding, before sorting counts by the view).
 */
void lexicon_view_init(struct lexicon *view, const struct lexicon *lx);
/** Adds a label (copies of @term and @category); returns its id. */
uint32_t lexicon_view_add(struct lexicon *view, const char *term, const char *category);
void lexicon_view_rank(struct lexicon *view);
/** Frees the view's own labels; never the lexicon it views. */
void lexicon_view_release(struct lexicon *view);

#endif
