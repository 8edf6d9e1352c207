/*
 * discover: candidate formulas that no lexicon lists — numbered shapes (N个X, NXNY chains,
 * plan tokens ...), quoted phrases and recurring n-grams — found, counted and ranked.
 *
 * Owns: the numbering rules file (data/numbering.tsv: pcre2 rules by name and scope, defines,
 * the stop list, each rule's examples), the per-document extraction (a pipeline consumer:
 * sink.text in, a struct disc_doc out), the corpus table of candidates (counts, documents,
 * first documents and period, one example), the numbered candidates' maximality and 的 rules,
 * and the ranking. Must not: read files, print, or pick exit codes; the n-gram miner is
 * ngram.h's, the reference counts are counted by the caller (through the pipeline) and handed
 * in.
 *
 * Text: everything works on text_normalize()'s text (the text as the matcher sees it), one
 * paragraph at a time: no candidate crosses a paragraph break, and results do not depend on how
 * a big file is cut in chunks.
 *
 * Quoted spans: “…”, ‘…’, 「…」, 『…』 and "…" (full-width ＂ folds to it) holding 2 to
 * DISC_QUOTED_MAX characters, no quotation mark and no sentence end inside.
 *
 * Lifetimes: struct disc_rules is run lifetime (shared read-only by the threads); a struct
 * disc_doc is a result (owned by whoever the driver hands it to, freed by disc_doc_free); struct
 * disc_table is owned by the command.
 */
#ifndef TIFA_DISCOVER_H
#define TIFA_DISCOVER_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/err.h"
#include "tifa/lexicon.h"
#include "tifa/rule.h"
#include "tifa/sbuf.h"
#include "tifa/sink.h"
#include "tifa/strmap.h"

#define DISC_QUOTED_MIN 2
#define DISC_QUOTED_MAX 12
#define DISC_FIRST_DOCS 3
/* An example is the sentence around the first occurrence, cut to this many characters on
 * each side of it. */
#define DISC_EXAMPLE_CHARS 30

/* Choosing among a numbered phrase's admissible lengths (discover.c): a phrase is a cut of an
 * extension that has at least DISC_CUT_SHARE of its uses, and an extension with less than
 * DISC_CONTEXT_SHARE of the uses of its prefix is that prefix in a context. */
#define DISC_CUT_SHARE 0.9
#define DISC_CONTEXT_SHARE 0.5
/* Function characters an n-gram candidate may hold but not start or end with (了两个小时 and
 * 的决定性意义 are 两个小时 and 决定性意义 in a context). */
#define DISC_NGRAM_TRIM "的了着过地得和与及或是在把被对将也都就还又而但并"
/* The 的 rule (discover.c) looks at numbered phrases of at most this many characters. */
#define DISC_DE_MAX_CHARS 4

enum disc_kind { DISC_NUMBERED = 1 << 0, DISC_QUOTED = 1 << 1, DISC_NGRAM = 1 << 2 };

/** The name of one kind ("numbered", "quoted", "ngram"). */
const char *disc_kind_name(enum disc_kind k);
/** Parses a --kind value: one name or a comma-separated list of them; -1 when unknown. */
int disc_kind_parse(const char *s, unsigned *kinds);

/* One rule of the numbering file, beside its compiled form (rule_set index = rule index). */
struct disc_rule_info {
    int quoted_only;
    char *examples;        /* as written: "text=>formula|..." ("" when none) */
    char *counterexamples; /* "text|..." */
    char *note;
};

struct disc_rules {
    struct rule_set rs; /* the rules of scope any and quoted, in file order */
    struct disc_rule_info *info;
    size_t info_alloc;
    struct rule_set stop; /* the stop lists (scope stop), each matched against a whole phrase */
};

void disc_rules_init(struct disc_rules *r);
void disc_rules_release(struct disc_rules *r);
/**
 * Reads a numbering rules file held in memory (@name for messages: "NAME:LINE: ..."): comment
 * lines (#) and blank lines, a header row, then rows of name, scope, regex, examples,
 * counterexamples, note. {NAME} in a regex is replaced by the regex of an earlier define row.
 * Returns 0, or TIFA_EDATA (an unknown scope or define, a missing column, a regex pcre2 refuses:
 * its message and position).
 */
int disc_rules_load_buf(struct disc_rules *r, const char *buf, size_t len, const char *name,
                        struct tifa_err *e);
int disc_rules_load_file(struct disc_rules *r, const char *path, struct tifa_err *e);
/** The rules compiled into tifa (data/numbering.tsv). */
int disc_rules_load_builtin(struct disc_rules *r, struct tifa_err *e);

/** 1 when @phrase is on a stop list; @sc is a scanner of @r->stop. */
int disc_rules_stopped(const struct disc_rules *r, struct rule_scanner *sc, const char *phrase,
                       size_t len);

/* What the extraction keeps of one phrase in one document. */
struct disc_occ {
    char *phrase;
    unsigned kind;     /* DISC_NUMBERED or DISC_QUOTED */
    uint32_t rule_id;  /* numbered: the first rule that found it */
    uint64_t count;    /* occurrences (numbered without quotes: every admissible length counts) */
    uint64_t quoted;   /* of them, quoted (exact boundaries) */
    uint64_t de_after; /* of them, unquoted and followed by 的 */
    char *example;     /* the context of the first one */
};

/** A document's result (of the extraction consumer). */
struct disc_doc {
    struct disc_occ *v;
    size_t n, alloc;
    struct strmap idx; /* phrase -> index in v */
    struct sbuf ngram; /* with DISC_NGRAM: the text for the n-gram miner (ngram.h's form) */
    int failed;        /* the extraction stopped: err says why */
    struct tifa_err err;
};

/** An empty document result (what disc_extract fills). */
struct disc_doc *disc_doc_new(void);
void disc_doc_free(struct disc_doc *d);

/* The text as written behind a normalized text: examples are cut from it. */
struct disc_source {
    const char *raw;     /* the decoded text */
    const uint64_t *map; /* text_map.off of the normalization */
};

/**
 * The per-document extraction of @text (@len bytes of text_normalize() output, paragraphs
 * separated by '\n') into @d, for the kinds in @kinds. @sc is a scanner of @rules. With @src,
 * examples are cut from the text as written, else from @text.
 * Returns 0, or a negative code with @e filled (a pcre2 match error, naming the rule).
 */
int disc_extract(const struct disc_rules *rules, struct rule_scanner *sc, unsigned kinds,
                 const char *text, size_t len, const struct disc_source *src, struct disc_doc *d,
                 struct tifa_err *e);

/** The extraction as a pipeline consumer: each document's result is a struct disc_doc
 *  (NULL when it failed: see disc_sink_error). Retains @rules. */
struct disc_sink_arg {
    const struct disc_rules *rules;
    unsigned kinds;
};
void disc_sink(struct sink *s, struct disc_sink_arg *arg);
/** The error of a document whose extraction failed (a pcre2 limit), or NULL. */
const struct tifa_err *disc_doc_error(const struct disc_doc *d);

/* A candidate of the corpus. */
struct disc_cand {
    char *phrase;
    unsigned kind;
    uint32_t rule_id; /* numbered */
    uint32_t chars;   /* code points */
    uint64_t count, quoted, de_after;
    uint32_t docs;
    size_t first_docs[DISC_FIRST_DOCS]; /* input indices */
    uint32_t nfirst;
    char *first_period; /* NULL when no document of it has a period */
    char *example;      /* NULL for an n-gram: its example is ex_off/ex_len in the table's
                           ngram_text (disc_cand_example) */
    uint64_t ex_off;
    uint32_t ex_len;
    int known; /* a lexicon term, alias or expansion component */
    int has_reference;
    uint64_t reference_count;
    double g2, log_ratio;
    int is_new; /* the reference never has it */
};

struct disc_table {
    struct disc_cand *v;
    size_t n, alloc;
    struct strmap idx;
    size_t *last_doc;       /* per candidate: input index + 1 of the last document that added it */
    const char *ngram_text; /* borrowed: the n-gram miner's text, which n-gram examples point
                               into (it must outlive the table's use) */
};

void disc_table_init(struct disc_table *t);
void disc_table_release(struct disc_table *t);
/** Adds document @doc_index's phrases (documents must come in increasing index order), with its
 *  @period (NULL when it has none). */
void disc_table_add_doc(struct disc_table *t, size_t doc_index, const struct disc_doc *d,
                        const char *period);
/** Adds one n-gram candidate (ngram.h's result) unless the phrase is a candidate already; its
 *  example is [@ex_off, @ex_off + @ex_len) of t->ngram_text (not copied: an n-gram run can
 *  have a million candidates). */
void disc_table_add_ngram(struct disc_table *t, const char *phrase, size_t len, uint64_t count,
                          uint32_t docs, const size_t *first_docs, uint32_t nfirst, uint64_t ex_off,
                          uint32_t ex_len, const char *first_period);

/** The example of @c, NUL-terminated: c->example, or the n-gram's copied into @scratch. */
const char *disc_cand_example(const struct disc_table *t, const struct disc_cand *c,
                              struct sbuf *scratch);

struct disc_filter {
    uint32_t min_docs;
    int keep_known;                 /* --known */
    const struct lexicon *lx;       /* for known; may be NULL */
    const struct disc_rules *rules; /* stop lists */
};

/**
 * Applies the corpus rules (module header) and drops what @f says: numbered lengths that are
 * not maximal, numbered candidates mostly followed by 的, candidates in fewer than min_docs
 * documents, phrases on a stop list and (unless keep_known) known phrases; marks the known
 * ones. Then sorts: documents desc, count desc, characters desc, phrase bytes.
 */
void disc_table_finish(struct disc_table *t, const struct disc_filter *f);

/** Sets the reference figures of every candidate from @ref_counts (per candidate, in table
 *  order) and the sizes (Han characters) of target and reference, then sorts by G² desc,
 *  dropping the candidates whose rate is not higher in the target (log ratio <= 0). */
void disc_table_compare(struct disc_table *t, const uint64_t *ref_counts, uint64_t target_han,
                        uint64_t reference_han);

#endif
