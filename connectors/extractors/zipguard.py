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

_RATIO_FLOOR = 1024 * 1024   # small XML parts legitimately compress > 200:1
_MAX_ENTRIES = 50_000


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
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise LimitExceeded("max_ratio", f"{fmt}: a part inflates {ratio}x")
        total += info.file_size
    if total > limits.max_member_bytes:
        raise LimitExceeded("max_member_bytes", f"{fmt}: parts total {total} bytes")
    ctx.charge(total)


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
    """Open and check now, so a corrupt or hostile package fails before any text is read."""
    stream = blob.open()
    try:
        zf = call_guarded(fmt, "not a valid package", lambda: zipfile.ZipFile(stream))
        try:
            check_zip(zf, ctx, fmt)
            if required not in zf.NameToInfo:
                raise corrupt(fmt, "not a valid package")
        except BaseException:
            zf.close()
            raise
    except BaseException:
        stream.close()
        raise
    return Package(zf, stream)
