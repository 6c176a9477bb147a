"""PowerPoint 97-2003 .ppt ([MS-PPT]): the text atoms of the `PowerPoint Document` stream, and the
summary properties.

The stream is a tree of records (an 8-byte header: version/instance, type, length; a version of 0xF
marks a container whose body is more records). Slide text, notes, outline text and comments sit in
TextCharsAtom (UTF-16LE), TextBytesAtom (8-bit) and CString (UTF-16LE) atoms wherever they are in
the tree, so the tree is walked whole, in stream order, and every such atom becomes a line. Every
length is checked against its parent, so a record that lies is a CorruptError, never a huge read.
"""
from __future__ import annotations

import struct
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from ..errors import EncryptedError
from .common import capped, corrupt, guarded, prefetch
from .decrypt import with_default_password
from .ole import open_ole, read_stream, summary_text

FMT = "ppt"
MAX_RECORDS = 2_000_000        # a large real deck has tens of thousands
MAX_DEPTH = 64                 # containers inside containers; real decks go a few levels deep
_HEADER = struct.Struct("<HHI")
_CONTAINER_VERSION = 0xF
_TEXT_CHARS, _TEXT_BYTES, _CSTRING = 0x0FA0, 0x0FA8, 0x0FBA
_CRYPT_SESSION = 0x2F14        # CryptSession10Container: the deck is encrypted
# CString atoms hold comment authors and texts, and also font names and media paths: all are kept
# (a little noise costs nothing; a comment's author is a person).
_TEXT_CONTROLS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x00": ""})


@with_default_password   # Excel's default password ("VelvetSweatshop") opens it for anyone
def extract_ppt(blob: Blob, ctx: ExploreContext) -> Extracted:
    return Extracted(prefetch(capped(guarded(FMT, _text(blob, ctx)), ctx), ctx), [])


def _text(blob: Blob, ctx: ExploreContext) -> Iterator[str]:
    with open_ole(blob, FMT) as ole:
        if ole.exists("EncryptedSummary"):
            raise EncryptedError(f"{FMT}: password protected")
        if not ole.exists("PowerPoint Document"):
            raise corrupt(FMT, "no PowerPoint Document stream")
        stream = read_stream(ole, "PowerPoint Document", blob, ctx, FMT)
        yield from summary_text(ole, ctx)
    yield from _atoms(stream)


def _atoms(stream: bytes) -> Iterator[str]:
    """Every text atom's text, one per line, walking the record tree in stream order."""
    ends = [len(stream)]            # where each open container ends; the stream is the outermost
    position, records = 0, 0
    while position < len(stream):
        while position >= ends[-1]:
            ends.pop()
        if position + _HEADER.size > ends[-1]:
            raise corrupt(FMT, "record header cut short")
        version_instance, kind, length = _HEADER.unpack_from(stream, position)
        body = position + _HEADER.size
        if body + length > ends[-1]:
            raise corrupt(FMT, "record longer than its container")
        records += 1
        if records > MAX_RECORDS:
            raise corrupt(FMT, f"more than {MAX_RECORDS} records")
        if kind == _CRYPT_SESSION:
            raise EncryptedError(f"{FMT}: password protected")
        if version_instance & 0xF == _CONTAINER_VERSION:
            if len(ends) > MAX_DEPTH:
                raise corrupt(FMT, f"records nested deeper than {MAX_DEPTH}")
            ends.append(body + length)
            position = body
            continue
        text = _atom_text(kind, stream[body:body + length])
        if text:
            yield text + "\n"
        position = body + length


def _atom_text(kind: int, data: bytes) -> str:
    if kind in (_TEXT_CHARS, _CSTRING):
        text = data[:len(data) - len(data) % 2].decode("utf-16-le", errors="replace")
    elif kind == _TEXT_BYTES:
        text = data.decode("cp1252", errors="replace")
    else:
        return ""
    return text.translate(_TEXT_CONTROLS).strip()
