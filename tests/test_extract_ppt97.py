"""PowerPoint 97-2003 .ppt: slide text, notes and properties from a deck LibreOffice Impress wrote (from
a .pptx python-pptx built here); the record walker against lying, deep and encrypted record trees."""
from __future__ import annotations

import io
import os
import struct
import subprocess
import zipfile

import pytest

from builders import explore_path, make_person
from core_helpers import cli_json
from legacy_office import SOFFICE, WELSH
from scanner.config import ScanConfig
from scanner.scan import run_scan

PERSON = make_person(41)
NOTED = make_person(42)


def _pptx() -> bytes:
    from pptx import Presentation

    deck = Presentation()
    deck.core_properties.author = "Records Team"
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = f"Review for {PERSON.name}"
    slide.placeholders[1].text = f"{PERSON.email}\nReferee: {WELSH}"
    slide.notes_slide.notes_text_frame.text = f"Call {NOTED.name} on {NOTED.phone}"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def ppt(tmp_path_factory) -> bytes:
    """The deck as LibreOffice Impress's "MS PowerPoint 97" export writes it."""
    if not SOFFICE:
        pytest.skip("LibreOffice (Debian libreoffice-impress-nogui), which writes the .ppt files, is missing")
    work = tmp_path_factory.mktemp("ppt")
    (work / "deck.pptx").write_bytes(_pptx())
    converted = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
                                "--norestore", "--convert-to", "ppt", "--outdir", str(work / "out"),
                                str(work / "deck.pptx")], capture_output=True, timeout=300)
    if not (work / "out" / "deck.ppt").exists():
        pytest.skip(f"LibreOffice could not write a .ppt here (is libreoffice-impress-nogui installed?): "
                    f"{converted.stderr.decode(errors='replace')[-200:]}")
    return (work / "out" / "deck.ppt").read_bytes()


def test_slide_text_notes_and_properties(ppt, tmp_path):
    path = tmp_path / "deck.ppt"
    path.write_bytes(ppt)
    [seen] = explore_path(path, tmp_path / "tmp").values()
    assert seen.status == "ok", seen.reason
    for value in (f"Review for {PERSON.name}", PERSON.email, WELSH, NOTED.name, NOTED.phone, "Records Team"):
        assert value in seen.text, value


def test_found_on_a_share_and_inside_a_zip_and_a_damaged_copy_is_recorded(ppt, tmp_path):
    root = tmp_path / "share"
    root.mkdir()
    (root / "deck.ppt").write_bytes(ppt)
    with zipfile.ZipFile(root / "old.zip", "w") as z:
        z.writestr("decks/deck.ppt", ppt)
    (root / "cut.ppt").write_bytes(ppt[:len(ppt) // 2])
    inventory = str(tmp_path / "inventory")
    from detectors import DetectorSettings

    summary = run_scan([str(root)], ScanConfig(inventory=inventory, workers=1,
                                               detector=DetectorSettings(use_ner=False)))
    assert summary.status == "completed" and summary.errors + summary.skipped >= 1
    found = cli_json(["find", "--email", PERSON.email, "-i", inventory, "--format", "json"])
    assert {row["location"] for row in found} == {str(root / "deck.ppt"), f"{root / 'old.zip'}!/decks/deck.ppt"}


def _record(kind: int, body: bytes, container: bool = False, instance: int = 0) -> bytes:
    return struct.pack("<HHI", (instance << 4) | (0xF if container else 0), kind, len(body)) + body


def test_text_atoms_anywhere_in_the_tree_in_stream_order():
    from connectors.extractors.ppt97 import _atoms

    chars = _record(0x0FA0, "Siân\rJones".encode("utf-16-le"))
    bytes_ = _record(0x0FA8, "jane@example.co.uk".encode("cp1252"))
    other = _record(0x0FF5, b"\x00" * 12)                              # an atom with no text
    tree = _record(0x03E8, _record(0x03EE, chars + other, container=True) + bytes_, container=True)
    assert "".join(_atoms(tree)) == "Siân\nJones\njane@example.co.uk\n"


@pytest.mark.parametrize("stream, error, reason", [
    (_record(0x0FA0, b"ab")[:-1], "CorruptError", "longer than its container"),
    (struct.pack("<HHI", 0, 0x0FA0, 1 << 30) + b"ab", "CorruptError", "longer than its container"),
    (_record(0x03E8, _record(0x0FA0, b"abcd"), container=True)[:-2], "CorruptError", "longer than its container"),
    (b"\x00\x00\xa0", "CorruptError", "cut short"),
    (_record(0x2F14, b"\x00" * 8, container=True), "EncryptedError", "password protected"),
])
def test_a_record_tree_that_lies_is_refused_with_a_reason(stream, error, reason):
    from connectors.extractors.ppt97 import _atoms

    with pytest.raises(Exception) as caught:
        list(_atoms(stream))
    assert type(caught.value).__name__ == error and reason in str(caught.value)


def test_nesting_and_record_counts_are_limited(monkeypatch):
    from connectors.extractors import ppt97

    deep = b""
    for _ in range(ppt97.MAX_DEPTH + 2):
        deep = _record(0x03E8, deep, container=True)
    with pytest.raises(Exception, match="nested deeper"):
        list(ppt97._atoms(deep))
    monkeypatch.setattr(ppt97, "MAX_RECORDS", 10)
    with pytest.raises(Exception, match="more than 10 records"):
        list(ppt97._atoms(_record(0x0FA8, b"x") * 11))


def test_a_compound_file_without_a_presentation_stream_is_an_error(tmp_path):
    """An Outlook item renamed .ppt: OLE, but no PowerPoint Document stream."""
    from connectors import Blob, ExploreContext, Limits, Location
    from connectors.extractors.ppt97 import extract_ppt
    from core_helpers import OUTLOOK_FIXTURES

    msg = os.path.join(OUTLOOK_FIXTURES, "note.msg")
    if not os.path.exists(msg):
        pytest.skip("the shared Outlook fixtures are not here")
    blob = Blob(Location(msg), os.path.getsize(msg), path=msg)
    with pytest.raises(Exception, match="no PowerPoint Document stream"):
        "".join(extract_ppt(blob, ExploreContext(Limits(), str(tmp_path))).chunks)
