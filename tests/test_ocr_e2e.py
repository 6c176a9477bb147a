"""Issue 20 through the whole stack: scans are read by OCR, found by `find`, quoted by `sar` with their page."""
from __future__ import annotations

import json

import pytest

from builders import make_eml, make_person, zip_bytes
from core_helpers import cli_json
from scans import image_bytes, image_only_pdf, multipage_tiff, render_lines
from scanner.config import ScanConfig
from scanner.inventory import open_inventory
from scanner.scan import run_scan

pytestmark = pytest.mark.slow

SUBJECT = "tamsin.oakridge@example.co.uk"
CLERK = make_person(7)


def _letter(*extra: str):
    return render_lines(["Dear Ms Tamsin Oakridge,", *extra, "Yours sincerely, Accounts Team"])


@pytest.fixture(scope="module")
def scanned_estate(tmp_path_factory):
    share = tmp_path_factory.mktemp("share")
    blank = render_lines(["Page intentionally left blank"])
    (share / "contract.pdf").write_bytes(image_only_pdf([blank, _letter(f"Email: {SUBJECT}")]))
    passport = image_bytes(_letter(f"Contact {SUBJECT}", "Tel 01632 960 111").convert("RGB"), "JPEG", quality=85)
    (share / "inbox.eml").write_bytes(make_eml(CLERK, {"scans.zip": zip_bytes({"id/passport.jpg": passport})},
                                               body="Scans attached.\n"))
    (share / "fax.tif").write_bytes(multipage_tiff([blank, blank, _letter(f"Reply to {SUBJECT}")]))
    inventory = tmp_path_factory.mktemp("inv") / "inventory"
    summary = run_scan([str(share)], ScanConfig(inventory=str(inventory), workers=1))
    return share, str(inventory), summary


def test_find_email_returns_the_scanned_pdf_the_jpeg_in_a_zip_in_an_email_and_the_tiff(scanned_estate):
    share, inventory, summary = scanned_estate
    rows = cli_json(["find", "--email", SUBJECT, "-i", inventory, "-f", "json"])
    assert sorted(r["location"] for r in rows) == sorted([
        f"{share}/contract.pdf", f"{share}/inbox.eml!/scans.zip!/id/passport.jpg", f"{share}/fax.tif"])
    assert summary.ocr_pages >= 1 + 1 + 1


def test_a_finding_records_its_page_and_that_it_was_read_by_ocr(scanned_estate):
    share, inventory, _ = scanned_estate
    reader = open_inventory(inventory)
    try:
        pages = dict(reader.query(
            "SELECT l.uri, f.first_page FROM findings f JOIN locations l USING (content_hash) "
            "WHERE f.entity_type = 'EMAIL_ADDRESS' AND f.ocr AND l.uri IN (SELECT unnest(?))",
            [[f"{share}/contract.pdf", f"{share}/fax.tif"]]))
    finally:
        reader.close()
    assert pages == {f"{share}/contract.pdf": 2, f"{share}/fax.tif": 3}


def test_sar_quotes_the_recognised_text_and_names_the_page(scanned_estate, tmp_path):
    share, inventory, _ = scanned_estate
    out = tmp_path / "pack"
    cli_json(["sar", "--email", SUBJECT, "-i", inventory, "--out", str(out), "-f", "json"])
    pack = json.loads((out / "index.json").read_text())
    by_location = {g["copies"][0]["location"]: g["excerpts"] for g in pack["groups"]}
    assert any(e.startswith("[page 2, recognised by OCR]") and SUBJECT in e
               for e in by_location[f"{share}/contract.pdf"])
    assert any(e.startswith("[page 3, recognised by OCR]") for e in by_location[f"{share}/fax.tif"])


def test_erase_plans_a_scan_as_manual(scanned_estate):
    share, inventory, _ = scanned_estate
    plan = cli_json(["erase", "--email", SUBJECT, "-i", inventory, "-f", "json"])
    actions = {a["location"]: a for a in plan["actions"]}
    for scan in (f"{share}/contract.pdf", f"{share}/fax.tif"):
        assert actions[scan]["action"] == "manual"
        assert "OCR" in actions[scan]["reason"]


def test_scan_no_ocr_records_the_scans_unread_and_counts_no_pages(scanned_estate, tmp_path):
    share, _, _ = scanned_estate
    inventory = str(tmp_path / "inv")
    summary = cli_json(["scan", str(share), "--no-ocr", "-w", "1", "-q", "-i", inventory, "-f", "json"])
    assert summary["ocr_pages"] == 0
    assert summary["reasons"]["skipped: image: OCR is off (--no-ocr)"] == 2     # the JPEG and the TIFF
    assert cli_json(["find", "--email", SUBJECT, "-i", inventory, "-f", "json"]) == []
