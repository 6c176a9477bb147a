"""An .xlsx opened for its cell values: openpyxl's own reader, without the parts a values-only read never uses.

`openpyxl.load_workbook` builds a whole Workbook (default fonts, fills and named styles, ~0.7 ms) and
turns every style of styles.xml into objects (~0.8 ms): over half of reading a small workbook (issue 16).
A read-only, values-only read uses from all that only which cell formats are dates. `open_book` runs
openpyxl's ExcelReader steps in their order on a light workbook holding the attributes those steps set,
and works out the date formats with openpyxl's `apply_stylesheet` once per distinct styles.xml. The cells
are still read by openpyxl's ReadOnlyWorksheet and WorkSheetParser, so every value is openpyxl's.

Whatever the light workbook does not hold (a chartsheet, kept VBA) raises, and any failure at all sends the
package to `openpyxl.load_workbook`, whose workbook (or error) is the one read before.
"""
from __future__ import annotations

import hashlib
import threading
from typing import BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.reader import excel
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.datetime import WINDOWS_EPOCH
from openpyxl.workbook.defined_name import DefinedNameList
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import ARC_STYLE, XLTM, XLTX


def open_book(stream: BinaryIO):
    """The workbook openpyxl.load_workbook(read_only, data_only, keep_links=False) gives, for reading values."""
    try:
        reader = _LightReader(stream)
        reader.read()
        return reader.wb
    except MemoryError:
        raise
    except Exception:     # what the light path does not cover, or a damaged package: openpyxl decides
        stream.seek(0)
        return load_workbook(stream, read_only=True, data_only=True, keep_links=False)


class _LightBook:
    """The attributes openpyxl's read steps set and its read-only sheets read, with Workbook's defaults."""

    _data_only = False
    _read_only = False
    template = False
    epoch = WINDOWS_EPOCH
    code_name = None
    active = 0

    def __init__(self):
        self._sheets: list = []
        self._external_links: list = []
        self._date_formats: object = {}
        self._timedelta_formats: object = {}

    @property
    def data_only(self) -> bool:
        return self._data_only

    @property
    def worksheets(self) -> list:
        return [s for s in self._sheets if isinstance(s, ReadOnlyWorksheet)]

    def close(self) -> None:
        if hasattr(self, "_archive"):
            self._archive.close()


class _LightParser(WorkbookParser):
    def __init__(self, archive, workbook_part_name, keep_links=True):   # as openpyxl's, on a light workbook
        self.archive = archive
        self.workbook_part_name = workbook_part_name
        self.defined_names = DefinedNameList()
        self.wb = _LightBook()
        self.keep_links = keep_links
        self.sheets = []


class _LightReader(excel.ExcelReader):
    def __init__(self, stream: BinaryIO):
        stream.seek(0)
        super().__init__(stream, read_only=True, data_only=True, keep_links=False)
        if self.keep_vba:
            self.archive.close()
            raise NotImplementedError("kept VBA: openpyxl's own reader")

    def read(self) -> None:
        """ExcelReader.read's steps, in its order, with the stylesheet reduced to its date formats."""
        try:
            self.read_manifest()
            self.read_strings()
            self.read_workbook()
            self.read_properties()
            self.read_custom()
            self.read_theme()
            self.wb._date_formats, self.wb._timedelta_formats = _STYLES.date_formats(self.archive)
            self.read_worksheets()
            self.parser.assign_names()
        except BaseException:
            self.archive.close()
            raise

    def read_workbook(self) -> None:
        """ExcelReader.read_workbook, with the parser's light workbook."""
        wb_part = excel._find_workbook_part(self.package)
        self.parser = _LightParser(self.archive, wb_part.PartName[1:], keep_links=self.keep_links)
        self.parser.parse()
        wb = self.parser.wb
        wb._data_only = self.data_only
        wb._read_only = self.read_only
        wb.template = wb_part.ContentType in (XLTX, XLTM)
        wb._archive = self.archive
        self.wb = wb


class _StyleDates:
    """(date formats, timedelta formats) of each distinct styles.xml this process has read.

    They are a function of the part's bytes alone, and one application writes the same styles.xml into
    every workbook it makes. Bounded, emptied when full; per process (one per thread would only cost
    more misses, so the dict is shared under a lock)."""

    MAX_KEPT = 512

    def __init__(self):
        self.kept: dict[bytes, tuple[object, object]] = {}
        self.lock = threading.Lock()

    def date_formats(self, archive) -> tuple[object, object]:
        try:
            src = archive.read(ARC_STYLE)
        except KeyError:   # no styles: Workbook's defaults, as apply_stylesheet leaves them
            src = None
        key = hashlib.blake2b(src, digest_size=16).digest() if src is not None else b""
        with self.lock:
            known = self.kept.get(key)
        if known is not None:
            return known
        book = Workbook()
        apply_stylesheet(archive, book)
        known = (book._date_formats, book._timedelta_formats)
        with self.lock:
            if len(self.kept) >= self.MAX_KEPT:
                self.kept.clear()
            self.kept[key] = known
        return known


_STYLES = _StyleDates()
