/*
 * rule: named pcre2 patterns run on normalized text (discovery's numbering rules, count's
 * --pattern).
 *
 * Owns: compiling a pattern (UTF and Unicode properties, JIT when the platform has it), its
 * messages (the rule's name, where it came from, pcre2's message and the character it points
 * at), and running it: every match in a text, or whether it matches a whole text. Must not:
 * know what a rule means, normalize text or count.
 *
 * Matches: rule by rule, left to right, non-overlapping within one rule. A rule whose pattern
 * has a named group `f` reports that group (the formula inside the context the pattern looks
 * at); otherwise the whole match. A pattern that can match the empty string is refused.
 * Note for authors: since pcre2 10.40, \p{Han} follows Script_Extensions and so also matches
 * CJK punctuation (。、“”); \p{sc:Han} is the Han script alone.
 *
 * Lifetimes: struct rule_set is run lifetime, shared read-only by threads; struct rule_scanner
 * is per thread (its match data). rule_match_whole uses the scanner's match data too: do not
 * call it from inside a rule_scan callback.
 */
#ifndef TIFA_RULE_H
#define TIFA_RULE_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/err.h"

struct rule {
    char *name;
    char *regex;
    char *origin; /* where it came from: "command line", a file name */
    long line;    /* in origin, 0 when none */
    void *code;   /* pcre2_code_8 */
    int group;    /* the group reported: f's number, or 0 for the whole match */
};

struct rule_set {
    struct rule *v;
    size_t n, alloc;
};

void rule_set_init(struct rule_set *rs);
void rule_set_release(struct rule_set *rs);

/**
 * Compiles @regex as rule @name (names are unique within a set, not empty, without tab or line
 * break). Returns 0, or TIFA_EDATA (@line > 0: from a file) / TIFA_EUSAGE with @e naming the
 * rule, e.g. "pattern 'x': missing closing parenthesis at character 12 of the regex".
 */
int rule_set_add(struct rule_set *rs, const char *name, const char *regex, const char *origin,
                 long line, struct tifa_err *e);

/** Reads lines of NAME<TAB>REGEX ('#' comments and blank lines skipped); errors FILE:LINE. */
int rule_set_load_file(struct rule_set *rs, const char *path, struct tifa_err *e);

struct rule_scanner {
    const struct rule_set *rs;
    void *md; /* pcre2_match_data_8 */
};

void rule_scanner_init(struct rule_scanner *sc, const struct rule_set *rs);
void rule_scanner_release(struct rule_scanner *sc);

struct rule_match {
    uint32_t rule_id;
    size_t off, len;             /* the group reported (bytes in the text) */
    size_t match_off, match_len; /* the whole match */
};

typedef void rule_match_fn(const struct rule_match *m, void *arg);

/**
 * Every match of every rule in @text (@len bytes of valid UTF-8). Returns 0, or a negative code
 * with @e naming the rule when pcre2 gives up (a match or depth limit).
 */
int rule_scan(struct rule_scanner *sc, const char *text, size_t len, rule_match_fn *fn, void *arg,
              struct tifa_err *e);

/** 1 when rule @rule_id matches the whole of @text, 0 when not, negative (with @e) on a pcre2
 *  error. Lookbehinds see nothing before @text, lookaheads nothing after it. */
int rule_match_whole(struct rule_scanner *sc, uint32_t rule_id, const char *text, size_t len,
                     struct tifa_err *e);

#endif
