"""The inventory writer takes a pool worker's findings as an Arrow table beside row dicts (issue 16):
a checkpoint writes them in the order they came, as it wrote the dicts, and refuses another schema."""
from __future__ import annotations

import glob
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scanner.inventory import InventoryWriter
from scanner.inventory.schema import FINDINGS, LOCATIONS


def _finding(content_hash: str, value_key: str) -> dict:
    return dict(content_hash=content_hash, entity_type="EMAIL_ADDRESS", kind="email", value_key=value_key,
                count=1, score=0.75, first_offset=3, first_page=None, ocr=False, preview="j***@example.co.uk",
                detector="fp")


def _written(inventory: str, table: str) -> list[dict]:
    rows = []
    for part in sorted(glob.glob(os.path.join(inventory, table, "*.parquet"))):
        rows.extend(pq.read_table(part).to_pylist())
    return rows


def test_tables_and_row_dicts_are_written_in_the_order_they_came(tmp_path):
    # One value key for all: the part is sorted by it, so the order of the rows is the order of adding
    # (a stable sort), which shows no chunk was dropped, repeated or moved.
    rows = [_finding(f"h{i}", "k") for i in range(7)]
    with InventoryWriter(str(tmp_path / "inv")) as writer:
        writer.add("findings", rows[:2])
        writer.add("findings", pa.Table.from_pylist(rows[2:5], schema=FINDINGS))
        writer.add("findings", pa.Table.from_pylist([], schema=FINDINGS))
        writer.add("findings", rows[5:6])
        writer.add("findings", rows[6:])
        assert writer.pending("findings") == 7
        writer.checkpoint()
        assert writer.pending("findings") == 0
    assert _written(str(tmp_path / "inv"), "findings") == rows


def test_a_table_is_sorted_with_the_rows_it_joins(tmp_path):
    rows = [_finding("a", "k3"), _finding("b", "k1"), _finding("c", "k2")]
    with InventoryWriter(str(tmp_path / "inv")) as writer:
        writer.add("findings", pa.Table.from_pylist(rows[:2], schema=FINDINGS))
        writer.add("findings", rows[2:])
        writer.checkpoint()
    assert [r["value_key"] for r in _written(str(tmp_path / "inv"), "findings")] == ["k1", "k2", "k3"]


def test_a_table_of_another_schema_is_refused(tmp_path):
    with InventoryWriter(str(tmp_path / "inv")) as writer:
        with pytest.raises(ValueError, match="another schema"):
            writer.add("findings", pa.Table.from_pylist([], schema=LOCATIONS))
        assert writer.pending("findings") == 0


def test_the_inventory_package_leaves_duckdb_to_the_reader():
    """A pool worker imports the schemas to build its findings table; DuckDB must not come with them."""
    import subprocess

    code = "import sys, scanner.inventory.schema; print('duckdb' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert out.stdout.strip() == "False"
