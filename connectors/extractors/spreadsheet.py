"""XLSX (openpyxl, read-only, values only: xlsx_book) and ODS (streamed content.xml).

Each sheet's rows become lines of cells joined by CELL_SEP; the first row
of a sheet is its header, and every non-empty cell below it becomes a Field
labelled by that header.
"""
from __future__ import annotations

import datetime
import itertools
from typing import Iterable, Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .common import FieldSink, call_guarded, capped, guarded, prefetch
from .delimited import CELL_SEP
from .office import TEXT, iter_xml, odf_text, release
from .properties import people_lines
from .xlsx_links import link_text
from .zipguard import Package, open_package

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ROWS_PER_CHUNK = 2000


Row = list[tuple[int, str]]   # (column index, text) of the non-empty cells only


class SheetWriter:
    """Turns sparse rows into text lines and Fields, tracking offsets.

    Rows are sparse so that a sheet whose cells sit in far columns (or that
    claims a 16384-column width) costs what its real cells cost.
    """

    def __init__(self, sink: FieldSink):
        self.sink = sink
        self.offset = 0

    def sheet(self, title: str, rows: Iterable[Row]) -> Iterator[str]:
        headers: dict[int, str] | None = None
        lines = [f"{title}\n"]
        self.offset += len(lines[0])
        for row in rows:
            if not row:
                continue
            if headers is None:
                headers = {col: text.strip() for col, text in row}
            else:
                self._fields(headers, row)
            line = CELL_SEP.join(text for _col, text in row) + "\n"
            lines.append(line)
            self.offset += len(line)
            if len(lines) >= _ROWS_PER_CHUNK:
                yield "".join(lines)
                lines = []
        yield "".join(lines)

    def extra(self, pieces: Iterable[str]) -> Iterator[str]:
        """Text after the sheets (links, notes): counted, so later Fields keep true offsets."""
        for piece in pieces:
            self.offset += len(piece)
            yield piece

    def _fields(self, headers: dict[int, str], row: Row) -> None:
        start = self.offset
        for col, text in row:
            self.sink.add(headers.get(col) or f"column {col + 1}", text, start)
            start += len(text) + len(CELL_SEP)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))    # a phone number typed as a number: 7700900123, not 7700900123.0
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return str(value).replace("\r\n", " ").replace("\n", " ")


def _xlsx_rows(blob: Blob, ctx: ExploreContext, writer: SheetWriter) -> Iterator[str]:
    from .xlsx_book import open_book   # openpyxl, 0.1 s of imports: paid only where a workbook is met

    pkg = open_package(blob, ctx, "xlsx", required="xl/workbook.xml")
    try:
        # openpyxl's workbook, read-only, values only, external links skipped (xlsx_links reads them)
        book = call_guarded("xlsx", "not a valid workbook", lambda: open_book(pkg.stream))
        try:
            for sheet in book.worksheets:
                sheet.reset_dimensions()   # never trust (or pad to) the sheet's declared size
                rows = ([(i, _cell(v)) for i, v in enumerate(row) if v is not None and v != ""]
                        for row in sheet.iter_rows(values_only=True))
                yield from writer.sheet(sheet.title, rows)
        finally:
            book.close()
        yield from people_lines(pkg)     # author, last modified by, manager, comment authors
        yield from writer.extra(link_text(pkg))
    finally:
        pkg.close()


def extract_xlsx(blob: Blob, ctx: ExploreContext) -> Extracted:
    """Fields for the first `chunk_chars` of text are there on return; later ones as chunks are read."""
    writer = SheetWriter(FieldSink(ctx))
    text = guarded("xlsx", _xlsx_rows(blob, ctx, writer), "not a valid workbook")
    chunks = prefetch(capped(text, ctx), ctx)
    return Extracted(chunks, writer.sink.fields)


def _ods_cells(row) -> Row:
    cells: Row = []
    col = 0
    for cell in row:
        if cell.tag not in (TABLE + "table-cell", TABLE + "covered-table-cell"):
            continue
        text = " ".join(odf_text(p) for p in cell.iter(TEXT + "p")).replace("\n", " ")
        repeat = _count(cell.get(TABLE + "number-columns-repeated"))
        if text:   # a value repeated across columns is the same value: kept once
            cells.append((col, text))
        col += repeat
    return cells


def _count(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


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
        yield from people_lines(pkg)
    finally:
        pkg.close()


def extract_ods(blob: Blob, ctx: ExploreContext) -> Extracted:
    writer = SheetWriter(FieldSink(ctx))
    text = guarded("ods", _ods_rows(blob, ctx, writer), "not a valid spreadsheet")
    chunks = prefetch(capped(text, ctx), ctx)
    return Extracted(chunks, writer.sink.fields)
