"""Zip archives (zipfile): members read one at a time under the limits."""
from __future__ import annotations

import calendar
import stat
import zipfile
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Skipped
from ..errors import CorruptError, UnsupportedError
from ..limits import LimitExceeded
from .budget import ContainerBudget, MemberLimit, NameDeduper, released
from .zip_methods import open_member, unsupported
from .zip_names import member_name

_ENCRYPTED_FLAG = 0x1


def _mtime(info: zipfile.ZipInfo) -> float | None:
    try:
        return float(calendar.timegm(info.date_time + (0, 0, 0)))
    except (ValueError, OverflowError, TypeError):
        return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


class ZipContainer:
    def members(self, blob: Blob, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        with blob.open() as raw:
            yield from self._members(blob, raw, ctx)

    def _members(self, blob: Blob, raw, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        try:
            archive = zipfile.ZipFile(raw)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
            raise CorruptError(f"zip: not a valid archive ({type(exc).__name__})") from None
        budget = ContainerBudget(ctx)
        unique = NameDeduper()
        with archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                budget.next_member()
                location = blob.location.child(unique(member_name(info)))
                # A compressed size larger than the whole archive is a lie: cap it by the archive.
                compressed = min(info.compress_size, blob.size)
                yield from self._member(archive, raw, info, compressed, location, budget, ctx)
                budget.check_overall(blob.size)
        budget.raise_if_incomplete()

    def _member(self, archive, raw, info, compressed: int, location, budget: ContainerBudget,
                ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        mtime = _mtime(info)
        if info.flag_bits & _ENCRYPTED_FLAG:
            yield Skipped(location, "encrypted", "encrypted, not scanned", size=info.file_size, mtime=mtime)
            return
        if _is_symlink(info):
            yield Skipped(location, "skipped", "zip symlink member, not followed", mtime=mtime)
            return
        try:
            budget.check_declared(info.file_size, compressed)
            with open_member(archive, raw, info) as stream:
                member = budget.read(location, stream, compressed=compressed, mtime=mtime)
        except MemberLimit as exc:
            yield budget.skipped(location, exc, size=info.file_size, mtime=mtime)
            return
        except LimitExceeded:
            raise
        except UnsupportedError as exc:
            yield Skipped(location, "skipped", str(exc), size=info.file_size, mtime=mtime)
            return
        except NotImplementedError:
            why = str(unsupported(info.compress_type))
            yield Skipped(location, "skipped", why, size=info.file_size, mtime=mtime)
            return
        except Exception as exc:  # bad CRC, truncated data, zlib errors: this member only
            yield Skipped(location, "error", f"zip: member corrupt ({type(exc).__name__})", mtime=mtime)
            return
        yield from released(member, ctx.tmpdir)
