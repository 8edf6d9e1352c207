/*
 * markup: the text of a Word document (.docx) or a web page (.html, .htm), as UTF-8.
 *
 * Owns: recognising such files (a ZIP holding word/document.xml; an .html/.htm name or a
 * leading "<!DOCTYPE html" or "<html"), opening the ZIP (libarchive) and parsing the XML or
 * HTML (libxml2, no network, no external entities), and turning the tree into lines of text.
 * Must not: read files (source.c hands over the bytes), count, print or pick exit codes.
 *
 * DOCX: only the body (word/document.xml): w:t is text, w:tab a tab, w:br/w:cr and the end of
 * each paragraph (w:p) a line break. Headers, footers, footnotes and comments are left out: they
 * repeat on every page or are not the speech.
 * HTML: the head, script, style, noscript and template are dropped; block elements (p, div,
 * br, li, h1-h6, tr, td, ...) become line breaks; white space outside pre collapses; entities
 * are decoded by the parser. The page's bytes are decoded by the caller (encoding.h, which
 * replaces and counts invalid sequences as for any file), in the charset the page declares
 * (markup_html_charset) or another; libxml2 then only parses UTF-8.
 */
#ifndef TIFA_MARKUP_H
#define TIFA_MARKUP_H

#include <stddef.h>

#include "tifa/err.h"
#include "tifa/sbuf.h"

/* Largest file or ZIP member read (uncompressed): a ZIP bomb stops here. */
#define MARKUP_MAX_BYTES ((size_t)256 << 20)

/* markup_docx_text(): a ZIP without word/document.xml (an archive, not a Word document). */
#define MARKUP_NOT_DOCX 1

/** Whether the file looks like a web page: an .html/.htm name (any case), or first bytes that,
 * after a UTF-8 BOM and white space, are "<!DOCTYPE html" or "<html" (any case). */
int markup_is_html(const char *path, const unsigned char *head, size_t n);

/**
 * Appends the text of the Word document held in @zip (@len bytes) to @out. Returns 0,
 * MARKUP_NOT_DOCX (nothing appended), TIFA_EDATA (a damaged ZIP or XML) or TIFA_ELIMIT
 * (document.xml larger than MARKUP_MAX_BYTES), with @e naming @path.
 */
int markup_docx_text(const char *path, const unsigned char *zip, size_t len, struct sbuf *out,
                     struct tifa_err *e);

/**
 * The charset the web page @html declares (<meta charset> or http-equiv Content-Type, as
 * libxml2 finds it), in upper case, into @name; returns 0 when it declares none.
 */
int markup_html_charset(const unsigned char *html, size_t len, char name[48]);

/**
 * Appends the text of the web page @utf8 (@len bytes of valid UTF-8, whatever the page
 * declares) to @out. Returns 0, or TIFA_EDATA (nothing a parser could read; an empty page is
 * not an error) or TIFA_ELIMIT (larger than MARKUP_MAX_BYTES) with @e naming @path.
 */
int markup_html_text(const char *path, const char *utf8, size_t len, struct sbuf *out,
                     struct tifa_err *e);

#endif
