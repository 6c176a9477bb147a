"""`pdsweep text`: the text of one location exactly as the detectors see it.

So an engineer can tell "not extracted" from "not detected": the file (or one
nested member, `archive.zip!/inner.docx`) is explored as a scan explores it,
its text extracted by the same extractor, and made valid by the same step the
detectors apply first.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field

from connectors import ExploreContext, Limits, Location, explore
from connectors.dispatch import safe_reason, status_of
from connectors.source import SourceSettings, source_for
from detectors.valid_text import valid_fields, valid_text

from .detect import _blob
from .errors import UsageError


@dataclass
class LocationText:
    uri: str
    status: str = "ok"                 # as a scan would record it; `missing` when no such member
    reason: str = ""
    text: str | None = None            # None: no text of its own (an archive, a mailbox)
    fields: list = field(default_factory=list)
    members: list[str] = field(default_factory=list)   # the locations just below it


def target_location(target: str) -> Location:
    """`FILE` or `FILE!/member!/…`; a local outer path is made absolute, as a scan records it."""
    location = Location.parse(target)       # typed by a person: there are no stored columns to read
    if not source_for(location.outer).capabilities.local_files:
        return location
    outer = os.path.abspath(location.outer)
    if not os.path.exists(outer):
        raise UsageError(f"no such file: {location.outer}")
    return Location(outer, location.members)


def location_text(target: str, limits: Limits = Limits(), sources: SourceSettings | None = None) -> LocationText:
    wanted = target_location(target)
    depth = len(wanted.members)
    shown, members = None, []
    tmpdir = tempfile.mkdtemp(prefix="pdsweep-")
    try:
        for item in explore(_blob(wanted.outer, tmpdir, sources), ExploreContext(limits, tmpdir)):
            below = item.location.members[:depth] == wanted.members and item.location.depth > depth
            if item.location == wanted:
                shown = _text(item)
            elif below and item.location.depth == depth + 1:
                members.append(item.location.uri)
            elif shown is not None and not below:
                break   # the wanted location and everything below it have been seen
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    if shown is None:
        return LocationText(wanted.uri, "missing", "no such member in the file")
    shown.members = members
    return shown


def _text(item) -> LocationText:
    shown = LocationText(item.location.uri, item.status, item.reason or "")
    if item.status != "ok" or item.extract is None:
        return shown
    try:
        extracted = item.extract()
        shown.text = valid_text(extracted.text())
        shown.fields = valid_fields(list(extracted.fields))
    except Exception as exc:
        shown.status, shown.reason = status_of(exc), safe_reason(exc)
    return shown
