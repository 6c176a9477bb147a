"""Blob: bytes with a location and metadata, on disk or in memory.

Outer files are read where they lie (never modified, `O_NOATIME` where the
kernel allows it). Archive members and messages live in memory, or in a
private temporary file when they are large, so nothing is ever extracted
beside the archive.
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from typing import BinaryIO

from .location import Location

HEAD_BYTES = 64 * 1024
_READ_CHUNK = 1024 * 1024
_NOATIME = getattr(os, "O_NOATIME", 0)


def open_readonly(path: str) -> BinaryIO:
    """Open for reading without touching atime where we are allowed to."""
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | _NOATIME)
    except PermissionError:
        # O_NOATIME needs ownership or CAP_FOWNER; fall back to a plain read.
        fd = os.open(path, flags)
    return os.fdopen(fd, "rb", buffering=_READ_CHUNK)


@dataclass
class Blob:
    location: Location
    size: int
    mtime: float | None = None
    owner: str | None = None
    path: str | None = None          # content lives in this file...
    data: bytes | None = None        # ...or in memory
    mime_hint: str | None = None     # set by a container that knows (mbox message -> message/rfc822)
    _head: bytes | None = field(default=None, repr=False)
    _hash: str | None = field(default=None, repr=False)
    # A small file's whole content as hashing read it: sniffing and parsing it then open no file
    # again (two opens of a .eml cost as much as hashing it). Bounded by HEAD_BYTES; never pickled.
    _whole: bytes | None = field(default=None, repr=False, compare=False)

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        if self._whole is not None:
            return io.BytesIO(self._whole)
        assert self.path is not None
        return open_readonly(self.path)

    def head(self) -> bytes:
        if self._head is None:
            if self.data is not None:
                self._head = self.data[:HEAD_BYTES]
            else:
                with self.open() as f:
                    self._head = f.read(HEAD_BYTES)
        return self._head

    def read_all(self, limit: int) -> bytes:
        """The whole content, refusing anything over `limit` bytes."""
        from .limits import LimitExceeded

        if self.data is not None:
            data = self.data
        else:
            with self.open() as f:
                data = f.read(limit + 1)
        if len(data) > limit:
            raise LimitExceeded("max_member_bytes", f"{self.size} bytes")
        return data

    def content_hash(self) -> str:
        """SHA-256 of the content, streamed: the key that makes findings content-addressed."""
        if self._hash is None:
            h = hashlib.sha256()
            if self.data is not None:
                h.update(self.data)
            else:
                with self.open() as f:
                    first = f.read(_READ_CHUNK)
                    h.update(first)
                    while chunk := f.read(_READ_CHUNK):
                        h.update(chunk)
                        first = b""
                if 0 < len(first) <= HEAD_BYTES and self._whole is None:
                    self._whole = first
            self._hash = h.hexdigest()
        return self._hash

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_whole"] = None     # re-read where the blob lands, as before
        return state

    def local_path(self, tmpdir: str) -> str:
        """A real file path for libraries that insist on one (libpff, py7zr)."""
        if self.path is not None:
            return self.path
        fd, tmp = tempfile.mkstemp(dir=tmpdir, prefix="blob-")
        with os.fdopen(fd, "wb") as f:
            f.write(self.data or b"")
        self.path = tmp
        return tmp


def blob_from_stream(location: Location, stream: BinaryIO, *, size_hint: int, limit: int,
                     spool_memory: int, tmpdir: str, mtime: float | None = None,
                     mime_hint: str | None = None) -> Blob:
    """Read a member stream into memory, or a private temp file when large.

    Reads at most `limit` bytes; a longer stream raises LimitExceeded, so a
    member that lies about its size cannot exhaust memory or disk.
    """
    from .limits import LimitExceeded

    buf = io.BytesIO()
    spooled = None
    total = 0
    h = hashlib.sha256()
    try:
        while chunk := stream.read(_READ_CHUNK):
            total += len(chunk)
            if total > limit:
                raise LimitExceeded("max_member_bytes", f"more than {limit} bytes")
            h.update(chunk)
            if spooled is None and total > spool_memory:
                fd, tmp = tempfile.mkstemp(dir=tmpdir, prefix="member-")
                spooled = (os.fdopen(fd, "wb"), tmp)
                spooled[0].write(buf.getvalue())
                buf = io.BytesIO()
            if spooled is not None:
                spooled[0].write(chunk)
            else:
                buf.write(chunk)
    finally:
        if spooled is not None:
            spooled[0].close()
    blob = Blob(location, total, mtime=mtime, mime_hint=mime_hint,
                path=spooled[1] if spooled else None,
                data=None if spooled else buf.getvalue())
    blob._hash = h.hexdigest()
    return blob
