/*
 * settings: what shaped a count report's numbers, recorded in the report ("settings") so that
 * reports counted differently are never compared or summed in silence.
 *
 * A report counted with --category party, diffed against a full count, would otherwise say
 * that 全过程人民民主 is significantly absent from a file that holds it six times. So a count
 * report records its settings, and diff and merge compare them before they read a number.
 *
 * Owns: the settings object (its keys, below), the lexicon fingerprint, and the comparison
 * that names each difference. Must not: read files, print, or decide what a difference means
 * for the command (cmd_diff and cmd_merge refuse, or go on with --force and record it).
 *
 * Keys (JSON, in this order): "tifa_version" (the version that counted), "category" (the
 * --category names, sorted; [] = every category), "overlapping", "expansions" (booleans),
 * "partial" (--partial K, 0 when not given), "by_sense" (count --by-sense: entry ids as terms),
 * "patterns" (the number of --pattern regexes, which the fingerprint also covers),
 * "script" (--script: auto, simplified, traditional or keep) and "opencc_config" (the OpenCC
 * configuration of the fold, "t2s" unless --opencc-config; ".json" left out), which decide
 * what traditional text and user lexicons count as; "fingerprint" (see settings_fingerprint).
 * A report written before a key existed lacks it: the key then counts as a difference (the
 * counts may differ: before --script nothing was folded), which --force goes past. "forced" (an
 * array of strings) is not a setting: it lists the differences a --force run went past, and
 * comparisons ignore it. Every other key is compared by value, so keys that later versions add are
 * compared too.
 */
#ifndef TIFA_SETTINGS_H
#define TIFA_SETTINGS_H

#include <stddef.h>

#include <jansson.h>

#include "tifa/lexicon.h"
#include "tifa/rule.h"
#include "tifa/sbuf.h"

/* The key of the differences a --force run went past. */
#define SETTINGS_FORCED "forced"

/* What a counting run was told; borrowed pointers, read by settings_of_run only. */
struct settings_run {
    const char *version;             /* tifa's version */
    const struct lexicon *lx;        /* the finished lexicon, restricted to the categories */
    const struct rule_set *patterns; /* --pattern/--patterns, NULL when none */
    const char *const *categories;   /* --category names as given (any order, repeats) */
    size_t ncategories;
    int overlapping, expansions, by_sense;
    unsigned partial;
    const char *script;        /* --script's name */
    const char *opencc_config; /* as recorded: see "opencc_config" above */
};

/**
 * The fingerprint of what the automaton and the reading were built from: "fnv1a64:" and 16
 * hex digits of a 64-bit FNV-1a hash over, for every entry (in order) not redefined by a later
 * one (entries --category leaves out are included: the category is a setting of its own, so
 * that a difference is named by what the user changed), its id, term,
 * aliases, expansion components, not_within blockers, cues and abbreviations, then every
 * pattern's name and regex. Glosses, sources, dates and categories do not change a count and
 * are left out, so correcting a gloss does not make two reports incomparable. @out holds 25
 * bytes (with the NUL). FNV-1a is written here: 10 lines, no library has it, and a collision
 * only matters for lexicons built to collide.
 */
#define SETTINGS_FINGERPRINT_LEN 25
void settings_fingerprint(const struct lexicon *lx, const struct rule_set *patterns,
                          char out[SETTINGS_FINGERPRINT_LEN]);

/** The settings object of a run (new reference). */
json_t *settings_of_run(const struct settings_run *run);

/**
 * Appends to @out, "; "-separated, one phrase per key whose value differs between @a and @b
 * ("category [\"party\"] against []"; a key only one side has: "KEY only in A"), and returns
 * how many there are. SETTINGS_FORCED is ignored; keys are taken in @a's order, then @b's own.
 */
size_t settings_differences(const json_t *a, const json_t *b, struct sbuf *out);

#endif
