"""OLE2 compound files (the container of .doc, .xls and .ppt): opening, root streams, summary properties.

libmagic reads only the head it is given; the directory of a large compound
file usually sits near its end, so such a file is named only
`application/x-ole-storage` or `application/CDFV2`. `ole_format` then looks
at the root stream names, as the containers do for an Outlook .msg.
"""
from __future__ import annotations

import codecs
from contextlib import contextmanager
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..limits import LimitExceeded
from .common import call_guarded, corrupt

GENERIC_OLE = ("application/x-ole-storage", "application/CDFV2", "application/vnd.ms-office")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ROOT_FORMATS = (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"),   # Book: Excel 5/95
                 ("PowerPoint Document", "ppt"),
                 ("EncryptedPackage", "encrypted"))   # a .docx/.xlsx/.pptx saved with a password
# The properties that name or describe people; the rest are counts and dates.
_PROPERTIES = ("author", "last_saved_by", "title", "subject", "keywords", "comments", "manager", "company")
_UTF16_CODEPAGE = 1200
_MAX_PROPERTY_CHARS = 4096


@contextmanager
def open_ole(blob: Blob, fmt: str):
    """The compound file, or CorruptError: olefile opens and checks the header, FAT and directory."""
    import olefile

    with blob.open() as f:
        if f.read(8) != OLE_MAGIC:
            raise corrupt(fmt, "not an OLE2 compound file")
        f.seek(0)
        ole = call_guarded(fmt, "damaged compound file", lambda: olefile.OleFileIO(f))
        try:
            yield ole
        finally:
            ole.close()


def read_stream(ole, name: str, blob: Blob, ctx: ExploreContext, fmt: str) -> bytes:
    """A whole stream. A stream larger than the file that holds it is a lie (a looping FAT)."""
    size = call_guarded(fmt, "damaged compound file", lambda: ole.get_size(name))
    if size > ctx.limits.max_member_bytes:
        raise LimitExceeded("max_member_bytes", f"{size} bytes")
    if size > blob.size:
        raise corrupt(fmt, "stream larger than the file")
    data = call_guarded(fmt, "damaged compound file", lambda: ole.openstream(name).read())
    if len(data) != size:
        raise corrupt(fmt, "stream cut short")
    return data


def ole_format(blob: Blob) -> str | None:
    """'doc', 'xls', 'ppt' or 'encrypted' by the root streams of a compound file libmagic did not name."""
    try:
        with open_ole(blob, "ole") as ole:
            return next((fmt for stream, fmt in _ROOT_FORMATS if ole.exists(stream)), None)
    except Exception:   # not ours to judge here: the file is recorded as having no extractor
        return None


def summary_text(ole, ctx: ExploreContext) -> Iterator[str]:
    """Author, last saved by, title...: one per line. Damaged properties cost only themselves."""
    try:
        meta = ole.get_metadata()
    except Exception:   # the document's text is still worth reading
        ctx.counters["properties_unreadable"] = ctx.counters.get("properties_unreadable", 0) + 1
        return
    codepage = (meta.codepage or 0) & 0xFFFF   # stored signed: 65001 reads as -535
    values = [_property(getattr(meta, name, None), codepage) for name in _PROPERTIES]
    values = [v for v in values if v]
    if values:
        yield "\n".join(values) + "\n"


def _property(value, codepage: int) -> str:
    if isinstance(value, bytes):
        value = value.decode(_codec(codepage), errors="replace")
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "").strip()[:_MAX_PROPERTY_CHARS]


def _codec(codepage: int) -> str:
    if codepage == _UTF16_CODEPAGE:
        return "utf-16-le"
    try:
        return codecs.lookup(f"cp{codepage}").name
    except LookupError:   # absent or unknown: the Windows default for Western Europe
        return "cp1252"
