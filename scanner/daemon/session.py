"""A long-lived writing session: the lock, the model and the secret held for the daemon's lifetime.

`run_scan` reloads the inventory state and compacts every location on each
call, which is far too heavy per file event. A session loads the state once,
keeps it current in memory, and publishes each batch of changes with a
checkpoint so that `find` in another process sees it at once.

Everyday changes are read in this one process, in small batches, with the
model already loaded: a stop request is honoured within seconds. A crawl
that finds a lot to read (a new root, a restored backup) uses the scan's
worker pool when `workers` > 1.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import time
import uuid
from datetime import datetime, timezone
from typing import Callable, Iterable

import duckdb

from connectors.errors import PathUnreadable
from connectors.filesystem import FileEntry
from connectors.source import inside, source_for

from ..analysis import Analyser
from ..config import ScanConfig
from ..fingerprint import detector_fingerprint, reading_setting
from ..inventory import InventoryReader, InventoryWriter
from ..inventory.schema import LOCATIONS
from ..fleet.tenancy import load_tenant_secret
from ..engine import Checkpoints, batches, read_entries
from ..executors import AnalysisJob, Executor, executor_for
from ..executors.inprocess import InProcessExecutor
from ..scan import ScanSummary, plan_reads, record_result, record_scan, suppressed_locations
from ..state import OuterState, load_previous
from .tidy import Tidier

log = logging.getLogger("pdsweep.daemon")

# Small batches: a stop request waits for at most one batch, and `find` sees progress sooner.
BATCH_FILES = 16
BATCH_BYTES = 4 * 1024 * 1024
CHECKPOINT_EVERY_S = 0.5            # during a long batch list, publish at least this often
# At least this much to read (and `workers` > 1): read it with the scan's worker pool.
POOL_MIN_FILES = 200
POOL_MIN_BYTES = 512 * 1024 * 1024


def new_scan_id() -> str:
    return uuid.uuid4().hex[:16]


def normal_path(path: str) -> str:
    """A path or URI in its source's canonical form."""
    return source_for(path).canonical(path)


def path_kind(path: str) -> str:
    """"missing", "link", "dir", "file" or "unknown" (a path we may not even look at: the walk records
    why): what is at a path or URI now. Raises SourceUnavailable when its source has gone."""
    try:
        return source_for(path).kind(path)
    except PathUnreadable:
        return "unknown"


def covering(paths: Iterable[str]) -> list[str]:
    """The paths, without those already under another one in the list."""
    out: list[str] = []
    for path in sorted({normal_path(p) for p in paths}):
        if out and inside(path, out[-1]):
            continue
        out.append(path)
    return out


class Session:
    def __init__(self, config: ScanConfig, on_locked: Callable[[], None] | None = None):
        self.config = config
        self.secret = load_tenant_secret(config)
        self.detector_fp = detector_fingerprint(config.detector, reading_setting(config))
        self.writer = InventoryWriter(config.inventory)      # the lock, held until close()
        try:
            if on_locked:
                on_locked()
            reader = self._reader()
            try:
                self.outers, known = load_previous(reader, self.detector_fp)
            finally:
                reader.close()
            self.problems: set[str] = set()   # outer rows written by the walk (skipped, error) this run
            self.analyser = Analyser(config, self.secret, self.detector_fp, known)  # model loaded once
        except BaseException:
            self.writer.close()
            raise
        self.tidier = Tidier(self.writer)
        self.unsettled: set[str] = set()   # files that changed while being read: re-read them later

    # -- public -----------------------------------------------------------
    def update(self, paths: Iterable[str], should_stop: Callable[[], bool] = lambda: False,
               excludes: tuple[str, ...] = ()) -> ScanSummary:
        """Bring the inventory up to date for these paths (files or directories, present or not)."""
        excludes = tuple(normal_path(e) for e in tuple(self.config.excludes) + tuple(excludes))
        paths = [p for p in covering(paths) if not _inside(p, excludes)]   # walk() checks only below a root
        summary = ScanSummary(scan_id=new_scan_id(), roots=paths)
        kinds = {p: path_kind(p) for p in paths}
        missing = [p for p in paths if kinds[p] == "missing"]
        present = [p for p in paths if kinds[p] in ("dir", "file", "unknown")]
        summary.gone += self.tombstone(missing, summary.scan_id)
        if present:
            config = dataclasses.replace(self.config, excludes=excludes)
            to_read, seen = plan_reads(present, config, self.outers, self.detector_fp, self.writer, summary,
                                       strict=False)
            self._note_problems(seen, to_read)
            directories = [p for p in present if kinds[p] == "dir"]
            # Whatever was under a changed directory and is not there now has gone (moved away, deleted);
            # below a folder that could not be listed nothing is known, so nothing is gone.
            summary.gone += self.tombstone(directories, summary.scan_id, keep=seen,
                                           keep_under=tuple(summary.unlistable))
            self._read(to_read, summary, should_stop)
        self.checkpoint()
        return summary

    def crawl(self, root: str, excludes: tuple[str, ...] = (),
              should_stop: Callable[[], bool] = lambda: False) -> ScanSummary:
        """An incremental crawl of one root: unchanged files are skipped by size, mtime and inode."""
        started_at = datetime.now(timezone.utc)
        started = time.monotonic()
        summary = ScanSummary(scan_id=new_scan_id(), roots=[root])
        config = dataclasses.replace(self.config, excludes=tuple(self.config.excludes) + tuple(excludes))
        to_read, seen = plan_reads([root], config, self.outers, self.detector_fp, self.writer, summary)
        problems = self._note_problems(seen, to_read)
        self._read(to_read, summary, should_stop)
        if should_stop():
            summary.status = "interrupted"   # not every file was seen: nothing may be called gone
        else:
            # A directory that could not be listed this time (permissions, an I/O error) hides its
            # files; they are not gone.
            shielded = tuple(p for p in problems if p in summary.unlistable or source_for(p).may_be_folder(p))
            summary.gone = self.tombstone([root], summary.scan_id, keep=seen, keep_under=shielded)
        summary.seconds = time.monotonic() - started
        record_scan(self.writer, summary, started_at, self.detector_fp, self.config.host)
        return summary

    def tombstone(self, prefixes: list[str], scan_id: str, keep: Iterable[str] = (),
                  keep_under: tuple[str, ...] = ()) -> int:
        """Mark gone every current outer row at or under the prefixes, except paths in `keep`
        and paths inside `keep_under`."""
        prefixes = [p.rstrip("/") or "/" for p in prefixes if self._known_under(p)]
        if not prefixes:
            return 0        # nothing recorded there (an editor's temporary file, a new directory)
        self.writer.checkpoint()   # what is buffered must be in the parts read below
        keep = set(keep)
        rows = [r for r in self._current_rows_under(prefixes)
                if not r["members"] and r["status"] != "gone" and r["path"] not in keep
                and not _inside(r["path"], keep_under)]
        now = datetime.now(timezone.utc)
        for row in rows:
            row.update(seq=self.writer.take_seq(), status="gone", reason="no longer present",
                       scan_id=scan_id, seen_at=now)
            self.outers.pop(row["path"], None)
            self.problems.discard(row["path"])
        self.writer.add("locations", [{k: r[k] for k in LOCATIONS.names} for r in rows])
        return len(rows)

    def _current_rows_under(self, prefixes: list[str]) -> list[dict]:
        """The reader view's current row of every URI at or under the prefixes.

        Equivalent to `SELECT * FROM locations WHERE ...` for outer rows (the latest row per URI;
        the view only rewrites members), but filtered before the latest-row window: the view's
        window over the whole table takes seconds on a large inventory, while parts are sorted by
        URI so a prefix range reads only the row groups that can match.
        """
        files = [os.path.join(self.writer.inventory, p) for p in self.writer.manifest.locations]
        if not files:
            return []
        ranges = " OR ".join(f"(uri = {_sql(p)} OR (uri >= {_sql(p.rstrip('/') + '/')} "
                             f"AND uri < {_sql(p.rstrip('/') + '0')}))" for p in prefixes)  # '0' follows '/'
        listing = ", ".join(_sql(f) for f in files)
        db = duckdb.connect(":memory:")
        try:
            relation = db.sql(f"""SELECT * FROM read_parquet([{listing}]) WHERE {ranges}
                                  QUALIFY row_number() OVER (PARTITION BY uri ORDER BY seq DESC) = 1""")
            fetch = getattr(relation, "to_arrow_table", None) or relation.arrow   # DuckDB 2 renamed arrow()
            return fetch().to_pylist()
        finally:
            db.close()

    def _known_under(self, prefix: str) -> bool:
        if prefix in self.outers or prefix in self.problems:
            return True
        inside = prefix.rstrip("/") + "/"
        return any(p.startswith(inside) for p in self.outers) or any(p.startswith(inside) for p in self.problems)

    def suppressed(self) -> int:
        """Locations matching an erased subject on the suppression register (a restore brought them back)."""
        self.writer.checkpoint()
        return len(suppressed_locations(self.writer))

    def checkpoint(self) -> None:
        self.writer.checkpoint()
        self.tidier.maybe_tidy()

    def close(self) -> None:
        try:
            self.writer.checkpoint()
            self.tidier.close()
        finally:
            self.writer.close()

    # -- reading files ------------------------------------------------------
    def _read(self, to_read: list[FileEntry], summary: ScanSummary, should_stop: Callable[[], bool]) -> None:
        """The engine's read loop; everyday changes in this process, with the model already loaded."""
        if self._worth_a_pool(to_read):
            self._read_pooled(to_read, summary, should_stop)
            return
        job = AnalysisJob(self.config, self.secret, self.detector_fp, self.analyser.known, summary.scan_id)
        checkpoints = Checkpoints(self.writer, CHECKPOINT_EVERY_S, publish=self.checkpoint)
        read_entries(job, batches(to_read, BATCH_FILES, BATCH_BYTES), InProcessExecutor(self.config, self.analyser),
                     lambda result: self._record(result, summary, checkpoints), should_stop)

    def _worth_a_pool(self, to_read: list[FileEntry]) -> bool:
        """A crawl that finds a lot to read (the first crawl of a new root, a restored backup): worth
        the workers' model loads. Everyday changes are read here, with the model already loaded."""
        if self.config.workers < 2:
            return False
        return len(to_read) >= POOL_MIN_FILES or sum(e.size for e in to_read) >= POOL_MIN_BYTES

    def _read_pooled(self, to_read: list[FileEntry], summary: ScanSummary,
                     should_stop: Callable[[], bool]) -> None:
        """The scan's worker pool, results recorded here as they come. On a stop request the pool is
        closed: busy workers are killed, and their files are read again after a restart."""
        log.info("reading %d file(s) with %d workers", len(to_read), self.config.workers)
        known = frozenset(self.analyser.known) | frozenset(self.analyser.done)
        tasks = batches(to_read, self.config.batch_files, self.config.batch_bytes, self.config.workers)
        job = AnalysisJob(self.config, self.secret, self.detector_fp, known, summary.scan_id)
        checkpoints = Checkpoints(self.writer, CHECKPOINT_EVERY_S, publish=self.checkpoint)

        def record(result) -> None:
            # What the workers analysed, this process need not analyse again.
            self.analyser.done.update(c["content_hash"] for c in result.contents)
            self._record(result, summary, checkpoints)

        read_entries(job, tasks, self._pool_executor(len(tasks)), record, should_stop)

    def _pool_executor(self, tasks: int) -> Executor:
        """The configured executor for a big read, as a scan would choose it ("auto": the local pool)."""
        return executor_for(self.config, tasks=tasks)

    def _record(self, result, summary: ScanSummary, checkpoints: Checkpoints) -> None:
        record_result(self.writer, result, summary)
        self._remember(result.locations)
        self._notice_unsettled(result.locations)
        checkpoints.after_result()

    def _note_problems(self, seen: list[str], to_read: list[FileEntry]) -> list[str]:
        """Paths the walk recorded as skipped or unreadable: known to the inventory, so tombstoned when gone."""
        reading = {e.path for e in to_read}
        problems = [p for p in seen if p not in reading
                    and (p not in self.outers or self.outers[p].status != "ok")]
        self.problems.update(problems)
        return problems

    def _remember(self, rows: list[dict]) -> None:
        for row in rows:
            if not row["members"]:
                size, mtime_ns, inode = row["size"] or 0, row["mtime_ns"] or 0, row["inode"] or 0
                detector = row["detector"] or ""
                self.outers[row["path"]] = OuterState(size, mtime_ns, inode, row["status"], detector,
                                                      row.get("content_hash") is not None)

    def _notice_unsettled(self, rows: list[dict]) -> None:
        """A file replaced or rewritten while it was read must be read again once it settles."""
        for row in rows:
            if row["members"] or None in (row["size"], row["mtime_ns"], row["inode"]):
                continue
            # None: deleted meanwhile (its own event tombstones it), or a remote file whose rewrite the
            # server reports as a new event.
            now = source_for(row["path"]).identity_now(row["path"])
            if now is not None and now != (row["size"], row["mtime_ns"], row["inode"]):
                self.unsettled.add(row["path"])

    def _reader(self) -> InventoryReader:
        return InventoryReader(self.writer.inventory, self.writer.manifest)


def _sql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _inside(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(inside(path, p) for p in prefixes)
