"""PDF objects beyond the page text: embedded files, file-attachment annotations, form data.

pdfminer decodes a stream whole and without bound, so the streams read here
(attachments, XFA packets) are decoded by `stream_reader` instead: deciphered
by pdfminer's own handler, then inflated piece by piece, so the caller's
limits (ContainerBudget) count every byte as it comes.
"""
from __future__ import annotations

import zlib
from typing import BinaryIO, Iterator

from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfminer.psparser import PSLiteral

from ..errors import UnsupportedError

MAX_NAME_TREE_NODES = 10_000      # a looping or huge /Kids tree ends here
MAX_NAME_TREE_DEPTH = 32
MAX_ANNOTATED_PAGES = 100_000
_CHUNK = 1024 * 1024


def _text(value) -> str:
    value = resolve1(value)
    if isinstance(value, bytes):
        if value[:2] in (b"\xfe\xff", b"\xff\xfe"):
            return value.decode("utf-16", errors="replace")
        return value.decode("latin-1")
    if isinstance(value, PSLiteral):
        return str(value.name)
    return value if isinstance(value, str) else ""


def _dict(value) -> dict:
    value = resolve1(value)
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    value = resolve1(value)
    return value if isinstance(value, list) else []


def file_spec(spec) -> tuple[str, PDFStream] | None:
    """(file name, embedded stream) of a file specification that embeds its file."""
    spec = _dict(spec)
    stream = resolve1(_dict(spec.get("EF")).get("UF") or _dict(spec.get("EF")).get("F"))
    if not isinstance(stream, PDFStream):
        return None
    name = _text(spec.get("UF")) or _text(spec.get("F")) or _text(spec.get("Desc"))
    name = name.replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "").strip()
    return name, stream


def _name_tree(node, depth: int, budget: list[int]) -> Iterator:
    """The values of a name tree (/Names pairs, /Kids subtrees), bounded in depth and size."""
    node = _dict(node)
    budget[0] -= 1
    if depth > MAX_NAME_TREE_DEPTH or budget[0] < 0:
        return
    names = _list(node.get("Names"))
    yield from names[1::2]
    for kid in _list(node.get("Kids")):
        yield from _name_tree(kid, depth + 1, budget)


def embedded_files(doc) -> Iterator[tuple[str, PDFStream]]:
    """The document's embedded files (catalog /Names /EmbeddedFiles), then the files attached to
    pages as annotations (/FileAttachment), each once (a file listed in both is one file)."""
    seen: set[int] = set()
    tree = _dict(_dict(doc.catalog.get("Names")).get("EmbeddedFiles"))
    specs = list(_name_tree(tree, 0, [MAX_NAME_TREE_NODES]))
    for spec in specs + list(_attachment_annotations(doc)):
        found = file_spec(spec)
        if found and id(found[1]) not in seen:
            seen.add(id(found[1]))
            yield found


def _attachment_annotations(doc) -> Iterator:
    for number, page in enumerate(PDFPage.create_pages(doc)):
        if number >= MAX_ANNOTATED_PAGES:
            return
        for annot in _list(page.annots):
            annot = _dict(annot)
            subtype = resolve1(annot.get("Subtype"))
            if isinstance(subtype, PSLiteral) and subtype.name == "FileAttachment":
                yield annot.get("FS")


def stream_reader(stream: PDFStream) -> BinaryIO:
    """The stream's decoded bytes as a reader: no filter, or FlateDecode without a predictor."""
    data = stream.rawdata if stream.rawdata is not None else stream.data
    if stream.rawdata is not None and stream.decipher:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    filters = stream.get_filters() if stream.rawdata is not None else []
    if not filters:
        return _Inflating(data, None)
    flate = len(filters) == 1 and filters[0][0] in LITERALS_FLATE_DECODE
    if flate and not _dict(filters[0][1]).get("Predictor"):
        return _Inflating(data, zlib.decompressobj())
    names = ", ".join(str(getattr(f, "name", f)) for f, _params in filters)
    raise UnsupportedError(f"pdf: embedded stream filter {names} not read")


class _Inflating:
    """Inflates a Flate stream as it is read, at most one chunk of output per read."""

    def __init__(self, data: bytes, inflater):
        self.data, self.inflater, self.done = data, inflater, False

    def read(self, n: int = -1) -> bytes:
        if self.done:
            return b""
        if self.inflater is None:
            self.done = True
            return self.data
        out = self.inflater.decompress(self.data, _CHUNK)
        self.data = self.inflater.unconsumed_tail
        if not out:
            self.done = True
        return out

    def close(self) -> None:
        self.data = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
