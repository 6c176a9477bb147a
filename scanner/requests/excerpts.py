"""Excerpts for a disclosure: the paragraph, row or message holding the subject's data,
with every other person's data detected in it replaced by `[REDACTED <TYPE>]`."""
from __future__ import annotations

import re

from connectors.document import page_at

ROW_FORMATS = ("csv", "tab-separated", "spreadsheet", "sheet")   # one row = one line of extracted text
MESSAGE_FORMATS = ("message/rfc822", "application/vnd.ms-outlook")
LINE_FORMATS = ("wordprocessingml", "opendocument.text", "presentationml", "application/pdf", "rtf",  # a paragraph
                "image/",    # a line as recognised on an OCR'd scan
                "audio/")    # a transcript line: one stretch of speech, opened by its [mm:ss.s-mm:ss.s] time range
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
# A transcript's `(possible)` line (connectors/media/number_pass.py): a number the speech engine scored
# nearly as likely as the one it wrote. The pack's reader is told so in words.
_POSSIBLE_LINE = re.compile(r"^(\[[0-9:.\-]+\] )\(possible\) ")
POSSIBLE_SAID = "(possibly said: the speech engine heard another number here about as likely) "
_LONG_BLOCK = 4000        # a "paragraph" longer than this is cut into its lines


def units(text: str, mime: str) -> list[tuple[int, int]]:
    """(start, end) of each unit: the whole message, each row, or each paragraph."""
    if mime in MESSAGE_FORMATS:
        return [(0, len(text))]
    if any(k in mime for k in ROW_FORMATS + LINE_FORMATS):
        return _lines(text, 0, len(text))
    spans, start = [], 0
    for gap in _BLANK_LINE.finditer(text):
        spans.extend(_block(text, start, gap.start()))
        start = gap.end()
    spans.extend(_block(text, start, len(text)))
    return spans


def _block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start > _LONG_BLOCK:
        return _lines(text, start, end)
    return [(start, end)] if text[start:end].strip() else []


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, at = [], start
    for line in text[start:end].split("\n"):
        if line.strip():
            spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


def excerpts(text: str, mime: str, mine: list, others: list, pages: list = ()) -> list[str]:
    """Every unit holding one of the subject's findings, other people's findings redacted.

    Where the text has pages, each excerpt names its page, and says when its
    text was recognised by OCR from a scan: `[page 2, recognised by OCR] ...`."""
    placed_mine = [f for f in mine if f.start >= 0]
    out = []
    for start, end in units(text, mime):
        if any(f.start < end and f.end > start for f in placed_mine):
            out.append(_page_label(pages, start) + _marked(redact_span(text, start, end, others).strip(), mime))
    return out


def _marked(excerpt: str, mime: str) -> str:
    return _POSSIBLE_LINE.sub(lambda m: m.group(1) + POSSIBLE_SAID, excerpt) if mime.startswith("audio/") else excerpt


def _page_label(pages: list, offset: int) -> str:
    mark = page_at(pages, offset)
    if mark is None:
        return ""
    return f"[{mark.label}{', recognised by OCR' if mark.ocr else ''}] "


def redact_span(text: str, start: int, end: int, others: list) -> str:
    pieces, at = [], start
    for f in sorted((f for f in others if f.start >= 0 and f.start < end and f.end > start),
                    key=lambda f: (f.start, -f.end)):
        if f.start < at:          # overlaps one already redacted
            if f.end > at:
                at = min(f.end, end)
            continue
        pieces.append(text[at:f.start])
        pieces.append(f"[REDACTED {f.entity_type}]")
        at = min(f.end, end)
    pieces.append(text[at:end])
    return "".join(pieces)
