"""The suppression register: the value keys of every erased subject (JSON lines in the inventory dir).

A location that matches a suppressed key - a restored backup, a re-imported
export - must be flagged. Locations put beyond use by the erasure itself are
remembered with the entry and are not flagged again (unless asked).

Part of the inventory, not of the request commands: a scan checks it too.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

from .find import find_locations
from .inventory.jsonl import append_record, read_records

REGISTER = "suppression.jsonl"


def register_path(inventory: str) -> str:
    return os.path.join(inventory, REGISTER)


def add_entry(inventory: str, request_id: str, keys: dict[str, str], beyond_use: list[str]) -> None:
    entry = dict(request_id=request_id, date=datetime.now(timezone.utc).date().isoformat(),
                 value_keys=keys, beyond_use=sorted(beyond_use))
    append_record(register_path(inventory), entry)


def load_register(inventory: str) -> list[dict]:
    return read_records(register_path(inventory))


def suppressed_hits(reader, include_beyond_use: bool = False, register: list[dict] | None = None) -> list[dict]:
    """Locations in the inventory matching a suppressed subject's keys.

    For the scan and daemon summaries: one dict per (location, request) with
    location, request_id, erased (date), matched kinds, status. Cheap when the
    register is empty (no query at all). `register`: its entries, where the caller has read them.
    """
    hits = []
    for entry in load_register(reader.inventory) if register is None else register:
        known = set(entry.get("beyond_use", []))
        for row in find_locations(reader, entry["value_keys"]):
            if row["location"] in known and not include_beyond_use:
                continue
            hits.append(dict(location=row["location"], request_id=entry["request_id"], erased=entry["date"],
                             matched=row["matched"], beyond_use=row["location"] in known,
                             modified=row["modified"], status=row["status"]))
    return hits
