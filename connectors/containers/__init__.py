"""Containers: archives, mailboxes, messages. Each yields member blobs.

A container is an object with `members(blob, ctx) -> Iterator[Blob | Skipped]`
and, optionally, `own_text(blob, ctx) -> Extracted | None` (a message's
headers and bodies). Register it by MIME type in CONTAINERS.
"""
from __future__ import annotations

from ..blob import Blob

CONTAINERS: dict[str, object] = {}


def container_for(mime: str, blob: Blob):
    return CONTAINERS.get(mime)
