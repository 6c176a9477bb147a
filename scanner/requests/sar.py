"""The access pack's content: every location, identical copies grouped, fresh redacted excerpts."""
from __future__ import annotations

from datetime import date, datetime, timezone

from connectors import Limits
from connectors.source import SourceSettings

from ..find import find_locations
from .dates import due_date
from .excerpts import excerpts
from .fresh import Fresh, read_fresh
from .subject import Subject


def build_sar(reader, subject: Subject, detector, identifiers: dict[str, list[str]], received: date,
              extend: bool = False, limits: Limits = Limits(), request_id: str | None = None,
              sources: SourceSettings | None = None, unreachable=None) -> dict:
    """`unreachable(row)`: why a location cannot be read from here (a fleet query: a file on another
    host), else None."""
    rows = find_locations(reader, subject.keys)
    fresh = _read_all(rows, limits, sources, unreachable)
    groups: dict[str, dict] = {}
    for row in rows:
        key = row["content_hash"] or row["location"]
        group = groups.setdefault(key, dict(content_hash=row["content_hash"], entity_types=row["entity_types"],
                                            matched=row["matched"], excerpts=None, note="", copies=[]))
        seen = fresh[(row["host"], row["location"])]
        group["copies"].append(_copy(row, seen))
        if group["excerpts"] is None and seen.text is not None and seen.state in ("current", "changed"):
            group["excerpts"] = _excerpts(seen, subject, detector)
            if seen.state == "changed":
                group["note"] = "excerpts are from the content as it is now; it changed since the scan"
    for group in groups.values():
        if group["excerpts"] is None:
            group["excerpts"] = []
            group["note"] = group["note"] or _no_excerpt_note(group)
    return dict(request=_request(request_id, identifiers, received, extend),
                generated=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                locations=len(rows), groups=list(groups.values()))


def _read_all(rows: list[dict], limits: Limits, sources: SourceSettings | None,
              unreachable=None) -> dict[tuple, Fresh]:
    """{(host, uri): Fresh}. Each outer file explored once for all its wanted locations. Grouped by the
    row's path, not by splitting the URI: a folder may be named `x!`, and then its URIs hold `!/` of
    their own; and by host: in a fleet, two hosts may each have a /srv/share/a.txt."""
    by_path: dict[tuple, dict[str, str | None]] = {}
    fresh: dict[tuple, Fresh] = {}
    for r in rows:
        reason = unreachable(r) if unreachable else None
        if reason:
            fresh[(r["host"], r["location"])] = Fresh(r["location"], "unreadable", reason=reason)
        else:
            by_path.setdefault((r["host"], r["path"]), {})[r["location"]] = r["content_hash"]
    for (host, outer), wanted in by_path.items():
        fresh.update(((host, uri), seen) for uri, seen in read_fresh(outer, wanted, limits, sources).items())
    return fresh


def _excerpts(seen: Fresh, subject: Subject, detector) -> list[str]:
    findings = detector.analyze(seen.text, seen.fields)
    mine, others = subject.split(findings)
    return excerpts(seen.text, seen.mime, mine, others, seen.pages)


def _copy(row: dict, seen: Fresh) -> dict:
    return dict(location=row["location"], path=row["path"], members=row["members"], state=seen.state,
                reason=seen.reason, modified=row["modified"], size=row["size"], mime=row["mime"],
                host=row["host"])


def _no_excerpt_note(group: dict) -> str:
    states = {c["state"] for c in group["copies"]}
    if states <= {"vanished"}:
        return "every copy has vanished since the scan"
    return "no text could be read afresh (or the match is in the file name)"


def _request(request_id, identifiers, received: date, extend: bool) -> dict:
    return dict(id=request_id, received=received.isoformat(), due=due_date(received, extend).isoformat(),
                extended=extend, identifiers=identifiers)
