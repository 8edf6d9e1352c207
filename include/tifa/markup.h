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
 * HTML: script, style, noscript and template are dropped; block elements (p, div, br, li, h1-h6,
 * tr, td, ...) become line breaks; entities are decoded by the parser. The charset the page
 * declares (meta charset or http-equiv) is honoured; without one, @encoding (the detected or
 * forced encoding) is used; a forced encoding (@force) wins over the declaration.
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
 * Appends the text of the web page @html (@len bytes) to @out. @encoding is the encoding to
 * read it in when it declares none (or always, when @force). @used gets the encoding the page
 * was read as. Returns 0 or TIFA_EDATA with @e naming @path.
 */
int markup_html_text(const char *path, const unsigned char *html, size_t len, const char *encoding,
                     int force, struct sbuf *out, char used[48], struct tifa_err *e);

#endif
