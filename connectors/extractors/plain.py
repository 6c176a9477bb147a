"""Plain text: streamed in chunks, decoded from UTF-8, UTF-16 (with or without BOM) or cp1252."""
from __future__ import annotations

import codecs
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .encoding import guess_encoding

_READ = 1024 * 1024


def iter_decoded(blob: Blob, encoding: str) -> Iterator[str]:
    """Decode the blob piece by piece, so a 2 GB file is never held whole."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    with blob.open() as f:
        while raw := f.read(_READ):
            yield decoder.decode(raw)
    yield decoder.decode(b"", final=True)


def extract_plain(blob: Blob, ctx: ExploreContext) -> Extracted:
    # Only OSError can escape here (errors="replace"); dispatch records it with its reason.
    return Extracted(iter_decoded(blob, guess_encoding(blob.head())))
