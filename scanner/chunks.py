"""Cut a document's text stream into overlapping analysis units.

Memory stays bounded by the unit size however large the file; the overlap
keeps a value that straddles two units whole in one of them.
"""
from __future__ import annotations

from typing import Iterable, Iterator


def analysis_units(chunks: Iterable[str], size: int, overlap: int) -> Iterator[tuple[int, int, str]]:
    """Yield (offset, skip, text): `text` starts at `offset` in the document;
    findings ending at or before `skip` lie wholly in the overlap and were
    already reported by the previous unit."""
    carry = ""
    position = 0          # offset in the document of the next unread character
    pending = ""
    try:
        for chunk in chunks:
            pending += chunk
            while len(pending) >= size:
                piece, pending = pending[:size], pending[size:]
                yield position - len(carry), len(carry), carry + piece
                position += len(piece)
                carry = piece[-overlap:] if overlap else ""
    except Exception:
        # An extractor stopped by a limit or an error after some text (a recording's tags before
        # its decoder was found missing): that text is still analysed, then the failure recorded.
        if pending:
            yield position - len(carry), len(carry), carry + pending
        raise
    if pending or position == 0:
        yield position - len(carry), len(carry), carry + pending
