"""Issue 15: raw 8-bit bytes (lone surrogates once decoded) never reach a detector, Parquet or JSON.

The message that killed a worker: From/To display names in raw 8-bit bytes. Scanned among
other files, it and they keep their findings; `detect` on it exits 0 with its findings.
"""
from __future__ import annotations

import json
import os
import pytest

from connectors.undecodable import recovered
from core_helpers import cli_json
from detectors.valid_text import valid_fields, valid_text

RAW_HEADERS = (b"From: J\xf6rg M\xfcller <jorg.muller@example.com>\r\n"
               b"To: \xc5sa Lind <asa.lind@example.com>, Bob Tanner <bob.tanner@example.com>\r\n"
               b"Subject: caf\xe9 order for J\xc3\xb6rg\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
               b"Message-ID: <raw8bit@example.com>\r\n\r\n"
               b"Please call 01482 420150 about NI number AB123456C.\r\n")


@pytest.mark.parametrize("text, expected", [
    ("J\udcf6rg M\udcfcller", "Jörg Müller"),        # Latin-1/cp1252 bytes
    ("J\udcc3\udcb6rg", "Jörg"),                      # UTF-8 bytes kept escaped
    ("caf\udce9 for J\udcc3\udcb6rg", "café for Jörg"),
    ("\udc93quoted\udc94", "\u201cquoted\u201d"),     # cp1252 smart quotes
    ("a\udc81b", "a\ufffdb"),                          # undefined in cp1252
    ("half \ud83d pair", "half \ufffd pair"),        # a lone UTF-16 half
    ("plain text", "plain text"),
])
def test_escaped_bytes_are_recovered_where_they_are_decoded(text, expected):
    assert recovered(text) == expected
    recovered(text).encode("utf-8")


@pytest.mark.parametrize("text, expected", [
    ("J\udcf6rg", "Jörg"),
    ("J\udcc3\udcb6rg", "JÃ¶rg"),                    # one character per escaped byte: offsets hold
    ("x\udc81\ud800\udfffy", "x\ufffd\ufffd\ufffdy"),
    ("", ""),
])
def test_the_detectors_backstop_keeps_every_offset(text, expected):
    assert valid_text(text) == expected
    assert len(valid_text(text)) == len(text)


def test_fields_with_escaped_bytes_are_repaired_and_others_kept_as_they_are():
    class F:
        def __init__(self, label, value, start):
            self.label, self.value, self.start = label, value, start
    clean, dirty = F("To", "Bob", 3), F("From", "J\udcf6rg", 9)
    out = valid_fields([clean, dirty])
    assert out[0] is clean
    assert (out[1].label, out[1].value, out[1].start) == ("From", "Jörg", 9)


@pytest.mark.slow
def test_a_message_with_raw_8bit_names_and_the_files_beside_it_keep_their_findings(tmp_path):
    from click.testing import CliRunner

    from scanner.cli import cli
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "raw.eml").write_bytes(RAW_HEADERS)
    for i in range(6):
        (tree / f"note{i}.txt").write_text(f"Write to person{i}@example.org or ring 01482 42015{i}.\n")
    # A file name in Latin-1 on a UTF-8 system: its name is scanned too.
    (tree / os.fsdecode(b"Anna_M\xfcller_cv.txt")).write_text("Write to person6@example.org.\n")
    inv = str(tmp_path / "inv")
    # One batch of eight files, as in the report, analysed by one isolated worker.
    summary = run_scan([str(tree)], ScanConfig(inventory=inv, workers=1, isolate_workers=True))
    assert (summary.status, summary.errors) == ("completed", 0)

    def found(*query):
        return {row["location"] for row in cli_json(["find", "-i", inv, "-f", "json", *query])}

    raw = str(tree / "raw.eml")
    assert found("--name", "Jorg Muller") == {raw}            # keyed from the recovered name
    assert found("--name", "Åsa Lind") == {raw}
    assert found("--email", "bob.tanner@example.com") == {raw}
    assert found("--nino", "AB 12 34 56 C") == {raw}
    for i in range(6):
        assert found("--email", f"person{i}@example.org") == {str(tree / f"note{i}.txt")}
    latin1_name = f"{tree}/Anna_M\\xfcller_cv.txt"             # URIs show undecodable bytes as \xNN
    assert found("--email", "person6@example.org") == found("--name", "Anna Müller") == {latin1_name}

    detect = CliRunner().invoke(cli, ["detect", raw, "-f", "json"])
    assert detect.exit_code == 0, detect.output
    texts = {(r["entity_type"], r["text"]) for r in json.loads(detect.stdout)}
    assert {("PERSON", "Jörg Müller"), ("PERSON", "Åsa Lind"), ("UK_NINO", "AB123456C")} <= texts
