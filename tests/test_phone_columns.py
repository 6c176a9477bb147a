"""A UK phone number stored in a spreadsheet as a number loses its leading 0 (0113 496 0123 becomes
1134960123); under a phone column it is still found, however far below the header it is (a bare ten
digit number far from any "phone" word is nothing to the recognisers), and `find --phone` in any
written form finds it."""
from __future__ import annotations

import pytest

from core_helpers import cli_json
from detectors import DetectorSettings
from scanner.config import ScanConfig
from scanner.scan import run_scan


@pytest.fixture
def sheets(tmp_path):
    import openpyxl

    root = tmp_path / "share"
    root.mkdir()
    filler = [(f"Customer {n}", 1000 + n, f"customer{n}@example.co.uk") for n in range(40)]
    book = openpyxl.Workbook()
    book.active.append(["Name", "Home phone", "Email"])
    for row in filler:
        book.active.append(row)
    book.active.append(["Jane Smith", 1134960123, "jane.smith@example.co.uk"])    # a number cell
    book.save(root / "contacts.xlsx")
    lines = "".join(f"{name},{ref}\n" for name, ref, _ in filler)
    (root / "export.csv").write_text(f"name,tel\n{lines}Bob Jones,2079460000\n")   # Excel's CSV export
    inventory = str(tmp_path / "inventory")
    detector = DetectorSettings(use_ner=False)
    assert run_scan([str(root)], ScanConfig(inventory=inventory, workers=1, detector=detector)).status == "completed"
    return root, inventory


@pytest.mark.parametrize("written", ["0113 496 0123", "+44 113 496 0123", "01134960123"])
def test_find_by_phone_reaches_a_number_cell_without_its_zero(sheets, written):
    root, inventory = sheets
    found = cli_json(["find", "--phone", written, "-i", inventory, "--format", "json"])
    assert {row["location"] for row in found} == {str(root / "contacts.xlsx")}


def test_find_by_phone_reaches_a_csv_column_without_its_zero(sheets):
    root, inventory = sheets
    found = cli_json(["find", "--phone", "020 7946 0000", "-i", inventory, "--format", "json"])
    assert {row["location"] for row in found} == {str(root / "export.csv")}
