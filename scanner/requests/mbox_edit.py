"""Rewriting an mbox without some messages, streamed: one message in memory at a time.

Messages are split exactly as the connector splits them (a `From ` line at
the top of the file or after a blank line) and named the same way
(`<Message-ID>`, else `message-N`; clashes become `name (2)`), so a plan's
location URI names the same message here. Kept messages are copied byte for
byte.
"""
from __future__ import annotations

import io
import re
from typing import BinaryIO, Callable, Iterable, Iterator

from connectors.containers.budget import NameDeduper
from connectors.containers.rfc822 import message_id

_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.M)
_HEAD_BYTES = 64 * 1024


def iter_messages(lines: Iterable[bytes]) -> Iterator[tuple[str, list[bytes]]]:
    """(member name, the message's lines as stored, From_ line included), in file order."""
    unique = NameDeduper()
    current: list[bytes] = []
    previous_blank, n = True, 0
    for line in lines:
        starts = previous_blank and line.startswith(b"From ")
        previous_blank = line.strip() == b""
        if starts and current:
            n += 1
            yield _named(current, n, unique), current
            current = []
        if not current and not starts and previous_blank:
            continue          # blank lines before the first message
        current.append(line)
    if current:
        n += 1
        yield _named(current, n, unique), current


def _named(lines: list[bytes], n: int, unique: NameDeduper) -> str:
    body = lines[1:] if lines[0].startswith(b"From ") else lines
    head = _ESCAPED_FROM.sub(rb"\1", b"".join(_take(body, _HEAD_BYTES)))
    return unique(message_id(head) or f"message-{n}")


def _take(lines: list[bytes], limit: int) -> list[bytes]:
    out, size = [], 0
    for line in lines:
        if size >= limit:
            break
        out.append(line)
        size += len(line)
    return out


def split_messages(raw: bytes) -> list[tuple[str, bytes]]:
    return [(name, b"".join(lines)) for name, lines in iter_messages(io.BytesIO(raw))]


def copy_without(source: BinaryIO, target: BinaryIO, names: set[str]) -> set[str]:
    """Copy the mailbox from `source` to `target` leaving out the named messages; returns those removed."""
    removed = set()
    for name, lines in iter_messages(source):
        if name in names:
            removed.add(name)
        else:
            target.writelines(lines)
    return removed


_UNESCAPED_FROM = re.compile(rb"^From ", re.M)


def copy_edited(source: BinaryIO, target: BinaryIO, remove: set[str],
                redact: dict[str, Callable[[bytes], bytes]]) -> tuple[set[str], set[str]]:
    """Copy the mailbox leaving out the messages named in `remove` and passing those named in
    `redact` through their editor (the message without its `From ` line, as an .eml holds it).
    Returns (removed, changed by their editor)."""
    removed, changed = set(), set()
    for name, lines in iter_messages(source):
        if name in remove:
            removed.add(name)
            continue
        if name in redact:
            edited = _edited(lines, redact[name])
            if edited != lines:
                changed.add(name)
                lines = edited
        target.writelines(lines)
    return removed, changed


def _edited(lines: list[bytes], edit: Callable[[bytes], bytes]) -> list[bytes]:
    separator, body = (lines[:1], lines[1:]) if lines[0].startswith(b"From ") else ([], lines)
    raw = b"".join(body)
    message = raw.rstrip(b"\r\n")
    new = edit(message + raw[len(message):len(message) + 2])
    if new.rstrip(b"\r\n") == message:
        return lines
    # A re-encoded part may now start a line with "From ": escaped, or it would split the message.
    new = _UNESCAPED_FROM.sub(b">From ", new.rstrip(b"\r\n"))
    return separator + [new + raw[len(message):]]


def without_messages(raw: bytes, names: set[str]) -> tuple[bytes, set[str]]:
    out = io.BytesIO()
    removed = copy_without(io.BytesIO(raw), out, names)
    return out.getvalue(), removed
