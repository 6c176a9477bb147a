"""Refresh the committed screenshot: `python tests/report/report_screenshot.py docs/report.png [ROOT]`.

Builds the test estate under ROOT (default: a temporary folder), scans it,
renders the report and captures the whole page in headless Chromium.
"""
from __future__ import annotations

import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE), os.path.dirname(os.path.dirname(HERE))]

from report_chromium import Chromium, find_chromium  # noqa: E402
from report_estate import scan_estate  # noqa: E402
from scanner.inventory import open_inventory  # noqa: E402
from scanner.report import compute_figures, parse_retention, write_report  # noqa: E402


def main(out_png: str, root: str | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="pdsweep-report-") as work:
        estate = scan_estate(root or os.path.join(work, "srv"), os.path.join(work, "inventory"))
        reader = open_inventory(estate.inventory)
        try:
            fig = compute_figures(reader, parse_retention("3y"))
        finally:
            reader.close()
        html = os.path.join(work, "report.html")
        write_report(html, fig, "html")
        with Chromium(find_chromium()) as browser:
            page = browser.open_page("file://" + html)
            assert page.console_errors() == [], page.console_errors()
            # Show the drill-down: open the share's folders, where the masked previews are.
            page.evaluate("document.querySelectorAll('#tree details').forEach(function (d) {"
                          "  var path = d.querySelector('.name').title;"
                          "  var shown = /\\/share(\\/(sales|hr))?$/.test(path);"
                          "  d.open = d.classList.contains('root') || shown; })")
            page.screenshot(out_png)
    print(f"screenshot written to {out_png}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
