"""What a filled-in PDF form holds beyond its pages: XFA form data and AcroForm field values.

A form filled in Acrobat or Reader keeps its answers in the form, not in the
page content that the text layer reads: an XFA form in its `datasets` packet
(XML), an AcroForm in each field's /V. Each value comes out as `name: value`,
one per line, so the label stays beside what was typed.
"""
from __future__ import annotations

from typing import Iterator

from lxml import etree
from pdfminer.pdftypes import PDFStream, resolve1

from .pdf_objects import _dict, _list, _text, stream_reader

MAX_FIELDS = 100_000
MAX_FIELD_DEPTH = 32
_XFA_PACKETS = ("datasets",)      # the data; template and config hold the form's own wording


def form_text(doc, max_chars: int) -> Iterator[str]:
    form = _dict(doc.catalog.get("AcroForm"))
    if not form:
        return
    yield from _xfa(form.get("XFA"), max_chars)
    lines = list(_fields(_list(form.get("Fields")), "", 0, [MAX_FIELDS]))
    if lines:
        yield "\n".join(lines) + "\n"


def _fields(fields: list, prefix: str, depth: int, budget: list[int]) -> Iterator[str]:
    if depth > MAX_FIELD_DEPTH:
        return
    for field in fields:
        field = _dict(field)
        budget[0] -= 1
        if budget[0] < 0:
            return
        name = _text(field.get("T"))
        full = f"{prefix}.{name}" if prefix and name else (name or prefix)
        value = _value(field.get("V"))
        if value:
            yield f"{full}: {value}"
        yield from _fields(_list(field.get("Kids")), full, depth + 1, budget)


def _value(value) -> str:
    value = resolve1(value)
    if isinstance(value, list):
        return ", ".join(filter(None, (_value(v) for v in value)))
    if isinstance(value, PDFStream):
        return ""    # rich text values also keep a plain /V in practice
    text = _text(value)
    return "" if text in ("Off",) else text.strip()


def _xfa(xfa, max_chars: int) -> Iterator[str]:
    xfa = resolve1(xfa)
    if isinstance(xfa, PDFStream):
        packets = [xfa]
    else:
        items = _list(xfa)
        packets = [resolve1(s) for name, s in zip(items[::2], items[1::2]) if _text(name) in _XFA_PACKETS]
    for packet in packets:
        if isinstance(packet, PDFStream):
            yield from _xml_values(_bounded(packet, max_chars))


def _bounded(stream: PDFStream, max_chars: int) -> bytes:
    reader, parts, total = stream_reader(stream), [], 0
    while total < max_chars and (chunk := reader.read()):
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)[:max_chars]


def _xml_values(data: bytes) -> Iterator[str]:
    """`element: text` for each element with text of its own, in document order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             recover=True, remove_comments=True, remove_pis=True)
    root = etree.fromstring(data, parser) if data.strip() else None
    if root is None:
        return
    lines = []
    for el in root.iter():
        if isinstance(el.tag, str) and el.text and el.text.strip():
            lines.append(f"{etree.QName(el).localname}: {el.text.strip()}")
    if lines:
        yield "\n".join(lines) + "\n"
