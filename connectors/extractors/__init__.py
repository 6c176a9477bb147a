"""Text extractors, one module per format family, chosen by sniffed MIME type.

An extractor is `extract(blob, ctx) -> Extracted`. Register it in EXTRACTORS.
"""
from __future__ import annotations

from typing import Callable

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .plain import extract_plain

Extractor = Callable[[Blob, ExploreContext], Extracted]

EXTRACTORS: dict[str, Extractor] = {}


def extractor_for(mime: str, blob: Blob) -> Extractor | None:
    if mime in EXTRACTORS:
        return EXTRACTORS[mime]
    if mime.startswith("text/"):
        return extract_plain
    return None
