"""`pdsweep report` without a browser: CLI, JSON figures, privacy of the page, retention, treemap layout."""
from __future__ import annotations

import json
import os
import re
import stat
import sys
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from report_expected import expected_figures
from scanner.cli import cli
from scanner.errors import UsageError
from scanner.inventory import open_inventory
from scanner.report import FigureLimits, compute_figures, parse_retention, render_html
from scanner.report.svg import squarify


def _figures(estate, retention="3y", now=None):
    reader = open_inventory(estate.inventory)
    try:
        return compute_figures(reader, parse_retention(retention), now=now)
    finally:
        reader.close()


def test_json_holds_the_same_figures_as_duckdb(estate):
    result = CliRunner().invoke(cli, ["report", "--inventory", estate.inventory, "--format", "json",
                                      "--retention", "3y"])
    assert result.exit_code == 0, result.output
    fig = json.loads(result.stdout)
    now = datetime.fromisoformat(fig["as_of"].replace("Z", "+00:00"))
    want = expected_figures(estate.inventory, estate.root, 3, now, estate.erased_keys, estate.beyond_use)
    totals = fig["totals"]
    for name in ("locations", "with_personal_data", "files_with_personal_data", "findings", "value_count",
                 "bytes_with_personal_data", "not_read"):
        assert totals[name] == want[(f"totals.{name}", None)], name
    for row in totals["by_entity_type"]:
        assert row["findings"] == want[("entity.findings", row["entity_type"])]
    for k in fig["kind"]:
        assert (k["locations"], k["findings"], k["bytes"]) == tuple(
            want[(f"kind.{n}", k["kind"])] for n in ("locations", "findings", "bytes"))
    assert {str(b["year"]): b["locations"] for b in fig["age"]["histogram"]} == \
        {k: v for (n, k), v in want.items() if n == "age.year"}
    assert sorted(i["location"] for i in fig["age"]["older"]["items"]) == want[("age.older.location", None)]
    assert fig["duplicates"]["groups"] == want[("duplicates.groups", None)]
    root = fig["where"]["roots"][0]
    assert (root["path"], root["findings"]) == (estate.root, want[("where.findings", estate.root)])


def test_html_report_is_written_owner_only(estate, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "-i", estate.inventory, "--out", str(out),
                                      "--retention", "18m"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert out.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("args, message", [
    (["--retention", "3x"], "--retention"),
    (["--retention", "0d"], "--retention"),
    ([], "--out is required"),
    (["--out", "/nonexistent/folder/report.html"], "no such folder"),
])
def test_usage_errors_exit_2(estate, args, message):
    result = CliRunner().invoke(cli, ["report", "-i", estate.inventory, *args])
    assert result.exit_code == 2
    assert message in result.output


def test_missing_inventory_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["report", "-i", str(tmp_path / "none"), "--format", "json"])
    assert result.exit_code != 0
    assert "no inventory" in result.output


def test_page_holds_no_plaintext_personal_data(estate):
    html = render_html(_figures(estate))
    for person in estate.people:
        for value in (person.email, person.name, person.phone, person.postcode):
            assert value not in html, "a plaintext value reached the report"
    assert "***" in html   # masked previews are there instead


def test_page_refers_to_nothing_outside_itself(estate):
    html = render_html(_figures(estate))
    without_svg_namespace = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import|url\(", without_svg_namespace, re.I)
    assert not re.search(r"<(link|img|iframe|object|embed)\b|\bsrc=", html, re.I)
    assert "default-src 'none'" in html


def test_hostile_file_names_are_escaped(tmp_path):
    from scanner.config import ScanConfig
    from scanner.scan import run_scan
    from detectors import DetectorSettings

    root = tmp_path / "estate"
    (root / "<script>alert(1)<").mkdir(parents=True)
    (root / "<script>alert(1)<" / 'a"b<i>.csv').write_text("email\nsomeone@example.co.uk\n")
    run_scan([str(root)], ScanConfig(inventory=str(tmp_path / "inv"), workers=1,
                                     detector=DetectorSettings(use_ner=False)))
    reader = open_inventory(str(tmp_path / "inv"))
    try:
        html = render_html(compute_figures(reader, parse_retention("2y")))
    finally:
        reader.close()
    assert "<script>alert" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;" in html


def test_empty_inventory_renders(tmp_path):
    from scanner.config import ScanConfig
    from scanner.scan import run_scan
    from detectors import DetectorSettings

    (tmp_path / "nothing").mkdir()
    run_scan([str(tmp_path / "nothing")], ScanConfig(inventory=str(tmp_path / "inv"), workers=1,
                                                     detector=DetectorSettings(use_ner=False)))
    reader = open_inventory(str(tmp_path / "inv"))
    try:
        fig = compute_figures(reader, parse_retention("2y"))
    finally:
        reader.close()
    assert fig["totals"]["locations"] == 0 and fig["where"]["roots"] == []
    assert "no personal data found" in render_html(fig)


def test_without_a_suppression_register_the_section_says_none_recorded(estate, monkeypatch):
    monkeypatch.setitem(sys.modules, "scanner.requests", None)   # as if the requests package were absent
    fig = _figures(estate)
    assert fig["suppressed"]["recorded"] is False
    assert "none recorded" in render_html(fig)


def test_retention_cutoff_is_calendar_arithmetic(estate):
    now = datetime(2024, 2, 29, 12, 0, tzinfo=timezone.utc)
    assert _figures(estate, "18m", now)["age"]["cutoff"] == "2022-08-29"
    assert _figures(estate, "1y", now)["age"]["cutoff"] == "2023-02-28"
    assert _figures(estate, "90d", now)["age"]["cutoff"] == "2023-12-01"


@pytest.mark.parametrize("text, amount, unit", [("18m", 18, "m"), ("2y", 2, "y"), ("90d", 90, "d"),
                                                (" 6W ", 6, "w")])
def test_parse_retention(text, amount, unit):
    period = parse_retention(text)
    assert (period.amount, period.unit) == (amount, unit)


@pytest.mark.parametrize("text", ["", "18", "m", "1.5y", "-2y", "0m", "2 years", "99999d"])
def test_parse_retention_rejects(text):
    with pytest.raises(UsageError):
        parse_retention(text)


def test_squarify_areas_are_proportional_and_inside():
    items = [dict(value=v) for v in (50, 20, 12, 8, 5, 3, 1, 1)]
    rects = squarify(items, 0, 0, 600, 300)
    assert len(rects) == len(items)
    total = sum(i["value"] for i in items)
    for item, (x, y, w, h) in rects:
        assert w * h == pytest.approx(600 * 300 * item["value"] / total, rel=1e-6)
        assert -1e-6 <= x and x + w <= 600 + 1e-6 and -1e-6 <= y and y + h <= 300 + 1e-6
    assert sum(w * h for _, (x, y, w, h) in rects) == pytest.approx(600 * 300)


def test_caps_keep_every_listed_folder_under_a_listed_parent_and_say_what_is_left_out(estate):
    reader = open_inventory(estate.inventory)
    try:
        fig = compute_figures(reader, parse_retention("3y"),
                              limits=FigureLimits(folders=4, files=1, locations_per_file=1))
    finally:
        reader.close()
    listed, files, more = [], [], 0

    def walk(node, parent):
        nonlocal more
        listed.append((node["path"], parent))
        files.extend(f for f in node["file_list"])
        more += node["more_files"]
        for child in node["folders"]:
            walk(child, node["path"])

    for root in fig["where"]["roots"]:
        walk(root, None)
    assert len(listed) == fig["where"]["folders_shown"] == 4 < fig["where"]["folders"]
    assert all(parent is None or os.path.dirname(path) == parent for path, parent in listed)
    assert len(files) == 1 and more > 0
    assert all(len(f["items"]) <= 1 and f["more_items"] == f["locations"] - len(f["items"]) for f in files)
    html = render_html(fig)
    assert "folders with most findings are listed" in html and "more file(s) not listed" in html


def test_histogram_folds_implausibly_old_years_into_its_first_bar(tmp_path):
    from detectors import DetectorSettings
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    root = tmp_path / "estate"
    root.mkdir()
    for name, year in (("old.csv", 1950), ("new.csv", 2025)):
        (root / name).write_text(f"email\n{name[:3]}@example.co.uk\n")
        stamp = datetime(year, 6, 1, tzinfo=timezone.utc).timestamp()
        os.utime(root / name, (stamp, stamp))
    run_scan([str(root)], ScanConfig(inventory=str(tmp_path / "inv"), workers=1,
                                     detector=DetectorSettings(use_ner=False)))
    reader = open_inventory(str(tmp_path / "inv"))
    try:
        fig = compute_figures(reader, parse_retention("2y"))
    finally:
        reader.close()
    bins = fig["age"]["histogram"]
    assert [b["year"] for b in bins] == list(range(1986, 2026))
    assert (bins[0]["locations"], bins[0]["and_earlier"]) == (1, True)
    assert (bins[-1]["locations"], bins[-1]["and_earlier"]) == (1, False)
    assert "≤1986" in render_html(fig)


def test_deleted_files_and_their_members_leave_the_report(tmp_path):
    from builders import make_zip
    from detectors import DetectorSettings
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    root = tmp_path / "estate"
    root.mkdir()
    (root / "keep.csv").write_text("email\nkeep@example.co.uk\n")
    make_zip(root / "old.zip", {"a.csv": b"email\ngone@example.co.uk\n"})
    config = ScanConfig(inventory=str(tmp_path / "inv"), workers=1, detector=DetectorSettings(use_ner=False))
    run_scan([str(root)], config)
    (root / "old.zip").unlink()
    run_scan([str(root)], config)
    reader = open_inventory(str(tmp_path / "inv"))
    try:
        fig = compute_figures(reader, parse_retention("2y"))
    finally:
        reader.close()
    assert fig["totals"]["locations"] == 1 and fig["totals"]["with_personal_data"] == 1
    assert [f["name"] for f in fig["where"]["roots"][0]["file_list"]] == ["keep.csv"]
    assert fig["kind"][2] == dict(kind="backup", locations=0, files=0, findings=0, bytes=0, value_count=0)
