"""Rendering result rows as JSON, CSV or a rich table."""
from __future__ import annotations

import csv
import json
import os
import sys

from rich.console import Console
from rich.table import Table


def print_rows(fmt: str, rows: list[dict], columns: list[str], title: str | None = None, *,
               csv_columns: list[str] | None = None, whole=None) -> None:
    """The one output switch of the CLI: `json` (the rows, or `whole` when the command has more to say
    than its rows), `csv` (`csv_columns`, else `columns`) or a table."""
    if fmt == "json":
        print_json(rows if whole is None else whole)
    elif fmt == "csv":
        print_csv(rows, csv_columns or columns)
    else:
        print_table(rows, columns, title=title)


def print_json(rows) -> None:
    json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def print_csv(rows: list[dict], columns: list[str]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([";".join(v) if isinstance(v, list) else ("" if v is None else v)
                         for v in (row.get(c) for c in columns)])


def print_table(rows: list[dict], columns: list[str], title: str | None = None) -> None:
    width = _width()
    table = Table(title=title, show_lines=False, title_justify="center" if width is None else "left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*[", ".join(v) if isinstance(v, list) else ("" if v is None else str(v))
                        for v in (row.get(c) for c in columns)])
    Console(width=width).print(table)


def _width() -> int | None:
    """A terminal's own width; into a pipe or a file, wide enough that a row stays on one line (rich
    would fold every path at 80 columns, which breaks grep and cut)."""
    if sys.stdout.isatty() or os.environ.get("COLUMNS"):
        return None
    return PIPE_WIDTH


PIPE_WIDTH = 400
