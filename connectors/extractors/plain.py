"""Plain text: streamed in chunks, decoded from UTF-8, UTF-16 (BOM) or cp1252."""
from __future__ import annotations

import codecs
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted

_READ = 1024 * 1024


def guess_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut at the end of the head
            return "utf-8"
    return "cp1252"


def iter_decoded(blob: Blob, encoding: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    with blob.open() as f:
        while raw := f.read(_READ):
            yield decoder.decode(raw)
    yield decoder.decode(b"", final=True)


def extract_plain(blob: Blob, ctx: ExploreContext) -> Extracted:
    return Extracted(iter_decoded(blob, guess_encoding(blob.head())))
