"""The one constructor of a `locations` row (schema: scanner/inventory/schema.py LOCATIONS).

Every row the scanner writes for a location (an item a worker explored, a
file the walk could not read, a file whose worker was lost) is built here, so
the columns cannot drift apart. Names are stored printable (undecodable bytes
as \\xNN escapes); `path` and `members` are the stored form of the URI, from
which `connectors.Location.from_row` rebuilds it exactly.
"""
from __future__ import annotations

from datetime import datetime, timezone

from connectors import Location

from .printable import printable


def location_row(location: Location, *, status: str, reason: str | None, host: str, scan_id: str,
                 detector: str = "", content_hash: str | None = None, name_key: str | None = None,
                 size: int | None = None, mtime_ns: int | None = None, inode: int | None = None,
                 owner: str | None = None, mime: str | None = None, container: bool = False,
                 duration_s: float | None = None, started=None) -> dict:
    members = location.members
    parent = Location(location.outer, members[:-1]).uri if members else None
    return dict(uri=printable(location.uri), path=printable(location.outer), members=[printable(m) for m in members],
                parent_uri=printable(parent) if parent is not None else None, content_hash=content_hash,
                name_key=name_key, size=size, mtime_ns=mtime_ns, inode=inode, owner=owner, mime=mime,
                container=container, status=status, reason=reason, host=host, scan_id=scan_id,
                detector=detector, seen_at=datetime.now(timezone.utc), duration_s=duration_s, started=started)
