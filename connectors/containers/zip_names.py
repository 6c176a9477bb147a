"""Zip member names as their writer meant them.

A name stored without the UTF-8 flag (bit 11) is in the writer's legacy code
page, which the zip does not record; zipfile reads it as cp437, the original
DOS code page. Chinese Windows writes GBK, many tools write UTF-8 without
setting the flag, and Info-ZIP adds the Unicode name in an extra field. The
name is recovered in that order of certainty: the Info-ZIP Unicode Path field
(its CRC must match the stored name), valid UTF-8, valid GBK that reads as
Chinese, then cp437.
"""
from __future__ import annotations

import re
import struct
import zipfile
import zlib

_UTF8_FLAG = 0x800
_UNICODE_PATH = 0x7075
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")       # the stored bytes, as zipfile read them
    except UnicodeEncodeError:
        return info.filename
    named = _unicode_path(info.extra, raw)     # also beside an ASCII name with `?` for what it lost
    if named or raw.isascii():
        return named or info.filename
    return _utf8(raw) or _gbk(raw) or info.filename


def _unicode_path(extra: bytes, raw: bytes) -> str | None:
    """Info-ZIP's Unicode Path extra field: version 1, CRC-32 of the stored name, the UTF-8 name."""
    pos = 0
    while pos + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4:pos + 4 + size]
        pos += 4 + size
        if kind == _UNICODE_PATH and len(body) > 5 and body[0] == 1:
            if struct.unpack_from("<I", body, 1)[0] == zlib.crc32(raw):
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
    return None


def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _gbk(raw: bytes) -> str | None:
    """GBK only when every non-ASCII character it gives is Chinese: cp437 accents rarely pair so."""
    try:
        name = raw.decode("gbk")
    except UnicodeDecodeError:
        return None
    foreign = [c for c in name if ord(c) > 127]
    return name if foreign and all(_CJK.match(c) for c in foreign) else None
