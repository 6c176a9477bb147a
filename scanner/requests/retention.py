"""`--backup-retention`: how long backups are kept (35d, 6w, 12m, 1y), for a beyond-use expiry date."""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..errors import UsageError
from .dates import add_months

_SPEC = re.compile(r"\s*(\d+)\s*([dwmy])\s*", re.I)


def parse_retention(spec: str | None) -> tuple[int, str] | None:
    if not spec:
        return None
    m = _SPEC.fullmatch(spec)
    if not m:
        raise UsageError("--backup-retention: expected a number and d/w/m/y, e.g. 35d, 6w, 12m, 1y")
    return int(m.group(1)), m.group(2).lower()


def expiry(archived: date, retention: tuple[int, str] | None) -> date | None:
    if retention is None:
        return None
    n, unit = retention
    if unit == "d":
        return archived + timedelta(days=n)
    if unit == "w":
        return archived + timedelta(weeks=n)
    return add_months(archived, n * (12 if unit == "y" else 1))
