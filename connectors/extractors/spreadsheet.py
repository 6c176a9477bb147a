"""XLSX (openpyxl, read-only, values only) and ODS (streamed content.xml).

Each sheet's rows become lines of cells joined by CELL_SEP; the first row
of a sheet is its header, and every non-empty cell below it becomes a Field
labelled by that header.
"""
from __future__ import annotations

import datetime
import itertools
from typing import Iterable, Iterator

import openpyxl

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .common import FieldSink, call_guarded, capped, guarded, prefetch
from .delimited import CELL_SEP
from .office import TEXT, iter_xml, odf_text, release
from .zipguard import Package, open_package

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ROWS_PER_CHUNK = 2000
_MAX_REPEAT = 1000         # ODS pads rows/columns with huge repeat counts of empty cells


class SheetWriter:
    """Turns rows of cell strings into text lines and Fields, tracking offsets."""

    def __init__(self, sink: FieldSink):
        self.sink = sink
        self.offset = 0

    def sheet(self, title: str, rows: Iterable[list[str]]) -> Iterator[str]:
        headers: list[str] | None = None
        lines = [f"{title}\n"]
        self.offset += len(lines[0])
        for row in rows:
            while row and not row[-1]:
                row.pop()
            if not row:
                continue
            if headers is None:
                headers = [c.strip() for c in row]
            else:
                self._fields(headers, row)
            line = CELL_SEP.join(row) + "\n"
            lines.append(line)
            self.offset += len(line)
            if len(lines) >= _ROWS_PER_CHUNK:
                yield "".join(lines)
                lines = []
        yield "".join(lines)

    def _fields(self, headers: list[str], row: list[str]) -> None:
        start = self.offset
        for i, cell in enumerate(row):
            label = headers[i] if i < len(headers) and headers[i] else f"column {i + 1}"
            self.sink.add(label, cell, start)
            start += len(cell) + len(CELL_SEP)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))    # a phone number typed as a number: 7700900123, not 7700900123.0
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return str(value).replace("\r\n", " ").replace("\n", " ")


def _xlsx_rows(blob: Blob, ctx: ExploreContext, writer: SheetWriter) -> Iterator[str]:
    pkg = open_package(blob, ctx, "xlsx", required="xl/workbook.xml")
    try:
        pkg.stream.seek(0)
        book = call_guarded("xlsx", "not a valid workbook",
                            lambda: openpyxl.load_workbook(pkg.stream, read_only=True, data_only=True))
        try:
            for sheet in book.worksheets:
                rows = ([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True))
                yield from writer.sheet(sheet.title, rows)
        finally:
            book.close()
    finally:
        pkg.close()


def extract_xlsx(blob: Blob, ctx: ExploreContext) -> Extracted:
    """Fields for the first `chunk_chars` of text are there on return; later ones as chunks are read."""
    writer = SheetWriter(FieldSink(ctx))
    chunks = prefetch(capped(guarded("xlsx", _xlsx_rows(blob, ctx, writer), "not a valid workbook"), ctx), ctx)
    return Extracted(chunks, writer.sink.fields)


def _ods_cells(row) -> list[str]:
    cells: list[str] = []
    for cell in row:
        if cell.tag not in (TABLE + "table-cell", TABLE + "covered-table-cell"):
            continue
        text = "\n".join(odf_text(p) for p in cell.iter(TEXT + "p")).replace("\n", " ")
        repeat = min(int(cell.get(TABLE + "number-columns-repeated", "1") or 1), _MAX_REPEAT)
        cells.extend([text] * (repeat if text else min(repeat, 1)))
    return cells


def _ods_rows_named(pkg: Package) -> Iterator[tuple[str, list[str]]]:
    """(sheet name, row cells) pairs, streamed: rows are read as the table is parsed."""
    with pkg.zip.open("content.xml") as stream:
        for _event, el in iter_xml(stream, {TABLE + "table-row"}):
            table = next(el.iterancestors(TABLE + "table"), None)
            name = table.get(TABLE + "name", "") if table is not None else ""
            cells = _ods_cells(el)
            release(el)
            yield name, cells


def _ods_rows(blob: Blob, ctx: ExploreContext, writer: SheetWriter) -> Iterator[str]:
    pkg = open_package(blob, ctx, "ods", required="content.xml")
    try:
        for name, group in itertools.groupby(_ods_rows_named(pkg), key=lambda pair: pair[0]):
            yield from writer.sheet(name, (cells for _name, cells in group))
    finally:
        pkg.close()


def extract_ods(blob: Blob, ctx: ExploreContext) -> Extracted:
    writer = SheetWriter(FieldSink(ctx))
    chunks = prefetch(capped(guarded("ods", _ods_rows(blob, ctx, writer), "not a valid spreadsheet"), ctx), ctx)
    return Extracted(chunks, writer.sink.fields)
