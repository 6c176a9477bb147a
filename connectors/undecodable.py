"""Bytes a decoder could not decode, recovered as text.

Python's mail parser (and `os.fsdecode`) keep undecodable bytes as lone
surrogates (`surrogateescape`): a From display name written in raw 8-bit
bytes arrives as `J\\udcf6rg`. Such a string cannot reach spaCy, Parquet or
JSON. Here the escaped bytes are put back together and decoded as UTF-8
when they are UTF-8, else as Windows-1252 (what Outlook and most 8-bit
mailers write without declaring it).
"""
from __future__ import annotations

import re

_ESCAPED_RUN = re.compile("[\udc80-\udcff]+")
_OTHER_SURROGATE = re.compile("[\ud800-\udfff]")


def recovered(text: str) -> str:
    """`text` with escaped bytes decoded and any other lone surrogate replaced by U+FFFD."""
    if not _OTHER_SURROGATE.search(text):
        return text
    text = _ESCAPED_RUN.sub(_decode_run, text)
    return _OTHER_SURROGATE.sub("\ufffd", text)


def _decode_run(match: re.Match) -> str:
    raw = bytes(ord(c) - 0xDC00 for c in match.group())
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
