"""XML and HTML: streamed through lxml's parser-target interface, no tree kept.

XML: element text and attribute values. Entities are never resolved, the
network is never used and huge_tree stays off, so billion-laughs and XXE
files are harmless. HTML: visible text (not script/style), plus `alt`,
`title` and `mailto:`/`tel:` links, which often hold the contact itself.
Both parse in recover mode: a truncated file gives up the text before the cut.
"""
from __future__ import annotations

import re

from typing import Iterator

from lxml import etree

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .common import guarded
from .encoding import guess_encoding

_READ = 256 * 1024
_HTML_HIDDEN = {"script", "style", "template"}
_HTML_BLOCKS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
                "section", "article", "header", "footer", "table", "ul", "ol", "dd", "dt",
                "address", "blockquote", "pre", "title", "option", "form", "label", "button"}
# Python codec names libxml2 spells otherwise; a BOM speaks for itself (None).
_LIBXML_NAMES = {"utf-8-sig": None, "utf-16": None, "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE",
                 "cp1252": "windows-1252"}
_HTML_ATTRS = ("alt", "title", "placeholder", "value")
_CONTACT_LINK = re.compile(r"(?:3D)?[\"']?(?:mailto|tel):", re.IGNORECASE)
_HTML_META_PEOPLE = {"author", "creator", "dc.creator", "dcterms.creator", "dc.contributor", "publisher",
                     "owner", "reply-to", "designer", "copyright", "article:author", "og:author",
                     "twitter:creator", "citation_author"}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


class _XmlTarget:
    """Collects text and attribute values; `take()` hands over what was collected."""

    def __init__(self):
        self.out: list[str] = []

    def start(self, tag, attrib):
        values = [v for v in attrib.values() if v and v.strip()]
        if values:
            self.out.append(" ".join(values) + "\n")

    def end(self, tag):
        self.out.append("\n")

    def data(self, text):
        self.out.append(text)

    def comment(self, text):
        pass

    def close(self):
        return None

    def take(self) -> str:
        text, self.out = "".join(self.out), []
        return text


class _HtmlTarget(_XmlTarget):
    def __init__(self):
        super().__init__()
        self.hidden = 0   # depth inside script/style/template

    def start(self, tag, attrib):
        name = _local(tag)
        if name in _HTML_HIDDEN:
            self.hidden += 1
        if self.hidden:
            return
        if name == "meta":
            self._meta(attrib)
            return
        values = [attrib.get(a, "") for a in _HTML_ATTRS]
        href = attrib.get("href", "")
        if _CONTACT_LINK.match(href):   # also an undecoded quoted-printable href=3D"mailto:…"
            values.append(href.split(":", 1)[1].split("?", 1)[0].strip("\"'"))
        values = [v for v in values if v and v.strip()]
        if values:
            self.out.append(" " + " ".join(values) + " ")

    def _meta(self, attrib) -> None:
        """<meta name="author" content="...">: the people a page names in its head."""
        name = (attrib.get("name") or attrib.get("property") or "").strip().lower()
        content = (attrib.get("content") or "").strip()
        if content and name in _HTML_META_PEOPLE:
            self.out.append(f"\n{name}: {content}\n")

    def end(self, tag):
        name = _local(tag)
        if name in _HTML_HIDDEN and self.hidden:
            self.hidden -= 1
        elif name in _HTML_BLOCKS and not self.hidden:
            self.out.append("\n")

    def data(self, text):
        if not self.hidden:
            self.out.append(text)


def _feed(blob: Blob, parser, target: _XmlTarget) -> Iterator[str]:
    with blob.open() as f:
        while raw := f.read(_READ):
            parser.feed(raw)
            if text := target.take():
                yield text
    try:
        parser.close()
    except etree.XMLSyntaxError:
        pass  # recover mode: what was parsed has been yielded
    if text := target.take():
        yield text


def extract_xml(blob: Blob, ctx: ExploreContext) -> Extracted:
    target = _XmlTarget()
    parser = etree.XMLParser(target=target, resolve_entities=False, no_network=True, huge_tree=False,
                             recover=True, load_dtd=False, dtd_validation=False)
    return Extracted(guarded("xml", _feed(blob, parser, target)))


def extract_html(blob: Blob, ctx: ExploreContext) -> Extracted:
    target = _HtmlTarget()
    # libxml2 reads undeclared HTML as Latin-1; most of it is UTF-8, so say which from the bytes.
    encoding = _LIBXML_NAMES.get(guess_encoding(blob.head()), guess_encoding(blob.head()))
    try:
        parser = etree.HTMLParser(target=target, no_network=True, huge_tree=False, recover=True,
                                  encoding=encoding)
    except LookupError:  # a codec Python knows and libxml2 does not: let libxml2 guess
        parser = etree.HTMLParser(target=target, no_network=True, huge_tree=False, recover=True)
    return Extracted(guarded("html", _feed(blob, parser, target)))
