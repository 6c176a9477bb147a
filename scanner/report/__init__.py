"""`pdsweep report`: where personal data lives, how much, how old — as one self-contained HTML page or JSON.

    from scanner.report import build_report
    figures = build_report(reader, parse_retention("18m"))
"""
from .figures import FigureLimits, compute_figures
from .render import render_html
from .retention import DEFAULT_RETENTION, Retention, parse_retention
from .write import write_report

__all__ = ["DEFAULT_RETENTION", "FigureLimits", "Retention", "compute_figures", "parse_retention",
           "render_html", "write_report"]
