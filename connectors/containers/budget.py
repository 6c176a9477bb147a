"""Reading members under the limits: the one place archive bytes are counted.

Per-member caps (`max_member_bytes`, `max_ratio`) skip that member only, as a
`Skipped` row; per-container caps (`max_members`, `max_container_bytes`) and
the per-outer-file `max_total_bytes` stop the container, keeping what was
found before. Declared sizes are checked before reading AND actual bytes are
counted while reading, because a zip's central directory may lie.
"""
from __future__ import annotations

import os
from typing import BinaryIO, Iterator

from ..blob import Blob, blob_from_stream
from ..context import ExploreContext
from ..document import Skipped
from ..limits import LimitExceeded
from ..location import SEPARATOR, Location

# Below this many decompressed bytes the ratio is not judged: tiny members of
# repeated bytes compress absurdly well and are harmless.
RATIO_FLOOR_BYTES = 1024 * 1024
_CHUNK = 1024 * 1024


class MemberLimit(LimitExceeded):
    """A cap that skips one member; the container goes on."""


def ratio_allowance(compressed: int, max_ratio: float) -> int:
    return max(int(max(compressed, 1) * max_ratio), RATIO_FLOOR_BYTES)


class ContainerBudget:
    """Counts members and decompressed bytes for one container.

    `decompresses=False` is for mailboxes and messages: their members are
    their own bytes (at most base64-decoded, so smaller), they cannot amplify,
    and a multi-GB mbox must not be cut short by caps meant for bombs.
    """

    def __init__(self, ctx: ExploreContext, decompresses: bool = True):
        self.ctx = ctx
        self.limits = ctx.limits
        self.decompresses = decompresses
        self.members = 0
        self.bytes = 0
        self.member_limits: list[str] = []   # names of per-member caps hit, for the container's status

    def next_member(self) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            raise LimitExceeded("max_members", f"more than {self.limits.max_members} members")

    def charge(self, nbytes: int) -> None:
        self.bytes += nbytes
        if not self.decompresses:
            return
        if self.bytes > self.limits.max_container_bytes:
            raise LimitExceeded("max_container_bytes", f"more than {self.limits.max_container_bytes} bytes")
        self.ctx.charge(nbytes)

    def check_declared(self, size: int, compressed: int | None) -> None:
        """Refuse a member on its declared sizes, before reading a byte."""
        # Ratio first: for a bomb it is the more telling name.
        if compressed is not None and size > ratio_allowance(compressed, self.limits.max_ratio):
            raise MemberLimit("max_ratio", f"declared {size} bytes from {compressed}")
        if size > self.limits.max_member_bytes:
            raise MemberLimit("max_member_bytes", f"declared {size} bytes")

    def check_overall(self, archive_bytes: int) -> None:
        """Many small members each under the ratio can still add up to a bomb: judge the archive whole."""
        allowed = ratio_allowance(archive_bytes, self.limits.max_ratio)
        if self.bytes > allowed:
            raise LimitExceeded("max_ratio", f"more than {allowed} bytes from a {archive_bytes}-byte archive")

    def skipped(self, location: Location, exc: LimitExceeded, size: int = 0,
                mtime: float | None = None) -> Skipped:
        self.member_limits.append(exc.limit)
        return Skipped(location, "skipped", str(exc), size=size, mtime=mtime)

    def raise_if_incomplete(self) -> None:
        """A container with members skipped over a cap was not fully scanned: say so."""
        if self.member_limits:
            first = self.member_limits[0]
            raise LimitExceeded(first, f"{len(self.member_limits)} member(s) over a limit")

    def read(self, location: Location, stream: BinaryIO, *, compressed: int | None,
             mtime: float | None = None, mime_hint: str | None = None) -> Blob:
        """A member's bytes as a Blob, counting every byte actually read."""
        counted = _CountingReader(stream, self, compressed)
        before = _spool_files(self.ctx.tmpdir)
        try:
            return blob_from_stream(location, counted, size_hint=0, limit=self.limits.max_member_bytes,
                                    spool_memory=self.limits.spool_memory_bytes, tmpdir=self.ctx.tmpdir,
                                    mtime=mtime, mime_hint=mime_hint)
        except BaseException:
            # A member stopped part-way may have left a spool file of up to its cap: remove it now,
            # not at the end of the outer file (a mailbox of bombs must not fill the disk).
            for name in _spool_files(self.ctx.tmpdir) - before:
                _unlink_quietly(os.path.join(self.ctx.tmpdir, name))
            raise


class _CountingReader:
    """Charges the budget for each chunk and enforces the ratio on actual bytes."""

    def __init__(self, stream: BinaryIO, budget: ContainerBudget, compressed: int | None):
        self.stream = stream
        self.budget = budget
        self.allowed = (ratio_allowance(compressed, budget.limits.max_ratio)
                        if compressed is not None else None)
        self.total = 0

    def read(self, n: int = _CHUNK) -> bytes:
        chunk = self.stream.read(min(n, _CHUNK) if n and n > 0 else _CHUNK)
        self.total += len(chunk)
        if self.allowed is not None and self.total > self.allowed:
            raise MemberLimit("max_ratio", f"more than {self.allowed} bytes decompressed")
        if self.total > self.budget.limits.max_member_bytes:
            raise MemberLimit("max_member_bytes", f"more than {self.budget.limits.max_member_bytes} bytes")
        self.budget.charge(len(chunk))
        return chunk


def _spool_files(tmpdir: str) -> set[str]:
    try:
        return {n for n in os.listdir(tmpdir) if n.startswith("member-")}
    except OSError:
        return set()


def released(blob: Blob, tmpdir: str) -> Iterator[Blob]:
    """Yield a member, then delete its private temp file once the caller is done with it.

    Only files under our private tmpdir are ever removed, never a source.
    """
    try:
        yield blob
    finally:
        if blob.path and os.path.dirname(os.path.abspath(blob.path)) == os.path.abspath(tmpdir):
            _unlink_quietly(blob.path)


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class NameDeduper:
    """Member names must be unique in a URI: a clash becomes `name (2)`, `name (3)`...

    The first holder keeps the plain name, so the common case reads as stored.
    A name holding the URI separator `!/` would split the URI in the wrong
    place, so its `!` is written `%21`.
    """

    def __init__(self):
        self.seen: dict[str, int] = {}

    def __call__(self, name: str) -> str:
        name = name.replace(SEPARATOR, "%21/")
        n = self.seen.get(name, 0) + 1
        self.seen[name] = n
        if n == 1:
            return name
        candidate = f"{name} ({n})"
        while candidate in self.seen:
            n += 1
            candidate = f"{name} ({n})"
        self.seen[name] = n
        self.seen[candidate] = 1
        return candidate
