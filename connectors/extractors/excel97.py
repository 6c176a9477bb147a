"""Excel 97-2003 .xls (and Excel 5/95) with xlrd: every sheet's cells, notes and contact links.

Rows become lines of cells joined by CELL_SEP and the first row of each
sheet labels the Fields below it, exactly as for .xlsx (SheetWriter).
xlrd parses the whole workbook in memory, so the file is read up to
max_member_bytes; sheets are loaded one at a time and released.
"""
from __future__ import annotations

import datetime
import io
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from ..errors import EncryptedError
from .common import FieldSink, call_guarded, capped, corrupt, guarded, prefetch
from .decrypt import with_default_password
from .ole import OLE_MAGIC, open_ole, read_stream, summary_text
from .spreadsheet import Row, SheetWriter
from .xls_links import split_hyperlinks

FMT = "xls"
_INT_DIGITS = 1e15                 # beyond this a float is no longer an exact whole number


def _number(value: float) -> str:
    """As Excel's General format shows it: 7700900123, not 7700900123.0; 0.3, not 0.30000000000000004."""
    if value.is_integer() and abs(value) < _INT_DIGITS:
        return str(int(value))
    return format(value, ".15g")


def _date(value: float, datemode: int) -> str:
    import xlrd

    try:
        when = xlrd.xldate.xldate_as_datetime(value, datemode)
    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
        return _number(value)       # a date format on a number no calendar holds
    if value < 1:
        return when.time().isoformat()
    if when.time() == datetime.time():
        return when.date().isoformat()
    return when.isoformat(sep=" ")


def _cell(ctype: int, value, datemode: int) -> str:
    import xlrd

    if ctype == xlrd.XL_CELL_TEXT:
        return value.replace("\r\n", " ").replace("\n", " ")
    if ctype == xlrd.XL_CELL_NUMBER:
        return _number(value)
    if ctype == xlrd.XL_CELL_DATE:
        return _date(value, datemode)
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "")
    return ""   # empty and blank cells


def _rows(sheet, datemode: int) -> Iterator[Row]:
    for r in range(sheet.nrows):
        cells = zip(sheet.row_types(r), sheet.row_values(r))
        row = [(c, _cell(ctype, value, datemode)) for c, (ctype, value) in enumerate(cells)]
        yield [(c, text) for c, text in row if text.strip()]


def _sheet_extras(sheet) -> Iterator[str]:
    """Cell notes (author and text), after the cells (hyperlinks: xls_links)."""
    lines = []
    for note in sheet.cell_note_map.values():
        lines.extend(v.replace("\n", " ") for v in (note.author, note.text) if v and v.strip())
    if lines:
        yield "\n".join(lines) + "\n"


def _open_book(data: bytes):
    import xlrd

    try:   # xlrd reports on its logfile (stdout by default): never let it write there
        return xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True,
                                  logfile=io.StringIO(), verbosity=0)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise EncryptedError(f"{FMT}: password protected") from None
        raise corrupt(FMT, "not a valid workbook") from None


def _sheets(data: bytes, writer: SheetWriter) -> Iterator[str]:
    book = call_guarded(FMT, "not a valid workbook", lambda: _open_book(data))
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            yield from writer.sheet(sheet.name, _rows(sheet, book.datemode))
            for extra in _sheet_extras(sheet):
                writer.offset += len(extra)     # the next sheet's Fields point past it
                yield extra
            book.unload_sheet(index)
        if book.user_name.strip():              # WRITEACCESS: who last saved it
            yield book.user_name.strip() + "\n"
    finally:
        book.release_resources()


def _xls_text(blob: Blob, ctx: ExploreContext, writer: SheetWriter) -> Iterator[str]:
    data = blob.read_all(ctx.limits.max_member_bytes)
    if not data.startswith(OLE_MAGIC):         # Excel 2-4 wrote bare BIFF, with no properties
        yield from _sheets(data, writer)
        return
    with open_ole(blob, FMT) as ole:
        stream = _workbook_stream(ole, blob, ctx)
        summary = list(summary_text(ole, ctx))
    if stream is None:
        yield from _sheets(data, writer)       # xlrd then names what is missing
    else:
        biff, links = split_hyperlinks(stream)
        yield from _sheets(biff, writer)
        if links:
            yield "\n".join(links) + "\n"
    yield from summary


def _workbook_stream(ole, blob: Blob, ctx: ExploreContext) -> bytes | None:
    """The BIFF stream itself (Excel 97+: Workbook; Excel 5/95: Book), which xlrd reads as given."""
    name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
    return read_stream(ole, name, blob, ctx, FMT) if name else None


@with_default_password   # Excel's default password ("VelvetSweatshop") opens it for anyone
def extract_xls(blob: Blob, ctx: ExploreContext) -> Extracted:
    """Fields for the first `chunk_chars` of text are there on return; later ones as chunks are read."""
    writer = SheetWriter(FieldSink(ctx))
    text = guarded(FMT, _xls_text(blob, ctx, writer), "not a valid workbook")
    return Extracted(prefetch(capped(text, ctx), ctx), writer.sink.fields)
