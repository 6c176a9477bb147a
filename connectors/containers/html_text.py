"""HTML bodies to plain text: visible text only, blocks kept on their own lines."""
from __future__ import annotations

import re

import lxml.etree

_BLOCKS = ("p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
           "td", "th", "blockquote", "pre", "section", "article", "header", "footer", "title")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_TAGS = re.compile(r"<[^>]*>")
# lxml.html.document_fromstring and HtmlElement.text_content, on lxml.etree's plain elements: the same
# libxml2 HTML parser and the same string() XPath, without lxml.html's Python element class looked up
# for every element the walk below touches (a fifth of the time here).
_PARSER = lxml.etree.HTMLParser()
_STRING_CONTENT = lxml.etree.XPath("string()")


def html_to_text(html: str) -> str:
    if not html.strip():
        return ""
    try:
        doc = lxml.etree.fromstring(html, _PARSER)
        if doc is None:
            raise lxml.etree.ParserError("Document is empty")    # as document_fromstring does
        lxml.etree.strip_elements(doc, "script", "style", "head", with_tail=False)
        for element in doc.iter(*_BLOCKS):
            # Cells and paragraphs must not run together ("Jane" "Smith" -> "JaneSmith").
            element.tail = "\n" + (element.tail or "")
        text = _STRING_CONTENT(doc)
    except (lxml.etree.LxmlError, ValueError, TypeError):
        text = _TAGS.sub(" ", html)   # broken beyond lxml's repair: drop tags crudely
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", text).strip()
