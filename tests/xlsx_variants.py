"""Workbooks in the shapes a values-only reader must get right: dates and their formats, the 1904 epoch,
formulas, inline and rich strings, booleans and errors, chartsheets, defined names, missing parts.

Shared by tests/test_xlsx_book.py and benchmarks/xlsx_book_check.py, which read each one through
connectors.extractors.xlsx_book and through openpyxl.load_workbook and compare every value.
"""
from __future__ import annotations

import datetime
import io
import re
import zipfile


def _book():
    import openpyxl
    return openpyxl.Workbook()


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(xlsx: bytes, edit) -> bytes:
    """Each part passed through `edit(name, data) -> bytes | None` (None drops the part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = edit(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info.filename, data)
    return out.getvalue()


def dates(epoch_1904: bool = False) -> bytes:
    from openpyxl.utils.datetime import MAC_EPOCH
    book = _book()
    if epoch_1904:
        book.epoch = MAC_EPOCH
    ws = book.active
    ws.append(["Name", "Born", "Seen", "Length", "Clock", "Amount", "Ratio"])
    formats = ("dd/mm/yyyy", "yyyy-mm-dd hh:mm", "[h]:mm:ss", "h:mm AM/PM", "#,##0.00", "0.0%")
    values = (datetime.date(1980, 2, 29), datetime.datetime(2024, 5, 1, 9, 30), datetime.timedelta(hours=30, minutes=5),
              datetime.time(17, 45), 1234.5, 0.125)
    for n in range(3):
        ws.append(["Jane Smith"] + list(values))
        for col, fmt in enumerate(formats, 2):
            ws.cell(row=n + 2, column=col).number_format = fmt
    ws.append(["builtin 14", 45000])
    ws.cell(row=ws.max_row, column=2).number_format = "mm-dd-yy"
    ws.append(["serial only", 45000.75, -1, 2958466])   # no date format; then bad serials under one
    ws.cell(row=ws.max_row, column=3).number_format = "yyyy-mm-dd"
    ws.cell(row=ws.max_row, column=4).number_format = "yyyy-mm-dd"
    return _save(book)


def formulas() -> bytes:
    book = _book()
    ws = book.active
    ws.append(["a", "b", "sum", "text"])
    ws.append([1, 2, "=A2+B2", '=CONCATENATE("Jane"," ","Smith")'])
    data = _save(book)

    def cached(name, part):   # a cached value, as Excel writes it next to the formula
        if name == "xl/worksheets/sheet1.xml":
            part = part.replace(b"<f>A2+B2</f><v></v>", b"<f>A2+B2</f><v>3</v>")
            part = re.sub(rb'(<c r="D2"[^>]*)>(<f>.*?</f>)<v\s*/?>(</v>)?', rb'\1 t="str">\2<v>Jane Smith</v>', part)
        return part
    return _rewrite(data, cached)


def typed_cells() -> bytes:
    """Inline strings, rich text, booleans, errors, t="str", t="d", cells without `r`, sparse rows."""
    book = _book()
    ws = book.active
    ws.append(["header", "x"])
    ws.append(["placeholder"])
    data = _save(book)
    row = (b'<row r="3"><c r="A3" t="inlineStr"><is><t>Jane Inline</t></is></c>'
           b'<c r="B3" t="inlineStr"><is><r><t>Rich </t></r><r><rPr><b/></rPr><t xml:space="preserve">Text </t></r>'
           b'<rPh sb="0" eb="1"><t>PHONETIC</t></rPh></is></c>'
           b'<c r="C3" t="b"><v>1</v></c><c r="D3" t="e"><v>#N/A</v></c><c r="E3" t="str"><v>str cell</v></c>'
           b'<c r="F3" t="d"><v>2024-02-29T10:00:00</v></c><c r="H3" t="n"><v>7700900123</v></c></row>'
           b'<row r="7"><c t="inlineStr"><is><t>no ref one</t></is></c><c><v>2.5</v></c></row>'
           b'<row><c r="C8" t="inlineStr"><is><t>row without r</t></is></c></row>')

    def add_rows(name, part):
        if name == "xl/worksheets/sheet1.xml":
            part = part.replace(b"</sheetData>", row + b"</sheetData>")
        return part
    return _rewrite(data, add_rows)


def rich_shared_strings() -> bytes:
    book = _book()
    book.active.append(["Ann Rich", "Bob Plain"])
    data = _save(book)

    def rich(name, part):
        if name == "xl/sharedStrings.xml":
            part = re.sub(rb"<si><t>Ann Rich</t></si>",
                          rb'<si><r><t>Ann </t></r><r><rPr><i/></rPr><t>Rich</t></r><rPh sb="0" eb="1"><t>A</t></rPh></si>',
                          part)
        return part
    return _rewrite(data, rich)


def chartsheet() -> bytes:
    from openpyxl.chart import BarChart, Reference
    book = _book()
    ws = book.active
    for n in range(1, 4):
        ws.append([f"name {n}", n])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=3))
    book.create_chartsheet("Chart").add_chart(chart)
    book.create_sheet("After").append(["after the chart", "Jane Smith"])
    return _save(book)


def defined_names() -> bytes:
    from openpyxl.workbook.defined_name import DefinedName
    book = _book()
    ws = book.active
    ws.title = "People"
    ws.append(["Name", "Email"])
    ws.append(["Jane Smith", "jane@example.com"])
    ws.print_area = "A1:B2"
    ws.print_title_rows = "1:1"
    ws.defined_names["local"] = DefinedName("local", attr_text="People!$A$1")
    book.defined_names["everywhere"] = DefinedName("everywhere", attr_text="People!$B$2")
    book.create_sheet("Second").append(["second sheet", 1])
    return _save(book)


def without_styles() -> bytes:
    book = _book()
    book.active.append(["Jane Smith", 45000])
    return _rewrite(_save(book), lambda name, part: None if name == "xl/styles.xml" else part)


def without_shared_strings() -> bytes:
    data = typed_cells()
    return _rewrite(data, lambda name, part: None if name == "xl/sharedStrings.xml" else part)


def missing_sheet_part() -> bytes:
    book = _book()
    book.active.append(["first", 1])
    book.create_sheet("Gone").append(["second", 2])
    return _rewrite(_save(book), lambda name, part: None if name == "xl/worksheets/sheet2.xml" else part)


def hidden_and_many_sheets() -> bytes:
    book = _book()
    for n in range(5):
        ws = book.active if n == 0 else book.create_sheet(f"S{n}")
        ws.append([f"sheet {n}", n, n * 1.5])
        if n == 2:
            ws.sheet_state = "hidden"
    return _save(book)


def broken_styles() -> bytes:
    return _rewrite(dates(), lambda name, part: part.replace(b"<numFmts", b"<numFmts broken=") if name == "xl/styles.xml" else part)


def bad_core_properties() -> bytes:
    def bad(name, part):
        if name == "docProps/core.xml":
            part = re.sub(rb"<dcterms:created([^>]*)>[^<]*<", rb"<dcterms:created\1>not a date<", part)
        return part
    return _rewrite(dates(), bad)


def workbook_xml_without_sheets_ids() -> bytes:
    book = _book()
    book.active.append(["only", 1])
    return _rewrite(_save(book), lambda name, part: part.replace(b' r:id="rId1"', b"") if name == "xl/workbook.xml" else part)


VARIANTS = {
    "dates": dates, "dates, 1904 epoch": lambda: dates(epoch_1904=True), "formulas with cached values": formulas,
    "inline, rich, typed cells": typed_cells, "rich shared strings": rich_shared_strings, "chartsheet": chartsheet,
    "defined names": defined_names, "no styles.xml": without_styles, "no sharedStrings.xml": without_shared_strings,
    "a sheet's part missing": missing_sheet_part, "hidden and many sheets": hidden_and_many_sheets,
    "broken styles.xml": broken_styles, "bad core properties": bad_core_properties,
    "a sheet without r:id": workbook_xml_without_sheets_ids,
}


def read_values(open_workbook, xlsx: bytes):
    """('ok', [(title, rows)]) as the extractor reads a workbook, or ('error', exception type)."""
    try:
        book = open_workbook(io.BytesIO(xlsx))
        try:
            sheets = []
            for sheet in book.worksheets:
                sheet.reset_dimensions()
                sheets.append((sheet.title, [tuple(row) for row in sheet.iter_rows(values_only=True)]))
            return "ok", sheets
        finally:
            book.close()
    except Exception as exc:
        return "error", type(exc).__name__
