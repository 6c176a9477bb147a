"""Hyperlinks in an .xls, read by us rather than by xlrd.

xlrd parses HLINK records with assertions that real files break (a URL moniker
with other trailing bytes, a file link stored without its Unicode path, which
it returns as bytes), and one bad link cost the whole workbook. The records are
renamed in a copy of the Workbook stream before xlrd sees it (same length, so
every offset stays true), and their strings are read here: the link text,
the URL or path behind it, and the location within the file.
"""
from __future__ import annotations

import re
import struct

HLINK, CONTINUE = 0x01B8, 0x003C
_IGNORED = 0x0FFF              # a record type no BIFF version defines: xlrd skips it
_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e]\x00|[\xa0-\xff]\x00){3,}")
_ANSI_RUN = re.compile(rb"[\x20-\x7e]{4,}")
_CONTACT = re.compile(r"^(?:mailto|tel):([^?\s]{1,320})", re.I)
MAX_LINKS = 100_000


def split_hyperlinks(stream: bytes) -> tuple[bytes, list[str]]:
    """(the stream with HLINK records renamed, the text of each link, one per line, in order)."""
    out = bytearray(stream)
    lines: list[str] = []
    pos, in_link = 0, False
    while pos + 4 <= len(stream) and len(lines) < MAX_LINKS * 4:
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4:pos + 4 + length]
        if kind == HLINK or (in_link and kind == CONTINUE):
            struct.pack_into("<H", out, pos, _IGNORED)
            lines.extend(link_strings(body))
            in_link = True
        else:
            in_link = False
        pos += 4 + length
    return bytes(out), list(dict.fromkeys(lines))


def link_strings(body: bytes) -> list[str]:
    """The strings of an HLINK record: UTF-16 runs (text, URL, path, location) and ANSI paths."""
    found = [m.group().decode("utf-16-le") for m in _UTF16_RUN.finditer(body)]
    found += [m.group().decode("latin-1") for m in _ANSI_RUN.finditer(body[32:])
              if b"\\" in m.group() or b"." in m.group()]
    return [_bare(s.strip()) for s in found if s.strip()]


def _bare(target: str) -> str:
    """A mailto:/tel: target as the bare address, as the rest of pdsweep reads link targets."""
    contact = _CONTACT.match(target)
    return contact.group(1) if contact else target
