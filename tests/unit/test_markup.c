/* Unit tests for markup: the text of Word documents (.docx) and web pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "tifa/markup.h"

/* A ZIP in memory holding @name with @data (libarchive's writer: the reader's counterpart). */
static size_t make_zip(unsigned char *buf, size_t cap, const char *name, const char *data)
{
    struct archive *a = archive_write_new();
    struct archive_entry *ent = archive_entry_new();
    size_t used = 0;
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
    archive_entry_set_pathname(ent, name);
    archive_entry_set_filetype(ent, AE_IFREG);
    archive_entry_set_perm(ent, 0644);
    archive_entry_set_size(ent, (la_int64_t)strlen(data));
    assert_int_equal(archive_write_header(a, ent), ARCHIVE_OK);
    assert_int_equal(archive_write_data(a, data, strlen(data)), (la_ssize_t)strlen(data));
    archive_entry_free(ent);
    archive_write_close(a);
    archive_write_free(a);
    return used;
}

static void test_docx(void **state)
{
    (void)state;
    static unsigned char zip[8192];
    struct sbuf out;
    struct tifa_err e;
    sbuf_init(&out);
    tifa_err_init(&e);
    size_t n = make_zip(zip, sizeof(zip), "word/document.xml",
                        "<w:document xmlns:w=\"urn:w\"><w:body>"
                        "<w:p><w:r><w:t>两个</w:t></w:r><w:r><w:t>维护</w:t><w:tab/>"
                        "<w:t>a&amp;b</w:t><w:br/><w:t>c</w:t></w:r></w:p>"
                        "<w:p><w:del><w:r><w:delText>四个意识</w:delText></w:r></w:del></w:p>"
                        "<w:p><w:r><w:t xml:space=\"preserve\"> 四个自信 </w:t></w:r></w:p>"
                        "</w:body></w:document>");
    assert_int_equal(markup_docx_text("x.docx", zip, n, &out, &e), 0);
    assert_string_equal(out.buf, "两个维护\ta&b\nc\n\n 四个自信 \n");

    /* a ZIP without the Word body is an archive; broken XML is damage, named */
    sbuf_reset(&out);
    n = make_zip(zip, sizeof(zip), "notes.txt", "两个维护");
    assert_int_equal(markup_docx_text("x.zip", zip, n, &out, &e), MARKUP_NOT_DOCX);
    assert_int_equal(out.len, 0);
    n = make_zip(zip, sizeof(zip), "word/document.xml", "<w:document><w:body>");
    assert_int_equal(markup_docx_text("bad.docx", zip, n, &out, &e), TIFA_EDATA);
    assert_string_equal(e.path, "bad.docx");
    assert_non_null(strstr(e.msg, "not well-formed"));
    /* not a ZIP at all (its signature only): no evidence of a Word document */
    tifa_err_init(&e);
    assert_int_equal(
        markup_docx_text("y.docx", (const unsigned char *)"PK\x03\x04junk", 8, &out, &e),
        MARKUP_NOT_DOCX);
    sbuf_release(&out);
}

static const char *html(const char *page)
{
    static struct sbuf out;
    struct tifa_err e;
    tifa_err_init(&e);
    sbuf_release(&out);
    assert_int_equal(markup_html_text("p.html", page, strlen(page), &out, &e), 0);
    return out.buf ? out.buf : "";
}

static void test_html(void **state)
{
    (void)state;
    char name[48];
    assert_string_equal(html("<html><head><title>四个意识</title><style>p{}/*两个维护*/</style>"
                             "<script>var a='两个维护';</script></head><body>\n"
                             "<noscript>四个自信</noscript>\n<h1>标题</h1>\n<p>两个&#x7EF4;护&nbsp;"
                             "&amp;</p>\n  <p>a\n   b<br>c</p><ul><li>一</li><li>二</li></ul>"
                             "<pre>x\n  y</pre><template>四个自信</template>末</body></html>"),
                        "标题\n两个维护\xC2\xA0&\na b\nc\n一\n二\nx\n  y\n末\n");
    /* the text is UTF-8 whatever the page declares (the caller decoded it) */
    assert_string_equal(html("<html><head><meta charset=\"gbk\"></head><body>两</body></html>"),
                        "两\n");
    assert_string_equal(html(" \n "), "");
    assert_true(markup_html_charset((const unsigned char *)"<meta charset=\"gbk\"><p>x", 22, name));
    assert_string_equal(name, "GBK");
    const char *eq = "<html><head><meta http-equiv=\"Content-Type\" "
                     "content=\"text/html; charset=utf-8\"></head></html>";
    assert_true(markup_html_charset((const unsigned char *)eq, strlen(eq), name));
    assert_string_equal(name, "UTF-8");
    assert_false(markup_html_charset((const unsigned char *)"<p>x", 4, name));
    assert_string_equal(name, "");
}

static void test_is_html(void **state)
{
    (void)state;
    const unsigned char *t = (const unsigned char *)"plain text";
    assert_true(markup_is_html("a/b.HTML", t, 10));
    assert_true(markup_is_html("b.htm", t, 10));
    assert_false(markup_is_html("b.html.txt", t, 10));
    assert_false(markup_is_html("a.htm/b", t, 10));
    assert_false(markup_is_html("b.txt", t, 10));
    const char *d = "\xEF\xBB\xBF \n<!doctype HTML><p>";
    assert_true(markup_is_html("-", (const unsigned char *)d, strlen(d)));
    assert_true(markup_is_html("x", (const unsigned char *)"<HTML>", 6));
    assert_false(markup_is_html("x", (const unsigned char *)"<htm", 4));
    assert_false(markup_is_html("x", (const unsigned char *)"text <html>", 11));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docx),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_is_html),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
