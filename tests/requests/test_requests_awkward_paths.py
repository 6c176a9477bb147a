"""Requests on files under a folder whose name ends in "!" (`Clients!/…`): their URIs hold a `!/` that
is not a container boundary. The access pack reads them as they are (not "vanished") and the erasure
removes the right message from a mailbox there."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from builders import make_eml, make_mbox, make_person, person_lines
from requests_checks import locations_of
from scanner.cli import cli
from scanner.config import ScanConfig
from scanner.scan import run_scan

pytestmark = pytest.mark.slow


def test_sar_and_erase_under_a_folder_named_with_a_bang(tmp_path):
    subject, other = make_person(81), make_person(82)
    folder = tmp_path / "share" / "Clients!"
    folder.mkdir(parents=True)
    notes = folder / "notes.txt"
    notes.write_text(person_lines(subject))
    mbox = folder / "mail.mbox"
    make_mbox(mbox, [make_eml(subject, message_id="<bang.1@example.co.uk>"),
                     make_eml(other, message_id="<bang.2@example.co.uk>")])
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1)
    assert run_scan([str(tmp_path / "share")], config).status == "completed"
    message = f"{mbox}!/<bang.1@example.co.uk>"
    assert {str(notes), message} <= locations_of(config.inventory, email=subject.email)

    out = tmp_path / "pack"
    result = CliRunner().invoke(cli, ["sar", "--email", subject.email, "-i", config.inventory, "--out", str(out),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    pack = json.loads((out / "index.json").read_text())
    states = {c["location"]: c["state"] for g in pack["groups"] for c in g["copies"]}
    assert states[str(notes)] == "current" and states[message] == "current", states

    result = CliRunner().invoke(cli, ["erase", "--email", subject.email, "-i", config.inventory, "--apply", "--yes",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert locations_of(config.inventory, email=subject.email) == set()
    assert locations_of(config.inventory, email=other.email) == {f"{mbox}!/<bang.2@example.co.uk>"}
