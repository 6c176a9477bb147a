"""Shared fixtures: the committed sample data, scanned once per session with the real model."""
from __future__ import annotations

import json
import os

import pytest

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from core_helpers import ROOT, SAMPLE_DATA


def pytest_addoption(parser):
    parser.addoption("--big", action="store_true", default=False,
                     help="Also run the giant-input forms of the tests (the 2 GB file); the suite runs a "
                          "smaller form of each by default.")


@pytest.fixture(scope="session")
def big(request) -> bool:
    """True under --big: a test builds its giant input; else its smaller form (same assertions)."""
    return request.config.getoption("--big")


@pytest.fixture(scope="session")
def sample_people() -> list[dict]:
    with open(os.path.join(ROOT, "tests", "data", "sample_people.json")) as f:
        return json.load(f)


@pytest.fixture(scope="session")
def sample_inventory(tmp_path_factory):
    """An inventory of sample_data/, built once by a real scan (one worker, real spaCy)."""
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    inventory = str(tmp_path_factory.mktemp("inv") / "inventory")
    summary = run_scan([SAMPLE_DATA], ScanConfig(inventory=inventory, workers=1))
    assert summary.status == "completed"
    return inventory



@pytest.fixture(scope="session")
def lo_written(tmp_path_factory) -> dict[str, bytes]:
    """The office files LibreOffice writes for the format-class tests, one soffice run per format."""
    from format_writers import NO_SOFFICE, SOFFICE, TEST_JOBS, libreoffice

    if SOFFICE is None:
        pytest.skip(NO_SOFFICE)
    files = libreoffice(TEST_JOBS, tmp_path_factory.mktemp("lo-written"))
    assert set(files) == set(TEST_JOBS), f"LibreOffice wrote only {sorted(files)}"
    return files
