"""Format from content (python-magic), with the content checks libmagic lacks.

libmagic misses: zip-based office files on short heads, BOM-less UTF-16 text
(it says octet-stream), CSV/TSV it cannot tell from prose, JSON whose head is
cut mid-document, and vCards in some versions.
"""
from __future__ import annotations

import csv
import re
import threading

import magic

from .blob import Blob
from .extractors.encoding import decode_head, utf16_without_bom

_local = threading.local()

# Checked in order: the part that only that format's package has, then a looser marker.
_ZIP_MARKERS = (
    (b"word/document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"xl/workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"ppt/presentation", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    (b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)
# An ODF package starts with an uncompressed `mimetype` member holding its type.
_ODF_MIMETYPE = re.compile(rb"^PK\x03\x04.{26}mimetype(application/vnd\.oasis\.opendocument\.[a-z.-]+)", re.S)
_DELIMITERS = (("\t", "text/tab-separated-values"), (",", "text/csv"), (";", "text/csv"), ("|", "text/csv"))
_SNIFF_LINES = 20
_HEADER_LINE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,75}:[ \t]")   # `Subject: ...` (RFC 5322 field name)


def _magic() -> magic.Magic:
    # A Magic handle is not thread-safe; one per thread (and so per worker process).
    if not hasattr(_local, "m"):
        _local.m = magic.Magic(mime=True)
    return _local.m


class _SniffedTypes:
    """The type sniffed for each content hash this process has met. A copy of a file (a backup holds
    thousands, a thread repeats its attachments) then costs a lookup instead of libmagic's 0.2-0.3 ms,
    more than hashing a small file. The type is a function of the content alone; bounded, emptied
    when full."""

    MAX_KEPT = 50_000

    def __init__(self):
        self.types: dict[str, str] = {}

    def keep(self, content_hash: str, mime: str) -> str:
        if len(self.types) >= self.MAX_KEPT:
            self.types.clear()
        self.types[content_hash] = mime
        return mime


_SNIFFED = _SniffedTypes()


def sniff(blob: Blob, content_hash: str | None = None) -> str:
    """The blob's MIME type; `content_hash`, where the caller has it, lets a copy reuse its type."""
    if blob.mime_hint:
        return blob.mime_hint
    if not content_hash:
        return _sniffed(blob)
    known = _SNIFFED.types.get(content_hash)
    return known if known is not None else _SNIFFED.keep(content_hash, _sniffed(blob))


def _sniffed(blob: Blob) -> str:
    head = blob.head()
    if not head:
        return "application/x-empty"
    try:
        mime = _magic().from_buffer(head)
    except Exception:  # libmagic can fail on odd input; fall back to bytes
        mime = "application/octet-stream"
    if head[:4] == b"PK\x03\x04" and mime in ("application/zip", "application/octet-stream"):
        return _zip_office(head) or _zip_office_listed(blob) or mime
    if mime == "application/octet-stream" and utf16_without_bom(head):
        mime = "text/plain"
    if mime == "text/plain":
        return _refine_text(head, blob.size)
    if _MBOX_FROM_LINE.match(head) and mime.startswith("text/"):
        return "application/mbox"
    return mime


# An mbox starts with a From_ line: "From sender@example.com Wed May  1 09:30:00 2024" (the sender
# may be "-" or MAILER-DAEMON). A letter that starts "From Jane Smith <...>" is not a mailbox.
_MBOX_FROM_LINE = re.compile(
    rb"From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d")


# The first member of an OOXML package is one of its own parts. A zip whose first member is some
# other file (a stored `letter.docx` in a bundle) shows that file's part names in its head too.
_OOXML_FIRST_PARTS = (b"[Content_Types].xml", b"_rels/", b"docProps/", b"word/", b"xl/", b"ppt/", b"customXml/")


def _zip_office(head: bytes) -> str | None:
    odf = _ODF_MIMETYPE.match(head)
    if odf:
        return odf.group(1).decode("ascii")
    name_length = int.from_bytes(head[26:28], "little") if len(head) >= 30 else 0
    if not head[30:30 + name_length].startswith(_OOXML_FIRST_PARTS):
        return None     # the directory decides (_zip_office_listed)
    for marker, office in _ZIP_MARKERS:
        if marker in head:
            return office
    return None


_OFFICE_MAIN_PARTS = {"word/document.xml": _ZIP_MARKERS[0][1], "xl/workbook.xml": _ZIP_MARKERS[1][1],
                      "ppt/presentation.xml": _ZIP_MARKERS[2][1]}


def _zip_office_listed(blob: Blob) -> str | None:
    """An office package the head did not show: its first member written with a data descriptor
    (a streaming writer), its `mimetype` deflated, or a large first part. Its directory says."""
    import zipfile

    try:
        with blob.open() as stream, zipfile.ZipFile(stream) as zf:
            names = set(zf.NameToInfo)
            office = next((_OFFICE_MAIN_PARTS[n] for n in _OFFICE_MAIN_PARTS if n in names), None)
            mimetype = zf.NameToInfo.get("mimetype")
            if office is None and mimetype is not None and mimetype.file_size < 100:
                declared = zf.read(mimetype).decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument.") and "content.xml" in names:
                    office = declared
            return office
    except Exception:   # not a readable zip: the zip container will say why
        return None


def _refine_text(head: bytes, size: int) -> str:
    """Tell mbox, vCard, JSON and CSV/TSV apart from prose."""
    if _MBOX_FROM_LINE.match(head):
        return "application/mbox"
    text = decode_head(head)
    if _HEADER_LINE.match(text):
        return "text/plain"   # an email or HTTP-style header block: the containers decide
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:11].upper() == "BEGIN:VCARD":
        return "text/vcard"
    if stripped[:1] in ("{", "[") and _looks_json(stripped):
        return "application/json"
    return _delimited(text, cut=len(head) < size) or "text/plain"


def _looks_json(text: str) -> bool:
    # `{"` or `[` followed by a JSON value start; prose in braces rarely fits.
    return re.match(r'^(\{\s*("|\})|\[\s*(["{\[\]\d-]|true|false|null))', text) is not None


def _delimited(text: str, cut: bool) -> str | None:
    """text/csv or text/tab-separated-values when the first lines have equal field counts."""
    lines = text.splitlines()
    if cut and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut head is partial
    lines = [line for line in lines[:_SNIFF_LINES] if line.strip()]
    if len(lines) < 2:
        return None
    for delimiter, mime in _DELIMITERS:
        try:
            counts = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
        except csv.Error:
            continue
        if len(counts) == 1 and counts.pop() >= 2:
            return mime
    return None
