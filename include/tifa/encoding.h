/*
 * encoding: detecting a file's character encoding and converting it to UTF-8 (iconv).
 *
 * Owns: BOM handling, the detection order and plausibility scoring, iconv descriptors, the
 * count of invalid input sequences. Must not: read files (source does), interpret text beyond
 * scoring plausibility, know about lexicons or matching.
 *
 * Contract with later stages: everything decoder_feed() hands out is VALID UTF-8, whatever the
 * input; each invalid input sequence has become one U+FFFD and was counted. So the scanner never
 * re-validates. Output pieces always end on a code-point boundary.
 *
 * Detection order (encoding_detect): a BOM decides (UTF-8, UTF-16LE/BE, UTF-32LE/BE; UTF-32LE
 * is tested before UTF-16LE because FF FE 00 00 starts both); else a sample with NUL bytes that
 * reads as plausible text in UTF-16LE or BE is that (ASCII in UTF-16 is valid UTF-8); else a
 * sample that is valid UTF-8 (allowing a sequence cut off at the end of an incomplete sample)
 * is UTF-8; else UTF-16 without NUL bytes (Han only) when it reads as plausible text; else the most
 * plausible of UTF-8-with-errors, GB18030 and BIG5, by a score of the decoded sample (share of
 * common Chinese characters, penalised by invalid sequences), so that a UTF-8 file with a few
 * corrupt bytes stays UTF-8.
 */
#ifndef TIFA_ENCODING_H
#define TIFA_ENCODING_H

#include <iconv.h>
#include <stddef.h>

#include "tifa/err.h"
#include "tifa/sbuf.h"

struct enc_guess {
    char name[48];    /* canonical iconv name: "UTF-8", "UTF-16LE", "GB18030", "BIG5", ... */
    size_t bom_len;   /* bytes of byte-order mark at the start of the file, to skip */
    size_t valid_len; /* bytes after the BOM that detection already found to be valid UTF-8,
                         ending on a code-point boundary (0 unless name is "UTF-8"): the caller
                         may use them as they are and tell the decoder with decoder_skip_valid(),
                         so that the common case validates each byte once */
};

/**
 * Guesses the encoding of a file from its first @len bytes (@complete = 1 when that is the whole
 * file). Never fails: an empty sample is UTF-8.
 */
void encoding_detect(const unsigned char *sample, size_t len, int complete, struct enc_guess *g);

/** 1 when @name is UTF-16 or UTF-32 (text whose NUL bytes do not make it binary). */
int encoding_is_wide(const char *name);

struct decoder {
    char name[48];
    int is_utf8;             /* UTF-8 input: validated in place, no iconv */
    iconv_t cd;              /* (iconv_t)-1 when is_utf8 */
    unsigned char carry[16]; /* an incomplete sequence held back from the previous piece */
    size_t ncarry;
    unsigned long long in_off;   /* input bytes consumed so far (for offsets in messages) */
    size_t invalid;              /* invalid input sequences replaced so far */
    long long first_invalid_off; /* input byte offset of the first one, -1 while none */
};

/**
 * Prepares @d to decode from @name (any name iconv_open accepts, e.g. "GBK", "UTF-16BE").
 * Returns 0, or TIFA_EUSAGE with "unknown encoding 'NAME'" in @e when iconv does not know it.
 * @base_off is the file offset of the first byte that will be fed (the BOM length), so
 * first_invalid_off is a file offset.
 */
int decoder_init(struct decoder *d, const char *name, unsigned long long base_off,
                 struct tifa_err *e);

/**
 * Converts @len bytes at @in, APPENDING valid UTF-8 to @out. A sequence cut off at the end of
 * @in is held back until the next call, unless @final is set, in which case it is invalid.
 * Never fails on bad data (see the contract above); returns 0.
 */
int decoder_feed(struct decoder *d, const unsigned char *in, size_t len, int final,
                 struct sbuf *out);

/**
 * Accounts for @n input bytes the caller used directly because encoding_detect() found them to
 * be valid UTF-8 (enc_guess.valid_len): offsets in later messages stay file offsets. Only for a
 * UTF-8 decoder with nothing held back (before the first decoder_feed()).
 */
void decoder_skip_valid(struct decoder *d, size_t n);

/** Frees the iconv descriptor; @d may be initialised again. */
void decoder_release(struct decoder *d);

/**
 * Converts a small file held whole (@len bytes at @buf; a lexicon) to UTF-8, strictly: the
 * encoding is detected as for inputs. Returns 1 with the text (BOM left out) APPENDED to @out;
 * 0 when the bytes are UTF-8, maybe damaged (nothing appended: the caller reads them as they are
 * and reports its own errors); or TIFA_EDATA naming @name and the file offset of the first
 * sequence that is not valid in the detected encoding (a file with one is refused, not repaired).
 * Its signature is lexicon.h's lex_decode_fn.
 */
int encoding_to_utf8(const char *buf, size_t len, const char *name, struct sbuf *out,
                     struct tifa_err *e);

#endif
