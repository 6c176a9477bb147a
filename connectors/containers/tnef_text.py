"""A TNEF message's own text: the body (plain, else HTML, else compressed RTF), then every other
string property (subject, sender, recipients, transport headers), each attribute read on its own:
one that tnefparse cannot read costs that attribute only."""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from ..errors import CorruptError
from ..limits import LimitExceeded
from .html_text import html_to_text
from .rfc822 import _TextBuilder
from .tnef_stream import MESSAGE, PT_STRING, Attribute, Stream, clean, decode_mapi

_ATT_MESSAGE_CLASS, _ATT_BODY, _ATT_MAPI_PROPS, _ATT_RECIP_TABLE = 0x8008, 0x800C, 0x9003, 0x9004
_ATP_STRING = (0x0001, 0x0007)               # attribute types holding text in the OEM code page
_PR_BODY, _PR_BODY_HTML, _PR_RTF_COMPRESSED = 0x1000, 0x1013, 0x1009


@dataclass
class _Message:
    limit: int                  # characters of strings kept: a hostile stream may hold millions
    body: str = ""
    html: str = ""
    rtf: bytes = b""
    strings: dict[str, None] = field(default_factory=dict)    # ordered, without repeats
    length: int = 0

    def add_string(self, value) -> None:
        value = clean(value)
        if value and value not in self.strings and self.length < self.limit:
            self.strings[value] = None
            self.length += len(value) + 1


def _decoded(value, codepage: str) -> str:
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode(codepage, errors="replace")
    return str(value or "").replace("\x00", "").strip()


def _html(raw, codepage: str) -> str:
    """PR_BODY_HTML is usually binary: UTF-8 when it decodes as such, else the OEM code page."""
    if isinstance(raw, (bytes, bytearray)):
        try:
            return _decoded(bytes(raw).decode("utf-8"), codepage)
        except UnicodeDecodeError:
            pass
    return _decoded(raw, codepage)


def _mapi_props(stream: Stream, a: Attribute, msg: _Message) -> None:
    for p in decode_mapi(stream.payload(a), stream.codepage):
        if p.name == _PR_BODY:
            msg.body = msg.body or _decoded(p.data, stream.codepage)
        elif p.name == _PR_BODY_HTML:
            raw = p.raw_data[0] if p.attr_type not in PT_STRING and p.raw_data else p.data
            msg.html = msg.html or _html(raw, stream.codepage)
        elif p.name == _PR_RTF_COMPRESSED and p.raw_data:
            msg.rtf = msg.rtf or bytes(p.raw_data[0])
        elif p.attr_type in PT_STRING:
            msg.add_string(p.data)


def _recipients(stream: Stream, a: Attribute, msg: _Message) -> None:
    """attRecipTable: a row count, then a MAPI property list per recipient."""
    data = stream.payload(a)
    rows, offset = struct.unpack_from("<I", data)[0], 4
    for _ in range(rows):
        if offset + 4 > len(data) or msg.length >= msg.limit:
            break
        offset, props = decode_mapi(data, stream.codepage, offset)
        for p in props:
            if p.attr_type in PT_STRING:
                msg.add_string(p.data)


def _message(stream: Stream, limit: int) -> _Message:
    msg, failed, read = _Message(limit), 0, 0
    for a in stream.walk():
        if a.level != MESSAGE:
            continue
        try:
            if a.ident == _ATT_BODY:
                msg.body = msg.body or _decoded(stream.payload(a), stream.codepage)
            elif a.ident == _ATT_MAPI_PROPS:
                _mapi_props(stream, a, msg)
            elif a.ident == _ATT_RECIP_TABLE:
                _recipients(stream, a, msg)
            elif a.kind in _ATP_STRING and a.ident != _ATT_MESSAGE_CLASS:
                msg.add_string(_decoded(stream.payload(a), stream.codepage))   # attSubject and the like
            read += 1
        except Exception:
            failed += 1
    if failed and not read:
        raise CorruptError("tnef: message properties unreadable")
    return msg


def _rtf_text(rtf: bytes, blob: Blob, ctx: ExploreContext) -> str:
    """PR_RTF_COMPRESSED (MS-OXRTFCP) decompressed, then the RTF extractor; '' when unreadable."""
    from ..extractors.rtf import extract_rtf

    # compressed_rtf decompresses in pure Python (about 2 MB/s) to at most ~9 times its input.
    if len(rtf) > ctx.limits.max_text_bytes:
        raise LimitExceeded("max_text_bytes", f"compressed RTF body of {len(rtf)} bytes")
    try:
        from compressed_rtf import decompress   # what tnefparse uses (a dependency of ours)

        plain = decompress(rtf + b"\x00")
        return "".join(extract_rtf(Blob(blob.location, len(plain), data=plain), ctx).chunks)
    except Exception:   # no decompressor, a damaged compressed body, an RTF the extractor refuses
        return ""


def _body(msg: _Message, blob: Blob, ctx: ExploreContext) -> str:
    if msg.body:
        return msg.body
    if msg.html:
        return html_to_text(msg.html)
    return _rtf_text(msg.rtf, blob, ctx) if msg.rtf else ""


def message_text(stream: Stream, blob: Blob, ctx: ExploreContext) -> Extracted:
    """Empty, never None (callers read `.fields`), when there is no text; a broken stream gives what
    was read before the break (the container's row already says it is broken)."""
    limit = ctx.limits.max_text_bytes
    msg = _message(stream, limit)
    out = _TextBuilder()
    body = _body(msg, blob, ctx)[:limit]
    if body:
        out.add(body + "\n")
    for value in msg.strings:
        out.add(value + "\n")
    return Extracted(out.parts, out.fields)
