"""People named in a document's properties and annotations, as lines of text.

Authors, last editors and managers in the package properties (OOXML
`docProps/core.xml` and `app.xml`, ODF `meta.xml`), and the authors of
comments and tracked changes (Word `w:author`, Excel `<author>`, PowerPoint
comment authors, ODF annotation `dc:creator`). Read with a regex over each
part's bytes: attribute and element values only, no tree, nothing resolved.
"""
from __future__ import annotations

import hashlib
import html
import re
import zipfile
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
    """The values found in large parts met before, keyed by the part as the zip stores it (issue 16).

    Documents made from one template carry the same large parts: every python-docx document its
    350 KB word/styles.xml, and Word's own templates theirs. Six substring tests over such a part
    cost more than hashing it, and inflating it (~0.7 ms) cost more than both: a small .docx was
    mostly this part. The key is a digest of what zipfile reads the part from (its directory entry's
    name, flags, method, CRC and sizes, its local header, its compressed bytes): zipfile turns equal
    inputs into equal bytes, so a part met again gives exactly what reading it gives, without being
    inflated. Per process, bounded, emptied when full.
    """

    MIN_BYTES = 64 * 1024          # smaller parts cost less to read than to key
    MAX_BYTES = 8 * 1024 * 1024    # a larger part is read as it comes
    MAX_KEPT = 2048

    def __init__(self):
        self.kept: dict[bytes, tuple[tuple[str, str], ...]] = {}

    def values(self, zf: zipfile.ZipFile, part: str) -> Iterable[tuple[str, str]]:
        info = zf.getinfo(part)
        key = _stored_form(zf, info) if self.MIN_BYTES <= info.file_size <= self.MAX_BYTES else None
        found = self.kept.get(key) if key is not None else None
        if found is not None:
            return found
        data = zf.read(part)
        if key is None or not self.MIN_BYTES <= len(data) <= self.MAX_BYTES:
            return _values(data)
        if len(self.kept) >= self.MAX_KEPT:
            self.kept.clear()
        found = self.kept[key] = tuple(_values(data))
        return found


def _stored_form(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """A digest of everything zipfile reads `info`'s bytes from; None where the stored form is not there."""
    try:
        zf.fp.seek(info.header_offset)
        local = zf.fp.read(_LOCAL_HEADER)
        if len(local) != _LOCAL_HEADER:
            return None
        local += zf.fp.read(int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little"))
        stored = zf.fp.read(info.compress_size)
    except (AttributeError, OSError, ValueError):     # a closed or unseekable archive: read the part
        return None
    digest = hashlib.blake2b(digest_size=32)
    entry = (info.orig_filename, info.flag_bits, info.compress_type, info.CRC, info.file_size, info.compress_size,
             zf.metadata_encoding)
    for piece in (repr(entry).encode(), local, stored):
        digest.update(len(piece).to_bytes(8, "little"))
        digest.update(piece)
    return digest.digest()


_LOCAL_HEADER = 30     # bytes of a zip local file header before its name and extra field


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
        for label, value in _LARGE_PARTS.values(pkg.zip, part):
            if value and (label, value) not in seen:
                seen.add((label, value))
                lines.append(f"{label}: {value}")
    if lines:
        yield "\n".join(lines) + "\n"
