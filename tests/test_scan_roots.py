"""Issue 15: a typo is not a scan. A root that does not exist or cannot be read at all is a usage
error (one line naming it, exit 2) and nothing is written: no inventory, no key."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from scanner.cli import cli


@pytest.mark.parametrize("make_root, why", [
    (lambda tmp: tmp / "shrae", "No such file or directory"),                     # a typo
    (lambda tmp: _dangling(tmp), "No such file or directory"),                    # a link to nowhere
    (lambda tmp: _file(tmp) / "below", "Not a directory"),                        # a path through a file
])
def test_a_root_that_cannot_be_read_at_all_is_a_usage_error_and_writes_nothing(tmp_path, make_root, why):
    good = tmp_path / "share"
    good.mkdir()
    (good / "a.txt").write_text("jane@example.org\n")
    root = make_root(tmp_path)
    inventory = tmp_path / "inv"
    result = CliRunner().invoke(cli, ["scan", str(good), str(root), "-i", str(inventory), "-q"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"pdsweep: cannot scan {root}: {why}"]
    assert not inventory.exists()


def _dangling(tmp):
    os.symlink(tmp / "gone", tmp / "link")
    return tmp / "link"


def _file(tmp):
    (tmp / "plain.txt").write_text("x")
    return tmp / "plain.txt"
