"""7z archives (py7zr): one decompression pass, members written to our own writers.

py7zr decompresses solid blocks as a whole, so members are collected into
memory (or private temp files beyond `spool_memory_bytes` in all) during one
extract call and handed over afterwards. A 7z bomb is refused up front on the
declared sizes; actual bytes are counted too, should the header lie.
"""
from __future__ import annotations

import calendar
import io
import os
import tempfile
from typing import Iterator

import py7zr
import py7zr.exceptions
from py7zr.io import Py7zIO, WriterFactory

from ..blob import Blob
from ..context import ExploreContext
from ..document import Skipped
from ..errors import CorruptError, EncryptedError
from ..limits import LimitExceeded
from .budget import ContainerBudget, MemberLimit, NameDeduper, ratio_allowance, released


class _Writer(Py7zIO):
    """Receives one member's bytes, in memory until the archive's memory share is spent."""

    def __init__(self, factory: "_Factory"):
        self.factory = factory
        self.buf = io.BytesIO()
        self.file = None
        self.path = None
        self.total = 0

    def write(self, s) -> int:
        n = len(s)
        self.total += n
        self.factory.count(n, self.total)
        if self.file is None and self.factory.in_memory > self.factory.limits.spool_memory_bytes:
            fd, self.path = tempfile.mkstemp(dir=self.factory.tmpdir, prefix="member-")
            self.file = os.fdopen(fd, "wb")
            self.file.write(self.buf.getvalue())
            self.buf = io.BytesIO()
        (self.file or self.buf).write(s)
        if self.file is None:
            self.factory.in_memory += n
        return n

    def read(self, size=None) -> bytes:
        return b""

    def seek(self, offset, whence=0) -> int:
        return 0

    def flush(self) -> None:
        pass

    def size(self) -> int:
        return self.total

    def close(self) -> None:
        if self.file is not None and not self.file.closed:
            self.file.close()


class _Factory(WriterFactory):
    def __init__(self, budget: ContainerBudget, allowed: int, tmpdir: str):
        self.budget = budget
        self.limits = budget.limits
        self.allowed = allowed
        self.tmpdir = tmpdir
        self.in_memory = 0
        self.writers: dict[str, _Writer] = {}

    def create(self, filename: str) -> Py7zIO:
        writer = self.writers[filename] = _Writer(self)
        return writer

    def count(self, n: int, member_total: int) -> None:
        if member_total > self.limits.max_member_bytes:
            raise LimitExceeded("max_member_bytes", "actual size over the limit")
        self.budget.charge(n)
        if self.budget.bytes > self.allowed:
            raise LimitExceeded("max_ratio", f"more than {self.allowed} bytes decompressed")


def _mtime(info) -> float | None:
    dt = getattr(info, "creationtime", None)
    try:
        return float(calendar.timegm(dt.utctimetuple())) if dt else None
    except (ValueError, OverflowError, AttributeError):
        return None


class SevenZipContainer:
    def members(self, blob: Blob, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        path = blob.local_path(ctx.tmpdir)
        try:
            archive = py7zr.SevenZipFile(path, mode="r")
        except py7zr.exceptions.PasswordRequired:
            raise EncryptedError("7z: encrypted headers, not scanned") from None
        except Exception as exc:
            raise CorruptError(f"7z: not a valid archive ({type(exc).__name__})") from None
        with archive:
            yield from self._members(blob, archive, ctx)

    def _members(self, blob: Blob, archive, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        budget = ContainerBudget(ctx)
        infos = [i for i in archive.list() if not i.is_directory]
        if archive.needs_password():
            for info in infos:
                budget.next_member()
                yield Skipped(blob.location.child(info.filename.replace("!/", "%21/")), "encrypted",
                              "encrypted, not scanned",
                              size=info.uncompressed or 0, mtime=_mtime(info))
            return
        allowed = ratio_allowance(blob.size, ctx.limits.max_ratio)
        declared = sum(i.uncompressed or 0 for i in infos)
        if declared > allowed:
            raise LimitExceeded("max_ratio", f"declared {declared} bytes from {blob.size}")
        if declared > ctx.limits.max_container_bytes:
            raise LimitExceeded("max_container_bytes", f"declared {declared} bytes")
        unique = NameDeduper()
        names = [unique(info.filename) for info in infos]
        targets, skipped = self._select(blob, list(zip(infos, names)), budget)
        yield from skipped
        factory = _Factory(budget, allowed, ctx.tmpdir)
        try:
            if targets:
                archive.extract(targets=[info.filename for info, _ in targets], factory=factory)
        except LimitExceeded:
            _discard(factory)
            raise
        except Exception as exc:
            _discard(factory)
            raise CorruptError(f"7z: truncated or corrupt ({type(exc).__name__})") from None
        yield from self._hand_over(blob, targets, factory, ctx)
        budget.raise_if_incomplete()

    def _select(self, blob, named, budget: ContainerBudget):
        targets, skipped = [], []
        for info, name in named:
            budget.next_member()
            if info.is_symlink:
                skipped.append(Skipped(blob.location.child(name), "skipped", "7z symlink member, not followed"))
                continue
            try:
                budget.check_declared(info.uncompressed or 0, info.compressed)
            except MemberLimit as exc:
                skipped.append(budget.skipped(blob.location.child(name), exc, size=info.uncompressed or 0))
                continue
            targets.append((info, name))
        return targets, skipped

    def _hand_over(self, blob, targets, factory: _Factory, ctx) -> Iterator[Blob]:
        for info, name in targets:
            location = blob.location.child(name)
            writer = factory.writers.get(info.filename)
            if writer is None:
                if info.uncompressed:
                    yield Skipped(location, "error", "7z: member not extracted", mtime=_mtime(info))
                else:
                    yield Blob(location, 0, mtime=_mtime(info), data=b"")   # py7zr writes nothing for empty files
                continue
            writer.close()
            member = Blob(location, writer.total, mtime=_mtime(info), path=writer.path,
                          data=None if writer.path else writer.buf.getvalue())
            writer.buf = io.BytesIO()
            yield from released(member, ctx.tmpdir)


def _discard(factory: _Factory) -> None:
    for writer in factory.writers.values():
        writer.close()
        if writer.path:
            try:
                os.unlink(writer.path)
            except OSError:
                pass
