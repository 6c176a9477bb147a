"""Keep the number of Parquet parts small while the daemon checkpoints every few seconds.

Every checkpoint adds a small part per table; a reader opens them all, so
they are merged once there are more than a few. The latest row per location
URI is all the reader view ever uses, so superseded location rows are dropped
in a merge; findings and contents are content-addressed, so exact duplicates
go. Old parts are unlinked only after a grace period: a `find` in another
process may have read the previous manifest a moment ago and not yet opened
its parts. (A crash before then leaves them unlisted; the next writer removes them.)
"""
from __future__ import annotations

import logging
import os
import time

import duckdb
import pyarrow.parquet as pq

from ..inventory import InventoryReader, InventoryWriter
from ..inventory.files import write_parquet_atomic
from ..inventory.manifest import write_manifest
from ..inventory.schema import TABLES
from ..inventory.store import SORT_KEYS

log = logging.getLogger("pdsweep.daemon")

MAX_PARTS = 12                # merge the deltas of a table once it has more parts than this
FOLD_RATIO = 0.5              # fold the deltas into the base once they hold this share of its rows
GRACE_S = 60.0                # keep unlisted parts this long for readers of the previous manifest

_DEDUPE = {
    "locations": "SELECT * FROM parts QUALIFY row_number() OVER (PARTITION BY uri ORDER BY seq DESC) = 1",
    "findings": "SELECT DISTINCT * FROM parts",
    "contents": "SELECT DISTINCT * FROM parts",
    "scans": "SELECT * FROM parts",
}


class Tidier:
    def __init__(self, writer: InventoryWriter, max_parts: int = MAX_PARTS, grace_s: float = GRACE_S):
        self.writer = writer
        self.max_parts = max_parts
        self.grace_s = grace_s
        self._doomed: list[tuple[float, str]] = []   # (unlink after, part path)

    def maybe_tidy(self) -> None:
        for table in TABLES:
            parts = self.writer.manifest.parts(table)
            if len(parts) > self.max_parts:
                fold = self._rows(parts[1:]) >= FOLD_RATIO * self._rows(parts[:1])
                self.merge(table, include_base=fold)
        self._unlink_due(time.monotonic())

    def merge(self, table: str, include_base: bool) -> None:
        """Replace the table's deltas (and the base, when folding) by one deduplicated part."""
        self.writer.checkpoint()
        manifest = self.writer.manifest
        parts = list(manifest.parts(table))
        keep, merge = ([], parts) if include_base else (parts[:1], parts[1:])
        if len(merge) < 2 and not include_base:
            return
        inventory = self.writer.inventory
        if table == "locations" and include_base:
            merged = self._current_locations()
        else:
            merged = _merge_parts([os.path.join(inventory, p) for p in merge], _DEDUPE[table])
        merged = merged.select(TABLES[table].names).cast(TABLES[table])
        name = f"{table}/part-{manifest.next_part:06d}.parquet"
        manifest.next_part += 1
        write_parquet_atomic(os.path.join(inventory, name), merged, SORT_KEYS[table])
        setattr(manifest, table, keep + [name])
        write_manifest(inventory, manifest)
        due = time.monotonic() + self.grace_s
        self._doomed.extend((due, os.path.join(inventory, p)) for p in merge)
        log.info("merged %d %s parts into one (%d rows%s)", len(merge), table, merged.num_rows,
                 ", base folded in" if include_base else "")

    def _current_locations(self):
        """Folding everything into one part: take the reader's view, which also retires stale members."""
        reader = InventoryReader(self.writer.inventory, self.writer.manifest)
        try:
            return reader.arrow("SELECT * FROM locations")
        finally:
            reader.close()

    def close(self) -> None:
        self._unlink_due(float("inf"))

    def _rows(self, parts: list[str]) -> int:
        total = 0
        for part in parts:
            try:
                total += pq.ParquetFile(os.path.join(self.writer.inventory, part)).metadata.num_rows
            except OSError:
                pass
        return total

    def _unlink_due(self, now: float) -> None:
        remaining = []
        for due, path in self._doomed:
            if due > now:
                remaining.append((due, path))
                continue
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
        self._doomed = remaining


def _merge_parts(files: list[str], sql: str):
    db = duckdb.connect(":memory:")
    try:
        listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        db.execute(f"CREATE VIEW parts AS SELECT * FROM read_parquet([{listing}], union_by_name = true)")
        return _fetch(db.sql(sql))
    finally:
        db.close()


def _fetch(relation):
    fetch = getattr(relation, "to_arrow_table", None) or relation.arrow   # DuckDB 2 renamed arrow()
    return fetch()
