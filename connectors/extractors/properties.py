"""People named in a document's properties and annotations, as lines of text.

Authors, last editors and managers in the package properties (OOXML
`docProps/core.xml` and `app.xml`, ODF `meta.xml`), and the authors of
comments and tracked changes (Word `w:author`, Excel `<author>`, PowerPoint
comment authors, ODF annotation `dc:creator`). Read with a regex over each
part's bytes: attribute and element values only, no tree, nothing resolved.
"""
from __future__ import annotations

import html
import re
from typing import Iterable, Iterator

from .zipguard import Package

_MAX_PART = 64 * 1024 * 1024          # a part this big is text, already read by the extractor
_PROPERTY_PARTS = ("docProps/core.xml", "docProps/app.xml", "meta.xml")
_ANNOTATED_PARTS = re.compile(
    r"(word/(document|comments\w*|footnotes|endnotes|header\d*|footer\d*)\.xml"
    r"|xl/comments\d*\.xml|xl/comments/[^/]+\.xml|xl/threadedComments/[^/]+\.xml|xl/persons/person\.xml"
    r"|ppt/commentAuthors\.xml|ppt/authors\.xml|ppt/comments/[^/]+\.xml"
    r"|content\.xml|styles\.xml)$")
# Element values: <dc:creator>, <cp:lastModifiedBy>, <Manager>, <meta:initial-creator>, <author> (xlsx).
_ELEMENTS = re.compile(
    rb"<(?:[\w-]+:)?(creator|lastModifiedBy|Manager|initial-creator|author|printed-by)\b[^>]*>([^<]{1,300})<",
)
# Attribute values: w:author (tracked changes, comments), a person's displayName (Excel threaded
# comments), and the name of a PowerPoint comment author (<p:cmAuthor name=...>, <p188:author name=...>).
_ATTRIBUTES = re.compile(rb'''\s(?:w:author|displayName)="([^"]{1,300})"''')
_AUTHOR_NAMES = re.compile(rb'''<(?:\w+:)?(?:cmAuthor|author)\b[^>]{0,500}?\sname="([^"]{1,300})"''')
_LABELS = {b"creator": "Author", b"initial-creator": "Author", b"lastModifiedBy": "Last modified by",
           b"Manager": "Manager", b"author": "Comment author", b"printed-by": "Printed by"}


def _decoded(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", errors="replace")).strip()


# A pattern runs only over a part holding a word all its matches contain: six substring tests cost
# about one regex pass, and most parts (python-docx's 350 KB word/styles.xml) hold none of them.
_WORDS = (b"uthor", b"creator", b"lastModifiedBy", b"Manager", b"printed-by", b"displayName=")
_ELEMENT_WORDS = {b"uthor", b"creator", b"lastModifiedBy", b"Manager", b"printed-by"}
_ATTRIBUTE_WORDS = {_ATTRIBUTES: {b"uthor", b"displayName="}, _AUTHOR_NAMES: {b"uthor"}}


def _values(data: bytes) -> Iterator[tuple[str, str]]:
    present = {word for word in _WORDS if word in data}
    if present & _ELEMENT_WORDS:
        for m in _ELEMENTS.finditer(data):
            yield _LABELS.get(m.group(1), "Author"), _decoded(m.group(2))
    for pattern, words in _ATTRIBUTE_WORDS.items():
        if present & words:
            for m in pattern.finditer(data):
                yield "Author", _decoded(m.group(1))


class _LargePartValues:
    """The values found in large parts met before, keyed by the part's bytes (issue 16).

    Documents made from one template carry the same large parts: every python-docx document its
    350 KB word/styles.xml, and Word's own templates theirs. Six substring tests over such a part
    cost more than hashing it, and were two thirds of reading a small .docx. Keyed by the bytes
    themselves (a hit compares them whole), so a part gives exactly what reading it gives; per
    process, bounded by the bytes held, emptied when full.
    """

    MIN_BYTES = 64 * 1024          # smaller parts cost less to read than to key
    MAX_HELD = 8 * 1024 * 1024

    def __init__(self):
        self.kept: dict[bytes, tuple[tuple[str, str], ...]] = {}
        self.held = 0

    def values(self, data: bytes) -> Iterable[tuple[str, str]]:
        if len(data) < self.MIN_BYTES or len(data) > self.MAX_HELD:
            return _values(data)
        found = self.kept.get(data)
        if found is None:
            if self.held + len(data) > self.MAX_HELD:
                self.kept.clear()
                self.held = 0
            found = self.kept[data] = tuple(_values(data))
            self.held += len(data)
        return found


_LARGE_PARTS = _LargePartValues()


def people_lines(pkg: Package, skip: Iterable[str] = ()) -> Iterator[str]:
    """`Author: Jane Smith` lines, each person once per label, for every property and annotation
    (`skip`: parts whose values the extractor already gives)."""
    names = pkg.names()
    wanted = [p for p in _PROPERTY_PARTS if p in names] + sorted(
        n for n in names if _ANNOTATED_PARTS.search(n) and n not in _PROPERTY_PARTS)
    seen: set[tuple[str, str]] = set()
    lines = []
    for part in (p for p in wanted if p not in skip):
        if pkg.zip.getinfo(part).file_size > _MAX_PART:
            continue
        for label, value in _LARGE_PARTS.values(pkg.zip.read(part)):
            if value and (label, value) not in seen:
                seen.add((label, value))
                lines.append(f"{label}: {value}")
    if lines:
        yield "\n".join(lines) + "\n"
