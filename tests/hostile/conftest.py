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

from hostile_run import checked_scan   # noqa: E402,F401  (fixtures below use it)


@pytest.fixture
def hostile_scan(tmp_path):
    return lambda root, *extra, **kw: checked_scan(root, tmp_path, *extra, **kw)
