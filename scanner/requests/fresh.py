"""Reading locations afresh from the source, for a disclosure or before an edit.

The outer file is explored again (as `detect` does) down to each wanted
location; its text is taken while the item is still valid. A location whose
content hash differs from the inventory's is `changed`; one that is no longer
there is `vanished`.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field

from connectors import ExploreContext, Limits, explore
from detectors.spoken import written_form
from connectors.dispatch import safe_reason, status_of
from connectors.source import SourceSettings, open_outer


@dataclass
class Fresh:
    uri: str
    state: str                    # current | changed | vanished | unreadable
    content_hash: str = ""
    mime: str = ""
    text: str | None = None       # None when the location has no text of its own
    fields: list = field(default_factory=list)
    pages: list = field(default_factory=list)     # PageMarks: which page (OCR'd or not) each offset is on
    reason: str = ""


def read_fresh(outer: str, wanted: dict[str, str | None], limits: Limits = Limits(),
               sources: SourceSettings | None = None) -> dict[str, Fresh]:
    """{uri: Fresh} for every wanted uri (uri -> the inventory's content hash, None if unknown).
    An unusable source (a server down) raises inside: every wanted uri is "unreadable", with the reason."""
    found: dict[str, Fresh] = {}
    tmpdir = tempfile.mkdtemp(prefix="pdsweep-")
    try:
        blob = open_outer(outer, tmpdir, sources)
        if blob is None:
            return {uri: Fresh(uri, "vanished", reason="file no longer exists") for uri in wanted}
        for item in explore(blob, ExploreContext(limits, tmpdir)):
            uri = item.location.uri
            if uri in wanted:
                found[uri] = _fresh(item, wanted[uri])
            if len(found) == len(wanted):
                break
    except Exception as exc:      # unreadable now: never let one file stop the request
        reason = f"{status_of(exc)}: {safe_reason(exc)}"
        return {uri: found.get(uri) or Fresh(uri, "unreadable", reason=reason) for uri in wanted}
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return {uri: found.get(uri) or Fresh(uri, "vanished", reason="no longer in its container")
            for uri in wanted}


def _fresh(item, expected_hash: str | None) -> Fresh:
    state = "current" if not expected_hash or item.content_hash == expected_hash else "changed"
    fresh = Fresh(item.location.uri, state, item.content_hash, item.mime)
    if item.status != "ok":
        fresh.reason = f"{item.status}: {item.reason}"
        return fresh
    if item.extract is not None:
        try:
            extracted = item.extract()
            fresh.text = written_form(extracted.text()) if extracted.spoken else extracted.text()
            fresh.fields = list(extracted.fields)
            fresh.pages = list(extracted.pages)
        except Exception as exc:
            fresh.reason = f"{status_of(exc)}: {safe_reason(exc)}"
    return fresh
