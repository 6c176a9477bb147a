"""Word 97-2003 .doc ([MS-DOC]): the text from the piece table, and the summary properties.

A .doc does not hold its text in order. The FIB at the start of the
WordDocument stream points into the table stream (`1Table` or `0Table`) at
the CLX, whose piece table says where each run of characters lies in the
WordDocument stream: 8-bit cp1252 ("compressed") or UTF-16LE. The pieces
in order give the main text, then footnotes, headers, comments, endnotes
and text boxes. Every offset is checked against the stream it points into,
so a FIB or piece table that lies is a CorruptError, never a huge read.
"""
from __future__ import annotations

import codecs
import re
import struct
from dataclasses import dataclass, field
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from ..errors import EncryptedError, UnsupportedError
from .common import capped, corrupt, guarded, prefetch
from .decrypt import with_default_password
from .ole import open_ole, read_stream, summary_text

FMT = "doc"
MAX_PIECES = 100_000          # pieces in one piece table; Word itself writes a few thousand at most
MAX_FIELD_DEPTH = 64          # fields nested in fields; deeper ones are tracked, not kept
MAX_LINKS = 10_000            # mailto:/tel: hyperlink targets kept per document
_DECODE_CHARS = 64 * 1024     # characters decoded at a time from one piece

_WORD_IDENT = 0xA5EC
_NFIB_WORD97 = 0x00C0         # Word 97 writes 0xC1 (its betas 0xC0); Word 6/95 wrote 101..105
_F_ENCRYPTED = 0x0100
_F_WHICH_TBL_STM = 0x0200
_FIB_FLAGS = 0x0A
_FIB_CSW = 0x20               # after the 32-byte FibBase: counts of the variable-length parts
_CLX_PAIR = 33                # fcClx/lcbClx: the 34th fc/lcb pair of FibRgFcLcb97
_CLXT_PRC, _CLXT_PCDT = 0x01, 0x02
_FC_COMPRESSED = 0x40000000

_MARKS = re.compile("([\x07\x13\x14\x15])")
_CELL, _FIELD_BEGIN, _FIELD_SEP, _FIELD_END = "\x07", "\x13", "\x14", "\x15"
# Paragraph, line, page and column breaks read as newlines; object anchors (0x01, 0x08), note and
# comment references (0x02, 0x05) and the other marks carry no text of their own.
_CONTROLS = {c: "" for c in range(0x20)} | {0x09: "\t", 0x0A: "\n", 0x0B: "\n", 0x0C: "\n",
                                            0x0D: "\n", 0x0E: "\n", 0x1E: "-", 0xA0: " "}
_CONTACT_LINK = re.compile(r'HYPERLINK\s+(?:\\\w\s+)*"?(?:mailto|tel):([^"\s?]{1,320})', re.I)
_MAX_INSTRUCTION = 2048


@dataclass(frozen=True)
class Fib:
    flags: int
    fc_clx: int
    lcb_clx: int

    @property
    def table_stream(self) -> str:
        return "1Table" if self.flags & _F_WHICH_TBL_STM else "0Table"


@dataclass(frozen=True)
class Piece:
    fc: int            # byte offset of the first character in the WordDocument stream
    chars: int
    compressed: bool


def _u16(data: bytes, pos: int) -> int:
    if pos + 2 > len(data):
        raise corrupt(FMT, "FIB cut short")
    return struct.unpack_from("<H", data, pos)[0]


def read_fib(word: bytes) -> Fib:
    """The FIB fields we need, checked in the order that gives the truest reason."""
    if _u16(word, 0) != _WORD_IDENT:
        raise corrupt(FMT, "not a Word document")
    flags = _u16(word, _FIB_FLAGS)
    if flags & _F_ENCRYPTED:      # the table stream is encrypted too: nothing to read
        raise EncryptedError(f"{FMT}: password protected")
    if _u16(word, 2) < _NFIB_WORD97:
        raise UnsupportedError(f"{FMT}: Word 6/95 or older format, not read")
    csw = _u16(word, _FIB_CSW)
    cslw_at = _FIB_CSW + 2 + 2 * csw
    cb_at = cslw_at + 2 + 4 * _u16(word, cslw_at)
    if _u16(word, cb_at) <= _CLX_PAIR:
        raise corrupt(FMT, "FIB has no piece table entry")
    pair_at = cb_at + 2 + 8 * _CLX_PAIR
    if pair_at + 8 > len(word):
        raise corrupt(FMT, "FIB cut short")
    fc_clx, lcb_clx = struct.unpack_from("<II", word, pair_at)
    return Fib(flags, fc_clx, lcb_clx)


def clx_of(table: bytes, fib: Fib) -> bytes:
    if fib.lcb_clx == 0:
        raise corrupt(FMT, "no piece table")
    if fib.fc_clx + fib.lcb_clx > len(table):
        raise corrupt(FMT, "piece table beyond the table stream")
    return table[fib.fc_clx:fib.fc_clx + fib.lcb_clx]


def _plc_pcd(clx: bytes) -> bytes:
    """Skip the Prc entries (formatting of a fast save, no text) to the Pcdt's PlcPcd."""
    pos = 0
    while pos < len(clx) and clx[pos] == _CLXT_PRC:
        if pos + 3 > len(clx):
            raise corrupt(FMT, "piece table cut short")
        size = struct.unpack_from("<h", clx, pos + 1)[0]
        if size < 0:
            raise corrupt(FMT, "bad property entry in the piece table")
        pos += 3 + size
        if pos > len(clx):
            raise corrupt(FMT, "piece table cut short")
    if pos + 5 > len(clx) or clx[pos] != _CLXT_PCDT:
        raise corrupt(FMT, "no piece table")
    size = struct.unpack_from("<I", clx, pos + 1)[0]
    plc = clx[pos + 5:pos + 5 + size]
    if len(plc) != size or size < 16 or (size - 4) % 12:
        raise corrupt(FMT, "piece table of a wrong size")
    return plc


def piece_table(clx: bytes, word_size: int) -> list[Piece]:
    """The pieces: n+1 character positions, then n 8-byte descriptors (fc at byte 2)."""
    plc = _plc_pcd(clx)
    count = (len(plc) - 4) // 12
    if count > MAX_PIECES:
        raise corrupt(FMT, f"more than {MAX_PIECES} pieces")
    cps = struct.unpack_from(f"<{count + 1}I", plc)
    if any(a > b for a, b in zip(cps, cps[1:])) or cps[-1] - cps[0] > word_size:
        raise corrupt(FMT, "piece table out of order")
    pieces = []
    for k in range(count):
        fc = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * k + 2)[0]
        compressed = bool(fc & _FC_COMPRESSED)
        piece = Piece((fc & ~_FC_COMPRESSED) // 2 if compressed else fc, cps[k + 1] - cps[k], compressed)
        if piece.fc + piece.chars * (1 if compressed else 2) > word_size:
            raise corrupt(FMT, "piece beyond the document stream")
        pieces.append(piece)
    return pieces


def piece_chars(word: bytes, piece: Piece) -> Iterator[str]:
    """A piece's characters, decoded a slice at a time (a piece may be the whole document)."""
    width = 1 if piece.compressed else 2
    decoder = codecs.getincrementaldecoder("cp1252" if piece.compressed else "utf-16-le")(errors="replace")
    end = piece.fc + piece.chars * width
    for pos in range(piece.fc, end, _DECODE_CHARS * width):
        yield decoder.decode(word[pos:min(end, pos + _DECODE_CHARS * width)])
    yield decoder.decode(b"", final=True)


@dataclass
class _Field:
    in_result: bool = False
    instruction: list[str] = field(default_factory=list)


class WordText:
    """Turns Word's marks into plain text, carrying state from piece to piece.

    A field is `0x13 instruction 0x14 result 0x15` (the result is optional):
    the result is what the reader sees, so it is kept; the instruction
    (`HYPERLINK "mailto:..."`, `PAGE`) is dropped, except the address of a
    mailto:/tel: link, kept as the docx extractor keeps link targets. In a
    table each cell ends with 0x07 and each row with one more: a cell is
    followed by a tab, a row by a newline (an empty cell before a row's end
    reads as one more row end: no matter for finding people). Text in fields
    nested deeper than MAX_FIELD_DEPTH (only hostile files) is dropped.
    """

    def __init__(self):
        self.fields: list[_Field] = []
        self.hidden = 0                 # open fields whose instruction we are inside
        self.overflow = 0               # fields nested beyond MAX_FIELD_DEPTH
        self.cell_pending = False
        self.links: list[str] = []

    def feed(self, text: str) -> str:
        out: list[str] = []
        for token in _MARKS.split(text):
            if not token:
                continue
            if token == _CELL:
                if self.cell_pending:
                    out.append("\n")
                self.cell_pending = not self.cell_pending
                continue
            if self.cell_pending:
                out.append("\t")
                self.cell_pending = False
            if token in (_FIELD_BEGIN, _FIELD_SEP, _FIELD_END):
                self._mark(token)
            elif self.hidden or self.overflow:
                self._instruction(token)
            else:
                out.append(token.translate(_CONTROLS))
        return "".join(out)

    def finish(self) -> str:
        return "\t" if self.cell_pending else ""

    def _mark(self, mark: str) -> None:
        if self.overflow:
            self.overflow += (mark == _FIELD_BEGIN) - (mark == _FIELD_END)
        elif mark == _FIELD_BEGIN:
            if len(self.fields) >= MAX_FIELD_DEPTH:
                self.overflow = 1
                return
            self.fields.append(_Field())
            self.hidden += 1
        elif self.fields:   # a separator or end with no field open is stray: ignored
            top = self.fields[-1]
            if not top.in_result:
                self._instruction_done(top)
            if mark == _FIELD_SEP:
                top.in_result = True
            else:
                self.fields.pop()

    def _instruction(self, token: str) -> None:
        """Hidden text: kept (briefly) only to find a link's address in it."""
        if self.overflow:
            return
        top = self.fields[-1]
        if not top.in_result and sum(map(len, top.instruction)) < _MAX_INSTRUCTION:
            top.instruction.append(token)

    def _instruction_done(self, top: _Field) -> None:
        self.hidden -= 1
        link = _CONTACT_LINK.search("".join(top.instruction))
        if link and len(self.links) < MAX_LINKS:
            self.links.append(link.group(1))
        top.instruction.clear()


def document_text(word: bytes, table: bytes, fib: Fib) -> Iterator[str]:
    """All the document's text, given its WordDocument and table streams."""
    pieces = piece_table(clx_of(table, fib), len(word))
    marks = WordText()
    for piece in pieces:
        for text in piece_chars(word, piece):
            if out := marks.feed(text):
                yield out
    yield marks.finish() + "\n"
    if marks.links:
        yield "\n".join(marks.links) + "\n"


def _doc_text(blob: Blob, ctx: ExploreContext) -> Iterator[str]:
    with open_ole(blob, FMT) as ole:
        if not ole.exists("WordDocument"):
            raise corrupt(FMT, "no WordDocument stream")
        word = read_stream(ole, "WordDocument", blob, ctx, FMT)
        fib = read_fib(word)
        if not ole.exists(fib.table_stream):
            raise corrupt(FMT, "table stream missing")
        table = read_stream(ole, fib.table_stream, blob, ctx, FMT)
        yield from document_text(word, table, fib)
        yield from summary_text(ole, ctx)


@with_default_password   # Excel's default password ("VelvetSweatshop") opens it for anyone
def extract_doc(blob: Blob, ctx: ExploreContext) -> Extracted:
    """A damaged FIB or piece table, or encryption, raises at the call (the first chunk is read)."""
    text = guarded(FMT, _doc_text(blob, ctx), "not a valid document")
    return Extracted(prefetch(capped(text, ctx), ctx))
