"""Rewriting an mbox without some messages.

Messages are split exactly as the connector splits them (a `From ` line at
the top of the file or after a blank line) and named the same way
(`<Message-ID>`, else `message-N`; clashes become `name (2)`), so a plan's
location URI names the same message here.
"""
from __future__ import annotations

import re

from connectors.containers.budget import NameDeduper
from connectors.containers.rfc822 import message_id

_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.M)


def split_messages(raw: bytes) -> list[tuple[str, bytes]]:
    """[(member name, the message's bytes as stored, with its From_ line)]."""
    messages: list[list[bytes]] = []
    previous_blank = True
    for line in raw.splitlines(keepends=True):
        starts = previous_blank and line.startswith(b"From ")
        if starts or not messages:
            if not starts and not line.strip():
                continue      # blank lines before the first message
            messages.append([])
        messages[-1].append(line)
        previous_blank = line.strip() == b""
    unique = NameDeduper()
    named = []
    for n, lines in enumerate(messages, 1):
        body = b"".join(lines[1:] if lines[0].startswith(b"From ") else lines)
        head = _ESCAPED_FROM.sub(rb"\1", body[:64 * 1024])
        named.append((unique(message_id(head) or f"message-{n}"), b"".join(lines)))
    return named


def without_messages(raw: bytes, names: set[str]) -> tuple[bytes, set[str]]:
    """(the mbox without the named messages, the names actually removed)."""
    kept, removed = [], set()
    for name, data in split_messages(raw):
        if name in names:
            removed.add(name)
        else:
            kept.append(data)
    return b"".join(kept), removed
