"""A long-lived writing session: the lock, the model and the secret held for the daemon's lifetime.

`run_scan` reloads the inventory state and compacts every location on each
call, which is far too heavy per file event. A session loads the state once,
keeps it current in memory, and publishes each batch of changes with a
checkpoint so that `find` in another process sees it at once.

It reads in this one process, in small batches: a stop request is honoured
within seconds, and after the first build (the job of `pdsweep scan
--workers N`) the changes it sees are small.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import time
import uuid
from datetime import datetime, timezone
from typing import Callable, Iterable

import pyarrow as pa

from connectors.filesystem import FileEntry

from ..analysis import Analyser
from ..config import ScanConfig
from ..fingerprint import detector_fingerprint
from ..inventory import InventoryReader, InventoryWriter
from ..inventory.schema import LOCATIONS
from ..keys import load_or_create_secret
from ..pool import batch_entries
from ..scan import ScanSummary, plan_reads, record_result, record_scan, suppressed_locations
from ..state import OuterState, load_previous
from .tidy import Tidier

log = logging.getLogger("pdsweep.daemon")

# Small batches: a stop request waits for at most one batch, and `find` sees progress sooner.
BATCH_FILES = 16
BATCH_BYTES = 4 * 1024 * 1024
CHECKPOINT_EVERY_S = 0.5            # during a long batch list, publish at least this often


def new_scan_id() -> str:
    return uuid.uuid4().hex[:16]


def covering(paths: Iterable[str]) -> list[str]:
    """The paths, without those already under another one in the list."""
    out: list[str] = []
    for path in sorted({os.path.normpath(p) for p in paths}):
        if out and (path == out[-1] or path.startswith(out[-1].rstrip("/") + "/")):
            continue
        out.append(path)
    return out


class Session:
    def __init__(self, config: ScanConfig):
        self.config = config
        self.secret = load_or_create_secret(config.resolved_key_path)
        self.detector_fp = detector_fingerprint(config.detector)
        self.writer = InventoryWriter(config.inventory)      # the lock, held until close()
        try:
            reader = self._reader()
            try:
                self.outers, known = load_previous(reader, self.detector_fp)
            finally:
                reader.close()
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
        paths = [p for p in covering(paths) if not _inside(p, excludes)]
        summary = ScanSummary(scan_id=new_scan_id(), roots=paths)
        missing = [p for p in paths if not os.path.lexists(p)]
        present = [p for p in paths if os.path.lexists(p) and not os.path.islink(p)]
        summary.gone += self.tombstone(missing, summary.scan_id)
        if present:
            config = dataclasses.replace(self.config, excludes=tuple(self.config.excludes) + tuple(excludes))
            to_read, seen = plan_reads(present, config, self.outers, self.detector_fp, self.writer, summary)
            directories = [p for p in present if os.path.isdir(p)]
            # Whatever was under a changed directory and is not there now has gone (moved away, deleted).
            summary.gone += self.tombstone(directories, summary.scan_id, keep=seen)
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
        self._read(to_read, summary, should_stop)
        if should_stop():
            summary.status = "interrupted"   # not every file was seen: nothing may be called gone
        else:
            summary.gone = self.tombstone([root], summary.scan_id, keep=seen)
        summary.seconds = time.monotonic() - started
        record_scan(self.writer, summary, started_at, self.detector_fp, self.config.host)
        return summary

    def tombstone(self, prefixes: list[str], scan_id: str, keep: Iterable[str] = ()) -> int:
        """Mark gone every current outer row at or under the prefixes, except paths in `keep`."""
        if not prefixes:
            return 0
        self.writer.checkpoint()   # the reader view must include everything buffered
        reader = self._reader()
        try:
            db = reader.db
            stripped = [p.rstrip("/") for p in prefixes]
            db.register("gone_prefixes", pa.table({"p": pa.array(stripped, pa.string())}))
            db.register("keep_paths", pa.table({"path": pa.array(list(keep), pa.string())}))
            rows = reader.arrow("""
                SELECT * FROM locations l
                WHERE len(l.members) = 0 AND l.status <> 'gone'
                  AND EXISTS (SELECT 1 FROM gone_prefixes WHERE l.path = p OR starts_with(l.path, p || '/'))
                  AND l.path NOT IN (SELECT path FROM keep_paths)""").to_pylist()
        finally:
            reader.close()
        now = datetime.now(timezone.utc)
        for row in rows:
            row.update(seq=self.writer.take_seq(), status="gone", reason="no longer present",
                       scan_id=scan_id, seen_at=now)
            self.outers.pop(row["path"], None)
        self.writer.add("locations", [{k: r[k] for k in LOCATIONS.names} for r in rows])
        return len(rows)

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
        last = time.monotonic()
        for batch in batch_entries(to_read, BATCH_FILES, BATCH_BYTES):
            if should_stop():
                break
            result = self.analyser.run(batch, summary.scan_id)
            last = self._record(result, summary, last)

    def _record(self, result, summary: ScanSummary, last_checkpoint: float) -> float:
        record_result(self.writer, result, summary)
        self._remember(result.locations)
        self._notice_unsettled(result.locations)
        if time.monotonic() - last_checkpoint < CHECKPOINT_EVERY_S:
            return last_checkpoint
        self.checkpoint()
        return time.monotonic()

    def _remember(self, rows: list[dict]) -> None:
        for row in rows:
            if not row["members"]:
                size, mtime_ns, inode = row["size"] or 0, row["mtime_ns"] or 0, row["inode"] or 0
                detector = row["detector"] or ""
                self.outers[row["path"]] = OuterState(size, mtime_ns, inode, row["status"], detector)

    def _notice_unsettled(self, rows: list[dict]) -> None:
        """A file replaced or rewritten while it was read must be read again once it settles."""
        for row in rows:
            if row["members"] or None in (row["size"], row["mtime_ns"], row["inode"]):
                continue
            try:
                st = os.stat(row["path"], follow_symlinks=False)
            except OSError:
                continue    # deleted meanwhile: its own event tombstones it
            if (st.st_size, st.st_mtime_ns, st.st_ino) != (row["size"], row["mtime_ns"], row["inode"]):
                self.unsettled.add(row["path"])

    def _reader(self) -> InventoryReader:
        return InventoryReader(self.writer.inventory, self.writer.manifest)


def _inside(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes)
