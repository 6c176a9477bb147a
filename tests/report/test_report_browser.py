"""The HTML report loaded in headless Chromium: no console errors, no requests, figures equal to DuckDB's.

Skipped only where no `chromium` binary is installed (CI installs Debian's).
`python tests/report/report_screenshot.py docs/report.png` refreshes the committed screenshot.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import datetime, timezone

import pytest

from report_chromium import Chromium, find_chromium
from report_expected import expected_figures
from scanner.inventory import open_inventory
from scanner.report import compute_figures, parse_retention, write_report

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="chromium is not installed (apt-get install chromium)")

READ_FIGURES = """JSON.stringify(Array.from(document.querySelectorAll('[data-figure]')).map(function (e) {
  return [e.getAttribute('data-figure'), e.getAttribute('data-key'), e.getAttribute('data-value'),
          e.textContent];
}))"""
UNITS = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}


@pytest.fixture(scope="module")
def loaded(estate, tmp_path_factory):
    """Render with a fixed clock, load once, and keep what the browser saw."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    reader = open_inventory(estate.inventory)
    try:
        fig = compute_figures(reader, parse_retention("3y"), now=now)
    finally:
        reader.close()
    out = tmp_path_factory.mktemp("html") / "report.html"
    write_report(str(out), fig, "html")
    url = out.as_uri()
    with Chromium(CHROMIUM) as browser:
        page = browser.open_page(url)
        seen = dict(url=url, errors=page.console_errors(), requests=page.requests(),
                    figures=json.loads(page.evaluate(READ_FIGURES)),
                    sections=page.evaluate("Array.from(document.querySelectorAll('section h2'))"
                                           ".map(h => h.textContent)"),
                    suppressed=page.evaluate("document.getElementById('suppressed').textContent"),
                    tree_opened=page.evaluate(_click_first_treemap_cell()))
        shot = tmp_path_factory.mktemp("shot") / "report.png"
        page.screenshot(str(shot))
        seen["screenshot"] = str(shot)
    seen["expected"] = expected_figures(estate.inventory, estate.root, 3, now,
                                        estate.erased_keys, estate.beyond_use)
    return seen


def _click_first_treemap_cell() -> str:
    # The treemap's inline script opens the folder it stands for in the drill-down tree.
    return """(function () {
      var cell = document.querySelector('svg .cell');
      var target = document.getElementById(cell.getAttribute('data-target'));
      var before = target.open;
      cell.dispatchEvent(new MouseEvent('click', {bubbles: true}));
      return [before, target.open];
    })()"""


def test_page_has_no_console_errors(loaded):
    assert loaded["errors"] == []


def test_page_makes_no_request_but_its_own_file(loaded):
    assert loaded["requests"] == [loaded["url"]]


def test_page_has_every_section(loaded):
    assert loaded["sections"] == ["Totals", "Where", "Mail, shares and backups", "Age", "Duplicates",
                                  "Suppressed subjects found again"]


def test_every_figure_shown_equals_duckdb(loaded):
    expected = dict(loaded["expected"])
    shown_lists = defaultdict(list)
    for name, key, value, text in loaded["figures"]:
        if (name, None) in expected and isinstance(expected[(name, None)], list):
            shown_lists[name].append(value)
            assert text == value
            continue
        assert (name, key) in expected, f"figure {name}[{key}] is shown but not expected"
        want = expected.pop((name, key))
        assert value == str(want), f"{name}[{key}]: page says {value}, DuckDB says {want}"
        if "bytes" in name:
            assert _parse_bytes(text) == pytest.approx(want, rel=0.05, abs=1), f"{name}[{key}] shows {text}"
        else:
            assert text.replace(",", "") == str(want), f"{name}[{key}] shows {text}"
    for name, values in shown_lists.items():
        assert sorted(values) == expected.pop((name, None))
    assert expected == {}, f"figures computed but not shown: {sorted(expected, key=str)}"


def test_figures_describe_the_estate(loaded, estate):
    """Facts known from how the estate was built, so the comparison above is not only code against code."""
    got = {(n, k): v for n, k, v, _ in loaded["figures"]}
    assert got[("duplicates.copies", estate.clients_csv_hash[:12])] == "3"     # the share and two backups
    assert int(got[("kind.locations", "mail")]) >= 4            # three support messages, one HR message
    assert int(got[("kind.files", "backup")]) == 2              # the locked 7z holds nothing readable
    assert any(n == "not_read.locations" and k.startswith("encrypted") for n, k, _, _ in loaded["figures"])
    old = {v for n, _, v, _ in loaded["figures"] if n == "age.older.location"}
    assert f"{estate.root}/share/hr/leavers/leavers-2018.csv" in old
    assert f"{estate.root}/share/sales/clients.csv" not in old
    assert got[("age.year", "2018")] == "1"


def test_suppressed_subject_found_again_in_the_share_and_the_other_backup(loaded, estate):
    if not estate.erased_keys:
        pytest.skip("no suppression register in this installation (scanner.requests)")
    again = {v for n, _, v, _ in loaded["figures"] if n == "suppressed.location"}
    assert f"{estate.root}/share/sales/clients.csv" in again
    assert f"{estate.root}/backups/weekly/2024-05-08.zip!/share/sales/clients.csv" in again
    assert estate.beyond_use[0] not in again
    assert estate.people[0].email not in loaded["suppressed"]


def test_treemap_cell_opens_its_folder(loaded):
    assert loaded["tree_opened"] == [False, True]


def test_screenshot_is_a_full_page_png(loaded):
    with open(loaded["screenshot"], "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert width == 1200 and height > 1500


def _parse_bytes(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+) (B|KB|MB|GB|TB)", text).groups()
    return float(number) * UNITS[unit]


def test_the_checks_catch_a_broken_page(tmp_path):
    """The browser checks can fail: a script error, a blocked fetch and a stray request are all seen."""
    csp = tmp_path / "csp.html"
    csp.write_text("<!DOCTYPE html>"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"
                   "<img src=\"https://example.invalid/pixel.png\"><p>x</p>")
    stray = tmp_path / "stray.html"
    pixel = (tmp_path / "p.png").as_uri()
    stray.write_text(f"<!DOCTYPE html><script>notDefined();</script><img src=\"{pixel}\">")
    with Chromium(CHROMIUM) as browser:
        blocked = browser.open_page(csp.as_uri())
        assert any("example.invalid" in e for e in blocked.console_errors())
        broken = browser.open_page(stray.as_uri())
        assert any("notDefined" in e for e in broken.console_errors())
        assert pixel in broken.requests()
