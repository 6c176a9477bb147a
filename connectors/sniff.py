"""Format from content (python-magic), with a few content checks libmagic lacks."""
from __future__ import annotations

import threading

import magic

from .blob import Blob

_local = threading.local()

# libmagic reports these zip-based formats as application/zip on short heads.
_ZIP_MARKERS = (
    (b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)


def _magic() -> magic.Magic:
    # A Magic handle is not thread-safe; one per thread (and so per worker process).
    if not hasattr(_local, "m"):
        _local.m = magic.Magic(mime=True)
    return _local.m


def sniff(blob: Blob) -> str:
    if blob.mime_hint:
        return blob.mime_hint
    head = blob.head()
    if not head:
        return "application/x-empty"
    try:
        mime = _magic().from_buffer(head)
    except Exception:  # libmagic can fail on odd input; fall back to bytes
        mime = "application/octet-stream"
    if mime in ("application/zip", "application/octet-stream") and head[:4] == b"PK\x03\x04":
        for marker, office in _ZIP_MARKERS:
            if marker in head:
                return office
    if head.startswith(b"From ") and b"\n" in head and mime.startswith("text/"):
        return "application/mbox"
    return mime
