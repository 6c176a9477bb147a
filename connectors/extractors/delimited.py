"""CSV/TSV: streamed row by row; every non-empty cell becomes a Field labelled by its column header.

Each row becomes one line with cells joined by CELL_SEP, so values in
neighbouring cells never run together (a phone number next to a postcode
stays two values).
"""
from __future__ import annotations

import csv
import io
import sys
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .common import FieldSink, corrupt, guarded, prefetch
from .csv_sniff import CandidateSniffer
from .encoding import decode_head, guess_encoding

CELL_SEP = " | "
_ROWS_PER_CHUNK = 2000
_FIELD_LIMIT = 16 * 1024 * 1024   # one cell; csv's default 128 KiB refuses real exports


def _dialect(head: bytes, tab: bool) -> type[csv.Dialect] | csv.Dialect:
    if tab:
        return csv.excel_tab
    sample = decode_head(head)[:64 * 1024]
    try:
        return CandidateSniffer().sniff(sample, delimiters=",;|\t")
    except csv.Error:
        return csv.excel


def _rows(blob: Blob, ctx: ExploreContext, tab: bool, sink: FieldSink) -> Iterator[str]:
    head = blob.head()
    csv.field_size_limit(min(_FIELD_LIMIT, sys.maxsize))
    with blob.open() as raw:
        text = io.TextIOWrapper(raw, encoding=guess_encoding(head), errors="replace", newline="")
        reader = csv.reader(text, dialect=_dialect(head, tab))
        headers: list[str] | None = None
        offset = 0
        lines: list[str] = []
        for row in reader:
            if headers is None:
                headers = [cell.strip() for cell in row]
            else:
                _add_fields(sink, headers, row, offset)
            line = CELL_SEP.join(row) + "\n"
            lines.append(line)
            offset += len(line)
            if len(lines) >= _ROWS_PER_CHUNK:
                yield "".join(lines)
                lines = []
        if lines:
            yield "".join(lines)


def _add_fields(sink: FieldSink, headers: list[str], row: list[str], line_start: int) -> None:
    start = line_start
    for i, cell in enumerate(row):
        label = headers[i] if i < len(headers) and headers[i] else f"column {i + 1}"
        sink.add(label, cell, start)
        start += len(cell) + len(CELL_SEP)


def _extract(blob: Blob, ctx: ExploreContext, tab: bool) -> Extracted:
    """Fields for the first `chunk_chars` of text are there on return; later ones as chunks are read."""
    sink = FieldSink(ctx)
    if b"\x00" in blob.head() and not guess_encoding(blob.head()).startswith("utf-16"):
        raise corrupt("csv", "binary data")
    chunks = prefetch(guarded("csv", _rows(blob, ctx, tab, sink), "malformed"), ctx)
    return Extracted(chunks, sink.fields)


def extract_csv(blob: Blob, ctx: ExploreContext) -> Extracted:
    return _extract(blob, ctx, tab=False)


def extract_tsv(blob: Blob, ctx: ExploreContext) -> Extracted:
    return _extract(blob, ctx, tab=True)
