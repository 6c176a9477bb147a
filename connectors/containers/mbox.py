"""mbox mailboxes, streamed: split on `From ` lines while reading, one message at a time.

A multi-GB mailbox is never loaded whole; each message is read into memory
(or a private temp file when large) as a message/rfc822 blob. A `From ` line
starts a message only at the top of the file or after a blank line, so an
unescaped "From " at the start of a body line does not split a message.
`>From ` escapes (mboxrd) are undone by one level.
"""
from __future__ import annotations

import re
from typing import BinaryIO, Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Skipped
from ..limits import LimitExceeded
from .budget import ContainerBudget, MemberLimit, NameDeduper, released
from .rfc822 import message_id

_ESCAPED_FROM = re.compile(rb"^>(>*From )")
_LINE_LIMIT = 1024 * 1024   # a "line" longer than this is read in pieces


class _LineSource:
    """Lines of the mailbox, knowing which ones start a new message."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.pending: tuple[bytes, bool] | None = None
        self.previous_blank = True      # the top of the file counts as "after a blank line"
        self.at_line_start = True
        self.is_separator = False       # about the line last returned

    def next_line(self) -> bytes | None:
        if self.pending is not None:
            (line, self.is_separator), self.pending = self.pending, None
            return line
        line = self.stream.readline(_LINE_LIMIT)
        if not line:
            self.is_separator = False
            return None
        whole_line = self.at_line_start      # False for the rest of an over-long line
        self.at_line_start = line.endswith(b"\n")
        self.is_separator = whole_line and self.previous_blank and line.startswith(b"From ")
        self.previous_blank = whole_line and line.strip() == b""
        return line

    def push_back(self, line: bytes | None) -> None:
        if line is not None:
            self.pending = (line, self.is_separator)


class _MessageReader:
    """A file-like view of one message: reads lines until the next separator."""

    def __init__(self, source: _LineSource):
        self.source = source
        self.done = False

    def read(self, n: int = -1) -> bytes:
        out: list[bytes] = []
        size = 0
        while not self.done and (n < 0 or size < n):
            line = self.source.next_line()
            if line is None or self.source.is_separator:
                self.source.push_back(line)
                self.done = True
                break
            if line.startswith(b">"):    # the only lines the pattern can change: no regex call for the rest
                line = _ESCAPED_FROM.sub(rb"\1", line)
            out.append(line)
            size += len(line)
        return b"".join(out)


class MboxContainer:
    def members(self, blob: Blob, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        with blob.open() as stream:
            yield from self._messages(blob, _LineSource(stream), ctx)

    def _messages(self, blob: Blob, source: _LineSource, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        budget = ContainerBudget(ctx, decompresses=False)
        unique = NameDeduper()
        n = 0
        while (first := source.next_line()) is not None:
            if not source.is_separator and not first.strip():
                continue   # blank lines between messages
            n += 1
            budget.next_member()
            if not source.is_separator:
                source.push_back(first)   # no From_ line at the top: the message starts here
            yield from self._one(blob, _MessageReader(source), n, budget, unique, ctx)
        budget.raise_if_incomplete()

    def _one(self, blob, reader: _MessageReader, n: int, budget: ContainerBudget,
             unique: NameDeduper, ctx) -> Iterator[Blob | Skipped]:
        placeholder = blob.location.child(f"message-{n}")
        try:
            message = budget.read(placeholder, reader, compressed=None, mtime=blob.mtime,
                                  mime_hint="message/rfc822")
        except MemberLimit as exc:
            while reader.read(_LINE_LIMIT):   # skip the rest of this message
                pass
            yield budget.skipped(placeholder, exc, mtime=blob.mtime)
            return
        except LimitExceeded:
            raise
        name = unique(message_id(message.head()) or f"message-{n}")
        message.location = blob.location.child(name)
        yield from released(message, ctx.tmpdir)
