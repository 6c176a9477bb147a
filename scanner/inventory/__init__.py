"""The keyed Parquet inventory: its schemas (schema.py), writer (store.py) and reader (reader.py).

The reader and writer are imported on first use, not with the package: a pool worker imports only
the schemas, to build its findings as an Arrow table (scanner/pool.py), and importing the reader would
load DuckDB (~0.2 s) in every worker.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .reader import InventoryReader, open_inventory  # noqa: F401
    from .store import InventoryWriter, ensure_inventory_dir  # noqa: F401

_EXPORTS = {"InventoryReader": "reader", "open_inventory": "reader",
            "InventoryWriter": "store", "ensure_inventory_dir": "store"}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
