"""The manifest: the one file that says which Parquet parts make up the inventory.

Parts are immutable once written; a new state is published by replacing the
manifest atomically. Readers that opened the old manifest keep a consistent
view; parts no longer listed are removed only after the new manifest is durable.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

from ..errors import InventoryError
from .files import write_json_atomic

MANIFEST = "manifest.json"
FORMAT = 1


@dataclass
class Manifest:
    format: int = FORMAT
    next_seq: int = 1
    next_part: int = 1
    locations: list[str] = field(default_factory=list)   # base first, then deltas in order
    findings: list[str] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)
    scans: list[str] = field(default_factory=list)

    def parts(self, table: str) -> list[str]:
        return getattr(self, table)

    def all_parts(self) -> set[str]:
        return set(self.locations + self.findings + self.contents + self.scans)


def read_manifest(inventory: str) -> Manifest:
    path = os.path.join(inventory, MANIFEST)
    if not os.path.exists(path):
        return Manifest()
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        raise InventoryError(f"cannot read {path}: {exc}") from None
    if data.get("format") != FORMAT:
        raise InventoryError(f"{path}: unsupported inventory format {data.get('format')}")
    return Manifest(**data)


def write_manifest(inventory: str, manifest: Manifest) -> None:
    write_json_atomic(os.path.join(inventory, MANIFEST), asdict(manifest))
