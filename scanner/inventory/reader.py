"""Reading the inventory with DuckDB: one view per table, the current state only."""
from __future__ import annotations

import os

import duckdb
import pyarrow as pa

from ..errors import InventoryError
from .manifest import MANIFEST, Manifest, read_manifest
from .schema import TABLES


def open_inventory(inventory: str) -> "InventoryReader":
    if not os.path.exists(os.path.join(inventory, MANIFEST)):
        raise InventoryError(f"no inventory at {inventory} (run `pdsweep scan` first, or pass --inventory)")
    return InventoryReader(inventory)


class InventoryReader:
    """A consistent snapshot: the parts listed by the manifest when it was opened."""

    def __init__(self, inventory: str, manifest: Manifest | None = None):
        self.inventory = os.path.abspath(inventory)
        self.manifest = manifest or read_manifest(self.inventory)
        self.db = duckdb.connect(":memory:")
        self.db.execute("SET threads TO 2")
        for table in TABLES:
            self._create_view(table)

    def _files(self, table: str) -> list[str]:
        return [os.path.join(self.inventory, p) for p in self.manifest.parts(table)]

    def _create_view(self, table: str) -> None:
        files = self._files(table)
        if not files:
            empty = pa.Table.from_pylist([], schema=TABLES[table])
            self.db.register(f"_{table}_empty", empty)
            source = f"_{table}_empty"
        else:
            listing = ", ".join(_quote(f) for f in files)
            source = f"read_parquet([{listing}])"
        if table == "locations" and len(files) > 1:
            # Deltas written during a scan supersede earlier rows for the same URI.
            source = (f"(SELECT * FROM {source} QUALIFY row_number() OVER "
                      f"(PARTITION BY uri ORDER BY seq DESC) = 1)")
        self.db.execute(f"CREATE VIEW {table} AS SELECT * FROM {source}")

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.db.execute(sql, params or []).fetchall()

    def arrow(self, sql: str, params: list | None = None) -> pa.Table:
        return self.db.execute(sql, params or []).fetch_arrow_table()

    def close(self) -> None:
        self.db.close()


def _quote(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"
