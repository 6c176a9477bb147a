"""Single-file gzip/bzip2/xz, and the check that tells a tar.gz from a plain .gz."""
from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
import zlib
from typing import BinaryIO, Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Skipped
from ..errors import CorruptError
from ..limits import LimitExceeded
from .budget import ContainerBudget, MemberLimit, released

OPENERS = {
    "application/gzip": gzip.GzipFile,
    "application/x-gzip": gzip.GzipFile,
    "application/x-bzip2": bz2.BZ2File,
    "application/x-xz": lzma.LZMAFile,
}
SUFFIXES = {
    "application/gzip": (".gz", ".gzip"),
    "application/x-gzip": (".gz", ".gzip"),
    "application/x-bzip2": (".bz2", ".bzip2"),
    "application/x-xz": (".xz",),
}
_DECOMPRESS_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError)


def _open(mime: str, raw: BinaryIO) -> BinaryIO:
    opener = OPENERS[mime]
    return opener(fileobj=raw) if opener is gzip.GzipFile else opener(raw)


def holds_tar(mime: str, blob: Blob) -> bool:
    """Decompress the first block and see whether it is a tar header."""
    try:
        with blob.open() as raw, _open(mime, raw) as f:
            block = f.read(tarfile.BLOCKSIZE)
    except Exception:
        return False
    if len(block) < tarfile.BLOCKSIZE:
        return False
    try:
        tarfile.TarInfo.frombuf(block, tarfile.ENCODING, "surrogateescape")
        return True
    except tarfile.TarError:
        return False


def member_name(outer_name: str, mime: str) -> str:
    """`notes.txt.gz` -> `notes.txt`; a name without the suffix is kept as it is."""
    lowered = outer_name.lower()
    for suffix in SUFFIXES.get(mime, ()):
        if lowered.endswith(suffix) and len(outer_name) > len(suffix):
            return outer_name[: -len(suffix)]
    return outer_name


class CompressedFile:
    def __init__(self, mime: str):
        self.mime = mime

    def members(self, blob: Blob, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        budget = ContainerBudget(ctx)
        budget.next_member()
        location = blob.location.child(member_name(blob.location.name, self.mime))
        try:
            with blob.open() as raw, _open(self.mime, raw) as stream:
                member = budget.read(location, stream, compressed=blob.size, mtime=blob.mtime)
        except MemberLimit as exc:
            yield budget.skipped(location, exc, mtime=blob.mtime)
            budget.raise_if_incomplete()
            return
        except LimitExceeded:
            raise
        except _DECOMPRESS_ERRORS as exc:
            raise CorruptError(f"{self.mime}: truncated or corrupt ({type(exc).__name__})") from None
        yield from released(member, ctx.tmpdir)
