"""End of a scan: mark what is gone and compact the location deltas into one part."""
from __future__ import annotations

import pyarrow as pa

from .inventory import InventoryReader, InventoryWriter
from .inventory.schema import LOCATIONS

_COLUMNS = ", ".join(f.name for f in LOCATIONS if f.name not in ("status", "reason", "seq"))


def compact_locations(writer: InventoryWriter, roots: list[str] | None, seen_paths: list[str]) -> int:
    """Write the current locations as one part; returns how many became `gone`.

    A member row is stale when its outer file was re-read by a later scan
    (the scan ids differ): the member is no longer in the container. When
    `roots` is given (a completed walk), outer files under them that were not
    seen are gone too.
    """
    writer.checkpoint()
    reader = InventoryReader(writer.inventory, writer.manifest)
    try:
        db = reader.db
        db.register("seen", pa.table({"path": pa.array(seen_paths, pa.string())}))
        root_list = pa.table({"root": pa.array([r.rstrip("/") for r in (roots or [])], pa.string())})
        db.register("roots", root_list)
        under_roots = ("EXISTS (SELECT 1 FROM roots WHERE l.path = roots.root "
                       "OR starts_with(l.path, roots.root || '/'))")
        vanished = (f"({under_roots} AND l.path NOT IN (SELECT path FROM seen))" if roots else "FALSE")
        table = reader.arrow(f"""
            WITH outer_scan AS (SELECT path, scan_id AS outer_id FROM locations WHERE len(members) = 0)
            SELECT row_number() OVER () AS seq, {_COLUMNS},
                   CASE WHEN l.status = 'gone' THEN 'gone'
                        WHEN len(l.members) > 0 AND l.scan_id <> coalesce(o.outer_id, '') THEN 'gone'
                        WHEN {vanished} THEN 'gone' ELSE l.status END AS status,
                   CASE WHEN l.status <> 'gone' AND (
                            (len(l.members) > 0 AND l.scan_id <> coalesce(o.outer_id, '')) OR {vanished})
                        THEN 'no longer present' ELSE l.reason END AS reason
            FROM locations l LEFT JOIN outer_scan o USING (path)
        """)
        gone_before = reader.query("SELECT count(*) FROM locations WHERE status = 'gone'")[0][0]
    finally:
        reader.close()
    table = table.select(LOCATIONS.names).cast(LOCATIONS)
    gone_now = pa.compute.sum(pa.compute.equal(table["status"], "gone")).as_py() or 0
    writer.replace_parts("locations", table)
    return gone_now - gone_before
