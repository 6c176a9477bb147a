"""Writing the inventory: buffered rows, immutable parts, atomic manifest, one writer at a time."""
from __future__ import annotations

import fcntl
import os

import pyarrow as pa

from ..errors import InventoryError, InventoryLocked
from .files import fsync_dir, write_parquet_atomic
from .manifest import Manifest, read_manifest, write_manifest
from .schema import TABLES

# Sorting each part by its lookup column keeps row-group min/max tight, so a
# lookup by value key or URI reads only the row groups that can match.
SORT_KEYS = {"findings": [("value_key", "ascending")], "locations": [("uri", "ascending")],
             "contents": [("content_hash", "ascending")], "scans": None}
LOCK_FILE = ".lock"


def ensure_inventory_dir(inventory: str) -> None:
    """Create the inventory directory 0700 (it holds keyed personal data and the key)."""
    os.makedirs(inventory, mode=0o700, exist_ok=True)
    os.chmod(inventory, 0o700)
    for table in TABLES:
        os.makedirs(os.path.join(inventory, table), mode=0o700, exist_ok=True)


class InventoryLock:
    """An exclusive flock on the inventory: two writers would lose each other's rows."""

    def __init__(self, inventory: str):
        path = os.path.join(inventory, LOCK_FILE)
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self._fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(self._fd)
            raise InventoryLocked(
                f"inventory {inventory} is being written by another pdsweep process (pid {holder}); "
                "wait for it to finish or stop it") from None
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, str(os.getpid()).encode(), 0)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class InventoryWriter:
    def __init__(self, inventory: str):
        self.inventory = os.path.abspath(inventory)
        ensure_inventory_dir(self.inventory)
        self._lock = InventoryLock(self.inventory)
        self.manifest: Manifest = read_manifest(self.inventory)
        # Per table, the rows waiting for a checkpoint in the order they were added: runs of row dicts,
        # and Arrow tables built elsewhere (a pool worker's findings).
        self._buffers: dict[str, list[list[dict] | pa.Table]] = {t: [] for t in TABLES}
        self._remove_orphans()

    def take_seq(self) -> int:
        seq = self.manifest.next_seq
        self.manifest.next_seq += 1
        return seq

    def add(self, table: str, rows: list[dict] | pa.Table) -> None:
        """Buffer rows: dicts, or an Arrow table of the table's schema (kept as it is, not rebuilt)."""
        chunks = self._buffers[table]
        if isinstance(rows, pa.Table):
            if rows.schema != TABLES[table]:
                raise ValueError(f"{table}: rows of another schema")
            if rows.num_rows:
                chunks.append(rows)
        elif rows:
            if not chunks or not isinstance(chunks[-1], list):
                chunks.append([])
            chunks[-1].extend(rows)

    def pending(self, table: str) -> int:
        return sum(len(c) if isinstance(c, list) else c.num_rows for c in self._buffers[table])

    def checkpoint(self) -> None:
        """Write buffered rows as new parts and publish them in one manifest update."""
        wrote = False
        for table, chunks in self._buffers.items():
            if not chunks:
                continue
            name = f"{table}/part-{self.manifest.next_part:06d}.parquet"
            self.manifest.next_part += 1
            schema = TABLES[table]
            arrow = pa.concat_tables([c if isinstance(c, pa.Table) else pa.Table.from_pylist(c, schema=schema)
                                      for c in chunks])
            write_parquet_atomic(os.path.join(self.inventory, name), arrow, SORT_KEYS[table])
            self.manifest.parts(table).append(name)
            chunks.clear()
            wrote = True
        if wrote:
            write_manifest(self.inventory, self.manifest)

    def replace_parts(self, table: str, new_table: pa.Table) -> None:
        """Compaction: one new part replaces all of a table's parts."""
        self.checkpoint()
        old = list(self.manifest.parts(table))
        name = f"{table}/part-{self.manifest.next_part:06d}.parquet"
        self.manifest.next_part += 1
        write_parquet_atomic(os.path.join(self.inventory, name), new_table, SORT_KEYS[table])
        setattr(self.manifest, table, [name])
        write_manifest(self.inventory, self.manifest)
        for part in old:  # only after the new manifest is durable
            _unlink_quietly(os.path.join(self.inventory, part))

    def close(self) -> None:
        self._lock.release()

    def _remove_orphans(self) -> None:
        """Parts a crashed writer left unpublished are not part of any state: remove them."""
        listed = self.manifest.all_parts()
        for table in TABLES:
            directory = os.path.join(self.inventory, table)
            for entry in os.listdir(directory):
                rel = f"{table}/{entry}"
                if rel not in listed:
                    _unlink_quietly(os.path.join(directory, entry))
        fsync_dir(self.inventory)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
