"""Word's altChunk parts: whole documents (HTML, MHT, RTF, plain text) imported into a .docx as-is.

Mail merges and document generators insert content with `<w:altChunk r:id=...>`;
the imported file stays in its own format in the package (`word/afchunk.mht`)
until Word next saves, so its text is in no `w:t`. Each part the main
document's relationships name as an aFChunk is read by the extractor for its
format.
"""
from __future__ import annotations

import email
import re
import zipfile
from email import policy
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from .encoding import decode_head

_RELS = "word/_rels/document.xml.rels"
_AFCHUNK = re.compile(r'<Relationship\b[^>]*?Type="[^"]*/aFChunk"[^>]*>', re.I)
_TARGET = re.compile(r'Target="([^"]{1,500})"')
_EXTERNAL = re.compile(r'TargetMode="External"', re.I)
_MAX_RELS_BYTES = 16 * 1024 * 1024


def chunk_parts(zf: zipfile.ZipFile) -> list[str]:
    """The package part names of the main document's altChunk targets."""
    info = zf.NameToInfo.get(_RELS)
    if info is None or info.file_size > _MAX_RELS_BYTES:
        return []
    rels = zf.read(info).decode("utf-8", errors="replace")
    parts = []
    for rel in _AFCHUNK.findall(rels):
        target = _TARGET.search(rel)
        if target and not _EXTERNAL.search(rel):
            name = target.group(1).lstrip("/")
            parts.append(name if name.startswith("word/") else f"word/{name}")
    return [p for p in dict.fromkeys(parts) if p in zf.NameToInfo]


def altchunk_text(blob: Blob, ctx: ExploreContext) -> Iterator[str]:
    """Text of each altChunk. The package was opened and checked (zipguard) by the main extractor."""
    with blob.open() as stream, zipfile.ZipFile(stream) as zf:
        for part in chunk_parts(zf):
            if zf.getinfo(part).file_size > ctx.limits.max_member_bytes:
                continue
            yield from _chunk_text(zf.read(part), blob, ctx)


def _chunk_text(data: bytes, blob: Blob, ctx: ExploreContext) -> Iterator[str]:
    head = data[:2048].lstrip().lower()
    if head.startswith(b"{\\rtf"):
        from .rtf import extract_rtf
        yield from extract_rtf(_inner(blob, data), ctx).chunks
    elif b"mime-version:" in head or b"content-type: multipart" in head:
        yield from _mht_text(data, blob, ctx)
    elif b"<" in head[:200]:
        from .markup import extract_html
        yield from extract_html(_inner(blob, data), ctx).chunks
    else:
        yield decode_head(data)
    yield "\n"


def _mht_text(data: bytes, blob: Blob, ctx: ExploreContext) -> Iterator[str]:
    """A web archive (MHT): its HTML and plain-text parts."""
    from .markup import extract_html

    message = email.message_from_bytes(data, policy=policy.default)
    for part in message.walk():
        kind = part.get_content_type()
        if kind not in ("text/html", "text/plain"):
            continue
        payload = part.get_payload(decode=True) or b""
        if kind == "text/html":
            charset = part.get_content_charset()
            if charset and b"charset" not in payload[:1024].lower():
                payload = payload.decode(charset, errors="replace").encode("utf-8")
            yield from extract_html(_inner(blob, payload), ctx).chunks
        else:
            yield payload.decode(part.get_content_charset() or "utf-8", errors="replace") + "\n"


def _inner(blob: Blob, data: bytes) -> Blob:
    return Blob(blob.location, len(data), mtime=blob.mtime, data=data)
