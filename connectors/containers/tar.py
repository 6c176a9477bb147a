"""Tar archives, plain or gz/bz2/xz compressed, read as a stream.

A plain tar is read with random access (`r:`), so members over a cap are
seeked past. A compressed tar is read in streaming mode (`r|*`): nothing is
loaded whole, but skipping a member still means decompressing it, so a
member declared over `max_member_bytes` stops the container there, and the
decompressed/compressed ratio of the whole stream is watched (a tar.gz bomb).
"""
from __future__ import annotations

import tarfile
from typing import BinaryIO, Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Skipped
from ..errors import CorruptError
from ..limits import LimitExceeded
from .budget import ContainerBudget, MemberLimit, NameDeduper, ratio_allowance, released

_CORRUPT = (tarfile.TarError, EOFError, OSError, ValueError)


def _link_kind(info: tarfile.TarInfo) -> str | None:
    if info.issym():
        return "tar symlink member, not followed"
    if info.islnk():
        return "tar hardlink member, not followed"
    if info.ischr() or info.isblk() or info.isfifo():
        return "tar device member, not read"
    return None


class _RawCounter:
    """Counts compressed bytes consumed, to judge the stream's overall ratio."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.consumed = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.consumed += len(data)
        return data


class TarContainer:
    def __init__(self, streaming: bool):
        self.streaming = streaming   # True for tar.gz/bz2/xz

    def members(self, blob: Blob, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        with blob.open() as raw:
            counter = _RawCounter(raw)
            try:
                archive = (tarfile.open(fileobj=counter, mode="r|*") if self.streaming
                           else tarfile.open(fileobj=raw, mode="r:"))
            except _CORRUPT as exc:
                raise CorruptError(f"tar: not a valid archive ({type(exc).__name__})") from None
            with archive:
                yield from self._walk(blob, archive, counter, ctx)

    def _walk(self, blob, archive: tarfile.TarFile, counter: _RawCounter,
              ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        budget = ContainerBudget(ctx)
        unique = NameDeduper()
        while True:
            try:
                info = archive.next()
            except _CORRUPT as exc:
                raise CorruptError(f"tar: truncated or corrupt ({type(exc).__name__})") from None
            if info is None:
                break
            if info.isdir():
                continue
            budget.next_member()
            location = blob.location.child(unique(info.name))
            yield from self._member(archive, info, location, budget, ctx)
            if self.streaming:
                self._check_stream_ratio(archive, counter, ctx)
        budget.raise_if_incomplete()

    def _member(self, archive, info, location, budget, ctx) -> Iterator[Blob | Skipped]:
        mtime = float(info.mtime) if info.mtime else None
        kind = _link_kind(info)
        if kind or not info.isreg():
            yield Skipped(location, "skipped", kind or "tar special member, not read", mtime=mtime)
            return
        try:
            budget.check_declared(info.size, None)
            stream = archive.extractfile(info)
            member = budget.read(location, stream, compressed=None, mtime=mtime)
        except MemberLimit as exc:
            if self.streaming:
                # Skipping it would mean decompressing it all: stop here instead.
                raise LimitExceeded(exc.limit, "member too large to skip in a compressed stream") from None
            yield budget.skipped(location, exc, size=info.size, mtime=mtime)
            return
        except LimitExceeded:
            raise
        except Exception as exc:  # tarfile errors, and zlib.error / lzma.LZMAError from the decompressor
            raise CorruptError(f"tar: truncated or corrupt ({type(exc).__name__})") from None
        yield from released(member, ctx.tmpdir)

    def _check_stream_ratio(self, archive: tarfile.TarFile, counter: _RawCounter,
                            ctx: ExploreContext) -> None:
        allowed = ratio_allowance(counter.consumed, ctx.limits.max_ratio)
        if archive.offset > allowed:
            raise LimitExceeded("max_ratio", f"{archive.offset} bytes from {counter.consumed}")
