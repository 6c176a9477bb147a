"""What connectors hand to the scanner: items with metadata and, lazily, text."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .location import Location


@dataclass(frozen=True)
class Field:
    """A structural hint: a value the file itself labels.

    `label` is the CSV/XLSX column header, the email header name (`From`,
    `To`, `Cc`, `Reply-To`, `Bcc`) or the vCard property (`FN`). `start` is
    the value's offset in the extracted text, or -1 when it is not placed
    there. Detectors decide which labels mean a person's name.
    """

    label: str
    value: str
    start: int = -1


@dataclass(frozen=True)
class PageMark:
    """Where a page (or an embedded image) starts in the extracted text.

    `page` is 1-based, 0 for an image that is not a page (a picture in a
    DOCX); `label` names it (`page 3`, `image word/media/image1.png`);
    `ocr` says its text was recognised from pixels; `note` records a limit
    that stopped it being read (`limit: ocr_max_pages`).
    """

    start: int
    page: int
    ocr: bool = False
    label: str = ""
    note: str = ""


class PageText(str):
    """A piece of text that starts a page: `paged()` turns it into a PageMark."""

    def __new__(cls, text: str, page: int, ocr: bool = False, label: str = "", note: str = ""):
        piece = super().__new__(cls, text)
        piece.page, piece.ocr, piece.label, piece.note = page, ocr, label or f"page {page}", note
        return piece


@dataclass
class Extracted:
    """Extracted text as chunks (concatenated, they are the document's text).

    `pages` fills in as the chunks are read (as `fields` do) for formats that
    have pages or recognised images; empty for the others.
    """

    chunks: Iterable[str]
    fields: list[Field] = field(default_factory=list)
    pages: list[PageMark] = field(default_factory=list)
    spoken: bool = False             # a transcript: spoken forms ("oh one one three") to be written out

    @classmethod
    def paged(cls, pieces: Iterable[str], fields: list[Field] | None = None) -> "Extracted":
        """Text whose PageText pieces mark where each page starts."""
        marks: list[PageMark] = []
        return cls(_track_pages(pieces, marks), fields or [], marks)

    @classmethod
    def of(cls, text: str, fields: list[Field] | None = None) -> "Extracted":
        return cls([text], fields or [])

    def text(self) -> str:
        """The whole text; only for callers that accept the memory cost (detect, sar)."""
        return "".join(self.chunks)


def _track_pages(pieces: Iterable[str], marks: list[PageMark]) -> Iterator[str]:
    offset = 0
    for piece in pieces:
        if isinstance(piece, PageText):
            marks.append(PageMark(offset, piece.page, piece.ocr, piece.label, piece.note))
            piece = str(piece)
        offset += len(piece)
        yield piece


def page_at(marks: list[PageMark], offset: int) -> PageMark | None:
    """The page holding the character at `offset` (None before the first mark or without marks)."""
    at = bisect.bisect_right(marks, offset, key=lambda m: m.start)
    return marks[at - 1] if at else None


def chunked(text_pieces: Iterable[str], size: int) -> Iterator[str]:
    """Regroup a stream of small pieces into chunks of about `size` characters."""
    buf: list[str] = []
    n = 0
    for piece in text_pieces:
        buf.append(piece)
        n += len(piece)
        if n >= size:
            yield "".join(buf)
            buf, n = [], 0
    if buf:
        yield "".join(buf)


@dataclass
class Item:
    """One location found while exploring: a file, a member, a message.

    `extract`, when set, returns the item's own text. It must be called before
    the explorer is advanced (the bytes behind it may be released after).
    """

    location: Location
    content_hash: str
    mime: str
    size: int
    mtime: float | None = None
    owner: str | None = None
    status: str = "ok"                 # ok | skipped | error | encrypted | timeout
    reason: str = ""
    container: bool = False
    extract: Callable[[], Extracted] | None = None
    duration_s: float | None = None    # recordings: their length
    started: str | None = None         # recordings: when the call began, ISO 8601, as the file says


@dataclass
class Skipped:
    """A member a container could not hand over (encrypted, over a limit)."""

    location: Location
    status: str
    reason: str
    size: int = 0
    mtime: float | None = None
