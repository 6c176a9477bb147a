"""A blob whose content lives on a server (S3, SMB): fetched whole once when small enough.

Exploring a file opens it several times (hash, sniff, extract, random access into a zip); over a
network each open costs round trips. So a content up to FETCH_MEMORY_BYTES is read once into memory,
up to FETCH_DISK_BYTES (when the task has a private temp directory) into a file there, and only
beyond that read remotely on every open. The protocol modules say how to open the remote content
and what a failed read means; the fetching rule is this one, for every protocol.
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from .blob import Blob

FETCH_MEMORY_BYTES = 16 * 1024 * 1024    # contents up to this size are fetched into memory...
FETCH_DISK_BYTES = 256 * 1024 * 1024     # ...up to this into the task's private temp dir; beyond: remote
COPY_CHUNK = 1024 * 1024                 # one read while fetching (S3 GET bodies, SMB reads of 1-8 MiB)


@dataclass
class FetchedBlob(Blob):
    tmpdir: str | None = None

    TEMP_PREFIX = "remote-"   # the fetched copy's name in the task's temp dir (removed with it)

    def open(self) -> BinaryIO:
        if self.data is None and self.path is None and self.size <= self._fetch_limit():
            self._fetch()
        if self.data is not None or self.path is not None:
            return super().open()
        return self._open_remote()

    def local_path(self, tmpdir: str) -> str:
        """A real file for the libraries that insist on one (libpff, py7zr), however large."""
        if self.data is None and self.path is None:
            self.tmpdir = self.tmpdir or tmpdir
            self._fetch(to_disk=True)
        return super().local_path(tmpdir)

    def _fetch_limit(self) -> int:
        return FETCH_DISK_BYTES if self.tmpdir else FETCH_MEMORY_BYTES

    def _fetch(self, to_disk: bool = False) -> None:
        """Read the whole content in one sequential pass, hashing it on the way."""
        to_disk = to_disk or self.size > FETCH_MEMORY_BYTES
        digest = hashlib.sha256()
        if to_disk:
            fd, tmp = tempfile.mkstemp(dir=self.tmpdir, prefix=self.TEMP_PREFIX)
            out = os.fdopen(fd, "wb")
        else:
            out = io.BytesIO()
        with out:
            source = self._open_for_fetch()
            try:
                while chunk := source.read(COPY_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            except self._read_failures() as exc:     # the server or the connection went away mid-file
                raise self._read_error(exc) from None
            finally:
                _close_quietly(source)
            if not to_disk:
                self.data = out.getvalue()
        if to_disk:
            self.path = tmp
        self._hash = digest.hexdigest()

    # What each protocol supplies.
    def _open_remote(self) -> BinaryIO:
        """A stream over the remote content, for contents too large to fetch."""
        raise NotImplementedError

    def _open_for_fetch(self) -> BinaryIO:
        """The stream a fetch copies from (by default the remote stream itself)."""
        return self._open_remote()

    def _read_failures(self) -> tuple[type[BaseException], ...]:
        """The exceptions that mean the read failed (the server's, the transport's)."""
        raise NotImplementedError

    def _read_error(self, exc: BaseException) -> Exception:
        """What a failed read is recorded as."""
        raise NotImplementedError


def _close_quietly(handle) -> None:
    """Closing a handle on a connection that has died fails too; the first failure is the reason."""
    try:
        handle.close()
    except Exception:
        pass
