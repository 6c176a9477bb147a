"""The text a file name is analysed as: call-recording layouts made readable to the recognisers.

PBX and hosted-VoIP systems name recordings after the call:
`2024-03-11_091500_01132854417_01482420150.wav`, `OUT-07700900123-…`,
`in-01482420150-201-….wav`, `ext201`, `447700900123`. The phone recogniser
refuses a number glued to another run of digits (so that it never reports
part of a longer number), and in these names every number is glued to the
date or to the other party by `_` or `-`. So a second line lists the name's
tokens one per clause, each number standing alone, `+` restored before a bare
`44` international prefix, and an extension written out.
"""

from __future__ import annotations

import re

_DELIMITERS = re.compile(r"[_\-.\s,;()\[\]{}]+")
_INTERNATIONAL_44 = re.compile(r"^(?:00)?44([1-9]\d{8,9})$")     # 447700900123, 00441482420150
_UK_NATIONAL = re.compile(r"^0[1-9]\d{8,9}$")
_PLUS = re.compile(r"^\+\d{10,14}$")
_EXTENSION = re.compile(r"^(?:ext|extn|x)(\d{2,6})$", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TOKEN_SEPARATOR = " ; "
_CALL_LIKE = re.compile(r"\d{9}|ext\d", re.IGNORECASE)    # a phone-length run of digits or an extension


def file_name_text(name: str) -> str:
    """The name with `_` as a space (as written), then its tokens, each number on its own."""
    written = name.replace("_", " ")
    if not _CALL_LIKE.search(name):
        return written
    tokens = [_token(t) for t in _DELIMITERS.split(name) if t]
    if len(tokens) <= 1:
        return written
    return written + "\n" + _TOKEN_SEPARATOR.join(tokens)


def _token(token: str) -> str:
    international = _INTERNATIONAL_44.match(token)
    if international:
        return "+44" + international.group(1)
    if _UK_NATIONAL.match(token) or _PLUS.match(token):
        return token
    extension = _EXTENSION.match(token)
    if extension:
        return "extension " + extension.group(1)
    if token.isdigit():
        return token
    return _CAMEL.sub(" ", token)    # JaneSmith -> Jane Smith
