"""Text made valid before any recogniser or spaCy sees it.

A Python string can hold lone surrogates: bytes a decoder kept with
`surrogateescape` (raw 8-bit mail headers, undecodable file names) or UTF-16
halves. spaCy, Parquet and JSON all refuse them (`surrogates not allowed`),
and a refused document used to kill the worker analysing it. This is the one
backstop at the detectors' entry; decoders should recover the bytes earlier.

The repair keeps the length, so every offset (structural fields, redaction
spans) still points at the same character.
"""
from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def valid_text(text: str) -> str:
    """`text` with each lone surrogate replaced by one valid character.

    An escaped byte (U+DC80..U+DCFF) becomes its Windows-1252 character (the
    usual charset of undeclared 8-bit mail headers), so `J\\udcf6rg` reads as
    `Jörg`; anything else becomes U+FFFD.
    """
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(_repair, text)


def _repair(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        try:
            return bytes([code - 0xDC00]).decode("cp1252")
        except UnicodeDecodeError:   # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in cp1252
            return REPLACEMENT
    return REPLACEMENT


class _ValidField:
    """A structural hint (duck-typed `.label`, `.value`, `.start`) with its strings repaired."""

    __slots__ = ("label", "value", "start")

    def __init__(self, label, value, start):
        self.label, self.value, self.start = label, value, start


def valid_fields(fields):
    """The fields, any one holding a lone surrogate replaced by a repaired copy."""
    out = []
    for f in fields:
        label, value = f.label or "", f.value or ""
        if _SURROGATE.search(label) or _SURROGATE.search(value):
            f = _ValidField(valid_text(label), valid_text(value), f.start)
        out.append(f)
    return out
