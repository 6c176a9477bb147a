"""Truncated, garbled and mislabelled documents of every format, end to end through `pdsweep scan`;
a PDF built to be slow is cut off by the per-document time limit in a worker."""
from __future__ import annotations

import os
import time

import pytest

from hostile_run import checked_scan
from hostile_inputs import corrupt_documents, slow_pdf

MB = 1024 * 1024


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    root = tmp_path_factory.mktemp("parsers") / "tree"
    root.mkdir()
    for name, build in corrupt_documents().items():
        (root / name).write_bytes(build())
    return str(root), checked_scan(root, tmp_path_factory.mktemp("parsers-work"))


# What each must be recorded as. A garbled file keeps only its first 16 bytes, so some are no
# longer recognised as their format at all (then: skipped, no text extracted).
EXPECTED = {
    "truncated.docx": ("error", "docx: not a valid package"),
    "truncated.xlsx": ("error", "xlsx: not a valid package"),
    "truncated.pptx": ("error", "pptx: not a valid package"),
    "truncated.odt": ("error", "odt: not a valid package"),
    "truncated.pdf": ("error", "pdf: not a valid file"),
    "truncated.rtf": ("error", "rtf: not a complete rtf document"),
    "truncated.msg": ("error", "msg: not a valid Outlook item (OleFileError)"),
    "garbled.docx": ("error", "zip: not a valid archive (BadZipFile)"),
    "garbled.pptx": ("error", "zip: not a valid archive (BadZipFile)"),
    "garbled.xlsx": ("skipped", "no text extracted from application/octet-stream"),
    "garbled.odt": ("skipped", "no text extracted from application/octet-stream"),
    "garbled.pdf": ("error", "pdf: not a valid file"),
    "garbled.rtf": ("error", "rtf: not a complete rtf document"),
    "garbled.pst": ("error", "pst: refused by libpff (OSError)"),
    "garbled.msg": ("skipped", "no text extracted from application/octet-stream"),
    "garbled.mbox": ("skipped", "no text extracted from application/octet-stream"),
    "binary.txt": ("skipped", "no text extracted from application/octet-stream"),
    "billion-laughs.xml": ("ok", ""),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corrupt_document_is_recorded(parsed, name):
    root, run = parsed
    assert run.statuses[os.path.join(root, name)] == EXPECTED[name]


def test_truncated_mailboxes_keep_what_came_before_the_cut(parsed):
    root, run = parsed
    assert run.statuses[os.path.join(root, "truncated.pst")] == (
        "error", "pst: truncated (135680 of 271360 bytes)")
    assert run.statuses[os.path.join(root, "truncated.pst!/message-1")] == ("ok", "")
    assert run.statuses[os.path.join(root, "truncated.mbox")] == ("ok", "")
    messages = [u for u in run.statuses if u.startswith(os.path.join(root, "truncated.mbox!/"))]
    assert len(messages) == 2, "the first whole message and the cut one"


def test_corrupt_documents_scan_is_bounded(parsed):
    root, run = parsed
    assert run.peak_rss < 1024 * MB, f"peak RSS {run.peak_rss / MB:.0f} MB"
    assert {u for u in run.statuses if "!/" not in u} == {os.path.join(root, n) for n in os.listdir(root)}


def test_billion_laughs_is_not_expanded(tmp_path):
    from builders import explore_path
    from hostile_inputs import billion_laughs

    path = tmp_path / "lol.xml"
    path.write_bytes(billion_laughs())
    seen = explore_path(path, tmp_path / "tmp")
    assert len(seen[str(path)].text) < 1 * MB     # fully expanded it would be 3 GB


@pytest.mark.slow
def test_slow_pdf_is_a_timeout_in_an_isolated_worker(tmp_path):
    from connectors import Limits
    from detectors import DetectorSettings
    from scanner.config import ScanConfig
    from scanner.scan import run_scan
    from hostile_run import statuses

    root = tmp_path / "tree"
    root.mkdir()
    (root / "slow.pdf").write_bytes(slow_pdf())
    (root / "fine.txt").write_bytes(b"nothing to see\n")
    config = ScanConfig(inventory=str(tmp_path / "inv"), workers=1, isolate_workers=True,
                        limits=Limits(doc_timeout_s=1), worker_grace_s=10,
                        detector=DetectorSettings(use_ner=False))
    started = time.monotonic()
    summary = run_scan([str(root)], config)
    assert summary.status == "completed"
    assert time.monotonic() - started < 60
    found = statuses(config.inventory)
    assert found[str(root / "slow.pdf")] == ("timeout", "limit: doc_timeout_s")
    assert found[str(root / "fine.txt")] == ("ok", "")


def test_pdf_page_of_a_million_characters_is_capped(tmp_path):
    """100 KB of PDF drawing 1.6M characters on one page: pdfminer took 3 GB before the cap."""
    root = tmp_path / "tree"
    root.mkdir()
    (root / "huge-page.pdf").write_bytes(slow_pdf(1_600_000))
    run = checked_scan(root, tmp_path)
    assert run.statuses[str(root / "huge-page.pdf")] == (
        "skipped", "limit: max_page_chars (a PDF page with more than 100000 characters)")
    assert run.peak_rss < 900 * MB, f"peak RSS {run.peak_rss / MB:.0f} MB"
