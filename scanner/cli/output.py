"""Rendering result rows as JSON, CSV or a rich table."""
from __future__ import annotations

import csv
import json
import sys

from rich.console import Console
from rich.table import Table


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
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*[", ".join(v) if isinstance(v, list) else ("" if v is None else str(v))
                        for v in (row.get(c) for c in columns)])
    Console().print(table)
