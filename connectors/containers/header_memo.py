"""What a message's text takes from a header, worked out once per distinct raw value (issue 16).

A thread repeats its headers: every reply names the same people in From, To and Cc, and the
scale-6 mail corpus has 355 distinct From values over 2,839 messages. Reading a header's addresses
(the header classes, then the raw value decoded again for the addresses they drop) cost ~65 us a
header, a fifth of a message's own text. What rfc822.addresses and rfc822.header_text give is a
function of the header's name and the raw value of its first occurrence, for messages parsed with
one policy, so it is kept here per (function, name, raw value), bounded, per process.

PartMemo does the same for what a part's MIME headers say (its content type, whether it is an
attachment, its file name): asked several times for every part of every message, each ask
fetching and splitting the header again (62,439 header fetches for 2,839 messages).
"""
from __future__ import annotations

from typing import Callable, TypeVar

from email.message import Message

from .plain_headers import mime_view, reads_mime_headers_plainly

T = TypeVar("T")


def first_raw_value(msg: Message, name: str):
    """The stored value of the first header called `name` (any case), as msg.get(name) reads it; None without one."""
    lowered = name.lower()
    for key, raw in msg._headers:   # msg.raw_items() copies the list: one pass over it, no copy
        if key.lower() == lowered:
            return raw
    return None


class HeaderMemo:
    """Per (function, header name, raw value): the function's result for a message of `policy`."""

    MAX_KEPT = 20_000

    def __init__(self, policy):
        self.policy = policy
        self.kept: dict[tuple, object] = {}

    def read(self, read: Callable[[Message, str], T], msg: Message, name: str) -> T:
        raw = first_raw_value(msg, name)
        # Only values as the parser stored them (a str, not a header object set by code) of a
        # message parsed with this policy: what `read` gives then depends on nothing else.
        if type(raw) is not str or getattr(msg, "policy", None) is not self.policy:
            return read(msg, name)
        key = (read, name.lower(), raw)
        found = self.kept.get(key)
        if found is None:
            if len(self.kept) >= self.MAX_KEPT:
                self.kept.clear()
            found = self.kept[key] = read(msg, name)
        return found


_MIME_HEADERS = ("content-type", "content-disposition")


def mime_raw_values(msg: Message) -> tuple | None:
    """The stored values of the first Content-Type and Content-Disposition (None where absent), as
    msg.get reads them; None where one is not a str as the parser stores it (set by code)."""
    found: dict[str, object] = {}
    for key, raw in msg._headers:
        lowered = key.lower()
        if lowered in _MIME_HEADERS and lowered not in found:
            if type(raw) is not str:
                return None
            found[lowered] = raw
    return found.get("content-type"), found.get("content-disposition")


class PartMemo:
    """Per (function, default type, first Content-Type, first Content-Disposition): the function's
    result for a part of `policy`. The stdlib's get_content_type, get_content_disposition,
    get_filename, get_param and get_boundary read nothing else (a missing Content-Type reads the
    default type), so a function built from them gives the same answer for every part with those
    values; a header changed later changes the key. Where the values are plain (plain_headers), the
    function reads a view holding their text instead of the part: no header object is built (each
    multipart's Content-Type is new, for its boundary)."""

    MAX_KEPT = 20_000

    def __init__(self, policy):
        self.policy = policy
        self.plain_views = reads_mime_headers_plainly(policy)
        self.kept: dict[tuple, object] = {}

    def read(self, read: Callable[[Message], T], part: Message) -> T:
        raws = mime_raw_values(part) if getattr(part, "policy", None) is self.policy else None
        if raws is None:
            return read(part)
        key = (read, part.get_default_type(), *raws)
        if key in self.kept:
            return self.kept[key]
        if len(self.kept) >= self.MAX_KEPT:
            self.kept.clear()
        view = mime_view(*raws, part.get_default_type()) if self.plain_views else None
        found = self.kept[key] = read(part if view is None else view)
        return found
