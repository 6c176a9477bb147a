"""The suppression register: a restored backup of an erased subject is flagged."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.inventory import open_inventory
from scanner.requests import suppressed_hits
from scanner.scan import run_scan

pytestmark = pytest.mark.slow


def test_restored_backup_is_flagged_but_the_original_beyond_use_copy_is_not(scanned_share):
    s, inv, root = scanned_share["subject"], scanned_share["inventory"], scanned_share["root"]
    reader = open_inventory(inv)
    assert suppressed_hits(reader) == []          # empty register: nothing flagged
    reader.close()
    runner = CliRunner()
    applied = runner.invoke(cli, ["erase", "--name", s.name, "--email", s.email, "-i", inv, "--apply", "--yes"])
    assert applied.exit_code == 0, applied.output
    listed = runner.invoke(cli, ["suppressed", "-i", inv, "-f", "json"])
    assert listed.exit_code == 0 and json.loads(listed.output) == []
    every = json.loads(runner.invoke(cli, ["suppressed", "-i", inv, "-f", "json", "--all"]).output)
    assert {h["location"] for h in every} == {f"{root / 'backup.zip'}!/home/old-notes.txt", str(root / "statement.pdf")}

    shutil.copy(root / "backup.zip", root / "restored.zip")
    summary = run_scan([str(root)], scanned_share["config"])
    # The scan summary itself flags the reappearance.
    assert [h["location"] for h in summary.suppressed] == [f"{root / 'restored.zip'}!/home/old-notes.txt"]
    reader = open_inventory(inv)
    try:
        hits = suppressed_hits(reader)
    finally:
        reader.close()
    assert [h["location"] for h in hits] == [f"{root / 'restored.zip'}!/home/old-notes.txt"]
    assert hits[0]["request_id"].startswith("req-") and not hits[0]["beyond_use"]
