"""Zip compression methods beyond zipfile's own: Deflate64 (Windows Explorer, 7-Zip), and a named
reason for the legacy ones nobody ships a Python reader for (shrink, reduce, implode...)."""
from __future__ import annotations

import struct
import zipfile
import zlib
from typing import BinaryIO

from ..errors import UnsupportedError

DEFLATE64 = 9
_READABLE = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_NAMES = {1: "shrink", 2: "reduce", 3: "reduce", 4: "reduce", 5: "reduce", 6: "implode", 7: "tokenize",
          9: "deflate64", 10: "PKWARE implode", 18: "IBM TERSE", 19: "IBM LZ77", 93: "zstandard",
          94: "MP3", 95: "xz", 96: "JPEG", 97: "WavPack", 98: "PPMd", 99: "AE-x encryption"}
_LOCAL_HEADER = struct.Struct("<4s5H3I2H")
_CHUNK = 1024 * 1024


def unsupported(method: int) -> UnsupportedError:
    name = _NAMES.get(method)
    return UnsupportedError(f"zip: unsupported compression method {method}" + (f" ({name})" if name else ""))


def open_member(archive: zipfile.ZipFile, raw: BinaryIO, info: zipfile.ZipInfo) -> BinaryIO:
    if info.compress_type in _READABLE:
        return archive.open(info)
    if info.compress_type == DEFLATE64:
        return _Deflate64Reader(raw, info)
    raise unsupported(info.compress_type)


class _Deflate64Reader:
    """A Deflate64 member's bytes, inflated as read (inflate64), CRC checked at the end."""

    def __init__(self, raw: BinaryIO, info: zipfile.ZipInfo):
        import inflate64

        raw.seek(info.header_offset)
        header = raw.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local header")
        name_len, extra_len = _LOCAL_HEADER.unpack(header)[-2:]
        raw.seek(info.header_offset + _LOCAL_HEADER.size + name_len + extra_len)
        self.raw, self.left, self.info = raw, info.compress_size, info
        self.inflater = inflate64.Inflater()
        self.crc, self.out = 0, b""

    def read(self, n: int = -1) -> bytes:
        while not self.out and self.left:
            chunk = self.raw.read(min(_CHUNK, self.left))
            if not chunk:
                raise EOFError("deflate64 member cut short")
            self.left -= len(chunk)
            self.out = self.inflater.inflate(chunk)
        whole = n is None or n < 0 or n >= len(self.out)
        data, self.out = (self.out, b"") if whole else (self.out[:n], self.out[n:])
        self.crc = zlib.crc32(data, self.crc)
        if not data and self.crc != self.info.CRC:
            raise zipfile.BadZipFile("bad CRC-32")
        return data

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
