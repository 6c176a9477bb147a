"""The worker side of a scan: explore outer files, extract, detect, key.

One `Analyser` per worker process holds the model (loaded once) and turns a
batch of outer files into inventory rows. Identical content is analysed once:
hashes already in the inventory are skipped, and within a run workers claim
a hash before analysing it.
"""
from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

from connectors import ExploreContext, Item, Location, explore
from connectors.dispatch import safe_reason, status_of
from connectors.filesystem import FileEntry
from connectors.source import source_for

from connectors.media.settings import AudioClock
from detectors.file_name_text import file_name_text

from .chunks import analysis_units
from .collector import analysis_pace
from .config import ScanConfig
from .findings import ContentFindings, label_columns
from .keys import Keyer
from .rows import location_row
from .timeouts import DocumentTimeout, time_limit


@dataclass
class TaskResult:
    locations: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)   # a pool worker sends them as one Arrow table (pool.py)
    contents: list[dict] = field(default_factory=list)
    stats: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)      # skipped/error reasons, for the summary
    entity_counts: Counter = field(default_factory=Counter)
    worker: str | None = None          # the cluster worker that produced it (progress shows rates)


@dataclass(frozen=True)
class HintField:
    label: str
    value: str
    start: int


class Analyser:
    def __init__(self, config: ScanConfig, secret: bytes, detector_fp: str,
                 known_hashes: frozenset[str] = frozenset(), claims=None, detector=None):
        self.config = config
        self.keyer = Keyer(secret)
        self.detector_fp = detector_fp
        if detector is None:
            from detectors import Detector   # spaCy and Presidio load only where analysis happens
            detector = Detector(config.detector)
        self.detector = detector
        self.known = known_hashes
        self.claims = claims            # the pool's claim table (scanner/pool_claims.py), or None in-process
        self.done: set[str] = set()     # analysed by this worker in this run
        self.pid = os.getpid()
        self.heartbeat = None           # set by the pool: called with the entry index as work advances
        self.audio_clock = AudioClock(config.limits.max_audio_hours * 3600 / max(config.workers, 1))

    # -- public -----------------------------------------------------------
    def run(self, entries: list[FileEntry], scan_id: str) -> TaskResult:
        result = TaskResult()
        batch = _Batch(self, result)
        tmpdir = tempfile.mkdtemp(prefix="pdsweep-")   # 0700, private to this task
        with analysis_pace():   # the collector at a task's pace (collector.py)
            try:
                for index, entry in enumerate(entries):
                    self._beat(index)
                    self._run_entry(entry, scan_id, tmpdir, batch, result)
                batch.flush()
            finally:
                shutil.rmtree(tmpdir, ignore_errors=True)
            self._rows(batch, result)
        return result

    def _rows(self, batch: "_Batch", result: TaskResult) -> None:
        """The findings and contents rows of what this task analysed."""
        for content_hash, found in batch.contents.items():
            result.findings.extend(found.rows(content_hash, self.detector_fp))
            result.contents.append(dict(content_hash=content_hash, chars=found.chars,
                                        findings=sum(a.count for (etype, _, _), a in found.by_key.items()
                                                     if etype != "NAME_INDEX"),
                                        detector=self.detector_fp, status=found.status,
                                        **label_columns(found, self.keyer)))
            for (etype, _, _), agg in found.by_key.items():
                if etype != "NAME_INDEX":      # keyed name pairs for `find`, not labelled findings
                    result.entity_counts[etype] += agg.count
            if not content_hash.startswith("name-"):
                result.stats["analysed"] += 1

    def _beat(self, index: int | None = None) -> None:
        if self.heartbeat is not None:
            self.heartbeat(index)

    def claim(self, content_hash: str) -> bool:
        """True if this worker should analyse the content (nobody has, nobody is)."""
        if not content_hash or content_hash in self.known or content_hash in self.done:
            return False
        if self.claims is not None and self.claims.setdefault(content_hash, self.pid) != self.pid:
            return False
        self.done.add(content_hash)
        return True

    # -- one outer file -----------------------------------------------------
    def _run_entry(self, entry: FileEntry, scan_id: str, tmpdir: str, batch: "_Batch",
                   result: TaskResult) -> None:
        blob = source_for(entry.path, self.config.sources).open_entry(entry, tmpdir)
        ctx = ExploreContext(self.config.limits, tmpdir, audio=self.config.audio, audio_clock=self.audio_clock)
        result.stats["files_read"] += 1
        result.stats["bytes_read"] += entry.size
        items = explore(blob, ctx)
        while True:
            try:
                item = next(items)
            except StopIteration:
                break
            except Exception as exc:  # a bug or parser crash outside any container guard
                item = Item(blob.location, "", "", entry.size, status=status_of(exc), reason=safe_reason(exc))
                self._record(item, entry, scan_id, batch, result)
                break
            self._beat()
            if item.extract is not None and item.status == "ok" and self.claim(item.content_hash):
                self._extract(item, batch, ctx)
                result.stats["ocr_pages"] += ctx.counters.pop("ocr_pages", 0)
            self._record(item, entry, scan_id, batch, result)
        for counter in ("audio_seconds", "audio_cpu_seconds"):
            result.stats[counter] += ctx.counters.get(counter, 0.0)

    def _extract(self, item: Item, batch: "_Batch", ctx: ExploreContext) -> None:
        found = batch.contents.setdefault(item.content_hash, ContentFindings())
        limits = self.config.limits
        try:
            with time_limit(limits.doc_timeout_s) as progressed:
                ctx.progress = lambda: (progressed(), self._beat())
                extracted = item.extract()
                found.pages = extracted.pages
                fields = FieldFeeder(extracted.fields)
                chunks = _written(extracted.chunks) if extracted.spoken else extracted.chunks
                for offset, skip, text in analysis_units(chunks, limits.chunk_chars,
                                                         limits.chunk_overlap):
                    progressed()
                    self._beat()
                    found.chars += len(text) - skip
                    batch.add(found, offset, skip, text, fields.for_unit(offset, len(text)))
            item.reason = page_notes(extracted.pages) or item.reason
        except DocumentTimeout:
            item.status, item.reason = "timeout", "limit: doc_timeout_s"
            found.status = "timeout"
        except Exception as exc:
            item.status, item.reason = status_of(exc), safe_reason(exc)
            found.status = "error"
        finally:
            ctx.progress = None

    def _record(self, item: Item, entry: FileEntry, scan_id: str, batch: "_Batch",
                result: TaskResult) -> None:
        loc = item.location
        name_key = None
        if self.config.scan_file_names:
            name_key = self.keyer.file_name_key(loc.name)
            if name_key not in self.done and name_key not in self.known:
                self.done.add(name_key)
                found = batch.contents.setdefault(name_key, ContentFindings())
                batch.add(found, -1, 0, file_name_text(loc.name), [])
        outer = not loc.members
        result.locations.append(location_row(
            loc, content_hash=item.content_hash or None, name_key=name_key, size=item.size,
            mtime_ns=entry.mtime_ns if outer else member_mtime_ns(item.mtime),
            inode=entry.inode if outer else None, owner=item.owner, mime=item.mime,
            container=item.container, status=item.status, reason=item.reason, host=self.config.host,
            scan_id=scan_id, detector=self.detector_fp,
            duration_s=item.duration_s, started=_timestamp(item.started)))
        result.stats["locations"] += 1
        if item.status != "ok":
            result.stats["errors" if item.status == "error" else "skipped"] += 1
            result.reasons[f"{item.status}: {item.reason}"] += 1


def page_notes(pages: list) -> str:
    """The limits that stopped pages being read (`limit: ocr_max_pages (pages 3, 4)`), for the row's reason."""
    by_note: dict[str, list[str]] = {}
    for mark in pages:
        if mark.note:
            by_note.setdefault(mark.note, []).append(str(mark.page))
    return "; ".join(f"{note} (page{'s' if len(p) > 1 else ''} {', '.join(p[:10])}{'...' if len(p) > 10 else ''})"
                     for note, p in by_note.items())


def _timestamp(iso: str | None) -> datetime | None:
    """A recording's start time as the file wrote it (local wall time, no zone) for the row."""
    return datetime.fromisoformat(iso).replace(tzinfo=timezone.utc) if iso else None


class FieldFeeder:
    """Hands each analysis unit the structural hints that fall inside it, offsets made local.

    Streaming extractors (CSV, XLSX) append fields as their text is read, so
    the list is consulted afresh for every unit. Unplaced fields (start -1)
    go with the first unit.
    """

    def __init__(self, fields: list):
        self.fields = fields
        self.next = 0
        self.waiting: list = []

    def for_unit(self, offset: int, length: int) -> list[HintField]:
        self.waiting.extend(self.fields[self.next:])
        self.next = len(self.fields)
        end = offset + length
        here = [f for f in self.waiting if (f.start < 0 and offset == 0) or offset <= f.start < end]
        self.waiting = [f for f in self.waiting if f.start >= end]
        return [HintField(f.label, f.value, f.start - offset if f.start >= 0 else -1) for f in here]


_INT64_MAX = 2**63 - 1


def member_mtime_ns(mtime: float | None) -> int | None:
    """A member's stored time in ns, or None where it cannot be one: a tar's pax header may say
    `mtime=1e300` (infinite in ns) and a GNU base-256 field reaches 2**95 (beyond Parquet's int64)."""
    if mtime is None or not math.isfinite(mtime * 1e9) or abs(mtime * 1e9) > _INT64_MAX:
        return None
    return int(mtime * 1e9)


def lost_entry_row(entry: FileEntry, status: str, reason: str, config: ScanConfig, scan_id: str,
                   detector_fp: str) -> dict:
    """The location row for an outer file whose worker had to be killed (or died) on it."""
    return location_row(Location(entry.path), size=entry.size, mtime_ns=entry.mtime_ns, inode=entry.inode,
                        owner=entry.owner, status=status, reason=reason, host=config.host, scan_id=scan_id,
                        detector=detector_fp)


def lost_result(entries: list[FileEntry], status: str, reason: str, config: ScanConfig, scan_id: str,
                detector_fp: str) -> TaskResult:
    """The result for outer files given up on (a worker killed or lost on them): their rows and counts."""
    result = TaskResult()
    for entry in entries:
        result.locations.append(lost_entry_row(entry, status, reason, config, scan_id, detector_fp))
        result.stats["files_read"] += 1
        result.stats["locations"] += 1
        result.stats["errors" if status == "error" else "skipped"] += 1
        result.reasons[f"{status}: {reason}"] += 1
    return result


class _Batch:
    """Analysis units waiting for one batched NER pass."""

    def __init__(self, analyser: Analyser, result: TaskResult):
        self.analyser = analyser
        self.result = result
        self.contents: dict[str, ContentFindings] = {}
        self.pending: list[tuple[ContentFindings, int, int, str, list]] = []
        self.chars = 0

    def add(self, target: ContentFindings, offset: int, skip: int, text: str, fields: list) -> None:
        self.pending.append((target, offset, skip, text, fields))
        self.chars += len(text)
        if self.chars >= self.analyser.config.limits.chunk_chars:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        docs = [(text, fields) for _, _, _, text, fields in self.pending]
        results = self.analyser.detector.analyze_many(docs)
        keyer = self.analyser.keyer
        deferred = self.analyser.config.detector.ner_deferred
        for (target, offset, skip, text, _), findings in zip(self.pending, results):
            if deferred:
                target.add_name_words(text)
            target.add_unit(keyer, findings, offset, skip)   # but those wholly inside the overlap: reported already
        self.result.stats["analysed_units"] += len(self.pending)
        self.pending.clear()
        self.chars = 0


def _written(chunks):
    """A transcript's spoken forms written out. Imported here: detectors.spoken loads spaCy's word
    lists, and a scan with nothing to read (a rescan) should not pay for spaCy at all."""
    from detectors.spoken import written_chunks

    return written_chunks(chunks)
