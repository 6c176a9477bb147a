"""Fixtures for subject-request tests: a freshly built share, scanned into its own inventory."""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from corpus import build_share  # noqa: E402


@pytest.fixture(scope="session")
def detector():
    from detectors import Detector, DetectorSettings

    return Detector(DetectorSettings())


@pytest.fixture
def scanned_share(tmp_path):
    """The corpus share, scanned: dict(subject, other, root, inventory, config)."""
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    share = build_share(tmp_path / "share")
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1)
    assert run_scan([str(share["root"])], config).status == "completed"
    return dict(share, inventory=config.inventory, config=config)


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
