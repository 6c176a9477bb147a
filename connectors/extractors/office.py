"""DOCX, PPTX and ODT: text of every paragraph, streamed from the package's XML parts.

The parts are read with lxml.iterparse (no entities, no network, no huge
trees) one paragraph at a time, and each paragraph is freed once read, so a
large document never sits whole in memory. Reading the parts directly also
covers what python-docx's object model skips: text boxes, footnotes,
endnotes, comments, tracked deletions and the author in the core properties.
"""
from __future__ import annotations

import itertools
import re
from typing import Callable, Iterable, Iterator

from lxml import etree

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .common import capped, guarded
from .properties import people_lines
from .docx_altchunk import altchunk_text
from .zipguard import Package, open_package

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"

_DOCX_PARTS = re.compile(r"word/(header|footer|footnotes|endnotes|comments)\d*\.xml$")
_PPTX_SLIDE = re.compile(r"ppt/(slides/slide|notesSlides/notesSlide)(\d+)\.xml$")
_DIAGRAMS = re.compile(r"(word|ppt)/diagrams/data\d*\.xml$")          # SmartArt text
_LINK_RELS = re.compile(r"(word|ppt/slides)/_rels/[^/]+\.rels$")      # hyperlink targets
_CONTACT_TARGET = re.compile(r'Target="(?:mailto|tel):([^"?]{1,320})', re.I)
_META_PARTS = ("docProps/core.xml", "meta.xml")

_OOXML_TEXT = {W + "t", W + "delText", W + "instrText", A + "t"}
_OOXML_TAB = {W + "tab", W + "ptab"}
_OOXML_BREAK = {W + "br", W + "cr", A + "br"}


def iter_xml(stream, tags: Iterable[str]):
    """End events for `tags`, parsed safely (entities unresolved, no network, no huge tree)."""
    return etree.iterparse(stream, events=("end",), tag=tuple(tags), resolve_entities=False,
                           no_network=True, huge_tree=False, load_dtd=False, remove_comments=True)


def release(el) -> None:
    """Free a processed element and earlier processed siblings (iterparse keeps them otherwise)."""
    el.clear(keep_tail=True)
    while (prev := el.getprevious()) is not None and not (prev.tail or "").strip():
        del el.getparent()[0]


def ooxml_text(block) -> str:
    parts = []
    for el in block.iter():
        if el.tag in _OOXML_TEXT:
            parts.append(el.text or "")
        elif el.tag in _OOXML_TAB:
            parts.append("\t")
        elif el.tag in _OOXML_BREAK:
            parts.append("\n")
    return "".join(parts)


def odf_text(el) -> str:
    """ODF paragraphs are mixed content: text, spans and tails, with <text:s c="3"/> for spaces."""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == TEXT + "s":
            parts.append(" " * _count(child.get(TEXT + "c")))
        elif tag == TEXT + "tab":
            parts.append("\t")
        elif tag == TEXT + "line-break":
            parts.append("\n")
        else:
            parts.append(odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _count(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def paragraphs(pkg: Package, part: str, blocks: set[str], text_of: Callable) -> Iterator[str]:
    with pkg.zip.open(part) as stream:
        for _event, el in iter_xml(stream, blocks):
            text = text_of(el)
            release(el)
            yield text + "\n"


def metadata(pkg: Package) -> Iterator[str]:
    """Core properties (author, last modified by, title): leaf values, one per line."""
    for part in _META_PARTS:
        if part in pkg.zip.NameToInfo:
            with pkg.zip.open(part) as stream:
                root = etree.parse(stream, etree.XMLParser(resolve_entities=False, no_network=True,
                                                           huge_tree=False, load_dtd=False)).getroot()
            values = [el.text.strip() for el in root.iter() if len(el) == 0 and el.text and el.text.strip()]
            if values:
                yield "\n".join(values) + "\n"


def link_targets(pkg: Package) -> Iterator[str]:
    """`mailto:` and `tel:` hyperlink targets: the address behind a link that reads "email me"."""
    for part in sorted(n for n in pkg.names() if _LINK_RELS.match(n)):
        if pkg.zip.getinfo(part).file_size > 16 * 1024 * 1024:
            continue
        found = _CONTACT_TARGET.findall(pkg.zip.read(part).decode("utf-8", errors="replace"))
        if found:
            yield "\n".join(found) + "\n"


def _stream(pkg: Package, ctx: ExploreContext, parts: list[str], blocks: set[str], text_of) -> Iterator[str]:
    try:
        for part in parts:
            yield from paragraphs(pkg, part, blocks, text_of)
        yield from metadata(pkg)
        yield from people_lines(pkg, skip=_META_PARTS)    # app.xml's manager; comment and change authors
        yield from link_targets(pkg)
        yield from _pictures(pkg, ctx)
    finally:
        pkg.close()


def _extract(blob: Blob, ctx: ExploreContext, fmt: str, main: str, pick, blocks, text_of) -> Extracted:
    pkg = open_package(blob, ctx, fmt, required=main)
    parts = pick(pkg.names())
    return Extracted.paged(capped(guarded(fmt, _stream(pkg, ctx, parts, blocks, text_of)), ctx))


def _pictures(pkg: Package, ctx: ExploreContext) -> Iterator[str]:
    """The OCR hook: text recognised in the package's pictures (a scan pasted into a letter)."""
    from ..ocr.embedded import package_images
    return package_images(pkg.zip, ctx)


def _docx_parts(names: list[str]) -> list[str]:
    extra = sorted(n for n in names if _DOCX_PARTS.match(n) or _DIAGRAMS.match(n))
    return ["word/document.xml"] + extra


def _pptx_parts(names: list[str]) -> list[str]:
    found = [(m.group(1) != "slides/slide", int(m.group(2)), n) for n in names if (m := _PPTX_SLIDE.match(n))]
    return [n for *_key, n in sorted(found)] + sorted(n for n in names if _DIAGRAMS.match(n))


def extract_docx(blob: Blob, ctx: ExploreContext) -> Extracted:
    main = _extract(blob, ctx, "docx", "word/document.xml", _docx_parts, {W + "p"}, ooxml_text)
    return Extracted(itertools.chain(main.chunks, with_altchunks(blob, ctx)), main.fields, main.pages)


def with_altchunks(blob: Blob, ctx: ExploreContext) -> Iterator[str]:
    """Imported documents (altChunk: HTML, MHT, RTF) after the document's own text."""
    return capped(guarded("docx", altchunk_text(blob, ctx)), ctx)


def extract_pptx(blob: Blob, ctx: ExploreContext) -> Extracted:
    return _extract(blob, ctx, "pptx", "ppt/presentation.xml", _pptx_parts, {A + "p"}, ooxml_text)


def extract_odt(blob: Blob, ctx: ExploreContext) -> Extracted:
    parts = lambda names: ["content.xml"] + (["styles.xml"] if "styles.xml" in names else [])  # noqa: E731
    return _extract(blob, ctx, "odt", "content.xml", parts, {TEXT + "p", TEXT + "h"}, odf_text)


def extract_odp(blob: Blob, ctx: ExploreContext) -> Extracted:
    """ODP/ODG: slides, notes and shapes hold their text in the same text:p/text:h as ODT."""
    parts = lambda names: ["content.xml"] + (["styles.xml"] if "styles.xml" in names else [])  # noqa: E731
    return _extract(blob, ctx, "odp", "content.xml", parts, {TEXT + "p", TEXT + "h"}, odf_text)
