"""Helpers for the hostile-input suite: run a real `pdsweep scan` in a subprocess and check
what it did (status + reason per location, peak memory of the process tree, nothing written
outside the inventory and a private TMPDIR, scanned files unchanged)."""
from __future__ import annotations

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)                       # hostile_run, hostile_inputs
sys.path.insert(0, os.path.dirname(HERE))      # tests/builders.py, test_extract_samples

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from hostile_run import ScanRun, snapshot, statuses   # noqa: E402


def checked_scan(root, workdir, *extra, inventory=None, expect_unchanged=True, user=None,
                 timeout=300) -> ScanRun:
    """Scan with the CLI and check what every hostile item shares: exit 0, an empty private
    TMPDIR afterwards, the scanned tree byte- and mtime-identical; statuses read back."""
    inventory = inventory or os.path.join(str(workdir), "inventory")
    before = snapshot(root) if expect_unchanged else None
    run = ScanRun.scan(str(root), inventory, list(extra), workdir, user=user, timeout=timeout)
    assert run.rc == 0, run.stderr[-3000:]
    assert run.tmp_left == [], f"left in TMPDIR: {run.tmp_left}"
    if expect_unchanged:
        assert snapshot(root) == before, "the scanned tree changed"
    run.statuses = statuses(inventory)
    return run


@pytest.fixture
def hostile_scan(tmp_path):
    return lambda root, *extra, **kw: checked_scan(root, tmp_path, *extra, **kw)
