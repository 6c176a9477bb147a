"""A recording's length and start time for its location row, from a header read.

The start time comes from the file's own tags (BWF origination, ID3 TDRC,
Vorbis DATE, M4A ©day), else from the date and time PBXs put in the name
(`2024-03-11_091500_…`, `20240311-091500-…`). Never raises: a file whose
header cannot be read simply has no length here (its extraction says why).
"""
from __future__ import annotations

import re
from datetime import datetime

from ..blob import Blob

_NAME_DATETIME = re.compile(
    r"(?<!\d)(20\d\d)-?(0[1-9]|1[0-2])-?([0-3]\d)[_T .\-]?([0-2]\d)[:\-.]?([0-5]\d)[:\-.]?([0-5]\d)(?!\d)")
_NAME_DATE = re.compile(r"(?<!\d)(20\d\d)-?(0[1-9]|1[0-2])-?([0-3]\d)(?!\d)")
_TAG_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
                "%Y-%m-%d", "%Y%m%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y")


def probe(blob: Blob, mime: str) -> tuple[float | None, str | None]:
    from .tags import media_info

    try:
        info = media_info(blob, mime)
    except Exception:   # truncated or hostile header: the extractor records the reason
        return None, started_from_name(blob.location.name)
    duration = round(info.duration_s, 3) if info.duration_s else None
    return duration, parse_started(info.started) or started_from_name(blob.location.name)


def parse_started(text: str) -> str | None:
    text = (text or "").strip().rstrip("Z")
    for fmt in _TAG_FORMATS:
        try:
            return datetime.strptime(text[:19] if "%S" in fmt else text, fmt).isoformat()
        except ValueError:
            continue
    return None


def started_from_name(name: str) -> str | None:
    match = _NAME_DATETIME.search(name)
    try:
        if match:
            return datetime(*map(int, match.groups())).isoformat()
        match = _NAME_DATE.search(name)
        return datetime(*map(int, match.groups())).isoformat() if match else None
    except ValueError:   # 2024-02-31
        return None
