"""Orchestrating a scan: walk, skip what is unchanged, analyse in workers, write the inventory."""
from __future__ import annotations

import os
import stat
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from connectors.filesystem import FileEntry, WalkProblem, walk
from connectors.smb import SmbError, is_smb_uri, prepare_smb_root, walk_smb

from .analysis import TaskResult
from .printable import printable
from .config import ScanConfig
from .errors import ExecutionLost, UsageError, connector_error
from .finalise import compact_locations
from .fingerprint import detector_fingerprint, ocr_setting
from .inventory import InventoryReader, InventoryWriter
from .keys import load_or_create_secret
from .pool import batch_entries, run_tasks
from .state import load_previous, unchanged


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
             on_walk_done: Callable[[ScanSummary], None] | None = None) -> ScanSummary:
    roots = [_root(r) for r in roots]
    started = time.monotonic()
    started_at = datetime.now(timezone.utc)
    summary = ScanSummary(scan_id=uuid.uuid4().hex[:16], roots=roots)
    secret = load_or_create_secret(config.resolved_key_path)
    detector_fp = detector_fingerprint(config.detector, ocr_setting(config.limits))
    if config.executor == "dask" and config.cluster:   # before the walk: workers must see local roots
        from .cluster.executor import check_cluster_roots

        check_cluster_roots(config.cluster, roots, config, detector_fp)
    with InventoryWriter(config.inventory) as writer:
        reader = InventoryReader(writer.inventory, writer.manifest)
        try:
            previous, known = load_previous(reader, detector_fp)
        finally:
            reader.close()
        to_read, seen = plan_reads(roots, config, previous, detector_fp, writer, summary)
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
    """Locations matching a subject on the suppression register (erased, now back: a restored backup)."""
    from .requests.suppression import suppressed_hits

    reader = InventoryReader(writer.inventory, writer.manifest)
    try:
        return suppressed_hits(reader)
    finally:
        reader.close()


def plan_reads(roots, config, previous, detector_fp, writer, summary,
               strict: bool = True) -> tuple[list[FileEntry], list[str]]:
    """Walk the roots; keep the files that need reading, record what cannot be read.

    Public because the daemon re-crawls roots with the same logic (and, with `strict` off, walks
    changed paths: one that cannot be listed is recorded in `summary.unlistable`, not fatal).
    """
    to_read: list[FileEntry] = []
    seen: list[str] = []
    problems = []
    for found in _walk(roots, config.excludes, strict):
        # As stored: a name that is not valid UTF-8 is kept with \xNN escapes (printable).
        seen.append(printable(found.path))
        if isinstance(found, WalkProblem):
            row = _problem_row(found, config, summary.scan_id)
            row["seq"] = writer.take_seq()
            problems.append(row)
            summary.reasons[f"{found.status}: {found.reason}"] += 1
            summary.errors += found.status == "error"
            if found.status == "error" and (is_smb_uri(found.path) or os.path.isdir(found.path)):
                summary.unlistable.append(printable(found.path))   # below it: unknown, not gone
            summary.skipped += found.status != "error"
            continue
        summary.files += 1
        summary.bytes_total += found.size
        before = previous.get(printable(found.path))
        if unchanged(before, found.size, found.mtime_ns, found.inode, detector_fp):
            summary.files_unchanged += 1
        else:
            to_read.append(found)
            summary.bytes_to_read += found.size
    writer.add("locations", problems)
    return to_read, seen


def check_roots(roots: list[str]) -> None:
    """A local root that does not exist or cannot be read at all is a typo, not a scan: UsageError
    (exit 2) naming it, before anything is written. smb:// roots are checked when they are prepared;
    the daemon keeps retrying a missing root instead (it never calls this)."""
    for root in roots:
        if is_smb_uri(root):
            continue
        path = os.path.abspath(root)
        try:
            if os.path.isdir(path):
                with os.scandir(path):
                    pass
            else:
                if stat.S_ISREG(os.stat(path).st_mode):   # a FIFO or device is the walker's to record
                    os.close(os.open(path, os.O_RDONLY))      # opened, not read: atime stays
        except OSError as exc:
            raise UsageError(f"cannot scan {printable(path)}: {exc.strerror or type(exc).__name__}") from None


def _root(root: str) -> str:
    """A path becomes absolute; an smb:// root loses its user, and its credentials are resolved
    now, before any worker starts."""
    if not is_smb_uri(root):
        return os.path.abspath(root)
    try:
        return prepare_smb_root(root)
    except SmbError as exc:
        raise connector_error(exc) from None


def _walk(roots: list[str], excludes, strict: bool = True):
    """Local roots through the filesystem walker, smb:// roots through the SMB one."""
    yield from walk([r for r in roots if not is_smb_uri(r)], excludes)
    for root in filter(is_smb_uri, roots):
        try:
            yield from walk_smb(root, excludes=excludes, strict=strict)
        except SmbError as exc:   # server or share unusable: stop before anything is marked gone
            raise connector_error(exc) from None


def _analyse(to_read, config, secret, detector_fp, known, writer, summary, progress) -> None:
    last_flush = time.monotonic()
    tasks = batch_entries(to_read, config.batch_files, config.batch_bytes)
    for result in run_tasks(config, secret, detector_fp, known, tasks, summary.scan_id):
        record_result(writer, result, summary)
        if progress:
            progress(summary)
        if (writer.pending("locations") >= config.flush_rows
                or time.monotonic() - last_flush >= config.flush_seconds):
            writer.checkpoint()   # a kill -9 from here on loses at most this interval's work
            last_flush = time.monotonic()
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
    return dict(uri=printable(problem.path), path=printable(problem.path), members=[], parent_uri=None,
                content_hash=None, name_key=None, size=None, mtime_ns=None, inode=None, owner=None,
                mime=None, container=False, status=problem.status, reason=problem.reason,
                host=config.host, scan_id=scan_id, detector="", seen_at=datetime.now(timezone.utc))


def record_scan(writer: InventoryWriter, summary: ScanSummary, started_at, detector_fp: str,
                 host: str) -> None:
    writer.add("scans", [dict(
        scan_id=summary.scan_id, host=host, roots=summary.roots, started=started_at,
        ended=datetime.now(timezone.utc), files=summary.files, files_read=summary.files_read,
        locations=summary.locations, bytes_read=summary.bytes_read, analysed=summary.analysed,
        findings=summary.findings, skipped=summary.skipped, errors=summary.errors, gone=summary.gone,
        detector=detector_fp, status=summary.status)])
    writer.checkpoint()

