"""Orchestrating a scan: walk, skip what is unchanged, analyse in workers, write the inventory."""
from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from connectors import Location
from connectors.errors import ConnectorError
from connectors.filesystem import FileEntry, WalkProblem
from connectors.source import source_for, split_by_source

from .analysis import TaskResult
from .printable import printable
from .rows import location_row
from .config import ScanConfig
from .errors import ExecutionLost, UsageError, connector_error
from .finalise import compact_locations
from .fingerprint import detector_fingerprint, labelled_fingerprint, reading_setting
from .inventory import InventoryReader, InventoryWriter
from .fleet.tenancy import load_tenant_secret
from .engine import Checkpoints, batches, read_entries
from .executors import AnalysisJob, executor_for
from .state import load_previous, unchanged
from .suppression import load_register, suppressed_hits


@dataclass
class ScanSummary:
    scan_id: str
    roots: list[str]
    status: str = "completed"
    files: int = 0                 # outer files walked
    files_read: int = 0            # of which new or changed, and read
    files_unchanged: int = 0
    bytes_total: int = 0
    bytes_to_read: int = 0         # of new or changed files
    bytes_read: int = 0
    locations: int = 0             # locations written (files, members, messages)
    analysed: int = 0              # unique contents analysed
    ocr_pages: int = 0             # pages and pictures read by OCR
    findings: int = 0
    skipped: int = 0
    errors: int = 0
    gone: int = 0
    seconds: float = 0.0
    audio_seconds: float = 0.0     # of recordings transcribed
    audio_cpu_seconds: float = 0.0  # CPU time spent decoding and transcribing them
    entity_counts: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    suppressed: list[dict] = field(default_factory=list)   # locations of erased subjects seen again
    unlistable: list[str] = field(default_factory=list)   # directories the walk could not list
    worker_bytes: Counter = field(default_factory=Counter)   # bytes read per cluster worker

    @property
    def audio_speed(self) -> float:
        """Audio transcribed per CPU second: x real time per core (0 when none was)."""
        return self.audio_seconds / self.audio_cpu_seconds if self.audio_cpu_seconds else 0.0

    def add(self, result: TaskResult) -> None:
        self.files_read += result.stats["files_read"]
        self.bytes_read += result.stats["bytes_read"]
        self.locations += result.stats["locations"]
        self.analysed += result.stats["analysed"]
        self.ocr_pages += result.stats["ocr_pages"]
        self.skipped += result.stats["skipped"]
        self.errors += result.stats["errors"]
        self.audio_seconds += result.stats["audio_seconds"]
        self.audio_cpu_seconds += result.stats["audio_cpu_seconds"]
        self.entity_counts.update(result.entity_counts)
        self.findings = sum(self.entity_counts.values())
        self.reasons.update(result.reasons)
        if result.worker:
            self.worker_bytes[result.worker] += result.stats["bytes_read"]


ProgressCallback = Callable[[ScanSummary], None]


def run_scan(roots: list[str], config: ScanConfig, progress: ProgressCallback | None = None,
             on_walk_done: Callable[[ScanSummary], None] | None = None,
             on_first_read: Callable[[], None] | None = None) -> ScanSummary:
    """`on_first_read()` is called once, as the walk finds the first file to read (the CLI starts its
    workers' server then, so that it preloads beside the rest of the walk)."""
    roots = [_root(r, config) for r in roots]
    started = time.monotonic()
    started_at = datetime.now(timezone.utc)
    summary = ScanSummary(scan_id=uuid.uuid4().hex[:16], roots=roots)
    secret = load_tenant_secret(config)     # refused if the inventory is another tenant's, or another key's
    detector_fp = detector_fingerprint(config.detector, reading_setting(config))
    if config.executor == "dask" and config.cluster:   # before the walk: workers must see local roots
        from .cluster.executor import check_cluster_roots

        check_cluster_roots(config.cluster, roots, config, detector_fp)
    with InventoryWriter(config.inventory) as writer:
        reader = InventoryReader(writer.inventory, writer.manifest)
        try:
            previous, known = load_previous(reader, detector_fp,
                                            labelled_fingerprint(config.detector, reading_setting(config)))
        finally:
            reader.close()
        to_read, seen = plan_reads(roots, config, previous, detector_fp, writer, summary,
                                   on_first_read=on_first_read)
        if on_walk_done:
            on_walk_done(summary)
        try:
            _analyse(to_read, config, secret, detector_fp, known, writer, summary, progress)
        except (KeyboardInterrupt, ExecutionLost) as exc:
            summary.status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            writer.checkpoint()
            record_scan(writer, summary, started_at, detector_fp, config.host)
            raise
        summary.gone = compact_locations(writer, roots, seen, summary.unlistable)
        summary.suppressed = suppressed_locations(writer)
        summary.seconds = time.monotonic() - started
        record_scan(writer, summary, started_at, detector_fp, config.host)
    return summary


def suppressed_locations(writer: InventoryWriter) -> list[dict]:
    """Locations matching a subject on the suppression register (erased, now back: a restored backup).
    No register, no reader: opening one (DuckDB and its views) was ~30 ms of every scan's end."""
    register = load_register(writer.inventory)
    if not register:
        return []
    reader = InventoryReader(writer.inventory, writer.manifest)
    try:
        return suppressed_hits(reader, register=register)
    finally:
        reader.close()


def plan_reads(roots, config, previous, detector_fp, writer, summary, strict: bool = True,
               on_first_read: Callable[[], None] | None = None) -> tuple[list[FileEntry], list[str]]:
    """Walk the roots; keep the files that need reading, record what cannot be read.

    Public because the daemon re-crawls roots with the same logic (and, with `strict` off, walks
    changed paths: one that cannot be listed is recorded in `summary.unlistable`, not fatal).
    """
    to_read: list[FileEntry] = []
    seen: list[str] = []
    problems = []
    labelled_fp = labelled_fingerprint(config.detector, reading_setting(config))   # NER deferred
    for found in _walk(roots, config, strict):
        # As stored: a name that is not valid UTF-8 is kept with \xNN escapes (printable).
        seen.append(printable(found.path))
        if isinstance(found, WalkProblem):
            row = _problem_row(found, config, summary.scan_id)
            row["seq"] = writer.take_seq()
            problems.append(row)
            summary.reasons[f"{found.status}: {found.reason}"] += 1
            summary.errors += found.status == "error"
            if found.status == "error" and source_for(found.path).may_be_folder(found.path):
                summary.unlistable.append(printable(found.path))   # below it: unknown, not gone
            summary.skipped += found.status != "error"
            continue
        summary.files += 1
        summary.bytes_total += found.size
        before = previous.get(printable(found.path))
        if unchanged(before, found.size, found.mtime_ns, found.inode, detector_fp, labelled_fp):
            summary.files_unchanged += 1
        else:
            if not to_read and on_first_read:
                on_first_read()
            to_read.append(found)
            summary.bytes_to_read += found.size
    writer.add("locations", problems)
    return to_read, seen


def check_roots(roots: list[str]) -> None:
    """A root that does not exist or cannot be read at all is a typo, not a scan: UsageError (exit 2)
    naming it, before anything is written. Each source says what "cannot be used" means (a remote root
    is checked when it is prepared); the daemon keeps retrying a missing root instead (it never calls
    this)."""
    for root in roots:
        source = source_for(root)
        problem = source.root_problem(root)
        if problem:
            raise UsageError(f"cannot scan {printable(source.canonical(root))}: {problem}")


def _root(root: str, config: ScanConfig) -> str:
    """The root in its canonical form, made ready by its source (a path becomes absolute; a remote
    root loses its user name, and its credentials are resolved now, before any worker starts)."""
    try:
        return source_for(root, config.sources).prepare(root)
    except ConnectorError as exc:
        raise connector_error(exc) from None


def _walk(roots: list[str], config: ScanConfig, strict: bool = True):
    """Each source walks its own roots (local ones first)."""
    for source, own_roots in split_by_source(roots, config.sources):
        try:
            yield from source.walk(own_roots, config.excludes, strict)
        except ConnectorError as exc:   # server or share unusable: stop before anything is marked gone
            raise connector_error(exc) from None


def _analyse(to_read, config, secret, detector_fp, known, writer, summary, progress) -> None:
    tasks = batches(to_read, config.batch_files, config.batch_bytes, config.workers)
    job = AnalysisJob(config, secret, detector_fp, known, summary.scan_id)
    # A kill -9 loses at most the rows of one checkpoint interval.
    checkpoints = Checkpoints(writer, config.flush_seconds, config.flush_rows)

    def record(result: TaskResult) -> None:
        record_result(writer, result, summary)
        if progress:
            progress(summary)
        checkpoints.after_result()

    read_entries(job, tasks, executor_for(config, tasks=len(tasks)), record)
    writer.checkpoint()


def record_result(writer: InventoryWriter, result: TaskResult, summary: ScanSummary) -> None:
    """Buffer one task's rows in write order (public: the daemon writes its results the same way)."""
    for row in result.locations:
        row["seq"] = writer.take_seq()
    writer.add("locations", result.locations)
    writer.add("findings", result.findings)
    writer.add("contents", result.contents)
    summary.add(result)


def _problem_row(problem: WalkProblem, config: ScanConfig, scan_id: str) -> dict:
    return location_row(Location(problem.path), status=problem.status, reason=problem.reason,
                        host=config.host, scan_id=scan_id)


def record_scan(writer: InventoryWriter, summary: ScanSummary, started_at, detector_fp: str,
                 host: str) -> None:
    writer.add("scans", [dict(
        scan_id=summary.scan_id, host=host, roots=summary.roots, started=started_at,
        ended=datetime.now(timezone.utc), files=summary.files, files_read=summary.files_read,
        locations=summary.locations, bytes_read=summary.bytes_read, analysed=summary.analysed,
        findings=summary.findings, skipped=summary.skipped, errors=summary.errors, gone=summary.gone,
        detector=detector_fp, status=summary.status)])
    writer.checkpoint()

