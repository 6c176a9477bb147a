"""Checks shared by the request tests (a plain module: `conftest` names collide across folders)."""
from __future__ import annotations

import hashlib
from pathlib import Path


def locations_of(inventory: str, **identifiers) -> set[str]:
    """Current `find` answer for some identifiers (as the library computes it)."""
    from scanner.find import find_locations
    from scanner.inventory import open_inventory
    from scanner.requests.subject import load_subject

    subject = load_subject(inventory, None, {k: [v] for k, v in identifiers.items()})
    reader = open_inventory(inventory)
    try:
        return {r["location"] for r in find_locations(reader, subject.keys)}
    finally:
        reader.close()


def file_hashes(root: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}
