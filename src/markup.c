/*
 * markup: Word documents and web pages as text.
 *
 * How it works: a DOCX is opened from memory with libarchive, which reads the ZIP's entries in
 * order; the one named word/document.xml is read whole (refused above MARKUP_MAX_BYTES, so a
 * ZIP bomb costs at most that) and parsed by libxml2's XML reader. An HTML page is parsed by
 * libxml2's HTML parser with recovery. Both trees are walked once, appending text to the
 * caller's buffer. libxml2's global state is set up once (xmlInitParser, under pthread_once:
 * 2.9's lazy set-up on first use races when worker threads parse their first files at once) and
 * never torn down: xmlCleanupParser() per file would break other threads still parsing.
 */
#include "tifa/markup.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <pthread.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tifa/xalloc.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

static int name_is(const xmlNode *n, const char *name)
{
    return !strcmp((const char *)n->name, name);
}

/* Ends the current line unless the text is empty or already ends one (HTML blocks). */
static void line_break_once(struct sbuf *out)
{
    if (out->len && out->buf[out->len - 1] != '\n')
        sbuf_addch(out, '\n');
}

static void docx_walk(const xmlNode *n, struct sbuf *out)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (name_is(n, "t")) {
            for (const xmlNode *c = n->children; c; c = c->next)
                if (c->type == XML_TEXT_NODE && c->content)
                    sbuf_addstr(out, (const char *)c->content);
        } else if (name_is(n, "tab")) {
            sbuf_addch(out, '\t');
        } else if (name_is(n, "br") || name_is(n, "cr")) {
            sbuf_addch(out, '\n');
        } else if (name_is(n, "delText") || name_is(n, "instrText")) {
            continue; /* deleted text of tracked changes, field codes: not the speech */
        } else {
            docx_walk(n->children, out);
            if (name_is(n, "p"))
                sbuf_addch(out, '\n');
        }
    }
}

int markup_docx_text(const char *path, const unsigned char *zip, size_t len, struct sbuf *out,
                     struct tifa_err *e)
{
    struct archive *a = archive_read_new();
    struct archive_entry *ent;
    int rc = MARKUP_NOT_DOCX;
    pthread_once(&xml_once, xml_init);
    if (!a)
        return tifa_err_set(e, TIFA_ENOMEM, path, 0, -1, "cannot start the ZIP reader");
    archive_read_support_format_zip(a);
    if (archive_read_open_memory(a, zip, len) != ARCHIVE_OK) {
        rc = tifa_err_set(e, TIFA_EDATA, path, 0, -1, "damaged Word document (ZIP): %s",
                          archive_error_string(a));
        goto out;
    }
    for (;;) {
        int r = archive_read_next_header(a, &ent);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            /* a ZIP that breaks before any Word part is no evidence of a Word document */
            if (rc == MARKUP_NOT_DOCX)
                break;
            goto out;
        }
        const char *name = archive_entry_pathname(ent);
        if (!name || strcmp(name, "word/document.xml")) {
            if (name && !strncmp(name, "word/", 5))
                rc = TIFA_EDATA; /* a Word part was seen: errors from here on are damage */
            continue;
        }
        struct sbuf xml;
        sbuf_init(&xml);
        char chunk[65536];
        la_ssize_t got;
        while ((got = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
            if (xml.len + (size_t)got > MARKUP_MAX_BYTES) {
                sbuf_release(&xml);
                rc = tifa_err_set(e, TIFA_ELIMIT, path, 0, -1,
                                  "word/document.xml is larger than %zu MiB uncompressed; not read",
                                  MARKUP_MAX_BYTES >> 20);
                goto out;
            }
            sbuf_add(&xml, chunk, (size_t)got);
        }
        if (got < 0) {
            sbuf_release(&xml);
            rc = tifa_err_set(e, TIFA_EDATA, path, 0, -1,
                              "damaged Word document: cannot read word/document.xml: %s",
                              archive_error_string(a));
            goto out;
        }
        xmlDoc *doc = xmlReadMemory(xml.buf ? xml.buf : "", (int)xml.len, "document.xml", NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        sbuf_release(&xml);
        if (!doc) {
            rc = tifa_err_set(e, TIFA_EDATA, path, 0, -1,
                              "damaged Word document: word/document.xml is not well-formed XML");
            goto out;
        }
        docx_walk(xmlDocGetRootElement(doc), out);
        xmlFreeDoc(doc);
        rc = 0;
        goto out;
    }
    if (rc != MARKUP_NOT_DOCX)
        rc = tifa_err_set(e, TIFA_EDATA, path, 0, -1, "damaged Word document: %s",
                          archive_error_string(a) ? archive_error_string(a)
                                                  : "no word/document.xml");
out:
    archive_read_free(a);
    return rc;
}

static int html_dropped(const xmlNode *n)
{
    static const char *const names[] = {"script", "style", "noscript", "template", "head"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcasecmp((const char *)n->name, names[i]))
            return 1;
    return 0;
}

static int html_block(const xmlNode *n)
{
    static const char *const names[] = {
        "address", "article", "aside", "blockquote", "body",   "caption", "dd",    "details",
        "div",     "dl",      "dt",    "figcaption", "figure", "footer",  "form",  "h1",
        "h2",      "h3",      "h4",    "h5",         "h6",     "header",  "hr",    "li",
        "main",    "nav",     "ol",    "p",          "pre",    "section", "table", "tbody",
        "td",      "tfoot",   "th",    "thead",      "title",  "tr",      "ul"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcasecmp((const char *)n->name, names[i]))
            return 1;
    return 0;
}

/* Text outside <pre> is laid out as a browser does: runs of white space are one space, none
 * at the start of a line (so the line breaks between tags in the source add nothing). */
static void html_text(const char *s, int pre, struct sbuf *out)
{
    if (pre) {
        sbuf_addstr(out, s);
        return;
    }
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') {
            if (out->len && out->buf[out->len - 1] != '\n' && out->buf[out->len - 1] != ' ')
                sbuf_addch(out, ' ');
        } else {
            sbuf_addch(out, *s);
        }
    }
}

static void html_walk(const xmlNode *n, int pre, struct sbuf *out)
{
    for (; n; n = n->next) {
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            html_text((const char *)n->content, pre, out);
        } else if (n->type == XML_ELEMENT_NODE && !html_dropped(n)) {
            if (!strcasecmp((const char *)n->name, "br")) {
                sbuf_addch(out, '\n');
                continue;
            }
            int block = html_block(n);
            if (block)
                line_break_once(out);
            html_walk(n->children, pre || !strcasecmp((const char *)n->name, "pre"), out);
            if (block)
                line_break_once(out);
        }
    }
}

int markup_is_html(const char *path, const unsigned char *head, size_t n)
{
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/') && (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm")))
        return 1;
    size_t i = n >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    return (n - i >= 14 && !strncasecmp((const char *)head + i, "<!DOCTYPE html", 14)) ||
           (n - i >= 5 && !strncasecmp((const char *)head + i, "<html", 5));
}

static htmlDocPtr html_parse(const char *html, size_t len, const char *encoding)
{
    pthread_once(&xml_once, xml_init);
    return htmlReadMemory(html, (int)len, NULL, encoding,
                          HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                              HTML_PARSE_NOWARNING);
}

int markup_html_charset(const unsigned char *html, size_t len, char name[48])
{
    /* libxml2 records in doc->encoding the charset the page declares (or its BOM's); a
     * declaration belongs in the head, so the first 64 KiB are enough */
    size_t head = len < ((size_t)64 << 10) ? len : (size_t)64 << 10;
    htmlDocPtr doc = head ? html_parse((const char *)html, head, NULL) : NULL;
    size_t i = 0;
    if (doc && doc->encoding) /* in the upper case of tifa's names ("utf-8" -> "UTF-8") */
        for (const char *c = (const char *)doc->encoding; *c && i + 1 < 48; c++)
            name[i++] = (char)toupper((unsigned char)*c);
    name[i] = '\0';
    xmlFreeDoc(doc);
    return i > 0;
}

int markup_html_text(const char *path, const char *utf8, size_t len, struct sbuf *out,
                     struct tifa_err *e)
{
    if (len > MARKUP_MAX_BYTES)
        return tifa_err_set(e, TIFA_ELIMIT, path, 0, -1, "web page larger than %zu MiB; not read",
                            MARKUP_MAX_BYTES >> 20);
    htmlDocPtr doc = html_parse(utf8, len, "UTF-8");
    if (!doc) {
        /* the parser gives no tree for a page of white space only: that is an empty text */
        for (size_t i = 0; i < len; i++)
            if (!strchr(" \t\r\n\f", utf8[i]) || !utf8[i])
                return tifa_err_set(e, TIFA_EDATA, path, 0, -1, "cannot read the web page");
        return 0;
    }
    html_walk(xmlDocGetRootElement(doc), 0, out);
    xmlFreeDoc(doc);
    return 0;
}
