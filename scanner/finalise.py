"""End of a scan: mark what is gone and compact the location deltas into one part."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from .inventory import InventoryReader, InventoryWriter
from .inventory.schema import LOCATIONS

_COLUMNS = ", ".join(f.name for f in LOCATIONS if f.name not in ("status", "reason", "seq"))


def compact_locations(writer: InventoryWriter, roots: list[str] | None = None,
                      seen_paths: list[str] | None = None, unlistable: list[str] | None = None) -> int:
    """Write the current locations as one part; returns how many became `gone`.

    The reader's view already retires members of re-read outer files. When
    `roots` is given (after a completed walk), outer files under them that
    were not seen are gone too, with everything inside them, except below
    a directory the walk could not list (unknown is not gone).
    """
    writer.checkpoint()
    reader = InventoryReader(writer.inventory, writer.manifest)
    try:
        db = reader.db
        db.register("seen", pa.table({"path": pa.array(seen_paths or [], pa.string())}))
        db.register("roots", pa.table({"root": pa.array([r.rstrip("/") for r in (roots or [])], pa.string())}))
        db.register("unlistable", pa.table({"dir": pa.array([d.rstrip("/") for d in (unlistable or [])],
                                                            pa.string())}))
        vanished = ("(l.status <> 'gone' AND EXISTS (SELECT 1 FROM roots WHERE l.path = roots.root "
                    "OR starts_with(l.path, roots.root || '/')) AND l.path NOT IN (SELECT path FROM seen) "
                    "AND NOT EXISTS (SELECT 1 FROM unlistable u WHERE starts_with(l.path, u.dir || '/')))")
        gone_before = reader.query("SELECT count(*) FROM locations WHERE status = 'gone'")[0][0]
        table = reader.arrow(f"""
            SELECT row_number() OVER (ORDER BY uri) AS seq, {_COLUMNS},
                   CASE WHEN {vanished} THEN 'gone' ELSE l.status END AS status,
                   CASE WHEN {vanished} THEN 'no longer present' ELSE l.reason END AS reason
            FROM locations l""")
    finally:
        reader.close()
    table = table.select(LOCATIONS.names).cast(LOCATIONS)
    gone_now = pc.sum(pc.equal(table["status"], "gone")).as_py() or 0
    writer.replace_parts("locations", table)
    return gone_now - gone_before
