/*
 * embedded: data files compiled into the binary (see EMBED in the Makefile).
 *
 * Each NAME[] is the file's bytes plus a terminating NUL; NAME_len excludes the NUL.
 * Owns nothing at run time: the arrays are read-only.
 */
#ifndef TIFA_EMBEDDED_H
#define TIFA_EMBEDDED_H

#include <stddef.h>

extern const char builtin_lexicon_tsv[];
extern const size_t builtin_lexicon_tsv_len;
extern const char builtin_categories_tsv[];
extern const size_t builtin_categories_tsv_len;
/* data/han_common.txt: Han characters by corpus frequency, for encoding_detect() */
extern const char han_common_txt[];
extern const size_t han_common_txt_len;

/* data/numbering.tsv: the numbering rules of `tifa discover` */
extern const char numbering_rules_tsv[];
extern const size_t numbering_rules_tsv_len;

#endif
