"""Strict OOXML (ISO/IEC 29500 Strict) read as Transitional.

Strict packages (Excel's "Strict Open XML" and other writers) differ from
Transitional ones mostly by their namespace URIs (`http://purl.oclc.org/ooxml/...`
for `http://schemas.openxmlformats.org/...`), in elements and in relationship
types alike. Rather than teach every reader (our XML readers, openpyxl) both
spellings, a Strict package is copied once with the Transitional names, part
by part and streamed, into a private temp file; the readers then see the
package they know.
"""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from typing import BinaryIO

STRICT_MARK = b"purl.oclc.org/ooxml/"
_STRICT, _TRANSITIONAL = b"http://purl.oclc.org/ooxml/", b"http://schemas.openxmlformats.org/"
_TO_TRANSITIONAL = tuple((_STRICT + strict, _TRANSITIONAL + transitional) for strict, transitional in (
    (b"wordprocessingml/main", b"wordprocessingml/2006/main"),
    (b"spreadsheetml/main", b"spreadsheetml/2006/main"),
    (b"presentationml/main", b"presentationml/2006/main"),
    (b"drawingml/main", b"drawingml/2006/main"),
    (b"drawingml/", b"drawingml/2006/"),
    (b"officeDocument/relationships", b"officeDocument/2006/relationships"),
    (b"officeDocument/", b"officeDocument/2006/"),
))
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CHUNK = 1024 * 1024


def is_strict(zf: zipfile.ZipFile, main_part: str) -> bool:
    """The main part declares a Strict namespace in its first few KB (its root element)."""
    try:
        with zf.open(main_part) as stream:
            return STRICT_MARK in stream.read(8192)
    except KeyError:
        return False


def transitional_copy(zf: zipfile.ZipFile, tmpdir: str, spool_memory: int) -> BinaryIO:
    """A Transitional copy of a (checked) Strict package, in memory or a private temp file."""
    out = tempfile.SpooledTemporaryFile(max_size=spool_memory, dir=tmpdir,
                                        prefix="member-strict-")
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
            for info in zf.infolist():
                with zf.open(info) as src, copy.open(info.filename, "w", force_zip64=True) as dst:
                    if info.filename.lower().endswith(_XML_SUFFIXES):
                        _rewrite(src, dst)
                    else:
                        shutil.copyfileobj(src, dst, _CHUNK)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def _rewrite(src: BinaryIO, dst: BinaryIO) -> None:
    """Swap the namespace URIs, streamed: a URI never holds `>`, so cutting after one is safe."""
    carry = b""
    while chunk := src.read(_CHUNK):
        buf = carry + chunk
        cut = buf.rfind(b">") + 1
        if cut == 0 and len(buf) < 4 * _CHUNK:
            carry = buf
            continue
        cut = cut or len(buf)
        dst.write(_swap(buf[:cut]))
        carry = buf[cut:]
    dst.write(_swap(carry))


def _swap(data: bytes) -> bytes:
    if STRICT_MARK not in data:
        return data
    for strict, transitional in _TO_TRANSITIONAL:
        data = data.replace(strict, transitional)
    return data
