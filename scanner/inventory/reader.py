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


class DuckDBQueries:
    """The query methods every reader of inventory tables shares (its DuckDB connection is `self.db`)."""

    db: duckdb.DuckDBPyConnection

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.db.execute(sql, params or []).fetchall()

    def arrow(self, sql: str, params: list | None = None) -> pa.Table:
        relation = self.db.sql(sql, params=params or None)
        # DuckDB 2 renamed a relation's arrow() to to_arrow_table().
        fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
        return fetch()

    def hide_superseded_findings(self) -> None:
        """A content scanned with NER deferred and labelled since holds two sets of findings: only the
        labelled set counts, so every answer is the one a scan with NER would give (scanner/labels.py).
        Inventories with nothing deferred keep the plain view."""
        columns = {c for (c, *_) in self.query("DESCRIBE contents")}
        if "ner_pending" not in columns or not self.query("SELECT 1 FROM contents WHERE ner_pending LIMIT 1"):
            return
        self.db.execute("ALTER VIEW findings RENAME TO findings_stored")
        self.db.execute("""CREATE VIEW findings AS SELECT * FROM findings_stored
            WHERE NOT (detector IN (SELECT DISTINCT detector FROM contents WHERE ner_pending)
                       AND content_hash IN (SELECT content_hash FROM contents WHERE NOT coalesce(ner_pending, false)))""")


class InventoryReader(DuckDBQueries):
    """A consistent snapshot: the parts listed by the manifest when it was opened."""

    def __init__(self, inventory: str, manifest: Manifest | None = None):
        self.inventory = os.path.abspath(inventory)
        self.manifest = manifest or read_manifest(self.inventory)
        self.db = duckdb.connect(":memory:")
        self.db.execute("SET threads TO 2")
        for table in TABLES:
            self._create_view(table)
        self.hide_superseded_findings()

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
            source = f"read_parquet([{listing}], union_by_name = true)"   # parts written before a column existed
        if table == "locations" and len(files) > 1:
            source = _current_locations(source)
        self.db.execute(f"CREATE VIEW {table} AS SELECT * FROM {source}")

    def close(self) -> None:
        self.db.close()


def _current_locations(source: str) -> str:
    """The current state from a base part plus deltas.

    Deltas supersede earlier rows for the same URI. A member row is stale
    when its outer file was re-read (or deleted) since: members are always
    written together with their outer row, under the same scan id.
    """
    return f"""(
        WITH latest AS (SELECT * FROM {source}
                        QUALIFY row_number() OVER (PARTITION BY uri ORDER BY seq DESC) = 1),
             outer_rows AS (SELECT path, scan_id AS outer_scan_id FROM latest WHERE len(members) = 0)
        SELECT latest.* REPLACE (
                 CASE WHEN len(members) > 0 AND scan_id IS DISTINCT FROM outer_scan_id
                      THEN 'gone' ELSE status END AS status,
                 CASE WHEN len(members) > 0 AND scan_id IS DISTINCT FROM outer_scan_id
                      THEN 'no longer present' ELSE reason END AS reason)
        FROM latest LEFT JOIN outer_rows USING (path))"""


def _quote(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"
