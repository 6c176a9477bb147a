"""The local file system (and anything mounted into it) as a source."""
from __future__ import annotations

import os
import stat
from typing import Iterable, Iterator

from ..blob import Blob
from ..filesystem import FileEntry, WalkProblem, walk
from ..location import Location
from ..source import Capabilities, Source, register


@register
class LocalSource(Source):
    """Paths on this machine. The walk never follows links (filesystem.walk); the inode is the identity."""

    scheme = ""
    capabilities = Capabilities(editable=True, change_feed=False, local_files=True)

    def canonical(self, uri: str) -> str:
        return os.path.abspath(uri)

    def exclude_in(self, root: str, exclude: str) -> str:
        return os.path.abspath(exclude)

    def root_problem(self, root: str) -> str | None:
        path = os.path.abspath(root)
        try:
            if os.path.isdir(path):
                with os.scandir(path):
                    pass
            elif stat.S_ISREG(os.stat(path).st_mode):   # a FIFO or device is the walker's to record
                os.close(os.open(path, os.O_RDONLY))    # opened, not read: atime stays
        except OSError as exc:
            return exc.strerror or type(exc).__name__
        return None

    def walk(self, roots: list[str], excludes: Iterable[str] = (),
             strict: bool = True) -> Iterator[FileEntry | WalkProblem]:
        # A missing local root is a WalkProblem (recorded, exit code from the scan's summary).
        yield from walk(roots, self.own(excludes))

    def may_be_folder(self, uri: str) -> bool:
        return os.path.isdir(uri)

    def kind(self, uri: str) -> str:
        if not os.path.lexists(uri):
            return "missing"
        if os.path.islink(uri):
            return "link"
        return "dir" if os.path.isdir(uri) else "file"

    def identity_now(self, uri: str) -> tuple[int, int, int] | None:
        try:
            st = os.stat(uri, follow_symlinks=False)
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns, st.st_ino

    def open_entry(self, entry: FileEntry, tmpdir: str) -> Blob:
        return Blob(Location(entry.path), entry.size, mtime=entry.mtime_ns / 1e9, owner=entry.owner,
                    path=entry.path)

    def open_outer(self, uri: str, tmpdir: str) -> Blob | None:
        if not os.path.isfile(uri):
            return None
        st = os.stat(uri)
        return Blob(Location(uri), st.st_size, mtime=st.st_mtime, path=uri)
