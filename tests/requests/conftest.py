"""Fixtures for subject-request tests: a freshly built share, scanned into its own inventory."""
from __future__ import annotations

import os
import sys

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
