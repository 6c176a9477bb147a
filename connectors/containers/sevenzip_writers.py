"""py7zr's writer interface, filled by our own writers: members in memory until the archive's memory share
is spent, then in private temp files; every byte counted against the container's limits as it comes.

Its own module so that py7zr (0.06 s of imports, with its ciphers) loads only where a 7z archive is met.
"""
from __future__ import annotations

import io
import os
import tempfile

from py7zr.io import Py7zIO, WriterFactory

from ..limits import LimitExceeded
from .budget import ContainerBudget


class Writer(Py7zIO):
    """Receives one member's bytes, in memory until the archive's memory share is spent."""

    def __init__(self, factory: "Factory"):
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


class Factory(WriterFactory):
    def __init__(self, budget: ContainerBudget, allowed: int, tmpdir: str):
        self.budget = budget
        self.limits = budget.limits
        self.allowed = allowed
        self.tmpdir = tmpdir
        self.in_memory = 0
        self.writers: dict[str, Writer] = {}

    def create(self, filename: str) -> Py7zIO:
        writer = self.writers[filename] = Writer(self)
        return writer

    def count(self, n: int, member_total: int) -> None:
        if member_total > self.limits.max_member_bytes:
            raise LimitExceeded("max_member_bytes", "actual size over the limit")
        self.budget.charge(n)
        if self.budget.bytes > self.allowed:
            raise LimitExceeded("max_ratio", f"more than {self.allowed} bytes decompressed")


def discard(factory: Factory) -> None:
    for writer in factory.writers.values():
        writer.close()
        if writer.path:
            try:
                os.unlink(writer.path)
            except OSError:
                pass
