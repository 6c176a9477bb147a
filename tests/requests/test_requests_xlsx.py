"""Erasure in a workbook with a chart: cells are redacted in the package's XML and every other part
(the chart, its drawing, styles) is kept byte for byte; removing rows, which would lose the chart, is
refused with the reason."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from builders import make_person
from requests_checks import locations_of
from scanner.cli import cli
from scanner.config import ScanConfig
from scanner.scan import run_scan

pytestmark = pytest.mark.slow


def _workbook_with_chart(people) -> bytes:
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Email", "Orders"])
    for n, p in enumerate(people, start=1):
        sheet.append([p.name, p.email, n * 3])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=3, min_row=1, max_row=len(people) + 1), titles_from_data=True)
    sheet.add_chart(chart, "E2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _erase(inventory, person, *extra):
    return CliRunner().invoke(cli, ["erase", "--email", person.email, "--name", person.name, "-i", inventory,
                                    "--apply", "--yes", "--format", "json", *extra])


@pytest.fixture
def workbook(tmp_path):
    subject, other = make_person(91), make_person(92)
    root = tmp_path / "share"
    root.mkdir()
    path = root / "orders.xlsx"
    path.write_bytes(_workbook_with_chart([subject, other]))
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1)
    assert run_scan([str(root)], config).status == "completed"
    assert locations_of(config.inventory, email=subject.email) == {str(path)}
    return dict(path=path, subject=subject, other=other, inventory=config.inventory)


def test_redacting_cells_keeps_the_chart_and_every_other_part(workbook):
    path, subject, other = workbook["path"], workbook["subject"], workbook["other"]
    before = _parts(path.read_bytes())
    assert any(name.startswith("xl/charts/") for name in before)
    result = _erase(workbook["inventory"], subject)
    assert result.exit_code == 0, result.output
    after = _parts(path.read_bytes())
    assert list(after) == list(before)
    changed = {name for name in before if before[name] != after[name]}
    # Only where cell text lives (shared or inline strings); the chart, drawing and styles untouched.
    assert changed and changed <= {"xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"}, changed
    strings = "".join(after[name].decode() for name in changed)
    assert subject.email not in strings and subject.name not in strings
    assert other.email in strings and other.name in strings
    assert locations_of(workbook["inventory"], email=subject.email) == set()
    assert locations_of(workbook["inventory"], email=other.email) == {str(path)}


def test_removing_rows_that_would_lose_the_chart_is_refused(workbook):
    path = workbook["path"]
    before = path.read_bytes()
    result = _erase(workbook["inventory"], workbook["subject"], "--rows", "remove")
    assert result.exit_code == 1
    outcome = json.loads(result.stdout)["applied"]["results"][0]
    assert outcome["outcome"] == "refused" and "charts" in outcome["reason"]
    assert path.read_bytes() == before
