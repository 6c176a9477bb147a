"""Issue 15: `pdsweep text FILE|URI` prints a location's text exactly as the detectors see it."""
from __future__ import annotations

import json
import zipfile

import pytest
from click.testing import CliRunner

from builders import make_docx
from scanner.cli import cli

RAW_MAIL = (b"From: J\xf6rg M\xfcller <jorg.muller@example.com>\r\nTo: Ann Lee <ann.lee@example.org>\r\n"
            b"Subject: visit\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nRing 01482 420150 on arrival.\r\n")


@pytest.fixture
def bundle(tmp_path):
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("letters/letter.docx", make_docx("Dear Priya Shah,\nyour postcode hu7 4qt is on file."))
        z.writestr("raw.eml", RAW_MAIL)
    return path


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.slow
def test_the_text_printed_is_the_text_detect_gives_offsets_into(bundle):
    detect = run("detect", str(bundle), "-f", "json")
    assert detect.exit_code == 0, detect.output
    rows = json.loads(detect.stdout)
    for member in ("letters/letter.docx", "raw.eml"):
        uri = f"{bundle}!/{member}"
        shown = run("text", uri)
        assert shown.exit_code == 0, shown.output
        found = [r for r in rows if r["file"] == uri]
        assert found
        assert all(shown.stdout[r["start"]:r["end"]] == r["text"] for r in found), member
    assert "Jörg Müller <jorg.muller@example.com>" in run("text", f"{bundle}!/raw.eml").stdout


def test_fields_are_printed_on_request(bundle):
    shown = run("text", f"{bundle}!/raw.eml", "--fields")
    fields = [json.loads(line) for line in shown.stderr.splitlines()]
    assert {"label": "To", "value": "ann.lee@example.org", "start": shown.stdout.index("ann.lee")} in fields


def test_a_container_lists_its_members_and_a_missing_one_says_so(bundle):
    whole = run("text", str(bundle))
    assert whole.exit_code == 1 and whole.stdout == ""
    assert f"{bundle}!/letters/letter.docx" in whole.stderr and f"{bundle}!/raw.eml" in whole.stderr
    missing = run("text", f"{bundle}!/nothing.txt")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"pdsweep: {bundle}!/nothing.txt: missing: no such member in the file"
    assert run("text", str(bundle.parent / "nope.zip")).exit_code == 2
