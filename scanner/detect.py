"""`detect`: findings in each file's extracted text, in plaintext (the user's own input).

Containers are explored, so each message or member is reported under its
location URI. The model is loaded once for all files.
"""
from __future__ import annotations

import shutil
import tempfile
from typing import Iterator

from connectors import Blob, ExploreContext, Limits, explore
from connectors.dispatch import safe_reason, status_of
from connectors.errors import ConnectorError
from connectors.source import SourceSettings, open_outer, source_for

from detectors.spoken import written_form

from .errors import PdsweepError



def detect_files(paths: list[str], detector, limits: Limits = Limits(),
                 sources: SourceSettings | None = None) -> Iterator[dict]:
    tmpdir = tempfile.mkdtemp(prefix="pdsweep-")
    try:
        for path in paths:
            yield from _detect_one(path, detector, limits, tmpdir, sources)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def detect_text(text: str, detector, label: str = "-") -> list[dict]:
    return [_row(label, f) for f in detector.analyze(text) if f.entity_type != "NAME_INDEX"]


def _detect_one(path: str, detector, limits: Limits, tmpdir: str, sources) -> Iterator[dict]:
    blob = _blob(path, tmpdir, sources)
    for item in explore(blob, ExploreContext(limits, tmpdir)):
        if item.extract is None or item.status != "ok":
            continue
        try:
            extracted = item.extract()
            text = written_form(extracted.text()) if extracted.spoken else extracted.text()
        except Exception as exc:
            yield dict(file=item.location.uri, error=f"{status_of(exc)}: {safe_reason(exc)}")
            continue
        for f in detector.analyze(text, extracted.fields):
            if f.entity_type != "NAME_INDEX":   # keyed name pairs serve `find`; they label nothing
                yield _row(item.location.uri, f)


def _blob(path: str, tmpdir: str, sources) -> Blob:
    """The file from its source (a local path, a remote URI: read only, nothing written)."""
    try:
        uri = source_for(path, sources).prepare(path)    # absolute; a remote one's credentials resolved
        blob = open_outer(uri, tmpdir, sources)
    except ConnectorError as exc:
        raise PdsweepError(f"{path}: {exc}") from None
    if blob is None:
        raise PdsweepError(f"no such file: {path}")
    return blob


def _row(label: str, f) -> dict:
    return dict(file=label, entity_type=f.entity_type, start=f.start, end=f.end, text=f.text,
                score=round(f.score, 4))
