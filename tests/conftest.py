"""Shared fixtures: the committed sample data, scanned once per session with the real model."""
from __future__ import annotations

import json
import os

import pytest

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_DATA = os.path.join(ROOT, "sample_data")


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


def cli_json(args: list[str]):
    """Run the CLI in-process and parse its JSON output."""
    from click.testing import CliRunner

    from scanner.cli import cli

    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
