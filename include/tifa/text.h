/*
 * text: the tokenizer — a decoded text as a stream of normalized, classified code points with
 * byte offsets, line numbers, and sentence and paragraph boundaries.
 *
 * Owns: line counting (LF, CRLF and lone CR each end one line), the sentence rule (a sentence
 * ends after 。！？!?；; or …, together with any closing quotes that follow) and the paragraph
 * rule (a blank line — two or more line breaks with only white space between them — starts a
 * paragraph). Must not: know about patterns or counts. The matcher (ac.h) applies the same
 * white-space and paragraph rules inline for speed; concordance and discovery use this module.
 *
 * Tokens: every code point except the dropped zero-width ones (normalize_cp() == NORM_DROP);
 * white space and line breaks ARE tokens (class CC_SPACE / CC_NEWLINE) so that callers can
 * rebuild context; the boundary flags sit on the first non-white-space token of a sentence or
 * paragraph. Input must be valid UTF-8 (decoder output); each invalid byte would be returned as
 * U+FFFD of length 1.
 */
#ifndef TIFA_TEXT_H
#define TIFA_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/boundary.h"
#include "tifa/normalize.h"
#include "tifa/sbuf.h"

enum text_flags {
    TEXT_SENT_START = 1 << 0, /* first token of a sentence */
    TEXT_PARA_START = 1 << 1  /* first token of a paragraph (also a sentence start) */
};

struct text_token {
    uint32_t cp;     /* normalized code point */
    uint32_t raw_cp; /* code point as written */
    uint64_t off;    /* byte offset in the text */
    uint32_t len;    /* bytes */
    uint64_t line;   /* 1-based line number */
    enum char_class cls;
    unsigned flags;     /* enum text_flags */
    uint64_t sentence;  /* 0-based index of the sentence the token belongs to */
    uint64_t paragraph; /* 0-based index of the paragraph */
};

struct text_iter {
    const unsigned char *s;
    size_t len, pos;
    uint64_t line;
    uint64_t sentence, paragraph;
    int started;      /* a non-white-space token has been returned */
    int sent_pending; /* the previous sentence ended: the next real token starts one */
    int para_pending;
    int after_sent_end;  /* closing quotes after a sentence end still belong to it */
    struct para_run run; /* the current white-space run (boundary.h) */
};

void text_iter_init(struct text_iter *it, const char *utf8, size_t len);

/** Fills @tok with the next token; returns 1, or 0 at the end of the text. */
int text_next(struct text_iter *it, struct text_token *tok);

/* A growing list of byte offsets (text_boundaries). */
struct text_starts {
    uint64_t *v;
    size_t n, alloc;
};

/**
 * The boundaries text_next() flags, without tokenizing: appends to @para the offset of every
 * token flagged TEXT_PARA_START and, when @sent is not NULL, to @sent every one flagged
 * TEXT_SENT_START, in order (@utf8: @len bytes of valid UTF-8). For callers that need only
 * where paragraphs and sentences begin (resolve.h reads every document that holds an
 * ambiguous formula): the common CJK ideographs, which can neither end a sentence nor be
 * white space, are skipped three bytes at a time without decoding.
 */
void text_boundaries(const char *utf8, size_t len, struct text_starts *para,
                     struct text_starts *sent);

/**
 * text_boundaries' paragraph starts, found from the line breaks (memchr for LF and CR, then the
 * white-space run around each) instead of by walking every character: for a caller that needs
 * paragraphs alone. Returns 0 without touching @para when @utf8 holds U+0085, U+2028 or U+2029
 * (line breaks memchr does not see: call text_boundaries), else 1.
 */
int text_paragraphs_fast(const char *utf8, size_t len, struct text_starts *para);

/**
 * The context of the span [@start, @end) of @text (@len bytes of valid UTF-8) within its
 * paragraph, looked for in [@from, @to): *@b0 is where the context before it begins (the first
 * character after the last paragraph break in [@from, @start), else @from moved forward to a
 * character boundary), *@a1 where the context after it ends (the first white space of the first
 * paragraph break in [@end, @to), else @to moved back to a character boundary). A window that
 * starts inside a run of white space sees only the part of the run inside it.
 */
void text_paragraph_around(const char *text, size_t len, size_t from, size_t start, size_t end,
                           size_t to, size_t *b0, size_t *a1);

/**
 * Appends to @out the normalized text of @utf8 (@len bytes of valid UTF-8) as the matcher sees
 * it (ac.h's text model), for consumers that match on text rather than through the automaton
 * (pcre2 patterns, discovery): every code point through normalize_cp(), the dropped ones left
 * out; white space and single line breaks left out, except that white space between two ASCII
 * letters or digits becomes one space; each paragraph break written as one '\n' (never at the
 * start or the end). Example: "四个\n意识 Belt  and\n\n\xEF\xBC\xA2" gives
 * "四个意识belt and\nb". Returns the number of paragraph breaks written.
 */
size_t text_normalize(const char *utf8, size_t len, struct sbuf *out);

/* Where each byte of normalized text came from (text_normalize_map). */
struct text_map {
    uint64_t *off; /* per byte i of the output buffer written by this call: the offset in the
                      input of the character it came from (a '\n' or ' ' written for white
                      space: of the character after it); off[out->len] = the input's length */
    size_t alloc;
};

/** text_normalize that also fills @map (may be NULL; its array is reused across calls, freed
 *  by the caller): input offsets for output bytes, so that a span found in normalized text
 *  can be shown as written ([off[a], off[b]) of the input). */
size_t text_normalize_map(const char *utf8, size_t len, struct sbuf *out, struct text_map *map);

#endif
