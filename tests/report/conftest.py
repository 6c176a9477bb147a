"""The synthetic estate of `report_estate.py`, scanned once into an inventory for the report tests."""
from __future__ import annotations

import pytest

from report_estate import Estate, scan_estate


@pytest.fixture(scope="session")
def estate(tmp_path_factory) -> Estate:
    base = tmp_path_factory.mktemp("report")
    return scan_estate(str(base / "estate"), str(base / "inventory"))
