"""Open a zip-based office file only after checking it is not a zip bomb.

The declared sizes are checked before any member is inflated; zipfile then
never inflates a member past its declared size (and a CRC mismatch on a lying
entry is an error), so the declared sizes are a real bound.
"""
from __future__ import annotations

import zipfile
from typing import BinaryIO

from ..blob import Blob
from ..context import ExploreContext
from ..errors import EncryptedError
from ..limits import LimitExceeded
from .common import call_guarded, corrupt
from .ooxml_strict import is_strict, transitional_copy

# XML parts of honest documents compress far beyond max_ratio (a slide of repeated shapes inflated
# 667x, a 108 KB deck). The parts are streamed and their total is capped by max_member_bytes, so
# the ratio only matters for a part that would also be large: below this size it is not judged.
_RATIO_FLOOR = 16 * 1024 * 1024
_MAX_ENTRIES = 50_000
_ODF_MANIFEST = "META-INF/manifest.xml"


def check_zip(zf: zipfile.ZipFile, ctx: ExploreContext, fmt: str) -> None:
    limits = ctx.limits
    entries = zf.infolist()
    if len(entries) > min(limits.max_members, _MAX_ENTRIES):
        raise LimitExceeded("max_members", f"{fmt}: {len(entries)} parts")
    total = 0
    for info in entries:
        if info.flag_bits & 0x1:
            raise EncryptedError(f"{fmt}: encrypted package")
        if info.file_size > limits.max_member_bytes:
            raise LimitExceeded("max_member_bytes", f"{fmt}: a part of {info.file_size} bytes")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _ratio_floor(limits) and ratio > limits.max_ratio:
            ratio = int(ratio)
            raise LimitExceeded("max_ratio", f"{fmt}: a part inflates {ratio}x")
        total += info.file_size
    if total > limits.max_member_bytes:
        raise LimitExceeded("max_member_bytes", f"{fmt}: parts total {total} bytes")
    ctx.charge(total)


def _ratio_floor(limits) -> int:
    return min(_RATIO_FLOOR, limits.max_member_bytes // 4)


def check_odf_encryption(zf: zipfile.ZipFile, fmt: str) -> None:
    """An ODF package saved with a password lists each part's cipher in its manifest."""
    info = zf.NameToInfo.get(_ODF_MANIFEST)
    if info is not None and info.file_size <= 16 * 1024 * 1024 and b"encryption-data" in zf.read(info):
        raise EncryptedError(f"{fmt}: password protected")


class Package:
    """A checked zip package and its read-only stream; close() releases both."""

    def __init__(self, zf: zipfile.ZipFile, stream: BinaryIO):
        self.zip = zf
        self.stream = stream

    def names(self) -> list[str]:
        return self.zip.namelist()

    def close(self) -> None:
        self.zip.close()
        self.stream.close()


def open_package(blob: Blob, ctx: ExploreContext, fmt: str, required: str) -> Package:
    """Open and check now, so a corrupt or hostile package fails before any text is read.

    An encrypted ODF package raises EncryptedError; a Strict OOXML package is handed over as
    its Transitional copy (ooxml_strict), so every reader sees the names it knows.
    """
    stream = blob.open()
    try:
        zf = call_guarded(fmt, "not a valid package", lambda: zipfile.ZipFile(stream))
        try:
            check_zip(zf, ctx, fmt)
            if required not in zf.NameToInfo:
                raise corrupt(fmt, "not a valid package")
            call_guarded(fmt, "not a valid package", lambda: check_odf_encryption(zf, fmt))
            if call_guarded(fmt, "not a valid package", lambda: is_strict(zf, required)):
                return _transitional(zf, stream, ctx, fmt)
        except BaseException:
            zf.close()
            raise
    except BaseException:
        stream.close()
        raise
    return Package(zf, stream)


def _transitional(zf: zipfile.ZipFile, stream: BinaryIO, ctx: ExploreContext, fmt: str) -> Package:
    copy = call_guarded(fmt, "not a valid package",
                        lambda: transitional_copy(zf, ctx.tmpdir, ctx.limits.spool_memory_bytes))
    zf.close()
    stream.close()
    try:
        return Package(zipfile.ZipFile(copy), copy)
    except BaseException:
        copy.close()
        raise
