"""A TNEF stream's framing (MS-OXTNEF), walked before tnefparse sees any of it.

A stream is a signature, a legacy key, then attributes: level byte, attribute id word, type word,
data length dword, data, 16-bit checksum (the sum of the data bytes). tnefparse cuts a length that
runs past the end short without a word and only logs a bad checksum, so the walk here says where
the framing breaks; and it hands out one attribute at a time, never keeping a list of them (a
hostile stream may hold millions).
"""
from __future__ import annotations

import codecs
import itertools
import logging
import re
import struct
from typing import Iterator, NamedTuple

from ..blob import Blob
from ..context import ExploreContext
from ..errors import CorruptError

# tnefparse logs values it cannot decode; those may be personal data.
logging.getLogger("tnefparse").setLevel(logging.CRITICAL)

SIGNATURE = b"\x78\x9f\x3e\x22"              # 0x223E9F78, little-endian
_PREAMBLE = len(SIGNATURE) + 2               # then a 16-bit legacy key
_HEADER = struct.Struct("<BHHI")             # level, attribute id, attribute type, data length
_CHECKSUM = struct.Struct("<H")
MESSAGE, ATTACHMENT = 0x01, 0x02             # attribute levels
ATT_OEM_CODEPAGE = 0x9007
PT_STRING = (0x001E, 0x001F)                 # MAPI string8, unicode
DEFAULT_CODEPAGE = "cp1252"                  # when the stream names none, or one Python lacks
_CODEPAGE_WITHIN = 16                        # attributes searched for attOemCodepage (it comes second)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# Real streams hold a few attributes per attachment and a few hundred MAPI properties per list;
# tnefparse builds an object for each, so a stream claiming far more is refused as corrupt.
MAX_ATTRIBUTES = 1_000_000                   # each costs a few microseconds to walk, twice
MAX_MAPI_PROPERTIES = 65_536


class Attribute(NamedTuple):
    level: int
    ident: int
    kind: int
    start: int      # of its header
    end: int        # past its checksum

    @property
    def payload(self) -> slice:
        return slice(self.start + _HEADER.size, self.end - _CHECKSUM.size)


class Stream:
    """The stream's bytes and its framing. After a walk, `broken` says why it stopped early (None
    when the framing held to the end) and `bad_checksums` how many attributes failed theirs."""

    def __init__(self, data: bytes):
        if len(data) < _PREAMBLE or not data.startswith(SIGNATURE):
            raise CorruptError("tnef: not a TNEF stream")
        self.data = data
        self.broken: str | None = None
        self.bad_checksums = 0
        self.codepage = self._codepage()

    def raw(self, attribute: Attribute) -> bytes:
        return self.data[attribute.start:attribute.end]

    def payload(self, attribute: Attribute) -> bytes:
        return self.data[attribute.payload]

    def walk(self) -> Iterator[Attribute]:
        data, view = self.data, memoryview(self.data)
        self.broken, self.bad_checksums, offset = None, 0, _PREAMBLE
        for count in itertools.count():
            if offset >= len(data):
                return
            if count == MAX_ATTRIBUTES:
                self.broken = f"more than {MAX_ATTRIBUTES} attributes"
                return
            if len(data) - offset < _HEADER.size + _CHECKSUM.size:
                if data[offset:].strip(b"\x00"):
                    self.broken = "truncated in an attribute header"
                return   # else zero padding after the last attribute (an attached message is padded to 4)
            level, ident, kind, length = _HEADER.unpack_from(data, offset)
            if level not in (MESSAGE, ATTACHMENT):
                self.broken = "bad attribute level (a wrong length before it?)"
                return
            end = offset + _HEADER.size + length + _CHECKSUM.size
            if end > len(data):
                self.broken = "attribute runs past the end (truncated, or a wrong length)"
                return
            attribute = Attribute(level, ident, kind, offset, end)
            if sum(view[attribute.payload]) & 0xFFFF != _CHECKSUM.unpack_from(data, end - _CHECKSUM.size)[0]:
                self.bad_checksums += 1
            yield attribute
            offset = end

    def _codepage(self) -> str:
        from tnefparse.codepage import Codepage

        for a in itertools.islice(self.walk(), _CODEPAGE_WITHIN):
            if a.level == ATTACHMENT:
                break
            if a.ident == ATT_OEM_CODEPAGE and a.end - a.start >= _HEADER.size + 4 + _CHECKSUM.size:
                name = Codepage(struct.unpack_from("<I", self.data, a.start + _HEADER.size)[0]).codepage()
                try:
                    return codecs.lookup(name).name
                except LookupError:
                    break
        return DEFAULT_CODEPAGE


def read_stream(blob: Blob, ctx: ExploreContext) -> Stream:
    return Stream(blob.read_all(ctx.limits.max_member_bytes))   # tnefparse works on bytes in memory


def decode_mapi(data: bytes, codepage: str, offset: int | None = None):
    """tnefparse's MAPI property list, refused when it claims more properties than a real one holds.
    With `offset`: (offset after the list, properties)."""
    from tnefparse.mapi import decode_mapi as tnefparse_decode_mapi

    if struct.unpack_from("<I", data, offset or 0)[0] > MAX_MAPI_PROPERTIES:
        raise CorruptError(f"tnef: a property list of more than {MAX_MAPI_PROPERTIES} properties")
    return tnefparse_decode_mapi(data, codepage, starting_offset=offset)


def clean(value) -> str:
    """A property value as one line of text (names, strings); bytes as the default code page."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode(DEFAULT_CODEPAGE, errors="replace")
    return _CONTROL.sub(" ", str(value or "")).strip()
