#!/usr/bin/env python3
"""Makes the fixtures of this folder from corpus/000_34a5f8082b9599c1.txt (tifa's own corpus).

Run from the repository root: python3 tests/data/formats/make-fixtures.py
The outputs are committed; tests need neither python3 nor zip.

speech.txt          the speech as it is
speech.docx         a Word document: one w:p per line, the first line cut into two runs (w:r)
                    in the middle of a word; a header part and a deleted-text run (w:delText)
                    holding formulas that must NOT be counted (tifa reads the body only)
speech.html         UTF-8 with <meta charset>: one <p> per line; a <script>, a <style> and a
                    <noscript> holding formulas that must NOT be counted; the first Han
                    character written &#x4E24; where it is 两, and &nbsp; / &amp; at line ends
speech-gbk.html     the same page in GBK, declared by <meta http-equiv="Content-Type">
speech-nodecl.htm   the same page in GB18030 with no charset declared (tifa's detection)
other.zip           a ZIP without word/document.xml (an archive, not a Word document)
"""
import zipfile
from xml.sax.saxutils import escape

SRC = "corpus/000_34a5f8082b9599c1.txt"
OUT = "tests/data/formats/"
NOISE = "两个维护 四个意识 四个自信 两个确立 中国特色社会主义"

text = open(SRC, encoding="utf-8").read()
lines = [l for l in text.split("\n") if l]
open(OUT + "speech.txt", "w", encoding="utf-8").write(text)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
paras = []
for i, l in enumerate(lines):
    if i == 0:
        cut = len(l) // 2
        runs = "<w:r><w:t>%s</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>%s</w:t></w:r>" % (
            escape(l[:cut]), escape(l[cut:]))
        runs += "<w:del><w:r><w:delText>%s</w:delText></w:r></w:del>" % NOISE
    else:
        runs = "<w:r><w:t xml:space=\"preserve\">%s</w:t></w:r>" % escape(l)
    paras.append("<w:p>%s</w:p>" % runs)
document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:document xmlns:w="%s"><w:body>%s<w:sectPr/></w:body></w:document>' % (W, "".join(paras)))
header = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<w:hdr xmlns:w="%s"><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:hdr>' % (W, NOISE))
types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Override PartName="/word/document.xml" ContentType="application/'
         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
FIXED = (1980, 1, 1, 0, 0, 0)  # reproducible bytes


def add(z, name, data):
    info = zipfile.ZipInfo(name, FIXED)
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, data)


with zipfile.ZipFile(OUT + "speech.docx", "w") as z:
    add(z, "[Content_Types].xml", types)
    add(z, "_rels/.rels", rels)
    add(z, "word/document.xml", document)
    add(z, "word/header1.xml", header)
with zipfile.ZipFile(OUT + "other.zip", "w") as z:
    add(z, "notes/speech.txt", text)


def page(meta):
    body = []
    for i, l in enumerate(lines):
        h = escape(l)
        if i == 0:
            h = h.replace("两", "&#x4E24;", 1)
        if i == 1:
            h += "&nbsp;"
        if i == 2:
            h += " &amp;"
        body.append("<p>%s</p>" % h)
    return ("<!DOCTYPE html>\n<html><head>%s<title>%s</title>\n"
            "<style>/* %s */ p { margin: 0 }</style>\n"
            "<script>var s = \"%s\";</script></head>\n<body>\n"
            "<noscript>%s</noscript>\n%s\n</body></html>\n"
            % (meta, NOISE, NOISE, NOISE, NOISE, "\n".join(body)))


open(OUT + "speech.html", "w", encoding="utf-8").write(page('<meta charset="utf-8">'))
open(OUT + "speech-gbk.html", "w", encoding="gbk").write(
    page('<meta http-equiv="Content-Type" content="text/html; charset=gbk">'))
open(OUT + "speech-nodecl.htm", "w", encoding="gb18030").write(page(""))
