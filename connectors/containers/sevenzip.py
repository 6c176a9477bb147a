"""7z archives (py7zr): one decompression pass, members written to our own writers.

py7zr decompresses solid blocks as a whole, so members are collected into
memory (or private temp files beyond `spool_memory_bytes` in all) during one
extract call and handed over afterwards. A 7z bomb is refused up front on the
declared sizes; actual bytes are counted too, should the header lie.
"""
from __future__ import annotations

import calendar
import io
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Skipped
from ..errors import CorruptError, EncryptedError
from ..limits import LimitExceeded
from .budget import ContainerBudget, MemberLimit, NameDeduper, ratio_allowance, released


def _mtime(info) -> float | None:
    dt = getattr(info, "creationtime", None)
    try:
        return float(calendar.timegm(dt.utctimetuple())) if dt else None
    except (ValueError, OverflowError, AttributeError):
        return None


class SevenZipContainer:
    def members(self, blob: Blob, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        import py7zr   # with its ciphers, 0.06 s of imports: paid only where a 7z archive is met
        import py7zr.exceptions

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
        from .sevenzip_writers import Factory, discard

        factory = Factory(budget, allowed, ctx.tmpdir)
        try:
            if targets:
                archive.extract(targets=[info.filename for info, _ in targets], factory=factory)
        except LimitExceeded:
            discard(factory)
            raise
        except Exception as exc:
            discard(factory)
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

    def _hand_over(self, blob, targets, factory, ctx) -> Iterator[Blob]:
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
